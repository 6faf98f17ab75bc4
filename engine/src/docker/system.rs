//! `docker system df`, `docker system prune`, `docker container prune`: disk use and cleanup.

use super::flags::{Args, CommandSpec, Parsed};
use crate::outcome::Outcome;
use crate::world::World;

pub const DF_SPEC: CommandSpec = CommandSpec { path: "docker system df", help: include_str!("help/system_df.txt"), args: Args::None, interspersed: true };
pub const PRUNE_SPEC: CommandSpec = CommandSpec { path: "docker system prune", help: include_str!("help/system_prune.txt"), args: Args::None, interspersed: true };
pub const CONTAINER_PRUNE_SPEC: CommandSpec = CommandSpec { path: "docker container prune", help: include_str!("help/container_prune.txt"), args: Args::None, interspersed: true };

pub fn df(_world: &mut World, _invocation: &super::Invocation, _parsed: Parsed) -> Outcome {
    super::not_simulated("system df")
}

pub fn prune(_world: &mut World, _invocation: &super::Invocation, _parsed: Parsed) -> Outcome {
    super::not_simulated("system prune")
}

pub fn container_prune(_world: &mut World, _invocation: &super::Invocation, _parsed: Parsed) -> Outcome {
    super::not_simulated("container prune")
}
