//! `docker stats`: live resource use per container (CPU %, memory usage / limit, network, block
//! I/O, PIDs), one snapshot with `--no-stream`.
//!
//! The real CLI redraws its table in place (`ESC[H` … `ESC[J`) twice a second; here each streamed
//! table comes with [`crate::outcome::Event::Redraw`] (pushed by the live view), so the terminal
//! replaces the previous table and keeps the rest of the scrollback. `--no-stream` prints one table.

use serde_json::{json, Map, Value};

use super::flags::{Args, CommandSpec, Parsed};
use super::template;
use crate::clock::SimTime;
use crate::ids::short_id;
use crate::live::LiveView;
use crate::outcome::Outcome;
use crate::runtime::HOST_MEMORY;
use crate::world::{Container, World};

pub const SPEC: CommandSpec = CommandSpec { path: "docker stats", help: include_str!("help/stats.txt"), args: Args::AtLeast(0), interspersed: true };

const DEFAULT_FORMAT: &str = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

/// Prints one streamed stats table for `containers` (all running ones — or all, with `all` —
/// when empty): the live view's redraw, called every second.
pub fn stats_table(world: &World, containers: &[String], all: bool, format: Option<&str>, no_trunc: bool, outcome: &mut Outcome) {
    write_table(world, containers, all, format, no_trunc, outcome);
}

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let all = parsed.bool("all");
    let no_trunc = parsed.bool("no-trunc");
    let format = parsed.value("format").map(str::to_string).filter(|f| !f.is_empty());
    let mut ids = Vec::new();
    for name in &parsed.args {
        match world.find_container(name) {
            Some(container) => ids.push(container.id.clone()),
            None => {
                outcome.err(format!("Error response from daemon: No such container: {name}"));
                outcome.exit_code = 1;
            }
        }
    }
    if outcome.exit_code != 0 {
        return outcome;
    }
    if let Some(format) = &format {
        if let Err(error) = check_format(format) {
            outcome.err(error);
            return outcome.fail(1);
        }
    }
    if parsed.bool("no-stream") {
        write_table(world, &ids, all, format.as_deref(), no_trunc, &mut outcome);
        return outcome;
    }
    stats_table(world, &ids, all, format.as_deref(), no_trunc, &mut outcome);
    // Named containers that are all gone end the stream; a listing keeps watching.
    outcome.live = Some(LiveView::Stats { containers: ids, all, format, no_trunc });
    outcome
}

/// A template the CLI cannot parse fails before any stats are read.
fn check_format(format: &str) -> Result<(), String> {
    let body = format.strip_prefix("table").unwrap_or(format);
    let body = if format == "json" { "{{json .}}" } else { body };
    match template::render(body, &header_json()) {
        Err(error) if error.contains("unclosed action") => Err(format!("template parsing error: {error}")),
        _ => Ok(()),
    }
}

