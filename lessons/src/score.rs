//! A drill's score: time against par, hints taken and commands typed, out of 1000.

/// How a drill went, in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub total: u32,
    /// Up to 600: full within par, nothing at three times par.
    pub time: u32,
    /// Up to 250, less 75 per hint.
    pub hints: u32,
    /// Up to 150, less 5 per command beyond the first 10.
    pub commands: u32,
    pub within_par: bool,
}

impl Score {
    pub fn compute(par_minutes: u32, elapsed_seconds: u64, hints_used: usize, commands_typed: usize, finished: bool) -> Score {
        if !finished {
            return Score { total: 0, time: 0, hints: 0, commands: 0, within_par: false };
        }
        let par = u64::from(par_minutes.max(1)) * 60;
        let time = if elapsed_seconds <= par {
            600
        } else {
            let over = (elapsed_seconds - par).min(2 * par);
            (600 - over * 600 / (2 * par)) as u32
        };
        let hints = 250u32.saturating_sub(75 * hints_used as u32);
        let commands = 150u32.saturating_sub(5 * commands_typed.saturating_sub(10) as u32);
        Score { total: time + hints + commands, time, hints, commands, within_par: elapsed_seconds <= par }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_marks_within_par_without_help() {
        assert_eq!(Score::compute(10, 300, 0, 8, true).total, 1000);
    }

    #[test]
    fn time_hints_and_commands_cost_points() {
        let score = Score::compute(10, 1200, 2, 20, true);
        assert_eq!(score.time, 300);
        assert_eq!(score.hints, 100);
        assert_eq!(score.commands, 100);
        assert!(!score.within_par);
        assert_eq!(Score::compute(10, 10_000, 9, 100, true).total, 0);
    }

    #[test]
    fn unfinished_scores_nothing() {
        assert_eq!(Score::compute(10, 60, 0, 1, false).total, 0);
    }
}
