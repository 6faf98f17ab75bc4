//! The programs inside simulated images: what each executable prints, changes and how it exits.
//! A program runs against a container's file tree through [`Process`]; `RUN` steps of a build and
//! commands in containers both come through [`exec`].
//!
//! Which program a file is comes from its blob label (`"coreutils cat"`, `"cpython 3.12.3 …"`,
//! `"Alpine319 busybox"` + the applet name it was called by); text files starting with `#!` run
//! their interpreter. Every program gets a [`Sys`] (the process: tree, env, cwd, user, network,
//! simulated time) and an [`Io`] (stdin text in, stdout/stderr text out) and returns its status.

mod apk;
mod apt;
mod context;
mod coreutils;
mod go;
mod inside;
mod net;
mod npm;
mod packages;
mod pip;
mod python;
mod services;
mod sh;
mod sys;
pub(crate) mod tar;
mod users;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use crate::fs::{normalize, Content, FileTree, Node};
use crate::image::ImageConfig;

pub(crate) use inside::{docroot_file, host_veth_index};
pub(crate) use services::render_signal_line;
pub(crate) use sys::{Io, Sys};
pub use context::{
    ContainerContext, HttpRoute, HttpService, Listener, MemoryCurve, Namespaces, ProcessEntry, Service, SignalResponse,
    TimedLine, DEFAULT_CAPABILITIES,
};

/// What running a program did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramRun {
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
    pub exit_code: i32,
    /// Simulated run time in milliseconds (until it exited, or began serving).
    pub duration: u64,
    /// stdout and stderr lines interleaved, each with the ms into the run it was written.
    pub timed: Vec<TimedLine>,
    /// The program did not exit: it keeps running as this service, begun at `duration`.
    pub service: Option<ServiceStart>,
    /// A shell main process's `trap … TERM` action, if it set one.
    pub term_trap: Option<String>,
}

/// A program that became a long-running service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceStart {
    pub service: Service,
    /// Whether the service itself is PID 1 (exec form or `exec`), rather than a shell's child.
    pub is_pid1: bool,
    /// A shell PID 1's `trap … TERM` action, if it set one.
    pub term_trap: Option<String>,
}

/// Where the runtime looks for a bare command name when the image sets no `PATH`.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Resolves `command` against the container's files, the way `execve` with `PATH` would.
pub fn resolve_executable(command: &str, rootfs: &FileTree, config: &ImageConfig) -> Option<String> {
    let search = config.env_value("PATH").unwrap_or(DEFAULT_PATH);
    sys::resolve_in(rootfs, command, search, "/")
}

/// Everything a process can see and touch.
#[derive(Debug)]
pub struct Process<'a> {
    /// The container's root filesystem; programs change it in place.
    pub rootfs: &'a mut FileTree,
    /// `NAME=value` entries, as the kernel hands them over.
    pub env: Vec<String>,
    pub cwd: String,
    /// `""`/`root`, a user name, or `uid[:gid]`.
    pub user: String,
    /// Whether the network is reachable (`RUN --network=none` and `--network none` make it not).
    pub network: bool,
    /// Standard input, when something is piped in.
    pub stdin: Option<String>,
    /// The container around the process (`None` for a build step).
    pub container: Option<ContainerContext>,
}

impl Process<'_> {
    #[allow(dead_code)]
    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find_map(|entry| entry.strip_prefix(name)?.strip_prefix('='))
    }
}

/// Why a program could not start at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    #[error("exec: \"{0}\": executable file not found in $PATH")]
    NotFound(String),
    #[error("exec: \"{0}\": permission denied")]
    PermissionDenied(String),
    #[error("unable to find user {0}: no matching entries in passwd file")]
    UnknownUser(String),
}

