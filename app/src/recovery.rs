//! Panic recovery: a bug in the simulator must never leave a blank page or lose the learner's work.
//!
//! After every command the engine's snapshot is kept in `localStorage` ([`LAST_GOOD_KEY`]). A
//! panic hook replaces the page with a recovery screen whose two buttons are a plain HTML form:
//! after a panic the wasm instance cannot be trusted to run again, so the buttons reload the page
//! with `?recover=restore` or `?recover=fresh` and the next start does the work
//! ([`starting_engine`]). Nothing here needs the crashed instance after the hook has run.

use std::sync::atomic::{AtomicBool, Ordering};

use engine::Engine;
use leptos::prelude::*;

use crate::browser;
use crate::state::{LineKind, Terminal};

/// The engine after the last command that finished, as [`Engine::snapshot`] wrote it.
pub const LAST_GOOD_KEY: &str = "whalebox.last-good";
/// Where "Start fresh" moves the last good state, so even that choice loses nothing.
pub const SET_ASIDE_KEY: &str = "whalebox.set-aside";
/// The query parameter the recovery screen's buttons submit.
pub const RECOVER_PARAM: &str = "recover";
/// Test hook: with `?debug-panic=1` in the address, the command line [`PANIC_COMMAND`] panics.
pub const DEBUG_PANIC_PARAM: &str = "debug-panic";
pub const PANIC_COMMAND: &str = ":panic";

static RESTORED: AtomicBool = AtomicBool::new(false);
/// The page was opened by a recovery button (restore or fresh): the learner chose the machine.
static RECOVERY_CHOSEN: AtomicBool = AtomicBool::new(false);
static SHOWN: AtomicBool = AtomicBool::new(false);

/// How this start of the page begins, decided from the recovery request and what was saved.
#[derive(Debug)]
pub enum Start {
    Fresh,
    /// The learner asked to restore and the saved state was readable.
    Restored(Box<Engine>),
    /// The learner asked to start fresh: the saved state is to be set aside, not deleted.
    SetAside,
    /// Restoring was asked for but failed; the page starts fresh and says why.
    RestoreFailed(String),
}

/// Pure decision, so it is testable natively: `request` is the `recover` parameter.
pub fn choose_start(request: Option<&str>, saved: Option<&str>) -> Start {
    match (request, saved) {
        (Some("restore"), Some(saved)) => match Engine::restore(saved) {
            Ok(engine) => Start::Restored(Box::new(engine)),
            Err(error) => Start::RestoreFailed(format!("the saved state could not be read: {error}")),
        },
        (Some("restore"), None) => Start::RestoreFailed("no earlier state was saved in this browser".into()),
        (Some("fresh"), Some(_)) => Start::SetAside,
        _ => Start::Fresh,
    }
}

/// The engine this page load starts with: a fresh one, or the last good one when the recovery
/// screen's "Restore" button brought the learner here.
pub fn starting_engine(seed: u64) -> Engine {
    let request = browser::query_param(RECOVER_PARAM);
    let saved = request.as_deref().and_then(|_| browser::storage_get(LAST_GOOD_KEY));
    browser::forget_query_param(RECOVER_PARAM);
    RECOVERY_CHOSEN.store(request.is_some(), Ordering::Relaxed);
    match choose_start(request.as_deref(), saved.as_deref()) {
        Start::Restored(engine) => {
            RESTORED.store(true, Ordering::Relaxed);
            *engine
        }
        Start::SetAside => {
            if let Some(saved) = saved {
                browser::storage_set(SET_ASIDE_KEY, &saved);
            }
            Engine::new(seed)
        }
        Start::RestoreFailed(why) => {
            leptos::logging::warn!("whalebox: starting fresh: {why}");
            Engine::new(seed)
        }
        Start::Fresh => Engine::new(seed),
    }
}

/// Whether this page load began from the restored snapshot (embed mode then keeps it under the
/// item it starts).
pub fn was_restored() -> bool {
    RESTORED.load(Ordering::Relaxed)
}

/// Whether this page load follows a choice on the recovery screen; the saved session must not
/// then be replayed over the machine the learner chose.
pub fn recovery_chosen() -> bool {
    RECOVERY_CHOSEN.load(Ordering::Relaxed)
}

/// Saves the engine after every command; with the debug parameter, `:panic` panics here.
pub fn keep_last_good(terminal: RwSignal<Terminal, LocalStorage>) {
    let debug_panic = browser::query_param(DEBUG_PANIC_PARAM).as_deref() == Some("1");
    let revision = Memo::new(move |_| terminal.with(Terminal::revision));
    Effect::new(move |previous: Option<u64>| {
        let now = revision.get();
        // The first run is the page starting: nothing has happened worth saving yet.
        if previous.is_none() {
            return now;
        }
        if debug_panic && terminal.with_untracked(last_command_was_panic) {
            panic!("debug panic requested with {PANIC_COMMAND}");
        }
        // A live command (`logs -f`) changes the scrollback every second; save when it ends.
        // Written after the output is painted: serialising the whole machine takes a few ms.
        if !terminal.with_untracked(Terminal::is_live) {
            crate::deferred::after_paint(LAST_GOOD_KEY, move || {
                let Some(snapshot) = terminal.try_with_untracked(|t| t.engine().snapshot()) else { return };
                if !browser::storage_set(LAST_GOOD_KEY, &snapshot) {
                    leptos::logging::warn!("whalebox: the last good state could not be saved ({} bytes)", snapshot.len());
                }
            });
        }
        now
    });
}

