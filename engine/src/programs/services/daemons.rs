//! The official images' servers: nginx, postgres and redis with their `docker-entrypoint.sh`
//! (the start-up lines, first-run initialisation, the user switch, then `exec "$@"`).

use super::apps;
use super::{epoch_at, exec_in_place, exit_on_signal, in_container, own_pid, stamp, tcp, Log, Stamp, MIB};
use crate::programs::{HttpRoute, Io, MemoryCurve, Service, Sys};

/// CPUs the simulated host has (`nproc`): nginx's `worker_processes auto`.
const HOST_CPUS: u32 = 4;

/// Whether the tree is Alpine's (musl builds print different compiler lines).
fn alpine(sys: &Sys) -> bool {
    sys.os.busybox_userland()
}

// ---------------------------------------------------------------------------------------------
// nginx

/// `/docker-entrypoint.sh nginx -g 'daemon off;'`: the configuration scripts' lines, then exec.
pub(super) fn nginx_entrypoint(sys: &mut Sys, io: &mut Io, argv: &[String]) -> i32 {
    let rest = argv.get(1..).unwrap_or_default();
    let first = rest.first().map(String::as_str).unwrap_or_default();
    let quiet = sys.env_var("NGINX_ENTRYPOINT_QUIET_LOGS").is_some_and(|v| !v.is_empty());
    if (first == "nginx" || first == "nginx-debug") && !quiet {
        let me = "/docker-entrypoint.sh";
        let default_conf = sys.read("/etc/nginx/conf.d/default.conf");
        let mut lines = vec![
            format!("{me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"),
            format!("{me}: Looking for shell scripts in /docker-entrypoint.d/"),
            format!("{me}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"),
        ];
        let ipv6 = "10-listen-on-ipv6-by-default.sh: info:";
        match default_conf {
            None => lines.push(format!("{ipv6} /etc/nginx/conf.d/default.conf is not a file or does not exist")),
            Some(text) if text.contains("server_name  localhost;") && text.contains("root   /usr/share/nginx/html;") => {
                lines.push(format!("{ipv6} Getting the checksum of /etc/nginx/conf.d/default.conf"));
                lines.push(format!("{ipv6} Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf"));
            }
            Some(_) => {
                lines.push(format!("{ipv6} Getting the checksum of /etc/nginx/conf.d/default.conf"));
                lines.push(format!("{ipv6} /etc/nginx/conf.d/default.conf differs from the packaged version"));
            }
        }
        lines.push(format!("{me}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh"));
        lines.push(format!("{me}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"));
        lines.push(format!("{me}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"));
        lines.push(format!("{me}: Configuration complete; ready for start up"));
        for line in lines {
            io.out_line(&line);
            sys.elapsed += 4;
            io.stamp(sys.elapsed);
        }
    }
    exec_in_place(sys, io, "/docker-entrypoint.sh", rest)
}

/// What nginx's configuration says, after following `include`s.
#[derive(Debug, Default)]
struct NginxConf {
    daemon_off: bool,
    user: Option<(String, u32)>,
    workers: Option<u32>,
    /// `(address, port)` from `listen` directives.
    listens: Vec<(String, u16)>,
    server_blocks: u32,
    root: Option<String>,
    /// `location` paths with `return 200 'text'`.
    returns: Vec<(String, String)>,
}

