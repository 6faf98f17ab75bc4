//! From compose files to a project: read, interpolate, `include`, `extends`, merge override
//! files, validate, name the project, canonicalise and type it — with compose-go's errors.

use std::collections::BTreeMap;

use super::canonical;
use super::dotenv;
use super::interpolate::Substitution;
use super::model::Project;
use super::validate;
use super::yaml::{self, Value};

/// Reads a file of the learner's host by absolute path.
pub type Reader<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What `docker compose` was told.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Absolute paths of the compose files (`-f`), first one decides the project directory.
    pub files: Vec<String>,
    /// `-p`/`--project-name`.
    pub project_name: Option<String>,
    /// `--project-directory`.
    pub project_directory: Option<String>,
    /// The client's environment (the simulated shell exports none by default).
    pub env: BTreeMap<String, String>,
    /// `--profile` (and `COMPOSE_PROFILES`).
    pub profiles: Vec<String>,
    /// `config --no-consistency`: skip the cross-reference checks.
    pub skip_consistency: bool,
    /// `--env-file` (absolute paths): read instead of the project directory's `.env`.
    pub env_files: Vec<String>,
}

/// A loaded project: typed, its canonical tree (what `config` prints) and warnings to show.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub project: Project,
    pub canonical: Value,
    pub warnings: Vec<String>,
}

/// A load failure, worded as `docker compose` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(message: impl Into<String>) -> Result<T, LoadError> {
    Err(LoadError(message.into()))
}

pub fn dir_of(path: &str) -> String {
    crate::fs::parent(path).to_string()
}

/// The files compose looks for when no `-f` is given, in its order.
pub const DEFAULT_FILES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/// compose-go's `NormalizeProjectName`: lowercase, keep `[a-z0-9_-]`, no leading `_`/`-`.
pub fn normalize_project_name(text: &str) -> String {
    let kept: String = text.to_lowercase().chars().filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-').collect();
    kept.trim_start_matches(['_', '-']).to_string()
}

fn valid_project_name(name: &str) -> bool {
    !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) && normalize_project_name(name) == name
}

fn invalid_project_name(name: &str) -> LoadError {
    LoadError(format!(
        "invalid project name {}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number",
        super::interpolate::go_quote(name)
    ))
}

struct Loader<'a, 'w> {
    read: Reader<'a>,
    env: BTreeMap<String, String>,
    warnings: &'w mut Vec<String>,
}

pub fn load(options: &Options, read: Reader<'_>) -> Result<Loaded, LoadError> {
    load_with_warnings(options, read).0
}

/// `load`, and the warnings compose printed on the way even when loading then failed.
pub fn load_with_warnings(options: &Options, read: Reader<'_>) -> (Result<Loaded, LoadError>, Vec<String>) {
    let mut warnings = Vec::new();
    let result = load_into(options, read, &mut warnings);
    (result, warnings)
}

