//! Share links: a session as `#s=…` in the URL fragment — the seed, the item (if any), the lines
//! typed and the files the editor wrote, as JSON, deflated, base64url. Opening the link replays
//! the lines on a fresh machine with that seed, which gives the same bytes out (the engine is
//! deterministic), so the link stays small however big the machine's state grew.

use std::collections::BTreeMap;

use engine::Engine;
use serde::{Deserialize, Serialize};

use crate::base64url;

/// The payload layout; a link from a newer page is refused by name rather than misread.
pub const SHARE_VERSION: u32 = 1;

/// Longest fragment accepted or produced: well under every browser's URL limit, and short enough
/// to paste into a chat message.
pub const MAX_FRAGMENT: usize = 8 * 1024;

/// The decompressed payload is bounded too, so a crafted link cannot make the page inflate gigabytes.
const MAX_JSON: usize = 512 * 1024;

/// The learner's home directory in the engine: files written there by the editor travel in links.
pub const HOME: &str = "/home/learner";

/// Everything needed to rebuild a session: replaying it on a fresh machine reproduces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replay {
    /// The payload layout, [`SHARE_VERSION`].
    pub v: u32,
    pub seed: u64,
    /// A lesson, drill or interview item to start before replaying; `None` for the sandbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Files (absolute paths) written before the first line: what the editor saved.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
    /// Lines typed and files a demo saved, oldest first.
    pub commands: Vec<Entry>,
}

/// One thing done to the machine: a line typed (JSON: a string), or a file saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Line(String),
    Write { write: String, text: String },
}

impl Replay {
    pub fn sandbox(seed: u64, commands: Vec<String>) -> Replay {
        Replay { v: SHARE_VERSION, seed, item: None, files: BTreeMap::new(), commands: commands.into_iter().map(Entry::Line).collect() }
    }
}

/// Why a link cannot be opened (or made), worded as the terminal shows it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error("whalebox: share link is too long: {length} characters (the limit is {limit})")]
    TooLong { length: usize, limit: usize },
    #[error("whalebox: share link is damaged: invalid base64 character at position {position}")]
    BadBase64 { position: usize },
    #[error("whalebox: share link is damaged: the data does not decompress ({reason})")]
    BadCompression { reason: String },
    #[error("whalebox: share link is damaged: {reason}")]
    BadJson { reason: String },
    #[error("whalebox: share link version {found} is not supported (this page reads version {expected}); open it with a newer Whalebox")]
    UnknownVersion { found: u32, expected: u32 },
}

/// The fragment's value (what follows `#s=`).
pub fn encode(replay: &Replay) -> Result<String, ShareError> {
    // Plain data with string keys: serializing cannot fail.
    let json = serde_json::to_vec(replay).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    let text = base64url::encode(&packed);
    if text.len() > MAX_FRAGMENT {
        return Err(ShareError::TooLong { length: text.len(), limit: MAX_FRAGMENT });
    }
    Ok(text)
}

/// Reads a fragment's value back, checking each layer so the learner is told which one broke.
pub fn decode(text: &str) -> Result<Replay, ShareError> {
    let text = text.trim();
    if text.len() > MAX_FRAGMENT {
        return Err(ShareError::TooLong { length: text.len(), limit: MAX_FRAGMENT });
    }
    let packed = base64url::decode(text).map_err(|position| ShareError::BadBase64 { position })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON)
        .map_err(|error| ShareError::BadCompression { reason: format!("{:?}", error.status).to_lowercase() })?;
    #[derive(Deserialize)]
    struct Header {
        v: u32,
    }
    let header: Header = serde_json::from_slice(&json).map_err(|e| ShareError::BadJson { reason: e.to_string() })?;
    if header.v != SHARE_VERSION {
        return Err(ShareError::UnknownVersion { found: header.v, expected: SHARE_VERSION });
    }
    serde_json::from_slice(&json).map_err(|e| ShareError::BadJson { reason: e.to_string() })
}

/// The `#s=` value of a URL fragment (with or without its `#`), if it carries one.
pub fn fragment_value(hash: &str) -> Option<&str> {
    hash.trim_start_matches('#').split('&').find_map(|part| part.strip_prefix("s="))
}

