//! The data model of a lesson, drill or interview item, as read from `content/<track>/<slug>.toml`.

use crate::goal::Goal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One lesson, drill or interview item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub level: Level,
    /// Estimated minutes for a learner.
    pub minutes: u32,
    /// Guide sections this item teaches: `{ guide = "000_….txt", section = "heading" }`.
    #[serde(default)]
    pub covers: Vec<GuideSection>,
    /// Interview questions and FAQs of the guides this item answers (interview items).
    #[serde(default)]
    pub answers: Vec<GuideQuestion>,
    /// The idea behind the item, in Markdown, shown before the first step.
    pub concept: String,
    #[serde(default)]
    pub setup: Setup,
    pub steps: Vec<Step>,
    /// Drills only: the clock and the debrief.
    #[serde(default)]
    pub drill: Option<Drill>,
    /// Interview items only: the question and what a good answer says.
    #[serde(default)]
    pub interview: Option<Interview>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Lesson,
    Drill,
    Interview,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Lesson => "lesson",
            Kind::Drill => "drill",
            Kind::Interview => "interview",
        }
    }

    /// The content directory items of this kind live in.
    pub fn track(self) -> &'static str {
        match self {
            Kind::Lesson => "lessons",
            Kind::Drill => "drills",
            Kind::Interview => "interview",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideSection {
    pub guide: String,
    pub section: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideQuestion {
    pub guide: String,
    pub question: String,
}

/// What exists before the learner types anything.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The engine's seed (IDs and names); 1 when absent.
    #[serde(default)]
    pub seed: Option<u64>,
    /// World controls, applied before the files and commands.
    #[serde(default)]
    pub world: World,
    /// The learner's project files, by path relative to the home directory (or absolute).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Commands run before the learner arrives; a plain command must succeed (status 0).
    #[serde(default)]
    pub commands: Vec<Action>,
}

/// World controls a setup can ask for (`sim` commands, named).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    /// Let simulated time pass first (`14d`, `400d`): registry tags move on their dates.
    #[serde(default)]
    pub advance: Option<String>,
    /// Simulated time before each command (`0` for exact timing); the engine's default is 3s.
    #[serde(default)]
    pub think_time: Option<String>,
    /// Fill the host disk until this much is free (`200MB`, `0`), after the commands.
    #[serde(default)]
    pub disk_free: Option<String>,
    /// `stopped`: dockerd is down when the learner arrives, after the commands.
    #[serde(default)]
    pub daemon: Option<DaemonState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DaemonState {
    Running,
    Stopped,
}

/// Something done at the terminal or in the editor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Action {
    /// A line typed at the prompt (a here-document may span several lines).
    Command(String),
    /// A line whose exit status must be this one.
    Expect { run: String, status: i32 },
    /// A file saved from the editor.
    Write { write: String, text: String },
    /// An answer to the step's question (what the learner types after `answer`).
    Answer { answer: String },
}

/// One thing the learner is asked to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to do, in Markdown.
    pub instruction: String,
    /// A question answered with `answer TEXT` (checked by an `answered` goal).
    #[serde(default)]
    pub question: Option<Question>,
    pub goal: Goal,
    /// Progressive hints: each one gives a little more away.
    pub hints: Vec<String>,
    /// The reference solution, from the state the previous steps' solutions left.
    pub solution: Vec<Action>,
    /// What the step's solution shows, said after the goal is met (optional).
    #[serde(default)]
    pub explanation: Option<String>,
    /// Common wrong answers and the feedback each one earns.
    #[serde(default)]
    pub wrong: Vec<WrongAnswer>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub prompt: String,
    /// Numbered choices (`answer 2`), when it is a multiple-choice question.
    #[serde(default)]
    pub choices: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongAnswer {
    /// What a learner typically does instead.
    pub actions: Vec<Action>,
    /// Recognises this mistake in the session; its feedback is shown while the goal is unmet.
    pub when: Goal,
    pub feedback: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drill {
    /// What the learner is told, symptom first ("the API returns nothing since the deploy").
    pub symptom: String,
    /// Par time in minutes: finishing within it keeps the full time score.
    pub par_minutes: u32,
    pub debrief: Debrief,
}

/// What went wrong and how it is fixed, as an incident report says it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Debrief {
    pub root_cause: String,
    pub fix: String,
    /// How to keep it from happening again.
    #[serde(default)]
    pub prevention: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interview {
    pub question: String,
    /// A model answer, in our own words.
    pub model_answer: String,
    pub key_points: Vec<KeyPoint>,
}

/// Something a good answer names, recognised by any of its phrases.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPoint {
    pub point: String,
    /// Case-insensitive regular expressions; the point counts as named when one matches.
    pub phrases: Vec<String>,
}
