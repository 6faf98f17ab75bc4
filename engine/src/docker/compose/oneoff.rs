//! Services as `docker run` options (the one path every compose container is created by), and
//! the commands that run something in a service: `exec` and `run`.

use super::progress::Progress;
use super::up::{existing, image_name, Recreate};
use super::{failure, Context, Parsed, LABEL_NUMBER, LABEL_ONEOFF, LABEL_PROJECT, LABEL_SERVICE};
use crate::compose::model::{Project, Service};
use crate::outcome::Outcome;
use crate::world::World;

/// The `docker run` words for one container of `service` (image and command last).
pub(super) fn run_words(context: &Context, project: &Project, service: &Service, name: &str, number: u64, oneoff: bool) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    add(&mut words, "--name", name.to_string());
    let labels = [
        (LABEL_PROJECT, project.name.clone()),
        (LABEL_SERVICE, service.name.clone()),
        (LABEL_NUMBER, number.to_string()),
        (LABEL_ONEOFF, if oneoff { "True".into() } else { "False".into() }),
        ("com.docker.compose.project.working_dir", project.working_dir.clone()),
        ("com.docker.compose.project.config_files", context_files(context)),
        ("com.docker.compose.depends_on", depends_label(service)),
        ("com.docker.compose.image", String::new()),
        ("com.docker.compose.version", super::VERSION.into()),
    ];
    for (key, value) in labels {
        add(&mut words, "--label", format!("{key}={value}"));
    }
    for (key, value) in &service.labels {
        add(&mut words, "--label", format!("{key}={value}"));
    }
    match (&service.network_mode, service.networks.iter().next()) {
        (Some(mode), _) => add(&mut words, "--network", mode.clone()),
        (None, Some((key, spec))) => {
            let network = project.networks.get(key).map_or(key.clone(), |n| n.name.clone());
            add(&mut words, "--network", network);
            if !oneoff {
                add(&mut words, "--network-alias", service.name.clone());
            }
            for alias in &spec.aliases {
                add(&mut words, "--network-alias", alias.clone());
            }
        }
        (None, None) => {}
    }
    for (key, value) in &service.environment {
        if let Some(value) = value {
            add(&mut words, "-e", format!("{key}={value}"));
        }
    }
    if !oneoff {
        for port in &service.ports {
            add(&mut words, "-p", port.publish_flag());
        }
    }
    for port in &service.expose {
        add(&mut words, "--expose", port.clone());
    }
    for mount in &service.volumes {
        let ro = if mount.read_only { ":ro" } else { "" };
        match (mount.kind.as_str(), &mount.source) {
            ("tmpfs", _) => add(&mut words, "--tmpfs", mount.target.clone()),
            ("volume", Some(source)) => {
                let engine_name = project.volumes.get(source).map_or(source.clone(), |v| v.name.clone());
                add(&mut words, "-v", format!("{engine_name}:{}{ro}", mount.target));
            }
            (_, Some(source)) => add(&mut words, "-v", format!("{source}:{}{ro}", mount.target)),
            (_, None) => add(&mut words, "-v", mount.target.clone()),
        }
    }
    for (kind, items) in [("secrets", &service.secrets), ("configs", &service.configs)] {
        for (source, target) in items {
            let objects = if kind == "secrets" { &project.secrets } else { &project.configs };
            if let Some(file) = objects.get(source).and_then(|o| o.file.clone()) {
                add(&mut words, "-v", format!("{file}:{target}:ro"));
            }
        }
    }
    if let Some(health) = &service.healthcheck {
        if health.disable || health.test.first().is_some_and(|t| t == "NONE") {
            words.push("--no-healthcheck".into());
        } else {
            let command = match health.test.split_first() {
                Some((kind, rest)) if kind == "CMD-SHELL" => rest.join(" "),
                Some((kind, rest)) if kind == "CMD" => rest.join(" "),
                _ => health.test.join(" "),
            };
            if !command.is_empty() {
                add(&mut words, "--health-cmd", command);
            }
            for (name, value) in [("--health-interval", health.interval), ("--health-timeout", health.timeout), ("--health-start-period", health.start_period)] {
                if let Some(ms) = value {
                    add(&mut words, name, format!("{ms}ms"));
                }
            }
            if let Some(retries) = health.retries {
                add(&mut words, "--health-retries", retries.to_string());
            }
        }
    }
    if let (Some(restart), false) = (&service.restart, oneoff) {
        add(&mut words, "--restart", restart.clone());
    }
    if let Some(memory) = service.mem_limit {
        add(&mut words, "--memory", memory.to_string());
    }
    if let Some(memory) = service.mem_reservation {
        add(&mut words, "--memory-reservation", memory.to_string());
    }
    if let Some(cpus) = service.cpus {
        add(&mut words, "--cpus", cpus.to_string());
    }
    if let Some(user) = &service.user {
        add(&mut words, "--user", user.clone());
    }
    if service.read_only {
        words.push("--read-only".into());
    }
    for tmpfs in &service.tmpfs {
        add(&mut words, "--tmpfs", tmpfs.clone());
    }
    if let Some(hostname) = &service.hostname {
        add(&mut words, "--hostname", hostname.clone());
    }
    if let Some(dir) = &service.working_dir {
        add(&mut words, "--workdir", dir.clone());
    }
    if let Some(signal) = &service.stop_signal {
        add(&mut words, "--stop-signal", signal.clone());
    }
    if let Some(grace) = service.stop_grace_period {
        add(&mut words, "--stop-timeout", (grace / 1000).to_string());
    }
    if service.init {
        words.push("--init".into());
    }
    if service.tty {
        words.push("--tty".into());
    }
    if service.stdin_open {
        words.push("--interactive".into());
    }
    // `--entrypoint` takes one word: the rest of a list entrypoint goes before the command.
    let mut command = service.command.clone();
    if let Some(entrypoint) = &service.entrypoint {
        let (first, rest) = entrypoint.split_first().map_or((String::new(), Vec::new()), |(f, r)| (f.clone(), r.to_vec()));
        add(&mut words, "--entrypoint", first);
        if !rest.is_empty() {
            let mut argv = rest;
            argv.extend(command.unwrap_or_default());
            command = Some(argv);
        }
    }
    words.push("--detach".into());
    words.push(image_name(project, service));
    words.extend(command.unwrap_or_default());
    words
}

