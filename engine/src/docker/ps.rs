//! `docker ps`: the container table, with the daemon's `--filter`s, `--format` templates,
//! `-n/--last`, `-l/--latest`, `-s/--size`, `-q` and `--no-trunc`.

use serde_json::{json, Map, Value};

use super::events::parse_filters;
use super::flags::{Args, CommandSpec, Parsed, UsageError};
use super::template;
use crate::clock::{human_duration, SimTime};
use crate::ids::{digest_hex, short_id};
use crate::outcome::Outcome;
use crate::reference::Reference;
use super::stats::human_size_precision;
use crate::table::{ellipsis, render};
use crate::world::{Container, ContainerStatus, World};

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker ps",
    help: include_str!("help/ps.txt"),
    args: Args::None,
    interspersed: true,
};

const DEFAULT_FORMAT: &str = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

/// The filters the daemon accepts for `ps` (moby v28.2.2 daemon/list.go `acceptedPsFilterTags`).
const ACCEPTED_FILTERS: &[&str] =
    &["ancestor", "before", "exited", "id", "isolation", "label", "name", "status", "health", "since", "volume", "network", "is-task", "publish", "expose"];

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let now = world.now();
    let filters = match parse_filters(parsed.values("filter")) {
        Ok(filters) => filters,
        Err(message) => return super::usage_error(&SPEC, &UsageError::Flag(message)),
    };
    let mut list = match Listing::new(world, &filters) {
        Ok(list) => list,
        Err(message) => {
            outcome.err(format!("Error response from daemon: {message}"));
            return outcome.fail(1);
        }
    };
    let last: i64 = parsed.value("last").and_then(|n| n.parse().ok()).unwrap_or(-1);
    list.limit = if parsed.bool("latest") && last == -1 { 1 } else { last };
    list.all |= parsed.bool("all");
    let containers = list.select(world);

    let no_trunc = parsed.bool("no-trunc");
    let quiet = parsed.bool("quiet");
    let format = parsed.value("format").filter(|f| !f.is_empty());
    if format.is_some() && quiet {
        outcome.err("WARNING: Ignoring custom format, because both --format and --quiet are set.");
    }
    if quiet {
        for container in containers {
            outcome.out(if no_trunc { container.id.clone() } else { short_id(&container.id).to_string() });
        }
        return outcome;
    }
    // The CLI asks for sizes when `-s` is given or the template reads `.Size` (`{{json .}}` too).
    let size = parsed.bool("size")
        || format.is_some_and(|f| f != "json" && (f.contains(".Size") || f.contains("json .")));
    if !size && matches!(format, None | Some("table")) {
        // The default table, the command learners type most: straight to cells, no template.
        let trunc = !no_trunc;
        // Many containers share an image: resolve each image reference once.
        let mut images: std::collections::BTreeMap<(&str, &str), String> = std::collections::BTreeMap::new();
        let mut rows = vec![["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"].map(String::from).to_vec()];
        for container in &containers {
            let command = container.command_line();
            rows.push(vec![
                if trunc { short_id(&container.id).to_string() } else { container.id.clone() },
                images
                    .entry((container.image.as_str(), container.image_id.as_str()))
                    .or_insert_with(|| image_text(world, container, trunc))
                    .clone(),
                go_quote(&if trunc { ellipsis(&command, 20) } else { command }),
                format!("{} ago", human_duration(now.since(container.created))),
                status_text(container, now),
                ports_text(world, container),
                container.name.clone(),
            ]);
        }
        for line in render(&rows) {
            outcome.out(line);
        }
        return outcome;
    }
    let format = match format {
        None | Some("table") => {
            if size {
                format!("{DEFAULT_FORMAT}\\t{{{{.Size}}}}")
            } else {
                DEFAULT_FORMAT.to_string()
            }
        }
        Some("json") => "{{json .}}".to_string(),
        Some(other) => other.to_string(),
    };
    let (table, body) = match format.strip_prefix("table") {
        Some(body) => (true, body),
        None => (false, format.as_str()),
    };
    let (body, labels) = label_calls(body.trim_matches(' '));
    let body = body.replace("\\t", "\t").replace("\\n", "\n");
    if let Err(error) = template::check(&body) {
        return template_error(outcome, &error);
    }
    let mut lines = Vec::new();
    if table {
        let mut header = header_json();
        for (key, _) in &labels {
            header.insert(key.clone(), json!("LABEL"));
        }
        match template::render_as(&body, &Value::Object(header), CONTEXT) {
            Ok(text) => lines.push(text),
            Err(error) => return execute_error(outcome, &error),
        }
    }
    for container in &containers {
        let mut data = container_json(world, container, now, no_trunc, size);
        let own_labels = labels_of(world, container);
        for (key, label) in &labels {
            data.insert(key.clone(), json!(own_labels.get(label).cloned().unwrap_or_default()));
        }
        match template::render_as(&body, &Value::Object(data), CONTEXT) {
            Ok(text) => lines.push(text),
            Err(error) => return execute_error(outcome, &error),
        }
    }
    if table {
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(str::to_string).collect()).collect();
        for line in render(&cells) {
            outcome.out(line);
        }
    } else {
        for line in lines {
            outcome.out_block(&line);
        }
    }
    outcome
}

