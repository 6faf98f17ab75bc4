//! The build view's model: each local image's layer stack with its instructions and sizes, the
//! last build's cache verdicts, layers shared between images, space hidden by later deletions,
//! the multi-stage graph and before/after sizes of images in one repository.

use std::collections::BTreeMap;

use engine::fs::{is_within, Change};
use engine::{Event, Verdict, World};

/// A build step's cache verdict, as the view words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepVerdict {
    Cached,
    Miss(String),
}

impl From<&Verdict> for StepVerdict {
    fn from(verdict: &Verdict) -> Self {
        match verdict {
            Verdict::Cached => StepVerdict::Cached,
            Verdict::Miss(reason) => StepVerdict::Miss(reason.clone()),
        }
    }
}

/// One layer of an image, bottom first in [`ImageStack::layers`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerRow {
    pub instruction: String,
    pub size: u64,
    pub digest: String,
    /// Other local images that contain this same layer.
    pub shared_with: Vec<String>,
    /// The last build's verdict, for the image it built.
    pub verdict: Option<StepVerdict>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageStack {
    /// First tag, or the short ID of an untagged image.
    pub name: String,
    pub id: String,
    pub size: u64,
    pub layers: Vec<LayerRow>,
    /// Bytes stored in lower layers but deleted or replaced by a later one.
    pub hidden_bytes: u64,
    /// Built by the last `docker build`.
    pub last_built: bool,
}

/// One step of the last build, in the order BuildKit ran them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildStepRow {
    /// `build 2/6`, `3/5`.
    pub step: String,
    pub instruction: String,
    pub verdict: StepVerdict,
}

/// A stage of the last build's Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageNode {
    /// `AS` name, or its index.
    pub name: String,
    pub base: String,
    /// Stages and images it copies from (`COPY --from`).
    pub copies_from: Vec<String>,
}

/// Two images of one repository: the larger one before and the smaller one after a rewrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeComparison {
    pub before: (String, u64),
    pub after: (String, u64),
    /// Whole percent saved by `after` against `before`.
    pub saved_percent: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BuildModel {
    pub images: Vec<ImageStack>,
    pub last_steps: Vec<BuildStepRow>,
    pub stages: Vec<StageNode>,
    pub comparisons: Vec<SizeComparison>,
}

pub fn model(world: &World) -> BuildModel {
    let (last_steps, built_id) = last_build_steps(world);
    let mut images: Vec<&engine::Image> = world.images().collect();
    // Newest first: what the learner just built is on top.
    images.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    let names: BTreeMap<&str, String> = images.iter().map(|image| (image.id.as_str(), image_name(image))).collect();
    let stacks = images
        .iter()
        .map(|image| {
            let mut layers = layer_rows(world, image);
            for row in &mut layers {
                row.shared_with = images
                    .iter()
                    .filter(|other| other.id != image.id && other.layers.contains(&row.digest))
                    .map(|other| names[other.id.as_str()].clone())
                    .collect();
            }
            let last_built = built_id.as_deref() == Some(image.id.as_str());
            if last_built {
                mark_verdicts(&mut layers, &last_steps);
            }
            ImageStack {
                name: names[image.id.as_str()].clone(),
                id: super::short_id(&image.id),
                size: image.size,
                hidden_bytes: hidden_bytes(world, &image.layers),
                layers,
                last_built,
            }
        })
        .collect();
    BuildModel { images: stacks, last_steps, stages: stages(world), comparisons: comparisons(&images) }
}

fn image_name(image: &engine::Image) -> String {
    image.repo_tags.first().cloned().unwrap_or_else(|| format!("<none> {}", super::short_id(&image.id)))
}

fn last_build_steps(world: &World) -> (Vec<BuildStepRow>, Option<String>) {
    let Some(build) = world.last_build() else { return (Vec::new(), None) };
    let mut built = None;
    let steps = build
        .events
        .iter()
        .filter_map(|event| match event {
            Event::BuildStep { step, instruction, verdict } => {
                Some(BuildStepRow { step: step.clone(), instruction: instruction.clone(), verdict: StepVerdict::from(verdict) })
            }
            Event::ImageBuilt { image_id, .. } => {
                built = Some(image_id.clone());
                None
            }
            _ => None,
        })
        .collect();
    (steps, built)
}

