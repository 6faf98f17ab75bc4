//! The engine as a bare WebAssembly module for `cargo xtask bench` (wasm command latency).
//!
//! Built as a wasm32-unknown-unknown cdylib without wasm-bindgen, so the module has no imports
//! and `e2e/bench-wasm.mjs` instantiates it in plain Node: `engine_new(seed)`, then per line
//! `alloc(len)`, copy the UTF-8 bytes in, `run(ptr, len)` (the timed call; returns the exit
//! status), and `output_ptr()`/`output_len()` to read what the last command printed.
#![allow(unsafe_code)] // raw pointers and `no_mangle` are the whole point of a bare wasm export

use std::cell::RefCell;

use engine::{Engine, Outcome};

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static LAST: RefCell<Option<Outcome>> = const { RefCell::new(None) };
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Replaces the machine with a fresh `Engine::new(seed)`.
#[no_mangle]
pub extern "C" fn engine_new(seed: u32) {
    ENGINE.with(|engine| *engine.borrow_mut() = Some(Engine::new(u64::from(seed))));
}

/// A buffer of `len` bytes for the caller to fill; give it back with [`dealloc`].
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// Frees a buffer from [`alloc`].
///
/// # Safety
/// `ptr` and `len` must be exactly what one earlier `alloc(len)` call returned and received.
#[no_mangle]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    // SAFETY: the caller hands back a buffer alloc made with this capacity.
    drop(unsafe { Vec::from_raw_parts(ptr, 0, len.max(1)) });
}

/// Runs one command line (UTF-8 at `ptr..ptr + len`); returns its exit status, or -1 for bad
/// UTF-8 and -2 when `engine_new` was not called.
///
/// # Safety
/// `ptr..ptr + len` must be initialized memory inside a buffer from [`alloc`].
#[no_mangle]
pub unsafe extern "C" fn run(ptr: *const u8, len: usize) -> i32 {
    // SAFETY: the caller guarantees the bytes are initialized and in bounds.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    let Ok(line) = std::str::from_utf8(bytes) else {
        return -1;
    };
    ENGINE.with(|engine| {
        let mut engine = engine.borrow_mut();
        let Some(engine) = engine.as_mut() else {
            return -2;
        };
        let outcome = engine.run(line);
        let status = outcome.exit_code;
        LAST.with(|last| *last.borrow_mut() = Some(outcome));
        status
    })
}

/// Length in bytes of the last command's output as the terminal shows it (computed here, outside
/// the timed `run`).
#[no_mangle]
pub extern "C" fn output_len() -> usize {
    let text = LAST.with(|last| {
        last.borrow()
            .as_ref()
            .map(Outcome::text)
            .unwrap_or_default()
    });
    TEXT.with(|buffer| {
        *buffer.borrow_mut() = text;
        buffer.borrow().len()
    })
}

/// Where the text measured by the last [`output_len`] call starts.
#[no_mangle]
pub extern "C" fn output_ptr() -> *const u8 {
    TEXT.with(|buffer| buffer.borrow().as_ptr())
}
