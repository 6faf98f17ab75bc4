//! The line-level parser (BuildKit's `parser.Parse`): physical lines → logical lines (directives,
//! comments, continuations with all their quirks) → instruction nodes, heredoc bodies attached.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::directives::{escape_token, Directive, DirectiveError, DirectiveParser};
use super::heredoc::{heredocs_from_line, HeredocError};
use super::line_parsers::{node_from_line, LineError};
use super::node::Node;

/// BuildKit reads lines with a 64 KiB scanner buffer; longer lines stop the parse.
const MAX_LINE_LENGTH: usize = 65535;

/// Why the text is not a Dockerfile at all. Messages are BuildKit's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SyntaxError {
    #[error("file with no instructions")]
    NoInstructions,
    #[error("dockerfile line greater than max allowed size of {MAX_LINE_LENGTH}")]
    LineTooLong,
    #[error("unterminated heredoc")]
    UnterminatedHeredoc,
    #[error(transparent)]
    Directive(#[from] DirectiveError),
    #[error(transparent)]
    Line(#[from] LineError),
    #[error(transparent)]
    Heredoc(#[from] HeredocError),
}

/// A syntax error with the lines it concerns (1-based; 0 when the file as a whole is at fault).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct LocatedSyntaxError {
    pub kind: SyntaxError,
    pub start_line: usize,
    pub end_line: usize,
}

/// Something worth telling the author that does not stop the parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub message: String,
    pub line: usize,
}

/// The parsed file: instruction nodes in order, plus what the directives set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ast {
    pub children: Vec<Node>,
    pub escape: char,
    pub directives: Vec<Directive>,
    pub warnings: Vec<Warning>,
    pub start_line: usize,
    pub end_line: usize,
}

impl Ast {
    /// BuildKit's `AST.Dump()` plus the final newline its golden files end with.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for child in &self.children {
            out.push('(');
            out.push_str(&child.dump());
            out.push_str(")\n");
        }
        let mut trimmed = out.trim().to_string();
        trimmed.push('\n');
        trimmed
    }
}

/// Physical lines, each with its line ending, as Go's line scanner yields them.
struct Lines<'a> {
    lines: std::iter::Peekable<std::str::SplitInclusive<'a, char>>,
    too_long: bool,
}

impl<'a> Lines<'a> {
    fn next_line(&mut self) -> Option<&'a str> {
        if self.too_long {
            return None;
        }
        let line = self.lines.next()?;
        if line.strip_suffix('\n').unwrap_or(line).len() > MAX_LINE_LENGTH {
            self.too_long = true;
            return None;
        }
        Some(line)
    }
}

fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

fn is_empty_continuation_line(line: &str) -> bool {
    trim_newline(line).trim_start().is_empty()
}

/// Removes a trailing continuation escape: `(line, true)` when the logical line ends here.
/// BuildKit's pattern `([^E])E[ \t]*$|^E[ \t]*$`: an escape preceded by an escape is not one.
fn trim_continuation(line: &str, escape: char) -> (String, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(before) = body.strip_suffix(escape) else {
        return (line.to_string(), true);
    };
    if before.ends_with(escape) {
        return (line.to_string(), true);
    }
    (before.to_string(), false)
}

struct State {
    directives: DirectiveParser,
    escape: char,
}

impl State {
    /// Newline removed, optionally left-trimmed, directive recognised, comments emptied.
    fn process_line(
        &mut self,
        raw: &str,
        strip_left: bool,
    ) -> Result<(String, bool), DirectiveError> {
        let mut line = trim_newline(raw);
        if strip_left {
            line = line.trim_start();
        }
        let directive = self.directives.parse_line(line)?;
        if let Some(directive) = &directive {
            if directive.name == "escape" {
                self.escape = escape_token(&directive.value)?;
            }
        }
        let text = if is_comment(line) {
            String::new()
        } else {
            line.to_string()
        };
        Ok((text, directive.is_some()))
    }
}

