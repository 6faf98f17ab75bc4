//! What a demo says as it goes: numbered steps in the lessons' words, shell commands an
//! instructor can retype, and the facts it established (`--json`).

use std::io::{IsTerminal, Write};

use serde_json::{Map, Value};

/// Narration to stderr when `--json` is on (stdout then carries only the facts), else stdout.
/// Colour only on a terminal and never with `NO_COLOR` set (no-color.org).
#[derive(Debug)]
pub struct Narrator {
    json: bool,
    colour: bool,
    step: u32,
    facts: Map<String, Value>,
}

impl Narrator {
    pub fn new(json: bool) -> Narrator {
        let on_terminal = if json { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
        let colour = on_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Narrator { json, colour, step: 0, facts: Map::new() }
    }

    fn out(&self, text: &str) {
        if self.json {
            let _ = writeln!(std::io::stderr(), "{text}");
        } else {
            let _ = writeln!(std::io::stdout(), "{text}");
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }

    /// A heading for the next step: "1. Make a new PID namespace".
    pub fn step(&mut self, title: &str) {
        self.step += 1;
        let line = format!("{}. {title}", self.step);
        self.out("");
        self.out(&self.paint("1", &line));
    }

    /// A sentence of explanation.
    pub fn say(&self, text: &str) {
        self.out(&format!("   {text}"));
    }

    /// A command an instructor could type to see the same (`$ cat /proc/self/ns/pid`).
    pub fn command(&self, text: &str) {
        self.out(&self.paint("36", &format!("   $ {text}")));
    }

    /// Something the kernel printed or a file's contents, indented.
    pub fn output(&self, text: &str) {
        for line in text.lines() {
            self.out(&self.paint("2", &format!("     {line}")));
        }
    }

    /// A conclusion the demo checked.
    pub fn shown(&self, text: &str) {
        self.out(&self.paint("32", &format!("   ✓ {text}")));
    }

    /// Something that did not happen as expected, or a feature the host lacks.
    pub fn warn(&self, text: &str) {
        self.out(&self.paint("33", &format!("   ! {text}")));
    }

    /// Records a fact for `--json`.
    pub fn fact(&mut self, key: &str, value: impl Into<Value>) {
        self.facts.insert(key.to_string(), value.into());
    }

    /// Prints the facts as one JSON object on stdout when `--json` is on.
    pub fn finish(&self) {
        if self.json {
            let text = serde_json::to_string_pretty(&Value::Object(self.facts.clone())).unwrap_or_default();
            let _ = writeln!(std::io::stdout(), "{text}");
        }
    }
}
