//! `/var/lib/docker` as the host's root user sees it: `ls`/`cat` of a named volume's `_data`
//! (the guides' `sudo ls -la /var/lib/docker/volumes/mydata/_data`), refused without sudo.

use crate::fs::{normalize, FileTree, Meta, Node};
use crate::outcome::Outcome;
use crate::world::World;

const ROOT: &str = "/var/lib/docker";

/// Whether any operand of `ls`/`cat` lies under Docker's data root.
pub fn concerns(cwd: &str, args: &[String]) -> bool {
    args.iter().filter(|a| !a.starts_with('-')).any(|a| {
        let path = normalize(a, cwd);
        path == ROOT || path.starts_with(&format!("{ROOT}/"))
    }) || (cwd == ROOT || cwd.starts_with(&format!("{ROOT}/")))
}

/// The part of the data root the simulator can show: `volumes/` with each volume's `_data`.
fn tree(world: &World) -> FileTree {
    let mut tree = FileTree::new();
    let private = Meta { mode: 0o710, uid: 0, gid: 0 };
    tree.mkdir_all(ROOT, private);
    for dir in ["buildkit", "containers", "image", "network", "overlay2", "plugins", "runtimes", "swarm", "tmp", "volumes"] {
        tree.mkdir_all(&format!("{ROOT}/{dir}"), Meta { mode: 0o700, uid: 0, gid: 0 });
    }
    tree.mkdir_all(&format!("{ROOT}/volumes"), Meta { mode: 0o701, uid: 0, gid: 0 });
    let empty = |size| Node::File { meta: Meta { mode: 0o600, uid: 0, gid: 0 }, size, content: crate::fs::Content::Text(String::new()) };
    tree.insert(&format!("{ROOT}/volumes/backingFsBlockDev"), empty(0));
    tree.insert(&format!("{ROOT}/volumes/metadata.db"), empty(32_768));
    for volume in world.volumes() {
        let data = format!("{ROOT}/volumes/{}/_data", volume.name);
        tree.mkdir_all(&format!("{ROOT}/volumes/{}", volume.name), Meta { mode: 0o701, uid: 0, gid: 0 });
        tree.mkdir_all(&data, volume.root);
        for (path, node) in volume.files.entries() {
            tree.insert(&format!("{data}{path}"), node.clone());
        }
    }
    tree
}

/// `ls`/`cat` there: root may look, anyone else is refused as the kernel refuses them.
pub fn run(world: &World, program: &str, cwd: &str, args: &[String], as_root: bool) -> Outcome {
    if as_root {
        let tree = tree(world);
        return match program {
            "cat" => super::files::cat(&tree, cwd, args, None),
            _ => super::files::ls(&tree, cwd, args),
        };
    }
    let mut outcome = Outcome::default();
    let operands: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).map(|a| normalize(a, cwd)).collect();
    for path in operands.iter().filter(|p| p.starts_with(ROOT)) {
        match program {
            "cat" => outcome.err(format!("cat: {path}: Permission denied")),
            _ if path == ROOT => outcome.err(format!("ls: cannot open directory '{path}': Permission denied")),
            _ => outcome.err(format!("ls: cannot access '{path}': Permission denied")),
        }
    }
    outcome.fail(if program == "cat" { 1 } else { 2 })
}
