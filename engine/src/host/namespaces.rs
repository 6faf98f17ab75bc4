//! New pid, uts, mnt, net, ipc (and user) namespaces for a real process, and what it sees there:
//! PID 1, its own hostname, its own /proc, namespace inodes and an empty network stack.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use super::sys::{CloneFlags, Exit, Handshake, Kernel, MsFlags, Pid};

/// The namespaces a container gets, by their `/proc/PID/ns/` names.
pub const CONTAINER: [(&str, CloneFlags); 5] = [
    ("pid", CloneFlags::CLONE_NEWPID),
    ("uts", CloneFlags::CLONE_NEWUTS),
    ("mnt", CloneFlags::CLONE_NEWNS),
    ("net", CloneFlags::CLONE_NEWNET),
    ("ipc", CloneFlags::CLONE_NEWIPC),
];

/// The clone flags for a container's namespaces, with a user namespace when `user`.
pub fn clone_flags(user: bool) -> CloneFlags {
    let mut flags = CONTAINER.iter().fold(CloneFlags::empty(), |all, (_, flag)| all | *flag);
    if user {
        flags |= CloneFlags::CLONE_NEWUSER;
    }
    flags
}

/// The namespace kinds the demo compares, inside and outside.
pub const SHOWN: [&str; 7] = ["pid", "uts", "mnt", "net", "ipc", "user", "cgroup"];

/// The identity map a root parent writes for a new user namespace: root inside is root outside,
/// so the demo shows the namespace without changing what the process may touch.
pub const ID_MAP: &str = "0 0 4294967295";

/// Inside a fresh mount namespace, before anything is mounted: stop mounts propagating back to
/// the host, then give the process its own hostname, /proc (for its PID namespace) and /sys
/// (whose class/net lists its network namespace's links).
pub fn enter(kernel: &mut dyn Kernel, hostname: &str) -> io::Result<()> {
    kernel.mount("", Path::new("/"), "", MsFlags::MS_REC | MsFlags::MS_PRIVATE, "")?;
    kernel.set_hostname(hostname)?;
    let hardened = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    kernel.mount("proc", Path::new("/proc"), "proc", hardened, "")?;
    kernel.mount("sysfs", Path::new("/sys"), "sysfs", hardened | MsFlags::MS_RDONLY, "")?;
    Ok(())
}

/// What the process saw from inside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inside {
    pub pid: i32,
    pub hostname: String,
    /// `pid` → `pid:[4026532198]`.
    pub namespaces: BTreeMap<String, String>,
    /// Link name and whether it is up (IFF_UP).
    pub interfaces: Vec<(String, bool)>,
}

impl Inside {
    /// The report as the child writes it down the pipe, one fact a line.
    pub fn to_report(&self) -> String {
        let mut text = format!("pid {}\nhostname {}\n", self.pid, self.hostname);
        for (kind, link) in &self.namespaces {
            text.push_str(&format!("ns {kind} {link}\n"));
        }
        for (name, up) in &self.interfaces {
            text.push_str(&format!("if {name} {}\n", if *up { "up" } else { "down" }));
        }
        text
    }

    /// Reads the child's report; `Err` carries an error line the child sent instead.
    pub fn from_report(text: &str) -> Result<Inside, String> {
        let mut inside = Inside::default();
        for line in text.lines() {
            let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "error" => return Err(rest.to_string()),
                "pid" => inside.pid = rest.parse().map_err(|_| format!("bad pid line: {line}"))?,
                "hostname" => inside.hostname = rest.to_string(),
                "ns" => {
                    let (kind, link) = rest.split_once(' ').unwrap_or((rest, ""));
                    inside.namespaces.insert(kind.to_string(), link.to_string());
                }
                "if" => {
                    let (name, state) = rest.split_once(' ').unwrap_or((rest, ""));
                    inside.interfaces.push((name.to_string(), state == "up"));
                }
                _ => {}
            }
        }
        if inside.pid == 0 {
            return Err("the process in the new namespaces sent no report".to_string());
        }
        Ok(inside)
    }
}

/// What the child looks at once inside.
fn look_around(kernel: &mut dyn Kernel) -> Inside {
    let mut namespaces = BTreeMap::new();
    for kind in SHOWN {
        if let Ok(link) = kernel.read_link(&Path::new("/proc/self/ns").join(kind)) {
            namespaces.insert(kind.to_string(), link);
        }
    }
    let mut interfaces = Vec::new();
    for entry in kernel.walk(Path::new("/sys/class/net")).unwrap_or_default() {
        let name = entry.path.trim_start_matches('/').to_string();
        let flags = kernel.read(&Path::new("/sys/class/net").join(&name).join("flags")).unwrap_or_default();
        let flags = u32::from_str_radix(flags.trim().trim_start_matches("0x"), 16).unwrap_or(0);
        interfaces.push((name, flags & 1 == 1));
    }
    Inside {
        pid: nix::unistd::getpid().as_raw(),
        hostname: nix::unistd::gethostname().map(|h| h.to_string_lossy().into_owned()).unwrap_or_default(),
        namespaces,
        interfaces,
    }
}

