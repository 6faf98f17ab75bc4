//! The seam between the demos and the kernel: every syscall a demo makes goes through [`Kernel`],
//! so a recording fake can check flags and call order without root.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

pub use nix::sched::CloneFlags;
pub use nix::mount::MsFlags;
pub use nix::sys::signal::Signal;
pub use nix::unistd::Pid;

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl Exit {
    /// The status a shell (and `docker run`) reports: the code, or 128 + the signal number, so
    /// the OOM killer's SIGKILL reads as 137.
    pub fn status(self) -> i32 {
        match self {
            Exit::Code(code) => code,
            Exit::Signal(signal) => 128 + signal,
        }
    }
}

/// One entry found by [`Kernel::walk`], path relative to the walked directory (`/etc/x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub kind: EntryKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// `opaque` when it carries `trusted.overlay.opaque=y`.
    Dir { opaque: bool },
    File { size: u64 },
    Symlink { target: String },
    /// A character device 0/0: overlayfs's mark for a deleted entry.
    Whiteout,
    Other,
}

/// The kernel as the demos see it. Paths are host paths.
pub trait Kernel {
    fn mkdir_all(&mut self, path: &Path) -> io::Result<()>;
    /// Creates a file holding `text`, then zeros up to `size` bytes (real blocks, so `du` counts
    /// them), with permission bits `mode`.
    fn create_file(&mut self, path: &Path, text: &[u8], size: u64, mode: u32) -> io::Result<()>;
    fn symlink(&mut self, target: &str, link: &Path) -> io::Result<()>;
    fn copy_file(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Replaces a file's contents (a cgroup control file, a file in a mounted overlay).
    fn write(&mut self, path: &Path, text: &str) -> io::Result<()>;
    fn read(&mut self, path: &Path) -> io::Result<String>;
    fn exists(&mut self, path: &Path) -> bool;
    /// `readlink` (a `/proc/PID/ns/*` link reads `pid:[4026531836]`).
    fn read_link(&mut self, path: &Path) -> io::Result<String>;
    /// Runs a host program to the end and returns its exit status (`nsenter … ip link set lo up`).
    fn run(&mut self, argv: &[&str]) -> io::Result<i32>;
    /// `rm` of a file or an empty directory (`rmdir` is how cgroups go away).
    fn remove(&mut self, path: &Path) -> io::Result<()>;
    /// `rm -rf`.
    fn remove_all(&mut self, path: &Path) -> io::Result<()>;
    fn mount(&mut self, source: &str, target: &Path, fstype: &str, flags: MsFlags, data: &str) -> io::Result<()>;
    fn umount(&mut self, target: &Path) -> io::Result<()>;
    /// `mknod PATH c 0 0`: how overlayfs records a deletion in an upper layer.
    fn whiteout(&mut self, path: &Path) -> io::Result<()>;
    /// `setfattr -n trusted.overlay.opaque -v y DIR`: nothing below shows through.
    fn set_opaque(&mut self, dir: &Path) -> io::Result<()>;
    fn walk(&mut self, dir: &Path) -> io::Result<Vec<Entry>>;
    fn set_hostname(&mut self, name: &str) -> io::Result<()>;
    fn chdir(&mut self, dir: &Path) -> io::Result<()>;
    /// `pivot_root NEW PUT_OLD`.
    fn pivot_root(&mut self, new_root: &Path, put_old: &Path) -> io::Result<()>;
    /// `umount -l`: detaches now, frees when no longer busy.
    fn umount_lazy(&mut self, target: &Path) -> io::Result<()>;
    /// Bytes of disk blocks used under `dir` (`du -sB1`).
    fn disk_usage(&mut self, dir: &Path) -> io::Result<u64>;
    /// Starts `child` as a new process in the namespaces `flags` names (fork when empty); the
    /// child's return value is its exit code.
    fn spawn(&mut self, flags: CloneFlags, child: &mut dyn FnMut() -> isize) -> io::Result<Pid>;
    /// `None` while it runs when `block` is false.
    fn wait(&mut self, pid: Pid, block: bool) -> io::Result<Option<Exit>>;
    fn kill(&mut self, pid: Pid, signal: Signal) -> io::Result<()>;
}

fn errno(error: nix::Error) -> io::Error {
    io::Error::from_raw_os_error(error as i32)
}

/// The real kernel.
#[derive(Debug, Default)]
pub struct Real;

impl Kernel for Real {
    fn mkdir_all(&mut self, path: &Path) -> io::Result<()> {
        std::fs::create_dir_all(path)
    }

