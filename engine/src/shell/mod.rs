//! The learner's host shell: splits a typed line into words and runs `docker` or a builtin.

use serde::{Deserialize, Serialize};

use crate::clock::THINK_TIME;
use crate::outcome::{Event, Outcome};
use crate::Engine;

pub const PROMPT: &str = "learner@whalebox:~$ ";

/// What the shell remembers between lines.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShellState {
    pub history: Vec<String>,
    /// `$?`: the exit status of the previous line.
    last_status: i32,
}

const HELP: &str = "\
Whalebox host shell. Commands:
  docker ...     the Docker CLI (try: docker run hello-world, docker ps -a, docker images)
  docker --help  every docker command and global option
  echo TEXT      print TEXT ($? is the previous command's exit status)
  history        commands typed so far
  sim ...        control the simulated world: time, a fresh CI runner (sim help)
  clear          clear the screen
  help           this text
";

/// Runs one line and records it in history.
pub fn run_line(engine: &mut Engine, line: &str) -> Outcome {
    let words = match split_words(line, engine.shell.last_status) {
        Ok(words) => words,
        Err(message) => {
            engine.shell.history.push(line.trim().to_string());
            let mut outcome = Outcome::default();
            outcome.err(format!("bash: {message}"));
            engine.shell.last_status = 2;
            return outcome.fail(2);
        }
    };
    let Some((command, args)) = words.split_first() else {
        return Outcome { exit_code: engine.shell.last_status, ..Outcome::default() };
    };
    engine.shell.history.push(line.trim().to_string());
    engine.world.clock.advance(THINK_TIME);
    let outcome = match command.as_str() {
        "docker" => crate::docker::run(&mut engine.world, args),
        "sim" => crate::sim::run(&mut engine.world, args),
        "echo" => {
            let mut outcome = Outcome::default();
            outcome.out(args.join(" "));
            outcome
        }
        "help" => {
            let mut outcome = Outcome::default();
            outcome.out_block(HELP);
            outcome
        }
        "history" => {
            let mut outcome = Outcome::default();
            for (number, entry) in engine.shell.history.iter().enumerate() {
                outcome.out(format!("{:>5}  {entry}", number + 1));
            }
            outcome
        }
        "clear" => {
            let mut outcome = Outcome::default();
            outcome.event(Event::ScreenCleared);
            outcome
        }
        other => {
            let mut outcome = Outcome::default();
            outcome.err(format!("bash: {other}: command not found"));
            outcome.fail(127)
        }
    };
    engine.shell.last_status = outcome.exit_code;
    outcome
}

/// POSIX shell word splitting with quotes and backslashes, `#` comments and `$?`.
fn split_words(line: &str, last_status: i32) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unexpected EOF while looking for matching `''".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("unexpected EOF while looking for matching `\"'".into()),
                        },
                        Some('$') if chars.peek() == Some(&'?') => {
                            chars.next();
                            word.push_str(&last_status.to_string());
                        }
                        Some(c) => word.push(c),
                        None => return Err("unexpected EOF while looking for matching `\"'".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            '$' if chars.peek() == Some(&'?') => {
                chars.next();
                in_word = true;
                word.push_str(&last_status.to_string());
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::split_words;

    #[test]
    fn splits_like_a_shell() {
        let words = split_words(r#"docker run --name "my app" -e 'A=b c' x\ y # note"#, 0).unwrap();
        assert_eq!(words, ["docker", "run", "--name", "my app", "-e", "A=b c", "x y"]);
        assert_eq!(split_words("echo $? \"[$?]\" '$?'", 3).unwrap(), ["echo", "3", "[3]", "$?"]);
        assert_eq!(split_words("echo ''", 0).unwrap(), ["echo", ""]);
        assert!(split_words("echo 'open", 0).is_err());
    }
}
