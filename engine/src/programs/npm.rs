//! `node` and `npm`/`npx`: `npm ci` (needs a lock file, as real npm insists), `npm install`,
//! `--omit=dev`/`--production`, `npm run SCRIPT` through `sh -c` with `node_modules/.bin` on
//! `PATH`, build tools (`tsc`, `vite`, `next`, …) that write their output directories. In a
//! container, `node FILE` whose source calls `.listen(…)` serves (see `services`).

use super::services::{self, apps, exit_on_signal, own_pid, tcp, Log, MIB};
use super::sys::hash;
use super::{HttpRoute, Io, Service, SignalResponse, Sys};
use crate::fs::Node;

/// Known packages: name, packages it pulls in (itself included), size kB, CLI it installs.
const KNOWN: &[(&str, u64, u64, &str)] = &[
    ("express", 64, 2_100, ""),
    ("react", 3, 320, ""),
    ("react-dom", 4, 4_600, ""),
    ("typescript", 1, 22_500, "tsc"),
    ("jest", 290, 36_000, "jest"),
    ("webpack", 80, 18_000, "webpack"),
    ("webpack-cli", 40, 3_000, "webpack"),
    ("next", 20, 95_000, "next"),
    ("vite", 15, 17_000, "vite"),
    ("react-scripts", 1_300, 180_000, "react-scripts"),
    ("nodemon", 30, 2_800, "nodemon"),
    ("eslint", 100, 9_000, "eslint"),
    ("prettier", 1, 8_000, "prettier"),
    ("ts-node", 20, 3_500, "ts-node"),
    ("@nestjs/core", 30, 1_800, ""),
    ("@nestjs/cli", 260, 45_000, "nest"),
    ("mongoose", 25, 6_000, ""),
    ("axios", 9, 2_000, ""),
    ("lodash", 1, 1_400, ""),
    ("dotenv", 1, 80, ""),
    ("cors", 2, 60, ""),
    ("body-parser", 20, 700, ""),
    ("pg", 15, 900, ""),
    ("redis", 10, 1_200, ""),
    ("prisma", 2, 14_000, "prisma"),
    ("@prisma/client", 2, 9_000, ""),
    ("winston", 28, 1_600, ""),
    ("helmet", 1, 100, ""),
    ("morgan", 6, 150, ""),
    ("jsonwebtoken", 14, 400, ""),
    ("bcrypt", 60, 3_000, ""),
    ("socket.io", 22, 2_400, ""),
    ("sequelize", 25, 8_000, ""),
    ("mocha", 80, 4_000, "mocha"),
    ("supertest", 30, 1_100, ""),
];

fn known(name: &str) -> (u64, u64, &'static str) {
    match KNOWN.iter().find(|(n, _, _, _)| *n == name) {
        Some((_, count, kb, bin)) => (*count, *kb, bin),
        None if name.starts_with("@types/") => (2, 250, ""),
        None => {
            let h = hash(name);
            (1 + h % 8, 60 + (h >> 8) % 900, "")
        }
    }
}

/// npm's version for the node at hand.
fn npm_version(sys: &Sys) -> &'static str {
    let node = sys.resolve("node").map(|p| super::identify(sys.fs, &p));
    let version = match node {
        Some(super::Identity::Binary { label, .. }) => label.split(' ').nth(1).unwrap_or_default().to_string(),
        _ => String::new(),
    };
    match version.split('.').next().unwrap_or_default() {
        "14" => "6.14.18",
        "16" => "8.19.4",
        "18" => "10.2.3",
        "20" => "10.2.4",
        "21" | "22" => "10.5.0",
        _ => "10.2.4",
    }
}

