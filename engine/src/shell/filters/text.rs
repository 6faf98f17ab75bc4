//! Coreutils' line filters: `head`, `tail`, `wc`, `sort`, `uniq`, `cut`, `tr`, `column -t`, and
//! `less`/`more`, which only pass text through (the terminal has no pager).

use super::{bad_usage, read_inputs, Files};
use crate::outcome::Outcome;

pub fn run(name: &str, args: &[String], stdin: &str, files: &Files) -> Outcome {
    match name {
        "head" | "tail" => head_tail(name, args, stdin, files),
        "wc" => wc(args, stdin, files),
        "sort" => sort(args, stdin, files),
        "uniq" => uniq(args, stdin, files),
        "cut" => cut(args, stdin, files),
        "tr" => tr(args, stdin),
        "column" => column(args, stdin, files),
        _ => {
            let mut outcome = Outcome::default();
            let operands: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
            for (_, text) in read_inputs(name, &operands, stdin, files, &mut outcome, 1) {
                outcome.out_text(&text);
            }
            outcome
        }
    }
}

/// Splits `-n5`, `-n 5`, `--lines=5` style options: returns the value and how many words it took.
fn option_value(args: &[String], index: usize, short: &str, long: &str) -> Option<(String, usize)> {
    let arg = &args[index];
    if arg == short || arg == long {
        return Some((args.get(index + 1)?.clone(), 2));
    }
    if let Some(value) = arg.strip_prefix(&format!("{long}=")) {
        return Some((value.to_string(), 1));
    }
    arg.strip_prefix(short).filter(|v| !v.is_empty()).map(|v| (v.to_string(), 1))
}

fn head_tail(name: &str, args: &[String], stdin: &str, files: &Files) -> Outcome {
    let mut count: i64 = 10;
    let mut bytes = false;
    let mut from_start = false;
    let mut quiet = false;
    let mut operands = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        let lines = option_value(args, index, "-n", "--lines");
        let chars = option_value(args, index, "-c", "--bytes");
        if let Some((value, used)) = lines.clone().or(chars.clone()) {
            bytes = lines.is_none();
            let unit = if bytes { "bytes" } else { "lines" };
            from_start = name == "tail" && value.starts_with('+');
            match value.trim_start_matches('+').parse::<i64>() {
                Ok(n) if name == "tail" => count = n.abs(),
                Ok(n) => count = n,
                Err(_) => {
                    let mut outcome = Outcome::default();
                    outcome.err(format!("{name}: invalid number of {unit}: '{value}'"));
                    return outcome.fail(1);
                }
            }
            index += used;
            continue;
        }
        if arg == "-n" || arg == "-c" {
            return bad_usage(name, &format!("option requires an argument -- '{}'", &arg[1..]), 1);
        }
        if arg.len() > 1 && arg.starts_with('-') && arg[1..].chars().all(|c| c.is_ascii_digit()) {
            count = arg[1..].parse().unwrap_or(i64::MAX);
        } else if arg == "-q" || arg == "-f" || arg == "-F" || arg == "--follow" {
            quiet |= arg == "-q";
        } else if arg.starts_with('-') && arg != "-" {
            return bad_usage(name, &format!("invalid option -- '{}'", arg.trim_start_matches('-').chars().next().unwrap_or('-')), 1);
        } else {
            operands.push(arg.clone());
        }
        index += 1;
    }
    let mut outcome = Outcome::default();
    let show_headers = operands.len() > 1 && !quiet;
    let mut first = true;
    for operand in if operands.is_empty() { vec!["-".to_string()] } else { operands } {
        let text = if operand == "-" {
            stdin.to_string()
        } else {
            match files(&operand) {
                Ok(text) => text,
                Err(reason) => {
                    outcome.err(format!("{name}: cannot open '{operand}' for reading: {reason}"));
                    outcome.exit_code = 1;
                    continue;
                }
            }
        };
        if show_headers {
            if !first {
                outcome.out("");
            }
            outcome.out(format!("==> {} <==", if operand == "-" { "standard input" } else { &operand }));
        }
        first = false;
        let picked = if bytes {
            let all: Vec<char> = text.chars().collect();
            let n = (count.unsigned_abs() as usize).min(all.len());
            let range = match (name, count < 0, from_start) {
                ("head", false, _) => 0..n,
                ("head", true, _) => 0..all.len() - n,
                (_, _, true) => n.saturating_sub(1).min(all.len())..all.len(),
                _ => all.len() - n..all.len(),
            };
            all[range].iter().collect::<String>()
        } else {
            let lines: Vec<&str> = text.lines().collect();
            let n = (count.unsigned_abs() as usize).min(lines.len());
            let range = match (name, count < 0, from_start) {
                ("head", false, _) => 0..n,
                ("head", true, _) => 0..lines.len() - n,
                (_, _, true) => n.saturating_sub(1).min(lines.len())..lines.len(),
                _ => lines.len() - n..lines.len(),
            };
            lines[range].iter().map(|l| format!("{l}\n")).collect()
        };
        outcome.out_text(&picked);
    }
    outcome
}

