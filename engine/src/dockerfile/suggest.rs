//! "Did you mean …?" hints for misspelled instructions and flags, as BuildKit's `suggest`
//! package gives them (Levenshtein distance below 3, closest wins).

/// The closest option to `value`, if any is near enough and none matches exactly.
/// Options are tried in the given order, so callers pass them sorted to stay deterministic.
pub fn closest(value: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let folded = if case_sensitive {
        value.to_string()
    } else {
        value.to_lowercase()
    };
    let mut best: Option<String> = None;
    let mut best_distance = 3;
    for option in options {
        let option = if case_sensitive {
            option.to_string()
        } else {
            option.to_lowercase()
        };
        if folded == option {
            // An exact match means the error was about something else.
            return None;
        }
        let distance = levenshtein(&folded, &option);
        if distance < best_distance {
            best_distance = distance;
            best = Some(if case_sensitive {
                option
            } else {
                match_case(&option, value)
            });
        }
    }
    best
}

/// " (did you mean x?)" or "".
pub fn hint(value: &str, options: &[&str], case_sensitive: bool) -> String {
    closest(value, options, case_sensitive)
        .map(|m| format!(" (did you mean {m}?)"))
        .unwrap_or_default()
}

fn match_case(option: &str, original: &str) -> String {
    if original == original.to_lowercase() {
        option.to_lowercase()
    } else if original == original.to_uppercase() {
        option.to_uppercase()
    } else {
        option.to_string()
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_keeping_the_writers_case() {
        assert_eq!(hint("RUNN", &["ADD", "RUN"], false), " (did you mean RUN?)");
        assert_eq!(
            hint("cpy", &["copy", "run"], false),
            " (did you mean copy?)"
        );
        assert_eq!(hint("FOO", &["ADD", "RUN"], false), "");
        assert_eq!(
            hint("chwn", &["chmod", "chown"], true),
            " (did you mean chown?)"
        );
    }
}
