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

/// Prints the log lines of `targets` written in `(after, until]`, merged by time; returns
/// whether any line was printed.
fn print_between(world: &World, targets: &[(String, String)], width: usize, after: Option<SimTime>, until: SimTime, prefix: bool, outcome: &mut Outcome) {
    let mut lines: Vec<(SimTime, usize, usize, bool, String)> = Vec::new();
    for (order, (id, name)) in targets.iter().enumerate() {
        let Some(container) = world.container(id) else { continue };
        for (index, entry) in container.logs.iter().enumerate() {
            if entry.time <= until && after.is_none_or(|a| entry.time > a) {
                let text = if prefix { format!("{name:<width$} | {}", entry.text) } else { entry.text.clone() };
                lines.push((entry.time, order, index, entry.stderr, text));
            }
        }
    }
    lines.sort_by_key(|(time, order, index, _, _)| (*time, *order, *index));
    for (_, _, _, _, text) in lines {
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
    print_between(world, &targets, width, None, now, prefix, &mut outcome);
    if parsed.bool("follow") {
        outcome.live = Some(LiveView::ComposeLogs { containers: targets, width, shown_until: now, attached: false, exited: Vec::new() });
    }
    outcome
}

/// After an attached `up`: `Attaching to …`, the logs so far, and a live view of the rest.
pub(super) fn attach(world: &mut World, project: &Project, services: &[String], outcome: &mut Outcome) {
    let targets = targets(world, project, services);
    let names: Vec<&str> = targets.iter().map(|(_, n)| n.as_str()).collect();
    outcome.out(format!("Attaching to {}", names.join(", ")));
    let width = width(&targets);
    let now = world.now();
    let mut view = LiveView::ComposeLogs { containers: targets, width, shown_until: SimTime(0), attached: true, exited: Vec::new() };
    let ended = render(world, &mut view, outcome);
    if let LiveView::ComposeLogs { shown_until, .. } = &mut view {
        *shown_until = now;
    }
    if !ended {
        outcome.live = Some(view);
    }
}

/// Prints what is new in a compose log view; true when every container has stopped.
pub(crate) fn render(world: &World, view: &mut LiveView, outcome: &mut Outcome) -> bool {
    let LiveView::ComposeLogs { containers, width, shown_until, attached, exited } = view else { return true };
    let now = world.now();
    let after = if shown_until.0 == 0 { None } else { Some(*shown_until) };
    print_between(world, containers, *width, after, now, true, outcome);
    *shown_until = now;
    let mut all_stopped = true;
    for (id, name) in containers.iter() {
        let Some(container) = world.container(id) else { continue };
        let stopped = container.run.is_none();
        if stopped && !exited.contains(id) && container.state.started_at.is_some() {
            exited.push(id.clone());
            if *attached {
                let restarting = if container.restart_at.is_some() { " (restarting)" } else { "" };
                outcome.out(format!("{name} exited with code {}{restarting}", container.state.exit_code));
            }
        } else if !stopped {
            exited.retain(|e| e != id);
        }
        if !stopped || container.restart_at.is_some() {
            all_stopped = false;
        }
    }
    all_stopped
}

/// Ctrl-C in an attached `up`: compose stops the project's containers and exits 0.
pub(crate) fn interrupt(world: &mut World, view: &LiveView) -> Outcome {
    let mut outcome = Outcome::default();
    let LiveView::ComposeLogs { containers, attached: true, .. } = view else {
        outcome.exit_code = 130;
        return outcome;
    };
    outcome.out("Gracefully Stopping... press Ctrl+C again to force");
    let ids: Vec<String> = containers.iter().map(|(id, _)| id.clone()).collect();
    let mut progress = super::progress::Progress::default();
    super::lifecycle::stop_all(world, &ids, &mut progress);
    progress.render(&mut outcome);
    outcome
}
