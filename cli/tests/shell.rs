//! `whalebox shell` fed from a pipe prints exactly what the engine produces, stream by stream,
//! and exits with the last command's status, like `sh` reading a script.

use std::io::Write;
use std::process::{Command, Stdio};

use engine::{Engine, Stream};

const SCRIPT: &str = "docker run hello-world\ndocker ps -a\ndocker images\ndocker foo\n";

fn run_shell(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_whalebox"))
        .arg("shell")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("whalebox starts");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn expected_streams(seed: u64, input: &str) -> (String, String, i32) {
    let mut engine = Engine::new(seed);
    let (mut stdout, mut stderr, mut status) = (String::new(), String::new(), 0);
    for line in input.lines() {
        let outcome = engine.run(line);
        for output in &outcome.output {
            let stream = if output.stream == Stream::Stdout { &mut stdout } else { &mut stderr };
            stream.push_str(&output.text);
            stream.push('\n');
        }
        status = outcome.exit_code;
    }
    (stdout, stderr, status)
}

#[test]
fn piped_shell_prints_the_engines_bytes() {
    let output = run_shell(&["--seed", "5"], SCRIPT);
    let (stdout, stderr, status) = expected_streams(5, SCRIPT);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), stdout);
    assert_eq!(String::from_utf8(output.stderr).unwrap(), stderr);
    assert!(stdout.contains("Hello from Docker!") && stdout.contains("Exited (0)"));
    // The last command, `docker foo`, failed with status 1.
    assert_eq!((output.status.code(), status), (Some(1), 1));
}

#[test]
fn seed_changes_ids_and_defaults_to_one() {
    let default = run_shell(&[], "docker run -d hello-world\n");
    let seeded = run_shell(&["--seed", "1"], "docker run -d hello-world\n");
    let other = run_shell(&["--seed", "2"], "docker run -d hello-world\n");
    assert_eq!(default.stdout, seeded.stdout);
    assert_ne!(seeded.stdout, other.stdout);
    assert_eq!(output_success(&default), 64 + 1, "a 64-digit ID and a newline");
}

fn output_success(output: &std::process::Output) -> usize {
    assert!(output.status.success());
    output.stdout.len()
}

#[test]
fn bad_options_are_reported() {
    let output = run_shell(&["--seed", "many"], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--seed needs a number, got 'many'"));
}

#[test]
fn piped_heredocs_span_lines() {
    let output = run_shell(&[], "cat > notes.txt <<'EOF'\nfirst line\nsecond line\nEOF\ncat notes.txt\necho 'open\nquote'\n");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "first line\nsecond line\nopen\nquote\n");
    assert!(output.status.success());
}
