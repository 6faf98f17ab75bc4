//! `docker cp`.

use super::flags::{Args, CommandSpec, Parsed};
use crate::outcome::Outcome;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker cp", help: include_str!("help/cp.txt"), args: Args::Exactly(2), interspersed: true };

pub fn run(_world: &mut World, _invocation: &super::Invocation, _parsed: Parsed) -> Outcome {
    super::not_simulated("cp")
}
