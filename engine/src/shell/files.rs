//! File builtins of the host shell (`pwd`, `cd`, `ls`, `cat`, `mkdir`, `rm`, `touch`) over the
//! learner's files on the simulated host — the build contexts `docker build` reads.

use crate::fs::{normalize, FileTree, Meta, Node};
use crate::outcome::Outcome;

/// Owner of the learner's files, as `ls -l` shows them.
pub const LEARNER: Meta = Meta { mode: 0o644, uid: 1000, gid: 1000 };
const LEARNER_DIR: Meta = Meta { mode: 0o755, uid: 1000, gid: 1000 };
pub const HOME: &str = "/home/learner";

/// `cd`: returns the new directory, or the error.
pub fn cd(tree: &FileTree, cwd: &str, args: &[String]) -> Result<String, String> {
    let target = match args {
        [] => HOME.to_string(),
        [dir] => normalize(&dir.replacen('~', HOME, 1), cwd),
        _ => return Err("bash: cd: too many arguments".into()),
    };
    if tree.is_dir(&target) {
        Ok(target)
    } else if tree.exists(&target) {
        Err(format!("bash: cd: {}: Not a directory", args[0]))
    } else {
        Err(format!("bash: cd: {}: No such file or directory", args[0]))
    }
}

pub fn ls(tree: &FileTree, cwd: &str, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let long = args.iter().any(|a| a.starts_with('-') && a.contains('l'));
    let all = args.iter().any(|a| a.starts_with('-') && a.contains('a'));
    let one_per_line = args.iter().any(|a| a.starts_with('-') && a.contains('1'));
    let targets: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let targets: Vec<String> = if targets.is_empty() { vec![".".into()] } else { targets.into_iter().cloned().collect() };
    for (index, target) in targets.iter().enumerate() {
        let path = normalize(&target.replacen('~', HOME, 1), cwd);
        if !tree.exists(&path) {
            outcome.err(format!("ls: cannot access '{target}': No such file or directory"));
            outcome.exit_code = 2;
            continue;
        }
        let entries: Vec<(String, Node)> = if tree.is_dir(&path) {
            tree.children(&path)
                .filter(|(name, _)| all || !name.starts_with('.'))
                .map(|(name, node)| (name.to_string(), node.clone()))
                .collect()
        } else {
            tree.get(&path).map(|node| vec![(target.clone(), node.clone())]).unwrap_or_default()
        };
        if targets.len() > 1 && tree.is_dir(&path) {
            if index > 0 {
                outcome.out("");
            }
            outcome.out(format!("{target}:"));
        }
        if long {
            outcome.out(format!("total {}", entries.iter().map(|(_, n)| n.size().div_ceil(4096) * 4).sum::<u64>()));
            for (name, node) in &entries {
                outcome.out(long_line(name, node));
            }
        } else if one_per_line {
            for (name, _) in &entries {
                outcome.out(name.clone());
            }
        } else if !entries.is_empty() {
            outcome.out(entries.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join("  "));
        }
    }
    outcome
}

fn long_line(name: &str, node: &Node) -> String {
    let meta = node.meta();
    let kind = match node {
        Node::Dir { .. } => 'd',
        Node::File { .. } => '-',
        Node::Symlink { .. } => 'l',
    };
    let mut bits = String::new();
    for shift in [6, 3, 0] {
        let part = (meta.mode >> shift) & 0o7;
        bits.push(if part & 4 != 0 { 'r' } else { '-' });
        bits.push(if part & 2 != 0 { 'w' } else { '-' });
        bits.push(if part & 1 != 0 { 'x' } else { '-' });
    }
    let owner = |id: u32| if id == 1000 { "learner".to_string() } else if id == 0 { "root".to_string() } else { id.to_string() };
    let size = if node.is_dir() { 4096 } else { node.size() };
    let suffix = match node {
        Node::Symlink { target, .. } => format!(" -> {target}"),
        _ => String::new(),
    };
    format!("{kind}{bits} 1 {} {} {size:>5} Mar  2 09:00 {name}{suffix}", owner(meta.uid), owner(meta.gid))
}

/// `cat FILE…`, or the here-document / nothing when no file is named.
pub fn cat(tree: &FileTree, cwd: &str, args: &[String], stdin: Option<&str>) -> Outcome {
    let mut outcome = Outcome::default();
    let files: Vec<&String> = args.iter().filter(|a| *a != "-").collect();
    if files.is_empty() {
        if let Some(text) = stdin {
            outcome.out_text(text);
        }
        return outcome;
    }
    for file in files {
        let path = normalize(&file.replacen('~', HOME, 1), cwd);
        match tree.read_text(&path) {
            Ok(text) => outcome.out_text(text),
            Err(error) => {
                let reason = error.to_string();
                let reason = reason.rsplit(": ").next().unwrap_or_default().to_string();
                outcome.err(format!("cat: {file}: {reason}"));
                outcome.exit_code = 1;
            }
        }
    }
    outcome
}

