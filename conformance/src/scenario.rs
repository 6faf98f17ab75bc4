//! A scenario file (YAML) read into [`Scenario`]; every mistake in a file is an error naming it,
//! so a typo cannot silently drop an observation.

use std::collections::BTreeMap;
use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

use crate::normalise::Rule;

#[derive(Debug, Clone, Default)]
pub struct Scenario {
    pub id: String,
    pub topic: String,
    pub about: String,
    /// Why no real engine here can run it (e.g. the oracle has no `docker compose`).
    pub simulator_only: Option<String>,
    pub normalise: Vec<Rule>,
    pub replace: Vec<(String, String)>,
    /// Names it creates, by kind (`containers`, `networks`, `volumes`, `images`).
    pub names: BTreeMap<String, Vec<String>>,
    pub files: Vec<(String, String)>,
    pub setup: Vec<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Default)]
pub struct Step {
    pub run: String,
    pub exit: i32,
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    pub stdout_has: Vec<String>,
    pub stderr_has: Vec<String>,
    pub header: Option<String>,
    pub rows: Option<usize>,
    /// Regex → how many lines of stdout and stderr together match it (e.g. the build steps a
    /// builder took from its cache, whatever its log looks like).
    pub lines_matching: Vec<(String, usize)>,
    pub podman_differs: BTreeMap<String, String>,
}

const SCENARIO_KEYS: &[&str] =
    &["id", "topic", "about", "simulator_only", "normalise", "replace", "names", "files", "setup", "steps"];
const STEP_KEYS: &[&str] = &[
    "run", "exit", "stdout", "stderr", "stdout_has", "stderr_has", "header", "rows", "lines_matching", "podman_differs",
    "note", "recorded",
];
pub const OBSERVATIONS: &[&str] =
    &["exit", "stdout", "stderr", "stdout_has", "stderr_has", "header", "rows", "lines_matching"];

/// Every `*.yaml` under `dir`, sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<Scenario>, String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut scenarios = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let scenario = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if scenario.id != stem {
            return Err(format!("{}: id `{}` is not the file name", path.display(), scenario.id));
        }
        scenarios.push(scenario);
    }
    Ok(scenarios)
}

fn string(value: &Yaml, what: &str) -> Result<String, String> {
    match value {
        Yaml::String(s) => Ok(s.clone()),
        Yaml::Integer(i) => Ok(i.to_string()),
        Yaml::Boolean(b) => Ok(b.to_string()),
        Yaml::Real(r) => Ok(r.clone()),
        _ => Err(format!("{what}: expected a string, found {value:?}")),
    }
}

fn strings(value: &Yaml, what: &str) -> Result<Vec<String>, String> {
    match value {
        Yaml::BadValue => Ok(Vec::new()),
        Yaml::Array(items) => items.iter().map(|i| string(i, what)).collect(),
        other => Ok(vec![string(other, what)?]),
    }
}

fn keys_of<'a>(value: &'a Yaml, allowed: &[&str], what: &str) -> Result<Vec<(String, &'a Yaml)>, String> {
    let Yaml::Hash(map) = value else { return Err(format!("{what}: expected a mapping")) };
    let mut out = Vec::new();
    for (key, value) in map {
        let key = string(key, what)?;
        if !allowed.is_empty() && !allowed.contains(&key.as_str()) {
            return Err(format!("{what}: unknown key `{key}` (known: {})", allowed.join(", ")));
        }
        out.push((key, value));
    }
    Ok(out)
}

pub fn parse(text: &str) -> Result<Scenario, String> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
    let doc = docs.first().ok_or("empty file")?;
    let mut s = Scenario::default();
    for (key, value) in keys_of(doc, SCENARIO_KEYS, "scenario")? {
        match key.as_str() {
            "id" => s.id = string(value, "id")?,
            "topic" => s.topic = string(value, "topic")?,
            "about" => s.about = string(value, "about")?,
            "simulator_only" => s.simulator_only = Some(string(value, "simulator_only")?),
            "normalise" => {
                for name in strings(value, "normalise")? {
                    s.normalise.push(Rule::parse(&name).ok_or(format!("unknown normalise rule `{name}`"))?);
                }
            }
            "replace" => {
                for (pattern, with) in keys_of(value, &[], "replace")? {
                    regex::Regex::new(&pattern).map_err(|e| format!("replace `{pattern}`: {e}"))?;
                    s.replace.push((pattern, string(with, "replace")?));
                }
            }
            "names" => {
                for (kind, list) in keys_of(value, &["containers", "networks", "volumes", "images"], "names")? {
                    s.names.insert(kind, strings(list, "names")?);
                }
            }
            "files" => {
                for (path, content) in keys_of(value, &[], "files")? {
                    s.files.push((path, string(content, "files")?));
                }
            }
            "setup" => s.setup = strings(value, "setup")?,
            "steps" => {
                let Yaml::Array(items) = value else { return Err("steps: expected a list".into()) };
                for (n, item) in items.iter().enumerate() {
                    s.steps.push(step(item).map_err(|e| format!("step {}: {e}", n + 1))?);
                }
            }
            _ => {}
        }
    }
    if s.id.is_empty() || s.topic.is_empty() || s.steps.is_empty() {
        return Err("a scenario needs an id, a topic and steps".into());
    }
    Ok(s)
}

fn step(value: &Yaml) -> Result<Step, String> {
    let mut step = Step::default();
    for (key, value) in keys_of(value, STEP_KEYS, "step")? {
        match key.as_str() {
            "run" => step.run = string(value, "run")?,
            "exit" => step.exit = value.as_i64().ok_or("exit: expected a number")? as i32,
            "stdout" => step.stdout = Some(string(value, "stdout")?),
            "stderr" => step.stderr = Some(string(value, "stderr")?),
            "stdout_has" => step.stdout_has = strings(value, "stdout_has")?,
            "stderr_has" => step.stderr_has = strings(value, "stderr_has")?,
            "header" => step.header = Some(string(value, "header")?),
            "rows" => step.rows = Some(value.as_i64().ok_or("rows: expected a number")? as usize),
            "lines_matching" => {
                for (pattern, count) in keys_of(value, &[], "lines_matching")? {
                    regex::Regex::new(&pattern).map_err(|e| format!("lines_matching `{pattern}`: {e}"))?;
                    let count = count.as_i64().ok_or("lines_matching: expected a count")? as usize;
                    step.lines_matching.push((pattern, count));
                }
            }
            "podman_differs" => {
                for (observation, why) in keys_of(value, OBSERVATIONS, "podman_differs")? {
                    step.podman_differs.insert(observation, string(why, "podman_differs")?);
                }
            }
            _ => {}
        }
    }
    if step.run.is_empty() {
        return Err("no `run`".into());
    }
    Ok(step)
}
