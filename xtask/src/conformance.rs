//! `cargo xtask conformance [--oracle]`: the scenarios in `conformance/scenarios/` against the
//! simulator (the engine's `conformance` test), or with `--oracle` through the real docker CLI
//! against the real engine of `../shared/oracle`, writing the agreement to `conformance/RESULTS.md`.
//!
//! Observations a scenario marks `podman_differs` are not compared with the oracle (it is podman,
//! not Docker, there); the simulator's test holds them to Docker's behaviour instead, so the
//! oracle run also runs that test.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use conformance::{Backend, Observed, Report, Scenario};

use crate::process;

const DEFAULT_SOCKET: &str = "unix:///run/oracle/docker.sock";

pub fn command(args: &[String]) -> Result<()> {
    match args {
        [] => simulator(),
        [flag] if flag == "--oracle" => oracle(),
        _ => bail!("conformance takes only `--oracle`, not `{}`", args.join(" ")),
    }
}

fn simulator() -> Result<()> {
    process::run(
        Command::new(env!("CARGO"))
            .current_dir(crate::workspace_root())
            .args(["test", "-p", "engine", "--test", "conformance", "--", "--nocapture"]),
    )
}

/// A real shell in a fresh working directory per scenario, with the real docker CLI.
struct Oracle {
    dir: PathBuf,
    host: String,
}

impl Backend for Oracle {
    fn write_file(&mut self, path: &str, content: &str) -> Result<(), String> {
        let path = self.dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, content).map_err(|e| e.to_string())
    }

    fn run(&mut self, line: &str) -> Observed {
        // `timeout` keeps a scenario that waits on a server from hanging the whole run.
        let output = Command::new("timeout")
            .args(["120", "sh", "-c", line])
            .current_dir(&self.dir)
            .env("DOCKER_HOST", &self.host)
            .stdin(Stdio::null())
            .output();
        match output {
            Ok(out) => Observed {
                exit: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            },
            Err(error) => Observed { exit: -1, stderr: error.to_string(), ..Observed::default() },
        }
    }
}

impl Oracle {
    /// Removes what the scenario names (never anything else: others may share this engine).
    fn clean(&mut self, scenario: &Scenario) {
        let names = |kind: &str| scenario.names.get(kind).cloned().unwrap_or_default().join(" ");
        for (kind, command) in [
            ("containers", "docker rm -f -v"),
            ("networks", "docker network rm"),
            ("volumes", "docker volume rm -f"),
            ("images", "docker rmi -f"),
        ] {
            let list = names(kind);
            if !list.is_empty() {
                self.run(&format!("{command} {list} >/dev/null 2>&1"));
            }
        }
    }
}

pub(crate) fn oracle() -> Result<()> {
    let root = crate::workspace_root();
    let scenarios = conformance::load_dir(&root.join("conformance/scenarios")).map_err(anyhow::Error::msg)?;
    let host = std::env::var("DOCKER_HOST").unwrap_or_else(|_| DEFAULT_SOCKET.to_string());
    let version = Command::new("docker")
        .args(["version", "--format", "docker CLI {{.Client.Version}} -> engine {{.Server.Version}} (API {{.Server.APIVersion}})"])
        .env("DOCKER_HOST", &host)
        .stdin(Stdio::null())
        .output()
        .context("running the docker CLI")?;
    if !version.status.success() {
        bail!(
            "no real engine answers at {host}: start one with `eval \"$(../shared/oracle/up)\"` ({})",
            String::from_utf8_lossy(&version.stderr).trim()
        );
    }
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    eprintln!("conformance: {} scenarios against {version}", scenarios.len());
    let scratch = std::env::temp_dir().join("whalebox-conformance");
    // CONFORMANCE=id1,id2 runs only those (and leaves RESULTS.md alone): for writing scenarios.
    let only: Option<Vec<String>> = std::env::var("CONFORMANCE").ok().map(|v| v.split(',').map(String::from).collect());
    let mut results = Vec::new();
    for scenario in &scenarios {
        if only.as_ref().is_some_and(|ids| !ids.contains(&scenario.id)) {
            continue;
        }
        if scenario.simulator_only.is_some() {
            results.push((scenario, None));
            continue;
        }
        let dir = scratch.join(&scenario.id);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut oracle = Oracle { dir, host: host.clone() };
        oracle.clean(scenario);
        let report = conformance::run(scenario, &mut oracle);
        oracle.clean(scenario);
        let (agreed, compared) = tally(&report);
        eprintln!("{:<40} {:<11} {agreed}/{compared}", scenario.id, scenario.topic);
        if let Some(error) = &report.setup_error {
            eprintln!("    setup: {}", one_line(error));
        }
        for check in report.failures().filter(|c| c.podman_differs.is_none()) {
            eprintln!("    step {} `{}` {}: expected {:?}, got {:?}", check.step + 1, check.command, check.observation, check.expected, check.actual);
        }
        results.push((scenario, Some(report)));
    }
    if only.is_some() {
        return Ok(());
    }
    let text = results_markdown(&version, &results);
    let path = root.join("conformance/RESULTS.md");
    std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("\nwrote {}", path.display());
    let summary = text.lines().find(|l| l.starts_with("**Agreement")).unwrap_or_default();
    println!("{summary}");
    eprintln!("\nthe podman-differs observations, against the simulator:");
    simulator()
}

