//! The process a program runs as ([`Sys`]: tree, environment, cwd, user, network, simulated
//! time) and its standard streams ([`Io`]), plus the lookups every program shares.

use std::collections::BTreeMap;

use super::ProgramRun;
use crate::fs::{normalize, FileTree, Meta, Node};

/// Longest text a stream or file may grow to; runaway loops stop growing output here.
pub const MAX_TEXT: usize = 4 << 20;

/// Standard streams: stdin as text in, stdout and stderr as text out.
#[derive(Debug, Default, Clone)]
pub struct Io {
    pub stdin: String,
    pub out: String,
    pub err: String,
    /// `(stdout length, stderr length, elapsed ms)` after each command a script ran: when each
    /// piece of output was written, for container logs with timestamps.
    pub stamps: Vec<(usize, usize, u64)>,
}

impl Io {
    pub fn with_stdin(stdin: String) -> Io {
        Io { stdin, ..Io::default() }
    }

    pub fn out_line(&mut self, line: &str) {
        push_capped(&mut self.out, line);
        push_capped(&mut self.out, "\n");
    }

    pub fn err_line(&mut self, line: &str) {
        push_capped(&mut self.err, line);
        push_capped(&mut self.err, "\n");
    }

    /// Notes that the output so far had been written `elapsed` ms into the run.
    pub fn stamp(&mut self, elapsed: u64) {
        let mark = (self.out.len(), self.err.len(), elapsed);
        if self.stamps.last().is_none_or(|last| (last.0, last.1) != (mark.0, mark.1)) && self.stamps.len() < 100_000 {
            self.stamps.push(mark);
        }
    }

    pub fn finish(self, exit_code: i32, duration: u64) -> ProgramRun {
        let timed = self.timed_lines(duration);
        ProgramRun {
            stdout: self.out.lines().map(str::to_string).collect(),
            stderr: self.err.lines().map(str::to_string).collect(),
            exit_code,
            duration,
            timed,
            service: None,
            term_trap: None,
        }
    }

    /// Both streams as lines with the time each was written (the first stamp that covers it),
    /// in the order they were written, as far as the stamps tell.
    fn timed_lines(&self, duration: u64) -> Vec<super::TimedLine> {
        let mut lines = Vec::new();
        for (stderr, text) in [(false, &self.out), (true, &self.err)] {
            let mut end = 0;
            // Stamps only grow, and so do line ends: one pass over both.
            let mut cursor = 0;
            for line in text.split_inclusive('\n') {
                end += line.len();
                while self.stamps.get(cursor).is_some_and(|stamp| (if stderr { stamp.1 } else { stamp.0 }) < end) {
                    cursor += 1;
                }
                let stamp = (cursor < self.stamps.len()).then_some(cursor);
                let at = stamp.and_then(|i| self.stamps.get(i)).map_or(duration, |stamp| stamp.2);
                let order = stamp.unwrap_or(self.stamps.len());
                lines.push((order, super::TimedLine { at, stderr, text: line.trim_end_matches('\n').to_string() }));
            }
        }
        // Stable: lines written by one command keep stdout ahead of stderr, each in order.
        lines.sort_by_key(|(order, _)| *order);
        lines.into_iter().map(|(_, line)| line).collect()
    }
}

/// Appends `text` unless the buffer is already at [`MAX_TEXT`].
pub fn push_capped(buffer: &mut String, text: &str) {
    if buffer.len() < MAX_TEXT {
        buffer.push_str(text);
    }
}

/// What the tree says about its distribution (from `/etc/os-release`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Debian,
    Ubuntu,
    Alpine,
    Busybox,
    /// No os-release (scratch, a bare test tree).
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Os {
    pub family: Family,
    /// `bookworm`, `bullseye`, `jammy`, or `v3.19` for Alpine.
    pub codename: String,
    pub version: String,
}

impl Os {
    pub fn detect(fs: &FileTree) -> Os {
        let text = fs.read_text("/etc/os-release").unwrap_or_default();
        let field = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix('='))
                .map(|v| v.trim_matches('"').to_string())
                .unwrap_or_default()
        };
        let id = field("ID");
        let version = field("VERSION_ID");
        let family = match id.as_str() {
            "debian" => Family::Debian,
            "ubuntu" => Family::Ubuntu,
            "alpine" => Family::Alpine,
            "busybox" => Family::Busybox,
            _ if fs.exists("/bin/busybox") => Family::Busybox,
            _ => Family::Unknown,
        };
        let mut codename = field("VERSION_CODENAME");
        if family == Family::Alpine {
            let mut parts = version.split('.');
            codename = format!("v{}.{}", parts.next().unwrap_or("3"), parts.next().unwrap_or("19"));
        }
        if codename.is_empty() && family == Family::Debian {
            codename = if version == "11" { "bullseye".into() } else { "bookworm".into() };
        }
        Os { family, codename, version }
    }

    pub fn is_debian_family(&self) -> bool {
        matches!(self.family, Family::Debian | Family::Ubuntu)
    }

    /// Alpine and busybox: `/bin/sh` is busybox ash and the tools are busybox applets.
    pub fn busybox_userland(&self) -> bool {
        matches!(self.family, Family::Alpine | Family::Busybox)
    }

    /// Library directory for shared objects.
    pub fn lib_dir(&self) -> &'static str {
        if self.is_debian_family() { "/usr/lib/x86_64-linux-gnu" } else { "/usr/lib" }
    }
}

