//! `docker compose up`: networks, then each service's containers created through `docker run`'s
//! own path and started in `depends_on` order, waiting for `service_healthy` and
//! `service_completed_successfully` dependencies as Compose does.

use std::collections::BTreeMap;

use super::progress::Progress;
use super::{containers, failure, number_of, service_of, Context, Parsed};
use crate::clock::SECOND;
use crate::compose::model::{Condition, Project, Service};
use crate::outcome::Outcome;
use crate::runtime;
use crate::world::World;

/// How long `up` waits for a dependency's health or exit before giving up.
const WAIT_LIMIT: u64 = 10 * crate::clock::MINUTE;

pub(super) fn run(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    up(world, context, parsed, false)
}

/// `docker compose create`: `up` without starting anything.
pub(super) fn create(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    up(world, context, parsed, true)
}

fn up(world: &mut World, context: &Context, parsed: Parsed, create_only: bool) -> Outcome {
    let mut project = context.loaded.project.clone();
    // A service named on the command line runs even if its profile is not active.
    for name in &parsed.args {
        if let Some(service) = project.disabled.remove(name) {
            project.services.insert(name.clone(), service);
        }
    }
    for scale in parsed.values("scale") {
        let Some((name, count)) = scale.split_once('=') else {
            return failure(format!("invalid --scale option {scale:?}. Should be SERVICE=NUM"));
        };
        let Some(service) = project.services.get_mut(name) else { return failure(format!("no such service: {name}")) };
        match count.parse() {
            Ok(n) => {
                service.replicas = Some(n);
                service.replicas_from = Some("scale");
            }
            Err(_) => return failure(format!("invalid --scale option {scale:?}. Should be SERVICE=NUM")),
        }
        if service.scale() > 1 && service.container_name.is_some() {
            return failure(crate::compose::container_name_error(service));
        }
    }
    let selected = match selection(&project, &parsed.args, !parsed.bool("no-deps")) {
        Ok(selected) => selected,
        Err(failed) => return failed,
    };
    let mut outcome = Outcome::default();
    if let Err(message) = ensure_images(world, context, &project, &selected, parsed.bool("build"), &mut outcome) {
        outcome.err(message);
        return outcome.fail(1);
    }
    let mut progress = Progress::default();
    let recreate = match (parsed.bool("force-recreate"), parsed.bool("no-recreate")) {
        (true, true) => return failure("--force-recreate and --no-recreate are incompatible"),
        (true, false) => Recreate::Always,
        (false, true) => Recreate::Never,
        (false, false) => Recreate::Diverged,
    };
    let plan = Plan { no_start: create_only || parsed.bool("no-start"), recreate };
    let result = converge(world, context, &project, &selected, &mut progress, plan);
    let detached = create_only || parsed.bool("detach");
    if !detached {
        // Attached, compose skips the "Started" events so they do not mix with the logs: a
        // container's line stays at "Created".
        for task in &mut progress.tasks {
            if task.id.starts_with("Container") && matches!(task.status.as_str(), "Started" | "Starting") {
                task.status = "Created".into();
            }
        }
    }
    progress.render(&mut outcome);
    if let Err(message) = result {
        outcome.err(message);
        return outcome.fail(1);
    }
    if detached || plan.no_start {
        return outcome;
    }
    // Named services are attached to; without names, all of them.
    let attached = if parsed.args.is_empty() { selected.clone() } else { parsed.args.clone() };
    let exit_code_from = parsed.value("exit-code-from").map(str::to_string);
    if let Some(service) = &exit_code_from {
        if !project.services.contains_key(service) {
            return failure(format!("no such service: {service}"));
        }
    }
    let abort = (parsed.bool("abort-on-container-exit") || exit_code_from.is_some()).then_some(exit_code_from);
    super::logs::attach(world, &project, &attached, &selected, abort, &mut outcome);
    outcome
}

/// The services to act on: those named (or all), plus what they depend on.
pub(super) fn selection(project: &Project, named: &[String], with_deps: bool) -> Result<Vec<String>, Outcome> {
    let mut wanted: Vec<String> = Vec::new();
    for name in named {
        if !project.services.contains_key(name) {
            return Err(failure(format!("no such service: {name}")));
        }
    }
    let roots: Vec<String> = if named.is_empty() { project.services.keys().cloned().collect() } else { named.to_vec() };
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if wanted.contains(&name) {
            continue;
        }
        if let Some(service) = project.services.get(&name) {
            if with_deps {
                stack.extend(service.depends_on.keys().filter(|d| project.services.contains_key(*d)).cloned());
            }
            wanted.push(name);
        }
    }
    Ok(start_order(project, &wanted))
}

