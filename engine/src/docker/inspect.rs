//! `docker inspect` and `docker image inspect`: Docker's JSON view of an object, or a field of it
//! through `--format`.

use serde_json::{json, Map, Value};

use super::flags::{Args, CommandSpec, Parsed};
use super::template;
use super::Invocation;
use std::collections::BTreeMap;

use crate::clock::SimTime;
use crate::image::{Healthcheck, Image};
use crate::outcome::Outcome;
use crate::world::{Container, ContainerStatus, World};

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker inspect",
    help: include_str!("help/inspect.txt"),
    args: Args::AtLeast(1),
    interspersed: true,
};

pub const IMAGE_SPEC: CommandSpec = CommandSpec {
    path: "docker image inspect",
    help: include_str!("help/image_inspect.txt"),
    args: Args::AtLeast(1),
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let kind = parsed.value("type").unwrap_or("");
    const KNOWN_TYPES: &[&str] = &["", "config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"];
    if !KNOWN_TYPES.contains(&kind) {
        let mut outcome = Outcome::default();
        outcome.err(format!("\"{kind}\" is not a valid value for --type"));
        return outcome.fail(1);
    }
    let size = parsed.bool("size");
    // Docker tries object kinds in this order: containers first, then images.
    inspect_objects(world, &parsed, |world, name| {
        let container = if matches!(kind, "" | "container") { world.find_container(name) } else { None };
        if let Some(container) = container {
            return Ok(container_json(world, container, size));
        }
        let image = if matches!(kind, "" | "image") { world.find_image(name) } else { None };
        if let Some(image) = image {
            return Ok(image_json(world, image));
        }
        match world.volume(name).filter(|_| matches!(kind, "" | "volume")) {
            Some(volume) => Ok(super::volume::volume_json(volume)),
            None => Err(format!("Error: No such object: {name}")),
        }
    })
}

pub fn run_image(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    inspect_objects(world, &parsed, |world, name| {
        world.find_image(name).map(|image| image_json(world, image)).ok_or_else(|| format!("Error response from daemon: No such image: {name}"))
    })
}

/// Looks up every name and prints what it found, the way the CLI's inspector does: the JSON
/// array (or each template result) on stdout, then every error on stderr, status 1 if any.
fn inspect_objects(world: &World, parsed: &Parsed, find: impl Fn(&World, &str) -> Result<Value, String>) -> Outcome {
    let mut outcome = Outcome::default();
    let format = parsed.value("format").filter(|f| !f.is_empty() && *f != "json");
    if let Some(format) = format {
        if let Err(error) = template::check(format) {
            outcome.err(format!("template parsing error: {error}"));
            return outcome.fail(1);
        }
    }
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for name in &parsed.args {
        match find(world, name) {
            Ok(object) => objects.push(object),
            Err(message) => errors.push(message),
        }
    }
    match format {
        Some(format) => {
            // The template inspector's Flush writes a bare newline when nothing was written
            // (every object failed, or none was found), as the real CLI does.
            if !objects.iter().any(|object| template::execute_inspect(format, object).is_ok()) {
                outcome.out("");
            }
            for object in &objects {
                match template::execute_inspect(format, object) {
                    Ok(text) => {
                        // The inspector writes each result followed by a newline.
                        let full = format!("{text}\n");
                        let mut lines: Vec<&str> = full.split('\n').collect();
                        lines.pop();
                        for line in lines {
                            outcome.out(line);
                        }
                    }
                    Err(error) => errors.push(error),
                }
            }
        }
        None => outcome.out_block(&go_json(&Value::Array(objects))),
    }
    for error in &errors {
        outcome.err(error.clone());
    }
    if !errors.is_empty() {
        outcome.exit_code = 1;
    }
    outcome
}

