//! Programs that look at the container around them: `ps`, `top`, `free`, `uptime`, `df`, `mount`,
//! `kill`, `netstat`/`ss`, `ip`/`ifconfig`, `nslookup`, `ping`, client probes (`pg_isready`,
//! `redis-cli`), the virtual `/proc` and `/sys/fs/cgroup` files, and the checks other tools share:
//! a read-only root filesystem, dropped capabilities, where a connection lands.
//!
//! Everything here reads [`ContainerContext`]; without one (a build step) [`main`] declines and
//! the programs behave as they always did.

use super::sys::hash;
use super::{ContainerContext, HttpService, Identity, Io, Listener, ProcessEntry, Sys};
use crate::fs::{file_name, is_within, normalize};

/// Runs `name` if this module models it inside a container; `None` leaves it to others.
pub(crate) fn main(sys: &mut Sys, io: &mut Io, name: &str, argv: &[String]) -> Option<i32> {
    if !PROGRAMS.contains(&name) {
        return None;
    }
    let ctx = sys.container.clone()?;
    let invoked = argv.first().map(|a| file_name(a).to_string()).unwrap_or_default();
    // postgresql-common's wrapper runs the tool it was called as.
    let name = if name == "pg_wrapper" { invoked.as_str() } else { name };
    let args = argv.get(1..).unwrap_or_default();
    let busybox = busybox_tool(sys, argv.first().map(String::as_str).unwrap_or(name));
    let code = match name {
        "ps" => ps(sys, io, &ctx, argv, busybox),
        "top" => top(sys, io, &ctx, argv, busybox),
        "free" => free(io, &ctx, args, busybox),
        "uptime" => {
            io.out_line(&uptime_line(sys, &ctx, busybox));
            0
        }
        "df" => df(io, &ctx, args, busybox),
        "mount" => mount(io, &ctx, args, busybox),
        "kill" => {
            let style = if busybox { KillStyle::Busybox } else { KillStyle::Procps };
            kill(sys, io, args, style, "kill: ")
        }
        "netstat" => netstat(sys, io, &ctx, args, busybox),
        "ss" => ss(io, &ctx, args),
        "ip" => ip(io, &ctx, args, busybox),
        "ifconfig" => ifconfig(io, &ctx, busybox),
        "nslookup" => nslookup(sys, io, &ctx, args, busybox),
        "getent" => getent(sys, io, &ctx, args),
        "ping" => ping(sys, io, &ctx, args, busybox),
        "pg_isready" => pg_isready(sys, io, args),
        "redis-cli" => redis_cli(sys, io, args),
        _ => return None,
    };
    Some(code)
}

/// The programs [`main`] answers for.
const PROGRAMS: &[&str] = &[
    "ps", "top", "free", "uptime", "df", "mount", "kill", "netstat", "ss", "ip", "ifconfig", "nslookup", "ping",
    "pg_isready", "pg_wrapper", "redis-cli", "getent",
];

