//! The host's view of Docker networking: `ip addr` (docker0, one `br-…` bridge per user network,
//! a veth per attached container) and `iptables -t nat -L -n [-v]` (the MASQUERADE and DNAT rules
//! dockerd writes for bridges and published ports).

use crate::outcome::Outcome;
use crate::world::World;

/// The bridge interface a network's containers hang off: `docker0`, or `br-` + 12 hex of its ID.
fn bridge_name(network: &crate::network::Network) -> String {
    match network.name.as_str() {
        "bridge" => "docker0".to_string(),
        "docker_gwbridge" => "docker_gwbridge".to_string(),
        _ => format!("br-{}", &network.id[..12.min(network.id.len())]),
    }
}

/// A MAC address derived from `seed`, locally administered as Docker's are.
fn mac(seed: &str) -> String {
    let digest = crate::ids::sha256_digest(seed.as_bytes());
    let hex = crate::ids::digest_hex(&digest);
    let byte = |i: usize| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).unwrap_or(0);
    let first = (byte(0) & 0xfe) | 0x02;
    format!("{first:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", byte(1), byte(2), byte(3), byte(4), byte(5))
}

/// `ip addr` / `ip link` on the host.
pub fn ip(world: &World, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let words: Vec<&str> = args.iter().filter(|a| !a.starts_with('-')).map(String::as_str).collect();
    let object = words.first().copied().unwrap_or("");
    let is = |full: &str| !object.is_empty() && full.starts_with(object);
    if object.is_empty() {
        outcome.err("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }");
        return outcome.fail(255);
    }
    if is("route") {
        outcome.out("default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100 ");
        outcome.out("10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100 ");
        let mut routed: Vec<&crate::network::Network> = world.networks().iter().filter(|n| n.range().is_some()).collect();
        // The kernel lists its main table in address order.
        routed.sort_by_key(|n| n.range().map(|(base, prefix, _)| (base, prefix)));
        for network in routed {
            let state = if network.endpoints.is_empty() { " linkdown" } else { "" };
            outcome.out(format!(
                "{} dev {} proto kernel scope link src {}{state} ",
                network.subnet_text(),
                bridge_name(network),
                network.gateway_text()
            ));
        }
        return outcome;
    }
    if !(is("address") || is("link")) {
        outcome.err(format!("Object \"{object}\" is unknown, try \"ip help\"."));
        return outcome.fail(255);
    }
    let addresses = is("address");
    let mut lines = vec![
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000".to_string(),
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00".to_string(),
    ];
    if addresses {
        lines.extend([
            "    inet 127.0.0.1/8 scope host lo".to_string(),
            "       valid_lft forever preferred_lft forever".to_string(),
            "    inet6 ::1/128 scope host noprefixroute ".to_string(),
            "       valid_lft forever preferred_lft forever".to_string(),
        ]);
    }
    lines.push("2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000".into());
    lines.push("    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff".into());
    if addresses {
        lines.push("    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic eth0".into());
        lines.push("       valid_lft 86315sec preferred_lft 86315sec".into());
    }
    // Bridges are numbered in creation order after eth0; veths after them, by their own index.
    let bridges: Vec<&crate::network::Network> = world.networks().iter().filter(|n| n.driver == "bridge").collect();
    for (offset, network) in bridges.iter().enumerate() {
        let name = bridge_name(network);
        let (flags, state) =
            if network.endpoints.is_empty() { ("NO-CARRIER,BROADCAST,MULTICAST,UP", "DOWN") } else { ("BROADCAST,MULTICAST,UP,LOWER_UP", "UP") };
        lines.push(format!("{}: {name}: <{flags}> mtu 1500 qdisc noqueue state {state} group default ", 3 + offset));
        lines.push(format!("    link/ether {} brd ff:ff:ff:ff:ff:ff", mac(&format!("bridge {}", network.id))));
        if addresses {
            lines.push(format!(
                "    inet {}/{} brd {} scope global {name}",
                network.gateway_text(),
                network.prefix_len(),
                network.broadcast_text()
            ));
            lines.push("       valid_lft forever preferred_lft forever".into());
        }
    }
    let mut veths: Vec<(u64, String, String)> = Vec::new();
    for network in &bridges {
        for id in network.endpoints.keys() {
            // Which of the container's interfaces this is: its networks in the daemon's order.
            let nth = world.networks().iter().filter(|n| n.endpoints.contains_key(id)).position(|n| n.id == network.id).unwrap_or(0);
            let index = crate::programs::host_veth_index(id, nth);
            let name = format!("veth{}", &crate::ids::digest_hex(&crate::ids::sha256_digest(format!("veth {id} {}", network.id).as_bytes()))[..7]);
            veths.push((index, name, bridge_name(network)));
        }
    }
    veths.sort();
    for (index, name, master) in veths {
        lines.push(format!(
            "{index}: {name}@if{}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master {master} state UP group default ",
            index - 1
        ));
        lines.push(format!("    link/ether {} brd ff:ff:ff:ff:ff:ff link-netnsid 0", mac(&format!("veth {name}"))));
    }
    for line in lines {
        outcome.out(line);
    }
    outcome
}

