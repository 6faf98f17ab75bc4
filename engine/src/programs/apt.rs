//! `apt-get`/`apt` and a little `dpkg`: `update` writes the package lists (~46 MB that stay in
//! the layer unless removed in the same `RUN`), `install` resolves dependencies from
//! [`packages::debian`], asks (and aborts) without `-y`, prints apt's progress and writes the
//! files, the dpkg status and apt's logs; `remove`/`purge`/`autoremove`/`clean`/`upgrade`.

use super::packages::{self, Package};
use super::sys::Family;
use super::{Io, Sys};

const LISTS: &str = "/var/lib/apt/lists";
const STATUS: &str = "/var/lib/dpkg/status";
const EXTENDED: &str = "/var/lib/apt/extended_states";

struct Mirror {
    /// `http://deb.debian.org/debian`
    main: &'static str,
    security: &'static str,
    host: &'static str,
}

fn mirror(sys: &Sys) -> Mirror {
    if sys.os.family == Family::Ubuntu {
        Mirror { main: "http://archive.ubuntu.com/ubuntu", security: "http://security.ubuntu.com/ubuntu", host: "archive.ubuntu.com" }
    } else {
        Mirror { main: "http://deb.debian.org/debian", security: "http://deb.debian.org/debian-security", host: "deb.debian.org" }
    }
}

fn codename(sys: &Sys) -> String {
    if sys.os.codename.is_empty() { "bookworm".into() } else { sys.os.codename.clone() }
}

/// The index files `apt-get update` leaves: (file name, bytes).
fn list_files(sys: &Sys) -> Vec<(String, u64)> {
    let code = codename(sys);
    let m = mirror(sys);
    let host = |url: &str| url.trim_start_matches("http://").replace('/', "_");
    let (main, security) = (host(m.main), host(m.security));
    let (updates, security_suite) = (format!("{code}-updates"), format!("{code}-security"));
    let big: u64 = match code.as_str() {
        "bullseye" => 42_300_000,
        "jammy" => 41_800_000,
        _ => 44_600_000,
    };
    vec![
        (format!("{main}_dists_{code}_InRelease"), 151_000),
        (format!("{main}_dists_{code}_main_binary-amd64_Packages.lz4"), big),
        (format!("{main}_dists_{updates}_InRelease"), 55_400),
        (format!("{main}_dists_{updates}_main_binary-amd64_Packages.lz4"), 31_000),
        (format!("{security}_dists_{security_suite}_InRelease"), 48_000),
        (format!("{security}_dists_{security_suite}_main_binary-amd64_Packages.lz4"), 1_120_000),
    ]
}

fn has_lists(sys: &Sys) -> bool {
    sys.fs.descendants(LISTS).any(|(path, _)| path.contains("_Packages"))
}

/// Installed packages: name → version (base image plus dpkg's status file).
fn installed(sys: &Sys) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = if sys.os.family == Family::Debian || sys.os.family == Family::Ubuntu { packages::debian_base() } else { Vec::new() };
    let status = sys.read(STATUS).unwrap_or_default();
    for stanza in status.split("\n\n") {
        let field = |name: &str| stanza.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string());
        if let (Some(name), Some(version)) = (field("Package:"), field("Version:")) {
            if stanza.contains("Status: install ok installed") {
                list.retain(|(n, _)| n != &name);
                list.push((name, version));
            } else {
                list.retain(|(n, _)| n != &name);
            }
        }
    }
    list
}

fn is_installed(sys: &Sys, table: &[Package], name: &str) -> bool {
    if installed(sys).iter().any(|(n, _)| n == name) {
        return true;
    }
    // Images built with apt long ago (python:3.12's buildpack layers) have the files but no
    // status entry here: the package's programs being there counts.
    table.iter().find(|p| p.name == name).is_some_and(|p| {
        p.files.first().is_some_and(|f| {
            let spec = p.expand(f);
            let path = spec.split_once("->").map(|(p, _)| p).or_else(|| spec.split_once('=').map(|(p, _)| p)).unwrap_or(&spec);
            path.starts_with("/usr/bin/") && sys.fs.exists(path)
        })
    })
}

