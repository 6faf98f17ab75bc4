//! Real cgroups, v1 or v2, under a root path (`/sys/fs/cgroup`, or a temp dir in tests): a
//! memory limit the OOM killer enforces, a CPU quota the scheduler throttles, and their counters.

use std::io;
use std::path::{Path, PathBuf};

use super::sys::{Kernel, Pid};

/// How the host mounts cgroups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// One hierarchy per controller (`memory/`, `cpu/`…).
    V1,
    /// One unified tree with every controller.
    V2,
    /// v1 controllers plus a v2 tree at `unified/` that holds no controllers: limits go to v1.
    Hybrid,
}

impl Version {
    pub fn name(self) -> &'static str {
        match self {
            Version::V1 => "v1",
            Version::V2 => "v2",
            Version::Hybrid => "hybrid",
        }
    }

    /// Whether the limits are written the v2 way.
    pub fn unified(self) -> bool {
        self == Version::V2
    }
}

/// Reads the layout under `root` (`/sys/fs/cgroup`).
pub fn detect(kernel: &mut dyn Kernel, root: &Path) -> Option<Version> {
    if kernel.exists(&root.join("cgroup.controllers")) {
        return Some(Version::V2);
    }
    if kernel.exists(&root.join("memory")) {
        return Some(if kernel.exists(&root.join("unified")) { Version::Hybrid } else { Version::V1 });
    }
    None
}

/// What a container may use.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    pub memory_bytes: Option<u64>,
    pub cpus: Option<f64>,
}

/// The CFS period Docker uses: quota is CPUs × this.
pub const CPU_PERIOD_US: u64 = 100_000;

/// The files (relative to the cgroup of their controller) and the values `limits` writes, in
/// order: `(controller, file, value)`. The controller names the v1 hierarchy; v2 has one dir.
pub fn limit_writes(version: Version, limits: Limits) -> Vec<(&'static str, &'static str, String)> {
    let mut writes = Vec::new();
    if let Some(bytes) = limits.memory_bytes {
        if version.unified() {
            writes.push(("memory", "memory.max", bytes.to_string()));
            // Docker's --memory without --memory-swap allows as much swap again; with none
            // here the OOM killer comes as soon as the limit is reached, which is the lesson.
            writes.push(("memory", "memory.swap.max", "0".to_string()));
        } else {
            writes.push(("memory", "memory.limit_in_bytes", bytes.to_string()));
            writes.push(("memory", "memory.memsw.limit_in_bytes", bytes.to_string()));
        }
    }
    if let Some(cpus) = limits.cpus {
        let quota = (cpus * CPU_PERIOD_US as f64).round() as u64;
        if version.unified() {
            writes.push(("cpu", "cpu.max", format!("{quota} {CPU_PERIOD_US}")));
        } else {
            writes.push(("cpu", "cpu.cfs_period_us", CPU_PERIOD_US.to_string()));
            writes.push(("cpu", "cpu.cfs_quota_us", quota.to_string()));
        }
    }
    writes
}

/// Counters read back from a cgroup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    pub memory_usage: u64,
    /// The highest usage the kernel saw (v1 `max_usage_in_bytes`, v2 `memory.peak`).
    pub memory_peak: Option<u64>,
    pub oom_kills: u64,
    pub nr_periods: u64,
    pub nr_throttled: u64,
    pub throttled_usec: u64,
}

