//! File and text tools (GNU coreutils on Debian/Ubuntu, busybox applets on alpine/busybox):
//! ls, cat, mkdir, rm, cp, mv, ln, touch, chmod, chown, head, tail, grep, sed, tee, wc, sort, …

use std::collections::{BTreeMap, BTreeSet};

use super::sys::{hash, push_capped};
use super::users;
use super::{Io, Sys};
use crate::fs::{file_name, is_within, parent, Content, Meta, Node};

/// Parsed command-line flags: single letters (long names mapped to letters), values, operands.
struct Flags {
    set: BTreeSet<char>,
    values: BTreeMap<char, String>,
    operands: Vec<String>,
}

impl Flags {
    fn has(&self, c: char) -> bool {
        self.set.contains(&c)
    }

    fn value(&self, c: char) -> Option<&str> {
        self.values.get(&c).map(String::as_str)
    }
}

fn flags(args: &[String], with_value: &str, long: &[(&str, char)]) -> Result<Flags, String> {
    let mut parsed = Flags { set: BTreeSet::new(), values: BTreeMap::new(), operands: Vec::new() };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            parsed.operands.extend(iter.cloned());
            break;
        }
        if let Some(name) = arg.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            let Some((_, c)) = long.iter().find(|(n, _)| *n == name) else {
                return Err(format!("unrecognized option '--{name}'"));
            };
            if with_value.contains(*c) {
                let value = inline.or_else(|| iter.next().cloned()).unwrap_or_default();
                parsed.values.insert(*c, value);
            }
            parsed.set.insert(*c);
            continue;
        }
        match arg.strip_prefix('-') {
            Some(letters) if !letters.is_empty() => {
                // `head -5`, `tail -20`
                if letters.chars().all(|c| c.is_ascii_digit()) && with_value.contains('n') {
                    parsed.values.insert('n', letters.to_string());
                    parsed.set.insert('n');
                    continue;
                }
                let chars: Vec<char> = letters.chars().collect();
                for (i, c) in chars.iter().enumerate() {
                    parsed.set.insert(*c);
                    if with_value.contains(*c) {
                        let rest: String = chars.get(i + 1..).unwrap_or_default().iter().collect();
                        let value = if rest.is_empty() { iter.next().cloned().unwrap_or_default() } else { rest };
                        parsed.values.insert(*c, value);
                        break;
                    }
                }
            }
            _ => parsed.operands.push(arg.clone()),
        }
    }
    Ok(parsed)
}

