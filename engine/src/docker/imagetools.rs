//! `docker buildx imagetools inspect`: what a tag points at on its registry right now, per
//! platform, without pulling anything.

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::ids::sha256_digest;
use crate::outcome::Outcome;
use crate::reference::Reference;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker buildx imagetools inspect",
    help: "Usage:  docker buildx imagetools inspect [OPTIONS] NAME

Show details of an image in the registry

Options:
      --format string   Format the output using the given Go template
      --raw             Show original, unformatted JSON manifest
",
    args: Args::AtLeast(1),
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let text = &parsed.args[0];
    let reference = match Reference::parse_normalized(text) {
        Ok(reference) => reference.with_default_tag(),
        Err(error) => {
            outcome.err(format!("ERROR: {error}"));
            return outcome.fail(1);
        }
    };
    let (digest, platforms) = match world.registry.platforms(&reference, world.now()) {
        Ok(found) => found,
        Err(_) => {
            outcome.err(format!("ERROR: {}: not found", reference.full()));
            return outcome.fail(1);
        }
    };
    let name = format!("{}/{}", reference.domain, reference.path);
    outcome.out(format!("Name:      {}", reference.full()));
    outcome.out("MediaType: application/vnd.oci.image.index.v1+json");
    outcome.out(format!("Digest:    {digest}"));
    outcome.out("           ");
    outcome.out("Manifests: ");
    for (index, platform) in platforms.iter().enumerate() {
        if index > 0 {
            outcome.out("               ");
        }
        let manifest = sha256_digest(format!("{digest} {platform}").as_bytes());
        outcome.out(format!("  Name:        {name}@{manifest}"));
        outcome.out("  MediaType:   application/vnd.oci.image.manifest.v1+json");
        let shown = if *platform == "linux/arm64" { "linux/arm64/v8" } else { platform };
        outcome.out(format!("  Platform:    {shown}"));
    }
    outcome
}
