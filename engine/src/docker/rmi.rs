//! `docker rmi` and `docker image prune`: untagging and deleting images, refusing while a
//! container still uses one.

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::ids::{digest_hex, short_id};
use crate::outcome::Outcome;
use crate::reference::Reference;
use crate::table::human_size;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker rmi",
    help: include_str!("help/rmi.txt"),
    args: Args::AtLeast(1),
    interspersed: true,
};

pub const PRUNE_SPEC: CommandSpec = CommandSpec {
    path: "docker image prune",
    help: include_str!("help/image_prune.txt"),
    args: Args::None,
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let force = parsed.bool("force");
    for name in &parsed.args {
        let Some(image) = world.find_image(name).cloned() else {
            let shown = Reference::parse_normalized(name).map_or(name.clone(), |r| r.with_default_tag().familiar());
            outcome.err(format!("Error response from daemon: No such image: {shown}"));
            outcome.exit_code = 1;
            continue;
        };
        let by_id = digest_hex(&image.id).starts_with(name.strip_prefix("sha256:").unwrap_or(name));
        let user = world.containers().iter().find(|c| c.image_id == image.id);
        // moby's ImageDelete: a tag may go while a container uses the image, as long as another
        // tag still names it (`isSingleReference`); only the last one would leave it dangling.
        let single_reference = image.repo_tags.len() <= 1;
        if let (Some(container), false, true) = (user, force, by_id || single_reference) {
            let message = if by_id {
                format!(
                    "Error response from daemon: conflict: unable to delete {} (must be forced) - image is being used by stopped container {}",
                    short_id(&image.id),
                    short_id(&container.id)
                )
            } else {
                format!(
                    "Error response from daemon: conflict: unable to remove repository reference \"{name}\" (must force) - container {} is using its referenced image {}",
                    short_id(&container.id),
                    short_id(&image.id)
                )
            };
            let running = container.is_running();
            let message = if running { message.replace("stopped container", "running container") } else { message };
            outcome.err(message);
            outcome.exit_code = 1;
            continue;
        }
        if !by_id && image.repo_tags.len() > 1 {
            let tag = Reference::parse_normalized(name).map(|r| r.with_default_tag().familiar()).unwrap_or(name.clone());
            world.untag(&tag);
            outcome.out(format!("Untagged: {tag}"));
            continue;
        }
        if by_id && image.repo_tags.len() > 1 && !force {
            outcome.err(format!(
                "Error response from daemon: conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
                short_id(&image.id)
            ));
            outcome.exit_code = 1;
            continue;
        }
        for tag in &image.repo_tags {
            outcome.out(format!("Untagged: {tag}"));
        }
        for digest in &image.repo_digests {
            outcome.out(format!("Untagged: {digest}"));
        }
        world.delete_image(&image.id);
        outcome.out(format!("Deleted: {}", image.id));
    }
    outcome
}

/// `docker image prune [-a] -f`: dangling images (or every unused one with `-a`).
pub fn prune(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let all = parsed.bool("all");
    if !parsed.bool("force") {
        // Non-interactive: the prompt gets no answer, so Docker does nothing.
        let warning = if all {
            "WARNING! This will remove all images without at least one container associated to them."
        } else {
            "WARNING! This will remove all dangling images."
        };
        outcome.out(warning);
        // This terminal cannot answer the prompt, so like a closed stdin the answer is no.
        outcome.out("Are you sure you want to continue? [y/N] ");
        return outcome.ask();
    }
    let used: Vec<String> = world.containers().iter().map(|c| c.image_id.clone()).collect();
    let doomed: Vec<_> = world
        .images()
        .filter(|image| !used.contains(&image.id) && (all || image.repo_tags.is_empty()))
        .cloned()
        .collect();
    let mut reclaimed = 0;
    if !doomed.is_empty() {
        outcome.out("Deleted Images:");
    }
    for image in doomed {
        for tag in &image.repo_tags {
            outcome.out(format!("untagged: {tag}"));
        }
        reclaimed += image.size;
        world.delete_image(&image.id);
        outcome.out(format!("deleted: {}", image.id));
    }
    if reclaimed > 0 {
        outcome.out("");
    }
    outcome.out(format!("Total reclaimed space: {}", human_size(reclaimed)));
    outcome
}
