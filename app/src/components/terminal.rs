//! The terminal view: welcome banner, scrollback and the prompt line with its `<input>`.
//!
//! The `data-testid` attributes here are a contract with the e2e tests and benchmarks; keep them.

use leptos::ev::{KeyboardEvent, MouseEvent};
use leptos::html;
use leptos::prelude::*;

use crate::state::{Line, LineKind, Terminal};

/// The greeting shown until the first `clear`.
#[component]
fn Banner() -> impl IntoView {
    view! {
        <div class="banner" data-testid="terminal-banner">
            <p class="banner-title">"Welcome to Whalebox — a Docker host in your browser."</p>
            <p>"Nothing here touches a real machine: images, containers and networks are all simulated."</p>
            <p>"Try " <code>"docker run hello-world"</code> ". Type " <code>"help"</code> " for more."</p>
        </div>
    }
}

/// A terminal window bound to `terminal`.
#[component]
pub fn TerminalView(terminal: RwSignal<Terminal, LocalStorage>) -> impl IntoView {
    let screen: NodeRef<html::Div> = NodeRef::new();
    let input: NodeRef<html::Input> = NodeRef::new();

    // Browsing history updates the terminal without touching the scrollback; these memos stop
    // such updates from re-rendering the lines or re-running the auto-scroll.
    let revision = Memo::new(move |_| terminal.with(Terminal::revision));
    let show_banner = Memo::new(move |_| terminal.with(Terminal::show_banner));
    // The prompt shows the working directory, so it follows every command (`cd`).
    let prompt = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(Terminal::prompt)
    });

    let lines = move || {
        // `get`, not `track`: a memo that is never read never computes, so never notices changes.
        let _ = revision.get();
        terminal.with_untracked(|t| t.lines().to_vec())
    };

    // Runs after the DOM has the new lines, so the height includes them.
    Effect::new(move |_| {
        let _ = revision.get();
        if let Some(screen) = screen.get() {
            screen.set_scroll_top(screen.scroll_height());
        }
    });

    // A live command (`docker logs -f`, `docker stats`) gets a simulated second per real second.
    let live = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(Terminal::is_live)
    });
    let ticker = set_interval_with_handle(
        move || {
            if terminal.with_untracked(Terminal::is_live) {
                terminal.update(Terminal::tick);
            }
        },
        std::time::Duration::from_secs(1),
    );
    on_cleanup(move || {
        if let Ok(handle) = ticker {
            handle.clear();
        }
    });

    // Focus once the input exists, so the learner can type straight away.
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });

    let on_keydown = move |ev: KeyboardEvent| {
        let Some(field) = input.get() else { return };
        let key = ev.key();
        let ctrl = ev.ctrl_key() && !ev.alt_key() && !ev.meta_key();
        if terminal.with_untracked(Terminal::is_live) {
            // While a command runs, the only key that means anything is Ctrl+C.
            ev.prevent_default();
            if ctrl && matches!(key.as_str(), "c" | "C") {
                terminal.update(Terminal::interrupt_live);
            }
            return;
        }
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                let command = field.value();
                field.set_value("");
                terminal.update(|t| {
                    t.submit(&command);
                });
            }
            "ArrowUp" => {
                // The default would move the caret to the start of the line.
                ev.prevent_default();
                let current = field.value();
                if let Some(entry) = terminal.try_update(|t| t.history_up(&current)).flatten() {
                    field.set_value(&entry);
                }
            }
            "ArrowDown" => {
                ev.prevent_default();
                if let Some(entry) = terminal.try_update(Terminal::history_down).flatten() {
                    field.set_value(&entry);
                }
            }
            "c" | "C" if ctrl && !has_selection(&field) => {
                // With text selected, Ctrl+C keeps its browser meaning: copy.
                ev.prevent_default();
                let partial = field.value();
                field.set_value("");
                terminal.update(|t| t.interrupt(&partial));
            }
            "l" | "L" if ctrl => {
                ev.prevent_default();
                terminal.update(Terminal::clear_screen);
            }
            _ => {}
        }
    };

    // Clicking anywhere focuses the prompt, as in a desktop terminal, unless the click ended a
    // text selection: focusing then would drop the selection before the learner could copy it.
    let on_click = move |_: MouseEvent| {
        let selecting = window()
            .get_selection()
            .ok()
            .flatten()
            .is_some_and(|selection| !selection.is_collapsed());
        if !selecting {
            if let Some(field) = input.get() {
                let _ = field.focus();
            }
        }
    };

    view! {
        <div class="terminal" data-testid="terminal" data-ready="true" on:click=on_click>
            <div class="titlebar" aria-hidden="true">
                <span class="dot dot-close"></span>
                <span class="dot dot-min"></span>
                <span class="dot dot-max"></span>
                <span class="title">"whalebox — bash"</span>
            </div>
            <div class="screen" node_ref=screen>
                <Show when=move || show_banner.get()>
                    <Banner />
                </Show>
                <div class="output" data-testid="terminal-output" role="log" aria-live="polite">
                    <For each=lines key=|line| line.id children=render_line />
                </div>
                <div class="input-line" class:live=move || live.get() data-live=move || live.get().to_string()>
                    <label class="prompt" for="terminal-input">{move || if live.get() { String::new() } else { prompt.get() }}</label>
                    <input
                        id="terminal-input"
                        class="input"
                        data-testid="terminal-input"
                        type="text"
                        node_ref=input
                        on:keydown=on_keydown
                        aria-label="Command"
                        autocomplete="off"
                        autocapitalize="off"
                        spellcheck="false"
                        enterkeyhint="enter"
                    />
                </div>
            </div>
        </div>
    }
}

fn render_line(line: Line) -> impl IntoView {
    let class = match line.kind {
        LineKind::Input => "line line-input",
        LineKind::Stdout => "line line-stdout",
        LineKind::Stderr => "line line-stderr",
    };
    view! {
        <div class=class data-testid="terminal-line">
            {(!line.prompt.is_empty()).then(|| view! { <span class="prompt">{line.prompt.clone()}</span> })}
            {line.text}
        </div>
    }
}

/// Whether part of the input's text is selected (then Ctrl+C means copy).
fn has_selection(field: &web_sys::HtmlInputElement) -> bool {
    let start = field.selection_start().ok().flatten();
    let end = field.selection_end().ok().flatten();
    start != end
}
