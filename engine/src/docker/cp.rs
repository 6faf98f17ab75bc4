//! `docker cp`: files and directories between the learner's host files and a container (running
//! or not), with the CLI's `archive.CopyTo` rules for where things land and its report of how
//! many bytes the tar stream carried.

use super::flags::{Args, CommandSpec, Parsed};
use crate::fs::{file_name, normalize, parent, FileTree, LayerDiff, Meta, Node};
use crate::outcome::Outcome;
use crate::table::human_size;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker cp", help: include_str!("help/cp.txt"), args: Args::Exactly(2), interspersed: true };

/// The learner's own user on the host: what the CLI's extraction leaves files owned by.
const HOST_USER: (u32, u32) = (1000, 1000);

pub fn run(world: &mut World, invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let (source, destination) = (&parsed.args[0], &parsed.args[1]);
    if source.is_empty() {
        outcome.err("source can not be empty");
        return outcome.fail(1);
    }
    if destination.is_empty() {
        outcome.err("destination can not be empty");
        return outcome.fail(1);
    }
    let options = Options { follow_link: parsed.bool("follow-link"), archive: parsed.bool("archive"), quiet: parsed.bool("quiet") };
    let result = match (split_cp_arg(source), split_cp_arg(destination)) {
        ((Some(container), path), (None, local)) => from_container(world, &invocation.cwd, container, path, local, &options),
        ((None, local), (Some(container), path)) => to_container(world, &invocation.cwd, local, container, path, &options),
        ((Some(_), _), (Some(_), _)) => Err("copying between containers is not supported".to_string()),
        ((None, _), (None, _)) => Err("must specify at least one container source".to_string()),
    };
    match result {
        Ok(Some(report)) => {
            outcome.err(report);
            outcome
        }
        Ok(None) => outcome,
        Err(message) => {
            outcome.err(message);
            outcome.fail(1)
        }
    }
}

struct Options {
    follow_link: bool,
    archive: bool,
    quiet: bool,
}

/// `CONTAINER:PATH` or a local path (`/abs`, `./name:with:colons`, `name`), as `splitCpArg`
/// tells them apart.
fn split_cp_arg(arg: &str) -> (Option<&str>, &str) {
    if arg.starts_with('/') {
        return (None, arg);
    }
    match arg.split_once(':') {
        Some((container, path)) if !container.starts_with('.') => {
            if container.is_empty() { (None, path) } else { (Some(container), path) }
        }
        _ => (None, arg),
    }
}

/// `archive.PreserveTrailingDotOrSeparator`: the absolute path keeps a trailing `/.` or `/`.
fn preserve_trailing(absolute: &str, original: &str) -> String {
    let mut path = absolute.to_string();
    let ends_with_dot = original == "." || original.ends_with("/.");
    if ends_with_dot && !(absolute == "/" && original == "/.") {
        if !path.ends_with('/') {
            path.push('/');
        }
        path.push('.');
    }
    if original.ends_with('/') && !path.ends_with('/') {
        path.push('/');
    }
    path
}

/// What one copy carries: entries relative to the copied root (`""` is the root itself).
struct Payload {
    entries: Vec<(String, Node)>,
    is_dir: bool,
    /// `dir/.`: the directory's contents, not the directory.
    contents_only: bool,
    base_name: String,
}

fn collect(tree: &FileTree, path: &str, contents_only: bool) -> Option<Payload> {
    let node = if path == "/" { Node::Dir { meta: Meta::DIR } } else { tree.get(path)?.clone() };
    let is_dir = node.is_dir();
    let mut entries = Vec::new();
    if !(is_dir && contents_only) {
        entries.push((String::new(), node));
    }
    if is_dir {
        let prefix_len = if path == "/" { 0 } else { path.len() };
        for (child, child_node) in tree.descendants(path) {
            entries.push((child[prefix_len..].to_string(), child_node.clone()));
        }
    }
    let base_name = if path == "/" { "/".to_string() } else { file_name(path).to_string() };
    Some(Payload { entries, is_dir, contents_only: is_dir && contents_only, base_name })
}

/// Bytes of the tar stream Go's `archive/tar` writes for the payload: a 512-byte header per
/// entry (plus a PAX header for names over 100 bytes), contents padded to 512, two zero blocks.
fn tar_size(payload: &Payload) -> u64 {
    let root = if payload.contents_only { ".".to_string() } else { payload.base_name.clone() };
    let mut total = 1024;
    for (relative, node) in &payload.entries {
        let name_len = root.len() + relative.len() + usize::from(node.is_dir());
        total += 512;
        if name_len > 100 {
            total += 1024;
        }
        if let Node::File { size, .. } = node {
            total += size.div_ceil(512) * 512;
        }
    }
    total
}

/// Puts the payload at `target` (the root entry there, the rest under it).
fn place(tree: &mut FileTree, target: &str, payload: &Payload, owner: Option<(u32, u32)>) {
    for (relative, node) in &payload.entries {
        let path = if relative.is_empty() { target.to_string() } else if target == "/" { relative.clone() } else { format!("{target}{relative}") };
        let mut node = node.clone();
        if let Some((uid, gid)) = owner {
            let meta = node.meta_mut();
            meta.uid = uid;
            meta.gid = gid;
        }
        if node.is_dir() && tree.is_dir(&path) {
            if let Some(existing) = tree.get_mut(&path) {
                *existing.meta_mut() = node.meta();
            }
            continue;
        }
        tree.insert(&path, node);
    }
}

