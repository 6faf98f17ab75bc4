//! Each goal in the vocabulary, checked against a real engine: it holds when it should, fails
//! when it should, and says what is missing.

use engine::Engine;
use lessons::goal::{Context, Goal};
use lessons::Record;
use serde::Deserialize;

#[derive(Deserialize)]
struct Wrapper {
    goal: Goal,
}

fn goal(toml_text: &str) -> Goal {
    toml::from_str::<Wrapper>(&format!("goal = {toml_text}")).unwrap_or_else(|e| panic!("{toml_text}: {e}")).goal
}

/// An engine after these lines, and the record of them as a session keeps it.
fn machine(lines: &[&str]) -> (Engine, Record) {
    let mut engine = Engine::new(1);
    let mut record = Record::default();
    for line in lines {
        let outcome = engine.run(line);
        record.note(line, &outcome);
    }
    (engine, record)
}

fn check(state: &(Engine, Record), text: &str) -> Vec<String> {
    goal(text).check(&Context { engine: &state.0, record: &state.1 }).missing
}

fn holds(state: &(Engine, Record), text: &str) {
    let missing = check(state, text);
    assert!(missing.is_empty(), "{text} should hold; missing: {missing:?}");
}

fn fails(state: &(Engine, Record), text: &str, says: &str) {
    let missing = check(state, text);
    assert!(!missing.is_empty(), "{text} should not hold");
    assert!(missing.join("; ").contains(says), "{text}: {missing:?} should mention {says:?}");
}

