//! Syntax highlighting for the editor: Dockerfiles (instructions, flags, strings, comments,
//! heredocs, variables), YAML/compose, .dockerignore, shell-ish and generic code, as HTML spans.
//!
//! Small hand-made line scanners, not full grammars: they colour what a learner reads, while the
//! engine's own parsers (see `editor_model`) say what is actually wrong. The HTML goes under a
//! transparent `<textarea>`, so it must hold exactly the text's characters, line for line.

/// How a file is coloured, chosen from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Dockerfile,
    Yaml,
    Dockerignore,
    /// Shell scripts, `.env` files, requirements lists: `#` comments, quotes, `$VARS`.
    Shell,
    Python,
    JavaScript,
    Go,
    Json,
    Plain,
}

impl Language {
    /// The language of the file at `path`, by its name as Docker's tools would guess it.
    pub fn of(path: &str) -> Language {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        let extension = lower.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
        if lower == "dockerfile" || lower.starts_with("dockerfile.") || extension == "dockerfile" || lower == "containerfile" {
            return Language::Dockerfile;
        }
        if lower == ".dockerignore" || lower.ends_with(".dockerignore") {
            return Language::Dockerignore;
        }
        match extension {
            "yaml" | "yml" => Language::Yaml,
            "sh" | "bash" | "env" | "txt" | "conf" | "ini" | "toml" | "cfg" => Language::Shell,
            "py" => Language::Python,
            "js" | "mjs" | "cjs" | "ts" => Language::JavaScript,
            "go" => Language::Go,
            "json" => Language::Json,
            _ if lower.starts_with(".env") || lower == "makefile" || lower == ".gitignore" => Language::Shell,
            _ => Language::Plain,
        }
    }

    /// A human name, for the editor's status line.
    pub fn label(self) -> &'static str {
        match self {
            Language::Dockerfile => "Dockerfile",
            Language::Yaml => "YAML",
            Language::Dockerignore => ".dockerignore",
            Language::Shell => "Shell",
            Language::Python => "Python",
            Language::JavaScript => "JavaScript",
            Language::Go => "Go",
            Language::Json => "JSON",
            Language::Plain => "Plain text",
        }
    }
}

/// What a piece of text is; each kind is one CSS class `tok-KIND`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Keyword,
    Flag,
    String,
    Comment,
    Variable,
    Number,
    Key,
    Punct,
    /// A here-document's body.
    Heredoc,
}

impl Kind {
    fn class(self) -> Option<&'static str> {
        Some(match self {
            Kind::Plain => return None,
            Kind::Keyword => "tok-keyword",
            Kind::Flag => "tok-flag",
            Kind::String => "tok-string",
            Kind::Comment => "tok-comment",
            Kind::Variable => "tok-variable",
            Kind::Number => "tok-number",
            Kind::Key => "tok-key",
            Kind::Punct => "tok-punct",
            Kind::Heredoc => "tok-heredoc",
        })
    }
}

/// A run of one line's text and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
}

/// The tokens of each line of `text` (split on `\n`, so a trailing newline gives a last empty line).
pub fn highlight(language: Language, text: &str) -> Vec<Vec<Token>> {
    let mut dockerfile = DockerfileState::default();
    let mut block = BlockState::default();
    text.split('\n')
        .map(|line| {
            let mut out = Tokens::default();
            match language {
                Language::Dockerfile => dockerfile.line(line, &mut out),
                Language::Yaml => yaml_line(line, &mut out),
                Language::Dockerignore => dockerignore_line(line, &mut out),
                Language::Shell => code_line(line, &SHELL, &mut block, &mut out),
                Language::Python => code_line(line, &PYTHON, &mut block, &mut out),
                Language::JavaScript => code_line(line, &JAVASCRIPT, &mut block, &mut out),
                Language::Go => code_line(line, &GO, &mut block, &mut out),
                Language::Json => code_line(line, &JSON, &mut block, &mut out),
                Language::Plain => out.push(Kind::Plain, line),
            }
            out.0
        })
        .collect()
}

