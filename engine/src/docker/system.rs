//! `docker system df`, `docker system prune`, `docker container prune`: disk use and cleanup,
//! counted the way the daemon counts them (shared image layers once, containers by their
//! writable layer) and printed with the CLI's units.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::flags::{Args, CommandSpec, Parsed};
use super::inspect::size_rw;
use super::template;
use crate::clock::{human_duration, SimTime};
use crate::ids::{digest_hex, short_id};
use crate::image::Image;
use crate::outcome::Outcome;
use crate::reference::Reference;
use crate::table::{ellipsis, human_size, render};
use crate::world::{Container, ContainerStatus, World};

pub const DF_SPEC: CommandSpec = CommandSpec { path: "docker system df", help: include_str!("help/system_df.txt"), args: Args::None, interspersed: true };
pub const PRUNE_SPEC: CommandSpec = CommandSpec { path: "docker system prune", help: include_str!("help/system_prune.txt"), args: Args::None, interspersed: true };
pub const CONTAINER_PRUNE_SPEC: CommandSpec = CommandSpec { path: "docker container prune", help: include_str!("help/container_prune.txt"), args: Args::None, interspersed: true };


/// `units.HumanSize`: decimal units, four significant digits (`16.43MB`), as `system df` and the
/// prune reports print sizes.
pub(crate) fn human_size4(bytes: u64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    if size == 0.0 {
        return format!("0{}", UNITS[unit]);
    }
    let magnitude = size.log10().floor() as i32;
    let decimals = (3 - magnitude).max(0) as usize;
    let mut text = format!("{size:.decimals$}");
    if text.split('.').next().is_some_and(|whole| whole.len() > 4) {
        text = "1e+03".into();
    } else if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{text}{}", UNITS[unit])
}

/// One row of `docker system df`.
struct Usage {
    kind: &'static str,
    total: usize,
    active: usize,
    size: u64,
    reclaimable: u64,
    /// Build cache prints no percentage.
    percent: bool,
}

impl Usage {
    fn reclaimable_text(&self) -> String {
        if self.percent && self.size > 0 {
            format!("{} ({}%)", human_size4(self.reclaimable), self.reclaimable.saturating_mul(100) / self.size)
        } else {
            human_size4(self.reclaimable)
        }
    }

    fn json(&self) -> Value {
        json!({
            "Active": self.active.to_string(),
            "Reclaimable": self.reclaimable_text(),
            "Size": human_size4(self.size),
            "TotalCount": self.total.to_string(),
            "Type": self.kind,
        })
    }
}

/// Which images' layers are shared with another image, and how many containers use each image.
struct ImageUse {
    shared: BTreeMap<String, u64>,
    containers: BTreeMap<String, usize>,
    layers_size: u64,
}

fn image_use(world: &World) -> ImageUse {
    let mut layer_users: BTreeMap<&String, usize> = BTreeMap::new();
    for image in world.images() {
        for layer in image.layers.iter().collect::<BTreeSet<_>>() {
            *layer_users.entry(layer).or_default() += 1;
        }
    }
    let layers_size = layer_users.keys().map(|d| world.layer_size(d)).sum();
    let shared = world
        .images()
        .map(|image| {
            let bytes = image.layers.iter().collect::<BTreeSet<_>>().into_iter().filter(|l| layer_users.get(l).is_some_and(|n| *n > 1)).map(|l| world.layer_size(l)).sum();
            (image.id.clone(), bytes)
        })
        .collect();
    let mut containers = BTreeMap::new();
    for container in world.containers() {
        *containers.entry(container.image_id.clone()).or_default() += 1;
    }
    ImageUse { shared, containers, layers_size }
}

/// A build cache record as `system df -v` lists it (BuildKit keeps them private; the cache's
/// serialized form is how we read them without reaching into `build/`).
struct CacheEntry {
    id: String,
    size: u64,
    created: SimTime,
}

