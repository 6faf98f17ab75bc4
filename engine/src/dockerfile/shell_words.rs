//! BuildKit's shell lexer: `$VAR` / `${VAR:-x}` expansion, quote removal and word splitting, as
//! used for ENV, ARG, COPY, WORKDIR… and to find heredoc names.
//!
//! The behaviour follows BuildKit's `frontend/dockerfile/shell/lex.go` case for case (including
//! its oddities: positional and special parameters are never set, `${X:=y}` is an error, a
//! trailing escape is dropped). One deliberate difference: BuildKit shares one word buffer
//! between nested `${...}` scans, which garbles word splitting after a modifier; here every
//! level keeps its own buffer.

use std::collections::BTreeMap;

use thiserror::Error;

use super::node::go_quote;

/// Where the lexer looks up variables. Unix semantics: names are case-sensitive.
pub trait VariableLookup {
    fn lookup(&self, name: &str) -> Option<String>;
}

impl VariableLookup for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl<F: Fn(&str) -> Option<String>> VariableLookup for F {
    fn lookup(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// An environment with no variables at all (what the heredoc detector uses).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVariables;

impl VariableLookup for NoVariables {
    fn lookup(&self, _name: &str) -> Option<String> {
        None
    }
}

/// Why a word could not be expanded. Messages are BuildKit's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ShellWordError {
    /// BuildKit wraps every lexer failure with the word it was processing.
    #[error("failed to process {}: {reason}", go_quote(.word))]
    InWord {
        word: String,
        reason: Box<ShellWordError>,
    },
    #[error("unexpected end of statement while looking for matching single-quote")]
    UnterminatedSingleQuote,
    #[error("unexpected end of statement while looking for matching double-quote")]
    UnterminatedDoubleQuote,
    #[error("unexpected end of statement while looking for matching {0}")]
    MissingStop(char),
    #[error("syntax error: missing '}}'")]
    MissingBrace,
    #[error("syntax error: missing '/' in ${{}}")]
    MissingSlash,
    #[error("syntax error: bad substitution")]
    BadSubstitution,
    #[error("unsupported modifier ({0}) in substitution")]
    UnsupportedModifier(String),
    #[error("{name}: {message}")]
    Required { name: String, message: String },
    #[error("invalid pattern ({pattern}) in substitution: invalid escape '\\{escaped}'")]
    InvalidPatternEscape { pattern: String, escaped: char },
}

/// A configured lexer; the defaults match `shell.NewLex('\\')`.
#[derive(Debug, Clone, Copy)]
pub struct ShellLexer {
    escape: char,
    /// Keep quote characters in the output (used to tell quoted heredoc names apart).
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Leave unset variables as written (`$X`, `${X}`) instead of expanding them to "".
    pub skip_unset_env: bool,
    /// Treat quotes as ordinary characters.
    pub skip_process_quotes: bool,
}

impl ShellLexer {
    pub fn new(escape: char) -> Self {
        ShellLexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset_env: false,
            skip_process_quotes: false,
        }
    }

    /// Expands `word` into one string, keeping the spaces between words (BuildKit's `ProcessWord`).
    pub fn process_word(
        &self,
        word: &str,
        env: &dyn VariableLookup,
    ) -> Result<String, ShellWordError> {
        self.process(word, env).map(|(joined, _)| joined)
    }

    /// Expands `word` and splits the result into words, quotes respected (`ProcessWords`).
    pub fn process_words(
        &self,
        word: &str,
        env: &dyn VariableLookup,
    ) -> Result<Vec<String>, ShellWordError> {
        self.process(word, env).map(|(_, words)| words)
    }

    fn process(
        &self,
        word: &str,
        env: &dyn VariableLookup,
    ) -> Result<(String, Vec<String>), ShellWordError> {
        let mut scan = Scan {
            lexer: self,
            chars: word.chars().collect(),
            pos: 0,
            env,
            raw_escapes: self.raw_escapes,
        };
        scan.process_stop_on(None, self.raw_escapes)
            .map_err(|reason| ShellWordError::InWord {
                word: word.to_string(),
                reason: Box::new(reason),
            })
    }
}

