//! `docker run` and `docker create`: pull if needed, create the container from the flags, and
//! (for `run`) start it — attached, detached, or as an interactive `-it` shell.

use super::container_options::{self, ContainerSpec};
use super::flags::{Args, CommandSpec, Parsed};
use super::pull::pull;
use super::{command_error, Invocation};
use crate::clock::{MINUTE, SECOND};
use crate::live::LiveView;
use crate::outcome::{Event, Outcome};
use crate::reference::Reference;
use crate::runtime::{self, container::Container};
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker run",
    help: include_str!("help/run.txt"),
    args: Args::AtLeast(1),
    interspersed: false,
};

pub const CREATE_SPEC: CommandSpec = CommandSpec {
    path: "docker create",
    help: include_str!("help/create.txt"),
    args: Args::AtLeast(1),
    interspersed: false,
};

/// An attached run whose program ends within this much simulated time just jumps there;
/// longer-running ones become a live view the learner ends with Ctrl-C.
const ATTACHED_JUMP: u64 = 10 * MINUTE;

pub fn run(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let id = match create(world, invocation, &parsed, &SPEC, &mut outcome) {
        Ok(id) => id,
        Err(failed) => return failed,
    };
    let detached = parsed.bool("detach");
    // The CLI prints a detached container's ID as soon as it is created, before it starts.
    if detached {
        outcome.out(id.clone());
    }
    match runtime::start(world, &id) {
        Ok(events) => outcome.events.extend(events),
        Err(failure) => {
            if parsed.bool("rm") {
                world.remove_container(&id);
            }
            return command_error(&mut outcome, &SPEC, &format!("Error response from daemon: {}", failure.message), failure.status);
        }
    }
    if detached {
        return outcome;
    }
    let Some(container) = world.container(&id) else {
        return outcome;
    };
    let Some(run) = container.run.as_ref() else {
        return outcome;
    };
    if run.interactive {
        outcome.session = Some(crate::session::Session::attach(world, &id, true));
        return outcome;
    }
    let started = run.started_at;
    match run.exit {
        Some((end, _, _)) if end.since(world.now()) <= ATTACHED_JUMP => {
            // Keep an `--rm` container until its output is printed.
            let auto_remove = container.host_config.auto_remove;
            if let Some(c) = world.container_mut(&id) {
                c.host_config.auto_remove = false;
            }
            let events = runtime::advance_to(world, end);
            outcome.events.extend(events);
            print_logs_since(world, &id, started, &mut outcome);
            let Some(container) = world.container_mut(&id) else { return outcome };
            container.host_config.auto_remove = auto_remove;
            outcome.exit_code = container.state.exit_code;
            if auto_remove && container.run.is_none() && container.restart_at.is_none() {
                world.remove_container(&id);
                world.record_event(&id, "destroy", &[]);
            }
            outcome
        }
        _ => {
            // A server in the foreground: its log streams until Ctrl-C.
            let now = world.now();
            print_logs_since(world, &id, started, &mut outcome);
            outcome.live = Some(LiveView::Logs { container: id, shown_until: now, timestamps: false, attached: true, interrupted: false });
            outcome
        }
    }
}

fn print_logs_since(world: &World, id: &str, since: crate::clock::SimTime, outcome: &mut Outcome) {
    let now = world.now();
    let Some(container) = world.container(id) else { return };
    for entry in container.logs.iter().filter(|e| e.time >= since && e.time <= now) {
        if entry.stderr {
            outcome.err(entry.text.clone());
        } else {
            outcome.out(entry.text.clone());
        }
    }
}

pub fn run_create(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    match create(world, invocation, &parsed, &CREATE_SPEC, &mut outcome) {
        Ok(id) => {
            outcome.out(id);
            outcome
        }
        Err(failed) => failed,
    }
}

