//! `docker info`: system-wide facts, with counts read from the simulated host.

use super::flags::{Args, CommandSpec, Parsed};
use crate::outcome::Outcome;
use crate::world::{ContainerStatus, World};

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker info",
    help: include_str!("help/info.txt"),
    args: Args::None,
    interspersed: true,
};

pub(super) const CLIENT: &str = "\
Client: Docker Engine - Community
 Version:    28.2.2
 Context:    default
 Debug Mode: false
 Plugins:
  buildx: Docker Buildx (Docker Inc.)
    Version:  v0.24.0
    Path:     /usr/libexec/docker/cli-plugins/docker-buildx
  compose: Docker Compose (Docker Inc.)
    Version:  v2.36.2
    Path:     /usr/libexec/docker/cli-plugins/docker-compose
";

const SERVER_DETAILS: &str = " Server Version: 28.2.2
 Storage Driver: overlay2
  Backing Filesystem: extfs
  Supports d_type: true
  Using metacopy: false
  Native Overlay Diff: true
  userxattr: false
 Logging Driver: json-file
 Cgroup Driver: systemd
 Cgroup Version: 2
 Plugins:
  Volume: local
  Network: bridge host ipvlan macvlan null overlay
  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog
 Swarm: inactive
 Runtimes: io.containerd.runc.v2 runc
 Default Runtime: runc
 Init Binary: docker-init
 containerd version: 05044ec0a9a75232cad458027ca83437aae3f4da
 runc version: v1.2.5-0-g59923ef
 init version: de40ad0
 Security Options:
  apparmor
  seccomp
   Profile: builtin
  cgroupns
 Kernel Version: 6.8.0-60-generic
 Operating System: Ubuntu 24.04.2 LTS
 OSType: linux
 Architecture: x86_64
 CPUs: 2
 Total Memory: 3.823GiB
 Name: whalebox
";

const SERVER_TAIL: &str = " Docker Root Dir: /var/lib/docker
 Debug Mode: false
 Experimental: false
 Insecure Registries:
  ::1/128
  127.0.0.0/8
 Live Restore Enabled: false
";

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if parsed.is_set("format") {
        outcome.err("whalebox: 'docker info --format' is not modelled yet; showing the default output");
    }
    let containers = world.containers();
    let paused = containers.iter().filter(|c| c.state.status == ContainerStatus::Paused).count();
    let running = containers.iter().filter(|c| c.is_running()).count() - paused;
    let stopped = containers.len() - running - paused;
    outcome.out_block(CLIENT);
    outcome.out("");
    outcome.out("Server:");
    outcome.out(format!(" Containers: {}", containers.len()));
    outcome.out(format!("  Running: {running}"));
    outcome.out(format!("  Paused: {paused}"));
    outcome.out(format!("  Stopped: {stopped}"));
    outcome.out(format!(" Images: {}", world.images().count()));
    match &world.swarm {
        None => outcome.out_block(SERVER_DETAILS),
        Some(swarm) => {
            // The swarm section replaces the one `Swarm: inactive` line.
            let (before, after) = SERVER_DETAILS.split_once(" Swarm: inactive\n").unwrap_or((SERVER_DETAILS, ""));
            outcome.out_block(before);
            for line in [
                " Swarm: active".to_string(),
                format!("  NodeID: {}", swarm.node_id),
                "  Is Manager: true".into(),
                format!("  ClusterID: {}", swarm.cluster_id),
                "  Managers: 1".into(),
                "  Nodes: 1".into(),
                "  Data Path Port: 4789".into(),
                "  Orchestration:".into(),
                "   Task History Retention Limit: 5".into(),
                "  Raft:".into(),
                "   Snapshot Interval: 10000".into(),
                "   Number of Old Snapshots to Retain: 0".into(),
                "   Heartbeat Tick: 1".into(),
                "   Election Tick: 10".into(),
                "  Dispatcher:".into(),
                "   Heartbeat Period: 5 seconds".into(),
                "  CA Configuration:".into(),
                "   Expiry Duration: 3 months".into(),
                "   Force Rotate: 0".into(),
                "  Autolock Managers: false".into(),
                "  Root Rotation In Progress: false".into(),
                "  Node Address: 10.0.2.15".into(),
                "  Manager Addresses:".into(),
                "   10.0.2.15:2377".into(),
            ] {
                outcome.out(line);
            }
            outcome.out_block(after);
        }
    }
    outcome.out(format!(" ID: {}", world.daemon_id()));
    outcome.out_block(SERVER_TAIL);
    outcome.out("");
    outcome
}
