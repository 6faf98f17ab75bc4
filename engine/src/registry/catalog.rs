//! Every image the guides use, as releases published on dates: a tag points at the newest release
//! that carries it, so `python:3` moves from Debian 11 to Debian 12 when the registry clock passes
//! that date, while pinned tags and digests stay put.

use super::distro::Distro;

/// Days after the session starts on which the guides' incidents happen upstream.
pub const PYTHON_3_MOVES_TO_BOOKWORM: i64 = 14;
pub const PYTHON_312_SLIM_MOVES_TO_BOOKWORM: i64 = 21;

/// What sits on top of the base OS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stack {
    /// Just the distribution (`alpine:3.19`, `debian:bookworm-slim`).
    Bare,
    /// `scratch` plus one static binary.
    HelloWorld,
    Python(&'static str),
    Node(&'static str),
    Go(&'static str),
    Nginx(&'static str),
    Postgres(&'static str),
    Redis(&'static str),
}

/// The base an image is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// The distro's minimal image (`-slim` for Debian).
    Slim(Distro),
    /// Debian with buildpack-deps' compilers and headers (the non-slim official images).
    Full(Distro),
    /// buildpack-deps' `-scm` flavour: curl and version control, no compilers (golang's base).
    Scm(Distro),
}

impl Base {
    pub fn distro(self) -> Option<Distro> {
        match self {
            Base::Scratch => None,
            Base::Slim(distro) | Base::Full(distro) | Base::Scm(distro) => Some(distro),
        }
    }
}

/// One published image (a manifest list) and the tags it carried when published.
#[derive(Debug, Clone, Copy)]
pub struct Release {
    /// Full repository name, e.g. `docker.io/library/python`.
    pub repository: &'static str,
    pub tags: &'static [&'static str],
    /// Day (relative to the session start) the release was pushed.
    pub published_day: i64,
    pub base: Base,
    pub stack: Stack,
    pub platforms: &'static [&'static str],
}

const BOTH: &[&str] = &["linux/amd64", "linux/arm64"];
const AMD64_ONLY: &[&str] = &["linux/amd64"];

const fn release(
    repository: &'static str,
    tags: &'static [&'static str],
    published_day: i64,
    base: Base,
    stack: Stack,
) -> Release {
    Release { repository, tags, published_day, base, stack, platforms: BOTH }
}

use Base::{Full, Scm, Scratch, Slim};
use Distro::{Alpine318, Alpine319, Bookworm, Bullseye, Busybox, DistrolessBase11, Jammy};
use Stack::{Bare, Go, HelloWorld, Nginx, Node, Postgres, Python, Redis};

const PY: &str = "docker.io/library/python";

pub const RELEASES: &[Release] = &[
    release("docker.io/library/hello-world", &["latest", "linux"], -400, Scratch, HelloWorld),
    release("docker.io/library/alpine", &["3.18", "3.18.6"], -120, Slim(Alpine318), Bare),
    release("docker.io/library/alpine", &["3.19", "3.19.1", "latest"], -90, Slim(Alpine319), Bare),
    release("docker.io/library/debian", &["bullseye", "11"], -80, Full(Bullseye), Bare),
    release("docker.io/library/debian", &["bookworm-slim", "12-slim"], -80, Slim(Bookworm), Bare),
    release("docker.io/library/debian", &["bookworm", "12", "latest"], -80, Full(Bookworm), Bare),
    release("docker.io/library/ubuntu", &["22.04", "jammy", "latest"], -100, Slim(Jammy), Bare),
    release("docker.io/library/busybox", &["latest", "1.36", "1.36.1"], -200, Slim(Busybox), Bare),
    release("gcr.io/distroless/base-debian11", &["latest"], -70, Slim(DistrolessBase11), Bare),
    // Python: `3` and `latest` start on Debian 11 and move on PYTHON_3_MOVES_TO_BOOKWORM.
    release(PY, &["3", "latest", "3.11", "3.11.7", "3.11-bullseye", "3.11.7-bullseye"], -60, Full(Bullseye), Python("3.11.7")),
    release(PY, &["3.11-slim", "3.11.7-slim", "3.11.7-slim-bookworm", "3.11-slim-bookworm"], -60, Slim(Bookworm), Python("3.11.7")),
    release(PY, &["3.11-alpine", "3.11.7-alpine", "3.11.7-alpine3.19"], -60, Slim(Alpine319), Python("3.11.7")),
    release(PY, &["3.12", "3.12.3", "3.12-bookworm", "3.12.3-bookworm"], -30, Full(Bookworm), Python("3.12.3")),
    release(PY, &["3.12-slim", "3.12.3-slim", "3.12.3-slim-bullseye", "3.12-slim-bullseye"], -30, Slim(Bullseye), Python("3.12.3")),
    release(PY, &["3.12.3-slim-bookworm"], -30, Slim(Bookworm), Python("3.12.3")),
    release(PY, &["3", "3.11", "3.11.8", "3.11-bookworm", "3.11.8-bookworm"], PYTHON_3_MOVES_TO_BOOKWORM, Full(Bookworm), Python("3.11.8")),
    release(PY, &["latest"], PYTHON_3_MOVES_TO_BOOKWORM, Full(Bookworm), Python("3.12.3")),
    release(PY, &["3.12-slim", "3.12.4-slim", "3.12.4-slim-bookworm", "3.12-slim-bookworm"], PYTHON_312_SLIM_MOVES_TO_BOOKWORM, Slim(Bookworm), Python("3.12.4")),
    // Node.
    Release { platforms: AMD64_ONLY, ..release("docker.io/library/node", &["14", "14.21.3"], -700, Full(Bullseye), Node("14.21.3")) },
    release("docker.io/library/node", &["18", "18.19.1"], -50, Full(Bookworm), Node("18.19.1")),
    release("docker.io/library/node", &["18-alpine", "18.19.1-alpine"], -50, Slim(Alpine319), Node("18.19.1")),
    release("docker.io/library/node", &["20-alpine", "20-alpine3.19", "20.11.1-alpine3.19"], -40, Slim(Alpine319), Node("20.11.1")),
    release("docker.io/library/node", &["latest", "21", "21.6.2"], -40, Full(Bookworm), Node("21.6.2")),
    // Go.
    release("docker.io/library/golang", &["1.21", "1.21.7"], -45, Scm(Bookworm), Go("1.21.7")),
    release("docker.io/library/golang", &["1.21-alpine", "1.21.7-alpine"], -45, Slim(Alpine319), Go("1.21.7")),
    release("docker.io/library/golang", &["1.22", "1.22.0", "latest"], -45, Scm(Bookworm), Go("1.22.0")),
    // Servers.
    release("docker.io/library/nginx", &["latest", "1.25", "1.25.4"], -35, Slim(Bookworm), Nginx("1.25.4")),
    release("docker.io/library/nginx", &["alpine", "1.25-alpine", "1.25.4-alpine"], -35, Slim(Alpine318), Nginx("1.25.4")),
    release("docker.io/library/postgres", &["15-alpine", "15.6-alpine"], -25, Slim(Alpine319), Postgres("15.6")),
    release("docker.io/library/postgres", &["16", "16.2", "latest"], -25, Slim(Bookworm), Postgres("16.2")),
    release("docker.io/library/postgres", &["16-alpine", "16.2-alpine"], -25, Slim(Alpine319), Postgres("16.2")),
    release("docker.io/library/redis", &["7", "7.2", "7.2.4", "latest"], -50, Slim(Bookworm), Redis("7.2.4")),
    release("docker.io/library/redis", &["7-alpine", "7.2-alpine", "7.2.4-alpine"], -50, Slim(Alpine319), Redis("7.2.4")),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_a_guide_uses_exists() {
        let wanted = [
            "python:3", "python:3.11", "python:3.11.7-slim-bookworm", "python:3.11-slim", "python:3.11-alpine",
            "python:3.12", "python:3.12-slim", "python:3.12.3-slim-bookworm", "python:latest", "node:14",
            "node:18", "node:18-alpine", "node:20-alpine", "node:20-alpine3.19", "node:latest", "golang:1.21",
            "golang:1.21-alpine", "golang:1.22", "alpine:3.18", "alpine:3.19", "debian:bookworm-slim",
            "ubuntu:22.04", "busybox:latest", "hello-world:latest", "nginx:latest", "nginx:alpine",
            "postgres:15-alpine", "postgres:16", "postgres:16-alpine", "postgres:latest", "redis:7",
            "redis:7-alpine", "redis:latest",
        ];
        for reference in wanted {
            let (name, tag) = reference.split_once(':').unwrap();
            let repository = format!("docker.io/library/{name}");
            assert!(
                RELEASES.iter().any(|r| r.repository == repository && r.tags.contains(&tag)),
                "{reference} is missing from the catalog"
            );
        }
    }
}
