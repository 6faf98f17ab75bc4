//! Root-only tests of the real-kernel demos and `run --real`: the built binary run with `--json`,
//! its facts checked, and nothing named after its PID left behind (cgroups, mounts, run dirs).

use std::process::{Command, Output};

use serde_json::Value;

use engine::host::privilege::is_root;

/// Runs `whalebox ARGS` and checks it left nothing behind; without root the test fails, saying why.
fn whalebox(args: &[&str]) -> Output {
    assert!(is_root(), "these tests make real namespaces, cgroups and mounts and need root; `cargo xtask test` runs them when it is root and reports NOT RUN otherwise");
    let child = Command::new(env!("CARGO_BIN_EXE_whalebox"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("whalebox starts");
    let pid = child.id();
    let output = child.wait_with_output().expect("whalebox ends");
    assert_nothing_left(pid);
    output
}

/// Everything a run makes is named `whalebox-<its pid>-…`.
fn assert_nothing_left(pid: u32) {
    let mark = format!("whalebox-{pid}-");
    let census = engine::host::census::Census::take();
    let left: Vec<&String> = census.cgroups.iter().chain(&census.mounts).filter(|name| name.contains(&mark)).collect();
    assert!(left.is_empty(), "left behind by pid {pid}: {left:?}");
    let run_dirs: Vec<String> = std::fs::read_dir("/run/whalebox")
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(&mark)).collect())
        .unwrap_or_default();
    assert!(run_dirs.is_empty(), "run dirs left behind: {run_dirs:?}");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The facts on stdout of a demo run with `--json`.
fn facts(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("no JSON facts ({e}):\nstdout {}\nstderr {}", text(&output.stdout), text(&output.stderr)))
}

/// The facts `run --real --json` prints on stderr after the container's own output.
fn run_facts(output: &Output) -> Value {
    let stderr = text(&output.stderr);
    let start = stderr.rfind("\n{").map(|i| i + 1).or_else(|| stderr.find('{')).expect("facts on stderr");
    serde_json::from_str(&stderr[start..]).unwrap_or_else(|e| panic!("bad facts ({e}): {stderr}"))
}

#[test]
fn namespaces_give_pid_1_a_hostname_new_inodes_and_only_lo() {
    let output = whalebox(&["demo", "namespaces", "--hostname", "wb-ns-test", "--json"]);
    let facts = facts(&output);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(facts["pid_inside"], 1);
    assert!(facts["host_pid"].as_i64().is_some_and(|pid| pid > 1), "{facts}");
    assert_eq!(facts["hostname_inside"], "wb-ns-test");
    assert_ne!(facts["hostname_outside"], facts["hostname_inside"]);
    for kind in ["pid", "uts", "mnt", "net", "ipc"] {
        let ns = &facts["namespaces"][kind];
        assert!(ns["inside"].is_string(), "{kind}: {facts}");
        assert_ne!(ns["inside"], ns["outside"], "{kind} is not new: {facts}");
    }
    assert_eq!(facts["interfaces_inside"], serde_json::json!(["lo"]));
    assert_eq!(facts["lo_up"], false);
}

#[test]
fn cgroup_memory_hog_is_oom_killed_and_the_cpu_quota_throttles() {
    let output = whalebox(&["demo", "cgroup", "--memory", "32m", "--cpus", "0.5", "--json"]);
    let facts = facts(&output);
    assert!(output.status.success(), "{}\n{facts}", text(&output.stderr));
    assert!(["v1", "v2", "hybrid"].contains(&facts["cgroup_version"].as_str().unwrap_or("")), "{facts}");
    assert_eq!(facts["limit_bytes"], 32 << 20);
    assert_eq!(facts["exit_status"], 137);
    assert!(facts["oom_kills"].as_u64().is_some_and(|n| n >= 1), "{facts}");
    assert!(facts["peak_bytes"].as_u64().is_some_and(|b| b > 16 << 20), "{facts}");
    assert_eq!(facts["cpu_quota_us"], 50_000);
    assert_eq!(facts["cpu_period_us"], 100_000);
    assert!(facts["nr_throttled"].as_u64().is_some_and(|n| n >= 1), "{facts}");
    assert_eq!(facts["removed"], true);
}

