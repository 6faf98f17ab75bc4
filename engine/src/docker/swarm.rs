//! `docker swarm init|leave|join-token`, `docker node ls` and `docker service
//! create|ls|ps|scale|update|rm|inspect|logs` on a one-node swarm (see `crate::swarm`).

use serde_json::json;

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::clock::{human_duration, SECOND};
use crate::outcome::Outcome;
use crate::swarm::{object_id, parse_publish, ServicePort, Swarm, SwarmService, Task, TaskState};
use crate::table::render;
use crate::world::World;

macro_rules! spec {
    ($name:ident, $path:literal, $help:literal, $args:expr) => {
        pub const $name: CommandSpec = CommandSpec { path: $path, help: include_str!($help), args: $args, interspersed: true };
    };
}

spec!(SWARM, "docker swarm", "help/swarm.txt", Args::None);
spec!(INIT, "docker swarm init", "help/swarm_init.txt", Args::None);
spec!(LEAVE, "docker swarm leave", "help/swarm_leave.txt", Args::None);
spec!(JOIN_TOKEN, "docker swarm join-token", "help/swarm_join_token.txt", Args::Exactly(1));
spec!(NODE, "docker node", "help/node.txt", Args::None);
spec!(NODE_LS, "docker node ls", "help/node_ls.txt", Args::None);
spec!(SERVICE, "docker service", "help/service.txt", Args::None);
pub const CREATE: CommandSpec =
    CommandSpec { path: "docker service create", help: include_str!("help/service_create.txt"), args: Args::AtLeast(1), interspersed: false };
spec!(LS, "docker service ls", "help/service_ls.txt", Args::None);
spec!(PS, "docker service ps", "help/service_ps.txt", Args::AtLeast(1));
spec!(SCALE, "docker service scale", "help/service_scale.txt", Args::AtLeast(1));
spec!(UPDATE, "docker service update", "help/service_update.txt", Args::Exactly(1));
spec!(RM, "docker service rm", "help/service_rm.txt", Args::AtLeast(1));
spec!(INSPECT, "docker service inspect", "help/service_inspect.txt", Args::AtLeast(1));
spec!(LOGS, "docker service logs", "help/service_logs.txt", Args::Exactly(1));

/// The node's hostname, as `docker info` names it.
const NODE_NAME: &str = "whalebox";
/// Tasks kept per slot, the current one included.
const TASK_HISTORY: usize = 5;
/// What the routing mesh answers for `-p` without a published port: swarm's own range.
const FIRST_SWARM_PORT: u16 = 30000;

const NOT_A_MANAGER: &str = "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

fn not_a_manager() -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(NOT_A_MANAGER);
    outcome.fail(1)
}

fn token(ids: &mut crate::ids::IdGenerator) -> String {
    let long: String = (0..2).map(|_| object_id(ids)).collect::<String>();
    format!("SWMTKN-1-{}-{}", &long[..50], object_id(ids))
}

pub fn init(world: &mut World, _invocation: &Invocation, _parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if world.swarm.is_some() {
        outcome.err("Error response from daemon: This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.");
        return outcome.fail(1);
    }
    let node_id = object_id(&mut world.ids);
    let cluster_id = object_id(&mut world.ids);
    let worker_token = token(&mut world.ids);
    let manager_token = token(&mut world.ids);
    world.swarm = Some(Swarm { node_id: node_id.clone(), cluster_id, worker_token: worker_token.clone(), manager_token, created: world.now(), services: Vec::new() });
    world.add_swarm_networks();
    outcome.out(format!("Swarm initialized: current node ({node_id}) is now a manager."));
    outcome.out("");
    outcome.out("To add a worker to this swarm, run the following command:");
    outcome.out("");
    outcome.out(format!("    docker swarm join --token {worker_token} 10.0.2.15:2377"));
    outcome.out("");
    outcome.out("To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.");
    outcome.out("");
    outcome
}