/// Runs the tool `name` if this module knows it. `argv` includes the name as typed.
pub fn main(sys: &mut Sys, io: &mut Io, name: &str, argv: &[String]) -> Option<i32> {
    if let Some(code) = super::inside::main(sys, io, name, argv) {
        return Some(code);
    }
    let args = argv.get(1..).unwrap_or_default();
    let gnu = !sys.os.busybox_userland();
    sys.elapsed += 3;
    Some(match name {
        "true" | ":" => 0,
        "false" => 1,
        "echo" => {
            let mut rest = args;
            let mut newline = true;
            let mut escapes = false;
            while let Some((first, tail)) = rest.split_first() {
                match first.as_str() {
                    "-n" => newline = false,
                    "-e" => escapes = true,
                    "-E" => escapes = false,
                    _ => break,
                }
                rest = tail;
            }
            let text = rest.join(" ");
            let (text, stop) = if escapes { unescape(&text) } else { (text, false) };
            push_capped(&mut io.out, &text);
            if newline && !stop {
                io.out.push('\n');
            }
            0
        }
        "printf" => printf(args, io),
        "pwd" => {
            io.out_line(&sys.cwd.clone());
            0
        }
        "test" | "[" => {
            let mut args = args.to_vec();
            if name == "[" {
                if args.last().map(String::as_str) != Some("]") {
                    io.err_line("[: missing ']'");
                    return Some(2);
                }
                args.pop();
            }
            let cwd = sys.cwd.clone();
            match test(sys, &cwd, &args) {
                Ok(result) => i32::from(!result),
                Err(message) => {
                    io.err_line(&format!("{name}: {message}"));
                    2
                }
            }
        }
        "cat" => cat(sys, io, args, gnu),
        "ls" => ls(sys, io, args, gnu),
        "mkdir" => mkdir(sys, io, args, gnu),
        "rmdir" => {
            let mut status = 0;
            for dir in args.iter().filter(|a| !a.starts_with('-')) {
                let path = sys.abs(dir);
                if !sys.fs.is_dir(&path) {
                    io.err_line(&format!("rmdir: failed to remove '{dir}': No such file or directory"));
                    status = 1;
                } else if sys.fs.children(&path).next().is_some() {
                    io.err_line(&format!("rmdir: failed to remove '{dir}': Directory not empty"));
                    status = 1;
                } else if read_only(sys, &path) {
                    io.err_line(&if gnu { format!("rmdir: failed to remove '{dir}': Read-only file system") } else { format!("rmdir: '{dir}': Read-only file system") });
                    status = 1;
                } else {
                    sys.fs.remove_all(&path);
                }
            }
            status
        }
        "rm" => rm(sys, io, args, gnu),
        "cp" => cp(sys, io, args, gnu, false),
        "mv" => cp(sys, io, args, gnu, true),
        "ln" => ln(sys, io, args, gnu),
        "touch" => touch(sys, io, args, gnu),
        "chmod" => chmod(sys, io, args, gnu),
        "chown" | "chgrp" => chown(sys, io, name, args, gnu),
        "env" | "printenv" => env(sys, io, name, args),
        "id" => id(sys, io, args),
        "whoami" => match users::name_of_uid(sys, sys.uid) {
            Some(user) => {
                io.out_line(&user);
                0
            }
            None => {
                let uid = sys.uid;
                io.err_line(&if gnu { format!("whoami: cannot find name for user ID {uid}") } else { format!("whoami: unknown uid {uid}") });
                1
            }
        },
        "groups" => {
            let gid = sys.gid;
            io.out_line(&users::name_of_gid(sys, gid).unwrap_or_else(|| gid.to_string()));
            0
        }
        "head" | "tail" => head_tail(sys, io, name, args, gnu),
        "grep" | "egrep" | "fgrep" => grep(sys, io, name, args, gnu),
        "sed" => sed(sys, io, args, gnu),
        "tee" => {
            let parsed = match flags(args, "", &[("append", 'a')]) {
                Ok(p) => p,
                Err(e) => return Some(usage(io, "tee", &e)),
            };
            let input = std::mem::take(&mut io.stdin);
            let mut status = 0;
            for file in &parsed.operands {
                let path = sys.abs(file);
                if sys.fs.is_dir(parent(&path)) && read_only(sys, &path) {
                    io.err_line(&if gnu { format!("tee: {file}: Read-only file system") } else { format!("tee: can't open '{file}': Read-only file system") });
                    status = 1;
                    continue;
                }
                if !sys.fs.is_dir(parent(&path)) || !sys.can_write_file(&path) {
                    io.err_line(&format!("tee: {file}: {}", if sys.fs.is_dir(parent(&path)) { "Permission denied" } else { "No such file or directory" }));
                    status = 1;
                    continue;
                }
                let mut text = if parsed.has('a') { sys.read(&path).unwrap_or_default() } else { String::new() };
                push_capped(&mut text, &input);
                sys.write_text(&path, &text);
            }
            push_capped(&mut io.out, &input);
            status
        }
        "wc" => wc(sys, io, args),
        "sort" => {
            let Some((parsed, text)) = read_inputs(sys, io, "sort", args, "", &[]) else { return Some(2) };
            let mut lines: Vec<&str> = text.lines().collect();
            if parsed.has('n') {
                lines.sort_by(|a, b| {
                    let na: f64 = a.split_whitespace().next().and_then(|x| x.parse().ok()).unwrap_or(0.0);
                    let nb: f64 = b.split_whitespace().next().and_then(|x| x.parse().ok()).unwrap_or(0.0);
                    na.partial_cmp(&nb).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(b))
                });
            } else {
                lines.sort();
            }
            if parsed.has('r') {
                lines.reverse();
            }
            if parsed.has('u') {
                lines.dedup();
            }
            for line in lines {
                io.out_line(line);
            }
            0
        }
        "uniq" => {
            let Some((_, text)) = read_inputs(sys, io, "uniq", args, "", &[]) else { return Some(1) };
            let mut lines: Vec<&str> = text.lines().collect();
            lines.dedup();
            for line in lines {
                io.out_line(line);
            }
            0
        }
        "uname" => {
            let all = args.iter().any(|a| a == "-a" || a == "--all");
            let line = if all {
                let host = hostname(sys);
                format!("Linux {host} 6.8.0-60-generic #63-Ubuntu SMP PREEMPT_DYNAMIC Tue Apr 15 19:04:15 UTC 2025 x86_64 GNU/Linux")
            } else {
                let mut parts = Vec::new();
                for arg in args {
                    for c in arg.trim_start_matches('-').chars() {
                        parts.push(match c {
                            'r' => "6.8.0-60-generic".to_string(),
                            'm' | 'p' | 'i' => "x86_64".to_string(),
                            'n' => hostname(sys),
                            'o' => "GNU/Linux".to_string(),
                            'v' => "#63-Ubuntu SMP PREEMPT_DYNAMIC".to_string(),
                            _ => "Linux".to_string(),
                        });
                    }
                }
                if parts.is_empty() { "Linux".to_string() } else { parts.join(" ") }
            };
            io.out_line(&line);
            0
        }
        "arch" => {
            io.out_line("x86_64");
            0
        }
        "sleep" => {
            let mut total: u64 = 0;
            for arg in args {
                match parse_duration(arg) {
                    Some(ms) => total = total.saturating_add(ms),
                    None => {
                        io.err_line(&if gnu { format!("sleep: invalid time interval '{arg}'") } else { format!("sleep: invalid number '{arg}'") });
                        return Some(1);
                    }
                }
            }
            if args.is_empty() {
                io.err_line("sleep: missing operand");
                return Some(1);
            }
            sys.elapsed = sys.elapsed.saturating_add(total);
            0
        }
        "date" => {
            io.out_line(&date(sys, args));
            0
        }
        "hostname" => {
            let ctx = sys.container.as_ref();
            match (args.first().map(String::as_str), ctx) {
                (Some("-i" | "--ip-address"), Some(ctx)) => {
                    let own = super::inside::resolve_host(sys, &ctx.hostname).and_then(|ips| ips.first().cloned());
                    io.out_line(&own.unwrap_or_else(|| ctx.ip_address.clone()));
                }
                (Some("-I" | "--all-ip-addresses"), Some(ctx)) => io.out_line(&format!("{} ", ctx.ip_address)),
                _ => io.out_line(&hostname(sys)),
            }
            0
        }
        "basename" => match args.first() {
            Some(path) => {
                let mut base = file_name(path.trim_end_matches('/')).to_string();
                if let Some(suffix) = args.get(1) {
                    if let Some(stripped) = base.strip_suffix(suffix.as_str()) {
                        base = stripped.to_string();
                    }
                }
                io.out_line(&base);
                0
            }
            None => usage(io, "basename", "missing operand"),
        },
        "dirname" => match args.first() {
            Some(path) => {
                let trimmed = path.trim_end_matches('/');
                let dir = match trimmed.rfind('/') {
                    Some(0) => "/".to_string(),
                    Some(i) => trimmed.get(..i).unwrap_or("/").to_string(),
                    None => ".".to_string(),
                };
                io.out_line(&dir);
                0
            }
            None => usage(io, "dirname", "missing operand"),
        },
        "which" => {
            let mut status = 0;
            for name in args.iter().filter(|a| !a.starts_with('-')) {
                match sys.resolve(name) {
                    Some(path) => io.out_line(&path),
                    None => status = 1,
                }
            }
            status
        }
        "nproc" => {
            io.out_line(&super::inside::HOST_CPUS.to_string());
            0
        }
        "seq" => {
            let numbers: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
            let (start, end) = match numbers.as_slice() {
                [end] => (1, *end),
                [start, end] | [start, _, end] => (*start, *end),
                _ => return Some(usage(io, "seq", "missing operand")),
            };
            let mut n = start;
            let mut count = 0;
            while n <= end && count < 100_000 {
                io.out_line(&n.to_string());
                n += 1;
                count += 1;
            }
            0
        }
        // gettext's envsubst: `$VAR` and `${VAR}` from the environment (empty when unset), or only
        // the variables its SHELL-FORMAT argument names.
        "envsubst" => {
            let input = std::mem::take(&mut io.stdin);
            let only: Option<Vec<String>> = args.iter().find(|a| !a.starts_with('-')).map(|format| {
                format.split('$').skip(1).map(|v| v.trim_start_matches('{').split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default().to_string()).collect()
            });
            let mut output = String::new();
            let mut rest = input.as_str();
            while let Some(at) = rest.find('$') {
                output.push_str(&rest[..at]);
                let after = &rest[at + 1..];
                let (name, consumed) = match after.strip_prefix('{') {
                    Some(inner) => match inner.find('}') {
                        Some(end) if inner[..end].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && end > 0 => (&inner[..end], end + 2),
                        _ => ("", 0),
                    },
                    None => {
                        let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                        if after.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') { (&after[..end], end) } else { ("", 0) }
                    }
                };
                let wanted = !name.is_empty() && only.as_ref().is_none_or(|names| names.iter().any(|n| n == name));
                if wanted {
                    output.push_str(sys.env.get(name).map(String::as_str).unwrap_or_default());
                    rest = &after[consumed..];
                } else {
                    output.push('$');
                    rest = after;
                }
            }
            output.push_str(rest);
            push_capped(&mut io.out, &output);
            0
        }
        "tr" => {
            let parsed = match flags(args, "", &[]) {
                Ok(p) => p,
                Err(e) => return Some(usage(io, "tr", &e)),
            };
            let input = std::mem::take(&mut io.stdin);
            let set1 = expand_set(parsed.operands.first().map(String::as_str).unwrap_or_default());
            let set2 = expand_set(parsed.operands.get(1).map(String::as_str).unwrap_or_default());
            let output: String = if parsed.has('d') {
                input.chars().filter(|c| !set1.contains(c)).collect()
            } else {
                input
                    .chars()
                    .map(|c| match set1.iter().position(|x| *x == c) {
                        Some(i) => set2.get(i).or(set2.last()).copied().unwrap_or(c),
                        None => c,
                    })
                    .collect()
            };
            push_capped(&mut io.out, &output);
            0
        }
        "cut" => {
            let Some((parsed, text)) = read_inputs(sys, io, "cut", args, "df", &[("delimiter", 'd'), ("fields", 'f')]) else { return Some(1) };
            let delimiter = parsed.value('d').and_then(|d| d.chars().next()).unwrap_or('\t');
            let fields: Vec<usize> = parsed.value('f').unwrap_or("1").split(',').filter_map(|f| f.parse().ok()).collect();
            for line in text.lines() {
                let parts: Vec<&str> = line.split(delimiter).collect();
                let picked: Vec<&str> = fields.iter().filter_map(|f| f.checked_sub(1).and_then(|i| parts.get(i)).copied()).collect();
                io.out_line(&picked.join(&delimiter.to_string()));
            }
            0
        }
        "readlink" | "realpath" => {
            let mut status = 0;
            for path in args.iter().filter(|a| !a.starts_with('-')) {
                let abs = sys.abs(path);
                if let Some(found) = super::inside::lookup(sys, &abs) {
                    match found {
                        super::inside::Virtual::Link(target) => io.out_line(&if target.starts_with('/') || name == "readlink" && !args.iter().any(|a| a == "-f") { target } else { format!("{}/{target}", parent(&abs)) }),
                        super::inside::Virtual::Missing if name == "readlink" => status = 1,
                        super::inside::Virtual::Missing => {
                            io.err_line(&format!("realpath: {path}: No such file or directory"));
                            status = 1;
                        }
                        _ if name == "readlink" && !args.iter().any(|a| a == "-f") => status = 1,
                        _ => io.out_line(&abs),
                    }
                    continue;
                }
                match sys.fs.get(&abs) {
                    Some(Node::Symlink { target, .. }) if name == "readlink" && !args.iter().any(|a| a == "-f") => io.out_line(target),
                    Some(_) => io.out_line(&sys.real_path(&abs)),
                    None if name == "realpath" => io.out_line(&abs),
                    None => status = 1,
                }
            }
            status
        }
        "du" => du(sys, io, args),
        "find" => find(sys, io, args, gnu),
        "xargs" => xargs(sys, io, args),
        "mktemp" => {
            let dir = args.iter().any(|a| a == "-d");
            let path = format!("/tmp/tmp.{:010x}", hash(&format!("{}{}", sys.elapsed, sys.fs.size())) & 0xff_ffff_ffff);
            if read_only(sys, &path) {
                let kind = if dir { "directory" } else { "file" };
                io.err_line(&if gnu { format!("mktemp: failed to create {kind} via template '/tmp/tmp.XXXXXXXXXX': Read-only file system") } else { "mktemp: (null): Read-only file system".to_string() });
                return Some(1);
            }
            if dir {
                sys.mkdir_all(&path);
            } else {
                sys.write_text(&path, "");
            }
            io.out_line(&path);
            0
        }
        "yes" => {
            let word = if args.is_empty() { "y".to_string() } else { args.join(" ") };
            for _ in 0..1000 {
                io.out_line(&word);
            }
            0
        }
        "stat" => {
            let mut status = 0;
            for path in args.iter().filter(|a| !a.starts_with('-')) {
                let abs = sys.abs(path);
                match sys.fs.get(&abs) {
                    Some(node) => {
                        let meta = node.meta();
                        io.out_line(&format!("  File: {path}"));
                        io.out_line(&format!("  Size: {:<10}\t{}", node.size(), kind_name(node)));
                        io.out_line(&format!(
                            "Access: ({:04o}/{})  Uid: ({:5}/{:>8})   Gid: ({:5}/{:>8})",
                            meta.mode & 0o7777,
                            mode_string(node),
                            meta.uid,
                            users::name_of_uid(sys, meta.uid).unwrap_or_else(|| "UNKNOWN".into()),
                            meta.gid,
                            users::name_of_gid(sys, meta.gid).unwrap_or_else(|| "UNKNOWN".into())
                        ));
                    }
                    None => {
                        io.err_line(&format!("stat: cannot statx '{path}': No such file or directory"));
                        status = 1;
                    }
                }
            }
            status
        }
        _ => return None,
    })
}

fn usage(io: &mut Io, name: &str, message: &str) -> i32 {
    io.err_line(&format!("{name}: {message}"));
    io.err_line(&format!("Try '{name} --help' for more information."));
    1
}

fn kind_name(node: &Node) -> &'static str {
    match node {
        Node::Dir { .. } => "directory",
        Node::File { .. } => "regular file",
        Node::Symlink { .. } => "symbolic link",
    }
}

/// Reads the operands (or stdin when there are none) as one text, for filters.
fn read_inputs(sys: &mut Sys, io: &mut Io, name: &str, args: &[String], with_value: &str, long: &[(&str, char)]) -> Option<(Flags, String)> {
    let parsed = match flags(args, with_value, long) {
        Ok(p) => p,
        Err(e) => {
            usage(io, name, &e);
            return None;
        }
    };
    let text = if parsed.operands.is_empty() || parsed.operands.iter().all(|o| o == "-") {
        std::mem::take(&mut io.stdin)
    } else {
        let mut text = String::new();
        for file in &parsed.operands {
            match read_file(sys, &sys.abs(file)) {
                Some(t) => push_capped(&mut text, &t),
                None => {
                    io.err_line(&format!("{name}: {file}: No such file or directory"));
                    return None;
                }
            }
        }
        text
    };
    Some((parsed, text))
}

