//! `docker run`/`create` flags turned into a container's `Config` and `HostConfig`, with the CLI's
//! and the daemon's wording for values they refuse.

use super::flags::Parsed;
use crate::clock::SECOND;
use crate::image::Healthcheck;
use crate::runtime::container::{ContainerConfig, HostConfig, RestartPolicy};
use crate::world::World;

/// A refused option: the message and the exit status `docker run` ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    /// 125 for daemon/CLI refusals.
    pub status: i32,
    /// pflag-style errors print the usage block too.
    pub usage: bool,
}

fn refused(message: impl Into<String>) -> Refused {
    Refused { message: message.into(), status: 125, usage: false }
}

fn flag_error(value: &str, flag: &str, why: &str) -> Refused {
    Refused { message: format!("invalid argument \"{value}\" for \"{flag}\" flag: {why}"), status: 125, usage: true }
}

/// `units.RAMInBytes`: `512m`, `1g`, `1.5GB`, `100000` (binary multiples).
pub fn parse_ram(text: &str) -> Option<u64> {
    let trimmed = text.trim();
    let digits_end = trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits_end);
    let number: f64 = number.parse().ok()?;
    let unit = unit.trim_start().to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let multiplier: u64 = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        "p" => 1 << 50,
        _ => return None,
    };
    let bytes = number * multiplier as f64;
    (bytes.is_finite() && (0.0..1.8e19).contains(&bytes)).then_some(bytes as u64)
}

/// Why go-units' `RAMInBytes` (v0.5) refuses `text`, in its words: `invalid size: 'abc'` when
/// there is no number, `invalid suffix: 'x'` for an unknown unit, or strconv's complaint.
pub fn size_error(text: &str) -> String {
    let invalid = format!("invalid size: '{text}'");
    let Some(sep) = text.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ') else { return invalid };
    let (number, suffix) = if text.as_bytes()[sep] == b' ' { (&text[..sep], &text[sep + 1..]) } else { text.split_at(sep + 1) };
    let Ok(size) = number.parse::<f64>() else {
        return format!("strconv.ParseFloat: parsing \"{number}\": invalid syntax");
    };
    if size < 0.0 {
        return invalid;
    }
    let suffix = if suffix.len() > 3 { suffix.to_string() } else { suffix.to_ascii_lowercase() };
    format!("invalid suffix: '{suffix}'")
}

/// Why Go's `time.ParseDuration` refuses `text`, in its words (`time: missing unit in duration
/// "10"`, `time: unknown unit "x" in duration "10x"`, `time: invalid duration "abc"`).
pub fn duration_error(text: &str) -> String {
    let quoted = format!("\"{text}\"");
    let mut rest = text.trim_start_matches(['-', '+']);
    if rest.is_empty() {
        return format!("time: invalid duration {quoted}");
    }
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if number_end == 0 || rest[..number_end] == *"." {
            return format!("time: invalid duration {quoted}");
        }
        rest = &rest[number_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        if unit.is_empty() {
            return format!("time: missing unit in duration {quoted}");
        }
        if !["ns", "us", "µs", "μs", "ms", "s", "m", "h"].contains(&unit) {
            return format!("time: unknown unit \"{unit}\" in duration {quoted}");
        }
        rest = &rest[unit_end..];
    }
    format!("time: invalid duration {quoted}")
}

/// Go's `time.ParseDuration` for the units health flags use (`30s`, `1m30s`, `500ms`, `1h`).
pub fn parse_duration(text: &str) -> Option<u64> {
    if text == "0" {
        return Some(0);
    }
    let mut total = 0f64;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let number: f64 = rest.get(..number_end)?.parse().ok()?;
        rest = rest.get(number_end..)?;
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = rest.get(..unit_end)?;
        rest = rest.get(unit_end..)?;
        let millis = match unit {
            "ns" => 1e-6,
            "us" | "µs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        total += number * millis;
    }
    (total.is_finite() && total < 1e15).then_some(total as u64)
}

/// `--restart` as the CLI and daemon read it.
fn restart_policy(text: &str) -> Result<RestartPolicy, Refused> {
    let (name, count) = match text.split_once(':') {
        Some(("", _)) => return Err(refused("invalid restart policy format: no policy provided before colon")),
        Some((name, count)) => match count.parse::<i64>() {
            Ok(n) => (name, Some(n)),
            Err(_) => return Err(refused("invalid restart policy format: maximum retry count must be an integer")),
        },
        None => (text, None),
    };
    let name = if name.is_empty() { "no" } else { name };
    if !matches!(name, "no" | "always" | "unless-stopped" | "on-failure") {
        return Err(refused(format!(
            "Error response from daemon: invalid restart policy: unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
        )));
    }
    match count {
        Some(n) if n < 0 => Err(refused("Error response from daemon: invalid restart policy: maximum retry count cannot be negative")),
        Some(n) if n > 0 && name != "on-failure" => Err(refused(
            "Error response from daemon: invalid restart policy: maximum retry count can only be used with 'on-failure'",
        )),
        Some(n) => Ok(RestartPolicy { name: name.into(), maximum_retry_count: n as u32 }),
        None => Ok(RestartPolicy { name: name.into(), maximum_retry_count: 0 }),
    }
}

