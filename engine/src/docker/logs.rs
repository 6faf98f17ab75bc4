//! `docker logs`: a container's output from the json-file log, with `--tail`, `--since`,
//! `--until`, `-t`, `--details` and `-f`.

use super::flags::{Args, CommandSpec, Parsed};
use super::lifecycle::resolve;
use crate::clock::{civil_from_days, SimTime, SECOND};
use crate::live::LiveView;
use crate::outcome::Outcome;
use crate::runtime::container::LogEntry;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker logs", help: include_str!("help/logs.txt"), args: Args::Exactly(1), interspersed: true };

/// `-t`'s timestamp: Go's `RFC3339NanoFixed` (`2026-03-02T09:00:03.250000000Z`), the layout the
/// daemon formats json-file timestamps with. The simulated host's local zone is UTC.
pub fn log_timestamp(time: SimTime) -> String {
    let rfc = time.rfc3339();
    let base = rfc.trim_end_matches('Z');
    format!("{base}.{:03}000000Z", time.0 % 1000)
}

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(name) = parsed.args.first() else { return outcome };
    let id = match resolve(world, name) {
        Ok(id) => id,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    let now = world.now();
    let [since, until] = match time_window(&parsed, now) {
        Ok(window) => window,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    let Some(container) = world.container(&id) else { return outcome };
    let options = LogOptions {
        tail: parsed.value("tail").and_then(|t| t.parse::<i64>().ok()).filter(|n| *n >= 0),
        since,
        until,
        timestamps: parsed.bool("timestamps"),
        details: parsed.bool("details"),
    };
    let entries = select(&container.logs, now, &options);
    let tty = container.config.tty;
    for entry in entries {
        let mut text = entry.text.clone();
        if options.details {
            // No `--log-opt labels/env` here, so the attribute list is empty: just the space.
            text.insert(0, ' ');
        }
        if options.timestamps {
            text = format!("{} {text}", log_timestamp(entry.time));
        }
        // With a TTY the container has one stream; the CLI copies it all to stdout.
        if entry.stderr && !tty {
            outcome.err(text);
        } else {
            outcome.out(text);
        }
    }
    let following = parsed.bool("follow") && until.is_none_or(|u| u > now);
    let alive = container.run.is_some() || container.restart_at.is_some();
    if following && alive {
        outcome.live = Some(LiveView::Logs {
            container: id,
            shown_until: now,
            timestamps: options.timestamps,
            attached: false,
            interrupted: false,
        });
    }
    outcome
}

/// What to show of a container's log.
#[derive(Debug, Clone, Default)]
pub(crate) struct LogOptions {
    /// `--tail N`; `None` for `all` (or anything that is not a number ≥ 0, as the daemon reads it).
    pub tail: Option<i64>,
    pub since: Option<SimTime>,
    pub until: Option<SimTime>,
    pub timestamps: bool,
    pub details: bool,
}

/// The entries the daemon sends: written by `now`, the last `tail` of them, then those inside
/// `[since, until]` (the json-file reader tails the file first, then filters by time).
pub(crate) fn select<'a>(logs: &'a [LogEntry], now: SimTime, options: &LogOptions) -> Vec<&'a LogEntry> {
    let written: Vec<&LogEntry> = logs.iter().filter(|e| e.time <= now).collect();
    let start = match options.tail {
        Some(n) => written.len().saturating_sub(usize::try_from(n).unwrap_or(usize::MAX)),
        None => 0,
    };
    written[start..]
        .iter()
        .copied()
        .filter(|e| options.since.is_none_or(|s| e.time >= s))
        .filter(|e| options.until.is_none_or(|u| e.time <= u))
        .collect()
}

/// Docker's `GetTimestamp` for `--since`/`--until` (logs and events): a Go duration before `now`
/// (`10m`, `1h30m`, truncated to the second), an RFC 3339 time or date (local time is UTC here),
/// or Unix seconds. The error is the client's wording, without the `invalid value for` prefix.
/// `--since` and `--until` as timestamps: the client turns them into times before it asks the
/// daemon (`logs`, `events`).
pub(crate) fn time_window(parsed: &Parsed, now: SimTime) -> Result<[Option<SimTime>; 2], String> {
    let mut window = [None, None];
    for (slot, flag) in window.iter_mut().zip(["since", "until"]) {
        if let Some(text) = parsed.value(flag).filter(|t| !t.is_empty()) {
            let time = parse_time(text, now).map_err(|message| format!("invalid value for \"{flag}\": {message}"))?;
            *slot = Some(time);
        }
    }
    Ok(window)
}

