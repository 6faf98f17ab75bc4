//! ANSI SGR colour codes (`ESC [ … m`) in terminal output, turned into styled runs of text.
//!
//! Programs in containers and some docker output colour their text; a real terminal shows the
//! colours, and shows no escape bytes. Only SGR (select graphic rendition) is styled; every other
//! CSI sequence (cursor moves, erase) is dropped, since the scrollback is line-based.

/// The look of one run of text. Colours are indices into the 16-colour palette (0–7 normal, 8–15
/// bright), rendered through CSS classes so both themes choose their own shades.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub fg: Option<u8>,
    pub bg: Option<u8>,
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underline: bool,
    /// SGR 7: foreground and background swapped.
    pub inverse: bool,
}

impl Style {
    /// CSS classes for this style (`ansi-fg-1 ansi-bold`…); empty for plain text.
    pub fn classes(&self) -> String {
        let (fg, bg) = if self.inverse { (self.bg.or(Some(0)), self.fg.or(Some(7))) } else { (self.fg, self.bg) };
        let mut classes = Vec::new();
        if let Some(colour) = fg {
            classes.push(format!("ansi-fg-{colour}"));
        }
        if let Some(colour) = bg {
            classes.push(format!("ansi-bg-{colour}"));
        }
        for (on, name) in [(self.bold, "ansi-bold"), (self.dim, "ansi-dim"), (self.italic, "ansi-italic"), (self.underline, "ansi-underline")] {
            if on {
                classes.push(name.to_string());
            }
        }
        classes.join(" ")
    }
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

/// Whether `text` holds any escape sequence at all: most output does not, and skips [`parse`].
pub fn has_escapes(text: &str) -> bool {
    text.contains('\u{1b}')
}

/// Splits `text` into styled spans, starting from the default style. Unknown or malformed
/// sequences are swallowed rather than shown as garbage; text is never lost.
pub fn parse(text: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut style = Style::default();
    let mut run = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            run.push(c);
            continue;
        }
        if chars.peek() != Some(&'[') {
            // A lone ESC or a non-CSI escape: drop it with its intermediate bytes (`ESC ( B`
            // selects a character set) and its final byte.
            while chars.next_if(|c| (' '..='/').contains(c)).is_some() {}
            chars.next();
            continue;
        }
        chars.next();
        // CSI: parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, then one final byte 0x40–0x7E.
        let mut params = String::new();
        let mut last = None;
        for next in chars.by_ref() {
            if ('\u{40}'..='\u{7e}').contains(&next) {
                last = Some(next);
                break;
            }
            params.push(next);
        }
        if last != Some('m') {
            continue;
        }
        let next_style = apply_sgr(style, &params);
        if next_style != style {
            flush(&mut spans, &mut run, style);
            style = next_style;
        }
    }
    flush(&mut spans, &mut run, style);
    spans
}

/// Text with every escape sequence removed: what a screen reader or a copy should get.
pub fn strip(text: &str) -> String {
    if !has_escapes(text) {
        return text.to_string();
    }
    parse(text).into_iter().map(|span| span.text).collect()
}

fn flush(spans: &mut Vec<Span>, run: &mut String, style: Style) {
    if run.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.style == style => last.text.push_str(run),
        _ => spans.push(Span { text: run.clone(), style }),
    }
    run.clear();
}