/// The Go type `docker ps` templates run over, named in a missing field's error.
const CONTEXT: &str = "*formatter.ContainerContext";

/// `docker ps` words a failure while running the template differently from a parse error.
fn execute_error(mut outcome: Outcome, error: &str) -> Outcome {
    outcome.err(format!("failed to execute template: {error}"));
    outcome.fail(1)
}

fn template_error(mut outcome: Outcome, error: &str) -> Outcome {
    outcome.err(format!("template parsing error: {error}"));
    outcome.fail(1)
}

/// `{{.Label "com.example.key"}}` calls a method with an argument, which the shared template
/// engine does not do: each call becomes a synthetic field (`__label0`) filled per container.
fn label_calls(format: &str) -> (String, Vec<(String, String)>) {
    let mut out = String::new();
    let mut labels = Vec::new();
    let mut rest = format;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let action = after[..end].trim();
        let argument = action
            .strip_prefix(".Label")
            .map(str::trim)
            .and_then(|a| a.strip_prefix('"'))
            .and_then(|a| a.strip_suffix('"'));
        match argument {
            Some(label) => {
                let key = format!("__label{}", labels.len());
                out.push_str(&format!("{{{{.{key}}}}}"));
                labels.push((key, label.to_string()));
            }
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    (out, labels)
}

/// The headers the CLI's container formatter prints for each placeholder.
fn header_json() -> Map<String, Value> {
    let mut header = Map::new();
    for (key, title) in [
        ("Command", "COMMAND"),
        ("CreatedAt", "CREATED AT"),
        ("ID", "CONTAINER ID"),
        ("Image", "IMAGE"),
        ("Labels", "LABELS"),
        ("LocalVolumes", "LOCAL VOLUMES"),
        ("Mounts", "MOUNTS"),
        ("Names", "NAMES"),
        ("Networks", "NETWORKS"),
        ("Platform", "PLATFORM"),
        ("Ports", "PORTS"),
        ("RunningFor", "CREATED"),
        ("Size", "SIZE"),
        ("State", "STATE"),
        ("Status", "STATUS"),
    ] {
        header.insert(key.into(), json!(title));
    }
    header
}

/// The container's labels: its image's, overridden by its own (`--label`).
fn labels_of(world: &World, container: &Container) -> std::collections::BTreeMap<String, String> {
    let mut labels = world.image(&container.image_id).map(|i| i.config.labels.clone()).unwrap_or_default();
    labels.extend(container.config.labels.clone());
    labels
}

/// One row's fields as the CLI's `ContainerContext` computes them, keys sorted as `{{json .}}`
/// prints them.
fn container_json(world: &World, container: &Container, now: SimTime, no_trunc: bool, size: bool) -> Map<String, Value> {
    let trunc = !no_trunc;
    let command = container.command_line();
    let command = if trunc { ellipsis(&command, 20) } else { command };
    let labels = labels_of(world, container);
    let (mounts, local_volumes) = mounts(container, trunc);
    let size_text = if size {
        let rw = container.upper.size();
        let image = world.image(&container.image_id).map_or(0, |i| i.size);
        format!("{} (virtual {})", human_size_precision(rw, 3), human_size_precision(image + rw, 3))
    } else {
        "0B".to_string()
    };
    let mut data = Map::new();
    data.insert("Command".into(), json!(go_quote(&command)));
    data.insert("CreatedAt".into(), json!(go_time(container.created)));
    data.insert("ID".into(), json!(if trunc { short_id(&container.id).to_string() } else { container.id.clone() }));
    data.insert("Image".into(), json!(image_text(world, container, trunc)));
    data.insert("Labels".into(), json!(labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")));
    data.insert("LocalVolumes".into(), json!(local_volumes.to_string()));
    data.insert("Mounts".into(), json!(mounts));
    data.insert("Names".into(), json!(container.name));
    data.insert("Networks".into(), json!(network_name(container)));
    data.insert("Platform".into(), Value::Null);
    data.insert("Ports".into(), json!(ports_text(world, container)));
    data.insert("RunningFor".into(), json!(format!("{} ago", human_duration(now.since(container.created)))));
    data.insert("Size".into(), json!(size_text));
    data.insert("State".into(), json!(container.state.status.as_str()));
    data.insert("Status".into(), json!(status_text(container, now)));
    data
}

/// Go's `strconv.Quote` for the printable text a command line is.
pub(crate) fn go_quote(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => quoted.push_str(&format!("\\x{:02x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Go's `time.Time.String()` in UTC, to the second: `2026-03-02 09:00:00 +0000 UTC`.
pub(crate) fn go_time(time: SimTime) -> String {
    let rfc = time.rfc3339();
    format!("{} {} +0000 UTC", &rfc[..10], &rfc[11..19])
}

/// The IMAGE column: the reference as typed (familiar form); the image's short ID when that
/// reference now names a different image (it was rebuilt or re-pulled since).
fn image_text(world: &World, container: &Container, trunc: bool) -> String {
    let current = world.find_image(&container.image).map(|i| i.id.clone());
    if current.as_deref() != Some(container.image_id.as_str()) {
        let hex = digest_hex(&container.image_id);
        return if trunc { short_id(hex).to_string() } else { container.image_id.clone() };
    }
    if !trunc {
        return container.image.clone();
    }
    match Reference::parse_normalized(&container.image) {
        Ok(reference) => reference.familiar(),
        Err(_) => container.image.clone(),
    }
}

fn network_name(container: &Container) -> String {
    match container.host_config.network_mode.as_str() {
        "" | "default" => "bridge".into(),
        mode => mode.to_string(),
    }
}

/// The MOUNTS column (volume names or host paths, each cut to 15 characters) and how many are
/// named local volumes.
fn mounts(container: &Container, trunc: bool) -> (String, usize) {
    let mut names = Vec::new();
    let mut volumes = 0;
    for bind in &container.host_config.binds {
        let parts: Vec<&str> = bind.split(':').collect();
        if parts.len() < 2 {
            continue;
        }
        if !parts[0].starts_with('/') && !parts[0].starts_with('.') {
            volumes += 1;
        }
        names.push(parts[0].to_string());
    }
    for mount in &container.host_config.mounts {
        let field = |key: &str| mount.split(',').find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v.to_string()));
        let kind = field("type").unwrap_or_else(|| "volume".into());
        let Some(source) = field("source").or_else(|| field("src")) else { continue };
        if kind == "volume" {
            volumes += 1;
        }
        names.push(source);
    }
    let names: Vec<String> = names.into_iter().map(|n| if trunc { ellipsis(&n, 15) } else { n }).collect();
    (names.join(","), volumes)
}

/// One entry of the daemon's port list: container port, host address and port, protocol.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Port {
    private: u16,
    ip: String,
    public: u16,
    proto: String,
}

/// The PORTS column of a running container: published ports on IPv4 and IPv6 (Docker 28 binds
/// both when no address is given), exposed ones bare, laid out by the CLI's `DisplayablePorts`.
pub(crate) fn ports_text(world: &World, container: &Container) -> String {
    if container.run.is_none() || matches!(container.host_config.network_mode.as_str(), "host" | "none") {
        return String::new();
    }
    let mut exposed: std::collections::BTreeSet<(u16, String)> = std::collections::BTreeSet::new();
    let image_ports = world.image(&container.image_id).map(|i| i.config.exposed_ports.clone()).unwrap_or_default();
    for spec in image_ports.iter().chain(container.config.exposed_ports.iter()) {
        let (port, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
        if let Ok(port) = port.parse() {
            exposed.insert((port, proto.to_string()));
        }
    }
    let mut ports = Vec::new();
    let mut published = std::collections::BTreeSet::new();
    for port in &container.published {
        published.insert((port.container_port, port.proto.clone()));
        for ip in port.host_addresses() {
            ports.push(Port { private: port.container_port, ip, public: port.host_port, proto: port.proto.clone() });
        }
    }
    for (private, proto) in exposed {
        if !published.contains(&(private, proto.clone())) {
            ports.push(Port { private, ip: String::new(), public: 0, proto });
        }
    }
    displayable_ports(ports)
}

/// The CLI's `DisplayablePorts`: consecutive ports grouped into ranges, host mappings last.
fn displayable_ports(mut ports: Vec<Port>) -> String {
    ports.sort();
    let join = |ip: &str, port: &str| if ip.contains(':') { format!("[{ip}]:{port}") } else { format!("{ip}:{port}") };
    let mut groups: Vec<(String, u16, u16)> = Vec::new();
    let mut result = Vec::new();
    let mut mappings = Vec::new();
    let form = |key: &str, first: u16, last: u16| {
        let (ip, proto) = key.rsplit_once('/').map_or((None, key), |(ip, proto)| (Some(ip), proto));
        let mut group = first.to_string();
        if first != last {
            group = format!("{group}-{last}");
        }
        if let Some(ip) = ip {
            group = format!("{}->{group}", join(ip, &group));
        }
        format!("{group}/{proto}")
    };
    for port in ports {
        let mut key = port.proto.clone();
        if !port.ip.is_empty() {
            if port.public != port.private {
                mappings.push(format!("{}->{}/{}", join(&port.ip, &port.public.to_string()), port.private, port.proto));
                continue;
            }
            key = format!("{}/{}", port.ip, port.proto);
        }
        match groups.iter_mut().find(|g| g.0 == key) {
            None => groups.push((key, port.private, port.private)),
            Some(group) if port.private == group.2.wrapping_add(1) => group.2 = port.private,
            Some(group) => {
                result.push(form(&group.0, group.1, group.2));
                *group = (key, port.private, port.private);
            }
        }
    }
    for (key, first, last) in groups {
        result.push(form(&key, first, last));
    }
    result.extend(mappings);
    result.join(", ")
}

/// The daemon's filter state for one listing (`foldFilter` + `includeContainerInList`).
struct Listing {
    filters: Vec<(String, String)>,
    exited: Vec<i32>,
    before: Option<String>,
    since: Option<String>,
    ancestors: Option<Vec<String>>,
    all: bool,
    limit: i64,
}

impl Listing {
    fn new(world: &World, filters: &[(String, String)]) -> Result<Listing, String> {
        if let Some((key, _)) = filters.iter().find(|(k, _)| !ACCEPTED_FILTERS.contains(&k.as_str())) {
            return Err(format!("invalid filter '{key}'"));
        }
        let values = |key: &str| filters.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect::<Vec<_>>();
        let mut exited = Vec::new();
        for value in values("exited") {
            match value.parse::<i32>() {
                Ok(code) => exited.push(code),
                Err(_) => return Err(format!("invalid filter 'exited={value}': strconv.Atoi: parsing {value:?}: invalid syntax")),
            }
        }
        let mut all = false;
        for value in values("status") {
            if ContainerStatus::parse(&value).is_none() {
                return Err(format!(
                    "invalid filter 'status={value}': invalid value for state ({value}): must be one of created, running, paused, restarting, removing, exited, dead"
                ));
            }
            all = true;
        }
        for value in values("health") {
            if !matches!(value.as_str(), "none" | "starting" | "healthy" | "unhealthy") {
                return Err(format!(
                    "invalid filter 'health={value}': invalid value for health ({value}): must be one of none, starting, healthy, unhealthy"
                ));
            }
        }
        let find = |value: &str| world.find_container(value).map(|c| c.id.clone()).ok_or_else(|| format!("No such container: {value}"));
        let before = values("before").last().map(|v| find(v)).transpose()?;
        let since = values("since").last().map(|v| find(v)).transpose()?;
        for value in values("is-task") {
            if !matches!(value.as_str(), "true" | "false" | "1" | "0") {
                return Err(format!("invalid filter 'is-task={value}'"));
            }
        }
        // An ancestor is the image itself or any image built on top of it (its layers a prefix).
        let ancestors = (!values("ancestor").is_empty()).then(|| {
            let mut ids = Vec::new();
            for value in values("ancestor") {
                let Some(base) = world.find_image(&value) else { continue };
                for image in world.images() {
                    if image.id == base.id || (!base.layers.is_empty() && image.layers.starts_with(&base.layers)) {
                        ids.push(image.id.clone());
                    }
                }
            }
            ids
        });
        Ok(Listing { filters: filters.to_vec(), exited, before, since, ancestors, all, limit: -1 })
    }

    fn values(&self, key: &str) -> Vec<&str> {
        self.filters.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    /// Containers newest first, through every filter.
    fn select<'w>(&self, world: &'w World) -> Vec<&'w Container> {
        let mut chosen = Vec::new();
        let mut before = self.before.clone();
        for container in world.containers().iter().rev() {
            if let Some(id) = &before {
                if &container.id == id {
                    before = None;
                }
                continue;
            }
            if self.since.as_ref() == Some(&container.id) {
                break;
            }
            if !container.is_running() && !self.all && self.limit <= 0 {
                continue;
            }
            if self.limit > 0 && chosen.len() as i64 == self.limit {
                break;
            }
            if self.keep(world, container) {
                chosen.push(container);
            }
        }
        chosen
    }

    fn keep(&self, world: &World, container: &Container) -> bool {
        let names = self.values("name");
        let slash = format!("/{}", container.name);
        if !names.is_empty() && !names.iter().any(|p| regex_match(p, &slash) || regex_match(p, &container.name)) {
            return false;
        }
        let ids = self.values("id");
        if !ids.is_empty() && !ids.iter().any(|p| regex_match(p, &container.id)) {
            return false;
        }
        let labels = labels_of(world, container);
        for wanted in self.values("label") {
            let ok = match wanted.split_once('=') {
                Some((key, value)) => labels.get(key).is_some_and(|v| v == value),
                None => labels.contains_key(wanted),
            };
            if !ok {
                return false;
            }
        }
        if !self.exited.is_empty() {
            let ran = container.state.started_at.is_some() || container.state.finished_at.is_some();
            if container.is_running() || !ran || !self.exited.contains(&container.state.exit_code) {
                return false;
            }
        }
        let statuses = self.values("status");
        if !statuses.is_empty() && !statuses.iter().any(|s| regex_match(s, container.state.status.as_str())) {
            return false;
        }
        let healths = self.values("health");
        if !healths.is_empty() {
            let health = container.state.health.as_ref().map_or("none", |h| h.status.as_str());
            if !healths.contains(&health) {
                return false;
            }
        }
        if let Some(ancestors) = &self.ancestors {
            if !ancestors.contains(&container.image_id) {
                return false;
            }
        }
        let networks = self.values("network");
        if !networks.is_empty() && !networks.iter().any(|n| *n == network_name(container)) {
            return false;
        }
        let volumes = self.values("volume");
        if !volumes.is_empty() {
            // A volume by name (a bind by its host path) or any mount by its destination.
            let mounted = |v: &str| {
                container.mounts.iter().any(|m| if m.name.is_empty() { m.source == v } else { m.name == v } || m.destination == v)
            };
            if !volumes.iter().any(|v| mounted(v)) {
                return false;
            }
        }
        if self.values("is-task").iter().any(|v| matches!(*v, "true" | "1")) {
            return false;
        }
        true
    }
}

/// Go's `regexp.MatchString` for the patterns people give `--filter name=`: literals, `.`, `^`,
/// `$`, `*`, `+`, `?`, `[...]` classes, `\d \w \s` and `|`. A pattern beyond that never matches
/// (the daemon skips patterns that do not compile); the filter also matches a value exactly.
pub(crate) fn regex_match(pattern: &str, text: &str) -> bool {
    if pattern == text {
        return true;
    }
    let Some(alternatives) = compile(pattern) else { return false };
    let chars: Vec<char> = text.chars().collect();
    // Backtracking is bounded: a pathological pattern gives up (no match) instead of hanging.
    let budget = std::cell::Cell::new(200_000u32);
    alternatives.iter().any(|nodes| (0..=chars.len()).any(|start| matches_at(nodes, &chars, start, &budget)))
}

#[derive(Debug, Clone)]
enum Atom {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Start,
    End,
}

#[derive(Debug, Clone)]
struct Node {
    atom: Atom,
    min: usize,
    max: usize,
}

fn compile(pattern: &str) -> Option<Vec<Vec<Node>>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut alternatives = vec![Vec::new()];
    let mut i = 0;
    while i < chars.len() {
        let atom = match chars[i] {
            '|' => {
                alternatives.push(Vec::new());
                i += 1;
                continue;
            }
            '(' | ')' | '{' | '}' => return None,
            '*' | '+' | '?' => return None,
            '.' => Atom::Any,
            '^' => Atom::Start,
            '$' => Atom::End,
            '\\' => {
                i += 1;
                let escaped = *chars.get(i)?;
                class_escape(escaped).map_or(Atom::Char(escaped), |ranges| Atom::Class(ranges, false))
            }
            '[' => {
                i += 1;
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let c = *chars.get(i)?;
                    if c == ']' && !first {
                        break;
                    }
                    first = false;
                    if c == '\\' {
                        i += 1;
                        let escaped = *chars.get(i)?;
                        match class_escape(escaped) {
                            Some(more) => ranges.extend(more),
                            None => ranges.push((escaped, escaped)),
                        }
                    } else if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|c| *c != ']') {
                        ranges.push((c, chars[i + 2]));
                        i += 2;
                    } else {
                        ranges.push((c, c));
                    }
                    i += 1;
                }
                Atom::Class(ranges, negated)
            }
            c => Atom::Char(c),
        };
        i += 1;
        let (min, max) = match chars.get(i) {
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('?') => (0, 1),
            _ => (1, 1),
        };
        if (min, max) != (1, 1) {
            i += 1;
            if matches!(atom, Atom::Start | Atom::End) {
                return None;
            }
        }
        alternatives.last_mut()?.push(Node { atom, min, max });
    }
    Some(alternatives)
}

