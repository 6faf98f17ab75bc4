//! `docker update`: changes a container's resource limits and restart policy in place, with the
//! daemon's checks, and re-derives a running container's OOM time under its new memory limit.

use super::container_options::parse_ram;
use super::flags::{Args, CommandSpec, Parsed};
use crate::outcome::Outcome;
use crate::runtime::container::RestartPolicy;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker update", help: include_str!("help/update.txt"), args: Args::AtLeast(1), interspersed: true };

/// Memory below this is refused (`Minimum memory limit allowed is 6MB`).
const MIN_MEMORY: u64 = 6 * 1024 * 1024;

/// What the command line asks to change; `None` leaves a setting as it is.
#[derive(Debug, Default)]
struct Update {
    memory: Option<u64>,
    memory_swap: Option<i64>,
    memory_reservation: Option<u64>,
    nano_cpus: Option<u64>,
    cpu_shares: Option<u64>,
    cpu_period: Option<u64>,
    cpu_quota: Option<i64>,
    cpuset_cpus: Option<String>,
    pids_limit: Option<i64>,
    restart: Option<RestartPolicy>,
}

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let update = match read_flags(&parsed) {
        Ok(Some(update)) => update,
        Ok(None) => {
            outcome.err("you must provide one or more flags when using this command");
            return outcome.fail(1);
        }
        Err(failed) => return *failed,
    };
    // The daemon checks the request itself before touching any container.
    if let Err(message) = verify(&update) {
        let mut errors = Vec::new();
        for _ in &parsed.args {
            errors.push(format!("Error response from daemon: {message}"));
        }
        for error in errors {
            outcome.err(error);
        }
        return outcome.fail(1);
    }
    let mut errors = Vec::new();
    for name in &parsed.args {
        let Some(id) = world.find_container(name).map(|c| c.id.clone()) else {
            errors.push(format!("Error response from daemon: No such container: {name}"));
            continue;
        };
        match apply(world, &id, &update) {
            Ok(()) => outcome.out(name.clone()),
            Err(message) => errors.push(format!("Error response from daemon: Cannot update container {id}: {message}")),
        }
    }
    // The CLI prints every failure at the end, after the names that worked.
    for error in &errors {
        outcome.err(error.clone());
    }
    if !errors.is_empty() {
        outcome.exit_code = 1;
    }
    outcome
}

/// The flags as a request; a refused value comes back as the finished outcome.
fn read_flags(parsed: &Parsed) -> Result<Option<Update>, Box<Outcome>> {
    let flag_error = |value: &str, flag: &str, why: String| {
        Box::new(super::flag_value_error(&SPEC, &format!("invalid argument \"{value}\" for \"{flag}\" flag: {why}")))
    };
    let size = |name: &str, flag: &str| -> Result<Option<u64>, Box<Outcome>> {
        match parsed.value(name) {
            Some(text) => parse_ram(text).map(Some).ok_or_else(|| flag_error(text, flag, format!("invalid size: '{text}'"))),
            None => Ok(None),
        }
    };
    let int = |name: &str| -> Option<i64> { parsed.value(name).and_then(|t| t.parse().ok()) };
    let mut update = Update { memory: size("memory", "-m, --memory")?, memory_reservation: size("memory-reservation", "--memory-reservation")?, ..Update::default() };
    if let Some(text) = parsed.value("memory-swap") {
        update.memory_swap = Some(if text == "-1" {
            -1
        } else {
            parse_ram(text).ok_or_else(|| flag_error(text, "--memory-swap", format!("invalid size: '{text}'")))? as i64
        });
    }
    if let Some(text) = parsed.value("cpus") {
        let value: f64 = text.parse().map_err(|_| flag_error(text, "--cpus", format!("failed to parse {text} as a rational number")))?;
        update.nano_cpus = Some(if value.is_finite() && value > 0.0 { (value * 1e9).min(1e18) as u64 } else { 0 });
    }
    update.cpu_shares = int("cpu-shares").map(|n| n.max(0) as u64);
    update.cpu_period = int("cpu-period").map(|n| n.max(0) as u64);
    update.cpu_quota = int("cpu-quota");
    update.cpuset_cpus = parsed.value("cpuset-cpus").map(str::to_string);
    update.pids_limit = int("pids-limit");
    if let Some(text) = parsed.value("restart") {
        update.restart = Some(restart_policy(text).map_err(|message| {
            let mut outcome = Outcome::default();
            outcome.err(message);
            Box::new(outcome.fail(1))
        })?);
    }
    const FLAGS: &[&str] = &[
        "blkio-weight", "cpu-period", "cpu-quota", "cpu-rt-period", "cpu-rt-runtime", "cpu-shares", "cpus", "cpuset-cpus",
        "cpuset-mems", "memory", "memory-reservation", "memory-swap", "pids-limit", "restart",
    ];
    Ok(FLAGS.iter().any(|f| parsed.is_set(f)).then_some(update))
}

/// `--restart` as `opts.ParseRestartPolicy` and the daemon read it.
fn restart_policy(text: &str) -> Result<RestartPolicy, String> {
    let (name, count) = match text.split_once(':') {
        Some(("", _)) => return Err("invalid restart policy format: no policy provided before colon".into()),
        Some((name, count)) => match count.parse::<i64>() {
            Ok(n) => (name, Some(n)),
            Err(_) => return Err("invalid restart policy format: maximum retry count must be an integer".into()),
        },
        None => (text, None),
    };
    let name = if name.is_empty() { "no" } else { name };
    if !matches!(name, "no" | "always" | "unless-stopped" | "on-failure") {
        return Err(format!(
            "Error response from daemon: invalid restart policy: unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
        ));
    }
    match count {
        Some(n) if n < 0 => Err("Error response from daemon: invalid restart policy: maximum retry count cannot be negative".into()),
        Some(n) if n > 0 && name != "on-failure" => {
            Err("Error response from daemon: invalid restart policy: maximum retry count can only be used with 'on-failure'".into())
        }
        _ => Ok(RestartPolicy { name: name.into(), maximum_retry_count: count.unwrap_or(0).clamp(0, u32::MAX as i64) as u32 }),
    }
}

