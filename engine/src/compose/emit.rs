//! Writes a `Value` tree as YAML the way go-yaml marshals compose's canonical model: two-space
//! indents, sequences indented under their key, strings quoted only where YAML needs it.

use super::yaml::{scalar_type, Typed, Value};

pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    write_node(value, 0, &mut out);
    out
}

fn write_node(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Map(entries) => {
            for (key, item) in entries {
                out.push_str(&" ".repeat(indent));
                out.push_str(&scalar(key, false));
                out.push(':');
                write_child(item, indent, out);
            }
        }
        Value::Seq(items) => {
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push('-');
                match item {
                    Value::Map(entries) if !entries.is_empty() => {
                        // The first key shares the dash's line.
                        let mut first = String::new();
                        write_node(item, indent + 2, &mut first);
                        out.push(' ');
                        out.push_str(first.trim_start());
                    }
                    _ => write_child(item, indent, out),
                }
            }
        }
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn write_child(item: &Value, indent: usize, out: &mut String) {
    match item {
        // Multi-line strings as literal blocks, as go-yaml writes them.
        Value::Scalar { text, .. } if text.contains('\n') && !text.contains(|c: char| c.is_control() && c != '\n') && !text.lines().any(|l| l.ends_with(' ')) => {
            out.push_str(if text.ends_with('\n') { " |\n" } else { " |-\n" });
            for line in text.lines() {
                if !line.is_empty() {
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        Value::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            write_node(item, indent + 2, out);
        }
        Value::Seq(items) if !items.is_empty() => {
            out.push('\n');
            write_node(item, indent + 2, out);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null | Value::Reset => "null".into(),
        Value::Scalar { text, plain } => scalar(text, *plain),
        Value::Map(_) => "{}".into(),
        Value::Seq(_) => "[]".into(),
        Value::Override(inner) => inline(inner),
    }
}

/// A scalar as go-yaml writes it: plain unless a string would read back as something else.
fn scalar(text: &str, plain: bool) -> String {
    if plain && scalar_type(text, true) != Typed::Str {
        return text.to_string();
    }
    if needs_quotes(text) {
        return quote(text);
    }
    text.to_string()
}

fn needs_quotes(text: &str) -> bool {
    if text.is_empty() || scalar_type(text, true) != Typed::Str {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), "y" | "n" | "yes" | "no" | "on" | "off") {
        return true;
    }
    let first = text.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !(first == '-' && text.len() > 1 && !text[1..].starts_with(' ')) && first != '/' {
        return true;
    }
    text.starts_with(' ')
        || text.ends_with(' ')
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| c.is_control())
}

fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
