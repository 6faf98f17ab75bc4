//! A container's mounts: `-v`, `--mount`, `--tmpfs`, `--volumes-from` and the image's `VOLUME`s
//! turned into mount points when it is created (with the CLI's and the daemon's wording for
//! specs they refuse), volumes created and seeded from the image, and the mounts laid over its
//! root filesystem while a process runs, their changes written back to the volume or host files.

use std::collections::BTreeMap;

use crate::fs::{is_within, FileTree, Meta};
use crate::volume::{graft, subtree, MountKind, MountPoint, Volume};
use crate::world::World;

/// Labels or driver options: key → value.
type Labels = BTreeMap<String, String>;

/// A `--mount` flag as the CLI reads it (`type=volume,source=v,target=/data,readonly`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MountFlag {
    /// As typed, lowercased; `volume` when absent. The daemon refuses unknown types.
    pub kind: String,
    pub source: String,
    pub target: String,
    pub readonly: bool,
    pub volume_nocopy: bool,
    pub volume_options: bool,
    pub volume_labels: BTreeMap<String, String>,
    pub volume_opts: BTreeMap<String, String>,
    pub bind_options: bool,
    pub bind_propagation: String,
    pub tmpfs_options: bool,
    pub tmpfs_size: Option<u64>,
    pub tmpfs_mode: Option<u32>,
}

