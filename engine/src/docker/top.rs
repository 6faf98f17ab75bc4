//! `docker top`: the container's processes as the host's `ps` sees them (host PIDs), `ps -ef`
//! columns by default, other `ps` options after the container name.

use super::flags::{Args, CommandSpec, Parsed};
use super::lifecycle::resolve;
use crate::clock::{civil_from_days, SimTime};
use crate::outcome::Outcome;
use crate::programs::ProcessEntry;
use crate::runtime::container::{Container, Status};
use crate::runtime::HOST_MEMORY;
use crate::world::World;

/// `docker top` stops reading its own flags at the container name (cobra `SetInterspersed(false)`),
/// so `docker top web -o pid,args` passes `-o pid,args` to `ps`.
pub const SPEC: CommandSpec = CommandSpec { path: "docker top", help: include_str!("help/top.txt"), args: Args::AtLeast(1), interspersed: false };

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((name, ps_args)) = parsed.args.split_first() else { return outcome };
    let id = match resolve(world, name) {
        Ok(id) => id,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    let Some(container) = world.container(&id) else { return outcome };
    // moby's ContainerTop: the running task, or `errNotRunning`; a restarting one is refused.
    if container.run.is_none() {
        let message = if container.state.status == Status::Restarting {
            format!("Container {} is restarting, wait until the container is running", container.id)
        } else {
            format!("container {} is not running", container.id)
        };
        outcome.err(format!("Error response from daemon: {message}"));
        return outcome.fail(1);
    }
    match table(container, world.now(), ps_args) {
        Ok(rows) => {
            for line in render_min(&rows, 20) {
                outcome.out(line);
            }
            outcome
        }
        Err(message) => {
            outcome.err(format!("Error response from daemon: {message}"));
            outcome.fail(1)
        }
    }
}

/// The columns `ps` prints for the options given.
fn columns(ps_args: &[String]) -> Result<Vec<String>, String> {
    const EF: &[&str] = &["uid", "pid", "ppid", "c", "stime", "tty", "time", "cmd"];
    const AUX: &[&str] = &["user", "pid", "%cpu", "%mem", "vsz", "rss", "tty", "stat", "start", "bsdtime", "command"];
    let mut chosen: Option<Vec<String>> = None;
    let mut words = ps_args.iter().flat_map(|a| a.split(' ')).filter(|w| !w.is_empty());
    while let Some(word) = words.next() {
        let letters = word.trim_start_matches('-');
        if letters.ends_with('o') || word.starts_with("--format") || word == "o" {
            let list = match word.split_once('=') {
                Some((_, list)) => list.to_string(),
                None => words.next().ok_or_else(|| "ps: error: list of format specifiers must follow -o".to_string())?.to_string(),
            };
            let mut fields = Vec::new();
            for field in list.split([',', ' ']).filter(|f| !f.is_empty()) {
                let field = field.split('=').next().unwrap_or(field).to_ascii_lowercase();
                if header(&field).is_none() {
                    return Err(format!("ps: error: unknown user-defined format specifier \"{field}\""));
                }
                fields.push(field);
            }
            chosen = Some(fields);
        } else if !word.starts_with('-') && (letters.contains('u') || letters.contains('a') || letters.contains('x')) {
            chosen.get_or_insert_with(|| AUX.iter().map(|c| c.to_string()).collect());
        }
    }
    let columns = chosen.unwrap_or_else(|| EF.iter().map(|c| c.to_string()).collect());
    // moby's parsePSOutput needs a PID column to tell the container's processes apart.
    if !columns.iter().any(|c| c == "pid") {
        return Err("Couldn't find PID field in ps output".into());
    }
    Ok(columns)
}

/// procps' header for a format specifier.
fn header(field: &str) -> Option<&'static str> {
    Some(match field {
        "uid" | "euid" => "UID",
        "user" | "euser" | "uname" => "USER",
        "pid" => "PID",
        "ppid" => "PPID",
        "c" => "C",
        "stime" | "start_time" => "STIME",
        "start" => "START",
        "tty" => "TTY",
        "tt" => "TT",
        "time" | "cputime" => "TIME",
        "bsdtime" => "TIME",
        "etime" => "ELAPSED",
        "cmd" => "CMD",
        "args" | "command" => "COMMAND",
        "comm" | "ucmd" | "ucomm" => "COMMAND",
        "%cpu" | "pcpu" => "%CPU",
        "%mem" | "pmem" => "%MEM",
        "vsz" | "vsize" => "VSZ",
        "rss" | "rssize" => "RSS",
        "stat" => "STAT",
        "s" | "state" => "S",
        _ => return None,
    })
}

