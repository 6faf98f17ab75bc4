//! `demo namespaces|cgroup|overlay` and `run --real`: the engine's real-kernel pieces, narrated
//! step by step in the lessons' words, with `--json` facts for the tests.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use engine::fs::{FileTree, LayerDiff, Node};
use engine::host::cgroup::{self, Cgroup, CgroupGuard, Limits, Version};
use engine::host::container;
use engine::host::namespaces;
use engine::host::overlay::{self, Overlay, OverlayGuard, Scratch, ScratchGuard};
use engine::host::sys::{self, Exit, Kernel, Real};
use serde_json::json;

use super::{exit, interrupt, CgroupArgs, NamespacesArgs, Narrator, OverlayArgs, RunArgs};

const CGROUP_ROOT: &str = "/sys/fs/cgroup";

/// The narrator's last word when Ctrl-C stopped a demo; the guards then remove everything.
fn interrupted(narrator: &Narrator) -> ExitCode {
    narrator.warn("interrupted: removing what the demo made");
    ExitCode::from(exit::INTERRUPTED)
}

fn failed(narrator: &Narrator, what: &str, error: impl std::fmt::Display) -> ExitCode {
    narrator.warn(&format!("{what}: {error}"));
    narrator.finish();
    ExitCode::from(exit::FAILED)
}

fn mib(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    if bytes < 1 << 20 {
        return format!("{:.1} KiB", bytes as f64 / 1024.0);
    }
    format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
}

// ---------------------------------------------------------------------------------------------
// demo namespaces

