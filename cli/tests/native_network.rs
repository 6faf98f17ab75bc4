//! Root-only tests of `whalebox demo network`: the built binary makes real bridges, veth pairs
//! and namespaces, a container's lookup by name gets its address from the DNS server, the
//! default bridge resolves no names, a published port answers through DNAT, and afterwards
//! nothing the run made is left (namespaces, links, /etc/netns folders, processes, files).
//!
//! The tests run at the same time, which also shows that runs with different pids do not
//! collide.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

use engine::host::privilege::is_root;

/// Fails the test, saying why, when it cannot run here (it needs root for namespaces and links):
/// a skipped test must never look like a passed one. Always `false` when it returns.
fn skip_unless_root(test: &str) -> bool {
    assert!(
        is_root(),
        "{test} needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) to make namespaces and links; \
         `cargo xtask test` runs it when it is root and reports NOT RUN otherwise"
    );
    false
}

fn whalebox(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whalebox"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the whalebox binary runs")
}

/// The pid a run named everything after, read back from `whalebox-<pid>-host`.
fn run_pid(facts: &Value) -> u32 {
    let host = facts["host_netns"].as_str().expect("host_netns");
    host.trim_start_matches("whalebox-").trim_end_matches("-host").parse().expect("a pid in the host netns name")
}

fn names_in(dir: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default()
}

/// Everything still present that a run with this pid made (or would have made).
fn leftovers(pid: u32) -> Vec<String> {
    let prefix = format!("whalebox-{pid}-");
    let link_prefix = format!("wb{pid}");
    let mut left = Vec::new();
    left.extend(names_in("/run/netns").into_iter().filter(|n| n.starts_with(&prefix)).map(|n| format!("netns {n}")));
    left.extend(names_in("/etc/netns").into_iter().filter(|n| n.starts_with(&prefix)).map(|n| format!("/etc/netns/{n}")));
    // The demo makes no link in the real host's namespace at all; any wb<pid> one is a bug.
    left.extend(names_in("/sys/class/net").into_iter().filter(|n| n.starts_with(&link_prefix)).map(|n| format!("link {n}")));
    // Nor any rule in the real host's nat table: the DNAT rule lives in the demo's host netns.
    if let Ok(rules) = Command::new("iptables").args(["-t", "nat", "-S"]).output() {
        let rules = String::from_utf8_lossy(&rules.stdout).into_owned();
        left.extend(rules.lines().filter(|l| l.contains("10.89.")).map(|l| format!("host iptables rule {l}")));
    }
    left.extend(names_in("/tmp").into_iter().filter(|n| n.starts_with(&prefix)).map(|n| format!("/tmp/{n}")));
    for entry in names_in("/proc") {
        if entry.parse::<u32>().is_err() {
            continue;
        }
        let cmdline = std::fs::read(format!("/proc/{entry}/cmdline")).unwrap_or_default();
        let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if text.contains(&prefix) {
            left.push(format!("process {entry}: {text}"));
        }
    }
    left
}

