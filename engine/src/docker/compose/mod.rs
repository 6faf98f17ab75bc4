//! `docker compose` (Compose v2 as a CLI plugin): global flags, finding and loading the project,
//! and the subcommands — each one turns services into the same container, network and image
//! operations the plain docker commands use.

mod build_pull;
mod config;
mod down;
mod lifecycle;
pub(crate) mod logs;
mod oneoff;
mod progress;
mod ps;
mod up;
mod volumes;

use super::flags::{Args, CommandSpec, Parsed};
use super::{usage_error, Invocation};
use crate::compose::{self, Loaded};
use crate::outcome::Outcome;
use crate::runtime::container::Container;
use crate::world::World;

const COMPOSE: CommandSpec = CommandSpec { path: "docker compose", help: include_str!("../help/compose.txt"), args: Args::AtLeast(0), interspersed: false };

macro_rules! spec {
    ($name:ident, $path:literal, $file:literal, $args:expr) => {
        pub(super) const $name: CommandSpec = CommandSpec { path: $path, help: include_str!($file), args: $args, interspersed: true };
    };
}
spec!(UP, "docker compose up", "../help/compose_up.txt", Args::AtLeast(0));
spec!(DOWN, "docker compose down", "../help/compose_down.txt", Args::AtLeast(0));
spec!(PS, "docker compose ps", "../help/compose_ps.txt", Args::AtLeast(0));
spec!(LOGS, "docker compose logs", "../help/compose_logs.txt", Args::AtLeast(0));
spec!(CONFIG, "docker compose config", "../help/compose_config.txt", Args::AtLeast(0));
spec!(STOP, "docker compose stop", "../help/compose_stop.txt", Args::AtLeast(0));
spec!(START, "docker compose start", "../help/compose_start.txt", Args::AtLeast(0));
spec!(RESTART, "docker compose restart", "../help/compose_restart.txt", Args::AtLeast(0));
spec!(BUILD, "docker compose build", "../help/compose_build.txt", Args::AtLeast(0));
spec!(PULL, "docker compose pull", "../help/compose_pull.txt", Args::AtLeast(0));
spec!(LS, "docker compose ls", "../help/compose_ls.txt", Args::None);
spec!(KILL, "docker compose kill", "../help/compose_kill.txt", Args::AtLeast(0));
spec!(RM, "docker compose rm", "../help/compose_rm.txt", Args::AtLeast(0));
spec!(CREATE, "docker compose create", "../help/compose_create.txt", Args::AtLeast(0));
pub(super) const EXEC: CommandSpec =
    CommandSpec { path: "docker compose exec", help: include_str!("../help/compose_exec.txt"), args: Args::AtLeast(2), interspersed: false };
pub(super) const RUN: CommandSpec =
    CommandSpec { path: "docker compose run", help: include_str!("../help/compose_run.txt"), args: Args::AtLeast(1), interspersed: false };

/// The project a subcommand works on, with the client's global flags.
pub(super) struct Context<'a> {
    pub loaded: Loaded,
    pub invocation: &'a Invocation,
    /// The compose files, as the `config_files` label records them.
    pub files: Vec<String>,
}

type Handler = fn(&mut World, &Context, Parsed) -> Outcome;

