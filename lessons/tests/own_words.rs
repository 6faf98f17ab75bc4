//! The items teach the guides' facts in our own words: no run of twelve words of prose (code
//! spans and the interviewers' questions aside) is lifted from a guide.

use lessons::Catalog;

const WINDOW: usize = 12;

fn words(text: &str) -> Vec<String> {
    // Dots stay inside words, so an address (`0.0.0.0`) or a version is one word, not four.
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '.')
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Prose without code: fenced blocks and `inline code` are commands and file contents, which
/// are facts and may match the guides.
fn prose(text: &str) -> String {
    let mut out = String::new();
    for (index, block) in text.split("```").enumerate() {
        if index % 2 == 0 {
            for (part, piece) in block.split('`').enumerate() {
                if part % 2 == 0 {
                    out.push_str(piece);
                }
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn no_sentence_is_copied_from_a_guide() {
    let guides_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/guides");
    let mut guide_windows = std::collections::HashSet::new();
    for entry in std::fs::read_dir(&guides_dir).expect("the guides are at ../shared/guides").flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let words = words(&text);
        for window in words.windows(WINDOW) {
            guide_windows.insert(window.join(" "));
        }
    }
    assert!(guide_windows.len() > 10_000, "the guides were not read");
    let catalog = Catalog::embedded().unwrap_or_else(|e| panic!("{}", e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")));
    let mut copied = Vec::new();
    for item in &catalog.items {
        let mut texts = vec![item.concept.clone()];
        for step in &item.steps {
            texts.push(step.instruction.clone());
            texts.extend(step.hints.iter().cloned());
            texts.extend(step.explanation.iter().cloned());
            texts.extend(step.wrong.iter().map(|w| w.feedback.clone()));
            if let Some(question) = &step.question {
                texts.push(question.prompt.clone());
                texts.extend(question.choices.iter().cloned());
            }
        }
        if let Some(drill) = &item.drill {
            texts.extend([drill.symptom.clone(), drill.debrief.root_cause.clone(), drill.debrief.fix.clone()]);
            texts.extend(drill.debrief.prevention.iter().cloned());
        }
        if let Some(interview) = &item.interview {
            texts.push(interview.model_answer.clone());
            texts.extend(interview.key_points.iter().map(|p| p.point.clone()));
        }
        for text in texts {
            let words = words(&prose(&text));
            if let Some(window) = words.windows(WINDOW).map(|w| w.join(" ")).find(|w| guide_windows.contains(w)) {
                copied.push(format!("{}: \"{window}\"", item.id));
            }
        }
    }
    assert!(copied.is_empty(), "prose copied from the guides (write it in our own words):\n{}", copied.join("\n"));
}
