//! Accounts: `/etc/passwd` and `/etc/group` parsing, and `useradd`/`groupadd` (shadow-utils),
//! Debian's `adduser`/`addgroup`, and busybox's `adduser -D -S -G`/`addgroup -S -g`.

use super::{Io, Sys};
use crate::fs::Meta;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub gecos: String,
    pub home: String,
    pub shell: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEntry {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

pub fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            Some(PasswdEntry {
                name: fields.first()?.to_string(),
                uid: fields.get(2)?.parse().ok()?,
                gid: fields.get(3)?.parse().ok()?,
                gecos: fields.get(4).copied().unwrap_or_default().to_string(),
                home: fields.get(5).copied().unwrap_or("/").to_string(),
                shell: fields.get(6).copied().unwrap_or("/bin/sh").to_string(),
            })
        })
        .collect()
}

pub fn parse_group(text: &str) -> Vec<GroupEntry> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            Some(GroupEntry {
                name: fields.first()?.to_string(),
                gid: fields.get(2)?.parse().ok()?,
                members: fields.get(3).copied().unwrap_or_default().split(',').filter(|m| !m.is_empty()).map(str::to_string).collect(),
            })
        })
        .collect()
}

fn passwd(sys: &Sys) -> Vec<PasswdEntry> {
    parse_passwd(&sys.read("/etc/passwd").unwrap_or_default())
}

fn groups(sys: &Sys) -> Vec<GroupEntry> {
    parse_group(&sys.read("/etc/group").unwrap_or_default())
}

pub fn name_of_uid(sys: &Sys, uid: u32) -> Option<String> {
    passwd(sys).into_iter().find(|e| e.uid == uid).map(|e| e.name)
}

pub fn name_of_gid(sys: &Sys, gid: u32) -> Option<String> {
    groups(sys).into_iter().find(|e| e.gid == gid).map(|e| e.name)
}

pub fn uid_of_name(sys: &Sys, name: &str) -> Option<u32> {
    passwd(sys).into_iter().find(|e| e.name == name).map(|e| e.uid)
}

pub fn gid_of_name(sys: &Sys, name: &str) -> Option<u32> {
    groups(sys).into_iter().find(|e| e.name == name).map(|e| e.gid)
}

pub fn primary_gid(sys: &Sys, uid: u32) -> Option<u32> {
    passwd(sys).into_iter().find(|e| e.uid == uid).map(|e| e.gid)
}

fn append_line(sys: &mut Sys, path: &str, line: &str) {
    let mut text = sys.read(path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    let meta = sys.fs.get(path).map(|n| n.meta()).unwrap_or(Meta::FILE);
    sys.fs.insert(path, crate::fs::Node::File { meta, size: text.len() as u64, content: crate::fs::Content::Text(text) });
}

/// Adds `user` to the member list of `group` in /etc/group.
fn add_member(sys: &mut Sys, group: &str, user: &str) -> bool {
    let text = sys.read("/etc/group").unwrap_or_default();
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.first() == Some(&group) && fields.len() >= 3 {
                found = true;
                let mut members: Vec<&str> = fields.get(3).copied().unwrap_or_default().split(',').filter(|m| !m.is_empty()).collect();
                if !members.contains(&user) {
                    members.push(user);
                }
                format!("{}:{}:{}:{}", fields.first().copied().unwrap_or_default(), fields.get(1).copied().unwrap_or("x"), fields.get(2).copied().unwrap_or_default(), members.join(","))
            } else {
                line.to_string()
            }
        })
        .collect();
    if found {
        let text = lines.join("\n") + "\n";
        sys.write_text("/etc/group", &text);
    }
    found
}

/// Lowest free id in `range` (or highest, for Debian's system ids counting down).
fn free_id(used: &[u32], range: std::ops::RangeInclusive<u32>, descending: bool) -> u32 {
    let start = *range.start();
    let end = *range.end();
    if descending {
        (start..=end).rev().find(|id| !used.contains(id)).unwrap_or(end)
    } else {
        (start..=end).find(|id| !used.contains(id)).unwrap_or(start)
    }
}

