//! `docker exec`: runs a new process in a running container — attached (its output and exit
//! status become the command's), detached (`-d`, it keeps running and shows in `docker top`), or
//! as an interactive shell (`-it sh`), which turns the prompt into the container's.

use super::flags::{Args, CommandSpec, Parsed};
use super::lifecycle::resolve;
use super::Invocation;
use crate::clock::MINUTE;
use crate::outcome::Outcome;
use crate::programs::{ExecError, ProcessEntry, ProgramRun};
use crate::runtime::container::Status;
use crate::runtime::{self, ExecOptions};
use crate::session::Session;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker exec", help: include_str!("help/exec.txt"), args: Args::AtLeast(2), interspersed: false };

/// An attached exec that runs longer than this is cut off there (the learner would have pressed
/// Ctrl-C long before).
const LONGEST_ATTACHED: u64 = 10 * MINUTE;

pub fn run(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((name, argv)) = parsed.args.split_first() else { return outcome };
    let mut env: Vec<String> = Vec::new();
    for file in parsed.values("env-file") {
        match env_file(world, &invocation.cwd, file) {
            Ok(entries) => env.extend(entries),
            Err(message) => {
                outcome.err(message);
                return outcome.fail(1);
            }
        }
    }
    // `-e NAME` passes the client's own variable; the simulated client has none set.
    env.extend(parsed.values("env").iter().filter(|e| e.contains('=')).cloned());
    // The CLI reads its env files, then inspects the container: "no such container" comes before
    // any state check.
    let id = match resolve(world, name) {
        Ok(id) => id,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    if let Err(message) = check_active(world, &id, name) {
        outcome.err(format!("Error response from daemon: {message}"));
        return outcome.fail(1);
    }
    let detach = parsed.bool("detach");
    let tty = parsed.bool("tty");
    let interactive = parsed.bool("interactive");
    // `-i` with a pipe or `<` in front: the process reads that text, not the terminal.
    let piped = invocation.stdin.clone().filter(|_| interactive && !detach);
    if piped.is_some() && tty {
        outcome.err("the input device is not a TTY");
        return outcome.fail(1);
    }
    let options = ExecOptions {
        user: parsed.value("user").filter(|u| !u.is_empty()).map(str::to_string),
        env,
        workdir: parsed.value("workdir").filter(|w| !w.is_empty()).map(str::to_string),
        stdin: piped.clone(),
    };
    // The daemon looks the user up when it creates the exec, before anything runs.
    if let Some(user) = &options.user {
        if !user_exists(world, &id, user) {
            outcome.err(format!("Error response from daemon: unable to find user {user}: no matching entries in passwd file"));
            return outcome.fail(1);
        }
    }
    let command = format!("{} {}", argv[0], argv[1..].join(" "));
    let exec_id = world.ids.hex_id();
    world.record_event(&id, &format!("exec_create: {command}"), &[("execID", exec_id.clone())]);
    world.record_event(&id, &format!("exec_start: {command}"), &[("execID", exec_id.clone())]);

    if let Some(message) = missing_workdir(world, &id, options.workdir.as_deref()) {
        return start_failed(outcome, detach, &message, 127);
    }

    // `-it sh`: the terminal becomes the container's shell; each line then runs as an exec.
    if interactive && argv.len() == 1 && is_shell(&argv[0]) && !detach && piped.is_none() {
        if let Err(error) = probe_executable(world, &id, &argv[0]) {
            let status = exec_failure_status(&error);
            return start_failed(outcome, detach, &oci_exec_message(&error), status);
        }
        let mut session = Session::attach(world, &id, false);
        session.shell = argv[0].clone();
        session.user = options.user.clone();
        session.env = options.env.clone();
        if let Some(dir) = &options.workdir {
            session.cwd = crate::fs::normalize(dir, "/");
        }
        outcome.session = Some(session);
        return outcome;
    }

    let run = match runtime::launch::exec(world, &id, argv, &options) {
        Ok(run) => run,
        Err(error) => {
            let status = exec_failure_status(&error);
            return start_failed(outcome, detach, &oci_exec_message(&error), status);
        }
    };

    if detach {
        // Its output goes nowhere (exec output is not part of the container's log).
        background(world, &id, argv, &options, &run);
        return outcome;
    }

    for line in timed_lines(&run) {
        // With `-t` the process has one terminal: stderr arrives on stdout.
        if line.1 && !tty {
            outcome.err(line.2);
        } else {
            outcome.out(line.2);
        }
    }
    if run.service.is_some() {
        // A process that keeps running holds the terminal until Ctrl-C. Without a TTY the CLI
        // just detaches and the process runs on in the container; with one, ^C reaches it.
        outcome.events.extend(runtime::advance(world, run.duration.min(LONGEST_ATTACHED)));
        if !tty {
            background(world, &id, argv, &options, &run);
        }
        outcome.err(format!(
            "whalebox: '{}' keeps running; back at the prompt as if you had pressed Ctrl-C{}",
            argv.join(" "),
            if tty { "" } else { " (without -t it keeps running in the container: see docker top)" }
        ));
        return outcome.fail(130);
    }
    outcome.events.extend(runtime::advance(world, run.duration.min(LONGEST_ATTACHED)));
    outcome.exit_code = run.exit_code;
    if world.container(&id).is_some() {
        world.record_event(&id, "exec_die", &[("execID", exec_id), ("exitCode", run.exit_code.to_string())]);
    }
    outcome
}

/// `getActiveContainer`: the daemon's refusals, in its order and words (moby v28.2.2
/// daemon/exec.go and daemon/errors.go: `container <id> is not running`, `Container <name> is
/// paused, unpause the container before exec` with the name as typed, `Container <id> is
/// restarting, wait until the container is running`).
fn check_active(world: &World, id: &str, typed: &str) -> Result<(), String> {
    let Some(container) = world.container(id) else { return Err(format!("No such container: {typed}")) };
    if !container.is_running() {
        return Err(format!("container {} is not running", container.id));
    }
    if container.is_paused() {
        return Err(format!("Container {typed} is paused, unpause the container before exec"));
    }
    if container.state.status == Status::Restarting || container.run.is_none() {
        return Err(format!("Container {} is restarting, wait until the container is running", container.id));
    }
    Ok(())
}

/// A failure to start the process. Attached, the daemon writes the error into the exec's output
/// stream (so it reaches stdout) and the exec's exit code is what the CLI exits with: moby's
/// `setExitCodeFromError` gives 127 for "executable file not found" / "no such file or
/// directory" and 126 for "permission denied" (daemon/errors.go, v28.2.2; the recorded oracle
/// in tests/oracle/lifecycle.log agrees: 127 and 126). Detached, the start request itself fails.
fn start_failed(mut outcome: Outcome, detach: bool, message: &str, status: i32) -> Outcome {
    if detach {
        outcome.err(format!("Error response from daemon: {message}"));
        return outcome.fail(1);
    }
    outcome.out(message);
    outcome.fail(status)
}

fn exec_failure_status(error: &ExecError) -> i32 {
    match error {
        ExecError::NotFound(_) => 127,
        ExecError::PermissionDenied(_) => 126,
        ExecError::UnknownUser(_) => 126,
    }
}

/// runc's exec error as containerd passes it on.
fn oci_exec_message(error: &ExecError) -> String {
    format!("OCI runtime exec failed: exec failed: unable to start container process: {error}: unknown")
}

/// runc refuses a working directory that does not exist.
fn missing_workdir(world: &World, id: &str, workdir: Option<&str>) -> Option<String> {
    let dir = workdir?;
    let container = world.container(id)?;
    let tree = runtime::launch::visible_tree(world, container)?;
    let path = crate::fs::normalize(dir, "/");
    if tree.is_dir(&path) {
        return None;
    }
    Some(format!(
        "OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd (\"{dir}\") set in config.json failed: no such file or directory: unknown"
    ))
}

/// Whether `program` resolves to an executable in the container (for `-it sh`, which does not
/// run anything yet).
fn probe_executable(world: &World, id: &str, program: &str) -> Result<(), ExecError> {
    let Some(container) = world.container(id) else { return Err(ExecError::NotFound(program.to_string())) };
    let Some(image) = world.image(&container.image_id) else { return Err(ExecError::NotFound(program.to_string())) };
    let Some(tree) = runtime::launch::visible_tree(world, container) else { return Err(ExecError::NotFound(program.to_string())) };
    match crate::programs::resolve_executable(program, &tree, &image.config) {
        Some(_) => Ok(()),
        None => Err(ExecError::NotFound(program.to_string())),
    }
}

/// `-u NAME` (or `NAME:GROUP`) must be in the container's `/etc/passwd`; numeric IDs always work.
fn user_exists(world: &World, id: &str, user: &str) -> bool {
    let name = user.split(':').next().unwrap_or_default();
    if name.is_empty() || name.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let Some(container) = world.container(id) else { return false };
    let Some(tree) = runtime::launch::visible_tree(world, container) else { return false };
    let Ok(passwd) = tree.read_text("/etc/passwd") else { return name == "root" };
    passwd.lines().any(|line| line.split(':').next() == Some(name))
}

fn is_shell(program: &str) -> bool {
    matches!(crate::fs::file_name(program), "sh" | "bash" | "ash" | "dash" | "zsh")
}

/// The program's output in the order it was written: (ms into the run, stderr?, text).
fn timed_lines(run: &ProgramRun) -> Vec<(u64, bool, String)> {
    if !run.timed.is_empty() {
        return run.timed.iter().map(|l| (l.at, l.stderr, l.text.clone())).collect();
    }
    let out = run.stdout.iter().map(|t| (0, false, t.clone()));
    let err = run.stderr.iter().map(|t| (0, true, t.clone()));
    out.chain(err).collect()
}

/// Registers an exec that runs on in the background (`-d`, or a server left running): a process
/// in the container's table until its end, which the runtime applies when it falls due.
fn background(world: &mut World, id: &str, argv: &[String], options: &ExecOptions, run: &ProgramRun) {
    let now = world.now();
    let ends = match &run.service {
        Some(start) => start.service.exits.map(|(after, _)| now.plus(run.duration).plus(after)),
        None => Some(now.plus(run.duration)),
    };
    if ends.is_some_and(|end| end <= now) {
        return;
    }
    let host_pid = world.allocate_pid();
    let Some(container) = world.container_mut(id) else { return };
    let default_user = if container.config.user.is_empty() { "root".to_string() } else { container.config.user.clone() };
    let Some(process_table) = container.run.as_mut() else { return };
    let pid = process_table.processes.iter().map(|p| p.pid).max().unwrap_or(1) + 1;
    let (rss, cpu_millis) = match &run.service {
        Some(start) => (start.service.memory.start, start.service.cpu_millis),
        None => (600 * 1024, 0),
    };
    process_table.processes.push(ProcessEntry {
        pid,
        host_pid,
        ppid: 0,
        user: options.user.clone().unwrap_or(default_user),
        command: argv.join(" "),
        rss,
        cpu_millis,
    });
    process_table.exec_ends.push((pid, ends));
}

/// `--env-file`: `NAME=value` lines from the learner's files; `#` comments and blank lines are
/// skipped, and a bare `NAME` would pass the client's variable (none are set here).
fn env_file(world: &World, cwd: &str, path: &str) -> Result<Vec<String>, String> {
    let full = crate::fs::normalize(path, cwd);
    let text = world.host_files().read_text(&full).map_err(|_| format!("open {path}: no such file or directory"))?;
    Ok(text
        .lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with('#') && line.contains('='))
        .map(str::to_string)
        .collect())
}