/// Marks on the editor's lines: the 1-based line and what is wrong there.
pub type LineProblems<'a> = &'a [(usize, String)];

/// The highlighted text as HTML for a `<pre>`: every character of `text` in order, escaped, inside
/// `tok-*` spans. A line with a problem is wrapped in `line-problem` and followed by the message
/// (after the line's last character, so nothing shifts under the textarea's caret).
pub fn to_html(language: Language, text: &str, problems: LineProblems<'_>) -> String {
    let mut html = String::with_capacity(text.len() * 2);
    for (index, tokens) in highlight(language, text).iter().enumerate() {
        if index > 0 {
            html.push('\n');
        }
        let number = index + 1;
        let messages: Vec<&str> = problems.iter().filter(|(line, _)| *line == number).map(|(_, m)| m.as_str()).collect();
        if !messages.is_empty() {
            html.push_str("<span class=\"line-problem\">");
        }
        for token in tokens {
            match token.kind.class() {
                Some(class) => {
                    html.push_str("<span class=\"");
                    html.push_str(class);
                    html.push_str("\">");
                    escape_into(&mut html, &token.text);
                    html.push_str("</span>");
                }
                None => escape_into(&mut html, &token.text),
            }
        }
        if !messages.is_empty() {
            html.push_str("</span><span class=\"inline-problem\" aria-hidden=\"true\">  ");
            escape_into(&mut html, &messages.join("; "));
            html.push_str("</span>");
        }
    }
    html
}

/// Escapes text for HTML element content.
pub fn escape_into(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            _ => html.push(c),
        }
    }
}

/// Tokens of one line; adjacent runs of the same kind merge.
#[derive(Default)]
struct Tokens(Vec<Token>);

impl Tokens {
    fn push(&mut self, kind: Kind, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => self.0.push(Token { kind, text: text.to_string() }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

const INSTRUCTIONS: [&str; 18] = [
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
    "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
];

/// What carries over from one Dockerfile line to the next.
#[derive(Default)]
struct DockerfileState {
    /// The previous line ended with `\`: this one continues the instruction.
    continued: bool,
    /// Here-documents opened on the instruction line, bodies still to come: (delimiter, `<<-`).
    heredocs: Vec<(String, bool)>,
    /// The body being read now.
    in_heredoc: Option<(String, bool)>,
    /// The instruction is a FROM, where `AS` names the stage.
    from: bool,
}

impl DockerfileState {
    fn line(&mut self, line: &str, out: &mut Tokens) {
        if let Some((delimiter, strip_tabs)) = &self.in_heredoc {
            let candidate = if *strip_tabs { line.trim_start_matches('\t') } else { line };
            if candidate == delimiter {
                out.push(Kind::Keyword, line);
                self.in_heredoc = self.next_heredoc();
            } else {
                out.push(Kind::Heredoc, line);
            }
            return;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            out.push(Kind::Comment, line);
            return;
        }
        let indent = &line[..line.len() - trimmed.len()];
        out.push(Kind::Plain, indent);
        let mut rest = trimmed;
        if !self.continued {
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..word_end];
            if INSTRUCTIONS.iter().any(|i| i.eq_ignore_ascii_case(word)) {
                out.push(Kind::Keyword, word);
                self.from = word.eq_ignore_ascii_case("FROM");
                rest = &rest[word_end..];
            }
        }
        let (continues, found) = dockerfile_arguments(rest, self.from, out);
        self.heredocs.extend(found);
        self.continued = continues;
        if !continues && self.in_heredoc.is_none() {
            self.in_heredoc = self.next_heredoc();
        }
    }

    fn next_heredoc(&mut self) -> Option<(String, bool)> {
        (!self.heredocs.is_empty()).then(|| self.heredocs.remove(0))
    }
}

/// Colours an instruction's arguments; returns whether the line continues (`\` at the end) and
/// the here-documents it opens.
fn dockerfile_arguments(text: &str, from: bool, out: &mut Tokens) -> (bool, Vec<(String, bool)>) {
    let mut heredocs = Vec::new();
    let continues = text.trim_end().ends_with('\\');
    let body_end = if continues { text.trim_end().len() - 1 } else { text.len() };
    let body = &text[..body_end];
    let mut index = 0;
    let mut at_word_start = true;
    while index < body.len() {
        let rest = &body[index..];
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            let end = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
            out.push(Kind::Plain, &rest[..end]);
            index += end;
            at_word_start = true;
            continue;
        }
        if at_word_start && rest.starts_with("--") {
            let end = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
            out.push(Kind::Flag, &rest[..end]);
            index += end;
            at_word_start = false;
            continue;
        }
        if at_word_start && rest.starts_with("<<") {
            let strip_tabs = rest[2..].starts_with('-');
            let start = 2 + usize::from(strip_tabs);
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = rest[start..end].trim_matches(['"', '\'']);
            if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') {
                out.push(Kind::Keyword, &rest[..end]);
                heredocs.push((word.to_string(), strip_tabs));
                index += end;
                at_word_start = false;
                continue;
            }
        }
        if from && at_word_start && (rest.starts_with("AS ") || rest.starts_with("as ") || rest == "AS" || rest == "as") {
            out.push(Kind::Keyword, &rest[..2]);
            index += 2;
            continue;
        }
        at_word_start = false;
        match c {
            '"' | '\'' => {
                let end = quoted_end(rest, c);
                out.push(Kind::String, &rest[..end]);
                index += end;
            }
            '$' => {
                let end = variable_end(rest);
                out.push(if end > 1 { Kind::Variable } else { Kind::Plain }, &rest[..end]);
                index += end;
            }
            '[' | ']' | ',' | '=' => {
                out.push(Kind::Punct, &rest[..1]);
                index += 1;
            }
            _ => {
                let len = c.len_utf8();
                out.push(Kind::Plain, &rest[..len]);
                index += len;
            }
        }
    }
    if continues {
        out.push(Kind::Punct, &text[body_end..]);
    }
    (continues, heredocs)
}

