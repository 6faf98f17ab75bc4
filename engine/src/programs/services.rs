//! Long-running programs: servers (nginx, postgres, redis, Python, Node and Go apps) and waits
//! (`sleep infinity`, `tail -f`), which declare a [`super::Service`] instead of exiting. Only a
//! program running in a container serves; in a build step (`RUN`) each keeps its old behaviour.
//!
//! # App-source patterns (the lesson author's API)
//! A learner's app is recognised from its source text when it runs as a container's process:
//! - **Flask** (`python app.py`): `app.run(host=…, port=…, debug=…)`; host defaults to
//!   `127.0.0.1`, port to 5000. Werkzeug's banner; needs `flask` installed (else
//!   `ModuleNotFoundError`). SIGTERM: no handler (as PID 1 `docker stop` waits for SIGKILL).
//! - **uvicorn**: `uvicorn MODULE:APP [--host H] [--port P] [--app-dir D]` (console script or
//!   `python -m uvicorn`), or `uvicorn.run(app, host=…, port=…)` in a script. Defaults
//!   `127.0.0.1:8000`. SIGTERM/SIGINT: graceful shutdown, exit 0.
//! - **gunicorn**: `gunicorn [-b|--bind H:P] [-w|--workers N] MODULE:APP`; default
//!   `127.0.0.1:8000`, one sync worker (children). SIGTERM/SIGINT: exit 0.
//! - **busybox `httpd -f [-p [IP:]PORT] [-h DIR]`**: `0.0.0.0:80`; serves DIR's files, busybox's 404
//!   page without an index.html; without `-f` it daemonizes and returns.
//! - **`python -m http.server [PORT] [--bind ADDR]`**: `0.0.0.0:8000`; serves the cwd's files.
//! - **Routes**: `@app.route('/p')`, `@app.get("/p")` (and post/put/delete) decorators; the
//!   handler's first `return` literal is the body (`return {"status": "ok"}` → JSON,
//!   `return "text"`, `return jsonify(...)`); anything else answers `OK`. Node: `app.get('/p', …)`
//!   with `res.send('…')`/`res.json({…})`/`res.end('…')`. Go: `http.HandleFunc("/p", h)` with the
//!   first `fmt.Fprint*(w, "…")`/`w.Write([]byte("…"))` literal of the handler.
//! - **Values**: a host or port may be a literal, `os.environ.get("PORT", 5000)`,
//!   `os.getenv("PORT", "5000")`, `int(…)` of those, a module-level `NAME = …` of those; in Node
//!   `process.env.PORT || 3000` and `const PORT = …`.
//! - **Start-up crashes (Python)**: a module-level `os.environ["NAME"]` with `NAME` unset →
//!   `KeyError` traceback, exit 1. A module-level `psycopg2.connect(…)`/`create_engine(…)` when
//!   `DATABASE_URL`'s host is not in the container's DNS (`localhost` is itself) → psycopg2's
//!   `could not translate host name` after ~1 s, exit 1; `localhost` with nothing on 5432 →
//!   `Connection refused`. Native extensions whose shared library is gone → `ImportError`.
//! - **Leaks**: the marker comment `whalebox: leaks` (`# whalebox: leaks`, `// whalebox: leaks`,
//!   optionally `whalebox: leaks 120 MB/min`), or (Python) a module-level list/dict
//!   (`CACHE = []`/`{}`) that an indented line appends to or assigns into → memory grows
//!   50 MB/min (or the given rate) without a ceiling, until `--memory` OOM-kills it.
//! - **Signals**: Python: `signal.signal(signal.SIGTERM, …)` → exit 0 on SIGTERM. Node:
//!   `process.on('SIGTERM'|'SIGINT', …)`. Go: `signal.Notify(…, syscall.SIGTERM)` (or
//!   `os.Interrupt` for SIGINT); without a handler a Go program dies of the signal.
//! - **Node**: `node FILE` / `npm start` where the source calls `.listen(PORT[, HOST][, cb])`
//!   (`app.listen`, `server.listen`, `http.createServer(…).listen`); the callback's
//!   `console.log` literal or template is the log line; host defaults to `::`.
//! - **Go**: `go build` records `http.ListenAndServe("ADDR", …)`, routes and `signal.Notify` in
//!   the binary's label; the binary serves at run time. A binary linked against glibc on a musl
//!   tree (or musl on glibc) fails as `exec PATH: no such file or directory` (255 as PID 1,
//!   the shell's `not found` 127 from a shell); with `gcompat`/`libc6-compat` installed the loader
//!   is found but the binary segfaults (139).
//! - **Python workers**: a module-level `while True:` loop keeps running (idle service).
//!
//! Signal-time log lines ([`SignalResponse::Exit`] `lines`) carry markers the runtime fills in
//! with [`render_signal_line`] when it delivers the signal: `{{time:nginx}}`,
//! `{{time:postgres}}`, `{{time:redis}}`, `{{time:gunicorn}}`, `{{unix}}` and `{{signal}}`.

