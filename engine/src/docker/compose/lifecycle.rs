//! `docker compose stop`, `start`, `restart`, `kill` and `rm`: the plain container operations over the
//! project's containers, in dependency order, with Compose's progress lines.

use super::progress::Progress;
use super::up::start_order;
use super::{containers, failure, service_of, Context, Parsed};
use crate::outcome::Outcome;
use crate::runtime;
use crate::world::World;

/// The project's containers for the services asked for, dependencies first.
fn ordered(world: &World, context: &Context, services: &[String]) -> Result<Vec<String>, Outcome> {
    let project = &context.loaded.project;
    for name in services {
        if !project.services.contains_key(name) {
            return Err(failure(format!("no such service: {name}")));
        }
    }
    let names: Vec<String> = if services.is_empty() { project.services.keys().cloned().collect() } else { services.to_vec() };
    let order = start_order(project, &names);
    let all = containers(world, &project.name);
    let mut ids = Vec::new();
    for service in &order {
        ids.extend(all.iter().filter(|c| service_of(c) == service).map(|c| c.id.clone()));
    }
    // Containers of services no longer in the file (orphans) are left alone here.
    Ok(ids)
}

/// Stops containers (dependents first) with each one's stop timeout.
pub(super) fn stop_all(world: &mut World, ids: &[String], progress: &mut Progress) {
    for id in ids.iter().rev() {
        let Some(container) = world.container(id) else { continue };
        let label = format!("Container {}", container.name);
        if !container.is_running() {
            continue;
        }
        let started = world.now();
        let timeout = container.config.stop_timeout;
        let signal = container.config.stop_signal.as_deref().and_then(runtime::parse_signal);
        let _ = runtime::stop(world, id, timeout, signal);
        progress.event(label, "Stopped", started, world.now());
    }
}

pub(super) fn stop(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let ids = match ordered(world, context, &parsed.args) {
        Ok(ids) => ids,
        Err(failed) => return failed,
    };
    let mut progress = Progress::default();
    if let Some(timeout) = parsed.value("timeout").and_then(|t| t.parse::<i64>().ok()) {
        for id in ids.iter().rev() {
            let Some(container) = world.container(id) else { continue };
            if !container.is_running() {
                continue;
            }
            let label = format!("Container {}", container.name);
            let started = world.now();
            let _ = runtime::stop(world, id, Some(timeout), None);
            progress.event(label, "Stopped", started, world.now());
        }
    } else {
        stop_all(world, &ids, &mut progress);
    }
    let mut outcome = Outcome::default();
    progress.render(&mut outcome);
    outcome
}

pub(super) fn start(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let ids = match ordered(world, context, &parsed.args) {
        Ok(ids) => ids,
        Err(failed) => return failed,
    };
    let mut outcome = Outcome::default();
    if ids.is_empty() {
        return failure("service \"\" has no container to start");
    }
    let mut progress = Progress::default();
    for id in &ids {
        let Some(container) = world.container(id) else { continue };
        if container.is_running() {
            continue;
        }
        let label = format!("Container {}", container.name);
        let started = world.now();
        if !start_one(world, id, label, started, &mut progress, &mut outcome) {
            return outcome.fail(1);
        }
    }
    progress.render(&mut outcome);
    outcome
}

/// Starts container `id` and reports it as `Started`; on failure renders the progress so far and
/// the daemon's error, and returns false.
fn start_one(world: &mut World, id: &str, label: String, started: crate::clock::SimTime, progress: &mut Progress, outcome: &mut Outcome) -> bool {
    match runtime::start(world, id) {
        Ok(events) => outcome.events.extend(events),
        Err(failure) => {
            progress.fail(label, "Error", world.now());
            progress.render(outcome);
            outcome.err(format!("Error response from daemon: {}", failure.message));
            return false;
        }
    }
    runtime::advance(world, crate::clock::SECOND * 3 / 10);
    progress.event(label, "Started", started, world.now());
    true
}

pub(super) fn restart(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let ids = match ordered(world, context, &parsed.args) {
        Ok(ids) => ids,
        Err(failed) => return failed,
    };
    let timeout = parsed.value("timeout").and_then(|t| t.parse::<i64>().ok());
    let mut outcome = Outcome::default();
    let mut progress = Progress::default();
    for id in &ids {
        let Some(container) = world.container(id) else { continue };
        let label = format!("Container {}", container.name);
        let started = world.now();
        if container.is_running() {
            let timeout = timeout.or(container.config.stop_timeout);
            let _ = runtime::stop(world, id, timeout, None);
        }
        if !start_one(world, id, label, started, &mut progress, &mut outcome) {
            return outcome.fail(1);
        }
    }
    progress.render(&mut outcome);
    outcome
}

pub(super) fn kill(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let ids = match ordered(world, context, &parsed.args) {
        Ok(ids) => ids,
        Err(failed) => return failed,
    };
    let signal_text = parsed.value("signal").unwrap_or("SIGKILL");
    let Some(signal) = runtime::parse_signal(signal_text) else {
        return failure(format!("Error response from daemon: invalid signal: {signal_text}"));
    };
    let mut outcome = Outcome::default();
    let mut progress = Progress::default();
    for id in ids.iter().rev() {
        let Some(container) = world.container(id) else { continue };
        if !container.is_running() {
            continue;
        }
        let label = format!("Container {}", container.name);
        let started = world.now();
        match runtime::kill(world, id, signal) {
            Ok(events) => outcome.events.extend(events),
            Err(message) => {
                progress.fail(label, "Error", world.now());
                progress.render(&mut outcome);
                outcome.err(format!("Error response from daemon: {message}"));
                return outcome.fail(1);
            }
        }
        progress.event(label, "Killed", started, world.now());
    }
    progress.render(&mut outcome);
    outcome
}

/// `rm`: stopped containers only (`-s` stops them first). The simulated terminal cannot answer
/// compose's `Are you sure? [yN]`, so `rm` removes as with `-f` after saying what goes.
pub(super) fn rm(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let ids = match ordered(world, context, &parsed.args) {
        Ok(ids) => ids,
        Err(failed) => return failed,
    };
    let mut outcome = Outcome::default();
    let mut progress = Progress::default();
    if parsed.bool("stop") {
        stop_all(world, &ids, &mut progress);
    }
    let stopped: Vec<(String, String)> = ids
        .iter()
        .filter_map(|id| world.container(id))
        .filter(|c| !c.is_running())
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    if stopped.is_empty() {
        outcome.out("No stopped containers");
        return outcome;
    }
    if !parsed.bool("force") {
        let names: Vec<&str> = stopped.iter().map(|(_, n)| n.as_str()).collect();
        outcome.out(format!("Going to remove {}", names.join(", ")));
    }
    for (id, name) in stopped {
        let started = world.now();
        world.remove_container(&id);
        world.record_event(&id, "destroy", &[]);
        progress.event(format!("Container {name}"), "Removed", started, world.now());
    }
    progress.render(&mut outcome);
    outcome
}
