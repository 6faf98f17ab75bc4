//! The editor as plain data: which of the learner's files it lists, which one is open, unsaved
//! drafts, and what the engine's own parsers say is wrong with the text (line and message).
//!
//! Diagnostics come from the same parsers `docker build` and `docker compose` use in the engine,
//! so the editor never disagrees with the build: `engine::dockerfile::parse` (BuildKit's wording,
//! with line numbers) and `engine::compose::load_with_warnings` (compose-go's wording).

use std::collections::BTreeMap;

use engine::fs::{Content, FileTree, Node};

use crate::highlight::Language;

/// The learner's home on the simulated host: the editor lists the files under it.
pub const HOME: &str = "/home/learner";

/// Files larger than this are not offered for editing (a learner's project files are small; a
/// generated blob would only slow the page down).
const MAX_EDITABLE_BYTES: u64 = 256 * 1024;

/// The learner's text files under [`HOME`], sorted by path (absolute paths).
pub fn project_files(tree: &FileTree) -> Vec<String> {
    let prefix = format!("{HOME}/");
    tree.entries()
        .filter(|(path, node)| {
            path.starts_with(&prefix)
                && matches!(node, Node::File { content: Content::Text(_), size, .. } if *size <= MAX_EDITABLE_BYTES)
                // Tool caches and VCS internals are not project files.
                && !path[prefix.len()..].split('/').any(|part| matches!(part, ".git" | ".cache" | "node_modules" | "__pycache__"))
        })
        .map(|(path, _)| path.clone())
        .collect()
}

/// `path` as the learner knows it: relative to [`HOME`] when inside it.
pub fn display_name(path: &str) -> &str {
    path.strip_prefix(HOME).and_then(|rest| rest.strip_prefix('/')).unwrap_or(path)
}

/// A path typed into "New file": relative names land in [`HOME`]; `None` for an unusable name.
pub fn new_file_path(typed: &str) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() || typed.ends_with('/') || typed.split('/').any(|part| part == "..") {
        return None;
    }
    let joined = if typed.starts_with('/') { typed.to_string() } else { format!("{HOME}/{}", typed.trim_start_matches("./")) };
    Some(engine::fs::normalize(&joined, HOME))
}

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build or `compose up` would fail on it.
    Error,
    /// The tool would print a warning but go on.
    Warning,
}

/// Something the engine's parser reports about the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line; 0 when it concerns the whole file.
    pub line: usize,
    pub message: String,
    pub severity: Severity,
}

/// What is wrong with `text` as the file `path`: Dockerfiles through the build's parser, compose
/// files through compose's loader (other files it names are read with `read`), other YAML
/// through the YAML reader. Other files get no diagnostics.
pub fn problems(path: &str, text: &str, read: &dyn Fn(&str) -> Option<String>) -> Vec<Problem> {
    match Language::of(path) {
        Language::Dockerfile => dockerfile_problems(text),
        Language::Yaml if is_compose_file(path) => compose_problems(path, text, read),
        Language::Yaml => match engine::compose::yaml::parse(text) {
            Ok(_) => Vec::new(),
            Err(error) => vec![error_at(line_mentioned(&error.0).unwrap_or(0), error.0)],
        },
        _ => Vec::new(),
    }
}

