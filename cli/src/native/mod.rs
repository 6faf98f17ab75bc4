//! `whalebox demo …` and `whalebox run --real`: the engine's `host` module driven from the
//! command line, narrated in the lessons' words, with `--json` facts for the tests.

// The demos drive `engine::host`, which exists on Linux only; elsewhere every command refuses.
#[cfg(target_os = "linux")]
mod kernel_demos;
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod narrate;
#[cfg(target_os = "linux")]
mod network_demo;
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub mod interrupt;

use std::process::ExitCode;

use clap::{Args, Subcommand};

#[cfg_attr(not(target_os = "linux"), allow(unused_imports))]
pub use narrate::Narrator;

/// Exit statuses that mean something (sysexits.h where one fits).
pub mod exit {
    /// The demo ran and showed what it set out to show.
    pub const OK: u8 = 0;
    /// The kernel did something the demo did not expect; the message says what.
    pub const FAILED: u8 = 1;
    /// A bad command line.
    pub const USAGE: u8 = 2;
    /// A program the demo needs (busybox, ip, iptables) is missing.
    pub const UNAVAILABLE: u8 = 69;
    /// Not Linux, or not root with the capabilities needed (EX_NOPERM).
    pub const NO_PERMISSION: u8 = 77;
    /// Ctrl-C: everything made was removed, then the demo stopped (128 + SIGINT).
    pub const INTERRUPTED: u8 = 130;
    /// `run --real` could not start the container (docker run's own code for that).
    pub const RUN_FAILED: u8 = 125;
}

#[derive(Subcommand, Debug)]
pub enum Demo {
    /// A real process in new pid, uts, mnt, net and ipc namespaces: PID 1 inside, its own
    /// hostname, its own /proc and an empty network stack
    Namespaces(NamespacesArgs),
    /// A memory hog under a real cgroup limit: usage rising, the kernel's OOM kill, exit 137
    Cgroup(CgroupArgs),
    /// An image's layers as real overlayfs lowerdirs: copy-up, whiteouts, wasted space, diff
    Overlay(OverlayArgs),
    /// Namespaced containers on a real bridge with veth pairs and a real DNS server
    Network(NetworkArgs),
}

/// What every demo shares.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Print the facts the demo established as one JSON object on stdout (narration goes to
    /// stderr)
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Clone)]
pub struct NamespacesArgs {
    /// The hostname inside the new UTS namespace
    #[arg(long, default_value = "whalebox-demo")]
    pub hostname: String,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug, Clone)]
pub struct CgroupArgs {
    /// The memory limit, as `docker run --memory` reads it (32m, 1g, 65536k, bytes)
    #[arg(long, default_value = "32m")]
    pub memory: MemorySize,
    /// A CPU limit in CPUs (0.5 = half of one), as `docker run --cpus`; shows throttling
    #[arg(long)]
    pub cpus: Option<f64>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug, Clone)]
pub struct OverlayArgs {
    /// The Dockerfile to build in the simulator (default: a small one that deletes a file in a
    /// later layer)
    #[arg(long)]
    pub dockerfile: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug, Clone)]
pub struct NetworkArgs {
    /// How many containers to put on the bridge (2 or 3)
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(2..=3))]
    pub containers: u8,
    #[command(flatten)]
    pub common: Common,
}

/// `-h` is `--hostname` here, as in `docker run`, so help is `--help` only.
#[derive(Args, Debug, Clone)]
#[command(disable_help_flag = true)]
pub struct RunArgs {
    /// Print help
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    /// Run for real (required: without it, use `whalebox shell` and `docker run` there)
    #[arg(long)]
    pub real: bool,
    /// Memory limit (docker run --memory)
    #[arg(short = 'm', long)]
    pub memory: Option<MemorySize>,
    /// CPU limit in CPUs (docker run --cpus)
    #[arg(long)]
    pub cpus: Option<f64>,
    /// The container's hostname (docker run --hostname)
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Set an environment variable, NAME=value (docker run -e)
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// Print facts about the run as JSON on stderr when it ends
    #[arg(long)]
    pub json: bool,
    /// The simulated image (from the simulator's registry, e.g. alpine, busybox, debian)
    pub image: String,
    /// The command to run instead of the image's default
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// A byte count written the way `docker run --memory` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemorySize {
    pub bytes: u64,
}

