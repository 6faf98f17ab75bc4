//! After the Trunk build: `dist/lessons.json` (if no other step wrote it) and `dist/sw.js`, the
//! service worker that precaches every file of the built site so it works offline.
//!
//! Trunk content-hashes the .js/.wasm/.css names, so the list of files changes with every build
//! that changes them; it is written into `static/sw.js` (the template) here, with a cache name
//! derived from the files' contents.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

const TEMPLATE: &str = "static/sw.js";
const CACHE_VERSION_MARKER: &str = "/*CACHE_VERSION*/'dev'";
const ASSETS_MARKER: &str = "/*ASSETS*/[]";

/// Writes `dist/lessons.json` when missing, then `dist/sw.js`.
pub fn write_offline_files(root: &Path, dist: &Path) -> Result<()> {
    let lessons = dist.join("lessons.json");
    if !lessons.is_file() {
        let catalog = lessons::Catalog::embedded().map_err(|errors| {
            anyhow::anyhow!("the lessons do not load: {}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))
        })?;
        std::fs::write(&lessons, catalog.items_to_json()).with_context(|| format!("writing {}", lessons.display()))?;
    }
    let template_path = root.join(TEMPLATE);
    let template = std::fs::read_to_string(&template_path).with_context(|| format!("reading {}", template_path.display()))?;
    let files = site_files(dist)?;
    let worker = render_service_worker(&template, &files)?;
    std::fs::write(dist.join("sw.js"), worker).context("writing dist/sw.js")?;
    println!("dist/sw.js precaches {} files for offline use.", files.len());
    Ok(())
}

/// A built file: its path relative to `dist/` with `/` separators, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Every file under `dist/` except the service worker itself, sorted by path.
fn site_files(dist: &Path) -> Result<Vec<SiteFile>> {
    let mut paths = Vec::new();
    collect(dist, &mut paths)?;
    let mut files = Vec::new();
    for path in paths {
        let relative = path.strip_prefix(dist).unwrap_or(&path);
        let name = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
        if name == "sw.js" {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        files.push(SiteFile { path: name, bytes });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The template with the asset list (`./` for page loads, then every file) and the cache name.
pub fn render_service_worker(template: &str, files: &[SiteFile]) -> Result<String> {
    if !template.contains(CACHE_VERSION_MARKER) || !template.contains(ASSETS_MARKER) {
        bail!("{TEMPLATE} lost its {CACHE_VERSION_MARKER} or {ASSETS_MARKER} marker");
    }
    let mut assets = vec!["\"./\"".to_string()];
    // Paths are file names Trunk chose (letters, digits, `-`, `_`, `.`, `/`): no JSON escaping needed,
    // but quotes and backslashes would break the list, so refuse them rather than guess.
    for file in files {
        if file.path.contains(['"', '\\']) {
            bail!("dist/{} has a name the service worker list cannot hold", file.path);
        }
        assets.push(format!("\"./{}\"", file.path));
    }
    let list = format!("[\n  {},\n]", assets.join(",\n  "));
    Ok(template.replace(CACHE_VERSION_MARKER, &format!("'{:016x}'", cache_version(files))).replace(ASSETS_MARKER, &list))
}

/// FNV-1a over every path and content: any changed file gives a new cache name.
pub fn cache_version(files: &[SiteFile]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        for byte in file.path.bytes().chain([0]).chain(file.bytes.iter().copied()).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: &str) -> SiteFile {
        SiteFile { path: path.to_string(), bytes: bytes.as_bytes().to_vec() }
    }

    fn template() -> String {
        std::fs::read_to_string(crate::workspace_root().join(TEMPLATE)).unwrap()
    }

    #[test]
    fn the_worker_lists_the_page_and_every_file() {
        let files = [file("app-1a2b_bg.wasm", "w"), file("index.html", "<html>"), file("lessons.json", "[]")];
        let worker = render_service_worker(&template(), &files).unwrap();
        for wanted in ["\"./\"", "\"./app-1a2b_bg.wasm\"", "\"./index.html\"", "\"./lessons.json\""] {
            assert!(worker.contains(wanted), "{wanted} missing from:\n{worker}");
        }
        assert!(!worker.contains(ASSETS_MARKER) && !worker.contains(CACHE_VERSION_MARKER));
    }

    #[test]
    fn the_cache_name_changes_with_any_file() {
        let one = [file("index.html", "a"), file("app.js", "b")];
        let two = [file("index.html", "a"), file("app.js", "c")];
        let renamed = [file("index.html", "a"), file("app2.js", "b")];
        assert_ne!(cache_version(&one), cache_version(&two));
        assert_ne!(cache_version(&one), cache_version(&renamed));
        assert_eq!(cache_version(&one), cache_version(&one.clone()));
        let worker = render_service_worker(&template(), &one).unwrap();
        assert!(worker.contains(&format!("'whalebox-' + '{:016x}'", cache_version(&one))), "{worker}");
    }

    #[test]
    fn a_template_without_markers_is_an_error() {
        assert!(render_service_worker("self.addEventListener('fetch', () => {});", &[]).is_err());
    }

    #[test]
    fn the_built_site_is_listed_without_the_worker_itself() {
        let dir = std::env::temp_dir().join(format!("whalebox-xtask-offline-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("snippets")).unwrap();
        std::fs::write(dir.join("index.html"), "x").unwrap();
        std::fs::write(dir.join("sw.js"), "old").unwrap();
        std::fs::write(dir.join("snippets/a.js"), "y").unwrap();
        let names: Vec<String> = site_files(&dir).unwrap().into_iter().map(|f| f.path).collect();
        assert_eq!(names, ["index.html", "snippets/a.js"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
