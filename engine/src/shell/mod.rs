//! The learner's host shell: runs typed or pasted text — `docker`, file commands, `echo`,
//! `history`, `sim`, text filters — with `;`/`&&`/`||`, pipes, here-documents, `$VAR`, `$(…)`
//! and redirections.

mod expand;
mod copy;
mod files;
mod filters;
mod host;
mod host_net;
mod docker_root;
mod script;
mod test_cmd;

use std::collections::{BTreeMap, BTreeSet};
use serde::{Deserialize, Serialize};

use crate::outcome::{Event, Outcome, Stream};
use crate::Engine;

use expand::{Environment, Redirect};
use script::{Joiner, Stage, Unit};

pub use files::{initial_home, HOME};

/// What the shell remembers between lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShellState {
    pub history: Vec<String>,
    /// `$?`: the exit status of the previous command.
    last_status: i32,
    pub cwd: String,
    /// Shell variables (`NAME=value`); those in `exported` reach commands' environments.
    #[serde(default)]
    variables: BTreeMap<String, String>,
    #[serde(default)]
    exported: BTreeSet<String>,
    /// `NAME=value` words before the command now running: its environment only.
    #[serde(skip)]
    command_env: Vec<(String, String)>,
}

impl Default for ShellState {
    fn default() -> Self {
        ShellState {
            history: Vec::new(),
            last_status: 0,
            cwd: HOME.to_string(),
            variables: BTreeMap::new(),
            exported: BTreeSet::new(),
            command_env: Vec::new(),
        }
    }
}

/// A shell variable name: a letter or `_`, then letters, digits or `_`.
fn is_name(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NAME=value` as an assignment word, or `None`.
fn assignment(word: &str) -> Option<(String, String)> {
    let (name, value) = word.split_once('=')?;
    is_name(name).then(|| (name.to_string(), value.to_string()))
}

/// The environment a command gets: the login variables, the exported ones, then its own
/// `NAME=value` prefix words.
pub(crate) fn client_env(engine: &Engine) -> Vec<(String, String)> {
    let shell = &engine.shell;
    let mut env: Vec<(String, String)> = vec![
        ("HOME".into(), HOME.into()),
        ("USER".into(), "learner".into()),
        ("LOGNAME".into(), "learner".into()),
        ("SHELL".into(), "/bin/bash".into()),
        ("PWD".into(), shell.cwd.clone()),
    ];
    env.extend(shell.exported.iter().filter_map(|name| shell.variables.get(name).map(|value| (name.clone(), value.clone()))));
    env.extend(shell.command_env.iter().cloned());
    env
}

const HELP: &str = "\
Whalebox host shell. Commands:
  docker ...     the Docker CLI (try: docker run hello-world, docker ps -a, docker images)
  docker --help  every docker command and global option
  ls, cd, pwd, cat, mkdir, rm, touch, cp, mv
                 your files on this host (build contexts live here)
  test, [ ]      check files and strings ([ -f .env ] && echo found)
  edit FILE      open FILE in the editor (also nano, vi, vim, code)
  ip addr, sudo iptables -t nat -L -n
                 the host's interfaces (docker0, bridges, veths) and Docker's NAT rules
  echo TEXT      print TEXT ($? is the previous command's exit status); printf FORMAT ARGS
  date           the simulated date (date +%s for seconds since 1970)
  sleep N        let N seconds of simulated time pass (containers run on meanwhile)
  ps aux, free -h, df -h, curl URL
                 this host's processes (containers' among them), memory, disk, and
                 HTTP to published ports (curl localhost:8080)
  grep, head, tail, wc, sort, uniq, cut, tr, sed, awk, jq, column, xargs, tee, less
                 text filters, on files or in pipes (docker ps | grep web | wc -l)
  history        commands typed so far
  sim ...        control the simulated world: time, a fresh CI runner (sim help)
  clear          clear the screen
  help           this text
Join commands with ;, && or ||, pipe them with | (|& or 2>&1 to pipe stderr too);
write files with > and >>, or cat > FILE <<'EOF'.
";

pub use script::is_complete;

/// `export [NAME[=value]…]`: marks variables for commands' environments; alone, lists them as
/// bash's `declare -x` does.
fn export(engine: &mut Engine, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    if args.is_empty() || args.iter().all(|a| a == "-p") {
        for (name, value) in client_env(engine) {
            outcome.out(format!("declare -x {name}=\"{value}\""));
        }
        return outcome;
    }
    for word in args.iter().filter(|a| !a.starts_with('-')) {
        let (name, value) = match word.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (word.as_str(), None),
        };
        if !is_name(name) {
            outcome.err(format!("bash: export: `{word}': not a valid identifier"));
            outcome.exit_code = 1;
            continue;
        }
        if let Some(value) = value {
            engine.shell.variables.insert(name.to_string(), value.to_string());
        }
        engine.shell.exported.insert(name.to_string());
    }
    outcome
}

