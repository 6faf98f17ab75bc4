//! GNU `grep`: `-i -v -c -n -E -F -q -o -w -l -h -H -e PATTERN -A/-B/-C N`, patterns from the command line,
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
    /// Lines of context after (`-A`) and before (`-B`) each match.
    after: usize,
    before: usize,
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
                'e' | 'A' | 'B' | 'C' => {
                    let rest: String = flags[position + 1..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else if let Some(next) = args.get(index) {
                        index += 1;
                        next.clone()
                    } else {
                        let mut outcome = Outcome::default();
                        outcome.err(format!("grep: option requires an argument -- '{flag}'"));
                        outcome.err(USAGE);
                        outcome.err("Try 'grep --help' for more information.");
                        return outcome.fail(2);
                    };
                    if *flag == 'e' {
                        patterns.push(value);
                        break;
                    }
                    let Ok(lines) = value.parse::<usize>() else {
                        let mut outcome = Outcome::default();
                        outcome.err(format!("grep: {value}: invalid context length argument"));
                        return outcome.fail(2);
                    };
                    if *flag != 'B' {
                        options.after = lines;
                    }
                    if *flag != 'A' {
                        options.before = lines;
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
    // Across files too, GNU grep separates non-adjacent context groups with `--`.
    let mut last_printed: Option<i64> = None;
    for (name, text) in &inputs {
        // A new file's first group is never adjacent to the last one printed.
        if last_printed.is_some() {
            last_printed = Some(-2);
        }
        let mut count = 0;
        let lines: Vec<&str> = text.lines().collect();
        let context = options.after + options.before > 0;
        // The last line printed and how many after-context lines are still owed.
        let mut after_left = 0;
        for (number, line) in lines.iter().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            let matches = find_all(&regexes, &chars, options.words);
            let selected = matches.is_empty() == options.invert;
            let plain = !(options.quiet || options.count || options.files_with_matches || options.only);
            if !selected {
                if after_left > 0 && plain {
                    after_left -= 1;
                    emit(&mut outcome, &mut last_printed, number, line, name, show_name, options.numbers, '-', context);
                }
                continue;
            }
            if plain && context {
                let first = number.saturating_sub(options.before);
                for (before, text) in lines.iter().enumerate().take(number).skip(first) {
                    if last_printed.is_none_or(|last| before as i64 > last) {
                        emit(&mut outcome, &mut last_printed, before, text, name, show_name, options.numbers, '-', context);
                    }
                }
                after_left = options.after;
            }
            count += 1;
            matched_any = true;
            if options.quiet {
                return Outcome::default();
            }
            if options.count || options.files_with_matches {
                continue;
            }
            if options.only {
                let prefix = format!(
                    "{}{}",
                    if show_name { format!("{name}:") } else { String::new() },
                    if options.numbers { format!("{}:", number + 1) } else { String::new() }
                );
                if !options.invert {
                    for (start, end) in matches.into_iter().filter(|(s, e)| e > s) {
                        outcome.out(format!("{prefix}{}", chars[start..end].iter().collect::<String>()));
                    }
                }
            } else {
                emit(&mut outcome, &mut last_printed, number, line, name, show_name, options.numbers, ':', context);
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

/// Prints one line of output: `name:` / `N:` before a match, `name-` / `N-` before context, and a
/// `--` line first when context is on and this line does not follow the last one printed.
#[allow(clippy::too_many_arguments)]
fn emit(outcome: &mut Outcome, last_printed: &mut Option<i64>, number: usize, line: &str, name: &str, show_name: bool, numbers: bool, mark: char, context: bool) {
    if context && last_printed.is_some_and(|last| number as i64 > last + 1) {
        outcome.out("--");
    }
    *last_printed = Some(number as i64);
    let mut text = String::new();
    if show_name {
        text.push_str(name);
        text.push(mark);
    }
    if numbers {
        text.push_str(&format!("{}{mark}", number + 1));
    }
    text.push_str(line);
    outcome.out(text);
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
