//! Alpine's `apk`: `add [--no-cache] [--virtual NAME]`, `del`, `update`, `info`. Without
//! `--no-cache` the fetched indexes stay in `/var/cache/apk` (the layer grows); the installed
//! database is `/lib/apk/db/installed` and the wanted list `/etc/apk/world`.

use super::packages::{self, Package};
use super::{Io, Sys};

const DB: &str = "/lib/apk/db/installed";
const WORLD: &str = "/etc/apk/world";
const CACHE: &str = "/var/cache/apk";

fn branch(sys: &Sys) -> String {
    if sys.os.codename.is_empty() { "v3.19".into() } else { sys.os.codename.clone() }
}

fn repositories(sys: &Sys) -> Vec<String> {
    let b = branch(sys);
    vec![format!("https://dl-cdn.alpinelinux.org/alpine/{b}/main"), format!("https://dl-cdn.alpinelinux.org/alpine/{b}/community")]
}

/// Installed packages: (name, version, installed kB).
fn installed(sys: &Sys) -> Vec<(String, String, u64)> {
    let mut list = packages::alpine_base();
    let db = sys.read(DB).unwrap_or_default();
    for stanza in db.split("\n\n") {
        let field = |p: &str| stanza.lines().find_map(|l| l.strip_prefix(p)).map(str::to_string);
        if let (Some(name), Some(version)) = (field("P:"), field("V:")) {
            let size = field("I:").and_then(|s| s.parse::<u64>().ok()).unwrap_or(0) / 1024;
            list.retain(|(n, _, _)| n != &name);
            list.push((name, version, size));
        }
    }
    let removed = sys.read("/lib/apk/db/removed").unwrap_or_default();
    list.retain(|(n, _, _)| !removed.lines().any(|r| r == n));
    list
}

fn index_files(sys: &Sys) -> Vec<(String, u64)> {
    let b = branch(sys);
    vec![
        (format!("APKINDEX.{:08x}.tar.gz", super::sys::hash(&format!("{b}main")) as u32), 493_000),
        (format!("APKINDEX.{:08x}.tar.gz", super::sys::hash(&format!("{b}community")) as u32), 1_940_000),
    ]
}

fn has_cached_index(sys: &Sys) -> bool {
    sys.fs.descendants(CACHE).any(|(p, _)| p.contains("APKINDEX"))
}

pub fn main(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let mut no_cache = false;
    let mut virtual_name: Option<String> = None;
    let mut operands = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--no-cache" => no_cache = true,
            "--virtual" | "-t" => virtual_name = iter.next().cloned(),
            "--update" | "-U" | "--upgrade" | "-u" | "--quiet" | "-q" | "--no-progress" | "--force-broken-world" | "--clean-protected" | "--purge" | "-v" | "--verbose" => {}
            a if a.starts_with("--repository") || a.starts_with("-X") => {
                if !a.contains('=') {
                    iter.next();
                }
            }
            a if a.starts_with("--virtual=") => virtual_name = a.strip_prefix("--virtual=").map(str::to_string),
            _ => operands.push(arg.clone()),
        }
    }
    let Some((command, names)) = operands.split_first() else {
        io.out_line("apk-tools 2.14.0, compiled for x86_64.");
        io.out_line("");
        io.out_line("usage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]");
        return 1;
    };
    let writes = matches!(command.as_str(), "add" | "del" | "update" | "upgrade" | "fix" | "cache");
    if writes && sys.uid != 0 {
        io.err_line("ERROR: Unable to lock database: Permission denied");
        io.err_line("ERROR: Failed to open apk database: Permission denied");
        return 99;
    }
    match command.as_str() {
        "update" => {
            if !fetch_indexes(sys, io) {
                return 1;
            }
            store_indexes(sys);
            let b = branch(sys);
            io.out_line(&format!("{b}.1-166-g4e4b4ec2b8a [https://dl-cdn.alpinelinux.org/alpine/{b}/main]"));
            io.out_line(&format!("{b}.1-165-g0c7f1ab8e48 [https://dl-cdn.alpinelinux.org/alpine/{b}/community]"));
            io.out_line("OK: 23091 distinct packages available");
            0
        }
        "add" => add(sys, io, names, no_cache, virtual_name),
        "del" => del(sys, io, names),
        "info" => {
            let mut list = installed(sys);
            list.sort();
            for (name, version, _) in list {
                if names.is_empty() {
                    io.out_line(&name);
                } else if names.contains(&name) {
                    io.out_line(&format!("{name}-{version} description:"));
                }
            }
            0
        }
        "upgrade" => {
            if (!has_cached_index(sys) || no_cache)
                && !fetch_indexes(sys, io) {
                    return 1;
                }
            ok_line(sys, io);
            0
        }
        "cache" => {
            if names.first().is_some_and(|n| n == "clean") {
                let files: Vec<String> = sys.fs.descendants(CACHE).filter(|(p, _)| !p.contains("APKINDEX")).map(|(p, _)| p.clone()).collect();
                for path in files {
                    sys.fs.remove_all(&path);
                }
            }
            0
        }
        "--version" | "-V" => {
            io.out_line("apk-tools 2.14.0, compiled for x86_64.");
            0
        }
        other => {
            io.err_line(&format!("apk: applet '{other}' not found"));
            1
        }
    }
}

