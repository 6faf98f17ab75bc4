//! `cargo xtask bench`: download size, time to the first command in Chromium, engine command
//! latency, `docker build` of a 40-instruction multi-stage Dockerfile and Dockerfile parse
//! throughput (each native and wasm), written to `BENCHMARKS.md` with the machine and the commands
//! used.
//!
//! Benchmarks are not tests: a number over its target is reported, never a failure. Only a
//! measurement that could not be taken makes the command exit non-zero (after writing the rest).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::stats::{self, Summary};
use crate::tools::Tools;
use crate::{chromium, dist, process, serve, testing};

/// Fresh browser profiles for the start-up measurement; the median is reported.
const STARTUP_RUNS: usize = 5;
/// Times the whole script runs, each time on a fresh engine, for the latency tables.
const ROUNDS: usize = 20;
const SCRIPT: &str = "engine/examples/bench_script.txt";
/// Rounds of the build benchmark: each is a fresh engine, then a cold, a warm and an edited build.
const BUILD_ROUNDS: usize = 100;
const BUILD_CONTEXT: &str = "engine/examples/bench_build";
/// Timed passes over the Dockerfile corpus for parse throughput.
const PARSE_PASSES: usize = 200;
/// The corpus, read where it is (the sibling `shared` folder), never copied into the repository.
const CORPUS: &str = "../shared/corpus/dockerfiles";
/// Running containers on the host for the `docker ps` / `docker stats` benchmark, and timed rounds.
const CONTAINERS: usize = 1000;
const CONTAINER_ROUNDS: usize = 30;

const TARGET_GZIP_KB: f64 = 350.0;
const TARGET_STARTUP_MS: f64 = 300.0;
const TARGET_NATIVE_P99_US: f64 = 1_000.0;
const TARGET_WASM_P99_US: f64 = 4_000.0;

struct FileSize {
    name: String,
    raw: u64,
    gzip: u64,
}

struct StartupRun {
    wall_ms: f64,
    page_ms: f64,
    ready_ms: f64,
}

/// One scenario's build times over all rounds, in ms.
#[derive(Debug, Clone, PartialEq)]
struct Timing {
    scenario: String,
    count: usize,
    median: f64,
    p99: f64,
    max: f64,
}

/// What `build_bench` (native) or `bench-build.mjs` (wasm) measured.
#[derive(Debug, Clone, PartialEq)]
struct BuildRun {
    instructions: usize,
    stages: usize,
    /// Per scenario, steps run and steps `CACHED` in the first round.
    steps: Vec<(String, usize, usize)>,
    timings: Vec<Timing>,
}

/// The build scenarios, in the order they run and are reported.
const SCENARIOS: [(&str, &str); 3] = [
    (
        "cold",
        "cold: fresh engine, every image pulled, every step run",
    ),
    ("warm", "warm: same engine, nothing changed"),
    ("edited", "after one line appended to `api/main.go`"),
];

/// What `containers_bench` measured on a host with many running containers.
#[derive(Debug, Clone, PartialEq)]
struct ContainersRun {
    containers: usize,
    /// Resident memory per container, bytes.
    memory_per_container: usize,
    /// Per command, its timings in ms.
    timings: Vec<Timing>,
}

/// What `parse_bench` (native) or `bench-parse.mjs` (wasm) measured.
#[derive(Debug, Clone, PartialEq)]
struct ParseRun {
    files: usize,
    bytes: usize,
    instructions: usize,
    /// Each timed pass over the whole corpus, in ns.
    passes: Vec<f64>,
}

impl ParseRun {
    fn median_ms(&self) -> f64 {
        stats::median(&self.passes) / 1e6
    }

    fn p99_ms(&self) -> f64 {
        let mut sorted = self.passes.clone();
        sorted.sort_by(f64::total_cmp);
        stats::percentile(&sorted, 99.0) / 1e6
    }

    /// Files and MB (10^6 bytes) per second at the median pass.
    fn throughput(&self) -> (f64, f64) {
        let seconds = self.median_ms() / 1e3;
        (
            self.files as f64 / seconds,
            self.bytes as f64 / 1e6 / seconds,
        )
    }
}

pub fn command() -> Result<()> {
    let root = crate::workspace_root();
    let tools = Tools::locate()?;
    tools.ensure(&root)?;
    chromium::ensure()?;
    let (built, build_took) = process::timed(|| dist::build(&root, &tools));
    built?;
    let facts = machine_facts();

    println!("\n== 1. size of dist/");
    let sizes = measure_sizes(&dist::dist_dir(&root));
    println!(
        "\n== 2. navigation to first command, headless Chromium, {STARTUP_RUNS} fresh profiles"
    );
    let startup = measure_startup(&root, &tools, &dist::dist_dir(&root));
    println!("\n== 2b. the same on a baseline page without wasm");
    let baseline = measure_baseline(&root, &tools);
    println!("\n== 3a. engine latency, native");
    let native = measure_native(&root);
    println!("\n== 3b. engine latency, wasm in Node");
    let wasm = measure_wasm(&root, &tools);
    println!("\n== 4a. docker build of the multi-stage Dockerfile, native");
    let build_native = measure_build_native(&root);
    println!("\n== 4b. docker build of the multi-stage Dockerfile, wasm in Node");
    let build_wasm = measure_build_wasm(&root, &tools);
    println!("\n== 5a. Dockerfile parse throughput over the corpus, native");
    let parse_native = measure_parse_native(&root);
    println!("\n== 5b. Dockerfile parse throughput over the corpus, wasm in Node");
    let parse_wasm = measure_parse_wasm(&root, &tools);
    println!("\n== 6. {CONTAINERS} running containers: docker ps and docker stats, native");
    let containers = measure_containers_native(&root);
    println!("\n== 7. name resolution with {} containers on one network, native", crate::bench_network::NETWORK_CONTAINERS);
    let dns = crate::bench_network::measure_dns(&root);
    println!("\n== 8. a {}-service compose project up and down, native", crate::bench_network::COMPOSE_SERVICES);
    let compose = crate::bench_network::measure_compose(&root);
    println!("\n== 9. conformance with a real engine (cargo xtask conformance --oracle)");
    let conformance = crate::bench_network::measure_conformance(&root);
    println!("\n== 10. each command's output painted by the next frame, headless Chromium");
    let paint = crate::bench_browser::measure_paint(&root, &tools, &dist::dist_dir(&root));
    println!("\n== 11. what the wasm is made of");
    let parts = crate::bench_browser::measure_parts(&root);
    println!("\n== 12. a real container start: whalebox run --real, unshare, podman run --rm");
    let starts = crate::bench_native::measure(&root);

    let markdown = render(&Report {
        facts,
        build_took: process::human(build_took),
        sizes: &sizes,
        startup: &startup,
        baseline: &baseline,
        native: &native,
        wasm: &wasm,
        build_native: &build_native,
        build_wasm: &build_wasm,
        parse_native: &parse_native,
        parse_wasm: &parse_wasm,
        containers: &containers,
        dns: &dns,
        compose: &compose,
        conformance: &conformance,
        paint: &paint,
        parts: &parts,
    });
    let mut markdown = markdown;
    crate::bench_native::render(&mut markdown, &starts);
    let path = root.join("BENCHMARKS.md");
    std::fs::write(&path, &markdown).with_context(|| format!("writing {}", path.display()))?;
    println!("\n{markdown}");
    println!("Wrote {}.", path.display());

    let failures: Vec<String> = [
        sizes.as_ref().err().map(|e| format!("size: {e:#}")),
        startup.as_ref().err().map(|e| format!("start-up: {e:#}")),
        native
            .as_ref()
            .err()
            .map(|e| format!("native latency: {e:#}")),
        wasm.as_ref().err().map(|e| format!("wasm latency: {e:#}")),
        build_native
            .as_ref()
            .err()
            .map(|e| format!("native build: {e:#}")),
        build_wasm
            .as_ref()
            .err()
            .map(|e| format!("wasm build: {e:#}")),
        parse_native
            .as_ref()
            .err()
            .map(|e| format!("native parse: {e:#}")),
        parse_wasm
            .as_ref()
            .err()
            .map(|e| format!("wasm parse: {e:#}")),
        containers.as_ref().err().map(|e| format!("containers: {e:#}")),
        paint.as_ref().err().map(|e| format!("paint: {e:#}")),
        parts.as_ref().err().map(|e| format!("wasm parts: {e:#}")),
        starts.as_ref().err().map(|e| format!("real container start: {e:#}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !failures.is_empty() {
        bail!(
            "some measurements could not be taken:\n  {}",
            failures.join("\n  ")
        );
    }
    Ok(())
}

/// Every file under `dist/`, raw and gzip -9, sorted by name.
fn measure_sizes(dist: &Path) -> Result<Vec<FileSize>> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.sort();
    files
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let name = path
                .strip_prefix(dist)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            Ok(FileSize {
                name,
                raw: bytes.len() as u64,
                gzip: gzip_len(&bytes)?,
            })
        })
        .collect()
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Size after gzip at the best compression level (what `gzip -9` does).
pub(crate) fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