/// Runs `argv` (argv[0] resolved through `PATH` unless it has a slash) in `process`, as `execve`
/// would: a missing program fails the way the runtime reports it. The file tree changes in place.
pub fn exec(argv: &[String], process: &mut Process) -> Result<ProgramRun, ExecError> {
    let Some(command) = argv.first() else {
        return Err(ExecError::NotFound(String::new()));
    };
    let mut sys = Sys::new(process.rootfs, &process.env, &process.cwd, process.network);
    if !sys.set_user(&process.user) {
        return Err(ExecError::UnknownUser(process.user.clone()));
    }
    let path_var = sys.env_var("PATH").unwrap_or(DEFAULT_PATH).to_string();
    let cwd = sys.cwd.clone();
    let path = sys::resolve_in(sys.fs, command, &path_var, &cwd).ok_or_else(|| ExecError::NotFound(command.clone()))?;
    if !sys.is_executable(&path) {
        return Err(ExecError::PermissionDenied(command.clone()));
    }
    sys.container = process.container.clone();
    let mut io = Io::with_stdin(process.stdin.clone().unwrap_or_default());
    let code = run_program(&mut sys, &mut io, &path, argv);
    let mut run = io.finish(code, sys.elapsed);
    run.term_trap = sys.term_trap.clone();
    if let Some((began, service)) = sys.service.take() {
        run.duration = began;
        run.service = Some(ServiceStart { service, is_pid1: sys.service_is_pid1, term_trap: sys.term_trap.take() });
    }
    Ok(run)
}

/// What kind of program the file at `path` is, once symlinks are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Identity {
    /// A simulated binary: its program name and the full label (versions live there).
    Binary { name: String, label: String },
    /// A `#!` script: the interpreter line's words.
    Script { interpreter: Vec<String> },
    /// A text file without `#!`: `sh` runs it as a shell script (ENOEXEC fallback).
    Text,
}

/// Names whose first label word is a package holding many programs (`coreutils cat`).
const MULTI_CALL: &[&str] = &["coreutils", "debian", "passwd", "procps", "findutils", "util-linux"];

pub(crate) fn identify(fs: &FileTree, path: &str) -> Identity {
    let invoked = crate::fs::file_name(path).to_string();
    let mut current = path.to_string();
    for _ in 0..40 {
        match fs.get(&current) {
            Some(Node::Symlink { target, .. }) => current = normalize(target, crate::fs::parent(&current)),
            Some(Node::File { content: Content::Blob { label }, .. }) => {
                let words: Vec<&str> = label.split(' ').collect();
                let first = words.first().copied().unwrap_or_default();
                let name = if label.contains("busybox") {
                    invoked.clone()
                } else if MULTI_CALL.contains(&first) {
                    words.get(1).copied().unwrap_or(first).to_string()
                } else if first == "postgres" && words.len() >= 3 {
                    words.get(2).copied().unwrap_or(first).to_string()
                } else {
                    first.to_string()
                };
                return Identity::Binary { name, label: label.clone() };
            }
            Some(Node::File { content: Content::Text(text), .. }) => {
                if let Some(line) = text.strip_prefix("#!") {
                    let line = line.lines().next().unwrap_or_default();
                    return Identity::Script { interpreter: line.split_whitespace().map(str::to_string).collect() };
                }
                return Identity::Text;
            }
            _ => break,
        }
    }
    // Not in the tree (a tool the distro has that the tree does not spell out): its own name.
    let name = crate::fs::file_name(&current).to_string();
    Identity::Binary { label: name.clone(), name }
}

/// Runs the program at `path` (already resolved) with `argv` (argv[0] as the caller typed it).
/// The program's environment, cwd and user are its own: the caller gets them back unchanged.
pub(crate) fn run_program(sys: &mut Sys, io: &mut Io, path: &str, argv: &[String]) -> i32 {
    if sys.depth > 48 {
        io.err_line("whalebox: too many nested programs");
        return 126;
    }
    let saved_env = sys.env.clone();
    let saved_cwd = sys.cwd.clone();
    let saved_user = (sys.uid, sys.gid, sys.user_name.clone());
    sys.depth += 1;
    let code = dispatch(sys, io, path, argv);
    sys.depth -= 1;
    sys.env = saved_env;
    sys.cwd = saved_cwd;
    (sys.uid, sys.gid, sys.user_name) = saved_user;
    code
}