fn cache_entries(world: &World) -> Vec<CacheEntry> {
    let value = serde_json::to_value(&world.build_cache).unwrap_or(Value::Null);
    let mut entries = Vec::new();
    if let Some(Value::Object(records)) = value.get("records") {
        for (key, record) in records {
            let size = record.get("size").and_then(Value::as_u64).unwrap_or(0);
            let created = SimTime(record.get("created").and_then(Value::as_u64).unwrap_or(0));
            entries.push(CacheEntry { id: cache_id(key), size, created });
        }
    }
    if let Some(Value::Object(mounts)) = value.get("cache_mounts") {
        for (name, _) in mounts {
            entries.push(CacheEntry { id: cache_id(&format!("mount {name}")), size: 0, created: SimTime(0) });
        }
    }
    entries
}

/// BuildKit's record IDs are 25 lowercase base-36 characters.
fn cache_id(key: &str) -> String {
    let hex = digest_hex(&crate::ids::sha256_digest(key.as_bytes())).to_string();
    hex.bytes()
        .take(25)
        .map(|b| {
            let v = if b.is_ascii_digit() { b - b'0' } else { b - b'a' + 10 };
            char::from_digit(u32::from(v) * 36 / 16, 36).unwrap_or('0')
        })
        .collect()
}

fn usage_rows(world: &World) -> Vec<Usage> {
    let use_ = image_use(world);
    let images: Vec<&Image> = world.images().collect();
    let active_images: Vec<&&Image> = images.iter().filter(|i| use_.containers.contains_key(&i.id)).collect();
    let used: u64 = active_images.iter().map(|i| i.size.saturating_sub(use_.shared.get(&i.id).copied().unwrap_or(0))).sum();
    let containers = world.containers();
    let running = |c: &&Container| c.state.status == ContainerStatus::Running;
    let container_size: u64 = containers.iter().map(size_rw).sum();
    let container_reclaimable: u64 = containers.iter().filter(|c| !running(c)).map(size_rw).sum();
    let cache = cache_entries(world);
    let cache_size = world.build_cache.size();
    vec![
        Usage { kind: "Images", total: images.len(), active: active_images.len(), size: use_.layers_size, reclaimable: use_.layers_size.saturating_sub(used), percent: true },
        Usage {
            kind: "Containers",
            total: containers.len(),
            active: containers.iter().filter(running).count(),
            size: container_size,
            reclaimable: container_reclaimable,
            percent: true,
        },
        {
            let volumes = world.volumes();
            let in_use = |v: &&crate::volume::Volume| !world.volume_users(&v.name).is_empty();
            Usage {
                kind: "Local Volumes",
                total: volumes.len(),
                active: volumes.iter().filter(in_use).count(),
                size: volumes.iter().map(|v| v.size()).sum(),
                reclaimable: volumes.iter().filter(|v| !in_use(v)).map(|v| v.size()).sum(),
                percent: true,
            }
        },
        Usage { kind: "Build Cache", total: cache.len(), active: 0, size: cache_size, reclaimable: cache_size, percent: false },
    ]
}

pub fn df(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let format = parsed.value("format").unwrap_or("");
    if parsed.bool("verbose") && matches!(format, "" | "table") {
        verbose(world, &mut outcome);
        return outcome;
    }
    let rows = usage_rows(world);
    match format {
        "" | "table" => {
            let mut table = vec![["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"].map(String::from).to_vec()];
            for row in &rows {
                table.push(vec![row.kind.to_string(), row.total.to_string(), row.active.to_string(), human_size4(row.size), row.reclaimable_text()]);
            }
            for line in render(&table) {
                outcome.out(line);
            }
        }
        "json" => {
            for row in &rows {
                outcome.out(serde_json::to_string(&row.json()).unwrap_or_default());
            }
        }
        custom => {
            let (table_mode, body) = match template::table_format(custom) {
                Some(body) => (true, body),
                None => (false, custom),
            };
            let body = body.replace("\\t", "\t").replace("\\n", "\n");
            if let Err(error) = template::check(&body) {
                outcome.err(format!("template parsing error: {error}"));
                return outcome.fail(1);
            }
            let mut lines: Vec<Vec<String>> = Vec::new();
            if table_mode {
                let header = json!({"Type": "TYPE", "TotalCount": "TOTAL", "Active": "ACTIVE", "Size": "SIZE", "Reclaimable": "RECLAIMABLE"});
                if let Ok(text) = template::execute(&body, &header) {
                    lines.push(text.split('\t').map(str::to_string).collect());
                }
            }
            for row in &rows {
                match template::execute(&body, &row.json()) {
                    Ok(text) => lines.push(text.split('\t').map(str::to_string).collect()),
                    Err(error) => {
                        outcome.err(error);
                        return outcome.fail(1);
                    }
                }
            }
            let rendered = if table_mode { render(&lines) } else { lines.into_iter().map(|cells| cells.join("\t")).collect() };
            for line in rendered {
                for piece in line.split('\n') {
                    outcome.out(piece.to_string());
                }
            }
        }
    }
    outcome
}

