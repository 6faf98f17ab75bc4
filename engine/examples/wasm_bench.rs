//! The engine as a bare WebAssembly module for `cargo xtask bench` (wasm command latency).
//!
//! Built as a wasm32-unknown-unknown cdylib without wasm-bindgen, so the module has no imports
//! and `e2e/bench-wasm.mjs` instantiates it in plain Node: `engine_new(seed)`, then per line
//! `alloc(len)`, copy the UTF-8 bytes in, `run(ptr, len)` (the timed call; returns the exit
//! status), and `output_ptr()`/`output_len()` to read what the last command printed.
//!
//! For the build benchmark (`e2e/bench-build.mjs`, scenario in `common/build_scenario.rs`) the same
//! timed `run` is called with `docker build -t bench .`; `build_prepare()` (a fresh engine with the
//! build context typed in), `build_edit()` and `build_check(scenario)` do the untimed rest, and
//! `message_ptr()`/`message_len()` read what they report. For parse throughput
//! (`e2e/bench-parse.mjs`), `parse_dockerfile(ptr, len)` runs `engine::dockerfile::parse`.
#![allow(unsafe_code)] // raw pointers and `no_mangle` are the whole point of a bare wasm export

#[path = "common/build_scenario.rs"]
mod build_scenario;

use std::cell::{Cell, RefCell};

use build_scenario::Scenario;
use engine::{Engine, Outcome};

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static LAST: RefCell<Option<Outcome>> = const { RefCell::new(None) };
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
    static MESSAGE: RefCell<String> = const { RefCell::new(String::new()) };
    static COLD_STEPS: Cell<usize> = const { Cell::new(0) };
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

/// Length in bytes of what the last `build_*` call reported (a problem, or its findings).
#[no_mangle]
pub extern "C" fn message_len() -> usize {
    MESSAGE.with(|message| message.borrow().len())
}

/// Where the text measured by [`message_len`] starts.
#[no_mangle]
pub extern "C" fn message_ptr() -> *const u8 {
    MESSAGE.with(|message| message.borrow().as_ptr())
}

/// Records `result` as the message; returns 0 for `Ok`, 1 for `Err`.
fn report(result: Result<String, String>) -> i32 {
    let (status, text) = match result {
        Ok(text) => (0, text),
        Err(problem) => (1, problem),
    };
    MESSAGE.with(|message| *message.borrow_mut() = text);
    status
}

/// The benchmark Dockerfile's instruction and stage counts, as the message `instructions<TAB>stages`.
#[no_mangle]
pub extern "C" fn build_shape() -> i32 {
    report(
        build_scenario::dockerfile_shape()
            .map(|(instructions, stages)| format!("{instructions}\t{stages}")),
    )
}

/// Replaces the machine with a fresh engine that has the build context typed in (not timed).
/// Returns 0, or 1 with the reason as the message.
#[no_mangle]
pub extern "C" fn build_prepare() -> i32 {
    report(build_scenario::prepare().map(|fresh| {
        ENGINE.with(|engine| *engine.borrow_mut() = Some(fresh));
        String::new()
    }))
}

/// Edits one source file of the context (not timed). Returns 0, or 1 with the reason.
#[no_mangle]
pub extern "C" fn build_edit() -> i32 {
    report(ENGINE.with(|engine| match engine.borrow_mut().as_mut() {
        Some(engine) => build_scenario::edit(engine).map(|()| String::new()),
        None => Err("build_edit before build_prepare".to_string()),
    }))
}

/// Checks that the last `run` was a build that did the work of scenario 0 (cold), 1 (warm) or
/// 2 (after the edit). Returns 0 with the message `run<TAB>cached` (step counts), or 1 with the
/// reason.
#[no_mangle]
pub extern "C" fn build_check(scenario: u32) -> i32 {
    let Some(&scenario) = Scenario::ALL.get(scenario as usize) else {
        return report(Err(format!("no build scenario {scenario}")));
    };
    report(LAST.with(|last| {
        let last = last.borrow();
        let outcome = last
            .as_ref()
            .ok_or_else(|| "build_check before any run".to_string())?;
        let (ran, cached) = build_scenario::step_counts(outcome);
        if scenario == Scenario::Cold {
            COLD_STEPS.with(|steps| steps.set(ran));
        }
        build_scenario::check(scenario, outcome, COLD_STEPS.with(Cell::get))?;
        Ok(format!("{ran}\t{cached}"))
    }))
}

/// Parses one Dockerfile (UTF-8 at `ptr..ptr + len`) with `engine::dockerfile::parse`; returns its
/// instruction count, -1 for bad UTF-8 or -2 when it does not parse.
///
/// # Safety
/// `ptr..ptr + len` must be initialized memory inside a buffer from [`alloc`].
#[no_mangle]
pub unsafe extern "C" fn parse_dockerfile(ptr: *const u8, len: usize) -> i32 {
    // SAFETY: the caller guarantees the bytes are initialized and in bounds.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return -1;
    };
    match engine::dockerfile::parse(text) {
        Ok(dockerfile) => i32::try_from(dockerfile.ast.children.len()).unwrap_or(i32::MAX),
        Err(_) => -2,
    }
}
