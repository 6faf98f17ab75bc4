//! Layers as diffs: what one build step or container changed, with overlayfs-style whiteouts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::tree::{FileTree, Meta, Node};
use super::{is_within, parent};
use crate::ids::sha256_digest;

/// One change a layer makes to the tree below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// Adds or replaces the entry.
    Put(Node),
    /// Deletes the entry and everything under it (`.wh.NAME` in a layer tarball).
    Whiteout,
    /// The directory was replaced wholesale: nothing from lower layers shows through
    /// (`.wh..wh..opq`).
    Opaque(Meta),
}

/// A layer: changes keyed by absolute path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerDiff {
    pub changes: BTreeMap<String, Change>,
}

impl LayerDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Bytes this layer adds. Whiteouts cost nothing and free nothing: a file deleted in a later
    /// layer still weighs on the image.
    pub fn size(&self) -> u64 {
        self.changes
            .values()
            .map(|change| match change {
                Change::Put(node) => node.size(),
                Change::Whiteout | Change::Opaque(_) => 0,
            })
            .sum()
    }

    /// Content digest over a canonical listing of the changes (paths in order, no timestamps).
    pub fn digest(&self) -> String {
        let mut canonical = String::new();
        for (path, change) in &self.changes {
            let entry = match change {
                Change::Put(node) => node.checksum(),
                Change::Whiteout => "whiteout".to_string(),
                Change::Opaque(meta) => format!("opaque {meta:?}"),
            };
            canonical.push_str(path);
            canonical.push('\t');
            canonical.push_str(&entry);
            canonical.push('\n');
        }
        sha256_digest(canonical.as_bytes())
    }

    /// Applies the layer on top of `tree`, as overlayfs stacks it.
    pub fn apply_to(&self, tree: &mut FileTree) {
        for (path, change) in &self.changes {
            match change {
                Change::Put(node) => tree.insert(path, node.clone()),
                Change::Whiteout => {
                    tree.remove_all(path);
                }
                Change::Opaque(meta) => {
                    tree.remove_all(path);
                    tree.mkdir_all(path, *meta);
                }
            }
        }
    }

    /// The layer that turns `before` into `after`.
    pub fn between(before: &FileTree, after: &FileTree) -> LayerDiff {
        let mut changes = BTreeMap::new();
        let opaque_dirs: Vec<String> = after
            .entries()
            .filter(|(path, node)| node.is_dir() && before.is_dir(path) && was_replaced(before, after, path))
            .map(|(path, _)| path.clone())
            .collect();
        for dir in &opaque_dirs {
            if let Some(node) = after.get(dir) {
                changes.insert(dir.clone(), Change::Opaque(node.meta()));
            }
        }
        let under_opaque = |path: &str| opaque_dirs.iter().any(|dir| path != dir && is_within(path, dir));
        for (path, node) in after.entries() {
            if opaque_dirs.contains(path) {
                continue;
            }
            if under_opaque(path) || before.get(path) != Some(node) {
                changes.insert(path.clone(), Change::Put(node.clone()));
            }
        }
        for (path, _) in before.entries() {
            if after.exists(path) || under_opaque(path) {
                continue;
            }
            // Only the topmost deleted entry needs a whiteout; it hides everything below.
            let parent_also_gone = parent(path) != "/" && !after.exists(parent(path));
            if !parent_also_gone {
                changes.insert(path.clone(), Change::Whiteout);
            }
        }
        LayerDiff { changes }
    }
}

/// A directory counts as replaced when everything it held before is gone and it has new content,
/// which is what `rm -rf dir && mkdir dir && …` leaves behind.
fn was_replaced(before: &FileTree, after: &FileTree, dir: &str) -> bool {
    let mut old_children = before.children(dir).peekable();
    if old_children.peek().is_none() {
        return false;
    }
    let all_gone_or_new = before.children(dir).all(|(name, old)| {
        let path = if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") };
        after.get(&path).is_none_or(|new| new != old)
    });
    let any_removed = before.children(dir).any(|(name, _)| {
        let path = if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") };
        !after.exists(&path)
    });
    all_gone_or_new && any_removed && after.children(dir).next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> FileTree {
        let mut tree = FileTree::new();
        tree.insert("/etc/os-release", Node::text("ID=debian\n"));
        tree.insert("/var/lib/apt/lists/a", Node::blob("apt list a", 40_000_000, Meta::FILE));
        tree.insert("/var/lib/apt/lists/b", Node::blob("apt list b", 2_000_000, Meta::FILE));
        tree
    }

    #[test]
    fn diff_then_apply_reproduces_the_tree() {
        let before = base();
        let mut after = before.clone();
        after.insert("/app/main.py", Node::text("print(1)\n"));
        after.remove_all("/etc/os-release");
        let layer = LayerDiff::between(&before, &after);
        assert_eq!(layer.changes.get("/etc/os-release"), Some(&Change::Whiteout));
        let mut rebuilt = before.clone();
        layer.apply_to(&mut rebuilt);
        assert_eq!(rebuilt, after);
    }

    #[test]
    fn deleting_in_a_later_layer_does_not_shrink_the_image() {
        let before = base();
        let mut after = before.clone();
        after.remove_all("/var/lib/apt/lists");
        let layer = LayerDiff::between(&before, &after);
        // One whiteout for the directory, none for its children.
        assert_eq!(layer.changes.len(), 1);
        assert_eq!(layer.size(), 0);
        let lower_size = LayerDiff::between(&FileTree::new(), &before).size();
        assert_eq!(lower_size, 42_000_000 + 10);
    }

    #[test]
    fn a_recreated_directory_is_opaque() {
        let before = base();
        let mut after = before.clone();
        after.remove_all("/var/lib/apt/lists");
        after.insert("/var/lib/apt/lists/fresh", Node::text("x"));
        let layer = LayerDiff::between(&before, &after);
        assert!(matches!(layer.changes.get("/var/lib/apt/lists"), Some(Change::Opaque(_))));
        let mut rebuilt = before.clone();
        layer.apply_to(&mut rebuilt);
        assert_eq!(rebuilt, after);
    }

    #[test]
    fn digests_depend_on_content_not_on_history() {
        let mut a = FileTree::new();
        a.insert("/x", Node::text("1"));
        let mut b = FileTree::new();
        b.insert("/x", Node::text("2"));
        b.insert("/x", Node::text("1"));
        let empty = FileTree::new();
        assert_eq!(LayerDiff::between(&empty, &a).digest(), LayerDiff::between(&empty, &b).digest());
        let mut c = FileTree::new();
        c.insert("/x", Node::text("3"));
        assert_ne!(LayerDiff::between(&empty, &a).digest(), LayerDiff::between(&empty, &c).digest());
    }
}