pub(crate) fn parse_time(value: &str, now: SimTime) -> Result<SimTime, String> {
    if value != "0" {
        if let Some(millis) = go_duration(value) {
            let at = now.0 as i128 - millis;
            let seconds = at.div_euclid(1000).max(0);
            return Ok(SimTime((seconds * 1000) as u64));
        }
    }
    if let Some(time) = rfc3339_like(value) {
        return Ok(time);
    }
    if value.contains('-') {
        return Err(format!("parsing time \"{value}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{value}\" as \"2006\""));
    }
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let seconds: Option<i64> = whole.parse().ok();
    let fraction_ok = fraction.is_empty() || fraction.bytes().all(|b| b.is_ascii_digit());
    match seconds {
        Some(seconds) if fraction_ok => {
            let millis: u64 = format!("{fraction:0<3}").get(..3).and_then(|m| m.parse().ok()).unwrap_or(0);
            Ok(SimTime((seconds.max(0) as u64).saturating_mul(SECOND).saturating_add(millis)))
        }
        _ => Err(format!("failed to parse value as time or duration: {value:?}")),
    }
}

/// Go's `time.ParseDuration` in milliseconds (sub-millisecond parts dropped).
fn go_duration(text: &str) -> Option<i128> {
    let (sign, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, text),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..number_end];
        if number.is_empty() || number == "." {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let factor = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_end..];
        nanos += value * factor;
    }
    if !nanos.is_finite() || nanos > 9.3e18 {
        return None;
    }
    Some(sign * (nanos / 1e6) as i128)
}

/// `2026-03-02`, `2026-03-02T09`, `2026-03-02T09:00`, `2026-03-02T09:00:00[.nnn]` with an
/// optional `Z` or `±hh:mm` zone.
fn rfc3339_like(value: &str) -> Option<SimTime> {
    let split = value.len().min(10);
    let (date, rest) = (value.get(..split)?, value.get(split..)?);
    let mut parts = date.split('-');
    let year: i64 = parts.next().filter(|p| p.len() == 4)?.parse().ok()?;
    let month: u32 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let day: u32 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, zone) = match rest.find(['Z', 'z', '+']).or_else(|| rest.rfind('-')) {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let offset_minutes: i64 = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, m) = zone[1..].split_once(':')?;
            sign * (h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
        }
    };
    let (mut hour, mut minute, mut second, mut millis) = (0i64, 0i64, 0i64, 0i64);
    if !clock.is_empty() {
        let clock = clock.strip_prefix('T')?;
        let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
        let mut fields = hms.split(':');
        hour = fields.next().filter(|f| f.len() == 2)?.parse().ok()?;
        if let Some(m) = fields.next() {
            minute = m.parse().ok()?;
        }
        if let Some(s) = fields.next() {
            second = s.parse().ok()?;
        }
        if fields.next().is_some() || hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        if !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        millis = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    }
    let days = days_from_civil(year, month, day);
    if civil_from_days(days) != (year, month, day) {
        return None;
    }
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    (seconds >= 0).then(|| SimTime(seconds as u64 * 1000 + millis as u64))
}

/// (year, month, day) to days since 1970-01-01; Howard Hinnant's algorithm.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SESSION_START;

    #[test]
    fn timestamps_are_rfc3339_nano_fixed() {
        assert_eq!(log_timestamp(SESSION_START.plus(3_250)), "2026-03-02T09:00:03.250000000Z");
    }

    #[test]
    fn since_accepts_durations_dates_and_unix_seconds() {
        let now = SESSION_START.plus(5 * 60_000 + 3_250);
        assert_eq!(parse_time("10m", now), Ok(SimTime(SESSION_START.0 - 5 * 60_000 + 3_000)));
        assert_eq!(parse_time("1h30m", now).map(|t| t.rfc3339()), Ok("2026-03-02T07:35:03Z".into()));
        assert_eq!(parse_time("2026-03-02T09:00:00Z", now), Ok(SESSION_START));
        assert_eq!(parse_time("2026-03-02T10:00:00+01:00", now), Ok(SESSION_START));
        assert_eq!(parse_time("2026-03-02T09:00", now), Ok(SESSION_START));
        assert_eq!(parse_time("2026-03-02", now).map(|t| t.rfc3339()), Ok("2026-03-02T00:00:00Z".into()));
        assert_eq!(parse_time("1772442000", now), Ok(SESSION_START));
        assert_eq!(parse_time("xyz", now), Err("failed to parse value as time or duration: \"xyz\"".into()));
        assert!(parse_time("2026-13-02", now).is_err());
    }
}
