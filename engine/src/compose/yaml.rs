//! Compose files' YAML: yaml-rust2's event stream built into a `Value` tree with anchors,
//! aliases, merge keys (`<<`) and compose's `!reset`/`!override` tags, worded like compose-go.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML node. Scalars stay text (compose interpolates before it types them); `plain` says the
/// scalar was unquoted, so `8080`, `true` or `null` may be read as numbers, booleans or null.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Scalar { text: String, plain: bool },
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// `!reset`: removes the key from what this file is merged onto.
    Reset,
    /// `!override`: replaces, rather than merges with, what this file is merged onto.
    Override(Box<Value>),
}

impl Value {
    pub fn str(text: impl Into<String>) -> Value {
        Value::Scalar { text: text.into(), plain: false }
    }

    pub fn as_map(&self) -> Option<&Vec<(String, Value)>> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// A scalar's text (numbers and booleans as written).
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets `key` in a mapping (replacing, or appending at the end).
    pub fn set(&mut self, key: &str, value: Value) {
        if let Value::Map(entries) = self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => entries.push((key.to_string(), value)),
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        if let Value::Map(entries) = self {
            let index = entries.iter().position(|(k, _)| k == key)?;
            return Some(entries.remove(index).1);
        }
        None
    }

    /// JSON-schema's name for the node's type, as compose's validation messages use it.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null | Value::Reset => "null",
            Value::Scalar { text, plain } => match scalar_type(text, *plain) {
                Typed::Bool(_) => "boolean",
                Typed::Int(_) => "integer",
                Typed::Float(_) => "number",
                Typed::Null => "null",
                Typed::Str => "string",
            },
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
            Value::Override(inner) => inner.kind(),
        }
    }

    /// Drops `!reset` keys and unwraps `!override` (what one file means on its own).
    pub fn strip_tags(self) -> Value {
        match self {
            Value::Map(entries) => Value::Map(
                entries.into_iter().filter(|(_, v)| *v != Value::Reset).map(|(k, v)| (k, v.strip_tags())).collect(),
            ),
            Value::Seq(items) => Value::Seq(items.into_iter().filter(|v| *v != Value::Reset).map(Value::strip_tags).collect()),
            Value::Override(inner) => inner.strip_tags(),
            Value::Reset => Value::Null,
            other => other,
        }
    }
}

/// What a plain scalar means under YAML 1.2's core schema (go-yaml's reading).
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

pub fn scalar_type(text: &str, plain: bool) -> Typed {
    if !plain {
        return Typed::Str;
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Typed::Null,
        "true" | "True" | "TRUE" => return Typed::Bool(true),
        "false" | "False" | "FALSE" => return Typed::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse::<i64>() {
            return Typed::Int(n);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Typed::Int(n);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(n) = i64::from_str_radix(oct, 8) {
            return Typed::Int(n);
        }
    }
    let looks_float = digits.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit());
    if looks_float {
        if let Ok(f) = text.parse::<f64>() {
            return Typed::Float(f);
        }
    }
    if matches!(digits, ".inf" | ".Inf" | ".INF") {
        return Typed::Float(f64::INFINITY);
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Typed::Float(f64::NAN);
    }
    Typed::Str
}

/// A file that is not YAML compose can read, worded as compose-go words it (without the
/// `failed to parse FILE: ` prefix the loader adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError(pub String);

/// Parses the first document of `text`. An empty file is `Value::Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(error) = parser.load(&mut builder, false) {
        // The builder's own error (a cycle, a bad merge) came first if there is one.
        if let Some(own) = builder.error {
            return Err(own);
        }
        return Err(YamlError(format!("yaml: line {}: {}", error.marker().line(), go_yaml_problem(error.info()))));
    }
    if let Some(own) = builder.error {
        return Err(own);
    }
    Ok(builder.root.unwrap_or(Value::Null))
}

/// libyaml's problem text as go-yaml prints it: the problem alone, without the "while parsing …"
/// context yaml-rust2 puts in front; yaml-rust2's own wording for a tab mapped to libyaml's.
fn go_yaml_problem(info: &str) -> &str {
    if info.starts_with("tabs disallowed") {
        return "found character that cannot start any token";
    }
    match info.split_once(", ") {
        Some((context, problem)) if context.starts_with("while ") => problem,
        _ => info,
    }
}

