//! A learner working through one item: the engine, the record of what was typed, the current
//! step and its goal progress, hints taken — the same checker for the terminal, the browser and
//! the replay test.

use crate::goal::{Context, Progress};
use crate::item::{Action, DaemonState, Item, Kind};
use crate::record::Record;
use engine::{Engine, Outcome};

/// How long a live command (`logs -f`, an attached `up`) runs in setups and replays before Ctrl-C.
const LIVE_FOLLOW_MS: u64 = 30_000;

#[derive(Debug, Clone)]
pub struct Session {
    item: Item,
    engine: Engine,
    record: Record,
    /// Hints shown for the current step.
    hints_shown: usize,
    /// Hints shown over the whole item (a drill's score).
    hints_total: usize,
    /// Lines the learner typed (a drill's score).
    commands_typed: usize,
}

/// What one line did: the engine's outcome plus where the item stands after it.
#[derive(Debug, Clone)]
pub struct Turn {
    pub outcome: Outcome,
    /// Steps completed by this line (several when one line satisfies more than one).
    pub completed: Vec<usize>,
    /// The current step's goal progress after the line.
    pub progress: Progress,
    /// Targeted feedback when the line matches a known wrong answer.
    pub feedback: Option<String>,
}

/// A setup command that did not end as the item says it should.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{item}: setup command `{command}` exited {status}, expected {expected}:\n{output}")]
pub struct SetupError {
    pub item: String,
    pub command: String,
    pub status: i32,
    pub expected: i32,
    pub output: String,
}

impl Session {
    /// A fresh machine with the item's setup applied.
    pub fn start(item: &Item) -> Result<Session, SetupError> {
        let setup = &item.setup;
        let mut session = Session {
            item: item.clone(),
            engine: Engine::new(setup.seed.unwrap_or(1)),
            record: Record::default(),
            hints_shown: 0,
            hints_total: 0,
            commands_typed: 0,
        };
        if let Some(duration) = &setup.world.think_time {
            session.setup_line(&format!("sim think-time {duration}"), Some(0))?;
        }
        if let Some(duration) = &setup.world.advance {
            session.setup_line(&format!("sim advance {duration}"), Some(0))?;
        }
        for (path, text) in &setup.files {
            let path = &crate::goal::from_home(path);
            session.write_parents(path);
            if let Err(why) = session.engine.write_file(path, text) {
                return Err(session.setup_failure(&format!("write {path}"), 1, 0, why));
            }
        }
        for action in &setup.commands {
            match action {
                Action::Command(line) => session.setup_line(line, Some(0))?,
                Action::Expect { run, status } => session.setup_line(run, Some(*status))?,
                Action::Write { write, text } => {
                    let write = &crate::goal::from_home(write);
                    session.write_parents(write);
                    if let Err(why) = session.engine.write_file(write, text) {
                        return Err(session.setup_failure(&format!("write {write}"), 1, 0, why));
                    }
                }
                Action::Answer { answer } => return Err(session.setup_failure(&format!("answer {answer}"), 1, 0, "a setup cannot answer a question".into())),
            }
        }
        if let Some(free) = &setup.world.disk_free {
            session.setup_line(&format!("sim disk fill {free}"), Some(0))?;
        }
        if setup.world.daemon == Some(DaemonState::Stopped) {
            session.setup_line("sim daemon stop", Some(0))?;
        }
        // What the setup typed is not the learner's: goals about commands start empty.
        session.record = Record::default();
        Ok(session)
    }

    fn setup_line(&mut self, line: &str, expected: Option<i32>) -> Result<(), SetupError> {
        let outcome = self.run_to_end(line);
        match expected {
            Some(want) if outcome.exit_code != want => Err(self.setup_failure(line, outcome.exit_code, want, outcome.text())),
            _ => Ok(()),
        }
    }

    fn setup_failure(&self, command: &str, status: i32, expected: i32, output: String) -> SetupError {
        SetupError { item: self.item.id.clone(), command: command.to_string(), status, expected, output }
    }

    /// Files in setups may live in directories that do not exist yet.
    fn write_parents(&mut self, path: &str) {
        if let Some((dir, _)) = path.rsplit_once('/') {
            if !dir.is_empty() {
                self.engine.make_dirs(dir);
            }
        }
    }

    /// Runs a line as a script would: a live command is followed for a while and then interrupted,
    /// a `[y/N]` question is answered no.
    fn run_to_end(&mut self, line: &str) -> Outcome {
        let mut outcome = self.engine.run(line);
        self.record.note(line, &outcome);
        if self.engine.is_live() {
            let more = self.engine.tick(LIVE_FOLLOW_MS);
            let end = self.engine.interrupt();
            self.record.note_more(&more);
            self.record.note_more(&end);
            outcome.output.extend(more.output.into_iter().chain(end.output));
            outcome.events.extend(more.events.into_iter().chain(end.events));
        }
        if self.engine.is_asking() {
            self.engine.run("n");
        }
        outcome
    }

