//! GNU `grep`: `-i -v -c -n -E -F -q -o -w -l -h -H -e PATTERN`, patterns from the command line,
//! status 0 when a line matched, 1 when none did, 2 on errors (which `-q` does not hide).

use super::regex::Regex;
use super::{read_inputs, Files};
use crate::outcome::Outcome;

const USAGE: &str = "Usage: grep [OPTION]... PATTERNS [FILE]...";

#[derive(Default)]
struct Options {
    ignore_case: bool,
    invert: bool,
    count: bool,
    numbers: bool,
    extended: bool,
    fixed: bool,
    quiet: bool,
    only: bool,
    words: bool,
    files_with_matches: bool,
    with_name: Option<bool>,
}

/// `mode` is `Some(true)` for `egrep`, `Some(false)` for `fgrep`.
pub fn run(args: &[String], stdin: &str, files: &Files, mode: Option<bool>) -> Outcome {
    let mut options = Options { extended: mode == Some(true), fixed: mode == Some(false), ..Options::default() };
    let mut patterns: Vec<String> = Vec::new();
    let mut operands: Vec<String> = Vec::new();
    let mut index = 0;
    let mut only_operands = false;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        if only_operands || arg == "-" || !arg.starts_with('-') {
            operands.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_operands = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            match long {
                "ignore-case" => options.ignore_case = true,
                "invert-match" => options.invert = true,
                "count" => options.count = true,
                "line-number" => options.numbers = true,
                "extended-regexp" => options.extended = true,
                "fixed-strings" => options.fixed = true,
                "quiet" | "silent" => options.quiet = true,
                "only-matching" => options.only = true,
                "word-regexp" => options.words = true,
                "files-with-matches" => options.files_with_matches = true,
                "color" | "colour" | "color=auto" | "colour=auto" | "color=never" => {}
                _ if long.starts_with("regexp=") => patterns.push(long["regexp=".len()..].to_string()),
                _ => {
                    let mut outcome = Outcome::default();
                    outcome.err(format!("grep: unrecognized option '{arg}'"));
                    outcome.err(USAGE);
                    outcome.err("Try 'grep --help' for more information.");
                    return outcome.fail(2);
                }
            }
            continue;
        }
        let flags: Vec<char> = arg[1..].chars().collect();
        for (position, flag) in flags.iter().enumerate() {
            match flag {
                'i' | 'y' => options.ignore_case = true,
                'v' => options.invert = true,
                'c' => options.count = true,
                'n' => options.numbers = true,
                'E' => options.extended = true,
                'F' => options.fixed = true,
                'G' => options.extended = false,
                'q' | 's' => options.quiet |= *flag == 'q',
                'o' => options.only = true,
                'w' => options.words = true,
                'l' => options.files_with_matches = true,
                'h' => options.with_name = Some(false),
                'H' => options.with_name = Some(true),
                'r' | 'R' | 'a' | 'I' => {}
                'e' => {
                    let rest: String = flags[position + 1..].iter().collect();
                    if !rest.is_empty() {
                        patterns.push(rest);
                    } else if let Some(next) = args.get(index) {
                        patterns.push(next.clone());
                        index += 1;
                    } else {
                        let mut outcome = Outcome::default();
                        outcome.err("grep: option requires an argument -- 'e'");
                        outcome.err(USAGE);
                        outcome.err("Try 'grep --help' for more information.");
                        return outcome.fail(2);
                    }
                    break;
                }
                other => {
                    let mut outcome = Outcome::default();
                    outcome.err(format!("grep: invalid option -- '{other}'"));
                    outcome.err(USAGE);
                    outcome.err("Try 'grep --help' for more information.");
                    return outcome.fail(2);
                }
            }
        }
    }
    if patterns.is_empty() {
        if operands.is_empty() {
            let mut outcome = Outcome::default();
            outcome.err(USAGE);
            outcome.err("Try 'grep --help' for more information.");
            return outcome.fail(2);
        }
        patterns.push(operands.remove(0));
    }
    // A pattern with newlines is several patterns, as GNU grep reads it.
    let patterns: Vec<String> = patterns.iter().flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>()).collect();
    let mut regexes = Vec::new();
    for pattern in &patterns {
        let regex = if options.fixed {
            Ok(Regex::literal(pattern, options.ignore_case))
        } else {
            Regex::new(pattern, options.extended, options.ignore_case)
        };
        match regex {
            Ok(regex) => regexes.push(regex),
            Err(message) => {
                let mut outcome = Outcome::default();
                outcome.err(format!("grep: {message}"));
                return outcome.fail(2);
            }
        }
    }
    let mut outcome = Outcome::default();
    let inputs = read_inputs("grep", &operands, stdin, files, &mut outcome, 2);
    let show_name = options.with_name.unwrap_or(operands.len() > 1);
    let mut matched_any = false;
    for (name, text) in &inputs {
        let mut count = 0;
        for (number, line) in text.lines().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            let matches = find_all(&regexes, &chars, options.words);
            let selected = matches.is_empty() == options.invert;
            if !selected {
                continue;
            }
            count += 1;
            matched_any = true;
            if options.quiet {
                return Outcome::default();
            }
            if options.count || options.files_with_matches {
                continue;
            }
            let prefix = format!(
                "{}{}",
                if show_name { format!("{name}:") } else { String::new() },
                if options.numbers { format!("{}:", number + 1) } else { String::new() }
            );
            if options.only {
                if !options.invert {
                    for (start, end) in matches.into_iter().filter(|(s, e)| e > s) {
                        outcome.out(format!("{prefix}{}", chars[start..end].iter().collect::<String>()));
                    }
                }
            } else {
                outcome.out(format!("{prefix}{line}"));
            }
        }
        if options.files_with_matches && count > 0 {
            outcome.out(name.clone());
        } else if options.count && !options.quiet {
            outcome.out(if show_name { format!("{name}:{count}") } else { count.to_string() });
        }
    }
    // An unreadable file makes the status 2 even when other files matched.
    if outcome.exit_code == 2 {
        return outcome;
    }
    outcome.exit_code = if matched_any { 0 } else { 1 };
    outcome
}

/// Every non-overlapping match of any pattern in a line, left to right (`-w`: only matches that
/// are whole words).
fn find_all(regexes: &[Regex], chars: &[char], words: bool) -> Vec<(usize, usize)> {
    let is_word = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric() || *c == '_');
    let mut found = Vec::new();
    let mut from = 0;
    while from <= chars.len() {
        let best = regexes
            .iter()
            .filter_map(|regex| {
                let mut start = from;
                loop {
                    let (s, e) = regex.find_chars(chars, start)?;
                    if !words || ((s == 0 || !is_word(s - 1)) && !is_word(e) && e > s) {
                        return Some((s, e));
                    }
                    start = s + 1;
                    if start > chars.len() {
                        return None;
                    }
                }
            })
            .min_by_key(|&(s, e)| (s, usize::MAX - e));
        let Some((start, end)) = best else {
            break;
        };
        found.push((start, end));
        from = if end > start { end } else { end + 1 };
    }
    found
}