fn wc(args: &[String], stdin: &str, files: &Files) -> Outcome {
    let (mut lines, mut words, mut bytes, mut chars) = (false, false, false, false);
    let mut operands = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--lines" => lines = true,
            "--words" => words = true,
            "--bytes" => bytes = true,
            "--chars" => chars = true,
            flag if flag.starts_with('-') && flag.len() > 1 => {
                for c in flag[1..].chars() {
                    match c {
                        'l' => lines = true,
                        'w' => words = true,
                        'c' => bytes = true,
                        'm' => chars = true,
                        other => return bad_usage("wc", &format!("invalid option -- '{other}'"), 1),
                    }
                }
            }
            _ => operands.push(arg.clone()),
        }
    }
    if !(lines || words || bytes || chars) {
        (lines, words, bytes) = (true, true, true);
    }
    let mut outcome = Outcome::default();
    let mut rows: Vec<(Vec<usize>, String)> = Vec::new();
    let reading_stdin = operands.is_empty() || operands.iter().any(|o| o == "-");
    let inputs = read_inputs("wc", &operands, stdin, files, &mut outcome, 1);
    let errors = std::mem::take(&mut outcome.output);
    for (name, text) in &inputs {
        let mut counts = Vec::new();
        if lines {
            counts.push(text.matches('\n').count());
        }
        if words {
            counts.push(text.split_whitespace().count());
        }
        if chars {
            counts.push(text.chars().count());
        }
        if bytes {
            counts.push(text.len());
        }
        let label = if operands.is_empty() { String::new() } else if name == "(standard input)" { "-".into() } else { name.clone() };
        rows.push((counts, label));
    }
    if rows.len() > 1 {
        let columns = rows[0].0.len();
        let totals = (0..columns).map(|c| rows.iter().map(|r| r.0[c]).sum()).collect();
        rows.push((totals, "total".into()));
    }
    let columns = rows.first().map_or(0, |r| r.0.len());
    // GNU wc pads to the width of the largest file size, or 7 when reading a pipe, except for a
    // lone count of a lone input.
    let width = if columns == 1 && inputs.len() == 1 {
        1
    } else if reading_stdin {
        7
    } else {
        inputs.iter().map(|(_, t)| t.len()).sum::<usize>().to_string().len()
    };
    outcome.output = errors;
    for (counts, label) in rows {
        let mut line = counts.iter().map(|c| format!("{c:>width$}")).collect::<Vec<_>>().join(" ");
        if !label.is_empty() {
            line.push(' ');
            line.push_str(&label);
        }
        outcome.out(line);
    }
    outcome
}

/// A sort key: `-k N[,M]` fields (1-based, inclusive).
struct Key {
    start: usize,
    end: Option<usize>,
}

