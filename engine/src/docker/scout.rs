//! `docker scout cves|quickview`: the Scout plugin's overview of a local image — target, digest,
//! platform, size and the base image it was built on. The simulated registry publishes no
//! vulnerability advisories, so every count is zero, and the output says so.

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::image::Image;
use crate::outcome::Outcome;
use crate::world::World;

// Scout is a plugin that was not installed where the other help texts were recorded: these help
// texts follow its reference documentation (docs.docker.com/reference/cli/docker/scout/).
const GROUP: CommandSpec = CommandSpec { path: "docker scout", help: include_str!("help/scout.txt"), args: Args::AtLeast(0), interspersed: true };
const CVES: CommandSpec = CommandSpec { path: "docker scout cves", help: include_str!("help/scout_cves.txt"), args: Args::AtMost(1), interspersed: true };
const QUICKVIEW: CommandSpec = CommandSpec { path: "docker scout quickview", help: include_str!("help/scout_quickview.txt"), args: Args::AtMost(1), interspersed: true };

const NO_ADVISORIES: &str = "whalebox: the simulated registry publishes no vulnerability advisories, so every image scans clean";

pub fn run(world: &mut World, invocation: &Invocation, words: &[String]) -> Outcome {
    let (spec, handler): (&CommandSpec, fn(&mut World, &Invocation, Parsed) -> Outcome) = match words.first().map(String::as_str) {
        Some("cves") => (&CVES, cves),
        Some("quickview" | "qv") => (&QUICKVIEW, quickview),
        None | Some("--help" | "-h") => return super::help(&GROUP),
        Some(other) => {
            let mut outcome = Outcome::default();
            outcome.err(format!("docker: unknown command: docker scout {other}"));
            outcome.err("");
            outcome.err("Run 'docker scout --help' for more information");
            return outcome.fail(1);
        }
    };
    match spec.parse(&words[1..]) {
        Ok(parsed) if parsed.help => super::help(spec),
        Ok(parsed) => handler(world, invocation, parsed),
        Err(error) => super::usage_error(spec, &error),
    }
}

/// The image analysed: the one named, else the most recently built (as Scout does).
fn target(world: &World, parsed: &Parsed, outcome: &mut Outcome) -> Option<(String, Image)> {
    let found = match parsed.args.first() {
        Some(name) => world.find_image(name.trim_start_matches("image://").trim_start_matches("local://")).map(|i| (name.clone(), i.clone())),
        None => world.images().max_by_key(|i| i.created).map(|i| (i.repo_tags.first().cloned().unwrap_or_else(|| i.id.clone()), i.clone())),
    };
    if found.is_none() {
        let name = parsed.args.first().map_or("", String::as_str);
        outcome.err(format!("    ✗ Image not found locally: {name}; pull or build it first"));
    }
    found
}

/// The tagged local image whose layers are the longest strict prefix of `image`'s: its base.
fn base_of<'a>(world: &'a World, image: &Image) -> Option<&'a Image> {
    world
        .images()
        .filter(|b| !b.repo_tags.is_empty() && b.layers.len() < image.layers.len() && image.layers.starts_with(&b.layers))
        .max_by_key(|b| b.layers.len())
}

fn digest(image: &Image) -> String {
    image.id.trim_start_matches("sha256:").chars().take(12).collect()
}

fn indexed(image: &Image) -> String {
    let n = image.layers.len();
    format!("    ✓ SBOM of image already cached, {n} {} indexed", if n == 1 { "layer" } else { "layers" })
}

const ZERO: &str = "   0C     0H     0M     0L";

fn quickview(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((name, image)) = target(world, &parsed, &mut outcome) else { return outcome.fail(1) };
    outcome.out(indexed(&image));
    outcome.out("");
    let base = base_of(world, &image).and_then(|b| b.repo_tags.first().cloned());
    let width = name.len().max(base.as_ref().map_or(0, String::len)).max(12);
    outcome.out(format!("  Target     │  {name:<width$}  │ {ZERO}"));
    outcome.out(format!("    digest   │  {:<width$}  │", digest(&image)));
    if let Some(base) = base {
        outcome.out(format!("  Base image │  {base:<width$}  │ {ZERO}"));
    }
    outcome.out("");
    outcome.out("What's next:");
    outcome.out(format!("    View vulnerabilities → docker scout cves {name}"));
    outcome.out("");
    outcome.err(NO_ADVISORIES);
    outcome
}

fn cves(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((name, image)) = target(world, &parsed, &mut outcome) else { return outcome.fail(1) };
    outcome.out(indexed(&image));
    outcome.out("    ✓ No vulnerable package detected");
    outcome.out("");
    outcome.out("## Overview");
    outcome.out("");
    outcome.out("                    │       Analyzed Image");
    outcome.out("────────────────────┼──────────────────────────────");
    outcome.out(format!("  Target            │  {name}"));
    outcome.out(format!("    digest          │  {}", digest(&image)));
    outcome.out("    platform        │ linux/amd64");
    outcome.out(format!("    vulnerabilities │ {ZERO}"));
    outcome.out(format!("    size            │ {}", crate::table::human_size(image.size)));
    if let Some(base) = base_of(world, &image).and_then(|b| b.repo_tags.first()) {
        outcome.out(format!("    base image      │ {base}"));
    }
    outcome.out("");
    outcome.out("## Packages and Vulnerabilities");
    outcome.out("");
    outcome.out("  No vulnerable packages detected");
    outcome.out("");
    outcome.err(NO_ADVISORIES);
    outcome
}