/// Reads and checks the configuration at `path`; `Err` holds nginx's `[emerg]` message.
fn nginx_conf(sys: &Sys, path: &str) -> Result<NginxConf, String> {
    let mut conf = NginxConf::default();
    let mut files = vec![path.to_string()];
    let mut index = 0;
    while let Some(file) = files.get(index).cloned() {
        index += 1;
        if index > 64 {
            break;
        }
        let Some(text) = sys.read(&file) else {
            return Err(format!("open() \"{file}\" failed (2: No such file or directory)"));
        };
        let mut depth: i32 = 0;
        let mut location: Option<String> = None;
        for (number, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            let number = number + 1;
            let words: Vec<&str> = line.trim_end_matches([';', '{']).split_whitespace().collect();
            match words.first().copied() {
                Some("include") => {
                    if let Some(pattern) = words.get(1) {
                        let pattern = if pattern.starts_with('/') { pattern.to_string() } else { format!("/etc/nginx/{pattern}") };
                        match pattern.split_once('*') {
                            Some((prefix, suffix)) => {
                                let dir = crate::fs::parent(prefix).to_string();
                                let start = crate::fs::file_name(prefix).to_string();
                                let mut found: Vec<String> = sys
                                    .fs
                                    .children(&dir)
                                    .filter(|(name, node)| !node.is_dir() && name.starts_with(&start) && name.ends_with(suffix))
                                    .map(|(name, _)| format!("{}/{name}", dir.trim_end_matches('/')))
                                    .collect();
                                found.sort();
                                files.extend(found.into_iter().filter(|f| !f.ends_with("mime.types")));
                            }
                            None if !pattern.ends_with("mime.types") => files.push(pattern),
                            None => {}
                        }
                    }
                }
                Some("daemon") if words.get(1) == Some(&"off") => conf.daemon_off = true,
                Some("user") => {
                    if let Some(name) = words.get(1) {
                        conf.user = Some((name.to_string(), number as u32));
                    }
                }
                Some("worker_processes") => conf.workers = words.get(1).and_then(|w| w.parse().ok()),
                Some("server") if line.ends_with('{') => conf.server_blocks += 1,
                Some("listen") => {
                    if let Some(spec) = words.get(1) {
                        if let Some(listen) = parse_listen(spec) {
                            if !conf.listens.contains(&listen) {
                                conf.listens.push(listen);
                            }
                        }
                    }
                }
                Some("root") => {
                    if let Some(dir) = words.get(1) {
                        if conf.root.is_none() || location.as_deref() == Some("/") {
                            conf.root = Some(dir.to_string());
                        }
                    }
                }
                Some("location") => {
                    location = words.iter().skip(1).find(|w| **w != "=" && **w != "^~").map(|w| w.to_string());
                }
                Some("return") => {
                    if let (Some(path), Some("200")) = (location.clone(), words.get(1).copied()) {
                        let body = line.split_once("200").map(|(_, b)| b.trim().trim_end_matches(';').trim()).unwrap_or_default();
                        let body = apps::string_literal(body).unwrap_or_else(|| body.to_string());
                        conf.returns.push((path, body));
                    }
                }
                _ => {}
            }
            if !line.is_empty() && !line.ends_with([';', '{', '}']) && words.first().is_some_and(|w| !w.starts_with('}')) && !line.starts_with("location") && !line.starts_with("server") {
                // A directive that runs into the next line: nginx reads on to the next `;`.
                let next = text.lines().nth(number).unwrap_or_default().trim();
                if next.ends_with('}') || next.is_empty() {
                    return Err(format!("directive \"{}\" is not terminated by \";\" in {file}:{number}", words.first().unwrap_or(&"")));
                }
            }
            for c in line.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        location = None;
                        if depth < 0 {
                            return Err(format!("unexpected \"}}\" in {file}:{number}"));
                        }
                    }
                    _ => {}
                }
            }
        }
        if depth > 0 {
            let last = text.lines().count().max(1);
            return Err(format!("unexpected end of file, expecting \"}}\" in {file}:{last}"));
        }
    }
    if conf.listens.is_empty() && conf.server_blocks > 0 {
        conf.listens.push(("0.0.0.0".into(), 80));
    }
    Ok(conf)
}

/// `80`, `8080 default_server`, `[::]:80`, `127.0.0.1:8080`, `*:80` → `(address, port)`.
fn parse_listen(spec: &str) -> Option<(String, u16)> {
    if let Some(rest) = spec.strip_prefix('[') {
        let (address, port) = rest.split_once("]:")?;
        return Some((address.to_string(), port.parse().ok()?));
    }
    match spec.rsplit_once(':') {
        Some((address, port)) => Some((apps::bind_address(address), port.parse().ok()?)),
        None => Some(("0.0.0.0".into(), spec.parse().ok()?)),
    }
}

