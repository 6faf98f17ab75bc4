//! Network clients: `curl` (`-fsSL`, `-o`, `-O`, `-I`), `wget` (busybox and GNU wordings),
//! `git clone`. Downloads get a deterministic size from the URL; without a network (or for names
//! a build cannot resolve) they fail with the tools' own errors and exit codes.

use super::sys::hash;
use super::{Io, Sys};
use crate::fs::file_name;

/// Splits a URL into (scheme, host, port, path).
fn split_url(url: &str) -> (String, String, u16, String) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or(rest), rest.get(i..).unwrap_or("/")),
        None => (rest, "/"),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => (h, p.parse().unwrap_or(80)),
        _ => (authority, if scheme == "https" { 443 } else { 80 }),
    };
    (scheme.to_string(), host.to_string(), port, path.to_string())
}

/// Why a connection fails: `Resolve` (curl 6), `Refused` (curl 7), or none.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    Resolve,
    Refused,
}

fn failure(sys: &Sys, host: &str) -> Option<Failure> {
    let local = matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "[::1]");
    if local {
        // Nothing listens inside a build step; servers are containers' business.
        return Some(Failure::Refused);
    }
    if !sys.network || !host.contains('.') {
        return Some(Failure::Resolve);
    }
    None
}

/// The body a URL serves: text for scripts and small documents, a blob label otherwise.
enum Body {
    Text(String),
    Blob(String, u64),
}

fn body(url: &str) -> Body {
    let (_, host, _, path) = split_url(url);
    let h = hash(url);
    let name = file_name(&path);
    if name.ends_with(".sh") || path.contains("install") && !name.contains('.') {
        return Body::Text(format!("#!/bin/sh\n# installer downloaded from {url}\nset -e\necho \"{host}: installed (simulated)\"\n"));
    }
    if name.ends_with(".json") || host.starts_with("api.") {
        return Body::Text(format!("{{\"url\": \"{url}\", \"status\": \"ok\"}}\n"));
    }
    if name.ends_with(".txt") || name.ends_with(".md") || name.ends_with(".conf") || name.ends_with(".yaml") || name.ends_with(".yml") {
        return Body::Text(format!("# {name} from {host}\n"));
    }
    if name.ends_with(".tar.gz") || name.ends_with(".tgz") || name.ends_with(".zip") || name.ends_with(".tar.xz") || name.ends_with(".deb") {
        return Body::Blob(format!("download {url}"), 2_000_000 + h % 28_000_000);
    }
    if name.contains('.') || name.is_empty() && path.len() > 1 {
        return Body::Blob(format!("download {url}"), 20_000 + h % 5_000_000);
    }
    Body::Text(format!("<!doctype html><html><head><title>{host}</title></head><body><h1>{host}</h1></body></html>\n"))
}

fn body_size(body: &Body) -> u64 {
    match body {
        Body::Text(t) => t.len() as u64,
        Body::Blob(_, size) => *size,
    }
}

fn save(sys: &mut Sys, path: &str, body: &Body) {
    match body {
        Body::Text(text) => sys.write_text(path, text),
        Body::Blob(label, size) => sys.write_blob(path, label, *size, false),
    }
}

