//! `tar` (GNU on Debian-family images, busybox on Alpine/busybox): create (`c`), extract (`x`)
//! and list (`t`) archives, with `v`, `f`, `z`, `-C DIR` and `--strip-components`. The backups
//! the guides take through volumes (`tar czf /backup/backup.tar.gz /data`) and restore.
//!
//! An archive is a stand-in file whose label carries its members as JSON, so what went in
//! comes back out byte for byte; its size is what a real tar of those members would take.

use super::{Io, Sys};
use crate::fs::{normalize, parent, Content, Meta, Node};

/// Labels start with this (then `gzip ` for `z`), then a newline and the members.
pub(crate) const LABEL: &str = "tar archive";

#[derive(Debug, Default)]
struct Options {
    mode: Option<char>,
    file: Option<String>,
    verbose: bool,
    gzip: bool,
    directory: Option<String>,
    strip: usize,
    operands: Vec<String>,
}

/// Reads tar's three argument styles: bundled first word (`cvf x.tar`), dashed (`-czvf x.tar`),
/// and long options.
fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut words = args.iter().peekable();
    let mut first = true;
    while let Some(word) = words.next() {
        let bundle = if let Some(long) = word.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let mut value = || value.clone().or_else(|| words.next().cloned()).unwrap_or_default();
            match name {
                "create" => options.mode = Some('c'),
                "extract" | "get" => options.mode = Some('x'),
                "list" => options.mode = Some('t'),
                "verbose" => options.verbose = true,
                "gzip" | "gunzip" => options.gzip = true,
                "file" => options.file = Some(value()),
                "directory" => options.directory = Some(value()),
                "strip-components" | "strip" => options.strip = value().parse().map_err(|_| "invalid number".to_string())?,
                _ => {}
            }
            first = false;
            continue;
        } else if let Some(short) = word.strip_prefix('-') {
            short.to_string()
        } else if first {
            word.clone()
        } else {
            options.operands.push(word.clone());
            continue;
        };
        first = false;
        let chars: Vec<char> = bundle.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            match c {
                'c' | 'x' | 't' => options.mode = Some(*c),
                'v' => options.verbose = true,
                'z' => options.gzip = true,
                'p' | 'o' | 'm' | 'h' | 'k' => {}
                'f' | 'C' => {
                    // The value is the rest of this word, or the next word.
                    let rest: String = chars[i + 1..].iter().collect();
                    let value = if !rest.is_empty() && word.starts_with('-') { Some(rest) } else { words.next().cloned() };
                    let Some(value) = value else { return Err(format!("option requires an argument -- '{c}'")) };
                    if *c == 'f' {
                        options.file = Some(value);
                    } else {
                        options.directory = Some(value);
                    }
                    if word.starts_with('-') {
                        break;
                    }
                }
                other => return Err(format!("invalid option -- '{other}'")),
            }
        }
    }
    Ok(options)
}

pub(crate) fn main(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let gnu = !sys.os.busybox_userland();
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => {
            io.err_line(&format!("tar: {message}"));
            return 2;
        }
    };
    sys.elapsed += 30;
    let cwd = match &options.directory {
        Some(dir) => {
            let path = sys.abs(dir);
            if !sys.fs.is_dir(&sys.real_path(&path)) {
                io.err_line(&if gnu { format!("tar: {dir}: Cannot open: No such file or directory") } else { format!("tar: can't change directory to '{dir}': No such file or directory") });
                return 2;
            }
            path
        }
        None => sys.cwd.clone(),
    };
    match options.mode {
        Some('c') => create(sys, io, &options, &cwd, gnu),
        Some('x') | Some('t') => read(sys, io, &options, &cwd, gnu),
        _ => {
            if gnu {
                io.err_line("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
                io.err_line("Try 'tar --help' or 'tar --usage' for more information.");
            } else {
                io.err_line("BusyBox v1.36.1 (2023-11-07 18:53:09 UTC) multi-call binary.");
                io.err_line("");
                io.err_line("Usage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [FILE]...");
            }
            if gnu { 2 } else { 1 }
        }
    }
}

/// Bytes a tar of `members` takes: a 512-byte header each, content in 512-byte blocks, two
/// zero blocks at the end; GNU tar pads to its 10 KiB record, busybox does not.
pub(crate) fn archive_size(members: &[(String, Node)], gnu: bool, gzip: bool) -> u64 {
    let content: u64 = members.iter().map(|(_, node)| node.size()).sum();
    let raw: u64 = members.iter().map(|(_, node)| 512 + node.size().div_ceil(512) * 512).sum::<u64>() + 1024;
    let raw = if gnu { raw.div_ceil(10_240) * 10_240 } else { raw };
    if gzip {
        // Headers and padding compress to almost nothing; content to about half.
        40 + members.len() as u64 * 30 + content / 2
    } else {
        raw
    }
}

