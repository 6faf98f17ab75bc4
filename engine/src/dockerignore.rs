//! `.dockerignore`: which build-context paths are sent to the builder, with moby/patternmatcher's
//! matching rules (`*`, `**`, `?`, `[...]`, `!` exceptions, later lines winning).
//!
//! Reading follows `moby/patternmatcher/ignorefile.ReadAll` ([`read_all`]): a UTF-8 BOM is dropped,
//! lines that *start* with `#` are comments (`  # x` is the pattern `# x`), every line is trimmed,
//! cleaned like Go's `filepath.Clean` and loses one leading `/`; a `!` prefix marks an exception.
//! [`DockerIgnore::parse`] then checks every pattern the way `patternmatcher.New` does when BuildKit
//! filters the context, so a bad pattern fails the build with Docker's own words.
//!
//! Matching follows patternmatcher rather than `filepath.Match`, because that is what Docker runs:
//! patterns are turned into a Go regular expression (`*` → `[^/]*`, `?` → `[^/]`, `**/` →
//! `(.*/)?`, `[...]` passed through), with shortcuts for patterns that are plain text, plain text
//! followed by `**` (a prefix test) or `**` followed by plain text (a suffix test). Those shortcuts
//! and the regex pass-through have visible quirks that Docker users meet, and this module keeps
//! them: `**file` also matches `dir/myfile`, and `a[^x]b` matches `a/b`.
//!
//! A path is excluded when the last pattern that matches it, or matches one of its parent
//! directories, is not an exception ([`PatternMatcher::matches_or_parent_matches`], what BuildKit
//! uses for the context). The deprecated single-parent variant is kept for conformance only
//! ([`PatternMatcher::matches_single_parent`]).
//!
//! # What Docker does with the Dockerfile and `.dockerignore` themselves
//! Both are always read by the builder, even when `.dockerignore` lists them: BuildKit transfers
//! the Dockerfile and the ignore file separately from the context ("load build definition",
//! "load .dockerignore"), and the classic builder re-adds them with `!Dockerfile` /
//! `!.dockerignore` so the daemon can read them and then drops them. Either way, listing them in
//! `.dockerignore` keeps them out of what `COPY`/`ADD` can see. BuildKit also prefers a
//! Dockerfile-specific ignore file (`app.Dockerfile.dockerignore` next to `app.Dockerfile`) over the
//! context's `.dockerignore`.
//!
//! # Known differences from Docker
//! Go compiles a pattern's regular expression lazily, on the first path it is tested against, so
//! a pattern Go's `regexp` rejects (an inverted range such as `[Local-Only]`, an unknown escape
//! such as `\q`) fails the build when the context is walked; here it is reported by
//! [`DockerIgnore::parse`] instead, with the same message. Regex escapes that Go accepts but that
//! make no sense in a file name (`\b`, `\B`, `\pN`, `\x41`, octal `\101`, `\Q…\E`) are reported as
//! syntax errors rather than emulated.

use thiserror::Error;

/// The only separator: the simulator models Linux hosts, and context paths use `/`.
const SEPARATOR: char = '/';

/// Go's `bufio.Scanner` gives up on a line of this many bytes or more (`MaxScanTokenSize`).
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Why a `.dockerignore` file cannot be used. `Display` is Docker's wording; [`Self::line`] says
/// where, for the caller to point at.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DockerIgnoreError {
    #[error("bufio.Scanner: token too long")]
    LineTooLong { line: usize },
    #[error("syntax error in pattern")]
    BadPattern { line: usize, pattern: String },
    #[error("illegal exclusion pattern: \"!\"")]
    LoneExclamation { line: usize },
}

impl DockerIgnoreError {
    /// The 1-based line of `.dockerignore` at fault.
    pub fn line(&self) -> usize {
        match self {
            DockerIgnoreError::LineTooLong { line }
            | DockerIgnoreError::BadPattern { line, .. }
            | DockerIgnoreError::LoneExclamation { line } => *line,
        }
    }
}

/// Why one pattern cannot be used, worded as patternmatcher words it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatternError {
    /// `filepath.ErrBadPattern`: the glob is malformed, or its regular expression does not compile.
    #[error("syntax error in pattern")]
    Syntax { pattern: String },
    #[error("illegal exclusion pattern: \"!\"")]
    LoneExclamation,
}

/// A parsed `.dockerignore`: the cleaned patterns in file order and their compiled matcher.
/// `DockerIgnore::default()` stands for a context without a `.dockerignore` (nothing excluded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerIgnore {
    patterns: Vec<String>,
    matcher: PatternMatcher,
}

