//! The engine never panics on user input: thousands of scrambled command lines, built from
//! Docker-ish fragments by a fixed generator, all come back as ordinary outcomes.

use engine::Engine;

const FRAGMENTS: &[&str] = &[
    "docker", "run", "ps", "images", "pull", "info", "version", "container", "image", "system",
    "ls", "-a", "-q", "-d", "--rm", "--name", "x", "-it", "-p", "80:80", "--", "-", "--help", "-h",
    "hello-world", "hello-world:latest", "Hello", ":", "@", "sha256:", "'", "\"", "\\", "$?", "#",
    "=", "--name=", "-n", "-1", "--last", "--format", "{{.ID}}", "ünïcödé", "a/b/c:d@e", "🐳",
    "localhost:5000/x", "echo", "history", "clear", "help", "-v", "--version", "-p80", "-ait", "",
];

#[test]
fn scrambled_lines_never_panic() {
    let mut engine = Engine::new(3);
    let mut state: u64 = 0x5EED;
    for _ in 0..5_000 {
        let mut line = String::new();
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let words = 1 + (state >> 60) as usize;
        for _ in 0..words {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let fragment = FRAGMENTS[(state >> 33) as usize % FRAGMENTS.len()];
            if state & 1 == 0 && !line.is_empty() {
                line.push(' ');
            }
            line.push_str(fragment);
        }
        let outcome = engine.run(&line);
        // A blank or comment-only line keeps the previous status silently, as in bash.
        let runs_nothing = line.trim().is_empty() || line.trim_start().starts_with('#');
        assert!(
            runs_nothing || outcome.exit_code == 0 || !outcome.output.is_empty(),
            "`{line}` failed with status {} but said nothing",
            outcome.exit_code
        );
    }
}

const DOCKERFILE_LINES: &[&str] = &[
    "FROM alpine:3.19", "FROM python:3.12-slim AS base", "FROM base", "FROM scratch", "FROM nosuch:1",
    "FROM --platform=linux/arm64 alpine:3.19", "RUN echo hi", "RUN apt-get install -y curl", "RUN apk add --no-cache curl",
    "RUN pip install flask", "RUN exit 3", "RUN --mount=type=cache,target=/root/.cache true",
    "RUN --mount=type=secret,id=token cat /run/secrets/token", "RUN --mount=type=bind,source=.,target=/src ls /src",
    "COPY . /app/", "COPY missing.txt .", "COPY --from=base /etc/os-release /", "COPY --from=0 / /x",
    "COPY --chown=nobody:nogroup a.txt /a", "COPY --chown=ghost a.txt /a", "ADD a.txt /b", "WORKDIR /app", "WORKDIR $NOPE/x",
    "ENV A=1 B=\"two words\"", "ARG V=1", "ARG V", "USER nobody", "USER 1000:1000", "EXPOSE 80 443/udp",
    "VOLUME /data", "CMD [\"sh\"]", "CMD echo $A", "ENTRYPOINT [\"/bin/sh\", \"-c\"]", "HEALTHCHECK CMD true",
    "HEALTHCHECK --interval=bogus CMD true", "SHELL [\"/bin/bash\", \"-c\"]", "STOPSIGNAL SIGINT", "LABEL a=b",
    "ONBUILD RUN echo", "MAINTAINER me", "FORM alpine", "COPY <<EOF /x\nhello\nEOF", "RUN <<EOF\necho hi\nEOF",
    "RUN [\"unterminated\"", "# comment", "", "\\", "ENV", "COPY", "RUN", "FROM",
];

#[test]
fn scrambled_dockerfiles_never_panic() {
    let mut engine = Engine::new(5);
    assert_eq!(engine.run("mkdir p && cd p && echo a > a.txt").exit_code, 0);
    let mut state: u64 = 0xD0C;
    for round in 0..300 {
        let mut dockerfile = String::new();
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let lines = 1 + (state >> 59) as usize;
        for _ in 0..lines {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            dockerfile.push_str(DOCKERFILE_LINES[(state >> 33) as usize % DOCKERFILE_LINES.len()]);
            dockerfile.push('\n');
        }
        engine.run(&format!("cat > Dockerfile <<'END'\n{dockerfile}END"));
        let flags = ["", "--no-cache", "--target base", "--progress=plain", "-q", "--build-arg V=2", "--platform linux/arm64"];
        let outcome = engine.run(&format!("docker build {} -t r{round} .", flags[round % flags.len()]));
        assert!(
            outcome.exit_code == 0 || !outcome.output.is_empty(),
            "a failed build said nothing for:\n{dockerfile}"
        );
        if round % 50 == 0 {
            engine.run("docker builder prune -f");
            engine.run("docker image prune -a -f");
        }
    }
}

