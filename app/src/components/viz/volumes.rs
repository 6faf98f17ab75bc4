//! The volumes view: each container's storage (volumes, binds, tmpfs, writable layer) and what
//! each survives, plus every volume with the containers that mount it.

use leptos::prelude::*;

use super::{Empty, TextAlternative};
use crate::state::Terminal;
use crate::viz_model::human_size;
use crate::viz_model::volumes::{self, Survival, VolumesModel};

#[component]
pub fn VolumesView(terminal: RwSignal<Terminal, LocalStorage>, revision: Memo<u64>) -> impl IntoView {
    let model = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(|t| volumes::model(t.engine().world()))
    });
    move || {
        let m = model.get();
        if m.containers.is_empty() && m.volumes.is_empty() {
            return view! { <Empty message="No containers or volumes yet." hint="docker run -d -v data:/data --name db alpine sleep infinity" /> }.into_any();
        }
        view! {
            <h2 class="viz-title">"Volumes & storage"</h2>
            <div class="vol-containers" aria-hidden="true">
                {m.containers.iter().map(|c| view! {
                    <article class="vol-card" class:stopped=!c.running data-container=c.container.clone()>
                        <header><strong>{c.container.clone()}</strong><span class="muted">{if c.running { " running" } else { " stopped" }}</span></header>
                        <ul>
                            {c.rows.iter().map(|row| {
                                let class = match row.survival {
                                    Survival::Survives => "badge cached",
                                    Survival::GoesWithRmV => "badge warn",
                                    Survival::GoesWithContainer | Survival::GoneOnStop => "badge miss",
                                };
                                let source = if row.source.is_empty() { row.kind.to_string() } else { format!("{} {}", row.kind, row.source) };
                                view! {
                                    <li class="vol-row">
                                        <code>{row.destination.clone()}</code>
                                        <span>{format!(" ← {source} · {}", human_size(row.bytes))}</span>
                                        <span class=class>{row.survival.describe()}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </article>
                }).collect_view()}
            </div>
            {(!m.volumes.is_empty()).then(|| view! {
                <section class="vol-list" aria-hidden="true">
                    <h3>"Volumes"</h3>
                    <ul>
                        {m.volumes.iter().map(|v| view! {
                            <li data-volume=v.name.clone()>
                                <code>{if v.anonymous { crate::viz_model::short_id(&v.name) } else { v.name.clone() }}</code>
                                {format!(" {}{} · used by {}", if v.anonymous { "anonymous · " } else { "" }, human_size(v.bytes), if v.users.is_empty() { "no container".to_string() } else { v.users.join(", ") })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <TextAlternative>{describe(&m)}</TextAlternative>
        }
        .into_any()
    }
}

fn describe(m: &VolumesModel) -> impl IntoView + use<> {
    let mut facts = Vec::new();
    for c in &m.containers {
        for row in &c.rows {
            let source = if row.source.is_empty() { String::new() } else { format!(" {}", row.source) };
            facts.push(format!("{}: {}{source} at {} ({}) — {}.", c.container, row.kind, row.destination, human_size(row.bytes), row.survival.describe()));
        }
    }
    for v in &m.volumes {
        let users = if v.users.is_empty() { "no container".to_string() } else { v.users.join(", ") };
        facts.push(format!("Volume {}{}: used by {users}.", v.name, if v.anonymous { " (anonymous)" } else { "" }));
    }
    super::fact_list(facts)
}
