//! Reading items and the guides' index from TOML, with errors that name the file, the line and
//! what is wrong — a malformed item never loads half-way.

use crate::coverage::Guides;
use crate::goal::Goal;
use crate::item::{Action, Item, Kind};
use crate::size::parse_size;
use regex_lite::Regex;
use std::collections::BTreeSet;
use std::fmt;

/// What is wrong with one content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    /// 1-based; 0 when the problem is not on one line.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for LoadError {}

#[cfg(feature = "toml")]
/// Parses one item file (`lessons/cache-order.toml`, relative to the content directory).
pub fn parse_item(file: &str, text: &str) -> Result<Item, LoadError> {
    let item: Item = toml::from_str(text).map_err(|error| {
        let line = error.span().map_or(0, |span| line_at(text, span.start));
        LoadError { file: file.to_string(), line, message: error.message().trim().to_string() }
    })?;
    Ok(item)
}

/// Checks what TOML cannot: names against the file's place, patterns, sizes, guide references,
/// and that each kind has what it needs.
pub fn validate(file: &str, text: &str, item: &Item, guides: &Guides) -> Vec<LoadError> {
    let mut errors = Vec::new();
    let mut fail = |needle: &str, message: String| {
        errors.push(LoadError { file: file.to_string(), line: find_line(text, needle), message });
    };
    let slug = file.rsplit('/').next().unwrap_or(file).trim_end_matches(".toml");
    if item.id != slug {
        fail("id", format!("id \"{}\" does not match the file name \"{slug}.toml\"", item.id));
    }
    let track = file.split('/').next().unwrap_or("");
    if file.contains('/') && track != item.kind.track() {
        fail("kind", format!("a {} belongs in {}/, not {track}/", item.kind.as_str(), item.kind.track()));
    }
    if !item.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') || item.id.is_empty() {
        fail("id", format!("id \"{}\" must be lowercase letters, digits and dashes", item.id));
    }
    if item.title.trim().is_empty() {
        fail("title", "title is empty".into());
    }
    if item.concept.trim().is_empty() {
        fail("concept", "concept is empty".into());
    }
    if item.steps.is_empty() {
        fail("[[steps]]", "an item needs at least one step".into());
    }
    match item.kind {
        Kind::Drill if item.drill.is_none() => fail("kind", "a drill needs a [drill] table (symptom, par_minutes, debrief)".into()),
        Kind::Interview if item.interview.is_none() => fail("kind", "an interview item needs an [interview] table (question, model_answer, key_points)".into()),
        _ => {}
    }
    if item.kind != Kind::Drill && item.drill.is_some() {
        fail("[drill]", format!("only drills have a [drill] table, this is a {}", item.kind.as_str()));
    }
    if item.kind != Kind::Interview && item.interview.is_some() {
        fail("[interview]", format!("only interview items have an [interview] table, this is a {}", item.kind.as_str()));
    }
    if item.covers.is_empty() && item.answers.is_empty() {
        fail("covers", "an item must cover at least one guide section (covers) or question (answers)".into());
    }
    for covered in &item.covers {
        if !guides.has_section(&covered.guide, &covered.section) {
            fail(&covered.section, format!("guide {} has no section \"{}\" (see guides.toml)", covered.guide, covered.section));
        }
    }
    for answered in &item.answers {
        if !guides.has_question(&answered.guide, &answered.question) {
            fail(&answered.question, format!("guide {} has no question \"{}\" (see guides.toml)", answered.guide, answered.question));
        }
    }
    for (index, step) in item.steps.iter().enumerate() {
        let number = index + 1;
        let anchor = step.instruction.lines().next().unwrap_or("instruction").to_string();
        if step.hints.is_empty() {
            fail(&anchor, format!("step {number} has no hints"));
        }
        if step.solution.is_empty() {
            fail(&anchor, format!("step {number} has no solution"));
        }
        let mut goals: Vec<&Goal> = vec![&step.goal];
        goals.extend(step.wrong.iter().map(|wrong| &wrong.when));
        for goal in goals {
            for pattern in goal.patterns() {
                if let Err(error) = Regex::new(&format!("(?i){pattern}")) {
                    fail(pattern, format!("step {number}: pattern /{pattern}/ does not compile: {error}"));
                }
            }
            for size in goal.sizes() {
                if parse_size(size).is_none() {
                    fail(size, format!("step {number}: \"{size}\" is not a size (use e.g. 200MB, 256m)"));
                }
            }
            if uses_answer(goal) && step.question.is_none() {
                fail(&anchor, format!("step {number} checks an answer but asks no question"));
            }
        }
        let answers_in_solution = step.solution.iter().any(|action| matches!(action, Action::Answer { .. }));
        if answers_in_solution && step.question.is_none() {
            fail(&anchor, format!("step {number}'s solution answers, but the step asks no question"));
        }
        for wrong in &step.wrong {
            if wrong.actions.is_empty() {
                fail(&wrong.feedback, format!("step {number}: a wrong answer lists no actions"));
            }
        }
    }
    if let Some(interview) = &item.interview {
        if interview.key_points.is_empty() {
            fail("key_points", "an interview item needs key points".into());
        }
        for point in &interview.key_points {
            for phrase in &point.phrases {
                if let Err(error) = Regex::new(&format!("(?i){phrase}")) {
                    fail(phrase, format!("key point phrase /{phrase}/ does not compile: {error}"));
                }
            }
        }
    }
    errors
}

fn uses_answer(goal: &Goal) -> bool {
    match goal {
        Goal::Answered(_) => true,
        Goal::All(goals) | Goal::Any(goals) => goals.iter().any(uses_answer),
        Goal::Not(goal) => uses_answer(goal),
        _ => false,
    }
}

/// Items whose IDs clash, as errors on the later file.
pub fn duplicate_ids(items: &[(String, Item)]) -> Vec<LoadError> {
    let mut seen = BTreeSet::new();
    items
        .iter()
        .filter(|(_, item)| !seen.insert(item.id.clone()))
        .map(|(file, item)| LoadError { file: file.clone(), line: 0, message: format!("id \"{}\" is used by another item", item.id) })
        .collect()
}

#[cfg(feature = "toml")]
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The first line mentioning `needle` (the best place to point at), or 0.
fn find_line(text: &str, needle: &str) -> usize {
    let needle = needle.lines().next().unwrap_or(needle).trim();
    if needle.is_empty() {
        return 0;
    }
    text.lines().position(|line| line.contains(needle)).map_or(0, |index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_the_line() {
        let error = parse_item("lessons/x.toml", "id = \"x\"\ntitle = \"t\"\nkind = \"lesson\nlevel = 1\n").unwrap_err();
        assert_eq!(error.file, "lessons/x.toml");
        assert_eq!(error.line, 3, "{error}");
    }

    #[test]
    fn unknown_fields_and_bad_goals_are_rejected_with_their_line() {
        let text = "id = \"x\"\ntitle = \"t\"\nkind = \"lesson\"\nlevel = \"beginner\"\nminutes = 5\nconcept = \"c\"\n\n[[steps]]\ninstruction = \"i\"\ngoal = { container_is = \"web\" }\nhints = [\"h\"]\nsolution = [\"true\"]\n";
        let error = parse_item("lessons/x.toml", text).unwrap_err();
        assert_eq!(error.line, 10, "{error}");
        assert!(error.message.contains("container_is"), "{error}");
        let typo = text.replace("minutes = 5", "minutes = 5\nminute = 3");
        let error = parse_item("lessons/x.toml", &typo).unwrap_err();
        assert!(error.message.contains("minute"), "{error}");
        assert_eq!(error.line, 6, "{error}");
    }
}
