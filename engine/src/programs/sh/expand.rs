//! Word expansion: quotes and backslashes, `~`, `$VAR`/`${VAR…}` (defaults, lengths, prefix and
//! suffix removal), `$(…)` and backquotes, `$((…))`, field splitting and pathname globbing.

use super::interp::{Ctl, Shell};
use super::parse;
use super::Flavour;
use crate::programs::Io;

/// One character of an expanded word and what may still happen to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub c: char,
    /// Quoted or escaped: never a glob character, never split.
    pub quoted: bool,
    /// Came from an unquoted expansion: split on IFS whitespace.
    pub split: bool,
    /// A field boundary inside `"$@"`.
    pub boundary: bool,
}

impl Piece {
    fn lit(c: char, quoted: bool) -> Piece {
        Piece { c, quoted, split: false, boundary: false }
    }
}

#[derive(Debug, Clone, Copy)]
struct Ctx {
    in_dq: bool,
    heredoc: bool,
}

fn at(chars: &[char], i: usize) -> Option<char> {
    chars.get(i).copied()
}

/// Index of the character closing the construct that opens at `start` (`$(`, `${`, `"`, `` ` ``).
fn closing(chars: &[char], start: usize, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while let Some(c) = at(chars, i) {
        match c {
            '\\' => i += 1,
            '\'' if open == '(' => {
                i += 1;
                while at(chars, i).is_some_and(|c| c != '\'') {
                    i += 1;
                }
            }
            '"' if open != '"' => {
                i = closing(chars, i + 1, '"', '"')?;
            }
            _ if c == close && (open != close || i > start) => {
                if open == close || depth <= 1 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ if c == open => depth += 1,
            _ => {}
        }
        i += 1;
    }
    None
}

impl Shell<'_, '_> {
    /// Expands a word into fields: splitting and globbing apply.
    pub fn expand_fields(&mut self, raw: &str, io: &mut Io) -> Result<Vec<String>, Ctl> {
        if raw == "\"$@\"" {
            return Ok(self.positional.clone());
        }
        let mut pieces = Vec::new();
        let mut saw_quotes = false;
        let chars: Vec<char> = raw.chars().collect();
        self.scan(&chars, Ctx { in_dq: false, heredoc: false }, io, &mut pieces, &mut saw_quotes)?;
        let ifs = self.vars.get("IFS").cloned().unwrap_or_else(|| " \t\n".into());
        let mut fields: Vec<Vec<Piece>> = Vec::new();
        let mut current: Vec<Piece> = Vec::new();
        let mut current_started = saw_quotes;
        for piece in pieces {
            if piece.boundary {
                fields.push(std::mem::take(&mut current));
                current_started = true;
            } else if piece.split && ifs.contains(piece.c) {
                if !current.is_empty() || (current_started && !fields.is_empty()) {
                    fields.push(std::mem::take(&mut current));
                }
                current_started = false;
            } else {
                current.push(piece);
                current_started = true;
            }
        }
        if !current.is_empty() || current_started {
            fields.push(current);
        }
        let mut out = Vec::new();
        for field in fields {
            let globbable = !self.opts.noglob && field.iter().any(|p| !p.quoted && matches!(p.c, '*' | '?' | '['));
            if globbable {
                let matches = self.glob(&field);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(field.iter().map(|p| p.c).collect());
        }
        Ok(out)
    }

    /// Expands a word into one string (assignments, redirection targets, `case` words).
    pub fn expand_single(&mut self, raw: &str, io: &mut Io) -> Result<String, Ctl> {
        let mut pieces = Vec::new();
        let mut saw_quotes = false;
        let chars: Vec<char> = raw.chars().collect();
        self.scan(&chars, Ctx { in_dq: false, heredoc: false }, io, &mut pieces, &mut saw_quotes)?;
        Ok(pieces.iter().filter(|p| !p.boundary).map(|p| p.c).collect())
    }

    /// Expands a pattern word (`case` arms, `${x#pat}`), keeping which characters were quoted.
    pub fn expand_pattern(&mut self, raw: &str, io: &mut Io) -> Result<Vec<Piece>, Ctl> {
        let mut pieces = Vec::new();
        let mut saw_quotes = false;
        let chars: Vec<char> = raw.chars().collect();
        self.scan(&chars, Ctx { in_dq: false, heredoc: false }, io, &mut pieces, &mut saw_quotes)?;
        Ok(pieces.into_iter().filter(|p| !p.boundary).collect())
    }

    /// An unquoted here-document body: `$…` and backquotes expand; quotes stay as they are.
    pub fn expand_heredoc(&mut self, body: &str, io: &mut Io) -> Result<String, Ctl> {
        let mut pieces = Vec::new();
        let mut saw_quotes = false;
        let chars: Vec<char> = body.chars().collect();
        self.scan(&chars, Ctx { in_dq: true, heredoc: true }, io, &mut pieces, &mut saw_quotes)?;
        Ok(pieces.iter().filter(|p| !p.boundary).map(|p| p.c).collect())
    }

    fn scan(&mut self, chars: &[char], ctx: Ctx, io: &mut Io, out: &mut Vec<Piece>, saw_quotes: &mut bool) -> Result<(), Ctl> {
        let mut i = 0;
        while let Some(c) = at(chars, i) {
            match c {
                '\'' if !ctx.in_dq => {
                    *saw_quotes = true;
                    i += 1;
                    while let Some(c) = at(chars, i) {
                        if c == '\'' {
                            break;
                        }
                        out.push(Piece::lit(c, true));
                        i += 1;
                    }
                    i += 1;
                }
                '"' if !ctx.in_dq => {
                    *saw_quotes = true;
                    let end = closing(chars, i + 1, '"', '"').unwrap_or(chars.len());
                    let inner = chars.get(i + 1..end).unwrap_or_default();
                    self.scan(inner, Ctx { in_dq: true, heredoc: false }, io, out, saw_quotes)?;
                    i = end + 1;
                }
                '\\' => {
                    let next = at(chars, i + 1);
                    match next {
                        None => {
                            out.push(Piece::lit('\\', true));
                            i += 1;
                        }
                        Some(n) if !ctx.in_dq || matches!(n, '$' | '`' | '\\' | '\n') || (n == '"' && !ctx.heredoc) => {
                            if n != '\n' {
                                out.push(Piece::lit(n, true));
                            }
                            i += 2;
                        }
                        Some(_) => {
                            out.push(Piece::lit('\\', true));
                            i += 1;
                        }
                    }
                }
                '`' => {
                    let mut end = i + 1;
                    while let Some(c) = at(chars, end) {
                        if c == '\\' {
                            end += 1;
                        } else if c == '`' {
                            break;
                        }
                        end += 1;
                    }
                    let inner: String = chars.get(i + 1..end.min(chars.len())).unwrap_or_default().iter().collect();
                    let inner = inner.replace("\\`", "`").replace("\\$", "$").replace("\\\\", "\\");
                    let value = self.command_substitution(&inner, io)?;
                    self.push_value(&value, ctx, out);
                    i = end + 1;
                }
                '$' => {
                    i = self.dollar(chars, i, ctx, io, out)?;
                }
                '~' if i == 0 && !ctx.in_dq => {
                    let mut end = 1;
                    while at(chars, end).is_some_and(|c| c != '/') {
                        end += 1;
                    }
                    let user: String = chars.get(1..end).unwrap_or_default().iter().collect();
                    let home = if user.is_empty() {
                        Some(self.vars.get("HOME").cloned().unwrap_or_else(|| self.sys.home()))
                    } else {
                        let passwd = self.sys.read("/etc/passwd").unwrap_or_default();
                        crate::programs::users::parse_passwd(&passwd).into_iter().find(|e| e.name == user).map(|e| e.home)
                    };
                    match home {
                        Some(home) => {
                            out.extend(home.chars().map(|c| Piece::lit(c, true)));
                            i = end;
                        }
                        None => {
                            out.push(Piece::lit('~', false));
                            i += 1;
                        }
                    }
                }
                _ => {
                    out.push(Piece::lit(c, ctx.in_dq));
                    i += 1;
                }
            }
        }
        Ok(())
    }

    fn push_value(&self, value: &str, ctx: Ctx, out: &mut Vec<Piece>) {
        for c in value.chars() {
            out.push(Piece { c, quoted: ctx.in_dq, split: !ctx.in_dq, boundary: false });
        }
    }

    /// Expands the `$…` at `start`; returns the index after it.
    fn dollar(&mut self, chars: &[char], start: usize, ctx: Ctx, io: &mut Io, out: &mut Vec<Piece>) -> Result<usize, Ctl> {
        let next = at(chars, start + 1);
        match next {
            Some('(') if at(chars, start + 2) == Some('(') => {
                let end = closing(chars, start + 1, '(', ')').unwrap_or(chars.len());
                let inner: String = chars.get(start + 3..end.saturating_sub(1).max(start + 3)).unwrap_or_default().iter().collect();
                let expanded = self.expand_single(&inner.replace('"', ""), io)?;
                match arithmetic(&expanded, self) {
                    Ok(value) => self.push_value(&value.to_string(), ctx, out),
                    Err(message) => {
                        io.err_line(&self.message(&format!("arithmetic expression: {message}: \"{expanded}\"")));
                        return Err(Ctl::Exit(2));
                    }
                }
                Ok(end + 1)
            }
            Some('(') => {
                let end = closing(chars, start + 1, '(', ')').unwrap_or(chars.len());
                let inner: String = chars.get(start + 2..end).unwrap_or_default().iter().collect();
                let value = self.command_substitution(&inner, io)?;
                self.push_value(&value, ctx, out);
                Ok(end + 1)
            }
            Some('{') => {
                let end = closing(chars, start + 1, '{', '}').unwrap_or(chars.len());
                let inner: String = chars.get(start + 2..end).unwrap_or_default().iter().collect();
                self.braced(&inner, ctx, io, out)?;
                Ok(end + 1)
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = start + 1;
                while at(chars, end).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    end += 1;
                }
                let name: String = chars.get(start + 1..end).unwrap_or_default().iter().collect();
                let value = self.lookup_checked(&name, io)?;
                self.push_value(&value, ctx, out);
                Ok(end)
            }
            Some(c) if c.is_ascii_digit() || matches!(c, '?' | '$' | '#' | '*' | '@' | '!' | '-') => {
                let name = c.to_string();
                if c == '@' && ctx.in_dq {
                    for (index, param) in self.positional.clone().iter().enumerate() {
                        if index > 0 {
                            out.push(Piece { c: ' ', quoted: true, split: false, boundary: true });
                        }
                        self.push_value(param, ctx, out);
                    }
                } else {
                    let value = self.lookup_checked(&name, io)?;
                    self.push_value(&value, ctx, out);
                }
                Ok(start + 2)
            }
            _ => {
                out.push(Piece::lit('$', ctx.in_dq));
                Ok(start + 1)
            }
        }
    }

    /// `${…}`: the forms POSIX sh has.
    fn braced(&mut self, inner: &str, ctx: Ctx, io: &mut Io, out: &mut Vec<Piece>) -> Result<(), Ctl> {
        if let Some(name) = inner.strip_prefix('#') {
            if !name.is_empty() && (parse::is_name(name) || name.chars().all(|c| c.is_ascii_digit()) || name.len() == 1) {
                let value = self.lookup_checked(name, io)?;
                self.push_value(&value.chars().count().to_string(), ctx, out);
                return Ok(());
            }
        }
        let chars: Vec<char> = inner.chars().collect();
        let mut end = 0;
        if at(&chars, 0).is_some_and(|c| c.is_ascii_alphabetic() || c == '_') {
            while at(&chars, end).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                end += 1;
            }
        } else if at(&chars, 0).is_some_and(|c| c.is_ascii_digit()) {
            while at(&chars, end).is_some_and(|c| c.is_ascii_digit()) {
                end += 1;
            }
        } else if at(&chars, 0).is_some_and(|c| matches!(c, '?' | '$' | '#' | '*' | '@' | '!' | '-')) {
            end = 1;
        }
        let name: String = chars.get(..end).unwrap_or_default().iter().collect();
        let rest: String = chars.get(end..).unwrap_or_default().iter().collect();
        if name.is_empty() {
            io.err_line(&self.message(&format!("${{{inner}}}: bad substitution")));
            return Err(Ctl::Exit(2));
        }
        let value = self.lookup(&name);
        let ops = [":-", ":=", ":?", ":+", "##", "%%", "-", "=", "?", "+", "#", "%"];
        let Some(op) = ops.iter().find(|op| rest.starts_with(**op)) else {
            if !rest.is_empty() {
                io.err_line(&self.message(&format!("${{{inner}}}: bad substitution")));
                return Err(Ctl::Exit(2));
            }
            let value = self.lookup_checked(&name, io)?;
            self.push_value(&value, ctx, out);
            return Ok(());
        };
        let word = rest.get(op.len()..).unwrap_or_default().to_string();
        let colon = op.starts_with(':');
        let unset_or_null = match &value {
            None => true,
            Some(v) => colon && v.is_empty(),
        };
        let result = match op.trim_start_matches(':') {
            "-" => {
                if unset_or_null {
                    self.expand_inner(&word, ctx, io)?
                } else {
                    value.unwrap_or_default()
                }
            }
            "=" => {
                if unset_or_null {
                    let v = self.expand_inner(&word, ctx, io)?;
                    self.assign(&name, &v);
                    v
                } else {
                    value.unwrap_or_default()
                }
            }
            "?" => {
                if unset_or_null {
                    let message = self.expand_inner(&word, ctx, io)?;
                    let message = if message.is_empty() { "parameter null or not set".to_string() } else { message };
                    io.err_line(&self.message(&format!("{name}: {message}")));
                    return Err(Ctl::Exit(2));
                }
                value.unwrap_or_default()
            }
            "+" => {
                if unset_or_null {
                    String::new()
                } else {
                    self.expand_inner(&word, ctx, io)?
                }
            }
            trim => {
                let value = match value {
                    Some(v) => v,
                    None => self.lookup_checked(&name, io)?,
                };
                let pattern = self.expand_pattern(&word, io)?;
                remove_pattern(&value, &pattern, trim)
            }
        };
        self.push_value(&result, ctx, out);
        Ok(())
    }

    fn expand_inner(&mut self, word: &str, ctx: Ctx, io: &mut Io) -> Result<String, Ctl> {
        let mut pieces = Vec::new();
        let mut saw = false;
        let chars: Vec<char> = word.chars().collect();
        self.scan(&chars, Ctx { in_dq: ctx.in_dq, heredoc: false }, io, &mut pieces, &mut saw)?;
        Ok(pieces.iter().map(|p| p.c).collect())
    }

    /// A variable or special parameter's value, if set.
    pub fn lookup(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some("1".into()),
            "!" => Some(String::new()),
            "#" => Some(self.positional.len().to_string()),
            "@" | "*" => Some(self.positional.join(" ")),
            "0" => Some(self.name.clone()),
            "-" => {
                let mut flags = String::new();
                for (on, c) in [(self.opts.errexit, 'e'), (self.opts.nounset, 'u'), (self.opts.xtrace, 'x'), (self.opts.noglob, 'f')] {
                    if on {
                        flags.push(c);
                    }
                }
                Some(flags)
            }
            "RANDOM" if self.flavour == Flavour::Bash => Some("17714".into()),
            _ if name.chars().all(|c| c.is_ascii_digit()) => {
                let index: usize = name.parse().unwrap_or(0);
                index.checked_sub(1).and_then(|i| self.positional.get(i)).cloned()
            }
            _ => self.vars.get(name).cloned(),
        }
    }

    /// [`Shell::lookup`] with `set -u`: an unset name stops the shell.
    fn lookup_checked(&mut self, name: &str, io: &mut Io) -> Result<String, Ctl> {
        match self.lookup(name) {
            Some(value) => Ok(value),
            None if self.opts.nounset && name != "@" && name != "*" => {
                let text = match self.flavour {
                    Flavour::Bash => format!("{name}: unbound variable"),
                    _ => format!("{name}: parameter not set"),
                };
                io.err_line(&self.message(&text));
                Err(Ctl::Exit(if self.flavour == Flavour::Bash { 1 } else { 2 }))
            }
            None => Ok(String::new()),
        }
    }

    /// `$(…)`: runs in a subshell, its stdout (trailing newlines dropped) is the value.
    pub fn command_substitution(&mut self, text: &str, io: &mut Io) -> Result<String, Ctl> {
        self.step(io)?;
        if self.depth > 50 {
            io.err_line(&self.message("command substitution nested too deeply"));
            return Err(Ctl::Exit(2));
        }
        let list = match parse::parse(text) {
            Ok(list) => list,
            Err(error) => {
                let message = self.syntax_error(&error);
                io.err_line(&message);
                return Err(Ctl::Exit(2));
            }
        };
        let mut inner = Io::default();
        self.depth += 1;
        let status = self.subshell(|shell| shell.list(&list, &mut inner));
        self.depth -= 1;
        crate::programs::sys::push_capped(&mut io.err, &inner.err);
        self.subst_status = Some(status);
        self.status = status;
        Ok(inner.out.trim_end_matches('\n').to_string())
    }

    /// Pathname expansion of one field against the tree; sorted, empty when nothing matches.
    fn glob(&self, field: &[Piece]) -> Vec<String> {
        let absolute = field.first().is_some_and(|p| p.c == '/');
        let mut components: Vec<Vec<Piece>> = vec![Vec::new()];
        for piece in field {
            if piece.c == '/' {
                components.push(Vec::new());
            } else if let Some(last) = components.last_mut() {
                last.push(*piece);
            }
        }
        let components: Vec<Vec<Piece>> = components.into_iter().filter(|c| !c.is_empty()).collect();
        // (text shown, real directory path)
        let base = if absolute { "/".to_string() } else { self.sys.cwd.clone() };
        let mut paths: Vec<(String, String)> = vec![(if absolute { "/".into() } else { String::new() }, base)];
        for component in &components {
            let special = component.iter().any(|p| !p.quoted && matches!(p.c, '*' | '?' | '['));
            let mut next = Vec::new();
            for (shown, real) in &paths {
                let join = |prefix: &str, name: &str| {
                    if prefix.is_empty() {
                        name.to_string()
                    } else if prefix.ends_with('/') {
                        format!("{prefix}{name}")
                    } else {
                        format!("{prefix}/{name}")
                    }
                };
                if special {
                    let dir = self.sys.real_path(real);
                    let hidden_ok = component.first().is_some_and(|p| p.c == '.');
                    for (name, _) in self.sys.fs.children(&dir) {
                        if name.starts_with('.') && !hidden_ok {
                            continue;
                        }
                        if pattern_match(component, name) {
                            next.push((join(shown, name), join(real, name)));
                        }
                    }
                } else {
                    let name: String = component.iter().map(|p| p.c).collect();
                    let real_next = join(real, &name);
                    if self.sys.fs.exists(&real_next) || self.sys.fs.exists(&self.sys.real_path(&real_next)) {
                        next.push((join(shown, &name), real_next));
                    }
                }
                if next.len() > 10_000 {
                    break;
                }
            }
            paths = next;
        }
        let mut found: Vec<String> = paths.into_iter().map(|(shown, _)| shown).filter(|s| !s.is_empty()).collect();
        found.sort();
        found
    }
}

