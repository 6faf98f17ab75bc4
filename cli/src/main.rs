//! `whalebox`: the Whalebox engine in a native terminal.

mod dockerfile;
mod learn;
mod shell;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: whalebox <COMMAND>

Commands:
  shell [--seed N]   a simulated Docker host: interactive on a terminal, or reads commands
                     from standard input when piped (prints exactly what the browser shows)
  dockerfile dump FILE
                     print BuildKit's parse-tree dump of a Dockerfile, or its parse error
  lesson list | start ID | check [FILE...]
                     lessons, drills and interview items (see `whalebox lesson help`)
  drill ID           a triage drill with a clock, hints and a debrief
  interview [ID]     interview practice with live demos
  help               this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("shell") => match shell::Options::parse(&args[1..]) {
            Ok(options) => shell::run(options),
            Err(message) => {
                eprintln!("whalebox: {message}\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("dockerfile") => dockerfile::run(&args[1..]),
        Some("lesson") if matches!(args.get(1).map(String::as_str), Some("help" | "--help" | "-h")) => {
            print!("{}", learn::USAGE);
            ExitCode::SUCCESS
        }
        Some("lesson") => learn::lesson(&args[1..]),
        Some("drill") => learn::drill(&args[1..]),
        Some("interview") => learn::interview(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("whalebox: unknown command '{other}'\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
