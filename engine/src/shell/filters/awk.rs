//! A small `awk`: `-F SEP`, `BEGIN`/`END`, patterns (`/RE/`, `NR > 1`, `$3 == "x"`, `&&`, `||`,
//! `!`), and actions of `print` (comma lists, concatenation), `printf FORMAT, …`, assignments
//! (`x = …`, `x += …`, `x++`) over fields `$N`/`$NF`, `NR`, `NF` and variables — the part of awk
//! that one-liners over docker's tables use.

use std::collections::BTreeMap;

use super::regex::Regex;
use super::{read_inputs, Files};
use crate::outcome::Outcome;

#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Str(String),
    Field(Box<Expr>),
    Var(String),
    Match(Box<Expr>, Regex, bool),
    Binary(Box<Expr>, String, Box<Expr>),
    Not(Box<Expr>),
    Concat(Vec<Expr>),
    Assign(String, String, Box<Expr>),
    Increment(String, f64),
    Length(Box<Expr>),
}

#[derive(Debug, Clone)]
enum Statement {
    Print(Vec<Expr>),
    Printf(Vec<Expr>),
    Expr(Expr),
}

struct Rule {
    pattern: Option<Expr>,
    action: Option<Vec<Statement>>,
}

struct Program {
    begin: Vec<Vec<Statement>>,
    end: Vec<Vec<Statement>>,
    rules: Vec<Rule>,
}

pub fn run(args: &[String], stdin: &str, files: &Files) -> Outcome {
    let mut separator: Option<String> = None;
    let mut program_text: Option<String> = None;
    let mut operands = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        if program_text.is_none() && arg == "-F" {
            match args.get(index) {
                Some(value) => separator = Some(value.clone()),
                None => return fail("awk: option requires an argument -- F", 2),
            }
            index += 1;
        } else if program_text.is_none() && arg.starts_with("-F") {
            separator = Some(arg[2..].to_string());
        } else if program_text.is_none() && arg.starts_with('-') && arg.len() > 1 {
            return fail(&format!("awk: not an option: {arg}"), 2);
        } else if program_text.is_none() {
            program_text = Some(arg.clone());
        } else {
            operands.push(arg.clone());
        }
    }
    let Some(program_text) = program_text else {
        return fail("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]", 2);
    };
    let parsed = if super::too_deep(&program_text) { Err("nesting".to_string()) } else { Parser::new(&program_text).program() };
    let program = match parsed {
        Ok(program) => program,
        Err(near) => {
            let mut outcome = Outcome::default();
            outcome.err(format!("awk: cmd. line:1: {program_text}"));
            outcome.err(format!("awk: cmd. line:1: syntax error near {near}"));
            return outcome.fail(1);
        }
    };
    let separator = separator.map(|s| if s == "\\t" || s == "t" { "\t".to_string() } else { s });
    let mut outcome = Outcome::default();
    let inputs = read_inputs("awk", &operands, stdin, files, &mut outcome, 2);
    for line in outcome.output.iter_mut() {
        if let Some((file, reason)) = line.text.strip_prefix("awk: ").and_then(|r| r.rsplit_once(": ")) {
            line.text = format!("awk: fatal: cannot open file `{file}' for reading: {reason}");
        }
    }
    let mut state = State { vars: BTreeMap::new(), fields: Vec::new(), line: String::new(), nr: 0, separator, out: String::new() };
    for action in &program.begin {
        state.run(action);
    }
    for (_, text) in &inputs {
        for line in text.lines() {
            state.nr += 1;
            state.set_line(line);
            for rule in &program.rules {
                let selected = rule.pattern.as_ref().is_none_or(|p| truthy(&state.eval(p)));
                if selected {
                    match &rule.action {
                        Some(action) => state.run(action),
                        None => {
                            state.out.push_str(&state.line);
                            state.out.push('\n');
                        }
                    }
                }
            }
        }
    }
    for action in &program.end {
        state.run(action);
    }
    outcome.out_text(&state.out);
    outcome
}

fn fail(message: &str, status: i32) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(message);
    outcome.fail(status)
}

#[derive(Debug, Clone)]
enum Value {
    Num(f64),
    Str(String),
    /// Input text that looks like a number compares as one (a field, `"12"` from a line).
    StrNum(String),
}

