//! What the learner has done, as kept in the browser's localStorage: completed items with their
//! best score, and the session in progress (as a replay, so it is small and survives engine
//! changes that a raw snapshot would not). Versioned; older layouts are migrated, and data that
//! cannot be read is handed back to be kept aside, never silently dropped.
//!
//! Pure: the page's storage calls live in `components::lesson_panel`, this only reads and writes text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::share::Replay;

/// The current layout.
pub const SCHEMA: u32 = 1;
/// The localStorage key the progress lives under.
pub const STORAGE_KEY: &str = "whalebox.progress";
/// Where unreadable progress is moved, so the learner (or a bug report) can still get it back.
pub const QUARANTINE_KEY: &str = "whalebox.progress.unreadable";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub schema: u32,
    /// Items finished, by id.
    #[serde(default)]
    pub completed: BTreeMap<String, Completion>,
    /// The mode last shown (`sandbox`, `lesson`, `drill`, `interview`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// The session in progress: an item or the sandbox, replayed on the next visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Replay>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress { schema: SCHEMA, completed: BTreeMap::new(), mode: None, current: None }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// A drill's best score out of 1000; lessons and interviews have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_score: Option<u32>,
    /// When it was first finished, in milliseconds since the Unix epoch (0: unknown).
    pub finished_at: f64,
}

/// Version 0, the layout before schemas (documented so its migration can be tested):
/// `{ "done": ["first-commands", …], "scores": { "slow-builds": 850 } }` — ids finished, and
/// drills' best scores (a scored id counts as finished even when `done` misses it).
#[derive(Debug, Deserialize)]
struct ProgressV0 {
    #[serde(default)]
    done: Vec<String>,
    #[serde(default)]
    scores: BTreeMap<String, u32>,
}

fn migrate_v0(old: ProgressV0) -> Progress {
    let mut progress = Progress::default();
    for id in old.done.iter().chain(old.scores.keys()) {
        progress.completed.insert(id.clone(), Completion { best_score: old.scores.get(id).copied(), finished_at: 0.0 });
    }
    progress
}

impl Progress {
    /// Records a finished item, keeping the best score and the first finish time.
    pub fn complete(&mut self, id: &str, score: Option<u32>, now_ms: f64) {
        let entry = self.completed.entry(id.to_string()).or_insert(Completion { best_score: None, finished_at: now_ms });
        entry.best_score = match (entry.best_score, score) {
            (Some(old), Some(new)) => Some(old.max(new)),
            (old, new) => old.or(new),
        };
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serializing cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads any layout this page knows, migrating old ones; the error says what is wrong.
    pub fn parse(text: &str) -> Result<Progress, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
        let Some(object) = value.as_object() else {
            return Err("it is not a JSON object".into());
        };
        match object.get("schema") {
            None if object.contains_key("done") || object.contains_key("scores") => {
                let old: ProgressV0 = serde_json::from_value(value).map_err(|e| format!("it looks like an older Whalebox's progress but does not read as one ({e})"))?;
                Ok(migrate_v0(old))
            }
            None => Err("it has no \"schema\" field, so it is not Whalebox progress".into()),
            Some(schema) => match schema.as_u64() {
                Some(1) => serde_json::from_value(value).map_err(|e| format!("it does not read as progress version 1 ({e})")),
                Some(newer) if newer > u64::from(SCHEMA) => Err(format!("it was saved by a newer Whalebox (schema {newer}; this page reads up to {SCHEMA})")),
                _ => Err(format!("its schema {schema} is not one Whalebox ever wrote")),
            },
        }
    }
}

/// What loading the stored text came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub progress: Progress,
    /// Said to the learner: what happened to their saved progress.
    pub notice: Option<String>,
    /// Text to keep under [`QUARANTINE_KEY`], because it could not be read.
    pub quarantine: Option<String>,
}

/// Reads what localStorage held (`None`: nothing saved yet).
pub fn load(stored: Option<&str>) -> Loaded {
    let Some(text) = stored.filter(|t| !t.trim().is_empty()) else {
        return Loaded { progress: Progress::default(), notice: None, quarantine: None };
    };
    match Progress::parse(text) {
        Ok(progress) => Loaded { progress, notice: None, quarantine: None },
        Err(why) => Loaded {
            progress: Progress::default(),
            notice: Some(format!("Your saved progress could not be read: {why}. It was kept aside in this browser's storage under \"{QUARANTINE_KEY}\" and you start afresh; importing an exported file brings progress back.")),
            quarantine: Some(text.to_string()),
        },
    }
}

/// Reads an exported file the learner chose, for the import button.
pub fn import(text: &str) -> Result<Progress, String> {
    Progress::parse(text).map_err(|why| format!("That file cannot be imported: {why}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_the_best_score() {
        let mut progress = Progress::default();
        progress.complete("slow-builds", Some(700), 10.0);
        progress.complete("slow-builds", Some(650), 20.0);
        progress.complete("first-commands", None, 30.0);
        progress.current = Some(Replay::sandbox(1, vec!["docker ps".into()]));
        let back = Progress::parse(&progress.to_json()).unwrap();
        assert_eq!(back, progress);
        assert_eq!(back.completed["slow-builds"], Completion { best_score: Some(700), finished_at: 10.0 });
    }

    #[test]
    fn migrates_the_schemaless_layout() {
        let loaded = load(Some(r#"{"done":["first-commands","slow-builds"],"scores":{"slow-builds":850,"crash-loop":400}}"#));
        assert_eq!(loaded.notice, None);
        let completed = &loaded.progress.completed;
        assert_eq!(completed.keys().collect::<Vec<_>>(), ["crash-loop", "first-commands", "slow-builds"]);
        assert_eq!(completed["slow-builds"].best_score, Some(850));
        assert_eq!(completed["first-commands"].best_score, None);
        assert_eq!(loaded.progress.schema, SCHEMA);
    }

    #[test]
    fn unreadable_data_is_kept_aside_with_a_notice() {
        for bad in ["{not json", "[1,2]", r#"{"theme":"dark"}"#, r#"{"schema":7,"completed":{}}"#, r#"{"schema":1,"completed":5}"#] {
            let loaded = load(Some(bad));
            assert_eq!(loaded.progress, Progress::default(), "{bad}");
            assert_eq!(loaded.quarantine.as_deref(), Some(bad));
            let notice = loaded.notice.unwrap();
            assert!(notice.contains(QUARANTINE_KEY), "{notice}");
        }
        assert!(load(Some(r#"{"schema":7}"#)).notice.unwrap().contains("newer Whalebox"));
        assert_eq!(load(None).notice, None);
    }

    #[test]
    fn imports_are_validated_with_a_reason() {
        assert!(import("hello").unwrap_err().starts_with("That file cannot be imported: it is not JSON"));
        assert!(import(r#"{"schema":1,"completed":{"x":{"finished_at":"soon"}}}"#).unwrap_err().contains("version 1"));
        let progress = import(r#"{"schema":1,"completed":{"x":{"finished_at":1}}}"#).unwrap();
        assert!(progress.completed.contains_key("x"));
    }
}