pub fn namespaces(args: NamespacesArgs) -> ExitCode {
    let mut n = Narrator::new(args.common.json);
    let mut kernel = Real;
    n.step("Start a process in new namespaces");
    n.say("clone(2) with CLONE_NEWPID, CLONE_NEWUTS, CLONE_NEWNS, CLONE_NEWNET and CLONE_NEWIPC —");
    n.say("the same flags runc passes for a container — and CLONE_NEWUSER where the kernel allows it.");
    n.command(&format!("unshare --pid --uts --mount --net --ipc --user --fork --mount-proc hostname {}", args.hostname));
    let observed = match namespaces::observe(&mut kernel, &args.hostname, true) {
        Ok(observed) => observed,
        Err(error) => {
            n.warn(&format!("no user namespace here ({error}); trying without CLONE_NEWUSER"));
            match namespaces::observe(&mut kernel, &args.hostname, false) {
                Ok(observed) => observed,
                Err(error) => return failed(&n, "could not start a process in new namespaces", error),
            }
        }
    };
    if interrupt::requested() {
        return interrupted(&n);
    }
    let inside = &observed.inside;

    n.step("PID namespace: the process is PID 1 inside");
    n.say("Inside, its own /proc (mounted in its mount namespace) shows only its PID namespace:");
    n.command("echo $$   # inside");
    n.output(&inside.pid.to_string());
    n.say(&format!("From the host it is an ordinary process, PID {}:", observed.host_pid));
    n.command(&format!("grep NSpid /proc/{}/status   # on the host", observed.host_pid));
    n.output(&format!("NSpid:\t{}", observed.ns_pids.replace(' ', "\t")));
    if inside.pid == 1 {
        n.shown(&format!("PID 1 inside is PID {} on the host: one process, two numbers", observed.host_pid));
    } else {
        n.warn(&format!("expected PID 1 inside, saw {}", inside.pid));
    }

    n.step("UTS namespace: its own hostname");
    n.command("hostname   # inside");
    n.output(&inside.hostname);
    n.command("hostname   # on the host");
    n.output(&observed.hostname_outside);
    let hostname_differs = inside.hostname != observed.hostname_outside;
    if hostname_differs {
        n.shown("sethostname inside changed only the new UTS namespace");
    } else {
        n.warn("the hostname inside is the host's");
    }

    n.step("Namespace inodes: /proc/self/ns inside vs outside");
    n.say("Each namespace is a kernel object; the link's number is its inode. Same number, same namespace.");
    n.command("readlink /proc/self/ns/*");
    let made: Vec<&str> = namespaces::CONTAINER
        .iter()
        .map(|(name, _)| *name)
        .chain(observed.user_namespace.then_some("user"))
        .collect();
    let mut ns_facts = serde_json::Map::new();
    let mut all_new_differ = true;
    for kind in namespaces::SHOWN {
        let (Some(ins), Some(out)) = (inside.namespaces.get(kind), observed.outside.get(kind)) else { continue };
        let expected_new = made.contains(&kind);
        let differs = ins != out;
        if expected_new && !differs {
            all_new_differ = false;
        }
        let note = match (expected_new, differs) {
            (true, true) => "new",
            (false, false) => "shared with the host",
            (true, false) => "NOT new (unexpected)",
            (false, true) => "differs",
        };
        n.output(&format!("{kind:<7} inside {ins:<22} outside {out:<22} {note}"));
        ns_facts.insert(kind.to_string(), json!({"inside": ins, "outside": out, "new": expected_new}));
    }
    if !observed.user_namespace {
        n.warn("no user namespace: the kernel refused CLONE_NEWUSER here, so root inside is root outside");
    } else {
        n.say("The user namespace maps root inside to root outside (uid_map 0 0 4294967295).");
    }
    if all_new_differ {
        n.shown(&format!("{} namespaces are new: {}", made.len(), made.join(", ")));
    }

    n.step("Network namespace: an empty network stack");
    n.command("ip link   # inside");
    for (name, up) in &inside.interfaces {
        n.output(&format!("{name}: {}", if *up { "UP" } else { "DOWN" }));
    }
    let names: Vec<&str> = inside.interfaces.iter().map(|(name, _)| name.as_str()).collect();
    let only_lo_down = names == ["lo"] && inside.interfaces.iter().all(|(_, up)| !up);
    if only_lo_down {
        n.shown("only the loopback device, and it is down: no eth0, no route out until one is added");
    } else {
        n.warn(&format!("expected only lo (down), saw {names:?}"));
    }
    n.say(&format!("The process exited with status {}; its namespaces went with it.", observed.exit.status()));

    n.fact("pid_inside", inside.pid);
    n.fact("host_pid", observed.host_pid);
    n.fact("hostname_inside", inside.hostname.clone());
    n.fact("hostname_outside", observed.hostname_outside.clone());
    n.fact("user_namespace", observed.user_namespace);
    n.fact("namespaces", serde_json::Value::Object(ns_facts));
    n.fact("interfaces_inside", names.clone());
    n.fact("lo_up", inside.interfaces.iter().any(|(name, up)| name == "lo" && *up));
    n.finish();
    let ok = inside.pid == 1 && hostname_differs && all_new_differ && only_lo_down;
    ExitCode::from(if ok { exit::OK } else { exit::FAILED })
}

// ---------------------------------------------------------------------------------------------
// demo cgroup