/// The table (or formatted lines) for the chosen containers at `world.now()`.
fn write_table(world: &World, containers: &[String], all: bool, format: Option<&str>, no_trunc: bool, outcome: &mut Outcome) {
    let now = world.now();
    let chosen: Vec<&Container> = if containers.is_empty() {
        // The daemon lists newest first; the CLI keeps that order.
        world.containers().iter().rev().filter(|c| all || c.is_running()).collect()
    } else {
        containers.iter().filter_map(|id| world.container(id)).collect()
    };
    let rows: Vec<Value> = chosen.iter().map(|c| row_json(c, now, no_trunc)).collect();
    if matches!(format, None | Some("table")) {
        // The default table, redrawn every second: straight to cells, no template.
        const COLUMNS: [(&str, &str); 8] = [
            ("ID", "CONTAINER ID"),
            ("Name", "NAME"),
            ("CPUPerc", "CPU %"),
            ("MemUsage", "MEM USAGE / LIMIT"),
            ("MemPerc", "MEM %"),
            ("NetIO", "NET I/O"),
            ("BlockIO", "BLOCK I/O"),
            ("PIDs", "PIDS"),
        ];
        let mut cells = vec![COLUMNS.iter().map(|(_, header)| header.to_string()).collect::<Vec<_>>()];
        for row in &rows {
            cells.push(
                COLUMNS
                    .iter()
                    .map(|(key, _)| match &row[*key] {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
            );
        }
        for line in crate::table::render(&cells) {
            outcome.out(line);
        }
        return;
    }
    let format = match format {
        None | Some("table") => DEFAULT_FORMAT,
        Some("json") => "{{json .}}",
        Some(other) => other,
    };
    let (table, body) = match format.strip_prefix("table") {
        Some(body) => (true, body.trim_matches(' ')),
        None => (false, format.trim_matches(' ')),
    };
    let body = body.replace("\\t", "\t").replace("\\n", "\n");
    let mut lines = Vec::new();
    if table {
        match template::render(&body, &header_json()) {
            Ok(header) => lines.push(header),
            Err(error) => {
                outcome.err(format!("template parsing error: {error}"));
                outcome.exit_code = 1;
                return;
            }
        }
    }
    for row in &rows {
        match template::render(&body, row) {
            Ok(text) => lines.push(text),
            Err(error) => {
                outcome.err(format!("template parsing error: {error}"));
                outcome.exit_code = 1;
                return;
            }
        }
    }
    if table {
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(str::to_string).collect()).collect();
        for line in crate::table::render(&cells) {
            outcome.out(line);
        }
    } else {
        for line in lines {
            outcome.out_block(&line);
        }
    }
}

/// The column headers, keyed as the template's placeholders.
fn header_json() -> Value {
    json!({
        "Container": "CONTAINER",
        "Name": "NAME",
        "ID": "CONTAINER ID",
        "CPUPerc": "CPU %",
        "MemUsage": "MEM USAGE / LIMIT",
        "MemPerc": "MEM %",
        "NetIO": "NET I/O",
        "BlockIO": "BLOCK I/O",
        "PIDs": "PIDS",
    })
}

/// One container's figures as the CLI's `statsContext` shows them (keys sorted, as `{{json .}}`
/// prints them).
fn row_json(container: &Container, now: SimTime, no_trunc: bool) -> Value {
    let sample = sample(container, now);
    let id = if no_trunc { container.id.clone() } else { short_id(&container.id).to_string() };
    let mut row = Map::new();
    row.insert("BlockIO".into(), json!(format!("{} / {}", human_size_precision(sample.block_read, 3), human_size_precision(sample.block_write, 3))));
    row.insert("CPUPerc".into(), json!(format!("{:.2}%", sample.cpu_percent)));
    // `Container` is what the user named (the short ID when listing everything).
    row.insert("Container".into(), json!(short_id(&container.id)));
    row.insert("ID".into(), json!(id));
    row.insert("MemPerc".into(), json!(format!("{:.2}%", sample.mem_percent)));
    row.insert("MemUsage".into(), json!(format!("{} / {}", bytes_size(sample.memory), bytes_size(sample.limit))));
    row.insert("Name".into(), json!(container.name));
    row.insert("NetIO".into(), json!(format!("{} / {}", human_size_precision(sample.net_rx, 3), human_size_precision(sample.net_tx, 3))));
    row.insert("PIDs".into(), json!(sample.pids.to_string()));
    Value::Object(row)
}

/// What the daemon's stats endpoint reports for one container at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sample {
    pub cpu_percent: f64,
    pub memory: u64,
    pub limit: u64,
    pub mem_percent: f64,
    pub net_rx: u64,
    pub net_tx: u64,
    pub block_read: u64,
    pub block_write: u64,
    pub pids: usize,
}