fn create_home(sys: &mut Sys, home: &str, uid: u32, gid: u32) {
    if home == "/nonexistent" || home == "/" || sys.fs.exists(home) {
        return;
    }
    sys.mkdir_all(crate::fs::parent(home));
    sys.fs.insert(home, crate::fs::Node::Dir { meta: Meta { mode: 0o755, uid, gid } });
    // Debian copies /etc/skel.
    if sys.os.is_debian_family() {
        for (name, text) in [(".bashrc", SKEL_BASHRC), (".profile", SKEL_PROFILE), (".bash_logout", SKEL_LOGOUT)] {
            let path = format!("{home}/{name}");
            sys.fs.insert(&path, crate::fs::Node::File { meta: Meta { mode: 0o644, uid, gid }, size: text.len() as u64, content: crate::fs::Content::Text(text.into()) });
        }
    }
}

const SKEL_BASHRC: &str = "# ~/.bashrc: executed by bash(1) for non-login shells.\n[ -z \"$PS1\" ] && return\nHISTCONTROL=ignoreboth\nshopt -s histappend\n";
const SKEL_PROFILE: &str = "# ~/.profile: executed by the command interpreter for login shells.\nif [ -n \"$BASH_VERSION\" ]; then\n    if [ -f \"$HOME/.bashrc\" ]; then\n\t. \"$HOME/.bashrc\"\n    fi\nfi\n";
const SKEL_LOGOUT: &str = "# ~/.bash_logout: executed by bash(1) when login shell exits.\n";

pub fn main(sys: &mut Sys, io: &mut Io, name: &str, argv: &[String]) -> i32 {
    sys.elapsed += 120;
    if sys.uid != 0 {
        io.err_line(&format!("{name}: Permission denied."));
        io.err_line(&format!("{name}: cannot lock /etc/passwd; try again later."));
        return 1;
    }
    let args = argv.get(1..).unwrap_or_default();
    let busybox = sys.os.busybox_userland();
    match (name, busybox) {
        ("useradd", _) => useradd(sys, io, args),
        ("groupadd", _) => groupadd(sys, io, args),
        ("adduser", true) => busybox_adduser(sys, io, args),
        ("addgroup", true) => busybox_addgroup(sys, io, args),
        ("adduser", false) => debian_adduser(sys, io, args, false),
        ("addgroup", false) => debian_adduser(sys, io, args, true),
        ("usermod", _) => usermod(sys, io, args),
        _ => {
            io.err_line(&format!("{name}: not supported in this simulation"));
            1
        }
    }
}

/// Splits options that take a value from flags; accepts `--opt=value` and `-uVALUE`.
fn options(args: &[String], with_value: &[(&str, &str)], flags: &[(&str, &str)]) -> Result<(Vec<(String, String)>, Vec<String>), String> {
    let mut values = Vec::new();
    let mut operands = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some((short, long)) = with_value.iter().find(|(s, l)| arg == s || arg == l) {
            let value = iter.next().cloned().ok_or_else(|| format!("option '{arg}' requires an argument"))?;
            values.push((long.to_string(), value));
            let _ = short;
        } else if let Some((_, long)) = with_value.iter().find(|(_, l)| arg.starts_with(&format!("{l}="))) {
            values.push((long.to_string(), arg.get(long.len() + 1..).unwrap_or_default().to_string()));
        } else if let Some((_, long)) = flags.iter().find(|(s, l)| arg == s || arg == l) {
            values.push((long.to_string(), String::new()));
        } else if arg.starts_with('-') && arg.len() > 1 {
            // Combined short flags like `-rm`.
            let mut known = true;
            let mut found = Vec::new();
            for c in arg.chars().skip(1) {
                match flags.iter().find(|(s, _)| *s == format!("-{c}")) {
                    Some((_, long)) => found.push((long.to_string(), String::new())),
                    None => known = false,
                }
            }
            if !known {
                return Err(format!("invalid option -- '{}'", arg.trim_start_matches('-')));
            }
            values.extend(found);
        } else {
            operands.push(arg.clone());
        }
    }
    Ok((values, operands))
}

fn get<'a>(values: &'a [(String, String)], name: &str) -> Option<&'a str> {
    values.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn has(values: &[(String, String)], name: &str) -> bool {
    values.iter().any(|(n, _)| n == name)
}

