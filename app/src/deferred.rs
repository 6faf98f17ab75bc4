//! Saving that can wait until a command's output is on screen: the last good snapshot and the
//! saved progress are written after the next paint, not in the frame that shows the output.
//!
//! Each piece of work has a key; scheduling a key again replaces its closure, so a burst of
//! commands writes storage once, with the newest state. Whatever is pending runs before the
//! next command (so a crash in that command still finds the one before it saved) and when the
//! page is hidden or unloaded (so a reload right after a command loses nothing).

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::{request_animation_frame, set_timeout};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

type Work = Box<dyn FnOnce()>;

thread_local! {
    static PENDING: RefCell<Vec<(&'static str, Work)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `work` after the next paint, replacing any pending work with the same `key`.
pub fn after_paint(key: &'static str, work: impl FnOnce() + 'static) {
    let was_idle = PENDING.with_borrow_mut(|pending| {
        let was_idle = pending.is_empty();
        pending.retain(|(k, _)| *k != key);
        pending.push((key, Box::new(work)));
        was_idle
    });
    if was_idle {
        // The animation frame callback runs just before the browser paints; a zero timeout set
        // from it runs once that paint is done.
        request_animation_frame(|| set_timeout(flush, Duration::ZERO));
    }
}

/// Runs everything pending now, in the order it was first scheduled.
pub fn flush() {
    let pending = PENDING.with_borrow_mut(std::mem::take);
    for (_, work) in pending {
        work();
    }
}

/// Flushes when the page is hidden or unloaded: a reload or a closed tab keeps the last command.
pub fn flush_when_leaving() {
    let Some(window) = web_sys::window() else { return };
    let handler = Closure::<dyn FnMut()>::new(flush);
    for event in ["pagehide", "visibilitychange", "beforeunload"] {
        let _ = window.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    }
    // The listeners live as long as the page.
    handler.forget();
}