    fn create_file(&mut self, path: &Path, text: &[u8], size: u64, mode: u32) -> io::Result<()> {
        use std::io::Write;
        use std::os::unix::fs::PermissionsExt;
        let mut file = std::fs::File::create(path)?;
        file.write_all(text)?;
        let zeros = vec![0u8; 1 << 16];
        let mut left = size.saturating_sub(text.len() as u64);
        while left > 0 {
            let chunk = left.min(zeros.len() as u64) as usize;
            file.write_all(&zeros[..chunk])?;
            left -= chunk as u64;
        }
        file.set_permissions(std::fs::Permissions::from_mode(mode))
    }

    fn symlink(&mut self, target: &str, link: &Path) -> io::Result<()> {
        std::os::unix::fs::symlink(target, link)
    }

    fn copy_file(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::copy(from, to).map(|_| ())
    }

    fn write(&mut self, path: &Path, text: &str) -> io::Result<()> {
        std::fs::write(path, text)
    }

    fn read(&mut self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn exists(&mut self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok()
    }

    fn read_link(&mut self, path: &Path) -> io::Result<String> {
        Ok(std::fs::read_link(path)?.to_string_lossy().into_owned())
    }

    fn run(&mut self, argv: &[&str]) -> io::Result<i32> {
        let (program, args) = argv.split_first().ok_or_else(|| io::Error::other("empty command"))?;
        let status = std::process::Command::new(program).args(args).stdin(std::process::Stdio::null()).status()?;
        Ok(status.code().unwrap_or(128))
    }

    fn remove(&mut self, path: &Path) -> io::Result<()> {
        if std::fs::symlink_metadata(path)?.is_dir() {
            std::fs::remove_dir(path)
        } else {
            std::fs::remove_file(path)
        }
    }

    fn remove_all(&mut self, path: &Path) -> io::Result<()> {
        match std::fs::remove_dir_all(path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    fn mount(&mut self, source: &str, target: &Path, fstype: &str, flags: MsFlags, data: &str) -> io::Result<()> {
        let fstype = (!fstype.is_empty()).then_some(fstype);
        let data = (!data.is_empty()).then_some(data);
        let source = (!source.is_empty()).then_some(source);
        nix::mount::mount(source, target, fstype, flags, data).map_err(errno)
    }

    fn umount(&mut self, target: &Path) -> io::Result<()> {
        nix::mount::umount2(target, nix::mount::MntFlags::empty()).map_err(errno)
    }

    fn whiteout(&mut self, path: &Path) -> io::Result<()> {
        use nix::sys::stat::{makedev, mknod, Mode, SFlag};
        mknod(path, SFlag::S_IFCHR, Mode::from_bits_truncate(0o000), makedev(0, 0)).map_err(errno)
    }

    fn set_opaque(&mut self, dir: &Path) -> io::Result<()> {
        set_xattr(dir, "trusted.overlay.opaque", b"y")
    }

    fn walk(&mut self, dir: &Path) -> io::Result<Vec<Entry>> {
        let mut out = Vec::new();
        walk_into(dir, "", &mut out)?;
        Ok(out)
    }

    fn set_hostname(&mut self, name: &str) -> io::Result<()> {
        nix::unistd::sethostname(name).map_err(errno)
    }

    fn chdir(&mut self, dir: &Path) -> io::Result<()> {
        nix::unistd::chdir(dir).map_err(errno)
    }

    fn pivot_root(&mut self, new_root: &Path, put_old: &Path) -> io::Result<()> {
        nix::unistd::pivot_root(new_root, put_old).map_err(errno)
    }

    fn umount_lazy(&mut self, target: &Path) -> io::Result<()> {
        nix::mount::umount2(target, nix::mount::MntFlags::MNT_DETACH).map_err(errno)
    }

    fn disk_usage(&mut self, dir: &Path) -> io::Result<u64> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(dir)?;
        let mut total = meta.blocks() * 512;
        if meta.is_dir() {
            for entry in std::fs::read_dir(dir)? {
                total += self.disk_usage(&entry?.path())?;
            }
        }
        Ok(total)
    }

    fn spawn(&mut self, flags: CloneFlags, child: &mut dyn FnMut() -> isize) -> io::Result<Pid> {
        clone_process(flags, child)
    }

    fn wait(&mut self, pid: Pid, block: bool) -> io::Result<Option<Exit>> {
        use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
        let flags = if block { None } else { Some(WaitPidFlag::WNOHANG) };
        loop {
            match waitpid(pid, flags) {
                Ok(WaitStatus::Exited(_, code)) => return Ok(Some(Exit::Code(code))),
                Ok(WaitStatus::Signaled(_, signal, _)) => return Ok(Some(Exit::Signal(signal as i32))),
                Ok(WaitStatus::StillAlive) => return Ok(None),
                Ok(_) => continue,
                Err(nix::Error::EINTR) => continue,
                Err(error) => return Err(errno(error)),
            }
        }
    }

    fn kill(&mut self, pid: Pid, signal: Signal) -> io::Result<()> {
        nix::sys::signal::kill(pid, signal).map_err(errno)
    }
}

// SAFETY: `path` and `name` are NUL-terminated CStrings that live across the call, and `value`
// is a valid slice whose length is passed with it; setxattr only reads them. nix has no xattr
// wrapper, so this one call goes to libc.
#[allow(unsafe_code)]
fn set_xattr(path: &Path, name: &str, value: &[u8]) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let c_name = std::ffi::CString::new(name).map_err(io::Error::other)?;
    let result = unsafe { libc::setxattr(c_path.as_ptr(), c_name.as_ptr(), value.as_ptr().cast(), value.len(), 0) };
    if result == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

fn has_opaque_xattr(path: &Path) -> bool {
    get_xattr(path, "trusted.overlay.opaque").is_some_and(|v| v == b"y")
}

// SAFETY: as for `set_xattr`; the buffer is ours and its length is passed with it, and the
// returned length is checked before the buffer is read.
#[allow(unsafe_code)]
fn get_xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let c_name = std::ffi::CString::new(name).ok()?;
    let mut buffer = [0u8; 16];
    let length = unsafe { libc::lgetxattr(c_path.as_ptr(), c_name.as_ptr(), buffer.as_mut_ptr().cast(), buffer.len()) };
    usize::try_from(length).ok().map(|n| buffer[..n.min(buffer.len())].to_vec())
}

fn walk_into(dir: &Path, prefix: &str, out: &mut Vec<Entry>) -> io::Result<()> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = format!("{prefix}/{}", entry.file_name().to_string_lossy());
        let meta = std::fs::symlink_metadata(entry.path())?;
        let kind = if meta.is_dir() {
            EntryKind::Dir { opaque: has_opaque_xattr(&entry.path()) }
        } else if meta.file_type().is_symlink() {
            EntryKind::Symlink { target: std::fs::read_link(entry.path())?.to_string_lossy().into_owned() }
        } else if meta.is_file() {
            EntryKind::File { size: meta.len() }
        } else if meta.file_type().is_char_device() && meta.rdev() == 0 {
            EntryKind::Whiteout
        } else {
            EntryKind::Other
        };
        let is_dir = matches!(kind, EntryKind::Dir { .. });
        out.push(Entry { path: path.clone(), kind });
        if is_dir {
            walk_into(&entry.path(), &path, out)?;
        }
    }
    Ok(())
}

