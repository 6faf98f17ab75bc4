//! Long-running programs as a container runs them: what they log, where they listen, how they
//! answer signals, and the start-up crashes the guides describe.

use super::render_signal_line;
use crate::fs::{FileTree, Meta, Node};
use crate::programs::testing::{alpine, container, debian, golang, node_alpine, run_in_container, run_sh};
use crate::programs::{ProgramRun, ServiceStart, SignalResponse};

fn service(run: &ProgramRun) -> &ServiceStart {
    run.service.as_ref().unwrap_or_else(|| panic!("no service: {:?} {:?}", run.stdout, run.stderr))
}

fn log_text(start: &ServiceStart) -> Vec<String> {
    start.service.log.iter().map(|l| l.text.clone()).collect()
}

fn listens(start: &ServiceStart) -> Vec<(String, u16)> {
    start.service.listens.iter().map(|(_, l)| (l.address.clone(), l.port)).collect()
}

fn body(start: &ServiceStart, path: &str) -> Option<String> {
    start.service.listens.iter().find_map(|(_, l)| l.http.as_ref()?.routes.iter().find(|r| r.path == path).map(|r| r.body.clone()))
}

#[test]
fn waits_serve_only_in_containers() {
    let mut tree = debian();
    let run = run_in_container(&mut tree, "/", &[], &["sleep", "infinity"], container());
    let start = service(&run);
    assert!(start.is_pid1);
    assert_eq!(start.service.program, "sleep");
    assert_eq!(start.service.on_term, SignalResponse::Default);
    assert_eq!(start.service.exits, None);
    let run = run_in_container(&mut tree, "/", &[], &["sleep", "7200"], container());
    assert_eq!(service(&run).service.exits, Some((7_200_000, 0)));
    let run = run_in_container(&mut tree, "/", &[], &["sleep", "5"], container());
    assert!(run.service.is_none());
    assert!((5_000..5_100).contains(&run.duration), "{}", run.duration);
    // A build step's `sleep infinity` keeps its old behaviour.
    let run = run_sh(&mut tree, "/", "sleep infinity");
    assert!(run.service.is_none());
    let run = run_in_container(&mut tree, "/", &[], &["tail", "-f", "/dev/null"], container());
    assert_eq!(service(&run).service.program, "tail");
    // A shell's child is not PID 1; `exec` makes it so.
    let run = run_in_container(&mut tree, "/", &[], &["/bin/sh", "-c", "echo starting; sleep infinity"], container());
    assert_eq!(run.stdout, ["starting"]);
    assert!(!service(&run).is_pid1);
    let run = run_in_container(&mut tree, "/", &[], &["/bin/sh", "-c", "echo starting; exec sleep infinity"], container());
    assert!(service(&run).is_pid1);
}

#[test]
fn tail_of_dev_zero_eats_memory() {
    let mut tree = alpine();
    let run = run_in_container(&mut tree, "/", &[], &["tail", "/dev/zero"], container());
    let memory = service(&run).service.memory;
    assert_eq!(memory.ceiling, None);
    assert_eq!(memory.exceeds_at(256 * 1024 * 1024), Some(1_276));
    assert_eq!(service(&run).service.cpu_millis, 1000);
}

#[test]
fn shell_traps_and_endless_loops() {
    let mut tree = debian();
    let run = run_in_container(&mut tree, "/", &[], &["/bin/sh", "-c", "trap 'echo bye; exit 0' TERM; exec sleep infinity"], container());
    assert_eq!(service(&run).term_trap, None, "exec replaced the shell and its traps");
    let run = run_in_container(&mut tree, "/", &[], &["/bin/sh", "-c", "trap 'echo bye; exit 0' SIGTERM; sleep infinity"], container());
    assert_eq!(service(&run).term_trap.as_deref(), Some("echo bye; exit 0"));
    let run = run_in_container(&mut tree, "/", &[], &["/bin/sh", "-c", "trap 'echo bye' 15; trap - TERM; trap; sleep infinity"], container());
    assert_eq!(service(&run).term_trap, None);
    let run = run_in_container(&mut tree, "/", &[], &["/bin/sh", "-c", "trap 'x' INT; trap"], container());
    assert_eq!(run.stdout, ["trap -- 'x' INT"]);
    let run = run_in_container(&mut tree, "/", &[], &["/bin/sh", "-c", "while true; do echo tick; sleep 1; done"], container());
    let start = service(&run);
    assert!(start.is_pid1);
    assert_eq!(start.service.program, "sh");
    assert!(run.stderr.is_empty(), "{:?}", run.stderr);
    assert!(run.stdout.len() > 1000 && run.stdout.iter().all(|l| l == "tick"));
    let second = run.timed.iter().filter(|l| l.text == "tick").nth(1).map(|l| l.at).unwrap_or_default();
    assert!((1_000..1_100).contains(&second), "{second}");
    // Outside a container the runaway guard still stops it.
    let run = run_sh(&mut tree, "/", "while true; do :; done");
    assert_eq!(run.exit_code, 124);
    // `docker run -d ubuntu`: bash reads EOF on an empty stdin and exits.
    let run = run_in_container(&mut tree, "/", &[], &["bash"], container());
    assert_eq!((run.exit_code, run.service.is_none()), (0, true));
}