fn verbose(world: &World, outcome: &mut Outcome) {
    let now = world.now();
    let use_ = image_use(world);
    outcome.out("Images space usage:");
    outcome.out("");
    let mut images: Vec<&Image> = world.images().collect();
    images.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    let mut table = vec![["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE", "CONTAINERS"].map(String::from).to_vec()];
    for image in images {
        let (repo, tag) = match image.repo_tags.first().and_then(|t| Reference::parse_normalized(t).ok()) {
            Some(reference) => (reference.familiar_name(), reference.tag.clone().unwrap_or_else(|| "<none>".into())),
            None => ("<none>".to_string(), "<none>".to_string()),
        };
        let shared = use_.shared.get(&image.id).copied().unwrap_or(0);
        table.push(vec![
            repo,
            tag,
            short_id(&image.id).to_string(),
            format!("{} ago", human_duration(now.since(image.created))),
            human_size(image.size),
            human_size4(shared),
            human_size4(image.size.saturating_sub(shared)),
            use_.containers.get(&image.id).copied().unwrap_or(0).to_string(),
        ]);
    }
    for line in render(&table) {
        outcome.out(line);
    }
    outcome.out("");
    outcome.out("Containers space usage:");
    outcome.out("");
    let mut table = vec![["CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS", "NAMES"].map(String::from).to_vec()];
    for container in world.containers().iter().rev() {
        table.push(vec![
            short_id(&container.id).to_string(),
            container.image.clone(),
            format!("{:?}", ellipsis(&container.command_line(), 20)),
            container.mounts.iter().filter(|m| m.kind == crate::volume::MountKind::Volume).count().to_string(),
            human_size(size_rw(container)),
            format!("{} ago", human_duration(now.since(container.created))),
            super::ps::status_text(container, now),
            container.name.clone(),
        ]);
    }
    for line in render(&table) {
        outcome.out(line);
    }
    outcome.out("");
    outcome.out("Local Volumes space usage:");
    outcome.out("");
    let mut table = vec![["VOLUME NAME", "LINKS", "SIZE"].map(String::from).to_vec()];
    let mut volumes: Vec<&crate::volume::Volume> = world.volumes().iter().collect();
    volumes.sort_by(|a, b| a.name.cmp(&b.name));
    for volume in volumes {
        table.push(vec![volume.name.clone(), world.volume_users(&volume.name).len().to_string(), human_size(volume.size())]);
    }
    for line in render(&table) {
        outcome.out(line);
    }
    outcome.out("");
    outcome.out(format!("Build cache usage: {}", human_size4(world.build_cache.size())));
    outcome.out("");
    let mut table = vec![["CACHE ID", "CACHE TYPE", "SIZE", "CREATED", "LAST USED", "USAGE", "SHARED"].map(String::from).to_vec()];
    let mut entries = cache_entries(world);
    entries.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    for entry in entries {
        let since = format!("{} ago", human_duration(now.since(entry.created)));
        table.push(vec![entry.id.clone(), "regular".into(), human_size(entry.size), since.clone(), since, "1".into(), "false".into()]);
    }
    for line in render(&table) {
        outcome.out(line);
    }
}

