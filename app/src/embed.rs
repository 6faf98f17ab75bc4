//! Embed mode, `?embed=ITEM_ID`: a bare frame (the item's steps and the terminal, no header) for
//! other sites' iframes, driven by the postMessage API of [`crate::embed_protocol`].
//!
//! Items arrive as `lessons.json` (the catalog's JSON export, written into `dist/` at build time)
//! and are fetched when the frame starts, so the wasm download does not carry them.

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::terminal::TerminalView;
use crate::embed_protocol;
use crate::machine::Machine;
use crate::state::Terminal;
use crate::{browser, recovery};

pub const EMBED_PARAM: &str = "embed";
/// Optional: the only origin whose messages the frame obeys (`?parent-origin=https://site`).
pub const PARENT_ORIGIN_PARAM: &str = "parent-origin";
/// Where the catalog's items are, relative to the page.
pub const LESSONS_URL: &str = "lessons.json";

/// The item asked for with `?embed=`, if its id looks like one (letters, digits and dashes).
pub fn requested_item() -> Option<String> {
    browser::query_param(EMBED_PARAM).filter(|id| is_item_id(id))
}

pub fn is_item_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 80 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed(String),
}

/// The embedded frame for `item_id`.
#[component]
pub fn EmbedFrame(terminal: RwSignal<Terminal, LocalStorage>, item_id: String) -> impl IntoView {
    mark_document_as_embedded();
    let status = RwSignal::new(Status::Loading);
    listen_for_messages(terminal, move || status.get_untracked() == Status::Ready);

    let loading_id = item_id.clone();
    leptos::task::spawn_local(async move {
        match start_item(&loading_id).await {
            Ok(mut session) => {
                if recovery::was_restored() {
                    // The recovery screen's "Restore" reloaded the frame: carry on in the saved machine.
                    *session.engine_mut() = terminal.with_untracked(|t| t.engine().clone());
                }
                terminal.set(Terminal::with_machine(Machine::Item(session)));
                status.set(Status::Ready);
                post_to_parent(&embed_protocol::ready(&loading_id), "*");
            }
            Err(why) => status.set(Status::Failed(why)),
        }
    });

    view! {
        <main class="embed-frame" data-testid="embed-frame" data-item=item_id.clone()>
            {move || match status.get() {
                Status::Loading => view! { <p class="embed-loading" role="status">"Starting the lesson…"</p> }.into_any(),
                Status::Failed(why) => view! {
                    <div class="embed-failed" role="alert">
                        <p>{format!("This lesson could not be started: {why}")}</p>
                    </div>
                }.into_any(),
                // The terminal is built only now, on the item's machine, so its prompt shows the
                // directory the item's setup left it in.
                Status::Ready => view! {
                    <StepList terminal=terminal />
                    <div class="embed-terminal"><TerminalView terminal=terminal /></div>
                }.into_any(),
            }}
        </main>
    }
}

