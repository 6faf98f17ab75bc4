//! `docker build` as BuildKit runs it: a context filtered by `.dockerignore`, only the stages the
//! target needs, every step reused from the cache or run — with the reason why — and an image at
//! the end.

mod cache;
mod context;
mod progress;
mod stage;

use std::collections::{BTreeMap, BTreeSet};

pub use cache::{BuildCache, Verdict};
pub use context::{glob_matches, Context};
pub use progress::Vertex;

use crate::clock::SECOND;
use crate::dockerfile::{self, Dockerfile, Instruction, ShellLexer};
use crate::dockerignore::DockerIgnore;
use crate::fs::{normalize, parent};
use crate::image::Image;
use crate::outcome::Event;
use crate::reference::Reference;
use crate::world::World;

use stage::{StageResult, StageRunner};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The summary a terminal shows (`auto` and `tty`; the learner's terminal is a TTY).
    Tty,
    Plain,
    Quiet,
}

/// Everything `docker build` was asked to do, after flag parsing.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// Absolute path of the context directory on the host.
    pub context_dir: String,
    /// Absolute path of the Dockerfile on the host.
    pub dockerfile: String,
    pub tags: Vec<Reference>,
    pub build_args: BTreeMap<String, String>,
    pub no_cache: bool,
    pub target: Option<String>,
    pub pull: bool,
    pub platform: Option<String>,
    /// Secret id → its content (read from the host when the flags were parsed).
    pub secrets: BTreeMap<String, String>,
    pub network_none: bool,
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub vertices: Vec<Vertex>,
    pub image_id: Option<String>,
    /// BuildKit's final error line (`failed to solve: …`), when the build failed.
    pub error: Option<String>,
    /// The failing step's last output and its place in the Dockerfile, as BuildKit shows them.
    pub error_context: Vec<String>,
    /// Simulated milliseconds the whole build took.
    pub duration: u64,
    pub events: Vec<Event>,
    pub warnings: Vec<String>,
}

impl BuildReport {
    fn fail(mut self, message: impl Into<String>) -> BuildReport {
        self.error = Some(message.into());
        self
    }
}

/// The `--progress=plain` log of a build.
pub fn render_plain(report: &BuildReport) -> Vec<String> {
    progress::plain(&report.vertices)
}

/// The summary a terminal shows at the end of a build.
pub fn render_tty(report: &BuildReport) -> Vec<String> {
    progress::tty(&report.vertices, report.duration, report.error.is_some())
}

