//! `whalebox lesson|drill|interview`: lessons, triage drills and interview practice in the
//! terminal, checked by the same goal checker as the browser, with goal progress after each command.

use std::io::{self, BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use engine::{Event, Outcome};
use lessons::{Action, Catalog, Item, Kind, Session};

use crate::shell::{self, Live};

pub const USAGE: &str = "\
Usage:
  whalebox lesson list              every item, one per line: ID<TAB>KIND<TAB>TITLE
  whalebox lesson start ID          work through an item (lesson, drill or interview)
  whalebox lesson check [FILE...]   load and replay content files from disk (default: all of
                                    lessons/content), for people writing items
  whalebox drill ID                 a triage drill: something is broken, the clock runs
  whalebox interview [ID]           interview practice: answer, see what you named, then watch
                                    the answer happen live (every item when no ID is given)

While an item runs, besides shell and docker commands:
  hint       the next hint, with what is still missing
  goal       the current step and what is still missing
  solution   print the reference solution for this step
  demo       run the reference solution for this step
  answer X   answer the step's question (a choice number or text)
  next       skip to the next item (interview practice)
  quit       leave
";

pub fn lesson(args: &[String]) -> ExitCode {
    match args.first().map(String::as_str) {
        Some("list") if args.len() == 1 => list(),
        Some("start") if args.len() == 2 => start(&args[1], None),
        Some("check") => check(&args[1..]),
        _ => usage_error(),
    }
}

pub fn drill(args: &[String]) -> ExitCode {
    match args {
        [id] => start(id, Some(Kind::Drill)),
        _ => usage_error(),
    }
}

pub fn interview(args: &[String]) -> ExitCode {
    let catalog = match embedded() {
        Ok(catalog) => catalog,
        Err(code) => return code,
    };
    let ids: Vec<String> = match args {
        [] => catalog.of_kind(Kind::Interview).map(|item| item.id.clone()).collect(),
        [id] => vec![id.clone()],
        _ => return usage_error(),
    };
    let mut input = Input::new();
    let mut status = ExitCode::SUCCESS;
    for id in ids {
        let Some(item) = find(&catalog, &id, Some(Kind::Interview)) else { return ExitCode::from(2) };
        match play(item, &mut input) {
            Ending::Quit => return ExitCode::from(1),
            Ending::Skipped | Ending::InputEnded => status = ExitCode::from(1),
            Ending::Completed => {}
        }
    }
    status
}

fn usage_error() -> ExitCode {
    eprint!("whalebox: wrong arguments\n\n{USAGE}");
    ExitCode::from(2)
}

fn embedded() -> Result<Catalog, ExitCode> {
    Catalog::embedded().map_err(|errors| {
        for error in errors {
            eprintln!("whalebox: {error}");
        }
        ExitCode::from(1)
    })
}

fn list() -> ExitCode {
    let catalog = match embedded() {
        Ok(catalog) => catalog,
        Err(code) => return code,
    };
    for item in &catalog.items {
        println!("{}\t{}\t{}", item.id, item.kind.as_str(), item.title);
    }
    ExitCode::SUCCESS
}

fn find<'a>(catalog: &'a Catalog, id: &str, kind: Option<Kind>) -> Option<&'a Item> {
    match catalog.get(id) {
        Some(item) if kind.is_none_or(|kind| kind == item.kind) => Some(item),
        Some(item) => {
            eprintln!("whalebox: {id} is a {}, not a {}; run: whalebox lesson start {id}", item.kind.as_str(), kind.map_or("", Kind::as_str));
            None
        }
        None => {
            eprintln!("whalebox: no item '{id}'; `whalebox lesson list` shows them all");
            None
        }
    }
}

fn start(id: &str, kind: Option<Kind>) -> ExitCode {
    let catalog = match embedded() {
        Ok(catalog) => catalog,
        Err(code) => return code,
    };
    let Some(item) = find(&catalog, id, kind) else { return ExitCode::from(2) };
    match play(item, &mut Input::new()) {
        Ending::Completed => ExitCode::SUCCESS,
        Ending::Quit | Ending::Skipped | Ending::InputEnded => ExitCode::from(1),
    }
}

