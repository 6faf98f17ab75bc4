//! Whether this process may make namespaces, cgroups, mounts and links, and what to say if not.

use std::path::Path;

/// Why a real-kernel command cannot run here, worded for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
}

/// The effective capabilities a demo needs: CAP_SYS_ADMIN (namespaces, mounts, cgroups),
/// CAP_NET_ADMIN (links, addresses, iptables), CAP_SYS_CHROOT (pivot_root), CAP_KILL.
const NEEDED: [(u32, &str); 4] = [
    (21, "CAP_SYS_ADMIN"),
    (12, "CAP_NET_ADMIN"),
    (18, "CAP_SYS_CHROOT"),
    (5, "CAP_KILL"),
];

/// `Ok` when the process is root with the capabilities the demos need; otherwise what is missing
/// and what to run instead. `what` names the command (`whalebox demo cgroup`).
pub fn check(what: &str) -> Result<(), Refusal> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    check_status(what, &status, is_root())
}

/// Whether the effective user is root.
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// The decision, from `/proc/self/status`'s text and whether the effective user is root.
pub fn check_status(what: &str, proc_status: &str, is_root: bool) -> Result<(), Refusal> {
    let effective = proc_status
        .lines()
        .find_map(|line| line.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    let missing: Vec<&str> = NEEDED
        .iter()
        .filter(|(bit, _)| effective & (1u64 << bit) == 0)
        .map(|(_, name)| *name)
        .collect();
    if is_root && missing.is_empty() {
        return Ok(());
    }
    let who = if is_root {
        format!("root here lacks {}", missing.join(", "))
    } else {
        "this user is not root".to_string()
    };
    Err(Refusal {
        message: format!(
            "{what} makes real namespaces, cgroups, mounts and network links, so it needs root \
             with {} ({who}).\nRun it as root (sudo {what} ...), or learn the same thing in the \
             simulator, which needs nothing: whalebox shell",
            NEEDED.iter().map(|(_, name)| *name).collect::<Vec<_>>().join(", ")
        ),
    })
}

/// Whether a program is on the PATH (the demos use iproute2's `ip` and busybox for images).
pub fn find_program(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "Name:\tx\nCapEff:\t000001ffffffffff\n";

    #[test]
    fn root_with_every_capability_may_run() {
        assert_eq!(check_status("whalebox demo cgroup", FULL, true), Ok(()));
    }

    #[test]
    fn a_plain_user_is_told_what_is_needed_and_what_to_run_instead() {
        let refusal = check_status("whalebox demo cgroup", "CapEff:\t0000000000000000\n", false)
            .expect_err("refused");
        assert!(refusal.message.contains("needs root"), "{}", refusal.message);
        assert!(refusal.message.contains("this user is not root"), "{}", refusal.message);
        assert!(refusal.message.contains("whalebox shell"), "{}", refusal.message);
    }

    #[test]
    fn root_without_net_admin_names_the_missing_capability() {
        // Every bit but 12 (CAP_NET_ADMIN).
        let status = format!("CapEff:\t{:016x}\n", 0x1ff_ffff_ffffu64 & !(1 << 12));
        let refusal = check_status("whalebox demo network", &status, true).expect_err("refused");
        assert!(refusal.message.contains("root here lacks CAP_NET_ADMIN"), "{}", refusal.message);
    }
}
