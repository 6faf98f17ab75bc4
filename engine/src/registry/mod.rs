//! The simulated registries: Docker Hub and friends as a catalog of releases on a timeline, plus
//! whatever the learner pushes.

pub(crate) mod catalog;
mod distro;
mod stacks;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::{SimTime, DAY, SESSION_START};
use crate::fs::LayerDiff;
use crate::ids::sha256_digest;
use crate::image::Image;
use crate::reference::Reference;

/// An image as a registry serves it for one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteImage {
    /// Digest of the manifest list (what `Digest:` shows and `@sha256:` pins).
    pub manifest_digest: String,
    /// The image, without local tags.
    pub image: Image,
    /// The layers' contents, bottom first, matching `image.layers`.
    pub layers: Vec<LayerDiff>,
}

/// Why a pull found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullError {
    /// The repository does not exist (or is private).
    RepositoryNotFound,
    /// The repository exists, the tag or digest does not.
    ManifestUnknown,
    /// The image exists but not for the requested platform.
    NoMatchingPlatform(String),
}

/// Registry state that changes during a session: images the learner pushed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Registry {
    /// `domain/path` → tag → image.
    pushed: BTreeMap<String, BTreeMap<String, RemoteImage>>,
}

pub const DEFAULT_PLATFORM: &str = "linux/amd64";

impl Registry {
    /// What `reference` names on its registry at time `now`, for `platform`.
    pub fn resolve(&self, reference: &Reference, now: SimTime, platform: &str) -> Result<RemoteImage, PullError> {
        let repository = format!("{}/{}", reference.domain, reference.path);
        if let Some(tags) = self.pushed.get(&repository) {
            let found = match (&reference.digest, &reference.tag) {
                (Some(digest), _) => tags.values().find(|r| &r.manifest_digest == digest),
                (None, Some(tag)) => tags.get(tag),
                (None, None) => tags.get("latest"),
            };
            return found.cloned().ok_or(PullError::ManifestUnknown);
        }
        let releases: Vec<(usize, &catalog::Release)> =
            catalog::RELEASES.iter().enumerate().filter(|(_, r)| r.repository == repository).collect();
        if releases.is_empty() {
            return Err(PullError::RepositoryNotFound);
        }
        let today = days_since_start(now);
        let chosen = match (&reference.digest, &reference.tag) {
            (Some(digest), _) => releases.iter().find(|(index, release)| &manifest_digest(*index, release) == digest),
            (None, tag) => {
                let tag = tag.as_deref().unwrap_or("latest");
                releases
                    .iter()
                    .filter(|(_, release)| release.tags.contains(&tag) && release.published_day <= today)
                    .max_by_key(|(index, release)| (release.published_day, *index))
            }
        };
        let Some((index, release)) = chosen else {
            return Err(PullError::ManifestUnknown);
        };
        if !release.platforms.contains(&platform) {
            return Err(PullError::NoMatchingPlatform(platform.to_string()));
        }
        Ok(build(*index, release, platform))
    }

    /// The manifest list `reference` names now, and the platforms it has images for.
    pub fn platforms(&self, reference: &Reference, now: SimTime) -> Result<(String, Vec<&'static str>), PullError> {
        let remote = match self.resolve(reference, now, DEFAULT_PLATFORM) {
            Err(PullError::NoMatchingPlatform(_)) => return Ok((String::new(), Vec::new())),
            other => other?,
        };
        let platforms = catalog::RELEASES
            .iter()
            .enumerate()
            .find(|(index, release)| manifest_digest(*index, release) == remote.manifest_digest)
            .map_or_else(|| vec![DEFAULT_PLATFORM], |(_, release)| release.platforms.to_vec());
        Ok((remote.manifest_digest, platforms))
    }

    /// Stores an image under `reference` on its registry (`docker push`).
    /// The repositories (`domain/path`) the learner pushed to.
    pub fn repositories(&self) -> impl Iterator<Item = &String> {
        self.pushed.keys()
    }

    pub fn push(&mut self, reference: &Reference, remote: RemoteImage) {
        let repository = format!("{}/{}", reference.domain, reference.path);
        let tag = reference.tag.clone().unwrap_or_else(|| "latest".into());
        self.pushed.entry(repository).or_default().insert(tag, remote);
    }
}

/// Whole days since the session began (negative before it).
fn days_since_start(now: SimTime) -> i64 {
    (now.0 as i64 - SESSION_START.0 as i64).div_euclid(DAY as i64)
}

fn manifest_digest(index: usize, release: &catalog::Release) -> String {
    sha256_digest(format!("manifest list {index} {} {:?}", release.repository, release.tags).as_bytes())
}

