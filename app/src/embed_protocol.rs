//! The postMessage API of embed mode, as plain data: which messages a parent page may send, and
//! the answers, computed on a [`Terminal`]. `embed.rs` only moves these between windows, so
//! everything here is tested natively.
//!
//! Parent → frame: `{type: "whalebox:run", id, command}` and `{type: "whalebox:goal-status", id}`.
//! Frame → parent: `{type: "whalebox:ready", itemId}` once, `{type: "whalebox:result", id,
//! exitCode, output}`, `{type: "whalebox:goal-status", id, itemId, step, steps, complete,
//! missing}`, and `{type: "whalebox:error", id, message}` for a well-formed request it cannot
//! serve yet. Anything else is ignored: a page receives messages from extensions and other
//! frames too, and none of them may make the simulator do something or panic.

use serde_json::{json, Value};

use crate::state::{LineKind, Terminal};

/// A command longer than this is refused: nobody types it, and it would only cost time.
pub const MAX_COMMAND_CHARS: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Type `command` (several lines for a here-document) and report what it printed.
    Run { id: Value, command: String },
    /// Report where the item's goals stand.
    GoalStatus { id: Value },
}

impl Request {
    pub fn id(&self) -> &Value {
        match self {
            Request::Run { id, .. } | Request::GoalStatus { id } => id,
        }
    }
}

/// Reads a message; `None` for anything that is not exactly one of the requests.
pub fn parse(data: &Value) -> Option<Request> {
    let object = data.as_object()?;
    // The id is echoed back so the parent can match answers to questions: a string or a number.
    let id = object.get("id").filter(|id| id.is_string() || id.is_number())?.clone();
    match object.get("type")?.as_str()? {
        "whalebox:run" => {
            let command = object.get("command")?.as_str()?;
            (command.chars().count() <= MAX_COMMAND_CHARS).then(|| Request::Run { id, command: command.to_string() })
        }
        "whalebox:goal-status" => Some(Request::GoalStatus { id }),
        _ => None,
    }
}

/// Answers a request on `terminal`: the command runs as if typed, so it shows in the frame too.
pub fn answer(request: &Request, terminal: &mut Terminal) -> Value {
    match request {
        Request::Run { id, command } => run(id, command, terminal),
        Request::GoalStatus { id } => goal_status(id, terminal),
    }
}

fn run(id: &Value, command: &str, terminal: &mut Terminal) -> Value {
    if terminal.is_live() {
        return error(id, "a command is still running in the frame (docker logs -f, stats…): send Ctrl+C there first");
    }
    let first_new = terminal.lines().last().map_or(0, |line| line.id + 1);
    let mut exit_code = 0;
    // Each line is typed in turn, so a here-document sent in one message works as typed.
    for line in command.split('\n') {
        exit_code = terminal.submit(line.strip_suffix('\r').unwrap_or(line));
    }
    let output: Vec<&str> = terminal
        .lines()
        .iter()
        .filter(|line| line.id >= first_new && line.kind != LineKind::Input)
        .map(|line| line.text.as_str())
        .collect();
    json!({ "type": "whalebox:result", "id": id, "exitCode": exit_code, "output": output.join("\n") })
}

fn goal_status(id: &Value, terminal: &Terminal) -> Value {
    match terminal.machine().session() {
        Some(session) => json!({
            "type": "whalebox:goal-status",
            "id": id,
            "itemId": session.item().id,
            "step": session.step(),
            "steps": session.item().steps.len(),
            "complete": session.is_complete(),
            "missing": session.progress().missing,
        }),
        None => json!({
            "type": "whalebox:goal-status", "id": id, "itemId": Value::Null,
            "step": 0, "steps": 0, "complete": false, "missing": [],
        }),
    }
}

/// Sent once the item has started and commands can be sent.
pub fn ready(item_id: &str) -> Value {
    json!({ "type": "whalebox:ready", "itemId": item_id })
}

