//! Published ports: `-p` specs read as the docker CLI reads them (`nat.ParsePortSpec`, with its
//! error texts), host ports bound when a container starts — ephemeral ones handed out in order
//! from 32768 as libnetwork's port allocator does — and `port is already allocated` conflicts.

use serde::{Deserialize, Serialize};

/// One `-p` value after parsing: host IP (empty = every interface), host port (empty for an
/// ephemeral one), container port and protocol. Ranges expand to one binding per port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortBinding {
    pub host_ip: String,
    pub host_port: String,
    pub container_port: String,
    pub proto: String,
}

impl PortBinding {
    /// `80/tcp`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.container_port, self.proto)
    }
}

/// A port bound on the host while the container runs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PublishedPort {
    /// As given with `-p IP:…`; empty means `0.0.0.0` and `::` both.
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    pub proto: String,
}

impl PublishedPort {
    /// The addresses it answers on, as `NetworkSettings.Ports` lists them.
    pub fn host_addresses(&self) -> Vec<String> {
        if self.host_ip.is_empty() { vec!["0.0.0.0".into(), "::".into()] } else { vec![self.host_ip.clone()] }
    }

    /// Whether it answers a connection to `address` on the host.
    pub fn answers(&self, address: &str, port: u16, proto: &str) -> bool {
        let loopback = matches!(address, "localhost" | "127.0.0.1" | "::1" | "0.0.0.0");
        self.host_port == port
            && self.proto == proto
            && (self.host_ip.is_empty() || self.host_ip == "0.0.0.0" || self.host_ip == address || (loopback && self.host_ip.starts_with("127.")))
    }
}

/// The first port of the kernel's ephemeral range (`ip_local_port_range` 32768–60999).
pub const EPHEMERAL_FIRST: u16 = 32768;
pub const EPHEMERAL_LAST: u16 = 60999;

/// Reads one `-p` value, or the CLI's error for it (`invalid containerPort: abc`).
pub fn parse_port_spec(spec: &str) -> Result<Vec<PortBinding>, String> {
    let (rest, proto) = match spec.rsplit_once('/') {
        Some((rest, proto)) => (rest, proto.to_ascii_lowercase()),
        None => (spec, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    // `nat.ParsePortSpec` splits on the last two colons; an IPv6 address is bracketed.
    let (ip, host, container) = if let Some(after) = rest.strip_prefix('[') {
        let Some((ip, tail)) = after.split_once("]:") else { return Err(format!("invalid IP address: {rest}")) };
        match tail.split_once(':') {
            Some((host, container)) => (ip.to_string(), host, container),
            None => (ip.to_string(), "", tail),
        }
    } else {
        let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
        match parts.as_slice() {
            [container] => (String::new(), "", *container),
            [container, host] => (String::new(), *host, *container),
            [container, host, ip] => (ip.to_string(), *host, *container),
            _ => (String::new(), "", rest),
        }
    };
    if !ip.is_empty() && !is_ip(&ip) {
        return Err(format!("invalid IP address: {ip}"));
    }
    let range = |text: &str| -> Option<(u32, u32)> {
        let (a, b) = text.split_once('-').unwrap_or((text, text));
        let (a, b) = (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?);
        (a <= b && b <= 65535).then_some((a, b))
    };
    let Some((c_start, c_end)) = range(container).filter(|(start, _)| *start >= 1 || container == "0") else {
        return Err(format!("invalid containerPort: {container}"));
    };
    let host_range = if host.is_empty() { None } else { Some(range(host).ok_or_else(|| format!("invalid hostPort: {host}"))?) };
    if let Some((h_start, h_end)) = host_range {
        if h_end > h_start && h_end - h_start != c_end - c_start && c_end != c_start {
            return Err(format!("invalid ranges specified for container and host Ports: {container} and {host}"));
        }
    }
    Ok((c_start..=c_end.min(c_start + 1000))
        .enumerate()
        .map(|(i, port)| PortBinding {
            host_ip: ip.clone(),
            host_port: match host_range {
                Some((h_start, h_end)) if h_end > h_start && c_end > c_start => (h_start + i as u32).to_string(),
                Some((h_start, h_end)) if h_end > h_start => format!("{h_start}-{h_end}"),
                Some((h_start, _)) => h_start.to_string(),
                None => String::new(),
            },
            container_port: port.to_string(),
            proto: proto.clone(),
        })
        .collect())
}

fn is_ip(text: &str) -> bool {
    let v4: Vec<&str> = text.split('.').collect();
    if v4.len() == 4 && v4.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok()) {
        return true;
    }
    is_ipv6(text)
}

/// `net.ParseIP` for IPv6: eight groups of up to four hex digits, `::` once for a run of zeros.
fn is_ipv6(text: &str) -> bool {
    let groups_ok = |part: &str| -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let groups: Vec<&str> = part.split(':').collect();
        groups.iter().all(|g| (1..=4).contains(&g.len()) && g.chars().all(|c| c.is_ascii_hexdigit())).then_some(groups.len())
    };
    match text.split_once("::") {
        Some((head, tail)) => {
            !tail.contains("::") && matches!((groups_ok(head), groups_ok(tail)), (Some(a), Some(b)) if a + b <= 7)
        }
        None => groups_ok(text) == Some(8),
    }
}

