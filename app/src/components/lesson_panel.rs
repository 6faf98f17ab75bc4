//! The lesson panel: the mode switcher (sandbox, lessons, drills, interview), the item picker, the
//! item being played (`item_view`), sandbox starters, undo/reset/share, and saved progress.
//!
//! `data-*` attributes are the e2e contract: `data-mode`, `data-item-id`, `data-action`,
//! `data-starter`, `data-share-url`, `data-notice`.

mod item_view;
mod tools;

use std::rc::Rc;

use leptos::prelude::*;
use lessons::{Catalog, Item};

use crate::machine::Machine;
use crate::modes::{self, Journal, Mode};
use crate::progress::{self, Progress};
use crate::share::{self, Replay};
use crate::state::{LineKind, Terminal};
use crate::undo::UndoStack;
use crate::{web, DEFAULT_SEED};

/// Where the catalog is, next to the page (written by `cargo xtask dist`).
const CATALOG_URL: &str = "lessons.json";

#[derive(Clone)]
pub enum CatalogState {
    NotLoaded,
    Loading,
    Ready(Rc<Catalog>),
    Failed(String),
}

/// Something waiting for the catalog to arrive.
type CatalogUser = Box<dyn FnOnce(Rc<Catalog>)>;

/// The item being played, as the page (not the engine) knows it: real time and hints shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRun {
    pub id: String,
    pub started_ms: f64,
    pub finished_ms: Option<f64>,
    /// A drill's score, once finished.
    pub score: Option<lessons::score::Score>,
    /// Hints shown for `hint_step`.
    pub hints: Vec<lessons::Hint>,
    pub hint_step: usize,
    /// Set when the step had no more hints to give.
    pub hints_exhausted: bool,
}

/// The panel's state, shared by its views (all handles, so it is `Copy`).
#[derive(Clone, Copy)]
pub struct Panel {
    pub terminal: RwSignal<Terminal, LocalStorage>,
    pub mode: RwSignal<Mode>,
    pub catalog: RwSignal<CatalogState, LocalStorage>,
    pub progress: RwSignal<Progress>,
    pub notice: RwSignal<Option<String>>,
    pub run: RwSignal<Option<ItemRun>>,
    pub share_url: RwSignal<Option<String>>,
    /// The wall clock, once a second, for a drill's timer.
    pub now: RwSignal<f64>,
    undo: StoredValue<UndoStack, LocalStorage>,
    journal: StoredValue<Journal, LocalStorage>,
    /// The sandbox machine, kept while an item runs, so going back to the sandbox finds it as left.
    stashed_sandbox: StoredValue<Option<Machine>, LocalStorage>,
    /// What to do once `lessons.json` has arrived.
    waiting_for_catalog: StoredValue<Vec<CatalogUser>, LocalStorage>,
}

impl Panel {
    fn new(terminal: RwSignal<Terminal, LocalStorage>) -> Panel {
        let (undo, journal) = terminal.with_untracked(|t| {
            let mut undo = UndoStack::default();
            undo.reset(t.machine());
            (undo, Journal::start(t.machine()))
        });
        Panel {
            terminal,
            mode: RwSignal::new(Mode::Sandbox),
            catalog: RwSignal::new_local(CatalogState::NotLoaded),
            progress: RwSignal::new(Progress::default()),
            notice: RwSignal::new(None),
            run: RwSignal::new(None),
            share_url: RwSignal::new(None),
            now: RwSignal::new(web::now_ms()),
            undo: StoredValue::new_local(undo),
            journal: StoredValue::new_local(journal),
            stashed_sandbox: StoredValue::new_local(None),
            waiting_for_catalog: StoredValue::new_local(Vec::new()),
        }
    }

