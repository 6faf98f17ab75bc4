//! Shell syntax: a lexer (words kept raw, quotes and all, for expansion later; operators;
//! here-documents) and a recursive-descent parser into lists, pipelines and compound commands.

/// A token with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word(String),
    /// Digits directly before `<` or `>` (`2>&1`).
    IoNum(u32),
    Op(&'static str),
    Newline,
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// A token where it cannot be (`"fi" unexpected`).
    Unexpected { token: String, line: u32 },
    /// The script ended inside something (`expecting "fi"`).
    Eof { expecting: Option<String>, line: u32 },
    Unterminated { line: u32 },
}

const OPERATORS: &[&str] = &[
    "&&", "||", ";;", "<<-", "<<", ">>", "<&", ">&", "<>", ">|", "&>", ";", "&", "|", "(", ")", "<", ">",
];

/// Splits `text` into tokens, collecting here-document bodies in order of appearance.
pub fn lex(text: &str) -> Result<(Vec<(Tok, u32)>, Vec<Heredoc>), ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut lexer = Lexer { chars, pos: 0, line: 1, tokens: Vec::new(), heredocs: Vec::new(), pending: Vec::new() };
    lexer.run()?;
    Ok((lexer.tokens, lexer.heredocs))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub body: String,
    /// Unquoted delimiters expand `$VAR` in the body.
    pub expand: bool,
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    tokens: Vec<(Tok, u32)>,
    heredocs: Vec<Heredoc>,
    /// Here-documents whose bodies start after the next newline: (delimiter, strip tabs).
    pending: Vec<(String, bool, bool)>,
}

