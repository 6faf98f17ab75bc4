//! Cache behaviour checked against a real engine: `oracle/cache-scenario.log` was recorded from
//! `../shared/oracle/up` (podman behind Docker's API). Whalebox replays the same edits and must
//! reuse exactly the steps the real engine reused. Podman's builder also lists ARG/ENV/CMD as
//! steps; BuildKit (which Whalebox models) has no cache entries for those, so only WORKDIR, COPY
//! and RUN are compared.

use std::collections::BTreeSet;

use engine::{Engine, Event};

const RECORDING: &str = include_str!("oracle/cache-scenario.log");

const DOCKERFILE: &str = "FROM busybox
WORKDIR /app
ARG VERSION=1.0
COPY requirements.txt .
RUN echo \"install $VERSION\" > /installed
COPY . .
ENV MODE=prod
RUN echo done > /done
CMD [\"sh\"]
";

/// The edits made before each build, and the build's extra flags, in the recorded order.
const SCENARIO: &[(&str, &str)] = &[
    ("", ""),
    ("", ""),
    ("printf 'print(\"hello\")\\n' > app.py", ""),
    ("printf 'flask==3.0.3\\n' > requirements.txt", ""),
    ("", "--build-arg VERSION=2.0"),
    ("", "--no-cache"),
];

fn is_cacheable(instruction: &str) -> bool {
    ["WORKDIR", "COPY", "RUN"].iter().any(|k| instruction.starts_with(k))
}

/// Per build, the instructions the real engine took from its cache.
fn recorded() -> Vec<BTreeSet<String>> {
    let mut builds: Vec<BTreeSet<String>> = Vec::new();
    let mut last_step: Option<String> = None;
    for line in RECORDING.lines() {
        if line.starts_with("== ") {
            builds.push(BTreeSet::new());
        } else if let Some(step) = line.strip_prefix("STEP ") {
            last_step = step.split_once(": ").map(|(_, instruction)| instruction.to_string());
        } else if line.starts_with("--> Using cache") {
            if let (Some(build), Some(step)) = (builds.last_mut(), &last_step) {
                if is_cacheable(step) {
                    build.insert(step.clone());
                }
            }
        }
    }
    builds
}

#[test]
fn whalebox_reuses_the_steps_a_real_engine_reuses() {
    let expected = recorded();
    assert_eq!(expected.len(), SCENARIO.len(), "the recording has one section per build");
    let mut engine = Engine::new(1);
    let setup = format!(
        "mkdir ctx && cd ctx && printf 'flask==3.0.2\\n' > requirements.txt && printf 'print(\"hi\")\\n' > app.py && cat > Dockerfile <<'EOF'\n{DOCKERFILE}EOF"
    );
    let outcome = engine.run(&setup);
    assert_eq!(outcome.exit_code, 0, "{}", outcome.text());
    for (index, ((edit, flags), expected)) in SCENARIO.iter().zip(&expected).enumerate() {
        if !edit.is_empty() {
            assert_eq!(engine.run(edit).exit_code, 0);
        }
        let outcome = engine.run(&format!("docker build {flags} -t orc ."));
        assert_eq!(outcome.exit_code, 0, "build {index} failed:\n{}", outcome.text());
        let cached: BTreeSet<String> = outcome
            .events
            .iter()
            .filter_map(|event| match event {
                Event::BuildStep { instruction, verdict: engine::Verdict::Cached, .. } => Some(instruction.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(&cached, expected, "build {index} ({edit} {flags}) reused different steps than the real engine");
    }
}