/// `echo -e`/dash `echo` escapes; the flag says `\c` stopped output.
pub fn unescape(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('e') => out.push('\u{1b}'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut value = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('?'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// `printf FORMAT [ARGS…]`: `%s %d %i %b %x %o %c %%` with widths, the format reused for extra args.
pub fn printf(args: &[String], io: &mut Io) -> i32 {
    let Some((format, rest)) = args.split_first() else {
        io.err_line("printf: usage: printf format [arguments]");
        return 2;
    };
    let mut rest: std::collections::VecDeque<String> = rest.iter().cloned().collect();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let mut consumed = false;
        let chars: Vec<char> = format.chars().collect();
        let mut i = 0;
        let mut out = String::new();
        while let Some(&c) = chars.get(i) {
            i += 1;
            if c == '\\' {
                let mut escape = String::from("\\");
                if let Some(&n) = chars.get(i) {
                    escape.push(n);
                    i += 1;
                }
                let (text, stop) = unescape(&escape);
                out.push_str(&text);
                if stop {
                    push_capped(&mut io.out, &out);
                    return 0;
                }
                continue;
            }
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while let Some(&n) = chars.get(i) {
                if n.is_ascii_digit() || matches!(n, '-' | '.' | '+' | ' ' | '#') {
                    spec.push(n);
                    i += 1;
                } else {
                    break;
                }
            }
            let Some(&conv) = chars.get(i) else { break };
            i += 1;
            if conv == '%' {
                out.push('%');
                continue;
            }
            consumed = true;
            let arg = rest.pop_front().unwrap_or_default();
            let value = match conv {
                'd' | 'i' => arg.trim().parse::<i64>().unwrap_or(0).to_string(),
                'x' => format!("{:x}", arg.trim().parse::<i64>().unwrap_or(0)),
                'o' => format!("{:o}", arg.trim().parse::<i64>().unwrap_or(0)),
                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                'b' => unescape(&arg).0,
                'f' => format!("{:.6}", arg.trim().parse::<f64>().unwrap_or(0.0)),
                _ => arg,
            };
            let left = spec.starts_with('-');
            let width: usize = spec.trim_start_matches(['-', '+', ' ', '#']).split('.').next().and_then(|w| w.parse().ok()).unwrap_or(0).min(1000);
            let pad = width.saturating_sub(value.chars().count());
            if left {
                out.push_str(&value);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&value);
            }
        }
        push_capped(&mut io.out, &out);
        if rest.is_empty() || !consumed || rounds > 10_000 {
            return 0;
        }
    }
}

/// `test`/`[` expressions: file tests, string and integer comparisons, `!`, `-a`, `-o`.
pub fn test(sys: &Sys, cwd: &str, args: &[String]) -> Result<bool, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    test_expr(sys, cwd, &args, 0)
}

fn test_expr(sys: &Sys, cwd: &str, args: &[&str], depth: u32) -> Result<bool, String> {
    if depth > 50 {
        return Err("expression too complex".into());
    }
    if let Some(i) = args.iter().position(|a| *a == "-o").filter(|i| *i > 0) {
        return Ok(test_expr(sys, cwd, args.get(..i).unwrap_or_default(), depth + 1)? || test_expr(sys, cwd, args.get(i + 1..).unwrap_or_default(), depth + 1)?);
    }
    if let Some(i) = args.iter().position(|a| *a == "-a").filter(|i| *i > 0 && args.len() > 3) {
        return Ok(test_expr(sys, cwd, args.get(..i).unwrap_or_default(), depth + 1)? && test_expr(sys, cwd, args.get(i + 1..).unwrap_or_default(), depth + 1)?);
    }
    match args {
        [] => Ok(false),
        ["!", rest @ ..] => Ok(!test_expr(sys, cwd, rest, depth + 1)?),
        ["(", inner @ .., ")"] => test_expr(sys, cwd, inner, depth + 1),
        [one] => Ok(!one.is_empty()),
        [op, operand] if matches!(*op, "-e" | "-a" | "-f" | "-d" | "-s" | "-r") && super::inside::lookup(sys, &crate::fs::normalize(operand, cwd)).is_some() => {
            let found = super::inside::lookup(sys, &crate::fs::normalize(operand, cwd));
            Ok(match found {
                Some(super::inside::Virtual::Text(text)) => *op != "-d" && (*op != "-s" || !text.is_empty()),
                Some(super::inside::Virtual::Dir(_)) => *op != "-f",
                Some(super::inside::Virtual::Link(_)) => *op == "-e" || *op == "-a" || *op == "-r" || *op == "-d",
                _ => false,
            })
        }
        [op, operand] => {
            let path = crate::fs::normalize(operand, cwd);
            let real = sys.real_path(&path);
            let node = sys.fs.get(&real);
            Ok(match *op {
                "-n" => !operand.is_empty(),
                "-z" => operand.is_empty(),
                "-e" | "-a" => sys.fs.exists(&real),
                "-f" => matches!(node, Some(Node::File { .. })),
                "-d" => sys.fs.is_dir(&real),
                "-L" | "-h" => matches!(sys.fs.get(&path), Some(Node::Symlink { .. })),
                "-s" => node.is_some_and(|n| n.size() > 0 || n.is_dir()),
                "-x" => node.is_some_and(|n| n.meta().mode & 0o111 != 0),
                "-r" => node.is_some(),
                "-w" => node.is_some() && sys.can_write_file(&real),
                _ => return Err(format!("{op}: unexpected operator")),
            })
        }
        [left, op, right] => Ok(match *op {
            "=" | "==" => left == right,
            "!=" => left != right,
            "<" => left < right,
            ">" => left > right,
            "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                let l: i64 = left.trim().parse().map_err(|_| format!("Illegal number: {left}"))?;
                let r: i64 = right.trim().parse().map_err(|_| format!("Illegal number: {right}"))?;
                match *op {
                    "-eq" => l == r,
                    "-ne" => l != r,
                    "-lt" => l < r,
                    "-le" => l <= r,
                    "-gt" => l > r,
                    _ => l >= r,
                }
            }
            _ if *left == "!" => !test_expr(sys, cwd, &[op, right], depth + 1)?,
            _ => return Err(format!("{op}: unexpected operator")),
        }),
        [first, ..] if *first == "!" => Ok(!test_expr(sys, cwd, args.get(1..).unwrap_or_default(), depth + 1)?),
        _ => Err("too many arguments".into()),
    }
}

fn cat(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') || *a == "-").collect();
    if files.is_empty() {
        let input = std::mem::take(&mut io.stdin);
        push_capped(&mut io.out, &input);
        return 0;
    }
    let mut status = 0;
    for file in files {
        if file == "-" {
            let input = std::mem::take(&mut io.stdin);
            push_capped(&mut io.out, &input);
            continue;
        }
        let path = sys.abs(file);
        if let Some(found) = super::inside::read_virtual(sys, &path) {
            match found {
                Ok(text) => push_capped(&mut io.out, &text),
                Err(errno) => {
                    io.err_line(&if gnu || errno != "No such file or directory" { format!("cat: {file}: {errno}") } else { format!("cat: can't open '{file}': {errno}") });
                    status = 1;
                }
            }
            continue;
        }
        let real = sys.real_path(&path);
        match sys.fs.get(&real) {
            Some(Node::File { content: Content::Text(text), .. }) => {
                let text = text.clone();
                push_capped(&mut io.out, &text);
            }
            Some(Node::File { content: Content::Blob { label }, size, .. }) => {
                // Binary content: a short stand-in, as a terminal would show garbage.
                let shown = format!("\u{7f}ELF… ({label}, {size} bytes)\n");
                push_capped(&mut io.out, &shown);
            }
            Some(Node::Dir { .. }) => {
                io.err_line(&format!("cat: {file}: Is a directory"));
                status = 1;
            }
            _ => {
                io.err_line(&if gnu { format!("cat: {file}: No such file or directory") } else { format!("cat: can't open '{file}': No such file or directory") });
                status = 1;
            }
        }
    }
    status
}