/// Stack for a cloned child: it runs our own code (setup before exec, or a memory hog) there.
const CHILD_STACK: usize = 4 << 20;

// SAFETY: clone(2) without CLONE_VM gives the child its own copy of our memory, like fork. The
// child runs `child` on a stack we own and that outlives the call in the parent; in the child it
// is a private copy. Our only other thread (the Ctrl-C watcher) holds no locks the child's code
// takes, so allocation in the child cannot deadlock on a lock copied in the locked state. When
// `child` returns, the libc wrapper ends the child with _exit, so no destructors or atexit
// handlers run twice.
#[allow(unsafe_code)]
fn clone_process(flags: CloneFlags, child: &mut dyn FnMut() -> isize) -> io::Result<Pid> {
    let mut stack = vec![0u8; CHILD_STACK];
    let callback: nix::sched::CloneCb<'_> = Box::new(child);
    unsafe { nix::sched::clone(callback, &mut stack, flags, Some(Signal::SIGCHLD as i32)) }.map_err(errno)
}

/// Two pipes between a parent and the child it cloned: `go` holds the child until the parent has
/// set it up from outside (cgroup, uid map, loopback), `report` carries the child's answers or
/// its setup error back. Both close on exec, so a successful exec reads as an empty report.
#[derive(Debug)]
pub struct Handshake {
    go_read: std::fs::File,
    go_write: std::fs::File,
    report_read: std::fs::File,
    report_write: Option<std::fs::File>,
}

