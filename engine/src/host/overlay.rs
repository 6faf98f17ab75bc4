//! A simulated image's layers as real directories stacked with overlayfs: lowerdirs, an upperdir
//! (the container's writable layer), whiteouts, opaque directories, and `docker diff` read back.

use std::io;
use std::path::{Path, PathBuf};

use crate::fs::{Change, Content, FileTree, LayerDiff, Node};

use super::sys::{EntryKind, Kernel, MsFlags};

/// Where the demos make their directories (a tmpfs on most hosts, gone after a reboot).
pub const RUN_DIR: &str = "/run/whalebox";

/// Writes one layer's changes under `dir` the way overlayfs expects them in a lowerdir:
/// files with their bytes, deletions as whiteouts, replaced directories as opaque ones.
pub fn materialise(kernel: &mut dyn Kernel, dir: &Path, layer: &LayerDiff) -> io::Result<()> {
    kernel.mkdir_all(dir)?;
    for (path, change) in &layer.changes {
        let target = dir.join(path.trim_start_matches('/'));
        if let Some(parent) = target.parent() {
            if parent != dir {
                kernel.mkdir_all(parent)?;
            }
        }
        match change {
            Change::Put(Node::Dir { .. }) => kernel.mkdir_all(&target)?,
            Change::Put(Node::File { meta, size, content }) => {
                let text: &[u8] = match content {
                    Content::Text(text) => text.as_bytes(),
                    // A simulated binary: its size is real (du counts it), its bytes are zeros.
                    Content::Blob { .. } => b"",
                };
                kernel.create_file(&target, text, *size, meta.mode & 0o7777)?;
            }
            Change::Put(Node::Symlink { target: link, .. }) => kernel.symlink(link, &target)?,
            Change::Whiteout => kernel.whiteout(&target)?,
            Change::Opaque(_) => {
                kernel.mkdir_all(&target)?;
                kernel.set_opaque(&target)?;
            }
        }
    }
    Ok(())
}

/// overlayfs's mount data: `lowers` are bottom first, but `lowerdir=` lists the top one first.
pub fn mount_options(lowers: &[PathBuf], upper: &Path, work: &Path) -> String {
    let lowerdir: Vec<String> = lowers.iter().rev().map(|p| p.display().to_string()).collect();
    format!("lowerdir={},upperdir={},workdir={}", lowerdir.join(":"), upper.display(), work.display())
}

/// The directories of one overlay: `layers/N` (bottom first), `upper`, `work`, `merged`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub root: PathBuf,
    pub lowers: Vec<PathBuf>,
    pub upper: PathBuf,
    pub work: PathBuf,
    pub merged: PathBuf,
    pub mounted: bool,
}

impl Overlay {
    /// Lays out (but does not yet fill) an overlay under `root`.
    pub fn at(root: &Path, layers: usize) -> Overlay {
        Overlay {
            root: root.to_path_buf(),
            lowers: (0..layers).map(|n| root.join("layers").join(n.to_string())).collect(),
            upper: root.join("upper"),
            work: root.join("work"),
            merged: root.join("merged"),
            mounted: false,
        }
    }

    /// Adds one more lowerdir on top (the host's busybox for `run --real`).
    pub fn push_lower(&mut self) -> PathBuf {
        let dir = self.root.join("layers").join(self.lowers.len().to_string());
        self.lowers.push(dir.clone());
        dir
    }

    /// Makes the directories and writes every layer.
    pub fn create(kernel: &mut dyn Kernel, root: &Path, layers: &[&LayerDiff]) -> io::Result<Overlay> {
        let overlay = Overlay::at(root, layers.len());
        for (dir, layer) in overlay.lowers.iter().zip(layers) {
            materialise(kernel, dir, layer)?;
        }
        for dir in [&overlay.upper, &overlay.work, &overlay.merged] {
            kernel.mkdir_all(dir)?;
        }
        Ok(overlay)
    }

    pub fn options(&self) -> String {
        mount_options(&self.lowers, &self.upper, &self.work)
    }

    /// `mount -t overlay overlay -o lowerdir=…,upperdir=…,workdir=… merged`.
    pub fn mount(&mut self, kernel: &mut dyn Kernel) -> io::Result<()> {
        kernel.mount("overlay", &self.merged, "overlay", MsFlags::empty(), &self.options())?;
        self.mounted = true;
        Ok(())
    }

    /// Unmounts (lazily if busy) and removes every directory, in reverse of how they were made.
    pub fn remove(&mut self, kernel: &mut dyn Kernel) -> Vec<String> {
        let mounted = std::mem::take(&mut self.mounted);
        unmount_and_remove(kernel, mounted.then_some(self.merged.as_path()), &self.root)
    }
}

/// Removes the overlay when dropped, with the real kernel: the guard for errors and Ctrl-C.
#[derive(Debug)]
pub struct OverlayGuard(pub Overlay);

