//! Conformance of `engine::dockerignore` with moby/patternmatcher and its `ignorefile.ReadAll`,
//! over the third-party tables in `../shared/corpus/dockerignore` (read at run time, never
//! copied). Each test prints its counts (`cargo test -- --nocapture` shows them) and fails listing
//! every row that does not match.

use std::fs;
use std::path::{Path, PathBuf};

use engine::dockerignore::{
    clean, matches_or_parent_matches, matches_single_parent, read_all, DockerIgnore, DockerIgnoreError, PatternError,
    PatternMatcher,
};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/dockerignore");

/// A corpus file; a missing corpus is a failure, never a silent pass.
fn corpus_file(name: &str) -> PathBuf {
    let root = Path::new(CORPUS);
    assert!(
        root.is_dir(),
        "dockerignore corpus not found at {} — these tests need ../shared/corpus next to the workspace",
        root.display()
    );
    let path = root.join(name);
    assert!(path.is_file(), "corpus file {} is missing", path.display());
    path
}

fn read(name: &str) -> String {
    let path = corpus_file(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn jsonl(name: &str) -> Vec<Value> {
    let rows: Vec<Value> = read(name)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: bad JSON line {line:?}: {e}")))
        .collect();
    assert!(!rows.is_empty(), "{name} has no rows");
    rows
}

fn text<'a>(row: &'a Value, field: &str) -> &'a str {
    row[field].as_str().unwrap_or_else(|| panic!("row {row} has no string field {field:?}"))
}

fn flag(row: &Value, field: &str) -> bool {
    row[field].as_bool().unwrap_or_else(|| panic!("row {row} has no boolean field {field:?}"))
}

fn strings(row: &Value, field: &str) -> Vec<String> {
    row[field]
        .as_array()
        .unwrap_or_else(|| panic!("row {row} has no list field {field:?}"))
        .iter()
        .map(|pattern| pattern.as_str().unwrap_or_else(|| panic!("row {row}: non-string pattern")).to_string())
        .collect()
}

/// The expected outcome of a row: a match verdict, or (when `error` is set) a refused pattern.
fn expected(row: &Value) -> Result<bool, String> {
    match &row["error"] {
        Value::Null => Ok(flag(row, "match")),
        Value::String(kind) => Err(kind.clone()),
        other => panic!("row {row}: unexpected error field {other}"),
    }
}

/// Rows for Windows only test `\` as a separator, which a Linux simulator never sees.
fn windows_only(row: &Value) -> bool {
    row["platform"].as_str() == Some("windows")
}

/// Counts per table; failures are collected so one run shows all of them.
struct Tally {
    table: &'static str,
    passed: usize,
    windows_skipped: usize,
    failures: Vec<String>,
}

impl Tally {
    fn new(table: &'static str) -> Tally {
        Tally { table, passed: 0, windows_skipped: 0, failures: Vec::new() }
    }

    fn check(&mut self, ok: bool, describe: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failures.push(describe());
        }
    }

    fn finish(self) {
        let total = self.passed + self.failures.len();
        println!(
            "{}: {}/{} passed, {} windows-only rows skipped",
            self.table, self.passed, total, self.windows_skipped
        );
        assert!(
            self.failures.is_empty(),
            "{} mismatches in {}:\n{}",
            self.failures.len(),
            self.table,
            self.failures.join("\n")
        );
        assert!(self.passed > 0, "{}: no rows were checked", self.table);
    }
}

/// Whether a pattern error is the kind the corpus names (`bad_pattern` is `filepath.ErrBadPattern`;
/// `error` is any error).
fn error_fits(error: &PatternError, kind: &str) -> bool {
    match kind {
        "bad_pattern" => matches!(error, PatternError::Syntax { .. }),
        "error" => true,
        other => panic!("unknown error kind {other:?} in the corpus"),
    }
}

fn outcome_fits(actual: &Result<bool, PatternError>, wanted: &Result<bool, String>) -> bool {
    match (actual, wanted) {
        (Ok(got), Ok(want)) => got == want,
        (Err(error), Err(kind)) => error_fits(error, kind),
        _ => false,
    }
}