/// The `nginx` binary: `-v`, `-V`, `-t` anywhere; in a container it serves (or, without
/// `daemon off;`, forks into the background and exits, which stops the container).
pub(super) fn nginx(sys: &mut Sys, io: &mut Io, label: &str, argv: &[String]) -> Option<i32> {
    let version = label.split(' ').nth(1).filter(|v| v.starts_with(|c: char| c.is_ascii_digit())).unwrap_or("1.25.4").to_string();
    let args = argv.get(1..).unwrap_or_default();
    let mut config = "/etc/nginx/nginx.conf".to_string();
    let mut globals = String::new();
    let mut test = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-v" => {
                io.err_line(&format!("nginx version: nginx/{version}"));
                return Some(0);
            }
            "-V" => {
                io.err_line(&format!("nginx version: nginx/{version}"));
                io.err_line(&format!("built by {}", compiler(sys)));
                io.err_line("built with OpenSSL 3.0.11 19 Sep 2023");
                io.err_line("TLS SNI support enabled");
                io.err_line("configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --conf-path=/etc/nginx/nginx.conf --user=nginx --group=nginx --with-http_ssl_module --with-http_v2_module");
                return Some(0);
            }
            "-t" | "-T" => test = true,
            "-c" => config = iter.next().map(|c| sys.abs(c)).unwrap_or(config),
            "-g" => globals = iter.next().cloned().unwrap_or_default(),
            "-s" => return None,
            _ => {}
        }
    }
    let parsed = nginx_conf(sys, &config);
    if test {
        match parsed {
            Ok(_) => {
                io.err_line(&format!("nginx: the configuration file {config} syntax is ok"));
                io.err_line(&format!("nginx: configuration file {config} test is successful"));
                return Some(0);
            }
            Err(message) => {
                io.err_line(&format!("nginx: [emerg] {message}"));
                io.err_line(&format!("nginx: configuration file {config} test failed"));
                return Some(1);
            }
        }
    }
    if !in_container(sys) {
        return None;
    }
    let pid = own_pid(sys);
    let time = stamp(Stamp::Nginx, epoch_at(sys, 0));
    let conf = match parsed {
        Ok(conf) => conf,
        Err(message) => {
            io.err_line(&format!("{time} [emerg] {pid}#{pid}: {message}"));
            io.err_line(&format!("nginx: [emerg] {message}"));
            return Some(1);
        }
    };
    if sys.uid != 0 {
        if let Some((_, line)) = &conf.user {
            let warn = format!("the \"user\" directive makes sense only if the master process runs with super-user privileges, ignored in {config}:{line}");
            io.err_line(&format!("{time} [warn] {pid}#{pid}: {warn}"));
            io.err_line(&format!("nginx: [warn] {warn}"));
        }
        let cache = if sys.fs.exists("/var/cache/nginx") { "/var/cache/nginx" } else { "/var/cache" };
        if !sys.can_write(cache) {
            let message = "mkdir() \"/var/cache/nginx/client_temp\" failed (13: Permission denied)";
            io.err_line(&format!("{time} [emerg] {pid}#{pid}: {message}"));
            io.err_line(&format!("nginx: [emerg] {message}"));
            return Some(1);
        }
    }
    let mut log = Log::default();
    let notice = |text: &str| format!("{time} [notice] {pid}#{pid}: {text}");
    log.err(0, notice("using the \"epoll\" event method"));
    log.err(0, notice(&format!("nginx/{version}")));
    log.err(0, notice(&format!("built by {}", compiler(sys))));
    log.err(0, notice("OS: Linux 6.8.0-60-generic"));
    log.err(0, notice("getrlimit(RLIMIT_NOFILE): 1048576:1048576"));
    let daemon_off = conf.daemon_off || globals.replace(' ', "").contains("daemonoff;");
    if !daemon_off {
        // The master forks into the background and the foreground process exits: the container's
        // main process is gone, so the container stops.
        for line in log.finish() {
            io.err_line(&line.text);
        }
        sys.elapsed += 5;
        return Some(0);
    }
    log.err(1, notice("start worker processes"));
    let workers = conf.workers.unwrap_or(HOST_CPUS).clamp(1, 64);
    let first_worker = if pid == 1 { 29 } else { pid + 22 };
    let worker_user = match &conf.user {
        Some((name, _)) if sys.uid == 0 => name.clone(),
        Some(_) => sys.user_name.clone(),
        None if sys.uid == 0 => "nobody".into(),
        None => sys.user_name.clone(),
    };
    let mut children = Vec::new();
    for n in 0..workers {
        log.err(1, notice(&format!("start worker process {}", first_worker + n)));
        children.push(("nginx: worker process".to_string(), worker_user.clone(), 2 * MIB + 512 * 1024));
    }
    let routes = nginx_routes(sys, &conf);
    let server = format!("nginx/{version}");
    let mut site = apps::http(&server, routes);
    site.docroot = Some(nginx_docroot(sys, &conf));
    let listens = conf.listens.iter().map(|(address, port)| (3, tcp(address, *port, "nginx", pid, Some(site.clone())))).collect();
    let shutdown = |signal: &str| {
        let mut lines = Log::default();
        let note = |who: u32, text: &str| format!("{{{{time:nginx}}}} [notice] {who}#{who}: {text}");
        lines.err(0, note(pid, &format!("signal {signal} received, exiting")));
        for n in 0..workers {
            let worker = first_worker + n;
            lines.err(1, note(worker, "exiting"));
            lines.err(1, note(worker, "exit"));
        }
        for n in 0..workers {
            let worker = first_worker + n;
            lines.err(2, note(pid, &format!("signal 17 (SIGCHLD) received from {worker}")));
            lines.err(2, note(pid, &format!("worker process {worker} exited with code 0")));
        }
        lines.err(3, note(pid, "exit"));
        exit_on_signal(3, 0, lines.finish())
    };
    sys.serve(Service {
        program: "nginx".into(),
        log: log.finish(),
        listens,
        memory: MemoryCurve::flat(3 * MIB + 700 * 1024),
        cpu_millis: 0,
        on_term: shutdown("{{signal}}"),
        on_interrupt: shutdown("2 (SIGINT)"),
        exits: None,
        children,
        reads_terminal: false,
    });
    Some(0)
}