fn useradd(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let parsed = options(
        args,
        &[("-u", "--uid"), ("-g", "--gid"), ("-G", "--groups"), ("-s", "--shell"), ("-d", "--home-dir"), ("-c", "--comment"), ("-k", "--skel"), ("-p", "--password"), ("-b", "--base-dir")],
        &[("-m", "--create-home"), ("-M", "--no-create-home"), ("-r", "--system"), ("-U", "--user-group"), ("-N", "--no-user-group"), ("-o", "--non-unique"), ("-l", "--no-log-init")],
    );
    let (values, operands) = match parsed {
        Ok(p) => p,
        Err(message) => {
            io.err_line(&format!("useradd: {message}"));
            return 2;
        }
    };
    let Some(user) = operands.first() else {
        io.err_line("Usage: useradd [options] LOGIN");
        return 2;
    };
    let entries = passwd(sys);
    if entries.iter().any(|e| &e.name == user) {
        io.err_line(&format!("useradd: user '{user}' already exists"));
        return 9;
    }
    let system = has(&values, "--system");
    let used: Vec<u32> = entries.iter().map(|e| e.uid).collect();
    let uid = match get(&values, "--uid") {
        Some(text) => match text.parse::<u32>() {
            Ok(uid) if used.contains(&uid) && !has(&values, "--non-unique") => {
                io.err_line(&format!("useradd: UID {uid} is not unique"));
                return 4;
            }
            Ok(uid) => uid,
            Err(_) => {
                io.err_line(&format!("useradd: invalid user ID '{text}'"));
                return 3;
            }
        },
        None if system => free_id(&used, 100..=999, true),
        None => free_id(&used, 1000..=60000, false),
    };
    let all_groups = groups(sys);
    let gid = match get(&values, "--gid") {
        Some(group) => match group.parse::<u32>().ok().or_else(|| all_groups.iter().find(|g| g.name == group).map(|g| g.gid)) {
            Some(gid) if all_groups.iter().any(|g| g.gid == gid) => gid,
            _ => {
                io.err_line(&format!("useradd: group '{group}' does not exist"));
                return 6;
            }
        },
        None if has(&values, "--no-user-group") => 100,
        None => {
            if all_groups.iter().any(|g| &g.name == user) {
                io.err_line(&format!("useradd: group {user} exists - if you want to add this user to that group, use -g."));
                return 9;
            }
            let used_gids: Vec<u32> = all_groups.iter().map(|g| g.gid).collect();
            let gid = if !used_gids.contains(&uid) { uid } else if system { free_id(&used_gids, 100..=999, true) } else { free_id(&used_gids, 1000..=60000, false) };
            append_line(sys, "/etc/group", &format!("{user}:x:{gid}:"));
            gid
        }
    };
    if let Some(extra) = get(&values, "--groups") {
        for group in extra.split(',').filter(|g| !g.is_empty()) {
            if !add_member(sys, group, user) {
                io.err_line(&format!("useradd: group '{group}' does not exist"));
                return 6;
            }
        }
    }
    let home = get(&values, "--home-dir").map(str::to_string).unwrap_or_else(|| format!("/home/{user}"));
    let shell = get(&values, "--shell").unwrap_or("/bin/sh").to_string();
    let comment = get(&values, "--comment").unwrap_or_default().to_string();
    append_line(sys, "/etc/passwd", &format!("{user}:x:{uid}:{gid}:{comment}:{home}:{shell}"));
    if sys.fs.exists("/etc/shadow") {
        append_line(sys, "/etc/shadow", &format!("{user}:!:19800:0:99999:7:::"));
    }
    if has(&values, "--create-home") && !has(&values, "--no-create-home") {
        create_home(sys, &home, uid, gid);
    }
    0
}

fn groupadd(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let (values, operands) = match options(args, &[("-g", "--gid"), ("-K", "--key")], &[("-r", "--system"), ("-f", "--force"), ("-o", "--non-unique")]) {
        Ok(p) => p,
        Err(message) => {
            io.err_line(&format!("groupadd: {message}"));
            return 2;
        }
    };
    let Some(group) = operands.first() else {
        io.err_line("Usage: groupadd [options] GROUP");
        return 2;
    };
    let existing = groups(sys);
    if existing.iter().any(|g| &g.name == group) {
        if has(&values, "--force") {
            return 0;
        }
        io.err_line(&format!("groupadd: group '{group}' already exists"));
        return 9;
    }
    let used: Vec<u32> = existing.iter().map(|g| g.gid).collect();
    let gid = match get(&values, "--gid") {
        Some(text) => match text.parse::<u32>() {
            Ok(gid) if used.contains(&gid) && !has(&values, "--non-unique") => {
                io.err_line(&format!("groupadd: GID '{gid}' already exists"));
                return 4;
            }
            Ok(gid) => gid,
            Err(_) => {
                io.err_line(&format!("groupadd: invalid group ID '{text}'"));
                return 3;
            }
        },
        None if has(&values, "--system") => free_id(&used, 100..=999, true),
        None => free_id(&used, 1000..=60000, false),
    };
    append_line(sys, "/etc/group", &format!("{group}:x:{gid}:"));
    0
}

