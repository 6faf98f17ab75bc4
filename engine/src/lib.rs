//! Whalebox's engine: a deterministic simulation of a Docker host, driven one command line at a time.
//!
//! The engine never touches a clock, a file, the network or an unseeded random source (outside
//! `host/`): time is the simulated [`clock`], identifiers come from a seeded [`ids::IdGenerator`], and
//! output is data ([`Outcome`]) that the browser terminal, the native CLI and the tests all read.

mod build;
mod clock;
pub mod completion;
pub mod compose;
mod docker;
pub mod dockerfile;
pub mod dockerignore;
pub mod fs;
#[cfg(all(feature = "host", target_os = "linux"))]
pub mod host;
mod ids;
pub mod image;
mod live;
pub mod network;
mod outcome;
mod ports;
mod programs;
mod reference;
mod runtime;
mod session;
mod registry;
mod shell;
mod sim;
mod swarm;
pub mod volume;
mod table;
mod world;

pub use build::Verdict;
pub use outcome::{Event, Outcome, OutputLine, Stream};
pub use image::Image;
pub use world::{host_namespace_inodes, Container, ContainerStatus, LastBuild, World};

use serde::{Deserialize, Serialize};

/// A whole simulated machine: the Docker daemon's state plus the learner's shell.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Engine {
    world: World,
    shell: shell::ShellState,
    /// A command still running (`logs -f`, `stats`, an attached server) until Ctrl-C.
    live: Option<live::LiveView>,
    /// A shell inside a container the learner is typing into.
    session: Option<session::Session>,
}

/// Why a stored snapshot could not be brought back.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("saved session is not valid: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("saved session has format version {found}, this Whalebox reads version {expected}")]
    Version { found: u32, expected: u32 },
}

/// Bumped whenever the snapshot layout changes incompatibly.
const SNAPSHOT_VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    engine: Engine,
}

#[derive(Deserialize)]
struct SnapshotHeader {
    version: u32,
}

impl Engine {
    /// A fresh machine. The same seed and the same commands always give the same bytes out.
    pub fn new(seed: u64) -> Self {
        Engine { world: World::new(seed), shell: shell::ShellState::default(), live: None, session: None }
    }

    /// Runs one line typed at the prompt: the host shell's, or a container shell's during
    /// `docker exec -it`. A live view still running is ended first, as Ctrl-C would.
    pub fn run(&mut self, line: &str) -> Outcome {
        let mut outcome = Outcome::default();
        if self.live.is_some() {
            let mut ended = self.interrupt();
            while self.live.is_some() {
                ended = self.interrupt();
            }
            outcome.output.append(&mut ended.output);
        }
        if let Some(question) = self.world.question.take() {
            // The docker CLI's confirmation: "y" or "yes", any case, surrounding spaces ignored.
            let answer = line.trim().to_ascii_lowercase();
            shell::record_history(self, line);
            if answer == "y" || answer == "yes" {
                let invocation = docker::Invocation { cwd: question.cwd, stdin: None, env: shell::client_env(self) };
                let mut result = docker::run(&mut self.world, &invocation, &question.words);
                outcome.output.append(&mut result.output);
                outcome.events.append(&mut result.events);
                outcome.exit_code = result.exit_code;
            }
            return outcome;
        }
        let mut result = match self.session.as_mut() {
            Some(session) => {
                let (result, ended) = session.run(&mut self.world, line);
                shell::record_history(self, line);
                if ended {
                    self.session = None;
                }
                result
            }
            None => shell::run_text(self, line),
        };
        if let Some(live) = result.live.take() {
            if matches!(live, live::LiveView::Stats { .. }) {
                outcome.events.push(Event::Redraw);
            }
            self.live = Some(live);
        }
        if let Some(session) = result.session.take() {
            self.session = Some(session);
        }
        outcome.output.append(&mut result.output);
        outcome.events.append(&mut result.events);
        outcome.exit_code = result.exit_code;
        outcome
    }

