//! Transcript tests: each `transcripts/*.txt` file is a terminal session (commands after `$ `,
//! their continuation lines after `> `, stderr lines marked `! `, non-zero exits as `[exit N]`) that the engine must reproduce byte for
//! byte. A command that keeps running (`docker logs -f`, `docker stats`, an attached server) is
//! followed by `^C after Ns`: the harness lets N simulated seconds pass, then presses Ctrl-C. Run with `UPDATE_TRANSCRIPTS=1` to re-record the files from the engine after a deliberate
//! change, then review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use engine::{Engine, Stream};

const SEED_HEADER: &str = "# seed: ";
const INTERRUPT: &str = "^C after ";

fn transcript_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
}

/// Replays the commands of `expected` and writes what the engine actually printed in the same form.
fn replay(expected: &str) -> String {
    let mut seed = 1;
    let mut actual = String::new();
    let mut commands: Vec<String> = Vec::new();
    for line in expected.lines() {
        if let Some(value) = line.strip_prefix(SEED_HEADER) {
            seed = value.trim().parse().expect("seed must be a number");
        }
        if let Some(command) = line.strip_prefix("$ ") {
            commands.push(command.to_string());
        } else if line.starts_with(INTERRUPT) {
            commands.push(line.to_string());
        } else if let (Some(more), Some(last)) = (line.strip_prefix("> "), commands.last_mut()) {
            last.push('\n');
            last.push_str(more);
        } else if line.starts_with('#') || commands.is_empty() {
            // Header comments stay where they were.
            if commands.is_empty() {
                actual.push_str(line);
                actual.push('\n');
            }
        }
    }
    let mut engine = Engine::new(seed);
    for command in commands {
        let outcome = if let Some(seconds) = command.strip_prefix(INTERRUPT) {
            let seconds: u64 = seconds.trim_end_matches('s').parse().expect("`^C after Ns`");
            let mut outcome = engine.tick(seconds * 1000);
            if engine.is_live() {
                let interrupted = engine.interrupt();
                outcome.output.extend(interrupted.output);
                outcome.exit_code = interrupted.exit_code;
            }
            actual.push_str(&format!("{command}\n"));
            outcome
        } else {
            actual.push_str(&format!("$ {}\n", command.replace('\n', "\n> ")));
            engine.run(&command)
        };
        for line in &outcome.output {
            if line.stream == Stream::Stderr {
                actual.push_str("! ");
            }
            actual.push_str(&line.text);
            actual.push('\n');
        }
        if outcome.exit_code != 0 {
            actual.push_str(&format!("[exit {}]\n", outcome.exit_code));
        }
    }
    actual
}

#[test]
fn transcripts_replay_exactly() {
    let files = transcript_files();
    assert!(!files.is_empty(), "no transcripts found");
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let mut failures = Vec::new();
    for file in files {
        let expected = fs::read_to_string(&file).unwrap();
        let actual = replay(&expected);
        if actual == expected {
            continue;
        }
        if update {
            fs::write(&file, &actual).unwrap();
            continue;
        }
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .find(|(_, (e, a))| e != a)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .unwrap_or_else(|| "one transcript is a prefix of the other".into());
        failures.push(format!("{}: {first_difference}", file.display()));
    }
    assert!(failures.is_empty(), "transcripts differ (UPDATE_TRANSCRIPTS=1 re-records):\n{}", failures.join("\n"));
}
