//! The container runtime: containers as processes over simulated time. Starting one runs its
//! program eagerly into a [`container::Run`] (what it prints when, when it ends, how it answers
//! signals, its memory curve); [`advance`] then moves the clock, applying whatever falls due on
//! the way — exits, OOM kills, health probes, restarts with Docker's back-off, `stop`'s SIGKILL.

pub mod container;
pub mod disk;
pub mod health;
pub mod launch;
pub mod mounts;

use crate::clock::{SimTime, SECOND};
use crate::outcome::Event;
use crate::programs::SignalResponse;
use crate::world::World;

use container::{ExitCause, Status};

pub use launch::{ExecOptions, StartFailure, HOST_MEMORY};

/// Signal numbers Docker accepts by name (`docker kill -s`, `--stop-signal`, `STOPSIGNAL`).
const SIGNALS: &[(&str, i32)] = &[
    ("HUP", 1), ("INT", 2), ("QUIT", 3), ("ILL", 4), ("TRAP", 5), ("ABRT", 6), ("BUS", 7), ("FPE", 8),
    ("KILL", 9), ("USR1", 10), ("SEGV", 11), ("USR2", 12), ("PIPE", 13), ("ALRM", 14), ("TERM", 15),
    ("STKFLT", 16), ("CHLD", 17), ("CONT", 18), ("STOP", 19), ("TSTP", 20), ("TTIN", 21), ("TTOU", 22),
    ("URG", 23), ("XCPU", 24), ("XFSZ", 25), ("VTALRM", 26), ("PROF", 27), ("WINCH", 28), ("IO", 29),
    ("PWR", 30), ("SYS", 31),
];

/// Parses `SIGTERM`, `TERM`, `term` or `15`; `None` for anything else (Docker: `invalid signal`).
pub fn parse_signal(text: &str) -> Option<i32> {
    if let Ok(number) = text.parse::<i32>() {
        return (1..=64).contains(&number).then_some(number);
    }
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    SIGNALS.iter().find(|(n, _)| *n == name).map(|(_, number)| *number)
}

/// `SIGTERM` for 15.
pub fn signal_name(number: i32) -> String {
    SIGNALS.iter().find(|(_, n)| *n == number).map_or_else(|| number.to_string(), |(name, _)| format!("SIG{name}"))
}

/// A program's shutdown lines, written from `now` on, with the moment and signal filled in.
fn signal_lines(lines: &[crate::programs::TimedLine], now: SimTime, signal: i32) -> Vec<container::LogEntry> {
    let name = signal_name(signal);
    lines
        .iter()
        .map(|line| {
            let time = now.plus(line.at);
            container::LogEntry { time, stderr: line.stderr, text: crate::programs::render_signal_line(&line.text, time.0, &name) }
        })
        .collect()
}

/// Something due to happen to one container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Exit,
    Oom,
    Kill,
    Probe,
    Restart,
    ExecEnd,
    /// The host ran out of memory: the kernel's OOM killer takes the biggest process.
    HostOom,
}

/// What the host's own processes (systemd, dockerd, containerd, the learner's shell) use.
pub const HOST_BASE_MEMORY: u64 = 620_000_000;

/// Host memory in use at `now`: the base plus every container.
pub fn host_memory_used(world: &World, now: SimTime) -> u64 {
    HOST_BASE_MEMORY + world.containers().iter().map(|c| c.memory_usage(now)).sum::<u64>()
}

/// When containers without limits, still growing, will have used up the host's memory, and the
/// container the OOM killer would then pick (the largest).
fn host_oom_due(world: &World) -> Option<(SimTime, usize)> {
    let now = world.now();
    let used = host_memory_used(world, now);
    let biggest = world
        .containers()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.run.is_some())
        .max_by_key(|(i, c)| (c.memory_usage(now), usize::MAX - i))
        .map(|(i, _)| i)?;
    if used > HOST_MEMORY {
        return Some((now, biggest));
    }
    let rate: u64 = world
        .containers()
        .iter()
        .filter_map(|c| {
            let run = c.run.as_ref().filter(|r| r.paused_since.is_none())?;
            let curve = run.service.as_ref()?.memory;
            let at_ceiling = curve.ceiling.is_some_and(|ceiling| curve.at(now.since(run.service_began)) >= ceiling);
            let limited = c.host_config.memory > 0;
            (!at_ceiling && !limited).then_some(curve.growth_per_minute)
        })
        .sum();
    if rate == 0 {
        return None;
    }
    let missing = (HOST_MEMORY - used) as u128 + 1;
    let after = ((missing * 60_000).div_ceil(rate as u128)).max(1) as u64;
    Some((now.plus(after), biggest))
}

