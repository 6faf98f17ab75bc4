//! Native benchmark for `cargo xtask bench`: name resolution on a user-defined network crowded
//! with containers — how long a lookup through the embedded DNS takes when 1,000 containers share
//! the network.
//!
//! `cargo run --profile bench-native -p engine --example network_bench -- [ROUNDS] [CONTAINERS]`
//! starts CONTAINERS (default 1000) `busybox sleep 100000` containers on the network `app` in one
//! `Engine::new(1)` with think time 0, then times ROUNDS (default 20) runs of each lookup command
//! with `std::time::Instant`, checking each answer names the right address.
//! Prints `containers<TAB>N` and `sample<TAB>command<TAB>nanoseconds`.

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use engine::Engine;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let rounds = match args.next() {
        None => 20,
        Some(Ok(n)) if n > 0 => n,
        _ => return usage(),
    };
    let containers = match args.next() {
        None => 1000,
        Some(Ok(n)) if n > 1 => n,
        _ => return usage(),
    };
    match measure(rounds, containers) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("network_bench: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: network_bench [ROUNDS] [CONTAINERS]");
    ExitCode::from(2)
}

/// The address Docker's IPAM gives the `n`th container (from 0) on 172.18.0.0/16.
fn address_of(n: usize) -> String {
    let host = n + 2;
    format!("172.18.{}.{}", host / 256, host % 256)
}

fn measure(rounds: usize, containers: usize) -> Result<(), String> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let write_error = |e: std::io::Error| format!("writing the samples: {e}");
    let mut engine = Engine::new(1);
    for setup in ["sim think-time 0", "docker pull busybox", "docker network create app"] {
        let outcome = engine.run(setup);
        if outcome.exit_code != 0 {
            return Err(format!("`{setup}` failed: {}", outcome.text()));
        }
    }
    for i in 0..containers {
        let command = format!("docker run -d --name c{i} --network app busybox sleep 100000");
        let outcome = engine.run(&command);
        if outcome.exit_code != 0 {
            return Err(format!("`{command}` failed: {}", outcome.text()));
        }
    }
    writeln!(out, "containers\t{containers}").map_err(write_error)?;
    let last = containers - 1;
    let middle = containers / 2;
    let lookups = [
        (format!("docker exec c0 nslookup c{last}"), format!("Address: {}", address_of(last))),
        (format!("docker exec c0 ping -c 1 c{middle}"), format!("64 bytes from {}", address_of(middle))),
        (format!("docker run --rm --network app busybox nslookup c{last}"), format!("Address: {}", address_of(last))),
    ];
    for (command, answer) in &lookups {
        for _ in 0..rounds {
            let start = Instant::now();
            let outcome = engine.run(command);
            let nanos = start.elapsed().as_nanos();
            // The right answer, or the measurement is of something else.
            if outcome.exit_code != 0 || !outcome.text().contains(answer.as_str()) {
                return Err(format!("`{command}` did not answer `{answer}` (exit {}): {}", outcome.exit_code, outcome.text()));
            }
            writeln!(out, "sample\t{command}\t{nanos}").map_err(write_error)?;
        }
    }
    out.flush().map_err(write_error)
}