/// An editor saving the learner's file (see [`crate::Engine::write_file`]).
pub fn make_dirs(engine: &mut Engine, cwd: &str, path: &str) {
    files::make_dirs(engine.world.host_files_mut(), cwd, path);
}

pub fn write_file(engine: &mut Engine, cwd: &str, path: &str, text: &str) -> Result<(), String> {
    files::write(engine.world.host_files_mut(), cwd, path, text, false)
}

pub fn prompt(engine: &Engine) -> String {
    format!("learner@whalebox:{}$ ", files::prompt_path(&engine.shell.cwd))
}

/// Runs typed or pasted text; each command line typed is recorded in history.
pub fn run_text(engine: &mut Engine, text: &str) -> Outcome {
    let units = match script::split(text) {
        Ok(units) => units,
        Err(message) => {
            record_history(engine, text);
            let mut outcome = Outcome::default();
            outcome.err(format!("bash: {message}"));
            engine.shell.last_status = 2;
            return outcome.fail(2);
        }
    };
    if units.is_empty() {
        return Outcome { exit_code: engine.shell.last_status, ..Outcome::default() };
    }
    record_history(engine, text);
    let mut combined = Outcome::default();
    for unit in units {
        let runs = match unit.joiner {
            Joiner::Always => true,
            Joiner::IfSucceeded => engine.shell.last_status == 0,
            Joiner::IfFailed => engine.shell.last_status != 0,
        };
        if !runs {
            continue;
        }
        let mut outcome = run_unit(engine, &unit);
        engine.shell.last_status = outcome.exit_code;
        combined.output.append(&mut outcome.output);
        combined.events.append(&mut outcome.events);
        combined.exit_code = outcome.exit_code;
        // A command that keeps running, or opens a container shell, holds the terminal: what
        // follows it on the line is not run (a real shell would run it only after Ctrl-C/exit).
        if outcome.live.is_some() || outcome.session.is_some() {
            combined.live = outcome.live.take();
            combined.session = outcome.session.take();
            break;
        }
    }
    combined
}

pub(crate) fn record_history(engine: &mut Engine, text: &str) {
    // A pasted block is remembered line by line, minus here-document bodies' own lines.
    let entry = text.trim_end_matches('\n');
    if !entry.trim().is_empty() {
        engine.shell.history.push(entry.to_string());
    }
}

/// Expansion's view of the shell: variables, and `$(…)` run as a nested command.
struct Expander<'a> {
    engine: &'a mut Engine,
}

impl Environment for Expander<'_> {
    fn variable(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.engine.shell.last_status.to_string()),
            "HOME" => Some(HOME.to_string()),
            "PWD" => Some(self.engine.shell.cwd.clone()),
            "USER" | "LOGNAME" => Some("learner".into()),
            "HOSTNAME" => Some("whalebox".into()),
            "SHELL" => Some("/bin/bash".into()),
            other => self.engine.shell.variables.get(other).cloned(),
        }
    }

    fn substitute(&mut self, command: &str) -> String {
        let units = script::split(command).unwrap_or_default();
        let mut stdout = String::new();
        let mut status = 0;
        for unit in units {
            let runs = match unit.joiner {
                Joiner::Always => true,
                Joiner::IfSucceeded => status == 0,
                Joiner::IfFailed => status != 0,
            };
            if !runs {
                continue;
            }
            let outcome = run_unit(self.engine, &unit);
            status = outcome.exit_code;
            for line in outcome.output {
                if line.stream == Stream::Stdout {
                    stdout.push_str(&line.text);
                    stdout.push('\n');
                }
            }
        }
        stdout
    }
}

