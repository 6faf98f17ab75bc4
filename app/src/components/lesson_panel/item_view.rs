//! The item being played: its concept, steps with live goal progress, hints, demo, questions,
//! completion; a drill's clock, score and debrief; an interview's answer box and grading.

use leptos::prelude::*;
use lessons::{Item, Kind};

use super::Panel;
use crate::markdown::{self, Block, Inline};
use crate::state::Terminal;

/// Where the learner stands, recomputed after every command.
#[derive(Debug, Clone, PartialEq)]
struct Standing {
    step: usize,
    complete: bool,
    missing: Vec<String>,
    feedback: Option<String>,
    hints_used: usize,
    commands_typed: usize,
}

fn inline_view(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
        Inline::Bold(text) => view! { <strong>{text}</strong> }.into_any(),
        Inline::Italic(text) => view! { <em>{text}</em> }.into_any(),
    }
}

/// Item text, as the tiny Markdown reader understands it.
pub fn markdown_view(text: &str) -> impl IntoView {
    markdown::parse(text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(inlines) => view! { <p>{inlines.into_iter().map(inline_view).collect_view()}</p> }.into_any(),
            Block::Code(code) => view! { <pre class="md-code"><code>{code}</code></pre> }.into_any(),
            Block::List { ordered, items } => {
                let items = items.into_iter().map(|inlines| view! { <li>{inlines.into_iter().map(inline_view).collect_view()}</li> }).collect_view();
                if ordered { view! { <ol>{items}</ol> }.into_any() } else { view! { <ul>{items}</ul> }.into_any() }
            }
            Block::Table { header, rows } => {
                let cells = |row: Vec<Vec<Inline>>| row.into_iter().map(|cell| view! { <td>{cell.into_iter().map(inline_view).collect_view()}</td> }).collect_view();
                view! {
                    <div class="md-table-wrap">
                        <table class="md-table">
                            <thead><tr>{header.into_iter().map(|cell| view! { <th scope="col">{cell.into_iter().map(inline_view).collect_view()}</th> }).collect_view()}</tr></thead>
                            <tbody>{rows.into_iter().map(|row| view! { <tr>{cells(row)}</tr> }).collect_view()}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        })
        .collect_view()
}

fn clock(seconds: u64) -> String {
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

#[component]
pub fn ItemView(panel: Panel) -> impl IntoView {
    let terminal = panel.terminal;
    let Some(item) = panel.current_item() else {
        return view! { <p>"No item is running."</p> }.into_any();
    };
    let standing = Memo::new(move |_| {
        terminal.with(|t: &Terminal| {
            t.machine().session().map(|s| {
                let progress = s.progress();
                Standing {
                    step: s.step(),
                    complete: s.is_complete(),
                    feedback: if progress.met() { None } else { s.feedback() },
                    missing: progress.missing,
                    hints_used: s.hints_used(),
                    commands_typed: s.commands_typed(),
                }
            })
        })
    });
    let item_id = item.id.clone();
    let header = view! {
        <div class="item-header">
            <h2>{item.title.clone()}</h2>
            <p class="item-meta">{item.kind.as_str()} " · " {item.level.as_str()} " · " {item.minutes} " min"</p>
        </div>
    };
    let drill = item.drill.clone().map(|drill| {
        let elapsed = move || {
            let run = panel.run.get()?;
            let end = run.finished_ms.unwrap_or_else(|| panel.now.get());
            Some(((end - run.started_ms) / 1000.0).max(0.0) as u64)
        };
        view! {
            <section class="drill-status" aria-label="Drill">
                <div class="drill-symptom"><h3>"Symptom"</h3>{markdown_view(&drill.symptom)}</div>
                <dl class="drill-stats">
                    <div><dt>"Time"</dt><dd data-drill-clock="" role="timer" aria-live="off">{move || clock(elapsed().unwrap_or(0))}</dd></div>
                    <div><dt>"Par"</dt><dd>{drill.par_minutes} " min"</dd></div>
                    <div><dt>"Hints"</dt><dd data-hints-used="">{move || standing.get().map_or(0, |s| s.hints_used)}</dd></div>
                    <div><dt>"Commands"</dt><dd data-commands-typed="">{move || standing.get().map_or(0, |s| s.commands_typed)}</dd></div>
                </dl>
            </section>
        }
    });
    let interview = item.interview.clone().map(|interview| view! { <InterviewBox interview=interview /> });
    let steps = item.steps.clone();
    let step_count = steps.len();
    let steps_view = steps
        .into_iter()
        .enumerate()
        .map(|(index, step)| {
            // A memo, so the step re-renders (and its buttons keep focus) only when its state changes.
            let state = Memo::new(move |_| match standing.get() {
                Some(s) if s.complete || index < s.step => "done",
                Some(s) if index == s.step => "current",
                _ => "upcoming",
            });
            let state = move || state.get();
            let instruction = step.instruction.clone();
            let explanation = step.explanation.clone();
            let question = step.question.clone();
            view! {
                <li class="step" data-step=index data-step-state=state aria-current=move || (state() == "current").then_some("step")>
                    <h3 class="step-title">
                        {format!("Step {} of {step_count}", index + 1)}
                        {move || match state() { "done" => " ✓ done", "current" => " — now", _ => "" }}
                    </h3>
                    {move || (state() != "upcoming").then(|| markdown_view(&instruction))}
                    {move || (state() == "done").then(|| explanation.as_deref().map(|text| view! { <div class="step-explanation">{markdown_view(text)}</div> }))}
                    {move || (state() == "current").then(|| view! { <CurrentStep panel=panel standing=standing question=question.clone() /> })}
                </li>
            }
        })
        .collect_view();
    let completion = move || {
        standing.get().filter(|s| s.complete).map(|_| {
            let item = panel.current_item();
            view! { <Completion panel=panel item=item /> }
        })
    };
    view! {
        <article class="item-view" data-item=item_id>
            {header}
            <button class="link-button" data-action="leave" on:click=move |_| panel.enter_sandbox()>"← Leave for the sandbox"</button>
            {drill}
            <details class="concept" open=item.kind != Kind::Drill>
                <summary>"The idea"</summary>
                {markdown_view(&item.concept)}
            </details>
            {interview}
            <ol class="steps" aria-label="Steps">{steps_view}</ol>
            {completion}
        </article>
    }
    .into_any()
}

#[component]
fn CurrentStep(panel: Panel, standing: Memo<Option<Standing>>, question: Option<lessons::item::Question>) -> impl IntoView {
    let terminal = panel.terminal;
    let question = question.map(|question| {
        let choices = question
            .choices
            .iter()
            .enumerate()
            .map(|(index, choice)| {
                let number = index + 1;
                view! {
                    <li>
                        <button class="choice" data-choice=number on:click=move |_| terminal.update(|t| { t.submit(&format!("answer {number}")); })>
                            <span class="choice-number">{number} "."</span> " " <span>{markdown::inlines(choice).into_iter().map(inline_view).collect_view()}</span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="question">
                {markdown_view(&question.prompt)}
                <ol class="choices" aria-label="Choices">{choices}</ol>
                <p class="muted">"Click a choice, or type " <code>"answer N"</code> " in the terminal."</p>
            </div>
        }
    });
    let goal = move || {
        standing.get().map(|s| {
            let met = s.missing.is_empty();
            view! {
                <div class="goal" data-goal-status=if met { "met" } else { "unmet" } role="status" aria-live="polite">
                    <p class="goal-title">{if met { "Goal met." } else { "Still to do:" }}</p>
                    <ul class="missing">{s.missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    {s.feedback.map(|text| view! { <div class="feedback" data-feedback="">{markdown_view(&text)}</div> })}
                </div>
            }
        })
    };
    let hints = move || {
        panel.run.get().map(|run| {
            let step = standing.get().map_or(0, |s| s.step);
            let current = run.hint_step == step;
            view! {
                <ol class="hints" aria-label="Hints">
                    {current.then(|| run.hints.iter().map(|hint| view! {
                        <li data-hint=hint.number>
                            <strong>{format!("Hint {} of {}: ", hint.number, hint.of)}</strong>
                            {markdown_view(&hint.text)}
                            {(!hint.missing.is_empty()).then(|| view! { <p class="muted">"Missing: " {hint.missing.join("; ")}</p> })}
                        </li>
                    }).collect_view())}
                </ol>
                {(current && run.hints_exhausted).then(|| view! { <p class="muted">"No more hints for this step; the Demo button shows the answer."</p> })}
            }
        })
    };
    view! {
        {question}
        {goal}
        <div class="step-actions">
            <button data-action="hint" on:click=move |_| panel.hint()>"Hint"</button>
            <button data-action="demo" title="Run this step's reference solution in the terminal" on:click=move |_| panel.demo()>"Show me"</button>
        </div>
        {hints}
    }
}

#[component]
fn Completion(panel: Panel, item: Option<Item>) -> impl IntoView {
    let item = item?;
    let score = move || panel.run.get().and_then(|run| run.score);
    let debrief = item.drill.clone().map(|drill| {
        view! {
            <section class="debrief" data-debrief="" aria-label="Debrief">
                <h3>"Debrief"</h3>
                <h4>"Root cause"</h4>
                {markdown_view(&drill.debrief.root_cause)}
                <h4>"Fix"</h4>
                {markdown_view(&drill.debrief.fix)}
                <h4>"Prevention"</h4>
                <ul>{drill.debrief.prevention.iter().map(|p| view! { <li>{markdown_view(p)}</li> }).collect_view()}</ul>
            </section>
        }
    });
    Some(view! {
        <section class="item-complete" data-item-complete=item.id.clone() role="status">
            <h3>"Complete!"</h3>
            {move || score().map(|score| view! {
                <p class="score" data-score=score.total>
                    <strong>{format!("Score: {} / 1000", score.total)}</strong>
                    {format!(" — time {} (par {}), hints {}, commands {}", score.time, if score.within_par { "kept" } else { "missed" }, score.hints, score.commands)}
                </p>
            })}
            {debrief}
            <button data-action="pick-another" on:click=move |_| {
                panel.enter_sandbox();
                panel.mode.set(crate::modes::Mode::of_kind(item.kind));
            }>"Pick another"</button>
        </section>
    })
}

#[component]
fn InterviewBox(interview: lessons::item::Interview) -> impl IntoView {
    let answer = RwSignal::new(String::new());
    // The summary ("2 of 4 key points") and each point with whether the answer named it.
    type Graded = (String, Vec<(String, bool)>);
    let graded: RwSignal<Option<Graded>> = RwSignal::new(None);
    let show_model = RwSignal::new(false);
    let question = interview.question.clone();
    let model = interview.model_answer.clone();
    let grade = move |_| {
        let grade = lessons::interview::grade(&interview, &answer.get_untracked());
        let mut points: Vec<(String, bool)> = grade.named.iter().map(|p| (p.point.clone(), true)).collect();
        points.extend(grade.missed.iter().map(|p| (p.point.clone(), false)));
        graded.set(Some((grade.summary(), points)));
        show_model.set(true);
    };
    view! {
        <section class="interview" aria-label="Interview question">
            <h3>"The question"</h3>
            {markdown_view(&question)}
            <label for="interview-answer">"Your answer, as you would say it:"</label>
            <textarea id="interview-answer" data-interview-answer="" rows="5" prop:value=move || answer.get() on:input=move |e| answer.set(event_target_value(&e))></textarea>
            <div class="step-actions">
                <button data-action="grade" on:click=grade>"Grade my answer"</button>
                <button data-action="model-answer" on:click=move |_| show_model.set(true)>"Show the model answer"</button>
            </div>
            {move || graded.get().map(|(summary, points)| view! {
                <div class="grade" data-grade=summary.clone() role="status">
                    <p><strong>{summary.clone()}</strong></p>
                    <ul class="key-points">
                        {points.into_iter().map(|(point, named)| view! {
                            <li data-named=named.to_string()>{if named { "✓ " } else { "✗ " }}{point}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {move || show_model.get().then(|| view! { <div class="model-answer" data-model-answer=""><h4>"Model answer"</h4>{markdown_view(&model)}</div> })}
            <p class="muted">"Then show it live, step by step:"</p>
        </section>
    }
}
