//! `whalebox demo network`: containers on a real Linux bridge, found by name through a real
//! DNS server at 127.0.0.11, then the default bridge where names do not resolve, then a
//! published port through a DNAT rule, all inside namespaces the demo makes and removes.

use std::process::ExitCode;
use std::time::Duration;

use engine::host::network::{Lab, Net, NetError, NetOps, Plan, Published, RealOps};
use serde_json::{json, Map, Value};

use super::{exit, interrupt, NetworkArgs, Narrator};

/// Why the demo stopped early.
enum Stop {
    Interrupted,
    Failed(String),
}

impl From<NetError> for Stop {
    fn from(error: NetError) -> Stop {
        Stop::Failed(error.to_string())
    }
}

fn check() -> Result<(), Stop> {
    if interrupt::requested() { Err(Stop::Interrupted) } else { Ok(()) }
}

/// The programs the demo runs and the Debian package of each.
const NEEDED: [(&str, &str); 5] = [
    ("ip", "iproute2"),
    ("sysctl", "procps"),
    ("nslookup", "dnsutils"),
    ("ping", "iputils-ping"),
    ("busybox", "busybox-static"),
];

const HOST_PORT: u16 = 8080;
const CONTAINER_PORT: u16 = 80;

pub fn run(args: NetworkArgs) -> ExitCode {
    let ops = RealOps::new();
    for (program, package) in NEEDED {
        if !ops.has_program(program) {
            eprintln!("whalebox: demo network needs `{program}`, which is not on PATH (apt-get install {package})");
            return ExitCode::from(exit::UNAVAILABLE);
        }
    }
    let mut narrator = Narrator::new(args.common.json);
    let plan = Plan::new(std::process::id(), usize::from(args.containers));
    let mut lab = Lab::new(ops, plan);
    let result = demo(&mut narrator, &mut lab);

    narrator.step("Clean up: docker rm -f, docker network rm");
    narrator.say("Everything the demo made goes, newest first: the DNAT rule, the server, the veth");
    narrator.say("pairs, the bridges, the namespaces and their /etc/netns folders.");
    let undone = lab.cleanup();
    for line in &undone {
        narrator.command(line);
    }
    let failed: Vec<&String> = undone.iter().filter(|line| line.contains("(failed:")).collect();
    narrator.fact("cleanup", undone.clone());
    narrator.fact("cleanup_ok", failed.is_empty());
    if failed.is_empty() {
        narrator.shown("nothing left behind");
    } else {
        narrator.warn(&format!("{} cleanup step(s) failed; see above", failed.len()));
    }

    let code = match result {
        Ok(true) if failed.is_empty() => exit::OK,
        Ok(_) => {
            narrator.warn("some checks did not come out as Docker's networking would have them (see above)");
            exit::FAILED
        }
        Err(Stop::Interrupted) => {
            narrator.warn("interrupted: everything made was removed");
            exit::INTERRUPTED
        }
        Err(Stop::Failed(message)) => {
            narrator.warn(&message);
            narrator.fact("error", message.clone());
            eprintln!("whalebox: demo network: {message}");
            exit::FAILED
        }
    };
    narrator.finish();
    ExitCode::from(code)
}

fn show<O: NetOps>(narrator: &Narrator, lab: &mut Lab<O>) {
    for command in lab.take_transcript() {
        for (i, line) in command.lines().enumerate() {
            if i == 0 { narrator.command(line) } else { narrator.output(line) }
        }
    }
}