    /// Loads `lessons.json` once, then hands the catalog on.
    pub fn with_catalog(self, then: impl FnOnce(Rc<Catalog>) + 'static) {
        if let CatalogState::Ready(catalog) = self.catalog.get_untracked() {
            then(catalog);
            return;
        }
        self.waiting_for_catalog.update_value(|waiting| waiting.push(Box::new(then)));
        if matches!(self.catalog.get_untracked(), CatalogState::Loading) {
            return;
        }
        self.catalog.set(CatalogState::Loading);
        leptos::task::spawn_local(async move {
            let loaded = web::fetch_text(CATALOG_URL).await.and_then(|text| Catalog::from_json(&text));
            match loaded {
                Ok(catalog) => {
                    let catalog = Rc::new(catalog);
                    self.catalog.set(CatalogState::Ready(catalog.clone()));
                    for then in self.waiting_for_catalog.try_update_value(std::mem::take).unwrap_or_default() {
                        then(catalog.clone());
                    }
                }
                Err(why) => self.catalog.set(CatalogState::Failed(format!("The lessons could not be loaded: {why}"))),
            }
        });
    }

    /// The item the machine is playing, if any.
    pub fn current_item(self) -> Option<Item> {
        self.terminal.with(|t| t.machine().session().map(|s| s.item().clone()))
    }

    /// Starts a machine afresh: forgets undo states and the journal.
    fn restart_history(self) {
        self.terminal.with_untracked(|t| {
            self.undo.update_value(|undo| undo.reset(t.machine()));
            self.journal.set_value(Journal::start(t.machine()));
        });
        self.share_url.set(None);
    }

    pub fn start_item(self, item: &Item) {
        let session = match lessons::Session::start(item) {
            Ok(session) => session,
            Err(why) => {
                self.notice.set(Some(format!("This item could not start: {why}")));
                return;
            }
        };
        self.terminal.update(|t| {
            if let Machine::Sandbox(engine) = t.machine() {
                self.stashed_sandbox.set_value(Some(Machine::Sandbox(engine.clone())));
            }
            t.clear_screen();
            t.replace_machine(Machine::Item(Box::new(session)));
            t.say(LineKind::Stdout, &format!("Started {}: {}", item.kind.as_str(), item.title));
        });
        self.restart_history();
        self.run.set(Some(ItemRun { id: item.id.clone(), started_ms: web::now_ms(), finished_ms: None, score: None, hints: Vec::new(), hint_step: 0, hints_exhausted: false }));
        self.mode.set(Mode::of_kind(item.kind));
        self.notice.set(None);
        self.save_current();
    }

    /// Back to the sandbox machine as it was left (or a fresh one).
    pub fn enter_sandbox(self) {
        self.mode.set(Mode::Sandbox);
        let in_item = self.terminal.with_untracked(|t| t.machine().session().is_some());
        if in_item {
            let machine = self.stashed_sandbox.try_update_value(Option::take).flatten().unwrap_or_else(|| Machine::Sandbox(engine::Engine::new(DEFAULT_SEED)));
            self.terminal.update(|t| {
                t.replace_machine(machine);
                t.say(LineKind::Stdout, "Back in the sandbox.");
            });
            self.restart_history();
            self.run.set(None);
        }
        self.save_current();
    }

    pub fn undo(self) {
        let last = self.terminal.with_untracked(|t| t.engine().history().last().cloned());
        match self.undo.try_update_value(UndoStack::undo).flatten() {
            Some(machine) => {
                self.terminal.update(|t| {
                    t.replace_machine(machine);
                    let what = last.map(|line| format!(" before `{line}`")).unwrap_or_default();
                    t.say(LineKind::Stdout, &format!("Undone: the machine is back to where it was{what}."));
                });
                self.after_command();
            }
            None => self.terminal.update(|t| t.say(LineKind::Stderr, "Nothing to undo.")),
        }
    }

    pub fn reset(self) {
        match self.current_item() {
            Some(item) => {
                self.start_item(&item);
                self.terminal.update(|t| t.say(LineKind::Stdout, "Reset: the item starts over."));
            }
            None => {
                self.terminal.update(|t| {
                    t.replace_machine(Machine::Sandbox(engine::Engine::new(DEFAULT_SEED)));
                    t.say(LineKind::Stdout, &format!("Reset: a fresh machine (seed {DEFAULT_SEED})."));
                });
                self.restart_history();
                self.save_current();
            }
        }
    }

    /// The current session as a replay (commands, plus files the editor saved).
    fn capture(self) -> Replay {
        let item = self.current_item();
        let mut replay = self.journal.with_value(|j| j.replay(DEFAULT_SEED, item.as_ref().map(|i| i.id.as_str())));
        // Replaying the log alone shows which files only the editor explains.
        if let Ok(machine) = modes::starting_machine(&replay, item.as_ref()) {
            let mut copy = Terminal::with_machine(machine);
            let mut journal = Journal::start(copy.machine());
            modes::play(&mut copy, &replay, &mut journal);
            replay.files = self.terminal.with_untracked(|t| share::editor_files(t.engine(), copy.engine()));
        }
        replay
    }

