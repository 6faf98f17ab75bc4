//! A container as the daemon keeps it: configuration, host configuration, state, logs, the
//! writable layer, and the running process (if any), with Docker's names for each part.

use serde::{Deserialize, Serialize};

use crate::clock::SimTime;
use crate::fs::LayerDiff;
use crate::image::Healthcheck;
use crate::programs::{Namespaces, ProcessEntry, Service, SignalResponse};

/// `State.Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

impl Status {
    /// The word Docker uses (`docker inspect`, `ps --filter status=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Removing => "removing",
            Status::Exited => "exited",
            Status::Dead => "dead",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [Status::Created, Status::Running, Status::Paused, Status::Restarting, Status::Removing, Status::Exited, Status::Dead]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// `HostConfig.RestartPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartPolicy {
    /// `no`, `always`, `unless-stopped`, `on-failure`.
    pub name: String,
    pub maximum_retry_count: u32,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        RestartPolicy { name: "no".into(), maximum_retry_count: 0 }
    }
}

/// The parts of `Config` a container adds to its image's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContainerConfig {
    pub hostname: String,
    pub domainname: String,
    pub user: String,
    pub attach_stdin: bool,
    pub attach_stdout: bool,
    pub attach_stderr: bool,
    pub tty: bool,
    pub open_stdin: bool,
    pub env: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
    pub labels: std::collections::BTreeMap<String, String>,
    pub stop_signal: Option<String>,
    /// `--stop-timeout` in seconds.
    pub stop_timeout: Option<i64>,
    pub healthcheck: Option<Healthcheck>,
    pub exposed_ports: std::collections::BTreeSet<String>,
    pub volumes: std::collections::BTreeSet<String>,
}

/// `HostConfig`: limits, privileges, namespaces and policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HostConfig {
    pub auto_remove: bool,
    pub restart_policy: RestartPolicy,
    /// Bytes; 0 = unlimited.
    pub memory: u64,
    /// Bytes; 0 = unset, -1 = unlimited swap.
    pub memory_swap: i64,
    pub memory_reservation: u64,
    pub oom_kill_disable: bool,
    pub nano_cpus: u64,
    pub cpu_shares: u64,
    pub cpu_quota: i64,
    pub cpu_period: u64,
    pub cpuset_cpus: String,
    pub pids_limit: Option<i64>,
    pub readonly_rootfs: bool,
    /// `--tmpfs` mounts: path → options.
    pub tmpfs: std::collections::BTreeMap<String, String>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub security_opt: Vec<String>,
    pub privileged: bool,
    pub init: bool,
    pub pid_mode: String,
    pub ipc_mode: String,
    pub uts_mode: String,
    pub network_mode: String,
    /// `-v`/`--mount` as typed (wired by the storage model).
    pub binds: Vec<String>,
    pub mounts: Vec<String>,
    /// `-p` as typed (wired by the network model).
    pub port_bindings: Vec<String>,
    pub publish_all_ports: bool,
    pub dns: Vec<String>,
    pub extra_hosts: Vec<String>,
    /// `--network-alias` names (Docker keeps them in the endpoint's settings).
    #[serde(default)]
    pub network_aliases: Vec<String>,
    /// `--volumes-from` as typed (`db`, `db:ro`).
    #[serde(default)]
    pub volumes_from: Vec<String>,
    /// Networks joined beyond `network_mode` at creation (a compose service on several
    /// networks), each with its aliases: the container rejoins them whenever it starts.
    #[serde(default)]
    pub extra_networks: Vec<(String, Vec<String>)>,
}

/// One health probe's result (`State.Health.Log[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResult {
    pub start: SimTime,
    pub end: SimTime,
    pub exit_code: i32,
    pub output: String,
}

/// `State.Health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `starting`, `healthy`, `unhealthy`.
    pub status: String,
    pub failing_streak: u32,
    /// The last five probes, oldest first.
    pub log: Vec<HealthResult>,
}

/// `State`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub status: Status,
    pub oom_killed: bool,
    pub dead: bool,
    /// Host PID of the main process while it runs, else 0.
    pub pid: u32,
    pub exit_code: i32,
    pub error: String,
    pub started_at: Option<SimTime>,
    pub finished_at: Option<SimTime>,
    pub health: Option<Health>,
}

impl Default for State {
    fn default() -> Self {
        State {
            status: Status::Created,
            oom_killed: false,
            dead: false,
            pid: 0,
            exit_code: 0,
            error: String::new(),
            started_at: None,
            finished_at: None,
            health: None,
        }
    }
}

/// One line of a container's output, as the json-file log driver keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub time: SimTime,
    pub stderr: bool,
    pub text: String,
}

/// Why a run's process is scheduled to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExitCause {
    /// The program finished (or crashed) by itself.
    Natural,
    /// It answered a signal the runtime sent (`docker stop`'s SIGTERM, `docker kill -s`).
    Signalled,
}

