//! `docker volume create|ls|inspect|rm|prune`.

use serde_json::{json, Value};

use super::flags::{Args, CommandSpec, Parsed};
use super::system::human_size4;

use super::{template, Invocation};
use crate::outcome::Outcome;
use crate::table::render;
use crate::volume::Volume;
use crate::world::World;

macro_rules! spec {
    ($name:ident, $path:literal, $help:literal, $args:expr) => {
        pub const $name: CommandSpec = CommandSpec { path: $path, help: include_str!($help), args: $args, interspersed: true };
    };
}

spec!(GROUP, "docker volume", "help/volume.txt", Args::None);
spec!(CREATE, "docker volume create", "help/volume_create.txt", Args::AtMost(1));
spec!(LS, "docker volume ls", "help/volume_ls.txt", Args::None);
spec!(INSPECT, "docker volume inspect", "help/volume_inspect.txt", Args::AtLeast(1));
spec!(RM, "docker volume rm", "help/volume_rm.txt", Args::AtLeast(1));
spec!(PRUNE, "docker volume prune", "help/volume_prune.txt", Args::None);

/// `docker volume create` also takes a hidden, deprecated `--name NAME`: the words without it,
/// and the name it gave.
pub fn split_name_flag(words: &[String]) -> (Vec<String>, Option<String>) {
    let mut out = Vec::new();
    let mut named = None;
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if word == "--name" {
            named = iter.next().cloned();
        } else if let Some(value) = word.strip_prefix("--name=") {
            named = Some(value.to_string());
        } else {
            out.push(word.clone());
        }
    }
    (out, named)
}

pub fn create(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let name = match parsed.args.first().filter(|n| !n.is_empty()) {
        Some(name) => name.clone(),
        None => world.ids.hex_id(),
    };
    let driver = parsed.value("driver").unwrap_or("local");
    if driver != "local" {
        outcome.err(format!("Error response from daemon: create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found"));
        return outcome.fail(1);
    }
    if !Volume::valid_name(&name) {
        outcome.err(format!(
            "Error response from daemon: create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
        ));
        return outcome.fail(1);
    }
    // Creating a volume that exists hands back the existing one.
    if world.volume(&name).is_none() {
        let mut volume = Volume::new(&name, world.now(), false);
        volume.from_cli = true;
        for label in parsed.values("label") {
            let (key, value) = label.split_once('=').unwrap_or((label, ""));
            volume.labels.insert(key.to_string(), value.to_string());
        }
        for option in parsed.values("opt") {
            let (key, value) = option.split_once('=').unwrap_or((option, ""));
            volume.options.insert(key.to_string(), value.to_string());
        }
        world.volumes.push(volume);
        world.record_volume_event(&name, "create", &[]);
    }
    outcome.out(name);
    outcome
}

/// The daemon's `volume ls` filters.
fn matches_filters(world: &World, volume: &Volume, filters: &[(String, String)]) -> Result<bool, String> {
    for (key, value) in filters {
        let keep = match key.as_str() {
            "dangling" => {
                let dangling = match value.as_str() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(format!("invalid filter 'dangling={value}'")),
                };
                world.volume_users(&volume.name).is_empty() == dangling
            }
            "name" => volume.name.contains(value.as_str()),
            "driver" => value == "local",
            "label" => match value.split_once('=') {
                Some((k, v)) => volume.labels.get(k).is_some_and(|have| have == v),
                None => volume.labels.contains_key(value.as_str()),
            },
            other => return Err(format!("invalid filter '{other}'")),
        };
        if !keep {
            return Ok(false);
        }
    }
    Ok(true)
}

fn parse_filters(values: &[String]) -> Result<Vec<(String, String)>, String> {
    values
        .iter()
        .map(|spec| {
            spec.split_once('=')
                .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                .ok_or_else(|| format!("invalid argument \"{spec}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"))
        })
        .collect()
}