impl std::str::FromStr for MemorySize {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let lower = text.trim().to_ascii_lowercase();
        let (digits, unit) = match lower.find(|c: char| !c.is_ascii_digit()) {
            Some(at) => lower.split_at(at),
            None => (lower.as_str(), ""),
        };
        let scale: u64 = match unit.trim_end_matches('b') {
            "" => 1,
            "k" => 1 << 10,
            "m" => 1 << 20,
            "g" => 1 << 30,
            _ => return Err(format!("invalid size: '{text}' (use a number with b, k, m or g)")),
        };
        let number: u64 = digits
            .parse()
            .map_err(|_| format!("invalid size: '{text}' (use a number with b, k, m or g)"))?;
        let bytes = number.checked_mul(scale).ok_or_else(|| format!("invalid size: '{text}' is too large"))?;
        if bytes < 6 * (1 << 20) {
            return Err("Minimum memory limit allowed is 6MB".to_string());
        }
        Ok(MemorySize { bytes })
    }
}

pub fn demo(demo: Demo) -> ExitCode {
    let what = match &demo {
        Demo::Namespaces(_) => "whalebox demo namespaces",
        Demo::Cgroup(_) => "whalebox demo cgroup",
        Demo::Overlay(_) => "whalebox demo overlay",
        Demo::Network(_) => "whalebox demo network",
    };
    if let Err(code) = may_run(what) {
        return ExitCode::from(code);
    }
    run_demo(demo)
}

#[cfg(target_os = "linux")]
fn run_demo(demo: Demo) -> ExitCode {
    interrupt::install();
    match demo {
        Demo::Namespaces(args) => kernel_demos::namespaces(args),
        Demo::Cgroup(args) => kernel_demos::cgroup(args),
        Demo::Overlay(args) => kernel_demos::overlay(args),
        Demo::Network(args) => network_demo::run(args),
    }
}

#[cfg(target_os = "linux")]
fn run_real(args: RunArgs) -> ExitCode {
    interrupt::install();
    kernel_demos::run_real(args)
}

// Never reached: `may_run` has already refused off Linux.
#[cfg(not(target_os = "linux"))]
fn run_demo(_demo: Demo) -> ExitCode {
    ExitCode::from(exit::NO_PERMISSION)
}

#[cfg(not(target_os = "linux"))]
fn run_real(_args: RunArgs) -> ExitCode {
    ExitCode::from(exit::NO_PERMISSION)
}

pub fn run(args: RunArgs) -> ExitCode {
    if !args.real {
        eprintln!(
            "whalebox: `whalebox run` starts a real container and needs --real \
             (whalebox run --real {} ...).\nFor the simulated `docker run`, open `whalebox shell`.",
            args.image
        );
        return ExitCode::from(exit::USAGE);
    }
    if let Err(code) = may_run("whalebox run --real") {
        return ExitCode::from(code);
    }
    run_real(args)
}

/// Refuses, with what is needed and what to run instead, off Linux or without root.
fn may_run(what: &str) -> Result<(), u8> {
    #[cfg(target_os = "linux")]
    {
        engine::host::privilege::check(what).map_err(|refusal| {
            eprintln!("whalebox: {}", refusal.message);
            exit::NO_PERMISSION
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        eprintln!(
            "whalebox: {what} shows the Linux kernel's own namespaces, cgroups and overlayfs, so \
             it runs only on Linux (as root). Here, learn the same thing in the simulator: \
             whalebox shell"
        );
        Err(exit::NO_PERMISSION)
    }
}

#[cfg(test)]
mod tests {
    use super::MemorySize;

    #[test]
    fn memory_sizes_read_as_docker_reads_them() {
        let mb = |s: &str| s.parse::<MemorySize>().map(|m| m.bytes);
        assert_eq!(mb("32m"), Ok(32 << 20));
        assert_eq!(mb("32MB"), Ok(32 << 20));
        assert_eq!(mb("1g"), Ok(1 << 30));
        assert_eq!(mb("65536k"), Ok(64 << 20));
        assert_eq!(mb("8388608"), Ok(8 << 20));
        assert_eq!(mb("4m"), Err("Minimum memory limit allowed is 6MB".into()));
        assert!(mb("lots").is_err());
        assert!(mb("12q").is_err());
    }
}
