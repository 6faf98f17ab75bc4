//! Native benchmark for `cargo xtask bench`: `docker compose up -d` and `down` of a 20-service
//! project (web servers, caches, workers and a database on two networks, with depends_on).
//!
//! `cargo run --profile bench-native -p engine --example compose_bench -- [ROUNDS] [SERVICES]`
//! writes the compose file into one `Engine::new(1)` (think time 0, images pulled first, not
//! timed), then ROUNDS (default 20) times: times `docker compose up -d`, checks that every service
//! runs, times `docker compose down`, checks that nothing is left.
//! Prints `services<TAB>N` and `sample<TAB>command<TAB>nanoseconds`.

use std::fmt::Write as _;
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
    let services = match args.next() {
        None => 20,
        Some(Ok(n)) if n > 1 => n,
        _ => return usage(),
    };
    match measure(rounds, services) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("compose_bench: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: compose_bench [ROUNDS] [SERVICES]");
    ExitCode::from(2)
}

/// A project of `services` services: one postgres with a health check, the rest web servers,
/// caches and workers that depend on it, split over a front and a back network.
fn compose_file(services: usize) -> String {
    let mut yaml = String::from("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n");
    yaml.push_str("    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n      interval: 2s\n      retries: 10\n");
    yaml.push_str("    networks: [back]\n");
    for i in 1..services {
        let (image, extra) = match i % 3 {
            0 => ("redis:7", ""),
            1 => ("nginx:alpine", ""),
            _ => ("busybox", "    command: [\"sleep\", \"100000\"]\n"),
        };
        let _ = write!(yaml, "  svc{i}:\n    image: {image}\n{extra}    networks: [front, back]\n    depends_on:\n      db:\n        condition: service_healthy\n");
    }
    yaml.push_str("networks:\n  front:\n  back:\n");
    yaml
}

fn run(engine: &mut Engine, command: &str) -> Result<String, String> {
    let outcome = engine.run(command);
    if outcome.exit_code != 0 {
        return Err(format!("`{command}` failed (exit {}): {}", outcome.exit_code, outcome.text()));
    }
    Ok(outcome.text())
}

fn measure(rounds: usize, services: usize) -> Result<(), String> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let write_error = |e: std::io::Error| format!("writing the samples: {e}");
    let mut engine = Engine::new(1);
    for setup in ["sim think-time 0", "mkdir shop", "cd shop"] {
        run(&mut engine, setup)?;
    }
    run(&mut engine, &format!("cat > compose.yaml <<'EOF'\n{}EOF", compose_file(services)))?;
    for image in ["postgres:16", "redis:7", "nginx:alpine", "busybox"] {
        run(&mut engine, &format!("docker pull {image}"))?;
    }
    writeln!(out, "services\t{services}").map_err(write_error)?;
    for _ in 0..rounds {
        let start = Instant::now();
        run(&mut engine, "docker compose up -d")?;
        let up = start.elapsed().as_nanos();
        let running = engine.world().containers().iter().filter(|c| c.is_running()).count();
        if running != services {
            return Err(format!("{running} of {services} services are running after `up -d`"));
        }
        let start = Instant::now();
        run(&mut engine, "docker compose down")?;
        let down = start.elapsed().as_nanos();
        if !engine.world().containers().is_empty() {
            return Err(format!("{} containers are left after `down`", engine.world().containers().len()));
        }
        writeln!(out, "sample\tdocker compose up -d\t{up}").map_err(write_error)?;
        writeln!(out, "sample\tdocker compose down\t{down}").map_err(write_error)?;
    }
    out.flush().map_err(write_error)
}
