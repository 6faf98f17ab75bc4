//! The host's disk: a fixed capacity shared by image layers, containers' writable layers and
//! logs, the build cache, and whatever else the host stores (`sim disk fill`). When it is full,
//! builds, pulls and writes fail with `no space left on device`.

use crate::world::World;

/// `/dev/sda1`: 64 GB, as a small cloud VM or CI runner has.
pub const CAPACITY: u64 = 64_000_000_000;
/// What the OS and other software use before Docker stores anything.
pub const BASE_USE: u64 = 9_400_000_000;

/// Bytes Docker's data uses now.
pub fn docker_use(world: &World) -> u64 {
    let layers: u64 = world.layer_digests().map(|d| world.layer_size(d)).sum();
    let containers: u64 = world
        .containers()
        .iter()
        .map(|c| c.upper.size() + c.logs.iter().map(|l| l.text.len() as u64 + 80).sum::<u64>())
        .sum();
    layers + containers + world.build_cache.size()
}

pub fn used(world: &World) -> u64 {
    BASE_USE.saturating_add(world.disk_filler).saturating_add(docker_use(world))
}

pub fn free(world: &World) -> u64 {
    CAPACITY.saturating_sub(used(world))
}

/// Whether `bytes` more fit.
pub fn fits(world: &World, bytes: u64) -> bool {
    bytes <= free(world)
}

/// Fills the disk with other data until only `free_bytes` remain (never below what is used).
pub fn fill_until_free(world: &mut World, free_bytes: u64) {
    world.disk_filler = 0;
    let free_now = free(world);
    world.disk_filler = free_now.saturating_sub(free_bytes);
}

/// `sim disk`'s summary, in `df -h` terms.
pub fn describe(world: &World) -> String {
    let used = used(world);
    let percent = (used * 100).div_ceil(CAPACITY);
    format!(
        "Filesystem      Size  Used Avail Use% Mounted on\n/dev/sda1        {:>4}  {:>4}  {:>4} {:>3}% /",
        human(CAPACITY),
        human(used),
        human(CAPACITY.saturating_sub(used)),
        percent.min(100)
    )
}

/// `df -h`'s sizes: powers of 1024, one decimal below 10.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["", "K", "M", "G", "T"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 && unit > 0 {
        format!("{:.1}{}", (value * 10.0).ceil() / 10.0, UNITS[unit])
    } else {
        format!("{}{}", value.ceil() as u64, UNITS[unit])
    }
}