/// Runs `child` as a forked process placed in `cgroup` before it starts; returns its exit, and
/// calls `watch` every ~40 ms while it runs.
fn run_in_cgroup(
    kernel: &mut Real,
    cgroup: &Cgroup,
    child: &mut dyn FnMut() -> isize,
    watch: &mut dyn FnMut(&mut Real),
) -> std::io::Result<(Exit, bool)> {
    let handshake = sys::Handshake::new()?;
    let parent = nix_getpid();
    let pid = kernel.spawn(sys::CloneFlags::empty(), &mut || {
        if !sys::die_with_parent(parent) || !handshake.wait_for_go() {
            return 1;
        }
        child()
    })?;
    if let Err(error) = cgroup.add(kernel, pid).and_then(|()| handshake.go()) {
        let _ = kernel.kill(pid, sys::Signal::SIGKILL);
        let _ = kernel.wait(pid, true);
        return Err(error);
    }
    let mut stopped = false;
    loop {
        if let Some(exit) = kernel.wait(pid, false)? {
            return Ok((exit, stopped));
        }
        if !stopped && interrupt::requested() {
            stopped = true;
            let _ = kernel.kill(pid, sys::Signal::SIGKILL);
        }
        watch(kernel);
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
}

fn nix_getpid() -> sys::Pid {
    sys::Pid::from_raw(std::process::id() as i32)
}

pub fn cgroup(args: CgroupArgs) -> ExitCode {
    let mut n = Narrator::new(args.common.json);
    let mut kernel = Real;
    let root = Path::new(CGROUP_ROOT);
    let limit = args.memory.bytes;

    n.step("Find the cgroup layout");
    n.command("mount -t cgroup,cgroup2");
    let Some(version) = cgroup::detect(&mut kernel, root) else {
        n.warn("no cgroup filesystem at /sys/fs/cgroup");
        n.finish();
        return ExitCode::from(exit::UNAVAILABLE);
    };
    match version {
        Version::V1 => n.say("cgroup v1: one hierarchy per controller (memory/, cpu/, pids/…)."),
        Version::V2 => n.say("cgroup v2: one unified tree; controllers enabled via cgroup.subtree_control."),
        Version::Hybrid => n.say(
            "hybrid: v1 controllers (memory/, cpu/…) plus a v2 tree at unified/ holding no controllers, \
             so limits go to the v1 hierarchies, as Docker does on such hosts.",
        ),
    }
    n.fact("cgroup_version", version.name());

    n.step("Make a cgroup with the limits docker run --memory/--cpus would set");
    let name = cgroup::cgroup_name("cgroup");
    let limits = Limits { memory_bytes: Some(limit), cpus: args.cpus };
    let made = match Cgroup::create(&mut kernel, root, version, &name, limits) {
        Ok(made) => made,
        Err(error) => return failed(&n, "could not make the cgroup", error),
    };
    let guard = CgroupGuard(made);
    for (controller, file, value) in cgroup::limit_writes(version, limits) {
        if let Some(dir) = guard.0.dir(controller) {
            n.command(&format!("echo {value} > {}", dir.join(file).display()));
        }
    }
    n.say(&format!("Limit: {} ({limit} bytes). The kernel's OOM killer enforces it for every process in the cgroup.", mib(limit)));
    n.fact("limit_bytes", limit);
    n.fact("cgroup_dirs", guard.0.dirs.iter().map(|(_, d)| d.display().to_string()).collect::<Vec<_>>());

    if let Some(cpus) = args.cpus {
        if interrupt::requested() {
            return interrupted(&n);
        }
        n.step(&format!("A busy loop under a CPU quota of {cpus} CPUs"));
        let quota = (cpus * cgroup::CPU_PERIOD_US as f64).round() as u64;
        n.say(&format!(
            "The CFS scheduler lets the cgroup run {quota} µs per {} µs period, then throttles it until the next one.",
            cgroup::CPU_PERIOD_US
        ));
        n.say("Two threads spin for one second: together they want two CPUs.");
        let result = run_in_cgroup(&mut kernel, &guard.0, &mut || cgroup::busy_loop(1000, 2), &mut |_| {});
        if let Err(error) = result {
            return failed(&n, "could not run the busy loop", error);
        }
        let counters = guard.0.counters(&mut kernel);
        n.command(&format!("cat {}", guard.0.dir("cpu").unwrap_or(root).join("cpu.stat").display()));
        n.output(&format!(
            "nr_periods {}\nnr_throttled {}\nthrottled {} µs",
            counters.nr_periods, counters.nr_throttled, counters.throttled_usec
        ));
        if counters.nr_throttled > 0 {
            n.shown(&format!(
                "throttled in {} of {} periods, {:.2} s in all: the loops wanted two CPUs and got {cpus}",
                counters.nr_throttled,
                counters.nr_periods,
                counters.throttled_usec as f64 / 1e6
            ));
        } else {
            n.warn("the loops were never throttled: on a busy host they may not even get their quota");
        }
        n.fact("cpus", cpus);
        n.fact("cpu_quota_us", quota);
        n.fact("cpu_period_us", cgroup::CPU_PERIOD_US);
        n.fact("nr_periods", counters.nr_periods);
        n.fact("nr_throttled", counters.nr_throttled);
        n.fact("throttled_usec", counters.throttled_usec);
    }

    if interrupt::requested() {
        return interrupted(&n);
    }
    n.step("A memory hog in the cgroup");
    n.say("A child process allocates and writes 2 MiB at a time; its pages are charged to the cgroup.");
    let usage_file = if version.unified() { "memory.current" } else { "memory.usage_in_bytes" };
    n.command(&format!("cat {}", guard.0.dir("memory").unwrap_or(root).join(usage_file).display()));
    let mut samples: Vec<u64> = Vec::new();
    let result = run_in_cgroup(&mut kernel, &guard.0, &mut || cgroup::memory_hog(2 << 20, 25, (limit * 4) as usize), &mut |k| {
        let usage = guard.0.counters(k).memory_usage;
        if usage > 0 && samples.last() != Some(&usage) {
            samples.push(usage);
        }
    });
    let (exit_of_hog, stopped) = match result {
        Ok(done) => done,
        Err(error) => return failed(&n, "could not run the memory hog", error),
    };
    if stopped {
        return interrupted(&n);
    }
    let shown_samples: Vec<String> = samples.iter().step_by((samples.len() / 8).max(1)).map(|b| mib(*b)).collect();
    n.output(&shown_samples.join(" → "));
    let rising = samples.windows(2).any(|w| w[1] > w[0]);
    if rising {
        n.shown("usage rose toward the limit");
    }

    n.step("The OOM killer");
    let counters = guard.0.counters(&mut kernel);
    let status = exit_of_hog.status();
    n.command("echo $?");
    n.output(&status.to_string());
    let (oom_file, oom_key) = if version.unified() { ("memory.events", "oom_kill") } else { ("memory.oom_control", "oom_kill") };
    n.command(&format!("grep {oom_key} {}", guard.0.dir("memory").unwrap_or(root).join(oom_file).display()));
    n.output(&format!("{oom_key} {}", counters.oom_kills));
    let peak = counters.memory_peak.unwrap_or(0).max(samples.iter().copied().max().unwrap_or(0));
    n.say(&format!("Peak usage {} of a {} limit.", mib(peak), mib(limit)));
    let oom = status == 137 && counters.oom_kills >= 1;
    if oom {
        n.shown("the kernel's OOM killer sent SIGKILL: exit code 137 = 128 + 9, the code docker shows as OOMKilled");
    } else {
        n.warn(&format!("expected an OOM kill (137), got status {status} with oom_kill {}", counters.oom_kills));
    }
    n.fact("exit_status", status);
    n.fact("oom_kills", counters.oom_kills);
    n.fact("peak_bytes", peak);
    n.fact("usage_samples", samples.clone());

    n.step("Remove the cgroup");
    let mut guard = guard;
    let dirs: Vec<PathBuf> = guard.0.dirs.iter().map(|(_, d)| d.clone()).collect();
    for dir in dirs.iter().rev() {
        n.command(&format!("rmdir {}", dir.display()));
    }
    let problems = guard.0.remove(&mut kernel);
    for problem in &problems {
        n.warn(problem);
    }
    n.fact("removed", problems.is_empty());
    n.finish();
    ExitCode::from(if oom && problems.is_empty() { exit::OK } else { exit::FAILED })
}

// ---------------------------------------------------------------------------------------------
// demo overlay

const DEFAULT_DOCKERFILE: &str = "FROM alpine:3.19\n\
COPY big.dat /opt/big.dat\n\
RUN echo 'written in layer 3' > /etc/whalebox.txt\n\
RUN rm /opt/big.dat\n\
CMD [\"cat\", \"/etc/whalebox.txt\"]\n";

/// The size of the file the default Dockerfile adds and then deletes.
const BIG_FILE_BYTES: usize = 8 << 20;

/// An image built or pulled in the simulator, with what the real side needs of it.
struct SimImage {
    layers: Vec<LayerDiff>,
    /// What made each layer (`RUN rm /opt/big.dat`), bottom first.
    made_by: Vec<String>,
    tree: FileTree,
    config: engine::image::ImageConfig,
}

fn sim_image(engine: &engine::Engine, reference: &str) -> Option<SimImage> {
    let world = engine.world();
    let image = world.find_image(reference)?;
    let layers: Vec<LayerDiff> = image.layers.iter().map(|d| world.layer(d).cloned().unwrap_or_default()).collect();
    let mut made_by: Vec<String> = image
        .history
        .iter()
        .filter(|h| !h.empty_layer)
        .map(|h| {
            let text = h.created_by.trim_end_matches(" # buildkit");
            text.replace("/bin/sh -c #(nop) ", "").replace("RUN /bin/sh -c ", "RUN ").replace("/bin/sh -c ", "RUN ")
        })
        .collect();
    made_by.resize(layers.len(), "(base)".to_string());
    Some(SimImage { layers, made_by, tree: world.image_tree(image), config: image.config.clone() })
}

/// A text file of the image to modify, and another to delete, for the copy-up and whiteout.
fn pick_files(tree: &FileTree) -> (Option<String>, Option<String>) {
    let texts: Vec<&String> = tree
        .entries()
        .filter(|(path, node)| matches!(node, Node::File { content: engine::fs::Content::Text(_), .. }) && path.starts_with("/etc/"))
        .map(|(path, _)| path)
        .collect();
    let modify = texts.iter().find(|p| p.ends_with("whalebox.txt")).or(texts.first()).map(|p| p.to_string());
    let delete = texts.iter().find(|p| Some(p.to_string()) != modify).map(|p| p.to_string());
    (modify, delete)
}

pub fn overlay(args: OverlayArgs) -> ExitCode {
    let mut n = Narrator::new(args.common.json);
    let mut kernel = Real;
    let dockerfile = match &args.dockerfile {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("whalebox: cannot read {}: {error}", path.display());
                return ExitCode::from(exit::USAGE);
            }
        },
        None => DEFAULT_DOCKERFILE.to_string(),
    };

    n.step("Build the image in the simulator");
    n.output(dockerfile.trim_end());
    let mut engine = engine::Engine::new(7);
    if let Err(error) = engine.write_file("Dockerfile", &dockerfile) {
        return failed(&n, "could not write the Dockerfile in the simulator", error);
    }
    // A build-context file for the default Dockerfile to COPY and a later layer to delete.
    if let Err(error) = engine.write_file("big.dat", &"whalebox layers ".repeat(BIG_FILE_BYTES / 16)) {
        return failed(&n, "could not write the build context in the simulator", error);
    }
    n.command("docker build -t whalebox-overlay .");
    let outcome = engine.run("docker build -t whalebox-overlay .");
    if outcome.exit_code != 0 {
        let text: Vec<String> = outcome.output.iter().map(|l| l.text.clone()).collect();
        n.output(&text.join("\n"));
        return failed(&n, "the simulated build failed", format!("exit {}", outcome.exit_code));
    }
    let Some(image) = sim_image(&engine, "whalebox-overlay") else {
        return failed(&n, "the simulator has no image", "whalebox-overlay");
    };
    n.shown(&format!("{} layers, bottom first", image.layers.len()));
    n.fact("layers", image.layers.len());

    if interrupt::requested() {
        return interrupted(&n);
    }
    n.step("Write each layer as a real directory");
    let root = overlay::run_dir("overlay");
    let layer_refs: Vec<&LayerDiff> = image.layers.iter().collect();
    let mut guard = OverlayGuard(Overlay::at(&root, 0));
    match Overlay::create(&mut kernel, &root, &layer_refs) {
        Ok(made) => guard.0 = made,
        Err(error) => {
            guard.0 = Overlay::at(&root, layer_refs.len());
            return failed(&n, "could not write the layers", error);
        }
    }
    let mut opaque_dirs = 0;
    for (index, (layer, made_by)) in image.layers.iter().zip(&image.made_by).enumerate() {
        let whiteouts = layer.changes.values().filter(|c| matches!(c, engine::fs::Change::Whiteout)).count();
        let opaque = layer.changes.values().filter(|c| matches!(c, engine::fs::Change::Opaque(_))).count();
        opaque_dirs += opaque;
        let opaque = if opaque > 0 { format!(", {opaque} opaque dir(s)") } else { String::new() };
        let used = kernel.disk_usage(&guard.0.lowers[index]).unwrap_or(0);
        let short: String = made_by.chars().take(60).collect();
        n.output(&format!(
            "layers/{index}: {:>4} entries, {:>9} on disk, {whiteouts} whiteout(s){opaque}   {short}",
            layer.changes.len(),
            mib(used)
        ));
    }
    n.say("Deletions are whiteouts: a character device 0/0 named like the deleted file; a directory");
    n.say("replaced wholesale is opaque (xattr trusted.overlay.opaque=y): nothing below shows through.");
    n.fact("opaque_dirs", opaque_dirs);

    if interrupt::requested() {
        return interrupted(&n);
    }
    n.step("Mount them with overlayfs");
    n.command(&format!("mount -t overlay overlay -o {} {}", guard.0.options(), guard.0.merged.display()));
    if let Err(error) = guard.0.mount(&mut kernel) {
        return failed(&n, "mount -t overlay failed", error);
    }
    n.say("lowerdirs: the image's read-only layers (top first); upperdir: the container's writable layer.");

    let (modify, delete) = pick_files(&image.tree);
    let merged = guard.0.merged.clone();
    let upper = guard.0.upper.clone();
    let in_dir = |dir: &Path, path: &str| dir.join(path.trim_start_matches('/'));

    n.step("Copy-up: write to a file from a lower layer");
    let mut copy_up = false;
    if let Some(path) = &modify {
        n.command(&format!("echo changed >> merged{path}"));
        let before = kernel.read(&in_dir(&merged, path)).unwrap_or_default();
        if let Err(error) = kernel.write(&in_dir(&merged, path), &format!("{before}changed\n")) {
            return failed(&n, "write through the overlay failed", error);
        }
        copy_up = kernel.exists(&in_dir(&upper, path));
        n.command(&format!("ls upper{path}"));
        n.output(if copy_up { "present" } else { "absent" });
        if copy_up {
            n.shown("overlayfs copied the whole file up into the writable layer before changing it; the lower copy is untouched");
        }
    }
    n.fact("copy_up", copy_up);

    n.step("Whiteout: delete a file from a lower layer");
    let mut whiteout_present = false;
    if let Some(path) = &delete {
        n.command(&format!("rm merged{path}"));
        if let Err(error) = kernel.remove(&in_dir(&merged, path)) {
            return failed(&n, "rm through the overlay failed", error);
        }
        let entries = kernel.walk(&upper).unwrap_or_default();
        whiteout_present = entries.iter().any(|e| &e.path == path && e.kind == sys::EntryKind::Whiteout);
        n.command(&format!("ls -l upper{path}"));
        n.output(if whiteout_present { "c--------- 1 root root 0, 0  (character device 0/0)" } else { "(no whiteout)" });
        if whiteout_present {
            n.shown("the lower file is still there; a whiteout in the upperdir hides it");
        }
    }
    n.fact("whiteout_present", whiteout_present);
    let _ = kernel.write(&merged.join("whalebox-new.txt"), "new in the container\n");

    n.step("Deleted in a later layer, still stored in an earlier one");
    let wasted = overlay::wasted(&layer_refs);
    let wasted_bytes: u64 = wasted.iter().map(|item| item.bytes).sum();
    let mut shown_layers: Vec<usize> = Vec::new();
    for item in &wasted {
        if !shown_layers.contains(&item.added_in) {
            shown_layers.push(item.added_in);
            let du = kernel.disk_usage(&guard.0.lowers[item.added_in]).unwrap_or(0);
            n.command(&format!("du -sB1 layers/{}", item.added_in));
            n.output(&format!("{du}\tlayers/{}", item.added_in));
        }
        n.say(&format!(
            "{} ({}) was made in layer {} and deleted in layer {}: hidden in the merged view, still stored in the image.",
            item.path,
            mib(item.bytes),
            item.added_in,
            item.deleted_in
        ));
    }
    if wasted.is_empty() {
        n.say("No layer deletes a file an earlier layer made.");
    } else {
        n.shown(&format!("{} wasted: delete in the same RUN that creates, or use a multi-stage build", mib(wasted_bytes)));
    }
    n.fact("wasted_bytes", wasted_bytes);

    n.step("docker diff, read from the upperdir");
    n.command("docker diff CONTAINER");
    let entries = kernel.walk(&upper).unwrap_or_default();
    let diff = overlay::docker_diff(&entries, &image.tree);
    n.output(&diff.join("\n"));
    n.fact("diff", diff);

    n.step("Unmount and remove everything");
    n.command(&format!("umount {} && rm -rf {}", merged.display(), root.display()));
    let problems = guard.0.remove(&mut kernel);
    for problem in &problems {
        n.warn(problem);
    }
    // The shared parent goes only when no other run is using it.
    let _ = std::fs::remove_dir(overlay::RUN_DIR);
    n.fact("removed", problems.is_empty());
    n.finish();
    let ok = copy_up && whiteout_present && problems.is_empty();
    ExitCode::from(if ok { exit::OK } else { exit::FAILED })
}