fn class_escape(c: char) -> Option<Vec<(char, char)>> {
    match c {
        'd' => Some(vec![('0', '9')]),
        'w' => Some(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]),
        's' => Some(vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')]),
        _ => None,
    }
}

fn matches_at(nodes: &[Node], text: &[char], at: usize, budget: &std::cell::Cell<u32>) -> bool {
    if budget.get() == 0 {
        return false;
    }
    budget.set(budget.get() - 1);
    let Some((node, rest)) = nodes.split_first() else { return true };
    match node.atom {
        Atom::Start => return at == 0 && matches_at(rest, text, at, budget),
        Atom::End => return at == text.len() && matches_at(rest, text, at, budget),
        _ => {}
    }
    let one = |c: char| match &node.atom {
        Atom::Char(x) => *x == c,
        Atom::Any => c != '\n',
        Atom::Class(ranges, negated) => ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated,
        Atom::Start | Atom::End => false,
    };
    let mut count = 0;
    while count < node.max && at + count < text.len() && one(text[at + count]) {
        count += 1;
    }
    if count < node.min {
        return false;
    }
    (node.min..=count).rev().any(|n| matches_at(rest, text, at + n, budget))
}

/// The STATUS column: `Created`, `Up 5 seconds (healthy)`, `Up 1 minute (Paused)`,
/// `Restarting (1) 2 seconds ago`, `Exited (0) 2 minutes ago`.
pub fn status_text(container: &Container, now: crate::clock::SimTime) -> String {
    let state = &container.state;
    let since = |time: Option<crate::clock::SimTime>| human_duration(now.since(time.unwrap_or(now)));
    match state.status {
        ContainerStatus::Created => "Created".into(),
        ContainerStatus::Running | ContainerStatus::Paused => {
            let mut text = format!("Up {}", since(state.started_at));
            if state.status == ContainerStatus::Paused {
                text.push_str(" (Paused)");
            } else if let Some(health) = &state.health {
                match health.status.as_str() {
                    "starting" => text.push_str(" (health: starting)"),
                    other => text.push_str(&format!(" ({other})")),
                }
            }
            text
        }
        ContainerStatus::Restarting => format!("Restarting ({}) {} ago", state.exit_code, since(state.finished_at)),
        ContainerStatus::Removing => "Removal In Progress".into(),
        ContainerStatus::Dead => "Dead".into(),
        ContainerStatus::Exited => format!("Exited ({}) {} ago", state.exit_code, since(state.finished_at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_patterns_are_regular_expressions() {
        assert!(regex_match("web", "my-web-1"));
        assert!(regex_match("^web$", "web"));
        assert!(!regex_match("^web$", "web2"));
        assert!(regex_match("^/web", "/web"));
        assert!(regex_match("w.b", "wxb"));
        assert!(regex_match("^app-[0-9]+$", "app-12"));
        assert!(!regex_match("^app-[0-9]+$", "app-"));
        assert!(regex_match("db|cache", "cache"));
        assert!(regex_match("(", "("));
        assert!(!regex_match("(", "x("));
        assert!(!regex_match("a*a*a*a*a*a*a*a*a*a*c", &"a".repeat(64)));
    }

    #[test]
    fn ports_display_like_the_cli() {
        let port = |private: u16, ip: &str, public: u16| Port { private, ip: ip.into(), public, proto: "tcp".into() };
        assert_eq!(displayable_ports(vec![port(80, "0.0.0.0", 8080), port(80, "::", 8080)]), "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp");
        assert_eq!(displayable_ports(vec![port(80, "", 0), port(81, "", 0), port(443, "", 0)]), "80-81/tcp, 443/tcp");
        assert_eq!(displayable_ports(vec![port(80, "0.0.0.0", 80)]), "0.0.0.0:80->80/tcp");
    }

    #[test]
    fn label_calls_become_fields() {
        let (body, labels) = label_calls("{{.Names}} {{.Label \"com.example.team\"}}");
        assert_eq!(body, "{{.Names}} {{.__label0}}");
        assert_eq!(labels, vec![("__label0".to_string(), "com.example.team".to_string())]);
    }

    #[test]
    fn go_strings() {
        assert_eq!(go_quote("sh -c \"echo hi\""), "\"sh -c \\\"echo hi\\\"\"");
        assert_eq!(go_time(crate::clock::SESSION_START), "2026-03-02 09:00:00 +0000 UTC");
    }
}
