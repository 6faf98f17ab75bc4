//! Sessions as a learner meets them — steps advancing, hints, feedback on known mistakes,
//! answers — and the replay and loader catching broken items.

use lessons::{Catalog, Kind, Session};

const GUIDES: &str = r#"
[[guide]]
file = "g.txt"
title = "A guide"
[[guide.section]]
heading = "Ports"
[[guide.question]]
kind = "faq"
text = "Does EXPOSE publish a port?"
"#;

const ITEM: &str = r#"
id = "ports-demo"
title = "Publishing a port"
kind = "lesson"
level = "beginner"
minutes = 5
covers = [{ guide = "g.txt", section = "Ports" }]
concept = "EXPOSE documents; -p publishes."

[[steps]]
instruction = "Run nginx as web, reachable on localhost:8080."
goal = { all = [ { container = { name = "web", state = "running" } }, { host_reaches = { port = 8080 } } ] }
hints = ["Use -p HOST:CONTAINER.", "docker run -d --name web -p 8080:80 nginx"]
solution = ["docker run -d --name web -p 8080:80 nginx"]

[[steps.wrong]]
actions = ["docker run -d --name web -p 80:8080 nginx"]
when = { command_ran = '-p 80:8080' }
feedback = "The host port comes first: -p 8080:80."

[[steps.wrong]]
actions = ["docker run -d --name web nginx"]
when = { all = [ { container = { name = "web" } }, { not = { command_ran = '-p' } } ] }
feedback = "Without -p nothing is published."

[[steps]]
instruction = "Which port does nginx listen on inside the container?"
question = { prompt = "Which port?", choices = ["8080", "80"] }
goal = { answered = { choice = 2 } }
hints = ["Look at docker port web."]
solution = [{ answer = "2" }]

[[steps.wrong]]
actions = [{ answer = "1" }]
when = { answered = { choice = 1 } }
feedback = "8080 is the host's side."
"#;

fn catalog(items: &[(&str, &str)]) -> Result<Catalog, Vec<lessons::LoadError>> {
    Catalog::from_files(GUIDES, items.iter().map(|(file, text)| (file.to_string(), text.to_string())))
}

fn item() -> lessons::Item {
    catalog(&[("lessons/ports-demo.toml", ITEM)]).expect("the test item loads").items.remove(0)
}

#[test]
fn a_learner_works_through_the_steps() {
    let mut session = Session::start(&item()).expect("setup runs");
    assert_eq!(session.step(), 0);
    assert!(!session.progress().met());
    let turn = session.type_line("docker ps");
    assert!(turn.completed.is_empty());
    assert!(turn.progress.missing.iter().any(|m| m.contains("no container web")), "{:?}", turn.progress.missing);
    let turn = session.type_line("docker run -d --name web -p 8080:80 nginx");
    assert_eq!(turn.completed, vec![0]);
    assert_eq!(session.step(), 1);
    // `answer` is the lesson's, not the shell's, only while a question is open.
    let turn = session.type_line("answer 1");
    assert_eq!(turn.outcome.text(), "Answer recorded: 1\n");
    assert_eq!(turn.feedback.as_deref(), Some("8080 is the host's side."));
    let turn = session.type_line("answer 2");
    assert_eq!(turn.completed, vec![1]);
    assert!(session.is_complete());
    let turn = session.type_line("answer 2");
    assert!(turn.outcome.text().contains("answer: command not found"), "{}", turn.outcome.text());
}

#[test]
fn known_mistakes_earn_their_feedback() {
    let mut session = Session::start(&item()).expect("setup runs");
    let turn = session.type_line("docker run -d --name web -p 80:8080 nginx");
    assert!(turn.completed.is_empty());
    assert_eq!(turn.feedback.as_deref(), Some("The host port comes first: -p 8080:80."));
    let mut session = Session::start(&item()).expect("setup runs");
    let turn = session.type_line("docker run -d --name web nginx");
    assert_eq!(turn.feedback.as_deref(), Some("Without -p nothing is published."));
}

