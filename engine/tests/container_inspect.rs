//! `docker inspect`, `diff`, `cp`, `commit`, `update`, `port`, `system df` and the prunes, driven
//! through the engine as a learner types them.

use engine::Engine;

fn run(engine: &mut Engine, line: &str) -> (i32, String) {
    let outcome = engine.run(line);
    (outcome.exit_code, outcome.text())
}

/// Runs `line` and expects it to succeed, returning its output.
fn ok(engine: &mut Engine, line: &str) -> String {
    let (code, text) = run(engine, line);
    assert_eq!(code, 0, "{line}\n{text}");
    text
}

fn web() -> Engine {
    let mut engine = Engine::new(7);
    ok(&mut engine, "docker run -d --name web --memory 64m --restart on-failure:3 -p 8080:80 -e GREETING=hi busybox sleep 300");
    engine
}

#[test]
fn format_reads_state_and_host_config() {
    let mut e = web();
    assert_eq!(
        ok(&mut e, "docker inspect -f '{{.State.Status}} {{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}' web"),
        "running 67108864 on-failure\n"
    );
    assert_eq!(ok(&mut e, "docker inspect -f '{{.HostConfig.RestartPolicy}} {{.HostConfig.MemorySwap}}' web"), "{on-failure 3} 134217728\n");
    assert_eq!(ok(&mut e, "docker container inspect -f '{{.Config.Image}} {{.RestartCount}} {{.State.OOMKilled}}' web"), "busybox 0 false\n");
    assert_eq!(ok(&mut e, "docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' web"), "GREETING=hi\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n\n");
    assert_eq!(ok(&mut e, "docker inspect -f '{{.NetworkSettings.IPAddress}} {{.Name}} {{json .Config.Cmd}}' web"), "172.17.0.2 /web [\"sleep\",\"300\"]\n");
    assert_eq!(ok(&mut e, "docker inspect -f '{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}' web"), "172.17.0.1\n");
    assert_eq!(ok(&mut e, "docker inspect -f '{{index .Config.Labels \"k\"}}|{{json .State.Health}}|{{.State.Health}}' web"), "|null|<nil>\n");
    let (code, text) = run(&mut e, "docker inspect -f '{{.State.Health.Status}}' web");
    assert_eq!(code, 1);
    // The CLI's template inspector flushes a bare newline to stdout when nothing was written.
    assert_eq!(text, "\ntemplate parsing error: template: :1:8: executing \"\" at <.State.Health.Status>: map has no entry for key \"Health\"\n");
}

#[test]
fn a_health_check_shows_in_state() {
    let mut e = Engine::new(7);
    ok(&mut e, "docker run -d --name hc --health-cmd true --health-interval 5s busybox sleep 300");
    assert_eq!(ok(&mut e, "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hc"), "starting 0\n");
    ok(&mut e, "sleep 6");
    assert_eq!(ok(&mut e, "docker inspect -f '{{.State.Health.Status}} {{with index .State.Health.Log 0}}{{.ExitCode}}{{end}}' hc"), "healthy 0\n");
    assert_eq!(
        ok(&mut e, "docker inspect -f '{{json .Config.Healthcheck}}' hc"),
        "{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":5000000000}\n"
    );
}

#[test]
fn container_json_has_dockers_keys_in_order() {
    let mut e = web();
    let text = ok(&mut e, "docker inspect web");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let object = value[0].as_object().unwrap();
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Id", "Created", "Path", "Args", "State", "Image", "ResolvConfPath", "HostnamePath", "HostsPath", "LogPath", "Name",
            "RestartCount", "Driver", "Platform", "MountLabel", "ProcessLabel", "AppArmorProfile", "ExecIDs", "HostConfig",
            "GraphDriver", "Mounts", "Config", "NetworkSettings"
        ]
    );
    let state: Vec<&str> = object["State"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(state, ["Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode", "Error", "StartedAt", "FinishedAt"]);
    let network: Vec<&str> = object["NetworkSettings"]["Networks"]["bridge"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        network,
        [
            "IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "GwPriority", "NetworkID", "EndpointID", "Gateway", "IPAddress",
            "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen", "DNSNames"
        ]
    );
    assert!(text.contains("        \"HostConfig\": {\n            \"Binds\": null,\n            \"ContainerIDFile\": \"\",\n"), "{text}");
    assert!(text.contains("\"PortBindings\": {\n                \"80/tcp\": [\n                    {\n                        \"HostIp\": \"\",\n                        \"HostPort\": \"8080\"\n"));
    // `-s` adds the sizes after GraphDriver.
    let sized: serde_json::Value = serde_json::from_str(&ok(&mut e, "docker inspect -s web")).unwrap();
    let keys: Vec<&str> = sized[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys[19..22], ["GraphDriver", "SizeRw", "SizeRootFs"]);
}

