//! Percentiles and medians for the benchmark tables.

/// Latency of one command over all its samples, in the samples' unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub command: String,
    pub count: usize,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

/// Nearest-rank percentile (`p` in 0..=100) of ascending `sorted`: the smallest sample with at
/// least `p`% of the samples at or below it.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The middle value (mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Groups `(command, value)` samples per command, in order of each command's first sample.
pub fn by_command(samples: &[(String, f64)]) -> Vec<Summary> {
    let mut groups: Vec<(String, Vec<f64>)> = Vec::new();
    for (command, value) in samples {
        match groups.iter_mut().find(|(c, _)| c == command) {
            Some((_, values)) => values.push(*value),
            None => groups.push((command.clone(), vec![*value])),
        }
    }
    groups
        .into_iter()
        .map(|(command, mut values)| {
            values.sort_by(f64::total_cmp);
            Summary {
                command,
                count: values.len(),
                p50: percentile(&values, 50.0),
                p99: percentile(&values, 99.0),
                max: values.last().copied().unwrap_or(f64::NAN),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&hundred, 50.0), 50.0);
        assert_eq!(percentile(&hundred, 99.0), 99.0);
        assert_eq!(percentile(&hundred, 100.0), 100.0);
        assert_eq!(percentile(&hundred, 0.0), 1.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
        assert!(percentile(&[], 50.0).is_nan());
        // With 10 samples, p99 is the largest.
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 99.0), 10.0);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[5.0, 1.0, 3.0, 9.0, 2.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn groups_by_command_in_first_seen_order() {
        let samples: Vec<(String, f64)> =
            [("b", 3.0), ("a", 1.0), ("b", 1.0), ("b", 2.0), ("a", 9.0)]
                .iter()
                .map(|(c, v)| (c.to_string(), *v))
                .collect();
        let summaries = by_command(&samples);
        assert_eq!(summaries.len(), 2);
        assert_eq!(
            summaries[0],
            Summary {
                command: "b".into(),
                count: 3,
                p50: 2.0,
                p99: 3.0,
                max: 3.0
            }
        );
        assert_eq!(
            summaries[1],
            Summary {
                command: "a".into(),
                count: 2,
                p50: 1.0,
                p99: 9.0,
                max: 9.0
            }
        );
    }
}