/// Reads `--env-file` files from the learner's host files: `NAME=value` lines, `NAME` alone
/// passes the client's own variable (none are set in the simulated client), `#` comments.
fn env_file(world: &World, cwd: &str, path: &str) -> Result<Vec<String>, Refused> {
    let full = crate::fs::normalize(path, cwd);
    let text = world
        .host_files()
        .read_text(&full)
        .map_err(|_| refused(format!("open {path}: no such file or directory")))?;
    let mut entries = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.contains('=') {
            entries.push(line.to_string());
        }
    }
    Ok(entries)
}

/// The parts of a `docker run`/`create` command line that make a container.
#[derive(Debug, Clone)]
pub struct ContainerSpec {
    pub config: ContainerConfig,
    pub host_config: HostConfig,
    pub name: Option<String>,
}

/// Builds the container's configuration from the parsed flags (`command` overrides CMD).
pub fn spec(world: &World, invocation: &super::Invocation, parsed: &Parsed, command: &[String]) -> Result<ContainerSpec, Refused> {
    let cwd = invocation.cwd.as_str();
    let mut config = ContainerConfig::default();
    let mut host = HostConfig::default();
    config.hostname = parsed.value("hostname").unwrap_or_default().to_string();
    config.domainname = parsed.value("domainname").unwrap_or_default().to_string();
    config.user = parsed.value("user").unwrap_or_default().to_string();
    config.tty = parsed.bool("tty");
    config.open_stdin = parsed.bool("interactive");
    let detached = parsed.bool("detach");
    config.attach_stdin = config.open_stdin && !detached;
    config.attach_stdout = !detached;
    config.attach_stderr = !detached;
    for file in parsed.values("env-file") {
        config.env.extend(env_file(world, cwd, file)?);
    }
    for entry in parsed.values("env") {
        // `-e NAME` without a value passes the client's variable, or nothing when it is unset.
        if entry.contains('=') {
            config.env.push(entry.clone());
        } else if let Some(value) = invocation.env_var(entry) {
            config.env.push(format!("{entry}={value}"));
        }
    }
    if !command.is_empty() {
        config.cmd = Some(command.to_vec());
    }
    if let Some(entrypoint) = parsed.value("entrypoint") {
        config.entrypoint = Some(if entrypoint.is_empty() { Vec::new() } else { vec![entrypoint.to_string()] });
    }
    config.working_dir = parsed.value("workdir").unwrap_or_default().to_string();
    if !config.working_dir.is_empty() && !config.working_dir.starts_with('/') {
        return Err(refused(format!(
            "Error response from daemon: the working directory '{}' is invalid, it needs to be an absolute path",
            config.working_dir
        )));
    }
    for label in parsed.values("label") {
        let (key, value) = label.split_once('=').unwrap_or((label, ""));
        config.labels.insert(key.to_string(), value.to_string());
    }
    if let Some(signal) = parsed.value("stop-signal") {
        if crate::runtime::parse_signal(signal).is_none() {
            return Err(refused(format!("Error response from daemon: invalid signal: {signal}")));
        }
        config.stop_signal = Some(signal.to_string());
    }
    if let Some(timeout) = parsed.value("stop-timeout") {
        config.stop_timeout = Some(timeout.parse().map_err(|_| {
            flag_error(timeout, "--stop-timeout", &format!("strconv.ParseInt: parsing \"{timeout}\": invalid syntax"))
        })?);
    }
    for port in parsed.values("expose") {
        let port = if port.contains('/') { port.clone() } else { format!("{port}/tcp") };
        config.exposed_ports.insert(port);
    }
    config.healthcheck = healthcheck(parsed)?;

    host.auto_remove = parsed.bool("rm");
    if let Some(restart) = parsed.value("restart") {
        host.restart_policy = restart_policy(restart)?;
    }
    if host.auto_remove && host.restart_policy.name != "no" {
        return Err(refused("conflicting options: cannot specify both --restart and --rm"));
    }
    if let Some(memory) = parsed.value("memory") {
        host.memory = parse_ram(memory).ok_or_else(|| flag_error(memory, "-m, --memory", &size_error(memory)))?;
        if host.memory > 0 && host.memory < 6 * 1024 * 1024 {
            return Err(refused("Error response from daemon: Minimum memory limit allowed is 6MB"));
        }
    }
    if let Some(swap) = parsed.value("memory-swap") {
        host.memory_swap = if swap == "-1" {
            -1
        } else {
            parse_ram(swap).ok_or_else(|| flag_error(swap, "--memory-swap", &size_error(swap)))? as i64
        };
        if host.memory == 0 && host.memory_swap > 0 {
            return Err(refused(
                "Error response from daemon: You should always set the Memory limit when using Memoryswap limit, see usage",
            ));
        }
        if host.memory_swap > 0 && (host.memory_swap as u64) < host.memory {
            return Err(refused(
                "Error response from daemon: Minimum memoryswap limit should be larger than memory limit, see usage",
            ));
        }
    }
    if let Some(reservation) = parsed.value("memory-reservation") {
        host.memory_reservation =
            parse_ram(reservation).ok_or_else(|| flag_error(reservation, "--memory-reservation", &size_error(reservation)))?;
    }
    host.oom_kill_disable = parsed.bool("oom-kill-disable");
    if let Some(cpus) = parsed.value("cpus") {
        let value: f64 = cpus.parse().map_err(|_| flag_error(cpus, "--cpus", &format!("failed to parse {cpus} as a rational number")))?;
        if !(0.0..=1e6).contains(&value) {
            return Err(refused("Error response from daemon: Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"));
        }
        host.nano_cpus = (value * 1e9) as u64;
        if host.nano_cpus > 2_000_000_000 || (host.nano_cpus > 0 && host.nano_cpus < 10_000_000) {
            return Err(refused("Error response from daemon: Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"));
        }
    }
    let int_flag = |name: &str, flag: &str| -> Result<Option<i64>, Refused> {
        match parsed.value(name) {
            Some(text) => text
                .parse::<i64>()
                .map(Some)
                .map_err(|_| flag_error(text, flag, &format!("strconv.ParseInt: parsing \"{text}\": invalid syntax"))),
            None => Ok(None),
        }
    };
    host.cpu_shares = int_flag("cpu-shares", "-c, --cpu-shares")?.unwrap_or(0).max(0) as u64;
    host.cpu_quota = int_flag("cpu-quota", "--cpu-quota")?.unwrap_or(0);
    host.cpu_period = int_flag("cpu-period", "--cpu-period")?.unwrap_or(0).max(0) as u64;
    if host.nano_cpus > 0 && (host.cpu_quota > 0 || host.cpu_period > 0) {
        return Err(refused(
            "Error response from daemon: Conflicting options: Nano CPUs and CPU Period cannot both be set",
        ));
    }
    host.cpuset_cpus = parsed.value("cpuset-cpus").unwrap_or_default().to_string();
    host.pids_limit = int_flag("pids-limit", "--pids-limit")?;
    host.readonly_rootfs = parsed.bool("read-only");
    for tmpfs in parsed.values("tmpfs") {
        let (path, options) = tmpfs.split_once(':').unwrap_or((tmpfs, ""));
        host.tmpfs.insert(path.to_string(), options.to_string());
    }
    host.cap_add = parsed.values("cap-add").to_vec();
    host.cap_drop = parsed.values("cap-drop").to_vec();
    host.security_opt = parsed.values("security-opt").to_vec();
    host.privileged = parsed.bool("privileged");
    host.init = parsed.bool("init");
    host.pid_mode = parsed.value("pid").unwrap_or_default().to_string();
    host.ipc_mode = parsed.value("ipc").unwrap_or("private").to_string();
    host.uts_mode = parsed.value("uts").unwrap_or_default().to_string();
    host.network_mode = parsed.value("network").unwrap_or("bridge").to_string();
    if host.network_mode == "default" {
        host.network_mode = "bridge".into();
    }
    // `-v /path` alone is an anonymous volume (Config.Volumes); with a source it is a bind.
    for raw in parsed.values("volume") {
        let spec = crate::runtime::mounts::cli_volume_spec(raw, cwd).map_err(refused)?;
        if spec.contains(':') {
            host.binds.push(spec);
        } else {
            config.volumes.insert(spec);
        }
    }
    for raw in parsed.values("mount") {
        crate::runtime::mounts::parse_mount_flag(raw, cwd).map_err(|why| flag_error(raw, "--mount", &why))?;
        // Kept as typed, but with `./dir` sources made absolute as the CLI sends them.
        let fields: Vec<String> = raw
            .split(',')
            .map(|field| match field.split_once('=') {
                Some((key, value)) if matches!(key.to_ascii_lowercase().as_str(), "source" | "src") && value.starts_with('.') => {
                    format!("{key}={}", crate::fs::normalize(value, cwd))
                }
                _ => field.to_string(),
            })
            .collect();
        host.mounts.push(fields.join(","));
    }
    host.volumes_from = parsed.values("volumes-from").to_vec();
    for spec in parsed.values("publish") {
        crate::ports::parse_port_spec(spec).map_err(refused)?;
    }
    host.port_bindings = parsed.values("publish").to_vec();
    host.publish_all_ports = parsed.bool("publish-all");
    host.dns = parsed.values("dns").to_vec();
    host.network_aliases = parsed.values("network-alias").to_vec();
    host.extra_hosts = parsed.values("add-host").to_vec();
    let name = parsed.value("name").map(str::to_string);
    Ok(ContainerSpec { config, host_config: host, name })
}