pub fn join_token(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(swarm) = &world.swarm else { return not_a_manager() };
    let role = parsed.args[0].as_str();
    let token = match role {
        "worker" => &swarm.worker_token,
        "manager" => &swarm.manager_token,
        other => {
            outcome.err(format!("unknown role {other}"));
            return outcome.fail(1);
        }
    };
    if parsed.bool("quiet") {
        outcome.out(token.clone());
        return outcome;
    }
    outcome.out(format!("To add a {role} to this swarm, run the following command:"));
    outcome.out("");
    outcome.out(format!("    docker swarm join --token {token} 10.0.2.15:2377"));
    outcome.out("");
    outcome
}

pub fn leave(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(swarm) = world.swarm.clone() else {
        outcome.err("Error response from daemon: This node is not part of a swarm");
        return outcome.fail(1);
    };
    if !parsed.bool("force") {
        outcome.err("Error response from daemon: You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ");
        return outcome.fail(1);
    }
    for service in &swarm.services {
        remove_tasks(world, invocation, service);
    }
    world.swarm = None;
    world.remove_swarm_networks();
    outcome.out("Node left the swarm.");
    outcome
}

pub fn node_ls(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(swarm) = &world.swarm else { return not_a_manager() };
    if parsed.bool("quiet") {
        outcome.out(swarm.node_id.clone());
        return outcome;
    }
    let rows = vec![
        vec!["ID", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS", "ENGINE VERSION"].into_iter().map(String::from).collect(),
        vec![format!("{} *", swarm.node_id), NODE_NAME.into(), "Ready".into(), "Active".into(), "Leader".into(), "28.2.2".into()],
    ];
    for line in render(&rows) {
        outcome.out(line);
    }
    outcome
}

fn service_by_id<'w>(world: &'w World, id: &str) -> Option<&'w SwarmService> {
    world.swarm.as_ref()?.services.iter().find(|svc| svc.id == id)
}

fn service_mut<'w>(world: &'w mut World, id: &str) -> Option<&'w mut SwarmService> {
    world.swarm.as_mut()?.services.iter_mut().find(|svc| svc.id == id)
}

/// The service a user means: name, full ID or unique ID prefix.
fn find_service<'a>(swarm: &'a Swarm, text: &str) -> Option<&'a SwarmService> {
    swarm
        .services
        .iter()
        .find(|s| s.name == text || s.id == text)
        .or_else(|| {
            let mut matches = swarm.services.iter().filter(|s| !text.is_empty() && s.id.starts_with(text));
            match (matches.next(), matches.next()) {
                (Some(found), None) => Some(found),
                _ => None,
            }
        })
}

fn no_such_service(outcome: &mut Outcome, name: &str) {
    outcome.err(format!("Error response from daemon: service {name} not found"));
}

pub fn create(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if world.swarm.is_none() {
        return not_a_manager();
    }
    let (image, args) = parsed.args.split_first().map(|(i, a)| (i.clone(), a.to_vec())).unwrap_or_default();
    if crate::reference::Reference::parse_normalized(&image).is_err() {
        outcome.err(format!("invalid reference format: repository name ({image}) must be lowercase"));
        return outcome.fail(1);
    }
    let replicas = match parsed.value("replicas").map(str::parse::<u32>) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            let value = parsed.value("replicas").unwrap_or_default();
            return super::flag_value_error(&CREATE, &format!("invalid argument \"{value}\" for \"--replicas\" flag: strconv.ParseUint: parsing \"{value}\": invalid syntax"));
        }
    };
    let mut ports = Vec::new();
    for spec in parsed.values("publish") {
        match parse_publish(spec) {
            Ok(port) => ports.push(port),
            Err(message) => return super::flag_value_error(&CREATE, &message),
        }
    }
    let swarm = world.swarm.as_ref().expect("checked above");
    let name = parsed.value("name").map(str::to_string);
    if let Some(name) = &name {
        if swarm.services.iter().any(|s| &s.name == name) {
            outcome.err(format!("Error response from daemon: rpc error: code = AlreadyExists desc = name conflicts with an existing object: service {name} already exists"));
            return outcome.fail(1);
        }
    }
    let taken: Vec<u16> = swarm.services.iter().flat_map(|s| s.ports.iter().map(|p| p.published)).collect();
    let held_by_containers = |port: u16| world.containers().iter().any(|c| c.published.iter().any(|p| p.host_port == port));
    for port in &mut ports {
        if port.published == 0 {
            port.published = (FIRST_SWARM_PORT..).find(|p| !taken.contains(p)).unwrap_or(FIRST_SWARM_PORT);
        } else if taken.contains(&port.published) || held_by_containers(port.published) {
            outcome.err(format!(
                "Error response from daemon: rpc error: code = InvalidArgument desc = port '{}' is already in use by service",
                port.published
            ));
            return outcome.fail(1);
        }
    }
    let id = object_id(&mut world.ids);
    let name = name.unwrap_or_else(|| world.ids.container_name());
    let now = world.now();
    let service = SwarmService {
        id: id.clone(),
        name,
        image: image.clone(),
        args,
        env: parsed.values("env").to_vec(),
        replicas,
        ports,
        networks: parsed.values("network").to_vec(),
        created: now,
        updated: now,
        version: 1,
        previous_image: None,
        tasks: Vec::new(),
    };
    if world.find_image(&image).is_none() && !world.registry_has(&image) {
        for line in [
            format!("image {image} could not be accessed on a registry to record"),
            format!("its digest. Each node will access {image} independently,"),
            "possibly leading to different nodes running different".to_string(),
            "versions of the image.".to_string(),
            String::new(),
        ] {
            outcome.err(line);
        }
    }
    world.swarm.as_mut().expect("checked above").services.push(service);
    outcome.out(id.clone());
    for slot in 1..=replicas {
        start_task(world, invocation, &id, slot);
    }
    if !parsed.bool("detach") {
        progress(world, &id, &mut outcome, &id);
    }
    outcome
}

