//! `docker events`: the daemon's event stream, past (`--since`) and live.

use crate::world::DaemonEvent;

/// One event line in Docker's default layout (or `--format`).
pub fn event_line(event: &DaemonEvent, _format: Option<&str>) -> String {
    format!("{} {} {} {}", event.time.rfc3339(), event.kind, event.action, event.id)
}
