//! `test EXPR` and `[ EXPR ]` for the host shell: files, strings and integers, with `!`, `-a`, `-o`.

use super::files::HOME;
use crate::fs::{normalize, FileTree};
use crate::outcome::Outcome;

/// Exit 0 when the expression holds, 1 when not, 2 on a malformed one (bash's builtin wording).
pub fn run(tree: &FileTree, cwd: &str, program: &str, args: &[String]) -> Outcome {
    let mut words: Vec<&str> = args.iter().map(String::as_str).collect();
    if program == "[" {
        if words.last() != Some(&"]") {
            return failure("bash: [: missing `]'");
        }
        words.pop();
    }
    let name = if program == "[" { "[" } else { "test" };
    match evaluate(tree, cwd, &words) {
        Ok(true) => Outcome::default(),
        Ok(false) => Outcome::default().fail(1),
        Err(message) => failure(&format!("bash: {name}: {message}")),
    }
}

fn failure(message: &str) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(message);
    outcome.fail(2)
}

fn evaluate(tree: &FileTree, cwd: &str, words: &[&str]) -> Result<bool, String> {
    if let Some(at) = words.iter().position(|w| *w == "-o") {
        return Ok(evaluate(tree, cwd, &words[..at])? || evaluate(tree, cwd, &words[at + 1..])?);
    }
    if let Some(at) = words.iter().position(|w| *w == "-a") {
        return Ok(evaluate(tree, cwd, &words[..at])? && evaluate(tree, cwd, &words[at + 1..])?);
    }
    let path = |text: &str| normalize(&text.replacen('~', HOME, 1), cwd);
    let number = |text: &str| text.trim().parse::<i64>().map_err(|_| format!("{text}: integer expression expected"));
    match words {
        [] => Ok(false),
        ["!", rest @ ..] => Ok(!evaluate(tree, cwd, rest)?),
        [word] => Ok(!word.is_empty()),
        ["-n", word] => Ok(!word.is_empty()),
        ["-z", word] => Ok(word.is_empty()),
        ["-e", file] => Ok(tree.exists(&path(file))),
        ["-f", file] => Ok(tree.exists(&path(file)) && !tree.is_dir(&path(file))),
        ["-d", file] => Ok(tree.is_dir(&path(file))),
        ["-s", file] => Ok(tree.get(&path(file)).is_some_and(|node| !node.is_dir() && node.size() > 0)),
        ["-r" | "-w" | "-x", file] => Ok(tree.exists(&path(file))),
        [a, "=" | "==", b] => Ok(a == b),
        [a, "!=", b] => Ok(a != b),
        [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
            let (a, b) = (number(a)?, number(b)?);
            Ok(match *op {
                "-eq" => a == b,
                "-ne" => a != b,
                "-lt" => a < b,
                "-le" => a <= b,
                "-gt" => a > b,
                _ => a >= b,
            })
        }
        [op, _] if op.starts_with('-') => Err(format!("{op}: unary operator expected")),
        [_, op, _] => Err(format!("{op}: binary operator expected")),
        _ => Err("too many arguments".into()),
    }
}
