//! Goals: a closed vocabulary of facts about the engine's state (and what the learner typed),
//! compared by structure — names, states, sizes, patterns — never by random IDs.

use crate::record::Record;
use crate::size::parse_size;
use engine::Engine;
use regex_lite::Regex;
use serde::{Deserialize, Serialize};

/// Something that must be true of the simulated machine for a step to be done.
///
/// In TOML a goal is a one-key table: `{ container = { name = "web", state = "running" } }`,
/// `{ all = [ … ] }`, `{ not = { … } }`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Goal {
    /// Every goal holds.
    All(Vec<Goal>),
    /// At least one goal holds.
    Any(Vec<Goal>),
    /// The goal does not hold.
    Not(Box<Goal>),

    /// A local image with this reference (`myapp:1.0`) exists.
    ImageExists(String),
    /// Facts about a local image.
    Image(ImageFacts),
    /// Every `FROM` of the learner's Dockerfile pins its base image.
    BasePinned(BasePinned),
    /// A learner's file (path relative to the home directory) contains a pattern.
    FileMatches(FilePattern),
    /// A learner's file exists.
    FileExists(String),

    /// The last `docker build` the learner ran.
    LastBuild(LastBuild),

    /// Facts about a container, found by name.
    Container(ContainerFacts),
    /// No container with this name exists (removed).
    ContainerGone(String),
    /// `docker inspect --format FORMAT TARGET` prints this (run on a copy of the machine).
    Inspect(Inspect),
    /// Container `from` can resolve `name` through its resolver (probed on a copy).
    Resolves(Resolves),
    /// `curl localhost:PORT` on the host gets an answer (probed on a copy).
    HostReaches(HostReaches),

    /// A volume with this name exists.
    VolumeExists(String),
    /// A volume holds a file (path below the volume's root, e.g. `/data.txt`).
    VolumeHasFile(VolumeFile),
    /// A network with this name exists, with these facts.
    Network(NetworkFacts),
    /// A container is attached to a network.
    OnNetwork(OnNetwork),
    /// A Compose service's containers (by the `com.docker.compose.service` label).
    ComposeService(ComposeService),

    /// dockerd is up (`true`) or down (`false`).
    DaemonRunning(bool),
    /// At least this much of the host disk is free (`2GB`).
    DiskFree(String),

    /// The learner typed a line matching this regular expression.
    CommandRan(String),
    /// A line typed during this step printed output matching this regular expression.
    OutputShown(String),
    /// The learner answered the step's question: a choice number or a text pattern.
    Answered(Answered),
    /// A command run on a copy of the machine ends with this status and output.
    Probe(Probe),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageFacts {
    pub name: String,
    /// Smaller than this (`200MB`).
    #[serde(default)]
    pub size_below: Option<String>,
    /// At least this big (to check a "before" image really is large).
    #[serde(default)]
    pub size_at_least: Option<String>,
    /// Runs as a user other than root (`USER` set to a non-root name or UID).
    #[serde(default)]
    pub non_root: Option<bool>,
    /// A pattern that must (or must not, with `history_lacks`) appear in `docker history`'s CREATED BY.
    #[serde(default)]
    pub history_has: Option<String>,
    #[serde(default)]
    pub history_lacks: Option<String>,
    /// The image's architecture (`amd64`, `arm64`).
    #[serde(default)]
    pub architecture: Option<String>,
    /// An environment variable of the image's config, `NAME=value` pattern.
    #[serde(default)]
    pub env_has: Option<String>,
    #[serde(default)]
    pub env_lacks: Option<String>,
    /// The image has a HEALTHCHECK.
    #[serde(default)]
    pub healthcheck: Option<bool>,
    /// A path exists in the image's filesystem.
    #[serde(default)]
    pub has_file: Option<String>,
    #[serde(default)]
    pub lacks_file: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasePinned {
    /// The Dockerfile, relative to the home directory.
    pub file: String,
    /// `digest` (`@sha256:…`) or `version` (a tag with a full version number, not `latest`/`3`).
    pub by: PinKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PinKind {
    Digest,
    Version,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilePattern {
    pub path: String,
    pub pattern: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastBuild {
    /// The build finished and produced an image.
    #[serde(default)]
    pub succeeded: Option<bool>,
    /// Patterns of instructions that had to come from the cache.
    #[serde(default)]
    pub cached: Vec<String>,
    /// Patterns of instructions that had to run (cache miss).
    #[serde(default)]
    pub ran: Vec<String>,
    /// A pattern the build's output had to show (an error, a warning).
    #[serde(default)]
    pub output: Option<String>,
    /// The build context sent was smaller than this (`1MB`).
    #[serde(default)]
    pub context_below: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerFacts {
    pub name: String,
    /// `created`, `running`, `paused`, `restarting`, `exited`.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub exit_code: Option<i32>,
    #[serde(default)]
    pub oom_killed: Option<bool>,
    /// `starting`, `healthy`, `unhealthy`.
    #[serde(default)]
    pub health: Option<String>,
    #[serde(default)]
    pub restarts_at_least: Option<u32>,
    /// A memory limit is set (`true`), or exactly this one (`256m`).
    #[serde(default)]
    pub memory_limit: Option<String>,
    #[serde(default)]
    pub read_only: Option<bool>,
    /// Runs as a non-root user (the container's or its image's USER).
    #[serde(default)]
    pub non_root: Option<bool>,
    /// Host port → container port, published while it runs (`8080:80`).
    #[serde(default)]
    pub publishes: Option<String>,
    /// Its logs show this pattern.
    #[serde(default)]
    pub logs_show: Option<String>,
    /// The image it was created from (as typed), a pattern.
    #[serde(default)]
    pub image: Option<String>,
    /// Its restart policy's name (`always`, `on-failure`, `unless-stopped`, `no`).
    #[serde(default)]
    pub restart: Option<String>,
    /// Capabilities dropped (`ALL`).
    #[serde(default)]
    pub cap_drop: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspect {
    pub target: String,
    pub format: String,
    #[serde(default)]
    pub equals: Option<String>,
    #[serde(default)]
    pub matches: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolves {
    pub from: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostReaches {
    pub port: u16,
    /// A pattern the answer's body must show.
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeFile {
    pub volume: String,
    pub path: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkFacts {
    pub name: String,
    #[serde(default)]
    pub internal: Option<bool>,
    #[serde(default)]
    pub driver: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnNetwork {
    pub container: String,
    pub network: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComposeService {
    pub service: String,
    /// The Compose project (default: any).
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub health: Option<String>,
    /// How many containers the service has running.
    #[serde(default)]
    pub running: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answered {
    #[serde(default)]
    pub choice: Option<usize>,
    /// A case-insensitive pattern the answer text must match.
    #[serde(default)]
    pub pattern: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    pub run: String,
    #[serde(default)]
    pub status: Option<i32>,
    /// A pattern the probe's output (stdout and stderr) must show.
    #[serde(default)]
    pub output: Option<String>,
    /// Said when it fails, instead of the command line ("the API answers on port 8000").
    #[serde(default)]
    pub means: Option<String>,
}

/// How far a goal is from holding: what is still missing, in words, for hints.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    pub missing: Vec<String>,
}

impl Progress {
    pub fn met(&self) -> bool {
        self.missing.is_empty()
    }
}

/// What a goal is checked against.
pub struct Context<'a> {
    pub engine: &'a Engine,
    pub record: &'a Record,
}

impl Goal {
    /// Checks the goal; `missing` lists the unmet parts.
    pub fn check(&self, context: &Context) -> Progress {
        let mut missing = Vec::new();
        self.collect(context, &mut missing);
        Progress { missing }
    }

    pub fn holds(&self, context: &Context) -> bool {
        self.check(context).met()
    }

    fn collect(&self, context: &Context, missing: &mut Vec<String>) {
        match self {
            Goal::All(goals) => goals.iter().for_each(|goal| goal.collect(context, missing)),
            Goal::Any(goals) => {
                let mut options = Vec::new();
                for goal in goals {
                    let progress = goal.check(context);
                    if progress.met() {
                        return;
                    }
                    options.push(progress.missing.join(", "));
                }
                missing.push(format!("one of: {}", options.join("; or ")));
            }
            Goal::Not(goal) => {
                if goal.holds(context) {
                    missing.push(format!("not: {}", goal.describe()));
                }
            }
            leaf => {
                if let Err(why) = leaf.check_leaf(context) {
                    missing.push(why);
                }
            }
        }
    }

    /// The goal in words, as a learner reads it in a checklist.
    pub fn describe(&self) -> String {
        match self {
            Goal::All(goals) => goals.iter().map(Goal::describe).collect::<Vec<_>>().join(", and "),
            Goal::Any(goals) => goals.iter().map(Goal::describe).collect::<Vec<_>>().join(", or "),
            Goal::Not(goal) => format!("not: {}", goal.describe()),
            Goal::ImageExists(name) => format!("image {name} exists"),
            Goal::Image(facts) => format!("image {} {}", facts.name, facts.wanted().join(", ")),
            Goal::BasePinned(pin) => match pin.by {
                PinKind::Digest => format!("every FROM in {} pins its base by digest (@sha256:…)", pin.file),
                PinKind::Version => format!("every FROM in {} names an exact version", pin.file),
            },
            Goal::FileMatches(file) => format!("{} contains /{}/", file.path, file.pattern),
            Goal::FileExists(path) => format!("{path} exists"),
            Goal::LastBuild(build) => format!("the last build {}", build.wanted().join(", ")),
            Goal::Container(facts) => format!("container {} {}", facts.name, facts.wanted().join(", ")),
            Goal::ContainerGone(name) => format!("container {name} is removed"),
            Goal::Inspect(inspect) => format!(
                "docker inspect -f '{}' {} shows {}",
                inspect.format,
                inspect.target,
                inspect.equals.clone().or_else(|| inspect.matches.as_ref().map(|m| format!("/{m}/"))).unwrap_or_default()
            ),
            Goal::Resolves(r) => format!("{} resolves the name {}", r.from, r.name),
            Goal::HostReaches(h) => format!("the host reaches localhost:{}", h.port),
            Goal::VolumeExists(name) => format!("volume {name} exists"),
            Goal::VolumeHasFile(v) => format!("volume {} holds {}", v.volume, v.path),
            Goal::Network(n) => {
                let mut text = format!("network {} exists", n.name);
                if n.internal == Some(true) {
                    text.push_str(" and is internal");
                }
                if let Some(driver) = &n.driver {
                    text.push_str(&format!(" with driver {driver}"));
                }
                text
            }
            Goal::OnNetwork(o) => format!("{} is attached to {}", o.container, o.network),
            Goal::ComposeService(c) => {
                let mut wanted = Vec::new();
                if let Some(state) = &c.state {
                    wanted.push(state.clone());
                }
                if let Some(health) = &c.health {
                    wanted.push(health.clone());
                }
                if let Some(n) = c.running {
                    wanted.push(format!("{n} running"));
                }
                format!("compose service {} is {}", c.service, wanted.join(" and "))
            }
            Goal::DaemonRunning(true) => "dockerd is running".into(),
            Goal::DaemonRunning(false) => "dockerd is stopped".into(),
            Goal::DiskFree(size) => format!("at least {size} of disk is free"),
            Goal::CommandRan(pattern) => format!("a command matching /{pattern}/ was run"),
            Goal::OutputShown(pattern) => format!("output showing /{pattern}/ was seen"),
            // Never the expected answer itself: the goal line is shown to the learner.
            Goal::Answered(_) => "the question is answered correctly".into(),
            Goal::Probe(p) => p.means.clone().unwrap_or_else(|| format!("`{}` succeeds", p.run)),
        }
    }

    fn check_leaf(&self, context: &Context) -> Result<(), String> {
        let world = context.engine.world();
        match self {
            Goal::All(_) | Goal::Any(_) | Goal::Not(_) => Ok(()),
            Goal::ImageExists(name) => match world.find_image(name) {
                Some(_) => Ok(()),
                None => Err(format!("no image {name} yet")),
            },
            Goal::Image(facts) => check_image(context, facts),
            Goal::BasePinned(pin) => check_pinned(context, pin),
            Goal::FileMatches(file) => match context.engine.read_file(&from_home(&file.path)) {
                Some(text) if matches(&file.pattern, &text) => Ok(()),
                Some(_) => Err(format!("{} does not contain /{}/ yet", file.path, file.pattern)),
                None => Err(format!("{} does not exist", file.path)),
            },
            Goal::FileExists(path) => match context.engine.read_file(&from_home(path)) {
                Some(_) => Ok(()),
                None => Err(format!("{path} does not exist yet")),
            },
            Goal::LastBuild(build) => check_build(context, build),
            Goal::Container(facts) => check_container(context, facts),
            Goal::ContainerGone(name) => match world.find_container(name) {
                None => Ok(()),
                Some(c) => Err(format!("container {name} still exists ({})", c.state.status.as_str())),
            },
            Goal::Inspect(inspect) => {
                let command = format!("docker inspect --format '{}' {}", inspect.format, inspect.target);
                let (status, output) = probe(context.engine, &command);
                let shown = output.trim_end().to_string();
                let ok = status == 0
                    && inspect.equals.as_ref().is_none_or(|want| shown == *want)
                    && inspect.matches.as_ref().is_none_or(|pattern| matches(pattern, &shown));
                if ok {
                    Ok(())
                } else {
                    Err(format!("{} (now: {})", self.describe(), first_line(&shown)))
                }
            }
            Goal::Resolves(r) => {
                let command = format!("docker exec {} nslookup {} || docker exec {} getent hosts {}", r.from, r.name, r.from, r.name);
                let (status, _) = probe(context.engine, &command);
                if status == 0 {
                    Ok(())
                } else {
                    Err(format!("{} cannot resolve {} yet", r.from, r.name))
                }
            }
            Goal::HostReaches(h) => {
                let (status, output) = probe(context.engine, &format!("curl -s localhost:{}", h.port));
                let body_ok = h.body.as_ref().is_none_or(|pattern| matches(pattern, &output));
                if status == 0 && body_ok {
                    Ok(())
                } else {
                    Err(format!("curl localhost:{} does not get the answer yet", h.port))
                }
            }
            Goal::VolumeExists(name) => match world.volume(name) {
                Some(_) => Ok(()),
                None => Err(format!("no volume {name} yet")),
            },
            Goal::VolumeHasFile(v) => match world.volume(&v.volume) {
                Some(volume) if volume.files.exists(&absolute(&v.path)) => Ok(()),
                Some(_) => Err(format!("volume {} does not hold {} yet", v.volume, v.path)),
                None => Err(format!("no volume {} yet", v.volume)),
            },
            Goal::Network(n) => match world.find_network(&n.name) {
                None => Err(format!("no network {} yet", n.name)),
                Some(network) => {
                    if n.internal.is_some_and(|want| want != network.internal) {
                        Err(format!("network {} is {}internal", n.name, if network.internal { "" } else { "not " }))
                    } else if n.driver.as_ref().is_some_and(|want| *want != network.driver) {
                        Err(format!("network {} uses driver {}", n.name, network.driver))
                    } else {
                        Ok(())
                    }
                }
            },
            Goal::OnNetwork(o) => {
                let container = world.find_container(&o.container).ok_or_else(|| format!("no container {} yet", o.container))?;
                match world.find_network(&o.network) {
                    Some(network) if network.endpoints.contains_key(&container.id) => Ok(()),
                    Some(_) => Err(format!("{} is not attached to {}", o.container, o.network)),
                    None => Err(format!("no network {} yet", o.network)),
                }
            }
            Goal::ComposeService(c) => check_compose_service(context, c),
            Goal::DaemonRunning(want) => {
                if world.daemon_running() == *want {
                    Ok(())
                } else {
                    Err(self.describe())
                }
            }
            Goal::DiskFree(size) => {
                let want = parse_size(size).unwrap_or(u64::MAX);
                let free = world.disk_free();
                if free >= want {
                    Ok(())
                } else {
                    Err(format!("only {} MB of disk is free (want {size})", free / 1_000_000))
                }
            }
            Goal::CommandRan(pattern) => {
                if context.record.commands.iter().any(|typed| matches(pattern, &typed.line)) {
                    Ok(())
                } else {
                    Err(self.describe())
                }
            }
            Goal::OutputShown(pattern) => {
                let step = context.record.step;
                if context.record.commands.iter().any(|typed| typed.step == step && matches(pattern, &typed.output)) {
                    Ok(())
                } else {
                    Err(self.describe())
                }
            }
            Goal::Answered(a) => {
                let step = context.record.step;
                let Some(answer) = context.record.answers.iter().rev().find(|(at, _)| *at == step).map(|(_, text)| text.trim()) else {
                    return Err("the question is not answered yet (type: answer …)".into());
                };
                let choice_ok = a.choice.is_none_or(|want| answer.parse::<usize>().ok() == Some(want));
                let pattern_ok = a.pattern.as_ref().is_none_or(|pattern| matches(pattern, answer));
                if choice_ok && pattern_ok {
                    Ok(())
                } else {
                    Err("that answer is not right yet".into())
                }
            }
            Goal::Probe(p) => {
                let (status, output) = probe(context.engine, &p.run);
                let status_ok = p.status.map_or(status == 0, |want| status == want);
                let output_ok = p.output.as_ref().is_none_or(|pattern| matches(pattern, &output));
                if status_ok && output_ok {
                    Ok(())
                } else {
                    Err(self.describe())
                }
            }
        }
    }

    /// Every regular expression inside the goal, for the loader to compile up front.
    pub fn patterns(&self) -> Vec<&str> {
        let mut found = Vec::new();
        self.visit(&mut |goal| match goal {
            Goal::Image(f) => found.extend([&f.history_has, &f.history_lacks, &f.env_has, &f.env_lacks].into_iter().flatten().map(String::as_str)),
            Goal::FileMatches(f) => found.push(f.pattern.as_str()),
            Goal::LastBuild(b) => {
                found.extend(b.cached.iter().chain(&b.ran).map(String::as_str));
                found.extend(b.output.as_deref());
            }
            Goal::Container(c) => found.extend([&c.logs_show, &c.image].into_iter().flatten().map(String::as_str)),
            Goal::Inspect(i) => found.extend(i.matches.as_deref()),
            Goal::HostReaches(h) => found.extend(h.body.as_deref()),
            Goal::CommandRan(p) | Goal::OutputShown(p) => found.push(p.as_str()),
            Goal::Answered(a) => found.extend(a.pattern.as_deref()),
            Goal::Probe(p) => found.extend(p.output.as_deref()),
            _ => {}
        });
        found
    }

    /// Every size inside the goal, for the loader to check.
    pub fn sizes(&self) -> Vec<&str> {
        let mut found = Vec::new();
        self.visit(&mut |goal| match goal {
            Goal::Image(f) => found.extend([&f.size_below, &f.size_at_least].into_iter().flatten().map(String::as_str)),
            Goal::LastBuild(b) => found.extend(b.context_below.as_deref()),
            Goal::DiskFree(size) => found.push(size.as_str()),
            _ => {}
        });
        found
    }

    fn visit<'a>(&'a self, each: &mut dyn FnMut(&'a Goal)) {
        each(self);
        match self {
            Goal::All(goals) | Goal::Any(goals) => goals.iter().for_each(|goal| goal.visit(each)),
            Goal::Not(goal) => goal.visit(each),
            _ => {}
        }
    }
}

impl ImageFacts {
    fn wanted(&self) -> Vec<String> {
        let mut wanted = vec!["exists".to_string()];
        if let Some(size) = &self.size_below {
            wanted.push(format!("is smaller than {size}"));
        }
        if let Some(size) = &self.size_at_least {
            wanted.push(format!("is at least {size}"));
        }
        if let Some(non_root) = self.non_root {
            wanted.push(if non_root { "runs as a non-root user" } else { "runs as root" }.into());
        }
        if let Some(pattern) = &self.history_has {
            wanted.push(format!("has /{pattern}/ in its history"));
        }
        if let Some(pattern) = &self.history_lacks {
            wanted.push(format!("has no /{pattern}/ in its history"));
        }
        if let Some(arch) = &self.architecture {
            wanted.push(format!("is built for {arch}"));
        }
        if let Some(pattern) = &self.env_has {
            wanted.push(format!("sets /{pattern}/ in its environment"));
        }
        if let Some(pattern) = &self.env_lacks {
            wanted.push(format!("does not set /{pattern}/ in its environment"));
        }
        if let Some(health) = self.healthcheck {
            wanted.push(if health { "has a HEALTHCHECK" } else { "has no HEALTHCHECK" }.into());
        }
        if let Some(path) = &self.has_file {
            wanted.push(format!("contains {path}"));
        }
        if let Some(path) = &self.lacks_file {
            wanted.push(format!("does not contain {path}"));
        }
        wanted
    }
}

impl LastBuild {
    fn wanted(&self) -> Vec<String> {
        let mut wanted = Vec::new();
        match self.succeeded {
            Some(true) => wanted.push("succeeded".to_string()),
            Some(false) => wanted.push("failed".to_string()),
            None => {}
        }
        wanted.extend(self.cached.iter().map(|p| format!("took /{p}/ from the cache")));
        wanted.extend(self.ran.iter().map(|p| format!("ran /{p}/")));
        if let Some(pattern) = &self.output {
            wanted.push(format!("showed /{pattern}/"));
        }
        if let Some(size) = &self.context_below {
            wanted.push(format!("sent a build context under {size}"));
        }
        if wanted.is_empty() {
            wanted.push("ran".into());
        }
        wanted
    }
}

impl ContainerFacts {
    fn wanted(&self) -> Vec<String> {
        let mut wanted = Vec::new();
        if let Some(state) = &self.state {
            wanted.push(format!("is {state}"));
        }
        if let Some(code) = self.exit_code {
            wanted.push(format!("exited with {code}"));
        }
        if let Some(oom) = self.oom_killed {
            wanted.push(if oom { "was OOM-killed" } else { "was not OOM-killed" }.into());
        }
        if let Some(health) = &self.health {
            wanted.push(format!("is {health}"));
        }
        if let Some(n) = self.restarts_at_least {
            wanted.push(format!("restarted at least {n} times"));
        }
        if let Some(limit) = &self.memory_limit {
            wanted.push(if limit == "true" { "has a memory limit".to_string() } else { format!("has memory limit {limit}") });
        }
        if let Some(ro) = self.read_only {
            wanted.push(if ro { "has a read-only root filesystem" } else { "has a writable root filesystem" }.into());
        }
        if let Some(non_root) = self.non_root {
            wanted.push(if non_root { "runs as a non-root user" } else { "runs as root" }.into());
        }
        if let Some(ports) = &self.publishes {
            wanted.push(format!("publishes {ports}"));
        }
        if let Some(pattern) = &self.logs_show {
            wanted.push(format!("logs /{pattern}/"));
        }
        if let Some(pattern) = &self.image {
            wanted.push(format!("runs image /{pattern}/"));
        }
        if let Some(policy) = &self.restart {
            wanted.push(format!("has restart policy {policy}"));
        }
        if let Some(cap) = &self.cap_drop {
            wanted.push(format!("drops capability {cap}"));
        }
        if wanted.is_empty() {
            wanted.push("exists".into());
        }
        wanted
    }
}

fn check_image(context: &Context, facts: &ImageFacts) -> Result<(), String> {
    let world = context.engine.world();
    let image = world.find_image(&facts.name).ok_or_else(|| format!("no image {} yet", facts.name))?;
    let mut problems = Vec::new();
    if let Some(limit) = facts.size_below.as_deref().and_then(parse_size) {
        if image.size >= limit {
            problems.push(format!("is {} (want under {})", crate::size::human(image.size), facts.size_below.as_deref().unwrap_or_default()));
        }
    }
    if let Some(floor) = facts.size_at_least.as_deref().and_then(parse_size) {
        if image.size < floor {
            problems.push(format!("is only {}", crate::size::human(image.size)));
        }
    }
    if let Some(want) = facts.non_root {
        if is_non_root(&image.config.user) != want {
            problems.push(format!("runs as {}", if image.config.user.is_empty() { "root" } else { &image.config.user }));
        }
    }
    let history: Vec<&str> = image.history.iter().map(|entry| entry.created_by.as_str()).collect();
    if let Some(pattern) = &facts.history_has {
        if !history.iter().any(|line| matches(pattern, line)) {
            problems.push(format!("has no /{pattern}/ in its history"));
        }
    }
    if let Some(pattern) = &facts.history_lacks {
        if history.iter().any(|line| matches(pattern, line)) {
            problems.push(format!("still shows /{pattern}/ in docker history"));
        }
    }
    if let Some(arch) = &facts.architecture {
        if image.config.architecture != *arch {
            problems.push(format!("is built for {}", image.config.architecture));
        }
    }
    if let Some(pattern) = &facts.env_has {
        if !image.config.env.iter().any(|pair| matches(pattern, pair)) {
            problems.push(format!("does not set /{pattern}/"));
        }
    }
    if let Some(pattern) = &facts.env_lacks {
        if image.config.env.iter().any(|pair| matches(pattern, pair)) {
            problems.push(format!("still sets /{pattern}/ in its environment"));
        }
    }
    if let Some(want) = facts.healthcheck {
        let has = image.config.healthcheck.as_ref().is_some_and(|h| h.test.first().is_none_or(|t| t != "NONE"));
        if has != want {
            problems.push(if has { "has a HEALTHCHECK" } else { "has no HEALTHCHECK" }.into());
        }
    }
    if facts.has_file.is_some() || facts.lacks_file.is_some() {
        let tree = world.image_tree(image);
        if let Some(path) = &facts.has_file {
            if !tree.exists(path) {
                problems.push(format!("does not contain {path}"));
            }
        }
        if let Some(path) = &facts.lacks_file {
            if tree.exists(path) {
                problems.push(format!("still contains {path}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("image {} {}", facts.name, problems.join(", ")))
    }
}

fn check_pinned(context: &Context, pin: &BasePinned) -> Result<(), String> {
    let text = context.engine.read_file(&from_home(&pin.file)).ok_or_else(|| format!("{} does not exist", pin.file))?;
    let stage_names: Vec<String> = from_lines(&text).iter().filter_map(|(_, alias)| alias.clone()).collect();
    let mut unpinned = Vec::new();
    for (image, _) in from_lines(&text) {
        if stage_names.iter().any(|stage| stage.eq_ignore_ascii_case(&image)) || image == "scratch" {
            continue;
        }
        let pinned = match pin.by {
            PinKind::Digest => image.contains("@sha256:"),
            PinKind::Version => image.contains("@sha256:") || has_exact_version(&image),
        };
        if !pinned {
            unpinned.push(image);
        }
    }
    if unpinned.is_empty() {
        Ok(())
    } else {
        Err(format!("{} is not pinned {}", unpinned.join(", "), if pin.by == PinKind::Digest { "by digest" } else { "to an exact version" }))
    }
}

/// `FROM` lines of a Dockerfile: the image and the stage name (`AS builder`).
fn from_lines(text: &str) -> Vec<(String, Option<String>)> {
    text.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            if !words.first()?.eq_ignore_ascii_case("FROM") {
                return None;
            }
            let rest: Vec<&str> = words[1..].iter().copied().filter(|w| !w.starts_with("--")).collect();
            let image = rest.first()?.to_string();
            let alias = match rest.as_slice() {
                [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("AS") => Some(name.to_string()),
                _ => None,
            };
            Some((image, alias))
        })
        .collect()
}

/// A tag with at least major.minor (`3.12-slim`, `16.2-alpine`, `1.22`), not `latest` or `3`.
fn has_exact_version(image: &str) -> bool {
    let tag = image.rsplit_once(':').map(|(_, tag)| tag).filter(|tag| !tag.contains('/')).unwrap_or("");
    let version: String = tag.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    version.split('.').filter(|part| !part.is_empty()).count() >= 2
}

fn check_build(context: &Context, want: &LastBuild) -> Result<(), String> {
    let Some(build) = &context.record.last_build else {
        return Err("no docker build yet".into());
    };
    let mut problems = Vec::new();
    if let Some(succeeded) = want.succeeded {
        if build.succeeded != succeeded {
            problems.push(if build.succeeded { "succeeded" } else { "failed" }.to_string());
        }
    }
    for pattern in &want.cached {
        match build.steps.iter().find(|step| matches(pattern, &step.instruction)) {
            Some(step) if step.cached => {}
            Some(step) => problems.push(format!("ran {} ({})", step.instruction, step.reason)),
            None => problems.push(format!("had no step /{pattern}/")),
        }
    }
    for pattern in &want.ran {
        match build.steps.iter().find(|step| matches(pattern, &step.instruction)) {
            Some(step) if !step.cached => {}
            Some(step) => problems.push(format!("took {} from the cache", step.instruction)),
            None => problems.push(format!("had no step /{pattern}/")),
        }
    }
    if let Some(pattern) = &want.output {
        if !matches(pattern, &build.output) {
            problems.push(format!("did not show /{pattern}/"));
        }
    }
    if let Some(limit) = want.context_below.as_deref().and_then(parse_size) {
        match build.context_bytes {
            Some(bytes) if bytes < limit => {}
            Some(bytes) => problems.push(format!("sent a {} build context", crate::size::human(bytes))),
            None => problems.push("did not report its context size".into()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("the last build {}", problems.join(", ")))
    }
}

fn check_container(context: &Context, facts: &ContainerFacts) -> Result<(), String> {
    let world = context.engine.world();
    let container = world.find_container(&facts.name).ok_or_else(|| format!("no container {} yet", facts.name))?;
    let state = &container.state;
    let mut problems = Vec::new();
    if let Some(want) = &facts.state {
        if state.status.as_str() != want {
            problems.push(format!("is {}", state.status.as_str()));
        }
    }
    if let Some(code) = facts.exit_code {
        if state.exit_code != code || state.status.as_str() == "running" {
            problems.push(format!("has exit code {} ({})", state.exit_code, state.status.as_str()));
        }
    }
    if let Some(oom) = facts.oom_killed {
        if state.oom_killed != oom {
            problems.push(if state.oom_killed { "was OOM-killed" } else { "was not OOM-killed" }.into());
        }
    }
    if let Some(want) = &facts.health {
        let health = state.health.as_ref().map(|h| h.status.as_str()).unwrap_or("none");
        if health != want {
            problems.push(format!("health is {health}"));
        }
    }
    if let Some(n) = facts.restarts_at_least {
        if container.restart_count < n {
            problems.push(format!("restarted {} times", container.restart_count));
        }
    }
    if let Some(limit) = &facts.memory_limit {
        let memory = container.host_config.memory;
        let ok = if limit == "true" { memory > 0 } else { parse_size(limit) == Some(memory) };
        if !ok {
            problems.push(if memory == 0 { "has no memory limit".to_string() } else { format!("has memory limit {memory} bytes") });
        }
    }
    if let Some(ro) = facts.read_only {
        if container.host_config.readonly_rootfs != ro {
            problems.push(if ro { "has a writable root filesystem" } else { "has a read-only root filesystem" }.into());
        }
    }
    if let Some(want) = facts.non_root {
        let user = if container.config.user.is_empty() {
            world.image(&container.image_id).map(|image| image.config.user.clone()).unwrap_or_default()
        } else {
            container.config.user.clone()
        };
        if is_non_root(&user) != want {
            problems.push(format!("runs as {}", if user.is_empty() { "root" } else { &user }));
        }
    }
    if let Some(ports) = &facts.publishes {
        let shown: Vec<String> = container.published.iter().map(|p| format!("{}:{}", p.host_port, p.container_port)).collect();
        let (host, inner) = ports.split_once(':').unwrap_or(("", ports));
        let found = container.published.iter().any(|p| (host.is_empty() || p.host_port.to_string() == host) && p.container_port.to_string() == inner.trim_end_matches("/tcp"));
        if !found {
            problems.push(if shown.is_empty() { "publishes no ports".to_string() } else { format!("publishes {}", shown.join(", ")) });
        }
    }
    if let Some(pattern) = &facts.logs_show {
        if !container.logs.iter().any(|entry| matches(pattern, &entry.text)) {
            problems.push(format!("has not logged /{pattern}/"));
        }
    }
    if let Some(pattern) = &facts.image {
        if !matches(pattern, &container.image) {
            problems.push(format!("runs {}", container.image));
        }
    }
    if let Some(policy) = &facts.restart {
        let name = container.host_config.restart_policy.name.as_str();
        let name = if name.is_empty() { "no" } else { name };
        if name != policy {
            problems.push(format!("has restart policy {name}"));
        }
    }
    if let Some(cap) = &facts.cap_drop {
        if !container.host_config.cap_drop.iter().any(|c| c.eq_ignore_ascii_case(cap)) {
            problems.push(format!("does not drop {cap}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("container {} {}", facts.name, problems.join(", ")))
    }
}

fn check_compose_service(context: &Context, want: &ComposeService) -> Result<(), String> {
    let world = context.engine.world();
    let containers: Vec<_> = world
        .containers()
        .iter()
        .filter(|c| c.config.labels.get("com.docker.compose.service") == Some(&want.service))
        .filter(|c| want.project.as_ref().is_none_or(|p| c.config.labels.get("com.docker.compose.project") == Some(p)))
        .collect();
    if containers.is_empty() {
        return Err(format!("compose service {} has no containers yet", want.service));
    }
    let mut problems = Vec::new();
    if let Some(state) = &want.state {
        if !containers.iter().all(|c| c.state.status.as_str() == state) {
            let states: Vec<&str> = containers.iter().map(|c| c.state.status.as_str()).collect();
            problems.push(format!("is {}", states.join(", ")));
        }
    }
    if let Some(health) = &want.health {
        let healths: Vec<&str> = containers.iter().map(|c| c.state.health.as_ref().map(|h| h.status.as_str()).unwrap_or("none")).collect();
        if !healths.iter().all(|h| h == health) {
            problems.push(format!("health is {}", healths.join(", ")));
        }
    }
    if let Some(n) = want.running {
        let running = containers.iter().filter(|c| c.state.status.as_str() == "running").count();
        if running != n {
            problems.push(format!("has {running} running"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("compose service {} {}", want.service, problems.join(", ")))
    }
}

fn is_non_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("");
    !(name.is_empty() || name == "root" || name == "0")
}

/// Items name the learner's files relative to the home directory, wherever the shell has gone.
pub fn from_home(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/home/learner/{}", path.trim_start_matches("~/"))
    }
}

fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("nothing")
}

/// Case-insensitive search; the loader has already rejected patterns that do not compile.
pub fn matches(pattern: &str, text: &str) -> bool {
    Regex::new(&format!("(?i){pattern}")).is_ok_and(|re| re.is_match(text))
}

/// Runs a command on a copy of the machine: the learner's own machine is never touched.
pub fn probe(engine: &Engine, command: &str) -> (i32, String) {
    let mut copy = engine.clone();
    let outcome = copy.run(command);
    let status = outcome.exit_code;
    let mut text = outcome.text();
    if copy.is_live() {
        text.push_str(&copy.interrupt().text());
    }
    (status, text)
}
