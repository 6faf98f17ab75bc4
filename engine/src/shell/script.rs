//! Splits typed or pasted text into pipelines (`a | b |& c`) joined by `;`, `&&`, `||` and
//! newlines, collecting here-documents (`<<EOF … EOF`) along the way. Words are expanded later,
//! when each command runs.

/// How a command is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    /// First command, `;` or a newline: always runs.
    Always,
    /// `&&`: runs if the previous command succeeded.
    IfSucceeded,
    /// `||`: runs if the previous command failed.
    IfFailed,
}

/// One pipeline (often a single command), still unexpanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub joiner: Joiner,
    /// The commands of `a | b | c`, in order; each one's stdout is the next one's stdin.
    pub stages: Vec<Stage>,
}

/// One simple command of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The command's text as typed (without the here-document body).
    pub text: String,
    pub heredoc: Option<Heredoc>,
    /// Followed by `|&`: its stderr goes down the pipe too.
    pub pipe_stderr: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub body: String,
    /// Unquoted delimiters expand `$VAR` in the body; quoted ones (`<<'EOF'`) keep it literal.
    pub expand: bool,
}

/// Whether `text` is a whole command, or the shell would ask for more (`> `): an open quote, a
/// here-document without its end line, a trailing `\`, `&&`, `||` or `|`.
pub fn is_complete(text: &str) -> bool {
    let trimmed = text.trim_end();
    // A trailing `|` (but not an escaped one) asks for the rest of the pipeline.
    if (trimmed.ends_with('|') || trimmed.ends_with("|&")) && !trimmed.ends_with("\\|") && split(trimmed.trim_end_matches(['|', '&'])).is_ok_and(|u| !u.is_empty()) {
        return false;
    }
    if trimmed.ends_with("&&") || trimmed.ends_with("||") || (trimmed.ends_with('\\') && !trimmed.ends_with("\\\\")) {
        return false;
    }
    match split(text) {
        Ok(_) => true,
        Err(message) => !(message.starts_with("unexpected EOF") || message.contains("here-document delimited by end-of-file")),
    }
}

