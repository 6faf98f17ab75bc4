//! The page's frame: a header (mode, theme), the lesson panel, the terminal, and a side pane of
//! tabs for the editor and the visualizers. Wide screens show three columns; a phone stacks them.
//!
//! `data-*` attributes here are the e2e tests' contract: `data-pane`, `data-tab`, `data-action`.

use leptos::prelude::*;

use crate::components::{editor::EditorPanel, lesson_panel::LessonPanel, terminal::TerminalView, viz::VizPanel};
use crate::state::Terminal;

/// The side pane's tabs: the editor, then one per visualization.
pub const SIDE_TABS: [(&str, &str); 7] = [
    ("editor", "Files"),
    ("build", "Build & layers"),
    ("lifecycle", "Lifecycle"),
    ("network", "Network"),
    ("namespaces", "Namespaces"),
    ("architecture", "Architecture"),
    ("volumes", "Volumes"),
];

/// The side pane's selected tab, shared through context so the terminal can bring the editor
/// forward when the learner types `edit FILE`.
#[derive(Clone, Copy)]
pub struct SideTab(pub RwSignal<String>);

#[component]
pub fn Layout(terminal: RwSignal<Terminal, LocalStorage>) -> impl IntoView {
    let tab = RwSignal::new("editor".to_string());
    provide_context(SideTab(tab));
    let dark = RwSignal::new(true);
    Effect::new(move |_| {
        let theme = if dark.get() { "dark" } else { "light" };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
    });
    view! {
        <div class="app">
            <header class="app-header">
                <span class="brand" aria-hidden="true">"🐳"</span>
                <h1 class="app-title">"Whalebox"</h1>
                <span class="tagline">"Docker, simulated in your browser"</span>
                <button
                    class="theme-toggle"
                    data-action="theme"
                    aria-pressed=move || (!dark.get()).to_string()
                    on:click=move |_| dark.update(|d| *d = !*d)
                >
                    {move || if dark.get() { "Light theme" } else { "Dark theme" }}
                </button>
            </header>
            <div class="panes">
                <div class="pane pane-lesson" data-pane="lesson">
                    <LessonPanel terminal=terminal />
                </div>
                <main class="pane pane-terminal" data-pane="terminal">
                    <TerminalView terminal=terminal />
                </main>
                <section class="pane pane-side" data-pane="side" aria-label="Files and visualizations">
                    <div class="tabs" role="tablist" aria-label="Side panel">
                        {SIDE_TABS
                            .iter()
                            .map(|(id, label)| {
                                let id = id.to_string();
                                let selected = {
                                    let id = id.clone();
                                    move || tab.get() == id
                                };
                                let select = {
                                    let id = id.clone();
                                    move |_| tab.set(id.clone())
                                };
                                view! {
                                    <button
                                        role="tab"
                                        class="tab"
                                        data-tab=id.clone()
                                        id=format!("tab-{id}")
                                        aria-controls="side-panel"
                                        aria-selected=move || selected().to_string()
                                        on:click=select
                                    >
                                        {*label}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                    <div class="tab-panel" id="side-panel" role="tabpanel" aria-labelledby=move || format!("tab-{}", tab.get())>
                        {move || match tab.get().as_str() {
                            "editor" => view! { <EditorPanel terminal=terminal /> }.into_any(),
                            kind => view! { <VizPanel terminal=terminal kind=kind.to_string() /> }.into_any(),
                        }}
                    </div>
                </section>
            </div>
        </div>
    }
}
