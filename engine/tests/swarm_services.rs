//! Swarm mode end to end: services keep their replicas, replace failed tasks, retry rejected
//! ones until the image exists, roll updates one task at a time and pause on a bad image.

use engine::{Engine, Stream};

fn ok(engine: &mut Engine, line: &str) -> String {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 0, "{line}: {}", outcome.text());
    outcome.output.iter().filter(|l| l.stream == Stream::Stdout).map(|l| format!("{}\n", l.text)).collect()
}

fn swarm() -> Engine {
    let mut engine = Engine::new(3);
    ok(&mut engine, "docker swarm init");
    engine
}

/// `docker service ps` rows as (name, desired, current state word).
fn tasks(engine: &mut Engine, service: &str) -> Vec<(String, String, String)> {
    let text = ok(engine, &format!("docker service ps {service}"));
    text.lines()
        .skip(1)
        .map(|line| {
            let name = line[14..].split("   ").next().unwrap_or_default().trim().to_string();
            let words: Vec<&str> = line.split_whitespace().collect();
            let desired_at = words.iter().position(|w| *w == "Running" || *w == "Shutdown").expect("desired state");
            (name, words[desired_at].to_string(), words[desired_at + 1].to_string())
        })
        .collect()
}

#[test]
fn a_failed_task_is_replaced_in_its_slot() {
    let mut engine = swarm();
    let created = engine.run("docker service create --name flaky busybox sh -c 'sleep 2; exit 1'");
    assert_eq!(created.exit_code, 0, "{}", created.text());
    ok(&mut engine, "sim advance 10s");
    let rows = tasks(&mut engine, "flaky");
    assert_eq!(rows[0], ("flaky.1".to_string(), "Running".to_string(), "Running".to_string()));
    assert_eq!(rows[1], ("\\_ flaky.1".to_string(), "Shutdown".to_string(), "Failed".to_string()));
    assert!(ok(&mut engine, "docker service ps flaky").contains("task: non-zero exit (1)"));
}

#[test]
fn a_rejected_task_runs_once_the_image_exists() {
    let mut engine = swarm();
    let created = engine.run("docker service create --replicas 2 --name myapp myapp:1.0.0");
    assert_eq!(created.exit_code, 1);
    assert!(ok(&mut engine, "docker service ls").contains("0/2"));
    ok(&mut engine, "docker pull nginx:alpine");
    ok(&mut engine, "docker tag nginx:alpine myapp:1.0.0");
    ok(&mut engine, "sim advance 10s");
    assert!(ok(&mut engine, "docker service ls").contains("myapp     replicated   2/2"));
    let rows = tasks(&mut engine, "myapp");
    assert_eq!(rows.iter().filter(|(name, _, state)| !name.starts_with("\\_") && state == "Running").count(), 2, "{rows:?}");
    assert!(rows.iter().any(|(name, desired, state)| name.starts_with("\\_") && desired == "Shutdown" && state == "Rejected"), "{rows:?}");
}

#[test]
fn an_update_to_a_missing_image_pauses_after_the_first_task() {
    let mut engine = swarm();
    ok(&mut engine, "docker service create --replicas 3 --name web nginx:alpine");
    let update = engine.run("docker service update --image nginx:nope web");
    assert_eq!(update.exit_code, 1, "{}", update.text());
    // Slot 1 was replaced and its new task refused; slots 2 and 3 still run the old image.
    let rows = tasks(&mut engine, "web");
    let current: Vec<(String, String)> =
        rows.iter().filter(|(name, _, _)| !name.starts_with("\\_")).map(|(name, _, state)| (name.clone(), state.clone())).collect();
    assert_eq!(current, [("web.1".into(), "Rejected".into()), ("web.2".into(), "Running".into()), ("web.3".into(), "Running".into())]);
    let listing = ok(&mut engine, "docker service ps web");
    assert_eq!(listing.matches("nginx:alpine   whalebox   Running").count(), 2, "{listing}");
}

#[test]
fn swarm_state_shows_in_info_inspect_and_survives_a_snapshot() {
    let mut engine = swarm();
    ok(&mut engine, "docker service create --replicas 2 --name web -p 8080:80 nginx:alpine");
    assert!(ok(&mut engine, "docker info").contains(" Swarm: active\n  NodeID: "));
    assert_eq!(ok(&mut engine, "docker service inspect -f '{{.Spec.Mode.Replicated.Replicas}} {{.Spec.TaskTemplate.ContainerSpec.Image}}' web"), "2 nginx:alpine\n");
    let mut restored = Engine::restore(&engine.snapshot()).expect("restores");
    assert!(ok(&mut restored, "curl -s localhost:8080").contains("Welcome to nginx!"));
    ok(&mut restored, "docker swarm leave --force");
    assert_eq!(ok(&mut restored, "docker ps -aq"), "");
    assert!(ok(&mut restored, "docker info").contains(" Swarm: inactive\n"));
    assert_eq!(restored.run("curl -s localhost:8080").exit_code, 7);
}

#[test]
fn service_errors_use_dockers_words() {
    let mut engine = swarm();
    let missing = engine.run("docker service ps nope");
    assert_eq!(missing.exit_code, 1);
    assert_eq!(missing.text(), "Error response from daemon: service nope not found\n");
    let bad = engine.run("docker service scale web");
    assert_eq!(bad.exit_code, 1);
    assert!(bad.text().starts_with("invalid scale specifier 'web'.\n"));
    ok(&mut engine, "docker service create --name web nginx:alpine");
    let twice = engine.run("docker service create --name web nginx:alpine");
    assert!(twice.text().contains("already exists"), "{}", twice.text());
    let help = engine.run("docker service");
    assert_eq!(help.exit_code, 0);
    assert!(help.text().starts_with("\nUsage:  docker service COMMAND") || help.text().starts_with("Usage:  docker service COMMAND"), "{}", help.text());
}
