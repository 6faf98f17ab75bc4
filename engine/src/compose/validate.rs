//! What compose refuses: properties the Compose schema does not allow, wrong types for the
//! fields Whalebox reads, and an inconsistent project (undefined networks, depends_on cycles).

use super::load::LoadError;
use super::model::Project;
use super::yaml::Value;

const TOP: &[&str] = &["configs", "include", "models", "name", "networks", "secrets", "services", "version", "volumes"];
const SERVICE: &[&str] = &[
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command", "configs",
    "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",
    "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt",
    "dns_search", "domainname", "entrypoint", "env_file", "environment", "expose", "extends", "external_links", "extra_hosts",
    "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links",
    "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode",
    "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop",
    "privileged", "profiles", "provider", "pull_policy", "pull_refresh_after", "read_only", "restart", "runtime", "scale",
    "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs",
    "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
];
const HEALTHCHECK: &[&str] = &["disable", "interval", "retries", "start_interval", "start_period", "test", "timeout"];
const DEPLOY: &[&str] = &["endpoint_mode", "labels", "mode", "placement", "replicas", "resources", "restart_policy", "rollback_config", "update_config"];
const NETWORK: &[&str] = &["attachable", "driver", "driver_opts", "enable_ipv4", "enable_ipv6", "external", "internal", "ipam", "labels", "name"];
const VOLUME: &[&str] = &["driver", "driver_opts", "external", "labels", "name"];
const SECRET: &[&str] = &["driver", "driver_opts", "environment", "external", "file", "labels", "name", "template_driver"];
const CONFIG: &[&str] = &["content", "environment", "external", "file", "labels", "name", "template_driver"];
const BUILD: &[&str] = &[
    "additional_contexts", "args", "cache_from", "cache_to", "context", "dockerfile", "dockerfile_inline", "entitlements",
    "extra_hosts", "isolation", "labels", "network", "no_cache", "platforms", "privileged", "provenance", "pull", "sbom",
    "secrets", "shm_size", "ssh", "tags", "target", "ulimits",
];
const DEPENDENCY: &[&str] = &["condition", "required", "restart"];
const CONDITIONS: &[&str] = &["service_started", "service_healthy", "service_completed_successfully"];

