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
        let command = container.command_line();
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

/// The STATUS column: `Created`, `Up 5 seconds (healthy)`, `Up 1 minute (Paused)`,
/// `Restarting (1) 2 seconds ago`, `Exited (0) 2 minutes ago`.
pub fn status_text(container: &Container, now: crate::clock::SimTime) -> String {
    let state = &container.state;
    let since = |time: Option<crate::clock::SimTime>| human_duration(now.since(time.unwrap_or(now)));
    match state.status {
        ContainerStatus::Created => "Created".into(),
        ContainerStatus::Running | ContainerStatus::Paused => {
            let mut text = format!("Up {}", since(state.started_at));
            if state.status == ContainerStatus::Paused {
                text.push_str(" (Paused)");
            } else if let Some(health) = &state.health {
                match health.status.as_str() {
                    "starting" => text.push_str(" (health: starting)"),
                    other => text.push_str(&format!(" ({other})")),
                }
            }
            text
        }
        ContainerStatus::Restarting => format!("Restarting ({}) {} ago", state.exit_code, since(state.finished_at)),
        ContainerStatus::Removing => "Removal In Progress".into(),
        ContainerStatus::Dead => "Dead".into(),
        ContainerStatus::Exited => format!("Exited ({}) {} ago", state.exit_code, since(state.finished_at)),
    }
}