fn last_command_was_panic(terminal: &Terminal) -> bool {
    let last_input = terminal.lines().iter().rev().find(|line| line.kind == LineKind::Input);
    last_input.is_some_and(|line| line.text.trim() == PANIC_COMMAND)
}

/// Installs the hook that shows the recovery screen; the panic is still logged to the console.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        leptos::logging::error!("whalebox panicked: {message}");
        // A second panic (while drawing the screen) must not draw it again.
        if SHOWN.swap(true, Ordering::Relaxed) {
            return;
        }
        show_recovery_screen(&message);
    }));
}

fn show_recovery_screen(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let embed_item = browser::query_param(crate::embed::EMBED_PARAM);
    let has_saved = browser::storage_get(LAST_GOOD_KEY).is_some();
    body.set_inner_html(&recovery_screen_html(message, embed_item.as_deref(), has_saved));
    if let Some(root) = document.document_element() {
        let _ = root.class_list().add_1("recovering");
    }
    if let Some(button) = document.query_selector("[data-action=restore-last-good], [data-action=start-fresh]").ok().flatten() {
        if let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button) {
            let _ = button.focus();
        }
    }
}

/// The recovery screen. The form submits to the same page: `?recover=…` (and `embed=…` again,
/// so an embedded frame stays embedded).
pub fn recovery_screen_html(message: &str, embed_item: Option<&str>, has_saved: bool) -> String {
    let embed = embed_item
        .map(|item| format!(r#"<input type="hidden" name="embed" value="{}">"#, escape_html(item)))
        .unwrap_or_default();
    let restore = if has_saved {
        r#"<button type="submit" name="recover" value="restore" data-action="restore-last-good">Restore my last good state</button>"#
    } else {
        ""
    };
    let saved_note = if has_saved {
        "The machine as it was after your last command is saved in this browser: restore it and carry on where you were."
    } else {
        "No earlier state was saved in this browser, so the simulator can only start again from a fresh machine."
    };
    format!(
        r#"<main class="recovery" data-testid="recovery" aria-labelledby="recovery-title">
<div role="alert"><h1 id="recovery-title">Something went wrong inside the simulator</h1>
<p>This is a bug in Whalebox, not something you did. {saved_note}</p></div>
<form method="get" action="" class="recovery-actions">{embed}{restore}<button type="submit" name="recover" value="fresh" data-action="start-fresh">Start fresh</button></form>
<p class="recovery-note">Starting fresh keeps a copy of the saved state in this browser all the same.</p>
<details><summary>Technical details</summary><pre>{}</pre></details>
</main>"#,
        escape_html(message)
    )
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_brings_back_the_saved_machine() {
        let mut engine = Engine::new(1);
        engine.run("docker run -d --name keeper nginx:alpine");
        let saved = engine.snapshot();
        let Start::Restored(restored) = choose_start(Some("restore"), Some(&saved)) else { panic!("not restored") };
        assert!(restored.world().find_container("keeper").is_some());
    }

    #[test]
    fn a_restore_without_a_readable_state_starts_fresh_and_says_why() {
        assert!(matches!(choose_start(Some("restore"), None), Start::RestoreFailed(why) if why.contains("no earlier state")));
        assert!(matches!(choose_start(Some("restore"), Some("{not json")), Start::RestoreFailed(why) if why.contains("could not be read")));
    }

    #[test]
    fn fresh_sets_the_saved_state_aside_and_no_request_ignores_it() {
        let saved = Engine::new(1).snapshot();
        assert!(matches!(choose_start(Some("fresh"), Some(&saved)), Start::SetAside));
        assert!(matches!(choose_start(None, Some(&saved)), Start::Fresh));
        assert!(matches!(choose_start(Some("bogus"), Some(&saved)), Start::Fresh));
    }

    #[test]
    fn the_screen_escapes_the_panic_message_and_keeps_embed_mode() {
        let html = recovery_screen_html("index out of range <script>", Some("layer\"-cache"), true);
        assert!(html.contains("index out of range &lt;script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains(r#"name="embed" value="layer&quot;-cache""#));
        assert!(html.contains("data-action=\"restore-last-good\""));
        assert!(html.contains("Something went wrong inside the simulator"));
    }

    #[test]
    fn without_a_saved_state_only_start_fresh_is_offered() {
        let html = recovery_screen_html("boom", None, false);
        assert!(!html.contains("restore-last-good"));
        assert!(html.contains("start-fresh"));
        assert!(!html.contains("name=\"embed\""));
    }

    #[test]
    fn only_the_exact_debug_command_counts() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo :panic");
        assert!(!last_command_was_panic(&terminal));
        terminal.submit(PANIC_COMMAND);
        assert!(last_command_was_panic(&terminal));
    }
}
