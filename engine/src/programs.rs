//! The programs inside simulated images: what each executable prints and how it exits.

use crate::clock::SECOND;
use crate::fs::{normalize, FileTree, Node};
use crate::image::ImageConfig;

/// What running a program did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramRun {
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
    pub exit_code: i32,
    /// Simulated run time in milliseconds.
    pub duration: u64,
}

/// Where the runtime looks for a bare command name when the image sets no `PATH`.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Resolves `command` against the container's files, the way `execve` with `PATH` would.
pub fn resolve_executable(command: &str, rootfs: &FileTree, config: &ImageConfig) -> Option<String> {
    if command.contains('/') {
        let path = normalize(command, "/");
        return rootfs.exists(&path).then_some(path);
    }
    let search = config.env_value("PATH").unwrap_or(DEFAULT_PATH);
    search.split(':').map(|dir| format!("{dir}/{command}")).find(|path| rootfs.exists(path))
}

/// What the file at `path` really is once symlinks are followed: its label tells which program.
fn program_label(rootfs: &FileTree, path: &str) -> String {
    let mut current = path.to_string();
    for _ in 0..40 {
        match rootfs.get(&current) {
            Some(Node::Symlink { target, .. }) => current = normalize(target, crate::fs::parent(&current)),
            Some(Node::File { content: crate::fs::Content::Blob { label }, .. }) => return label.clone(),
            _ => break,
        }
    }
    crate::fs::file_name(&current).to_string()
}

/// Runs the executable at `path` with `args` inside a container built from `rootfs` and `config`.
pub fn run(path: &str, args: &[String], rootfs: &FileTree, config: &ImageConfig) -> ProgramRun {
    let label = program_label(rootfs, path);
    let name = label.split(' ').next().unwrap_or_default();
    let applet = crate::fs::file_name(path);
    let quick = |stdout: Vec<String>| ProgramRun { stdout, duration: SECOND / 10, ..ProgramRun::default() };
    match (name, applet) {
        ("hello-world", _) => quick(HELLO_GREETING.lines().map(str::to_string).collect()),
        ("cpython", _) if args.first().is_some_and(|a| a == "--version" || a == "-V") => {
            quick(vec![format!("Python {}", label.split(' ').nth(1).unwrap_or_default())])
        }
        ("node", _) if args.first().is_some_and(|a| a == "--version" || a == "-v") => {
            quick(vec![format!("v{}", label.split(' ').nth(1).unwrap_or_default())])
        }
        ("go", _) if args.first().is_some_and(|a| a == "version") => {
            quick(vec![format!("go version go{} linux/amd64", label.split(' ').nth(1).unwrap_or_default())])
        }
        (_, "echo") => quick(vec![args.join(" ")]),
        (_, "true") => quick(Vec::new()),
        (_, "false") => ProgramRun { exit_code: 1, duration: SECOND / 10, ..ProgramRun::default() },
        (_, "uname") => quick(vec![if args.iter().any(|a| a == "-a") {
            "Linux whalebox 6.8.0-60-generic #63-Ubuntu SMP PREEMPT_DYNAMIC x86_64 GNU/Linux".into()
        } else {
            "Linux".into()
        }]),
        (_, "cat") => {
            let mut run = quick(Vec::new());
            let workdir = if config.working_dir.is_empty() { "/" } else { &config.working_dir };
            for file in args {
                match rootfs.read_text(&normalize(file, workdir)) {
                    Ok(text) => run.stdout.extend(text.lines().map(str::to_string)),
                    Err(_) => {
                        run.stderr.push(format!("cat: {file}: No such file or directory"));
                        run.exit_code = 1;
                    }
                }
            }
            run
        }
        _ => quick(Vec::new()),
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