fn usermod(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let (values, operands) = match options(args, &[("-G", "--groups"), ("-s", "--shell"), ("-d", "--home"), ("-u", "--uid"), ("-g", "--gid")], &[("-a", "--append"), ("-L", "--lock")]) {
        Ok(p) => p,
        Err(message) => {
            io.err_line(&format!("usermod: {message}"));
            return 2;
        }
    };
    let Some(user) = operands.first() else {
        io.err_line("Usage: usermod [options] LOGIN");
        return 2;
    };
    if !passwd(sys).iter().any(|e| &e.name == user) {
        io.err_line(&format!("usermod: user '{user}' does not exist"));
        return 6;
    }
    if let Some(extra) = get(&values, "--groups") {
        for group in extra.split(',').filter(|g| !g.is_empty()) {
            if !add_member(sys, group, user) {
                io.err_line(&format!("usermod: group '{group}' does not exist"));
                return 6;
            }
        }
    }
    0
}

/// Debian's `adduser`/`addgroup` (the Perl front end, adduser 3.13x).
fn debian_adduser(sys: &mut Sys, io: &mut Io, args: &[String], group_only: bool) -> i32 {
    let (values, operands) = match options(
        args,
        &[("--uid", "--uid"), ("--gid", "--gid"), ("--home", "--home"), ("--shell", "--shell"), ("--gecos", "--gecos"), ("--ingroup", "--ingroup"), ("--comment", "--comment")],
        &[("--system", "--system"), ("--group", "--group"), ("--disabled-password", "--disabled-password"), ("--disabled-login", "--disabled-login"), ("--no-create-home", "--no-create-home"), ("--quiet", "--quiet"), ("-q", "--quiet")],
    ) {
        Ok(p) => p,
        Err(message) => {
            io.err_line(&format!("adduser: {message}"));
            return 1;
        }
    };
    let system = has(&values, "--system");
    let quiet = has(&values, "--quiet");
    // `addgroup NAME` or `adduser --group NAME` (without --system) make a group only.
    let make_group_only = group_only || (has(&values, "--group") && !system);
    if make_group_only {
        let Some(group) = operands.first() else {
            io.err_line("addgroup: Only one or two names allowed.");
            return 1;
        };
        // `adduser USER GROUP` adds an existing user to a group.
        let existing = groups(sys);
        if existing.iter().any(|g| &g.name == group) {
            io.err_line(&format!("addgroup: The group `{group}' already exists."));
            return 1;
        }
        let used: Vec<u32> = existing.iter().map(|g| g.gid).collect();
        let gid = get(&values, "--gid").and_then(|g| g.parse().ok()).unwrap_or_else(|| if system { free_id(&used, 100..=999, false) } else { free_id(&used, 1000..=59999, false) });
        if !quiet {
            io.out_line(&format!("Adding group `{group}' (GID {gid}) ..."));
            io.out_line("Done.");
        }
        append_line(sys, "/etc/group", &format!("{group}:x:{gid}:"));
        return 0;
    }
    match operands.as_slice() {
        [user, group] => {
            if !add_member(sys, group, user) {
                io.err_line(&format!("adduser: The group `{group}' does not exist."));
                return 1;
            }
            if !quiet {
                io.out_line(&format!("Adding user `{user}' to group `{group}' ..."));
                io.out_line("Done.");
            }
            0
        }
        [user] => {
            let entries = passwd(sys);
            if entries.iter().any(|e| &e.name == user) {
                if system {
                    io.out_line(&format!("The system user `{user}' already exists. Exiting."));
                    return 0;
                }
                io.err_line(&format!("adduser: The user `{user}' already exists."));
                return 1;
            }
            if !system && !has(&values, "--disabled-password") && !has(&values, "--disabled-login") {
                // Interactive: asks for a password, and a build has no terminal.
                io.out_line(&format!("Adding user `{user}' ..."));
                io.err_line("passwd: Authentication token manipulation error");
                io.err_line("passwd: password unchanged");
                io.err_line("adduser: `/usr/bin/passwd appuser' returned error code 10. Exiting.".replace("appuser", user).as_str());
                return 1;
            }
            let used: Vec<u32> = entries.iter().map(|e| e.uid).collect();
            let uid = get(&values, "--uid").and_then(|u| u.parse().ok()).unwrap_or_else(|| if system { free_id(&used, 100..=999, false) } else { free_id(&used, 1000..=59999, false) });
            let all_groups = groups(sys);
            let used_gids: Vec<u32> = all_groups.iter().map(|g| g.gid).collect();
            let gid = if let Some(group) = get(&values, "--ingroup") {
                match all_groups.iter().find(|g| g.name == group) {
                    Some(g) => g.gid,
                    None => {
                        io.err_line(&format!("adduser: The group `{group}' does not exist."));
                        return 1;
                    }
                }
            } else if system && !has(&values, "--group") {
                65534
            } else {
                let gid = get(&values, "--gid").and_then(|g| g.parse().ok()).unwrap_or_else(|| if system { free_id(&used_gids, 100..=999, false) } else if !used_gids.contains(&uid) { uid } else { free_id(&used_gids, 1000..=59999, false) });
                if !quiet {
                    io.out_line(&format!("Adding new group `{user}' ({gid}) ..."));
                }
                append_line(sys, "/etc/group", &format!("{user}:x:{gid}:"));
                gid
            };
            let home = get(&values, "--home").map(str::to_string).unwrap_or_else(|| if system { "/nonexistent".into() } else { format!("/home/{user}") });
            let shell = get(&values, "--shell").unwrap_or(if system { "/usr/sbin/nologin" } else { "/bin/bash" }).to_string();
            let gecos = get(&values, "--gecos").or(get(&values, "--comment")).map(str::to_string).unwrap_or_else(|| if system { String::new() } else { ",,,".into() });
            if !quiet {
                if system {
                    io.out_line(&format!("Adding system user `{user}' (UID {uid}) ..."));
                }
                io.out_line(&format!("Adding new user `{user}' ({uid}) with group `{}' ...", name_of_gid(sys, gid).unwrap_or_else(|| user.clone())));
            }
            append_line(sys, "/etc/passwd", &format!("{user}:x:{uid}:{gid}:{gecos}:{home}:{shell}"));
            if home == "/nonexistent" || has(&values, "--no-create-home") {
                if !quiet {
                    io.out_line(&format!("Not creating `{home}'."));
                }
            } else {
                if !quiet {
                    io.out_line(&format!("Creating home directory `{home}' ..."));
                    io.out_line("Copying files from `/etc/skel' ...");
                }
                create_home(sys, &home, uid, gid);
            }
            0
        }
        _ => {
            io.err_line("adduser: Only one or two names allowed.");
            1
        }
    }
}