impl Handshake {
    pub fn new() -> io::Result<Handshake> {
        let (go_read, go_write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(errno)?;
        let (report_read, report_write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(errno)?;
        Ok(Handshake {
            go_read: go_read.into(),
            go_write: go_write.into(),
            report_read: report_read.into(),
            report_write: Some(report_write.into()),
        })
    }

    /// In the child: blocks until the parent says go; false if the parent went away first.
    pub fn wait_for_go(&self) -> bool {
        use std::io::Read;
        let mut byte = [0u8; 1];
        matches!((&self.go_read).read(&mut byte), Ok(1))
    }

    /// In the child: a line back to the parent.
    pub fn report(&self, text: &str) {
        use std::io::Write;
        if let Some(mut pipe) = self.report_write.as_ref() {
            let _ = pipe.write_all(text.as_bytes());
        }
    }

    /// In the parent, right after the spawn: drop our copy of the report pipe's write end, so
    /// reading it ends when the child exits or execs.
    pub fn spawned(&mut self) {
        self.report_write = None;
    }

    /// In the parent: let the child go on.
    pub fn go(&self) -> io::Result<()> {
        use std::io::Write;
        (&self.go_write).write_all(b"g")
    }

    /// In the parent: everything the child reported, until it exits or execs.
    pub fn read_report(&self) -> String {
        use std::io::Read;
        let mut text = String::new();
        let _ = (&self.report_read).read_to_string(&mut text);
        text
    }
}

/// In a cloned child: die with the parent, so no container outlives a killed whalebox. False
/// when the parent (`parent`, its PID before the clone) is already gone.
pub fn die_with_parent(parent: Pid) -> bool {
    let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
    // In a new PID namespace the parent is outside it and reads as 0.
    let ppid = nix::unistd::getppid();
    ppid == parent || ppid.as_raw() == 0
}

/// A fake kernel that records every call as one line (`mount overlay /m overlay lowerdir=…`)
/// and answers reads from `files`. `spawn` does not run the child.
#[derive(Debug, Default)]
pub struct Recorder {
    pub calls: Vec<String>,
    pub files: BTreeMap<PathBuf, String>,
    /// What `wait` answers, in order (then `Code(0)`).
    pub exits: Vec<Exit>,
    /// Calls whose line starts with one of these fail with EPERM (to test the fallbacks).
    pub refuse: Vec<String>,
    next_pid: i32,
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder { next_pid: 4242, ..Recorder::default() }
    }

    fn record(&mut self, line: String) -> io::Result<()> {
        let refused = self.refuse.iter().any(|prefix| line.starts_with(prefix.as_str()));
        self.calls.push(line);
        if refused { Err(io::Error::from_raw_os_error(libc::EPERM)) } else { Ok(()) }
    }

    /// The calls whose line starts with `prefix`.
    pub fn calls_starting(&self, prefix: &str) -> Vec<&str> {
        self.calls.iter().filter(|c| c.starts_with(prefix)).map(String::as_str).collect()
    }
}

fn show(path: &Path) -> String {
    path.display().to_string()
}

/// `CLONE_NEWPID|CLONE_NEWNS`, in the order the kernel numbers them, for recorded calls.
pub fn flag_names(flags: CloneFlags) -> String {
    let names: Vec<String> = flags.iter_names().map(|(name, _)| name.to_string()).collect();
    if names.is_empty() { "fork".to_string() } else { names.join("|") }
}

impl Kernel for Recorder {
    fn mkdir_all(&mut self, path: &Path) -> io::Result<()> {
        self.record(format!("mkdir {}", show(path)))
    }

    fn create_file(&mut self, path: &Path, text: &[u8], size: u64, mode: u32) -> io::Result<()> {
        self.files.insert(path.to_path_buf(), String::from_utf8_lossy(text).into_owned());
        self.record(format!("file {} {size} {mode:o}", show(path)))
    }

    fn symlink(&mut self, target: &str, link: &Path) -> io::Result<()> {
        self.record(format!("symlink {} -> {target}", show(link)))
    }

    fn copy_file(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.record(format!("copy {} {}", show(from), show(to)))
    }

    fn write(&mut self, path: &Path, text: &str) -> io::Result<()> {
        self.files.insert(path.to_path_buf(), text.to_string());
        self.record(format!("write {} {text}", show(path)))
    }

