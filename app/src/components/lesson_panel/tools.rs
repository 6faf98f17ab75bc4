//! The panel's tools around any session: undo, reset and share; sandbox starter projects; and
//! exporting or importing saved progress.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Panel;
use crate::progress;
use crate::starters::STARTERS;
use crate::web;

#[component]
pub fn SessionActions(panel: Panel) -> impl IntoView {
    view! {
        <div class="session-actions" role="group" aria-label="Session">
            <button data-action="undo" title="Put the machine back as it was before the last command" on:click=move |_| panel.undo()>"Undo"</button>
            <button data-action="reset" title="Start this machine (or item) over" on:click=move |_| panel.reset()>"Reset"</button>
            <button data-action="share" title="Make a link that replays this session" on:click=move |_| panel.share()>"Share"</button>
        </div>
        {move || panel.share_url.get().map(|url| view! {
            <div class="share-box">
                <label for="share-url">"Share link (copied when the browser allows):"</label>
                <input
                    id="share-url"
                    data-share-url=""
                    readonly
                    prop:value=url
                    on:focus=move |event| {
                        if let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }
                />
            </div>
        })}
    }
}

#[component]
pub fn Starters(panel: Panel) -> impl IntoView {
    view! {
        <h2>"Sandbox"</h2>
        <p>"A fresh Docker host. Type commands in the terminal, or load a starter project to build:"</p>
        <ul class="starters">
            {STARTERS
                .iter()
                .map(|starter| view! {
                    <li>
                        <button class="starter" data-starter=starter.id on:click=move |_| panel.load_starter(starter)>
                            {starter.label}
                        </button>
                        <span class="muted">" ~/" {starter.folder}</span>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn ProgressTools(panel: Panel) -> impl IntoView {
    let finished = move || panel.progress.with(|p| p.completed.len());
    let export_href = move || {
        let text = panel.progress.with(progress::Progress::to_json);
        format!("data:application/json;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&text)))
    };
    let import = move |event: leptos::ev::Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        leptos::task::spawn_local(async move {
            let outcome = match web::chosen_file_text(&input).await {
                None => return,
                Some(Err(why)) => Err(format!("That file cannot be read: {why}.")),
                Some(Ok(text)) => progress::import(&text),
            };
            match outcome {
                Ok(imported) => {
                    let count = imported.completed.len();
                    panel.progress.update(|p| {
                        p.completed = imported.completed;
                    });
                    panel.notice.set(Some(format!("Progress imported: {count} finished items.")));
                }
                Err(why) => panel.notice.set(Some(why)),
            }
            input.set_value("");
        });
    };
    view! {
        <footer class="progress-tools" aria-label="Your progress">
            <span data-progress-count=finished>{move || format!("{} finished", finished())}</span>
            <a class="button-link" data-action="export-progress" download="whalebox-progress.json" href=export_href>"Export progress"</a>
            <label class="button-link">
                "Import progress"
                <input class="visually-hidden" type="file" accept="application/json,.json" data-action="import-progress" on:change=import />
            </label>
        </footer>
    }
}