/// Splits `text` into units. Errors are worded as bash words them.
pub fn split(text: &str) -> Result<Vec<Unit>, String> {
    let mut units = Vec::new();
    let mut lines = text.split('\n').peekable();
    let mut joiner = Joiner::Always;
    let mut current = String::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut pending_heredoc: Option<(String, bool, bool)> = None;
    // Where the here-document being read belongs: (unit index, stage index).
    let mut heredoc_slot: Option<(usize, usize)> = None;
    // A quote left open at the end of a line carries on into the next one.
    let mut quote: Option<char> = None;
    while let Some(line) = lines.next() {
        let mut chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        let mut word_start = quote.is_none();
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = quote {
                current.push(c);
                if c == '\\' && q == '"' && i + 1 < chars.len() {
                    current.push(chars[i + 1]);
                    i += 1;
                } else if c == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            let next = chars.get(i + 1).copied();
            match c {
                '$' if next == Some('(') => {
                    // A command substitution is one word here: its `|`, `;` and `&&` are its own.
                    let end = substitution_end(&chars, i + 1);
                    current.extend(&chars[i..end]);
                    i = end;
                    word_start = false;
                    continue;
                }
                '\'' | '"' => {
                    quote = Some(c);
                    current.push(c);
                }
                '\\' if next.is_none() && lines.peek().is_some() => {
                    // A backslash ending a line joins it with the next, as in any POSIX shell.
                    chars.pop();
                    chars.extend(lines.next().unwrap_or_default().chars());
                    continue;
                }
                '\\' => {
                    current.push(c);
                    if let Some(next) = next {
                        current.push(next);
                        i += 1;
                    }
                }
                '#' if word_start => break,
                ';' => {
                    finish(&mut units, &mut stages, &mut current, &mut joiner, Joiner::Always, ";")?;
                }
                '&' if next == Some('&') => {
                    finish(&mut units, &mut stages, &mut current, &mut joiner, Joiner::IfSucceeded, "&&")?;
                    i += 1;
                }
                '|' if next == Some('|') => {
                    finish(&mut units, &mut stages, &mut current, &mut joiner, Joiner::IfFailed, "||")?;
                    i += 1;
                }
                '|' => {
                    let pipe_stderr = next == Some('&');
                    let text = std::mem::take(&mut current).trim().to_string();
                    if text.is_empty() {
                        return Err(format!("syntax error near unexpected token `{}'", if pipe_stderr { "|&" } else { "|" }));
                    }
                    stages.push(Stage { text, heredoc: None, pipe_stderr });
                    if pipe_stderr {
                        i += 1;
                    }
                }
                '<' if next == Some('<') => {
                    // Here-document: read the delimiter word now, the body after this line.
                    let mut j = i + 2;
                    let strip_tabs = chars.get(j) == Some(&'-');
                    if strip_tabs {
                        j += 1;
                    }
                    while chars.get(j) == Some(&' ') {
                        j += 1;
                    }
                    let mut delimiter = String::new();
                    let mut quoted = false;
                    while let Some(&d) = chars.get(j) {
                        if d.is_whitespace() || matches!(d, ';' | '&' | '|' | '>' | '<') {
                            break;
                        }
                        if d == '\'' || d == '"' {
                            quoted = true;
                        } else {
                            delimiter.push(d);
                        }
                        j += 1;
                    }
                    if delimiter.is_empty() {
                        return Err("syntax error near unexpected token `newline'".into());
                    }
                    pending_heredoc = Some((delimiter, !quoted, strip_tabs));
                    heredoc_slot = Some((units.len(), stages.len()));
                    i = j;
                    word_start = false;
                    continue;
                }
                _ => current.push(c),
            }
            word_start = c.is_whitespace() || matches!(c, ';' | '&' | '|');
            i += 1;
        }
        if let Some(q) = quote {
            if lines.peek().is_none() {
                return Err(format!("unexpected EOF while looking for matching `{q}'"));
            }
            current.push('\n');
            continue;
        }
        // A line ending in `|` carries the pipeline on to the next line.
        if current.trim().is_empty() && !stages.is_empty() && pending_heredoc.is_none() {
            if lines.peek().is_none() {
                return Err("syntax error: unexpected end of file".into());
            }
            continue;
        }
        finish(&mut units, &mut stages, &mut current, &mut joiner, Joiner::Always, "newline")?;
        if let Some((delimiter, expand, strip_tabs)) = pending_heredoc.take() {
            let mut body = String::new();
            let mut closed = false;
            let mut joining = String::new();
            for body_line in lines.by_ref() {
                let body_line = if strip_tabs { body_line.trim_start_matches('\t') } else { body_line };
                if joining.is_empty() && body_line == delimiter {
                    closed = true;
                    break;
                }
                // With an unquoted delimiter the body is expanded, and a trailing backslash joins
                // lines there too; a quoted delimiter keeps every character as typed.
                if expand && body_line.ends_with('\\') && !body_line.ends_with("\\\\") {
                    joining.push_str(&body_line[..body_line.len() - 1]);
                    continue;
                }
                body.push_str(&joining);
                joining.clear();
                body.push_str(body_line);
                body.push('\n');
            }
            if !closed {
                return Err(format!("warning: here-document delimited by end-of-file (wanted `{delimiter}')"));
            }
            let (unit, stage) = heredoc_slot.take().unwrap_or_default();
            if let Some(stage) = units.get_mut(unit).and_then(|u| u.stages.get_mut(stage)) {
                stage.heredoc = Some(Heredoc { body, expand });
            }
        }
    }
    Ok(units)
}

