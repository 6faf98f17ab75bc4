//! Benchmark sections about the page itself: whether each command's output is painted by the
//! next frame (`e2e/bench-paint.mjs` in headless Chromium), and what the wasm download is made of
//! (function bodies grouped by crate, read from the release build's name section).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::tools::Tools;
use crate::{process, serve, stats, testing};

/// The fixed command script the latency benchmarks share.
const SCRIPT: &str = "engine/examples/bench_script.txt";

/// One display frame at 60 Hz, the budget for "painted within one frame".
const FRAME_MS: f64 = 1000.0 / 60.0;

pub struct PaintRun {
    /// Enter to the output's DOM change, per command.
    handler_ms: Vec<f64>,
    /// Enter to the first frame after that change, per command.
    frame_ms: Vec<f64>,
    /// That in display frames (1 = the very next frame).
    frames: Vec<u32>,
}

/// `e2e/bench-paint.mjs` over the fixed script, against `site` served on loopback.
pub fn measure_paint(root: &Path, tools: &Tools, site: &Path) -> Result<PaintRun> {
    let url = serve::spawn(site)?;
    let out = process::output(testing::node_command(tools, &url).arg("e2e/bench-paint.mjs").arg(SCRIPT).arg("1").current_dir(root))?;
    parse_paint(&out)
}

/// Lines `cmd <i> <handler ms> <frame ms> <frames>` (tab-separated); other lines are ignored.
pub fn parse_paint(out: &str) -> Result<PaintRun> {
    let mut run = PaintRun { handler_ms: Vec::new(), frame_ms: Vec::new(), frames: Vec::new() };
    for rest in out.lines().filter_map(|line| line.strip_prefix("cmd\t")) {
        let fields: Vec<&str> = rest.split('\t').collect();
        let [_, handler, frame, frames] = fields[..] else { bail!("malformed line `{rest}` from bench-paint.mjs") };
        run.handler_ms.push(handler.parse()?);
        run.frame_ms.push(frame.parse()?);
        run.frames.push(frames.parse()?);
    }
    if run.frames.is_empty() {
        bail!("bench-paint.mjs measured no command:\n{out}");
    }
    Ok(run)
}

pub fn render_paint(md: &mut String, run: &Result<PaintRun>) {
    let _ = writeln!(md, "## 10. Each command's output on screen by the next frame (headless Chromium)\n");
    let _ = writeln!(
        md,
        "`e2e/bench-paint.mjs` types every command of `{SCRIPT}` into one page: the Enter key press is \
         dispatched at the start of a frame (inside a `requestAnimationFrame` callback), a MutationObserver \
         notes when the terminal's output changes, and the page counts display frames until the first frame \
         after that change. 1 frame means the output was painted in the very next frame.\n"
    );
    match run {
        Ok(run) => {
            let mut handler = run.handler_ms.clone();
            let mut frame = run.frame_ms.clone();
            handler.sort_by(f64::total_cmp);
            frame.sort_by(f64::total_cmp);
            let mut frames: Vec<f64> = run.frames.iter().map(|&f| f64::from(f)).collect();
            frames.sort_by(f64::total_cmp);
            let next_frame = run.frames.iter().filter(|&&f| f <= 1).count();
            let _ = writeln!(md, "| {} commands | p50 | p95 | max |\n|---|---:|---:|---:|", run.frames.len());
            let row = |sorted: &[f64]| {
                format!("{:.1} | {:.1} | {:.1}", stats::percentile(sorted, 50.0), stats::percentile(sorted, 95.0), sorted.last().copied().unwrap_or(0.0))
            };
            let _ = writeln!(md, "| Enter → output in the DOM (ms) | {} |", row(&handler));
            let _ = writeln!(md, "| Enter → first frame after it (ms) | {} |", row(&frame));
            let _ = writeln!(md, "| frames until painted | {} |\n", row(&frames));
            let p95 = stats::percentile(&frames, 95.0);
            let _ = writeln!(
                md,
                "Painted in the next frame: {next_frame} of {} commands. Target: p95 within one frame ({FRAME_MS:.1} ms at 60 Hz): **{}** (p95 {p95:.0} frame{}).\n",
                run.frames.len(),
                if p95 <= 1.0 { "met" } else { "missed" },
                if p95 == 1.0 { "" } else { "s" }
            );
        }
        Err(error) => {
            let _ = writeln!(md, "Not measured: {error:#}\n");
        }
    }
}

/// Code bytes per crate (and per engine module) and the data segments, in the wasm as built.
pub struct WasmParts {
    code_total: u64,
    groups: Vec<(String, u64, u64)>,
    data_raw: u64,
    data_gzip: u64,
}