/// Whether every check came out as Docker's networking would have it.
fn demo<O: NetOps>(n: &mut Narrator, lab: &mut Lab<O>) -> Result<bool, Stop> {
    let plan = lab.plan.clone();
    n.fact("host_netns", plan.host_netns.clone());
    n.fact("bridge", plan.user.bridge.clone());
    n.fact("subnet", plan.user.subnet());
    n.fact("default_bridge", plan.default.bridge.clone());
    n.fact("dnat_rule", Value::Null);
    n.fact("published_request_ok", false);
    n.fact("dnat_unavailable_reason", Value::Null);

    n.step("A network namespace that plays the Docker host");
    n.say("dockerd puts its bridges, veth ends and NAT rules in the host's own network namespace.");
    n.say(&format!("To leave this machine's networking alone, the namespace {} plays that host:", plan.host_netns));
    n.say("every link, address and iptables rule below is made inside it, and forwarding is");
    n.say("turned on there only (Docker turns on net.ipv4.ip_forward for the whole host).");
    lab.create_host()?;
    show(n, lab);
    check()?;

    n.step("docker network create demo: a user-defined bridge network");
    n.say(&format!(
        "Docker makes a Linux bridge (br-<id>) with the gateway address {} of the subnet {}; here it is {}.",
        plan.user.gateway,
        plan.user.subnet(),
        plan.user.bridge
    ));
    lab.create_network(Net::User)?;
    show(n, lab);
    check()?;

    let mut containers = Vec::new();
    for (index, container) in plan.user.containers.iter().enumerate() {
        n.step(&format!("docker run -d --name {} --network demo …: a namespace and a veth pair", container.name));
        if index == 0 {
            n.say("A container's network is a network namespace. Docker makes a veth pair (two ends of");
            n.say("one virtual cable), moves one end into the container as eth0 and plugs the other");
            n.say("into the bridge (`vethXXXX` on `ip link`), then gives eth0 the next free address and a");
            n.say("default route via the gateway. `ip netns exec` shows the container /etc/netns/NAME/");
            n.say("resolv.conf as its /etc/resolv.conf, which is how each gets Docker's resolv.conf.");
        }
        lab.add_container(Net::User, index)?;
        show(n, lab);
        n.shown(&format!("{} is {} on {} (netns {})", container.name, container.ip, plan.user.bridge, container.netns));
        containers.push(json!({"name": container.name, "ip": container.ip.to_string(), "netns": container.netns, "network": "demo"}));
        check()?;
    }
    n.fact("containers", containers);

    n.step("The embedded DNS server at 127.0.0.11");
    n.say("On a user-defined network dockerd answers container names itself: it enters each");
    n.say("container's network namespace, binds a socket at 127.0.0.11:53 there and serves the");
    n.say("network's names. This demo does the same: setns(2) on a short-lived thread, bind, and");
    n.say("one hickory-server instance serving all those sockets from this process. (dockerd binds");
    n.say("a random port at 127.0.0.11 and redirects port 53 to it with iptables rules inside the");
    n.say("container; binding port 53 directly is simpler and looks the same to the container.)");
    n.say("Names it does not know Docker forwards to the host's resolvers; these namespaces have no");
    n.say("way out, so this server answers NXDOMAIN for them instead.");
    let places = lab.start_embedded_dns()?;
    show(n, lab);
    for place in &places {
        n.shown(&format!("DNS server listening at {place}"));
    }
    let first = &plan.user.containers[0];
    let resolv = lab.exec(&first.netns, &["cat", "/etc/resolv.conf"])?;
    show(n, lab);
    n.output(&resolv.stdout);
    if resolv.stdout.contains("nameserver 127.0.0.11") {
        n.shown(&format!("inside {} the resolver is Docker's 127.0.0.11", first.name));
    }
    n.fact("dns_server", "127.0.0.11:53");
    n.fact("dns_server_sockets", places);
    check()?;

    n.step("Look containers up by name: nslookup inside a container");
    let mut answers = Map::new();
    let mut all_found = true;
    for (index, target) in plan.user.containers.iter().enumerate() {
        // Ask from a different container than the one looked up, as an app would.
        let asker = &plan.user.containers[if index == 0 { 1 } else { 0 }];
        let output = lab.exec(&asker.netns, &["nslookup", "-timeout=2", "-retry=1", &target.name])?;
        show(n, lab);
        n.output(&output.stdout);
        let found = nslookup_address(&output.stdout);
        match found.as_deref() {
            Some(ip) if output.success && ip == target.ip.to_string() => {
                n.shown(&format!("from {}: {} is {ip}", asker.name, target.name));
            }
            _ => {
                all_found = false;
                n.warn(&format!("from {}: looking up {} gave {:?} ({})", asker.name, target.name, found, output.stderr.trim()));
            }
        }
        answers.insert(target.name.clone(), found.map(Value::from).unwrap_or(Value::Null));
        check()?;
    }
    n.say("What the DNS server was asked (the AAAA questions get an empty answer: no IPv6 here):");
    let log = lab.dns_log();
    n.output(&log.join("\n"));
    n.fact("dns_answers", answers);
    n.fact("dns_log", log);
    n.fact("dns_lookups_ok", all_found);

    n.step("Ping a container by name");
    let web = &plan.user.containers[0];
    let mut ping_ok = true;
    for target in &plan.user.containers[1..] {
        let output = lab.exec(&web.netns, &["ping", "-c1", "-W2", &target.name])?;
        show(n, lab);
        n.output(&output.stdout);
        if output.success {
            n.shown(&format!("{} reached {} by name, over the bridge", web.name, target.name));
        } else {
            ping_ok = false;
            n.warn(&format!("ping {} from {} failed: {}", target.name, web.name, output.stderr.trim()));
        }
        check()?;
    }
    n.fact("ping_by_name_ok", ping_ok);

    n.step("The default bridge network (docker0): no embedded DNS");
    n.say("Containers started without --network land on `bridge`, Docker's docker0. There Docker");
    n.say("gives no embedded DNS: the container's resolv.conf is a copy of the host's, and the host's");
    n.say(&format!(
        "resolvers do not know container names. Here {} plays docker0, and a resolver that knows",
        plan.default.bridge
    ));
    n.say(&format!("no container names, at its gateway {}, plays the host's resolver.", plan.default.gateway));
    lab.create_network(Net::Default)?;
    for index in 0..plan.default.containers.len() {
        lab.add_container(Net::Default, index)?;
        check()?;
    }
    let place = lab.start_host_resolver()?;
    show(n, lab);
    n.shown(&format!("stand-in host resolver listening at {place}"));
    let default_containers: Vec<Value> = plan
        .default
        .containers
        .iter()
        .map(|c| json!({"name": c.name, "ip": c.ip.to_string(), "netns": c.netns, "network": "bridge"}))
        .collect();
    n.fact("default_containers", default_containers);
    check()?;

    let (asker, target) = (&plan.default.containers[0], &plan.default.containers[1]);
    let lookup = lab.exec(&asker.netns, &["nslookup", "-timeout=2", "-retry=1", &target.name])?;
    show(n, lab);
    n.output(&lookup.stdout);
    let lookup_failed = !lookup.success && nslookup_address(&lookup.stdout).is_none();
    if lookup_failed {
        n.shown(&format!("on the default bridge, {} cannot find {} by name", asker.name, target.name));
    } else {
        n.warn(&format!("{} resolved on the default bridge, which Docker would not do", target.name));
    }
    n.fact("no_dns_lookup_failed", lookup_failed);
    check()?;
    let by_name = lab.exec(&asker.netns, &["ping", "-c1", "-W2", &target.name])?;
    show(n, lab);
    n.output(by_name.stderr.trim());
    n.fact("no_dns_ping_by_name_failed", !by_name.success);
    check()?;
    let target_ip = target.ip.to_string();
    let by_ip = lab.exec(&asker.netns, &["ping", "-c1", "-W2", &target_ip])?;
    show(n, lab);
    n.output(&by_ip.stdout);
    if by_ip.success {
        n.shown(&format!("but {} reaches {} by its address {target_ip}: the bridge works, only names do not", asker.name, target.name));
    } else {
        n.warn(&format!("ping {target_ip} failed: {}", by_ip.stderr.trim()));
    }
    n.fact("no_dns_ping_by_ip_ok", by_ip.success);
    n.say("(Docker's old --link wrote /etc/hosts entries for this; a user-defined network is the fix.)");
    check()?;

    let published = publish(n, lab, &plan)?;
    Ok(all_found && ping_ok && lookup_failed && !by_name.success && by_ip.success && published)
}

