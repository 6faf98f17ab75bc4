//! Test fixtures: small Debian-like and Alpine-like trees, and a one-call way to run a script.

use super::{exec, Process, ProgramRun};
use crate::fs::{FileTree, Meta, Node};

/// The registry's distro trees are private to it; these mirror what they contain.
fn base(kind: &str) -> FileTree {
    let mut tree = FileTree::new();
    for dir in ["/bin", "/etc", "/home", "/lib", "/root", "/tmp", "/usr/bin", "/usr/local/bin", "/usr/sbin", "/var"] {
        tree.mkdir_all(dir, Meta::DIR);
    }
    if let Some(node) = tree.get_mut("/tmp") {
        node.meta_mut().mode = 0o1777;
    }
    let debian = kind == "bookworm" || kind == "bullseye";
    let os_release = match kind {
        "bookworm" => "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
        "bullseye" => "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nID=debian\nVERSION_ID=\"11\"\nVERSION_CODENAME=bullseye\n",
        "alpine" => "PRETTY_NAME=\"Alpine Linux v3.19\"\nID=alpine\nVERSION_ID=\"3.19.1\"\n",
        _ => "PRETTY_NAME=\"BusyBox\"\nID=busybox\nVERSION_ID=\"1.36.1\"\n",
    };
    tree.insert("/etc/os-release", Node::text(os_release));
    tree.insert("/etc/group", Node::text("root:x:0:\nnogroup:x:65534:\n"));
    if debian {
        tree.insert("/etc/passwd", Node::text("root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"));
        let (ffi, ssl) = if kind == "bullseye" { ("libffi.so.7", "libssl.so.1.1") } else { ("libffi.so.8", "libssl.so.3") };
        for lib in [ffi, ssl] {
            tree.insert(&format!("/usr/lib/x86_64-linux-gnu/{lib}"), Node::blob(lib, 600_000, Meta::FILE));
        }
        for tool in ["bash", "cat", "chmod", "chown", "cp", "echo", "grep", "ls", "mkdir", "mv", "rm", "sed", "sleep", "touch", "true", "false", "uname"] {
            tree.insert(&format!("/bin/{tool}"), Node::blob(format!("coreutils {tool}"), 60_000, Meta::EXECUTABLE));
        }
        tree.insert("/bin/dash", Node::blob("dash", 125_000, Meta::EXECUTABLE));
        tree.insert("/bin/sh", Node::Symlink { meta: Meta::EXECUTABLE, target: "dash".into() });
        for tool in ["apt-get", "apt", "dpkg", "env", "id", "head", "tail", "find", "xargs"] {
            tree.insert(&format!("/usr/bin/{tool}"), Node::blob(format!("debian {tool}"), 90_000, Meta::EXECUTABLE));
        }
        for tool in ["useradd", "groupadd", "adduser", "addgroup"] {
            tree.insert(&format!("/usr/sbin/{tool}"), Node::blob(format!("passwd {tool}"), 80_000, Meta::EXECUTABLE));
        }
        tree.mkdir_all("/var/lib/apt/lists", Meta::DIR);
        tree.mkdir_all("/var/lib/dpkg", Meta::DIR);
    } else {
        tree.insert("/etc/passwd", Node::text("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"));
        tree.insert("/bin/busybox", Node::blob(format!("{kind} busybox"), 900_000, Meta::EXECUTABLE));
        for applet in ["sh", "ash", "cat", "chmod", "chown", "cp", "echo", "grep", "ls", "mkdir", "mv", "rm", "sed", "sleep", "touch", "true", "false", "uname", "env", "id", "ping", "wget", "nslookup", "head", "tail", "find", "xargs", "adduser", "addgroup", "ps", "top", "hostname"] {
            tree.insert(&format!("/bin/{applet}"), Node::Symlink { meta: Meta::EXECUTABLE, target: "/bin/busybox".into() });
        }
        if kind == "alpine" {
            tree.insert("/usr/lib/libffi.so.8", Node::blob("libffi.so.8", 600_000, Meta::FILE));
            tree.insert("/usr/lib/libssl.so.3", Node::blob("libssl.so.3", 600_000, Meta::FILE));
            tree.insert("/sbin/apk", Node::blob("apk-tools", 70_000, Meta::EXECUTABLE));
        }
    }
    tree
}

/// A bookworm-slim-like tree with python 3.12 in /usr/local, like `python:3.12-slim`.
pub fn debian() -> FileTree {
    let mut tree = base("bookworm");
    tree.insert("/usr/local/bin/python3.12", Node::blob("cpython 3.12.3 for Bookworm", 17_000, Meta::EXECUTABLE));
    tree.insert("/usr/local/bin/python3", Node::Symlink { meta: Meta::EXECUTABLE, target: "python3.12".into() });
    tree.insert("/usr/local/bin/python", Node::Symlink { meta: Meta::EXECUTABLE, target: "python3".into() });
    tree.insert("/usr/local/bin/pip", Node::blob("pip for Bookworm", 230, Meta::EXECUTABLE));
    tree.insert("/usr/local/lib/python3.12/stdlib", Node::blob("stdlib", 30_000_000, Meta::FILE));
    tree
}