    pub fn share(self) {
        match share::encode(&self.capture()) {
            Ok(value) => {
                let url = format!("{}#s={value}", web::page_url());
                web::copy_to_clipboard(&url);
                self.share_url.set(Some(url));
            }
            Err(why) => {
                self.share_url.set(None);
                self.terminal.update(|t| t.say(LineKind::Stderr, &why.to_string()));
            }
        }
    }

    /// Rebuilds a session from a replay (a share link or the saved session).
    fn open_replay(self, replay: Replay, told: &'static str) {
        let Some(id) = replay.item.clone() else {
            self.play_replay(replay, None, told);
            return;
        };
        self.with_catalog(move |catalog| match catalog.get(&id) {
            Some(item) => self.play_replay(replay, Some(item), told),
            None => self.terminal.update(|t| t.say(LineKind::Stderr, &format!("whalebox: no lesson, drill or interview item named \"{id}\""))),
        });
    }

    fn play_replay(self, replay: Replay, item: Option<&Item>, told: &str) {
        let machine = match modes::starting_machine(&replay, item) {
            Ok(machine) => machine,
            Err(why) => return self.terminal.update(|t| t.say(LineKind::Stderr, &why)),
        };
        self.terminal.update(|t| {
            t.replace_machine(machine);
            let count = replay.commands.len();
            t.say(LineKind::Stdout, &format!("{told}: replaying {count} {}.", if count == 1 { "command" } else { "commands" }));
        });
        self.restart_history();
        if let Some(item) = item {
            self.run.set(Some(ItemRun { id: item.id.clone(), started_ms: web::now_ms(), finished_ms: None, score: None, hints: Vec::new(), hint_step: 0, hints_exhausted: false }));
            self.mode.set(Mode::of_kind(item.kind));
        } else {
            self.mode.set(Mode::Sandbox);
        }
        self.terminal.update(|t| self.journal.update_value(|journal| modes::play(t, &replay, journal)));
        self.after_command();
        self.save_current();
    }

    /// After every command: keep an undo state, extend the journal, notice completion, save.
    fn after_command(self) {
        let journal_before = self.journal.with_value(|j| j.entries().len());
        self.terminal.with_untracked(|t| {
            self.undo.update_value(|undo| undo.observe(t.machine()));
            self.journal.update_value(|journal| journal.observe(t));
        });
        // A live command's ticks move the scrollback every second; storage is written only when
        // the journal changed.
        let journal_changed = self.journal.with_value(|j| j.entries().len()) != journal_before;
        let finished = self.terminal.with_untracked(|t| t.machine().session().filter(|s| s.is_complete()).map(|s| (s.item().id.clone(), s.kind(), s.clone())));
        if let Some((id, kind, session)) = finished {
            let run = self.run.get_untracked();
            if run.as_ref().is_some_and(|run| run.id == id && run.finished_ms.is_none()) {
                let now = web::now_ms();
                let started = run.map_or(now, |run| run.started_ms);
                let score = (kind == lessons::Kind::Drill).then(|| session.score(((now - started) / 1000.0).max(0.0) as u64));
                self.run.update(|run| {
                    if let Some(run) = run {
                        run.finished_ms = Some(now);
                        run.score = score;
                    }
                });
                self.progress.update(|p| p.complete(&id, score.map(|s| s.total), now));
            }
        }
        if journal_changed {
            self.save_current();
        }
    }

    fn save_current(self) {
        let item = self.terminal.with_untracked(|t| t.machine().session().map(|s| s.item().id.clone()));
        let replay = self.journal.with_value(|j| j.replay(DEFAULT_SEED, item.as_deref()));
        let mode = self.mode.get_untracked().as_str().to_string();
        self.progress.update(|p| {
            p.current = Some(replay);
            p.mode = Some(mode);
        });
    }