pub fn node(sys: &mut Sys, io: &mut Io, version: &str, args: &[String]) -> i32 {
    sys.elapsed += 60;
    match args.first().map(String::as_str) {
        Some("--version") | Some("-v") => {
            io.out_line(&format!("v{version}"));
            0
        }
        Some("-e") | Some("--eval") | Some("-p") => {
            let code = args.get(1).cloned().unwrap_or_default();
            if let Some(text) = code.strip_prefix("console.log(").and_then(|c| c.strip_suffix(')')) {
                io.out_line(text.trim_matches(['"', '\'', '`']));
            }
            0
        }
        Some(file) if !file.starts_with('-') => {
            let mut path = sys.abs(file);
            if !sys.fs.exists(&path) && sys.fs.exists(&format!("{path}.js")) {
                path = format!("{path}.js");
            }
            if sys.fs.is_dir(&path) && sys.fs.exists(&format!("{path}/index.js")) {
                path = format!("{path}/index.js");
            }
            let Some(code) = sys.read(&path).filter(|_| !sys.fs.is_dir(&path)) else {
                io.err_line("node:internal/modules/cjs/loader:1147");
                io.err_line("  throw err;");
                io.err_line("  ^");
                io.err_line("");
                io.err_line(&format!("Error: Cannot find module '{path}'"));
                io.err_line("    at Module._resolveFilename (node:internal/modules/cjs/loader:1144:15)");
                io.err_line("    at node:internal/main/run_main_module:28:49 {");
                io.err_line("  code: 'MODULE_NOT_FOUND',");
                io.err_line("  requireStack: []");
                io.err_line("}");
                io.err_line("");
                io.err_line(&format!("Node.js v{version}"));
                return 1;
            };
            let dir = crate::fs::parent(&path).to_string();
            for module in required_modules(&code) {
                if !module_present(sys, &dir, &module) {
                    io.err_line("node:internal/modules/cjs/loader:1147");
                    io.err_line("  throw err;");
                    io.err_line("  ^");
                    io.err_line("");
                    io.err_line(&format!("Error: Cannot find module '{module}'"));
                    io.err_line(&format!("Require stack:\n- {path}"));
                    io.err_line(&format!("Node.js v{version}"));
                    return 1;
                }
            }
            for line in code.lines() {
                let line = line.trim().trim_end_matches(';');
                if let Some(text) = line.strip_prefix("console.log(").and_then(|c| c.strip_suffix(')')) {
                    if text.starts_with(['"', '\'']) && text.len() > 1 && !text.contains('+') && !text.contains(',') {
                        io.out_line(text.trim_matches(['"', '\'']));
                    }
                }
            }
            sys.elapsed += 200;
            if services::in_container(sys) {
                if let Some(status) = serve_node(sys, &code) {
                    return status;
                }
            }
            0
        }
        _ => 0,
    }
}

/// The value of a JavaScript expression for a port or host: literals, `process.env.X || d`
/// (`??` too), `parseInt(…)`/`Number(…)`, and `const`/`let`/`var` names bound to those.
fn js_value(sys: &Sys, code: &str, expression: &str, depth: u32) -> Option<String> {
    let expression = expression.trim().trim_end_matches(';').trim();
    if depth > 6 || expression.is_empty() {
        return None;
    }
    if let Some(text) = apps::string_literal(expression).filter(|t| !t.contains("${")) {
        return Some(text);
    }
    if expression.parse::<i64>().is_ok() {
        return Some(expression.to_string());
    }
    for operator in [" || ", " ?? "] {
        if let Some((left, right)) = expression.split_once(operator) {
            return js_value(sys, code, left, depth + 1).filter(|v| !v.is_empty()).or_else(|| js_value(sys, code, right, depth + 1));
        }
    }
    for wrapper in ["parseInt(", "Number(", "String("] {
        if let Some(inner) = expression.strip_prefix(wrapper) {
            return apps::call_args(inner).and_then(|args| js_value(sys, code, args.first()?, depth + 1));
        }
    }
    if let Some(name) = expression.strip_prefix("process.env.") {
        return sys.env_var(name).map(str::to_string);
    }
    if expression.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        let bound = code.lines().find_map(|line| {
            let line = line.trim();
            let rest = ["const ", "let ", "var "].iter().find_map(|k| line.strip_prefix(k))?;
            let (name, value) = rest.split_once('=')?;
            (name.trim() == expression && !value.starts_with('=')).then(|| value.to_string())
        })?;
        return js_value(sys, code, &bound, depth + 1);
    }
    None
}