/// Prints the `fetch` lines; false (after apk's warnings) without a network.
fn fetch_indexes(sys: &mut Sys, io: &mut Io) -> bool {
    for repo in repositories(sys) {
        io.out_line(&format!("fetch {repo}/x86_64/APKINDEX.tar.gz"));
    }
    if !sys.network {
        for repo in repositories(sys) {
            io.err_line(&format!("WARNING: fetching {repo}: temporary error (try again later)"));
        }
        sys.elapsed += 2_000;
        return false;
    }
    sys.elapsed += 900;
    true
}

fn store_indexes(sys: &mut Sys) {
    for (name, size) in index_files(sys) {
        sys.write_blob(&format!("{CACHE}/{name}"), &format!("apk index {name}"), size, false);
    }
}

fn ok_line(sys: &Sys, io: &mut Io) {
    let list = installed(sys);
    let kb: u64 = list.iter().map(|(_, _, kb)| *kb).sum();
    io.out_line(&format!("OK: {} MiB in {} packages", kb.div_ceil(1024), list.len()));
}

fn add(sys: &mut Sys, io: &mut Io, names: &[String], no_cache: bool, virtual_name: Option<String>) -> i32 {
    let table = packages::alpine();
    let cached = has_cached_index(sys) && !no_cache;
    let mut have_index = cached;
    if !cached {
        have_index = fetch_indexes(sys, io);
        if have_index && !no_cache {
            store_indexes(sys);
        }
    }
    let present: Vec<String> = installed(sys).into_iter().map(|(n, _, _)| n).collect();
    let mut wanted = Vec::new();
    let mut missing = Vec::new();
    for spec in names {
        let name = spec.split(['=', '>', '<', '~']).next().unwrap_or(spec).to_string();
        if present.contains(&name) {
            continue;
        }
        if !have_index || !table.iter().any(|p| p.name == name) {
            missing.push(name);
            continue;
        }
        wanted.push(name);
    }
    if !missing.is_empty() {
        io.err_line("ERROR: unable to select packages:");
        for name in &missing {
            io.err_line(&format!("  {name} (no such package):"));
            io.err_line(&format!("    required by: world[{name}]"));
        }
        return 1;
    }
    let check = |name: &str| present.iter().any(|n| n == name);
    let plan = packages::closure(&table, &wanted, false, &check);
    // Dependencies first, as apk installs them.
    let mut ordered: Vec<Package> = Vec::new();
    for package in plan.iter().rev() {
        if !ordered.iter().any(|p| p.name == package.name) {
            ordered.push(package.clone());
        }
    }
    let total = ordered.len() + usize::from(virtual_name.is_some());
    for (index, package) in ordered.iter().enumerate() {
        io.out_line(&format!("({}/{total}) Installing {} ({})", index + 1, package.name, package.version));
        packages::install_files(sys, package, &format!("alpine {}", branch(sys)));
        record(sys, &package.name, &package.version, package.installed_kb, &[]);
    }
    if let Some(name) = &virtual_name {
        io.out_line(&format!("({total}/{total}) Installing {name} (20240302.090000)"));
        let members: Vec<String> = ordered.iter().map(|p| p.name.clone()).collect();
        record(sys, name, "20240302.090000", 0, &members);
    }
    let mut world = sys.read(WORLD).unwrap_or_default();
    let mut world_names: Vec<String> = world.lines().map(str::to_string).collect();
    match &virtual_name {
        Some(v) => world_names.push(v.clone()),
        None => world_names.extend(wanted.iter().cloned()),
    }
    world_names.sort();
    world_names.dedup();
    world = world_names.join("\n") + "\n";
    sys.write_text(WORLD, &world);
    if ordered.iter().any(|p| p.name == "ca-certificates") {
        io.out_line("Executing busybox-1.36.1-r15.trigger");
        io.out_line("Executing ca-certificates-20240226-r0.trigger");
    } else if !ordered.is_empty() {
        io.out_line("Executing busybox-1.36.1-r15.trigger");
    }
    ok_line(sys, io);
    let kb: u64 = ordered.iter().map(|p| p.installed_kb).sum();
    sys.elapsed += 600 + ordered.len() as u64 * 150 + kb / 20;
    0
}

