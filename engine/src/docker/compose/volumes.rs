//! The seam to the volume model: compose names a project's volumes `<project>_<name>` and passes
//! that as the `-v` source; creating the volume object belongs to `docker volume`.

use crate::world::World;

/// Hook for the volume model: create volume `engine_name` (labelled for `project`/`key`) if it
/// does not exist, and say whether it was created (compose then prints `Volume "…"  Created`).
/// Volumes are not modelled on this branch yet, so nothing is created.
pub(super) fn create_project_volume(_world: &mut World, _project: &str, _key: &str, _engine_name: &str) -> bool {
    false
}

/// Hook for the volume model: remove the project's named volume (`down -v`); whether it was
/// removed. Nothing to remove until volumes are modelled.
pub(super) fn remove_project_volume(_world: &mut World, _engine_name: &str) -> bool {
    false
}