fn nginx_tree() -> FileTree {
    let mut tree = debian();
    tree.insert("/usr/sbin/nginx", Node::blob("nginx 1.25.4 for Bookworm", 1_400_000, Meta::EXECUTABLE));
    tree.insert("/docker-entrypoint.sh", Node::blob("nginx docker-entrypoint.sh for Bookworm", 1_620, Meta::EXECUTABLE));
    tree.insert("/etc/nginx/nginx.conf", Node::text("user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /var/run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n    sendfile        on;\n    keepalive_timeout  65;\n    include /etc/nginx/conf.d/*.conf;\n}\n"));
    tree.insert("/etc/nginx/conf.d/default.conf", Node::text("server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n"));
    tree.insert("/usr/share/nginx/html/index.html", Node::text("<h1>Welcome to nginx!</h1>\n"));
    tree
}

#[test]
fn nginx_serves_its_welcome_page_and_stops_on_a_signal() {
    let mut tree = nginx_tree();
    let run = run_in_container(&mut tree, "/", &[], &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"], container());
    assert_eq!(run.stdout.first().map(String::as_str), Some("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"));
    assert_eq!(run.stdout.last().map(String::as_str), Some("/docker-entrypoint.sh: Configuration complete; ready for start up"));
    let start = service(&run);
    assert!(start.is_pid1);
    let log = log_text(start);
    assert_eq!(log.first().map(String::as_str), Some("2026/03/02 09:00:00 [notice] 1#1: using the \"epoll\" event method"));
    assert!(log.contains(&"2026/03/02 09:00:00 [notice] 1#1: nginx/1.25.4".to_string()));
    assert!(log.contains(&"2026/03/02 09:00:00 [notice] 1#1: start worker process 29".to_string()));
    assert!(start.service.log.iter().all(|l| l.stderr));
    assert_eq!(listens(start), [("0.0.0.0".to_string(), 80), ("::".to_string(), 80)]);
    assert_eq!(body(start, "/").as_deref(), Some("<h1>Welcome to nginx!</h1>\n"));
    assert_eq!(start.service.listens.first().and_then(|(_, l)| l.http.as_ref()).map(|h| h.server.as_str()), Some("nginx/1.25.4"));
    assert_eq!(start.service.children.len(), 4);
    assert_eq!(start.service.children.first().map(|c| (c.0.as_str(), c.1.as_str())), Some(("nginx: worker process", "nginx")));
    let SignalResponse::Exit { exit_code, lines, .. } = &start.service.on_term else { panic!("{:?}", start.service.on_term) };
    assert_eq!(*exit_code, 0);
    let first = lines.first().map(|l| render_signal_line(&l.text, crate::clock::SESSION_START.0 + 60_000, "SIGQUIT"));
    assert_eq!(first.as_deref(), Some("2026/03/02 09:01:00 [notice] 1#1: signal 3 (SIGQUIT) received, exiting"));
    assert_eq!(lines.last().map(|l| l.text.as_str()), Some("{{time:nginx}} [notice] 1#1: exit"));
}

#[test]
fn nginx_without_daemon_off_leaves_the_container_and_checks_its_config() {
    let mut tree = nginx_tree();
    let run = run_in_container(&mut tree, "/", &[], &["nginx"], container());
    assert_eq!((run.exit_code, run.service.is_none()), (0, true));
    let run = run_sh(&mut tree, "/", "nginx -t");
    assert_eq!(run.stderr, ["nginx: the configuration file /etc/nginx/nginx.conf syntax is ok", "nginx: configuration file /etc/nginx/nginx.conf test is successful"]);
    tree.insert("/etc/nginx/conf.d/default.conf", Node::text("server {\n    listen 8080;\n    location /health {\n        return 200 'ok';\n    }\n"));
    let run = run_sh(&mut tree, "/", "nginx -t");
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.first().map(String::as_str), Some("nginx: [emerg] unexpected end of file, expecting \"}\" in /etc/nginx/conf.d/default.conf:5"));
    let run = run_in_container(&mut tree, "/", &[], &["nginx", "-g", "daemon off;"], container());
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.last().map(String::as_str), Some("nginx: [emerg] unexpected end of file, expecting \"}\" in /etc/nginx/conf.d/default.conf:5"));
    tree.insert("/etc/nginx/conf.d/default.conf", Node::text("server {\n    listen 8080;\n    location /health {\n        return 200 'ok';\n    }\n}\n"));
    let run = run_in_container(&mut tree, "/", &[], &["nginx", "-g", "daemon off;"], container());
    let start = service(&run);
    assert_eq!(listens(start), [("0.0.0.0".to_string(), 8080)]);
    assert_eq!(body(start, "/health").as_deref(), Some("ok"));
}

