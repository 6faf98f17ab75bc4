//! Compose's progress display as a terminal shows its last frame: `[+] Running 3/3` and one line
//! per resource (` ✔ Container myapp-db-1  Started   0.4s`), padded to an 80-column terminal.

use crate::clock::SimTime;
use crate::outcome::Outcome;

/// One resource's line: `Network myapp_default` / `Created`, timed on the simulated clock.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub status: String,
    pub started: SimTime,
    pub ended: SimTime,
    pub failed: bool,
}

/// The tasks of one compose operation, in the order they first appeared.
#[derive(Debug, Default)]
pub struct Progress {
    pub tasks: Vec<Task>,
}

const WIDTH: usize = 80;

impl Progress {
    /// Records a resource's new status (a later status of the same resource replaces its line,
    /// as the live display does; its timer keeps the first start).
    pub fn event(&mut self, id: impl Into<String>, status: &str, started: SimTime, ended: SimTime) {
        let id = id.into();
        match self.tasks.iter_mut().find(|t| t.id == id) {
            Some(task) => {
                task.status = status.to_string();
                task.ended = ended;
            }
            None => self.tasks.push(Task { id, status: status.to_string(), started, ended, failed: false }),
        }
    }

    pub fn fail(&mut self, id: impl Into<String>, status: &str, at: SimTime) {
        let id = id.into();
        self.event(id.clone(), status, at, at);
        if let Some(task) = self.tasks.iter_mut().find(|t| t.id == id) {
            task.failed = true;
        }
    }

    /// The final frame, to stderr (compose writes progress there): Compose v2's layout, the
    /// status one column past the longest resource name, the timer right-aligned at column 80.
    pub fn render(&self, outcome: &mut Outcome) {
        if self.tasks.is_empty() {
            return;
        }
        outcome.err(format!("[+] Running {}/{}", self.tasks.len(), self.tasks.len()));
        let id_width = self.tasks.iter().map(|t| t.id.chars().count()).max().unwrap_or(0) + 1;
        for task in &self.tasks {
            let spinner = if task.failed { "✘" } else { "✔" };
            let padding = " ".repeat(id_width - task.id.chars().count());
            let text = format!(" {spinner} {}{padding} {}", task.id, task.status);
            let timer = format!("{:.1}s ", task.ended.since(task.started) as f64 / 1000.0);
            let used = text.chars().count() + timer.len();
            let gap = " ".repeat(WIDTH.saturating_sub(used));
            outcome.err(format!("{text}{gap}{timer}"));
        }
    }
}
