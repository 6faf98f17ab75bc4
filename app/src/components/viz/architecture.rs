//! The architecture view: the last docker command's request from the CLI down to runc, reached
//! hops lit in order, the rest dimmed, a stopped daemon marked where the request failed.

use leptos::prelude::*;

use super::{Empty, TextAlternative};
use crate::state::Terminal;
use crate::viz_model::architecture::{self, HopState, HOP_ROLES};

#[component]
pub fn ArchitectureView(terminal: RwSignal<Terminal, LocalStorage>, revision: Memo<u64>) -> impl IntoView {
    let model = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(|t| architecture::model(t.last_events()))
    });
    move || match model.get() {
        None => view! { <Empty message="The last command did not talk to the Docker daemon." hint="docker run -d nginx" /> }.into_any(),
        Some(m) => {
            let headline = if m.answered {
                format!("{} {}", m.method, m.path)
            } else {
                format!("{} {} — no answer: dockerd is not running", m.method, m.path)
            };
            let reached = m.hops.iter().filter(|h| h.1 == HopState::Reached).count();
            view! {
                <h2 class="viz-title">"Path of the last command"</h2>
                <p class="viz-request" class:failed=!m.answered data-testid="arch-request">{headline.clone()}</p>
                <ol class="arch-chain" aria-hidden="true">
                    {m.hops.iter().enumerate().map(|(index, (hop, state))| {
                        let class = match state {
                            HopState::Reached => "arch-hop reached",
                            HopState::Failed => "arch-hop failed",
                            HopState::Unreached => "arch-hop unreached",
                        };
                        view! {
                            <li class=class data-hop=*hop style=format!("--i: {index}")>
                                <span class="arch-name">{*hop}</span>
                                <span class="arch-role">{HOP_ROLES[index]}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <TextAlternative>
                    <p>{format!("The request {headline} went through {reached} of 6 components.")}</p>
                    <ol>
                        {m.hops.iter().enumerate().map(|(index, (hop, state))| {
                            let status = match state {
                                HopState::Reached => "reached",
                                HopState::Failed => "failed here: nothing listens on the socket",
                                HopState::Unreached => "not reached",
                            };
                            view! { <li>{format!("{hop} ({}): {status}", HOP_ROLES[index])}</li> }
                        }).collect_view()}
                    </ol>
                </TextAlternative>
            }.into_any()
        }
    }
}
