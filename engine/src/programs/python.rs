//! `python`: `--version`, `-c CODE` and `python FILE` (imports are checked against the
//! site-packages in the tree; a native extension whose shared library is missing fails with the
//! real `ImportError`), `-m pip`, `-m venv DIR`, `-m MODULE`. In a container, web apps serve
//! (Flask's `app.run`, uvicorn, gunicorn, `-m http.server`; see `services` for the patterns);
//! in a build step they return at once.

use super::services::{self, apps, epoch_at, exit_on_signal, own_pid, stamp, tcp, Log, Stamp, MIB};
use super::{pip, HttpRoute, Io, Service, SignalResponse, Sys};
use crate::fs::parent;

const STDLIB: &[&str] = &[
    "os", "sys", "json", "re", "time", "datetime", "math", "random", "logging", "collections", "itertools",
    "functools", "typing", "pathlib", "subprocess", "socket", "threading", "asyncio", "http", "urllib", "hashlib",
    "base64", "uuid", "io", "signal", "shutil", "tempfile", "argparse", "dataclasses", "enum", "abc", "copy",
    "csv", "sqlite3", "unittest", "traceback", "platform", "string", "struct", "secrets", "contextlib", "ssl",
    "email", "decimal", "queue", "glob", "pickle", "textwrap", "warnings", "inspect", "importlib", "zipfile",
    "tarfile", "gzip", "statistics", "operator", "heapq", "bisect", "pprint", "select", "getpass", "configparser",
    "venv", "ensurepip", "site", "ctypes", "concurrent", "multiprocessing", "wsgiref", "xml", "html", "__future__",
];

struct Python {
    version: String,
    minor: String,
    /// Where this interpreter's prefix is (`/usr/local`, `/opt/venv`, `/usr`).
    prefix: String,
    venv: bool,
}

fn interpreter(sys: &Sys, path: &str, version: &str) -> Python {
    let mut parts = version.split('.');
    let minor = match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("{a}.{b}"),
        _ => "3.12".to_string(),
    };
    let prefix = parent(parent(path)).to_string();
    let venv = sys.fs.exists(&format!("{prefix}/pyvenv.cfg"));
    Python { version: version.to_string(), minor, prefix, venv }
}

impl Python {
    fn sites(&self, sys: &Sys) -> Vec<String> {
        let mut sites = Vec::new();
        if let Some(path) = sys.env_var("PYTHONPATH") {
            sites.extend(path.split(':').filter(|p| !p.is_empty()).map(|p| sys.abs(p)));
        }
        let home = sys.home();
        if !self.venv {
            sites.push(format!("{home}/.local/lib/python{}/site-packages", self.minor));
        }
        sites.push(format!("{}/lib/python{}/site-packages", self.prefix, self.minor));
        if self.prefix == "/usr" {
            sites.push(format!("/usr/local/lib/python{}/dist-packages", self.minor));
            sites.push("/usr/lib/python3/dist-packages".into());
        }
        sites
    }
}

pub fn main(sys: &mut Sys, io: &mut Io, path: &str, version: &str, args: &[String]) -> i32 {
    let python = interpreter(sys, path, version);
    sys.elapsed += 40;
    let invoked = crate::fs::file_name(path).to_string();
    let mut rest = args.iter().skip_while(|a| matches!(a.as_str(), "-u" | "-B" | "-O" | "-OO" | "-E" | "-s" | "-I"));
    match rest.next().map(String::as_str) {
        Some("--version") | Some("-V") => {
            io.out_line(&format!("Python {}", python.version));
            0
        }
        Some("-c") => {
            let code = rest.next().cloned().unwrap_or_default();
            let cwd = sys.cwd.clone();
            run_code(sys, io, &python, &code, "<string>", &cwd)
        }
        Some("-m") => {
            let module = rest.next().cloned().unwrap_or_default();
            let module_args: Vec<String> = rest.cloned().collect();
            if services::in_container(sys) {
                if let Some(code) = serve_module(sys, io, &python, &module, &module_args) {
                    return code;
                }
            }
            match module.as_str() {
                "pip" => pip::run(sys, io, &python.minor, &python.prefix, &module_args),
                "venv" => venv(sys, io, path, &python, &module_args),
                _ => {
                    let top = module.split('.').next().unwrap_or_default().to_string();
                    let cwd = sys.cwd.clone();
                    let mut sites = vec![cwd];
                    sites.extend(python.sites(sys));
                    if STDLIB.contains(&top.as_str()) || pip::find_module(sys, &sites, &top).is_some() {
                        sys.elapsed += 300;
                        0
                    } else {
                        io.err_line(&format!("{path}: No module named {module}"));
                        1
                    }
                }
            }
        }
        Some(file) if !file.starts_with('-') => {
            let script = sys.abs(file);
            match sys.read(&script) {
                Some(code) => {
                    let dir = parent(&script).to_string();
                    if services::in_container(sys) {
                        // A console script pip wrote (`uvicorn`, `gunicorn`, `flask`): the tool itself.
                        if let Some(tool) = console_tool(&code) {
                            let tool_args: Vec<String> = rest.cloned().collect();
                            if let Some(status) = serve_module(sys, io, &python, &tool, &tool_args) {
                                return status;
                            }
                        }
                    }
                    let status = run_code(sys, io, &python, &code, &script, &dir);
                    if status == 0 && services::in_container(sys) {
                        if let Some(status) = serve_script(sys, io, &python, &code, &script) {
                            return status;
                        }
                    }
                    status
                }
                None => {
                    io.err_line(&format!("{invoked}: can't open file '{script}': [Errno 2] No such file or directory"));
                    2
                }
            }
        }
        _ => {
            // An interactive prompt with no terminal reads stdin and exits.
            0
        }
    }
}