// ---------------------------------------------------------------------------------------------
// run --real

fn say(text: &str) {
    eprintln!("whalebox: {text}");
}

pub fn run_real(args: RunArgs) -> ExitCode {
    let busybox = Path::new(container::HOST_BUSYBOX);
    if !busybox.exists() {
        say(&format!(
            "run --real gives the image real binaries from the host's busybox, and {} is missing: apt-get install busybox-static",
            busybox.display()
        ));
        return ExitCode::from(exit::UNAVAILABLE);
    }
    let mut kernel = Real;
    let mut engine = engine::Engine::new(7);
    let pulled = engine.run(&format!("docker pull {}", args.image));
    if pulled.exit_code != 0 {
        for line in &pulled.output {
            eprintln!("{}", line.text);
        }
        return ExitCode::from(exit::RUN_FAILED);
    }
    let Some(image) = sim_image(&engine, &args.image) else {
        say(&format!("the simulator has no image {}", args.image));
        return ExitCode::from(exit::RUN_FAILED);
    };
    if interrupt::requested() {
        return ExitCode::from(exit::INTERRUPTED);
    }

    let scratch = match Scratch::mount(&mut kernel, &overlay::run_dir("run")) {
        Ok(scratch) => ScratchGuard(scratch),
        Err(error) => {
            say(&format!("could not mount a tmpfs for the layers: {error}"));
            return ExitCode::from(exit::RUN_FAILED);
        }
    };
    let root = scratch.0.dir.join("overlay");
    let layer_refs: Vec<&LayerDiff> = image.layers.iter().collect();
    let mut guard = OverlayGuard(Overlay::at(&root, layer_refs.len()));
    match Overlay::create(&mut kernel, &root, &layer_refs) {
        Ok(made) => guard.0 = made,
        Err(error) => {
            say(&format!("could not write the image's layers: {error}"));
            return ExitCode::from(exit::RUN_FAILED);
        }
    }
    let applets = container::busybox_applets(busybox).unwrap_or_default();
    let busybox_dir = guard.0.push_lower();
    let layer = match container::busybox_layer(&mut kernel, &busybox_dir, &image.tree, busybox, &applets) {
        Ok(layer) => layer,
        Err(error) => {
            say(&format!("could not add busybox: {error}"));
            return ExitCode::from(exit::RUN_FAILED);
        }
    };
    let replaced = match layer.replaced.len() {
        0 => String::new(),
        count => {
            let examples: Vec<&str> = layer.replaced.iter().take(3).map(String::as_str).collect();
            format!("; {count} of the simulated image's stand-in binaries are replaced by applet links (e.g. {})", examples.join(", "))
        }
    };
    let kept = if layer.kept.is_empty() { String::new() } else { format!("; the image's own scripts kept: {}", layer.kept.join(", ")) };
    say(&format!(
        "{} layer(s) of {} as overlayfs lowerdirs; its binaries come from the host's busybox ({} applets at {}){replaced}{kept}",
        layer_refs.len(),
        args.image,
        applets.len(),
        layer.path,
    ));

    let limits = Limits { memory_bytes: args.memory.map(|m| m.bytes), cpus: args.cpus };
    let cgroup_guard = if limits.memory_bytes.is_some() || limits.cpus.is_some() {
        let Some(version) = cgroup::detect(&mut kernel, Path::new(CGROUP_ROOT)) else {
            say("no cgroup filesystem at /sys/fs/cgroup: cannot apply -m/--cpus");
            return ExitCode::from(exit::RUN_FAILED);
        };
        match Cgroup::create(&mut kernel, Path::new(CGROUP_ROOT), version, &cgroup::cgroup_name("run"), limits) {
            Ok(made) => Some(CgroupGuard(made)),
            Err(error) => {
                say(&format!("could not make the cgroup: {error}"));
                return ExitCode::from(exit::RUN_FAILED);
            }
        }
    } else {
        None
    };

    let hostname = args.hostname.clone().unwrap_or_else(container::short_id);
    let mut argv = image.config.entrypoint.clone().unwrap_or_default();
    if args.command.is_empty() {
        argv.extend(image.config.cmd.clone().unwrap_or_default());
    } else {
        argv.extend(args.command.iter().cloned());
    }
    if argv.is_empty() {
        say("no command given and the image has no CMD");
        return ExitCode::from(exit::RUN_FAILED);
    }
    let workdir = if image.config.working_dir.is_empty() { "/".to_string() } else { image.config.working_dir.clone() };
    let spec = container::Spec {
        hostname: hostname.clone(),
        env: container::environment(&image.config.env, &hostname, &args.env),
        argv,
        workdir,
    };
    if interrupt::requested() {
        return ExitCode::from(exit::INTERRUPTED);
    }
    let merged = guard.0.merged.clone();
    let options = guard.0.options();
    let cgroup_ref = cgroup_guard.as_ref().map(|g| &g.0);
    let ended = match container::run(&mut kernel, &merged, &options, &spec, cgroup_ref, &interrupt::requested) {
        Ok(ended) => ended,
        Err(error) => {
            say(&format!("could not start the container: {error}"));
            return ExitCode::from(exit::RUN_FAILED);
        }
    };
    for warning in &ended.warnings {
        say(warning);
    }
    let counters = cgroup_ref.map(|c| c.counters(&mut kernel));
    let oom_killed = ended.exit == Exit::Signal(9) && counters.is_some_and(|c| c.oom_kills > 0);
    if oom_killed {
        say("the kernel's OOM killer stopped the container (exit code 137, OOMKilled)");
    }
    let mut status = ended.exit.status();
    if let Some(error) = &ended.setup_error {
        say(&format!("the container could not start: {error}"));
        if error.contains("Exec format error") {
            say(
                "that program exists in the simulated image only as a stand-in (its size, no real bytes); \
                 run --real can run busybox applets and scripts (sh -c '…')",
            );
        }
        if !(status == 126 || status == 127) {
            status = i32::from(exit::RUN_FAILED);
        }
    }
    if ended.interrupted {
        status = i32::from(exit::INTERRUPTED);
    }
    if args.json {
        let facts = json!({
            "exit_status": status,
            "pid_on_host": ended.pid_on_host,
            "hostname": hostname,
            "oom_killed": oom_killed,
            "oom_kills": counters.map(|c| c.oom_kills),
            "memory_limit_bytes": limits.memory_bytes,
            "cpus": limits.cpus,
            "image": args.image,
            "layers": layer_refs.len(),
            "argv": spec.argv,
            "busybox_replaced": layer.replaced.len(),
            "interrupted": ended.interrupted,
        });
        eprintln!("{}", serde_json::to_string_pretty(&facts).unwrap_or_default());
    }
    drop(cgroup_guard);
    drop(guard);
    let _ = std::fs::remove_dir(overlay::RUN_DIR);
    ExitCode::from(u8::try_from(status).unwrap_or(exit::FAILED))
}