/// Tools every Debian/Ubuntu image has (coreutils, findutils, grep, sed, hostname, login,
/// passwd, procps-less base) even where the tree only spells out a few of them.
const DEBIAN_BASE_TOOLS: &[&str] = &[
    "basename", "cat", "chgrp", "chmod", "chown", "cp", "cut", "date", "dd", "df", "dirname", "du", "echo",
    "env", "expr", "false", "find", "grep", "groups", "head", "hostname", "id", "install", "ln", "ls", "md5sum",
    "mkdir", "mktemp", "mv", "nproc", "printenv", "printf", "pwd", "readlink", "realpath", "rm", "rmdir", "sed",
    "seq", "sha256sum", "sleep", "sort", "stat", "tail", "tar", "tee", "test", "[", "touch", "tr", "true",
    "uname", "uniq", "wc", "which", "whoami", "xargs", "yes", "gzip", "su", "useradd", "groupadd", "usermod",
    "userdel", "groupdel", "adduser", "addgroup", "deluser", "delgroup", "apt-get", "apt", "dpkg", "dash", "bash",
    "sh", "mount", "getent", "nologin",
];

/// Busybox applets present on alpine and busybox images.
const BUSYBOX_APPLETS: &[&str] = &[
    "sh", "ash", "basename", "cat", "chgrp", "chmod", "chown", "cp", "cut", "date", "dd", "df", "dirname", "du",
    "echo", "env", "expr", "false", "find", "grep", "head", "hostname", "id", "install", "ln", "ls", "md5sum",
    "mkdir", "mktemp", "mv", "nproc", "printenv", "printf", "pwd", "readlink", "realpath", "rm", "rmdir", "sed",
    "seq", "sha256sum", "sleep", "sort", "stat", "tail", "tar", "tee", "test", "[", "touch", "tr", "true",
    "uname", "uniq", "wc", "which", "whoami", "xargs", "yes", "gzip", "su", "adduser", "addgroup", "deluser",
    "delgroup", "ping", "wget", "nslookup", "ps", "top", "kill", "nc", "netstat", "mount", "getent", "vi",
    "free", "uptime", "ifconfig", "ip",
];

/// `execve` with `PATH`: a name with a slash is taken as a path; a bare name is searched in
/// `search`. Tools the distro always has are found even when the tree does not list them.
pub fn resolve_in(fs: &FileTree, command: &str, search: &str, cwd: &str) -> Option<String> {
    if command.is_empty() {
        return None;
    }
    if command.contains('/') {
        let path = normalize(command, cwd);
        if fs.exists(&path) {
            return (!fs.is_dir(&path)).then_some(path);
        }
        let dir = crate::fs::parent(&path);
        let standard = matches!(dir, "/bin" | "/usr/bin" | "/sbin" | "/usr/sbin");
        return (standard && implicit_tool(fs, crate::fs::file_name(&path))).then_some(path);
    }
    let found = search
        .split(':')
        .filter(|dir| !dir.is_empty())
        .map(|dir| normalize(&format!("{dir}/{command}"), cwd))
        .find(|path| fs.exists(path) && !fs.is_dir(path));
    if found.is_some() {
        return found;
    }
    if !implicit_tool(fs, command) {
        return None;
    }
    let os = Os::detect(fs);
    let dir = if matches!(command, "useradd" | "groupadd" | "usermod" | "userdel" | "groupdel" | "adduser" | "addgroup" | "deluser" | "delgroup") && os.is_debian_family() {
        "/usr/sbin"
    } else if os.is_debian_family() {
        "/usr/bin"
    } else {
        "/bin"
    };
    Some(format!("{dir}/{command}"))
}

