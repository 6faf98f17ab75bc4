//! `docker events`: the daemon's event stream, past (`--since`/`--until`) and live, with
//! `--filter` and `--format`.

use serde_json::{json, Map, Value};

use super::flags::{Args, CommandSpec, Parsed, UsageError};
use super::logs::{log_timestamp, time_window};
use super::template;
use crate::live::LiveView;
use crate::outcome::Outcome;
use crate::world::{DaemonEvent, World};

pub const SPEC: CommandSpec = CommandSpec { path: "docker events", help: include_str!("help/events.txt"), args: Args::None, interspersed: true };

/// One event line in Docker's default layout (`prettyPrintEvent`):
/// `2026-03-02T09:00:05.000000000Z container start 4f0e… (image=busybox, name=web)`,
/// attributes sorted by key; or the `--format` template (`json` for the API's JSON message).
pub fn event_line(event: &DaemonEvent, format: Option<&str>) -> String {
    match format.map(str::trim).filter(|f| !f.is_empty()) {
        None => {
            let mut line = format!("{} {} {} {}", log_timestamp(event.time), event.kind, event.action, event.id);
            if !event.attributes.is_empty() {
                let attributes: Vec<String> = event.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
                line.push_str(&format!(" ({})", attributes.join(", ")));
            }
            line
        }
        Some(format) => {
            let format = if format == "json" { "{{json .}}" } else { format };
            render_event(format, event)
        }
    }
}

/// Renders `format` over the event as Go's template sees the `events.Message` struct (its Go
/// field names: `.Status`, `.ID`, `.From`, `.Type`, `.Action`, `.Actor.Attributes.name`,
/// `.Scope`, `.Time`, `.TimeNano`); `{{json .}}` prints the API's JSON (lower-case deprecated
/// fields). A missing attribute prints `<no value>`, as Go does for a map key that is not there.
fn render_event(format: &str, event: &DaemonEvent) -> String {
    let (format, uses_json) = json_placeholder(&unescape(format));
    let mut data = struct_json(event);
    if uses_json {
        if let Value::Object(map) = &mut data {
            map.insert("__json".into(), Value::String(message_json(event).to_string()));
        }
    }
    for _ in 0..16 {
        match template::render_raw(&format, &data) {
            Ok(text) => return text,
            Err(error) => {
                let missing = error.split("map has no entry for key \"").nth(1).and_then(|rest| rest.split('"').next()).map(str::to_string);
                let Some(key) = missing.filter(|_| error.contains(".Actor.Attributes.")) else { return error };
                if let Some(Value::Object(attributes)) = data.pointer_mut("/Actor/Attributes") {
                    attributes.insert(key, Value::String("<no value>".into()));
                } else {
                    return error;
                }
            }
        }
    }
    String::new()
}

/// Replaces `{{json .}}` (the whole message) with a field holding the API's JSON text.
fn json_placeholder(format: &str) -> (String, bool) {
    let mut out = String::new();
    let mut rest = format;
    let mut found = false;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else { break };
        let action = rest[start + 2..start + end].trim().trim_matches('-').trim();
        out.push_str(&rest[..start]);
        if action == "json ." || action == ". | json" {
            out.push_str("{{.__json}}");
            found = true;
        } else {
            out.push_str(&rest[start..start + end + 2]);
        }
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    (out, found)
}

/// The `events.Message` struct under its Go field names.
fn struct_json(event: &DaemonEvent) -> Value {
    let legacy = event.kind == "container" || event.kind == "image";
    let from = if event.kind == "container" { event.attributes.get("image").cloned().unwrap_or_default() } else { String::new() };
    json!({
        "Status": if legacy { event.action.clone() } else { String::new() },
        "ID": if legacy { event.id.clone() } else { String::new() },
        "From": from,
        "Type": event.kind,
        "Action": event.action,
        "Actor": { "ID": event.id, "Attributes": event.attributes },
        "Scope": "local",
        "Time": event.time.0 / 1000,
        "TimeNano": u128::from(event.time.0) * 1_000_000,
    })
}

/// `\t` and `\n` typed in a shell argument, as the CLI's formatter turns them into real ones.
fn unescape(format: &str) -> String {
    format.replace("\\t", "\t").replace("\\n", "\n")
}

/// The API's `events.Message` as JSON, in Go's field order (the deprecated `status`/`id`/`from`
/// fields are still filled for container and image events).
fn message_json(event: &DaemonEvent) -> Value {
    let mut message = Map::new();
    if event.kind == "container" || event.kind == "image" {
        message.insert("status".into(), json!(event.action));
        message.insert("id".into(), json!(event.id));
        if event.kind == "container" {
            if let Some(image) = event.attributes.get("image").filter(|i| !i.is_empty()) {
                message.insert("from".into(), json!(image));
            }
        }
    }
    message.insert("Type".into(), json!(event.kind));
    message.insert("Action".into(), json!(event.action));
    message.insert("Actor".into(), json!({ "ID": event.id, "Attributes": event.attributes }));
    message.insert("scope".into(), json!("local"));
    message.insert("time".into(), json!(event.time.0 / 1000));
    message.insert("timeNano".into(), json!(u128::from(event.time.0) * 1_000_000));
    Value::Object(message)
}

/// `--filter key=value` pairs; several values of one key are alternatives.
pub type Filters = Vec<(String, String)>;

