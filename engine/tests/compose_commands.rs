//! `docker compose` end to end through `Engine::run`: the project's network and containers,
//! DNS between services, `ps`/`logs`/`config`/`down`, one-off `run`/`exec`, depends_on
//! conditions, and the loader's errors as Compose words them.

use engine::{Engine, Outcome, Stream};

fn stdout(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stdout).map(|l| format!("{}\n", l.text)).collect()
}

fn stderr(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stderr).map(|l| format!("{}\n", l.text)).collect()
}

/// A fresh machine with `compose.yaml` written in `~/DIR`, the shell inside it.
fn project(dir: &str, compose: &str) -> Engine {
    let mut engine = Engine::new(11);
    write(&mut engine, dir, compose);
    engine
}

fn write(engine: &mut Engine, dir: &str, compose: &str) {
    let made = engine.run(&format!("mkdir -p ~/{dir} && cd ~/{dir} && cat > compose.yaml <<'YML'\n{compose}YML"));
    assert_eq!(made.exit_code, 0, "{}", made.text());
}

fn ok(engine: &mut Engine, line: &str) -> Outcome {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 0, "{line}:\n{}", outcome.text());
    outcome
}

fn fails(engine: &mut Engine, line: &str) -> String {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 1, "{line} should fail:\n{}", outcome.text());
    stderr(&outcome)
}

const TWO_TIER: &str = "services:\n  web:\n    image: nginx:1.25\n    ports:\n      - \"8080:80\"\n    depends_on:\n      - cache\n  cache:\n    image: redis:7-alpine\n";

#[test]
fn up_creates_the_default_network_and_numbered_containers() {
    let mut engine = project("myapp", TWO_TIER);
    let up = ok(&mut engine, "docker compose up -d");
    let progress = stderr(&up);
    assert!(progress.contains("[+] Running 3/3\n"), "{progress}");
    assert!(progress.contains(" ✔ Network myapp_default    Created"), "{progress}");
    assert!(progress.contains(" ✔ Container myapp-cache-1  Started"), "{progress}");
    assert!(progress.contains(" ✔ Container myapp-web-1    Started"), "{progress}");
    // The dependency starts first.
    assert!(progress.find("myapp-cache-1").unwrap() < progress.find("myapp-web-1").unwrap());
    let names: Vec<&str> = engine.world().containers().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["myapp-cache-1", "myapp-web-1"]);
    let web = engine.world().containers().iter().find(|c| c.name == "myapp-web-1").unwrap();
    assert_eq!(web.config.labels.get("com.docker.compose.project").map(String::as_str), Some("myapp"));
    assert_eq!(web.config.labels.get("com.docker.compose.service").map(String::as_str), Some("web"));
    assert_eq!(web.config.labels.get("com.docker.compose.container-number").map(String::as_str), Some("1"));
    assert_eq!(web.host_config.network_mode, "myapp_default");
    // Ports reach the container as the very strings `docker run -p` takes.
    assert_eq!(web.host_config.port_bindings, ["8080:80"]);
    let network = engine.world().networks().iter().find(|n| n.name == "myapp_default").expect("network");
    assert_eq!(network.endpoints.len(), 2);
    // A second `up` finds everything running.
    let again = ok(&mut engine, "docker compose up -d");
    assert!(stderr(&again).contains(" ✔ Container myapp-web-1    Running"), "{}", again.text());
    assert_eq!(engine.world().containers().len(), 2);
}

#[test]
fn services_resolve_by_name_only_inside_their_project() {
    let mut engine = project("myapp", "services:\n  db:\n    image: busybox\n    command: sleep infinity\n    networks:\n      default:\n        aliases: [database]\n");
    ok(&mut engine, "docker compose up -d");
    let ping = ok(&mut engine, "docker compose run --rm db ping -c 1 database");
    assert!(stdout(&ping).contains("PING database (172.18.0.2)"), "{}", ping.text());
    write(&mut engine, "other", "services:\n  probe:\n    image: busybox\n    command: ping -c 1 db\n");
    ok(&mut engine, "docker compose up -d");
    let logs = ok(&mut engine, "docker compose logs probe");
    assert_eq!(stdout(&logs), "probe-1  | ping: bad address 'db'\n");
    assert!(engine.world().networks().iter().any(|n| n.name == "other_default"));
}