pub(crate) mod apps;
mod daemons;
mod httpd;

use super::sys::Family;
use super::{Io, Listener, MemoryCurve, Service, SignalResponse, Sys, TimedLine};
use crate::clock::{civil_from_days, SESSION_START};

/// One mebibyte, for memory curves.
pub(crate) const MIB: u64 = 1024 * 1024;

/// Runs `name` if it is a long-running program this module models; `None` leaves it to others.
pub(crate) fn main(sys: &mut Sys, io: &mut Io, name: &str, label: &str, argv: &[String]) -> Option<i32> {
    if let Some(problem) = loader_for_label(sys, label) {
        let typed = argv.first().cloned().unwrap_or_default();
        let shown = sys.resolve(&typed).unwrap_or(typed);
        return Some(match problem {
            Loader::Missing => {
                io.err_line(&format!("exec {shown}: no such file or directory"));
                if sys.depth <= 1 { 255 } else { 127 }
            }
            Loader::Incompatible => 139,
        });
    }
    if label.contains("docker-entrypoint.sh") {
        return match label.split(' ').next().unwrap_or_default() {
            "nginx" => Some(daemons::nginx_entrypoint(sys, io, argv)),
            "postgres" => Some(daemons::postgres_entrypoint(sys, io, argv)),
            "redis" => Some(daemons::redis_entrypoint(sys, io, argv)),
            _ => None,
        };
    }
    match name {
        "nginx" => daemons::nginx(sys, io, label, argv),
        "postgres" => daemons::postgres(sys, io, label, argv),
        "redis" | "redis-server" => daemons::redis(sys, io, label, argv),
        "go-binary" => super::go::run_binary(sys, io, label, argv),
        "sleep" => sleep(sys, argv),
        "tail" => tail(sys, io, argv),
        "httpd" => Some(httpd::httpd(sys, io, argv)),
        _ => None,
    }
}

pub(crate) fn in_container(sys: &Sys) -> bool {
    sys.container.is_some()
}

/// The PID a program that starts now has in its container: 1 when it is the main process; a
/// shell's child gets a low number (the runtime owns the real table).
pub(crate) fn own_pid(sys: &Sys) -> u32 {
    if sys.depth <= 1 {
        1
    } else {
        7
    }
}

/// Runs `rest` in place of the current program (`exec "$@"` at the end of an entrypoint): at the
/// caller's depth, so a main process's `exec` keeps the new program PID 1.
pub(crate) fn exec_in_place(sys: &mut Sys, io: &mut Io, script: &str, rest: &[String]) -> i32 {
    let Some(command) = rest.first() else { return 0 };
    let Some(path) = sys.resolve(command) else {
        io.err_line(&format!("{script}: exec: line 1: {command}: not found"));
        return 127;
    };
    sys.depth = sys.depth.saturating_sub(1);
    let code = super::run_program(sys, io, &path, rest);
    sys.depth += 1;
    code
}

/// Why a binary cannot start on this tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loader {
    /// The ELF interpreter is not there: `execve` fails with ENOENT.
    Missing,
    /// A compatibility loader is there (`gcompat`, `libc6-compat`) but the C library is not
    /// glibc: the binary crashes with SIGSEGV.
    Incompatible,
}

/// What stops the binary at `path` from starting here, if anything.
pub(crate) fn loader_problem(sys: &Sys, path: &str) -> Option<Loader> {
    match super::identify(sys.fs, path) {
        super::Identity::Binary { label, .. } => loader_for_label(sys, &label),
        _ => None,
    }
}

