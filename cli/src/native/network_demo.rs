//! `demo network` (helper B fills this in).

use std::process::ExitCode;

use super::{exit, NetworkArgs};

pub fn run(_args: NetworkArgs) -> ExitCode {
    eprintln!("whalebox: demo network is being written");
    ExitCode::from(exit::FAILED)
}
