//! The few browser calls the lesson panel needs — localStorage, fetch, the clock, the URL, the
//! clipboard, a chosen file — each thin, so everything with logic stays in the native-tested modules.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Whether it was stored (private windows and full quotas refuse).
pub fn storage_set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Milliseconds since the Unix epoch: the only real time the page reads (a drill's clock).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn describe(error: wasm_bindgen::JsValue) -> String {
    error.as_string().or_else(|| js_sys::JSON::stringify(&error).ok().and_then(|s| s.as_string())).unwrap_or_else(|| "unknown error".into())
}

/// GETs a file next to the page as text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(describe)?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(describe)?).await.map_err(describe)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

/// The page's URL fragment, with its `#`.
pub fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The page's URL without its fragment.
pub fn page_url() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    format!("{}{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default(), location.search().unwrap_or_default())
}

/// Best effort: the share link stays visible in its input either way.
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// The text of the file chosen in an `<input type=file>`.
pub async fn chosen_file_text(input: &web_sys::HtmlInputElement) -> Option<Result<String, String>> {
    let file = input.files()?.get(0)?;
    let text = JsFuture::from(file.text()).await.map_err(describe);
    Some(text.and_then(|t| t.as_string().ok_or_else(|| "the file is not text".to_string())))
}