fn load_into(options: &Options, read: Reader<'_>, warnings: &mut Vec<String>) -> Result<Loaded, LoadError> {
    let Some(first) = options.files.first() else {
        return err("no configuration file provided: not found");
    };
    let working_dir = options.project_directory.clone().unwrap_or_else(|| dir_of(first));
    // `.env` in the project directory feeds interpolation; the client's own variables win.
    let mut env = BTreeMap::new();
    let default_dotenv = format!("{}/.env", working_dir.trim_end_matches('/'));
    let (dotenv_files, required) = if options.env_files.is_empty() { (vec![default_dotenv], false) } else { (options.env_files.clone(), true) };
    for path in dotenv_files {
        match read(&path) {
            Some(text) => {
                let mut lookup = env.clone();
                lookup.extend(options.env.clone());
                env.extend(dotenv::parse(&text, &lookup).map_err(|e| LoadError(format!("failed to read {path}: {e}")))?);
            }
            None if required => return err(format!("couldn't find env file: {path}")),
            None => {}
        }
    }
    env.extend(options.env.clone());
    // compose-go puts the project's name in the interpolation environment.
    if !env.contains_key("COMPOSE_PROJECT_NAME") {
        let named = options.project_name.clone().or_else(|| {
            options.files.iter().rev().find_map(|file| {
                let text = read(file)?;
                let name = yaml::parse(&text).ok()?.get("name")?.as_text()?.to_string();
                Substitution::new(&env).substitute(&name).ok().filter(|n| !n.is_empty())
            })
        });
        let base = working_dir.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
        let name = named.unwrap_or_else(|| normalize_project_name(base));
        if !name.is_empty() {
            env.insert("COMPOSE_PROJECT_NAME".into(), name);
        }
    }
    let mut loader = Loader { read, env, warnings };

    let mut merged: Option<Value> = None;
    for file in &options.files {
        let Some(model) = loader.file(file, &mut vec![])? else { continue };
        merged = Some(match merged {
            None => model,
            Some(base) => merge(base, model, ""),
        });
    }
    let Some(merged) = merged else { return err("empty compose file") };
    let mut dict = merged.strip_tags();
    if dict.as_map().is_some_and(|m| m.is_empty()) {
        return err("empty compose file");
    }
    validate::schema(&dict).map_err(|e| LoadError(format!("validating {first}: {e}")))?;
    if dict.get("version").is_some() {
        for file in &options.files {
            loader.warnings.push(format!(
                "{file}: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion"
            ));
        }
        dict.remove("version");
    }
    let name = project_name(options, &loader.env, &dict, &working_dir)?;
    let canonical = canonical::canonical(&dict, &name, &working_dir, &loader.env, loader.read)?;
    // `--profile`, else `COMPOSE_PROFILES` (from the environment or `.env`).
    let mut profiles = options.profiles.clone();
    if profiles.is_empty() {
        if let Some(list) = loader.env.get("COMPOSE_PROFILES") {
            profiles = list.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect();
        }
    }
    let project = canonical::project(&canonical, &name, &working_dir, &profiles)?;
    if !options.skip_consistency {
        validate::consistency(&project)?;
    }
    Ok(Loaded { project, canonical, warnings: loader.warnings.clone() })
}

/// -p, then `COMPOSE_PROJECT_NAME`, then the top-level `name:`, then the directory's name.
fn project_name(options: &Options, env: &BTreeMap<String, String>, dict: &Value, working_dir: &str) -> Result<String, LoadError> {
    if let Some(name) = &options.project_name {
        return if valid_project_name(name) { Ok(name.clone()) } else { Err(invalid_project_name(name)) };
    }
    if let Some(name) = env.get("COMPOSE_PROJECT_NAME").filter(|n| !n.is_empty()) {
        return if valid_project_name(name) { Ok(name.clone()) } else { Err(invalid_project_name(name)) };
    }
    if let Some(name) = dict.get("name").and_then(Value::as_text).filter(|n| !n.is_empty()) {
        return if valid_project_name(name) { Ok(name.to_string()) } else { Err(invalid_project_name(name)) };
    }
    let base = working_dir.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let name = normalize_project_name(base);
    if name.is_empty() {
        return err("project name must not be empty");
    }
    Ok(name)
}

impl Loader<'_, '_> {
    /// One file: parsed, interpolated, its includes and extends applied. `None` when empty.
    fn file(&mut self, path: &str, including: &mut Vec<String>) -> Result<Option<Value>, LoadError> {
        if including.iter().any(|p| p == path) {
            including.push(path.to_string());
            return err(format!("include cycle detected:\n{}\n include {}", including[0], including[1..].join("\n include ")));
        }
        if path.contains("://") || path.starts_with("remote:") {
            return err(format!("open {path}: no such file or directory"));
        }
        let Some(text) = (self.read)(path) else {
            return err(format!("open {path}: no such file or directory"));
        };
        let value = yaml::parse(&text).map_err(|e| LoadError(format!("failed to parse {path}: {}", e.0)))?;
        let mut value = match value {
            Value::Null => return Ok(None),
            Value::Map(_) => value,
            _ => return err("top-level object must be a mapping"),
        };
        let mut substitution = Substitution::new(&self.env);
        substitution.value(&mut value).map_err(|e| LoadError(e.to_string()))?;
        for name in substitution.unset {
            self.warnings.push(format!("The \"{name}\" variable is not set. Defaulting to a blank string."));
        }
        let dir = dir_of(path);
        if let Some(include) = value.remove("include") {
            including.push(path.to_string());
            self.include(&mut value, &include, &dir, including)?;
            including.pop();
        }
        self.extends(&mut value, path, &mut Vec::new())?;
        Ok(Some(value))
    }