/// Where the payload lands when copied to `destination` (as typed, made absolute) in `tree`:
/// `Ok(target)` or the CLI's error.
fn landing(tree: &FileTree, destination: &str, typed: &str, payload: &Payload) -> Result<String, String> {
    let exists = tree.exists(destination);
    if exists && tree.is_dir(destination) {
        if payload.contents_only {
            return Ok(destination.to_string());
        }
        let base = if destination == "/" { format!("/{}", payload.base_name) } else { format!("{destination}/{}", payload.base_name) };
        return Ok(base);
    }
    if exists {
        if payload.is_dir {
            return Err("cannot copy directory".into());
        }
        return Ok(destination.to_string());
    }
    if !payload.is_dir && (typed.ends_with('/') || typed.ends_with("/.")) {
        return Err("no such directory".into());
    }
    Ok(destination.to_string())
}

fn from_container(world: &mut World, cwd: &str, name: &str, source: &str, local: &str, options: &Options) -> Result<Option<String>, String> {
    let Some(container) = world.find_container(name).cloned() else {
        return Err(format!("Error response from daemon: No such container: {name}"));
    };
    let absolute = normalize(&local.replacen('~', crate::shell::HOME, 1), cwd);
    let shown = preserve_trailing(&absolute, local);
    // `command.ValidateOutputPath`: the directory the output goes into must exist.
    let out_dir = if local.ends_with('/') || local.ends_with("/.") || local == "." { absolute.clone() } else { parent(&absolute).to_string() };
    if !world.host_files().exists(out_dir.as_str()) || !world.host_files().is_dir(out_dir.as_str()) {
        let dir = if local.contains('/') { parent(&absolute).to_string() } else { out_dir.clone() };
        return Err(format!("invalid output path: directory \"{dir}\" does not exist"));
    }
    let Some(tree) = crate::runtime::launch::visible_tree(world, &container) else {
        return Err(format!("Error response from daemon: No such image: {}", container.image));
    };
    let mut path = normalize(source, "/");
    if options.follow_link {
        if let Some(Node::Symlink { target, .. }) = tree.get(&path) {
            path = normalize(target, parent(&path));
        }
    }
    let contents_only = source.ends_with("/.") || source == ".";
    let Some(payload) = collect(&tree, &path, contents_only) else {
        return Err(format!("Error response from daemon: Could not find the file {source} in container {name}"));
    };
    if source.ends_with('/') && !payload.is_dir {
        return Err(format!("Error response from daemon: lstat {path}/: not a directory"));
    }
    let target = landing(world.host_files(), &absolute, local, &payload)?;
    if !payload.is_dir || !payload.contents_only {
        let dir = parent(&target);
        if !world.host_files().is_dir(dir) {
            return Err(format!("stat {dir}: no such file or directory"));
        }
    }
    let size = tar_size(&payload);
    place(world.host_files_mut(), &target, &payload, Some(HOST_USER));
    world.record_event(&container.id, "archive-path", &[]);
    Ok((!options.quiet).then(|| format!("Successfully copied {} to {shown}", human_size(size))))
}

fn to_container(world: &mut World, cwd: &str, local: &str, name: &str, destination: &str, options: &Options) -> Result<Option<String>, String> {
    let absolute = normalize(&local.replacen('~', crate::shell::HOME, 1), cwd);
    let contents_only = local.ends_with("/.") || local == ".";
    let Some(payload) = collect(world.host_files(), &absolute, contents_only) else {
        return Err(format!("lstat {absolute}: no such file or directory"));
    };
    let Some(container) = world.find_container(name).cloned() else {
        return Err(format!("Error response from daemon: No such container: {name}"));
    };
    let Some((base, plain)) = crate::runtime::launch::current_tree(world, &container) else {
        return Err(format!("Error response from daemon: No such image: {}", container.image));
    };
    // Files copied under a volume or bind mount land there, not in the writable layer.
    let mut tree = crate::runtime::mounts::mount_all(world, &container.mounts, &plain);
    let in_container = normalize(destination, "/");
    let target = landing(&tree, &in_container, destination, &payload)?;
    let dir = parent(&target);
    if target != "/" && !tree.is_dir(dir) {
        return Err(format!("Error response from daemon: Could not find the file {dir} in container {name}"));
    }
    if container.host_config.readonly_rootfs {
        return Err("Error response from daemon: container rootfs is marked read-only".into());
    }
    let size = tar_size(&payload);
    // Without `-a` the files belong to root in the container; with it they keep their IDs.
    let owner = if options.archive { None } else { Some((0, 0)) };
    place(&mut tree, &target, &payload, owner);
    let tree = crate::runtime::mounts::unmount_all(world, &container.id, &plain, tree);
    let upper = LayerDiff::between(&base, &tree);
    if let Some(stored) = world.container_mut(&container.id) {
        stored.upper = upper;
    }
    world.record_event(&container.id, "extract-to-dir", &[]);
    Ok((!options.quiet).then(|| format!("Successfully copied {} to {name}:{destination}", human_size(size))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_split_like_the_cli() {
        assert_eq!(split_cp_arg("web:/app"), (Some("web"), "/app"));
        assert_eq!(split_cp_arg("/abs:x"), (None, "/abs:x"));
        assert_eq!(split_cp_arg("./a:b"), (None, "./a:b"));
        assert_eq!(split_cp_arg("file.txt"), (None, "file.txt"));
        assert_eq!(preserve_trailing("/home/learner", "."), "/home/learner/.");
        assert_eq!(preserve_trailing("/home/learner/out", "out/"), "/home/learner/out/");
    }

    #[test]
    fn a_small_file_is_a_two_kilobyte_tar() {
        let mut tree = FileTree::new();
        tree.insert("/app/hello.txt", Node::text("hello\n"));
        let payload = collect(&tree, "/app/hello.txt", false).unwrap();
        assert_eq!(human_size(tar_size(&payload)), "2.05kB");
        let dir = collect(&tree, "/app", false).unwrap();
        assert_eq!(tar_size(&dir), 2560);
    }
}
