//! `docker compose down`: stop and remove the project's containers, then its networks; `-v`
//! its named volumes, `--rmi` its images, `--remove-orphans` containers of vanished services.

use super::progress::Progress;
use super::up::{image_name, start_order};
use super::{all_containers, containers, failure, service_of, Context, Parsed};
use crate::outcome::Outcome;
use crate::runtime;
use crate::world::World;

pub(super) fn run(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let project = &context.loaded.project;
    if let Some(rmi) = parsed.value("rmi") {
        if !matches!(rmi, "all" | "local") {
            return failure(format!("invalid value for --rmi: {rmi}"));
        }
    }
    let names: Vec<String> = project.services.keys().chain(project.disabled.keys()).cloned().collect();
    let order = start_order(project, &names);
    let mut ids: Vec<String> = Vec::new();
    let current = containers(world, &project.name);
    for service in &order {
        ids.extend(current.iter().filter(|c| service_of(c) == service).map(|c| c.id.clone()));
    }
    let orphans: Vec<String> = all_containers(world, &project.name)
        .iter()
        .filter(|c| !names.iter().any(|n| n == service_of(c)))
        .map(|c| c.id.clone())
        .collect();
    let mut outcome = Outcome::default();
    if !orphans.is_empty() && !parsed.bool("remove-orphans") {
        let names: Vec<String> = orphans.iter().filter_map(|id| world.container(id)).map(|c| c.name.clone()).collect();
        outcome.err(format!(
            "WARN[0000] Found orphan containers ([{}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.",
            names.join(" ")
        ));
    }
    if parsed.bool("remove-orphans") {
        ids.splice(0..0, orphans);
    }
    let timeout = parsed.value("timeout").and_then(|t| t.parse::<i64>().ok());
    let mut progress = Progress::default();
    // Dependents go first.
    for id in ids.iter().rev() {
        let Some(container) = world.container(id) else { continue };
        let label = format!("Container {}", container.name);
        let started = world.now();
        if container.is_running() {
            let signal = container.config.stop_signal.as_deref().and_then(runtime::parse_signal);
            let timeout = timeout.or(container.config.stop_timeout);
            progress.event(label.clone(), "Stopping", started, started);
            let _ = runtime::stop(world, id, timeout, signal);
            progress.event(label.clone(), "Stopped", started, world.now());
        }
        // `down -v` takes the containers' anonymous volumes with them, as `rm -v` does.
        if parsed.bool("volumes") {
            world.remove_anonymous_volumes(id);
        }
        world.remove_container(id);
        world.record_event(id, "destroy", &[]);
        progress.event(label, "Removed", started, world.now());
    }
    for network in project.networks.values() {
        if network.external {
            continue;
        }
        let Some(found) = world.networks().iter().find(|n| n.name == network.name) else { continue };
        let label = format!("Network {}", network.name);
        let started = world.now();
        if !found.endpoints.is_empty() {
            progress.fail(label, "Resource is still in use", started);
            continue;
        }
        world.networks.retain(|n| n.name != network.name);
        world.clock.advance(crate::clock::SECOND / 10);
        progress.event(label, "Removed", started, world.now());
    }
    if parsed.bool("volumes") {
        for volume in project.volumes.values().filter(|v| !v.external) {
            let started = world.now();
            if super::volumes::remove_project_volume(world, &volume.name) {
                progress.event(format!("Volume {}", volume.name), "Removed", started, world.now());
            }
        }
    }
    if let Some(rmi) = parsed.value("rmi") {
        for service in project.services.values() {
            if rmi == "local" && service.image.is_some() {
                continue;
            }
            let image = image_name(project, service);
            let Ok(words) = super::super::rmi::SPEC.parse(std::slice::from_ref(&image)) else { continue };
            let started = world.now();
            let removed = super::super::rmi::run(world, context.invocation, words);
            if removed.exit_code == 0 {
                progress.event(format!("Image {image}"), "Removed", started, world.now());
            }
        }
    }
    progress.render(&mut outcome);
    outcome
}
