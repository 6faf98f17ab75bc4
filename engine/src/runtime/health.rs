//! Health checks: which check applies (image `HEALTHCHECK` or `--health-*`), running one probe in
//! the container, and Docker's `starting` → `healthy`/`unhealthy` bookkeeping.

use crate::clock::SECOND;
use crate::image::{Healthcheck, Image};
use crate::outcome::Event;
use crate::programs::ExecError;
use crate::world::World;

use super::container::{Container, HealthResult, ProbeMemo};
use super::launch::{self, ExecOptions};

pub const DEFAULT_INTERVAL: u64 = 30 * SECOND;
pub const DEFAULT_TIMEOUT: u64 = 30 * SECOND;
pub const DEFAULT_RETRIES: u32 = 3;
/// Docker keeps the last five probe results in `State.Health.Log`.
const KEPT_RESULTS: usize = 5;
/// And at most this much of each probe's output.
const MAX_OUTPUT: usize = 4096;

/// The check that applies to `container`, with Docker's defaults filled in; `None` when there is
/// none or it is disabled (`--no-healthcheck`, `HEALTHCHECK NONE`).
pub fn effective(image: &Image, container: &Container) -> Option<Healthcheck> {
    let image_check = image.config.healthcheck.as_ref();
    let own = container.config.healthcheck.as_ref();
    let mut check = match (own, image_check) {
        (Some(own), Some(base)) => {
            let mut merged = base.clone();
            if !own.test.is_empty() {
                merged.test = own.test.clone();
            }
            if own.interval > 0 {
                merged.interval = own.interval;
            }
            if own.timeout > 0 {
                merged.timeout = own.timeout;
            }
            if own.start_period > 0 {
                merged.start_period = own.start_period;
            }
            if own.retries > 0 {
                merged.retries = own.retries;
            }
            merged
        }
        (Some(own), None) => own.clone(),
        (None, Some(base)) => base.clone(),
        (None, None) => return None,
    };
    if check.test.is_empty() || check.test.first().is_some_and(|t| t == "NONE") {
        return None;
    }
    if check.interval == 0 {
        check.interval = DEFAULT_INTERVAL;
    }
    if check.timeout == 0 {
        check.timeout = DEFAULT_TIMEOUT;
    }
    if check.retries == 0 {
        check.retries = DEFAULT_RETRIES;
    }
    Some(check)
}

/// The probe's argv: `CMD-SHELL x` runs `/bin/sh -c x`; `CMD a b` runs `a b`.
fn probe_argv(test: &[String]) -> Vec<String> {
    match test.split_first() {
        Some((kind, rest)) if kind == "CMD-SHELL" => vec!["/bin/sh".into(), "-c".into(), rest.join(" ")],
        Some((kind, rest)) if kind == "CMD" => rest.to_vec(),
        _ => test.to_vec(),
    }
}

/// Runs one probe in container `id` now and updates its health.
pub(crate) fn probe(world: &mut World, id: &str, events: &mut Vec<Event>) {
    let now = world.now();
    let Some(container) = world.container(id) else { return };
    let Some(image) = world.image(&container.image_id) else { return };
    let Some(check) = effective(image, container) else { return };
    let started = container.run.as_ref().map_or(now, |r| r.started_at);
    let in_start_period = now.since(started) < check.start_period;
    let argv = probe_argv(&check.test);
    let ready = launch::context(world, container, now).listeners.len();
    let key = (ready, container.upper.size());
    let memo = container.run.as_ref().and_then(|r| r.probe_memo.clone()).filter(|m| m.key == key);
    let (exit_code, output, took) = match memo {
        Some(memo) => (memo.exit_code, memo.output, memo.took),
        None => run_probe(world, id, &argv, &check),
    };
    let output: String = output.chars().take(MAX_OUTPUT).collect();
    if let Some(run) = world.container_mut(id).and_then(|c| c.run.as_mut()) {
        run.probe_memo = Some(ProbeMemo { key, exit_code, output: output.clone(), took });
    }
    record(world, id, now, &check, in_start_period, (exit_code, output, took), events);
}

/// Runs the check's command in the container: (exit code, output, how long it took).
fn run_probe(world: &mut World, id: &str, argv: &[String], check: &Healthcheck) -> (i32, String, u64) {
    match launch::exec(world, id, argv, &ExecOptions::default()) {
        Ok(run) if run.duration > check.timeout || run.service.is_some() => {
            (-1, format!("Health check exceeded timeout ({})", go_duration(check.timeout)), check.timeout)
        }
        Ok(run) => {
            let mut output = String::new();
            for line in run.stdout.iter().chain(run.stderr.iter()) {
                output.push_str(line);
                output.push('\n');
            }
            (run.exit_code, output, run.duration)
        }
        Err(error @ (ExecError::NotFound(_) | ExecError::PermissionDenied(_) | ExecError::UnknownUser(_))) => (
            -1,
            format!("OCI runtime exec failed: exec failed: unable to start container process: {error}: unknown"),
            5,
        ),
    }
}

/// Adds one probe result to the container's health and moves it between states.
fn record(
    world: &mut World,
    id: &str,
    now: crate::clock::SimTime,
    check: &Healthcheck,
    in_start_period: bool,
    (exit_code, output, took): (i32, String, u64),
    events: &mut Vec<Event>,
) {
    let Some(container) = world.container_mut(id) else { return };
    let Some(health) = container.state.health.as_mut() else { return };
    let before = health.status.clone();
    health.log.push(HealthResult { start: now, end: now.plus(took.max(1)), exit_code, output });
    if health.log.len() > KEPT_RESULTS {
        health.log.remove(0);
    }
    if exit_code == 0 {
        health.failing_streak = 0;
        health.status = "healthy".into();
    } else if !in_start_period {
        health.failing_streak += 1;
        if health.failing_streak >= check.retries {
            health.status = "unhealthy".into();
        }
    }
    if health.status != before {
        let status = health.status.clone();
        events.push(Event::ContainerHealth { id: id.to_string(), status });
    }
    if let Some(run) = container.run.as_mut() {
        run.next_probe = Some(now.plus(check.interval));
    }
}

/// Go's `time.Duration` text for whole seconds and milliseconds (`30s`, `1m30s`, `500ms`).
pub fn go_duration(millis: u64) -> String {
    if millis == 0 {
        return "0s".into();
    }
    if millis < SECOND {
        return format!("{millis}ms");
    }
    let seconds = millis / SECOND;
    let fraction = millis % SECOND;
    let (hours, minutes, secs) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    let secs = if fraction > 0 { format!("{secs}.{}", format!("{fraction:03}").trim_end_matches('0')) } else { secs.to_string() };
    match (hours, minutes) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}
