//! Names and ports against a real engine: `tests/oracle/network.log` was recorded from
//! `../shared/oracle` (podman behind Docker's API, driven by the docker CLI 28; see
//! `record-network.sh`). Each scenario is replayed here command by command and must agree on
//! what Docker and podman share: a container name is a bad address on the default network and
//! resolves (with `--network-alias`) on a user-defined one; a network in use cannot be removed; a
//! published port reaches a server on 0.0.0.0 inside, a second container on the same host port
//! fails with 125 and stays `created`, the port is free once its holder stops.
//!
//! Not compared: steps the log marks `# podman:` (podman's own wording, its DNAT instead of
//! Docker's proxy, its port listing), and the output of commands whose output went to /dev/null.

use engine::Engine;

const LOG: &str = include_str!("oracle/network.log");

#[derive(Debug, Default)]
struct Step {
    command: String,
    output: Vec<String>,
    exit: i32,
    podman_only: bool,
}

fn scenarios() -> Vec<(String, Vec<Step>)> {
    let mut scenarios: Vec<(String, Vec<Step>)> = Vec::new();
    let mut podman_note = false;
    for line in LOG.lines() {
        if let Some(name) = line.strip_prefix("== ") {
            scenarios.push((name.to_string(), Vec::new()));
            podman_note = false;
            continue;
        }
        let Some((_, steps)) = scenarios.last_mut() else { continue };
        if line.starts_with("# podman:") {
            podman_note = true;
        } else if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step { command: command.to_string(), podman_only: podman_note, ..Step::default() });
            podman_note = false;
        } else if let (Some(text), Some(step)) = (line.strip_prefix("| ").or(line.strip_prefix("|")), steps.last_mut()) {
            step.output.push(text.to_string());
        } else if let (Some(code), Some(step)) = (line.strip_prefix("[exit ").and_then(|c| c.strip_suffix(']')), steps.last_mut()) {
            step.exit = code.parse().expect("exit code");
        }
    }
    scenarios
}

/// The command as the simulator's shell takes it: the recorder's `sleep 1;` (real servers need a
/// moment to start) and `>/dev/null` are dropped.
fn simulated(command: &str) -> (String, bool) {
    let command = command.strip_prefix("sleep 1; ").unwrap_or(command);
    match command.strip_suffix(" >/dev/null") {
        Some(quiet) => (quiet.to_string(), true),
        None => (command.to_string(), false),
    }
}

/// `Up 3 seconds` and `Up Less than a second` read alike: the real engine's pauses are not ours.
fn uptime_blind(line: &str) -> String {
    match line.find(" Up ") {
        Some(at) => format!("{} Up <time>", &line[..at]),
        None => line.to_string(),
    }
}

#[test]
fn the_log_holds_the_scenarios_it_promises() {
    let names: Vec<String> = scenarios().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["dns-default-bridge", "dns-user-network", "ports"]);
    let compared = scenarios().iter().flat_map(|(_, steps)| steps.iter()).filter(|s| !s.podman_only).count();
    assert!(compared >= 20, "only {compared} steps compared");
}

#[test]
fn simulator_agrees_with_the_real_engine_on_names_and_ports() {
    let mut engine = Engine::new(11);
    assert_eq!(engine.run("docker pull busybox").exit_code, 0);
    let mut disagreements = Vec::new();
    for (scenario, steps) in scenarios() {
        for step in steps {
            let (command, quiet) = simulated(&step.command);
            let outcome = engine.run(&command);
            if step.podman_only {
                continue;
            }
            if outcome.exit_code != step.exit {
                disagreements.push(format!("{scenario}: `{command}` exited {} (real engine: {})\n{}", outcome.exit_code, step.exit, outcome.text()));
                continue;
            }
            if quiet {
                continue;
            }
            let actual: Vec<String> = outcome.text().lines().map(uptime_blind).collect();
            let expected: Vec<String> = step.output.iter().map(|l| uptime_blind(l)).collect();
            if actual != expected {
                disagreements.push(format!("{scenario}: `{command}` printed {actual:?}, real engine {:?}", step.output));
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
