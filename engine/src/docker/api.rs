//! Which Engine API request each docker command makes, and how deep into the stack it goes
//! (client → API socket → dockerd → containerd → shim → runc), for the architecture view.

use crate::outcome::Event;

/// The request a command sends: method, path, and whether it reaches the container runtime.
fn request(command: &str) -> Option<(&'static str, &'static str, Depth)> {
    Some(match command {
        "run" => ("POST", "/containers/create + /containers/{id}/start", Depth::Runc),
        "create" => ("POST", "/containers/create", Depth::Containerd),
        "start" | "restart" | "unpause" => ("POST", "/containers/{id}/start", Depth::Runc),
        "stop" | "kill" | "pause" => ("POST", "/containers/{id}/stop", Depth::Shim),
        "exec" => ("POST", "/containers/{id}/exec + /exec/{id}/start", Depth::Runc),
        "rm" => ("DELETE", "/containers/{id}", Depth::Containerd),
        "ps" => ("GET", "/containers/json", Depth::Dockerd),
        "logs" => ("GET", "/containers/{id}/logs", Depth::Dockerd),
        "inspect" => ("GET", "/containers/{id}/json", Depth::Dockerd),
        "top" => ("GET", "/containers/{id}/top", Depth::Containerd),
        "stats" => ("GET", "/containers/{id}/stats", Depth::Shim),
        "wait" => ("POST", "/containers/{id}/wait", Depth::Dockerd),
        "images" => ("GET", "/images/json", Depth::Dockerd),
        "pull" => ("POST", "/images/create", Depth::Containerd),
        "push" => ("POST", "/images/{name}/push", Depth::Dockerd),
        "build" => ("POST", "/build (BuildKit session)", Depth::Containerd),
        "rmi" => ("DELETE", "/images/{name}", Depth::Containerd),
        "info" => ("GET", "/info", Depth::Dockerd),
        "version" => ("GET", "/version", Depth::Dockerd),
        "events" => ("GET", "/events", Depth::Dockerd),
        "cp" => ("PUT", "/containers/{id}/archive", Depth::Dockerd),
        "diff" => ("GET", "/containers/{id}/changes", Depth::Dockerd),
        "commit" => ("POST", "/commit", Depth::Containerd),
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Depth {
    Dockerd,
    Containerd,
    Shim,
    Runc,
}

const HOPS: [&str; 6] = ["docker CLI", "API /var/run/docker.sock", "dockerd", "containerd", "containerd-shim-runc-v2", "runc"];

/// The path of `command` through the stack; with the daemon down it stops at the socket.
pub fn path_event(command: &str, daemon_running: bool) -> Option<Event> {
    let (method, path, depth) = request(command)?;
    let reached = if !daemon_running {
        2
    } else {
        match depth {
            Depth::Dockerd => 3,
            Depth::Containerd => 4,
            Depth::Shim => 5,
            Depth::Runc => 6,
        }
    };
    Some(Event::ApiRequest {
        method: method.to_string(),
        path: path.to_string(),
        hops: HOPS.iter().take(reached).map(|h| h.to_string()).collect(),
        answered: daemon_running,
    })
}