/// What a container asks to publish: its `-p` bindings, plus every exposed port on an ephemeral
/// host port with `-P`.
pub fn requested(bindings: &[String], publish_all: bool, exposed: &std::collections::BTreeSet<String>) -> Vec<PortBinding> {
    let mut wanted: Vec<PortBinding> = bindings.iter().filter_map(|spec| parse_port_spec(spec).ok()).flatten().collect();
    if publish_all {
        for port in exposed {
            let (number, proto) = port.split_once('/').unwrap_or((port, "tcp"));
            if !wanted.iter().any(|b| b.container_port == number && b.proto == proto) {
                wanted.push(PortBinding { host_ip: String::new(), host_port: String::new(), container_port: number.into(), proto: proto.into() });
            }
        }
    }
    wanted
}

/// Binds `wanted` on the host next to `taken` (ports other running containers hold). Ephemeral
/// ports come from `cursor` onwards; the error is libnetwork's, naming the address that clashed.
pub fn bind(wanted: &[PortBinding], taken: &[PublishedPort], cursor: &mut u16) -> Result<Vec<PublishedPort>, String> {
    let mut bound: Vec<PublishedPort> = Vec::new();
    let clashes = |list: &[PublishedPort], ip: &str, port: u16, proto: &str| {
        list.iter().any(|p| p.host_port == port && p.proto == proto && (p.host_ip.is_empty() || ip.is_empty() || p.host_ip == ip))
    };
    for binding in wanted {
        let Ok(container_port) = binding.container_port.parse::<u16>() else { continue };
        let (first, last) = match binding.host_port.split_once('-') {
            Some((a, b)) => (a.parse::<u16>().unwrap_or(0), b.parse::<u16>().unwrap_or(0)),
            None => {
                let port = binding.host_port.parse::<u16>().unwrap_or(0);
                (port, port)
            }
        };
        let host_port = if first == 0 {
            let span = u32::from(EPHEMERAL_LAST - EPHEMERAL_FIRST) + 1;
            let mut found = None;
            for step in 0..span {
                let candidate = EPHEMERAL_FIRST + ((u32::from(cursor.saturating_sub(EPHEMERAL_FIRST)) + step) % span) as u16;
                if !clashes(taken, &binding.host_ip, candidate, &binding.proto) && !clashes(&bound, &binding.host_ip, candidate, &binding.proto) {
                    found = Some(candidate);
                    break;
                }
            }
            let port = found.ok_or_else(|| "no available ports".to_string())?;
            *cursor = if port == EPHEMERAL_LAST { EPHEMERAL_FIRST } else { port + 1 };
            port
        } else {
            // A host range takes its first free port; a single port must be free.
            match (first..=last).find(|p| !clashes(taken, &binding.host_ip, *p, &binding.proto) && !clashes(&bound, &binding.host_ip, *p, &binding.proto)) {
                Some(port) => port,
                None => {
                    let ip = if binding.host_ip.is_empty() { "0.0.0.0" } else { &binding.host_ip };
                    let shown = if ip.contains(':') { format!("[{ip}]") } else { ip.to_string() };
                    return Err(format!("Bind for {shown}:{first} failed: port is already allocated"));
                }
            }
        };
        bound.push(PublishedPort { host_ip: binding.host_ip.clone(), host_port, container_port, proto: binding.proto.clone() });
    }
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(spec: &str) -> PortBinding {
        parse_port_spec(spec).unwrap().remove(0)
    }

    #[test]
    fn specs_read_like_the_cli() {
        assert_eq!(one("8080:80").host_port, "8080");
        assert_eq!(one("127.0.0.1:8080:80").host_ip, "127.0.0.1");
        assert_eq!(one("127.0.0.1::80").host_port, "");
        assert_eq!(one("[::1]:8080:80").host_ip, "::1");
        assert_eq!(one("53/udp").proto, "udp");
        assert_eq!(parse_port_spec("8000-8001:80-81").unwrap().len(), 2);
        assert_eq!(parse_port_spec("abc"), Err("invalid containerPort: abc".into()));
        assert_eq!(parse_port_spec("80:abc"), Err("invalid containerPort: abc".into()));
        assert_eq!(parse_port_spec("99999"), Err("invalid containerPort: 99999".into()));
        assert_eq!(parse_port_spec("1.2.3.4:80"), Err("invalid hostPort: 1.2.3.4".into()));
        assert_eq!(parse_port_spec("80/xyz"), Err("invalid proto: xyz".into()));
        assert_eq!(parse_port_spec("a:b:c:d"), Err("invalid IP address: a:b".into()));
        assert_eq!(one("[fe80::1]:80:80").host_ip, "fe80::1");
        assert_eq!(parse_port_spec("[fe80:::1]:80:80"), Err("invalid IP address: fe80:::1".into()));
        assert_eq!(parse_port_spec("65536:80"), Err("invalid hostPort: 65536".into()));
        assert_eq!(parse_port_spec("80-79"), Err("invalid containerPort: 80-79".into()));
        assert_eq!(
            parse_port_spec("8000-8002:80-81"),
            Err("invalid ranges specified for container and host Ports: 80-81 and 8000-8002".into())
        );
    }

    #[test]
    fn ephemeral_ports_count_up_and_conflicts_name_the_address() {
        let mut cursor = EPHEMERAL_FIRST;
        let first = bind(&parse_port_spec("80").unwrap(), &[], &mut cursor).unwrap();
        assert_eq!(first[0].host_port, 32768);
        let second = bind(&parse_port_spec("80").unwrap(), &first, &mut cursor).unwrap();
        assert_eq!(second[0].host_port, 32769);
        let fixed = bind(&parse_port_spec("8080:80").unwrap(), &[], &mut cursor).unwrap();
        assert_eq!(
            bind(&parse_port_spec("8080:80").unwrap(), &fixed, &mut cursor),
            Err("Bind for 0.0.0.0:8080 failed: port is already allocated".into())
        );
        // Another protocol or another address is free.
        assert!(bind(&parse_port_spec("8080:80/udp").unwrap(), &fixed, &mut cursor).is_ok());
        let local = bind(&parse_port_spec("127.0.0.1:9000:80").unwrap(), &[], &mut cursor).unwrap();
        assert!(bind(&parse_port_spec("127.0.0.2:9000:80").unwrap(), &local, &mut cursor).is_ok());
        assert_eq!(
            bind(&parse_port_spec("9000:80").unwrap(), &local, &mut cursor),
            Err("Bind for 0.0.0.0:9000 failed: port is already allocated".into())
        );
    }
}
