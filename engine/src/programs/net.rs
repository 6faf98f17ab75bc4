//! Network clients: `curl` (`-fsSL`, `-o`, `-O`, `-I`), `wget` (busybox and GNU wordings),
//! `git clone`. Downloads get a deterministic size from the URL; without a network (or for names
//! a build cannot resolve) they fail with the tools' own errors and exit codes.

use super::inside::{self, Reach};
use super::sys::hash;
use super::{HttpService, Io, Sys};
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
    let mut include = false;
    let mut write_out: Option<String> = None;
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
            "--include" => include = true,
            "-w" | "--write-out" => write_out = iter.next().cloned(),
            "--location" | "--insecure" | "--compressed" | "--verbose" | "-v" | "--http1.1" | "--progress-bar" => {}
            "-X" | "--request" | "-H" | "--header" | "-d" | "--data" | "--data-raw" | "--data-binary" | "-u" | "--user" | "--retry" | "--retry-delay" | "--connect-timeout" | "-m" | "--max-time" | "-A" | "--user-agent" | "--cacert" | "-e" | "--referer" | "--proto" | "--tlsv1.2" => {
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
                        'i' => include = true,
                        'w' => {
                            let rest: String = letters.get(i + 1..).unwrap_or_default().iter().collect();
                            write_out = if rest.is_empty() { iter.next().cloned() } else { Some(rest) };
                            break;
                        }
                        'o' => {
                            let rest: String = letters.get(i + 1..).unwrap_or_default().iter().collect();
                            output = if rest.is_empty() { iter.next().cloned() } else { Some(rest) };
                            break;
                        }
                        'X' | 'H' | 'd' | 'u' | 'm' | 'A' | 'e' => {
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
    let (scheme, host, port, path) = split_url(&url);
    let request = Request {
        url: &url,
        scheme: &scheme,
        path: &path,
        fail,
        silent,
        quiet_errors,
        head,
        include,
        output: if remote_name { Some(file_name(&path).to_string()) } else { output.clone() },
        write_out: write_out.as_deref(),
    };
    match inside::reach(sys, &host, port) {
        None | Some(Reach::Outside) => {}
        Some(Reach::Unresolved) => {
            if !quiet_errors {
                io.err_line(&format!("curl: (6) Could not resolve host: {host}"));
            }
            write_out_line(io, &request, 0, 0);
            return 6;
        }
        Some(Reach::Refused { .. }) => {
            sys.elapsed += 1;
            if !quiet_errors {
                io.err_line(&format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"));
            }
            write_out_line(io, &request, 0, 0);
            return 7;
        }
        Some(Reach::Raw { .. }) => {
            sys.elapsed += 2;
            if !quiet_errors {
                io.err_line("curl: (52) Empty reply from server");
            }
            write_out_line(io, &request, 0, 0);
            return 52;
        }
        Some(Reach::Http { service, ip }) => {
            let own = serves_itself(sys, &ip);
            return curl_local(sys, io, &request, &service, own);
        }
    }
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
        write_out_line(io, &request, 404, 0);
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
        Some(file) if file == "/dev/null" => {}
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
            if inside::read_only_denies(sys, &dest) {
                if !quiet_errors {
                    io.err_line(&format!("Warning: Failed to create the file {file}: Read-only file system"));
                    io.err_line("curl: (23) Failure writing output to destination");
                }
                return 23;
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
    write_out_line(io, &request, if not_found { 404 } else { 200 }, size);
    0
}

/// What a `curl` invocation asked for.
struct Request<'a> {
    url: &'a str,
    scheme: &'a str,
    path: &'a str,
    fail: bool,
    silent: bool,
    quiet_errors: bool,
    head: bool,
    include: bool,
    output: Option<String>,
    write_out: Option<&'a str>,
}

/// `-w`/`--write-out`: `%{http_code}` and friends, `\n` escapes.
fn write_out_line(io: &mut Io, request: &Request, status: u16, size: u64) {
    let Some(format) = request.write_out else { return };
    let text = format
        .replace("%{http_code}", &format!("{status:03}"))
        .replace("%{response_code}", &format!("{status:03}"))
        .replace("%{url_effective}", request.url)
        .replace("%{size_download}", &size.to_string())
        .replace("%{time_total}", "0.002345")
        .replace("\\n", "\n")
        .replace("\\t", "\t");
    super::sys::push_capped(&mut io.out, &text);
}

/// curl against a server inside the container.
/// Whether a server reached at `ip` runs in this same container, whose files the caller sees.
fn serves_itself(sys: &Sys, ip: &str) -> bool {
    ip.starts_with("127.") || ip == "::1" || sys.container.as_ref().is_some_and(|c| c.ip_address == ip)
}

fn curl_local(sys: &mut Sys, io: &mut Io, request: &Request, service: &HttpService, own: bool) -> i32 {
    sys.elapsed += 3;
    if request.scheme == "https" {
        if !request.quiet_errors {
            io.err_line("curl: (35) OpenSSL/3.0.11: error:0A00010B:SSL routines::wrong version number");
        }
        return 35;
    }
    let (status, full) = inside::http_answer_in(service, own.then_some(&*sys.fs), request.path);
    let body = if request.head { String::new() } else { full.clone() };
    if request.fail && status >= 400 {
        if !request.quiet_errors {
            io.err_line(&format!("curl: (22) The requested URL returned error: {status}"));
        }
        write_out_line(io, request, status, 0);
        return 22;
    }
    let mut shown = String::new();
    if request.head || request.include {
        for line in inside::http_headers(sys, service, status, &full) {
            shown.push_str(&line);
            shown.push('\n');
        }
        shown.push('\n');
    }
    shown.push_str(&body);
    match request.output.as_deref() {
        Some("/dev/null") => {}
        Some(file) if file != "-" && !file.is_empty() => {
            let dest = sys.abs(file);
            let size = shown.len();
            let read_only = inside::read_only_denies(sys, &dest);
            if !sys.fs.is_dir(crate::fs::parent(&dest)) || read_only {
                if !request.quiet_errors {
                    let why = if read_only { "Read-only file system" } else { "No such file or directory" };
                    io.err_line(&format!("Warning: Failed to create the file {file}: {why}"));
                    io.err_line(&format!("curl: (23) Failure writing output to destination, passed {size} returned 0"));
                }
                return 23;
            }
            if !request.silent {
                io.err_line("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current");
                io.err_line("                                 Dload  Upload   Total   Spent    Left  Speed");
                io.err_line(&format!("100 {size:>6}  100 {size:>6}    0     0  {:>6}      0 --:--:-- --:--:-- --:--:-- {:>6}", size.min(999_999), size.min(999_999)));
            }
            sys.write_text(&dest, &shown);
        }
        _ => super::sys::push_capped(&mut io.out, &shown),
    }
    write_out_line(io, request, status, body.len() as u64);
    0
}

pub fn wget(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let gnu = sys.os.is_debian_family() || sys.resolve("wget").is_some_and(|p| matches!(super::identify(sys.fs, &p), super::Identity::Binary { ref label, .. } if label.starts_with("wget ")));
    let mut output: Option<String> = None;
    let mut quiet = false;
    let mut spider = false;
    let mut urls = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-O" | "--output-document" => output = iter.next().cloned(),
            "-q" | "--quiet" => quiet = true,
            "--spider" => spider = true,
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
    if let Some(reach) = inside::reach(sys, &host, port) {
        if reach != Reach::Outside {
            let request = WgetRequest { url: &url, host: &host, port, path: &path, gnu, quiet, spider, output: output.as_deref() };
            return wget_local(sys, io, &request, reach);
        }
    }
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
            io.err_line("wget: can't connect to remote host (127.0.0.1): Connection refused");
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

/// What a `wget` invocation asked for.
struct WgetRequest<'a> {
    url: &'a str,
    host: &'a str,
    port: u16,
    path: &'a str,
    gnu: bool,
    quiet: bool,
    spider: bool,
    output: Option<&'a str>,
}

/// wget against a name or address inside the container (or one it cannot reach).
fn wget_local(sys: &mut Sys, io: &mut Io, request: &WgetRequest, reach: Reach) -> i32 {
    let WgetRequest { url, host, port, gnu, quiet, .. } = *request;
    sys.elapsed += 3;
    // busybox names the host as the URL spelled it, port included when given.
    let authority = url.split_once("://").map_or(url, |(_, rest)| rest).split('/').next().unwrap_or(host);
    let stamp = inside::log_stamp(sys);
    let ip = match &reach {
        Reach::Refused { ip } | Reach::Http { ip, .. } | Reach::Raw { ip, .. } => ip.clone(),
        _ => String::new(),
    };
    if gnu && !quiet {
        io.err_line(&format!("--{stamp}--  {url}"));
    }
    match reach {
        Reach::Outside => 0,
        Reach::Unresolved => {
            if gnu {
                if !quiet {
                    io.err_line(&format!("Resolving {host} ({host})... failed: Name or service not known."));
                }
                io.err_line(&format!("wget: unable to resolve host address '{host}'"));
                return 4;
            }
            io.err_line(&format!("wget: bad address '{host}'"));
            1
        }
        Reach::Refused { .. } => {
            if gnu {
                if !quiet {
                    io.err_line(&format!("Connecting to {host} ({host})|{ip}|:{port}... failed: Connection refused."));
                }
                return 4;
            }
            if !quiet {
                io.err_line(&format!("Connecting to {authority} ({ip}:{port})"));
            }
            io.err_line(&format!("wget: can't connect to remote host ({ip}): Connection refused"));
            1
        }
        Reach::Raw { .. } => {
            if gnu {
                if !quiet {
                    io.err_line(&format!("Connecting to {host} ({host})|{ip}|:{port}... connected."));
                    io.err_line("HTTP request sent, awaiting response... No data received.");
                }
                return 4;
            }
            if !quiet {
                io.err_line(&format!("Connecting to {authority} ({ip}:{port})"));
            }
            io.err_line("wget: error getting response: Connection reset by peer");
            1
        }
        Reach::Http { service, .. } => wget_http(sys, io, request, &service, &ip, authority, &stamp),
    }
}

fn wget_http(sys: &mut Sys, io: &mut Io, request: &WgetRequest, service: &HttpService, ip: &str, authority: &str, stamp: &str) -> i32 {
    let WgetRequest { host, port, path, gnu, quiet, spider, output, .. } = *request;
    let own = serves_itself(sys, ip);
    let (status, body) = inside::http_answer_in(service, own.then_some(&*sys.fs), path);
    let reason = inside::reason(status);
    let kind = if body.trim_start().starts_with('{') { "application/json" } else { "text/html" };
    if !quiet {
        if gnu {
            io.err_line(&format!("Connecting to {host} ({host})|{ip}|:{port}... connected."));
            io.err_line(&format!("HTTP request sent, awaiting response... {status} {reason}"));
        } else {
            io.err_line(&format!("Connecting to {authority} ({ip}:{port})"));
        }
    }
    if status >= 400 {
        if gnu {
            io.err_line(&format!("{stamp} ERROR {status}: {reason}."));
            return 8;
        }
        io.err_line(&format!("wget: server returned error: HTTP/1.1 {status} {reason}"));
        return 1;
    }
    if spider {
        if !quiet {
            if gnu {
                io.err_line(&format!("Length: {} [{kind}]", body.len()));
                io.err_line("Remote file exists and could contain further links,");
                io.err_line("but recursion is disabled -- not retrieving.");
                io.err_line("");
            } else {
                io.err_line("remote file exists");
            }
        }
        return 0;
    }
    let size = body.len();
    let name = output.map(str::to_string).unwrap_or_else(|| {
        let n = file_name(path.split('?').next().unwrap_or(path));
        if n.is_empty() { "index.html".to_string() } else { n.to_string() }
    });
    if name == "-" {
        if !quiet && !gnu {
            io.err_line("writing to stdout");
        }
        super::sys::push_capped(&mut io.out, &body);
        if !quiet && !gnu {
            io.err_line(&format!("{:<20} 100% |********************************| {size:>6}  0:00:00 ETA", "-"));
            io.err_line("written to stdout");
        }
        return 0;
    }
    let dest = sys.abs(&name);
    let dir_exists = sys.fs.is_dir(crate::fs::parent(&dest));
    if !dir_exists || inside::read_only_denies(sys, &dest) {
        let why = if dir_exists { "Read-only file system" } else { "No such file or directory" };
        io.err_line(&if gnu { format!("{name}: {why}") } else { format!("wget: can't open '{name}': {why}") });
        return if gnu { 3 } else { 1 };
    }
    if !quiet {
        if gnu {
            io.err_line(&format!("Length: {size} [{kind}]"));
            io.err_line(&format!("Saving to: '{name}'"));
            io.err_line("");
            io.err_line(&format!("{stamp} (10.0 MB/s) - '{name}' saved [{size}/{size}]"));
            io.err_line("");
        } else {
            io.err_line(&format!("saving to '{name}'"));
            io.err_line(&format!("{name:<20} 100% |********************************| {size:>6}  0:00:00 ETA"));
            io.err_line(&format!("'{name}' saved"));
        }
    }
    sys.write_text(&dest, &body);
    0
}
