//! The terminal as plain data: the engine, the scrollback it has printed, and the input history cursor.
//!
//! Nothing here knows about Leptos or the DOM, so every keystroke's effect is testable natively
//! (`cargo test -p app`); the view in `components::terminal` only forwards events and renders.

use crate::editor_model::EditorDocs;
use crate::machine::Machine;
use engine::{Engine, Event, Stream};
use lessons::Turn;

/// How many lines the scrollback keeps. Like a real terminal's limit, it bounds memory and DOM
/// size when a learner runs noisy commands for a long session.
pub const MAX_SCROLLBACK: usize = 5_000;

/// What a scrollback line is, so the view can style each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The prompt and the command the learner typed.
    Input,
    Stdout,
    Stderr,
}

/// One rendered line of the scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Unique for the life of the terminal, so the view can key lines and never rebuild old ones.
    pub id: u64,
    pub kind: LineKind,
    /// The prompt shown before an [`LineKind::Input`] line; empty for output.
    pub prompt: String,
    pub text: String,
}

impl Line {
    /// The line as it reads on screen.
    pub fn full_text(&self) -> String {
        format!("{}{}", self.prompt, self.text)
    }
}

/// A whole terminal session around one [`Engine`].
#[derive(Debug)]
pub struct Terminal {
    machine: Machine,
    /// What the last command (or live tick) did to the item's goals, for the lesson panel.
    last_turn: Option<Turn>,
    /// The events of the last command or tick, for the visualizers.
    last_events: Vec<Event>,
    lines: Vec<Line>,
    next_id: u64,
    /// Bumped on every scrollback change, so the view can ignore changes that leave it untouched.
    revision: u64,
    /// `false` once the screen has been cleared, as `clear` wipes a real terminal's greeting too.
    show_banner: bool,
    /// Index into the engine's history while browsing with ↑/↓; `None` while editing a new line.
    history_cursor: Option<usize>,
    /// The unfinished line the learner was typing before pressing ↑, given back by the last ↓.
    draft: String,
    /// Lines of a command still being typed (after `<<EOF`, an open quote or a trailing `\\`).
    pending: String,
    /// Where the live command's last redraw began (`docker stats` replaces its table each second).
    redraw_from: Option<usize>,
    /// The last command's exit status.
    last_status: i32,
    /// The input as the last Tab left it, when that Tab found several candidates: a second Tab
    /// on the same input lists them, as bash does.
    ambiguous_tab: Option<String>,
    /// The file editor's open file and drafts (kept here, as the editor panel comes and goes).
    editor: EditorDocs,
}

/// Bash lays completion candidates out in columns no wider than this (an 80-column terminal).
const COMPLETION_WIDTH: usize = 80;

impl Terminal {
    /// A terminal on a fresh machine built from `seed`.
    pub fn new(seed: u64) -> Self {
        Self::with_engine(Engine::new(seed))
    }

    /// A terminal around an existing machine, e.g. one restored from a snapshot.
    pub fn with_engine(engine: Engine) -> Self {
        Self::with_machine(Machine::Sandbox(engine))
    }

    /// A terminal typing into a sandbox or a lesson session.
    pub fn with_machine(machine: Machine) -> Self {
        Terminal {
            machine,
            last_turn: None,
            last_events: Vec::new(),
            lines: Vec::new(),
            next_id: 0,
            revision: 0,
            show_banner: true,
            history_cursor: None,
            draft: String::new(),
            pending: String::new(),
            redraw_from: None,
            last_status: 0,
            ambiguous_tab: None,
            editor: EditorDocs::default(),
        }
    }

    pub fn engine(&self) -> &Engine {
        self.machine.engine()
    }

    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    pub fn machine_mut(&mut self) -> &mut Machine {
        &mut self.machine
    }

    /// The goal check after the last command, in a lesson, drill or interview.
    pub fn last_turn(&self) -> Option<&Turn> {
        self.last_turn.as_ref()
    }

