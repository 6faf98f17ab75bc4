//! Tab completion for `docker` command lines: subcommands and flags, read from the same recorded
//! `--help` texts the parser reads, so completion offers exactly what the grammar accepts.

use crate::docker::commands::{flag_words, help_of, subcommands};
use crate::world::World;

/// The words that could replace the last (partial) word of `line_prefix`, in the order Docker's
/// help lists them (subcommands) or alphabetically (flags). `"docker con"` → `["config",
/// "container", "context"]`; `"docker run --de"` → `["--detach", "--detach-keys", "--device", …]`.
/// A prefix ending in a space completes a new, empty word.
pub fn candidates(line_prefix: &str) -> Vec<String> {
    complete(None, line_prefix)
}

/// [`candidates`], plus the names an argument can take in `world`: container names where the
/// command's usage line asks for a CONTAINER, image references where it asks for an IMAGE,
/// network and volume names for `docker network …`/`docker volume …`.
pub fn candidates_in(world: &World, line_prefix: &str) -> Vec<String> {
    complete(Some(world), line_prefix)
}

fn complete(world: Option<&World>, line_prefix: &str) -> Vec<String> {
    let mut words: Vec<&str> = line_prefix.split_whitespace().collect();
    let partial = if line_prefix.ends_with(char::is_whitespace) || words.is_empty() { "" } else { words.pop().unwrap_or("") };
    let Some((first, rest)) = words.split_first() else {
        return matching(["docker"], partial);
    };
    if *first != "docker" {
        return Vec::new();
    }
    // Walk down the command tree; the first word that is not a subcommand is an argument.
    let mut path = String::new();
    let mut at_argument = false;
    let mut after_value_flag = false;
    for word in rest {
        if after_value_flag {
            after_value_flag = false;
            continue;
        }
        if word.starts_with('-') {
            after_value_flag = takes_value(&path, word);
            continue;
        }
        let next = if path.is_empty() { word.to_string() } else { format!("{path} {word}") };
        if !at_argument && subcommands(&path).contains(word) && help_of(&next).is_some() || path.is_empty() && ["buildx", "scout"].contains(word) {
            path = next;
        } else {
            at_argument = true;
        }
    }
    if partial.starts_with('-') {
        let mut flags = help_of(&path).map(flag_words).unwrap_or_default();
        flags.push("--help".to_string());
        flags.sort();
        flags.dedup();
        return matching(flags, partial);
    }
    if after_value_flag {
        return Vec::new();
    }
    let offered = if at_argument { Vec::new() } else { subcommands(&path) };
    if !offered.is_empty() {
        return matching(offered, partial);
    }
    match world {
        Some(world) => matching(argument_names(world, &path), partial),
        None => Vec::new(),
    }
}

/// What the command's `Usage:` line says its arguments are, filled from the world.
fn argument_names(world: &World, path: &str) -> Vec<String> {
    let usage = help_of(path).and_then(|h| h.lines().next()).unwrap_or_default();
    let mut names = Vec::new();
    if usage.contains("CONTAINER") {
        names.extend(world.containers().iter().map(|c| c.name.clone()));
    }
    if usage.contains("IMAGE") || usage.contains("SOURCE_IMAGE") {
        names.extend(world.images().flat_map(|i| i.repo_tags.iter().cloned()));
    }
    if usage.contains("NETWORK") {
        names.extend(world.networks().iter().map(|n| n.name.clone()));
    }
    if usage.contains("VOLUME") {
        names.extend(world.volumes().iter().map(|v| v.name.clone()));
    }
    names.sort();
    names.dedup();
    names
}

/// Whether `flag` (`--name`, `-p`, not `--name=x`) of `docker PATH` takes the next word as value.
fn takes_value(path: &str, flag: &str) -> bool {
    if flag.contains('=') {
        return false;
    }
    let Some(help) = help_of(path) else { return false };
    crate::docker::commands::flag_kinds(help)
        .into_iter()
        .any(|(long, short, valued)| valued && (flag.strip_prefix("--") == Some(long.as_str()) || flag.len() == 2 && flag.strip_prefix('-').and_then(|s| s.chars().next()) == short))
}

fn matching<S: AsRef<str>>(options: impl IntoIterator<Item = S>, partial: &str) -> Vec<String> {
    options.into_iter().map(|o| o.as_ref().to_string()).filter(|o| o.starts_with(partial)).collect()
}

#[cfg(test)]
mod tests {
    use super::candidates;

    #[test]
    fn completes_commands_subcommands_and_flags() {
        assert_eq!(candidates("doc"), ["docker"]);
        assert_eq!(candidates("docker con"), ["container", "context", "config"]);
        assert_eq!(candidates("docker container l"), ["logs", "ls"]);
        assert_eq!(candidates("docker network "), ["connect", "create", "disconnect", "inspect", "ls", "prune", "rm"]);
        assert_eq!(candidates("docker ps --fo"), ["--format"]);
        assert_eq!(candidates("docker container ls -"), ["--all", "--filter", "--format", "--help", "--last", "--latest", "--no-trunc", "--quiet", "--size", "-a", "-f", "-l", "-n", "-q", "-s"]);
        assert!(candidates("docker run --m").contains(&"--memory-swap".to_string()));
        assert_eq!(candidates("docker compose up --bu"), ["--build"]);
        assert_eq!(candidates("docker volume "), ["create", "inspect", "ls", "prune", "rm", "update"]);
    }

    #[test]
    fn arguments_come_from_the_world() {
        let mut engine = crate::Engine::new(5);
        engine.run("docker pull -q busybox");
        engine.run("docker run -d --name web busybox sleep 100");
        engine.run("docker run -d --name worker busybox sleep 100");
        engine.run("docker network create backend");
        let world = engine.world();
        assert_eq!(super::candidates_in(world, "docker logs w"), ["web", "worker"]);
        assert_eq!(super::candidates_in(world, "docker container stop -t 3 we"), ["web"]);
        assert_eq!(super::candidates_in(world, "docker rmi b"), ["busybox:latest"]);
        assert_eq!(super::candidates_in(world, "docker network inspect b"), ["backend", "bridge"]);
        assert!(super::candidates_in(world, "docker ps ").is_empty());
    }

    #[test]
    fn arguments_and_flag_values_get_no_subcommands() {
        assert!(candidates("docker run alpine ").is_empty());
        assert!(candidates("docker run --name ").is_empty());
        assert!(candidates("git ").is_empty());
        // After a value flag's value, flags are offered again.
        assert!(candidates("docker run --name web -").contains(&"--detach".to_string()));
    }
}
