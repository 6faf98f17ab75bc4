//! Tidy checks over the workspace's own Rust sources, run by `cargo test --workspace`.
//!
//! - every `.rs` file under a member's `src/`, `tests/`, `examples/` (and `benches/`) starts with
//!   a `//!` line saying what it is;
//! - `engine/src`, outside `engine/src/host/`, never names a clock, a file, the network, an
//!   unseeded random source or the browser;
//! - no test is skipped or expected to panic, and no unfinished or debugging macro is left behind.
//!
//! The banned markers are assembled from pieces below, so this file does not trip its own check.

use std::path::{Path, PathBuf};

const MEMBERS: [&str; 6] = ["engine", "lessons", "app", "cli", "xtask", "conformance"];
const SOURCE_DIRS: [&str; 4] = ["src", "tests", "examples", "benches"];

/// What the pure engine must not name (outside `engine/src/host/`).
const ENGINE_FORBIDDEN: [&str; 6] = [
    "std::time",
    "std::fs",
    "std::net",
    "thread_rng",
    "leptos",
    "web_sys",
];

/// Markers of skipped tests, panic-expecting tests and unfinished or debugging code.
fn banned_markers() -> [String; 5] {
    [
        format!("#[{}", "ignore"),
        format!("#[{}", "should_panic"),
        format!("{}!(", "todo"),
        format!("{}!(", "unimplemented"),
        format!("{}!(", "dbg"),
    ]
}

fn root() -> PathBuf {
    crate::workspace_root()
}

/// Every `.rs` file below `dir`, skipping build output and dependencies.
fn rust_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && name != "dist" {
                rust_files_under(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The Rust sources of the members' `src/`, `tests/`, `examples/`, `benches/`.
fn member_sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for member in MEMBERS {
        for dir in SOURCE_DIRS {
            rust_files_under(&root().join(member).join(dir), &mut files);
        }
    }
    files.sort();
    files
}

/// Every `.rs` file anywhere in the members (build scripts included).
fn all_member_rust() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for member in MEMBERS {
        rust_files_under(&root().join(member), &mut files);
    }
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn starts_with_module_doc(text: &str) -> bool {
    text.starts_with("//!")
}

fn forbidden_names(text: &str) -> Vec<&'static str> {
    ENGINE_FORBIDDEN
        .iter()
        .copied()
        .filter(|name| text.contains(name))
        .collect()
}

/// `(line number, marker)` for each banned marker in `text`. An attribute marker counts only when
/// the attribute name ends there (`]`, `(`, `=` or a space), so longer names are not mistaken for it.
fn banned_in(text: &str) -> Vec<(usize, String)> {
    let markers = banned_markers();
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for marker in &markers {
            let hit = line.match_indices(marker.as_str()).any(|(at, _)| {
                !marker.starts_with('#')
                    || matches!(
                        line[at + marker.len()..].chars().next(),
                        Some(']' | '(' | '=' | ' ')
                    )
            });
            if hit {
                found.push((number + 1, marker.clone()));
            }
        }
    }
    found
}

fn report(problems: &[String], what: &str) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

#[test]
fn the_scan_sees_the_whole_workspace() {
    let files: Vec<String> = member_sources().iter().map(|f| relative(f)).collect();
    for expected in [
        "engine/src/lib.rs",
        "xtask/src/tidy.rs",
        "cli/src/main.rs",
        "app/src/lib.rs",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} not found among {files:?}"
        );
    }
    assert!(
        files.iter().all(|f| !f.contains("/target/")),
        "build output scanned: {files:?}"
    );
}

#[test]
fn every_rust_file_starts_with_a_module_doc_line() {
    let problems: Vec<String> = member_sources()
        .into_iter()
        .filter(|path| !starts_with_module_doc(&read(path)))
        .map(|path| {
            format!(
                "{} does not start with a `//!` line saying what it is",
                relative(&path)
            )
        })
        .collect();
    report(&problems, "files without a module doc line");
}

#[test]
fn engine_core_names_no_clock_file_network_randomness_or_browser() {
    let engine_src = root().join("engine/src");
    let host = engine_src.join("host");
    let mut files = Vec::new();
    rust_files_under(&engine_src, &mut files);
    assert!(
        !files.is_empty(),
        "no engine sources found under {}",
        engine_src.display()
    );
    let problems: Vec<String> = files
        .into_iter()
        .filter(|path| !path.starts_with(&host))
        .flat_map(|path| {
            let text = read(&path);
            forbidden_names(&text)
                .into_iter()
                .map(|name| {
                    format!(
                        "{} names `{name}` (only engine/src/host/ may)",
                        relative(&path)
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    report(&problems, "I/O or browser names in the pure engine");
}

#[test]
fn no_skipped_tests_panic_tests_or_unfinished_code() {
    let problems: Vec<String> = all_member_rust()
        .into_iter()
        .flat_map(|path| {
            let text = read(&path);
            banned_in(&text)
                .into_iter()
                .map(|(line, marker)| format!("{}:{line}: `{marker}`", relative(&path)))
                .collect::<Vec<_>>()
        })
        .collect();
    report(
        &problems,
        "skipped or panic-expecting tests, or unfinished/debugging code",
    );
}

#[test]
fn the_checks_catch_what_they_are_for() {
    // Module docs.
    assert!(starts_with_module_doc("//! The engine.\nmod x;\n"));
    assert!(!starts_with_module_doc(
        "/// An item doc, not a module doc.\nfn f() {}\n"
    ));
    assert!(!starts_with_module_doc("\n//! Too late.\n"));
    assert!(!starts_with_module_doc("use std::fmt;\n"));

    // Engine purity.
    assert_eq!(
        forbidden_names("let t = std::time::Instant::now();"),
        vec!["std::time"]
    );
    assert_eq!(
        forbidden_names("use leptos::prelude::*; use web_sys::Window;"),
        vec!["leptos", "web_sys"]
    );
    assert_eq!(
        forbidden_names("let mut rng = rand::thread_rng(); std::fs::read(p); std::net::TcpStream"),
        vec!["std::fs", "std::net", "thread_rng"]
    );
    assert!(forbidden_names("let clock = SimClock::default();").is_empty());

    // Banned markers, written in pieces so this file stays clean.
    let skip = format!("#[{}]\n#[test]\nfn later() {{}}", "ignore");
    assert_eq!(banned_in(&skip), vec![(1, format!("#[{}", "ignore"))]);
    let skip_reason = format!("#[{} = \"slow\"]", "ignore");
    assert_eq!(banned_in(&skip_reason).len(), 1);
    let panics = format!("#[{}(expected = \"boom\")]", "should_panic");
    assert_eq!(banned_in(&panics).len(), 1);
    let unfinished = format!(
        "fn a() {{ {}!() }}\nfn b() {{ {}!(\"x\") }}\nlet y = {}!(x);",
        "todo", "unimplemented", "dbg"
    );
    assert_eq!(
        banned_in(&unfinished)
            .iter()
            .map(|(line, _)| *line)
            .collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(banned_in("#[ignored_helper_attr]\nlet s = \"todo list\";").is_empty());
}
