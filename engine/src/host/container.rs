//! A simulated image run as a real container: its layers as overlayfs lowerdirs, the host's
//! busybox for its binaries, new namespaces, cgroup limits, pivot_root, exec.

use std::ffi::CString;
use std::io;
use std::path::{Path, PathBuf};

use crate::fs::{FileTree, Node};

use super::cgroup::Cgroup;
use super::namespaces::clone_flags;
use super::sys::{Exit, Handshake, Kernel, MsFlags, Pid, Signal};

/// Where Debian's busybox-static puts its one static binary.
pub const HOST_BUSYBOX: &str = "/bin/busybox";

/// Device nodes a container gets, bind-mounted from the host's (what runc creates).
pub const DEVICES: [&str; 6] = ["null", "zero", "full", "random", "urandom", "tty"];

/// The busybox layer written on top of the image's layers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusyboxLayer {
    /// Where `busybox` went in the image (`/bin/busybox`, or `/usr/bin/busybox` under merged /usr).
    pub path: String,
    /// Applet links made where the image had nothing.
    pub added: usize,
    /// Files the simulated image had as stand-ins (no real bytes) that the applets now replace.
    pub replaced: Vec<String>,
    /// Files with real text the image has under an applet's name: left alone.
    pub kept: Vec<String>,
}

/// The directory that holds `/bin` in this image: `/usr/bin` when `/bin` is a link to it.
pub fn bin_dir(image: &FileTree) -> String {
    match image.get("/bin") {
        Some(Node::Symlink { target, .. }) => crate::fs::normalize(target, "/"),
        _ => "/bin".to_string(),
    }
}

/// Writes the busybox layer under `dir`: a copy of the host's `busybox` in the image's bin
/// directory and a link per applet, except over a real script the image has.
pub fn busybox_layer(kernel: &mut dyn Kernel, dir: &Path, image: &FileTree, busybox: &Path, applets: &[String]) -> io::Result<BusyboxLayer> {
    let bin = bin_dir(image);
    let mut layer = BusyboxLayer { path: format!("{bin}/busybox"), ..BusyboxLayer::default() };
    let host_bin = dir.join(bin.trim_start_matches('/'));
    kernel.mkdir_all(&host_bin)?;
    kernel.copy_file(busybox, &host_bin.join("busybox"))?;
    for applet in applets {
        if applet == "busybox" || applet.contains('/') || applet.starts_with('[') {
            continue;
        }
        let path = format!("{bin}/{applet}");
        match image.get(&path) {
            Some(Node::File { content: crate::fs::Content::Text(_), .. }) => {
                layer.kept.push(path);
                continue;
            }
            Some(Node::File { .. }) => layer.replaced.push(path),
            Some(_) => {}
            None => layer.added += 1,
        }
        kernel.symlink("busybox", &host_bin.join(applet))?;
    }
    Ok(layer)
}

/// `busybox --list`: the applets this busybox was built with.
pub fn busybox_applets(busybox: &Path) -> io::Result<Vec<String>> {
    let output = std::process::Command::new(busybox).arg("--list").output()?;
    Ok(String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect())
}

/// What the container runs and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub hostname: String,
    /// `NAME=value`, as the process gets them.
    pub env: Vec<String>,
    pub argv: Vec<String>,
    pub workdir: String,
}

/// The environment Docker gives: the image's, then HOSTNAME, then `-e` (which win), then HOME
/// if nothing set it; PATH defaults as Docker's does.
pub fn environment(image_env: &[String], hostname: &str, extra: &[String]) -> Vec<String> {
    let mut env: Vec<String> = Vec::new();
    let mut set = |entry: &str| {
        let name = entry.split('=').next().unwrap_or(entry);
        env.retain(|e| e.split('=').next() != Some(name));
        env.push(entry.to_string());
    };
    set("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for entry in image_env {
        set(entry);
    }
    set(&format!("HOSTNAME={hostname}"));
    for entry in extra {
        if entry.contains('=') {
            set(entry);
        } else if let Ok(value) = std::env::var(entry) {
            // `-e NAME` passes the host's value through, as docker does.
            set(&format!("{entry}={value}"));
        }
    }
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        env.push("HOME=/root".to_string());
    }
    env
}