/// `verifyContainerSettings`: checks on the request alone.
fn verify(update: &Update) -> Result<(), String> {
    if update.memory.is_some_and(|m| m > 0 && m < MIN_MEMORY) {
        return Err("Minimum memory limit allowed is 6MB".into());
    }
    if let (Some(memory), Some(swap)) = (update.memory, update.memory_swap) {
        if memory > 0 && swap > 0 && (swap as u64) < memory {
            return Err("Minimum memoryswap limit should be larger than memory limit, see usage".into());
        }
    }
    if update.nano_cpus.is_some_and(|n| n > 2_000_000_000 || (n > 0 && n < 10_000_000)) {
        return Err("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available".into());
    }
    if update.nano_cpus.is_some_and(|n| n > 0) && (update.cpu_period.is_some_and(|p| p > 0) || update.cpu_quota.is_some_and(|q| q > 0)) {
        return Err("Conflicting options: Nano CPUs and CPU Period cannot both be set".into());
    }
    Ok(())
}

/// `container.UpdateContainer` plus the cgroup write for a running container.
fn apply(world: &mut World, id: &str, update: &Update) -> Result<(), String> {
    let now = world.now();
    let Some(container) = world.container(id) else { return Ok(()) };
    let host = &container.host_config;
    if update.nano_cpus.is_some_and(|n| n > 0) && host.cpu_period > 0 {
        return Err("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set".into());
    }
    if update.nano_cpus.is_some_and(|n| n > 0) && host.cpu_quota > 0 {
        return Err("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set".into());
    }
    if update.cpu_period.is_some_and(|p| p > 0) && host.nano_cpus > 0 {
        return Err("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set".into());
    }
    if update.cpu_quota.is_some_and(|q| q > 0) && host.nano_cpus > 0 {
        return Err("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set".into());
    }
    // What the daemon stored as the swap limit: `--memory` alone doubled into it.
    let current_swap = match (host.memory, host.memory_swap) {
        (memory, 0) if memory > 0 => (memory * 2) as i64,
        (_, swap) => swap,
    };
    if let Some(memory) = update.memory.filter(|m| *m > 0) {
        if update.memory_swap.is_none() && (memory as i64) > current_swap {
            return Err("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time".into());
        }
    }
    if update.restart.as_ref().is_some_and(|r| r.name != "no") && host.auto_remove {
        return Err("Restart policy cannot be updated because AutoRemove is enabled for the container".into());
    }
    // runc refuses a limit below what the container already uses (cgroup v1 answers EBUSY).
    if let Some(memory) = update.memory.filter(|m| *m > 0) {
        if container.run.is_some() {
            let usage = container.memory_usage(now);
            if memory < usage {
                return Err(format!("unable to set memory limit to {memory} (current usage: {usage}, peak usage: {usage})"));
            }
        }
    }
    let Some(container) = world.container_mut(id) else { return Ok(()) };
    let host = &mut container.host_config;
    if host.memory_swap == 0 && host.memory > 0 {
        host.memory_swap = current_swap;
    }
    if let Some(memory) = update.memory.filter(|m| *m > 0) {
        host.memory = memory;
    }
    if let Some(swap) = update.memory_swap.filter(|s| *s != 0) {
        host.memory_swap = swap;
    }
    if let Some(reservation) = update.memory_reservation.filter(|r| *r > 0) {
        host.memory_reservation = reservation;
    }
    if let Some(nano) = update.nano_cpus.filter(|n| *n > 0) {
        host.nano_cpus = nano;
    }
    if let Some(shares) = update.cpu_shares.filter(|s| *s > 0) {
        host.cpu_shares = shares;
    }
    if let Some(period) = update.cpu_period.filter(|p| *p > 0) {
        host.cpu_period = period;
    }
    if let Some(quota) = update.cpu_quota.filter(|q| *q != 0) {
        host.cpu_quota = quota;
    }
    if let Some(cpus) = update.cpuset_cpus.as_ref().filter(|c| !c.is_empty()) {
        host.cpuset_cpus = cpus.clone();
    }
    if let Some(limit) = update.pids_limit {
        host.pids_limit = Some(limit);
    }
    if let Some(policy) = &update.restart {
        host.restart_policy = policy.clone();
    }
    if update.memory.is_some() {
        reschedule_oom(world, id);
    }
    world.record_event(id, "update", &[]);
    Ok(())
}

/// Re-derives when a running container crosses its memory limit, as `runtime::launch::start`
/// does: the service's memory curve from when it began, less what its child processes hold.
pub(crate) fn reschedule_oom(world: &mut World, id: &str) {
    let now = world.now();
    let Some(container) = world.container_mut(id) else { return };
    let limit = container.host_config.memory;
    let oom_kill_disable = container.host_config.oom_kill_disable;
    let Some(run) = container.run.as_mut() else { return };
    run.oom_at = match (&run.service, limit > 0 && !oom_kill_disable) {
        (Some(service), true) => {
            let children: u64 = service.children.iter().map(|c| c.2).sum();
            service.memory.exceeds_at(limit.saturating_sub(children)).map(|after| run.service_began.plus(after).max(now))
        }
        _ => None,
    };
}