fn loader_for_label(sys: &Sys, label: &str) -> Option<Loader> {
    if !label.starts_with("go-binary ") {
        return None;
    }
    let glibc = sys.os.is_debian_family()
        || sys.os.family == Family::Busybox
        || ["/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"].iter().any(|p| sys.fs.exists(p));
    let musl = sys.os.family == Family::Alpine || sys.fs.exists("/lib/ld-musl-x86_64.so.1");
    if label.contains(" dynamic glibc ") && !glibc {
        let compat = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-x86-64.so.2"].iter().any(|p| sys.fs.exists(p));
        return Some(if compat { Loader::Incompatible } else { Loader::Missing });
    }
    if label.contains(" dynamic musl ") && !musl {
        return Some(Loader::Missing);
    }
    None
}

/// `sleep N` for an hour or more, or `sleep infinity`: a container that waits.
fn sleep(sys: &mut Sys, argv: &[String]) -> Option<i32> {
    if !in_container(sys) {
        return None;
    }
    let args = argv.get(1..).unwrap_or_default();
    if args.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut forever = false;
    for arg in args {
        if arg.starts_with("inf") {
            forever = true;
            continue;
        }
        total = total.saturating_add(seconds(arg)?);
    }
    if !forever && total < 3_600_000 {
        return None;
    }
    let mut service = Service::idle("sleep");
    if !forever {
        service.exits = Some((total, 0));
    }
    sys.serve(service);
    Some(0)
}

/// `5`, `1.5`, `10m`, `2h`, `1d` in milliseconds; `None` for anything else (coreutils says why).
fn seconds(text: &str) -> Option<u64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let (number, unit) = (text.get(..split)?, text.get(split..)?);
    let value: f64 = number.parse().ok()?;
    if !(0.0..1e9).contains(&value) {
        return None;
    }
    let factor = match unit {
        "" | "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    Some((value * factor) as u64)
}

/// `tail -f FILE` (prints the last lines, then follows forever) and `tail /dev/zero` (reads a
/// stream with no newline into memory until the OOM killer comes).
fn tail(sys: &mut Sys, io: &mut Io, argv: &[String]) -> Option<i32> {
    if !in_container(sys) {
        return None;
    }
    let args = argv.get(1..).unwrap_or_default();
    let follow = args.iter().any(|a| {
        a == "--follow" || a.starts_with("--follow=") || (a.starts_with('-') && !a.starts_with("--") && a.contains(['f', 'F']))
    });
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if operands.iter().any(|o| o.as_str() == "/dev/zero" || o.as_str() == "/dev/urandom") {
        let mut service = Service::idle("tail");
        service.memory = MemoryCurve { start: MIB, growth_per_minute: 200 * MIB * 60, ceiling: None };
        service.cpu_millis = 1000;
        sys.serve(service);
        return Some(0);
    }
    if !follow {
        return None;
    }
    // Print what is there now, as tail without -f would, then keep following.
    let plain: Vec<String> = argv
        .iter()
        .map(|a| {
            if a.starts_with('-') && !a.starts_with("--") && a.contains(['f', 'F']) {
                a.replace(['f', 'F'], "")
            } else {
                a.clone()
            }
        })
        .filter(|a| a != "-" && !a.starts_with("--follow"))
        .collect();
    let shown: Vec<String> = plain.into_iter().filter(|a| a != "/dev/null").collect();
    if shown.len() > 1 && shown.iter().skip(1).any(|a| !a.starts_with('-')) {
        let code = super::coreutils::main(sys, io, "tail", &shown).unwrap_or(0);
        if code != 0 {
            return Some(code);
        }
    }
    sys.serve(Service::idle("tail"));
    Some(0)
}

/// A TCP listener owned by `pid`.
pub(crate) fn tcp(address: &str, port: u16, program: &str, pid: u32, http: Option<super::HttpService>) -> Listener {
    Listener { address: address.to_string(), port, protocol: "tcp".into(), program: program.to_string(), pid, http }
}

/// Lines a service writes, each `at` ms after it began.
#[derive(Debug, Default)]
pub(crate) struct Log(pub Vec<TimedLine>);