/// The JSON-schema check compose runs before anything else (`validating FILE: …`).
pub fn schema(dict: &Value) -> Result<(), String> {
    properties(dict, "", TOP)?;
    for (section, allowed) in [("networks", NETWORK), ("volumes", VOLUME), ("secrets", SECRET), ("configs", CONFIG)] {
        match dict.get(section) {
            None | Some(Value::Null) => {}
            Some(Value::Map(items)) => {
                for (name, item) in items {
                    if !matches!(item, Value::Null) {
                        must_be_map(item, &format!("{section}.{name}"))?;
                        properties(item, &format!("{section}.{name}"), allowed)?;
                    }
                }
            }
            Some(_) => return Err(format!("{section} must be a mapping")),
        }
    }
    let services = match dict.get("services") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Map(items)) => items,
        Some(_) => return Err("services must be a mapping".into()),
    };
    for (name, service) in services {
        let at = format!("services.{name}");
        if matches!(service, Value::Null) {
            continue;
        }
        must_be_map(service, &at)?;
        properties(service, &at, SERVICE)?;
        if let Some(value @ Value::Map(_)) = service.get("healthcheck") {
            properties(value, &format!("{at}.healthcheck"), HEALTHCHECK)?;
        }
        if let Some(value @ Value::Map(_)) = service.get("deploy") {
            properties(value, &format!("{at}.deploy"), DEPLOY)?;
        }
        if let Some(value @ Value::Map(_)) = service.get("build") {
            properties(value, &format!("{at}.build"), BUILD)?;
        }
        for key in ["ports", "expose", "volumes", "cap_add", "cap_drop", "profiles", "secrets", "configs", "external_links", "links", "devices"] {
            if let Some(value) = service.get(key) {
                if !matches!(value, Value::Seq(_)) {
                    return Err(format!("{at}.{key} must be a array"));
                }
            }
        }
        for key in ["image", "container_name", "hostname", "user", "working_dir", "restart", "stop_signal", "network_mode"] {
            if let Some(value) = service.get(key) {
                if !matches!(value, Value::Scalar { .. }) {
                    return Err(format!("{at}.{key} must be a string"));
                }
            }
        }
        if let Some(Value::Map(deps)) = service.get("depends_on") {
            for (dep, spec) in deps {
                let here = format!("{at}.depends_on.{dep}");
                must_be_map(spec, &here)?;
                properties(spec, &here, DEPENDENCY)?;
                match spec.get("condition").and_then(Value::as_text) {
                    None => return Err(format!("{here} missing property 'condition'")),
                    Some(c) if !CONDITIONS.contains(&c) => {
                        return Err(format!("{here}.condition value must be one of \"service_started\", \"service_healthy\", \"service_completed_successfully\""));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    Ok(())
}

fn must_be_map(value: &Value, at: &str) -> Result<(), String> {
    match value {
        Value::Map(_) => Ok(()),
        _ => Err(format!("{at} must be a mapping")),
    }
}

fn properties(value: &Value, at: &str, allowed: &[&str]) -> Result<(), String> {
    let Some(entries) = value.as_map() else { return Ok(()) };
    for (key, _) in entries {
        if !allowed.contains(&key.as_str()) && !key.starts_with("x-") {
            let at = if at.is_empty() { "(root)".to_string() } else { at.to_string() };
            return Err(format!("{at} additional properties '{key}' not allowed"));
        }
    }
    Ok(())
}

/// compose-go's consistency checks and dependency graph, after profiles are applied.
pub fn consistency(project: &Project) -> Result<(), LoadError> {
    let fail = |m: String| Err(LoadError(m));
    for (name, service) in &project.services {
        if service.image.is_none() && service.build.is_none() {
            return fail(format!("service \"{name}\" has neither an image nor a build context specified: invalid compose project"));
        }
        for network in service.networks.keys() {
            if !project.networks.contains_key(network) {
                return fail(format!("service \"{name}\" refers to undefined network {network}: invalid compose project"));
            }
        }
        for mount in &service.volumes {
            if mount.kind == "volume" {
                if let Some(source) = &mount.source {
                    if !project.volumes.contains_key(source) {
                        return fail(format!("service \"{name}\" refers to undefined volume {source}: invalid compose project"));
                    }
                }
            }
        }
        for (source, _) in &service.secrets {
            if !project.secrets.contains_key(source) {
                return fail(format!("service \"{name}\" refers to undefined secret {source}: invalid compose project"));
            }
        }
        for (source, _) in &service.configs {
            if !project.configs.contains_key(source) {
                return fail(format!("service \"{name}\" refers to undefined config {source}: invalid compose project"));
            }
        }
        for (dep, spec) in &service.depends_on {
            if project.services.contains_key(dep) {
                continue;
            }
            // compose-go: a dependency left out by profiles is fine only when not required;
            // otherwise it is as undefined as a missing one.
            if project.disabled.contains_key(dep) && !spec.required {
                continue;
            }
            return fail(format!("service \"{name}\" depends on undefined service \"{dep}\": invalid compose project"));
        }
        // compose-go checks this after the references above.
        if service.scale() > 1 && service.container_name.is_some() {
            return fail(container_name_error(service));
        }
    }
    if let Some(cycle) = find_cycle(project) {
        return fail(format!("dependency cycle detected: {cycle}"));
    }
    Ok(())
}

/// compose-go's message (its format arguments really are in this order: the attribute first).
pub fn container_name_error(service: &super::model::Service) -> String {
    format!(
        "services.{}: can't set container_name and {} as container name must be unique: invalid compose project",
        service.replicas_from.unwrap_or("scale"),
        service.name
    )
}

/// `a -> b -> a`, walking services in name order like compose-go's graph (sorted for determinism).
fn find_cycle(project: &Project) -> Option<String> {
    fn visit(project: &Project, name: &str, path: &mut Vec<String>, done: &mut Vec<String>) -> Option<String> {
        if let Some(i) = path.iter().position(|p| p == name) {
            return Some(format!("{} -> {name}", path[i..].join(" -> ")));
        }
        if done.iter().any(|d| d == name) {
            return None;
        }
        path.push(name.to_string());
        if let Some(service) = project.services.get(name) {
            for dep in service.depends_on.keys() {
                if let Some(cycle) = visit(project, dep, path, done) {
                    return Some(cycle);
                }
            }
        }
        path.pop();
        done.push(name.to_string());
        None
    }
    let mut done = Vec::new();
    for name in project.services.keys() {
        if let Some(cycle) = visit(project, name, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}
