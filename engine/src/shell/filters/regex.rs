//! A small POSIX regular-expression matcher (BRE and ERE, with GNU's `\w`, `\s`, `\b`, `\<`, `\>`)
//! for grep, sed and awk: a parser to a tree and a backtracking matcher with a step budget, so a
//! pathological pattern gives up instead of hanging the engine.

use std::cell::{Cell, RefCell};

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class { items: Vec<ClassItem>, negated: bool },
    Start,
    End,
    WordBoundary(bool),
    WordStart,
    WordEnd,
    /// A parenthesised group: its number (from 1, in order of `(`) and its alternatives.
    Group(usize, Vec<Vec<Node>>),
    Repeat { node: Box<Node>, min: u32, max: Option<u32> },
}

#[derive(Debug, Clone)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(String),
}

#[derive(Debug, Clone)]
pub struct Regex {
    alternatives: Vec<Vec<Node>>,
    ignore_case: bool,
    steps: Cell<u32>,
    depth: Cell<u32>,
    /// Where each group matched in the last successful search (`\1` in sed's replacement).
    captures: RefCell<Vec<Option<(usize, usize)>>>,
}

/// How many matcher steps one search may take before it gives up (and reports no match).
const STEP_BUDGET: u32 = 200_000;

/// How deep the matcher may recurse (a group repeated over a long line), so a pattern can never
/// exhaust the wasm stack: deeper than this counts as no match.
const DEPTH_LIMIT: u32 = 400;

