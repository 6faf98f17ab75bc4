//! Commands that keep running until the learner presses Ctrl-C: `docker logs -f`, an attached
//! `docker run` of a server, `docker stats`, `docker events`, `docker wait`. The terminal calls
//! [`crate::Engine::tick`] as time passes and [`crate::Engine::interrupt`] on Ctrl-C.

use serde::{Deserialize, Serialize};

use crate::clock::{SimTime, SECOND};
use crate::outcome::Outcome;
use crate::world::World;

/// A view that is still producing output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LiveView {
    /// New log lines of a container. `attached`: an attached `docker run` — the container's exit
    /// ends the view with its status, and Ctrl-C is proxied to it as SIGINT.
    Logs { container: String, shown_until: SimTime, timestamps: bool, attached: bool, interrupted: bool },
    /// `docker stats`: the table, redrawn every second.
    Stats { containers: Vec<String>, all: bool, format: Option<String>, no_trunc: bool },
    /// `docker events`: new daemon events as they happen, through `--filter`s, until `--until`.
    Events { shown: usize, format: Option<String>, filters: Vec<(String, String)>, until: Option<SimTime> },
    /// `docker compose logs -f` and an attached `docker compose up`: containers' new lines
    /// prefixed `web-1  | `; `exited` lists containers whose exit was already reported; Ctrl-C
    /// on an attached `up` stops `stops` (every container the `up` started, in start order).
    /// `abort`: `--abort-on-container-exit` (the first exit stops the rest), with
    /// `--exit-code-from`'s container when given.
    ComposeLogs {
        containers: Vec<(String, String)>,
        width: usize,
        shown_until: SimTime,
        attached: bool,
        exited: Vec<String>,
        stops: Vec<String>,
        abort: Option<Option<String>>,
    },
    /// `docker wait`: ends when every listed container has stopped, printing exit codes.
    Wait { containers: Vec<String>, printed: usize },
}

/// Advances a live view by `millis` of simulated time; returns what it printed and whether it
/// has ended.
pub(crate) fn tick(world: &mut World, view: &mut LiveView, millis: u64) -> (Outcome, bool) {
    let mut outcome = Outcome::default();
    // Step a second at a time so a redrawn table or a log line appears at its own moment.
    let mut remaining = millis;
    let mut ended = false;
    while remaining > 0 && !ended {
        let step = remaining.min(SECOND);
        remaining -= step;
        outcome.events.extend(crate::runtime::advance(world, step));
        ended = step_view(world, view, &mut outcome);
    }
    if millis == 0 {
        ended = step_view(world, view, &mut outcome);
    }
    (outcome, ended)
}

/// One step of a view: what it prints, plus what it does to the world (an attached
/// `compose up --abort-on-container-exit` stops the project when one container exits).
fn step_view(world: &mut World, view: &mut LiveView, outcome: &mut Outcome) -> bool {
    if let LiveView::ComposeLogs { .. } = view {
        return crate::docker::compose_logs_step(world, view, outcome);
    }
    render(world, view, outcome)
}

/// Prints whatever the view has new; true when the view is over.
pub(crate) fn render(world: &World, view: &mut LiveView, outcome: &mut Outcome) -> bool {
    let now = world.now();
    match view {
        LiveView::Logs { container, shown_until, timestamps, attached, .. } => {
            let Some(found) = world.container(container) else {
                return true;
            };
            for entry in found.logs.iter().filter(|e| e.time > *shown_until && e.time <= now) {
                let text = if *timestamps { format!("{} {}", crate::docker::log_timestamp(entry.time), entry.text) } else { entry.text.clone() };
                if entry.stderr {
                    outcome.err(text);
                } else {
                    outcome.out(text);
                }
            }
            *shown_until = now;
            if found.run.is_none() && found.restart_at.is_none() {
                if *attached {
                    outcome.exit_code = found.state.exit_code;
                }
                return true;
            }
            false
        }
        LiveView::Stats { containers, all, format, no_trunc } => {
            outcome.events.push(crate::outcome::Event::Redraw);
            crate::docker::stats_table(world, containers, *all, format.as_deref(), *no_trunc, outcome);
            false
        }
        LiveView::Events { shown, format, filters, until } => {
            let events = world.daemon_events();
            for event in events.iter().skip(*shown) {
                if until.is_none_or(|u| event.time <= u) && crate::docker::event_matches(event, filters) {
                    outcome.out(crate::docker::event_line(event, format.as_deref()));
                }
            }
            *shown = events.len();
            until.is_some_and(|u| now >= u)
        }
        LiveView::ComposeLogs { .. } => crate::docker::compose_logs_render(world, view, outcome),
        LiveView::Wait { containers, printed } => {
            while let Some(id) = containers.get(*printed) {
                match world.container(id) {
                    Some(c) if c.run.is_some() || c.restart_at.is_some() => return false,
                    Some(c) => outcome.out(c.state.exit_code.to_string()),
                    None => {}
                }
                *printed += 1;
            }
            true
        }
    }
}

/// Ctrl-C: ends the view. An attached `docker run` first proxies SIGINT to its container; if
/// the container shuts down on it, the view runs on until it has.
pub(crate) fn interrupt(world: &mut World, view: &mut LiveView) -> (Outcome, bool) {
    let mut outcome = Outcome::default();
    if let LiveView::Logs { container, attached: true, interrupted, .. } = view {
        if !*interrupted {
            *interrupted = true;
            let id = container.clone();
            let _ = crate::runtime::kill(world, &id, 2);
            let ends_soon = world
                .container(&id)
                .and_then(|c| c.run.as_ref())
                .and_then(|r| r.exit)
                .is_some_and(|(t, _, _)| t.since(world.now()) <= 30 * SECOND);
            if ends_soon {
                let (more, _) = tick(world, view, 30 * SECOND);
                outcome.output.extend(more.output);
                outcome.events.extend(more.events);
                outcome.exit_code = more.exit_code;
                return (outcome, true);
            }
            outcome.err("whalebox: the container ignored SIGINT (its PID 1 has no handler for it); press Ctrl-C again to detach, it keeps running");
            return (outcome, false);
        }
    }
    if let LiveView::ComposeLogs { .. } = view {
        return (crate::docker::compose_interrupt(world, view), true);
    }
    outcome.exit_code = 130;
    (outcome, true)
}
