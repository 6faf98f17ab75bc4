//! The `docker` command: global flags, subcommand dispatch and Docker's error wording.

mod flags;
mod images;
mod info;
mod ps;
mod pull;
mod run;
mod version;

use flags::{Args, CommandSpec, Parsed, UsageError};

use crate::outcome::Outcome;
use crate::world::World;

const DOCKER: CommandSpec = CommandSpec {
    path: "docker",
    help: include_str!("help/docker.txt"),
    args: Args::AtLeast(0),
    interspersed: false,
};

/// Runs `docker` with the words after it.
pub fn run(world: &mut World, words: &[String]) -> Outcome {
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
    let (command, rest) = match (command.as_str(), rest.split_first()) {
        ("container" | "image" | "system", Some((sub, rest))) => {
            match (command.as_str(), sub.as_str()) {
                ("container", "run") => ("run", rest),
                ("container", "ls" | "list" | "ps") => ("ps", rest),
                ("image", "ls" | "list") => ("images", rest),
                ("image", "pull") => ("pull", rest),
                ("system", "info") => ("info", rest),
                _ => return not_simulated(&format!("{command} {sub}")),
            }
        }
        (command, _) => (command, rest),
    };
    let spec_and_handler: Option<(&CommandSpec, fn(&mut World, Parsed) -> Outcome)> = match command {
        "version" => Some((&version::SPEC, version::run)),
        "info" => Some((&info::SPEC, info::run)),
        "run" => Some((&run::SPEC, run::run)),
        "ps" => Some((&ps::SPEC, ps::run)),
        "images" => Some((&images::SPEC, images::run)),
        "pull" => Some((&pull::SPEC, pull::run)),
        _ => None,
    };
    let Some((spec, handler)) = spec_and_handler else {
        if is_docker_command(command) {
            return not_simulated(command);
        }
        let mut outcome = Outcome::default();
        outcome.err(format!("docker: unknown command: docker {command}"));
        outcome.err("");
        outcome.err("Run 'docker --help' for more information");
        return outcome.fail(1);
    };
    match spec.parse(rest) {
        Ok(parsed) if parsed.help => help(spec),
        Ok(parsed) => handler(world, parsed),
        Err(error) => usage_error(spec, &error),
    }
}

fn help(spec: &CommandSpec) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.out_block(spec.help);
    outcome
}

/// Whether the real docker CLI lists `command` in its help.
fn is_docker_command(command: &str) -> bool {
    DOCKER.help.lines().any(|line| {
        line.strip_prefix("  ").and_then(|l| l.split_whitespace().next()) == Some(command)
            && !line.trim_start().starts_with('-')
    })
}

/// A real docker command this version of Whalebox does not model yet; said plainly.
fn not_simulated(command: &str) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.err(format!("whalebox: 'docker {command}' is a real Docker command that this simulator does not model yet"));
    outcome.fail(1)
}

/// A grammar error, printed the way the docker CLI prints it.
fn usage_error(spec: &CommandSpec, error: &UsageError) -> Outcome {
    let mut outcome = Outcome::default();
    let (message, status) = match error {
        UsageError::Flag(message) => (message.clone(), 125),
        UsageError::Args(message) => (format!("docker: {message}"), 1),
    };
    outcome.err(message);
    outcome.err("");
    outcome.err(format!("Usage:  {}", spec.usage_line()));
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