/// Runs a build against `world`, storing the image (and its tags) on success.
pub fn build(world: &mut World, request: &BuildRequest) -> BuildReport {
    let mut report = BuildReport::default();
    let host = world.host_files();
    if !host.is_dir(&request.context_dir) {
        return report.fail(format!("unable to prepare context: path \"{}\" not found", request.context_dir));
    }
    let dockerfile_name = crate::fs::file_name(&request.dockerfile).to_string();
    let Ok(text) = host.read_text(&request.dockerfile).map(str::to_string) else {
        return report.fail(format!(
            "failed to solve: failed to read dockerfile: open {dockerfile_name}: no such file or directory"
        ));
    };
    // BuildKit prefers `<Dockerfile>.dockerignore` next to the Dockerfile, then the context's own.
    let ignore_text = host
        .read_text(&format!("{}.dockerignore", request.dockerfile))
        .or_else(|_| host.read_text(&format!("{}/.dockerignore", request.context_dir.trim_end_matches('/'))))
        .unwrap_or_default()
        .to_string();
    let mut load = Vertex { name: format!("[internal] load build definition from {dockerfile_name}"), ..Vertex::default() };
    load.details.push((format!("transferring dockerfile: {}", progress::transfer_size(text.len() as u64)), 0));
    report.vertices.push(load);

    let dockerfile = match dockerfile::parse(&text) {
        Ok(parsed) => parsed,
        Err(error) => {
            report.error_context = snippet(&dockerfile_name, &text, error.line());
            return report.fail(format!("failed to solve: {error}"));
        }
    };
    let ignore = match DockerIgnore::parse(&ignore_text) {
        Ok(ignore) => ignore,
        Err(error) => return report.fail(format!("failed to solve: {error}")),
    };

    let target = match &request.target {
        Some(name) => match dockerfile.stage(name) {
            Some((index, _)) => index,
            None => return report.fail(format!("failed to solve: target stage \"{name}\" could not be found")),
        },
        None => dockerfile.stages.len().saturating_sub(1),
    };
    let global_args = global_args(&dockerfile, &request.build_args);
    let needed = needed_stages(&dockerfile, target, &global_args);

    // Base images are resolved up front, as BuildKit's "load metadata" vertices.
    let mut metadata = BTreeSet::new();
    for &index in &needed {
        let base = expand_base(&dockerfile.stages[index].base, &global_args);
        if base != "scratch" && !dockerfile.stages[..index].iter().any(|s| s.name.as_deref() == Some(base.to_lowercase().as_str())) {
            if let Ok(reference) = Reference::parse_normalized(&base) {
                metadata.insert(reference.with_default_tag().full());
            }
        }
    }
    for reference in &metadata {
        report.vertices.push(Vertex { name: format!("[internal] load metadata for {reference}"), duration: 1_100, ..Vertex::default() });
    }
    let mut ignore_vertex = Vertex { name: "[internal] load .dockerignore".into(), ..Vertex::default() };
    ignore_vertex.details.push((format!("transferring context: {}", progress::transfer_size(ignore_text.len().max(2) as u64)), 0));
    report.vertices.push(ignore_vertex);

    let context = Context::collect(world.host_files(), &request.context_dir, &ignore);
    let uses_context = needed.iter().any(|&i| {
        dockerfile.stages[i].steps.iter().any(|step| match &step.instruction {
            Instruction::Copy(copy) => copy.from.is_none() && !copy.files.source_paths.is_empty(),
            Instruction::Add(add) => !add.files.source_paths.is_empty(),
            _ => false,
        })
    });
    if uses_context {
        let mut vertex = Vertex { name: "[internal] load build context".into(), ..Vertex::default() };
        vertex.details.push((format!("transferring context: {}", progress::transfer_size(context.size())), context.size() / 50_000));
        vertex.duration = context.size() / 50_000;
        report.vertices.push(vertex);
    }

    let mut results: BTreeMap<usize, StageResult> = BTreeMap::new();
    for &index in &needed {
        let mut runner = StageRunner {
            world: &mut *world,
            dockerfile: &dockerfile,
            index,
            request,
            context: &context,
            global_args: &global_args,
            dockerfile_name: &dockerfile_name,
            dockerfile_text: &text,
        };
        match runner.run(&results, &mut report) {
            Some(result) => {
                results.insert(index, result);
            }
            None => {
                report.duration = report.vertices.iter().map(|v| v.duration).sum();
                world.clock.advance(report.duration);
                return report;
            }
        }
    }
    let Some(result) = results.remove(&target) else {
        return report.fail("failed to solve: target stage produced nothing");
    };

    let image = Image::new(result.created, result.layers, result.config, result.history, result.size);
    let mut export = Vertex { name: "exporting to image".into(), duration: 100, ..Vertex::default() };
    export.details.push(("exporting layers".into(), 100));
    export.details.push((format!("writing image {}", image.id), 0));
    for tag in &request.tags {
        export.details.push((format!("naming to {}", tag.full()), 0));
    }
    report.vertices.push(export);
    let mut stored = image.clone();
    stored.repo_tags = request.tags.iter().map(Reference::familiar).collect();
    report.image_id = Some(image.id.clone());
    report.events.push(Event::ImageBuilt { image_id: image.id.clone(), tags: stored.repo_tags.clone() });
    world.store_image(stored);
    let unused: Vec<&String> = request
        .build_args
        .keys()
        .filter(|name| !dockerfile_declares_arg(&dockerfile, name))
        .collect();
    if !unused.is_empty() {
        let names: Vec<&str> = unused.iter().map(|s| s.as_str()).collect();
        report.warnings.push(format!("[Warning] One or more build-args [{}] were not consumed", names.join(" ")));
    }
    report.duration = report.vertices.iter().map(|v| v.duration).sum::<u64>() + SECOND / 10;
    world.clock.advance(report.duration);
    report
}

