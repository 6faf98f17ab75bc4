//! The `docker` command: global flags, subcommand dispatch and Docker's error wording.

mod api;
mod archive;
mod build;
mod compose;
mod commit;
pub(crate) mod commands;
mod container_options;
mod cp;
mod diff;
mod events;
mod exec;
mod flags;
mod lifecycle;
mod login;
mod logs;
mod scout;
mod search;
mod network;
mod swarm;
mod port;
mod stats;
mod system;
mod top;
mod update;
mod history;
mod inspect;
mod rmi;
mod tag;
mod template;
mod images;
mod imagetools;
mod info;
mod ps;
mod push;
mod pull;
mod run;
mod version;
mod volume;

use flags::{Args, CommandSpec, Parsed, UsageError};

pub use container_options::parse_ram as parse_size;
pub use container_options::parse_duration;
pub use events::{event_line, event_matches};
pub use logs::log_timestamp;
pub(crate) use compose::logs::{interrupt as compose_interrupt, render as compose_logs_render, step as compose_logs_step};
pub use pull::compressed_size;
pub use stats::stats_table;

use crate::outcome::Outcome;
use crate::world::World;

const DOCKER: CommandSpec = CommandSpec {
    path: "docker",
    help: include_str!("help/docker.txt"),
    args: Args::AtLeast(0),
    interspersed: false,
};

/// Where the docker client was invoked from.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The shell's working directory (relative build contexts and files resolve against it).
    pub cwd: String,
    /// What the shell pipes or redirects into the command (`cat dump.sql | docker exec -i db …`).
    pub stdin: Option<String>,
    /// The client's environment: what the shell exports (`HOME`, `USER`, `export TAG=1.0`) and
    /// `NAME=value` words before the command; `-e NAME` and Compose's interpolation read it.
    pub env: Vec<(String, String)>,
}