/// Checks the imports of `code` and prints its literal `print(...)` lines.
fn run_code(sys: &mut Sys, io: &mut Io, python: &Python, code: &str, origin: &str, dir: &str) -> i32 {
    let mut sites = vec![dir.to_string()];
    sites.extend(python.sites(sys));
    for (index, line) in code.split(['\n', ';']).enumerate() {
        let line = line.trim();
        let number = if origin == "<string>" { 1 } else { index + 1 };
        let modules: Vec<String> = if let Some(rest) = line.strip_prefix("import ") {
            rest.split(',').map(|m| m.split_whitespace().next().unwrap_or_default().to_string()).collect()
        } else if let Some(rest) = line.strip_prefix("from ") {
            rest.split_whitespace().next().map(|m| vec![m.to_string()]).unwrap_or_default()
        } else {
            Vec::new()
        };
        for module in modules {
            let top = module.split('.').next().unwrap_or_default().to_string();
            if top.is_empty() || top.starts_with('.') || STDLIB.contains(&top.as_str()) {
                continue;
            }
            let Some(found) = pip::find_module(sys, &sites, &top) else {
                io.err_line("Traceback (most recent call last):");
                io.err_line(&format!("  File \"{origin}\", line {number}, in <module>"));
                io.err_line(&format!("ModuleNotFoundError: No module named '{top}'"));
                return 1;
            };
            if let Some(missing) = missing_library(sys, &found) {
                io.err_line("Traceback (most recent call last):");
                io.err_line(&format!("  File \"{origin}\", line {number}, in <module>"));
                if origin != "<string>" {
                    io.err_line(&format!("    {line}"));
                }
                if top == "psycopg2" {
                    io.err_line(&format!("  File \"{found}/__init__.py\", line 51, in <module>"));
                    io.err_line("    from psycopg2._psycopg import (                     # noqa");
                } else {
                    io.err_line(&format!("  File \"{found}/__init__.py\", line 5, in <module>"));
                    io.err_line(&format!("    from .api import {}", if top == "cffi" { "FFI" } else { "*" }));
                }
                io.err_line(&format!("ImportError: {missing}: cannot open shared object file: No such file or directory"));
                return 1;
            }
        }
        if let Some(text) = literal_print(line) {
            io.out_line(&text);
        }
        if line.contains("sys.exit(1)") && !line.starts_with('#') && origin == "<string>" {
            return 1;
        }
    }
    sys.elapsed += 200;
    0
}

/// The library a native extension of the module at `dir` was linked against, if it is gone.
fn missing_library(sys: &Sys, dir: &str) -> Option<String> {
    let site = parent(dir).to_string();
    let module = crate::fs::file_name(dir);
    let mut labels: Vec<String> = sys
        .fs
        .descendants(dir)
        .filter_map(|(_, node)| match node {
            crate::fs::Node::File { content: crate::fs::Content::Blob { label }, .. } => Some(label.clone()),
            _ => None,
        })
        .collect();
    if module == "cffi" || module == "cryptography" {
        labels.extend(sys.fs.children(&site).filter(|(n, _)| n.starts_with("_cffi_backend")).filter_map(|(_, node)| match node {
            crate::fs::Node::File { content: crate::fs::Content::Blob { label }, .. } => Some(label.clone()),
            _ => None,
        }));
    }
    for label in labels {
        if let Some(rest) = label.split(" needs ").nth(1) {
            let library = rest.split(' ').next().unwrap_or_default();
            if !library.is_empty() && !pip::library_present(sys, library) {
                return Some(library.to_string());
            }
        }
    }
    None
}

/// `print("text")`, `print(42)`, `print("a", 1)` → what Python prints; `None` for anything that
/// needs real evaluation.
fn literal_print(line: &str) -> Option<String> {
    let inner = line.strip_prefix("print(")?.strip_suffix(')')?;
    if inner.trim().is_empty() {
        return Some(String::new());
    }
    let mut parts = Vec::new();
    for argument in split_arguments(inner)? {
        let argument = argument.trim();
        let quote = argument.chars().next()?;
        if quote == '"' || quote == '\'' {
            let text = argument.strip_prefix(quote)?.strip_suffix(quote)?;
            if text.contains(quote) || text.contains('\\') {
                return None;
            }
            parts.push(text.to_string());
        } else if argument.parse::<i64>().is_ok() || argument.parse::<f64>().is_ok_and(|f| f.is_finite()) {
            parts.push(argument.to_string());
        } else if matches!(argument, "True" | "False" | "None") {
            parts.push(argument.to_string());
        } else {
            return None;
        }
    }
    Some(parts.join(" "))
}

/// Splits call arguments on commas outside quotes.
fn split_arguments(text: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let (mut start, mut quote) = (0, None);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return None;
    }
    parts.push(&text[start..]);
    Some(parts)
}

fn venv(sys: &mut Sys, io: &mut Io, python_path: &str, python: &Python, args: &[String]) -> i32 {
    let Some(dir) = args.iter().find(|a| !a.starts_with('-')) else {
        io.err_line("usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear] [--upgrade] [--without-pip] ENV_DIR [ENV_DIR ...]");
        io.err_line("venv: error: the following arguments are required: ENV_DIR");
        return 2;
    };
    if python.prefix == "/usr" && !sys.fs.exists(&format!("/usr/lib/python{}/ensurepip/__init__.py", python.minor)) {
        io.out_line("The virtual environment was not created successfully because ensurepip is not");
        io.out_line("available.  On Debian/Ubuntu systems, you need to install the python3-venv");
        io.out_line("package using the following command.");
        io.out_line("");
        io.out_line(&format!("    apt install python{}-venv", python.minor));
        io.out_line("");
        io.out_line("You may need to use sudo with that command.  After installing the python3-venv");
        io.out_line("package, recreate your virtual environment.");
        io.out_line("");
        io.out_line(&format!("Failing command: {}/bin/python{}", sys.abs(dir), python.minor.split('.').next().unwrap_or("3")));
        return 1;
    }
    let root = sys.abs(dir);
    let minor = &python.minor;
    sys.mkdir_all(&format!("{root}/bin"));
    sys.mkdir_all(&format!("{root}/include"));
    sys.mkdir_all(&format!("{root}/lib/python{minor}/site-packages"));
    sys.symlink(&format!("{root}/lib64"), "lib");
    let home = parent(python_path).to_string();
    sys.write_text(
        &format!("{root}/pyvenv.cfg"),
        &format!("home = {home}\ninclude-system-site-packages = false\nversion = {}\nexecutable = {python_path}\ncommand = {python_path} -m venv {root}\n", python.version),
    );
    sys.symlink(&format!("{root}/bin/python"), python_path);
    sys.symlink(&format!("{root}/bin/python3"), "python");
    sys.symlink(&format!("{root}/bin/python{minor}"), "python");
    sys.write_text(&format!("{root}/bin/activate"), &format!("# This file must be used with \"source bin/activate\"\nVIRTUAL_ENV=\"{root}\"\nexport VIRTUAL_ENV\nPATH=\"$VIRTUAL_ENV/bin:$PATH\"\nexport PATH\n"));
    if !args.iter().any(|a| a == "--without-pip") {
        sys.write_blob(&format!("{root}/bin/pip"), "pip 24.0 (venv)", 240, true);
        sys.write_blob(&format!("{root}/bin/pip3"), "pip 24.0 (venv)", 240, true);
        sys.write_blob(&format!("{root}/lib/python{minor}/site-packages/pip/_vendor.bundle"), "pip 24.0 wheel", 12_400_000, false);
        sys.write_text(&format!("{root}/lib/python{minor}/site-packages/pip-24.0.dist-info/METADATA"), "Metadata-Version: 2.1\nName: pip\nVersion: 24.0\n");
        sys.elapsed += 2_500;
    }
    sys.elapsed += 500;
    0
}