/// Non-empty history entries line up with the layers, bottom first.
fn layer_rows(world: &World, image: &engine::Image) -> Vec<LayerRow> {
    let mut instructions = image.history.iter().filter(|h| !h.empty_layer).map(|h| tidy_instruction(&h.created_by));
    image
        .layers
        .iter()
        .map(|digest| LayerRow {
            instruction: instructions.next().unwrap_or_else(|| "(layer)".into()),
            size: world.layer_size(digest),
            digest: digest.clone(),
            shared_with: Vec::new(),
            verdict: None,
        })
        .collect()
}

/// History text without BuildKit's `# buildkit` note and the shell prefix, as the learner wrote it.
pub fn tidy_instruction(created_by: &str) -> String {
    let text = created_by.trim_end_matches(" # buildkit").trim();
    let text = text.strip_prefix("/bin/sh -c #(nop) ").unwrap_or(text).trim();
    match text.strip_prefix("RUN /bin/sh -c ") {
        Some(script) => format!("RUN {script}"),
        None => text.to_string(),
    }
}

/// The last build's final stage made the image's top layers: match its layer-making steps to
/// the image's last layers, from the top down.
fn mark_verdicts(layers: &mut [LayerRow], steps: &[BuildStepRow]) {
    let stage_of = |step: &str| step.rsplit_once(' ').map_or(String::new(), |(stage, _)| stage.to_string());
    let Some(final_stage) = steps.last().map(|s| stage_of(&s.step)) else { return };
    let makes_layer = |instruction: &str| {
        let keyword = instruction.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        matches!(keyword.as_str(), "RUN" | "COPY" | "ADD")
    };
    let final_steps = steps.iter().filter(|s| stage_of(&s.step) == final_stage && makes_layer(&s.instruction));
    for (row, step) in layers.iter_mut().rev().zip(final_steps.rev()) {
        if makes_layer(&row.instruction) {
            row.verdict = Some(step.verdict.clone());
        }
    }
}

/// Bytes that lower layers put in the image but a later layer deleted (a whiteout, an opaque
/// directory) or replaced: still downloaded and stored, never visible.
pub fn hidden_bytes(world: &World, layers: &[String]) -> u64 {
    let mut visible: BTreeMap<String, u64> = BTreeMap::new();
    let mut hidden = 0;
    for digest in layers {
        let Some(layer) = world.layer(digest) else { continue };
        for (path, change) in &layer.changes {
            match change {
                Change::Put(node) => {
                    if !node.is_dir() {
                        hidden += visible.insert(path.clone(), node.size()).unwrap_or(0);
                    }
                }
                Change::Whiteout | Change::Opaque(_) => {
                    let gone: Vec<String> = visible.range(path.clone()..).take_while(|(p, _)| p.starts_with(path.as_str())).filter(|(p, _)| is_within(p, path)).map(|(p, _)| p.clone()).collect();
                    for p in gone {
                        hidden += visible.remove(&p).unwrap_or(0);
                    }
                }
            }
        }
    }
    hidden
}

/// The stages of the last build's Dockerfile, if the learner's file is still there and parses.
fn stages(world: &World) -> Vec<StageNode> {
    let Some(build) = world.last_build() else { return Vec::new() };
    let Ok(text) = world.host_files().read_text(&build.dockerfile) else { return Vec::new() };
    let Ok(dockerfile) = engine::dockerfile::parse(text) else { return Vec::new() };
    dockerfile
        .stages
        .iter()
        .enumerate()
        .map(|(index, stage)| StageNode {
            name: stage.name.clone().unwrap_or_else(|| index.to_string()),
            base: stage.base.clone(),
            copies_from: stage
                .steps
                .iter()
                .filter_map(|step| match &step.instruction {
                    engine::dockerfile::Instruction::Copy(copy) => copy.from.clone(),
                    _ => None,
                })
                .collect(),
        })
        .collect()
}

/// Per repository with several tagged images: the largest against the smallest.
fn comparisons(images: &[&engine::Image]) -> Vec<SizeComparison> {
    let mut by_repo: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for image in images {
        for tag in &image.repo_tags {
            let repo = tag.rsplit_once(':').map_or(tag.as_str(), |(repo, _)| repo);
            by_repo.entry(repo.to_string()).or_default().push((tag.clone(), image.size));
        }
    }
    by_repo
        .into_values()
        .filter(|tags| tags.len() > 1)
        .filter_map(|tags| {
            let before = tags.iter().max_by_key(|t| t.1)?.clone();
            let after = tags.iter().min_by_key(|t| t.1)?.clone();
            (before.1 > after.1).then(|| SizeComparison {
                saved_percent: (before.1 - after.1) * 100 / before.1,
                before,
                after,
            })
        })
        .collect()
}
