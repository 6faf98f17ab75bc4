//! Section 12 of `cargo xtask bench`: how long a real container takes to start — `whalebox run
//! --real` against `unshare -fp --mount-proc true` and `podman run --rm` (the oracle's engine),
//! interleaved in one run so the machine's mood weighs on all three alike.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::stats;

pub const START_RUNS: usize = 50;

/// One way of starting a container, and its wall-clock times in ms (or why it was not measured).
pub struct Starter {
    pub label: String,
    pub command: String,
    pub result: Result<Vec<f64>, String>,
}

pub struct StartRun {
    pub starters: Vec<Starter>,
}

/// Builds the cli with the speed profile, then times each starter `START_RUNS` times in turn.
pub fn measure(root: &Path) -> Result<StartRun> {
    if !crate::chromium::is_root() {
        bail!("needs root on Linux (real namespaces, cgroups and mounts): run `sudo -E cargo xtask bench`");
    }
    let whalebox = build_cli(root)?;
    let podman = podman_ready(root);
    let mut starters: Vec<(String, Vec<String>, Result<Vec<f64>, String>)> = vec![
        (
            "whalebox run --real".into(),
            vec![whalebox.display().to_string(), "run".into(), "--real".into(), "alpine".into(), "true".into()],
            Ok(Vec::new()),
        ),
        (
            "unshare (util-linux)".into(),
            ["unshare", "-fp", "--mount-proc", "true"].map(String::from).to_vec(),
            Ok(Vec::new()),
        ),
        (
            "podman run --rm (oracle)".into(),
            ["podman", "run", "--rm", "oracle/busybox", "true"].map(String::from).to_vec(),
            podman.map(|()| Vec::new()),
        ),
    ];
    // One warm-up each (page cache, podman's storage), then the measured rounds interleaved.
    for round in 0..=START_RUNS {
        for (_, argv, samples) in starters.iter_mut() {
            let Ok(times) = samples else { continue };
            match time_once(argv) {
                Ok(ms) if round > 0 => times.push(ms),
                Ok(_) => {}
                Err(why) => *samples = Err(why),
            }
        }
    }
    Ok(StartRun {
        starters: starters
            .into_iter()
            .map(|(label, argv, result)| {
                let command = argv.join(" ").replace(&format!("{}/", root.display()), "");
                Starter { label, command, result }
            })
            .collect(),
    })
}

fn build_cli(root: &Path) -> Result<PathBuf> {
    let status = crate::bench::cargo()
        .args(["build", "--profile", "bench-native", "-p", "cli"])
        .current_dir(root)
        .status()
        .context("running cargo build -p cli")?;
    if !status.success() {
        bail!("cargo build --profile bench-native -p cli failed");
    }
    Ok(root.join("target/bench-native/whalebox"))
}

/// Starts the oracle (`../shared/oracle/up`) when it is there, so podman has its image.
fn podman_ready(root: &Path) -> Result<(), String> {
    let up = root.join("../shared/oracle/up");
    if !up.exists() {
        return Err(format!("no oracle at {}", up.display()));
    }
    let output = Command::new(&up).stdin(Stdio::null()).output().map_err(|e| format!("{}: {e}", up.display()))?;
    if !output.status.success() {
        return Err(format!("the oracle did not start: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(())
}

fn time_once(argv: &[String]) -> Result<f64, String> {
    let started = Instant::now();
    let output = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("`{}`: {e}", argv.join(" ")))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !output.status.success() {
        return Err(format!(
            "`{}` exited with {}: {}",
            argv.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(ms)
}

pub fn render(md: &mut String, run: &Result<StartRun>) {
    let _ = writeln!(md, "## 12. A real container start (Linux, root)\n");
    let _ = writeln!(
        md,
        "Wall-clock time from spawning the command to its exit, {START_RUNS} runs each after one \
         warm-up, the three interleaved in one run. `whalebox run --real` pulls the image in the \
         simulator, writes its layers and the host's busybox onto a fresh tmpfs as overlayfs \
         lowerdirs, makes pid/uts/mnt/ipc/net namespaces (no cgroup: no limit is given), pivots \
         into the overlay, runs `true` and removes everything. `unshare` makes only the PID namespace and a /proc; podman (runc, \
         behind the oracle) makes a full OCI container.\n"
    );
    let run = match run {
        Ok(run) => run,
        Err(error) => {
            let _ = writeln!(md, "Not measured: {error:#}\n");
            return;
        }
    };
    let _ = writeln!(md, "| starter | command | p50 | p99 | max |\n|---|---|---:|---:|---:|");
    for starter in &run.starters {
        match &starter.result {
            Ok(samples) if !samples.is_empty() => {
                let mut sorted = samples.clone();
                sorted.sort_by(f64::total_cmp);
                let _ = writeln!(
                    md,
                    "| {} | `{}` | {:.1} ms | {:.1} ms | {:.1} ms |",
                    starter.label,
                    starter.command,
                    stats::percentile(&sorted, 50.0),
                    stats::percentile(&sorted, 99.0),
                    sorted[sorted.len() - 1]
                );
            }
            Ok(_) => {
                let _ = writeln!(md, "| {} | `{}` | no samples | | |", starter.label, starter.command);
            }
            Err(why) => {
                let _ = writeln!(md, "| {} | `{}` | not measured: {} | | |", starter.label, starter.command, why.replace('|', "/").replace('\n', " "));
            }
        }
    }
    let _ = writeln!(md);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_percentiles_and_says_why_a_starter_is_missing() {
        let run = StartRun {
            starters: vec![
                Starter { label: "a".into(), command: "a true".into(), result: Ok(vec![3.0, 1.0, 2.0]) },
                Starter { label: "b".into(), command: "b".into(), result: Err("no oracle".into()) },
            ],
        };
        let mut md = String::new();
        render(&mut md, &Ok(run));
        assert!(md.contains("| a | `a true` | 2.0 ms | 3.0 ms | 3.0 ms |"), "{md}");
        assert!(md.contains("| b | `b` | not measured: no oracle | | |"), "{md}");
        let mut md = String::new();
        render(&mut md, &Err(anyhow::anyhow!("needs root")));
        assert!(md.contains("Not measured: needs root"), "{md}");
    }
}