    fn read(&mut self, path: &Path) -> io::Result<String> {
        self.files.get(path).cloned().ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn exists(&mut self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    fn read_link(&mut self, path: &Path) -> io::Result<String> {
        self.read(path)
    }

    fn run(&mut self, argv: &[&str]) -> io::Result<i32> {
        self.record(format!("run {}", argv.join(" ")))?;
        Ok(0)
    }

    fn remove(&mut self, path: &Path) -> io::Result<()> {
        self.files.remove(path);
        self.record(format!("remove {}", show(path)))
    }

    fn remove_all(&mut self, path: &Path) -> io::Result<()> {
        self.record(format!("remove_all {}", show(path)))
    }

    fn mount(&mut self, source: &str, target: &Path, fstype: &str, flags: MsFlags, data: &str) -> io::Result<()> {
        let flags: Vec<&str> = flags.iter_names().map(|(name, _)| name).collect();
        self.record(format!("mount {source} {} {fstype} [{}] {data}", show(target), flags.join("|")).trim_end().to_string())
    }

    fn umount(&mut self, target: &Path) -> io::Result<()> {
        self.record(format!("umount {}", show(target)))
    }

    fn whiteout(&mut self, path: &Path) -> io::Result<()> {
        self.record(format!("mknod {} c 0 0", show(path)))
    }

    fn set_opaque(&mut self, dir: &Path) -> io::Result<()> {
        self.record(format!("setxattr {} trusted.overlay.opaque=y", show(dir)))
    }

    fn walk(&mut self, dir: &Path) -> io::Result<Vec<Entry>> {
        self.record(format!("walk {}", show(dir)))?;
        Ok(Vec::new())
    }

    fn set_hostname(&mut self, name: &str) -> io::Result<()> {
        self.record(format!("sethostname {name}"))
    }

    fn chdir(&mut self, dir: &Path) -> io::Result<()> {
        self.record(format!("chdir {}", show(dir)))
    }

    fn pivot_root(&mut self, new_root: &Path, put_old: &Path) -> io::Result<()> {
        self.record(format!("pivot_root {} {}", show(new_root), show(put_old)))
    }

    fn umount_lazy(&mut self, target: &Path) -> io::Result<()> {
        self.record(format!("umount -l {}", show(target)))
    }

    fn disk_usage(&mut self, dir: &Path) -> io::Result<u64> {
        self.record(format!("du {}", show(dir)))?;
        Ok(0)
    }

    fn spawn(&mut self, flags: CloneFlags, _child: &mut dyn FnMut() -> isize) -> io::Result<Pid> {
        self.record(format!("clone {}", flag_names(flags)))?;
        self.next_pid += 1;
        Ok(Pid::from_raw(self.next_pid - 1))
    }

    fn wait(&mut self, pid: Pid, _block: bool) -> io::Result<Option<Exit>> {
        self.record(format!("wait {pid}"))?;
        Ok(Some(if self.exits.is_empty() { Exit::Code(0) } else { self.exits.remove(0) }))
    }

    fn kill(&mut self, pid: Pid, signal: Signal) -> io::Result<()> {
        self.record(format!("kill {pid} {signal}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_read_as_128_plus_their_number() {
        assert_eq!(Exit::Signal(9).status(), 137);
        assert_eq!(Exit::Code(3).status(), 3);
    }

    #[test]
    fn the_recorder_writes_down_calls_and_refuses_on_request() {
        let mut kernel = Recorder::new();
        kernel.refuse.push("clone".into());
        kernel.mount("proc", Path::new("/proc"), "proc", MsFlags::MS_NOSUID | MsFlags::MS_NODEV, "").expect("recorded");
        assert!(kernel.spawn(CloneFlags::CLONE_NEWPID, &mut || 0).is_err());
        assert_eq!(kernel.calls, ["mount proc /proc proc [MS_NOSUID|MS_NODEV]", "clone CLONE_NEWPID"]);
    }

    #[test]
    fn real_files_walk_and_use_disk() {
        let dir = std::env::temp_dir().join(format!("whalebox-sys-test-{}", std::process::id()));
        let mut kernel = Real;
        kernel.mkdir_all(&dir.join("etc")).expect("mkdir");
        kernel.create_file(&dir.join("etc/big"), b"hi", 100_000, 0o644).expect("file");
        kernel.symlink("big", &dir.join("etc/link")).expect("symlink");
        let entries = kernel.walk(&dir).expect("walk");
        let used = kernel.disk_usage(&dir).expect("du");
        kernel.remove_all(&dir).expect("rm");
        assert_eq!(entries[0], Entry { path: "/etc".into(), kind: EntryKind::Dir { opaque: false } });
        assert_eq!(entries[1], Entry { path: "/etc/big".into(), kind: EntryKind::File { size: 100_000 } });
        assert_eq!(entries[2].kind, EntryKind::Symlink { target: "big".into() });
        assert!(used >= 100_000, "{used}");
    }
}