/// Dependencies first, then by name (compose-go's graph walk made deterministic).
pub(super) fn start_order(project: &Project, names: &[String]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut sorted = names.to_vec();
    sorted.sort();
    fn visit(project: &Project, name: &str, names: &[String], order: &mut Vec<String>, depth: usize) {
        if order.iter().any(|o| o == name) || depth > 64 || !names.iter().any(|n| n == name) {
            return;
        }
        if let Some(service) = project.services.get(name) {
            for dep in service.depends_on.keys() {
                visit(project, dep, names, order, depth + 1);
            }
        }
        if !order.iter().any(|o| o == name) {
            order.push(name.to_string());
        }
    }
    for name in &sorted {
        visit(project, name, &sorted, &mut order, 0);
    }
    order
}

/// The image a service runs: its `image:`, or `<project>-<service>` for a built one.
pub(super) fn image_name(project: &Project, service: &Service) -> String {
    service.image.clone().unwrap_or_else(|| format!("{}-{}", project.name, service.name))
}

fn has_image(world: &World, image: &str) -> bool {
    crate::reference::Reference::parse_normalized(image).ok().is_some_and(|r| world.image_by_reference(&r.with_default_tag()).is_some())
}

/// Builds what needs building and pulls what is missing, with compose's progress lines.
pub(super) fn ensure_images(world: &mut World, context: &Context, project: &Project, selected: &[String], force_build: bool, outcome: &mut Outcome) -> Result<(), String> {
    let mut pulls = Progress::default();
    for name in selected {
        let Some(service) = project.services.get(name) else { continue };
        let image = image_name(project, service);
        if service.build.is_some() && (force_build || !has_image(world, &image)) {
            super::build_pull::build_service(world, context, project, service, outcome)?;
            continue;
        }
        if has_image(world, &image) && service.pull_policy.as_deref() != Some("always") {
            continue;
        }
        let started = world.now();
        let reference = crate::reference::Reference::parse_normalized(&image).map_err(|e| e.to_string())?.with_default_tag();
        let mut ignored = Outcome::default();
        match super::super::pull::pull(world, &reference, None, &mut ignored) {
            Ok(_) => {
                outcome.events.append(&mut ignored.events);
                pulls.event(name.clone(), "Pulled", started, world.now());
            }
            Err(message) => {
                pulls.fail(name.clone(), "Error", world.now());
                pulls.render(outcome);
                let message = message.trim_start_matches("Error response from daemon: ").to_string();
                return Err(format!("Error response from daemon: {message}"));
            }
        }
    }
    pulls.render(outcome);
    Ok(())
}

/// Creates and starts what `up` needs; statuses go to `progress`.
/// When `up` replaces an existing container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Recreate {
    /// Its service definition or image changed (the default).
    Diverged,
    /// `--force-recreate`.
    Always,
    /// `--no-recreate`.
    Never,
}

/// How `converge` treats the project's containers.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    /// `--no-start`: create only.
    pub no_start: bool,
    pub recreate: Recreate,
}

pub(super) fn converge(world: &mut World, context: &Context, project: &Project, selected: &[String], progress: &mut Progress, plan: Plan) -> Result<(), String> {
    let no_start = plan.no_start;
    ensure_networks(world, project, selected, progress)?;
    for (key, volume) in &project.volumes {
        let used = selected.iter().filter_map(|s| project.services.get(s)).any(|s| s.volumes.iter().any(|m| m.source.as_deref() == Some(key.as_str())));
        if used && volume.external && world.volume(&volume.name).is_none() {
            return Err(format!("external volume \"{}\" not found", volume.name));
        }
        if used && !volume.external {
            let at = world.now();
            if super::volumes::create_project_volume(world, &project.name, key, &volume.name) {
                progress.event(format!("Volume \"{}\"", volume.name), "Created", at, world.now());
            }
        }
    }
    // Compose creates every container first, then starts them in dependency order.
    let mut planned: Vec<(String, Vec<String>)> = Vec::new();
    for name in selected {
        let Some(service) = project.services.get(name) else { continue };
        let ids = super::oneoff::ensure_containers(world, context, project, service, plan.recreate, progress)?;
        planned.push((name.clone(), ids));
    }
    if no_start {
        return Ok(());
    }
    for (name, ids) in planned {
        let Some(service) = project.services.get(&name) else { continue };
        wait_for_dependencies(world, project, service, progress)?;
        for id in ids {
            start_container(world, &id, progress)?;
        }
    }
    Ok(())
}

