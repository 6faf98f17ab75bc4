//! `cargo xtask serve`, and the small static file server the e2e tests and benchmarks use too.
//!
//! HTTP/1.1 GET and HEAD over `std::net`, one thread per connection, keep-alive. Paths are
//! percent-decoded and resolved segment by segment: `..` is refused, and the canonical result must
//! stay inside the served folder, so nothing outside `dist/` can be read.

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::dist;
use crate::tools::Tools;

/// Builds the site, then serves `dist/` on `127.0.0.1:port` until interrupted.
pub fn command(port: u16) -> Result<()> {
    let root = crate::workspace_root();
    let tools = Tools::locate()?;
    tools.ensure(&root)?;
    dist::build(&root, &tools)?;
    let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| {
        format!("cannot listen on 127.0.0.1:{port} (already in use? pick another with --port N)")
    })?;
    let addr = listener.local_addr()?;
    println!("\nServing dist/ at http://{addr}/   (Ctrl+C to stop)\n");
    serve(listener, &dist::dist_dir(&root), true)
}

/// Serves `dir` on a free loopback port in a background thread; returns `http://127.0.0.1:PORT`.
pub fn spawn(dir: &Path) -> Result<String> {
    let listener =
        TcpListener::bind(("127.0.0.1", 0)).context("cannot listen on a loopback port")?;
    let addr: SocketAddr = listener.local_addr()?;
    let dir = dir.to_path_buf();
    // Fail here, not in the thread, if the folder is missing.
    dir.canonicalize()
        .with_context(|| format!("cannot serve {}", dir.display()))?;
    thread::spawn(move || serve(listener, &dir, false));
    Ok(format!("http://{addr}"))
}

/// Accepts connections forever, each on its own thread.
pub fn serve(listener: TcpListener, dir: &Path, log: bool) -> Result<()> {
    let root = Arc::new(
        dir.canonicalize()
            .with_context(|| format!("cannot serve {}", dir.display()))?,
    );
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let root = Arc::clone(&root);
                thread::spawn(move || {
                    // A client that goes away mid-request is not our problem.
                    let _ = handle_connection(stream, &root, log);
                });
            }
            Err(error) => eprintln!("serve: accept failed: {error}"),
        }
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    target: String,
    keep_alive: bool,
}

fn handle_connection(stream: TcpStream, root: &Path, log: bool) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let request = match read_request(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                let response = Response::text(400, "Bad Request", "bad request\n");
                writer.write_all(&response.to_bytes(false, false))?;
                return Ok(());
            }
            Err(error) => return Err(error),
        };
        let response = respond(&request.method, &request.target, root);
        writer.write_all(&response.to_bytes(request.method == "HEAD", request.keep_alive))?;
        writer.flush()?;
        if log {
            eprintln!(
                "{} {} -> {}",
                request.method, request.target, response.status
            );
        }
        if !request.keep_alive {
            return Ok(());
        }
    }
}

const MAX_LINE: usize = 8 * 1024;
const MAX_HEADERS: usize = 100;

/// Reads one request head (and skips any body); `None` when the client closed the connection.
fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Request>> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.by_ref().take(MAX_LINE as u64).read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    let request_line = (method.to_string(), target.to_string(), version.to_string());
    let mut keep_alive = request_line.2 == "HTTP/1.1";
    let mut body_len = 0usize;
    for _ in 0..MAX_HEADERS {
        line.clear();
        if reader.by_ref().take(MAX_LINE as u64).read_line(&mut line)? == 0 {
            return Err(bad("connection closed inside the request head"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            if body_len > 0 {
                io::copy(&mut reader.by_ref().take(body_len as u64), &mut io::sink())?;
            }
            let (method, target, _) = request_line;
            return Ok(Some(Request {
                method,
                target,
                keep_alive,
            }));
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err(bad("malformed header"));
        };
        let (name, value) = (
            name.trim().to_ascii_lowercase(),
            value.trim().to_ascii_lowercase(),
        );
        match name.as_str() {
            "connection" if value == "close" => keep_alive = false,
            "connection" if value == "keep-alive" => keep_alive = true,
            "content-length" => body_len = value.parse().map_err(|_| bad("bad content-length"))?,
            _ => {}
        }
    }
    Err(bad("too many headers"))
}

struct Response {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, reason: &'static str, body: &str) -> Response {
        Response {
            status,
            reason,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
        }
    }

    fn to_bytes(&self, head_only: bool, keep_alive: bool) -> Vec<u8> {
        let mut bytes = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
             X-Content-Type-Options: nosniff\r\n{}Connection: {}\r\n\r\n",
            self.status,
            self.reason,
            self.content_type,
            self.body.len(),
            if self.status == 405 { "Allow: GET, HEAD\r\n" } else { "" },
            if keep_alive { "keep-alive" } else { "close" },
        )
        .into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
}

