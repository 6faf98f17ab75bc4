//! A tiny Markdown reader for item text: paragraphs, lists, pipe tables, fenced code, and inline
//! `code`, **bold** and *italic*. Item authors use nothing else, and a full CommonMark parser
//! would weigh more than the lesson panel itself.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Bold(String),
    Italic(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List { ordered: bool, items: Vec<Vec<Inline>> },
    Code(String),
    /// A pipe table: the header row's cells, then the body rows' cells.
    Table { header: Vec<Vec<Inline>>, rows: Vec<Vec<Vec<Inline>>> },
}

/// The cells of a `| a | b |` row.
fn table_cells(line: &str) -> Vec<Vec<Inline>> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|cell| inlines(cell.trim())).collect()
}

/// A `|---|:--:|` row, which separates a table's header from its body.
fn is_table_rule(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|') && line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines = text.lines().peekable();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inlines(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut paragraph, &mut blocks);
            let mut code = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with("```") {
                    break;
                }
                code.push(inner);
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if trimmed.starts_with('|') && lines.peek().is_some_and(|next| is_table_rule(next)) {
            flush(&mut paragraph, &mut blocks);
            lines.next();
            let mut rows = Vec::new();
            while let Some(next) = lines.peek().filter(|next| next.trim().starts_with('|')) {
                rows.push(table_cells(next));
                lines.next();
            }
            blocks.push(Block::Table { header: table_cells(trimmed), rows });
        } else if let Some((ordered, first)) = list_item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut items = vec![first.to_string()];
            while let Some(next) = lines.peek() {
                let next_trimmed = next.trim();
                match list_item(next_trimmed) {
                    Some((same, text)) if same == ordered => items.push(text.to_string()),
                    // An indented line continues the item above it.
                    None if !next_trimmed.is_empty() && next.starts_with(' ') => {
                        if let Some(last) = items.last_mut() {
                            last.push(' ');
                            last.push_str(next_trimmed);
                        }
                    }
                    _ => break,
                }
                lines.next();
            }
            blocks.push(Block::List { ordered, items: items.iter().map(|item| inlines(item)).collect() });
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// `- item`, `* item` or `1. item`: whether it is numbered, and its text.
fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0).then(|| line[digits..].strip_prefix(". ")).flatten().map(|rest| (true, rest))
}

pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let span = if c == '`' {
            rest[1..].find('`').map(|end| (Inline::Code(rest[1..=end].to_string()), end + 2))
        } else if let Some(after) = rest.strip_prefix("**") {
            after.find("**").map(|end| (Inline::Bold(after[..end].to_string()), end + 4))
        } else if c == '*' && rest[1..].starts_with(|next: char| !next.is_whitespace()) {
            // `*word*`; a lone `*` (as in `2 * 3`) has whitespace after it and stays text.
            rest[1..].find('*').map(|end| (Inline::Italic(rest[1..=end].to_string()), end + 2))
        } else {
            None
        };
        match span {
            Some((inline, used)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(inline);
                rest = &rest[used..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    #[test]
    fn reads_paragraphs_lists_and_fences() {
        let text = "Each **instruction** is a layer.\nSecond line.\n\n- `COPY` copies\n  files in\n- `RUN` runs\n\n1. one\n2. two\n\n```dockerfile\nFROM alpine\nRUN echo hi\n```\nAfter.";
        assert_eq!(
            parse(text),
            vec![
                Block::Paragraph(vec![Text("Each ".into()), Bold("instruction".into()), Text(" is a layer. Second line.".into())]),
                Block::List { ordered: false, items: vec![vec![Code("COPY".into()), Text(" copies files in".into())], vec![Code("RUN".into()), Text(" runs".into())]] },
                Block::List { ordered: true, items: vec![vec![Text("one".into())], vec![Text("two".into())]] },
                Block::Code("FROM alpine\nRUN echo hi".into()),
                Block::Paragraph(vec![Text("After.".into())]),
            ]
        );
    }

    #[test]
    fn reads_pipe_tables() {
        let blocks = parse("| Command | Does |\n|---|:--|\n| `ps` | lists |\n| `rm` | removes |\nAfter.");
        assert_eq!(
            blocks,
            vec![
                Block::Table {
                    header: vec![vec![Text("Command".into())], vec![Text("Does".into())]],
                    rows: vec![vec![vec![Code("ps".into())], vec![Text("lists".into())]], vec![vec![Code("rm".into())], vec![Text("removes".into())]]],
                },
                Block::Paragraph(vec![Text("After.".into())]),
            ]
        );
        // A lone pipe line without a rule under it stays a paragraph.
        assert_eq!(parse("| not a table"), vec![Block::Paragraph(vec![Text("| not a table".into())])]);
    }

    #[test]
    fn unclosed_marks_stay_text() {
        assert_eq!(inlines("a `b and **c"), vec![Text("a `b and **c".into())]);
        assert_eq!(inlines("é `ü`"), vec![Text("é ".into()), Code("ü".into())]);
        assert_eq!(inlines("is *Exited (0)* now"), vec![Text("is ".into()), Italic("Exited (0)".into()), Text(" now".into())]);
        assert_eq!(inlines("2 * 3"), vec![Text("2 * 3".into())]);
    }
}
