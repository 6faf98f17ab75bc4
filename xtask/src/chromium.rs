//! Debian's Chromium for the browser tests and the start-up benchmark: found, or installed as root.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Result};

use crate::process;

/// The browser the e2e scripts launch (they read it from `WHALEBOX_CHROMIUM` too).
pub const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const INSTALL: &str = "apt-get update && apt-get install -y chromium chromium-driver";

/// Makes sure `/usr/bin/chromium` (and its driver) exist, installing them with apt-get as root.
pub fn ensure() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    if !is_root() {
        bail!(
            "Debian's Chromium is missing ({CHROMIUM}); the browser tests need it. Install it with:\n    sudo {INSTALL}"
        );
    }
    println!("Chromium is missing: installing Debian's chromium and chromium-driver with `{INSTALL}` (about a minute).");
    process::run(
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    process::run(
        Command::new("apt-get")
            .args(["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    if !Path::new(CHROMIUM).exists() {
        bail!("apt-get finished but {CHROMIUM} is still missing");
    }
    Ok(())
}

/// `chromium --version`, for BENCHMARKS.md.
pub fn version() -> Option<String> {
    process::probe(Command::new(CHROMIUM).arg("--version"))
}

/// Whether this process runs as root (installs, and the real-kernel tests and benchmark, need it).
pub(crate) fn is_root() -> bool {
    process::probe(Command::new("id").arg("-u")).as_deref() == Some("0")
}
