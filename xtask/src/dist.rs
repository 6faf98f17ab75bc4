//! `cargo xtask dist`: the static site, built by Trunk in offline mode into `dist/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Result};

use crate::process;
use crate::tools::Tools;

pub fn command() -> Result<()> {
    let root = crate::workspace_root();
    let tools = Tools::locate()?;
    tools.ensure(&root)?;
    let (built, took) = process::timed(|| build(&root, &tools));
    built?;
    println!("dist/ is ready ({}).", process::human(took));
    Ok(())
}

/// Fetches crates (trunk runs cargo with `--offline`), then `trunk build --release --offline`.
/// Trunk finds wasm-bindgen and wasm-opt on the tools' `PATH` and never downloads anything.
pub fn build(root: &Path, tools: &Tools) -> Result<()> {
    process::run(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .arg("fetch")
            .current_dir(root),
    )?;
    process::run(
        tools
            .command("trunk")
            .args(["build", "--release", "--offline"])
            // trunk 0.21 parses this as a bool: `true`, not `1` (which it rejects).
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .current_dir(root),
    )?;
    let index = dist_dir(root).join("index.html");
    if !index.is_file() {
        bail!("trunk finished but {} is missing", index.display());
    }
    crate::offline::write_offline_files(root, &dist_dir(root))?;
    Ok(())
}

pub fn dist_dir(root: &Path) -> PathBuf {
    root.join("dist")
}