fn postgres_tree() -> FileTree {
    let mut tree = debian();
    tree.insert("/etc/passwd", Node::text("root:x:0:0:root:/root:/bin/bash\npostgres:x:999:999::/var/lib/postgresql:/bin/bash\n"));
    tree.insert("/etc/group", Node::text("root:x:0:\npostgres:x:999:\n"));
    tree.insert("/usr/lib/postgresql/16/bin/postgres", Node::blob("postgres 16.2 postgres for Bookworm", 9_000_000, Meta::EXECUTABLE));
    tree.insert("/usr/local/bin/docker-entrypoint.sh", Node::blob("postgres docker-entrypoint.sh for Bookworm", 12_000, Meta::EXECUTABLE));
    tree.mkdir_all("/var/lib/postgresql/data", Meta { mode: 0o1777, uid: 999, gid: 999 });
    tree
}

#[test]
fn postgres_needs_a_password_then_initialises_once() {
    let mut tree = postgres_tree();
    let env = ["PATH=/usr/lib/postgresql/16/bin:/usr/local/bin:/usr/bin:/bin", "PG_VERSION=16.2-1.pgdg120+2", "PGDATA=/var/lib/postgresql/data"];
    let run = run_in_container(&mut tree, "/", &env, &["docker-entrypoint.sh", "postgres"], container());
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.first().map(String::as_str), Some("Error: Database is uninitialized and superuser password is not specified."));
    assert!(run.service.is_none());
    let with_password = [env[0], env[1], env[2], "POSTGRES_PASSWORD=secret"];
    let run = run_in_container(&mut tree, "/", &with_password, &["docker-entrypoint.sh", "postgres"], container());
    let start = service(&run);
    assert!(start.is_pid1);
    let log = log_text(start);
    assert_eq!(log.first().map(String::as_str), Some("The files belonging to this database system will be owned by user \"postgres\"."));
    let ready = start.service.log.iter().rev().find(|l| l.text.ends_with("database system is ready to accept connections")).expect("ready");
    assert!(ready.text.ends_with("UTC [1] LOG:  database system is ready to accept connections"), "{}", ready.text);
    assert!((2_500..4_000).contains(&ready.at), "{}", ready.at);
    assert!(log.contains(&"PostgreSQL init process complete; ready for start up.".to_string()));
    assert_eq!(start.service.listens.first().map(|(at, l)| (*at, l.port, l.http.is_none())), Some((ready.at, 5432, true)));
    assert_eq!(start.service.children.len(), 5);
    assert!(start.service.children.iter().all(|c| c.1 == "postgres" && c.0.starts_with("postgres: ")));
    let SignalResponse::Exit { lines, exit_code, .. } = &start.service.on_term else { panic!() };
    assert_eq!(*exit_code, 0);
    assert_eq!(lines.first().map(|l| l.text.as_str()), Some("{{time:postgres}} [1] LOG:  received smart shutdown request"));
    assert!(tree.exists("/var/lib/postgresql/data/PG_VERSION"));
    // The data directory (a volume) survives: the next start skips initialisation.
    let run = run_in_container(&mut tree, "/", &env, &["docker-entrypoint.sh", "postgres"], container());
    let log = log_text(service(&run));
    assert_eq!(log.get(1).map(String::as_str), Some("PostgreSQL Database directory appears to contain a database; Skipping initialization"));
}

