//! The build benchmark's scenario, shared by `build_bench.rs` (native) and `wasm_bench.rs` (wasm).
//!
//! The build context is `engine/examples/bench_build/` (a 40-instruction, four-stage Dockerfile and
//! its small source files), compiled in. [`prepare`] types it into a fresh `Engine::new(SEED)` the
//! way a learner would (`mkdir`, `cd`, one `cat > FILE <<'EOF' … EOF` per file) and reads every file
//! back with `cat`; then the benchmark times [`BUILD`] cold (everything pulled and run), again warm
//! (every step `CACHED`), and once more after [`EDIT`] changes one Go source file. [`check`] makes
//! sure each timed build did that work, outside the timed region, so a broken engine cannot
//! produce fast numbers.

use engine::{Engine, Outcome};

/// The seed of every benchmark engine.
pub const SEED: u64 = 1;

/// The timed command.
pub const BUILD: &str = "docker build -t bench .";

/// What every successful build must print (tty progress, as in `docker build` without `--progress`).
const EXPORT_MARKERS: [&str; 2] = [
    "writing image sha256:",
    "naming to docker.io/library/bench:latest",
];

/// The edit before the partial rebuild: one more line in one Go source file, so the `api` stage
/// from `COPY api/ ./` on, and what the final stage copies from it, must run again.
pub const EDIT: &str = "echo '// edited by the benchmark' >> api/main.go";

/// The folder the context is typed into (under the host shell's home).
const FOLDER: &str = "bench";

/// The build context, path and text, in the order it is typed in.
pub const CONTEXT: &[(&str, &str)] = &[
    ("Dockerfile", include_str!("../bench_build/Dockerfile")),
    (
        ".dockerignore",
        include_str!("../bench_build/.dockerignore"),
    ),
    ("README.md", include_str!("../bench_build/README.md")),
    ("api/go.mod", include_str!("../bench_build/api/go.mod")),
    ("api/main.go", include_str!("../bench_build/api/main.go")),
    (
        "admin/requirements.txt",
        include_str!("../bench_build/admin/requirements.txt"),
    ),
    ("admin/app.py", include_str!("../bench_build/admin/app.py")),
    (
        "web/package.json",
        include_str!("../bench_build/web/package.json"),
    ),
    (
        "web/package-lock.json",
        include_str!("../bench_build/web/package-lock.json"),
    ),
    (
        "web/public/index.html",
        include_str!("../bench_build/web/public/index.html"),
    ),
    (
        "web/public/app.js",
        include_str!("../bench_build/web/public/app.js"),
    ),
    (
        "config/app.conf",
        include_str!("../bench_build/config/app.conf"),
    ),
];

/// One timed build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// A fresh engine: every image is pulled and every step runs.
    Cold,
    /// The same engine again, nothing changed: every step is `CACHED`.
    Warm,
    /// After [`EDIT`]: some steps run again, the rest are `CACHED`.
    Edited,
}

impl Scenario {
    pub const ALL: [Scenario; 3] = [Scenario::Cold, Scenario::Warm, Scenario::Edited];

    /// The name in the sample lines the xtask reads.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Cold => "cold",
            Scenario::Warm => "warm",
            Scenario::Edited => "edited",
        }
    }
}

/// Instructions in the Dockerfile (as BuildKit's parser counts them) and its stages.
pub fn dockerfile_shape() -> Result<(usize, usize), String> {
    let text = CONTEXT[0].1;
    let parsed = engine::dockerfile::parse(text)
        .map_err(|error| format!("the benchmark's Dockerfile does not parse: {error}"))?;
    Ok((parsed.ast.children.len(), parsed.stages.len()))
}