fn number_of(text: &str) -> f64 {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0) || c == 'e' || c == 'E'))
        .map_or(text.len(), |(i, _)| i);
    let mut slice = &text[..end];
    while !slice.is_empty() && slice.parse::<f64>().is_err() {
        slice = &slice[..slice.len() - 1];
    }
    slice.parse().unwrap_or(0.0)
}

fn to_num(value: &Value) -> f64 {
    match value {
        Value::Num(n) => *n,
        Value::Str(s) | Value::StrNum(s) => number_of(s),
    }
}

/// awk prints integers plainly and other numbers as `%.6g`.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e16 {
        return format!("{}", n as i64);
    }
    let magnitude = n.abs().log10().floor() as i32;
    if !(-5..6).contains(&magnitude) {
        let text = format!("{:.5e}", n);
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        let exponent: i32 = exponent.parse().unwrap_or(0);
        return format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs());
    }
    let decimals = (5 - magnitude).max(0) as usize;
    let text = format!("{n:.decimals$}");
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text }
}

fn to_text(value: &Value) -> String {
    match value {
        Value::Num(n) => format_number(*n),
        Value::Str(s) | Value::StrNum(s) => s.clone(),
    }
}

fn looks_numeric(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && text.parse::<f64>().is_ok()
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Num(n) => *n != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::StrNum(s) => if looks_numeric(s) { number_of(s) != 0.0 } else { !s.is_empty() },
    }
}

struct State {
    vars: BTreeMap<String, Value>,
    fields: Vec<String>,
    line: String,
    nr: usize,
    separator: Option<String>,
    /// Everything printed so far (`printf` need not end a line).
    out: String,
}

impl State {
    fn set_line(&mut self, line: &str) {
        self.line = line.to_string();
        self.fields = match &self.separator {
            Some(sep) if sep == " " => line.split_whitespace().map(str::to_string).collect(),
            Some(sep) if sep.chars().count() == 1 => line.split(sep.as_str()).map(str::to_string).collect(),
            Some(sep) => match Regex::new(sep, true, false) {
                Ok(regex) => split_regex(&regex, line),
                Err(_) => vec![line.to_string()],
            },
            None => line.split_whitespace().map(str::to_string).collect(),
        };
        if line.is_empty() {
            self.fields.clear();
        }
    }

    fn run(&mut self, statements: &[Statement]) {
        for statement in statements {
            match statement {
                Statement::Print(exprs) => {
                    let text = if exprs.is_empty() {
                        self.line.clone()
                    } else {
                        exprs.iter().map(|e| to_text(&self.eval(e))).collect::<Vec<_>>().join(" ")
                    };
                    self.out.push_str(&text);
                    self.out.push('\n');
                }
                Statement::Printf(exprs) => {
                    let values: Vec<Value> = exprs.iter().map(|e| self.eval(e)).collect();
                    if let Some((format, args)) = values.split_first() {
                        self.out.push_str(&printf(&to_text(format), args));
                    }
                }
                Statement::Expr(expr) => {
                    self.eval(expr);
                }
            }
        }
    }