// ---------------------------------------------------------------------------------------------
// Apps that keep running (only in a container).

/// A module-level line of a script: the line number and its text. Lines inside `def`/`class`
/// bodies are not run at import; lines inside `if __name__ == "__main__":` are.
fn module_lines(code: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut in_body = false;
    for (index, line) in code.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            in_body = trimmed.starts_with("def ") || trimmed.starts_with("async def ") || trimmed.starts_with("class ") || trimmed.starts_with('@');
            lines.push((index + 1, line));
        } else if !in_body {
            lines.push((index + 1, line));
        }
    }
    lines
}

/// The value of a host/port expression: literals, `os.environ.get("N", d)`, `os.getenv`,
/// `os.environ["N"]`, `int(…)`, `a or b`, and module-level names bound to those.
fn py_value(sys: &Sys, code: &str, expression: &str, depth: u32) -> Option<String> {
    let expression = expression.trim();
    if depth > 6 || expression.is_empty() {
        return None;
    }
    if let Some(text) = apps::string_literal(expression) {
        return Some(text);
    }
    if expression.parse::<i64>().is_ok() {
        return Some(expression.to_string());
    }
    if let Some((left, right)) = expression.split_once(" or ") {
        return py_value(sys, code, left, depth + 1).filter(|v| !v.is_empty()).or_else(|| py_value(sys, code, right, depth + 1));
    }
    for wrapper in ["int(", "str(", "float("] {
        if let Some(inner) = expression.strip_prefix(wrapper) {
            return apps::call_args(inner).and_then(|args| py_value(sys, code, args.first()?, depth + 1));
        }
    }
    for getter in ["os.environ.get(", "os.getenv(", "environ.get(", "getenv("] {
        if let Some(inner) = expression.strip_prefix(getter) {
            let args = apps::call_args(inner)?;
            let name = apps::string_literal(args.first()?)?;
            return match sys.env_var(&name) {
                Some(value) => Some(value.to_string()),
                None => args.get(1).and_then(|d| py_value(sys, code, d, depth + 1)),
            };
        }
    }
    if let Some(inner) = expression.strip_prefix("os.environ[").or_else(|| expression.strip_prefix("environ[")) {
        let name = apps::string_literal(inner.strip_suffix(']')?)?;
        return sys.env_var(&name).map(str::to_string);
    }
    if expression.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        let bound = code.lines().filter(|l| !l.starts_with([' ', '\t'])).find_map(|l| {
            let (name, value) = l.split_once('=')?;
            (name.trim() == expression && !value.starts_with('=')).then(|| value.split('#').next().unwrap_or_default().to_string())
        })?;
        return py_value(sys, code, &bound, depth + 1);
    }
    None
}

/// Keyword and positional arguments of a call: `("host", "0.0.0.0")` pairs, positionals keyed
/// by their index (`"0"`, `"1"`).
fn keyword_args(args: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (index, arg) in args.iter().enumerate() {
        match arg.split_once('=') {
            Some((key, value)) if key.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !value.starts_with('=') => {
                out.push((key.trim().to_string(), value.trim().to_string()));
            }
            _ => out.push((index.to_string(), arg.clone())),
        }
    }
    out
}

fn arg_of<'a>(args: &'a [(String, String)], key: &str, position: &str) -> Option<&'a str> {
    args.iter().find(|(k, _)| k == key || k == position).map(|(_, v)| v.as_str())
}

/// Routes from `@app.route('/p')`/`@app.get('/p')` decorators, each answering its handler's
/// first `return`.
fn py_routes(code: &str) -> Vec<HttpRoute> {
    let lines: Vec<&str> = code.lines().collect();
    let mut routes = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let line = line.trim();
        if !line.starts_with('@') {
            continue;
        }
        let Some(open) = [".route(", ".get(", ".api_route("].iter().find_map(|m| line.find(m).map(|i| i + m.len())) else { continue };
        let Some(path) = line.get(open..).and_then(apps::call_args).and_then(|a| a.first().and_then(|p| apps::string_literal(p))) else { continue };
        if line.contains("methods=") && !line.contains("GET") {
            continue;
        }
        let body = lines
            .iter()
            .skip(index + 1)
            .skip_while(|l| l.trim().starts_with('@'))
            .skip(1)
            .take_while(|l| l.starts_with([' ', '\t']) || l.trim().is_empty())
            .find_map(|l| l.trim().strip_prefix("return "))
            .map(apps::body_from)
            .unwrap_or_else(|| "OK".into());
        apps::add_route(&mut routes, apps::route(&path, &body));
    }
    routes
}