/// Starts a new task for `slot` of service `id`: a container made as `docker run -d` would.
fn start_task(world: &mut World, invocation: &Invocation, service_id: &str, slot: u32) {
    let Some(service) = service_by_id(world, &service_id).cloned() else { return };
    let task_id = object_id(&mut world.ids);
    let node_id = world.swarm.as_ref().map(|s| s.node_id.clone()).unwrap_or_default();
    let container_name = format!("{}.{slot}.{task_id}", service.name);
    let mut words: Vec<String> = vec!["run".into(), "-d".into(), "--name".into(), container_name.clone()];
    for (key, value) in [
        ("com.docker.swarm.node.id", node_id.as_str()),
        ("com.docker.swarm.service.id", service.id.as_str()),
        ("com.docker.swarm.service.name", service.name.as_str()),
        ("com.docker.swarm.task", ""),
        ("com.docker.swarm.task.id", task_id.as_str()),
        ("com.docker.swarm.task.name", &format!("{}.{slot}.{task_id}", service.name)),
    ] {
        words.push("--label".into());
        words.push(format!("{key}={value}"));
    }
    for env in &service.env {
        words.push("-e".into());
        words.push(env.clone());
    }
    // Tasks answer to the service's name on its networks (swarm gives it a virtual IP).
    if let Some(network) = service.networks.first() {
        words.extend(["--network".into(), network.clone(), "--network-alias".into(), service.name.clone()]);
    }
    words.push(service.image.clone());
    words.extend(service.args.iter().cloned());
    let ran = super::run_command_words(world, invocation, &words);
    let now = world.now();
    let container_id = world.containers().iter().find(|c| c.name == container_name).map(|c| c.id.clone());
    let running = container_id.as_ref().and_then(|id| world.container(id)).is_some_and(|c| c.run.is_some());
    let (state, error) = match (&container_id, running) {
        (None, _) => (TaskState::Rejected, format!("No such image: {}", service.image)),
        (Some(_), true) => (TaskState::Running, String::new()),
        (Some(_), false) => {
            let code = container_id.as_ref().and_then(|id| world.container(id)).map_or(ran.exit_code, |c| c.state.exit_code);
            if code == 0 { (TaskState::Complete, String::new()) } else { (TaskState::Failed, format!("task: non-zero exit ({code})")) }
        }
    };
    let task = Task { id: task_id, slot, image: service.image.clone(), container_id, desired_running: true, state, since: now, error };
    if let Some(service) = service_mut(world, &service_id) {
        service.tasks.push(task);
        // Swarm keeps the last five tasks of each slot (`Task History Retention Limit: 5`).
        let in_slot: Vec<String> = service.tasks.iter().filter(|t| t.slot == slot).map(|t| t.id.clone()).collect();
        if in_slot.len() > TASK_HISTORY {
            let dropped = &in_slot[..in_slot.len() - TASK_HISTORY];
            service.tasks.retain(|t| !dropped.contains(&t.id));
        }
    }
}