#[test]
fn names_resolve_to_containers_then_images() {
    let mut e = web();
    assert_eq!(ok(&mut e, "docker inspect -f '{{.Os}}' busybox"), "linux\n");
    assert_eq!(ok(&mut e, "docker inspect --type image -f '{{.Os}}' busybox"), "linux\n");
    let (code, text) = run(&mut e, "docker inspect --type image web");
    assert_eq!((code, text.as_str()), (1, "[]\nError: No such object: web\n"));
    let (code, text) = run(&mut e, "docker inspect nope");
    assert_eq!((code, text.as_str()), (1, "[]\nError: No such object: nope\n"));
    let (code, text) = run(&mut e, "docker container inspect nope");
    assert_eq!((code, text.as_str()), (1, "[]\nError response from daemon: No such container: nope\n"));
    let (code, text) = run(&mut e, "docker inspect -f '{{.Name}}' web nope");
    assert_eq!((code, text.as_str()), (1, "/web\nError: No such object: nope\n"));
    let (code, text) = run(&mut e, "docker inspect --type bogus web");
    assert_eq!((code, text.as_str()), (1, "\"bogus\" is not a valid value for --type\n"));
}

#[test]
fn diff_lists_changes_with_their_parents() {
    let mut e = web();
    assert_eq!(ok(&mut e, "docker diff web"), "");
    ok(&mut e, "docker exec web sh -c 'mkdir -p /app && echo hello > /app/hello.txt && rm /etc/passwd && touch /tmp/x'");
    assert_eq!(ok(&mut e, "docker diff web"), "A /app\nA /app/hello.txt\nC /etc\nD /etc/passwd\nC /tmp\nA /tmp/x\n");
    let (code, text) = run(&mut e, "docker diff nope");
    assert_eq!((code, text.as_str()), (1, "Error response from daemon: No such container: nope\n"));
}

#[test]
fn cp_copies_both_ways_and_changes_the_writable_layer() {
    let mut e = web();
    ok(&mut e, "echo hi there > note.txt");
    let outcome = e.run("docker cp note.txt web:/tmp/");
    assert_eq!(outcome.text(), "Successfully copied 2.05kB to web:/tmp/\n");
    assert_eq!(outcome.output[0].stream, engine::Stream::Stderr);
    assert_eq!(ok(&mut e, "docker exec web cat /tmp/note.txt"), "hi there\n");
    assert_eq!(ok(&mut e, "docker diff web"), "C /tmp\nA /tmp/note.txt\n");
    ok(&mut e, "docker exec web sh -c 'mkdir /app && echo hello > /app/hello.txt'");
    assert_eq!(ok(&mut e, "docker cp web:/app ."), "Successfully copied 2.56kB to /home/learner/.\n");
    assert_eq!(ok(&mut e, "cat app/hello.txt"), "hello\n");
    assert_eq!(ok(&mut e, "docker cp web:/app/hello.txt copy.txt"), "Successfully copied 2.05kB to /home/learner/copy.txt\n");
    assert_eq!(ok(&mut e, "cat copy.txt"), "hello\n");
    // Stopped containers can be copied into and out of.
    ok(&mut e, "docker stop -t 1 web");
    ok(&mut e, "docker cp copy.txt web:/copied.txt");
    assert_eq!(ok(&mut e, "docker diff web"), "A /app\nA /app/hello.txt\nA /copied.txt\nC /tmp\nA /tmp/note.txt\n");
    let cases = [
        ("docker cp web:/nope .", "Error response from daemon: Could not find the file /nope in container web\n"),
        ("docker cp note.txt other.txt", "must specify at least one container source\n"),
        ("docker cp web:/a web:/b", "copying between containers is not supported\n"),
        ("docker cp missing.txt web:/tmp/", "lstat /home/learner/missing.txt: no such file or directory\n"),
        ("docker cp note.txt nope:/tmp/", "Error response from daemon: No such container: nope\n"),
        ("docker cp note.txt web:/no/such/dir/x", "Error response from daemon: Could not find the file /no/such/dir in container web\n"),
        ("docker cp web:/app nowhere/x", "invalid output path: directory \"/home/learner/nowhere\" does not exist\n"),
    ];
    for (line, expected) in cases {
        let (code, text) = run(&mut e, line);
        assert_eq!((code, text.as_str()), (1, expected), "{line}");
    }
}

