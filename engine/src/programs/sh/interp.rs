//! Runs parsed shell lists: and-or chains, pipelines, compound commands, redirections,
//! `set -e/-u/-x/-o pipefail`, functions, and external programs through the tree's `PATH`.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::{self, AndOr, Command, Compound, List, ParseError, Pipeline, Redir, Simple};
use super::Flavour;
use crate::programs::sys::push_capped;
use crate::programs::{Io, Sys};

/// Commands (and loop rounds) one script may run before it is stopped as runaway.
pub const MAX_STEPS: u64 = 20_000;

/// Leaving the normal flow: `exit`, `break`, `continue`, `return`, or a fatal error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctl {
    Exit(i32),
    Break(u32),
    Continue(u32),
    Return(i32),
}

pub type Status = Result<i32, Ctl>;

#[derive(Debug, Clone, Copy, Default)]
pub struct Opts {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub noglob: bool,
    pub allexport: bool,
}

/// Where file descriptor 1 or 2 of a command ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Dest {
    Out,
    Err,
    File(String),
    Null,
}

#[derive(Debug)]
pub struct Shell<'s, 't> {
    pub sys: &'s mut Sys<'t>,
    pub flavour: Flavour,
    /// `$0`, also the prefix of error messages.
    pub name: String,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub positional: Vec<String>,
    pub opts: Opts,
    /// `$?`.
    pub status: i32,
    pub funcs: BTreeMap<String, Command>,
    pub steps: u64,
    /// Inside `if`/`while` conditions and non-final `&&`/`||` parts, `set -e` does not apply.
    pub errexit_off: u32,
    pub line: u32,
    /// Status of the last `$(…)` in the current command.
    pub subst_status: Option<i32>,
    pub depth: u32,
    /// `trap` actions by signal name (`TERM`, `INT`, `EXIT`).
    pub traps: BTreeMap<String, String>,
}

impl<'s, 't> Shell<'s, 't> {
    pub fn new(sys: &'s mut Sys<'t>, flavour: Flavour, name: String) -> Shell<'s, 't> {
        let vars: BTreeMap<String, String> = sys.env.clone();
        let exported = vars.keys().cloned().collect();
        let mut shell = Shell {
            sys,
            flavour,
            name,
            vars,
            exported,
            positional: Vec::new(),
            opts: Opts::default(),
            status: 0,
            funcs: BTreeMap::new(),
            steps: 0,
            errexit_off: 0,
            line: 1,
            subst_status: None,
            depth: 0,
            traps: BTreeMap::new(),
        };
        let cwd = shell.sys.cwd.clone();
        shell.vars.insert("PWD".into(), cwd);
        if !shell.vars.contains_key("PATH") {
            shell.vars.insert("PATH".into(), crate::programs::DEFAULT_PATH.into());
        }
        shell.vars.entry("IFS".into()).or_insert_with(|| " \t\n".into());
        shell
    }

