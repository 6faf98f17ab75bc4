//! Same seed and same commands give the same bytes out; snapshots resume exactly where they left off.

use engine::{Engine, Outcome};

const SCRIPT: &[&str] = &[
    "docker version",
    "docker run hello-world",
    "docker run -d hello-world",
    "docker ps -a",
    "docker images",
    "docker run --name web hello-world",
    "docker run --name web hello-world",
    "docker foo",
    "docker info",
    "history",
];

fn run_all(engine: &mut Engine, commands: &[&str]) -> Vec<Outcome> {
    commands.iter().map(|command| engine.run(command)).collect()
}

#[test]
fn same_seed_same_output() {
    let first = run_all(&mut Engine::new(42), SCRIPT);
    let second = run_all(&mut Engine::new(42), SCRIPT);
    assert_eq!(first, second);
}

#[test]
fn different_seeds_give_different_ids() {
    let a = run_all(&mut Engine::new(1), SCRIPT);
    let b = run_all(&mut Engine::new(2), SCRIPT);
    // `docker run -d` prints the new container's ID, which comes from the seed.
    assert_ne!(a[2].text(), b[2].text());
    // Output that does not depend on randomness is identical.
    assert_eq!(a[0], b[0]);
}

#[test]
fn snapshot_restore_resumes_identically() {
    let (before, after) = SCRIPT.split_at(4);
    let mut uninterrupted = Engine::new(9);
    run_all(&mut uninterrupted, before);
    let saved = uninterrupted.snapshot();
    let expected = run_all(&mut uninterrupted, after);

    let mut restored = Engine::restore(&saved).expect("snapshot restores");
    assert_eq!(run_all(&mut restored, after), expected);
    assert_eq!(restored.snapshot(), uninterrupted.snapshot());
}

#[test]
fn bad_snapshots_are_refused_with_a_reason() {
    let error = Engine::restore("{not json").unwrap_err();
    assert!(error.to_string().starts_with("saved session is not valid"), "{error}");
    let mut saved: serde_json::Value = serde_json::from_str(&Engine::new(1).snapshot()).unwrap();
    saved["version"] = 999.into();
    let error = Engine::restore(&saved.to_string()).unwrap_err();
    assert_eq!(error.to_string(), "saved session has format version 999, this Whalebox reads version 2");
}

#[test]
fn a_restored_machine_keeps_its_build_cache_and_files() {
    let setup = "mkdir app && cd app && echo 'print(1)' > app.py && cat > Dockerfile <<'EOF'\nFROM python:3.12-slim\nCOPY app.py .\nRUN echo built > /built\nEOF";
    let mut original = Engine::new(4);
    assert_eq!(original.run(setup).exit_code, 0);
    assert_eq!(original.run("docker build -q -t app .").exit_code, 0);
    let mut restored = Engine::restore(&original.snapshot()).expect("snapshot restores");
    let again = restored.run("docker build -t app .");
    assert_eq!(again, original.run("docker build -t app ."));
    assert!(again.text().contains("CACHED [3/3] RUN echo built > /built"), "{}", again.text());
    assert_eq!(restored.prompt(), "learner@whalebox:~/app$ ");
}