/// In the child, inside the new namespaces: its own mounts and hostname, the overlay as its
/// root with /proc and /dev, and the host's root detached.
pub fn enter(kernel: &mut dyn Kernel, merged: &Path, options: &str, spec: &Spec) -> io::Result<()> {
    kernel.mount("", Path::new("/"), "", MsFlags::MS_REC | MsFlags::MS_PRIVATE, "")?;
    kernel.set_hostname(&spec.hostname)?;
    kernel.mount("overlay", merged, "overlay", MsFlags::empty(), options)?;
    let hardened = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    kernel.mkdir_all(&merged.join("proc"))?;
    kernel.mount("proc", &merged.join("proc"), "proc", hardened, "")?;
    let dev = merged.join("dev");
    kernel.mkdir_all(&dev)?;
    kernel.mount("tmpfs", &dev, "tmpfs", MsFlags::MS_NOSUID | MsFlags::MS_STRICTATIME, "mode=755,size=65536k")?;
    for device in DEVICES {
        let node = dev.join(device);
        kernel.create_file(&node, b"", 0, 0o666)?;
        kernel.mount(&format!("/dev/{device}"), &node, "", MsFlags::MS_BIND, "")?;
    }
    kernel.chdir(merged)?;
    // pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves the
    // container with no way back to the host's files.
    kernel.pivot_root(Path::new("."), Path::new("."))?;
    kernel.umount_lazy(Path::new("."))?;
    kernel.chdir(Path::new("/"))?;
    kernel.chdir(Path::new(&spec.workdir)).or_else(|_| kernel.chdir(Path::new("/")))
}

/// The program's path: as given if it has a `/`, else the first match on the container's PATH.
pub fn resolve(program: &str, env: &[String], exists: impl Fn(&str) -> bool) -> Option<String> {
    if program.contains('/') {
        return exists(program).then(|| program.to_string());
    }
    let path = env.iter().find_map(|e| e.strip_prefix("PATH=")).unwrap_or("/usr/bin:/bin");
    path.split(':').map(|dir| format!("{dir}/{program}")).find(|candidate| exists(candidate))
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    pub pid_on_host: i32,
    pub exit: Exit,
    pub interrupted: bool,
    /// What went wrong before the command started (the child's setup), if anything.
    pub setup_error: Option<String>,
    /// A problem that did not stop the run (no `ip` to bring `lo` up).
    pub warnings: Vec<String>,
}

