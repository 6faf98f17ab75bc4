//! The build context: the learner's project directory as the builder receives it, after
//! `.dockerignore` has dropped what should never be sent.

use std::collections::BTreeMap;

use crate::dockerignore::DockerIgnore;
use crate::fs::{is_within, FileTree, Node};

/// Files of the context by path relative to its root (`app.py`, `src/main.go`), directories
/// included so empty ones survive.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub entries: BTreeMap<String, Node>,
}

impl Context {
    /// Reads `root` from the host, leaving out what `.dockerignore` excludes. The Dockerfile and
    /// `.dockerignore` are read by the builder separately either way.
    pub fn collect(host: &FileTree, root: &str, ignore: &DockerIgnore) -> Context {
        let mut entries = BTreeMap::new();
        for (path, node) in host.descendants(root) {
            let relative = relative_to(path, root);
            if ignore.is_excluded(&relative) {
                continue;
            }
            // An exception (`!dir/keep`) brings its parent directories along, as BuildKit does.
            let mut parent = crate::fs::parent(path);
            while parent != root && parent != "/" {
                if let Some(dir) = host.get(parent) {
                    entries.entry(relative_to(parent, root)).or_insert_with(|| dir.clone());
                }
                parent = crate::fs::parent(parent);
            }
            entries.insert(relative, node.clone());
        }
        Context { entries }
    }

    /// Bytes sent to the builder ("transferring context: 1.23kB").
    pub fn size(&self) -> u64 {
        self.entries.values().map(Node::size).sum()
    }

    /// The entries a COPY source pattern selects, with their paths relative to the context:
    /// an exact path (a file, or a directory and everything under it) or a glob over paths.
    pub fn select(&self, pattern: &str) -> Vec<(&String, &Node)> {
        let pattern = pattern.trim_start_matches("./").trim_start_matches('/').trim_end_matches('/');
        if pattern.is_empty() || pattern == "." {
            return self.entries.iter().collect();
        }
        if has_glob(pattern) {
            let mut selected = Vec::new();
            for path in self.entries.keys().filter(|path| glob_matches(pattern, path)) {
                let root = format!("/{path}");
                selected.extend(self.entries.iter().filter(|(p, _)| is_within(&format!("/{p}"), &root)));
            }
            selected.sort_by(|a, b| a.0.cmp(b.0));
            selected.dedup_by(|a, b| a.0 == b.0);
            return selected;
        }
        let root = format!("/{pattern}");
        self.entries.iter().filter(|(path, _)| is_within(&format!("/{path}"), &root)).collect()
    }
}

fn relative_to(path: &str, root: &str) -> String {
    let stripped = if root == "/" { path } else { path.strip_prefix(root).unwrap_or(path) };
    stripped.trim_start_matches('/').to_string()
}

fn has_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// `filepath.Match` semantics for one path: `*` and `?` never cross `/`.
pub fn glob_matches(pattern: &str, path: &str) -> bool {
    let pattern_parts: Vec<&str> = pattern.split('/').collect();
    let path_parts: Vec<&str> = path.split('/').collect();
    pattern_parts.len() == path_parts.len()
        && pattern_parts.iter().zip(&path_parts).all(|(p, s)| segment_matches(p.as_bytes(), s.as_bytes()))
}

fn segment_matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| segment_matches(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && segment_matches(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some(close) = rest.iter().position(|&b| b == b']') else {
                return false;
            };
            let Some((&first, tail)) = text.split_first() else {
                return false;
            };
            let class = &rest[..close];
            let (negated, class) = match class.split_first() {
                Some((b'^' | b'!', inner)) => (true, inner),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= class[i] <= first && first <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == first;
                    i += 1;
                }
            }
            hit != negated && segment_matches(&rest[close + 1..], tail)
        }
        Some((b'\\', rest)) if !rest.is_empty() => {
            text.first() == Some(&rest[0]) && segment_matches(&rest[1..], &text[1..])
        }
        Some((&c, rest)) => text.first() == Some(&c) && segment_matches(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_files_stay_home_and_exceptions_keep_their_parents() {
        let mut host = FileTree::new();
        for path in ["/ctx/app.py", "/ctx/.env", "/ctx/node_modules/x/index.js", "/ctx/docs/keep.md", "/ctx/docs/drop.md"] {
            host.insert(path, Node::text("x"));
        }
        let ignore = DockerIgnore::parse(".env\nnode_modules\ndocs\n!docs/keep.md\n").unwrap();
        let context = Context::collect(&host, "/ctx", &ignore);
        let paths: Vec<&str> = context.entries.keys().map(String::as_str).collect();
        assert_eq!(paths, ["app.py", "docs", "docs/keep.md"]);
    }

    #[test]
    fn globs_follow_filepath_match() {
        assert!(glob_matches("*.py", "app.py"));
        assert!(!glob_matches("*.py", "src/app.py"));
        assert!(glob_matches("src/*.py", "src/app.py"));
        assert!(glob_matches("requirements*.txt", "requirements-dev.txt"));
        assert!(glob_matches("file[0-9].txt", "file7.txt"));
        assert!(!glob_matches("file[^0-9].txt", "file7.txt"));
        assert!(glob_matches("a?c", "abc"));
    }
}