    pub fn item(&self) -> &Item {
        &self.item
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The engine, for a terminal that drives live commands itself (`tick`, `interrupt`).
    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// The step the learner is on; equal to the number of steps once the item is complete.
    pub fn step(&self) -> usize {
        self.record.step
    }

    pub fn is_complete(&self) -> bool {
        self.record.step >= self.item.steps.len()
    }

    pub fn hints_used(&self) -> usize {
        self.hints_total
    }

    pub fn commands_typed(&self) -> usize {
        self.commands_typed
    }

    /// Runs one line the learner typed (`answer …` answers the current step's question).
    pub fn type_line(&mut self, line: &str) -> Turn {
        self.commands_typed += 1;
        let outcome = match self.answer_text(line) {
            Some(answer) => {
                self.record.answers.push((self.record.step, answer.to_string()));
                let mut outcome = Outcome::default();
                outcome.output.push(engine::OutputLine { stream: engine::Stream::Stdout, text: format!("Answer recorded: {answer}") });
                outcome
            }
            None => {
                let outcome = self.engine.run(line);
                self.record.note(line, &outcome);
                outcome
            }
        };
        self.after(outcome)
    }

    /// Output a live command printed later (the terminal's `tick`/`interrupt`), checked like a line.
    pub fn live_output(&mut self, outcome: Outcome) -> Turn {
        self.record.note_more(&outcome);
        self.after(outcome)
    }

    /// Saves a file from the editor, then checks the goals.
    pub fn write_file(&mut self, path: &str, text: &str) -> Result<Turn, String> {
        self.write_parents(path);
        self.engine.write_file(path, text)?;
        Ok(self.after(Outcome::default()))
    }

    fn answer_text<'a>(&self, line: &'a str) -> Option<&'a str> {
        let rest = line.trim_start().strip_prefix("answer")?;
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let question_open = self.item.steps.get(self.record.step).is_some_and(|step| step.question.is_some());
        question_open.then(|| rest.trim())
    }

    /// Does an action as the learner would; a live command is followed and interrupted.
    pub fn act(&mut self, action: &Action) -> Turn {
        match action {
            Action::Command(line) | Action::Expect { run: line, .. } => {
                if self.answer_text(line).is_some() {
                    return self.type_line(line);
                }
                self.commands_typed += 1;
                let outcome = self.run_to_end(line);
                self.after(outcome)
            }
            Action::Write { write, text } => self.write_file(&crate::goal::from_home(write), text).unwrap_or_else(|why| {
                let mut outcome = Outcome::default();
                outcome.output.push(engine::OutputLine { stream: engine::Stream::Stderr, text: why });
                outcome.exit_code = 1;
                self.after(outcome)
            }),
            Action::Answer { answer } => self.type_line(&format!("answer {answer}")),
        }
    }

    /// Checks goals after something happened: completed steps move the learner on.
    fn after(&mut self, outcome: Outcome) -> Turn {
        let mut completed = Vec::new();
        while !self.is_complete() && self.progress().met() {
            completed.push(self.record.step);
            self.record.step += 1;
            self.hints_shown = 0;
        }
        let progress = self.progress();
        let feedback = if progress.met() { None } else { self.feedback() };
        Turn { outcome, completed, progress, feedback }
    }

    /// The current step's goal progress (met once the item is complete).
    pub fn progress(&self) -> Progress {
        match self.item.steps.get(self.record.step) {
            Some(step) => step.goal.check(&Context { engine: &self.engine, record: &self.record }),
            None => Progress::default(),
        }
    }

    /// Feedback for a known wrong answer the session shows, if any.
    pub fn feedback(&self) -> Option<String> {
        let step = self.item.steps.get(self.record.step)?;
        let context = Context { engine: &self.engine, record: &self.record };
        step.wrong.iter().find(|wrong| wrong.when.holds(&context)).map(|wrong| wrong.feedback.clone())
    }

    /// The next hint for the current step, with what is still missing; `None` when none are left.
    pub fn hint(&mut self) -> Option<Hint> {
        let step = self.item.steps.get(self.record.step)?;
        let text = step.hints.get(self.hints_shown)?.clone();
        self.hints_shown += 1;
        self.hints_total += 1;
        Some(Hint { number: self.hints_shown, of: step.hints.len(), text, missing: self.progress().missing })
    }

    /// A drill's score for finishing in `elapsed_seconds` of real time.
    pub fn score(&self, elapsed_seconds: u64) -> crate::score::Score {
        let par = self.item.drill.as_ref().map_or(10, |drill| drill.par_minutes);
        crate::score::Score::compute(par, elapsed_seconds, self.hints_total, self.commands_typed, self.is_complete())
    }

    /// Whether this is a drill, lesson or interview item.
    pub fn kind(&self) -> Kind {
        self.item.kind
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub number: usize,
    pub of: usize,
    pub text: String,
    pub missing: Vec<String>,
}
