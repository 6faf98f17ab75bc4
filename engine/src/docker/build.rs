//! `docker build` (BuildKit through buildx, as Docker 28 ships it): flags into a build request,
//! the report into BuildKit's progress output.

use std::collections::BTreeMap;

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::build::{self, BuildRequest};
use crate::fs::normalize;
use crate::outcome::Outcome;
use crate::reference::{Reference, ReferenceError};
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker buildx build",
    help: include_str!("help/build.txt"),
    args: Args::AtLeast(0),
    interspersed: true,
};

pub fn run(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if parsed.args.len() != 1 {
        outcome.err("ERROR: \"docker buildx build\" requires exactly 1 argument.");
        outcome.err("See 'docker buildx build --help'.");
        outcome.err("");
        outcome.err(format!("Usage:  {}", SPEC.usage_line()));
        outcome.err("");
        outcome.err("Start a build");
        return outcome.fail(1);
    }
    let mut tags = Vec::new();
    for tag in parsed.values("tag") {
        match Reference::parse_normalized(tag) {
            Ok(reference) if reference.digest.is_none() => tags.push(reference.with_default_tag()),
            Ok(_) | Err(ReferenceError::InvalidFormat) | Err(ReferenceError::NameTooLong) => {
                outcome.err(format!("ERROR: invalid tag \"{tag}\": invalid reference format"));
                return outcome.fail(1);
            }
            Err(ReferenceError::Uppercase(_)) => {
                outcome.err(format!("ERROR: invalid tag \"{tag}\": repository name must be lowercase"));
                return outcome.fail(1);
            }
        }
    }
    let mut build_args = BTreeMap::new();
    for entry in parsed.values("build-arg") {
        // `--build-arg NAME` takes the value from the client's environment, which is empty here.
        if let Some((name, value)) = entry.split_once('=') {
            build_args.insert(name.to_string(), value.to_string());
        }
    }
    let mut secrets = BTreeMap::new();
    for spec in parsed.values("secret") {
        let fields: BTreeMap<&str, &str> = spec.split(',').filter_map(|f| f.split_once('=')).collect();
        let Some(id) = fields.get("id") else {
            outcome.err(format!("ERROR: failed to parse secret: secret id is required: {spec}"));
            return outcome.fail(1);
        };
        let source = fields.get("src").or(fields.get("source")).copied().unwrap_or(id);
        let path = normalize(source, &invocation.cwd);
        match world.host_files().read_text(&path) {
            Ok(text) => {
                secrets.insert(id.to_string(), text.to_string());
            }
            Err(_) => {
                outcome.err(format!("ERROR: failed to stat {path}: stat {path}: no such file or directory"));
                return outcome.fail(1);
            }
        }
    }
    let progress = match (parsed.bool("quiet"), parsed.value("progress").unwrap_or("auto")) {
        (true, _) | (_, "quiet") => build::Progress::Quiet,
        (_, "plain" | "rawjson") => build::Progress::Plain,
        (_, "auto" | "tty") => build::Progress::Tty,
        (_, other) => {
            outcome.err(format!("ERROR: invalid progress mode \"{other}\""));
            return outcome.fail(1);
        }
    };
    let context_dir = normalize(&parsed.args[0], &invocation.cwd);
    let dockerfile = match parsed.value("file") {
        Some(file) => normalize(file, &invocation.cwd),
        None => format!("{}/Dockerfile", context_dir.trim_end_matches('/')),
    };
    let request = BuildRequest {
        context_dir,
        dockerfile,
        tags,
        build_args,
        no_cache: parsed.bool("no-cache"),
        target: parsed.value("target").map(str::to_string),
        pull: parsed.bool("pull"),
        platform: parsed.value("platform").map(str::to_string),
        secrets,
        network_none: parsed.value("network") == Some("none"),
    };
    let dockerfile_path = request.dockerfile.clone();
    let report = build::build(world, &request);
    outcome.events.extend(report.events.iter().cloned());
    world.last_build = Some(crate::world::LastBuild { dockerfile: dockerfile_path, events: report.events.clone() });
    let failed = report.error.is_some();
    match progress {
        build::Progress::Quiet => {}
        build::Progress::Plain => {
            for line in build::render_plain(&report) {
                outcome.err(line);
            }
        }
        build::Progress::Tty => {
            if !report.vertices.is_empty() {
                for line in build::render_tty(&report) {
                    outcome.err(line);
                }
            }
        }
    }
    if let Some(error) = &report.error {
        if progress != build::Progress::Quiet && !report.error_context.is_empty() {
            for line in &report.error_context {
                outcome.err(line.clone());
            }
        }
        if error.starts_with("unable to prepare context") {
            outcome.err(format!("ERROR: {error}"));
        } else {
            outcome.err(format!("ERROR: failed to build: {error}"));
        }
        return outcome.fail(1);
    }
    for warning in &report.warnings {
        outcome.err(warning.clone());
    }
    if progress == build::Progress::Quiet {
        if let Some(id) = &report.image_id {
            outcome.out(id.clone());
        }
    }
    debug_assert!(!failed);
    outcome
}

pub const PRUNE_SPEC: CommandSpec = CommandSpec {
    path: "docker builder prune",
    help: include_str!("help/builder_prune.txt"),
    args: Args::None,
    interspersed: true,
};

/// `docker builder prune -f`: drops the build cache, so the next build runs every step.
pub fn prune(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if !parsed.bool("force") {
        outcome.out("WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ");
        return outcome.ask();
    }
    let freed = world.build_cache.clear();
    outcome.out(format!("Total:\t{}", crate::table::human_size(freed)));
    outcome
}