/// Runs one pipeline: each command's stdout (and stderr after `|&` or `2>&1`) is the next
/// one's stdin; the other stderr goes to the terminal; the status is the last command's.
fn run_unit(engine: &mut Engine, unit: &Unit) -> Outcome {
    let mut combined = Outcome::default();
    let mut stdin: Option<String> = None;
    let last = unit.stages.len().saturating_sub(1);
    for (index, stage) in unit.stages.iter().enumerate() {
        let mut outcome = run_stage(engine, stage, stdin.take(), index == 0, index == last);
        combined.events.append(&mut outcome.events);
        combined.exit_code = outcome.exit_code;
        if index == last {
            combined.output.append(&mut outcome.output);
            combined.unterminated = outcome.unterminated;
            combined.live = outcome.live.take();
            combined.session = outcome.session.take();
            break;
        }
        // A command that would keep running (`logs -f`, `stats`) passes on what it printed at
        // once; nothing later flows down a pipe in this shell, so it ends there.
        let held = outcome.live.take().is_some() || outcome.session.take().is_some();
        let mut piped = String::new();
        let mut last_piped_stdout = false;
        for line in outcome.output {
            if line.stream == Stream::Stdout || stage.pipe_stderr {
                last_piped_stdout = line.stream == Stream::Stdout;
                piped.push_str(&line.text);
                piped.push('\n');
            } else {
                combined.output.push(line);
            }
        }
        if outcome.unterminated && last_piped_stdout {
            piped.pop();
        }
        if held {
            combined.err("whalebox: a command that keeps running passes only its output so far down a pipe (no live updates)");
        }
        stdin = Some(piped);
    }
    combined
}

/// Runs one command of a pipeline with its stdin (the previous command's output, if any).
/// The first command of a pipeline lets the think time pass, once its words are expanded (so a
/// `$(date)` in it sees the clock from before).
fn run_stage(engine: &mut Engine, stage: &Stage, piped: Option<String>, first: bool, last: bool) -> Outcome {
    let mut command = match expand::expand(&stage.text, &mut Expander { engine }) {
        Ok(command) => command,
        Err(message) => {
            let mut outcome = Outcome::default();
            outcome.err(format!("bash: {message}"));
            return outcome.fail(2);
        }
    };
    let think = engine.world.think_time;
    let background = if first { crate::runtime::advance(&mut engine.world, think) } else { Vec::new() };
    let cwd = engine.shell.cwd.clone();
    let mut stdin = piped;
    if let Some(heredoc) = &stage.heredoc {
        stdin = Some(if heredoc.expand { expand_heredoc(engine, &heredoc.body) } else { heredoc.body.clone() });
    }
    for redirect in &command.redirects {
        if let Redirect::Stdin { path } = redirect {
            match read_file(engine, &cwd, path) {
                Ok(text) => stdin = Some(text),
                Err(reason) => {
                    let mut outcome = Outcome::default();
                    outcome.err(format!("bash: {path}: {reason}"));
                    return outcome.fail(1);
                }
            }
        }
    }
    // bash opens (and truncates) output files before the command runs: a bad target stops it,
    // and `ls > list.txt` sees list.txt.
    for redirect in &command.redirects {
        let target = match redirect {
            Redirect::Stdout { path, append } | Redirect::Stderr { path, append } | Redirect::Both { path, append } => Some((path, *append)),
            _ => None,
        };
        if let Some((path, append)) = target {
            if let Err(message) = files::write(engine.world.host_files_mut(), &cwd, path, "", append) {
                let mut outcome = Outcome::default();
                outcome.err(message);
                return outcome.fail(1);
            }
        }
    }
    // `ls` writes one name a line when its output is not the terminal, as GNU ls does.
    let to_terminal = last && !command.redirects.iter().any(|r| matches!(r, Redirect::Stdout { .. } | Redirect::Both { .. }));
    let ls_at = if command.words.first().is_some_and(|w| w == "sudo") { 1 } else { 0 };
    if !to_terminal && command.words.get(ls_at).is_some_and(|w| w == "ls") {
        command.words.insert(ls_at + 1, "-1".into());
    }
    // Leading `NAME=value` words: alone they set shell variables; before a command, its
    // environment only.
    let assignments = command.words.iter().map_while(|w| assignment(w)).count();
    let prefix: Vec<(String, String)> = command.words.drain(..assignments).filter_map(|w| assignment(&w)).collect();
    let mut outcome = match command.words.split_first() {
        Some((name, args)) => {
            engine.shell.command_env = prefix;
            let outcome = run_command(engine, name, args, stdin);
            engine.shell.command_env.clear();
            outcome
        }
        None => {
            engine.shell.variables.extend(prefix);
            Outcome::default()
        }
    };
    apply_redirects(engine, &cwd, &command.redirects, &mut outcome);
    outcome.events.splice(0..0, background);
    outcome
}

