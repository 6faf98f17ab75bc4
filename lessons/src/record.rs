//! What happened during a session that goals read besides the machine's state: the lines typed,
//! what they printed, answers given, and the last build's steps.

use engine::{Event, Outcome, Verdict};

/// The session's history, kept by [`crate::Session`].
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub commands: Vec<Typed>,
    /// Answers typed (`answer …`), with the step they answered.
    pub answers: Vec<(usize, String)>,
    pub last_build: Option<BuildRecord>,
    /// The step the learner is on.
    pub step: usize,
}

/// One line typed at the prompt and what it printed.
#[derive(Debug, Clone)]
pub struct Typed {
    pub line: String,
    pub step: usize,
    pub status: i32,
    pub output: String,
}

/// A `docker build` (or `compose build`/`up --build`): its cacheable steps and result.
#[derive(Debug, Clone, Default)]
pub struct BuildRecord {
    pub steps: Vec<BuildStep>,
    pub succeeded: bool,
    pub output: String,
    /// Bytes of build context sent, from `transferring context: …` after `load build context`.
    pub context_bytes: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct BuildStep {
    pub instruction: String,
    pub cached: bool,
    /// Why it ran (empty when cached).
    pub reason: String,
}

impl Record {
    /// Notes a line typed and what it did.
    pub fn note(&mut self, line: &str, outcome: &Outcome) {
        let output = outcome.text();
        if is_build(line, outcome) {
            self.last_build = Some(BuildRecord::from_outcome(outcome, &output));
        }
        self.commands.push(Typed { line: line.to_string(), step: self.step, status: outcome.exit_code, output });
    }

    /// Adds output a live command printed later (`tick`, `interrupt`) to the last line typed.
    pub fn note_more(&mut self, outcome: &Outcome) {
        if let Some(last) = self.commands.last_mut() {
            last.output.push_str(&outcome.text());
        }
    }
}

fn is_build(line: &str, outcome: &Outcome) -> bool {
    let typed_build = line.split_whitespace().collect::<Vec<_>>().windows(2).any(|pair| pair == ["docker", "build"] || pair == ["buildx", "build"]);
    typed_build || outcome.events.iter().any(|event| matches!(event, Event::BuildStep { .. }))
}

impl BuildRecord {
    fn from_outcome(outcome: &Outcome, output: &str) -> BuildRecord {
        let steps = outcome
            .events
            .iter()
            .filter_map(|event| match event {
                Event::BuildStep { instruction, verdict, .. } => Some(BuildStep {
                    instruction: instruction.clone(),
                    cached: *verdict == Verdict::Cached,
                    reason: match verdict {
                        Verdict::Cached => String::new(),
                        Verdict::Miss(why) => why.clone(),
                    },
                }),
                _ => None,
            })
            .collect();
        let succeeded = outcome.exit_code == 0 && outcome.events.iter().any(|event| matches!(event, Event::ImageBuilt { .. }));
        BuildRecord { steps, succeeded, output: output.to_string(), context_bytes: context_size(output) }
    }
}

/// The size on the `transferring context:` line that follows `load build context`.
fn context_size(output: &str) -> Option<u64> {
    let mut after_context = false;
    let mut size = None;
    for line in output.lines() {
        if line.contains("load build context") {
            after_context = true;
        } else if after_context && line.contains("transferring context:") {
            let text = line.split("transferring context:").nth(1)?.split_whitespace().next()?;
            size = crate::size::parse_size(text);
            after_context = false;
        }
    }
    size
}