#[test]
fn ps_logs_and_down() {
    let mut engine = project("shop", "services:\n  worker:\n    image: busybox\n    command: sh -c 'echo working; sleep 300'\n");
    ok(&mut engine, "docker compose up -d");
    let ps = ok(&mut engine, "docker compose ps");
    let table = stdout(&ps);
    let lines: Vec<&str> = table.lines().map(str::trim_end).collect();
    assert_eq!(lines[0], "NAME            IMAGE     COMMAND                  SERVICE   CREATED         STATUS         PORTS");
    assert!(lines[1].starts_with("shop-worker-1   busybox   \"sh -c echo working;…\"   worker    3 seconds ago   Up 3 seconds"), "{}", lines[1]);
    assert_eq!(stdout(&ok(&mut engine, "docker compose logs")), "worker-1  | working\n");
    assert_eq!(stdout(&ok(&mut engine, "docker compose logs --no-log-prefix worker")), "working\n");
    let down = ok(&mut engine, "docker compose down");
    assert!(stderr(&down).contains(" ✔ Container shop-worker-1  Removed"), "{}", down.text());
    assert!(stderr(&down).contains(" ✔ Network shop_default     Removed"), "{}", down.text());
    assert!(engine.world().containers().is_empty());
    assert!(!engine.world().networks().iter().any(|n| n.name == "shop_default"));
    assert_eq!(stdout(&ok(&mut engine, "docker compose ps -a")).lines().count(), 1);
}

#[test]
fn config_prints_the_canonical_model() {
    let compose = "name: demo\nservices:\n  web:\n    image: nginx\n    command: nginx -g 'daemon off;'\n    environment:\n      - MODE=prod\n    ports:\n      - 127.0.0.1:8080:80/udp\n    volumes:\n      - data:/data\n      - ./site:/usr/share/nginx/html:ro\nvolumes:\n  data:\n";
    let mut engine = project("app", compose);
    let config = ok(&mut engine, "docker compose config");
    assert_eq!(
        stdout(&config),
        "name: demo\nservices:\n  web:\n    command:\n      - nginx\n      - -g\n      - daemon off;\n    environment:\n      MODE: prod\n    image: nginx\n    networks:\n      default: null\n    ports:\n      - mode: ingress\n        host_ip: 127.0.0.1\n        target: 80\n        published: \"8080\"\n        protocol: udp\n    volumes:\n      - type: volume\n        source: data\n        target: /data\n        volume: {}\n      - type: bind\n        source: /home/learner/app/site\n        target: /usr/share/nginx/html\n        read_only: true\n        bind: {}\nnetworks:\n  default:\n    name: demo_default\nvolumes:\n  data:\n    name: demo_data\n"
    );
    // The named volume reaches `docker run` as `-v demo_data:/data`.
    ok(&mut engine, "docker compose up -d");
    let web = engine.world().containers().iter().find(|c| c.name == "demo-web-1").expect("created");
    assert_eq!(web.host_config.binds, ["demo_data:/data", "/home/learner/app/site:/usr/share/nginx/html:ro"]);
    assert_eq!(stdout(&ok(&mut engine, "docker compose config --services")), "web\n");
    assert!(stdout(&ok(&mut engine, "docker compose config --format json")).contains("\"published\": \"8080\""));
}

#[test]
fn interpolation_and_dotenv() {
    let mut engine = project("envy", "services:\n  app:\n    image: busybox:${TAG:-latest}\n    environment:\n      GREETING: ${GREETING:?set GREETING in .env}\n");
    let missing = fails(&mut engine, "docker compose config");
    assert_eq!(missing, "required variable GREETING is missing a value: set GREETING in .env\n");
    ok(&mut engine, "echo 'GREETING=\"hello world\"' > .env && echo TAG=1.36 >> .env");
    let config = stdout(&ok(&mut engine, "docker compose config"));
    assert!(config.contains("      GREETING: hello world\n"), "{config}");
    assert!(config.contains("    image: busybox:1.36\n"), "{config}");
}

