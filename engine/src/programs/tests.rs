//! Programs as a Dockerfile's `RUN` lines use them: package managers, pip, npm, go, users, curl.

use super::testing::{alpine, bullseye_python, debian, golang, node_alpine, run_as, run_sh};
use crate::fs::{FileTree, Node};

fn size_under(tree: &FileTree, dir: &str) -> u64 {
    tree.descendants(dir).map(|(_, n)| n.size()).sum()
}

#[test]
fn apt_get_needs_update_and_keeps_lists_unless_removed() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "apt-get install -y curl");
    assert_eq!(run.exit_code, 100);
    assert_eq!(run.stderr, ["E: Unable to locate package curl"]);
    let run = run_sh(&mut tree, "/", "apt-get update && apt-get install -y curl");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    assert!(run.stdout.iter().any(|l| l.starts_with("Setting up curl (7.88.1")));
    let lists = size_under(&tree, "/var/lib/apt/lists");
    assert!((40_000_000..50_000_000).contains(&lists), "{lists}");
    assert!(tree.exists("/usr/bin/curl"));
    assert!(run.duration >= 8_000, "{}", run.duration);
    // Installed programs run.
    let run = run_sh(&mut tree, "/", "curl -fsSL https://example.com/install.sh -o /tmp/i.sh && sh /tmp/i.sh");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    let mut clean = debian();
    let run = run_sh(&mut clean, "/", "apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    assert_eq!(size_under(&clean, "/var/lib/apt/lists"), 0);
    assert!(clean.exists("/usr/bin/pg_config") && clean.exists("/usr/bin/gcc-12"));
}

#[test]
fn apt_get_without_yes_aborts_and_unknown_packages_fail() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "apt-get update >/dev/null && apt-get install git");
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stdout.last().map(String::as_str), Some("Do you want to continue? [Y/n] Abort."));
    let run = run_sh(&mut tree, "/", "apt-get install -y nosuchpackage");
    assert_eq!((run.exit_code, run.stderr.clone()), (100, vec!["E: Unable to locate package nosuchpackage".to_string()]));
    let run = run_as(&mut tree, "/", "", false, "apt-get update");
    assert_eq!(run.exit_code, 0);
    assert!(run.stderr.iter().any(|l| l.contains("Temporary failure resolving 'deb.debian.org'")));
}

#[test]
fn apk_no_cache_leaves_no_index() {
    let mut tree = alpine();
    let run = run_sh(&mut tree, "/", "apk add --no-cache curl");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    assert_eq!(run.stdout.first().map(String::as_str), Some("fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz"));
    assert!(run.stdout.iter().any(|l| l.ends_with("Installing curl (8.5.0-r0)")));
    assert!(tree.exists("/usr/bin/curl"));
    assert_eq!(size_under(&tree, "/var/cache/apk"), 0);
    let mut cached = alpine();
    run_sh(&mut cached, "/", "apk add git");
    assert!(size_under(&cached, "/var/cache/apk") > 2_000_000);
    let run = run_sh(&mut cached, "/", "apk add --no-cache nosuch");
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr, ["ERROR: unable to select packages:", "  nosuch (no such package):", "    required by: world[nosuch]"]);
    let run = run_sh(&mut cached, "/", "apk add --no-cache --virtual .build-deps gcc musl-dev && apk del .build-deps");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    assert!(!cached.exists("/usr/bin/gcc"));
}

#[test]
fn pip_installs_requirements_into_site_packages() {
    let mut tree = debian();
    tree.insert("/app/requirements.txt", Node::text("flask==3.0.0\n# comment\nrequests>=2.0\n"));
    let run = run_sh(&mut tree, "/app", "pip install --no-cache-dir -r requirements.txt");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    assert!(run.stdout.contains(&"Collecting flask==3.0.0 (from -r requirements.txt (line 1))".to_string()));
    assert!(run.stdout.last().is_some_and(|l| l.starts_with("Successfully installed") && l.contains("flask-3.0.0") && l.contains("werkzeug-3.0.1")));
    assert!(tree.exists("/usr/local/lib/python3.12/site-packages/flask/__init__.py"));
    assert!(tree.exists("/usr/local/bin/flask"));
    assert!(!tree.exists("/root/.cache/pip"));
    let run = run_sh(&mut tree, "/app", "pip install redis && python -c 'import flask, redis; print(\"ok\")'");
    assert_eq!((run.exit_code, run.stdout.last().cloned()), (0, Some("ok".to_string())), "{:?}", run.stderr);
    assert!(tree.exists("/root/.cache/pip"));
    let run = run_sh(&mut tree, "/app", "python -c 'import django'");
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.last().map(String::as_str), Some("ModuleNotFoundError: No module named 'django'"));
    let run = run_as(&mut tree, "/app", "", false, "pip install numpy");
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.last().map(String::as_str), Some("ERROR: No matching distribution found for numpy"));
    let run = run_sh(&mut tree, "/app", "pip install --user --no-cache-dir gunicorn && pip install --prefix=/install uvicorn");
    assert_eq!(run.exit_code, 0);
    assert!(tree.exists("/root/.local/lib/python3.12/site-packages/gunicorn/__init__.py"));
    assert!(tree.exists("/install/lib/python3.12/site-packages/uvicorn/__init__.py"));
}

