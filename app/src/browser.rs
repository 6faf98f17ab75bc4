//! Small, failure-tolerant wrappers over the browser APIs the platform features use: the query
//! string, `localStorage`, `fetch` and the service worker. Every call tolerates a missing API
//! (private mode, a file:// page, an old browser) by doing nothing, because none of these may
//! stop the simulator from starting.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The value of `name` in the page's query string (`?embed=layer-cache`).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Removes `name` from the address bar without reloading, so a reload does not repeat a one-off
/// request such as `?recover=restore`.
pub fn forget_query_param(name: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let (Ok(search), Ok(path), Ok(hash)) = (location.search(), location.pathname(), location.hash()) else { return };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return };
    if params.get(name).is_none() {
        return;
    }
    params.delete(name);
    let rest = String::from(params.to_string());
    let url = if rest.is_empty() { format!("{path}{hash}") } else { format!("{path}?{rest}{hash}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `value`; `false` when storage is missing or full (the quota is a few megabytes).
pub fn storage_set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|storage| storage.set_item(key, value).is_ok())
}

pub fn storage_remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// The text of a same-site file such as `lessons.json`, or why it could not be read.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| format!("{url} could not be fetched"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "fetch did not return a response".to_string())?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = response.text().map_err(|_| format!("{url} has no body"))?;
    let text = JsFuture::from(text).await.map_err(|_| format!("{url} could not be read"))?;
    text.as_string().ok_or_else(|| format!("{url} is not text"))
}

/// How long after start the service worker is registered: installing it fetches and caches every
/// file of the site again, which on a first visit would compete with the learner's first command.
const SERVICE_WORKER_DELAY: std::time::Duration = std::time::Duration::from_secs(3);

/// Registers `sw.js` (written into `dist/` by `cargo xtask dist`), which keeps the page working
/// offline, a few seconds after start. Where there is no service worker API, or no `sw.js`
/// (`trunk serve`), nothing happens.
pub fn register_service_worker() {
    leptos::prelude::set_timeout(register_service_worker_now, SERVICE_WORKER_DELAY);
}

fn register_service_worker_now() {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let has_api = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    let secure = window.is_secure_context();
    if !has_api || !secure {
        return;
    }
    let registering = navigator.service_worker().register("./sw.js");
    // A failed registration only means no offline copy; awaiting it keeps the rejection handled.
    leptos::task::spawn_local(async move {
        let _ = JsFuture::from(registering).await;
    });
}
