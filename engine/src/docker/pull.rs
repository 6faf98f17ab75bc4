//! `docker pull`, and the pull that `docker run` does when an image is missing.

use super::flags::{Args, CommandSpec, Parsed};
use crate::clock::SECOND;
use crate::ids::short_id;
use crate::outcome::{Event, Outcome};
use crate::reference::Reference;
use crate::registry::{PullError, DEFAULT_PLATFORM};
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker pull",
    help: include_str!("help/pull.txt"),
    args: Args::Exactly(1),
    interspersed: true,
};

/// Simulated download speed: 25 MB/s, a decent home connection.
const BYTES_PER_SECOND: u64 = 25_000_000;

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let reference = match tagged_reference(&parsed.args[0], &mut outcome) {
        Some(reference) => reference,
        None => return outcome.fail(1),
    };
    let quiet = parsed.bool("quiet");
    let mut progress = Outcome::default();
    match pull(world, &reference, parsed.value("platform"), &mut progress) {
        Ok(_) => {
            if !quiet {
                outcome.output.append(&mut progress.output);
            }
            outcome.events.append(&mut progress.events);
            outcome.out(reference.full());
            outcome
        }
        Err(message) => {
            if !quiet {
                outcome.output.append(&mut progress.output);
            }
            outcome.err(message);
            outcome.fail(1)
        }
    }
}

/// Parses the reference `docker pull` and `docker push` take, saying so when `latest` is assumed.
/// `None` after printing the parse error.
pub fn tagged_reference(text: &str, outcome: &mut Outcome) -> Option<Reference> {
    match Reference::parse_normalized(text) {
        Ok(reference) => {
            if reference.tag.is_none() && reference.digest.is_none() {
                outcome.out("Using default tag: latest");
            }
            Some(reference.with_default_tag())
        }
        Err(error) => {
            outcome.err(error.to_string());
            None
        }
    }
}

/// Fetches `reference` (tagged or digested) into the local store, writing Docker's progress lines to
/// `progress` as stdout. Returns the image ID, or the daemon's error message.
pub fn pull(
    world: &mut World,
    reference: &Reference,
    platform: Option<&str>,
    progress: &mut Outcome,
) -> Result<String, String> {
    let platform = platform.unwrap_or(DEFAULT_PLATFORM);
    let remote = match world.registry.resolve(reference, world.now(), platform) {
        Ok(remote) => remote,
        Err(PullError::RepositoryNotFound) => {
            return Err(format!(
                "Error response from daemon: pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
                reference.familiar_name()
            ));
        }
        Err(PullError::ManifestUnknown) => {
            let wanted = reference.tag.clone().or(reference.digest.clone()).unwrap_or_default();
            return Err(format!(
                "Error response from daemon: manifest for {}:{wanted} not found: manifest unknown: manifest unknown",
                reference.familiar_name()
            ));
        }
        Err(PullError::NoMatchingPlatform(platform)) => {
            return Err(format!(
                "Error response from daemon: no matching manifest for {platform} in the manifest list entries"
            ));
        }
    };
    let label = reference.tag.clone().or(reference.digest.clone()).unwrap_or_default();
    progress.out(format!("{label}: Pulling from {}", reference.path));
    let familiar = reference.familiar();
    let up_to_date = world.image(&remote.image.id).is_some_and(|local| local.repo_tags.contains(&familiar));
    let mut downloaded = 0;
    let needed: u64 = remote.layers.iter().filter(|l| !world.has_layer(&l.digest())).map(|l| l.size()).sum();
    if !up_to_date && !crate::runtime::disk::fits(world, needed) {
        let first_new = remote.layers.iter().find(|l| !world.has_layer(&l.digest())).map(|l| l.digest()).unwrap_or_default();
        for layer in &remote.layers {
            let digest = layer.digest();
            if world.has_layer(&digest) {
                progress.out(format!("{}: Already exists", short_id(&digest)));
            } else {
                progress.out(format!("{}: Pulling fs layer", short_id(&digest)));
            }
        }
        return Err(format!(
            "failed to register layer: write /var/lib/docker/overlay2/{}/diff: no space left on device",
            crate::ids::digest_hex(&first_new)
        ));
    }
    if !up_to_date {
        for layer in &remote.layers {
            let digest = layer.digest();
            if world.has_layer(&digest) {
                progress.out(format!("{}: Already exists", short_id(&digest)));
            } else {
                progress.out(format!("{}: Pull complete", short_id(&digest)));
                downloaded += compressed_size(layer.size());
            }
        }
    }
    progress.out(format!("Digest: {}", remote.manifest_digest));
    if up_to_date {
        progress.out(format!("Status: Image is up to date for {familiar}"));
    } else {
        progress.out(format!("Status: Downloaded newer image for {familiar}"));
    }
    crate::runtime::advance(world, SECOND / 2 + downloaded * SECOND / BYTES_PER_SECOND);
    for layer in remote.layers {
        world.store_layer(layer);
    }
    let mut image = remote.image;
    image.repo_tags = vec![familiar.clone()];
    image.repo_digests = vec![format!("{}@{}", reference.familiar_name(), remote.manifest_digest)];
    let image_id = image.id.clone();
    world.store_image(image);
    progress.event(Event::ImagePulled { reference: familiar, image_id: image_id.clone() });
    Ok(image_id)
}

/// Bytes a layer of `size` takes on the wire: gzip shrinks typical image content to about 40%.
pub fn compressed_size(size: u64) -> u64 {
    size * 2 / 5
}
