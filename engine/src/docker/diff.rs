//! `docker diff`: what a container changed in its filesystem, read from its writable layer the
//! way the overlay2 driver walks the upper directory.

use std::collections::BTreeMap;

use super::flags::{Args, CommandSpec, Parsed};
use super::inspect::RUNTIME_FILES;
use crate::fs::{parent, Change, FileTree};
use crate::outcome::Outcome;
use crate::world::{Container, World};

pub const SPEC: CommandSpec = CommandSpec { path: "docker diff", help: include_str!("help/diff.txt"), args: Args::Exactly(1), interspersed: true };

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let name = &parsed.args[0];
    let Some(container) = world.find_container(name) else {
        outcome.err(format!("Error response from daemon: No such container: {name}"));
        return outcome.fail(1);
    };
    let image_tree = world.image(&container.image_id).map(|image| world.image_tree(image)).unwrap_or_default();
    for (kind, path) in changes(container, &image_tree) {
        outcome.out(format!("{kind} {path}"));
    }
    outcome
}

/// The changes Docker reports, in its walk order: `A` added, `C` changed (including every
/// directory above a change), `D` deleted. An opaque directory (replaced wholesale) reads as `D`,
/// as moby's overlay walker reports it, followed by what it holds now.
pub(crate) fn changes(container: &Container, image_tree: &FileTree) -> Vec<(char, String)> {
    let mut found: BTreeMap<Vec<String>, (char, String)> = BTreeMap::new();
    let key = |path: &str| path.split('/').filter(|p| !p.is_empty()).map(str::to_string).collect::<Vec<_>>();
    for (path, change) in &container.upper.changes {
        if RUNTIME_FILES.contains(&path.as_str()) {
            continue;
        }
        let kind = match change {
            Change::Whiteout => 'D',
            Change::Opaque(_) => 'D',
            Change::Put(_) if image_tree.exists(path) => 'C',
            Change::Put(_) => 'A',
        };
        found.insert(key(path), (kind, path.clone()));
        // Every existing directory on the way down was copied up, so it reads as changed.
        let mut dir = parent(path);
        while dir != "/" {
            found.entry(key(dir)).or_insert_with(|| (if image_tree.exists(dir) { 'C' } else { 'A' }, dir.to_string()));
            dir = parent(dir);
        }
    }
    // A directory that exists in the image and is only the parent of changes is `C`; one the
    // container created is `A` — both already decided above. Walk order: component by component.
    found.into_values().collect()
}