#[test]
fn commit_makes_an_image_from_the_container() {
    let mut e = web();
    ok(&mut e, "docker exec web sh -c 'mkdir /app && echo hello > /app/hello.txt'");
    let id = ok(&mut e, "docker commit -m 'add app' -c 'CMD [\"cat\", \"/app/hello.txt\"]' -c 'ENV MODE=prod' web myapp:1");
    assert!(id.starts_with("sha256:") && id.len() == 72, "{id}");
    assert_eq!(ok(&mut e, "docker run --rm myapp:1"), "hello\n");
    assert_eq!(ok(&mut e, "docker image inspect -f '{{json .Config.Cmd}} {{.Comment}}' myapp:1"), "[\"cat\",\"/app/hello.txt\"] add app\n");
    assert!(ok(&mut e, "docker image inspect -f '{{json .Config.Env}}' myapp:1").contains("\"GREETING=hi\",\"PATH="), "the container's env is kept");
    assert!(ok(&mut e, "docker run --rm myapp:1 env").contains("MODE=prod\n"));
    let history = ok(&mut e, "docker history myapp:1");
    let first = history.lines().nth(1).unwrap();
    assert!(first.contains("sleep 300") && first.contains("6B") && first.ends_with("add app"), "{history}");
    let (code, text) = run(&mut e, "docker commit -c 'RUN ls' web x");
    assert_eq!((code, text.as_str()), (1, "Error response from daemon: RUN is not a valid change command\n"));
    let (code, text) = run(&mut e, "docker commit nope");
    assert_eq!((code, text.as_str()), (1, "Error response from daemon: No such container: nope\n"));
}

#[test]
fn update_changes_limits_with_the_daemons_checks() {
    let mut e = web();
    assert_eq!(ok(&mut e, "docker update --memory 100m --cpus 0.5 --restart always web"), "web\n");
    assert_eq!(
        ok(&mut e, "docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.RestartPolicy.Name}}' web"),
        "104857600 134217728 500000000 always\n"
    );
    let id = ok(&mut e, "docker inspect -f '{{.Id}}' web").trim().to_string();
    let (code, text) = run(&mut e, "docker update --memory 256m web");
    assert_eq!(code, 1);
    assert_eq!(
        text,
        format!("Error response from daemon: Cannot update container {id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time\n")
    );
    assert_eq!(ok(&mut e, "docker update --memory 256m --memory-swap 512m web"), "web\n");
    let (code, text) = run(&mut e, "docker update web");
    assert_eq!((code, text.as_str()), (1, "you must provide one or more flags when using this command\n"));
    let (code, text) = run(&mut e, "docker update -m 4m web");
    assert_eq!((code, text.as_str()), (1, "Error response from daemon: Minimum memory limit allowed is 6MB\n"));
}

#[test]
fn update_moves_the_oom_kill() {
    let mut e = Engine::new(7);
    // `tail /dev/zero` grows by 200 MiB a second: a 1 GiB limit is hit after about 5 s, a 4 GiB
    // one after about 20 s (each command also takes the learner 3 s of simulated time).
    ok(&mut e, "docker run -d --name hog --memory 1g busybox tail /dev/zero");
    ok(&mut e, "docker update --memory 4g --memory-swap 8g hog");
    ok(&mut e, "sleep 8");
    assert_eq!(ok(&mut e, "docker inspect -f '{{.State.Status}}' hog"), "running\n");
    ok(&mut e, "sleep 10");
    assert_eq!(ok(&mut e, "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}' hog"), "exited 137 true\n");
}

#[test]
fn port_lists_published_ports() {
    let mut e = web();
    assert_eq!(ok(&mut e, "docker port web"), "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n");
    assert_eq!(ok(&mut e, "docker port web 80/tcp"), "0.0.0.0:8080\n[::]:8080\n");
    let (code, text) = run(&mut e, "docker port web 81/tcp");
    assert_eq!((code, text.as_str()), (1, "Error: No public port '81/tcp' published for web\n"));
    ok(&mut e, "docker run -d --name local -p 127.0.0.1:5353:53/udp busybox sleep 300");
    assert_eq!(ok(&mut e, "docker port local"), "53/udp -> 127.0.0.1:5353\n");
    ok(&mut e, "docker run -d --name plain busybox sleep 300");
    assert_eq!(ok(&mut e, "docker port plain"), "");
}