#[test]
fn redis_is_ready_quickly() {
    let mut tree = alpine();
    tree.insert("/usr/local/bin/redis-server", Node::blob("redis 7.2.4 for Alpine319", 17_000_000, Meta::EXECUTABLE));
    tree.insert("/usr/local/bin/docker-entrypoint.sh", Node::blob("redis docker-entrypoint.sh for Alpine319", 1_500, Meta::EXECUTABLE));
    let run = run_in_container(&mut tree, "/", &[], &["docker-entrypoint.sh", "redis-server", "--maxmemory", "256mb"], container());
    let start = service(&run);
    assert!(start.is_pid1);
    let log = log_text(start);
    assert_eq!(log.first().map(String::as_str), Some("1:C 02 Mar 2026 09:00:00.010 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"));
    assert_eq!(start.service.log.last().map(|l| (l.at, l.text.as_str())), Some((100, "1:M 02 Mar 2026 09:00:00.110 * Ready to accept connections tcp")));
    assert_eq!(listens(start), [("0.0.0.0".to_string(), 6379), ("::".to_string(), 6379)]);
    let SignalResponse::Exit { lines, .. } = &start.service.on_term else { panic!() };
    assert_eq!(lines.first().map(|l| render_signal_line(&l.text, 1_772_442_060_000, "TERM")).as_deref(), Some("1:signal-handler (1772442060) Received SIGTERM scheduling shutdown..."));
}

fn flask_tree(source: &str) -> FileTree {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "pip install flask psycopg2-binary");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    tree.insert("/app/app.py", Node::text(source));
    tree
}

const FLASK_APP: &str = "from flask import Flask, jsonify\nimport os\n\napp = Flask(__name__)\n\n@app.route('/health')\ndef health():\n    return jsonify({'status': 'ok'})\n\n@app.route('/')\ndef index():\n    return 'Hello from Flask'\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=int(os.environ.get('PORT', 5000)))\n";

#[test]
fn flask_dev_server_banner_routes_and_no_sigterm_handler() {
    let mut tree = flask_tree(FLASK_APP);
    let run = run_in_container(&mut tree, "/app", &[], &["python", "app.py"], container());
    let start = service(&run);
    assert_eq!(
        log_text(start),
        [
            " * Serving Flask app 'app'",
            " * Debug mode: off",
            "WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.",
            " * Running on all addresses (0.0.0.0)",
            " * Running on http://127.0.0.1:5000",
            " * Running on http://172.17.0.2:5000",
            "Press CTRL+C to quit",
        ]
    );
    assert_eq!(listens(start), [("0.0.0.0".to_string(), 5000)]);
    assert_eq!(body(start, "/health").as_deref(), Some("{\"status\":\"ok\"}"));
    assert_eq!(body(start, "/").as_deref(), Some("Hello from Flask"));
    assert_eq!(start.service.on_term, SignalResponse::Default);
    assert_eq!(start.service.listens.first().and_then(|(_, l)| l.http.as_ref()).map(|h| h.server.as_str()), Some("Werkzeug/3.0.1 Python/3.12.3"));
    // The guides' bug: the default host is the container's own loopback.
    let mut tree = flask_tree("from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(port=8080)\n");
    let run = run_in_container(&mut tree, "/app", &["PORT=9000"], &["python", "app.py"], container());
    let start = service(&run);
    assert_eq!(listens(start), [("127.0.0.1".to_string(), 8080)]);
    assert!(log_text(start).contains(&" * Running on http://127.0.0.1:8080".to_string()));
    // Without flask installed the import fails.
    let mut bare = debian();
    bare.insert("/app/app.py", Node::text(FLASK_APP));
    let run = run_in_container(&mut bare, "/app", &[], &["python", "app.py"], container());
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.last().map(String::as_str), Some("ModuleNotFoundError: No module named 'flask'"));
}