/// Words being collected while scanning; unquoted whitespace separates them.
#[derive(Default)]
struct Words {
    buf: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, ch: char) {
        if ch.is_whitespace() {
            if self.in_word && !self.buf.is_empty() {
                self.words.push(std::mem::take(&mut self.buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(ch);
        }
    }

    fn add_raw_char(&mut self, ch: char) {
        self.buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, text: &str) {
        text.chars().for_each(|ch| self.add_char(ch));
    }

    fn add_raw_string(&mut self, text: &str) {
        self.buf.push_str(text);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.buf.is_empty() {
            self.words.push(self.buf);
        }
        self.words
    }
}

struct Scan<'a> {
    lexer: &'a ShellLexer,
    chars: Vec<char>,
    pos: usize,
    env: &'a dyn VariableLookup,
    raw_escapes: bool,
}

impl Scan<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let ch = self.peek();
        if ch.is_some() {
            self.pos += 1;
        }
        ch
    }

    fn lookup(&self, name: &str) -> Option<String> {
        self.env.lookup(name)
    }

    /// Scans until `stop` (consumed) or the end; `stop == None` means "to the end".
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), ShellWordError> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let outcome = self.scan_until(stop);
        self.raw_escapes = saved;
        outcome
    }

    fn scan_until(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), ShellWordError> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            let quotes = !self.lexer.skip_process_quotes;
            match ch {
                '$' => {
                    let expanded = self.process_dollar()?;
                    result.push_str(&expanded);
                    // Expanded values are split on whitespace, like an unquoted shell expansion.
                    words.add_string(&expanded);
                }
                '<' => {
                    let text = self.process_possible_heredoc();
                    result.push_str(&text);
                    words.add_raw_string(&text);
                }
                '\'' if quotes => {
                    let text = self.process_single_quote()?;
                    result.push_str(&text);
                    words.add_raw_string(&text);
                }
                '"' if quotes => {
                    let text = self.process_double_quote()?;
                    result.push_str(&text);
                    words.add_raw_string(&text);
                }
                _ => {
                    self.next();
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            words.add_raw_char(ch);
                            result.push(ch);
                        }
                        // The escape escapes the next character; a trailing escape is dropped.
                        let Some(escaped) = self.next() else { break };
                        words.add_raw_char(escaped);
                        result.push(escaped);
                    } else {
                        words.add_char(ch);
                        result.push(ch);
                    }
                }
            }
        }
        match stop {
            Some(stop) => Err(ShellWordError::MissingStop(stop)),
            None => Ok((result, words.finish())),
        }
    }

    fn process_single_quote(&mut self) -> Result<String, ShellWordError> {
        // Everything up to the next ' is literal; a ' cannot be escaped inside.
        let mut result = String::new();
        if let Some(open) = self.next() {
            if self.lexer.raw_quotes {
                result.push(open);
            }
        }
        loop {
            match self.next() {
                None => return Err(ShellWordError::UnterminatedSingleQuote),
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(ch) => result.push(ch),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, ShellWordError> {
        // Literal except `$` expansions; the escape only escapes `"`, `$` and itself.
        let mut result = String::new();
        if let Some(open) = self.next() {
            if self.lexer.raw_quotes {
                result.push(open);
            }
        }
        loop {
            match self.peek() {
                None => return Err(ShellWordError::UnterminatedDoubleQuote),
                Some('"') => {
                    self.next();
                    if self.lexer.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let expanded = self.process_dollar()?;
                    result.push_str(&expanded);
                }
                Some(_) => {
                    let Some(mut ch) = self.next() else { continue };
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            // An escape right before the end: the missing quote is reported next.
                            None => continue,
                            Some(next)
                                if next == '"' || next == '$' || next == self.lexer.escape =>
                            {
                                self.next();
                                ch = next;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn unset(&self, name: &str) -> String {
        if self.lexer.skip_unset_env {
            format!("${name}")
        } else {
            String::new()
        }
    }

    fn process_dollar(&mut self) -> Result<String, ShellWordError> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(self.lookup(&name).unwrap_or_else(|| self.unset(&name)));
        }
        self.next();
        match self.peek() {
            None => return Err(ShellWordError::MissingBrace),
            Some('{' | '}' | ':') => return Err(ShellWordError::BadSubstitution),
            Some(_) => {}
        }
        let name = self.process_name();
        let first = self.next();
        // Go renders the end of input as U+FFFD in the modifier of its error message.
        let mut modifier: String = first.unwrap_or('\u{FFFD}').to_string();
        match first {
            Some('}') => {
                let value = self.lookup(&name);
                if value.is_none() && self.lexer.skip_unset_env {
                    return Ok(format!("${{{name}}}"));
                }
                Ok(value.unwrap_or_default())
            }
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let null_is_unset = first == Some(':');
                let operator = if null_is_unset {
                    let op = self.next();
                    modifier.push(op.unwrap_or('\u{FFFD}'));
                    op
                } else {
                    first
                };
                let raw = matches!(operator, Some('#' | '%'));
                if null_is_unset && raw {
                    return Err(ShellWordError::UnsupportedModifier(modifier));
                }
                let word = self.nested_until('}', raw, ShellWordError::MissingBrace)?;
                let value = self.lookup(&name);
                if self.lexer.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}{modifier}{word}}}"));
                }
                let empty = value
                    .as_deref()
                    .is_none_or(|v| null_is_unset && v.is_empty());
                match operator {
                    Some('-') => Ok(if empty {
                        word
                    } else {
                        value.unwrap_or_default()
                    }),
                    Some('+') => Ok(if empty { String::new() } else { word }),
                    Some('?') => match value {
                        None => Err(required(&name, word, "is not allowed to be unset")),
                        Some(v) if null_is_unset && v.is_empty() => {
                            Err(required(&name, word, "is not allowed to be empty"))
                        }
                        Some(v) => Ok(v),
                    },
                    Some(op @ ('%' | '#')) => {
                        // `%`/`#` remove the shortest match, `%%`/`##` the longest.
                        let (greedy, pattern) = match word.strip_prefix(op) {
                            Some(rest) => (true, rest.to_string()),
                            None => (false, word),
                        };
                        let pattern = Glob::compile(&pattern)?;
                        let value = value.unwrap_or_default();
                        Ok(if op == '%' {
                            pattern.trim_suffix(&value, greedy)
                        } else {
                            pattern.trim_prefix(&value, greedy)
                        })
                    }
                    _ => Err(ShellWordError::UnsupportedModifier(modifier)),
                }
            }
            Some('/') => {
                let replace_all = self.peek() == Some('/');
                if replace_all {
                    self.next();
                }
                let pattern = self.nested_until('/', true, ShellWordError::MissingSlash)?;
                let replacement = self.nested_until('}', true, ShellWordError::MissingBrace)?;
                let value = self.lookup(&name);
                if self.lexer.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                }
                let glob = Glob::compile(&pattern)?;
                Ok(glob.replace(&value.unwrap_or_default(), &replacement, replace_all))
            }
            _ => Err(ShellWordError::UnsupportedModifier(modifier)),
        }
    }

    /// Scans a nested part of `${...}`; running off the end is reported as `at_end`.
    fn nested_until(
        &mut self,
        stop: char,
        raw: bool,
        at_end: ShellWordError,
    ) -> Result<String, ShellWordError> {
        match self.process_stop_on(Some(stop), raw) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.peek().is_none() => Err(at_end),
            Err(other) => Err(other),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_digit(ch) {
                // Positional parameters: all the digits, never set.
                while let Some(digit) = self.peek().filter(|c| is_digit(*c)) {
                    self.next();
                    name.push(digit);
                }
                return name;
            }
            if name.is_empty() && is_special_parameter(ch) {
                self.next();
                return ch.to_string();
            }
            if !(ch.is_alphanumeric() || ch == '_') {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        // Whitespace between `<<` and the heredoc word stays attached to the word.
        let mut text = "<<".to_string();
        while let Some(space) = self.peek().filter(|c| matches!(c, '\t' | '\r' | ' ')) {
            self.next();
            text.push(space);
        }
        text
    }
}