/// A page with the terminal's data-testid contract and nothing else (no wasm, no framework): the
/// same start-up measurement on it shows what the browser and the harness cost on their own.
const BASELINE_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>start-up baseline</title>
<link rel="icon" href="data:,"></head><body>
<div data-testid="terminal" data-ready="true"><div data-testid="terminal-output"></div>
<input data-testid="terminal-input" aria-label="Command"></div>
<script>
const input = document.querySelector('[data-testid=terminal-input]');
input.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  const line = document.createElement('div');
  line.textContent = 'Client: ' + input.value;
  document.querySelector('[data-testid=terminal-output]').append(line);
  input.value = '';
});
</script></body></html>
"#;

/// The start-up measurement on [`BASELINE_PAGE`], written under `target/`.
fn measure_baseline(root: &Path, tools: &Tools) -> Result<Vec<StartupRun>> {
    let dir = root.join("target/xtask/startup-baseline");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(dir.join("index.html"), BASELINE_PAGE)?;
    measure_startup(root, tools, &dir)
}

/// `e2e/bench-startup.mjs` against `site` served on loopback: one line per fresh profile.
fn measure_startup(root: &Path, tools: &Tools, site: &Path) -> Result<Vec<StartupRun>> {
    let url = serve::spawn(site)?;
    let out = process::output(
        testing::node_command(tools, &url)
            .arg("e2e/bench-startup.mjs")
            .arg(STARTUP_RUNS.to_string())
            .current_dir(root),
    )?;
    let runs = parse_startup(&out)?;
    if runs.len() != STARTUP_RUNS {
        bail!(
            "expected {STARTUP_RUNS} runs from bench-startup.mjs, got {}",
            runs.len()
        );
    }
    Ok(runs)
}

/// Lines `run <i> <wall ms> <page ms> <ready ms>` (tab-separated); other lines are ignored.
fn parse_startup(out: &str) -> Result<Vec<StartupRun>> {
    out.lines()
        .filter_map(|line| line.strip_prefix("run\t"))
        .map(|rest| {
            let fields: Vec<&str> = rest.split('\t').collect();
            let [_, wall, page, ready] = fields[..] else {
                bail!("malformed run line `{rest}`")
            };
            Ok(StartupRun {
                wall_ms: wall.parse()?,
                page_ms: page.parse()?,
                ready_ms: ready.parse()?,
            })
        })
        .collect()
}

/// `engine/examples/latency.rs`, built with the `bench-native` profile.
fn measure_native(root: &Path) -> Result<Vec<Summary>> {
    let out = process::output(
        cargo()
            .args([
                "run",
                "--quiet",
                "--profile",
                "bench-native",
                "-p",
                "engine",
                "--example",
                "latency",
                "--",
            ])
            .arg(ROUNDS.to_string())
            .current_dir(root),
    )?;
    summarize_samples(&out)
}

/// `engine/examples/wasm_bench.rs` as a wasm32 cdylib (release profile, as shipped), timed call
/// by call from Node by `e2e/bench-wasm.mjs`.
fn measure_wasm(root: &Path, tools: &Tools) -> Result<Vec<Summary>> {
    let wasm = build_wasm_bench(root)?;
    let out = process::output(
        testing::node_command(tools, "")
            .arg("e2e/bench-wasm.mjs")
            .arg(&wasm)
            .arg(SCRIPT)
            .arg(ROUNDS.to_string())
            .current_dir(root),
    )?;
    summarize_samples(&out)
}

/// Builds `engine/examples/wasm_bench.rs` for wasm32 with the release profile; returns its path.
fn build_wasm_bench(root: &Path) -> Result<PathBuf> {
    process::run(
        cargo()
            .args([
                "build",
                "--release",
                "--target",
                crate::tools::WASM_TARGET,
                "-p",
                "engine",
                "--example",
                "wasm_bench",
            ])
            .current_dir(root),
    )?;
    Ok(wasm_bench_path(root))
}

/// `engine/examples/build_bench.rs`, built with the `bench-native` profile.
fn measure_build_native(root: &Path) -> Result<BuildRun> {
    let out = output_explained(
        cargo()
            .args([
                "run",
                "--quiet",
                "--profile",
                "bench-native",
                "-p",
                "engine",
                "--example",
                "build_bench",
                "--",
            ])
            .arg(BUILD_ROUNDS.to_string())
            .current_dir(root),
    )?;
    parse_build(&out)
}