pub fn main(sys: &mut Sys, io: &mut Io, name: &str, args: &[String]) -> i32 {
    if name == "apt" {
        io.err_line("");
        io.err_line("WARNING: apt does not have a stable CLI interface. Use with caution in scripts.");
        io.err_line("");
    }
    let mut yes = false;
    let mut no_recommends = false;
    let mut quiet = 0;
    let mut operands = Vec::new();
    for arg in args {
        match arg.as_str() {
            "-y" | "--yes" | "--assume-yes" | "-qy" | "-yq" | "-yqq" | "-qqy" => {
                yes = true;
                if arg.contains('q') {
                    quiet = arg.matches('q').count();
                }
            }
            "-q" | "--quiet" => quiet = 1,
            "-qq" => quiet = 2,
            "--no-install-recommends" => no_recommends = true,
            "--no-install-suggests" | "--fix-missing" | "--purge" | "-f" | "--fix-broken" | "--allow-downgrades" | "--allow-unauthenticated" | "--reinstall" => {}
            a if a.starts_with("-o") || a.starts_with("--option") => {}
            a if a.starts_with('-') => {
                if a.contains('y') {
                    yes = true;
                }
            }
            _ => operands.push(arg.clone()),
        }
    }
    let Some((command, packages)) = operands.split_first() else {
        io.out_line(if name == "apt" { "apt 2.6.1 (amd64)" } else { "apt 2.6.1 (amd64)" });
        io.out_line("Usage: apt-get [options] command");
        return 0;
    };
    let needs_root = !matches!(command.as_str(), "--version" | "-v" | "help" | "changelog" | "source" | "download");
    if needs_root && sys.uid != 0 {
        if command == "update" {
            io.err_line("Reading package lists...");
            io.err_line("E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)");
            io.err_line("E: Unable to lock directory /var/lib/apt/lists/");
        } else {
            io.err_line("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)");
            io.err_line("E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?");
        }
        return 100;
    }
    match command.as_str() {
        "update" => update(sys, io),
        "install" => install(sys, io, packages, yes, no_recommends, quiet),
        "remove" | "purge" => remove(sys, io, packages, yes, command == "purge"),
        "autoremove" => autoremove(sys, io, yes),
        "clean" | "autoclean" => {
            sys.fs.remove_all("/var/cache/apt/archives/partial");
            let debs: Vec<String> = sys.fs.descendants("/var/cache/apt").filter(|(p, _)| p.ends_with(".deb") || p.ends_with(".bin")).map(|(p, _)| p.clone()).collect();
            for path in debs {
                sys.fs.remove_all(&path);
            }
            sys.elapsed += 200;
            0
        }
        "upgrade" | "dist-upgrade" | "full-upgrade" => {
            reading(io);
            io.out_line("Calculating upgrade...");
            io.out_line("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.");
            sys.elapsed += 1_500;
            0
        }
        "--version" | "-v" => {
            io.out_line("apt 2.6.1 (amd64)");
            0
        }
        other => {
            io.err_line(&format!("E: Invalid operation {other}"));
            100
        }
    }
}

fn reading(io: &mut Io) {
    io.out_line("Reading package lists...");
    io.out_line("Building dependency tree...");
    io.out_line("Reading state information...");
}