/// The main process of a container while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub started_at: SimTime,
    pub host_pid: u32,
    /// What the program does while it keeps running; `None` for one that just runs to its end.
    pub service: Option<Service>,
    /// When the service began (after any start-up script).
    pub service_began: SimTime,
    /// How PID 1 answers SIGTERM, with PID 1's rules already applied.
    pub on_term: SignalResponse,
    pub on_interrupt: SignalResponse,
    /// The scheduled end: when, with what status, and why.
    pub exit: Option<(SimTime, i32, ExitCause)>,
    /// When `docker stop` escalates to SIGKILL.
    pub kill_at: Option<SimTime>,
    /// When the memory limit is crossed (the kernel's OOM killer then ends it with 137).
    pub oom_at: Option<SimTime>,
    pub next_probe: Option<SimTime>,
    pub paused_since: Option<SimTime>,
    /// Container processes: PID 1 first, then children and `exec`s.
    pub processes: Vec<ProcessEntry>,
    /// `docker exec`ed processes still running, with when each ends (`None`: never).
    pub exec_ends: Vec<(u32, Option<SimTime>)>,
    /// The `-it` shell a learner is typing into, if this run is one.
    pub interactive: bool,
    /// The last health probe's result and what it depended on (ready sockets, writable-layer
    /// size): a check that sees the same container gives the same answer without running again.
    #[serde(default)]
    pub probe_memo: Option<ProbeMemo>,
}

/// A remembered health probe result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeMemo {
    pub key: (usize, u64),
    pub exit_code: i32,
    pub output: String,
    pub took: u64,
}

/// A container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// 64 hex digits.
    pub id: String,
    pub name: String,
    /// The image as the user typed it (`Config.Image`, `ps`'s IMAGE column).
    pub image: String,
    pub image_id: String,
    pub created: SimTime,
    /// `Path` and `Args`: the resolved entrypoint + command.
    pub path: String,
    pub args: Vec<String>,
    pub config: ContainerConfig,
    pub host_config: HostConfig,
    pub state: State,
    pub restart_count: u32,
    /// The restart manager's current back-off, ms (0: none yet).
    pub restart_backoff: u64,
    /// When the restart manager starts it again.
    pub restart_at: Option<SimTime>,
    /// `docker stop` was used: restart policies leave it alone (until `unless-stopped`…).
    pub manually_stopped: bool,
    /// The writable layer: what the container changed against its image.
    pub upper: LayerDiff,
    pub logs: Vec<LogEntry>,
    pub run: Option<Run>,
    pub namespaces: Namespaces,
    /// Host ports bound for it while it runs (`NetworkSettings.Ports`), released when it stops.
    #[serde(default)]
    pub published: Vec<crate::ports::PublishedPort>,
    /// Volumes, binds and tmpfs mounts, resolved when the container was created.
    #[serde(default)]
    pub mounts: Vec<crate::volume::MountPoint>,
}

impl Container {
    /// The command as `ps` shows it.
    pub fn command_line(&self) -> String {
        let mut words = vec![self.path.clone()];
        words.extend(self.args.iter().cloned());
        words.join(" ")
    }

    /// `argv` of the main process.
    pub fn argv(&self) -> Vec<String> {
        let mut argv = vec![self.path.clone()];
        argv.extend(self.args.iter().cloned());
        argv
    }

    /// `State.Running`: true while running, paused, or waiting to restart.
    pub fn is_running(&self) -> bool {
        matches!(self.state.status, Status::Running | Status::Paused | Status::Restarting)
    }

    /// Running or paused: a process exists.
    pub fn has_process(&self) -> bool {
        self.run.is_some()
    }

    pub fn is_paused(&self) -> bool {
        self.state.status == Status::Paused
    }

    /// Short ID, the default hostname.
    pub fn short_id(&self) -> &str {
        crate::ids::short_id(&self.id)
    }

    /// Memory the container uses at `now`, in bytes.
    pub fn memory_usage(&self, now: SimTime) -> u64 {
        let Some(run) = &self.run else { return 0 };
        let elapsed = now.since(run.service_began);
        let main = match &run.service {
            Some(service) => service.memory.at(elapsed),
            None => 1_200_000,
        };
        let children: u64 = run.service.as_ref().map_or(0, |s| s.children.iter().map(|c| c.2).sum());
        let usage = main + children + self.upper.size().min(1 << 40) / 4;
        if self.host_config.memory > 0 {
            usage.min(self.host_config.memory)
        } else {
            usage
        }
    }

    /// The namespace inodes (`/proc/PID/ns/*`) of its processes, by kind, in `lsns` order.
    pub fn namespace_inodes(&self) -> [(&'static str, u64); 7] {
        namespace_list(&self.namespaces)
    }

    /// CPU its program would use without a `--cpus` cap, in thousandths of a CPU (0: idle or
    /// not running); more than [`Container::cpu_millis`] means the cgroup throttles it.
    pub fn cpu_wanted_millis(&self) -> u32 {
        self.run.as_ref().and_then(|r| r.service.as_ref()).map_or(0, |s| s.cpu_millis)
    }

    /// CPU use in thousandths of a CPU, capped by `--cpus`.
    pub fn cpu_millis(&self) -> u32 {
        if self.is_paused() {
            return 0;
        }
        let wanted = self.run.as_ref().and_then(|r| r.service.as_ref()).map_or(0, |s| s.cpu_millis);
        match self.host_config.nano_cpus {
            0 => wanted,
            nano => wanted.min((nano / 1_000_000) as u32),
        }
    }
}

/// The host's own (initial) namespace inodes, by kind, in `lsns` order.
pub fn host_namespace_inodes() -> [(&'static str, u64); 7] {
    namespace_list(&Namespaces::HOST)
}

fn namespace_list(ns: &Namespaces) -> [(&'static str, u64); 7] {
    [("cgroup", ns.cgroup), ("ipc", ns.ipc), ("mnt", ns.mnt), ("net", ns.net), ("pid", ns.pid), ("user", ns.user), ("uts", ns.uts)]
}