/// What `--format` templates see for one volume (the CLI's volume formatter; `json` prints its
/// fields in alphabetical order).
fn format_context(volume: &Volume) -> Value {
    let labels: Vec<String> = volume.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    json!({
        "Availability": "N/A",
        "Driver": "local",
        "Group": "N/A",
        "Labels": labels.join(","),
        "Links": "N/A",
        "Mountpoint": volume.mountpoint(),
        "Name": volume.name,
        "Scope": "local",
        "Size": "N/A",
        "Status": "N/A",
    })
}

pub fn ls(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let filters = match parse_filters(parsed.values("filter")) {
        Ok(filters) => filters,
        Err(message) => return super::flag_value_error(&LS, &message),
    };
    // The daemon checks the filters before it looks at any volume.
    if let Err(message) = matches_filters(world, &Volume::new("filter-check", world.now(), false), &filters) {
        outcome.err(format!("Error response from daemon: {message}"));
        return outcome.fail(1);
    }
    let mut volumes: Vec<&Volume> = Vec::new();
    for volume in world.volumes() {
        match matches_filters(world, volume, &filters) {
            Ok(true) => volumes.push(volume),
            Ok(false) => {}
            Err(message) => {
                outcome.err(format!("Error response from daemon: {message}"));
                return outcome.fail(1);
            }
        }
    }
    // The CLI sorts by name.
    volumes.sort_by(|a, b| a.name.cmp(&b.name));
    let format = parsed.value("format").filter(|f| !f.is_empty());
    if parsed.bool("quiet") {
        for volume in volumes {
            outcome.out(volume.name.clone());
        }
        return outcome;
    }
    let format = match format {
        None | Some("table") => "table {{.Driver}}\t{{.Name}}".to_string(),
        Some("json") => "{{json .}}".to_string(),
        Some(other) => other.to_string(),
    };
    let (table, body) = match template::table_format(&format) {
        Some(body) => (true, body.to_string()),
        None => (false, format.clone()),
    };
    let body = body.replace("\\t", "\t").replace("\\n", "\n");
    if let Err(error) = template::check(&body) {
        outcome.err(format!("template parsing error: {error}"));
        return outcome.fail(1);
    }
    let mut lines: Vec<String> = Vec::new();
    if table {
        let header = json!({"Name": "VOLUME NAME", "Driver": "DRIVER", "Scope": "SCOPE", "Mountpoint": "MOUNTPOINT", "Labels": "LABELS", "Links": "LINKS", "Size": "SIZE", "Group": "GROUP", "Availability": "AVAILABILITY", "Status": "STATUS"});
        if let Ok(text) = template::execute(&body, &header) {
            lines.push(text);
        }
    }
    for volume in volumes {
        match template::execute(&body, &format_context(volume)) {
            Ok(text) => lines.push(text),
            Err(error) => {
                outcome.err(format!("template parsing error: {error}"));
                return outcome.fail(1);
            }
        }
    }
    if table {
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(str::to_string).collect()).collect();
        for line in render(&cells) {
            outcome.out(line);
        }
    } else {
        for line in lines {
            outcome.out_block(&line);
        }
    }
    outcome
}

/// `docker volume inspect`'s JSON for one volume.
pub(crate) fn volume_json(volume: &Volume) -> Value {
    let map_or_null = |map: &std::collections::BTreeMap<String, String>| {
        if map.is_empty() && !volume.from_cli { Value::Null } else { json!(map) }
    };
    json!({
        "CreatedAt": volume.created.rfc3339(),
        "Driver": "local",
        "Labels": map_or_null(&volume.labels),
        "Mountpoint": volume.mountpoint(),
        "Name": volume.name,
        "Options": map_or_null(&volume.options),
        "Scope": "local",
    })
}