impl Invocation {
    /// A variable of the client's environment.
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

type Handler = fn(&mut World, &Invocation, Parsed) -> Outcome;

/// Runs `docker` with the words after it.
pub fn run(world: &mut World, invocation: &Invocation, words: &[String]) -> Outcome {
    let parsed = match DOCKER.parse(words) {
        Ok(parsed) => parsed,
        Err(error) => return usage_error(&DOCKER, &error),
    };
    if parsed.bool("version") {
        let mut outcome = Outcome::default();
        outcome.out(format!("Docker version {}, build {}", version::CLIENT_VERSION, version::CLIENT_COMMIT));
        return outcome;
    }
    let Some((command, rest)) = parsed.args.split_first() else {
        return help(&DOCKER);
    };
    if parsed.help {
        return help(&DOCKER);
    }
    let resolved_name = match (command.as_str(), rest.first()) {
        ("container" | "image" | "system", Some(sub)) => match sub.as_str() {
            "ls" | "list" if command == "image" => "images",
            "ls" | "list" => "ps",
            "remove" => "rm",
            other => other,
        },
        (name, _) => name,
    }
    .to_string();
    let path = api::path_event(&resolved_name, world.daemon_running());
    if world.daemon_running() {
        swarm::reconcile(world, invocation);
    }
    let mut outcome = run_command(world, invocation, command, rest, &parsed);
    // The shell passes output on, not questions: the world holds it for the next line typed.
    if let Some(mut question) = outcome.question.take() {
        question.words = words.to_vec();
        question.words.push("--force".to_string());
        question.cwd = invocation.cwd.clone();
        world.question = Some(question);
    }
    if let Some(event) = path {
        outcome.events.insert(0, event);
    }
    outcome
}

/// The daemon socket on this host; `-H`/`DOCKER_HOST` naming any other reaches no daemon here.
const LOCAL_DAEMON: &str = "unix:///var/run/docker.sock";

fn run_command(world: &mut World, invocation: &Invocation, command: &String, rest: &[String], top: &Parsed) -> Outcome {
    // `docker compose config` and `version` never talk to the daemon.
    let offline_compose = command == "compose" && rest.iter().any(|w| w == "config" || w == "version");
    let endpoint = top.value("host").or_else(|| invocation.env_var("DOCKER_HOST")).filter(|host| !host.is_empty()).unwrap_or(LOCAL_DAEMON);
    if (!world.daemon_running() || endpoint != LOCAL_DAEMON) && !offline_compose {
        let mut outcome = Outcome::default();
        if command == "version" {
            outcome.out_block(version::CLIENT_SECTION);
            outcome.out("");
        } else if command == "info" && rest.is_empty() {
            // The client describes itself before it finds no server to ask.
            outcome.out_block(info::CLIENT);
            outcome.out("");
            outcome.out("Server:");
        }
        let wanted_help = rest.iter().any(|a| a == "--help" || a == "-h");
        if !wanted_help {
            outcome.err(format!("Cannot connect to the Docker daemon at {endpoint}. Is the docker daemon running?"));
            return outcome.fail(1);
        }
    }
    let words = rest;
    // `docker container ls` is `docker ps` under its own name: its help and errors say the path typed.
    let typed = match (command.as_str(), rest.first()) {
        (group @ ("container" | "image" | "system" | "builder" | "network" | "volume" | "service" | "node" | "swarm"), Some(sub)) => {
            commands::entry(&format!("{group} {sub}"))
        }
        _ => None,
    };
    let (spec, handler, rest): (&CommandSpec, Handler, &[String]) = match (command.as_str(), rest.split_first()) {
        ("buildx", Some((sub, rest))) if sub == "build" || sub == "b" => (&build::SPEC, build::run, rest),
        ("buildx", Some((sub, rest))) if sub == "imagetools" => match rest.split_first() {
            Some((verb, rest)) if verb == "inspect" => (&imagetools::SPEC, imagetools::run, rest),
            _ => return not_simulated("buildx imagetools"),
        },
        ("buildx", None) => return unmodelled("buildx", words),
        ("compose", _) => return compose::run(world, invocation, rest),
        ("scout", _) => return scout::run(world, invocation, rest),
        ("swarm", Some((sub, rest))) => match sub.as_str() {
            "init" => (&swarm::INIT, swarm::init, rest),
            "leave" => (&swarm::LEAVE, swarm::leave, rest),
            "join-token" => (&swarm::JOIN_TOKEN, swarm::join_token, rest),
            _ => return unmodelled("swarm", words),
        },
        ("node", Some((sub, rest))) => match sub.as_str() {
            "ls" | "list" => (&swarm::NODE_LS, swarm::node_ls, rest),
            _ => return unmodelled("node", words),
        },
        ("service", Some((sub, rest))) => match sub.as_str() {
            "create" => (&swarm::CREATE, swarm::create, rest),
            "ls" | "list" => (&swarm::LS, swarm::ls, rest),
            "ps" => (&swarm::PS, swarm::ps, rest),
            "scale" => (&swarm::SCALE, swarm::scale, rest),
            "update" => (&swarm::UPDATE, swarm::update, rest),
            "rm" | "remove" => (&swarm::RM, swarm::rm, rest),
            "inspect" => (&swarm::INSPECT, swarm::inspect, rest),
            "logs" => (&swarm::LOGS, swarm::logs, rest),
            _ => return unmodelled("service", words),
        },
        // A management command alone shows its help on stderr, and that is not an error.
        ("swarm", None) => return help_on_stderr(&swarm::SWARM),
        ("node", None) => return help_on_stderr(&swarm::NODE),
        ("service", None) => return help_on_stderr(&swarm::SERVICE),
        ("network", None) => return help_on_stderr(&network::NETWORK),
        ("network", Some((sub, rest))) => match sub.as_str() {
            "ls" | "list" => (&network::LS, network::ls, rest),
            "create" => (&network::CREATE, network::create, rest),
            "rm" | "remove" => (&network::RM, network::rm, rest),
            "inspect" => (&network::INSPECT, network::inspect, rest),
            "connect" => (&network::CONNECT, network::connect, rest),
            "disconnect" => (&network::DISCONNECT, network::disconnect, rest),
            "prune" => (&network::PRUNE, network::prune, rest),
            _ => return unmodelled("network", words),
        },
        ("volume", None) => return help(&volume::GROUP),
        ("volume", Some((sub, rest))) => match sub.as_str() {
            "create" => {
                let (words, named) = volume::split_name_flag(rest);
                return match volume::CREATE.parse(&words) {
                    Ok(parsed) if parsed.help => help(&volume::CREATE),
                    Ok(parsed) if named.is_some() && !parsed.args.is_empty() => {
                        let mut outcome = Outcome::default();
                        outcome.err("conflicting options: cannot specify a volume-name through both --name and as a positional arg");
                        outcome.fail(1)
                    }
                    Ok(mut parsed) => {
                        parsed.args.extend(named);
                        volume::create(world, invocation, parsed)
                    }
                    Err(error) => usage_error(&volume::CREATE, &error),
                };
            }
            "ls" | "list" => (&volume::LS, volume::ls, rest),
            "inspect" => (&volume::INSPECT, volume::inspect, rest),
            "rm" | "remove" => (&volume::RM, volume::rm, rest),
            "prune" => (&volume::PRUNE, volume::prune, rest),
            "--help" | "-h" => return help(&volume::GROUP),
            "update" => return unmodelled("volume", words),
            other => {
                let mut outcome = Outcome::default();
                outcome.err(format!("docker: unknown command: docker volume {other}"));
                outcome.err("");
                outcome.err("Usage:  docker volume COMMAND");
                outcome.err("");
                outcome.err("Run 'docker volume --help' for more information");
                return outcome.fail(1);
            }
        },
        ("container" | "image" | "system" | "builder" | "buildx", Some((sub, rest))) => {
            match (command.as_str(), sub.as_str()) {
                ("container", "run") => (&run::SPEC, run::run, rest),
                ("container", "create") => (&run::CREATE_SPEC, run::run_create, rest),
                ("container", "start") => (&lifecycle::START, lifecycle::start, rest),
                ("container", "stop") => (&lifecycle::STOP, lifecycle::stop, rest),
                ("container", "kill") => (&lifecycle::KILL, lifecycle::kill, rest),
                ("container", "restart") => (&lifecycle::RESTART, lifecycle::restart, rest),
                ("container", "pause") => (&lifecycle::PAUSE, lifecycle::pause, rest),
                ("container", "unpause") => (&lifecycle::UNPAUSE, lifecycle::unpause, rest),
                ("container", "rm" | "remove") => (&lifecycle::RM, lifecycle::rm, rest),
                ("container", "rename") => (&lifecycle::RENAME, lifecycle::rename, rest),
                ("container", "wait") => (&lifecycle::WAIT, lifecycle::wait, rest),
                ("container", "logs") => (&logs::SPEC, logs::run, rest),
                ("container", "exec") => (&exec::SPEC, exec::run, rest),
                ("container", "top") => (&top::SPEC, top::run, rest),
                ("container", "stats") => (&stats::SPEC, stats::run, rest),
                ("container", "cp") => (&cp::SPEC, cp::run, rest),
                ("container", "diff") => (&diff::SPEC, diff::run, rest),
                ("container", "commit") => (&commit::SPEC, commit::run, rest),
                ("container", "update") => (&update::SPEC, update::run, rest),
                ("container", "port") => (&port::SPEC, port::run, rest),
                ("container", "inspect") => (&inspect::CONTAINER_SPEC, inspect::run_container, rest),
                ("container", "prune") => (&system::CONTAINER_PRUNE_SPEC, system::container_prune, rest),
                ("system", "df") => (&system::DF_SPEC, system::df, rest),
                ("system", "prune") => (&system::PRUNE_SPEC, system::prune, rest),
                ("system", "events") => (&events::SPEC, events::run, rest),
                ("container", "ls" | "list" | "ps") => (&ps::SPEC, ps::run, rest),
                ("image", "ls" | "list") => (&images::SPEC, images::run, rest),
                ("image", "pull") => (&pull::SPEC, pull::run, rest),
                ("image", "push") => (&push::SPEC, push::run, rest),
                ("builder", "prune") | ("buildx", "prune") => (&build::PRUNE_SPEC, build::prune, rest),
                ("image", "history") => (&history::SPEC, history::run, rest),
                ("image", "inspect") => (&inspect::IMAGE_SPEC, inspect::run_image, rest),
                ("image", "tag") => (&tag::SPEC, tag::run, rest),
                ("image", "rm" | "remove") => (&rmi::SPEC, rmi::run, rest),
                ("image", "prune") => (&rmi::PRUNE_SPEC, rmi::prune, rest),
                ("image", "save") => (&archive::SAVE, archive::save, rest),
                ("image", "load") => (&archive::LOAD, archive::load, rest),
                ("container", "export") => (&archive::EXPORT, archive::export, rest),
                ("image" | "builder", "build") => (&build::SPEC, build::run, rest),
                ("system", "info") => (&info::SPEC, info::run, rest),
                _ => return unmodelled(command, words),
            }
        }
        (name, _) => match name {
            "build" => (&build::SPEC, build::run, rest),
            "history" => (&history::SPEC, history::run, rest),
            "inspect" => (&inspect::SPEC, inspect::run, rest),
            "tag" => (&tag::SPEC, tag::run, rest),
            "rmi" => (&rmi::SPEC, rmi::run, rest),
            "version" => (&version::SPEC, version::run, rest),
            "info" => (&info::SPEC, info::run, rest),
            "run" => (&run::SPEC, run::run, rest),
            "create" => (&run::CREATE_SPEC, run::run_create, rest),
            "start" => (&lifecycle::START, lifecycle::start, rest),
            "stop" => (&lifecycle::STOP, lifecycle::stop, rest),
            "kill" => (&lifecycle::KILL, lifecycle::kill, rest),
            "restart" => (&lifecycle::RESTART, lifecycle::restart, rest),
            "pause" => (&lifecycle::PAUSE, lifecycle::pause, rest),
            "unpause" => (&lifecycle::UNPAUSE, lifecycle::unpause, rest),
            "rm" => (&lifecycle::RM, lifecycle::rm, rest),
            "rename" => (&lifecycle::RENAME, lifecycle::rename, rest),
            "wait" => (&lifecycle::WAIT, lifecycle::wait, rest),
            "logs" => (&logs::SPEC, logs::run, rest),
            "exec" => (&exec::SPEC, exec::run, rest),
            "top" => (&top::SPEC, top::run, rest),
            "stats" => (&stats::SPEC, stats::run, rest),
            "cp" => (&cp::SPEC, cp::run, rest),
            "diff" => (&diff::SPEC, diff::run, rest),
            "commit" => (&commit::SPEC, commit::run, rest),
            "update" => (&update::SPEC, update::run, rest),
            "port" => (&port::SPEC, port::run, rest),
            "events" => (&events::SPEC, events::run, rest),
            "ps" => (&ps::SPEC, ps::run, rest),
            "images" => (&images::SPEC, images::run, rest),
            "pull" => (&pull::SPEC, pull::run, rest),
            "push" => (&push::SPEC, push::run, rest),
            "login" => (&login::LOGIN, login::login, rest),
            "save" => (&archive::SAVE, archive::save, rest),
            "search" => (&search::SPEC, search::run, rest),
            "load" => (&archive::LOAD, archive::load, rest),
            "export" => (&archive::EXPORT, archive::export, rest),
            "logout" => (&login::LOGOUT, login::logout, rest),
            _ if is_docker_command(name) => return unmodelled(name, words),
            _ => {
                let mut outcome = Outcome::default();
                outcome.err(format!("docker: unknown command: docker {name}"));
                outcome.err("");
                outcome.err("Run 'docker --help' for more information");
                return outcome.fail(1);
            }
        },
    };
    let renamed;
    let spec = match typed {
        // `image build` is the legacy builder's help; Whalebox's `build` is BuildKit's.
        Some((path, text)) if spec.path != path && !path.ends_with(" build") => {
            renamed = CommandSpec { path, help: text, ..*spec };
            &renamed
        }
        _ => spec,
    };
    match spec.parse(rest) {
        Ok(parsed) if parsed.help => help(spec),
        Ok(parsed) => handler(world, invocation, parsed),
        Err(error) => usage_error(spec, &error),
    }
}

pub(crate) fn help(spec: &CommandSpec) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.out_block(spec.help);
    outcome
}