impl DockerIgnore {
    /// Reads `.dockerignore` text ([`read_all`]) and checks every pattern as BuildKit does before
    /// filtering the context.
    pub fn parse(text: &str) -> Result<DockerIgnore, DockerIgnoreError> {
        let lines = read_lines(text)?;
        let mut compiled = Vec::with_capacity(lines.len());
        for (line, pattern) in &lines {
            match Pattern::from_matcher_line(pattern) {
                Ok(Some(pattern)) => compiled.push(pattern),
                Ok(None) => {}
                Err(PatternError::Syntax { pattern }) => {
                    return Err(DockerIgnoreError::BadPattern { line: *line, pattern })
                }
                Err(PatternError::LoneExclamation) => return Err(DockerIgnoreError::LoneExclamation { line: *line }),
            }
        }
        Ok(DockerIgnore {
            patterns: lines.into_iter().map(|(_, pattern)| pattern).collect(),
            matcher: PatternMatcher { patterns: compiled },
        })
    }

    /// The patterns as `ReadAll` returns them: cleaned, exceptions still prefixed with `!`.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// The compiled patterns, for callers that need patternmatcher's lower-level answers.
    pub fn matcher(&self) -> &PatternMatcher {
        &self.matcher
    }

    /// Whether the file or directory at `path` (relative to the context root, `/`-separated) is
    /// left out of the context. The path is cleaned first; the context root itself (`.`, `/` or
    /// the empty path) is never excluded. A directory can be excluded while files under it are
    /// kept by an exception (`dir` then `!dir/keep`): ask about each file, and keep the parents
    /// of kept files, as BuildKit does.
    pub fn is_excluded(&self, path: &str) -> bool {
        let cleaned = clean(path);
        let relative = cleaned.trim_start_matches(SEPARATOR);
        if relative.is_empty() || relative == "." {
            return false;
        }
        self.matcher.matches_or_parent_matches(relative)
    }

    /// The paths that are sent to the builder, in the order given.
    pub fn filter<'a, I>(&self, paths: I) -> Vec<&'a str>
    where
        I: IntoIterator<Item = &'a str>,
    {
        paths.into_iter().filter(|path| !self.is_excluded(path)).collect()
    }
}

/// `ignorefile.ReadAll`: the cleaned pattern list of an ignore file, before any pattern is
/// checked. Its only failure is a line too long for Go's line scanner.
pub fn read_all(text: &str) -> Result<Vec<String>, DockerIgnoreError> {
    Ok(read_lines(text)?.into_iter().map(|(_, pattern)| pattern).collect())
}

/// `ReadAll`, keeping each pattern's 1-based line for error messages.
fn read_lines(text: &str) -> Result<Vec<(usize, String)>, DockerIgnoreError> {
    let mut patterns = Vec::new();
    // `split` yields an empty last piece after a final newline; it is skipped like any blank line.
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        if raw.len() >= MAX_LINE_BYTES {
            return Err(DockerIgnoreError::LineTooLong { line });
        }
        // Go's line scanner drops one `\r` before the newline.
        let mut content = raw.strip_suffix('\r').unwrap_or(raw);
        if line == 1 {
            content = content.strip_prefix('\u{feff}').unwrap_or(content);
        }
        // Comments are recognised before trimming, as Docker does.
        if content.starts_with('#') {
            continue;
        }
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        let (exception, body) = match content.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, content),
        };
        let mut body = if body.is_empty() { String::new() } else { clean(body) };
        // Only one slash can lead after cleaning; `/` alone is kept as Docker keeps it.
        if body.len() > 1 && body.starts_with(SEPARATOR) {
            body.remove(0);
        }
        let pattern = if exception { format!("!{body}") } else { body };
        patterns.push((line, pattern));
    }
    Ok(patterns)
}

