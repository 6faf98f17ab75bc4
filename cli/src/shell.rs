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
    let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
    let last_status = if interactive { run_interactive(&mut engine) } else { run_piped(&mut engine) };
    ExitCode::from(u8::try_from(last_status.rem_euclid(256)).unwrap_or(1))
}

/// Reads commands from a pipe or file, printing only their output, like `sh script`. Lines that
/// leave a command unfinished (a here-document, an open quote) are joined with the next.
fn run_piped(engine: &mut Engine) -> i32 {
    let mut last_status = 0;
    let mut pending = String::new();
    for line in io::stdin().lock().lines() {
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                eprintln!("whalebox: cannot read input: {error}");
                return 2;
            }
        };
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(&line);
        if !engine.is_complete(&pending) {
            continue;
        }
        match run_and_print(engine, &std::mem::take(&mut pending), false) {
            Some(status) => last_status = status.unwrap_or(last_status),
            None => return last_status,
        }
    }
    if !pending.is_empty() {
        // Input ended inside a command: run it so the shell reports what is missing.
        if let Some(status) = run_and_print(engine, &pending, false) {
            last_status = status.unwrap_or(last_status);
        }
    }
    last_status
}

/// Runs `text` and prints its output. `None` when the reader went away (e.g. `| head`), so the
/// shell stops quietly; otherwise the command's status, or `None` inside for a blank line.
fn run_and_print(engine: &mut Engine, text: &str, interactive: bool) -> Option<Option<i32>> {
    let outcome = engine.run(text);
    write_outcome(&outcome, interactive).ok()?;
    let mut status = outcome.exit_code;
    for event in &outcome.events {
        if let Event::EditFile { path } = event {
            if let Err(problem) = edit_in_real_editor(engine, path, interactive) {
                eprintln!("whalebox: {problem}");
                status = 1;
            }
        }
    }
    if engine.is_live() {
        status = follow_live(engine, interactive)?;
    }
    Some((!text.trim().is_empty()).then_some(status))
}

/// How long a live command (`logs -f`, `stats`, an attached server) follows when input is piped:
/// a script cannot press Ctrl-C, so after this much simulated time it is interrupted for it.
const PIPED_FOLLOW_SECONDS: u32 = 30;

/// Set by the Ctrl-C handler while a live command runs.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A command still running that the terminal follows: the engine itself, or a lesson session
/// that checks goals as the output arrives.
pub(crate) trait Live {
    fn is_live(&self) -> bool;
    fn tick(&mut self, millis: u64) -> Outcome;
    fn interrupt(&mut self) -> Outcome;
}

impl Live for Engine {
    fn is_live(&self) -> bool {
        Engine::is_live(self)
    }
    fn tick(&mut self, millis: u64) -> Outcome {
        Engine::tick(self, millis)
    }
    fn interrupt(&mut self) -> Outcome {
        Engine::interrupt(self)
    }
}