#[test]
fn python_start_up_crashes() {
    let source = "import os\nimport psycopg2\n\nDATABASE_URL = os.environ[\"DATABASE_URL\"]\nconn = psycopg2.connect(DATABASE_URL)\n";
    let mut tree = flask_tree(source);
    let run = run_in_container(&mut tree, "/app", &[], &["python", "app.py"], container());
    assert_eq!(run.exit_code, 1);
    assert_eq!(
        run.stderr,
        [
            "Traceback (most recent call last):",
            "  File \"/app/app.py\", line 4, in <module>",
            "    DATABASE_URL = os.environ[\"DATABASE_URL\"]",
            "                   ~~~~~~~~~~^^^^^^^^^^^^^^^^",
            "  File \"<frozen os>\", line 685, in __getitem__",
            "KeyError: 'DATABASE_URL'",
        ]
    );
    let run = run_in_container(&mut tree, "/app", &["DATABASE_URL=postgresql://app:pw@database:5432/app"], &["python", "app.py"], container());
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.last().map(String::as_str), Some("psycopg2.OperationalError: could not translate host name \"database\" to address: Name or service not known"));
    assert!(run.duration >= 1_000);
    let run = run_in_container(&mut tree, "/app", &["DATABASE_URL=postgresql://app:pw@localhost:5432/app"], &["python", "app.py"], container());
    assert_eq!(run.stderr.get(run.stderr.len().saturating_sub(2)).map(String::as_str), Some("psycopg2.OperationalError: connection to server at \"localhost\" (127.0.0.1), port 5432 failed: Connection refused"));
    // `db` resolves but postgres does not accept connections yet: the cold-start race.
    let run = run_in_container(&mut tree, "/app", &["DATABASE_URL=postgresql://app:pw@db:5432/app"], &["python", "app.py"], container());
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.get(run.stderr.len().saturating_sub(2)).map(String::as_str), Some("psycopg2.OperationalError: connection to server at \"db\" (172.17.0.3), port 5432 failed: Connection refused"));
    // `db` is on the network and ready: the script connects and, having nothing else to do, exits.
    let mut ready = container();
    let listener = crate::programs::Listener { address: "0.0.0.0".into(), port: 5432, protocol: "tcp".into(), program: "postgres".into(), pid: 1, http: None };
    ready.peers.push(("172.17.0.3".into(), listener));
    let run = run_in_container(&mut tree, "/app", &["DATABASE_URL=postgresql://app:pw@db:5432/app"], &["python", "app.py"], ready);
    assert_eq!((run.exit_code, run.service.is_none()), (0, true), "{:?}", run.stderr);
    // psycopg2 built against bullseye's libssl1.1, run on bookworm.
    let mut tree = crate::programs::testing::bullseye_python();
    let run = run_sh(&mut tree, "/", "pip install psycopg2-binary");
    assert_eq!(run.exit_code, 0);
    tree.remove_all("/usr/lib/x86_64-linux-gnu/libssl.so.1.1");
    tree.insert("/usr/lib/x86_64-linux-gnu/libssl.so.3", Node::blob("libssl.so.3", 600_000, Meta::FILE));
    tree.insert("/app/app.py", Node::text("import psycopg2\n"));
    let run = run_in_container(&mut tree, "/app", &[], &["python", "app.py"], container());
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.last().map(String::as_str), Some("ImportError: libssl.so.1.1: cannot open shared object file: No such file or directory"));
    assert!(run.stderr.contains(&"    from psycopg2._psycopg import (                     # noqa".to_string()));
}

#[test]
fn leaks_grow_memory_without_a_ceiling() {
    let source = "from flask import Flask\napp = Flask(__name__)\nCACHE = []\n\n@app.route('/')\ndef index():\n    CACHE.append('x' * 1024)\n    return 'ok'\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n";
    let mut tree = flask_tree(source);
    let run = run_in_container(&mut tree, "/app", &[], &["python", "app.py"], container());
    let memory = service(&run).service.memory;
    assert_eq!((memory.growth_per_minute, memory.ceiling), (50 * super::MIB, None));
    let marked = "import time\n# whalebox: leaks 120 MB/min\nwhile True:\n    time.sleep(1)\n";
    tree.insert("/app/worker.py", Node::text(marked));
    let run = run_in_container(&mut tree, "/app", &[], &["python", "worker.py"], container());
    let start = service(&run);
    assert_eq!(start.service.memory.growth_per_minute, 120 * super::MIB);
    assert_eq!(start.service.program, "python");
    // A plain script still just runs.
    tree.insert("/app/hello.py", Node::text("print('hi')\n"));
    let run = run_in_container(&mut tree, "/app", &[], &["python", "hello.py"], container());
    assert_eq!((run.stdout.clone(), run.service.is_none()), (vec!["hi".to_string()], true));
}