/// Parses `--mount` the way the docker CLI does; the error is what follows
/// `invalid argument "…" for "--mount" flag: `.
pub fn parse_mount_flag(text: &str, cwd: &str) -> Result<MountFlag, String> {
    let mut flag = MountFlag::default();
    let parse_bool = |key: &str, value: Option<&str>| -> Result<bool, String> {
        match value {
            None => Ok(true),
            Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Ok(true),
            Some("0" | "f" | "F" | "false" | "FALSE" | "False") => Ok(false),
            Some(other) => Err(format!("invalid value for {key}: {other}")),
        }
    };
    for field in text.split(',') {
        let (key, value) = match field.split_once('=') {
            Some((key, value)) => (key.to_ascii_lowercase(), Some(value)),
            None => (field.to_ascii_lowercase(), None),
        };
        if value.is_none() && !matches!(key.as_str(), "readonly" | "ro" | "volume-nocopy" | "bind-nonrecursive") {
            return Err(format!("invalid field '{field}' must be a key=value pair"));
        }
        let val = value.unwrap_or_default();
        match key.as_str() {
            "type" => flag.kind = val.to_ascii_lowercase(),
            "source" | "src" => {
                // The CLI makes `./dir` absolute against its working directory.
                flag.source = if val.starts_with('.') { crate::fs::normalize(val, cwd) } else { val.to_string() };
            }
            "target" | "dst" | "destination" => flag.target = val.to_string(),
            "readonly" | "ro" => flag.readonly = parse_bool(&key, value)?,
            "consistency" => {}
            "bind-propagation" => {
                flag.bind_options = true;
                flag.bind_propagation = val.to_ascii_lowercase();
            }
            "bind-nonrecursive" | "bind-recursive" | "bind-create-src" => flag.bind_options = true,
            "volume-nocopy" => {
                flag.volume_options = true;
                flag.volume_nocopy = parse_bool(&key, value)?;
            }
            "volume-label" | "volume-opt" => {
                flag.volume_options = true;
                let (k, v) = val.split_once('=').unwrap_or((val, ""));
                let map = if key == "volume-label" { &mut flag.volume_labels } else { &mut flag.volume_opts };
                map.insert(k.to_string(), v.to_string());
            }
            "volume-driver" | "volume-subpath" => flag.volume_options = true,
            "tmpfs-size" => {
                flag.tmpfs_options = true;
                flag.tmpfs_size = Some(crate::docker::parse_size(val).ok_or_else(|| format!("invalid value for {key}: {val}"))?);
            }
            "tmpfs-mode" => {
                flag.tmpfs_options = true;
                flag.tmpfs_mode = Some(u32::from_str_radix(val, 8).map_err(|_| format!("invalid value for {key}: {val}"))?);
            }
            _ => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    if flag.kind.is_empty() {
        flag.kind = "volume".into();
    }
    if flag.target.is_empty() {
        return Err("target is required".into());
    }
    for (set, family, wanted) in [(flag.volume_options, "volume", "volume"), (flag.bind_options, "bind", "bind"), (flag.tmpfs_options, "tmpfs", "tmpfs")] {
        if set && flag.kind != wanted {
            return Err(format!("cannot mix '{family}-*' options with mount type '{}'", flag.kind));
        }
    }
    Ok(flag)
}

/// The CLI's own checks of a `-v` spec, and its rewriting of `./dir` sources to absolute paths.
pub fn cli_volume_spec(text: &str, cwd: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("invalid empty volume spec".into());
    }
    if text.split(':').any(str::is_empty) {
        return Err(format!("invalid spec: {text}: empty section between colons"));
    }
    match text.split_once(':') {
        Some((source, rest)) if source.starts_with('.') => Ok(format!("{}:{rest}", crate::fs::normalize(source, cwd))),
        _ => Ok(text.to_string()),
    }
}

/// The daemon's mount modes: `ro`/`rw`, SELinux labels, propagation, `nocopy`, consistency.
fn valid_mode(mode: &str) -> bool {
    if mode.is_empty() {
        return true;
    }
    let mut counts = [0; 5];
    for option in mode.split(',') {
        let slot = match option {
            "ro" | "rw" => 0,
            "z" | "Z" => 1,
            "private" | "rprivate" | "slave" | "rslave" | "shared" | "rshared" => 2,
            "nocopy" => 3,
            "consistent" | "cached" | "delegated" => 4,
            _ => return false,
        };
        counts[slot] += 1;
    }
    counts.iter().all(|c| *c <= 1)
}

/// Target checks shared by `-v` and `--mount`.
fn check_target(target: &str) -> Result<(), String> {
    if crate::fs::normalize(target, "/") == "/" && target.starts_with('/') {
        return Err("invalid specification: destination can't be '/'".into());
    }
    if !target.starts_with('/') {
        return Err(format!("invalid mount path: '{target}' mount path must be absolute"));
    }
    Ok(())
}

fn invalid_name(name: &str) -> String {
    format!(
        "create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
    )
}

/// A `-v` entry as the daemon reads it (`linuxParser.ParseMountRaw`).
fn parse_bind(raw: &str) -> Result<MountPoint, String> {
    let invalid_spec = || format!("invalid volume specification: '{raw}'");
    let parts: Vec<&str> = raw.splitn(4, ':').collect();
    if parts.first().is_none_or(|p| p.is_empty()) {
        return Err(invalid_spec());
    }
    let (source, target, mode) = match parts.as_slice() {
        [target] => ("", *target, ""),
        [_, second] if valid_mode(second) => return Err(invalid_spec()),
        [source, target] => (*source, *target, ""),
        [source, target, mode] => (*source, *target, *mode),
        _ => return Err(invalid_spec()),
    };
    if !valid_mode(mode) {
        return Err(format!("invalid mode: {mode}"));
    }
    let kind = if source.starts_with('/') { MountKind::Bind } else { MountKind::Volume };
    check_target(target).map_err(|e| format!("{}: invalid mount config for type \"{}\": {e}", invalid_spec(), kind.as_str()))?;
    let rw = !mode.split(',').any(|o| o == "ro");
    Ok(MountPoint {
        kind,
        name: if kind == MountKind::Volume { source.to_string() } else { String::new() },
        source: if kind == MountKind::Bind { crate::fs::normalize(source, "/") } else { String::new() },
        destination: crate::fs::normalize(target, "/"),
        mode: mode.to_string(),
        rw,
        copy_data: !mode.split(',').any(|o| o == "nocopy"),
        files: FileTree::new(),
        from_tmpfs_flag: false,
    })
}

/// A `--mount` entry as the daemon validates it (`validateMountConfig`).
fn check_mount(flag: &MountFlag, host: &FileTree) -> Result<MountPoint, String> {
    let wrap = |e: String| format!("invalid mount config for type \"{}\": {e}", flag.kind);
    check_target(&flag.target).map_err(wrap)?;
    let kind = match flag.kind.as_str() {
        "bind" => {
            if flag.source.is_empty() {
                return Err(wrap("field Source must not be empty".into()));
            }
            if !flag.source.starts_with('/') {
                return Err(wrap(format!("invalid mount path: '{}' mount path must be absolute", flag.source)));
            }
            if !host.exists(&crate::fs::normalize(&flag.source, "/")) {
                return Err(wrap(format!("bind mount source path does not exist: {}", flag.source)));
            }
            MountKind::Bind
        }
        "volume" => {
            if flag.readonly && flag.source.is_empty() {
                return Err(wrap("must not set ReadOnly mode when using anonymous volumes".into()));
            }
            MountKind::Volume
        }
        "tmpfs" => {
            if !flag.source.is_empty() {
                return Err(wrap("field Source must not be specified".into()));
            }
            MountKind::Tmpfs
        }
        _ => return Err(wrap("mount type unknown".into())),
    };
    Ok(MountPoint {
        kind,
        name: if kind == MountKind::Volume { flag.source.clone() } else { String::new() },
        source: if kind == MountKind::Bind { crate::fs::normalize(&flag.source, "/") } else { String::new() },
        destination: crate::fs::normalize(&flag.target, "/"),
        mode: String::new(),
        rw: !flag.readonly,
        copy_data: !flag.volume_nocopy,
        files: FileTree::new(),
        from_tmpfs_flag: false,
    })
}

/// Works out container `id`'s mounts as the daemon does at create time: user mounts first,
/// `--volumes-from`, then the image's `VOLUME`s that nothing else covers. Creates the volumes it
/// needs (named ones by name, anonymous ones with a fresh 64-hex name), seeds empty ones from
/// the image, and records the mounts on the container. The error is the daemon's message.
pub(crate) fn resolve(world: &mut World, id: &str) -> Result<(), String> {
    let Some(container) = world.container(id).cloned() else { return Ok(()) };
    let Some(image) = world.image(&container.image_id).cloned() else { return Ok(()) };
    let host = &container.host_config;
    let mut points: Vec<MountPoint> = Vec::new();
    let add = |points: &mut Vec<MountPoint>, point: MountPoint| -> Result<(), String> {
        if points.iter().any(|p| p.destination == point.destination) {
            return Err(format!("Duplicate mount point: {}", point.destination));
        }
        points.push(point);
        Ok(())
    };
    for raw in host.binds.iter().chain(container.config.volumes.iter()) {
        add(&mut points, parse_bind(raw)?)?;
    }
    // `volume-label`/`volume-opt` of `--mount`, for the volumes it creates.
    let mut volume_settings: BTreeMap<String, (Labels, Labels)> = BTreeMap::new();
    for raw in &host.mounts {
        let flag = parse_mount_flag(raw, "/")?;
        let point = check_mount(&flag, world.host_files())?;
        if point.kind == MountKind::Volume && !point.name.is_empty() {
            volume_settings.insert(point.name.clone(), (flag.volume_labels.clone(), flag.volume_opts.clone()));
        }
        add(&mut points, point)?;
    }
    for path in host.tmpfs.keys() {
        check_target(path)?;
        let destination = crate::fs::normalize(path, "/");
        let point = MountPoint {
            kind: MountKind::Tmpfs,
            name: String::new(),
            source: String::new(),
            destination,
            mode: String::new(),
            rw: true,
            copy_data: false,
            files: FileTree::new(),
            from_tmpfs_flag: true,
        };
        add(&mut points, point)?;
    }
    for spec in &host.volumes_from {
        let (name, mode) = spec.split_once(':').unwrap_or((spec, ""));
        if !mode.is_empty() && (!valid_mode(mode) || mode.split(',').any(|o| !matches!(o, "ro" | "rw" | "z" | "Z"))) {
            return Err(format!("invalid mode: {mode}"));
        }
        let Some(source) = world.find_container(name) else {
            return Err(format!("No such container: {name}"));
        };
        for point in source.mounts.iter().filter(|p| p.kind != MountKind::Tmpfs) {
            let mut point = point.clone();
            if !mode.is_empty() {
                point.rw = !mode.split(',').any(|o| o == "ro");
                point.mode = mode.to_string();
            }
            if !points.iter().any(|p| p.destination == point.destination) {
                points.push(point);
            }
        }
    }
    for path in &image.config.volumes {
        let destination = crate::fs::normalize(path, "/");
        if destination == "/" {
            return Err("invalid mount config for type \"volume\": invalid specification: destination can't be '/'".into());
        }
        if !points.iter().any(|p| p.destination == destination) {
            points.push(MountPoint {
                kind: MountKind::Volume,
                name: String::new(),
                source: String::new(),
                destination,
                mode: String::new(),
                rw: true,
                copy_data: true,
                files: FileTree::new(),
                from_tmpfs_flag: false,
            });
        }
    }
    // Create what is missing: named volumes by name, anonymous ones with a fresh ID.
    for point in points.iter_mut().filter(|p| p.kind == MountKind::Volume) {
        if point.name.is_empty() {
            point.name = world.ids.hex_id();
            let volume = Volume::new(&point.name, world.now(), true);
            world.volumes.push(volume);
            world.record_volume_event(&point.name, "create", &[]);
        } else if world.volume(&point.name).is_none() {
            if !Volume::valid_name(&point.name) {
                return Err(invalid_name(&point.name));
            }
            let mut volume = Volume::new(&point.name, world.now(), false);
            if let Some((labels, options)) = volume_settings.get(&point.name) {
                volume.labels = labels.clone();
                volume.options = options.clone();
            }
            world.volumes.push(volume);
            world.record_volume_event(&point.name, "create", &[]);
        }
    }
    // `-v /host/dir:/x` creates a missing host directory (`--mount` refused it above).
    for point in points.iter().filter(|p| p.kind == MountKind::Bind) {
        if !world.host_files().exists(&point.source) {
            world.host_files_mut().mkdir_all(&point.source, Meta::DIR);
        }
    }
    // An empty volume gets the image's files at its mount point, owner and mode included.
    let image_tree = world.image_tree(&image);
    for point in points.iter().filter(|p| p.kind == MountKind::Volume && p.copy_data) {
        let Some((root, files)) = subtree(&image_tree, &point.destination) else { continue };
        if let Some(volume) = world.volume_mut(&point.name) {
            if volume.files.entries().next().is_none() {
                volume.root = root;
                volume.files = files;
            }
        }
    }
    points.sort_by(|a, b| a.destination.cmp(&b.destination));
    if let Some(container) = world.container_mut(id) {
        container.mounts = points;
    }
    Ok(())
}

/// The files and root metadata a mount shows.
fn content(world: &World, point: &MountPoint) -> (Meta, FileTree) {
    match point.kind {
        MountKind::Volume => world.volume(&point.name).map(|v| (v.root, v.files.clone())).unwrap_or((Meta::DIR, FileTree::new())),
        MountKind::Bind => subtree(world.host_files(), &point.source).unwrap_or((Meta::DIR, FileTree::new())),
        MountKind::Tmpfs => (Meta { mode: 0o1777, uid: 0, gid: 0 }, point.files.clone()),
    }
}

/// A bind of a single host file (`-v $(pwd)/nginx.conf:/etc/nginx/nginx.conf`): the file.
fn bound_file<'w>(world: &'w World, point: &MountPoint) -> Option<&'w crate::fs::Node> {
    if point.kind != MountKind::Bind {
        return None;
    }
    world.host_files().get(&point.source).filter(|node| !node.is_dir())
}

