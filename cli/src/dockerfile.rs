//! `whalebox dockerfile dump FILE`: BuildKit's `AST.Dump()` of a Dockerfile, or Docker's parse
//! error (with its line) and exit status 1.

use std::process::ExitCode;

use engine::dockerfile;

pub const USAGE: &str = "Usage: whalebox dockerfile dump FILE";

/// Runs `whalebox dockerfile ARGS…`.
pub fn run(args: &[String]) -> ExitCode {
    match args {
        [command, path] if command == "dump" => dump(path),
        _ => {
            eprintln!("whalebox: {USAGE}");
            ExitCode::from(2)
        }
    }
}

fn dump(path: &str) -> ExitCode {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("whalebox: cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    // BuildKit reads bytes; invalid UTF-8 only ever appears inside arguments.
    let text = String::from_utf8_lossy(&bytes);
    // Like BuildKit's own dumper: the parse tree only, so instruction-level checks (unknown
    // flags, a HEALTHCHECK type) do not stop the dump.
    match dockerfile::parse_ast(&text) {
        Ok(ast) => {
            print!("{}", ast.dump());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}", dockerfile::ParseError::from(error));
            ExitCode::FAILURE
        }
    }
}