/// The earliest thing due across all containers at or before `until` (ties: creation order).
fn next_due(world: &World, until: SimTime) -> Option<(SimTime, usize, Due)> {
    let mut best: Option<(SimTime, usize, Due)> = None;
    for (index, container) in world.containers().iter().enumerate() {
        let mut consider = |time: Option<SimTime>, due: Due| {
            if let Some(time) = time {
                if time <= until && best.is_none_or(|(t, _, _)| time < t) {
                    best = Some((time, index, due));
                }
            }
        };
        consider(container.restart_at, Due::Restart);
        if let Some(run) = &container.run {
            if run.paused_since.is_some() {
                // A frozen cgroup: nothing inside runs, not even probes. `stop` still kills.
                consider(run.kill_at, Due::Kill);
                continue;
            }
            consider(run.exit.map(|e| e.0), Due::Exit);
            consider(run.oom_at, Due::Oom);
            consider(run.kill_at, Due::Kill);
            consider(run.next_probe, Due::Probe);
            consider(run.exec_ends.iter().filter_map(|e| e.1).min(), Due::ExecEnd);
        }
    }
    if let Some((time, index)) = host_oom_due(world) {
        if time <= until && best.is_none_or(|(t, _, _)| time < t) {
            best = Some((time, index, Due::HostOom));
        }
    }
    best
}

/// Moves simulated time forward by `millis`, applying everything that falls due on the way.
/// Returns the events that happened.
pub fn advance(world: &mut World, millis: u64) -> Vec<Event> {
    let target = world.now().plus(millis);
    advance_to(world, target)
}

pub fn advance_to(world: &mut World, target: SimTime) -> Vec<Event> {
    let mut events = Vec::new();
    let mut restarts: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    // Each step moves time or ends a process; the bound only guards against a modelling bug.
    for _ in 0..1_000_000 {
        let Some((time, index, due)) = next_due(world, target) else { break };
        world.clock.advance_to(time);
        let Some(id) = world.containers().get(index).map(|c| c.id.clone()) else { break };
        if due == Due::Restart {
            let count = restarts.entry(id.clone()).or_default();
            *count += 1;
            if *count > FAST_FORWARD_AFTER && fast_forward_crash_loop(world, &id, target) {
                continue;
            }
        }
        apply(world, &id, due, &mut events);
    }
    world.clock.advance_to(target);
    events
}

/// Restarts of one container within one stretch of time after which a steady crash loop is
/// fast-forwarded instead of run restart by restart.
const FAST_FORWARD_AFTER: u32 = 20;

/// A container crash-looping at the restart manager's one-minute ceiling does the same thing
/// every cycle: skip whole cycles up to shortly before `target`, counting them in
/// `RestartCount` (their output is not repeated in the log).
/// Returns whether it skipped anything (the restart then happens later, at its new time).
fn fast_forward_crash_loop(world: &mut World, id: &str, target: SimTime) -> bool {
    let Some(container) = world.container_mut(id) else { return false };
    if container.restart_backoff < 60 * SECOND {
        return false;
    }
    let (Some(restart_at), Some(started), Some(finished)) = (container.restart_at, container.state.started_at, container.state.finished_at) else {
        return false;
    };
    let cycle = container.restart_backoff + finished.since(started).max(1);
    let skipped = target.since(restart_at) / cycle;
    if skipped < 2 {
        return false;
    }
    let skipped = skipped - 1;
    let shift = skipped * cycle;
    container.restart_count = container.restart_count.saturating_add(skipped as u32);
    container.restart_at = Some(restart_at.plus(shift));
    container.state.finished_at = Some(finished.plus(shift));
    container.state.started_at = Some(started.plus(shift));
    true
}