pub fn mkdir(tree: &mut FileTree, cwd: &str, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let parents = args.iter().any(|a| a == "-p");
    for dir in args.iter().filter(|a| !a.starts_with('-')) {
        let path = normalize(&dir.replacen('~', HOME, 1), cwd);
        if tree.exists(&path) {
            if !parents || !tree.is_dir(&path) {
                outcome.err(format!("mkdir: cannot create directory '{dir}': File exists"));
                outcome.exit_code = 1;
            }
            continue;
        }
        if !parents && !tree.is_dir(crate::fs::parent(&path)) {
            outcome.err(format!("mkdir: cannot create directory '{dir}': No such file or directory"));
            outcome.exit_code = 1;
            continue;
        }
        tree.mkdir_all(&path, LEARNER_DIR);
    }
    outcome
}

pub fn rm(tree: &mut FileTree, cwd: &str, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let flags: String = args.iter().filter(|a| a.starts_with('-')).flat_map(|a| a.chars()).collect();
    let (recursive, force) = (flags.contains('r') || flags.contains('R'), flags.contains('f'));
    for target in args.iter().filter(|a| !a.starts_with('-')) {
        let path = normalize(&target.replacen('~', HOME, 1), cwd);
        if !tree.exists(&path) {
            if !force {
                outcome.err(format!("rm: cannot remove '{target}': No such file or directory"));
                outcome.exit_code = 1;
            }
            continue;
        }
        if tree.is_dir(&path) && !recursive {
            outcome.err(format!("rm: cannot remove '{target}': Is a directory"));
            outcome.exit_code = 1;
            continue;
        }
        if path == "/" || path == HOME {
            outcome.err(format!("rm: refusing to remove '{target}' in Whalebox"));
            outcome.exit_code = 1;
            continue;
        }
        tree.remove_all(&path);
    }
    outcome
}

pub fn touch(tree: &mut FileTree, cwd: &str, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        let path = normalize(&file.replacen('~', HOME, 1), cwd);
        if tree.exists(&path) {
            continue;
        }
        if !tree.is_dir(crate::fs::parent(&path)) {
            outcome.err(format!("touch: cannot touch '{file}': No such file or directory"));
            outcome.exit_code = 1;
            continue;
        }
        tree.insert(&path, learner_file(""));
    }
    outcome
}

/// `edit FILE`: checks the file can be opened and asks the terminal for its editor.
pub fn edit(tree: &FileTree, cwd: &str, program: &str, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let [file] = files.as_slice() else {
        outcome.err(format!("{program}: give one file to edit, e.g. `{program} Dockerfile`"));
        return outcome.fail(2);
    };
    let path = normalize(&file.replacen('~', HOME, 1), cwd);
    if tree.is_dir(&path) {
        outcome.err(format!("{program}: {file}: Is a directory"));
        return outcome.fail(1);
    }
    if !tree.is_dir(crate::fs::parent(&path)) {
        outcome.err(format!("{program}: {file}: No such file or directory"));
        return outcome.fail(1);
    }
    outcome.event(crate::outcome::Event::EditFile { path });
    outcome
}

/// Writes (or appends) `text` to `target` for a `>`/`>>` redirection.
pub fn write(tree: &mut FileTree, cwd: &str, target: &str, text: &str, append: bool) -> Result<(), String> {
    if target == "/dev/null" {
        return Ok(());
    }
    let path = normalize(&target.replacen('~', HOME, 1), cwd);
    if tree.is_dir(&path) {
        return Err(format!("bash: {target}: Is a directory"));
    }
    if !tree.is_dir(crate::fs::parent(&path)) {
        return Err(format!("bash: {target}: No such file or directory"));
    }
    let mut content = if append { tree.read_text(&path).unwrap_or_default().to_string() } else { String::new() };
    content.push_str(text);
    tree.insert(&path, learner_file(&content));
    Ok(())
}

/// `mkdir -p` for the learner's directory `path` (absolute, or relative to `cwd`).
pub fn make_dirs(tree: &mut FileTree, cwd: &str, path: &str) {
    let path = normalize(&path.replacen('~', HOME, 1), cwd);
    tree.mkdir_all(&path, LEARNER_DIR);
}

pub fn learner_file(text: &str) -> Node {
    Node::File { meta: LEARNER, size: text.len() as u64, content: crate::fs::Content::Text(text.to_string()) }
}

/// The short form of `path` the prompt shows (`~/app`).
pub fn prompt_path(cwd: &str) -> String {
    match cwd.strip_prefix(HOME) {
        Some("") => "~".into(),
        Some(rest) if rest.starts_with('/') => format!("~{rest}"),
        _ => cwd.to_string(),
    }
}

/// The learner's home directory on a fresh machine.
pub fn initial_home() -> FileTree {
    let mut tree = FileTree::new();
    tree.mkdir_all(HOME, LEARNER_DIR);
    tree
}