/// The handler function `signal.signal(signal.SIGNAL, NAME)` installs, as its body's lines.
fn handler_body<'c>(code: &'c str, signal: &str) -> Vec<&'c str> {
    let name = code.lines().find_map(|l| {
        let l = l.trim();
        let rest = l.strip_prefix("signal.signal(")?;
        let (which, handler) = rest.trim_end_matches(')').split_once(',')?;
        (which.trim().ends_with(signal)).then(|| handler.trim())
    });
    let Some(name) = name else { return Vec::new() };
    let header = format!("def {name}(");
    let mut body = Vec::new();
    let mut inside = false;
    for line in code.lines() {
        if line.starts_with(&header) {
            inside = true;
        } else if inside && !line.trim().is_empty() && !line.starts_with([' ', '\t']) {
            break;
        } else if inside {
            body.push(line.trim());
        }
    }
    body
}

/// The literal prints of the handler for `signal`, written as it shuts down.
fn handler_prints(code: &str, signal: &str) -> Vec<crate::programs::TimedLine> {
    handler_body(code, signal)
        .into_iter()
        .filter_map(|line| literal_print(&format!("{})", line.split(", flush=").next()?.trim_end_matches(')'))))
        .map(|text| crate::programs::TimedLine { at: 5, stderr: false, text })
        .collect()
}

/// The status the handler for `signal` exits with: `sys.exit(N)`, else 0.
fn handler_exit_code(code: &str, signal: &str) -> i32 {
    handler_body(code, signal)
        .into_iter()
        .find_map(|line| line.strip_prefix("sys.exit(")?.strip_suffix(')').map(|n| n.trim().parse().unwrap_or(1)))
        .unwrap_or(0)
}

/// How the app answers SIGTERM/SIGINT: `signal.signal(signal.SIGTERM, …)` installs a handler.
fn py_handler(code: &str, signal: &str) -> bool {
    code.lines().any(|l| {
        let l = l.trim();
        !l.starts_with('#') && l.contains("signal(") && (l.contains(&format!("signal.{signal}")) || l.contains(&format!("({signal},")) || l.contains(&format!("({signal} ,")))
    })
}

/// A start-up crash the app's module level runs into: an unset `os.environ["NAME"]`, or a
/// database it cannot reach. Prints the traceback and returns the status.
fn startup_crash(sys: &mut Sys, io: &mut Io, python: &Python, code: &str, origin: &str) -> Option<i32> {
    let newer = python.minor.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()).unwrap_or(12) >= 11;
    for (number, line) in module_lines(code) {
        let text = line.trim();
        let Some(start) = text.find("os.environ[") else { continue };
        let Some(inner) = text.get(start + "os.environ[".len()..) else { continue };
        let Some(name) = inner.split(']').next().and_then(apps::string_literal) else { continue };
        if sys.env_var(&name).is_some() {
            continue;
        }
        io.err_line("Traceback (most recent call last):");
        io.err_line(&format!("  File \"{origin}\", line {number}, in <module>"));
        io.err_line(&format!("    {text}"));
        if newer {
            let key_len = name.chars().count() + 4;
            let prefix: usize = text.get(..start).map_or(0, |p| p.chars().count());
            io.err_line(&format!("    {}{}{}", " ".repeat(prefix), "~".repeat(10), "^".repeat(key_len)));
        }
        let os_line = if python.minor == "3.11" { 679 } else { 685 };
        io.err_line(&format!("  File \"<frozen os>\", line {os_line}, in __getitem__"));
        io.err_line(&format!("KeyError: '{name}'"));
        return Some(1);
    }
    let lines = module_lines(code);
    let connects = lines.iter().find(|(_, l)| l.contains("psycopg2.connect(") || l.contains("psycopg.connect("));
    let engine = lines.iter().any(|(_, l)| l.contains("create_engine("))
        && lines.iter().any(|(_, l)| l.contains("create_all(") || l.contains("engine.connect(") || l.contains(".begin()"));
    if connects.is_none() && !engine {
        return None;
    }
    let url = sys
        .env_var("DATABASE_URL")
        .map(str::to_string)
        .or_else(|| code.split(['"', '\'']).find(|p| p.starts_with("postgres")).map(str::to_string))?;
    let (host, port) = database_host(&url);
    let container = sys.container.as_ref()?;
    let problem = if matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1" | "") {
        let listening = container.listeners.iter().any(|l| l.port == port);
        (!listening).then(|| {
            format!("connection to server at \"{}\" (127.0.0.1), port {port} failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?", if host.is_empty() { "localhost" } else { &host })
        })
    } else if let Some((_, ip)) = container.dns.iter().find(|(name, _)| *name == host) {
        // The name resolves; the server may not accept connections yet (postgres needs a few
        // seconds after its container starts: the cold-start race `depends_on` alone loses).
        let accepting = container.peers.iter().any(|(peer, listener)| peer == ip && listener.port == port);
        (!accepting).then(|| {
            format!("connection to server at \"{host}\" ({ip}), port {port} failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?")
        })
    } else if is_ipv4(&host) || container.hostname == host {
        None
    } else {
        Some(format!("could not translate host name \"{host}\" to address: Name or service not known"))
    };
    let problem = problem?;
    sys.elapsed += 1_000;
    let (number, text) = connects.map(|(n, l)| (*n, l.trim().to_string())).unwrap_or((1, String::new()));
    io.err_line("Traceback (most recent call last):");
    io.err_line(&format!("  File \"{origin}\", line {number}, in <module>"));
    if !text.is_empty() {
        io.err_line(&format!("    {text}"));
    }
    let site = format!("{}/lib/python{}/site-packages", python.prefix, python.minor);
    io.err_line(&format!("  File \"{site}/psycopg2/__init__.py\", line 122, in connect"));
    io.err_line("    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)");
    let mut lines = problem.lines();
    let first = lines.next().unwrap_or_default();
    if connects.is_some() {
        io.err_line(&format!("psycopg2.OperationalError: {first}"));
    } else {
        io.err_line(&format!("sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) {first}"));
    }
    for more in lines {
        io.err_line(more);
    }
    if connects.is_none() {
        io.err_line("");
        io.err_line("(Background on this error at: https://sqlalche.me/e/20/e3q8)");
    }
    Some(1)
}