#[test]
fn hints_come_one_at_a_time_with_what_is_missing() {
    let mut session = Session::start(&item()).expect("setup runs");
    let first = session.hint().expect("a first hint");
    assert_eq!((first.number, first.of, first.text.as_str()), (1, 2, "Use -p HOST:CONTAINER."));
    assert!(first.missing.iter().any(|m| m.contains("no container web")));
    assert_eq!(session.hint().map(|h| h.number), Some(2));
    assert!(session.hint().is_none());
    assert_eq!(session.hints_used(), 2);
    session.type_line("docker run -d --name web -p 8080:80 nginx");
    assert_eq!(session.hint().map(|h| h.text), Some("Look at docker port web.".to_string()), "hints start again on the next step");
}

#[test]
fn drills_score_time_hints_and_commands() {
    let drill = ITEM.replace("kind = \"lesson\"", "kind = \"drill\"").replace("id = \"ports-demo\"", "id = \"ports-drill\"")
        + "\n[drill]\nsymptom = \"The site is down.\"\npar_minutes = 5\ndebrief = { root_cause = \"no -p\", fix = \"publish 8080:80\" }\n";
    let item = catalog(&[("drills/ports-drill.toml", &drill)]).expect("drill loads").items.remove(0);
    assert_eq!(item.kind, Kind::Drill);
    let mut session = Session::start(&item).expect("setup runs");
    session.hint();
    session.type_line("docker run -d --name web -p 8080:80 nginx");
    assert_eq!(session.score(60).total, 0, "unfinished drills score nothing");
    session.type_line("answer 2");
    let score = session.score(60);
    assert_eq!((score.time, score.hints, score.commands, score.total), (600, 175, 150, 925));
}

#[test]
fn replay_accepts_a_sound_item() {
    assert_eq!(lessons::replay::replay(&item()), Vec::<String>::new());
}

#[test]
fn replay_catches_broken_items() {
    let broken_solution = ITEM.replace("solution = [\"docker run -d --name web -p 8080:80 nginx\"]", "solution = [\"docker run -d --name web -p 9090:80 nginx\"]");
    let problems = lessons::replay::replay(&catalog(&[("lessons/ports-demo.toml", &broken_solution)]).unwrap().items[0]);
    assert!(problems.iter().any(|p| p.contains("step 1: the reference solution does not pass")), "{problems:?}");

    let already_done = ITEM.replace("concept = ", "setup.commands = [\"docker run -d --name web -p 8080:80 nginx\"]\nconcept = ");
    let problems = lessons::replay::replay(&catalog(&[("lessons/ports-demo.toml", &already_done)]).unwrap().items[0]);
    assert!(problems.iter().any(|p| p.contains("step 1: its goal already holds")), "{problems:?}");

    let unrecognised = ITEM.replace("when = { command_ran = '-p 80:8080' }", "when = { command_ran = 'never typed' }");
    let problems = lessons::replay::replay(&catalog(&[("lessons/ports-demo.toml", &unrecognised)]).unwrap().items[0]);
    assert!(problems.iter().any(|p| p.contains("wrong answer 1 is not recognised")), "{problems:?}");

    let passing_wrong = ITEM.replace("actions = [\"docker run -d --name web -p 80:8080 nginx\"]", "actions = [\"docker run -d --name web -p 8080:80 nginx\"]");
    let problems = lessons::replay::replay(&catalog(&[("lessons/ports-demo.toml", &passing_wrong)]).unwrap().items[0]);
    assert!(problems.iter().any(|p| p.contains("wrong answer 1 passes the goal")), "{problems:?}");

    let failing_setup = ITEM.replace("concept = ", "setup.commands = [\"docker run --rm busybox false\"]\nconcept = ");
    let problems = lessons::replay::replay(&catalog(&[("lessons/ports-demo.toml", &failing_setup)]).unwrap().items[0]);
    assert!(problems.iter().any(|p| p.contains("setup command `docker run --rm busybox false` exited 1, expected 0")), "{problems:?}");
}