fn apply(world: &mut World, id: &str, due: Due, events: &mut Vec<Event>) {
    let now = world.now();
    match due {
        Due::Exit => {
            let Some((_, code, cause)) = world.container(id).and_then(|c| c.run.as_ref()).and_then(|r| r.exit) else { return };
            finish(world, id, code, false, cause == ExitCause::Natural, events);
        }
        Due::Oom => {
            world.record_event(id, "oom", &[]);
            events.push(Event::ContainerOom { id: id.to_string() });
            finish(world, id, 137, true, true, events);
        }
        Due::HostOom => {
            // Re-checked now: the estimate assumed steady growth.
            if host_memory_used(world, now) > HOST_MEMORY {
                world.record_event(id, "oom", &[]);
                events.push(Event::ContainerOom { id: id.to_string() });
                finish(world, id, 137, true, true, events);
            }
        }
        Due::Kill => {
            world.record_event(id, "kill", &[("signal", "9".to_string())]);
            finish(world, id, 137, false, false, events);
        }
        Due::Probe => health::probe(world, id, events),
        Due::Restart => {
            if let Some(container) = world.container_mut(id) {
                container.restart_at = None;
            }
            world.record_event(id, "restart", &[]);
            match launch::start(world, id) {
                Ok(()) => {
                    world.record_event(id, "start", &[]);
                    events.push(Event::ContainerStarted { id: id.to_string() });
                }
                Err(failure) => {
                    if let Some(container) = world.container_mut(id) {
                        container.state.status = Status::Exited;
                        container.state.error = failure.message;
                        container.state.finished_at = Some(now);
                    }
                }
            }
        }
        Due::ExecEnd => {
            let mut ended: Vec<u32> = Vec::new();
            if let Some(run) = world.container_mut(id).and_then(|c| c.run.as_mut()) {
                ended = run.exec_ends.iter().filter(|e| e.1.is_some_and(|t| t <= now)).map(|e| e.0).collect();
                run.exec_ends.retain(|e| !ended.contains(&e.0));
                run.processes.retain(|p| !ended.contains(&p.pid));
            }
            for _ in ended {
                world.record_event(id, "exec_die", &[("exitCode", "0".to_string())]);
            }
        }
    }
}

/// The main process ended now with `exit_code`. Applies `--rm` and the restart policy (only when
/// `policy_applies`: not after `docker stop`/`kill`).
fn finish(world: &mut World, id: &str, exit_code: i32, oom: bool, policy_applies: bool, events: &mut Vec<Event>) {
    let now = world.now();
    let Some(container) = world.container_mut(id) else { return };
    let ran_for = container.run.as_ref().map_or(0, |r| now.since(r.started_at));
    container.run = None;
    world.detach_networks(id);
    let Some(container) = world.container_mut(id) else { return };
    container.logs.retain(|entry| entry.time <= now);
    container.state.status = Status::Exited;
    container.state.exit_code = exit_code;
    container.state.oom_killed = oom;
    container.state.pid = 0;
    container.state.finished_at = Some(now);
    let policy = container.host_config.restart_policy.clone();
    let restart = policy_applies
        && !container.manually_stopped
        && match policy.name.as_str() {
            "always" | "unless-stopped" => true,
            "on-failure" => exit_code != 0 && (policy.maximum_retry_count == 0 || container.restart_count < policy.maximum_retry_count),
            _ => false,
        };
    let auto_remove = container.host_config.auto_remove;
    if restart {
        // moby's restart manager: 100 ms, doubling per quick exit, back to 100 ms after a run
        // of 10 s or more, never above a minute.
        container.restart_backoff = match container.restart_backoff {
            _ if ran_for >= 10 * SECOND => 100,
            0 => 100,
            backoff => (backoff * 2).min(60 * SECOND),
        };
        container.restart_count += 1;
        container.state.status = Status::Restarting;
        container.restart_at = Some(now.plus(container.restart_backoff));
    }
    world.record_event(id, "die", &[("exitCode", exit_code.to_string())]);
    let volumes: Vec<String> =
        world.container(id).map(|c| c.mounts.iter().filter(|m| m.kind == crate::volume::MountKind::Volume).map(|m| m.name.clone()).collect()).unwrap_or_default();
    for name in volumes {
        world.record_volume_event(&name, "unmount", &[("container", id.to_string())]);
    }
    events.push(Event::ContainerExited { id: id.to_string(), exit_code });
    if auto_remove && !restart {
        world.remove_container(id);
        world.record_event(id, "destroy", &[]);
    }
}

/// Why a lifecycle request was refused, in the daemon's words.
pub type Refusal = String;

