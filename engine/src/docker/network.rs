//! `docker network ls|create|rm|inspect|connect|disconnect|prune`.

use serde_json::{json, Map, Value};

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::network::{host_mask, ip_text, Endpoint, Ipam, Network};
use crate::outcome::Outcome;
use crate::table::render;
use crate::world::World;

macro_rules! spec {
    ($name:ident, $path:literal, $help:literal, $args:expr) => {
        pub const $name: CommandSpec = CommandSpec { path: $path, help: include_str!($help), args: $args, interspersed: true };
    };
}

spec!(NETWORK, "docker network", "help/network.txt", Args::None);
spec!(LS, "docker network ls", "help/network_ls.txt", Args::None);
spec!(CREATE, "docker network create", "help/network_create.txt", Args::Exactly(1));
spec!(RM, "docker network rm", "help/network_rm.txt", Args::AtLeast(1));
spec!(INSPECT, "docker network inspect", "help/network_inspect.txt", Args::AtLeast(1));
spec!(CONNECT, "docker network connect", "help/network_connect.txt", Args::Exactly(2));
spec!(DISCONNECT, "docker network disconnect", "help/network_disconnect.txt", Args::Exactly(2));
spec!(PRUNE, "docker network prune", "help/network_prune.txt", Args::None);

/// Overlay networks span the swarm; the rest are this host's.
fn scope(network: &Network) -> &'static str {
    if network.driver == "overlay" { "swarm" } else { "local" }
}

