//! Builder flags of an instruction (`COPY --from=build --link …`): each instruction declares the
//! flags it knows, then the written flags are checked against them with BuildKit's errors.

use std::collections::BTreeMap;

use thiserror::Error;

use super::suggest;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FlagError {
    #[error("arg should start with -- : {0}")]
    NotAFlag(String),
    #[error("unknown flag: {flag}{hint}")]
    Unknown { flag: String, hint: String },
    #[error("duplicate flag specified: {0}")]
    Duplicate(String),
    #[error("missing a value on flag: {0}")]
    MissingValue(String),
    #[error("expecting boolean value for flag {flag}, not: {value}")]
    NotBoolean { flag: String, value: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    String,
    Strings,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Bool(bool),
    String(String),
    Strings(Vec<String>),
}

/// The flags one instruction accepts, and after [`BuildFlags::parse`], their values.
#[derive(Debug, Default)]
pub struct BuildFlags {
    written: Vec<String>,
    declared: BTreeMap<&'static str, Kind>,
    values: BTreeMap<&'static str, Value>,
}

impl BuildFlags {
    pub fn new(written: &[String]) -> Self {
        BuildFlags {
            written: written.to_vec(),
            ..Self::default()
        }
    }

    pub fn declare_bool(&mut self, name: &'static str) {
        self.declared.insert(name, Kind::Bool);
    }

    pub fn declare_string(&mut self, name: &'static str) {
        self.declared.insert(name, Kind::String);
    }

    pub fn declare_strings(&mut self, name: &'static str) {
        self.declared.insert(name, Kind::Strings);
    }

    /// Checks the written flags; a `--` ends the flags.
    pub fn parse(&mut self) -> Result<(), FlagError> {
        for written in &self.written {
            if written == "--" {
                return Ok(());
            }
            let Some(body) = written.strip_prefix("--") else {
                return Err(FlagError::NotAFlag(written.clone()));
            };
            let (name, value) = match body.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (body, None),
            };
            let flag = format!("--{name}");
            let Some((&key, &kind)) = self.declared.get_key_value(name) else {
                let options: Vec<&str> = self.declared.keys().copied().collect();
                return Err(FlagError::Unknown {
                    hint: suggest::hint(name, &options, true),
                    flag,
                });
            };
            let previous = self.values.get(key);
            if previous.is_some() && kind != Kind::Strings {
                return Err(FlagError::Duplicate(flag));
            }
            let parsed = match kind {
                Kind::Bool => match value.map(str::to_lowercase).as_deref() {
                    None | Some("true") => Value::Bool(true),
                    Some("") => return Err(FlagError::MissingValue(flag)),
                    Some("false") => Value::Bool(false),
                    Some(_) => {
                        return Err(FlagError::NotBoolean {
                            flag,
                            value: value.unwrap_or_default().to_string(),
                        })
                    }
                },
                Kind::String => {
                    Value::String(value.ok_or(FlagError::MissingValue(flag))?.to_string())
                }
                Kind::Strings => {
                    let value = value.ok_or(FlagError::MissingValue(flag))?.to_string();
                    let mut all = match previous {
                        Some(Value::Strings(all)) => all.clone(),
                        _ => Vec::new(),
                    };
                    all.push(value);
                    Value::Strings(all)
                }
            };
            self.values.insert(key, parsed);
        }
        Ok(())
    }

    pub fn is_used(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    pub fn bool(&self, name: &str) -> bool {
        matches!(self.values.get(name), Some(Value::Bool(true)))
    }

    pub fn string(&self, name: &str) -> Option<String> {
        match self.values.get(name) {
            Some(Value::String(value)) => Some(value.clone()),
            _ => None,
        }
    }

    pub fn strings(&self, name: &str) -> Vec<String> {
        match self.values.get(name) {
            Some(Value::Strings(values)) => values.clone(),
            _ => Vec::new(),
        }
    }

    /// Names of the flags that were given, sorted.
    pub fn used(&self) -> Vec<String> {
        self.values.keys().map(|k| k.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(written: &[&str]) -> BuildFlags {
        let written: Vec<String> = written.iter().map(|s| s.to_string()).collect();
        let mut flags = BuildFlags::new(&written);
        flags.declare_bool("link");
        flags.declare_string("from");
        flags.declare_strings("exclude");
        flags
    }

    #[test]
    fn values_and_errors() {
        let mut ok = flags(&[
            "--link",
            "--from=a",
            "--exclude=x",
            "--exclude=y",
            "--",
            "--junk",
        ]);
        ok.parse().unwrap();
        assert!(ok.bool("link"));
        assert_eq!(ok.string("from").as_deref(), Some("a"));
        assert_eq!(ok.strings("exclude"), vec!["x", "y"]);
        let error = |written: &[&str]| flags(written).parse().unwrap_err().to_string();
        assert_eq!(
            error(&["--fron=a"]),
            "unknown flag: --fron (did you mean from?)"
        );
        assert_eq!(error(&["--from"]), "missing a value on flag: --from");
        assert_eq!(error(&["--link="]), "missing a value on flag: --link");
        assert_eq!(
            error(&["--link=yes"]),
            "expecting boolean value for flag --link, not: yes"
        );
        assert_eq!(
            error(&["--from=a", "--from=b"]),
            "duplicate flag specified: --from"
        );
    }
}