/// `docker stop`: the stop signal, then SIGKILL after `timeout` seconds (negative: wait forever).
/// Time passes until the container has stopped. Returns the events on the way.
pub fn stop(world: &mut World, id: &str, timeout: Option<i64>, signal: Option<i32>) -> Result<Vec<Event>, Refusal> {
    let now = world.now();
    let mut events = Vec::new();
    // moby sends the signal and then thaws a paused container, so the process receives it.
    if world.container(id).is_some_and(|c| c.is_paused()) {
        let _ = unpause(world, id);
    }
    let Some(container) = world.container_mut(id) else { return Ok(events) };
    container.manually_stopped = true;
    if container.state.status == Status::Restarting && container.run.is_none() {
        container.restart_at = None;
        container.state.status = Status::Exited;
        return Ok(events);
    }
    let timeout = timeout.or(container.config.stop_timeout).unwrap_or(10);
    let Some(run) = container.run.as_mut() else { return Ok(events) };
    let signal = signal.unwrap_or(15);
    let response = if signal == 9 {
        SignalResponse::Exit { after: 0, exit_code: 137, lines: Vec::new() }
    } else if signal == 2 {
        run.on_interrupt.clone()
    } else {
        run.on_term.clone()
    };
    if let SignalResponse::Exit { after, exit_code, lines } = response {
        let at = now.plus(after);
        if run.exit.is_none_or(|(t, _, _)| t > at) {
            run.exit = Some((at, exit_code, ExitCause::Signalled));
        }
        container.logs.retain(|entry| entry.time <= now);
        container.logs.extend(signal_lines(&lines, now, signal));
    }
    if timeout >= 0 {
        let at = now.plus(timeout as u64 * SECOND);
        run.kill_at = Some(run.kill_at.map_or(at, |t| t.min(at)));
    }
    world.record_event(id, "kill", &[("signal", signal.to_string())]);
    // The CLI waits until the container is gone; everything else goes on meanwhile.
    for _ in 0..64 {
        let Some(end) = world.container(id).and_then(|c| c.run.as_ref()).and_then(|r| {
            let exit = r.exit.map(|e| e.0);
            [exit, r.kill_at].into_iter().flatten().min()
        }) else {
            break;
        };
        events.extend(advance_to(world, end));
    }
    if world.container(id).is_some_and(|c| c.run.is_none()) {
        world.record_event(id, "stop", &[]);
    }
    Ok(events)
}

/// `docker kill -s SIGNAL`: delivered at once; SIGKILL ends the container now.
pub fn kill(world: &mut World, id: &str, signal: i32) -> Result<Vec<Event>, Refusal> {
    let now = world.now();
    let mut events = Vec::new();
    let Some(container) = world.container_mut(id) else { return Ok(events) };
    if container.run.is_none() {
        return Err(format!("container {} is not running", container.id));
    }
    container.manually_stopped = true;
    if container.state.status == Status::Paused {
        let _ = unpause(world, id);
    }
    let _ = now;
    world.record_event(id, "kill", &[("signal", signal.to_string())]);
    if signal == 9 {
        finish(world, id, 137, false, false, &mut events);
        return Ok(events);
    }
    let Some(run) = world.container_mut(id).and_then(|c| c.run.as_mut()) else { return Ok(events) };
    let response = match signal {
        15 => run.on_term.clone(),
        2 => run.on_interrupt.clone(),
        // SIGCHLD, SIGWINCH, SIGURG and SIGCONT are ignored by default; others kill a non-PID-1.
        17 | 18 | 23 | 28 => SignalResponse::Ignore,
        _ => match &run.on_term {
            SignalResponse::Exit { after, .. } if run.processes.first().is_some_and(|p| p.command.starts_with("/sbin/docker-init")) => {
                SignalResponse::Exit { after: *after, exit_code: 128 + signal, lines: Vec::new() }
            }
            _ => SignalResponse::Default,
        },
    };
    if let SignalResponse::Exit { after, exit_code, lines } = response {
        let at = now.plus(after);
        if run.exit.is_none_or(|(t, _, _)| t > at) {
            run.exit = Some((at, exit_code, ExitCause::Signalled));
        }
        if let Some(container) = world.container_mut(id) {
            container.logs.retain(|entry| entry.time <= now);
            container.logs.extend(signal_lines(&lines, now, signal));
        }
    }
    Ok(events)
}

/// `docker pause`: freezes the container's processes.
pub fn pause(world: &mut World, id: &str) -> Result<(), Refusal> {
    let now = world.now();
    let Some(container) = world.container_mut(id) else { return Ok(()) };
    match container.state.status {
        Status::Paused => return Err(format!("container {} is already paused", container.id)),
        Status::Running => {}
        _ => return Err(format!("container {} is not running", container.id)),
    }
    container.state.status = Status::Paused;
    if let Some(run) = container.run.as_mut() {
        run.paused_since = Some(now);
    }
    world.record_event(id, "pause", &[]);
    Ok(())
}