fn mode_string(node: &Node) -> String {
    let meta = node.meta();
    let kind = match node {
        Node::Dir { .. } => 'd',
        Node::Symlink { .. } => 'l',
        Node::File { .. } => '-',
    };
    let mut text = String::from(kind);
    for shift in [6u32, 3, 0] {
        let bits = (meta.mode >> shift) & 7;
        text.push(if bits & 4 != 0 { 'r' } else { '-' });
        text.push(if bits & 2 != 0 { 'w' } else { '-' });
        let special = match shift {
            6 => meta.mode & 0o4000 != 0,
            3 => meta.mode & 0o2000 != 0,
            _ => meta.mode & 0o1000 != 0,
        };
        text.push(match (bits & 1 != 0, special, shift) {
            (true, true, 0) => 't',
            (false, true, 0) => 'T',
            (true, true, _) => 's',
            (false, true, _) => 'S',
            (true, false, _) => 'x',
            (false, false, _) => '-',
        });
    }
    text
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["", "K", "M", "G", "T"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < 4 {
        value /= 1024.0;
        unit += 1;
    }
    let suffix = UNITS.get(unit).copied().unwrap_or("T");
    if unit == 0 {
        format!("{bytes}")
    } else if value < 10.0 {
        format!("{:.1}{suffix}", (value * 10.0).ceil() / 10.0)
    } else {
        format!("{}{suffix}", value.ceil() as u64)
    }
}

fn ls(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let parsed = match flags(args, "", &[("all", 'a'), ("almost-all", 'A'), ("human-readable", 'h'), ("directory", 'd'), ("recursive", 'R')]) {
        Ok(p) => p,
        Err(e) => return usage(io, "ls", &e),
    };
    let long = parsed.has('l') || parsed.has('n');
    let all = parsed.has('a');
    let almost = parsed.has('A');
    let targets = if parsed.operands.is_empty() { vec![".".to_string()] } else { parsed.operands.clone() };
    let mut status = 0;
    let many = targets.len() > 1;
    // `virt`: a /proc or /sys entry, which has no size.
    let line_for = |sys: &Sys, name: &str, node: &Node, virt: bool| -> String {
        if !long {
            return name.to_string();
        }
        let meta = node.meta();
        let owner = if parsed.has('n') { meta.uid.to_string() } else { users::name_of_uid(sys, meta.uid).unwrap_or_else(|| meta.uid.to_string()) };
        let group = if parsed.has('n') { meta.gid.to_string() } else { users::name_of_gid(sys, meta.gid).unwrap_or_else(|| meta.gid.to_string()) };
        let size = match node {
            _ if virt => 0,
            Node::Dir { .. } => 4096,
            other => other.size(),
        };
        let size = if parsed.has('h') { human_size(size) } else { size.to_string() };
        let links = if node.is_dir() { 2 } else { 1 };
        let mut line = format!("{} {links} {owner} {group} {size:>5} Mar  2 09:00 {name}", mode_string(node));
        if let Node::Symlink { target, .. } = node {
            line.push_str(&format!(" -> {target}"));
        }
        line
    };
    let mut files = Vec::new();
    let mut dirs: Vec<(String, String, Option<Listing>)> = Vec::new();
    for target in &targets {
        let path = sys.abs(target);
        if let Some(found) = super::inside::lookup(sys, &path) {
            use super::inside::Virtual;
            let found = match found {
                // `ls /proc/self` lists the directory the link points at.
                Virtual::Link(link) if !long && !parsed.has('d') => {
                    let resolved = crate::fs::normalize(&link, parent(&path));
                    match super::inside::lookup(sys, &resolved) {
                        Some(dir @ Virtual::Dir(_)) => dir,
                        _ => Virtual::Link(link),
                    }
                }
                other => other,
            };
            match found {
                Virtual::Dir(entries) if !parsed.has('d') => {
                    let nodes = entries.into_iter().map(|(n, kind)| {
                        let node = virtual_node(&format!("{path}/{n}"), &kind);
                        (n, node)
                    });
                    dirs.push((target.clone(), path.clone(), Some(nodes.collect())));
                }
                Virtual::Missing => {
                    io.err_line(&if gnu { format!("ls: cannot access '{target}': No such file or directory") } else { format!("ls: {target}: No such file or directory") });
                    status = if gnu { 2 } else { 1 };
                }
                Virtual::Dir(_) => files.push(line_for(sys, target, &virtual_node(&path, &super::inside::VirtualKind::Dir), true)),
                Virtual::Text(_) => files.push(line_for(sys, target, &virtual_node(&path, &super::inside::VirtualKind::File), true)),
                Virtual::Link(link) => files.push(line_for(sys, target, &virtual_node(&path, &super::inside::VirtualKind::Link(link)), true)),
            }
            continue;
        }
        let real = sys.real_path(&path);
        match sys.fs.get(&path) {
            _ if path == "/" => dirs.push((target.clone(), "/".to_string(), None)),
            Some(Node::Dir { .. }) if !parsed.has('d') => dirs.push((target.clone(), path, None)),
            Some(Node::Symlink { .. }) if sys.fs.is_dir(&real) && !long && !parsed.has('d') => dirs.push((target.clone(), real, None)),
            Some(node) => files.push(line_for(sys, target, node, false)),
            None => {
                io.err_line(&if gnu { format!("ls: cannot access '{target}': No such file or directory") } else { format!("ls: {target}: No such file or directory") });
                status = if gnu { 2 } else { 1 };
            }
        }
    }
    for line in &files {
        io.out_line(line);
    }
    for (index, (shown, dir, listed)) in dirs.iter().enumerate() {
        if many {
            if index > 0 || !files.is_empty() {
                io.out_line("");
            }
            io.out_line(&format!("{shown}:"));
        }
        let children: Vec<(String, Node)> = match listed {
            Some(entries) => entries.clone(),
            None => sys.fs.children(dir).map(|(n, node)| (n.to_string(), node.clone())).collect(),
        };
        if long {
            let total: u64 = if listed.is_some() { 0 } else { children.iter().map(|(_, n)| n.size().div_ceil(1024)).sum::<u64>() + if all { 8 } else { 0 } };
            io.out_line(&format!("total {}", if parsed.has('h') { human_size(total * 1024) } else { total.to_string() }));
        }
        if all {
            let meta = sys.fs.get(dir).map(Node::meta).unwrap_or(Meta::DIR);
            let node = Node::Dir { meta };
            io.out_line(&line_for(sys, ".", &node, listed.is_some()));
            io.out_line(&line_for(sys, "..", &Node::Dir { meta: Meta::DIR }, listed.is_some()));
        }
        for (name, node) in &children {
            if name.starts_with('.') && !all && !almost {
                continue;
            }
            let line = line_for(sys, name, node, listed.is_some());
            io.out_line(&line);
        }
    }
    status
}

/// A directory's entries when they do not come from the tree (`/proc`, `/sys`).
type Listing = Vec<(String, Node)>;

/// A stand-in node for a `/proc` or `/sys` entry, for `ls -l`.
fn virtual_node(path: &str, kind: &super::inside::VirtualKind) -> Node {
    use super::inside::VirtualKind;
    let root = |mode| Meta { mode, uid: 0, gid: 0 };
    match kind {
        VirtualKind::Dir => Node::Dir { meta: root(0o555) },
        VirtualKind::File => {
            let mode = if is_within(path, "/sys/fs/cgroup") { 0o644 } else { 0o444 };
            Node::File { meta: root(mode), size: 0, content: Content::Text(String::new()) }
        }
        VirtualKind::Link(target) => Node::Symlink { meta: root(0o777), target: target.clone() },
    }
}

/// Reads a file the way every tool here does: `/proc` and `/sys` views first, then the tree.
fn read_file(sys: &Sys, path: &str) -> Option<String> {
    match super::inside::read_virtual(sys, path) {
        Some(found) => found.ok(),
        None => sys.read(path),
    }
}

/// `--read-only` (or `/sys`) refuses writes at `path`.
fn read_only(sys: &Sys, path: &str) -> bool {
    super::inside::read_only_denies(sys, path)
}

fn mkdir(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let parsed = match flags(args, "m", &[("parents", 'p'), ("mode", 'm'), ("verbose", 'v')]) {
        Ok(p) => p,
        Err(e) => return usage(io, "mkdir", &e),
    };
    if parsed.operands.is_empty() {
        return usage(io, "mkdir", "missing operand");
    }
    let mode = parsed.value('m').and_then(|m| u32::from_str_radix(m, 8).ok());
    let verb = if gnu { "cannot" } else { "can't" };
    let mut status = 0;
    for dir in &parsed.operands {
        let path = sys.abs(dir);
        if sys.fs.exists(&path) {
            if parsed.has('p') && sys.fs.is_dir(&sys.real_path(&path)) {
                continue;
            }
            io.err_line(&format!("mkdir: {verb} create directory '{dir}': File exists"));
            status = 1;
            continue;
        }
        let parent_dir = parent(&path).to_string();
        if !parsed.has('p') && !sys.fs.is_dir(&sys.real_path(&parent_dir)) {
            io.err_line(&format!("mkdir: {verb} create directory '{dir}': No such file or directory"));
            status = 1;
            continue;
        }
        let mut existing = parent_dir.clone();
        while !sys.fs.exists(&existing) && existing != "/" {
            existing = parent(&existing).to_string();
        }
        if read_only(sys, &path) {
            io.err_line(&format!("mkdir: {verb} create directory '{dir}': Read-only file system"));
            status = 1;
            continue;
        }
        if !sys.can_write(&existing) {
            io.err_line(&format!("mkdir: {verb} create directory '{dir}': Permission denied"));
            status = 1;
            continue;
        }
        sys.mkdir_all(&path);
        if let (Some(mode), Some(node)) = (mode, sys.fs.get_mut(&path)) {
            node.meta_mut().mode = mode;
        }
    }
    status
}

fn rm(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let parsed = match flags(args, "", &[("recursive", 'r'), ("force", 'f'), ("verbose", 'v'), ("no-preserve-root", 'P')]) {
        Ok(p) => p,
        Err(e) => return usage(io, "rm", &e),
    };
    let recursive = parsed.has('r') || parsed.has('R');
    let force = parsed.has('f');
    if parsed.operands.is_empty() && !force {
        return usage(io, "rm", "missing operand");
    }
    let verb = if gnu { "cannot" } else { "can't" };
    let mut status = 0;
    for target in &parsed.operands {
        let path = sys.abs(target);
        if path == "/" && !parsed.has('P') {
            io.err_line("rm: it is dangerous to operate recursively on '/'");
            io.err_line("rm: use --no-preserve-root to override this failsafe");
            status = 1;
            continue;
        }
        match sys.fs.get(&path) {
            None => {
                if !force {
                    io.err_line(&format!("rm: {verb} remove '{target}': No such file or directory"));
                    status = 1;
                }
            }
            Some(node) if node.is_dir() && !recursive => {
                io.err_line(&if gnu { format!("rm: cannot remove '{target}': Is a directory") } else { format!("rm: '{target}' is a directory") });
                status = 1;
            }
            Some(_) => {
                if read_only(sys, &path) {
                    io.err_line(&format!("rm: {verb} remove '{target}': Read-only file system"));
                    status = 1;
                    continue;
                }
                if !sys.can_write(parent(&path)) {
                    io.err_line(&format!("rm: {verb} remove '{target}': Permission denied"));
                    status = 1;
                    continue;
                }
                sys.fs.remove_all(&path);
            }
        }
    }
    status
}

/// `cp` and `mv`.
fn cp(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool, moving: bool) -> i32 {
    let name = if moving { "mv" } else { "cp" };
    let parsed = match flags(args, "t", &[("recursive", 'r'), ("force", 'f'), ("archive", 'a'), ("verbose", 'v'), ("no-clobber", 'n'), ("preserve", 'p'), ("target-directory", 't')]) {
        Ok(p) => p,
        Err(e) => return usage(io, name, &e),
    };
    let recursive = moving || parsed.has('r') || parsed.has('R') || parsed.has('a');
    let mut operands = parsed.operands.clone();
    let dest = match parsed.value('t') {
        Some(t) => t.to_string(),
        None => match operands.pop() {
            Some(d) if !operands.is_empty() => d,
            Some(d) => {
                return usage(io, name, &format!("missing destination file operand after '{d}'"));
            }
            None => return usage(io, name, "missing file operand"),
        },
    };
    let dest_path = sys.abs(&dest);
    let dest_is_dir = sys.fs.is_dir(&sys.real_path(&dest_path));
    if operands.len() > 1 && !dest_is_dir {
        io.err_line(&format!("{name}: target '{dest}' is not a directory"));
        return 1;
    }
    let verb = if gnu { "cannot" } else { "can't" };
    let mut status = 0;
    for source in &operands {
        let src = sys.abs(source);
        let Some(node) = sys.fs.get(&src).cloned() else {
            io.err_line(&if gnu { format!("{name}: cannot stat '{source}': No such file or directory") } else { format!("{name}: can't stat '{source}': No such file or directory") });
            status = 1;
            continue;
        };
        if node.is_dir() && !recursive {
            io.err_line(&if gnu { format!("cp: -r not specified; omitting directory '{source}'") } else { format!("cp: omitting directory '{source}'") });
            status = 1;
            continue;
        }
        let target = if dest_is_dir { format!("{}/{}", sys.real_path(&dest_path).trim_end_matches('/'), file_name(&src)) } else { dest_path.clone() };
        let target = crate::fs::normalize(&target, "/");
        if is_within(&target, &src) && target != src {
            io.err_line(&format!("{name}: {verb} copy a directory, '{source}', into itself, '{dest}'"));
            status = 1;
            continue;
        }
        if !sys.fs.is_dir(parent(&target)) {
            io.err_line(&format!("{name}: {verb} create regular file '{dest}': No such file or directory"));
            status = 1;
            continue;
        }
        if read_only(sys, &target) || (moving && read_only(sys, &src)) {
            io.err_line(&match (moving, gnu) {
                (true, true) => format!("mv: cannot move '{source}' to '{dest}': Read-only file system"),
                (true, false) => format!("mv: can't rename '{source}': Read-only file system"),
                (false, true) => format!("cp: cannot create regular file '{dest}': Read-only file system"),
                (false, false) => format!("cp: can't create '{dest}': Read-only file system"),
            });
            status = 1;
            continue;
        }
        if !sys.can_write(parent(&target)) {
            io.err_line(&format!("{name}: {verb} create regular file '{dest}': Permission denied"));
            status = 1;
            continue;
        }
        let preserve = moving || parsed.has('a') || parsed.has('p');
        let owner = sys.new_file_meta();
        let adjust = |mut node: Node| {
            if !preserve {
                let meta = node.meta_mut();
                meta.uid = owner.uid;
                meta.gid = owner.gid;
            }
            node
        };
        let descendants: Vec<(String, Node)> = sys.fs.descendants(&src).map(|(p, n)| (p.clone(), n.clone())).collect();
        if target != src {
            sys.fs.remove_all(&target);
        }
        sys.fs.insert(&target, adjust(node));
        for (path, child) in descendants {
            let relative = path.get(src.len()..).unwrap_or_default();
            sys.fs.insert(&format!("{target}{relative}"), adjust(child));
        }
        if moving && target != src {
            sys.fs.remove_all(&src);
        }
    }
    status
}

fn ln(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let parsed = match flags(args, "", &[("symbolic", 's'), ("force", 'f'), ("no-dereference", 'n'), ("verbose", 'v')]) {
        Ok(p) => p,
        Err(e) => return usage(io, "ln", &e),
    };
    let (target, link) = match parsed.operands.as_slice() {
        [target] => (target.clone(), file_name(target).to_string()),
        [target, link] => (target.clone(), link.clone()),
        _ => return usage(io, "ln", "missing file operand"),
    };
    let mut link_path = sys.abs(&link);
    if sys.fs.is_dir(&link_path) && !parsed.has('n') {
        link_path = crate::fs::normalize(file_name(&target), &link_path);
    }
    let verb = if gnu { "failed to create symbolic link" } else { "can't create" };
    if sys.fs.exists(&link_path) {
        if !parsed.has('f') {
            io.err_line(&format!("ln: {verb} '{link}': File exists"));
            return 1;
        }
        sys.fs.remove_all(&link_path);
    }
    if !sys.fs.is_dir(parent(&link_path)) {
        io.err_line(&format!("ln: {verb} '{link}': No such file or directory"));
        return 1;
    }
    if read_only(sys, &link_path) {
        io.err_line(&if gnu { format!("ln: {verb} '{link}': Read-only file system") } else { format!("ln: {link}: Read-only file system") });
        return 1;
    }
    if parsed.has('s') {
        sys.symlink(&link_path, &target);
    } else {
        let source = sys.abs(&target);
        match sys.fs.get(&source).cloned() {
            Some(node) if !node.is_dir() => sys.fs.insert(&link_path, node),
            Some(_) => {
                io.err_line(&format!("ln: {target}: hard link not allowed for directory"));
                return 1;
            }
            None => {
                io.err_line(&format!("ln: failed to access '{target}': No such file or directory"));
                return 1;
            }
        }
    }
    0
}

fn touch(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let mut status = 0;
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        let path = sys.abs(file);
        let verb = if gnu { format!("touch: cannot touch '{file}'") } else { format!("touch: {file}") };
        if sys.fs.exists(&path) {
            // Touching an existing file updates its times: a write all the same.
            if read_only(sys, &path) {
                io.err_line(&format!("{verb}: Read-only file system"));
                status = 1;
            }
            continue;
        }
        if !sys.fs.is_dir(&sys.real_path(parent(&path))) {
            io.err_line(&format!("{verb}: No such file or directory"));
            status = 1;
        } else if read_only(sys, &path) {
            io.err_line(&format!("{verb}: Read-only file system"));
            status = 1;
        } else if !sys.can_write(parent(&path)) {
            io.err_line(&format!("{verb}: Permission denied"));
            status = 1;
        } else {
            sys.write_text(&path, "");
        }
    }
    status
}