/// For a well-formed request the frame cannot serve (still loading, a command running).
pub fn error(id: &Value, message: &str) -> Value {
    json!({ "type": "whalebox:error", "id": id, "message": message })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;

    fn layer_cache_terminal() -> Terminal {
        let catalog = lessons::Catalog::embedded().expect("the lessons load");
        // The frame reads the same items from lessons.json: go through the JSON export too.
        let catalog = lessons::Catalog::from_json(&catalog.items_to_json()).unwrap();
        let item = catalog.get("layer-cache").expect("layer-cache exists");
        Terminal::with_machine(Machine::Item(Box::new(lessons::Session::start(item).unwrap())))
    }

    #[test]
    fn well_formed_requests_are_read() {
        let run = parse(&json!({"type": "whalebox:run", "id": 7, "command": "docker ps"}));
        assert_eq!(run, Some(Request::Run { id: json!(7), command: "docker ps".into() }));
        let status = parse(&json!({"type": "whalebox:goal-status", "id": "a"}));
        assert_eq!(status, Some(Request::GoalStatus { id: json!("a") }));
    }

    #[test]
    fn malformed_messages_are_ignored() {
        for message in [
            json!(null),
            json!("whalebox:run"),
            json!([1, 2]),
            json!({"type": "whalebox:run", "id": 1}),
            json!({"type": "whalebox:run", "id": 1, "command": 5}),
            json!({"type": "whalebox:run", "command": "ls"}),
            json!({"type": "whalebox:run", "id": {"x": 1}, "command": "ls"}),
            json!({"type": "whalebox:result", "id": 1, "exitCode": 0}),
            json!({"type": "whalebox:ready"}),
            json!({"type": "other", "id": 1}),
            json!({"type": "whalebox:run", "id": 1, "command": "x".repeat(MAX_COMMAND_CHARS + 1)}),
        ] {
            assert_eq!(parse(&message), None, "{message}");
        }
    }

    #[test]
    fn run_reports_exit_code_and_only_the_new_output() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo before");
        let answer = answer(&Request::Run { id: json!(1), command: "echo hello".into() }, &mut terminal);
        assert_eq!(answer, json!({"type": "whalebox:result", "id": 1, "exitCode": 0, "output": "hello"}));
        let failed = super::answer(&Request::Run { id: json!(2), command: "docker foo".into() }, &mut terminal);
        assert_eq!(failed["exitCode"], json!(1));
        assert!(failed["output"].as_str().unwrap().contains("unknown command"), "{failed}");
    }

    #[test]
    fn a_multi_line_command_is_typed_line_by_line() {
        let mut terminal = Terminal::new(1);
        let command = "cat > note.txt <<EOF\nhi there\nEOF";
        answer(&Request::Run { id: json!(1), command: command.into() }, &mut terminal);
        let shown = answer(&Request::Run { id: json!(2), command: "cat note.txt".into() }, &mut terminal);
        assert_eq!(shown["output"], json!("hi there"));
    }

    #[test]
    fn goal_status_follows_the_item() {
        let mut terminal = layer_cache_terminal();
        let before = answer(&Request::GoalStatus { id: json!("s") }, &mut terminal);
        assert_eq!(before["itemId"], json!("layer-cache"));
        assert_eq!(before["step"], json!(0));
        assert_eq!(before["complete"], json!(false));
        let steps = before["steps"].as_u64().unwrap();
        assert!(steps >= 2, "{before}");
        assert!(!before["missing"].as_array().unwrap().is_empty(), "the first goal is not met yet: {before}");
        // Typing the first step's solution moves the status on.
        let solution = terminal.machine().session().unwrap().item().steps[0].solution.clone();
        for action in &solution {
            if let lessons::Action::Command(line) = action {
                answer(&Request::Run { id: json!(0), command: line.clone() }, &mut terminal);
            }
        }
        let after = answer(&Request::GoalStatus { id: json!("t") }, &mut terminal);
        assert_eq!(after["step"], json!(1), "{after}");
    }

    #[test]
    fn the_sandbox_has_no_goals() {
        let mut terminal = Terminal::new(1);
        let status = answer(&Request::GoalStatus { id: json!(3) }, &mut terminal);
        assert_eq!(status["itemId"], Value::Null);
        assert_eq!(status["complete"], json!(false));
    }
}
