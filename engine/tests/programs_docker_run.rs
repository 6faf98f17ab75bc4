//! Simulated programs seen through `docker run`: shells per distro, coreutils, python.

use engine::Engine;

fn run(engine: &mut Engine, line: &str) -> (i32, Vec<String>) {
    let outcome = engine.run(line);
    (outcome.exit_code, outcome.output.iter().map(|l| l.text.clone()).collect())
}

#[test]
fn bash_is_missing_on_alpine_and_present_on_debian() {
    let mut engine = Engine::new(7);
    let (code, lines) = run(&mut engine, "docker run --rm alpine:3.19 sh -c 'bash -c true'");
    assert_eq!(code, 127, "{lines:?}");
    assert!(lines.iter().any(|l| l.ends_with("sh: bash: not found")), "{lines:?}");
    let (code, lines) = run(&mut engine, "docker run --rm debian:bookworm-slim sh -c 'nosuchtool'");
    assert_eq!(code, 127, "{lines:?}");
    assert!(lines.iter().any(|l| l.ends_with(": 1: nosuchtool: not found")), "{lines:?}");
}

#[test]
fn shell_scripts_run_in_containers() {
    let mut engine = Engine::new(7);
    let (code, lines) = run(&mut engine, "docker run --rm alpine:3.19 sh -c 'echo $((6*7)) && id -u && cat /etc/alpine-release'");
    assert_eq!(code, 0, "{lines:?}");
    assert!(lines.contains(&"42".to_string()), "{lines:?}");
    assert!(lines.contains(&"0".to_string()), "{lines:?}");
    let (code, lines) = run(&mut engine, "docker run --rm python:3.12-slim python -c 'import flask'");
    assert_eq!(code, 1, "{lines:?}");
    assert!(lines.iter().any(|l| l == "ModuleNotFoundError: No module named 'flask'"), "{lines:?}");
}
