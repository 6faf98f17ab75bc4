//! The tools the site needs, installed once per machine outside the clone and checked by version.
//!
//! Layout of the tools folder (`~/.cache/whalebox/tools`, or `$WHALEBOX_TOOLS`):
//! `bin/` holds `trunk` and `wasm-bindgen` (`cargo install --root`), `node/node_modules` holds
//! binaryen (`wasm-opt`), playwright-core and axe-core (the accessibility checker the e2e tests
//! inject into the page) (`npm install --prefix`). Versions are pinned for the
//! reasons in the toolchain notes: trunk 0.22 needs a newer rustc, wasm-bindgen-cli must equal the
//! `wasm-bindgen` in `Cargo.lock`, and Debian's binaryen miscompiles.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::process;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const TRUNK_VERSION: &str = "0.21.14";
/// npm's binaryen package; its `wasm-opt --version` says `version 132`.
pub const BINARYEN_VERSION: &str = "132.0.0";
/// Any 1.65.x is accepted; this one is installed (`npm view playwright-core versions`).
pub const PLAYWRIGHT_CORE_VERSION: &str = "1.65.1";
const PLAYWRIGHT_CORE_SERIES: &str = "1.65.";
/// Exactly this version: its rules decide what `e2e/a11y.test.mjs` calls a violation.
pub const AXE_CORE_VERSION: &str = "4.14.1";

/// Where the tools live, and how to run them.
#[derive(Debug, Clone)]
pub struct Tools {
    pub root: PathBuf,
}

impl Tools {
    /// `$WHALEBOX_TOOLS`, else `~/.cache/whalebox/tools`.
    pub fn locate() -> Result<Tools> {
        if let Some(dir) = std::env::var_os("WHALEBOX_TOOLS").filter(|d| !d.is_empty()) {
            return Ok(Tools {
                root: PathBuf::from(dir),
            });
        }
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .context("neither WHALEBOX_TOOLS nor HOME is set: cannot choose a tools folder")?;
        Ok(Tools {
            root: Path::new(&home).join(".cache/whalebox/tools"),
        })
    }

    pub fn bin(&self) -> PathBuf {
        self.root.join("bin")
    }

    pub fn node_prefix(&self) -> PathBuf {
        self.root.join("node")
    }

    /// What the e2e scripts get as `NODE_PATH`, to find playwright-core.
    pub fn node_modules(&self) -> PathBuf {
        self.node_prefix().join("node_modules")
    }

    fn node_bin(&self) -> PathBuf {
        self.node_modules().join(".bin")
    }

    /// `PATH` with the tools' bin folders in front, so trunk finds wasm-bindgen and wasm-opt there.
    pub fn path_env(&self) -> OsString {
        let mut dirs = vec![self.bin(), self.node_bin()];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(dirs).unwrap_or_default()
    }