/// Applies a `chmod` mode (octal or `u+x,go-w` style) to `mode`.
fn apply_mode(spec: &str, mode: u32, is_dir: bool) -> Option<u32> {
    if let Ok(octal) = u32::from_str_radix(spec, 8) {
        return (octal <= 0o7777).then_some(octal);
    }
    let mut mode = mode;
    for clause in spec.split(',') {
        let op_at = clause.find(['+', '-', '='])?;
        let (who, rest) = clause.split_at(op_at);
        let mut chars = rest.chars();
        let op = chars.next()?;
        let perms: String = chars.collect();
        let who = if who.is_empty() { "a" } else { who };
        let mut mask = 0u32;
        for w in who.chars() {
            mask |= match w {
                'u' => 0o4700,
                'g' => 0o2070,
                'o' => 0o1007,
                'a' => 0o7777,
                _ => return None,
            };
        }
        let mut bits = 0u32;
        for p in perms.chars() {
            bits |= match p {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                'X' if is_dir || mode & 0o111 != 0 => 0o111,
                'X' => 0,
                's' => 0o6000,
                't' => 0o1000,
                _ => return None,
            };
        }
        let bits = bits & mask;
        mode = match op {
            '+' => mode | bits,
            '-' => mode & !bits,
            _ => (mode & !(mask & 0o777)) | bits,
        };
    }
    Some(mode)
}

fn chmod(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let recursive = args.iter().any(|a| a == "-R" || a == "--recursive");
    let operands: Vec<&String> = args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1 && a.chars().skip(1).all(|c| matches!(c, 'R' | 'v' | 'f' | 'c'))) && *a != "--recursive").collect();
    let Some((spec, files)) = operands.split_first() else {
        return usage(io, "chmod", "missing operand");
    };
    if files.is_empty() {
        return usage(io, "chmod", &format!("missing operand after '{spec}'"));
    }
    let mut status = 0;
    for file in files {
        let path = sys.real_path(&sys.abs(file));
        if !sys.fs.exists(&path) {
            io.err_line(&if gnu { format!("chmod: cannot access '{file}': No such file or directory") } else { format!("chmod: {file}: No such file or directory") });
            status = 1;
            continue;
        }
        let mut paths = vec![path.clone()];
        if recursive {
            paths.extend(sys.fs.descendants(&path).map(|(p, _)| p.clone()));
        }
        let fowner_missing = sys.uid == 0 && super::inside::lacks_capability(sys, "FOWNER");
        for p in paths {
            let uid = sys.uid;
            let read_only_here = read_only(sys, &p);
            let Some(node) = sys.fs.get_mut(&p) else { continue };
            if matches!(node, Node::Symlink { .. }) {
                continue;
            }
            if (uid != 0 || fowner_missing) && node.meta().uid != uid {
                io.err_line(&format!("chmod: changing permissions of '{file}': Operation not permitted"));
                status = 1;
                break;
            }
            if read_only_here {
                io.err_line(&if gnu { format!("chmod: changing permissions of '{file}': Read-only file system") } else { format!("chmod: {file}: Read-only file system") });
                status = 1;
                break;
            }
            let is_dir = node.is_dir();
            match apply_mode(spec, node.meta().mode, is_dir) {
                Some(mode) => node.meta_mut().mode = mode,
                None => {
                    io.err_line(&format!("chmod: invalid mode: '{spec}'"));
                    return 1;
                }
            }
        }
    }
    status
}

fn chown(sys: &mut Sys, io: &mut Io, name: &str, args: &[String], gnu: bool) -> i32 {
    let recursive = args.iter().any(|a| a == "-R" || a == "--recursive");
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some((spec, files)) = operands.split_first() else {
        return usage(io, name, "missing operand");
    };
    if files.is_empty() {
        return usage(io, name, &format!("missing operand after '{spec}'"));
    }
    let spec = if name == "chgrp" { format!(":{spec}") } else { spec.to_string() };
    let (user, group) = match spec.split_once([':', '.']) {
        Some((u, g)) => (u.to_string(), Some(g.to_string())),
        None => (spec.clone(), None),
    };
    let uid = if user.is_empty() {
        None
    } else {
        match user.parse::<u32>().ok().or_else(|| users::uid_of_name(sys, &user)) {
            Some(uid) => Some(uid),
            None => {
                io.err_line(&if gnu { format!("{name}: invalid user: '{spec}'") } else { format!("{name}: unknown user {user}") });
                return 1;
            }
        }
    };
    let gid = match group.as_deref() {
        None => None,
        // `chown user:` means the user's login group.
        Some("") => uid.and_then(|u| users::primary_gid(sys, u)),
        Some(g) => match g.parse::<u32>().ok().or_else(|| users::gid_of_name(sys, g)) {
            Some(gid) => Some(gid),
            None => {
                io.err_line(&if gnu { format!("{name}: invalid group: '{spec}'") } else { format!("{name}: unknown group {g}") });
                return 1;
            }
        },
    };
    let mut status = 0;
    for file in files {
        let path = sys.abs(file);
        if !sys.fs.exists(&path) {
            io.err_line(&if gnu { format!("{name}: cannot access '{file}': No such file or directory") } else { format!("{name}: {file}: No such file or directory") });
            status = 1;
            continue;
        }
        let changes = sys.fs.get(&path).map(Node::meta).is_some_and(|m| uid.is_some_and(|u| u != m.uid) || gid.is_some_and(|g| g != m.gid));
        if sys.uid != 0 || (changes && super::inside::lacks_capability(sys, "CHOWN")) {
            io.err_line(&if gnu { format!("{name}: changing ownership of '{file}': Operation not permitted") } else { format!("{name}: {file}: Operation not permitted") });
            status = 1;
            continue;
        }
        if read_only(sys, &path) {
            io.err_line(&if gnu { format!("{name}: changing ownership of '{file}': Read-only file system") } else { format!("{name}: {file}: Read-only file system") });
            status = 1;
            continue;
        }
        let mut paths = vec![path.clone()];
        if recursive {
            paths.extend(sys.fs.descendants(&path).map(|(p, _)| p.clone()));
        }
        for p in paths {
            if let Some(node) = sys.fs.get_mut(&p) {
                let meta = node.meta_mut();
                if let Some(uid) = uid {
                    meta.uid = uid;
                }
                if let Some(gid) = gid {
                    meta.gid = gid;
                }
            }
        }
    }
    status
}