/// Stops task `task_id`'s container (as `docker stop`) and marks it shut down.
fn shut_down_task(world: &mut World, invocation: &Invocation, service_id: &str, task_id: &str) {
    let container = world
        .swarm
        .as_ref()
        .and_then(|s| s.services.iter().find(|svc| svc.id == service_id))
        .and_then(|svc| svc.tasks.iter().find(|t| t.id == task_id))
        .and_then(|t| t.container_id.clone());
    if let Some(container) = &container {
        if world.container(container).is_some_and(|c| c.run.is_some()) {
            super::run_command_words(world, invocation, &["stop".to_string(), container.clone()]);
        }
    }
    let now = world.now();
    if let Some(task) = service_mut(world, &service_id)
        .and_then(|svc| svc.tasks.iter_mut().find(|t| t.id == task_id))
    {
        task.desired_running = false;
        if task.state == TaskState::Running {
            task.state = TaskState::Shutdown;
            task.since = now;
        }
    }
}

fn remove_tasks(world: &mut World, invocation: &Invocation, service: &SwarmService) {
    for task in &service.tasks {
        if let Some(container) = &task.container_id {
            if world.container(container).is_some() {
                super::run_command_words(world, invocation, &["rm".to_string(), "-f".to_string(), container.clone()]);
            }
        }
    }
}

/// Swarm's view catching up with its containers: a task whose container ended is marked Complete
/// or Failed and, as the default restart condition `any` says, a new task takes its slot.
pub fn reconcile(world: &mut World, invocation: &Invocation) {
    let Some(swarm) = world.swarm.clone() else { return };
    let now = world.now();
    for service in &swarm.services {
        // A task refused for a missing image is tried again, as swarm does every 5 s; if the
        // image exists by now (built or pulled), the new task runs.
        let rejected: Vec<(String, u32)> =
            service.live_tasks().filter(|t| t.state == TaskState::Rejected && now.since(t.since) >= 5 * SECOND).map(|t| (t.id.clone(), t.slot)).collect();
        for (task_id, slot) in rejected {
            if let Some(stored) = service_mut(world, &service.id)
                .and_then(|svc| svc.tasks.iter_mut().find(|t| t.id == task_id))
            {
                stored.desired_running = false;
            }
            start_task(world, invocation, &service.id, slot);
        }
        for task in service.live_tasks().filter(|t| t.state == TaskState::Running) {
            let ended = task.container_id.as_ref().and_then(|id| world.container(id)).map(|c| (c.run.is_none(), c.state.exit_code, c.state.finished_at));
            let Some((true, code, finished)) = ended else { continue };
            let since = finished.unwrap_or(now);
            if let Some(stored) = service_mut(world, &service.id)
                .and_then(|svc| svc.tasks.iter_mut().find(|t| t.id == task.id))
            {
                stored.desired_running = false;
                stored.since = since;
                (stored.state, stored.error) =
                    if code == 0 { (TaskState::Complete, String::new()) } else { (TaskState::Failed, format!("task: non-zero exit ({code})")) };
            }
            start_task(world, invocation, &service.id, task.slot);
        }
    }
}

/// The CLI's convergence display once every task is running (or the last state it saw).
fn progress(world: &World, service_id: &str, outcome: &mut Outcome, converged_name: &str) {
    let Some(service) = service_by_id(world, &service_id) else { return };
    let live: Vec<&Task> = service.live_tasks().collect();
    let running = live.iter().filter(|t| t.state == TaskState::Running).count();
    outcome.out(format!("overall progress: {running} out of {} tasks ", service.replicas));
    for slot in 1..=service.replicas {
        let task = live.iter().find(|t| t.slot == slot);
        match task.map(|t| t.state) {
            Some(TaskState::Running) => outcome.out(format!("{slot}/{}: running   [==================================================>] ", service.replicas)),
            Some(TaskState::Rejected) => outcome.out(format!("{slot}/{}: No such image: {}", service.replicas, service.image)),
            _ => outcome.out(format!("{slot}/{}: ", service.replicas)),
        }
    }
    if running as u32 == service.replicas {
        outcome.out(format!("verify: Service {converged_name} converged "));
    } else {
        outcome.err("whalebox: the service did not converge; `docker service ps` shows why");
        outcome.exit_code = 1;
    }
}