/// busybox `adduser [-D] [-S] [-H] [-h HOME] [-g GECOS] [-s SHELL] [-G GROUP] [-u UID] USER [GROUP]`.
fn busybox_adduser(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let (values, operands) = match options(args, &[("-h", "-h"), ("-g", "-g"), ("-s", "-s"), ("-G", "-G"), ("-u", "-u"), ("-k", "-k")], &[("-D", "-D"), ("-S", "-S"), ("-H", "-H")]) {
        Ok(p) => p,
        Err(message) => {
            io.err_line(&format!("adduser: {message}"));
            io.err_line("BusyBox v1.36.1 multi-call binary.\n\nUsage: adduser [OPTIONS] USER [GROUP]");
            return 1;
        }
    };
    let entries = passwd(sys);
    match operands.as_slice() {
        [user, group] if entries.iter().any(|e| &e.name == user) => {
            if add_member(sys, group, user) {
                0
            } else {
                io.err_line(&format!("adduser: unknown group {group}"));
                1
            }
        }
        [user, ..] => {
            if entries.iter().any(|e| &e.name == user) {
                io.err_line(&format!("adduser: user '{user}' in use"));
                return 1;
            }
            let system = has(&values, "-S");
            let used: Vec<u32> = entries.iter().map(|e| e.uid).collect();
            let uid = match get(&values, "-u") {
                Some(text) => match text.parse::<u32>() {
                    Ok(uid) if used.contains(&uid) => {
                        io.err_line(&format!("adduser: uid '{uid}' in use"));
                        return 1;
                    }
                    Ok(uid) => uid,
                    Err(_) => {
                        io.err_line(&format!("adduser: invalid number '{text}'"));
                        return 1;
                    }
                },
                None if system => free_id(&used, 100..=999, false),
                None => free_id(&used, 1000..=64999, false),
            };
            let all_groups = groups(sys);
            let gid = match get(&values, "-G") {
                Some(group) => match all_groups.iter().find(|g| g.name == group) {
                    Some(g) => g.gid,
                    None => {
                        io.err_line(&format!("adduser: unknown group {group}"));
                        return 1;
                    }
                },
                None if system => all_groups.iter().find(|g| g.name == "nogroup").map(|g| g.gid).unwrap_or(65534),
                None => {
                    let used_gids: Vec<u32> = all_groups.iter().map(|g| g.gid).collect();
                    let gid = if used_gids.contains(&uid) { free_id(&used_gids, 1000..=64999, false) } else { uid };
                    append_line(sys, "/etc/group", &format!("{user}:x:{gid}:{user}"));
                    gid
                }
            };
            let home = get(&values, "-h").map(str::to_string).unwrap_or_else(|| format!("/home/{user}"));
            let shell = get(&values, "-s").unwrap_or(if system { "/sbin/nologin" } else { "/bin/sh" }).to_string();
            let gecos = get(&values, "-g").unwrap_or("Linux User,,,").to_string();
            append_line(sys, "/etc/passwd", &format!("{user}:x:{uid}:{gid}:{gecos}:{home}:{shell}"));
            if sys.fs.exists("/etc/shadow") {
                append_line(sys, "/etc/shadow", &format!("{user}:!:19800:0:99999:7:::"));
            }
            if let Some(group) = get(&values, "-G") {
                let group = group.to_string();
                add_member(sys, &group, user);
            }
            if !has(&values, "-H") {
                create_home(sys, &home, uid, gid);
            }
            if !has(&values, "-D") && !system {
                io.out_line(&format!("Changing password for {user}"));
                io.out_line("New password: ");
                io.err_line("passwd: password for {user} is unchanged".replace("{user}", user).as_str());
                return 1;
            }
            0
        }
        [] => {
            io.err_line("BusyBox v1.36.1 multi-call binary.");
            io.err_line("");
            io.err_line("Usage: adduser [OPTIONS] USER [GROUP]");
            1
        }
    }
}