/// Whether the request through the published port worked (true as well when no DNAT rule
/// could be made at all: that is reported as unavailable, not as a failure).
fn publish<O: NetOps>(n: &mut Narrator, lab: &mut Lab<O>, plan: &Plan) -> Result<bool, Stop> {
    let web = &plan.user.containers[0];
    n.step(&format!("docker run -p {HOST_PORT}:{CONTAINER_PORT} web: a published port is a DNAT rule"));
    n.say(&format!("A server in {}: busybox httpd on port {CONTAINER_PORT}.", web.name));
    lab.start_server(web, CONTAINER_PORT, "hello from the web container\n")?;
    show(n, lab);
    n.say(&format!(
        "A machine on the LAN ({}), wired to the Docker host's LAN address {}:",
        plan.client_netns, plan.lan_host_ip
    ));
    lab.create_client()?;
    show(n, lab);
    check()?;
    n.say(&format!(
        "`-p {HOST_PORT}:{CONTAINER_PORT}` makes dockerd add a DNAT rule to the nat table (in its DOCKER chain,"
    ));
    n.say(&format!(
        "jumped to from PREROUTING; here straight in PREROUTING): packets for the host's port {HOST_PORT}"
    ));
    n.say(&format!("get {}:{CONTAINER_PORT} as their destination, and conntrack rewrites the replies back.", web.ip));
    let published = lab.publish(HOST_PORT, web, CONTAINER_PORT)?;
    show(n, lab);
    n.fact("published_port", HOST_PORT);
    let rule = match published {
        Published::Rule(rule) => rule,
        Published::Unavailable(why) => {
            n.warn(&format!("no DNAT rule could be added: {why}"));
            n.fact("dnat_unavailable_reason", why);
            return Ok(true);
        }
    };
    n.fact("dnat_rule", rule.clone());
    if rule.starts_with("iptables") {
        let listing = lab.exec(&plan.host_netns, &["iptables", "-t", "nat", "-S", "PREROUTING"])?;
        show(n, lab);
        n.output(&listing.stdout);
    }
    check()?;

    // busybox httpd needs a moment before it listens; wait for it, but not past Ctrl-C.
    let port_filter = format!("sport = :{CONTAINER_PORT}");
    let mut listening = false;
    for _ in 0..50 {
        let output = lab.exec(&web.netns, &["ss", "-Hltn", &port_filter])?;
        if !output.stdout.trim().is_empty() {
            listening = true;
            break;
        }
        check()?;
        std::thread::sleep(Duration::from_millis(100));
    }
    lab.take_transcript();
    if !listening {
        n.warn(&format!("busybox httpd in {} did not start listening on port {CONTAINER_PORT}", web.name));
    }
    let url = format!("http://{}:{HOST_PORT}/", plan.lan_host_ip);
    n.say(&format!("The LAN machine asks the Docker host's address, port {HOST_PORT}; the container answers:"));
    // busybox-static's own `wget -T` crashes; busybox timeout bounds the wait instead.
    let reply = lab.exec(&plan.client_netns, &["busybox", "timeout", "10", "busybox", "wget", "-q", "-O", "-", &url])?;
    show(n, lab);
    n.output(&reply.stdout);
    let ok = reply.success && reply.stdout.contains("hello from the web container");
    if ok {
        n.shown(&format!("{url} reached {}:{CONTAINER_PORT} in {} through the DNAT rule", web.ip, web.name));
    } else {
        n.warn(&format!("the request through the published port failed: {}", reply.stderr.trim()));
    }
    n.fact("published_request_ok", ok);
    n.fact("published_response", reply.stdout.trim().to_string());
    Ok(ok)
}

/// The address in nslookup's answer section (`Address: 10.89.1.3`), skipping the server's own
/// `Address: 127.0.0.11#53` line.
fn nslookup_address(stdout: &str) -> Option<String> {
    let mut after_name = false;
    for line in stdout.lines() {
        let line = line.trim();
        if line.starts_with("Name:") {
            after_name = true;
        } else if after_name {
            if let Some(address) = line.strip_prefix("Address:") {
                return Some(address.trim().to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::nslookup_address;

    #[test]
    fn the_answer_is_read_after_the_name_not_the_server_line() {
        let found = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11#53\n\nNon-authoritative answer:\nName:\tdb\nAddress: 10.89.1.3\n";
        assert_eq!(nslookup_address(found).as_deref(), Some("10.89.1.3"));
        let missing = "Server:\t\t10.89.2.1\nAddress:\t10.89.2.1#53\n\n** server can't find db2: NXDOMAIN\n";
        assert_eq!(nslookup_address(missing), None);
    }
}