/// Runs the container: clone into new namespaces, join the cgroup from outside, bring `lo` up,
/// let the child mount and exec, then wait (killing it if `stop` says so).
pub fn run(kernel: &mut dyn Kernel, overlay_merged: &Path, options: &str, spec: &Spec, cgroup: Option<&Cgroup>, stop: &dyn Fn() -> bool) -> io::Result<Ended> {
    let argv: Vec<CString> = spec.argv.iter().map(|a| CString::new(a.as_str())).collect::<Result<_, _>>().map_err(io::Error::other)?;
    let envp: Vec<CString> = spec.env.iter().map(|e| CString::new(e.as_str())).collect::<Result<_, _>>().map_err(io::Error::other)?;
    let mut handshake = Handshake::new()?;
    let parent = nix::unistd::getpid();
    let pid = kernel.spawn(clone_flags(false), &mut || {
        if !super::sys::die_with_parent(parent) || !handshake.wait_for_go() {
            return 125;
        }
        let mut real = super::sys::Real;
        if let Err(error) = enter(&mut real, overlay_merged, options, spec) {
            handshake.report(&format!("setup {error}"));
            return 125;
        }
        let Some(program) = argv.first().and_then(|p| p.to_str().ok()) else {
            handshake.report("setup no command given");
            return 125;
        };
        let Some(found) = resolve(program, &spec.env, |p| Path::new(p).exists()) else {
            handshake.report(&format!("notfound exec: \"{program}\": executable file not found in $PATH"));
            return 127;
        };
        let Ok(path) = CString::new(found) else { return 125 };
        let error = nix::unistd::execve(&path, &argv, &envp).err();
        handshake.report(&format!("exec exec {program}: {}", error.map(|e| e.desc()).unwrap_or("failed")));
        126
    })?;
    handshake.spawned();
    let mut warnings = Vec::new();
    let prepared = prepare(kernel, pid, cgroup, &mut warnings).and_then(|()| handshake.go());
    if let Err(error) = prepared {
        let _ = kernel.kill(pid, Signal::SIGKILL);
        let _ = kernel.wait(pid, true);
        return Err(error);
    }
    let report = handshake.read_report();
    let (exit, interrupted) = wait_or_stop(kernel, pid, stop)?;
    let setup_error = report.split_once(' ').map(|(_, message)| message.trim().to_string());
    Ok(Ended { pid_on_host: pid.as_raw(), exit, interrupted, setup_error, warnings })
}

/// The parent's part while the child waits at the handshake.
fn prepare(kernel: &mut dyn Kernel, pid: Pid, cgroup: Option<&Cgroup>, warnings: &mut Vec<String>) -> io::Result<()> {
    if let Some(cgroup) = cgroup {
        cgroup.add(kernel, pid)?;
    }
    let net = format!("--net=/proc/{pid}/ns/net");
    match kernel.run(&["nsenter", &net, "ip", "link", "set", "lo", "up"]) {
        Ok(0) => {}
        Ok(code) => warnings.push(format!("`ip link set lo up` in the container's network namespace exited {code}: lo stays down")),
        Err(error) => warnings.push(format!("could not run nsenter/ip ({error}): lo stays down")),
    }
    Ok(())
}

