//! The seam to the volume model: compose names a project's volumes `<project>_<name>`, creates
//! them (labelled as Compose labels them) before the containers that mount them, and removes them
//! on `down -v`.

use crate::volume::Volume;
use crate::world::World;

/// Creates volume `engine_name` for `project`'s volume `key` unless it exists; whether it was
/// created (compose then prints `Volume "…"  Created`).
pub(super) fn create_project_volume(world: &mut World, project: &str, key: &str, engine_name: &str) -> bool {
    if world.volume(engine_name).is_some() {
        return false;
    }
    let mut volume = Volume::new(engine_name, world.now(), false);
    // Compose sends labels (and an empty options map), as the CLI does.
    volume.from_cli = true;
    volume.labels.insert("com.docker.compose.project".into(), project.to_string());
    volume.labels.insert("com.docker.compose.version".into(), super::VERSION.to_string());
    volume.labels.insert("com.docker.compose.volume".into(), key.to_string());
    world.volumes.push(volume);
    world.record_volume_event(engine_name, "create", &[]);
    true
}

/// Removes the project's named volume (`down -v`) unless a container still uses it; whether it
/// was removed.
pub(super) fn remove_project_volume(world: &mut World, engine_name: &str) -> bool {
    if world.volume(engine_name).is_none() || !world.volume_users(engine_name).is_empty() {
        return false;
    }
    world.volumes.retain(|v| v.name != engine_name);
    world.record_volume_event(engine_name, "destroy", &[]);
    true
}