/// The index just after the `)` closing the `(` at `open` (or the end of the line), skipping
/// quoted text and nested parentheses.
fn substitution_end(chars: &[char], open: usize) -> usize {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut i = open;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => i += 1,
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// Ends the pipeline being read at an operator (`token`), which joins the next one with
/// `next_joiner`.
fn finish(
    units: &mut Vec<Unit>,
    stages: &mut Vec<Stage>,
    current: &mut String,
    joiner: &mut Joiner,
    next_joiner: Joiner,
    token: &str,
) -> Result<(), String> {
    let text = std::mem::take(current).trim().to_string();
    if text.is_empty() {
        if !stages.is_empty() {
            return Err(format!("syntax error near unexpected token `{token}'"));
        }
        if next_joiner != Joiner::Always {
            return Err(format!("syntax error near unexpected token `{token}'"));
        }
        return Ok(());
    }
    stages.push(Stage { text, heredoc: None, pipe_stderr: false });
    units.push(Unit { joiner: *joiner, stages: std::mem::take(stages) });
    *joiner = next_joiner;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<(Joiner, String)> {
        split(input).unwrap().into_iter().map(|u| (u.joiner, u.stages.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" | "))).collect()
    }

    #[test]
    fn splits_on_operators_outside_quotes() {
        assert_eq!(
            texts("docker build -t app . && docker run app; echo 'a;b && c' || echo no"),
            vec![
                (Joiner::Always, "docker build -t app .".into()),
                (Joiner::IfSucceeded, "docker run app".into()),
                (Joiner::Always, "echo 'a;b && c'".into()),
                (Joiner::IfFailed, "echo no".into()),
            ]
        );
    }

    #[test]
    fn collects_heredocs() {
        let units = split("cat > Dockerfile <<'EOF'\nFROM alpine\nRUN echo $HOME\nEOF\necho done").unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].stages[0].text, "cat > Dockerfile");
        assert_eq!(units[0].stages[0].heredoc, Some(Heredoc { body: "FROM alpine\nRUN echo $HOME\n".into(), expand: false }));
        assert_eq!(units[1].stages[0].text, "echo done");
        let tabbed = split("cat <<-END\n\tindented\n\tEND").unwrap();
        assert_eq!(tabbed[0].stages[0].heredoc.as_ref().unwrap().body, "indented\n");
    }

    #[test]
    fn quoted_heredocs_keep_backslashes() {
        let units = split("cat > Dockerfile <<'EOF'\nRUN apt-get update && \\\n    apt-get install -y curl\nEOF").unwrap();
        assert_eq!(units[0].stages[0].heredoc.as_ref().unwrap().body, "RUN apt-get update && \\\n    apt-get install -y curl\n");
        let unquoted = split("cat <<EOF\na \\\nb\nEOF").unwrap();
        assert_eq!(unquoted[0].stages[0].heredoc.as_ref().unwrap().body, "a b\n");
    }

    #[test]
    fn incomplete_input_asks_for_more() {
        assert!(is_complete("docker ps"));
        assert!(!is_complete("cat > Dockerfile <<EOF\nFROM alpine"));
        assert!(is_complete("cat > Dockerfile <<EOF\nFROM alpine\nEOF"));
        assert!(!is_complete("echo 'open"));
        assert!(!is_complete("docker build . &&"));
        assert!(!is_complete("docker run \\"));
        assert_eq!(split("docker run \\\n  alpine").unwrap()[0].stages[0].text, "docker run   alpine");
        // A syntax error is complete: running it reports the error.
        assert!(is_complete("&& echo"));
    }

    #[test]
    fn comments_and_errors() {
        assert_eq!(texts("# just a note"), vec![]);
        assert_eq!(texts("echo hi # note"), vec![(Joiner::Always, "echo hi".into())]);
        assert_eq!(texts("echo a#b"), vec![(Joiner::Always, "echo a#b".into())]);
        assert!(split("echo 'open").unwrap_err().contains("matching `''"));
        assert!(split("&& echo").unwrap_err().contains("`&&'"));
        assert!(split("cat <<EOF\nno end").unwrap_err().contains("wanted `EOF'"));
    }

    #[test]
    fn pipelines() {
        let units = split("docker ps -q | xargs docker stop && docker logs web |& tail -5; echo 'a|b'").unwrap();
        assert_eq!(units.len(), 3);
        assert_eq!(units[0].stages.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(), ["docker ps -q", "xargs docker stop"]);
        assert_eq!(units[1].joiner, Joiner::IfSucceeded);
        assert!(units[1].stages[0].pipe_stderr && !units[1].stages[1].pipe_stderr);
        assert_eq!(units[2].stages[0].text, "echo 'a|b'");
        let heredoc = split("cat <<EOF | grep b\na\nb\nEOF").unwrap();
        assert_eq!(heredoc[0].stages[0].heredoc.as_ref().unwrap().body, "a\nb\n");
        assert_eq!(heredoc[0].stages[1].text, "grep b");
        assert_eq!(texts("docker images |\n  grep python"), vec![(Joiner::Always, "docker images | grep python".into())]);
        assert_eq!(split("| grep x").unwrap_err(), "syntax error near unexpected token `|'");
        assert_eq!(split("ls | | wc").unwrap_err(), "syntax error near unexpected token `|'");
        assert_eq!(split("ls | ; wc").unwrap_err(), "syntax error near unexpected token `;'");
        assert_eq!(split("ls |").unwrap_err(), "syntax error: unexpected end of file");
        assert!(!is_complete("docker ps |"));
        assert!(!is_complete("docker ps |&"));
        assert!(is_complete("docker ps | wc -l"));
        assert!(is_complete("| wc"));
        assert_eq!(texts("echo $(docker ps -q | wc -l) && echo \"$(a; b)\""), vec![
            (Joiner::Always, "echo $(docker ps -q | wc -l)".into()),
            (Joiner::IfSucceeded, "echo \"$(a; b)\"".into()),
        ]);
    }
}