    /// A command for `program` with the tools on `PATH`.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", self.path_env());
        cmd
    }

    /// Installs whatever is missing or at the wrong version; seconds when all is in place.
    pub fn ensure(&self, root: &Path) -> Result<()> {
        let wasm_bindgen = wasm_bindgen_version(root)?;
        ensure_wasm_target()?;
        self.ensure_trunk()?;
        self.ensure_wasm_bindgen(&wasm_bindgen)?;
        self.ensure_npm_packages()?;
        println!(
            "Tools ready in {}: trunk {TRUNK_VERSION}, wasm-bindgen {wasm_bindgen}, wasm-opt (binaryen {BINARYEN_VERSION}), \
             playwright-core {}, axe-core {AXE_CORE_VERSION}.",
            self.root.display(),
            self.playwright_core_version().unwrap_or_default()
        );
        Ok(())
    }

    fn ensure_trunk(&self) -> Result<()> {
        let found = process::probe(Command::new(self.bin().join("trunk")).arg("--version"));
        if version_word(found.as_deref(), "trunk") == Some(TRUNK_VERSION) {
            return Ok(());
        }
        println!(
            "trunk {TRUNK_VERSION} is {}: installing it into {} with `cargo install --locked`. \
             This compiles trunk from source, once per machine: about 12-15 minutes on 2 cores.",
            describe(found.as_deref()),
            self.root.display()
        );
        process::run(
            cargo()
                .args(["install", "--locked", "trunk", "--version", TRUNK_VERSION])
                .arg("--root")
                .arg(&self.root),
        )
    }

    fn ensure_wasm_bindgen(&self, version: &str) -> Result<()> {
        let found = process::probe(Command::new(self.bin().join("wasm-bindgen")).arg("--version"));
        if version_word(found.as_deref(), "wasm-bindgen") == Some(version) {
            return Ok(());
        }
        println!(
            "wasm-bindgen {version} (the version in Cargo.lock) is {}: installing wasm-bindgen-cli \
             {version} into {} with `cargo install` (without --locked: its lock file wants crates \
             newer than the registry has). Once per machine: about 4 minutes on 2 cores.",
            describe(found.as_deref()),
            self.root.display()
        );
        process::run(
            cargo()
                .args(["install", "wasm-bindgen-cli", "--version", version])
                .arg("--root")
                .arg(&self.root),
        )
    }

    fn ensure_npm_packages(&self) -> Result<()> {
        let wasm_opt =
            process::probe(Command::new(self.node_bin().join("wasm-opt")).arg("--version"));
        let binaryen_ok = wasm_opt_major(wasm_opt.as_deref()) == BINARYEN_VERSION.split('.').next();
        let playwright = self.playwright_core_version();
        let playwright_ok = playwright
            .as_deref()
            .is_some_and(|v| v.starts_with(PLAYWRIGHT_CORE_SERIES));
        let mut wanted = Vec::new();
        if !binaryen_ok {
            println!(
                "wasm-opt from binaryen {BINARYEN_VERSION} is {}.",
                describe(wasm_opt.as_deref())
            );
            wanted.push(format!("binaryen@{BINARYEN_VERSION}"));
        }
        if !playwright_ok {
            println!(
                "playwright-core {PLAYWRIGHT_CORE_SERIES}x is {}.",
                describe(playwright.as_deref())
            );
            wanted.push(format!("playwright-core@{PLAYWRIGHT_CORE_VERSION}"));
        }
        let axe = self.package_version("axe-core");
        if axe.as_deref() != Some(AXE_CORE_VERSION) {
            println!("axe-core {AXE_CORE_VERSION} is {}.", describe(axe.as_deref()));
            wanted.push(format!("axe-core@{AXE_CORE_VERSION}"));
        }
        if wanted.is_empty() {
            return Ok(());
        }
        if process::probe(Command::new("npm").arg("--version")).is_none() {
            bail!(
                "npm is not on PATH; Whalebox needs Node.js and npm to install {}",
                wanted.join(" and ")
            );
        }
        let prefix = self.node_prefix();
        std::fs::create_dir_all(&prefix)
            .with_context(|| format!("creating {}", prefix.display()))?;
        println!(
            "Installing {} into {} with npm (prebuilt packages, no browser download): under a minute.",
            wanted.join(" and "),
            prefix.display()
        );
        process::run(
            Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--save-exact",
                    "--prefix",
                ])
                .arg(&prefix)
                .args(&wanted),
        )?;
        Ok(())
    }

    /// The version in playwright-core's own `package.json`, if it is installed.
    pub fn playwright_core_version(&self) -> Option<String> {
        self.package_version("playwright-core")
    }

    /// The version in an installed npm package's own `package.json`.
    fn package_version(&self, package: &str) -> Option<String> {
        let manifest = self.node_modules().join(package).join("package.json");
        json_string_field(&std::fs::read_to_string(manifest).ok()?, "version")
    }
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn describe(found: Option<&str>) -> String {
    match found {
        None => "missing".to_string(),
        Some(text) => format!("not what is there (found `{text}`)"),
    }
}

fn ensure_wasm_target() -> Result<()> {
    if let Some(installed) =
        process::probe(Command::new("rustup").args(["target", "list", "--installed"]))
    {
        if installed.lines().any(|line| line.trim() == WASM_TARGET) {
            return Ok(());
        }
        println!("The Rust target {WASM_TARGET} is missing: adding it with rustup (seconds).");
        return process::run(Command::new("rustup").args(["target", "add", WASM_TARGET]));
    }
    // No rustup: accept a toolchain that ships the target's standard library.
    let sysroot = process::probe(Command::new("rustc").args(["--print", "sysroot"]))
        .context("rustc not found")?;
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .is_dir()
    {
        return Ok(());
    }
    bail!("the Rust target {WASM_TARGET} is missing and rustup is not available to add it")
}

