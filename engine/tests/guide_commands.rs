//! Every docker command line the guides print (`../shared/guides/commands-in-guides.txt`, read at
//! run time) runs against a simulated world that gives its placeholders a meaning — `myapp`,
//! `api`, `db`, `<container>`, `<image>` are built, pulled or started first — and must answer
//! Docker-shaped, never "not modelled", "unsupported" or "command not found".
//!
//! Lines with a pipe (`docker … | grep …`) depend on the host shell's pipes, which another branch
//! adds; this test runs only the part before the first `|` (the guides' current list has none).
//! A `[y/N]` question (prunes without `-f`) is answered `y`; live views end with Ctrl-C and
//! container shells with `exit`.

use engine::{Engine, Outcome};

/// The guides' command list, next to the repository (`/work/shared/guides`).
fn guide_lines() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/guides/commands-in-guides.txt");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .map(|line| line.split('|').next().unwrap_or(line).trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

/// `myapp`: a Python web server on 8000 in an image that carries the network tools the guides
/// run inside it (curl, ss, ping, netstat, nslookup, ps).
const DOCKERFILE: &str = "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl iproute2 iputils-ping net-tools procps dnsutils\nWORKDIR /app\nCOPY . .\nEXPOSE 8000\nCMD [\"python\", \"-m\", \"http.server\", \"8000\"]\n";
const MULTISTAGE: &str = "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY app.py .\nFROM python:3.12-slim\nCOPY --from=build /src /app\nCMD [\"python\", \"/app/app.py\"]\n";
/// The compose project: a Node `api` with tests, `app`, `web` and `db`.
const COMPOSE: &str = "services:\n  api:\n    build: ./api\n    depends_on: [db]\n  app:\n    image: busybox\n    command: sleep 3600\n  web:\n    image: nginx\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: secret\n";
const API_DOCKERFILE: &str = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
const API_PACKAGE: &str = "{\"name\": \"api\", \"version\": \"1.0.0\", \"scripts\": {\"test\": \"echo tests passed\"}}\n";
const API_SERVER: &str = "require('http').createServer((req, res) => res.end('ok')).listen(3000);\n";

fn ok(engine: &mut Engine, line: &str) {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 0, "setup `{line}`:\n{}", outcome.text());
    settle(engine);
}

/// Ends a live view (`logs -f`, attached `run`) and leaves a container shell.
fn settle(engine: &mut Engine) -> Outcome {
    let mut tail = Outcome::default();
    if engine.is_live() {
        tail = engine.tick(2_000);
        if engine.is_live() {
            let stopped = engine.interrupt();
            tail.output.extend(stopped.output);
        }
    }
    if engine.is_asking() {
        let answered = engine.run("y");
        tail.output.extend(answered.output);
        tail.exit_code = answered.exit_code;
    }
    while engine.in_container_shell() {
        let left = engine.run("exit");
        tail.output.extend(left.output);
    }
    tail
}