/// `lesson check`: what authors run on their files — load (with file:line errors), then replay.
fn check(paths: &[String]) -> ExitCode {
    let root = PathBuf::from("lessons");
    let guides = match std::fs::read_to_string(root.join("guides.toml")) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("whalebox: lessons/guides.toml: {error} (run this from the repository root)");
            return ExitCode::from(2);
        }
    };
    let mut files = Vec::new();
    let wanted: Vec<PathBuf> = if paths.is_empty() {
        ["lessons", "drills", "interview"]
            .iter()
            .flat_map(|track| std::fs::read_dir(root.join("content").join(track)).into_iter().flatten().flatten().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .collect()
    } else {
        paths.iter().map(PathBuf::from).collect()
    };
    for path in wanted {
        let name = path.to_string_lossy().to_string();
        let relative = name.split("content/").nth(1).unwrap_or(&name).to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push((relative, text)),
            Err(error) => {
                eprintln!("{name}: {error}");
                return ExitCode::from(2);
            }
        }
    }
    files.sort();
    let catalog = match Catalog::from_files(&guides, files.into_iter()) {
        Ok(catalog) => catalog,
        Err(errors) => {
            for error in &errors {
                eprintln!("{error}");
            }
            return ExitCode::from(1);
        }
    };
    let mut failed = 0;
    for item in &catalog.items {
        let problems = lessons::replay::replay(item);
        if problems.is_empty() {
            println!("ok      {}\t{}", item.id, item.kind.as_str());
        } else {
            failed += 1;
            println!("FAILED  {}\t{}", item.id, item.kind.as_str());
            for problem in problems {
                println!("    {}", problem.replace('\n', "\n    "));
            }
        }
    }
    println!("{} items, {failed} failed", catalog.items.len());
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

enum Ending {
    Completed,
    Quit,
    /// `next`: on to the next interview item.
    Skipped,
    InputEnded,
}

/// Plays one item at the terminal until it is complete or the learner leaves.
fn play(item: &Item, input: &mut Input) -> Ending {
    let mut session = match Session::start(item) {
        Ok(session) => session,
        Err(error) => {
            eprintln!("whalebox: this item's setup failed, which is a bug in the item: {error}");
            return Ending::Quit;
        }
    };
    let started = Instant::now();
    println!("━━ {} ({}, {}, about {} min)", item.title, item.kind.as_str(), item.level.as_str(), item.minutes);
    if let Some(drill) = &item.drill {
        println!("\nIncident: {}\nPar time: {} minutes. The clock is running.", drill.symptom.trim(), drill.par_minutes);
    }
    println!("\n{}", item.concept.trim());
    if let Some(interview) = &item.interview {
        println!("\nQuestion: {}", interview.question.trim());
        println!("Answer in your own words; finish with an empty line.");
        let answer = input.paragraph();
        let grade = lessons::interview::grade(interview, &answer);
        println!("\nYou named {}:", grade.summary());
        for point in &grade.named {
            println!("  ✓ {}", point.point);
        }
        for point in &grade.missed {
            println!("  ✗ {}", point.point);
        }
        println!("\nA model answer:\n{}\n\nNow see it happen (type `demo` to play each step).", interview.model_answer.trim());
    }
    show_step(&session);
    while !session.is_complete() {
        let Some(line) = input.line(&session) else { return Ending::InputEnded };
        match line.trim() {
            "quit" => return Ending::Quit,
            "next" if item.kind == Kind::Interview => return Ending::Skipped,
            "hint" => {
                match session.hint() {
                    Some(hint) => {
                        println!("Hint {}/{}: {}", hint.number, hint.of, hint.text);
                        if !hint.missing.is_empty() {
                            println!("Still missing: {}", hint.missing.join("; "));
                        }
                    }
                    None => println!("No more hints for this step; `solution` shows the reference solution."),
                }
                continue;
            }
            "goal" => {
                show_step(&session);
                println!("Still missing: {}", session.progress().missing.join("; "));
                continue;
            }
            "solution" => {
                for action in &item.steps[session.step()].solution {
                    println!("{}", describe_action(action));
                }
                continue;
            }
            "demo" => {
                let step = session.step();
                for action in item.steps[step].solution.clone() {
                    println!("{}", describe_action(&action));
                    let turn = session.act(&action);
                    let _ = shell::write_outcome(&turn.outcome, input.interactive);
                    if session.step() != step {
                        break;
                    }
                }
                report(&session, step, &[]);
                continue;
            }
            _ => {}
        }
        let step = session.step();
        let turn = session.type_line(&line);
        let _ = shell::write_outcome(&turn.outcome, input.interactive);
        for event in &turn.outcome.events {
            if let Event::EditFile { path } = event {
                if let Err(problem) = shell::edit_in_real_editor(session.engine_mut(), path, input.interactive) {
                    eprintln!("whalebox: {problem}");
                }
            }
        }
        let mut live = LiveSession { session: &mut session, feedback: None };
        if live.is_live() {
            shell::follow_live(&mut live, input.interactive);
        }
        let feedback = live.feedback.take().or(turn.feedback);
        // Saving from an editor or live output may have moved things on: check once more.
        let turn_after = session.live_output(Outcome::default());
        report(&session, step, &feedback.into_iter().chain(turn_after.feedback).take(1).collect::<Vec<_>>());
    }
    finish(&session, started);
    Ending::Completed
}

/// A session followed as a live command runs, so goals see what the command printed.
struct LiveSession<'a> {
    session: &'a mut Session,
    feedback: Option<String>,
}