/// The same build benchmark in `wasm_bench.rs`, driven and timed by `e2e/bench-build.mjs`.
fn measure_build_wasm(root: &Path, tools: &Tools) -> Result<BuildRun> {
    let wasm = build_wasm_bench(root)?;
    let out = output_explained(
        testing::node_command(tools, "")
            .arg("e2e/bench-build.mjs")
            .arg(&wasm)
            .arg(BUILD_ROUNDS.to_string())
            .current_dir(root),
    )?;
    parse_build(&out)
}

/// The Dockerfile corpus beside the workspace, or why it cannot be read.
fn corpus_dir(root: &Path) -> Result<PathBuf> {
    let dir = root.join(CORPUS);
    if !dir.is_dir() {
        bail!(
            "the Dockerfile corpus is read from the sibling `shared` folder, but {} is not a folder",
            dir.display()
        );
    }
    Ok(dir)
}

/// `engine/examples/parse_bench.rs` over the corpus, built with the `bench-native` profile.
fn measure_parse_native(root: &Path) -> Result<ParseRun> {
    let corpus = corpus_dir(root)?;
    let out = output_explained(
        cargo()
            .args([
                "run",
                "--quiet",
                "--profile",
                "bench-native",
                "-p",
                "engine",
                "--example",
                "parse_bench",
                "--",
            ])
            .arg(&corpus)
            .arg(PARSE_PASSES.to_string())
            .current_dir(root),
    )?;
    parse_parse(&out)
}

/// `parse_dockerfile` of `wasm_bench.rs` over the corpus, timed by `e2e/bench-parse.mjs`.
fn measure_parse_wasm(root: &Path, tools: &Tools) -> Result<ParseRun> {
    let corpus = corpus_dir(root)?;
    let wasm = build_wasm_bench(root)?;
    let out = output_explained(
        testing::node_command(tools, "")
            .arg("e2e/bench-parse.mjs")
            .arg(&wasm)
            .arg(&corpus)
            .arg(PARSE_PASSES.to_string())
            .current_dir(root),
    )?;
    parse_parse(&out)
}

/// Like [`process::output`], but a failure says why in the error itself (the benchmark's own
/// message from its stderr, which is also echoed), so `BENCHMARKS.md` and the final error name it.
pub(crate) fn output_explained(cmd: &mut Command) -> Result<String> {
    let shown = format!("`{}`", process::display(cmd));
    eprintln!("$ {shown}");
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("could not start {shown}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    if !out.status.success() {
        bail!("{} ({})", explain_failure(&stderr), out.status);
    }
    String::from_utf8(out.stdout).with_context(|| format!("{shown} printed non-UTF-8"))
}

/// The first line of a failed benchmark's stderr (its own message), plus any `ERROR` lines (what
/// BuildKit's output says went wrong), at most six lines in all.
fn explain_failure(stderr: &str) -> String {
    let mut lines = stderr.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return "the benchmark failed without a message".to_string();
    };
    let mut picked = vec![first.to_string()];
    picked.extend(
        lines
            .filter(|l| l.contains("ERROR") || l.starts_with("error"))
            .take(5)
            .map(|l| format!("`{l}`")),
    );
    picked.join(" ")
}

fn wasm_bench_path(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        root.join(target)
    };
    target
        .join(crate::tools::WASM_TARGET)
        .join("release/examples/wasm_bench.wasm")
}

/// Lines `sample <command> <nanoseconds>` (tab-separated) into per-command summaries in µs.
fn summarize_samples(out: &str) -> Result<Vec<Summary>> {
    let mut samples = Vec::new();
    for rest in out.lines().filter_map(|line| line.strip_prefix("sample\t")) {
        let Some((command, nanos)) = rest.rsplit_once('\t') else {
            bail!("malformed sample line `{rest}`")
        };
        let nanos: f64 = nanos
            .parse()
            .with_context(|| format!("malformed sample line `{rest}`"))?;
        samples.push((command.to_string(), nanos / 1_000.0));
    }
    if samples.is_empty() {
        bail!("the benchmark printed no samples");
    }
    Ok(stats::by_command(&samples))
}

/// Lines `shape <instructions> <stages>`, `steps <scenario> <run> <cached>` and
/// `sample <scenario> <nanoseconds>` (tab-separated) into a [`BuildRun`]; other lines are ignored.
fn parse_build(out: &str) -> Result<BuildRun> {
    let number = |field: &str, line: &str| -> Result<usize> {
        field
            .parse()
            .with_context(|| format!("malformed line `{line}`"))
    };
    let mut shape = None;
    let mut steps = Vec::new();
    let mut samples: Vec<(String, f64)> = Vec::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields[..] {
            ["shape", instructions, stages] => {
                shape = Some((number(instructions, line)?, number(stages, line)?));
            }
            ["steps", scenario, ran, cached] => {
                steps.push((
                    scenario.to_string(),
                    number(ran, line)?,
                    number(cached, line)?,
                ));
            }
            ["sample", scenario, nanos] => {
                let nanos: f64 = nanos
                    .parse()
                    .with_context(|| format!("malformed line `{line}`"))?;
                samples.push((scenario.to_string(), nanos / 1e6));
            }
            ["shape" | "steps" | "sample", ..] => bail!("malformed line `{line}`"),
            _ => {}
        }
    }
    let Some((instructions, stages)) = shape else {
        bail!("the build benchmark printed no `shape` line");
    };
    let mut timings = Vec::new();
    for (scenario, _) in SCENARIOS {
        let mut values: Vec<f64> = samples
            .iter()
            .filter(|(s, _)| s == scenario)
            .map(|(_, ms)| *ms)
            .collect();
        if values.is_empty() {
            bail!("the build benchmark printed no `{scenario}` samples");
        }
        values.sort_by(f64::total_cmp);
        timings.push(Timing {
            scenario: scenario.to_string(),
            count: values.len(),
            median: stats::median(&values),
            p99: stats::percentile(&values, 99.0),
            max: values[values.len() - 1],
        });
    }
    Ok(BuildRun {
        instructions,
        stages,
        steps,
        timings,
    })
}

/// Lines `corpus <files> <bytes> <instructions>` and `pass <nanoseconds>` (tab-separated) into a
/// [`ParseRun`]; other lines are ignored.
fn parse_parse(out: &str) -> Result<ParseRun> {
    let mut corpus = None;
    let mut passes = Vec::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let malformed = || format!("malformed line `{line}`");
        match fields[..] {
            ["corpus", files, bytes, instructions] => {
                corpus = Some((
                    files.parse().with_context(malformed)?,
                    bytes.parse().with_context(malformed)?,
                    instructions.parse().with_context(malformed)?,
                ));
            }
            ["pass", nanos] => passes.push(nanos.parse::<f64>().with_context(malformed)?),
            ["corpus" | "pass", ..] => bail!(malformed()),
            _ => {}
        }
    }
    let Some((files, bytes, instructions)) = corpus else {
        bail!("the parse benchmark printed no `corpus` line");
    };
    if passes.is_empty() {
        bail!("the parse benchmark printed no passes");
    }
    Ok(ParseRun {
        files,
        bytes,
        instructions,
        passes,
    })
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