/// `key value` lines (`cpu.stat`, `memory.events`, v1 `memory.oom_control`).
pub fn stat_value(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

/// A cgroup made for one run, in every hierarchy its limits need; removed by [`Cgroup::remove`]
/// (or on drop, with the real kernel).
#[derive(Debug)]
pub struct Cgroup {
    pub version: Version,
    pub name: String,
    /// `(controller, directory)`, in the order they were made.
    pub dirs: Vec<(&'static str, PathBuf)>,
}

impl Cgroup {
    /// The directory a controller's files are in.
    pub fn dir(&self, controller: &str) -> Option<&Path> {
        self.dirs.iter().find(|(c, _)| *c == controller).map(|(_, d)| d.as_path())
    }

    fn file(&self, controller: &str, file: &str) -> Option<PathBuf> {
        self.dir(controller).map(|d| d.join(file))
    }

    /// Makes `name` under `root` for the controllers `limits` needs (memory always, so usage
    /// and OOM kills can be read) and writes the limits.
    pub fn create(kernel: &mut dyn Kernel, root: &Path, version: Version, name: &str, limits: Limits) -> io::Result<Cgroup> {
        let mut cgroup = Cgroup { version, name: name.to_string(), dirs: Vec::new() };
        let mut controllers = vec!["memory"];
        if limits.cpus.is_some() {
            controllers.push("cpu");
        }
        let made = (|| {
            if version.unified() {
                let wanted: Vec<String> = controllers.iter().map(|c| format!("+{c}")).collect();
                kernel.write(&root.join("cgroup.subtree_control"), &wanted.join(" "))?;
                let dir = root.join(name);
                kernel.mkdir_all(&dir)?;
                for controller in &controllers {
                    cgroup.dirs.push((controller, dir.clone()));
                }
            } else {
                for controller in &controllers {
                    let dir = root.join(controller).join(name);
                    kernel.mkdir_all(&dir)?;
                    cgroup.dirs.push((controller, dir));
                }
            }
            for (controller, file, value) in limit_writes(version, limits) {
                let Some(path) = cgroup.file(controller, file) else { continue };
                match kernel.write(&path, &value) {
                    // No swap accounting on this kernel: nothing to limit there.
                    Err(_) if file.contains("swap") || file.contains("memsw") => {}
                    other => other?,
                }
            }
            Ok(())
        })();
        match made {
            Ok(()) => Ok(cgroup),
            Err(error) => {
                cgroup.remove(kernel);
                Err(error)
            }
        }
    }

    /// Moves a process in (every hierarchy, once per distinct directory).
    pub fn add(&self, kernel: &mut dyn Kernel, pid: Pid) -> io::Result<()> {
        let mut done: Vec<&Path> = Vec::new();
        for (_, dir) in &self.dirs {
            if done.contains(&dir.as_path()) {
                continue;
            }
            kernel.write(&dir.join("cgroup.procs"), &pid.to_string())?;
            done.push(dir);
        }
        Ok(())
    }

    /// The counters now.
    pub fn counters(&self, kernel: &mut dyn Kernel) -> Counters {
        let mut read = |controller: &str, file: &str| -> String {
            self.file(controller, file).and_then(|p| kernel.read(&p).ok()).unwrap_or_default()
        };
        let mut counters = Counters::default();
        if self.version.unified() {
            counters.memory_usage = read("memory", "memory.current").trim().parse().unwrap_or(0);
            counters.memory_peak = read("memory", "memory.peak").trim().parse().ok();
            counters.oom_kills = stat_value(&read("memory", "memory.events"), "oom_kill").unwrap_or(0);
        } else {
            counters.memory_usage = read("memory", "memory.usage_in_bytes").trim().parse().unwrap_or(0);
            counters.memory_peak = read("memory", "memory.max_usage_in_bytes").trim().parse().ok();
            counters.oom_kills = stat_value(&read("memory", "memory.oom_control"), "oom_kill").unwrap_or(0);
        }
        if self.dir("cpu").is_some() {
            let stat = read("cpu", "cpu.stat");
            counters.nr_periods = stat_value(&stat, "nr_periods").unwrap_or(0);
            counters.nr_throttled = stat_value(&stat, "nr_throttled").unwrap_or(0);
            counters.throttled_usec = stat_value(&stat, "throttled_usec")
                .or_else(|| stat_value(&stat, "throttled_time").map(|ns| ns / 1000))
                .unwrap_or(0);
        }
        counters
    }

    /// Removes the directories, last made first. A cgroup whose last process was just reaped
    /// can stay busy for a moment, so each removal is retried briefly.
    pub fn remove(&mut self, kernel: &mut dyn Kernel) -> Vec<String> {
        let mut problems = Vec::new();
        let mut removed: Vec<PathBuf> = Vec::new();
        while let Some((_, dir)) = self.dirs.pop() {
            if removed.contains(&dir) {
                continue;
            }
            let mut result = kernel.remove(&dir);
            for _ in 0..50 {
                match &result {
                    Err(error) if error.raw_os_error() == Some(libc::EBUSY) => {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        result = kernel.remove(&dir);
                    }
                    _ => break,
                }
            }
            match result {
                Err(error) if error.kind() != io::ErrorKind::NotFound => problems.push(format!("{}: {error}", dir.display())),
                _ => {}
            }
            removed.push(dir);
        }
        problems
    }
}

/// Removes the cgroup when dropped, with the real kernel: the guard for error paths and Ctrl-C.
#[derive(Debug)]
pub struct CgroupGuard(pub Cgroup);

impl Drop for CgroupGuard {
    fn drop(&mut self) {
        self.0.remove(&mut super::sys::Real);
    }
}

/// `whalebox-<our pid>-<what>`: the census finds anything left behind by its prefix.
pub fn cgroup_name(what: &str) -> String {
    format!("whalebox-{}-{what}", std::process::id())
}

/// What a memory hog does in a forked child: allocate and touch `step` bytes at a time, pausing
/// `pause_ms` between steps so the parent can watch usage rise, until killed or `max` reached.
pub fn memory_hog(step: usize, pause_ms: u64, max: usize) -> isize {
    let mut held: Vec<Vec<u8>> = Vec::new();
    while held.len() * step < max {
        // A non-zero fill writes every page, so the memory is really charged to the cgroup.
        held.push(vec![0x5a; step]);
        std::thread::sleep(std::time::Duration::from_millis(pause_ms));
    }
    0
}

/// `threads` busy loops for `millis` of wall-clock time: what a CPU quota throttles. More than
/// one thread uses up a fractional quota early in each period even on a busy host.
pub fn busy_loop(millis: u64, threads: usize) -> isize {
    let spin = move || {
        let start = std::time::Instant::now();
        let mut x: u64 = 1;
        while start.elapsed().as_millis() < u128::from(millis) {
            for _ in 0..10_000 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            }
            std::hint::black_box(x);
        }
    };
    let helpers: Vec<_> = (1..threads.max(1)).map(|_| std::thread::spawn(spin)).collect();
    spin();
    for helper in helpers {
        let _ = helper.join();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::sys::{Real, Recorder};

    const MB32: u64 = 32 << 20;

    #[test]
    fn cgroups_are_named_for_the_census() {
        assert_eq!(cgroup_name("run"), format!("whalebox-{}-run", std::process::id()));
    }

    #[test]
    fn v1_writes_limit_in_bytes_and_cfs_quota() {
        let limits = Limits { memory_bytes: Some(MB32), cpus: Some(0.5) };
        let writes = limit_writes(Version::V1, limits);
        assert_eq!(
            writes,
            [
                ("memory", "memory.limit_in_bytes", "33554432".to_string()),
                ("memory", "memory.memsw.limit_in_bytes", "33554432".to_string()),
                ("cpu", "cpu.cfs_period_us", "100000".to_string()),
                ("cpu", "cpu.cfs_quota_us", "50000".to_string()),
            ]
        );
        assert_eq!(limit_writes(Version::Hybrid, limits), writes);
    }

    #[test]
    fn v2_writes_memory_max_and_cpu_max() {
        let limits = Limits { memory_bytes: Some(MB32), cpus: Some(1.5) };
        assert_eq!(
            limit_writes(Version::V2, limits),
            [
                ("memory", "memory.max", "33554432".to_string()),
                ("memory", "memory.swap.max", "0".to_string()),
                ("cpu", "cpu.max", "150000 100000".to_string()),
            ]
        );
    }

    #[test]
    fn the_layout_is_read_from_the_root() {
        let root = std::env::temp_dir().join(format!("whalebox-cgroup-test-{}", std::process::id()));
        let mut real = Real;
        real.mkdir_all(&root.join("memory")).expect("dirs");
        assert_eq!(detect(&mut real, &root), Some(Version::V1));
        real.mkdir_all(&root.join("unified")).expect("dirs");
        assert_eq!(detect(&mut real, &root), Some(Version::Hybrid));
        real.remove_all(&root).expect("rm");
        real.mkdir_all(&root).expect("dirs");
        real.write(&root.join("cgroup.controllers"), "cpu memory").expect("file");
        assert_eq!(detect(&mut real, &root), Some(Version::V2));
        real.write(&root.join("cgroup.controllers"), "").expect("file");
        real.remove_all(&root).expect("rm");
        assert_eq!(detect(&mut real, &root), None);
    }

    #[test]
    fn v1_makes_one_dir_per_controller_and_removes_them_in_reverse() {
        let mut kernel = Recorder::new();
        let root = Path::new("/cg");
        let limits = Limits { memory_bytes: Some(MB32), cpus: Some(0.5) };
        let mut cgroup = Cgroup::create(&mut kernel, root, Version::Hybrid, "whalebox-7-x", limits).expect("made");
        cgroup.add(&mut kernel, Pid::from_raw(99)).expect("added");
        assert!(cgroup.remove(&mut kernel).is_empty());
        assert_eq!(
            kernel.calls,
            [
                "mkdir /cg/memory/whalebox-7-x",
                "mkdir /cg/cpu/whalebox-7-x",
                "write /cg/memory/whalebox-7-x/memory.limit_in_bytes 33554432",
                "write /cg/memory/whalebox-7-x/memory.memsw.limit_in_bytes 33554432",
                "write /cg/cpu/whalebox-7-x/cpu.cfs_period_us 100000",
                "write /cg/cpu/whalebox-7-x/cpu.cfs_quota_us 50000",
                "write /cg/memory/whalebox-7-x/cgroup.procs 99",
                "write /cg/cpu/whalebox-7-x/cgroup.procs 99",
                "remove /cg/cpu/whalebox-7-x",
                "remove /cg/memory/whalebox-7-x",
            ]
        );
    }

    #[test]
    fn v2_enables_controllers_and_uses_one_dir() {
        let mut kernel = Recorder::new();
        let limits = Limits { memory_bytes: Some(MB32), cpus: Some(0.5) };
        let mut cgroup = Cgroup::create(&mut kernel, Path::new("/cg"), Version::V2, "whalebox-7-x", limits).expect("made");
        cgroup.add(&mut kernel, Pid::from_raw(99)).expect("added");
        cgroup.remove(&mut kernel);
        assert_eq!(
            kernel.calls,
            [
                "write /cg/cgroup.subtree_control +memory +cpu",
                "mkdir /cg/whalebox-7-x",
                "write /cg/whalebox-7-x/memory.max 33554432",
                "write /cg/whalebox-7-x/memory.swap.max 0",
                "write /cg/whalebox-7-x/cpu.max 50000 100000",
                "write /cg/whalebox-7-x/cgroup.procs 99",
                "remove /cg/whalebox-7-x",
            ]
        );
    }

    #[test]
    fn a_failed_limit_removes_what_was_made() {
        let mut kernel = Recorder::new();
        kernel.refuse.push("write /cg/cpu/w/cpu.cfs_quota_us".into());
        let limits = Limits { memory_bytes: Some(MB32), cpus: Some(0.5) };
        assert!(Cgroup::create(&mut kernel, Path::new("/cg"), Version::V1, "w", limits).is_err());
        assert_eq!(kernel.calls_starting("remove"), ["remove /cg/cpu/w", "remove /cg/memory/w"]);
    }

    #[test]
    fn counters_come_from_the_version_s_files() {
        let mut kernel = Recorder::new();
        let v1 = Cgroup { version: Version::V1, name: "w".into(), dirs: vec![("memory", "/m".into()), ("cpu", "/c".into())] };
        kernel.files.insert("/m/memory.usage_in_bytes".into(), "1024\n".into());
        kernel.files.insert("/m/memory.oom_control".into(), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n".into());
        kernel.files.insert("/c/cpu.stat".into(), "nr_periods 10\nnr_throttled 9\nthrottled_time 450000000\n".into());
        let counters = v1.counters(&mut kernel);
        assert_eq!((counters.memory_usage, counters.oom_kills), (1024, 1));
        assert_eq!((counters.nr_periods, counters.nr_throttled, counters.throttled_usec), (10, 9, 450_000));
        let v2 = Cgroup { version: Version::V2, name: "w".into(), dirs: vec![("memory", "/u".into())] };
        kernel.files.insert("/u/memory.events".into(), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n".into());
        assert_eq!(v2.counters(&mut kernel).oom_kills, 2);
    }
}
