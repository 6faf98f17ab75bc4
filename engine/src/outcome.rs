//! What one command produces: output lines, an exit status and typed events.

use serde::{Deserialize, Serialize};

/// Which stream a line was written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One line of terminal output, without its trailing newline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputLine {
    pub stream: Stream,
    pub text: String,
}

/// Something that happened to the simulated host, for visualizers and goal checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The terminal should wipe its scrollback (`clear`).
    ScreenCleared,
    /// The output that follows replaces what the running command printed at its last redraw
    /// (`docker stats` redraws its table every second).
    Redraw,
    ImagePulled { reference: String, image_id: String },
    ContainerCreated { id: String, name: String, image: String },
    ContainerStarted { id: String },
    ContainerExited { id: String, exit_code: i32 },
    /// The kernel's OOM killer ended a container's process (its memory limit was hit).
    ContainerOom { id: String },
    /// A docker command's request through the stack, as far as it went: `hops` from the client
    /// to the component that answered (`runc` for a started process); `answered` is false when
    /// the daemon was down.
    ApiRequest { method: String, path: String, hops: Vec<String>, answered: bool },
    /// A health status changed (`healthy`, `unhealthy`).
    ContainerHealth { id: String, status: String },
    /// One cacheable build step (`2/5`), reused or run, and why.
    BuildStep { step: String, instruction: String, verdict: crate::build::Verdict },
    ImageBuilt { image_id: String, tags: Vec<String> },
    /// `edit FILE` (or `nano`, `vi`, `vim`, `code`): the terminal should open its editor on the
    /// learner's file at this absolute path (it may not exist yet), then hand the text back with
    /// `Engine::write_file`.
    EditFile { path: String },
}

/// The result of running one line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub output: Vec<OutputLine>,
    pub exit_code: i32,
    pub events: Vec<Event>,
    /// The command keeps running (`logs -f`, `stats`): the engine holds it as its live view.
    #[serde(skip)]
    pub(crate) live: Option<crate::live::LiveView>,
    /// The command opened a shell inside a container (`exec -it`, `run -it`).
    #[serde(skip)]
    pub(crate) session: Option<crate::session::Session>,
    /// The last stdout line has no newline after it (`echo -n`, `printf x`): a pipe or a file
    /// gets it without one (the terminal still shows whole lines).
    #[serde(skip)]
    pub(crate) unterminated: bool,
    /// The command asked `[y/N]` (a prune without `-f`): the next line typed answers it.
    #[serde(skip)]
    pub(crate) question: Option<Question>,
}

/// A docker command waiting for its `[y/N]` answer; "y" or "yes" re-runs it with `--force`,
/// anything else ends it with no output and status 0, as the docker CLI does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Question {
    /// The words after `docker`, `--force` added.
    pub words: Vec<String>,
    pub cwd: String,
}

impl Outcome {
    /// All output as the terminal shows it: every line followed by a newline, streams interleaved.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for line in &self.output {
            text.push_str(&line.text);
            text.push('\n');
        }
        text
    }

    /// Ends the command on a `[y/N]` question; `docker::run` fills in what a yes re-runs.
    pub(crate) fn ask(mut self) -> Outcome {
        self.question = Some(Question::default());
        self
    }

    pub(crate) fn out(&mut self, text: impl Into<String>) {
        self.output.push(OutputLine { stream: Stream::Stdout, text: text.into() });
        self.unterminated = false;
    }

    /// Writes text exactly as a program would: one line per `\n`, and a last line without a
    /// newline marked as such.
    pub(crate) fn out_text(&mut self, text: &str) {
        self.out_block(text);
        self.unterminated = !text.is_empty() && !text.ends_with('\n');
    }

    pub(crate) fn err(&mut self, text: impl Into<String>) {
        self.output.push(OutputLine { stream: Stream::Stderr, text: text.into() });
    }

    /// Writes a block of text, one output line per `\n`-separated line.
    pub(crate) fn out_block(&mut self, block: &str) {
        for line in block.lines() {
            self.out(line);
        }
    }

    pub(crate) fn event(&mut self, event: Event) {
        self.events.push(event);
    }

    pub(crate) fn fail(mut self, exit_code: i32) -> Self {
        self.exit_code = exit_code;
        self
    }
}