/// Go's `filepath.Clean` for `/`-separated paths: no repeated slashes, no `.` parts, `..` folded
/// into the part before it, no trailing slash, and `.` for an empty result.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with(SEPARATOR);
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(SEPARATOR) {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // `/..` is `/`; a relative path keeps leading `..` parts.
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Dir`: everything before the last slash, cleaned.
fn parent_dir(path: &str) -> String {
    match path.rfind(SEPARATOR) {
        Some(slash) => clean(&path[..=slash]),
        None => ".".to_string(),
    }
}

/// Each ancestor spelled as `strings.Join(parts[:i+1], "/")` over the parts of `parent`, shortest
/// first: `a/b` gives `a`, `a/b`; `/` gives `` and `/`, as Go's split does.
fn ancestors(parent: &str) -> impl Iterator<Item = &str> {
    parent
        .match_indices(SEPARATOR)
        .map(|(slash, _)| slash)
        .chain(std::iter::once(parent.len()))
        .map(move |end| &parent[..end])
}

/// patternmatcher's `PatternMatcher`: patterns in order, each possibly an exception.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatternMatcher {
    patterns: Vec<Pattern>,
}

impl PatternMatcher {
    /// `patternmatcher.New`: blank patterns are skipped, the rest trimmed, cleaned and checked.
    pub fn new<I, S>(patterns: I) -> Result<PatternMatcher, PatternError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut compiled = Vec::new();
        for pattern in patterns {
            if let Some(pattern) = Pattern::from_matcher_line(pattern.as_ref())? {
                compiled.push(pattern);
            }
        }
        Ok(PatternMatcher { patterns: compiled })
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether any pattern is a `!` exception (BuildKit then has to look inside excluded
    /// directories for files an exception brings back).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(Pattern::is_exclusion)
    }

    /// `MatchesOrParentMatches`: whether `file` (a `/`-separated path, used as given) is matched,
    /// itself or through any parent directory, by a pattern not undone by a later exception.
    pub fn matches_or_parent_matches(&self, file: &str) -> bool {
        let parent = parent_dir(file);
        self.last_word(|pattern| {
            pattern.matches(file) || (parent != "." && ancestors(&parent).any(|ancestor| pattern.matches(ancestor)))
        })
    }

    /// The deprecated `PatternMatcher.Matches`: like [`Self::matches_or_parent_matches`] but a
    /// pattern of N parts is only tried on the file's first N parts, so `**/b` misses `x/a/b/c`.
    pub fn matches_single_parent(&self, file: &str) -> bool {
        let parent = parent_dir(file);
        let parent_depth = parent.split(SEPARATOR).count();
        self.last_word(|pattern| {
            if pattern.matches(file) {
                return true;
            }
            if parent == "." || pattern.depth > parent_depth {
                return false;
            }
            ancestors(&parent).nth(pattern.depth - 1).is_some_and(|ancestor| pattern.matches(ancestor))
        })
    }

    /// Walks the patterns in order, letting each one that applies flip the verdict: an inclusion
    /// is only tried while the path is not yet matched, an exception only once it is.
    fn last_word(&self, applies: impl Fn(&Pattern) -> bool) -> bool {
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            if applies(pattern) {
                matched = !pattern.exclusion;
            }
        }
        matched
    }
}

/// `MatchesOrParentMatches(file, patterns)`: compiles the patterns, cleans `file`, and never
/// matches the context root `.`.
pub fn matches_or_parent_matches<S: AsRef<str>>(file: &str, patterns: &[S]) -> Result<bool, PatternError> {
    let matcher = PatternMatcher::new(patterns)?;
    let file = clean(file);
    Ok(file != "." && matcher.matches_or_parent_matches(&file))
}

/// The deprecated `Matches(file, patterns)`, with its single-parent check; kept for conformance.
pub fn matches_single_parent<S: AsRef<str>>(file: &str, patterns: &[S]) -> Result<bool, PatternError> {
    let matcher = PatternMatcher::new(patterns)?;
    let file = clean(file);
    Ok(file != "." && matcher.matches_single_parent(&file))
}

/// One compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Cleaned, without the `!`.
    text: String,
    exclusion: bool,
    /// How many `/`-separated parts `text` has, for the deprecated single-parent check.
    depth: usize,
    test: PathTest,
}

/// How patternmatcher tests a path; the shortcuts are not equivalent to the regex (`**file`
/// matches `dir/myfile` as a suffix), so they are kept rather than folded into it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PathTest {
    Exact,
    Prefix(String),
    Suffix(String),
    Regex(Program),
}

impl Pattern {
    /// One pattern line as `patternmatcher.New` takes it: trimmed, cleaned, `!` for an exception,
    /// checked with `filepath.Match`'s syntax rules and then compiled. Blank text cleans to `.`,
    /// which only names the context root.
    pub fn new(text: &str) -> Result<Pattern, PatternError> {
        let cleaned = clean(text.trim());
        let (exclusion, body) = match cleaned.strip_prefix('!') {
            Some("") => return Err(PatternError::LoneExclamation),
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let syntax_error = || PatternError::Syntax { pattern: body.to_string() };
        if !is_valid_glob(body) {
            return Err(syntax_error());
        }
        let test = path_test(body).ok_or_else(syntax_error)?;
        Ok(Pattern { text: body.to_string(), exclusion, depth: body.split(SEPARATOR).count(), test })
    }

    /// [`Pattern::new`], with `New`'s skipping of blank lines.
    fn from_matcher_line(text: &str) -> Result<Option<Pattern>, PatternError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        Pattern::new(text).map(Some)
    }

    /// The cleaned pattern without its `!`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_exclusion(&self) -> bool {
        self.exclusion
    }

    /// Whether this one pattern matches `path` itself (no parent directories, no exceptions).
    pub fn matches(&self, path: &str) -> bool {
        match &self.test {
            PathTest::Exact => path == self.text,
            PathTest::Prefix(prefix) => path.starts_with(prefix.as_str()),
            PathTest::Suffix(suffix) => {
                path.ends_with(suffix.as_str())
                    // `**/foo` also matches `foo` at the top.
                    || suffix.strip_prefix(SEPARATOR).is_some_and(|rest| path == rest)
            }
            PathTest::Regex(program) => program.is_match(path),
        }
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// `filepath.Match`'s syntax check, which patternmatcher runs on every pattern: classes must close
/// and hold at least one item, `-` and `]` must be escaped inside them unless closing or joining a
/// range, and `\` must escape something.
fn is_valid_glob(pattern: &str) -> bool {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(_escaped) = chars.next() else { return false };
            }
            '[' => {
                chars.next_if_eq(&'^');
                let mut items = 0;
                loop {
                    if items > 0 && chars.next_if_eq(&']').is_some() {
                        break;
                    }
                    if !take_class_char(&mut chars) {
                        return false;
                    }
                    if chars.next_if_eq(&'-').is_some() && !take_class_char(&mut chars) {
                        return false;
                    }
                    items += 1;
                }
            }
            _ => {}
        }
    }
    true
}

/// Go's `getEsc`: one class character (possibly escaped) that must be followed by more pattern.
fn take_class_char(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let taken = match chars.next() {
        None | Some('-' | ']') => false,
        Some('\\') => chars.next().is_some(),
        Some(_) => true,
    };
    taken && chars.peek().is_some()
}

/// patternmatcher's `compile`: picks the test and, for the regex case, builds the same regular
/// expression Go builds. `None` when Go's `regexp` would refuse it.
fn path_test(pattern: &str) -> Option<PathTest> {
    #[derive(PartialEq)]
    enum Detected {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
    let mut detected = Detected::Exact;
    let mut regex = String::from("^");
    let mut chars = pattern.chars().peekable();
    let mut index = 0;
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.next_if_eq(&'*').is_some() => {
                // `**/` is treated as `**`.
                chars.next_if_eq(&SEPARATOR);
                if chars.peek().is_none() {
                    if detected == Detected::Exact {
                        detected = Detected::Prefix;
                    } else {
                        regex.push_str(".*");
                        detected = Detected::Regex;
                    }
                } else {
                    // Any number of whole directories, including none.
                    regex.push_str("(.*/)?");
                    detected = Detected::Regex;
                }
                if index == 0 {
                    detected = Detected::Suffix;
                }
            }
            '*' => {
                regex.push_str("[^/]*");
                detected = Detected::Regex;
            }
            '?' => {
                regex.push_str("[^/]");
                detected = Detected::Regex;
            }
            // Regex metacharacters with no glob meaning are escaped; `^` is not, as in Go.
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                regex.push('\\');
                regex.push(c);
            }
            '\\' => match chars.next() {
                Some(escaped) => {
                    regex.push('\\');
                    regex.push(escaped);
                    detected = Detected::Regex;
                }
                None => regex.push('\\'),
            },
            '[' | ']' => {
                regex.push(c);
                detected = Detected::Regex;
            }
            _ => regex.push(c),
        }
        index += 1;
    }
    // `**` and the separator are ASCII, so byte slicing stays on character boundaries.
    Some(match detected {
        Detected::Exact => PathTest::Exact,
        Detected::Prefix => PathTest::Prefix(pattern[..pattern.len() - 2].to_string()),
        Detected::Suffix => PathTest::Suffix(pattern[2..].to_string()),
        Detected::Regex => {
            regex.push('$');
            PathTest::Regex(Program::compile(&regex)?)
        }
    })
}

// ---------------------------------------------------------------------------------------------
// A small regular-expression engine for the part of Go's RE2 syntax that `path_test` can emit:
// literals, `.`, classes (ranges, `\d`-style and `[:alpha:]`-style), `^`, `$`, `\A`, `\z`,
// groups and `*`/`+`/`?`. It runs as a Thompson NFA, so time stays linear in the path length
// whatever the pattern. Flags are Go's defaults: `.` stops at newlines, negated classes do not.

/// A set of characters one step of the expression consumes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CharSet {
    AnyButNewline,
    Class { negated: bool, items: Vec<ClassItem> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ClassItem {
    Range(char, char),
    /// A named class inside a bracket (`[\d]`, `[[:alpha:]]`).
    Within(&'static [(char, char)]),
    /// A negated named class inside a bracket (`[\D]`, `[[:^alpha:]]`).
    Outside(&'static [(char, char)]),
}

impl CharSet {
    fn literal(c: char) -> CharSet {
        CharSet::Class { negated: false, items: vec![ClassItem::Range(c, c)] }
    }

    fn named(ranges: &'static [(char, char)], negated: bool) -> CharSet {
        CharSet::Class { negated, items: vec![ClassItem::Within(ranges)] }
    }

    fn contains(&self, c: char) -> bool {
        match self {
            CharSet::AnyButNewline => c != '\n',
            CharSet::Class { negated, items } => {
                let listed = items.iter().any(|item| match item {
                    ClassItem::Range(lo, hi) => (*lo..=*hi).contains(&c),
                    ClassItem::Within(ranges) => in_ranges(ranges, c),
                    ClassItem::Outside(ranges) => !in_ranges(ranges, c),
                });
                listed != *negated
            }
        }
    }
}

fn in_ranges(ranges: &[(char, char)], c: char) -> bool {
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const PERL_SPACE: &[(char, char)] = &[('\t', '\n'), ('\x0c', '\r'), (' ', ' ')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

/// `\d`, `\s`, `\w` and their negations, as Go defines them (ASCII only).
fn perl_class(letter: char) -> Option<(&'static [(char, char)], bool)> {
    let ranges = match letter.to_ascii_lowercase() {
        'd' => DIGIT,
        's' => PERL_SPACE,
        'w' => WORD,
        _ => return None,
    };
    Some((ranges, letter.is_ascii_uppercase()))
}

/// The POSIX classes Go accepts inside brackets (`[[:digit:]]`), ASCII only.
fn posix_class(name: &str) -> Option<&'static [(char, char)]> {
    Some(match name {
        "alnum" => &[('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => &[('A', 'Z'), ('a', 'z')],
        "ascii" => &[('\0', '\x7f')],
        "blank" => &[('\t', '\t'), (' ', ' ')],
        "cntrl" => &[('\0', '\x1f'), ('\x7f', '\x7f')],
        "digit" => DIGIT,
        "graph" => &[('!', '~')],
        "lower" => &[('a', 'z')],
        "print" => &[(' ', '~')],
        "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => &[('\t', '\r'), (' ', ' ')],
        "upper" => &[('A', 'Z')],
        "word" => WORD,
        "xdigit" => &[('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Char(CharSet),
    Group(Vec<Node>),
    Repeat(Box<Node>, Repetition),
    StartOfText,
    EndOfText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repetition {
    ZeroOrMore,
    OneOrMore,
    ZeroOrOne,
}

/// Parses Go regex syntax; every `None` is a pattern Go's `regexp.Compile` rejects (or one of the
/// features this engine deliberately leaves out, see the module docs).
struct RegexParser {
    chars: Vec<char>,
    position: usize,
}

impl RegexParser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.position + offset).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.position += 1;
        Some(c)
    }

    fn sequence(&mut self, inside_group: bool) -> Option<Vec<Node>> {
        let mut nodes = Vec::new();
        loop {
            let Some(c) = self.bump() else {
                // An unclosed group is Go's "missing closing )".
                return (!inside_group).then_some(nodes);
            };
            let node = match c {
                ')' => return inside_group.then_some(nodes),
                '(' => Node::Group(self.sequence(true)?),
                '*' | '+' | '?' => {
                    let repetition = match c {
                        '*' => Repetition::ZeroOrMore,
                        '+' => Repetition::OneOrMore,
                        _ => Repetition::ZeroOrOne,
                    };
                    match nodes.pop() {
                        // Go: "missing argument" / "invalid nested repetition operator".
                        None | Some(Node::Repeat(..)) => return None,
                        Some(operand) => Node::Repeat(Box::new(operand), repetition),
                    }
                }
                // Alternation and counted repetition cannot come out of `path_test`.
                '|' | '{' => return None,
                '^' => Node::StartOfText,
                '$' => Node::EndOfText,
                '.' => Node::Char(CharSet::AnyButNewline),
                '[' => Node::Char(self.class()?),
                '\\' => self.escape_outside_class()?,
                literal => Node::Char(CharSet::literal(literal)),
            };
            nodes.push(node);
        }
    }

    fn escape_outside_class(&mut self) -> Option<Node> {
        let letter = self.peek()?;
        if let Some((ranges, negated)) = perl_class(letter) {
            self.bump();
            return Some(Node::Char(CharSet::named(ranges, negated)));
        }
        match letter {
            'A' => {
                self.bump();
                Some(Node::StartOfText)
            }
            'z' => {
                self.bump();
                Some(Node::EndOfText)
            }
            _ => self.escaped_char().map(|c| Node::Char(CharSet::literal(c))),
        }
    }

    /// Go's `parseEscape` after the backslash: punctuation stands for itself, a few letters are
    /// control characters, anything else is refused.
    fn escaped_char(&mut self) -> Option<char> {
        let c = self.bump()?;
        match c {
            _ if c.is_ascii() && !c.is_ascii_alphanumeric() => Some(c),
            'a' => Some('\x07'),
            'f' => Some('\x0c'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\x0b'),
            _ => None,
        }
    }

    /// A bracket class, after its `[`. A `]` right after `[` or `[^` is a member, as in Go.
    fn class(&mut self) -> Option<CharSet> {
        let negated = self.peek() == Some('^');
        if negated {
            self.bump();
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            match self.peek() {
                None => return None,
                Some(']') if !first => {
                    self.bump();
                    break;
                }
                _ => {}
            }
            first = false;
            if self.peek() == Some('[') && self.peek_at(1) == Some(':') {
                if let Some(item) = self.posix_item()? {
                    items.push(item);
                    continue;
                }
            }
            if self.peek() == Some('\\') {
                if let Some((ranges, negated)) = self.peek_at(1).and_then(perl_class) {
                    self.position += 2;
                    items.push(if negated { ClassItem::Outside(ranges) } else { ClassItem::Within(ranges) });
                    continue;
                }
            }
            let lo = self.class_char()?;
            let mut hi = lo;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|next| next != ']') {
                self.bump();
                hi = self.class_char()?;
                if hi < lo {
                    // Go: "invalid character class range".
                    return None;
                }
            }
            items.push(ClassItem::Range(lo, hi));
        }
        Some(CharSet::Class { negated, items })
    }

    /// `[:name:]` or `[:^name:]` at the cursor. `Some(None)` when no `:]` follows, so the `[` is
    /// an ordinary member; `None` for an unknown name, which Go refuses.
    fn posix_item(&mut self) -> Option<Option<ClassItem>> {
        let rest = &self.chars[self.position + 2..];
        let Some(length) = rest.windows(2).position(|pair| pair == [':', ']']) else {
            return Some(None);
        };
        let name: String = rest[..length].iter().collect();
        let (negated, name) = match name.strip_prefix('^') {
            Some(inner) => (true, inner),
            None => (false, name.as_str()),
        };
        let ranges = posix_class(name)?;
        self.position += 2 + length + 2;
        Some(Some(if negated { ClassItem::Outside(ranges) } else { ClassItem::Within(ranges) }))
    }

    fn class_char(&mut self) -> Option<char> {
        match self.bump()? {
            '\\' => self.escaped_char(),
            c => Some(c),
        }
    }
}

/// One step of the compiled NFA.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Char(CharSet),
    /// Try both continuations.
    Split(usize, usize),
    Jump(usize),
    StartOfText,
    EndOfText,
    Match,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Program {
    steps: Vec<Step>,
}

impl Program {
    fn compile(regex: &str) -> Option<Program> {
        let mut parser = RegexParser { chars: regex.chars().collect(), position: 0 };
        let nodes = parser.sequence(false)?;
        let mut program = Program { steps: Vec::new() };
        for node in &nodes {
            program.emit(node);
        }
        program.steps.push(Step::Match);
        Some(program)
    }

    fn emit(&mut self, node: &Node) {
        match node {
            Node::Char(set) => self.steps.push(Step::Char(set.clone())),
            Node::Group(nodes) => nodes.iter().for_each(|node| self.emit(node)),
            Node::StartOfText => self.steps.push(Step::StartOfText),
            Node::EndOfText => self.steps.push(Step::EndOfText),
            Node::Repeat(operand, Repetition::ZeroOrMore) => {
                let split = self.placeholder();
                self.emit(operand);
                self.steps.push(Step::Jump(split));
                self.steps[split] = Step::Split(split + 1, self.steps.len());
            }
            Node::Repeat(operand, Repetition::OneOrMore) => {
                let start = self.steps.len();
                self.emit(operand);
                self.steps.push(Step::Split(start, self.steps.len() + 1));
            }
            Node::Repeat(operand, Repetition::ZeroOrOne) => {
                let split = self.placeholder();
                self.emit(operand);
                self.steps[split] = Step::Split(split + 1, self.steps.len());
            }
        }
    }

    fn placeholder(&mut self) -> usize {
        self.steps.push(Step::Jump(0));
        self.steps.len() - 1
    }

    /// Go's `MatchString`: whether the expression matches anywhere in `text`.
    fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        // `visited[step] == position + 1` marks a step already reached at this position.
        let mut visited = vec![0usize; self.steps.len()];
        let mut waiting: Vec<usize> = Vec::new();
        let mut seeds: Vec<usize> = Vec::new();
        for position in 0..=chars.len() {
            // A match may start at any position, as in an unanchored search.
            seeds.push(0);
            waiting.clear();
            while let Some(step) = seeds.pop() {
                if visited[step] == position + 1 {
                    continue;
                }
                visited[step] = position + 1;
                match &self.steps[step] {
                    Step::Match => return true,
                    Step::Char(_) => waiting.push(step),
                    Step::Split(first, second) => {
                        seeds.push(*second);
                        seeds.push(*first);
                    }
                    Step::Jump(target) => seeds.push(*target),
                    Step::StartOfText if position == 0 => seeds.push(step + 1),
                    Step::EndOfText if position == chars.len() => seeds.push(step + 1),
                    Step::StartOfText | Step::EndOfText => {}
                }
            }
            let Some(&c) = chars.get(position) else { break };
            for &step in &waiting {
                if let Step::Char(set) = &self.steps[step] {
                    if set.contains(c) {
                        seeds.push(step + 1);
                    }
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text).unwrap_or_else(|error| panic!("{text:?} should parse: {error}"))
    }

    fn excluded(text: &str, path: &str) -> bool {
        ignore(text).is_excluded(path)
    }

    #[test]
    fn reading_cleans_trims_and_skips_comments() {
        let text = "\u{feff}# comment\r\n  ./src//app/../lib/  \r\n\n/abs\n!  /keep/me\n  #not-a-comment\n/\n";
        assert_eq!(ignore(text).patterns(), ["src/lib", "abs", "!keep/me", "#not-a-comment", "/"]);
    }

    #[test]
    fn a_byte_order_mark_only_counts_on_the_first_line() {
        assert_eq!(read_all("a\n\u{feff}b").unwrap(), ["a", "\u{feff}b"]);
    }

    #[test]
    fn errors_name_the_line_in_dockers_words() {
        let error = DockerIgnore::parse("ok\n\n# c\nlogs/[\n").unwrap_err();
        assert_eq!(error, DockerIgnoreError::BadPattern { line: 4, pattern: "logs/[".into() });
        assert_eq!(error.to_string(), "syntax error in pattern");

        let error = DockerIgnore::parse("a\n!\n").unwrap_err();
        assert_eq!(error.line(), 2);
        assert_eq!(error.to_string(), "illegal exclusion pattern: \"!\"");

        // `!/` cleans to `!` once the matcher sees it, so Docker refuses it too.
        assert_eq!(DockerIgnore::parse("!/").unwrap_err().line(), 1);
    }

    #[test]
    fn patterns_go_regexp_refuses_are_syntax_errors() {
        // Valid for filepath.Match, but `l-O` is an inverted range for Go's regexp (moby#52203).
        assert!(matches!(DockerIgnore::parse("[Local-Only]/"), Err(DockerIgnoreError::BadPattern { line: 1, .. })));
        assert!(DockerIgnore::parse("a\\qb").is_err());
        assert!(DockerIgnore::parse("[[:nope:]]").is_err());
    }

    #[test]
    fn over_long_lines_fail_like_gos_scanner() {
        let long = "a".repeat(MAX_LINE_BYTES);
        let error = DockerIgnore::parse(&format!("ok\n{long}\n")).unwrap_err();
        assert_eq!(error, DockerIgnoreError::LineTooLong { line: 2 });
        assert!(DockerIgnore::parse(&"a".repeat(MAX_LINE_BYTES - 1)).is_ok());
    }

    #[test]
    fn a_directory_excludes_everything_below_it() {
        assert!(excluded("node_modules", "node_modules"));
        assert!(excluded("node_modules", "node_modules/left-pad/index.js"));
        assert!(!excluded("node_modules", "src/node_modules/x.js"));
        assert!(excluded("**/node_modules", "src/node_modules/x.js"));
        assert!(excluded("*/temp*", "somedir/temporary.txt"));
        assert!(!excluded("*/temp*", "somedir/sub/temporary.txt"));
    }

    #[test]
    fn later_lines_win_and_exceptions_reach_into_excluded_directories() {
        let text = "docs\n!docs/README.md\n";
        assert!(!excluded(text, "docs/README.md"));
        assert!(excluded(text, "docs/other.md"));
        assert!(excluded(text, "docs"));
        assert!(excluded("*.md\n!README*.md\nREADME-secret.md", "README-secret.md"));
        assert!(!excluded("*.md\n!README*.md\nREADME-secret.md", "README.md"));
        // An exception before the rule it should soften does nothing.
        assert!(excluded("!keep.go\n*.go", "keep.go"));
    }

    #[test]
    fn the_context_root_is_never_excluded() {
        let everything = ignore("**\n*");
        for root in ["", ".", "/", "./", "a/.."] {
            assert!(!everything.is_excluded(root), "{root:?}");
        }
        assert!(everything.is_excluded("/abs/file"));
        assert!(everything.is_excluded("./file"));
    }

    #[test]
    fn filter_keeps_what_is_sent_in_order() {
        let paths = ["Dockerfile", "app.py", "secrets/.env", ".git/HEAD", "src/main.py"];
        assert_eq!(ignore(".git\nsecrets\n").filter(paths), ["Dockerfile", "app.py", "src/main.py"]);
        assert_eq!(DockerIgnore::default().filter(paths), paths);
    }

    #[test]
    fn double_star_shortcuts_keep_dockers_quirks() {
        // A leading `**` followed by plain text is a bare suffix test in patternmatcher.
        assert!(excluded("**file", "dir/myfile"));
        assert!(excluded("**/file", "dir/file"));
        assert!(!excluded("**/file", "dir/myfile"));
        // A trailing `**` after plain text is a prefix test, so `abc/**` leaves `abc` itself.
        assert!(!excluded("abc/**", "abc"));
        assert!(excluded("abc/**", "abc/x"));
        assert!(excluded("abc**", "abcdef/x"));
        assert!(excluded("**/*.pyc", "a/b/c.pyc"));
        assert!(excluded("**/*.pyc", "c.pyc"));
    }

    #[test]
    fn classes_and_escapes_follow_gos_regexp() {
        assert!(excluded("file[0-9].txt", "file7.txt"));
        assert!(!excluded("file[^0-9].txt", "file7.txt"));
        // The class goes into the regex as written, so a negated class crosses `/`.
        assert!(excluded("a[^x]b", "a/b"));
        assert!(excluded("log[[:digit:]]", "log4"));
        assert!(!excluded("log[[:digit:]]", "logx"));
        assert!(excluded("[\\d]x", "7x"));
        assert!(excluded("a\\*b", "a*b"));
        assert!(!excluded("a\\*b", "axb"));
        // `\n` is a newline for Go's regexp, not the letter n.
        assert!(Pattern::new("a\\nb").unwrap().matches("a\nb"));
        assert!(!Pattern::new("a\\nb").unwrap().matches("anb"));
        // `^` is not escaped by patternmatcher, so it anchors instead of matching itself.
        assert!(Pattern::new("^x*").unwrap().matches("xy"));
        assert!(!Pattern::new("a^b*").unwrap().matches("a^b"));
        // Regex metacharacters without glob meaning are plain text.
        assert!(excluded("a.|)$(}+{bc", "a.|)$(}+{bc"));
        assert!(!excluded("abc.def", "abcxdef"));
    }

    #[test]
    fn parent_checks_differ_between_the_two_matchers() {
        let matcher = PatternMatcher::new(["**/b"]).unwrap();
        assert!(matcher.matches_or_parent_matches("x/a/b/c"));
        assert!(!matcher.matches_single_parent("x/a/b/c"));
        assert_eq!(matches_single_parent(".", &["*"]), Ok(false));
        assert_eq!(matches_or_parent_matches("./", &["**"]), Ok(false));
    }

    #[test]
    fn the_matcher_reports_exceptions() {
        assert!(PatternMatcher::new(["a", "  !a/b  "]).unwrap().has_exclusions());
        let matcher = PatternMatcher::new(["", "docs", "  "]).unwrap();
        assert_eq!(matcher.patterns().len(), 1);
        assert!(!matcher.has_exclusions());
        assert_eq!(PatternMatcher::new(["!"]), Err(PatternError::LoneExclamation));
    }

    #[test]
    fn clean_matches_gos_filepath_clean() {
        for (input, cleaned) in [
            ("", "."),
            (".", "."),
            ("/", "/"),
            ("//a//b/", "/a/b"),
            ("a/./b/../c", "a/c"),
            ("../../a", "../../a"),
            ("a/../..", ".."),
            ("/../a", "/a"),
            ("**/", "**"),
        ] {
            assert_eq!(clean(input), cleaned, "{input:?}");
        }
    }

    #[test]
    fn long_paths_against_many_stars_stay_fast() {
        let pattern = Pattern::new(&"*a".repeat(30)).unwrap();
        assert!(!pattern.matches(&"a".repeat(29)));
        assert!(pattern.matches(&"a".repeat(300)));
    }
}
