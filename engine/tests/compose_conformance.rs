//! Compose loader conformance against compose-go's own tables in `../shared/corpus`:
//! interpolation, dotenv, YAML features, and the 82 real compose files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use engine::compose::{self, dotenv, interpolate::Substitution, yaml};
use serde_json::Value as Json;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

fn jsonl(path: &Path) -> Vec<Json> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("jsonl line")).collect()
}

fn strings(map: &Json) -> BTreeMap<String, String> {
    map.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect()).unwrap_or_default()
}

/// Per-table tally; panics with every failure listed.
struct Tally {
    table: &'static str,
    passed: usize,
    failures: Vec<String>,
}

impl Tally {
    fn new(table: &'static str) -> Self {
        Tally { table, passed: 0, failures: Vec::new() }
    }
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failures.push(what());
        }
    }
    fn finish(self) {
        let total = self.passed + self.failures.len();
        assert!(total > 0, "{}: no cases ran", self.table);
        assert!(self.failures.is_empty(), "{}: {}/{} passed\n{}", self.table, self.passed, total, self.failures.join("\n"));
        eprintln!("{}: {}/{} passed", self.table, self.passed, total);
    }
}

#[test]
fn interpolation_table() {
    let rows = jsonl(&corpus().join("compose-interpolation/compose-go-template-substitute.jsonl"));
    let env = strings(&rows[0]["_environment"]);
    let mut tally = Tally::new("compose-interpolation");
    for row in &rows[1..] {
        let template = row["template"].as_str().unwrap_or_default();
        let got = Substitution::new(&env).substitute(template);
        let ok = match (row["expected"].as_str(), row["error_contains"].as_str(), &got) {
            (Some(expected), _, Ok(got)) => got == expected,
            (None, Some(error), Err(got)) => got.to_string().contains(error),
            _ => false,
        };
        tally.check(ok, || format!("  {} {template:?}: got {got:?}, want {} / {}", row["test"], row["expected"], row["error_contains"]));
    }
    tally.finish();
}

#[test]
fn dotenv_parse_table() {
    let rows = jsonl(&corpus().join("dotenv/compose-go-dotenv-parse.jsonl"));
    let mut tally = Tally::new("dotenv-parse");
    for row in &rows {
        let input = row["input"].as_str().unwrap_or_default();
        let got = dotenv::parse(input, &BTreeMap::new());
        let ok = match (&row["expected"], row["error"].as_str(), &got) {
            (Json::Object(_), _, Ok(got)) => *got == strings(&row["expected"]),
            // "format error" names the kind of failure, not its wording.
            (Json::Null, Some("format error"), Err(_)) => true,
            (Json::Null, Some(error), Err(got)) => got.contains(error),
            _ => false,
        };
        tally.check(ok, || format!("  {} {input:?}: got {got:?}, want {} / {}", row["test"], row["expected"], row["error"]));
    }
    tally.finish();
}

#[test]
fn dotenv_fixture_table() {
    let rows = jsonl(&corpus().join("dotenv/compose-go-dotenv-fixtures.jsonl"));
    let mut tally = Tally::new("dotenv-fixtures");
    for row in &rows {
        let fixture = row["fixture"].as_str().unwrap_or_default();
        let path = corpus().join("compose-trees/compose-go/dotenv").join(fixture);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = dotenv::parse(&text, &BTreeMap::new());
        let want = strings(&row["expected_subset"]);
        let ok = got.as_ref().is_ok_and(|got| want.iter().all(|(k, v)| got.get(k) == Some(v)));
        tally.check(ok, || format!("  {fixture}: got {got:?}, want subset {want:?}"));
    }
    tally.finish();
}

#[test]
fn yaml_features_table() {
    let dir = corpus().join("compose-yaml-features");
    let rows = jsonl(&dir.join("expected.jsonl"));
    let mut tally = Tally::new("compose-yaml-features");
    for row in &rows {
        let file = row["file"].as_str().unwrap_or_default();
        let text = std::fs::read_to_string(dir.join(file)).expect("fixture");
        let got = yaml::parse(&text);
        let ok = match (row["expect"].as_str(), row["error_contains"].as_str(), &got) {
            (Some("ok"), _, Ok(_)) => true,
            (Some("error"), Some(error), Err(got)) => got.0.contains(error),
            _ => false,
        };
        tally.check(ok, || format!("  {file}: got {got:?}, want {} {}", row["expect"], row["error_contains"]));
    }
    tally.finish();
}