/// `postgresql://user:pw@db:5432/app` → `("db", 5432)`.
fn database_host(url: &str) -> (String, u16) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    match authority.rsplit_once(':') {
        Some((host, port)) => (host.to_string(), port.parse().unwrap_or(5432)),
        None => (authority.to_string(), 5432),
    }
}

/// The package a pip console script runs (`from uvicorn.main import main`).
fn console_tool(code: &str) -> Option<String> {
    if !code.contains("sys.exit(main())") && !code.contains("sys.exit(run())") {
        return None;
    }
    let line = code.lines().find(|l| l.starts_with("from ") && (l.ends_with(" import main") || l.ends_with(" import run")))?;
    let module = line.strip_prefix("from ")?.split_whitespace().next()?;
    let top = module.split('.').next()?;
    matches!(top, "uvicorn" | "gunicorn" | "flask").then(|| top.to_string())
}

fn werkzeug_server(python: &Python) -> String {
    format!("Werkzeug/{} Python/{}", pip::lookup("werkzeug").version, python.version)
}

/// A script run as `python app.py`: Flask's `app.run`, `uvicorn.run`, or a `while True:` loop.
fn serve_script(sys: &mut Sys, io: &mut Io, python: &Python, code: &str, script: &str) -> Option<i32> {
    if let Some(status) = startup_crash(sys, io, python, code, script) {
        return Some(status);
    }
    let lines = module_lines(code);
    let leak = apps::leak_rate(code, true);
    let pid = own_pid(sys);
    let term = if py_handler(code, "SIGTERM") { exit_on_signal(10, handler_exit_code(code, "SIGTERM"), handler_prints(code, "SIGTERM")) } else { SignalResponse::Default };
    // uvicorn.run(app, host=…, port=…)
    if let Some((_, line)) = lines.iter().find(|(_, l)| l.contains("uvicorn.run(")) {
        let open = line.find("uvicorn.run(").map_or(0, |i| i + "uvicorn.run(".len());
        let args = keyword_args(&line.get(open..).and_then(apps::call_args).unwrap_or_default());
        let host = arg_of(&args, "host", "9").and_then(|h| py_value(sys, code, h, 0)).unwrap_or_else(|| "127.0.0.1".into());
        let port = arg_of(&args, "port", "9").and_then(|p| py_value(sys, code, p, 0)).and_then(|p| p.parse().ok()).unwrap_or(8000);
        return Some(serve_uvicorn(sys, python, code, &host, port, leak));
    }
    // Flask: app.run(host=…, port=…, debug=…)
    if code.contains("Flask(") {
        if let Some((_, line)) = lines.iter().find(|(_, l)| l.contains(".run(") && !l.contains("uvicorn")) {
            let open = line.find(".run(").map_or(0, |i| i + ".run(".len());
            let args = keyword_args(&line.get(open..).and_then(apps::call_args).unwrap_or_default());
            let host = arg_of(&args, "host", "0").and_then(|h| py_value(sys, code, h, 0)).unwrap_or_else(|| "127.0.0.1".into());
            let port: u16 = arg_of(&args, "port", "1").and_then(|p| py_value(sys, code, p, 0)).and_then(|p| p.parse().ok()).unwrap_or(5000);
            let debug = arg_of(&args, "debug", "2").is_some_and(|d| d.trim() == "True");
            let name = crate::fs::file_name(script).trim_end_matches(".py").to_string();
            let mut log = Log::default();
            log.out(0, format!(" * Serving Flask app '{name}'"));
            log.out(0, format!(" * Debug mode: {}", if debug { "on" } else { "off" }));
            let address = apps::bind_address(&host);
            let mut at = 5;
            log.err(at, "WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.");
            let ip = sys.container.as_ref().map(|c| c.ip_address.clone()).unwrap_or_default();
            if address == "0.0.0.0" {
                log.err(at, " * Running on all addresses (0.0.0.0)");
                log.err(at, format!(" * Running on http://127.0.0.1:{port}"));
                if !ip.is_empty() {
                    log.err(at, format!(" * Running on http://{ip}:{port}"));
                }
            } else {
                log.err(at, format!(" * Running on http://{host}:{port}"));
            }
            log.err(at, "Press CTRL+C to quit");
            if debug {
                at += 300;
                log.err(at, " * Restarting with stat");
                log.err(at + 200, " * Debugger is active!");
                log.err(at + 200, format!(" * Debugger PIN: {}", debugger_pin(&name)));
            }
            let mut routes = py_routes(code);
            if routes.is_empty() {
                routes.push(apps::route("/", "OK"));
            }
            let mut children = Vec::new();
            if debug {
                children.push((format!("{} {script}", python_command(python)), sys.user_name.clone(), 28 * MIB));
            }
            sys.serve(Service {
                program: "python".into(),
                log: log.finish(),
                listens: vec![(at, tcp(&address, port, "python", pid, Some(apps::http(&werkzeug_server(python), routes))))],
                memory: apps::memory(27 * MIB, leak),
                cpu_millis: 2,
                on_term: term,
                on_interrupt: exit_on_signal(20, 0, Vec::new()),
                exits: None,
                children,
                reads_terminal: false,
            });
            return Some(0);
        }
    }
    // A worker loop: `while True:` at module level keeps the process alive.
    let is_loop = |l: &str| l.trim_end().starts_with("while True:") || l.trim_end().starts_with("while 1:");
    if lines.iter().any(|(_, l)| is_loop(l)) {
        // What it prints before the loop (literal prints only) reaches the log first.
        for (_, line) in lines.iter().take_while(|(_, l)| !is_loop(l)) {
            if let Some(text) = literal_print(line.trim().split(", flush=").next().map(|p| format!("{p})")).as_deref().unwrap_or("")) {
                io.out_line(&text);
            }
        }
        let mut service = Service::idle("python");
        service.memory = apps::memory(9 * MIB, leak);
        service.on_term = term;
        service.on_interrupt = exit_on_signal(10, 1, vec![crate::programs::TimedLine { at: 0, stderr: true, text: "KeyboardInterrupt".into() }]);
        sys.serve(service);
        return Some(0);
    }
    None
}

