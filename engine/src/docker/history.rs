//! `docker history`: an image's layers newest first, with the instruction that made each.

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::clock::human_duration;
use crate::ids::short_id;
use crate::outcome::Outcome;
use crate::table::{ellipsis, human_size, render};
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker history",
    help: include_str!("help/history.txt"),
    args: Args::Exactly(1),
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let name = &parsed.args[0];
    let Some(image) = world.find_image(name).cloned() else {
        outcome.err(format!("Error response from daemon: No such image: {name}"));
        return outcome.fail(1);
    };
    let now = world.now();
    let no_trunc = parsed.bool("no-trunc");
    let human = parsed.value("human").is_none_or(|v| v != "false");
    // Layer-making entries take the image's layers in order; metadata entries weigh nothing.
    let mut layer_sizes = image.layers.iter().map(|digest| world.layer_size(digest));
    let mut rows: Vec<(String, String, String, String)> = image
        .history
        .iter()
        .map(|entry| {
            let size = if entry.empty_layer { 0 } else { layer_sizes.next().unwrap_or(0) };
            let created = if human {
                format!("{} ago", human_duration(now.since(entry.created)))
            } else {
                entry.created.rfc3339()
            };
            let created_by = entry.created_by.replace('\t', " ");
            let created_by = if no_trunc { created_by } else { ellipsis(&created_by, 45) };
            let size = if human { human_size(size) } else { size.to_string() };
            (created, created_by, size, entry.comment.clone())
        })
        .collect();
    rows.reverse();
    if parsed.bool("quiet") {
        outcome.out(if no_trunc { image.id.clone() } else { short_id(&image.id).to_string() });
        for _ in 1..rows.len() {
            outcome.out("<missing>");
        }
        return outcome;
    }
    let mut table = vec![["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"].map(String::from).to_vec()];
    for (index, (created, created_by, size, comment)) in rows.into_iter().enumerate() {
        let id = match (index, no_trunc) {
            (0, true) => image.id.clone(),
            (0, false) => short_id(&image.id).to_string(),
            _ => "<missing>".to_string(),
        };
        table.push(vec![id, created, created_by, size, comment]);
    }
    for line in render(&table) {
        outcome.out(line);
    }
    outcome
}