fn env(sys: &mut Sys, io: &mut Io, name: &str, args: &[String]) -> i32 {
    if name == "printenv" {
        if args.is_empty() {
            for (k, v) in sys.env.clone() {
                io.out_line(&format!("{k}={v}"));
            }
            return 0;
        }
        let mut status = 0;
        for var in args {
            match sys.env_var(var).map(str::to_string) {
                Some(v) => io.out_line(&v),
                None => status = 1,
            }
        }
        return status;
    }
    let mut rest = args;
    let mut clear = false;
    while let Some((first, tail)) = rest.split_first() {
        if first == "-i" || first == "-" {
            clear = true;
            rest = tail;
        } else if first == "-u" {
            if let Some((var, t)) = tail.split_first() {
                sys.env.remove(var);
                rest = t;
            } else {
                rest = tail;
            }
        } else {
            break;
        }
    }
    if clear {
        sys.env.clear();
    }
    while let Some((first, tail)) = rest.split_first() {
        match first.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                sys.env.insert(k.to_string(), v.to_string());
                rest = tail;
            }
            _ => break,
        }
    }
    if rest.is_empty() {
        for (k, v) in sys.env.clone() {
            io.out_line(&format!("{k}={v}"));
        }
        return 0;
    }
    let command = rest.first().cloned().unwrap_or_default();
    match sys.resolve(&command) {
        Some(path) => super::run_program(sys, io, &path, rest),
        None => {
            io.err_line(&format!("env: '{command}': No such file or directory"));
            127
        }
    }
}

fn id(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let (uid, gid) = (sys.uid, sys.gid);
    let user = users::name_of_uid(sys, uid);
    let group = users::name_of_gid(sys, gid);
    let named = args.iter().any(|a| a.contains('n'));
    if args.iter().any(|a| a.starts_with('-') && a.contains('u')) {
        io.out_line(&if named { user.unwrap_or_else(|| uid.to_string()) } else { uid.to_string() });
        return 0;
    }
    if args.iter().any(|a| a.starts_with('-') && (a.contains('g') || a.contains('G'))) {
        io.out_line(&if named { group.unwrap_or_else(|| gid.to_string()) } else { gid.to_string() });
        return 0;
    }
    let show = |id: u32, name: Option<String>| match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    };
    let mut groups = vec![show(gid, group.clone())];
    if let Some(name) = &user {
        let text = sys.read("/etc/group").unwrap_or_default();
        for entry in users::parse_group(&text) {
            if entry.gid != gid && entry.members.iter().any(|m| m == name) {
                groups.push(show(entry.gid, Some(entry.name.clone())));
            }
        }
    }
    io.out_line(&format!("uid={} gid={} groups={}", show(uid, user), show(gid, group), groups.join(",")));
    0
}

fn head_tail(sys: &mut Sys, io: &mut Io, name: &str, args: &[String], _gnu: bool) -> i32 {
    let Some((parsed, text)) = read_inputs(sys, io, name, args, "nc", &[("lines", 'n'), ("bytes", 'c'), ("follow", 'f')]) else { return 1 };
    let spec = parsed.value('n').unwrap_or("10");
    let from_start = spec.starts_with('+');
    let count: usize = spec.trim_start_matches(['+', '-']).parse().unwrap_or(10);
    let lines: Vec<&str> = text.lines().collect();
    let picked: Vec<&str> = if name == "head" {
        lines.iter().take(count).copied().collect()
    } else if from_start {
        lines.iter().skip(count.saturating_sub(1)).copied().collect()
    } else {
        lines.iter().skip(lines.len().saturating_sub(count)).copied().collect()
    };
    for line in picked {
        io.out_line(line);
    }
    0
}

fn grep(sys: &mut Sys, io: &mut Io, name: &str, args: &[String], _gnu: bool) -> i32 {
    let parsed = match flags(args, "em", &[("ignore-case", 'i'), ("invert-match", 'v'), ("count", 'c'), ("quiet", 'q'), ("silent", 'q'), ("line-number", 'n'), ("extended-regexp", 'E'), ("fixed-strings", 'F'), ("files-with-matches", 'l'), ("recursive", 'r'), ("regexp", 'e'), ("word-regexp", 'w'), ("only-matching", 'o')]) {
        Ok(p) => p,
        Err(e) => return usage(io, "grep", &e),
    };
    let mut operands = parsed.operands.clone();
    let pattern = match parsed.value('e') {
        Some(p) => p.to_string(),
        None => {
            if operands.is_empty() {
                io.err_line("Usage: grep [OPTION]... PATTERNS [FILE]...");
                return 2;
            }
            operands.remove(0)
        }
    };
    let extended = parsed.has('E') || name == "egrep";
    let fixed = parsed.has('F') || name == "fgrep";
    let ignore = parsed.has('i');
    let regex = if fixed { Regex::literal(&pattern) } else { Regex::new(&pattern, extended) };
    let mut inputs: Vec<(String, String)> = Vec::new();
    let mut status_error = false;
    if operands.is_empty() {
        inputs.push(("(standard input)".into(), std::mem::take(&mut io.stdin)));
    } else {
        for file in &operands {
            let path = sys.abs(file);
            if sys.fs.is_dir(&path) {
                if parsed.has('r') || parsed.has('R') {
                    let found: Vec<(String, String)> = sys
                        .fs
                        .descendants(&path)
                        .filter_map(|(p, n)| match n {
                            Node::File { content: Content::Text(t), .. } => Some((p.clone(), t.clone())),
                            _ => None,
                        })
                        .collect();
                    inputs.extend(found);
                } else {
                    io.err_line(&format!("grep: {file}: Is a directory"));
                }
                continue;
            }
            match read_file(sys, &path) {
                Some(text) => inputs.push((file.clone(), text)),
                None => {
                    if !parsed.has('s') {
                        io.err_line(&format!("grep: {file}: No such file or directory"));
                    }
                    status_error = true;
                }
            }
        }
    }
    let many = inputs.len() > 1;
    let mut matched_any = false;
    for (label, text) in &inputs {
        let mut count = 0;
        for (number, line) in text.lines().enumerate() {
            let hay = if ignore { line.to_lowercase() } else { line.to_string() };
            let found = if ignore { Regex::new(&pattern.to_lowercase(), extended).is_match(&hay) && !fixed || fixed && hay.contains(&pattern.to_lowercase()) } else { regex.is_match(&hay) };
            if found == parsed.has('v') {
                continue;
            }
            count += 1;
            matched_any = true;
            if parsed.has('q') || parsed.has('c') || parsed.has('l') {
                continue;
            }
            let mut shown = String::new();
            if many {
                shown.push_str(label);
                shown.push(':');
            }
            if parsed.has('n') {
                shown.push_str(&format!("{}:", number + 1));
            }
            shown.push_str(line);
            io.out_line(&shown);
        }
        if parsed.has('c') {
            io.out_line(&if many { format!("{label}:{count}") } else { count.to_string() });
        }
        if parsed.has('l') && count > 0 {
            io.out_line(label);
        }
    }
    if status_error && !matched_any {
        2
    } else {
        i32::from(!matched_any)
    }
}

/// A small regular-expression engine: literals, `.`, `[…]`, `^`, `$`, `*` (and `+ ?` in
/// extended mode, `\+ \?` in basic), top-level alternation. Enough for grep and `sed s///`.
#[derive(Debug, Clone)]
pub struct Regex {
    alternatives: Vec<Vec<(Atom, Repeat)>>,
    anchored_start: Vec<bool>,
    anchored_end: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Repeat {
    One,
    Star,
    Plus,
    Optional,
}

impl Regex {
    pub fn literal(text: &str) -> Regex {
        Regex { alternatives: vec![text.chars().map(|c| (Atom::Char(c), Repeat::One)).collect()], anchored_start: vec![false], anchored_end: vec![false] }
    }