fn dispatch(sys: &mut Sys, io: &mut Io, path: &str, argv: &[String]) -> i32 {
    let args = argv.get(1..).unwrap_or_default();
    let (name, label) = match identify(sys.fs, path) {
        Identity::Binary { name, label } => (name, label),
        Identity::Script { interpreter } => {
            let Some((program, extra)) = interpreter.split_first() else {
                return run_shell_script(sys, io, path, argv);
            };
            let mut new_argv: Vec<String> = vec![program.clone()];
            new_argv.extend(extra.iter().cloned());
            new_argv.push(path.to_string());
            new_argv.extend(args.iter().cloned());
            // `#!/usr/bin/env python3`: env finds the interpreter on PATH.
            let resolved = if crate::fs::file_name(program) == "env" && !extra.is_empty() {
                new_argv.remove(0);
                let wanted = new_argv.first().cloned().unwrap_or_default();
                match sys.resolve(&wanted) {
                    Some(found) => found,
                    None => {
                        io.err_line(&format!("/usr/bin/env: '{wanted}': No such file or directory"));
                        return 127;
                    }
                }
            } else {
                program.clone()
            };
            if !sys.fs.exists(&resolved) {
                io.err_line(&format!("exec {path}: no such file or directory"));
                return 127;
            }
            // The kernel runs the interpreter in the same process: an `exec` in the script (an
            // entrypoint's `exec "$@"`) still replaces PID 1.
            sys.depth -= 1;
            let code = run_program(sys, io, &resolved, &new_argv);
            sys.depth += 1;
            return code;
        }
        Identity::Text => return run_shell_script(sys, io, path, argv),
    };
    let version = label.split(' ').nth(1).unwrap_or_default().to_string();
    sys.elapsed += 5;
    if let Some(code) = services::main(sys, io, &name, &label, argv) {
        return code;
    }
    if let Some(code) = inside::main(sys, io, &name, argv) {
        return code;
    }
    match name.as_str() {
        "hello-world" => {
            io.out.push_str(HELLO_GREETING);
            sys.elapsed += 95;
            0
        }
        "dash" => sh::main(sys, io, argv, sh::Flavour::Dash),
        "bash" => sh::main(sys, io, argv, sh::Flavour::Bash),
        "sh" | "ash" if label.contains("busybox") => sh::main(sys, io, argv, sh::Flavour::Ash),
        "sh" => sh::main(sys, io, argv, if sys.os.busybox_userland() { sh::Flavour::Ash } else { sh::Flavour::Dash }),
        "busybox" => match args.first() {
            Some(applet) => {
                let applet_path = format!("/bin/{applet}");
                let mut rest = vec![applet.clone()];
                rest.extend(args.iter().skip(1).cloned());
                if applet == "sh" || applet == "ash" {
                    return sh::main(sys, io, &rest, sh::Flavour::Ash);
                }
                if applet == "tar" {
                    return tar::main(sys, io, args.get(1..).unwrap_or_default());
                }
                coreutils::main(sys, io, applet, &rest).unwrap_or_else(|| {
                    io.err_line(&format!("{applet}: applet not found"));
                    let _ = applet_path;
                    127
                })
            }
            None => {
                io.out_line("BusyBox v1.36.1 (2023-11-07 18:53:09 UTC) multi-call binary.");
                0
            }
        },
        "useradd" | "groupadd" | "adduser" | "addgroup" | "usermod" | "userdel" | "groupdel" | "deluser" | "delgroup" => {
            users::main(sys, io, &name, argv)
        }
        "apt-get" | "apt" => apt::main(sys, io, &name, args),
        "dpkg" => apt::dpkg(sys, io, args),
        "apk" | "apk-tools" => apk::main(sys, io, args),
        "cpython" | "python" | "python3" => python::main(sys, io, path, &version, args),
        "pip" | "pip3" => pip::main(sys, io, path, args),
        "node" | "nodejs" => npm::node(sys, io, &version, args),
        "npm-cli.js" | "npm" => npm::npm(sys, io, args),
        "npx-cli.js" | "npx" => npm::npx(sys, io, args),
        "go" => go::main(sys, io, &version, args),
        "node-tool" => npm::tool(sys, io, &label, args),
        "tar" => tar::main(sys, io, args),
        "curl" => net::curl(sys, io, args),
        "wget" => net::wget(sys, io, args),
        "git" => net::git(sys, io, args),
        "tini" | "dumb-init" | "gosu" | "su-exec" => wrapper(sys, io, &name, args),
        "go-binary" => {
            // A program the learner built: servers are modelled with containers, not here.
            sys.elapsed += 50;
            0
        }
        other => match coreutils::main(sys, io, other, argv) {
            Some(code) => code,
            None => {
                if args.iter().any(|a| a == "--version") {
                    let shown = if version.is_empty() { "1.0".to_string() } else { version };
                    io.out_line(&format!("{other} {shown}"));
                }
                sys.elapsed += 95;
                0
            }
        },
    }
}

