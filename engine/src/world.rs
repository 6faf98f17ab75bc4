//! The simulated Docker host's state: images, containers, the clock and the ID source.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::{Clock, SimTime};
use crate::ids::IdGenerator;
use crate::reference::Reference;
use crate::registry::Registry;

/// An image in the local store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// `sha256:…` of the image config.
    pub id: String,
    /// Familiar `name:tag` references pointing at this image, e.g. `hello-world:latest`.
    pub repo_tags: Vec<String>,
    /// `name@sha256:…` of the manifest it was pulled as.
    pub repo_digests: Vec<String>,
    pub created: SimTime,
    pub layers: Vec<Layer>,
    pub config: ImageConfig,
}

/// One read-only filesystem layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    /// Digest of the compressed blob, as the registry names it.
    pub digest: String,
    /// Bytes on disk once unpacked.
    pub size: u64,
    /// Bytes sent over the wire.
    pub compressed_size: u64,
    /// Paths this layer adds.
    pub files: Vec<String>,
}

/// What a container started from the image runs, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub working_dir: String,
}

impl Image {
    /// Total unpacked size of all layers.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|layer| layer.size).sum()
    }

    /// Whether any layer provides `path`.
    pub fn has_file(&self, path: &str) -> bool {
        self.layers.iter().any(|layer| layer.files.iter().any(|file| file == path))
    }
}

/// Where a container is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContainerStatus {
    Created,
    Running { started_at: SimTime },
    Exited { exit_code: i32, started_at: SimTime, finished_at: SimTime },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// 64 hex digits.
    pub id: String,
    pub name: String,
    /// The image as the user typed it (`ps` shows this).
    pub image: String,
    pub image_id: String,
    /// Entrypoint and command, as the process's argv.
    pub argv: Vec<String>,
    pub created: SimTime,
    pub status: ContainerStatus,
}

impl Container {
    pub fn can_start(&self) -> bool {
        !matches!(self.status, ContainerStatus::Running { .. })
    }

    pub fn is_running(&self) -> bool {
        matches!(self.status, ContainerStatus::Running { .. })
    }
}

/// Everything the simulated daemon knows. Maps are `BTreeMap`s so iteration order, and with it
/// every byte of output, is the same on every run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct World {
    pub(crate) clock: Clock,
    pub(crate) ids: IdGenerator,
    pub(crate) registry: Registry,
    /// Local images by ID.
    images: BTreeMap<String, Image>,
    /// Containers in the order they were created.
    containers: Vec<Container>,
    /// What `docker info` shows as the daemon's ID.
    daemon_id: String,
}

impl World {
    pub fn new(seed: u64) -> Self {
        let mut ids = IdGenerator::new(seed);
        let hex = ids.hex_id();
        let daemon_id = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]);
        World {
            daemon_id,
            clock: Clock::new(),
            ids,
            registry: Registry::docker_hub(),
            images: BTreeMap::new(),
            containers: Vec::new(),
        }
    }

    pub fn now(&self) -> SimTime {
        self.clock.now()
    }

    pub fn daemon_id(&self) -> &str {
        &self.daemon_id
    }

    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values()
    }

    pub fn containers(&self) -> &[Container] {
        &self.containers
    }

    /// The local image a tagged reference names, if any.
    pub fn image_by_reference(&self, reference: &Reference) -> Option<&Image> {
        let wanted = reference.familiar();
        self.images.values().find(|image| image.repo_tags.contains(&wanted))
    }

    /// Stores a pulled or built image, moving the tag away from any image that had it before.
    pub(crate) fn store_image(&mut self, image: Image) {
        for tag in &image.repo_tags {
            for other in self.images.values_mut() {
                other.repo_tags.retain(|t| t != tag);
            }
        }
        match self.images.get_mut(&image.id) {
            Some(existing) => {
                for tag in image.repo_tags {
                    if !existing.repo_tags.contains(&tag) {
                        existing.repo_tags.push(tag);
                    }
                }
                for digest in image.repo_digests {
                    if !existing.repo_digests.contains(&digest) {
                        existing.repo_digests.push(digest);
                    }
                }
            }
            None => {
                self.images.insert(image.id.clone(), image);
            }
        }
    }

    pub(crate) fn add_container(&mut self, container: Container) {
        self.containers.push(container);
    }

    pub(crate) fn container_mut(&mut self, id: &str) -> Option<&mut Container> {
        self.containers.iter_mut().find(|c| c.id == id)
    }

    pub(crate) fn name_in_use(&self, name: &str) -> bool {
        self.containers.iter().any(|c| c.name == name)
    }

    /// A fresh random name no container has.
    pub(crate) fn unique_container_name(&mut self) -> String {
        loop {
            let name = self.ids.container_name();
            if !self.name_in_use(&name) {
                return name;
            }
        }
    }
}