/// A machine in `~/myapp` with the guides' images built or pulled, their containers running,
/// networks, volumes and a compose project up.
fn world() -> Engine {
    let mut engine = Engine::new(42);
    let files = format!(
        "mkdir -p ~/myapp/data ~/myapp/api && cd ~/myapp && cat > Dockerfile <<'EOF'\n{DOCKERFILE}EOF\ncat > Dockerfile.multistage <<'EOF'\n{MULTISTAGE}EOF\ncat > compose.yaml <<'EOF'\n{COMPOSE}EOF\ncat > api/Dockerfile <<'EOF'\n{API_DOCKERFILE}EOF\ncat > api/package.json <<'EOF'\n{API_PACKAGE}EOF\ncat > api/server.js <<'EOF'\n{API_SERVER}EOF\necho 'print(1)' > app.py && echo secret > ~/.github_token && mkdir -p /home/user/data"
    );
    ok(&mut engine, &files);
    for image in ["python:3.12-slim", "python:3.11-slim", "nginx", "postgres", "postgres:16", "busybox", "alpine", "redis", "hello-world", "node:20-alpine"] {
        ok(&mut engine, &format!("docker pull -q {image}"));
    }
    ok(&mut engine, "docker build -q -t myapp .");
    for tag in ["myapp:1.0", "myapp:1.0.0", "myapp:2.0.0", "my-api:1.0.0", "myapi", "image", "image:tag", "dns-server", "myimage:latest", "test", "name:tag", "my-registry.com/my-api:1.0.0", "yourusername/myapp:1.0.0"] {
        ok(&mut engine, &format!("docker tag myapp {tag}"));
    }
    // Pushing to your own Docker Hub namespace needs a login.
    ok(&mut engine, "docker login -u yourusername -p secret");
    for network in ["my-network", "mynet", "app-network", "myapp-network"] {
        ok(&mut engine, &format!("docker network create {network}"));
    }
    for volume in ["mydata", "myvolume", "postgres_data", "shared", "vol", "myconfig"] {
        ok(&mut engine, &format!("docker volume create {volume}"));
    }
    // On the default bridge (so `.NetworkSettings.IPAddress` is set) and on my-network for DNS.
    for name in ["myapp", "mycontainer", "api-server"] {
        ok(&mut engine, &format!("docker run -d --name {name} myapp"));
        ok(&mut engine, &format!("docker network connect my-network {name}"));
    }
    ok(&mut engine, "docker run -d --name other-container --network my-network myapp python -m http.server 8080");
    ok(&mut engine, "docker run -d --name api --network app-network myapp");
    ok(&mut engine, "docker run -d --name db --network app-network -e POSTGRES_PASSWORD=secret postgres:16");
    ok(&mut engine, "docker run -d --name app -p 8080:80 nginx");
    ok(&mut engine, "docker run -d --name postgres -e POSTGRES_PASSWORD=secret postgres:16");
    ok(&mut engine, "docker run -d --name redis redis");
    ok(&mut engine, "docker exec myapp mkdir -p /data");
    engine
}

/// Placeholders and names that must not collide with what the world already holds.
fn prepare(engine: &mut Engine, line: &str) -> String {
    let line = line
        .replace("<container>", "myapp")
        .replace("<image>", "python:3.11-slim")
        .replace("<service-name>", "other-container")
        .replace("<service>", "other-container")
        .replace("<network>", "mynet")
        .replace("docker stop/start/restart app", "docker restart app");
    let words: Vec<&str> = line.split_whitespace().collect();
    let is_run = line.starts_with("docker run") || line.starts_with("docker create");
    if is_run {
        if let Some(at) = words.iter().position(|w| *w == "--name") {
            if let Some(name) = words.get(at + 1) {
                engine.run(&format!("docker rm -f {name}"));
            }
        }
        // Host ports the world's containers already hold.
        if line.contains("8080:80") {
            engine.run("docker rm -f app");
        }
    }
    if line.starts_with("docker network create") || line.starts_with("docker network rm") {
        // The world made these networks already; free and remove them first (or, for `rm`,
        // only free them).
        let name = words.last().copied().unwrap_or_default();
        let members = engine.run(&format!("docker network inspect -f '{{{{range .Containers}}}}{{{{.Name}}}} {{{{end}}}}' {name}")).text();
        for member in members.split_whitespace() {
            engine.run(&format!("docker network disconnect -f {name} {member}"));
        }
        if line.starts_with("docker network create") {
            engine.run(&format!("docker network rm {name}"));
        }
    }
    if line.starts_with("docker network connect") {
        let name = words.get(3).copied().unwrap_or_default();
        let container = words.get(4).copied().unwrap_or_default();
        engine.run(&format!("docker network disconnect {name} {container}"));
    }
    if line.starts_with("docker service") {
        engine.run("docker swarm init");
        if !line.starts_with("docker service create") {
            engine.run("docker service create --replicas 3 --name myapp -p 8000:8000 myapp:1.0.0");
        }
    }
    if line == "docker start myapp" || line == "docker unpause myapp" {
        engine.run(if line.contains("unpause") { "docker pause myapp" } else { "docker stop myapp" });
    }
    if line == "docker rm myapp" || line == "docker rm app" || line == "docker rm postgres" || line == "docker rm api-server" {
        engine.run(&line.replace("docker rm", "docker stop"));
    }
    if line == "docker rmi my-api:1.0.0" || line == "docker rmi python:3.12-slim" || line == "docker image rm myapp:1.0" {
        // Referenced by no container, so removing the tag is allowed.
    }
    if line.starts_with("docker compose") && !line.starts_with("docker compose up") && !line.starts_with("docker compose build") {
        engine.run("docker compose up -d");
    }
    if line.starts_with("docker diff app") || line.starts_with("docker top app") {
        engine.run("docker exec app touch /tmp/x");
    }
    line
}