fn check_run(args: &[&str], containers: usize) {
    let output = whalebox(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "whalebox {args:?} failed:\n{stderr}");
    let facts: Value = serde_json::from_slice(&output.stdout).expect("--json prints one JSON object");
    let pid = run_pid(&facts);

    let listed = facts["containers"].as_array().expect("containers");
    assert_eq!(listed.len(), containers, "{facts:#}");
    let names: Vec<&str> = listed.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["web", "db", "cache"][..containers]);
    assert!(facts["bridge"].as_str().unwrap().starts_with(&format!("wb{pid}")));
    assert_eq!(facts["dns_server"], "127.0.0.11:53");
    for container in listed {
        let name = container["name"].as_str().unwrap();
        let ip = container["ip"].as_str().unwrap();
        assert!(ip.starts_with("10.89.1."), "{ip}");
        assert_eq!(container["netns"], format!("whalebox-{pid}-{name}"));
        // The address the container's own lookup by name got is the container's address.
        assert_eq!(facts["dns_answers"][name], ip, "lookup of {name}: {facts:#}");
    }
    assert_eq!(facts["ping_by_name_ok"], true, "{stderr}");
    assert_eq!(facts["no_dns_lookup_failed"], true, "{stderr}");
    assert_eq!(facts["no_dns_ping_by_name_failed"], true, "{stderr}");
    assert_eq!(facts["no_dns_ping_by_ip_ok"], true, "{stderr}");
    // iptables is installed where these tests run (.ci/run installs it); without it the
    // reason would be recorded instead.
    match facts["dnat_rule"].as_str() {
        Some(rule) => {
            assert!(rule.contains("DNAT") || rule.contains("dnat"), "{rule}");
            assert!(rule.contains("8080") && rule.contains("10.89.1.2:80"), "{rule}");
            assert_eq!(facts["published_request_ok"], true, "{stderr}");
            assert_eq!(facts["dnat_unavailable_reason"], Value::Null);
        }
        None => panic!("no DNAT rule: {}", facts["dnat_unavailable_reason"]),
    }
    assert_eq!(facts["cleanup_ok"], true, "{facts:#}");
    // Narration went to stderr in Docker's words; stdout is only the JSON.
    assert!(stderr.contains("127.0.0.11") && stderr.contains("veth pair") && stderr.contains("docker0"), "{stderr}");
    assert!(stderr.contains("-p 8080:80"), "{stderr}");

    let left = leftovers(pid);
    assert!(left.is_empty(), "left behind by pid {pid}: {left:#?}");
}

#[test]
fn two_containers_find_each_other_by_name_and_leave_nothing() {
    if skip_unless_root("two_containers_find_each_other_by_name_and_leave_nothing") {
        return;
    }
    check_run(&["demo", "network", "--json"], 2);
}

#[test]
fn three_containers_find_each_other_by_name_and_leave_nothing() {
    if skip_unless_root("three_containers_find_each_other_by_name_and_leave_nothing") {
        return;
    }
    check_run(&["demo", "network", "--containers", "3", "--json"], 3);
}

#[test]
fn the_narration_without_json_goes_to_stdout() {
    if skip_unless_root("the_narration_without_json_goes_to_stdout") {
        return;
    }
    let output = whalebox(&["demo", "network"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("user-defined bridge network"), "{stdout}");
    assert!(stdout.contains("$ ip -n whalebox-"), "{stdout}");
    assert!(stdout.contains("iptables -t nat -A PREROUTING"), "{stdout}");
    assert!(!stdout.contains("\x1b["), "NO_COLOR is honoured");
}

#[test]
fn ctrl_c_or_sigterm_at_any_moment_removes_everything() {
    if skip_unless_root("ctrl_c_or_sigterm_at_any_moment_removes_everything") {
        return;
    }
    // The whole demo takes a fraction of a second; these delays land in different steps.
    for (signal, delay_ms) in [("-INT", 5u64), ("-INT", 30), ("-INT", 60), ("-INT", 90), ("-INT", 120), ("-INT", 150), ("-TERM", 40), ("-TERM", 100)] {
        let child = Command::new(env!("CARGO_BIN_EXE_whalebox"))
            .args(["demo", "network", "--json"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the whalebox binary runs");
        let pid = child.id();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = Command::new("kill").args([signal, &pid.to_string()]).status();
        let output = child.wait_with_output().expect("whalebox ends");
        let code = output.status.code();
        // 130 when it stopped early; 0 when it had already finished its last step; killed by
        // the signal (no code) only before it caught the signal, which is before it made anything.
        assert!(code == Some(130) || code == Some(0) || code.is_none(), "{signal} after {delay_ms} ms: {code:?}\n{}", String::from_utf8_lossy(&output.stderr));
        let left = leftovers(pid);
        assert!(left.is_empty(), "{signal} after {delay_ms} ms, left behind: {left:#?}");
    }
}
