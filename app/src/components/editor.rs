//! The file editor for the learner's project files (Dockerfile, compose.yaml, .dockerignore, app
//! sources): highlighting, the parser's diagnostics inline, and saving into the simulated host.
//!
//! A hand-made editor rather than CodeMirror: a transparent `<textarea>` (the real input: caret,
//! selection, undo, IME, screen readers) over a `<pre>` holding the same text highlighted, with
//! the same font metrics so every glyph lines up. CodeMirror 6 would add ~108 KB gzip to the
//! download for the same features (measured: state + view + commands + language + lint + the
//! Dockerfile/YAML/shell legacy modes, esbuild --minify, gzip -9).
//!
//! Contract for e2e tests: `[data-file=PATH]` (absolute path) opens a file,
//! `[data-editor-input]` is the textarea, `[data-action=save]` saves (or Ctrl+S),
//! `[data-action=new-file]` with `[data-new-file-name]`, `[data-problem-line=N]` per problem.

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;

use crate::editor_model::{self, display_name, Problem, Severity};
use crate::highlight::{self, Language};
use crate::state::Terminal;

/// Spaces a Tab inserts (YAML forbids tab indentation; Dockerfiles read better with spaces).
const INDENT: &str = "  ";

#[component]
pub fn EditorPanel(terminal: RwSignal<Terminal, LocalStorage>) -> impl IntoView {
    let textarea: NodeRef<html::Textarea> = NodeRef::new();
    // Every command may change the learner's files (`cat > Dockerfile`, `rm`, `mkdir`).
    let revision = Memo::new(move |_| terminal.with(Terminal::revision));
    // Bumped by saves and new files, which change the files without touching the scrollback.
    let saves = RwSignal::new(0u64);
    let files = Memo::new(move |_| {
        let _ = (revision.get(), saves.get());
        terminal.with_untracked(|t| editor_model::project_files(t.engine().world().host_files()))
    });
    let open_path = Memo::new(move |_| terminal.with(|t| t.editor().open_path().map(str::to_string)));
    let text = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    // Set by Escape so that the next Tab leaves the textarea instead of indenting (no keyboard trap).
    let tab_leaves = StoredValue::new(false);

    // Load the open file's draft or saved text; after a command, pick up changes made from the
    // terminal unless the learner has unsaved edits (a draft).
    Effect::new(move |_| {
        let _ = (revision.get(), saves.get());
        let Some(path) = open_path.get() else { return };
        let next = terminal.with_untracked(|t| t.editor().draft(&path).map(str::to_string).or_else(|| t.saved_text(&path)));
        let next = next.unwrap_or_default();
        if text.get_untracked() != next {
            text.set(next);
        }
    });
    // The textarea follows `text` only when it differs, so typing never moves the caret.
    Effect::new(move |_| {
        let wanted = text.get();
        if let Some(field) = textarea.get() {
            if field.value() != wanted {
                field.set_value(&wanted);
            }
        }
    });

    let language = Memo::new(move |_| open_path.get().map(|p| Language::of(&p)).unwrap_or(Language::Plain));
    let problems = Memo::new(move |_| {
        let Some(path) = open_path.get() else { return Vec::new() };
        let text = text.get();
        terminal.with_untracked(|t| {
            let read = |other: &str| t.saved_text(other);
            editor_model::problems(&path, &text, &read)
        })
    });
    let highlighted = Memo::new(move |_| {
        let marks: Vec<(usize, String)> = problems.get().into_iter().map(|p| (p.line, p.message)).collect();
        let text = text.get();
        let mut html = highlight::to_html(language.get(), &text, &marks);
        // A <pre> drops a final empty line; the textarea shows it, so keep their heights equal.
        if text.ends_with('\n') || text.is_empty() {
            html.push(' ');
        }
        html
    });
    let dirty = Memo::new(move |_| {
        let _ = (text.get(), saves.get(), revision.get());
        open_path.get().is_some_and(|path| terminal.with_untracked(|t| t.editor().is_dirty(&path)))
    });

    let save = move || {
        let Some(path) = open_path.get_untracked() else { return };
        let body = text.get_untracked();
        match terminal.try_update(|t| t.save_file(&path, &body)) {
            Some(Ok(())) => status.set(format!("Saved {}.", display_name(&path))),
            Some(Err(error)) => status.set(format!("Could not save {}: {error}", display_name(&path))),
            None => {}
        }
        saves.update(|n| *n += 1);
    };

    let open = move |path: String| {
        status.set(String::new());
        terminal.update(|t| t.editor_mut().open(&path));
    };

    let on_input = move |_| {
        let Some(field) = textarea.get() else { return };
        let Some(path) = open_path.get_untracked() else { return };
        let value = field.value();
        // Untracked: a keystroke must not re-render the terminal, lessons and visualizers.
        terminal.update_untracked(|t| {
            let saved = t.saved_text(&path);
            t.editor_mut().set_draft(&path, &value, saved.as_deref());
        });
        text.set(value);
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let Some(field) = textarea.get() else { return };
        let key = ev.key();
        let command = (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key();
        if command && matches!(key.as_str(), "s" | "S") {
            ev.prevent_default();
            save();
            return;
        }
        if key == "Escape" {
            tab_leaves.set_value(true);
            status.set("Press Tab to leave the editor.".to_string());
            return;
        }
        let leaving = tab_leaves.get_value();
        tab_leaves.set_value(false);
        let value = field.value();
        let (start, end) = selection(&field, &value);
        let inserted = match key.as_str() {
            "Tab" if !ev.shift_key() && !command && !ev.alt_key() && !leaving => INDENT.to_string(),
            // Enter keeps the current line's indentation, as code editors do.
            "Enter" if !command && !ev.shift_key() => {
                let line_start = value[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
                let indent: String = value[line_start..start].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
                if indent.is_empty() {
                    return;
                }
                format!("\n{indent}")
            }
            _ => return,
        };
        ev.prevent_default();
        let next = format!("{}{inserted}{}", &value[..start], &value[end..]);
        field.set_value(&next);
        let caret = value[..start].encode_utf16().count() as u32 + inserted.encode_utf16().count() as u32;
        let _ = field.set_selection_range(caret, caret);
        on_input(());
    };

    let new_name = RwSignal::new(String::new());
    let on_new_file = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(path) = editor_model::new_file_path(&new_name.get_untracked()) else {
            status.set("Give the new file a name, e.g. compose.yaml or app/main.py.".to_string());
            return;
        };
        let exists = terminal.with_untracked(|t| t.saved_text(&path).is_some());
        if !exists {
            if let Some(Err(error)) = terminal.try_update(|t| t.save_file(&path, "")) {
                status.set(format!("Could not create {}: {error}", display_name(&path)));
                return;
            }
            saves.update(|n| *n += 1);
        }
        new_name.set(String::new());
        open(path.clone());
        status.set(format!("{} {}.", if exists { "Opened" } else { "Created" }, display_name(&path)));
        if let Some(field) = textarea.get_untracked() {
            let _ = field.focus();
        }
    };

    let go_to_line = move |line: usize| {
        let Some(field) = textarea.get() else { return };
        let value = field.value();
        let start: usize = value.split('\n').take(line.saturating_sub(1)).map(|l| l.encode_utf16().count() + 1).sum();
        let length = value.split('\n').nth(line.saturating_sub(1)).map(|l| l.encode_utf16().count()).unwrap_or(0);
        let _ = field.focus();
        let _ = field.set_selection_range(start as u32, (start + length) as u32);
    };

    let line_count = move || text.with(|t| t.split('\n').count());

    view! {
        <div class="editor" data-editor="">
            <nav class="editor-files" aria-label="Project files">
                <ul class="file-list">
                    <For each=move || files.get() key=|path| path.clone() let:path>
                        {
                            let current = {
                                let path = path.clone();
                                move || open_path.get().as_deref() == Some(path.as_str())
                            };
                            let unsaved = {
                                let path = path.clone();
                                move || {
                                    let _ = dirty.get();
                                    terminal.with_untracked(|t| t.editor().is_dirty(&path))
                                }
                            };
                            let target = path.clone();
                            view! {
                                <li>
                                    <button
                                        class="file"
                                        data-file=path.clone()
                                        aria-current=move || if current() { "true" } else { "false" }
                                        on:click=move |_| open(target.clone())
                                    >
                                        {display_name(&path).to_string()}
                                        <Show when=unsaved.clone()>
                                            <span class="unsaved" title="Unsaved changes">
                                                " ●"<span class="visually-hidden">" (unsaved)"</span>
                                            </span>
                                        </Show>
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <Show when=move || files.with(Vec::is_empty)>
                    <p class="editor-empty">"No files in ~ yet."</p>
                </Show>
                <form class="new-file" on:submit=on_new_file>
                    <input
                        type="text"
                        data-new-file-name=""
                        aria-label="New file name"
                        placeholder="new file name"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || new_name.get()
                        on:input=move |ev| new_name.set(event_target_value(&ev))
                    />
                    <button type="submit" data-action="new-file">"New file"</button>
                </form>
            </nav>
            <Show
                when=move || open_path.get().is_some()
                fallback=|| view! { <p class="editor-empty">"Choose a file to edit, or create one. In the terminal, " <code>"edit FILE"</code> " opens it here."</p> }
            >
                <div class="editor-toolbar">
                    <span class="editor-path" data-editor-path="">{move || open_path.get().map(|p| display_name(&p).to_string()).unwrap_or_default()}</span>
                    <span class="editor-language">{move || language.get().label()}</span>
                    <span class="editor-dirty">{move || if dirty.get() { "Unsaved changes" } else { "Saved" }}</span>
                    <button type="button" data-action="save" aria-keyshortcuts="Control+S" on:click=move |_| save()>"Save"</button>
                </div>
                <div class="code" data-language=move || language.get().label()>
                    <div class="gutter" aria-hidden="true">
                        {move || {
                            let marks = problems.get();
                            (1..=line_count())
                                .map(|number| {
                                    let mark = marks.iter().find(|p| p.line == number);
                                    let class = match mark.map(|p| p.severity) {
                                        Some(Severity::Error) => "gutter-line gutter-error",
                                        Some(Severity::Warning) => "gutter-line gutter-warning",
                                        None => "gutter-line",
                                    };
                                    view! { <div class=class title=mark.map(|p| p.message.clone())>{number}</div> }
                                })
                                .collect_view()
                        }}
                    </div>
                    <div class="code-stack">
                        <pre class="code-highlight" aria-hidden="true" inner_html=move || highlighted.get()></pre>
                        <textarea
                            class="code-input"
                            data-editor-input=""
                            node_ref=textarea
                            aria-label=move || format!("Contents of {}", open_path.get().map(|p| display_name(&p).to_string()).unwrap_or_default())
                            aria-describedby="editor-help editor-problems"
                            spellcheck="false"
                            autocomplete="off"
                            autocapitalize="off"
                            wrap="off"
                            on:input=move |_| on_input(())
                            on:keydown=on_keydown
                        ></textarea>
                    </div>
                </div>
                <p class="editor-help" id="editor-help">"Ctrl+S saves. Tab indents; press Esc, then Tab, to move on."</p>
                <ProblemList problems=problems go_to_line=go_to_line />
            </Show>
            <p class="editor-status" role="status" data-editor-status="">{move || status.get()}</p>
        </div>
    }
}

/// What the parser says, as a list a screen reader can walk; each item jumps to its line.
#[component]
fn ProblemList(problems: Memo<Vec<Problem>>, go_to_line: impl Fn(usize) + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <section class="problems" id="editor-problems" aria-label="Problems">
            <h3 class="problems-title">
                {move || match problems.with(Vec::len) {
                    0 => "No problems found".to_string(),
                    1 => "1 problem".to_string(),
                    n => format!("{n} problems"),
                }}
            </h3>
            <ul>
                {move || {
                    problems
                        .get()
                        .into_iter()
                        .map(|problem| {
                            let where_ = if problem.line == 0 { "File".to_string() } else { format!("Line {}", problem.line) };
                            let kind = match problem.severity {
                                Severity::Error => "error",
                                Severity::Warning => "warning",
                            };
                            let line = problem.line;
                            view! {
                                <li class=format!("problem problem-{kind}") data-problem-line=line.to_string()>
                                    <button type="button" on:click=move |_| go_to_line(line.max(1))>
                                        <span class="problem-where">{format!("{where_} ({kind}): ")}</span>
                                        {problem.message}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// The textarea's selection as byte offsets into `value` (the DOM counts UTF-16 units).
fn selection(field: &web_sys::HtmlTextAreaElement, value: &str) -> (usize, usize) {
    let to_byte = |offset: u32| {
        let mut units = 0;
        for (index, c) in value.char_indices() {
            if units >= offset as usize {
                return index;
            }
            units += c.len_utf16();
        }
        value.len()
    };
    let start = field.selection_start().ok().flatten().map(to_byte).unwrap_or(value.len());
    let end = field.selection_end().ok().flatten().map(to_byte).unwrap_or(start).max(start);
    (start, end)
}