/// Container lifecycle verbs, flags and values, mixed so that every transition is tried from
/// every state (running, paused, restarting, exited, removed, inside a container shell).
const LIFECYCLE: &[&str] = &[
    "docker run -d --name c1 busybox sleep 300",
    "docker run -d --name c2 --restart always busybox sh -c 'exit 1'",
    "docker run -d --name c3 --memory 8m busybox tail /dev/zero",
    "docker run -d --name c4 --health-cmd 'false' --health-interval 1s --health-retries 1 busybox sleep infinity",
    "docker run -d --name c5 --init nginx",
    "docker run -it --name c6 alpine sh",
    "docker run --rm busybox echo hi",
    "docker run -d --read-only --cap-drop ALL --name c7 busybox sleep 100",
    "docker create --name c8 busybox true",
    "docker exec -it c1 sh", "docker exec c1 ps aux", "docker exec -d c1 sleep 50", "docker exec c9 ls",
    "docker logs -f c1", "docker logs --tail 2 -t c2", "docker logs --since 1m c5", "docker stats", "docker stats --no-stream -a",
    "docker events", "docker wait c1", "docker top c5", "docker diff c1", "docker inspect c4",
    "docker inspect -f '{{.State.Health.Status}}' c4", "docker inspect -f '{{.Bad' c1", "docker port c5",
    "docker stop -t 1 c1", "docker stop c2", "docker kill -s HUP c5", "docker kill c3", "docker kill -s NOPE c1",
    "docker pause c1", "docker unpause c1", "docker pause c5", "docker restart c1", "docker start c1 c8",
    "docker rm c1", "docker rm -f c2 c3", "docker rename c4 c40", "docker rename c40 c4",
    "docker update --memory 4m c5", "docker update --cpus 0.5 --restart no c5", "docker commit c1 snap",
    "docker cp c1:/etc/hostname .", "docker cp /nope c1:/", "docker container prune -f", "docker system prune -f",
    "docker system df -v", "docker ps -a --filter status=paused --format '{{.Names}}'",
    "sim daemon stop", "sim daemon start", "sim reboot", "sim disk fill 10MB", "sim disk free", "sim advance 90m",
    "sleep 31", "exit", "exit 3", "ls /", "cd /nowhere", "echo $?", "free -h", "ps aux", "curl localhost:80",
];

#[test]
fn scrambled_lifecycles_never_panic() {
    let mut engine = Engine::new(5);
    let mut state: u64 = 0xC0FFEE;
    for _ in 0..1_500 {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let line = LIFECYCLE[(state >> 33) as usize % LIFECYCLE.len()];
        let was_in_shell = engine.in_container_shell();
        let outcome = engine.run(line);
        // Leaving a container shell with a status is the one quiet failure.
        let quiet_exit = was_in_shell && line.starts_with("exit");
        assert!(outcome.exit_code == 0 || !outcome.output.is_empty() || quiet_exit, "`{line}` failed silently");
        // Live views get some time, then sometimes a Ctrl-C.
        if engine.is_live() {
            let _ = engine.tick(((state >> 20) % 5_000) + 1);
            if state & 4 == 0 {
                let _ = engine.interrupt();
            }
        }
    }
    // Whatever state it ended in, the machine still snapshots and restores.
    let saved = engine.snapshot();
    assert!(Engine::restore(&saved).is_ok());
}