/// `plain` (image + writable layer) with the container's mounts laid over it, outermost first.
pub(crate) fn mount_all(world: &World, mounts: &[MountPoint], plain: &FileTree) -> FileTree {
    let mut tree = plain.clone();
    for point in mounts {
        if let Some(node) = bound_file(world, point) {
            tree.remove_all(&point.destination);
            tree.insert(&point.destination, node.clone());
            continue;
        }
        let (root, files) = content(world, point);
        graft(&mut tree, &point.destination, root, &files);
    }
    tree
}

/// Takes the mounts off `tree` after a process ran: each mount's files go back to its volume,
/// host directory or tmpfs (innermost first), and what the mounts hid in `plain` comes back.
/// Returns the tree without mounts, whose changes belong to the writable layer.
pub(crate) fn unmount_all(world: &mut World, id: &str, plain: &FileTree, mut tree: FileTree) -> FileTree {
    let mounts = world.container(id).map(|c| c.mounts.clone()).unwrap_or_default();
    for (index, point) in mounts.iter().enumerate().rev() {
        if bound_file(world, point).is_some() {
            if let Some(node) = tree.get(&point.destination).filter(|n| !n.is_dir()).cloned() {
                if point.rw {
                    world.host_files_mut().insert(&point.source, node);
                }
            }
            tree.remove_all(&point.destination);
            continue;
        }
        let Some((root, files)) = subtree(&tree, &point.destination) else { continue };
        if point.rw {
            match point.kind {
                MountKind::Volume => {
                    if let Some(volume) = world.volume_mut(&point.name) {
                        volume.root = root;
                        volume.files = files;
                    }
                }
                MountKind::Bind => graft(world.host_files_mut(), &point.source, root, &files),
                MountKind::Tmpfs => {
                    if let Some(m) = world.container_mut(id).and_then(|c| c.mounts.get_mut(index)) {
                        m.files = files;
                    }
                }
            }
        }
        // The mount point stays in the outer mount as an empty directory.
        graft(&mut tree, &point.destination, root, &FileTree::new());
    }
    for point in &mounts {
        if let Some(node) = plain.get(&point.destination).filter(|n| !n.is_dir()) {
            tree.insert(&point.destination, node.clone());
            continue;
        }
        match subtree(plain, &point.destination) {
            Some((root, files)) => graft(&mut tree, &point.destination, root, &files),
            None => {
                tree.remove_all(&point.destination);
                // Directories made only to hold the mount point go too.
                let mut dir = crate::fs::parent(&point.destination).to_string();
                while dir != "/" && !plain.exists(&dir) && tree.is_dir(&dir) && tree.children(&dir).next().is_none() {
                    tree.remove_all(&dir);
                    dir = crate::fs::parent(&dir).to_string();
                }
            }
        }
    }
    tree
}

