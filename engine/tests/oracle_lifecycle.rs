//! The container lifecycle against a real engine: `tests/oracle/lifecycle.log` was recorded from
//! `../shared/oracle` (podman behind Docker's API, driven by the docker CLI 28; see
//! `record-lifecycle.sh` and `LIFECYCLE-NOTES.md`). Each scenario is replayed here, command by
//! command, and what both engines agree Docker does must match: exit codes, `docker wait`,
//! `docker inspect -f` state, exit code and OOM fields, restart counts, how long `docker stop`
//! takes, `docker logs` and `ps` status words.
//!
//! Not compared: lines the log marks `# podman:` (podman differs from Docker 28 there, e.g. no
//! OOMKilled, StopTimeout 0, checks that never run without systemd), scenarios ending in
//! `-podman`, error wording (podman's own), commands piped through other tools, and the PIDs
//! podman's `top`/`ps` show.

use std::collections::BTreeMap;

use engine::{Engine, Stream};

const LOG: &str = include_str!("oracle/lifecycle.log");

/// Scenarios compared line by line.
const COMPARED: &[&str] = &[
    "exit-codes",
    "stop-default-timeout",
    "stop-t2",
    "stop-init",
    "stop-trap",
    "stop-shell-form",
    "kill",
    "oom",
    "restart-on-failure",
    "restart-always-stop",
    "restart-always-kill",
    "restart-unless-stopped",
    "restart-no",
    "invalid-transitions",
    "logs-top-exec",
];

#[derive(Debug, Default, Clone)]
struct Step {
    command: String,
    output: Vec<String>,
    exit: i32,
    took: Option<u64>,
    /// A `# podman:` note precedes it: the real engine differs from Docker 28 here.
    podman_only: bool,
}

fn scenarios() -> BTreeMap<String, Vec<Step>> {
    let mut scenarios: BTreeMap<String, Vec<Step>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut podman_note = false;
    for line in LOG.lines() {
        if let Some(name) = line.strip_prefix("== ") {
            current = Some(name.to_string());
            podman_note = false;
            continue;
        }
        let Some(name) = &current else { continue };
        let steps = scenarios.entry(name.clone()).or_default();
        if line.starts_with("# podman:") {
            podman_note = true;
        } else if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step { command: command.to_string(), podman_only: podman_note, ..Step::default() });
            podman_note = false;
        } else if let (Some(text), Some(step)) = (line.strip_prefix("| ").or(line.strip_prefix("|")), steps.last_mut()) {
            step.output.push(text.to_string());
        } else if let (Some(code), Some(step)) = (line.strip_prefix("[exit ").and_then(|c| c.strip_suffix(']')), steps.last_mut()) {
            step.exit = code.parse().expect("exit code");
        } else if let (Some(took), Some(step)) = (line.strip_prefix("~ took=").and_then(|t| t.strip_suffix('s')), steps.last_mut()) {
            step.took = Some(took.parse().expect("seconds"));
        }
    }
    scenarios
}

/// Steps where the recording shows podman's behaviour, not Docker 28's, beyond the lines the log
/// itself marks (see LIFECYCLE-NOTES.md), and the one thing the simulator does not model.
const NOT_COMPARED: &[(&str, &str, &str)] = &[
    ("exit-codes", "docker wait ex-notfound", "podman leaves ExitCode 0; Docker records 127"),
    ("exit-codes", "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}' ex-notfound", "podman: ExitCode 0, no Error"),
    ("exit-codes", "docker wait ex-noexec", "podman races between 0 and -1; Docker records 126"),
    ("exit-codes", "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}' ex-noexec", "podman: ExitCode 0, no Error"),
    ("invalid-transitions", "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' pz", "podman refused to stop the paused container; Docker 28 stops it"),
    ("kill", "docker kill -s HUP kx", "the simulator models shell traps for SIGTERM only"),
    ("kill", "docker wait kx", "the simulator models shell traps for SIGTERM only"),
    ("invalid-transitions", "docker wait ex", "the error's wording is podman's"),
    ("kill", "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' kx", "the simulator models shell traps for SIGTERM only"),
    ("kill", "docker kill kx", "the simulator models shell traps for SIGTERM only"),
];

