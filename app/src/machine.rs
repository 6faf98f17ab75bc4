//! What the terminal types into: a free sandbox engine, or a lesson, drill or interview session
//! whose goals are checked after every command (the same checker as `whalebox lesson`).

use engine::{Engine, Outcome};
use lessons::{Session, Turn};

#[derive(Debug, Clone)]
pub enum Machine {
    Sandbox(Engine),
    Item(Box<Session>),
}

impl Machine {
    pub fn engine(&self) -> &Engine {
        match self {
            Machine::Sandbox(engine) => engine,
            Machine::Item(session) => session.engine(),
        }
    }

    pub fn engine_mut(&mut self) -> &mut Engine {
        match self {
            Machine::Sandbox(engine) => engine,
            Machine::Item(session) => session.engine_mut(),
        }
    }

    pub fn session(&self) -> Option<&Session> {
        match self {
            Machine::Sandbox(_) => None,
            Machine::Item(session) => Some(session),
        }
    }

    pub fn session_mut(&mut self) -> Option<&mut Session> {
        match self {
            Machine::Sandbox(_) => None,
            Machine::Item(session) => Some(session),
        }
    }

    /// Runs one complete command line; in an item, the goals are checked after it.
    pub fn run(&mut self, line: &str) -> (Outcome, Option<Turn>) {
        match self {
            Machine::Sandbox(engine) => (engine.run(line), None),
            Machine::Item(session) => {
                let turn = session.type_line(line);
                (turn.outcome.clone(), Some(turn))
            }
        }
    }

    /// One step of a live command (`logs -f`, `stats`); an item checks goals on what it printed.
    pub fn tick(&mut self, millis: u64) -> (Outcome, Option<Turn>) {
        match self {
            Machine::Sandbox(engine) => (engine.tick(millis), None),
            Machine::Item(session) => {
                let outcome = session.engine_mut().tick(millis);
                let turn = session.live_output(outcome);
                (turn.outcome.clone(), Some(turn))
            }
        }
    }

    /// Ctrl+C for a live command.
    pub fn interrupt(&mut self) -> (Outcome, Option<Turn>) {
        match self {
            Machine::Sandbox(engine) => (engine.interrupt(), None),
            Machine::Item(session) => {
                let outcome = session.engine_mut().interrupt();
                let turn = session.live_output(outcome);
                (turn.outcome.clone(), Some(turn))
            }
        }
    }
}