/// Where a quoted string starting at `text[0]` ends (after its closing quote, or the line's end).
fn quoted_end(text: &str, quote: char) -> usize {
    let mut escaped = false;
    for (offset, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote != '\'' {
            escaped = true;
        } else if c == quote {
            return offset + c.len_utf8();
        }
    }
    text.len()
}

/// Where `$NAME`, `${…}` or `$1` starting at `text[0]` ends; 1 for a lone `$`.
fn variable_end(text: &str) -> usize {
    let after = &text[1..];
    if after.starts_with('{') {
        return after.find('}').map(|end| end + 2).unwrap_or(text.len());
    }
    let name = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
    1 + name
}

// ---------------------------------------------------------------------------------------------
// YAML

fn yaml_line(line: &str, out: &mut Tokens) {
    let trimmed = line.trim_start();
    out.push(Kind::Plain, &line[..line.len() - trimmed.len()]);
    if trimmed.starts_with('#') {
        out.push(Kind::Comment, trimmed);
        return;
    }
    if trimmed == "---" || trimmed == "..." {
        out.push(Kind::Punct, trimmed);
        return;
    }
    let mut rest = trimmed;
    while rest == "-" || rest.starts_with("- ") {
        out.push(Kind::Punct, "-");
        let after = &rest[1..];
        let spaces = after.len() - after.trim_start().len();
        out.push(Kind::Plain, &after[..spaces]);
        rest = &after[spaces..];
    }
    if let Some(colon) = yaml_key_end(rest) {
        out.push(Kind::Key, &rest[..colon]);
        out.push(Kind::Punct, ":");
        rest = &rest[colon + 1..];
    }
    yaml_value(rest, out);
}