/// Whether `text` matches a glob pattern (`*`, `?`, `[…]`; quoted characters are literal).
pub fn pattern_match(pattern: &[Piece], text: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    let mut guard = 0u64;
    while t < text.len() {
        guard += 1;
        if guard > 1_000_000 {
            return false;
        }
        let current = pattern.get(p);
        let tc = text.get(t).copied().unwrap_or_default();
        match current {
            Some(piece) if !piece.quoted && piece.c == '*' => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(piece) if !piece.quoted && piece.c == '?' => {
                p += 1;
                t += 1;
                continue;
            }
            Some(piece) if !piece.quoted && piece.c == '[' => {
                if let Some((matched, next)) = bracket(pattern, p, tc) {
                    if matched {
                        p = next;
                        t += 1;
                        continue;
                    }
                } else if tc == '[' {
                    p += 1;
                    t += 1;
                    continue;
                }
            }
            Some(piece) if piece.c == tc => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    pattern.get(p..).unwrap_or_default().iter().all(|piece| !piece.quoted && piece.c == '*')
}

/// A `[…]` class at `start`: whether `c` matches and where the pattern continues.
fn bracket(pattern: &[Piece], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = pattern.get(i).is_some_and(|p| p.c == '!' || p.c == '^');
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let piece = pattern.get(i)?;
        if piece.c == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if pattern.get(i + 1).is_some_and(|p| p.c == '-') && pattern.get(i + 2).is_some_and(|p| p.c != ']') {
            let high = pattern.get(i + 2)?.c;
            if piece.c <= c && c <= high {
                matched = true;
            }
            i += 3;
        } else {
            if piece.c == c {
                matched = true;
            }
            i += 1;
        }
    }
}

/// `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`.
fn remove_pattern(value: &str, pattern: &[Piece], op: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let slice = |a: usize, b: usize| -> String { chars.get(a..b).unwrap_or_default().iter().collect() };
    match op {
        "#" => (0..=n).find(|&i| pattern_match(pattern, &slice(0, i))).map(|i| slice(i, n)),
        "##" => (0..=n).rev().find(|&i| pattern_match(pattern, &slice(0, i))).map(|i| slice(i, n)),
        "%" => (0..=n).rev().find(|&i| pattern_match(pattern, &slice(i, n))).map(|i| slice(0, i)),
        "%%" => (0..=n).find(|&i| pattern_match(pattern, &slice(i, n))).map(|i| slice(0, i)),
        _ => None,
    }
    .unwrap_or_else(|| value.to_string())
}

/// `$((…))`: integer arithmetic with variables, `+ - * / %`, comparisons, `&& ||`, parentheses.
fn arithmetic(text: &str, shell: &Shell) -> Result<i64, String> {
    let tokens = arith_tokens(text)?;
    let mut parser = Arith { tokens, pos: 0, shell, depth: 0 };
    let value = parser.binary(0)?;
    if parser.pos < parser.tokens.len() {
        return Err("syntax error".into());
    }
    Ok(value)
}

fn arith_tokens(text: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(c) = at(&chars, i) {
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let mut end = i;
            while at(&chars, end).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                end += 1;
            }
            tokens.push(chars.get(i..end).unwrap_or_default().iter().collect());
            i = end;
        } else {
            let two: String = chars.get(i..(i + 2).min(chars.len())).unwrap_or_default().iter().collect();
            if ["<=", ">=", "==", "!=", "&&", "||", "<<", ">>"].contains(&two.as_str()) {
                tokens.push(two);
                i += 2;
            } else if "+-*/%()<>!".contains(c) {
                tokens.push(c.to_string());
                i += 1;
            } else {
                return Err("syntax error".into());
            }
        }
    }
    Ok(tokens)
}