/// `json.MarshalIndent` with four spaces, and Go's escaping of `<`, `>` and `&`.
pub fn go_json(value: &Value) -> String {
    let mut bytes = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
    let _ = serde::Serialize::serialize(value, &mut serializer);
    String::from_utf8(bytes)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// An ordered JSON object (Docker's field order, not alphabetical).
struct Object(Vec<(&'static str, Value)>);

impl Object {
    fn into_value(self) -> Value {
        let mut map = Map::new();
        for (key, value) in self.0 {
            map.insert(key.to_string(), value);
        }
        Value::Object(map)
    }
}

fn image_json(world: &World, image: &Image) -> Value {
    let config = &image.config;
    let mut config_fields: Vec<(&'static str, Value)> = Vec::new();
    if !config.user.is_empty() {
        config_fields.push(("User", json!(config.user)));
    }
    if !config.exposed_ports.is_empty() {
        let ports: Map<String, Value> = config.exposed_ports.iter().map(|p| (p.clone(), json!({}))).collect();
        config_fields.push(("ExposedPorts", Value::Object(ports)));
    }
    if !config.env.is_empty() {
        config_fields.push(("Env", json!(config.env)));
    }
    if let Some(entrypoint) = &config.entrypoint {
        config_fields.push(("Entrypoint", json!(entrypoint)));
    }
    if let Some(cmd) = &config.cmd {
        config_fields.push(("Cmd", json!(cmd)));
    }
    if !config.volumes.is_empty() {
        let volumes: Map<String, Value> = config.volumes.iter().map(|v| (v.clone(), json!({}))).collect();
        config_fields.push(("Volumes", Value::Object(volumes)));
    }
    if !config.working_dir.is_empty() {
        config_fields.push(("WorkingDir", json!(config.working_dir)));
    }
    if !config.labels.is_empty() {
        config_fields.push(("Labels", json!(config.labels)));
    }
    if let Some(signal) = &config.stop_signal {
        config_fields.push(("StopSignal", json!(signal)));
    }
    if let Some(check) = &config.healthcheck {
        config_fields.push(("Healthcheck", healthcheck_json(check)));
    }
    if !config.on_build.is_empty() {
        config_fields.push(("OnBuild", json!(config.on_build)));
    }
    if let Some(shell) = &config.shell {
        config_fields.push(("Shell", json!(shell)));
    }
    let comment = image.history.last().map(|h| h.comment.clone()).unwrap_or_default();
    let hex = crate::ids::digest_hex(&image.id);
    let layers: Vec<&String> = image.layers.iter().collect();
    let _ = world;
    Object(vec![
        ("Id", json!(image.id)),
        ("RepoTags", json!(image.repo_tags)),
        ("RepoDigests", json!(image.repo_digests)),
        ("Parent", json!("")),
        ("Comment", json!(comment)),
        ("Created", json!(image.created.rfc3339())),
        ("DockerVersion", json!("")),
        ("Author", json!("")),
        ("Config", Object(config_fields).into_value()),
        ("Architecture", json!(config.architecture)),
        ("Os", json!(config.os)),
        ("Size", json!(image.size)),
        (
            "GraphDriver",
            Object(vec![
                (
                    "Data",
                    Object(vec![
                        ("MergedDir", json!(format!("/var/lib/docker/overlay2/{}/merged", &hex[..25.min(hex.len())]))),
                        ("UpperDir", json!(format!("/var/lib/docker/overlay2/{}/diff", &hex[..25.min(hex.len())]))),
                        ("WorkDir", json!(format!("/var/lib/docker/overlay2/{}/work", &hex[..25.min(hex.len())]))),
                    ])
                    .into_value(),
                ),
                ("Name", json!("overlay2")),
            ])
            .into_value(),
        ),
        ("RootFS", Object(vec![("Type", json!("layers")), ("Layers", json!(layers))]).into_value()),
        ("Metadata", Object(vec![("LastTagTime", json!("0001-01-01T00:00:00Z"))]).into_value()),
    ])
    .into_value()
}

pub const CONTAINER_SPEC: CommandSpec = CommandSpec {
    path: "docker container inspect",
    help: include_str!("help/container_inspect.txt"),
    args: Args::AtLeast(1),
    interspersed: true,
};

pub fn run_container(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let size = parsed.bool("size");
    inspect_objects(world, &parsed, |world, name| {
        world
            .find_container(name)
            .map(|container| container_json(world, container, size))
            .ok_or_else(|| format!("Error response from daemon: No such container: {name}"))
    })
}


/// `Config.Healthcheck`: only the fields that were set, durations in nanoseconds.
fn healthcheck_json(check: &Healthcheck) -> Value {
    let nanos = |millis: u64| millis * 1_000_000;
    let mut fields = vec![("Test", json!(check.test))];
    if check.interval > 0 {
        fields.push(("Interval", json!(nanos(check.interval))));
    }
    if check.timeout > 0 {
        fields.push(("Timeout", json!(nanos(check.timeout))));
    }
    if check.start_period > 0 {
        fields.push(("StartPeriod", json!(nanos(check.start_period))));
    }
    if check.retries > 0 {
        fields.push(("Retries", json!(check.retries)));
    }
    Object(fields).into_value()
}

/// Go's `time.RFC3339Nano` for a simulated instant (trailing zeros of the fraction dropped).
pub(crate) fn rfc3339_nano(time: SimTime) -> String {
    let millis = time.0 % 1000;
    let base = time.rfc3339();
    if millis == 0 {
        return base;
    }
    let fraction = format!("{millis:03}");
    format!("{}.{}Z", base.trim_end_matches('Z'), fraction.trim_end_matches('0'))
}

/// Go's zero `time.Time`, which Docker prints for "never".
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// A stable hex name derived from `seed`, for IDs Docker would draw at random (endpoints,
/// sandboxes, overlay directories).
fn derived_hex(seed: &str) -> String {
    crate::ids::digest_hex(&crate::ids::sha256_digest(seed.as_bytes())).to_string()
}

/// Docker 28 gives each endpoint a random, locally administered MAC address.
fn mac_address(seed: &str) -> String {
    let hex = derived_hex(seed);
    let byte = |i: usize| u8::from_str_radix(hex.get(i * 2..i * 2 + 2).unwrap_or("00"), 16).unwrap_or(0);
    let first = (byte(0) & 0xfe) | 0x02;
    format!("{first:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", byte(1), byte(2), byte(3), byte(4), byte(5))
}

/// Where published ports answer on the host while the container runs, as
/// `NetworkSettings.Ports` lists them: `0.0.0.0` and `::` for all interfaces, the given address
/// otherwise.
pub(crate) fn published_ports(container: &Container) -> BTreeMap<String, Vec<(String, String)>> {
    let mut ports: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for port in &container.published {
        let entry = ports.entry(format!("{}/{}", port.container_port, port.proto)).or_default();
        entry.extend(port.host_addresses().into_iter().map(|ip| (ip, port.host_port.to_string())));
    }
    ports
}

/// The container's `Config` as the daemon stores it: the image's config with the container's
/// own settings merged over it (`daemon.merge`).
fn merged_config(world: &World, container: &Container) -> Value {
    let image = world.image(&container.image_id);
    let image_config = image.map(|i| i.config.clone()).unwrap_or_default();
    let config = &container.config;
    // The daemon keeps the container's variables first and adds the image's it does not set.
    let mut env = config.env.clone();
    for entry in &image_config.env {
        let name = entry.split('=').next().unwrap_or_default();
        if !env.iter().any(|e| e.split('=').next() == Some(name)) {
            env.push(entry.clone());
        }
    }
    let (cmd, entrypoint) = match (&config.cmd, &config.entrypoint) {
        (cmd, Some(entrypoint)) => (cmd.clone(), Some(entrypoint.clone())),
        (Some(cmd), None) => (Some(cmd.clone()), image_config.entrypoint.clone()),
        (None, None) => (image_config.cmd.clone(), image_config.entrypoint.clone()),
    };
    let mut exposed: std::collections::BTreeSet<String> = image_config.exposed_ports.clone();
    exposed.extend(config.exposed_ports.iter().cloned());
    for spec in &container.host_config.port_bindings {
        exposed.extend(crate::ports::parse_port_spec(spec).unwrap_or_default().iter().map(crate::ports::PortBinding::key));
    }
    let mut labels = image_config.labels.clone();
    labels.extend(config.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    let healthcheck = match (&config.healthcheck, &image_config.healthcheck) {
        (Some(own), Some(base)) if own.test.first().is_none_or(|t| t != "NONE") => Some(Healthcheck {
            test: if own.test.is_empty() { base.test.clone() } else { own.test.clone() },
            interval: if own.interval > 0 { own.interval } else { base.interval },
            timeout: if own.timeout > 0 { own.timeout } else { base.timeout },
            start_period: if own.start_period > 0 { own.start_period } else { base.start_period },
            retries: if own.retries > 0 { own.retries } else { base.retries },
        }),
        (Some(own), _) => Some(own.clone()),
        (None, base) => base.clone(),
    };
    let or_image = |own: &str, image: &str| if own.is_empty() { image.to_string() } else { own.to_string() };
    let mut fields: Vec<(&'static str, Value)> = vec![
        ("Hostname", json!(config.hostname)),
        ("Domainname", json!(config.domainname)),
        ("User", json!(or_image(&config.user, &image_config.user))),
        ("AttachStdin", json!(config.attach_stdin)),
        ("AttachStdout", json!(config.attach_stdout)),
        ("AttachStderr", json!(config.attach_stderr)),
    ];
    if !exposed.is_empty() {
        let ports: Map<String, Value> = exposed.iter().map(|p| (p.clone(), json!({}))).collect();
        fields.push(("ExposedPorts", Value::Object(ports)));
    }
    fields.extend([
        ("Tty", json!(config.tty)),
        ("OpenStdin", json!(config.open_stdin)),
        ("StdinOnce", json!(config.attach_stdin)),
        ("Env", json!(env)),
        ("Cmd", json!(cmd)),
    ]);
    if let Some(check) = &healthcheck {
        fields.push(("Healthcheck", healthcheck_json(check)));
    }
    let volumes = if image_config.volumes.is_empty() && config.volumes.is_empty() {
        Value::Null
    } else {
        let all: Map<String, Value> = image_config.volumes.iter().chain(config.volumes.iter()).map(|v| (v.clone(), json!({}))).collect();
        Value::Object(all)
    };
    fields.extend([
        ("Image", json!(container.image)),
        ("Volumes", volumes),
        ("WorkingDir", json!(or_image(&config.working_dir, &image_config.working_dir))),
        ("Entrypoint", json!(entrypoint)),
        ("OnBuild", if image_config.on_build.is_empty() { Value::Null } else { json!(image_config.on_build) }),
        ("Labels", json!(labels)),
    ]);
    if let Some(signal) = config.stop_signal.as_ref().or(image_config.stop_signal.as_ref()) {
        fields.push(("StopSignal", json!(signal)));
    }
    if let Some(timeout) = config.stop_timeout {
        fields.push(("StopTimeout", json!(timeout)));
    }
    Object(fields).into_value()
}

/// `Mounts[]`: volumes, binds and `--mount` tmpfs, as the daemon lists its mount points.
fn mounts_json(container: &Container) -> Value {
    use crate::volume::MountKind;
    let mut list = Vec::new();
    for point in container.mounts.iter().filter(|m| !m.from_tmpfs_flag) {
        let mut fields: Vec<(&'static str, Value)> = vec![("Type", json!(point.kind.as_str()))];
        if point.kind == MountKind::Volume {
            fields.push(("Name", json!(point.name)));
        }
        fields.push(("Source", json!(point.host_source())));
        fields.push(("Destination", json!(point.destination)));
        if point.kind == MountKind::Volume {
            fields.push(("Driver", json!("local")));
        }
        // Volumes from `-v` without a mode show SELinux's shared label `z`.
        let mode = if point.kind == MountKind::Volume && point.mode.is_empty() { "z" } else { point.mode.as_str() };
        fields.push(("Mode", json!(mode)));
        fields.push(("RW", json!(point.rw)));
        fields.push(("Propagation", json!(point.propagation())));
        list.push(Object(fields).into_value());
    }
    Value::Array(list)
}

/// `HostConfig.Mounts`: each `--mount` as the CLI sent it.
fn host_mounts_json(container: &Container) -> Option<Value> {
    let mut list = Vec::new();
    for raw in &container.host_config.mounts {
        let Ok(flag) = crate::runtime::mounts::parse_mount_flag(raw, "/") else { continue };
        let mut fields: Vec<(&'static str, Value)> = vec![("Type", json!(flag.kind))];
        if !flag.source.is_empty() {
            fields.push(("Source", json!(flag.source)));
        }
        fields.push(("Target", json!(flag.target)));
        if flag.readonly {
            fields.push(("ReadOnly", json!(true)));
        }
        if flag.volume_options {
            let mut options: Vec<(&'static str, Value)> = Vec::new();
            if flag.volume_nocopy {
                options.push(("NoCopy", json!(true)));
            }
            if !flag.volume_labels.is_empty() {
                options.push(("Labels", json!(flag.volume_labels)));
            }
            if !flag.volume_opts.is_empty() {
                options.push(("DriverConfig", json!({"Options": flag.volume_opts})));
            }
            fields.push(("VolumeOptions", Object(options).into_value()));
        }
        if flag.bind_options {
            fields.push(("BindOptions", json!({"Propagation": flag.bind_propagation})));
        }
        if flag.tmpfs_options {
            let mut options: Vec<(&'static str, Value)> = Vec::new();
            if let Some(size) = flag.tmpfs_size {
                options.push(("SizeBytes", json!(size)));
            }
            if let Some(mode) = flag.tmpfs_mode {
                options.push(("Mode", json!(mode)));
            }
            fields.push(("TmpfsOptions", Object(options).into_value()));
        }
        list.push(Object(fields).into_value());
    }
    (!list.is_empty()).then_some(Value::Array(list))
}

fn host_config_json(container: &Container) -> Value {
    let host = &container.host_config;
    let list_or_null = |items: &[String]| if items.is_empty() { Value::Null } else { json!(items) };
    let mut bindings: Map<String, Value> = Map::new();
    for spec in &host.port_bindings {
        for binding in crate::ports::parse_port_spec(spec).unwrap_or_default() {
            let entry = bindings.entry(binding.key()).or_insert_with(|| json!([]));
            if let Value::Array(list) = entry {
                list.push(Object(vec![("HostIp", json!(binding.host_ip)), ("HostPort", json!(binding.host_port))]).into_value());
            }
        }
    }
    // The daemon doubles a memory limit into the swap limit when none is given.
    let memory_swap = match (host.memory, host.memory_swap) {
        (memory, 0) if memory > 0 => (memory * 2) as i64,
        (_, swap) => swap,
    };
    let mut fields: Vec<(&'static str, Value)> = vec![
        ("Binds", list_or_null(&host.binds)),
        ("ContainerIDFile", json!("")),
        ("LogConfig", Object(vec![("Type", json!("json-file")), ("Config", json!({}))]).into_value()),
        ("NetworkMode", json!(host.network_mode)),
        ("PortBindings", Value::Object(bindings)),
        (
            "RestartPolicy",
            Object(vec![("Name", json!(host.restart_policy.name)), ("MaximumRetryCount", json!(host.restart_policy.maximum_retry_count))])
                .into_value(),
        ),
        ("AutoRemove", json!(host.auto_remove)),
        ("VolumeDriver", json!("")),
        ("VolumesFrom", list_or_null(&host.volumes_from)),
        ("ConsoleSize", json!([24, 80])),
        ("CapAdd", list_or_null(&host.cap_add)),
        ("CapDrop", list_or_null(&host.cap_drop)),
        ("CgroupnsMode", json!("private")),
        ("Dns", json!(host.dns)),
        ("DnsOptions", json!([])),
        ("DnsSearch", json!([])),
        ("ExtraHosts", list_or_null(&host.extra_hosts)),
        ("GroupAdd", Value::Null),
        ("IpcMode", json!(host.ipc_mode)),
        ("Cgroup", json!("")),
        ("Links", Value::Null),
        ("OomScoreAdj", json!(0)),
        ("PidMode", json!(host.pid_mode)),
        ("Privileged", json!(host.privileged)),
        ("PublishAllPorts", json!(host.publish_all_ports)),
        ("ReadonlyRootfs", json!(host.readonly_rootfs)),
        ("SecurityOpt", list_or_null(&host.security_opt)),
    ];
    if !host.tmpfs.is_empty() {
        fields.push(("Tmpfs", json!(host.tmpfs)));
    }
    fields.extend([
        ("UTSMode", json!(host.uts_mode)),
        ("UsernsMode", json!("")),
        ("ShmSize", json!(67_108_864)),
        ("Runtime", json!("runc")),
        ("Isolation", json!("")),
        ("CpuShares", json!(host.cpu_shares)),
        ("Memory", json!(host.memory)),
        ("NanoCpus", json!(host.nano_cpus)),
        ("CgroupParent", json!("")),
        ("BlkioWeight", json!(0)),
        ("BlkioWeightDevice", json!([])),
        ("BlkioDeviceReadBps", json!([])),
        ("BlkioDeviceWriteBps", json!([])),
        ("BlkioDeviceReadIOps", json!([])),
        ("BlkioDeviceWriteIOps", json!([])),
        ("CpuPeriod", json!(host.cpu_period)),
        ("CpuQuota", json!(host.cpu_quota)),
        ("CpuRealtimePeriod", json!(0)),
        ("CpuRealtimeRuntime", json!(0)),
        ("CpusetCpus", json!(host.cpuset_cpus)),
        ("CpusetMems", json!("")),
        ("Devices", json!([])),
        ("DeviceCgroupRules", Value::Null),
        ("DeviceRequests", Value::Null),
        ("MemoryReservation", json!(host.memory_reservation)),
        ("MemorySwap", json!(memory_swap)),
        ("MemorySwappiness", Value::Null),
        ("OomKillDisable", if host.oom_kill_disable { json!(true) } else { Value::Null }),
        ("PidsLimit", host.pids_limit.filter(|l| *l > 0).map_or(Value::Null, |l| json!(l))),
        ("Ulimits", json!([])),
        ("CpuCount", json!(0)),
        ("CpuPercent", json!(0)),
        ("IOMaximumIOps", json!(0)),
        ("IOMaximumBandwidth", json!(0)),
    ]);
    let (masked, readonly) = if host.privileged {
        (Value::Null, Value::Null)
    } else {
        (
            json!([
                "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
                "/sys/devices/virtual/powercap"
            ]),
            json!(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]),
        )
    };
    if let Some(mounts) = host_mounts_json(container) {
        fields.push(("Mounts", mounts));
    }
    fields.push(("MaskedPaths", masked));
    fields.push(("ReadonlyPaths", readonly));
    if host.init {
        fields.push(("Init", json!(true)));
    }
    Object(fields).into_value()
}

fn network_settings_json(world: &World, container: &Container) -> Value {
    let running = container.run.is_some();
    let started = container.state.started_at.map_or(0, |t| t.0);
    let mode = match container.host_config.network_mode.as_str() {
        "" | "default" => "bridge",
        other => other,
    };
    let sandbox = if running { derived_hex(&format!("sandbox {} {started}", container.id)) } else { String::new() };
    let sandbox_key = if running { format!("/var/run/docker/netns/{}", &sandbox[..12]) } else { String::new() };
    let mut ports = Map::new();
    if running {
        let published = published_ports(container);
        let exposed = merged_config(world, container);
        if let Some(Value::Object(exposed)) = exposed.get("ExposedPorts") {
            for port in exposed.keys() {
                ports.insert(port.clone(), Value::Null);
            }
        }
        for (port, hosts) in published {
            let list: Vec<Value> =
                hosts.iter().map(|(ip, port)| Object(vec![("HostIp", json!(ip)), ("HostPort", json!(port))]).into_value()).collect();
            ports.insert(port, Value::Array(list));
        }
    }
    // One entry per network the container is on while it runs; a stopped container keeps its
    // configured network with the addresses cleared.
    let mut attached: Vec<(&crate::network::Network, Option<&crate::network::Endpoint>)> =
        world.networks().iter().filter_map(|n| n.endpoints.get(&container.id).map(|e| (n, Some(e)))).collect();
    if attached.is_empty() {
        if let Some(network) = world.find_network(mode) {
            attached.push((network, None));
        }
    }
    // Go's encoding/json writes a map's keys sorted.
    attached.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let mut networks = Map::new();
    let mut bridge_fields = (String::new(), String::new(), String::new(), 0u8, String::new());
    for (network, endpoint) in attached {
        let live = endpoint.is_some() && network.range().is_some();
        let ip = endpoint.filter(|_| live).map(|e| crate::network::ip_text(e.ip)).unwrap_or_default();
        let gateway = if live { network.gateway_text() } else { String::new() };
        let prefix = if live { network.prefix_len() } else { 0 };
        let endpoint_id = if endpoint.is_some() { derived_hex(&format!("endpoint {} {} {started}", container.id, network.id)) } else { String::new() };
        let mac = if live { mac_address(&format!("mac {} {} {started}", container.id, network.id)) } else { String::new() };
        let aliases = endpoint.map(|e| e.aliases.clone()).filter(|a| !a.is_empty());
        let dns_names = if network.has_dns() && endpoint.is_some() {
            // moby's buildEndpointDNSNames: name, aliases, short ID, hostname; no duplicates.
            let mut names = vec![container.name.clone()];
            names.extend(aliases.clone().unwrap_or_default());
            names.push(container.short_id().to_string());
            names.push(container.config.hostname.clone());
            let mut unique: Vec<String> = Vec::new();
            for name in names {
                if !name.is_empty() && !unique.contains(&name) {
                    unique.push(name);
                }
            }
            json!(unique)
        } else {
            Value::Null
        };
        if network.name == "bridge" {
            bridge_fields = (endpoint_id.clone(), gateway.clone(), ip.clone(), prefix, mac.clone());
        }
        let settings = Object(vec![
            ("IPAMConfig", Value::Null),
            ("Links", Value::Null),
            ("Aliases", aliases.map_or(Value::Null, |a| json!(a))),
            ("MacAddress", json!(mac)),
            ("DriverOpts", Value::Null),
            ("GwPriority", json!(0)),
            ("NetworkID", json!(if endpoint.is_some() { network.id.as_str() } else { "" })),
            ("EndpointID", json!(endpoint_id)),
            ("Gateway", json!(gateway)),
            ("IPAddress", json!(ip)),
            ("IPPrefixLen", json!(prefix)),
            ("IPv6Gateway", json!("")),
            ("GlobalIPv6Address", json!("")),
            ("GlobalIPv6PrefixLen", json!(0)),
            ("DNSNames", dns_names),
        ])
        .into_value();
        networks.insert(network.name.clone(), settings);
    }
    // The deprecated top-level fields describe the default bridge only (empty elsewhere).
    let (endpoint, gateway, ip, prefix, mac) = bridge_fields;
    Object(vec![
        ("Bridge", json!("")),
        ("SandboxID", json!(sandbox)),
        ("SandboxKey", json!(sandbox_key)),
        ("Ports", Value::Object(ports)),
        ("HairpinMode", json!(false)),
        ("LinkLocalIPv6Address", json!("")),
        ("LinkLocalIPv6PrefixLen", json!(0)),
        ("SecondaryIPAddresses", Value::Null),
        ("SecondaryIPv6Addresses", Value::Null),
        ("EndpointID", json!(endpoint)),
        ("Gateway", json!(gateway)),
        ("GlobalIPv6Address", json!("")),
        ("GlobalIPv6PrefixLen", json!(0)),
        ("IPAddress", json!(ip)),
        ("IPPrefixLen", json!(prefix)),
        ("IPv6Gateway", json!("")),
        ("MacAddress", json!(mac)),
        ("Networks", Value::Object(networks)),
    ])
    .into_value()
}

fn state_json(container: &Container) -> Value {
    let state = &container.state;
    let time = |t: Option<SimTime>| t.map_or(ZERO_TIME.to_string(), rfc3339_nano);
    let mut fields: Vec<(&'static str, Value)> = vec![
        ("Status", json!(state.status.as_str())),
        ("Running", json!(container.is_running())),
        ("Paused", json!(container.is_paused())),
        ("Restarting", json!(state.status == ContainerStatus::Restarting)),
        ("OOMKilled", json!(state.oom_killed)),
        ("Dead", json!(state.dead)),
        ("Pid", json!(state.pid)),
        ("ExitCode", json!(state.exit_code)),
        ("Error", json!(state.error)),
        ("StartedAt", json!(time(state.started_at))),
        ("FinishedAt", json!(time(state.finished_at))),
    ];
    if let Some(health) = &state.health {
        let log: Vec<Value> = health
            .log
            .iter()
            .map(|r| {
                Object(vec![
                    ("Start", json!(rfc3339_nano(r.start))),
                    ("End", json!(rfc3339_nano(r.end))),
                    ("ExitCode", json!(r.exit_code)),
                    ("Output", json!(r.output)),
                ])
                .into_value()
            })
            .collect();
        fields.push((
            "Health",
            Object(vec![
                ("Status", json!(health.status)),
                ("FailingStreak", json!(health.failing_streak)),
                ("Log", if log.is_empty() { Value::Null } else { Value::Array(log) }),
            ])
            .into_value(),
        ));
    }
    Object(fields).into_value()
}

/// Bytes in a container's writable layer (`SizeRw`), without the files Docker bind-mounts.
pub(crate) fn size_rw(container: &Container) -> u64 {
    container.upper.changes.iter().filter(|(path, _)| !RUNTIME_FILES.contains(&path.as_str())).map(|(_, change)| match change {
        crate::fs::Change::Put(node) => node.size(),
        _ => 0,
    }).sum()
}

/// Files Docker bind-mounts into every container: never part of its writable layer.
pub(crate) const RUNTIME_FILES: &[&str] = &["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"];

/// `docker inspect CONTAINER`: Docker 28's `container.InspectResponse`, field for field.
pub(crate) fn container_json(world: &World, container: &Container, size: bool) -> Value {
    let id = &container.id;
    let ever_started = container.state.started_at.is_some();
    let dir = |file: &str| if ever_started { format!("/var/lib/docker/containers/{id}/{file}") } else { String::new() };
    let exec_ids = match &container.run {
        Some(run) if !run.exec_ends.is_empty() => {
            json!(run.exec_ends.iter().map(|(pid, _)| derived_hex(&format!("exec {id} {pid}"))).collect::<Vec<_>>())
        }
        _ => Value::Null,
    };
    let image = world.image(&container.image_id);
    let layer_dir = derived_hex(&format!("rw {id}"));
    let mut lower = vec![format!("/var/lib/docker/overlay2/{layer_dir}-init/diff")];
    if let Some(image) = image {
        lower.extend(image.layers.iter().rev().map(|digest| format!("/var/lib/docker/overlay2/{}/diff", derived_hex(&format!("layer {digest}")))));
    }
    let graph_driver = Object(vec![
        (
            "Data",
            Object(vec![
                ("LowerDir", json!(lower.join(":"))),
                ("MergedDir", json!(format!("/var/lib/docker/overlay2/{layer_dir}/merged"))),
                ("UpperDir", json!(format!("/var/lib/docker/overlay2/{layer_dir}/diff"))),
                ("WorkDir", json!(format!("/var/lib/docker/overlay2/{layer_dir}/work"))),
            ])
            .into_value(),
        ),
        ("Name", json!("overlay2")),
    ])
    .into_value();
    let mut fields: Vec<(&'static str, Value)> = vec![
        ("Id", json!(id)),
        ("Created", json!(rfc3339_nano(container.created))),
        ("Path", json!(container.path)),
        ("Args", json!(container.args)),
        ("State", state_json(container)),
        ("Image", json!(container.image_id)),
        ("ResolvConfPath", json!(dir("resolv.conf"))),
        ("HostnamePath", json!(dir("hostname"))),
        ("HostsPath", json!(dir("hosts"))),
        ("LogPath", json!(dir(&format!("{id}-json.log")))),
        ("Name", json!(format!("/{}", container.name))),
        ("RestartCount", json!(container.restart_count)),
        ("Driver", json!("overlay2")),
        ("Platform", json!("linux")),
        ("MountLabel", json!("")),
        ("ProcessLabel", json!("")),
        ("AppArmorProfile", json!(if container.host_config.privileged { "unconfined" } else { "docker-default" })),
        ("ExecIDs", exec_ids),
        ("HostConfig", host_config_json(container)),
        ("GraphDriver", graph_driver),
    ];
    if size {
        let rw = size_rw(container);
        fields.push(("SizeRw", json!(rw)));
        fields.push(("SizeRootFs", json!(rw + image.map_or(0, |i| i.size))));
    }
    fields.push(("Mounts", mounts_json(container)));
    fields.push(("Config", merged_config(world, container)));
    fields.push(("NetworkSettings", network_settings_json(world, container)));
    Object(fields).into_value()
}
