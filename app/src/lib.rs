//! Whalebox in the browser: a terminal page around the engine, built with Leptos (client-side only).
//!
//! [`state`] owns the engine and everything the terminal remembers; [`components`] only renders
//! that state and forwards keystrokes to it.

pub mod ansi;
pub mod base64url;
pub mod components;
pub mod deferred;
pub mod editor_model;
pub mod highlight;
pub mod browser;
pub mod embed;
pub mod embed_protocol;
pub mod js_api;
pub mod machine;
pub mod recovery;
pub mod state;
pub mod viz_model;
pub mod markdown;
pub mod modes;
pub mod progress;
pub mod share;
pub mod starters;
pub mod undo;
pub mod web;

use leptos::prelude::*;

/// The page always starts from the same machine, so a given sequence of commands shows the same
/// IDs and output for every learner, in every test and every benchmark.
pub const DEFAULT_SEED: u64 = 1;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    recovery::install_panic_hook();
    deferred::flush_when_leaving();
    browser::register_service_worker();
    // Local storage: the engine is plain data but need not be `Send`, and the page is single-threaded.
    let terminal = RwSignal::new_local(state::Terminal::with_engine(recovery::starting_engine(DEFAULT_SEED)));
    recovery::keep_last_good(terminal);
    match embed::requested_item() {
        Some(item_id) => view! { <embed::EmbedFrame terminal=terminal item_id=item_id /> }.into_any(),
        None => view! { <components::layout::Layout terminal=terminal /> }.into_any(),
    }
}