#[test]
fn depends_on_without_health_loses_the_race_and_service_healthy_wins_it() {
    let app = "import os\nimport psycopg2\nconn = psycopg2.connect(os.environ[\"DATABASE_URL\"])\nprint(\"connected\", flush=True)\nwhile True:\n    pass\n";
    let dockerfile = "FROM python:3.12-slim\nRUN pip install psycopg2-binary\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n";
    let racy = "services:\n  app:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://postgres:pw@db:5432/postgres\n    depends_on: [db]\n  db:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_PASSWORD: pw\n";
    let mut engine = project("race", racy);
    ok(&mut engine, &format!("cat > app.py <<'PY'\n{app}PY"));
    ok(&mut engine, &format!("cat > Dockerfile <<'DF'\n{dockerfile}DF"));
    ok(&mut engine, "docker compose up -d");
    let logs = stdout(&ok(&mut engine, "docker compose logs app"));
    assert!(logs.contains("app-1  | psycopg2.OperationalError: connection to server at \"db\" (172.18.0.2), port 5432 failed: Connection refused\n"), "{logs}");
    let app_state = engine.world().containers().iter().find(|c| c.name == "race-app-1").map(|c| c.state.exit_code);
    assert_eq!(app_state, Some(1));
    ok(&mut engine, "docker compose down");
    let healthy = racy.replace("    depends_on: [db]\n", "    depends_on:\n      db:\n        condition: service_healthy\n")
        + "    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n      interval: 1s\n      retries: 10\n";
    write(&mut engine, "race", &healthy);
    let up = ok(&mut engine, "docker compose up -d");
    assert!(stderr(&up).contains(" ✔ Container race-db-1   Healthy"), "{}", up.text());
    assert_eq!(stdout(&ok(&mut engine, "docker compose logs app")), "app-1  | connected\n");
}

#[test]
fn unhealthy_and_failed_dependencies_stop_up() {
    let compose = "services:\n  app:\n    image: busybox\n    command: sleep 300\n    depends_on:\n      setup:\n        condition: service_completed_successfully\n  setup:\n    image: busybox\n    command: sh -c 'echo migrating; exit 3'\n";
    let mut engine = project("jobs", compose);
    let failed = fails(&mut engine, "docker compose up -d");
    assert!(failed.ends_with("service \"setup\" didn't complete successfully: exit 3\n"), "{failed}");
    let no_check = "services:\n  app:\n    image: busybox\n    command: sleep 300\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: busybox\n    command: sleep 300\n";
    write(&mut engine, "jobs2", no_check);
    let failed = fails(&mut engine, "docker compose up -d");
    assert!(failed.ends_with("dependency failed to start: container jobs2-db-1 has no healthcheck configured\n"), "{failed}");
}

#[test]
fn loader_errors_use_composes_words() {
    let mut engine = project("bad", "services:\n  web:\n    image: nginx\n    networks: [x]\n");
    assert_eq!(fails(&mut engine, "docker compose up -d"), "service \"web\" refers to undefined network x: invalid compose project\n");
    write(&mut engine, "bad", "services:\n  web:\n    image: nginx\n    foo: 1\n");
    assert_eq!(fails(&mut engine, "docker compose config"), "validating /home/learner/bad/compose.yaml: services.web additional properties 'foo' not allowed\n");
    write(&mut engine, "bad", "services:\n  web:\n    image: a: b\n");
    assert_eq!(fails(&mut engine, "docker compose config"), "failed to parse /home/learner/bad/compose.yaml: yaml: line 3: mapping values are not allowed in this context\n");
    write(&mut engine, "bad", "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n");
    assert_eq!(fails(&mut engine, "docker compose config"), "dependency cycle detected: a -> b -> a\n");
    write(&mut engine, "bad", "services:\n  a:\n    image: x\n    depends_on: [nope]\n");
    assert_eq!(fails(&mut engine, "docker compose config"), "service \"a\" depends on undefined service \"nope\": invalid compose project\n");
    write(&mut engine, "bad", "version: '3'\nservices:\n  a:\n    image: x\n");
    let warned = ok(&mut engine, "docker compose config --services");
    assert_eq!(stderr(&warned), "WARN[0000] /home/learner/bad/compose.yaml: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion\n");
    assert!(fails(&mut engine, "docker compose -p Bad config").contains("\ninvalid project name \"Bad\": must consist only of lowercase"));
    assert!(fails(&mut engine, "docker compose ps nope").ends_with("\nno such service: nope\n"));
    assert_eq!(fails(&mut engine, "cd / && docker compose ps"), "no configuration file provided: not found\n");
}

