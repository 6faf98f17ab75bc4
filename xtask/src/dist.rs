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
    write_lessons(&dist_dir(root))?;
    // After lessons.json, so the service worker precaches it too.
    crate::offline::write_offline_files(root, &dist_dir(root))
}

/// The lesson catalog as `dist/lessons.json`: the page fetches it when the learner opens the
/// lesson picker, so the first load carries neither the items nor a TOML parser.
pub fn write_lessons(dist: &Path) -> Result<()> {
    let catalog = match lessons::Catalog::embedded() {
        Ok(catalog) => catalog,
        Err(errors) => bail!("the lesson catalog does not load:\n{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")),
    };
    let path = dist.join("lessons.json");
    std::fs::write(&path, catalog.items_to_json()).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}

pub fn dist_dir(root: &Path) -> PathBuf {
    root.join("dist")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_json_reads_back_as_the_whole_catalog() {
        let dir = std::env::temp_dir().join(format!("whalebox-dist-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        write_lessons(&dir).unwrap();
        let text = std::fs::read_to_string(dir.join("lessons.json")).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let catalog = lessons::Catalog::from_json(&text).unwrap();
        assert_eq!(catalog.items.len(), lessons::Catalog::embedded().unwrap().items.len());
        assert!(catalog.get("layer-cache").is_some());
    }
}