/// `--health-*` and `--no-healthcheck` as a `Healthcheck` overriding the image's.
fn healthcheck(parsed: &Parsed) -> Result<Option<Healthcheck>, Refused> {
    let duration = |name: &str| -> Result<u64, Refused> {
        match parsed.value(name) {
            Some(text) if text.starts_with('-') && parse_duration(&text[1..]).is_some() => {
                Err(refused(format!("docker: --{name} cannot be negative")))
            }
            Some(text) => parse_duration(text).ok_or_else(|| flag_error(text, &format!("--{name}"), &duration_error(text))),
            None => Ok(0),
        }
    };
    let interval = duration("health-interval")?;
    let timeout = duration("health-timeout")?;
    let start_period = duration("health-start-period")?;
    let retries: i64 = match parsed.value("health-retries") {
        Some(text) => text
            .parse()
            .map_err(|_| flag_error(text, "--health-retries", &format!("strconv.ParseInt: parsing \"{text}\": invalid syntax")))?,
        None => 0,
    };
    for (value, flag) in [(interval, "--health-interval"), (timeout, "--health-timeout"), (start_period, "--health-start-period")] {
        if value > 0 && value < SECOND / 1000 {
            return Err(refused(format!("{flag} cannot be less than 1ms")));
        }
    }
    if retries < 0 {
        return Err(refused("--health-retries cannot be negative"));
    }
    if parsed.bool("no-healthcheck") {
        if parsed.is_set("health-cmd") || interval > 0 || timeout > 0 || retries > 0 {
            return Err(refused("--no-healthcheck conflicts with --health-* options"));
        }
        return Ok(Some(Healthcheck { test: vec!["NONE".into()], interval: 0, timeout: 0, start_period: 0, retries: 0 }));
    }
    let test = parsed.value("health-cmd").map(|cmd| vec!["CMD-SHELL".to_string(), cmd.to_string()]).unwrap_or_default();
    if test.is_empty() && interval == 0 && timeout == 0 && start_period == 0 && retries == 0 {
        return Ok(None);
    }
    Ok(Some(Healthcheck { test, interval, timeout, start_period, retries: retries as u32 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_and_duration_errors_use_go_wording() {
        // Recorded from the docker 28.2.2 CLI: `docker run --memory=V alpine`, `--health-interval=V`.
        assert_eq!(size_error("1x"), "invalid suffix: 'x'");
        assert_eq!(size_error("5mbx"), "invalid suffix: 'mbx'");
        assert_eq!(size_error("abc"), "invalid size: 'abc'");
        assert_eq!(size_error("-1"), "invalid size: '-1'");
        assert_eq!(size_error(""), "invalid size: ''");
        assert_eq!(size_error("1.5.5m"), "strconv.ParseFloat: parsing \"1.5.5\": invalid syntax");
        assert_eq!(duration_error("10"), "time: missing unit in duration \"10\"");
        assert_eq!(duration_error("1h2"), "time: missing unit in duration \"1h2\"");
        assert_eq!(duration_error("1.5"), "time: missing unit in duration \"1.5\"");
        assert_eq!(duration_error("abc"), "time: invalid duration \"abc\"");
        assert_eq!(duration_error("10x"), "time: unknown unit \"x\" in duration \"10x\"");
        assert_eq!(duration_error(""), "time: invalid duration \"\"");
        assert_eq!((parse_ram("512m"), parse_ram("1g"), parse_duration("10s")), (Some(512 << 20), Some(1 << 30), Some(10_000)));
    }

    #[test]
    fn sizes_are_binary_multiples() {
        assert_eq!(parse_ram("512m"), Some(512 << 20));
        assert_eq!(parse_ram("1g"), Some(1 << 30));
        assert_eq!(parse_ram("1.5GB"), Some(3 << 29));
        assert_eq!(parse_ram("100000"), Some(100_000));
        assert_eq!(parse_ram("12x"), None);
        assert_eq!(parse_ram(""), None);
    }

    #[test]
    fn durations_follow_go() {
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn restart_policies_are_checked_like_the_daemon() {
        assert_eq!(restart_policy("on-failure:3").map(|p| p.maximum_retry_count), Ok(3));
        assert!(restart_policy("sometimes").unwrap_err().message.contains("unknown policy 'sometimes'"));
        assert!(restart_policy("always:2").unwrap_err().message.contains("only be used with 'on-failure'"));
    }
}