/// The rows `ps` prints for the container's processes, header first.
fn table(container: &Container, now: SimTime, ps_args: &[String]) -> Result<Vec<Vec<String>>, String> {
    let columns = columns(ps_args)?;
    let Some(run) = container.run.as_ref() else { return Ok(Vec::new()) };
    let mut rows = vec![columns.iter().map(|c| header(c).unwrap_or("?").to_string()).collect::<Vec<_>>()];
    // containerd-shim, parent of PID 1 and of every exec'd process.
    let shim = run.host_pid.saturating_sub(1);
    let host_pid_of = |pid: u32| run.processes.iter().find(|p| p.pid == pid).map(|p| p.host_pid);
    let started = run.started_at;
    let uptime = now.since(started);
    let tty = if container.config.tty { "pts/0" } else { "?" };
    for (index, process) in run.processes.iter().enumerate() {
        let ppid = if process.ppid == 0 { shim } else { host_pid_of(process.ppid).unwrap_or(shim) };
        let cpu_seconds = u64::from(process.cpu_millis) * uptime / 1_000_000;
        let row = columns
            .iter()
            .map(|column| match column.as_str() {
                "uid" | "euid" | "user" | "euser" | "uname" => user_name(process),
                "pid" => process.host_pid.to_string(),
                "ppid" => ppid.to_string(),
                "c" => (process.cpu_millis / 10).to_string(),
                "stime" | "start_time" | "start" => start_text(started, now),
                "tty" | "tt" => tty.to_string(),
                "time" | "cputime" => format!("{:02}:{:02}:{:02}", cpu_seconds / 3600, cpu_seconds / 60 % 60, cpu_seconds % 60),
                "bsdtime" => format!("{}:{:02}", cpu_seconds / 60, cpu_seconds % 60),
                "etime" => elapsed(uptime / 1000),
                "comm" | "ucmd" | "ucomm" => {
                    let program = process.command.split_whitespace().next().unwrap_or_default();
                    crate::fs::file_name(program).chars().take(15).collect()
                }
                "%cpu" | "pcpu" => format!("{:.1}", f64::from(process.cpu_millis) / 10.0),
                "%mem" | "pmem" => format!("{:.1}", process.rss as f64 / HOST_MEMORY as f64 * 100.0),
                "vsz" | "vsize" => (process.rss * 3 / 1024 + 1_560).to_string(),
                "rss" | "rssize" => (process.rss / 1024).to_string(),
                "stat" => {
                    let state = if container.is_paused() { 'D' } else { 'S' };
                    if index == 0 { format!("{state}s") } else { state.to_string() }
                }
                "s" | "state" => if container.is_paused() { "D" } else { "S" }.to_string(),
                _ => process.command.clone(),
            })
            .collect();
        rows.push(row);
    }
    Ok(rows)
}

/// How the host's `ps` names the process owner.
fn user_name(process: &ProcessEntry) -> String {
    match process.user.split(':').next().unwrap_or_default() {
        "" | "0" => "root".into(),
        name => name.to_string(),
    }
}

/// `STIME`/`START`: `HH:MM` for a process started today, else `MonDD`.
fn start_text(started: SimTime, now: SimTime) -> String {
    let day = |t: SimTime| t.0 / 86_400_000;
    let seconds = started.0 / 1000;
    if day(started) == day(now) {
        return format!("{:02}:{:02}", seconds / 3600 % 24, seconds / 60 % 60);
    }
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (_, month, day_of_month) = civil_from_days((seconds / 86_400) as i64);
    format!("{}{:02}", MONTHS[(month as usize).saturating_sub(1) % 12], day_of_month)
}

/// `etime`: `[[dd-]hh:]mm:ss`.
fn elapsed(seconds: u64) -> String {
    let (days, hours, minutes, secs) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes:02}:{secs:02}"),
        (0, h) => format!("{h:02}:{minutes:02}:{secs:02}"),
        (d, h) => format!("{d}-{h:02}:{minutes:02}:{secs:02}"),
    }
}

/// Go's tabwriter with `minwidth` (the top command uses 20, padding 3): every column but the last
/// is its widest cell plus 3, never narrower than `minwidth`.
pub(crate) fn render_min(rows: &[Vec<String>], minwidth: usize) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![minwidth; columns.saturating_sub(1)];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(widths.len()) {
            widths[i] = widths[i].max(cell.chars().count() + 3);
        }
    }
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < row.len() {
                    if let Some(width) = widths.get(i) {
                        line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
                    }
                }
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ps_options_choose_columns() {
        let words = |text: &str| text.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(columns(&[]).unwrap(), ["uid", "pid", "ppid", "c", "stime", "tty", "time", "cmd"]);
        assert_eq!(columns(&words("-o pid,comm")).unwrap(), ["pid", "comm"]);
        assert_eq!(columns(&words("-eo pid,user,args")).unwrap(), ["pid", "user", "args"]);
        assert_eq!(columns(&words("aux")).unwrap()[0], "user");
        assert_eq!(columns(&words("-o comm")).unwrap_err(), "Couldn't find PID field in ps output");
        assert!(columns(&words("-o pid,bogus")).unwrap_err().contains("unknown user-defined format specifier \"bogus\""));
    }

    #[test]
    fn minimum_width_is_twenty() {
        let rows = vec![vec!["UID".to_string(), "PID".to_string(), "CMD".to_string()], vec!["root".to_string(), "2143".to_string(), "sleep 300".to_string()]];
        assert_eq!(render_min(&rows, 20), vec![format!("{:20}{:20}CMD", "UID", "PID"), format!("{:20}{:20}sleep 300", "root", "2143")]);
    }
}