/// Whether the daemon's event filter lets `event` through.
pub fn event_matches(event: &DaemonEvent, filters: &Filters) -> bool {
    fn values<'a>(filters: &'a Filters, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        filters.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    let values = |key: &'static str| values(filters, key);
    let has = |key: &str| filters.iter().any(|(k, _)| k == key);
    // `event=exec_start` (no colon) matches `exec_start: sh -c …`; others must match exactly.
    let fuzzy_actions = values("event").any(|v| matches!(v, "health_status" | "exec_create" | "exec_start"));
    if has("event") && !values("event").any(|v| v == event.action || (fuzzy_actions && event.action.starts_with(v))) {
        return false;
    }
    if has("type") && !values("type").any(|v| v == event.kind) {
        return false;
    }
    let name = event.attributes.get("name").map(String::as_str).unwrap_or_default();
    for key in ["container", "daemon", "plugin", "volume", "network", "node", "service", "secret", "config"] {
        if has(key) && !values(key).any(|v| event.id.starts_with(v) || (!name.is_empty() && name.starts_with(v))) {
            return false;
        }
    }
    if has("image") {
        let image = event.attributes.get(if event.kind == "image" { "name" } else { "image" }).map(String::as_str).unwrap_or_default();
        let strip = |text: &str| -> String {
            match text.rsplit_once(':') {
                Some((repo, tag)) if !tag.contains('/') => repo.to_string(),
                _ => text.to_string(),
            }
        };
        if !values("image").any(|v| v == event.id || v == image || v == strip(&event.id) || v == strip(image)) {
            return false;
        }
    }
    values("label").all(|wanted| match wanted.split_once('=') {
        Some((key, value)) => event.attributes.get(key).is_some_and(|v| v == value),
        None => event.attributes.contains_key(wanted),
    })
}

/// Reads `--filter` values (`name=value`); the CLI refuses anything else as a bad flag value.
pub(crate) fn parse_filters(specs: &[String]) -> Result<Filters, String> {
    specs
        .iter()
        .map(|spec| match spec.split_once('=') {
            Some((key, value)) => Ok((key.trim().to_ascii_lowercase(), value.to_string())),
            None => Err(format!("invalid argument \"{spec}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)")),
        })
        .collect()
}

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let filters = match parse_filters(parsed.values("filter")) {
        Ok(filters) => filters,
        Err(message) => return super::usage_error(&SPEC, &UsageError::Flag(message)),
    };
    let format = parsed.value("format").map(str::to_string).filter(|f| !f.trim().is_empty());
    if let Some(format) = &format {
        // The CLI parses the template (and runs it once on an empty message) before it connects.
        if format != "json" {
            if let Err(error) = template::render_raw(&unescape(format), &json!({})) {
                if error.contains("unclosed action") || error.contains("not defined") {
                    outcome.err(format!("Error parsing format: {error}"));
                    return outcome.fail(64);
                }
            }
        }
    }
    let now = world.now();
    let [since, until] = match time_window(&parsed, now) {
        Ok(window) => window,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    // Past events only when a window was asked for (`--since`, or `--until` alone).
    if since.is_some() || until.is_some() {
        for event in world.daemon_events() {
            let after_since = since.is_none_or(|s| event.time >= s);
            let before_until = until.is_none_or(|u| event.time <= u);
            if after_since && before_until && event_matches(event, &filters) {
                outcome.out(event_line(event, format.as_deref()));
            }
        }
    }
    // An `--until` in the past ends the stream; otherwise new events stream until Ctrl-C.
    if until.is_none_or(|u| u > now) {
        outcome.live = Some(LiveView::Events { shown: world.daemon_events().len(), format, filters, until });
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SESSION_START;
    use std::collections::BTreeMap;

    fn start_event() -> DaemonEvent {
        let mut attributes = BTreeMap::new();
        attributes.insert("name".to_string(), "web".to_string());
        attributes.insert("image".to_string(), "busybox".to_string());
        DaemonEvent { time: SESSION_START.plus(5_000), kind: "container".into(), action: "start".into(), id: "4f0e".repeat(16), attributes }
    }

    #[test]
    fn default_line_sorts_attributes() {
        let line = event_line(&start_event(), None);
        assert_eq!(line, format!("2026-03-02T09:00:05.000000000Z container start {} (image=busybox, name=web)", "4f0e".repeat(16)));
    }

    #[test]
    fn formats_and_json() {
        let event = start_event();
        assert_eq!(event_line(&event, Some("{{.Type}} {{.Action}} {{.Actor.Attributes.name}}")), "container start web");
        assert_eq!(event_line(&event, Some("{{.Actor.Attributes.nope}}")), "<no value>");
        let json = event_line(&event, Some("json"));
        assert!(json.starts_with("{\"status\":\"start\",\"id\":\"4f0e"), "{json}");
        assert!(json.ends_with("\"scope\":\"local\",\"time\":1772442005,\"timeNano\":1772442005000000000}"), "{json}");
    }

    #[test]
    fn filters_match_like_the_daemon() {
        let event = start_event();
        let filters = |text: &[&str]| parse_filters(&text.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        assert!(event_matches(&event, &filters(&["type=container", "event=start", "container=web"])));
        assert!(event_matches(&event, &filters(&["container=4f0e"])));
        assert!(!event_matches(&event, &filters(&["event=die"])));
        assert!(event_matches(&event, &filters(&["event=die", "event=start"])));
        assert!(event_matches(&event, &filters(&["image=busybox"])));
        assert!(!event_matches(&event, &filters(&["type=image"])));
        assert!(parse_filters(&["nope".to_string()]).is_err());
    }
}
