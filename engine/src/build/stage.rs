//! One build stage, step by step: each instruction either reused from the cache or executed
//! against the stage's filesystem, with the reason recorded either way.

use std::collections::BTreeMap;

use super::cache::{BuildCache, CacheRecord, Verdict};
use super::context::Context;
use super::progress::{transfer_size, Vertex};
use super::{earlier_stage, expand_base, resolve_in, snippet, BuildReport, BuildRequest};
use crate::clock::{SimTime, SECOND};
use crate::dockerfile::{self, CommandLine, Dockerfile, Instruction, MountType, ShellLexer, SourcesAndDest, Step};
use crate::fs::{file_name, is_within, normalize, FileTree, LayerDiff, Meta, Node};
use crate::ids::short_id;
use crate::image::{Healthcheck, HistoryEntry, ImageConfig};
use crate::outcome::Event;
use crate::programs::{self, Process};
use crate::reference::Reference;
use crate::registry::DEFAULT_PLATFORM;
use crate::world::World;

/// A finished stage: what later stages (`FROM stage`, `COPY --from`) and the export start from.
#[derive(Debug, Clone)]
pub struct StageResult {
    pub tree: FileTree,
    pub layers: Vec<String>,
    pub config: ImageConfig,
    pub history: Vec<HistoryEntry>,
    pub key: String,
    pub created: SimTime,
    pub size: u64,
}

pub struct StageRunner<'a> {
    pub world: &'a mut World,
    pub dockerfile: &'a Dockerfile,
    pub index: usize,
    pub request: &'a BuildRequest,
    pub context: &'a Context,
    pub global_args: &'a BTreeMap<String, String>,
    pub dockerfile_name: &'a str,
    pub dockerfile_text: &'a str,
}

/// Instructions that BuildKit turns into steps of their own (the `n` in `[i/n]`).
fn is_vertex(instruction: &Instruction) -> bool {
    matches!(instruction, Instruction::Run(_) | Instruction::Copy(_) | Instruction::Add(_) | Instruction::Workdir(_))
}