pub fn ls(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(swarm) = &world.swarm else { return not_a_manager() };
    let mut services: Vec<&SwarmService> = swarm.services.iter().collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    if parsed.bool("quiet") {
        for service in services {
            outcome.out(service.id[..12].to_string());
        }
        return outcome;
    }
    let mut rows: Vec<Vec<String>> = vec![["ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"].iter().map(|s| s.to_string()).collect()];
    for service in services {
        rows.push(vec![
            service.id[..12].to_string(),
            service.name.clone(),
            "replicated".into(),
            service.replicas_text(),
            service.image.clone(),
            service.ports_text(),
        ]);
    }
    for line in render(&rows) {
        outcome.out(line);
    }
    outcome
}

pub fn ps(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(swarm) = &world.swarm else { return not_a_manager() };
    let now = world.now();
    let mut rows: Vec<Vec<String>> =
        vec![["ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS"].iter().map(|s| s.to_string()).collect()];
    for name in &parsed.args {
        let Some(service) = find_service(swarm, name) else {
            no_such_service(&mut outcome, name);
            return outcome.fail(1);
        };
        // By slot; within a slot the current task first, then older ones newest first.
        let mut tasks: Vec<&Task> = service.tasks.iter().collect();
        tasks.sort_by(|a, b| a.slot.cmp(&b.slot).then(b.desired_running.cmp(&a.desired_running)).then(b.since.cmp(&a.since)));
        let mut previous_slot = None;
        for task in tasks {
            if parsed.bool("quiet") {
                outcome.out(task.id[..12].to_string());
                continue;
            }
            let name = if previous_slot == Some(task.slot) { format!(" \\_ {}.{}", service.name, task.slot) } else { format!("{}.{}", service.name, task.slot) };
            previous_slot = Some(task.slot);
            let desired = if task.desired_running { "Running" } else { "Shutdown" };
            let current = format!("{} {} ago", task.state.as_str(), human_duration(now.since(task.since)));
            rows.push(vec![task.id[..12].to_string(), name, task.image.clone(), NODE_NAME.into(), desired.into(), current, task.error.clone(), String::new()]);
        }
    }
    if !parsed.bool("quiet") {
        for line in render(&rows) {
            outcome.out(line);
        }
    }
    outcome
}

pub fn scale(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if world.swarm.is_none() {
        return not_a_manager();
    }
    for pair in &parsed.args {
        let Some((name, count)) = pair.split_once('=') else {
            outcome.err(format!("invalid scale specifier '{pair}'.\nSee 'docker service scale --help'.\n\nUsage:  docker service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n\nScale one or multiple replicated services"));
            return outcome.fail(1);
        };
        let Ok(count) = count.parse::<u32>() else {
            outcome.err(format!("invalid replicas value {count}: strconv.ParseUint: parsing \"{count}\": invalid syntax"));
            return outcome.fail(1);
        };
        let Some(service) = world.swarm.as_ref().and_then(|s| find_service(s, name)).cloned() else {
            no_such_service(&mut outcome, name);
            outcome.exit_code = 1;
            continue;
        };
        set_replicas(world, invocation, &service, count);
        outcome.out(format!("{name} scaled to {count}"));
        if !parsed.bool("detach") {
            progress(world, &service.id, &mut outcome, name);
        }
    }
    outcome
}

