//! Images as the local store keeps them: config, history, and layers by digest.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::clock::SimTime;
use crate::ids::sha256_digest;

/// `HEALTHCHECK` as stored in an image config (durations in milliseconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Healthcheck {
    /// `["CMD-SHELL", "curl -f http://localhost/"]`, `["CMD", …]` or `["NONE"]`.
    pub test: Vec<String>,
    pub interval: u64,
    pub timeout: u64,
    pub start_period: u64,
    pub retries: u32,
}

/// The runtime configuration an image carries (Docker's `Config` object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    pub env: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
    pub user: String,
    pub exposed_ports: BTreeSet<String>,
    pub volumes: BTreeSet<String>,
    pub healthcheck: Option<Healthcheck>,
    pub labels: BTreeMap<String, String>,
    pub stop_signal: Option<String>,
    pub shell: Option<Vec<String>>,
    pub on_build: Vec<String>,
    pub architecture: String,
    pub os: String,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            env: vec![DEFAULT_PATH_ENV.to_string()],
            cmd: None,
            entrypoint: None,
            working_dir: String::new(),
            user: String::new(),
            exposed_ports: BTreeSet::new(),
            volumes: BTreeSet::new(),
            healthcheck: None,
            labels: BTreeMap::new(),
            stop_signal: None,
            shell: None,
            on_build: Vec::new(),
            architecture: "amd64".into(),
            os: "linux".into(),
        }
    }
}

pub const DEFAULT_PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

impl ImageConfig {
    /// The value of an environment variable, as the image sets it.
    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find_map(|entry| entry.strip_prefix(name)?.strip_prefix('='))
    }

    /// Sets or replaces an environment variable, keeping the order Docker keeps.
    pub fn set_env(&mut self, name: &str, value: &str) {
        let entry = format!("{name}={value}");
        match self.env.iter_mut().find(|e| e.split('=').next() == Some(name)) {
            Some(existing) => *existing = entry,
            None => self.env.push(entry),
        }
    }
}

/// One row of `docker history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub created: SimTime,
    pub created_by: String,
    /// Metadata-only steps (ENV, CMD, …) add no layer and show `0B`.
    pub empty_layer: bool,
    pub comment: String,
}

/// An image: an ordered stack of layers plus config and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// `sha256:` digest of the config, which covers the layers and history too.
    pub id: String,
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    pub created: SimTime,
    /// Layer digests, bottom first.
    pub layers: Vec<String>,
    pub config: ImageConfig,
    pub history: Vec<HistoryEntry>,
    /// Total unpacked size of all layers.
    pub size: u64,
}

impl Image {
    /// Assembles an image and computes its ID from everything that defines it.
    pub fn new(
        created: SimTime,
        layers: Vec<String>,
        config: ImageConfig,
        history: Vec<HistoryEntry>,
        size: u64,
    ) -> Image {
        let canonical = serde_json::json!({
            "created": created.rfc3339(),
            "config": config,
            "rootfs": layers,
            "history": history,
        });
        let id = sha256_digest(canonical.to_string().as_bytes());
        Image { id, repo_tags: Vec::new(), repo_digests: Vec::new(), created, layers, config, history, size }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_from_config_and_layers() {
        let config = ImageConfig::default();
        let a = Image::new(SimTime(0), vec!["sha256:aa".into()], config.clone(), vec![], 10);
        let b = Image::new(SimTime(0), vec!["sha256:aa".into()], config.clone(), vec![], 10);
        let c = Image::new(SimTime(0), vec!["sha256:bb".into()], config, vec![], 10);
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
    }

    #[test]
    fn env_is_set_in_place() {
        let mut config = ImageConfig::default();
        config.set_env("LANG", "C.UTF-8");
        config.set_env("PATH", "/opt/bin");
        assert_eq!(config.env, ["PATH=/opt/bin", "LANG=C.UTF-8"]);
        assert_eq!(config.env_value("LANG"), Some("C.UTF-8"));
        assert_eq!(config.env_value("LAN"), None);
    }
}