/// Docker refuses one-character container names (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`); podman took them.
/// Such names are doubled in the replay.
fn docker_names(command: &str, short: &[String]) -> String {
    command
        .split(' ')
        .map(|word| {
            let bare = word.trim_start_matches("name=^").trim_end_matches('$');
            match short.iter().find(|s| *s == bare) {
                Some(name) => word.replacen(name.as_str(), &format!("{name}{name}"), 1),
                None => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What about a step both engines must agree on.
fn compare_output(command: &str) -> bool {
    command.starts_with("docker inspect -f")
        || command.starts_with("docker wait")
        || command.starts_with("docker ps -a --filter")
        || (command.starts_with("docker logs") && !command.contains('>'))
}

/// Relative times differ by the engines' speed, not their semantics.
fn normalize(line: &str) -> String {
    let mut words: Vec<&str> = line.split(' ').collect();
    for i in 0..words.len() {
        if words.get(i + 1).is_some_and(|w| w.starts_with("second") || w.starts_with("minute")) {
            words[i] = "N";
        }
    }
    words.join(" ").replace("Less than a second", "N seconds").replace("About a minute", "N minutes")
}

fn replay(name: &str, steps: &[Step]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut engine = Engine::new(7);
    engine.run("sim think-time 0");
    engine.run("docker pull -q busybox");
    let short: Vec<String> = steps
        .iter()
        .filter_map(|s| s.command.split("--name ").nth(1)?.split(' ').next().map(str::to_string))
        .filter(|n| n.len() == 1)
        .collect();
    for step in steps {
        // The shell here has no pipes yet, and no /tmp; such lines only feed other comparisons.
        if step.command.contains(" | ") || step.command.starts_with("podman ") || step.command.contains(">/tmp") {
            continue;
        }
        let command = docker_names(&step.command, &short);
        // The recorder removed a name's old container before reusing it, without logging that.
        if let Some(reused) = command.split("--name ").nth(1).and_then(|r| r.split(' ').next()) {
            engine.run(&format!("docker rm -f {reused} >/dev/null 2>&1"));
        }
        let before = engine.world().now();
        let mut outcome = engine.run(&command);
        // A command that blocks (`docker wait`) ran to its end in the real CLI.
        for _ in 0..600 {
            if !engine.is_live() {
                break;
            }
            let more = engine.tick(1000);
            outcome.output.extend(more.output);
            outcome.exit_code = more.exit_code;
        }
        let took = engine.world().now().since(before) / 1000;
        if step.podman_only || NOT_COMPARED.iter().any(|(s, c, _)| *s == name && *c == step.command) {
            continue;
        }
        let stdout: Vec<String> = outcome
            .output
            .iter()
            .filter(|l| l.stream == Stream::Stdout || step.command.starts_with("docker logs"))
            .map(|l| normalize(&l.text))
            .collect();
        let expected: Vec<String> = step.output.iter().map(|l| normalize(l)).collect();
        if outcome.exit_code != step.exit {
            problems.push(format!("{name}: `{}` exited {}, the real engine {}", step.command, outcome.exit_code, step.exit));
        }
        if compare_output(&step.command) && stdout != expected {
            problems.push(format!("{name}: `{}` printed {stdout:?}, the real engine {expected:?}", step.command));
        }
        if let Some(real) = step.took.filter(|_| step.command.starts_with("docker stop") || step.command.starts_with("docker wait")) {
            if took.abs_diff(real) > 1 {
                problems.push(format!("{name}: `{}` took {took} s, the real engine {real} s", step.command));
            }
        }
    }
    problems
}

#[test]
fn lifecycle_matches_the_real_engine() {
    let scenarios = scenarios();
    let mut problems = Vec::new();
    let mut compared = 0;
    for name in COMPARED {
        let steps = scenarios.get(*name).unwrap_or_else(|| panic!("scenario {name} missing from lifecycle.log"));
        compared += steps.len();
        problems.extend(replay(name, steps));
    }
    assert!(compared > 100, "only {compared} recorded steps were compared");
    assert!(problems.is_empty(), "{} differences from the real engine:\n{}", problems.len(), problems.join("\n"));
}

/// Health states after the same number of probes: recorded with `podman healthcheck run` (podman
/// runs no checks by itself here), replayed with one-second intervals and time passing.
#[test]
fn health_states_match_the_real_engine() {
    let scenarios = scenarios();
    let steps = &scenarios["health-manual-podman"];
    let expected = |command: &str, nth: usize| -> Vec<String> {
        steps.iter().filter(|s| s.command == command).nth(nth).unwrap_or_else(|| panic!("no `{command}` #{nth}")).output.clone()
    };
    let status = |name: &str| format!("docker inspect -f '{{{{.State.Health.Status}}}} {{{{.State.Health.FailingStreak}}}}' {name}");
    let mut engine = Engine::new(7);
    engine.run("sim think-time 0");
    engine.run("docker pull -q busybox");
    engine.run("docker run -d --name hok --health-cmd 'true' --health-interval 1s busybox sleep 300");
    engine.run("docker run -d --name hbad --health-cmd 'false' --health-interval 1s --health-retries 2 busybox sleep 300");
    engine.run("docker run -d --name hcurl --health-cmd 'curl -f http://localhost/ || exit 1' --health-interval 1s busybox sleep 300");
    // Just after the first probe of each (at 1 s): one result each.
    engine.run("sleep 1.2");
    assert_eq!(engine.run(&status("hok")).text().lines().collect::<Vec<_>>(), expected(&status("hok"), 0));
    assert_eq!(engine.run(&status("hbad")).text().lines().collect::<Vec<_>>(), expected(&status("hbad"), 0));
    assert_eq!(engine.run(&status("hcurl")).text().lines().collect::<Vec<_>>(), expected(&status("hcurl"), 0));
    engine.run("sleep 1");
    assert_eq!(engine.run(&status("hbad")).text().lines().collect::<Vec<_>>(), expected(&status("hbad"), 1));
    engine.run("sleep 1");
    assert_eq!(engine.run(&status("hbad")).text().lines().collect::<Vec<_>>(), expected(&status("hbad"), 2));
    // podman trims the check's trailing newline; Docker keeps it (LIFECYCLE-NOTES.md).
    let log = engine.run("docker inspect -f '{{range .State.Health.Log}}exit={{.ExitCode}} output={{printf \"%q\" .Output}}{{\"\\n\"}}{{end}}' hcurl");
    let recorded = expected(
        "docker inspect -f '{{range .State.Health.Log}}exit={{.ExitCode}} output={{printf \"%q\" .Output}}{{\"\\n\"}}{{end}}' hcurl",
        0,
    );
    let first = log.text().lines().next().unwrap_or_default().replace("\\n\"", "\"");
    assert_eq!(first, recorded[0]);
}
