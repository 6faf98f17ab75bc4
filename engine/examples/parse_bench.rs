//! Native Dockerfile parse throughput for `cargo xtask bench`: `engine::dockerfile::parse` over
//! every file of the conformance corpus, many times.
//!
//! `cargo run --profile bench-native -p engine --example parse_bench -- CORPUS_DIR [PASSES]` reads
//! every file in CORPUS_DIR (`../shared/corpus/dockerfiles`, read where it is, never copied), parses
//! each once untimed (any error stops the benchmark: the corpus is meant to parse), then times
//! PASSES passes (default 200) over all files with `std::time::Instant`, one sample per pass.
//! Prints `corpus<TAB>files<TAB>bytes<TAB>instructions` and `pass<TAB>nanoseconds` per pass.

use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, passes) = match args.as_slice() {
        [dir] => (PathBuf::from(dir), 200),
        [dir, passes] => match passes.parse::<usize>() {
            Ok(passes) if passes > 0 => (PathBuf::from(dir), passes),
            _ => return usage(),
        },
        _ => return usage(),
    };
    match measure(&dir, passes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("parse_bench: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: parse_bench CORPUS_DIR [PASSES]");
    ExitCode::from(2)
}

/// Every regular file directly in `dir`, sorted by name, with its text.
fn read_corpus(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("reading the corpus folder {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .path();
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, text));
    }
    files.sort();
    if files.is_empty() {
        return Err(format!("no Dockerfiles in {}", dir.display()));
    }
    Ok(files)
}

/// Instructions in all files together, or the first file that does not parse.
fn parse_all(files: &[(String, String)]) -> Result<usize, String> {
    let mut instructions = 0;
    for (name, text) in files {
        match engine::dockerfile::parse(black_box(text)) {
            Ok(dockerfile) => instructions += black_box(dockerfile).ast.children.len(),
            Err(error) => return Err(format!("{name} does not parse: {error}")),
        }
    }
    Ok(instructions)
}

fn measure(dir: &Path, passes: usize) -> Result<(), String> {
    let files = read_corpus(dir)?;
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let instructions = parse_all(&files)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let write_error = |e: std::io::Error| format!("writing the samples: {e}");
    writeln!(out, "corpus\t{}\t{bytes}\t{instructions}", files.len()).map_err(write_error)?;
    let mut samples = Vec::with_capacity(passes);
    for _ in 0..passes {
        let start = Instant::now();
        let counted = parse_all(&files);
        let nanos = start.elapsed().as_nanos();
        if counted != Ok(instructions) {
            return Err(format!(
                "a pass over the corpus gave {counted:?}, the first gave {instructions} instructions"
            ));
        }
        samples.push(nanos);
    }
    for nanos in samples {
        writeln!(out, "pass\t{nanos}").map_err(write_error)?;
    }
    out.flush().map_err(write_error)
}