/// What processes see of the mounts: mount point, writable, and whether it is a tmpfs that
/// `--tmpfs` did not already list.
pub(crate) fn mount_modes(mounts: &[MountPoint]) -> Vec<(String, bool, bool)> {
    mounts.iter().map(|m| (m.destination.clone(), m.rw, m.kind == MountKind::Tmpfs && !m.from_tmpfs_flag)).collect()
}

/// Whether `path` lies on a mount (and so not in the writable layer).
#[allow(dead_code)]
pub(crate) fn on_mount(mounts: &[MountPoint], path: &str) -> bool {
    mounts.iter().any(|m| is_within(path, &m.destination))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_flags_are_read_like_the_cli() {
        let flag = parse_mount_flag("type=bind,src=./site,dst=/usr/share/nginx/html,readonly", "/home/learner").unwrap();
        assert_eq!((flag.kind.as_str(), flag.source.as_str(), flag.readonly), ("bind", "/home/learner/site", true));
        assert_eq!(parse_mount_flag("target=/x", "/").unwrap().kind, "volume");
        assert_eq!(parse_mount_flag("type=volume", "/").unwrap_err(), "target is required");
        assert_eq!(parse_mount_flag("garbage", "/").unwrap_err(), "invalid field 'garbage' must be a key=value pair");
        assert_eq!(parse_mount_flag("type=volume,target=/x,foo=bar", "/").unwrap_err(), "unexpected key 'foo' in 'foo=bar'");
        assert_eq!(parse_mount_flag("type=volume,target=/x,readonly=maybe", "/").unwrap_err(), "invalid value for readonly: maybe");
        assert_eq!(
            parse_mount_flag("type=bind,src=/a,dst=/b,volume-opt=x=y", "/").unwrap_err(),
            "cannot mix 'volume-*' options with mount type 'bind'"
        );
    }

    #[test]
    fn volume_specs_are_read_like_the_daemon() {
        let named = parse_bind("data:/var/lib/data:ro").unwrap();
        assert_eq!((named.kind, named.name.as_str(), named.rw), (MountKind::Volume, "data", false));
        let bind = parse_bind("/srv/site:/usr/share/nginx/html").unwrap();
        assert_eq!((bind.kind, bind.source.as_str(), bind.rw), (MountKind::Bind, "/srv/site", true));
        assert_eq!(parse_bind("/a:/b:zz").unwrap_err(), "invalid mode: zz");
        assert_eq!(parse_bind("/data:rw").unwrap_err(), "invalid volume specification: '/data:rw'");
        assert_eq!(
            parse_bind("data:rel").unwrap_err(),
            "invalid volume specification: 'data:rel': invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute"
        );
        assert_eq!(cli_volume_spec(":/x", "/").unwrap_err(), "invalid spec: :/x: empty section between colons");
        assert_eq!(cli_volume_spec("./src:/app", "/home/learner").unwrap(), "/home/learner/src:/app");
    }
}
