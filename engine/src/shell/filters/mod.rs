//! Text filters for pipes and files — `grep`, `head`, `tail`, `wc`, `sort`, `uniq`, `cut`, `tr`,
//! `sed`, `awk`, `jq`, `column`, `less`/`more` — with coreutils' wording for bad flags and files.

mod awk;
mod grep;
mod jq;
mod regex;
mod sed;
mod text;

use crate::outcome::Outcome;

/// Reads a host file by the name typed, or says why not (`No such file or directory`).
pub type Files<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

pub fn is_filter(name: &str) -> bool {
    matches!(
        name,
        "grep" | "egrep" | "fgrep" | "head" | "tail" | "wc" | "sort" | "uniq" | "cut" | "tr" | "sed" | "awk" | "jq"
            | "column" | "less" | "more"
    )
}

pub fn run(name: &str, args: &[String], stdin: Option<&str>, files: &Files) -> Outcome {
    let stdin = stdin.unwrap_or_default();
    match name {
        "grep" => grep::run(args, stdin, files, None),
        "egrep" => grep::run(args, stdin, files, Some(true)),
        "fgrep" => grep::run(args, stdin, files, Some(false)),
        "sed" => sed::run(args, stdin, files),
        "awk" => awk::run(args, stdin, files),
        "jq" => jq::run(args, stdin, files),
        _ => text::run(name, args, stdin, files),
    }
}

/// The texts a filter reads: each named file (`-` is stdin), or stdin when none is named.
/// Unreadable files are reported as `NAME: FILE: reason` and make the status `status`.
pub(crate) fn read_inputs(name: &str, operands: &[String], stdin: &str, files: &Files, outcome: &mut Outcome, status: i32) -> Vec<(String, String)> {
    if operands.is_empty() {
        return vec![("(standard input)".into(), stdin.to_string())];
    }
    let mut texts = Vec::new();
    for operand in operands {
        if operand == "-" {
            texts.push(("(standard input)".into(), stdin.to_string()));
            continue;
        }
        match files(operand) {
            Ok(text) => texts.push((operand.clone(), text)),
            Err(reason) => {
                outcome.err(format!("{name}: {operand}: {reason}"));
                outcome.exit_code = status;
            }
        }
    }
    texts
}

/// Whether a jq or awk program nests deeper than its recursive parser should follow (brackets,
/// runs of `$`, `!`, `-`, or simply a program longer than any one-liner): such a program is
/// refused as a syntax error rather than risk the stack.
pub(crate) fn too_deep(program: &str) -> bool {
    const LIMIT: i32 = 64;
    if program.chars().count() > 2_000 {
        return true;
    }
    let (mut depth, mut run) = (0i32, 0i32);
    for c in program.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        run = if matches!(c, '$' | '!' | '-') { run + 1 } else if c == ' ' { run } else { 0 };
        if depth > LIMIT || run > LIMIT {
            return true;
        }
    }
    false
}

/// An error line followed by `Try 'NAME --help' for more information.`
pub(crate) fn bad_usage(name: &str, message: &str, status: i32) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(format!("{name}: {message}"));
    outcome.err(format!("Try '{name} --help' for more information."));
    outcome.fail(status)
}
