//! The page's modes (sandbox, lessons, drills, interview) and the journal of what the learner did
//! to the current machine, which share links and saved progress replay. Plain types, tested natively.

use lessons::{Item, Kind, Session};

use crate::machine::Machine;
use crate::share::{Entry, Replay, SHARE_VERSION};
use crate::state::{LineKind, Terminal};
use crate::undo::marker;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sandbox,
    Lesson,
    Drill,
    Interview,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Sandbox, Mode::Lesson, Mode::Drill, Mode::Interview];

    /// The `data-mode` value (the e2e contract) and the saved progress's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Sandbox => "sandbox",
            Mode::Lesson => "lesson",
            Mode::Drill => "drill",
            Mode::Interview => "interview",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Sandbox => "Sandbox",
            Mode::Lesson => "Lessons",
            Mode::Drill => "Drills",
            Mode::Interview => "Interview",
        }
    }

    pub fn parse(text: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|mode| mode.as_str() == text)
    }

    /// The kind of item the mode lists; the sandbox lists none.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Mode::Sandbox => None,
            Mode::Lesson => Some(Kind::Lesson),
            Mode::Drill => Some(Kind::Drill),
            Mode::Interview => Some(Kind::Interview),
        }
    }

    pub fn of_kind(kind: Kind) -> Mode {
        match kind {
            Kind::Lesson => Mode::Lesson,
            Kind::Drill => Mode::Drill,
            Kind::Interview => Mode::Interview,
        }
    }
}

/// What was done to the machine since it started, in order: the lines typed (read back from the
/// engine's history, plus `answer …` lines, which never reach the engine) and files saved by a demo.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    /// The machine's [`marker`] when it was last looked at.
    seen: (usize, usize),
    entries: Vec<Entry>,
    /// The marker and the entry count after each observed change, to rewind after an undo.
    marks: Vec<((usize, usize), usize)>,
}