/// Runs `docker compose` with the words after it.
pub fn run(world: &mut World, invocation: &Invocation, words: &[String]) -> Outcome {
    let global = match COMPOSE.parse(words) {
        Ok(parsed) => parsed,
        Err(error) => return usage_error(&COMPOSE, &error),
    };
    let Some((command, rest)) = global.args.split_first() else {
        return help(&COMPOSE);
    };
    if global.help {
        return help(&COMPOSE);
    }
    let (spec, handler): (&CommandSpec, Handler) = match command.as_str() {
        "up" => (&UP, up::run),
        "down" => (&DOWN, down::run),
        "ps" => (&PS, ps::run),
        "logs" => (&LOGS, logs::run),
        "config" | "convert" => (&CONFIG, config::run),
        "stop" => (&STOP, lifecycle::stop),
        "start" => (&START, lifecycle::start),
        "restart" => (&RESTART, lifecycle::restart),
        "kill" => (&KILL, lifecycle::kill),
        "rm" => (&RM, lifecycle::rm),
        "create" => (&CREATE, up::create),
        "build" => (&BUILD, build_pull::build),
        "pull" => (&PULL, build_pull::pull),
        "exec" => (&EXEC, oneoff::exec),
        "run" => (&RUN, oneoff::run),
        "ls" => {
            // The only subcommand that needs no project: it lists what runs on the host.
            return match LS.parse(rest) {
                Ok(parsed) if parsed.help => help(&LS),
                Ok(parsed) => ls_projects(world, &parsed),
                Err(error) => usage_error(&LS, &error),
            };
        }
        "version" => {
            let mut outcome = Outcome::default();
            outcome.out(format!("Docker Compose version v{VERSION}"));
            return outcome;
        }
        other if is_compose_command(other) => return super::not_simulated(&format!("compose {other}")),
        other => {
            let mut outcome = Outcome::default();
            outcome.err(format!("unknown docker command: \"compose {other}\""));
            return outcome.fail(1);
        }
    };
    let parsed = match spec.parse(rest) {
        Ok(parsed) if parsed.help => return help(spec),
        Ok(parsed) => parsed,
        Err(error) => return usage_error(spec, &error),
    };
    let (loaded, files) = match load(world, invocation, &global) {
        Ok(loaded) => loaded,
        Err(failed) => return failed,
    };
    let context = Context { loaded, invocation, files };
    let mut outcome = Outcome::default();
    // Compose warns on stderr (logrus on a terminal) before anything else.
    for warning in &context.loaded.warnings {
        outcome.err(format!("WARN[0000] {warning}"));
    }
    let rest = handler(world, &context, parsed);
    outcome.output.extend(rest.output);
    outcome.events.extend(rest.events);
    outcome.exit_code = rest.exit_code;
    outcome.live = rest.live;
    outcome.session = rest.session;
    outcome
}

fn help(spec: &CommandSpec) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.out_block(spec.help);
    outcome
}

fn is_compose_command(name: &str) -> bool {
    COMPOSE.help.lines().any(|line| line.strip_prefix("  ").and_then(|l| l.split_whitespace().next()) == Some(name) && !line.trim_start().starts_with('-'))
}

/// A compose error: its message alone on stderr, status 1.
pub(super) fn failure(message: impl Into<String>) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(message);
    outcome.fail(1)
}

/// The compose files: `-f` as given, else the first default name found from the working
/// directory upwards, plus its `compose.override.yaml` if present.
fn files(world: &World, invocation: &Invocation, global: &Parsed) -> Result<Vec<String>, Outcome> {
    let exists = |path: &str| world.host_files().read_text(path).is_ok();
    let given = global.values("file");
    if !given.is_empty() {
        let mut files = Vec::new();
        for file in given {
            let path = crate::fs::normalize(file, &invocation.cwd);
            if !exists(&path) {
                return Err(failure(format!("open {path}: no such file or directory")));
            }
            files.push(path);
        }
        return Ok(files);
    }
    let mut dir = invocation.cwd.clone();
    loop {
        if let Some(found) = compose::DEFAULT_FILES.iter().map(|f| crate::fs::normalize(f, &dir)).find(|p| exists(p)) {
            let mut files = vec![found];
            let overrides = ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yml", "docker-compose.override.yaml"];
            if let Some(over) = overrides.iter().map(|f| crate::fs::normalize(f, &dir)).find(|p| exists(p)) {
                files.push(over);
            }
            return Ok(files);
        }
        if dir == "/" {
            return Err(failure("no configuration file provided: not found"));
        }
        dir = crate::fs::parent(&dir).to_string();
    }
}