#[test]
fn project_names_come_from_flag_env_file_name_then_directory() {
    let mut engine = project("My_Dir.v2", "services:\n  a:\n    image: busybox\n");
    assert!(stdout(&ok(&mut engine, "docker compose config")).starts_with("name: my_dirv2\n"));
    assert!(stdout(&ok(&mut engine, "docker compose -p other config")).starts_with("name: other\n"));
    ok(&mut engine, "echo COMPOSE_PROJECT_NAME=fromenv > .env");
    assert!(stdout(&ok(&mut engine, "docker compose config")).starts_with("name: fromenv\n"));
}

#[test]
fn exec_and_one_off_run() {
    let mut engine = project("tools", "services:\n  box:\n    image: busybox\n    command: sleep infinity\n    environment:\n      ROLE: box\n");
    ok(&mut engine, "docker compose up -d");
    assert_eq!(stdout(&ok(&mut engine, "docker compose exec -T box sh -c 'echo $ROLE'")), "box\n");
    let ran = ok(&mut engine, "docker compose run --rm box echo one-off");
    assert_eq!(stdout(&ran), "one-off\n");
    // `--rm` removed the one-off container; the service container stays.
    let names: Vec<&str> = engine.world().containers().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["tools-box-1"]);
    assert_eq!(fails(&mut engine, "docker compose exec nope ls"), "no such service: nope\n");
}

#[test]
fn scale_and_help() {
    let mut engine = project("many", "services:\n  w:\n    image: busybox\n    command: sleep infinity\n");
    ok(&mut engine, "docker compose up -d --scale w=3");
    let names: Vec<&str> = engine.world().containers().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["many-w-1", "many-w-2", "many-w-3"]);
    ok(&mut engine, "docker compose up -d --scale w=1");
    assert_eq!(engine.world().containers().len(), 1);
    let help = stdout(&ok(&mut engine, "docker compose --help"));
    assert!(help.starts_with("Usage:  docker compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n"), "{help}");
    assert!(help.contains("\n  up          Create and start containers\n"), "{help}");
    let up_help = stdout(&ok(&mut engine, "docker compose up --help"));
    assert!(up_help.starts_with("Usage:  docker compose up [OPTIONS] [SERVICE...]\n\nCreate and start containers\n"));
    assert!(up_help.contains("  -d, --detach "), "{up_help}");
    let bad_flag = engine.run("docker compose up --bogus");
    assert_eq!(bad_flag.exit_code, 125);
    assert!(stderr(&bad_flag).starts_with("unknown flag: --bogus\n"));
}

#[test]
fn logs_follow_and_ls() {
    let mut engine = project("tick", "services:\n  clock:\n    image: busybox\n    command: sh -c 'echo start; sleep 20; echo twenty; sleep 300'\n");
    ok(&mut engine, "docker compose up -d");
    let follow = ok(&mut engine, "docker compose logs -f");
    assert_eq!(stdout(&follow), "clock-1  | start\n");
    assert!(engine.is_live());
    let later = engine.tick(25_000);
    assert_eq!(stdout(&later), "clock-1  | twenty\n");
    engine.interrupt();
    assert!(!engine.is_live());
    let ls = ok(&mut engine, "docker compose ls");
    assert_eq!(stdout(&ls), "NAME      STATUS       CONFIG FILES\ntick      running(1)   /home/learner/tick/compose.yaml\n");
}

#[test]
fn networks_separate_tiers_and_a_service_can_join_several() {
    let compose = "services:\n  web:\n    image: busybox\n    command: sleep infinity\n    networks: [front]\n  app:\n    image: busybox\n    command: sleep infinity\n    networks:\n      front:\n      back:\n        aliases: [api]\n  db:\n    image: busybox\n    command: sleep infinity\n    networks: [back]\nnetworks:\n  front:\n  back:\n";
    let mut engine = project("tiers", compose);
    ok(&mut engine, "docker compose up -d");
    assert!(engine.world().networks().iter().any(|n| n.name == "tiers_front"));
    assert!(engine.world().networks().iter().any(|n| n.name == "tiers_back"));
    assert!(stdout(&ok(&mut engine, "docker compose exec -T app ping -c 1 web")).contains("1 packets received"));
    assert!(stdout(&ok(&mut engine, "docker compose exec -T app ping -c 1 db")).contains("1 packets received"));
    assert!(stdout(&ok(&mut engine, "docker compose exec -T db ping -c 1 api")).contains("1 packets received"));
    let isolated = engine.run("docker compose exec -T web ping -c 1 db");
    assert_eq!((isolated.exit_code, stderr(&isolated)), (1, "ping: bad address 'db'\n".to_string()));
    // A restart rejoins every network of the service.
    ok(&mut engine, "docker compose restart app");
    assert!(stdout(&ok(&mut engine, "docker compose exec -T app ping -c 1 db")).contains("1 packets received"));
    assert!(stdout(&ok(&mut engine, "docker compose exec -T db ping -c 1 api")).contains("1 packets received"));
}

