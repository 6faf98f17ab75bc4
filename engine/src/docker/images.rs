//! `docker images`: the local image table.

use super::flags::{Args, CommandSpec, Parsed};
use crate::clock::human_duration;
use crate::ids::{digest_hex, short_id};
use crate::outcome::Outcome;
use crate::reference::Reference;
use crate::table::{human_size, render};
use crate::image::Image;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker images",
    help: include_str!("help/images.txt"),
    args: Args::AtMost(1),
    interspersed: true,
};

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let now = world.now();
    let filters = match ImageFilters::parse(parsed.values("filter")) {
        Ok(filters) => filters,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    let filter = parsed.args.first().map(|text| {
        Reference::parse_normalized(text).map(|r| (r.familiar_name(), r.tag)).unwrap_or((text.clone(), None))
    });
    // One row per tag, newest image first (ties broken by ID so the order is stable).
    let mut images: Vec<&Image> = world.images().collect();
    images.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    let mut rows_data = Vec::new();
    for image in images {
        let tags: Vec<(String, String)> = if image.repo_tags.is_empty() {
            vec![("<none>".into(), "<none>".into())]
        } else {
            image
                .repo_tags
                .iter()
                .map(|tag| match tag.rsplit_once(':') {
                    Some((repo, tag)) if !tag.contains('/') => (repo.to_string(), tag.to_string()),
                    _ => (tag.clone(), "<none>".into()),
                })
                .collect()
        };
        for (repository, tag) in tags {
            if let Some((wanted_repo, wanted_tag)) = &filter {
                if &repository != wanted_repo || wanted_tag.as_ref().is_some_and(|t| t != &tag) {
                    continue;
                }
            }
            if !filters.keep(image, &repository, &tag) {
                continue;
            }
            rows_data.push((repository, tag, image));
        }
    }
    let no_trunc = parsed.bool("no-trunc");
    let id_text = |image: &Image| {
        if no_trunc { image.id.clone() } else { short_id(digest_hex(&image.id)).to_string() }
    };
    if parsed.bool("quiet") {
        let mut seen = Vec::new();
        for (_, _, image) in rows_data {
            let id = id_text(image);
            if !seen.contains(&id) {
                outcome.out(id.clone());
                seen.push(id);
            }
        }
        return outcome;
    }
    if let Some(format) = parsed.value("format").filter(|f| !f.is_empty() && *f != "table") {
        return formatted(format, &rows_data, &id_text, now);
    }
    let digests = parsed.bool("digests");
    let mut header = vec!["REPOSITORY", "TAG"];
    if digests {
        header.push("DIGEST");
    }
    header.extend(["IMAGE ID", "CREATED", "SIZE"]);
    let mut rows = vec![header.into_iter().map(String::from).collect::<Vec<_>>()];
    for (repository, tag, image) in rows_data {
        let mut row = vec![repository.clone(), tag];
        if digests {
            let digest = image
                .repo_digests
                .iter()
                .find_map(|d| d.strip_prefix(&format!("{repository}@")).map(str::to_string))
                .unwrap_or_else(|| "<none>".into());
            row.push(digest);
        }
        row.push(id_text(image));
        row.push(format!("{} ago", human_duration(now.since(image.created))));
        row.push(human_size(image.size));
        rows.push(row);
    }
    for line in render(&rows) {
        outcome.out(line);
    }
    outcome
}

/// `images --format`: the CLI's image formatter fields over each row (`table …` keeps a header).
fn formatted(format: &str, rows: &[(String, String, &Image)], id_text: &dyn Fn(&Image) -> String, now: crate::clock::SimTime) -> Outcome {
    let mut outcome = Outcome::default();
    let format = if format == "json" { "{{json .}}" } else { format };
    let (table, body) = match super::template::table_format(format) {
        Some(body) => (true, body.to_string()),
        None => (false, format.to_string()),
    };
    let body = body.replace("\\t", "\t").replace("\\n", "\n");
    let mut lines = Vec::new();
    if table {
        let header = serde_json::json!({"Repository": "REPOSITORY", "Tag": "TAG", "Digest": "DIGEST", "ID": "IMAGE ID", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "Size": "SIZE", "Containers": "CONTAINERS", "SharedSize": "SHARED SIZE", "UniqueSize": "UNIQUE SIZE", "VirtualSize": "SIZE"});
        if let Ok(text) = super::template::execute(&body, &header) {
            lines.push(text);
        }
    }
    for (repository, tag, image) in rows {
        let digest = image
            .repo_digests
            .iter()
            .find_map(|d| d.strip_prefix(&format!("{repository}@")).map(str::to_string))
            .unwrap_or_else(|| "<none>".into());
        let size = human_size(image.size);
        let context = serde_json::json!({
            "Containers": "N/A", "CreatedSince": format!("{} ago", human_duration(now.since(image.created))),
            "Digest": digest, "ID": id_text(image), "Repository": repository, "SharedSize": "N/A",
            "Size": size, "Tag": tag, "UniqueSize": "N/A", "VirtualSize": size,
        });
        match super::template::execute(&body, &context) {
            Ok(text) => lines.push(text),
            Err(error) => {
                outcome.err(format!("template parsing error: {error}"));
                return outcome.fail(1);
            }
        }
    }
    if table {
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(str::to_string).collect()).collect();
        lines = render(&cells);
    }
    for line in lines {
        outcome.out(line);
    }
    outcome
}

/// `--filter` for images: `dangling=true|false`, `reference=PATTERN`, `label=KEY[=VALUE]`.
#[derive(Default)]
struct ImageFilters {
    dangling: Option<bool>,
    references: Vec<String>,
    labels: Vec<(String, Option<String>)>,
}

impl ImageFilters {
    fn parse(specs: &[String]) -> Result<ImageFilters, String> {
        let mut filters = ImageFilters::default();
        for spec in specs {
            let Some((key, value)) = spec.split_once('=') else {
                return Err(format!("invalid argument \"{spec}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"));
            };
            match key {
                "dangling" => match value {
                    "true" | "1" => filters.dangling = Some(true),
                    "false" | "0" => filters.dangling = Some(false),
                    _ => return Err(format!("Error response from daemon: invalid filter 'dangling={value}'")),
                },
                "reference" => filters.references.push(value.to_string()),
                "label" => {
                    let (name, wanted) = value.split_once('=').map_or((value, None), |(k, v)| (k, Some(v.to_string())));
                    filters.labels.push((name.to_string(), wanted));
                }
                "before" | "since" | "until" => {}
                other => return Err(format!("Error response from daemon: invalid filter '{other}'")),
            }
        }
        Ok(filters)
    }

    fn keep(&self, image: &Image, repository: &str, tag: &str) -> bool {
        if let Some(dangling) = self.dangling {
            if image.repo_tags.is_empty() != dangling {
                return false;
            }
        }
        if !self.references.is_empty() {
            let full = format!("{repository}:{tag}");
            let matches = |pattern: &str| {
                crate::build::glob_matches(pattern, repository) || crate::build::glob_matches(pattern, &full)
            };
            if !self.references.iter().any(|p| matches(p)) {
                return false;
            }
        }
        self.labels.iter().all(|(name, wanted)| match (image.config.labels.get(name), wanted) {
            (Some(value), Some(wanted)) => value == wanted,
            (Some(_), None) => true,
            (None, _) => false,
        })
    }
}
