//! The awesome-compose samples in `../shared/corpus/compose/` brought up in the simulator: every
//! service whose image the simulated registry holds (postgres, nginx, redis, …) must come up
//! running, and healthy where the sample defines a health check. Services built from source are
//! left out (`up --no-deps` names the held ones), since the samples' build contexts are not in the
//! corpus; the small side files a sample mounts or reads as a secret (an `nginx.conf`, a
//! `password.txt`, which live beside the compose file in awesome-compose) are written first, as a
//! learner copying the sample would have them.

use std::path::PathBuf;

use engine::{Engine, Stream};
use serde_json::Value;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/compose")
}

fn run(engine: &mut Engine, line: &str) -> (i32, String) {
    let outcome = engine.run(line);
    (outcome.exit_code, outcome.text())
}

/// Standard output only (Compose warns about unset variables on stderr).
fn stdout(engine: &mut Engine, line: &str) -> (i32, String) {
    let outcome = engine.run(line);
    let text = outcome.output.iter().filter(|l| l.stream == Stream::Stdout).map(|l| format!("{}\n", l.text)).collect();
    (outcome.exit_code, text)
}

/// Files the sample expects beside it: secret files (a made-up secret) and bind-mounted files or
/// directories (empty) that do not exist yet.
fn side_files(engine: &mut Engine, config: &Value) {
    let mut secret_files: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut dirs: Vec<String> = Vec::new();
    if let Some(Value::Object(secrets)) = config.get("secrets") {
        secret_files.extend(secrets.values().filter_map(|s| s.get("file").and_then(Value::as_str)).map(str::to_string));
    }
    if let Some(Value::Object(services)) = config.get("services") {
        for service in services.values() {
            for volume in service.get("volumes").and_then(Value::as_array).into_iter().flatten() {
                if volume.get("type").and_then(Value::as_str) != Some("bind") {
                    continue;
                }
                let Some(source) = volume.get("source").and_then(Value::as_str) else { continue };
                let target = volume.get("target").and_then(Value::as_str).unwrap_or_default();
                let last = target.rsplit('/').next().unwrap_or_default();
                if last.contains('.') { files.push(source.to_string()) } else { dirs.push(source.to_string()) }
            }
        }
    }
    for dir in dirs {
        run(engine, &format!("mkdir -p '{dir}'"));
    }
    for (file, content) in secret_files.iter().map(|f| (f, "example-secret")).chain(files.iter().map(|f| (f, ""))) {
        if let Some((parent, _)) = file.rsplit_once('/') {
            run(engine, &format!("mkdir -p '{parent}'"));
        }
        if run(engine, &format!("cat '{file}'")).0 != 0 {
            run(engine, &format!("echo -n '{content}' > '{file}'"));
        }
    }
}

/// The `.env` awesome-compose ships beside samples that read variables: each variable Compose
/// warns is unset, given a value.
fn dot_env(engine: &mut Engine) {
    let warnings = engine.run("docker compose config -q").text();
    let unset: Vec<&str> = warnings.lines().filter_map(|l| l.split("The \"").nth(1)?.split('"').next()).collect();
    if !unset.is_empty() {
        // Paths (PLEX_MEDIA_PATH) get a directory beside the sample, the rest a word.
        let value = |v: &str| if v.ends_with("_PATH") || v.ends_with("_DIR") { "./example" } else { "example" };
        let lines: String = unset.iter().map(|v| format!("{v}={}\n", value(v))).collect();
        run(engine, &format!("cat > .env <<'WHALEBOX_EOF'\n{lines}WHALEBOX_EOF"));
    }
}

#[test]
fn held_services_of_the_awesome_compose_samples_come_up_healthy() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("the shared corpus is present")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("awesome-compose__")))
        .collect();
    files.sort();
    let mut brought_up = Vec::new();
    let mut failures = Vec::new();
    for path in &files {
        let sample = path.file_name().unwrap().to_string_lossy().trim_start_matches("awesome-compose__").split('_').next().unwrap().to_string();
        let text = std::fs::read_to_string(path).expect("readable sample");
        let mut engine = Engine::new(5);
        run(&mut engine, &format!("mkdir -p {sample} && cd {sample}"));
        let (code, out) = run(&mut engine, &format!("cat > compose.yaml <<'WHALEBOX_EOF'\n{text}\nWHALEBOX_EOF"));
        assert_eq!(code, 0, "{sample}: {out}");
        dot_env(&mut engine);
        let (code, json) = stdout(&mut engine, "docker compose config --format json");
        if code != 0 {
            failures.push(format!("{sample}: config failed: {json}"));
            continue;
        }
        let config: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{sample}: config --format json is not JSON ({e}): {json}"));
        side_files(&mut engine, &config);
        let services = config.get("services").and_then(Value::as_object).cloned().unwrap_or_default();
        let held: Vec<(String, bool)> = services
            .iter()
            .filter(|(_, s)| s.get("build").is_none())
            .filter_map(|(name, s)| {
                let image = s.get("image").and_then(Value::as_str)?;
                (run(&mut engine, &format!("docker pull -q {image}")).0 == 0).then(|| (name.clone(), s.get("healthcheck").is_some()))
            })
            .collect();
        if held.is_empty() {
            continue;
        }
        let names: Vec<&str> = held.iter().map(|(n, _)| n.as_str()).collect();
        let (code, out) = run(&mut engine, &format!("docker compose up -d --no-deps {}", names.join(" ")));
        if code != 0 {
            failures.push(format!("{sample}: up failed: {out}"));
            continue;
        }
        run(&mut engine, "sim advance 2m");
        for (name, checked) in &held {
            let (_, state) = stdout(&mut engine, &format!("docker compose ps -a {name} --format '{{{{.State}}}} {{{{.Health}}}}'"));
            let expected = if *checked { "running healthy" } else { "running " };
            if state.trim_end_matches('\n') != expected {
                failures.push(format!("{sample}/{name}: `{}` (expected `{expected}`)", state.trim_end()));
            }
        }
        brought_up.push(format!("{sample}: {}", names.join(", ")));
    }
    assert!(failures.is_empty(), "{}\n(brought up: {brought_up:?})", failures.join("\n"));
    // The registry holds nginx and postgres (not postgres:alpine, mongo, mariadb, …): these
    // samples use them.
    assert_eq!(
        brought_up,
        [
            "nginx-flask-mongo: web",
            "nginx-golang-mysql: proxy",
            "nginx-golang-postgres: db, proxy",
            "nginx-golang: proxy",
            "postgresql-pgadmin: postgres",
            "spring-postgres: db",
            "wasmedge-mysql-nginx: frontend",
        ]
    );
}