fn sort(args: &[String], stdin: &str, files: &Files) -> Outcome {
    let (mut numeric, mut human, mut reverse, mut unique, mut fold) = (false, false, false, false, false);
    let mut keys: Vec<Key> = Vec::new();
    let mut separator: Option<char> = None;
    let mut operands = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        if arg == "-k" || arg == "-t" || (arg.starts_with("-k") || arg.starts_with("-t")) && arg.len() > 2 {
            let value = if arg.len() > 2 {
                arg[2..].to_string()
            } else if let Some(value) = args.get(index) {
                index += 1;
                value.clone()
            } else {
                return bad_usage("sort", &format!("option requires an argument -- '{}'", arg.chars().nth(1).unwrap_or('-')), 2);
            };
            if arg.starts_with("-t") {
                let mut chars = value.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => separator = Some(c),
                    _ => {
                        let mut outcome = Outcome::default();
                        outcome.err(format!("sort: multi-character tab '{value}'"));
                        return outcome.fail(2);
                    }
                }
                continue;
            }
            let field = |text: &str| text.split('.').next().unwrap_or_default().trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse::<usize>().ok().filter(|n| *n > 0);
            let (start, end) = match value.split_once(',') {
                Some((a, b)) => (field(a), Some(field(b))),
                None => (field(&value), None),
            };
            // Flags after the field number (`-k3h`, `-k2,2n`) apply to the whole sort here.
            numeric |= value.contains('n');
            human |= value.contains('h');
            reverse |= value.contains('r');
            match (start, end) {
                (Some(start), None) => keys.push(Key { start, end: None }),
                (Some(start), Some(Some(end))) => keys.push(Key { start, end: Some(end) }),
                _ => {
                    let mut outcome = Outcome::default();
                    outcome.err(format!("sort: invalid number at field start: invalid count at start of '{value}'"));
                    return outcome.fail(2);
                }
            }
            continue;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            for c in arg[1..].chars() {
                match c {
                    'n' => numeric = true,
                    'h' => human = true,
                    'r' => reverse = true,
                    'u' => unique = true,
                    'f' => fold = true,
                    'b' | 's' | 'V' => {}
                    other => return bad_usage("sort", &format!("invalid option -- '{other}'"), 2),
                }
            }
            continue;
        }
        operands.push(arg.clone());
    }
    let mut outcome = Outcome::default();
    let inputs = read_inputs("sort", &operands, stdin, files, &mut outcome, 2);
    if outcome.exit_code != 0 {
        // GNU sort reads every file before writing: one unreadable file means no output.
        outcome.output.iter_mut().for_each(|l| l.text = l.text.replacen("sort: ", "sort: cannot read: ", 1));
        return outcome;
    }
    let mut lines: Vec<String> = inputs.iter().flat_map(|(_, t)| t.lines().map(str::to_string)).collect();
    let key_text = |line: &str| -> String {
        if keys.is_empty() {
            return line.to_string();
        }
        let fields = split_fields(line, separator);
        keys.iter()
            .map(|key| {
                let end = key.end.unwrap_or(fields.len()).min(fields.len());
                if key.start > end {
                    return String::new();
                }
                fields[key.start - 1..end].join(&separator.map(String::from).unwrap_or(" ".into()))
            })
            .collect::<Vec<_>>()
            .join("\u{0}")
    };
    let compare = |a: &String, b: &String| {
        let (ka, kb) = (key_text(a), key_text(b));
        let primary = if human || numeric {
            let value = |s: &str| if human { human_value(s) } else { number_value(s) };
            value(&ka).partial_cmp(&value(&kb)).unwrap_or(std::cmp::Ordering::Equal)
        } else if fold {
            ka.to_uppercase().cmp(&kb.to_uppercase())
        } else {
            ka.cmp(&kb)
        };
        // Equal keys fall back to the whole line, as GNU sort does without -s.
        let ordering = if primary == std::cmp::Ordering::Equal && !unique { a.cmp(b) } else { primary };
        if reverse { ordering.reverse() } else { ordering }
    };
    lines.sort_by(compare);
    if unique {
        lines.dedup_by(|a, b| compare(a, b) == std::cmp::Ordering::Equal);
    }
    for line in lines {
        outcome.out(line);
    }
    outcome
}

/// Fields for `sort -k` and `awk`: runs of blanks separate them unless a separator is given.
fn split_fields(line: &str, separator: Option<char>) -> Vec<&str> {
    match separator {
        Some(c) => line.split(c).collect(),
        None => line.split_whitespace().collect(),
    }
}

/// The leading number of a field (`12.5%` → 12.5); text without one sorts as 0.
fn number_value(text: &str) -> f64 {
    let text = text.trim_start();
    let end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
        .map_or(text.len(), |(i, _)| i);
    text[..end].parse().unwrap_or(0.0)
}

/// `sort -h`: a number with an SI suffix (`1.5GiB`, `512M`, `20kB`).
fn human_value(text: &str) -> f64 {
    let text = text.trim_start();
    let number = number_value(text);
    let digits = text.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-').count();
    let power = match text.chars().nth(digits) {
        Some('k' | 'K') => 1,
        Some('M') => 2,
        Some('G') => 3,
        Some('T') => 4,
        Some('P') => 5,
        _ => 0,
    };
    number * 1024f64.powi(power)
}

fn uniq(args: &[String], stdin: &str, files: &Files) -> Outcome {
    let (mut count, mut repeated, mut unique, mut fold) = (false, false, false, false);
    let mut operands = Vec::new();
    for arg in args {
        if arg.starts_with('-') && arg.len() > 1 {
            for c in arg[1..].chars() {
                match c {
                    'c' => count = true,
                    'd' => repeated = true,
                    'u' => unique = true,
                    'i' => fold = true,
                    other => return bad_usage("uniq", &format!("invalid option -- '{other}'"), 1),
                }
            }
        } else {
            operands.push(arg.clone());
        }
    }
    let mut outcome = Outcome::default();
    let inputs = read_inputs("uniq", &operands[..operands.len().min(1)], stdin, files, &mut outcome, 1);
    let mut groups: Vec<(usize, &str)> = Vec::new();
    for (_, text) in &inputs {
        for line in text.lines() {
            match groups.last_mut() {
                Some((n, last)) if *last == line || (fold && last.to_lowercase() == line.to_lowercase()) => *n += 1,
                _ => groups.push((1, line)),
            }
        }
    }
    for (n, line) in groups {
        if (repeated && n < 2) || (unique && n > 1) {
            continue;
        }
        outcome.out(if count { format!("{n:>7} {line}") } else { line.to_string() });
    }
    outcome
}