    /// `include:` — each listed file's resources join this file's; a conflict is an error.
    fn include(&mut self, value: &mut Value, include: &Value, dir: &str, including: &mut Vec<String>) -> Result<(), LoadError> {
        let Some(entries) = include.as_seq() else {
            return err(format!("`include` must be a list, got {}", include.as_text().unwrap_or("a mapping")));
        };
        for entry in entries {
            let paths: Vec<String> = match entry {
                Value::Scalar { text, .. } => vec![text.clone()],
                Value::Map(_) => match entry.get("path") {
                    Some(Value::Scalar { text, .. }) => vec![text.clone()],
                    Some(Value::Seq(items)) => items.iter().filter_map(Value::as_text).map(str::to_string).collect(),
                    _ => return err("include.path is required"),
                },
                _ => return err("`include` must be a list"),
            };
            let mut imported: Option<Value> = None;
            for p in paths {
                let full = crate::fs::normalize(&p, dir);
                if let Some(mut model) = self.file(&full, including)? {
                    let base = match entry.get("project_directory").and_then(Value::as_text) {
                        Some(d) => crate::fs::normalize(d, dir),
                        None => dir_of(&full),
                    };
                    if let Some(Value::Map(services)) = model.get_mut("services") {
                        for (_, service) in services.iter_mut() {
                            absolutize(service, &base);
                        }
                    }
                    imported = Some(match imported {
                        None => model,
                        Some(base) => merge(base, model, ""),
                    });
                }
            }
            let Some(imported) = imported else { continue };
            for section in ["services", "networks", "volumes", "secrets", "configs"] {
                let Some(Value::Map(items)) = imported.get(section).cloned() else { continue };
                if value.get(section).is_none() {
                    value.set(section, Value::Map(Vec::new()));
                }
                let Some(target) = value.get_mut(section) else { continue };
                for (name, item) in items {
                    if let Some(existing) = target.get(&name) {
                        if *existing != item {
                            return err(format!("imported compose file {} defines conflicting service {name}", include_label(entry)));
                        }
                        continue;
                    }
                    target.set(&name, item);
                }
            }
        }
        Ok(())
    }

    /// `extends:` on every service of `value` (a file at `path`).
    fn extends(&mut self, value: &mut Value, path: &str, chain: &mut Vec<String>) -> Result<(), LoadError> {
        let Some(services) = value.get("services").cloned() else { return Ok(()) };
        let Value::Map(entries) = &services else { return Ok(()) };
        let mut resolved = Vec::new();
        for (name, service) in entries {
            resolved.push((name.clone(), self.extend_service(&services, name, service, path, chain)?));
        }
        value.set("services", Value::Map(resolved));
        Ok(())
    }

    fn extend_service(&mut self, services: &Value, name: &str, service: &Value, path: &str, chain: &mut Vec<String>) -> Result<Value, LoadError> {
        let Some(extends) = service.get("extends") else { return Ok(service.clone()) };
        let (base_name, file) = match extends {
            Value::Scalar { text, .. } => (text.clone(), None),
            Value::Map(_) => match extends.get("service").and_then(Value::as_text) {
                Some(s) => (s.to_string(), extends.get("file").and_then(Value::as_text).map(str::to_string)),
                None => return err(format!("extends.{name}.service is required")),
            },
            _ => return err(format!("services.{name}.extends must be a mapping")),
        };
        // compose-go's cycle tracker: `Circular reference:` then `  a in FILE`, `  extends b in FILE`…
        let key = format!("{name} in {path}");
        if chain.contains(&key) {
            chain.push(key);
            return err(format!("Circular reference:\n  {}", chain.join("\n  extends ")));
        }
        chain.push(key);
        let base = match &file {
            None => {
                let Some(base) = services.get(&base_name) else {
                    return err(format!("cannot extend service \"{name}\" in {path}: service \"{base_name}\" not found"));
                };
                self.extend_service(services, &base_name, base, path, chain)?
            }
            Some(file) => {
                let full = crate::fs::normalize(file, &dir_of(path));
                if file.starts_with("remote:") || file.contains("://") {
                    return err(format!("cannot read {file}"));
                }
                let Some(text) = (self.read)(&full) else {
                    return err(format!("cannot read {full}"));
                };
                let mut other = yaml::parse(&text).map_err(|e| LoadError(format!("failed to parse {full}: {}", e.0)))?;
                Substitution::new(&self.env).value(&mut other).map_err(|e| LoadError(e.to_string()))?;
                let Some(other_services) = other.get("services").cloned() else {
                    return err(format!("cannot extend service \"{name}\" in {full}: no services section"));
                };
                let Some(base) = other_services.get(&base_name).cloned() else {
                    return err(format!("cannot extend service \"{name}\" in {full}: service \"{base_name}\" not found"));
                };
                let mut base = self.extend_service(&other_services, &base_name, &base, &full, chain)?;
                absolutize(&mut base, &dir_of(&full));
                base
            }
        };
        chain.pop();
        let mut overlay = service.clone();
        overlay.remove("extends");
        let mut base = base;
        base.remove("extends");
        Ok(merge(base, overlay, "services.x"))
    }
}