impl Journal {
    /// A journal for a machine that starts now (its setup's own commands are not the learner's).
    pub fn start(machine: &Machine) -> Journal {
        let seen = marker(machine);
        Journal { seen, entries: Vec::new(), marks: vec![(seen, 0)] }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Catches up with the terminal after a command (or an undo, which rewinds the journal too).
    pub fn observe(&mut self, terminal: &Terminal) {
        let now = marker(terminal.machine());
        if now == self.seen {
            return;
        }
        if now.0 < self.seen.0 || now.1 < self.seen.1 {
            let kept = self.marks.iter().rev().find(|(mark, _)| *mark == now).map_or(0, |(_, count)| *count);
            self.entries.truncate(kept);
            self.marks.retain(|(_, count)| *count <= kept);
            self.seen = now;
            return;
        }
        let history = terminal.engine().history();
        if now.0 > self.seen.0 {
            let new = history.get(self.seen.0..now.0).unwrap_or_default();
            self.entries.extend(new.iter().cloned().map(Entry::Line));
        } else if let Some(typed) = terminal.lines().iter().rev().find(|line| line.kind == LineKind::Input) {
            // The session counted a line the engine did not: an answer to the step's question.
            if typed.text.trim_start().starts_with("answer") {
                self.entries.push(Entry::Line(typed.text.clone()));
            }
        }
        self.seen = now;
        self.marks.push((now, self.entries.len()));
    }

    /// A file saved outside the terminal (a demo's `write` step).
    pub fn note_write(&mut self, path: &str, text: &str) {
        self.entries.push(Entry::Write { write: path.to_string(), text: text.to_string() });
    }

    /// The session as a replay: the sandbox's seed or the item's id, and what was done.
    pub fn replay(&self, seed: u64, item: Option<&str>) -> Replay {
        Replay { v: SHARE_VERSION, seed, item: item.map(str::to_string), files: Default::default(), commands: self.entries.clone() }
    }
}

/// Saves a file into the machine as the editor would: in an item, the goals see it at once.
pub fn save_file(machine: &mut Machine, path: &str, text: &str) -> Result<(), String> {
    match machine {
        Machine::Item(session) => session.write_file(path, text).map(|_| ()),
        Machine::Sandbox(engine) => {
            if let Some((dir, _)) = path.rsplit_once('/') {
                if !dir.is_empty() {
                    engine.make_dirs(dir);
                }
            }
            engine.write_file(path, text)
        }
    }
}

/// The machine a replay starts from: the item's setup, or a fresh sandbox with the seed.
pub fn starting_machine(replay: &Replay, item: Option<&Item>) -> Result<Machine, String> {
    match (&replay.item, item) {
        (None, _) => Ok(Machine::Sandbox(engine::Engine::new(replay.seed))),
        (Some(_), Some(item)) => Session::start(item).map(|session| Machine::Item(Box::new(session))).map_err(|e| e.to_string()),
        (Some(id), None) => Err(format!("whalebox: no lesson, drill or interview item named \"{id}\"")),
    }
}

/// Types a replay's lines into `terminal` (already on its starting machine), so the screen shows
/// what the original session showed.
pub fn play(terminal: &mut Terminal, replay: &Replay, journal: &mut Journal) {
    for (path, text) in &replay.files {
        if let Err(why) = save_file(terminal.machine_mut(), path, text) {
            terminal.say(LineKind::Stderr, &format!("whalebox: cannot restore {path}: {why}"));
        }
    }
    for entry in &replay.commands {
        match entry {
            Entry::Line(line) => {
                // A here-document was typed line by line, each echoed after its own prompt.
                for part in line.split('\n') {
                    terminal.submit(part);
                }
                journal.observe(terminal);
            }
            Entry::Write { write, text } => {
                match save_file(terminal.machine_mut(), write, text) {
                    Ok(()) => journal.note_write(write, text),
                    Err(why) => terminal.say(LineKind::Stderr, &format!("whalebox: cannot restore {write}: {why}")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Line;

    fn screen(terminal: &Terminal) -> Vec<String> {
        terminal.lines().iter().map(Line::full_text).collect()
    }

    #[test]
    fn modes_spell_their_contract() {
        assert_eq!(Mode::ALL.map(Mode::as_str), ["sandbox", "lesson", "drill", "interview"]);
        assert_eq!(Mode::parse("drill"), Some(Mode::Drill));
        assert_eq!(Mode::of_kind(Kind::Interview).kind(), Some(Kind::Interview));
        assert_eq!(Mode::Sandbox.kind(), None);
    }

    #[test]
    fn a_replayed_sandbox_shows_the_same_screen() {
        let mut original = Terminal::new(5);
        let mut journal = Journal::start(original.machine());
        for line in ["docker run -d --name web nginx:alpine", "docker ps", "cat > notes.txt <<EOF", "hello", "EOF", "cat notes.txt", "docker inspect --format '{{.Id}}' web"] {
            original.submit(line);
            journal.observe(&original);
        }
        save_file(original.machine_mut(), "/home/learner/app/Dockerfile", "FROM alpine\n").unwrap();
        journal.note_write("/home/learner/app/Dockerfile", "FROM alpine\n");
        original.submit("docker build -t mine app");
        journal.observe(&original);
        let replay = journal.replay(5, None);
        assert_eq!(replay.commands.len(), 7);

        let mut copy = Terminal::with_machine(starting_machine(&replay, None).unwrap());
        let mut copy_journal = Journal::start(copy.machine());
        play(&mut copy, &replay, &mut copy_journal);
        assert_eq!(screen(&copy), screen(&original));
        assert_eq!(copy_journal.entries(), journal.entries());
    }

    #[test]
    fn the_journal_rewinds_with_an_undo() {
        let mut terminal = Terminal::new(1);
        let mut journal = Journal::start(terminal.machine());
        let mut undo = crate::undo::UndoStack::default();
        undo.reset(terminal.machine());
        for line in ["echo one", "echo two"] {
            terminal.submit(line);
            journal.observe(&terminal);
            undo.observe(terminal.machine());
        }
        terminal.replace_machine(undo.undo().unwrap());
        journal.observe(&terminal);
        assert_eq!(journal.entries(), [Entry::Line("echo one".into())]);
        terminal.submit("echo three");
        journal.observe(&terminal);
        assert_eq!(journal.entries(), [Entry::Line("echo one".into()), Entry::Line("echo three".into())]);
    }

    #[test]
    fn items_replay_with_their_answers() {
        let catalog = lessons::Catalog::embedded().unwrap();
        let item = catalog.items.iter().find(|item| item.steps.iter().any(|step| step.question.is_some())).unwrap();
        let mut terminal = Terminal::with_machine(Machine::Item(Box::new(Session::start(item).unwrap())));
        let mut journal = Journal::start(terminal.machine());
        for step in &item.steps {
            for action in &step.solution {
                match action {
                    lessons::Action::Command(line) | lessons::Action::Expect { run: line, .. } => {
                        for part in line.split('\n') {
                            terminal.submit(part);
                        }
                    }
                    lessons::Action::Answer { answer } => {
                        terminal.submit(&format!("answer {answer}"));
                    }
                    lessons::Action::Write { write, text } => {
                        let path = lessons::goal::from_home(write);
                        journal.observe(&terminal);
                        save_file(terminal.machine_mut(), &path, text).unwrap();
                        journal.note_write(&path, text);
                    }
                }
                journal.observe(&terminal);
            }
        }
        let done = terminal.machine().session().unwrap().is_complete();
        assert!(journal.entries().iter().any(|entry| matches!(entry, Entry::Line(line) if line.starts_with("answer"))));
        let replay = journal.replay(1, Some(&item.id));
        let mut copy = Terminal::with_machine(starting_machine(&replay, Some(item)).unwrap());
        let mut copy_journal = Journal::start(copy.machine());
        play(&mut copy, &replay, &mut copy_journal);
        assert_eq!(copy.machine().session().unwrap().is_complete(), done);
        assert_eq!(copy.machine().session().unwrap().step(), terminal.machine().session().unwrap().step());
        assert_eq!(screen(&copy), screen(&terminal));
        assert!(starting_machine(&Replay { item: Some("nope".into()), ..replay }, None).is_err());
    }
}
