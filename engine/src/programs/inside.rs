//! Programs that look at the container around them: `ps`, `hostname`, `df`, `mount`, `kill`,
//! `netstat`/`ss`, `/proc` views, client probes such as `pg_isready` and `redis-cli ping`.

use super::{Io, Sys};

/// Runs `name` if this module models it; `None` leaves it to others.
pub(crate) fn main(_sys: &mut Sys, _io: &mut Io, _name: &str, _argv: &[String]) -> Option<i32> {
    None
}