fn compiler(sys: &Sys) -> String {
    if alpine(sys) {
        "gcc 13.2.1 20231014 (Alpine 13.2.1_git20231014)".into()
    } else if sys.os.codename == "bullseye" {
        "gcc 10.2.1 20210110 (Debian 10.2.1-6)".into()
    } else {
        "gcc 12.2.0 (Debian 12.2.0-14)".into()
    }
}

/// The files nginx serves: `/` is the root's `index.html` (403 without one), each text file
/// under the root is its path, and `return 200 '…'` locations answer their text.
/// The directory nginx serves files from, symlinks followed.
fn nginx_docroot(sys: &Sys, conf: &NginxConf) -> String {
    let root = conf.root.clone().unwrap_or_else(|| "/usr/share/nginx/html".into());
    sys.real_path(&if root.starts_with('/') { root } else { format!("/etc/nginx/{root}") })
}

fn nginx_routes(sys: &Sys, conf: &NginxConf) -> Vec<HttpRoute> {
    let mut routes = Vec::new();
    for (path, body) in &conf.returns {
        apps::add_route(&mut routes, apps::route(path, body));
    }
    let root = nginx_docroot(sys, conf);
    match sys.read(&format!("{root}/index.html")) {
        Some(index) => apps::add_route(&mut routes, apps::route("/", &index)),
        None => routes.push(HttpRoute {
            path: "/".into(),
            status: 403,
            body: "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n".into(),
        }),
    }
    let files: Vec<(String, String)> = sys
        .fs
        .descendants(&root)
        .filter_map(|(path, node)| match node {
            crate::fs::Node::File { content: crate::fs::Content::Text(text), .. } => Some((path.clone(), text.clone())),
            _ => None,
        })
        .take(48)
        .collect();
    for (path, text) in files {
        if let Some(relative) = path.strip_prefix(&root) {
            apps::add_route(&mut routes, apps::route(relative, &text));
        }
    }
    routes
}

// ---------------------------------------------------------------------------------------------
// postgres

fn postgres_version(sys: &Sys) -> String {
    if let Some(version) = sys.env_var("PG_VERSION") {
        return version.split('-').next().unwrap_or(version).to_string();
    }
    let found = sys.resolve("postgres").map(|p| crate::programs::identify(sys.fs, &p));
    match found {
        Some(crate::programs::Identity::Binary { label, .. }) => label.split(' ').nth(1).unwrap_or("16.2").to_string(),
        _ => "16.2".into(),
    }
}

/// `PostgreSQL 16.2 (Debian 16.2-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by …`.
fn postgres_banner(sys: &Sys, version: &str) -> String {
    if alpine(sys) {
        format!("PostgreSQL {version} on x86_64-pc-linux-musl, compiled by gcc (Alpine 13.2.1_git20231014) 13.2.1 20231014, 64-bit")
    } else if sys.os.codename == "bullseye" {
        format!("PostgreSQL {version} (Debian {version}-1.pgdg110+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 10.2.1-6) 10.2.1 20210110, 64-bit")
    } else {
        format!("PostgreSQL {version} (Debian {version}-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit")
    }
}