struct Facts {
    date: String,
    nproc: String,
    cpu: String,
    rustc: String,
    node: String,
    chromium: String,
    load: String,
}

fn machine_facts() -> Facts {
    let probe = |program: &str, args: &[&str]| {
        process::probe(Command::new(program).args(args)).unwrap_or_else(|| "unknown".to_string())
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    Facts {
        date: probe("date", &[]),
        nproc: probe("nproc", &[]),
        cpu,
        rustc: probe("rustc", &["--version"]),
        node: probe("node", &["--version"]),
        chromium: chromium::version().unwrap_or_else(|| "unknown".to_string()),
        load: std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".to_string()),
    }
}

struct Report<'a> {
    facts: Facts,
    build_took: String,
    sizes: &'a Result<Vec<FileSize>>,
    startup: &'a Result<Vec<StartupRun>>,
    baseline: &'a Result<Vec<StartupRun>>,
    native: &'a Result<Vec<Summary>>,
    wasm: &'a Result<Vec<Summary>>,
    build_native: &'a Result<BuildRun>,
    build_wasm: &'a Result<BuildRun>,
    parse_native: &'a Result<ParseRun>,
    parse_wasm: &'a Result<ParseRun>,
    containers: &'a Result<ContainersRun>,
    dns: &'a Result<crate::bench_network::NetworkRun>,
    compose: &'a Result<crate::bench_network::ComposeRun>,
    conformance: &'a Result<crate::bench_network::ConformanceRun>,
    paint: &'a Result<crate::bench_browser::PaintRun>,
    parts: &'a Result<crate::bench_browser::WasmParts>,
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn verdict(met: bool) -> &'static str {
    if met {
        "**met**"
    } else {
        "**missed**"
    }
}

fn render(report: &Report) -> String {
    let f = &report.facts;
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(md, "Written by `cargo xtask bench` on {}.\n", f.date);
    let _ = writeln!(
        md,
        "Machine: {} cores (`nproc`), {}; {}; Node {}; {}.",
        f.nproc, f.cpu, f.rustc, f.node, f.chromium
    );
    let _ = writeln!(
        md,
        "Load average when measuring began: {} (1, 5, 15 min; anything else running skews the timings).",
        f.load
    );
    let _ = writeln!(
        md,
        "The site build before measuring took {}.\n",
        report.build_took
    );
    let _ = writeln!(md, "## Reproduce\n");
    let _ = writeln!(md, "```sh");
    let _ = writeln!(
        md,
        "cargo xtask bench        # builds dist/, measures everything below, rewrites this file"
    );
    let _ = writeln!(md, "# or piece by piece:");
    let _ = writeln!(
        md,
        "cargo xtask dist         # 1. the files measured (trunk build --release, wasm-opt -Oz)"
    );
    let _ = writeln!(
        md,
        "cargo xtask serve --port 8080 &   # 2. then, with playwright-core from the tools folder:"
    );
    let _ = writeln!(md, "WHALEBOX_URL=http://127.0.0.1:8080 NODE_PATH=~/.cache/whalebox/tools/node/node_modules node e2e/bench-startup.mjs {STARTUP_RUNS}");
    let _ = writeln!(md, "cargo run --profile bench-native -p engine --example latency -- {ROUNDS}        # 3. native");
    let _ = writeln!(md, "cargo build --release --target wasm32-unknown-unknown -p engine --example wasm_bench   # 3. wasm");
    let _ = writeln!(md, "node e2e/bench-wasm.mjs target/wasm32-unknown-unknown/release/examples/wasm_bench.wasm {SCRIPT} {ROUNDS}");
    let _ = writeln!(md, "cargo run --profile bench-native -p engine --example build_bench -- {BUILD_ROUNDS}   # 4. native");
    let _ = writeln!(md, "node e2e/bench-build.mjs target/wasm32-unknown-unknown/release/examples/wasm_bench.wasm {BUILD_ROUNDS}   # 4. wasm");
    let _ = writeln!(md, "cargo run --profile bench-native -p engine --example parse_bench -- {CORPUS} {PARSE_PASSES}   # 5. native");
    let _ = writeln!(md, "node e2e/bench-parse.mjs target/wasm32-unknown-unknown/release/examples/wasm_bench.wasm {CORPUS} {PARSE_PASSES}   # 5. wasm");
    let _ = writeln!(md, "```\n");

    let _ = writeln!(md, "## 1. Download size (`dist/`)\n");
    match report.sizes {
        Ok(sizes) => {
            let _ = writeln!(md, "Each file raw and after gzip at level 9 (flate2, best compression). KB = 1000 bytes.\n");
            let _ = writeln!(md, "| file | raw | gzip -9 |");
            let _ = writeln!(md, "|---|---:|---:|");
            for s in sizes {
                let _ = writeln!(md, "| `{}` | {} | {} |", s.name, kb(s.raw), kb(s.gzip));
            }
            let raw: u64 = sizes.iter().map(|s| s.raw).sum();
            let gzip: u64 = sizes.iter().map(|s| s.gzip).sum();
            let _ = writeln!(
                md,
                "| **total** | **{}** ({raw} B) | **{}** ({gzip} B) |\n",
                kb(raw),
                kb(gzip)
            );
            let _ = writeln!(
                md,
                "Target: total ≤ {TARGET_GZIP_KB} KB gzip: {} ({}).\n",
                verdict(gzip as f64 / 1000.0 <= TARGET_GZIP_KB),
                kb(gzip)
            );
        }
        Err(e) => {
            let _ = writeln!(md, "Not measured: {e:#}\n");
        }
    }

    let _ = writeln!(
        md,
        "## 2. Navigation to the first accepted command (headless Chromium)\n"
    );
    let _ = writeln!(
        md,
        "`e2e/bench-startup.mjs` (playwright-core driving Debian's Chromium, headless) launches Chromium \
         with a fresh profile for each run, so nothing is cached. It navigates to the page served from \
         127.0.0.1 by the xtask's own server, waits for `[data-testid=terminal][data-ready=true]`, \
         types `docker version` into `[data-testid=terminal-input]` (focus, one `insertText`), presses \
         Enter and waits until `[data-testid=terminal-output]` contains `Client:`. Both waits happen \
         inside the page with MutationObservers, not through Playwright's selector engine, whose \
         first use injects a large script into the page (100-300 ms here that no learner pays). \
         *Wall* is Node's clock from just before `page.goto` until Node hears that `Client:` \
         appeared, so it includes the round trips of driving the browser; *page* is the page's own \
         `performance.now()` when `Client:` appeared, counted from navigation start; *ready* is the \
         page's `performance.now()` when the terminal became ready (the rest of *page* is the \
         round trip for typing plus the command itself).\n"
    );
    match report.startup {
        Ok(runs) => {
            let _ = writeln!(
                md,
                "| run | wall (ms) | page `performance.now()` (ms) | ready (page ms) |"
            );
            let _ = writeln!(md, "|---:|---:|---:|---:|");
            for (i, run) in runs.iter().enumerate() {
                let _ = writeln!(
                    md,
                    "| {} | {:.1} | {:.1} | {:.1} |",
                    i + 1,
                    run.wall_ms,
                    run.page_ms,
                    run.ready_ms
                );
            }
            let wall = stats::median(&runs.iter().map(|r| r.wall_ms).collect::<Vec<_>>());
            let page = stats::median(&runs.iter().map(|r| r.page_ms).collect::<Vec<_>>());
            let ready = stats::median(&runs.iter().map(|r| r.ready_ms).collect::<Vec<_>>());
            let _ = writeln!(
                md,
                "| **median** | **{wall:.1}** | **{page:.1}** | **{ready:.1}** |\n"
            );
            let _ = writeln!(
                md,
                "Target: median ≤ {TARGET_STARTUP_MS} ms: {} ({wall:.1} ms wall).\n",
                verdict(wall <= TARGET_STARTUP_MS)
            );
        }
        Err(e) => {
            let _ = writeln!(md, "Not measured: {e:#}\n");
        }
    }
    match report.baseline {
        Ok(runs) => {
            let median =
                |f: fn(&StartupRun) -> f64| stats::median(&runs.iter().map(f).collect::<Vec<_>>());
            let _ = writeln!(
                md,
                "Baseline, for scale: the same script on a one-file page with the same `data-testid`s and \
                 a few lines of JavaScript (no wasm, no framework), also served by the xtask, gives a \
                 median of {:.1} ms wall, {:.1} ms page, ready at {:.1} ms: that much is the browser \
                 starting on a fresh profile and the harness, not Whalebox.\n",
                median(|r| r.wall_ms),
                median(|r| r.page_ms),
                median(|r| r.ready_ms)
            );
        }
        Err(e) => {
            let _ = writeln!(md, "Baseline not measured: {e:#}\n");
        }
    }

    let _ = writeln!(md, "## 3. Engine command latency\n");
    let _ = writeln!(
        md,
        "The fixed script `{SCRIPT}` (`docker version`, `docker info`, `docker run hello-world`, \
         `docker ps -a`, `docker images`, `echo hi`, `docker foo`, repeated) runs {ROUNDS} times, each \
         time on a fresh `Engine::new(1)`, so `docker ps -a` lists more containers as a round goes on. \
         Each `engine.run(line)` is timed on its own. Times in µs; percentiles are nearest-rank.\n"
    );
    latency_table(
        &mut md,
        "Native",
        "`engine/examples/latency.rs`, `--profile bench-native` (opt-level 3), timed with `std::time::Instant`.",
        report.native,
        TARGET_NATIVE_P99_US,
    );
    latency_table(
        &mut md,
        "WebAssembly",
        "`engine/examples/wasm_bench.rs`, a wasm32-unknown-unknown cdylib built with the release profile \
         the site ships (opt-level \"z\", LTO; no wasm-opt), with plain `extern \"C\"` exports and no \
         imports. `e2e/bench-wasm.mjs` instantiates it in Node and times each `run` call with \
         `performance.now()`: this is V8 in Node, the same JavaScript and WebAssembly engine Chromium uses.",
        report.wasm,
        TARGET_WASM_P99_US,
    );
    render_build(&mut md, report.build_native, report.build_wasm);
    render_parse(&mut md, report.parse_native, report.parse_wasm);
    render_containers(&mut md, report.containers);
    crate::bench_network::render_dns(&mut md, report.dns);
    crate::bench_network::render_compose(&mut md, report.compose);
    crate::bench_network::render_conformance(&mut md, report.conformance);
    crate::bench_browser::render_paint(&mut md, report.paint);
    crate::bench_browser::render_parts(&mut md, report.parts);
    md
}

