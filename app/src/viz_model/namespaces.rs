//! The namespaces view's model: one container seen from the host — its PID on the host against
//! PID 1 inside, hostname, namespace inodes against the host's, mounts and writable layer, and its
//! cgroup's memory and CPU figures.

use engine::volume::MountKind;
use engine::World;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceRow {
    pub kind: &'static str,
    pub container: u64,
    pub host: u64,
}

impl NamespaceRow {
    /// Shared with the host (`--network host`, `--pid host`…): no isolation for this kind.
    pub fn shared(&self) -> bool {
        self.container == self.host
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountRow {
    pub kind: &'static str,
    pub source: String,
    pub destination: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespacesModel {
    pub name: String,
    pub running: bool,
    /// The main process's PID on the host (PID 1 inside); `None` when nothing runs.
    pub host_pid: Option<u32>,
    pub hostname: String,
    pub namespaces: Vec<NamespaceRow>,
    pub mounts: Vec<MountRow>,
    pub writable_layer_bytes: u64,
    pub writable_layer_changes: usize,
    pub memory_used: u64,
    /// `--memory`; `None` when unlimited (the host's memory is the ceiling).
    pub memory_limit: Option<u64>,
    pub oom_killed: bool,
    /// CPU in thousandths of a CPU: what the program wants, what it gets, and `--cpus`.
    pub cpu_wanted: u32,
    pub cpu_used: u32,
    pub cpu_limit: Option<u32>,
}

impl NamespacesModel {
    /// The cgroup holds the program back: it wants more CPU than `--cpus` allows.
    pub fn cpu_throttled(&self) -> bool {
        self.cpu_wanted > self.cpu_used
    }
}

/// The model for container `name` (ID or name), if it exists.
pub fn model(world: &World, name: &str) -> Option<NamespacesModel> {
    let c = world.find_container(name)?;
    let host = engine::host_namespace_inodes();
    let mut mounts: Vec<MountRow> = c
        .mounts
        .iter()
        .map(|m| MountRow {
            kind: m.kind.as_str(),
            source: match m.kind {
                MountKind::Volume => m.name.clone(),
                MountKind::Bind => m.source.clone(),
                MountKind::Tmpfs => "tmpfs (memory)".into(),
            },
            destination: m.destination.clone(),
            read_only: !m.rw,
        })
        .collect();
    mounts.insert(0, MountRow {
        kind: "overlay",
        source: "image layers + writable layer".into(),
        destination: "/".into(),
        read_only: c.host_config.readonly_rootfs,
    });
    Some(NamespacesModel {
        name: c.name.clone(),
        running: c.has_process(),
        host_pid: c.run.as_ref().map(|r| r.host_pid),
        hostname: if c.config.hostname.is_empty() { c.short_id().to_string() } else { c.config.hostname.clone() },
        namespaces: c
            .namespace_inodes()
            .iter()
            .zip(host.iter())
            .map(|((kind, inode), (_, host_inode))| NamespaceRow { kind, container: *inode, host: *host_inode })
            .collect(),
        mounts,
        writable_layer_bytes: c.upper.size(),
        writable_layer_changes: c.upper.changes.len(),
        memory_used: c.memory_usage(world.now()),
        memory_limit: (c.host_config.memory > 0).then_some(c.host_config.memory),
        oom_killed: c.state.oom_killed,
        cpu_wanted: if c.has_process() && !c.is_paused() { c.cpu_wanted_millis() } else { 0 },
        cpu_used: c.cpu_millis(),
        cpu_limit: (c.host_config.nano_cpus > 0).then_some((c.host_config.nano_cpus / 1_000_000) as u32),
    })
}
