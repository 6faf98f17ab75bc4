//! What the visualizers show, read from the engine's `World` and the last command's events as
//! plain data: no Leptos here, so every fact a view draws is unit-tested natively.

pub mod architecture;
pub mod build;
pub mod lifecycle;
pub mod namespaces;
pub mod network;
pub mod volumes;

#[cfg(test)]
mod tests;

/// Bytes as `docker images` words them (decimal units, three significant digits).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes}B")
    } else if value < 10.0 {
        format!("{value:.2}{}", UNITS[unit])
    } else if value < 100.0 {
        format!("{value:.1}{}", UNITS[unit])
    } else {
        format!("{value:.0}{}", UNITS[unit])
    }
}

/// The first 12 hex digits of an ID, with or without its `sha256:` prefix.
pub fn short_id(id: &str) -> String {
    id.strip_prefix("sha256:").unwrap_or(id).chars().take(12).collect()
}
