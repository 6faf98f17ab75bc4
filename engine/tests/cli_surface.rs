//! The docker CLI's surface as the real 28.2.2 client shows it without a daemon: management
//! aliases under their own names, `--help` and flag errors for every command — modelled or not —
//! and a plain "not modelled" only after the grammar is satisfied.

use engine::{Engine, Outcome, Stream};

fn stdout(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stdout).map(|l| format!("{}\n", l.text)).collect()
}

fn stderr(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stderr).map(|l| format!("{}\n", l.text)).collect()
}

#[test]
fn management_aliases_speak_under_the_typed_name() {
    let mut engine = Engine::new(1);
    // Recorded: `docker container ls --foo` (status 125).
    let bad = engine.run("docker container ls --foo");
    assert_eq!(bad.exit_code, 125);
    assert_eq!(stderr(&bad), "unknown flag: --foo\n\nUsage:  docker container ls [OPTIONS]\n\nRun 'docker container ls --help' for more information\n");
    let help = engine.run("docker container list --help");
    assert!(stdout(&help).starts_with("Usage:  docker container ls [OPTIONS]\n\nList containers\n\nAliases:\n"));
    assert!(stdout(&engine.run("docker ps --help")).starts_with("Usage:  docker ps [OPTIONS]\n"));
    assert_eq!(engine.run("docker image ls").exit_code, 0);
    assert!(stdout(&engine.run("docker image rm --help")).starts_with("Usage:  docker image rm [OPTIONS] IMAGE [IMAGE...]\n"));
    assert_eq!(stderr(&engine.run("docker image rm")).lines().next(), Some("docker: 'docker image rm' requires at least 1 argument"));
}

#[test]
fn unmodelled_commands_still_answer_help_and_flag_errors() {
    let mut engine = Engine::new(1);
    let help = engine.run("docker attach --help");
    assert_eq!(help.exit_code, 0);
    assert!(stdout(&help).starts_with("Usage:  docker attach [OPTIONS] CONTAINER\n\nAttach local standard input"));
    // Recorded: `docker plugin ls --bogus`.
    let bad = engine.run("docker plugin ls --bogus");
    assert_eq!((stderr(&bad).as_str(), bad.exit_code), ("unknown flag: --bogus\n\nUsage:  docker plugin ls [OPTIONS]\n\nRun 'docker plugin ls --help' for more information\n", 125));
    // A management command alone prints its help on stderr and succeeds.
    let group = engine.run("docker trust");
    assert_eq!((stdout(&group).as_str(), group.exit_code), ("", 0));
    assert!(stderr(&group).starts_with("Usage:  docker trust COMMAND\n"));
    assert!(stdout(&engine.run("docker trust key generate --help")).starts_with("Usage:  docker trust key generate NAME\n"));
    // Recorded: `docker container bogus` (status 1).
    let unknown = engine.run("docker checkpoint bogus");
    assert_eq!((stderr(&unknown).as_str(), unknown.exit_code), ("docker: unknown command: docker checkpoint bogus\n\nUsage:  docker checkpoint\n\nRun 'docker checkpoint --help' for more information\n", 1));
    let plain = engine.run("docker plugin ls");
    assert_eq!(plain.exit_code, 1);
    assert!(stderr(&plain).contains("'docker plugin ls' is a real Docker command that this simulator does not model yet"));
}