/// The colon ending a `key:` at the start of `text` (outside quotes, followed by space or end).
fn yaml_key_end(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if matches!(first, '"' | '\'') {
        let end = quoted_end(text, first);
        return text[end..].starts_with(':').then_some(end).filter(|_| text[end + 1..].is_empty() || text[end + 1..].starts_with(' '));
    }
    if matches!(first, '{' | '[' | '&' | '*' | '!' | '|' | '>' | '#') {
        return None;
    }
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ')).filter(|&i| !text[..i].contains(" #"))
}

fn yaml_value(text: &str, out: &mut Tokens) {
    let mut index = 0;
    while index < text.len() {
        let rest = &text[index..];
        let c = rest.chars().next().unwrap_or(' ');
        let preceded_by_space = index == 0 || text[..index].ends_with([' ', '\t']);
        if c == '#' && preceded_by_space {
            out.push(Kind::Comment, rest);
            return;
        }
        let len = match c {
            '"' | '\'' => {
                let end = quoted_end(rest, c);
                out.push(Kind::String, &rest[..end]);
                end
            }
            '$' => {
                let end = variable_end(rest);
                out.push(if end > 1 { Kind::Variable } else { Kind::Plain }, &rest[..end]);
                end
            }
            '&' | '*' | '!' if preceded_by_space => {
                let end = rest.find([' ', ',', ']', '}']).unwrap_or(rest.len());
                out.push(if c == '!' { Kind::Flag } else { Kind::Variable }, &rest[..end]);
                end
            }
            '|' | '>' if preceded_by_space && rest.trim_end().len() <= 3 => {
                out.push(Kind::Punct, rest);
                rest.len()
            }
            '{' | '}' | '[' | ']' | ',' => {
                out.push(Kind::Punct, &rest[..1]);
                1
            }
            _ if c.is_whitespace() => {
                out.push(Kind::Plain, &rest[..c.len_utf8()]);
                c.len_utf8()
            }
            _ => {
                // A plain scalar word: literal when the whole word is a number, bool or null.
                let end = rest.find([' ', ',', ']', '}']).unwrap_or(rest.len()).max(c.len_utf8());
                let word = &rest[..end];
                let literal = preceded_by_space
                    && (word.parse::<f64>().is_ok() || matches!(word, "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off"));
                out.push(if literal { Kind::Number } else { Kind::Plain }, word);
                end
            }
        };
        index += len;
    }
}

// ---------------------------------------------------------------------------------------------
// .dockerignore

fn dockerignore_line(line: &str, out: &mut Tokens) {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        out.push(Kind::Comment, line);
        return;
    }
    out.push(Kind::Plain, &line[..line.len() - trimmed.len()]);
    let mut rest = trimmed;
    if let Some(after) = rest.strip_prefix('!') {
        out.push(Kind::Keyword, "!");
        rest = after;
    }
    for c in rest.chars() {
        let mut buffer = [0; 4];
        let text = c.encode_utf8(&mut buffer);
        out.push(if matches!(c, '*' | '?' | '[' | ']') { Kind::Variable } else { Kind::Plain }, text);
    }
}

// ---------------------------------------------------------------------------------------------
// Shell-ish and generic code

/// What a generic scanner needs to know about a language.
struct CodeSyntax {
    line_comment: &'static [&'static str],
    /// `/* … */` comments.
    block_comments: bool,
    quotes: &'static [char],
    dollar_variables: bool,
    dash_flags: bool,
    keywords: &'static [&'static str],
}