/// Whether the distro of `fs` always ships `command`, listed in the tree or not.
fn implicit_tool(fs: &FileTree, command: &str) -> bool {
    // Distroless says `ID=debian` but has no userland at all.
    if !fs.exists("/bin/sh") && !fs.exists("/bin/busybox") {
        return false;
    }
    let os = Os::detect(fs);
    if os.is_debian_family() {
        DEBIAN_BASE_TOOLS.contains(&command)
    } else if os.busybox_userland() {
        // Alpine moved httpd to busybox-extras; the busybox image still has it.
        BUSYBOX_APPLETS.contains(&command) || (os.family == Family::Busybox && command == "httpd")
    } else {
        false
    }
}

/// The process.
#[derive(Debug)]
pub struct Sys<'t> {
    pub fs: &'t mut FileTree,
    pub env: BTreeMap<String, String>,
    pub cwd: String,
    pub uid: u32,
    pub gid: u32,
    pub user_name: String,
    pub network: bool,
    /// Simulated milliseconds spent so far.
    pub elapsed: u64,
    /// Nested program depth (a script calling a script …), bounded.
    pub depth: u32,
    pub os: Os,
    /// The container this process runs in (`None` in a build step).
    pub container: Option<super::ContainerContext>,
    /// Set when a program keeps running (a server, `sleep infinity`): what it does from then on,
    /// and the elapsed time it began. Scripts stop running further commands once it is set.
    pub service: Option<(u64, super::Service)>,
    /// Whether the running service replaced the process that started it (`exec` form, or the
    /// shell's `exec`), so it is PID 1; a service started by a shell leaves the shell as PID 1.
    pub service_is_pid1: bool,
    /// The shell's `trap … TERM` action when PID 1 is a shell that installed one.
    pub term_trap: Option<String>,
}

impl<'t> Sys<'t> {
    pub fn new(fs: &'t mut FileTree, env: &[String], cwd: &str, network: bool) -> Sys<'t> {
        let os = Os::detect(fs);
        let env = env
            .iter()
            .filter_map(|entry| entry.split_once('='))
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        let cwd = normalize(if cwd.is_empty() { "/" } else { cwd }, "/");
        Sys {
            fs,
            env,
            cwd,
            uid: 0,
            gid: 0,
            user_name: "root".into(),
            network,
            elapsed: 0,
            depth: 0,
            os,
            container: None,
            service: None,
            service_is_pid1: false,
            term_trap: None,
        }
    }

    /// Declares that the running program keeps running as `service` from now on. Scripts stop
    /// running further commands; the runtime takes over as simulated time passes.
    pub fn serve(&mut self, service: super::Service) {
        if self.service.is_none() {
            self.service_is_pid1 = self.depth <= 1;
            self.service = Some((self.elapsed, service));
        }
    }

    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }

    /// Sets the user from Docker's `USER` syntax; false when the name is unknown.
    pub fn set_user(&mut self, spec: &str) -> bool {
        let (user, group) = match spec.split_once(':') {
            Some((u, g)) => (u, Some(g)),
            None => (spec, None),
        };
        let passwd = self.fs.read_text("/etc/passwd").unwrap_or_default().to_string();
        let entries = super::users::parse_passwd(&passwd);
        if user.is_empty() || user == "root" || user == "0" {
            self.uid = 0;
            self.gid = 0;
            self.user_name = "root".into();
        } else if let Ok(uid) = user.parse::<u32>() {
            self.uid = uid;
            match entries.iter().find(|e| e.uid == uid) {
                Some(entry) => {
                    self.gid = entry.gid;
                    self.user_name = entry.name.clone();
                }
                None => {
                    // runc: a UID with no passwd entry runs with GID 0.
                    self.gid = 0;
                    self.user_name = uid.to_string();
                }
            }
        } else {
            let Some(entry) = entries.iter().find(|e| e.name == user) else {
                return false;
            };
            self.uid = entry.uid;
            self.gid = entry.gid;
            self.user_name = entry.name.clone();
        }
        if let Some(group) = group {
            if let Ok(gid) = group.parse::<u32>() {
                self.gid = gid;
            } else {
                let groups = self.fs.read_text("/etc/group").unwrap_or_default().to_string();
                match super::users::parse_group(&groups).iter().find(|g| g.name == group) {
                    Some(g) => self.gid = g.gid,
                    None => return false,
                }
            }
        }
        if !self.env.contains_key("HOME") {
            let home = entries.iter().find(|e| e.uid == self.uid).map(|e| e.home.clone()).unwrap_or_else(|| "/".into());
            self.env.insert("HOME".into(), home);
        }
        true
    }

    pub fn home(&self) -> String {
        self.env_var("HOME").map(str::to_string).unwrap_or_else(|| if self.uid == 0 { "/root".into() } else { "/".into() })
    }

    pub fn abs(&self, path: &str) -> String {
        normalize(path, &self.cwd)
    }

