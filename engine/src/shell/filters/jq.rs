//! The part of `jq` the guides use: `.`, `.a.b`, `.["a"]`, `.[0]`, `.[]`, `|`, `,`, `keys`,
//! `length`, `select(…)`, `map(…)`, `has(…)`, `type`, comparisons and `and`/`or`/`not`, with
//! `-r`, `-c` and jq 1.7's pretty printing (two-space indent, keys in input order, no colour).
//! Written by hand: serde_json (already a dependency) parses and prints; a jq crate (jaq-core)
//! would add a full language and its parser to the wasm module for a dozen filters.

use serde_json::Value;

use super::Files;
use crate::outcome::Outcome;

#[derive(Debug, Clone)]
enum Filter {
    Identity,
    /// `.a`, `.["a"]`; `optional` is `.a?`.
    Field(String, bool),
    Index(i64),
    Iterate(bool),
    Literal(Value),
    Pipe(Box<Filter>, Box<Filter>),
    Comma(Box<Filter>, Box<Filter>),
    Compare(Box<Filter>, String, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Call(String, Vec<Filter>),
    Array(Option<Box<Filter>>),
}

pub fn run(args: &[String], stdin: &str, files: &Files) -> Outcome {
    let (mut raw, mut compact) = (false, false);
    let mut filter_text: Option<String> = None;
    let mut operands = Vec::new();
    for arg in args {
        match arg.as_str() {
            "-r" | "--raw-output" => raw = true,
            "-c" | "--compact-output" => compact = true,
            "-M" | "-C" | "--monochrome-output" | "--color-output" | "-S" => {}
            flag if flag.starts_with('-') && flag.len() > 1 && !flag[1..].starts_with(|c: char| c.is_ascii_digit()) => {
                let mut outcome = Outcome::default();
                outcome.err(format!("jq: Unknown option: {flag}"));
                outcome.err("Use jq --help for help with command-line options,");
                outcome.err("or see the jq manpage, or online docs  at https://jqlang.github.io/jq");
                return outcome.fail(2);
            }
            _ if filter_text.is_none() => filter_text = Some(arg.clone()),
            _ => operands.push(arg.clone()),
        }
    }
    let filter_text = filter_text.unwrap_or_else(|| ".".into());
    let parsed = if super::too_deep(&filter_text) { Err("syntax error, nested too deeply".to_string()) } else { Parser::new(&filter_text).parse() };
    let filter = match parsed {
        Ok(filter) => filter,
        Err(message) => {
            let mut outcome = Outcome::default();
            outcome.err(format!("jq: error: {message} (Unix shell quoting issues?) at <top-level>, line 1:"));
            outcome.err(filter_text.clone());
            outcome.err("jq: 1 compile error");
            return outcome.fail(3);
        }
    };
    let mut outcome = Outcome::default();
    let mut texts = Vec::new();
    if operands.is_empty() {
        texts.push(("<stdin>".to_string(), stdin.to_string()));
    }
    for operand in &operands {
        match files(operand) {
            Ok(text) => texts.push((operand.clone(), text)),
            Err(reason) => {
                outcome.err(format!("jq: error: Could not open {operand}: {reason}"));
                outcome.exit_code = 2;
            }
        }
    }
    for (name, text) in texts {
        let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
        loop {
            let value = match stream.next() {
                None => break,
                Some(Ok(value)) => value,
                Some(Err(error)) => {
                    outcome.err(parse_error(&error, &text));
                    // jq 1.7 leaves a parse error with JQ_ERROR_UNKNOWN.
                    return outcome.fail(5);
                }
            };
            match eval(&filter, &value) {
                Ok(results) => {
                    for result in results {
                        match (&result, raw) {
                            (Value::String(text), true) => outcome.out_block(if text.is_empty() { "\n" } else { text }),
                            _ if compact => outcome.out(serde_json::to_string(&result).unwrap_or_default()),
                            _ => outcome.out_block(&serde_json::to_string_pretty(&result).unwrap_or_default()),
                        }
                    }
                }
                Err(message) => {
                    outcome.err(format!("jq: error (at {name}:{}): {message}", text.lines().count()));
                    outcome.exit_code = 5;
                }
            }
        }
    }
    outcome
}

/// jq's words for input that is not JSON (serde_json finds the same faults).
fn parse_error(error: &serde_json::Error, text: &str) -> String {
    if error.is_eof() {
        return format!("jq: parse error: Unfinished JSON term at EOF at line {}, column 0", text.lines().count() + 1);
    }
    // jq reads a bare word to its end before judging it, so it points just past the line.
    format!("jq: parse error: Invalid numeric literal at line {}, column 0", error.line() + 1)
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// How jq names a value in an error: its type and a short JSON rendering.
fn describe(value: &Value) -> String {
    let mut text = serde_json::to_string(value).unwrap_or_default();
    if text.len() > 11 {
        text.truncate(10);
        text.push_str("...");
    }
    format!("{} ({text})", type_name(value))
}

fn truthy(value: &Value) -> bool {
    !matches!(value, Value::Null | Value::Bool(false))
}

fn eval(filter: &Filter, input: &Value) -> Result<Vec<Value>, String> {
    Ok(match filter {
        Filter::Identity => vec![input.clone()],
        Filter::Literal(value) => vec![value.clone()],
        Filter::Field(name, optional) => match input {
            Value::Object(map) => vec![map.get(name).cloned().unwrap_or(Value::Null)],
            Value::Null => vec![Value::Null],
            _ if *optional => vec![],
            other => return Err(format!("Cannot index {} with \"{name}\"", type_name(other))),
        },
        Filter::Index(index) => match input {
            Value::Array(items) => {
                let position = if *index < 0 { items.len() as i64 + index } else { *index };
                vec![usize::try_from(position).ok().and_then(|p| items.get(p)).cloned().unwrap_or(Value::Null)]
            }
            Value::Null => vec![Value::Null],
            other => return Err(format!("Cannot index {} with number", type_name(other))),
        },
        Filter::Iterate(optional) => match input {
            Value::Array(items) => items.clone(),
            Value::Object(map) => map.values().cloned().collect(),
            _ if *optional => vec![],
            other => return Err(format!("Cannot iterate over {}", describe(other))),
        },
        Filter::Pipe(left, right) => {
            let mut results = Vec::new();
            for value in eval(left, input)? {
                results.extend(eval(right, &value)?);
            }
            results
        }
        Filter::Comma(left, right) => {
            let mut results = eval(left, input)?;
            results.extend(eval(right, input)?);
            results
        }
        Filter::Compare(left, op, right) => {
            let mut results = Vec::new();
            for b in eval(right, input)? {
                for a in eval(left, input)? {
                    let ordering = compare(&a, &b);
                    use std::cmp::Ordering::*;
                    let yes = match op.as_str() {
                        "==" => ordering == Equal,
                        "!=" => ordering != Equal,
                        "<" => ordering == Less,
                        "<=" => ordering != Greater,
                        ">" => ordering == Greater,
                        _ => ordering != Less,
                    };
                    results.push(Value::Bool(yes));
                }
            }
            results
        }
        Filter::And(left, right) | Filter::Or(left, right) => {
            let is_and = matches!(filter, Filter::And(..));
            let mut results = Vec::new();
            for a in eval(left, input)? {
                if truthy(&a) != is_and {
                    results.push(Value::Bool(!is_and));
                    continue;
                }
                for b in eval(right, input)? {
                    results.push(Value::Bool(truthy(&b)));
                }
            }
            results
        }
        Filter::Array(inner) => vec![Value::Array(match inner {
            Some(inner) => eval(inner, input)?,
            None => Vec::new(),
        })],
        Filter::Call(name, args) => call(name, args, input)?,
    })
}

/// jq's order: null < false < true < numbers < strings < arrays < objects.
fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    let rank = |v: &Value| match v {
        Value::Null => 0,
        Value::Bool(false) => 1,
        Value::Bool(true) => 2,
        Value::Number(_) => 3,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    };
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(std::cmp::Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y) {
                let ordering = compare(p, q);
                if ordering != std::cmp::Ordering::Equal {
                    return ordering;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut kx: Vec<&String> = x.keys().collect();
            let mut ky: Vec<&String> = y.keys().collect();
            kx.sort();
            ky.sort();
            kx.cmp(&ky).then_with(|| {
                kx.iter().map(|k| compare(&x[*k], &y[*k])).find(|o| *o != std::cmp::Ordering::Equal).unwrap_or(std::cmp::Ordering::Equal)
            })
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

fn call(name: &str, args: &[Filter], input: &Value) -> Result<Vec<Value>, String> {
    Ok(match (name, args) {
        ("empty", []) => vec![],
        ("not", []) => vec![Value::Bool(!truthy(input))],
        ("type", []) => vec![Value::String(type_name(input).into())],
        ("length", []) => vec![match input {
            Value::Null => Value::from(0),
            Value::Bool(_) => return Err(format!("{} has no length", describe(input))),
            Value::Number(n) => Value::from(n.as_f64().unwrap_or(0.0).abs()),
            Value::String(s) => Value::from(s.chars().count()),
            Value::Array(items) => Value::from(items.len()),
            Value::Object(map) => Value::from(map.len()),
        }],
        ("keys", []) => match input {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                vec![Value::Array(keys.into_iter().map(|k| Value::String(k.clone())).collect())]
            }
            Value::Array(items) => vec![Value::Array((0..items.len()).map(Value::from).collect())],
            other => return Err(format!("{} has no keys", describe(other))),
        },
        ("select", [condition]) => {
            let mut results = Vec::new();
            for value in eval(condition, input)? {
                if truthy(&value) {
                    results.push(input.clone());
                }
            }
            results
        }
        ("map", [f]) => {
            let mut results = Vec::new();
            for item in eval(&Filter::Iterate(false), input)? {
                results.extend(eval(f, &item)?);
            }
            vec![Value::Array(results)]
        }
        ("has", [key]) => {
            let mut results = Vec::new();
            for key in eval(key, input)? {
                results.push(Value::Bool(match (input, &key) {
                    (Value::Object(map), Value::String(k)) => map.contains_key(k),
                    (Value::Array(items), Value::Number(n)) => n.as_u64().is_some_and(|n| (n as usize) < items.len()),
                    _ => return Err(format!("Cannot check whether {} has a {} key", type_name(input), type_name(&key))),
                }));
            }
            results
        }
        ("to_entries", []) => match input {
            Value::Object(map) => vec![Value::Array(
                map.iter().map(|(k, v)| serde_json::json!({"key": k, "value": v})).collect(),
            )],
            other => return Err(format!("{} has no keys", describe(other))),
        },
        ("first", []) => eval(&Filter::Index(0), input)?,
        ("last", []) => eval(&Filter::Index(-1), input)?,
        ("tostring", []) => vec![Value::String(match input {
            Value::String(s) => s.clone(),
            other => serde_json::to_string(other).unwrap_or_default(),
        })],
        _ => return Err(format!("{name}/{} is not defined", args.len())),
    })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn new(text: &str) -> Parser {
        Parser { chars: text.chars().collect(), pos: 0 }
    }

    fn parse(&mut self) -> Result<Filter, String> {
        let filter = self.pipe()?;
        self.space();
        if self.pos < self.chars.len() {
            return Err(format!("syntax error, unexpected INVALID_CHARACTER ({})", self.chars[self.pos]));
        }
        Ok(filter)
    }

    fn space(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, text: &str) -> bool {
        self.space();
        let rest: String = self.chars[self.pos..].iter().take(text.len()).collect();
        if rest == text {
            self.pos += text.chars().count();
            true
        } else {
            false
        }
    }

    fn pipe(&mut self) -> Result<Filter, String> {
        let left = self.comma()?;
        if self.eat("|") {
            return Ok(Filter::Pipe(Box::new(left), Box::new(self.pipe()?)));
        }
        Ok(left)
    }

    fn comma(&mut self) -> Result<Filter, String> {
        let mut left = self.or()?;
        while self.eat(",") {
            left = Filter::Comma(Box::new(left), Box::new(self.or()?));
        }
        Ok(left)
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.eat("or ") {
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.comparison()?;
        while self.eat("and ") {
            left = Filter::And(Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Filter, String> {
        let left = self.postfix()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                return Ok(Filter::Compare(Box::new(left), op.into(), Box::new(self.postfix()?)));
            }
        }
        Ok(left)
    }

    fn postfix(&mut self) -> Result<Filter, String> {
        let mut filter = self.term()?;
        loop {
            self.space();
            match (self.chars.get(self.pos), self.chars.get(self.pos + 1)) {
                (Some('.'), Some(c)) if c.is_alphabetic() || *c == '_' || *c == '"' || *c == '[' => {
                    self.pos += 1;
                    let next = self.path_step()?;
                    filter = Filter::Pipe(Box::new(filter), Box::new(next));
                }
                (Some('['), _) => {
                    let next = self.bracket()?;
                    filter = Filter::Pipe(Box::new(filter), Box::new(next));
                }
                _ => return Ok(filter),
            }
        }
    }

    /// After a `.`: a name, a quoted name or a bracket.
    fn path_step(&mut self) -> Result<Filter, String> {
        if self.chars.get(self.pos) == Some(&'[') {
            return self.bracket();
        }
        let name = if self.chars.get(self.pos) == Some(&'"') { self.string()? } else { self.identifier() };
        if name.is_empty() {
            return Ok(Filter::Identity);
        }
        let optional = self.chars.get(self.pos) == Some(&'?');
        if optional {
            self.pos += 1;
        }
        Ok(Filter::Field(name, optional))
    }

    fn bracket(&mut self) -> Result<Filter, String> {
        self.pos += 1;
        self.space();
        let filter = if self.eat("]") {
            Filter::Iterate(false)
        } else if self.chars.get(self.pos) == Some(&'"') {
            let name = self.string()?;
            if !self.eat("]") {
                return Err("syntax error, unexpected end of file".into());
            }
            Filter::Field(name, false)
        } else {
            let start = self.pos;
            if self.chars.get(self.pos) == Some(&'-') {
                self.pos += 1;
            }
            while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            let number: String = self.chars[start..self.pos].iter().collect();
            let Ok(index) = number.parse::<i64>() else {
                return Err(match self.chars.get(self.pos) {
                    None => "syntax error, unexpected end of file".into(),
                    Some(_) => "syntax error, unexpected INVALID_CHARACTER".into(),
                });
            };
            if !self.eat("]") {
                return Err("syntax error, unexpected end of file".into());
            }
            Filter::Index(index)
        };
        if self.chars.get(self.pos) == Some(&'?') {
            self.pos += 1;
            if let Filter::Iterate(_) = filter {
                return Ok(Filter::Iterate(true));
            }
        }
        Ok(filter)
    }

    fn identifier(&mut self) -> String {
        let mut name = String::new();
        while let Some(&c) = self.chars.get(self.pos) {
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            name.push(c);
            self.pos += 1;
        }
        name
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut text = String::new();
        while let Some(&c) = self.chars.get(self.pos) {
            self.pos += 1;
            match c {
                '"' => return Ok(text),
                '\\' => {
                    let escaped = self.chars.get(self.pos).copied().unwrap_or('\\');
                    self.pos += 1;
                    text.push(match escaped {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                }
                other => text.push(other),
            }
        }
        Err("syntax error, unexpected end of file".into())
    }

    fn term(&mut self) -> Result<Filter, String> {
        self.space();
        let Some(&c) = self.chars.get(self.pos) else {
            return Err("syntax error, unexpected end of file".into());
        };
        match c {
            '.' => {
                self.pos += 1;
                if self.chars.get(self.pos) == Some(&'.') {
                    return Err("syntax error, unexpected '..'".into());
                }
                self.path_step()
            }
            '"' => Ok(Filter::Literal(Value::String(self.string()?))),
            '(' => {
                self.pos += 1;
                let inner = self.pipe()?;
                if !self.eat(")") {
                    return Err("syntax error, unexpected end of file".into());
                }
                Ok(inner)
            }
            '[' => {
                self.pos += 1;
                if self.eat("]") {
                    return Ok(Filter::Array(None));
                }
                let inner = self.pipe()?;
                if !self.eat("]") {
                    return Err("syntax error, unexpected end of file".into());
                }
                Ok(Filter::Array(Some(Box::new(inner))))
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = self.pos;
                self.pos += 1;
                while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                let value: serde_json::Number = text.parse().map_err(|_| "syntax error, unexpected INVALID_CHARACTER".to_string())?;
                Ok(Filter::Literal(Value::Number(value)))
            }
            c if c.is_alphabetic() => {
                let name = self.identifier();
                match name.as_str() {
                    "true" => return Ok(Filter::Literal(Value::Bool(true))),
                    "false" => return Ok(Filter::Literal(Value::Bool(false))),
                    "null" => return Ok(Filter::Literal(Value::Null)),
                    _ => {}
                }
                let mut args = Vec::new();
                if self.eat("(") {
                    loop {
                        args.push(self.pipe_without_semicolon()?);
                        if self.eat(";") {
                            continue;
                        }
                        if self.eat(")") {
                            break;
                        }
                        return Err("syntax error, unexpected end of file".into());
                    }
                }
                Ok(Filter::Call(name, args))
            }
            other => Err(format!("syntax error, unexpected INVALID_CHARACTER ({other})")),
        }
    }

    fn pipe_without_semicolon(&mut self) -> Result<Filter, String> {
        self.pipe()
    }
}
