//! The engine as a JavaScript class, `WhaleboxEngine`, exported by wasm-bindgen: a page that
//! loads Whalebox can drive a simulated Docker host of its own without the terminal.
//!
//! On the built site Trunk puts the module's exports on `window.wasmBindings` once the wasm has
//! started (the `TrunkApplicationStarted` event): `new wasmBindings.WhaleboxEngine(1)`. Results
//! are plain objects built from JSON with serde_json (already in the download) rather than a
//! serde-wasm-bindgen dependency. README.md documents the API.

use engine::{Engine, Outcome, Stream};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// One simulated Docker host; the same seed and the same commands give the same output.
#[wasm_bindgen]
pub struct WhaleboxEngine {
    engine: Engine,
}

#[wasm_bindgen]
impl WhaleboxEngine {
    /// A fresh machine. The seed fixes IDs and names (the page itself uses 1).
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u32) -> WhaleboxEngine {
        WhaleboxEngine { engine: Engine::new(u64::from(seed)) }
    }

    /// Runs one complete command line: `{exitCode, output: [{stream, text}], events}`.
    pub fn run(&mut self, line: &str) -> JsValue {
        to_js(&outcome_json(&self.engine.run(line)))
    }

    /// Whether `text` is a whole command (`false` inside an open here-document or quote).
    #[wasm_bindgen(js_name = isComplete)]
    pub fn is_complete(&self, text: &str) -> bool {
        self.engine.is_complete(text)
    }

    /// The prompt a terminal would show now (`learner@whalebox:~$ `, or a container shell's).
    pub fn prompt(&self) -> String {
        self.engine.prompt()
    }

    /// Whether a command is still running (`docker logs -f`): call `tick` or `interrupt`.
    #[wasm_bindgen(js_name = isLive)]
    pub fn is_live(&self) -> bool {
        self.engine.is_live()
    }

    /// Lets `millis` of simulated time pass for a live command; same shape as `run`.
    pub fn tick(&mut self, millis: u32) -> JsValue {
        to_js(&outcome_json(&self.engine.tick(u64::from(millis))))
    }

    /// Ctrl+C for a live command; same shape as `run`.
    pub fn interrupt(&mut self) -> JsValue {
        to_js(&outcome_json(&self.engine.interrupt()))
    }

    /// The whole machine as a JSON string, for `WhaleboxEngine.restore`.
    pub fn snapshot(&self) -> String {
        self.engine.snapshot()
    }

    /// A machine saved by `snapshot()`; throws an Error if the text is not one.
    pub fn restore(saved: &str) -> Result<WhaleboxEngine, JsError> {
        Engine::restore(saved).map(|engine| WhaleboxEngine { engine }).map_err(|error| JsError::new(&error.to_string()))
    }
}

/// The outcome as JS sees it: lowercase stream names; events as serde writes them
/// (`"ScreenCleared"`, `{"ContainerStarted": {"id": …}}`).
pub fn outcome_json(outcome: &Outcome) -> Value {
    let output: Vec<Value> = outcome
        .output
        .iter()
        .map(|line| {
            let stream = match line.stream {
                Stream::Stdout => "stdout",
                Stream::Stderr => "stderr",
            };
            json!({ "stream": stream, "text": line.text })
        })
        .collect();
    let events = serde_json::to_value(&outcome.events).unwrap_or_else(|_| json!([]));
    json!({ "exitCode": outcome.exit_code, "output": output, "events": events })
}

fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outcome_becomes_exit_code_output_and_events() {
        let mut engine = Engine::new(1);
        let value = outcome_json(&engine.run("docker run hello-world"));
        assert_eq!(value["exitCode"], 0);
        let output = value["output"].as_array().unwrap();
        assert!(output.iter().any(|line| line["text"] == "Hello from Docker!" && line["stream"] == "stdout"), "{value}");
        let events = value["events"].as_array().unwrap();
        assert!(events.iter().any(|event| event.get("ContainerCreated").is_some()), "{value}");
    }

    #[test]
    fn errors_are_marked_as_stderr() {
        let mut engine = Engine::new(1);
        let value = outcome_json(&engine.run("docker foo"));
        assert_ne!(value["exitCode"], 0);
        assert_eq!(value["output"][0]["stream"], "stderr");
    }
}