/// What no guide line may answer.
const REFUSALS: &[&str] = &["not model", "unsupported", "command not found", "unknown command", "unknown flag", "unknown shorthand"];

#[test]
fn every_guide_command_runs_against_the_simulated_world() {
    let lines = guide_lines();
    assert_eq!(lines.len(), 218, "the guides print 218 docker command lines");
    let base = world().snapshot();
    let mut failures = Vec::new();
    for original in &lines {
        let mut engine = Engine::restore(&base).expect("snapshot restores");
        let line = prepare(&mut engine, original);
        let mut outcome = engine.run(&line);
        let asked = engine.is_asking();
        let tail = settle(&mut engine);
        outcome.output.extend(tail.output);
        if asked {
            outcome.exit_code = tail.exit_code;
        }
        let text = outcome.text();
        // `GUIDE_COMMANDS_SHOW=1 cargo test --test guide_commands -- --nocapture` prints every answer.
        if std::env::var_os("GUIDE_COMMANDS_SHOW").is_some() {
            println!("$ {line}  [exit {}]\n{text}", outcome.exit_code);
        }
        let refused = REFUSALS.iter().find(|r| text.contains(*r));
        // Commands the guides show failing on purpose keep Docker's status; the rest succeed or
        // end on Ctrl-C (130) or a signal from a live view.
        let status_ok = matches!(outcome.exit_code, 0 | 130) || expected_failure(original);
        // Compared word by word: column widths depend on what the world holds.
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let misshapen = shape(&line).is_some_and(|start| !words(&text).starts_with(&words(start)));
        if refused.is_some() || !status_ok || misshapen || text.trim().is_empty() && prints_something(original) {
            failures.push(format!("{original}  [exit {}]\n{}", outcome.exit_code, text));
        }
    }
    let passed = lines.len() - failures.len();
    assert!(failures.is_empty(), "{passed}/{} guide commands pass; failing:\n\n{}", lines.len(), failures.join("\n"));
}

/// Guide lines whose real answer is an error, kept with Docker's status: `curl` to postgres gets
/// an empty reply (52) and `library/myapp` is Docker's own namespace on Docker Hub (denied).
fn expected_failure(line: &str) -> bool {
    ["docker exec api curl http://db:5432", "docker push myapp"].contains(&line)
}

/// How Docker's answer to a guide line begins (its table header, JSON, banner), word by word.
fn shape(line: &str) -> Option<&'static str> {
    let starts = [
        ("docker ps", "CONTAINER ID   IMAGE"),
        ("docker images", "REPOSITORY   TAG"),
        ("docker image ls", "REPOSITORY   TAG"),
        ("docker network ls", "NETWORK ID     NAME"),
        ("docker volume ls", "DRIVER    VOLUME NAME"),
        ("docker system df -v", "Images space usage:"),
        ("docker system df", "TYPE            TOTAL"),
        ("docker history", "IMAGE          CREATED"),
        ("docker info", "Client:"),
        ("docker version", "Client:"),
        ("docker --version", "Docker version 28.2.2"),
        ("docker stats --no-stream", "CONTAINER ID   NAME"),
        ("docker top", "UID"),
        ("docker port", ""),
        ("docker scout cves", "    ✓ SBOM"),
        ("docker service create", ""),
        ("docker network inspect", "[\n    {"),
        ("docker volume inspect mydata", "[\n    {"),
        ("docker swarm init", "Swarm initialized"),
    ];
    if line.starts_with("docker inspect") && !line.contains("--format") {
        return Some("[\n    {");
    }
    starts.iter().find(|(prefix, _)| line.starts_with(prefix)).map(|(_, start)| *start)
}

/// Commands whose success always prints something (lists, inspects, logs of a chatty container).
fn prints_something(line: &str) -> bool {
    ["docker ps", "docker images", "docker image ls", "docker network ls", "docker volume ls", "docker inspect", "docker info", "docker version", "docker --version", "docker system df", "docker history"]
        .iter()
        .any(|p| line.starts_with(p))
}