impl Regex {
    /// Parses `pattern` as an ERE (`extended`) or a BRE; errors are GNU grep's wording.
    pub fn new(pattern: &str, extended: bool, ignore_case: bool) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser { chars: &chars, pos: 0, extended, groups: 0 };
        let alternatives = parser.alternation(0)?;
        if parser.pos < chars.len() {
            return Err("Unmatched ) or \\)".into());
        }
        let captures = RefCell::new(vec![None; parser.groups + 1]);
        Ok(Regex { alternatives, ignore_case, steps: Cell::new(0), depth: Cell::new(0), captures })
    }

    /// A pattern matched as plain text (`grep -F`).
    pub fn literal(text: &str, ignore_case: bool) -> Regex {
        Regex { alternatives: vec![text.chars().map(Node::Char).collect()], ignore_case, steps: Cell::new(0), depth: Cell::new(0), captures: RefCell::new(vec![None]) }
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.find_at(text, 0).is_some()
    }

    /// The first match at or after char index `from`, as char indices `(start, end)`.
    pub fn find_at(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        self.find_chars(&chars, from)
    }

    /// The groups of the last successful search: 0 is the whole match, then `\1`, `\2`…
    pub fn captures(&self) -> Vec<Option<(usize, usize)>> {
        self.captures.borrow().clone()
    }

    pub fn find_chars(&self, chars: &[char], from: usize) -> Option<(usize, usize)> {
        self.steps.set(0);
        for start in from..=chars.len() {
            self.captures.borrow_mut().iter_mut().for_each(|c| *c = None);
            let mut end = None;
            let found = self.alternatives.iter().any(|alt| {
                self.seq(chars, alt, start, &mut |p| {
                    end = Some(p);
                    true
                })
            });
            if found {
                let end = end?;
                self.captures.borrow_mut()[0] = Some((start, end));
                return Some((start, end));
            }
            if self.steps.get() > STEP_BUDGET {
                return None;
            }
        }
        None
    }

    fn seq(&self, text: &[char], nodes: &[Node], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > STEP_BUDGET || self.depth.get() > DEPTH_LIMIT {
            return false;
        }
        self.depth.set(self.depth.get() + 1);
        let found = self.seq_inner(text, nodes, pos, k);
        self.depth.set(self.depth.get() - 1);
        found
    }

    fn seq_inner(&self, text: &[char], nodes: &[Node], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        let Some((first, rest)) = nodes.split_first() else {
            return k(pos);
        };
        match first {
            // A repeated single character (`.*`, `[^"]+`) is scanned in a loop, longest first,
            // so a long line costs no stack.
            Node::Repeat { node, min, max } if matches!(**node, Node::Char(_) | Node::Any | Node::Class { .. }) => {
                let mut ends = vec![pos];
                while max.is_none_or(|max| ends.len() <= max as usize) {
                    match self.step(text, node, ends[ends.len() - 1]) {
                        Some(next) => ends.push(next),
                        None => break,
                    }
                }
                self.steps.set(self.steps.get().saturating_add(ends.len() as u32));
                (*min as usize..ends.len()).rev().any(|count| self.seq(text, rest, ends[count], k))
            }
            Node::Repeat { node, min, max } => self.repeat(text, node, *min, *max, 0, pos, rest, k),
            Node::Group(index, alternatives) => alternatives.iter().any(|alt| {
                self.seq(text, alt, pos, &mut |p| {
                    let saved = self.captures.borrow().get(*index).copied().flatten();
                    if let Some(slot) = self.captures.borrow_mut().get_mut(*index) {
                        *slot = Some((pos, p));
                    }
                    if self.seq(text, rest, p, k) {
                        return true;
                    }
                    if let Some(slot) = self.captures.borrow_mut().get_mut(*index) {
                        *slot = saved;
                    }
                    false
                })
            }),
            single => match self.step(text, single, pos) {
                Some(next) => self.seq(text, rest, next, k),
                None => false,
            },
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(&self, text: &[char], node: &Node, min: u32, max: Option<u32>, count: u32, pos: usize, rest: &[Node], k: &mut dyn FnMut(usize) -> bool) -> bool {
        if max.is_none_or(|max| count < max) {
            let once = std::slice::from_ref(node);
            // Greedy: one more first; an empty iteration only counts towards the minimum.
            if self.seq(text, once, pos, &mut |p| (p != pos || count < min) && self.repeat(text, node, min, max, count + 1, p, rest, k)) {
                return true;
            }
        }
        count >= min && self.seq(text, rest, pos, k)
    }

    /// Matches a node that is not a group or repeat; returns the position after it.
    fn step(&self, text: &[char], node: &Node, pos: usize) -> Option<usize> {
        let word = |i: usize| text.get(i).is_some_and(|c| c.is_alphanumeric() || *c == '_');
        let before = pos > 0 && word(pos - 1);
        match node {
            Node::Start => (pos == 0).then_some(pos),
            Node::End => (pos == text.len()).then_some(pos),
            Node::WordBoundary(yes) => ((before != word(pos)) == *yes).then_some(pos),
            Node::WordStart => (!before && word(pos)).then_some(pos),
            Node::WordEnd => (before && !word(pos)).then_some(pos),
            Node::Any => text.get(pos).map(|_| pos + 1),
            Node::Char(c) => {
                let t = *text.get(pos)?;
                (t == *c || (self.ignore_case && fold(t) == fold(*c))).then_some(pos + 1)
            }
            Node::Class { items, negated } => {
                let t = *text.get(pos)?;
                let hit = class_has(items, t) || (self.ignore_case && (class_has(items, fold(t)) || class_has(items, t.to_ascii_uppercase())));
                (hit != *negated).then_some(pos + 1)
            }
            Node::Group(..) | Node::Repeat { .. } => None,
        }
    }
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn class_has(items: &[ClassItem], c: char) -> bool {
    items.iter().any(|item| match item {
        ClassItem::Char(x) => *x == c,
        ClassItem::Range(a, b) => (*a..=*b).contains(&c),
        ClassItem::Named(name) => match name.as_str() {
            "alpha" => c.is_alphabetic(),
            "digit" => c.is_ascii_digit(),
            "alnum" => c.is_alphanumeric(),
            "upper" => c.is_uppercase(),
            "lower" => c.is_lowercase(),
            "space" => c.is_whitespace(),
            "blank" => c == ' ' || c == '\t',
            "punct" => c.is_ascii_punctuation(),
            "xdigit" => c.is_ascii_hexdigit(),
            "cntrl" => c.is_control(),
            "print" => !c.is_control(),
            "graph" => !c.is_control() && c != ' ',
            "word" => c.is_alphanumeric() || c == '_',
            _ => false,
        },
    })
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    extended: bool,
    /// Groups opened so far.
    groups: usize,
}

/// A token's meaning once BRE's backslashed operators and ERE's bare ones are read alike.
#[derive(PartialEq)]
enum Token {
    Alt,
    Open,
    Close,
    Star,
    Plus,
    Question,
    Brace,
    Literal(char),
    Escape(char),
    Other(char),
}

impl Parser<'_> {
    fn peek(&self) -> Option<Token> {
        let c = *self.chars.get(self.pos)?;
        let next = self.chars.get(self.pos + 1).copied();
        Some(match (c, self.extended) {
            ('\\', _) => match next {
                None => Token::Literal('\\'),
                Some(n) if !self.extended && matches!(n, '|' | '(' | ')' | '+' | '?' | '{') => match n {
                    '|' => Token::Alt,
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '+' => Token::Plus,
                    '?' => Token::Question,
                    _ => Token::Brace,
                },
                Some(n) => Token::Escape(n),
            },
            ('*', _) => Token::Star,
            ('|', true) => Token::Alt,
            ('(', true) => Token::Open,
            (')', true) => Token::Close,
            ('+', true) => Token::Plus,
            ('?', true) => Token::Question,
            ('{', true) => Token::Brace,
            (c, _) => Token::Other(c),
        })
    }

    fn advance(&mut self, token: &Token) {
        self.pos += match token {
            Token::Escape(_) => 2,
            Token::Literal(_) | Token::Other(_) | Token::Star => 1,
            _ if self.extended => 1,
            _ => 2,
        };
    }

    fn alternation(&mut self, depth: usize) -> Result<Vec<Vec<Node>>, String> {
        // Groups nest through recursion here: refuse what no one types rather than risk the stack.
        if depth > 100 {
            return Err("Regular expression too big".into());
        }
        let mut alternatives = vec![self.sequence(depth)?];
        while self.peek() == Some(Token::Alt) {
            self.advance(&Token::Alt);
            alternatives.push(self.sequence(depth)?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self, depth: usize) -> Result<Vec<Node>, String> {
        let mut nodes: Vec<Node> = Vec::new();
        while let Some(token) = self.peek() {
            match token {
                Token::Alt => break,
                Token::Close if depth > 0 => break,
                Token::Close if !self.extended => return Err("Unmatched ) or \\)".into()),
                Token::Star | Token::Plus | Token::Question | Token::Brace if !nodes.is_empty() && !matches!(nodes.last(), Some(Node::Start)) => {
                    self.advance(&token);
                    let (min, max) = match token {
                        Token::Star => (0, None),
                        Token::Plus => (1, None),
                        Token::Question => (0, Some(1)),
                        _ => self.braces()?,
                    };
                    let node = nodes.pop().unwrap_or(Node::Any);
                    nodes.push(Node::Repeat { node: Box::new(node), min, max });
                }
                Token::Open => {
                    self.advance(&token);
                    self.groups += 1;
                    let number = self.groups;
                    let inner = self.alternation(depth + 1)?;
                    if self.peek() != Some(Token::Close) {
                        return Err("Unmatched ( or \\(".into());
                    }
                    self.advance(&Token::Close);
                    nodes.push(Node::Group(number, inner));
                }
                other => {
                    self.advance(&other);
                    nodes.push(match other {
                        Token::Other('.') => Node::Any,
                        Token::Other('^') if nodes.is_empty() || self.extended => Node::Start,
                        Token::Other('$') if self.extended || self.at_sequence_end() => Node::End,
                        Token::Other('[') => self.bracket()?,
                        Token::Escape('w') => Node::Class { items: vec![ClassItem::Named("word".into())], negated: false },
                        Token::Escape('W') => Node::Class { items: vec![ClassItem::Named("word".into())], negated: true },
                        Token::Escape('s') => Node::Class { items: vec![ClassItem::Named("space".into())], negated: false },
                        Token::Escape('S') => Node::Class { items: vec![ClassItem::Named("space".into())], negated: true },
                        Token::Escape('d') => Node::Class { items: vec![ClassItem::Named("digit".into())], negated: false },
                        Token::Escape('b') => Node::WordBoundary(true),
                        Token::Escape('B') => Node::WordBoundary(false),
                        Token::Escape('<') => Node::WordStart,
                        Token::Escape('>') => Node::WordEnd,
                        Token::Escape('n') => Node::Char('\n'),
                        Token::Escape('t') => Node::Char('\t'),
                        Token::Escape(c) | Token::Literal(c) | Token::Other(c) => Node::Char(c),
                        Token::Star => Node::Char('*'),
                        Token::Plus => Node::Char('+'),
                        Token::Question => Node::Char('?'),
                        Token::Brace => Node::Char('{'),
                        Token::Close => Node::Char(')'),
                        Token::Alt | Token::Open => Node::Any,
                    });
                }
            }
        }
        Ok(nodes)
    }

    /// In a BRE, `$` is an anchor only at the end of the pattern or of a group/alternative.
    fn at_sequence_end(&self) -> bool {
        matches!(self.peek(), None | Some(Token::Close) | Some(Token::Alt))
    }

    /// `{n}`, `{n,}`, `{n,m}` (the `{` already read).
    fn braces(&mut self) -> Result<(u32, Option<u32>), String> {
        let close = if self.extended { "}" } else { "\\}" };
        let rest: String = self.chars[self.pos..].iter().collect();
        let Some(end) = rest.find(close) else {
            return Err("Unmatched \\{".into());
        };
        let body = &rest[..end];
        self.pos += body.chars().count() + close.len();
        let number = |s: &str| s.trim().parse::<u32>().map_err(|_| "Invalid content of \\{\\}".to_string());
        let (min, max) = match body.split_once(',') {
            None => {
                let n = number(body)?;
                (n, Some(n))
            }
            Some((a, "")) => (if a.is_empty() { 0 } else { number(a)? }, None),
            Some((a, b)) => (if a.is_empty() { 0 } else { number(a)? }, Some(number(b)?)),
        };
        if max.is_some_and(|max| max < min) || min > 1000 {
            return Err("Invalid content of \\{\\}".into());
        }
        Ok((min, max))
    }

    /// A bracket expression (the `[` already read).
    fn bracket(&mut self) -> Result<Node, String> {
        const UNMATCHED: &str = "Unmatched [, [^, [:, [., or [=";
        let mut negated = false;
        if self.chars.get(self.pos) == Some(&'^') {
            negated = true;
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(&c) = self.chars.get(self.pos) else {
                return Err(UNMATCHED.into());
            };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' && self.chars.get(self.pos + 1) == Some(&':') {
                let rest: String = self.chars[self.pos + 2..].iter().collect();
                let Some(end) = rest.find(":]") else {
                    return Err(UNMATCHED.into());
                };
                let name = rest[..end].to_string();
                if !["alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "xdigit", "cntrl", "print", "graph"].contains(&name.as_str()) {
                    return Err("Invalid character class name".into());
                }
                self.pos += 2 + name.chars().count() + 2;
                items.push(ClassItem::Named(name));
                continue;
            }
            self.pos += 1;
            if self.chars.get(self.pos) == Some(&'-') && self.chars.get(self.pos + 1).is_some_and(|&e| e != ']') {
                let end = self.chars[self.pos + 1];
                self.pos += 2;
                if end < c {
                    return Err("Invalid range end".into());
                }
                items.push(ClassItem::Range(c, end));
            } else {
                items.push(ClassItem::Char(c));
            }
        }
        Ok(Node::Class { items, negated })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ere(pattern: &str, text: &str) -> Option<(usize, usize)> {
        Regex::new(pattern, true, false).unwrap().find_at(text, 0)
    }

    #[test]
    fn ere_basics() {
        assert_eq!(ere("CACHED", "#5 CACHED"), Some((3, 9)));
        assert_eq!(ere("^a+b?$", "aaa"), Some((0, 3)));
        assert_eq!(ere("^a+b?$", "aaac"), None);
        assert_eq!(ere("(py|no)de?", "node"), Some((0, 4)));
        assert_eq!(ere("[0-9]{2,3}", "port 8080"), Some((5, 8)));
        assert_eq!(ere("[^ ]+$", "a bc"), Some((2, 4)));
        assert_eq!(ere("\\bweb\\b", "webapp web"), Some((7, 10)));
        assert_eq!(ere("[[:digit:]]+", "v12"), Some((1, 3)));
        assert_eq!(ere("x*", "abc"), Some((0, 0)));
        assert_eq!(ere("(a*)*b", "aaab"), Some((0, 4)));
    }

    #[test]
    fn bre_reads_operators_backslashed() {
        let bre = |p: &str, t: &str| Regex::new(p, false, false).unwrap().find_at(t, 0);
        assert_eq!(bre("a+", "a+"), Some((0, 2)));
        assert_eq!(bre("a\\+", "aa"), Some((0, 2)));
        assert_eq!(bre("\\(ab\\)*c", "ababc"), Some((0, 5)));
        assert_eq!(bre("*a", "*a"), Some((0, 2)));
        assert_eq!(bre("a|b", "a|b"), Some((0, 3)));
        assert_eq!(bre("a$b", "a$b"), Some((0, 3)));
    }

    #[test]
    fn long_lines_cost_no_stack() {
        let line = format!("{{\"Image\":\"{}\"}}", "x".repeat(100_000));
        assert_eq!(ere("^.*$", &line), Some((0, line.chars().count())));
        assert_eq!(ere("\"Image\":\"[^\"]*\"", &line), Some((1, line.chars().count() - 1)));
        // A repeated group over a long line gives up instead of overflowing the stack.
        assert_eq!(ere("(xx)*$", &"x".repeat(20_000)), None);
    }

    #[test]
    fn groups_capture() {
        let regex = Regex::new("\\([a-z]*\\)-\\([0-9]\\)", false, false).unwrap();
        assert_eq!(regex.find_at("x web-1", 0), Some((2, 7)));
        assert_eq!(regex.captures(), [Some((2, 7)), Some((2, 5)), Some((6, 7))]);
        let alternation = Regex::new("(a|(b))+", true, false).unwrap();
        assert_eq!(alternation.find_at("ab", 0), Some((0, 2)));
        assert_eq!(alternation.captures(), [Some((0, 2)), Some((1, 2)), Some((1, 2))]);
    }

    #[test]
    fn errors_and_case() {
        assert_eq!(Regex::new("(a", true, false).unwrap_err(), "Unmatched ( or \\(");
        assert_eq!(Regex::new("[a", true, false).unwrap_err(), "Unmatched [, [^, [:, [., or [=");
        assert_eq!(Regex::new("a\\)", false, false).unwrap_err(), "Unmatched ) or \\)");
        assert_eq!(ere("a)", "a)"), Some((0, 2)));
        assert!(Regex::new("DNS", false, true).unwrap().is_match("dns servers"));
        assert_eq!(Regex::new(&"(".repeat(5000), true, false).unwrap_err(), "Regular expression too big");
        // A pathological pattern gives up instead of running for ever.
        let slow = Regex::new("(a*)*(a*)*(a*)*c", true, false).unwrap();
        assert!(!slow.is_match(&"a".repeat(60)));
    }
}
