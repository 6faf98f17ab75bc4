//! `docker push`: uploads a local image's layers and manifest to its registry — any registry, and
//! Docker Hub only into the namespace of the account `docker login` signed in.

use super::flags::{Args, CommandSpec, Parsed};
use super::pull::tagged_reference;
use super::Invocation;
use crate::ids::{sha256_digest, short_id};
use crate::outcome::Outcome;
use crate::registry::RemoteImage;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker push",
    help: include_str!("help/push.txt"),
    args: Args::Exactly(1),
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let reference = match tagged_reference(&parsed.args[0], &mut outcome) {
        Some(reference) => reference,
        None => return outcome.fail(1),
    };
    let Some(image) = world.image_by_reference(&reference).cloned() else {
        outcome.err(format!("An image does not exist locally with the tag: {}", reference.familiar_name()));
        return outcome.fail(1);
    };
    outcome.out(format!("The push refers to repository [{}/{}]", reference.domain, reference.path));
    // Docker Hub takes a push only into the namespace of the account logged in.
    let official = reference.domain == crate::reference::DEFAULT_DOMAIN
        && super::login::user_for(world, &reference.domain).is_none_or(|user| !reference.path.starts_with(&format!("{user}/")));
    for digest in image.layers.iter().rev() {
        outcome.out(format!("{}: {}", short_id(digest), if official { "Preparing" } else { "Pushed" }));
    }
    if official {
        // Not logged in, or not your namespace (library/ is Docker's own).
        outcome.err("denied: requested access to the resource is denied");
        return outcome.fail(1);
    }
    let layers = image.layers.iter().filter_map(|digest| world.layer(digest).cloned()).collect();
    let manifest = sha256_digest(format!("pushed {} {}", image.id, reference.full()).as_bytes());
    let tag = reference.tag.clone().unwrap_or_default();
    outcome.out(format!("{tag}: digest: {manifest} size: {}", 528 + 152 * image.layers.len()));
    let mut stored = image.clone();
    stored.repo_tags.clear();
    world.registry.push(&reference, RemoteImage { manifest_digest: manifest.clone(), image: stored, layers });
    world.add_repo_digest(&image.id, &format!("{}@{manifest}", reference.familiar_name()));
    world.clock.advance(crate::clock::SECOND * (1 + image.size / 20_000_000));
    outcome
}
