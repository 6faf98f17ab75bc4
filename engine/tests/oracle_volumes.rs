//! Volumes against a real engine: `tests/oracle/volumes.log` was recorded from `../shared/oracle`
//! (podman behind Docker's API, driven by the docker CLI 28; see `record-volumes.sh` and
//! `VOLUMES-NOTES.md`). Every scenario is replayed in one simulated session, as it was recorded,
//! and each step must agree: exit status and every output line — data surviving `rm`, the
//! writable layer not, `:ro`, copy-up from the image, anonymous volumes and `rm -v`, binds and a
//! tar backup/restore through them.
//!
//! Not compared: steps the log marks `# podman:` (podman's own error wording, its Mountpoint
//! path, and its chowning of a new volume to the container's user, which Docker does not do).

use engine::Engine;

const LOG: &str = include_str!("oracle/volumes.log");

#[derive(Debug, Default)]
struct Step {
    scenario: String,
    command: String,
    output: Vec<String>,
    exit: i32,
    podman_only: bool,
}

fn steps() -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut scenario = String::new();
    let mut podman_note = false;
    for line in LOG.lines() {
        if let Some(name) = line.strip_prefix("== ") {
            scenario = name.to_string();
            podman_note = false;
        } else if line.starts_with("# podman:") {
            podman_note = true;
        } else if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step { scenario: scenario.clone(), command: command.to_string(), podman_only: podman_note, ..Step::default() });
            podman_note = false;
        } else if let (Some(text), Some(step)) = (line.strip_prefix("| ").or(line.strip_prefix("|")), steps.last_mut()) {
            step.output.push(text.to_string());
        } else if let (Some(code), Some(step)) = (line.strip_prefix("[exit ").and_then(|c| c.strip_suffix(']')), steps.last_mut()) {
            step.exit = code.parse().expect("exit code");
        }
    }
    steps
}

/// 64-hex IDs read `<id>` in the log, as the recorder wrote them.
fn mask_ids(line: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in line.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            run.push(c);
            continue;
        }
        if run.len() == 64 {
            out.push_str("<id>");
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

#[test]
fn volumes_match_the_real_engine() {
    let mut engine = Engine::new(5);
    engine.run("sim think-time 0");
    engine.run("docker pull -q busybox");
    let mut problems = Vec::new();
    let mut compared = 0;
    let mut scenario = String::new();
    for step in steps() {
        if step.scenario != scenario {
            // The recorder removed the scenario's containers first, without logging it.
            engine.run("docker rm -f writer reader db keep anon >/dev/null 2>&1");
            scenario = step.scenario.clone();
        }
        let mut outcome = engine.run(&step.command);
        for _ in 0..60 {
            if !engine.is_live() {
                break;
            }
            let more = engine.tick(1000);
            outcome.output.extend(more.output);
            outcome.exit_code = more.exit_code;
        }
        if step.podman_only {
            continue;
        }
        compared += 1;
        let printed: Vec<String> = outcome.output.iter().map(|l| mask_ids(&l.text)).collect();
        if outcome.exit_code != step.exit {
            problems.push(format!("{}: `{}` exited {}, the real engine {}", step.scenario, step.command, outcome.exit_code, step.exit));
        }
        if printed != step.output {
            problems.push(format!("{}: `{}` printed {printed:?}, the real engine {:?}", step.scenario, step.command, step.output));
        }
    }
    assert!(compared >= 50, "only {compared} recorded steps were compared");
    assert!(problems.is_empty(), "{} differences from the real engine:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn docker_differs_from_podman_where_the_notes_say() {
    // The steps skipped above, checked against Docker 28's behaviour instead.
    let mut engine = Engine::new(5);
    engine.run("docker pull -q busybox");
    assert_eq!(engine.run("docker volume inspect orders --format '{{.Mountpoint}}'").exit_code, 1);
    engine.run("docker volume create orders");
    assert_eq!(engine.run("docker volume inspect orders --format '{{.Mountpoint}}'").text(), "/var/lib/docker/volumes/orders/_data\n");
    let denied = engine.run("docker run --user 1000 -v perms:/data busybox touch /data/x");
    assert_eq!((denied.text().as_str(), denied.exit_code), ("touch: /data/x: Permission denied\n", 1));
}