fn python_command(python: &Python) -> String {
    format!("{}/bin/python{}", python.prefix, python.minor)
}

/// Werkzeug's debugger PIN is derived from the machine; any stable digits will do.
fn debugger_pin(name: &str) -> String {
    let h = super::sys::hash(name);
    format!("{:03}-{:03}-{:03}", h % 1000, (h >> 10) % 1000, (h >> 20) % 1000)
}

/// `python -m MODULE` or a console script for a server: uvicorn, gunicorn, flask, http.server.
fn serve_module(sys: &mut Sys, io: &mut Io, python: &Python, module: &str, args: &[String]) -> Option<i32> {
    match module {
        "http.server" => Some(serve_http_server(sys, python, args)),
        "uvicorn" => Some(uvicorn_cli(sys, io, python, args)),
        "gunicorn" => Some(gunicorn_cli(sys, io, python, args)),
        _ => None,
    }
}

fn serve_http_server(sys: &mut Sys, python: &Python, args: &[String]) -> i32 {
    let mut port: u16 = 8000;
    let mut bind = "0.0.0.0".to_string();
    let mut directory = sys.cwd.clone();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-b" | "--bind" => bind = iter.next().cloned().unwrap_or(bind),
            "-d" | "--directory" => directory = iter.next().map(|d| sys.abs(d)).unwrap_or(directory),
            other => {
                if let Ok(p) = other.parse() {
                    port = p;
                }
            }
        }
    }
    let address = apps::bind_address(&bind);
    let shown = if address.contains(':') { format!("[{address}]") } else { address.clone() };
    let mut log = Log::default();
    log.out(0, format!("Serving HTTP on {address} port {port} (http://{shown}:{port}/) ..."));
    let mut routes = Vec::new();
    let mut listing = vec![
        "<!DOCTYPE HTML>".to_string(),
        "<html lang=\"en\">".into(),
        "<head>".into(),
        "<meta charset=\"utf-8\">".into(),
        "<title>Directory listing for /</title>".into(),
        "</head>".into(),
        "<body>".into(),
        "<h1>Directory listing for /</h1>".into(),
        "<hr>".into(),
        "<ul>".into(),
    ];
    let entries: Vec<(String, bool)> = sys.fs.children(&directory).map(|(n, node)| (n.to_string(), node.is_dir())).collect();
    for (name, dir) in &entries {
        let shown = if *dir { format!("{name}/") } else { name.clone() };
        listing.push(format!("<li><a href=\"{shown}\">{shown}</a></li>"));
    }
    listing.extend(["</ul>".to_string(), "<hr>".into(), "</body>".into(), "</html>".into()]);
    match sys.read(&format!("{}/index.html", directory.trim_end_matches('/'))) {
        Some(index) => apps::add_route(&mut routes, apps::route("/", &index)),
        None => apps::add_route(&mut routes, apps::route("/", &(listing.join("\n") + "\n"))),
    }
    for (name, dir) in entries {
        if !dir {
            if let Some(text) = sys.read(&format!("{}/{name}", directory.trim_end_matches('/'))) {
                apps::add_route(&mut routes, apps::route(&format!("/{name}"), &text));
            }
        }
    }
    let server = format!("SimpleHTTP/0.6 Python/{}", python.version);
    let pid = own_pid(sys);
    sys.serve(Service {
        program: "python".into(),
        log: log.finish(),
        listens: vec![(2, tcp(&address, port, "python", pid, Some(apps::http(&server, routes))))],
        memory: crate::programs::MemoryCurve::flat(14 * MIB),
        cpu_millis: 0,
        on_term: SignalResponse::Default,
        on_interrupt: exit_on_signal(10, 0, vec![
            crate::programs::TimedLine { at: 0, stderr: false, text: String::new() },
            crate::programs::TimedLine { at: 0, stderr: false, text: "Keyboard interrupt received, exiting.".into() },
        ]),
        exits: None,
        children: Vec::new(),
        reads_terminal: false,
    });
    0
}

/// Finds `module` (`main`, `app.main`) as a file under `dir`: its path and source.
fn app_module(sys: &Sys, dir: &str, module: &str) -> Option<(String, String)> {
    let relative = module.replace('.', "/");
    let dir = dir.trim_end_matches('/');
    [format!("{dir}/{relative}.py"), format!("{dir}/{relative}/__init__.py")]
        .into_iter()
        .find_map(|path| sys.read(&path).map(|code| (path, code)))
}

/// Whether `code` binds `attr` at module level (`app = FastAPI()`, `def create_app():`).
fn module_binds(code: &str, attr: &str) -> bool {
    let attr = attr.trim_end_matches("()");
    code.lines().filter(|l| !l.starts_with([' ', '\t'])).any(|l| {
        let l = l.trim();
        l.split('=').next().is_some_and(|n| n.trim() == attr && l.contains('='))
            || l.strip_prefix("def ").is_some_and(|r| r.starts_with(&format!("{attr}(")))
            || l.strip_prefix("from ").is_some_and(|r| r.contains(&format!(" import {attr}")))
    })
}

/// Checks the app module's imports and start-up, as importing it would; `Err(status)` after
/// printing why it failed.
fn import_app(sys: &mut Sys, io: &mut Io, python: &Python, path: &str, code: &str) -> Result<(), i32> {
    let dir = parent(path).to_string();
    let status = run_code(sys, io, python, code, path, &dir);
    if status != 0 {
        return Err(status);
    }
    match startup_crash(sys, io, python, code, path) {
        Some(status) => Err(status),
        None => Ok(()),
    }
}