impl StageRunner<'_> {
    /// Runs the stage; `None` when it failed (the report then says why).
    pub fn run(&mut self, done: &BTreeMap<usize, StageResult>, report: &mut BuildReport) -> Option<StageResult> {
        let stage = &self.dockerfile.stages[self.index];
        let total = 1 + stage.steps.iter().filter(|s| is_vertex(&s.instruction)).count();
        let label = match (&stage.name, self.dockerfile.stages.len()) {
            (_, 1) => String::new(),
            (Some(name), _) => format!("{name} "),
            (None, _) => format!("stage-{} ", self.index),
        };
        let mut state = self.start(done, report, &label, total)?;
        let mut args: BTreeMap<String, String> = BTreeMap::new();
        let mut position = 1;
        for step in &stage.steps {
            let mut instruction = step.instruction.clone();
            if !matches!(instruction, Instruction::Run(_) | Instruction::Cmd(_) | Instruction::Entrypoint(_)) {
                let variables = variables(&state.config, &args);
                let lexer = ShellLexer::new(self.dockerfile.escape);
                if let Err(error) = instruction.expand(&mut |word| lexer.process_word(word, &variables)) {
                    report.error_context = snippet(self.dockerfile_name, self.dockerfile_text, Some(step.start_line));
                    *report = std::mem::take(report).fail(format!("failed to solve: {error}"));
                    return None;
                }
            }
            if is_vertex(&instruction) {
                position += 1;
            }
            let name = format!("[{label}{position}/{total}] {}", step.source);
            let ok = match instruction {
                Instruction::Arg(definitions) => {
                    let mut entries = Vec::new();
                    for definition in definitions {
                        let value = self
                            .request
                            .build_args
                            .get(&definition.name)
                            .cloned()
                            .or(definition.default.clone())
                            .or_else(|| self.global_args.get(&definition.name).cloned());
                        match &value {
                            Some(value) => entries.push(format!("{}={value}", definition.name)),
                            None => entries.push(definition.name.clone()),
                        }
                        args.insert(definition.name.clone(), value.unwrap_or_default());
                    }
                    state.note(&format!("ARG {}", entries.join(" ")));
                    true
                }
                Instruction::Env(pairs) => {
                    let mut text = Vec::new();
                    for pair in pairs {
                        state.config.set_env(&pair.key, &pair.value);
                        text.push(format!("{}={}", pair.key, pair.value));
                    }
                    state.note(&format!("ENV {}", text.join(" ")));
                    true
                }
                Instruction::Label(pairs) => {
                    let mut text = Vec::new();
                    for pair in pairs {
                        state.config.labels.insert(pair.key.clone(), pair.value.clone());
                        text.push(format!("{}={}", pair.key, pair.value));
                    }
                    state.note(&format!("LABEL {}", text.join(" ")));
                    true
                }
                Instruction::User(user) => {
                    state.config.user = user.clone();
                    state.note(&format!("USER {user}"));
                    true
                }
                Instruction::Expose(ports) => {
                    let mut listed = Vec::new();
                    for port in ports {
                        let port = if port.contains('/') { port } else { format!("{port}/tcp") };
                        state.config.exposed_ports.insert(port.clone());
                        listed.push(format!("{port}:{{}}"));
                    }
                    state.note(&format!("EXPOSE map[{}]", listed.join(" ")));
                    true
                }
                Instruction::Volume(paths) => {
                    for path in &paths {
                        state.config.volumes.insert(path.clone());
                    }
                    state.note(&format!("VOLUME [{}]", paths.join(" ")));
                    true
                }
                Instruction::Cmd(command) => {
                    let argv = command_argv(&command, &state.config);
                    state.note(&format!("CMD {}", go_quoted_list(&argv)));
                    state.config.cmd = Some(argv);
                    true
                }
                Instruction::Entrypoint(command) => {
                    let argv = command_argv(&command, &state.config);
                    state.note(&format!("ENTRYPOINT {}", go_quoted_list(&argv)));
                    state.config.entrypoint = Some(argv);
                    // Docker resets an inherited CMD when ENTRYPOINT changes.
                    state.config.cmd = None;
                    true
                }
                Instruction::Shell(shell) => {
                    state.note(&format!("SHELL {}", go_quoted_list(&shell)));
                    state.config.shell = Some(shell);
                    true
                }
                Instruction::StopSignal(signal) => {
                    state.note(&format!("STOPSIGNAL {signal}"));
                    state.config.stop_signal = Some(signal);
                    true
                }
                Instruction::Healthcheck(check) => {
                    let millis = |ns: i64| (ns.max(0) / 1_000_000) as u64;
                    state.config.healthcheck = Some(Healthcheck {
                        test: check.test.clone(),
                        interval: millis(check.interval_ns),
                        timeout: millis(check.timeout_ns),
                        start_period: millis(check.start_period_ns),
                        retries: check.retries.max(0) as u32,
                    });
                    state.note(&format!("HEALTHCHECK &{{{}}}", go_quoted_list(&check.test)));
                    true
                }
                Instruction::Onbuild(trigger) => {
                    state.note(&format!("ONBUILD {trigger}"));
                    state.config.on_build.push(trigger);
                    true
                }
                Instruction::Maintainer(name) => {
                    state.config.labels.insert("maintainer".into(), name.clone());
                    state.note(&format!("MAINTAINER {name}"));
                    true
                }
                Instruction::From(_) => true,
                Instruction::Workdir(path) => {
                    let dir = resolve_in(&path, &state.config.working_dir);
                    state.config.working_dir = dir.clone();
                    let operation = format!("WORKDIR {dir}");
                    self.vertex_step(&mut state, report, name, step, operation, BTreeMap::new(), Box::new(|tree, _| {
                        tree.mkdir_all(&dir, Meta::DIR);
                        Ok(StepRun { duration: SECOND / 20, ..StepRun::default() })
                    }))
                }
                Instruction::Copy(copy) => {
                    let sources = match &copy.from {
                        Some(from) => match self.source_tree(done, from) {
                            Ok(tree) => Source::Tree(tree),
                            Err(message) => {
                                self.fail_step(report, name, step, message);
                                return None;
                            }
                        },
                        None => Source::Context,
                    };
                    self.copy_step(&mut state, report, name, step, &copy.files, sources, copy.chown.as_deref(), copy.chmod.as_deref(), "COPY")
                }
                Instruction::Add(add) => {
                    self.copy_step(&mut state, report, name, step, &add.files, Source::Context, add.chown.as_deref(), add.chmod.as_deref(), "ADD")
                }
                Instruction::Run(run) => self.run_step(&mut state, report, name, step, &run, &args, done),
            };
            if !ok {
                return None;
            }
        }
        Some(state.finish())
    }

    /// The stage's starting point: an earlier stage, `scratch`, or a base image.
    fn start(&mut self, done: &BTreeMap<usize, StageResult>, report: &mut BuildReport, label: &str, total: usize) -> Option<State> {
        let stage = &self.dockerfile.stages[self.index];
        let base = expand_base(&stage.base, self.global_args);
        if let Some((index, _)) = earlier_stage(self.dockerfile, self.index, &base) {
            let result = done.get(&index)?.clone();
            return Some(State::from_result(result));
        }
        if base == "scratch" {
            let config = ImageConfig { env: Vec::new(), ..ImageConfig::default() };
            return Some(State {
                pending_notes: Vec::new(),
                tree: FileTree::new(),
                layers: Vec::new(),
                config,
                history: Vec::new(),
                key: "scratch".into(),
                created: self.world.now(),
                size: 0,
            });
        }
        let reference = match Reference::parse_normalized(&base) {
            Ok(reference) => reference.with_default_tag(),
            Err(_) => {
                *report = std::mem::take(report).fail(format!("failed to solve: failed to parse stage name \"{base}\": invalid reference format"));
                return None;
            }
        };
        let platform = stage.platform.clone().or(self.request.platform.clone());
        let mut vertex = Vertex { name: String::new(), ..Vertex::default() };
        let local = if self.request.pull { None } else { self.world.image_by_reference(&reference).cloned() };
        let image = match local {
            Some(image) => {
                let digest = image.repo_digests.first().and_then(|d| d.split_once('@')).map(|(_, d)| d.to_string());
                vertex.name = format!("[{label}1/{total}] FROM {}{}", reference.full(), digest.map(|d| format!("@{d}")).unwrap_or_default());
                vertex.details.push((format!("resolve {}", reference.full()), 0));
                image
            }
            None => {
                let remote = match self.world.registry.resolve(&reference, self.world.now(), platform.as_deref().unwrap_or(DEFAULT_PLATFORM)) {
                    Ok(remote) => remote,
                    Err(error) => {
                        let reason = match error {
                            crate::registry::PullError::NoMatchingPlatform(platform) => format!("no match for platform in manifest: not found ({platform})"),
                            crate::registry::PullError::ManifestUnknown => format!("{}: not found", reference.full()),
                            crate::registry::PullError::RepositoryNotFound => "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".into(),
                        };
                        *report = std::mem::take(report).fail(format!(
                            "failed to solve: {base}: failed to resolve source metadata for {}: {reason}",
                            reference.full()
                        ));
                        return None;
                    }
                };
                let pinned = format!("{}@{}", reference.full(), remote.manifest_digest);
                vertex.name = format!("[{label}1/{total}] FROM {pinned}");
                vertex.details.push((format!("resolve {pinned}"), 0));
                for layer in &remote.layers {
                    let digest = layer.digest();
                    if self.world.has_layer(&digest) {
                        continue;
                    }
                    let wire = crate::docker::compressed_size(layer.size());
                    let millis = wire * SECOND / 25_000_000;
                    vertex.details.push((format!("{digest} {} / {}", transfer_size(wire), transfer_size(wire)), millis));
                    vertex.details.push((format!("extracting {digest}"), millis / 2));
                    vertex.duration += millis + millis / 2;
                }
                for layer in &remote.layers {
                    self.world.store_layer(layer.clone());
                }
                let mut image = remote.image.clone();
                image.repo_tags = vec![reference.familiar()];
                image.repo_digests = vec![format!("{}@{}", reference.familiar_name(), remote.manifest_digest)];
                self.world.store_image(image.clone());
                image
            }
        };
        report.vertices.push(vertex);
        let tree = self.world.image_tree(&image);
        Some(State {
            pending_notes: Vec::new(),
            tree,
            layers: image.layers.clone(),
            config: image.config.clone(),
            history: image.history.clone(),
            key: format!("FROM {}", image.id),
            created: image.created,
            size: image.size,
        })
    }

    /// Files for `COPY --from`: an earlier stage's result, or an image's filesystem.
    fn source_tree(&mut self, done: &BTreeMap<usize, StageResult>, from: &str) -> Result<FileTree, String> {
        if let Some((index, _)) = earlier_stage(self.dockerfile, self.index, from) {
            return done.get(&index).map(|r| r.tree.clone()).ok_or_else(|| format!("failed to solve: stage {from} did not build"));
        }
        let reference = Reference::parse_normalized(from)
            .map_err(|_| format!("failed to solve: failed to parse stage name \"{from}\": invalid reference format"))?
            .with_default_tag();
        if let Some(image) = self.world.image_by_reference(&reference).cloned() {
            return Ok(self.world.image_tree(&image));
        }
        let remote = self
            .world
            .registry
            .resolve(&reference, self.world.now(), DEFAULT_PLATFORM)
            .map_err(|_| format!("failed to solve: {from}: failed to resolve source metadata for {}: not found", reference.full()))?;
        let mut tree = FileTree::new();
        for layer in &remote.layers {
            layer.apply_to(&mut tree);
            self.world.store_layer(layer.clone());
        }
        Ok(tree)
    }

    #[allow(clippy::too_many_arguments)]
    fn copy_step(
        &mut self,
        state: &mut State,
        report: &mut BuildReport,
        name: String,
        step: &Step,
        files: &SourcesAndDest,
        source: Source,
        chown: Option<&str>,
        chmod: Option<&str>,
        keyword: &str,
    ) -> bool {
        let owner = match chown.map(|spec| owner_of(&state.tree, spec)) {
            Some(Ok(owner)) => Some(owner),
            Some(Err(message)) => return self.fail_step(report, name, step, message),
            None => None,
        };
        let mode = chmod.and_then(|m| u32::from_str_radix(m, 8).ok());
        let dest_is_dir = files.dest.ends_with('/') || files.source_paths.len() + files.source_contents.len() > 1;
        let dest = resolve_in(&files.dest, &state.config.working_dir);
        let mut selected: Vec<(String, Node)> = Vec::new();
        let mut inputs = BTreeMap::new();
        for pattern in &files.source_paths {
            let matches: Vec<(String, Node)> = match &source {
                Source::Context => self.context.select(pattern).into_iter().map(|(p, n)| (p.clone(), n.clone())).collect(),
                Source::Tree(tree) => {
                    let root = normalize(pattern, "/");
                    let mut found: Vec<(String, Node)> = tree
                        .entries()
                        .filter(|(p, _)| is_within(p, &root))
                        .map(|(p, n)| (p.trim_start_matches('/').to_string(), n.clone()))
                        .collect();
                    found.sort_by(|a, b| a.0.cmp(&b.0));
                    found
                }
            };
            if matches.is_empty() {
                let shown = normalize(pattern, "/");
                let message = format!(
                    "failed to solve: failed to compute cache key: failed to calculate checksum of ref {}::{}: \"{shown}\": not found",
                    &short_id(&crate::ids::sha256_digest(self.request.context_dir.as_bytes()))[..12].to_string(),
                    &short_id(&crate::ids::sha256_digest(pattern.as_bytes()))[..12]
                );
                return self.fail_step(report, name, step, message);
            }
            // A pattern naming a directory copies what is inside it, not the directory itself.
            let root = pattern.trim_start_matches("./").trim_start_matches('/').trim_end_matches('/').to_string();
            let single_file = matches.len() == 1 && !matches[0].1.is_dir() && matches[0].0 == root;
            for (path, node) in matches {
                inputs.insert(format!("file:{path}"), node.checksum());
                let relative = if single_file {
                    file_name(&path).to_string()
                } else if root.is_empty() || root == "." || path == root || !is_within(&format!("/{path}"), &format!("/{root}")) {
                    path.clone()
                } else {
                    path[root.len()..].trim_start_matches('/').to_string()
                };
                if relative.is_empty() {
                    continue;
                }
                let target = if single_file && !dest_is_dir && !state.tree.is_dir(&dest) {
                    dest.clone()
                } else {
                    normalize(&relative, &dest)
                };
                selected.push((target, node));
            }
        }
        for content in &files.source_contents {
            let node = Node::text(content.data.clone());
            inputs.insert(format!("file:{}", content.path), node.checksum());
            let target = if dest_is_dir || state.tree.is_dir(&dest) { normalize(&content.path, &dest) } else { dest.clone() };
            selected.push((target, node));
        }
        let operation = format!("{keyword} {}", step.source.split_once(' ').map_or("", |(_, rest)| rest));
        let bytes: u64 = selected.iter().map(|(_, n)| n.size()).sum();
        self.vertex_step(state, report, name, step, operation, inputs, Box::new(move |tree, _| {
            if dest_is_dir {
                tree.mkdir_all(&dest, Meta::DIR);
            }
            for (target, mut node) in selected.clone() {
                let meta = node.meta_mut();
                match owner {
                    Some((uid, gid)) => {
                        meta.uid = uid;
                        meta.gid = gid;
                    }
                    // Files from the context arrive owned by root, whoever owned them on the host.
                    None => {
                        meta.uid = 0;
                        meta.gid = 0;
                    }
                }
                if let Some(mode) = mode {
                    meta.mode = mode;
                }
                tree.insert(&target, node);
            }
            Ok(StepRun { duration: SECOND / 10 + bytes / 100_000, ..StepRun::default() })
        }))
    }

    #[allow(clippy::too_many_arguments)]
    fn run_step(
        &mut self,
        state: &mut State,
        report: &mut BuildReport,
        name: String,
        step: &Step,
        run: &dockerfile::Run,
        args: &BTreeMap<String, String>,
        done: &BTreeMap<usize, StageResult>,
    ) -> bool {
        let argv = command_argv(&run.command, &state.config);
        // Build args reach RUN as environment, unless ENV set the same name.
        let mut env = state.config.env.clone();
        let mut arg_env = Vec::new();
        for (arg, value) in args {
            if state.config.env_value(arg).is_none() {
                env.push(format!("{arg}={value}"));
                arg_env.push(format!("{arg}={value}"));
            }
        }
        let variables = variables(&state.config, args);
        let lexer = ShellLexer::new(self.dockerfile.escape);
        let mut mounts = Vec::new();
        for spec in &run.mounts {
            match dockerfile::parse_mount(spec, &mut |word| lexer.process_word(word, &variables)) {
                Ok(mount) => mounts.push(mount),
                Err(error) => return self.fail_step(report, name, step, format!("failed to solve: {error}")),
            }
        }
        let shown = if run.command.prepend_shell { argv.join(" ") } else { go_quoted_list(&argv) };
        let created_by = if arg_env.is_empty() {
            format!("RUN {shown} # buildkit")
        } else {
            format!("RUN |{} {} {shown} # buildkit", arg_env.len(), arg_env.join(" "))
        };
        let mut inputs = BTreeMap::new();
        for entry in &env {
            if let Some((key, value)) = entry.split_once('=') {
                inputs.insert(format!("env:{key}"), value.to_string());
            }
        }
        inputs.insert("user".into(), state.config.user.clone());
        inputs.insert("workdir".into(), state.config.working_dir.clone());
        for (i, spec) in run.mounts.iter().enumerate() {
            inputs.insert(format!("mount{i}"), spec.clone());
        }
        let operation = format!("RUN {shown}");
        let workdir = if state.config.working_dir.is_empty() { "/".to_string() } else { state.config.working_dir.clone() };
        let user = state.config.user.clone();
        let network = !self.request.network_none && run.network != dockerfile::NetworkMode::None;
        let secrets = self.request.secrets.clone();
        let mut cache_mounts = std::mem::take(&mut self.world.build_cache.cache_mounts);
        let bind_sources: Vec<Option<FileTree>> = mounts
            .iter()
            .map(|mount| match (&mount.mount_type, &mount.from) {
                (MountType::Bind, Some(from)) => self.source_tree(done, from).ok(),
                (MountType::Bind, None) => {
                    let mut tree = FileTree::new();
                    for (path, node) in &self.context.entries {
                        tree.insert(&format!("/{path}"), node.clone());
                    }
                    Some(tree)
                }
                _ => None,
            })
            .collect();
        let command_for_error = argv.join(" ");
        let ok = self.vertex_step(state, report, name, step, operation, inputs, Box::new(|tree, _| {
            // Mounts are visible while the command runs and gone from the layer afterwards.
            let mut restore: Vec<(String, Option<FileTree>)> = Vec::new();
            for (mount, bind) in mounts.iter().zip(&bind_sources) {
                let target = match (&mount.mount_type, &mount.target) {
                    (MountType::Secret, None) => format!("/run/secrets/{}", mount.id.clone().unwrap_or_default()),
                    (_, Some(target)) => normalize(target, &workdir),
                    (_, None) => continue,
                };
                restore.push((target.clone(), subtree(tree, &target)));
                match mount.mount_type {
                    MountType::Cache => {
                        let id = mount.id.clone().unwrap_or_else(|| target.clone());
                        graft(tree, &target, cache_mounts.get(&id).cloned().unwrap_or_default());
                    }
                    MountType::Secret => {
                        let id = mount.id.clone().unwrap_or_else(|| file_name(&target).to_string());
                        match secrets.get(&id) {
                            Some(content) => tree.insert(&target, Node::text(content.clone())),
                            None if mount.required => {
                                return Err(format!("failed to solve: secret {id}: not found").into());
                            }
                            None => {}
                        }
                    }
                    MountType::Bind => {
                        if let Some(source) = bind {
                            let root = normalize(mount.source.as_deref().unwrap_or("/"), "/");
                            graft(tree, &target, subtree(source, &root).unwrap_or_default());
                        }
                    }
                    MountType::Tmpfs => graft(tree, &target, FileTree::new()),
                    MountType::Ssh => {}
                }
            }
            let mut process = Process { rootfs: tree, env: env.clone(), cwd: workdir.clone(), user: user.clone(), network, stdin: None, container: None };
            let outcome = programs::exec(&argv, &mut process);
            for (mount, (target, previous)) in mounts.iter().zip(restore.iter().rev().collect::<Vec<_>>().into_iter().rev()) {
                if mount.mount_type == MountType::Cache {
                    let id = mount.id.clone().unwrap_or_else(|| target.clone());
                    cache_mounts.insert(id, subtree(tree, target).unwrap_or_default());
                }
                tree.remove_all(target);
                if let Some(previous) = previous {
                    graft(tree, target, previous.clone());
                }
            }
            match outcome {
                Ok(run) => {
                    let mut logs = Vec::new();
                    let lines: Vec<&String> = run.stdout.iter().chain(run.stderr.iter()).collect();
                    for (i, line) in lines.iter().enumerate() {
                        logs.push((run.duration * i as u64 / lines.len().max(1) as u64 + 150, line.to_string()));
                    }
                    if run.exit_code != 0 {
                        let message = format!(
                            "process \"{command_for_error}\" did not complete successfully: exit code: {}",
                            run.exit_code
                        );
                        return Err(StepFailure { message, logs });
                    }
                    Ok(StepRun { duration: run.duration.max(SECOND / 10), logs })
                }
                Err(error) => Err(format!(
                    "process \"{command_for_error}\" did not complete successfully: runc run failed: unable to start container process: error during container init: {error}: unknown"
                )
                .into()),
            }
        }));
        self.world.build_cache.cache_mounts = cache_mounts;
        if ok {
            state.history.last_mut().map(|h| h.created_by = created_by);
        }
        ok
    }

    /// Runs one cacheable step: reuse it if the cache has it, else perform `change` on the stage's
    /// tree and record the result.
    fn vertex_step(
        &mut self,
        state: &mut State,
        report: &mut BuildReport,
        name: String,
        step: &Step,
        operation: String,
        inputs: BTreeMap<String, String>,
        // A trait object, not a generic: one copy of this long function instead of one per step kind.
        change: Box<dyn FnOnce(&mut FileTree, &mut World) -> Result<StepRun, StepFailure> + '_>,
    ) -> bool {
        let key = BuildCache::key(&state.key, &operation, &inputs);
        let cached = if self.request.no_cache { None } else { self.world.build_cache.get(&key).cloned() };
        let verdict = match &cached {
            Some(_) => Verdict::Cached,
            None if self.request.no_cache => Verdict::Miss("--no-cache was given".into()),
            None => Verdict::Miss(self.world.build_cache.explain_miss(&state.key, &operation, &inputs)),
        };
        let stage_label = name.split(']').next().unwrap_or_default().trim_start_matches('[').to_string();
        report.events.push(Event::BuildStep {
            step: stage_label,
            instruction: step.source.clone(),
            verdict: verdict.clone(),
        });
        let history_text = history_text(&operation);
        if let Some(record) = cached {
            if let Some(digest) = &record.layer {
                if let Some(layer) = self.world.layer(digest).cloned() {
                    layer.apply_to(&mut state.tree);
                    state.layers.push(digest.clone());
                }
            }
            state.size += record.size;
            state.history.push(HistoryEntry {
                created: record.created,
                created_by: history_text,
                empty_layer: record.layer.is_none(),
                comment: "buildkit.dockerfile.v0".into(),
            });
            state.created = record.created;
            state.settle_notes(record.created);
            state.key = key;
            report.vertices.push(Vertex { name, cached: true, ..Vertex::default() });
            return true;
        }
        let before = state.tree.clone();
        let run = change(&mut state.tree, self.world).and_then(|run| {
            // Only a nearly full disk needs the layer's size before it is committed.
            let roomy = crate::runtime::disk::free(self.world) > 4_000_000_000;
            if roomy || crate::runtime::disk::fits(self.world, LayerDiff::between(&before, &state.tree).size()) {
                Ok(run)
            } else {
                let mut logs = run.logs;
                let at = logs.last().map_or(0, |(t, _)| *t);
                logs.push((at, "write error: No space left on device".to_string()));
                Err(StepFailure {
                    message: "failed to solve: failed to commit layer: write /var/lib/docker/buildkit/snapshots: no space left on device".into(),
                    logs,
                })
            }
        });
        match run {
            Ok(run) => {
                let diff = LayerDiff::between(&before, &state.tree);
                let size = diff.size();
                let layer = if diff.is_empty() { None } else { Some(self.world.store_layer(diff)) };
                let created = self.world.clock.advance(run.duration);
                if let Some(digest) = &layer {
                    state.layers.push(digest.clone());
                }
                state.size += size;
                state.history.push(HistoryEntry {
                    created,
                    created_by: history_text,
                    empty_layer: layer.is_none(),
                    comment: "buildkit.dockerfile.v0".into(),
                });
                state.created = created;
                state.settle_notes(created);
                self.world.build_cache.insert(
                    key.clone(),
                    CacheRecord { parent: state.key.clone(), operation, inputs, layer, created, duration: run.duration, size },
                );
                state.key = key;
                report.vertices.push(Vertex { name, duration: run.duration, logs: run.logs, ..Vertex::default() });
                true
            }
            Err(StepFailure { message, logs }) => {
                state.tree = before;
                let mut vertex = Vertex { name: name.clone(), logs: logs.clone(), error: Some(message.clone()), ..Vertex::default() };
                vertex.duration = logs.last().map_or(SECOND / 10, |(t, _)| *t);
                report.vertices.push(vertex);
                let mut context = vec!["------".to_string(), format!(" > {name}:")];
                for (offset, line) in logs.iter().rev().take(10).rev() {
                    context.push(format!("{:.3} {line}", *offset as f64 / 1000.0));
                }
                context.push("------".into());
                context.extend(snippet(self.dockerfile_name, self.dockerfile_text, Some(step.start_line)));
                report.error_context = context;
                let final_message = if message.starts_with("failed to solve") { message } else { format!("failed to solve: {message}") };
                *report = std::mem::take(report).fail(final_message);
                false
            }
        }
    }

    fn fail_step(&mut self, report: &mut BuildReport, name: String, step: &Step, message: String) -> bool {
        report.vertices.push(Vertex { name, error: Some(message.clone()), ..Vertex::default() });
        report.error_context = snippet(self.dockerfile_name, self.dockerfile_text, Some(step.start_line));
        *report = std::mem::take(report).fail(message);
        false
    }
}

