//! The lifecycle view: Docker's container state machine with the chosen container's state lit
//! (the change animated, unless the learner asked for reduced motion), its exit code explained,
//! restart count and health probe timeline.

use leptos::prelude::*;

use super::{chosen, ContainerPicker, Empty, TextAlternative};
use crate::state::Terminal;
use crate::viz_model::lifecycle::{self, ContainerLife, LifeState, TRANSITIONS};

/// Where each state sits in the diagram (centre x, y) in a 360 × 210 view box.
fn position(state: LifeState) -> (f64, f64) {
    match state {
        LifeState::Created => (50.0, 40.0),
        LifeState::Running => (180.0, 40.0),
        LifeState::Paused => (310.0, 40.0),
        LifeState::Restarting => (310.0, 170.0),
        LifeState::Exited => (180.0, 170.0),
        LifeState::Removed => (50.0, 170.0),
    }
}

/// Where each arrow's label goes (x, y, text-anchor), placed by hand so none overlap; the
/// restart loop's two arrows share one label.
fn label_at(from: LifeState, to: LifeState) -> Option<(f64, f64, &'static str)> {
    use LifeState::*;
    Some(match (from, to) {
        (Created, Running) => (115.0, 30.0, "middle"),
        (Running, Paused) => (245.0, 64.0, "middle"),
        (Paused, Running) => (245.0, 26.0, "middle"),
        (Running, Exited) => (170.0, 108.0, "end"),
        (Exited, Running) => (192.0, 108.0, "start"),
        (Running, Restarting) => (262.0, 96.0, "start"),
        (Exited, Removed) => (115.0, 160.0, "middle"),
        (Created, Removed) => (42.0, 108.0, "end"),
        _ => return None,
    })
}

const NODE_W: f64 = 84.0;
const NODE_H: f64 = 34.0;

