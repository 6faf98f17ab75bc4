//! Published ports end to end: host ports held while a container runs and released when it
//! stops, conflicts that leave the loser `created`, ephemeral ports in order, `-P`, and what the
//! host's curl, `docker port` and `inspect` see.

use engine::{Engine, Outcome, Stream};

fn stderr(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stderr).map(|l| format!("{}\n", l.text)).collect()
}

fn ok(engine: &mut Engine, line: &str) -> String {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 0, "{line}: {}", outcome.text());
    outcome.text()
}

fn machine() -> Engine {
    let mut engine = Engine::new(5);
    ok(&mut engine, "docker pull nginx:alpine");
    engine
}

#[test]
fn a_port_held_by_a_running_container_is_refused_until_it_stops() {
    let mut engine = machine();
    ok(&mut engine, "docker run -d --name one -p 8080:80 nginx:alpine");
    let clash = engine.run("docker run -d --name two -p 8080:80 nginx:alpine");
    assert_eq!(clash.exit_code, 125);
    assert!(
        stderr(&clash).contains("driver failed programming external connectivity on endpoint two (")
            && stderr(&clash).contains("): Bind for 0.0.0.0:8080 failed: port is already allocated\n"),
        "{}",
        clash.text()
    );
    assert_eq!(ok(&mut engine, "docker inspect -f '{{.State.Status}}' two"), "created\n");
    // The same port on another protocol or loopback-only on a different port is free.
    ok(&mut engine, "docker run -d --name udp -p 8080:80/udp nginx:alpine");
    let start = engine.run("docker start two");
    assert_eq!(start.exit_code, 1, "{}", start.text());
    assert!(stderr(&start).contains("Bind for 0.0.0.0:8080 failed: port is already allocated"), "{}", start.text());
    ok(&mut engine, "docker stop one");
    ok(&mut engine, "docker start two");
    assert_eq!(ok(&mut engine, "curl -s localhost:8080").lines().nth(3), Some("<title>Welcome to nginx!</title>"));
    assert_eq!(ok(&mut engine, "docker port two"), "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n");
    assert_eq!(ok(&mut engine, "docker port one"), "");
}

#[test]
fn ephemeral_ports_count_up_and_publish_all_uses_expose() {
    let mut engine = machine();
    ok(&mut engine, "docker run -d --name aa -p 80 nginx:alpine");
    ok(&mut engine, "docker run -d --name bb -P nginx:alpine");
    ok(&mut engine, "docker run -d --name cc -p 127.0.0.1::80 nginx:alpine");
    assert_eq!(ok(&mut engine, "docker port aa 80"), "0.0.0.0:32768\n[::]:32768\n");
    assert_eq!(ok(&mut engine, "docker port bb"), "80/tcp -> 0.0.0.0:32769\n80/tcp -> [::]:32769\n");
    assert_eq!(ok(&mut engine, "docker port cc"), "80/tcp -> 127.0.0.1:32770\n");
    assert_eq!(
        ok(&mut engine, "docker inspect -f '{{json .NetworkSettings.Ports}}' cc"),
        "{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"32770\"}]}\n"
    );
    assert_eq!(
        ok(&mut engine, "docker inspect -f '{{json .HostConfig.PortBindings}}' aa"),
        "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}\n"
    );
    // Without -p or -P, EXPOSE only documents: nothing answers on the host.
    ok(&mut engine, "docker run -d --name quiet nginx:alpine");
    assert_eq!(ok(&mut engine, "docker ps --filter name=quiet --format '{{.Ports}}'"), "80/tcp\n");
    let refused = engine.run("curl localhost:80");
    assert_eq!(refused.exit_code, 7);
}

#[test]
fn loopback_publishing_answers_only_on_loopback() {
    let mut engine = machine();
    ok(&mut engine, "docker run -d --name local -p 127.0.0.1:9000:80 nginx:alpine");
    assert!(ok(&mut engine, "curl -s 127.0.0.1:9000").contains("Welcome to nginx!"));
    assert!(ok(&mut engine, "curl -s localhost:9000").contains("Welcome to nginx!"));
    assert_eq!(engine.run("curl -s 10.0.2.15:9000").exit_code, 7);
    // The host routes to the bridge: the container's own address needs no publishing.
    assert!(ok(&mut engine, "curl -s 172.17.0.2:80").contains("Welcome to nginx!"));
    // Another loopback address may take the same port.
    ok(&mut engine, "docker run -d --name other -p 127.0.0.2:9000:80 nginx:alpine");
    let wide = engine.run("docker run -d --name wide -p 9000:80 nginx:alpine");
    assert_eq!(wide.exit_code, 125, "{}", wide.text());
}

#[test]
fn host_network_ignores_publishing_and_listens_on_the_host() {
    let mut engine = machine();
    let run = engine.run("docker run -d --name hostweb --network host -p 8080:80 nginx:alpine");
    assert_eq!(run.exit_code, 0);
    assert!(stderr(&run).ends_with("WARNING: Published ports are discarded when using host network mode\n"), "{}", run.text());
    assert!(ok(&mut engine, "curl -s localhost:80").contains("Welcome to nginx!"));
    assert_eq!(engine.run("curl localhost:8080").exit_code, 7);
    assert_eq!(ok(&mut engine, "docker port hostweb"), "");
}

#[test]
fn nat_rules_follow_running_containers_and_survive_a_snapshot() {
    let mut engine = machine();
    ok(&mut engine, "docker run -d --name web -p 8080:80 nginx:alpine");
    let rules = ok(&mut engine, "sudo iptables -t nat -L -n");
    assert!(rules.contains("DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:172.17.0.2:80\n"), "{rules}");
    let snapshot = engine.snapshot();
    let mut restored = Engine::restore(&snapshot).expect("snapshot restores");
    assert_eq!(ok(&mut restored, "docker port web"), "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n");
    ok(&mut restored, "docker stop web");
    assert!(!ok(&mut restored, "sudo iptables -t nat -L -n").contains("DNAT"));
    let bad = restored.run("iptables -t bogus -L");
    assert_eq!(bad.exit_code, 3);
}

#[test]
fn nginx_serves_its_document_root_as_it_is_now() {
    let mut engine = machine();
    ok(&mut engine, "docker run -d --name web -p 8080:80 nginx:alpine");
    assert!(ok(&mut engine, "curl -s localhost:8080").contains("Welcome to nginx!"));
    ok(&mut engine, "docker exec web sh -c 'echo patched > /usr/share/nginx/html/index.html'");
    assert_eq!(ok(&mut engine, "curl -s localhost:8080"), "patched\n");
    // A bind mount: the learner edits on the host and the next request sees it, no rebuild.
    ok(&mut engine, "mkdir site && echo v1 > site/index.html && echo about > site/about.html");
    ok(&mut engine, "docker run -d --name dev -p 8081:80 -v $(pwd)/site:/usr/share/nginx/html nginx:alpine");
    assert_eq!(ok(&mut engine, "curl -s localhost:8081"), "v1\n");
    ok(&mut engine, "echo v2 > site/index.html");
    assert_eq!(ok(&mut engine, "curl -s localhost:8081"), "v2\n");
    assert_eq!(ok(&mut engine, "curl -s localhost:8081/about.html"), "about\n");
    assert!(ok(&mut engine, "curl -s localhost:8081/missing.html").contains("404 Not Found"));
    // The server itself, asked from inside its container, reads the same files.
    assert_eq!(ok(&mut engine, "docker exec dev wget -qO- localhost"), "v2\n");
}