#[test]
fn every_command_docker_lists_answers_help() {
    let mut engine = Engine::new(1);
    let top = stdout(&engine.run("docker --help"));
    let commands: Vec<String> = top
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && !l.trim_start().starts_with('-'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert_eq!(commands.len(), 57);
    for command in commands {
        let help = engine.run(&format!("docker {command} --help"));
        assert_eq!(help.exit_code, 0, "docker {command} --help");
        assert!(stdout(&help).starts_with("Usage:  docker "), "docker {command} --help:\n{}", help.text());
    }
}

#[test]
fn save_load_and_export_go_through_the_learners_files() {
    let mut engine = Engine::new(3);
    assert_eq!(engine.run("docker pull -q busybox").exit_code, 0);
    // Recorded from the CLI with stdout on a terminal.
    let refused = engine.run("docker save busybox");
    assert_eq!((stderr(&refused).as_str(), refused.exit_code), ("cowardly refusing to save to a terminal. Use the -o flag or redirect\n", 1));
    let bad_dir = engine.run("docker save -o /nope/x.tar busybox");
    assert_eq!(stderr(&bad_dir), "failed to save image: invalid output path: stat /nope: no such file or directory\n");
    assert_eq!(engine.run("docker save -o bb.tar busybox").text(), "");
    let id = engine.world().find_image("busybox").map(|i| i.id.clone()).expect("pulled");
    assert_eq!(engine.run("docker rmi busybox").exit_code, 0);
    assert!(engine.world().find_image("busybox").is_none());
    assert_eq!(stdout(&engine.run("docker load -i bb.tar")), "Loaded image: busybox:latest\n");
    assert_eq!(engine.world().find_image("busybox").map(|i| i.id.clone()), Some(id));
    // The loaded image runs; its container's filesystem exports with the container's change.
    assert_eq!(engine.run("docker run --name c1 busybox sh -c 'echo hi > /hello.txt'").exit_code, 0);
    assert_eq!(engine.run("docker export -o c1.tar c1").exit_code, 0);
    assert!(engine.run("ls").text().contains("c1.tar"));
    let listed = engine.run("docker run --rm -v $(pwd):/b busybox tar tf /b/c1.tar").text();
    assert!(listed.starts_with("bin/\nbin/addgroup\n") && listed.contains("\nhello.txt\n"), "{listed}");
    let image = engine.run("docker save -o bb.tar busybox && docker run --rm -v $(pwd):/b busybox tar tf /b/bb.tar").text();
    assert!(image.starts_with("blobs/\nblobs/sha256/\nblobs/sha256/") && image.ends_with("manifest.json\noci-layout\n"), "{image}");
    let missing = engine.run("docker load -i nope.tar");
    assert_eq!((stderr(&missing).as_str(), missing.exit_code), ("open nope.tar: no such file or directory\n", 1));
}

#[test]
fn login_opens_your_own_namespace_on_docker_hub() {
    let mut engine = Engine::new(3);
    assert_eq!(engine.run("docker pull -q busybox").exit_code, 0);
    assert_eq!(engine.run("docker tag busybox alice/tools:1").exit_code, 0);
    let denied = engine.run("docker push alice/tools:1");
    assert_eq!(denied.exit_code, 1);
    assert!(stderr(&denied).ends_with("denied: requested access to the resource is denied\n"));
    let login = engine.run("docker login -u alice -p secret");
    assert_eq!((stdout(&login).as_str(), login.exit_code), ("Login Succeeded\n", 0));
    assert!(stderr(&login).starts_with("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"));
    let pushed = engine.run("docker push alice/tools:1");
    assert_eq!(pushed.exit_code, 0, "{}", pushed.text());
    // Docker's own namespace stays closed to everyone.
    assert_eq!(engine.run("docker push busybox").exit_code, 1);
    assert_eq!(stdout(&engine.run("docker logout")), "Removing login credentials for https://index.docker.io/v1/\n");
    assert_eq!(engine.run("docker push alice/tools:1").exit_code, 1);
}

#[test]
fn scout_reports_a_local_image_and_its_base() {
    let mut engine = Engine::new(3);
    assert_eq!(engine.run("docker pull -q busybox").exit_code, 0);
    assert_eq!(engine.run("mkdir app && cd app && printf 'FROM busybox\\nRUN echo x > /x\\n' > Dockerfile && docker build -q -t mine .").exit_code, 0);
    let quick = engine.run("docker scout quickview mine");
    assert_eq!(quick.exit_code, 0);
    assert!(stdout(&quick).contains("  Base image │  busybox:latest"), "{}", quick.text());
    let cves = engine.run("docker scout cves mine");
    assert!(stdout(&cves).contains("    vulnerabilities │    0C     0H     0M     0L"), "{}", cves.text());
    assert!(stderr(&cves).contains("publishes no vulnerability advisories"));
    assert_eq!(engine.run("docker scout cves nosuch").exit_code, 1);
}

#[test]
fn search_lists_the_simulated_hubs_repositories() {
    let mut engine = Engine::new(3);
    let found = engine.run("docker search py");
    assert_eq!(
        stdout(&found),
        "NAME      DESCRIPTION                                     STARS     OFFICIAL\n\
         python    Python is an interpreted, interactive, objec…   0         [OK]\n"
    );
    assert_eq!(stdout(&engine.run("docker search --limit 1 --format '{{.Name}} {{.IsOfficial}}' gin")), "nginx true\n");
    let usage = engine.run("docker search");
    assert_eq!((stderr(&usage).lines().next(), usage.exit_code), (Some("docker: 'docker search' requires 1 argument"), 1));
}

#[test]
fn buildx_answers_as_a_group() {
    let mut engine = Engine::new(3);
    let alone = engine.run("docker buildx");
    assert_eq!(alone.exit_code, 0);
    assert!(stderr(&alone).starts_with("Usage:  docker buildx [OPTIONS] COMMAND\n"));
    let ls = engine.run("docker buildx ls");
    assert!(stderr(&ls).contains("'docker buildx ls' is a real Docker command that this simulator does not model yet"));
    assert!(stdout(&engine.run("docker buildx build --help")).starts_with("Usage:  docker buildx build [OPTIONS] PATH | URL | -\n"));
}

#[test]
fn list_commands_take_go_template_formats() {
    let mut engine = Engine::new(3);
    assert_eq!(engine.run("docker pull -q busybox").exit_code, 0);
    assert_eq!(engine.run("docker tag busybox mine:1").exit_code, 0);
    assert_eq!(stdout(&engine.run("docker images --format '{{.Repository}}:{{.Tag}}'")), "busybox:latest\nmine:1\n");
    assert_eq!(stdout(&engine.run("docker image ls --format 'table {{.Repository}}\\t{{.Size}}' mine")), "REPOSITORY   SIZE\nmine         4.26MB\n");
    let json = stdout(&engine.run("docker images --format json mine"));
    assert!(json.contains("\"Digest\":\"\\u003cnone\\u003e\""), "{json}");
    assert_eq!(stdout(&engine.run("docker network ls --format '{{.Name}}/{{.Driver}}'")), "bridge/bridge\nhost/host\nnone/null\n");
    // Recorded from docker 28.2.2 against a daemon.
    let bad = engine.run("docker images --format '{{.Foo}}'");
    assert_eq!(stderr(&bad), "template parsing error: template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext\n");
    let bad = engine.run("docker network ls --format '{{.Foo}}'");
    assert_eq!(stderr(&bad), "template parsing error: template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *network.networkContext\n");
    assert_eq!(engine.run("docker run -d --name web busybox sleep 100").exit_code, 0);
    let bad = engine.run("docker ps --format '{{.Foo}}'");
    assert_eq!(stderr(&bad), "failed to execute template: template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext\n");
}

#[test]
fn argument_counts_follow_the_recorded_cli() {
    let mut engine = Engine::new(1);
    // Recorded with docker 28.2.2: `docker attach`, `docker commit`, `docker cp` with no arguments.
    let attach = engine.run("docker attach");
    assert_eq!((stderr(&attach).as_str(), attach.exit_code), ("docker: 'docker attach' requires 1 argument\n\nUsage:  docker attach [OPTIONS] CONTAINER\n\nRun 'docker attach --help' for more information\n", 1));
    let commit = engine.run("docker commit");
    assert_eq!(stderr(&commit), "docker: 'docker commit' requires at least 1 and at most 2 arguments\n\nUsage:  docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n\nRun 'docker commit --help' for more information\n");
    let cp = engine.run("docker cp");
    assert_eq!(stderr(&cp), "docker: 'docker cp' requires 2 arguments\n\nUsage:  docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH\n\nRun 'docker cp --help' for more information\n");
}

#[test]
fn another_daemon_socket_reaches_no_daemon_here() {
    let mut engine = Engine::new(1);
    // Recorded against the real 28.2.2 client: `docker -H tcp://127.0.0.1:1 ps` (status 1).
    let remote = engine.run("docker -H tcp://10.0.0.5:2375 ps");
    assert_eq!((remote.exit_code, stderr(&remote)), (1, "Cannot connect to the Docker daemon at tcp://10.0.0.5:2375. Is the docker daemon running?\n".into()));
    let from_env = engine.run("DOCKER_HOST=tcp://build-box:2375 docker images");
    assert_eq!(stderr(&from_env), "Cannot connect to the Docker daemon at tcp://build-box:2375. Is the docker daemon running?\n");
    // This host's own socket, named explicitly, is the local daemon.
    assert_eq!(engine.run("docker -H unix:///var/run/docker.sock ps").exit_code, 0);
    let version = engine.run("docker -H tcp://10.0.0.5:2375 version");
    assert!(stdout(&version).starts_with("Client: Docker Engine - Community\n"), "{}", version.text());
    assert_eq!(version.exit_code, 1);
}
