//! `lessons/guides.toml` matches the guides line by line, every section and question is covered
//! by an item, and `lessons/COVERAGE.md` is the map generated from both.

use lessons::Catalog;
use std::path::Path;

fn guides_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/guides")
}

#[test]
fn the_guide_index_matches_the_guides() {
    let catalog = Catalog::embedded().unwrap_or_else(|e| panic!("{}", e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")));
    let mut problems = Vec::new();
    let mut files: Vec<String> = std::fs::read_dir(guides_dir())
        .expect("the guides are at ../shared/guides")
        .filter_map(|entry| entry.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .filter(|name| name.ends_with(".txt") && name.as_bytes()[0].is_ascii_digit())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five guides expected, found {files:?}");
    for file in &files {
        let text = std::fs::read_to_string(guides_dir().join(file)).expect("guide is readable");
        problems.extend(catalog.guides.verify_against(file, &text));
    }
    let indexed: Vec<&str> = catalog.guides.guides.iter().map(|g| g.file.as_str()).collect();
    assert_eq!(indexed, files, "guides.toml must index exactly the guides");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_section_and_question_is_covered_and_coverage_md_is_current() {
    let catalog = Catalog::embedded().unwrap_or_else(|e| panic!("{}", e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")));
    let rendered = catalog.guides.render_coverage(&catalog.items);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("COVERAGE.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != rendered {
        std::fs::write(&path, &rendered).expect("COVERAGE.md is writable");
    }
    let uncovered = catalog.guides.uncovered(&catalog.items);
    assert!(uncovered.is_empty(), "{} guide sections/questions are not covered:\n{}", uncovered.len(), uncovered.join("\n"));
    assert!(committed == rendered || std::env::var_os("CI").is_none(), "COVERAGE.md was out of date in a CI checkout; it has been regenerated, commit it");
}