fn dockerfile_declares_arg(dockerfile: &Dockerfile, name: &str) -> bool {
    dockerfile.global_args.iter().any(|(definition, _)| definition.name == name)
        || dockerfile.stages.iter().flat_map(|s| &s.steps).any(|step| match &step.instruction {
            Instruction::Arg(definitions) => definitions.iter().any(|d| d.name == name),
            _ => false,
        })
}

/// ARGs declared before the first FROM, with `--build-arg` overrides.
fn global_args(dockerfile: &Dockerfile, overrides: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut args = BTreeMap::new();
    let lexer = ShellLexer::new(dockerfile.escape);
    for (definition, _) in &dockerfile.global_args {
        let value = match overrides.get(&definition.name) {
            Some(value) => Some(value.clone()),
            None => definition.default.as_ref().map(|d| lexer.process_word(d, &args).unwrap_or_else(|_| d.clone())),
        };
        if let Some(value) = value {
            args.insert(definition.name.clone(), value);
        }
    }
    args
}

/// A FROM line's image with global ARGs expanded.
pub(crate) fn expand_base(base: &str, global_args: &BTreeMap<String, String>) -> String {
    ShellLexer::new('\\').process_word(base, global_args).unwrap_or_else(|_| base.to_string())
}

/// The stages `target` depends on (through FROM and COPY --from), in Dockerfile order.
fn needed_stages(dockerfile: &Dockerfile, target: usize, global_args: &BTreeMap<String, String>) -> Vec<usize> {
    let mut needed = BTreeSet::new();
    let mut queue = vec![target];
    while let Some(index) = queue.pop() {
        if !needed.insert(index) {
            continue;
        }
        let Some(stage) = dockerfile.stages.get(index) else { continue };
        let base = expand_base(&stage.base, global_args);
        if let Some((dependency, _)) = earlier_stage(dockerfile, index, &base) {
            queue.push(dependency);
        }
        for step in &stage.steps {
            let from = match &step.instruction {
                Instruction::Copy(copy) => copy.from.clone(),
                Instruction::Run(run) => run.mounts.iter().find_map(|m| {
                    m.split(',').find_map(|field| field.strip_prefix("from=").map(str::to_string))
                }),
                _ => None,
            };
            if let Some((dependency, _)) = from.and_then(|name| earlier_stage(dockerfile, index, &name)) {
                queue.push(dependency);
            }
        }
    }
    needed.into_iter().collect()
}

/// The stage before `index` that `name` (a stage name or number) refers to.
pub(crate) fn earlier_stage<'a>(dockerfile: &'a Dockerfile, index: usize, name: &str) -> Option<(usize, &'a dockerfile::Stage)> {
    dockerfile.stage(name).filter(|(found, _)| *found < index)
}

/// BuildKit's view of the failing lines: `Dockerfile:4`, then the lines around it with `>>>`.
pub(crate) fn snippet(name: &str, text: &str, line: Option<usize>) -> Vec<String> {
    let Some(line) = line else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let first = line.saturating_sub(2).max(1);
    let last = (line + 2).min(lines.len());
    let mut out = vec![format!("{name}:{line}"), "--------------------".to_string()];
    for number in first..=last {
        let marker = if number == line { ">>>" } else { "   " };
        let content = lines.get(number - 1).copied().unwrap_or_default();
        out.push(format!("{number:>4} | {marker} {content}"));
    }
    out.push("--------------------".to_string());
    out
}

/// Where a relative COPY destination or WORKDIR lands, given the current working directory.
pub(crate) fn resolve_in(path: &str, workdir: &str) -> String {
    let base = if workdir.is_empty() { "/" } else { workdir };
    let resolved = normalize(path, base);
    if resolved.is_empty() { parent("/").to_string() } else { resolved }
}