/// A host file's text for `<` and the filters, or why not (`No such file or directory`).
fn read_file(engine: &Engine, cwd: &str, name: &str) -> Result<String, String> {
    let path = crate::fs::normalize(&name.replacen('~', HOME, 1), cwd);
    if path == "/dev/null" {
        return Ok(String::new());
    }
    match engine.world.host_files().read_text(&path) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => Err(error.to_string().rsplit(": ").next().unwrap_or_default().to_string()),
    }
}

/// Runs one command by name: a builtin, a host program or a filter.
fn run_command(engine: &mut Engine, name: &str, args: &[String], stdin: Option<String>) -> Outcome {
    let (mut name, mut args) = (name, args);
    // The learner's host user may use sudo; the simulated host asks for no password.
    let as_root = name == "sudo";
    if as_root {
        match args.split_first() {
            Some((command, rest)) => (name, args) = (command, rest),
            None => {
                let mut outcome = Outcome::default();
                outcome.err("usage: sudo -h | -K | -k | -V");
                return outcome.fail(1);
            }
        }
    }
    let cwd = engine.shell.cwd.clone();
    match name {
        "docker" => {
            let invocation = crate::docker::Invocation { cwd: cwd.clone(), stdin: stdin.clone(), env: client_env(engine) };
            crate::docker::run(&mut engine.world, &invocation, args)
        }
        "sim" => crate::sim::run(&mut engine.world, args),
        "echo" => {
            let mut outcome = Outcome::default();
            let (newline, words) = match args.first().map(String::as_str) {
                Some("-n") => (false, &args[1..]),
                _ => (true, args),
            };
            let text = words.join(" ");
            if newline {
                outcome.out(text);
            } else {
                outcome.out_text(&text);
            }
            outcome
        }
        "printf" => printf(args),
        "help" => text_outcome(HELP),
        "history" => {
            let mut outcome = Outcome::default();
            for (number, entry) in engine.shell.history.iter().enumerate() {
                outcome.out(format!("{:>5}  {entry}", number + 1));
            }
            outcome
        }
        "clear" => {
            let mut outcome = Outcome::default();
            outcome.event(Event::ScreenCleared);
            outcome
        }
        "date" => {
            let now = engine.world.now();
            let text = if args.first().is_some_and(|a| a == "+%s") { (now.0 / 1000).to_string() } else { now.date_command() };
            text_outcome(&text)
        }
        "pwd" => text_outcome(&cwd),
        "cd" => match files::cd(engine.world.host_files(), &cwd, args) {
            Ok(dir) => {
                engine.shell.cwd = dir;
                Outcome::default()
            }
            Err(message) => {
                let mut outcome = Outcome::default();
                outcome.err(message);
                outcome.fail(1)
            }
        },
        "ls" | "cat" if docker_root::concerns(&cwd, args) => docker_root::run(&engine.world, name, &cwd, args, as_root),
        "ls" => files::ls(engine.world.host_files(), &cwd, args),
        "cat" => files::cat(engine.world.host_files(), &cwd, args, stdin.as_deref()),
        "xargs" => xargs(engine, args, stdin.as_deref().unwrap_or_default()),
        "tee" => tee(engine, &cwd, args, stdin.as_deref().unwrap_or_default()),
        _ if filters::is_filter(name) => {
            let files = |file: &str| read_file(engine, &cwd, file);
            filters::run(name, args, stdin.as_deref(), &files)
        }
        "mkdir" => files::mkdir(engine.world.host_files_mut(), &cwd, args),
        "rm" => files::rm(engine.world.host_files_mut(), &cwd, args),
        "touch" => files::touch(engine.world.host_files_mut(), &cwd, args),
        "cp" | "mv" => copy::copy_or_move(engine.world.host_files_mut(), &cwd, name, args),
        "test" | "[" => test_cmd::run(engine.world.host_files(), &cwd, name, args),
        "export" => export(engine, args),
        "unset" => {
            for name in args {
                engine.shell.variables.remove(name);
                engine.shell.exported.remove(name);
            }
            Outcome::default()
        }
        "env" | "printenv" if args.is_empty() => {
            let mut outcome = Outcome::default();
            for (name, value) in client_env(engine) {
                outcome.out(format!("{name}={value}"));
            }
            outcome
        }
        "printenv" => {
            let mut outcome = Outcome::default();
            let env = client_env(engine);
            let mut found = true;
            for name in args {
                match env.iter().rev().find(|(key, _)| key == name) {
                    Some((_, value)) => outcome.out(value.clone()),
                    None => found = false,
                }
            }
            if found { outcome } else { outcome.fail(1) }
        }
        "edit" | "nano" | "vi" | "vim" | "code" => files::edit(engine.world.host_files(), &cwd, name, args),
        "true" => Outcome::default(),
        "false" => Outcome::default().fail(1),
        "sleep" => host::sleep(&mut engine.world, args),
        "ps" => host::ps(&engine.world, args),
        "free" => host::free(&engine.world, args),
        "df" => host::df(&engine.world),
        "curl" => host::curl(&engine.world, args),
        "ip" => host_net::ip(&engine.world, args),
        "iptables" => host_net::iptables(&engine.world, args),
        other => {
            let mut outcome = Outcome::default();
            outcome.err(format!("bash: {other}: command not found"));
            outcome.fail(127)
        }
    }
}

