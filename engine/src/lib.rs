//! Whalebox's engine: a deterministic simulation of a Docker host, driven one command line at a time.
//!
//! The engine never touches a clock, a file, the network or an unseeded random source (outside
//! `host/`): time is the simulated [`clock`], identifiers come from a seeded [`ids::IdGenerator`], and
//! output is data ([`Outcome`]) that the browser terminal, the native CLI and the tests all read.

mod build;
mod clock;
mod docker;
pub mod dockerfile;
pub mod dockerignore;
pub mod fs;
mod ids;
pub mod image;
mod outcome;
mod programs;
mod reference;
mod registry;
mod shell;
mod sim;
mod table;
mod world;

pub use build::Verdict;
pub use outcome::{Event, Outcome, OutputLine, Stream};
pub use image::Image;
pub use world::{Container, ContainerStatus, World};

use serde::{Deserialize, Serialize};

/// A whole simulated machine: the Docker daemon's state plus the learner's shell.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Engine {
    world: World,
    shell: shell::ShellState,
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
const SNAPSHOT_VERSION: u32 = 1;

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
        Engine { world: World::new(seed), shell: shell::ShellState::default() }
    }

    /// Runs one line typed at the host shell prompt.
    pub fn run(&mut self, line: &str) -> Outcome {
        shell::run_text(self, line)
    }

    /// Whether `text` can run as typed, or the terminal should read another line first (an open
    /// quote or here-document, a trailing `\\` or `&&`), showing [`Engine::CONTINUATION_PROMPT`].
    pub fn is_complete(&self, text: &str) -> bool {
        shell::is_complete(text)
    }

    /// What the terminal shows before continuation lines, like bash's PS2.
    pub const CONTINUATION_PROMPT: &'static str = "> ";

    /// The prompt the terminal shows before each command.
    pub fn prompt(&self) -> String {
        shell::prompt(self)
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
