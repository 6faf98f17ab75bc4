//! `docker start|stop|kill|restart|pause|unpause|rm|rename|wait`: lifecycle transitions, each
//! with the daemon's refusal when the container is in the wrong state.

use super::flags::{Args, CommandSpec, Parsed};
use super::{usage_error, Invocation};
use crate::live::LiveView;
use crate::outcome::Outcome;
use crate::runtime;
use crate::world::World;

macro_rules! spec {
    ($name:ident, $path:literal, $help:literal, $args:expr) => {
        pub const $name: CommandSpec = CommandSpec { path: $path, help: include_str!($help), args: $args, interspersed: true };
    };
}

spec!(START, "docker start", "help/start.txt", Args::AtLeast(1));
spec!(STOP, "docker stop", "help/stop.txt", Args::AtLeast(1));
spec!(KILL, "docker kill", "help/kill.txt", Args::AtLeast(1));
spec!(RESTART, "docker restart", "help/restart.txt", Args::AtLeast(1));
spec!(PAUSE, "docker pause", "help/pause.txt", Args::AtLeast(1));
spec!(UNPAUSE, "docker unpause", "help/unpause.txt", Args::AtLeast(1));
spec!(RM, "docker rm", "help/rm.txt", Args::AtLeast(1));
spec!(RENAME, "docker rename", "help/rename.txt", Args::Exactly(2));
spec!(WAIT, "docker wait", "help/wait.txt", Args::AtLeast(1));

/// The container `text` names, or Docker's `No such container` error.
pub(crate) fn resolve(world: &World, text: &str) -> Result<String, String> {
    world
        .find_container(text)
        .map(|c| c.id.clone())
        .ok_or_else(|| format!("Error response from daemon: No such container: {text}"))
}

/// Runs `action` on each named container: successes print the name as typed, failures print the
/// daemon's error; the status is 1 if any failed.
fn each(
    world: &mut World,
    names: &[String],
    outcome: &mut Outcome,
    mut action: impl FnMut(&mut World, &str, &str, &mut Outcome) -> Result<(), String>,
) {
    for name in names {
        let result = resolve(world, name).and_then(|id| action(world, &id, name, outcome));
        match result {
            Ok(()) => outcome.out(name.clone()),
            Err(message) => {
                outcome.err(message);
                outcome.exit_code = 1;
            }
        }
    }
}

fn timeout(parsed: &Parsed, spec: &CommandSpec) -> Result<Option<i64>, Outcome> {
    match parsed.value("timeout") {
        Some(text) => text.parse::<i64>().map(Some).map_err(|_| {
            usage_error(
                spec,
                &super::flags::UsageError::Flag(format!(
                    "invalid argument \"{text}\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax"
                )),
            )
        }),
        None => Ok(None),
    }
}

fn signal(parsed: &Parsed, default: Option<&str>) -> Result<Option<i32>, String> {
    match parsed.value("signal").or(default) {
        Some(text) => runtime::parse_signal(text).map(Some).ok_or_else(|| format!("invalid signal: {text}")),
        None => Ok(None),
    }
}

pub fn start(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let attach = parsed.bool("attach");
    let mut failed = Vec::new();
    for name in &parsed.args {
        let id = match resolve(world, name) {
            Ok(id) => id,
            Err(message) => {
                outcome.err(message);
                failed.push(name.clone());
                continue;
            }
        };
        if world.container(&id).is_some_and(|c| c.run.is_some()) {
            if !attach {
                outcome.out(name.clone());
            }
            continue;
        }
        match runtime::start(world, &id) {
            Ok(events) => {
                outcome.events.extend(events);
                if attach {
                    let since = world.now();
                    outcome.live = Some(LiveView::Logs { container: id, shown_until: since, timestamps: false, attached: true, interrupted: false });
                    let (more, ended) = crate::live::tick(world, outcome.live.as_mut().expect("just set"), 0);
                    outcome.output.extend(more.output);
                    if ended {
                        outcome.live = None;
                        outcome.exit_code = more.exit_code;
                    }
                    return outcome;
                }
                outcome.out(name.clone());
            }
            Err(failure) => {
                outcome.err(format!("Error response from daemon: {}", failure.message));
                failed.push(name.clone());
            }
        }
    }
    if !failed.is_empty() {
        outcome.err(format!("Error: failed to start containers: {}", failed.join(", ")));
        outcome.exit_code = 1;
    }
    outcome
}

pub fn stop(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let timeout = match timeout(&parsed, &STOP) {
        Ok(timeout) => timeout,
        Err(failed) => return failed,
    };
    let signal = match signal(&parsed, None) {
        Ok(signal) => signal,
        Err(message) => {
            outcome.err(format!("Error response from daemon: {message}"));
            return outcome.fail(1);
        }
    };
    each(world, &parsed.args, &mut outcome, |world, id, name, outcome| {
        let signal = signal.or_else(|| stop_signal(world, id));
        let events = runtime::stop(world, id, timeout, signal).map_err(|e| format!("Error response from daemon: cannot stop container: {name}: {e}"))?;
        outcome.events.extend(events);
        Ok(())
    });
    outcome
}