const SHELL: CodeSyntax = CodeSyntax {
    line_comment: &["#"],
    block_comments: false,
    quotes: &['"', '\''],
    dollar_variables: true,
    dash_flags: true,
    keywords: &[
        "if", "then", "else", "elif", "fi", "for", "while", "do", "done", "case", "esac", "in", "function", "export", "exec", "set", "echo",
        "return", "exit",
    ],
};
const PYTHON: CodeSyntax = CodeSyntax {
    line_comment: &["#"],
    block_comments: false,
    quotes: &['"', '\''],
    dollar_variables: false,
    dash_flags: false,
    keywords: &[
        "import", "from", "as", "def", "class", "return", "if", "elif", "else", "for", "while", "in", "not", "and", "or", "try", "except",
        "finally", "with", "None", "True", "False", "pass", "raise", "lambda", "yield", "async", "await", "global",
    ],
};
const JAVASCRIPT: CodeSyntax = CodeSyntax {
    line_comment: &["//"],
    block_comments: true,
    quotes: &['"', '\'', '`'],
    dollar_variables: false,
    dash_flags: false,
    keywords: &[
        "const", "let", "var", "function", "return", "if", "else", "for", "while", "require", "import", "export", "from", "new", "async",
        "await", "true", "false", "null", "undefined", "class", "this", "try", "catch",
    ],
};
const GO: CodeSyntax = CodeSyntax {
    line_comment: &["//"],
    block_comments: true,
    quotes: &['"', '`', '\''],
    dollar_variables: false,
    dash_flags: false,
    keywords: &[
        "package", "import", "func", "return", "if", "else", "for", "range", "var", "const", "type", "struct", "go", "defer", "nil", "true",
        "false", "err", "map", "chan", "select", "switch", "case",
    ],
};
const JSON: CodeSyntax = CodeSyntax {
    line_comment: &[],
    block_comments: false,
    quotes: &['"'],
    dollar_variables: false,
    dash_flags: false,
    keywords: &["true", "false", "null"],
};

/// A `/* … */` comment left open at the end of a line.
#[derive(Default)]
struct BlockState {
    in_comment: bool,
}

