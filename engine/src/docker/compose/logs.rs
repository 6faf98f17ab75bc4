//! `docker compose logs` and the attached `up` view: every container's lines prefixed with its
//! service name (`web-1  | …`), merged in time order, with `exited with code N` notices.

use super::{containers, failure, number_of, service_of, Context, Parsed};
use crate::clock::SimTime;
use crate::compose::model::Project;
use crate::live::LiveView;
use crate::outcome::Outcome;
use crate::world::World;

/// The `(container id, prefix name)` pairs for the services asked for (all when none are).
fn targets(world: &World, project: &Project, services: &[String]) -> Vec<(String, String)> {
    containers(world, &project.name)
        .into_iter()
        .filter(|c| services.is_empty() || services.iter().any(|s| s == service_of(c)))
        .map(|c| (c.id.clone(), format!("{}-{}", service_of(c), number_of(c))))
        .collect()
}

fn width(targets: &[(String, String)]) -> usize {
    targets.iter().map(|(_, n)| n.len()).max().unwrap_or(0) + 1
}

/// Prints the log lines of `targets` written in `(after, until]`, merged by time. With `exits`,
/// a container that stopped in that window gets compose's `web-1 exited with code N` notice at
/// its place in time (and is remembered there, so it is told once).
fn print_between(world: &World, targets: &[(String, String)], width: usize, after: Option<SimTime>, until: SimTime, prefix: bool, mut exits: Option<&mut Vec<String>>, outcome: &mut Outcome) {
    let mut lines: Vec<(SimTime, usize, usize, String)> = Vec::new();
    for (order, (id, name)) in targets.iter().enumerate() {
        let Some(container) = world.container(id) else { continue };
        for (index, entry) in container.logs.iter().enumerate() {
            if entry.time <= until && after.is_none_or(|a| entry.time > a) {
                let text = if prefix { format!("{name:<width$} | {}", entry.text) } else { entry.text.clone() };
                lines.push((entry.time, order, index, text));
            }
        }
        if let Some(exits) = exits.as_deref_mut() {
            let stopped = container.run.is_none() && container.state.started_at.is_some();
            if stopped && !exits.contains(id) {
                exits.push(id.clone());
                let restarting = if container.restart_at.is_some() { " (restarting)" } else { "" };
                let at = container.state.finished_at.unwrap_or(until);
                lines.push((at, order, usize::MAX, format!("{name} exited with code {}{restarting}", container.state.exit_code)));
            } else if !stopped {
                exits.retain(|e| e != id);
            }
        }
    }
    lines.sort_by_key(|(time, order, index, _)| (*time, *order, *index));
    for (_, _, _, text) in lines {
        // Compose copies both streams to its own stdout.
        outcome.out(text);
    }
}

pub(super) fn run(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let project = &context.loaded.project;
    for name in &parsed.args {
        if !project.services.contains_key(name) {
            return failure(format!("no such service: {name}"));
        }
    }
    let targets = targets(world, project, &parsed.args);
    let width = width(&targets);
    let prefix = !parsed.bool("no-log-prefix");
    let mut outcome = Outcome::default();
    let now = world.now();
    print_between(world, &targets, width, None, now, prefix, None, &mut outcome);
    if parsed.bool("follow") {
        outcome.live = Some(LiveView::ComposeLogs { containers: targets, width, shown_until: now, attached: false, exited: Vec::new(), stops: Vec::new(), abort: None });
    }
    outcome
}

/// After an attached `up`: `Attaching to …`, the logs so far, and a live view of the rest.
pub(super) fn attach(world: &mut World, project: &Project, services: &[String], started: &[String], abort: Option<Option<String>>, outcome: &mut Outcome) {
    let ordered = super::up::start_order(project, services);
    let mut targets = Vec::new();
    for service in &ordered {
        targets.extend(self::targets(world, project, std::slice::from_ref(service)));
    }
    let names: Vec<&str> = targets.iter().map(|(_, n)| n.as_str()).collect();
    outcome.out(format!("Attaching to {}", names.join(", ")));
    let width = width(&targets);
    let now = world.now();
    let mut stops = Vec::new();
    for service in super::up::start_order(project, started) {
        stops.extend(self::targets(world, project, std::slice::from_ref(&service)).into_iter().map(|(id, _)| id));
    }
    // `--exit-code-from SERVICE` names a service: its (first) container's ID.
    let abort = abort.map(|from| from.and_then(|service| self::targets(world, project, std::slice::from_ref(&service)).into_iter().next().map(|(id, _)| id)));
    let mut view = LiveView::ComposeLogs { containers: targets, width, shown_until: SimTime(0), attached: true, exited: Vec::new(), stops, abort };
    let ended = step(world, &mut view, outcome);
    if let LiveView::ComposeLogs { shown_until, .. } = &mut view {
        *shown_until = now;
    }
    if !ended {
        outcome.live = Some(view);
    }
}

/// Prints what is new in a compose log view; true when every container has stopped.
pub(crate) fn render(world: &World, view: &mut LiveView, outcome: &mut Outcome) -> bool {
    let LiveView::ComposeLogs { containers, width, shown_until, attached, exited, .. } = view else { return true };
    let now = world.now();
    let after = if shown_until.0 == 0 { None } else { Some(*shown_until) };
    let exits = if *attached { Some(exited) } else { None };
    print_between(world, containers, *width, after, now, true, exits, outcome);
    *shown_until = now;
    containers.iter().all(|(id, _)| world.container(id).is_none_or(|c| c.run.is_none() && c.restart_at.is_none()))
}

/// A live step: print what is new; under `--abort-on-container-exit`, the first container to
/// exit stops the others and ends `up` (with `--exit-code-from`'s container's status).
pub(crate) fn step(world: &mut World, view: &mut LiveView, outcome: &mut Outcome) -> bool {
    let ended = render(world, view, outcome);
    let LiveView::ComposeLogs { exited, stops, abort: Some(from), .. } = view else { return ended };
    let Some(first) = exited.first().cloned() else { return ended };
    outcome.out("Aborting on container exit...");
    let ids = stops.clone();
    let mut progress = super::progress::Progress::default();
    super::lifecycle::stop_all(world, &ids, &mut progress);
    progress.render(outcome);
    let status_of = from.clone().unwrap_or(first);
    outcome.exit_code = world.container(&status_of).map_or(0, |c| c.state.exit_code);
    true
}

/// Ctrl-C in an attached `up`: compose stops the project's containers and exits 0.
pub(crate) fn interrupt(world: &mut World, view: &LiveView) -> Outcome {
    let mut outcome = Outcome::default();
    let LiveView::ComposeLogs { stops, attached: true, .. } = view else {
        outcome.exit_code = 130;
        return outcome;
    };
    outcome.out("Gracefully Stopping... press Ctrl+C again to force");
    // Dependents stop first: `stops` is in start order.
    let ids: Vec<String> = stops.clone();
    let mut progress = super::progress::Progress::default();
    super::lifecycle::stop_all(world, &ids, &mut progress);
    progress.render(&mut outcome);
    outcome
}
