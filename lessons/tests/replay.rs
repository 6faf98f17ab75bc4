//! Replays every item in `content/`: setup fails each step's goal, wrong answers fail with their
//! own feedback, the reference solution passes, model answers name every key point.

use lessons::{Catalog, Kind};

fn catalog() -> Catalog {
    Catalog::embedded().unwrap_or_else(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("content does not load:\n{}", list.join("\n"))
    })
}

#[test]
fn every_item_replays() {
    let catalog = catalog();
    let items = &catalog.items;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).max(1);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    items
                        .iter()
                        .skip(worker)
                        .step_by(workers)
                        .flat_map(|item| lessons::replay::replay(item).into_iter().map(move |problem| format!("{} ({}): {problem}", item.id, item.kind.as_str())))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().expect("a replay worker panicked")).collect()
    });
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn curriculum_has_the_promised_size() {
    let catalog = catalog();
    let lessons = catalog.of_kind(Kind::Lesson).count();
    let drills = catalog.of_kind(Kind::Drill).count();
    let interview = catalog.of_kind(Kind::Interview).count();
    assert!(lessons >= 14, "{lessons} lessons, want at least 14");
    assert!(drills >= 10, "{drills} drills, want at least 10");
    assert!(interview >= 25, "{interview} interview items, want at least 25");
}

#[test]
fn drills_have_a_symptom_a_clock_and_a_debrief() {
    for item in catalog().of_kind(Kind::Drill) {
        let drill = item.drill.as_ref().expect("the loader requires [drill]");
        assert!(!drill.symptom.trim().is_empty(), "{}: empty symptom", item.id);
        assert!(drill.par_minutes > 0, "{}: no par time", item.id);
        assert!(!drill.debrief.root_cause.trim().is_empty() && !drill.debrief.fix.trim().is_empty(), "{}: empty debrief", item.id);
    }
}

#[test]
fn interview_items_answer_a_guide_question_with_a_live_demo() {
    for item in catalog().of_kind(Kind::Interview) {
        assert!(!item.answers.is_empty(), "{}: answers no guide question", item.id);
        assert!(item.steps.iter().any(|step| !step.solution.is_empty()), "{}: no live demo", item.id);
    }
}

#[test]
fn the_files_on_disk_are_the_ones_compiled_in() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let from_disk = Catalog::from_dir(&root.join("content"), &root.join("guides.toml")).unwrap_or_else(|errors| {
        panic!("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    });
    let ids = |catalog: &Catalog| catalog.items.iter().map(|item| item.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&from_disk), ids(&catalog()));
}
