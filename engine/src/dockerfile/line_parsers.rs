//! Turning one logical line into an instruction node: splitting off the keyword and the
//! `--flags`, then the per-instruction argument rules (JSON or shell form, `key=value` pairs,
//! whitespace lists…), as BuildKit's `split_command.go` and `line_parsers.go` do.

use thiserror::Error;

use super::node::{go_quote, Node};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LineError {
    #[error("{0} must have two arguments")]
    MissingValue(&'static str),
    #[error("Syntax error - can't find = in {}. Must be of the form: name=value", go_quote(.0))]
    MissingEquals(String),
    #[error("when using JSON array syntax, arrays must be comprised of strings only")]
    NotStringArray,
}

/// BuildKit's `[\t\v\f\r ]+`.
fn is_separator(ch: char) -> bool {
    matches!(ch, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Splits at the first run of separators: `(before, Some(after))`.
fn split_once_on_separators(text: &str) -> (&str, Option<&str>) {
    match text.find(is_separator) {
        Some(start) => {
            let after = &text[start..];
            (&text[..start], Some(after.trim_start_matches(is_separator)))
        }
        None => (text, None),
    }
}

/// Splits on every run of separators (Go's `regexp.Split(s, -1)`, empty edges kept).
fn split_on_separators(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        match rest.find(is_separator) {
            Some(start) => {
                pieces.push(rest[..start].to_string());
                rest = rest[start..].trim_start_matches(is_separator);
            }
            None => {
                pieces.push(rest.to_string());
                return pieces;
            }
        }
    }
}

/// Builds the node for one logical line (BuildKit's `newNodeFromLine`).
pub fn node_from_line(line: &str, escape: char, comments: Vec<String>) -> Result<Node, LineError> {
    let (keyword, rest) = split_once_on_separators(line.trim());
    let (args, flags) = match rest {
        Some(rest) => {
            let (args, flags) = extract_builder_flags(rest, escape);
            (args.trim().to_string(), flags)
        }
        None => (String::new(), Vec::new()),
    };
    let (next, json) = match keyword.to_lowercase().as_str() {
        "add" | "copy" | "volume" => parse_maybe_json_to_list(&args)?,
        "arg" => (
            parse_words(&args, escape)
                .into_iter()
                .map(Node::leaf)
                .collect(),
            false,
        ),
        "cmd" | "entrypoint" | "run" | "shell" => parse_maybe_json(&args)?,
        "env" => (parse_name_value(&args, "ENV", escape)?, false),
        "label" => (parse_name_value(&args, "LABEL", escape)?, false),
        "expose" | "from" => (parse_strings_whitespace_delimited(&args), false),
        "healthcheck" => parse_health_config(&args)?,
        "maintainer" | "stopsignal" | "user" | "workdir" => (parse_string(&args), false),
        "onbuild" => (parse_sub_command(&args, escape)?, false),
        // Unknown instructions still parse; the instruction layer rejects them with a suggestion.
        _ => (vec![Node::default()], false),
    };
    Ok(Node {
        value: keyword.to_string(),
        next,
        json,
        original: line.to_string(),
        flags,
        comments,
        ..Node::default()
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// Takes the leading `--flag[=value]` words off `line`, stopping at the first other word or
/// after `--`. Quotes and escapes inside flags are removed.
pub fn extract_builder_flags(line: &str, escape: char) -> (&str, Vec<String>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let byte_at = |index: usize| chars.get(index).map_or(line.len(), |(byte, _)| *byte);
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut index = 0;
    while index <= chars.len() {
        let current = chars.get(index).map(|(_, ch)| *ch);
        if phase == Phase::Spaces {
            let Some(ch) = current else { break };
            if ch.is_whitespace() {
                index += 1;
                continue;
            }
            let next = chars.get(index + 1).map(|(_, ch)| *ch);
            if ch != '-' || next != Some('-') {
                return (&line[byte_at(index)..], flags);
            }
            phase = Phase::Word;
        }
        let Some(mut ch) = current else {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(word);
            }
            break;
        };
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if word == "--" {
                    return (&line[byte_at(index)..], flags);
                }
                if blank_ok || !word.is_empty() {
                    flags.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                index += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                index += 1;
                continue;
            }
            if ch == escape {
                // A trailing escape is dropped; otherwise it escapes the next character.
                let Some((_, escaped)) = chars.get(index + 1) else {
                    index += 1;
                    continue;
                };
                index += 1;
                ch = *escaped;
            }
            word.push(ch);
            index += 1;
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
            index += 1;
            continue;
        }
        if ch == escape {
            let Some((_, escaped)) = chars.get(index + 1) else {
                phase = Phase::Word;
                index += 1;
                continue;
            };
            index += 1;
            ch = *escaped;
        }
        word.push(ch);
        index += 1;
    }
    ("", flags)
}

/// Splits into words on unquoted whitespace, keeping quotes and escapes in the words (they are
/// removed later, during expansion).
pub fn parse_words(rest: &str, escape: char) -> Vec<String> {
    let chars: Vec<char> = rest.chars().collect();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut index = 0;
    while index <= chars.len() {
        let current = chars.get(index).copied();
        if phase == Phase::Spaces {
            let Some(ch) = current else { break };
            if ch.is_whitespace() {
                index += 1;
                continue;
            }
            phase = Phase::Word;
        }
        let Some(mut ch) = current else {
            if blank_ok || !word.is_empty() {
                words.push(word);
            }
            break;
        };
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                blank_ok = false;
                index += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                let Some(&escaped) = chars.get(index + 1) else {
                    index += 1;
                    continue;
                };
                // Unquoted, the escape and the escaped character (even a quote) both stay.
                word.push(ch);
                index += 1;
                ch = escaped;
            }
            word.push(ch);
            index += 1;
            continue;
        }
        // Inside quotes: nothing can be escaped inside single quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            let Some(&escaped) = chars.get(index + 1) else {
                phase = Phase::Word;
                index += 1;
                continue;
            };
            index += 1;
            word.push(ch);
            ch = escaped;
        }
        word.push(ch);
        index += 1;
    }
    words
}

