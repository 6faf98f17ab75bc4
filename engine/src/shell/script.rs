//! Splits typed or pasted text into commands joined by `;`, `&&`, `||` and newlines, collecting
//! here-documents (`<<EOF … EOF`) along the way. Words are expanded later, when each command runs.

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

/// One simple command, still unexpanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub joiner: Joiner,
    /// The command's text as typed (without the here-document body).
    pub text: String,
    pub heredoc: Option<Heredoc>,
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
    let mut pending_heredoc: Option<(String, bool, bool)> = None;
    let mut heredoc: Option<Heredoc> = None;
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
                    finish(&mut units, &mut current, &mut joiner, &mut heredoc, Joiner::Always)?;
                }
                '&' if next == Some('&') => {
                    finish(&mut units, &mut current, &mut joiner, &mut heredoc, Joiner::IfSucceeded)?;
                    i += 1;
                }
                '|' if next == Some('|') => {
                    finish(&mut units, &mut current, &mut joiner, &mut heredoc, Joiner::IfFailed)?;
                    i += 1;
                }
                '|' => return Err("pipes (`|`) are not supported in this shell yet".into()),
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
            heredoc = Some(Heredoc { body, expand });
        }
        finish(&mut units, &mut current, &mut joiner, &mut heredoc, Joiner::Always)?;
    }
    Ok(units)
}

fn finish(
    units: &mut Vec<Unit>,
    current: &mut String,
    joiner: &mut Joiner,
    heredoc: &mut Option<Heredoc>,
    next_joiner: Joiner,
) -> Result<(), String> {
    let text = std::mem::take(current).trim().to_string();
    if text.is_empty() {
        if next_joiner != Joiner::Always {
            let token = if next_joiner == Joiner::IfSucceeded { "&&" } else { "||" };
            return Err(format!("syntax error near unexpected token `{token}'"));
        }
        return Ok(());
    }
    units.push(Unit { joiner: *joiner, text, heredoc: heredoc.take() });
    *joiner = next_joiner;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<(Joiner, String)> {
        split(input).unwrap().into_iter().map(|u| (u.joiner, u.text)).collect()
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
        assert_eq!(units[0].text, "cat > Dockerfile");
        assert_eq!(units[0].heredoc, Some(Heredoc { body: "FROM alpine\nRUN echo $HOME\n".into(), expand: false }));
        assert_eq!(units[1].text, "echo done");
        let tabbed = split("cat <<-END\n\tindented\n\tEND").unwrap();
        assert_eq!(tabbed[0].heredoc.as_ref().unwrap().body, "indented\n");
    }

    #[test]
    fn quoted_heredocs_keep_backslashes() {
        let units = split("cat > Dockerfile <<'EOF'\nRUN apt-get update && \\\n    apt-get install -y curl\nEOF").unwrap();
        assert_eq!(units[0].heredoc.as_ref().unwrap().body, "RUN apt-get update && \\\n    apt-get install -y curl\n");
        let unquoted = split("cat <<EOF\na \\\nb\nEOF").unwrap();
        assert_eq!(unquoted[0].heredoc.as_ref().unwrap().body, "a b\n");
    }

    #[test]
    fn incomplete_input_asks_for_more() {
        assert!(is_complete("docker ps"));
        assert!(!is_complete("cat > Dockerfile <<EOF\nFROM alpine"));
        assert!(is_complete("cat > Dockerfile <<EOF\nFROM alpine\nEOF"));
        assert!(!is_complete("echo 'open"));
        assert!(!is_complete("docker build . &&"));
        assert!(!is_complete("docker run \\"));
        assert_eq!(split("docker run \\\n  alpine").unwrap()[0].text, "docker run   alpine");
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
}
