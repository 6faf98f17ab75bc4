//! Docker networks: the default `bridge` (no name resolution), `host` and `none`, user-defined
//! bridges with their own subnet and an embedded DNS server at 127.0.0.11, and IP address
//! management — each container endpoint gets the next free address, released when it leaves.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::SimTime;

/// A container's attachment to a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The container's IPv4 address on this network.
    pub ip: [u8; 4],
    /// `--network-alias` names (and, on user networks, the container's own name resolves too).
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    /// 64 hex digits.
    pub id: String,
    pub name: String,
    /// `bridge`, `host`, `null`.
    pub driver: String,
    pub created: SimTime,
    /// The /16 subnet's first two octets (`[172, 18]`); none for `host` and `none`.
    pub subnet: Option<[u8; 2]>,
    pub internal: bool,
    pub attachable: bool,
    pub labels: BTreeMap<String, String>,
    /// Container ID → endpoint.
    pub endpoints: BTreeMap<String, Endpoint>,
}

impl Network {
    /// The three networks every daemon starts with.
    pub fn defaults(ids: [String; 3]) -> Vec<Network> {
        let [bridge, host, none] = ids;
        let base = |id: String, name: &str, driver: &str, subnet: Option<[u8; 2]>| Network {
            id,
            name: name.to_string(),
            driver: driver.to_string(),
            created: SimTime(crate::clock::SESSION_START.0 - 30 * crate::clock::DAY),
            subnet,
            internal: false,
            attachable: false,
            labels: BTreeMap::new(),
            endpoints: BTreeMap::new(),
        };
        vec![base(bridge, "bridge", "bridge", Some([172, 17])), base(host, "host", "host", None), base(none, "none", "null", None)]
    }

    /// Whether the embedded DNS server answers container names here (user-defined bridges only;
    /// the default bridge has none, as the guides' `ping: bad address 'db'` shows).
    pub fn has_dns(&self) -> bool {
        self.driver == "bridge" && self.name != "bridge"
    }

    pub fn is_builtin(&self) -> bool {
        matches!(self.name.as_str(), "bridge" | "host" | "none")
    }

    /// `172.18.0.0/16`.
    pub fn subnet_text(&self) -> String {
        self.subnet.map(|[a, b]| format!("{a}.{b}.0.0/16")).unwrap_or_default()
    }

    /// `172.18.0.1`.
    pub fn gateway_text(&self) -> String {
        self.subnet.map(|[a, b]| format!("{a}.{b}.0.1")).unwrap_or_default()
    }

    /// The next free address (`.0.2` upwards, as Docker's IPAM hands them out).
    pub fn next_ip(&self) -> Option<[u8; 4]> {
        let [a, b] = self.subnet?;
        (2u32..65_534).map(|n| [a, b, (n >> 8) as u8, (n & 0xff) as u8]).find(|ip| {
            ip[3] != 0 && ip[3] != 255 && !self.endpoints.values().any(|e| e.ip == *ip)
        })
    }
}

/// An address as text.
pub fn ip_text(ip: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3])
}