fn respond(method: &str, target: &str, root: &Path) -> Response {
    if method != "GET" && method != "HEAD" {
        return Response::text(405, "Method Not Allowed", "only GET and HEAD\n");
    }
    let not_found = || Response::text(404, "Not Found", "not found\n");
    let Some(path) = resolve(root, target) else {
        return not_found();
    };
    match fs::read(&path) {
        Ok(body) => Response {
            status: 200,
            reason: "OK",
            content_type: content_type(&path),
            body,
        },
        Err(_) => not_found(),
    }
}

/// The file under `root` (canonical) that `target` names, or `None` if it is outside or missing.
/// A folder means its `index.html`; the query string and fragment are ignored.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    let mut resolved = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['\\', '\0']) => return None,
            s => resolved.push(s),
        }
    }
    if resolved.is_dir() {
        resolved.push("index.html");
    }
    // A symlink could still point outside: compare canonical paths.
    let canonical = resolved.canonicalize().ok()?;
    (canonical.starts_with(root) && canonical.is_file()).then_some(canonical)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file, by extension. Browsers need `application/wasm` for streaming
/// compilation and a JavaScript type for module scripts.
fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh folder `site/` with a few files, and a `secret.txt` beside it (outside `site/`).
    fn site() -> PathBuf {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir().join(format!(
            "whalebox-xtask-serve-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&base);
        let site = base.join("site");
        fs::create_dir_all(site.join("docs")).unwrap();
        fs::write(
            site.join("index.html"),
            "<!doctype html><title>home</title>",
        )
        .unwrap();
        fs::write(site.join("app-1a2b_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        fs::write(site.join("app-1a2b.js"), "export default 1;").unwrap();
        fs::write(site.join("docs/index.html"), "docs home").unwrap();
        fs::write(site.join("a file.css"), "body{}").unwrap();
        fs::write(base.join("secret.txt"), "TOP SECRET").unwrap();
        site.canonicalize().unwrap()
    }

    fn get(base: &str, raw_request: &str) -> String {
        let addr = base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(raw_request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn content_types_for_what_trunk_emits() {
        assert_eq!(content_type(Path::new("app_bg.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("app.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style-9f.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("font.WOFF2")), "font/woff2");
        assert_eq!(
            content_type(Path::new("LICENSE")),
            "application/octet-stream"
        );
    }

    #[test]
    fn resolves_files_folders_and_queries() {
        let root = site();
        assert_eq!(resolve(&root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/?v=2#top"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/docs"), Some(root.join("docs/index.html")));
        assert_eq!(
            resolve(&root, "/app-1a2b_bg.wasm"),
            Some(root.join("app-1a2b_bg.wasm"))
        );
        assert_eq!(
            resolve(&root, "/a%20file.css"),
            Some(root.join("a file.css"))
        );
        assert_eq!(resolve(&root, "/missing.js"), None);
    }

    #[test]
    fn refuses_every_way_out_of_the_folder() {
        let root = site();
        assert!(root.parent().unwrap().join("secret.txt").is_file());
        for target in [
            "/../secret.txt",
            "/docs/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%5csecret.txt",
            "/%00",
            "/%zz",
            "secret.txt",
        ] {
            assert_eq!(resolve(&root, target), None, "{target}");
        }
    }

    #[test]
    fn serves_over_http_with_types_keep_alive_and_404s() {
        let root = site();
        let base = spawn(&root).unwrap();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");

        let index = get(
            &base,
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert!(index.starts_with("HTTP/1.1 200 OK\r\n"), "{index}");
        assert!(
            index.contains("Content-Type: text/html; charset=utf-8\r\n"),
            "{index}"
        );
        assert!(
            index.ends_with("<!doctype html><title>home</title>"),
            "{index}"
        );

        // Two requests on one connection; the second closes it, so read_to_string returns.
        let both = get(
            &base,
            "GET /app-1a2b_bg.wasm HTTP/1.1\r\nHost: x\r\n\r\nHEAD /app-1a2b.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert_eq!(both.matches("HTTP/1.1 200 OK").count(), 2, "{both}");
        assert!(
            both.contains("Content-Type: application/wasm\r\nContent-Length: 8\r\n"),
            "{both}"
        );
        assert!(
            both.contains("Content-Type: text/javascript; charset=utf-8\r\nContent-Length: 17\r\n"),
            "{both}"
        );
        assert!(!both.contains("export default"), "HEAD has no body: {both}");

        let escape = get(
            &base,
            "GET /../secret.txt HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        assert!(escape.starts_with("HTTP/1.1 404 Not Found\r\n"), "{escape}");
        assert!(!escape.contains("TOP SECRET"));

        let post = get(
            &base,
            "POST / HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
        );
        assert!(
            post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
            "{post}"
        );

        let garbage = get(&base, "HELLO\r\n\r\n");
        assert!(
            garbage.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{garbage}"
        );
    }
}
