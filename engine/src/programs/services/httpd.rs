//! busybox `httpd`: the small web server the busybox image carries (`httpd -f -p 80 -h /www`),
//! serving the files under its home directory; without `-f` it daemonizes and the command returns.

use super::apps;
use super::{own_pid, tcp, Log, MIB};
use crate::programs::{HttpRoute, Io, MemoryCurve, Service, SignalResponse, Sys};

/// busybox's own page for a path it has no file for.
const NOT_FOUND: &str =
    "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n";

pub(crate) fn httpd(sys: &mut Sys, io: &mut Io, argv: &[String]) -> i32 {
    let mut foreground = false;
    let mut bind = "0.0.0.0".to_string();
    let mut port: u16 = 80;
    let mut home = sys.cwd.clone();
    let mut args = argv.iter().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-f" => foreground = true,
            "-v" | "-vv" => {}
            "-p" => {
                let value = args.next().cloned().unwrap_or_default();
                let (host, number) = value.rsplit_once(':').map_or((None, value.as_str()), |(h, p)| (Some(h), p));
                let Ok(number) = number.parse() else {
                    io.err_line(&format!("httpd: invalid number '{number}'"));
                    return 1;
                };
                port = number;
                if let Some(host) = host {
                    bind = apps::bind_address(host);
                }
            }
            "-h" => home = args.next().map(|dir| sys.abs(dir)).unwrap_or(home),
            other if other.starts_with('-') => {
                io.err_line(&format!("httpd: unrecognized option '{other}'"));
                return 1;
            }
            _ => {}
        }
    }
    if !sys.fs.is_dir(&home) {
        io.err_line(&format!("httpd: can't change directory to '{home}': No such file or directory"));
        return 1;
    }
    if !foreground {
        // The daemon forks away; as a container's main process it dies with the container.
        return 0;
    }
    let mut routes: Vec<HttpRoute> = Vec::new();
    let files: Vec<String> = sys.fs.children(&home).filter(|(_, node)| !node.is_dir()).map(|(name, _)| name.to_string()).collect();
    let prefix = home.trim_end_matches('/').to_string();
    for name in files {
        if let Some(text) = sys.read(&format!("{prefix}/{name}")) {
            if name == "index.html" {
                apps::add_route(&mut routes, apps::route("/", &text));
            }
            apps::add_route(&mut routes, apps::route(&format!("/{name}"), &text));
        }
    }
    if !routes.iter().any(|r| r.path == "/") {
        apps::add_route(&mut routes, HttpRoute { path: "/".into(), status: 404, body: NOT_FOUND.into() });
    }
    let pid = own_pid(sys);
    sys.serve(Service {
        program: "httpd".into(),
        log: Log::default().finish(),
        listens: vec![(0, tcp(&bind, port, "httpd", pid, Some(apps::http("busybox httpd", routes))))],
        memory: MemoryCurve::flat(MIB),
        cpu_millis: 0,
        // No handler: as PID 1 the kernel drops SIGTERM; `docker stop` waits and kills.
        on_term: SignalResponse::Default,
        on_interrupt: SignalResponse::Default,
        exits: None,
        children: Vec::new(),
        reads_terminal: false,
    });
    0
}