const LABEL_HASH: &str = "com.docker.compose.config-hash";

/// The sha256 of the `docker run` words (compose hashes the service definition the same way:
/// any change to it means a new container).
fn config_hash(words: &[String], image_id: &str) -> String {
    let text = format!("{}\u{0}{image_id}", words.join("\u{0}"));
    crate::ids::digest_hex(&crate::ids::sha256_digest(text.as_bytes())).to_string()
}

/// The local image ID the service would run (a rebuilt image means a new container too).
fn image_id(world: &World, project: &Project, service: &Service) -> String {
    crate::reference::Reference::parse_normalized(&image_name(project, service))
        .ok()
        .and_then(|r| world.image_by_reference(&r.with_default_tag()).map(|i| i.id.clone()))
        .unwrap_or_default()
}

fn with_hash(mut words: Vec<String>, image_id: &str) -> Vec<String> {
    let hash = config_hash(&words, image_id);
    words.insert(0, format!("{LABEL_HASH}={hash}"));
    words.insert(0, "--label".into());
    words
}

fn add(words: &mut Vec<String>, flag: &str, value: String) {
    words.push(flag.to_string());
    words.push(value);
}

fn context_files(context: &Context) -> String {
    context.files.join(",")
}

fn depends_label(service: &Service) -> String {
    service.depends_on.iter().map(|(name, dep)| format!("{name}:{}:{}", dep.condition.as_str(), dep.restart)).collect::<Vec<_>>().join(",")
}