/// `--filter` for prunes: `until=` (a Go duration or a Unix/RFC 3339 time) and `label=`.
#[derive(Default)]
struct PruneFilter {
    until: Option<SimTime>,
    labels: Vec<(String, Option<String>, bool)>,
}

impl PruneFilter {
    fn parse(world: &World, specs: &[String]) -> Result<PruneFilter, String> {
        let mut filter = PruneFilter::default();
        for spec in specs {
            let Some((key, value)) = spec.split_once('=') else {
                return Err(format!("invalid argument \"{spec}\" for \"--filter\" flag: bad format of filter (expected name=value)"));
            };
            match key {
                "until" => {
                    let time = match super::container_options::parse_duration(value) {
                        Some(millis) => SimTime(world.now().0.saturating_sub(millis)),
                        None => match value.parse::<u64>() {
                            Ok(seconds) => SimTime(seconds.saturating_mul(1000)),
                            Err(_) => return Err(format!("Error response from daemon: failed to parse value as time or duration: \"{value}\"")),
                        },
                    };
                    filter.until = Some(time);
                }
                "label" | "label!" => {
                    let (name, wanted) = value.split_once('=').map_or((value, None), |(k, v)| (k, Some(v.to_string())));
                    filter.labels.push((name.to_string(), wanted, key == "label!"));
                }
                other => return Err(format!("Error response from daemon: invalid filter '{other}'")),
            }
        }
        Ok(filter)
    }

    fn keeps(&self, created: SimTime, labels: &BTreeMap<String, String>) -> bool {
        if self.until.is_some_and(|until| created >= until) {
            return false;
        }
        self.labels.iter().all(|(name, wanted, negated)| {
            let matches = match (labels.get(name), wanted) {
                (Some(value), Some(wanted)) => value == wanted,
                (Some(_), None) => true,
                (None, _) => false,
            };
            matches != *negated
        })
    }
}

