//! The shell's own commands: `cd`, `export`, `set`, `exit`, `echo`, `test`, `command -v`, `read`,
//! `eval`, `.` and the other builtins a Dockerfile `RUN` line leans on.

use super::interp::{trace_quote, Ctl, Shell, Status};
use super::parse;
use super::Flavour;
use crate::programs::{coreutils, Io};

const BUILTINS: &[&str] = &[
    ":", "true", "false", "echo", "printf", "cd", "pwd", "export", "unset", "set", "exit", "return", "break",
    "continue", "shift", "test", "[", "command", "type", "read", "eval", ".", "source", "local", "exec", "umask",
    "trap", "wait", "ulimit", "hash", "alias", "unalias", "readonly", "times", "getopts", "[[",
];

impl Shell<'_, '_> {
    pub fn is_builtin(&self, name: &str) -> bool {
        BUILTINS.contains(&name) && !(name == "[[" && self.flavour != Flavour::Bash) && !(name == "source" && self.flavour == Flavour::Dash)
    }

    /// Runs `name` if it is a builtin.
    pub fn builtin(&mut self, name: &str, fields: &[String], assigns: &[(String, String)], io: &mut Io) -> Option<Status> {
        if !self.is_builtin(name) {
            return None;
        }
        let args = fields.get(1..).unwrap_or_default();
        // Assignments before special builtins stay; harmless for the others here.
        for (n, v) in assigns {
            self.assign(n, v);
        }
        Some(match name {
            "trap" => Ok(self.trap(args, io)),
            ":" | "true" | "umask" | "wait" | "ulimit" | "hash" | "alias" | "unalias" | "times" => Ok(0),
            "false" => Ok(1),
            "getopts" => Ok(1),
            "echo" => Ok(self.echo(args, io)),
            "printf" => Ok(coreutils::printf(args, io)),
            "cd" => Ok(self.cd(args, io)),
            "pwd" => {
                io.out_line(&self.sys.cwd.clone());
                Ok(0)
            }
            "export" | "readonly" | "local" => Ok(self.export(name, args, io)),
            "unset" => {
                for arg in args.iter().filter(|a| !a.starts_with('-')) {
                    self.vars.remove(arg);
                    self.exported.remove(arg);
                    self.funcs.remove(arg);
                }
                Ok(0)
            }
            "set" => self.set(args, io),
            "exit" => {
                let code = match args.first() {
                    Some(text) => match text.parse::<i64>() {
                        Ok(n) => (n & 0xff) as i32,
                        Err(_) => {
                            io.err_line(&self.message(&format!("exit: Illegal number: {text}")));
                            2
                        }
                    },
                    None => self.status,
                };
                Err(Ctl::Exit(code))
            }
            "return" => Err(Ctl::Return(args.first().and_then(|a| a.parse::<i32>().ok()).unwrap_or(self.status))),
            "break" => Err(Ctl::Break(args.first().and_then(|a| a.parse().ok()).unwrap_or(1).max(1))),
            "continue" => Err(Ctl::Continue(args.first().and_then(|a| a.parse().ok()).unwrap_or(1).max(1))),
            "shift" => {
                let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1);
                if n > self.positional.len() {
                    io.err_line(&self.message(&"shift: can't shift that many".to_string()));
                    return Some(Ok(2));
                }
                self.positional.drain(..n);
                Ok(0)
            }
            "test" | "[" | "[[" => {
                let mut args = args.to_vec();
                let closing = match name {
                    "[" => Some("]"),
                    "[[" => Some("]]"),
                    _ => None,
                };
                if let Some(closing) = closing {
                    if args.last().map(String::as_str) != Some(closing) {
                        io.err_line(&self.message(&format!("{name}: missing {closing}")));
                        return Some(Ok(2));
                    }
                    args.pop();
                }
                let cwd = self.sys.cwd.clone();
                match coreutils::test(self.sys, &cwd, &args) {
                    Ok(true) => Ok(0),
                    Ok(false) => Ok(1),
                    Err(message) => {
                        io.err_line(&self.message(&format!("{name}: {message}")));
                        Ok(2)
                    }
                }
            }
            "command" => self.command_builtin(args, io),
            "type" => {
                let mut status = 0;
                for arg in args {
                    match self.describe(arg) {
                        Some(text) => io.out_line(&format!("{arg} is {text}")),
                        None => {
                            io.out_line(&format!("{arg}: not found"));
                            status = 127;
                        }
                    }
                }
                Ok(status)
            }
            "read" => Ok(self.read(args, io)),
            "eval" => {
                let text = args.join(" ");
                self.eval(&text, io)
            }
            "." | "source" => {
                let Some(file) = args.first() else {
                    return Some(Ok(0));
                };
                let path = if file.contains('/') { Some(self.sys.abs(file)) } else { self.sys.resolve(file).or(Some(self.sys.abs(file))) };
                match path.and_then(|p| self.sys.read(&p)) {
                    Some(text) => self.eval(&text, io),
                    None => {
                        let text = match self.flavour {
                            Flavour::Dash => format!(".: cannot open {file}: No such file"),
                            Flavour::Ash => format!(".: can't open '{file}': No such file or directory"),
                            Flavour::Bash => format!("{file}: No such file or directory"),
                        };
                        io.err_line(&self.message(&text));
                        Err(Ctl::Exit(if self.flavour == Flavour::Bash { 1 } else { 2 }))
                    }
                }
            }
            "exec" => {
                if args.is_empty() {
                    return Some(Ok(0));
                }
                // The program replaces the shell's process: it runs at the shell's own depth, so
                // a main shell's `exec server` makes the server PID 1.
                self.sys.depth = self.sys.depth.saturating_sub(1);
                // Caught signals reset to their default in the new program; ignored ones stay.
                if self.sys.depth == 0 && self.sys.term_trap.as_deref() != Some("") {
                    self.sys.term_trap = None;
                }
                let result = self.external(&[], args, io);
                self.sys.depth += 1;
                let status = match result {
                    Ok(status) => status,
                    Err(ctl) => return Some(Err(ctl)),
                };
                Err(Ctl::Exit(status))
            }
            _ => Ok(0),
        })
    }

    /// `trap [ACTION] SIGNAL…`, `trap - SIGNAL…`, `trap` (list). A main shell's TERM action is
    /// what the runtime runs when `docker stop` signals it.
    fn trap(&mut self, args: &[String], io: &mut Io) -> i32 {
        let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
        let Some((first, rest)) = args.split_first() else {
            let listing: Vec<String> = self.traps.iter().map(|(signal, action)| format!("trap -- {} {signal}", trace_quote_always(action))).collect();
            for line in listing {
                io.out_line(&line);
            }
            return 0;
        };
        if first.as_str() == "-p" || first.as_str() == "-l" {
            return 0;
        }
        // `trap 15` (an unsigned number first) resets every listed condition, as `trap - 15` does.
        let (action, signals): (Option<&str>, Vec<&String>) = if first.as_str() == "-" {
            (None, rest.to_vec())
        } else if first.chars().all(|c| c.is_ascii_digit()) {
            (None, args.clone())
        } else {
            (Some(first.as_str()), rest.to_vec())
        };
        let mut status = 0;
        for signal in signals {
            let Some(name) = signal_name(signal) else {
                let text = match self.flavour {
                    Flavour::Bash => format!("trap: {signal}: invalid signal specification"),
                    _ => format!("trap: {signal}: bad trap"),
                };
                io.err_line(&self.message(&text));
                status = 1;
                continue;
            };
            match action {
                Some(action) => {
                    self.traps.insert(name.to_string(), action.to_string());
                }
                None => {
                    self.traps.remove(name);
                }
            }
            if name == "TERM" && self.sys.depth <= 1 {
                self.sys.term_trap = action.map(str::to_string);
            }
        }
        status
    }

    fn eval(&mut self, text: &str, io: &mut Io) -> Status {
        self.depth += 1;
        if self.depth > 50 {
            self.depth -= 1;
            io.err_line(&self.message("eval nested too deeply"));
            return Err(Ctl::Exit(2));
        }
        let result = match parse::parse(text) {
            Ok(list) => self.list(&list, io),
            Err(error) => {
                let message = self.syntax_error(&error);
                io.err_line(&message);
                Ok(2)
            }
        };
        self.depth -= 1;
        result
    }

    fn echo(&mut self, args: &[String], io: &mut Io) -> i32 {
        let mut newline = true;
        let mut escapes = self.flavour == Flavour::Dash;
        let mut rest = args;
        while let Some((first, tail)) = rest.split_first() {
            let flags = first.strip_prefix('-').filter(|f| !f.is_empty());
            let valid = flags.is_some_and(|f| {
                f.chars().all(|c| if self.flavour == Flavour::Dash { c == 'n' } else { matches!(c, 'n' | 'e' | 'E') })
            });
            if !valid {
                break;
            }
            for c in flags.unwrap_or_default().chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    'E' => escapes = false,
                    _ => {}
                }
            }
            rest = tail;
        }
        let text = rest.join(" ");
        let (text, stop) = if escapes { coreutils::unescape(&text) } else { (text, false) };
        crate::programs::sys::push_capped(&mut io.out, &text);
        if newline && !stop {
            io.out.push('\n');
        }
        0
    }

    fn cd(&mut self, args: &[String], io: &mut Io) -> i32 {
        let target = match args.first().map(String::as_str) {
            None => self.vars.get("HOME").cloned().unwrap_or_else(|| "/".into()),
            Some("-") => {
                let old = self.vars.get("OLDPWD").cloned().unwrap_or_else(|| self.sys.cwd.clone());
                io.out_line(&old);
                old
            }
            Some(dir) => dir.to_string(),
        };
        let path = self.sys.abs(&target);
        let real = self.sys.real_path(&path);
        if !self.sys.fs.is_dir(&real) {
            let text = match self.flavour {
                Flavour::Dash => format!("cd: can't cd to {target}"),
                Flavour::Ash => format!("cd: can't cd to {target}: No such file or directory"),
                Flavour::Bash => format!("cd: {target}: No such file or directory"),
            };
            io.err_line(&self.message(&text));
            return if self.flavour == Flavour::Dash { 2 } else { 1 };
        }
        let old = std::mem::replace(&mut self.sys.cwd, path.clone());
        self.vars.insert("OLDPWD".into(), old);
        self.vars.insert("PWD".into(), path);
        0
    }

    fn export(&mut self, name: &str, args: &[String], io: &mut Io) -> i32 {
        if args.is_empty() || args.iter().all(|a| a == "-p") {
            let listing: Vec<String> = self
                .exported
                .iter()
                .filter_map(|n| self.vars.get(n).map(|v| format!("{name} {n}='{}'", v.replace('\'', "'\\''"))))
                .collect();
            for line in listing {
                io.out_line(&line);
            }
            return 0;
        }
        for arg in args.iter().filter(|a| !a.starts_with('-')) {
            let (var, value) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (arg.as_str(), None),
            };
            if !parse::is_name(var) {
                io.err_line(&self.message(&format!("{name}: {arg}: bad variable name")));
                return 2;
            }
            if let Some(value) = value {
                self.assign(var, value);
            }
            if name == "export" {
                self.exported.insert(var.to_string());
            } else if name == "local" && value.is_none() {
                self.vars.entry(var.to_string()).or_default();
            }
        }
        0
    }

    fn set(&mut self, args: &[String], io: &mut Io) -> Status {
        if args.is_empty() {
            let listing: Vec<String> = self.vars.iter().map(|(n, v)| format!("{n}={}", trace_quote(v))).collect();
            for line in listing {
                io.out_line(&line);
            }
            return Ok(0);
        }
        let mut rest = args.iter().peekable();
        while let Some(arg) = rest.next() {
            if arg == "--" {
                self.positional = rest.cloned().collect();
                return Ok(0);
            }
            if arg == "-o" || arg == "+o" {
                let Some(option) = rest.next() else {
                    let listing = [("errexit", self.opts.errexit), ("nounset", self.opts.nounset), ("pipefail", self.opts.pipefail), ("xtrace", self.opts.xtrace)];
                    for (n, on) in listing {
                        io.out_line(&format!("{n:<15} {}", if on { "on" } else { "off" }));
                    }
                    return Ok(0);
                };
                if !self.set_long_option(option, arg == "-o") {
                    let text = match self.flavour {
                        Flavour::Dash => format!("set: Illegal option -o {option}"),
                        Flavour::Ash => format!("set: illegal option -o {option}"),
                        Flavour::Bash => format!("set: {option}: invalid option name"),
                    };
                    io.err_line(&self.message(&text));
                    return if self.flavour == Flavour::Bash { Ok(1) } else { Err(Ctl::Exit(2)) };
                }
                continue;
            }
            let on = arg.starts_with('-');
            let Some(flags) = arg.strip_prefix('-').or_else(|| arg.strip_prefix('+')) else {
                let mut positional = vec![arg.clone()];
                positional.extend(rest.cloned());
                self.positional = positional;
                return Ok(0);
            };
            for flag in flags.chars() {
                if !self.set_short_option(flag, on) {
                    let text = match self.flavour {
                        Flavour::Dash => format!("set: Illegal option -{flag}"),
                        Flavour::Ash => format!("set: illegal option -{flag}"),
                        Flavour::Bash => format!("set: -{flag}: invalid option"),
                    };
                    io.err_line(&self.message(&text));
                    return if self.flavour == Flavour::Bash { Ok(2) } else { Err(Ctl::Exit(2)) };
                }
            }
        }
        Ok(0)
    }

    fn describe(&self, name: &str) -> Option<String> {
        if self.funcs.contains_key(name) {
            return Some("a shell function".into());
        }
        if self.is_builtin(name) {
            return Some(if matches!(name, ":" | "." | "export" | "set" | "exit" | "eval" | "exec" | "unset" | "shift" | "return" | "break" | "continue" | "trap" | "readonly") {
                "a special shell builtin".into()
            } else {
                "a shell builtin".into()
            });
        }
        let path_var = self.vars.get("PATH").cloned().unwrap_or_default();
        crate::programs::sys::resolve_in(self.sys.fs, name, &path_var, &self.sys.cwd).map(|p| p.to_string())
    }

    fn command_builtin(&mut self, args: &[String], io: &mut Io) -> Status {
        match args.first().map(String::as_str) {
            Some("-v") | Some("-V") => {
                let verbose = args.first().is_some_and(|a| a == "-V");
                let mut status = 0;
                for name in args.iter().skip(1) {
                    let path_var = self.vars.get("PATH").cloned().unwrap_or_default();
                    let found = if self.funcs.contains_key(name) || self.is_builtin(name) {
                        Some(name.clone())
                    } else {
                        crate::programs::sys::resolve_in(self.sys.fs, name, &path_var, &self.sys.cwd)
                    };
                    match found {
                        Some(text) if verbose => io.out_line(&format!("{name} is {}", self.describe(name).unwrap_or(text))),
                        Some(text) => io.out_line(&text),
                        None => {
                            if verbose {
                                io.err_line(&format!("{name}: not found"));
                            }
                            status = if verbose { 127 } else { 1 };
                        }
                    }
                }
                Ok(status)
            }
            Some(_) => {
                let name = args.first().cloned().unwrap_or_default();
                if let Some(result) = self.builtin(&name, args, &[], io) {
                    return result;
                }
                self.external(&[], args, io)
            }
            None => Ok(0),
        }
    }

    fn read(&mut self, args: &[String], io: &mut Io) -> i32 {
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if io.stdin.is_empty() {
            for name in &names {
                self.assign(name, "");
            }
            return 1;
        }
        let (line, rest) = match io.stdin.split_once('\n') {
            Some((line, rest)) => (line.to_string(), rest.to_string()),
            None => (io.stdin.clone(), String::new()),
        };
        io.stdin = rest;
        let mut words: Vec<&str> = line.split_whitespace().collect();
        let names = if names.is_empty() { vec![] } else { names };
        if names.is_empty() {
            self.assign("REPLY", &line);
            return 0;
        }
        for (index, name) in names.iter().enumerate() {
            if index + 1 == names.len() {
                let value = words.join(" ");
                self.assign(name, &value);
                words.clear();
            } else if words.is_empty() {
                self.assign(name, "");
            } else {
                let word = words.remove(0);
                self.assign(name, word);
            }
        }
        0
    }
}

/// A signal operand of `trap` (`TERM`, `SIGTERM`, `term`, `15`, `0`/`EXIT`) as its bare name.
fn signal_name(text: &str) -> Option<&'static str> {
    const SIGNALS: &[(&str, &str)] = &[
        ("0", "EXIT"), ("1", "HUP"), ("2", "INT"), ("3", "QUIT"), ("6", "ABRT"), ("9", "KILL"), ("10", "USR1"),
        ("12", "USR2"), ("13", "PIPE"), ("14", "ALRM"), ("15", "TERM"), ("17", "CHLD"), ("18", "CONT"),
        ("19", "STOP"), ("20", "TSTP"), ("28", "WINCH"),
    ];
    let upper = text.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    SIGNALS.iter().find(|(number, name)| *number == bare || *name == bare).map(|(_, name)| *name)
}

/// `trap` listing quotes every action, even a plain word.
fn trace_quote_always(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
