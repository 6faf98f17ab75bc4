//! The simulated Docker host's state: images, containers, the clock and the ID source.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::build::BuildCache;
use crate::clock::{Clock, SimTime};
use crate::fs::{FileTree, LayerDiff};
use crate::ids::IdGenerator;
use crate::image::Image;
use crate::reference::Reference;
use crate::registry::Registry;

pub use crate::runtime::container::{host_namespace_inodes, Container, Status as ContainerStatus};

/// One entry of `docker events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaemonEvent {
    pub time: SimTime,
    /// `container`, `image`, `network`, `volume`.
    pub kind: String,
    /// `create`, `start`, `die`, `kill`, `oom`, `health_status: healthy`, …
    pub action: String,
    pub id: String,
    /// Sorted attributes (`exitCode`, `image`, `name`, `signal`).
    pub attributes: BTreeMap<String, String>,
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
    /// Layer contents by digest, shared between images.
    layers: BTreeMap<String, LayerDiff>,
    /// Containers in the order they were created.
    containers: Vec<Container>,
    /// What `docker info` shows as the daemon's ID.
    daemon_id: String,
    /// The learner's own files on the host (outside any container).
    host_files: FileTree,
    /// BuildKit's cache: step results and cache mounts, kept between builds.
    pub(crate) build_cache: BuildCache,
    /// The next host PID to hand out.
    next_pid: u32,
    /// The next namespace inode number.
    next_namespace: u64,
    /// What `docker events` replays.
    events: Vec<DaemonEvent>,
    /// Whether dockerd is up (`sim daemon stop` brings it down; containers keep running).
    pub(crate) daemon_running: bool,
    /// Bytes of the host disk taken by things other than Docker (`sim disk fill`).
    pub(crate) disk_filler: u64,
    /// Simulated time a learner spends before each command (`sim think-time`).
    pub(crate) think_time: u64,
    /// Networks: `bridge`, `host`, `none`, then user-defined ones in creation order.
    pub(crate) networks: Vec<crate::network::Network>,
    /// Volumes in creation order (`docker volume ls` sorts by name).
    #[serde(default)]
    pub(crate) volumes: Vec<crate::volume::Volume>,
    /// Where the port allocator looks for the next ephemeral host port.
    #[serde(default = "first_ephemeral_port")]
    pub(crate) next_ephemeral_port: u16,
    /// Swarm mode, once `docker swarm init` ran.
    #[serde(default)]
    pub(crate) swarm: Option<crate::swarm::Swarm>,
    /// A `[y/N]` question the last docker command asked; the next line typed answers it.
    #[serde(default)]
    pub(crate) question: Option<crate::outcome::Question>,
    /// Registries the client is logged in to (`docker login`), with the user name.
    #[serde(default)]
    pub(crate) logins: BTreeMap<String, String>,
    /// The last `docker build`: kept so the build view can show its cache verdicts after later
    /// commands have replaced the terminal's last events.
    #[serde(default)]
    pub(crate) last_build: Option<LastBuild>,
}

/// What the last `docker build` did: its Dockerfile and its step verdicts, as the events said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastBuild {
    /// Absolute path of the Dockerfile in the learner's files.
    pub dockerfile: String,
    /// `BuildStep` and `ImageBuilt` events, in order.
    pub events: Vec<crate::outcome::Event>,
}

fn first_ephemeral_port() -> u16 {
    crate::ports::EPHEMERAL_FIRST
}

