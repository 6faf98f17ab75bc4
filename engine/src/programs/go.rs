//! The Go toolchain: `go version`, `go mod download` (modules from `go.mod` into the module
//! cache), `go build [-o OUT] [PKG]` (a binary whose label records static vs dynamic linking,
//! from `CGO_ENABLED` and the C toolchain), `go test`, `go env`, `go mod tidy`. A server's
//! listen address, routes and signal handling go into the label too, and the binary serves them
//! when it runs in a container.

use super::services::{self, apps, epoch_at, exit_on_signal, own_pid, stamp, tcp, Log, Stamp, MIB};
use super::sys::hash;
use super::{Io, Service, SignalResponse, Sys};
use crate::fs::{file_name, parent, Node};

struct Module {
    path: String,
    go_mod: String,
    requires: Vec<(String, String)>,
}

/// Finds `go.mod` in `dir` or a parent.
fn find_module(sys: &Sys, dir: &str) -> Option<Module> {
    let mut current = dir.to_string();
    for _ in 0..64 {
        let candidate = format!("{}/go.mod", current.trim_end_matches('/'));
        if let Some(text) = sys.read(&candidate) {
            let path = text.lines().find_map(|l| l.trim().strip_prefix("module ")).unwrap_or("app").trim().trim_matches('"').to_string();
            let mut requires = Vec::new();
            let mut in_block = false;
            for line in text.lines() {
                let line = line.split("//").next().unwrap_or_default().trim();
                if line.starts_with("require (") {
                    in_block = true;
                    continue;
                }
                if in_block && line == ")" {
                    in_block = false;
                    continue;
                }
                let spec = if in_block { Some(line) } else { line.strip_prefix("require ") };
                if let Some(spec) = spec {
                    let mut words = spec.split_whitespace();
                    if let (Some(m), Some(v)) = (words.next(), words.next()) {
                        requires.push((m.to_string(), v.to_string()));
                    }
                }
            }
            return Some(Module { path, go_mod: candidate, requires });
        }
        if current == "/" {
            break;
        }
        current = parent(&current).to_string();
    }
    None
}

fn gopath(sys: &Sys) -> String {
    sys.env_var("GOPATH").map(str::to_string).unwrap_or_else(|| format!("{}/go", sys.home()))
}

fn no_module(io: &mut Io) -> i32 {
    io.err_line("go: go.mod file not found in current directory or any parent directory; see 'go help modules'");
    1
}

fn module_cached(sys: &Sys, module: &str, version: &str) -> bool {
    sys.fs.exists(&format!("{}/pkg/mod/{module}@{version}", gopath(sys)))
}

/// Downloads missing modules into the cache; false (after Go's error) without a network.
fn download(sys: &mut Sys, io: &mut Io, module: &Module, announce: bool) -> bool {
    let root = gopath(sys);
    for (path, version) in &module.requires {
        if module_cached(sys, path, version) {
            continue;
        }
        if !sys.network {
            let proxy = sys.env_var("GOPROXY").unwrap_or("https://proxy.golang.org").split(',').next().unwrap_or("https://proxy.golang.org").to_string();
            io.err_line(&format!("go: {path}@{version}: Get \"{proxy}/{path}/@v/{version}.mod\": dial tcp: lookup proxy.golang.org on 127.0.0.11:53: no such host"));
            return false;
        }
        if announce {
            io.err_line(&format!("go: downloading {path} {version}"));
        }
        let size = 300_000 + hash(path) % 4_000_000;
        sys.write_blob(&format!("{root}/pkg/mod/cache/download/{path}/@v/{version}.zip"), &format!("go module {path} {version} zip"), size, false);
        sys.write_text(&format!("{root}/pkg/mod/cache/download/{path}/@v/{version}.mod"), &format!("module {path}\n"));
        sys.write_blob(&format!("{root}/pkg/mod/{path}@{version}/module.src"), &format!("go module {path} {version}"), size * 3, false);
        sys.elapsed += 1_200;
    }
    true
}