impl Log {
    pub fn out(&mut self, at: u64, text: impl Into<String>) {
        self.0.push(TimedLine { at, stderr: false, text: text.into() });
    }

    pub fn err(&mut self, at: u64, text: impl Into<String>) {
        self.0.push(TimedLine { at, stderr: true, text: text.into() });
    }

    /// The lines in time order (stable within an instant).
    pub fn finish(mut self) -> Vec<TimedLine> {
        self.0.sort_by_key(|line| line.at);
        self.0
    }
}

/// A shutdown handler: exit with `code` after `after` ms, writing `lines`.
pub(crate) fn exit_on_signal(after: u64, code: i32, lines: Vec<TimedLine>) -> SignalResponse {
    SignalResponse::Exit { after, exit_code: code, lines }
}

/// Milliseconds since the epoch `at` ms after a service that starts now began.
pub(crate) fn epoch_at(sys: &Sys, at: u64) -> u64 {
    let now = sys.container.as_ref().map_or(SESSION_START.0, |c| c.now);
    now.saturating_add(sys.elapsed).saturating_add(at)
}

/// How a program writes the time in its log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// `2026/03/02 09:00:00`
    Nginx,
    /// `2026-03-02 09:00:00.123 UTC`
    Postgres,
    /// `02 Mar 2026 09:00:00.123`
    Redis,
    /// `[2026-03-02 09:00:00 +0000]`
    Gunicorn,
    /// `1772442000` (seconds since the epoch)
    Unix,
}

pub(crate) fn stamp(style: Stamp, epoch_ms: u64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let secs = epoch_ms / 1000;
    let millis = epoch_ms % 1000;
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, (rem / 60) % 60, rem % 60);
    match style {
        Stamp::Nginx => format!("{year:04}/{month:02}/{day:02} {h:02}:{m:02}:{s:02}"),
        Stamp::Postgres => format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02}.{millis:03} UTC"),
        Stamp::Redis => {
            let name = MONTHS.get((month as usize).saturating_sub(1)).copied().unwrap_or("Jan");
            format!("{day:02} {name} {year:04} {h:02}:{m:02}:{s:02}.{millis:03}")
        }
        Stamp::Gunicorn => format!("[{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02} +0000]"),
        Stamp::Unix => secs.to_string(),
    }
}

/// Fills a signal-time log line's markers: `{{time:nginx}}` (and `postgres`, `redis`,
/// `gunicorn`), `{{unix}}` with `epoch_ms` (when the line is written) and `{{signal}}` with the
/// signal as the program names it (`15 (SIGTERM)`). `signal` is `SIGTERM`, `TERM` or `15`.
#[allow(dead_code)] // Called by the container runtime when it delivers a signal.
pub fn render_signal_line(text: &str, epoch_ms: u64, signal: &str) -> String {
    let mut out = text.to_string();
    for (marker, style) in [
        ("{{time:nginx}}", Stamp::Nginx),
        ("{{time:postgres}}", Stamp::Postgres),
        ("{{time:redis}}", Stamp::Redis),
        ("{{time:gunicorn}}", Stamp::Gunicorn),
        ("{{unix}}", Stamp::Unix),
    ] {
        if out.contains(marker) {
            out = out.replace(marker, &stamp(style, epoch_ms));
        }
    }
    if out.contains("{{signal}}") {
        out = out.replace("{{signal}}", &signal_label(signal));
    }
    out
}

/// `SIGTERM`/`TERM`/`15` → `15 (SIGTERM)`.
fn signal_label(signal: &str) -> String {
    const SIGNALS: &[(u32, &str)] = &[(1, "SIGHUP"), (2, "SIGINT"), (3, "SIGQUIT"), (9, "SIGKILL"), (10, "SIGUSR1"), (12, "SIGUSR2"), (15, "SIGTERM"), (28, "SIGWINCH")];
    let upper = signal.to_ascii_uppercase();
    let name = if upper.starts_with("SIG") { upper.clone() } else { format!("SIG{upper}") };
    match SIGNALS.iter().find(|(n, s)| *s == name || n.to_string() == upper) {
        Some((n, s)) => format!("{n} ({s})"),
        None => signal.to_string(),
    }
}

#[cfg(test)]
mod tests;
