//! `docker commit`: a new image from a container — its image's layers plus one layer holding the
//! container's changes, with the container's configuration and any `--change` instructions.

use super::flags::{Args, CommandSpec, Parsed};
use super::inspect::RUNTIME_FILES;
use crate::fs::LayerDiff;
use crate::image::{Healthcheck, HistoryEntry, Image, ImageConfig};
use crate::outcome::{Event, Outcome};
use crate::reference::Reference;
use crate::world::{Container, World};

pub const SPEC: CommandSpec = CommandSpec { path: "docker commit", help: include_str!("help/commit.txt"), args: Args::Range(1, 2), interspersed: true };

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if parsed.args.len() > 2 {
        outcome.err("docker: 'docker commit' requires at least 1 and at most 2 arguments");
        outcome.err("");
        outcome.err(format!("Usage:  {}", SPEC.usage_line()));
        outcome.err("");
        outcome.err("Run 'docker commit --help' for more information");
        return outcome.fail(1);
    }
    let name = &parsed.args[0];
    let reference = match parsed.args.get(1) {
        Some(text) => match Reference::parse_normalized(text) {
            Ok(reference) if reference.digest.is_none() => Some(reference.with_default_tag()),
            Ok(_) => {
                outcome.err("Error response from daemon: invalid reference format");
                return outcome.fail(1);
            }
            Err(error) => {
                outcome.err(format!("Error response from daemon: {error}"));
                return outcome.fail(1);
            }
        },
        None => None,
    };
    let Some(container) = world.find_container(name).cloned() else {
        outcome.err(format!("Error response from daemon: No such container: {name}"));
        return outcome.fail(1);
    };
    let Some(parent) = world.image(&container.image_id).cloned() else {
        outcome.err(format!("Error response from daemon: No such image: {}", container.image));
        return outcome.fail(1);
    };
    let mut config = committed_config(&parent.config, &container);
    for change in parsed.values("change") {
        if let Err(message) = apply_change(&mut config, change) {
            outcome.err(format!("Error response from daemon: {message}"));
            return outcome.fail(1);
        }
    }
    // The writable layer, without the files Docker bind-mounts into every container.
    let mut layer = container.upper.clone();
    layer.changes.retain(|path, _| !RUNTIME_FILES.contains(&path.as_str()));
    let created = world.now();
    let mut layers = parent.layers.clone();
    let mut size = parent.size;
    let empty = layer.is_empty();
    if !empty {
        size += layer.size();
        layers.push(store(world, layer));
    }
    let mut history = parent.history.clone();
    // moby: `CreatedBy` is the container's command, `Comment` the commit message.
    history.push(HistoryEntry {
        created,
        created_by: container_cmd(&parent.config, &container).join(" "),
        empty_layer: empty,
        comment: parsed.value("message").unwrap_or_default().to_string(),
    });
    let mut image = Image::new(created, layers, config, history, size);
    if let Some(reference) = &reference {
        image.repo_tags.push(reference.familiar());
    }
    let id = image.id.clone();
    let tags = image.repo_tags.clone();
    world.store_image(image);
    world.record_event(&container.id, "commit", &[("imageID", id.clone())]);
    outcome.event(Event::ImageBuilt { image_id: id.clone(), tags });
    outcome.out(id);
    outcome
}

fn store(world: &mut World, layer: LayerDiff) -> String {
    world.store_layer(layer)
}

/// The container's `Config.Cmd` after merging with its image.
fn container_cmd(image: &ImageConfig, container: &Container) -> Vec<String> {
    match (&container.config.cmd, &container.config.entrypoint) {
        (Some(cmd), _) => cmd.clone(),
        (None, Some(_)) => Vec::new(),
        (None, None) => image.cmd.clone().unwrap_or_default(),
    }
}

