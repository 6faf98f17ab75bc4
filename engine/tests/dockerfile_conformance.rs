//! Conformance of `engine::dockerfile` with BuildKit, over the third-party corpus in
//! `../shared/corpus` (read at run time, never copied): parser goldens, negative cases, line
//! numbers, heredoc tables, instruction errors, the shell lexer tables and 52 real Dockerfiles.
//! Each test prints its counts (`cargo test -- --nocapture` shows them) and fails listing every
//! case that does not match.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use engine::dockerfile::{
    heredocs_from_line, parse, parse_ast, parse_heredoc, parse_instruction, parse_mount,
    Instruction, ShellLexer,
};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus");

/// The corpus folder; a missing corpus is a failure, never a silent pass.
fn corpus(sub: &str) -> PathBuf {
    let root = Path::new(CORPUS);
    assert!(
        root.is_dir(),
        "conformance corpus not found at {} — these tests need ../shared/corpus next to the workspace",
        root.display()
    );
    let path = root.join(sub);
    assert!(path.exists(), "corpus entry {} is missing", path.display());
    path
}

fn read(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

fn sorted_dirs(path: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(path)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    dirs.sort();
    dirs
}

fn jsonl(path: &Path) -> Vec<Value> {
    read(path)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}: bad JSON line {line:?}: {e}", path.display()))
        })
        .collect()
}

/// The corpus TSV escaping: `\\`, `\n`, `\t`.
fn tsv_unescape(field: &str) -> String {
    let mut out = String::new();
    let mut chars = field.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn tsv_rows(path: &Path) -> Vec<Vec<String>> {
    read(path)
        .lines()
        .skip(1)
        .map(|line| line.split('\t').map(tsv_unescape).collect())
        .collect()
}

fn report(table: &str, total: usize, failures: &[String]) {
    let passed = total - failures.len();
    eprintln!("{table}: {passed}/{total} pass");
    assert!(
        failures.is_empty(),
        "{table}: {passed}/{total} pass; failing:\n{}",
        failures.join("\n")
    );
    assert!(total > 0, "{table}: no cases found");
}

fn str_field<'a>(value: &'a Value, key: &str) -> &'a str {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("missing string field {key} in {value}"))
}

#[test]
fn parser_goldens_are_reproduced_byte_for_byte() {
    let mut failures = Vec::new();
    let cases = sorted_dirs(&corpus("buildkit-parser"));
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let expected = read(&case.join("result"));
        match parse_ast(&read(&case.join("Dockerfile"))) {
            Ok(ast) if ast.dump() == expected => {}
            Ok(ast) => failures.push(format!(
                "{name}: dump differs\n--- expected\n{expected}--- got\n{}",
                ast.dump()
            )),
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    report("buildkit-parser goldens", cases.len(), &failures);
}

#[test]
fn negative_cases_are_rejected() {
    let mut failures = Vec::new();
    let cases = sorted_dirs(&corpus("buildkit-parser-negative"));
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match parse(&read(&case.join("Dockerfile"))) {
            Ok(_) => failures.push(format!("{name}: accepted")),
            Err(error) => {
                let message = error.to_string();
                eprintln!("  {name}: {message}");
                if message.trim().is_empty() {
                    failures.push(format!("{name}: empty error message"));
                }
            }
        }
    }
    report("buildkit-parser-negative", cases.len(), &failures);
}

#[test]
fn instructions_carry_their_lines() {
    // BuildKit's TestParseIncludesLineNumbers on this file.
    let ast = parse_ast(&read(&corpus("buildkit-parser-line/Dockerfile")))
        .expect("line-number file parses");
    let lines: Vec<(usize, usize)> = ast
        .children
        .iter()
        .map(|c| (c.start_line, c.end_line))
        .collect();
    assert_eq!(lines, vec![(5, 5), (11, 12), (17, 31)]);
    assert_eq!((ast.start_line, ast.end_line), (5, 31));
    eprintln!("buildkit-parser-line: 3/3 instructions with the right lines");
}

#[test]
fn heredoc_tokens() {
    let rows = tsv_rows(&corpus("buildkit-heredoc/heredoc-tokens.tsv"));
    let mut failures = Vec::new();
    for row in &rows {
        let [token, class, expected] = row.as_slice() else {
            panic!("bad row {row:?}")
        };
        let got = parse_heredoc(token);
        let ok = match (class.as_str(), &got) {
            ("valid", Ok(Some(heredoc))) => &heredoc.name == expected,
            ("invalid", Err(_)) => true,
            ("not_heredoc", Ok(None)) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{token:?}: expected {class} {expected:?}, got {got:?}"
            ));
        }
    }
    report("heredoc-tokens.tsv", rows.len(), &failures);
}

