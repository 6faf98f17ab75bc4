//! Compose with the volume model: a project's named volumes are created as `<project>_<name>`
//! with Compose's labels, survive `down`, go with `down -v`; external volumes must exist.

use engine::Engine;

fn ok(engine: &mut Engine, line: &str) -> String {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 0, "{line}: {}", outcome.text());
    outcome.text()
}

const COMPOSE: &str = "services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
    volumes:
      - dbdata:/var/lib/postgresql/data
  web:
    image: nginx:alpine
    ports:
      - \"8080:80\"
    volumes:
      - ./site:/usr/share/nginx/html:ro
volumes:
  dbdata:
";

fn shop() -> Engine {
    let mut engine = Engine::new(4);
    ok(&mut engine, "mkdir -p shop/site && cd shop");
    ok(&mut engine, &format!("cat > compose.yaml <<'YML'\n{COMPOSE}YML"));
    ok(&mut engine, "echo hello > site/index.html");
    engine
}

#[test]
fn named_volumes_outlive_down_and_go_with_down_v() {
    let mut engine = shop();
    let up = ok(&mut engine, "docker compose up -d");
    assert!(up.contains(" ✔ Volume \"shop_dbdata\"  Created"), "{up}");
    assert_eq!(
        ok(&mut engine, "docker volume inspect shop_dbdata --format '{{index .Labels \"com.docker.compose.project\"}} {{index .Labels \"com.docker.compose.volume\"}}'"),
        "shop dbdata\n"
    );
    // The bind mount serves the host's file; postgres initialised its data in the volume.
    assert_eq!(ok(&mut engine, "curl -s localhost:8080"), "hello\n");
    assert!(ok(&mut engine, "docker compose exec db ls /var/lib/postgresql/data").contains("PG_VERSION"));
    ok(&mut engine, "docker compose down");
    assert!(ok(&mut engine, "docker volume ls -q").contains("shop_dbdata"));
    let again = ok(&mut engine, "docker compose up -d");
    assert!(!again.contains("Volume"), "an existing volume is reused: {again}");
    let down = ok(&mut engine, "docker compose down -v");
    assert!(down.contains(" ✔ Volume shop_dbdata    Removed"), "{down}");
    assert_eq!(ok(&mut engine, "docker volume ls -q"), "");
}

#[test]
fn an_external_volume_must_exist() {
    let mut engine = shop();
    ok(&mut engine, "cat >> compose.yaml <<'YML'\n    external: true\nYML");
    let up = engine.run("docker compose up -d");
    assert_ne!(up.exit_code, 0);
    assert!(up.text().contains("external volume \"dbdata\" not found"), "{}", up.text());
    ok(&mut engine, "docker volume create dbdata");
    ok(&mut engine, "docker compose up -d");
    ok(&mut engine, "docker compose down -v");
    assert_eq!(ok(&mut engine, "docker volume ls -q"), "dbdata\n");
}
