//! Whalebox's lessons, triage drills and interview items: TOML data under `content/`, a goal
//! checker over the engine's state, and the replay that proves every item works.

pub mod coverage;
pub mod goal;
pub mod interview;
pub mod item;
pub mod load;
mod record;
pub mod replay;
pub mod score;
pub mod session;
pub mod size;

pub use coverage::Guides;
pub use goal::{Goal, Progress};
pub use item::{Action, Item, Kind};
pub use load::LoadError;
pub use record::Record;
pub use session::{Hint, Session, Turn};

/// Content files compiled into the crate: (path below `content/`, text).
#[cfg(feature = "toml")]
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/content.rs"));
}

/// Every item and the guides' index.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub items: Vec<Item>,
    pub guides: Guides,
}

impl Catalog {
    /// The catalog compiled into this build (what the CLI and the tests use).
    #[cfg(feature = "toml")]
    pub fn embedded() -> Result<Catalog, Vec<LoadError>> {
        Catalog::from_files(embedded::GUIDES, embedded::FILES.iter().map(|(path, text)| (path.to_string(), text.to_string())))
    }

    #[cfg(feature = "toml")]
    /// Reads a content directory from disk (`lessons/content`), for authors checking their files.
    pub fn from_dir(content: &std::path::Path, guides_toml: &std::path::Path) -> Result<Catalog, Vec<LoadError>> {
        let io_error = |path: &std::path::Path, error: std::io::Error| LoadError { file: path.display().to_string(), line: 0, message: error.to_string() };
        let guides = std::fs::read_to_string(guides_toml).map_err(|e| vec![io_error(guides_toml, e)])?;
        let mut files = Vec::new();
        for track in ["lessons", "drills", "interview"] {
            let dir = content.join(track);
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut paths: Vec<_> = entries.filter_map(|entry| entry.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).map_err(|e| vec![io_error(&path, e)])?;
                let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                files.push((format!("{track}/{name}"), text));
            }
        }
        Catalog::from_files(&guides, files.into_iter())
    }

    /// Parses and validates every file; all problems are reported together.
    #[cfg(feature = "toml")]
    pub fn from_files(guides_text: &str, files: impl Iterator<Item = (String, String)>) -> Result<Catalog, Vec<LoadError>> {
        let guides = Guides::parse(guides_text).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let mut items = Vec::new();
        for (file, text) in files {
            match load::parse_item(&file, &text) {
                Ok(item) => {
                    errors.extend(load::validate(&file, &text, &item, &guides));
                    items.push((file, item));
                }
                Err(error) => errors.push(error),
            }
        }
        errors.extend(load::duplicate_ids(&items));
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut items: Vec<Item> = items.into_iter().map(|(_, item)| item).collect();
        items.sort_by(|a, b| (a.kind, a.level as u8, &a.id).cmp(&(b.kind, b.level as u8, &b.id)));
        Ok(Catalog { items, guides })
    }

    /// The items as JSON, for the browser: it parses this with serde_json, already in its
    /// download, instead of shipping a TOML parser.
    pub fn items_to_json(&self) -> String {
        // Plain data with string keys: serializing cannot fail.
        serde_json::to_string(&self.items).unwrap_or_default()
    }

    /// Items exported by [`Catalog::items_to_json`] (the guides' index stays behind).
    pub fn from_json(text: &str) -> Result<Catalog, String> {
        let items: Vec<Item> = serde_json::from_str(text).map_err(|e| format!("lesson data is not valid: {e}"))?;
        Ok(Catalog { items, guides: Guides::default() })
    }

    pub fn get(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |item| item.kind == kind)
    }
}