/// The `wasm-bindgen` version in `Cargo.lock`, after checking that `Trunk.toml` asks for the same
/// one (otherwise trunk would try to download its own, which fails offline).
pub fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock_path = root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).with_context(|| {
        format!(
            "reading {} (run `cargo generate-lockfile`?)",
            lock_path.display()
        )
    })?;
    let version = locked_version(&lock, "wasm-bindgen")
        .with_context(|| format!("{} has no `wasm-bindgen` package", lock_path.display()))?;
    if let Ok(trunk_toml) = std::fs::read_to_string(root.join("Trunk.toml")) {
        if let Some(pinned) = trunk_tools_pin(&trunk_toml, "wasm_bindgen") {
            if pinned != version {
                bail!(
                    "Trunk.toml pins wasm_bindgen = \"{pinned}\" but Cargo.lock has wasm-bindgen {version}; \
                     they must be equal (trunk would try to download {pinned}, which fails offline)"
                );
            }
        }
    }
    Ok(version)
}

/// The version of `package` in a `Cargo.lock` (the first, if several).
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

/// `key = "value"` inside the `[tools]` table of a `Trunk.toml`.
fn trunk_tools_pin(trunk_toml: &str, key: &str) -> Option<String> {
    let mut in_tools = false;
    for line in trunk_toml.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            in_tools = line == "[tools]";
            continue;
        }
        if !in_tools {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            if k.trim() == key {
                return Some(v.trim().trim_matches('"').to_string());
            }
        }
    }
    None
}

/// For `--version` output like `trunk 0.21.14`: the word after `name`.
fn version_word<'a>(output: Option<&'a str>, name: &str) -> Option<&'a str> {
    let mut words = output?.split_whitespace();
    if words.next()? != name {
        return None;
    }
    words.next()
}

/// For `wasm-opt version 132 (version_132)`: `132`.
fn wasm_opt_major(output: Option<&str>) -> Option<&str> {
    let mut words = output?.split_whitespace();
    if words.next()? != "wasm-opt" || words.next()? != "version" {
        return None;
    }
    words.next()
}

/// A top-level `"field": "value"` of a small JSON document such as a `package.json`.
fn json_string_field(json: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\"");
    let rest = &json[json.find(&key)? + key.len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.999"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[test]
    fn reads_the_exact_package_from_cargo_lock() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.999")
        );
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-macro").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(LOCK, "leptos"), None);
    }

    #[test]
    fn the_real_lock_file_names_a_wasm_bindgen_that_trunk_toml_agrees_with() {
        let version = wasm_bindgen_version(&crate::workspace_root()).unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }

    #[test]
    fn reads_pins_only_from_the_tools_table() {
        let toml = "[build]\nwasm_bindgen = \"1\"\n[tools]\nwasm_bindgen = \"0.2.130\"   # pinned\nwasm_opt = \"version_132\"\n";
        assert_eq!(
            trunk_tools_pin(toml, "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            trunk_tools_pin(toml, "wasm_opt").as_deref(),
            Some("version_132")
        );
        assert_eq!(
            trunk_tools_pin("[build]\nwasm_bindgen = \"1\"\n", "wasm_bindgen"),
            None
        );
    }

    #[test]
    fn version_checks_compare_versions_not_presence() {
        assert_eq!(
            version_word(Some("trunk 0.21.14"), "trunk"),
            Some("0.21.14")
        );
        assert_eq!(version_word(Some("trunk 0.22.0"), "trunk"), Some("0.22.0"));
        assert_eq!(version_word(Some("wasm-bindgen 0.2.130"), "trunk"), None);
        assert_eq!(version_word(None, "trunk"), None);
        assert_eq!(
            wasm_opt_major(Some("wasm-opt version 132 (version_132)")),
            Some("132")
        );
        assert_eq!(wasm_opt_major(Some("wasm-opt version 108")), Some("108"));
        assert_eq!(wasm_opt_major(Some("something else")), None);
    }

    #[test]
    fn reads_a_package_json_version() {
        let json = "{\n  \"name\": \"playwright-core\",\n  \"version\" : \"1.65.1\",\n  \"main\": \"index.js\"\n}";
        assert_eq!(
            json_string_field(json, "version").as_deref(),
            Some("1.65.1")
        );
        assert_eq!(json_string_field(json, "license"), None);
    }

    #[test]
    fn tools_go_first_on_path() {
        let tools = Tools {
            root: PathBuf::from("/opt/whalebox-tools"),
        };
        let path = tools.path_env();
        let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
        assert_eq!(dirs[0], Path::new("/opt/whalebox-tools/bin"));
        assert_eq!(
            dirs[1],
            Path::new("/opt/whalebox-tools/node/node_modules/.bin")
        );
        assert!(dirs.len() > 2, "the inherited PATH is kept");
    }
}
