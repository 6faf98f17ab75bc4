//! `docker run`: pull if needed, create, start, and (attached) wait for the program's exit.

use super::command_error;
use super::flags::{Args, CommandSpec, Parsed};
use super::pull::pull;
use crate::clock::SECOND;
use crate::outcome::{Event, Outcome};
use crate::programs::{self, resolve_executable, Process};
use crate::reference::Reference;
use crate::world::{Container, ContainerStatus, World};

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker run",
    help: include_str!("help/run.txt"),
    args: Args::AtLeast(1),
    interspersed: false,
};

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((image_text, command)) = parsed.args.split_first() else {
        return command_error(&mut outcome, &SPEC, "'docker run' requires at least 1 argument", 1);
    };
    let reference = match Reference::parse_normalized(image_text) {
        Ok(reference) => reference.with_default_tag(),
        Err(error) => return command_error(&mut outcome, &SPEC, &error.to_string(), 125),
    };
    if let Some(name) = parsed.value("name") {
        if let Err(message) = check_name(world, name) {
            return command_error(&mut outcome, &SPEC, &message, 125);
        }
    }
    let image_id = match world.image_by_reference(&reference) {
        Some(image) => image.id.clone(),
        None => {
            outcome.err(format!("Unable to find image '{}' locally", reference.familiar()));
            let mut progress = Outcome::default();
            let pulled = pull(world, &reference, parsed.value("platform"), &mut progress);
            // `docker run` shows pull progress on stderr, keeping stdout for the program.
            for line in progress.output {
                outcome.err(line.text);
            }
            outcome.events.append(&mut progress.events);
            match pulled {
                Ok(id) => id,
                Err(message) => return command_error(&mut outcome, &SPEC, &message, 125),
            }
        }
    };
    let Some(image) = world.image(&image_id).cloned() else {
        return command_error(&mut outcome, &SPEC, "Error response from daemon: No such image", 125);
    };

    let mut argv = image.config.entrypoint.clone().unwrap_or_default();
    if command.is_empty() {
        argv.extend(image.config.cmd.iter().flatten().cloned());
    } else {
        argv.extend(command.iter().cloned());
    }
    if argv.is_empty() {
        return command_error(&mut outcome, &SPEC, "Error response from daemon: no command specified", 125);
    }

    let id = world.ids.hex_id();
    let name = match parsed.value("name") {
        Some(name) => name.to_string(),
        None => world.unique_container_name(),
    };
    let created = world.clock.advance(SECOND / 20);
    world.add_container(Container {
        id: id.clone(),
        name: name.clone(),
        image: image_text.clone(),
        image_id: image.id.clone(),
        argv: argv.clone(),
        created,
        status: ContainerStatus::Created,
    });
    outcome.event(Event::ContainerCreated { id: id.clone(), name, image: image_text.clone() });

    let mut rootfs = world.image_tree(&image);
    if resolve_executable(&argv[0], &rootfs, &image.config).is_none() {
        let message = format!(
            "Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{}\": executable file not found in $PATH: unknown",
            argv[0]
        );
        return command_error(&mut outcome, &SPEC, &message, 127);
    }

    // A foreign-architecture image starts, and its first exec fails: no emulator on this host.
    let foreign = image.config.architecture != "amd64";
    if foreign && parsed.value("platform").is_none() {
        outcome.err(format!(
            "WARNING: The requested image's platform (linux/{}) does not match the detected host platform (linux/amd64/v3) and no specific platform was requested",
            if image.config.architecture == "arm64" { "arm64/v8" } else { image.config.architecture.as_str() }
        ));
    }
    let started_at = world.clock.advance(SECOND / 5);
    set_status(world, &id, ContainerStatus::Running { started_at });
    outcome.event(Event::ContainerStarted { id: id.clone() });
    let workdir = if image.config.working_dir.is_empty() { "/".to_string() } else { image.config.working_dir.clone() };
    let mut process = Process {
        rootfs: &mut rootfs,
        env: image.config.env.clone(),
        cwd: workdir,
        user: image.config.user.clone(),
        network: true,
        stdin: None,
        container: None,
    };
    let program = if foreign {
        let path = resolve_executable(&argv[0], process.rootfs, &image.config).unwrap_or_else(|| argv[0].clone());
        programs::ProgramRun { stderr: vec![format!("exec {path}: exec format error")], exit_code: 1, duration: SECOND / 20, ..Default::default() }
    } else {
        match programs::exec(&argv, &mut process) {
        Ok(program) => program,
        Err(error) => {
            let message = format!(
                "Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {error}: unknown"
            );
            return command_error(&mut outcome, &SPEC, &message, if matches!(error, programs::ExecError::NotFound(_)) { 127 } else { 126 });
        }
        }
    };
    let finished_at = world.clock.advance(program.duration);
    set_status(world, &id, ContainerStatus::Exited { exit_code: program.exit_code, started_at, finished_at });

    if parsed.bool("rm") {
        world.remove_container(&id);
    }
    if parsed.bool("detach") {
        outcome.out(id.clone());
    } else {
        for line in program.stdout {
            outcome.out(line);
        }
        for line in program.stderr {
            outcome.err(line);
        }
        outcome.exit_code = program.exit_code;
    }
    outcome.event(Event::ContainerExited { id, exit_code: program.exit_code });
    outcome
}

fn set_status(world: &mut World, id: &str, status: ContainerStatus) {
    if let Some(container) = world.container_mut(id) {
        container.status = status;
    }
}

/// Docker's rules for `--name`: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, unique on the host.
fn check_name(world: &World, name: &str) -> Result<(), String> {
    let bytes = name.as_bytes();
    let valid = bytes.len() >= 2
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if !valid {
        return Err(format!(
            "Error response from daemon: Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        ));
    }
    if let Some(existing) = world.containers().iter().find(|c| c.name == name) {
        return Err(format!(
            "Error response from daemon: Conflict. The container name \"/{name}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
            existing.id
        ));
    }
    Ok(())
}
