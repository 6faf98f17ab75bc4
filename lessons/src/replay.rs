//! Proving an item works: its setup fails every step's goal, each listed wrong answer fails the
//! goal and earns its own feedback, the reference solution passes, and an interview's model
//! answer names every key point.

use crate::item::{Item, Kind};
use crate::session::Session;

/// Replays an item on a fresh machine; returns every problem found (empty: the item is sound).
pub fn replay(item: &Item) -> Vec<String> {
    let mut problems = Vec::new();
    let mut session = match Session::start(item) {
        Ok(session) => session,
        Err(error) => return vec![error.to_string()],
    };
    for (index, step) in item.steps.iter().enumerate() {
        let number = index + 1;
        if session.step() != index || session.progress().met() {
            problems.push(format!("step {number}: its goal already holds before its solution ({})", step.goal.describe()));
            return problems;
        }
        for (w, wrong) in step.wrong.iter().enumerate() {
            let mut attempt = session.clone();
            let mut last = None;
            for action in &wrong.actions {
                last = Some(attempt.act(action));
            }
            if attempt.step() != index {
                problems.push(format!("step {number}: wrong answer {} passes the goal", w + 1));
                continue;
            }
            match last.and_then(|turn| turn.feedback) {
                Some(feedback) if feedback == wrong.feedback => {}
                Some(other) => problems.push(format!("step {number}: wrong answer {} earns another answer's feedback: {other}", w + 1)),
                None => problems.push(format!(
                    "step {number}: wrong answer {} is not recognised (its `when` does not hold: {})",
                    w + 1,
                    wrong.when.describe()
                )),
            }
        }
        let mut transcript = Vec::new();
        for action in &step.solution {
            let turn = session.act(action);
            transcript.push(format!("{action:?} -> {}", turn.outcome.exit_code));
            if session.step() > index {
                break;
            }
        }
        if session.step() <= index {
            problems.push(format!(
                "step {number}: the reference solution does not pass; still missing: {}\n  ran: {}",
                session.progress().missing.join("; "),
                transcript.join("\n       ")
            ));
            return problems;
        }
    }
    if item.kind == Kind::Interview {
        if let Some(interview) = &item.interview {
            let grade = crate::interview::grade(interview, &interview.model_answer);
            for missed in grade.missed {
                problems.push(format!("the model answer does not name key point \"{}\"", missed.point));
            }
        }
    }
    problems
}