    /// What the last command or live tick reported (builds, API requests, exits…).
    pub fn last_events(&self) -> &[Event] {
        &self.last_events
    }

    pub fn prompt(&self) -> String {
        if self.pending.is_empty() {
            self.machine.engine().prompt()
        } else {
            Engine::CONTINUATION_PROMPT.to_string()
        }
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn show_banner(&self) -> bool {
        self.show_banner
    }

    /// Runs `command` as if typed and followed by Enter, and returns its exit status.
    pub fn submit(&mut self, command: &str) -> i32 {
        let prompt = self.prompt();
        self.push(LineKind::Input, prompt, command.to_owned());
        // An unfinished command (a here-document, an open quote) waits for more lines, as bash
        // does with its `> ` prompt.
        let text = if self.pending.is_empty() { command.to_owned() } else { format!("{}\n{command}", self.pending) };
        if !self.machine.engine().is_complete(&text) {
            self.pending = text;
            self.draft.clear();
            return 0;
        }
        self.pending.clear();
        self.redraw_from = None;
        let (outcome, turn) = self.machine.run(&text);
        self.last_turn = turn;
        self.last_events = outcome.events.clone();
        self.show(outcome);
        self.history_cursor = None;
        self.draft.clear();
        self.engine_status()
    }

    fn engine_status(&self) -> i32 {
        self.last_status
    }

    /// Prints an outcome: a `clear` wipes the screen first, so anything printed alongside it is
    /// what the learner sees on the fresh screen; a redraw replaces the live command's last one.
    fn show(&mut self, outcome: engine::Outcome) {
        if outcome.events.contains(&Event::ScreenCleared) {
            self.clear_screen();
        }
        if outcome.events.contains(&Event::Redraw) {
            match self.redraw_from {
                Some(from) if from <= self.lines.len() => {
                    self.lines.truncate(from);
                    self.revision += 1;
                }
                _ => self.redraw_from = Some(self.lines.len()),
            }
        }
        for line in outcome.output {
            let kind = match line.stream {
                Stream::Stdout => LineKind::Stdout,
                Stream::Stderr => LineKind::Stderr,
            };
            self.push(kind, String::new(), line.text);
        }
        for event in &outcome.events {
            if let Event::EditFile { path } = event {
                // The page brings the Files tab forward with this file open; the line says where it
                // went, for anyone not looking at (or not seeing) the side pane.
                self.editor.request_open(path);
                let shown = crate::editor_model::display_name(path).to_string();
                self.push(LineKind::Stdout, String::new(), format!("Opened {shown} in the Files panel; save with Ctrl+S."));
            }
        }
        self.last_status = outcome.exit_code;
    }

    /// Whether a command is still running (`docker logs -f`, `docker stats`): the prompt hides
    /// and the view calls [`Terminal::tick`] every second until it ends or Ctrl+C.
    pub fn is_live(&self) -> bool {
        self.machine.engine().is_live()
    }

    /// One second of a live command: prints what it printed.
    pub fn tick(&mut self) {
        if self.machine.engine().is_live() {
            let (outcome, turn) = self.machine.tick(1000);
            self.last_turn = turn.or(self.last_turn.take());
            self.last_events = outcome.events.clone();
            self.show(outcome);
        }
    }

    /// Ctrl+C while a command runs: `^C`, then whatever the command prints as it stops.
    pub fn interrupt_live(&mut self) {
        self.push(LineKind::Stdout, String::new(), "^C".to_owned());
        let (outcome, turn) = self.machine.interrupt();
        self.last_turn = turn.or(self.last_turn.take());
        self.last_events = outcome.events.clone();
        self.redraw_from = None;
        self.show(outcome);
    }

    /// Abandons the line being typed, as Ctrl+C does in bash: it stays on screen marked `^C`.
    pub fn interrupt(&mut self, partial: &str) {
        let prompt = self.prompt();
        self.push(LineKind::Input, prompt, format!("{partial}^C"));
        self.pending.clear();
        self.history_cursor = None;
        self.draft.clear();
    }

    /// Wipes the scrollback (Ctrl+L, or the engine's `clear`).
    pub fn clear_screen(&mut self) {
        self.lines.clear();
        self.show_banner = false;
        self.revision += 1;
    }

    /// ↑: the next older history entry, or `None` when there is nothing older to show.
    /// `current` is what the input holds now; it is kept as the draft when browsing starts.
    pub fn history_up(&mut self, current: &str) -> Option<String> {
        let history = self.machine.engine().history();
        let index = match self.history_cursor {
            None if history.is_empty() => return None,
            None => {
                self.draft = current.to_owned();
                history.len() - 1
            }
            Some(0) => return None,
            Some(index) => index - 1,
        };
        self.history_cursor = Some(index);
        history.get(index).cloned()
    }

    /// ↓: the next newer history entry, then the draft; `None` when not browsing history.
    pub fn history_down(&mut self) -> Option<String> {
        let index = self.history_cursor?;
        let history = self.machine.engine().history();
        if index + 1 < history.len() {
            self.history_cursor = Some(index + 1);
            history.get(index + 1).cloned()
        } else {
            self.history_cursor = None;
            Some(std::mem::take(&mut self.draft))
        }
    }

    /// Tab with `before_caret` typed: the text to put before the caret instead, if it changes.
    ///
    /// Like bash: one candidate completes the word (and a space follows it); several complete
    /// their common prefix, and a second Tab with nothing more to add lists them under a copy
    /// of the prompt line. Candidates come from the CLI's own command data and the world's names.
    pub fn complete(&mut self, before_caret: &str) -> Option<String> {
        let ambiguous_before = self.ambiguous_tab.take();
        if !self.pending.is_empty() || self.machine.engine().in_container_shell() {
            return None;
        }
        let candidates = engine::completion::candidates_in(self.machine.engine().world(), before_caret);
        let partial_start = before_caret.rfind(char::is_whitespace).map(|i| i + 1).unwrap_or(0);
        let partial = &before_caret[partial_start..];
        match candidates.as_slice() {
            [] => None,
            [only] => Some(format!("{}{only} ", &before_caret[..partial_start])),
            several => {
                let common = common_prefix(several);
                if common.len() > partial.len() && common.starts_with(partial) {
                    let completed = format!("{}{common}", &before_caret[..partial_start]);
                    self.ambiguous_tab = Some(completed.clone());
                    return Some(completed);
                }
                if ambiguous_before.as_deref() == Some(before_caret) {
                    let prompt = self.prompt();
                    self.push(LineKind::Input, prompt, before_caret.to_owned());
                    // Bash lists completions sorted, whatever order the help gives them in.
                    let mut sorted = several.to_vec();
                    sorted.sort();
                    for row in columns(&sorted, COMPLETION_WIDTH) {
                        self.push(LineKind::Stdout, String::new(), row);
                    }
                } else {
                    self.ambiguous_tab = Some(before_caret.to_owned());
                }
                None
            }
        }
    }

    /// Pasted text: every complete line runs as if typed and followed by Enter, in order; what
    /// follows the last newline is returned to stay in the input. `before`/`after` are the
    /// input's text around the caret. A line that starts a live command stops the paste there.
    pub fn paste(&mut self, before: &str, pasted: &str, after: &str) -> String {
        let text = format!("{before}{}{after}", pasted.replace("\r\n", "\n").replace('\r', "\n"));
        let mut lines: Vec<&str> = text.split('\n').collect();
        let rest = lines.pop().unwrap_or_default().to_owned();
        for line in lines {
            if self.is_live() {
                return String::new();
            }
            self.submit(line);
        }
        rest
    }

    /// The file editor's open file and drafts.
    pub fn editor(&self) -> &EditorDocs {
        &self.editor
    }

    pub fn editor_mut(&mut self) -> &mut EditorDocs {
        &mut self.editor
    }

    /// The saved text of the learner's file `path`, as the next build will read it.
    pub fn saved_text(&self, path: &str) -> Option<String> {
        self.machine.engine().read_file(path)
    }

    /// Saves the editor's `text` as `path` on the simulated host, where the next `docker build`
    /// reads it. In a lesson the goals are checked again, as after a command.
    pub fn save_file(&mut self, path: &str, text: &str) -> Result<(), String> {
        match self.machine.session_mut() {
            Some(session) => {
                let turn = session.write_file(path, text)?;
                self.last_turn = Some(turn);
            }
            None => {
                let engine = self.machine.engine_mut();
                engine.make_dirs(engine::fs::parent(path));
                engine.write_file(path, text)?;
            }
        }
        self.editor.discard_draft(path);
        Ok(())
    }

    /// The lines pushed after the line with id `after` (all lines when `None`), for announcing
    /// only what is new.
    pub fn lines_after(&self, after: Option<u64>) -> &[Line] {
        let start = match after {
            Some(id) => self.lines.partition_point(|line| line.id <= id),
            None => 0,
        };
        &self.lines[start..]
    }

    fn push(&mut self, kind: LineKind, prompt: String, text: String) {
        self.lines.push(Line {
            id: self.next_id,
            kind,
            prompt,
            text,
        });
        self.next_id += 1;
        if self.lines.len() > MAX_SCROLLBACK {
            let excess = self.lines.len() - MAX_SCROLLBACK;
            self.lines.drain(..excess);
        }
        self.revision += 1;
    }
}

/// The longest prefix all `words` share.
fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else { return String::new() };
    let mut end = first.len();
    for word in &words[1..] {
        end = first.char_indices().zip(word.chars()).take_while(|((_, a), b)| a == b).map(|((i, a), _)| i + a.len_utf8()).last().unwrap_or(0).min(end);
    }
    first[..end].to_string()
}

