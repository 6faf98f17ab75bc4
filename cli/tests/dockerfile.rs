//! `whalebox dockerfile dump FILE`: BuildKit's dump on stdout and status 0, or Docker's parse
//! error with its line on stderr and status 1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus");

fn dump(path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whalebox"))
        .arg("dockerfile")
        .arg("dump")
        .arg(path)
        .output()
        .expect("whalebox starts")
}

fn scratch_file(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("whalebox-dockerfile-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("scratch file written");
    path
}

#[test]
fn dumps_a_buildkit_golden_byte_for_byte() {
    let case = Path::new(CORPUS).join("buildkit-parser/env");
    assert!(
        case.is_dir(),
        "conformance corpus not found at {}",
        case.display()
    );
    let output = dump(&case.join("Dockerfile"));
    let expected = std::fs::read_to_string(case.join("result")).expect("golden result");
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

#[test]
fn dumps_instructions_that_only_fail_later() {
    // The dump is the parse tree: an unknown flag is the build's problem, not the parser's.
    let path = scratch_file("flags", "FROM scratch\nCOPY --user=me foo /tmp/\n");
    let output = dump(&path);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "(from \"scratch\")\n(copy [\"--user=me\"] \"foo\" \"/tmp/\")\n"
    );
}

#[test]
fn reports_parse_errors_with_their_line() {
    let path = scratch_file("env", "FROM busybox\n\nENV PATH\n");
    let output = dump(&path);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "dockerfile parse error on line 3: ENV must have two arguments\n"
    );

    let empty = scratch_file("empty", "# nothing here\n");
    let output = dump(&empty);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "file with no instructions\n"
    );
}

#[test]
fn missing_files_and_bad_usage_fail() {
    let output = dump(Path::new("/nonexistent/Dockerfile"));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent/Dockerfile"));
    let output = Command::new(env!("CARGO_BIN_EXE_whalebox"))
        .args(["dockerfile", "lint"])
        .output()
        .expect("whalebox starts");
    assert_eq!(output.status.code(), Some(2));
}
