//! Sections 7 to 9 of `cargo xtask bench`: DNS lookups on a user network shared by 1,000
//! containers (`engine/examples/network_bench.rs`), a 20-service `docker compose up -d` / `down`
//! (`engine/examples/compose_bench.rs`), and the conformance suite's agreement with a real engine.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use crate::stats;

pub const LOOKUP_ROUNDS: usize = 30;
pub const NETWORK_CONTAINERS: usize = 1000;

/// One command's timings, ms.
pub struct Timing {
    pub command: String,
    pub count: usize,
    pub median: f64,
    pub p99: f64,
    pub max: f64,
}

pub struct NetworkRun {
    pub containers: usize,
    pub timings: Vec<Timing>,
}

pub fn measure_dns(root: &Path) -> Result<NetworkRun> {
    let out = super::bench::output_explained(
        super::bench::cargo()
            .args(["run", "--quiet", "--profile", "bench-native", "-p", "engine", "--example", "network_bench", "--"])
            .arg(LOOKUP_ROUNDS.to_string())
            .arg(NETWORK_CONTAINERS.to_string())
            .current_dir(root),
    )?;
    let (containers, samples) = parse_samples(&out, "containers")?;
    let containers = containers.context("the network benchmark printed no `containers` line")?;
    Ok(NetworkRun { containers, timings: timings(&samples) })
}

/// An example's output: the `COUNT_KEY<TAB>N` line and `sample<TAB>command<TAB>nanoseconds`
/// lines (as ms).
fn parse_samples(out: &str, count_key: &str) -> Result<(Option<usize>, Vec<(String, f64)>)> {
    let mut count = None;
    let mut samples = Vec::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields[..] {
            [key, n] if key == count_key => count = Some(n.parse().with_context(|| format!("malformed line `{line}`"))?),
            ["sample", command, nanos] => {
                let nanos: f64 = nanos.parse().with_context(|| format!("malformed line `{line}`"))?;
                samples.push((command.to_string(), nanos / 1e6));
            }
            _ => {}
        }
    }
    Ok((count, samples))
}

/// Samples grouped by command, in the order the commands first appear.
pub fn timings(samples: &[(String, f64)]) -> Vec<Timing> {
    // Rounds interleave commands (up, down, up, …): keep each command once, first seen first.
    let mut commands: Vec<String> = Vec::new();
    for (command, _) in samples {
        if !commands.contains(command) {
            commands.push(command.clone());
        }
    }
    commands
        .into_iter()
        .map(|command| {
            let mut values: Vec<f64> = samples.iter().filter(|(c, _)| *c == command).map(|(_, ms)| *ms).collect();
            values.sort_by(f64::total_cmp);
            Timing {
                count: values.len(),
                median: stats::median(&values),
                p99: stats::percentile(&values, 99.0),
                max: values.last().copied().unwrap_or(0.0),
                command,
            }
        })
        .collect()
}

pub fn render_dns(md: &mut String, run: &Result<NetworkRun>) {
    let _ = writeln!(md, "## 7. Name resolution with {NETWORK_CONTAINERS} containers on one network (native)\n");
    let _ = writeln!(
        md,
        "`engine/examples/network_bench.rs` starts {NETWORK_CONTAINERS} `busybox sleep 100000` containers on \
         the user-defined network `app` in one engine (think time 0), then times {LOOKUP_ROUNDS} runs of each \
         lookup with `Instant`: `nslookup` through the embedded DNS from a running container, `ping` by name, \
         and a fresh `docker run --rm` doing the lookup. Every run must answer with the address Docker's IPAM \
         gave that container, or the benchmark fails.\n\n\
         `cargo run --profile bench-native -p engine --example network_bench -- {LOOKUP_ROUNDS} {NETWORK_CONTAINERS}`\n"
    );
    match run {
        Ok(run) => {
            let _ = writeln!(md, "| command ({} containers) | runs | median (ms) | p99 (ms) | max (ms) |", run.containers);
            let _ = writeln!(md, "|---|---:|---:|---:|---:|");
            for t in &run.timings {
                let _ = writeln!(md, "| `{}` | {} | {:.2} | {:.2} | {:.2} |", t.command, t.count, t.median, t.p99, t.max);
            }
            let _ = writeln!(md);
        }
        Err(e) => {
            let _ = writeln!(md, "Not measured: {e:#}\n");
        }
    }
}

pub const COMPOSE_ROUNDS: usize = 20;
pub const COMPOSE_SERVICES: usize = 20;

pub struct ComposeRun {
    pub services: usize,
    pub timings: Vec<Timing>,
}

