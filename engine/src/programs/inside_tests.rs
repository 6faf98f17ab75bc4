//! Tests for the in-container programs: a tree, a [`ContainerContext`], exact output.

use super::super::testing::{alpine, debian, run_sh, PATH};
use super::super::{exec, HttpRoute, Process, ProgramRun, DEFAULT_CAPABILITIES};
use super::*;
use crate::fs::{FileTree, Meta, Node};

const ID: &str = "3f4e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";

fn http(server: &str, routes: &[(&str, u16, &str)]) -> Option<HttpService> {
    Some(HttpService {
        server: server.into(),
        routes: routes.iter().map(|(path, status, body)| HttpRoute { path: path.to_string(), status: *status, body: body.to_string() }).collect(),
        docroot: None,
    })
}

fn listener(address: &str, port: u16, program: &str, pid: u32, service: Option<HttpService>) -> Listener {
    Listener { address: address.into(), port, protocol: "tcp".into(), program: program.into(), pid, http: service }
}

fn process(pid: u32, ppid: u32, user: &str, command: &str, rss: u64) -> ProcessEntry {
    ProcessEntry { pid, host_pid: 4100 + pid, ppid, user: user.into(), command: command.into(), rss, cpu_millis: 0 }
}

/// An nginx container on the default bridge, a minute after it started.
fn ctx() -> ContainerContext {
    ContainerContext {
        id: ID.into(),
        name: "web".into(),
        hostname: "3f4e5a6b7c8d".into(),
        processes: vec![
            process(1, 0, "root", "nginx: master process nginx -g daemon off;", 6_000_000),
            process(29, 1, "nginx", "nginx: worker process", 3_000_000),
        ],
        namespaces: crate::programs::Namespaces {
            cgroup: 4026532303,
            ipc: 4026532299,
            mnt: 4026532297,
            net: 4026532302,
            pid: 4026532301,
            user: 4026531837,
            uts: 4026532298,
        },
        memory_limit: None,
        memory_usage: 9 * 1024 * 1024,
        host_memory: 8 * 1024 * 1024 * 1024,
        nano_cpus: 0,
        pids_limit: None,
        capabilities: DEFAULT_CAPABILITIES.iter().map(|c| c.to_string()).collect(),
        privileged: false,
        no_new_privileges: false,
        read_only: false,
        tmpfs: Vec::new(),
        mounts: Vec::new(),
        listeners: vec![
            listener("0.0.0.0", 80, "nginx", 1, http("nginx/1.25.4", &[("/", 200, "<h1>Welcome to nginx!</h1>\n"), ("/health", 200, "ok\n")])),
            listener("::", 80, "nginx", 1, http("nginx/1.25.4", &[("/", 200, "<h1>Welcome to nginx!</h1>\n"), ("/health", 200, "ok\n")])),
        ],
        ip_address: "172.17.0.2".into(),
        ip_prefix: 16,
        gateway: "172.17.0.1".into(),
        more_interfaces: Vec::new(),
        dns: vec![("db".into(), "172.18.0.3".into())],
        peers: Vec::new(),
        network_none: false,
        now: crate::clock::SESSION_START.0 + 60_000,
    }
}

/// Runs `argv` as `docker exec` does: the runtime lists the new process last, with PPID 0.
fn exec_in(tree: &mut FileTree, ctx: &ContainerContext, user: &str, argv: &[&str]) -> ProgramRun {
    let mut ctx = ctx.clone();
    let pid = ctx.processes.iter().map(|p| p.pid).max().unwrap_or(0) + 1;
    ctx.processes.push(process(pid, 0, if user.is_empty() { "root" } else { user }, &argv.join(" "), 1_000_000));
    let mut process = Process {
        rootfs: tree,
        env: vec![PATH.to_string(), "HOME=/root".to_string(), format!("HOSTNAME={}", ctx.hostname)],
        cwd: "/".into(),
        user: user.into(),
        network: !ctx.network_none,
        stdin: None,
        container: Some(ctx),
    };
    let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
    exec(&argv, &mut process).unwrap_or_else(|error| ProgramRun { stderr: vec![error.to_string()], exit_code: 127, ..ProgramRun::default() })
}

fn sh_in(tree: &mut FileTree, ctx: &ContainerContext, script: &str) -> ProgramRun {
    exec_in(tree, ctx, "", &["/bin/sh", "-c", script])
}

