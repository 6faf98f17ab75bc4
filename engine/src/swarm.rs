//! Swarm mode on this one node: `swarm init` makes the host a manager with an `ingress` overlay
//! network; services keep a number of replica tasks running, each task a container named
//! `SERVICE.SLOT.TASKID`; `service update --image` replaces tasks one at a time (stop-first, as
//! swarm's default update config does), and the old tasks stay listed as `Shutdown`.

use serde::{Deserialize, Serialize};

use crate::clock::SimTime;

/// What swarm knows once `swarm init` ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Swarm {
    /// 25 lowercase base-36 characters, like every swarm object ID.
    pub node_id: String,
    pub cluster_id: String,
    pub worker_token: String,
    pub manager_token: String,
    pub created: SimTime,
    pub services: Vec<SwarmService>,
}

/// A port the routing mesh publishes on every node: `*:8080->80/tcp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePort {
    pub published: u16,
    pub target: u16,
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwarmService {
    pub id: String,
    pub name: String,
    /// The image as typed (`myapp:1.0.0`).
    pub image: String,
    /// Command and arguments given after the image.
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub replicas: u32,
    pub ports: Vec<ServicePort>,
    pub networks: Vec<String>,
    pub created: SimTime,
    pub updated: SimTime,
    /// Bumped by every change (`Version.Index`).
    pub version: u64,
    /// The previous image, after an update (`PreviousSpec`).
    pub previous_image: Option<String>,
    pub tasks: Vec<Task>,
}

/// Where a task is in its life (`CURRENT STATE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskState {
    Running,
    /// The container ended by itself with status 0.
    Complete,
    /// The container ended with a non-zero status, or could not start.
    Failed,
    /// Stopped by the orchestrator (scale down, update, removal).
    Shutdown,
    /// Never started: its image could not be found.
    Rejected,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Running => "Running",
            TaskState::Complete => "Complete",
            TaskState::Failed => "Failed",
            TaskState::Shutdown => "Shutdown",
            TaskState::Rejected => "Rejected",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub slot: u32,
    pub image: String,
    /// The container that runs it (none when it was rejected).
    pub container_id: Option<String>,
    /// `Running` while swarm wants it up; `Shutdown` once it was replaced or scaled away.
    pub desired_running: bool,
    pub state: TaskState,
    /// When it entered `state`.
    pub since: SimTime,
    /// `ERROR` column: `task: non-zero exit (1)`, `No such image: …`.
    pub error: String,
}

impl SwarmService {
    /// Tasks swarm currently wants running, by slot.
    pub fn live_tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(|t| t.desired_running)
    }

    /// `3/3`: running tasks over replicas.
    pub fn replicas_text(&self) -> String {
        let running = self.live_tasks().filter(|t| t.state == TaskState::Running).count();
        format!("{running}/{}", self.replicas)
    }

    /// `*:8080->80/tcp` for each published port.
    pub fn ports_text(&self) -> String {
        self.ports.iter().map(|p| format!("*:{}->{}/{}", p.published, p.target, p.protocol)).collect::<Vec<_>>().join(", ")
    }
}

/// A swarm object ID: 25 base-36 characters drawn from the seeded generator.
pub fn object_id(ids: &mut crate::ids::IdGenerator) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..25).map(|_| DIGITS[ids.below(36) as usize] as char).collect()
}

/// Reads `--publish` the way `docker service create` does: `8080:80`, `8080:80/udp`, or the long
/// form `published=8080,target=80[,protocol=udp]`.
pub fn parse_publish(text: &str) -> Result<ServicePort, String> {
    let invalid = || format!("invalid argument \"{text}\" for \"-p, --publish\" flag: invalid publish spec");
    if text.contains('=') {
        let mut port = ServicePort { published: 0, target: 0, protocol: "tcp".into() };
        for field in text.split(',') {
            let (key, value) = field.split_once('=').ok_or_else(invalid)?;
            match key {
                "published" => port.published = value.parse().map_err(|_| invalid())?,
                "target" => port.target = value.parse().map_err(|_| invalid())?,
                "protocol" => port.protocol = value.to_string(),
                "mode" => {}
                _ => return Err(invalid()),
            }
        }
        return if port.target == 0 { Err(invalid()) } else { Ok(port) };
    }
    let (ports, protocol) = text.split_once('/').unwrap_or((text, "tcp"));
    // `-p 80` publishes the target on a port swarm picks (0 until then).
    let (published, target) = ports.split_once(':').unwrap_or(("0", ports));
    Ok(ServicePort {
        published: published.parse().map_err(|_| invalid())?,
        target: target.parse().map_err(|_| invalid())?,
        protocol: protocol.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_specs_read_like_the_cli() {
        assert_eq!(parse_publish("8000:8000").unwrap().published, 8000);
        assert_eq!(parse_publish("53:53/udp").unwrap().protocol, "udp");
        assert_eq!(parse_publish("published=8080,target=80").unwrap().target, 80);
        assert_eq!(parse_publish("8080").unwrap().published, 0);
        assert!(parse_publish("a:b").is_err());
    }

    #[test]
    fn object_ids_are_25_base36_characters() {
        let mut ids = crate::ids::IdGenerator::new(1);
        let id = object_id(&mut ids);
        assert_eq!(id.len(), 25);
        assert!(id.chars().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
    }
}
