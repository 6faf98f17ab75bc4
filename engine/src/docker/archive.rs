//! `docker save`, `docker load` and `docker export`: images and container filesystems as tar
//! archives in the learner's files. The archives are the same stand-ins `tar` reads, so
//! `tar tf image.tar` lists `manifest.json` and the `blobs/sha256/…` an OCI image archive holds.

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::fs::{normalize, parent, Content, FileTree, Meta, Node};
use crate::image::Image;
use crate::outcome::Outcome;
use crate::programs::tar::{archive_size, LABEL};
use crate::world::World;

pub const SAVE: CommandSpec = CommandSpec { path: "docker save", help: include_str!("help/save.txt"), args: Args::AtLeast(1), interspersed: true };
pub const LOAD: CommandSpec = CommandSpec { path: "docker load", help: include_str!("help/load.txt"), args: Args::None, interspersed: true };
pub const EXPORT: CommandSpec = CommandSpec { path: "docker export", help: include_str!("help/export.txt"), args: Args::Exactly(1), interspersed: true };

/// The host user that owns what the CLI writes.
const LEARNER: Meta = Meta { mode: 0o600, uid: 1000, gid: 1000 };

/// Recorded from the 28.2.2 CLI when stdout is a terminal and no `-o` is given.
const TERMINAL: &str = "cowardly refusing to save to a terminal. Use the -o flag or redirect";

/// Where `-o` points, after the CLI's `ValidateOutputPath` check.
fn output_path(world: &World, invocation: &Invocation, parsed: &Parsed, context: &str) -> Result<String, String> {
    let Some(output) = parsed.value("output") else { return Err(TERMINAL.to_string()) };
    let path = normalize(&output.replacen('~', crate::shell::HOME, 1), &invocation.cwd);
    let dir = parent(&path);
    if !world.host_files().is_dir(dir) {
        return Err(format!("{context}invalid output path: stat {dir}: no such file or directory"));
    }
    Ok(path)
}

fn write_archive(world: &mut World, path: &str, members: Vec<(String, Node)>) {
    let size = archive_size(&members, false, false);
    let label = format!("{LABEL}\n{}", serde_json::to_string(&members).unwrap_or_default());
    world.host_files_mut().insert(path, Node::File { meta: LEARNER, size, content: Content::Blob { label } });
}

fn hex(digest: &str) -> &str {
    digest.trim_start_matches("sha256:")
}

