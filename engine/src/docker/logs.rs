//! `docker logs`: a container's output from the json-file log, with `--tail`, `--since`, `-t`, `-f`.

use crate::clock::SimTime;

/// `-t`'s timestamp: RFC 3339 with nanoseconds, as the json-file driver stores them.
pub fn log_timestamp(time: SimTime) -> String {
    let rfc = time.rfc3339();
    let base = rfc.trim_end_matches('Z');
    format!("{base}.{:03}000000Z", time.0 % 1000)
}

use super::flags::{Args, CommandSpec, Parsed};
use crate::outcome::Outcome;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker logs", help: include_str!("help/logs.txt"), args: Args::Exactly(1), interspersed: true };

pub fn run(_world: &mut World, _invocation: &super::Invocation, _parsed: Parsed) -> Outcome {
    super::not_simulated("logs")
}