#[test]
fn container_facts_exit_codes_and_oom() {
    let state = machine(&[
        "docker run --name boom busybox sh -c 'exit 3'",
        "docker run -d --name leak --memory 64m busybox tail /dev/zero",
        "sleep 5",
        "docker run -d --name up --read-only --cap-drop ALL --restart always busybox sleep 1000",
    ]);
    holds(&state, r#"{ container = { name = "boom", state = "exited", exit_code = 3, oom_killed = false } }"#);
    fails(&state, r#"{ container = { name = "boom", exit_code = 0 } }"#, "has exit code 3");
    holds(&state, r#"{ container = { name = "leak", exit_code = 137, oom_killed = true, memory_limit = "64m" } }"#);
    fails(&state, r#"{ container = { name = "leak", memory_limit = "128m" } }"#, "memory limit");
    holds(&state, r#"{ container = { name = "up", state = "running", read_only = true, cap_drop = "ALL", restart = "always", non_root = false } }"#);
    fails(&state, r#"{ container = { name = "up", exit_code = 0 } }"#, "running");
    fails(&state, r#"{ container = { name = "nosuch" } }"#, "no container nosuch");
    holds(&state, r#"{ container_gone = "nosuch" }"#);
    fails(&state, r#"{ container_gone = "boom" }"#, "still exists");
}

#[test]
fn names_resolve_on_user_networks_only() {
    let state = machine(&[
        "docker network create app",
        "docker run -d --name db --network app busybox sleep 1000",
        "docker run -d --name api --network app busybox sleep 1000",
        "docker run -d --name lonely busybox sleep 1000",
        "docker run -d --name other busybox sleep 1000",
    ]);
    holds(&state, r#"{ resolves = { from = "api", name = "db" } }"#);
    fails(&state, r#"{ resolves = { from = "lonely", name = "other" } }"#, "cannot resolve other");
    holds(&state, r#"{ on_network = { container = "api", network = "app" } }"#);
    fails(&state, r#"{ on_network = { container = "lonely", network = "app" } }"#, "not attached");
    holds(&state, r#"{ network = { name = "app", internal = false, driver = "bridge" } }"#);
    fails(&state, r#"{ network = { name = "app", internal = true } }"#, "not internal");
    // A probe runs on a copy: the learner's machine keeps no trace of it.
    let before = state.0.world().containers().len();
    holds(&state, r#"{ probe = { run = "docker run --name probe busybox true" } }"#);
    assert_eq!(state.0.world().containers().len(), before);
}

#[test]
fn published_ports_reach_the_host() {
    let state = machine(&["docker run -d --name web -p 8080:80 nginx"]);
    holds(&state, r#"{ host_reaches = { port = 8080, body = "<html>" } }"#);
    fails(&state, r#"{ host_reaches = { port = 9090 } }"#, "localhost:9090");
    holds(&state, r#"{ container = { name = "web", publishes = "8080:80" } }"#);
    fails(&state, r#"{ container = { name = "web", publishes = "8080:8000" } }"#, "publishes 8080:80");
    holds(&state, r#"{ inspect = { target = "web", format = "{{.State.Status}}", equals = "running" } }"#);
    fails(&state, r#"{ inspect = { target = "web", format = "{{.State.Status}}", equals = "exited" } }"#, "now: running");
}

#[test]
fn volumes_and_files() {
    let state = machine(&[
        "docker volume create data",
        "docker run --rm -v data:/d busybox sh -c 'echo hi > /d/x.txt'",
        "mkdir app && echo 'FROM python:3.12-slim' > app/Dockerfile",
    ]);
    holds(&state, r#"{ volume_exists = "data" }"#);
    holds(&state, r#"{ volume_has_file = { volume = "data", path = "/x.txt" } }"#);
    fails(&state, r#"{ volume_has_file = { volume = "data", path = "/y.txt" } }"#, "does not hold /y.txt");
    holds(&state, r#"{ file_exists = "app/Dockerfile" }"#);
    holds(&state, r#"{ file_matches = { path = "app/Dockerfile", pattern = 'python:3\.12' } }"#);
    holds(&state, r#"{ base_pinned = { file = "app/Dockerfile", by = "version" } }"#);
    fails(&state, r#"{ base_pinned = { file = "app/Dockerfile", by = "digest" } }"#, "not pinned by digest");
}

#[test]
fn base_pinning_ignores_stage_names_and_rejects_floating_tags() {
    let dockerfile = "FROM golang:1.22 AS build\\nFROM build AS test\\nFROM python:3\\nFROM alpine@sha256:0123\\n";
    let state = machine(&[&format!("printf '{dockerfile}' > Dockerfile")]);
    fails(&state, r#"{ base_pinned = { file = "Dockerfile", by = "version" } }"#, "python:3 is not pinned");
    let missing = check(&state, r#"{ base_pinned = { file = "Dockerfile", by = "version" } }"#).join(" ");
    assert!(!missing.contains("build") && !missing.contains("alpine"), "{missing}");
}

#[test]
fn builds_cache_pattern_context_and_image_facts() {
    let state = machine(&[
        "mkdir app && cd app && echo 'flask==3.0.3' > requirements.txt && echo 'print(1)' > app.py",
        "printf 'FROM python:3.12-slim\\nWORKDIR /app\\nCOPY requirements.txt .\\nRUN pip install -r requirements.txt\\nCOPY . .\\nENV SECRET=hunter2\\nUSER 1000\\n' > Dockerfile",
        "docker build -q -t shop:1 .",
        "echo 'print(2)' >> app.py",
        "docker build -t shop:2 .",
    ]);
    holds(&state, r#"{ last_build = { succeeded = true, cached = ["pip install"], ran = ['COPY \. \.'], context_below = "1kB" } }"#);
    fails(&state, r#"{ last_build = { ran = ["pip install"] } }"#, "took RUN pip install");
    fails(&state, r#"{ last_build = { context_below = "10B" } }"#, "build context");
    holds(&state, r#"{ image_exists = "shop:2" }"#);
    holds(&state, r#"{ image = { name = "shop:2", non_root = true, env_has = "^SECRET=", size_below = "1GB", size_at_least = "10MB", has_file = "/app/app.py", lacks_file = "/app/.env" } }"#);
    fails(&state, r#"{ image = { name = "shop:2", env_lacks = "SECRET" } }"#, "still sets /SECRET/");
    fails(&state, r#"{ image = { name = "shop:2", size_below = "1MB" } }"#, "want under 1MB");
    fails(&state, r#"{ image = { name = "shop:3" } }"#, "no image shop:3");
}

#[test]
fn typed_commands_output_and_combinators() {
    let state = machine(&["docker ps -a", "echo needle"]);
    holds(&state, r#"{ command_ran = '^docker ps' }"#);
    fails(&state, r#"{ command_ran = 'docker logs' }"#, "docker logs");
    holds(&state, r#"{ output_shown = 'needle' }"#);
    holds(&state, r#"{ any = [ { command_ran = 'nope' }, { command_ran = 'echo' } ] }"#);
    fails(&state, r#"{ any = [ { command_ran = 'nope' }, { command_ran = 'never' } ] }"#, "one of:");
    fails(&state, r#"{ not = { command_ran = 'echo' } }"#, "not: a command matching /echo/");
    let missing = check(&state, r#"{ all = [ { command_ran = 'x1' }, { command_ran = 'echo' }, { command_ran = 'x2' } ] }"#);
    assert_eq!(missing.len(), 2, "{missing:?}");
}

#[test]
fn daemon_and_disk() {
    let state = machine(&["sim daemon stop", "sim disk fill 100MB"]);
    holds(&state, r#"{ daemon_running = false }"#);
    fails(&state, r#"{ daemon_running = true }"#, "dockerd is running");
    fails(&state, r#"{ disk_free = "1GB" }"#, "of disk is free");
    holds(&state, r#"{ disk_free = "50MB" }"#);
}

#[test]
fn compose_services_by_label() {
    let compose = "services:\\n  cache:\\n    image: redis:7-alpine\\n";
    let state = machine(&["mkdir shop && cd shop", &format!("printf '{compose}' > compose.yaml"), "docker compose up -d"]);
    holds(&state, r#"{ compose_service = { service = "cache", project = "shop", state = "running", running = 1 } }"#);
    fails(&state, r#"{ compose_service = { service = "cache", running = 2 } }"#, "has 1 running");
    fails(&state, r#"{ compose_service = { service = "db" } }"#, "no containers");
}
