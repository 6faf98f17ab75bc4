//! `cargo xtask serve|dist|test|bench|conformance`: Whalebox's build, test and benchmark scripts, in Rust.
//!
//! Each command installs the tools it needs once per machine (see [`tools`]), outside the clone,
//! so a fresh clone on a machine that already has them starts in seconds.

mod bench;
mod bench_browser;
mod bench_native;
mod bench_network;
mod chromium;
mod conformance;
mod dist;
mod offline;
mod process;
mod serve;
mod stats;
mod testing;
mod tools;

#[cfg(test)]
mod tidy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N]   build the site and serve dist/ on http://127.0.0.1:N (default 8080)
  dist               build the static site into dist/ (trunk build --release, offline)
  test               every test: cargo test --workspace, the wasm build, browser e2e tests
  bench              measure size, start-up time and command latency into BENCHMARKS.md
  conformance [--oracle]
                     the conformance/ scenarios on the simulator; with --oracle against the real
                     engine (DOCKER_HOST, default the oracle's socket), into conformance/RESULTS.md

Tools are installed once per machine into ~/.cache/whalebox/tools (override: WHALEBOX_TOOLS).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => parse_port(&args[1..]).and_then(serve::command),
        Some("dist") => no_more_args(&args[1..]).and_then(|()| dist::command()),
        Some("test") => no_more_args(&args[1..]).and_then(|()| testing::command()),
        Some("bench") => no_more_args(&args[1..]).and_then(|()| bench::command()),
        Some("conformance") => conformance::command(&args[1..]),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("xtask: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse_port(args: &[String]) -> anyhow::Result<u16> {
    match args {
        [] => Ok(8080),
        [flag, value] if flag == "--port" => value
            .parse()
            .map_err(|_| anyhow::anyhow!("--port wants a number from 0 to 65535, not `{value}`")),
        [flag] if flag.starts_with("--port=") => {
            let value = &flag["--port=".len()..];
            value.parse().map_err(|_| {
                anyhow::anyhow!("--port wants a number from 0 to 65535, not `{value}`")
            })
        }
        _ => anyhow::bail!("serve takes only `--port N`, not `{}`", args.join(" ")),
    }
}

fn no_more_args(args: &[String]) -> anyhow::Result<()> {
    if args.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("unexpected arguments `{}`\n\n{USAGE}", args.join(" "))
    }
}

/// The workspace root (the folder holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn port_defaults_to_8080_and_accepts_both_spellings() {
        assert_eq!(parse_port(&[]).unwrap(), 8080);
        assert_eq!(parse_port(&strings(&["--port", "9000"])).unwrap(), 9000);
        assert_eq!(parse_port(&strings(&["--port=0"])).unwrap(), 0);
    }

    #[test]
    fn bad_ports_and_stray_arguments_are_refused() {
        assert!(parse_port(&strings(&["--port", "70000"])).is_err());
        assert!(parse_port(&strings(&["--port"])).is_err());
        assert!(parse_port(&strings(&["--verbose"])).is_err());
        assert!(no_more_args(&strings(&["--release"])).is_err());
        assert!(no_more_args(&[]).is_ok());
    }

    #[test]
    fn workspace_root_holds_the_workspace_manifest() {
        let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"));
    }
}
