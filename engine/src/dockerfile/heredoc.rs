//! Heredocs (`<<EOF`, `<<-EOF`, `<<'EOF'`, `3<<EOF`): recognising heredoc words, finding them in
//! an instruction line, and chomping leading tabs, as BuildKit does.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::shell_words::{NoVariables, ShellLexer, ShellWordError};

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heredoc {
    /// The terminator word, quotes removed (`'EOF'` → `EOF`).
    pub name: String,
    /// `3<<EOF` feeds file descriptor 3; 0 when not given.
    pub file_descriptor: u64,
    /// Variables in the body are expanded unless the name was quoted.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body (and the terminator may be indented).
    pub chomp: bool,
    /// The body, every line with its newline, tabs not yet chomped.
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeredocError {
    #[error(transparent)]
    Word(#[from] ShellWordError),
    #[error("internal lexing of heredoc produced inconsistent results: {0}")]
    Inconsistent(String),
}

/// Parses one word as a heredoc opener: `Ok(None)` when it is not one (BuildKit's `ParseHeredoc`,
/// i.e. the pattern `^(\d*)<<(-?)\s*([^<]*)$` followed by a single-word check of the name).
pub fn parse_heredoc(word: &str) -> Result<Option<Heredoc>, HeredocError> {
    let digits_end = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    let (digits, rest) = word.split_at(digits_end);
    let Some(rest) = rest.strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    // RE2's `\s` is ASCII whitespace without \v.
    let name_part = rest.trim_start_matches(['\t', '\n', '\u{c}', '\r', ' ']);
    if name_part.is_empty() || name_part.contains('<') {
        return Ok(None);
    }
    // Go ignores the parse error here (an absurdly long number), keeping the saturated value.
    let file_descriptor = if digits.is_empty() {
        0
    } else {
        digits.parse().unwrap_or(u64::MAX)
    };

    let mut lexer = ShellLexer::new('\\');
    lexer.skip_unset_env = true;
    let words = lexer.process_words(name_part, &NoVariables)?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    // Lexing again with quotes kept tells whether any part of the name was quoted.
    lexer.raw_quotes = true;
    let raw_words = lexer.process_words(name_part, &NoVariables)?;
    let [raw_name] = raw_words.as_slice() else {
        return Err(HeredocError::Inconsistent(name_part.to_string()));
    };
    let quote_count = |text: &str| text.chars().filter(|c| matches!(c, '\'' | '"')).count();
    Ok(Some(Heredoc {
        name: name.clone(),
        file_descriptor,
        expand: quote_count(name) == quote_count(raw_name),
        chomp,
        content: String::new(),
    }))
}

/// The heredocs an instruction line opens, in order (BuildKit's `heredocsFromLine`).
pub fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, HeredocError> {
    let mut lexer = ShellLexer::new('\\');
    lexer.raw_quotes = true;
    lexer.raw_escapes = true;
    lexer.skip_unset_env = true;
    // A line the lexer cannot split (an unbalanced quote) simply has no heredocs.
    let words = lexer.process_words(line, &NoVariables).unwrap_or_default();
    let mut heredocs = Vec::new();
    for word in words {
        if let Some(heredoc) = parse_heredoc(&word)? {
            heredocs.push(heredoc);
        }
    }
    Ok(heredocs)
}

/// Strips the leading tabs of every line (what `<<-` does to the body).
pub fn chomp_heredoc_content(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|line| line.trim_start_matches('\t'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(word: &str) -> Option<String> {
        parse_heredoc(word).ok().flatten().map(|h| h.name)
    }

    #[test]
    fn quoted_names_disable_expansion() {
        let quoted = parse_heredoc("<<'e'o\\'f").unwrap().unwrap();
        assert_eq!((quoted.name.as_str(), quoted.expand), ("eo'f", false));
        let escaped = parse_heredoc("<<eo\\'f").unwrap().unwrap();
        assert_eq!((escaped.name.as_str(), escaped.expand), ("eo'f", true));
    }

    #[test]
    fn descriptors_chomp_and_spaces() {
        let heredoc = parse_heredoc("3<<- EOF").unwrap().unwrap();
        assert_eq!(
            (
                heredoc.file_descriptor,
                heredoc.chomp,
                heredoc.name.as_str()
            ),
            (3, true, "EOF")
        );
        assert_eq!(name("<<EOF sh"), None);
        assert_eq!(name("<<<EOF"), None);
        assert!(parse_heredoc("<<'EOF").is_err());
    }

    #[test]
    fn lines_with_several_heredocs() {
        let names: Vec<String> = heredocs_from_line("COPY <<A 2<<-'B' /dst")
            .unwrap()
            .into_iter()
            .map(|h| h.name)
            .collect();
        assert_eq!(names, vec!["A", "B"]);
        assert!(heredocs_from_line("RUN '<<EOF'").unwrap().is_empty());
        // As in BuildKit, a space after `<<-` ends the word: no heredoc is found on the line.
        assert!(heredocs_from_line("RUN <<- EOF").unwrap().is_empty());
    }

    #[test]
    fn chomping_strips_leading_tabs_only() {
        assert_eq!(chomp_heredoc_content("\t\ta\n \tb\n\tc"), "a\n \tb\nc");
    }
}