/// Makes sure the service has its containers `<project>-<service>-<n>` (or `container_name`),
/// creating the missing ones through `docker run`'s path; returns their IDs in number order.
pub(super) fn ensure_containers(world: &mut World, context: &Context, project: &Project, service: &Service, recreate: Recreate, progress: &mut Progress) -> Result<Vec<String>, String> {
    let mut have = existing(world, &project.name, &service.name);
    let scale = service.scale();
    // Scaled down: the highest numbers go.
    let extra: Vec<(u64, String)> = have.iter().filter(|(n, _)| **n > scale).map(|(n, id)| (*n, id.clone())).collect();
    for (number, id) in extra {
        let name = world.container(&id).map(|c| c.name.clone()).unwrap_or_default();
        let started = world.now();
        let _ = crate::runtime::stop(world, &id, Some(10), None);
        world.remove_container(&id);
        have.remove(&number);
        progress.event(format!("Container {name}"), "Removed", started, world.now());
    }
    let mut ids = Vec::new();
    for number in 1..=scale {
        if let Some(id) = have.get(&number) {
            // A changed service definition (or image) replaces the container, as compose does.
            let name = world.container(id).map(|c| c.name.clone()).unwrap_or_default();
            let wanted = config_hash(&run_words(context, project, service, &name, number, false), &image_id(world, project, service));
            let current = world.container(id).and_then(|c| c.config.labels.get(LABEL_HASH).cloned());
            let keep = match recreate {
                Recreate::Always => false,
                Recreate::Never => true,
                Recreate::Diverged => current.as_deref() == Some(wanted.as_str()),
            };
            if keep {
                ids.push(id.clone());
                continue;
            }
            let started = world.now();
            let label = format!("Container {name}");
            progress.event(label.clone(), "Recreate", started, started);
            if world.container(id).is_some_and(|c| c.is_running()) {
                let timeout = world.container(id).and_then(|c| c.config.stop_timeout);
                let _ = crate::runtime::stop(world, id, timeout, None);
            }
            world.remove_container(id);
            world.record_event(id, "destroy", &[]);
            let words = with_hash(run_words(context, project, service, &name, number, false), &image_id(world, project, service));
            let new_id = create(world, context, &words).inspect_err(|_| progress.fail(label.clone(), "Error", world.now()))?;
            exact_healthcheck(world, &new_id, service);
            extra_networks(world, &new_id, project, service);
            progress.event(label, "Recreated", started, world.now());
            ids.push(new_id);
            continue;
        }
        let name = match (&service.container_name, number) {
            (Some(name), 1) => name.clone(),
            _ => format!("{}-{}-{number}", project.name, service.name),
        };
        let started = world.now();
        let label = format!("Container {name}");
        progress.event(label.clone(), "Creating", started, started);
        let words = with_hash(run_words(context, project, service, &name, number, false), &image_id(world, project, service));
        let id = create(world, context, &words).inspect_err(|_| progress.fail(label.clone(), "Error", world.now()))?;
        exact_healthcheck(world, &id, service);
        extra_networks(world, &id, project, service);
        progress.event(label, "Created", started, world.now());
        ids.push(id);
    }
    Ok(ids)
}

/// The service's networks after the first (`docker run` takes one `--network`): recorded on the
/// container so every start rejoins them, with the service name and aliases.
fn extra_networks(world: &mut World, id: &str, project: &Project, service: &Service) {
    if service.network_mode.is_some() {
        return;
    }
    let extra: Vec<(String, Vec<String>)> = service
        .networks
        .iter()
        .skip(1)
        .filter_map(|(key, spec)| {
            let network = project.networks.get(key)?;
            let mut aliases = vec![service.name.clone()];
            aliases.extend(spec.aliases.clone());
            Some((network.name.clone(), aliases))
        })
        .collect();
    if let Some(container) = world.container_mut(id) {
        container.host_config.extra_networks = extra;
    }
}

/// `--health-cmd` is always shell form; an exec-form `test: [CMD, …]` is set as written, as
/// compose sends it to the API.
fn exact_healthcheck(world: &mut World, id: &str, service: &Service) {
    let Some(test) = service.healthcheck.as_ref().map(|h| h.test.clone()).filter(|t| t.first().is_some_and(|k| k == "CMD")) else { return };
    if let Some(health) = world.container_mut(id).and_then(|c| c.config.healthcheck.as_mut()) {
        health.test = test;
    }
}

/// Creates a container from `docker run` words without starting it.
fn create(world: &mut World, context: &Context, words: &[String]) -> Result<String, String> {
    let parsed = super::super::run::SPEC.parse(words).map_err(|e| match e {
        super::super::flags::UsageError::Flag(m) | super::super::flags::UsageError::Args(m) => m,
    })?;
    let mut outcome = Outcome::default();
    super::super::run::create(world, context.invocation, &parsed, &super::super::run::SPEC, &mut outcome).map_err(|failed| {
        let text: Vec<String> = failed.output.iter().map(|l| l.text.trim_start_matches("docker: ").to_string()).filter(|t| !t.is_empty() && !t.starts_with("Run '")).collect();
        text.join("\n")
    })
}

/// The one container `exec`/`logs` means for a service (`--index`, default 1).
fn service_container(world: &World, project: &str, service: &str, index: u64) -> Option<String> {
    existing(world, project, service).get(&index).cloned()
}

/// `docker compose exec SERVICE COMMAND…`: `docker exec` in the service's container, with a
/// terminal unless `-T`.
pub(super) fn exec(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let project = &context.loaded.project;
    let Some((service, command)) = parsed.args.split_first() else { return Outcome::default() };
    if !project.services.contains_key(service) {
        return failure(format!("no such service: {service}"));
    }
    let index = parsed.value("index").and_then(|i| i.parse().ok()).unwrap_or(1);
    let Some(id) = service_container(world, &project.name, service, index) else {
        return failure(format!("service \"{service}\" is not running"));
    };
    if !world.container(&id).is_some_and(|c| c.is_running()) {
        return failure(format!("service \"{service}\" is not running"));
    }
    let mut words: Vec<String> = Vec::new();
    if !parsed.bool("no-tty") && !parsed.bool("detach") {
        words.push("-it".into());
    }
    if parsed.bool("detach") {
        words.push("-d".into());
    }
    for env in parsed.values("env") {
        words.push("-e".into());
        words.push(env.clone());
    }
    if let Some(user) = parsed.value("user") {
        words.push("-u".into());
        words.push(user.to_string());
    }
    if let Some(dir) = parsed.value("workdir") {
        words.push("-w".into());
        words.push(dir.to_string());
    }
    words.push(id);
    words.extend(command.iter().cloned());
    match super::super::exec::SPEC.parse(&words) {
        Ok(exec_parsed) => super::super::exec::run(world, context.invocation, exec_parsed),
        Err(error) => super::super::usage_error(&super::EXEC, &error),
    }
}