const COMPOSE_LINES: &[&str] = &[
    "services:", "  web:", "  db:", "    image: busybox", "    image: nginx:1.25", "    image: ${TAG:?no tag}", "    build: .",
    "    command: sleep 300", "    command: [\"sh\", \"-c\", \"exit 3\"]", "    ports: [\"8080:80\", \"3000-3001:3000-3001\", \"x:y\"]",
    "    ports:", "      - 80", "      - target: 80", "    volumes: [data:/data, ./src:/src:ro, /only]", "    depends_on: [db]",
    "    depends_on:", "      db:", "        condition: service_healthy", "        condition: bogus", "    healthcheck:",
    "      test: [\"CMD\", \"true\"]", "      interval: 1s", "      interval: soon", "    networks: [front]", "    networks:",
    "      front:", "        aliases: [api]", "    environment:", "      - A=1", "      B: 2", "    restart: always", "    scale: 2",
    "    deploy:", "      replicas: 3", "      resources:", "        limits:", "          memory: 64m", "          cpus: '0.5'",
    "    extends: db", "    extends:", "      service: nope", "    profiles: [debug]", "    x-note: &n {a: 1}", "    <<: *n",
    "    <<: *missing", "networks:", "  front:", "    external: true", "volumes:", "  data:", "version: '3'", "name: Bad Name",
    "include: [other.yaml]", "x-base: &base", "  image: busybox", "  foo: !reset", "- list", "\t", ": :", "'", "\"", "{", "[", "&a *a",
];

#[test]
fn scrambled_compose_files_never_panic() {
    let mut engine = Engine::new(9);
    assert_eq!(engine.run("mkdir c && cd c").exit_code, 0);
    let mut state: u64 = 0xC0DE;
    for round in 0..150 {
        let mut file = String::new();
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let count = 2 + (state >> 59) as usize;
        for _ in 0..count {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            file.push_str(COMPOSE_LINES[(state >> 33) as usize % COMPOSE_LINES.len()]);
            file.push('\n');
        }
        let written = engine.run(&format!("cat > compose.yaml <<'YML'\n{file}YML"));
        assert_eq!(written.exit_code, 0);
        let commands: &[&str] = if round % 10 == 0 { &["docker compose config", "docker compose up -d", "docker compose ps -a", "docker compose down"] } else { &["docker compose config"] };
        for command in commands {
            let outcome = engine.run(command);
            assert!(outcome.exit_code == 0 || !outcome.output.is_empty(), "`{command}` on\n{file}failed silently");
        }
    }
}

/// Pipeline pieces: commands, filters with good and bad flags and patterns, pipes, redirections
/// and substitutions, thrown together in any order.
const PIPELINE_FRAGMENTS: &[&str] = &[
    "|", "|&", "||", "&&", ";", "2>&1", ">&2", "> out.txt", ">> out.txt", "< out.txt", "&> all.txt", "2>/dev/null",
    "$(", ")", "'", "\"", "\\", "docker ps", "docker ps -q", "docker images", "docker logs -f w", "docker stats",
    "docker inspect w", "echo", "a b", "cat", "out.txt", "grep", "-E", "-v", "-c", "-o", "-w", "-e", "(a|b)*c",
    "[a", "x\\{2,1\\}", "^", "$", ".*", "wc", "-l", "sort", "-k", "3", "-h", "-n", "-r", "uniq", "-c", "head", "-5",
    "tail", "-n", "+2", "cut", "-d:", "-f", "1-", "tr", "a-z", "A-Z", "sed", "s/a/b/g", "s/x", "1,$d", "/re/p", "awk",
    "'{print $1}'", "-F:", "'NR>1 {s+=$2} END {print s}'", "'{print'", "jq", ".", ".[0]", ".[]", "'.a | keys'", "-r",
    "'select(.x == 1)'", "'.['", "-ü", "-🐳", "é", "xargs", "-r", "docker rm -f", "tee", "column", "-t", "less", "{\"a\":[1,2]}", "",
];

#[test]
fn scrambled_pipelines_never_panic() {
    let mut engine = Engine::new(9);
    engine.run("docker run -d --name w nginx; printf 'a:1\\nb:2\\n' > out.txt");
    let mut state: u64 = 0x917E;
    for _ in 0..3_000 {
        let mut line = String::new();
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let words = 1 + (state >> 60) as usize;
        for _ in 0..words {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let fragment = PIPELINE_FRAGMENTS[(state >> 33) as usize % PIPELINE_FRAGMENTS.len()];
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(fragment);
        }
        let outcome = engine.run(&line);
        assert!((0..=255).contains(&outcome.exit_code), "`{line}` gave status {}", outcome.exit_code);
        if engine.is_live() {
            let _ = engine.interrupt();
        }
    }
    assert_eq!(engine.run("echo still here | wc -l").text(), "1\n");
}