#[test]
fn heredocs_found_in_lines() {
    let rows = tsv_rows(&corpus("buildkit-heredoc/heredocs-from-line.tsv"));
    let mut failures = Vec::new();
    for row in &rows {
        let line = row.first().cloned().unwrap_or_default();
        let expected: Vec<String> = row
            .get(1)
            .filter(|s| !s.is_empty())
            .map(|s| s.split(',').map(String::from).collect())
            .unwrap_or_default();
        let found: Vec<String> = match heredocs_from_line(&line) {
            Ok(heredocs) => heredocs.into_iter().map(|h| h.name).collect(),
            Err(error) => {
                failures.push(format!("{line:?}: {error}"));
                continue;
            }
        };
        // BuildKit's own test (TestHeredocsFromLine) checks each heredoc found against the name
        // at its position. For `RUN <<- EOF` BuildKit finds none (the space after `<<-` ends the
        // word), which that test accepts; the table lists the name the test declares.
        if found.len() > expected.len() || found.iter().zip(&expected).any(|(f, e)| f != e) {
            failures.push(format!("{line:?}: expected {expected:?}, found {found:?}"));
        } else if found.len() < expected.len() {
            eprintln!("  note: {line:?} opens no heredoc in BuildKit either (its test declares {expected:?} but checks only what is found)");
        }
    }
    report("heredocs-from-line.tsv", rows.len(), &failures);
}

#[test]
fn copy_heredoc_instructions() {
    let cases = jsonl(&corpus("buildkit-heredoc/instructions-copy-heredoc.jsonl"));
    let mut failures = Vec::new();
    for case in &cases {
        let text = str_field(case, "dockerfile");
        let ast = parse_ast(text).expect("COPY case parses");
        let Ok(Instruction::Copy(copy)) = parse_instruction(&ast.children[0]) else {
            failures.push(format!("{text:?}: not a valid COPY"));
            continue;
        };
        let contents: Vec<Value> = copy
            .files
            .source_contents
            .iter()
            .map(|c| serde_json::json!({"path": c.path, "data": c.data, "expand": c.expand}))
            .collect();
        let got = serde_json::json!({
            "dest_path": copy.files.dest,
            "source_paths": copy.files.source_paths,
            "source_contents": contents,
        });
        let expected = serde_json::json!({
            "dest_path": case["dest_path"],
            "source_paths": case["source_paths"],
            "source_contents": case["source_contents"],
        });
        if got != expected {
            failures.push(format!("{text:?}: expected {expected}, got {got}"));
        }
    }
    report("instructions-copy-heredoc.jsonl", cases.len(), &failures);
}

#[test]
fn run_heredoc_instructions() {
    let cases = jsonl(&corpus("buildkit-heredoc/instructions-run-heredoc.jsonl"));
    let mut failures = Vec::new();
    for case in &cases {
        let text = str_field(case, "dockerfile");
        let ast = parse_ast(text).expect("RUN case parses");
        let Ok(Instruction::Run(run)) = parse_instruction(&ast.children[0]) else {
            failures.push(format!("{text:?}: not a valid RUN"));
            continue;
        };
        let files: Vec<Value> = run
            .command
            .files
            .iter()
            .map(|f| serde_json::json!({"name": f.name, "data": f.data, "chomp": f.chomp}))
            .collect();
        let got = serde_json::json!({"prepend_shell": run.command.prepend_shell, "cmd_line": run.command.args, "files": files});
        let expected = serde_json::json!({"prepend_shell": case["prepend_shell"], "cmd_line": case["cmd_line"], "files": case["files"]});
        if got != expected {
            failures.push(format!("{text:?}: expected {expected}, got {got}"));
        }
    }
    report("instructions-run-heredoc.jsonl", cases.len(), &failures);
}

#[test]
fn heredocs_extracted_by_the_parser() {
    let mut failures = Vec::new();
    let mut total = 0;
    for folder in [
        "buildkit-heredoc/parser-extract-heredoc",
        "buildkit-heredoc/parser-json-no-heredoc",
    ] {
        let folder = corpus(folder);
        let ast = parse_ast(&read(&folder.join("Dockerfile"))).expect("heredoc file parses");
        for case in jsonl(&folder.join("expected.jsonl")) {
            total += 1;
            let index = case["ast_child_index"].as_u64().expect("ast_child_index") as usize;
            let Some(node) = ast.children.get(index) else {
                failures.push(format!("{}: no child {index}", folder.display()));
                continue;
            };
            let got: Value = if node.heredocs.is_empty() {
                Value::Null
            } else {
                node.heredocs
                    .iter()
                    .map(|h| {
                        serde_json::json!({"name": h.name, "content": h.content, "expand": h.expand, "chomp": h.chomp, "file_descriptor": h.file_descriptor})
                    })
                    .collect()
            };
            if got != case["heredocs"] {
                failures.push(format!(
                    "child {index} ({}): expected {}, got {got}",
                    node.original, case["heredocs"]
                ));
            }
        }
    }
    report("parser heredoc extraction", total, &failures);
}

