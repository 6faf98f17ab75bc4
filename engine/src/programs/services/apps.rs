//! Reading a learner's app source for what the running app does: call arguments, string
//! literals, route bodies, the leak rule. Shared by the Python, Node and Go programs.

use super::MIB;
use crate::programs::{HttpRoute, HttpService, MemoryCurve};

/// Memory growth of a leaking app when the source names no rate.
pub(crate) const LEAK_PER_MINUTE: u64 = 50 * MIB;

/// Most routes one app declares that the simulator keeps.
const MAX_ROUTES: usize = 64;

/// How fast the app's memory grows, in bytes per minute, if it leaks: the marker comment
/// `whalebox: leaks [N MB/min]`, or (Python) a module-level list/dict written into from an
/// indented line.
pub(crate) fn leak_rate(source: &str, python: bool) -> Option<u64> {
    if let Some(index) = source.find("whalebox: leaks") {
        let rest = source.get(index + "whalebox: leaks".len()..).unwrap_or_default();
        let line = rest.lines().next().unwrap_or_default().trim();
        let number: String = line.chars().take_while(|c| c.is_ascii_digit()).collect();
        let rate = number.parse::<u64>().ok().filter(|n| *n > 0 && *n < 1_000_000).map(|n| n * MIB);
        return Some(rate.unwrap_or(LEAK_PER_MINUTE));
    }
    if !python {
        return None;
    }
    let mut globals: Vec<String> = Vec::new();
    for line in source.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else { continue };
        let name = name.trim();
        let value = value.split('#').next().unwrap_or_default().trim();
        let empty = matches!(value, "[]" | "{}" | "list()" | "dict()" | "set()") || value.starts_with("defaultdict(");
        if empty && !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            globals.push(name.to_string());
        }
    }
    let writes = source.lines().filter(|line| line.starts_with([' ', '\t'])).any(|line| {
        let line = line.trim();
        globals.iter().any(|g| {
            line.starts_with(&format!("{g}.append(")) || line.starts_with(&format!("{g}.extend(")) || line.starts_with(&format!("{g}.add(")) || line.starts_with(&format!("{g}["))
                && line.contains("] =")
        })
    });
    writes.then_some(LEAK_PER_MINUTE)
}

/// `base` bytes at start, growing by `leak` per minute without bound when there is one.
pub(crate) fn memory(base: u64, leak: Option<u64>) -> MemoryCurve {
    match leak {
        Some(rate) => MemoryCurve { start: base, growth_per_minute: rate, ceiling: None },
        None => MemoryCurve::flat(base),
    }
}

pub(crate) fn http(server: &str, routes: Vec<HttpRoute>) -> HttpService {
    HttpService { server: server.to_string(), routes, docroot: None }
}

pub(crate) fn route(path: &str, body: &str) -> HttpRoute {
    HttpRoute { path: path.to_string(), status: 200, body: body.to_string() }
}

/// Adds `route` unless its path is already served.
pub(crate) fn add_route(routes: &mut Vec<HttpRoute>, route: HttpRoute) {
    if routes.len() < MAX_ROUTES && !routes.iter().any(|r| r.path == route.path) {
        routes.push(route);
    }
}

/// The address a server binds for a host argument: `localhost` is the loopback address.
pub(crate) fn bind_address(host: &str) -> String {
    match host.trim() {
        "localhost" | "127.0.0.1" => "127.0.0.1".into(),
        "" | "*" => "0.0.0.0".into(),
        "::" | "[::]" => "::".into(),
        other => other.trim_matches(['[', ']']).to_string(),
    }
}

/// The arguments of the call whose `(` ends `before`: `text` starts just after the `(`. Splits
/// on top-level commas, respecting quotes and brackets. `None` when the call is not closed.
pub(crate) fn call_args(text: &str) -> Option<Vec<String>> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0u32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if let Some(q) = quote {
            current.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => {
                quote = Some(c);
                current.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' => {
                if depth == 0 {
                    let last = current.trim().to_string();
                    if !last.is_empty() || !args.is_empty() {
                        args.push(last);
                    }
                    return Some(args);
                }
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => args.push(std::mem::take(&mut current).trim().to_string()),
            _ => current.push(c),
        }
    }
    None
}

/// The text of a string literal that makes up all of `text` (`'a'`, `"a"`, `` `a` ``, Python's
/// `f"…"`/`r"…"` prefixes dropped); `None` for anything else.
pub(crate) fn string_literal(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.strip_prefix(['f', 'r', 'b']).filter(|t| t.starts_with(['"', '\''])).unwrap_or(text);
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    if inner.contains(quote) && !inner.contains('\\') {
        return None;
    }
    Some(inner.replace("\\n", "\n").replace("\\'", "'").replace("\\\"", "\""))
}

/// A Python or JavaScript object literal (`{"status": 'ok', "n": 1, "up": True}`) as compact
/// JSON (`{"status":"ok","n":1,"up":true}`); `None` when it is not a plain literal.
pub(crate) fn json_literal(text: &str) -> Option<String> {
    let text = text.trim();
    if !(text.starts_with('{') && text.ends_with('}') || text.starts_with('[') && text.ends_with(']')) {
        return None;
    }
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| -> Option<()> {
        if word.is_empty() {
            return Some(());
        }
        let converted = match word.as_str() {
            "True" | "true" => "true".to_string(),
            "False" | "false" => "false".to_string(),
            "None" | "null" => "null".to_string(),
            w if w.parse::<f64>().is_ok() => w.to_string(),
            // A bare key in a JavaScript object (`{ status: 'ok' }`).
            w if w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => format!("\"{w}\""),
            _ => return None,
        };
        out.push_str(&converted);
        word.clear();
        Some(())
    };
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                flush(&mut word, &mut out)?;
                out.push('"');
                let mut closed = false;
                while let Some(inner) = chars.next() {
                    if inner == '\\' {
                        out.push('\\');
                        if let Some(next) = chars.next() {
                            out.push(next);
                        }
                        continue;
                    }
                    if inner == c {
                        closed = true;
                        break;
                    }
                    if inner == '"' {
                        out.push('\\');
                    }
                    out.push(inner);
                }
                if !closed {
                    return None;
                }
                out.push('"');
            }
            '{' | '}' | '[' | ']' | ':' | ',' => {
                flush(&mut word, &mut out)?;
                out.push(c);
            }
            c if c.is_whitespace() => flush(&mut word, &mut out)?,
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out)?;
    Some(out.replace(",}", "}").replace(",]", "]"))
}

/// A handler's response text from its first return/send expression: a string literal as is, an
/// object literal as JSON; `OK` for anything computed.
pub(crate) fn body_from(expression: &str) -> String {
    let expression = expression.trim().trim_end_matches(';').trim();
    if let Some(text) = string_literal(expression) {
        return text;
    }
    if let Some(json) = json_literal(expression) {
        return json;
    }
    // `jsonify({...})`, `JSONResponse({...})`, `res.json({...})`, `dict(...)`.
    if let Some(open) = expression.find('(') {
        if let Some(args) = expression.get(open + 1..).and_then(call_args) {
            if let Some(first) = args.first() {
                if let Some(json) = json_literal(first) {
                    return json;
                }
                if let Some(text) = string_literal(first) {
                    return text;
                }
            }
        }
    }
    "OK".to_string()
}

/// Percent-encodes text for a blob label word (spaces, `%`, `,`, `=` and non-ASCII).
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_./:~!*()'[]{}\"@#$&+;?".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub(crate) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes.get(i).copied().unwrap_or_default();
        if byte == b'%' {
            let hex = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(value) = hex {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(byte);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
