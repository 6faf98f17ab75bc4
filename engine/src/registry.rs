//! The simulated Docker Hub: which images exist remotely and what pulling them brings down.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::{SimTime, DAY, SESSION_START};
use crate::ids::sha256_digest;
use crate::reference::Reference;
use crate::world::{Image, ImageConfig, Layer};

/// An image as a registry serves it: a manifest digest plus the image it describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteImage {
    pub manifest_digest: String,
    pub image: Image,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registry {
    /// Full repository name (`docker.io/library/hello-world`) → tag → image.
    repositories: BTreeMap<String, BTreeMap<String, RemoteImage>>,
}

/// Why a pull found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullError {
    /// The repository does not exist (or is private).
    RepositoryNotFound,
    /// The repository exists, the tag does not.
    ManifestUnknown,
}

impl Registry {
    /// The images every session starts with on its simulated Docker Hub.
    pub fn docker_hub() -> Self {
        let mut registry = Registry { repositories: BTreeMap::new() };
        registry.publish(
            "docker.io/library/hello-world",
            &["latest", "linux"],
            SESSION_START.minus_days(400),
            ImageConfig { cmd: vec!["/hello".into()], ..ImageConfig::default() },
            &[(10_072, 2_459, &["/hello"])],
        );
        registry
    }

    fn publish(
        &mut self,
        repository: &str,
        tags: &[&str],
        created: SimTime,
        config: ImageConfig,
        layers: &[(u64, u64, &[&str])],
    ) {
        let layers: Vec<Layer> = layers
            .iter()
            .map(|(size, compressed_size, files)| Layer {
                digest: sha256_digest(format!("{repository} {created:?} {files:?}").as_bytes()),
                size: *size,
                compressed_size: *compressed_size,
                files: files.iter().map(|f| f.to_string()).collect(),
            })
            .collect();
        let id = sha256_digest(format!("config {config:?} {layers:?} {created:?}").as_bytes());
        let manifest_digest = sha256_digest(format!("manifest {id}").as_bytes());
        let image = Image {
            id,
            repo_tags: Vec::new(),
            repo_digests: Vec::new(),
            created,
            layers,
            config,
        };
        let entry = self.repositories.entry(repository.to_string()).or_default();
        for tag in tags {
            entry.insert(tag.to_string(), RemoteImage { manifest_digest: manifest_digest.clone(), image: image.clone() });
        }
    }

    /// What `reference` (tagged) names on the registry right now.
    pub fn resolve(&self, reference: &Reference) -> Result<&RemoteImage, PullError> {
        let repository = format!("{}/{}", reference.domain, reference.path);
        let tags = self.repositories.get(&repository).ok_or(PullError::RepositoryNotFound)?;
        if let Some(digest) = &reference.digest {
            return tags
                .values()
                .find(|remote| &remote.manifest_digest == digest)
                .ok_or(PullError::ManifestUnknown);
        }
        let tag = reference.tag.as_deref().unwrap_or("latest");
        tags.get(tag).ok_or(PullError::ManifestUnknown)
    }
}

impl SimTime {
    fn minus_days(self, days: u64) -> SimTime {
        SimTime(self.0 - days * DAY)
    }
}