fn create(sys: &mut Sys, io: &mut Io, options: &Options, cwd: &str, gnu: bool) -> i32 {
    let Some(file) = options.file.clone() else {
        io.err_line(if gnu { "tar: Refusing to write archive contents to terminal (missing -f option?)" } else { "tar: can't write to stdout: the simulated terminal takes no archives" });
        return 2;
    };
    if options.operands.is_empty() {
        io.err_line(if gnu { "tar: Cowardly refusing to create an empty archive" } else { "tar: empty archive" });
        return 2;
    }
    let mut members: Vec<(String, Node)> = Vec::new();
    let mut status = 0;
    let mut warned = false;
    for operand in &options.operands {
        let path = normalize(operand, cwd);
        let Some(node) = sys.fs.get(&sys.real_path(&path)).cloned().or_else(|| (path == "/").then_some(Node::Dir { meta: Meta::DIR })) else {
            io.err_line(&if gnu { format!("tar: {operand}: Cannot stat: No such file or directory") } else { format!("tar: {operand}: No such file or directory") });
            status = if gnu { 2 } else { 1 };
            continue;
        };
        let stripped = operand.trim_start_matches('/');
        if stripped.len() != operand.len() && !warned {
            io.err_line(if gnu { "tar: Removing leading `/' from member names" } else { "tar: removing leading '/' from member names" });
            warned = true;
            // The warning comes out before the listing that follows it.
            sys.elapsed += 1;
            io.stamp(sys.elapsed);
        }
        let name = if stripped.is_empty() { ".".to_string() } else { stripped.trim_end_matches('/').to_string() };
        let shown_root = if gnu { operand.trim_end_matches('/').to_string() } else { name.clone() };
        let is_dir = node.is_dir();
        if options.verbose {
            io.out_line(&if is_dir { format!("{shown_root}/") } else { shown_root.clone() });
        }
        members.push((name.clone(), node));
        if is_dir {
            let real = sys.real_path(&path);
            let under: Vec<(String, Node)> = sys.fs.descendants(&real).map(|(p, n)| (p.clone(), n.clone())).collect();
            for (full, node) in under {
                let rest = if real == "/" { &full[1..] } else { &full[real.len() + 1..] };
                let member = if name == "." { format!("./{rest}") } else { format!("{name}/{rest}") };
                if options.verbose {
                    let shown = if gnu { format!("{shown_root}/{rest}") } else { member.clone() };
                    io.out_line(&if node.is_dir() { format!("{shown}/") } else { shown });
                }
                members.push((member, node));
            }
        }
    }
    let dest = normalize(&file, &sys.cwd);
    let denied = if super::inside::read_only_denies(sys, &dest) {
        Some("Read-only file system")
    } else if !sys.fs.is_dir(&sys.real_path(parent(&dest))) {
        Some("No such file or directory")
    } else if !sys.can_write_file(&dest) {
        Some("Permission denied")
    } else {
        None
    };
    if let Some(why) = denied {
        io.err_line(&if gnu { format!("tar: {file}: Cannot open: {why}") } else { format!("tar: can't open '{file}': {why}") });
        if gnu {
            io.err_line("tar: Error is not recoverable: exiting now");
        }
        return 2;
    }
    let size = archive_size(&members, gnu, options.gzip);
    let label = format!("{}{LABEL}\n{}", if options.gzip { "gzip " } else { "" }, serde_json::to_string(&members).unwrap_or_default());
    let meta = sys.new_file_meta();
    sys.fs.insert(&dest, Node::File { meta, size, content: Content::Blob { label } });
    sys.elapsed += members.len() as u64;
    if status != 0 {
        io.err_line(if gnu { "tar: Exiting with failure status due to previous errors" } else { "tar: error exit delayed from previous errors" });
    }
    status
}

/// The members of the archive at `path`, or why it cannot be read.
fn members_of(sys: &Sys, path: &str) -> Result<Vec<(String, Node)>, &'static str> {
    match sys.fs.get(&sys.real_path(path)) {
        None => Err("No such file or directory"),
        Some(Node::Dir { .. }) => Err("Is a directory"),
        Some(Node::File { content: Content::Blob { label }, .. }) => {
            let body = label.strip_prefix("gzip ").unwrap_or(label);
            let json = body.strip_prefix(LABEL).and_then(|rest| rest.strip_prefix('\n')).ok_or("not a tar archive")?;
            serde_json::from_str(json).map_err(|_| "not a tar archive")
        }
        Some(_) => Err("not a tar archive"),
    }
}

