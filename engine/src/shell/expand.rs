//! Word expansion for one command: quotes, backslashes, `$?`, `$VAR`, `${VAR}`, `$(command)` and
//! redirections (`>`, `>>`, `2>`, `2>&1`, `>&2`, `&>`, `<`).

/// Where output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// `> file` or `>> file` (append).
    Stdout { path: String, append: bool },
    /// `2> file`.
    Stderr { path: String, append: bool },
    /// `2>&1`.
    StderrToStdout,
    /// `>&2` or `1>&2`.
    StdoutToStderr,
    /// `&> file` or `&>> file`: both streams.
    Both { path: String, append: bool },
    /// `< file`.
    Stdin { path: String },
}

/// What a redirection operator still waits for: the file name that follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Stdout { append: bool },
    Stderr { append: bool },
    Both { append: bool },
    Stdin,
}

/// A command ready to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<String>,
    pub redirects: Vec<Redirect>,
}

/// What expansion needs from the shell: variables and a way to run `$(…)`.
pub trait Environment {
    fn variable(&self, name: &str) -> Option<String>;
    fn substitute(&mut self, command: &str) -> String;
}

pub fn expand(text: &str, env: &mut dyn Environment) -> Result<Command, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut command = Command::default();
    let mut word = String::new();
    let mut in_word = false;
    let mut pending: Option<Pending> = None;
    let mut i = 0;
    let push_word = |word: &mut String, in_word: &mut bool, command: &mut Command, pending: &mut Option<Pending>| {
        if !*in_word {
            return;
        }
        let text = std::mem::take(word);
        *in_word = false;
        match pending.take() {
            Some(Pending::Stdout { append }) => command.redirects.push(Redirect::Stdout { path: text, append }),
            Some(Pending::Stderr { append }) => command.redirects.push(Redirect::Stderr { path: text, append }),
            Some(Pending::Both { append }) => command.redirects.push(Redirect::Both { path: text, append }),
            Some(Pending::Stdin) => command.redirects.push(Redirect::Stdin { path: text }),
            None => command.words.push(text),
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => push_word(&mut word, &mut in_word, &mut command, &mut pending),
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    match chars[i] {
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            word.push(chars[i + 1]);
                            i += 1;
                        }
                        '$' => i = dollar(&chars, i, &mut word, env) - 1,
                        other => word.push(other),
                    }
                    i += 1;
                }
            }
            '\\' => {
                in_word = true;
                if let Some(&next) = chars.get(i + 1) {
                    word.push(next);
                    i += 1;
                }
            }
            '$' => {
                in_word = true;
                i = dollar(&chars, i, &mut word, env);
                continue;
            }
            '2' if !in_word && chars.get(i + 1) == Some(&'>') => {
                if chars.get(i + 2) == Some(&'&') && chars.get(i + 3) == Some(&'1') {
                    command.redirects.push(Redirect::StderrToStdout);
                    i += 4;
                    continue;
                }
                let append = chars.get(i + 2) == Some(&'>');
                pending = Some(Pending::Stderr { append });
                i += if append { 3 } else { 2 };
                continue;
            }
            '1' if !in_word && chars.get(i + 1) == Some(&'>') => {
                // `1>` is `>`: let the `>` arm read it.
                i += 1;
                continue;
            }
            '&' if chars.get(i + 1) == Some(&'>') => {
                push_word(&mut word, &mut in_word, &mut command, &mut pending);
                let append = chars.get(i + 2) == Some(&'>');
                pending = Some(Pending::Both { append });
                i += if append { 3 } else { 2 };
                continue;
            }
            '>' => {
                push_word(&mut word, &mut in_word, &mut command, &mut pending);
                if chars.get(i + 1) == Some(&'&') && chars.get(i + 2) == Some(&'2') {
                    command.redirects.push(Redirect::StdoutToStderr);
                    i += 3;
                    continue;
                }
                if chars.get(i + 1) == Some(&'&') && chars.get(i + 2) == Some(&'1') {
                    i += 3;
                    continue;
                }
                let append = chars.get(i + 1) == Some(&'>');
                pending = Some(Pending::Stdout { append });
                i += if append { 2 } else { 1 };
                continue;
            }
            '<' => {
                push_word(&mut word, &mut in_word, &mut command, &mut pending);
                pending = Some(Pending::Stdin);
                i += 1;
                continue;
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
        i += 1;
    }
    push_word(&mut word, &mut in_word, &mut command, &mut pending);
    if pending.is_some() {
        return Err("syntax error near unexpected token `newline'".into());
    }
    Ok(command)
}