pub fn curl(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let mut fail = false;
    let mut silent = false;
    let mut show_error = false;
    let mut head = false;
    let mut remote_name = false;
    let mut output: Option<String> = None;
    let mut urls = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--fail" | "--fail-with-body" => fail = true,
            "--silent" => silent = true,
            "--show-error" => show_error = true,
            "--head" => head = true,
            "--remote-name" => remote_name = true,
            "--output" => output = iter.next().cloned(),
            "--location" | "--insecure" | "--compressed" | "--verbose" | "-v" | "--http1.1" | "--progress-bar" => {}
            "-X" | "--request" | "-H" | "--header" | "-d" | "--data" | "--data-raw" | "--data-binary" | "-u" | "--user" | "--retry" | "--retry-delay" | "--connect-timeout" | "-m" | "--max-time" | "-w" | "--write-out" | "-A" | "--user-agent" | "--cacert" | "-e" | "--referer" | "--proto" | "--tlsv1.2" => {
                if !matches!(arg.as_str(), "--tlsv1.2") {
                    iter.next();
                }
            }
            a if a.starts_with("--") => {}
            a if a.starts_with('-') && a.len() > 1 => {
                let letters: Vec<char> = a.chars().skip(1).collect();
                for (i, c) in letters.iter().enumerate() {
                    match c {
                        'f' => fail = true,
                        's' => silent = true,
                        'S' => show_error = true,
                        'I' => head = true,
                        'O' => remote_name = true,
                        'o' => {
                            let rest: String = letters.get(i + 1..).unwrap_or_default().iter().collect();
                            output = if rest.is_empty() { iter.next().cloned() } else { Some(rest) };
                            break;
                        }
                        'X' | 'H' | 'd' | 'u' | 'm' | 'w' | 'A' | 'e' => {
                            iter.next();
                            break;
                        }
                        _ => {}
                    }
                }
            }
            _ => urls.push(arg.clone()),
        }
    }
    let Some(url) = urls.first().cloned() else {
        io.err_line("curl: try 'curl --help' or 'curl --manual' for more information");
        return 2;
    };
    let quiet_errors = silent && !show_error;
    let (_, host, port, path) = split_url(&url);
    sys.elapsed += 250;
    match failure(sys, &host) {
        Some(Failure::Resolve) => {
            if !quiet_errors {
                io.err_line(&format!("curl: (6) Could not resolve host: {host}"));
            }
            return 6;
        }
        Some(Failure::Refused) => {
            if !quiet_errors {
                io.err_line(&format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"));
            }
            return 7;
        }
        None => {}
    }
    let not_found = path.contains("404") || path.contains("notfound") || path.contains("does-not-exist");
    if not_found && fail {
        if !quiet_errors {
            io.err_line("curl: (22) The requested URL returned error: 404");
        }
        return 22;
    }
    if head {
        let status = if not_found { "404" } else { "200" };
        io.out_line(&format!("HTTP/2 {status} "));
        io.out_line("content-type: text/html; charset=UTF-8");
        io.out_line("date: Mon, 02 Mar 2026 09:00:00 GMT");
        io.out_line("");
        return 0;
    }
    let body = if not_found { Body::Text("<html><body><h1>404 Not Found</h1></body></html>\n".into()) } else { body(&url) };
    let size = body_size(&body);
    sys.elapsed += size / 10_000;
    let target = if remote_name { Some(file_name(&path).to_string()).filter(|n| !n.is_empty()) } else { output };
    match target {
        Some(file) if file != "-" => {
            let dest = sys.abs(&file);
            if !sys.fs.is_dir(crate::fs::parent(&dest)) {
                if !quiet_errors {
                    io.err_line(&format!("curl: (23) Failure writing output to destination, passed {size} returned 0"));
                }
                return 23;
            }
            if !silent {
                io.err_line("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current");
                io.err_line("                                 Dload  Upload   Total   Spent    Left  Speed");
                io.err_line(&format!("100 {size:>6}  100 {size:>6}    0     0  {:>6}      0 --:--:-- --:--:-- --:--:-- {:>6}", size.min(999_999), size.min(999_999)));
            }
            save(sys, &dest, &body);
        }
        _ => match &body {
            Body::Text(text) => super::sys::push_capped(&mut io.out, text),
            Body::Blob(label, size) => {
                if !silent {
                    io.err_line("Warning: Binary output can mess up your terminal. Use \"--output -\" to tell");
                    io.err_line("Warning: curl to output it to your terminal anyway, or consider \"--output");
                    io.err_line("Warning: <FILE>\" to save to a file.");
                    return 23;
                }
                io.out_line(&format!("({label}, {size} bytes)"));
            }
        },
    }
    0
}

