//! The docker CLI's surface as the real 28.2.2 client shows it without a daemon: management
//! aliases under their own names, `--help` and flag errors for every command — modelled or not —
//! and a plain "not modelled" only after the grammar is satisfied.

use engine::{Engine, Outcome, Stream};

fn stdout(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stdout).map(|l| format!("{}\n", l.text)).collect()
}

fn stderr(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stderr).map(|l| format!("{}\n", l.text)).collect()
}

#[test]
fn management_aliases_speak_under_the_typed_name() {
    let mut engine = Engine::new(1);
    // Recorded: `docker container ls --foo` (status 125).
    let bad = engine.run("docker container ls --foo");
    assert_eq!(bad.exit_code, 125);
    assert_eq!(stderr(&bad), "unknown flag: --foo\n\nUsage:  docker container ls [OPTIONS]\n\nRun 'docker container ls --help' for more information\n");
    let help = engine.run("docker container list --help");
    assert!(stdout(&help).starts_with("Usage:  docker container ls [OPTIONS]\n\nList containers\n\nAliases:\n"));
    assert!(stdout(&engine.run("docker ps --help")).starts_with("Usage:  docker ps [OPTIONS]\n"));
    assert_eq!(engine.run("docker image ls").exit_code, 0);
    assert!(stdout(&engine.run("docker image rm --help")).starts_with("Usage:  docker image rm [OPTIONS] IMAGE [IMAGE...]\n"));
    assert_eq!(stderr(&engine.run("docker image rm")).lines().next(), Some("docker: 'docker image rm' requires at least 1 argument"));
}

#[test]
fn unmodelled_commands_still_answer_help_and_flag_errors() {
    let mut engine = Engine::new(1);
    let help = engine.run("docker attach --help");
    assert_eq!(help.exit_code, 0);
    assert!(stdout(&help).starts_with("Usage:  docker attach [OPTIONS] CONTAINER\n\nAttach local standard input"));
    // Recorded: `docker plugin ls --bogus`.
    let bad = engine.run("docker plugin ls --bogus");
    assert_eq!((stderr(&bad).as_str(), bad.exit_code), ("unknown flag: --bogus\n\nUsage:  docker plugin ls [OPTIONS]\n\nRun 'docker plugin ls --help' for more information\n", 125));
    // A management command alone prints its help on stderr and succeeds.
    let group = engine.run("docker trust");
    assert_eq!((stdout(&group).as_str(), group.exit_code), ("", 0));
    assert!(stderr(&group).starts_with("Usage:  docker trust COMMAND\n"));
    assert!(stdout(&engine.run("docker trust key generate --help")).starts_with("Usage:  docker trust key generate NAME\n"));
    // Recorded: `docker container bogus` (status 1).
    let unknown = engine.run("docker checkpoint bogus");
    assert_eq!((stderr(&unknown).as_str(), unknown.exit_code), ("docker: unknown command: docker checkpoint bogus\n\nUsage:  docker checkpoint\n\nRun 'docker checkpoint --help' for more information\n", 1));
    let plain = engine.run("docker plugin ls");
    assert_eq!(plain.exit_code, 1);
    assert!(stderr(&plain).contains("'docker plugin ls' is a real Docker command that this simulator does not model yet"));
}

#[test]
fn every_command_docker_lists_answers_help() {
    let mut engine = Engine::new(1);
    let top = stdout(&engine.run("docker --help"));
    let commands: Vec<String> = top
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && !l.trim_start().starts_with('-'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert_eq!(commands.len(), 57);
    for command in commands {
        let help = engine.run(&format!("docker {command} --help"));
        assert_eq!(help.exit_code, 0, "docker {command} --help");
        assert!(stdout(&help).starts_with("Usage:  docker "), "docker {command} --help:\n{}", help.text());
    }
}