    /// Whether a command is still running and wants [`Engine::tick`]s (the terminal shows no
    /// prompt meanwhile, and Ctrl-C calls [`Engine::interrupt`]).
    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// Whether the prompt is a container's shell (`docker exec -it`).
    pub fn in_container_shell(&self) -> bool {
        self.session.is_some()
    }

    /// Lets `millis` of simulated time pass for the live command; returns what it printed.
    /// When the command ends by itself (its container exits), `is_live` turns false.
    pub fn tick(&mut self, millis: u64) -> Outcome {
        let Some(view) = self.live.as_mut() else {
            return Outcome::default();
        };
        let (outcome, ended) = live::tick(&mut self.world, view, millis);
        if ended {
            self.live = None;
        }
        outcome
    }

    /// Ctrl-C: ends the live command (an attached `docker run` first passes SIGINT on to its
    /// container, as the docker CLI does).
    pub fn interrupt(&mut self) -> Outcome {
        let Some(view) = self.live.as_mut() else {
            return Outcome::default();
        };
        let (outcome, ended) = live::interrupt(&mut self.world, view);
        if ended {
            self.live = None;
        }
        outcome
    }

    /// Whether `text` can run as typed, or the terminal should read another line first (an open
    /// quote or here-document, a trailing `\\`, `&&` or `|`), showing [`Engine::CONTINUATION_PROMPT`].
    pub fn is_complete(&self, text: &str) -> bool {
        shell::is_complete(text)
    }

    /// What the terminal shows before continuation lines, like bash's PS2.
    pub const CONTINUATION_PROMPT: &'static str = "> ";

    /// Whether the last command asked `[y/N]` and the next line typed is its answer (the
    /// terminal then shows no prompt of its own: the question was the last output line).
    pub fn is_asking(&self) -> bool {
        self.world.question.is_some()
    }

    /// The prompt the terminal shows before each command.
    pub fn prompt(&self) -> String {
        if self.world.question.is_some() {
            return String::new();
        }
        match &self.session {
            Some(session) => session.prompt(&self.world),
            None => shell::prompt(self),
        }
    }

    /// The text of the learner's file `path` (absolute, or relative to the shell's directory), for
    /// an editor; `None` when it does not exist or is not text.
    pub fn read_file(&self, path: &str) -> Option<String> {
        let path = crate::fs::normalize(path, &self.shell.cwd);
        self.world.host_files().read_text(&path).ok().map(str::to_string)
    }

    /// Saves an editor's text as the learner's file `path`; the next build sees it.
    pub fn write_file(&mut self, path: &str, text: &str) -> Result<(), String> {
        let cwd = self.shell.cwd.clone();
        shell::write_file(self, &cwd, path, text)
    }

    /// Creates the learner's directory `path` and its parents, as `mkdir -p` would but without a
    /// command in the history (a lesson's setup, an editor saving into a new folder).
    pub fn make_dirs(&mut self, path: &str) {
        let cwd = self.shell.cwd.clone();
        shell::make_dirs(self, &cwd, path);
    }

    /// Read-only view of the simulated host, for visualizers and goal checks.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Commands typed so far, oldest first (what `history` prints).
    pub fn history(&self) -> &[String] {
        &self.shell.history
    }

    /// Serializes the whole machine, so a session can be stored and resumed.
    pub fn snapshot(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(&SnapshotRef { version: SNAPSHOT_VERSION, engine: self })
            .unwrap_or_default()
    }

    /// Brings back a machine saved by [`Engine::snapshot`].
    pub fn restore(saved: &str) -> Result<Engine, RestoreError> {
        let header: SnapshotHeader = serde_json::from_str(saved)?;
        if header.version != SNAPSHOT_VERSION {
            return Err(RestoreError::Version { found: header.version, expected: SNAPSHOT_VERSION });
        }
        let snapshot: Snapshot = serde_json::from_str(saved)?;
        Ok(snapshot.engine)
    }
}

#[derive(Serialize)]
struct SnapshotRef<'a> {
    version: u32,
    engine: &'a Engine,
}
