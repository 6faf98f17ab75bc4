//! BuildKit's build cache as Whalebox keeps it: each step's result under a key built from its
//! parent's key, the instruction and its inputs — plus enough of those inputs to explain a miss.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::SimTime;
use crate::fs::FileTree;
use crate::ids::{sha256_digest, short_id};

/// What a cached step produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheRecord {
    pub parent: String,
    /// The instruction with variables expanded, without file contents: `COPY . /app`.
    pub operation: String,
    /// What else went into the key: file checksums for COPY/ADD, environment for RUN.
    pub inputs: BTreeMap<String, String>,
    /// The layer the step added, if it changed the filesystem.
    pub layer: Option<String>,
    pub created: SimTime,
    /// Simulated milliseconds the step took when it really ran.
    pub duration: u64,
    /// Bytes the layer holds, for `docker builder prune` and `docker system df`.
    pub size: u64,
}

/// The cache plus `RUN --mount=type=cache` directories, which outlive builds but never land in
/// an image.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BuildCache {
    records: BTreeMap<String, CacheRecord>,
    pub cache_mounts: BTreeMap<String, FileTree>,
}

/// Whether a step could be reused, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Cached,
    Miss(String),
}

impl BuildCache {
    /// The key of a step: a digest of its parent's key, the operation and its inputs.
    pub fn key(parent: &str, operation: &str, inputs: &BTreeMap<String, String>) -> String {
        let mut text = format!("{parent}\n{operation}\n");
        for (name, value) in inputs {
            text.push_str(&format!("{name}={value}\n"));
        }
        sha256_digest(text.as_bytes())
    }

    pub fn get(&self, key: &str) -> Option<&CacheRecord> {
        self.records.get(key)
    }

    pub fn insert(&mut self, key: String, record: CacheRecord) {
        self.records.insert(key, record);
    }

    /// Total bytes of cached layers.
    pub fn size(&self) -> u64 {
        self.records.values().map(|r| r.size).sum::<u64>() + self.cache_mounts.values().map(FileTree::size).sum::<u64>()
    }

    /// Forgets everything (`docker builder prune -a`), returning the bytes freed.
    pub fn clear(&mut self) -> u64 {
        let size = self.size();
        self.records.clear();
        self.cache_mounts.clear();
        size
    }

    /// Explains why `operation` with `inputs` on top of `parent` is not in the cache, by finding
    /// the closest step that is: the same instruction on the same parent with other inputs, or
    /// another instruction on the same parent.
    pub fn explain_miss(&self, parent: &str, operation: &str, inputs: &BTreeMap<String, String>) -> String {
        let siblings: Vec<&CacheRecord> = self.records.values().filter(|r| r.parent == parent).collect();
        if let Some(same_operation) = siblings.iter().filter(|r| r.operation == operation).max_by_key(|r| r.created) {
            return describe_input_change(&same_operation.inputs, inputs);
        }
        if let Some(previous) = siblings.iter().max_by_key(|r| r.created) {
            if previous.operation.split(' ').next() == operation.split(' ').next() {
                return format!("instruction changed (was `{}`)", previous.operation);
            }
            return "this instruction is new at this point of the Dockerfile".into();
        }
        "no earlier build produced this step".into()
    }
}

/// Names the first input that differs: a file's checksum or an environment variable's value.
fn describe_input_change(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> String {
    for (name, new) in after {
        match before.get(name) {
            Some(old) if old != new => return describe(name, Some(old), Some(new)),
            None => return describe(name, None, Some(new)),
            _ => {}
        }
    }
    for (name, old) in before {
        if !after.contains_key(name) {
            return describe(name, Some(old), None);
        }
    }
    "inputs changed".into()
}

fn describe(name: &str, old: Option<&String>, new: Option<&String>) -> String {
    let short = |value: &String| {
        if value.starts_with("sha256:") { format!("sha256:{}…", &short_id(value)[..4]) } else { value.clone() }
    };
    if let Some(file) = name.strip_prefix("file:") {
        return match (old, new) {
            (Some(old), Some(new)) => format!("{file} changed ({} → {})", short(old), short(new)),
            (None, _) => format!("{file} was added"),
            (_, None) => format!("{file} was removed"),
        };
    }
    let variable = name.strip_prefix("env:").unwrap_or(name);
    match (old, new) {
        (Some(old), Some(new)) => format!("{variable} changed ({old} → {new})"),
        (None, Some(new)) => format!("{variable} is new ({new})"),
        _ => format!("{variable} was removed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn record(parent: &str, operation: &str, inputs: BTreeMap<String, String>) -> CacheRecord {
        CacheRecord { parent: parent.into(), operation: operation.into(), inputs, layer: None, created: SimTime(0), duration: 0, size: 0 }
    }

    #[test]
    fn keys_depend_on_parent_operation_and_inputs() {
        let a = BuildCache::key("p", "COPY . .", &inputs(&[("file:app.py", "sha256:1")]));
        assert_eq!(a, BuildCache::key("p", "COPY . .", &inputs(&[("file:app.py", "sha256:1")])));
        assert_ne!(a, BuildCache::key("q", "COPY . .", &inputs(&[("file:app.py", "sha256:1")])));
        assert_ne!(a, BuildCache::key("p", "COPY . .", &inputs(&[("file:app.py", "sha256:2")])));
    }

    #[test]
    fn misses_name_what_changed() {
        let mut cache = BuildCache::default();
        let old = inputs(&[("file:app.py", "sha256:1a2b3c4d5e6f7a8b")]);
        cache.insert(BuildCache::key("p", "COPY . .", &old), record("p", "COPY . .", old));
        let new = inputs(&[("file:app.py", "sha256:3c4d5e6f7a8b9c0d")]);
        assert_eq!(cache.explain_miss("p", "COPY . .", &new), "app.py changed (sha256:1a2b… → sha256:3c4d…)");
        assert_eq!(cache.explain_miss("p", "COPY src .", &new), "instruction changed (was `COPY . .`)");
        assert_eq!(cache.explain_miss("other", "COPY . .", &new), "no earlier build produced this step");
        let env_old = inputs(&[("env:VERSION", "1.0")]);
        cache.insert(BuildCache::key("p", "RUN make", &env_old), record("p", "RUN make", env_old));
        assert_eq!(cache.explain_miss("p", "RUN make", &inputs(&[("env:VERSION", "2.0")])), "VERSION changed (1.0 → 2.0)");
    }
}