/// What `console.log(…)` prints for a literal, a template literal or a `+` concatenation.
fn js_text(sys: &Sys, code: &str, expression: &str) -> Option<String> {
    let expression = expression.trim();
    if let Some(inner) = expression.strip_prefix('`').and_then(|e| e.strip_suffix('`')) {
        let mut out = String::new();
        let mut rest = inner;
        while let Some(start) = rest.find("${") {
            out.push_str(rest.get(..start)?);
            let after = rest.get(start + 2..)?;
            let end = after.find('}')?;
            let name = after.get(..end)?;
            out.push_str(&js_value(sys, code, name, 0).unwrap_or_else(|| format!("${{{name}}}")));
            rest = after.get(end + 1..)?;
        }
        out.push_str(rest);
        return Some(out);
    }
    let mut out = String::new();
    for piece in expression.split(" + ") {
        out.push_str(&apps::string_literal(piece).or_else(|| js_value(sys, code, piece, 0))?);
    }
    Some(out)
}

/// The text after `at` in `code` up to the call's closing parenthesis.
fn call_text(code: &str, open: usize) -> &str {
    let rest = code.get(open..).unwrap_or_default();
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => {
                depth -= 1;
                if depth < 0 {
                    return rest.get(..i).unwrap_or(rest);
                }
            }
            _ => {}
        }
    }
    rest
}

/// Express-style routes (`app.get('/p', (req, res) => res.send('…'))`) and a bare
/// `http.createServer` handler's `res.end('…')` for `/`.
fn js_routes(code: &str) -> Vec<HttpRoute> {
    let mut routes = Vec::new();
    for (index, _) in code.match_indices(".get(") {
        let open = index + ".get(".len();
        let Some(args) = code.get(open..).and_then(apps::call_args) else { continue };
        let Some(path) = args.first().and_then(|p| apps::string_literal(p)).filter(|p| p.starts_with('/')) else { continue };
        let handler = args.get(1..).unwrap_or_default().join(",");
        apps::add_route(&mut routes, apps::route(&path, &js_body(&handler)));
    }
    if routes.is_empty() && code.contains("createServer(") {
        let handler = code.split("createServer(").nth(1).unwrap_or_default();
        apps::add_route(&mut routes, apps::route("/", &js_body(handler)));
    }
    routes
}

fn js_body(handler: &str) -> String {
    for call in ["res.send(", "res.json(", "res.end(", ".send(", ".json("] {
        if let Some(index) = handler.find(call) {
            let inner = handler.get(index + call.len()..).and_then(apps::call_args);
            if let Some(first) = inner.as_ref().and_then(|a| a.first()) {
                return apps::body_from(first);
            }
        }
    }
    "OK".to_string()
}

fn js_handler(code: &str, signal: &str) -> bool {
    code.contains(&format!("process.on('{signal}'")) || code.contains(&format!("process.on(\"{signal}\"")) || code.contains(&format!("process.once('{signal}'"))
}

/// `node server.js` whose source listens: the callback's log line, the socket, the routes.
fn serve_node(sys: &mut Sys, code: &str) -> Option<i32> {
    let index = code.find(".listen(")?;
    let open = index + ".listen(".len();
    let inside = call_text(code, open);
    let args = apps::call_args(code.get(open..)?)?;
    let port: u16 = args.first().and_then(|p| js_value(sys, code, p, 0)).and_then(|p| p.parse().ok()).unwrap_or(3000);
    let host = args.get(1).and_then(|h| apps::string_literal(h)).or_else(|| args.get(1).filter(|h| !h.contains("=>") && !h.contains("function")).and_then(|h| js_value(sys, code, h, 0)));
    let address = host.as_deref().map_or_else(|| "::".to_string(), apps::bind_address);
    let mut log = Log::default();
    if let Some(at) = inside.find("console.log(") {
        if let Some(first) = inside.get(at + "console.log(".len()..).and_then(apps::call_args).and_then(|a| a.first().cloned()) {
            if let Some(text) = js_text(sys, code, &first) {
                log.out(2, text);
            }
        }
    }
    let mut routes = js_routes(code);
    if routes.is_empty() {
        routes.push(apps::route("/", "OK"));
    }
    let pid = own_pid(sys);
    let term = if js_handler(code, "SIGTERM") { exit_on_signal(10, 0, Vec::new()) } else { SignalResponse::Default };
    let interrupt = if js_handler(code, "SIGINT") { exit_on_signal(10, 0, Vec::new()) } else { SignalResponse::Default };
    sys.serve(Service {
        program: "node".into(),
        log: log.finish(),
        listens: vec![(2, tcp(&address, port, "node", pid, Some(apps::http("", routes))))],
        memory: apps::memory(42 * MIB, apps::leak_rate(code, false)),
        cpu_millis: 2,
        on_term: term,
        on_interrupt: interrupt,
        exits: None,
        children: Vec::new(),
        reads_terminal: false,
    });
    Some(0)
}