/// `(agreed, compared)` over the observations compared with the oracle; a setup that failed
/// counts as one disagreement.
fn tally(report: &Report) -> (usize, usize) {
    let compared: Vec<_> = report.checks.iter().filter(|c| c.podman_differs.is_none()).collect();
    let agreed = compared.iter().filter(|c| c.passed).count();
    let setup = usize::from(report.setup_error.is_some());
    (agreed, compared.len() + setup)
}

fn results_markdown(version: &str, results: &[(&Scenario, Option<Report>)]) -> String {
    let (mut agreed, mut compared, mut scenarios_ok, mut scenarios_run) = (0, 0, 0, 0);
    let mut rows = String::new();
    let mut disagreements = String::new();
    let mut differs = String::new();
    let mut only = String::new();
    for (scenario, report) in results {
        let Some(report) = report else {
            let why = scenario.simulator_only.as_deref().unwrap_or_default();
            let _ = writeln!(rows, "| {} | {} | simulator only | |", scenario.id, scenario.topic);
            let _ = writeln!(only, "- `{}`: {why}", scenario.id);
            continue;
        };
        let (a, c) = tally(report);
        agreed += a;
        compared += c;
        scenarios_run += 1;
        scenarios_ok += usize::from(a == c);
        let skipped = report.checks.iter().filter(|c| c.podman_differs.is_some()).count();
        let _ = writeln!(rows, "| {} | {} | {a}/{c} | {skipped} |", scenario.id, scenario.topic);
        if let Some(error) = &report.setup_error {
            let _ = writeln!(disagreements, "- `{}` setup: {}", scenario.id, one_line(error));
        }
        for check in &report.checks {
            if let Some(why) = &check.podman_differs {
                // A mark the oracle did not bear out this run is shown, so stale marks get noticed.
                let seen = if check.passed {
                    " (this run the oracle agreed with Docker's behaviour)".to_string()
                } else {
                    format!(" (the oracle gave `{}`)", one_line(&check.actual))
                };
                let _ = writeln!(differs, "- `{}` step {} `{}` {}: {why}{seen}", scenario.id, check.step + 1, check.command, check.observation);
            } else if !check.passed {
                let _ = writeln!(
                    disagreements,
                    "- `{}` step {} `{}` {}: expected `{}`, the oracle gave `{}`",
                    scenario.id, check.step + 1, check.command, check.observation, one_line(&check.expected), one_line(&check.actual)
                );
            }
        }
    }
    let percent = if compared == 0 { 0.0 } else { 100.0 * agreed as f64 / compared as f64 };
    let mut text = String::new();
    let _ = writeln!(text, "# Conformance against a real engine\n");
    let _ = writeln!(text, "Generated by `cargo xtask conformance --oracle` (do not edit): the scenarios in `scenarios/` run");
    let _ = writeln!(text, "through the real docker CLI against {version} (podman behind Docker's API,");
    let _ = writeln!(text, "`../shared/oracle`). Each observation a step declares is compared, except those the scenario marks");
    let _ = writeln!(text, "`podman_differs` (held to Docker's behaviour by the simulator's test instead).\n");
    let _ = writeln!(
        text,
        "**Agreement: {agreed}/{compared} observations ({percent:.1} %); {scenarios_ok}/{scenarios_run} scenarios agree on every compared observation.**\n"
    );
    let _ = writeln!(text, "| scenario | topic | agreed/compared | podman-differs (not compared) |\n|---|---|---|---|");
    text.push_str(&rows);
    let _ = writeln!(text, "\n## Disagreements\n");
    text.push_str(if disagreements.is_empty() { "None.\n" } else { &disagreements });
    let _ = writeln!(text, "\n## Observations where podman differs from Docker (checked against the simulator)\n");
    text.push_str(&differs);
    let _ = writeln!(text, "\n## Simulator-only scenarios\n");
    text.push_str(&only);
    text
}

fn one_line(text: &str) -> String {
    let text = text.replace('\n', "⏎");
    if text.chars().count() > 160 { format!("{}…", text.chars().take(160).collect::<String>()) } else { text }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podman_differs_observations_are_not_counted_against_the_oracle() {
        let scenario = conformance::parse(
            "id: s\ntopic: t\nsteps:\n  - run: docker x\n    stdout: a\n    podman_differs: {stdout: podman says b}\n  - run: docker y\n    stdout: c\n",
        )
        .unwrap();
        struct Canned(Vec<&'static str>);
        impl Backend for Canned {
            fn write_file(&mut self, _: &str, _: &str) -> Result<(), String> {
                Ok(())
            }
            fn run(&mut self, _: &str) -> Observed {
                Observed { stdout: self.0.remove(0).into(), ..Observed::default() }
            }
        }
        let report = conformance::run(&scenario, &mut Canned(vec!["b", "d"]));
        // exit, exit and the second stdout are compared; the first stdout is podman's.
        assert_eq!(tally(&report), (2, 3));
        let text = results_markdown("test engine", &[(&scenario, Some(report))]);
        assert!(text.contains("**Agreement: 2/3 observations (66.7 %); 0/1 scenarios"), "{text}");
        assert!(text.contains("`s` step 2 `docker y` stdout: expected `c`, the oracle gave `d`"), "{text}");
        assert!(text.contains("`s` step 1 `docker x` stdout: podman says b (the oracle gave `b`)"), "{text}");
    }

    #[test]
    fn only_the_oracle_flag_is_accepted() {
        assert!(command(&["--orcale".to_string()]).is_err());
    }
}