fn build(index: usize, release: &catalog::Release, platform: &str) -> RemoteImage {
    let mut assembled = stacks::assemble(release);
    let architecture = platform.split('/').nth(1).unwrap_or("amd64");
    if architecture != "amd64" {
        // Every binary differs per architecture, so every layer does too.
        for layer in &mut assembled.layers {
            for change in layer.changes.values_mut() {
                if let crate::fs::Change::Put(crate::fs::Node::File { content: crate::fs::Content::Blob { label }, .. }) = change {
                    label.push_str(&format!(" ({architecture})"));
                }
            }
        }
        assembled.config.architecture = architecture.to_string();
    }
    let digests: Vec<String> = assembled.layers.iter().map(LayerDiff::digest).collect();
    let size = assembled.layers.iter().map(LayerDiff::size).sum();
    let image = Image::new(assembled.created, digests, assembled.config, assembled.history, size);
    RemoteImage { manifest_digest: manifest_digest(index, release), image, layers: assembled.layers }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::human_size;

    fn resolve_at(text: &str, day: i64) -> RemoteImage {
        let reference = Reference::parse_normalized(text).unwrap().with_default_tag();
        let now = SimTime(SESSION_START.0.saturating_add_signed(day * DAY as i64));
        Registry::default().resolve(&reference, now, DEFAULT_PLATFORM).unwrap()
    }

    fn os_release(remote: &RemoteImage) -> String {
        let mut tree = crate::fs::FileTree::new();
        for layer in &remote.layers {
            layer.apply_to(&mut tree);
        }
        tree.read_text("/etc/os-release").unwrap_or_default().to_string()
    }

    #[test]
    fn python_3_moves_from_bullseye_to_bookworm() {
        use catalog::PYTHON_3_MOVES_TO_BOOKWORM;
        let before = resolve_at("python:3", 0);
        let after = resolve_at("python:3", PYTHON_3_MOVES_TO_BOOKWORM);
        assert!(os_release(&before).contains("bullseye"));
        assert!(os_release(&after).contains("bookworm"));
        assert_ne!(before.manifest_digest, after.manifest_digest);
        assert_eq!(before.image.config.env_value("PYTHON_VERSION"), Some("3.11.7"));
        assert_eq!(after.image.config.env_value("PYTHON_VERSION"), Some("3.11.8"));
        // A pinned tag and a digest do not move.
        let pinned = resolve_at("python:3.11.7-slim-bookworm", 0);
        assert_eq!(resolve_at("python:3.11.7-slim-bookworm", 100).manifest_digest, pinned.manifest_digest);
        let by_digest = resolve_at(&format!("python@{}", before.manifest_digest), 100);
        assert_eq!(by_digest.image.id, before.image.id);
    }

    #[test]
    fn other_platforms_get_their_own_image() {
        let reference = Reference::parse_normalized("alpine:3.19").unwrap();
        let registry = Registry::default();
        let amd = registry.resolve(&reference, SESSION_START, "linux/amd64").unwrap();
        let arm = registry.resolve(&reference, SESSION_START, "linux/arm64").unwrap();
        assert_eq!(amd.manifest_digest, arm.manifest_digest, "one manifest list");
        assert_ne!(amd.image.id, arm.image.id);
        assert_ne!(amd.image.layers, arm.image.layers);
        assert_eq!(arm.image.config.architecture, "arm64");
    }

    #[test]
    fn sizes_are_realistic() {
        let cases = [
            ("hello-world", "10.1kB"),
            ("alpine:3.19", "7.38MB"),
            ("python:3.12-slim", "131MB"),
            ("python:3.12", "1.02GB"),
            ("node:20-alpine", "133MB"),
            ("golang:1.22", "814MB"),
            ("nginx:latest", "188MB"),
            ("redis:7-alpine", "41.9MB"),
        ];
        for (reference, expected) in cases {
            assert_eq!(human_size(resolve_at(reference, 0).image.size), expected, "{reference}");
        }
    }

    #[test]
    fn images_on_the_same_base_share_layers() {
        let slim = resolve_at("python:3.11-slim", 0);
        let debian = resolve_at("debian:bookworm-slim", 0);
        assert_eq!(slim.image.layers[0], debian.image.layers[0]);
    }

    #[test]
    fn missing_things_fail_the_way_registries_do() {
        let registry = Registry::default();
        let at = |text: &str, platform: &str| {
            registry.resolve(&Reference::parse_normalized(text).unwrap().with_default_tag(), SESSION_START, platform)
        };
        assert_eq!(at("nosuch", DEFAULT_PLATFORM).unwrap_err(), PullError::RepositoryNotFound);
        assert_eq!(at("python:2.9", DEFAULT_PLATFORM).unwrap_err(), PullError::ManifestUnknown);
        assert_eq!(at("node:14", "linux/arm64").unwrap_err(), PullError::NoMatchingPlatform("linux/arm64".into()));
        // Not published yet on day 0.
        assert_eq!(at("python:3.12.4-slim", DEFAULT_PLATFORM).unwrap_err(), PullError::ManifestUnknown);
    }
}