#[test]
fn extends_and_include() {
    let mut engine = project("ext", "include:\n  - lib/db.yaml\nservices:\n  base:\n    image: busybox\n    environment:\n      A: '1'\n  web:\n    extends: base\n    command: sleep 300\n    environment:\n      B: '2'\n");
    ok(&mut engine, "mkdir lib && printf 'services:\\n  db:\\n    image: redis:7-alpine\\n    env_file: [db.env]\\n' > lib/db.yaml && echo ROLE=db > lib/db.env");
    let config = stdout(&ok(&mut engine, "docker compose config"));
    assert!(config.contains("  web:\n    command:\n      - sleep\n      - \"300\"\n    environment:\n      A: \"1\"\n      B: \"2\"\n"), "{config}");
    // The included file's relative paths resolve next to it.
    assert!(config.contains("    environment:\n      ROLE: db\n    env_file:\n      - path: /home/learner/ext/lib/db.env\n"), "{config}");
    write(&mut engine, "ext", "services:\n  a:\n    extends: b\n  b:\n    extends: a\n");
    assert_eq!(
        fails(&mut engine, "docker compose config"),
        "Circular reference:\n  a in /home/learner/ext/compose.yaml\n  extends b in /home/learner/ext/compose.yaml\n  extends a in /home/learner/ext/compose.yaml\n"
    );
    write(&mut engine, "ext", "services:\n  a:\n    extends: nope\n");
    assert_eq!(fails(&mut engine, "docker compose config"), "cannot extend service \"a\" in /home/learner/ext/compose.yaml: service \"nope\" not found\n");
}

#[test]
fn override_files_merge_with_reset_and_override_tags() {
    let mut engine = project("ov", "services:\n  web:\n    image: nginx\n    ports: [\"8080:80\"]\n    environment:\n      A: '1'\n    command: [nginx, -g, daemon off;]\n");
    ok(&mut engine, "printf 'services:\\n  web:\\n    environment:\\n      B: \"2\"\\n    ports: !reset []\\n' > compose.override.yaml");
    let config = stdout(&ok(&mut engine, "docker compose config"));
    assert!(config.contains("    environment:\n      A: \"1\"\n      B: \"2\"\n"), "{config}");
    assert!(!config.contains("ports"), "{config}");
    ok(&mut engine, "printf 'services:\\n  web:\\n    command: !override [nginx]\\n    image: nginx:1.25\\n' > prod.yaml");
    let config = stdout(&ok(&mut engine, "docker compose -f compose.yaml -f prod.yaml config"));
    assert!(config.contains("    command:\n      - nginx\n    environment:"), "{config}");
    assert!(config.contains("    image: nginx:1.25\n"), "{config}");
    assert!(config.contains("published: \"8080\""), "-f leaves compose.override.yaml out: {config}");
}

#[test]
fn client_environment_and_env_file_flag() {
    let mut engine = project("vars", "services:\n  a:\n    image: busybox\n    working_dir: ${HOME}/work\n    environment:\n      WHO: ${USER}\n      STAGE: ${STAGE:-dev}\n");
    let config = stdout(&ok(&mut engine, "docker compose config"));
    assert!(config.contains("      STAGE: dev\n      WHO: learner\n"), "{config}");
    assert!(config.contains("    working_dir: /home/learner/work\n"), "{config}");
    ok(&mut engine, "echo STAGE=prod > prod.env");
    let config = stdout(&ok(&mut engine, "docker compose --env-file prod.env config"));
    assert!(config.contains("      STAGE: prod\n"), "{config}");
    assert_eq!(fails(&mut engine, "docker compose --env-file nope.env config"), "couldn't find env file: /home/learner/vars/nope.env\n");
}