fn record(sys: &mut Sys, name: &str, version: &str, kb: u64, members: &[String]) {
    let mut db = sys.read(DB).unwrap_or_default();
    let depends = if members.is_empty() { String::new() } else { format!("D:{}\n", members.join(" ")) };
    db.push_str(&format!("C:Q1{:027x}=\nP:{name}\nV:{version}\nA:x86_64\nI:{}\n{depends}\n", super::sys::hash(name), kb * 1024));
    sys.write_text(DB, &db);
    let removed = sys.read("/lib/apk/db/removed").unwrap_or_default();
    if removed.lines().any(|r| r == name) {
        let kept: String = removed.lines().filter(|r| *r != name).map(|r| format!("{r}\n")).collect();
        sys.write_text("/lib/apk/db/removed", &kept);
    }
}

fn del(sys: &mut Sys, io: &mut Io, names: &[String]) -> i32 {
    let table = packages::alpine();
    let present = installed(sys);
    let mut count = 0;
    // Deleting a `--virtual` group takes the packages it pulled in with it.
    let db = sys.read(DB).unwrap_or_default();
    let mut names: Vec<String> = names.to_vec();
    for stanza in db.split("\n\n") {
        let is_named = stanza.lines().any(|l| l.strip_prefix("P:").is_some_and(|n| names.iter().any(|x| x == n)));
        if let (true, Some(members)) = (is_named, stanza.lines().find_map(|l| l.strip_prefix("D:"))) {
            names.extend(members.split(' ').map(str::to_string));
        }
    }
    let names = &names;
    for name in names {
        if !present.iter().any(|(n, _, _)| n == name) {
            io.err_line(&format!("WARNING: {name}: No such package installed"));
            continue;
        }
        count += 1;
        let version = present.iter().find(|(n, _, _)| n == name).map(|(_, v, _)| v.clone()).unwrap_or_default();
        io.out_line(&format!("({count}/{}) Purging {name} ({version})", names.len()));
        if let Some(package) = table.iter().find(|p| &p.name == name) {
            for spec in &package.files {
                let spec = package.expand(spec);
                let path = spec.split_once("->").map(|(p, _)| p.to_string()).unwrap_or_else(|| spec.split('=').next().unwrap_or_default().to_string());
                sys.fs.remove_all(&path);
            }
        }
        let mut removed = sys.read("/lib/apk/db/removed").unwrap_or_default();
        removed.push_str(&format!("{name}\n"));
        sys.write_text("/lib/apk/db/removed", &removed);
        let world = sys.read(WORLD).unwrap_or_default();
        let kept: String = world.lines().filter(|w| w != name).map(|w| format!("{w}\n")).collect();
        sys.write_text(WORLD, &kept);
    }
    ok_line(sys, io);
    sys.elapsed += 300 + count as u64 * 100;
    0
}
