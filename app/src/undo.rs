//! Undo: the machine as it was after each of the last commands, so the learner can step back
//! one command at a time. Whole clones rather than diffs: the engine is plain data, and a clone
//! is far simpler (and no slower in practice) than an inverse for every docker command.

use std::collections::VecDeque;

use crate::machine::Machine;

/// How many commands can be undone.
pub const UNDO_DEPTH: usize = 20;

/// Counts what the learner did to a machine: engine commands, plus a session's typed lines
/// (`answer …` never reaches the engine's history).
pub fn marker(machine: &Machine) -> (usize, usize) {
    (machine.engine().history().len(), machine.session().map_or(0, |session| session.commands_typed()))
}

#[derive(Debug, Default)]
pub struct UndoStack {
    /// Oldest first; the last one is the machine as it is now.
    states: VecDeque<((usize, usize), Machine)>,
}

impl UndoStack {
    /// Forgets everything and starts from `machine` (a new item, a reset, a replayed link).
    pub fn reset(&mut self, machine: &Machine) {
        self.states.clear();
        self.states.push_back((marker(machine), machine.clone()));
    }

    /// Called after anything may have happened: keeps a copy when a command ran since last time.
    pub fn observe(&mut self, machine: &Machine) {
        let now = marker(machine);
        if self.states.back().is_some_and(|(seen, _)| *seen == now) {
            return;
        }
        self.states.push_back((now, machine.clone()));
        // One more than the depth: the current state plus UNDO_DEPTH earlier ones.
        while self.states.len() > UNDO_DEPTH + 1 {
            self.states.pop_front();
        }
    }

    pub fn can_undo(&self) -> bool {
        self.states.len() > 1
    }

    /// The machine before the last command, if one is kept.
    pub fn undo(&mut self) -> Option<Machine> {
        if !self.can_undo() {
            return None;
        }
        self.states.pop_back();
        self.states.back().map(|(_, machine)| machine.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::Engine;

    #[test]
    fn steps_back_one_command_at_a_time() {
        let mut machine = Machine::Sandbox(Engine::new(1));
        let mut stack = UndoStack::default();
        stack.reset(&machine);
        assert!(!stack.can_undo());
        machine.run("docker run --name one hello-world");
        stack.observe(&machine);
        stack.observe(&machine);
        machine.run("docker run --name two hello-world");
        stack.observe(&machine);
        let before = stack.undo().unwrap();
        assert!(before.engine().world().find_container("one").is_some());
        assert!(before.engine().world().find_container("two").is_none());
        let start = stack.undo().unwrap();
        assert!(start.engine().world().find_container("one").is_none());
        assert!(stack.undo().is_none());
    }

    #[test]
    fn keeps_only_the_last_commands() {
        let mut machine = Machine::Sandbox(Engine::new(1));
        let mut stack = UndoStack::default();
        stack.reset(&machine);
        for i in 0..UNDO_DEPTH + 5 {
            machine.run(&format!("echo {i}"));
            stack.observe(&machine);
        }
        let mut undone = 0;
        while stack.undo().is_some() {
            undone += 1;
        }
        assert_eq!(undone, UNDO_DEPTH);
    }
}