/// Deterministic figures from the container's model: CPU from its program's typical use with a
/// small wobble hashed from (ID, second) so the table looks alive but replays byte for byte;
/// memory from its memory curve; traffic and disk I/O grown from its uptime and writable layer.
/// A stopped container reports zeros (`0B / 0B`), as the daemon does.
pub(crate) fn sample(container: &Container, now: SimTime) -> Sample {
    let Some(run) = container.run.as_ref() else {
        return Sample { cpu_percent: 0.0, memory: 0, limit: 0, mem_percent: 0.0, net_rx: 0, net_tx: 0, block_read: 0, block_write: 0, pids: 0 };
    };
    let second = now.0 / 1000;
    let wobble = hash(&container.id, second);
    let millis = container.cpu_millis();
    let cpu_percent = if millis == 0 {
        0.0
    } else {
        // ±3 % of the typical figure.
        let factor = 0.97 + (wobble % 601) as f64 / 10_000.0;
        f64::from(millis) / 10.0 * factor
    };
    let memory = container.memory_usage(now);
    let limit = if container.host_config.memory > 0 { container.host_config.memory } else { HOST_MEMORY };
    let mem_percent = if limit == 0 { 0.0 } else { memory as f64 / limit as f64 * 100.0 };
    let uptime = now.since(run.started_at) / 1000;
    let networked = !matches!(container.host_config.network_mode.as_str(), "none" | "host");
    let serving = run.service.as_ref().is_some_and(|s| !s.listens.is_empty());
    // A bridge interface picks up router solicitations and ARP: a few hundred bytes at start,
    // a little more each minute; a server also answers a trickle of health checks.
    let (net_rx, net_tx) = if networked {
        let rx = 796 + (uptime / 60) * 70 + if serving { (uptime / 30) * 120 } else { 0 };
        let tx = if serving { (uptime / 30) * 240 } else { 0 };
        (rx, tx)
    } else {
        (0, 0)
    };
    // Page cache serves the image's files after the first read; writes reach the disk in 4 KiB
    // blocks.
    let written = container.upper.size().min(1 << 40);
    let block_write = written.div_ceil(4096) * 4096;
    let block_read = if run.service.is_some() { 4096 * (1 + hash(&container.id, 0) % 64) } else { 0 };
    let pids = run.processes.len();
    Sample { cpu_percent, memory, limit, mem_percent, net_rx, net_tx, block_read, block_write, pids }
}

/// FNV-1a over the ID and a number: the stats' reproducible noise.
fn hash(id: &str, salt: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.bytes().chain(salt.to_le_bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// go-units `BytesSize`: binary units, `%.4g` (`12.5MiB`, `3.823GiB`, `0B`).
pub(crate) fn bytes_size(bytes: u64) -> String {
    scaled(bytes, 1024.0, &["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"], 4)
}

/// go-units `HumanSizeWithPrecision`: decimal units with `precision` significant digits.
pub(crate) fn human_size_precision(bytes: u64, precision: usize) -> String {
    scaled(bytes, 1000.0, &["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"], precision)
}

fn scaled(bytes: u64, base: f64, units: &[&str], precision: usize) -> String {
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= base && unit < units.len() - 1 {
        size /= base;
        unit += 1;
    }
    format!("{}{}", go_g(size, precision), units[unit])
}

/// Go's `%.{precision}g`: `precision` significant digits, trailing zeros dropped, exponent form
/// when the exponent is below -4 or at least the precision.
pub(crate) fn go_g(value: f64, precision: usize) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let precision = precision.max(1);
    let scientific = format!("{value:.*e}", precision - 1);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if exponent < -4 || exponent >= precision as i32 {
        let mantissa = if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.') } else { mantissa };
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
    let fixed = format!("{value:.decimals$}");
    if fixed.contains('.') {
        fixed.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        fixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_go_units() {
        assert_eq!(bytes_size(HOST_MEMORY), "3.823GiB");
        assert_eq!(bytes_size(13_107_200), "12.5MiB");
        assert_eq!(bytes_size(409_600), "400KiB");
        assert_eq!(bytes_size(0), "0B");
        assert_eq!(bytes_size(1_023 * 1024), "1023KiB");
        assert_eq!(human_size_precision(1_200, 3), "1.2kB");
        assert_eq!(human_size_precision(0, 3), "0B");
        assert_eq!(human_size_precision(999_700, 3), "1e+03kB");
        assert_eq!(go_g(0.5, 3), "0.5");
    }
}