/// The whole observation: both sides of every namespace link and the process's two PIDs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub host_pid: i32,
    /// `NSpid:` from the host's `/proc/PID/status`: its PID in each nested namespace.
    pub ns_pids: String,
    pub user_namespace: bool,
    pub inside: Inside,
    pub outside: BTreeMap<String, String>,
    pub hostname_outside: String,
    pub exit: Exit,
}

/// Reads this process's own namespace links (the host side of the comparison).
pub fn own_namespaces(kernel: &mut dyn Kernel) -> BTreeMap<String, String> {
    SHOWN
        .iter()
        .filter_map(|kind| kernel.read_link(&Path::new("/proc/self/ns").join(kind)).ok().map(|l| (kind.to_string(), l)))
        .collect()
}

/// Starts a process in new namespaces (`user` adds a user namespace), lets it look around and
/// report, and waits for it.
pub fn observe(kernel: &mut dyn Kernel, hostname: &str, user: bool) -> io::Result<Observation> {
    let outside = own_namespaces(kernel);
    let hostname_outside = nix::unistd::gethostname().map(|h| h.to_string_lossy().into_owned()).unwrap_or_default();
    let mut handshake = Handshake::new()?;
    let parent = nix::unistd::getpid();
    let pid = kernel.spawn(clone_flags(user), &mut || {
        if !super::sys::die_with_parent(parent) || !handshake.wait_for_go() {
            return 1;
        }
        let mut real = super::sys::Real;
        match enter(&mut real, hostname) {
            Ok(()) => handshake.report(&look_around(&mut real).to_report()),
            Err(error) => handshake.report(&format!("error setting up the namespaces: {error}\n")),
        }
        0
    })?;
    handshake.spawned();
    let result = finish_setup(kernel, pid, user, &handshake);
    if result.is_err() {
        let _ = kernel.kill(pid, super::sys::Signal::SIGKILL);
    }
    let ns_pids = result.as_ref().map(String::clone).unwrap_or_default();
    let report = if result.is_ok() { handshake.read_report() } else { String::new() };
    let exit = kernel.wait(pid, true)?.unwrap_or(Exit::Code(0));
    result?;
    let inside = Inside::from_report(&report).map_err(io::Error::other)?;
    Ok(Observation { host_pid: pid.as_raw(), ns_pids, user_namespace: user, inside, outside, hostname_outside, exit })
}

/// The parent's part while the child waits: map root for a user namespace, note its PIDs.
fn finish_setup(kernel: &mut dyn Kernel, pid: Pid, user: bool, handshake: &Handshake) -> io::Result<String> {
    if user {
        write_id_maps(kernel, pid)?;
    }
    let status = kernel.read(&Path::new("/proc").join(pid.to_string()).join("status")).unwrap_or_default();
    let ns_pids = status.lines().find_map(|l| l.strip_prefix("NSpid:")).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
    handshake.go()?;
    Ok(ns_pids)
}

/// uid_map and gid_map for a child in a new user namespace (setgroups stays allowed: the
/// writer is root in the parent namespace).
pub fn write_id_maps(kernel: &mut dyn Kernel, pid: Pid) -> io::Result<()> {
    let proc = Path::new("/proc").join(pid.to_string());
    kernel.write(&proc.join("uid_map"), ID_MAP)?;
    kernel.write(&proc.join("gid_map"), ID_MAP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::sys::{flag_names, Recorder};

    #[test]
    fn a_container_gets_five_namespaces_and_a_user_one_when_asked() {
        assert_eq!(flag_names(clone_flags(false)), "CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWPID|CLONE_NEWNET");
        assert!(clone_flags(true).contains(CloneFlags::CLONE_NEWUSER));
        assert!(!clone_flags(false).contains(CloneFlags::CLONE_NEWUSER));
    }

    #[test]
    fn entering_makes_mounts_private_before_mounting_proc_and_sys() {
        let mut kernel = Recorder::new();
        enter(&mut kernel, "box1").expect("recorded");
        assert_eq!(
            kernel.calls,
            [
                "mount  /  [MS_REC|MS_PRIVATE]",
                "sethostname box1",
                "mount proc /proc proc [MS_NOSUID|MS_NODEV|MS_NOEXEC]",
                "mount sysfs /sys sysfs [MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC]",
            ]
        );
    }

    #[test]
    fn the_report_survives_the_pipe() {
        let inside = Inside {
            pid: 1,
            hostname: "box".into(),
            namespaces: [("pid".to_string(), "pid:[4026532198]".to_string())].into_iter().collect(),
            interfaces: vec![("lo".into(), false)],
        };
        assert_eq!(Inside::from_report(&inside.to_report()), Ok(inside));
        assert_eq!(Inside::from_report("error mount: EPERM\n"), Err("mount: EPERM".to_string()));
        assert!(Inside::from_report("").is_err());
    }

    #[test]
    fn the_parent_maps_root_then_lets_the_child_go() {
        let mut kernel = Recorder::new();
        let observed = observe(&mut kernel, "box", true);
        // The fake never runs the child, so there is no report; the calls are what matter.
        assert!(observed.is_err());
        assert_eq!(
            kernel.calls,
            [
                "clone CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET",
                "write /proc/4242/uid_map 0 0 4294967295",
                "write /proc/4242/gid_map 0 0 4294967295",
                "wait 4242",
            ]
        );
    }
}