/// Whether compose would read `path` as a compose file (its default names, and override files).
pub fn is_compose_file(path: &str) -> bool {
    let name = engine::fs::file_name(path);
    engine::compose::DEFAULT_FILES.contains(&name)
        || (name.starts_with("compose.") || name.starts_with("docker-compose.")) && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

fn error_at(line: usize, message: String) -> Problem {
    Problem { line, message, severity: Severity::Error }
}

fn dockerfile_problems(text: &str) -> Vec<Problem> {
    let mut found = Vec::new();
    if let Ok(ast) = engine::dockerfile::parse_ast(text) {
        found.extend(ast.warnings.into_iter().map(|warning| Problem { line: warning.line, message: warning.message, severity: Severity::Warning }));
    }
    if let Err(error) = engine::dockerfile::parse(text) {
        found.insert(0, error_at(error.line().unwrap_or(0), error.message()));
    }
    found
}

fn compose_problems(path: &str, text: &str, read: &dyn Fn(&str) -> Option<String>) -> Vec<Problem> {
    let options = engine::compose::Options { files: vec![path.to_string()], ..Default::default() };
    let reader = |wanted: &str| if wanted == path { Some(text.to_string()) } else { read(wanted) };
    let (result, warnings) = engine::compose::load_with_warnings(&options, &reader);
    let mut found: Vec<Problem> = Vec::new();
    if let Err(error) = result {
        let line = line_mentioned(&error.0).or_else(|| locate_compose_error(text, &error.0)).unwrap_or(0);
        found.push(error_at(line, error.0));
    }
    for warning in warnings {
        let line = line_mentioned(&warning).or_else(|| quoted_words(&warning).iter().find_map(|word| find_text_line(text, word))).unwrap_or(0);
        found.push(Problem { line, message: warning, severity: Severity::Warning });
    }
    found
}

/// The `N` of a `line N` in a message (YAML errors: `yaml: line 3: …`).
fn line_mentioned(message: &str) -> Option<usize> {
    let at = message.find("line ")?;
    let digits: String = message[at + 5..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// Where a loader error without a line points in the text: its dotted path
/// (`services.web.healthcheck additional properties 'intervl' not allowed`) or the service it
/// names (`service "web" refers to undefined network back`), followed down the YAML by indentation.
fn locate_compose_error(text: &str, message: &str) -> Option<usize> {
    let first_word = message.split_whitespace().next().unwrap_or("");
    let mut keys: Vec<String> = Vec::new();
    if first_word.contains('.') && ["services.", "networks.", "volumes.", "configs.", "secrets."].iter().any(|p| first_word.starts_with(p)) {
        keys.extend(first_word.split('.').map(str::to_string));
    } else if let Some(service) = message.strip_prefix("service \"").and_then(|rest| rest.split('"').next()) {
        keys.push("services".into());
        keys.push(service.to_string());
    } else if let Some(rest) = first_word.strip_suffix(':').filter(|w| !w.is_empty()) {
        keys.push(rest.to_string());
    }
    // The key the message quotes (`'intervl'`) sits under the path.
    let quoted = message.split('\'').nth(1).filter(|q| !q.is_empty() && message.matches('\'').count() >= 2);
    if let Some(word) = quoted {
        keys.push(word.to_string());
    }
    if keys.is_empty() {
        return quoted_words(message).iter().find_map(|word| find_text_line(text, word));
    }
    let mut found = None;
    let mut from = 0;
    let mut depth: Option<usize> = None;
    for key in &keys {
        match find_key(text, key, from, depth) {
            Some((line, indent)) => {
                found = Some(line + 1);
                from = line + 1;
                depth = Some(indent);
            }
            None => break,
        }
    }
    found
}

/// The first line at or after `from` holding `key:` deeper than `deeper_than`: (0-based line, indent).
fn find_key(text: &str, key: &str, from: usize, deeper_than: Option<usize>) -> Option<(usize, usize)> {
    for (index, line) in text.lines().enumerate().skip(from) {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        if let Some(limit) = deeper_than {
            if !content.is_empty() && !content.starts_with('#') && indent <= limit && index > from {
                return None;
            }
        }
        let bare = content.trim_start_matches("- ").trim_matches(['"', '\'']);
        let item = content.trim_start_matches("- ");
        let is_key = [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")].iter().any(|k| item.starts_with(k.as_str()));
        if is_key || bare == key && content.starts_with("- ") {
            return Some((index, indent));
        }
    }
    None
}

fn quoted_words(message: &str) -> Vec<String> {
    message.split('"').skip(1).step_by(2).map(str::to_string).filter(|w| !w.is_empty()).collect()
}

/// The first line (1-based) containing `word`.
fn find_text_line(text: &str, word: &str) -> Option<usize> {
    text.lines().position(|line| line.contains(word)).map(|index| index + 1)
}

/// The editor's state that outlives its panel (the side pane unmounts it when another tab is
/// chosen): the open file, drafts not yet saved, and how many times `edit FILE` asked to open one.
#[derive(Debug, Clone, Default)]
pub struct EditorDocs {
    open: Option<String>,
    drafts: BTreeMap<String, String>,
    open_requests: u64,
}

impl EditorDocs {
    /// The absolute path of the file shown in the editor.
    pub fn open_path(&self) -> Option<&str> {
        self.open.as_deref()
    }

    /// Shows `path` in the editor (its draft if it has one).
    pub fn open(&mut self, path: &str) {
        self.open = Some(path.to_string());
    }

    /// `edit FILE` in the terminal: open it and let the page bring the editor forward.
    pub fn request_open(&mut self, path: &str) {
        self.open(path);
        self.open_requests += 1;
    }

    /// Bumped by each [`EditorDocs::request_open`]; the page watches it to switch to the editor.
    pub fn open_requests(&self) -> u64 {
        self.open_requests
    }

    /// Unsaved text of `path`, if it was edited since the last save.
    pub fn draft(&self, path: &str) -> Option<&str> {
        self.drafts.get(path).map(String::as_str)
    }

    /// Keeps `text` as `path`'s unsaved text, or forgets the draft when it equals the saved file.
    pub fn set_draft(&mut self, path: &str, text: &str, saved: Option<&str>) {
        if saved == Some(text) {
            self.drafts.remove(path);
        } else {
            self.drafts.insert(path.to_string(), text.to_string());
        }
    }

    pub fn discard_draft(&mut self, path: &str) {
        self.drafts.remove(path);
    }

    pub fn is_dirty(&self, path: &str) -> bool {
        self.drafts.contains_key(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn project_files_are_the_text_files_under_home() {
        let mut engine = engine::Engine::new(1);
        engine.make_dirs("/home/learner/app");
        engine.make_dirs("/home/learner/node_modules");
        engine.make_dirs("/tmp");
        engine.write_file("/home/learner/Dockerfile", "FROM alpine\n").unwrap();
        engine.write_file("/home/learner/app/main.py", "print(1)\n").unwrap();
        engine.write_file("/home/learner/.dockerignore", "*.pyc\n").unwrap();
        engine.write_file("/home/learner/node_modules/x.js", "x\n").unwrap();
        engine.write_file("/tmp/elsewhere.txt", "x\n").unwrap();
        let files = project_files(engine.world().host_files());
        assert_eq!(files, ["/home/learner/.dockerignore", "/home/learner/Dockerfile", "/home/learner/app/main.py"]);
        assert_eq!(display_name(&files[2]), "app/main.py");
    }

    #[test]
    fn new_file_names_land_in_home() {
        assert_eq!(new_file_path("compose.yaml").as_deref(), Some("/home/learner/compose.yaml"));
        assert_eq!(new_file_path(" ./app/x.py ").as_deref(), Some("/home/learner/app/x.py"));
        assert_eq!(new_file_path("/srv/a").as_deref(), Some("/srv/a"));
        assert_eq!(new_file_path(""), None);
        assert_eq!(new_file_path("dir/"), None);
        assert_eq!(new_file_path("../etc/passwd"), None);
    }

    #[test]
    fn a_good_dockerfile_has_no_problems() {
        assert_eq!(problems("/home/learner/Dockerfile", "FROM python:3.12\nRUN echo hi\nCMD [\"python\"]\n", &none), vec![]);
    }

    #[test]
    fn dockerfile_errors_carry_the_buildkit_line_and_message() {
        let found = problems("/home/learner/Dockerfile", "FROM alpine\nRUN echo ok\nENV\n", &none);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("ENV"), "{:?}", found[0].message);

        let unknown = problems("/home/learner/Dockerfile", "FROM alpine\nFORM x\n", &none);
        assert_eq!((unknown[0].line, unknown[0].message.as_str()), (2, "unknown instruction: FORM (did you mean FROM?)"));
    }

    #[test]
    fn an_empty_dockerfile_is_a_whole_file_problem() {
        let found = problems("/home/learner/Dockerfile", "", &none);
        assert_eq!((found[0].line, found[0].message.as_str()), (0, "file with no instructions"));
    }

    #[test]
    fn compose_yaml_syntax_errors_point_at_their_line() {
        let found = problems("/home/learner/compose.yaml", "services:\n  web:\n\timage: x\n", &none);
        assert_eq!(found[0].line, 3, "{found:?}");
        assert!(found[0].message.contains("yaml: line 3: found character that cannot start any token"), "{found:?}");
    }

    #[test]
    fn compose_schema_errors_are_found_by_their_path() {
        let text = "services:\n  db:\n    image: postgres\n  web:\n    image: nginx\n    portz:\n      - 80:80\n";
        let found = problems("/home/learner/compose.yaml", text, &none);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("portz"), "{found:?}");
        assert_eq!(found[0].line, 6, "{found:?}");
    }

    #[test]
    fn compose_reference_errors_point_at_the_service() {
        let text = "services:\n  db:\n    image: postgres\n  web:\n    image: nginx\n    depends_on: [cache]\n";
        let found = problems("/home/learner/compose.yaml", text, &none);
        assert!(found[0].message.contains("undefined service \"cache\""), "{found:?}");
        assert_eq!(found[0].line, 4, "{found:?}");
    }

    #[test]
    fn a_valid_compose_file_has_no_problems() {
        let text = "services:\n  web:\n    image: nginx\n    ports:\n      - \"8080:80\"\n";
        assert_eq!(problems("/home/learner/compose.yaml", text, &none), vec![]);
    }

    #[test]
    fn other_files_are_not_diagnosed() {
        assert_eq!(problems("/home/learner/app.py", "def (:", &none), vec![]);
        assert!(!problems("/home/learner/other.yaml", "a: [", &none).is_empty(), "plain YAML still gets its syntax checked");
    }

    #[test]
    fn drafts_are_kept_until_saved_text_matches() {
        let mut docs = EditorDocs::default();
        docs.request_open("/home/learner/Dockerfile");
        assert_eq!(docs.open_path(), Some("/home/learner/Dockerfile"));
        assert_eq!(docs.open_requests(), 1);
        docs.set_draft("/home/learner/Dockerfile", "FROM b", Some("FROM a"));
        assert!(docs.is_dirty("/home/learner/Dockerfile"));
        assert_eq!(docs.draft("/home/learner/Dockerfile"), Some("FROM b"));
        docs.set_draft("/home/learner/Dockerfile", "FROM a", Some("FROM a"));
        assert!(!docs.is_dirty("/home/learner/Dockerfile"), "typing back the saved text is not a change");
    }
}
