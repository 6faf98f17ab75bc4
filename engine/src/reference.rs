//! Image references: `[registry/][namespace/]name[:tag][@digest]`, parsed and normalized the way
//! the docker CLI's `distribution/reference` does.

use serde::{Deserialize, Serialize};

pub const DEFAULT_DOMAIN: &str = "docker.io";
const OFFICIAL_NAMESPACE: &str = "library";
const MAX_NAME_LENGTH: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Registry host, e.g. `docker.io` or `localhost:5000`.
    pub domain: String,
    /// Repository path inside the registry, e.g. `library/hello-world`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("invalid reference format")]
    InvalidFormat,
    #[error("invalid reference format: repository name ({0}) must be lowercase")]
    Uppercase(String),
    #[error("repository name must not be more than 255 characters")]
    NameTooLong,
}

impl Reference {
    /// Parses what a user typed, filling in Docker Hub and `library/` for short names. The tag is
    /// left empty when none was given; [`Reference::with_default_tag`] adds `latest`.
    pub fn parse_normalized(text: &str) -> Result<Reference, ReferenceError> {
        let (rest, digest) = match text.split_once('@') {
            Some((rest, digest)) => {
                validate_digest(digest)?;
                (rest, Some(digest.to_string()))
            }
            None => (text, None),
        };
        // A colon after the last slash starts the tag; earlier colons belong to a registry port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        if let Some(tag) = tag {
            validate_tag(tag)?;
        }
        let (domain, path) = split_domain(name);
        if path.is_empty() {
            return Err(ReferenceError::InvalidFormat);
        }
        if path.chars().any(|c| c.is_ascii_uppercase()) {
            // Docker reports the lowercase rule only when the name would otherwise be valid.
            if path.split('/').all(|c| valid_path_component(&c.to_ascii_lowercase())) {
                return Err(ReferenceError::Uppercase(path));
            }
            return Err(ReferenceError::InvalidFormat);
        }
        if !path.split('/').all(valid_path_component) || !valid_domain(&domain) {
            return Err(ReferenceError::InvalidFormat);
        }
        if domain.len() + 1 + path.len() > MAX_NAME_LENGTH {
            return Err(ReferenceError::NameTooLong);
        }
        Ok(Reference { domain, path, tag: tag.map(str::to_string), digest })
    }

    /// Docker's `TagNameOnly`: a reference without tag or digest means `:latest`.
    pub fn with_default_tag(mut self) -> Reference {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some("latest".into());
        }
        self
    }

    /// `docker.io/library/hello-world:latest`.
    pub fn full(&self) -> String {
        let mut text = format!("{}/{}", self.domain, self.path);
        if let Some(tag) = &self.tag {
            text.push(':');
            text.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            text.push('@');
            text.push_str(digest);
        }
        text
    }

    /// The repository as Docker shows it: `hello-world`, `nginx/unit`, `ghcr.io/o/app`.
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            let short = self.path.strip_prefix("library/").unwrap_or(&self.path);
            short.to_string()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// `hello-world:latest`, the form `docker images` and error messages use.
    pub fn familiar(&self) -> String {
        let mut text = self.familiar_name();
        if let Some(tag) = &self.tag {
            text.push(':');
            text.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            text.push('@');
            text.push_str(digest);
        }
        text
    }
}

/// Docker's `splitDockerDomain`: the first component is a registry host only if it looks like one.
fn split_domain(name: &str) -> (String, String) {
    let (domain, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.')
                || first.contains(':')
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
    };
    let domain = if domain == "index.docker.io" { DEFAULT_DOMAIN.to_string() } else { domain };
    let path = if domain == DEFAULT_DOMAIN && !path.contains('/') && !path.is_empty() {
        format!("{OFFICIAL_NAMESPACE}/{path}")
    } else {
        path
    };
    (domain, path)
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    if bytes.is_empty() || !is_alnum(bytes[0]) || !is_alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if is_alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let allowed = separator == "." || separator == "_" || separator == "__"
            || separator.bytes().all(|b| b == b'-');
        if !allowed {
            return false;
        }
    }
    true
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (domain, None),
    };
    let host_ok = host.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    });
    host_ok && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `[\w][\w.-]{0,127}`
fn validate_tag(tag: &str) -> Result<(), ReferenceError> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    let ok = !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-');
    if ok { Ok(()) } else { Err(ReferenceError::InvalidFormat) }
}

fn validate_digest(digest: &str) -> Result<(), ReferenceError> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(ReferenceError::InvalidFormat);
    };
    let hex_ok = |len: usize| hex.len() == len && hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    let ok = match algorithm {
        "sha256" => hex_ok(64),
        "sha512" => hex_ok(128),
        _ => false,
    };
    if ok { Ok(()) } else { Err(ReferenceError::InvalidFormat) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<String, ReferenceError> {
        Reference::parse_normalized(text).map(|r| r.with_default_tag().full())
    }

    #[test]
    fn short_names_become_docker_hub_official_images() {
        assert_eq!(parse("hello-world").unwrap(), "docker.io/library/hello-world:latest");
        assert_eq!(parse("python:3.12-slim").unwrap(), "docker.io/library/python:3.12-slim");
        assert_eq!(parse("bitnami/redis").unwrap(), "docker.io/bitnami/redis:latest");
        assert_eq!(parse("localhost:5000/app:v1").unwrap(), "localhost:5000/app:v1");
        assert_eq!(parse("ghcr.io/org/tool").unwrap(), "ghcr.io/org/tool:latest");
    }

    #[test]
    fn familiar_names_drop_the_defaults() {
        let reference = Reference::parse_normalized("docker.io/library/nginx:1.27").unwrap();
        assert_eq!(reference.familiar(), "nginx:1.27");
    }

    #[test]
    fn bad_references_fail_with_dockers_words() {
        assert_eq!(parse("hello:"), Err(ReferenceError::InvalidFormat));
        assert_eq!(parse(":tag"), Err(ReferenceError::InvalidFormat));
        assert_eq!(parse("hello@sha256:abc"), Err(ReferenceError::InvalidFormat));
        assert_eq!(parse("a b"), Err(ReferenceError::InvalidFormat));
        assert_eq!(
            parse("Hello").unwrap_err().to_string(),
            "invalid reference format: repository name (library/Hello) must be lowercase"
        );
        // An uppercase first component is read as a registry host, as Docker does.
        assert_eq!(parse("UPPER/x").unwrap(), "UPPER/x:latest");
    }
}
