//! `docker compose ps`: the project's containers with their service, as Compose's table or JSON.

use serde_json::{json, Value};

use super::{containers, failure, service_of, Context, Parsed};
use crate::clock::human_duration;
use crate::docker::ps::{go_quote, ports_text, status_text};
use crate::outcome::Outcome;
use crate::table::{ellipsis, render};
use crate::world::World;

pub(super) fn run(world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let project = &context.loaded.project;
    for name in &parsed.args {
        if !project.services.contains_key(name) {
            return failure(format!("no such service: {name}"));
        }
    }
    let now = world.now();
    let all = parsed.bool("all");
    let statuses = parsed.values("status");
    let mut listed: Vec<_> = containers(world, &project.name)
        .into_iter()
        .filter(|c| parsed.args.is_empty() || parsed.args.iter().any(|s| s == service_of(c)))
        .filter(|c| all || !statuses.is_empty() || c.is_running())
        .filter(|c| statuses.is_empty() || statuses.iter().any(|s| s == c.state.status.as_str()))
        .collect();
    // Compose sorts by container name.
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    let mut outcome = Outcome::default();
    if parsed.bool("services") {
        let mut services: Vec<&str> = listed.iter().map(|c| service_of(c)).collect();
        services.sort();
        services.dedup();
        for service in services {
            outcome.out(service);
        }
        return outcome;
    }
    if parsed.bool("quiet") {
        for container in &listed {
            outcome.out(container.id.clone());
        }
        return outcome;
    }
    let trunc = !parsed.bool("no-trunc");
    let rows_json: Vec<Value> = listed
        .iter()
        .map(|c| {
            let command = c.command_line();
            json!({
                "Command": go_quote(&if trunc { ellipsis(&command, 20) } else { command.clone() }),
                "CreatedAt": c.created.rfc3339(),
                "ExitCode": c.state.exit_code,
                "Health": c.state.health.as_ref().map_or(String::new(), |h| h.status.clone()),
                "ID": c.id,
                "Image": c.image,
                "Name": c.name,
                "Project": project.name,
                "Publishers": [],
                "RunningFor": format!("{} ago", human_duration(now.since(c.created))),
                "Service": service_of(c),
                "State": c.state.status.as_str(),
                "Status": status_text(c, now),
                "Ports": ports_text(world, c),
            })
        })
        .collect();
    match parsed.value("format").unwrap_or("table") {
        "table" => {
            let mut rows = vec![["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"].map(String::from).to_vec()];
            for row in &rows_json {
                let cell = |k: &str| row[k].as_str().unwrap_or_default().to_string();
                rows.push(vec![cell("Name"), cell("Image"), cell("Command"), cell("Service"), cell("RunningFor"), cell("Status"), cell("Ports")]);
            }
            for line in render(&rows) {
                outcome.out(line);
            }
        }
        "json" => {
            // One object per line, as Compose v2.21+ prints it.
            for row in &rows_json {
                outcome.out(serde_json::to_string(row).unwrap_or_default());
            }
        }
        template => {
            let body = crate::docker::template::table_format(template).unwrap_or(template);
            for row in &rows_json {
                match crate::docker::template::execute(body, row) {
                    Ok(text) => outcome.out(text),
                    Err(error) => return failure(error),
                }
            }
        }
    }
    outcome
}
