//! The learner's host shell: runs typed or pasted text — `docker`, file commands, `echo`,
//! `history`, `sim` — with `;`/`&&`/`||`, here-documents, `$VAR`, `$(…)` and redirections.

mod expand;
mod files;
mod host;
mod host_net;
mod docker_root;
mod script;

use serde::{Deserialize, Serialize};

use crate::outcome::{Event, Outcome, Stream};
use crate::Engine;

use expand::{Environment, Redirect};
use script::{Joiner, Unit};

pub use files::{initial_home, HOME};

/// What the shell remembers between lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShellState {
    pub history: Vec<String>,
    /// `$?`: the exit status of the previous command.
    last_status: i32,
    pub cwd: String,
}

impl Default for ShellState {
    fn default() -> Self {
        ShellState { history: Vec::new(), last_status: 0, cwd: HOME.to_string() }
    }
}

const HELP: &str = "\
Whalebox host shell. Commands:
  docker ...     the Docker CLI (try: docker run hello-world, docker ps -a, docker images)
  docker --help  every docker command and global option
  ls, cd, pwd, cat, mkdir, rm, touch
                 your files on this host (build contexts live here)
  echo TEXT      print TEXT ($? is the previous command's exit status); printf FORMAT ARGS
  date           the simulated date (date +%s for seconds since 1970)
  sleep N        let N seconds of simulated time pass (containers run on meanwhile)
  ps aux, free -h, df -h, curl URL
                 this host's processes (containers' among them), memory, disk, and
                 HTTP to published ports (curl localhost:8080)
  history        commands typed so far
  sim ...        control the simulated world: time, a fresh CI runner (sim help)
  clear          clear the screen
  help           this text
Join commands with ;, && or ||; write files with > and >>, or cat > FILE <<'EOF'.
";

pub use script::is_complete;

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
            _ => None,
        }
    }

    fn substitute(&mut self, command: &str) -> String {
        let units = script::split(command).unwrap_or_default();
        let mut stdout = String::new();
        for unit in units {
            for line in run_unit(self.engine, &unit).output {
                if line.stream == Stream::Stdout {
                    stdout.push_str(&line.text);
                    stdout.push('\n');
                }
            }
        }
        stdout
    }
}

fn run_unit(engine: &mut Engine, unit: &Unit) -> Outcome {
    let command = match expand::expand(&unit.text, &mut Expander { engine }) {
        Ok(command) => command,
        Err(message) => {
            let mut outcome = Outcome::default();
            outcome.err(format!("bash: {message}"));
            return outcome.fail(2);
        }
    };
    let stdin = unit.heredoc.as_ref().map(|heredoc| {
        if heredoc.expand {
            expand_heredoc(engine, &heredoc.body)
        } else {
            heredoc.body.clone()
        }
    });
    let Some((mut name, mut args)) = command.words.split_first() else {
        return Outcome::default();
    };
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
    let think = engine.world.think_time;
    let background = crate::runtime::advance(&mut engine.world, think);
    let cwd = engine.shell.cwd.clone();
    let mut outcome = match name.as_str() {
        "docker" => crate::docker::run(&mut engine.world, &crate::docker::Invocation { cwd: cwd.clone() }, args),
        "sim" => crate::sim::run(&mut engine.world, args),
        "echo" => {
            let mut outcome = Outcome::default();
            let (newline, words) = match args.first().map(String::as_str) {
                Some("-n") => (false, &args[1..]),
                _ => (true, args),
            };
            let text = words.join(" ");
            if newline || !text.is_empty() {
                outcome.out(text);
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
        "mkdir" => files::mkdir(engine.world.host_files_mut(), &cwd, args),
        "rm" => files::rm(engine.world.host_files_mut(), &cwd, args),
        "touch" => files::touch(engine.world.host_files_mut(), &cwd, args),
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
    };
    apply_redirects(engine, &cwd, &command.redirects, &mut outcome);
    let mut events = background;
    events.append(&mut outcome.events);
    outcome.events = events;
    outcome
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
    // Output is kept as lines, so text without a final newline still ends one.
    outcome.out_block(&text);
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

/// Sends output to files as `>`, `>>`, `2>` and `2>&1` ask, leaving the rest on the terminal.
fn apply_redirects(engine: &mut Engine, cwd: &str, redirects: &[Redirect], outcome: &mut Outcome) {
    if redirects.is_empty() {
        return;
    }
    let merge_stderr = redirects.contains(&Redirect::StderrToStdout);
    let stdout_target = redirects.iter().rev().find_map(|r| match r {
        Redirect::Stdout { path, append } => Some((path.clone(), *append)),
        _ => None,
    });
    let stderr_target = redirects.iter().rev().find_map(|r| match r {
        Redirect::Stderr { path, append } => Some((path.clone(), *append)),
        _ => None,
    });
    let mut kept = Vec::new();
    let (mut to_stdout_file, mut to_stderr_file) = (String::new(), String::new());
    for line in std::mem::take(&mut outcome.output) {
        let goes_to_stdout = line.stream == Stream::Stdout || (merge_stderr && stderr_target.is_none());
        if goes_to_stdout && stdout_target.is_some() {
            to_stdout_file.push_str(&line.text);
            to_stdout_file.push('\n');
        } else if line.stream == Stream::Stderr && stderr_target.is_some() {
            to_stderr_file.push_str(&line.text);
            to_stderr_file.push('\n');
        } else {
            kept.push(line);
        }
    }
    outcome.output = kept;
    for (target, text) in [(stdout_target, to_stdout_file), (stderr_target, to_stderr_file)] {
        if let Some((path, append)) = target {
            if let Err(message) = files::write(engine.world.host_files_mut(), cwd, &path, &text, append) {
                outcome.err(message);
                outcome.exit_code = 1;
            }
        }
    }
}