/// The corpus files compose itself refuses, with the error it gives.
const INVALID: &[(&str, &str)] = &[
    // `${PLEX_MEDIA_PATH}:/media/` with the variable unset leaves `:/media/`, which compose-go's
    // volume parser refuses.
    ("awesome-compose__plex_compose.yaml", "invalid spec: :/media/: empty section between colons"),
    ("compose-go__loader_testdata_compose-depends-on-cycle.yaml", "dependency cycle detected: service1 -> service2 -> service3 -> service1"),
    // Same services as the cycle fixture: compose-go's test only avoids the cycle by loading
    // with a profile filter the file itself does not carry.
    ("compose-go__loader_testdata_compose-depends-on-profile-no-cycle.yaml", "dependency cycle detected"),
    ("compose-go__loader_testdata_compose-depends-on-self.yaml", "dependency cycle detected: service1 -> service1"),
    ("compose-go__loader_testdata_compose-include-cycle.yaml", "include cycle detected"),
    ("compose-go__loader_testdata_empty.yaml", "empty compose file"),
    // `remote:` resources need compose-go's test resource loader; the simulator has none.
    ("compose-go__loader_testdata_remote_cycle_compose.yaml", "cannot read remote:cycle/compose-cycle.yaml"),
    ("compose-go__loader_testdata_remote_cycle_compose-cycle.yaml", "cannot read remote:cycle/compose.yaml"),
    ("compose-go__loader_testdata_remote_nested_compose.yaml", "cannot read remote:nested/compose-nested.yaml"),
    // compose-go's own test of this file skips the consistency check; compose itself refuses
    // the service network no top-level `networks:` entry declares.
    ("compose-go__loader_full-example.yml", "service \"foo\" refers to undefined network other-other-network: invalid compose project"),
    // Its `env_file: extra.env` is not beside it in compose-go's tree either.
    ("compose-go__loader_testdata_include_dir_compose.yaml", "include/dir/extra.env not found"),
    // A schema fixture meant for VARIABLE set: unset, every field is empty and the port
    // cannot be read.
    ("compose-go__schema_using-variables.yaml", "services.foo.ports: invalid port"),
    // Services meant to be extended, not run: compose refuses them as a project.
    ("compose-go__loader_testdata_extends_base.yaml", "has neither an image nor a build context specified"),
];

/// Where a corpus file lives with its neighbours (compose-trees keeps compose-go's folders).
fn located(file: &str, sources: &BTreeMap<String, (String, String)>) -> PathBuf {
    if let Some((repo, path)) = sources.get(&format!("compose/{file}")) {
        if repo == "compose-spec/compose-go" {
            let tree = corpus().join("compose-trees/compose-go").join(path);
            if tree.exists() {
                return tree;
            }
        }
    }
    corpus().join("compose").join(file)
}

#[test]
fn every_corpus_compose_file_loads() {
    let sources: BTreeMap<String, (String, String)> = std::fs::read_to_string(corpus().join("SOURCES.tsv"))
        .expect("SOURCES.tsv")
        .lines()
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?.to_string(), (cols.next()?.to_string(), cols.next()?.to_string())))
        })
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(corpus().join("compose"))
        .expect("corpus/compose")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    files.sort();
    assert_eq!(files.len(), 82, "the corpus has 82 compose files");
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let mut tally = Tally::new("compose files");
    for file in &files {
        let path = located(file, &sources);
        let options = compose::Options { files: vec![path.to_string_lossy().into_owned()], ..Default::default() };
        let got = compose::load(&options, &read);
        let expected = INVALID.iter().find(|(f, _)| f == file).map(|(_, e)| *e);
        let ok = match (&got, expected) {
            (Ok(_), None) => true,
            (Err(error), Some(want)) => error.0.contains(want),
            _ => false,
        };
        tally.check(ok, || format!("  {file}: got {:?}, want {expected:?}", got.as_ref().map(|l| l.project.services.len())));
    }
    tally.finish();
}