/// ENV and LABEL: the legacy `KEY value with spaces` form when the first word has no `=`,
/// otherwise `k=v` pairs. Each pair becomes three nodes: key, value, separator.
fn parse_name_value(
    rest: &str,
    instruction: &'static str,
    escape: char,
) -> Result<Vec<Node>, LineError> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let (key, value) = split_once_on_separators(rest);
        let value = value.ok_or(LineError::MissingValue(instruction))?;
        return Ok(vec![Node::leaf(key), Node::leaf(value), Node::leaf("")]);
    }
    let mut nodes = Vec::new();
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(LineError::MissingEquals(word));
        };
        nodes.extend([Node::leaf(key), Node::leaf(value), Node::leaf("=")]);
    }
    Ok(nodes)
}

fn parse_strings_whitespace_delimited(rest: &str) -> Vec<Node> {
    if rest.is_empty() {
        return Vec::new();
    }
    split_on_separators(rest)
        .into_iter()
        .map(Node::leaf)
        .collect()
}

fn parse_string(rest: &str) -> Vec<Node> {
    if rest.is_empty() {
        Vec::new()
    } else {
        vec![Node::leaf(rest)]
    }
}

enum JsonForm {
    Strings(Vec<Node>),
    NotJson,
}

/// A JSON array of strings; anything that is not a JSON array falls back to the shell form,
/// but an array holding something other than strings is an error.
fn parse_json(rest: &str) -> Result<JsonForm, LineError> {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Ok(JsonForm::NotJson);
    }
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(rest)
    else {
        return Ok(JsonForm::NotJson);
    };
    items
        .into_iter()
        .map(|item| match item {
            serde_json::Value::String(text) => Ok(Node::leaf(text)),
            _ => Err(LineError::NotStringArray),
        })
        .collect::<Result<Vec<Node>, LineError>>()
        .map(JsonForm::Strings)
}