/// Starts tasks for new slots or shuts down the highest slots.
fn set_replicas(world: &mut World, invocation: &Invocation, service: &SwarmService, count: u32) {
    if let Some(stored) = service_mut(world, &service.id) {
        stored.replicas = count;
        stored.version += 1;
    }
    for slot in (service.replicas + 1)..=count {
        start_task(world, invocation, &service.id, slot);
    }
    // Scaled-away slots are removed outright, containers and history (desired state `Remove`).
    let doomed: Vec<Task> = service.tasks.iter().filter(|t| t.slot > count).cloned().collect();
    for task in &doomed {
        if let Some(container) = &task.container_id {
            if world.container(container).is_some() {
                super::run_command_words(world, invocation, &["rm".to_string(), "-f".to_string(), container.clone()]);
            }
        }
    }
    if let Some(stored) = service_mut(world, &service.id) {
        stored.tasks.retain(|t| t.slot <= count);
    }
}

pub fn update(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(swarm) = &world.swarm else { return not_a_manager() };
    let name = parsed.args[0].clone();
    let Some(service) = find_service(swarm, &name).cloned() else {
        no_such_service(&mut outcome, &name);
        return outcome.fail(1);
    };
    outcome.out(name.clone());
    if let Some(replicas) = parsed.value("replicas").and_then(|r| r.parse().ok()) {
        set_replicas(world, invocation, &service, replicas);
    }
    let service = service_by_id(world, &service.id).cloned().expect("exists");
    let mut env = service.env.clone();
    for added in parsed.values("env-add") {
        let key = added.split('=').next().unwrap_or_default();
        env.retain(|e| e.split('=').next() != Some(key));
        env.push(added.clone());
    }
    let new_image = parsed.value("image").map(str::to_string).unwrap_or(service.image.clone());
    let changed = new_image != service.image || env != service.env || parsed.bool("force");
    if changed {
        if let Some(stored) = service_mut(world, &service.id) {
            if new_image != stored.image {
                stored.previous_image = Some(stored.image.clone());
            }
            stored.image = new_image;
            stored.env = env;
            stored.version += 1;
        }
        // Rolling update, one task at a time: stop the old task, start its replacement, wait for
        // it to run, then the next (update-parallelism 1, order stop-first).
        let mut old: Vec<(u32, String)> = service.live_tasks().map(|t| (t.slot, t.id.clone())).collect();
        old.sort();
        for (slot, task) in old {
            shut_down_task(world, invocation, &service.id, &task);
            start_task(world, invocation, &service.id, slot);
            let events = crate::runtime::advance(world, 5 * SECOND);
            outcome.events.extend(events);
            // The default failure action pauses the update at the first task that does not run.
            let replaced = service_by_id(world, &service.id).and_then(|svc| {
                svc.live_tasks().find(|t| t.slot == slot).map(|t| t.state == TaskState::Running)
            });
            if replaced != Some(true) {
                break;
            }
        }
    }
    let now = world.now();
    if let Some(stored) = service_mut(world, &service.id) {
        stored.updated = now;
    }
    if !parsed.bool("detach") {
        progress(world, &service.id, &mut outcome, &name);
    }
    outcome
}

pub fn rm(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if world.swarm.is_none() {
        return not_a_manager();
    }
    for name in &parsed.args {
        let Some(service) = world.swarm.as_ref().and_then(|s| find_service(s, name)).cloned() else {
            no_such_service(&mut outcome, name);
            outcome.exit_code = 1;
            continue;
        };
        remove_tasks(world, invocation, &service);
        if let Some(swarm) = world.swarm.as_mut() {
            swarm.services.retain(|s| s.id != service.id);
        }
        outcome.out(name.clone());
    }
    outcome
}

