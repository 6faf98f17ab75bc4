//! Host shell variables: `NAME=value`, `export`, `unset`, `env`/`printenv`, a command's own
//! `NAME=value` prefix, and the client environment they give `docker run -e NAME` and Compose.

use engine::Engine;

fn out(engine: &mut Engine, line: &str) -> String {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 0, "{line}: {}", outcome.text());
    outcome.text()
}

#[test]
fn variables_expand_and_exported_ones_reach_docker() {
    let mut engine = Engine::new(2);
    assert_eq!(out(&mut engine, "NAME=web; echo ${NAME}-1 $NAME"), "web-1 web\n");
    // Not exported: `-e NAME` passes nothing.
    assert_eq!(engine.run("docker run --rm -e NAME busybox printenv NAME").exit_code, 1);
    out(&mut engine, "export NAME TAG=1.0");
    assert_eq!(out(&mut engine, "docker run --rm -e NAME -e TAG busybox printenv NAME TAG"), "web\n1.0\n");
    assert_eq!(out(&mut engine, "printenv TAG"), "1.0\n");
    assert!(out(&mut engine, "export").contains("declare -x TAG=\"1.0\"\n"));
    assert_eq!(out(&mut engine, "FOO=bar docker run --rm -e FOO busybox printenv FOO"), "bar\n");
    assert_eq!(out(&mut engine, "echo \"[$FOO]\""), "[]\n");
    out(&mut engine, "unset NAME");
    assert_eq!(out(&mut engine, "echo \"[$NAME]\""), "[]\n");
    let bad = engine.run("export 1x=2");
    assert_eq!((bad.exit_code, bad.text().as_str()), (1, "bash: export: `1x=2': not a valid identifier\n"));
}

#[test]
fn compose_interpolates_the_exported_environment() {
    let mut engine = Engine::new(2);
    out(&mut engine, "mkdir shop && cd shop");
    out(&mut engine, "cat > compose.yaml <<'YML'\nservices:\n  web:\n    image: nginx:${TAG:-latest}\nYML");
    assert!(out(&mut engine, "docker compose config").contains("image: nginx:latest"));
    out(&mut engine, "export TAG=1.25");
    assert!(out(&mut engine, "docker compose config").contains("image: nginx:1.25"));
    assert!(out(&mut engine, "TAG=alpine docker compose config").contains("image: nginx:alpine"));
}