fn out(run: &ProgramRun) -> Vec<&str> {
    run.stdout.iter().map(String::as_str).collect()
}

fn err(run: &ProgramRun) -> Vec<&str> {
    run.stderr.iter().map(String::as_str).collect()
}

fn with_tool(mut tree: FileTree, path: &str, label: &str) -> FileTree {
    tree.insert(path, Node::blob(label, 100_000, Meta::EXECUTABLE));
    tree
}

#[test]
fn busybox_ps_lists_the_container_and_itself() {
    let mut tree = alpine();
    let run = exec_in(&mut tree, &ctx(), "", &["ps"]);
    assert_eq!(run.exit_code, 0, "{:?}", run.stderr);
    assert_eq!(
        out(&run),
        [
            "PID   USER     TIME  COMMAND",
            "    1 root      0:00 nginx: master process nginx -g daemon off;",
            "   29 nginx     0:00 nginx: worker process",
            "   30 root      0:00 ps",
        ]
    );
    // From a shell, ps is the shell's child with the next PID.
    let run = sh_in(&mut tree, &ctx(), "ps aux | tail -2");
    assert_eq!(out(&run), ["   30 root      0:00 /bin/sh -c ps aux | tail -2", "   31 root      0:00 ps aux"]);
}

#[test]
fn procps_ps_has_its_own_columns_and_slim_debian_has_no_ps() {
    let mut slim = debian();
    let run = exec_in(&mut slim, &ctx(), "", &["ps"]);
    assert_eq!((run.exit_code, err(&run)), (127, vec!["exec: \"ps\": executable file not found in $PATH"]));
    let run = sh_in(&mut slim, &ctx(), "ps aux");
    assert_eq!((run.exit_code, err(&run)), (127, vec!["/bin/sh: 1: ps: not found"]));
    let mut tree = with_tool(debian(), "/usr/bin/ps", "ps 2:4.0.2-3");
    let run = exec_in(&mut tree, &ctx(), "", &["ps", "aux"]);
    assert_eq!(
        out(&run),
        [
            "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND",
            "root           1  0.0  0.1   9812  5859 ?        Ss   09:01   0:00 nginx: master process nginx -g daemon off;",
            "nginx         29  0.0  0.0   5417  2929 ?        S    09:01   0:00 nginx: worker process",
            "root          30  0.0  0.0   2488   976 ?        Rs   09:01   0:00 ps aux",
        ]
    );
    let run = exec_in(&mut tree, &ctx(), "", &["ps", "-ef"]);
    assert_eq!(
        out(&run),
        [
            "UID          PID    PPID  C STIME TTY          TIME CMD",
            "root           1       0  0 09:01 ?        00:00:00 nginx: master process nginx -g daemon off;",
            "nginx         29       1  0 09:01 ?        00:00:00 nginx: worker process",
            "root          30       0  0 09:01 ?        00:00:00 ps -ef",
        ]
    );
    let run = exec_in(&mut tree, &ctx(), "", &["ps"]);
    assert_eq!(out(&run), ["    PID TTY          TIME CMD", "      1 ?        00:00:00 nginx", "     30 ?        00:00:00 ps"]);
}

#[test]
fn build_steps_keep_their_old_behaviour() {
    let mut tree = alpine();
    let run = run_sh(&mut tree, "/", "ps; hostname; curl -fsS http://localhost:8080/ || echo down");
    assert_eq!(out(&run), ["buildkitsandbox", "down"]);
    assert!(!read_only_denies(&Sys::new(&mut alpine(), &[], "/", true), "/sys/x"));
}

#[test]
fn cgroup_files_show_the_limits() {
    let mut tree = debian();
    let mut limited = ctx();
    limited.memory_limit = Some(256 * 1024 * 1024);
    limited.nano_cpus = 500_000_000;
    limited.pids_limit = Some(100);
    let run = sh_in(&mut tree, &limited, "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max /proc/1/cgroup");
    assert_eq!(out(&run), ["268435456", "50000 100000", "100", "0::/"]);
    let run = sh_in(&mut tree, &ctx(), "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max; cat /sys/fs/cgroup/memory.current");
    assert_eq!(out(&run), ["max", "max 100000", "max", "9437184"]);
    let run = sh_in(&mut tree, &ctx(), "cat /sys/fs/cgroup/nope");
    assert_eq!((run.exit_code, err(&run)), (1, vec!["cat: /sys/fs/cgroup/nope: No such file or directory"]));
    let run = sh_in(&mut tree, &ctx(), "grep MemTotal /proc/meminfo; nproc; [ -f /sys/fs/cgroup/memory.max ] && echo v2");
    assert_eq!(out(&run), ["MemTotal:        8388608 kB", "4", "v2"]);
}

