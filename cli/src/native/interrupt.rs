//! Ctrl-C during a real-kernel demo: remember it, so the demo stops at its next step and its
//! guards remove everything it made before the process exits with 130.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Catches SIGINT (and SIGTERM) from now on instead of dying mid-setup with mounts left behind.
pub fn install() {
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
}

/// Whether Ctrl-C was pressed since [`install`].
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