    /// Resolves a command name through this process's `PATH`.
    pub fn resolve(&self, command: &str) -> Option<String> {
        let search = self.env_var("PATH").unwrap_or(super::DEFAULT_PATH);
        resolve_in(self.fs, command, search, &self.cwd)
    }

    /// Follows symlinks on the whole path (at most 40 hops), for reading and for directories.
    pub fn real_path(&self, path: &str) -> String {
        let mut current = path.to_string();
        for _ in 0..40 {
            match self.fs.get(&current) {
                Some(Node::Symlink { target, .. }) => current = normalize(target, crate::fs::parent(&current)),
                _ => return current,
            }
        }
        current
    }

    /// Whether a file exists at `path` and has an execute bit (or is implied by the distro).
    pub fn is_executable(&self, path: &str) -> bool {
        let real = self.real_path(path);
        match self.fs.get(&real) {
            Some(node) => node.is_dir() || node.meta().mode & 0o111 != 0 || matches!(node, Node::Symlink { .. }),
            None => true,
        }
    }

    /// Whether this user may create or remove entries in directory `dir`.
    pub fn can_write(&self, dir: &str) -> bool {
        if self.uid == 0 {
            return true;
        }
        let real = self.real_path(dir);
        let meta = match self.fs.get(&real) {
            Some(node) => node.meta(),
            None if real == "/" => Meta::DIR,
            None => return false,
        };
        self.allowed(meta, 0o2)
    }

    /// Whether this user may write to the existing file at `path`.
    pub fn can_write_file(&self, path: &str) -> bool {
        if self.uid == 0 {
            return true;
        }
        match self.fs.get(&self.real_path(path)) {
            Some(node) => self.allowed(node.meta(), 0o2),
            None => self.can_write(crate::fs::parent(path)),
        }
    }

    fn allowed(&self, meta: Meta, bit: u32) -> bool {
        if meta.uid == self.uid {
            meta.mode & (bit << 6) != 0
        } else if meta.gid == self.gid {
            meta.mode & (bit << 3) != 0
        } else {
            meta.mode & bit != 0
        }
    }

    /// Metadata for a file this process creates.
    pub fn new_file_meta(&self) -> Meta {
        Meta { mode: 0o644, uid: self.uid, gid: self.gid }
    }

    pub fn new_dir_meta(&self) -> Meta {
        Meta { mode: 0o755, uid: self.uid, gid: self.gid }
    }

    /// Creates `path` and missing parents owned by this process's user.
    pub fn mkdir_all(&mut self, path: &str) {
        let meta = self.new_dir_meta();
        let mut missing = Vec::new();
        let mut current = path.to_string();
        for _ in 0..256 {
            if current == "/" || self.fs.exists(&current) {
                break;
            }
            missing.push(current.clone());
            current = crate::fs::parent(&current).to_string();
        }
        for dir in missing.iter().rev() {
            self.fs.insert(dir, Node::Dir { meta });
        }
    }

    /// Writes a text file owned by this process (parents created as needed).
    pub fn write_text(&mut self, path: &str, text: &str) {
        let meta = match self.fs.get(path) {
            Some(node) if !node.is_dir() => node.meta(),
            _ => self.new_file_meta(),
        };
        self.mkdir_all(crate::fs::parent(path));
        let text: String = text.chars().take(MAX_TEXT).collect();
        self.fs.insert(path, Node::File { meta, size: text.len() as u64, content: crate::fs::Content::Text(text) });
    }

    /// Puts a stand-in binary or data file owned by this process.
    pub fn write_blob(&mut self, path: &str, label: &str, size: u64, executable: bool) {
        let mut meta = self.new_file_meta();
        if executable {
            meta.mode = 0o755;
        }
        self.mkdir_all(crate::fs::parent(path));
        self.fs.insert(path, Node::blob(label, size, meta));
    }

    pub fn symlink(&mut self, path: &str, target: &str) {
        self.mkdir_all(crate::fs::parent(path));
        let meta = Meta { mode: 0o777, uid: self.uid, gid: self.gid };
        self.fs.insert(path, Node::Symlink { meta, target: target.to_string() });
    }

    /// Reads a text file (following symlinks); `None` when absent or a directory.
    pub fn read(&self, path: &str) -> Option<String> {
        self.fs.read_text(path).ok().map(str::to_string)
    }
}

/// FNV-1a: deterministic sizes and versions from names, without a random source.
pub fn hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}


pub fn human_mb(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{}.{} MB", bytes / 1_000_000, (bytes % 1_000_000) / 100_000)
    } else {
        format!("{}.{} kB", bytes / 1000, (bytes % 1000) / 100)
    }
}
