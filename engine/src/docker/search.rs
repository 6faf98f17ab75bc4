//! `docker search TERM`: the simulated Docker Hub's repositories whose name holds the term — its
//! official images and whatever the learner pushed there — in the CLI's table.

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::outcome::Outcome;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker search", help: include_str!("help/search.txt"), args: Args::Exactly(1), interspersed: true };

/// Docker Hub's short descriptions of the official images the simulated registry holds.
const DESCRIPTIONS: &[(&str, &str)] = &[
    ("alpine", "A minimal Docker image based on Alpine Linux with a complete package index and only 5 MB in size!"),
    ("busybox", "Busybox base image."),
    ("debian", "Debian is a Linux distribution that's composed entirely of free and open-source software."),
    ("golang", "Go (golang) is a general purpose, higher-level, imperative programming language."),
    ("hello-world", "Hello World! (an example of minimal Dockerization)"),
    ("nginx", "Official build of Nginx."),
    ("node", "Node.js is a JavaScript-based platform for server-side and networking applications."),
    ("postgres", "The PostgreSQL object-relational database system provides reliability and data integrity."),
    ("python", "Python is an interpreted, interactive, object-oriented, open-source programming language."),
    ("redis", "Redis is an open source key-value store that functions as a data structure server."),
    ("ubuntu", "Ubuntu is a Debian-based Linux operating system based on free software."),
];

pub fn run(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let term = parsed.args[0].to_lowercase();
    let limit = parsed.value("limit").and_then(|l| l.parse::<usize>().ok()).filter(|l| *l > 0).unwrap_or(25);
    let mut rows: Vec<(String, String, bool)> = Vec::new();
    for release in crate::registry::catalog::RELEASES {
        let Some(name) = release.repository.strip_prefix("docker.io/library/") else { continue };
        if name.contains(&term) && !rows.iter().any(|(n, _, _)| n == name) {
            let description = DESCRIPTIONS.iter().find(|(n, _)| *n == name).map_or("", |(_, d)| d);
            rows.push((name.to_string(), description.to_string(), true));
        }
    }
    for repository in world.registry.repositories() {
        if let Some(name) = repository.strip_prefix("docker.io/") {
            if name.contains(&term) && !name.starts_with("library/") && !rows.iter().any(|(n, _, _)| n == name) {
                rows.push((name.to_string(), String::new(), false));
            }
        }
    }
    rows.truncate(limit);
    let template = parsed.value("format");
    let no_trunc = parsed.bool("no-trunc");
    let mut table = vec![vec!["NAME".to_string(), "DESCRIPTION".to_string(), "STARS".to_string(), "OFFICIAL".to_string()]];
    for (name, description, official) in &rows {
        if let Some(template) = template {
            let data = serde_json::json!({"Name": name, "Description": description, "StarCount": 0, "IsOfficial": official});
            match super::template::execute(template, &data) {
                Ok(text) => outcome.out(text),
                Err(error) => {
                    outcome.err(format!("template parsing error: {error}"));
                    return outcome.fail(1);
                }
            }
            continue;
        }
        let description = if no_trunc { description.clone() } else { crate::table::ellipsis(description, 45) };
        // The simulated Docker Hub keeps no stars.
        table.push(vec![name.clone(), description, "0".to_string(), if *official { "[OK]".to_string() } else { String::new() }]);
    }
    if template.is_none() {
        for line in crate::table::render(&table) {
            outcome.out(line.trim_end().to_string());
        }
    }
    outcome
}