/// A `cut` list (`1,3-4,6-`): whether 1-based position `n` is in it.
fn in_list(list: &[(usize, usize)], n: usize) -> bool {
    list.iter().any(|&(a, b)| a <= n && n <= b)
}

fn parse_list(text: &str, by_field: bool) -> Result<Vec<(usize, usize)>, String> {
    let from_one = if by_field { "fields are numbered from 1" } else { "byte/character positions are numbered from 1" };
    let mut list = Vec::new();
    for part in text.split(',') {
        let number = |s: &str, default: usize| -> Result<usize, String> {
            if s.is_empty() {
                return Ok(default);
            }
            match s.parse::<usize>() {
                Ok(0) => Err(from_one.into()),
                Ok(n) => Ok(n),
                Err(_) => Err(format!("invalid field value '{s}'")),
            }
        };
        let range = match part.split_once('-') {
            Some(("", "")) => return Err("invalid range with no endpoint: -".into()),
            Some((a, b)) => (number(a, 1)?, number(b, usize::MAX)?),
            None => {
                let n = number(part, 0)?;
                (n, n)
            }
        };
        if range.1 < range.0 {
            return Err("invalid decreasing range".into());
        }
        list.push(range);
    }
    Ok(list)
}

fn cut(args: &[String], stdin: &str, files: &Files) -> Outcome {
    let mut delimiter = '\t';
    let mut fields: Option<String> = None;
    let mut characters: Option<String> = None;
    let mut only_delimited = false;
    let mut operands = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        let mut value_of = |flag: &str| -> Option<Option<String>> {
            if arg == flag {
                let value = args.get(index).cloned();
                index += 1;
                Some(value)
            } else {
                arg.strip_prefix(flag).map(|v| Some(v.to_string()))
            }
        };
        if let Some(value) = value_of("-d") {
            let Some(value) = value else {
                return bad_usage("cut", "option requires an argument -- 'd'", 1);
            };
            let mut chars = value.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => delimiter = c,
                _ => return bad_usage("cut", "the delimiter must be a single character", 1),
            }
        } else if let Some(value) = value_of("-f") {
            fields = value;
        } else if let Some(value) = value_of("-c").or_else(|| value_of("-b")) {
            characters = value;
        } else if arg == "-s" {
            only_delimited = true;
        } else if arg.starts_with('-') && arg.len() > 1 {
            return bad_usage("cut", &format!("invalid option -- '{}'", arg.chars().nth(1).unwrap_or('-')), 1);
        } else {
            operands.push(arg.clone());
        }
    }
    let (list, by_field) = match (&fields, &characters) {
        (Some(list), None) => (list, true),
        (None, Some(list)) => (list, false),
        (Some(_), Some(_)) => return bad_usage("cut", "only one type of list may be specified", 1),
        (None, None) => return bad_usage("cut", "you must specify a list of bytes, characters, or fields", 1),
    };
    let list = match parse_list(list, by_field) {
        Ok(list) => list,
        Err(message) => return bad_usage("cut", &message, 1),
    };
    let mut outcome = Outcome::default();
    for (_, text) in read_inputs("cut", &operands, stdin, files, &mut outcome, 1) {
        for line in text.lines() {
            if by_field {
                if !line.contains(delimiter) {
                    if !only_delimited {
                        outcome.out(line);
                    }
                    continue;
                }
                let picked: Vec<&str> = line.split(delimiter).enumerate().filter(|(i, _)| in_list(&list, i + 1)).map(|(_, f)| f).collect();
                outcome.out(picked.join(&delimiter.to_string()));
            } else {
                outcome.out(line.chars().enumerate().filter(|(i, _)| in_list(&list, i + 1)).map(|(_, c)| c).collect::<String>());
            }
        }
    }
    outcome
}

