//! Base operating-system trees for simulated images: the handful of files that make each distro
//! recognisable (shell, package manager, os-release, the shared libraries the guides' incidents
//! hinge on) plus one bulk blob that gives the layer its real-world size.

use crate::fs::{FileTree, Meta, Node};

/// A base distribution, as image tags name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distro {
    /// Debian 11.
    Bullseye,
    /// Debian 12.
    Bookworm,
    /// Ubuntu 22.04.
    Jammy,
    Alpine318,
    Alpine319,
    Busybox,
    /// gcr.io/distroless/base-debian11: glibc and libssl, no shell, no package manager.
    DistrolessBase11,
}

impl Distro {
    pub fn pretty_name(self) -> &'static str {
        match self {
            Distro::Bullseye => "Debian GNU/Linux 11 (bullseye)",
            Distro::Bookworm => "Debian GNU/Linux 12 (bookworm)",
            Distro::Jammy => "Ubuntu 22.04.4 LTS",
            Distro::Alpine318 => "Alpine Linux v3.18",
            Distro::Alpine319 => "Alpine Linux v3.19",
            Distro::Busybox => "BusyBox",
            Distro::DistrolessBase11 => "Distroless",
        }
    }

    pub fn is_alpine(self) -> bool {
        matches!(self, Distro::Alpine318 | Distro::Alpine319)
    }

    pub fn is_debian_family(self) -> bool {
        matches!(self, Distro::Bullseye | Distro::Bookworm | Distro::Jammy)
    }

    /// Versioned shared libraries: the ones whose major versions change between releases.
    pub fn libffi(self) -> Option<&'static str> {
        match self {
            Distro::Bullseye => Some("libffi.so.7"),
            Distro::Bookworm | Distro::Jammy | Distro::Alpine318 | Distro::Alpine319 => Some("libffi.so.8"),
            Distro::Busybox | Distro::DistrolessBase11 => None,
        }
    }

    pub fn libssl(self) -> Option<&'static str> {
        match self {
            Distro::Bullseye | Distro::DistrolessBase11 => Some("libssl.so.1.1"),
            Distro::Bookworm | Distro::Jammy | Distro::Alpine318 | Distro::Alpine319 => Some("libssl.so.3"),
            Distro::Busybox => None,
        }
    }

    fn lib_dir(self) -> &'static str {
        if self.is_alpine() { "/usr/lib" } else { "/usr/lib/x86_64-linux-gnu" }
    }

    /// The root filesystem of the distro's smallest image (`debian:bookworm-slim`, `alpine:3.19`, …).
    pub fn rootfs(self) -> (FileTree, &'static str) {
        let mut tree = FileTree::new();
        for dir in ["/bin", "/etc", "/home", "/lib", "/root", "/tmp", "/usr/bin", "/usr/local/bin", "/usr/sbin", "/var"] {
            tree.mkdir_all(dir, Meta::DIR);
        }
        if let Some(node) = tree.get_mut("/tmp") {
            node.meta_mut().mode = 0o1777;
        }
        tree.insert("/etc/os-release", Node::text(self.os_release()));
        tree.insert("/etc/passwd", Node::text(self.passwd()));
        tree.insert("/etc/group", Node::text("root:x:0:\nnogroup:x:65534:\n"));
        let lib_dir = self.lib_dir();
        for library in [self.libffi(), self.libssl()].into_iter().flatten() {
            tree.insert(&format!("{lib_dir}/{library}"), Node::blob(format!("{self:?} {library}"), 600_000, Meta::FILE));
        }
        let (bulk, size, created_by): (&str, u64, &str) = match self {
            Distro::Bullseye => ("debian bullseye base", 80_500_000, "# debian.sh --arch 'amd64' out/ 'bullseye' '@1706659200'"),
            Distro::Bookworm => ("debian bookworm base", 74_800_000, "# debian.sh --arch 'amd64' out/ 'bookworm' '@1706659200'"),
            Distro::Jammy => ("ubuntu jammy base", 77_800_000, "/bin/sh -c #(nop) ADD file:2b3b5254f38a790d40e31cb26155609f7fc99ef7bc99eae1e0d67fa9ae605f77 in / "),
            Distro::Alpine318 => ("alpine 3.18 base", 7_300_000, "/bin/sh -c #(nop) ADD file:756183bba9c7f4593c2b216e98e4208b9163c4c962ea0837ef88bd917609d001 in / "),
            Distro::Alpine319 => ("alpine 3.19 base", 7_380_000, "/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / "),
            Distro::Busybox => ("busybox base", 4_260_000, "BusyBox 1.36.1 (glibc), Debian 12"),
            Distro::DistrolessBase11 => ("distroless base-debian11", 20_600_000, "bazel build //base:base_debian11"),
        };
        match self {
            Distro::Bullseye | Distro::Bookworm | Distro::Jammy => {
                for tool in ["bash", "cat", "chgrp", "chmod", "chown", "cp", "date", "df", "echo", "false", "grep", "hostname", "ln", "ls", "mkdir", "mktemp", "mv", "pwd", "readlink", "rm", "rmdir", "sed", "sleep", "stty", "su", "sync", "tar", "touch", "true", "uname", "gzip", "gunzip", "zcat"] {
                    tree.insert(&format!("/bin/{tool}"), Node::blob(format!("coreutils {tool}"), 60_000, Meta::EXECUTABLE));
                }
                tree.insert("/bin/dash", Node::blob("dash", 125_000, Meta::EXECUTABLE));
                tree.insert("/bin/sh", Node::Symlink { meta: Meta::EXECUTABLE, target: "dash".into() });
                for tool in ["apt-get", "apt", "apt-cache", "dpkg", "env", "id", "head", "tail", "find", "xargs", "tee", "wc", "sort", "uniq", "cut", "tr", "whoami", "which", "du", "stat", "seq", "basename", "dirname", "awk", "diff", "expr", "nohup", "timeout", "yes", "test", "[", "printf", "getent", "groups", "install"] {
                    tree.insert(&format!("/usr/bin/{tool}"), Node::blob(format!("debian {tool}"), 90_000, Meta::EXECUTABLE));
                }
                for tool in ["useradd", "groupadd", "adduser", "addgroup"] {
                    tree.insert(&format!("/usr/sbin/{tool}"), Node::blob(format!("passwd {tool}"), 80_000, Meta::EXECUTABLE));
                }
                tree.insert("/etc/debian_version", Node::text(match self {
                    Distro::Bullseye => "11.9\n",
                    Distro::Bookworm => "12.5\n",
                    _ => "bookworm/sid\n",
                }));
                tree.mkdir_all("/var/lib/apt/lists", Meta::DIR);
                tree.mkdir_all("/var/lib/dpkg", Meta::DIR);
            }
            Distro::Alpine318 | Distro::Alpine319 | Distro::Busybox => {
                tree.insert("/bin/busybox", Node::blob(format!("{self:?} busybox"), 900_000, Meta::EXECUTABLE));
                for applet in ["sh", "ash", "cat", "chgrp", "chmod", "chown", "cp", "date", "df", "echo", "grep", "gzip", "gunzip", "ln", "ls", "mkdir", "mktemp", "mv", "ping", "ps", "pwd", "rm", "rmdir", "sed", "sleep", "su", "tar", "touch", "true", "false", "uname", "hostname", "netstat", "adduser", "addgroup", "deluser", "delgroup"] {
                    tree.insert(&format!("/bin/{applet}"), Node::Symlink { meta: Meta::EXECUTABLE, target: "/bin/busybox".into() });
                }
                for applet in ["env", "id", "wget", "nslookup", "head", "tail", "find", "xargs", "top", "tee", "wc", "sort", "uniq", "cut", "tr", "whoami", "which", "du", "stat", "seq", "basename", "dirname", "awk", "diff", "expr", "nohup", "timeout", "yes", "test", "[", "printf", "nc", "telnet"] {
                    tree.insert(&format!("/usr/bin/{applet}"), Node::Symlink { meta: Meta::EXECUTABLE, target: "/bin/busybox".into() });
                }
                if self.is_alpine() {
                    tree.insert("/sbin/apk", Node::blob("apk-tools", 70_000, Meta::EXECUTABLE));
                    tree.insert("/etc/alpine-release", Node::text(if self == Distro::Alpine318 { "3.18.6\n" } else { "3.19.1\n" }));
                    tree.insert("/lib/ld-musl-x86_64.so.1", Node::blob("musl libc", 650_000, Meta::EXECUTABLE));
                }
            }
            Distro::DistrolessBase11 => {
                tree.insert("/etc/debian_version", Node::text("11.9\n"));
                tree.insert("/usr/lib/x86_64-linux-gnu/libc.so.6", Node::blob("glibc 2.31", 1_900_000, Meta::FILE));
            }
        }
        // The rest of the distribution, as one blob, brings the image to its real-world size.
        let rest = size.saturating_sub(tree.size());
        tree.insert(&format!("/usr/share/whalebox/{}", bulk.replace(' ', "-")), Node::blob(bulk, rest, Meta::FILE));
        (tree, created_by)
    }

    fn os_release(self) -> String {
        let (id, version_id, codename) = match self {
            Distro::Bullseye | Distro::DistrolessBase11 => ("debian", "11", "bullseye"),
            Distro::Bookworm => ("debian", "12", "bookworm"),
            Distro::Jammy => ("ubuntu", "22.04", "jammy"),
            Distro::Alpine318 => ("alpine", "3.18.6", ""),
            Distro::Alpine319 => ("alpine", "3.19.1", ""),
            Distro::Busybox => ("busybox", "1.36.1", ""),
        };
        let mut text = format!("PRETTY_NAME=\"{}\"\nID={id}\nVERSION_ID=\"{version_id}\"\n", self.pretty_name());
        if !codename.is_empty() {
            text.push_str(&format!("VERSION_CODENAME={codename}\n"));
        }
        text
    }

    fn passwd(self) -> &'static str {
        if self.is_debian_family() || self == Distro::DistrolessBase11 {
            "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        } else {
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"
        }
    }
}