fn required_modules(code: &str) -> Vec<String> {
    let mut modules = Vec::new();
    for piece in code.split("require(").skip(1) {
        let quote = piece.chars().next();
        if let Some(q) = quote.filter(|c| *c == '\'' || *c == '"') {
            if let Some(name) = piece.get(1..).and_then(|p| p.split(q).next()) {
                modules.push(name.to_string());
            }
        }
    }
    for line in code.lines() {
        let line = line.trim();
        if line.starts_with("import ") {
            if let Some(from) = line.rsplit(" from ").next() {
                let name = from.trim().trim_end_matches(';').trim_matches(['"', '\'']);
                if name != line {
                    modules.push(name.to_string());
                }
            }
        }
    }
    modules.retain(|m| !m.starts_with('.') && !m.starts_with('/') && !m.starts_with("node:") && !is_builtin(m));
    modules
}

fn is_builtin(module: &str) -> bool {
    matches!(module.split('/').next().unwrap_or_default(), "fs" | "path" | "http" | "https" | "os" | "crypto" | "url" | "util" | "events" | "stream" | "child_process" | "net" | "zlib" | "assert" | "buffer" | "querystring" | "cluster" | "dns" | "readline" | "process" | "timers" | "tls" | "worker_threads")
}

fn module_present(sys: &Sys, dir: &str, module: &str) -> bool {
    let name = if module.starts_with('@') { module.splitn(3, '/').take(2).collect::<Vec<_>>().join("/") } else { module.split('/').next().unwrap_or(module).to_string() };
    let mut current = dir.to_string();
    for _ in 0..64 {
        if sys.fs.exists(&format!("{current}/node_modules/{name}")) {
            return true;
        }
        if current == "/" {
            break;
        }
        current = crate::fs::parent(&current).to_string();
    }
    false
}

fn npm_error(io: &mut Io, lines: &[String]) {
    for line in lines {
        io.err_line(format!("npm ERR! {line}").trim_end());
    }
}

fn log_line(io: &mut Io, sys: &Sys) {
    io.err_line("");
    io.err_line(&format!("npm ERR! A complete log of this run can be found in: {}/.npm/_logs/2026-03-02T09_00_00_000Z-debug-0.log", sys.home()));
}

pub fn npm(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    sys.elapsed += 300;
    let Some((command, rest)) = args.split_first() else {
        io.out_line("npm <command>");
        return 1;
    };
    match command.as_str() {
        "--version" | "-v" => {
            io.out_line(npm_version(sys));
            0
        }
        "ci" | "install" | "i" | "clean-install" => install(sys, io, command == "ci" || command == "clean-install", rest),
        "run" | "run-script" => match rest.first() {
            Some(script) => run_script(sys, io, script, rest.get(1..).unwrap_or_default()),
            None => {
                let scripts = scripts(sys);
                for (name, body) in scripts {
                    io.out_line(&format!("  {name}\n    {body}"));
                }
                0
            }
        },
        "test" | "t" | "tst" => run_script(sys, io, "test", rest),
        "start" | "stop" | "restart" => run_script(sys, io, command, rest),
        "cache" => {
            let home = sys.home();
            sys.fs.remove_all(&format!("{home}/.npm/_cacache"));
            io.err_line("npm WARN using --force Recommended protections disabled.");
            0
        }
        "prune" => {
            sys.elapsed += 2_000;
            io.out_line("");
            io.out_line("up to date, audited 1 package in 2s");
            0
        }
        "config" | "set" | "audit" | "fund" | "ls" | "list" => 0,
        other => {
            io.err_line(&format!("Unknown command: \"{other}\""));
            io.err_line("");
            io.err_line("To see a list of supported npm commands, run:");
            io.err_line("  npm help");
            1
        }
    }
}