/// The item's steps: done ones ticked, the current one spelled out.
#[component]
fn StepList(terminal: RwSignal<Terminal, LocalStorage>) -> impl IntoView {
    let revision = Memo::new(move |_| terminal.with(Terminal::revision));
    let view_of_session = move || {
        let _ = revision.get();
        terminal.with_untracked(|t| {
            t.machine().session().map(|session| {
                let item = session.item();
                let instructions: Vec<String> = item.steps.iter().map(|step| step.instruction.clone()).collect();
                (item.title.clone(), session.step(), instructions)
            })
        })
    };
    view! {
        // Focusable, so a keyboard can scroll long steps (it is a scroll container).
        <section class="embed-steps" data-testid="embed-steps" aria-label="Lesson steps" tabindex="0">
            {move || view_of_session().map(|(title, current, instructions)| {
                let total = instructions.len();
                view! {
                    <h1 class="embed-title">{title}</h1>
                    <p class="embed-progress" role="status">
                        {if current >= total { "All steps done.".to_string() } else { format!("Step {} of {total}", current + 1) }}
                    </p>
                    <ol class="embed-step-list">
                        {instructions.into_iter().enumerate().map(|(index, text)| {
                            let state = if index < current { "done" } else if index == current { "current" } else { "later" };
                            view! {
                                <li class=format!("embed-step embed-step-{state}") data-step-state=state
                                    aria-current=(state == "current").then_some("step")>
                                    <span class="embed-step-mark" aria-hidden="true">{if state == "done" { "✓" } else { "" }}</span>
                                    <span class="visually-hidden">{if state == "done" { "Done: " } else { "" }}</span>
                                    <div class="embed-step-text">{inline_markdown(&text)}</div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
            })}
        </section>
    }
}

/// Paragraphs, with `code` spans: all the Markdown a step instruction needs to read well here.
fn inline_markdown(text: &str) -> impl IntoView {
    text.split("\n\n")
        .filter(|paragraph| !paragraph.trim().is_empty())
        .map(|paragraph| {
            let parts: Vec<(bool, String)> = split_code_spans(paragraph);
            view! {
                <p>{parts.into_iter().map(|(code, part)| if code {
                    view! { <code>{part}</code> }.into_any()
                } else {
                    part.into_any()
                }).collect_view()}</p>
            }
        })
        .collect_view()
}

/// `a `b` c` → [(false, "a "), (true, "b"), (false, " c")]; newlines read as spaces.
pub fn split_code_spans(paragraph: &str) -> Vec<(bool, String)> {
    paragraph
        .split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(index, part)| (index % 2 == 1, part.replace('\n', " ")))
        .collect()
}

async fn start_item(id: &str) -> Result<Box<lessons::Session>, String> {
    let json = browser::fetch_text(LESSONS_URL).await?;
    let catalog = lessons::Catalog::from_json(&json)?;
    let item = catalog.get(id).ok_or_else(|| format!("there is no lesson, drill or interview item `{id}`"))?;
    lessons::Session::start(item).map(Box::new).map_err(|error| error.to_string())
}

/// `class="embed"` on `<html>` and `<body>`, for the stylesheet; `?theme=light` picks the theme.
fn mark_document_as_embedded() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let theme = if browser::query_param("theme").as_deref() == Some("light") { "light" } else { "dark" };
    if let Some(root) = document.document_element() {
        let _ = root.class_list().add_1("embed");
        let _ = root.set_attribute("data-theme", theme);
    }
    if let Some(body) = document.body() {
        let _ = body.class_list().add_1("embed");
    }
}

/// Obeys requests from the embedding page only (and, with `?parent-origin=`, only from that
/// origin); everything else is dropped without an answer.
fn listen_for_messages(terminal: RwSignal<Terminal, LocalStorage>, ready: impl Fn() -> bool + 'static) {
    let Some(window) = web_sys::window() else { return };
    let allowed_origin = browser::query_param(PARENT_ORIGIN_PARAM);
    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let Some(parent) = parent_window() else { return };
        let from_parent = event.source().is_some_and(|source| js_sys::Object::is(&source, &parent));
        if !from_parent || allowed_origin.as_ref().is_some_and(|origin| *origin != event.origin()) {
            return;
        }
        let Some(request) = as_json(&event.data()).as_ref().and_then(embed_protocol::parse) else { return };
        let answer = if ready() {
            crate::deferred::flush();
            terminal
                .try_update(|t| embed_protocol::answer(&request, t))
                .unwrap_or_else(|| embed_protocol::error(request.id(), "the frame is shutting down"))
        } else {
            embed_protocol::error(request.id(), "the lesson is still starting: wait for whalebox:ready")
        };
        post_to_parent(&answer, &reply_target(&event.origin()));
    });
    let _ = window.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
    // The frame listens for as long as the page lives.
    handler.forget();
}

fn parent_window() -> Option<web_sys::Window> {
    web_sys::window()?.parent().ok().flatten()
}

/// A structured-clone value as JSON; `None` for what JSON cannot hold (it is not a request).
fn as_json(data: &JsValue) -> Option<Value> {
    let text = js_sys::JSON::stringify(data).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// Answers go to the origin that asked. A sandboxed or `about:blank` parent has the opaque
/// origin `null`, which cannot be named as a target: then `*` (the source window is the parent).
pub fn reply_target(origin: &str) -> String {
    if origin.starts_with("http://") || origin.starts_with("https://") { origin.to_string() } else { "*".to_string() }
}

fn post_to_parent(message: &Value, target_origin: &str) {
    let Some(parent) = parent_window() else { return };
    let Ok(value) = js_sys::JSON::parse(&message.to_string()) else { return };
    let _ = parent.post_message(&value, target_origin);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_are_plain_words() {
        assert!(is_item_id("layer-cache"));
        assert!(!is_item_id(""));
        assert!(!is_item_id("../etc"));
        assert!(!is_item_id("a b"));
    }

    #[test]
    fn code_spans_are_split_out() {
        assert_eq!(
            split_code_spans("Run `docker ps`\nnow"),
            vec![(false, "Run ".to_string()), (true, "docker ps".to_string()), (false, " now".to_string())]
        );
    }

    #[test]
    fn replies_go_to_the_asking_origin_unless_it_is_opaque() {
        assert_eq!(reply_target("https://example.org"), "https://example.org");
        assert_eq!(reply_target("null"), "*");
    }
}