pub fn ls(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let mut filters = Vec::new();
    for spec in parsed.values("filter") {
        match spec.split_once('=') {
            Some((key, value)) => filters.push((key.to_ascii_lowercase(), value.to_string())),
            None => {
                let message = format!("invalid argument \"{spec}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
                return super::flag_value_error(&LS, &message);
            }
        }
    }
    if let Some((other, _)) = filters.iter().find(|(k, _)| !["name", "id", "driver", "scope", "type", "label"].contains(&k.as_str())) {
        outcome.err(format!("Error response from daemon: invalid filter '{other}'"));
        return outcome.fail(1);
    }
    // The daemon lists networks sorted by name; filters of one key OR, of different keys AND.
    let mut networks: Vec<&Network> = world.networks().iter().filter(|n| network_matches(n, &filters)).collect();
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    let id = |network: &Network| if parsed.bool("no-trunc") { network.id.clone() } else { network.id[..12].to_string() };
    if parsed.bool("quiet") {
        for network in networks {
            outcome.out(id(network));
        }
        return outcome;
    }
    if let Some(format) = parsed.value("format").filter(|f| !f.is_empty() && *f != "table") {
        // The CLI's networkContext: each placeholder and its column header.
        let rows: Vec<serde_json::Value> = networks
            .iter()
            .map(|network| {
                let labels: Vec<String> = network.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                serde_json::json!({
                    "CreatedAt": super::ps::go_time(network.created),
                    "Driver": network.driver,
                    "ID": id(network),
                    "IPv4": "true",
                    "IPv6": "false",
                    "Internal": network.internal.to_string(),
                    "Labels": labels.join(","),
                    "Name": network.name,
                    "Scope": scope(network),
                })
            })
            .collect();
        let headers = serde_json::json!({
            "CreatedAt": "CREATED", "Driver": "DRIVER", "ID": "NETWORK ID", "IPv4": "IPV4", "IPv6": "IPV6",
            "Internal": "INTERNAL", "Labels": "LABELS", "Name": "NAME", "Scope": "SCOPE",
        });
        return match super::template::format_rows(format, &rows, &headers, "*network.networkContext") {
            Ok(lines) => {
                for line in lines {
                    outcome.out(line);
                }
                outcome
            }
            Err(error) => {
                outcome.err(error);
                outcome.fail(1)
            }
        };
    }
    let mut rows = vec![["NETWORK ID", "NAME", "DRIVER", "SCOPE"].map(String::from).to_vec()];
    for network in networks {
        rows.push(vec![id(network), network.name.clone(), network.driver.clone(), scope(network).to_string()]);
    }
    for line in render(&rows) {
        outcome.out(line);
    }
    outcome
}

/// `network ls --filter`: values of one key are alternatives, different keys must all hold.
/// `name` is a regular expression over the name (the daemon's), `id` a prefix.
fn network_matches(network: &Network, filters: &[(String, String)]) -> bool {
    let keys: std::collections::BTreeSet<&str> = filters.iter().map(|(k, _)| k.as_str()).collect();
    keys.into_iter().all(|key| {
        filters.iter().filter(|(k, _)| k == key).any(|(_, value)| match key {
            "name" => super::ps::regex_match(value, &network.name),
            "id" => network.id.starts_with(value.as_str()),
            "driver" => &network.driver == value,
            "scope" => scope(network) == value,
            "type" => (value == "builtin") == network.is_builtin(),
            _ => false,
        })
    })
}

pub fn create(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(name) = parsed.args.first().cloned() else { return outcome };
    let driver = parsed.value("driver").unwrap_or("bridge");
    match driver {
        "bridge" | "macvlan" | "ipvlan" => {}
        "overlay" if world.swarm.is_some() => {}
        "overlay" => {
            outcome.err("Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
            return outcome.fail(1);
        }
        "host" | "null" => {
            outcome.err(format!("Error response from daemon: only one instance of \"{driver}\" network is allowed"));
            return outcome.fail(1);
        }
        other => {
            outcome.err(format!("Error response from daemon: plugin \"{other}\" not found"));
            return outcome.fail(1);
        }
    }
    if world.networks().iter().any(|n| n.name == name) {
        outcome.err(format!("Error response from daemon: network with name {name} already exists"));
        return outcome.fail(1);
    }
    // Overlay networks take the next 10.0.N.0/24 from swarm's default pool.
    let overlay_pool = (driver == "overlay" && parsed.value("subnet").is_none()).then(|| {
        // 10.0.2.0/24 is the host's own LAN here, so swarm passes over it.
        (1u8..=255)
            .filter(|n| *n != 2)
            .map(|n| [10, 0, n, 0])
            .find(|base| !world.networks().iter().any(|net| net.overlaps(u32::from_be_bytes(*base), 24)))
    });
    let range = match overlay_pool {
        Some(Some(base)) => Ok((None, Some(Ipam { network: base, prefix: 24, gateway: [base[0], base[1], base[2], 1] }))),
        Some(None) => Err("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network".to_string()),
        None => address_range(world, parsed.value("subnet"), parsed.value("gateway")),
    };
    let (subnet, ipam) = match range {
        Ok(range) => range,
        Err(message) => {
            outcome.err(format!("Error response from daemon: {message}"));
            return outcome.fail(1);
        }
    };
    let id = world.ids.hex_id();
    let mut labels = std::collections::BTreeMap::new();
    for label in parsed.values("label") {
        let (key, value) = label.split_once('=').unwrap_or((label, ""));
        labels.insert(key.to_string(), value.to_string());
    }
    world.networks.push(Network {
        id: id.clone(),
        name,
        driver: driver.into(),
        created: world.now(),
        subnet,
        ipam,
        internal: parsed.bool("internal"),
        attachable: parsed.bool("attachable"),
        labels,
        endpoints: Default::default(),
    });
    outcome.out(id);
    outcome
}

/// The network's addresses: `--subnet`/`--gateway` as given (checked as libnetwork checks them),
/// else the next free 172.x.0.0/16 after the default bridge's 172.17.
fn address_range(world: &World, subnet: Option<&str>, gateway: Option<&str>) -> Result<(Option<[u8; 2]>, Option<Ipam>), String> {
    let Some(text) = subnet else {
        if gateway.is_some() {
            return Err("every ip-range or gateway must have a corresponding subnet".into());
        }
        let taken = |[a, b]: [u8; 2]| world.networks().iter().any(|n| n.overlaps(u32::from_be_bytes([a, b, 0, 0]), 16));
        return match (18u8..32).map(|b| [172, b]).find(|pool| !taken(*pool)) {
            Some(pool) => Ok((Some(pool), None)),
            None => Err("all predefined address pools have been fully subnetted".into()),
        };
    };
    let invalid = || format!("invalid CIDR address: {text}");
    let (address, bits) = text.split_once('/').ok_or_else(invalid)?;
    let address = parse_ipv4(address).ok_or_else(invalid)?;
    let prefix: u8 = bits.parse().ok().filter(|b| *b <= 32).ok_or_else(invalid)?;
    let base = u32::from_be_bytes(address) & !host_mask(prefix);
    if base != u32::from_be_bytes(address) {
        return Err(format!("invalid subnet {text} : it should be {}/{prefix}", ip_text(base.to_be_bytes())));
    }
    let gateway = match gateway {
        Some(text) => {
            let ip = parse_ipv4(text).ok_or_else(|| format!("invalid gateway address {text}"))?;
            if u32::from_be_bytes(ip) & !host_mask(prefix) != base {
                return Err(format!("no matching subnet for gateway {text}"));
            }
            ip
        }
        None => (base + 1).to_be_bytes(),
    };
    if world.networks().iter().any(|n| n.overlaps(base, prefix)) {
        return Err("invalid pool request: Pool overlaps with other one on this address space".into());
    }
    Ok((None, Some(Ipam { network: base.to_be_bytes(), prefix, gateway })))
}

fn parse_ipv4(text: &str) -> Option<[u8; 4]> {
    let octets: Vec<u8> = text.split('.').map(|o| o.parse().ok()).collect::<Option<_>>()?;
    octets.try_into().ok()
}

pub fn rm(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    for name in &parsed.args {
        let Some(network) = world.find_network(name).cloned() else {
            outcome.err(format!("Error response from daemon: network {name} not found"));
            outcome.exit_code = 1;
            continue;
        };
        if network.is_builtin() {
            outcome.err(format!("Error response from daemon: {} is a pre-defined network and cannot be removed", network.name));
            outcome.exit_code = 1;
            continue;
        }
        if !network.endpoints.is_empty() {
            outcome.err(format!(
                "Error response from daemon: error while removing network: network {} has active endpoints (name:\"{}\" id:\"{}\")",
                network.name,
                network.endpoints.keys().next().and_then(|id| world.container(id)).map(|c| c.name.clone()).unwrap_or_default(),
                network.endpoints.keys().next().map(|id| &id[..12]).unwrap_or_default()
            ));
            outcome.exit_code = 1;
            continue;
        }
        world.networks.retain(|n| n.id != network.id);
        outcome.out(name.clone());
    }
    outcome
}

pub fn prune(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if !parsed.bool("force") {
        outcome.out("WARNING! This will remove all custom networks not used by at least one container.");
        outcome.out("Are you sure you want to continue? [y/N] ");
        return outcome.ask();
    }
    let unused: Vec<String> = world.networks().iter().filter(|n| !n.is_builtin() && n.endpoints.is_empty()).map(|n| n.name.clone()).collect();
    if !unused.is_empty() {
        outcome.out("Deleted Networks:");
        for name in &unused {
            outcome.out(name.clone());
        }
        outcome.out("");
    }
    world.networks.retain(|n| !unused.contains(&n.name));
    outcome
}

pub fn connect(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let [network_name, container_name] = parsed.args.as_slice() else { return outcome };
    let Some(network_id) = world.find_network(network_name).map(|n| n.id.clone()) else {
        outcome.err(format!("Error response from daemon: network {network_name} not found"));
        return outcome.fail(1);
    };
    let Some(container_id) = world.find_container(container_name).map(|c| c.id.clone()) else {
        outcome.err(format!("Error response from daemon: No such container: {container_name}"));
        return outcome.fail(1);
    };
    let aliases = parsed.values("alias").to_vec();
    let Some(network) = world.networks.iter_mut().find(|n| n.id == network_id) else { return outcome };
    if network.range().is_none() {
        outcome.err("Error response from daemon: container cannot be disconnected from host network or connected to host network");
        return outcome.fail(1);
    }
    if network.endpoints.contains_key(&container_id) {
        outcome.err(format!("Error response from daemon: endpoint with name {container_name} already exists in network {}", network.name));
        return outcome.fail(1);
    }
    if let Some(ip) = network.next_ip() {
        network.endpoints.insert(container_id, Endpoint { ip, aliases });
    }
    outcome
}

pub fn disconnect(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let [network_name, container_name] = parsed.args.as_slice() else { return outcome };
    let Some(container_id) = world.find_container(container_name).map(|c| c.id.clone()) else {
        outcome.err(format!("Error response from daemon: No such container: {container_name}"));
        return outcome.fail(1);
    };
    let Some(network) = world.networks.iter_mut().find(|n| n.name == *network_name || n.id == *network_name) else {
        outcome.err(format!("Error response from daemon: network {network_name} not found"));
        return outcome.fail(1);
    };
    if network.endpoints.remove(&container_id).is_none() {
        outcome.err(format!("Error response from daemon: container {container_id} is not connected to network {network_name}"));
        return outcome.fail(1);
    }
    outcome
}

pub fn inspect(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let mut found = Vec::new();
    for name in &parsed.args {
        match world.find_network(name) {
            Some(network) => found.push(network_json(world, network)),
            None => {
                outcome.err(format!("Error response from daemon: network {name} not found"));
                outcome.exit_code = 1;
            }
        }
    }
    let mut result = Outcome::default();
    match parsed.value("format").filter(|f| !f.is_empty()) {
        Some(format) => {
            for value in &found {
                match super::template::execute_inspect(format, value) {
                    Ok(text) => result.out_block(&text),
                    Err(error) => {
                        result.err(error);
                        return result.fail(1);
                    }
                }
            }
        }
        None => result.out_block(&super::inspect::go_json(&Value::Array(found))),
    }
    result.output.append(&mut outcome.output);
    result.exit_code = outcome.exit_code;
    result
}

fn network_json(world: &World, network: &Network) -> Value {
    let mut containers = Map::new();
    for (id, endpoint) in &network.endpoints {
        let name = world.container(id).map(|c| c.name.clone()).unwrap_or_default();
        containers.insert(
            id.clone(),
            json!({
                "Name": name,
                "EndpointID": crate::ids::digest_hex(&crate::ids::sha256_digest(format!("{}/{id}", network.id).as_bytes())),
                "MacAddress": format!("02:42:{:02x}:{:02x}:{:02x}:{:02x}", endpoint.ip[0], endpoint.ip[1], endpoint.ip[2], endpoint.ip[3]),
                "IPv4Address": format!("{}/16", ip_text(endpoint.ip)),
                "IPv6Address": ""
            }),
        );
    }
    let config = if network.range().is_some() {
        json!([{ "Subnet": network.subnet_text(), "Gateway": network.gateway_text() }])
    } else {
        json!([])
    };
    let mut options = Map::new();
    if network.name == "bridge" {
        options.insert("com.docker.network.bridge.default_bridge".into(), json!("true"));
        options.insert("com.docker.network.bridge.enable_icc".into(), json!("true"));
        options.insert("com.docker.network.bridge.enable_ip_masquerade".into(), json!("true"));
        options.insert("com.docker.network.bridge.name".into(), json!("docker0"));
        options.insert("com.docker.network.driver.mtu".into(), json!("1500"));
    }
    json!({
        "Name": network.name,
        "Id": network.id,
        "Created": network.created.rfc3339(),
        "Scope": "local",
        "Driver": network.driver,
        "EnableIPv4": true,
        "EnableIPv6": false,
        "IPAM": { "Driver": "default", "Options": if network.is_builtin() { Value::Null } else { json!({}) }, "Config": config },
        "Internal": network.internal,
        "Attachable": network.attachable,
        "Ingress": false,
        "ConfigFrom": { "Network": "" },
        "ConfigOnly": false,
        "Containers": containers,
        "Options": options,
        "Labels": network.labels,
    })
}