/// The style after one SGR sequence's parameters (`1;31`, empty = reset).
fn apply_sgr(mut style: Style, params: &str) -> Style {
    let codes: Vec<u16> = params.split([';', ':']).map(|p| p.parse().unwrap_or(0)).collect();
    let mut index = 0;
    while index < codes.len() {
        let code = codes[index];
        match code {
            0 => style = Style::default(),
            1 => style.bold = true,
            2 => style.dim = true,
            3 => style.italic = true,
            4 => style.underline = true,
            7 => style.inverse = true,
            22 => {
                style.bold = false;
                style.dim = false;
            }
            23 => style.italic = false,
            24 => style.underline = false,
            27 => style.inverse = false,
            30..=37 => style.fg = Some((code - 30) as u8),
            39 => style.fg = None,
            40..=47 => style.bg = Some((code - 40) as u8),
            49 => style.bg = None,
            90..=97 => style.fg = Some((code - 90 + 8) as u8),
            100..=107 => style.bg = Some((code - 100 + 8) as u8),
            38 | 48 => {
                // 256-colour (`38;5;N`) maps its first 16 entries onto the palette; truecolour
                // (`38;2;R;G;B`) and the cube are skipped, the text keeps its current colour.
                let colour = match codes.get(index + 1) {
                    Some(5) => {
                        let n = codes.get(index + 2).copied();
                        index += 2;
                        n.filter(|n| *n < 16).map(|n| n as u8)
                    }
                    Some(2) => {
                        index += 4;
                        None
                    }
                    _ => None,
                };
                if let Some(colour) = colour {
                    if code == 38 {
                        style.fg = Some(colour);
                    } else {
                        style.bg = Some(colour);
                    }
                }
            }
            _ => {}
        }
        index += 1;
    }
    style
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Span {
        Span { text: text.to_string(), style: Style::default() }
    }

    #[test]
    fn text_without_escapes_is_one_plain_span() {
        assert!(!has_escapes("hello"));
        assert_eq!(parse("hello"), vec![plain("hello")]);
        assert_eq!(parse(""), vec![]);
    }

    #[test]
    fn colour_then_reset_splits_the_text() {
        let spans = parse("a\u{1b}[31mred\u{1b}[0m b");
        assert_eq!(spans.len(), 3);
        assert_eq!(spans[0], plain("a"));
        assert_eq!(spans[1].text, "red");
        assert_eq!(spans[1].style.fg, Some(1));
        assert_eq!(spans[2], plain(" b"));
    }

    #[test]
    fn combined_and_bright_codes() {
        let spans = parse("\u{1b}[1;92mok\u{1b}[m");
        assert_eq!(spans, vec![Span { text: "ok".into(), style: Style { fg: Some(10), bold: true, ..Style::default() } }]);
        assert_eq!(spans[0].style.classes(), "ansi-fg-10 ansi-bold");
    }

    #[test]
    fn styles_accumulate_until_switched_off() {
        let spans = parse("\u{1b}[4mu\u{1b}[33my\u{1b}[24mz\u{1b}[39mn");
        let looks: Vec<(&str, Option<u8>, bool)> = spans.iter().map(|s| (s.text.as_str(), s.style.fg, s.style.underline)).collect();
        assert_eq!(looks, vec![("u", None, true), ("y", Some(3), true), ("z", Some(3), false), ("n", None, false)]);
    }

    #[test]
    fn palette_256_maps_low_entries_and_skips_truecolour() {
        assert_eq!(parse("\u{1b}[38;5;4mx")[0].style.fg, Some(4));
        assert_eq!(parse("\u{1b}[48;5;9mx")[0].style.bg, Some(9));
        let truecolour = parse("\u{1b}[38;2;10;20;30;1mx");
        assert_eq!(truecolour[0].style.fg, None);
        assert!(truecolour[0].style.bold, "codes after the RGB triple still apply");
    }

    #[test]
    fn other_sequences_vanish_without_eating_text() {
        assert_eq!(strip("\u{1b}[2K\u{1b}[1Aline\u{1b}(B!"), "line!");
        assert_eq!(strip("cut off \u{1b}[31"), "cut off ");
        assert_eq!(strip("a\u{1b}"), "a");
    }

    #[test]
    fn inverse_swaps_colours_with_defaults() {
        let spans = parse("\u{1b}[7mx");
        assert_eq!(spans[0].style.classes(), "ansi-fg-0 ansi-bg-7");
    }

    #[test]
    fn redundant_codes_do_not_split_runs() {
        assert_eq!(parse("a\u{1b}[0mb\u{1b}[39mc"), vec![plain("abc")]);
    }
}