#[test]
fn namespaces_and_proc_views() {
    let mut tree = debian();
    let run = sh_in(&mut tree, &ctx(), "readlink /proc/self/ns/pid /proc/1/ns/net; ls /proc/self/ns");
    assert_eq!(
        out(&run),
        ["pid:[4026532301]", "net:[4026532302]", "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts"]
    );
    let run = sh_in(&mut tree, &ctx(), "ls -l /proc/1/ns | head -3");
    assert_eq!(
        out(&run),
        ["total 0", "lrwxrwxrwx 1 root root     0 Mar  2 09:00 cgroup -> cgroup:[4026532303]", "lrwxrwxrwx 1 root root     0 Mar  2 09:00 ipc -> ipc:[4026532299]"]
    );
    let run = sh_in(&mut tree, &ctx(), "cat /proc/1/cmdline; echo; cat /proc/29/comm; grep CapEff /proc/self/status; ls /proc/4242");
    assert_eq!(out(&run), ["nginx: master process nginx -g daemon off;", "nginx", "CapEff:\t00000000a80425fb"]);
    assert_eq!(err(&run), ["ls: cannot access '/proc/4242': No such file or directory"]);
    let mut dropped = ctx();
    dropped.capabilities.retain(|c| c != "NET_RAW");
    let run = sh_in(&mut tree, &dropped, "grep CapBnd /proc/1/status");
    assert_eq!(out(&run), ["CapBnd:\t00000000a80405fb"]);
}

#[test]
fn free_shows_the_host_not_the_limit() {
    let mut tree = with_tool(debian(), "/usr/bin/free", "free 2:4.0.2-3");
    let mut limited = ctx();
    limited.memory_limit = Some(64 * 1024 * 1024);
    let run = exec_in(&mut tree, &limited, "", &["free", "-m"]);
    assert_eq!(
        out(&run),
        [
            "               total        used        free      shared  buff/cache   available",
            "Mem:            8192         992        5397          16        1802        6839",
            "Swap:              0           0           0",
        ]
    );
    let mut alpine_tree = alpine();
    let run = exec_in(&mut alpine_tree, &limited, "", &["busybox", "free"]);
    assert_eq!(out(&run).first().copied(), Some("              total        used        free      shared  buff/cache   available"));
}

#[test]
fn df_and_mount_show_the_container_mounts() {
    let mut tree = debian();
    let mut c = ctx();
    c.tmpfs = vec!["/tmp".into()];
    let run = exec_in(&mut tree, &c, "", &["df", "-h"]);
    assert_eq!(
        out(&run),
        [
            "Filesystem      Size  Used Avail Use% Mounted on",
            "overlay          59G   12G   44G  22% /",
            "tmpfs            64M     0   64M   0% /dev",
            "shm              64M     0   64M   0% /dev/shm",
            "/dev/sda1        59G   12G   44G  22% /etc/hosts",
            "tmpfs           4.0G     0  4.0G   0% /tmp",
            "tmpfs           4.0G     0  4.0G   0% /proc/acpi",
            "tmpfs           4.0G     0  4.0G   0% /proc/scsi",
            "tmpfs           4.0G     0  4.0G   0% /sys/firmware",
            "tmpfs           4.0G     0  4.0G   0% /sys/devices/virtual/powercap",
        ]
    );
    let mut box_tree = alpine();
    let run = exec_in(&mut box_tree, &c, "", &["df", "-h", "/"]);
    assert_eq!(out(&run), ["Filesystem                Size      Used Available Use% Mounted on", "overlay                  58.4G     11.9G     43.4G  22% /"]);
    c.read_only = true;
    let run = exec_in(&mut tree, &c, "", &["mount"]);
    let first = run.stdout.first().cloned().unwrap_or_default();
    assert!(first.starts_with("overlay on / type overlay (ro,relatime,lowerdir=/var/lib/docker/overlay2/l/"), "{first}");
    assert!(out(&run).contains(&"tmpfs on /tmp type tmpfs (rw,nosuid,nodev,noexec,relatime,inode64)"));
    assert!(out(&run).contains(&"cgroup on /sys/fs/cgroup type cgroup2 (ro,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot)"));
    let run = exec_in(&mut tree, &c, "", &["mount", "-t", "tmpfs", "none", "/mnt"]);
    assert_eq!((run.exit_code, err(&run)), (32, vec!["mount: /mnt: permission denied."]));
}