/// The learner's files under home that `engine` holds and a replay of `commands` alone would not
/// (or would hold differently): what the editor wrote, which the command log does not show.
pub fn editor_files(engine: &Engine, replayed: &Engine) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let home = format!("{HOME}/");
    for (path, node) in engine.world().host_files().entries() {
        if !path.starts_with(&home) || node.is_dir() {
            continue;
        }
        let Ok(text) = engine.world().host_files().read_text(path) else { continue };
        if replayed.world().host_files().read_text(path).ok() != Some(text) {
            files.insert(path.clone(), text.to_string());
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Replay {
        let mut replay = Replay::sandbox(7, vec!["docker run hello-world".into(), "docker ps -a".into()]);
        replay.files.insert(format!("{HOME}/app/Dockerfile"), "FROM alpine\n".into());
        replay
    }

    #[test]
    fn round_trips_through_the_fragment() {
        let mut sample = sample();
        sample.commands.push(Entry::Write { write: format!("{HOME}/x"), text: "y".into() });
        let text = encode(&sample).unwrap();
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text}");
        assert_eq!(decode(&text).unwrap(), sample);
        assert_eq!(fragment_value(&format!("#s={text}")), Some(text.as_str()));
        assert_eq!(fragment_value("#other=1"), None);
    }

    #[test]
    fn long_sessions_compress_well_and_are_bounded() {
        let commands: Vec<String> = (0..300).map(|i| format!("docker run -d --name web{i} nginx:alpine")).collect();
        let text = encode(&Replay::sandbox(1, commands)).unwrap();
        assert!(text.len() < 3_000, "{} characters", text.len());
        // Incompressible text does not fit.
        let mut state = 88_172_645_463_325_252u64;
        let noise: String = (0..20_000)
            .map(|_| {
                // xorshift64: text that deflate cannot shrink much.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                char::from(b'a' + (state % 26) as u8)
            })
            .collect();
        assert!(matches!(encode(&Replay::sandbox(1, vec![noise])), Err(ShareError::TooLong { .. })));
        assert!(matches!(decode(&"A".repeat(MAX_FRAGMENT + 1)), Err(ShareError::TooLong { .. })));
    }

    #[test]
    fn each_damaged_layer_is_named() {
        assert_eq!(decode("abc$def"), Err(ShareError::BadBase64 { position: 3 }));
        assert!(matches!(decode(&base64url::encode(b"not deflate at all")), Err(ShareError::BadCompression { .. })));
        let not_json = base64url::encode(&miniz_oxide::deflate::compress_to_vec(b"{oops", 6));
        assert!(matches!(decode(&not_json), Err(ShareError::BadJson { .. })));
        let missing_commands = base64url::encode(&miniz_oxide::deflate::compress_to_vec(br#"{"v":1,"seed":1}"#, 6));
        let error = decode(&missing_commands).unwrap_err();
        assert!(error.to_string().contains("missing field `commands`"), "{error}");
        let future = base64url::encode(&miniz_oxide::deflate::compress_to_vec(br#"{"v":9,"seed":1,"commands":[]}"#, 6));
        assert_eq!(decode(&future), Err(ShareError::UnknownVersion { found: 9, expected: 1 }));
    }

    #[test]
    fn a_bomb_is_refused_instead_of_inflated() {
        let zeros = vec![b' '; MAX_JSON * 4];
        let packed = base64url::encode(&miniz_oxide::deflate::compress_to_vec(&zeros, 9));
        assert!(packed.len() <= MAX_FRAGMENT);
        assert!(matches!(decode(&packed), Err(ShareError::BadCompression { .. })));
    }

    #[test]
    fn editor_files_are_those_the_commands_do_not_explain() {
        let mut engine = Engine::new(1);
        engine.run("mkdir app && echo hi > app/note.txt");
        let mut replayed = engine.clone();
        engine.write_file("app/Dockerfile", "FROM alpine\n").unwrap();
        let files = editor_files(&engine, &replayed);
        assert_eq!(files.keys().collect::<Vec<_>>(), [&format!("{HOME}/app/Dockerfile")]);
        replayed.write_file("app/Dockerfile", "FROM alpine\n").unwrap();
        assert!(editor_files(&engine, &replayed).is_empty());
    }
}