enum Source {
    Context,
    Tree(FileTree),
}

/// Why a step failed, with the output it printed first (BuildKit shows its last lines).
#[derive(Debug)]
pub struct StepFailure {
    message: String,
    logs: Vec<(u64, String)>,
}

impl From<String> for StepFailure {
    fn from(message: String) -> Self {
        StepFailure { message, logs: Vec::new() }
    }
}

#[derive(Debug, Default)]
pub struct StepRun {
    duration: u64,
    logs: Vec<(u64, String)>,
}

/// The stage as it is being built.
struct State {
    /// History entries of metadata instructions still waiting for a time.
    pending_notes: Vec<usize>,
    tree: FileTree,
    layers: Vec<String>,
    config: ImageConfig,
    history: Vec<HistoryEntry>,
    key: String,
    created: SimTime,
    size: u64,
}

impl State {
    fn from_result(result: StageResult) -> State {
        State {
            pending_notes: Vec::new(),
            tree: result.tree,
            layers: result.layers,
            config: result.config,
            history: result.history,
            key: result.key,
            created: result.created,
            size: result.size,
        }
    }

    /// A metadata-only instruction: history, no layer, no cache vertex. It leaves the cache key
    /// alone, as in BuildKit: later steps change only if they read what it set (RUN sees ENV and
    /// ARG values as its environment; COPY does not).
    fn note(&mut self, created_by: &str) {
        self.pending_notes.push(self.history.len());
        self.history.push(HistoryEntry {
            created: self.created,
            created_by: created_by.to_string(),
            empty_layer: true,
            comment: "buildkit.dockerfile.v0".into(),
        });
    }