/// Waits for `pid`, polling so that `stop` (Ctrl-C) can kill it first.
pub fn wait_or_stop(kernel: &mut dyn Kernel, pid: Pid, stop: &dyn Fn() -> bool) -> io::Result<(Exit, bool)> {
    let mut interrupted = false;
    loop {
        if let Some(exit) = kernel.wait(pid, false)? {
            return Ok((exit, interrupted));
        }
        if !interrupted && stop() {
            interrupted = true;
            let _ = kernel.kill(pid, Signal::SIGKILL);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A short container ID for the default hostname, like Docker's first 12 hex digits.
pub fn short_id() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let digest = crate::ids::sha256_digest(format!("{}-{nanos}", std::process::id()).as_bytes());
    crate::ids::digest_hex(&digest).chars().take(12).collect()
}

/// The host paths of an overlay, for the child's mounts.
pub fn merged_of(root: &Path) -> PathBuf {
    root.join("merged")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::{Content, Meta};
    use crate::host::sys::Recorder;

    #[test]
    fn the_child_mounts_then_pivots_then_detaches_the_old_root() {
        let mut kernel = Recorder::new();
        let spec = Spec { hostname: "c1".into(), env: vec![], argv: vec!["sh".into()], workdir: "/app".into() };
        enter(&mut kernel, Path::new("/o/merged"), "lowerdir=/o/l", &spec).expect("recorded");
        let calls = &kernel.calls;
        assert_eq!(calls[0], "mount  /  [MS_REC|MS_PRIVATE]");
        assert_eq!(calls[1], "sethostname c1");
        assert_eq!(calls[2], "mount overlay /o/merged overlay [] lowerdir=/o/l");
        assert!(calls.contains(&"mount proc /o/merged/proc proc [MS_NOSUID|MS_NODEV|MS_NOEXEC]".to_string()));
        assert!(calls.contains(&"mount /dev/null /o/merged/dev/null  [MS_BIND]".to_string()));
        let tail: Vec<&str> = calls.iter().rev().take(5).rev().map(String::as_str).collect();
        assert_eq!(tail, ["chdir /o/merged", "pivot_root . .", "umount -l .", "chdir /", "chdir /app"]);
    }

    #[test]
    fn docker_s_environment_order() {
        let env = environment(&["PATH=/usr/bin:/bin".into(), "LANG=C".into()], "box", &["LANG=fr".into(), "A=1".into()]);
        assert_eq!(env, ["PATH=/usr/bin:/bin", "HOSTNAME=box", "LANG=fr", "A=1", "HOME=/root"]);
        let env = environment(&[], "box", &["HOME=/x".into()]);
        assert_eq!(env, ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=box", "HOME=/x"]);
    }

    #[test]
    fn programs_are_found_on_the_container_s_path() {
        let env = vec!["PATH=/usr/bin:/bin".to_string()];
        let exists = |p: &str| p == "/bin/echo";
        assert_eq!(resolve("echo", &env, exists), Some("/bin/echo".to_string()));
        assert_eq!(resolve("/bin/echo", &env, exists), Some("/bin/echo".to_string()));
        assert_eq!(resolve("nope", &env, exists), None);
    }

    #[test]
    fn busybox_replaces_stand_ins_but_keeps_real_scripts() {
        let mut image = FileTree::new();
        image.insert("/bin/ls", Node::blob("coreutils ls", 100, Meta::EXECUTABLE));
        image.insert("/bin/env", Node::File { meta: Meta::EXECUTABLE, size: 3, content: Content::Text("#!\n".into()) });
        image.insert("/bin/sh", Node::Symlink { meta: Meta::FILE, target: "busybox".into() });
        let mut kernel = Recorder::new();
        let applets: Vec<String> = ["ls", "env", "sh", "echo"].iter().map(|s| s.to_string()).collect();
        let layer = busybox_layer(&mut kernel, Path::new("/o/bb"), &image, Path::new("/bin/busybox"), &applets).expect("made");
        assert_eq!(layer, BusyboxLayer { path: "/bin/busybox".into(), added: 1, replaced: vec!["/bin/ls".into()], kept: vec!["/bin/env".into()] });
        assert_eq!(
            kernel.calls,
            [
                "mkdir /o/bb/bin",
                "copy /bin/busybox /o/bb/bin/busybox",
                "symlink /o/bb/bin/ls -> busybox",
                "symlink /o/bb/bin/sh -> busybox",
                "symlink /o/bb/bin/echo -> busybox",
            ]
        );
    }

    #[test]
    fn merged_usr_puts_busybox_in_usr_bin() {
        let mut image = FileTree::new();
        image.insert("/bin", Node::Symlink { meta: Meta::FILE, target: "usr/bin".into() });
        assert_eq!(bin_dir(&image), "/usr/bin");
    }

    #[test]
    fn the_parent_joins_the_cgroup_and_raises_lo_before_letting_go() {
        let mut kernel = Recorder::new();
        kernel.exits.push(Exit::Signal(9));
        let cgroup = Cgroup { version: super::super::cgroup::Version::V1, name: "w".into(), dirs: vec![("memory", "/cg/memory/w".into())] };
        let spec = Spec { hostname: "c1".into(), env: vec![], argv: vec!["sh".into()], workdir: "/".into() };
        let ended = run(&mut kernel, Path::new("/o/merged"), "x", &spec, Some(&cgroup), &|| false).expect("ran");
        assert_eq!(ended.exit.status(), 137);
        assert_eq!(
            kernel.calls,
            [
                "clone CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWPID|CLONE_NEWNET",
                "write /cg/memory/w/cgroup.procs 4242",
                "run nsenter --net=/proc/4242/ns/net ip link set lo up",
                "wait 4242",
            ]
        );
    }
}
