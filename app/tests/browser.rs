//! Browser tests: mount the whole app in a real page and drive it the way a learner does.
//!
//! Run with `wasm-bindgen-test-runner` as the wasm32 runner and chromedriver on PATH (see the
//! toolchain notes); they are compiled only for wasm32.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app in its own container, so tests sharing the page never see each other.
fn mount() -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    // The handle would unmount the app when dropped; the page lives only for the test run anyway.
    std::mem::forget(leptos::mount::mount_to(container.clone(), app::App));
    container
}

fn by_test_id(root: &Element, id: &str) -> Element {
    root.query_selector(&format!("[data-testid={id}]"))
        .unwrap()
        .unwrap()
}

fn lines(root: &Element) -> Vec<(String, String)> {
    let nodes = root
        .query_selector_all("[data-testid=terminal-line]")
        .unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<Element>().ok())
        .map(|line| (line.class_name(), line.text_content().unwrap_or_default()))
        .collect()
}

fn press(input: &HtmlInputElement, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

async fn run(root: &Element, command: &str) {
    let input: HtmlInputElement = by_test_id(root, "terminal-input").unchecked_into();
    input.set_value(command);
    press(&input, "Enter");
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn mounted_terminal_is_ready_and_shows_the_banner() {
    let root = mount();
    leptos::task::tick().await;
    assert_eq!(
        by_test_id(&root, "terminal")
            .get_attribute("data-ready")
            .as_deref(),
        Some("true")
    );
    assert!(by_test_id(&root, "terminal-banner")
        .text_content()
        .unwrap()
        .contains("hello-world"));
    assert!(lines(&root).is_empty());
}

#[wasm_bindgen_test]
async fn enter_echoes_the_command_then_its_output() {
    let root = mount();
    run(&root, "docker run hello-world").await;
    let shown = lines(&root);
    assert_eq!(shown[0].1, "learner@whalebox:~$ docker run hello-world");
    assert!(
        shown
            .iter()
            .any(|(_, text)| text.contains("Hello from Docker!")),
        "{shown:?}"
    );
    let input: HtmlInputElement = by_test_id(&root, "terminal-input").unchecked_into();
    assert_eq!(input.value(), "");
}

#[wasm_bindgen_test]
async fn errors_are_marked_for_tinting() {
    let root = mount();
    run(&root, "no-such-command").await;
    let shown = lines(&root);
    assert!(
        shown[1..]
            .iter()
            .all(|(class, _)| class.contains("line-stderr")),
        "{shown:?}"
    );
}

#[wasm_bindgen_test]
async fn arrow_keys_browse_history() {
    let root = mount();
    run(&root, "echo one").await;
    run(&root, "echo two").await;
    let input: HtmlInputElement = by_test_id(&root, "terminal-input").unchecked_into();
    input.set_value("draft");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "echo two");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "echo one");
    press(&input, "ArrowDown");
    press(&input, "ArrowDown");
    assert_eq!(input.value(), "draft");
}

#[wasm_bindgen_test]
async fn clear_empties_the_screen() {
    let root = mount();
    run(&root, "echo one").await;
    run(&root, "clear").await;
    assert!(lines(&root).is_empty());
    assert!(root
        .query_selector("[data-testid=terminal-banner]")
        .unwrap()
        .is_none());
}