fn help_on_stderr(spec: &CommandSpec) -> Outcome {
    let mut outcome = Outcome::default();
    for line in spec.help.lines() {
        outcome.err(line);
    }
    outcome
}

/// Runs one docker command from inside the engine (swarm starting a task's container), without
/// the API path event or swarm's catch-up that a typed command gets.
pub(crate) fn run_command_words(world: &mut World, invocation: &Invocation, words: &[String]) -> Outcome {
    let parsed = match DOCKER.parse(&[]) {
        Ok(parsed) => parsed,
        Err(error) => return usage_error(&DOCKER, &error),
    };
    let Some((command, rest)) = words.split_first() else { return Outcome::default() };
    run_command(world, invocation, command, rest, &parsed)
}

/// Whether the real docker CLI lists `command` in its help.
fn is_docker_command(command: &str) -> bool {
    DOCKER.help.lines().any(|line| {
        line.strip_prefix("  ").and_then(|l| l.split_whitespace().next()) == Some(command)
            && !line.trim_start().starts_with('-')
    })
}

/// A command the real CLI has and Whalebox does not model: it still answers `--help`, shows a
/// management command's help when called alone, and rejects unknown flags as Docker does, then
/// says plainly that it is not modelled.
fn unmodelled(command: &str, words: &[String]) -> Outcome {
    let mut path = command.to_string();
    let mut rest = words;
    while let Some((sub, after)) = rest.split_first() {
        match commands::entry(&format!("{path} {sub}")) {
            Some((full, _)) => {
                path = full.trim_start_matches("docker ").to_string();
                rest = after;
            }
            None => break,
        }
    }
    let Some((full, text)) = commands::entry(&path) else { return not_simulated(&path) };
    let is_group = text.contains("\nCommands:\n");
    let args = if is_group { Args::AtLeast(0) } else { commands::args_of(full) };
    let spec = CommandSpec { path: full, help: text, args, interspersed: true };
    match spec.parse(rest) {
        Ok(parsed) if parsed.help => help(&spec),
        Ok(parsed) if is_group && parsed.args.is_empty() => help_on_stderr(&spec),
        // Listed by its group but without recorded help of its own (`buildx ls`).
        Ok(parsed) if is_group && commands::subcommands(&path).contains(&parsed.args[0].as_str()) => {
            not_simulated(&format!("{path} {}", parsed.args[0]))
        }
        Ok(parsed) if is_group => {
            let mut outcome = Outcome::default();
            outcome.err(format!("docker: unknown command: {full} {}", parsed.args[0]));
            outcome.err("");
            outcome.err(format!("Usage:  {full}"));
            outcome.err("");
            outcome.err(format!("Run '{full} --help' for more information"));
            outcome.fail(1)
        }
        Ok(_) => not_simulated(&path),
        Err(error) => usage_error(&spec, &error),
    }
}