impl Drop for OverlayGuard {
    fn drop(&mut self) {
        self.0.remove(&mut super::sys::Real);
    }
}

/// Unmounts `mount_point` (lazily if busy), then removes `dir`; what went wrong, worded.
fn unmount_and_remove(kernel: &mut dyn Kernel, mount_point: Option<&Path>, dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(point) = mount_point {
        if let Err(error) = kernel.umount(point) {
            if let Err(lazy) = kernel.umount_lazy(point) {
                problems.push(format!("umount {}: {error}; lazily: {lazy}", point.display()));
            }
        }
    }
    if let Err(error) = kernel.remove_all(dir) {
        problems.push(format!("rm -rf {}: {error}", dir.display()));
    }
    problems
}

/// A tmpfs for one run's layers: a layer is hundreds of small files and applet symlinks, which
/// cost ~250 µs each on an ext4-on-virtio disk like this kind of machine's and a few µs in memory
/// (measured: `run --real alpine true` 110 ms on disk). Docker keeps its layers on disk because it
/// keeps them; a run here throws them away.
#[derive(Debug)]
pub struct Scratch {
    pub dir: PathBuf,
    mounted: bool,
}

impl Scratch {
    /// `mkdir -p DIR && mount -t tmpfs -o mode=0755 tmpfs DIR`.
    pub fn mount(kernel: &mut dyn Kernel, dir: &Path) -> io::Result<Scratch> {
        kernel.mkdir_all(dir)?;
        let mut scratch = Scratch { dir: dir.to_path_buf(), mounted: false };
        kernel.mount("tmpfs", dir, "tmpfs", MsFlags::empty(), "mode=0755")?;
        scratch.mounted = true;
        Ok(scratch)
    }

    /// Unmounts (lazily if busy) and removes the directory.
    pub fn remove(&mut self, kernel: &mut dyn Kernel) -> Vec<String> {
        let mounted = std::mem::take(&mut self.mounted);
        unmount_and_remove(kernel, mounted.then_some(self.dir.as_path()), &self.dir)
    }
}

/// Removes the tmpfs when dropped, with the real kernel. Declared before the [`OverlayGuard`]
/// of the overlay inside it, so it drops after it.
#[derive(Debug)]
pub struct ScratchGuard(pub Scratch);

impl Drop for ScratchGuard {
    fn drop(&mut self) {
        self.0.remove(&mut super::sys::Real);
    }
}

/// A private directory for one run: `/run/whalebox/whalebox-<pid>-<what>`.
pub fn run_dir(what: &str) -> PathBuf {
    Path::new(RUN_DIR).join(format!("whalebox-{}-{what}", std::process::id()))
}

/// `docker diff` from an upperdir's entries: `D` for whiteouts, `C` for what the image had,
/// `A` for what it did not. Opaque directories count as changed.
pub fn docker_diff(upper: &[super::sys::Entry], image: &FileTree) -> Vec<String> {
    let mut lines: Vec<String> = upper
        .iter()
        .map(|entry| {
            let letter = match entry.kind {
                EntryKind::Whiteout => 'D',
                _ if image.exists(&entry.path) => 'C',
                _ => 'A',
            };
            format!("{letter} {}", entry.path)
        })
        .collect();
    lines.sort_by(|a, b| a[2..].cmp(&b[2..]));
    lines
}

/// A file a later layer deleted that an earlier layer still carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wasted {
    pub path: String,
    pub bytes: u64,
    /// Index of the layer that added it and of the one that deleted it.
    pub added_in: usize,
    pub deleted_in: usize,
}