struct Arith<'a, 'b, 'c> {
    tokens: Vec<String>,
    pos: usize,
    shell: &'a Shell<'b, 'c>,
    depth: u32,
}

impl Arith<'_, '_, '_> {
    fn precedence(op: &str) -> Option<u8> {
        Some(match op {
            "||" => 1,
            "&&" => 2,
            "==" | "!=" => 3,
            "<" | ">" | "<=" | ">=" => 4,
            "<<" | ">>" => 5,
            "+" | "-" => 6,
            "*" | "/" | "%" => 7,
            _ => return None,
        })
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut left = self.unary()?;
        loop {
            let Some(op) = self.tokens.get(self.pos).cloned() else { break };
            let Some(prec) = Self::precedence(&op) else { break };
            if prec <= min {
                break;
            }
            self.pos += 1;
            let right = self.binary(prec)?;
            left = match op.as_str() {
                "+" => left.wrapping_add(right),
                "-" => left.wrapping_sub(right),
                "*" => left.wrapping_mul(right),
                "/" | "%" if right == 0 => return Err("division by zero".into()),
                "/" => left.wrapping_div(right),
                "%" => left.wrapping_rem(right),
                "<<" => left.wrapping_shl(right as u32),
                ">>" => left.wrapping_shr(right as u32),
                "<" => i64::from(left < right),
                ">" => i64::from(left > right),
                "<=" => i64::from(left <= right),
                ">=" => i64::from(left >= right),
                "==" => i64::from(left == right),
                "!=" => i64::from(left != right),
                "&&" => i64::from(left != 0 && right != 0),
                "||" => i64::from(left != 0 || right != 0),
                _ => left,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression too deep".into());
        }
        let token = self.tokens.get(self.pos).cloned().ok_or_else(|| "syntax error".to_string())?;
        self.pos += 1;
        match token.as_str() {
            "-" => Ok(self.unary()?.wrapping_neg()),
            "+" => self.unary(),
            "!" => Ok(i64::from(self.unary()? == 0)),
            "(" => {
                let value = self.binary(0)?;
                if self.tokens.get(self.pos).map(String::as_str) != Some(")") {
                    return Err("missing ')'".into());
                }
                self.pos += 1;
                Ok(value)
            }
            t if t.chars().all(|c| c.is_ascii_digit()) => t.parse().map_err(|_| "number too large".to_string()),
            t if parse::is_name(t) => {
                let value = self.shell.lookup(t).unwrap_or_default();
                Ok(value.trim().parse().unwrap_or(0))
            }
            _ => Err("syntax error".into()),
        }
    }
}