fn long_line(name: &str, node: &Node, gnu: bool, when: &str) -> String {
    let meta = node.meta();
    let kind = match node {
        Node::Dir { .. } => 'd',
        Node::Symlink { .. } => 'l',
        Node::File { .. } => '-',
    };
    let bits = |shift: u32| {
        let m = meta.mode >> shift;
        format!("{}{}{}", if m & 4 != 0 { 'r' } else { '-' }, if m & 2 != 0 { 'w' } else { '-' }, if m & 1 != 0 { 'x' } else { '-' })
    };
    let owner = |id: u32| if id == 0 { "root".to_string() } else { id.to_string() };
    let perms = format!("{kind}{}{}{}", bits(6), bits(3), bits(0));
    let shown = if node.is_dir() { format!("{name}/") } else { name.to_string() };
    if gnu {
        format!("{perms} {}/{} {:>9} {when} {shown}", owner(meta.uid), owner(meta.gid), node.size())
    } else {
        format!("{perms} {}/{} {:>9} {when}:00 {shown}", owner(meta.uid), owner(meta.gid), node.size())
    }
}

fn read(sys: &mut Sys, io: &mut Io, options: &Options, cwd: &str, gnu: bool) -> i32 {
    let Some(file) = options.file.clone() else {
        io.err_line(if gnu { "tar: Refusing to read archive contents from terminal (missing -f option?)" } else { "tar: can't read from stdin: the simulated terminal takes no archives" });
        return 2;
    };
    let members = match members_of(sys, &normalize(&file, &sys.cwd)) {
        Ok(members) => members,
        Err("not a tar archive") => {
            if gnu {
                io.err_line("tar: This does not look like a tar archive");
                io.err_line("tar: Exiting with failure status due to previous errors");
                return 2;
            }
            io.err_line("tar: invalid tar magic");
            return 1;
        }
        Err(why) => {
            if gnu {
                io.err_line(&format!("tar: {file}: Cannot open: {why}"));
                io.err_line("tar: Error is not recoverable: exiting now");
                return 2;
            }
            io.err_line(&format!("tar: can't open '{file}': {why}"));
            return 1;
        }
    };
    let when = crate::clock::SimTime(sys.container.as_ref().map_or(0, |c| c.now)).rfc3339();
    let when = format!("{} {}", &when[..10], &when[11..16]);
    let mut status = 0;
    for (name, node) in members {
        let stripped: Vec<&str> = name.split('/').filter(|p| !p.is_empty() && *p != ".").skip(options.strip).collect();
        if options.mode == Some('t') {
            io.out_line(&if options.verbose { long_line(&name, &node, gnu, &when) } else if node.is_dir() { format!("{name}/") } else { name.clone() });
            continue;
        }
        if stripped.is_empty() {
            continue;
        }
        if options.verbose {
            io.out_line(&if node.is_dir() { format!("{name}/") } else { name.clone() });
        }
        let dest = normalize(&stripped.join("/"), cwd);
        let why = if super::inside::read_only_denies(sys, &dest) {
            Some("Read-only file system")
        } else if sys.fs.is_dir(&dest) && node.is_dir() {
            None
        } else if !sys.can_write_file(&dest) {
            Some("Permission denied")
        } else {
            None
        };
        if let Some(why) = why {
            io.err_line(&if gnu { format!("tar: {name}: Cannot open: {why}") } else { format!("tar: can't create '{name}': {why}") });
            status = 2;
            continue;
        }
        // Root keeps the archived owners; anyone else owns what they extract.
        let mut node = node;
        if sys.uid != 0 {
            let mode = node.meta().mode;
            *node.meta_mut() = Meta { mode, uid: sys.uid, gid: sys.gid };
        }
        if node.is_dir() {
            let meta = node.meta();
            sys.mkdir_all(&dest);
            if let Some(existing) = sys.fs.get_mut(&dest) {
                *existing.meta_mut() = meta;
            }
        } else {
            sys.mkdir_all(parent(&dest));
            sys.fs.insert(&dest, node);
        }
    }
    if status != 0 && gnu {
        io.err_line("tar: Exiting with failure status due to previous errors");
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn all_three_argument_styles_parse() {
        let bundled = parse(&words("czvf /backup/b.tgz /data")).unwrap();
        assert_eq!((bundled.mode, bundled.gzip, bundled.verbose), (Some('c'), true, true));
        assert_eq!(bundled.file.as_deref(), Some("/backup/b.tgz"));
        assert_eq!(bundled.operands, ["/data"]);
        let dashed = parse(&words("-xf /backup/b.tar -C / --strip-components=1")).unwrap();
        assert_eq!((dashed.mode, dashed.directory.as_deref(), dashed.strip), (Some('x'), Some("/"), 1));
        assert!(parse(&words("-cq x")).is_err());
    }

    #[test]
    fn sizes_follow_the_format() {
        let members = vec![("data".to_string(), Node::Dir { meta: Meta::DIR }), ("data/a".to_string(), Node::text("hi\n"))];
        assert_eq!(archive_size(&members, false, false), 512 + 1024 + 1024);
        assert_eq!(archive_size(&members, true, false), 10_240);
    }
}