/// Go's `filepath.Match` table as patternmatcher's `TestMatch` runs it: through the deprecated
/// `Matches(file, []string{pattern})`, whose single-parent check turns `a*` vs `ab/c` into a match.
#[test]
fn filepath_match_table() {
    let mut tally = Tally::new("patternmatcher-filepath-match.jsonl");
    for row in jsonl("patternmatcher-filepath-match.jsonl") {
        if windows_only(&row) {
            tally.windows_skipped += 1;
            continue;
        }
        let (pattern, path) = (text(&row, "pattern"), text(&row, "path"));
        let wanted = expected(&row);
        let actual = matches_single_parent(path, &[pattern]);
        tally.check(outcome_fits(&actual, &wanted), || {
            format!("Matches({path:?}, [{pattern:?}]) = {actual:?}, want {wanted:?}")
        });
    }
    tally.finish();
}

/// patternmatcher's `TestMatches` (single and multi-pattern) through `MatchesOrParentMatches`,
/// and, where the path is already clean and relative, through a `.dockerignore` holding the same
/// lines, as the build engine asks.
#[test]
fn matches_table() {
    let mut tally = Tally::new("patternmatcher-matches.jsonl");
    let mut through_dockerignore = Tally::new("patternmatcher-matches.jsonl via DockerIgnore::is_excluded");
    for row in jsonl("patternmatcher-matches.jsonl") {
        if windows_only(&row) {
            tally.windows_skipped += 1;
            through_dockerignore.windows_skipped += 1;
            continue;
        }
        let test = text(&row, "test");
        assert!(test.starts_with("TestMatches"), "row {row}: unknown test {test:?}");
        let (patterns, path, wanted) = (strings(&row, "patterns"), text(&row, "path"), flag(&row, "match"));

        let actual = PatternMatcher::new(&patterns).map(|matcher| matcher.matches_or_parent_matches(path));
        tally.check(actual == Ok(wanted), || {
            format!("{test}: MatchesOrParentMatches({path:?}) with {patterns:?} = {actual:?}, want {wanted}")
        });

        if clean(path) == path && !path.starts_with('/') {
            let file = patterns.join("\n");
            let actual = DockerIgnore::parse(&file).map(|ignore| ignore.is_excluded(path));
            through_dockerignore.check(actual == Ok(wanted), || {
                format!("{test}: .dockerignore {file:?} excludes {path:?} = {actual:?}, want {wanted}")
            });
        }
    }
    tally.finish();
    through_dockerignore.finish();
}

/// patternmatcher's small named tests; the `function` field says which entry point they use.
#[test]
fn simple_table() {
    let mut tally = Tally::new("patternmatcher-simple.jsonl");
    for row in jsonl("patternmatcher-simple.jsonl") {
        if windows_only(&row) {
            tally.windows_skipped += 1;
            continue;
        }
        let (patterns, path, wanted) = (strings(&row, "patterns"), text(&row, "path"), expected(&row));
        let function = text(&row, "function");
        let actual = if function.starts_with("Matches (deprecated") {
            matches_single_parent(path, &patterns)
        } else if function.starts_with("MatchesOrParentMatches") {
            matches_or_parent_matches(path, &patterns)
        } else {
            panic!("row {row}: unknown function {function:?}");
        };
        let test = text(&row, "test");
        tally.check(outcome_fits(&actual, &wanted), || {
            format!("{test}: {function} of {path:?} with {patterns:?} = {actual:?}, want {wanted:?}")
        });
    }
    tally.finish();
}

/// `ignorefile.ReadAll` on the corpus file gives the expected list, lone `!` lines included; the
/// same file then fails as a `.dockerignore`, because patternmatcher refuses a lone `!`.
#[test]
fn ignorefile_read_all() {
    let mut tally = Tally::new("ignorefile-readall");
    let input = read("ignorefile-readall.dockerignore");
    let wanted: Vec<String> = read("ignorefile-readall.expected").lines().map(str::to_string).collect();
    let actual = read_all(&input);
    tally.check(actual.as_ref() == Ok(&wanted), || format!("ReadAll = {actual:?}, want {wanted:?}"));

    let parsed = DockerIgnore::parse(&input);
    let lone_exclamation_line = match &parsed {
        Err(DockerIgnoreError::LoneExclamation { line }) => input.lines().nth(line - 1).map(str::trim),
        _ => None,
    };
    tally.check(lone_exclamation_line == Some("!"), || {
        format!("DockerIgnore::parse = {parsed:?}, want the illegal exclusion on a line holding `!`")
    });
    tally.finish();
}
