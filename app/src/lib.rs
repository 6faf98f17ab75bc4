//! Whalebox in the browser: a terminal page around the engine, built with Leptos (client-side only).
//!
//! [`state`] owns the engine and everything the terminal remembers; [`components`] only renders
//! that state and forwards keystrokes to it.

pub mod base64url;
pub mod components;
pub mod machine;
pub mod markdown;
pub mod modes;
pub mod progress;
pub mod share;
pub mod starters;
pub mod state;
pub mod undo;
pub mod web;

use leptos::prelude::*;

/// The page always starts from the same machine, so a given sequence of commands shows the same
/// IDs and output for every learner, in every test and every benchmark.
pub const DEFAULT_SEED: u64 = 1;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    // Local storage: the engine is plain data but need not be `Send`, and the page is single-threaded.
    let terminal = RwSignal::new_local(state::Terminal::new(DEFAULT_SEED));
    view! { <components::layout::Layout terminal=terminal /> }
}
