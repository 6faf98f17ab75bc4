//! `demo namespaces|cgroup|overlay` and `run --real` (helper A fills this in).

use std::process::ExitCode;

use super::{exit, CgroupArgs, NamespacesArgs, OverlayArgs, RunArgs};

pub fn namespaces(_args: NamespacesArgs) -> ExitCode {
    eprintln!("whalebox: demo namespaces is being written");
    ExitCode::from(exit::FAILED)
}

pub fn cgroup(_args: CgroupArgs) -> ExitCode {
    eprintln!("whalebox: demo cgroup is being written");
    ExitCode::from(exit::FAILED)
}

pub fn overlay(_args: OverlayArgs) -> ExitCode {
    eprintln!("whalebox: demo overlay is being written");
    ExitCode::from(exit::FAILED)
}

pub fn run_real(_args: RunArgs) -> ExitCode {
    eprintln!("whalebox: run --real is being written");
    ExitCode::from(exit::RUN_FAILED)
}