#[test]
fn kill_signals_known_processes_only() {
    let mut tree = alpine();
    let run = exec_in(&mut tree, &ctx(), "", &["kill", "-9", "1"]);
    assert_eq!((run.exit_code, run.stderr.len()), (0, 0));
    let run = exec_in(&mut tree, &ctx(), "", &["kill", "1234"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["kill: can't kill pid 1234: No such process"]));
    let run = exec_in(&mut tree, &ctx(), "", &["kill", "-s", "BOGUS", "1"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["kill: bad signal name 'BOGUS'"]));
    let run = exec_in(&mut tree, &ctx(), "nobody", &["kill", "1"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["kill: can't kill pid 1: Operation not permitted"]));
    let mut io = Io::default();
    let mut fs = debian();
    let mut sys = Sys::new(&mut fs, &[], "/", true);
    sys.container = Some(ctx());
    assert_eq!(kill(&sys, &mut io, &["1234".to_string()], KillStyle::Bash, "bash: kill: "), 1);
    assert_eq!(io.err, "bash: kill: (1234) - No such process\n");
    assert_eq!(signal_number("SIGTERM"), Some(15));
}

#[test]
fn netstat_lists_listening_sockets() {
    let mut tree = alpine();
    let run = exec_in(&mut tree, &ctx(), "", &["netstat", "-tlnp"]);
    assert_eq!(
        out(&run),
        [
            "Active Internet connections (only servers)",
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    ",
            "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      1/nginx: master pro",
            "tcp        0      0 :::80                   :::*                    LISTEN      1/nginx: master pro",
        ]
    );
    let mut net_tools = with_tool(debian(), "/bin/netstat", "netstat 2.10-0.1");
    let run = exec_in(&mut net_tools, &ctx(), "", &["netstat", "-tlnp"]);
    assert_eq!(run.stdout.get(3).map(String::as_str), Some("tcp6       0      0 :::80                   :::*                    LISTEN      1/nginx: master pro "));
    let run = exec_in(&mut debian(), &ctx(), "", &["ss", "-tlnp"]);
    assert_eq!(run.exit_code, 127);
    let mut iproute = with_tool(debian(), "/bin/ss", "ss 6.1.0-3");
    let run = exec_in(&mut iproute, &ctx(), "", &["ss", "-tlnp"]);
    assert_eq!(
        out(&run),
        [
            "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process",
            "LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    users:((\"nginx\",pid=1,fd=3))",
            "LISTEN 0      511                *:80              *:*    users:((\"nginx\",pid=1,fd=4))",
        ]
    );
}

#[test]
fn ip_and_ifconfig_show_lo_and_eth0() {
    let mut tree = with_tool(debian(), "/bin/ip", "ip 6.1.0-3");
    let run = exec_in(&mut tree, &ctx(), "", &["ip", "-4", "addr"]);
    assert!(out(&run).contains(&"    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0"), "{:?}", run.stdout);
    let mut none = ctx();
    none.network_none = true;
    none.ip_address.clear();
    let run = exec_in(&mut tree, &none, "", &["ip", "a"]);
    assert_eq!(run.stdout.len(), 6);
    let run = exec_in(&mut tree, &ctx(), "", &["ip", "route"]);
    assert_eq!(out(&run), ["default via 172.17.0.1 dev eth0 ", "172.17.0.0/16 dev eth0 proto kernel scope link src 172.17.0.2 "]);
    let mut box_tree = alpine();
    let run = exec_in(&mut box_tree, &ctx(), "", &["busybox", "ifconfig"]);
    assert_eq!(run.stdout.get(1).map(String::as_str), Some("          inet addr:172.17.0.2  Bcast:172.17.255.255  Mask:255.255.0.0"));
}