/// `docker-entrypoint.sh postgres`: refuses to initialise without a password, initialises an
/// empty `PGDATA` (files a volume keeps), then runs the server as `postgres`.
pub(super) fn postgres_entrypoint(sys: &mut Sys, io: &mut Io, argv: &[String]) -> i32 {
    let mut rest: Vec<String> = argv.get(1..).unwrap_or_default().to_vec();
    if rest.first().is_some_and(|a| a.starts_with('-')) {
        rest.insert(0, "postgres".into());
    }
    if rest.first().map(String::as_str) != Some("postgres") || !in_container(sys) {
        return exec_in_place(sys, io, "/usr/local/bin/docker-entrypoint.sh", &rest);
    }
    let data = sys.env_var("PGDATA").unwrap_or("/var/lib/postgresql/data").to_string();
    let initialised = sys.fs.exists(&format!("{data}/PG_VERSION"));
    let password = sys.env_var("POSTGRES_PASSWORD").is_some_and(|p| !p.is_empty())
        || sys.env_var("POSTGRES_PASSWORD_FILE").is_some_and(|f| sys.fs.exists(f));
    let trust = sys.env_var("POSTGRES_HOST_AUTH_METHOD") == Some("trust");
    if !initialised && !password && !trust {
        for line in [
            "Error: Database is uninitialized and superuser password is not specified.",
            "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
            "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".",
            "",
            "       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all",
            "       connections without a password. This is *not* recommended.",
            "",
            "       See PostgreSQL documentation about \"trust\":",
            "       https://www.postgresql.org/docs/current/auth-trust.html",
        ] {
            io.err_line(line);
        }
        sys.elapsed += 30;
        return 1;
    }
    if sys.uid == 0 {
        // `exec gosu postgres "$BASH_SOURCE" "$@"`
        let _ = sys.set_user("postgres");
    }
    let version = postgres_version(sys);
    let banner = postgres_banner(sys, &version);
    let mut log = Log::default();
    let pg = |sys: &Sys, at: u64, pid: u32, text: &str| format!("{} [{pid}] {text}", stamp(Stamp::Postgres, epoch_at(sys, at)));
    let mut at = 0;
    if initialised {
        log.out(0, "");
        log.out(0, "PostgreSQL Database directory appears to contain a database; Skipping initialization");
        log.out(0, "");
    } else {
        let major = version.split('.').next().unwrap_or("16").to_string();
        let locale = "en_US.utf8";
        for line in [
            "The files belonging to this database system will be owned by user \"postgres\".".to_string(),
            "This user must also own the server process.".into(),
            "".into(),
            format!("The database cluster will be initialized with locale \"{locale}\"."),
            "The default database encoding has accordingly been set to \"UTF8\".".into(),
            "The default text search configuration will be set to \"english\".".into(),
            "".into(),
            "Data page checksums are disabled.".into(),
            "".into(),
            format!("fixing permissions on existing directory {data} ... ok"),
            "creating subdirectories ... ok".into(),
            "selecting dynamic shared memory implementation ... posix".into(),
            "selecting default max_connections ... 100".into(),
            "selecting default shared_buffers ... 128MB".into(),
            "selecting default time zone ... Etc/UTC".into(),
            "creating configuration files ... ok".into(),
        ] {
            log.out(at, line);
            at += 10;
        }
        at += 400;
        log.out(at, "running bootstrap script ... ok");
        at += 900;
        log.out(at, "performing post-bootstrap initialization ... ok");
        at += 300;
        for line in [
            "syncing data to disk ... ok".to_string(),
            "".into(),
            "".into(),
            "Success. You can now start the database server using:".into(),
            "".into(),
            format!("    pg_ctl -D {data} -l logfile start"),
            "".into(),
        ] {
            log.out(at, line);
        }
        log.err(at, "initdb: warning: enabling \"trust\" authentication for local connections");
        log.err(at, "initdb: hint: You can change this by editing pg_hba.conf or using the option -A, or --auth-local and --auth-host, the next time you run initdb.");
        at += 20;
        log.out(at, "waiting for server to start.... done");
        log.err(at, pg(sys, at, 48, &format!("LOG:  starting {banner}")));
        log.err(at, pg(sys, at, 48, "LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\""));
        log.err(at + 5, pg(sys, at + 5, 51, &format!("LOG:  database system was shut down at {}", stamp(Stamp::Postgres, epoch_at(sys, at)).replace(".000 UTC", " UTC"))));
        at += 120;
        log.err(at, pg(sys, at, 48, "LOG:  database system is ready to accept connections"));
        log.out(at, "server started");
        let db = sys.env_var("POSTGRES_DB").filter(|d| !d.is_empty()).map(str::to_string);
        let user = sys.env_var("POSTGRES_USER").filter(|u| !u.is_empty()).unwrap_or("postgres").to_string();
        if db.as_ref().is_some_and(|d| *d != user) {
            at += 40;
            log.out(at, "CREATE DATABASE");
        }
        log.out(at, "");
        at += 30;
        for line in initdb_scripts(sys) {
            log.out(at, line);
            at += 20;
        }
        log.out(at, "");
        at += 10;
        log.out(at, "waiting for server to shut down... done");
        log.err(at, pg(sys, at, 48, "LOG:  received fast shutdown request"));
        log.err(at, pg(sys, at, 48, "LOG:  aborting any active transactions"));
        log.err(at, pg(sys, at, 48, "LOG:  background worker \"logical replication launcher\" (PID 54) exited with exit code 1"));
        log.err(at, pg(sys, at, 49, "LOG:  shutting down"));
        log.err(at, pg(sys, at, 49, "LOG:  checkpoint starting: shutdown immediate"));
        at += 350;
        log.err(at, pg(sys, at, 49, "LOG:  checkpoint complete: wrote 926 buffers (5.7%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.016 s, sync=0.315 s, total=0.352 s; sync files=301, longest=0.006 s, average=0.002 s; distance=4273 kB, estimate=4273 kB; lsn=0/1912138, redo lsn=0/1912138"));
        log.err(at, pg(sys, at, 48, "LOG:  database system is shut down"));
        log.out(at, "server stopped");
        log.out(at, "");
        log.out(at, "PostgreSQL init process complete; ready for start up.");
        log.out(at, "");
        at += 600;
        sys.mkdir_all(&data);
        sys.write_text(&format!("{data}/PG_VERSION"), &format!("{major}\n"));
        sys.write_text(&format!("{data}/postgresql.conf"), "listen_addresses = '*'\nmax_connections = 100\nshared_buffers = 128MB\n");
        sys.write_text(&format!("{data}/pg_hba.conf"), "local all all trust\nhost all all all scram-sha-256\n");
        sys.write_blob(&format!("{data}/base/1/pg_catalog"), "postgres cluster files", 39_000_000, false);
        sys.write_blob(&format!("{data}/pg_wal/000000010000000000000001"), "postgres WAL segment", 16 * MIB, false);
    }
    let pid = own_pid(sys);
    log.err(at, pg(sys, at, pid, &format!("LOG:  starting {banner}")));
    log.err(at, pg(sys, at, pid, "LOG:  listening on IPv4 address \"0.0.0.0\", port 5432"));
    log.err(at, pg(sys, at, pid, "LOG:  listening on IPv6 address \"::\", port 5432"));
    log.err(at, pg(sys, at, pid, "LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\""));
    at += 8;
    log.err(at, pg(sys, at, 62, &format!("LOG:  database system was shut down at {}", stamp(Stamp::Postgres, epoch_at(sys, at.saturating_sub(600))).replace(".000 UTC", " UTC"))));
    at += 12;
    log.err(at, pg(sys, at, pid, "LOG:  database system is ready to accept connections"));
    let user = sys.user_name.clone();
    let shutdown = |request: &str, extra: &[&str]| {
        let mut lines = Log::default();
        let line = |who: u32, text: &str| format!("{{{{time:postgres}}}} [{who}] {text}");
        lines.err(0, line(pid, &format!("LOG:  received {request} shutdown request")));
        for text in extra {
            lines.err(0, line(pid, text));
        }
        lines.err(1, line(pid, "LOG:  background worker \"logical replication launcher\" (PID 68) exited with exit code 1"));
        lines.err(2, line(63, "LOG:  shutting down"));
        lines.err(2, line(63, "LOG:  checkpoint starting: shutdown immediate"));
        lines.err(40, line(63, "LOG:  checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.003 s, sync=0.002 s, total=0.012 s; sync files=2, longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB; lsn=0/1912210, redo lsn=0/1912210"));
        lines.err(45, line(pid, "LOG:  database system is shut down"));
        exit_on_signal(45, 0, lines.finish())
    };
    let children = ["checkpointer", "background writer", "walwriter", "autovacuum launcher", "logical replication launcher"]
        .iter()
        .map(|name| (format!("postgres: {name} "), user.clone(), 2 * MIB + 300 * 1024))
        .collect();
    let ready = at;
    sys.serve(Service {
        program: "postgres".into(),
        log: log.finish(),
        listens: vec![(ready, tcp("0.0.0.0", 5432, "postgres", pid, None)), (ready, tcp("::", 5432, "postgres", pid, None))],
        memory: MemoryCurve::flat(19 * MIB),
        cpu_millis: 2,
        on_term: shutdown("smart", &[]),
        on_interrupt: shutdown("fast", &["LOG:  aborting any active transactions"]),
        exits: None,
        children,
        reads_terminal: false,
    });
    0
}