fn code_line(line: &str, syntax: &CodeSyntax, block: &mut BlockState, out: &mut Tokens) {
    let mut index = 0;
    while index < line.len() {
        let rest = &line[index..];
        if block.in_comment {
            match rest.find("*/") {
                Some(end) => {
                    out.push(Kind::Comment, &rest[..end + 2]);
                    index += end + 2;
                    block.in_comment = false;
                }
                None => {
                    out.push(Kind::Comment, rest);
                    return;
                }
            }
            continue;
        }
        let preceded_by_space = index == 0 || line[..index].ends_with([' ', '\t']);
        if syntax.line_comment.iter().any(|marker| rest.starts_with(marker)) && (preceded_by_space || !syntax.dollar_variables) {
            out.push(Kind::Comment, rest);
            return;
        }
        if syntax.block_comments && rest.starts_with("/*") {
            block.in_comment = true;
            out.push(Kind::Comment, "/*");
            index += 2;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        let len = if syntax.quotes.contains(&c) {
            let end = quoted_end(rest, c);
            // A JSON key is a string followed by a colon.
            let is_key = syntax.keywords == JSON.keywords && rest[end..].trim_start().starts_with(':');
            out.push(if is_key { Kind::Key } else { Kind::String }, &rest[..end]);
            end
        } else if c == '$' && syntax.dollar_variables {
            let end = variable_end(rest);
            out.push(if end > 1 { Kind::Variable } else { Kind::Plain }, &rest[..end]);
            end
        } else if c == '-' && syntax.dash_flags && preceded_by_space && rest.len() > 1 && !rest[1..].starts_with(' ') {
            let end = rest.find([' ', '=']).unwrap_or(rest.len());
            out.push(Kind::Flag, &rest[..end]);
            end
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(rest.len());
            let word = &rest[..end];
            let word_start = index == 0 || !line[..index].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
            let kind = if !word_start {
                Kind::Plain
            } else if syntax.keywords.contains(&word) {
                Kind::Keyword
            } else if word.chars().next().is_some_and(|c| c.is_ascii_digit()) && word.chars().all(|c| c.is_ascii_digit() || c == '.') {
                Kind::Number
            } else {
                Kind::Plain
            };
            out.push(kind, word);
            end
        } else {
            out.push(Kind::Plain, &rest[..c.len_utf8()]);
            c.len_utf8()
        };
        index += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of a one-line text as (kind, text) pairs.
    fn tokens(language: Language, text: &str) -> Vec<Vec<(Kind, String)>> {
        highlight(language, text).into_iter().map(|line| line.into_iter().map(|t| (t.kind, t.text)).collect()).collect()
    }

    fn kinds_of(language: Language, text: &str, kind: Kind) -> Vec<String> {
        highlight(language, text).into_iter().flatten().filter(|t| t.kind == kind).map(|t| t.text).collect()
    }

    #[test]
    fn languages_come_from_file_names() {
        assert_eq!(Language::of("/home/learner/app/Dockerfile"), Language::Dockerfile);
        assert_eq!(Language::of("Dockerfile.dev"), Language::Dockerfile);
        assert_eq!(Language::of("build.Dockerfile"), Language::Dockerfile);
        assert_eq!(Language::of("compose.yaml"), Language::Yaml);
        assert_eq!(Language::of(".dockerignore"), Language::Dockerignore);
        assert_eq!(Language::of("requirements.txt"), Language::Shell);
        assert_eq!(Language::of(".env"), Language::Shell);
        assert_eq!(Language::of("app.py"), Language::Python);
        assert_eq!(Language::of("server.js"), Language::JavaScript);
        assert_eq!(Language::of("main.go"), Language::Go);
        assert_eq!(Language::of("package.json"), Language::Json);
        assert_eq!(Language::of("README"), Language::Plain);
    }

    #[test]
    fn every_character_survives_highlighting() {
        let samples = [
            (Language::Dockerfile, "FROM python:3 AS base\nRUN --mount=type=cache,target=/root \\\n  pip install \"x\" $Y\nCOPY <<EOF /a\nhi <there>\nEOF\n# c"),
            (Language::Yaml, "services:\n  web: # c\n    image: \"nginx\"\n    ports: [\"80:80\", 8080]\n    x: &a *b !reset\n    l:\n      - 8080:80\n      -   - a\n      -\n"),
            (Language::Dockerignore, "# c\n!keep.txt\n**/*.pyc"),
            (Language::JavaScript, "const a = `x`; /* open\n still */ b // c"),
            (Language::Json, "{\"a\": [1, true]}"),
            (Language::Plain, "ünïcode & <tags>"),
        ];
        for (language, text) in samples {
            let joined: Vec<String> = highlight(language, text).iter().map(|line| line.iter().map(|t| t.text.as_str()).collect()).collect();
            assert_eq!(joined.join("\n"), text, "{language:?}");
        }
    }

    #[test]
    fn dockerfile_instructions_flags_strings_and_variables() {
        let text = "FROM node:20 AS build\nRUN --network=none echo \"hi $NAME\" ${HOME}/x";
        assert_eq!(kinds_of(Language::Dockerfile, text, Kind::Keyword), ["FROM", "AS", "RUN"]);
        assert_eq!(kinds_of(Language::Dockerfile, text, Kind::Flag), ["--network"]);
        assert_eq!(kinds_of(Language::Dockerfile, text, Kind::String), ["\"hi $NAME\""]);
        assert_eq!(kinds_of(Language::Dockerfile, text, Kind::Variable), ["${HOME}"]);
        assert_eq!(kinds_of(Language::Dockerfile, "RUN echo AS well", Kind::Keyword), ["RUN"], "AS is a keyword only in FROM");
    }

    #[test]
    fn dockerfile_continuations_are_not_instructions() {
        let text = "RUN apt-get update && \\\n    RUN_NOT_A_KEYWORD \\\n    # a comment inside\n    done";
        let lines = tokens(Language::Dockerfile, text);
        assert_eq!(lines[0][0], (Kind::Keyword, "RUN".to_string()));
        assert_eq!(lines[0].last().unwrap(), &(Kind::Punct, "\\".to_string()));
        assert!(lines[1].iter().all(|(kind, _)| *kind != Kind::Keyword));
        assert_eq!(lines[2], vec![(Kind::Comment, "    # a comment inside".to_string())]);
    }

    #[test]
    fn dockerfile_heredoc_bodies_until_their_delimiter() {
        let text = "RUN <<-EOT bash\n\techo FROM here\n\tEOT\nCOPY <<A <<\"B\" /x/\na\nA\nb\nB\nENV x=1";
        let lines = tokens(Language::Dockerfile, text);
        assert_eq!(lines[0][2], (Kind::Keyword, "<<-EOT".to_string()));
        assert_eq!(lines[1], vec![(Kind::Heredoc, "\techo FROM here".to_string())]);
        assert_eq!(lines[2], vec![(Kind::Keyword, "\tEOT".to_string())], "<<- strips tabs before the delimiter");
        assert_eq!(lines[4], vec![(Kind::Heredoc, "a".to_string())]);
        assert_eq!(lines[5], vec![(Kind::Keyword, "A".to_string())]);
        assert_eq!(lines[6], vec![(Kind::Heredoc, "b".to_string())], "the second heredoc follows the first");
        assert_eq!(lines[8][0], (Kind::Keyword, "ENV".to_string()), "back to instructions after the last body");
    }

    #[test]
    fn dockerfile_comments_whole_line() {
        assert_eq!(tokens(Language::Dockerfile, "# syntax=docker/dockerfile:1"), vec![vec![(Kind::Comment, "# syntax=docker/dockerfile:1".to_string())]]);
    }

    #[test]
    fn yaml_keys_values_comments_and_anchors() {
        let text = "services:\n  - web: # main\n    image: \"nginx:1\"\n    replicas: 2\n    env: &common ${TAG:-x}\n    url: http://a:b";
        assert_eq!(kinds_of(Language::Yaml, text, Kind::Key), ["services", "web", "image", "replicas", "env", "url"]);
        assert_eq!(kinds_of(Language::Yaml, text, Kind::Comment), ["# main"]);
        assert_eq!(kinds_of(Language::Yaml, text, Kind::String), ["\"nginx:1\""]);
        assert_eq!(kinds_of(Language::Yaml, text, Kind::Number), ["2"]);
        assert_eq!(kinds_of(Language::Yaml, text, Kind::Variable), ["&common", "${TAG:-x}"]);
        assert!(kinds_of(Language::Yaml, "a: x#y", Kind::Comment).is_empty(), "# inside a word is not a comment");
    }

    #[test]
    fn dockerignore_negation_and_globs() {
        let lines = tokens(Language::Dockerignore, "!src/*.py");
        assert_eq!(lines[0][0], (Kind::Keyword, "!".to_string()));
        assert_eq!(kinds_of(Language::Dockerignore, "**/x?", Kind::Variable), ["**", "?"]);
    }

    #[test]
    fn code_keywords_strings_comments() {
        let text = "import os  # note\nprint('x', 42)";
        assert_eq!(kinds_of(Language::Python, text, Kind::Keyword), ["import"]);
        assert_eq!(kinds_of(Language::Python, text, Kind::Comment), ["# note"]);
        assert_eq!(kinds_of(Language::Python, text, Kind::String), ["'x'"]);
        assert_eq!(kinds_of(Language::Python, text, Kind::Number), ["42"]);
        assert_eq!(kinds_of(Language::JavaScript, "a /* b\nc */ d", Kind::Comment), ["/* b", "c */"]);
        assert_eq!(kinds_of(Language::Json, "{\"port\": \"80\"}", Kind::Key), ["\"port\""]);
        assert_eq!(kinds_of(Language::Shell, "curl -fsS $URL # x", Kind::Flag), ["-fsS"]);
    }

    #[test]
    fn html_escapes_and_marks_problem_lines() {
        let html = to_html(Language::Dockerfile, "FROM a\nRUN <x> & y", &[(2, "bad <thing>".to_string())]);
        assert!(html.starts_with("<span class=\"tok-keyword\">FROM</span> a\n<span class=\"line-problem\">"), "{html}");
        assert!(html.contains("&lt;x&gt; &amp; y</span><span class=\"inline-problem\" aria-hidden=\"true\">  bad &lt;thing&gt;</span>"), "{html}");
    }
}