enum Frame {
    Seq { items: Vec<Value>, anchor: usize, path: String, tag: Option<Tag> },
    Map {
        entries: Vec<(String, Value)>,
        merges: Vec<Value>,
        key: Option<(String, usize)>,
        lines: BTreeMap<String, usize>,
        anchor: usize,
        path: String,
        tag: Option<Tag>,
        /// A mapping used as a key (unsupported by compose): its whole subtree is skipped.
        is_key: bool,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    /// Finished anchored nodes.
    anchors: BTreeMap<usize, Value>,
    /// Anchors still being built → the path where they were defined.
    open: BTreeMap<usize, String>,
    error: Option<YamlError>,
    documents: usize,
    /// Nodes copied so far by aliases: a bound against alias bombs ("billion laughs").
    copied: usize,
}

/// How many alias-copied nodes a file may expand to (compose-go bounds its node visits too).
const MAX_COPIED_NODES: usize = 100_000;

fn node_count(value: &Value) -> usize {
    match value {
        Value::Seq(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        Value::Map(entries) => 1 + entries.iter().map(|(_, v)| node_count(v)).sum::<usize>(),
        Value::Override(inner) => 1 + node_count(inner),
        _ => 1,
    }
}

impl Builder {
    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(YamlError(message));
        }
    }

    /// The path of the node about to arrive (`services.web.ports.0`), with merge keys dropped
    /// the way compose-go's reset processor drops them.
    fn next_path(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame::Seq { items, path, .. }) => join(path, &items.len().to_string()),
            Some(Frame::Map { key: Some((key, _)), path, .. }) if key == "<<" => path.clone(),
            Some(Frame::Map { key: Some((key, _)), path, .. }) => join(path, key),
            Some(Frame::Map { path, .. }) => path.clone(),
        }
    }

    /// Whether the next scalar is a mapping key.
    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn push_value(&mut self, value: Value, line: usize) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { entries, merges, key, .. }) => match key.take() {
                Some((k, _)) if k == "<<" => merges.push(value),
                Some((k, _)) => entries.push((k, value)),
                None => {
                    let _ = line;
                }
            },
        }
    }

    fn finish(&mut self, frame: Frame) {
        match frame {
            Frame::Seq { items, anchor, tag, .. } => {
                let value = tagged(Value::Seq(items), tag.as_ref());
                self.close_anchor(anchor, &value);
                self.push_value(value, 0);
            }
            Frame::Map { mut entries, merges, anchor, tag, is_key, .. } => {
                if is_key {
                    self.fail("yaml: invalid map key: map[string]interface {}".into());
                    return;
                }
                for merge in merges {
                    let sources = match merge {
                        Value::Map(map) => vec![map],
                        Value::Seq(items) => {
                            let mut maps = Vec::new();
                            for item in items {
                                match item {
                                    Value::Map(map) => maps.push(map),
                                    _ => {
                                        self.fail("yaml: map merge requires map or sequence of maps as the value".into());
                                        return;
                                    }
                                }
                            }
                            maps
                        }
                        _ => {
                            self.fail("yaml: map merge requires map or sequence of maps as the value".into());
                            return;
                        }
                    };
                    for source in sources {
                        for (k, v) in source {
                            if !entries.iter().any(|(e, _)| *e == k) {
                                entries.push((k, v));
                            }
                        }
                    }
                }
                let value = tagged(Value::Map(entries), tag.as_ref());
                self.close_anchor(anchor, &value);
                self.push_value(value, 0);
            }
        }
    }

    fn close_anchor(&mut self, anchor: usize, value: &Value) {
        if anchor > 0 {
            self.open.remove(&anchor);
            self.anchors.insert(anchor, value.clone());
        }
    }

    fn open_anchor(&mut self, anchor: usize, path: &str) {
        if anchor > 0 {
            self.open.insert(anchor, path.to_string());
        }
    }
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_string()
    } else {
        format!("{path}.{segment}")
    }
}

