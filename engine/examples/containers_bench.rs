//! Native benchmark for `cargo xtask bench`: a host with 1,000 running containers — how long
//! `docker ps` and `docker stats --no-stream` take, and how much memory each container costs.
//!
//! `cargo run --profile bench-native -p engine --example containers_bench -- [ROUNDS] [CONTAINERS]`
//! starts CONTAINERS (default 1000) `busybox sleep 100000` containers in one `Engine::new(1)` with
//! think time 0, measuring the process's resident memory before and after (`/proc/self/statm`),
//! then times ROUNDS (default 20) runs of each command with `std::time::Instant`.
//! Prints `containers<TAB>N`, `memory<TAB>bytes per container`, `rows<TAB>command<TAB>lines` and
//! `sample<TAB>command<TAB>nanoseconds`.

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use engine::Engine;

/// Resident memory of this process in bytes, from `/proc/self/statm` (Linux); 0 elsewhere.
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096
}

const COMMANDS: [&str; 2] = ["docker ps", "docker stats --no-stream"];

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let rounds = match args.next() {
        None => 20,
        Some(Ok(n)) if n > 0 => n,
        _ => return usage(),
    };
    let containers = match args.next() {
        None => 1000,
        Some(Ok(n)) if n > 0 => n,
        _ => return usage(),
    };
    match measure(rounds, containers) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("containers_bench: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: containers_bench [ROUNDS] [CONTAINERS]");
    ExitCode::from(2)
}

fn measure(rounds: usize, containers: usize) -> Result<(), String> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let write_error = |e: std::io::Error| format!("writing the samples: {e}");
    let mut engine = Engine::new(1);
    for setup in ["sim think-time 0", "docker pull busybox"] {
        let outcome = engine.run(setup);
        if outcome.exit_code != 0 {
            return Err(format!("`{setup}` failed: {}", outcome.text()));
        }
    }
    let before = resident_bytes();
    for i in 0..containers {
        let command = format!("docker run -d --name c{i} busybox sleep 100000");
        let outcome = engine.run(&command);
        if outcome.exit_code != 0 {
            return Err(format!("`{command}` failed: {}", outcome.text()));
        }
    }
    let after = resident_bytes();
    let running = engine.world().containers().iter().filter(|c| c.is_running()).count();
    if running != containers {
        return Err(format!("{running} of {containers} containers are running"));
    }
    writeln!(out, "containers\t{containers}").map_err(write_error)?;
    writeln!(out, "memory\t{}", after.saturating_sub(before) / containers).map_err(write_error)?;
    for command in COMMANDS {
        for round in 0..rounds {
            let start = Instant::now();
            let outcome = engine.run(command);
            let nanos = start.elapsed().as_nanos();
            let rows = outcome.output.len();
            // A header and one row per container, or the measurement is of something else.
            if outcome.exit_code != 0 || rows != containers + 1 {
                return Err(format!("`{command}` printed {rows} lines (exit {})", outcome.exit_code));
            }
            if round == 0 {
                writeln!(out, "rows\t{command}\t{rows}").map_err(write_error)?;
            }
            writeln!(out, "sample\t{command}\t{nanos}").map_err(write_error)?;
        }
    }
    out.flush().map_err(write_error)
}