fn package_json(sys: &Sys) -> Option<serde_json::Value> {
    let text = sys.read(&format!("{}/package.json", sys.cwd))?;
    serde_json::from_str(&text).ok()
}

fn scripts(sys: &Sys) -> Vec<(String, String)> {
    package_json(sys)
        .and_then(|json| json.get("scripts").and_then(|s| s.as_object()).map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect()))
        .unwrap_or_default()
}

fn install(sys: &mut Sys, io: &mut Io, clean: bool, args: &[String]) -> i32 {
    let cwd = sys.cwd.clone();
    let omit_dev = args.iter().any(|a| a == "--omit=dev" || a == "--production" || a == "--only=production" || a == "--only=prod")
        || sys.env_var("NODE_ENV") == Some("production");
    let named: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
    let Some(text) = sys.read(&format!("{cwd}/package.json")) else {
        if !clean && !named.is_empty() {
            // `npm install express` in an empty directory creates package.json.
            sys.write_text(&format!("{cwd}/package.json"), "{\n  \"dependencies\": {}\n}\n");
            return install(sys, io, clean, args);
        }
        npm_error(io, &[
            "code ENOENT".into(),
            "syscall open".into(),
            format!("path {cwd}/package.json"),
            "errno -2".into(),
            format!("enoent ENOENT: no such file or directory, open '{cwd}/package.json'"),
            "enoent This is related to npm not being able to find a file.".into(),
            "enoent".into(),
        ]);
        log_line(io, sys);
        return 254;
    };
    let Ok(mut package) = serde_json::from_str::<serde_json::Value>(&text) else {
        npm_error(io, &["code EJSONPARSE".into(), format!("path {cwd}/package.json"), "JSON.parse Invalid package.json: JSONParseError: Unexpected token".into()]);
        log_line(io, sys);
        return 1;
    };
    let lock_text = sys.read(&format!("{cwd}/package-lock.json")).or_else(|| sys.read(&format!("{cwd}/npm-shrinkwrap.json")));
    let lock: Option<serde_json::Value> = lock_text.as_deref().and_then(|t| serde_json::from_str(t).ok());
    if clean && lock.is_none() {
        npm_error(io, &[
            "code EUSAGE".into(),
            "".into(),
            "The `npm ci` command can only install with an existing package-lock.json or".into(),
            "npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or".into(),
            "later to generate a package-lock.json file, then try again.".into(),
            "".into(),
            "Clean install a project".into(),
            "".into(),
            "Usage:".into(),
            "npm ci".into(),
            "".into(),
            "Options:".into(),
            "[--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]".into(),
            "[--global-style] [--omit <dev|optional|peer> [--omit <dev|optional|peer> ...]]".into(),
            "[--strict-peer-deps] [--foreground-scripts] [--ignore-scripts] [--no-audit]".into(),
            "[--no-bin-links] [--no-fund] [--dry-run]".into(),
            "[-w|--workspace <workspace-name> [-w|--workspace <workspace-name> ...]]".into(),
            "[-ws|--workspaces] [--include-workspace-root] [--install-links]".into(),
            "".into(),
            "aliases: clean-install, ic, install-clean, isntall-clean".into(),
            "".into(),
            "Run \"npm help ci\" for more info".into(),
        ]);
        log_line(io, sys);
        return 1;
    }
    // Adding named packages writes them into package.json first.
    if !named.is_empty() {
        let dev = args.iter().any(|a| a == "--save-dev" || a == "-D");
        let key = if dev { "devDependencies" } else { "dependencies" };
        if let Some(object) = package.as_object_mut() {
            let deps = object.entry(key).or_insert_with(|| serde_json::json!({}));
            for name in &named {
                let (bare, version) = match name.rsplit_once('@').filter(|(b, _)| !b.is_empty()) {
                    Some((b, v)) => (b.to_string(), v.to_string()),
                    None => (name.clone(), format!("^{}.{}.0", 1 + hash(name) % 5, hash(name) % 20)),
                };
                if let Some(map) = deps.as_object_mut() {
                    map.insert(bare, serde_json::Value::String(version));
                }
            }
        }
        let pretty = serde_json::to_string_pretty(&package).unwrap_or_default() + "\n";
        sys.write_text(&format!("{cwd}/package.json"), &pretty);
    }
    // What to install: from the lock file when there is one, else estimated from package.json.
    let mut entries: Vec<(String, u64, &'static str, bool)> = Vec::new();
    if let (Some(lock), true) = (&lock, named.is_empty()) {
        if let Some(packages) = lock.get("packages").and_then(|p| p.as_object()) {
            for (key, value) in packages {
                let Some(name) = key.rsplit("node_modules/").next().filter(|_| key.starts_with("node_modules/")) else { continue };
                let dev = value.get("dev").and_then(|d| d.as_bool()).unwrap_or(false);
                let (_, kb, bin) = known(name);
                entries.push((name.to_string(), kb / 4 + 40, bin, dev));
            }
        } else if let Some(deps) = lock.get("dependencies").and_then(|p| p.as_object()) {
            for (name, value) in deps {
                let dev = value.get("dev").and_then(|d| d.as_bool()).unwrap_or(false);
                let (_, kb, bin) = known(name);
                entries.push((name.clone(), kb / 4 + 40, bin, dev));
            }
        }
    }
    if entries.is_empty() {
        for (key, dev) in [("dependencies", false), ("devDependencies", true)] {
            if let Some(deps) = package.get(key).and_then(|d| d.as_object()) {
                for name in deps.keys() {
                    let (count, kb, bin) = known(name);
                    entries.push((name.clone(), kb, bin, dev));
                    for i in 1..count {
                        entries.push((format!("{name}/node_modules/.dep-{i}"), 0, "", dev));
                    }
                }
            }
        }
    }
    if omit_dev {
        entries.retain(|(_, _, _, dev)| !dev);
    }
    entries.truncate(3_000);
    if !entries.is_empty() && !sys.network {
        let first = entries.first().map(|(n, _, _, _)| n.clone()).unwrap_or_default();
        npm_error(io, &[
            "code EAI_AGAIN".into(),
            "syscall getaddrinfo".into(),
            "errno EAI_AGAIN".into(),
            format!("request to https://registry.npmjs.org/{first} failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org"),
        ]);
        log_line(io, sys);
        sys.elapsed += 30_000;
        return 1;
    }
    let modules = format!("{cwd}/node_modules");
    if clean {
        sys.fs.remove_all(&modules);
    }
    sys.mkdir_all(&modules);
    let mut total_kb = 0;
    let real_count = entries.iter().filter(|(n, _, _, _)| !n.contains("/node_modules/.dep-")).count();
    for (name, kb, bin, _) in &entries {
        if name.contains("/node_modules/.dep-") {
            continue;
        }
        let dir = format!("{modules}/{name}");
        sys.write_text(&format!("{dir}/package.json"), &format!("{{\n  \"name\": \"{name}\",\n  \"version\": \"{}.{}.{}\"\n}}\n", 1 + hash(name) % 9, hash(name) % 30, hash(name) % 10));
        sys.write_blob(&format!("{dir}/index.js"), &format!("npm package {name}"), kb * 1024, false);
        total_kb += kb;
        if !bin.is_empty() {
            sys.write_blob(&format!("{modules}/.bin/{bin}"), &format!("node-tool {bin} ({name})"), 400, true);
        }
    }
    let added = entries.len();
    let _ = real_count;
    if lock.is_none() || !named.is_empty() {
        let mut lock_json = serde_json::json!({
            "name": package.get("name").cloned().unwrap_or(serde_json::json!("app")),
            "version": package.get("version").cloned().unwrap_or(serde_json::json!("1.0.0")),
            "lockfileVersion": 3,
            "requires": true,
            "packages": {}
        });
        if let Some(packages) = lock_json.get_mut("packages").and_then(|p| p.as_object_mut()) {
            for (name, _, _, dev) in &entries {
                let mut entry = serde_json::json!({ "version": format!("{}.{}.{}", 1 + hash(name) % 9, hash(name) % 30, hash(name) % 10) });
                if *dev {
                    entry["dev"] = serde_json::Value::Bool(true);
                }
                packages.insert(format!("node_modules/{name}"), entry);
            }
        }
        let text = serde_json::to_string_pretty(&lock_json).unwrap_or_default() + "\n";
        sys.write_text(&format!("{cwd}/package-lock.json"), &text);
    }
    sys.write_text(&format!("{modules}/.package-lock.json"), &format!("{{\n  \"lockfileVersion\": 3,\n  \"packages\": {added}\n}}\n"));
    let home = sys.home();
    sys.write_blob(&format!("{home}/.npm/_cacache/content-v2/sha512/{:x}", hash(&cwd)), "npm cache", total_kb * 1024 * 3 / 5 + 1024, false);
    sys.write_text(&format!("{home}/.npm/_logs/2026-03-02T09_00_00_000Z-debug-0.log"), "0 verbose cli /usr/local/bin/node /usr/local/bin/npm\n");
    let seconds = (3 + added as u64 / 40 + total_kb / 20_000).max(1);
    io.out_line("");
    if added == 0 {
        io.out_line(&format!("up to date, audited 1 package in {seconds}s"));
    } else {
        let plural = |n: usize| if n == 1 { "package" } else { "packages" };
        io.out_line(&format!(
            "added {added} {}, and audited {} {} in {seconds}s",
            plural(added as usize),
            added + 1,
            plural(added as usize + 1)
        ));
        let funding = added / 9;
        if funding > 0 {
            io.out_line("");
            io.out_line(&format!("{funding} packages are looking for funding"));
            io.out_line("  run `npm fund` for details");
        }
    }
    io.out_line("");
    io.out_line("found 0 vulnerabilities");
    sys.elapsed += 3_000 + added as u64 * 30 + total_kb / 20;
    0
}

fn run_script(sys: &mut Sys, io: &mut Io, name: &str, extra: &[String]) -> i32 {
    let cwd = sys.cwd.clone();
    let Some(package) = package_json(sys) else {
        npm_error(io, &["code ENOENT".into(), "syscall open".into(), format!("path {cwd}/package.json"), "errno -2".into(), format!("enoent ENOENT: no such file or directory, open '{cwd}/package.json'")]);
        log_line(io, sys);
        return 254;
    };
    let script = package.get("scripts").and_then(|s| s.get(name)).and_then(|s| s.as_str()).map(str::to_string);
    let script = match (script, name) {
        (Some(s), _) => s,
        (None, "start") if sys.fs.exists(&format!("{cwd}/server.js")) => "node server.js".to_string(),
        (None, _) => {
            npm_error(io, &[format!("Missing script: \"{name}\""), "".into(), "To see a list of scripts, run:".into(), "npm ERR!   npm run".into()]);
            log_line(io, sys);
            return 1;
        }
    };
    let mut command = script.clone();
    if !extra.is_empty() {
        command.push(' ');
        command.push_str(&extra.iter().filter(|a| *a != "--").cloned().collect::<Vec<_>>().join(" "));
    }
    let pkg_name = package.get("name").and_then(|n| n.as_str()).unwrap_or("app");
    let version = package.get("version").and_then(|n| n.as_str()).unwrap_or("1.0.0");
    io.out_line("");
    io.out_line(&format!("> {pkg_name}@{version} {name}"));
    io.out_line(&format!("> {command}"));
    io.out_line("");
    let Some(shell) = sys.resolve("sh") else {
        io.err_line("npm ERR! could not find sh");
        return 1;
    };
    let path = format!("{cwd}/node_modules/.bin:{}", sys.env_var("PATH").unwrap_or(super::DEFAULT_PATH));
    sys.env.insert("PATH".into(), path);
    let argv = vec!["sh".to_string(), "-c".to_string(), command.clone()];
    let status = super::run_program(sys, io, &shell, &argv);
    if status != 0 {
        npm_error(io, &[format!("code {status}"), format!("path {cwd}"), "command failed".into(), format!("command sh -c {command}")]);
        log_line(io, sys);
    }
    status
}

pub fn npx(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let Some(tool) = args.iter().find(|a| !a.starts_with('-')) else {
        io.err_line("npm ERR! could not determine executable to run");
        return 1;
    };
    let path = format!("{}/node_modules/.bin/{tool}", sys.cwd);
    if sys.fs.exists(&path) {
        let argv: Vec<String> = args.iter().skip_while(|a| a.starts_with('-')).cloned().collect();
        return super::run_program(sys, io, &path, &argv);
    }
    if !sys.network {
        io.err_line("npm ERR! code EAI_AGAIN");
        io.err_line(&format!("npm ERR! request to https://registry.npmjs.org/{tool} failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org"));
        return 1;
    }
    io.err_line(&format!("npm WARN exec The following package was not found and will be installed: {tool}"));
    sys.elapsed += 4_000;
    0
}

/// A CLI from `node_modules/.bin`: build tools write their output.
pub fn tool(sys: &mut Sys, io: &mut Io, label: &str, args: &[String]) -> i32 {
    let name = label.split(' ').nth(1).unwrap_or_default();
    let cwd = sys.cwd.clone();
    let sources: Vec<(String, u64)> = sys
        .fs
        .descendants(&format!("{cwd}/src"))
        .filter_map(|(p, n)| match n {
            Node::File { size, .. } => Some((p.clone(), *size)),
            _ => None,
        })
        .collect();
    let source_kb: u64 = sources.iter().map(|(_, s)| s).sum::<u64>() / 1024 + 1;
    match name {
        "tsc" => {
            let config = sys.read(&format!("{cwd}/tsconfig.json")).unwrap_or_default();
            let out_dir = config
                .split("\"outDir\"")
                .nth(1)
                .and_then(|rest| rest.split('"').nth(1))
                .unwrap_or("dist")
                .trim_start_matches("./")
                .to_string();
            for (path, size) in &sources {
                if path.ends_with(".ts") && !path.ends_with(".d.ts") {
                    let relative = path.get(cwd.len() + 5..).unwrap_or_default().trim_end_matches(".ts");
                    let out = format!("{cwd}/{out_dir}/{relative}.js");
                    sys.write_blob(&out, &format!("tsc output of {relative}.ts"), size * 9 / 10 + 40, false);
                }
            }
            sys.mkdir_all(&format!("{cwd}/{out_dir}"));
            sys.elapsed += 4_000 + source_kb * 20;
            0
        }
        "vite" | "webpack" | "react-scripts" | "next" | "nest" => {
            let out = match name {
                "react-scripts" => "build",
                "next" => ".next",
                _ => "dist",
            };
            let bundle = 140 + source_kb * 3;
            match name {
                "vite" => {
                    sys.write_text(&format!("{cwd}/{out}/index.html"), "<!doctype html>\n<html><head><script type=\"module\" src=\"/assets/index.js\"></script></head><body><div id=\"root\"></div></body></html>\n");
                    sys.write_blob(&format!("{cwd}/{out}/assets/index-{:08x}.js", hash(&cwd) as u32), "vite bundle", bundle * 1024, false);
                    io.out_line(&format!("vite v5.1.6 building for production...\n✓ {} modules transformed.\n✓ built in 2.31s", sources.len() + 30));
                }
                "next" => {
                    sys.write_blob(&format!("{cwd}/{out}/server/app.js"), "next server build", bundle * 4 * 1024, false);
                    sys.write_blob(&format!("{cwd}/{out}/static/chunks/main.js"), "next client chunks", bundle * 1024, false);
                    sys.write_blob(&format!("{cwd}/{out}/cache/webpack/client.pack"), "next build cache", 40_000_000, false);
                    io.out_line("   ▲ Next.js 14.1.3\n\n   Creating an optimized production build ...\n ✓ Compiled successfully");
                }
                "react-scripts" => {
                    sys.write_text(&format!("{cwd}/{out}/index.html"), "<!doctype html><html><body><div id=\"root\"></div></body></html>\n");
                    sys.write_blob(&format!("{cwd}/{out}/static/js/main.js"), "react bundle", bundle * 1024, false);
                    io.out_line("Creating an optimized production build...\nCompiled successfully.");
                }
                _ => {
                    sys.write_blob(&format!("{cwd}/{out}/main.js"), &format!("{name} bundle"), bundle * 1024, false);
                }
            }
            sys.elapsed += 9_000 + source_kb * 40;
            let _ = args;
            0
        }
        "jest" | "mocha" => {
            io.err_line("PASS  src/app.test.js\n\nTest Suites: 1 passed, 1 total\nTests:       3 passed, 3 total");
            sys.elapsed += 3_500;
            0
        }
        _ => {
            sys.elapsed += 1_000;
            0
        }
    }
}
