//! A POSIX `sh` good enough for Dockerfile `RUN` lines and `docker run … sh -c`: dash (Debian's
//! `/bin/sh`), busybox ash (alpine, busybox) and bash, differing in their error wording.

mod builtins;
mod expand;
mod interp;
mod parse;

use super::{Io, Sys};
use interp::Shell;
pub(crate) use expand::{pattern_match, Piece};

/// Which shell is running: decides message formats and a few behaviours (`echo`, `pipefail`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Dash,
    Ash,
    Bash,
}

/// `sh [-eux] [-o opt] -c SCRIPT [NAME [ARGS…]]`, `sh FILE [ARGS…]`, or `sh` reading stdin.
pub fn main(sys: &mut Sys, io: &mut Io, argv: &[String], flavour: Flavour) -> i32 {
    let invoked = argv.first().cloned().unwrap_or_else(|| "sh".into());
    let mut shell = Shell::new(sys, flavour, invoked.clone());
    let mut rest = argv.iter().skip(1).peekable();
    let mut command: Option<String> = None;
    let mut want_command = false;
    while let Some(arg) = rest.peek() {
        let arg = arg.as_str();
        if arg == "--" {
            rest.next();
            break;
        }
        if arg == "-o" || arg == "+o" {
            rest.next();
            if let Some(option) = rest.next() {
                if !shell.set_long_option(option, arg == "-o") {
                    io.err_line(&format!("{invoked}: 0: Illegal option -o {option}"));
                    return 2;
                }
            }
            continue;
        }
        let Some(flags) = arg.strip_prefix('-').or_else(|| arg.strip_prefix('+')) else { break };
        if flags.is_empty() || arg.starts_with("--") {
            // `--login`, `--norc`: accepted and ignored.
            rest.next();
            if flags.is_empty() {
                break;
            }
            continue;
        }
        let on = arg.starts_with('-');
        for flag in flags.chars() {
            match flag {
                'c' => want_command = true,
                'l' | 'i' | 's' => {}
                other => {
                    if !shell.set_short_option(other, on) {
                        io.err_line(&format!("{invoked}: 0: Illegal option -{other}"));
                        return 2;
                    }
                }
            }
        }
        rest.next();
    }
    let operands: Vec<String> = rest.cloned().collect();
    let script;
    if want_command {
        let Some((text, names)) = operands.split_first() else {
            io.err_line(&match flavour {
                Flavour::Dash => format!("{invoked}: 0: -c requires an argument"),
                Flavour::Ash => format!("{invoked}: -c requires an argument"),
                Flavour::Bash => format!("{invoked}: -c: option requires an argument"),
            });
            return 2;
        };
        command = Some(text.clone());
        if let Some((name, args)) = names.split_first() {
            shell.set_name(name);
            shell.positional = args.to_vec();
        }
        script = command.clone().unwrap_or_default();
    } else if let Some((file, args)) = operands.split_first() {
        let path = shell.sys.abs(file);
        match shell.sys.read(&path) {
            Some(text) => script = text,
            None => {
                io.err_line(&match flavour {
                    Flavour::Dash => format!("{invoked}: 0: cannot open {file}: No such file"),
                    Flavour::Ash => format!("{invoked}: can't open '{file}': No such file or directory"),
                    Flavour::Bash => format!("{invoked}: {file}: No such file or directory"),
                });
                return if flavour == Flavour::Bash { 127 } else { 2 };
            }
        }
        shell.set_name(file);
        shell.positional = args.to_vec();
    } else {
        // No script: read commands from stdin (`echo 'echo hi' | sh`, `curl … | sh`).
        script = std::mem::take(&mut io.stdin);
    }
    let _ = command;
    shell.run_script(&script, io)
}

#[cfg(test)]
mod tests;