/// The image config a commit records: the container's merged `Config`.
fn committed_config(image: &ImageConfig, container: &Container) -> ImageConfig {
    let own = &container.config;
    let mut config = image.clone();
    let mut env = own.env.clone();
    for entry in &image.env {
        let name = entry.split('=').next().unwrap_or_default();
        if !env.iter().any(|e| e.split('=').next() == Some(name)) {
            env.push(entry.clone());
        }
    }
    config.env = env;
    let cmd = container_cmd(image, container);
    config.cmd = if cmd.is_empty() && own.cmd.is_none() && own.entrypoint.is_some() { None } else { Some(cmd) };
    if let Some(entrypoint) = &own.entrypoint {
        config.entrypoint = if entrypoint.is_empty() { None } else { Some(entrypoint.clone()) };
    }
    if !own.working_dir.is_empty() {
        config.working_dir = own.working_dir.clone();
    }
    if !own.user.is_empty() {
        config.user = own.user.clone();
    }
    config.exposed_ports.extend(own.exposed_ports.iter().cloned());
    for spec in &container.host_config.port_bindings {
        config.exposed_ports.extend(crate::ports::parse_port_spec(spec).unwrap_or_default().iter().map(crate::ports::PortBinding::key));
    }
    config.volumes.extend(own.volumes.iter().cloned());
    config.labels.extend(own.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    if own.stop_signal.is_some() {
        config.stop_signal = own.stop_signal.clone();
    }
    if let Some(check) = &own.healthcheck {
        config.healthcheck = Some(check.clone());
    }
    config
}

/// The words of an exec-form (`["a","b"]`) or shell-form instruction argument.
fn command_words(text: &str) -> Vec<String> {
    let trimmed = text.trim();
    if trimmed.starts_with('[') {
        if let Ok(words) = serde_json::from_str::<Vec<String>>(trimmed) {
            return words;
        }
    }
    vec!["/bin/sh".into(), "-c".into(), trimmed.to_string()]
}

fn unquote(text: &str) -> String {
    let t = text.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t.to_string()
}

/// `KEY=VALUE KEY2="two words"` or the legacy `KEY VALUE`.
fn pairs(text: &str) -> Vec<(String, String)> {
    let text = text.trim();
    let first = text.split_whitespace().next().unwrap_or_default();
    if !first.contains('=') {
        let value = text[first.len()..].trim();
        return vec![(first.to_string(), unquote(value))];
    }
    let mut result = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut words = Vec::new();
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (_, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    for word in words {
        let (key, value) = word.split_once('=').unwrap_or((&word, ""));
        result.push((unquote(key), unquote(value)));
    }
    result
}

/// One `--change` instruction, as `dockerfile.BuildFromConfig` allows them.
fn apply_change(config: &mut ImageConfig, change: &str) -> Result<(), String> {
    let trimmed = change.trim();
    let (word, rest) = trimmed.split_once(char::is_whitespace).unwrap_or((trimmed, ""));
    let instruction = word.to_ascii_uppercase();
    let rest = rest.trim();
    const ALLOWED: &[&str] = &["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"];
    const KNOWN: &[&str] = &["ADD", "ARG", "COPY", "FROM", "MAINTAINER", "RUN", "SHELL"];
    if !ALLOWED.contains(&instruction.as_str()) {
        if KNOWN.contains(&instruction.as_str()) {
            return Err(format!("{instruction} is not a valid change command"));
        }
        return Err(format!("dockerfile parse error on line 1: unknown instruction: {word}"));
    }
    if rest.is_empty() && instruction != "CMD" && instruction != "ENTRYPOINT" {
        return Err(format!("dockerfile parse error on line 1: {instruction} requires at least one argument"));
    }
    match instruction.as_str() {
        "CMD" => config.cmd = Some(command_words(rest)),
        "ENTRYPOINT" => {
            config.entrypoint = Some(command_words(rest));
            // A new entrypoint drops the inherited CMD, as in a Dockerfile.
            config.cmd = None;
        }
        "ENV" => {
            for (key, value) in pairs(rest) {
                config.set_env(&key, &value);
            }
        }
        "LABEL" => {
            for (key, value) in pairs(rest) {
                config.labels.insert(key, value);
            }
        }
        "EXPOSE" => {
            for port in rest.split_whitespace() {
                let port = if port.contains('/') { port.to_ascii_lowercase() } else { format!("{port}/tcp") };
                config.exposed_ports.insert(port);
            }
        }
        "VOLUME" => {
            let volumes: Vec<String> = if rest.starts_with('[') {
                serde_json::from_str(rest).map_err(|_| "dockerfile parse error on line 1: VOLUME: invalid JSON".to_string())?
            } else {
                rest.split_whitespace().map(str::to_string).collect()
            };
            config.volumes.extend(volumes);
        }
        "WORKDIR" => {
            config.working_dir = crate::fs::normalize(&unquote(rest), if config.working_dir.is_empty() { "/" } else { &config.working_dir });
        }
        "USER" => config.user = unquote(rest),
        "STOPSIGNAL" => config.stop_signal = Some(rest.to_string()),
        "ONBUILD" => config.on_build.push(rest.to_string()),
        "HEALTHCHECK" => {
            let (kind, command) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            config.healthcheck = Some(match kind.to_ascii_uppercase().as_str() {
                "NONE" => Healthcheck { test: vec!["NONE".into()], interval: 0, timeout: 0, start_period: 0, retries: 0 },
                "CMD" => {
                    let words = command_words(command);
                    let test = if words.first().is_some_and(|w| w == "/bin/sh") && words.len() == 3 {
                        vec!["CMD-SHELL".to_string(), words[2].clone()]
                    } else {
                        std::iter::once("CMD".to_string()).chain(words).collect()
                    };
                    Healthcheck { test, interval: 0, timeout: 0, start_period: 0, retries: 0 }
                }
                _ => return Err("dockerfile parse error on line 1: HEALTHCHECK options are not supported in --change".into()),
            });
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_follow_dockerfile_forms() {
        let mut config = ImageConfig::default();
        apply_change(&mut config, r#"CMD ["python", "app.py"]"#).unwrap();
        assert_eq!(config.cmd, Some(vec!["python".to_string(), "app.py".to_string()]));
        apply_change(&mut config, "CMD echo hi").unwrap();
        assert_eq!(config.cmd, Some(vec!["/bin/sh".to_string(), "-c".to_string(), "echo hi".to_string()]));
        apply_change(&mut config, "ENV MODE=prod GREETING=\"hello there\"").unwrap();
        assert_eq!(config.env_value("GREETING"), Some("hello there"));
        apply_change(&mut config, "EXPOSE 8080").unwrap();
        assert!(config.exposed_ports.contains("8080/tcp"));
        apply_change(&mut config, "WORKDIR /srv").unwrap();
        assert_eq!(config.working_dir, "/srv");
        assert_eq!(apply_change(&mut config, "RUN ls").unwrap_err(), "RUN is not a valid change command");
    }
}