impl Live for LiveSession<'_> {
    fn is_live(&self) -> bool {
        self.session.engine().is_live()
    }
    fn tick(&mut self, millis: u64) -> Outcome {
        let outcome = self.session.engine_mut().tick(millis);
        let turn = self.session.live_output(outcome);
        self.feedback = turn.feedback.or(self.feedback.take());
        turn.outcome
    }
    fn interrupt(&mut self) -> Outcome {
        let outcome = self.session.engine_mut().interrupt();
        self.session.live_output(outcome).outcome
    }
}

fn show_step(session: &Session) {
    let item = session.item();
    let Some(step) = item.steps.get(session.step()) else { return };
    println!("\n── Step {} of {}", session.step() + 1, item.steps.len());
    println!("{}", step.instruction.trim());
    if let Some(question) = &step.question {
        println!("\n{}", question.prompt.trim());
        for (number, choice) in question.choices.iter().enumerate() {
            println!("  {}. {choice}", number + 1);
        }
        println!("(type: answer …)");
    }
    println!("Goal: {}", step.goal.describe());
}

/// Goal progress after a command: steps done, what is missing, feedback on a known mistake.
fn report(session: &Session, step_before: usize, feedback: &[String]) {
    let item = session.item();
    for done in step_before..session.step() {
        println!("✓ Step {} done.", done + 1);
        if let Some(explanation) = &item.steps[done].explanation {
            println!("  {}", explanation.trim());
        }
    }
    if session.is_complete() {
        return;
    }
    if session.step() != step_before {
        show_step(session);
        return;
    }
    for text in feedback {
        println!("» {}", text.trim());
    }
    println!("» Step {}/{}: still missing: {}", session.step() + 1, item.steps.len(), session.progress().missing.join("; "));
}

fn finish(session: &Session, started: Instant) {
    let item = session.item();
    println!("\n━━ Complete: {}", item.title);
    if let Some(drill) = &item.drill {
        let elapsed = started.elapsed().as_secs();
        let score = session.score(elapsed);
        println!(
            "Time {}m{:02}s (par {} min) · hints {} · commands {} · score {}/1000 (time {}, hints {}, commands {})",
            elapsed / 60,
            elapsed % 60,
            drill.par_minutes,
            session.hints_used(),
            session.commands_typed(),
            score.total,
            score.time,
            score.hints,
            score.commands
        );
        println!("\nRoot cause: {}\nFix: {}", drill.debrief.root_cause.trim(), drill.debrief.fix.trim());
        for rule in &drill.debrief.prevention {
            println!("  - {}", rule.trim());
        }
    }
}

fn describe_action(action: &Action) -> String {
    match action {
        Action::Command(line) | Action::Expect { run: line, .. } => format!("$ {line}"),
        Action::Write { write, text } => format!("(editor) {write}:\n{text}"),
        Action::Answer { answer } => format!("$ answer {answer}"),
    }
}

/// Lines from a readline prompt at a terminal, or from standard input when piped.
struct Input {
    interactive: bool,
    editor: Option<rustyline::Editor<shell::Completion, rustyline::history::DefaultHistory>>,
    piped: Option<io::Lines<io::StdinLock<'static>>>,
}

impl Input {
    fn new() -> Input {
        let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
        let editor = if interactive { rustyline::Editor::new().ok() } else { None };
        let piped = if editor.is_none() { Some(io::stdin().lock().lines()) } else { None };
        Input { interactive: editor.is_some(), editor, piped }
    }

    fn raw(&mut self, prompt: &str, world: Option<&engine::World>) -> Option<String> {
        if let Some(editor) = &mut self.editor {
            editor.set_helper(world.map(|world| shell::Completion { world: world.clone() }));
            loop {
                match editor.readline(prompt) {
                    Ok(line) => return Some(line),
                    Err(rustyline::error::ReadlineError::Interrupted) => continue,
                    Err(_) => return None,
                }
            }
        }
        self.piped.as_mut()?.next()?.ok()
    }

    /// One complete command (a here-document or open quote continues on the next lines).
    fn line(&mut self, session: &Session) -> Option<String> {
        let mut text = String::new();
        loop {
            let prompt = if text.is_empty() { session.engine().prompt() } else { engine::Engine::CONTINUATION_PROMPT.to_string() };
            let line = self.raw(&prompt, Some(session.engine().world()))?;
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&line);
            if session.engine().is_complete(&text) {
                if let Some(editor) = &mut self.editor {
                    let _ = editor.add_history_entry(text.as_str());
                }
                return Some(text);
            }
        }
    }

    /// Lines up to an empty one (an interview answer).
    fn paragraph(&mut self) -> String {
        let mut text = String::new();
        while let Some(line) = self.raw("answer> ", None) {
            if line.trim().is_empty() {
                break;
            }
            text.push_str(&line);
            text.push('\n');
        }
        text
    }
}