fn load(world: &World, invocation: &Invocation, global: &Parsed) -> Result<(Loaded, Vec<String>), Outcome> {
    let files = files(world, invocation, global)?;
    let options = compose::Options {
        files: files.clone(),
        project_name: global.value("project-name").map(str::to_string),
        project_directory: global.value("project-directory").map(|d| crate::fs::normalize(d, &invocation.cwd)),
        // The simulated client's environment: what the shell exports.
        env: invocation.env.iter().cloned().collect(),
        env_files: global.values("env-file").iter().map(|f| crate::fs::normalize(f, &invocation.cwd)).collect(),
        profiles: global.values("profile").to_vec(),
        skip_consistency: false,
    };
    let read = |path: &str| world.host_files().read_text(path).ok().map(str::to_string);
    let (result, warnings) = compose::load_with_warnings(&options, &read);
    result.map(|loaded| (loaded, files)).map_err(|e| {
        let mut outcome = Outcome::default();
        for warning in warnings {
            outcome.err(format!("WARN[0000] {warning}"));
        }
        outcome.err(e.0);
        outcome.fail(1)
    })
}

/// The Compose release Whalebox models (Docker Desktop/Engine 28.2 era).
pub(super) const VERSION: &str = "2.36.2";

pub(super) const LABEL_PROJECT: &str = "com.docker.compose.project";
pub(super) const LABEL_SERVICE: &str = "com.docker.compose.service";
pub(super) const LABEL_NUMBER: &str = "com.docker.compose.container-number";
pub(super) const LABEL_ONEOFF: &str = "com.docker.compose.oneoff";

/// The project's service containers (not one-off `run` ones), by service then number.
pub(super) fn containers<'w>(world: &'w World, project: &str) -> Vec<&'w Container> {
    let mut found: Vec<&Container> = world
        .containers()
        .iter()
        .filter(|c| c.config.labels.get(LABEL_PROJECT).is_some_and(|p| p == project))
        .filter(|c| c.config.labels.get(LABEL_ONEOFF).is_none_or(|o| o == "False"))
        .collect();
    found.sort_by_key(|c| (service_of(c).to_string(), number_of(c)));
    found
}

/// Every container labelled with the project, one-off ones included.
pub(super) fn all_containers<'w>(world: &'w World, project: &str) -> Vec<&'w Container> {
    world.containers().iter().filter(|c| c.config.labels.get(LABEL_PROJECT).is_some_and(|p| p == project)).collect()
}

pub(super) fn service_of(container: &Container) -> &str {
    container.config.labels.get(LABEL_SERVICE).map_or("", String::as_str)
}

pub(super) fn number_of(container: &Container) -> u64 {
    container.config.labels.get(LABEL_NUMBER).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// `docker compose ls`: projects with containers on this host.
fn ls_projects(world: &World, parsed: &Parsed) -> Outcome {
    let mut projects: std::collections::BTreeMap<String, (usize, usize, String)> = Default::default();
    for container in world.containers() {
        let Some(project) = container.config.labels.get(LABEL_PROJECT) else { continue };
        let entry = projects.entry(project.clone()).or_default();
        entry.1 += 1;
        if container.is_running() {
            entry.0 += 1;
        }
        if let Some(files) = container.config.labels.get("com.docker.compose.project.config_files") {
            entry.2 = files.clone();
        }
    }
    let mut rows = vec![vec!["NAME".to_string(), "STATUS".to_string(), "CONFIG FILES".to_string()]];
    for (name, (running, total, files)) in projects {
        if running == 0 && !parsed.bool("all") {
            continue;
        }
        let status = if running == total { format!("running({running})") } else { format!("running({running}), exited({})", total - running) };
        rows.push(vec![name, status, files]);
    }
    let mut outcome = Outcome::default();
    for line in crate::table::render(&rows) {
        outcome.out(line);
    }
    outcome
}