/// `python:3.11` on bullseye (libffi7, libssl1.1), for the moving-tag incident.
pub fn bullseye_python() -> FileTree {
    let mut tree = base("bullseye");
    tree.insert("/usr/local/bin/python3.11", Node::blob("cpython 3.11.7 for Bullseye", 17_000, Meta::EXECUTABLE));
    tree.insert("/usr/local/bin/python3", Node::Symlink { meta: Meta::EXECUTABLE, target: "python3.11".into() });
    tree.insert("/usr/local/bin/python", Node::Symlink { meta: Meta::EXECUTABLE, target: "python3".into() });
    tree.insert("/usr/local/bin/pip", Node::blob("pip for Bullseye", 230, Meta::EXECUTABLE));
    tree.insert("/usr/local/lib/python3.11/stdlib", Node::blob("stdlib", 30_000_000, Meta::FILE));
    tree
}

pub fn alpine() -> FileTree {
    base("alpine")
}

pub fn busybox() -> FileTree {
    base("busybox")
}

/// `node:20-alpine`-like.
pub fn node_alpine() -> FileTree {
    let mut tree = alpine();
    tree.insert("/usr/local/bin/node", Node::blob("node 20.11.1 for Alpine319", 95_000_000, Meta::EXECUTABLE));
    tree.insert("/usr/local/lib/node_modules/npm", Node::blob("npm", 25_000_000, Meta::FILE));
    tree.insert("/usr/local/bin/npm", Node::Symlink { meta: Meta::EXECUTABLE, target: "../lib/node_modules/npm/bin/npm-cli.js".into() });
    tree
}

/// `golang:1.22`-like (Debian with gcc).
pub fn golang() -> FileTree {
    let mut tree = debian();
    tree.insert("/usr/local/go/bin/go", Node::blob("go 1.22.1 for Bookworm", 14_000_000, Meta::EXECUTABLE));
    tree.insert("/usr/bin/gcc", Node::blob("gcc for Bookworm", 1_200_000, Meta::EXECUTABLE));
    tree.mkdir_all("/go/src", Meta::DIR);
    tree
}

pub const PATH: &str = "PATH=/usr/local/bin:/usr/local/go/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Runs `/bin/sh -c script` as a Dockerfile `RUN` would (root, network on, cwd `cwd`).
pub fn run_sh(tree: &mut FileTree, cwd: &str, script: &str) -> ProgramRun {
    run_as(tree, cwd, "", true, script)
}

pub fn run_as(tree: &mut FileTree, cwd: &str, user: &str, network: bool, script: &str) -> ProgramRun {
    let mut process = Process {
        rootfs: tree,
        env: vec![PATH.to_string(), "HOME=/root".to_string()],
        cwd: cwd.to_string(),
        user: user.to_string(),
        network,
        stdin: None,
        container: None,
    };
    let argv = vec!["/bin/sh".to_string(), "-c".to_string(), script.to_string()];
    exec(&argv, &mut process).unwrap_or_else(|error| ProgramRun { stderr: vec![error.to_string()], exit_code: 127, ..ProgramRun::default() })
}

/// A container around a process: `172.17.0.2`, no limits, `db` resolvable to `172.17.0.3`.
pub fn container() -> super::ContainerContext {
    super::ContainerContext {
        id: "4f2a".repeat(16),
        name: "test".into(),
        hostname: "4f2a4f2a4f2a".into(),
        processes: Vec::new(),
        namespaces: super::Namespaces::HOST,
        memory_limit: None,
        memory_usage: 0,
        host_memory: 8 << 30,
        nano_cpus: 0,
        pids_limit: None,
        capabilities: super::DEFAULT_CAPABILITIES.iter().map(|c| c.to_string()).collect(),
        privileged: false,
        no_new_privileges: false,
        read_only: false,
        tmpfs: Vec::new(),
        mounts: Vec::new(),
        listeners: Vec::new(),
        ip_address: "172.17.0.2".into(),
        ip_prefix: 16,
        gateway: "172.17.0.1".into(),
        more_interfaces: Vec::new(),
        dns: vec![("db".into(), "172.17.0.3".into())],
        peers: Vec::new(),
        network_none: false,
        now: crate::clock::SESSION_START.0,
    }
}

/// Runs `argv` as a container's main process (root, cwd `cwd`, extra `env`) in `context`.
pub fn run_in_container(tree: &mut FileTree, cwd: &str, env: &[&str], argv: &[&str], context: super::ContainerContext) -> ProgramRun {
    let mut vars = vec![PATH.to_string(), "HOME=/root".to_string()];
    vars.extend(env.iter().map(|e| e.to_string()));
    let mut process = Process {
        rootfs: tree,
        env: vars,
        cwd: cwd.to_string(),
        user: String::new(),
        network: true,
        stdin: None,
        container: Some(context),
    };
    let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
    exec(&argv, &mut process).unwrap_or_else(|error| ProgramRun { stderr: vec![error.to_string()], exit_code: 127, ..ProgramRun::default() })
}
