//! The build view: the last build's steps with CACHED/MISS and why, the multi-stage graph, size
//! before/after a rewrite, and each local image's layer stack (base at the bottom) with shared
//! layers and bytes hidden by later deletions.

use leptos::prelude::*;

use super::{Empty, TextAlternative};
use crate::state::Terminal;
use crate::viz_model::build::{self, BuildModel, ImageStack, StageNode, StepVerdict};
use crate::viz_model::human_size;

#[component]
pub fn BuildView(terminal: RwSignal<Terminal, LocalStorage>, revision: Memo<u64>) -> impl IntoView {
    let model = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(|t| build::model(t.engine().world()))
    });
    move || {
        let m = model.get();
        if m.images.is_empty() && m.last_steps.is_empty() {
            return view! { <Empty message="No local images yet." hint="docker build -t demo ." /> }.into_any();
        }
        view! {
            <h2 class="viz-title">"Build & image layers"</h2>
            {last_build(&m)}
            {stage_graph(&m.stages)}
            {comparisons(&m)}
            <div class="build-images" aria-hidden="true">
                {m.images.iter().map(image_card).collect_view()}
            </div>
            <TextAlternative>{describe(&m)}</TextAlternative>
        }
        .into_any()
    }
}

fn badge(verdict: &StepVerdict) -> impl IntoView + use<> {
    match verdict {
        StepVerdict::Cached => view! { <span class="badge cached">"CACHED"</span> }.into_any(),
        StepVerdict::Miss(_) => view! { <span class="badge miss">"MISS"</span> }.into_any(),
    }
}

