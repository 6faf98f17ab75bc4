//! Compose's variable interpolation (compose-go `template`): `$VAR`, `${VAR}`, `${VAR:-d}`,
//! `${VAR-d}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+r}`, `${VAR+r}`, nested defaults and `$$`.

use std::collections::BTreeMap;

use super::yaml::Value;

/// Why a template could not be substituted, worded as compose-go words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    Invalid(String),
    Required { variable: String, reason: String },
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Go's `%#v` of a string: double-quoted with escapes.
            TemplateError::Invalid(template) => write!(f, "Invalid template: {}", go_quote(template)),
            TemplateError::Required { variable, reason } if reason.is_empty() => {
                write!(f, "required variable {variable} is missing a value")
            }
            TemplateError::Required { variable, reason } => {
                write!(f, "required variable {variable} is missing a value: {reason}")
            }
        }
    }
}

pub fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The variables a template reads from, and the unset ones it fell back on (compose warns:
/// `The "X" variable is not set. Defaulting to a blank string.`).
pub struct Substitution<'a> {
    pub env: &'a BTreeMap<String, String>,
    pub unset: Vec<String>,
}

impl<'a> Substitution<'a> {
    pub fn new(env: &'a BTreeMap<String, String>) -> Self {
        Substitution { env, unset: Vec::new() }
    }

    /// Substitutes one string.
    pub fn substitute(&mut self, template: &str) -> Result<String, TemplateError> {
        let bytes = template.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'$' {
                let next = template[i..].find('$').map_or(template.len(), |n| i + n);
                out.push_str(&template[i..next]);
                i = next;
                continue;
            }
            match bytes.get(i + 1) {
                Some(b'$') => {
                    out.push('$');
                    i += 2;
                }
                Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                    let end = name_end(bytes, i + 1);
                    let name = &template[i + 1..end];
                    out.push_str(&self.lookup(name));
                    i = end;
                }
                Some(b'{') => {
                    let Some(close) = closing_brace(bytes, i) else {
                        return Err(TemplateError::Invalid(template.to_string()));
                    };
                    let content = &template[i + 2..close];
                    out.push_str(&self.braced(content, template)?);
                    i = close + 1;
                }
                _ => {
                    out.push('$');
                    i += 1;
                }
            }
        }
        Ok(out)
    }

    fn lookup(&mut self, name: &str) -> String {
        match self.env.get(name) {
            Some(value) => value.clone(),
            None => {
                if !self.unset.iter().any(|n| n == name) {
                    self.unset.push(name.to_string());
                }
                String::new()
            }
        }
    }

    /// `NAME`, or `NAME` followed by an operator and its word.
    fn braced(&mut self, content: &str, template: &str) -> Result<String, TemplateError> {
        let bytes = content.as_bytes();
        let invalid = || TemplateError::Invalid(template.to_string());
        if !bytes.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
            return Err(invalid());
        }
        let end = name_end(bytes, 0);
        let name = &content[..end];
        let rest = &content[end..];
        if rest.is_empty() {
            return Ok(self.lookup(name));
        }
        let (colon, op_rest) = match rest.strip_prefix(':') {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let Some(op) = op_rest.chars().next().filter(|c| matches!(c, '-' | '+' | '?')) else {
            return Err(invalid());
        };
        let word = &op_rest[1..];
        let value = self.env.get(name).cloned();
        let empty_counts = colon;
        let present = match &value {
            Some(v) => !(empty_counts && v.is_empty()),
            None => false,
        };
        match op {
            '-' if present => Ok(value.unwrap_or_default()),
            '-' => self.substitute(word),
            '+' if present => self.substitute(word),
            '+' => Ok(value.unwrap_or_default()),
            _ if present => Ok(value.unwrap_or_default()),
            _ => Err(TemplateError::Required { variable: name.to_string(), reason: self.substitute(word)? }),
        }
    }

    /// Substitutes every scalar of a tree (mapping keys stay as written).
    pub fn value(&mut self, value: &mut Value) -> Result<(), TemplateError> {
        match value {
            Value::Scalar { text, .. } => {
                if text.contains('$') {
                    *text = self.substitute(text)?;
                }
            }
            Value::Seq(items) => {
                for item in items {
                    self.value(item)?;
                }
            }
            Value::Map(entries) => {
                for (_, item) in entries {
                    self.value(item)?;
                }
            }
            Value::Override(inner) => self.value(inner)?,
            Value::Null | Value::Reset => {}
        }
        Ok(())
    }
}

fn name_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
        end += 1;
    }
    end
}

/// compose-go's `getFirstBraceClosingIndex` from the `$` of `${`: the `}` that balances it.
fn closing_brace(bytes: &[u8], start: usize) -> Option<usize> {
    let mut open = 0;
    let mut i = start;
    while i < bytes.len() {
        if bytes[i] == b'}' {
            open -= 1;
            if open == 0 {
                return Some(i);
            }
        }
        if bytes[i] == b'{' {
            open += 1;
            i += 1;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_defaults_and_escapes() {
        let env = BTreeMap::from([("FOO".to_string(), "first".to_string())]);
        let mut s = Substitution::new(&env);
        assert_eq!(s.substitute("ok ${UNSET-${FOO} ${FOO}} $$x").unwrap(), "ok first first $x");
        assert_eq!(s.substitute("${ foo}").unwrap_err().to_string(), "Invalid template: \"${ foo}\"");
    }
}
