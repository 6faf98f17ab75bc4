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

/// A user-chosen address range: network address, prefix length and gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ipam {
    pub network: [u8; 4],
    pub prefix: u8,
    pub gateway: [u8; 4],
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
    /// A subnet and gateway given with `--subnet`/`--gateway`; overrides `subnet` when present.
    #[serde(default)]
    pub ipam: Option<Ipam>,
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
            ipam: None,
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
        matches!(self.driver.as_str(), "bridge" | "overlay" | "macvlan" | "ipvlan") && !matches!(self.name.as_str(), "bridge" | "ingress")
    }

    pub fn is_builtin(&self) -> bool {
        matches!(self.name.as_str(), "bridge" | "host" | "none")
    }

    /// (network address, prefix length, gateway) as numbers; none for `host` and `none`.
    pub fn range(&self) -> Option<(u32, u8, u32)> {
        if let Some(ipam) = &self.ipam {
            return Some((u32::from_be_bytes(ipam.network), ipam.prefix, u32::from_be_bytes(ipam.gateway)));
        }
        let [a, b] = self.subnet?;
        let base = u32::from_be_bytes([a, b, 0, 0]);
        Some((base, 16, base + 1))
    }

    /// `172.18.0.0/16`.
    pub fn subnet_text(&self) -> String {
        self.range().map(|(base, prefix, _)| format!("{}/{prefix}", ip_text(base.to_be_bytes()))).unwrap_or_default()
    }

    /// `172.18.0.1`.
    pub fn gateway_text(&self) -> String {
        self.range().map(|(_, _, gateway)| ip_text(gateway.to_be_bytes())).unwrap_or_default()
    }

    /// `172.18.255.255`.
    pub fn broadcast_text(&self) -> String {
        self.range().map(|(base, prefix, _)| ip_text((base | host_mask(prefix)).to_be_bytes())).unwrap_or_default()
    }

    pub fn prefix_len(&self) -> u8 {
        self.range().map_or(0, |(_, prefix, _)| prefix)
    }

    /// Whether this network's addresses and `base/prefix` share any address.
    pub fn overlaps(&self, base: u32, prefix: u8) -> bool {
        self.range().is_some_and(|(own, own_prefix, _)| {
            let mask = !host_mask(own_prefix.min(prefix));
            own & mask == base & mask
        })
    }

    /// The next free address from the bottom of the range, skipping the network address, the
    /// gateway and the broadcast address, as Docker's IPAM hands them out.
    pub fn next_ip(&self) -> Option<[u8; 4]> {
        let (base, prefix, gateway) = self.range()?;
        let last = base | host_mask(prefix);
        (base + 1..last)
            .map(u32::to_be_bytes)
            .find(|ip| u32::from_be_bytes(*ip) != gateway && !self.endpoints.values().any(|e| e.ip == *ip))
    }
}

/// The host bits of a prefix: `0.0.255.255` for /16.
pub fn host_mask(prefix: u8) -> u32 {
    if prefix >= 32 { 0 } else { u32::MAX >> prefix }
}

/// An address as text.
pub fn ip_text(ip: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3])
}