/// `words` laid out as bash lists completions: columns of equal width, filled down first.
fn columns(words: &[String], width: usize) -> Vec<String> {
    let column_width = words.iter().map(|w| w.chars().count()).max().unwrap_or(0) + 2;
    let per_row = (width / column_width).max(1);
    let rows = words.len().div_ceil(per_row);
    (0..rows)
        .map(|row| {
            let mut line = String::new();
            for column in 0..per_row {
                if let Some(word) = words.get(column * rows + row) {
                    line.push_str(&format!("{word:<column_width$}"));
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(terminal: &Terminal) -> Vec<String> {
        terminal.lines().iter().map(Line::full_text).collect()
    }

    #[test]
    fn heredocs_continue_on_the_next_line() {
        let mut terminal = Terminal::new(1);
        terminal.submit("cat > notes.txt <<EOF");
        assert_eq!(terminal.prompt(), "> ");
        terminal.submit("hello");
        terminal.submit("EOF");
        assert_ne!(terminal.prompt(), "> ");
        terminal.submit("cat notes.txt");
        let last = terminal.lines().last().unwrap();
        assert_eq!((last.kind, last.text.as_str()), (LineKind::Stdout, "hello"));
        let echoed: Vec<&str> = terminal.lines().iter().filter(|l| l.kind == LineKind::Input).map(|l| l.prompt.as_str()).collect();
        assert_eq!(echoed[1..3], ["> ", "> "]);
    }

    #[test]
    fn submit_echoes_prompt_and_command_before_output() {
        let mut terminal = Terminal::new(1);
        let prompt = terminal.prompt();
        terminal.submit("echo hi");
        let first = &terminal.lines()[0];
        assert_eq!(first.kind, LineKind::Input);
        assert_eq!(first.prompt, prompt);
        assert_eq!(first.text, "echo hi");
        assert_eq!(first.full_text(), format!("{prompt}echo hi"));
    }

    #[test]
    fn output_lines_follow_the_echo_with_their_stream() {
        let mut engine = Engine::new(1);
        let expected = engine.run("docker run hello-world");
        let mut terminal = Terminal::new(1);
        let exit_code = terminal.submit("docker run hello-world");
        assert_eq!(exit_code, expected.exit_code);
        let shown: Vec<(LineKind, &str)> = terminal.lines()[1..]
            .iter()
            .map(|l| (l.kind, l.text.as_str()))
            .collect();
        let wanted: Vec<(LineKind, &str)> = expected
            .output
            .iter()
            .map(|l| {
                let kind = match l.stream {
                    Stream::Stdout => LineKind::Stdout,
                    Stream::Stderr => LineKind::Stderr,
                };
                (kind, l.text.as_str())
            })
            .collect();
        assert_eq!(shown, wanted);
    }

    #[test]
    fn unknown_command_is_marked_as_stderr() {
        let mut terminal = Terminal::new(1);
        let exit_code = terminal.submit("definitely-not-a-command");
        assert_ne!(exit_code, 0);
        assert!(terminal.lines()[1..]
            .iter()
            .any(|l| l.kind == LineKind::Stderr));
    }

    #[test]
    fn clear_wipes_scrollback_and_banner() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo one");
        assert!(terminal.show_banner());
        terminal.submit("clear");
        assert!(terminal.lines().is_empty(), "left: {:?}", texts(&terminal));
        assert!(!terminal.show_banner());
        terminal.submit("echo two");
        assert_eq!(terminal.lines()[0].text, "echo two");
    }

    #[test]
    fn revision_moves_only_when_scrollback_changes() {
        let mut terminal = Terminal::new(1);
        let start = terminal.revision();
        terminal.history_up("");
        assert_eq!(terminal.revision(), start);
        terminal.submit("echo hi");
        assert!(terminal.revision() > start);
    }

    #[test]
    fn line_ids_are_unique_even_across_clears() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo a");
        let before = terminal.lines()[0].id;
        terminal.clear_screen();
        terminal.submit("echo b");
        assert_ne!(terminal.lines()[0].id, before);
    }

    #[test]
    fn scrollback_is_bounded() {
        let mut terminal = Terminal::new(1);
        for i in 0..MAX_SCROLLBACK + 10 {
            terminal.interrupt(&i.to_string());
        }
        assert_eq!(terminal.lines().len(), MAX_SCROLLBACK);
        assert_eq!(terminal.lines()[0].text, "10^C");
    }

    #[test]
    fn interrupt_keeps_the_abandoned_line() {
        let mut terminal = Terminal::new(1);
        terminal.interrupt("docker ps -");
        assert_eq!(terminal.lines()[0].text, "docker ps -^C");
        assert!(terminal.engine().history().is_empty());
    }

    #[test]
    fn history_up_walks_to_older_entries_and_stops_at_the_oldest() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo one");
        terminal.submit("echo two");
        terminal.submit("echo three");
        assert_eq!(terminal.history_up("").as_deref(), Some("echo three"));
        assert_eq!(
            terminal.history_up("echo three").as_deref(),
            Some("echo two")
        );
        assert_eq!(terminal.history_up("echo two").as_deref(), Some("echo one"));
        assert_eq!(terminal.history_up("echo one"), None);
    }

    #[test]
    fn history_down_returns_to_newer_entries_then_the_draft() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo one");
        terminal.submit("echo two");
        assert_eq!(terminal.history_up("docker p").as_deref(), Some("echo two"));
        assert_eq!(terminal.history_up("echo two").as_deref(), Some("echo one"));
        assert_eq!(terminal.history_down().as_deref(), Some("echo two"));
        assert_eq!(terminal.history_down().as_deref(), Some("docker p"));
        assert_eq!(terminal.history_down(), None);
    }

    #[test]
    fn history_with_nothing_typed_yet_does_nothing() {
        let mut terminal = Terminal::new(1);
        assert_eq!(terminal.history_up("half"), None);
        assert_eq!(terminal.history_down(), None);
    }

    #[test]
    fn submitting_restarts_history_browsing_from_the_newest() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo one");
        terminal.submit("echo two");
        terminal.history_up("");
        terminal.history_up("");
        terminal.submit("echo one");
        assert_eq!(terminal.history_up("").as_deref(), Some("echo one"));
        assert_eq!(terminal.history_up("").as_deref(), Some("echo two"));
    }

    #[test]
    fn tab_with_one_candidate_completes_the_word_and_a_space() {
        let mut terminal = Terminal::new(1);
        assert_eq!(terminal.complete("do").as_deref(), Some("docker "));
        assert_eq!(terminal.complete("docker vers").as_deref(), Some("docker version "));
        assert_eq!(terminal.complete("docker run --detach-").as_deref(), Some("docker run --detach-keys "));
        assert_eq!(terminal.complete("ls Dock"), None, "only docker command lines complete");
        assert!(terminal.lines().is_empty(), "completing prints nothing");
    }

    #[test]
    fn tab_completes_names_from_the_world() {
        let mut terminal = Terminal::new(1);
        terminal.submit("docker run -d --name webserver nginx");
        assert_eq!(terminal.complete("docker stop web").as_deref(), Some("docker stop webserver "));
    }

    #[test]
    fn tab_with_several_candidates_extends_then_lists_on_the_second_tab() {
        let mut terminal = Terminal::new(1);
        // `config`, `container`, `context`: the common prefix `con` is already typed.
        assert_eq!(terminal.complete("docker con"), None);
        assert!(terminal.lines().is_empty(), "the first Tab only rings the bell");
        assert_eq!(terminal.complete("docker con"), None);
        let shown = texts(&terminal);
        assert_eq!(shown[0], format!("{}docker con", terminal.prompt()));
        let listed: Vec<&str> = shown[1..].iter().flat_map(|row| row.split_whitespace()).collect();
        assert_eq!(listed, ["config", "container", "context"]);
        // A third Tab starts over: nothing more is printed until it is pressed twice again.
        terminal.complete("docker con");
        assert_eq!(texts(&terminal).len(), shown.len());
    }

    #[test]
    fn tab_fills_in_a_longer_common_prefix_first() {
        let mut terminal = Terminal::new(1);
        // `--detach` and `--detach-keys` share `--detach`.
        assert_eq!(terminal.complete("docker run --det").as_deref(), Some("docker run --detach"));
        assert!(terminal.lines().is_empty());
    }

    #[test]
    fn completion_columns_fill_down_first() {
        let words: Vec<String> = ["a", "bb", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(columns(&words, 8), ["a   d", "bb  e", "c"]);
        assert_eq!(common_prefix(&["--detach".into(), "--detach-keys".into()]), "--detach");
        assert_eq!(common_prefix(&["ab".into(), "cd".into()]), "");
    }

    #[test]
    fn pasting_lines_runs_each_complete_one_and_keeps_the_rest() {
        let mut terminal = Terminal::new(1);
        let left = terminal.paste("ec", "ho one\r\necho two\necho thr", "ee");
        assert_eq!(left, "echo three");
        let outputs: Vec<&str> = terminal.lines().iter().filter(|l| l.kind == LineKind::Stdout).map(|l| l.text.as_str()).collect();
        assert_eq!(outputs, ["one", "two"]);
        assert_eq!(terminal.engine().history(), ["echo one", "echo two"]);
    }

    #[test]
    fn pasting_a_heredoc_feeds_its_lines_in_turn() {
        let mut terminal = Terminal::new(1);
        let left = terminal.paste("", "cat > f.txt <<EOF\nhello\nEOF\ncat f.txt\n", "");
        assert_eq!(left, "");
        assert_eq!(terminal.lines().last().map(|l| l.text.as_str()), Some("hello"));
    }

    #[test]
    fn edit_opens_the_file_in_the_editor() {
        let mut terminal = Terminal::new(1);
        terminal.submit("edit Dockerfile");
        assert_eq!(terminal.editor().open_path(), Some("/home/learner/Dockerfile"));
        assert_eq!(terminal.editor().open_requests(), 1);
        assert!(texts(&terminal).iter().any(|l| l.contains("Opened Dockerfile in the Files panel")));
    }

    #[test]
    fn saving_writes_the_host_file_the_build_reads() {
        let mut terminal = Terminal::new(1);
        terminal.editor_mut().set_draft("/home/learner/Dockerfile", "FROM alpine\n", None);
        terminal.save_file("/home/learner/app/Dockerfile", "FROM alpine\nCMD [\"echo\", \"built\"]\n").unwrap();
        assert_eq!(terminal.saved_text("/home/learner/app/Dockerfile").as_deref(), Some("FROM alpine\nCMD [\"echo\", \"built\"]\n"));
        terminal.submit("docker build -t mine app");
        assert_eq!(terminal.last_status, 0, "{:?}", texts(&terminal));
        terminal.submit("docker run --rm mine");
        assert_eq!(terminal.lines().last().map(|l| l.text.as_str()), Some("built"));
    }

    #[test]
    fn saving_in_a_lesson_rechecks_the_goals() {
        let json = r#"[{"id":"t","title":"T","kind":"lesson","level":"beginner","minutes":1,"concept":"c",
            "steps":[{"instruction":"Write notes.txt","goal":{"file_exists":"notes.txt"},"hints":["h"],"solution":[{"write":"notes.txt","text":"x"}]}]}]"#;
        let catalog = lessons::Catalog::from_json(json).unwrap();
        let session = lessons::Session::start(&catalog.items[0]).unwrap();
        let mut terminal = Terminal::with_machine(Machine::Item(Box::new(session)));
        assert!(terminal.last_turn().is_none());
        terminal.save_file("/home/learner/notes.txt", "x\n").unwrap();
        assert!(terminal.machine().session().unwrap().is_complete(), "the step's goal holds once the file is saved");
        assert!(terminal.last_turn().is_some());
    }

    #[test]
    fn lines_after_gives_only_the_new_lines() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo one");
        let seen = terminal.lines().last().map(|l| l.id);
        terminal.submit("echo two");
        let new: Vec<String> = terminal.lines_after(seen).iter().map(Line::full_text).collect();
        assert_eq!(new.len(), 2);
        assert_eq!(new[1], "two");
        assert_eq!(terminal.lines_after(None).len(), 4);
    }

    #[test]
    fn same_seed_same_screen() {
        let run = || {
            let mut terminal = Terminal::new(1);
            for command in ["docker run hello-world", "docker ps -a", "docker images"] {
                terminal.submit(command);
            }
            texts(&terminal)
        };
        assert_eq!(run(), run());
    }
}

/// Hooks for the lesson panel (modes, undo, share links), kept in their own block so changes to
/// the terminal above merge cleanly.
impl Terminal {
    /// Prints a message from the page itself (not from a command), one scrollback line per line.
    pub fn say(&mut self, kind: LineKind, text: &str) {
        for line in text.lines() {
            self.push(kind, String::new(), line.to_owned());
        }
    }

    /// Swaps in another machine (an item started, an undo, a reset); what the old one was doing
    /// mid-command is dropped with it.
    pub fn replace_machine(&mut self, machine: Machine) {
        self.machine = machine;
        self.last_turn = None;
        self.last_events.clear();
        self.pending.clear();
        self.redraw_from = None;
        self.history_cursor = None;
        self.draft.clear();
        self.revision += 1;
    }
}
