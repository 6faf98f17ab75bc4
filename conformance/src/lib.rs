//! Conformance scenarios as data: loads `scenarios/*.yaml`, runs one against any [`Backend`] (the
//! simulator or the real docker CLI) and checks the observations each step declares.
//!
//! A scenario file holds: `id`, `topic`, `about`, optional `simulator_only: <why>` (no oracle can
//! run it, e.g. compose), `normalise: [ids, ages, sizes, ips, ports, digests]`, `names` (the
//! containers, networks, volumes and images it creates: removed before and after it on the real
//! engine), `files` (path → content, written first), `setup` (commands that must exit 0) and
//! `steps`. A step is `run: <command>` with the observations to check: `exit` (default 0),
//! `stdout`/`stderr` (whole text, normalised), `stdout_has`/`stderr_has` (substrings), `header`
//! (first stdout line, spaces collapsed), `rows` (stdout lines after the header) and
//! `lines_matching: {regex: count}` (lines of both streams matching, e.g. cached build steps).
//! A step may also carry `note` (why) and `recorded` (the real CLI's output against the oracle,
//! kept as the golden evidence a table's layout was taken from; not compared).
//! Steps are single commands without pipes (the simulator's host shell has none).
//! `podman_differs: {observation: why}` names observations where the oracle (podman behind
//! Docker's API) is known to differ from Docker: with `--oracle` those are checked against the
//! simulator (Docker's documented behaviour) instead.

mod normalise;
mod scenario;

pub use normalise::{normalise, Rule};
pub use scenario::{load_dir, parse, Scenario, Step};

/// What one command did.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    pub exit: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Something that runs host shell command lines: the simulator or a real shell with docker.
pub trait Backend {
    /// Writes a file (relative to the scenario's working directory), creating its folders.
    fn write_file(&mut self, path: &str, content: &str) -> Result<(), String>;
    fn run(&mut self, line: &str) -> Observed;
}

/// One observation of one step, checked.
#[derive(Debug, Clone)]
pub struct Check {
    pub step: usize,
    pub command: String,
    pub observation: String,
    pub expected: String,
    pub actual: String,
    pub passed: bool,
    /// Set when the scenario says podman differs from Docker here.
    pub podman_differs: Option<String>,
}

/// A scenario's run: its checks, or why it could not get that far.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub id: String,
    pub checks: Vec<Check>,
    /// A setup command that failed, or a file that could not be written.
    pub setup_error: Option<String>,
}

impl Report {
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.passed)
    }
    pub fn ok(&self) -> bool {
        self.setup_error.is_none() && self.failures().next().is_none()
    }
}

/// Writes the scenario's files, runs its setup and steps on `backend` and checks every step.
pub fn run(scenario: &Scenario, backend: &mut dyn Backend) -> Report {
    let mut report = Report { id: scenario.id.clone(), ..Report::default() };
    for (path, content) in &scenario.files {
        if let Err(error) = backend.write_file(path, content) {
            report.setup_error = Some(format!("writing {path}: {error}"));
            return report;
        }
    }
    for line in &scenario.setup {
        let seen = backend.run(line);
        if seen.exit != 0 {
            report.setup_error = Some(format!(
                "setup `{line}` exited {}: {}{}",
                seen.exit, seen.stdout, seen.stderr
            ));
            return report;
        }
    }
    for (index, step) in scenario.steps.iter().enumerate() {
        let seen = backend.run(&step.run);
        report.checks.extend(check_step(scenario, index, step, &seen));
    }
    report
}