/// Parses Dockerfile text into nodes (no instruction-level validation yet).
pub fn parse_ast(text: &str) -> Result<Ast, LocatedSyntaxError> {
    let mut lines = Lines {
        lines: text.split_inclusive('\n').peekable(),
        too_long: false,
    };
    let mut state = State {
        directives: DirectiveParser::default(),
        escape: '\\',
    };
    let mut current_line = 0;
    let mut comments: Vec<String> = Vec::new();
    let mut children: Vec<Node> = Vec::new();
    let mut warnings = Vec::new();
    let at = |kind: SyntaxError, start_line: usize, end_line: usize| LocatedSyntaxError {
        kind,
        start_line,
        end_line,
    };

    while let Some(mut raw) = lines.next_line() {
        if current_line == 0 {
            raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        }
        if is_comment(raw) {
            // BuildKit drops the first character, not necessarily the `#`.
            let comment = raw.chars().skip(1).collect::<String>();
            let comment = comment.trim();
            if comment.is_empty() {
                comments.clear();
            } else {
                comments.push(comment.to_string());
            }
        }
        let (processed, is_directive) = state
            .process_line(raw, true)
            .map_err(|e| at(e.into(), current_line + 1, current_line + 1))?;
        if is_directive {
            comments.pop();
        }
        current_line += 1;
        let start_line = current_line;
        let (first, mut complete) = trim_continuation(&processed, state.escape);
        if complete && first.is_empty() {
            continue;
        }
        let mut logical = first;
        let mut has_empty_continuation = false;
        while !complete {
            let Some(raw) = lines.next_line() else { break };
            let (processed, _) = state
                .process_line(raw, false)
                .map_err(|e| at(e.into(), current_line + 1, current_line + 1))?;
            current_line += 1;
            if is_comment(raw) {
                continue;
            }
            if is_empty_continuation_line(&processed) {
                has_empty_continuation = true;
                continue;
            }
            let (part, ended) = trim_continuation(&processed, state.escape);
            logical.push_str(&part);
            complete = ended;
        }
        if has_empty_continuation {
            warnings.push(Warning {
                message: format!("Empty continuation line found in: {logical}"),
                line: current_line,
            });
        }

        let mut child = node_from_line(&logical, state.escape, std::mem::take(&mut comments))
            .map_err(|e| at(e.into(), start_line, current_line))?;
        if can_contain_heredoc(&child) && logical.contains("<<") {
            let heredocs =
                heredocs_from_line(&logical).map_err(|e| at(e.into(), start_line, current_line))?;
            for mut heredoc in heredocs {
                let mut terminated = false;
                while let Some(body_line) = lines.next_line() {
                    current_line += 1;
                    let mut candidate = trim_newline(body_line);
                    if heredoc.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == heredoc.name {
                        terminated = true;
                        break;
                    }
                    heredoc.content.push_str(body_line);
                }
                if !terminated {
                    return Err(at(
                        SyntaxError::UnterminatedHeredoc,
                        start_line,
                        current_line,
                    ));
                }
                child.heredocs.push(heredoc);
            }
        }
        child.start_line = start_line;
        child.end_line = current_line;
        children.push(child);
    }

    let (Some(first), Some(last)) = (children.first(), children.last()) else {
        return Err(at(SyntaxError::NoInstructions, 0, 0));
    };
    let (start_line, end_line) = (first.start_line, last.end_line);
    if lines.too_long {
        return Err(at(
            SyntaxError::LineTooLong,
            current_line + 1,
            current_line + 1,
        ));
    }
    Ok(Ast {
        children,
        escape: state.escape,
        directives: state.directives.directives().to_vec(),
        warnings,
        start_line,
        end_line,
    })
}

/// Only RUN, COPY and ADD in shell form (also as ONBUILD triggers) take heredocs.
fn can_contain_heredoc(node: &Node) -> bool {
    let mut node = node;
    if node.value.eq_ignore_ascii_case("onbuild") {
        if let Some(trigger) = node.next.first().and_then(|arg| arg.children.first()) {
            node = trigger;
        }
    }
    let keyword = node.value.to_lowercase();
    matches!(keyword.as_str(), "add" | "copy" | "run") && !node.json
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(text: &str) -> String {
        parse_ast(text)
            .map(|ast| ast.dump())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn continuations_skip_comments_and_empty_lines() {
        assert_eq!(dump("RUN a \\\n# c\n\n  b \\\n c"), "(run \"a   b  c\")\n");
        let ast = parse_ast("RUN a \\\n\n b").unwrap();
        assert_eq!(ast.warnings.len(), 1);
        assert_eq!(
            (ast.children[0].start_line, ast.children[0].end_line),
            (1, 3)
        );
    }

    #[test]
    fn escaped_escape_is_not_a_continuation() {
        assert_eq!(
            dump("ENV C x\\\\\nENV D y"),
            "(env \"C\" \"x\\\\\\\\\" \"\")\n(env \"D\" \"y\" \"\")\n"
        );
    }

    #[test]
    fn backtick_escape_directive() {
        assert_eq!(dump("# escape=`\nRUN a `\n b\\"), "(run \"a  b\\\\\")\n");
        assert_eq!(
            dump("# escape=x\nFROM a").trim(),
            "error: invalid escape token 'x' does not match ` or \\"
        );
    }

    #[test]
    fn heredoc_bodies_and_lines() {
        let ast = parse_ast("FROM a\nRUN <<A <<-B\none\nA\n\ttwo\n\tB\nRUN x").unwrap();
        let run = &ast.children[1];
        assert_eq!(
            run.heredocs
                .iter()
                .map(|h| h.content.as_str())
                .collect::<Vec<_>>(),
            vec!["one\n", "\ttwo\n"]
        );
        assert_eq!((run.start_line, run.end_line), (2, 6));
        assert_eq!(ast.children[2].start_line, 7);
        assert_eq!(
            dump("RUN <<EOF\nnever ends").trim(),
            "error: unterminated heredoc"
        );
    }

    #[test]
    fn empty_files_are_rejected() {
        assert_eq!(
            dump("# just a comment\n\n").trim(),
            "error: file with no instructions"
        );
        assert!(dump(&format!("FROM a\nLABEL x={}", "a".repeat(70000)))
            .contains("max allowed size of 65535"));
    }
}