impl Lexer {
    fn peek(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn run(&mut self) -> Result<(), ParseError> {
        let mut expect_delimiter: Option<bool> = None;
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.peek(1) == Some('\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                '\n' => {
                    self.pos += 1;
                    self.tokens.push((Tok::Newline, self.line));
                    self.line += 1;
                    self.read_heredoc_bodies();
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                _ => {
                    if let Some(op) = OPERATORS.iter().find(|op| self.starts_with(op)) {
                        self.pos += op.chars().count();
                        if *op == "<<" || *op == "<<-" {
                            expect_delimiter = Some(*op == "<<-");
                        }
                        self.tokens.push((Tok::Op(op), self.line));
                        continue;
                    }
                    let line = self.line;
                    let word = self.word()?;
                    let next = self.peek(0);
                    if (next == Some('<') || next == Some('>')) && !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
                        if let Ok(n) = word.parse::<u32>() {
                            self.tokens.push((Tok::IoNum(n), line));
                            continue;
                        }
                    }
                    if let Some(strip) = expect_delimiter.take() {
                        let quoted = word.contains(['\'', '"', '\\']);
                        let delimiter: String = word.chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
                        self.pending.push((delimiter, strip, !quoted));
                    }
                    self.tokens.push((Tok::Word(word), line));
                }
            }
        }
        // A here-document at the very end of the text without a newline still gets its body.
        self.read_heredoc_bodies();
        self.tokens.push((Tok::Eof, self.line));
        Ok(())
    }

    fn starts_with(&self, op: &str) -> bool {
        op.chars().enumerate().all(|(i, c)| self.peek(i) == Some(c))
    }

    fn read_heredoc_bodies(&mut self) {
        for (delimiter, strip, expand) in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            loop {
                if self.pos >= self.chars.len() {
                    break;
                }
                let mut line = String::new();
                while let Some(c) = self.peek(0) {
                    self.pos += 1;
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                self.line += 1;
                let candidate = if strip { line.trim_start_matches('\t') } else { line.as_str() };
                if candidate == delimiter {
                    break;
                }
                body.push_str(candidate);
                body.push('\n');
            }
            self.heredocs.push(Heredoc { body, expand });
        }
    }

    /// One word, raw: quotes, `$(…)`, `${…}` and backquotes are kept for expansion.
    fn word(&mut self) -> Result<String, ParseError> {
        let mut word = String::new();
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\\' => {
                    self.pos += 1;
                    match self.peek(0) {
                        Some('\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        Some(next) => {
                            word.push('\\');
                            word.push(next);
                            self.pos += 1;
                        }
                        None => word.push('\\'),
                    }
                }
                '\'' => self.single_quoted(&mut word)?,
                '"' => self.double_quoted(&mut word)?,
                '`' => self.backquoted(&mut word)?,
                '$' => self.dollar(&mut word)?,
                _ => {
                    word.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok(word)
    }

    fn single_quoted(&mut self, word: &mut String) -> Result<(), ParseError> {
        let line = self.line;
        word.push('\'');
        self.pos += 1;
        loop {
            match self.peek(0) {
                None => return Err(ParseError::Unterminated { line }),
                Some('\'') => {
                    word.push('\'');
                    self.pos += 1;
                    return Ok(());
                }
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    word.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn double_quoted(&mut self, word: &mut String) -> Result<(), ParseError> {
        let line = self.line;
        word.push('"');
        self.pos += 1;
        loop {
            match self.peek(0) {
                None => return Err(ParseError::Unterminated { line }),
                Some('"') => {
                    word.push('"');
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek(0) {
                        Some('\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        Some(next) => {
                            word.push('\\');
                            word.push(next);
                            self.pos += 1;
                        }
                        None => word.push('\\'),
                    }
                }
                Some('$') => self.dollar(word)?,
                Some('`') => self.backquoted(word)?,
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    word.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn backquoted(&mut self, word: &mut String) -> Result<(), ParseError> {
        let line = self.line;
        word.push('`');
        self.pos += 1;
        loop {
            match self.peek(0) {
                None => return Err(ParseError::Unterminated { line }),
                Some('`') => {
                    word.push('`');
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') => {
                    word.push('\\');
                    self.pos += 1;
                    if let Some(next) = self.peek(0) {
                        word.push(next);
                        self.pos += 1;
                    }
                }
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    word.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$(…)`, `$((…))` and `${…}` copied whole, nesting and quotes respected.
    fn dollar(&mut self, word: &mut String) -> Result<(), ParseError> {
        word.push('$');
        self.pos += 1;
        let (open, close) = match self.peek(0) {
            Some('(') => ('(', ')'),
            Some('{') => ('{', '}'),
            _ => return Ok(()),
        };
        let line = self.line;
        let mut depth = 0usize;
        loop {
            let Some(c) = self.peek(0) else {
                return Err(ParseError::Unterminated { line });
            };
            match c {
                '\'' if open == '(' => self.single_quoted(word)?,
                '"' => self.double_quoted(word)?,
                '\\' => {
                    word.push('\\');
                    self.pos += 1;
                    if let Some(next) = self.peek(0) {
                        word.push(next);
                        self.pos += 1;
                    }
                }
                _ => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    word.push(c);
                    self.pos += 1;
                    if c == open {
                        depth += 1;
                    } else if c == close {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Ok(());
                        }
                    }
                }
            }
        }
    }
}

/// `;`/newline/`&`-separated and-or lists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List(pub Vec<AndOr>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    /// `true` for `&&`, `false` for `||`.
    pub rest: Vec<(bool, Pipeline)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub negate: bool,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(Simple),
    Compound(Box<Compound>, Vec<Redir>),
    Function(String, Box<Command>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simple {
    pub assigns: Vec<(String, String)>,
    pub words: Vec<String>,
    pub redirs: Vec<Redir>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compound {
    Group(List),
    Subshell(List),
    If { branches: Vec<(List, List)>, otherwise: Option<List> },
    For { var: String, items: Option<Vec<String>>, body: List },
    While { cond: List, body: List, until: bool },
    Case { word: String, arms: Vec<(Vec<String>, List)> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redir {
    pub fd: Option<u32>,
    pub op: &'static str,
    /// The target word (raw), or for here-documents the body.
    pub target: String,
    /// For here-documents: whether the body expands.
    pub heredoc_expand: bool,
}

pub fn parse(text: &str) -> Result<List, ParseError> {
    let (tokens, heredocs) = lex(text)?;
    let mut parser = Parser { tokens, pos: 0, heredocs, next_heredoc: 0, depth: 0 };
    let list = parser.list(&[])?;
    match parser.peek() {
        Tok::Eof => Ok(list),
        other => Err(parser.unexpected(other)),
    }
}

struct Parser {
    tokens: Vec<(Tok, u32)>,
    pos: usize,
    heredocs: Vec<Heredoc>,
    next_heredoc: usize,
    depth: u32,
}

const RESERVED: &[&str] = &["if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "case", "esac", "{", "}", "!"];

impl Parser {
    fn peek(&self) -> Tok {
        self.tokens.get(self.pos).map(|(t, _)| t.clone()).unwrap_or(Tok::Eof)
    }

    fn peek_at(&self, offset: usize) -> Tok {
        self.tokens.get(self.pos + offset).map(|(t, _)| t.clone()).unwrap_or(Tok::Eof)
    }

    fn line(&self) -> u32 {
        self.tokens.get(self.pos).map(|(_, l)| *l).unwrap_or(1)
    }

    fn bump(&mut self) {
        self.pos += 1;
    }

    fn unexpected(&self, token: Tok) -> ParseError {
        let line = self.line();
        match token {
            Tok::Eof => ParseError::Eof { expecting: None, line },
            Tok::Word(w) => ParseError::Unexpected { token: w, line },
            Tok::IoNum(n) => ParseError::Unexpected { token: n.to_string(), line },
            Tok::Op(op) => ParseError::Unexpected { token: op.to_string(), line },
            Tok::Newline => ParseError::Unexpected { token: "newline".into(), line },
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Word(w) if w == word)
    }

    fn skip_newlines(&mut self) {
        while self.peek() == Tok::Newline {
            self.bump();
        }
    }

    fn expect_word(&mut self, word: &str) -> Result<(), ParseError> {
        self.skip_newlines();
        if self.is_word(word) {
            self.bump();
            return Ok(());
        }
        match self.peek() {
            Tok::Eof => Err(ParseError::Eof { expecting: Some(word.to_string()), line: self.line() }),
            other => Err(self.unexpected(other)),
        }
    }

    /// A list, ending before any of `terminators` (reserved words or `)`/`;;`).
    fn list(&mut self, terminators: &[&str]) -> Result<List, ParseError> {
        self.depth += 1;
        if self.depth > 200 {
            return Err(ParseError::Unexpected { token: "(nesting too deep)".into(), line: self.line() });
        }
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                Tok::Eof => break,
                Tok::Word(w) if terminators.contains(&w.as_str()) => break,
                Tok::Op(op) if terminators.contains(&op) => break,
                _ => {}
            }
            items.push(self.and_or()?);
            match self.peek() {
                Tok::Op(";") | Tok::Op("&") | Tok::Newline => self.bump(),
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(List(items))
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let and = match self.peek() {
                Tok::Op("&&") => true,
                Tok::Op("||") => false,
                _ => break,
            };
            self.bump();
            self.skip_newlines();
            rest.push((and, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut negate = false;
        if self.is_word("!") {
            negate = true;
            self.bump();
        }
        let mut commands = vec![self.command()?];
        while self.peek() == Tok::Op("|") {
            self.bump();
            self.skip_newlines();
            commands.push(self.command()?);
        }
        Ok(Pipeline { negate, commands })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        let compound = match self.peek() {
            Tok::Word(w) => match w.as_str() {
                "if" => Some(self.if_clause()?),
                "for" => Some(self.for_clause()?),
                "while" | "until" => Some(self.while_clause(w == "until")?),
                "case" => Some(self.case_clause()?),
                "{" => {
                    self.bump();
                    let body = self.list(&["}"])?;
                    self.expect_word("}")?;
                    Some(Compound::Group(body))
                }
                _ => None,
            },
            Tok::Op("(") => {
                self.bump();
                let body = self.list(&[")"])?;
                self.skip_newlines();
                if self.peek() != Tok::Op(")") {
                    return Err(match self.peek() {
                        Tok::Eof => ParseError::Eof { expecting: Some(")".into()), line: self.line() },
                        other => self.unexpected(other),
                    });
                }
                self.bump();
                Some(Compound::Subshell(body))
            }
            _ => None,
        };
        if let Some(compound) = compound {
            let mut redirs = Vec::new();
            while let Some(redir) = self.redirect()? {
                redirs.push(redir);
            }
            return Ok(Command::Compound(Box::new(compound), redirs));
        }
        // `name() compound`
        if let (Tok::Word(name), Tok::Op("("), Tok::Op(")")) = (self.peek(), self.peek_at(1), self.peek_at(2)) {
            if is_name(&name) {
                self.pos += 3;
                self.skip_newlines();
                let body = self.command()?;
                return Ok(Command::Function(name, Box::new(body)));
            }
        }
        self.simple()
    }

    fn simple(&mut self) -> Result<Command, ParseError> {
        let line = self.line();
        let mut simple = Simple { assigns: Vec::new(), words: Vec::new(), redirs: Vec::new(), line };
        loop {
            if let Some(redir) = self.redirect()? {
                simple.redirs.push(redir);
                continue;
            }
            match self.peek() {
                Tok::Word(w) => {
                    if simple.words.is_empty() {
                        if let Some((name, value)) = w.split_once('=') {
                            if is_name(name) {
                                simple.assigns.push((name.to_string(), value.to_string()));
                                self.bump();
                                continue;
                            }
                        }
                        if RESERVED.contains(&w.as_str()) && w != "!" && w != "{" && w != "in"
                            && simple.assigns.is_empty() && simple.redirs.is_empty() {
                                return Err(self.unexpected(Tok::Word(w)));
                            }
                    }
                    simple.words.push(w);
                    self.bump();
                }
                _ => break,
            }
        }
        if simple.words.is_empty() && simple.assigns.is_empty() && simple.redirs.is_empty() {
            let token = self.peek();
            return Err(self.unexpected(token));
        }
        Ok(Command::Simple(simple))
    }

    fn redirect(&mut self) -> Result<Option<Redir>, ParseError> {
        let (fd, op_at) = match self.peek() {
            Tok::IoNum(n) => (Some(n), 1),
            _ => (None, 0),
        };
        let op = match self.peek_at(op_at) {
            Tok::Op(op) if matches!(op, "<" | ">" | ">>" | "<<" | "<<-" | "<&" | ">&" | "<>" | ">|" | "&>") => op,
            _ => return Ok(None),
        };
        self.pos += op_at + 1;
        let target = match self.peek() {
            Tok::Word(w) => w,
            other => return Err(self.unexpected(other)),
        };
        self.bump();
        if op == "<<" || op == "<<-" {
            let heredoc = self.heredocs.get(self.next_heredoc).cloned().unwrap_or(Heredoc { body: String::new(), expand: false });
            self.next_heredoc += 1;
            return Ok(Some(Redir { fd, op, target: heredoc.body, heredoc_expand: heredoc.expand }));
        }
        Ok(Some(Redir { fd, op, target, heredoc_expand: false }))
    }

    fn if_clause(&mut self) -> Result<Compound, ParseError> {
        self.bump();
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list(&["then"])?;
            self.expect_word("then")?;
            let body = self.list(&["elif", "else", "fi"])?;
            branches.push((cond, body));
            self.skip_newlines();
            if self.is_word("elif") {
                self.bump();
                continue;
            }
            if self.is_word("else") {
                self.bump();
                otherwise = Some(self.list(&["fi"])?);
            }
            self.expect_word("fi")?;
            break;
        }
        Ok(Compound::If { branches, otherwise })
    }

    fn for_clause(&mut self) -> Result<Compound, ParseError> {
        self.bump();
        let var = match self.peek() {
            Tok::Word(w) if is_name(&w) => w,
            other => return Err(self.unexpected(other)),
        };
        self.bump();
        let mut items = None;
        self.skip_newlines();
        if self.is_word("in") {
            self.bump();
            let mut words = Vec::new();
            while let Tok::Word(w) = self.peek() {
                words.push(w);
                self.bump();
            }
            items = Some(words);
        }
        if self.peek() == Tok::Op(";") {
            self.bump();
        }
        self.expect_word("do")?;
        let body = self.list(&["done"])?;
        self.expect_word("done")?;
        Ok(Compound::For { var, items, body })
    }

    fn while_clause(&mut self, until: bool) -> Result<Compound, ParseError> {
        self.bump();
        let cond = self.list(&["do"])?;
        self.expect_word("do")?;
        let body = self.list(&["done"])?;
        self.expect_word("done")?;
        Ok(Compound::While { cond, body, until })
    }

    fn case_clause(&mut self) -> Result<Compound, ParseError> {
        self.bump();
        let word = match self.peek() {
            Tok::Word(w) => w,
            other => return Err(self.unexpected(other)),
        };
        self.bump();
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.is_word("esac") {
                self.bump();
                break;
            }
            if self.peek() == Tok::Op("(") {
                self.bump();
            }
            let mut patterns = Vec::new();
            loop {
                match self.peek() {
                    Tok::Word(w) => {
                        patterns.push(w);
                        self.bump();
                    }
                    Tok::Eof => return Err(ParseError::Eof { expecting: Some(")".into()), line: self.line() }),
                    other => return Err(self.unexpected(other)),
                }
                match self.peek() {
                    Tok::Op("|") => self.bump(),
                    Tok::Op(")") => {
                        self.bump();
                        break;
                    }
                    Tok::Eof => return Err(ParseError::Eof { expecting: Some(")".into()), line: self.line() }),
                    other => return Err(self.unexpected(other)),
                }
            }
            let body = self.list(&[";;", "esac"])?;
            arms.push((patterns, body));
            self.skip_newlines();
            if self.peek() == Tok::Op(";;") {
                self.bump();
                continue;
            }
            self.expect_word("esac")?;
            break;
        }
        Ok(Compound::Case { word, arms })
    }
}

pub fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_pipelines_and_compounds_parse() {
        let list = parse("set -e; apt-get update && apt-get install -y curl \\\n  git || echo no\nfor x in a b; do echo $x | tee -a f; done").unwrap();
        assert_eq!(list.0.len(), 3);
        assert_eq!(list.0[1].rest.len(), 2);
        assert!(parse("if [ -f x ]; then echo y; elif true; then :; else echo n; fi").is_ok());
        assert!(parse("case $x in a|b) echo ab;; *) echo other;; esac").is_ok());
        assert!(parse("f() { echo hi; }; f").is_ok());
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        assert!(matches!(parse("if true; then echo"), Err(ParseError::Eof { expecting: Some(w), .. }) if w == "fi"));
        assert!(matches!(parse("echo 'open"), Err(ParseError::Unterminated { .. })));
        assert!(matches!(parse("&& echo"), Err(ParseError::Unexpected { token, .. }) if token == "&&"));
        assert!(matches!(parse("fi"), Err(ParseError::Unexpected { token, .. }) if token == "fi"));
    }

    #[test]
    fn heredocs_and_io_numbers() {
        let list = parse("cat <<EOF > /f\nhello $X\nEOF\necho done 2>&1").unwrap();
        let Command::Simple(first) = &list.0[0].first.commands[0] else { panic!() };
        assert_eq!(first.redirs[0].target, "hello $X\n");
        assert!(first.redirs[0].heredoc_expand);
        let Command::Simple(second) = &list.0[1].first.commands[0] else { panic!() };
        assert_eq!(second.redirs[0].fd, Some(2));
    }
}