/// `docker compose run [--rm] SERVICE [COMMAND…]`: dependencies up first, then a one-off
/// container `<project>-<service>-run-<id>` attached like `docker run`.
pub(super) fn run(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let project = &context.loaded.project;
    let Some((service_name, command)) = parsed.args.split_first() else { return Outcome::default() };
    let Some(service) = project.services.get(service_name).cloned() else {
        return failure(format!("no such service: {service_name}"));
    };
    let mut outcome = Outcome::default();
    let deps: Vec<String> = if parsed.bool("no-deps") {
        Vec::new()
    } else {
        match super::up::selection(project, std::slice::from_ref(service_name), true) {
            Ok(all) => all.into_iter().filter(|s| s != service_name).collect(),
            Err(failed) => return failed,
        }
    };
    let mut wanted = deps.clone();
    wanted.push(service_name.clone());
    if let Err(message) = super::up::ensure_images(world, context, project, &wanted, false, &mut outcome) {
        outcome.err(message);
        return outcome.fail(1);
    }
    let mut progress = Progress::default();
    // The one-off container's own networks too, even without dependencies.
    let converged = super::up::ensure_networks(world, project, &wanted, &mut progress)
        .and_then(|()| super::up::converge(world, context, project, &deps, &mut progress, super::up::Plan { no_start: false, recreate: Recreate::Diverged }));
    progress.render(&mut outcome);
    if let Err(message) = converged {
        outcome.err(message);
        return outcome.fail(1);
    }
    let mut service = service;
    if !command.is_empty() {
        service.command = Some(command.to_vec());
    }
    if let Some(entrypoint) = parsed.value("entrypoint") {
        service.entrypoint = Some(crate::compose::shell_split(entrypoint));
    }
    for env in parsed.values("env") {
        let (key, value) = env.split_once('=').unwrap_or((env, ""));
        service.environment.insert(key.to_string(), Some(value.to_string()));
    }
    let suffix = &world.ids.hex_id()[..12];
    let name = parsed.value("name").map(str::to_string).unwrap_or_else(|| format!("{}-{}-run-{suffix}", project.name, service.name));
    let mut words = run_words(context, project, &service, &name, 1, true);
    // Attached like `docker run`, unless -d: `run_words` ends its flags with `--detach`, so the
    // image follows where it stood.
    let image = match words.iter().rposition(|w| w == "--detach") {
        Some(at) => {
            words.remove(at);
            at
        }
        None => words.len().saturating_sub(1),
    };
    let mut front: Vec<String> = Vec::new();
    if parsed.bool("rm") {
        front.push("--rm".into());
    }
    if parsed.bool("detach") {
        front.push("--detach".into());
    } else if !parsed.bool("no-TTY") && world.container(&name).is_none() {
        front.push("-it".into());
    }
    for port in parsed.values("publish") {
        front.push("-p".into());
        front.push(port.clone());
    }
    if parsed.bool("service-ports") {
        for port in &service.ports {
            front.push("-p".into());
            front.push(port.publish_flag());
        }
    }
    let mut all = words[..image].to_vec();
    all.extend(front);
    all.extend(words[image..].iter().cloned());
    // A one-off command gets no terminal in the simulator unless it is a shell.
    let shell = service.command.as_ref().and_then(|c| c.first()).is_some_and(|p| matches!(p.as_str(), "sh" | "bash" | "/bin/sh" | "/bin/bash" | "ash"));
    if !shell {
        all.retain(|w| w != "-it");
    }
    let parsed_run = match super::super::run::SPEC.parse(&all) {
        Ok(p) => p,
        Err(error) => return super::super::usage_error(&super::RUN, &error),
    };
    let ran = super::super::run::run(world, context.invocation, parsed_run);
    outcome.output.extend(ran.output);
    outcome.events.extend(ran.events);
    outcome.exit_code = ran.exit_code;
    outcome.live = ran.live;
    outcome.session = ran.session;
    outcome
}
