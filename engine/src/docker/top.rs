//! `docker top`.

use super::flags::{Args, CommandSpec, Parsed};
use crate::outcome::Outcome;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker top", help: include_str!("help/top.txt"), args: Args::AtLeast(1), interspersed: true };

pub fn run(_world: &mut World, _invocation: &super::Invocation, _parsed: Parsed) -> Outcome {
    super::not_simulated("top")
}