pub fn main(sys: &mut Sys, io: &mut Io, version: &str, args: &[String]) -> i32 {
    sys.elapsed += 80;
    let goos = sys.env_var("GOOS").unwrap_or("linux").to_string();
    let goarch = sys.env_var("GOARCH").unwrap_or("amd64").to_string();
    match args.first().map(String::as_str) {
        Some("version") => {
            io.out_line(&format!("go version go{version} linux/amd64"));
            0
        }
        Some("env") => {
            let root = gopath(sys);
            let values = [("GOPATH", root.clone()), ("GOOS", goos.clone()), ("GOARCH", goarch.clone()), ("GOROOT", "/usr/local/go".into()), ("CGO_ENABLED", cgo(sys).to_string())];
            let wanted: Vec<&String> = args.iter().skip(1).collect();
            for (k, v) in values {
                if wanted.is_empty() {
                    io.out_line(&format!("{k}='{v}'"));
                } else if wanted.iter().any(|w| *w == k) {
                    io.out_line(&v);
                }
            }
            0
        }
        Some("mod") => {
            let cwd = sys.cwd.clone();
            match args.get(1).map(String::as_str) {
                Some("download") => {
                    let Some(module) = find_module(sys, &cwd) else { return no_module(io) };
                    if download(sys, io, &module, false) {
                        0
                    } else {
                        1
                    }
                }
                Some("init") => {
                    let name = args.get(2).cloned().unwrap_or_else(|| file_name(&cwd).to_string());
                    sys.write_text(&format!("{cwd}/go.mod"), &format!("module {name}\n\ngo {}\n", version.rsplit_once('.').map_or(version, |(a, _)| a)));
                    io.err_line(&format!("go: creating new go.mod: module {name}"));
                    0
                }
                Some("tidy") | Some("verify") => {
                    let Some(module) = find_module(sys, &cwd) else { return no_module(io) };
                    if download(sys, io, &module, true) {
                        if args.get(1).is_some_and(|a| a == "verify") {
                            io.out_line("all modules verified");
                        }
                        0
                    } else {
                        1
                    }
                }
                _ => {
                    io.err_line("go mod: unknown command");
                    2
                }
            }
        }
        Some("build") | Some("install") => build(sys, io, version, &goos, &goarch, args.get(1..).unwrap_or_default(), args.first().is_some_and(|a| a == "install")),
        Some("test") => {
            let cwd = sys.cwd.clone();
            let Some(module) = find_module(sys, &cwd) else { return no_module(io) };
            if !download(sys, io, &module, true) {
                return 1;
            }
            io.out_line(&format!("ok  \t{}\t0.{:03}s", module.path, 5 + hash(&module.path) % 90));
            sys.elapsed += 8_000;
            0
        }
        Some("run") => {
            sys.elapsed += 6_000;
            0
        }
        Some("get") => {
            if !sys.network {
                io.err_line("go: module lookup disabled by GOPROXY=off");
                return 1;
            }
            sys.elapsed += 2_000;
            0
        }
        _ => {
            io.err_line("Go is a tool for managing Go source code.");
            io.err_line("");
            io.err_line("Usage:");
            io.err_line("");
            io.err_line("\tgo <command> [arguments]");
            2
        }
    }
}

/// `CGO_ENABLED` as Go decides it: the variable, else on when a C compiler is on PATH.
fn cgo(sys: &Sys) -> u8 {
    match sys.env_var("CGO_ENABLED") {
        Some("0") => 0,
        Some(_) => 1,
        None => u8::from(sys.resolve("gcc").is_some()),
    }
}

fn build(sys: &mut Sys, io: &mut Io, version: &str, goos: &str, goarch: &str, args: &[String], install: bool) -> i32 {
    let cwd = sys.cwd.clone();
    let mut output: Option<String> = None;
    let mut packages = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-o" => output = iter.next().cloned(),
            "-ldflags" | "-tags" | "-gcflags" | "-installsuffix" | "-mod" | "-p" | "-trimpath=true" => {
                if arg != "-trimpath=true" {
                    iter.next();
                }
            }
            a if a.starts_with("-o=") => output = a.strip_prefix("-o=").map(str::to_string),
            a if a.starts_with('-') => {}
            _ => packages.push(arg.clone()),
        }
    }
    let package = packages.first().cloned().unwrap_or_else(|| ".".into());
    let Some(module) = find_module(sys, &cwd) else { return no_module(io) };
    let recursive = package.ends_with("/...");
    let dir = sys.abs(package.trim_end_matches("/..."));
    if !sys.fs.is_dir(&dir) {
        io.err_line(&format!("stat {dir}: directory not found"));
        return 1;
    }
    let sources: Vec<(String, u64)> = sys
        .fs
        .descendants(&dir)
        .filter(|(p, _)| p.ends_with(".go") && !p.ends_with("_test.go") && (recursive || parent(p) == dir))
        .filter_map(|(p, n)| match n {
            Node::File { size, .. } => Some((p.clone(), *size)),
            _ => None,
        })
        .collect();
    if sources.is_empty() {
        io.err_line(&format!("no Go files in {dir}"));
        return 1;
    }
    if !download(sys, io, &module, true) {
        return 1;
    }
    let source_bytes: u64 = sources.iter().map(|(_, s)| s).sum();
    let deps = module.requires.len() as u64;
    let cgo = cgo(sys);
    let linking = if cgo == 0 {
        "static".to_string()
    } else if sys.os.busybox_userland() {
        "dynamic musl".to_string()
    } else {
        "dynamic glibc".to_string()
    };
    let name = if dir == parent(&module.go_mod) { file_name(&module.path).to_string() } else { file_name(&dir).to_string() };
    let target = match output {
        Some(out) => {
            let path = sys.abs(&out);
            if sys.fs.is_dir(&path) || out.ends_with('/') {
                format!("{}/{name}", path.trim_end_matches('/'))
            } else {
                path
            }
        }
        None if install => format!("{}/bin/{name}", super::go::gopath_pub(sys)),
        None => format!("{cwd}/{name}"),
    };
    if !sys.fs.is_dir(parent(&target)) {
        sys.mkdir_all(parent(&target));
    }
    let size = 6_200_000 + deps * 1_100_000 + source_bytes * 12 + u64::from(cgo) * 300_000;
    let texts: Vec<String> = sources.iter().filter_map(|(p, _)| sys.read(p)).collect();
    let label = format!("go-binary {} {linking} {goos}/{goarch} go{version}{}", module.path, app_words(&texts.join("\n")));
    sys.write_blob(&target, &label, size, true);
    let cache = format!("{}/.cache/go-build", sys.home());
    sys.write_blob(&format!("{cache}/{:02x}/{:016x}-d", hash(&module.path) % 256, hash(&format!("{}{source_bytes}", module.path))), "go build cache", 24_000_000 + deps * 2_000_000 + source_bytes * 30, false);
    sys.elapsed += 12_000 + deps * 900 + source_bytes / 50;
    0
}

