//! `docker tag`: another name for an existing image.

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::outcome::Outcome;
use crate::reference::Reference;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker tag",
    help: include_str!("help/tag.txt"),
    args: Args::Exactly(2),
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let (source, target) = (&parsed.args[0], &parsed.args[1]);
    let target_reference = match Reference::parse_normalized(target) {
        Ok(reference) if reference.digest.is_none() => reference.with_default_tag(),
        Ok(_) => {
            outcome.err("Error response from daemon: refusing to create a tag with a digest reference");
            return outcome.fail(1);
        }
        Err(error) => {
            outcome.err(error.to_string());
            return outcome.fail(1);
        }
    };
    let Some(image) = world.find_image(source) else {
        let shown = Reference::parse_normalized(source).map_or(source.clone(), |r| r.with_default_tag().familiar());
        outcome.err(format!("Error response from daemon: No such image: {shown}"));
        return outcome.fail(1);
    };
    let id = image.id.clone();
    world.tag_image(&id, &target_reference.familiar());
    outcome
}
