//! What a process inside a running container can see of its container and its kernel: its
//! process table, hostname, namespaces, cgroup limits, capabilities, sockets; and what a
//! program that keeps running (a server, `sleep infinity`) tells the runtime about itself.

use serde::{Deserialize, Serialize};

/// One process in a container's PID namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessEntry {
    /// PID inside the container (PID 1 is the container's main process).
    pub pid: u32,
    /// The same process's PID on the host (`docker top`, the host's `ps aux`).
    pub host_pid: u32,
    pub ppid: u32,
    /// User name as `ps` shows it (`root`, `postgres`, `1000`).
    pub user: String,
    /// The command line (`nginx: master process nginx -g daemon off;`).
    pub command: String,
    /// Resident memory in bytes.
    pub rss: u64,
    /// CPU use in thousandths of one CPU (500 = half a core).
    pub cpu_millis: u32,
}

/// A listening socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listener {
    /// The address bound: `0.0.0.0`, `127.0.0.1`, `::`.
    pub address: String,
    pub port: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
    /// Program name as `netstat -p` shows it (`nginx`, `python`, `postgres`).
    pub program: String,
    /// Container PID of the listening process.
    pub pid: u32,
    /// What an HTTP request to it gets back; `None` for a non-HTTP service (postgres, redis).
    pub http: Option<HttpService>,
}

/// How a listening HTTP server answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpService {
    /// `Server:` header value (`nginx/1.25.4`, `uvicorn`, `Werkzeug/3.0.1 Python/3.12.3`).
    pub server: String,
    /// Paths the app serves, with status and body; any other path is a 404.
    pub routes: Vec<HttpRoute>,
    /// A static file server's document root (nginx's `root`): files there are read when a request
    /// comes, so a file changed by `docker exec` or through a bind mount is served as it is now.
    #[serde(default)]
    pub docroot: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRoute {
    pub path: String,
    pub status: u16,
    pub body: String,
}

/// Namespace inode numbers, as `ls -l /proc/self/ns` shows them (`pid:[4026532301]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespaces {
    pub cgroup: u64,
    pub ipc: u64,
    pub mnt: u64,
    pub net: u64,
    pub pid: u64,
    pub user: u64,
    pub uts: u64,
}

impl Namespaces {
    /// The host's own (initial) namespaces.
    pub const HOST: Namespaces = Namespaces {
        cgroup: 4026531835,
        ipc: 4026531839,
        mnt: 4026531841,
        net: 4026531840,
        pid: 4026531836,
        user: 4026531837,
        uts: 4026531838,
    };
}

/// The container around a process. Programs run without one in build steps (`RUN`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerContext {
    /// 64 hex digits.
    pub id: String,
    pub name: String,
    /// Defaults to the first 12 digits of the ID.
    pub hostname: String,
    /// The container's processes, PID 1 first. Programs run by `exec` are added by the runtime.
    pub processes: Vec<ProcessEntry>,
    pub namespaces: Namespaces,
    /// `--memory` in bytes (`None`: no limit; the host's memory is the ceiling).
    pub memory_limit: Option<u64>,
    /// Memory the container uses now, in bytes.
    pub memory_usage: u64,
    /// The host's total memory in bytes (what `free` shows without a limit).
    pub host_memory: u64,
    /// `--cpus` × 1e9 (0: no limit).
    pub nano_cpus: u64,
    /// `--pids-limit` (`None`: unlimited).
    pub pids_limit: Option<u64>,
    /// Effective capabilities without the `CAP_` prefix (`CHOWN`, `NET_RAW`, …).
    pub capabilities: Vec<String>,
    pub privileged: bool,
    pub no_new_privileges: bool,
    /// `--read-only`: the root filesystem refuses writes, except under `tmpfs` mounts.
    pub read_only: bool,
    /// Paths mounted as tmpfs (`--tmpfs /tmp`).
    pub tmpfs: Vec<String>,
    /// Volume, bind and tmpfs mount points: path, writable (`:ro` is not), and whether it is a
    /// `--mount type=tmpfs` (one `--tmpfs` made is listed in `tmpfs` already).
    #[serde(default)]
    pub mounts: Vec<(String, bool, bool)>,
    /// Sockets listening in the container's network namespace, ready to accept.
    pub listeners: Vec<Listener>,
    /// The container's IPv4 address (empty with `--network none`).
    pub ip_address: String,
    /// The prefix length and gateway of its network (0 and empty: a /16 with gateway .0.1).
    #[serde(default)]
    pub ip_prefix: u8,
    #[serde(default)]
    pub gateway: String,
    /// Addresses on the other networks it joined (`eth1`, `eth2`, …) with their prefix lengths.
    #[serde(default)]
    pub more_interfaces: Vec<(String, u8)>,
    /// Names the container's resolver answers, with their addresses (networks fill this in).
    pub dns: Vec<(String, String)>,
    /// Sockets of other containers on the same networks, by their address there: what a
    /// connection to `db:5432` reaches.
    #[serde(default)]
    pub peers: Vec<(String, Listener)>,
    /// `--network none`: only `lo`.
    pub network_none: bool,
    /// Simulated time now, milliseconds since the epoch (for `date`, `uptime`, `ps` START).
    pub now: u64,
}