/// The entrypoint's lines for `/docker-entrypoint-initdb.d/*` (each `.sql` statement's tag).
fn initdb_scripts(sys: &Sys) -> Vec<String> {
    let me = "/usr/local/bin/docker-entrypoint.sh";
    let dir = "/docker-entrypoint-initdb.d";
    let mut files: Vec<(String, String)> = sys
        .fs
        .children(dir)
        .filter(|(_, node)| !node.is_dir())
        .map(|(name, _)| (name.to_string(), sys.read(&format!("{dir}/{name}")).unwrap_or_default()))
        .collect();
    files.sort();
    if files.is_empty() {
        return vec![format!("{me}: ignoring {dir}/*")];
    }
    let mut lines = Vec::new();
    for (name, text) in files {
        if name.ends_with(".sql") || name.ends_with(".sh") || name.ends_with(".sql.gz") {
            lines.push(format!("{me}: running {dir}/{name}"));
        } else {
            lines.push(format!("{me}: ignoring {dir}/{name}"));
            continue;
        }
        if name.ends_with(".sql") {
            for statement in text.split(';') {
                let words: Vec<String> = statement
                    .lines()
                    .map(|l| l.split("--").next().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .take(3)
                    .map(|w| w.to_ascii_uppercase())
                    .collect();
                let tag = match words.first().map(String::as_str) {
                    Some("INSERT") => Some("INSERT 0 1".to_string()),
                    Some("CREATE" | "ALTER" | "DROP") => {
                        let kind = words.get(1).cloned().unwrap_or_default();
                        let kind = if kind == "UNIQUE" || kind == "OR" { words.get(2).cloned().unwrap_or_default() } else { kind };
                        Some(format!("{} {kind}", words.first().cloned().unwrap_or_default()))
                    }
                    Some(word @ ("GRANT" | "REVOKE" | "COMMENT")) => Some(word.to_string()),
                    _ => None,
                };
                lines.extend(tag);
            }
        }
        lines.push(String::new());
    }
    lines
}

/// The `postgres` binary run directly (`docker run postgres postgres` skips nothing: the
/// entrypoint handles that); as root it refuses, as the real one does.
pub(super) fn postgres(sys: &mut Sys, io: &mut Io, label: &str, argv: &[String]) -> Option<i32> {
    let args = argv.get(1..).unwrap_or_default();
    if args.iter().any(|a| a == "--version" || a == "-V") {
        let version = label.split(' ').nth(1).unwrap_or("16.2");
        io.out_line(&format!("postgres (PostgreSQL) {version}"));
        return Some(0);
    }
    if !in_container(sys) {
        return None;
    }
    if sys.uid == 0 {
        io.err_line("\"root\" execution of the PostgreSQL server is not permitted.");
        io.err_line("The server must be started under an unprivileged user ID to prevent");
        io.err_line("possible system security compromise.  See the documentation for");
        io.err_line("more information on how to properly start the server.");
        return Some(1);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// redis

/// `docker-entrypoint.sh redis-server …`: options become `redis-server` arguments, root steps
/// down to `redis`, then exec.
pub(super) fn redis_entrypoint(sys: &mut Sys, io: &mut Io, argv: &[String]) -> i32 {
    let mut rest: Vec<String> = argv.get(1..).unwrap_or_default().to_vec();
    if rest.first().is_some_and(|a| a.starts_with('-') || a.ends_with(".conf")) {
        rest.insert(0, "redis-server".into());
    }
    if rest.first().map(String::as_str) == Some("redis-server") && sys.uid == 0 {
        let _ = sys.set_user("redis");
    }
    exec_in_place(sys, io, "/usr/local/bin/docker-entrypoint.sh", &rest)
}

pub(super) fn redis(sys: &mut Sys, io: &mut Io, label: &str, argv: &[String]) -> Option<i32> {
    let version = label.split(' ').nth(1).filter(|v| v.starts_with(|c: char| c.is_ascii_digit())).unwrap_or("7.2.4").to_string();
    let args = argv.get(1..).unwrap_or_default();
    if args.iter().any(|a| a == "--version" || a == "-v") {
        io.out_line(&format!("Redis server v={version} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=d2c8a4b91e8c0e6a"));
        return Some(0);
    }
    if !in_container(sys) {
        return None;
    }
    let mut port: u16 = 6379;
    let mut binds: Vec<String> = Vec::new();
    let mut config: Option<String> = None;
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.next() {
        if let Some(option) = arg.strip_prefix("--") {
            let value = iter.next_if(|v| !v.starts_with("--")).cloned().unwrap_or_default();
            match option {
                "port" => port = value.parse().unwrap_or(port),
                "bind" => binds = value.split_whitespace().map(str::to_string).collect(),
                _ => {}
            }
        } else if config.is_none() {
            config = Some(arg.clone());
        }
    }
    let pid = own_pid(sys);
    let time = |sys: &Sys, at: u64| stamp(Stamp::Redis, epoch_at(sys, at));
    if let Some(file) = &config {
        let path = sys.abs(file);
        let Some(text) = sys.read(&path) else {
            io.err_line(&format!("{pid}:C {} # Fatal error, can't open config file '{path}': No such file or directory", time(sys, 0)));
            return Some(1);
        };
        for line in text.lines() {
            let words: Vec<&str> = line.split('#').next().unwrap_or_default().split_whitespace().collect();
            match words.first().copied() {
                Some("port") => port = words.get(1).and_then(|p| p.parse().ok()).unwrap_or(port),
                Some("bind") => binds = words.iter().skip(1).map(|w| w.to_string()).collect(),
                _ => {}
            }
        }
    }
    let mut log = Log::default();
    log.out(0, format!("{pid}:C {} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", time(sys, 0)));
    log.out(0, format!("{pid}:C {} * Redis version={version}, bits=64, commit=00000000, modified=0, pid={pid}, just started", time(sys, 0)));
    match &config {
        Some(_) => log.out(0, format!("{pid}:C {} * Configuration loaded", time(sys, 0))),
        None => log.out(0, format!("{pid}:C {} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf", time(sys, 0))),
    }
    log.out(1, format!("{pid}:M {} * monotonic clock: POSIX clock_gettime", time(sys, 1)));
    log.out(1, format!("{pid}:M {} * Running mode=standalone, port={port}.", time(sys, 1)));
    log.out(2, format!("{pid}:M {} * Server initialized", time(sys, 2)));
    if sys.fs.exists(&format!("{}/dump.rdb", sys.cwd.trim_end_matches('/'))) {
        log.out(3, format!("{pid}:M {} * Loading RDB produced by version {version}", time(sys, 3)));
        log.out(4, format!("{pid}:M {} * Done loading RDB, keys loaded: 0, keys expired: 0.", time(sys, 4)));
        log.out(4, format!("{pid}:M {} * DB loaded from disk: 0.001 seconds", time(sys, 4)));
    }
    log.out(100, format!("{pid}:M {} * Ready to accept connections tcp", time(sys, 100)));
    let addresses: Vec<String> = if binds.is_empty() {
        vec!["0.0.0.0".into(), "::".into()]
    } else {
        binds.iter().map(|b| apps::bind_address(b.trim_start_matches('-'))).filter(|b| b != "::1").collect()
    };
    let listens = addresses.iter().map(|a| (100, tcp(a, port, "redis-server", pid, None))).collect();
    let shutdown = |signal: &str| {
        let mut lines = Log::default();
        lines.out(0, format!("{pid}:signal-handler ({{{{unix}}}}) Received {signal} scheduling shutdown..."));
        lines.out(50, format!("{pid}:M {{{{time:redis}}}} * User requested shutdown..."));
        lines.out(50, format!("{pid}:M {{{{time:redis}}}} * Saving the final RDB snapshot before exiting."));
        lines.out(55, format!("{pid}:M {{{{time:redis}}}} * DB saved on disk"));
        lines.out(55, format!("{pid}:M {{{{time:redis}}}} # Redis is now ready to exit, bye bye..."));
        exit_on_signal(55, 0, lines.finish())
    };
    sys.serve(Service {
        program: "redis-server".into(),
        log: log.finish(),
        listens,
        memory: MemoryCurve::flat(3 * MIB + 800 * 1024),
        cpu_millis: 3,
        on_term: shutdown("SIGTERM"),
        on_interrupt: shutdown("SIGINT"),
        exits: None,
        children: Vec::new(),
        reads_terminal: false,
    });
    Some(0)
}