/// Reads `target/wasm32-unknown-unknown/release/app.wasm`, the build before wasm-bindgen and
/// wasm-opt, whose name section still says which function is whose.
pub fn measure_parts(root: &Path) -> Result<WasmParts> {
    let path = root.join("target/wasm32-unknown-unknown/release/app.wasm");
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let module = parse_module(&bytes)?;
    let mut groups: std::collections::BTreeMap<String, Vec<u8>> = std::collections::BTreeMap::new();
    for (index, body) in module.bodies.iter().enumerate() {
        let name = module.names.get(&(module.imported_functions + index as u32)).map_or("", String::as_str);
        groups.entry(owner(name)).or_default().extend_from_slice(body);
    }
    let mut groups: Vec<(String, u64, u64)> =
        groups.into_iter().map(|(name, code)| Ok((name, code.len() as u64, crate::bench::gzip_len(&code)?))).collect::<Result<_>>()?;
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(WasmParts {
        code_total: module.bodies.iter().map(|b| b.len() as u64).sum(),
        groups,
        data_raw: module.data.len() as u64,
        data_gzip: crate::bench::gzip_len(&module.data)?,
    })
}

pub fn render_parts(md: &mut String, parts: &Result<WasmParts>) {
    let _ = writeln!(md, "## 11. What the wasm is made of\n");
    let _ = writeln!(
        md,
        "Function bodies of `target/wasm32-unknown-unknown/release/app.wasm` (the release build before \
         wasm-bindgen and wasm-opt, whose name section names every function) grouped by crate, and by \
         module inside `engine`; each group's gzip -9 is of its bodies alone, so the column sums to more than \
         the whole. Generic code counts under the crate its mangled path starts with (an iterator adapter over \
         engine types counts as `core`).\n"
    );
    match parts {
        Ok(parts) => {
            let _ = writeln!(md, "| part | code | share | gzip alone |\n|---|---:|---:|---:|");
            let mut rest = (0u64, 0u64);
            for (index, (name, raw, gzip)) in parts.groups.iter().enumerate() {
                if index < 16 {
                    let share = *raw as f64 * 100.0 / parts.code_total.max(1) as f64;
                    let _ = writeln!(md, "| `{name}` | {:.1} KB | {share:.1} % | {:.1} KB |", *raw as f64 / 1e3, *gzip as f64 / 1e3);
                } else {
                    rest.0 += raw;
                    rest.1 += gzip;
                }
            }
            let _ = writeln!(md, "| everything else | {:.1} KB | {:.1} % | {:.1} KB |", rest.0 as f64 / 1e3, rest.0 as f64 * 100.0 / parts.code_total.max(1) as f64, rest.1 as f64 / 1e3);
            let _ = writeln!(md, "| data segments (strings, tables, help texts) | {:.1} KB | | {:.1} KB |\n", parts.data_raw as f64 / 1e3, parts.data_gzip as f64 / 1e3);
        }
        Err(error) => {
            let _ = writeln!(md, "Not measured: {error:#}\n");
        }
    }
}

/// Which crate (or engine module) a mangled function name belongs to.
fn owner(name: &str) -> String {
    let path = legacy_path(name);
    let Some(first) = path.first() else { return "(unnamed)".into() };
    // `<T as Trait>::f` is mangled as one component `_$LT$T$u20$as$u20$Trait$GT$`: T's crate owns it.
    let first = first.strip_prefix("_$LT$").map_or(first.as_str(), |inner| inner.trim_start_matches("$RF$").trim_start_matches("mut$u20$"));
    let krate = first.split("..").next().unwrap_or(first).split('$').next().unwrap_or(first);
    if krate == "engine" {
        if let Some(module) = path.get(1).filter(|_| !first.contains("..")) {
            return format!("engine::{module}");
        }
        if let Some(module) = first.split("..").nth(1) {
            return format!("engine::{module}");
        }
    }
    if krate.is_empty() { "(other)".into() } else { krate.to_string() }
}

/// The components of a legacy Rust mangled name (`_ZN6engine6docker3run17h…E`).
fn legacy_path(name: &str) -> Vec<String> {
    let Some(mut rest) = name.strip_prefix("_ZN") else { return Vec::new() };
    let mut parts = Vec::new();
    while let Some(digits) = rest.find(|c: char| !c.is_ascii_digit()).filter(|&n| n > 0) {
        let Ok(len) = rest[..digits].parse::<usize>() else { break };
        let Some(part) = rest.get(digits..digits + len) else { break };
        parts.push(part.to_string());
        rest = &rest[digits + len..];
    }
    parts
}

struct Module {
    imported_functions: u32,
    bodies: Vec<Vec<u8>>,
    names: std::collections::HashMap<u32, String>,
    data: Vec<u8>,
}