#[test]
fn uvicorn_gunicorn_and_http_server() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "pip install fastapi uvicorn gunicorn flask");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    tree.insert("/app/main.py", Node::text("from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get(\"/health\")\ndef health():\n    return {\"status\": \"healthy\"}\n"));
    let run = run_in_container(&mut tree, "/app", &[], &["python", "-m", "uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"], container());
    let start = service(&run);
    assert_eq!(
        log_text(start),
        [
            "INFO:     Started server process [1]",
            "INFO:     Waiting for application startup.",
            "INFO:     Application startup complete.",
            "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)",
        ]
    );
    assert_eq!(body(start, "/health").as_deref(), Some("{\"status\":\"healthy\"}"));
    assert!(body(start, "/docs").is_some());
    let SignalResponse::Exit { lines, exit_code, .. } = &start.service.on_term else { panic!() };
    assert_eq!((*exit_code, lines.first().map(|l| l.text.as_str())), (0, Some("INFO:     Shutting down")));
    // The console script pip wrote runs the same server.
    let run = run_in_container(&mut tree, "/app", &[], &["uvicorn", "main:app"], container());
    assert!(log_text(service(&run)).contains(&"INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)".to_string()));
    let run = run_in_container(&mut tree, "/app", &[], &["uvicorn", "nope:app"], container());
    assert_eq!((run.exit_code, run.stderr.clone()), (1, vec!["ERROR:    Error loading ASGI app. Could not import module \"nope\".".to_string()]));
    let run = run_in_container(&mut tree, "/app", &[], &["python", "-m", "uvicorn", "main:api"], container());
    assert_eq!(run.stderr.last().map(String::as_str), Some("ERROR:    Error loading ASGI app. Attribute \"api\" not found in module \"main\"."));

    tree.insert("/app/app.py", Node::text(FLASK_APP));
    let run = run_in_container(&mut tree, "/app", &[], &["python", "-m", "gunicorn", "--bind", "0.0.0.0:8000", "-w", "2", "app:app"], container());
    let start = service(&run);
    let log = log_text(start);
    assert_eq!(log.first().map(String::as_str), Some("[2026-03-02 09:00:00 +0000] [1] [INFO] Starting gunicorn 21.2.0"));
    assert!(log.contains(&"[2026-03-02 09:00:00 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)".to_string()));
    assert!(log.contains(&"[2026-03-02 09:00:00 +0000] [8] [INFO] Booting worker with pid: 8".to_string()));
    assert_eq!(start.service.children.len(), 2);
    assert_eq!(listens(start), [("0.0.0.0".to_string(), 8000)]);
    let run = run_in_container(&mut tree, "/app", &[], &["python", "-m", "gunicorn", "wsgi:app"], container());
    assert_eq!((run.exit_code, run.stderr.last().map(String::as_str)), (3, Some("[2026-03-02 09:00:00 +0000] [1] [ERROR] Reason: Worker failed to boot.")));

    let run = run_in_container(&mut tree, "/app", &[], &["python3", "-m", "http.server", "9000"], container());
    let start = service(&run);
    assert_eq!(log_text(start), ["Serving HTTP on 0.0.0.0 port 9000 (http://0.0.0.0:9000/) ..."]);
    assert_eq!(start.service.on_term, SignalResponse::Default);
    assert!(body(start, "/").is_some_and(|b| b.contains("<li><a href=\"main.py\">main.py</a></li>")));
}