/// Removes every container that is not running (and passes the filter); returns the report's
/// text and the bytes reclaimed.
fn prune_containers(world: &mut World, filter: &PruneFilter) -> (String, u64) {
    let doomed: Vec<(String, u64)> = world
        .containers()
        .iter()
        .filter(|c| !c.is_running() && c.run.is_none())
        .filter(|c| {
            let mut labels = world.image(&c.image_id).map(|i| i.config.labels.clone()).unwrap_or_default();
            labels.extend(c.config.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
            filter.keeps(c.created, &labels)
        })
        .map(|c| (c.id.clone(), size_rw(c)))
        .collect();
    let mut text = String::new();
    let mut reclaimed = 0;
    if !doomed.is_empty() {
        text.push_str("Deleted Containers:\n");
    }
    for (id, size) in doomed {
        world.remove_container(&id);
        world.record_event(&id, "destroy", &[]);
        text.push_str(&id);
        text.push('\n');
        reclaimed += size;
    }
    (text, reclaimed)
}

/// Removes dangling images (every image no container uses, with `all`); returns the report and
/// the bytes of the layers that went with them.
fn prune_images(world: &mut World, all: bool, filter: &PruneFilter) -> (String, u64) {
    let layers_before: u64 = world.layer_digests().map(|d| world.layer_size(d)).sum();
    let used: BTreeSet<String> = world.containers().iter().map(|c| c.image_id.clone()).collect();
    let doomed: Vec<Image> = world
        .images()
        .filter(|image| !used.contains(&image.id) && (all || image.repo_tags.is_empty()))
        .filter(|image| filter.keeps(image.created, &image.config.labels))
        .cloned()
        .collect();
    let mut text = String::new();
    if !doomed.is_empty() {
        text.push_str("Deleted Images:\n");
    }
    for image in doomed {
        for tag in &image.repo_tags {
            text.push_str(&format!("untagged: {tag}\n"));
        }
        for digest in &image.repo_digests {
            text.push_str(&format!("untagged: {digest}\n"));
        }
        let before: BTreeSet<String> = image.layers.iter().filter(|l| world.has_layer(l)).cloned().collect();
        world.delete_image(&image.id);
        text.push_str(&format!("deleted: {}\n", image.id));
        for layer in &image.layers {
            if before.contains(layer) && !world.has_layer(layer) {
                text.push_str(&format!("deleted: {layer}\n"));
            }
        }
    }
    let layers_after: u64 = world.layer_digests().map(|d| world.layer_size(d)).sum();
    (text, layers_before.saturating_sub(layers_after))
}

fn prune_build_cache(world: &mut World) -> (String, u64) {
    let entries = cache_entries(world);
    let freed = world.build_cache.clear();
    if entries.is_empty() {
        return (String::new(), freed);
    }
    let mut text = String::from("Deleted build cache objects:\n");
    for entry in entries {
        text.push_str(&entry.id);
        text.push('\n');
    }
    (text, freed)
}

fn print_report(outcome: &mut Outcome, text: &str) {
    if text.is_empty() {
        return;
    }
    // `fmt.Fprintln(out, output)`: the report ends in a newline, and Println adds one more.
    for line in format!("{text}\n").trim_end_matches('\n').split('\n') {
        outcome.out(line.to_string());
    }
    outcome.out("");
}

pub fn prune(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let all = parsed.bool("all");
    let volumes = parsed.bool("volumes");
    let filter = match PruneFilter::parse(world, parsed.values("filter")) {
        Ok(filter) => filter,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    if volumes && filter.until.is_some() {
        outcome.err("ERROR: The \"until\" filter is not supported with \"--volumes\"");
        return outcome.fail(1);
    }
    if !parsed.bool("force") {
        outcome.out("WARNING! This will remove:");
        outcome.out("  - all stopped containers");
        outcome.out("  - all networks not used by at least one container");
        if volumes {
            outcome.out("  - all anonymous volumes not used by at least one container");
        }
        outcome.out(if all { "  - all images without at least one container associated to them" } else { "  - all dangling images" });
        outcome.out(if all { "  - all build cache" } else { "  - unused build cache" });
        let filters: Vec<&String> = parsed.values("filter").iter().collect();
        if !filters.is_empty() {
            outcome.out("");
            outcome.out("  Items to be pruned will be filtered with:");
            for f in filters {
                outcome.out(format!("  - {f}"));
            }
        }
        outcome.out("");
        outcome.out("Are you sure you want to continue? [y/N] ");
        return outcome.ask();
    }
    let mut reclaimed = 0;
    let (text, bytes) = prune_containers(world, &filter);
    print_report(&mut outcome, &text);
    reclaimed += bytes;
    if volumes {
        let (names, bytes) = super::volume::prune_volumes(world, false, &[]);
        if !names.is_empty() {
            print_report(&mut outcome, &format!("Deleted Volumes:\n{}\n", names.join("\n")));
        }
        reclaimed += bytes;
    }
    let (text, bytes) = prune_images(world, all, &filter);
    print_report(&mut outcome, &text);
    reclaimed += bytes;
    let (text, bytes) = prune_build_cache(world);
    print_report(&mut outcome, &text);
    reclaimed += bytes;
    outcome.out(format!("Total reclaimed space: {}", human_size4(reclaimed)));
    outcome
}

pub fn container_prune(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let filter = match PruneFilter::parse(world, parsed.values("filter")) {
        Ok(filter) => filter,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    if !parsed.bool("force") {
        outcome.out("WARNING! This will remove all stopped containers.");
        outcome.out("Are you sure you want to continue? [y/N] ");
        return outcome.ask();
    }
    let (text, reclaimed) = prune_containers(world, &filter);
    print_report(&mut outcome, &text);
    outcome.out(format!("Total reclaimed space: {}", human_size4(reclaimed)));
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_have_four_significant_digits() {
        assert_eq!(human_size4(0), "0B");
        assert_eq!(human_size4(16_430_000), "16.43MB");
        assert_eq!(human_size4(4_270_000), "4.27MB");
        assert_eq!(human_size4(2048), "2.048kB");
        assert_eq!(human_size4(999), "999B");
        assert_eq!(human_size4(1_000_000_000), "1GB");
    }
}
