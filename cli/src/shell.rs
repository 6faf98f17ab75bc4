//! `whalebox shell`: an interactive prompt on a terminal, a line-by-line interpreter when piped.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use engine::{Engine, Event, Outcome, Stream};

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub seed: u64,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options { seed: 1 };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let value = match arg.as_str() {
                "--seed" => args.next().ok_or("--seed needs a number")?.as_str(),
                other => match other.strip_prefix("--seed=") {
                    Some(value) => value,
                    None => return Err(format!("unknown option '{other}'")),
                },
            };
            options.seed = value.parse().map_err(|_| format!("--seed needs a number, got '{value}'"))?;
        }
        Ok(options)
    }
}

pub fn run(options: Options) -> ExitCode {
    let mut engine = Engine::new(options.seed);
    let stdin = io::stdin();
    let interactive = stdin.is_terminal() && io::stdout().is_terminal();
    if interactive {
        println!("Whalebox {}: a simulated Docker host. Type 'help' to start, Ctrl-D to leave.", env!("CARGO_PKG_VERSION"));
    }
    let mut last_status = 0;
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            print!("{}", engine.prompt());
            let _ = io::stdout().flush();
        }
        let line = match lines.next() {
            Some(Ok(line)) => line,
            Some(Err(error)) => {
                eprintln!("whalebox: cannot read input: {error}");
                return ExitCode::from(2);
            }
            None => break,
        };
        let outcome = engine.run(&line);
        if write_outcome(&outcome, interactive).is_err() {
            // The reader went away (e.g. `| head`); stop quietly like a shell does.
            break;
        }
        if !line.trim().is_empty() {
            last_status = outcome.exit_code;
        }
    }
    if interactive {
        println!();
    }
    ExitCode::from(u8::try_from(last_status.rem_euclid(256)).unwrap_or(1))
}

fn write_outcome(outcome: &Outcome, interactive: bool) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    if interactive && outcome.events.contains(&Event::ScreenCleared) {
        // ANSI: erase the screen and move the cursor home.
        write!(stdout, "\x1b[2J\x1b[H")?;
    }
    for line in &outcome.output {
        match line.stream {
            Stream::Stdout => writeln!(stdout, "{}", line.text)?,
            Stream::Stderr => {
                stdout.flush()?;
                writeln!(stderr, "{}", line.text)?;
                stderr.flush()?;
            }
        }
    }
    stdout.flush()
}

#[cfg(test)]
mod tests {
    use super::Options;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn seed_flag_forms() {
        assert_eq!(Options::parse(&args("")).unwrap(), Options { seed: 1 });
        assert_eq!(Options::parse(&args("--seed 42")).unwrap(), Options { seed: 42 });
        assert_eq!(Options::parse(&args("--seed=7")).unwrap(), Options { seed: 7 });
        assert!(Options::parse(&args("--seed x")).unwrap_err().contains("'x'"));
        assert!(Options::parse(&args("--bogus")).is_err());
    }
}