fn update(sys: &mut Sys, io: &mut Io) -> i32 {
    let m = mirror(sys);
    let code = codename(sys);
    let suites = [
        (m.main, code.clone()),
        (m.main, format!("{code}-updates")),
        (m.security, format!("{code}-security")),
    ];
    if !sys.network {
        for (index, (url, suite)) in suites.iter().enumerate() {
            io.out_line(&format!("Ign:{} {url} {suite} InRelease", index + 1));
        }
        for (index, (url, suite)) in suites.iter().enumerate() {
            io.out_line(&format!("Err:{} {url} {suite} InRelease", index + 1));
            io.out_line(&format!("  Temporary failure resolving '{}'", m.host));
        }
        io.out_line("Reading package lists...");
        for (url, suite) in &suites {
            io.err_line(&format!("W: Failed to fetch {url}/dists/{suite}/InRelease  Temporary failure resolving '{}'", m.host));
        }
        io.err_line("W: Some index files failed to download. They have been ignored, or old ones used instead.");
        sys.elapsed += 3_000;
        return 0;
    }
    let packages_kb = [8_788u64, 13, 160];
    let release_kb = ["151 kB", "55.4 kB", "48.0 kB"];
    let mut n = 1;
    for ((url, suite), size) in suites.iter().zip(release_kb) {
        io.out_line(&format!("Get:{n} {url} {suite} InRelease [{size}]"));
        n += 1;
    }
    for ((url, suite), kb) in suites.iter().zip(packages_kb) {
        io.out_line(&format!("Get:{n} {url} {suite}/main amd64 Packages [{} kB]", thousands(kb)));
        n += 1;
    }
    io.out_line("Fetched 9,215 kB in 1s (6,850 kB/s)");
    io.out_line("Reading package lists...");
    sys.mkdir_all(&format!("{LISTS}/partial"));
    sys.mkdir_all(&format!("{LISTS}/auxfiles"));
    sys.write_text(&format!("{LISTS}/lock"), "");
    for (name, size) in list_files(sys) {
        sys.write_blob(&format!("{LISTS}/{name}"), &format!("apt list {name}"), size, false);
    }
    sys.elapsed += 8_200;
    0
}

/// `1234` → `1,234`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// apt's size wording: `456 kB`, `12.3 MB`.
fn apt_size(kb: u64) -> String {
    if kb >= 1000 {
        format!("{}.{} MB", kb / 1000, (kb % 1000) / 100)
    } else {
        format!("{kb} kB")
    }
}

