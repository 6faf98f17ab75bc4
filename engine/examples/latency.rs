//! Native engine latency for `cargo xtask bench`: times each `Engine::run` over the fixed script.
//!
//! `cargo run --profile bench-native -p engine --example latency -- [ROUNDS]` runs
//! `bench_script.txt` ROUNDS times (default 20), each time on a fresh `Engine::new(1)`, and prints
//! one `sample<TAB>command<TAB>nanoseconds` line per command; the xtask turns them into percentiles.

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use engine::{Engine, Outcome};

const SCRIPT: &str = include_str!("bench_script.txt");

fn main() -> ExitCode {
    let rounds: usize = match std::env::args().nth(1).map(|arg| arg.parse()) {
        None => 20,
        Some(Ok(rounds)) => rounds,
        Some(Err(_)) => {
            eprintln!("usage: latency [ROUNDS]");
            return ExitCode::from(2);
        }
    };
    let lines: Vec<&str> = SCRIPT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for _ in 0..rounds {
        let mut engine = Engine::new(1);
        for line in &lines {
            let start = Instant::now();
            let outcome = engine.run(line);
            let nanos = start.elapsed().as_nanos();
            if let Err(problem) = check(line, &outcome) {
                eprintln!(
                    "latency: the engine misbehaved, so the timings would mean nothing: {problem}"
                );
                return ExitCode::FAILURE;
            }
            if writeln!(out, "sample\t{line}\t{nanos}").is_err() {
                return ExitCode::FAILURE;
            }
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Makes sure the timed commands did their real work (outside the timed region).
fn check(line: &str, outcome: &Outcome) -> Result<(), String> {
    let text = outcome.text();
    let ok = match line {
        "docker version" => text.contains("Client:") && outcome.exit_code == 0,
        "docker run hello-world" => text.contains("Hello from Docker!") && outcome.exit_code == 0,
        "docker ps -a" => text.contains("hello-world"),
        "docker foo" => outcome.exit_code != 0,
        _ => !text.is_empty(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{line}` gave exit {} and:\n{text}",
            outcome.exit_code
        ))
    }
}
