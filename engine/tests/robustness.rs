//! The engine never panics on user input: thousands of scrambled command lines, built from
//! Docker-ish fragments by a fixed generator, all come back as ordinary outcomes.

use engine::Engine;

const FRAGMENTS: &[&str] = &[
    "docker", "run", "ps", "images", "pull", "info", "version", "container", "image", "system",
    "ls", "-a", "-q", "-d", "--rm", "--name", "x", "-it", "-p", "80:80", "--", "-", "--help", "-h",
    "hello-world", "hello-world:latest", "Hello", ":", "@", "sha256:", "'", "\"", "\\", "$?", "#",
    "=", "--name=", "-n", "-1", "--last", "--format", "{{.ID}}", "ünïcödé", "a/b/c:d@e", "🐳",
    "localhost:5000/x", "echo", "history", "clear", "help", "-v", "--version", "-p80", "-ait", "",
];

#[test]
fn scrambled_lines_never_panic() {
    let mut engine = Engine::new(3);
    let mut state: u64 = 0x5EED;
    for _ in 0..5_000 {
        let mut line = String::new();
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let words = 1 + (state >> 60) as usize;
        for _ in 0..words {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let fragment = FRAGMENTS[(state >> 33) as usize % FRAGMENTS.len()];
            if state & 1 == 0 && !line.is_empty() {
                line.push(' ');
            }
            line.push_str(fragment);
        }
        let outcome = engine.run(&line);
        // A blank or comment-only line keeps the previous status silently, as in bash.
        let runs_nothing = line.trim().is_empty() || line.trim_start().starts_with('#');
        assert!(
            runs_nothing || outcome.exit_code == 0 || !outcome.output.is_empty(),
            "`{line}` failed with status {} but said nothing",
            outcome.exit_code
        );
    }
}
