//! `.env` and `env_file` files as compose-go's `dotenv` reads them: `KEY=value`, `KEY: value`,
//! `export`, quotes and escapes, inline comments, `${VAR}` expansion, and bare `KEY` inheriting.

use std::collections::BTreeMap;

use super::interpolate::Substitution;

/// Parses `src`; `lookup` answers bare `KEY` lines and variables not yet defined in the file.
pub fn parse(src: &str, lookup: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut out = BTreeMap::new();
    let mut line = 1usize;
    let mut rest = src;
    loop {
        rest = statement_start(rest, &mut line);
        if rest.is_empty() {
            break;
        }
        let (key, left, inherited) = key_name(rest, &mut line)?;
        if key.contains(' ') {
            return Err(format!("line {line}: key cannot contain a space"));
        }
        if inherited {
            if let Some(value) = lookup.get(&key) {
                out.insert(key, value.clone());
            }
            rest = left;
            continue;
        }
        let (value, left) = value_of(left, &mut line, &out, lookup)?;
        out.insert(key, value);
        rest = left;
    }
    Ok(out)
}

fn is_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
}

/// Skips blank space and `#` comment lines.
fn statement_start<'a>(mut src: &'a str, line: &mut usize) -> &'a str {
    loop {
        let Some(pos) = src.find(|c: char| {
            if c == '\n' {
                *line += 1;
            }
            !c.is_whitespace()
        }) else {
            return "";
        };
        src = &src[pos..];
        if !src.starts_with('#') {
            return src;
        }
        match src.find('\n') {
            Some(pos) => src = &src[pos..],
            None => return "",
        }
    }
}

fn key_name<'a>(src: &'a str, line: &mut usize) -> Result<(String, &'a str, bool), String> {
    let mut src = src;
    if let Some(after) = src.strip_prefix("export") {
        if after.starts_with(|c: char| c.is_whitespace()) {
            src = after.trim_start_matches(is_space);
        }
    }
    let mut key = "";
    let mut offset = 0;
    let mut inherited = false;
    for (i, c) in src.char_indices() {
        if is_space(c) {
            continue;
        }
        match c {
            '=' | ':' | '\n' => {
                key = &src[..i];
                offset = i + 1;
                inherited = c == '\n';
                break;
            }
            '_' | '.' | '-' | '[' | ']' => {}
            c if c.is_alphabetic() || c.is_numeric() => {}
            c => {
                let first = src.split('\n').next().unwrap_or_default();
                return Err(format!("line {line}: unexpected character \"{c}\" in variable name \"{first}\""));
            }
        }
    }
    if src.is_empty() {
        return Err("zero length string".into());
    }
    if inherited && !key.contains(' ') {
        *line += 1;
    }
    let key = key.trim_end().to_string();
    let rest = src[offset..].trim_start_matches(is_space);
    Ok((key, rest, inherited))
}

fn value_of<'a>(
    src: &'a str,
    line: &mut usize,
    defined: &BTreeMap<String, String>,
    lookup: &BTreeMap<String, String>,
) -> Result<(String, &'a str), String> {
    let quote = match src.as_bytes().first() {
        Some(q @ (b'"' | b'\'')) => *q,
        _ => {
            let (value, rest) = src.split_once('\n').unwrap_or((src, ""));
            *line += 1;
            let value = value.split_once(" #").map_or(value, |(v, _)| v).trim_end();
            return Ok((expand(value, defined, lookup)?, rest));
        }
    };
    let bytes = src.as_bytes();
    let mut chars: Vec<u8> = Vec::new();
    let mut escaped = false;
    for i in 1..bytes.len() {
        let c = bytes[i];
        if c == b'\n' {
            *line += 1;
        }
        if c != quote {
            if !escaped && c == b'\\' {
                escaped = true;
                continue;
            }
            if escaped {
                escaped = false;
                chars.push(b'\\');
            }
            chars.push(c);
            continue;
        }
        if escaped {
            escaped = false;
            chars.push(c);
            continue;
        }
        let value = String::from_utf8_lossy(&chars).into_owned();
        let value = if quote == b'"' { expand(&expand_escapes(&value), defined, lookup)? } else { value };
        return Ok((value, &src[i + 1..]));
    }
    let end = src.find('\n').unwrap_or(src.len());
    Err(format!("line {line}: unterminated quoted value {}", &src[..end]))
}

/// The shell escapes compose-go expands in double quotes: `\a \b \f \n \r \t \v \" \\`, `\$`
/// (kept literal) and `\0NNN` octal.
fn expand_escapes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' || i + 1 >= chars.len() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let next = chars[i + 1];
        let simple = match next {
            'a' => Some("\u{7}"),
            'b' => Some("\u{8}"),
            'f' => Some("\u{c}"),
            'n' => Some("\n"),
            'r' => Some("\r"),
            't' => Some("\t"),
            'v' => Some("\u{b}"),
            '"' => Some("\""),
            '\\' => Some("\\"),
            '$' => Some("$$"),
            _ => None,
        };
        if let Some(s) = simple {
            out.push_str(s);
            i += 2;
            continue;
        }
        if next == '0' {
            let digits: String = chars[i + 2..].iter().take(3).take_while(|c| c.is_ascii_digit()).collect();
            let matched = 2 + digits.len();
            match (digits.len() == 3).then(|| u32::from_str_radix(&digits, 8).ok()).flatten().filter(|v| *v < 256) {
                Some(v) => out.push(char::from_u32(v).unwrap_or('?')),
                None => out.extend(&chars[i..i + matched]),
            }
            i += matched;
            continue;
        }
        out.push('\\');
        i += 1;
    }
    out
}

fn expand(value: &str, defined: &BTreeMap<String, String>, lookup: &BTreeMap<String, String>) -> Result<String, String> {
    let mut env = defined.clone();
    env.extend(lookup.iter().map(|(k, v)| (k.clone(), v.clone())));
    Substitution::new(&env).substitute(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_comments_and_expansion() {
        let env = BTreeMap::new();
        let parsed = parse("A=1 # c\nexport B=\"x\\ny\"\nC='$A'\nD=${A}2\n", &env).unwrap();
        assert_eq!(parsed["A"], "1");
        assert_eq!(parsed["B"], "x\ny");
        assert_eq!(parsed["C"], "$A");
        assert_eq!(parsed["D"], "12");
        assert!(parse("K=\"v", &env).unwrap_err().contains("unterminated quoted value"));
    }
}