#[test]
fn config_and_version_work_while_the_daemon_is_down() {
    let mut engine = project("off", "services:\n  a:\n    image: busybox\n");
    ok(&mut engine, "sim daemon stop");
    assert_eq!(stdout(&ok(&mut engine, "docker compose config --services")), "a\n");
    assert_eq!(stdout(&ok(&mut engine, "docker compose version")), "Docker Compose version v2.36.2\n");
    let up = engine.run("docker compose up -d");
    assert_eq!((up.exit_code, stderr(&up)), (1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n".to_string()));
}

#[test]
fn run_on_a_fresh_project_creates_its_network() {
    let mut engine = project("fresh", "services:\n  box:\n    image: busybox\n");
    let ran = ok(&mut engine, "docker compose run --rm box hostname -i");
    assert!(stderr(&ran).contains(" ✔ Network fresh_default  Created"), "{}", ran.text());
    assert_eq!(stdout(&ran), "172.18.0.2\n");
    assert!(engine.world().containers().is_empty());
}

#[test]
fn a_changed_service_is_recreated_an_unchanged_one_kept() {
    let mut engine = project("re", "services:\n  a:\n    image: busybox\n    command: sleep 300\n  b:\n    image: busybox\n    command: sleep 300\n");
    ok(&mut engine, "docker compose up -d");
    let before: Vec<String> = engine.world().containers().iter().map(|c| c.id.clone()).collect();
    write(&mut engine, "re", "services:\n  a:\n    image: busybox\n    command: sleep 300\n    environment:\n      NEW: '1'\n  b:\n    image: busybox\n    command: sleep 300\n");
    let up = ok(&mut engine, "docker compose up -d");
    assert!(stderr(&up).contains(" ✔ Container re-a-1  Started"), "{}", up.text());
    assert!(stderr(&up).contains(" ✔ Container re-b-1  Running"), "{}", up.text());
    let a = engine.world().containers().iter().find(|c| c.name == "re-a-1").expect("recreated");
    assert!(!before.contains(&a.id));
    assert!(a.config.env.iter().any(|e| e == "NEW=1"));
    let b = engine.world().containers().iter().find(|c| c.name == "re-b-1").expect("kept");
    assert!(before.contains(&b.id));
}

#[test]
fn build_and_pull() {
    let mut engine = project("bp", "services:\n  app:\n    build:\n      context: .\n      args:\n        GREETING: hi\n  cache:\n    image: redis:7-alpine\n");
    ok(&mut engine, "printf 'FROM busybox\\nARG GREETING\\nRUN echo $GREETING > /greeting\\nCMD [\"cat\", \"/greeting\"]\\n' > Dockerfile");
    let built = ok(&mut engine, "docker compose build");
    assert!(stderr(&built).contains("FINISHED"), "{}", built.text());
    let images = stdout(&ok(&mut engine, "docker images"));
    assert!(images.contains("\nbp-app       latest "), "{images}");
    let pulled = ok(&mut engine, "docker compose pull");
    assert!(stderr(&pulled).contains(" ✔ cache  Pulled"), "{}", pulled.text());
    assert!(!stderr(&pulled).contains("app"), "built-only services are not pulled: {}", pulled.text());
    let up = ok(&mut engine, "docker compose up -d");
    assert!(!stderr(&up).contains("Building"), "an image already built is reused: {}", up.text());
    assert_eq!(stdout(&ok(&mut engine, "docker compose logs --no-log-prefix app")), "hi\n");
}

#[test]
fn profiles_leave_services_out_until_enabled() {
    let mut engine = project("prof", "services:\n  app:\n    image: busybox\n    command: sleep 300\n  debug:\n    image: busybox\n    command: sleep 300\n    profiles: [tools]\n");
    assert_eq!(stdout(&ok(&mut engine, "docker compose config --services")), "app\n");
    assert_eq!(stdout(&ok(&mut engine, "docker compose --profile tools config --services")), "app\ndebug\n");
    assert_eq!(stdout(&ok(&mut engine, "docker compose config --profiles")), "tools\n");
    ok(&mut engine, "echo COMPOSE_PROFILES=tools > .env");
    assert_eq!(stdout(&ok(&mut engine, "docker compose config --services")), "app\ndebug\n");
    ok(&mut engine, "rm .env");
    ok(&mut engine, "docker compose up -d debug");
    let names: Vec<&str> = engine.world().containers().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["prof-debug-1"]);
}

#[test]
fn scale_rules_follow_compose_go() {
    let mut engine = project("sc", "services:\n  a:\n    image: busybox\n    container_name: fixed\n    deploy:\n      replicas: 2\n");
    assert_eq!(fails(&mut engine, "docker compose config"), "services.deploy.replicas: can't set container_name and a as container name must be unique: invalid compose project\n");
    write(&mut engine, "sc", "services:\n  a:\n    image: busybox\n    scale: 2\n    deploy:\n      replicas: 3\n");
    assert_eq!(fails(&mut engine, "docker compose config"), "services.a: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project\n");
    write(&mut engine, "sc", "services:\n  a:\n    image: busybox\n    command: sleep 300\n    container_name: fixed\n");
    assert_eq!(fails(&mut engine, "docker compose up -d --scale a=2"), "services.scale: can't set container_name and a as container name must be unique: invalid compose project\n");
}

#[test]
fn service_options_reach_the_container_like_docker_run_flags() {
    let compose = "services:\n  api:\n    image: busybox\n    command: sleep 300\n    user: '1000'\n    read_only: true\n    tmpfs: [/tmp]\n    init: true\n    hostname: api-host\n    working_dir: /srv\n    stop_signal: SIGINT\n    stop_grace_period: 30s\n    restart: on-failure:3\n    mem_limit: 256m\n    cpus: 0.5\n    labels:\n      team: payments\n    expose: ['9000']\n    secrets: [db_password]\n    configs:\n      - source: settings\n        target: /etc/settings.ini\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 5s\n      retries: 2\nsecrets:\n  db_password:\n    file: ./db_password.txt\nconfigs:\n  settings:\n    file: ./settings.ini\n";
    let mut engine = project("opts", compose);
    ok(&mut engine, "echo s3cret > db_password.txt && echo '[x]' > settings.ini");
    ok(&mut engine, "docker compose up -d");
    let api = engine.world().containers().iter().find(|c| c.name == "opts-api-1").expect("created");
    assert_eq!(api.config.user, "1000");
    assert!(api.host_config.readonly_rootfs && api.host_config.init);
    assert!(api.host_config.tmpfs.contains_key("/tmp"));
    assert_eq!(api.config.hostname, "api-host");
    assert_eq!(api.config.working_dir, "/srv");
    assert_eq!(api.config.stop_signal.as_deref(), Some("SIGINT"));
    assert_eq!(api.config.stop_timeout, Some(30));
    assert_eq!((api.host_config.restart_policy.name.as_str(), api.host_config.restart_policy.maximum_retry_count), ("on-failure", 3));
    assert_eq!(api.host_config.memory, 256 << 20);
    assert_eq!(api.host_config.nano_cpus, 500_000_000);
    assert_eq!(api.config.labels.get("team").map(String::as_str), Some("payments"));
    assert!(api.config.exposed_ports.contains("9000/tcp"));
    assert_eq!(
        api.host_config.binds,
        ["/home/learner/opts/db_password.txt:/run/secrets/db_password:ro", "/home/learner/opts/settings.ini:/etc/settings.ini:ro"]
    );
    let health = api.config.healthcheck.as_ref().expect("healthcheck");
    assert_eq!((health.test.clone(), health.interval, health.retries), (vec!["CMD".to_string(), "true".to_string()], 5_000, 2));
}

#[test]
fn an_external_network_joins_two_projects() {
    let shared = "networks:\n  shared:\n    external: true\n";
    let mut engine = project("one", &format!("services:\n  api:\n    image: busybox\n    command: sleep infinity\n    networks: [shared]\n{shared}"));
    // Images come first (compose pulls before it creates networks), then the missing network stops it.
    assert!(fails(&mut engine, "docker compose up -d").ends_with("\nnetwork shared declared as external, but could not be found\n"));
    ok(&mut engine, "docker network create shared");
    ok(&mut engine, "docker compose up -d");
    write(&mut engine, "two", &format!("services:\n  client:\n    image: busybox\n    command: ping -c 1 api\n    networks: [shared]\n{shared}"));
    ok(&mut engine, "docker compose up -d");
    assert!(stdout(&ok(&mut engine, "docker compose logs client")).contains("client-1  | 1 packets transmitted, 1 packets received"));
    // `down` leaves an external network alone.
    ok(&mut engine, "docker compose down");
    assert!(engine.world().networks().iter().any(|n| n.name == "shared"));
}

#[test]
fn run_keeps_a_list_entrypoint_before_the_command() {
    let mut engine = project("ep", "services:\n  box:\n    image: busybox\n    entrypoint: [\"sh\", \"-c\"]\n    command: [\"echo from-service\"]\n");
    assert_eq!(stdout(&ok(&mut engine, "docker compose run --rm box 'echo one-off'")), "one-off\n");
    ok(&mut engine, "docker compose up -d");
    assert_eq!(stdout(&ok(&mut engine, "docker compose logs --no-log-prefix box")), "from-service\n");
}

#[test]
fn exit_code_from_stops_the_project_and_returns_the_status() {
    let mut engine = project("ci", "services:\n  tests:\n    image: busybox\n    command: sh -c 'sleep 2; echo 1 failed; exit 3'\n    depends_on: [db]\n  db:\n    image: busybox\n    command: sleep infinity\n");
    let up = engine.run("docker compose up --exit-code-from tests");
    let mut out = up.text();
    let mut code = up.exit_code;
    if engine.is_live() {
        let later = engine.tick(30_000);
        out.push_str(&later.text());
        code = later.exit_code;
    }
    assert!(!engine.is_live(), "{out}");
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("tests-1  | 1 failed\ntests-1 exited with code 3\nAborting on container exit...\n"), "{out}");
    assert!(engine.world().containers().iter().all(|c| !c.is_running()), "{out}");
}