#[test]
fn system_df_and_prunes() {
    let mut e = web();
    ok(&mut e, "docker run --name done busybox true");
    assert_eq!(
        ok(&mut e, "docker system df"),
        "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n\
         Images          1         1         4.26MB    0B (0%)\n\
         Containers      2         1         0B        0B\n\
         Local Volumes   0         0         0B        0B\n\
         Build Cache     0         0         0B        0B\n"
    );
    let outcome = e.run("docker container prune");
    assert_eq!(outcome.exit_code, 0);
    assert_eq!(
        outcome.text(),
        "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] \n"
    );
    // The next line answers the question: anything but y/yes keeps everything, silently.
    assert!(e.is_asking());
    let declined = e.run("n");
    assert_eq!((declined.text().as_str(), declined.exit_code, e.is_asking()), ("", 0, false));
    assert_eq!(ok(&mut e, "docker ps -aq").lines().count(), 2);
    let id = ok(&mut e, "docker inspect -f '{{.Id}}' done").trim().to_string();
    assert_eq!(ok(&mut e, "docker container prune -f"), format!("Deleted Containers:\n{id}\n\nTotal reclaimed space: 0B\n"));
    assert_eq!(ok(&mut e, "docker ps -aq").lines().count(), 1);
    let verbose = ok(&mut e, "docker system df -v");
    assert!(verbose.starts_with("Images space usage:\n\nREPOSITORY   TAG       IMAGE ID       CREATED"), "{verbose}");
    assert!(verbose.contains("\nBuild cache usage: 0B\n"), "{verbose}");
}

#[test]
fn system_prune_removes_stopped_containers_and_dangling_images() {
    let mut e = Engine::new(7);
    ok(&mut e, "docker run --name once busybox sh -c 'echo data > /data.txt'");
    ok(&mut e, "docker commit once snapshot:1");
    ok(&mut e, "docker commit once snapshot:1");
    let outcome = e.run("docker system prune");
    assert!(outcome.text().starts_with(
        "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - unused build cache\n\nAre you sure you want to continue? [y/N] \n"
    ));
    assert_eq!(e.run("no").text(), "", "declined: nothing removed, nothing printed");
    let report = ok(&mut e, "docker system prune -a -f");
    assert!(report.starts_with("Deleted Containers:\n"), "{report}");
    assert!(report.contains("\n\nDeleted Images:\nuntagged: snapshot:1\ndeleted: sha256:"), "{report}");
    assert!(report.contains("untagged: busybox:latest\n"), "{report}");
    assert!(report.ends_with("Total reclaimed space: 4.26MB\n"), "{report}");
    assert_eq!(ok(&mut e, "docker images -q"), "");
}

#[test]
fn odd_arguments_get_errors_not_panics() {
    let mut e = web();
    ok(&mut e, "mkdir -p d/sub && echo x > d/sub/f");
    for line in [
        "docker cp : web:/",
        "docker cp d/. web:/",
        "docker cp d web:/tmp",
        "docker cp web:/ out",
        "docker cp web:/. ./here",
        "docker cp web:/etc/hostname/ .",
        "docker cp d web:/etc/hostname",
        "docker cp 'web:' .",
        "docker cp web:/tmp/ é/",
        "docker commit web 'UPPER:case'",
        "docker commit web a b c",
        "docker commit -c '' web",
        "docker commit -c 'HEALTHCHECK CMD' web",
        "docker commit -c 'ENV' web",
        "docker port web 99999",
        "docker port web abc/tcp",
        "docker port web 80 81",
        "docker update --cpus abc web",
        "docker update --memory -1 web",
        "docker update --restart on-failure:x web",
        "docker update --pids-limit 0 --cpu-period 1000 web",
        "docker system df --format '{{.Type}}\\t{{.Size}}'",
        "docker system df --format 'table {{.Type}}\\t{{.Size}}'",
        "docker system df --format '{{.Nope'",
        "docker system df --format json",
        "docker system prune --filter until=abc -f",
        "docker container prune --filter label=a=b -f",
        "docker container prune --filter bogus -f",
        "docker inspect -f '{{range .}}{{end}}{{.Id | printf \"%.3s %d %x\"}}' web",
        "docker inspect -f '{{' web",
        "docker inspect -s -f '{{.SizeRw}} {{.SizeRootFs}}' web",
    ] {
        let _ = run(&mut e, line);
    }
    assert_eq!(ok(&mut e, "docker inspect -f '{{.State.Status}}' web"), "running\n");
}

#[test]
fn a_yes_answers_the_prune_question() {
    let mut e = web();
    ok(&mut e, "docker run --name done busybox true");
    let id = ok(&mut e, "docker inspect -f '{{.Id}}' done").trim().to_string();
    e.run("docker container prune");
    assert_eq!(e.prompt(), "", "the question stands in for the prompt");
    assert_eq!(ok(&mut e, " Y "), format!("Deleted Containers:\n{id}\n\nTotal reclaimed space: 0B\n"));
    assert!(!e.is_asking());
    assert_eq!(ok(&mut e, "docker ps -aq").lines().count(), 1);
}
