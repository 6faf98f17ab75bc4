//! Layered filesystems: a file tree, layers as diffs of it (with whiteouts and opaque
//! directories), and the union view an image or container sees.

mod layer;
mod tree;

pub use layer::{Change, LayerDiff};
pub use tree::{Content, FileTree, FsError, Meta, Node};

/// Normalizes a path to absolute form without `.`/`..` segments or trailing slashes.
/// `..` above the root stays at the root, as the kernel does.
pub fn normalize(path: &str, cwd: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The directory containing `path` (`/` for top-level entries and for the root itself).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last segment of `path`.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Whether `path` is `dir` itself or lies underneath it.
pub fn is_within(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_like_the_kernel() {
        assert_eq!(normalize("app/./src/../main.py", "/srv"), "/srv/app/main.py");
        assert_eq!(normalize("/../../etc//passwd/", "/"), "/etc/passwd");
        assert_eq!(normalize(".", "/"), "/");
        assert_eq!(parent("/etc/passwd"), "/etc");
        assert_eq!(parent("/etc"), "/");
        assert_eq!(file_name("/etc/passwd"), "passwd");
        assert!(is_within("/app/x", "/app") && is_within("/app", "/app") && !is_within("/apple", "/app"));
    }
}