fn measure_containers_native(root: &Path) -> Result<ContainersRun> {
    let out = output_explained(
        cargo()
            .args(["run", "--quiet", "--profile", "bench-native", "-p", "engine", "--example", "containers_bench", "--"])
            .arg(CONTAINER_ROUNDS.to_string())
            .arg(CONTAINERS.to_string())
            .current_dir(root),
    )?;
    parse_containers(&out)
}

/// Lines `containers N`, `memory BYTES` and `sample COMMAND NANOS` into a [`ContainersRun`].
fn parse_containers(out: &str) -> Result<ContainersRun> {
    let mut containers = None;
    let mut memory = None;
    let mut samples: Vec<(String, f64)> = Vec::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields[..] {
            ["containers", n] => containers = Some(n.parse().with_context(|| format!("malformed line `{line}`"))?),
            ["memory", n] => memory = Some(n.parse().with_context(|| format!("malformed line `{line}`"))?),
            ["sample", command, nanos] => {
                let nanos: f64 = nanos.parse().with_context(|| format!("malformed line `{line}`"))?;
                samples.push((command.to_string(), nanos / 1e6));
            }
            _ => {}
        }
    }
    let (Some(containers), Some(memory_per_container)) = (containers, memory) else {
        bail!("the containers benchmark printed no `containers`/`memory` lines");
    };
    let mut commands: Vec<String> = samples.iter().map(|(c, _)| c.clone()).collect();
    commands.dedup();
    let mut timings = Vec::new();
    for command in commands {
        let mut values: Vec<f64> = samples.iter().filter(|(c, _)| *c == command).map(|(_, ms)| *ms).collect();
        values.sort_by(f64::total_cmp);
        timings.push(Timing {
            scenario: command,
            count: values.len(),
            median: stats::median(&values),
            p99: stats::percentile(&values, 99.0),
            max: values[values.len() - 1],
        });
    }
    if timings.is_empty() {
        bail!("the containers benchmark printed no samples");
    }
    Ok(ContainersRun { containers, memory_per_container, timings })
}

fn render_containers(md: &mut String, run: &Result<ContainersRun>) {
    let _ = writeln!(md, "## 6. A host with {CONTAINERS} running containers (native)\n");
    let _ = writeln!(
        md,
        "`engine/examples/containers_bench.rs` starts {CONTAINERS} `busybox sleep 100000` containers in one \
         engine (think time 0), then times {CONTAINER_ROUNDS} runs of each command with `Instant`; every run \
         must print a header and one row per container. Memory is the growth of the process's resident \
         set (`/proc/self/statm`) while the containers were started, divided by their number.\n\n\
         `cargo run --profile bench-native -p engine --example containers_bench -- {CONTAINER_ROUNDS} {CONTAINERS}`\n"
    );
    match run {
        Ok(run) => {
            let _ = writeln!(md, "| command | runs | median (ms) | p99 (ms) | max (ms) |");
            let _ = writeln!(md, "|---|---:|---:|---:|---:|");
            for t in &run.timings {
                let _ = writeln!(md, "| `{}` | {} | {:.2} | {:.2} | {:.2} |", t.scenario, t.count, t.median, t.p99, t.max);
            }
            let _ = writeln!(
                md,
                "\nMemory: {:.1} KB resident per running container ({} containers).\n",
                run.memory_per_container as f64 / 1000.0,
                run.containers
            );
        }
        Err(e) => {
            let _ = writeln!(md, "Not measured: {e:#}\n");
        }
    }
}