#[test]
fn interview_model_answers_must_name_every_key_point() {
    let interview = ITEM.replace("kind = \"lesson\"", "kind = \"interview\"").replace("id = \"ports-demo\"", "id = \"expose\"").replace(
        "covers = [{ guide = \"g.txt\", section = \"Ports\" }]",
        "answers = [{ guide = \"g.txt\", question = \"Does EXPOSE publish a port?\" }]",
    ) + "\n[interview]\nquestion = \"Does EXPOSE publish?\"\nmodel_answer = \"No: EXPOSE is documentation; -p publishes.\"\nkey_points = [\n  { point = \"EXPOSE only documents\", phrases = ['document'] },\n  { point = \"listen on 0.0.0.0\", phrases = ['0\\.0\\.0\\.0'] },\n]\n";
    let item = catalog(&[("interview/expose.toml", &interview)]).expect("interview loads").items.remove(0);
    let problems = lessons::replay::replay(&item);
    assert_eq!(problems, vec!["the model answer does not name key point \"listen on 0.0.0.0\"".to_string()]);
    let grade = lessons::interview::grade(item.interview.as_ref().unwrap(), "It only DOCUMENTS the port.");
    assert_eq!(grade.summary(), "1 of 2 key points");
}

#[test]
fn malformed_items_are_rejected_with_file_and_line() {
    let errors = |file: &str, text: &str| -> Vec<String> { catalog(&[(file, text)]).err().unwrap_or_default().iter().map(ToString::to_string).collect() };
    let wrong_id = errors("lessons/other.toml", ITEM);
    assert_eq!(wrong_id, vec!["lessons/other.toml:2: id \"ports-demo\" does not match the file name \"other.toml\""]);
    let wrong_track = errors("drills/ports-demo.toml", ITEM);
    assert!(wrong_track[0].contains("a lesson belongs in lessons/, not drills/"), "{wrong_track:?}");
    let unknown_section = errors("lessons/ports-demo.toml", &ITEM.replace("section = \"Ports\"", "section = \"Portz\""));
    assert_eq!(unknown_section, vec!["lessons/ports-demo.toml:7: guide g.txt has no section \"Portz\" (see guides.toml)"]);
    let bad_regex = errors("lessons/ports-demo.toml", &ITEM.replace("'-p 80:8080'", "'-p (80'"));
    assert!(bad_regex[0].starts_with("lessons/ports-demo.toml:18: step 1: pattern /-p (80/ does not compile"), "{bad_regex:?}");
    let no_question = errors("lessons/ports-demo.toml", &ITEM.replace("question = { prompt = \"Which port?\", choices = [\"8080\", \"80\"] }\n", ""));
    assert!(no_question.iter().any(|e| e.contains("step 2 checks an answer but asks no question")), "{no_question:?}");
    let drill_without_table = errors("drills/ports-demo.toml", &ITEM.replace("kind = \"lesson\"", "kind = \"drill\""));
    assert!(drill_without_table[0].contains("a drill needs a [drill] table"), "{drill_without_table:?}");
    let not_toml = errors("lessons/ports-demo.toml", "id = \"ports-demo\"\ntitle = \n");
    assert!(not_toml[0].starts_with("lessons/ports-demo.toml:2: "), "{not_toml:?}");
    let duplicate = catalog(&[("lessons/ports-demo.toml", ITEM), ("lessons/ports-demo.toml", ITEM)]).unwrap_err();
    assert!(duplicate.iter().any(|e| e.message.contains("used by another item")));
}

#[test]
fn written_files_are_relative_to_home_wherever_the_shell_is() {
    let text = ITEM.replace("concept = ", "setup.commands = [\"mkdir app\", \"cd app\"]\nconcept = ");
    let item = catalog(&[("lessons/ports-demo.toml", &text)]).expect("loads").items.remove(0);
    let mut session = Session::start(&item).expect("setup runs");
    session.act(&lessons::Action::Write { write: "app/.dockerignore".into(), text: "node_modules\n".into() });
    assert_eq!(session.engine().read_file("/home/learner/app/.dockerignore").as_deref(), Some("node_modules\n"));
    assert_eq!(session.engine().read_file("/home/learner/app/app/.dockerignore"), None);
}
