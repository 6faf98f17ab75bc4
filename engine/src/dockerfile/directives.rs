//! Parser directives (`# syntax=…`, `# escape=…`, `# check=…`): only at the very top, before
//! any instruction, blank line or ordinary comment; each at most once.

use serde::{Deserialize, Serialize};
use thiserror::Error;

const KNOWN_DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// A directive as written; `name` is lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directive {
    pub name: String,
    pub value: String,
    /// 1-based physical line.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DirectiveError {
    #[error("only one {0} parser directive can be used")]
    Repeated(String),
    #[error("invalid escape token '{0}' does not match ` or \\")]
    InvalidEscape(String),
}

/// Reads directives line by line until the first line that is not one.
#[derive(Debug, Default)]
pub struct DirectiveParser {
    line: usize,
    done: bool,
    found: Vec<Directive>,
}

impl DirectiveParser {
    /// Looks at the next physical line (newline already removed).
    pub fn parse_line(&mut self, line: &str) -> Result<Option<Directive>, DirectiveError> {
        self.line += 1;
        if self.done {
            return Ok(None);
        }
        let Some(directive) = self.recognise(line) else {
            self.done = true;
            return Ok(None);
        };
        if self.found.iter().any(|seen| seen.name == directive.name) {
            return Err(DirectiveError::Repeated(directive.name));
        }
        self.found.push(directive.clone());
        Ok(Some(directive))
    }

    /// The pattern `#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` with a known name.
    fn recognise(&self, line: &str) -> Option<Directive> {
        let body = line.strip_prefix('#')?.trim_start();
        let name_end = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        let (name, rest) = body.split_at(name_end);
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let value = rest.trim_start_matches(is_re2_space).strip_prefix('=')?;
        let value = value.trim_matches(is_re2_space);
        let name = name.to_ascii_lowercase();
        if value.is_empty() || !KNOWN_DIRECTIVES.contains(&name.as_str()) {
            return None;
        }
        Some(Directive {
            name,
            value: value.to_string(),
            line: self.line,
        })
    }

    pub fn directives(&self) -> &[Directive] {
        &self.found
    }
}

/// RE2's `\s`: ASCII space, \t, \n, \f, \r (not \v).
fn is_re2_space(ch: char) -> bool {
    matches!(ch, ' ' | '\t' | '\n' | '\u{c}' | '\r')
}

/// The escape character named by an `escape` directive.
pub fn escape_token(value: &str) -> Result<char, DirectiveError> {
    match value {
        "\\" => Ok('\\'),
        "`" => Ok('`'),
        other => Err(DirectiveError::InvalidEscape(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_stop_at_the_first_other_line() {
        let mut parser = DirectiveParser::default();
        assert_eq!(
            parser
                .parse_line("# Syntax = docker/dockerfile:1 ")
                .unwrap()
                .map(|d| (d.name, d.value)),
            Some(("syntax".into(), "docker/dockerfile:1".into()))
        );
        assert_eq!(
            parser.parse_line("#escape=`").unwrap().map(|d| d.line),
            Some(2)
        );
        assert_eq!(parser.parse_line("# a comment").unwrap(), None);
        assert_eq!(parser.parse_line("# check=skip=all").unwrap(), None);
    }

    #[test]
    fn repeated_and_invalid_directives_fail() {
        let mut parser = DirectiveParser::default();
        parser.parse_line("# escape=\\").unwrap();
        assert_eq!(
            parser.parse_line("# ESCAPE=`").unwrap_err().to_string(),
            "only one escape parser directive can be used"
        );
        assert!(escape_token("x").is_err());
        assert_eq!(escape_token("`"), Ok('`'));
    }

    #[test]
    fn unknown_names_end_the_directives() {
        let mut parser = DirectiveParser::default();
        assert_eq!(parser.parse_line("# foo=bar").unwrap(), None);
        assert_eq!(parser.parse_line("# escape=`").unwrap(), None);
    }
}