#[test]
fn cffi_built_on_bullseye_fails_to_import_on_bookworm() {
    let mut builder = bullseye_python();
    let run = run_sh(&mut builder, "/", "pip install --no-cache-dir cffi && python -c 'import cffi'");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    // Copy site-packages to a bookworm runtime (as `COPY --from=builder` would).
    let mut runtime = debian();
    let site: Vec<(String, Node)> = builder.descendants("/usr/local/lib/python3.11/site-packages").map(|(p, n)| (p.clone(), n.clone())).collect();
    for (path, node) in site {
        runtime.insert(&path.replace("python3.11", "python3.12"), node);
    }
    let run = run_sh(&mut runtime, "/", "python -c 'import cffi'");
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.last().map(String::as_str), Some("ImportError: libffi.so.7: cannot open shared object file: No such file or directory"));
}

#[test]
fn npm_ci_needs_a_lock_file() {
    let mut tree = node_alpine();
    tree.insert("/app/package.json", Node::text("{\"name\":\"web\",\"version\":\"1.0.0\",\"scripts\":{\"build\":\"tsc\"},\"dependencies\":{\"express\":\"^4.18.2\"},\"devDependencies\":{\"typescript\":\"^5.3.0\"}}"));
    tree.insert("/app/src/index.ts", Node::text("import express from 'express';\n"));
    let run = run_sh(&mut tree, "/app", "npm ci");
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.get(..3).map(|l| l.to_vec()), Some(vec!["npm ERR! code EUSAGE".to_string(), "npm ERR!".to_string(), "npm ERR! The `npm ci` command can only install with an existing package-lock.json or".to_string()]));
    let run = run_sh(&mut tree, "/app", "npm install && npm run build && npm ci --omit=dev");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    assert!(tree.exists("/app/package-lock.json"));
    assert!(tree.exists("/app/dist/index.js"));
    assert!(tree.exists("/app/node_modules/express/package.json"));
    assert!(!tree.exists("/app/node_modules/typescript"));
    let run = run_sh(&mut tree, "/app", "npm run lint");
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stderr.first().map(String::as_str), Some("npm ERR! Missing script: \"lint\""));
}

#[test]
fn go_build_makes_a_static_binary_with_cgo_off() {
    let mut tree = golang();
    tree.insert("/app/go.mod", Node::text("module example.com/payment-api\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/lib/pq v1.10.9\n)\n"));
    tree.insert("/app/cmd/server/main.go", Node::text("package main\n\nfunc main() {}\n"));
    let run = run_sh(&mut tree, "/app", "go mod download && CGO_ENABLED=0 GOOS=linux go build -o /app/payment-api ./cmd/server");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    match tree.get("/app/payment-api") {
        Some(Node::File { content: crate::fs::Content::Blob { label }, size, .. }) => {
            assert!(label.contains("static"), "{label}");
            assert!(*size > 6_000_000);
        }
        other => panic!("no binary: {other:?}"),
    }
    assert!(run.duration >= 12_000);
    let run = run_sh(&mut tree, "/tmp", "go build .");
    assert_eq!(run.stderr, ["go: go.mod file not found in current directory or any parent directory; see 'go help modules'"]);
    let run = run_sh(&mut tree, "/", "go version");
    assert_eq!(run.stdout, ["go version go1.22.1 linux/amd64"]);
}

