//! `cargo xtask test`: native tests, the wasm build, then real-browser tests against `dist/`.
//!
//! Every step runs even when an earlier one failed (except the browser tests, which need the
//! build), so one run reports everything that is broken; the summary at the end says what.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::tools::Tools;
use crate::{chromium, dist, process, serve};

enum Outcome {
    Passed,
    Failed(String),
    NotRun(String),
}

struct Step {
    name: &'static str,
    outcome: Outcome,
    took: Duration,
}

pub fn command() -> Result<()> {
    let started = std::time::Instant::now();
    let root = crate::workspace_root();
    let tools = Tools::locate()?;
    // Tools and the browser first, so that a missing one shows up before a long build.
    tools.ensure(&root)?;
    chromium::ensure()?;

    let mut steps = Vec::new();
    let (native, took) = process::timed(|| {
        process::run(
            Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
                .args(["test", "--workspace"])
                .current_dir(&root),
        )
    });
    steps.push(step("native tests (cargo test --workspace)", native, took));

    const KERNEL: &str = "real-kernel demos and leak census (root)";
    match kernel_tests_blocker() {
        None => {
            let (kernel, took) = process::timed(|| run_kernel_tests(&root));
            steps.push(step(KERNEL, kernel, took));
        }
        Some(why) => steps.push(Step {
            name: KERNEL,
            outcome: Outcome::NotRun(why),
            took: Duration::ZERO,
        }),
    }

    let (built, took) = process::timed(|| dist::build(&root, &tools));
    let built_ok = built.is_ok();
    steps.push(step(
        "wasm build (trunk build --release into dist/)",
        built,
        took,
    ));

    const E2E: &str = "browser tests (node --test e2e/, headless Chromium)";
    if built_ok {
        let (e2e, took) = process::timed(|| run_e2e(&root, &tools));
        steps.push(step(E2E, e2e, took));
    } else {
        steps.push(Step {
            name: E2E,
            outcome: Outcome::NotRun("needs the wasm build".into()),
            took: Duration::ZERO,
        });
    }

    println!("\n==================== cargo xtask test: summary ====================");
    for step in &steps {
        let (label, note) = match &step.outcome {
            Outcome::Passed => ("ok", String::new()),
            Outcome::Failed(why) => ("FAILED", format!("  <- {why}")),
            Outcome::NotRun(why) => ("NOT RUN", format!("  <- {why}")),
        };
        println!(
            "  {label:<8} {:<55} {:>10}{note}",
            step.name,
            process::human(step.took)
        );
    }
    println!(
        "  {:<64} {:>10}",
        "total, with the tool check",
        process::human(started.elapsed())
    );
    let bad = steps
        .iter()
        .filter(|s| !matches!(s.outcome, Outcome::Passed))
        .count();
    if bad > 0 {
        println!("===================================================================");
        bail!("{bad} of {} steps did not pass", steps.len());
    }
    println!("  all {} steps passed", steps.len());
    println!("===================================================================");
    Ok(())
}

fn step(name: &'static str, result: Result<()>, took: Duration) -> Step {
    let outcome = match result {
        Ok(()) => Outcome::Passed,
        Err(error) => Outcome::Failed(format!("{error:#}")),
    };
    Step {
        name,
        outcome,
        took,
    }
}

/// Why the root-only tests of `whalebox demo …` and `run --real` cannot run here, if they cannot.
fn kernel_tests_blocker() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return Some("needs Linux: the demos make real namespaces and cgroups".into());
    }
    if !chromium::is_root() {
        return Some("needs root: run `sudo -E cargo xtask test` (CI is root)".into());
    }
    None
}

/// The root-only integration tests of the cli (feature `native-tests`); cargo runs the test
/// binaries one at a time, so the census counts a system no other demo is changing.
fn run_kernel_tests(root: &Path) -> Result<()> {
    process::run(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["test", "-p", "cli", "--features", "native-tests"])
            .args(["--test", "native_demos", "--test", "native_network", "--test", "native_census"])
            .current_dir(root),
    )
}

/// Serves `dist/` on a free loopback port and runs every `e2e/*.test.mjs` against it.
fn run_e2e(root: &Path, tools: &Tools) -> Result<()> {
    let files = e2e_test_files(&root.join("e2e"))?;
    let url = serve::spawn(&dist::dist_dir(root))?;
    println!("Serving dist/ at {url} for the browser tests.");
    let mut node = node_command(tools, &url);
    node.args(["--test", "--test-reporter=spec"])
        .args(&files)
        .current_dir(root);
    process::run(&mut node)
}

/// `node` with what the e2e scripts read from the environment.
pub fn node_command(tools: &Tools, url: &str) -> Command {
    let mut node = Command::new("node");
    node.env("WHALEBOX_URL", url)
        .env("NODE_PATH", tools.node_modules())
        .env("WHALEBOX_TOOLS", &tools.root)
        .env("WHALEBOX_CHROMIUM", chromium::CHROMIUM);
    node
}

/// The e2e test files, sorted; an empty folder is an error, never a silent pass.
fn e2e_test_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".test.mjs"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no e2e tests (*.test.mjs) in {}", dir.display());
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_projects_browser_tests_and_not_its_bench_scripts() {
        let files = e2e_test_files(&crate::workspace_root().join("e2e")).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| n.ends_with(".test.mjs")), "{names:?}");
        assert!(
            names.contains(&"terminal.test.mjs".to_string()),
            "{names:?}"
        );
    }

    #[test]
    fn an_empty_e2e_folder_is_an_error() {
        let dir =
            std::env::temp_dir().join(format!("whalebox-xtask-empty-e2e-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("bench-startup.mjs"), "").unwrap();
        assert!(e2e_test_files(&dir).is_err());
        assert!(e2e_test_files(&dir.join("missing")).is_err());
    }
}
