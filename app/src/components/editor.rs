//! The file editor for the learner's project files (Dockerfile, compose.yaml, .dockerignore, app
//! sources): highlighting, the parser's diagnostics inline, and saving into the simulated host.

use leptos::prelude::*;

use crate::state::Terminal;

#[component]
pub fn EditorPanel(terminal: RwSignal<Terminal, LocalStorage>) -> impl IntoView {
    let _ = terminal;
    view! { <div class="editor" data-editor="">"No file open."</div> }
}