pub fn gopath_pub(sys: &Sys) -> String {
    gopath(sys)
}

/// What a Go server's source says about it, as label words: ` serve listen=:8080 sigterm=1
/// route=/health:ok log=…` (values percent-encoded); empty for a program that does not serve.
fn app_words(code: &str) -> String {
    let code: String = code.lines().filter(|l| !l.trim_start().starts_with("//") || l.contains("whalebox:")).collect::<Vec<_>>().join("\n");
    let calls = ["ListenAndServe(", ".Run(", ".Start(", ".Listen("];
    let Some((index, call)) = calls.iter().filter_map(|c| code.find(c).map(|i| (i, *c))).min_by_key(|(i, _)| *i) else {
        return String::new();
    };
    if call != "ListenAndServe(" && !code.contains("gin.") && !code.contains("echo.") && !code.contains("fiber.") {
        return String::new();
    }
    let args = code.get(index + call.len()..).and_then(apps::call_args).unwrap_or_default();
    let default = if code.contains("fiber.") { ":3000" } else { ":8080" };
    let listen = args.first().map_or(default.to_string(), |a| go_value(&code, a).unwrap_or_else(|| default.to_string()));
    let mut words = format!(" serve listen={}", apps::encode(&listen));
    if code.contains("signal.Notify(") && code.contains("SIGTERM") {
        words.push_str(" sigterm=1");
    }
    if code.contains("signal.Notify(") && (code.contains("os.Interrupt") || code.contains("SIGINT")) {
        words.push_str(" sigint=1");
    }
    if let Some(rate) = apps::leak_rate(&code, false) {
        words.push_str(&format!(" leak={rate}"));
    }
    for marker in ["HandleFunc(", ".GET(", ".Get(", "Handle("] {
        for (at, _) in code.match_indices(marker) {
            let Some(route_args) = code.get(at + marker.len()..).and_then(apps::call_args) else { continue };
            let Some(path) = route_args.first().and_then(|p| apps::string_literal(p)).filter(|p| p.starts_with('/')) else { continue };
            let handler = route_args.get(1).cloned().unwrap_or_default();
            let body = go_body(&code, &handler);
            words.push_str(&format!(" route={}:{}", apps::encode(&path), apps::encode(&body)));
        }
    }
    // The start-up line the program logs (`log.Printf("listening on %s", addr)`).
    for printer in ["log.Printf(", "log.Println(", "log.Print(", "fmt.Printf(", "fmt.Println("] {
        for (at, _) in code.match_indices(printer) {
            let Some(first) = code.get(at + printer.len()..).and_then(apps::call_args).and_then(|a| a.first().cloned()) else { continue };
            let Some(text) = apps::string_literal(&first) else { continue };
            let lower = text.to_lowercase();
            if lower.contains("listen") || lower.contains("port") || lower.contains("server") || lower.contains("start") {
                let port = listen.rsplit(':').next().unwrap_or_default().to_string();
                let shown = text.replacen("%s", &listen, 1).replacen("%d", &port, 1).replacen("%v", &listen, 1).trim_end_matches("\\n").to_string();
                let kind = if printer.starts_with("log.") { "log" } else { "out" };
                return format!("{words} {kind}={}", apps::encode(&shown));
            }
        }
    }
    words
}