fn required(name: &str, word: String, default_message: &str) -> ShellWordError {
    let message = if word.is_empty() {
        default_message.to_string()
    } else {
        word
    };
    ShellWordError::Required {
        name: name.to_string(),
        message,
    }
}

fn is_digit(ch: char) -> bool {
    ch.is_ascii_digit() || (!ch.is_ascii() && ch.is_numeric())
}

/// POSIX special parameters (`$@`, `$#`…): recognised, never set in a Dockerfile.
fn is_special_parameter(ch: char) -> bool {
    matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

/// A shell pattern from `${X#pattern}` and friends: `*`, `?` and literal characters.
#[derive(Debug, Clone, PartialEq, Eq)]
enum GlobToken {
    Any,
    One,
    Literal(char),
}

#[derive(Debug)]
struct Glob {
    tokens: Vec<GlobToken>,
}

impl Glob {
    fn compile(pattern: &str) -> Result<Glob, ShellWordError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut tokens = Vec::new();
        let mut index = 0;
        while let Some(&ch) = chars.get(index) {
            index += 1;
            match ch {
                '*' => tokens.push(GlobToken::Any),
                '?' => tokens.push(GlobToken::One),
                '\\' => match chars.get(index).copied() {
                    // `\}` and `\/` only keep `${...}` delimiters out of the scan.
                    Some('}' | '/') => {}
                    Some(escaped @ ('*' | '?' | '\\')) => {
                        index += 1;
                        tokens.push(GlobToken::Literal(escaped));
                    }
                    other => {
                        return Err(ShellWordError::InvalidPatternEscape {
                            pattern: pattern.to_string(),
                            escaped: other.unwrap_or('\u{FFFD}'),
                        })
                    }
                },
                other => tokens.push(GlobToken::Literal(other)),
            }
        }
        Ok(Glob { tokens })
    }

    /// Whether the whole of `text` matches the pattern.
    fn matches(&self, text: &[char]) -> bool {
        fn go(tokens: &[GlobToken], text: &[char]) -> bool {
            match tokens.split_first() {
                None => text.is_empty(),
                Some((GlobToken::Any, rest)) => {
                    (0..=text.len()).any(|skip| text.get(skip..).is_some_and(|t| go(rest, t)))
                }
                Some((GlobToken::One, rest)) => {
                    text.split_first().is_some_and(|(_, t)| go(rest, t))
                }
                Some((GlobToken::Literal(c), rest)) => text
                    .split_first()
                    .is_some_and(|(first, t)| first == c && go(rest, t)),
            }
        }
        go(&self.tokens, text)
    }

    fn trim_prefix(&self, value: &str, longest: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let mut lengths: Vec<usize> = (0..=chars.len()).collect();
        if longest {
            lengths.reverse();
        }
        match lengths
            .into_iter()
            .find(|&len| chars.get(..len).is_some_and(|p| self.matches(p)))
        {
            Some(len) => chars.get(len..).unwrap_or_default().iter().collect(),
            None => value.to_string(),
        }
    }

    fn trim_suffix(&self, value: &str, longest: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let mut starts: Vec<usize> = (0..=chars.len()).collect();
        if !longest {
            starts.reverse();
        }
        match starts
            .into_iter()
            .find(|&start| chars.get(start..).is_some_and(|s| self.matches(s)))
        {
            Some(start) => chars.get(..start).unwrap_or_default().iter().collect(),
            None => value.to_string(),
        }
    }

    /// The longest match starting at `start`, as an end index.
    fn longest_match_at(&self, chars: &[char], start: usize) -> Option<usize> {
        (start..=chars.len())
            .rev()
            .find(|&end| chars.get(start..end).is_some_and(|s| self.matches(s)))
    }

    fn replace(&self, value: &str, replacement: &str, all: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let mut out = String::new();
        let mut pos = 0;
        let mut last_match_end: Option<usize> = None;
        let mut replaced = false;
        while pos <= chars.len() {
            let found = if replaced && !all {
                None
            } else {
                self.longest_match_at(&chars, pos)
            };
            match found {
                // Like Go's regexp, an empty match right after a previous match is skipped.
                Some(end) if !(end == pos && last_match_end == Some(pos)) => {
                    out.push_str(replacement);
                    replaced = true;
                    last_match_end = Some(end);
                    if end > pos {
                        pos = end;
                        continue;
                    }
                }
                _ => {}
            }
            if let Some(&ch) = chars.get(pos) {
                out.push(ch);
            }
            pos += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> BTreeMap<String, String> {
        [("PWD", "/home"), ("NULL", ""), ("V", "foo.tar.gz")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn word(input: &str) -> Result<String, ShellWordError> {
        ShellLexer::new('\\').process_word(input, &env())
    }

    #[test]
    fn default_and_alternative_values() {
        assert_eq!(word("he${XXX:-${PWD:-yyy}}xx").as_deref(), Ok("he/homexx"));
        assert_eq!(word("${NULL:-d}").as_deref(), Ok("d"));
        assert_eq!(word("${NULL-d}").as_deref(), Ok(""));
        assert_eq!(word("${PWD:+set}").as_deref(), Ok("set"));
    }

    #[test]
    fn required_variables_report_buildkit_messages() {
        let error = word("${XXX:?}").unwrap_err().to_string();
        assert_eq!(
            error,
            "failed to process \"${XXX:?}\": XXX: is not allowed to be unset"
        );
        let error = word("${NULL:?must be set}").unwrap_err().to_string();
        assert!(error.ends_with("NULL: must be set"), "{error}");
    }

    #[test]
    fn pattern_removal_and_replacement() {
        assert_eq!(word("${V%.*}").as_deref(), Ok("foo.tar"));
        assert_eq!(word("${V%%.*}").as_deref(), Ok("foo"));
        assert_eq!(word("${V#*.}").as_deref(), Ok("tar.gz"));
        assert_eq!(word("${V##*.}").as_deref(), Ok("gz"));
        assert_eq!(word("${V/./-}").as_deref(), Ok("foo-tar.gz"));
        assert_eq!(word("${V//./-}").as_deref(), Ok("foo-tar-gz"));
        assert!(word("${V:%x}").is_err());
    }

    #[test]
    fn words_split_after_expansion_but_not_inside_quotes() {
        let mut env = env();
        env.insert("S".into(), " a  b ".into());
        let lexer = ShellLexer::new('\\');
        assert_eq!(
            lexer.process_words("x${S}y", &env).unwrap(),
            vec!["x", "a", "b", "y"]
        );
        assert_eq!(
            lexer.process_words("x\"${S}\"y", &env).unwrap(),
            vec!["x a  b y"]
        );
        assert_eq!(
            lexer.process_words("x ${NULL:-1 2}", &env).unwrap(),
            vec!["x", "1", "2"]
        );
    }

    #[test]
    fn skipping_unset_variables_keeps_them_verbatim() {
        let mut lexer = ShellLexer::new('\\');
        lexer.skip_unset_env = true;
        assert_eq!(
            lexer
                .process_word("$EOF ${X} ${Y:-z}", &NoVariables)
                .unwrap(),
            "$EOF ${X} ${Y:-z}"
        );
    }

    #[test]
    fn backtick_escape() {
        let lexer = ShellLexer::new('`');
        assert_eq!(lexer.process_word("a`$PWD\\b", &env()).unwrap(), "a$PWD\\b");
    }
}