    /// Runs the current step's reference solution, as if typed.
    pub fn demo(self) {
        let solution = self.terminal.with_untracked(|t| t.machine().session().and_then(|s| s.item().steps.get(s.step()).map(|step| step.solution.clone())));
        let Some(solution) = solution else { return };
        self.terminal.update(|t| {
            for action in &solution {
                match action {
                    lessons::Action::Command(line) | lessons::Action::Expect { run: line, .. } => {
                        // Line by line, as typed (and as a replay types it).
                        for part in line.split('\n') {
                            t.submit(part);
                        }
                        if t.is_live() {
                            t.interrupt_live();
                        }
                    }
                    lessons::Action::Answer { answer } => {
                        t.submit(&format!("answer {answer}"));
                    }
                    lessons::Action::Write { write, text } => {
                        let path = lessons::goal::from_home(write);
                        self.journal.update_value(|j| j.observe(t));
                        match modes::save_file(t.machine_mut(), &path, text) {
                            Ok(()) => {
                                self.journal.update_value(|j| j.note_write(&path, text));
                                t.say(LineKind::Stdout, &format!("(demo) saved {path}"));
                            }
                            Err(why) => t.say(LineKind::Stderr, &why),
                        }
                    }
                }
                self.undo.update_value(|undo| undo.observe(t.machine()));
                self.journal.update_value(|j| j.observe(t));
            }
        });
        self.after_command();
        // The journal moved inside the update, before `after_command` looked.
        self.save_current();
    }

    /// The next hint for the current step.
    pub fn hint(self) {
        let step = self.terminal.with_untracked(|t| t.machine().session().map(|s| s.step()));
        let hint = self.terminal.try_update(|t| t.machine_mut().session_mut().and_then(|s| s.hint())).flatten();
        self.run.update(|run| {
            let Some(run) = run else { return };
            if step != Some(run.hint_step) {
                run.hints.clear();
                run.hints_exhausted = false;
                run.hint_step = step.unwrap_or(0);
            }
            match hint {
                Some(hint) => run.hints.push(hint),
                None => run.hints_exhausted = true,
            }
        });
    }

    /// Loads a starter project into the sandbox and moves there.
    pub fn load_starter(self, starter: &'static crate::starters::Starter) {
        if self.terminal.with_untracked(|t| t.machine().session().is_some()) {
            self.enter_sandbox();
        }
        self.terminal.update(|t| {
            self.journal.update_value(|j| j.observe(t));
            for (path, text) in starter.files_at_home() {
                match modes::save_file(t.machine_mut(), &path, text) {
                    Ok(()) => self.journal.update_value(|j| j.note_write(&path, text)),
                    Err(why) => t.say(LineKind::Stderr, &why),
                }
            }
            t.submit(&starter.cd_line());
            t.say(LineKind::Stdout, &starter.announcement());
        });
        self.after_command();
        // The journal moved inside the update, before `after_command` looked.
        self.save_current();
    }

    /// Reads saved progress and the URL at start-up; a share link wins over the saved session.
    fn restore(self) {
        let loaded = progress::load(web::storage_get(progress::STORAGE_KEY).as_deref());
        if let Some(bad) = &loaded.quarantine {
            web::storage_set(progress::QUARANTINE_KEY, bad);
        }
        self.notice.set(loaded.notice.clone());
        let saved_mode = loaded.progress.mode.as_deref().and_then(Mode::parse);
        let saved = loaded.progress.current.clone();
        self.progress.set(loaded.progress);
        if let Some(value) = share::fragment_value(&web::location_hash()) {
            match share::decode(value) {
                Ok(replay) => return self.open_replay(replay, "Opened a share link"),
                Err(why) => self.terminal.update(|t| t.say(LineKind::Stderr, &why.to_string())),
            }
        }
        match saved {
            Some(replay) if !crate::recovery::recovery_chosen() && (replay.item.is_some() || !replay.commands.is_empty()) => {
                self.open_replay(replay, "Welcome back: your session is restored")
            }
            _ => {
                if let Some(mode) = saved_mode {
                    self.mode.set(mode);
                }
            }
        }
    }
}

