//! Long-running programs: servers (nginx, postgres, redis, Python and Node apps) and waits
//! (`sleep infinity`, `tail -f`), which declare a [`super::Service`] instead of exiting.

use super::{Io, Sys};

/// Runs `name` if it is a long-running program this module models; `None` leaves it to others.
pub(crate) fn main(_sys: &mut Sys, _io: &mut Io, _name: &str, _label: &str, _argv: &[String]) -> Option<i32> {
    None
}