/// Docker's default capability set for a container.
pub const DEFAULT_CAPABILITIES: &[&str] = &[
    "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP",
    "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
];

/// A line a long-running program writes, `at` milliseconds after the service began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedLine {
    pub at: u64,
    pub stderr: bool,
    pub text: String,
}

/// How a process answers a signal the runtime sends it (SIGTERM from `docker stop`, SIGINT from
/// Ctrl-C on an attached `docker run`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignalResponse {
    /// No handler installed. Outside PID 1 the default action kills the process (exit 128+n);
    /// as PID 1 the kernel drops the signal, so `docker stop` waits out its timeout.
    Default,
    /// A handler that shuts down: after `after` ms, exit with `exit_code`, writing `lines`.
    Exit { after: u64, exit_code: i32, lines: Vec<TimedLine> },
    /// The signal is ignored on purpose (`trap '' TERM`).
    Ignore,
}

/// Memory over time: `start` bytes at start-up, growing by `growth_per_minute` up to `ceiling`
/// (`None`: grows without bound, a leak).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryCurve {
    pub start: u64,
    pub growth_per_minute: u64,
    pub ceiling: Option<u64>,
}

impl MemoryCurve {
    pub const fn flat(bytes: u64) -> MemoryCurve {
        MemoryCurve { start: bytes, growth_per_minute: 0, ceiling: Some(bytes) }
    }

    /// Bytes in use `elapsed` ms after start.
    pub fn at(&self, elapsed: u64) -> u64 {
        let grown = self.start.saturating_add((self.growth_per_minute as u128 * elapsed as u128 / 60_000) as u64);
        match self.ceiling {
            Some(ceiling) => grown.min(ceiling.max(self.start)),
            None => grown,
        }
    }

    /// When usage first exceeds `limit`, in ms after start, if it ever does.
    pub fn exceeds_at(&self, limit: u64) -> Option<u64> {
        if self.start > limit {
            return Some(0);
        }
        if self.growth_per_minute == 0 || self.ceiling.is_some_and(|c| c <= limit) {
            return None;
        }
        let needed = (limit - self.start) as u128 + 1;
        Some(((needed * 60_000).div_ceil(self.growth_per_minute as u128)) as u64)
    }
}

/// A program that keeps running instead of exiting: a server, `sleep infinity`, a shell waiting
/// on its terminal. A program declares this with [`super::Sys::serve`]; the runtime then runs the
/// container on this description as simulated time passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Short program name (`nginx`, `python`, `sleep`), as `netstat -p` and `top` show it.
    pub program: String,
    /// Lines written after the service began (start-up banner, request logs, a crash).
    pub log: Vec<TimedLine>,
    /// Sockets opened, with when each starts accepting (ms after the service began).
    pub listens: Vec<(u64, Listener)>,
    pub memory: MemoryCurve,
    /// Typical CPU use in thousandths of a CPU.
    pub cpu_millis: u32,
    pub on_term: SignalResponse,
    pub on_interrupt: SignalResponse,
    /// The program ends by itself after this many ms, with this status (a crash after start-up).
    pub exits: Option<(u64, i32)>,
    /// Worker processes it starts (nginx workers, postgres background writers), children of the
    /// main process: command line, user, memory.
    pub children: Vec<(String, String, u64)>,
    /// Reads its terminal: an interactive shell that `docker attach`/`-it` would talk to.
    pub reads_terminal: bool,
}

impl Service {
    /// A process that waits forever doing nothing (`sleep infinity`, `tail -f /dev/null`).
    pub fn idle(program: &str) -> Service {
        Service {
            program: program.to_string(),
            log: Vec::new(),
            listens: Vec::new(),
            memory: MemoryCurve::flat(400 * 1024),
            cpu_millis: 0,
            on_term: SignalResponse::Default,
            on_interrupt: SignalResponse::Default,
            exits: None,
            children: Vec::new(),
            reads_terminal: false,
        }
    }
}
