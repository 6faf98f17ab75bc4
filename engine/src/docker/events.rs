//! `docker events`: the daemon's event stream, past (`--since`) and live.

use crate::world::DaemonEvent;

/// One event line in Docker's default layout (or `--format`).
pub fn event_line(event: &DaemonEvent, _format: Option<&str>) -> String {
    format!("{} {} {} {}", event.time.rfc3339(), event.kind, event.action, event.id)
}

use super::flags::{Args, CommandSpec, Parsed};
use crate::outcome::Outcome;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker events", help: include_str!("help/events.txt"), args: Args::None, interspersed: true };

pub fn run(_world: &mut World, _invocation: &super::Invocation, _parsed: Parsed) -> Outcome {
    super::not_simulated("events")
}
