//! `whalebox lesson|drill|interview` as a learner and the project's checks use them.

use std::io::Write;
use std::process::{Command, Stdio};

fn whalebox(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_whalebox"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("whalebox runs");
    child.stdin.take().expect("stdin is piped").write_all(input.as_bytes()).expect("input is written");
    let output = child.wait_with_output().expect("whalebox finishes");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into(), String::from_utf8_lossy(&output.stderr).into())
}

#[test]
fn lesson_list_prints_id_kind_title_per_line() {
    let (status, out, _) = whalebox(&["lesson", "list"], "");
    assert_eq!(status, 0);
    let catalog = lessons::Catalog::embedded().expect("content loads");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), catalog.items.len());
    for (line, item) in lines.iter().zip(&catalog.items) {
        assert_eq!(*line, format!("{}\t{}\t{}", item.id, item.kind.as_str(), item.title));
    }
    assert!(lines.contains(&"layer-cache\tlesson\tThe layer cache and instruction order"));
}

#[test]
fn a_lesson_played_in_the_terminal_shows_progress_and_completes() {
    let catalog = lessons::Catalog::embedded().expect("content loads");
    let steps = catalog.get("layer-cache").expect("the layer-cache lesson").steps.len();
    // The first step by hand, every later one by `demo` (the reference solution, played).
    let input = format!("docker images\nhint\necho \"print('v2')\" >> app.py\ndocker build -q -t shop:2 .\n{}", "demo\n".repeat(steps - 1));
    let (status, out, _) = whalebox(&["lesson", "start", "layer-cache"], &input);
    assert!(out.contains("━━ The layer cache and instruction order (lesson, beginner, about "), "{out}");
    assert!(out.contains(&format!("── Step 1 of {steps}")), "{out}");
    assert!(out.contains(&format!("» Step 1/{steps}: still missing: no image shop:2 yet; no docker build yet")), "{out}");
    assert!(out.contains("Hint 1/"), "{out}");
    assert!(out.contains("✓ Step 1 done."), "{out}");
    assert!(out.contains(&format!("✓ Step {steps} done.")), "{out}");
    assert!(out.contains("━━ Complete: The layer cache and instruction order"), "{out}");
    assert_eq!(status, 0);
}

#[test]
fn leaving_early_or_asking_for_nothing_exits_nonzero() {
    let (status, out, _) = whalebox(&["lesson", "start", "layer-cache"], "quit\n");
    assert_eq!(status, 1);
    assert!(!out.contains("Complete"));
    let (status, _, err) = whalebox(&["lesson", "start", "no-such-item"], "");
    assert_eq!(status, 2);
    assert!(err.contains("no item 'no-such-item'; `whalebox lesson list` shows them all"), "{err}");
    let (status, _, err) = whalebox(&["drill", "layer-cache"], "");
    assert_eq!(status, 2);
    assert!(err.contains("layer-cache is a lesson, not a drill"), "{err}");
    let (status, _, err) = whalebox(&["lesson"], "");
    assert_eq!(status, 2);
    assert!(err.contains("Usage:"), "{err}");
}

#[test]
fn lesson_check_reports_file_and_line_for_a_broken_item() {
    let dir = std::env::temp_dir().join(format!("whalebox-check-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("lessons/content/lessons")).expect("temp dir");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::copy(repo.join("lessons/guides.toml"), dir.join("lessons/guides.toml")).expect("guides copied");
    let broken = dir.join("lessons/content/lessons/broken.toml");
    std::fs::write(&broken, "id = \"broken\"\ntitle = \"x\"\nkind = \"lesson\"\nlevel = \"expert\"\n").expect("written");
    let output = Command::new(env!("CARGO_BIN_EXE_whalebox")).args(["lesson", "check"]).current_dir(&dir).output().expect("runs");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(err.contains("lessons/broken.toml:4: unknown variant `expert`"), "{err}");
    let good = std::fs::read_to_string(repo.join("lessons/content/lessons/layer-cache.toml")).expect("example");
    std::fs::write(&broken, good.replace("id = \"layer-cache\"", "id = \"broken\"")).expect("written");
    let output = Command::new(env!("CARGO_BIN_EXE_whalebox")).args(["lesson", "check"]).current_dir(&dir).output().expect("runs");
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(out.contains("ok      broken\tlesson") && out.contains("1 items, 0 failed"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
