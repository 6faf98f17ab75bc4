//! `docker inspect` and `docker image inspect`: Docker's JSON view of an object, or a field of it
//! through `--format`.

use serde_json::{json, Map, Value};

use super::flags::{Args, CommandSpec, Parsed};
use super::template;
use super::Invocation;
use crate::image::Image;
use crate::outcome::Outcome;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker inspect",
    help: include_str!("help/inspect.txt"),
    args: Args::AtLeast(1),
    interspersed: true,
};

pub const IMAGE_SPEC: CommandSpec = CommandSpec {
    path: "docker image inspect",
    help: include_str!("help/image_inspect.txt"),
    args: Args::AtLeast(1),
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    inspect_images(world, &parsed, |name| format!("Error: No such object: {name}"))
}

pub fn run_image(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    inspect_images(world, &parsed, |name| format!("Error response from daemon: No such image: {name}"))
}

/// Prints every named image; `missing` words the error for a name that matches nothing.
fn inspect_images(world: &World, parsed: &Parsed, missing: impl Fn(&str) -> String) -> Outcome {
    let mut outcome = Outcome::default();
    let mut objects = Vec::new();
    for name in &parsed.args {
        match world.find_image(name) {
            Some(image) => objects.push(image_json(world, image)),
            None => {
                outcome.err(missing(name));
                outcome.exit_code = 1;
            }
        }
    }
    print_objects(&mut outcome, &objects, parsed.value("format"));
    outcome
}

fn print_objects(outcome: &mut Outcome, objects: &[Value], format: Option<&str>) {
    match format {
        Some(format) if format != "json" => {
            for object in objects {
                match template::render(format, object) {
                    Ok(text) => outcome.out_block(&text),
                    Err(error) => {
                        outcome.err(error);
                        outcome.exit_code = 1;
                        return;
                    }
                }
            }
        }
        _ if objects.is_empty() && outcome.exit_code != 0 => outcome.out("[]"),
        _ => outcome.out_block(&go_json(&Value::Array(objects.to_vec()))),
    }
}

/// `json.MarshalIndent` with four spaces, and Go's escaping of `<`, `>` and `&`.
pub fn go_json(value: &Value) -> String {
    let mut bytes = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
    let _ = serde::Serialize::serialize(value, &mut serializer);
    String::from_utf8(bytes)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// An ordered JSON object (Docker's field order, not alphabetical).
struct Object(Vec<(&'static str, Value)>);

impl Object {
    fn into_value(self) -> Value {
        let mut map = Map::new();
        for (key, value) in self.0 {
            map.insert(key.to_string(), value);
        }
        Value::Object(map)
    }
}

fn image_json(world: &World, image: &Image) -> Value {
    let config = &image.config;
    let mut config_fields: Vec<(&'static str, Value)> = Vec::new();
    if !config.user.is_empty() {
        config_fields.push(("User", json!(config.user)));
    }
    if !config.exposed_ports.is_empty() {
        let ports: Map<String, Value> = config.exposed_ports.iter().map(|p| (p.clone(), json!({}))).collect();
        config_fields.push(("ExposedPorts", Value::Object(ports)));
    }
    if !config.env.is_empty() {
        config_fields.push(("Env", json!(config.env)));
    }
    if let Some(entrypoint) = &config.entrypoint {
        config_fields.push(("Entrypoint", json!(entrypoint)));
    }
    if let Some(cmd) = &config.cmd {
        config_fields.push(("Cmd", json!(cmd)));
    }
    if !config.volumes.is_empty() {
        let volumes: Map<String, Value> = config.volumes.iter().map(|v| (v.clone(), json!({}))).collect();
        config_fields.push(("Volumes", Value::Object(volumes)));
    }
    if !config.working_dir.is_empty() {
        config_fields.push(("WorkingDir", json!(config.working_dir)));
    }
    if !config.labels.is_empty() {
        config_fields.push(("Labels", json!(config.labels)));
    }
    if let Some(signal) = &config.stop_signal {
        config_fields.push(("StopSignal", json!(signal)));
    }
    if let Some(check) = &config.healthcheck {
        let nanos = |millis: u64| millis * 1_000_000;
        let mut fields = vec![("Test", json!(check.test))];
        if check.interval > 0 {
            fields.push(("Interval", json!(nanos(check.interval))));
        }
        if check.timeout > 0 {
            fields.push(("Timeout", json!(nanos(check.timeout))));
        }
        if check.start_period > 0 {
            fields.push(("StartPeriod", json!(nanos(check.start_period))));
        }
        if check.retries > 0 {
            fields.push(("Retries", json!(check.retries)));
        }
        config_fields.push(("Healthcheck", Object(fields).into_value()));
    }
    if !config.on_build.is_empty() {
        config_fields.push(("OnBuild", json!(config.on_build)));
    }
    if let Some(shell) = &config.shell {
        config_fields.push(("Shell", json!(shell)));
    }
    let comment = image.history.last().map(|h| h.comment.clone()).unwrap_or_default();
    let hex = crate::ids::digest_hex(&image.id);
    let layers: Vec<&String> = image.layers.iter().collect();
    let _ = world;
    Object(vec![
        ("Id", json!(image.id)),
        ("RepoTags", json!(image.repo_tags)),
        ("RepoDigests", json!(image.repo_digests)),
        ("Parent", json!("")),
        ("Comment", json!(comment)),
        ("Created", json!(image.created.rfc3339())),
        ("DockerVersion", json!("")),
        ("Author", json!("")),
        ("Config", Object(config_fields).into_value()),
        ("Architecture", json!(config.architecture)),
        ("Os", json!(config.os)),
        ("Size", json!(image.size)),
        (
            "GraphDriver",
            Object(vec![
                (
                    "Data",
                    Object(vec![
                        ("MergedDir", json!(format!("/var/lib/docker/overlay2/{}/merged", &hex[..25.min(hex.len())]))),
                        ("UpperDir", json!(format!("/var/lib/docker/overlay2/{}/diff", &hex[..25.min(hex.len())]))),
                        ("WorkDir", json!(format!("/var/lib/docker/overlay2/{}/work", &hex[..25.min(hex.len())]))),
                    ])
                    .into_value(),
                ),
                ("Name", json!("overlay2")),
            ])
            .into_value(),
        ),
        ("RootFS", Object(vec![("Type", json!("layers")), ("Layers", json!(layers))]).into_value()),
        ("Metadata", Object(vec![("LastTagTime", json!("0001-01-01T00:00:00Z"))]).into_value()),
    ])
    .into_value()
}

pub const CONTAINER_SPEC: CommandSpec = CommandSpec {
    path: "docker container inspect",
    help: include_str!("help/container_inspect.txt"),
    args: Args::AtLeast(1),
    interspersed: true,
};

pub fn run_container(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    run(world, invocation, parsed)
}
