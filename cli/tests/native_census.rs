//! The leak census (root, Linux): 100 consecutive real-kernel runs — every demo, `run --real`,
//! and some stopped with Ctrl-C midway — leave no cgroup, mount, link or network namespace behind.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use engine::host::census::Census;

const RUNS: usize = 100;

/// The commands the census cycles through, each with the statuses it may end with.
fn plan() -> Vec<(Vec<&'static str>, &'static [i32])> {
    vec![
        (vec!["demo", "namespaces", "--json"], &[0]),
        (vec!["demo", "cgroup", "--memory", "16m", "--json"], &[0]),
        (vec!["demo", "overlay", "--json"], &[0]),
        (vec!["demo", "network", "--json"], &[0]),
        (vec!["run", "--real", "alpine", "sh", "-c", "echo hi > /tmp/x && cat /tmp/x"], &[0]),
        (vec!["run", "--real", "-m", "16m", "alpine", "sh", "-c", "exit 3"], &[3]),
    ]
}

fn whalebox(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_whalebox"));
    command.args(args).env("NO_COLOR", "1").stdin(Stdio::null());
    command
}

/// Runs one command to the end, or sends it SIGINT after `interrupt_after` and waits.
fn run_once(args: &[&str], interrupt_after: Option<Duration>) -> (i32, String) {
    let child = whalebox(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("whalebox starts");
    if let Some(delay) = interrupt_after {
        std::thread::sleep(delay);
        let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    }
    let output = child.wait_with_output().expect("whalebox ends");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn a_hundred_runs_leave_nothing_behind() {
    assert!(
        engine::host::privilege::is_root(),
        "the census makes real namespaces and cgroups: run it as root (cargo xtask test does, when root)"
    );
    let plan = plan();
    let started = Instant::now();
    let before = Census::take();
    for run in 0..RUNS {
        let (args, allowed) = &plan[run % plan.len()];
        // Every seventh run is stopped with Ctrl-C partway, at a different point each time.
        let interrupt = (run % 7 == 6).then(|| Duration::from_millis(120 + (run as u64 * 37) % 400));
        let (status, output) = run_once(args, interrupt);
        if interrupt.is_some() {
            assert!(
                status == 130 || allowed.contains(&status),
                "run {run} `{}` interrupted: status {status}\n{output}",
                args.join(" ")
            );
        } else {
            assert!(allowed.contains(&status), "run {run} `{}`: status {status}\n{output}", args.join(" "));
        }
        let leaks = before.leaks_since(&Census::take());
        assert!(leaks.is_empty(), "run {run} `{}` left behind:\n{}\n{output}", args.join(" "), leaks.join("\n"));
    }
    eprintln!("census: {RUNS} runs in {:.1} s, nothing left behind", started.elapsed().as_secs_f64());
}