fn leb(bytes: &[u8], at: &mut usize) -> Result<u32> {
    let mut value: u64 = 0;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*at).context("wasm ends inside a number")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return u32::try_from(value).context("number out of range");
        }
        shift += 7;
        if shift > 35 {
            bail!("malformed LEB128 number");
        }
    }
}

/// The sections this report needs: imports (to number functions), code, data, names.
fn parse_module(bytes: &[u8]) -> Result<Module> {
    if bytes.get(..4) != Some(b"\0asm") {
        bail!("not a wasm module");
    }
    let mut module = Module { imported_functions: 0, bodies: Vec::new(), names: Default::default(), data: Vec::new() };
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let size = leb(bytes, &mut at)? as usize;
        let section = bytes.get(at..at + size).context("section runs past the end")?;
        at += size;
        let mut p = 0;
        match id {
            2 => {
                for _ in 0..leb(section, &mut p)? {
                    for _ in 0..2 {
                        let len = leb(section, &mut p)? as usize;
                        p += len;
                    }
                    let kind = *section.get(p).context("import kind")?;
                    p += 1;
                    match kind {
                        0 => {
                            leb(section, &mut p)?;
                            module.imported_functions += 1;
                        }
                        1 => {
                            p += 1;
                            let flags = leb(section, &mut p)?;
                            leb(section, &mut p)?;
                            if flags & 1 == 1 {
                                leb(section, &mut p)?;
                            }
                        }
                        2 => {
                            let flags = leb(section, &mut p)?;
                            leb(section, &mut p)?;
                            if flags & 1 == 1 {
                                leb(section, &mut p)?;
                            }
                        }
                        3 => p += 2,
                        other => bail!("unknown import kind {other}"),
                    }
                }
            }
            10 => {
                for _ in 0..leb(section, &mut p)? {
                    let len = leb(section, &mut p)? as usize;
                    module.bodies.push(section.get(p..p + len).context("function body")?.to_vec());
                    p += len;
                }
            }
            11 => module.data.extend_from_slice(section),
            0 => {
                let len = leb(section, &mut p)? as usize;
                if section.get(p..p + len) == Some(b"name") {
                    p += len;
                    while p < section.len() {
                        let kind = section[p];
                        p += 1;
                        let len = leb(section, &mut p)? as usize;
                        let end = p + len;
                        if kind == 1 {
                            for _ in 0..leb(section, &mut p)? {
                                let index = leb(section, &mut p)?;
                                let len = leb(section, &mut p)? as usize;
                                let name = section.get(p..p + len).context("function name")?;
                                module.names.insert(index, String::from_utf8_lossy(name).into_owned());
                                p += len;
                            }
                        }
                        p = end;
                    }
                }
            }
            _ => {}
        }
    }
    if module.bodies.is_empty() {
        bail!("the module has no code section");
    }
    if module.names.is_empty() {
        bail!("the module has no function names (was it stripped?)");
    }
    Ok(module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mangled_names_go_to_their_crate_and_engine_module() {
        assert_eq!(owner("_ZN6engine6docker3run17h0123456789abcdefE"), "engine::docker");
        assert_eq!(owner("_ZN4core3fmt5write17h0123456789abcdefE"), "core");
        assert_eq!(owner("_ZN65_$LT$engine..fs..tree..FileTree$u20$as$u20$core..clone..Clone$GT$5clone17h0123E"), "engine::fs");
        assert_eq!(owner("_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123E"), "T");
        assert_eq!(owner("memcpy"), "(unnamed)");
    }

    #[test]
    fn a_tiny_module_is_read() {
        // (module (func $f) (data "hi")) with a name section naming function 0 `_ZN6engine1f1gE`.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend([1, 4, 1, 0x60, 0, 0]); // type section: () -> ()
        wasm.extend([3, 2, 1, 0]); // function section
        wasm.extend([10, 4, 1, 2, 0, 0x0b]); // code: one empty body
        wasm.extend([11, 8, 1, 0, 0x41, 0, 0x0b, 2, b'h', b'i']); // data
        let name = b"_ZN6engine1f1gE";
        let mut names = vec![1u8];
        let sub = [&[1u8, 0, name.len() as u8][..], name].concat();
        names.push(sub.len() as u8);
        names.extend(sub);
        let custom = [&[4u8][..], b"name", &names].concat();
        wasm.push(0);
        wasm.push(custom.len() as u8);
        wasm.extend(custom);
        let module = parse_module(&wasm).expect("parses");
        assert_eq!(module.bodies, vec![vec![0, 0x0b]]);
        assert_eq!(module.names.get(&0).map(String::as_str), Some("_ZN6engine1f1gE"));
        assert_eq!(owner(&module.names[&0]), "engine::f");
        assert_eq!(module.data.len(), 8);
    }
}
