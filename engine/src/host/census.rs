//! A census of what the demos could leave behind on the host — cgroups, mounts, network links,
//! named network namespaces — so a test can prove that runs leak nothing.

use std::collections::BTreeSet;
use std::path::Path;

/// Mount points that appear once per machine and belong to a host tool, not to a demo: the first
/// `ip netns add` ever makes `/run/netns` a shared mount, and iproute2 keeps it for later ones.
const HOST_TOOLS_MOUNTS: [&str; 1] = ["/run/netns"];

/// Everything of the kinds a demo creates that exists at one moment, as sorted names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Census {
    /// Cgroup directories below each hierarchy root, as `controller/relative/path`.
    pub cgroups: BTreeSet<String>,
    /// Mount points from `/proc/self/mountinfo`.
    pub mounts: BTreeSet<String>,
    /// Network interfaces in the host's network namespace (`/sys/class/net`).
    pub links: BTreeSet<String>,
    /// Named network namespaces (`/run/netns`) and their `/etc/netns` resolver folders.
    pub netns: BTreeSet<String>,
}

impl Census {
    /// Reads the live system.
    pub fn take() -> Census {
        let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        let mut netns = names_in(Path::new("/run/netns"));
        netns.extend(names_in(Path::new("/etc/netns")).into_iter().map(|n| format!("/etc/netns/{n}")));
        Census {
            cgroups: cgroup_dirs(Path::new("/sys/fs/cgroup")),
            mounts: mount_points(&mountinfo),
            links: names_in(Path::new("/sys/class/net")),
            netns,
        }
    }

    /// What `after` has that `self` had not, one line per thing (`mount /run/x`); empty when
    /// nothing leaked. Things that went away are not leaks and are not reported.
    pub fn leaks_since(&self, after: &Census) -> Vec<String> {
        let mut leaks = Vec::new();
        let mut compare = |kind: &str, before: &BTreeSet<String>, after: &BTreeSet<String>| {
            leaks.extend(after.difference(before).map(|name| format!("{kind} {name}")));
        };
        compare("cgroup", &self.cgroups, &after.cgroups);
        let after_mounts: BTreeSet<String> =
            after.mounts.iter().filter(|m| !HOST_TOOLS_MOUNTS.contains(&m.as_str())).cloned().collect();
        compare("mount", &self.mounts, &after_mounts);
        compare("link", &self.links, &after.links);
        compare("netns", &self.netns, &after.netns);
        leaks
    }
}

/// The mount points (fifth field) of `/proc/self/mountinfo`, with the kernel's octal escapes
/// (`\040` for a space) left as they are: they only need to compare equal.
pub fn mount_points(mountinfo: &str) -> BTreeSet<String> {
    mountinfo
        .lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(str::to_string)
        .collect()
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default()
}

/// Every directory below each hierarchy under `root` (v1 controllers and a v2 tree alike),
/// a few levels deep: the demos make theirs one or two levels down.
pub fn cgroup_dirs(root: &Path) -> BTreeSet<String> {
    fn walk(dir: &Path, prefix: &str, depth: u32, out: &mut BTreeSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
            if depth > 0 {
                walk(&entry.path(), &name, depth - 1, out);
            }
            out.insert(name);
        }
    }
    let mut out = BTreeSet::new();
    for hierarchy in names_in(root) {
        walk(&root.join(&hierarchy), &hierarchy, 3, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_points_are_the_fifth_field() {
        let info = "22 1 0:21 / / rw - overlay overlay rw\n\
                    35 22 0:30 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw\n";
        let points: Vec<String> = mount_points(info).into_iter().collect();
        assert_eq!(points, ["/", "/sys/fs/cgroup"]);
    }

    #[test]
    fn only_what_appeared_counts_as_a_leak() {
        let mut before = Census::default();
        before.links.insert("eth0".into());
        before.mounts.insert("/gone-later".into());
        let mut after = Census::default();
        after.links.insert("eth0".into());
        after.links.insert("wb42br0".into());
        after.cgroups.insert("memory/whalebox-42".into());
        after.mounts.insert("/run/netns".into());
        assert_eq!(before.leaks_since(&after), ["cgroup memory/whalebox-42", "link wb42br0"]);
        assert!(after.leaks_since(&after).is_empty());
    }

    #[test]
    fn cgroup_dirs_walk_each_hierarchy() {
        let root = std::env::temp_dir().join(format!("whalebox-census-test-{}", std::process::id()));
        std::fs::create_dir_all(root.join("memory/whalebox-1/inner")).expect("temp dirs");
        std::fs::create_dir_all(root.join("unified")).expect("temp dirs");
        let dirs: Vec<String> = cgroup_dirs(&root).into_iter().collect();
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(dirs, ["memory/whalebox-1", "memory/whalebox-1/inner"]);
    }
}
