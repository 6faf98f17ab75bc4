//! GNU `sed`, the part the guides use: `-n`, `-E`/`-r`, `-e`, scripts of `s/RE/REPL/[gpI]`,
//! `d`, `p`, `q` and `=`-free addresses (`N`, `$`, `/RE/`, `N,M`), joined by `;` or newlines.

use super::regex::Regex;
use super::{read_inputs, Files};
use crate::outcome::Outcome;

enum Address {
    Line(usize),
    Last,
    Pattern(Regex),
}

enum Action {
    Substitute { regex: Regex, replacement: String, global: bool, print: bool },
    Delete,
    Print,
    Quit,
}

struct Command {
    from: Option<Address>,
    to: Option<Address>,
    negate: bool,
    action: Action,
}

pub fn run(args: &[String], stdin: &str, files: &Files) -> Outcome {
    let (mut quiet, mut extended) = (false, false);
    let mut scripts = Vec::new();
    let mut operands = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        match arg.as_str() {
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-e" => match args.get(index) {
                Some(script) => {
                    scripts.push(script.clone());
                    index += 1;
                }
                None => return usage_error("sed: option requires an argument -- 'e'"),
            },
            "-i" => {
                let mut outcome = Outcome::default();
                outcome.err("sed: -i is not available in Whalebox (edit files with cat > FILE <<'EOF')");
                return outcome.fail(1);
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return usage_error(&format!("sed: invalid option -- '{}'", flag.chars().nth(1).unwrap_or('-')));
            }
            _ if scripts.is_empty() => scripts.push(arg.clone()),
            _ => operands.push(arg.clone()),
        }
    }
    if scripts.is_empty() {
        return usage_error("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...");
    }
    let mut commands = Vec::new();
    for script in &scripts {
        match parse(script, extended) {
            Ok(mut parsed) => commands.append(&mut parsed),
            Err(message) => {
                let mut outcome = Outcome::default();
                outcome.err(format!("sed: -e expression #1, char {message}"));
                return outcome.fail(1);
            }
        }
    }
    let mut outcome = Outcome::default();
    let inputs = read_inputs("sed", &operands, stdin, files, &mut outcome, 2);
    // GNU sed says "can't read" for missing files.
    for line in outcome.output.iter_mut() {
        if let Some(rest) = line.text.strip_prefix("sed: ") {
            if let Some((file, reason)) = rest.rsplit_once(": ") {
                line.text = format!("sed: can't read {file}: {reason}");
            }
        }
    }
    let all: Vec<&str> = inputs.iter().flat_map(|(_, t)| t.lines()).collect();
    let mut in_range = vec![false; commands.len()];
    'lines: for (number, line) in all.iter().enumerate() {
        let number = number + 1;
        let last = number == all.len();
        let mut space = line.to_string();
        for (index, command) in commands.iter().enumerate() {
            let hits = |address: &Address, text: &str| match address {
                Address::Line(n) => *n == number,
                Address::Last => last,
                Address::Pattern(regex) => regex.is_match(text),
            };
            let selected = match (&command.from, &command.to) {
                (None, _) => true,
                (Some(from), None) => hits(from, &space),
                (Some(from), Some(to)) => {
                    if in_range[index] {
                        if hits(to, &space) || matches!(to, Address::Line(n) if *n <= number) {
                            in_range[index] = false;
                        }
                        true
                    } else if hits(from, &space) {
                        in_range[index] = !matches!(to, Address::Line(n) if *n <= number);
                        true
                    } else {
                        false
                    }
                }
            };
            if selected == command.negate {
                continue;
            }
            match &command.action {
                Action::Delete => continue 'lines,
                Action::Print => outcome.out(space.clone()),
                Action::Quit => {
                    if !quiet {
                        outcome.out(space);
                    }
                    return outcome;
                }
                Action::Substitute { regex, replacement, global, print } => {
                    let (replaced, changed) = substitute(regex, replacement, &space, *global);
                    space = replaced;
                    if changed && *print {
                        outcome.out(space.clone());
                    }
                }
            }
        }
        if !quiet {
            outcome.out(space);
        }
    }
    outcome
}

fn usage_error(message: &str) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(message);
    outcome.fail(1)
}

/// Replaces the first (or every) match; `&` in the replacement is the match, `\1`…`\9` its
/// groups, `\n` a newline.
fn substitute(regex: &Regex, replacement: &str, text: &str, global: bool) -> (String, bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut result = String::new();
    let mut from = 0;
    let mut changed = false;
    while from <= chars.len() {
        let Some((start, end)) = regex.find_chars(&chars, from) else {
            break;
        };
        changed = true;
        result.extend(&chars[from..start]);
        let groups = regex.captures();
        let matched: String = chars[start..end].iter().collect();
        let mut escaped = false;
        for c in replacement.chars() {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '&') => result.push_str(&matched),
                (true, 'n') => {
                    result.push('\n');
                    escaped = false;
                }
                (true, digit @ '1'..='9') => {
                    let group = digit.to_digit(10).unwrap_or(0) as usize;
                    if let Some(Some((a, b))) = groups.get(group) {
                        result.extend(&chars[*a..*b]);
                    }
                    escaped = false;
                }
                (_, c) => {
                    result.push(c);
                    escaped = false;
                }
            }
        }
        if end == start {
            if let Some(c) = chars.get(start) {
                result.push(*c);
            }
            from = start + 1;
        } else {
            from = end;
        }
        if !global {
            break;
        }
    }
    if from < chars.len() {
        result.extend(&chars[from..]);
    }
    (result, changed)
}