#[component]
pub fn LifecycleView(terminal: RwSignal<Terminal, LocalStorage>, revision: Memo<u64>) -> impl IntoView {
    let containers = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(|t| lifecycle::model(t.engine().world()))
    });
    let selected = RwSignal::new(String::new());
    let names = Signal::derive(move || containers.with(|cs| cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>()));
    // A chosen container that is gone was removed: the diagram shows it in `removed`.
    let current = Memo::new(move |_| -> Option<ContainerLife> {
        let wanted = selected.get();
        containers.with(|cs| {
            if !wanted.is_empty() && !cs.iter().any(|c| c.name == wanted) {
                return Some(removed(&wanted));
            }
            let name = chosen(&names.get(), &wanted)?;
            cs.iter().find(|c| c.name == name).cloned()
        })
    });
    let state = Memo::new(move |_| current.with(|c| c.as_ref().map(|c| c.state)));
    // The arrow just taken: from the state before this render to the one now.
    let last_move = Memo::new(move |previous: Option<&(Option<LifeState>, Option<LifeState>)>| {
        let now = state.get();
        let before = previous.map_or(now, |p| p.1);
        (if before == now { previous.and_then(|p| p.0) } else { before }, now)
    });

    view! {
        <h2 class="viz-title">"Container lifecycle"</h2>
        <ContainerPicker names=names selected=selected keep_removed=true />
        {move || containers.with(Vec::is_empty).then(|| view! {
            <Empty message="No containers yet." hint="docker run -d --name web nginx" />
        })}
        <Show when=move || state.get().is_some()>
            <svg class="life-diagram" viewBox="0 0 360 210" role="img" data-testid="life-diagram"
                aria-label=move || current.with(|c| c.as_ref().map(|c| format!("State diagram: {} is {}", c.name, c.state.as_str())).unwrap_or_default())>
                <defs>
                    <marker id="life-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                    </marker>
                </defs>
                {TRANSITIONS.iter().map(|(from, to, label)| {
                    let (from, to) = (*from, *to);
                    let d = edge_path(from, to);
                    let label = label_at(from, to).map(|(x, y, anchor)| view! { <text x=x y=y text-anchor=anchor>{*label}</text> });
                    let taken = move || last_move.get() == (Some(from), Some(to));
                    view! {
                        <g class="life-edge" class:taken=taken>
                            <path d=d marker-end="url(#life-arrow)" />
                            {label}
                        </g>
                    }
                }).collect_view()}
                {LifeState::ALL.iter().map(|s| {
                    let s = *s;
                    let (x, y) = position(s);
                    view! {
                        <g class="life-node" class:current=move || state.get() == Some(s) data-state=s.as_str()>
                            <rect x=x - NODE_W / 2.0 y=y - NODE_H / 2.0 width=NODE_W height=NODE_H rx="17" />
                            <text x=x y=y + 5.0 text-anchor="middle">{s.as_str()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </Show>
        {move || current.get().map(|c| details(&c))}
    }
}

fn removed(name: &str) -> ContainerLife {
    ContainerLife {
        name: name.to_string(),
        short_id: String::new(),
        image: String::new(),
        state: LifeState::Removed,
        exit_code: None,
        oom_killed: false,
        restart_count: 0,
        restart_policy: String::new(),
        health: None,
    }
}

/// A line from one node's edge to the other's, offset sideways so opposite arrows do not overlap.
fn edge_path(from: LifeState, to: LifeState) -> String {
    let (x1, y1) = position(from);
    let (x2, y2) = position(to);
    let (dx, dy) = (x2 - x1, y2 - y1);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / length, dy / length);
    // Leave each node's box: half its width sideways, half its height up or down.
    let clearance = |ux: f64, uy: f64| (NODE_W / 2.0 / ux.abs().max(1e-6)).min(NODE_H / 2.0 / uy.abs().max(1e-6)) + 2.0;
    let c = clearance(ux, uy);
    let offset = 6.0;
    let (ox, oy) = (-uy * offset, ux * offset);
    let (sx, sy) = (x1 + ux * c + ox, y1 + uy * c + oy);
    let (ex, ey) = (x2 - ux * c + ox, y2 - uy * c + oy);
    format!("M{sx:.1},{sy:.1} L{ex:.1},{ey:.1}")
}

fn details(c: &ContainerLife) -> impl IntoView + use<> {
    let exit = c.exit_code.map(|code| {
        let meaning = c.exit_meaning().unwrap_or_default();
        view! { <p class="life-exit" data-testid="life-exit"><strong>{format!("Exit code {code}")}</strong>{format!(": {meaning}")}{c.oom_killed.then(|| view! { <span class="badge miss">"OOMKilled"</span> })}</p> }
    });
    let restarts = (c.restart_policy != "no" && !c.restart_policy.is_empty() || c.restart_count > 0)
        .then(|| view! { <p>{format!("Restart policy {}; restarted {} times.", c.restart_policy, c.restart_count)}</p> });
    let health = c.health.as_ref().map(|h| view! {
        <div class="life-health">
            <p>{format!("Health: {} (failing streak {})", h.status, h.failing_streak)}</p>
            <ol class="health-timeline" aria-hidden="true">
                {h.probes.iter().map(|p| view! {
                    <li class="probe" class:ok=p.exit_code == 0 title=format!("{}s: exit {} {}", p.at_seconds, p.exit_code, p.output)>
                        {if p.exit_code == 0 { "✓" } else { "✗" }}
                    </li>
                }).collect_view()}
            </ol>
        </div>
    });
    let mut facts = vec![format!("{} ({}) is {}.", c.name, if c.image.is_empty() { "removed" } else { &c.image }, c.state.as_str())];
    if let (Some(code), Some(meaning)) = (c.exit_code, c.exit_meaning()) {
        facts.push(format!("It exited with code {code}: {meaning}."));
    }
    if c.restart_count > 0 {
        facts.push(format!("Restarted {} times (policy {}).", c.restart_count, c.restart_policy));
    }
    if let Some(h) = &c.health {
        facts.push(format!("Health is {}.", h.status));
        for p in &h.probes {
            facts.push(format!("Probe at {}s: exit {}{}", p.at_seconds, p.exit_code, if p.output.is_empty() { String::new() } else { format!(", {}", p.output) }));
        }
    }
    facts.push("Possible moves: created → running (start); running ⇄ paused (pause, unpause); running → exited (stop, kill, or the program ends); running → restarting → running (restart policy); exited → running (start); exited or created → removed (rm).".into());
    view! {
        {exit}
        {restarts}
        {health}
        <TextAlternative>
            {super::fact_list(facts)}
        </TextAlternative>
    }
}