    pub fn new(pattern: &str, extended: bool) -> Regex {
        let mut alternatives = Vec::new();
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        let branches: Vec<String> = split_alternatives(pattern, extended);
        for branch in branches {
            let chars: Vec<char> = branch.chars().collect();
            let mut atoms: Vec<(Atom, Repeat)> = Vec::new();
            let mut i = 0;
            let mut start = false;
            let mut end = false;
            while let Some(&c) = chars.get(i) {
                i += 1;
                let atom = match c {
                    '^' if atoms.is_empty() && !start => {
                        start = true;
                        continue;
                    }
                    '$' if i == chars.len() => {
                        end = true;
                        continue;
                    }
                    '.' => Atom::Any,
                    '*' if !atoms.is_empty() => {
                        if let Some(last) = atoms.last_mut() {
                            last.1 = Repeat::Star;
                        }
                        continue;
                    }
                    '+' if extended && !atoms.is_empty() => {
                        if let Some(last) = atoms.last_mut() {
                            last.1 = Repeat::Plus;
                        }
                        continue;
                    }
                    '?' if extended && !atoms.is_empty() => {
                        if let Some(last) = atoms.last_mut() {
                            last.1 = Repeat::Optional;
                        }
                        continue;
                    }
                    '(' | ')' if extended => continue,
                    '\\' => {
                        let Some(&n) = chars.get(i) else { break };
                        i += 1;
                        match n {
                            '+' | '?' if !extended && !atoms.is_empty() => {
                                if let Some(last) = atoms.last_mut() {
                                    last.1 = if n == '+' { Repeat::Plus } else { Repeat::Optional };
                                }
                                continue;
                            }
                            '(' | ')' if !extended => continue,
                            'd' => Atom::Class(vec![('0', '9')], false),
                            's' => Atom::Class(vec![(' ', ' '), ('\t', '\t')], false),
                            'w' => Atom::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], false),
                            other => Atom::Char(other),
                        }
                    }
                    '[' => {
                        let mut negate = false;
                        if chars.get(i) == Some(&'^') {
                            negate = true;
                            i += 1;
                        }
                        let mut ranges = Vec::new();
                        let mut first = true;
                        while let Some(&c) = chars.get(i) {
                            if c == ']' && !first {
                                i += 1;
                                break;
                            }
                            first = false;
                            if c == '[' && chars.get(i + 1) == Some(&':') {
                                let rest: String = chars.get(i..).unwrap_or_default().iter().collect();
                                if let Some(close) = rest.find(":]") {
                                    let class = rest.get(2..close).unwrap_or_default();
                                    ranges.extend(match class {
                                        "digit" => vec![('0', '9')],
                                        "alpha" => vec![('a', 'z'), ('A', 'Z')],
                                        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
                                        "upper" => vec![('A', 'Z')],
                                        "lower" => vec![('a', 'z')],
                                        "space" => vec![(' ', ' '), ('\t', '\t'), ('\n', '\n')],
                                        _ => vec![],
                                    });
                                    i += rest.get(..close + 2).map(|s| s.chars().count()).unwrap_or(1);
                                    continue;
                                }
                            }
                            if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|c| *c != ']') {
                                let high = chars.get(i + 2).copied().unwrap_or(c);
                                ranges.push((c, high));
                                i += 3;
                            } else {
                                ranges.push((c, c));
                                i += 1;
                            }
                        }
                        Atom::Class(ranges, negate)
                    }
                    other => Atom::Char(other),
                };
                atoms.push((atom, Repeat::One));
            }
            alternatives.push(atoms);
            starts.push(start);
            ends.push(end);
        }
        Regex { alternatives, anchored_start: starts, anchored_end: ends }
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.find(text).is_some()
    }

    /// The first (leftmost, longest-ish) match as a char range.
    pub fn find(&self, text: &str) -> Option<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        self.find_at(&chars, 0)
    }

    pub fn find_at(&self, chars: &[char], from: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (index, atoms) in self.alternatives.iter().enumerate() {
            let anchored = self.anchored_start.get(index).copied().unwrap_or(false);
            let end_anchor = self.anchored_end.get(index).copied().unwrap_or(false);
            for start in from..=chars.len() {
                if anchored && start != 0 {
                    break;
                }
                let mut budget = 100_000u32;
                if let Some(end) = match_here(atoms, chars, start, end_anchor, &mut budget) {
                    if best.is_none_or(|(s, _)| start < s) {
                        best = Some((start, end));
                    }
                    break;
                }
            }
        }
        best
    }
}

fn split_alternatives(pattern: &str, extended: bool) -> Vec<String> {
    let mut branches = vec![String::new()];
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        if c == '[' {
            in_class = true;
        } else if c == ']' {
            in_class = false;
        }
        if !in_class && extended && c == '|' {
            branches.push(String::new());
            continue;
        }
        if !in_class && !extended && c == '\\' && chars.peek() == Some(&'|') {
            chars.next();
            branches.push(String::new());
            continue;
        }
        if let Some(last) = branches.last_mut() {
            last.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    last.push(n);
                }
            }
        }
    }
    branches
}

fn atom_matches(atom: &Atom, c: char) -> bool {
    match atom {
        Atom::Char(x) => *x == c,
        Atom::Any => true,
        Atom::Class(ranges, negate) => ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negate,
    }
}

fn match_here(atoms: &[(Atom, Repeat)], chars: &[char], pos: usize, end_anchor: bool, budget: &mut u32) -> Option<usize> {
    *budget = budget.checked_sub(1)?;
    let Some(((atom, repeat), rest)) = atoms.split_first() else {
        return if !end_anchor || pos == chars.len() { Some(pos) } else { None };
    };
    match repeat {
        Repeat::One => {
            let c = chars.get(pos)?;
            if atom_matches(atom, *c) {
                match_here(rest, chars, pos + 1, end_anchor, budget)
            } else {
                None
            }
        }
        Repeat::Optional => {
            if chars.get(pos).is_some_and(|c| atom_matches(atom, *c)) {
                if let Some(end) = match_here(rest, chars, pos + 1, end_anchor, budget) {
                    return Some(end);
                }
            }
            match_here(rest, chars, pos, end_anchor, budget)
        }
        Repeat::Star | Repeat::Plus => {
            let mut count = 0;
            while chars.get(pos + count).is_some_and(|c| atom_matches(atom, *c)) {
                count += 1;
            }
            let min = usize::from(*repeat == Repeat::Plus);
            loop {
                if count < min {
                    return None;
                }
                if let Some(end) = match_here(rest, chars, pos + count, end_anchor, budget) {
                    return Some(end);
                }
                if count == 0 {
                    return None;
                }
                count -= 1;
            }
        }
    }
}

/// `sed [-i] [-n] [-e] 's/re/rep/g'` and `'/re/d'` over files or stdin.
fn sed(sys: &mut Sys, io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let mut scripts = Vec::new();
    let mut files = Vec::new();
    let mut in_place = false;
    let mut quiet = false;
    let mut extended = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-e" | "--expression" => scripts.extend(iter.next().cloned()),
            "-n" | "--quiet" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            a if a.starts_with("-i") || a.starts_with("--in-place") => in_place = true,
            a if a.starts_with('-') && a.len() > 1 => {}
            a => {
                if scripts.is_empty() {
                    scripts.push(a.to_string());
                } else {
                    files.push(a.to_string());
                }
            }
        }
    }
    let mut commands = Vec::new();
    for script in &scripts {
        for part in script.split(['\n', ';']).filter(|p| !p.trim().is_empty()) {
            match SedCommand::parse(part.trim(), extended) {
                Some(command) => commands.push(command),
                None => {
                    io.err_line(&format!("sed: -e expression #1, char {}: unknown command: `{}'", part.len(), part.chars().next().unwrap_or(' ')));
                    return 1;
                }
            }
        }
    }
    let run = |text: &str| -> String {
        let mut out = String::new();
        for line in text.lines() {
            let mut line = line.to_string();
            let mut deleted = false;
            let mut printed = false;
            for command in &commands {
                match command {
                    SedCommand::Substitute { regex, replacement, global, print } => {
                        let (new, changed) = substitute(regex, &line, replacement, *global);
                        line = new;
                        if changed && *print {
                            printed = true;
                        }
                    }
                    SedCommand::Delete(regex) => {
                        if regex.is_match(&line) {
                            deleted = true;
                            break;
                        }
                    }
                }
            }
            if deleted {
                continue;
            }
            if !quiet || printed {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    };
    if files.is_empty() {
        let input = std::mem::take(&mut io.stdin);
        let output = run(&input);
        push_capped(&mut io.out, &output);
        return 0;
    }
    let mut status = 0;
    for file in &files {
        let path = sys.abs(file);
        match read_file(sys, &path) {
            Some(text) => {
                let output = run(&text);
                if in_place && read_only(sys, &path) {
                    let dir = parent(&path);
                    io.err_line(&if gnu { format!("sed: couldn't open temporary file {}/sedAbC123: Read-only file system", dir.trim_end_matches('/')) } else { format!("sed: can't create temp file '{file}.XXXXXX': Read-only file system") });
                    return 4;
                }
                if in_place {
                    sys.write_text(&path, &output);
                } else {
                    push_capped(&mut io.out, &output);
                }
            }
            None => {
                io.err_line(&format!("sed: can't read {file}: No such file or directory"));
                status = 2;
            }
        }
    }
    status
}

enum SedCommand {
    Substitute { regex: Regex, replacement: String, global: bool, print: bool },
    Delete(Regex),
}

impl SedCommand {
    fn parse(text: &str, extended: bool) -> Option<SedCommand> {
        if let Some(rest) = text.strip_prefix('s') {
            let delimiter = rest.chars().next()?;
            let parts = split_unescaped(rest.get(delimiter.len_utf8()..)?, delimiter);
            let pattern = parts.first()?.clone();
            let replacement = parts.get(1)?.clone();
            let flags = parts.get(2).cloned().unwrap_or_default();
            return Some(SedCommand::Substitute { regex: Regex::new(&pattern, extended), replacement, global: flags.contains('g'), print: flags.contains('p') });
        }
        if let Some(rest) = text.strip_prefix('/') {
            let end = rest.rfind('/')?;
            if rest.get(end + 1..)?.trim() == "d" {
                return Some(SedCommand::Delete(Regex::new(rest.get(..end)?, extended)));
            }
        }
        None
    }
}

fn split_unescaped(text: &str, delimiter: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n) if n == delimiter => parts.last_mut().map(|p| p.push(n)).unwrap_or(()),
                Some(n) => {
                    if let Some(p) = parts.last_mut() {
                        p.push('\\');
                        p.push(n);
                    }
                }
                None => {}
            }
        } else if c == delimiter {
            parts.push(String::new());
        } else if let Some(p) = parts.last_mut() {
            p.push(c);
        }
    }
    parts
}