/// `tini -- cmd …`, `dumb-init cmd …`, `gosu user cmd …`: run the rest as the program.
fn wrapper(sys: &mut Sys, io: &mut Io, name: &str, args: &[String]) -> i32 {
    let mut rest: Vec<String> = args.iter().skip_while(|a| a.starts_with('-')).cloned().collect();
    if matches!(name, "gosu" | "su-exec") && !rest.is_empty() {
        let user = rest.remove(0);
        if !sys.set_user(&user) {
            io.err_line(&format!("error: failed switching to \"{user}\": unable to find user {user}: no matching entries in passwd file"));
            return 1;
        }
    }
    let Some(command) = rest.first().cloned() else {
        io.err_line(&format!("{name}: no command given"));
        return 1;
    };
    match sys.resolve(&command) {
        Some(path) if matches!(name, "gosu" | "su-exec") => {
            // gosu and su-exec exec the program in their own process.
            sys.depth -= 1;
            let code = run_program(sys, io, &path, &rest);
            sys.depth += 1;
            code
        }
        Some(path) => run_program(sys, io, &path, &rest),
        None => {
            io.err_line(&format!("[FATAL tini (7)] exec {command} failed: No such file or directory"));
            127
        }
    }
}

/// A text file without `#!` run directly: the kernel refuses (ENOEXEC) and the shell that
/// called it runs it as a script; from `exec` there is no shell, so it fails.
fn run_shell_script(sys: &mut Sys, io: &mut Io, path: &str, argv: &[String]) -> i32 {
    let Some(shell) = sys.resolve("/bin/sh") else {
        io.err_line(&format!("exec {path}: exec format error"));
        return 126;
    };
    let flavour = if sys.os.busybox_userland() { sh::Flavour::Ash } else { sh::Flavour::Dash };
    let mut new_argv = vec![shell, path.to_string()];
    new_argv.extend(argv.iter().skip(1).cloned());
    sh::main(sys, io, &new_argv, flavour)
}

/// The hello-world image's message, in Whalebox's own words.
const HELLO_GREETING: &str = "
Hello from Docker!
This text was printed by a program inside a container, so Docker is doing its job.

What just happened, step by step:
 1. The docker client (the command you typed) asked the Docker daemon to run \"hello-world\".
 2. The daemon looked for the hello-world image locally and, finding none the first time,
    downloaded it from Docker Hub.
 3. The daemon created a new container from that image and started its only program,
    which wrote this message.
 4. The daemon streamed that output back to the client, which showed it in your terminal.

Something bigger to try next:
 $ docker run -it ubuntu bash

More to explore: type 'help', or open a lesson.
";
