//! Native build benchmark for `cargo xtask bench`: `docker build` of a 40-instruction multi-stage
//! Dockerfile, cold, warm and after editing one source file.
//!
//! `cargo run --profile bench-native -p engine --example build_bench -- [ROUNDS]` runs ROUNDS
//! rounds (default 20). Each round types the context of `engine/examples/bench_build/` into a fresh
//! `Engine::new(1)` (not timed; see `common/build_scenario.rs`), then times `engine.run("docker
//! build -t bench .")` three times with `std::time::Instant`: cold, warm (same engine, nothing
//! changed) and after one edit. Every build is checked after its timing. Prints
//! `shape<TAB>instructions<TAB>stages`, `steps<TAB>scenario<TAB>run<TAB>cached` for the first round
//! and `sample<TAB>scenario<TAB>nanoseconds` per timed build.

#[path = "common/build_scenario.rs"]
mod build_scenario;

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use build_scenario::{Scenario, BUILD};

fn main() -> ExitCode {
    let rounds: usize = match std::env::args().nth(1).map(|arg| arg.parse()) {
        None => 20,
        Some(Ok(rounds)) if rounds > 0 => rounds,
        Some(_) => {
            eprintln!("usage: build_bench [ROUNDS]");
            return ExitCode::from(2);
        }
    };
    match measure(rounds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("build_bench: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn measure(rounds: usize) -> Result<(), String> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let write_error = |e: std::io::Error| format!("writing the samples: {e}");
    let (instructions, stages) = build_scenario::dockerfile_shape()?;
    writeln!(out, "shape\t{instructions}\t{stages}").map_err(write_error)?;
    for round in 0..rounds {
        let mut engine = build_scenario::prepare()?;
        let mut cold_steps = 0;
        for scenario in Scenario::ALL {
            if scenario == Scenario::Edited {
                build_scenario::edit(&mut engine)?;
            }
            let start = Instant::now();
            let outcome = engine.run(BUILD);
            let nanos = start.elapsed().as_nanos();
            if scenario == Scenario::Cold {
                cold_steps = build_scenario::step_counts(&outcome).0;
            }
            build_scenario::check(scenario, &outcome, cold_steps)?;
            if round == 0 {
                let (ran, cached) = build_scenario::step_counts(&outcome);
                writeln!(out, "steps\t{}\t{ran}\t{cached}", scenario.name())
                    .map_err(write_error)?;
            }
            writeln!(out, "sample\t{}\t{nanos}", scenario.name()).map_err(write_error)?;
        }
    }
    out.flush().map_err(write_error)
}