/// `printf FORMAT [ARG…]`: `%s`, `%d`, `%%` and backslash escapes, the format reused while
/// arguments remain, as in bash.
fn printf(args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((format, mut rest)) = args.split_first().map(|(f, r)| (f.as_str(), r)) else {
        outcome.err("printf: usage: printf format [arguments]");
        return outcome.fail(2);
    };
    let mut text = String::new();
    loop {
        let mut chars = format.chars().peekable();
        let mut consumed = false;
        while let Some(c) = chars.next() {
            match (c, chars.peek().copied()) {
                ('\\', Some(next)) => {
                    chars.next();
                    text.push(match next {
                        'n' => '\n',
                        't' => '\t',
                        '\\' => '\\',
                        other => other,
                    });
                }
                ('%', Some('%')) => {
                    chars.next();
                    text.push('%');
                }
                ('%', Some('s' | 'd')) => {
                    chars.next();
                    consumed = true;
                    if let Some((first, tail)) = rest.split_first() {
                        text.push_str(first);
                        rest = tail;
                    }
                }
                (c, _) => text.push(c),
            }
        }
        if !consumed || rest.is_empty() {
            break;
        }
    }
    outcome.out_text(&text);
    outcome
}

fn text_outcome(text: &str) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.out_block(text);
    outcome
}

