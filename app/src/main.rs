//! Browser entry point: mounts the app and does nothing else, so `lib.rs` holds all that is testable.

fn main() {
    leptos::mount::mount_to_body(app::App);
}