/// The observations `step` declares, compared with what was `seen`.
pub fn check_step(scenario: &Scenario, index: usize, step: &Step, seen: &Observed) -> Vec<Check> {
    let rules = &scenario.normalise;
    let norm = |text: &str| normalise(text, rules, &scenario.replace);
    let mut checks = Vec::new();
    let mut add = |observation: &str, expected: String, actual: String, passed: bool| {
        checks.push(Check {
            step: index,
            command: step.run.clone(),
            observation: observation.to_string(),
            expected,
            actual,
            passed,
            podman_differs: step.podman_differs.get(observation).cloned(),
        });
    };
    let exit_ok = step.exit == seen.exit;
    // A wrong exit status says more with what the command printed on stderr.
    let exit_seen = match seen.stderr.lines().find(|l| !l.trim().is_empty()) {
        Some(line) if !exit_ok => format!("{} ({})", seen.exit, line.trim()),
        _ => seen.exit.to_string(),
    };
    add("exit", step.exit.to_string(), exit_seen, exit_ok);
    for (name, expected, actual) in [
        ("stdout", &step.stdout, &seen.stdout),
        ("stderr", &step.stderr, &seen.stderr),
    ] {
        if let Some(expected) = expected {
            let (want, got) = (norm(expected), norm(actual));
            let passed = want == got;
            add(name, want, got, passed);
        }
    }
    for (name, wanted, actual) in [
        ("stdout_has", &step.stdout_has, &seen.stdout),
        ("stderr_has", &step.stderr_has, &seen.stderr),
    ] {
        let got = norm(actual);
        for piece in wanted {
            let want = norm(piece);
            let passed = got.contains(&want);
            add(name, want, got.clone(), passed);
        }
    }
    let got = norm(&seen.stdout);
    let lines: Vec<&str> = got.lines().collect();
    if let Some(header) = &step.header {
        let want = collapse_spaces(header);
        let first = lines.first().map(|l| collapse_spaces(l)).unwrap_or_default();
        let passed = want == first;
        add("header", want, first, passed);
    }
    if let Some(rows) = step.rows {
        let count = lines.len().saturating_sub(usize::from(step.header.is_some()));
        add("rows", rows.to_string(), count.to_string(), rows == count);
    }
    for (pattern, count) in &step.lines_matching {
        let re = regex::Regex::new(pattern).ok();
        let seen_count = seen.stdout.lines().chain(seen.stderr.lines()).filter(|l| re.as_ref().is_some_and(|re| re.is_match(l))).count();
        add("lines_matching", format!("{count} lines matching /{pattern}/"), format!("{seen_count} lines matching /{pattern}/"), *count == seen_count);
    }
    checks
}

/// Column widths follow the widest cell, so normalised tables compare with runs of spaces as one.
pub fn collapse_spaces(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenarios() -> Vec<Scenario> {
        load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The real engine is shared: a scenario may remove only what it names, so everything it
    /// creates by name must be listed (or the next run finds it in the way).
    #[test]
    fn every_name_a_scenario_creates_is_listed_for_cleanup() {
        let patterns = [
            ("containers", r"--name[ =](\S+)"),
            ("networks", r"network create [^>]*?(\S+)\s*(?:>|$)"),
            ("volumes", r"volume create [^>]*?(\S+)\s*(?:>|$)"),
            ("volumes", r"-v (cf-[\w.-]+):"),
            ("images", r"build (?:.* )?-t (\S+)"),
            ("images", r"docker tag \S+ (\S+)"),
        ];
        let mut missing = Vec::new();
        for scenario in scenarios().iter().filter(|s| s.simulator_only.is_none()) {
            // A step expected to fail (an invalid name, a conflict) creates nothing.
            let lines = scenario.setup.iter().chain(scenario.steps.iter().filter(|s| s.exit == 0).map(|s| &s.run));
            for line in lines {
                for (kind, pattern) in patterns {
                    for found in regex::Regex::new(pattern).unwrap().captures_iter(line) {
                        let name = found[1].trim_matches('\'').to_string();
                        let listed = scenario.names.get(kind).is_some_and(|names| {
                            names.iter().any(|n| *n == name || format!("{n}:latest") == name || *n == format!("{name}:latest"))
                        });
                        if !listed && !line.contains("--rm") {
                            missing.push(format!("{}: {kind} {name}", scenario.id));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not in `names`:\n{}", missing.join("\n"));
    }

    #[test]
    fn a_typo_in_a_scenario_is_an_error_not_a_dropped_observation() {
        let good = "id: x\ntopic: t\nsteps:\n  - run: docker ps\n    exit: 0\n";
        assert!(parse(good).is_ok());
        assert!(parse(&good.replace("exit: 0", "exitt: 0")).unwrap_err().contains("unknown key `exitt`"));
        assert!(parse(&good.replace("topic: t", "topic: t\nnormalise: [idz]")).is_err());
        assert!(parse("id: x\ntopic: t\n").is_err());
    }

    #[test]
    fn checks_compare_normalised_text_and_count_rows() {
        let scenario = parse("id: x\ntopic: t\nnormalise: [ids]\nsteps:\n  - run: docker ps -q\n    rows: 2\n    stdout: |\n      0123456789ab\n      0123456789ab\n").unwrap();
        let seen = Observed { exit: 0, stdout: "3f4e5a6b7c8d\n9a8b7c6d5e4f\n".into(), stderr: String::new() };
        let checks = check_step(&scenario, 0, &scenario.steps[0], &seen);
        assert!(checks.iter().all(|c| c.passed), "{checks:?}");
        let seen = Observed { exit: 1, stdout: "3f4e5a6b7c8d\n".into(), stderr: "boom\n".into() };
        let failed: Vec<_> = check_step(&scenario, 0, &scenario.steps[0], &seen).into_iter().filter(|c| !c.passed).map(|c| c.observation).collect();
        assert_eq!(failed, ["exit", "stdout", "rows"]);
    }
}