/// `<project>_default` and the other project networks the services use.
pub(super) fn ensure_networks(world: &mut World, project: &Project, selected: &[String], progress: &mut Progress) -> Result<(), String> {
    let mut used: Vec<&str> = Vec::new();
    for name in selected {
        if let Some(service) = project.services.get(name) {
            used.extend(service.networks.keys().map(String::as_str));
        }
    }
    for (key, network) in &project.networks {
        if !used.contains(&key.as_str()) {
            continue;
        }
        let exists = world.networks().iter().any(|n| n.name == network.name);
        if network.external {
            if !exists {
                return Err(format!("network {} declared as external, but could not be found", network.name));
            }
            continue;
        }
        if exists {
            continue;
        }
        let started = world.now();
        let mut words = vec![
            "--label".to_string(),
            format!("{}={}", super::LABEL_PROJECT, project.name),
            "--label".to_string(),
            format!("com.docker.compose.network={key}"),
            "--label".to_string(),
            format!("com.docker.compose.version={}", super::VERSION),
        ];
        if network.internal {
            words.push("--internal".into());
        }
        if let Some(driver) = &network.driver {
            words.push("--driver".into());
            words.push(driver.clone());
        }
        words.push(network.name.clone());
        let parsed = super::super::network::CREATE.parse(&words).map_err(|_| format!("failed to create network {}", network.name))?;
        let created = super::super::network::create(world, &super::super::Invocation { cwd: "/".into(), stdin: None, env: Vec::new() }, parsed);
        if created.exit_code != 0 {
            return Err(created.output.iter().map(|l| l.text.clone()).collect::<Vec<_>>().join("\n"));
        }
        world.clock.advance(SECOND / 10);
        progress.event(format!("Network {}", network.name), "Created", started, world.now());
    }
    Ok(())
}

/// Blocks (in simulated time) until each dependency meets its condition.
fn wait_for_dependencies(world: &mut World, project: &Project, service: &Service, progress: &mut Progress) -> Result<(), String> {
    for (dep, spec) in &service.depends_on {
        if spec.condition == Condition::Started {
            continue;
        }
        let dep_containers: Vec<(String, String)> = containers(world, &project.name)
            .into_iter()
            .filter(|c| service_of(c) == dep)
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect();
        for (id, name) in dep_containers {
            let label = format!("Container {name}");
            let began = world.now();
            progress.event(label.clone(), "Waiting", began, began);
            let deadline = began.plus(WAIT_LIMIT);
            loop {
                let Some(container) = world.container(&id) else { break };
                match spec.condition {
                    Condition::Healthy => {
                        let Some(health) = container.state.health.as_ref() else {
                            progress.fail(label.clone(), "Error", world.now());
                            return Err(format!("dependency failed to start: container {name} has no healthcheck configured"));
                        };
                        if health.status == "healthy" {
                            progress.event(label.clone(), "Healthy", began, world.now());
                            break;
                        }
                        if health.status == "unhealthy" || !container.is_running() {
                            progress.fail(label.clone(), "Error", world.now());
                            return Err(format!("dependency failed to start: container {name} is unhealthy"));
                        }
                    }
                    Condition::CompletedSuccessfully => {
                        if !container.is_running() && container.state.started_at.is_some() {
                            let code = container.state.exit_code;
                            if code != 0 {
                                progress.fail(label.clone(), "Error", world.now());
                                return Err(format!("service \"{dep}\" didn't complete successfully: exit {code}"));
                            }
                            progress.event(label.clone(), "Exited", began, world.now());
                            break;
                        }
                    }
                    Condition::Started => break,
                }
                if world.now() >= deadline {
                    progress.fail(label.clone(), "Error", world.now());
                    return Err(format!("dependency failed to start: container {name} is unhealthy"));
                }
                runtime::advance(world, SECOND / 2);
            }
        }
    }
    Ok(())
}

/// Starts one container unless it runs already; joins its extra networks with their aliases.
fn start_container(world: &mut World, id: &str, progress: &mut Progress) -> Result<(), String> {
    let Some(container) = world.container(id) else { return Ok(()) };
    let label = format!("Container {}", container.name);
    if container.is_running() {
        let at = world.now();
        progress.event(label, "Running", at, at);
        return Ok(());
    }
    let started = world.now();
    progress.event(label.clone(), "Starting", started, started);
    if let Err(failure) = runtime::start(world, id) {
        progress.fail(label, "Error", world.now());
        return Err(format!("Error response from daemon: {}", failure.message));
    }
    runtime::advance(world, SECOND * 3 / 10);
    progress.event(label, "Started", started, world.now());
    Ok(())
}

/// Numbers of the service's existing containers.
pub(super) fn existing(world: &World, project: &str, service: &str) -> BTreeMap<u64, String> {
    containers(world, project).into_iter().filter(|c| service_of(c) == service).map(|c| (number_of(c), c.id.clone())).collect()
}