pub fn inspect(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(swarm) = &world.swarm else { return not_a_manager() };
    let mut found = Vec::new();
    for name in &parsed.args {
        match find_service(swarm, name) {
            Some(service) => found.push(service_json(service)),
            None => {
                outcome.err(format!("Error: no such service: {name}"));
                outcome.exit_code = 1;
            }
        }
    }
    if parsed.bool("pretty") {
        for service in parsed.args.iter().filter_map(|n| find_service(swarm, n)) {
            outcome.out("");
            outcome.out(format!("ID:\t\t{}", service.id));
            outcome.out(format!("Name:\t\t{}", service.name));
            outcome.out("Service Mode:\tReplicated");
            outcome.out(format!(" Replicas:\t{}", service.replicas));
            outcome.out("Placement:");
            outcome.out("UpdateConfig:");
            outcome.out(" Parallelism:\t1");
            outcome.out(" On failure:\tpause");
            outcome.out(" Update order:      stop-first");
            outcome.out("ContainerSpec:");
            outcome.out(format!(" Image:\t\t{}", service.image));
            if !service.ports.is_empty() {
                outcome.out("Ports:");
                for port in &service.ports {
                    outcome.out(format!(" PublishedPort = {}", port.published));
                    outcome.out(format!("  Protocol = {}", port.protocol));
                    outcome.out(format!("  TargetPort = {}", port.target));
                    outcome.out("  PublishMode = ingress");
                }
            }
            outcome.out(" ");
        }
        return outcome;
    }
    let mut result = Outcome::default();
    if let Some(format) = parsed.value("format") {
        for value in &found {
            match super::template::render(format, value) {
                Ok(text) => result.out(text),
                Err(message) => {
                    result.err(format!("template parsing error: {message}"));
                    return result.fail(1);
                }
            }
        }
    } else {
        result.out_block(&super::inspect::go_json(&serde_json::Value::Array(found)));
    }
    result.output.append(&mut outcome.output);
    result.exit_code = outcome.exit_code;
    result
}

fn service_json(service: &SwarmService) -> serde_json::Value {
    let ports: Vec<serde_json::Value> = service
        .ports
        .iter()
        .map(|p: &ServicePort| json!({"Protocol": p.protocol, "TargetPort": p.target, "PublishedPort": p.published, "PublishMode": "ingress"}))
        .collect();
    let mut spec = json!({
        "Name": service.name,
        "Labels": {},
        "TaskTemplate": {
            "ContainerSpec": {
                "Image": service.image,
                "Args": service.args,
                "Env": service.env,
                "Init": false,
                "StopGracePeriod": 10_000_000_000u64,
                "DNSConfig": {},
                "Isolation": "default"
            },
            "Resources": {"Limits": {}, "Reservations": {}},
            "RestartPolicy": {"Condition": "any", "Delay": 5_000_000_000u64, "MaxAttempts": 0},
            "ForceUpdate": 0,
            "Runtime": "container"
        },
        "Mode": {"Replicated": {"Replicas": service.replicas}},
        "UpdateConfig": {"Parallelism": 1, "FailureAction": "pause", "Monitor": 5_000_000_000u64, "MaxFailureRatio": 0, "Order": "stop-first"},
        "RollbackConfig": {"Parallelism": 1, "FailureAction": "pause", "Monitor": 5_000_000_000u64, "MaxFailureRatio": 0, "Order": "stop-first"},
        "EndpointSpec": {"Mode": "vip", "Ports": ports}
    });
    if service.args.is_empty() {
        if let Some(container) = spec.pointer_mut("/TaskTemplate/ContainerSpec").and_then(|v| v.as_object_mut()) {
            container.remove("Args");
        }
    }
    json!({
        "ID": service.id,
        "Version": {"Index": service.version},
        "CreatedAt": service.created.rfc3339(),
        "UpdatedAt": service.updated.rfc3339(),
        "Spec": spec,
        "Endpoint": {"Spec": {"Mode": "vip", "Ports": ports}, "Ports": ports},
    })
}

pub fn logs(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(swarm) = world.swarm.clone() else { return not_a_manager() };
    let name = &parsed.args[0];
    let Some(service) = find_service(&swarm, name) else {
        no_such_service(&mut outcome, name);
        return outcome.fail(1);
    };
    for task in &service.tasks {
        let Some(container) = &task.container_id else { continue };
        let prefix = format!("{}.{}.{}@{}    | ", service.name, task.slot, &task.id[..12], NODE_NAME);
        let logged = super::run_command_words(world, invocation, &["logs".to_string(), container.clone()]);
        for line in logged.output {
            let text = format!("{prefix}{}", line.text);
            match line.stream {
                crate::outcome::Stream::Stdout => outcome.out(text),
                crate::outcome::Stream::Stderr => outcome.err(text),
            }
        }
    }
    outcome
}