fn uvicorn_cli(sys: &mut Sys, io: &mut Io, python: &Python, args: &[String]) -> i32 {
    let mut host = "127.0.0.1".to_string();
    let mut port: u16 = 8000;
    let mut app_dir = sys.cwd.clone();
    let mut target: Option<String> = None;
    let mut workers: u32 = 1;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| iter.next().cloned()).unwrap_or_default();
        match flag {
            "--host" => host = value(),
            "--port" => port = value().parse().unwrap_or(port),
            "--app-dir" => app_dir = sys.abs(&value()),
            "--workers" => workers = value().parse().unwrap_or(1),
            "--log-level" | "--root-path" | "--proxy-headers" | "--forwarded-allow-ips" | "--env-file" | "--timeout-keep-alive" | "--lifespan" | "--loop" | "--http" | "--ws" => {
                if !matches!(flag, "--proxy-headers") {
                    let _ = value();
                }
            }
            f if f.starts_with('-') => {}
            _ => target = Some(arg.clone()),
        }
    }
    let Some(target) = target else {
        io.err_line("Usage: uvicorn [OPTIONS] APP");
        io.err_line("Try 'uvicorn --help' for help.");
        io.err_line("");
        io.err_line("Error: Missing argument 'APP'.");
        return 2;
    };
    let (module, attr) = target.split_once(':').unwrap_or((target.as_str(), "app"));
    let Some((path, code)) = app_module(sys, &app_dir, module) else {
        io.err_line(&format!("ERROR:    Error loading ASGI app. Could not import module \"{module}\"."));
        return 1;
    };
    if let Err(status) = import_app(sys, io, python, &path, &code) {
        return status;
    }
    if !module_binds(&code, attr) {
        io.err_line(&format!("ERROR:    Error loading ASGI app. Attribute \"{attr}\" not found in module \"{module}\"."));
        return 1;
    }
    let _ = workers;
    serve_uvicorn(sys, python, &code, &host, port, apps::leak_rate(&code, true))
}

fn serve_uvicorn(sys: &mut Sys, python: &Python, code: &str, host: &str, port: u16, leak: Option<u64>) -> i32 {
    let pid = own_pid(sys);
    let mut log = Log::default();
    log.err(0, format!("INFO:     Started server process [{pid}]"));
    log.err(0, "INFO:     Waiting for application startup.");
    log.err(300, "INFO:     Application startup complete.");
    log.err(300, format!("INFO:     Uvicorn running on http://{host}:{port} (Press CTRL+C to quit)"));
    let mut routes = py_routes(code);
    if code.contains("FastAPI(") {
        apps::add_route(&mut routes, apps::route("/docs", "<!DOCTYPE html>\n<html>\n<head>\n<title>FastAPI - Swagger UI</title>\n</head>\n</html>\n"));
        apps::add_route(&mut routes, apps::route("/openapi.json", "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"FastAPI\",\"version\":\"0.1.0\"}}"));
    }
    let shutdown = || {
        let mut lines = Log::default();
        lines.err(0, "INFO:     Shutting down");
        lines.err(5, "INFO:     Waiting for application shutdown.");
        lines.err(10, "INFO:     Application shutdown complete.");
        lines.err(10, format!("INFO:     Finished server process [{pid}]"));
        exit_on_signal(10, 0, lines.finish())
    };
    let _ = python;
    sys.serve(Service {
        program: "uvicorn".into(),
        log: log.finish(),
        listens: vec![(300, tcp(&apps::bind_address(host), port, "uvicorn", pid, Some(apps::http("uvicorn", routes))))],
        memory: apps::memory(46 * MIB, leak),
        cpu_millis: 3,
        on_term: shutdown(),
        on_interrupt: shutdown(),
        exits: None,
        children: Vec::new(),
        reads_terminal: false,
    });
    0
}