/// Here-document bodies with an unquoted delimiter expand variables line by line.
fn expand_heredoc(engine: &mut Engine, body: &str) -> String {
    let mut text = String::new();
    for line in body.lines() {
        // Quote the line so expansion keeps its spaces and quotes as typed.
        let quoted = format!("\"{}\"", line.replace('\\', "\\\\").replace('"', "\\\""));
        match expand::expand(&quoted, &mut Expander { engine }) {
            Ok(command) => text.push_str(&command.words.concat()),
            Err(_) => text.push_str(line),
        }
        text.push('\n');
    }
    text
}

/// Where one of a command's output streams ends up after its redirections.
#[derive(Clone, PartialEq)]
enum Sink {
    Stdout,
    Stderr,
    File(String),
}

/// Sends output where `>`, `>>`, `2>`, `2>&1`, `>&2` and `&>` say, read left to right as bash
/// does (`> f 2>&1` sends both to `f`; `2>&1 > f` sends stderr down the pipe). Lines left on a
/// stream are what the terminal — or the next command of a pipeline — gets.
fn apply_redirects(engine: &mut Engine, cwd: &str, redirects: &[Redirect], outcome: &mut Outcome) {
    if redirects.iter().all(|r| matches!(r, Redirect::Stdin { .. })) {
        return;
    }
    let (mut out, mut err) = (Sink::Stdout, Sink::Stderr);
    // Each file named, in order, with whether it was opened for appending.
    let mut opened: Vec<(String, bool)> = Vec::new();
    let mut open = |path: &str, append: bool| {
        if !opened.iter().any(|(p, _)| p == path) {
            opened.push((path.to_string(), append));
        }
        Sink::File(path.to_string())
    };
    for redirect in redirects {
        match redirect {
            Redirect::Stdout { path, append } => out = open(path, *append),
            Redirect::Stderr { path, append } => err = open(path, *append),
            Redirect::Both { path, append } => {
                out = open(path, *append);
                err = out.clone();
            }
            Redirect::StderrToStdout => err = out.clone(),
            Redirect::StdoutToStderr => out = err.clone(),
            Redirect::Stdin { .. } => {}
        }
    }
    let mut contents: Vec<String> = vec![String::new(); opened.len()];
    // Which file took the last line, and whether that line was stdout's (it may lack a newline).
    let mut last_file: Option<(usize, bool)> = None;
    for mut line in std::mem::take(&mut outcome.output) {
        let from_stdout = line.stream == Stream::Stdout;
        let sink = if from_stdout { &out } else { &err };
        match sink {
            Sink::Stdout => {
                line.stream = Stream::Stdout;
                outcome.output.push(line);
            }
            Sink::Stderr => {
                line.stream = Stream::Stderr;
                outcome.output.push(line);
            }
            Sink::File(path) => {
                if let Some(index) = opened.iter().position(|(p, _)| p == path) {
                    contents[index].push_str(&line.text);
                    contents[index].push('\n');
                    last_file = Some((index, from_stdout));
                }
            }
        }
    }
    if outcome.unterminated && out != Sink::Stdout {
        if let Some((index, true)) = last_file {
            contents[index].pop();
        }
        outcome.unterminated = false;
    }
    for ((path, append), text) in opened.into_iter().zip(contents) {
        if let Err(message) = files::write(engine.world.host_files_mut(), cwd, &path, &text, append) {
            outcome.err(message);
            outcome.exit_code = 1;
        }
    }
}

