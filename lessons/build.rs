//! Compiles `content/**/*.toml` and `guides.toml` into the crate, so the browser needs no files.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=guides.toml");
    let mut code = String::new();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    if std::env::var_os("CARGO_FEATURE_TOML").is_none() {
        // Without the TOML reader nothing would parse the sources: keep them out of the binary.
        std::fs::write(out.join("content.rs"), "").expect("OUT_DIR is writable");
        return;
    }
    let guides = root.join("guides.toml");
    let _ = writeln!(code, "pub static GUIDES: &str = include_str!({:?});", guides.display().to_string());
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for track in ["lessons", "drills", "interview"] {
        let dir = root.join("content").join(track);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<_> = entries.filter_map(|entry| entry.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let _ = writeln!(code, "    ({:?}, include_str!({:?})),", format!("{track}/{name}"), path.display().to_string());
        }
    }
    code.push_str("];\n");
    std::fs::write(out.join("content.rs"), code).expect("OUT_DIR is writable");
}
