//! The terminal view: welcome banner, scrollback and the prompt line with its `<input>`.
//!
//! The `data-testid` attributes here are a contract with the e2e tests and benchmarks; keep them.
//! Two more for measuring and testing: `data-painted-revision` on the output (see
//! [`mark_painted`]) and `data-testid=terminal-announce`, the screen-reader live region.

use leptos::ev::{ClipboardEvent, KeyboardEvent, MouseEvent};
use leptos::html;
use leptos::prelude::*;

use crate::ansi;
use crate::components::layout::SideTab;
use crate::state::{Line, LineKind, Terminal};

/// At most this many new lines are read out after one command: a screen reader reading a whole
/// `docker inspect` aloud helps nobody, and the lines stay in the scrollback to browse.
const MAX_ANNOUNCED_LINES: usize = 20;

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
    let output: NodeRef<html::Div> = NodeRef::new();
    let announce: NodeRef<html::Div> = NodeRef::new();

    // Browsing history updates the terminal without touching the scrollback; these memos stop
    // such updates from re-rendering the lines or re-running the auto-scroll.
    let revision = Memo::new(move |_| terminal.with(Terminal::revision));
    let show_banner = Memo::new(move |_| terminal.with(Terminal::show_banner));
    // The prompt shows the working directory, so it follows every command (`cd`).
    let prompt = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(Terminal::prompt)
    });

    // The scrollback is drawn in blocks of CHUNK_LINES lines (by line id), so a new command
    // touches only the last block: the older ones keep their DOM, and the browser skips laying
    // out and painting blocks outside the view (`content-visibility` on each block, not on each
    // of thousands of lines, whose visibility checks alone took longer than a frame).
    let chunks = Memo::new(move |_| {
        // `get`, not `track`: a memo that is never read never computes, so never notices changes.
        let _ = revision.get();
        terminal.with_untracked(|t| chunk_keys(t.lines()))
    });

    // Runs after the DOM has the new lines, so the height includes them.
    Effect::new(move |_| {
        let revision = revision.get();
        if let Some(screen) = screen.get() {
            screen.set_scroll_top(screen.scroll_height());
        }
        if let Some(output) = output.get() {
            mark_painted(output, revision);
        }
    });

    // Screen readers hear only what is new since the last announcement, never the whole
    // scrollback again; a live view's redraw (`docker stats` each second) is not read out.
    let announced = StoredValue::new(None::<u64>);
    Effect::new(move |_| {
        let _ = revision.get();
        let Some(region) = announce.get() else { return };
        let (text, last_id) = terminal.with_untracked(|t| {
            let redraw = t.last_events().contains(&engine::Event::Redraw);
            let new = t.lines_after(announced.get_value());
            let shown = &new[new.len().saturating_sub(MAX_ANNOUNCED_LINES)..];
            let text = if redraw { String::new() } else { shown.iter().map(|line| ansi::strip(&line.full_text())).collect::<Vec<_>>().join("\n") };
            (text, t.lines().last().map(|line| line.id))
        });
        announced.set_value(last_id.or(announced.get_value()));
        if !text.is_empty() {
            region.set_text_content(Some(&text));
        }
    });

    // `edit FILE` asks for the editor: bring its tab forward (the editor opens the file itself).
    let open_requests = Memo::new(move |_| terminal.with(|t| t.editor().open_requests()));
    let side_tab = use_context::<SideTab>();
    Effect::new(move |previous: Option<u64>| {
        let requests = open_requests.get();
        if previous.is_some_and(|previous| previous != requests) {
            if let Some(SideTab(tab)) = side_tab {
                tab.set("editor".to_string());
            }
        }
        requests
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
            "Tab" if !ev.shift_key() && !ctrl && !ev.alt_key() => {
                // Tab completes, as in bash; Shift+Tab still moves focus out of the terminal.
                ev.prevent_default();
                let value = field.value();
                let (before, after) = split_at_caret(&field, &value);
                if let Some(completed) = terminal.try_update(|t| t.complete(before)).flatten() {
                    field.set_value(&format!("{completed}{after}"));
                    let caret = completed.encode_utf16().count() as u32;
                    let _ = field.set_selection_range(caret, caret);
                }
            }
            "Enter" => {
                ev.prevent_default();
                let command = field.value();
                field.set_value("");
                // What the last command left to save is saved before this one can go wrong.
                crate::deferred::flush();
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

    // Pasting several lines runs each complete line, as a terminal does; a single line pastes
    // into the input as usual.
    let on_paste = move |ev: ClipboardEvent| {
        let Some(field) = input.get() else { return };
        let Some(pasted) = ev.clipboard_data().and_then(|data| data.get_data("text/plain").ok()) else { return };
        if !pasted.contains(['\n', '\r']) || terminal.with_untracked(Terminal::is_live) {
            return;
        }
        ev.prevent_default();
        let value = field.value();
        let (before, after) = split_at_caret(&field, &value);
        let rest = terminal.try_update(|t| t.paste(before, &pasted, after)).unwrap_or_default();
        field.set_value(&rest);
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
                // Not a live region itself: lines removed by a redraw or re-rendered would be
                // announced again. New lines are read out from the region below instead.
                <div class="output" data-testid="terminal-output" node_ref=output role="region" aria-label="Terminal output">
                    <For each=move || chunks.get() key=|chunk| *chunk children=move |chunk| render_chunk(terminal, revision, chunk) />
                </div>
                <div class="visually-hidden" data-testid="terminal-announce" node_ref=announce aria-live="polite" aria-atomic="true"></div>
                <div class="input-line" class:live=move || live.get() data-live=move || live.get().to_string()>
                    <label class="prompt" for="terminal-input">{move || if live.get() { String::new() } else { prompt.get() }}</label>
                    <input
                        id="terminal-input"
                        class="input"
                        data-testid="terminal-input"
                        type="text"
                        node_ref=input
                        on:keydown=on_keydown
                        on:paste=on_paste
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

/// Lines per block of the scrollback: a block is laid out as a whole, so small enough to be
/// cheap to extend, large enough that thousands of lines make few blocks.
const CHUNK_LINES: u64 = 64;

/// The blocks that hold at least one line, in order. Ids only grow, so a block's lines sit
/// together in the scrollback.
fn chunk_keys(lines: &[Line]) -> Vec<u64> {
    let mut keys: Vec<u64> = Vec::new();
    for line in lines {
        let key = line.id / CHUNK_LINES;
        if keys.last() != Some(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Block `chunk`'s lines: found by binary search, since ids are in order.
fn chunk_lines(lines: &[Line], chunk: u64) -> &[Line] {
    let start = lines.partition_point(|line| line.id < chunk * CHUNK_LINES);
    let end = lines.partition_point(|line| line.id < (chunk + 1) * CHUNK_LINES);
    &lines[start..end]
}

/// One block of the scrollback; its lines are re-read only when the set of ids in it changes
/// (lines added to the last block, a redraw, the scrollback's oldest lines dropped).
fn render_chunk(terminal: RwSignal<Terminal, LocalStorage>, revision: Memo<u64>, chunk: u64) -> impl IntoView {
    let ids = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(|t| chunk_lines(t.lines(), chunk).iter().map(|line| line.id).collect::<Vec<u64>>())
    });
    let lines = move || {
        // Read (not just tracked) so the memo computes and this re-runs only when the ids change.
        ids.with(|_| ());
        terminal.with_untracked(|t| chunk_lines(t.lines(), chunk).to_vec())
    };
    view! {
        <div class="chunk">
            <For each=lines key=|line| line.id children=render_line />
        </div>
    }
}

fn render_line(line: Line) -> impl IntoView {
    let class = match line.kind {
        LineKind::Input => "line line-input",
        LineKind::Stdout => "line line-stdout",
        LineKind::Stderr => "line line-stderr",
    };
    let text = if ansi::has_escapes(&line.text) {
        ansi::parse(&line.text)
            .into_iter()
            .map(|span| {
                let classes = span.style.classes();
                if classes.is_empty() { span.text.into_any() } else { view! { <span class=classes>{span.text}</span> }.into_any() }
            })
            .collect_view()
            .into_any()
    } else {
        line.text.into_any()
    };
    view! {
        <div class=class data-testid="terminal-line">
            {(!line.prompt.is_empty()).then(|| view! { <span class="prompt">{line.prompt.clone()}</span> })}
            {text}
        </div>
    }
}

/// Marks `output` as painted up to `revision`: the attribute `data-painted-revision` is set in the
/// next animation frame's callback, which runs once the new lines are laid out and right before
/// the browser paints them. A benchmark reads it (with the terminal's revision counter, which
/// moves on every scrollback change) to time "command typed → its output on screen".
fn mark_painted(output: web_sys::HtmlDivElement, revision: u64) {
    request_animation_frame(move || {
        let _ = output.set_attribute("data-painted-revision", &revision.to_string());
    });
}

/// The input's text before and after the caret (or selection), as byte slices of `value`.
fn split_at_caret<'a>(field: &web_sys::HtmlInputElement, value: &'a str) -> (&'a str, &'a str) {
    let utf16_to_byte = |offset: u32| {
        let mut units = 0;
        for (index, c) in value.char_indices() {
            if units >= offset as usize {
                return index;
            }
            units += c.len_utf16();
        }
        value.len()
    };
    let start = field.selection_start().ok().flatten().map(utf16_to_byte).unwrap_or(value.len());
    let end = field.selection_end().ok().flatten().map(utf16_to_byte).unwrap_or(value.len()).max(start);
    (&value[..start], &value[end..])
}

/// Whether part of the input's text is selected (then Ctrl+C means copy).
fn has_selection(field: &web_sys::HtmlInputElement) -> bool {
    let start = field.selection_start().ok().flatten();
    let end = field.selection_end().ok().flatten();
    start != end
}