fn substitute(regex: &Regex, line: &str, replacement: &str, global: bool) -> (String, bool) {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    let mut changed = false;
    let mut rounds = 0;
    while pos <= chars.len() && rounds < 10_000 {
        rounds += 1;
        let Some((start, end)) = regex.find_at(&chars, pos) else { break };
        out.extend(chars.get(pos..start).unwrap_or_default());
        let matched: String = chars.get(start..end).unwrap_or_default().iter().collect();
        let mut rep = replacement.chars().peekable();
        while let Some(c) = rep.next() {
            match c {
                '&' => out.push_str(&matched),
                '\\' => match rep.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(n) if n.is_ascii_digit() => out.push_str(&matched),
                    Some(n) => out.push(n),
                    None => {}
                },
                other => out.push(other),
            }
        }
        changed = true;
        if end == start {
            if let Some(c) = chars.get(start) {
                out.push(*c);
            }
            pos = start + 1;
        } else {
            pos = end;
        }
        if !global {
            break;
        }
    }
    out.extend(chars.get(pos.min(chars.len())..).unwrap_or_default());
    (out, changed)
}

fn wc(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let Some((parsed, text)) = read_inputs(sys, io, "wc", args, "", &[("lines", 'l'), ("words", 'w'), ("bytes", 'c'), ("chars", 'm')]) else { return 1 };
    let lines = text.matches('\n').count();
    let words = text.split_whitespace().count();
    let bytes = text.len();
    let name = parsed.operands.first().cloned().unwrap_or_default();
    let mut parts = Vec::new();
    let any = parsed.has('l') || parsed.has('w') || parsed.has('c') || parsed.has('m');
    if parsed.has('l') || !any {
        parts.push(lines.to_string());
    }
    if parsed.has('w') || !any {
        parts.push(words.to_string());
    }
    if parsed.has('c') || parsed.has('m') || !any {
        parts.push(bytes.to_string());
    }
    let mut line = if parts.len() == 1 { parts.join(" ") } else { parts.iter().map(|p| format!("{p:>7}")).collect::<Vec<_>>().join(" ") };
    if !name.is_empty() {
        line.push(' ');
        line.push_str(&name);
    }
    io.out_line(line.trim_start_matches(' ').to_string().as_str());
    0
}

fn parse_duration(text: &str) -> Option<u64> {
    if text == "infinity" {
        return Some(365 * 24 * 3_600_000);
    }
    let (number, unit) = match text.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (text.get(..i)?, text.get(i..)?),
        None => (text, "s"),
    };
    let value: f64 = number.parse().ok()?;
    if !(0.0..1e9).contains(&value) {
        return None;
    }
    let factor = match unit {
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    Some((value * factor) as u64)
}

pub fn hostname(sys: &Sys) -> String {
    // In a container the kernel's UTS name, whatever $HOSTNAME says.
    if let Some(ctx) = &sys.container {
        return ctx.hostname.clone();
    }
    if let Some(name) = sys.env_var("HOSTNAME") {
        return name.to_string();
    }
    match sys.read("/etc/hostname") {
        Some(text) if !text.trim().is_empty() => text.trim().to_string(),
        // BuildKit runs RUN steps under this hostname.
        _ => "buildkitsandbox".to_string(),
    }
}

fn date(sys: &Sys, args: &[String]) -> String {
    let start = sys.container.as_ref().map_or(crate::clock::SESSION_START.0, |ctx| ctx.now);
    let now_ms = start + sys.elapsed;
    let secs = now_ms / 1000;
    let days = secs / 86_400;
    let (year, month, day) = crate::clock::civil_from_days(days as i64);
    let (h, m, s) = ((secs % 86_400) / 3600, (secs % 3600) / 60, secs % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"].get((days % 7) as usize).copied().unwrap_or("Mon");
    let month_name = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].get((month - 1) as usize).copied().unwrap_or("Jan");
    if let Some(format) = args.iter().find_map(|a| a.strip_prefix('+')) {
        let mut out = String::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('Y') => out.push_str(&year.to_string()),
                Some('m') => out.push_str(&format!("{month:02}")),
                Some('d') => out.push_str(&format!("{day:02}")),
                Some('H') => out.push_str(&format!("{h:02}")),
                Some('M') => out.push_str(&format!("{m:02}")),
                Some('S') => out.push_str(&format!("{s:02}")),
                Some('s') => out.push_str(&secs.to_string()),
                Some('F') => out.push_str(&format!("{year}-{month:02}-{day:02}")),
                Some('T') => out.push_str(&format!("{h:02}:{m:02}:{s:02}")),
                Some('%') => out.push('%'),
                Some(other) => {
                    out.push('%');
                    out.push(other);
                }
                None => out.push('%'),
            }
        }
        return out;
    }
    format!("{weekday} {month_name} {day:>2} {h:02}:{m:02}:{s:02} UTC {year}")
}

fn expand_set(text: &str) -> Vec<char> {
    let named = match text {
        "[:upper:]" => Some(('A'..='Z').collect()),
        "[:lower:]" => Some(('a'..='z').collect()),
        "[:digit:]" => Some(('0'..='9').collect()),
        "[:space:]" => Some(vec![' ', '\t', '\n', '\r']),
        _ => None,
    };
    if let Some(set) = named {
        return set;
    }
    let (unescaped, _) = unescape(text);
    let chars: Vec<char> = unescaped.chars().collect();
    let mut set = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if chars.get(i + 1) == Some(&'-') {
            if let Some(&high) = chars.get(i + 2) {
                let mut x = c;
                while x <= high && set.len() < 10_000 {
                    set.push(x);
                    x = match char::from_u32(x as u32 + 1) {
                        Some(n) => n,
                        None => break,
                    };
                }
                i += 3;
                continue;
            }
        }
        set.push(c);
        i += 1;
    }
    set
}

fn du(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let human = args.iter().any(|a| a.starts_with('-') && a.contains('h'));
    let targets: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
    let targets = if targets.is_empty() { vec![".".to_string()] } else { targets };
    let mut status = 0;
    for target in &targets {
        let path = sys.abs(target);
        if !sys.fs.exists(&path) {
            io.err_line(&format!("du: cannot access '{target}': No such file or directory"));
            status = 1;
            continue;
        }
        let own = sys.fs.get(&path).map(Node::size).unwrap_or(0);
        let total: u64 = own + sys.fs.descendants(&path).map(|(_, n)| n.size().div_ceil(4096) * 4096).sum::<u64>();
        let shown = if human { human_size(total) } else { total.div_ceil(1024).to_string() };
        io.out_line(&format!("{shown}\t{target}"));
    }
    status
}

fn find(sys: &mut Sys, io: &mut Io, args: &[String], _gnu: bool) -> i32 {
    let mut roots = Vec::new();
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.peek() {
        if arg.starts_with('-') || *arg == "!" || *arg == "(" {
            break;
        }
        roots.push(arg.to_string());
        iter.next();
    }
    let mut name_pattern: Option<String> = None;
    let mut kind: Option<String> = None;
    let mut max_depth: Option<usize> = None;
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-name" | "-iname" => name_pattern = iter.next().cloned(),
            "-type" => kind = iter.next().cloned(),
            "-maxdepth" => max_depth = iter.next().and_then(|d| d.parse().ok()),
            _ => {}
        }
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let pattern: Option<Vec<super::sh::Piece>> = name_pattern.map(|p| p.chars().map(|c| super::sh::Piece { c, quoted: false, split: false, boundary: false }).collect());
    let mut status = 0;
    for root in &roots {
        let path = sys.abs(root);
        if !sys.fs.exists(&path) {
            io.err_line(&format!("find: '{root}': No such file or directory"));
            status = 1;
            continue;
        }
        let mut entries: Vec<(String, Node)> = vec![(path.clone(), sys.fs.get(&path).cloned().unwrap_or(Node::Dir { meta: Meta::DIR }))];
        entries.extend(sys.fs.descendants(&path).map(|(p, n)| (p.clone(), n.clone())));
        for (entry, node) in entries {
            let relative = entry.get(path.len()..).unwrap_or_default();
            let depth = relative.matches('/').count();
            if max_depth.is_some_and(|d| depth > d) {
                continue;
            }
            if let Some(kind) = &kind {
                let ok = match kind.as_str() {
                    "f" => matches!(node, Node::File { .. }),
                    "d" => node.is_dir(),
                    "l" => matches!(node, Node::Symlink { .. }),
                    _ => true,
                };
                if !ok {
                    continue;
                }
            }
            if let Some(pattern) = &pattern {
                if !super::sh::pattern_match(pattern, file_name(&entry)) {
                    continue;
                }
            }
            io.out_line(&format!("{}{relative}", root.trim_end_matches('/')).replace("//", "/"));
        }
    }
    status
}

fn xargs(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let command: Vec<String> = args.iter().skip_while(|a| a.starts_with('-')).cloned().collect();
    let command = if command.is_empty() { vec!["echo".to_string()] } else { command };
    let input = std::mem::take(&mut io.stdin);
    let mut argv = command.clone();
    argv.extend(input.split_whitespace().map(str::to_string));
    let name = argv.first().cloned().unwrap_or_default();
    match sys.resolve(&name) {
        Some(path) => {
            let status = super::run_program(sys, io, &path, &argv);
            if status == 0 { 0 } else { 123 }
        }
        None => {
            io.err_line(&format!("xargs: {name}: No such file or directory"));
            127
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_match_like_grep() {
        assert!(Regex::new("^root:", false).is_match("root:x:0:0"));
        assert!(!Regex::new("^root:", false).is_match("xroot:"));
        assert!(Regex::new("a.*c$", false).is_match("xxabbbc"));
        assert!(Regex::new("colou?r", true).is_match("color"));
        assert!(Regex::new("cat|dog", true).is_match("hotdog"));
        assert!(Regex::new("[0-9]\\+", false).is_match("abc123"));
        assert_eq!(substitute(&Regex::new("o", false), "foo boo", "0", true).0, "f00 b00");
        assert_eq!(substitute(&Regex::new("^#*", false), "##x", "", false).0, "x");
    }

    #[test]
    fn modes_parse_octal_and_symbolic() {
        assert_eq!(apply_mode("755", 0o644, false), Some(0o755));
        assert_eq!(apply_mode("u+x", 0o644, false), Some(0o744));
        assert_eq!(apply_mode("+x", 0o644, false), Some(0o755));
        assert_eq!(apply_mode("go-rwx", 0o755, false), Some(0o700));
        assert_eq!(apply_mode("bogus", 0o755, false), None);
    }

    #[test]
    fn dates_are_the_simulated_morning() {
        assert_eq!(crate::clock::civil_from_days(20_514), (2026, 3, 2));
    }
}