/// Parses a script; errors are `N: message` with GNU sed's character position.
fn parse(script: &str, extended: bool) -> Result<Vec<Command>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    let mut commands = Vec::new();
    let skip = |i: &mut usize| {
        while *i < chars.len() && (chars[*i].is_whitespace() || chars[*i] == ';') {
            *i += 1;
        }
    };
    loop {
        skip(&mut i);
        if i >= chars.len() {
            return Ok(commands);
        }
        let from = address(&chars, &mut i, extended)?;
        let mut to = None;
        if from.is_some() && chars.get(i) == Some(&',') {
            i += 1;
            to = address(&chars, &mut i, extended)?;
            if to.is_none() {
                return Err(format!("{}: unexpected `,'", i));
            }
        }
        while chars.get(i) == Some(&' ') {
            i += 1;
        }
        let negate = chars.get(i) == Some(&'!');
        if negate {
            i += 1;
        }
        let Some(&letter) = chars.get(i) else {
            return Err(format!("{}: missing command", i));
        };
        i += 1;
        let action = match letter {
            'd' => Action::Delete,
            'p' => Action::Print,
            'q' => Action::Quit,
            's' => {
                let Some(&delimiter) = chars.get(i) else {
                    return Err(format!("{}: unterminated `s' command", i));
                };
                i += 1;
                let mut parts = Vec::new();
                for _ in 0..2 {
                    let mut part = String::new();
                    loop {
                        match chars.get(i) {
                            None => return Err(format!("{}: unterminated `s' command", i)),
                            Some(&c) if c == delimiter => break,
                            Some('\\') if chars.get(i + 1) == Some(&delimiter) => {
                                part.push(delimiter);
                                i += 1;
                            }
                            Some('\\') => {
                                part.push('\\');
                                if let Some(&next) = chars.get(i + 1) {
                                    part.push(next);
                                    i += 1;
                                }
                            }
                            Some(&c) => part.push(c),
                        }
                        i += 1;
                    }
                    i += 1;
                    parts.push(part);
                }
                let (mut global, mut print, mut ignore_case) = (false, false, false);
                while let Some(&flag) = chars.get(i) {
                    match flag {
                        'g' => global = true,
                        'p' => print = true,
                        'I' | 'i' => ignore_case = true,
                        ';' | '\n' | ' ' | '}' => break,
                        _ => return Err(format!("{}: unknown option to `s'", i + 1)),
                    }
                    i += 1;
                }
                let regex = Regex::new(&parts[0], extended, ignore_case).map_err(|m| format!("{i}: {m}"))?;
                let groups = regex.captures().len() - 1;
                let mut escaped = false;
                for c in parts[1].chars() {
                    if escaped && c.is_ascii_digit() && c.to_digit(10).unwrap_or(0) as usize > groups {
                        return Err(format!("{i}: invalid reference \\{c} on `s' command's RHS"));
                    }
                    escaped = !escaped && c == '\\';
                }
                Action::Substitute { regex, replacement: parts[1].clone(), global, print }
            }
            other => return Err(format!("{i}: unknown command: `{other}'")),
        };
        commands.push(Command { from, to, negate, action });
    }
}

fn address(chars: &[char], i: &mut usize, extended: bool) -> Result<Option<Address>, String> {
    match chars.get(*i) {
        Some('$') => {
            *i += 1;
            Ok(Some(Address::Last))
        }
        Some(c) if c.is_ascii_digit() => {
            let mut n = 0usize;
            while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(d as usize);
                *i += 1;
            }
            if n == 0 {
                return Err(format!("{}: invalid usage of line address 0", *i));
            }
            Ok(Some(Address::Line(n)))
        }
        Some('/') => {
            *i += 1;
            let mut pattern = String::new();
            loop {
                match chars.get(*i) {
                    None => return Err(format!("{}: unterminated address regex", *i)),
                    Some('/') => break,
                    Some('\\') if chars.get(*i + 1) == Some(&'/') => {
                        pattern.push('/');
                        *i += 1;
                    }
                    Some(&c) => pattern.push(c),
                }
                *i += 1;
            }
            *i += 1;
            let regex = Regex::new(&pattern, extended, false).map_err(|m| format!("{}: {m}", *i))?;
            Ok(Some(Address::Pattern(regex)))
        }
        _ => Ok(None),
    }
}