#[test]
fn users_and_ownership() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "mkdir -p /app && groupadd -r appgroup && useradd -r -g appgroup appuser && useradd -m -u 1000 dev && chown -R dev:dev /app && id dev");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    let passwd = tree.read_text("/etc/passwd").unwrap();
    assert!(passwd.contains("appuser:x:999:999::/home/appuser:/bin/sh"), "{passwd}");
    assert!(passwd.contains("dev:x:1000:1000::/home/dev:/bin/sh"));
    assert!(tree.is_dir("/home/dev") && !tree.exists("/home/appuser"));
    assert_eq!(tree.get("/app").map(|n| n.meta().uid), Some(1000));
    let run = run_sh(&mut tree, "/", "useradd dev");
    assert_eq!((run.exit_code, run.stderr.clone()), (9, vec!["useradd: user 'dev' already exists".to_string()]));
    let run = run_as(&mut tree, "/", "dev", true, "whoami; touch /etc/x");
    assert_eq!(run.stdout, ["dev"]);
    assert_eq!(run.stderr, ["touch: cannot touch '/etc/x': Permission denied"]);
    let mut tree = alpine();
    let run = run_sh(&mut tree, "/", "addgroup -g 1001 -S appgroup && adduser -u 1001 -S appuser -G appgroup && adduser -D -g '' web");
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    let passwd = tree.read_text("/etc/passwd").unwrap();
    assert!(passwd.contains("appuser:x:1001:1001:Linux User,,,:/home/appuser:/sbin/nologin"), "{passwd}");
    assert!(passwd.contains("web:x:1000:1000::/home/web:/bin/sh"), "{passwd}");
}

#[test]
fn curl_and_wget_without_network() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "curl -V");
    assert_eq!((run.exit_code, run.stderr.clone()), (127, vec!["/bin/sh: 1: curl: not found".to_string()]));
    run_sh(&mut tree, "/", "apt-get update && apt-get install -y curl");
    let run = run_as(&mut tree, "/", "", false, "curl -fsSL https://example.com/x.tar.gz -o /tmp/x.tar.gz");
    assert_eq!((run.exit_code, run.stderr.clone()), (6, vec!["curl: (6) Could not resolve host: example.com".to_string()]));
    let mut tree = alpine();
    let run = run_as(&mut tree, "/", "", false, "wget -O /tmp/x https://example.com/x");
    assert_eq!((run.exit_code, run.stderr.clone()), (1, vec!["wget: bad address 'example.com'".to_string()]));
    let run = run_sh(&mut tree, "/", "wget -q -O /tmp/app.tar.gz https://example.com/app.tar.gz && ls /tmp");
    assert_eq!(run.stdout, ["app.tar.gz"]);
}

#[test]
fn same_script_same_tree() {
    let script = "apt-get update && apt-get install -y curl git && useradd -m app && pip install flask && rm -rf /var/lib/apt/lists/*";
    let mut a = debian();
    let mut b = debian();
    let ra = run_sh(&mut a, "/", script);
    let rb = run_sh(&mut b, "/", script);
    assert_eq!(ra, rb);
    assert_eq!(a, b);
}

#[test]
fn scrambled_scripts_never_panic() {
    const FRAGMENTS: &[&str] = &[
        "echo", "x", "$", "${", "}", "$(", ")", "`", "'", "\"", "\\", "|", "||", "&&", ";", "&", ">", ">>", "<", "<<", "2>&1",
        "if", "then", "fi", "for", "in", "do", "done", "while", "case", "esac", ";;", "(", "{", "}", "=", "A=1", "$A", "${A:-",
        "${#", "$((", "1+", "*", "?", "[", "]", "!", "cd", "/", "..", "rm", "-rf", "mkdir", "-p", "cat", "apt-get", "install",
        "apk", "add", "pip", "npm", "ci", "go", "build", "useradd", "-m", "chmod", "755", "chown", "a:b", "sed", "s/a/b/",
        "grep", "-E", "(", "test", "-f", "set", "-eux", "exit", "\n", "ü", "🐳", "%", "#", "eval", "read", "shift", "xargs",
    ];
    let mut state: u64 = 0x5EED;
    for round in 0..1_500 {
        let mut script = String::new();
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let words = 1 + (state >> 59) as usize;
        for _ in 0..words {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let fragment = FRAGMENTS[(state >> 33) as usize % FRAGMENTS.len()];
            if state & 1 == 0 {
                script.push(' ');
            }
            script.push_str(fragment);
        }
        let mut tree = if round % 2 == 0 { debian() } else { alpine() };
        let run = run_sh(&mut tree, "/", &script);
        assert!(run.exit_code >= 0 && run.exit_code <= 255, "`{script}` gave {}", run.exit_code);
    }
}
