//! The loaded compose project as typed data: services with what `docker run` needs, and the
//! project's networks, volumes, secrets and configs (compose-go's `types.Project`, trimmed).

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Project {
    pub name: String,
    /// Absolute directory relative paths resolve against.
    pub working_dir: String,
    /// Enabled services, by name.
    pub services: BTreeMap<String, Service>,
    /// Services left out by `profiles`.
    pub disabled: BTreeMap<String, Service>,
    pub networks: BTreeMap<String, Network>,
    pub volumes: BTreeMap<String, Volume>,
    pub secrets: BTreeMap<String, FileObject>,
    pub configs: BTreeMap<String, FileObject>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Build {
    pub context: String,
    pub dockerfile: String,
    pub target: Option<String>,
    pub args: BTreeMap<String, Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Condition {
    Started,
    Healthy,
    CompletedSuccessfully,
}

impl Condition {
    pub fn as_str(&self) -> &'static str {
        match self {
            Condition::Started => "service_started",
            Condition::Healthy => "service_healthy",
            Condition::CompletedSuccessfully => "service_completed_successfully",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub condition: Condition,
    pub restart: bool,
    pub required: bool,
}

/// A published port in compose's long syntax.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Port {
    pub host_ip: Option<String>,
    pub target: u32,
    pub published: Option<String>,
    pub protocol: String,
}

impl Port {
    /// The same text `docker run -p` takes.
    pub fn publish_flag(&self) -> String {
        let mut text = String::new();
        if let Some(ip) = &self.host_ip {
            text.push_str(ip);
            text.push(':');
        }
        if let Some(published) = &self.published {
            text.push_str(published);
            text.push(':');
        } else if self.host_ip.is_some() {
            text.push(':');
        }
        text.push_str(&self.target.to_string());
        if self.protocol != "tcp" {
            text.push('/');
            text.push_str(&self.protocol);
        }
        text
    }
}

/// A mount in compose's long syntax.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mount {
    /// `bind`, `volume`, `tmpfs`.
    pub kind: String,
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Healthcheck {
    pub test: Vec<String>,
    /// Milliseconds.
    pub interval: Option<u64>,
    pub timeout: Option<u64>,
    pub start_period: Option<u64>,
    pub retries: Option<u64>,
    pub disable: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceNetwork {
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Service {
    pub name: String,
    pub image: Option<String>,
    pub build: Option<Build>,
    pub command: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    /// Resolved environment (env_file entries first, `environment` on top); `None` values are
    /// names without a value in the compose environment.
    pub environment: BTreeMap<String, Option<String>>,
    pub ports: Vec<Port>,
    pub expose: Vec<String>,
    pub volumes: Vec<Mount>,
    pub networks: BTreeMap<String, ServiceNetwork>,
    pub network_mode: Option<String>,
    pub depends_on: BTreeMap<String, Dependency>,
    pub healthcheck: Option<Healthcheck>,
    pub restart: Option<String>,
    /// Bytes.
    pub mem_limit: Option<u64>,
    pub mem_reservation: Option<u64>,
    pub cpus: Option<f64>,
    pub replicas: Option<u64>,
    /// Which key set `replicas` (`scale` or `deploy.replicas`), for compose's messages.
    pub replicas_from: Option<&'static str>,
    /// (source, target inside the container).
    pub secrets: Vec<(String, String)>,
    pub configs: Vec<(String, String)>,
    pub logging_driver: Option<String>,
    pub profiles: Vec<String>,
    pub user: Option<String>,
    pub read_only: bool,
    pub tmpfs: Vec<String>,
    pub container_name: Option<String>,
    pub hostname: Option<String>,
    pub working_dir: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub stop_signal: Option<String>,
    /// Milliseconds.
    pub stop_grace_period: Option<u64>,
    pub init: bool,
    pub tty: bool,
    pub stdin_open: bool,
    pub pull_policy: Option<String>,
}

impl Service {
    /// How many containers `up` runs (`deploy.replicas`/`scale`, default 1).
    pub fn scale(&self) -> u64 {
        self.replicas.unwrap_or(1)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Network {
    /// The engine's name for it (`myapp_default`, or the `name:`/external name).
    pub name: String,
    pub driver: Option<String>,
    pub internal: bool,
    pub external: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Volume {
    pub name: String,
    pub external: bool,
}

/// A secret or config: a file (absolute path) or content, mounted into containers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileObject {
    pub name: String,
    pub file: Option<String>,
    pub content: Option<String>,
    pub environment: Option<String>,
    pub external: bool,
}