#[test]
fn overlay_shows_copy_up_whiteouts_and_wasted_space() {
    let output = whalebox(&["demo", "overlay", "--json"]);
    let facts = facts(&output);
    assert!(output.status.success(), "{}\n{facts}", text(&output.stderr));
    assert_eq!(facts["layers"], 4);
    assert_eq!(facts["copy_up"], true);
    assert_eq!(facts["whiteout_present"], true);
    assert!(facts["wasted_bytes"].as_u64().is_some_and(|b| b >= 8 << 20), "{facts}");
    let diff: Vec<&str> = facts["diff"].as_array().expect("diff").iter().filter_map(Value::as_str).collect();
    assert!(diff.iter().any(|l| l.starts_with("D ")), "{diff:?}");
    assert!(diff.iter().any(|l| l.starts_with("C ")), "{diff:?}");
    assert!(diff.contains(&"A /whalebox-new.txt"), "{diff:?}");
    assert_eq!(facts["removed"], true);
}

#[test]
fn run_real_prints_from_busybox_echo() {
    let output = whalebox(&["run", "--real", "alpine", "echo", "hello", "from", "busybox"]);
    assert_eq!(text(&output.stdout), "hello from busybox\n", "{}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stderr).contains("host's busybox"), "{}", text(&output.stderr));
}

#[test]
fn run_real_exits_with_the_command_s_status() {
    let output = whalebox(&["run", "--real", "alpine", "sh", "-c", "exit 3"]);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let output = whalebox(&["run", "--real", "alpine", "no-such-program"]);
    assert_eq!(output.status.code(), Some(127), "{}", text(&output.stderr));
}

#[test]
fn run_real_honours_env_hostname_and_is_pid_1() {
    let args = ["run", "--real", "--json", "-h", "box1", "-e", "FOO=bar", "alpine", "sh", "-c", "echo $FOO $(hostname) $HOSTNAME $$"];
    let output = whalebox(&args);
    assert_eq!(text(&output.stdout), "bar box1 box1 1\n", "{}", text(&output.stderr));
    let facts = run_facts(&output);
    assert_eq!(facts["exit_status"], 0);
    assert_eq!(facts["hostname"], "box1");
    assert!(facts["pid_on_host"].as_i64().is_some_and(|pid| pid > 1), "{facts}");
}

#[test]
fn run_real_under_a_memory_limit_is_oom_killed_with_137() {
    let hog = "x=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; while :; do x=$x$x; done";
    let output = whalebox(&["run", "--real", "--json", "-m", "16m", "alpine", "sh", "-c", hog]);
    assert_eq!(output.status.code(), Some(137), "{}", text(&output.stderr));
    let facts = run_facts(&output);
    assert_eq!(facts["oom_killed"], true);
    assert!(facts["oom_kills"].as_u64().is_some_and(|n| n >= 1), "{facts}");
}

/// Ctrl-C (SIGINT) while the container runs: the container is killed, everything is removed,
/// and whalebox exits 130.
#[test]
fn ctrl_c_stops_the_container_and_removes_everything() {
    assert!(is_root(), "these tests make real namespaces, cgroups and mounts and need root; `cargo xtask test` runs them when it is root and reports NOT RUN otherwise");
    let marker = "31.4159";
    let mut child = Command::new(env!("CARGO_BIN_EXE_whalebox"))
        .args(["run", "--real", "-m", "64m", "alpine", "sleep", marker])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("whalebox starts");
    let pid = child.id();
    let sleeping = || {
        std::fs::read_dir("/proc").into_iter().flatten().flatten().any(|entry| {
            // The container's own `sleep`, not whalebox, whose command line names it too.
            std::fs::read(entry.path().join("cmdline")).is_ok_and(|cmd| cmd == format!("sleep\0{marker}\0").as_bytes())
        })
    };
    let started = std::time::Instant::now();
    while !sleeping() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(sleeping(), "the container never started");
    let killed = Command::new("kill").args(["-INT", &pid.to_string()]).status().expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("whalebox ends");
    assert_eq!(status.code(), Some(130));
    assert!(!sleeping(), "the container outlived whalebox");
    assert_nothing_left(pid);
}