/// Whether the program called `argv0` is a busybox applet (rather than procps, iproute2, …).
fn busybox_tool(sys: &Sys, argv0: &str) -> bool {
    match sys.resolve(argv0).map(|path| super::identify(sys.fs, &path)) {
        Some(Identity::Binary { name, label }) => {
            if label.contains("busybox") {
                true
            } else if label == name {
                sys.os.busybox_userland()
            } else {
                false
            }
        }
        _ => sys.os.busybox_userland(),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared checks other programs (coreutils, net, the shell) call.

/// Whether writing at `path` fails with `Read-only file system`: `--read-only` outside tmpfs
/// mounts and the runtime's own bind mounts, and `/sys` in every container. The shell's
/// redirections should call this before creating a file.
pub(crate) fn read_only_denies(sys: &Sys, path: &str) -> bool {
    let Some(ctx) = &sys.container else { return false };
    let path = normalize(path, &sys.cwd);
    let real = normalize(&format!("{}/{}", sys.real_path(crate::fs::parent(&path)), file_name(&path)), "/");
    let writable = |p: &str| {
        const RUNTIME_MOUNTS: &[&str] = &["/dev", "/proc", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf"];
        RUNTIME_MOUNTS.iter().any(|m| is_within(p, m)) || ctx.tmpfs.iter().any(|t| is_within(p, &normalize(t, "/")))
    };
    if is_within(&path, "/sys") || is_within(&real, "/sys") {
        return true;
    }
    // The innermost mount holding the path decides: `:ro` refuses, a writable one accepts even
    // under `--read-only`.
    let on_mount = |p: &str| ctx.mounts.iter().filter(|(dir, _, _)| is_within(p, dir)).max_by_key(|(dir, _, _)| dir.len()).map(|(_, rw, _)| *rw);
    if let Some(rw) = on_mount(&real).or_else(|| on_mount(&path)) {
        return !rw;
    }
    ctx.read_only && !writable(&path) && !writable(&real)
}

/// Whether root in this container lacks capability `cap` (`CHOWN`, `NET_RAW`, …). Outside a
/// container (build steps) root has them all; non-root users have none in effect.
pub(crate) fn lacks_capability(sys: &Sys, cap: &str) -> bool {
    let Some(ctx) = &sys.container else { return sys.uid != 0 };
    if ctx.privileged && sys.uid == 0 {
        return false;
    }
    sys.uid != 0 || !ctx.capabilities.iter().any(|c| c.trim_start_matches("CAP_").eq_ignore_ascii_case(cap) || c.eq_ignore_ascii_case("ALL"))
}

/// Milliseconds since the epoch, now, for the process.
fn now(sys: &Sys, ctx: &ContainerContext) -> u64 {
    ctx.now.saturating_add(sys.elapsed)
}

/// `(year, month, day, hour, minute, second, weekday 0=Sun)` for `ms` since the epoch.
fn civil(ms: u64) -> (i64, u32, u32, u64, u64, u64, u64) {
    let secs = ms / 1000;
    let days = secs / 86_400;
    let (y, m, d) = crate::clock::civil_from_days(days as i64);
    let rem = secs % 86_400;
    (y, m, d, rem / 3600, (rem / 60) % 60, rem % 60, (days + 4) % 7)
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `Mon, 02 Mar 2026 09:00:00 GMT`, as HTTP `Date:` headers have it.
pub(crate) fn http_date(ms: u64) -> String {
    let (y, m, d, h, mi, s, wd) = civil(ms);
    let weekday = WEEKDAYS.get(wd as usize).copied().unwrap_or("Mon");
    let month = MONTHS.get((m as usize).saturating_sub(1)).copied().unwrap_or("Jan");
    format!("{weekday}, {d:02} {month} {y} {h:02}:{mi:02}:{s:02} GMT")
}

/// `2026-03-02 09:00:00`, as GNU wget stamps its log.
pub(crate) fn log_stamp(sys: &Sys) -> String {
    let ms = sys.container.as_ref().map_or(crate::clock::SESSION_START.0 + sys.elapsed, |ctx| now(sys, ctx));
    let (y, m, d, h, mi, s, _) = civil(ms);
    format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

// ---------------------------------------------------------------------------------------------
// Processes.

/// Whether the runtime listed the running program itself: it lists the process it started
/// (PID 1, or a `docker exec`ed one, last); a program a shell started is not listed.
fn listed_by_runtime(sys: &Sys, ctx: &ContainerContext) -> bool {
    sys.depth <= 1 && !ctx.processes.is_empty()
}

/// The PID the running program has.
fn own_pid(sys: &Sys, ctx: &ContainerContext) -> u32 {
    if listed_by_runtime(sys, ctx) {
        return ctx.processes.last().map_or(1, |p| p.pid);
    }
    ctx.processes.iter().map(|p| p.pid).max().map_or(1, |p| p.saturating_add(1))
}

/// The process table including the running program (`ps`, `top`) as its newest process.
fn table(sys: &Sys, ctx: &ContainerContext, command: &str) -> Vec<ProcessEntry> {
    let mut list = ctx.processes.clone();
    if listed_by_runtime(sys, ctx) {
        return list;
    }
    let pid = own_pid(sys, ctx);
    let host_pid = list.iter().map(|p| p.host_pid).max().map_or(4000 + (hash(&ctx.id) % 20_000) as u32, |h| h.saturating_add(1));
    let ppid = list.last().map_or(0, |p| p.pid);
    list.push(ProcessEntry { pid, host_pid, ppid, user: user_label(sys), command: command.to_string(), rss: 3_000_000, cpu_millis: 0 });
    list
}

fn user_label(sys: &Sys) -> String {
    super::users::name_of_uid(sys, sys.uid).unwrap_or_else(|| sys.uid.to_string())
}

/// argv[0] of a command line: the whole title for `nginx: master process …`-style titles.
fn argv0(command: &str) -> &str {
    let first = command.split(' ').next().unwrap_or(command);
    if first.ends_with(':') {
        command
    } else {
        first
    }
}

/// The kernel's `comm` for a command line: the executable's name, at most 15 characters.
fn comm(command: &str) -> String {
    let first = command.split(' ').next().unwrap_or(command).trim_end_matches(':');
    file_name(first).chars().take(15).collect()
}

/// Virtual size in KiB for a process of `rss` bytes.
fn vsz_kib(rss: u64) -> u64 {
    let kib = rss / 1024;
    kib + kib / 2 + 1_024
}

fn start_hhmm(sys: &Sys, ctx: &ContainerContext) -> String {
    let (_, _, _, h, m, _, _) = civil(now(sys, ctx));
    format!("{h:02}:{m:02}")
}

fn ps(sys: &mut Sys, io: &mut Io, ctx: &ContainerContext, argv: &[String], busybox: bool) -> i32 {
    let command = argv.join(" ");
    let list = table(sys, ctx, &command);
    let own = own_pid(sys, ctx);
    if busybox {
        io.out_line("PID   USER     TIME  COMMAND");
        for p in &list {
            let user: String = p.user.chars().take(8).collect();
            io.out_line(&format!("{:>5} {user:<8} {:>5} {}", p.pid, "0:00", p.command));
        }
        return 0;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let letters: String = args.iter().map(|a| a.trim_start_matches('-')).collect();
    let bsd = args.first().is_some_and(|a| !a.starts_with('-'));
    let start = start_hhmm(sys, ctx);
    let stat = |p: &ProcessEntry| {
        let base = if p.pid == own { "R" } else { "S" };
        if p.ppid == 0 { format!("{base}s") } else { base.to_string() }
    };
    if bsd && letters.contains('u') {
        io.out_line("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND");
        for p in &list {
            let user = truncate_user(&p.user);
            let cpu = f64::from(p.cpu_millis) / 10.0;
            let mem = if ctx.host_memory == 0 { 0.0 } else { p.rss as f64 * 100.0 / ctx.host_memory as f64 };
            io.out_line(&format!(
                "{user:<8} {:>7} {cpu:>4.1} {mem:>4.1} {:>6} {:>5} {:<8} {:<4} {start:>5} {:>6} {}",
                p.pid,
                vsz_kib(p.rss),
                p.rss / 1024,
                "?",
                stat(p),
                "0:00",
                p.command
            ));
        }
    } else if bsd && letters.contains('x') {
        io.out_line("    PID TTY      STAT   TIME COMMAND");
        for p in &list {
            io.out_line(&format!("{:>7} {:<8} {:<4} {:>6} {}", p.pid, "?", stat(p), "0:00", p.command));
        }
    } else if !bsd && letters.contains('f') {
        io.out_line("UID          PID    PPID  C STIME TTY          TIME CMD");
        for p in &list {
            io.out_line(&format!("{:<8} {:>7} {:>7} {:>2} {start:>5} {:<8} {:>8} {}", truncate_user(&p.user), p.pid, p.ppid, p.cpu_millis / 10, "?", "00:00:00", p.command));
        }
    } else {
        let all = letters.contains('e') || letters.contains('A') || letters.contains('a') || letters.contains('x');
        let me = user_label(sys);
        io.out_line("    PID TTY          TIME CMD");
        for p in list.iter().filter(|p| all || p.user == me) {
            io.out_line(&format!("{:>7} {:<8} {:>8} {}", p.pid, "?", "00:00:00", comm(&p.command)));
        }
    }
    0
}

/// procps shows user names longer than 8 characters cut to 7 and a `+`.
fn truncate_user(user: &str) -> String {
    if user.chars().count() > 8 {
        let mut cut: String = user.chars().take(7).collect();
        cut.push('+');
        cut
    } else {
        user.to_string()
    }
}

/// The host's memory as `free` and `/proc/meminfo` see it, in KiB: (total, used, free, shared,
/// buff/cache, available). Cgroup limits do not change these numbers.
fn host_memory(ctx: &ContainerContext) -> (u64, u64, u64, u64, u64, u64) {
    let total = ctx.host_memory / 1024;
    let used = (total * 12 / 100 + ctx.memory_usage / 1024).min(total * 9 / 10);
    let cache = total * 22 / 100;
    let shared = total / 500;
    let free = total.saturating_sub(used + cache);
    let available = free + cache * 4 / 5;
    (total, used, free, shared, cache, available)
}

fn free(io: &mut Io, ctx: &ContainerContext, args: &[String], busybox: bool) -> i32 {
    let flag = |f: &str| args.iter().any(|a| a == f);
    let human = flag("-h") || flag("--human");
    let divisor: u64 = if flag("-m") || flag("--mebi") {
        1024
    } else if flag("-g") || flag("--gibi") {
        1024 * 1024
    } else if flag("-b") || flag("--bytes") {
        0
    } else {
        1
    };
    let (total, used, free, shared, cache, available) = host_memory(ctx);
    let show = |kib: u64| -> String {
        if human {
            human_binary(kib * 1024, !busybox)
        } else {
            kib.checked_div(divisor).unwrap_or(kib * 1024).to_string()
        }
    };
    let row = |label: &str, values: &[u64]| -> String {
        let mut line = if busybox { format!("{label:<7}") } else { format!("{label:<8}") };
        for v in values {
            line.push_str(&format!("{:>12}", show(*v)));
        }
        line
    };
    let header = ["total", "used", "free", "shared", "buff/cache", "available"].iter().map(|h| format!("{h:>12}")).collect::<String>();
    io.out_line(&format!("{}{header}", if busybox { " ".repeat(7) } else { " ".repeat(8) }));
    io.out_line(&row("Mem:", &[total, used, free, shared, cache, available]));
    io.out_line(&row("Swap:", &[0, 0, 0]));
    0
}

/// `7.7Gi` (procps, binary suffixes with `i`) or `7.7G` (busybox).
fn human_binary(bytes: u64, with_i: bool) -> String {
    const UNITS: [&str; 5] = ["B", "K", "M", "G", "T"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < 4 {
        value /= 1024.0;
        unit += 1;
    }
    let suffix = UNITS.get(unit).copied().unwrap_or("T");
    let i = if with_i && unit > 0 { "i" } else { "" };
    if unit == 0 {
        format!("{bytes}B")
    } else if value < 10.0 {
        format!("{value:.1}{suffix}{i}")
    } else {
        format!("{}{suffix}{i}", value.round() as u64)
    }
}

/// The host booted this long before the session began.
const HOST_UP_BEFORE_SESSION: u64 = 3 * crate::clock::DAY + 2 * crate::clock::HOUR + 14 * crate::clock::MINUTE;

fn uptime_ms(sys: &Sys, ctx: &ContainerContext) -> u64 {
    now(sys, ctx).saturating_sub(crate::clock::SESSION_START.0) + HOST_UP_BEFORE_SESSION
}

fn load(ctx: &ContainerContext) -> f64 {
    f64::from(ctx.processes.iter().map(|p| p.cpu_millis).sum::<u32>()) / 1000.0
}

fn uptime_line(sys: &Sys, ctx: &ContainerContext, busybox: bool) -> String {
    let (_, _, _, h, m, s, _) = civil(now(sys, ctx));
    let up = uptime_ms(sys, ctx) / 60_000;
    let (days, hours, minutes) = (up / 1440, (up % 1440) / 60, up % 60);
    let mut line = format!(" {h:02}:{m:02}:{s:02} up ");
    if days > 0 {
        line.push_str(&format!("{days} day{}, ", if days == 1 { "" } else { "s" }));
    }
    if hours > 0 {
        line.push_str(&format!("{hours:2}:{minutes:02}, "));
    } else {
        line.push_str(&format!("{minutes} min, "));
    }
    if !busybox {
        line.push_str(" 0 users, ");
    }
    let l = load(ctx);
    line.push_str(&format!(" load average: {l:.2}, {l:.2}, {l:.2}"));
    line
}

fn top(sys: &mut Sys, io: &mut Io, ctx: &ContainerContext, argv: &[String], busybox: bool) -> i32 {
    let list = table(sys, ctx, &argv.join(" "));
    let own = own_pid(sys, ctx);
    let (total, used, free, shared, cache, available) = host_memory(ctx);
    let l = load(ctx);
    if busybox {
        io.out_line(&format!("Mem: {used}K used, {free}K free, {shared}K shrd, {}K buff, {}K cached", cache / 10, cache - cache / 10));
        io.out_line("CPU:   0% usr   0% sys   0% nic 100% idle   0% io   0% irq   0% sirq");
        io.out_line(&format!("Load average: {l:.2} {l:.2} {l:.2} 1/{} {own}", list.len() + 120));
        io.out_line("  PID  PPID USER     STAT   VSZ %VSZ CPU %CPU COMMAND");
        for p in &list {
            let vsz = vsz_kib(p.rss);
            let shown = if vsz < 100_000 { vsz.to_string() } else { format!("{}m", vsz / 1024) };
            let pvsz = (vsz * 100).checked_div(total).unwrap_or(0);
            let user: String = p.user.chars().take(8).collect();
            let stat = if p.pid == own { "R" } else { "S" };
            io.out_line(&format!("{:>5}{:>6} {user:<8} {stat:<4}{shown:>6} {pvsz:>3}% {:>3} {:>3}% {}", p.pid, p.ppid, p.pid % 4, p.cpu_millis / 10, p.command));
        }
        return 0;
    }
    let running = list.iter().filter(|p| p.pid == own).count();
    let mib = |kib: u64| kib as f64 / 1024.0;
    io.out_line(&format!("top - {}", uptime_line(sys, ctx, false).trim_start()));
    io.out_line(&format!("Tasks: {:>3} total, {running:>3} running, {:>3} sleeping,   0 stopped,   0 zombie", list.len(), list.len() - running));
    io.out_line("%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st ");
    io.out_line(&format!("MiB Mem : {:>8.1} total, {:>8.1} free, {:>8.1} used, {:>8.1} buff/cache     ", mib(total), mib(free), mib(used), mib(cache)));
    io.out_line(&format!("MiB Swap: {:>8.1} total, {:>8.1} free, {:>8.1} used. {:>8.1} avail Mem ", 0.0, 0.0, 0.0, mib(available)));
    io.out_line("");
    io.out_line("    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND");
    for p in &list {
        let rss = p.rss / 1024;
        let mem = if ctx.host_memory == 0 { 0.0 } else { p.rss as f64 * 100.0 / ctx.host_memory as f64 };
        let state = if p.pid == own { "R" } else { "S" };
        io.out_line(&format!(
            "{:>7} {:<8}  20   0 {:>7} {:>6} {:>6} {state} {:>5.1} {mem:>5.1} {:>9} {}",
            p.pid,
            truncate_user(&p.user),
            vsz_kib(p.rss),
            rss,
            rss * 3 / 4,
            f64::from(p.cpu_millis) / 10.0,
            "0:00.00",
            comm(&p.command)
        ));
    }
    0
}

// ---------------------------------------------------------------------------------------------
// kill

/// Whose wording `kill` uses: the standalone programs, or a shell's builtin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)]
pub(crate) enum KillStyle {
    /// procps `/bin/kill`.
    Procps,
    /// The busybox applet and ash's builtin.
    Busybox,
    /// bash's builtin.
    Bash,
    /// dash's builtin.
    Dash,
}

const SIGNALS: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
    "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL",
    "PWR", "SYS",
];

/// A signal by number or name (`9`, `KILL`, `SIGKILL`, `kill`).
pub(crate) fn signal_number(spec: &str) -> Option<u32> {
    if let Ok(n) = spec.parse::<u32>() {
        return (n <= 64).then_some(n);
    }
    let upper = spec.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    let name = if name == "IO" { "POLL" } else if name == "CLD" { "CHLD" } else { name };
    SIGNALS.iter().position(|s| *s == name).map(|i| i as u32 + 1)
}

/// `kill [-s SIG | -SIG] PID…` and `kill -l`. Errors are written as `{prefix}{message}`: the
/// programs pass `kill: `, a shell builtin passes its own (`sh: 1: kill: `, `bash: kill: `).
///
/// Signals are not delivered: a process in the list that the caller may signal makes `kill`
/// succeed silently. PID 1 ignores signals it has no handler for even from inside the container.
pub(crate) fn kill(sys: &Sys, io: &mut Io, args: &[String], style: KillStyle, prefix: &str) -> i32 {
    let mut signal: u32 = 15;
    let mut pids: Vec<&String> = Vec::new();
    let mut iter = args.iter().peekable();
    let bad_signal = |io: &mut Io, spec: &str| {
        let message = match style {
            KillStyle::Procps => format!("unknown signal name {spec}"),
            KillStyle::Busybox => format!("bad signal name '{spec}'"),
            KillStyle::Bash => format!("{spec}: invalid signal specification"),
            KillStyle::Dash => format!("invalid signal number or name: {spec}"),
        };
        io.err_line(&format!("{prefix}{message}"));
        1
    };
    let mut options = true;
    while let Some(arg) = iter.next() {
        if !options || !arg.starts_with('-') || arg == "-" {
            pids.push(arg);
            continue;
        }
        match arg.as_str() {
            "--" => options = false,
            "-l" | "-L" | "--list" => {
                if let Some(spec) = iter.next() {
                    // `kill -l 137` names the signal behind an exit status.
                    let n = spec.parse::<u32>().map(|n| if n > 128 { n - 128 } else { n }).ok();
                    match n.and_then(|n| SIGNALS.get(n.wrapping_sub(1) as usize)) {
                        Some(name) => io.out_line(name),
                        None => match signal_number(spec) {
                            Some(n) => io.out_line(&n.to_string()),
                            None => return bad_signal(io, spec),
                        },
                    }
                    return 0;
                }
                list_signals(io, style);
                return 0;
            }
            "-s" | "-n" | "--signal" => {
                let Some(spec) = iter.next() else {
                    io.err_line(&format!("{prefix}option requires an argument -- 's'"));
                    return if matches!(style, KillStyle::Bash | KillStyle::Dash) { 2 } else { 1 };
                };
                match signal_number(spec) {
                    Some(n) => signal = n,
                    None => return bad_signal(io, spec),
                }
            }
            other => {
                let spec = other.get(1..).unwrap_or_default();
                match signal_number(spec) {
                    Some(n) => signal = n,
                    None => return bad_signal(io, spec),
                }
            }
        }
    }
    // Not delivered (see above); 0 would only test for existence anyway.
    let _ = signal;
    if pids.is_empty() {
        match style {
            KillStyle::Bash => {
                io.err_line(&format!("{prefix}usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]"));
                return 2;
            }
            KillStyle::Dash => {
                io.err_line(&format!("{prefix}usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or"));
                io.err_line("kill -l [exitstatus]");
                return 2;
            }
            KillStyle::Procps => {
                io.err_line(&format!("{prefix}not enough arguments"));
                return 1;
            }
            KillStyle::Busybox => {
                io.err_line("BusyBox v1.36.1 multi-call binary.");
                io.err_line("");
                io.err_line("Usage: kill [-l] [-SIG] PID...");
                return 1;
            }
        }
    }
    let ctx = sys.container.as_ref();
    let own = ctx.map_or(1, |c| own_pid(sys, c));
    let me = user_label(sys);
    let mut status = 0;
    for spec in pids {
        let Ok(pid) = spec.parse::<i64>() else {
            let message = match style {
                KillStyle::Procps => format!("failed to parse argument: '{spec}'"),
                KillStyle::Busybox => format!("invalid number '{spec}'"),
                KillStyle::Bash => format!("{spec}: arguments must be process or job IDs"),
                KillStyle::Dash => format!("Illegal number: {spec}"),
            };
            io.err_line(&format!("{prefix}{message}"));
            status = 1;
            continue;
        };
        let target = ctx.and_then(|c| c.processes.iter().find(|p| i64::from(p.pid) == pid));
        let exists = target.is_some() || pid == i64::from(own) || pid == -1 || pid == 0;
        let errno = if !exists {
            Some("No such process")
        } else if target.is_some_and(|p| p.user != me && (sys.uid != 0 || lacks_capability(sys, "KILL"))) {
            Some("Operation not permitted")
        } else {
            None
        };
        if let Some(errno) = errno {
            let message = match style {
                KillStyle::Procps => format!("({pid}): {errno}"),
                KillStyle::Busybox => format!("can't kill pid {pid}: {errno}"),
                KillStyle::Bash => format!("({pid}) - {errno}"),
                KillStyle::Dash => errno.to_string(),
            };
            io.err_line(&format!("{prefix}{message}"));
            status = 1;
        }
    }
    status
}

fn list_signals(io: &mut Io, style: KillStyle) {
    match style {
        KillStyle::Procps => {
            io.out_line(&SIGNALS.get(..16).unwrap_or_default().join(" "));
            io.out_line(&SIGNALS.get(16..).unwrap_or_default().join(" "));
        }
        KillStyle::Busybox => {
            for (i, name) in SIGNALS.iter().enumerate() {
                io.out_line(&format!("{:>2}) {name}", i + 1));
            }
        }
        KillStyle::Dash => {
            io.out_line("0");
            for name in SIGNALS {
                io.out_line(if name == "POLL" { "IO" } else { name });
            }
        }
        KillStyle::Bash => {
            let cells: Vec<String> = SIGNALS.iter().enumerate().map(|(i, n)| format!("{:>2}) SIG{}", i + 1, if *n == "POLL" { "IO" } else { n })).collect();
            for row in cells.chunks(5) {
                io.out_line(&row.iter().map(|c| format!("{c:<12}")).collect::<String>().trim_end().replace("  ", "\t").replace("\t ", "\t"));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Filesystems: df, mount, /proc/mounts.

struct MountEntry {
    source: String,
    target: String,
    fstype: &'static str,
    options: String,
    /// (1K blocks, used) for `df`; `None` for pseudo filesystems df leaves out.
    blocks: Option<(u64, u64)>,
}

/// The host disk under `/var/lib/docker`, in 1K blocks: (size, used, available).
const HOST_DISK: (u64, u64, u64) = (61_202_244, 12_514_396, 45_546_064);

fn overlay_options(ctx: &ContainerContext) -> String {
    let h = hash(&ctx.id);
    let link = |n: u64| -> String {
        let mut x = hash(&format!("{}{n}", ctx.id));
        (0..26)
            .map(|_| {
                let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".get((x % 36) as usize).copied().unwrap_or(b'A');
                x = x.rotate_right(5) ^ h;
                char::from(c)
            })
            .collect()
    };
    let lowers: Vec<String> = (0..3).map(|n| format!("/var/lib/docker/overlay2/l/{}", link(n))).collect();
    let dir: String = format!("{:016x}{:016x}{:016x}{:016x}", h, hash(&format!("{h}a")), hash(&format!("{h}b")), hash(&format!("{h}c")));
    format!(
        "{},relatime,lowerdir={},upperdir=/var/lib/docker/overlay2/{dir}/diff,workdir=/var/lib/docker/overlay2/{dir}/work,nouserxattr",
        if ctx.read_only { "ro" } else { "rw" },
        lowers.join(":")
    )
}

fn mounts(ctx: &ContainerContext) -> Vec<MountEntry> {
    let half_ram = ctx.host_memory / 1024 / 2;
    let dev_opts = "rw,nosuid,size=65536k,mode=755,inode64".to_string();
    let mut list = vec![
        MountEntry { source: "overlay".into(), target: "/".into(), fstype: "overlay", options: overlay_options(ctx), blocks: Some((HOST_DISK.0, HOST_DISK.1)) },
        MountEntry { source: "proc".into(), target: "/proc".into(), fstype: "proc", options: "rw,nosuid,nodev,noexec,relatime".into(), blocks: None },
        MountEntry { source: "tmpfs".into(), target: "/dev".into(), fstype: "tmpfs", options: dev_opts.clone(), blocks: Some((65_536, 0)) },
        MountEntry { source: "devpts".into(), target: "/dev/pts".into(), fstype: "devpts", options: "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666".into(), blocks: None },
        MountEntry { source: "sysfs".into(), target: "/sys".into(), fstype: "sysfs", options: "ro,nosuid,nodev,noexec,relatime".into(), blocks: None },
        MountEntry { source: "cgroup".into(), target: "/sys/fs/cgroup".into(), fstype: "cgroup2", options: "ro,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot".into(), blocks: None },
        MountEntry { source: "mqueue".into(), target: "/dev/mqueue".into(), fstype: "mqueue", options: "rw,nosuid,nodev,noexec,relatime".into(), blocks: None },
        MountEntry { source: "shm".into(), target: "/dev/shm".into(), fstype: "tmpfs", options: "rw,nosuid,nodev,noexec,relatime,size=65536k,inode64".into(), blocks: Some((65_536, 0)) },
    ];
    // The runtime's files and the user's mounts go on in order of path depth (runc sorts them).
    let mut bound: Vec<MountEntry> = Vec::new();
    for file in ["/etc/resolv.conf", "/etc/hostname", "/etc/hosts"] {
        bound.push(MountEntry { source: "/dev/sda1".into(), target: file.into(), fstype: "ext4", options: "rw,relatime,discard,errors=remount-ro".into(), blocks: Some((HOST_DISK.0, HOST_DISK.1)) });
    }
    // Volumes and binds live on the host disk; `--mount type=tmpfs` is a tmpfs of its own.
    for (path, rw, tmpfs) in &ctx.mounts {
        let mode = if *rw { "rw" } else { "ro" };
        if *tmpfs {
            bound.push(MountEntry { source: "tmpfs".into(), target: path.clone(), fstype: "tmpfs", options: format!("{mode},nosuid,nodev,noexec,relatime,inode64"), blocks: Some((half_ram, 0)) });
        } else if !ctx.tmpfs.iter().any(|t| normalize(t, "/") == *path) {
            bound.push(MountEntry { source: "/dev/sda1".into(), target: path.clone(), fstype: "ext4", options: format!("{mode},relatime,discard,errors=remount-ro"), blocks: Some((HOST_DISK.0, HOST_DISK.1)) });
        }
    }
    bound.sort_by_key(|m| m.target.matches('/').count());
    list.extend(bound);
    for path in &ctx.tmpfs {
        list.push(MountEntry { source: "tmpfs".into(), target: normalize(path, "/"), fstype: "tmpfs", options: "rw,nosuid,nodev,noexec,relatime,inode64".into(), blocks: Some((half_ram, 0)) });
    }
    if !ctx.privileged {
        for dir in ["bus", "fs", "irq", "sys", "sysrq-trigger"] {
            list.push(MountEntry { source: "proc".into(), target: format!("/proc/{dir}"), fstype: "proc", options: "ro,nosuid,nodev,noexec,relatime".into(), blocks: None });
        }
        let masked_dir = |target: &str| MountEntry { source: "tmpfs".into(), target: target.into(), fstype: "tmpfs", options: "ro,relatime,inode64".into(), blocks: Some((half_ram, 0)) };
        list.push(masked_dir("/proc/acpi"));
        for file in ["interrupts", "kcore", "keys", "timer_list"] {
            // Masked files are /dev/null bound over them: the /dev tmpfs, which df shows once.
            list.push(MountEntry { source: "tmpfs".into(), target: format!("/proc/{file}"), fstype: "tmpfs", options: dev_opts.clone(), blocks: None });
        }
        list.push(masked_dir("/proc/scsi"));
        list.push(masked_dir("/sys/firmware"));
        list.push(masked_dir("/sys/devices/virtual/powercap"));
    }
    list
}

fn mount(io: &mut Io, ctx: &ContainerContext, args: &[String], busybox: bool) -> i32 {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let only_type = args.iter().position(|a| a == "-t").and_then(|i| args.get(i + 1));
    if operands.len() > usize::from(only_type.is_some()) {
        // Mounting needs CAP_SYS_ADMIN, which only --privileged grants.
        if ctx.privileged {
            return 0;
        }
        let target = operands.last().map(|s| s.as_str()).unwrap_or("/");
        if busybox {
            io.err_line("mount: permission denied (are you root?)");
            return 255;
        }
        io.err_line(&format!("mount: {target}: permission denied."));
        return 32;
    }
    for m in mounts(ctx) {
        if only_type.is_some_and(|t| t != m.fstype) {
            continue;
        }
        io.out_line(&format!("{} on {} type {} ({})", m.source, m.target, m.fstype, m.options));
    }
    0
}

fn df(io: &mut Io, ctx: &ContainerContext, args: &[String], busybox: bool) -> i32 {
    let human = args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('h')) || args.iter().any(|a| a == "--human-readable");
    let operands: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).map(|a| normalize(a, "/")).collect();
    let all = mounts(ctx);
    let mut rows: Vec<&MountEntry> = Vec::new();
    for m in &all {
        let Some(_) = m.blocks else { continue };
        if m.fstype == "tmpfs" && m.options == "rw,nosuid,size=65536k,mode=755,inode64" && m.target != "/dev" {
            continue;
        }
        // GNU df shows one line per device, the host disk under its shortest mount point
        // (`/data` for a volume, else `/etc/hosts`).
        if !busybox && m.source == "/dev/sda1" && Some(m.target.as_str()) != gnu_disk_target(&all) {
            continue;
        }
        rows.push(m);
    }
    if !operands.is_empty() {
        let mut picked = Vec::new();
        for operand in &operands {
            // The mount holding the operand: the longest mount point it lies within.
            if let Some(m) = all.iter().filter(|m| m.blocks.is_some() && is_within(operand, &m.target)).max_by_key(|m| m.target.len()) {
                picked.push(m);
            }
        }
        rows = picked;
    }
    let percent = |size: u64, used: u64| -> u64 {
        let avail = avail_of(size, used);
        if used + avail == 0 {
            0
        } else {
            (used * 100).div_ceil(used + avail)
        }
    };
    if busybox {
        let header_units = if human { "     Size" } else { "1K-blocks" };
        io.out_line(&format!("Filesystem           {header_units:<15}Used Available Use% Mounted on"));
        for m in rows {
            let (size, used) = m.blocks.unwrap_or((0, 0));
            let avail = avail_of(size, used);
            let show = |kib: u64| if human { busybox_human(kib) } else { kib.to_string() };
            let pct = (used * 100 + (used + avail) / 2).checked_div(used + avail).unwrap_or(0);
            io.out_line(&format!("{:<20} {:>9} {:>9} {:>9} {pct:>3}% {}", m.source, show(size), show(used), show(avail), m.target));
        }
        return 0;
    }
    let mut table: Vec<[String; 6]> = vec![[
        "Filesystem".into(),
        if human { "Size".into() } else { "1K-blocks".into() },
        "Used".into(),
        if human { "Avail".into() } else { "Available".into() },
        "Use%".into(),
        "Mounted on".into(),
    ]];
    for m in rows {
        let (size, used) = m.blocks.unwrap_or((0, 0));
        let avail = avail_of(size, used);
        let show = |kib: u64| if human { gnu_human(kib) } else { kib.to_string() };
        table.push([m.source.clone(), show(size), show(used), show(avail), format!("{}%", percent(size, used)), m.target.clone()]);
    }
    let width = |col: usize, min: usize| table.iter().map(|r| r.get(col).map_or(0, String::len)).max().unwrap_or(0).max(min);
    let widths = [width(0, 14), width(1, if human { 5 } else { 9 }), width(2, if human { 5 } else { 4 }), width(3, if human { 5 } else { 9 }), width(4, 4)];
    for row in &table {
        let [fs, size, used, avail, pct, target] = row;
        io.out_line(&format!(
            "{fs:<w0$} {size:>w1$} {used:>w2$} {avail:>w3$} {pct:>w4$} {target}",
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4]
        ));
    }
    0
}

/// Where GNU df shows the host disk: its shortest mount point (ties: the first listed).
fn gnu_disk_target(all: &[MountEntry]) -> Option<&str> {
    all.iter().filter(|m| m.source == "/dev/sda1").min_by_key(|m| m.target.len()).map(|m| m.target.as_str())
}

fn avail_of(size: u64, used: u64) -> u64 {
    if size == HOST_DISK.0 && used == HOST_DISK.1 {
        HOST_DISK.2
    } else {
        size.saturating_sub(used)
    }
}

/// GNU `df -h`: powers of 1024, rounded up, one decimal below 10.
fn gnu_human(kib: u64) -> String {
    if kib == 0 {
        return "0".into();
    }
    let mut value = kib as f64;
    let mut unit = 1;
    while value >= 1024.0 && unit < 5 {
        value /= 1024.0;
        unit += 1;
    }
    let suffix = ["", "K", "M", "G", "T", "P"].get(unit).copied().unwrap_or("P");
    if value < 10.0 {
        let v = (value * 10.0).ceil() / 10.0;
        if v >= 10.0 {
            format!("{}{suffix}", v as u64)
        } else {
            format!("{v:.1}{suffix}")
        }
    } else {
        format!("{}{suffix}", value.ceil() as u64)
    }
}

/// busybox `df -h`: one decimal always (`58.4G`, `64.0M`), `0` for nothing.
fn busybox_human(kib: u64) -> String {
    if kib == 0 {
        return "0".into();
    }
    let mut value = kib as f64;
    let mut unit = 1;
    while value >= 1024.0 && unit < 5 {
        value /= 1024.0;
        unit += 1;
    }
    let suffix = ["", "K", "M", "G", "T", "P"].get(unit).copied().unwrap_or("P");
    format!("{value:.1}{suffix}")
}

// ---------------------------------------------------------------------------------------------
// /proc and /sys.

/// What a path under `/proc` or `/sys` is inside a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Virtual {
    Text(String),
    /// Entries: name and kind.
    Dir(Vec<(String, VirtualKind)>),
    Link(String),
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VirtualKind {
    Dir,
    File,
    Link(String),
}

const NS_KINDS: [&str; 10] = ["cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts"];

fn ns_target(ctx: &ContainerContext, kind: &str) -> Option<String> {
    let n = &ctx.namespaces;
    let (label, inode) = match kind {
        "cgroup" => ("cgroup", n.cgroup),
        "ipc" => ("ipc", n.ipc),
        "mnt" => ("mnt", n.mnt),
        "net" => ("net", n.net),
        "pid" | "pid_for_children" => ("pid", n.pid),
        // Docker makes no time namespace: the host's.
        "time" | "time_for_children" => ("time", 4_026_531_834),
        "user" => ("user", n.user),
        "uts" => ("uts", n.uts),
        _ => return None,
    };
    Some(format!("{label}:[{inode}]"))
}

const CGROUP_FILES: &[&str] = &[
    "cgroup.controllers", "cgroup.events", "cgroup.procs", "cgroup.type", "cpu.max", "cpu.stat", "cpu.weight",
    "cpuset.cpus.effective", "io.max", "memory.current", "memory.events", "memory.high", "memory.low", "memory.max",
    "memory.min", "memory.peak", "memory.stat", "memory.swap.current", "memory.swap.max", "pids.current", "pids.max",
];

/// Capability bit numbers, for `/proc/<pid>/status`.
const CAP_BITS: [&str; 41] = [
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
    "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
    "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
    "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
    "CHECKPOINT_RESTORE",
];

/// The bounding set as a bit mask.
fn cap_mask(ctx: &ContainerContext) -> u64 {
    if ctx.privileged {
        return (1u64 << CAP_BITS.len()) - 1;
    }
    ctx.capabilities.iter().fold(0u64, |mask, cap| {
        let name = cap.trim_start_matches("CAP_").to_ascii_uppercase();
        if name == "ALL" {
            return (1u64 << CAP_BITS.len()) - 1;
        }
        match CAP_BITS.iter().position(|c| *c == name) {
            Some(bit) => mask | (1u64 << bit),
            None => mask,
        }
    })
}

/// Reads a virtual file: `Some(Ok(text))`, `Some(Err(errno text))`, or `None` when `path` is an
/// ordinary file of the tree (or there is no container).
pub(crate) fn read_virtual(sys: &Sys, path: &str) -> Option<Result<String, &'static str>> {
    match lookup(sys, path)? {
        Virtual::Text(text) => Some(Ok(text)),
        Virtual::Dir(_) => Some(Err("Is a directory")),
        Virtual::Link(_) => Some(Err("Invalid argument")),
        Virtual::Missing => Some(Err("No such file or directory")),
    }
}

/// What `path` is under `/proc` or `/sys` inside a container; `None` for other paths.
pub(crate) fn lookup(sys: &Sys, path: &str) -> Option<Virtual> {
    let ctx = sys.container.as_ref()?;
    let path = normalize(path, &sys.cwd);
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.first().copied() {
        Some("proc") => Some(proc_path(sys, ctx, parts.get(1..).unwrap_or_default())),
        Some("sys") => Some(sys_path(sys, ctx, parts.get(1..).unwrap_or_default())),
        _ => None,
    }
}

fn text(s: String) -> Virtual {
    Virtual::Text(s)
}

fn proc_path(sys: &Sys, ctx: &ContainerContext, parts: &[&str]) -> Virtual {
    let own = own_pid(sys, ctx);
    let Some((first, rest)) = parts.split_first() else {
        let mut entries: Vec<(String, VirtualKind)> = table(sys, ctx, "").iter().map(|p| (p.pid.to_string(), VirtualKind::Dir)).collect();
        for dir in ["acpi", "bus", "driver", "fs", "irq", "net", "scsi", "sys", "tty"] {
            entries.push((dir.into(), VirtualKind::Dir));
        }
        for file in ["cgroups", "cmdline", "cpuinfo", "filesystems", "loadavg", "meminfo", "mounts", "stat", "uptime", "version"] {
            entries.push((file.into(), VirtualKind::File));
        }
        entries.push(("self".into(), VirtualKind::Link(own.to_string())));
        entries.push(("thread-self".into(), VirtualKind::Link(format!("{own}/task/{own}"))));
        entries.sort_by(|a, b| {
            let na = a.0.parse::<u64>().ok();
            let nb = b.0.parse::<u64>().ok();
            match (na, nb) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                _ => a.0.cmp(&b.0),
            }
        });
        return Virtual::Dir(entries);
    };
    let pid = match *first {
        "self" | "thread-self" => {
            if rest.is_empty() {
                return Virtual::Link(own.to_string());
            }
            Some(own)
        }
        other => other.parse::<u32>().ok(),
    };
    if let Some(pid) = pid {
        let list = table(sys, ctx, "");
        let Some(entry) = list.iter().find(|p| p.pid == pid) else { return Virtual::Missing };
        return process_path(sys, ctx, entry, pid == own, rest);
    }
    let (total, _, free, _, cache, available) = host_memory(ctx);
    match parts {
        ["meminfo"] => {
            let rows = [
                ("MemTotal:", total),
                ("MemFree:", free),
                ("MemAvailable:", available),
                ("Buffers:", cache / 10),
                ("Cached:", cache - cache / 10),
                ("SwapCached:", 0),
                ("Active:", total / 5),
                ("Inactive:", total / 6),
                ("SwapTotal:", 0),
                ("SwapFree:", 0),
                ("Shmem:", total / 500),
            ];
            text(rows.iter().map(|(k, v)| format!("{k:<15}{v:>9} kB\n")).collect())
        }
        ["cpuinfo"] => text(
            (0..HOST_CPUS)
                .map(|n| {
                    format!(
                        "processor\t: {n}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz\ncpu MHz\t\t: 2499.998\ncache size\t: 36608 KB\nphysical id\t: 0\nsiblings\t: {HOST_CPUS}\ncore id\t\t: {}\ncpu cores\t: {}\n\n",
                        n / 2,
                        HOST_CPUS / 2
                    )
                })
                .collect(),
        ),
        ["loadavg"] => {
            let l = load(ctx);
            text(format!("{l:.2} {l:.2} {l:.2} 1/{} {own}\n", ctx.processes.len() + 121))
        }
        ["uptime"] => {
            let up = uptime_ms(sys, ctx);
            text(format!("{}.{:02} {}.{:02}\n", up / 1000, (up % 1000) / 10, up * 3 / 1000, 0))
        }
        ["version"] => text("Linux version 6.8.0-60-generic (buildd@lcy02-amd64-098) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #63-Ubuntu SMP PREEMPT_DYNAMIC Tue Apr 15 19:04:15 UTC 2025\n".into()),
        ["mounts"] => text(mounts_text(ctx)),
        ["cgroups"] => text("#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t0\t150\t1\ncpu\t0\t150\t1\ncpuacct\t0\t150\t1\nblkio\t0\t150\t1\nmemory\t0\t150\t1\ndevices\t0\t150\t1\nfreezer\t0\t150\t1\nnet_cls\t0\t150\t1\nperf_event\t0\t150\t1\nnet_prio\t0\t150\t1\nhugetlb\t0\t150\t1\npids\t0\t150\t1\nrdma\t0\t150\t1\nmisc\t0\t150\t1\n".into()),
        ["cmdline"] => text("BOOT_IMAGE=/boot/vmlinuz-6.8.0-60-generic root=UUID=3f1c2b9e-5d1a-4c2e-9a7b-1e2d3c4b5a69 ro console=tty1 console=ttyS0\n".into()),
        ["sys", "kernel", "hostname"] => text(format!("{}\n", ctx.hostname)),
        ["sys", "kernel", "pid_max"] => text("4194304\n".into()),
        ["sys", "kernel", "osrelease"] => text("6.8.0-60-generic\n".into()),
        ["sys", "net", "ipv4", "ip_unprivileged_port_start"] => text("0\n".into()),
        ["sys", "net", "ipv4", "ping_group_range"] => text("0\t2147483647\n".into()),
        ["sys", "net", "ipv4", "ip_forward"] => text("1\n".into()),
        ["sys", "vm", "overcommit_memory"] => text("0\n".into()),
        ["sys", "fs", "file-max"] => text("9223372036854775807\n".into()),
        _ => Virtual::Missing,
    }
}

/// CPUs the host has (`nproc`; `--cpus` limits time, not CPUs).
pub(crate) const HOST_CPUS: u32 = 4;

fn mounts_text(ctx: &ContainerContext) -> String {
    mounts(ctx).iter().map(|m| format!("{} {} {} {} 0 0\n", m.source, m.target, m.fstype, m.options)).collect()
}

fn process_path(sys: &Sys, ctx: &ContainerContext, entry: &ProcessEntry, is_own: bool, rest: &[&str]) -> Virtual {
    let command = &entry.command;
    match rest {
        [] => Virtual::Dir(
            ["cgroup", "cmdline", "comm", "cwd", "environ", "exe", "fd", "mounts", "ns", "root", "stat", "status"]
                .iter()
                .map(|n| {
                    let kind = match *n {
                        "cwd" | "exe" | "root" => VirtualKind::Link(match process_path(sys, ctx, entry, is_own, &[n]) {
                            Virtual::Link(t) => t,
                            _ => String::new(),
                        }),
                        "fd" | "ns" => VirtualKind::Dir,
                        _ => VirtualKind::File,
                    };
                    (n.to_string(), kind)
                })
                .collect(),
        ),
        ["cmdline"] => {
            let zero = '\u{0}';
            if argv0(command) == command.as_str() && command.contains(": ") {
                text(command.clone())
            } else {
                text(command.split(' ').filter(|w| !w.is_empty()).map(|w| format!("{w}{zero}")).collect())
            }
        }
        ["comm"] => text(format!("{}\n", comm(command))),
        ["cgroup"] => text("0::/\n".into()),
        ["mounts"] => text(mounts_text(ctx)),
        ["environ"] => {
            if is_own {
                text(sys.env.iter().map(|(k, v)| format!("{k}={v}\u{0}")).collect())
            } else {
                text(String::new())
            }
        }
        ["cwd"] => Virtual::Link(if is_own { sys.cwd.clone() } else { "/".into() }),
        ["root"] => Virtual::Link("/".into()),
        ["exe"] => {
            let first = argv0(command).split(' ').next().unwrap_or_default().trim_end_matches(':');
            Virtual::Link(sys.resolve(first).unwrap_or_else(|| format!("/usr/bin/{}", comm(command))))
        }
        ["fd"] => Virtual::Dir(
            ["0", "1", "2"].iter().map(|n| (n.to_string(), VirtualKind::Link(if *n == "0" { "/dev/null".into() } else { format!("pipe:[{}]", 100_000 + entry.pid * 7) }))).collect(),
        ),
        ["ns"] => Virtual::Dir(NS_KINDS.iter().map(|k| (k.to_string(), VirtualKind::Link(ns_target(ctx, k).unwrap_or_default()))).collect()),
        ["ns", kind] => match ns_target(ctx, kind) {
            Some(target) => Virtual::Link(target),
            None => Virtual::Missing,
        },
        ["stat"] => text(format!("{} ({}) {} {} {} {} 0 -1 4194560 100 0 0 0 0 0 20 0 1 0 100 {} {} 18446744073709551615\n", entry.pid, comm(command), if is_own { "R" } else { "S" }, entry.ppid, entry.pid, entry.pid, vsz_kib(entry.rss) * 1024, entry.rss / 4096)),
        ["status"] => text(status_text(sys, ctx, entry, is_own)),
        _ => Virtual::Missing,
    }
}

fn status_text(sys: &Sys, ctx: &ContainerContext, entry: &ProcessEntry, is_own: bool) -> String {
    let (uid, gid) = if is_own {
        (sys.uid, sys.gid)
    } else {
        match entry.user.parse::<u32>().ok().or_else(|| super::users::uid_of_name(sys, &entry.user)) {
            Some(uid) => (uid, super::users::primary_gid(sys, uid).unwrap_or(uid)),
            None => (0, 0),
        }
    };
    let bounding = cap_mask(ctx);
    let effective = if uid == 0 { bounding } else { 0 };
    let rss = entry.rss / 1024;
    let mut lines = vec![
        format!("Name:\t{}", comm(&entry.command)),
        "Umask:\t0022".to_string(),
        format!("State:\t{}", if is_own { "R (running)" } else { "S (sleeping)" }),
        format!("Tgid:\t{}", entry.pid),
        "Ngid:\t0".to_string(),
        format!("Pid:\t{}", entry.pid),
        format!("PPid:\t{}", entry.ppid),
        "TracerPid:\t0".to_string(),
        format!("Uid:\t{uid}\t{uid}\t{uid}\t{uid}"),
        format!("Gid:\t{gid}\t{gid}\t{gid}\t{gid}"),
        "FDSize:\t64".to_string(),
        format!("Groups:\t{gid} "),
        format!("NStgid:\t{}", entry.pid),
        format!("NSpid:\t{}", entry.pid),
        format!("NSpgid:\t{}", entry.pid),
        format!("NSsid:\t{}", if entry.ppid == 0 { entry.pid } else { 1 }),
        format!("VmPeak:\t{:>8} kB", vsz_kib(entry.rss)),
        format!("VmSize:\t{:>8} kB", vsz_kib(entry.rss)),
        format!("VmHWM:\t{rss:>8} kB"),
        format!("VmRSS:\t{rss:>8} kB"),
        "Threads:\t1".to_string(),
        "SigQ:\t0/31367".to_string(),
        "SigPnd:\t0000000000000000".to_string(),
        "ShdPnd:\t0000000000000000".to_string(),
        "SigBlk:\t0000000000000000".to_string(),
        "SigIgn:\t0000000000000000".to_string(),
        "SigCgt:\t0000000000000000".to_string(),
        "CapInh:\t0000000000000000".to_string(),
        format!("CapPrm:\t{effective:016x}"),
        format!("CapEff:\t{effective:016x}"),
        format!("CapBnd:\t{bounding:016x}"),
        "CapAmb:\t0000000000000000".to_string(),
        format!("NoNewPrivs:\t{}", u8::from(ctx.no_new_privileges)),
        format!("Seccomp:\t{}", if ctx.privileged { 0 } else { 2 }),
        format!("Seccomp_filters:\t{}", if ctx.privileged { 0 } else { 1 }),
        "Speculation_Store_Bypass:\tthread force mitigated".to_string(),
        "Cpus_allowed:\tf".to_string(),
        format!("Cpus_allowed_list:\t0-{}", HOST_CPUS - 1),
        "voluntary_ctxt_switches:\t40".to_string(),
        "nonvoluntary_ctxt_switches:\t3".to_string(),
    ];
    lines.push(String::new());
    lines.join("\n")
}

fn sys_path(sys: &Sys, ctx: &ContainerContext, parts: &[&str]) -> Virtual {
    let dirs = |names: &[&str]| Virtual::Dir(names.iter().map(|n| (n.to_string(), VirtualKind::Dir)).collect());
    match parts {
        [] => dirs(&["block", "bus", "class", "dev", "devices", "firmware", "fs", "kernel", "module", "power"]),
        ["fs"] => dirs(&["bpf", "cgroup", "ext4", "fuse", "pstore"]),
        ["fs", "cgroup"] => Virtual::Dir(CGROUP_FILES.iter().map(|n| (n.to_string(), VirtualKind::File)).collect()),
        ["fs", "cgroup", file] => match cgroup_file(sys, ctx, file) {
            Some(t) => text(t),
            None => Virtual::Missing,
        },
        ["class"] => dirs(&["block", "net", "tty"]),
        ["class", "net"] => {
            let mut entries = Vec::new();
            if !ctx.network_none {
                entries.push(("eth0".to_string(), VirtualKind::Link("../../devices/virtual/net/eth0".into())));
            }
            entries.push(("lo".to_string(), VirtualKind::Link("../../devices/virtual/net/lo".into())));
            Virtual::Dir(entries)
        }
        _ => Virtual::Missing,
    }
}

fn cgroup_file(sys: &Sys, ctx: &ContainerContext, file: &str) -> Option<String> {
    let limit_or_max = |v: Option<u64>| v.map_or_else(|| "max".to_string(), |v| v.to_string());
    let list = table(sys, ctx, "");
    let pids = list.len() as u64;
    let value = match file {
        "cgroup.controllers" => "cpuset cpu io memory hugetlb pids rdma misc".to_string(),
        "cgroup.events" => "populated 1\nfrozen 0".to_string(),
        "cgroup.procs" => {
            list.iter().map(|p| p.pid.to_string()).collect::<Vec<_>>().join("\n")
        }
        "cgroup.type" => "domain".to_string(),
        "cpu.max" => {
            if ctx.nano_cpus == 0 {
                "max 100000".to_string()
            } else {
                format!("{} 100000", ctx.nano_cpus / 10_000)
            }
        }
        "cpu.stat" => {
            let usage: u64 = ctx.processes.iter().map(|p| u64::from(p.cpu_millis) * 1000).sum();
            format!("usage_usec {usage}\nuser_usec {}\nsystem_usec {}\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0", usage * 2 / 3, usage / 3)
        }
        "cpu.weight" => "100".to_string(),
        "cpuset.cpus.effective" => format!("0-{}", HOST_CPUS - 1),
        "io.max" => String::new(),
        "memory.current" => ctx.memory_usage.to_string(),
        "memory.peak" => ctx.memory_usage.to_string(),
        "memory.events" => "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0".to_string(),
        "memory.high" => "max".to_string(),
        "memory.low" | "memory.min" | "memory.swap.current" => "0".to_string(),
        "memory.max" => limit_or_max(ctx.memory_limit),
        // `--memory` without `--memory-swap` allows as much swap again.
        "memory.swap.max" => limit_or_max(ctx.memory_limit),
        "memory.stat" => format!("anon {}\nfile {}\nkernel {}\nsock 0\nshmem 0", ctx.memory_usage * 4 / 5, ctx.memory_usage / 10, ctx.memory_usage / 10),
        "pids.current" => pids.to_string(),
        "pids.max" => limit_or_max(ctx.pids_limit),
        _ => return None,
    };
    Some(format!("{value}\n").replace("\n\n", "\n"))
}

// ---------------------------------------------------------------------------------------------
// Network: where a connection lands.

/// What connecting to `host:port` from inside the container meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Not the container's business: a name on the internet, handled as in a build step.
    Outside,
    /// The name does not resolve.
    Unresolved,
    /// Nothing accepts at the address (or it is another container: not routed yet).
    Refused { ip: String },
    /// An HTTP server answers.
    Http { ip: String, service: HttpService },
    /// Something listens that does not speak HTTP (postgres, redis).
    Raw { ip: String, listener: Listener },
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
}

/// The addresses `host` resolves to inside the container (loopback first), or `None`.
/// External names (with a dot, network on) give `Some(vec![])`: the internet's business.
pub(crate) fn resolve_host(sys: &Sys, host: &str) -> Option<Vec<String>> {
    let ctx = sys.container.as_ref()?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host == "localhost" || host == "ip6-localhost" || host == "ip6-loopback" {
        // IPv4 first, as busybox and glibc order docker's /etc/hosts.
        return Some(vec!["127.0.0.1".into(), "::1".into()]);
    }
    if is_ipv4(host) || host.contains(':') {
        return Some(vec![host.to_string()]);
    }
    let hosts = sys.read("/etc/hosts").unwrap_or_default();
    for line in hosts.lines() {
        let mut words = line.split('#').next().unwrap_or_default().split_whitespace();
        let Some(ip) = words.next() else { continue };
        if words.any(|w| w == host) {
            return Some(vec![ip.to_string()]);
        }
    }
    if !ctx.network_none && host == ctx.hostname && !ctx.ip_address.is_empty() {
        return Some(vec![ctx.ip_address.clone()]);
    }
    if let Some((_, ip)) = ctx.dns.iter().find(|(name, _)| name == host) {
        return Some(vec![ip.clone()]);
    }
    if !ctx.network_none && sys.network && host.contains('.') {
        return Some(Vec::new());
    }
    None
}

fn is_loopback(ip: &str) -> bool {
    ip == "::1" || ip.starts_with("127.")
}

/// Whether a socket bound to `bound` accepts a connection to `ip`.
fn accepts(bound: &str, ip: &str, own_ip: &str) -> bool {
    let ipv6 = ip.contains(':');
    match bound {
        // An IPv6 wildcard socket takes IPv4 too (dual stack).
        "::" | "[::]" | "*" => true,
        "0.0.0.0" => !ipv6,
        other => other == ip || (other == own_ip && ip == own_ip) || (other == "127.0.0.1" && ip.starts_with("127.")),
    }
}

/// Where a TCP connection to `host:port` from inside the container lands; `None` without one.
pub(crate) fn reach(sys: &Sys, host: &str, port: u16) -> Option<Reach> {
    let ctx = sys.container.as_ref()?;
    let Some(ips) = resolve_host(sys, host) else { return Some(Reach::Unresolved) };
    if ips.is_empty() {
        return Some(Reach::Outside);
    }
    let mut last = ips.last().cloned().unwrap_or_default();
    for ip in &ips {
        let target = if ip == "0.0.0.0" { "127.0.0.1" } else if ip == "::" { "::1" } else { ip.as_str() };
        let local = is_loopback(target) || (!ctx.ip_address.is_empty() && target == ctx.ip_address);
        if !local {
            // Another container on a shared network: its sockets bound to every interface answer.
            let peer = ctx.peers.iter().find(|(address, l)| {
                address == target && l.port == port && l.protocol == "tcp" && matches!(l.address.as_str(), "0.0.0.0" | "::" | "[::]" | "*")
            });
            if let Some((_, listener)) = peer {
                return Some(match &listener.http {
                    Some(service) => Reach::Http { ip: target.to_string(), service: service.clone() },
                    None => Reach::Raw { ip: target.to_string(), listener: listener.clone() },
                });
            }
            last = ip.clone();
            continue;
        }
        let found = ctx.listeners.iter().find(|l| l.port == port && l.protocol == "tcp" && accepts(&l.address, target, &ctx.ip_address));
        if let Some(listener) = found {
            return Some(match &listener.http {
                Some(service) => Reach::Http { ip: target.to_string(), service: service.clone() },
                None => Reach::Raw { ip: target.to_string(), listener: listener.clone() },
            });
        }
        last = target.to_string();
    }
    // The tools report the IPv4 address they tried.
    Some(Reach::Refused { ip: if last == "::1" { "127.0.0.1".into() } else { last } })
}

/// The file a static server's document root holds for `path` now (`/` is `index.html`), read from
/// the serving container's current filesystem.
pub(crate) fn docroot_file(service: &HttpService, tree: &crate::fs::FileTree, path: &str) -> Option<String> {
    let root = service.docroot.as_deref()?;
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let file = if path.is_empty() || path.ends_with('/') { format!("{root}{path}index.html") } else { format!("{root}{path}") };
    tree.read_text(&crate::fs::normalize(&file, "/")).ok().map(str::to_string)
}

/// An HTTP server's answer to `path`: (status, body). `tree` is the serving container's current
/// filesystem when known, for servers with a document root.
pub(crate) fn http_answer_in(service: &HttpService, tree: Option<&crate::fs::FileTree>, path: &str) -> (u16, String) {
    match tree.and_then(|tree| docroot_file(service, tree, path)) {
        Some(body) => (200, body),
        None => http_answer(service, path),
    }
}

/// An HTTP server's answer to `path`: (status, body), from what it loaded when it started.
pub(crate) fn http_answer(service: &HttpService, path: &str) -> (u16, String) {
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = if path.is_empty() { "/" } else { path };
    if let Some(route) = service.routes.iter().find(|r| r.path == path) {
        return (route.status, route.body.clone());
    }
    let server = service.server.to_ascii_lowercase();
    let body = if server.starts_with("nginx") {
        format!("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{}</center>\r\n</body>\r\n</html>\r\n", service.server).replace('\r', "")
    } else if server.starts_with("werkzeug") {
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n".into()
    } else if server.starts_with("uvicorn") {
        "{\"detail\":\"Not Found\"}".into()
    } else if server.is_empty() || server.contains("express") || server.contains("node") {
        format!("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET {path}</pre>\n</body>\n</html>\n")
    } else {
        "Not Found\n".into()
    };
    (404, body)
}

pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

fn content_type(body: &str) -> &'static str {
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        "application/json"
    } else if trimmed.starts_with('<') {
        "text/html"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// Response headers as curl `-I`/`-i` prints them (without the blank line).
pub(crate) fn http_headers(sys: &Sys, service: &HttpService, status: u16, body: &str) -> Vec<String> {
    let date = sys.container.as_ref().map_or_else(|| http_date(crate::clock::SESSION_START.0), |ctx| http_date(now(sys, ctx)));
    let mut lines = vec![format!("HTTP/1.1 {status} {}", reason(status))];
    let nginx = service.server.starts_with("nginx");
    let server = format!("Server: {}", service.server);
    let date = format!("Date: {date}");
    if nginx || service.server.is_empty() {
        if !service.server.is_empty() {
            lines.push(server);
        }
        lines.push(date);
    } else {
        lines.push(date);
        lines.push(server);
    }
    lines.push(format!("Content-Type: {}", content_type(body)));
    lines.push(format!("Content-Length: {}", body.len()));
    lines.push("Connection: keep-alive".into());
    lines
}

// ---------------------------------------------------------------------------------------------
// netstat, ss, ip, ifconfig

fn service_name(port: u16) -> Option<&'static str> {
    Some(match port {
        22 => "ssh",
        25 => "smtp",
        53 => "domain",
        80 => "http",
        443 => "https",
        3306 => "mysql",
        5432 => "postgresql",
        _ => return None,
    })
}

/// The `PID/argv0` label netstat shows (at most 19 characters).
fn program_label(ctx: &ContainerContext, listener: &Listener) -> String {
    let name = ctx.processes.iter().find(|p| p.pid == listener.pid).map_or_else(|| listener.program.clone(), |p| file_name(argv0(&p.command)).to_string());
    format!("{}/{name}", listener.pid).chars().take(19).collect()
}

fn netstat(sys: &Sys, io: &mut Io, ctx: &ContainerContext, args: &[String], busybox: bool) -> i32 {
    let letters: String = args.iter().filter(|a| a.starts_with('-') && !a.starts_with("--")).map(|a| a.trim_start_matches('-')).collect();
    let long = |name: &str| args.iter().any(|a| a == name);
    let listening = letters.contains('l') || long("--listening");
    let all = letters.contains('a') || long("--all");
    let numeric = letters.contains('n') || long("--numeric");
    let programs = letters.contains('p') || long("--programs");
    let tcp = letters.contains('t') || long("--tcp");
    let udp = letters.contains('u') || long("--udp");
    let (tcp, udp) = if !tcp && !udp { (true, true) } else { (tcp, udp) };
    let title = if all {
        "(servers and established)"
    } else if listening {
        "(only servers)"
    } else {
        "(w/o servers)"
    };
    if programs && sys.uid != 0 && !busybox {
        io.out_line("(Not all processes could be identified, non-owned process info");
        io.out_line(" will not be shown, you would have to be root to see it all.)");
    }
    io.out_line(&format!("Active Internet connections {title}"));
    let banner = if programs { "PID/Program name    " } else { "" };
    io.out_line(&format!("Proto Recv-Q Send-Q {:<23} {:<23} State       {banner}", "Local Address", "Foreign Address"));
    if !(listening || all) {
        return 0;
    }
    let me = user_label(sys);
    for listener in &ctx.listeners {
        let is_udp = listener.protocol == "udp";
        if (is_udp && !udp) || (!is_udp && !tcp) {
            continue;
        }
        let ipv6 = listener.address.contains(':');
        let proto = match (is_udp, ipv6 && !busybox) {
            (false, false) => "tcp",
            (false, true) => "tcp6",
            (true, false) => "udp",
            (true, true) => "udp6",
        };
        let host = if !numeric && listener.address == "127.0.0.1" { "localhost".to_string() } else { listener.address.clone() };
        let port = if numeric { listener.port.to_string() } else { service_name(listener.port).map_or_else(|| listener.port.to_string(), str::to_string) };
        let local = format!("{host}:{port}");
        let foreign = if ipv6 { ":::*" } else { "0.0.0.0:*" };
        let state = if is_udp { "" } else { "LISTEN" };
        let owner_visible = sys.uid == 0 || ctx.processes.iter().any(|p| p.pid == listener.pid && p.user == me);
        let program = if owner_visible { program_label(ctx, listener) } else { "-".to_string() };
        let line = if busybox {
            let mut line = format!("{proto}   {:>6} {:>6} {local:<23} {foreign:<23} {state:<12}", 0, 0);
            if programs {
                line.push_str(&program);
            }
            line
        } else {
            let mut line = format!("{proto:<5} {:>6} {:>6} {local:<23} {foreign:<23} {state:<11}", 0, 0);
            if programs {
                line.push_str(&format!(" {program:<20}"));
            }
            line
        };
        io.out_line(&line);
    }
    0
}

/// The backlog a server listens with, which `ss` shows as Send-Q.
fn backlog(program: &str) -> u32 {
    match program {
        "nginx" | "redis-server" | "redis" | "node" => 511,
        "postgres" => 244,
        "python" | "python3" | "flask" => 128,
        "uvicorn" | "gunicorn" => 2048,
        _ => 4096,
    }
}

fn ss(io: &mut Io, ctx: &ContainerContext, args: &[String]) -> i32 {
    let letters: String = args.iter().filter(|a| a.starts_with('-') && !a.starts_with("--")).map(|a| a.trim_start_matches('-')).collect();
    let listening = letters.contains('l') || letters.contains('a');
    let programs = letters.contains('p');
    let numeric = letters.contains('n');
    let udp_only = letters.contains('u') && !letters.contains('t');
    let mut rows: Vec<[String; 7]> = vec![[
        "State".into(),
        "Recv-Q".into(),
        "Send-Q".into(),
        "Local Address".into(),
        "Port".into(),
        "Peer Address".into(),
        "Port".into(),
    ]];
    let mut processes = vec![if programs { "Process".to_string() } else { String::new() }];
    if listening {
        for (index, l) in ctx.listeners.iter().enumerate() {
            if udp_only != (l.protocol == "udp") {
                continue;
            }
            let addr = match l.address.as_str() {
                "::" => "*".to_string(),
                a if a.contains(':') => format!("[{a}]"),
                a => a.to_string(),
            };
            let port = if numeric { l.port.to_string() } else { service_name(l.port).map_or_else(|| l.port.to_string(), str::to_string) };
            let peer = if addr.starts_with('[') || addr == "*" { "*".to_string() } else { "0.0.0.0".to_string() };
            let state = if l.protocol == "udp" { "UNCONN" } else { "LISTEN" };
            rows.push([state.into(), "0".into(), backlog(&l.program).to_string(), addr, port, peer, "*".into()]);
            processes.push(if programs { format!("users:((\"{}\",pid={},fd={}))", l.program, l.pid, 3 + index) } else { String::new() });
        }
    }
    let width = |col: usize| rows.iter().map(|r| r.get(col).map_or(0, String::len)).max().unwrap_or(0);
    let (w0, w1, w2, w3, w4, w5, w6) = (width(0), width(1), width(2), width(3), width(4), width(5), width(6));
    for (row, process) in rows.iter().zip(&processes) {
        let [state, recv, send, local, lport, peer, pport] = row;
        let line = format!("{state:<w0$} {recv:<w1$} {send:<w2$} {local:>w3$}:{lport:<w4$} {peer:>w5$}:{pport:<w6$} {process}");
        io.out_line(line.trim_end());
    }
    0
}

fn mac(ctx: &ContainerContext) -> String {
    mac_from(&format!("mac{}", ctx.id))
}

/// A locally administered MAC address derived from `seed`.
fn mac_from(seed: &str) -> String {
    let h = hash(seed);
    let bytes: Vec<String> = (0..6).map(|i| {
        let b = ((h >> (i * 8)) & 0xff) as u8;
        let b = if i == 0 { (b & 0xfe) | 0x02 } else { b };
        format!("{b:02x}")
    }).collect();
    bytes.join(":")
}

/// (network address, broadcast, gateway, prefix length) of the container's eth0 network.
fn subnet(ctx: &ContainerContext) -> (String, String, String, u8) {
    let ip = &ctx.ip_address;
    let parsed: Option<Vec<u8>> = ip.split('.').map(|o| o.parse().ok()).collect();
    let prefix = if ctx.ip_prefix == 0 { 16 } else { ctx.ip_prefix.min(32) };
    let Some(Ok(octets)) = parsed.map(<[u8; 4]>::try_from) else {
        return ("172.17.0.0".into(), "172.17.255.255".into(), "172.17.0.1".into(), 16);
    };
    let mask = crate::network::host_mask(prefix);
    let base = u32::from_be_bytes(octets) & !mask;
    let text = |n: u32| crate::network::ip_text(n.to_be_bytes());
    let gateway = if ctx.gateway.is_empty() { text(base + 1) } else { ctx.gateway.clone() };
    (text(base), text(base | mask), gateway, prefix)
}

/// `10.20.0.3` as a number (0 for anything else).
fn ipv4_value(address: &str) -> u32 {
    address.split('.').filter_map(|o| o.parse::<u32>().ok()).fold(0, |acc, o| (acc << 8) | o)
}

fn peer_index(ctx: &ContainerContext) -> u64 {
    host_veth_index(&ctx.id, 0)
}

/// The host-side veth's interface index for container `id`'s `n`th interface (its `eth{n}`
/// shows `eth{n}@ifN`).
pub(crate) fn host_veth_index(id: &str, n: usize) -> u64 {
    if n == 0 { 5 + hash(id) % 40 } else { 45 + hash(&format!("{id}#{n}")) % 40 }
}

fn ip(io: &mut Io, ctx: &ContainerContext, args: &[String], busybox: bool) -> i32 {
    let words: Vec<&str> = args.iter().filter(|a| !a.starts_with('-')).map(String::as_str).collect();
    let object = words.first().copied().unwrap_or("");
    let group = if busybox { "" } else { " group default" };
    if ["a", "ad", "add", "addr", "addre", "addres", "address"].contains(&object) || ["l", "li", "lin", "link"].contains(&object) {
        let link_only = object.starts_with('l');
        // `ip addr show eth0` / `ip link show dev lo`: one device.
        let device = words.iter().skip(1).copied().find(|w| !matches!(*w, "show" | "list" | "dev"));
        let interfaces = if ctx.network_none || ctx.ip_address.is_empty() { 0 } else { 1 + ctx.more_interfaces.len() };
        let known = |d: &str| d == "lo" || d.strip_prefix("eth").and_then(|n| n.parse::<usize>().ok()).is_some_and(|n| n < interfaces);
        if device.is_some_and(|d| !known(d)) {
            io.err_line(&format!("Device \"{}\" does not exist.", device.unwrap_or_default()));
            return 1;
        }
        let loopback = device.is_none_or(|d| d == "lo");
        if loopback {
            io.out_line(&format!("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN{group} qlen 1000"));
            io.out_line("    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00");
        }
        if !link_only && loopback {
            io.out_line("    inet 127.0.0.1/8 scope host lo");
            io.out_line("       valid_lft forever preferred_lft forever");
            io.out_line("    inet6 ::1/128 scope host ");
            io.out_line("       valid_lft forever preferred_lft forever");
        }
        if !ctx.network_none && !ctx.ip_address.is_empty() && device.is_none_or(|d| d == "eth0") {
            let flags = if busybox { "BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN" } else { "BROADCAST,MULTICAST,UP,LOWER_UP" };
            // The pair was made on the host (indexes N-1, N) and one end moved in, keeping its index.
            let peer = peer_index(ctx);
            io.out_line(&format!("{}: eth0@if{peer}: <{flags}> mtu 1500 qdisc noqueue state UP{group} ", peer - 1));
            io.out_line(&format!("    link/ether {} brd ff:ff:ff:ff:ff:ff{}", mac(ctx), if busybox { "" } else { " link-netnsid 0" }));
            if !link_only {
                let (_, broadcast, _, prefix) = subnet(ctx);
                io.out_line(&format!("    inet {}/{prefix} brd {broadcast} scope global eth0", ctx.ip_address));
                io.out_line("       valid_lft forever preferred_lft forever");
            }
        }
        if !ctx.network_none {
            for (n, (address, prefix)) in ctx.more_interfaces.iter().enumerate() {
                let name = format!("eth{}", n + 1);
                if device.is_some_and(|d| d != name) {
                    continue;
                }
                let flags = if busybox { "BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN" } else { "BROADCAST,MULTICAST,UP,LOWER_UP" };
                let peer = host_veth_index(&ctx.id, n + 1);
                io.out_line(&format!("{}: {name}@if{peer}: <{flags}> mtu 1500 qdisc noqueue state UP{group} ", peer - 1));
                let mac = mac_from(&format!("mac{}{name}", ctx.id));
                io.out_line(&format!("    link/ether {mac} brd ff:ff:ff:ff:ff:ff{}", if busybox { "" } else { " link-netnsid 0" }));
                if !link_only {
                    let value = ipv4_value(address);
                    let broadcast = crate::network::ip_text((value | crate::network::host_mask(*prefix)).to_be_bytes());
                    io.out_line(&format!("    inet {address}/{prefix} brd {broadcast} scope global {name}"));
                    io.out_line("       valid_lft forever preferred_lft forever");
                }
            }
        }
        return 0;
    }
    if ["r", "ro", "rou", "rout", "route"].contains(&object) {
        if !ctx.network_none && !ctx.ip_address.is_empty() {
            let (network, _, gateway, prefix) = subnet(ctx);
            io.out_line(&format!("default via {gateway} dev eth0 "));
            io.out_line(&format!("{network}/{prefix} dev eth0 proto kernel scope link src {} ", ctx.ip_address));
            for (n, (address, prefix)) in ctx.more_interfaces.iter().enumerate() {
                let value = ipv4_value(address);
                let base = crate::network::ip_text((value & !crate::network::host_mask(*prefix)).to_be_bytes());
                io.out_line(&format!("{base}/{prefix} dev eth{} proto kernel scope link src {address} ", n + 1));
            }
        }
        return 0;
    }
    if object.is_empty() {
        io.err_line("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }");
        return if busybox { 1 } else { 255 };
    }
    io.err_line(&format!("Object \"{object}\" is unknown, try \"ip help\"."));
    if busybox { 1 } else { 255 }
}

fn ifconfig(io: &mut Io, ctx: &ContainerContext, busybox: bool) -> i32 {
    let has_eth = !ctx.network_none && !ctx.ip_address.is_empty();
    let (_, broadcast, _, prefix) = subnet(ctx);
    let netmask = crate::network::ip_text((!crate::network::host_mask(prefix)).to_be_bytes());
    if busybox {
        if has_eth {
            io.out_line(&format!("eth0      Link encap:Ethernet  HWaddr {}  ", mac(ctx).to_ascii_uppercase()));
            io.out_line(&format!("          inet addr:{}  Bcast:{broadcast}  Mask:{netmask}", ctx.ip_address));
            io.out_line("          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1");
            io.out_line("          RX packets:12 errors:0 dropped:0 overruns:0 frame:0");
            io.out_line("          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0");
            io.out_line("          collisions:0 txqueuelen:0 ");
            io.out_line("          RX bytes:1046 (1.0 KiB)  TX bytes:0 (0.0 B)");
            io.out_line("");
        }
        io.out_line("lo        Link encap:Local Loopback  ");
        io.out_line("          inet addr:127.0.0.1  Mask:255.0.0.0");
        io.out_line("          inet6 addr: ::1/128 Scope:Host");
        io.out_line("          UP LOOPBACK RUNNING  MTU:65536  Metric:1");
        io.out_line("          RX packets:0 errors:0 dropped:0 overruns:0 frame:0");
        io.out_line("          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0");
        io.out_line("          collisions:0 txqueuelen:1000 ");
        io.out_line("          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)");
        io.out_line("");
        return 0;
    }
    if has_eth {
        io.out_line("eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500");
        io.out_line(&format!("        inet {}  netmask {netmask}  broadcast {broadcast}", ctx.ip_address));
        io.out_line(&format!("        ether {}  txqueuelen 0  (Ethernet)", mac(ctx)));
        io.out_line("        RX packets 12  bytes 1046 (1.0 KB)");
        io.out_line("        RX errors 0  dropped 0  overruns 0  frame 0");
        io.out_line("        TX packets 0  bytes 0 (0.0 B)");
        io.out_line("        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0");
        io.out_line("");
    }
    io.out_line("lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536");
    io.out_line("        inet 127.0.0.1  netmask 255.0.0.0");
    io.out_line("        inet6 ::1  prefixlen 128  scopeid 0x10<host>");
    io.out_line("        loop  txqueuelen 1000  (Local Loopback)");
    io.out_line("        RX packets 0  bytes 0 (0.0 B)");
    io.out_line("        RX errors 0  dropped 0  overruns 0  frame 0");
    io.out_line("        TX packets 0  bytes 0 (0.0 B)");
    io.out_line("        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0");
    io.out_line("");
    0
}

// ---------------------------------------------------------------------------------------------
// nslookup, ping

fn nameserver(sys: &Sys) -> String {
    sys.read("/etc/resolv.conf")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("nameserver").map(|rest| rest.trim().to_string()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "127.0.0.11".to_string())
}

/// An address on the internet for a public name, stable per name.
fn public_ip(name: &str) -> String {
    let h = hash(name);
    format!("{}.{}.{}.{}", 93 + h % 100, (h >> 8) % 256, (h >> 16) % 256, 1 + (h >> 24) % 254)
}

/// What the DNS server answers for `name` (not `/etc/hosts`: nslookup asks the server).
fn dns_answer(sys: &Sys, ctx: &ContainerContext, name: &str) -> Option<String> {
    if let Some((_, ip)) = ctx.dns.iter().find(|(n, _)| n == name) {
        return Some(ip.clone());
    }
    if name == "localhost" {
        return Some("127.0.0.1".into());
    }
    (sys.network && name.contains('.')).then(|| public_ip(name))
}

/// glibc's `getent DATABASE [KEY…]` for `hosts`, `passwd` and `group`: exit 2 when a key is
/// not found, as scripts test it.
fn getent(sys: &Sys, io: &mut Io, ctx: &ContainerContext, args: &[String]) -> i32 {
    let Some((database, keys)) = args.split_first() else {
        io.err_line("Usage: getent [OPTION...] database [key ...]");
        return 1;
    };
    let file_lines = |path: &str| -> Vec<String> { sys.fs.read_text(path).map(|t| t.lines().map(str::to_string).collect()).unwrap_or_default() };
    match database.as_str() {
        "hosts" | "ahosts" => {
            let hosts: Vec<(String, Vec<String>)> = file_lines("/etc/hosts")
                .iter()
                .filter_map(|line| {
                    let mut words = line.split('#').next()?.split_whitespace().map(str::to_string);
                    Some((words.next()?, words.collect()))
                })
                .collect();
            if keys.is_empty() {
                for (ip, names) in &hosts {
                    io.out_line(&format!("{ip:<15} {}", names.join(" ")));
                }
                return 0;
            }
            let mut status = 0;
            for key in keys {
                if let Some((ip, names)) = hosts.iter().find(|(_, names)| names.iter().any(|n| n == key)) {
                    io.out_line(&format!("{ip:<15} {}", names.join(" ")));
                } else if let Some(ip) = (!ctx.network_none).then(|| dns_answer(sys, ctx, key)).flatten() {
                    io.out_line(&format!("{ip:<15} {key}"));
                } else {
                    status = 2;
                }
            }
            status
        }
        "passwd" | "group" => {
            let lines = file_lines(&format!("/etc/{database}"));
            if keys.is_empty() {
                lines.iter().for_each(|line| io.out_line(line));
                return 0;
            }
            let mut status = 0;
            for key in keys {
                let found = lines.iter().find(|line| {
                    let fields: Vec<&str> = line.split(':').collect();
                    fields.first() == Some(&key.as_str()) || fields.get(2) == Some(&key.as_str())
                });
                match found {
                    Some(line) => io.out_line(line),
                    None => status = 2,
                }
            }
            status
        }
        other => {
            io.err_line(&format!("Unknown database: {other}"));
            io.err_line("Try `getent --help' or `getent --usage' for more information.");
            1
        }
    }
}

fn nslookup(sys: &Sys, io: &mut Io, ctx: &ContainerContext, args: &[String], busybox: bool) -> i32 {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(name) = operands.first() else {
        if busybox {
            io.err_line("BusyBox v1.36.1 multi-call binary.");
            io.err_line("");
            io.err_line("Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]");
        }
        return 1;
    };
    let server = operands.get(1).map_or_else(|| nameserver(sys), |s| s.to_string());
    if ctx.network_none {
        io.out_line(";; connection timed out; no servers could be reached");
        io.out_line("");
        return 1;
    }
    io.out_line(&format!("Server:\t\t{server}"));
    io.out_line(&format!("Address:\t{server}{}53", if busybox { ":" } else { "#" }));
    io.out_line("");
    if !sys.network && name.contains('.') && !ctx.dns.iter().any(|(n, _)| n == name.as_str()) {
        // An internal network's embedded DNS has nowhere to forward the query.
        let repeats = if busybox { 2 } else { 1 };
        for _ in 0..repeats {
            io.out_line(&format!("** server can't find {name}: SERVFAIL"));
            io.out_line("");
        }
        return 1;
    }
    match dns_answer(sys, ctx, name) {
        Some(ip) => {
            io.out_line("Non-authoritative answer:");
            io.out_line(&format!("Name:\t{name}"));
            io.out_line(&format!("Address: {ip}"));
            io.out_line("");
            0
        }
        None => {
            io.out_line(&format!("** server can't find {name}: NXDOMAIN"));
            io.out_line("");
            if busybox {
                io.out_line(&format!("** server can't find {name}: NXDOMAIN"));
                io.out_line("");
            }
            1
        }
    }
}

fn ping(sys: &mut Sys, io: &mut Io, ctx: &ContainerContext, args: &[String], busybox: bool) -> i32 {
    let mut count: u64 = 4;
    let mut quiet = false;
    let mut hosts = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-c" => count = iter.next().and_then(|c| c.parse().ok()).unwrap_or(4),
            "-q" => quiet = true,
            "-W" | "-w" | "-i" | "-s" | "-t" | "-I" => {
                iter.next();
            }
            a if a.starts_with("-c") => count = a.get(2..).and_then(|c| c.parse().ok()).unwrap_or(4),
            a if a.starts_with('-') => {}
            _ => hosts.push(arg.clone()),
        }
    }
    let count = count.clamp(1, 100);
    let Some(host) = hosts.first() else {
        if busybox {
            io.err_line("BusyBox v1.36.1 multi-call binary.");
            io.err_line("");
            io.err_line("Usage: ping [OPTIONS] HOST");
            return 1;
        }
        io.err_line("ping: usage error: Destination address required");
        return 1;
    };
    if lacks_capability(sys, "NET_RAW") {
        io.err_line(if busybox { "ping: permission denied (are you root?)" } else { "ping: socket: Operation not permitted" });
        return if busybox { 1 } else { 2 };
    }
    let ip = match resolve_host(sys, host) {
        Some(ips) if ips.is_empty() => public_ip(host),
        Some(ips) => ips.iter().find(|ip| !ip.contains(':')).cloned().unwrap_or_else(|| ips.first().cloned().unwrap_or_default()),
        None => {
            io.err_line(&if busybox { format!("ping: bad address '{host}'") } else { format!("ping: {host}: Temporary failure in name resolution") });
            return if busybox { 1 } else { 2 };
        }
    };
    let local = is_loopback(&ip) || ip == ctx.ip_address;
    let peer = ctx.dns.iter().any(|(_, a)| *a == ip);
    if (ctx.network_none || !sys.network) && !local && !peer {
        io.err_line(if busybox { "ping: sendto: Network unreachable" } else { "ping: connect: Network is unreachable" });
        return if busybox { 1 } else { 2 };
    }
    let internal = local || ctx.dns.iter().any(|(_, a)| *a == ip);
    let h = hash(&format!("{host}{}", ctx.id));
    let times: Vec<u64> = (0..count).map(|i| {
        let jitter = (h >> (i % 16 * 4)) % 60;
        if internal { 40 + jitter } else { 11_000 + jitter * 97 }
    }).collect();
    let fmt = |us: u64| format!("{}.{:03}", us / 1000, us % 1000);
    if busybox {
        io.out_line(&format!("PING {host} ({ip}): 56 data bytes"));
    } else {
        io.out_line(&format!("PING {host} ({ip}) 56(84) bytes of data."));
    }
    let ttl = if internal { 64 } else { 56 };
    for (i, t) in times.iter().enumerate() {
        if !quiet {
            if busybox {
                io.out_line(&format!("64 bytes from {ip}: seq={i} ttl={ttl} time={} ms", fmt(*t)));
            } else {
                let from = if host == &ip { ip.clone() } else { format!("{host} ({ip})") };
                io.out_line(&format!("64 bytes from {from}: icmp_seq={} ttl={ttl} time={} ms", i + 1, fmt(*t)));
            }
        }
        sys.elapsed += if i + 1 < times.len() { 1000 } else { t / 1000 };
    }
    let min = times.iter().copied().min().unwrap_or(0);
    let max = times.iter().copied().max().unwrap_or(0);
    let avg = times.iter().sum::<u64>() / count;
    io.out_line("");
    io.out_line(&format!("--- {host} ping statistics ---"));
    if busybox {
        io.out_line(&format!("{count} packets transmitted, {count} packets received, 0% packet loss"));
        io.out_line(&format!("round-trip min/avg/max = {}/{}/{} ms", fmt(min), fmt(avg), fmt(max)));
    } else {
        let mdev = (max - min) / 2;
        io.out_line(&format!("{count} packets transmitted, {count} received, 0% packet loss, time {}ms", (count - 1) * 1000 + (count - 1)));
        io.out_line(&format!("rtt min/avg/max/mdev = {}/{}/{}/{} ms", fmt(min), fmt(avg), fmt(max), fmt(mdev)));
    }
    0
}

// ---------------------------------------------------------------------------------------------
// Client probes: pg_isready, redis-cli

fn pg_isready(sys: &Sys, io: &mut Io, args: &[String]) -> i32 {
    let mut host = sys.env_var("PGHOST").map(str::to_string);
    let mut port: u16 = sys.env_var("PGPORT").and_then(|p| p.parse().ok()).unwrap_or(5432);
    let mut quiet = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| iter.next().cloned());
        match flag {
            "-h" | "--host" => host = value(),
            "-p" | "--port" => match value().and_then(|p| p.parse().ok()) {
                Some(p) => port = p,
                None => {
                    io.err_line("pg_isready: error: invalid port number");
                    return 3;
                }
            },
            "-U" | "--username" | "-d" | "--dbname" | "-t" | "--timeout" => {
                value();
            }
            "-q" | "--quiet" => quiet = true,
            "-V" | "--version" => {
                io.out_line("pg_isready (PostgreSQL) 16.2");
                return 0;
            }
            _ => {}
        }
    }
    let listening = |h: &str| matches!(reach(sys, h, port), Some(Reach::Raw { .. } | Reach::Http { .. }));
    let (shown, up) = match host.as_deref() {
        None | Some("") => ("/var/run/postgresql".to_string(), sys.container.as_ref().is_some_and(|c| c.listeners.iter().any(|l| l.port == port && l.protocol == "tcp"))),
        Some(h) if h.starts_with('/') => (h.to_string(), sys.container.as_ref().is_some_and(|c| c.listeners.iter().any(|l| l.port == port && l.protocol == "tcp"))),
        Some(h) => (h.to_string(), listening(h)),
    };
    if !quiet {
        io.out_line(&format!("{shown}:{port} - {}", if up { "accepting connections" } else { "no response" }));
    }
    if up { 0 } else { 2 }
}

