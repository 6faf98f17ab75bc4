//! Volumes and mount points: the named and anonymous volumes the daemon keeps (their files
//! live here, under `/var/lib/docker/volumes/NAME/_data` as far as anyone can tell), what a
//! container has mounted where, and how a directory's files move into and out of a file tree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::SimTime;
use crate::fs::{FileTree, Meta, Node};

/// A volume of the `local` driver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub name: String,
    pub created: SimTime,
    pub labels: BTreeMap<String, String>,
    /// `-o` driver options (`type=tmpfs`, `device=…`), shown by `inspect` and otherwise kept.
    pub options: BTreeMap<String, String>,
    /// Made for a container (`VOLUME`, `-v /path`): a 64-hex name, pruned without `-a`.
    pub anonymous: bool,
    /// The `_data` directory's own owner and mode (copied from the image on first mount).
    pub root: Meta,
    /// The files under `_data`, by path below it (`/x`, `/sub/y`).
    pub files: FileTree,
    /// Made by `docker volume create`, whose CLI always sends label and option maps (`{}` in
    /// `inspect`); `docker run` sends none (`null`).
    #[serde(default)]
    pub from_cli: bool,
}

impl Volume {
    pub fn new(name: &str, created: SimTime, anonymous: bool) -> Volume {
        let mut labels = BTreeMap::new();
        if anonymous {
            labels.insert(Volume::ANONYMOUS_LABEL.to_string(), String::new());
        }
        Volume { name: name.to_string(), created, labels, options: BTreeMap::new(), anonymous, root: Meta::DIR, files: FileTree::new(), from_cli: false }
    }

    /// Where the local driver keeps it on the host.
    pub fn mountpoint(&self) -> String {
        format!("/var/lib/docker/volumes/{}/_data", self.name)
    }

    /// Docker 23+ marks volumes it made for a container with this label (prune looks for it).
    pub const ANONYMOUS_LABEL: &'static str = "com.docker.volume.anonymous";

    /// Bytes of file content (what `docker system df` counts).
    pub fn size(&self) -> u64 {
        self.files.size()
    }

    /// The local driver's naming rule: `[a-zA-Z0-9][a-zA-Z0-9_.-]`, at least two characters.
    pub fn valid_name(name: &str) -> bool {
        let bytes = name.as_bytes();
        bytes.len() >= 2 && bytes[0].is_ascii_alphanumeric() && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    }
}

/// What a mount point is backed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MountKind {
    Volume,
    Bind,
    Tmpfs,
}

impl MountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MountKind::Volume => "volume",
            MountKind::Bind => "bind",
            MountKind::Tmpfs => "tmpfs",
        }
    }
}

/// One mount in a container (`Mounts[]` in `docker inspect`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountPoint {
    pub kind: MountKind,
    /// The volume's name (volumes only).
    pub name: String,
    /// The host path (binds only).
    pub source: String,
    pub destination: String,
    /// The mode as given (`ro`, `z`, `rw,nocopy`), what `inspect` shows as `Mode`.
    pub mode: String,
    pub rw: bool,
    /// Copy the image's files into an empty volume on first mount (`nocopy` turns it off).
    pub copy_data: bool,
    /// Files written to a tmpfs mount while the container runs; gone when it stops.
    #[serde(default)]
    pub files: FileTree,
    /// Listed by `--tmpfs` (HostConfig.Tmpfs), not in `Mounts`.
    #[serde(default)]
    pub from_tmpfs_flag: bool,
}

impl MountPoint {
    /// `Propagation` as inspect shows it: binds default to `rprivate`, the rest have none.
    pub fn propagation(&self) -> &'static str {
        if self.kind == MountKind::Bind { "rprivate" } else { "" }
    }

    /// Where the files are on the host (`Source` in inspect).
    pub fn host_source(&self) -> String {
        match self.kind {
            MountKind::Volume => format!("/var/lib/docker/volumes/{}/_data", self.name),
            MountKind::Bind => self.source.clone(),
            MountKind::Tmpfs => String::new(),
        }
    }
}

/// The files under `dir` in `tree`, rebased below `/`, with `dir`'s own metadata (`None` when
/// `dir` is not a directory there).
pub fn subtree(tree: &FileTree, dir: &str) -> Option<(Meta, FileTree)> {
    let meta = if dir == "/" {
        Meta::DIR
    } else {
        match tree.get(dir) {
            Some(node @ Node::Dir { .. }) => node.meta(),
            _ => return None,
        }
    };
    let mut files = FileTree::new();
    let prefix_len = if dir == "/" { 0 } else { dir.len() };
    for (path, node) in tree.descendants(dir) {
        files.insert(&path[prefix_len..], node.clone());
    }
    Some((meta, files))
}

/// Puts `files` at `dir` in `tree` in place of whatever was there, `dir` itself with `root`.
pub fn graft(tree: &mut FileTree, dir: &str, root: Meta, files: &FileTree) {
    tree.remove_all(dir);
    tree.mkdir_all(dir, root);
    if let Some(node) = tree.get_mut(dir) {
        *node.meta_mut() = root;
    }
    for (path, node) in files.entries() {
        tree.insert(&format!("{dir}{path}"), node.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_and_graft_round_trip() {
        let mut tree = FileTree::new();
        let owned = Meta { mode: 0o755, uid: 1000, gid: 1000 };
        tree.mkdir_all("/data", owned);
        tree.insert("/data/a.txt", Node::text("a"));
        tree.insert("/data/sub/b.txt", Node::text("b"));
        tree.insert("/datafile", Node::text("not inside"));
        let (meta, files) = subtree(&tree, "/data").unwrap();
        assert_eq!(meta, owned);
        assert_eq!(files.read_text("/sub/b.txt").unwrap(), "b");
        assert!(!files.exists("/datafile") && !files.exists("file"));
        let mut other = FileTree::new();
        other.insert("/mnt/old", Node::text("hidden"));
        graft(&mut other, "/mnt", meta, &files);
        assert!(!other.exists("/mnt/old"));
        assert_eq!(other.read_text("/mnt/a.txt").unwrap(), "a");
        assert_eq!(other.get("/mnt").unwrap().meta(), owned);
        assert!(subtree(&tree, "/missing").is_none());
    }

    #[test]
    fn local_volume_names_follow_the_driver() {
        assert!(Volume::valid_name("postgres_data") && Volume::valid_name("my-vol.1"));
        assert!(!Volume::valid_name("relative/x") && !Volume::valid_name("_x") && !Volume::valid_name("a"));
    }
}
