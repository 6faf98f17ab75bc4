//! A shell inside a container (`docker exec -it web sh`, `docker run -it ubuntu bash`): the
//! terminal's prompt becomes the container's, each line runs in the container, and `exit` returns
//! to the host (ending the container when the shell was its main process).

use serde::{Deserialize, Serialize};

use crate::outcome::Outcome;
use crate::runtime::{self, ExecOptions};
use crate::world::World;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Container ID.
    pub container: String,
    /// The shell as it was started (`bash`, `/bin/sh`).
    pub shell: String,
    pub cwd: String,
    /// `--user` for `exec -u`, else the container's user.
    pub user: Option<String>,
    /// `exec -e` variables.
    pub env: Vec<String>,
    /// The shell is the container's PID 1 (`run -it`): leaving it stops the container.
    pub main_process: bool,
    /// Busybox ash (Alpine, busybox images): its prompt and messages.
    pub busybox: bool,
}

impl Session {
    /// Attaches to the container's own shell (`run -it`).
    pub(crate) fn attach(world: &World, id: &str, main_process: bool) -> Session {
        let container = world.container(id);
        let shell = container.map(|c| c.path.clone()).unwrap_or_else(|| "sh".into());
        let cwd = container
            .and_then(|c| {
                let dir = if c.config.working_dir.is_empty() {
                    world.image(&c.image_id).map(|i| i.config.working_dir.clone()).unwrap_or_default()
                } else {
                    c.config.working_dir.clone()
                };
                (!dir.is_empty()).then_some(dir)
            })
            .unwrap_or_else(|| "/".into());
        let busybox = container
            .and_then(|c| runtime::launch::current_tree(world, c))
            .is_some_and(|(_, tree)| tree.exists("/bin/busybox"));
        Session { container: id.to_string(), shell, cwd, user: None, env: Vec::new(), main_process, busybox }
    }

    fn shell_name(&self) -> &str {
        crate::fs::file_name(&self.shell)
    }


    /// The prompt the container's shell shows.
    pub(crate) fn prompt(&self, world: &World) -> String {
        let Some(container) = world.container(&self.container) else { return "# ".into() };
        let user = self.user.clone().unwrap_or_else(|| {
            let own = &container.config.user;
            if own.is_empty() { world.image(&container.image_id).map(|i| i.config.user.clone()).unwrap_or_default() } else { own.clone() }
        });
        let root = user.is_empty() || user == "root" || user == "0";
        let sigil = if root { '#' } else { '$' };
        if self.shell_name() == "bash" {
            let name = if root { "root".to_string() } else { user.split(':').next().unwrap_or_default().to_string() };
            let home = if root { "/root".to_string() } else { format!("/home/{name}") };
            let shown = if self.cwd == home { "~".to_string() } else { self.cwd.clone() };
            return format!("{name}@{}:{shown}{sigil} ", container.config.hostname);
        }
        if self.busybox {
            return format!("{} {sigil} ", self.cwd);
        }
        format!("{sigil} ")
    }

    /// Runs one typed line in the container; `true` when the session has ended.
    pub(crate) fn run(&mut self, world: &mut World, line: &str) -> (Outcome, bool) {
        let mut outcome = Outcome::default();
        let trimmed = line.trim();
        let mut words = trimmed.split_whitespace();
        match words.next() {
            None => return (outcome, false),
            Some("exit") | Some("logout") => {
                let status = words.next().and_then(|n| n.parse::<i32>().ok()).unwrap_or(0);
                if self.main_process {
                    outcome.events.extend(runtime::exit_main(world, &self.container, status & 0xff));
                }
                outcome.exit_code = status & 0xff;
                return (outcome, true);
            }
            Some("cd") => {
                let target = words.next().unwrap_or("/");
                let path = crate::fs::normalize(target, &self.cwd);
                let is_dir = world
                    .container(&self.container)
                    .and_then(|c| runtime::launch::visible_tree(world, c))
                    .is_some_and(|tree| tree.is_dir(&path));
                if is_dir {
                    self.cwd = path;
                } else {
                    let message = match self.shell_name() {
                        "bash" => format!("bash: cd: {target}: No such file or directory"),
                        _ if self.busybox => format!("sh: cd: can't cd to {target}: No such file or directory"),
                        _ => format!("sh: 1: cd: can't cd to {target}"),
                    };
                    outcome.err(message);
                    outcome.exit_code = if self.shell_name() == "bash" { 1 } else { 2 };
                }
                return (outcome, false);
            }
            _ => {}
        }
        let running = world.container(&self.container).is_some_and(|c| c.run.is_some());
        if !running {
            outcome.err("whalebox: the container has stopped; leaving its shell");
            return (outcome.fail(1), true);
        }
        let options = ExecOptions { user: self.user.clone(), env: self.env.clone(), workdir: Some(self.cwd.clone()), stdin: None };
        let argv = vec![self.shell.clone(), "-c".to_string(), trimmed.to_string()];
        match runtime::launch::exec(world, &self.container, &argv, &options) {
            Ok(run) => {
                for line in &run.timed {
                    if line.stderr {
                        outcome.err(line.text.clone());
                    } else {
                        outcome.out(line.text.clone());
                    }
                }
                outcome.exit_code = run.exit_code;
                outcome.events.extend(runtime::advance(world, run.duration.min(10 * crate::clock::MINUTE)));
            }
            Err(error) => {
                outcome.err(error.to_string());
                outcome.exit_code = 126;
            }
        }
        (outcome, false)
    }
}