/// What a learner types to create the context: the folder, its subfolders, one here-document per
/// file.
pub fn setup_commands() -> Result<Vec<String>, String> {
    let mut folders: Vec<&str> = CONTEXT
        .iter()
        .filter_map(|(path, _)| path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    let mut commands = vec![
        format!("mkdir {FOLDER} && cd {FOLDER}"),
        format!("mkdir -p {}", folders.join(" ")),
    ];
    for (path, text) in CONTEXT {
        if text.lines().any(|line| line == "EOF") || !text.ends_with('\n') {
            return Err(format!(
                "{path} cannot be typed as a here-document ending in EOF"
            ));
        }
        commands.push(format!("cat > {path} <<'EOF'\n{text}EOF"));
    }
    Ok(commands)
}

/// A fresh engine with the context typed in and read back; nothing here is timed.
pub fn prepare() -> Result<Engine, String> {
    let mut engine = Engine::new(SEED);
    for command in setup_commands()? {
        let outcome = engine.run(&command);
        if outcome.exit_code != 0 || !outcome.output.is_empty() {
            return Err(format!(
                "setting up the build context: `{}` gave exit {} and:\n{}",
                command.lines().next().unwrap_or_default(),
                outcome.exit_code,
                outcome.text()
            ));
        }
    }
    for (path, text) in CONTEXT {
        let outcome = engine.run(&format!("cat {path}"));
        let read_back = outcome.text();
        if outcome.exit_code != 0 || read_back != *text {
            return Err(format!(
                "setting up the build context: `cat {path}` (exit {}) does not give back what the \
                 here-document typed: {}.\nWhat it printed:\n{read_back}",
                outcome.exit_code,
                first_difference(text, &read_back)
            ));
        }
    }
    Ok(engine)
}

/// Where `read` first differs from `typed`, line by line, in words.
fn first_difference(typed: &str, read: &str) -> String {
    let (mut typed_lines, mut read_lines) = (typed.lines(), read.lines());
    for number in 1.. {
        match (typed_lines.next(), read_lines.next()) {
            (None, None) => break,
            (a, b) if a == b => continue,
            (a, b) => {
                let shown =
                    |line: Option<&str>| line.map_or("nothing".into(), |l| format!("{l:?}"));
                return format!(
                    "line {number} was typed as {}, read back as {}",
                    shown(a),
                    shown(b)
                );
            }
        }
    }
    "the lines match, the line endings do not".to_string()
}

/// Runs [`EDIT`] (not timed).
pub fn edit(engine: &mut Engine) -> Result<(), String> {
    let outcome = engine.run(EDIT);
    if outcome.exit_code != 0 || !outcome.output.is_empty() {
        return Err(format!(
            "`{EDIT}` gave exit {} and:\n{}",
            outcome.exit_code,
            outcome.text()
        ));
    }
    Ok(())
}

/// Steps the tty progress shows as run and as `CACHED` (`=> [api 5/7] RUN …`,
/// `=> CACHED [api 5/7] RUN …`); `[internal]` and `FROM` lines are not counted.
pub fn step_counts(outcome: &Outcome) -> (usize, usize) {
    let (mut ran, mut cached) = (0, 0);
    for line in &outcome.output {
        let Some(rest) = line.text.trim_start().strip_prefix("=> ") else {
            continue;
        };
        if let Some(step) = rest.strip_prefix("CACHED [") {
            if !step.contains("] FROM ") {
                cached += 1;
            }
        } else if rest.starts_with('[')
            && !rest.starts_with("[internal]")
            && !rest.contains("] FROM ")
        {
            ran += 1;
        }
    }
    (ran, cached)
}

/// Whether `outcome` is a build that did the scenario's work: exit 0, the image written and named,
/// and the steps run or `CACHED` as the scenario expects. `cold_steps` is how many steps the cold
/// build ran (all of them), which the warm build must find `CACHED`.
pub fn check(scenario: Scenario, outcome: &Outcome, cold_steps: usize) -> Result<(), String> {
    let text = outcome.text();
    let (ran, cached) = step_counts(outcome);
    let problem = if outcome.exit_code != 0 {
        Some(format!("exit {}", outcome.exit_code))
    } else if let Some(missing) = EXPORT_MARKERS.iter().find(|m| !text.contains(*m)) {
        Some(format!("no `{missing}`"))
    } else {
        match scenario {
            Scenario::Cold if ran == 0 || cached > 0 => Some(format!(
                "{ran} steps run and {cached} CACHED; all should run"
            )),
            Scenario::Warm if ran > 0 || cached != cold_steps => Some(format!(
                "{ran} steps run and {cached} CACHED; all {cold_steps} should be CACHED"
            )),
            Scenario::Edited if ran == 0 || cached == 0 || ran + cached != cold_steps => {
                Some(format!(
                    "{ran} steps run and {cached} CACHED; some of the {cold_steps} should run and \
                     the rest be CACHED"
                ))
            }
            _ => None,
        }
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(format!(
            "the {} build (`{BUILD}`) did not do its work ({problem}), so its timing would mean \
             nothing.\nWhat it printed:\n{text}",
            scenario.name()
        )),
    }
}