pub fn save(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let path = match output_path(world, invocation, &parsed, "failed to save image: ") {
        Ok(path) => path,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    let mut images: Vec<(Image, Vec<String>)> = Vec::new();
    for name in &parsed.args {
        let Some(image) = world.find_image(name).cloned() else {
            let shown = crate::reference::Reference::parse_normalized(name).map_or(name.clone(), |r| r.with_default_tag().familiar());
            outcome.err(format!("Error response from daemon: No such image: {shown}"));
            return outcome.fail(1);
        };
        // A name saves that tag; an ID saves the image with every tag it has.
        let tags = if image.repo_tags.iter().any(|t| t == name || t.strip_suffix(":latest") == Some(name.as_str())) {
            image.repo_tags.iter().filter(|t| *t == name || t.strip_suffix(":latest") == Some(name.as_str())).cloned().collect()
        } else {
            image.repo_tags.clone()
        };
        match images.iter_mut().find(|(i, _)| i.id == image.id) {
            Some((_, known)) => known.extend(tags),
            None => images.push((image, tags)),
        }
    }
    let mut members = vec![("blobs".to_string(), Node::Dir { meta: Meta::DIR }), ("blobs/sha256".to_string(), Node::Dir { meta: Meta::DIR })];
    let mut manifest = Vec::new();
    for (image, tags) in &images {
        // The config blob carries the image itself; each layer blob carries its layer.
        let config = serde_json::to_string(image).unwrap_or_default();
        members.push((format!("blobs/sha256/{}", hex(&image.id)), Node::text(config)));
        for digest in &image.layers {
            if let Some(layer) = world.layer(digest) {
                let label = serde_json::to_string(layer).unwrap_or_default();
                members.push((format!("blobs/sha256/{}", hex(digest)), Node::File { meta: Meta::FILE, size: layer.size(), content: Content::Blob { label } }));
            }
        }
        manifest.push(serde_json::json!({
            "Config": format!("blobs/sha256/{}", hex(&image.id)),
            "RepoTags": tags,
            "Layers": image.layers.iter().map(|d| format!("blobs/sha256/{}", hex(d))).collect::<Vec<_>>(),
        }));
    }
    members.sort_by(|a, b| a.0.cmp(&b.0));
    members.dedup_by(|a, b| a.0 == b.0);
    members.push(("manifest.json".to_string(), Node::text(serde_json::to_string(&manifest).unwrap_or_default())));
    members.push(("oci-layout".to_string(), Node::text("{\"imageLayoutVersion\":\"1.0.0\"}")));
    write_archive(world, &path, members);
    outcome
}

pub fn load(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(input) = parsed.value("input") else {
        outcome.err("requested load from stdin, but stdin is empty");
        return outcome.fail(1);
    };
    let path = normalize(&input.replacen('~', crate::shell::HOME, 1), &invocation.cwd);
    let members: Vec<(String, Node)> = match world.host_files().get(&path) {
        None => {
            outcome.err(format!("open {input}: no such file or directory"));
            return outcome.fail(1);
        }
        Some(Node::File { content: Content::Blob { label }, .. }) => {
            label.strip_prefix(LABEL).and_then(|rest| rest.strip_prefix('\n')).and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
        }
        Some(_) => Vec::new(),
    };
    let member = |name: &str| members.iter().find(|(n, _)| n == name).map(|(_, node)| node);
    let text_of = |node: Option<&Node>| match node {
        Some(Node::File { content: Content::Text(text), .. }) => Some(text.clone()),
        Some(Node::File { content: Content::Blob { label }, .. }) => Some(label.clone()),
        _ => None,
    };
    let manifest: Option<Vec<serde_json::Value>> = text_of(member("manifest.json")).and_then(|t| serde_json::from_str(&t).ok());
    let Some(manifest) = manifest else {
        // What the daemon says about a file that is no image archive.
        outcome.err("Error response from daemon: unexpected EOF");
        return outcome.fail(1);
    };
    for entry in manifest {
        let config = entry["Config"].as_str().unwrap_or_default();
        let Some(mut image) = text_of(member(config)).and_then(|t| serde_json::from_str::<Image>(&t).ok()) else { continue };
        for layer in entry["Layers"].as_array().into_iter().flatten().filter_map(|l| l.as_str()) {
            if let Some(diff) = text_of(member(layer)).and_then(|t| serde_json::from_str(&t).ok()) {
                world.store_layer(diff);
            }
        }
        let tags: Vec<String> = entry["RepoTags"].as_array().into_iter().flatten().filter_map(|t| t.as_str().map(str::to_string)).collect();
        image.repo_tags = tags.clone();
        image.repo_digests.clear();
        let id = image.id.clone();
        world.store_image(image);
        if parsed.bool("quiet") {
            continue;
        }
        if tags.is_empty() {
            outcome.out(format!("Loaded image ID: {id}"));
        }
        for tag in tags {
            outcome.out(format!("Loaded image: {tag}"));
        }
    }
    outcome
}

pub fn export(world: &mut World, invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let path = match output_path(world, invocation, &parsed, "failed to export container: ") {
        Ok(path) => path,
        Err(message) => {
            outcome.err(message);
            return outcome.fail(1);
        }
    };
    let name = &parsed.args[0];
    let Some(container) = world.find_container(name).cloned() else {
        outcome.err(format!("Error response from daemon: No such container: {name}"));
        return outcome.fail(1);
    };
    // The container's filesystem: its image's layers with its own changes on top (mounts are
    // not part of it, as with the real `export`).
    let mut tree = match world.image(&container.image_id) {
        Some(image) => world.image_tree(image),
        None => FileTree::new(),
    };
    container.upper.apply_to(&mut tree);
    let members: Vec<(String, Node)> = tree
        .entries()
        .map(|(path, node)| (path.trim_start_matches('/').to_string(), node.clone()))
        .collect();
    write_archive(world, &path, members);
    outcome
}
