//! `docker ps`: the container table.

use super::flags::{Args, CommandSpec, Parsed};
use crate::clock::human_duration;
use crate::ids::short_id;
use crate::outcome::Outcome;
use crate::table::{ellipsis, render};
use crate::world::{Container, ContainerStatus, World};

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker ps",
    help: include_str!("help/ps.txt"),
    args: Args::None,
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let now = world.now();
    let last: i64 = match parsed.value("last") {
        Some(n) => n.parse().unwrap_or(-1),
        None if parsed.bool("latest") => 1,
        None => -1,
    };
    // Newest first, as the daemon lists them.
    let mut containers: Vec<&Container> = world.containers().iter().rev().collect();
    if last >= 0 {
        containers.truncate(last as usize);
    } else if !parsed.bool("all") {
        containers.retain(|c| c.is_running());
    }
    let no_trunc = parsed.bool("no-trunc");
    if parsed.bool("quiet") {
        for container in containers {
            outcome.out(if no_trunc { container.id.clone() } else { short_id(&container.id).to_string() });
        }
        return outcome;
    }
    let mut rows = vec![["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
        .map(String::from)
        .to_vec()];
    for container in containers {
        let command = container.argv.join(" ");
        let command = if no_trunc { command } else { ellipsis(&command, 20) };
        rows.push(vec![
            if no_trunc { container.id.clone() } else { short_id(&container.id).to_string() },
            container.image.clone(),
            format!("{command:?}"),
            format!("{} ago", human_duration(now.since(container.created))),
            status_text(container, now),
            String::new(),
            container.name.clone(),
        ]);
    }
    for line in render(&rows) {
        outcome.out(line);
    }
    outcome
}

/// The STATUS column: `Created`, `Up 5 seconds`, `Exited (0) 2 minutes ago`.
pub fn status_text(container: &Container, now: crate::clock::SimTime) -> String {
    match container.status {
        ContainerStatus::Created => "Created".into(),
        ContainerStatus::Running { started_at } => format!("Up {}", human_duration(now.since(started_at))),
        ContainerStatus::Exited { exit_code, finished_at, .. } => {
            format!("Exited ({exit_code}) {} ago", human_duration(now.since(finished_at)))
        }
    }
}