/// A real docker command this version of Whalebox does not model yet; said plainly.
pub(crate) fn not_simulated(command: &str) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(format!("whalebox: 'docker {command}' is a real Docker command that this simulator does not model yet"));
    outcome.fail(1)
}

/// A flag value pflag refuses (`invalid argument "x" for "-m, --memory" flag: …`).
fn flag_value_error(spec: &CommandSpec, message: &str) -> Outcome {
    usage_error(spec, &UsageError::Flag(message.to_string()))
}

/// A grammar error, printed the way the docker CLI prints it.
pub(crate) fn usage_error(spec: &CommandSpec, error: &UsageError) -> Outcome {
    let mut outcome = Outcome::default();
    let (message, status) = match error {
        UsageError::Flag(message) => (message.clone(), 125),
        UsageError::Args(message) => (format!("docker: {message}"), 1),
    };
    outcome.err(message);
    outcome.err("");
    for (i, line) in spec.usage_line().lines().enumerate() {
        outcome.err(if i == 0 { format!("Usage:  {line}") } else { line.to_string() });
    }
    outcome.err("");
    outcome.err(spec.hint(error));
    outcome.fail(status)
}

/// An error from the daemon or client during `docker run`-like commands: Docker prefixes it with
/// `docker:` and points at the command's help.
fn command_error(outcome: &mut Outcome, spec: &CommandSpec, message: &str, status: i32) -> Outcome {
    outcome.err(format!("docker: {message}"));
    outcome.err("");
    outcome.err(format!("Run '{} --help' for more information", spec.path));
    std::mem::take(outcome).fail(status)
}
