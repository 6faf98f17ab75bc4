//! The network view's model: bridges with their containers and IPs, ports published to the host,
//! compose projects, and the name lookup the last command made (if any).

use std::collections::BTreeMap;

use engine::network::ip_text;
use engine::World;

/// A container attached to a network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetNode {
    pub name: String,
    pub ip: String,
    pub running: bool,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetView {
    pub name: String,
    pub driver: String,
    pub subnet: String,
    pub gateway: String,
    /// `--internal`: no route out of the host.
    pub internal: bool,
    /// Runs Docker's embedded DNS (user-defined networks): containers find each other by name.
    pub dns: bool,
    pub nodes: Vec<NetNode>,
}

/// `-p`: a host address and port forwarded to a container's port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortMap {
    pub container: String,
    pub host: String,
    pub target: String,
}

/// A name lookup the last command made from inside a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsQuery {
    pub from: String,
    pub name: String,
    /// The address it resolved to; `None` when the lookup failed.
    pub answer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkModel {
    pub networks: Vec<NetView>,
    pub ports: Vec<PortMap>,
    /// Compose project → its containers.
    pub projects: BTreeMap<String, Vec<String>>,
    pub dns: Option<DnsQuery>,
}

pub const COMPOSE_PROJECT_LABEL: &str = "com.docker.compose.project";

pub fn model(world: &World, last_command: &str, last_output: &[String]) -> NetworkModel {
    let name_of = |id: &str| world.container(id).map_or_else(|| super::short_id(id), |c| c.name.clone());
    let networks = world
        .networks()
        .iter()
        // `host` and `none` have nothing to draw unless something uses them.
        .filter(|n| n.driver == "bridge" || n.driver == "overlay" || !n.endpoints.is_empty())
        .map(|n| NetView {
            name: n.name.clone(),
            driver: n.driver.clone(),
            subnet: n.subnet_text(),
            gateway: n.gateway_text(),
            internal: n.internal,
            dns: n.has_dns(),
            nodes: n
                .endpoints
                .iter()
                .map(|(id, endpoint)| NetNode {
                    name: name_of(id),
                    ip: ip_text(endpoint.ip),
                    running: world.container(id).is_some_and(|c| c.is_running()),
                    aliases: endpoint.aliases.clone(),
                })
                .collect(),
        })
        .collect();
    let ports = world
        .containers()
        .iter()
        .flat_map(|c| {
            c.published.iter().map(|p| PortMap {
                container: c.name.clone(),
                host: format!("{}:{}", if p.host_ip.is_empty() { "0.0.0.0" } else { p.host_ip.as_str() }, p.host_port),
                target: format!("{}/{}", p.container_port, p.proto),
            })
        })
        .collect();
    let mut projects: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in world.containers() {
        if let Some(project) = c.config.labels.get(COMPOSE_PROJECT_LABEL) {
            projects.entry(project.clone()).or_default().push(c.name.clone());
        }
    }
    NetworkModel { networks, ports, projects, dns: dns_query(world, last_command, last_output) }
}

/// Programs that look a name up before doing anything else.
const LOOKUP_PROGRAMS: [&str; 7] = ["ping", "nslookup", "getent", "curl", "wget", "nc", "host"];

/// What resolvers print when a name does not resolve (busybox, glibc, curl, nslookup).
const LOOKUP_FAILURES: [&str; 6] = ["bad address", "Could not resolve host", "Name or service not known", "can't find", "unknown host", "Temporary failure in name resolution"];

/// `docker exec C PROGRAM … NAME` (or `docker run … --network N IMAGE PROGRAM NAME`): the name
/// looked up, answered as the container's resolver would answer it, failed if the output says so.
pub fn dns_query(world: &World, last_command: &str, last_output: &[String]) -> Option<DnsQuery> {
    let words: Vec<&str> = last_command.split_whitespace().collect();
    if words.first() != Some(&"docker") || words.get(1) != Some(&"exec") {
        return None;
    }
    let program_at = words.iter().position(|w| LOOKUP_PROGRAMS.contains(&w.rsplit('/').next().unwrap_or(w)))?;
    let container = words[2..program_at].iter().rev().find(|w| !w.starts_with('-'))?;
    let target = words[program_at + 1..].iter().find(|w| !w.starts_with('-') && !w.chars().all(|c| c.is_ascii_digit()) && *w != &"hosts")?;
    let name = host_of(target);
    if name.is_empty() || name.parse::<std::net::Ipv4Addr>().is_ok() || name == "localhost" {
        return None;
    }
    let from = world.find_container(container)?;
    let failed = last_output.iter().any(|line| LOOKUP_FAILURES.iter().any(|f| line.contains(f)));
    let answer = if failed { None } else { resolve(world, &from.id, &name) };
    Some(DnsQuery { from: from.name.clone(), name, answer })
}

/// `http://web:8000/path` → `web`.
fn host_of(target: &str) -> String {
    let rest = target.split_once("://").map_or(target, |(_, rest)| rest);
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    host.rsplit_once('@').map_or(host, |(_, h)| h).split(':').next().unwrap_or_default().to_string()
}

/// The embedded DNS's answer: a container or alias on a user network both containers share.
fn resolve(world: &World, from: &str, name: &str) -> Option<String> {
    world.networks().iter().filter(|n| n.has_dns() && n.endpoints.contains_key(from)).find_map(|n| {
        n.endpoints.iter().find_map(|(id, endpoint)| {
            let named = world.container(id).is_some_and(|c| c.name == name) || endpoint.aliases.iter().any(|a| a == name);
            named.then(|| ip_text(endpoint.ip))
        })
    })
}