/// The indented, wrapped package list apt prints under a heading.
fn wrapped(io: &mut Io, names: &[String]) {
    let mut line = String::from(" ");
    for name in names {
        if line.len() + name.len() + 1 > 79 && line.len() > 1 {
            io.out_line(&line);
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(name);
    }
    if line.len() > 1 {
        io.out_line(&line);
    }
}

fn install(sys: &mut Sys, io: &mut Io, requested: &[String], yes: bool, no_recommends: bool, _quiet: usize) -> i32 {
    reading(io);
    sys.elapsed += 1_200;
    let table = packages::debian();
    let lists = has_lists(sys);
    let mut wanted = Vec::new();
    let mut missing = Vec::new();
    let mut already = Vec::new();
    for spec in requested {
        let name = spec.split('=').next().unwrap_or(spec).trim_end_matches(":amd64").to_string();
        let installed_version = installed(sys).into_iter().find(|(n, _)| *n == name).map(|(_, v)| v);
        if let Some(version) = installed_version {
            already.push(format!("{name} is already the newest version ({version})."));
            continue;
        }
        if is_installed(sys, &table, &name) {
            let version = table.iter().find(|p| p.name == name).map(|p| p.version.clone()).unwrap_or_default();
            already.push(format!("{name} is already the newest version ({version})."));
            continue;
        }
        if !lists || !table.iter().any(|p| p.name == name) {
            missing.push(name);
            continue;
        }
        wanted.push(name);
    }
    for line in &already {
        io.out_line(line);
    }
    if !missing.is_empty() {
        for name in &missing {
            io.err_line(&format!("E: Unable to locate package {name}"));
        }
        return 100;
    }
    let installed_names: Vec<String> = installed(sys).into_iter().map(|(n, _)| n).collect();
    let check = |name: &str| installed_names.iter().any(|n| n == name);
    let plan = packages::closure(&table, &wanted, !no_recommends, &check);
    let plan: Vec<Package> = plan.into_iter().filter(|p| !is_installed(sys, &table, &p.name) || wanted.contains(&p.name)).collect();
    if plan.is_empty() {
        io.out_line("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.");
        return 0;
    }
    let mut extra: Vec<String> = plan.iter().filter(|p| !wanted.contains(&p.name)).map(|p| p.name.clone()).collect();
    extra.sort();
    let mut all: Vec<String> = plan.iter().map(|p| p.name.clone()).collect();
    all.sort();
    if !extra.is_empty() {
        io.out_line("The following additional packages will be installed:");
        wrapped(io, &extra);
    }
    if no_recommends {
        let mut recommended: Vec<String> = plan.iter().flat_map(|p| p.recommends.clone()).filter(|r| !all.contains(r) && !check(r)).collect();
        recommended.sort();
        recommended.dedup();
        if !recommended.is_empty() {
            io.out_line("Recommended packages:");
            wrapped(io, &recommended);
        }
    }
    io.out_line("The following NEW packages will be installed:");
    wrapped(io, &all);
    let download: u64 = plan.iter().map(|p| p.download_kb).sum();
    let installed_kb: u64 = plan.iter().map(|p| p.installed_kb).sum();
    io.out_line(&format!("0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.", plan.len()));
    io.out_line(&format!("Need to get {} of archives.", if download >= 1000 { format!("{} kB", thousands(download)) } else { format!("{download} kB") }));
    io.out_line(&format!("After this operation, {} of additional disk space will be used.", apt_size(installed_kb)));
    if !yes && !extra.is_empty() {
        io.out_line("Do you want to continue? [Y/n] Abort.");
        return 1;
    }
    let m = mirror(sys);
    if !sys.network {
        for (index, package) in plan.iter().enumerate() {
            io.out_line(&format!("Err:{} {} {}/main amd64 {} amd64 {}", index + 1, m.main, codename(sys), package.name, package.version));
            io.out_line(&format!("  Temporary failure resolving '{}'", m.host));
        }
        for package in &plan {
            io.err_line(&format!(
                "E: Failed to fetch {}/pool/main/{}/{}/{}_{}_amd64.deb  Temporary failure resolving '{}'",
                m.main,
                package.name.chars().next().unwrap_or('x'),
                package.name,
                package.name,
                package.version.replace(':', "%3a"),
                m.host
            ));
        }
        io.err_line("E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?");
        return 100;
    }
    let code = codename(sys);
    for (index, package) in plan.iter().enumerate() {
        io.out_line(&format!("Get:{} {} {code}/main amd64 {} amd64 {} [{}]", index + 1, m.main, package.name, package.version, human_kb(package.download_kb)));
    }
    io.err_line("debconf: delaying package configuration, since apt-utils is not installed");
    let seconds = (download / 5_000).max(1);
    io.out_line(&format!("Fetched {} kB in {seconds}s ({} kB/s)", thousands(download), thousands(download / seconds)));
    let mut files_count = 6_090 + installed(sys).len() as u64 * 9;
    for (index, package) in plan.iter().enumerate() {
        io.out_line(&format!("Selecting previously unselected package {}.", package.name));
        if index == 0 {
            io.out_line(&format!("(Reading database ... {files_count} files and directories currently installed.)"));
        }
        io.out_line(&format!("Preparing to unpack .../{:02}-{}_{}_amd64.deb ...", index, package.name, package.version.split_once(':').map_or(package.version.as_str(), |(_, v)| v)));
        io.out_line(&format!("Unpacking {} ({}) ...", package.name, package.version));
        files_count += package.files.len() as u64 + 4;
    }
    let flavor = format!("{} {}", if sys.os.family == Family::Ubuntu { "ubuntu" } else { "debian" }, code);
    for package in &plan {
        packages::install_files(sys, package, &flavor);
        record_installed(sys, package, !wanted.contains(&package.name));
        if package.name == "python3.11-minimal" && code == "bookworm" {
            sys.write_text("/usr/lib/python3.11/EXTERNALLY-MANAGED", "[externally-managed]\nError=To install Python packages system-wide, try apt install\n python3-xyz, where xyz is the package you are trying to\n install.\n");
        }
    }
    for package in plan.iter().rev() {
        io.out_line(&format!("Setting up {} ({}) ...", package.name, package.version));
    }
    io.out_line("Processing triggers for libc-bin (2.36-9+deb12u4) ...");
    let mut log = sys.read("/var/log/apt/history.log").unwrap_or_default();
    log.push_str(&format!("\nStart-Date: 2026-03-02  09:00:00\nCommandline: apt-get install {}\nInstall: {}\nEnd-Date: 2026-03-02  09:00:30\n", requested.join(" "), plan.iter().map(|p| format!("{}:amd64 ({})", p.name, p.version)).collect::<Vec<_>>().join(", ")));
    sys.write_text("/var/log/apt/history.log", &log);
    let mut dpkg_log = sys.read("/var/log/dpkg.log").unwrap_or_default();
    for package in &plan {
        dpkg_log.push_str(&format!("2026-03-02 09:00:10 install {}:amd64 <none> {}\n", package.name, package.version));
    }
    sys.write_text("/var/log/dpkg.log", &dpkg_log);
    sys.write_blob("/var/cache/debconf/templates.dat", "debconf templates", 520_000 + installed_kb, false);
    sys.elapsed += 1_500 + plan.len() as u64 * 500 + download / 5 + installed_kb / 40;
    0
}

fn human_kb(kb: u64) -> String {
    if kb >= 1000 {
        format!("{} kB", thousands(kb))
    } else {
        format!("{kb} kB")
    }
}

fn record_installed(sys: &mut Sys, package: &Package, auto: bool) {
    let mut status = sys.read(STATUS).unwrap_or_default();
    status.push_str(&format!(
        "Package: {}\nStatus: install ok installed\nArchitecture: amd64\nVersion: {}\nInstalled-Size: {}\nDepends: {}\n\n",
        package.name,
        package.version,
        package.installed_kb,
        package.depends.join(", ")
    ));
    sys.write_text(STATUS, &status);
    let list: String = package.files.iter().map(|f| package.expand(f).split(['=']).next().unwrap_or_default().split("->").next().unwrap_or_default().to_string() + "\n").collect();
    sys.write_text(&format!("/var/lib/dpkg/info/{}.list", package.name), &list);
    if auto {
        let mut states = sys.read(EXTENDED).unwrap_or_default();
        states.push_str(&format!("Package: {}\nArchitecture: amd64\nAuto-Installed: 1\n\n", package.name));
        sys.write_text(EXTENDED, &states);
    }
}

fn forget(sys: &mut Sys, name: &str) {
    let status = sys.read(STATUS).unwrap_or_default();
    let kept: Vec<&str> = status.split("\n\n").filter(|s| !s.trim().is_empty() && !s.lines().any(|l| l == format!("Package: {name}"))).collect();
    let text = if kept.is_empty() { String::new() } else { kept.join("\n\n") + "\n\n" };
    sys.write_text(STATUS, &text);
    let states = sys.read(EXTENDED).unwrap_or_default();
    let kept: Vec<&str> = states.split("\n\n").filter(|s| !s.trim().is_empty() && !s.lines().any(|l| l == format!("Package: {name}"))).collect();
    let text = if kept.is_empty() { String::new() } else { kept.join("\n\n") + "\n\n" };
    sys.write_text(EXTENDED, &text);
    sys.fs.remove_all(&format!("/var/lib/dpkg/info/{name}.list"));
}

fn remove_files(sys: &mut Sys, package: &Package) {
    for spec in &package.files {
        let spec = package.expand(spec);
        let path = spec.split_once("->").map(|(p, _)| p.to_string()).unwrap_or_else(|| spec.split('=').next().unwrap_or_default().to_string());
        sys.fs.remove_all(&path);
    }
}

fn remove(sys: &mut Sys, io: &mut Io, names: &[String], _yes: bool, _purge: bool) -> i32 {
    reading(io);
    let table = packages::debian();
    let status_names: Vec<String> = installed(sys).into_iter().map(|(n, _)| n).collect();
    let mut doomed = Vec::new();
    for name in names {
        if let Some(package) = table.iter().find(|p| &p.name == name) {
            if status_names.contains(name) || is_installed(sys, &table, name) {
                doomed.push(package.clone());
                continue;
            }
            io.out_line(&format!("Package '{name}' is not installed, so not removed"));
        } else {
            io.err_line(&format!("E: Unable to locate package {name}"));
            return 100;
        }
    }
    if doomed.is_empty() {
        io.out_line("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.");
        return 0;
    }
    io.out_line("The following packages will be REMOVED:");
    let listed: Vec<String> = doomed.iter().map(|p| p.name.clone()).collect();
    wrapped(io, &listed);
    let freed: u64 = doomed.iter().map(|p| p.installed_kb).sum();
    io.out_line(&format!("0 upgraded, 0 newly installed, {} to remove and 0 not upgraded.", doomed.len()));
    io.out_line(&format!("After this operation, {} disk space will be freed.", apt_size(freed)));
    io.out_line("(Reading database ... 7421 files and directories currently installed.)");
    for package in &doomed {
        io.out_line(&format!("Removing {} ({}) ...", package.name, package.version));
        remove_files(sys, package);
        forget(sys, &package.name);
    }
    sys.elapsed += 800 + doomed.len() as u64 * 300;
    0
}

fn autoremove(sys: &mut Sys, io: &mut Io, _yes: bool) -> i32 {
    reading(io);
    let table = packages::debian();
    let states = sys.read(EXTENDED).unwrap_or_default();
    let auto: Vec<String> = states
        .split("\n\n")
        .filter(|s| s.contains("Auto-Installed: 1"))
        .filter_map(|s| s.lines().find_map(|l| l.strip_prefix("Package: ")).map(str::to_string))
        .collect();
    let present: Vec<String> = installed(sys).into_iter().map(|(n, _)| n).collect();
    // Auto-installed packages nothing manual still needs (one level of reasoning is enough here).
    let manual: Vec<&Package> = table.iter().filter(|p| present.contains(&p.name) && !auto.contains(&p.name)).collect();
    let needed = packages::closure(&table, &manual.iter().map(|p| p.name.clone()).collect::<Vec<_>>(), false, &|_| false);
    let doomed: Vec<Package> = table.iter().filter(|p| auto.contains(&p.name) && present.contains(&p.name) && !needed.iter().any(|n| n.name == p.name)).cloned().collect();
    if doomed.is_empty() {
        io.out_line("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.");
        return 0;
    }
    io.out_line("The following packages will be REMOVED:");
    let listed: Vec<String> = doomed.iter().map(|p| p.name.clone()).collect();
    wrapped(io, &listed);
    io.out_line(&format!("0 upgraded, 0 newly installed, {} to remove and 0 not upgraded.", doomed.len()));
    for package in &doomed {
        io.out_line(&format!("Removing {} ({}) ...", package.name, package.version));
        remove_files(sys, package);
        forget(sys, &package.name);
    }
    sys.elapsed += 800 + doomed.len() as u64 * 200;
    0
}

/// `dpkg -l`, `dpkg --print-architecture`, `dpkg -s NAME`.
pub fn dpkg(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("--print-architecture") => {
            io.out_line("amd64");
            0
        }
        Some("-l") | Some("--list") => {
            io.out_line("Desired=Unknown/Install/Remove/Purge/Hold");
            io.out_line("||/ Name                    Version                      Architecture Description");
            io.out_line("+++-=======================-============================-============-================");
            let mut list = installed(sys);
            list.sort();
            for (name, version) in list {
                io.out_line(&format!("ii  {name:<23} {version:<28} amd64        {name}"));
            }
            0
        }
        Some("-s") | Some("--status") => {
            let Some(name) = args.get(1) else { return 2 };
            match installed(sys).into_iter().find(|(n, _)| n == name) {
                Some((_, version)) => {
                    io.out_line(&format!("Package: {name}\nStatus: install ok installed\nVersion: {version}"));
                    0
                }
                None => {
                    io.err_line(&format!("dpkg-query: package '{name}' is not installed and no information is available"));
                    1
                }
            }
        }
        _ => {
            io.err_line("dpkg: error: need an action option");
            2
        }
    }
}