fn last_build(m: &BuildModel) -> impl IntoView + use<> {
    (!m.last_steps.is_empty()).then(|| {
        let cached = m.last_steps.iter().filter(|s| s.verdict == StepVerdict::Cached).count();
        view! {
            <section class="build-steps" aria-hidden="true" data-testid="build-steps">
                <h3>{format!("Last build: {cached} of {} steps cached", m.last_steps.len())}</h3>
                <ol>
                    {m.last_steps.iter().map(|s| {
                        let reason = match &s.verdict {
                            StepVerdict::Cached => String::new(),
                            StepVerdict::Miss(reason) => reason.clone(),
                        };
                        view! {
                            <li class="build-step">
                                {badge(&s.verdict)}
                                <span class="step-label">{format!("[{}]", s.step)}</span>
                                <code class="step-instruction" title=s.instruction.clone()>{s.instruction.clone()}</code>
                                {(!reason.is_empty()).then(|| view! { <span class="step-reason">{reason}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

/// Stages top to bottom, `FROM stage` and `COPY --from` drawn as arcs on the right.
fn stage_graph(stages: &[StageNode]) -> impl IntoView + use<> {
    (stages.len() > 1).then(|| {
        let row = 56.0;
        let height = stages.len() as f64 * row;
        let index_of = |name: &str| stages.iter().position(|s| s.name == name.to_lowercase());
        let mut edges = Vec::new();
        for (to, stage) in stages.iter().enumerate() {
            if let Some(from) = index_of(&stage.base) {
                edges.push((from, to, "FROM"));
            }
            for source in &stage.copies_from {
                if let Some(from) = index_of(source).or_else(|| source.parse().ok()) {
                    edges.push((from, to, "COPY --from"));
                }
            }
        }
        let label = format!(
            "Multi-stage build: {}",
            stages.iter().map(|s| format!("stage {} from {}", s.name, s.base)).collect::<Vec<_>>().join("; ")
        );
        view! {
            <section class="build-stages">
                <h3>"Stages"</h3>
                <svg viewBox=format!("0 0 360 {height}") role="img" aria-label=label data-testid="stage-graph">
                    <defs>
                        <marker id="stage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                            <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                        </marker>
                    </defs>
                    {stages.iter().enumerate().map(|(i, s)| {
                        let y = i as f64 * row + 8.0;
                        view! {
                            <g class="stage-node">
                                <rect x="4" y=y width="220" height="40" rx="6" />
                                <text x="14" y=y + 17.0 class="stage-name">{format!("stage {}", s.name)}</text>
                                <text x="14" y=y + 33.0 class="stage-base">{format!("FROM {}", s.base)}</text>
                            </g>
                        }
                    }).collect_view()}
                    {edges.iter().enumerate().map(|(n, (from, to, kind))| {
                        let y1 = *from as f64 * row + 28.0;
                        let y2 = *to as f64 * row + 28.0;
                        let bulge = 250.0 + (n % 3) as f64 * 16.0;
                        // The curve's outermost point is three quarters of the way to the control points.
                        let label_x = 224.0 + (bulge - 224.0) * 0.75 + 6.0;
                        view! {
                            <path class="stage-edge" d=format!("M224,{y1} C{bulge},{y1} {bulge},{y2} 228,{y2}") marker-end="url(#stage-arrow)" />
                            <text class="stage-edge-label" x=label_x y=(y1 + y2) / 2.0 + 4.0>{*kind}</text>
                        }
                    }).collect_view()}
                </svg>
            </section>
        }
    })
}

fn comparisons(m: &BuildModel) -> impl IntoView + use<> {
    m.comparisons.iter().map(|c| {
        let after_width = (c.after.1 as f64 / c.before.1.max(1) as f64 * 100.0).max(1.0);
        view! {
            <section class="build-compare" aria-hidden="true" data-testid="build-compare">
                <h3>{format!("{}% smaller", c.saved_percent)}</h3>
                <div class="compare-row"><span class="compare-name">{c.before.0.clone()}</span><span class="compare-bar before" style="width: 100%"></span><span>{human_size(c.before.1)}</span></div>
                <div class="compare-row"><span class="compare-name">{c.after.0.clone()}</span><span class="compare-bar after" style=format!("width: {after_width:.0}%")></span><span>{human_size(c.after.1)}</span></div>
            </section>
        }
    }).collect_view()
}

fn image_card(image: &ImageStack) -> impl IntoView + use<> {
    let total = image.size.max(1) as f64;
    view! {
        <article class="image-card" class:last-built=image.last_built data-image=image.name.clone()>
            <header>
                <strong>{image.name.clone()}</strong>
                <span class="muted">{format!(" {} · {}", image.id, human_size(image.size))}</span>
                {(image.hidden_bytes > 0).then(|| view! {
                    <span class="badge hidden-bytes">{format!("{} hidden by later deletions", human_size(image.hidden_bytes))}</span>
                })}
            </header>
            <ol class="layer-stack" reversed>
                {image.layers.iter().rev().map(|layer| {
                    let share = (layer.size as f64 / total * 100.0).clamp(0.5, 100.0);
                    view! {
                        <li class="layer" class:shared=!layer.shared_with.is_empty()>
                            <span class="layer-bar" style=format!("width: {share:.1}%")></span>
                            <code class="layer-instruction" title=layer.instruction.clone()>{layer.instruction.clone()}</code>
                            <span class="layer-size">{human_size(layer.size)}</span>
                            {layer.verdict.as_ref().map(badge)}
                            {(!layer.shared_with.is_empty()).then(|| view! {
                                <span class="badge shared" title=format!("also in {}", layer.shared_with.join(", "))>"shared"</span>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}

fn describe(m: &BuildModel) -> impl IntoView + use<> {
    let mut facts = Vec::new();
    for step in &m.last_steps {
        facts.push(match &step.verdict {
            StepVerdict::Cached => format!("Last build, step {} {}: CACHED.", step.step, step.instruction),
            StepVerdict::Miss(reason) => format!("Last build, step {} {}: MISS, {reason}.", step.step, step.instruction),
        });
    }
    for stage in &m.stages {
        let copies = if stage.copies_from.is_empty() { String::new() } else { format!(", copies from {}", stage.copies_from.join(", ")) };
        facts.push(format!("Stage {} starts FROM {}{copies}.", stage.name, stage.base));
    }
    for c in &m.comparisons {
        facts.push(format!("{} is {}, {} is {}: {}% smaller.", c.before.0, human_size(c.before.1), c.after.0, human_size(c.after.1), c.saved_percent));
    }
    for image in &m.images {
        facts.push(format!("Image {} ({}), {} layers, bottom first:", image.name, human_size(image.size), image.layers.len()));
        for layer in &image.layers {
            let verdict = match &layer.verdict {
                Some(StepVerdict::Cached) => " CACHED".to_string(),
                Some(StepVerdict::Miss(reason)) => format!(" MISS ({reason})"),
                None => String::new(),
            };
            let shared = if layer.shared_with.is_empty() { String::new() } else { format!(", shared with {}", layer.shared_with.join(", ")) };
            facts.push(format!("  {} — {}{verdict}{shared}", layer.instruction, human_size(layer.size)));
        }
        if image.hidden_bytes > 0 {
            facts.push(format!("  {} of {} are files deleted or replaced by a later layer: still stored, never visible.", human_size(image.hidden_bytes), image.name));
        }
    }
    super::fact_list(facts)
}