fn parse_maybe_json(rest: &str) -> Result<(Vec<Node>, bool), LineError> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    Ok(match parse_json(rest)? {
        JsonForm::Strings(nodes) => (nodes, true),
        JsonForm::NotJson => (vec![Node::leaf(rest)], false),
    })
}

fn parse_maybe_json_to_list(rest: &str) -> Result<(Vec<Node>, bool), LineError> {
    Ok(match parse_json(rest)? {
        JsonForm::Strings(nodes) => (nodes, true),
        JsonForm::NotJson => (parse_strings_whitespace_delimited(rest), false),
    })
}

/// HEALTHCHECK: a type word (`CMD`, `NONE`…) then a command in JSON or shell form.
fn parse_health_config(rest: &str) -> Result<(Vec<Node>, bool), LineError> {
    let type_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if type_end == 0 {
        return Ok((Vec::new(), false));
    }
    let (kind, command) = rest.split_at(type_end);
    let (command, json) = parse_maybe_json(command.trim_start())?;
    let mut nodes = vec![Node::leaf(kind)];
    nodes.extend(command);
    Ok((nodes, json))
}

/// ONBUILD: the rest of the line is an instruction of its own.
fn parse_sub_command(rest: &str, escape: char) -> Result<Vec<Node>, LineError> {
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    let child = node_from_line(rest, escape, Vec::new())?;
    Ok(vec![Node {
        children: vec![child],
        ..Node::default()
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_stop_at_the_first_argument_or_double_dash() {
        assert_eq!(
            extract_builder_flags("--a=1 --b=\"x y\" foo --c", '\\'),
            ("foo --c", vec!["--a=1".to_string(), "--b=x y".to_string()])
        );
        assert_eq!(
            extract_builder_flags("--doit -- [ ]", '\\'),
            (" [ ]", vec!["--doit".to_string()])
        );
        assert_eq!(
            extract_builder_flags("--only", '\\'),
            ("", vec!["--only".to_string()])
        );
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        assert_eq!(
            parse_words("foo\\ bar 'abc xyz' \"a\\\"b\"", '\\'),
            vec!["foo\\ bar", "'abc xyz'", "\"a\\\"b\""]
        );
        assert_eq!(parse_words("föo bàr", '\\'), vec!["föo", "bàr"]);
    }

    #[test]
    fn env_forms() {
        let dump = |line: &str| node_from_line(line, '\\', Vec::new()).map(|n| n.dump());
        assert_eq!(dump("ENV a b c").unwrap(), "env \"a\" \"b c\" \"\"");
        assert_eq!(
            dump("ENV a=1 b=\"2 3\"").unwrap(),
            "env \"a\" \"1\" \"=\" \"b\" \"\\\"2 3\\\"\" \"=\""
        );
        assert_eq!(
            dump("ENV PATH").unwrap_err(),
            LineError::MissingValue("ENV")
        );
        assert!(matches!(
            dump("LABEL a=1 b"),
            Err(LineError::MissingEquals(_))
        ));
    }

    #[test]
    fn json_and_shell_forms() {
        let dump = |line: &str| node_from_line(line, '\\', Vec::new()).map(|n| n.dump());
        assert_eq!(dump("CMD [\"a\", \"b\"]").unwrap(), "cmd \"a\" \"b\"");
        assert_eq!(dump("CMD ['a']").unwrap(), "cmd \"['a']\"");
        assert_eq!(dump("CMD [1]").unwrap_err(), LineError::NotStringArray);
        assert_eq!(
            dump("HEALTHCHECK --retries=3 CMD [\"x\"]").unwrap(),
            "healthcheck [\"--retries=3\"] \"CMD\" \"x\""
        );
        assert_eq!(dump("FOO bar").unwrap(), "foo \"\"");
    }
}
