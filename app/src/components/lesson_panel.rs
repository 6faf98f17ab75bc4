//! The lesson, drill and interview panel: the item's concept, its steps with live goal progress,
//! hints, a drill's clock and debrief, an interview's answer box. (Sandbox: starter projects.)

use leptos::prelude::*;

use crate::state::Terminal;

#[component]
pub fn LessonPanel(terminal: RwSignal<Terminal, LocalStorage>) -> impl IntoView {
    let _ = terminal;
    view! {
        <aside class="lesson-panel" aria-label="Lesson">
            <h2>"Sandbox"</h2>
            <p>"A fresh Docker host. Type commands in the terminal."</p>
        </aside>
    }
}