/// One rule as `iptables -L -n` prints it: target, protocol, (with -v: counters and interfaces),
/// source, destination and the match text.
struct Rule {
    target: &'static str,
    proto: &'static str,
    in_iface: String,
    out_iface: String,
    source: String,
    destination: String,
    extra: String,
}

impl Rule {
    fn all(target: &'static str, source: &str, destination: &str, extra: &str) -> Rule {
        Rule {
            target,
            proto: "all",
            in_iface: "*".into(),
            out_iface: "*".into(),
            source: source.into(),
            destination: destination.into(),
            extra: extra.into(),
        }
    }

    /// iptables' `print_firewall` layout; a `!` prefix on an address takes the column's lead space.
    fn render(&self, verbose: bool) -> String {
        let column = |text: &str| match text.strip_prefix('!') {
            Some(rest) => format!("!{rest:<19} "),
            None => format!(" {text:<19} "),
        };
        let mut line = String::new();
        if verbose {
            line.push_str("    0     0 ");
        }
        line.push_str(&format!("{:<9}  {:<5}-- ", self.target, self.proto));
        if verbose {
            line.push_str(&format!(" {:<6} {:<6} ", self.in_iface, self.out_iface));
        }
        line.push_str(&column(&self.source));
        line.push_str(&column(&self.destination));
        if !self.extra.is_empty() {
            line.push_str(&format!(" {}", self.extra));
        }
        line
    }
}