/// Every file hidden by a later whiteout (or opaque dir) but still stored in a lower layer.
pub fn wasted(layers: &[&LayerDiff]) -> Vec<Wasted> {
    let mut found = Vec::new();
    for (deleted_in, layer) in layers.iter().enumerate() {
        for (gone, change) in &layer.changes {
            if !matches!(change, Change::Whiteout | Change::Opaque(_)) {
                continue;
            }
            for (added_in, lower) in layers[..deleted_in].iter().enumerate() {
                for (path, change) in &lower.changes {
                    let under = path == gone || crate::fs::is_within(path, gone);
                    if let (true, Change::Put(Node::File { size, .. })) = (under, change) {
                        found.push(Wasted { path: path.to_string(), bytes: *size, added_in, deleted_in });
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::Meta;
    use crate::host::sys::{Entry, Recorder};

    fn layer(changes: Vec<(&str, Change)>) -> LayerDiff {
        LayerDiff { changes: changes.into_iter().map(|(p, c)| (p.to_string(), c)).collect() }
    }

    #[test]
    fn run_dirs_are_named_for_the_census() {
        let dir = run_dir("overlay");
        assert!(dir.starts_with(RUN_DIR));
        assert_eq!(dir.file_name().and_then(|n| n.to_str()), Some(format!("whalebox-{}-overlay", std::process::id()).as_str()));
    }

    #[test]
    fn a_scratch_tmpfs_is_mounted_then_unmounted_and_removed() {
        let mut kernel = Recorder::new();
        let mut scratch = Scratch::mount(&mut kernel, Path::new("/run/whalebox/w-1-run")).expect("recorded");
        assert!(scratch.remove(&mut kernel).is_empty());
        assert!(scratch.remove(&mut kernel).len() <= 1, "a second remove does not unmount again");
        assert_eq!(
            kernel.calls[..4],
            [
                "mkdir /run/whalebox/w-1-run",
                "mount tmpfs /run/whalebox/w-1-run tmpfs [] mode=0755",
                "umount /run/whalebox/w-1-run",
                "remove_all /run/whalebox/w-1-run",
            ]
        );
    }

    #[test]
    fn lowerdir_lists_the_top_layer_first() {
        let lowers = vec![PathBuf::from("/o/layers/0"), PathBuf::from("/o/layers/1")];
        assert_eq!(
            mount_options(&lowers, Path::new("/o/upper"), Path::new("/o/work")),
            "lowerdir=/o/layers/1:/o/layers/0,upperdir=/o/upper,workdir=/o/work"
        );
    }

    #[test]
    fn a_layer_becomes_files_whiteouts_and_opaque_dirs() {
        let mut kernel = Recorder::new();
        let diff = layer(vec![
            ("/app", Change::Opaque(Meta::DIR)),
            ("/big", Change::Put(Node::blob("data", 5000, Meta::FILE))),
            ("/etc/motd", Change::Put(Node::text("hi\n"))),
            ("/old", Change::Whiteout),
            ("/sh", Change::Put(Node::Symlink { meta: Meta::FILE, target: "/bin/busybox".into() })),
        ]);
        materialise(&mut kernel, Path::new("/o/l"), &diff).expect("recorded");
        assert_eq!(
            kernel.calls,
            [
                "mkdir /o/l",
                "mkdir /o/l/app",
                "setxattr /o/l/app trusted.overlay.opaque=y",
                "file /o/l/big 5000 644",
                "mkdir /o/l/etc",
                "file /o/l/etc/motd 3 644",
                "mknod /o/l/old c 0 0",
                "symlink /o/l/sh -> /bin/busybox",
            ]
        );
    }

    #[test]
    fn mount_then_cleanup_in_reverse() {
        let mut kernel = Recorder::new();
        let mut overlay = Overlay::create(&mut kernel, Path::new("/o"), &[&LayerDiff::default()]).expect("made");
        overlay.mount(&mut kernel).expect("mounted");
        assert!(overlay.remove(&mut kernel).is_empty());
        assert_eq!(
            kernel.calls,
            [
                "mkdir /o/layers/0",
                "mkdir /o/upper",
                "mkdir /o/work",
                "mkdir /o/merged",
                "mount overlay /o/merged overlay [] lowerdir=/o/layers/0,upperdir=/o/upper,workdir=/o/work",
                "umount /o/merged",
                "remove_all /o",
            ]
        );
    }

    #[test]
    fn a_busy_mount_is_detached_lazily() {
        let mut kernel = Recorder::new();
        kernel.refuse.push("umount /o/merged".into());
        let mut overlay = Overlay::at(Path::new("/o"), 1);
        overlay.mounted = true;
        assert!(overlay.remove(&mut kernel).is_empty());
        assert_eq!(kernel.calls, ["umount /o/merged", "umount -l /o/merged", "remove_all /o"]);
    }

    #[test]
    fn diff_reads_a_c_d_from_the_upperdir() {
        let mut image = FileTree::new();
        image.insert("/etc/motd", Node::text("hi"));
        image.insert("/tmp/x", Node::text("x"));
        let upper = vec![
            Entry { path: "/etc".into(), kind: EntryKind::Dir { opaque: false } },
            Entry { path: "/etc/motd".into(), kind: EntryKind::File { size: 3 } },
            Entry { path: "/new".into(), kind: EntryKind::File { size: 1 } },
            Entry { path: "/tmp".into(), kind: EntryKind::Dir { opaque: false } },
            Entry { path: "/tmp/x".into(), kind: EntryKind::Whiteout },
        ];
        assert_eq!(docker_diff(&upper, &image), ["C /etc", "C /etc/motd", "A /new", "C /tmp", "D /tmp/x"]);
    }

    #[test]
    fn a_file_deleted_later_is_still_carried_below() {
        let add = layer(vec![("/tmp/big", Change::Put(Node::blob("zeros", 8 << 20, Meta::FILE)))]);
        let other = layer(vec![("/etc/motd", Change::Put(Node::text("hi")))]);
        let delete = layer(vec![("/tmp/big", Change::Whiteout)]);
        assert_eq!(
            wasted(&[&add, &other, &delete]),
            [Wasted { path: "/tmp/big".into(), bytes: 8 << 20, added_in: 0, deleted_in: 2 }]
        );
    }
}
