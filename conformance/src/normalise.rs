//! The normalisation rules a scenario declares: what may differ between two runs of the same
//! commands (IDs, ages, sizes, addresses) is replaced by a placeholder on both sides.

use regex::Regex;

/// A named rule, as written in a scenario's `normalise:` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// 64- and 12-hex IDs, `sha256:` digests → `<id>`.
    Ids,
    /// `3 seconds ago`, `About a minute`, `Less than a second`, RFC 3339 and Go timestamps → `<age>`/`<time>`.
    Ages,
    /// `1.2MB`, `4.26kB`, `0B`, `12.5MiB / 3.823GiB`, percentages → `<size>`/`<pct>`.
    Sizes,
    /// IPv4 addresses and subnets → `<ip>`.
    Ips,
    /// Host port numbers after a `:` (ephemeral ports are the engine's choice) → `:<port>`.
    Ports,
}

impl Rule {
    pub fn parse(name: &str) -> Option<Rule> {
        Some(match name {
            "ids" => Rule::Ids,
            "ages" => Rule::Ages,
            "sizes" => Rule::Sizes,
            "ips" => Rule::Ips,
            "ports" => Rule::Ports,
            _ => return None,
        })
    }

    fn patterns(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Rule::Ids => &[
                (r"sha256:[0-9a-f]{64}", "<id>"),
                (r"\b[0-9a-f]{64}\b", "<id>"),
                (r"\b[0-9a-f]{12}\b", "<id>"),
            ],
            Rule::Ages => &[
                (r"\d{4}-\d\d-\d\d[T ][0-9:.]+( ?(Z|[+-]\d\d:?\d\d))?( [A-Z]{3,4})?", "<time>"),
                (
                    r"(Less than a|About an?|an?|\d+) (second|minute|hour|day|week|month|year)s?( ago)?",
                    "<age>",
                ),
            ],
            Rule::Sizes => &[
                (r"\b\d+(\.\d+)?\s?(B|kB|KB|MB|GB|TB|KiB|MiB|GiB)\b", "<size>"),
                (r"\b\d+(\.\d+)?%", "<pct>"),
            ],
            Rule::Ips => &[(r"\b\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?\b", "<ip>")],
            Rule::Ports => &[(r":\d{2,5}\b", ":<port>")],
        }
    }
}

/// `text` with the rules applied (in a fixed order), then each scenario-specific
/// `(pattern, replacement)`, trailing blanks and runs of spaces collapsed: table columns are as
/// wide as their widest cell, so a placeholder changes the padding, not the table.
pub fn normalise(text: &str, rules: &[Rule], replace: &[(String, String)]) -> String {
    let mut text = text.trim_end_matches('\n').to_string();
    for rule in [Rule::Ids, Rule::Ages, Rule::Sizes, Rule::Ips, Rule::Ports] {
        if rules.contains(&rule) {
            for (pattern, with) in rule.patterns() {
                text = Regex::new(pattern).map(|re| re.replace_all(&text, *with).into_owned()).unwrap_or(text);
            }
        }
    }
    for (pattern, with) in replace {
        if let Ok(re) = Regex::new(pattern) {
            text = re.replace_all(&text, with.as_str()).into_owned();
        }
    }
    let spaces = Regex::new(" {2,}").map(Some).unwrap_or(None);
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            match &spaces {
                Some(re) => re.replace_all(line, "  ").into_owned(),
                None => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_replace_what_varies_between_runs() {
        let rules = [Rule::Ids, Rule::Ages, Rule::Sizes, Rule::Ips];
        let ps = "3f4e5a6b7c8d   busybox   \"sleep 300\"   5 seconds ago   Up 4 seconds   cf-a";
        assert_eq!(normalise(ps, &rules, &[]), "<id>  busybox  \"sleep 300\"  <age>  Up <age>  cf-a");
        assert_eq!(normalise("Exited (137) Less than a second ago", &rules, &[]), "Exited (137) <age>");
        assert_eq!(normalise("4.26MB 0B 12%", &rules, &[]), "<size> <size> <pct>");
        assert_eq!(normalise("172.18.0.0/16 10.88.0.5", &rules, &[]), "<ip> <ip>");
        assert_eq!(normalise("a\n", &[], &[("a".into(), "b".into())]), "b");
    }
}