    pub fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }

    pub fn set_short_option(&mut self, flag: char, on: bool) -> bool {
        match flag {
            'e' => self.opts.errexit = on,
            'u' => self.opts.nounset = on,
            'x' => self.opts.xtrace = on,
            'f' => self.opts.noglob = on,
            'a' => self.opts.allexport = on,
            'v' | 'h' | 'm' | 'b' | 'C' | 'n' | 'B' | 'H' | 'P' | 'T' | 'E' => {}
            _ => return false,
        }
        true
    }

    pub fn set_long_option(&mut self, option: &str, on: bool) -> bool {
        match option {
            "errexit" => self.opts.errexit = on,
            "nounset" => self.opts.nounset = on,
            "xtrace" => self.opts.xtrace = on,
            "noglob" => self.opts.noglob = on,
            "allexport" => self.opts.allexport = on,
            // dash 0.5.12 (Debian 12 and older) has no pipefail: a classic RUN failure.
            "pipefail" if self.flavour == Flavour::Dash => return false,
            "pipefail" => self.opts.pipefail = on,
            "posix" | "verbose" | "noclobber" | "monitor" | "vi" | "emacs" | "nounset-off" => {}
            _ => return false,
        }
        true
    }

    /// An error message with the shell's prefix: `sh: 1: …` (dash), `sh: …` (ash), `sh: line 1: …` (bash).
    pub fn message(&self, text: &str) -> String {
        match self.flavour {
            Flavour::Dash => format!("{}: {}: {text}", self.name, self.line),
            Flavour::Ash => format!("{}: {text}", self.name),
            Flavour::Bash => format!("{}: line {}: {text}", self.name, self.line),
        }
    }

    pub fn syntax_error(&self, error: &ParseError) -> String {
        let (line, dash, ash, bash) = match error {
            ParseError::Unexpected { token, line } => (
                *line,
                format!("Syntax error: \"{token}\" unexpected"),
                format!("syntax error: unexpected \"{token}\""),
                format!("syntax error near unexpected token `{token}'"),
            ),
            ParseError::Eof { expecting, line } => {
                let dash = match expecting {
                    Some(word) => format!("Syntax error: end of file unexpected (expecting \"{word}\")"),
                    None => "Syntax error: end of file unexpected".to_string(),
                };
                let ash = match expecting {
                    Some(word) => format!("syntax error: unexpected end of file (expecting \"{word}\")"),
                    None => "syntax error: unexpected end of file".to_string(),
                };
                (*line, dash, ash, "syntax error: unexpected end of file".to_string())
            }
            ParseError::Unterminated { line } => (
                *line,
                "Syntax error: Unterminated quoted string".to_string(),
                "syntax error: unterminated quoted string".to_string(),
                "unexpected EOF while looking for matching quote".to_string(),
            ),
        };
        match self.flavour {
            Flavour::Dash => format!("{}: {line}: {dash}", self.name),
            Flavour::Ash => format!("{}: {ash}", self.name),
            Flavour::Bash => format!("{}: -c: line {line}: {bash}", self.name),
        }
    }

    /// Parses and runs a whole script; the result is the shell's exit status.
    pub fn run_script(&mut self, text: &str, io: &mut Io) -> i32 {
        let list = match parse::parse(text) {
            Ok(list) => list,
            Err(error) => {
                let message = self.syntax_error(&error);
                io.err_line(&message);
                return 2;
            }
        };
        match self.list(&list, io) {
            Ok(status) => status,
            Err(Ctl::Exit(status)) | Err(Ctl::Return(status)) => status,
            Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => self.status,
        }
    }

    pub fn list(&mut self, list: &List, io: &mut Io) -> Status {
        let mut status = 0;
        for item in &list.0 {
            status = self.and_or(item, io)?;
        }
        Ok(status)
    }

    fn and_or(&mut self, item: &AndOr, io: &mut Io) -> Status {
        let chained = !item.rest.is_empty();
        if chained {
            self.errexit_off += 1;
        }
        let first = self.pipeline(&item.first, io);
        if chained {
            self.errexit_off -= 1;
        }
        let mut status = first?;
        let mut last_ran_final = !chained;
        let mut negated = item.first.negate;
        for (index, (and, pipeline)) in item.rest.iter().enumerate() {
            let runs = if *and { status == 0 } else { status != 0 };
            if !runs {
                continue;
            }
            let is_final = index + 1 == item.rest.len();
            if !is_final {
                self.errexit_off += 1;
            }
            let result = self.pipeline(pipeline, io);
            if !is_final {
                self.errexit_off -= 1;
            }
            status = result?;
            last_ran_final = is_final;
            negated = pipeline.negate;
        }
        self.status = status;
        if status != 0 && last_ran_final && !negated && self.opts.errexit && self.errexit_off == 0 {
            return Err(Ctl::Exit(status));
        }
        Ok(status)
    }

    fn pipeline(&mut self, pipeline: &Pipeline, io: &mut Io) -> Status {
        let status = if let [command] = pipeline.commands.as_slice() {
            if pipeline.negate {
                self.errexit_off += 1;
            }
            let result = self.command(command, io);
            if pipeline.negate {
                self.errexit_off -= 1;
            }
            result?
        } else {
            let mut input = std::mem::take(&mut io.stdin);
            let mut statuses = Vec::new();
            let count = pipeline.commands.len();
            for (index, command) in pipeline.commands.iter().enumerate() {
                let mut stage = Io::with_stdin(std::mem::take(&mut input));
                let status = self.subshell(|shell| shell.command(command, &mut stage));
                statuses.push(status);
                push_capped(&mut io.err, &stage.err);
                if index + 1 == count {
                    push_capped(&mut io.out, &stage.out);
                } else {
                    input = stage.out;
                }
            }
            let last = statuses.last().copied().unwrap_or(0);
            if self.opts.pipefail {
                statuses.iter().rev().find(|s| **s != 0).copied().unwrap_or(0)
            } else {
                last
            }
        };
        let status = if pipeline.negate { i32::from(status == 0) } else { status };
        self.status = status;
        Ok(status)
    }

    /// Runs `f` in a subshell: variables, functions, options and cwd changes do not leak out.
    pub fn subshell(&mut self, f: impl FnOnce(&mut Self) -> Status) -> i32 {
        let vars = self.vars.clone();
        let exported = self.exported.clone();
        let funcs = self.funcs.clone();
        let opts = self.opts;
        let positional = self.positional.clone();
        let cwd = self.sys.cwd.clone();
        let status = match f(self) {
            Ok(status) | Err(Ctl::Exit(status)) | Err(Ctl::Return(status)) => status,
            Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => self.status,
        };
        self.vars = vars;
        self.exported = exported;
        self.funcs = funcs;
        self.opts = opts;
        self.positional = positional;
        self.sys.cwd = cwd;
        status
    }

    pub fn step(&mut self, io: &mut Io) -> Result<(), Ctl> {
        io.stamp(self.sys.elapsed);
        // A command became a long-running service: the script waits on it and runs nothing more.
        if self.sys.service.is_some() {
            return Err(Ctl::Exit(self.status));
        }
        self.steps += 1;
        if self.steps > MAX_STEPS {
            // A container's main shell looping forever (`while true; do …; sleep 1; done`) is a
            // long-running process, not a runaway build step.
            if self.sys.container.is_some() && self.sys.depth <= 1 {
                let program = if self.flavour == Flavour::Bash { "bash" } else { "sh" };
                self.sys.serve(crate::programs::Service::idle(program));
                return Err(Ctl::Exit(self.status));
            }
            io.err_line(&format!(
                "whalebox: {}: stopped after {MAX_STEPS} commands; this script does not finish on its own",
                self.name
            ));
            return Err(Ctl::Exit(124));
        }
        Ok(())
    }

    fn command(&mut self, command: &Command, io: &mut Io) -> Status {
        match command {
            Command::Simple(simple) => self.simple(simple, io),
            Command::Function(name, body) => {
                self.funcs.insert(name.clone(), (**body).clone());
                Ok(0)
            }
            Command::Compound(compound, redirs) => {
                self.step(io)?;
                self.with_redirects(redirs, io, |shell, inner| shell.compound(compound, inner))
            }
        }
    }

    fn compound(&mut self, compound: &Compound, io: &mut Io) -> Status {
        match compound {
            Compound::Group(list) => self.list(list, io),
            Compound::Subshell(list) => Ok(self.subshell(|shell| shell.list(list, io))),
            Compound::If { branches, otherwise } => {
                for (cond, body) in branches {
                    self.errexit_off += 1;
                    let result = self.list(cond, io);
                    self.errexit_off -= 1;
                    if result? == 0 {
                        return self.list(body, io);
                    }
                }
                match otherwise {
                    Some(list) => self.list(list, io),
                    None => Ok(0),
                }
            }
            Compound::For { var, items, body } => {
                let values = match items {
                    Some(words) => {
                        let mut values = Vec::new();
                        for word in words {
                            values.extend(self.expand_fields(word, io)?);
                        }
                        values
                    }
                    None => self.positional.clone(),
                };
                let mut status = 0;
                for value in values {
                    self.step(io)?;
                    self.assign(var, &value);
                    match self.list(body, io) {
                        Ok(s) => status = s,
                        Err(Ctl::Break(n)) => {
                            if n > 1 {
                                return Err(Ctl::Break(n - 1));
                            }
                            break;
                        }
                        Err(Ctl::Continue(n)) => {
                            if n > 1 {
                                return Err(Ctl::Continue(n - 1));
                            }
                        }
                        Err(other) => return Err(other),
                    }
                }
                Ok(status)
            }
            Compound::While { cond, body, until } => {
                let mut status = 0;
                loop {
                    self.step(io)?;
                    self.errexit_off += 1;
                    let result = self.list(cond, io);
                    self.errexit_off -= 1;
                    let passed = result? == 0;
                    if passed == *until {
                        break;
                    }
                    match self.list(body, io) {
                        Ok(s) => status = s,
                        Err(Ctl::Break(n)) => {
                            if n > 1 {
                                return Err(Ctl::Break(n - 1));
                            }
                            break;
                        }
                        Err(Ctl::Continue(n)) => {
                            if n > 1 {
                                return Err(Ctl::Continue(n - 1));
                            }
                        }
                        Err(other) => return Err(other),
                    }
                }
                Ok(status)
            }
            Compound::Case { word, arms } => {
                let value = self.expand_single(word, io)?;
                for (patterns, body) in arms {
                    for pattern in patterns {
                        let pattern = self.expand_pattern(pattern, io)?;
                        if super::expand::pattern_match(&pattern, &value) {
                            return self.list(body, io);
                        }
                    }
                }
                Ok(0)
            }
        }
    }

    pub fn assign(&mut self, name: &str, value: &str) {
        let value: String = value.chars().take(crate::programs::sys::MAX_TEXT).collect();
        self.vars.insert(name.to_string(), value);
        if self.opts.allexport {
            self.exported.insert(name.to_string());
        }
    }

    fn simple(&mut self, simple: &Simple, io: &mut Io) -> Status {
        self.step(io)?;
        self.line = simple.line;
        self.subst_status = None;
        let mut assigns = Vec::new();
        for (name, raw) in &simple.assigns {
            let value = self.expand_single(raw, io)?;
            assigns.push((name.clone(), value));
        }
        let mut fields = Vec::new();
        for word in &simple.words {
            fields.extend(self.expand_fields(word, io)?);
        }
        if self.opts.xtrace {
            let mut trace: Vec<String> = assigns.iter().map(|(n, v)| format!("{n}={}", trace_quote(v))).collect();
            trace.extend(fields.iter().map(|f| trace_quote(f)));
            if !trace.is_empty() {
                io.err_line(&format!("+ {}", trace.join(" ")));
            }
        }
        if fields.is_empty() {
            for (name, value) in &assigns {
                self.assign(name, value);
            }
            let status = self.subst_status.unwrap_or(0);
            let redirected = self.with_redirects(&simple.redirs, io, |_, _| Ok(status))?;
            self.status = redirected;
            return Ok(redirected);
        }
        let status = self.with_redirects(&simple.redirs, io, |shell, inner| shell.run_fields(&assigns, &fields, inner))?;
        self.status = status;
        Ok(status)
    }

    /// Runs an expanded command: a function, a builtin, or a program from `PATH`.
    pub fn run_fields(&mut self, assigns: &[(String, String)], fields: &[String], io: &mut Io) -> Status {
        let Some(name) = fields.first() else { return Ok(0) };
        if let Some(body) = self.funcs.get(name).cloned() {
            self.depth += 1;
            if self.depth > 100 {
                self.depth -= 1;
                io.err_line(&self.message("function nesting too deep"));
                return Err(Ctl::Exit(2));
            }
            let saved = std::mem::replace(&mut self.positional, fields.get(1..).unwrap_or_default().to_vec());
            for (n, v) in assigns {
                self.assign(n, v);
            }
            let result = self.command(&body, io);
            self.positional = saved;
            self.depth -= 1;
            return match result {
                Ok(status) | Err(Ctl::Return(status)) => Ok(status),
                Err(other) => Err(other),
            };
        }
        if let Some(result) = self.builtin(name, fields, assigns, io) {
            return result;
        }
        self.external(assigns, fields, io)
    }

    pub fn external(&mut self, assigns: &[(String, String)], fields: &[String], io: &mut Io) -> Status {
        let Some(name) = fields.first() else { return Ok(0) };
        let path_var = self.vars.get("PATH").cloned().unwrap_or_default();
        let cwd = self.sys.cwd.clone();
        let Some(path) = crate::programs::sys::resolve_in(self.sys.fs, name, &path_var, &cwd) else {
            let text = if name.contains('/') {
                match self.flavour {
                    Flavour::Bash => format!("{name}: No such file or directory"),
                    _ => format!("{name}: not found"),
                }
            } else {
                match self.flavour {
                    Flavour::Bash => format!("{name}: command not found"),
                    _ => format!("{name}: not found"),
                }
            };
            io.err_line(&self.message(&text));
            return Ok(127);
        };
        if !self.sys.is_executable(&path) {
            io.err_line(&self.message(&format!("{name}: Permission denied")));
            return Ok(126);
        }
        // A binary whose dynamic loader the tree lacks (glibc build on musl): `execve` says ENOENT.
        match crate::programs::services::loader_problem(self.sys, &path) {
            Some(crate::programs::services::Loader::Missing) => {
                let text = match self.flavour {
                    Flavour::Bash => format!("{name}: cannot execute: required file not found"),
                    _ => format!("{name}: not found"),
                };
                io.err_line(&self.message(&text));
                return Ok(127);
            }
            Some(crate::programs::services::Loader::Incompatible) => {
                io.err_line("Segmentation fault");
                return Ok(139);
            }
            None => {}
        }
        let mut env: BTreeMap<String, String> =
            self.vars.iter().filter(|(k, _)| self.exported.contains(*k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        for (n, v) in assigns {
            env.insert(n.clone(), v.clone());
        }
        let saved_env = std::mem::replace(&mut self.sys.env, env);
        let saved_cwd = self.sys.cwd.clone();
        let saved_user = (self.sys.uid, self.sys.gid, self.sys.user_name.clone());
        let status = crate::programs::run_program(self.sys, io, &path, fields);
        self.sys.env = saved_env;
        self.sys.cwd = saved_cwd;
        (self.sys.uid, self.sys.gid, self.sys.user_name) = saved_user;
        Ok(status)
    }

    /// Applies `redirs` around `f`: stdin from files or here-documents, stdout/stderr to files.
    pub fn with_redirects(
        &mut self,
        redirs: &[Redir],
        io: &mut Io,
        f: impl FnOnce(&mut Self, &mut Io) -> Status,
    ) -> Status {
        if redirs.is_empty() {
            return f(self, io);
        }
        let mut inner = Io::with_stdin(std::mem::take(&mut io.stdin));
        let mut stdin_redirected = false;
        let mut dests = [Dest::Out, Dest::Err];
        let fail_status = if self.flavour == Flavour::Ash { 1 } else { 2 };
        for redir in redirs {
            match redir.op {
                "<<" | "<<-" => {
                    let body = if redir.heredoc_expand { self.expand_heredoc(&redir.target, io)? } else { redir.target.clone() };
                    inner.stdin = body;
                    stdin_redirected = true;
                }
                "<" | "<>" => {
                    let target = self.expand_single(&redir.target, io)?;
                    let path = self.sys.abs(&target);
                    match self.sys.read(&path) {
                        Some(text) => {
                            inner.stdin = text;
                            stdin_redirected = true;
                        }
                        None => {
                            let text = match self.flavour {
                                Flavour::Dash => format!("cannot open {target}: No such file"),
                                Flavour::Ash => format!("can't open '{target}': No such file or directory"),
                                Flavour::Bash => format!("{target}: No such file or directory"),
                            };
                            io.err_line(&self.message(&text));
                            io.stdin = inner.stdin;
                            return Ok(if self.flavour == Flavour::Dash { 2 } else { 1 });
                        }
                    }
                }
                ">&" | "<&" => {
                    let target = self.expand_single(&redir.target, io)?;
                    let fd = redir.fd.unwrap_or(if redir.op == ">&" { 1 } else { 0 });
                    let slot = match fd {
                        1 => Some(0),
                        2 => Some(1),
                        _ => None,
                    };
                    let source = match target.as_str() {
                        "1" => Some(dests[0].clone()),
                        "2" => Some(dests[1].clone()),
                        "-" => Some(Dest::Null),
                        _ if redir.op == ">&" && redir.fd.is_none() => {
                            // `>&file` (bash): both streams to the file.
                            match self.open_for_write(&target, false, io) {
                                Some(dest) => {
                                    dests[1] = dest.clone();
                                    Some(dest)
                                }
                                None => {
                                    io.stdin = inner.stdin;
                                    return Ok(fail_status);
                                }
                            }
                        }
                        _ => None,
                    };
                    if let (Some(slot), Some(source)) = (slot, source) {
                        if let Some(d) = dests.get_mut(slot) {
                            *d = source;
                        }
                    }
                }
                ">" | ">>" | ">|" | "&>" => {
                    let target = self.expand_single(&redir.target, io)?;
                    let Some(dest) = self.open_for_write(&target, redir.op == ">>", io) else {
                        io.stdin = inner.stdin;
                        return Ok(fail_status);
                    };
                    if redir.op == "&>" {
                        dests = [dest.clone(), dest];
                    } else {
                        match redir.fd.unwrap_or(1) {
                            1 => dests[0] = dest,
                            2 => dests[1] = dest,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let result = f(self, &mut inner);
        if !stdin_redirected {
            io.stdin = std::mem::take(&mut inner.stdin);
        }
        let [out_dest, err_dest] = dests;
        self.route(&out_dest, &inner.out, io);
        self.route(&err_dest, &inner.err, io);
        result
    }

    /// Opens `target` for writing (truncating unless appending); `None` after printing the error.
    fn open_for_write(&mut self, target: &str, append: bool, io: &mut Io) -> Option<Dest> {
        match target {
            "/dev/null" => return Some(Dest::Null),
            "/dev/stdout" | "/proc/self/fd/1" => return Some(Dest::Out),
            "/dev/stderr" | "/proc/self/fd/2" | "/dev/tty" | "/dev/console" => return Some(Dest::Err),
            _ => {}
        }
        let path = self.sys.abs(target);
        let real = self.sys.real_path(&path);
        match real.as_str() {
            "/dev/stdout" => return Some(Dest::Out),
            "/dev/stderr" => return Some(Dest::Err),
            "/dev/null" => return Some(Dest::Null),
            _ => {}
        }
        let parent = crate::fs::parent(&real).to_string();
        let problem = if !self.sys.fs.is_dir(&self.sys.real_path(&parent)) {
            Some(match self.flavour {
                Flavour::Dash => format!("cannot create {target}: Directory nonexistent"),
                Flavour::Ash => format!("can't create {target}: nonexistent directory"),
                Flavour::Bash => format!("{target}: No such file or directory"),
            })
        } else if crate::programs::inside::read_only_denies(self.sys, &real) {
            Some(match self.flavour {
                Flavour::Dash => format!("cannot create {target}: Read-only file system"),
                Flavour::Ash => format!("can't create {target}: Read-only file system"),
                Flavour::Bash => format!("{target}: Read-only file system"),
            })
        } else if self.sys.fs.is_dir(&real) {
            Some(match self.flavour {
                Flavour::Dash => format!("cannot create {target}: Is a directory"),
                Flavour::Ash => format!("can't create {target}: Is a directory"),
                Flavour::Bash => format!("{target}: Is a directory"),
            })
        } else if !self.sys.can_write_file(&real) {
            Some(match self.flavour {
                Flavour::Dash => format!("cannot create {target}: Permission denied"),
                Flavour::Ash => format!("can't create {target}: Permission denied"),
                Flavour::Bash => format!("{target}: Permission denied"),
            })
        } else {
            None
        };
        if let Some(text) = problem {
            io.err_line(&self.message(&text));
            return None;
        }
        if !append || !self.sys.fs.exists(&real) {
            self.sys.write_text(&real, "");
        }
        Some(Dest::File(real))
    }

    fn route(&mut self, dest: &Dest, text: &str, io: &mut Io) {
        if text.is_empty() {
            return;
        }
        match dest {
            Dest::Out => push_capped(&mut io.out, text),
            Dest::Err => push_capped(&mut io.err, text),
            Dest::Null => {}
            Dest::File(path) => {
                let mut existing = self.sys.read(path).unwrap_or_default();
                push_capped(&mut existing, text);
                self.sys.write_text(path, &existing);
            }
        }
    }
}

/// How `set -x` shows a word: quoted when it would not read back as one word.
pub fn trace_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%^".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