fn render_build(md: &mut String, native: &Result<BuildRun>, wasm: &Result<BuildRun>) {
    let shape = native
        .as_ref()
        .or(wasm.as_ref())
        .map(|run| (run.instructions, run.stages))
        .ok();
    let _ = match shape {
        Some((instructions, _)) => writeln!(
            md,
            "## 4. `docker build` of a {instructions}-instruction multi-stage Dockerfile\n"
        ),
        None => writeln!(md, "## 4. `docker build` of a multi-stage Dockerfile\n"),
    };
    let has = shape.map_or(" holds".to_string(), |(instructions, stages)| {
        format!(" has {instructions} instructions in {stages} stages:")
    });
    let _ = writeln!(
        md,
        "`{BUILD_CONTEXT}/Dockerfile`{has} a Go API on \
         `golang:1.22` (`go mod download`, `go build`), a Flask app on `python:3.12-slim` (`pip install \
         -r requirements.txt`), a front end on `node:20-alpine` (`npm ci`, `npm run build`) and an \
         `alpine:3.19` runtime that copies their artifacts (`COPY --from`) and sets `ENV`, `LABEL`, \
         `EXPOSE`, `VOLUME`, `USER`, `HEALTHCHECK`, `ENTRYPOINT` and `CMD`; the folder holds its small \
         context and a `.dockerignore`. Each of {BUILD_ROUNDS} rounds types that context into a fresh \
         `Engine::new(1)` through `engine.run` as a learner would (`mkdir`, `cd`, one `cat > FILE <<'EOF'` \
         here-document per file, then `cat` of each file to check it arrived intact; not timed; \
         `engine/examples/common/build_scenario.rs`), then times \
         `engine.run(\"docker build -t bench .\")` three times: *cold* (nothing pulled yet, every step \
         runs), *warm* (the same engine again, nothing changed) and *after one line is appended to \
         `api/main.go`* (a partial rebuild). After each timing, outside it, the build is checked: exit 0, \
         `writing image` and `naming to docker.io/library/bench:latest` printed, and the steps run or \
         `CACHED` as the scenario requires, so a broken engine cannot give fast numbers. Native: \
         `engine/examples/build_bench.rs`, `--profile bench-native`, `std::time::Instant`. Wasm: the same \
         scenario compiled into `engine/examples/wasm_bench.rs` (release profile, no imports), driven by \
         `e2e/bench-build.mjs` in Node, each `run` call timed with `performance.now()`. Times in ms; \
         the median is the middle sample, p99 is nearest-rank ({}).\n",
        p99_rank_phrase(BUILD_ROUNDS)
    );
    let steps = native
        .as_ref()
        .or(wasm.as_ref())
        .map(|run| run.steps.clone())
        .unwrap_or_default();
    let _ = writeln!(
        md,
        "| build | steps run / `CACHED` | native median | native p99 | native max | wasm median | wasm p99 | wasm max |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
    let cells = |result: &Result<BuildRun>, scenario: &str| match result {
        Ok(run) => run
            .timings
            .iter()
            .find(|t| t.scenario == scenario)
            .map_or("– | – | –".to_string(), |t| {
                format!("{:.2} | {:.2} | {:.2}", t.median, t.p99, t.max)
            }),
        Err(_) => "– | – | –".to_string(),
    };
    for (scenario, label) in SCENARIOS {
        let counted = steps
            .iter()
            .find(|(s, _, _)| s == scenario)
            .map_or("–".to_string(), |(_, ran, cached)| {
                format!("{ran} / {cached}")
            });
        let _ = writeln!(
            md,
            "| {label} | {counted} | {} | {} |",
            cells(native, scenario),
            cells(wasm, scenario)
        );
    }
    let _ = writeln!(md);
    if let (Ok(native), Ok(wasm)) = (native, wasm) {
        if native.steps != wasm.steps || native.instructions != wasm.instructions {
            let _ = writeln!(
                md,
                "Native and wasm disagree on the steps ({:?} against {:?}): the engine is not \
                 deterministic across targets.\n",
                native.steps, wasm.steps
            );
        }
    }
    for (what, result) in [("Native", native), ("Wasm", wasm)] {
        if let Err(e) = result {
            let _ = writeln!(md, "{what} not measured: {e:#}\n");
        }
    }
}

/// Which sorted sample the nearest-rank p99 of `n` samples is, in words.
fn p99_rank_phrase(n: usize) -> String {
    let rank = (0.99 * n as f64).ceil() as usize;
    match n - rank.clamp(1, n) {
        0 => format!("with {n} samples, the largest"),
        1 => format!("the second-largest of {n}"),
        2 => format!("the third-largest of {n}"),
        below => format!("the {}th-largest of {n}", below + 1),
    }
}

fn render_parse(md: &mut String, native: &Result<ParseRun>, wasm: &Result<ParseRun>) {
    let _ = writeln!(md, "## 5. Dockerfile parse throughput\n");
    let corpus = native.as_ref().or(wasm.as_ref()).ok();
    let described = corpus.map_or(String::new(), |run| {
        format!(
            " ({} files, {:.1} KB, {} instructions)",
            run.files,
            run.bytes as f64 / 1000.0,
            run.instructions
        )
    });
    let _ = writeln!(
        md,
        "Every file of the conformance corpus `{CORPUS}`{described}, read from the sibling `shared` \
         folder at bench time, is parsed once untimed (any error stops the benchmark), then \
         {PARSE_PASSES} times over with `engine::dockerfile::parse` (text to checked stages, as \
         `docker build` does first), each pass over all files timed as one sample. Throughput is at \
         the median pass; MB = 10^6 bytes. Native: `engine/examples/parse_bench.rs`, \
         `--profile bench-native`, `std::time::Instant`. Wasm: `parse_dockerfile` in \
         `engine/examples/wasm_bench.rs` (release profile), every file copied into the module's \
         memory once beforehand, passes timed by `e2e/bench-parse.mjs` with `performance.now()`.\n"
    );
    let _ = writeln!(
        md,
        "| engine | passes | median pass (ms) | p99 pass (ms) | files/s | MB/s |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    for (what, result) in [("native", native), ("wasm", wasm)] {
        match result {
            Ok(run) => {
                let (files, mb) = run.throughput();
                let _ = writeln!(
                    md,
                    "| {what} | {} | {:.3} | {:.3} | {files:.0} | {mb:.1} |",
                    run.passes.len(),
                    run.median_ms(),
                    run.p99_ms()
                );
            }
            Err(_) => {
                let _ = writeln!(md, "| {what} | – | – | – | – | – |");
            }
        }
    }
    let _ = writeln!(md);
    for (what, result) in [("Native", native), ("Wasm", wasm)] {
        if let Err(e) = result {
            let _ = writeln!(md, "{what} not measured: {e:#}\n");
        }
    }
}

fn latency_table(
    md: &mut String,
    title: &str,
    how: &str,
    result: &Result<Vec<Summary>>,
    target_us: f64,
) {
    let _ = writeln!(md, "### {title}\n\n{how}\n");
    match result {
        Ok(summaries) => {
            let _ = writeln!(md, "| command | samples | p50 (µs) | p99 (µs) | max (µs) |");
            let _ = writeln!(md, "|---|---:|---:|---:|---:|");
            for s in summaries {
                let _ = writeln!(
                    md,
                    "| `{}` | {} | {:.1} | {:.1} | {:.1} |",
                    s.command, s.count, s.p50, s.p99, s.max
                );
            }
            let worst = summaries.iter().map(|s| s.p99).fold(0.0, f64::max);
            let _ = writeln!(
                md,
                "\nTarget: p99 ≤ {} ms for every command: {} (worst p99 {:.3} ms).\n",
                target_us / 1000.0,
                verdict(worst <= target_us),
                worst / 1000.0
            );
        }
        Err(e) => {
            let _ = writeln!(md, "Not measured: {e:#}\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_text_and_not_much_else() {
        let text = "docker run hello-world\n".repeat(1000);
        let packed = gzip_len(text.as_bytes()).unwrap();
        assert!(packed < 200, "{packed}");
        assert!(
            gzip_len(b"").unwrap() >= 18,
            "a gzip member has a 10-byte header and 8-byte trailer"
        );
    }

    #[test]
    fn parses_the_scripts_output_lines() {
        let runs = parse_startup("launching\nrun\t1\t250.5\t240.25\t200\nrun\t2\t199\t190\t150\n")
            .unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(
            (runs[0].wall_ms, runs[0].page_ms, runs[0].ready_ms),
            (250.5, 240.25, 200.0)
        );
        assert!(parse_startup("run\t1\t250.5\t240\n").is_err());

        let summaries =
            summarize_samples("sample\tdocker ps -a\t2000\nsample\techo hi\t500\nnoise\n").unwrap();
        assert_eq!(summaries.len(), 2);
        assert_eq!(summaries[0].command, "docker ps -a");
        assert_eq!(summaries[0].p99, 2.0, "nanoseconds become microseconds");
        assert!(summarize_samples("nothing here\n").is_err());
        assert!(summarize_samples("sample\tdocker ps\tfast\n").is_err());
    }

    #[test]
    fn report_states_targets_met_and_missed() {
        let sizes = Ok(vec![
            FileSize {
                name: "index.html".into(),
                raw: 2_000,
                gzip: 900,
            },
            FileSize {
                name: "app_bg.wasm".into(),
                raw: 900_000,
                gzip: 360_000,
            },
        ]);
        let startup = Ok((1..=5)
            .map(|i| StartupRun {
                wall_ms: 100.0 * i as f64,
                page_ms: 90.0 * i as f64,
                ready_ms: 80.0 * i as f64,
            })
            .collect());
        let native = Ok(vec![Summary {
            command: "docker version".into(),
            count: 20,
            p50: 5.0,
            p99: 9.0,
            max: 12.0,
        }]);
        let wasm: Result<Vec<Summary>> = Err(anyhow::anyhow!("node exploded"));
        let facts = Facts {
            date: "Mon Nov 23 2026".into(),
            nproc: "2".into(),
            cpu: "cpu".into(),
            rustc: "rustc 1.95.0".into(),
            node: "v20".into(),
            chromium: "Chromium 156".into(),
            load: "0.10 0.20 0.30".into(),
        };
        let baseline = Ok(vec![StartupRun {
            wall_ms: 150.0,
            page_ms: 120.0,
            ready_ms: 100.0,
        }]);
        let build_native = parse_build(BUILD_OUTPUT);
        let build_wasm: Result<BuildRun> = Err(anyhow::anyhow!(
            "build_bench: the cold build did not do its work (exit 1) `ERROR: failed to solve`"
        ));
        let parse_native =
            parse_parse("corpus\t2\t3000000\t10\npass\t2000000\npass\t1000000\npass\t3000000\n");
        let parse_wasm: Result<ParseRun> = Err(anyhow::anyhow!("no corpus"));
        let md = render(&Report {
            facts,
            build_took: "3 s".into(),
            sizes: &sizes,
            startup: &startup,
            baseline: &baseline,
            native: &native,
            wasm: &wasm,
            build_native: &build_native,
            build_wasm: &build_wasm,
            parse_native: &parse_native,
            parse_wasm: &parse_wasm,
            containers: &parse_containers("containers\t3\nmemory\t4500\nsample\tdocker ps\t2000000\nsample\tdocker ps\t4000000\n"),
            dns: &Ok(crate::bench_network::NetworkRun {
                containers: 1000,
                timings: crate::bench_network::timings(&[("docker exec c0 nslookup c999".into(), 3.0), ("docker exec c0 nslookup c999".into(), 5.0)]),
            }),
            compose: &Err(anyhow::anyhow!("no compose")),
            conformance: &Ok(crate::bench_network::ConformanceRun {
                engine: "docker CLI 28.2.2 -> engine 4.3.1 (API 1.41)".into(),
                agreement: "Agreement: 9/10 observations (90.0 %)".into(),
                scenarios: 3,
            }),
            paint: &crate::bench_browser::parse_paint("cmd\t1\t2.0\t16.5\t1\ncmd\t2\t30.0\t33.0\t2\n"),
            parts: &Err(anyhow::anyhow!("no wasm")),
        });
        assert!(md.contains("| Enter → first frame after it (ms) | 16.5 | 33.0 | 33.0 |"), "{md}");
        assert!(md.contains("Painted in the next frame: 1 of 2 commands. Target: p95 within one frame (16.7 ms at 60 Hz): **missed**"), "{md}");
        assert!(md.contains("## 11. What the wasm is made of"), "{md}");
        assert!(md.contains("| `docker exec c0 nslookup c999` | 2 | 4.00 |"), "{md}");
        assert!(md.contains("## 8. A 20-service Compose project up and down (native)\n\n"), "{md}");
        assert!(md.contains("Not measured: no compose"), "{md}");
        assert!(md.contains("Against docker CLI 28.2.2 -> engine 4.3.1 (API 1.41): **Agreement: 9/10 observations (90.0 %)** (3 scenarios listed)."), "{md}");
        assert!(md.contains("| `docker ps` | 2 | 3.00 |"), "{md}");
        assert!(md.contains("Memory: 4.5 KB resident per running container (3 containers)."), "{md}");
        assert!(md.contains("Mon Nov 23 2026"), "{md}");
        assert!(
            md.contains("| **total** | **902.0 KB** (902000 B) | **360.9 KB** (360900 B) |"),
            "{md}"
        );
        assert!(
            md.contains("Target: total ≤ 350 KB gzip: **missed**"),
            "{md}"
        );
        assert!(
            md.contains("| **median** | **300.0** | **270.0** | **240.0** |"),
            "{md}"
        );
        assert!(md.contains("Target: median ≤ 300 ms: **met**"), "{md}");
        assert!(
            md.contains("median of 150.0 ms wall, 120.0 ms page, ready at 100.0 ms"),
            "{md}"
        );
        assert!(
            md.contains("| `docker version` | 20 | 5.0 | 9.0 | 12.0 |"),
            "{md}"
        );
        assert!(md.contains("Not measured: node exploded"), "{md}");
        assert!(md.contains("V8 in Node"), "{md}");
        assert!(
            md.contains("## 4. `docker build` of a 40-instruction multi-stage Dockerfile"),
            "{md}"
        );
        assert!(
            md.contains("| cold: fresh engine, every image pulled, every step run | 20 / 0 | 35.00 | 40.00 | 40.00 | – | – | – |"),
            "{md}"
        );
        assert!(
            md.contains(
                "| after one line appended to `api/main.go` | 4 / 16 | 2.00 | 2.00 | 2.00 |"
            ),
            "{md}"
        );
        assert!(
            md.contains("Wasm not measured: build_bench: the cold build did not do its work"),
            "{md}"
        );
        assert!(md.contains("(2 files, 3000.0 KB, 10 instructions)"), "{md}");
        assert!(
            md.contains("| native | 3 | 2.000 | 3.000 | 1000 | 1500.0 |"),
            "{md}"
        );
        assert!(md.contains("| wasm | – | – | – | – | – |"), "{md}");
        assert!(md.contains("Wasm not measured: no corpus"), "{md}");
        assert!(md.contains("--example build_bench -- 100"), "{md}");
    }

    const BUILD_OUTPUT: &str = "shape\t40\t4\n\
        steps\tcold\t20\t0\nsteps\twarm\t0\t20\nsteps\tedited\t4\t16\n\
        sample\tcold\t30000000\nsample\twarm\t1000000\nsample\tedited\t2000000\n\
        sample\tcold\t40000000\nsample\twarm\t3000000\nsample\tedited\t2000000\n\
        cargo noise\n";

    #[test]
    fn parses_the_build_and_parse_benchmarks_output() {
        let run = parse_build(BUILD_OUTPUT).unwrap();
        assert_eq!((run.instructions, run.stages), (40, 4));
        assert_eq!(run.steps[2], ("edited".to_string(), 4, 16));
        assert_eq!(
            run.timings[0],
            Timing {
                scenario: "cold".into(),
                count: 2,
                median: 35.0,
                p99: 40.0,
                max: 40.0
            },
            "nanoseconds become milliseconds"
        );
        assert_eq!(run.timings[1].median, 2.0);
        assert!(parse_build("sample\tcold\t1\n").is_err(), "no shape line");
        assert!(
            parse_build("shape\t40\t4\nsample\tcold\t1\nsample\twarm\t1\n").is_err(),
            "a scenario without samples"
        );
        assert!(parse_build("shape\t40\nsample\tcold\t1\n").is_err());
        assert!(parse_build("shape\t40\t4\nsample\tcold\tfast\n").is_err());

        let parsed =
            parse_parse("corpus\t52\t320000\t900\npass\t4000000\npass\t2000000\n").unwrap();
        assert_eq!(
            (parsed.files, parsed.bytes, parsed.instructions),
            (52, 320_000, 900)
        );
        assert_eq!(parsed.median_ms(), 3.0);
        assert_eq!(parsed.p99_ms(), 4.0);
        let (files, mb) = parsed.throughput();
        assert!((files - 52.0 / 0.003).abs() < 1e-6, "{files}");
        assert!((mb - 0.32 / 0.003).abs() < 1e-6, "{mb}");
        assert!(parse_parse("pass\t1\n").is_err(), "no corpus line");
        assert!(parse_parse("corpus\t1\t2\t3\n").is_err(), "no passes");
        assert!(parse_parse("corpus\t1\t2\npass\t1\n").is_err());
    }

    #[test]
    fn failures_are_explained_by_the_benchmarks_own_words() {
        let stderr = "build_bench: the cold build did not do its work (exit 1). It printed:\n\
            [+] Building 1.0s (3/20) FINISHED\n => [api 5/7] RUN go mod download\n\
            ERROR: failed to solve: process \"/bin/sh -c go mod download\" did not complete successfully: exit code: 127\n";
        let explained = explain_failure(stderr);
        assert!(
            explained.starts_with("build_bench: the cold build"),
            "{explained}"
        );
        assert!(
            explained.contains("`ERROR: failed to solve: process"),
            "{explained}"
        );
        assert!(!explained.contains("Building"), "{explained}");
        assert_eq!(
            explain_failure("\n"),
            "the benchmark failed without a message"
        );
    }

    #[test]
    fn build_section_without_numbers_says_why() {
        let mut md = String::new();
        let native: Result<BuildRun> = Err(anyhow::anyhow!("build_bench: exit 1"));
        let wasm: Result<BuildRun> = Err(anyhow::anyhow!("bench-build: exit 1"));
        render_build(&mut md, &native, &wasm);
        assert!(
            md.starts_with("## 4. `docker build` of a multi-stage Dockerfile\n"),
            "{md}"
        );
        assert!(
            md.contains("`engine/examples/bench_build/Dockerfile` holds a Go API"),
            "{md}"
        );
        assert!(
            md.contains("| warm: same engine, nothing changed | – | – | – | – | – | – | – |"),
            "{md}"
        );
        assert!(
            md.contains("Native not measured: build_bench: exit 1"),
            "{md}"
        );
        assert!(
            md.contains("Wasm not measured: bench-build: exit 1"),
            "{md}"
        );
    }

    #[test]
    fn p99_rank_in_words() {
        assert_eq!(p99_rank_phrase(20), "with 20 samples, the largest");
        assert_eq!(p99_rank_phrase(50), "with 50 samples, the largest");
        assert_eq!(p99_rank_phrase(100), "the second-largest of 100");
        assert_eq!(p99_rank_phrase(200), "the third-largest of 200");
    }
}