    fn eval(&mut self, expr: &Expr) -> Value {
        match expr {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Field(index) => {
                let n = to_num(&self.eval(index)).max(0.0) as usize;
                if n == 0 {
                    Value::StrNum(self.line.clone())
                } else {
                    Value::StrNum(self.fields.get(n - 1).cloned().unwrap_or_default())
                }
            }
            Expr::Var(name) => match name.as_str() {
                "NR" | "FNR" => Value::Num(self.nr as f64),
                "NF" => Value::Num(self.fields.len() as f64),
                _ => self.vars.get(name).cloned().unwrap_or(Value::StrNum(String::new())),
            },
            Expr::Match(subject, regex, negated) => {
                let text = to_text(&self.eval(subject));
                Value::Num(if regex.is_match(&text) != *negated { 1.0 } else { 0.0 })
            }
            Expr::Length(inner) => Value::Num(to_text(&self.eval(inner)).chars().count() as f64),
            Expr::Not(inner) => Value::Num(if truthy(&self.eval(inner)) { 0.0 } else { 1.0 }),
            Expr::Concat(parts) => Value::Str(parts.iter().map(|p| to_text(&self.eval(p))).collect()),
            Expr::Assign(name, op, value) => {
                let value = self.eval(value);
                let current = self.eval(&Expr::Var(name.clone()));
                let result = match op.as_str() {
                    "=" => value,
                    "+=" => Value::Num(to_num(&current) + to_num(&value)),
                    "-=" => Value::Num(to_num(&current) - to_num(&value)),
                    "*=" => Value::Num(to_num(&current) * to_num(&value)),
                    _ => Value::Num(to_num(&current) / to_num(&value).max(f64::MIN_POSITIVE)),
                };
                self.vars.insert(name.clone(), result.clone());
                result
            }
            Expr::Increment(name, by) => {
                let current = to_num(&self.eval(&Expr::Var(name.clone())));
                self.vars.insert(name.clone(), Value::Num(current + by));
                Value::Num(current)
            }
            Expr::Binary(left, op, right) => {
                if op == "&&" {
                    let yes = truthy(&self.eval(left)) && truthy(&self.eval(right));
                    return Value::Num(if yes { 1.0 } else { 0.0 });
                }
                if op == "||" {
                    let yes = truthy(&self.eval(left)) || truthy(&self.eval(right));
                    return Value::Num(if yes { 1.0 } else { 0.0 });
                }
                let (a, b) = (self.eval(left), self.eval(right));
                let arithmetic = |f: fn(f64, f64) -> f64| Value::Num(f(to_num(&a), to_num(&b)));
                match op.as_str() {
                    "+" => arithmetic(|x, y| x + y),
                    "-" => arithmetic(|x, y| x - y),
                    "*" => arithmetic(|x, y| x * y),
                    "/" => arithmetic(|x, y| if y == 0.0 { 0.0 } else { x / y }),
                    "%" => arithmetic(|x, y| if y == 0.0 { 0.0 } else { x % y }),
                    _ => {
                        let numeric = |v: &Value| match v {
                            Value::Num(_) => true,
                            Value::StrNum(s) => looks_numeric(s),
                            Value::Str(_) => false,
                        };
                        let ordering = if numeric(&a) && numeric(&b) {
                            to_num(&a).partial_cmp(&to_num(&b)).unwrap_or(std::cmp::Ordering::Equal)
                        } else {
                            to_text(&a).cmp(&to_text(&b))
                        };
                        use std::cmp::Ordering::*;
                        let yes = match op.as_str() {
                            "==" => ordering == Equal,
                            "!=" => ordering != Equal,
                            "<" => ordering == Less,
                            "<=" => ordering != Greater,
                            ">" => ordering == Greater,
                            _ => ordering != Less,
                        };
                        Value::Num(if yes { 1.0 } else { 0.0 })
                    }
                }
            }
        }
    }
}

/// awk's `printf`: `%s`, `%d`/`%i`, `%f`, `%e`, `%g`, `%x`, `%c`, `%%`, with `-`, width and
/// precision.
fn printf(format: &str, args: &[Value]) -> String {
    let mut text = String::new();
    let mut args = args.iter();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            text.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let left = chars.get(i) == Some(&'-');
        if left {
            i += 1;
        }
        let mut width = String::new();
        while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
            width.push(chars[i]);
            i += 1;
        }
        let mut precision: Option<usize> = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut digits = String::new();
            while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                digits.push(chars[i]);
                i += 1;
            }
            precision = Some(digits.parse().unwrap_or(0));
        }
        let Some(&conversion) = chars.get(i) else {
            text.extend(&chars[start..]);
            break;
        };
        i += 1;
        if conversion == '%' {
            text.push('%');
            continue;
        }
        let value = args.next().cloned().unwrap_or(Value::StrNum(String::new()));
        let body = match conversion {
            'd' | 'i' => format!("{}", to_num(&value).trunc() as i64),
            'f' => format!("{:.*}", precision.unwrap_or(6), to_num(&value)),
            'e' => format!("{:.*e}", precision.unwrap_or(6), to_num(&value)),
            'g' => format_number(to_num(&value)),
            'x' => format!("{:x}", to_num(&value) as i64),
            'c' => to_text(&value).chars().next().map(String::from).unwrap_or_default(),
            's' => {
                let full = to_text(&value);
                match precision {
                    Some(p) => full.chars().take(p).collect(),
                    None => full,
                }
            }
            other => format!("%{other}"),
        };
        let width: usize = width.parse().unwrap_or(0).min(1_000);
        let pad = width.saturating_sub(body.chars().count());
        if left {
            text.push_str(&body);
            text.push_str(&" ".repeat(pad));
        } else {
            text.push_str(&" ".repeat(pad));
            text.push_str(&body);
        }
    }
    text
}