/// Lets a live command run: on a terminal one simulated second per real second until Ctrl-C;
/// piped, [`PIPED_FOLLOW_SECONDS`] at once. Returns the command's final status.
pub(crate) fn follow_live(live: &mut dyn Live, interactive: bool) -> Option<i32> {
    use std::sync::atomic::Ordering;
    static HANDLER: std::sync::Once = std::sync::Once::new();
    if interactive {
        HANDLER.call_once(|| {
            // Without a handler Ctrl-C would end the whole shell; if it cannot be installed, the
            // live command still ends by itself after the piped limit.
            let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
        });
    }
    INTERRUPTED.store(false, Ordering::SeqCst);
    let mut status = 0;
    let mut seconds = 0;
    while live.is_live() {
        let interrupted = INTERRUPTED.swap(false, Ordering::SeqCst) || (!interactive && seconds >= PIPED_FOLLOW_SECONDS);
        let outcome = if interrupted {
            println!("^C");
            live.interrupt()
        } else {
            if interactive {
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
            seconds += 1;
            live.tick(1000)
        };
        write_outcome(&outcome, interactive).ok()?;
        status = outcome.exit_code;
    }
    Some(status)
}

/// Tab completion of docker subcommands, flags and the names in a copy of the world taken before
/// each prompt (the engine itself is busy being borrowed mutably between prompts).
pub(crate) struct Completion {
    pub(crate) world: engine::World,
}

impl rustyline::completion::Completer for Completion {
    type Candidate = String;

    fn complete(&self, line: &str, pos: usize, _: &rustyline::Context<'_>) -> rustyline::Result<(usize, Vec<String>)> {
        let prefix = line.get(..pos).unwrap_or(line);
        let start = prefix.rfind(char::is_whitespace).map_or(0, |at| at + 1);
        Ok((start, engine::completion::candidates_in(&self.world, prefix)))
    }
}

impl rustyline::hint::Hinter for Completion {
    type Hint = String;
}
impl rustyline::highlight::Highlighter for Completion {}
impl rustyline::validate::Validator for Completion {}
impl rustyline::Helper for Completion {}

/// A readline prompt with history on ↑/↓ and Tab completion, for people at a terminal.
fn run_interactive(engine: &mut Engine) -> i32 {
    let mut editor = match rustyline::Editor::<Completion, rustyline::history::DefaultHistory>::new() {
        Ok(editor) => editor,
        Err(error) => {
            eprintln!("whalebox: cannot start the line editor: {error}");
            return run_piped(engine);
        }
    };
    println!(
        "Whalebox {}: a simulated Docker host. Type 'help' to start, Ctrl-D to leave.",
        env!("CARGO_PKG_VERSION")
    );
    let mut last_status = 0;
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { engine.prompt() } else { Engine::CONTINUATION_PROMPT.to_string() };
        editor.set_helper(Some(Completion { world: engine.world().clone() }));
        match editor.readline(&prompt) {
            Ok(line) => {
                if !pending.is_empty() {
                    pending.push('\n');
                }
                pending.push_str(&line);
                if !engine.is_complete(&pending) {
                    continue;
                }
                let text = std::mem::take(&mut pending);
                if !text.trim().is_empty() {
                    let _ = editor.add_history_entry(text.as_str());
                }
                match run_and_print(engine, &text, true) {
                    Some(status) => last_status = status.unwrap_or(last_status),
                    None => break,
                }
            }
            // Ctrl-C abandons the command being typed, as in bash.
            Err(rustyline::error::ReadlineError::Interrupted) => pending.clear(),
            Err(_) => break,
        }
    }
    last_status
}

/// `edit FILE` on a terminal: the file goes to a temporary copy, `$VISUAL`/`$EDITOR` (else `vi`)
/// edits it, and the text comes back into the simulated host. Piped input has no one to edit.
pub(crate) fn edit_in_real_editor(engine: &mut Engine, path: &str, interactive: bool) -> Result<(), String> {
    if !interactive {
        return Err(format!("edit needs a terminal; write {path} with `cat > FILE <<'EOF'` instead"));
    }
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".to_string());
    let name = path.rsplit('/').next().unwrap_or("file");
    let scratch = std::env::temp_dir().join(format!("whalebox-{}-{name}", std::process::id()));
    std::fs::write(&scratch, engine.read_file(path).unwrap_or_default()).map_err(|e| format!("{}: {e}", scratch.display()))?;
    // `EDITOR="code -w"`: a program and its own arguments.
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program).args(words).arg(&scratch).status().map_err(|e| format!("cannot start {editor}: {e}"));
    let text = std::fs::read_to_string(&scratch).map_err(|e| format!("{}: {e}", scratch.display()));
    let _ = std::fs::remove_file(&scratch);
    if !status?.success() {
        return Err(format!("{editor} failed; {path} is unchanged"));
    }
    engine.write_file(path, &text?)
}

pub(crate) fn write_outcome(outcome: &Outcome, interactive: bool) -> io::Result<()> {
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
