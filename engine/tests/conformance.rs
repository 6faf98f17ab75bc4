//! The conformance scenarios (`../conformance/scenarios/*.yaml`) against the simulator: every
//! observation every step declares must hold, podman-differs ones included (they state Docker's
//! behaviour). `cargo xtask conformance --oracle` runs the same files against a real engine.
//! `CONFORMANCE=id` runs one scenario; every scenario's result is printed (`--nocapture`).

use std::path::Path;

use conformance::{Backend, Observed};
use engine::{Engine, Stream};

struct Simulator(Engine);

/// Where each step starts: on the oracle every step is a fresh `sh` in the scenario's folder, so
/// a `cd` in one step must not carry over to the next here either.
const HOME: &str = "cd ~";

impl Backend for Simulator {
    fn write_file(&mut self, path: &str, content: &str) -> Result<(), String> {
        if let Some((dir, _)) = path.rsplit_once('/') {
            self.run(&format!("mkdir -p {dir}"));
        }
        let body = content.strip_suffix('\n').unwrap_or(content);
        let seen = self.run(&format!("cat > {path} <<'WHALEBOX_EOF'\n{body}\nWHALEBOX_EOF"));
        if seen.exit == 0 { Ok(()) } else { Err(seen.stderr) }
    }

    fn run(&mut self, line: &str) -> Observed {
        let mut outcome = self.0.run(line);
        // An attached command (`start -a`, `wait`) is live: let simulated time pass until it
        // ends, as the terminal would; one that never ends by itself gets Ctrl-C after 10 minutes.
        for _ in 0..6000 {
            if !self.0.is_live() {
                break;
            }
            let mut more = self.0.tick(100);
            outcome.output.append(&mut more.output);
            if more.exit_code != 0 {
                outcome.exit_code = more.exit_code;
            }
        }
        if self.0.is_live() {
            outcome.output.append(&mut self.0.interrupt().output);
        }
        let _ = self.0.run(HOME);
        let mut seen = Observed { exit: outcome.exit_code, ..Observed::default() };
        for line in &outcome.output {
            let text = match line.stream {
                Stream::Stdout => &mut seen.stdout,
                _ => &mut seen.stderr,
            };
            text.push_str(&line.text);
            text.push('\n');
        }
        seen
    }
}

#[test]
fn every_scenario_holds_on_the_simulator() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/scenarios");
    let scenarios = conformance::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let only = std::env::var("CONFORMANCE").ok();
    let mut failed = Vec::new();
    for scenario in scenarios.iter().filter(|s| only.as_deref().is_none_or(|id| id == s.id)) {
        let report = conformance::run(scenario, &mut Simulator(Engine::new(7)));
        let total = report.checks.len();
        let passed = report.checks.iter().filter(|c| c.passed).count();
        println!("{:<40} {:<11} {passed}/{total}", scenario.id, scenario.topic);
        if let Some(error) = &report.setup_error {
            failed.push(format!("{}: {error}", scenario.id));
        }
        for check in report.failures() {
            failed.push(format!(
                "{} step {} `{}` {}:\n  expected: {:?}\n  actual:   {:?}",
                scenario.id, check.step + 1, check.command, check.observation, check.expected, check.actual
            ));
        }
    }
    if only.is_none() && scenarios.len() < 60 {
        failed.push(format!("only {} scenarios (the suite promises at least 60)", scenarios.len()));
    }
    assert!(failed.is_empty(), "{} failures:\n{}", failed.len(), failed.join("\n"));
}