/// busybox `addgroup [-g GID] [-S] GROUP` or `addgroup USER GROUP`.
fn busybox_addgroup(sys: &mut Sys, io: &mut Io, args: &[String]) -> i32 {
    let (values, operands) = match options(args, &[("-g", "-g")], &[("-S", "-S")]) {
        Ok(p) => p,
        Err(message) => {
            io.err_line(&format!("addgroup: {message}"));
            return 1;
        }
    };
    let existing = groups(sys);
    match operands.as_slice() {
        [user, group] => {
            if !passwd(sys).iter().any(|e| &e.name == user) {
                io.err_line(&format!("addgroup: unknown user {user}"));
                return 1;
            }
            if add_member(sys, group, user) {
                0
            } else {
                io.err_line(&format!("addgroup: unknown group {group}"));
                1
            }
        }
        [group] => {
            if existing.iter().any(|g| &g.name == group) {
                io.err_line(&format!("addgroup: group '{group}' in use"));
                return 1;
            }
            let used: Vec<u32> = existing.iter().map(|g| g.gid).collect();
            let gid = match get(&values, "-g") {
                Some(text) => match text.parse::<u32>() {
                    Ok(gid) if used.contains(&gid) => {
                        io.err_line(&format!("addgroup: gid '{gid}' in use"));
                        return 1;
                    }
                    Ok(gid) => gid,
                    Err(_) => {
                        io.err_line(&format!("addgroup: invalid number '{text}'"));
                        return 1;
                    }
                },
                None if has(&values, "-S") => free_id(&used, 100..=999, false),
                None => free_id(&used, 1000..=64999, false),
            };
            append_line(sys, "/etc/group", &format!("{group}:x:{gid}:"));
            0
        }
        _ => {
            io.err_line("BusyBox v1.36.1 multi-call binary.");
            io.err_line("");
            io.err_line("Usage: addgroup [-g GID] [-S] [USER] GROUP");
            1
        }
    }
}
