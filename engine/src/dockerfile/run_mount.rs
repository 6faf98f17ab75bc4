//! `RUN --mount=type=cache|secret|bind|tmpfs|ssh,...` and `RUN --device=...`: the CSV option
//! syntax and its validation, with BuildKit's errors.
//!
//! As in BuildKit, a mount is checked in two passes: while parsing the Dockerfile only the CSV
//! syntax and `from=$VAR` are checked ([`check_mount_syntax`]); the full parse happens when the
//! step runs, after variable expansion ([`parse_mount`]).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::shell_words::ShellWordError;
use super::suggest;

const MOUNT_TYPES: [&str; 5] = ["bind", "cache", "secret", "ssh", "tmpfs"];
const SHARING_MODES: [&str; 3] = ["locked", "private", "shared"];
const MOUNT_KEYS: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MountError {
    #[error("failed to parse csv mounts: {0}")]
    Csv(CsvError),
    #[error("failed to parse csv devices: {0}")]
    DeviceCsv(CsvError),
    #[error("'{0}' doesn't support variable expansion, define alias stage instead")]
    VariableInFrom(String),
    #[error("unexpected key '{key}' for mount type '{mount_type}'")]
    KeyNotForType { key: String, mount_type: String },
    #[error("invalid field '{0}' must be a key=value pair")]
    NotKeyValue(String),
    #[error("unsupported mount type \"{value}\"{hint}")]
    UnsupportedType { value: String, hint: String },
    #[error("invalid value for {key}: {value}")]
    InvalidValue { key: String, value: String },
    #[error("unsupported sharing value \"{value}\"{hint}")]
    UnsupportedSharing { value: String, hint: String },
    #[error("invalid value {value} for {key}")]
    InvalidNumber { key: &'static str, value: String },
    #[error("unexpected key '{key}' in '{field}'{hint}")]
    UnknownKey {
        key: String,
        field: String,
        hint: String,
    },
    #[error("{key} not allowed for \"{mount_type}\" type mounts")]
    FileInfoNotAllowed {
        key: &'static str,
        mount_type: String,
    },
    #[error("secret mount should not have a from")]
    SecretWithFrom,
    #[error("secret mount should not define sharing")]
    SecretWithSharing,
    #[error("invalid secret mount. one of source, target required")]
    SecretWithoutTarget,
    #[error("both source and id can't be set")]
    SecretSourceAndId,
    #[error("invalid cache sharing set for {0} mount")]
    SharingNotForType(String),
    #[error("device name already set to {0}")]
    DeviceNameRepeated(String),
    #[error(transparent)]
    Expansion(#[from] ShellWordError),
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CsvError {
    #[error("parse error on line 1, column {0}: bare \" in non-quoted-field")]
    BareQuote(usize),
    #[error("parse error on line 1, column {0}: extraneous or missing \" in quoted-field")]
    Quote(usize),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MountType {
    #[default]
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

impl MountType {
    pub fn as_str(self) -> &'static str {
        match self {
            MountType::Bind => "bind",
            MountType::Cache => "cache",
            MountType::Tmpfs => "tmpfs",
            MountType::Secret => "secret",
            MountType::Ssh => "ssh",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheSharing {
    Shared,
    Private,
    Locked,
}

/// One `--mount`, fully parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    pub mount_type: MountType,
    pub from: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub read_only: bool,
    /// tmpfs `size=`, in bytes (0 = unlimited).
    pub size_limit: u64,
    /// `id=` (cache id or secret id).
    pub id: Option<String>,
    pub sharing: Option<CacheSharing>,
    pub required: bool,
    /// Secret exposed as this environment variable.
    pub env: Option<String>,
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

/// One `--device`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub name: String,
    pub required: bool,
}

/// Go's `encoding/csv` on a single record.
fn csv_fields(text: &str) -> Result<Vec<String>, CsvError> {
    let chars: Vec<char> = text.chars().collect();
    let mut fields = Vec::new();
    let mut index = 0;
    loop {
        let mut field = String::new();
        if chars.get(index) == Some(&'"') {
            index += 1;
            loop {
                match chars.get(index) {
                    None => return Err(CsvError::Quote(index + 1)),
                    Some('"') if chars.get(index + 1) == Some(&'"') => {
                        field.push('"');
                        index += 2;
                    }
                    Some('"') => {
                        index += 1;
                        match chars.get(index) {
                            None | Some(',') => break,
                            Some(_) => return Err(CsvError::Quote(index + 1)),
                        }
                    }
                    Some(&ch) => {
                        field.push(ch);
                        index += 1;
                    }
                }
            }
        } else {
            while let Some(&ch) = chars.get(index) {
                if ch == ',' {
                    break;
                }
                if ch == '"' {
                    return Err(CsvError::BareQuote(index + 1));
                }
                field.push(ch);
                index += 1;
            }
        }
        fields.push(field);
        if chars.get(index) == Some(&',') {
            index += 1;
        } else {
            return Ok(fields);
        }
    }
}

fn parse_bool(key: &str, value: &str) -> Result<bool, MountError> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(MountError::InvalidValue {
            key: key.to_string(),
            value: value.to_string(),
        }),
    }
}

fn parse_u32(key: &'static str, value: &str, radix: u32) -> Result<u32, MountError> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    u32::from_str_radix(digits, radix).map_err(|_| MountError::InvalidNumber {
        key,
        value: value.to_string(),
    })
}

/// docker/go-units `RAMInBytes`: `64m`, `1.5g`, `512kb`, binary multiples.
fn ram_in_bytes(value: &str) -> Option<u64> {
    let number_end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, suffix) = value.split_at(number_end);
    let number: f64 = number.parse().ok()?;
    let suffix = suffix
        .strip_prefix(' ')
        .unwrap_or(suffix)
        .to_ascii_lowercase();
    let unit = suffix.trim_end_matches('b').trim_end_matches('i');
    if suffix.len() > 3 || (suffix.ends_with('i')) {
        return None;
    }
    let multiplier: f64 = match unit {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024f64.powi(2),
        "g" => 1024f64.powi(3),
        "t" => 1024f64.powi(4),
        "p" => 1024f64.powi(5),
        _ => return None,
    };
    Some((number * multiplier) as u64)
}

/// The checks BuildKit makes while parsing the Dockerfile, before any expansion.
pub fn check_mount_syntax(spec: &str) -> Result<(), MountError> {
    for field in csv_fields(spec).map_err(MountError::Csv)? {
        if let Some((key, value)) = field.split_once('=') {
            if key.eq_ignore_ascii_case("from") {
                if let Some(dollar) = value.find('$') {
                    if dollar + 1 != value.len() {
                        return Err(MountError::VariableInFrom("from".to_string()));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Parses a mount spec, expanding every value first (pass an identity closure for none).
pub fn parse_mount(
    spec: &str,
    expand: &mut dyn FnMut(&str) -> Result<String, ShellWordError>,
) -> Result<Mount, MountError> {
    let mut mount = Mount::default();
    let mut read_only_given = false;
    for field in csv_fields(spec).map_err(MountError::Csv)? {
        let Some((key, value)) = field.split_once('=') else {
            match field.to_lowercase().as_str() {
                "readonly" | "ro" => mount.read_only = true,
                "readwrite" | "rw" => mount.read_only = false,
                "required" if matches!(mount.mount_type, MountType::Secret | MountType::Ssh) => {
                    mount.required = true;
                    continue;
                }
                "required" => {
                    return Err(MountError::KeyNotForType {
                        key: "required".into(),
                        mount_type: mount.mount_type.as_str().into(),
                    })
                }
                _ => return Err(MountError::NotKeyValue(field)),
            }
            read_only_given = true;
            continue;
        };
        let key = key.to_lowercase();
        let value = expand(value)?;
        match key.as_str() {
            "type" => {
                mount.mount_type = match value.to_lowercase().as_str() {
                    "bind" => MountType::Bind,
                    "cache" => MountType::Cache,
                    "tmpfs" => MountType::Tmpfs,
                    "secret" => MountType::Secret,
                    "ssh" => MountType::Ssh,
                    _ => {
                        return Err(MountError::UnsupportedType {
                            hint: suggest::hint(&value, &MOUNT_TYPES, true),
                            value,
                        })
                    }
                }
            }
            "from" => mount.from = Some(value),
            "source" | "src" => mount.source = Some(value),
            "target" | "dst" | "destination" => mount.target = Some(value),
            "readonly" | "ro" => {
                mount.read_only = parse_bool(&key, &value)?;
                read_only_given = true;
            }
            "readwrite" | "rw" => {
                mount.read_only = !parse_bool(&key, &value)?;
                read_only_given = true;
            }
            "required" if matches!(mount.mount_type, MountType::Secret | MountType::Ssh) => {
                mount.required = parse_bool(&key, &value)?;
            }
            "required" => {
                return Err(MountError::KeyNotForType {
                    key,
                    mount_type: mount.mount_type.as_str().into(),
                })
            }
            "size" if mount.mount_type == MountType::Tmpfs => {
                mount.size_limit =
                    ram_in_bytes(&value).ok_or(MountError::InvalidValue { key, value })?;
            }
            "size" => {
                return Err(MountError::KeyNotForType {
                    key,
                    mount_type: mount.mount_type.as_str().into(),
                })
            }
            "id" => mount.id = Some(value),
            "sharing" => {
                mount.sharing = Some(match value.to_lowercase().as_str() {
                    "shared" => CacheSharing::Shared,
                    "private" => CacheSharing::Private,
                    "locked" => CacheSharing::Locked,
                    _ => {
                        return Err(MountError::UnsupportedSharing {
                            hint: suggest::hint(&value, &SHARING_MODES, true),
                            value,
                        })
                    }
                })
            }
            "mode" => mount.mode = Some(parse_u32("mode", &value, 8)?),
            "uid" => mount.uid = Some(parse_u32("uid", &value, 10)?),
            "gid" => mount.gid = Some(parse_u32("gid", &value, 10)?),
            "env" => mount.env = Some(value),
            _ => {
                let hint = suggest::hint(&key, &MOUNT_KEYS, true);
                return Err(MountError::UnknownKey { key, field, hint });
            }
        }
    }
    let type_name = mount.mount_type.as_str().to_string();
    if !matches!(
        mount.mount_type,
        MountType::Secret | MountType::Ssh | MountType::Cache
    ) {
        for (key, given) in [
            ("mode", mount.mode.is_some()),
            ("uid", mount.uid.is_some()),
            ("gid", mount.gid.is_some()),
        ] {
            if given {
                return Err(MountError::FileInfoNotAllowed {
                    key,
                    mount_type: type_name,
                });
            }
        }
    }
    if !read_only_given {
        mount.read_only = !matches!(mount.mount_type, MountType::Cache | MountType::Tmpfs);
    }
    if mount.mount_type == MountType::Secret {
        if mount.from.as_deref().is_some_and(|f| !f.is_empty()) {
            return Err(MountError::SecretWithFrom);
        }
        if mount.sharing.is_some() {
            return Err(MountError::SecretWithSharing);
        }
        let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        if !set(&mount.source) && !set(&mount.target) && !set(&mount.id) {
            return Err(MountError::SecretWithoutTarget);
        }
        if set(&mount.source) && set(&mount.id) {
            return Err(MountError::SecretSourceAndId);
        }
    }
    if mount.sharing.is_some() && mount.mount_type != MountType::Cache {
        return Err(MountError::SharingNotForType(type_name));
    }
    Ok(mount)
}

/// Parses a `--device` value (`name[,required]`).
pub fn parse_device(spec: &str) -> Result<Device, MountError> {
    let mut device = Device::default();
    for field in csv_fields(spec).map_err(MountError::DeviceCsv)? {
        match field.split_once('=') {
            None if field.eq_ignore_ascii_case("required") => device.required = true,
            None if device.name.is_empty() => device.name = field,
            None => return Err(MountError::NotKeyValue(field)),
            Some((key, value)) => match key.to_lowercase().as_str() {
                "name" if !device.name.is_empty() => {
                    return Err(MountError::DeviceNameRepeated(device.name))
                }
                "name" => device.name = value.to_string(),
                "required" => device.required = parse_bool("required", value)?,
                _ if device.name.is_empty() => device.name = field.clone(),
                other => {
                    let hint = suggest::hint(other, &["name", "required"], true);
                    return Err(MountError::UnknownKey {
                        key: other.to_string(),
                        field: field.clone(),
                        hint,
                    });
                }
            },
        }
    }
    Ok(device)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(spec: &str) -> Result<Mount, MountError> {
        parse_mount(spec, &mut |v: &str| Ok(v.to_string()))
    }

    #[test]
    fn cache_and_secret_mounts() {
        let cache = mount("type=cache,target=/root/.cache,sharing=locked,id=pip").unwrap();
        assert_eq!(
            (cache.mount_type, cache.read_only, cache.sharing),
            (MountType::Cache, false, Some(CacheSharing::Locked))
        );
        let secret = mount("type=secret,id=token,env=TOKEN,required").unwrap();
        assert!(secret.required && secret.read_only);
        assert_eq!(
            mount("type=secret").unwrap_err().to_string(),
            "invalid secret mount. one of source, target required"
        );
        assert_eq!(
            mount("type=tmpfs,target=/t,size=64m").unwrap().size_limit,
            64 * 1024 * 1024
        );
    }

    #[test]
    fn mount_errors_use_buildkit_wording() {
        assert_eq!(
            mount("type=cahce").unwrap_err().to_string(),
            "unsupported mount type \"cahce\" (did you mean cache?)"
        );
        assert_eq!(
            mount("type=bind,uid=1").unwrap_err().to_string(),
            "uid not allowed for \"bind\" type mounts"
        );
        assert_eq!(
            mount("target=/a,trget=/b").unwrap_err().to_string(),
            "unexpected key 'trget' in 'trget=/b' (did you mean target?)"
        );
        assert_eq!(
            check_mount_syntax("type=bind,from=$STAGE")
                .unwrap_err()
                .to_string(),
            "'from' doesn't support variable expansion, define alias stage instead"
        );
        assert!(check_mount_syntax("type=bind,\"source=a,b\",target=/x").is_ok());
        assert!(check_mount_syntax("type=bind,source=a\"b").is_err());
    }

    #[test]
    fn devices() {
        assert_eq!(
            parse_device("nvidia.com/gpu=all,required").unwrap(),
            Device {
                name: "nvidia.com/gpu=all".into(),
                required: true
            }
        );
    }
}