    /// Metadata entries take the time of the step that follows them, so a fully cached rebuild
    /// reproduces the same history, config and image ID.
    fn settle_notes(&mut self, created: SimTime) {
        for index in self.pending_notes.drain(..) {
            if let Some(entry) = self.history.get_mut(index) {
                entry.created = created;
            }
        }
    }

    fn finish(mut self) -> StageResult {
        let created = self.created;
        self.settle_notes(created);
        StageResult {
            tree: self.tree,
            layers: self.layers,
            config: self.config,
            history: self.history,
            key: self.key,
            created: self.created,
            size: self.size,
        }
    }
}

/// `COPY . .` → `COPY . . # buildkit`: how BuildKit labels layer-making steps in history.
fn history_text(operation: &str) -> String {
    if operation.starts_with("WORKDIR") { operation.to_string() } else { format!("{operation} # buildkit") }
}

/// ENV values and build args, for `$VAR` in instructions.
fn variables(config: &ImageConfig, args: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut variables = args.clone();
    for entry in &config.env {
        if let Some((key, value)) = entry.split_once('=') {
            variables.insert(key.to_string(), value.to_string());
        }
    }
    variables
}

/// The argv of RUN/CMD/ENTRYPOINT: shell form runs through the image's SHELL (default
/// `/bin/sh -c`), exec form as written.
fn command_argv(command: &CommandLine, config: &ImageConfig) -> Vec<String> {
    if command.prepend_shell {
        let mut argv = config.shell.clone().unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into()]);
        let mut script = command.args.join(" ");
        for file in &command.files {
            script.push('\n');
            script.push_str(&file.data);
        }
        argv.push(script);
        argv
    } else {
        command.args.clone()
    }
}