fn include_label(entry: &Value) -> String {
    match entry {
        Value::Scalar { text, .. } => text.clone(),
        _ => entry.get("path").and_then(Value::as_text).unwrap_or_default().to_string(),
    }
}

/// A service read from another file keeps its relative paths pointing next to that file.
fn absolutize(service: &mut Value, from: &str) {
    let fix = |text: &mut String| {
        if !text.starts_with('/') && !text.contains("://") {
            *text = crate::fs::normalize(text, from);
        }
    };
    match service.get_mut("build") {
        Some(Value::Scalar { text, .. }) => fix(text),
        Some(build @ Value::Map(_)) => match build.get_mut("context") {
            Some(Value::Scalar { text, .. }) => fix(text),
            None => build.set("context", Value::str(from)),
            _ => {}
        },
        _ => {}
    }
    match service.get_mut("env_file") {
        Some(Value::Seq(files)) => {
            for file in files {
                match file {
                    Value::Scalar { text, .. } => fix(text),
                    Value::Map(_) => {
                        if let Some(Value::Scalar { text, .. }) = file.get_mut("path") {
                            fix(text);
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(Value::Scalar { text, .. }) => fix(text),
        _ => {}
    }
    if let Some(Value::Seq(volumes)) = service.get_mut("volumes") {
        for volume in volumes {
            if let Value::Scalar { text, .. } = volume {
                if text.starts_with('.') {
                    let (source, rest) = text.split_once(':').unwrap_or((text.as_str(), ""));
                    let mut source = source.to_string();
                    fix(&mut source);
                    *text = if rest.is_empty() { source } else { format!("{source}:{rest}") };
                }
            }
        }
    }
}

/// Keys whose sequences an override replaces instead of extending.
const REPLACED: [&str; 5] = ["command", "entrypoint", "test", "profiles", "cap_drop"];

/// compose-go's override merge: mappings merge key by key, most sequences append without
/// duplicates, scalars and command-like sequences are replaced; `!reset` removes, `!override`
/// replaces outright.
pub fn merge(base: Value, overlay: Value, key: &str) -> Value {
    let last = key.rsplit('.').next().unwrap_or(key);
    match (base, overlay) {
        (_, Value::Override(inner)) => *inner,
        (Value::Map(mut entries), Value::Map(over)) => {
            for (k, v) in over {
                if v == Value::Reset {
                    entries.retain(|(e, _)| *e != k);
                    continue;
                }
                match entries.iter().position(|(e, _)| *e == k) {
                    Some(index) => {
                        let old = std::mem::replace(&mut entries[index].1, Value::Null);
                        entries[index].1 = merge(old, v, &format!("{key}.{k}"));
                    }
                    None => entries.push((k, v)),
                }
            }
            Value::Map(entries)
        }
        (Value::Seq(mut items), Value::Seq(over)) if !REPLACED.contains(&last) => {
            if matches!(last, "environment" | "labels") {
                return merge(list_to_map(Value::Seq(items)), list_to_map(Value::Seq(over)), key);
            }
            for item in over {
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            Value::Seq(items)
        }
        (base @ Value::Map(_), over @ Value::Seq(_)) | (base @ Value::Seq(_), over @ Value::Map(_))
            if matches!(last, "environment" | "labels" | "depends_on" | "networks") =>
        {
            merge(list_to_map(base), list_to_map(over), key)
        }
        (_, over) => over,
    }
}

/// `[A=1, B]` → `{A: "1", B: null}`; `[db, cache]` → `{db: null, cache: null}`.
pub fn list_to_map(value: Value) -> Value {
    match value {
        Value::Seq(items) => Value::Map(
            items
                .into_iter()
                .filter_map(|item| {
                    let text = item.as_text()?.to_string();
                    Some(match text.split_once('=') {
                        Some((k, v)) => (k.to_string(), Value::str(v)),
                        None => (text, Value::Null),
                    })
                })
                .collect(),
        ),
        other => other,
    }
}
