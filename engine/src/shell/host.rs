//! Host-side commands that look at or wait on the simulated machine: `sleep` (lets simulated
//! time pass, so containers run on) and `ps` (host PIDs, containers' processes among them).

use crate::clock::{DAY, SECOND};
use crate::outcome::Outcome;
use crate::world::World;

/// `sleep N[smhd]`: time passes for every container; capped at a day per command.
pub fn sleep(world: &mut World, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    if args.is_empty() {
        outcome.err("sleep: missing operand");
        outcome.err("Try 'sleep --help' for more information.");
        return outcome.fail(1);
    }
    let mut total: u64 = 0;
    for arg in args {
        let (number, unit) = match arg.char_indices().find(|(_, c)| !(c.is_ascii_digit() || *c == '.')) {
            Some((i, _)) => arg.split_at(i),
            None => (arg.as_str(), ""),
        };
        let factor = match unit {
            "" | "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86400.0,
            _ => f64::NAN,
        };
        let Some(seconds) = number.parse::<f64>().ok().map(|n| n * factor).filter(|s| s.is_finite() && *s >= 0.0) else {
            outcome.err(format!("sleep: invalid time interval '{arg}'"));
            outcome.err("Try 'sleep --help' for more information.");
            return outcome.fail(1);
        };
        total = total.saturating_add((seconds * SECOND as f64) as u64);
    }
    outcome.events = crate::runtime::advance(world, total.min(DAY));
    outcome
}

/// `ps` / `ps aux` / `ps -ef` on the host: the daemon's processes and every container's, with
/// host PIDs (inside a container the same processes have small PIDs of their own).
pub fn ps(world: &World, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let full = args.iter().any(|a| a.contains('a') || a.contains('e'));
    let mut rows: Vec<(u32, String, u64, String)> = vec![
        (1, "root".into(), 12_400_000, "/sbin/init".into()),
        (612, "root".into(), 48_200_000, "/usr/bin/containerd".into()),
        (745, "root".into(), 96_800_000, "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock".into()),
    ];
    for container in world.containers() {
        let Some(run) = &container.run else { continue };
        rows.push((
            run.host_pid.saturating_sub(1),
            "root".into(),
            11_000_000,
            format!("/usr/bin/containerd-shim-runc-v2 -namespace moby -id {} -address /run/containerd/containerd.sock", container.id),
        ));
        for process in &run.processes {
            rows.push((process.host_pid, process.user.clone(), process.rss, process.command.clone()));
        }
    }
    rows.push((2001, "learner".into(), 5_200_000, "-bash".into()));
    rows.push((world.now().0 as u32 % 1000 + 90_000, "learner".into(), 3_300_000, if full { format!("ps {}", args.join(" ")) } else { "ps".into() }));
    if !full {
        outcome.out("    PID TTY          TIME CMD");
        outcome.out("   2001 pts/0    00:00:00 bash");
        outcome.out(format!("{:>7} pts/0    00:00:00 ps", rows.last().map_or(0, |r| r.0)));
        return outcome;
    }
    outcome.out("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND");
    for (pid, user, rss, command) in rows {
        let user: String = user.chars().take(8).collect();
        let kb = rss / 1024;
        let mem = rss as f64 * 100.0 / crate::runtime::HOST_MEMORY as f64;
        outcome.out(format!(
            "{user:<8} {pid:>7}  0.0 {mem:>4.1} {vsz:>6} {kb:>5} ?        Ss   09:00   0:00 {command}",
            vsz = kb * 3 + 2048
        ));
    }
    outcome
}