/// Expands the `$…` starting at `start`; returns the index just after it.
fn dollar(chars: &[char], start: usize, word: &mut String, env: &mut dyn Environment) -> usize {
    let mut i = start + 1;
    match chars.get(i) {
        Some('?') => {
            word.push_str(&env.variable("?").unwrap_or_default());
            i + 1
        }
        Some('(') => {
            let mut depth = 1;
            let mut j = i + 1;
            while j < chars.len() {
                match chars[j] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let inner: String = chars[i + 1..j.min(chars.len())].iter().collect();
            let output = env.substitute(&inner);
            word.push_str(output.trim_end_matches('\n'));
            j + 1
        }
        Some('{') => {
            let end = chars[i..].iter().position(|&c| c == '}').map(|p| p + i);
            match end {
                Some(end) => {
                    let name: String = chars[i + 1..end].iter().collect();
                    word.push_str(&env.variable(&name).unwrap_or_default());
                    end + 1
                }
                None => {
                    word.push('$');
                    i
                }
            }
        }
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let mut name = String::new();
            while let Some(&c) = chars.get(i) {
                if !(c.is_ascii_alphanumeric() || c == '_') {
                    break;
                }
                name.push(c);
                i += 1;
            }
            word.push_str(&env.variable(&name).unwrap_or_default());
            i
        }
        _ => {
            word.push('$');
            i
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl Environment for Fixed {
        fn variable(&self, name: &str) -> Option<String> {
            match name {
                "?" => Some("3".into()),
                "HOME" => Some("/home/learner".into()),
                _ => None,
            }
        }
        fn substitute(&mut self, command: &str) -> String {
            format!("<{command}>\n")
        }
    }

    fn words(text: &str) -> Vec<String> {
        expand(text, &mut Fixed).unwrap().words
    }

    #[test]
    fn quotes_and_variables() {
        assert_eq!(words(r#"docker run --name "my app" -e 'A=$HOME' x\ y"#), ["docker", "run", "--name", "my app", "-e", "A=$HOME", "x y"]);
        assert_eq!(words("echo $? \"[$?]\" '$?' $HOME ${HOME}/x $NOPE."), ["echo", "3", "[3]", "$?", "/home/learner", "/home/learner/x", "."]);
        assert_eq!(words("echo ''"), ["echo", ""]);
        assert_eq!(words("echo a$"), ["echo", "a$"]);
    }

    #[test]
    fn command_substitution() {
        assert_eq!(words("docker build --build-arg CACHEBUST=$(date +%s) ."), ["docker", "build", "--build-arg", "CACHEBUST=<date +%s>", "."]);
    }

    #[test]
    fn redirections() {
        let command = expand("echo hi > out.txt 2>&1", &mut Fixed).unwrap();
        assert_eq!(command.words, ["echo", "hi"]);
        assert_eq!(command.redirects, [Redirect::Stdout { path: "out.txt".into(), append: false }, Redirect::StderrToStdout]);
        let command = expand("echo more >>log 2>/dev/null", &mut Fixed).unwrap();
        assert_eq!(command.redirects, [Redirect::Stdout { path: "log".into(), append: true }, Redirect::Stderr { path: "/dev/null".into(), append: false }]);
        assert!(expand("echo >", &mut Fixed).is_err());
        let command = expand("docker logs web &> all.log < in.txt >&2 1>>x", &mut Fixed).unwrap();
        assert_eq!(command.words, ["docker", "logs", "web"]);
        assert_eq!(
            command.redirects,
            [
                Redirect::Both { path: "all.log".into(), append: false },
                Redirect::Stdin { path: "in.txt".into() },
                Redirect::StdoutToStderr,
                Redirect::Stdout { path: "x".into(), append: true },
            ]
        );
    }
}