#[test]
fn node_servers_listen_and_log() {
    let mut tree = node_alpine();
    tree.insert("/app/node_modules/express/package.json", Node::text("{}"));
    tree.insert(
        "/app/server.js",
        Node::text("const express = require('express');\nconst app = express();\nconst PORT = process.env.PORT || 3000;\n\napp.get('/health', (req, res) => res.json({ status: 'ok' }));\n\napp.listen(PORT, () => {\n  console.log(`Server listening on port ${PORT}`);\n});\n"),
    );
    let run = run_in_container(&mut tree, "/app", &["PORT=8080"], &["node", "server.js"], container());
    let start = service(&run);
    assert_eq!(log_text(start), ["Server listening on port 8080"]);
    assert_eq!(listens(start), [("::".to_string(), 8080)]);
    assert_eq!(body(start, "/health").as_deref(), Some("{\"status\":\"ok\"}"));
    assert_eq!(start.service.on_term, SignalResponse::Default);
    tree.insert(
        "/app/plain.js",
        Node::text("const http = require('http');\nprocess.on('SIGTERM', () => process.exit(0));\nhttp.createServer((req, res) => { res.end('hello'); }).listen(3000, '127.0.0.1', () => console.log('up on ' + 3000));\n"),
    );
    let run = run_in_container(&mut tree, "/app", &[], &["node", "plain.js"], container());
    let start = service(&run);
    assert_eq!(log_text(start), ["up on 3000"]);
    assert_eq!(listens(start), [("127.0.0.1".to_string(), 3000)]);
    assert_eq!(body(start, "/").as_deref(), Some("hello"));
    assert!(matches!(start.service.on_term, SignalResponse::Exit { exit_code: 0, .. }));
    // `npm start`: npm stays PID 1 and the server is its grandchild.
    tree.insert("/app/package.json", Node::text("{\"name\":\"api\",\"version\":\"1.0.0\",\"scripts\":{\"start\":\"node server.js\"}}"));
    let run = run_in_container(&mut tree, "/app", &[], &["npm", "start"], container());
    assert_eq!(run.stdout, ["", "> api@1.0.0 start", "> node server.js", ""]);
    assert!(!service(&run).is_pid1);
}

#[test]
fn go_servers_and_libc_mismatches() {
    let mut tree = golang();
    tree.insert("/src/go.mod", Node::text("module example.com/api\n\ngo 1.22\n"));
    tree.insert(
        "/src/main.go",
        Node::text("package main\n\nimport (\n\t\"fmt\"\n\t\"log\"\n\t\"net/http\"\n)\n\nfunc health(w http.ResponseWriter, r *http.Request) {\n\tfmt.Fprintf(w, \"ok\")\n}\n\nfunc main() {\n\thttp.HandleFunc(\"/health\", health)\n\tlog.Println(\"listening on :8080\")\n\tlog.Fatal(http.ListenAndServe(\":8080\", nil))\n}\n"),
    );
    let run = run_sh(&mut tree, "/src", "go build -o /app/server . && CGO_ENABLED=0 go build -o /app/static .");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    let run = run_in_container(&mut tree, "/", &[], &["/app/server"], container());
    let start = service(&run);
    assert_eq!(start.service.program, "server");
    assert_eq!(log_text(start), ["2026/03/02 09:00:00 listening on :8080"]);
    assert_eq!(listens(start), [("::".to_string(), 8080)]);
    assert_eq!(body(start, "/health").as_deref(), Some("ok"));
    assert_eq!(start.service.on_term, SignalResponse::Default);
    // The CGO build copied onto alpine: no glibc loader.
    let mut runtime = alpine();
    for name in ["server", "static"] {
        let node = tree.get(&format!("/app/{name}")).cloned().expect("built");
        runtime.insert(&format!("/app/{name}"), node);
    }
    let run = run_in_container(&mut runtime, "/", &[], &["/app/server"], container());
    assert_eq!((run.exit_code, run.stderr.clone()), (255, vec!["exec /app/server: no such file or directory".to_string()]));
    let run = run_sh(&mut runtime, "/", "/app/server");
    assert_eq!((run.exit_code, run.stderr.clone()), (127, vec!["/bin/sh: /app/server: not found".to_string()]));
    let run = run_in_container(&mut runtime, "/", &[], &["/app/static"], container());
    assert!(run.service.is_some());
    runtime.insert("/lib/ld-linux-x86-64.so.2", Node::blob("gcompat", 60_000, Meta::EXECUTABLE));
    let run = run_in_container(&mut runtime, "/", &[], &["/app/server"], container());
    assert_eq!(run.exit_code, 139);
    // A graceful server.
    tree.insert("/src/main.go", Node::text("package main\nimport (\"net/http\"; \"os/signal\"; \"syscall\")\nfunc main() {\n\tsignal.Notify(stop, syscall.SIGTERM)\n\thttp.ListenAndServe(\"127.0.0.1:9090\", nil)\n}\n"));
    run_sh(&mut tree, "/src", "CGO_ENABLED=0 go build -o /app/server .");
    let run = run_in_container(&mut tree, "/", &[], &["/app/server"], container());
    let start = service(&run);
    assert_eq!(listens(start), [("127.0.0.1".to_string(), 9090)]);
    assert!(matches!(start.service.on_term, SignalResponse::Exit { exit_code: 0, .. }));
}
