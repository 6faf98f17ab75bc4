//! The programs inside simulated images: what each executable prints and how it exits.

use crate::clock::SECOND;

/// What running a program did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramRun {
    pub stdout: Vec<String>,
    pub exit_code: i32,
    /// Simulated run time in milliseconds.
    pub duration: u64,
}

/// Where the runtime looks for a bare command name, as in the default `PATH` of Docker images.
const DEFAULT_PATH: [&str; 6] =
    ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/// Resolves `command` against the files of an image, the way `execve` with `PATH` would.
pub fn resolve_executable(command: &str, has_file: impl Fn(&str) -> bool) -> Option<String> {
    if command.contains('/') {
        return has_file(command).then(|| command.to_string());
    }
    DEFAULT_PATH.iter().map(|dir| format!("{dir}/{command}")).find(|path| has_file(path))
}

/// Runs the executable at `path` with `args`.
pub fn run(path: &str, _args: &[String]) -> ProgramRun {
    match path {
        "/hello" => ProgramRun {
            stdout: HELLO_GREETING.lines().map(str::to_string).collect(),
            exit_code: 0,
            duration: SECOND / 10,
        },
        _ => ProgramRun { stdout: Vec::new(), exit_code: 0, duration: SECOND / 10 },
    }
}

/// The hello-world image's message, in Whalebox's own words.
const HELLO_GREETING: &str = "
Hello from Docker!
This text was printed by a program inside a container, so Docker is doing its job.

What just happened, step by step:
 1. The docker client (the command you typed) asked the Docker daemon to run \"hello-world\".
 2. The daemon looked for the hello-world image locally and, finding none the first time,
    downloaded it from Docker Hub.
 3. The daemon created a new container from that image and started its only program,
    which wrote this message.
 4. The daemon streamed that output back to the client, which showed it in your terminal.

Something bigger to try next:
 $ docker run -it ubuntu bash

More to explore: type 'help', or open a lesson.
";