#[test]
fn instruction_errors_use_buildkit_wording() {
    let cases = jsonl(&corpus("buildkit-instructions/instruction-errors.jsonl"));
    let mut failures = Vec::new();
    for case in &cases {
        let text = str_field(case, "dockerfile");
        let expected = str_field(case, "expected_error_contains");
        let ast = match parse_ast(text) {
            Ok(ast) => ast,
            Err(error) => {
                failures.push(format!("{text:?}: the parser already fails: {error}"));
                continue;
            }
        };
        let first_error = ast
            .children
            .iter()
            .find_map(|node| parse_instruction(node).err())
            .map(|e| e.to_string());
        let whole_file = parse(text).err().map(|e| e.to_string());
        match (first_error, whole_file) {
            (Some(instruction), Some(file))
                if instruction.contains(expected) && file.contains(expected) => {}
            other => failures.push(format!(
                "{text:?}: expected an error containing {expected:?}, got {other:?}"
            )),
        }
    }
    report("instruction-errors.jsonl", cases.len(), &failures);
}

#[test]
fn real_dockerfiles_parse() {
    let mut failures = Vec::new();
    let files = sorted_dirs(&corpus("dockerfiles"));
    let (mut instructions, mut mounts) = (0, 0);
    for file in &files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match parse(&read(file)) {
            Ok(dockerfile) => {
                for step in dockerfile.stages.iter().flat_map(|s| &s.steps) {
                    instructions += 1;
                    let Instruction::Run(run) = &step.instruction else {
                        continue;
                    };
                    for spec in &run.mounts {
                        mounts += 1;
                        if let Err(error) = parse_mount(spec, &mut |v: &str| Ok(v.to_string())) {
                            failures.push(format!(
                                "{name}:{}: --mount={spec}: {error}",
                                step.start_line
                            ));
                        }
                    }
                }
            }
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    eprintln!("dockerfiles: {instructions} instructions, {mounts} RUN mounts");
    assert_eq!(files.len(), 52, "the corpus should hold 52 Dockerfiles");
    report("dockerfiles", files.len(), &failures);
}

#[test]
fn shell_lexer_env_var_table() {
    let env: BTreeMap<String, String> = [
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let lexer = ShellLexer::new('\\');
    let (mut total, mut windows_only) = (0, 0);
    let mut failures = Vec::new();
    for (number, line) in read(&corpus("buildkit-shell-lexer/envVarTest"))
        .lines()
        .enumerate()
    {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.trim().split('|').collect();
        let [platform, source, expected] = parts.as_slice() else {
            panic!("envVarTest:{}: bad line {line:?}", number + 1)
        };
        let (platform, source, expected) = (platform.trim(), source.trim(), expected.trim());
        if platform == "W" {
            windows_only += 1;
            continue;
        }
        total += 1;
        let got = lexer.process_word(source, &env);
        let ok = match &got {
            Ok(word) => expected != "error" && word == expected,
            Err(_) => expected == "error",
        };
        if !ok {
            failures.push(format!(
                "envVarTest:{}: {source:?} expected {expected:?}, got {got:?}",
                number + 1
            ));
        }
    }
    eprintln!("envVarTest: skipped {windows_only} Windows-only (W) cases: Whalebox simulates Linux, where variable names are case-sensitive");
    report("envVarTest (unix)", total, &failures);
}

#[test]
fn shell_lexer_words_table() {
    let lexer = ShellLexer::new('\\');
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let mut total = 0;
    let mut failures = Vec::new();
    for (number, line) in read(&corpus("buildkit-shell-lexer/wordsTest"))
        .lines()
        .enumerate()
    {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(definition) = line.strip_prefix("ENV ") {
            let (key, value) = definition
                .trim_start_matches(' ')
                .split_once('=')
                .unwrap_or((definition, ""));
            env.insert(key.to_string(), value.to_string());
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        let [input, expected] = parts.as_slice() else {
            panic!("wordsTest:{}: bad line {line:?}", number + 1)
        };
        let expected: Vec<String> = expected
            .trim_start_matches(' ')
            .split(',')
            .map(String::from)
            .collect();
        total += 1;
        let got = lexer
            .process_words(input.trim(), &env)
            .unwrap_or_else(|_| vec!["error".to_string()]);
        if got != expected {
            failures.push(format!(
                "wordsTest:{}: {input:?} expected {expected:?}, got {got:?}",
                number + 1
            ));
        }
    }
    report("wordsTest", total, &failures);
}
