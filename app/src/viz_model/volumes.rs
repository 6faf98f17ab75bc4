//! The volumes view's model: which containers mount what (volumes, binds, tmpfs) and what each
//! piece of storage survives: `docker rm`, `docker rm -v`, or nothing at all.

use engine::volume::MountKind;
use engine::World;

/// What removing the container does to a piece of its storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Survival {
    /// Named volumes and bind-mounted host files outlive every `docker rm`.
    Survives,
    /// Anonymous volumes outlive `docker rm` but go with `docker rm -v` (and `--rm`).
    GoesWithRmV,
    /// The writable layer goes with the container.
    GoesWithContainer,
    /// tmpfs lives in memory: gone as soon as the container stops.
    GoneOnStop,
}

impl Survival {
    pub fn describe(self) -> &'static str {
        match self {
            Survival::Survives => "survives docker rm",
            Survival::GoesWithRmV => "survives docker rm; removed by docker rm -v",
            Survival::GoesWithContainer => "removed with the container",
            Survival::GoneOnStop => "gone when the container stops",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageRow {
    /// `volume`, `anonymous volume`, `bind`, `tmpfs`, `writable layer`.
    pub kind: &'static str,
    /// Volume name, host path, or empty.
    pub source: String,
    pub destination: String,
    pub bytes: u64,
    pub survival: Survival,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerStorage {
    pub container: String,
    pub running: bool,
    pub rows: Vec<StorageRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeRow {
    pub name: String,
    pub anonymous: bool,
    pub bytes: u64,
    /// Containers (any state) that mount it.
    pub users: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VolumesModel {
    pub containers: Vec<ContainerStorage>,
    pub volumes: Vec<VolumeRow>,
}

pub fn model(world: &World) -> VolumesModel {
    let containers = world
        .containers()
        .iter()
        .map(|c| {
            let mut rows: Vec<StorageRow> = c
                .mounts
                .iter()
                .map(|m| {
                    let anonymous = m.kind == MountKind::Volume && world.volume(&m.name).is_some_and(|v| v.anonymous);
                    let (kind, source, survival, bytes) = match m.kind {
                        MountKind::Volume if anonymous => ("anonymous volume", super::short_id(&m.name), Survival::GoesWithRmV, volume_bytes(world, &m.name)),
                        MountKind::Volume => ("volume", m.name.clone(), Survival::Survives, volume_bytes(world, &m.name)),
                        MountKind::Bind => ("bind", m.source.clone(), Survival::Survives, 0),
                        MountKind::Tmpfs => ("tmpfs", String::new(), Survival::GoneOnStop, m.files.size()),
                    };
                    StorageRow { kind, source, destination: m.destination.clone(), bytes, survival }
                })
                .collect();
            rows.push(StorageRow {
                kind: "writable layer",
                source: String::new(),
                destination: "/".into(),
                bytes: c.upper.size(),
                survival: Survival::GoesWithContainer,
            });
            ContainerStorage { container: c.name.clone(), running: c.is_running(), rows }
        })
        .collect();
    let volumes = world
        .volumes()
        .iter()
        .map(|v| VolumeRow {
            name: v.name.clone(),
            anonymous: v.anonymous,
            bytes: v.size(),
            users: world.volume_users(&v.name).iter().filter_map(|id| world.container(id)).map(|c| c.name.clone()).collect(),
        })
        .collect();
    VolumesModel { containers, volumes }
}

fn volume_bytes(world: &World, name: &str) -> u64 {
    world.volume(name).map_or(0, engine::volume::Volume::size)
}