/// `iptables [-t nat] -L [-n] [-v]`: the nat table dockerd maintains; the filter table in brief.
pub fn iptables(world: &World, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let mut table = "filter";
    let mut list = false;
    let mut verbose = false;
    let mut only_chain: Option<&str> = None;
    let mut words = args.iter().peekable();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-t" | "--table" => table = words.next().map_or("", String::as_str),
            "-L" | "--list" => {
                list = true;
                if let Some(chain) = words.next_if(|w| !w.starts_with('-')) {
                    only_chain = Some(chain.as_str());
                }
            }
            "-n" | "--numeric" => {}
            "-v" | "--verbose" => verbose = true,
            flags if flags.starts_with('-') && !flags.starts_with("--") && flags[1..].chars().all(|c| "Lnvx".contains(c)) => {
                list |= flags.contains('L');
                verbose |= flags.contains('v');
            }
            other => {
                outcome.err(format!("Bad argument `{other}'"));
                outcome.err("Try `iptables -h' or 'iptables --help' for more information.");
                return outcome.fail(2);
            }
        }
    }
    if !list {
        outcome.err("iptables v1.8.9 (nf_tables): no command specified");
        outcome.err("Try `iptables -h' or 'iptables --help' for more information.");
        return outcome.fail(2);
    }
    let chains: Vec<(&str, Option<usize>, Vec<Rule>)> = match table {
        "nat" => nat_chains(world),
        "filter" => vec![
            ("INPUT", None, Vec::new()),
            ("FORWARD", None, vec![Rule::all("DOCKER-USER", "0.0.0.0/0", "0.0.0.0/0", ""), Rule::all("DOCKER-FORWARD", "0.0.0.0/0", "0.0.0.0/0", "")]),
            ("OUTPUT", None, Vec::new()),
        ],
        other => {
            outcome.err(format!("iptables v1.8.9 (nf_tables): table '{other}' does not exist"));
            outcome.err("Perhaps iptables or your kernel needs to be upgraded.");
            return outcome.fail(3);
        }
    };
    let chains: Vec<_> = match only_chain {
        Some(wanted) => {
            let picked: Vec<_> = chains.into_iter().filter(|(name, _, _)| *name == wanted).collect();
            if picked.is_empty() {
                outcome.err("iptables: No chain/target/match by that name.");
                return outcome.fail(1);
            }
            picked
        }
        None => chains,
    };
    let header = if verbose {
        " pkts bytes target     prot opt in     out     source               destination         "
    } else {
        "target     prot opt source               destination         "
    };
    for (index, (name, references, rules)) in chains.iter().enumerate() {
        if index > 0 {
            outcome.out("");
        }
        outcome.out(match references {
            Some(count) => format!("Chain {name} ({count} references)"),
            None if verbose => format!("Chain {name} (policy ACCEPT 0 packets, 0 bytes)"),
            None => format!("Chain {name} (policy ACCEPT)"),
        });
        outcome.out(header);
        for rule in rules {
            outcome.out(rule.render(verbose));
        }
    }
    outcome
}

/// PREROUTING/OUTPUT jump to DOCKER for local destinations; POSTROUTING masquerades each bridge's
/// subnet (not internal ones: they have no way out); DOCKER has one DNAT per published port.
fn nat_chains(world: &World) -> Vec<(&'static str, Option<usize>, Vec<Rule>)> {
    let bridges: Vec<&crate::network::Network> = world.networks().iter().filter(|n| n.driver == "bridge").collect();
    let mut postrouting = Vec::new();
    for network in bridges.iter().filter(|n| !n.internal) {
        let mut rule = Rule::all("MASQUERADE", &network.subnet_text(), "0.0.0.0/0", "");
        rule.out_iface = format!("!{}", bridge_name(network));
        postrouting.push(rule);
    }
    let mut docker = Vec::new();
    for network in &bridges {
        let mut rule = Rule::all("RETURN", "0.0.0.0/0", "0.0.0.0/0", "");
        rule.in_iface = bridge_name(network);
        docker.push(rule);
    }
    for container in world.containers().iter().filter(|c| c.run.is_some()) {
        let Some((network, endpoint)) = bridges.iter().find_map(|n| n.endpoints.get(&container.id).map(|e| (n, e))) else { continue };
        for port in container.published.iter().filter(|p| !p.host_ip.contains(':')) {
            let destination = if port.host_ip.is_empty() { "0.0.0.0/0".to_string() } else { port.host_ip.clone() };
            docker.push(Rule {
                target: "DNAT",
                proto: if port.proto == "udp" { "udp" } else { "tcp" },
                in_iface: format!("!{}", bridge_name(network)),
                out_iface: "*".into(),
                source: "0.0.0.0/0".into(),
                destination,
                extra: format!(
                    "{} dpt:{} to:{}:{}",
                    port.proto,
                    port.host_port,
                    crate::network::ip_text(endpoint.ip),
                    port.container_port
                ),
            });
        }
    }
    vec![
        ("PREROUTING", None, vec![Rule::all("DOCKER", "0.0.0.0/0", "0.0.0.0/0", "ADDRTYPE match dst-type LOCAL")]),
        ("INPUT", None, Vec::new()),
        ("OUTPUT", None, vec![Rule::all("DOCKER", "0.0.0.0/0", "!127.0.0.0/8", "ADDRTYPE match dst-type LOCAL")]),
        ("POSTROUTING", None, postrouting),
        ("DOCKER", Some(2), docker),
    ]
}