impl World {
    pub fn new(seed: u64) -> Self {
        let mut ids = IdGenerator::new(seed);
        let hex = ids.hex_id();
        let daemon_id = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]);
        World {
            daemon_id,
            host_files: crate::shell::initial_home(),
            build_cache: BuildCache::default(),
            clock: Clock::new(),
            ids,
            registry: Registry::default(),
            images: BTreeMap::new(),
            layers: BTreeMap::new(),
            containers: Vec::new(),
            next_pid: 2140,
            next_namespace: 4026532190,
            events: Vec::new(),
            daemon_running: true,
            disk_filler: 0,
            think_time: crate::clock::THINK_TIME,
            networks: Vec::new(),
            next_ephemeral_port: crate::ports::EPHEMERAL_FIRST,
            swarm: None,
            volumes: Vec::new(),
            question: None,
            logins: BTreeMap::new(),
            last_build: None,
        }
        .with_default_networks()
    }

    /// The daemon's built-in networks; their IDs derive from the daemon's, so creating them
    /// draws nothing from the seeded ID generator.
    fn with_default_networks(mut self) -> Self {
        let id = |name: &str| crate::ids::digest_hex(&crate::ids::sha256_digest(format!("{}/{name}", self.daemon_id).as_bytes())).to_string();
        self.networks = crate::network::Network::defaults([id("bridge"), id("host"), id("none")]);
        self
    }

    pub fn networks(&self) -> &[crate::network::Network] {
        &self.networks
    }

    /// The network a user means: name, full ID or unique ID prefix.
    pub fn find_network(&self, text: &str) -> Option<&crate::network::Network> {
        if let Some(found) = self.networks.iter().find(|n| n.name == text || n.id == text) {
            return Some(found);
        }
        let mut matches = self.networks.iter().filter(|n| !text.is_empty() && n.id.starts_with(text));
        match (matches.next(), matches.next()) {
            (Some(found), None) => Some(found),
            _ => None,
        }
    }

    /// Connects container `id` to the network its `--network` names, at the next free address.
    pub(crate) fn attach_network(&mut self, id: &str) {
        let Some(container) = self.container(id) else { return };
        let mode = container.host_config.network_mode.clone();
        let aliases = container.host_config.network_aliases.clone();
        let name = if mode.is_empty() || mode == "default" { "bridge".to_string() } else { mode };
        if let Some(network) = self.networks.iter_mut().find(|n| n.name == name || n.id == name) {
            if !network.endpoints.contains_key(id) {
                if let Some(ip) = network.next_ip() {
                    network.endpoints.insert(id.to_string(), crate::network::Endpoint { ip, aliases });
                }
            }
        }
        let extra = self.container(id).map(|c| c.host_config.extra_networks.clone()).unwrap_or_default();
        for (name, aliases) in extra {
            let Some(network) = self.networks.iter_mut().find(|n| n.name == name || n.id == name) else { continue };
            if !network.endpoints.contains_key(id) {
                if let Some(ip) = network.next_ip() {
                    network.endpoints.insert(id.to_string(), crate::network::Endpoint { ip, aliases });
                }
            }
        }
    }

    /// Takes container `id` off every network (it stopped or was removed).
    pub(crate) fn detach_networks(&mut self, id: &str) {
        for network in &mut self.networks {
            network.endpoints.remove(id);
        }
        if let Some(container) = self.container_mut(id) {
            container.published.clear();
        }
    }

    /// Binds the host ports container `id` publishes, next to those other containers hold.
    /// `-p` means nothing on the host's or no network stack.
    pub(crate) fn publish_ports(&mut self, id: &str) -> Result<(), String> {
        let Some(container) = self.container(id) else { return Ok(()) };
        if matches!(container.host_config.network_mode.as_str(), "host" | "none") || container.host_config.network_mode.starts_with("container:") {
            return Ok(());
        }
        let exposed = {
            let mut ports = self.image(&container.image_id).map(|i| i.config.exposed_ports.clone()).unwrap_or_default();
            ports.extend(container.config.exposed_ports.iter().cloned());
            ports
        };
        let wanted = crate::ports::requested(&container.host_config.port_bindings, container.host_config.publish_all_ports, &exposed);
        let taken: Vec<crate::ports::PublishedPort> =
            self.containers.iter().filter(|c| c.id != id).flat_map(|c| c.published.iter().cloned()).collect();
        let mut cursor = self.next_ephemeral_port;
        let bound = crate::ports::bind(&wanted, &taken, &mut cursor)?;
        self.next_ephemeral_port = cursor;
        if let Some(container) = self.container_mut(id) {
            container.published = bound;
        }
        Ok(())
    }

    /// `swarm init` adds the `ingress` overlay (10.0.0.0/24) and `docker_gwbridge`, the bridge that
    /// gives overlay tasks their way out.
    pub(crate) fn add_swarm_networks(&mut self) {
        let now = self.now();
        let gwbridge_pool = (18u8..32).find(|b| !self.networks.iter().any(|n| n.overlaps(u32::from_be_bytes([172, *b, 0, 0]), 16)));
        let add = |world: &mut World, name: &str, driver: &str, subnet: Option<[u8; 2]>, ipam: Option<crate::network::Ipam>| {
            let id = world.ids.hex_id();
            world.networks.push(crate::network::Network {
                id,
                name: name.to_string(),
                driver: driver.to_string(),
                created: now,
                subnet,
                ipam,
                internal: false,
                attachable: false,
                labels: BTreeMap::new(),
                endpoints: BTreeMap::new(),
            });
        };
        add(self, "ingress", "overlay", None, Some(crate::network::Ipam { network: [10, 0, 0, 0], prefix: 24, gateway: [10, 0, 0, 1] }));
        if let Some(b) = gwbridge_pool {
            add(self, "docker_gwbridge", "bridge", Some([172, b]), None);
        }
    }

    /// `swarm leave --force`: swarm-scoped networks go with it.
    pub(crate) fn remove_swarm_networks(&mut self) {
        self.networks.retain(|n| n.driver != "overlay" && n.name != "docker_gwbridge");
    }

    /// Whether a registry holds `text` at this moment (so a node could pull it).
    pub(crate) fn registry_has(&self, text: &str) -> bool {
        Reference::parse_normalized(text)
            .map(|r| r.with_default_tag())
            .is_ok_and(|reference| self.registry.resolve(&reference, self.now(), "linux/amd64").is_ok())
    }

    /// A fresh host PID.
    pub(crate) fn allocate_pid(&mut self) -> u32 {
        self.next_pid += 1 + (self.next_pid % 3);
        self.next_pid
    }

    /// Fresh namespace inode numbers for a new container.
    pub(crate) fn allocate_namespaces(&mut self) -> crate::programs::Namespaces {
        let base = self.next_namespace;
        self.next_namespace += 8;
        crate::programs::Namespaces {
            cgroup: base + 7,
            ipc: base + 1,
            mnt: base,
            net: base + 3,
            pid: base + 2,
            user: crate::programs::Namespaces::HOST.user,
            uts: base,
        }
    }

    /// Records a container event for `docker events`, with the container's image and name.
    pub(crate) fn record_event(&mut self, id: &str, action: &str, extra: &[(&str, String)]) {
        let mut attributes = BTreeMap::new();
        if let Some(container) = self.containers.iter().find(|c| c.id == id) {
            attributes.insert("image".to_string(), container.image.clone());
            attributes.insert("name".to_string(), container.name.clone());
        }
        for (key, value) in extra {
            attributes.insert(key.to_string(), value.clone());
        }
        let time = self.now();
        self.events.push(DaemonEvent { time, kind: "container".into(), action: action.into(), id: id.into(), attributes });
        // A long session keeps the last events only, as the daemon's ring buffer does.
        if self.events.len() > 10_000 {
            self.events.drain(..1_000);
        }
    }

    /// Records a volume event (`create`, `mount`, `unmount`, `destroy`) for `docker events`.
    pub(crate) fn record_volume_event(&mut self, name: &str, action: &str, extra: &[(&str, String)]) {
        let mut attributes = BTreeMap::new();
        attributes.insert("driver".to_string(), "local".to_string());
        for (key, value) in extra {
            attributes.insert(key.to_string(), value.clone());
        }
        let time = self.now();
        self.events.push(DaemonEvent { time, kind: "volume".into(), action: action.into(), id: name.into(), attributes });
    }

    pub fn volumes(&self) -> &[crate::volume::Volume] {
        &self.volumes
    }

    pub fn volume(&self, name: &str) -> Option<&crate::volume::Volume> {
        self.volumes.iter().find(|v| v.name == name)
    }

    pub(crate) fn volume_mut(&mut self, name: &str) -> Option<&mut crate::volume::Volume> {
        self.volumes.iter_mut().find(|v| v.name == name)
    }

    /// IDs of the containers (in any state) that mount volume `name`.
    pub fn volume_users(&self, name: &str) -> Vec<String> {
        self.containers
            .iter()
            .filter(|c| c.mounts.iter().any(|m| m.kind == crate::volume::MountKind::Volume && m.name == name))
            .map(|c| c.id.clone())
            .collect()
    }

    /// Removes the anonymous volumes container `id` mounts (`docker rm -v`, `--rm`).
    pub(crate) fn remove_anonymous_volumes(&mut self, id: &str) {
        let Some(container) = self.container(id) else { return };
        let names: Vec<String> = container
            .mounts
            .iter()
            .filter(|m| m.kind == crate::volume::MountKind::Volume)
            .filter(|m| self.volume(&m.name).is_some_and(|v| v.anonymous))
            .map(|m| m.name.clone())
            .collect();
        for name in names {
            // Another container may share it through --volumes-from.
            if self.volume_users(&name).iter().all(|user| user == id) {
                self.volumes.retain(|v| v.name != name);
                self.record_volume_event(&name, "destroy", &[]);
            }
        }
    }

    pub fn daemon_events(&self) -> &[DaemonEvent] {
        &self.events
    }

    /// The last `docker build`'s Dockerfile and step verdicts, if there was one.
    pub fn last_build(&self) -> Option<&LastBuild> {
        self.last_build.as_ref()
    }

    pub fn daemon_running(&self) -> bool {
        self.daemon_running
    }

    /// Bytes still free on the simulated host disk.
    pub fn disk_free(&self) -> u64 {
        crate::runtime::disk::free(self)
    }

    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.id == id)
    }

    /// The container a user means: full or unique-prefix ID, or name (with or without `/`).
    pub fn find_container(&self, text: &str) -> Option<&Container> {
        let name = text.strip_prefix('/').unwrap_or(text);
        if let Some(found) = self.containers.iter().find(|c| c.id == text || c.name == name) {
            return Some(found);
        }
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut matches = self.containers.iter().filter(|c| c.id.starts_with(text));
        match (matches.next(), matches.next()) {
            (Some(found), None) => Some(found),
            _ => None,
        }
    }

    pub fn now(&self) -> SimTime {
        self.clock.now()
    }

    pub fn host_files(&self) -> &FileTree {
        &self.host_files
    }

    pub(crate) fn host_files_mut(&mut self) -> &mut FileTree {
        &mut self.host_files
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

    /// The image a user means by `text`: a reference (`myapp`, `myapp:1.0`), a full or short ID
    /// (`sha256:4f…`, `4f0e`), or `name@sha256:…`.
    pub fn find_image(&self, text: &str) -> Option<&Image> {
        let hex = text.strip_prefix("sha256:").unwrap_or(text);
        if !hex.is_empty() && hex.len() <= 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut matches = self.images.values().filter(|image| crate::ids::digest_hex(&image.id).starts_with(hex));
            if let (Some(found), None) = (matches.next(), matches.next()) {
                return Some(found);
            }
        }
        let reference = Reference::parse_normalized(text).ok()?;
        if let Some(digest) = &reference.digest {
            let wanted = format!("{}@{digest}", reference.familiar_name());
            return self.images.values().find(|image| image.repo_digests.contains(&wanted));
        }
        self.image_by_reference(&reference.with_default_tag())
    }

    pub(crate) fn add_repo_digest(&mut self, id: &str, digest: &str) {
        if let Some(image) = self.images.get_mut(id) {
            if !image.repo_digests.iter().any(|d| d == digest) {
                image.repo_digests.push(digest.to_string());
            }
        }
    }

    /// Digests of every layer in the store.
    pub fn layer_digests(&self) -> impl Iterator<Item = &String> {
        self.layers.keys()
    }

    /// Size of one layer in the store.
    pub fn layer_size(&self, digest: &str) -> u64 {
        self.layers.get(digest).map_or(0, LayerDiff::size)
    }

    /// Removes a tag from whichever image has it; true if one did.
    pub(crate) fn untag(&mut self, tag: &str) -> bool {
        let mut found = false;
        for image in self.images.values_mut() {
            let before = image.repo_tags.len();
            image.repo_tags.retain(|t| t != tag);
            found |= image.repo_tags.len() != before;
        }
        found
    }

    /// Deletes an image and any layers no other image uses.
    pub(crate) fn delete_image(&mut self, id: &str) -> Option<Image> {
        let image = self.images.remove(id)?;
        let in_use: std::collections::BTreeSet<&String> = self.images.values().flat_map(|i| &i.layers).collect();
        let orphans: Vec<String> = image.layers.iter().filter(|l| !in_use.contains(l)).cloned().collect();
        for layer in orphans {
            self.layers.remove(&layer);
        }
        Some(image)
    }

    /// Adds `tag` to the image with `id`, taking it from any other image.
    pub(crate) fn tag_image(&mut self, id: &str, tag: &str) {
        self.untag(tag);
        if let Some(image) = self.images.get_mut(id) {
            image.repo_tags.push(tag.to_string());
        }
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

    pub fn image(&self, id: &str) -> Option<&Image> {
        self.images.get(id)
    }

    pub fn layer(&self, digest: &str) -> Option<&LayerDiff> {
        self.layers.get(digest)
    }

    pub fn has_layer(&self, digest: &str) -> bool {
        self.layers.contains_key(digest)
    }

    pub(crate) fn store_layer(&mut self, layer: LayerDiff) -> String {
        let digest = layer.digest();
        self.layers.entry(digest.clone()).or_insert(layer);
        digest
    }

    /// The union of an image's layers: the filesystem a container starts from.
    pub fn image_tree(&self, image: &Image) -> FileTree {
        let mut tree = FileTree::new();
        for digest in &image.layers {
            if let Some(layer) = self.layers.get(digest) {
                layer.apply_to(&mut tree);
            }
        }
        tree
    }

    /// Forgets every container, image and layer: a fresh CI runner's empty Docker host.
    pub(crate) fn clear_local_state(&mut self) {
        self.containers.clear();
        self.volumes.clear();
        self.images.clear();
        self.layers.clear();
        self.build_cache = BuildCache::default();
        self.last_build = None;
    }

    pub(crate) fn add_container(&mut self, container: Container) {
        self.containers.push(container);
    }

    pub(crate) fn remove_container(&mut self, id: &str) {
        self.detach_networks(id);
        // `--rm` takes the container's anonymous volumes with it.
        if self.container(id).is_some_and(|c| c.host_config.auto_remove) {
            self.remove_anonymous_volumes(id);
        }
        self.containers.retain(|c| c.id != id);
    }

    pub(crate) fn container_mut(&mut self, id: &str) -> Option<&mut Container> {
        self.containers.iter_mut().find(|c| c.id == id)
    }

    pub(crate) fn rename_container(&mut self, id: &str, name: &str) {
        if let Some(container) = self.container_mut(id) {
            container.name = name.to_string();
        }
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
