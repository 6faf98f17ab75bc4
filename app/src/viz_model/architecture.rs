//! The architecture view's model: how far the last docker command's API request went through
//! client → socket → dockerd → containerd → shim → runc.

use engine::Event;

/// Every hop a request can take, in order; the engine's `ApiRequest.hops` is a prefix of this.
pub const HOPS: [&str; 6] = ["docker CLI", "API /var/run/docker.sock", "dockerd", "containerd", "containerd-shim-runc-v2", "runc"];

/// What each hop does, for the text alternative and the tooltips.
pub const HOP_ROLES: [&str; 6] = [
    "turns the command into an HTTP request",
    "the Unix socket dockerd listens on",
    "the Docker daemon: API, images, networks, volumes",
    "keeps containers and image content, independent of Docker",
    "one per container: keeps it alive and holds its exit status",
    "creates the namespaces and cgroups, then starts the process",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopState {
    Reached,
    /// The hop the request stopped at because nothing answered (dockerd down).
    Failed,
    Unreached,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchitectureModel {
    pub method: String,
    pub path: String,
    pub answered: bool,
    /// Each of [`HOPS`] with how far the request went.
    pub hops: Vec<(&'static str, HopState)>,
}

/// The path of the last command's (last) API request; `None` when it did not talk to Docker.
pub fn model(events: &[Event]) -> Option<ArchitectureModel> {
    let (method, path, reached, answered) = events.iter().rev().find_map(|event| match event {
        Event::ApiRequest { method, path, hops, answered } => Some((method, path, hops, *answered)),
        _ => None,
    })?;
    let hops = HOPS
        .iter()
        .enumerate()
        .map(|(index, hop)| {
            let state = if index < reached.len() {
                if !answered && index + 1 == reached.len() { HopState::Failed } else { HopState::Reached }
            } else {
                HopState::Unreached
            };
            (*hop, state)
        })
        .collect();
    Some(ArchitectureModel { method: method.clone(), path: path.clone(), answered, hops })
}