pub fn measure_compose(root: &Path) -> Result<ComposeRun> {
    let out = super::bench::output_explained(
        super::bench::cargo()
            .args(["run", "--quiet", "--profile", "bench-native", "-p", "engine", "--example", "compose_bench", "--"])
            .arg(COMPOSE_ROUNDS.to_string())
            .arg(COMPOSE_SERVICES.to_string())
            .current_dir(root),
    )?;
    let (services, samples) = parse_samples(&out, "services")?;
    let services = services.context("the compose benchmark printed no `services` line")?;
    Ok(ComposeRun { services, timings: timings(&samples) })
}

pub fn render_compose(md: &mut String, run: &Result<ComposeRun>) {
    let _ = writeln!(md, "## 8. A {COMPOSE_SERVICES}-service Compose project up and down (native)\n");
    let _ = writeln!(
        md,
        "`engine/examples/compose_bench.rs` writes a compose file of {COMPOSE_SERVICES} services (postgres with \
         a health check; nginx, redis and busybox workers on two networks, each `depends_on: db: condition: \
         service_healthy`) into one engine (think time 0, images pulled first), then {COMPOSE_ROUNDS} times \
         times `docker compose up -d` (which waits for the database to be healthy, in simulated time) and \
         `docker compose down` with `Instant`. After each `up` every service must be running, after each \
         `down` no container may be left.\n\n\
         `cargo run --profile bench-native -p engine --example compose_bench -- {COMPOSE_ROUNDS} {COMPOSE_SERVICES}`\n"
    );
    match run {
        Ok(run) => {
            let _ = writeln!(md, "| command ({} services) | runs | median (ms) | p99 (ms) | max (ms) |", run.services);
            let _ = writeln!(md, "|---|---:|---:|---:|---:|");
            for t in &run.timings {
                let _ = writeln!(md, "| `{}` | {} | {:.2} | {:.2} | {:.2} |", t.command, t.count, t.median, t.p99, t.max);
            }
            let _ = writeln!(md);
        }
        Err(e) => {
            let _ = writeln!(md, "Not measured: {e:#}\n");
        }
    }
}

/// What `cargo xtask conformance --oracle` wrote: the engine it ran against and the agreement.
pub struct ConformanceRun {
    pub engine: String,
    pub agreement: String,
    pub scenarios: usize,
}

/// Runs the conformance suite against the real engine (it writes `conformance/RESULTS.md`) and
/// reads the figure back.
pub fn measure_conformance(root: &Path) -> Result<ConformanceRun> {
    crate::conformance::oracle()?;
    let results = std::fs::read_to_string(root.join("conformance/RESULTS.md")).context("reading conformance/RESULTS.md")?;
    let agreement = results.lines().find(|l| l.starts_with("**Agreement")).context("RESULTS.md has no agreement line")?;
    let engine = results
        .lines()
        .filter(|l| l.contains("-> engine"))
        .find_map(|l| l.split_once("against ").and_then(|(_, rest)| rest.split(" (podman").next()))
        .unwrap_or("the oracle")
        .to_string();
    let scenarios = results.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| scenario")).count();
    Ok(ConformanceRun { engine, agreement: agreement.trim_matches('*').to_string(), scenarios })
}

pub fn render_conformance(md: &mut String, run: &Result<ConformanceRun>) {
    let _ = writeln!(md, "## 9. Conformance with a real engine
");
    let _ = writeln!(
        md,
        "`cargo xtask conformance --oracle` runs the scenarios in `conformance/scenarios/` through the real \
         docker CLI against `../shared/oracle` (podman behind Docker's API) and compares every observation a \
         scenario does not mark as a known podman difference; Compose scenarios run on the simulator only. \
         Per-scenario results and the differences left are in `conformance/RESULTS.md`.\n"
    );
    match run {
        Ok(run) => {
            let _ = writeln!(md, "Against {}: **{}** ({} scenarios listed).\n", run.engine, run.agreement, run.scenarios);
        }
        Err(e) => {
            let _ = writeln!(md, "Not measured: {e:#}\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_samples_give_one_row_per_command() {
        let samples: Vec<(String, f64)> =
            [("up", 5.0), ("down", 1.0), ("up", 7.0), ("down", 3.0)].iter().map(|(c, ms)| (c.to_string(), *ms)).collect();
        let rows = timings(&samples);
        let summary: Vec<(String, usize, f64)> = rows.iter().map(|t| (t.command.clone(), t.count, t.median)).collect();
        assert_eq!(summary, [("up".to_string(), 2, 6.0), ("down".to_string(), 2, 2.0)]);
    }
}