/// Creates the container `parsed` describes; pull progress goes to stderr. Returns its ID, or
/// the finished failing outcome.
pub(crate) fn create(world: &mut World, invocation: &Invocation, parsed: &Parsed, spec: &CommandSpec, outcome: &mut Outcome) -> Result<String, Outcome> {
    let Some((image_text, command)) = parsed.args.split_first() else {
        return Err(command_error(outcome, spec, &format!("'{}' requires at least 1 argument", spec.path), 1));
    };
    let container_spec = match container_options::spec(world, invocation, parsed, command) {
        Ok(spec) => spec,
        Err(refused) if refused.usage => return Err(super::flag_value_error(spec, &refused.message)),
        Err(refused) => return Err(command_error(outcome, spec, &refused.message, refused.status)),
    };
    let reference = match Reference::parse_normalized(image_text) {
        Ok(reference) => reference.with_default_tag(),
        Err(error) => return Err(command_error(outcome, spec, &error.to_string(), 125)),
    };
    if let Some(name) = &container_spec.name {
        if let Err(message) = check_name(world, name) {
            return Err(command_error(outcome, spec, &message, 125));
        }
    }
    let mode = container_spec.host_config.network_mode.as_str();
    if !mode.starts_with("container:") && world.find_network(mode).is_none() {
        return Err(command_error(outcome, spec, &format!("Error response from daemon: network {mode} not found"), 125));
    }
    // Swarm's overlay networks take only its tasks, unless created `--attachable`.
    let swarm_task = container_spec.config.labels.contains_key("com.docker.swarm.task.id");
    if let Some(network) = world.find_network(mode).filter(|n| n.driver == "overlay" && !n.attachable && !swarm_task) {
        let name = network.name.clone();
        return Err(command_error(
            outcome,
            spec,
            &format!("Error response from daemon: Could not attach to network {name}: rpc error: code = PermissionDenied desc = network {name} not manually attachable"),
            125,
        ));
    }
    let pull_policy = parsed.value("pull").unwrap_or("missing");
    if !matches!(pull_policy, "missing" | "always" | "never") {
        return Err(command_error(outcome, spec, &format!("invalid pull option: '{pull_policy}': must be one of \"always\", \"missing\" or \"never\""), 125));
    }
    let local = if reference.digest.is_some() { world.find_image(image_text).map(|i| i.id.clone()) } else { world.image_by_reference(&reference).map(|i| i.id.clone()) };
    let image_id = match local {
        Some(id) if pull_policy != "always" => id,
        _ if pull_policy == "never" => {
            return Err(command_error(outcome, spec, &format!("Error response from daemon: No such image: {}", reference.familiar()), 125));
        }
        _ => {
            if pull_policy != "always" {
                outcome.err(format!("Unable to find image '{}' locally", reference.familiar()));
            }
            let mut progress = Outcome::default();
            let pulled = pull(world, &reference, parsed.value("platform"), &mut progress);
            for line in progress.output {
                outcome.err(line.text);
            }
            outcome.events.append(&mut progress.events);
            match pulled {
                Ok(id) => id,
                Err(message) => return Err(command_error(outcome, spec, &message, 125)),
            }
        }
    };
    let Some(image) = world.image(&image_id).cloned() else {
        return Err(command_error(outcome, spec, "Error response from daemon: No such image", 125));
    };
    let ContainerSpec { mut config, host_config, name } = container_spec;
    // `--entrypoint` replaces the image's entrypoint and drops its CMD.
    let entrypoint = config.entrypoint.clone().unwrap_or_else(|| image.config.entrypoint.clone().unwrap_or_default());
    let cmd = match (&config.cmd, &config.entrypoint) {
        (Some(cmd), _) => cmd.clone(),
        (None, Some(_)) => Vec::new(),
        (None, None) => image.config.cmd.clone().unwrap_or_default(),
    };
    let mut argv = entrypoint;
    argv.extend(cmd);
    let Some((path, args)) = argv.split_first() else {
        return Err(command_error(outcome, spec, "Error response from daemon: no command specified", 125));
    };
    let host_settings = &host_config;
    if host_settings.network_mode == "host" && (!host_settings.port_bindings.is_empty() || host_settings.publish_all_ports) {
        outcome.err("WARNING: Published ports are discarded when using host network mode");
    }
    if image.config.architecture != "amd64" && parsed.value("platform").is_none() {
        outcome.err(format!(
            "WARNING: The requested image's platform (linux/{}) does not match the detected host platform (linux/amd64/v3) and no specific platform was requested",
            if image.config.architecture == "arm64" { "arm64/v8" } else { image.config.architecture.as_str() }
        ));
    }
    let id = world.ids.hex_id();
    let name = name.unwrap_or_else(|| world.unique_container_name());
    if config.hostname.is_empty() {
        config.hostname = crate::ids::short_id(&id).to_string();
    }
    let created = world.clock.now();
    let namespaces = {
        let mut ns = world.allocate_namespaces();
        let host = crate::programs::Namespaces::HOST;
        if host_config.pid_mode == "host" {
            ns.pid = host.pid;
        }
        if host_config.network_mode == "host" {
            ns.net = host.net;
        }
        if host_config.ipc_mode == "host" {
            ns.ipc = host.ipc;
        }
        if host_config.uts_mode == "host" {
            ns.uts = host.uts;
        }
        ns
    };
    let container = Container {
        id: id.clone(),
        name: name.clone(),
        image: image_text.clone(),
        image_id: image.id.clone(),
        created,
        path: path.clone(),
        args: args.to_vec(),
        config,
        host_config,
        state: runtime::container::State::default(),
        restart_count: 0,
        restart_backoff: 0,
        restart_at: None,
        manually_stopped: false,
        upper: crate::fs::LayerDiff::default(),
        logs: Vec::new(),
        run: None,
        namespaces,
        published: Vec::new(),
        mounts: Vec::new(),
    };
    world.add_container(container);
    if let Err(message) = runtime::mounts::resolve(world, &id) {
        world.remove_container(&id);
        return Err(command_error(outcome, spec, &format!("Error response from daemon: {message}"), 125));
    }
    world.record_event(&id, "create", &[]);
    outcome.event(Event::ContainerCreated { id: id.clone(), name, image: image_text.clone() });
    outcome.events.extend(runtime::advance(world, SECOND / 20));
    Ok(id)
}

/// Docker's rules for `--name`: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, unique on the host.
pub(crate) fn check_name(world: &World, name: &str) -> Result<(), String> {
    let bare = name.strip_prefix('/').unwrap_or(name);
    let bytes = bare.as_bytes();
    let valid = bytes.len() >= 2
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if !valid {
        return Err(format!(
            "Error response from daemon: Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        ));
    }
    if let Some(existing) = world.containers().iter().find(|c| c.name == bare) {
        return Err(format!(
            "Error response from daemon: Conflict. The container name \"/{bare}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
            existing.id
        ));
    }
    Ok(())
}
