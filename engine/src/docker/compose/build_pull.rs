//! `docker compose build` and `pull`: each service's image through `docker build` (tagged
//! `<project>-<service>`) or the registry pull the plain `docker pull` uses.

use super::progress::Progress;
use super::up::{ensure_images, image_name, selection};
use super::{Context, Parsed};
use crate::compose::model::{Project, Service};
use crate::outcome::Outcome;
use crate::world::World;

/// Builds one service's image with BuildKit, as `docker build -t IMAGE -f DOCKERFILE CONTEXT`.
pub(super) fn build_service(world: &mut World, context: &Context, project: &Project, service: &Service, outcome: &mut Outcome) -> Result<(), String> {
    let Some(build) = &service.build else { return Ok(()) };
    let mut words = vec!["-t".to_string(), image_name(project, service)];
    words.push("-f".into());
    words.push(crate::fs::normalize(&build.dockerfile, &build.context));
    if let Some(target) = &build.target {
        words.push("--target".into());
        words.push(target.clone());
    }
    for (key, value) in &build.args {
        if let Some(value) = value {
            words.push("--build-arg".into());
            words.push(format!("{key}={value}"));
        }
    }
    words.push(build.context.clone());
    let parsed = super::super::build::SPEC.parse(&words).map_err(|_| format!("failed to build service {}", service.name))?;
    let built = super::super::build::run(world, context.invocation, parsed);
    let failed = built.exit_code != 0;
    for line in built.output {
        outcome.err(line.text);
    }
    outcome.events.extend(built.events);
    if failed {
        return Err(format!("failed to solve: service \"{}\" failed to build", service.name));
    }
    Ok(())
}

pub(super) fn build(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let project = &context.loaded.project;
    let selected = match selection(project, &parsed.args, false) {
        Ok(selected) => selected,
        Err(failed) => return failed,
    };
    let mut outcome = Outcome::default();
    for name in selected {
        let Some(service) = project.services.get(&name) else { continue };
        if let Err(message) = build_service(world, context, project, service, &mut outcome) {
            outcome.err(message);
            return outcome.fail(1);
        }
    }
    outcome
}

pub(super) fn pull(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let project = &context.loaded.project;
    let selected = match selection(project, &parsed.args, false) {
        Ok(selected) => selected,
        Err(failed) => return failed,
    };
    let mut outcome = Outcome::default();
    // `pull` fetches even what is present; built-only services are skipped.
    let mut forced = project.clone();
    for service in forced.services.values_mut() {
        if service.image.is_some() {
            service.pull_policy = Some("always".into());
            service.build = None;
        }
    }
    let pullable: Vec<String> = selected.into_iter().filter(|s| forced.services.get(s).is_some_and(|s| s.image.is_some())).collect();
    let _ = Progress::default();
    if let Err(message) = ensure_images(world, context, &forced, &pullable, false, &mut outcome) {
        outcome.err(message);
        return outcome.fail(1);
    }
    outcome
}
