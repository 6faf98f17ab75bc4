//! The lifecycle view's model: Docker's container state machine, where each container is in it,
//! its exit code with what it means, its health probes and restarts.

use engine::{ContainerStatus, World};

/// The states the diagram draws, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifeState {
    Created,
    Running,
    Paused,
    Restarting,
    Exited,
    Removed,
}

impl LifeState {
    pub const ALL: [LifeState; 6] = [LifeState::Created, LifeState::Running, LifeState::Paused, LifeState::Restarting, LifeState::Exited, LifeState::Removed];

    pub fn as_str(self) -> &'static str {
        match self {
            LifeState::Created => "created",
            LifeState::Running => "running",
            LifeState::Paused => "paused",
            LifeState::Restarting => "restarting",
            LifeState::Exited => "exited",
            LifeState::Removed => "removed",
        }
    }

    fn of(status: ContainerStatus) -> LifeState {
        match status {
            ContainerStatus::Created => LifeState::Created,
            ContainerStatus::Running => LifeState::Running,
            ContainerStatus::Paused => LifeState::Paused,
            ContainerStatus::Restarting => LifeState::Restarting,
            ContainerStatus::Exited | ContainerStatus::Dead => LifeState::Exited,
            ContainerStatus::Removing => LifeState::Removed,
        }
    }
}

/// The diagram's arrows: from, to, and the command or event that takes that path.
pub const TRANSITIONS: [(LifeState, LifeState, &str); 9] = [
    (LifeState::Created, LifeState::Running, "start"),
    (LifeState::Running, LifeState::Paused, "pause"),
    (LifeState::Paused, LifeState::Running, "unpause"),
    (LifeState::Running, LifeState::Exited, "stop / kill / exit"),
    (LifeState::Running, LifeState::Restarting, "restart policy"),
    (LifeState::Restarting, LifeState::Running, "back-off over"),
    (LifeState::Exited, LifeState::Running, "start"),
    (LifeState::Exited, LifeState::Removed, "rm"),
    (LifeState::Created, LifeState::Removed, "rm"),
];

/// One health probe's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Seconds since the container started.
    pub at_seconds: u64,
    pub exit_code: i32,
    pub output: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthView {
    /// `starting`, `healthy`, `unhealthy`.
    pub status: String,
    pub failing_streak: u32,
    pub probes: Vec<Probe>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerLife {
    pub name: String,
    pub short_id: String,
    pub image: String,
    pub state: LifeState,
    /// Set once the container has run and exited.
    pub exit_code: Option<i32>,
    pub oom_killed: bool,
    pub restart_count: u32,
    pub restart_policy: String,
    pub health: Option<HealthView>,
}

impl ContainerLife {
    /// What the exit code says, in words.
    pub fn exit_meaning(&self) -> Option<&'static str> {
        self.exit_code.map(|code| exit_meaning(code, self.oom_killed))
    }
}

/// Every container, oldest first.
pub fn model(world: &World) -> Vec<ContainerLife> {
    world
        .containers()
        .iter()
        .map(|c| {
            let state = LifeState::of(c.state.status);
            let ran = c.state.finished_at.is_some();
            let started = c.state.started_at;
            ContainerLife {
                name: c.name.clone(),
                short_id: c.short_id().to_string(),
                image: c.image.clone(),
                state,
                exit_code: (ran && matches!(state, LifeState::Exited | LifeState::Restarting)).then_some(c.state.exit_code),
                oom_killed: c.state.oom_killed,
                restart_count: c.restart_count,
                restart_policy: c.host_config.restart_policy.name.clone(),
                health: c.state.health.as_ref().map(|h| HealthView {
                    status: h.status.clone(),
                    failing_streak: h.failing_streak,
                    probes: h
                        .log
                        .iter()
                        .map(|probe| Probe {
                            at_seconds: started.map_or(0, |s| probe.start.since(s) / 1000),
                            exit_code: probe.exit_code,
                            output: probe.output.trim().to_string(),
                        })
                        .collect(),
                }),
            }
        })
        .collect()
}

/// Exit codes as a learner should read them.
pub fn exit_meaning(code: i32, oom_killed: bool) -> &'static str {
    match code {
        0 => "success: the main process finished normally",
        1 => "application error: the program itself failed",
        125 => "docker could not create or run the container (a daemon or flag error)",
        126 => "the command was found but could not be executed (permissions, not an executable)",
        127 => "command not found in the image",
        137 if oom_killed => "SIGKILL from the kernel's OOM killer: the memory limit was hit",
        137 => "SIGKILL (128 + 9): docker kill, or docker stop after the timeout",
        139 => "SIGSEGV (128 + 11): the program crashed with a segmentation fault",
        143 => "SIGTERM (128 + 15): the program stopped on docker stop's signal",
        code if code > 128 => "killed by a signal (128 + signal number)",
        _ => "the program's own failure status",
    }
}