/// `docker unpause`: thaws it; everything it had scheduled moves by the time it was frozen.
pub fn unpause(world: &mut World, id: &str) -> Result<(), Refusal> {
    let now = world.now();
    let Some(container) = world.container_mut(id) else { return Ok(()) };
    if container.state.status != Status::Paused {
        return Err(format!("container {} is not paused", container.id));
    }
    container.state.status = Status::Running;
    let Some(run) = container.run.as_mut() else { return Ok(()) };
    let Some(since) = run.paused_since.take() else { return Ok(()) };
    let frozen = now.since(since);
    let shift = |time: &mut Option<SimTime>| {
        if let Some(t) = time {
            if *t > since {
                *t = t.plus(frozen);
            }
        }
    };
    shift(&mut run.oom_at);
    shift(&mut run.next_probe);
    if let Some(exit) = run.exit.as_mut() {
        if exit.0 > since {
            exit.0 = exit.0.plus(frozen);
        }
    }
    for end in run.exec_ends.iter_mut() {
        shift(&mut end.1);
    }
    run.service_began = run.service_began.plus(frozen);
    for entry in container.logs.iter_mut().filter(|e| e.time > since) {
        entry.time = entry.time.plus(frozen);
    }
    world.record_event(id, "unpause", &[]);
    Ok(())
}

/// `docker start`: starts a created or exited container now.
pub fn start(world: &mut World, id: &str) -> Result<Vec<Event>, StartFailure> {
    if let Some(container) = world.container_mut(id) {
        // A start by hand gets a fresh restart manager: the policy is armed again, back-off reset.
        container.manually_stopped = false;
        container.restart_at = None;
        container.restart_backoff = 0;
    }
    launch::start(world, id)?;
    world.record_event(id, "start", &[]);
    Ok(vec![Event::ContainerStarted { id: id.to_string() }])
}

/// The main process exits now with `exit_code` by itself (an interactive shell's `exit`).
pub fn exit_main(world: &mut World, id: &str, exit_code: i32) -> Vec<Event> {
    let mut events = Vec::new();
    if world.container(id).is_some_and(|c| c.run.is_some()) {
        finish(world, id, exit_code, false, true, &mut events);
    }
    events
}

/// dockerd starts: containers not running come back by their restart policy — `always` even
/// after `docker stop`, `unless-stopped` and `on-failure` only if not stopped by hand.
pub fn daemon_start(world: &mut World) -> Vec<Event> {
    world.daemon_running = true;
    let mut events = Vec::new();
    let ids: Vec<String> = world.containers().iter().map(|c| c.id.clone()).collect();
    for id in ids {
        let Some(container) = world.container(&id) else { continue };
        if container.run.is_some() {
            continue;
        }
        let policy = container.host_config.restart_policy.name.as_str();
        let wanted = match policy {
            "always" => true,
            "unless-stopped" => !container.manually_stopped,
            "on-failure" => !container.manually_stopped && container.state.exit_code != 0 && container.state.started_at.is_some(),
            _ => false,
        };
        if wanted {
            if let Ok(more) = start(world, &id) {
                events.extend(more);
            }
        }
    }
    events
}

/// The host restarts: dockerd stops every container (SIGTERM, SIGKILL after its timeout; not a
/// manual stop), the machine boots, dockerd starts and applies restart policies.
pub fn reboot(world: &mut World) -> Vec<Event> {
    let mut events = Vec::new();
    let running: Vec<String> = world.containers().iter().filter(|c| c.run.is_some()).map(|c| c.id.clone()).collect();
    for id in &running {
        if world.container(id).is_some_and(|c| c.is_paused()) {
            let _ = unpause(world, id);
        }
        let manually = world.container(id).is_some_and(|c| c.manually_stopped);
        if let Ok(more) = stop(world, id, None, None) {
            events.extend(more);
        }
        // A shutdown is not `docker stop`: policies still see the container as wanted.
        if let Some(container) = world.container_mut(id) {
            container.manually_stopped = manually;
            container.restart_at = None;
            if container.state.status == Status::Restarting {
                container.state.status = Status::Exited;
            }
        }
    }
    events.extend(advance(world, 45 * SECOND));
    events.extend(daemon_start(world));
    events
}
