//! The visualizers: build and image layers, container lifecycle, network, namespaces and cgroups,
//! the architecture path of the last command, and volumes — each with a text alternative.

use leptos::prelude::*;

use crate::state::Terminal;

#[component]
pub fn VizPanel(terminal: RwSignal<Terminal, LocalStorage>, kind: String) -> impl IntoView {
    let _ = terminal;
    view! { <div class="viz" data-viz=kind.clone()>{format!("{kind}: nothing to show yet.")}</div> }
}
