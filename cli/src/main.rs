//! `whalebox`: the Whalebox engine in a native terminal, and on Linux the real kernel beside it.

mod dockerfile;
mod learn;
mod native;
mod shell;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Learn Docker on a simulated host; on Linux as root, see the real kernel mechanisms too.
#[derive(Parser, Debug)]
#[command(name = "whalebox", version, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// A simulated Docker host: interactive on a terminal, or reads commands from standard input
    /// when piped (prints exactly what the browser shows). Options: --seed N
    #[command(disable_help_flag = true)]
    Shell {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// `dockerfile dump FILE`: BuildKit's parse-tree dump of a Dockerfile, or its parse error
    #[command(disable_help_flag = true)]
    Dockerfile {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// Lessons, drills and interview items: list | start ID | check [FILE...] (`lesson help`)
    #[command(disable_help_flag = true)]
    Lesson {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// A triage drill with a clock, hints and a debrief: drill ID
    #[command(disable_help_flag = true)]
    Drill {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// Interview practice with live demos: interview [ID]
    #[command(disable_help_flag = true)]
    Interview {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// The real kernel (Linux, root): namespaces, cgroups, overlayfs, veth bridges and DNS
    Demo {
        #[command(subcommand)]
        demo: native::Demo,
    },
    /// Run a simulated image as a real container (Linux, root): `run --real IMAGE [CMD]...`
    Run(native::RunArgs),
    /// Print a completion script for a shell: bash, zsh, fish, elvish or powershell
    Completions { shell: clap_complete::Shell },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { native::exit::USAGE } else { 0 };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        None => {
            let _ = Cli::command().print_help();
            ExitCode::SUCCESS
        }
        Some(Command::Shell { args }) => match shell::Options::parse(&args) {
            Ok(options) => shell::run(options),
            Err(message) => {
                eprintln!("whalebox: {message}\n\n{}", Cli::command().render_help());
                ExitCode::from(native::exit::USAGE)
            }
        },
        Some(Command::Dockerfile { args }) => dockerfile::run(&args),
        Some(Command::Lesson { args })
            if matches!(args.first().map(String::as_str), Some("help" | "--help" | "-h")) =>
        {
            print!("{}", learn::USAGE);
            ExitCode::SUCCESS
        }
        Some(Command::Lesson { args }) => learn::lesson(&args),
        Some(Command::Drill { args }) => learn::drill(&args),
        Some(Command::Interview { args }) => learn::interview(&args),
        Some(Command::Demo { demo }) => native::demo(demo),
        Some(Command::Run(args)) => native::run(args),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "whalebox", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn demo_flags_parse_into_typed_values() {
        let cli = Cli::try_parse_from(["whalebox", "demo", "cgroup", "--memory", "32m", "--cpus", "0.5"])
            .expect("parses");
        let Some(Command::Demo { demo: native::Demo::Cgroup(args) }) = cli.command else {
            panic!("not a cgroup demo: {cli:?}")
        };
        assert_eq!(args.memory.bytes, 32 * 1024 * 1024);
        assert_eq!(args.cpus, Some(0.5));
    }

    #[test]
    fn run_needs_real_and_an_image() {
        let cli = Cli::try_parse_from(["whalebox", "run", "--real", "-e", "A=1", "--memory", "64m", "alpine", "echo", "-n", "hi"])
            .expect("parses");
        let Some(Command::Run(args)) = cli.command else { panic!("not run") };
        assert!(args.real);
        assert_eq!(args.image, "alpine");
        assert_eq!(args.command, ["echo", "-n", "hi"]);
        assert_eq!(args.env, ["A=1"]);
        assert!(Cli::try_parse_from(["whalebox", "run", "--real"]).is_err());
        assert!(Cli::try_parse_from(["whalebox", "demo", "cgroup", "--memory", "lots"]).is_err());
    }
}