#[test]
fn force_and_no_recreate() {
    let mut engine = project("fr", "services:\n  a:\n    image: busybox\n    command: sleep 300\n");
    ok(&mut engine, "docker compose up -d");
    let first = engine.world().containers()[0].id.clone();
    let forced = ok(&mut engine, "docker compose up -d --force-recreate");
    assert!(stderr(&forced).contains(" ✔ Container fr-a-1  Started"), "{}", forced.text());
    let second = engine.world().containers()[0].id.clone();
    assert_ne!(first, second);
    write(&mut engine, "fr", "services:\n  a:\n    image: busybox\n    command: sleep 600\n");
    ok(&mut engine, "docker compose up -d --no-recreate");
    assert_eq!(engine.world().containers()[0].id, second);
    assert_eq!(fails(&mut engine, "docker compose up -d --force-recreate --no-recreate"), "--force-recreate and --no-recreate are incompatible\n");
}

#[test]
fn a_dependency_left_out_by_profiles() {
    let mut engine = project("dp", "services:\n  web:\n    image: busybox\n    depends_on: [db]\n  db:\n    image: busybox\n    profiles: [data]\n");
    assert_eq!(fails(&mut engine, "docker compose config"), "service \"web\" depends on undefined service \"db\": invalid compose project\n");
    assert_eq!(stdout(&ok(&mut engine, "docker compose --profile data config --services")), "db\nweb\n");
    write(&mut engine, "dp", "services:\n  web:\n    image: busybox\n    depends_on:\n      db:\n        condition: service_started\n        required: false\n  db:\n    image: busybox\n    profiles: [data]\n");
    assert_eq!(stdout(&ok(&mut engine, "docker compose config --services")), "web\n");
}

#[test]
fn create_kill_and_rm() {
    let mut engine = project("krm", "services:\n  a:\n    image: busybox\n    command: sleep 300\n");
    let created = ok(&mut engine, "docker compose create");
    assert!(stderr(&created).contains(" ✔ Container krm-a-1    Created"), "{}", created.text());
    assert_eq!(engine.world().containers()[0].state.status.as_str(), "created");
    ok(&mut engine, "docker compose start");
    let killed = ok(&mut engine, "docker compose kill");
    assert!(stderr(&killed).contains(" ✔ Container krm-a-1  Killed"), "{}", killed.text());
    assert_eq!(engine.world().containers()[0].state.exit_code, 137);
    let removed = ok(&mut engine, "docker compose rm -f");
    assert!(stderr(&removed).contains(" ✔ Container krm-a-1  Removed"), "{}", removed.text());
    assert!(engine.world().containers().is_empty());
    assert_eq!(stdout(&ok(&mut engine, "docker compose rm -f")), "No stopped containers\n");
}
