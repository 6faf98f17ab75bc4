//! `python`: `--version`, `-c CODE` and `python FILE` (imports are checked against the
//! site-packages in the tree; a native extension whose shared library is missing fails with the
//! real `ImportError`), `-m pip`, `-m venv DIR`, `-m MODULE`. Long-running apps return at once.

use super::{pip, Io, Sys};
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
                    run_code(sys, io, &python, &code, &script, &dir)
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
                io.err_line(&format!("  File \"{found}/__init__.py\", line 5, in <module>"));
                io.err_line(&format!("    from .api import {}", if top == "cffi" { "FFI" } else { "*" }));
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