fn gunicorn_cli(sys: &mut Sys, io: &mut Io, python: &Python, args: &[String]) -> i32 {
    let mut binds: Vec<String> = Vec::new();
    let mut workers: u32 = sys.env_var("WEB_CONCURRENCY").and_then(|w| w.parse().ok()).unwrap_or(1);
    let mut worker_class = "sync".to_string();
    let mut chdir = sys.cwd.clone();
    let mut target: Option<String> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => match arg.strip_prefix("-b").or_else(|| arg.strip_prefix("-w")).or_else(|| arg.strip_prefix("-k")) {
                Some(v) if !v.is_empty() && !arg.starts_with("--") => (arg.get(..2).unwrap_or_default().to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            },
        };
        let mut value = || inline.clone().or_else(|| iter.next().cloned()).unwrap_or_default();
        match flag.as_str() {
            "-b" | "--bind" => binds.push(value()),
            "-w" | "--workers" => workers = value().parse().unwrap_or(workers),
            "-k" | "--worker-class" => worker_class = value(),
            "--chdir" => chdir = sys.abs(&value()),
            "--timeout" | "--threads" | "--log-level" | "-t" | "--access-logfile" | "--error-logfile" | "-c" | "--config" | "--max-requests" | "--graceful-timeout" | "--keep-alive" => {
                let _ = value();
            }
            f if f.starts_with('-') => {}
            _ => target = Some(arg.clone()),
        }
    }
    if binds.is_empty() {
        binds.push(sys.env_var("PORT").map_or("127.0.0.1:8000".to_string(), |p| format!("0.0.0.0:{p}")));
    }
    let workers = workers.clamp(1, 32);
    let version = pip::lookup("gunicorn").version;
    let pid = own_pid(sys);
    let time = |sys: &Sys, at: u64| stamp(Stamp::Gunicorn, epoch_at(sys, at));
    let Some(target) = target else {
        io.err_line("usage: gunicorn [OPTIONS] [APP_MODULE]");
        io.err_line("gunicorn: error: No application module specified.");
        return 1;
    };
    let (module, attr) = target.split_once(':').unwrap_or((target.as_str(), "application"));
    let mut log = Log::default();
    log.err(0, format!("{} [{pid}] [INFO] Starting gunicorn {version}", time(sys, 0)));
    let mut listens = Vec::new();
    for bind in &binds {
        let (host, port) = match bind.rsplit_once(':') {
            Some((h, p)) => (apps::bind_address(h), p.parse().unwrap_or(8000)),
            None => (apps::bind_address(bind), 8000),
        };
        log.err(0, format!("{} [{pid}] [INFO] Listening at: http://{}:{port} ({pid})", time(sys, 0), bind.rsplit_once(':').map_or(bind.as_str(), |(h, _)| h)));
        listens.push((host, port));
    }
    log.err(0, format!("{} [{pid}] [INFO] Using worker: {worker_class}", time(sys, 0)));
    let first_worker = if pid == 1 { 7 } else { pid + 1 };
    let found = app_module(sys, &chdir, module);
    let Some((path, code)) = found else {
        // The worker fails to import the app and the arbiter gives up.
        let at = 40;
        let mut lines: Vec<String> = vec![
            format!("{} [{first_worker}] [INFO] Booting worker with pid: {first_worker}", time(sys, 0)),
            format!("{} [{first_worker}] [ERROR] Exception in worker process", time(sys, at)),
            "Traceback (most recent call last):".into(),
            format!("  File \"{}/lib/python{}/site-packages/gunicorn/util.py\", line 371, in import_app", python.prefix, python.minor),
            "    mod = importlib.import_module(module)".into(),
            format!("ModuleNotFoundError: No module named '{module}'"),
            format!("{} [{first_worker}] [INFO] Worker exiting (pid: {first_worker})", time(sys, at)),
            format!("{} [{pid}] [ERROR] Worker (pid:{first_worker}) exited with code 3", time(sys, at + 60)),
            format!("{} [{pid}] [ERROR] Shutting down: Master", time(sys, at + 60)),
            format!("{} [{pid}] [ERROR] Reason: Worker failed to boot.", time(sys, at + 60)),
        ];
        for line in log.finish() {
            io.err_line(&line.text);
        }
        for line in lines.drain(..) {
            io.err_line(&line);
        }
        sys.elapsed += at + 60;
        return 3;
    };
    let mut crash = Io::default();
    if import_app(sys, &mut crash, python, &path, &code).is_err() {
        for line in log.finish() {
            io.err_line(&line.text);
        }
        io.err_line(&format!("{} [{first_worker}] [INFO] Booting worker with pid: {first_worker}", time(sys, 0)));
        io.err_line(&format!("{} [{first_worker}] [ERROR] Exception in worker process", time(sys, 0)));
        for line in crash.err.lines() {
            io.err_line(line);
        }
        io.err_line(&format!("{} [{first_worker}] [INFO] Worker exiting (pid: {first_worker})", time(sys, 0)));
        io.err_line(&format!("{} [{pid}] [ERROR] Worker (pid:{first_worker}) exited with code 3", time(sys, 60)));
        io.err_line(&format!("{} [{pid}] [ERROR] Shutting down: Master", time(sys, 60)));
        io.err_line(&format!("{} [{pid}] [ERROR] Reason: Worker failed to boot.", time(sys, 60)));
        sys.elapsed += 60;
        return 3;
    }
    for line in crash.out.lines() {
        io.out_line(line);
    }
    if !module_binds(&code, attr) {
        for line in log.finish() {
            io.err_line(&line.text);
        }
        io.err_line(&format!("{} [{first_worker}] [INFO] Booting worker with pid: {first_worker}", time(sys, 0)));
        io.err_line(&format!("Failed to find attribute '{}' in '{module}'.", attr.trim_end_matches("()")));
        io.err_line(&format!("{} [{first_worker}] [INFO] Worker exiting (pid: {first_worker})", time(sys, 0)));
        io.err_line(&format!("{} [{pid}] [ERROR] Worker (pid:{first_worker}) exited with code 4", time(sys, 60)));
        io.err_line(&format!("{} [{pid}] [ERROR] Shutting down: Master", time(sys, 60)));
        io.err_line(&format!("{} [{pid}] [ERROR] Reason: App failed to load.", time(sys, 60)));
        sys.elapsed += 60;
        return 4;
    }
    let mut children = Vec::new();
    let command = format!("{} /usr/local/bin/gunicorn {}", python_command(python), args.join(" "));
    for n in 0..workers {
        log.err(5 + u64::from(n), format!("{} [{}] [INFO] Booting worker with pid: {}", time(sys, 5), first_worker + n, first_worker + n));
        children.push((command.clone(), sys.user_name.clone(), 31 * MIB));
    }
    let mut routes = py_routes(&code);
    if routes.is_empty() {
        routes.push(apps::route("/", "OK"));
    }
    let server = "gunicorn".to_string();
    let leak = apps::leak_rate(&code, true);
    let shutdown = |signal: &str| {
        let mut lines = Log::default();
        lines.err(0, format!("{{{{time:gunicorn}}}} [{pid}] [INFO] Handling signal: {signal}"));
        for n in 0..workers {
            lines.err(20, format!("{{{{time:gunicorn}}}} [{}] [INFO] Worker exiting (pid: {})", first_worker + n, first_worker + n));
        }
        lines.err(120, format!("{{{{time:gunicorn}}}} [{pid}] [INFO] Shutting down: Master"));
        exit_on_signal(120, 0, lines.finish())
    };
    sys.serve(Service {
        program: "gunicorn".into(),
        log: log.finish(),
        listens: listens.iter().map(|(h, p)| (0, tcp(h, *p, "gunicorn", pid, Some(apps::http(&server, routes.clone()))))).collect(),
        memory: apps::memory(24 * MIB, leak),
        cpu_millis: 2,
        on_term: shutdown("term"),
        on_interrupt: shutdown("int"),
        exits: None,
        children,
        reads_terminal: false,
    });
    0
}

#[cfg(test)]
mod print_tests {
    use super::literal_print;

    #[test]
    fn literal_prints_are_shown_as_python_shows_them() {
        assert_eq!(literal_print("print(\"hi\")").as_deref(), Some("hi"));
        assert_eq!(literal_print("print(1)").as_deref(), Some("1"));
        assert_eq!(literal_print("print('a, b', 2, True)").as_deref(), Some("a, b 2 True"));
        assert_eq!(literal_print("print()").as_deref(), Some(""));
        assert_eq!(literal_print("print(x)"), None);
        assert_eq!(literal_print("print('open)"), None);
    }
}

/// `a.b.c.d` with four numbers up to 255: an address, not a name to resolve.
fn is_ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}
