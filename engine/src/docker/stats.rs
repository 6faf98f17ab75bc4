//! `docker stats`: live resource use per container (CPU %, memory usage / limit, network, block
//! I/O, PIDs), one snapshot with `--no-stream`.

use crate::outcome::Outcome;
use crate::world::World;

/// Prints one stats table for `containers` (all running ones when empty).
pub fn stats_table(_world: &World, _containers: &[String], _all: bool, _format: Option<&str>, _no_trunc: bool, _outcome: &mut Outcome) {}

use super::flags::{Args, CommandSpec, Parsed};

pub const SPEC: CommandSpec = CommandSpec { path: "docker stats", help: include_str!("help/stats.txt"), args: Args::AtLeast(0), interspersed: true };

pub fn run(_world: &mut World, _invocation: &super::Invocation, _parsed: Parsed) -> Outcome {
    super::not_simulated("stats")
}