#[test]
fn curl_reaches_servers_in_the_container() {
    let mut tree = with_tool(debian(), "/usr/bin/curl", "curl 7.88.1");
    let mut c = ctx();
    c.listeners.push(listener("127.0.0.1", 5432, "postgres", 1, None));
    c.listeners.push(listener("127.0.0.1", 8000, "python", 1, http("uvicorn", &[("/", 200, "{\"ok\":true}")])));
    let run = exec_in(&mut tree, &c, "", &["curl", "-s", "localhost"]);
    assert_eq!((run.exit_code, out(&run)), (0, vec!["<h1>Welcome to nginx!</h1>"]));
    let run = exec_in(&mut tree, &c, "", &["curl", "-fsS", "http://127.0.0.1/missing"]);
    assert_eq!((run.exit_code, err(&run)), (22, vec!["curl: (22) The requested URL returned error: 404"]));
    let run = exec_in(&mut tree, &c, "", &["curl", "-s", "http://localhost:80/missing"]);
    assert_eq!(run.stdout.get(1).map(String::as_str), Some("<head><title>404 Not Found</title></head>"));
    let run = exec_in(&mut tree, &c, "", &["curl", "localhost:8080"]);
    assert_eq!((run.exit_code, err(&run)), (7, vec!["curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server"]));
    let run = exec_in(&mut tree, &c, "", &["curl", "localhost:5432"]);
    assert_eq!((run.exit_code, err(&run)), (52, vec!["curl: (52) Empty reply from server"]));
    let run = exec_in(&mut tree, &c, "", &["curl", "http://cache:6379/"]);
    assert_eq!((run.exit_code, err(&run)), (6, vec!["curl: (6) Could not resolve host: cache"]));
    // Bound to loopback: unreachable through the container's own address.
    let run = exec_in(&mut tree, &c, "", &["curl", "-s", "http://172.17.0.2:8000/"]);
    assert_eq!(run.exit_code, 7);
    let run = exec_in(&mut tree, &c, "", &["curl", "-s", "http://3f4e5a6b7c8d/health"]);
    assert_eq!(out(&run), ["ok"]);
    let run = exec_in(&mut tree, &c, "", &["curl", "-sI", "localhost:8000"]);
    assert_eq!(
        out(&run),
        ["HTTP/1.1 200 OK", "Date: Mon, 02 Mar 2026 09:01:00 GMT", "Server: uvicorn", "Content-Type: application/json", "Content-Length: 11", "Connection: keep-alive", ""]
    );
    let run = exec_in(&mut tree, &c, "", &["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "localhost/nope"]);
    assert_eq!((run.exit_code, out(&run)), (0, vec!["404"]));
    let run = exec_in(&mut tree, &c, "", &["curl", "-s", "http://db:5432/"]);
    assert_eq!(run.exit_code, 7);
    c.network_none = true;
    let run = exec_in(&mut tree, &c, "", &["curl", "https://example.com/"]);
    assert_eq!((run.exit_code, err(&run)), (6, vec!["curl: (6) Could not resolve host: example.com"]));
    // Outside names still download as before.
    let run = exec_in(&mut tree, &ctx(), "", &["curl", "-fsSL", "https://example.com/install.sh"]);
    assert_eq!(run.exit_code, 0);
}

#[test]
fn busybox_wget_probes_like_health_checks_do() {
    let mut tree = alpine();
    let run = exec_in(&mut tree, &ctx(), "", &["wget", "-qO-", "http://localhost/health"]);
    assert_eq!((run.exit_code, out(&run)), (0, vec!["ok"]));
    let run = exec_in(&mut tree, &ctx(), "", &["wget", "-q", "--spider", "http://localhost/"]);
    assert_eq!((run.exit_code, run.stderr.len()), (0, 0));
    let run = exec_in(&mut tree, &ctx(), "", &["wget", "-q", "--spider", "http://localhost/nope"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["wget: server returned error: HTTP/1.1 404 Not Found"]));
    let run = exec_in(&mut tree, &ctx(), "", &["wget", "-O-", "http://127.0.0.1:3000/"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["Connecting to 127.0.0.1:3000 (127.0.0.1:3000)", "wget: can't connect to remote host (127.0.0.1): Connection refused"]));
    let run = exec_in(&mut tree, &ctx(), "", &["wget", "-q", "http://api:8000/"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["wget: bad address 'api'"]));
    let run = exec_in(&mut tree, &ctx(), "", &["wget", "http://localhost/"]);
    assert_eq!(run.exit_code, 0);
    assert_eq!(tree.read_text("/index.html").ok(), Some("<h1>Welcome to nginx!</h1>\n"));
}

#[test]
fn read_only_root_refuses_writes_outside_tmpfs() {
    let mut tree = debian();
    tree.mkdir_all("/app", Meta::DIR);
    let mut c = ctx();
    c.read_only = true;
    c.tmpfs = vec!["/tmp".into()];
    let run = sh_in(&mut tree, &c, "touch /app/x; mkdir /app/d; rm -f /etc/os-release; touch /tmp/ok && echo tmp; echo hi | tee /app/y; touch /etc/hosts && echo hosts");
    assert_eq!(
        err(&run),
        [
            "touch: cannot touch '/app/x': Read-only file system",
            "mkdir: cannot create directory '/app/d': Read-only file system",
            "rm: cannot remove '/etc/os-release': Read-only file system",
            "tee: /app/y: Read-only file system",
        ]
    );
    assert_eq!(out(&run), ["tmp", "hi", "hosts"]);
    assert!(tree.exists("/tmp/ok") && !tree.exists("/app/x"));
    let mut box_tree = alpine();
    box_tree.mkdir_all("/app", Meta::DIR);
    let run = sh_in(&mut box_tree, &c, "touch /app/x; cp /etc/passwd /app/");
    assert_eq!(err(&run), ["touch: /app/x: Read-only file system", "cp: can't create '/app/': Read-only file system"]);
    let mut sys_tree = debian();
    let mut fs = sys_tree.clone();
    let mut sys = Sys::new(&mut fs, &[], "/", true);
    sys.container = Some(ctx());
    assert!(read_only_denies(&sys, "/sys/fs/cgroup/memory.max"));
    assert!(!read_only_denies(&sys, "/app/x"));
    let run = sh_in(&mut sys_tree, &ctx(), "mkdir /app && touch /app/x && echo rw");
    assert_eq!(out(&run), ["rw"]);
}

#[test]
fn capabilities_gate_chown_and_ping() {
    let mut tree = debian();
    tree.insert("/data", Node::text("x"));
    let mut c = ctx();
    c.capabilities.retain(|cap| cap != "CHOWN" && cap != "NET_RAW");
    let run = sh_in(&mut tree, &c, "chown nobody /data");
    assert_eq!((run.exit_code, err(&run)), (1, vec!["chown: changing ownership of '/data': Operation not permitted"]));
    let run = sh_in(&mut tree, &ctx(), "chown nobody /data && echo done");
    assert_eq!(out(&run), ["done"]);
    let mut box_tree = alpine();
    let run = exec_in(&mut box_tree, &c, "", &["ping", "-c", "1", "db"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["ping: permission denied (are you root?)"]));
    let run = exec_in(&mut box_tree, &ctx(), "", &["ping", "-c", "2", "db"]);
    assert_eq!(run.exit_code, 0);
    assert_eq!(run.stdout.first().map(String::as_str), Some("PING db (172.18.0.3): 56 data bytes"));
    assert_eq!(run.stdout.get(5).map(String::as_str), Some("2 packets transmitted, 2 packets received, 0% packet loss"));
    let run = exec_in(&mut box_tree, &ctx(), "", &["ping", "-c", "1", "nosuch"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["ping: bad address 'nosuch'"]));
}

#[test]
fn nslookup_asks_the_embedded_dns() {
    let mut tree = alpine();
    let run = exec_in(&mut tree, &ctx(), "", &["nslookup", "db"]);
    assert_eq!(out(&run), ["Server:\t\t127.0.0.11", "Address:\t127.0.0.11:53", "", "Non-authoritative answer:", "Name:\tdb", "Address: 172.18.0.3", ""]);
    let run = exec_in(&mut tree, &ctx(), "", &["nslookup", "nosuch"]);
    assert_eq!(run.exit_code, 1);
    assert_eq!(run.stdout.get(3).map(String::as_str), Some("** server can't find nosuch: NXDOMAIN"));
}

#[test]
fn getent_reads_hosts_then_dns_and_fails_with_2() {
    let mut tree = debian();
    let run = exec_in(&mut tree, &ctx(), "", &["getent", "hosts", "db"]);
    assert_eq!((run.exit_code, out(&run)), (0, vec!["172.18.0.3      db"]));
    let run = exec_in(&mut tree, &ctx(), "", &["getent", "hosts", "nosuch"]);
    assert_eq!((run.exit_code, out(&run).len()), (2, 0));
    let run = exec_in(&mut tree, &ctx(), "", &["getent", "passwd", "root"]);
    assert_eq!(run.exit_code, 0);
    assert!(out(&run)[0].starts_with("root:x:0:0:"), "{:?}", out(&run));
    let run = exec_in(&mut tree, &ctx(), "", &["getent", "shadowy", "x"]);
    assert_eq!((run.exit_code, err(&run)[0]), (1, "Unknown database: shadowy"));
}

#[test]
fn client_probes_find_their_servers() {
    let mut tree = with_tool(debian(), "/usr/share/postgresql-common/pg_wrapper", "pg_wrapper 248");
    tree.insert("/usr/bin/pg_isready", Node::Symlink { meta: Meta::EXECUTABLE, target: "../share/postgresql-common/pg_wrapper".into() });
    tree.insert("/usr/local/bin/redis-cli", Node::blob("redis-cli 7.2.4", 100_000, Meta::EXECUTABLE));
    let mut c = ctx();
    let run = exec_in(&mut tree, &c, "", &["pg_isready"]);
    assert_eq!((run.exit_code, out(&run)), (2, vec!["/var/run/postgresql:5432 - no response"]));
    let run = exec_in(&mut tree, &c, "", &["redis-cli", "ping"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["Could not connect to Redis at 127.0.0.1:6379: Connection refused"]));
    c.listeners.push(listener("0.0.0.0", 5432, "postgres", 1, None));
    c.listeners.push(listener("0.0.0.0", 6379, "redis-server", 1, None));
    let run = exec_in(&mut tree, &c, "", &["pg_isready", "-h", "localhost", "-U", "postgres"]);
    assert_eq!((run.exit_code, out(&run)), (0, vec!["localhost:5432 - accepting connections"]));
    let run = exec_in(&mut tree, &c, "", &["redis-cli", "ping"]);
    assert_eq!((run.exit_code, out(&run)), (0, vec!["PONG"]));
}

#[test]
fn hostname_id_and_uptime_inside() {
    let mut tree = debian();
    let run = sh_in(&mut tree, &ctx(), "hostname; uname -n; hostname -I; id");
    assert_eq!(out(&run), ["3f4e5a6b7c8d", "3f4e5a6b7c8d", "172.17.0.2 ", "uid=0(root) gid=0(root) groups=0(root)"]);
    let run = exec_in(&mut tree, &ctx(), "1000", &["whoami"]);
    assert_eq!((run.exit_code, err(&run)), (1, vec!["whoami: cannot find name for user ID 1000"]));
    let mut box_tree = alpine();
    let run = exec_in(&mut box_tree, &ctx(), "1000", &["whoami"]);
    assert_eq!(err(&run), ["whoami: unknown uid 1000"]);
    let run = exec_in(&mut box_tree, &ctx(), "", &["busybox", "uptime"]);
    assert_eq!(out(&run), [" 09:01:00 up 3 days,  2:15,  load average: 0.00, 0.00, 0.00"]);
    let run = exec_in(&mut box_tree, &ctx(), "", &["top", "-b", "-n", "1"]);
    assert_eq!(run.stdout.get(3).map(String::as_str), Some("  PID  PPID USER     STAT   VSZ %VSZ CPU %CPU COMMAND"));
    assert_eq!(run.stdout.get(4).map(String::as_str), Some("    1     0 root     S     9812   0%   1   0% nginx: master process nginx -g daemon off;"));
}

#[test]
fn nothing_here_panics_on_odd_input() {
    let odd = ["", "-", "--", "-s", "-l", "-c", "-h", "-p", "-w", "-o", "-O", "99999999999999999999", "[::1]", "http://", "://", "/proc/", "/proc/self/ns/x", "/sys/fs/cgroup/../../x", "-qO", "%{", "\u{0}"];
    let programs = ["ps", "top", "free", "uptime", "df", "mount", "kill", "netstat", "ss", "ip", "ifconfig", "nslookup", "ping", "pg_isready", "redis-cli", "curl", "wget", "cat", "ls", "readlink", "hostname"];
    let mut tree = with_tool(with_tool(debian(), "/usr/bin/curl", "curl 7.88.1"), "/usr/bin/ps", "ps 2:4.0.2-3");
    for program in programs {
        for a in odd {
            for b in odd {
                let _ = exec_in(&mut tree, &ctx(), "", &[program, a, b]);
                let _ = exec_in(&mut alpine(), &ctx(), "", &["busybox", program, a, b]);
            }
        }
    }
}