/// A Go string expression: a literal, `":" + port` with `port := "8080"`, `os.Getenv("PORT")`.
fn go_value(code: &str, expression: &str) -> Option<String> {
    let expression = expression.trim();
    if let Some(text) = apps::string_literal(expression) {
        return Some(text);
    }
    if expression.contains('+') {
        let mut out = String::new();
        for piece in expression.split('+') {
            out.push_str(&go_value(code, piece)?);
        }
        return Some(out);
    }
    if expression.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        let bound = code.lines().find_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("var ").or_else(|| line.strip_prefix("const ")).unwrap_or(line);
            let (name, value) = line.split_once(":=").or_else(|| line.split_once('='))?;
            (name.trim() == expression).then(|| value.trim().to_string())
        })?;
        return go_value(code, &bound);
    }
    None
}

/// The first literal a handler writes (`fmt.Fprintf(w, "…")`, `w.Write([]byte("…"))`,
/// `c.String(200, "…")`, `c.JSON(200, gin.H{…})`).
fn go_body(code: &str, handler: &str) -> String {
    let handler = handler.trim();
    let body = if handler.starts_with("func") {
        handler.to_string()
    } else {
        let name = handler.rsplit('.').next().unwrap_or(handler);
        code.split(&format!("func {name}(")).nth(1).map(|b| b.split("\nfunc ").next().unwrap_or(b).to_string()).unwrap_or_default()
    };
    for writer in ["Fprintf(", "Fprint(", "Fprintln(", "[]byte(", "c.String(", "c.JSON(", "c.SendString("] {
        if let Some(at) = body.find(writer) {
            let Some(args) = body.get(at + writer.len()..).and_then(apps::call_args) else { continue };
            for arg in args.iter().rev() {
                if let Some(text) = apps::string_literal(arg) {
                    return text.trim_end_matches("\\n").to_string();
                }
            }
            if let Some(map) = args.last().and_then(|a| a.strip_prefix("gin.H")) {
                if let Some(json) = apps::json_literal(map) {
                    return json;
                }
            }
        }
    }
    "OK".to_string()
}

/// A binary `go build` made: in a container, a server described by its label serves.
pub(crate) fn run_binary(sys: &mut Sys, io: &mut Io, label: &str, argv: &[String]) -> Option<i32> {
    let _ = io;
    if !services::in_container(sys) || !label.contains(" serve ") {
        return None;
    }
    let mut listen = ":8080".to_string();
    let (mut sigterm, mut sigint) = (false, false);
    let mut leak = None;
    let mut routes = Vec::new();
    let mut log = Log::default();
    let program = crate::fs::file_name(argv.first().map_or("app", String::as_str)).to_string();
    for word in label.split(' ') {
        let Some((key, value)) = word.split_once('=') else { continue };
        match key {
            "listen" => listen = apps::decode(value),
            "sigterm" => sigterm = true,
            "sigint" => sigint = true,
            "leak" => leak = value.parse().ok(),
            "route" => {
                if let Some((path, body)) = value.split_once(':') {
                    apps::add_route(&mut routes, apps::route(&apps::decode(path), &apps::decode(body)));
                }
            }
            "log" => log.err(1, format!("{} {}", stamp(Stamp::Nginx, epoch_at(sys, 1)), apps::decode(value))),
            "out" => log.out(1, apps::decode(value)),
            _ => {}
        }
    }
    let (host, port) = listen.rsplit_once(':').unwrap_or(("", listen.as_str()));
    let port: u16 = port.parse().unwrap_or(8080);
    let address = if host.is_empty() { "::".to_string() } else { apps::bind_address(host) };
    if routes.is_empty() {
        routes.push(apps::route("/", "404 page not found"));
    }
    let pid = own_pid(sys);
    sys.serve(Service {
        program: program.clone(),
        log: log.finish(),
        listens: vec![(2, tcp(&address, port, &program, pid, Some(apps::http("", routes))))],
        memory: apps::memory(6 * MIB, leak),
        cpu_millis: 1,
        on_term: if sigterm { exit_on_signal(10, 0, Vec::new()) } else { SignalResponse::Default },
        on_interrupt: if sigint { exit_on_signal(10, 0, Vec::new()) } else { SignalResponse::Default },
        exits: None,
        children: Vec::new(),
        reads_terminal: false,
    });
    Some(0)
}
