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

/// `free [-h|-m]`: the host's memory, with what containers use counted in.
pub fn free(world: &World, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let total = crate::runtime::HOST_MEMORY;
    let now = world.now();
    let containers: u64 = world.containers().iter().map(|c| c.memory_usage(now)).sum();
    let used = (620_000_000 + containers).min(total);
    let cache = 1_100_000_000u64.min(total - used);
    let free = total - used - cache;
    let available = total - used;
    let human = args.iter().any(|a| a == "-h" || a == "--human");
    let show = |bytes: u64| {
        if human {
            gibi(bytes)
        } else if args.iter().any(|a| a == "-m") {
            (bytes >> 20).to_string()
        } else {
            (bytes >> 10).to_string()
        }
    };
    outcome.out("               total        used        free      shared  buff/cache   available");
    outcome.out(format!(
        "Mem:   {:>13} {:>11} {:>11} {:>11} {:>11} {:>11}",
        show(total),
        show(used),
        show(free),
        show(1_200_000),
        show(cache),
        show(available)
    ));
    outcome.out(format!("Swap:  {:>13} {:>11} {:>11}", show(0), show(0), show(0)));
    outcome
}

/// `free -h`'s units: `3.8Gi`, `590Mi`.
fn gibi(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "Ki", "Mi", "Gi"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 && unit > 0 { format!("{value:.1}{}", UNITS[unit]) } else { format!("{}{}", value.round() as u64, UNITS[unit]) }
}

/// `df [-h]` on the host: the root disk, Docker's data included.
pub fn df(world: &World) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.out_block(&crate::runtime::disk::describe(world));
    outcome
}

/// `curl URL` on the host: reaches a container only through a published port whose server
/// listens on all interfaces inside; other hosts are the simulated internet.
pub fn curl(world: &World, args: &[String]) -> Outcome {
    let mut outcome = curl_quietly_or_not(world, args);
    // `-s` hides curl's own error line; `-S` shows it again.
    let short_flags = |c: char| args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains(c));
    if (short_flags('s') || args.iter().any(|a| a == "--silent")) && !short_flags('S') && !args.iter().any(|a| a == "--show-error") {
        outcome.output.retain(|line| !(line.stream == crate::outcome::Stream::Stderr && line.text.starts_with("curl: (")));
    }
    outcome
}

fn curl_quietly_or_not(world: &World, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let fail_on_error = args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('f'));
    let silent = args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('s'));
    let Some(url) = args.iter().find(|a| !a.starts_with('-')) else {
        outcome.err("curl: try 'curl --help' or 'curl --manual' for more information");
        return outcome.fail(2);
    };
    let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().unwrap_or(0)),
        None => (authority, 80),
    };
    let address = host.trim_matches(|c| c == '[' || c == ']');
    let gateway = world.networks().iter().any(|n| n.gateway_text() == address);
    let local = matches!(address, "localhost" | "0.0.0.0" | "::1" | "10.0.2.15") || address.starts_with("127.") || gateway;
    // The host routes to every bridge: a container's own address reaches it without publishing.
    let direct = world.networks().iter().find_map(|n| {
        n.endpoints.iter().find(|(_, e)| crate::network::ip_text(e.ip) == address).map(|(id, _)| id.clone())
    });
    if let Some(id) = direct {
        let now = world.now();
        let listener = world.container(&id).filter(|c| c.run.is_some()).and_then(|c| {
            let context = crate::runtime::launch::context(world, c, now);
            context.listeners.into_iter().find(|l| l.port == port && !l.address.starts_with("127."))
        });
        return match listener {
            Some(listener) => respond(&listener, served_files(world, &id).as_ref(), &path, fail_on_error, silent, args),
            None => {
                outcome.err(format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"));
                outcome.fail(7)
            }
        };
    }
    if !local {
        let known = host.contains('.') && !host.ends_with(".local");
        if !known {
            outcome.err(format!("curl: (6) Could not resolve host: {host}"));
            return outcome.fail(6);
        }
        outcome.out(format!("<!doctype html><title>{host}</title><p>A page from the simulated internet.</p>"));
        return outcome;
    }
    let refused = |outcome: &mut Outcome| {
        outcome.err(format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"));
        std::mem::take(outcome).fail(7)
    };
    let now = world.now();
    let published = world.containers().iter().filter(|c| c.run.is_some()).find_map(|c| {
        c.published.iter().find(|p| p.answers(address, port, "tcp")).map(|p| (c, p.container_port))
    });
    // A container on the host's network stack listens on the host itself: no proxy, no NAT.
    let host_network = || {
        world.containers().iter().filter(|c| c.run.is_some() && c.host_config.network_mode == "host").find_map(|c| {
            let context = crate::runtime::launch::context(world, c, now);
            context.listeners.into_iter().find(|l| l.port == port).map(|l| (c, l))
        })
    };
    // Swarm's routing mesh answers a service's published port on every address of the node.
    let published = published.or_else(|| {
        let service = world.swarm.as_ref()?.services.iter().find(|s| s.ports.iter().any(|p| p.published == port && p.protocol == "tcp"))?;
        let target = service.ports.iter().find(|p| p.published == port)?.target;
        let task = service.live_tasks().filter(|t| t.state == crate::swarm::TaskState::Running).find_map(|t| t.container_id.clone())?;
        world.container(&task).filter(|c| c.run.is_some()).map(|c| (c, target))
    });
    let (listener, server) = match published {
        Some((container, container_port)) => {
            let context = crate::runtime::launch::context(world, container, now);
            let listener = context
                .listeners
                .into_iter()
                .find(|l| l.port == container_port && matches!(l.address.as_str(), "0.0.0.0" | "::" | "[::]" | "*"));
            let Some(listener) = listener else {
                // docker-proxy accepts, finds nothing listening on the container's interface, and drops it.
                outcome.err("curl: (56) Recv failure: Connection reset by peer");
                return outcome.fail(56);
            };
            (listener, container.id.clone())
        }
        None => match host_network() {
            Some((container, listener)) => (listener, container.id.clone()),
            None => return refused(&mut outcome),
        },
    };
    respond(&listener, served_files(world, &server).as_ref(), &path, fail_on_error, silent, args)
}

/// The serving container's files as they are now (its writable layer and mounts included), for
/// servers that read their document root per request.
fn served_files(world: &World, container_id: &str) -> Option<crate::fs::FileTree> {
    world.container(container_id).and_then(|container| crate::runtime::launch::visible_tree(world, container))
}

/// What an HTTP server that accepted the connection answers.
fn respond(listener: &crate::programs::Listener, files: Option<&crate::fs::FileTree>, path: &str, fail_on_error: bool, silent: bool, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(http) = &listener.http else {
        outcome.err("curl: (52) Empty reply from server");
        return outcome.fail(52);
    };
    if let Some(body) = files.and_then(|files| crate::programs::docroot_file(http, files, path)) {
        for line in body.lines() {
            outcome.out(line);
        }
        return outcome;
    }
    match http.routes.iter().find(|r| r.path == path) {
        Some(route) if route.status < 400 || !fail_on_error => {
            for line in route.body.lines() {
                outcome.out(line);
            }
            outcome
        }
        Some(route) => {
            if !silent || args.iter().any(|a| a.contains('S')) {
                outcome.err(format!("curl: (22) The requested URL returned error: {}", route.status));
            }
            outcome.fail(22)
        }
        None if fail_on_error => {
            outcome.err("curl: (22) The requested URL returned error: 404");
            outcome.fail(22)
        }
        None => {
            outcome.out("<!doctype html><title>404 Not Found</title><h1>Not Found</h1>");
            outcome
        }
    }
}