/// A `tr` set: ranges, escapes and `[:upper:]`-style classes spelled out as characters.
fn tr_set(text: &str) -> Vec<char> {
    let mut set = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        if let Some(class) = ["[:upper:]", "[:lower:]", "[:digit:]", "[:space:]", "[:alpha:]", "[:alnum:]", "[:punct:]", "[:blank:]"].iter().find(|c| rest.starts_with(**c)) {
            let members: Vec<char> = (0u8..128).map(char::from).filter(|c| match *class {
                "[:upper:]" => c.is_ascii_uppercase(),
                "[:lower:]" => c.is_ascii_lowercase(),
                "[:digit:]" => c.is_ascii_digit(),
                "[:space:]" => c.is_ascii_whitespace() || *c == '\u{b}',
                "[:alpha:]" => c.is_ascii_alphabetic(),
                "[:alnum:]" => c.is_ascii_alphanumeric(),
                "[:punct:]" => c.is_ascii_punctuation(),
                _ => *c == ' ' || *c == '\t',
            }).collect();
            set.extend(members);
            i += class.len();
            continue;
        }
        let mut c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            i += 1;
            c = match chars[i] {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                other => other,
            };
        }
        if chars.get(i + 1) == Some(&'-') && i + 2 < chars.len() {
            let end = chars[i + 2];
            if end >= c {
                set.extend(c..=end);
            }
            i += 3;
            continue;
        }
        set.push(c);
        i += 1;
    }
    set
}

fn tr(args: &[String], stdin: &str) -> Outcome {
    let (mut delete, mut squeeze) = (false, false);
    let mut sets = Vec::new();
    for arg in args {
        if arg.starts_with('-') && arg.len() > 1 && sets.is_empty() {
            for c in arg[1..].chars() {
                match c {
                    'd' => delete = true,
                    's' => squeeze = true,
                    other => return bad_usage("tr", &format!("invalid option -- '{other}'"), 1),
                }
            }
        } else {
            sets.push(tr_set(arg));
        }
    }
    let wanted = if delete && squeeze { 2 } else if delete || squeeze { 1 } else { 2 };
    if sets.len() < wanted {
        let message = match sets.len() {
            0 => "missing operand".to_string(),
            _ => format!("missing operand after '{}'", args.last().cloned().unwrap_or_default()),
        };
        return bad_usage("tr", &message, 1);
    }
    if sets.len() > wanted {
        return bad_usage("tr", &format!("extra operand '{}'", args.last().cloned().unwrap_or_default()), 1);
    }
    let mut text = String::new();
    let mut last: Option<char> = None;
    let squeeze_set = if squeeze { sets.last().cloned().unwrap_or_default() } else { Vec::new() };
    for c in stdin.chars() {
        let mapped = if delete {
            if sets[0].contains(&c) {
                continue;
            }
            c
        } else if sets.len() == 2 {
            match sets[0].iter().rposition(|x| *x == c) {
                Some(i) => *sets[1].get(i).or(sets[1].last()).unwrap_or(&c),
                None => c,
            }
        } else {
            c
        };
        if squeeze && last == Some(mapped) && squeeze_set.contains(&mapped) {
            continue;
        }
        last = Some(mapped);
        text.push(mapped);
    }
    let mut outcome = Outcome::default();
    outcome.out_text(&text);
    outcome
}

fn column(args: &[String], stdin: &str, files: &Files) -> Outcome {
    let mut table = false;
    let mut separator: Option<String> = None;
    let mut operands = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        match arg.as_str() {
            "-t" | "--table" => table = true,
            "-s" => {
                separator = args.get(index).cloned();
                index += 1;
            }
            flag if flag.starts_with("-s") => separator = Some(flag[2..].to_string()),
            flag if flag.starts_with('-') && flag.len() > 1 => return bad_usage("column", &format!("invalid option -- '{}'", flag.chars().nth(1).unwrap_or('-')), 1),
            _ => operands.push(arg.clone()),
        }
    }
    let mut outcome = Outcome::default();
    let inputs = read_inputs("column", &operands, stdin, files, &mut outcome, 1);
    let lines: Vec<&str> = inputs.iter().flat_map(|(_, t)| t.lines()).filter(|l| !l.trim().is_empty()).collect();
    if !table {
        for line in lines {
            outcome.out(line);
        }
        return outcome;
    }
    let rows: Vec<Vec<&str>> = lines
        .iter()
        .map(|line| match &separator {
            Some(sep) => line.split(|c| sep.contains(c)).filter(|f| !f.is_empty()).collect(),
            None => line.split_whitespace().collect(),
        })
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|f| f.chars().count()).max().unwrap_or(0)).collect();
    for row in rows {
        let mut line = String::new();
        for (c, field) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(field);
            } else {
                line.push_str(&format!("{field:<width$}  ", width = widths[c]));
            }
        }
        outcome.out(line);
    }
    outcome
}
