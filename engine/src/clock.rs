//! Simulated time: the engine's only clock, advanced by commands instead of read from the host.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, in simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SimTime(pub u64);

pub const SECOND: u64 = 1_000;
pub const MINUTE: u64 = 60 * SECOND;
pub const HOUR: u64 = 60 * MINUTE;
pub const DAY: u64 = 24 * HOUR;

/// Every session starts on the same morning, so transcripts are reproducible.
pub const SESSION_START: SimTime = SimTime(1_772_442_000_000); // 2026-03-02T09:00:00Z

/// How long a learner takes between two commands, in simulated time.
pub const THINK_TIME: u64 = 3 * SECOND;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Clock {
    now: SimTime,
}

impl Clock {
    pub fn new() -> Self {
        Clock { now: SESSION_START }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Moves to `time` if it is later than now.
    pub fn advance_to(&mut self, time: SimTime) -> SimTime {
        self.now = self.now.max(time);
        self.now
    }

    pub fn advance(&mut self, millis: u64) -> SimTime {
        self.now = SimTime(self.now.0 + millis);
        self.now
    }
}

impl SimTime {
    pub fn plus(self, millis: u64) -> SimTime {
        SimTime(self.0.saturating_add(millis))
    }

    /// Time elapsed since `earlier`, zero if `earlier` is in the future.
    pub fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// What `date` prints: `Mon Mar  2 09:00:00 UTC 2026`.
    pub fn date_command(self) -> String {
        const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let secs = self.0 / 1000;
        let days = secs / 86_400;
        let (year, month, day) = civil_from_days(days as i64);
        let rem = secs % 86_400;
        format!(
            "{} {} {day:>2} {:02}:{:02}:{:02} UTC {year}",
            WEEKDAYS[(days % 7) as usize],
            MONTHS[(month - 1) as usize],
            rem / 3600,
            (rem / 60) % 60,
            rem % 60
        )
    }

    /// `2026-03-02T09:00:00Z`-style (RFC 3339, second precision).
    pub fn rfc3339(self) -> String {
        let secs = self.0 / 1000;
        let (year, month, day) = civil_from_days((secs / 86_400) as i64);
        let rem = secs % 86_400;
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            (rem / 60) % 60,
            rem % 60
        )
    }
}

/// Docker's `units.HumanDuration`: "Less than a second", "About a minute", "3 weeks", …
pub fn human_duration(millis: u64) -> String {
    let seconds = millis / SECOND;
    if seconds < 1 {
        return "Less than a second".into();
    }
    if seconds == 1 {
        return "1 second".into();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = millis / MINUTE;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    // Go rounds to the nearest hour here (half away from zero).
    let hours = (millis + HOUR / 2) / HOUR;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", millis / HOUR / 24 / 365)
}

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's algorithm.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations_match_docker_units() {
        let cases = [
            (0, "Less than a second"),
            (1_500, "1 second"),
            (59 * SECOND, "59 seconds"),
            (60 * SECOND, "About a minute"),
            (119 * SECOND, "About a minute"),
            (2 * MINUTE, "2 minutes"),
            (59 * MINUTE, "59 minutes"),
            (60 * MINUTE, "About an hour"),
            (89 * MINUTE, "About an hour"),
            (90 * MINUTE, "2 hours"),
            (47 * HOUR, "47 hours"),
            (48 * HOUR, "2 days"),
            (13 * DAY, "13 days"),
            (14 * DAY, "2 weeks"),
            (59 * DAY, "8 weeks"),
            (60 * DAY, "2 months"),
            (729 * DAY, "24 months"),
            (730 * DAY, "2 years"),
        ];
        for (millis, expected) in cases {
            assert_eq!(human_duration(millis), expected, "{millis} ms");
        }
    }

    #[test]
    fn session_starts_on_a_known_date() {
        assert_eq!(SESSION_START.rfc3339(), "2026-03-02T09:00:00Z");
        assert_eq!(SESSION_START.date_command(), "Mon Mar  2 09:00:00 UTC 2026");
        assert_eq!(SimTime(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(SimTime(951_782_400_000).rfc3339(), "2000-02-29T00:00:00Z");
    }
}