fn redis_cli(sys: &Sys, io: &mut Io, args: &[String]) -> i32 {
    let mut host = "127.0.0.1".to_string();
    let mut port: u16 = 6379;
    let mut words: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-h" => host = iter.next().cloned().unwrap_or(host),
            "-p" => port = iter.next().and_then(|p| p.parse().ok()).unwrap_or(port),
            "-a" | "-n" | "--user" | "--pass" | "-u" => {
                iter.next();
            }
            "--no-auth-warning" | "--raw" | "--no-raw" => {}
            "-v" | "--version" => {
                io.out_line("redis-cli 7.2.4");
                return 0;
            }
            _ if words.is_empty() && arg.starts_with('-') => {}
            _ => words.push(arg.clone()),
        }
    }
    let fail = |io: &mut Io, why: &str| {
        io.err_line(&format!("Could not connect to Redis at {host}:{port}: {why}"));
        1
    };
    match reach(sys, &host, port) {
        Some(Reach::Raw { .. }) => {}
        Some(Reach::Http { .. }) => {
            io.err_line("Error: Protocol error, got \"H\" as reply type byte");
            return 1;
        }
        Some(Reach::Unresolved) => return fail(io, if sys.os.busybox_userland() { "Name does not resolve" } else { "Name or service not known" }),
        _ => return fail(io, "Connection refused"),
    }
    let command = words.first().map(|w| w.to_ascii_lowercase()).unwrap_or_default();
    match command.as_str() {
        "ping" => io.out_line(words.get(1).map_or("PONG", String::as_str)),
        "echo" => io.out_line(words.get(1).map_or("", String::as_str)),
        "dbsize" => io.out_line("0"),
        "get" => io.out_line(""),
        "" => {}
        _ => io.out_line("OK"),
    }
    0
}

#[cfg(test)]
#[path = "inside_tests.rs"]
mod tests;