pub fn wget(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let gnu = sys.os.is_debian_family() || sys.resolve("wget").is_some_and(|p| matches!(super::identify(sys.fs, &p), super::Identity::Binary { ref label, .. } if label.starts_with("wget ")));
    let mut output: Option<String> = None;
    let mut quiet = false;
    let mut urls = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-O" | "--output-document" => output = iter.next().cloned(),
            "-q" | "--quiet" => quiet = true,
            "-qO" | "-qO-" => {
                quiet = true;
                output = if arg == "-qO-" { Some("-".into()) } else { iter.next().cloned() };
            }
            "-T" | "--timeout" | "-t" | "--tries" | "-P" | "--header" | "-U" => {
                iter.next();
            }
            a if a.starts_with("-O") && a.len() > 2 => output = a.get(2..).map(str::to_string),
            a if a.starts_with("--output-document=") => output = a.split_once('=').map(|(_, v)| v.to_string()),
            a if a.starts_with('-') => {
                if a.contains('q') {
                    quiet = true;
                }
            }
            _ => urls.push(arg.clone()),
        }
    }
    let Some(url) = urls.first().cloned() else {
        io.err_line(if gnu { "wget: missing URL" } else { "BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]" });
        return 1;
    };
    let (_, host, port, path) = split_url(&url);
    sys.elapsed += 250;
    match failure(sys, &host) {
        Some(Failure::Resolve) => {
            if gnu {
                if !quiet {
                    io.err_line(&format!("--2026-03-02 09:00:00--  {url}"));
                    io.err_line(&format!("Resolving {host} ({host})... failed: Temporary failure in name resolution."));
                }
                io.err_line(&format!("wget: unable to resolve host address '{host}'"));
                return 4;
            }
            io.err_line(&format!("wget: bad address '{host}'"));
            return 1;
        }
        Some(Failure::Refused) => {
            if gnu {
                io.err_line(&format!("Connecting to {host} ({host})|127.0.0.1|:{port}... failed: Connection refused."));
                return 4;
            }
            io.err_line(&"wget: can't connect to remote host (127.0.0.1): Connection refused".to_string());
            return 1;
        }
        None => {}
    }
    let body = body(&url);
    let size = body_size(&body);
    sys.elapsed += size / 10_000;
    let name = output.clone().unwrap_or_else(|| {
        let n = file_name(&path);
        if n.is_empty() { "index.html".to_string() } else { n.to_string() }
    });
    if name == "-" {
        if let Body::Text(text) = &body {
            super::sys::push_capped(&mut io.out, text);
        }
        return 0;
    }
    let dest = sys.abs(&name);
    if !quiet {
        if gnu {
            io.err_line(&format!("--2026-03-02 09:00:00--  {url}"));
            io.err_line(&format!("Resolving {host} ({host})... 93.184.216.34"));
            io.err_line(&format!("Connecting to {host} ({host})|93.184.216.34|:{port}... connected."));
            io.err_line("HTTP request sent, awaiting response... 200 OK");
            io.err_line(&format!("Length: {size} ({}K) [application/octet-stream]", size / 1024));
            io.err_line(&format!("Saving to: '{name}'"));
            io.err_line("");
            io.err_line(&format!("2026-03-02 09:00:01 (10.0 MB/s) - '{name}' saved [{size}/{size}]"));
        } else {
            io.err_line(&format!("Connecting to {host} (93.184.216.34:{port})"));
            io.err_line(&format!("saving to '{name}'"));
            io.err_line(&format!("{name:<20} 100% |********************************| {size:>6}  0:00:00 ETA"));
            io.err_line(&format!("'{name}' saved"));
        }
    }
    save(sys, &dest, &body);
    0
}

pub fn git(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("--version") | Some("version") => {
            io.out_line("git version 2.39.2");
            0
        }
        Some("clone") => {
            let operands: Vec<&String> = args.iter().skip(1).filter(|a| !a.starts_with('-')).collect();
            let Some(url) = operands.first() else {
                io.err_line("fatal: You must specify a repository to clone.");
                return 129;
            };
            let name = operands.get(1).map(|s| s.to_string()).unwrap_or_else(|| file_name(url.trim_end_matches('/')).trim_end_matches(".git").to_string());
            io.err_line(&format!("Cloning into '{name}'..."));
            let (_, host, _, _) = split_url(url);
            if failure(sys, &host).is_some() {
                io.err_line(&format!("fatal: unable to access '{url}/': Could not resolve host: {host}"));
                return 128;
            }
            let dest = sys.abs(&name);
            if sys.fs.exists(&dest) && sys.fs.children(&dest).next().is_some() {
                io.err_line(&format!("fatal: destination path '{name}' already exists and is not an empty directory."));
                return 128;
            }
            let h = hash(url);
            sys.write_text(&format!("{dest}/.git/HEAD"), "ref: refs/heads/main\n");
            sys.write_blob(&format!("{dest}/.git/objects/pack/pack-{h:016x}.pack"), &format!("git pack {url}"), 500_000 + h % 20_000_000, false);
            sys.write_text(&format!("{dest}/README.md"), &format!("# {name}\n"));
            sys.write_blob(&format!("{dest}/src/main.src"), &format!("git checkout {url}"), 50_000 + h % 2_000_000, false);
            sys.elapsed += 2_000 + (h % 8_000);
            0
        }
        Some("rev-parse") | Some("log") | Some("status") | Some("describe") => {
            let mut current = sys.cwd.clone();
            for _ in 0..64 {
                if sys.fs.exists(&format!("{current}/.git")) {
                    io.out_line(&format!("{:040x}", hash(&current) as u128 * 0x1_0000_0001));
                    return 0;
                }
                if current == "/" {
                    break;
                }
                current = crate::fs::parent(&current).to_string();
            }
            io.err_line("fatal: not a git repository (or any of the parent directories): .git");
            128
        }
        _ => 0,
    }
}
