//! Compose's canonical form (what `docker compose config` prints): short syntaxes turned into
//! long ones, relative paths made absolute, defaults filled in — and the typed `Project` read
//! from it.

use std::collections::BTreeMap;

use super::load::{list_to_map, LoadError, Reader};
use super::model::*;
use super::yaml::{scalar_type, Typed, Value};

fn s(text: impl Into<String>) -> Value {
    Value::str(text)
}

fn plain(text: impl Into<String>) -> Value {
    Value::Scalar { text: text.into(), plain: true }
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn text_of(value: &Value) -> Option<String> {
    value.as_text().map(str::to_string)
}

/// go-shellwords' split of a string `command:`/`entrypoint:`.
pub fn shell_split(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
                in_word = true;
            }
            '\'' => {
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    current.push(n);
                }
                in_word = true;
            }
            '"' => {
                while let Some(n) = chars.next() {
                    match n {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                current.push(e);
                            }
                        }
                        _ => current.push(n),
                    }
                }
                in_word = true;
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

fn command(value: &Value) -> Value {
    match value {
        Value::Scalar { text, .. } => Value::Seq(shell_split(text).into_iter().map(s).collect()),
        other => other.clone(),
    }
}

fn as_list(value: &Value) -> Vec<Value> {
    match value {
        Value::Seq(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// Canonicalises a whole (merged, validated) compose model.
pub fn canonical(dict: &Value, name: &str, dir: &str, env: &BTreeMap<String, String>, read: Reader<'_>) -> Result<Value, LoadError> {
    let mut out = vec![("name".to_string(), s(name))];
    let mut used_default = false;
    let mut services = Vec::new();
    if let Some(Value::Map(entries)) = dict.get("services") {
        let mut sorted = entries.clone();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (service_name, service) in sorted {
            let service = if matches!(service, Value::Null) { Value::Map(Vec::new()) } else { service };
            let (value, default) = canonical_service(&service_name, &service, dir, env, read)?;
            used_default |= default;
            services.push((service_name, value));
        }
    }
    out.push(("services".into(), Value::Map(services)));
    let mut networks = section(dict, "networks");
    if used_default && !networks.iter().any(|(k, _)| k == "default") {
        networks.push(("default".into(), Value::Map(Vec::new())));
    }
    let networks: Vec<(String, Value)> = networks.into_iter().map(|(k, v)| named(k, v, name)).collect();
    if !networks.is_empty() {
        out.push(("networks".into(), sorted_map(networks)));
    }
    let volumes: Vec<(String, Value)> = section(dict, "volumes").into_iter().map(|(k, v)| named(k, v, name)).collect();
    if !volumes.is_empty() {
        out.push(("volumes".into(), sorted_map(volumes)));
    }
    let extensions: Vec<(String, Value)> = dict.as_map().map(|m| m.iter().filter(|(k, _)| k.starts_with("x-")).cloned().collect()).unwrap_or_default();
    for kind in ["secrets", "configs"] {
        let items: Vec<(String, Value)> = section(dict, kind)
            .into_iter()
            .map(|(k, v)| {
                let (k, mut v) = named(k, v, name);
                if let Some(Value::Scalar { text, .. }) = v.get_mut("file") {
                    *text = bind_source(text, dir, env.get("HOME").map_or(HOME, String::as_str));
                }
                (k, v)
            })
            .collect();
        if !items.is_empty() {
            out.push((kind.into(), sorted_map(items)));
        }
    }
    out.extend(extensions);
    Ok(Value::Map(out))
}

fn section(dict: &Value, key: &str) -> Vec<(String, Value)> {
    match dict.get(key) {
        Some(Value::Map(entries)) => entries.clone(),
        _ => Vec::new(),
    }
}

fn sorted_map(mut entries: Vec<(String, Value)>) -> Value {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Map(entries)
}

/// A top-level network/volume/secret/config with its engine name filled in.
fn named(key: String, value: Value, project: &str) -> (String, Value) {
    let mut value = if matches!(value, Value::Null) { Value::Map(Vec::new()) } else { value };
    // The legacy `external: {name: x}` is `name: x` + `external: true`.
    if let Some(legacy) = value.get("external").and_then(|e| e.get("name")).and_then(Value::as_text).map(str::to_string) {
        value.set("external", plain("true"));
        if value.get("name").is_none() {
            value.set("name", s(legacy));
        }
    }
    if let Some(Value::Map(options)) = value.get("driver_opts").cloned() {
        value.set("driver_opts", sorted_map(options.into_iter().map(|(k, v)| (k, s(v.as_text().unwrap_or_default()))).collect()));
    }
    let external = value.get("external").is_some_and(|e| matches!(e.as_text(), Some("true")));
    if value.get("name").is_none() {
        let engine_name = if external { key.clone() } else { format!("{project}_{key}") };
        let mut entries = vec![("name".to_string(), s(engine_name))];
        if let Value::Map(rest) = value {
            entries.extend(rest);
        }
        value = Value::Map(entries);
    }
    // IPAM pools in compose-go's field order.
    if let Some(Value::Seq(pools)) = value.get_mut("ipam").and_then(|i| i.get_mut("config")) {
        for pool in pools.iter_mut() {
            *pool = order(std::mem::replace(pool, Value::Null), &["subnet", "gateway", "ip_range", "aux_addresses"]);
        }
    }
    let value = order(
        value,
        &["name", "driver", "driver_opts", "ipam", "file", "environment", "content", "external", "internal", "attachable", "labels", "enable_ipv4", "enable_ipv6", "template_driver"],
    );
    (key, value)
}

fn canonical_service(name: &str, service: &Value, dir: &str, env: &BTreeMap<String, String>, read: Reader<'_>) -> Result<(Value, bool), LoadError> {
    let mut entries: Vec<(String, Value)> = Vec::new();
    let mut uses_default = false;
    let Some(fields) = service.as_map() else { return Ok((Value::Map(entries), false)) };
    let mut environment: Vec<(String, Value)> = Vec::new();
    // env_file entries first; `environment` wins over them.
    if let Some(files) = service.get("env_file") {
        let mut long = Vec::new();
        for file in as_list(files) {
            let (path, required) = match &file {
                Value::Map(_) => (file.get("path").and_then(Value::as_text).unwrap_or_default().to_string(), file.get("required").and_then(Value::as_text) != Some("false")),
                other => (other.as_text().unwrap_or_default().to_string(), true),
            };
            let full = crate::fs::normalize(&path, dir);
            match read(&full) {
                Some(text) => {
                    let parsed = super::dotenv::parse(&text, env).map_err(|e| LoadError(format!("failed to read {full}: {e}")))?;
                    for (k, v) in parsed {
                        environment.retain(|(e, _)| *e != k);
                        environment.push((k, s(v)));
                    }
                }
                None if required => return Err(LoadError(format!("env file {full} not found: stat {full}: no such file or directory"))),
                None => {}
            }
            // compose prints `required` only when it is not the default.
            let mut entry = vec![("path", s(full))];
            if !required {
                entry.push(("required", plain("false")));
            }
            long.push(map(entry));
        }
        entries.push(("env_file".into(), Value::Seq(long)));
    }
    for (key, value) in fields {
        let value = match key.as_str() {
            "extends" | "env_file" => continue,
            k if k.starts_with("x-") => continue,
            "stop_grace_period" => go_duration_value(value),
            "mem_limit" | "mem_reservation" | "memswap_limit" | "shm_size" => bytes_value(value),
            "deploy" => {
                let mut deploy = value.clone();
                if let Some(labels) = deploy.get("labels").cloned() {
                    deploy.set("labels", sort_map(list_to_map(labels)));
                }
                for (section, keys) in [("update_config", &["delay", "monitor"][..]), ("rollback_config", &["delay", "monitor"][..]), ("restart_policy", &["delay", "window"][..])] {
                    if let Some(part) = deploy.get_mut(section) {
                        for key in keys {
                            if let Some(value) = part.get(key).cloned() {
                                part.set(key, go_duration_value(&value));
                            }
                        }
                        let fields: &[&str] = if section == "restart_policy" { &["condition", "delay", "max_attempts", "window"] } else { &["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"] };
                        *part = order(part.clone(), fields);
                    }
                }
                if let Some(placement) = deploy.get_mut("placement") {
                    *placement = order(placement.clone(), &["constraints", "preferences", "max_replicas_per_node"]);
                }
                if let Some(resources) = deploy.get_mut("resources") {
                    for kind in ["limits", "reservations"] {
                        if let Some(limit) = resources.get_mut(kind) {
                            if let Some(cpus) = limit.get("cpus").and_then(Value::as_text).map(str::to_string) {
                                limit.set("cpus", plain(cpus));
                            }
                            *limit = order(limit.clone(), &["cpus", "memory", "pids", "devices", "generic_resources"]);
                        }
                    }
                    *resources = order(resources.clone(), &["limits", "reservations"]);
                }
                for kind in ["limits", "reservations"] {
                    if let Some(Value::Scalar { text, .. }) = deploy.get_mut("resources").and_then(|r| r.get_mut(kind)).and_then(|l| l.get_mut("memory")) {
                        if let Some(bytes) = crate::docker::parse_size(text) {
                            *text = bytes.to_string();
                        }
                    }
                    if let Some(memory @ Value::Scalar { .. }) = deploy.get_mut("resources").and_then(|r| r.get_mut(kind)).and_then(|l| l.get_mut("memory")) {
                        *memory = s(memory.as_text().unwrap_or_default());
                    }
                }
                order(deploy, &["mode", "replicas", "labels", "update_config", "rollback_config", "resources", "restart_policy", "placement", "endpoint_mode"])
            }
            "annotations" | "ulimits" => sort_map(list_to_map(value.clone())),
            "storage_opt" => match list_to_map(value.clone()) {
                Value::Map(items) => sorted_map(items.into_iter().map(|(k, v)| (k, s(v.as_text().unwrap_or_default()))).collect()),
                other => other,
            },
            "extra_hosts" => Value::Seq(
                match value {
                    Value::Map(items) => items.iter().map(|(k, v)| s(format!("{k}={}", v.as_text().unwrap_or_default()))).collect(),
                    other => as_list(other).iter().filter_map(Value::as_text).map(|h| s(h.replacen(':', "=", if h.contains('=') { 0 } else { 1 }))).collect(),
                },
            ),
            "build" => {
                let mut build = match value {
                    Value::Scalar { text, .. } => map(vec![("context", s(text.clone()))]),
                    other => other.clone(),
                };
                let context = build.get("context").and_then(Value::as_text).unwrap_or(".").to_string();
                let context = if context.contains("://") { context } else { crate::fs::normalize(&context, dir) };
                build.set("context", s(context));
                if build.get("dockerfile").is_none() && build.get("dockerfile_inline").is_none() {
                    build.set("dockerfile", s("Dockerfile"));
                }
                for key in ["args", "labels", "additional_contexts"] {
                    if let Some(items) = build.get(key).cloned() {
                        build.set(key, sort_map(list_to_map(items)));
                    }
                }
                if let Some(Value::Seq(secrets)) = build.get_mut("secrets") {
                    for secret in secrets.iter_mut() {
                        *secret = stringly_ids(std::mem::replace(secret, Value::Null));
                    }
                }
                if let Some(Value::Map(contexts)) = build.get_mut("additional_contexts") {
                    for (_, context) in contexts.iter_mut() {
                        if let Value::Scalar { text, .. } = context {
                            if !text.contains("://") && !text.contains(':') {
                                *text = crate::fs::normalize(text, dir);
                            }
                        }
                    }
                }
                order(build, BUILD_ORDER)
            }
            "command" | "entrypoint" => command(value),
            "environment" => {
                for (k, v) in list_to_map(value.clone()).as_map().cloned().unwrap_or_default() {
                    // A bare name takes the compose environment's value, when it has one.
                    let v = match v {
                        Value::Null => env.get(&k).map(|e| s(e.clone())).unwrap_or(Value::Null),
                        Value::Scalar { text, .. } => s(text),
                        other => other,
                    };
                    environment.retain(|(e, _)| *e != k);
                    environment.push((k, v));
                }
                continue;
            }
            "labels" | "sysctls" => match list_to_map(value.clone()) {
                Value::Map(items) => sorted_map(items.into_iter().map(|(k, v)| (k, s(v.as_text().unwrap_or_default()))).collect()),
                other => other,
            },
            "label_file" => Value::Seq(as_list(value).iter().filter_map(Value::as_text).map(|f| s(crate::fs::normalize(f, dir))).collect()),
            "ports" => Value::Seq(ports(name, value)?),
            "expose" => Value::Seq(as_list(value).iter().map(|v| s(v.as_text().unwrap_or_default())).collect()),
            "volumes" => {
                let home = env.get("HOME").map_or(HOME, String::as_str);
                Value::Seq(as_list(value).iter().map(|v| volume(v, dir, home)).collect::<Result<_, _>>()?)
            }
            "networks" => match value {
                Value::Seq(_) => sorted_map(list_to_map(value.clone()).as_map().cloned().unwrap_or_default()),
                Value::Map(items) => sorted_map(items.clone()),
                other => other.clone(),
            },
            "depends_on" => {
                let deps = list_to_map(value.clone()).as_map().cloned().unwrap_or_default();
                let deps = deps
                    .into_iter()
                    .map(|(k, v)| {
                        let condition = v.get("condition").cloned().unwrap_or(s("service_started"));
                        let required = v.get("required").cloned().unwrap_or(plain("true"));
                        let mut fields = vec![("condition", condition)];
                        if let Some(restart) = v.get("restart") {
                            fields.push(("restart", restart.clone()));
                        }
                        fields.push(("required", required));
                        (k, map(fields))
                    })
                    .collect();
                sorted_map(deps)
            }
            "healthcheck" => {
                let mut health = value.clone();
                if let Some(Value::Scalar { text, .. }) = health.get("test").cloned() {
                    health.set("test", Value::Seq(vec![s("CMD-SHELL"), s(text)]));
                }
                for key in ["timeout", "interval", "start_period", "start_interval"] {
                    if let Some(value) = health.get(key).cloned() {
                        health.set(key, go_duration_value(&value));
                    }
                }
                order(health, &["test", "timeout", "interval", "retries", "start_period", "start_interval", "disable"])
            }
            "secrets" | "configs" => Value::Seq(
                as_list(value)
                    .into_iter()
                    .map(|v| match v {
                        Value::Scalar { text, .. } => map(vec![("source", s(text))]),
                        other => stringly_ids(other),
                    })
                    .collect(),
            ),
            "tmpfs" | "dns" | "cap_add" | "cap_drop" => Value::Seq(as_list(value)),
            "pull_policy" if value.as_text() == Some("if_not_present") => s("missing"),
            _ => value.clone(),
        };
        entries.push((key.clone(), value));
    }
    if !environment.is_empty() {
        entries.push(("environment".into(), sorted_map(environment)));
    }
    // label_file entries under the service's own labels.
    if let Some(files) = service.get("label_file") {
        let mut labels: Vec<(String, Value)> = Vec::new();
        for file in as_list(files).iter().filter_map(Value::as_text) {
            let full = crate::fs::normalize(file, dir);
            let Some(text) = read(&full) else { return Err(LoadError(format!("label file {full} not found"))) };
            let parsed = super::dotenv::parse(&text, env).map_err(|e| LoadError(format!("failed to read label file {full}: {e}")))?;
            for (k, v) in parsed {
                labels.retain(|(e, _)| *e != k);
                labels.push((k, s(v)));
            }
        }
        if let Some((_, Value::Map(own))) = entries.iter().find(|(k, _)| k == "labels") {
            for (k, v) in own {
                labels.retain(|(e, _)| e != k);
                labels.push((k.clone(), v.clone()));
            }
        }
        entries.retain(|(k, _)| k != "labels");
        entries.push(("labels".into(), sorted_map(labels)));
    }
    if service.get("network_mode").is_none() && service.get("networks").is_none() {
        entries.push(("networks".into(), map(vec![("default", Value::Null)])));
        uses_default = true;
    }
    if let Some(Value::Map(nets)) = entries.iter().find(|(k, _)| k == "networks").map(|(_, v)| v) {
        uses_default |= nets.iter().any(|(k, _)| k == "default");
    }
    // compose-go's `ServiceConfig` field order; extensions (`x-…`) last.
    entries.sort_by_key(|(k, _)| (SERVICE_ORDER.iter().position(|o| o == k).unwrap_or(SERVICE_ORDER.len()), k.clone()));
    for (key, value) in fields.iter().filter(|(k, _)| k.starts_with("x-")) {
        entries.push((key.clone(), value.clone()));
    }
    Ok((Value::Map(entries), uses_default))
}

/// The simulated client's home directory, where `~` in a bind source points.
const HOME: &str = crate::shell::HOME;

/// compose-go's `BuildConfig` field order.
const BUILD_ORDER: &[&str] = &[
    "context", "dockerfile", "dockerfile_inline", "entitlements", "args", "provenance", "sbom", "ssh", "labels", "cache_from",
    "cache_to", "no_cache", "no_cache_filter", "additional_contexts", "pull", "extra_hosts", "isolation", "network", "target",
    "secrets", "shm_size", "tags", "ulimits", "platforms", "privileged",
];

/// A secret/config reference: a bare name becomes `{source: NAME}`; uid, gid and mode are
/// strings in compose's model.
fn stringly_ids(item: Value) -> Value {
    let mut item = match item {
        Value::Scalar { text, .. } => map(vec![("source", s(text))]),
        other => other,
    };
    for key in ["uid", "gid", "mode"] {
        if let Some(text) = item.get(key).and_then(Value::as_text).map(str::to_string) {
            item.set(key, s(text));
        }
    }
    item
}

/// A Go map prints with its keys sorted.
fn sort_map(value: Value) -> Value {
    match value {
        Value::Map(entries) => sorted_map(entries),
        other => other,
    }
}

/// compose-go's `ServiceConfig` fields in declaration order (how `config` prints them).
const SERVICE_ORDER: &[&str] = &[
    "profiles", "annotations", "attach", "build", "develop", "blkio_config", "cap_add", "cap_drop", "cgroup_parent", "cgroup",
    "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpuset", "cpu_shares",
    "command", "configs", "container_name", "credential_spec", "depends_on", "deploy", "device_cgroup_rules", "devices", "dns",
    "dns_opt", "dns_search", "dockerfile", "domainname", "entrypoint", "provider", "environment", "env_file", "expose", "extends",
    "external_links", "extra_hosts", "group_add", "gpus", "hostname", "healthcheck", "image", "init", "ipc", "isolation", "labels",
    "label_file", "links", "logging", "log_driver", "log_opt", "mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness",
    "mac_address", "models", "net", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit",
    "platform", "ports", "privileged", "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt",
    "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits",
    "use_api_socket", "user", "userns_mode", "uts", "volume_driver", "volumes", "volumes_from", "working_dir", "pre_start",
    "post_start", "pre_stop",
];

/// A duration as Go's `time.Duration.String()` writes it (`1m30s`, `500ms`), when it parses.
fn go_duration_value(value: &Value) -> Value {
    match value.as_text().and_then(crate::docker::parse_duration) {
        Some(ms) => s(go_duration(ms)),
        None => value.clone(),
    }
}

pub fn go_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (hours, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (minutes, rest) = (rest / 60_000, rest % 60_000);
    let seconds = if rest % 1000 == 0 { format!("{}s", rest / 1000) } else { format!("{}s", (rest as f64 / 1000.0)) };
    match (hours, minutes) {
        (0, 0) => seconds,
        (0, m) => format!("{m}m{seconds}"),
        (h, m) => format!("{h}h{m}m{seconds}"),
    }
}

/// `512m` → `"536870912"`: compose prints byte sizes as strings of bytes.
fn bytes_value(value: &Value) -> Value {
    match value.as_text().and_then(crate::docker::parse_size) {
        Some(bytes) => s(bytes.to_string()),
        None => value.clone(),
    }
}

/// Puts the named keys first, in that order (Go struct field order), the rest after.
fn order(value: Value, first: &[&str]) -> Value {
    let Value::Map(mut entries) = value else { return value };
    entries.sort_by_key(|(k, _)| first.iter().position(|f| f == k).unwrap_or(first.len()));
    Value::Map(entries)
}

/// Ports in the long syntax: `[ip:][published:]target[/proto]`, ranges expanded.
fn ports(service: &str, value: &Value) -> Result<Vec<Value>, LoadError> {
    let mut out = Vec::new();
    for item in as_list(value) {
        match &item {
            Value::Map(_) => {
                let mut fields = vec![("mode", item.get("mode").cloned().unwrap_or(s("ingress")))];
                if let Some(ip) = item.get("host_ip") {
                    fields.push(("host_ip", ip.clone()));
                }
                fields.push(("target", item.get("target").cloned().unwrap_or(Value::Null)));
                if let Some(p) = item.get("published") {
                    fields.push(("published", s(p.as_text().unwrap_or_default())));
                }
                fields.push(("protocol", item.get("protocol").cloned().unwrap_or(s("tcp"))));
                out.push(map(fields));
            }
            Value::Scalar { text, .. } => {
                for port in parse_port(text).ok_or_else(|| LoadError(format!("services.{service}.ports: invalid port: {text}")))? {
                    let mut fields = vec![("mode", s("ingress"))];
                    if let Some(ip) = port.host_ip {
                        fields.push(("host_ip", s(ip)));
                    }
                    fields.push(("target", plain(port.target.to_string())));
                    if let Some(p) = port.published {
                        fields.push(("published", s(p)));
                    }
                    fields.push(("protocol", s(port.protocol)));
                    out.push(map(fields));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// `8080:80`, `127.0.0.1:8080:80/udp`, `3000-3001:3000-3001`, `80`.
pub fn parse_port(text: &str) -> Option<Vec<Port>> {
    let (spec, protocol) = text.split_once('/').unwrap_or((text, "tcp"));
    let parts: Vec<&str> = match spec.rfind(':') {
        None => vec![spec],
        Some(last) => {
            let (front, target) = (&spec[..last], &spec[last + 1..]);
            match front.rfind(':') {
                Some(ip_end) => vec![&front[..ip_end], &front[ip_end + 1..], target],
                None => vec![front, target],
            }
        }
    };
    let (ip, published, target) = match parts.as_slice() {
        [target] => (None, None, *target),
        [published, target] => (None, Some(*published), *target),
        [ip, published, target] => (Some(ip.trim_matches(['[', ']']).to_string()), Some(*published), *target),
        _ => return None,
    };
    let range = |t: &str| -> Option<(u32, u32)> {
        match t.split_once('-') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => {
                let n = t.parse().ok()?;
                Some((n, n))
            }
        }
    };
    let (t0, t1) = range(target)?;
    if t1 < t0 || t1 > 65535 {
        return None;
    }
    let published = published.filter(|p| !p.is_empty());
    let mut ports = Vec::new();
    for (i, t) in (t0..=t1).enumerate() {
        let published = match published {
            None => None,
            Some(p) => match range(p) {
                Some((p0, p1)) if p1.checked_sub(p0) == Some(t1 - t0) && t1 > t0 => Some((p0 + i as u32).to_string()),
                Some(_) => Some(p.to_string()),
                None => return None,
            },
        };
        ports.push(Port { host_ip: ip.clone().filter(|i| !i.is_empty()), target: t, published, protocol: protocol.to_string() });
    }
    Some(ports)
}

/// A volume entry in the long syntax; the short one parsed as compose-go's `ParseVolume`.
fn volume(item: &Value, dir: &str, home: &str) -> Result<Value, LoadError> {
    match item {
        Value::Scalar { text, .. } => short_volume(text, dir, home),
        Value::Map(_) => {
            let mut long = item.clone();
            if long.get("type").and_then(Value::as_text) == Some("bind") {
                if let Some(Value::Scalar { text, .. }) = long.get_mut("source") {
                    *text = bind_source(text, dir, home);
                }
            }
            // tmpfs sizes are byte strings in compose's model.
            if let Some(tmpfs) = long.get_mut("tmpfs") {
                if let Some(size) = tmpfs.get("size").cloned() {
                    tmpfs.set("size", bytes_value(&size));
                }
            }
            Ok(order(long, &["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs"]))
        }
        other => Ok(other.clone()),
    }
}

/// A bind source made absolute: `~` is the client's home, relative paths the project's.
fn bind_source(source: &str, dir: &str, home: &str) -> String {
    match source.strip_prefix('~') {
        Some(rest) => crate::fs::normalize(&format!(".{rest}"), home),
        None => crate::fs::normalize(source, dir),
    }
}

/// `[SOURCE:]TARGET[:OPTIONS]` with compose-go's errors and option names.
fn short_volume(spec: &str, dir: &str, home: &str) -> Result<Value, LoadError> {
    let invalid = |why: &str| LoadError(format!("invalid spec: {spec}: {why}"));
    if spec.is_empty() {
        return Err(LoadError("invalid empty volume spec".into()));
    }
    let (mut source, mut target, mut options) = (String::new(), String::new(), None::<String>);
    if spec.chars().count() <= 2 {
        target = spec.to_string();
    } else {
        let parts: Vec<&str> = spec.split(':').collect();
        for (index, part) in parts.iter().enumerate() {
            let last = index + 1 == parts.len();
            if part.is_empty() {
                return Err(invalid("empty section between colons"));
            }
            if source.is_empty() && last {
                target = part.to_string();
            } else if source.is_empty() {
                source = part.to_string();
            } else if target.is_empty() {
                target = part.to_string();
            } else if !last {
                return Err(invalid("too many colons"));
            } else {
                options = Some(part.to_string());
            }
        }
    }
    let (mut read_only, mut nocopy) = (false, false);
    let mut bind_options: Vec<(&str, Value)> = Vec::new();
    for option in options.iter().flat_map(|o| o.split(',')) {
        match option {
            "ro" => read_only = true,
            "rw" => read_only = false,
            "nocopy" => nocopy = true,
            "rprivate" | "private" | "rshared" | "shared" | "rslave" | "slave" => bind_options.push(("propagation", s(option))),
            "z" | "Z" => bind_options.push(("selinux", s(option))),
            _ => {}
        }
    }
    let is_bind = source.starts_with(['.', '/', '~']);
    let mut fields = vec![("type", s(if is_bind { "bind" } else { "volume" }))];
    if !source.is_empty() {
        fields.push(("source", s(if is_bind { bind_source(&source, dir, home) } else { source.clone() })));
    }
    fields.push(("target", s(target)));
    if read_only {
        fields.push(("read_only", plain("true")));
    }
    if is_bind {
        // `create_host_path` defaults to true and compose-go omits it then.
        fields.push(("bind", map(bind_options)));
    } else {
        fields.push(("volume", if nocopy { map(vec![("nocopy", plain("true"))]) } else { Value::Map(Vec::new()) }));
    }
    Ok(map(fields))
}

/// Go's `time.ParseDuration` as compose reads durations, in milliseconds.
fn duration(value: Option<&Value>) -> Option<u64> {
    value.and_then(Value::as_text).and_then(crate::docker::parse_duration)
}

fn flag(value: Option<&Value>) -> bool {
    value.is_some_and(|v| matches!(v.as_text().map(|t| scalar_type(t, true)), Some(Typed::Bool(true))))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value.map(as_list).unwrap_or_default().iter().filter_map(text_of).collect()
}

/// The typed project read from the canonical tree; `profiles` picks the enabled services.
pub fn project(canonical: &Value, name: &str, dir: &str, profiles: &[String]) -> Result<Project, LoadError> {
    let mut project = Project { name: name.to_string(), working_dir: dir.to_string(), ..Project::default() };
    if let Some(Value::Map(services)) = canonical.get("services") {
        for (service_name, value) in services {
            let service = service(service_name, value)?;
            let enabled = service.profiles.is_empty() || service.profiles.iter().any(|p| profiles.contains(p) || p == "*") || profiles.iter().any(|p| p == "*");
            if enabled {
                project.services.insert(service_name.clone(), service);
            } else {
                project.disabled.insert(service_name.clone(), service);
            }
        }
    }
    for (key, value) in canonical.get("networks").and_then(Value::as_map).cloned().unwrap_or_default() {
        project.networks.insert(
            key,
            Network {
                name: value.get("name").and_then(text_of).unwrap_or_default(),
                driver: value.get("driver").and_then(text_of),
                internal: flag(value.get("internal")),
                external: flag(value.get("external")),
            },
        );
    }
    for (key, value) in canonical.get("volumes").and_then(Value::as_map).cloned().unwrap_or_default() {
        project.volumes.insert(key, Volume { name: value.get("name").and_then(text_of).unwrap_or_default(), external: flag(value.get("external")) });
    }
    for (kind, target) in [("secrets", &mut project.secrets), ("configs", &mut project.configs)] {
        for (key, value) in canonical.get(kind).and_then(Value::as_map).cloned().unwrap_or_default() {
            target.insert(
                key,
                FileObject {
                    name: value.get("name").and_then(text_of).unwrap_or_default(),
                    file: value.get("file").and_then(text_of),
                    content: value.get("content").and_then(text_of),
                    environment: value.get("environment").and_then(text_of),
                    external: flag(value.get("external")),
                },
            );
        }
    }
    Ok(project)
}

fn service(name: &str, value: &Value) -> Result<Service, LoadError> {
    let get = |k: &str| value.get(k);
    let text = |k: &str| get(k).and_then(text_of);
    let size = |v: Option<&Value>| v.and_then(Value::as_text).and_then(crate::docker::parse_size);
    let mut service = Service { name: name.to_string(), image: text("image"), ..Service::default() };
    if let Some(build) = get("build") {
        service.build = Some(Build {
            context: build.get("context").and_then(text_of).unwrap_or_default(),
            dockerfile: build.get("dockerfile").and_then(text_of).unwrap_or_else(|| "Dockerfile".into()),
            target: build.get("target").and_then(text_of),
            args: build.get("args").and_then(Value::as_map).cloned().unwrap_or_default().into_iter().map(|(k, v)| (k, text_of(&v))).collect(),
        });
    }
    service.command = get("command").map(|v| strings(Some(v)));
    service.entrypoint = get("entrypoint").map(|v| strings(Some(v)));
    for (k, v) in get("environment").and_then(Value::as_map).cloned().unwrap_or_default() {
        service.environment.insert(k, text_of(&v));
    }
    for port in get("ports").map(as_list).unwrap_or_default() {
        service.ports.push(Port {
            host_ip: port.get("host_ip").and_then(text_of),
            target: port.get("target").and_then(Value::as_text).and_then(|t| t.parse().ok()).unwrap_or(0),
            published: port.get("published").and_then(text_of),
            protocol: port.get("protocol").and_then(text_of).unwrap_or_else(|| "tcp".into()),
        });
    }
    service.expose = strings(get("expose"));
    for mount in get("volumes").map(as_list).unwrap_or_default() {
        service.volumes.push(Mount {
            kind: mount.get("type").and_then(text_of).unwrap_or_else(|| "volume".into()),
            source: mount.get("source").and_then(text_of),
            target: mount.get("target").and_then(text_of).unwrap_or_default(),
            read_only: flag(mount.get("read_only")),
        });
    }
    for (net, spec) in get("networks").and_then(Value::as_map).cloned().unwrap_or_default() {
        service.networks.insert(net, ServiceNetwork { aliases: strings(spec.get("aliases")) });
    }
    service.network_mode = text("network_mode");
    for (dep, spec) in get("depends_on").and_then(Value::as_map).cloned().unwrap_or_default() {
        let condition = match spec.get("condition").and_then(Value::as_text) {
            Some("service_healthy") => Condition::Healthy,
            Some("service_completed_successfully") => Condition::CompletedSuccessfully,
            _ => Condition::Started,
        };
        let required = spec.get("required").and_then(Value::as_text) != Some("false");
        service.depends_on.insert(dep, Dependency { condition, restart: flag(spec.get("restart")), required });
    }
    if let Some(health) = get("healthcheck") {
        service.healthcheck = Some(Healthcheck {
            test: strings(health.get("test")),
            interval: duration(health.get("interval")),
            timeout: duration(health.get("timeout")),
            start_period: duration(health.get("start_period")),
            retries: health.get("retries").and_then(Value::as_text).and_then(|r| r.parse().ok()),
            disable: flag(health.get("disable")),
        });
    }
    service.restart = text("restart");
    let limits = get("deploy").and_then(|d| d.get("resources")).and_then(|r| r.get("limits"));
    let reservations = get("deploy").and_then(|d| d.get("resources")).and_then(|r| r.get("reservations"));
    service.mem_limit = size(get("mem_limit")).or_else(|| size(limits.and_then(|l| l.get("memory"))));
    service.mem_reservation = size(get("mem_reservation")).or_else(|| size(reservations.and_then(|l| l.get("memory"))));
    service.cpus = get("cpus").or_else(|| limits.and_then(|l| l.get("cpus"))).and_then(Value::as_text).and_then(|c| c.parse().ok());
    let count = |v: Option<&Value>| v.and_then(Value::as_text).and_then(|r| r.parse::<i64>().ok());
    let (scale, replicas) = (count(get("scale")), count(get("deploy").and_then(|d| d.get("replicas"))));
    if let (Some(a), Some(b)) = (scale, replicas) {
        if a != b {
            return Err(LoadError(format!("services.{name}: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project")));
        }
    }
    if scale.is_some_and(|n| n < 0) {
        return Err(LoadError(format!("services.{name}.scale: must be greater than or equal to 0")));
    }
    if replicas.is_some_and(|n| n < 0) {
        return Err(LoadError(format!("services.{name}.deploy.replicas: must be greater than or equal to 0")));
    }
    service.replicas = scale.or(replicas).map(|n| n as u64);
    service.replicas_from = if scale.is_some() { Some("scale") } else if replicas.is_some() { Some("deploy.replicas") } else { None };
    for (kind, target) in [("secrets", &mut service.secrets), ("configs", &mut service.configs)] {
        for item in get(kind).map(as_list).unwrap_or_default() {
            let source = item.get("source").and_then(text_of).unwrap_or_default();
            let default_target = if kind == "secrets" { format!("/run/secrets/{source}") } else { format!("/{source}") };
            let target_path = match item.get("target").and_then(text_of) {
                Some(t) if t.starts_with('/') => t,
                Some(t) if kind == "secrets" => format!("/run/secrets/{t}"),
                Some(t) => format!("/{t}"),
                None => default_target,
            };
            target.push((source, target_path));
        }
    }
    service.logging_driver = get("logging").and_then(|l| l.get("driver")).and_then(text_of);
    service.profiles = strings(get("profiles"));
    service.user = text("user");
    service.read_only = flag(get("read_only"));
    service.tmpfs = strings(get("tmpfs"));
    service.container_name = text("container_name");
    service.hostname = text("hostname");
    service.working_dir = text("working_dir");
    for (k, v) in get("labels").and_then(Value::as_map).cloned().unwrap_or_default() {
        service.labels.insert(k, text_of(&v).unwrap_or_default());
    }
    service.stop_signal = text("stop_signal");
    service.stop_grace_period = duration(get("stop_grace_period"));
    service.init = flag(get("init"));
    service.tty = flag(get("tty"));
    service.stdin_open = flag(get("stdin_open"));
    service.pull_policy = text("pull_policy");
    Ok(service)
}