/// `xargs [-r] [-n N] [-I REPLACE] [COMMAND [ARG…]]`: runs COMMAND (default `echo`) with the
/// words read from stdin appended; `-r` skips it when there are none; `-I {}` runs it once per
/// input line with `{}` replaced by the line.
fn xargs(engine: &mut Engine, args: &[String], stdin: &str) -> Outcome {
    let mut no_empty = false;
    let mut per_call: Option<usize> = None;
    let mut replace: Option<String> = None;
    let mut rest = args;
    while let Some((flag, tail)) = rest.split_first() {
        match flag.as_str() {
            "-r" | "--no-run-if-empty" => no_empty = true,
            "-n" => {
                let Some((value, tail)) = tail.split_first() else {
                    return usage_error("xargs: option requires an argument -- 'n'", XARGS_USAGE, 1);
                };
                match value.parse::<usize>() {
                    Ok(n) if n > 0 => per_call = Some(n),
                    _ => return usage_error(&format!("xargs: invalid number \"{value}\" for -n option"), XARGS_USAGE, 1),
                }
                rest = tail;
                continue;
            }
            "-I" => {
                let Some((value, tail)) = tail.split_first() else {
                    return usage_error("xargs: option requires an argument -- 'I'", XARGS_USAGE, 1);
                };
                replace = Some(value.clone());
                rest = tail;
                continue;
            }
            "--" => {
                rest = tail;
                break;
            }
            other if other.starts_with('-') && other.len() > 1 => {
                return usage_error(&format!("xargs: invalid option -- '{}'", other.trim_start_matches('-')), XARGS_USAGE, 1)
            }
            _ => break,
        }
        rest = tail;
    }
    let (name, fixed) = match rest.split_first() {
        Some((name, fixed)) => (name.clone(), fixed.to_vec()),
        None => ("echo".to_string(), Vec::new()),
    };
    let words: Vec<String> = stdin.split_whitespace().map(str::to_string).collect();
    let mut combined = Outcome::default();
    if words.is_empty() && no_empty {
        return combined;
    }
    let calls: Vec<Vec<String>> = match (&replace, per_call) {
        // -I reads whole lines (blank ones skipped) and implies -r.
        (Some(marker), _) => stdin
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| fixed.iter().map(|arg| arg.replace(marker.as_str(), line)).collect())
            .collect(),
        (None, Some(n)) if !words.is_empty() => words.chunks(n).map(|batch| [fixed.clone(), batch.to_vec()].concat()).collect(),
        (None, _) => vec![[fixed.clone(), words.clone()].concat()],
    };
    for call in calls {
        let mut outcome = run_command(engine, &name, &call, None);
        combined.output.append(&mut outcome.output);
        combined.events.append(&mut outcome.events);
        // Like GNU xargs: 123 if any call failed with 1–125, 127 if the command is missing.
        combined.exit_code = match outcome.exit_code {
            0 => combined.exit_code,
            127 => return combined.fail(127),
            126 => return combined.fail(126),
            _ => 123,
        };
        if outcome.live.is_some() {
            combined.err("whalebox: xargs runs each command for its output so far (no live updates)");
        }
    }
    combined
}

const XARGS_USAGE: &str = "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\nTry 'xargs --help' for more information.";

/// `tee [-a] FILE…`: copies stdin to stdout and to each file.
fn tee(engine: &mut Engine, cwd: &str, args: &[String], stdin: &str) -> Outcome {
    let append = args.iter().any(|a| a == "-a" || a == "--append");
    if let Some(bad) = args.iter().find(|a| a.starts_with('-') && a.len() > 1 && !matches!(a.as_str(), "-a" | "--append" | "-i" | "-p")) {
        let letter = bad.trim_start_matches('-').chars().next().unwrap_or('-');
        return usage_error(&format!("tee: invalid option -- '{letter}'"), "Try 'tee --help' for more information.", 1);
    }
    let mut outcome = Outcome::default();
    outcome.out_text(stdin);
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        if let Err(message) = files::write(engine.world.host_files_mut(), cwd, file, stdin, append) {
            outcome.err(message.replacen("bash: ", "tee: ", 1));
            outcome.exit_code = 1;
        }
    }
    outcome
}

/// An error line, then the usage hint, with `status`.
fn usage_error(message: &str, usage: &str, status: i32) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(message);
    for line in usage.lines() {
        outcome.err(line);
    }
    outcome.fail(status)
}