pub fn inspect(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut errors = Outcome::default();
    let mut found = Vec::new();
    for name in &parsed.args {
        match world.volume(name) {
            Some(volume) => found.push(volume_json(volume)),
            None => {
                errors.err(format!("Error response from daemon: get {name}: no such volume"));
                errors.exit_code = 1;
            }
        }
    }
    let mut result = Outcome::default();
    match parsed.value("format").filter(|f| !f.is_empty()) {
        // `--format json`: the array on one line.
        Some("json") => result.out(serde_json::to_string(&Value::Array(found)).unwrap_or_default()),
        Some(format) => {
            for value in &found {
                match template::execute_inspect(format, value) {
                    Ok(text) => result.out_block(&text),
                    Err(error) => {
                        result.err(error);
                        return result.fail(1);
                    }
                }
            }
        }
        None => result.out_block(&super::inspect::go_json(&Value::Array(found))),
    }
    result.output.append(&mut errors.output);
    result.exit_code = errors.exit_code;
    result
}

pub fn rm(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let force = parsed.bool("force");
    for name in &parsed.args {
        if world.volume(name).is_none() {
            // `-f` only quiets "no such volume".
            if !force {
                outcome.err(format!("Error response from daemon: get {name}: no such volume"));
                outcome.exit_code = 1;
            } else {
                outcome.out(name.clone());
            }
            continue;
        }
        let users = world.volume_users(name);
        if !users.is_empty() {
            outcome.err(format!("Error response from daemon: remove {name}: volume is in use - [{}]", users.join(" ")));
            outcome.exit_code = 1;
            continue;
        }
        world.volumes.retain(|v| v.name != *name);
        world.record_volume_event(name, "destroy", &[]);
        outcome.out(name.clone());
    }
    outcome
}

/// Removes unused volumes — anonymous ones only, unless `all` — and says which, with the bytes
/// freed. Shared with `docker system prune --volumes`.
pub(crate) fn prune_volumes(world: &mut World, all: bool, label_filters: &[(String, String)]) -> (Vec<String>, u64) {
    let doomed: Vec<(String, u64)> = world
        .volumes()
        .iter()
        .filter(|v| all || v.labels.contains_key(Volume::ANONYMOUS_LABEL))
        .filter(|v| world.volume_users(&v.name).is_empty())
        .filter(|v| matches_filters(world, v, label_filters).unwrap_or(false))
        .map(|v| (v.name.clone(), v.size()))
        .collect();
    let mut names = Vec::new();
    let mut reclaimed = 0;
    let mut doomed = doomed;
    // The daemon's volume store hands them out by name.
    doomed.sort();
    for (name, size) in doomed {
        world.volumes.retain(|v| v.name != name);
        world.record_volume_event(&name, "destroy", &[]);
        reclaimed += size;
        names.push(name);
    }
    (names, reclaimed)
}

pub fn prune(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let all = parsed.bool("all");
    let filters = match parse_filters(parsed.values("filter")) {
        Ok(filters) => filters,
        Err(message) => return super::flag_value_error(&PRUNE, &message),
    };
    if let Some((key, _)) = filters.iter().find(|(k, _)| !matches!(k.as_str(), "label" | "label!" | "all")) {
        outcome.err(format!("Error response from daemon: invalid filter '{key}'"));
        return outcome.fail(1);
    }
    if !parsed.bool("force") {
        outcome.out(if all {
            "WARNING! This will remove all local volumes not used by at least one container."
        } else {
            "WARNING! This will remove anonymous local volumes not used by at least one container."
        });
        outcome.out("Are you sure you want to continue? [y/N] ");
        return outcome.ask();
    }
    let labels: Vec<(String, String)> = filters.into_iter().filter(|(k, _)| k == "label").collect();
    let (names, reclaimed) = prune_volumes(world, all, &labels);
    if !names.is_empty() {
        outcome.out("Deleted Volumes:");
        for name in names {
            outcome.out(name);
        }
        outcome.out("");
    }
    outcome.out(format!("Total reclaimed space: {}", human_size4(reclaimed)));
    outcome
}