fn split_regex(regex: &Regex, line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut fields = Vec::new();
    let mut from = 0;
    while let Some((start, end)) = regex.find_chars(&chars, from).filter(|(s, e)| e > s) {
        fields.push(chars[from..start].iter().collect());
        from = end;
    }
    fields.push(chars[from..].iter().collect());
    fields
}

/// Tokens of an awk program.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Str(String),
    Regex(String),
    Name(String),
    Op(String),
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn new(text: &str) -> Parser {
        let chars: Vec<char> = text.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == ' ' || c == '\t' {
                i += 1;
            } else if c == '\n' || c == ';' {
                tokens.push(Token::Op(";".into()));
                i += 1;
            } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                tokens.push(Token::Num(chars[start..i].iter().collect::<String>().parse().unwrap_or(0.0)));
            } else if c.is_alphabetic() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push(Token::Name(chars[start..i].iter().collect()));
            } else if c == '"' {
                let mut text = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                        text.push(match chars[i] {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    } else {
                        text.push(chars[i]);
                    }
                    i += 1;
                }
                i += 1;
                tokens.push(Token::Str(text));
            } else if c == '/' && !matches!(tokens.last(), Some(Token::Num(_) | Token::Name(_) | Token::Str(_))) && !matches!(tokens.last(), Some(Token::Op(o)) if o == ")") {
                let mut text = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '/' {
                    if chars[i] == '\\' && chars.get(i + 1) == Some(&'/') {
                        i += 1;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                i += 1;
                tokens.push(Token::Regex(text));
            } else {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                if ["==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "++", "--", "!~"].contains(&two.as_str()) {
                    tokens.push(Token::Op(two));
                    i += 2;
                } else {
                    tokens.push(Token::Op(c.to_string()));
                    i += 1;
                }
            }
        }
        Parser { tokens, pos: 0 }
    }

    fn peek_op(&self, op: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token::Op(o)) if o == op)
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.peek_op(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.near())
        }
    }

    fn near(&self) -> String {
        match self.tokens.get(self.pos) {
            Some(Token::Op(o)) => format!("`{o}'"),
            Some(Token::Name(n)) => format!("`{n}'"),
            Some(Token::Str(s)) => format!("`\"{s}\"'"),
            Some(Token::Num(n)) => format!("`{n}'"),
            Some(Token::Regex(r)) => format!("`/{r}/'"),
            None => "end of string".into(),
        }
    }

    fn skip_separators(&mut self) {
        while self.peek_op(";") {
            self.pos += 1;
        }
    }

    fn program(&mut self) -> Result<Program, String> {
        let mut program = Program { begin: Vec::new(), end: Vec::new(), rules: Vec::new() };
        self.skip_separators();
        while self.pos < self.tokens.len() {
            match self.tokens.get(self.pos) {
                Some(Token::Name(n)) if n == "BEGIN" => {
                    self.pos += 1;
                    program.begin.push(self.action()?);
                }
                Some(Token::Name(n)) if n == "END" => {
                    self.pos += 1;
                    program.end.push(self.action()?);
                }
                _ => {
                    let pattern = if self.peek_op("{") { None } else { Some(self.expression()?) };
                    let action = if self.peek_op("{") { Some(self.action()?) } else { None };
                    program.rules.push(Rule { pattern, action });
                }
            }
            self.skip_separators();
        }
        Ok(program)
    }

    fn action(&mut self) -> Result<Vec<Statement>, String> {
        self.expect("{")?;
        let mut statements = Vec::new();
        loop {
            self.skip_separators();
            if self.peek_op("}") {
                self.pos += 1;
                return Ok(statements);
            }
            if self.pos >= self.tokens.len() {
                return Err(self.near());
            }
            let printf = matches!(self.tokens.get(self.pos), Some(Token::Name(n)) if n == "printf");
            if printf || matches!(self.tokens.get(self.pos), Some(Token::Name(n)) if n == "print") {
                self.pos += 1;
                let mut exprs = Vec::new();
                while !self.peek_op(";") && !self.peek_op("}") && self.pos < self.tokens.len() {
                    exprs.push(self.expression()?);
                    if self.peek_op(",") {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                if printf && exprs.is_empty() {
                    return Err(self.near());
                }
                statements.push(if printf { Statement::Printf(exprs) } else { Statement::Print(exprs) });
            } else {
                statements.push(Statement::Expr(self.expression()?));
            }
            if !self.peek_op(";") && !self.peek_op("}") {
                return Err(self.near());
            }
        }
    }

    fn expression(&mut self) -> Result<Expr, String> {
        if let (Some(Token::Name(name)), Some(Token::Op(op))) = (self.tokens.get(self.pos).cloned(), self.tokens.get(self.pos + 1).cloned()) {
            if ["=", "+=", "-=", "*=", "/="].contains(&op.as_str()) && !is_builtin(&name) {
                self.pos += 2;
                let value = self.expression()?;
                return Ok(Expr::Assign(name, op, Box::new(value)));
            }
            if op == "++" || op == "--" {
                self.pos += 2;
                return Ok(Expr::Increment(name, if op == "++" { 1.0 } else { -1.0 }));
            }
        }
        self.or()
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek_op("||") {
            self.pos += 1;
            left = Expr::Binary(Box::new(left), "||".into(), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.comparison()?;
        while self.peek_op("&&") {
            self.pos += 1;
            left = Expr::Binary(Box::new(left), "&&".into(), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let left = self.concatenation()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.peek_op(op) {
                self.pos += 1;
                return Ok(Expr::Binary(Box::new(left), op.into(), Box::new(self.concatenation()?)));
            }
        }
        for (op, negated) in [("~", false), ("!~", true)] {
            if self.peek_op(op) {
                self.pos += 1;
                let pattern = match self.tokens.get(self.pos).cloned() {
                    Some(Token::Regex(r) | Token::Str(r)) => r,
                    _ => return Err(self.near()),
                };
                self.pos += 1;
                let regex = Regex::new(&pattern, true, false).map_err(|_| self.near())?;
                return Ok(Expr::Match(Box::new(left), regex, negated));
            }
        }
        Ok(left)
    }

    fn concatenation(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.additive()?];
        while matches!(self.tokens.get(self.pos), Some(Token::Num(_) | Token::Str(_) | Token::Name(_))) || self.peek_op("$") || self.peek_op("(") {
            parts.push(self.additive()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::Concat(parts) })
    }

    fn additive(&mut self) -> Result<Expr, String> {
        let mut left = self.multiplicative()?;
        while self.peek_op("+") || self.peek_op("-") {
            let op = if self.peek_op("+") { "+" } else { "-" };
            self.pos += 1;
            left = Expr::Binary(Box::new(left), op.into(), Box::new(self.multiplicative()?));
        }
        Ok(left)
    }

    fn multiplicative(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.peek_op("*") || self.peek_op("/") || self.peek_op("%") {
            let op = if self.peek_op("*") { "*" } else if self.peek_op("/") { "/" } else { "%" };
            self.pos += 1;
            left = Expr::Binary(Box::new(left), op.into(), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_op("!") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.peek_op("-") {
            self.pos += 1;
            return Ok(Expr::Binary(Box::new(Expr::Num(0.0)), "-".into(), Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        match token {
            Some(Token::Num(n)) => Ok(Expr::Num(n)),
            Some(Token::Str(s)) => Ok(Expr::Str(s)),
            Some(Token::Regex(r)) => {
                let regex = Regex::new(&r, true, false).map_err(|_| self.near())?;
                Ok(Expr::Match(Box::new(Expr::Field(Box::new(Expr::Num(0.0)))), regex, false))
            }
            Some(Token::Name(name)) if name == "length" => {
                // `length` alone is the length of the line; `length(x)` of x.
                let subject = if self.peek_op("(") {
                    self.pos += 1;
                    let inner = self.expression()?;
                    self.expect(")")?;
                    inner
                } else {
                    Expr::Field(Box::new(Expr::Num(0.0)))
                };
                Ok(Expr::Length(Box::new(subject)))
            }
            Some(Token::Name(name)) if !is_keyword(&name) => Ok(Expr::Var(name)),
            Some(Token::Op(op)) if op == "$" => Ok(Expr::Field(Box::new(self.primary()?))),
            Some(Token::Op(op)) if op == "(" => {
                let inner = self.expression()?;
                self.expect(")")?;
                Ok(inner)
            }
            _ => {
                self.pos -= 1;
                Err(self.near())
            }
        }
    }
}

fn is_builtin(name: &str) -> bool {
    matches!(name, "NR" | "NF" | "FNR")
}

fn is_keyword(name: &str) -> bool {
    matches!(name, "BEGIN" | "END" | "print" | "printf" | "if" | "else" | "while" | "for" | "function" | "getline")
}