/// The container's `--stop-signal`, else its image's `STOPSIGNAL`.
fn stop_signal(world: &World, id: &str) -> Option<i32> {
    let container = world.container(id)?;
    let text = container
        .config
        .stop_signal
        .clone()
        .or_else(|| world.image(&container.image_id).and_then(|i| i.config.stop_signal.clone()))?;
    runtime::parse_signal(&text)
}

pub fn kill(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let signal = match signal(&parsed, Some("KILL")) {
        Ok(signal) => signal.unwrap_or(9),
        Err(message) => {
            outcome.err(format!("Error response from daemon: {message}"));
            return outcome.fail(1);
        }
    };
    each(world, &parsed.args, &mut outcome, |world, id, name, outcome| {
        let events = runtime::kill(world, id, signal).map_err(|e| format!("Error response from daemon: cannot kill container: {name}: {e}"))?;
        outcome.events.extend(events);
        Ok(())
    });
    outcome
}

pub fn restart(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let timeout = match timeout(&parsed, &RESTART) {
        Ok(timeout) => timeout,
        Err(failed) => return failed,
    };
    each(world, &parsed.args, &mut outcome, |world, id, name, outcome| {
        if world.container(id).is_some_and(|c| c.is_paused()) {
            runtime::unpause(world, id).map_err(|e| format!("Error response from daemon: {e}"))?;
        }
        let signal = stop_signal(world, id);
        let events = runtime::stop(world, id, timeout, signal).map_err(|e| format!("Error response from daemon: cannot restart container: {name}: {e}"))?;
        outcome.events.extend(events);
        let events = runtime::start(world, id).map_err(|f| format!("Error response from daemon: cannot restart container: {name}: {}", f.message))?;
        world.record_event(id, "restart", &[]);
        outcome.events.extend(events);
        Ok(())
    });
    outcome
}

pub fn pause(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    each(world, &parsed.args, &mut outcome, |world, id, _, _| runtime::pause(world, id).map_err(|e| format!("Error response from daemon: {e}")));
    outcome
}

pub fn unpause(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    each(world, &parsed.args, &mut outcome, |world, id, _, _| runtime::unpause(world, id).map_err(|e| format!("Error response from daemon: {e}")));
    outcome
}

pub fn rm(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let force = parsed.bool("force");
    // `-v`: the container's anonymous volumes go with it; named ones stay.
    let remove_volumes = parsed.bool("volumes");
    each(world, &parsed.args, &mut outcome, |world, id, name, outcome| {
        let Some(container) = world.container(id) else { return Ok(()) };
        if container.run.is_some() || container.restart_at.is_some() {
            if !force {
                let why = if container.is_paused() {
                    "container is paused and must be unpaused first"
                } else if container.restart_at.is_some() && container.run.is_none() {
                    "container is restarting: stop the container before removing or force remove"
                } else {
                    "container is running: stop the container before removing or force remove"
                };
                return Err(format!("Error response from daemon: cannot remove container \"{name}\": {why}"));
            }
            if container.is_paused() {
                let _ = runtime::unpause(world, id);
            }
            if world.container(id).is_some_and(|c| c.run.is_some()) {
                if let Ok(events) = runtime::kill(world, id, 9) {
                    outcome.events.extend(events);
                }
            }
        }
        if world.container(id).is_some() {
            if remove_volumes {
                world.remove_anonymous_volumes(id);
            }
            world.remove_container(id);
            world.record_event(id, "destroy", &[]);
        }
        Ok(())
    });
    outcome
}

pub fn rename(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let [old, new] = parsed.args.as_slice() else { return outcome };
    let id = match resolve(world, old) {
        Ok(id) => id,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    if world.container(&id).is_some_and(|c| c.name == new.trim_start_matches('/')) {
        outcome.err("Error response from daemon: Renaming a container with the same name as its current name");
        return outcome.fail(1);
    }
    if let Err(message) = super::run::check_name(world, new) {
        outcome.err(message);
        return outcome.fail(1);
    }
    world.rename_container(&id, new.trim_start_matches('/'));
    world.record_event(&id, "rename", &[]);
    outcome
}

pub fn wait(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let mut ids = Vec::new();
    for name in &parsed.args {
        match resolve(world, name) {
            Ok(id) => ids.push(id),
            Err(message) => {
                outcome.err(message);
                outcome.exit_code = 1;
            }
        }
    }
    let mut view = LiveView::Wait { containers: ids, printed: 0 };
    if !crate::live::render(world, &mut view, &mut outcome) {
        outcome.live = Some(view);
    }
    outcome
}