/// Every prefix-cut of every corpus file loads or fails with a message: the loader never panics.
#[test]
fn truncated_corpus_files_never_panic() {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let mut checked = 0;
    for entry in std::fs::read_dir(corpus().join("compose")).expect("corpus/compose") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("compose file");
        let cuts: Vec<usize> = (1..8).map(|k| text.len() * k / 8).filter(|&i| text.is_char_boundary(i)).collect();
        for cut in cuts {
            let parsed = yaml::parse(&text[..cut]);
            if let Err(error) = &parsed {
                assert!(!error.0.is_empty());
            }
            checked += 1;
        }
        // Whole-file load through a reader that serves the cut text for the compose file.
        let half = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let cut = &text[..half];
        {
            let name = path.to_string_lossy().into_owned();
            let reader = |p: &str| if p == name { Some(cut.to_string()) } else { read(p) };
            let options = compose::Options { files: vec![name.clone()], ..Default::default() };
            if let Err(error) = compose::load(&options, &reader) {
                assert!(!error.0.is_empty());
            }
        }
    }
    assert!(checked > 82 * 5, "checked {checked} cuts");
}

/// `docker compose config`'s canonical form against compose-go's own expected output for
/// `loader/full-example.yml`: every field of service `foo`, `bar`'s build, and the top-level
/// networks/volumes/secrets/configs (compose-go's expectation skips normalisation, so the names
/// and default network that normalisation adds are set aside before comparing).
#[test]
fn canonical_form_matches_compose_go_full_example() {
    let dir = std::fs::canonicalize(corpus().join("compose-trees/compose-go/loader")).expect("loader dir");
    let read = |path: &str| std::fs::read_to_string(path).ok();
    // compose-go's test environment for this file (loader_test.go).
    let env = [("HOME", "/HOME_DIR"), ("QUX", "qux_from_environment")].map(|(k, v)| (k.to_string(), v.to_string())).into();
    let options = compose::Options { files: vec![dir.join("full-example.yml").to_string_lossy().into_owned()], skip_consistency: true, env, ..Default::default() };
    let loaded = compose::load(&options, &read).expect("full example loads");
    let mine = yaml::parse(&compose::to_yaml(&loaded.canonical).replace(&dir.to_string_lossy().into_owned(), "/WORKING_DIR")).expect("own output parses");
    let expected = yaml::parse(&std::fs::read_to_string(dir.join("full-example.expected.yaml")).expect("expected")).expect("expected parses");
    let field = |tree: &yaml::Value, service: &str, key: &str| tree.get("services").and_then(|s| s.get(service)).and_then(|f| f.get(key)).cloned();
    let mut tally = Tally::new("full-example canonical fields");
    // Every field of `foo` compose-go expects, and `bar`'s build (a literal-block Dockerfile).
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(foo) = expected.get("services").and_then(|s| s.get("foo")).and_then(yaml::Value::as_map) {
        fields.extend(foo.iter().map(|(k, _)| ("foo", k.clone())));
    }
    fields.push(("bar", "build".into()));
    assert!(fields.len() > 50, "{} fields", fields.len());
    for (service, key) in &fields {
        let (got, want) = (field(&mine, service, key), field(&expected, service, key));
        tally.check(got.is_some() && got == want, || format!("  services.{service}.{key}:\n    got  {got:?}\n    want {want:?}"));
    }
    // Top-level resources, less what normalisation adds (the default network, generated names).
    for section in ["networks", "volumes", "secrets", "configs"] {
        let mut got = mine.get(section).cloned().unwrap_or(yaml::Value::Null);
        if let yaml::Value::Map(entries) = &mut got {
            entries.retain(|(k, _)| k != "default" || section != "networks");
            for (key, value) in entries.iter_mut() {
                let generated = format!("full_example_project_name_{key}");
                let external = value.get("external").and_then(yaml::Value::as_text) == Some("true");
                let name = value.get("name").and_then(yaml::Value::as_text).map(str::to_string);
                if name.as_deref() == Some(generated.as_str()) || (external && name.as_deref() == Some(key.as_str())) {
                    value.remove("name");
                }
            }
        }
        let want = expected.get(section).cloned().unwrap_or(yaml::Value::Null);
        let show = |v: &yaml::Value| compose::to_yaml(v);
        tally.check(got == want, || format!("  {section}:\n--- got\n{}--- want\n{}", show(&got), show(&want)));
    }
    // The key order of the service is compose-go's struct order.
    let keys = |tree: &yaml::Value| -> Vec<String> {
        tree.get("services").and_then(|s| s.get("foo")).and_then(yaml::Value::as_map).map(|m| m.iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default()
    };
    let (got, want) = (keys(&mine), keys(&expected));
    tally.check(got == want, || format!("  key order:\n    got  {got:?}\n    want {want:?}"));
    tally.finish();
}