/// Go's `%q` of a string slice: `["python" "app.py"]`, as BuildKit writes CMD into history.
fn go_quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| dockerfile::go_quote(item)).collect();
    format!("[{}]", quoted.join(" "))
}

/// `--chown=user:group` resolved against the stage's /etc/passwd and /etc/group.
fn owner_of(tree: &FileTree, spec: &str) -> Result<(u32, u32), String> {
    let (user, group) = spec.split_once(':').map_or((spec, None), |(u, g)| (u, Some(g)));
    let lookup = |file: &str, name: &str, field: usize| -> Option<u32> {
        if let Ok(id) = name.parse() {
            return Some(id);
        }
        tree.read_text(file).ok()?.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&name)).then(|| fields.get(field)?.parse().ok()).flatten()
        })
    };
    let uid = lookup("/etc/passwd", user, 2).ok_or_else(|| {
        format!("failed to solve: unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}")
    })?;
    let gid = match group {
        Some(group) => lookup("/etc/group", group, 2).ok_or_else(|| {
            format!("failed to solve: unable to convert uid/gid chown string to host mapping: can't find gid for group {group}: no such group: {group}")
        })?,
        None => lookup("/etc/passwd", user, 3).unwrap_or(uid),
    };
    Ok((uid, gid))
}

/// Everything under `root` in `tree`, re-rooted at `/`; `None` if nothing is there.
fn subtree(tree: &FileTree, root: &str) -> Option<FileTree> {
    if !tree.exists(root) {
        return None;
    }
    let mut out = FileTree::new();
    for (path, node) in tree.descendants(root) {
        let relative = if root == "/" { path.clone() } else { path[root.len()..].to_string() };
        out.insert(&relative, node.clone());
    }
    Some(out)
}

/// Places `branch` at `target` in `tree`, replacing what was there.
fn graft(tree: &mut FileTree, target: &str, branch: FileTree) {
    tree.remove_all(target);
    tree.mkdir_all(target, Meta::DIR);
    for (path, node) in branch.entries() {
        let full = if target == "/" { path.clone() } else { format!("{target}{path}") };
        tree.insert(&full, node.clone());
    }
}
