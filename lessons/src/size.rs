//! Sizes as items write them (`200MB`, `256m`, `1.5GB`) and as the checker reports them.

/// Bytes in a size: decimal units (`kB`, `MB`, `GB`, as `docker images` shows them) and binary
/// ones (`KiB`, `MiB`, `GiB`, and Docker's `k`, `m`, `g` for memory limits).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor: f64 = match unit.trim() {
        "" | "B" | "b" => 1.0,
        "kB" | "KB" | "kb" => 1e3,
        "MB" | "mb" => 1e6,
        "GB" | "gb" => 1e9,
        "k" | "K" | "KiB" => 1024.0,
        "m" | "M" | "MiB" => 1024.0 * 1024.0,
        "g" | "G" | "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((number * factor).round() as u64)
}

/// `178MB`, `1.24GB`, as `docker images` prints sizes.
pub fn human(bytes: u64) -> String {
    let value = bytes as f64;
    if value >= 1e9 {
        let number = format!("{:.3}", value / 1e9);
        format!("{}GB", number.trim_end_matches('0').trim_end_matches('.'))
    } else if value >= 1e6 {
        format!("{:.0}MB", value / 1e6)
    } else if value >= 1e3 {
        format!("{:.0}kB", value / 1e3)
    } else {
        format!("{bytes}B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_docker_units() {
        assert_eq!(parse_size("200MB"), Some(200_000_000));
        assert_eq!(parse_size("256m"), Some(256 * 1024 * 1024));
        assert_eq!(parse_size("1.5GB"), Some(1_500_000_000));
        assert_eq!(parse_size("2.10kB"), Some(2100));
        assert_eq!(parse_size("34B"), Some(34));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("12 parsecs"), None);
    }

    #[test]
    fn prints_like_docker_images() {
        assert_eq!(human(178_000_000), "178MB");
        assert_eq!(human(1_240_000_000), "1.24GB");
        assert_eq!(human(512), "512B");
    }
}