fn tagged(value: Value, tag: Option<&Tag>) -> Value {
    match tag.map(|t| (t.handle.as_str(), t.suffix.as_str())) {
        Some(("!", "reset")) => Value::Reset,
        Some(("!", "override")) => Value::Override(Box::new(value)),
        _ => value,
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        // A mapping used as a key swallows everything until it closes.
        if let Some(Frame::Map { is_key: true, .. }) = self.stack.last() {
            match event {
                Event::MappingEnd => {
                    if let Some(frame) = self.stack.pop() {
                        self.finish(frame);
                    }
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    self.fail("yaml: invalid map key: map[string]interface {}".into());
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::DocumentStart => {
                self.documents += 1;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if self.documents > 1 {
                    return;
                }
                if self.expecting_key() {
                    let Some(Frame::Map { key, lines, .. }) = self.stack.last_mut() else { return };
                    if text != "<<" {
                        if let Some(first) = lines.get(&text) {
                            let message = format!("line {line}: mapping key \"{text}\" already defined at line {first}");
                            self.fail(message);
                            return;
                        }
                        lines.insert(text.clone(), line);
                    }
                    *key = Some((text, line));
                    return;
                }
                let plain = style == TScalarStyle::Plain;
                let value = match (plain, text.as_str(), tag.as_ref()) {
                    (_, _, Some(t)) if t.handle == "!" && (t.suffix == "reset" || t.suffix == "override") => {
                        tagged(Value::Scalar { text, plain }, tag.as_ref())
                    }
                    (true, "" | "~" | "null" | "Null" | "NULL", _) => Value::Null,
                    _ => Value::Scalar { text, plain },
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, value.clone());
                }
                self.push_value(value, line);
            }
            Event::SequenceStart(anchor, tag) => {
                if self.documents > 1 {
                    return;
                }
                if self.expecting_key() {
                    self.fail("yaml: invalid map key: []interface {}".into());
                    return;
                }
                let path = self.next_path();
                self.open_anchor(anchor, &path);
                self.stack.push(Frame::Seq { items: Vec::new(), anchor, path, tag });
            }
            Event::MappingStart(anchor, tag) => {
                if self.documents > 1 {
                    return;
                }
                let is_key = self.expecting_key();
                let path = self.next_path();
                self.open_anchor(anchor, &path);
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    merges: Vec::new(),
                    key: None,
                    lines: BTreeMap::new(),
                    anchor,
                    path,
                    tag,
                    is_key,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if self.documents > 1 {
                    return;
                }
                if let Some(frame) = self.stack.pop() {
                    self.finish(frame);
                }
            }
            Event::Alias(anchor) => {
                if self.documents > 1 {
                    return;
                }
                if self.expecting_key() {
                    // An aliased key: use the anchored scalar's text.
                    let text = self.anchors.get(&anchor).and_then(|v| v.as_text()).unwrap_or_default().to_string();
                    if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                        *key = Some((text, line));
                    }
                    return;
                }
                let path = self.next_path();
                if let Some(defined) = self.open.get(&anchor).cloned() {
                    // The anchor's own subtree refers back to it: compose-go reports the path it
                    // reaches by following the alias once more.
                    let relative = path.strip_prefix(&format!("{defined}.")).unwrap_or(&path).to_string();
                    let deeper = join(&path, &relative);
                    self.fail(format!("cycle detected: node at path {deeper} references node at path {path}"));
                    return;
                }
                let size = self.anchors.get(&anchor).map_or(1, node_count);
                self.copied += size;
                if self.copied > MAX_COPIED_NODES {
                    self.fail(format!("compose file exceeds maximum node visit limit ({MAX_COPIED_NODES})"));
                    return;
                }
                let value = self.anchors.get(&anchor).cloned().unwrap_or(Value::Null);
                self.push_value(value, line);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_give_way_to_explicit_keys() {
        let doc = parse("x: &b\n  image: nginx\n  restart: always\ns:\n  <<: *b\n  restart: 'no'\n").unwrap();
        let s = doc.get("s").unwrap();
        assert_eq!(s.get("image").and_then(Value::as_text), Some("nginx"));
        assert_eq!(s.get("restart").and_then(Value::as_text), Some("no"));
    }

    #[test]
    fn syntax_errors_use_go_yaml_wording() {
        let error = parse("services:\n  web:\n    image: a: b\n").unwrap_err();
        assert_eq!(error.0, "yaml: line 3: mapping values are not allowed in this context");
    }

    #[test]
    fn scanner_problems_drop_their_context_like_go_yaml() {
        assert_eq!(parse("services:\n  web:\n\timage: x\n").unwrap_err().0, "yaml: line 3: found character that cannot start any token");
        assert_eq!(parse("a:\n  b: 1\n c: 2\n").unwrap_err().0, "yaml: line 3: did not find expected key");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let error = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(error.0, "line 3: mapping key \"a\" already defined at line 1");
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        assert!(parse(&text).unwrap_err().0.contains("maximum node visit limit"));
    }

    #[test]
    fn tags_mark_reset_and_override() {
        let doc = parse("a: !reset null\nb: !override [1]\n").unwrap();
        assert_eq!(doc.get("a"), Some(&Value::Reset));
        assert!(matches!(doc.get("b"), Some(Value::Override(_))));
    }
}