#[component]
pub fn LessonPanel(terminal: RwSignal<Terminal, LocalStorage>) -> impl IntoView {
    let panel = Panel::new(terminal);
    panel.restore();

    // After each command (the scrollback moves): undo, journal, completion, saved session.
    let revision = Memo::new(move |_| terminal.with(Terminal::revision));
    Effect::new(move |previous: Option<()>| {
        let _ = revision.get();
        if previous.is_some() {
            panel.after_command();
        }
    });
    // Saved on every change; a browser that refuses storage still plays.
    // Written after the output is painted, with whatever the progress is by then.
    Effect::new(move |_| {
        panel.progress.track();
        crate::deferred::after_paint(progress::STORAGE_KEY, move || {
            if let Some(text) = panel.progress.try_with_untracked(Progress::to_json) {
                web::storage_set(progress::STORAGE_KEY, &text);
            }
        });
    });
    // The drill clock's second hand.
    let ticker = set_interval_with_handle(move || panel.now.set(web::now_ms()), std::time::Duration::from_secs(1));
    on_cleanup(move || {
        if let Ok(handle) = ticker {
            handle.clear();
        }
    });
    // The picker needs the catalog as soon as a mode lists items.
    Effect::new(move |_| {
        if panel.mode.get() != Mode::Sandbox {
            panel.with_catalog(|_| ());
        }
    });

    // Which item plays, if any: the panel's body is rebuilt only when this changes, not per command.
    let playing = Memo::new(move |_| terminal.with(|t| t.machine().session().map(|s| (s.kind(), s.item().id.clone()))));

    view! {
        <aside class="lesson-panel" aria-label="Lessons, drills and interview practice">
            <div class="mode-switcher" role="group" aria-label="Mode">
                {Mode::ALL
                    .into_iter()
                    .map(|mode| {
                        view! {
                            <button
                                class="mode-button"
                                data-mode=mode.as_str()
                                aria-pressed=move || (panel.mode.get() == mode).to_string()
                                on:click=move |_| {
                                    if mode == Mode::Sandbox {
                                        panel.enter_sandbox();
                                    } else {
                                        panel.mode.set(mode);
                                        panel.save_current();
                                    }
                                }
                            >
                                {mode.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <tools::SessionActions panel=panel />
            {move || panel.notice.get().map(|text| view! {
                <p class="panel-notice" role="status" data-notice="">
                    {text}
                    <button class="link-button" aria-label="Dismiss this message" on:click=move |_| panel.notice.set(None)>"Dismiss"</button>
                </p>
            })}
            {move || {
                let mode = panel.mode.get();
                let playing = playing.get().map(|(kind, _)| kind);
                match mode.kind() {
                    None => view! { <tools::Starters panel=panel /> }.into_any(),
                    Some(kind) if playing == Some(kind) => view! { <item_view::ItemView panel=panel /> }.into_any(),
                    Some(_) => view! { <Picker panel=panel mode=mode /> }.into_any(),
                }
            }}
            <tools::ProgressTools panel=panel />
        </aside>
    }
}

/// The items of one kind, to start one.
#[component]
fn Picker(panel: Panel, mode: Mode) -> impl IntoView {
    move || match panel.catalog.get() {
        CatalogState::NotLoaded | CatalogState::Loading => view! { <p class="muted" role="status">"Loading the lessons…"</p> }.into_any(),
        CatalogState::Failed(why) => view! { <p class="panel-error" role="alert">{why}</p> }.into_any(),
        CatalogState::Ready(catalog) => {
            let kind = mode.kind().unwrap_or(lessons::Kind::Lesson);
            let items: Vec<Item> = catalog.of_kind(kind).cloned().collect();
            view! {
                <h2>{mode.label()}</h2>
                <ul class="item-picker" aria-label=format!("{} to choose from", mode.label())>
                    {items
                        .into_iter()
                        .map(|item| {
                            let id = item.id.clone();
                            let done = {
                                let id = id.clone();
                                move || panel.progress.with(|p| p.completed.get(&id).cloned())
                            };
                            let title = item.title.clone();
                            view! {
                                <li>
                                    <button class="item-choice" data-item-id=id.clone() on:click=move |_| panel.start_item(&item)>
                                        <span class="item-title">{title}</span>
                                        <span class="item-meta">
                                            {item.level.as_str()} " · " {item.minutes} " min"
                                            {move || done().map(|c| match c.best_score {
                                                Some(score) => format!(" · ✓ best {score}"),
                                                None => " · ✓ done".to_string(),
                                            })}
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}
