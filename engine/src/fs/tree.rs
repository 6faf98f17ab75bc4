//! A materialized file tree: what a union of layers looks like once flattened.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{file_name, is_within, normalize, parent};
use crate::ids::sha256_digest;

/// Ownership and permission bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

impl Meta {
    pub const DIR: Meta = Meta { mode: 0o755, uid: 0, gid: 0 };
    pub const FILE: Meta = Meta { mode: 0o644, uid: 0, gid: 0 };
    pub const EXECUTABLE: Meta = Meta { mode: 0o755, uid: 0, gid: 0 };
}

/// What a file holds. Small text files that learners read are kept verbatim; binaries and bulk
/// data are stood in for by a label, so two builds of the same thing have the same checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Content {
    Text(String),
    Blob { label: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Node {
    Dir { meta: Meta },
    File { meta: Meta, size: u64, content: Content },
    Symlink { meta: Meta, target: String },
}

impl Node {
    pub fn text(text: impl Into<String>) -> Node {
        let text = text.into();
        Node::File { meta: Meta::FILE, size: text.len() as u64, content: Content::Text(text) }
    }

    pub fn blob(label: impl Into<String>, size: u64, meta: Meta) -> Node {
        Node::File { meta, size, content: Content::Blob { label: label.into() } }
    }

    pub fn meta(&self) -> Meta {
        match self {
            Node::Dir { meta } | Node::File { meta, .. } | Node::Symlink { meta, .. } => *meta,
        }
    }

    pub fn meta_mut(&mut self) -> &mut Meta {
        match self {
            Node::Dir { meta } | Node::File { meta, .. } | Node::Symlink { meta, .. } => meta,
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self, Node::Dir { .. })
    }

    /// Bytes the entry takes in a layer.
    pub fn size(&self) -> u64 {
        match self {
            Node::File { size, .. } => *size,
            Node::Symlink { target, .. } => target.len() as u64,
            Node::Dir { .. } => 0,
        }
    }

    /// A checksum of the entry's content and metadata, as BuildKit's content hashing sees it
    /// (no timestamps).
    pub fn checksum(&self) -> String {
        let text = match self {
            Node::Dir { meta } => format!("dir {meta:?}"),
            Node::File { meta, size, content } => format!("file {meta:?} {size} {content:?}"),
            Node::Symlink { meta, target } => format!("symlink {meta:?} {target}"),
        };
        sha256_digest(text.as_bytes())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FsError {
    #[error("{0}: No such file or directory")]
    NotFound(String),
    #[error("{0}: Not a directory")]
    NotADirectory(String),
    #[error("{0}: Is a directory")]
    IsADirectory(String),
    #[error("{0}: File exists")]
    Exists(String),
    #[error("{0}: Too many levels of symbolic links")]
    TooManyLinks(String),
}

/// Absolute path → entry. The root directory is implicit and always present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileTree {
    nodes: BTreeMap<String, Node>,
}

impl FileTree {
    pub fn new() -> Self {
        FileTree::default()
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    pub fn get_mut(&mut self, path: &str) -> Option<&mut Node> {
        self.nodes.get_mut(path)
    }

    pub fn exists(&self, path: &str) -> bool {
        path == "/" || self.nodes.contains_key(path)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        path == "/" || self.nodes.get(path).is_some_and(Node::is_dir)
    }

    /// Every entry, in path order.
    pub fn entries(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.nodes.iter()
    }

    /// Entries strictly under `dir`, in path order.
    pub fn descendants<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a String, &'a Node)> + 'a {
        let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
        self.nodes.range(prefix.clone()..).take_while(move |(path, _)| path.starts_with(&prefix))
    }

    /// Direct children of `dir`, by name.
    pub fn children<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        self.descendants(dir)
            .filter(move |(path, _)| parent(path) == dir)
            .map(|(path, node)| (file_name(path), node))
    }

    /// Puts `node` at `path`, creating missing parent directories.
    pub fn insert(&mut self, path: &str, node: Node) {
        self.mkdir_all(parent(path), Meta::DIR);
        if !node.is_dir() {
            // A file replacing a directory takes its contents with it.
            self.remove_all(path);
        }
        self.nodes.insert(path.to_string(), node);
    }

    /// `mkdir -p`: creates `path` and its parents, leaving existing directories as they are.
    pub fn mkdir_all(&mut self, path: &str, meta: Meta) {
        if path == "/" || self.is_dir(path) {
            return;
        }
        self.mkdir_all(parent(path), Meta::DIR);
        self.nodes.insert(path.to_string(), Node::Dir { meta });
    }

    /// `rm -rf`: removes `path` and everything under it; true if anything was there.
    pub fn remove_all(&mut self, path: &str) -> bool {
        if path == "/" {
            let had = !self.nodes.is_empty();
            self.nodes.clear();
            return had;
        }
        let doomed: Vec<String> = std::iter::once(path.to_string())
            .filter(|p| self.nodes.contains_key(p))
            .chain(self.descendants(path).map(|(p, _)| p.clone()))
            .collect();
        for path in &doomed {
            self.nodes.remove(path);
        }
        !doomed.is_empty()
    }

    /// Reads a text file, following symlinks as the kernel does (at most 40 hops).
    pub fn read_text(&self, path: &str) -> Result<&str, FsError> {
        let mut current = path.to_string();
        for _ in 0..40 {
            match self.nodes.get(&current) {
                Some(Node::File { content: Content::Text(text), .. }) => return Ok(text),
                Some(Node::File { .. }) => return Ok(""),
                Some(Node::Dir { .. }) => return Err(FsError::IsADirectory(path.into())),
                Some(Node::Symlink { target, .. }) => current = normalize(target, parent(&current)),
                None => return Err(FsError::NotFound(path.into())),
            }
        }
        Err(FsError::TooManyLinks(path.into()))
    }

    /// Total bytes of all files.
    pub fn size(&self) -> u64 {
        self.nodes.values().map(Node::size).sum()
    }

    /// Whether `path` names something inside `dir` that exists in this tree.
    pub fn has_under(&self, dir: &str) -> bool {
        self.nodes.keys().any(|p| is_within(p, dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_creates_parents_and_remove_takes_children() {
        let mut tree = FileTree::new();
        tree.insert("/app/src/main.py", Node::text("print('hi')\n"));
        assert!(tree.is_dir("/app") && tree.is_dir("/app/src"));
        assert_eq!(tree.read_text("/app/src/main.py").unwrap(), "print('hi')\n");
        let children: Vec<&str> = tree.children("/app").map(|(name, _)| name).collect();
        assert_eq!(children, ["src"]);
        assert!(tree.remove_all("/app"));
        assert!(!tree.exists("/app/src/main.py") && !tree.exists("/app"));
        assert!(!tree.remove_all("/app"));
    }

    #[test]
    fn descendants_do_not_leak_into_siblings_with_a_common_prefix() {
        let mut tree = FileTree::new();
        tree.insert("/app/a", Node::text("a"));
        tree.insert("/apple/b", Node::text("b"));
        let under: Vec<&String> = tree.descendants("/app").map(|(p, _)| p).collect();
        assert_eq!(under, ["/app/a"]);
    }

    #[test]
    fn symlinks_are_followed_when_reading() {
        let mut tree = FileTree::new();
        tree.insert("/etc/os-release", Node::text("ID=debian\n"));
        tree.insert("/usr/lib/os-release", Node::Symlink { meta: Meta::FILE, target: "../../etc/os-release".into() });
        assert_eq!(tree.read_text("/usr/lib/os-release").unwrap(), "ID=debian\n");
        assert_eq!(tree.read_text("/nope"), Err(FsError::NotFound("/nope".into())));
        tree.insert("/loop", Node::Symlink { meta: Meta::FILE, target: "/loop".into() });
        assert_eq!(tree.read_text("/loop"), Err(FsError::TooManyLinks("/loop".into())));
    }
}
