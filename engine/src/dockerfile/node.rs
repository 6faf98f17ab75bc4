//! The parse tree BuildKit's parser builds (one node per instruction, arguments as a chain), and
//! its `Dump()` rendering: `(copy ["--chown=me"] "src" "/dst")`, one line per instruction.

use serde::{Deserialize, Serialize};

use super::heredoc::Heredoc;

/// One node of the tree. An instruction node has its keyword in `value` (as written), its
/// arguments in `next`, and its builder flags in `flags`; an argument of ONBUILD is a node
/// with one child (the triggered instruction).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub value: String,
    /// The argument chain (BuildKit's `Next` list), flattened.
    pub next: Vec<Node>,
    pub children: Vec<Node>,
    /// Heredoc bodies attached to this instruction, in the order their names appear.
    pub heredocs: Vec<Heredoc>,
    /// The arguments were written as a JSON array (exec form).
    pub json: bool,
    /// The logical line the node was parsed from (continuations joined).
    pub original: String,
    /// Builder flags (`--from=x`) as written, before the arguments.
    pub flags: Vec<String>,
    /// First and last physical line (1-based) of the instruction, heredoc bodies included.
    pub start_line: usize,
    pub end_line: usize,
    /// Comment lines directly above the instruction, without the `#`.
    pub comments: Vec<String>,
}

impl Node {
    pub(crate) fn leaf(value: impl Into<String>) -> Node {
        Node {
            value: value.into(),
            ..Node::default()
        }
    }

    /// BuildKit's `Node.Dump()`.
    pub fn dump(&self) -> String {
        let mut out = self.value.to_lowercase();
        if !self.flags.is_empty() {
            let quoted: Vec<String> = self.flags.iter().map(|flag| go_quote(flag)).collect();
            out.push_str(&format!(" [{}]", quoted.join(" ")));
        }
        for child in &self.children {
            out.push('(');
            out.push_str(&child.dump());
            out.push_str(")\n");
        }
        for arg in &self.next {
            out.push(' ');
            if arg.children.is_empty() {
                out.push_str(&go_quote(&arg.value));
            } else {
                out.push_str(&arg.dump());
            }
        }
        out.trim().to_string()
    }

    /// The arguments as BuildKit's instruction parser sees them (ONBUILD's trigger inlined).
    pub fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for arg in &self.next {
            match arg.children.as_slice() {
                [] => args.push(arg.value.clone()),
                [sub] => {
                    args.push(sub.value.clone());
                    args.extend(sub.args());
                }
                _ => {}
            }
        }
        args
    }
}

/// Go's `strconv.Quote`: a double-quoted string with Go escapes; printable Unicode kept as is.
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_ascii() || is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `strconv.IsPrint` for non-ASCII characters without Unicode tables:
/// control, format, separator, private-use and noncharacter code points are not printable.
fn is_go_printable(ch: char) -> bool {
    let code = ch as u32;
    let format_characters = matches!(code,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x1D173..=0x1D17A
        | 0xE0001 | 0xE0020..=0xE007F);
    let private_or_nonchar =
        matches!(code, 0xE000..=0xF8FF | 0xF0000..) || (code & 0xFFFE) == 0xFFFE;
    !(ch.is_control() || ch.is_whitespace() || format_characters || private_or_nonchar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(
            go_quote("\" \\ / \u{8} \u{c} \n \r \t \u{0}"),
            r#""\" \\ / \b \f \n \r \t \x00""#
        );
        assert_eq!(go_quote("♥☃한"), "\"♥☃한\"");
        assert_eq!(go_quote("\u{a0}\u{feff}"), "\"\\u00a0\\ufeff\"");
    }

    #[test]
    fn dump_nests_onbuild_and_prints_flags() {
        let trigger = Node {
            value: "RUN".into(),
            next: vec![Node::leaf("echo hi")],
            ..Node::default()
        };
        let onbuild = Node {
            value: "ONBUILD".into(),
            next: vec![Node {
                children: vec![trigger],
                ..Node::default()
            }],
            ..Node::default()
        };
        assert_eq!(onbuild.dump(), "onbuild (run \"echo hi\")");
        let copy = Node {
            value: "COPY".into(),
            flags: vec!["--from=a".into(), "--link".into()],
            next: vec![Node::leaf("x"), Node::leaf("/y")],
            ..Node::default()
        };
        assert_eq!(copy.dump(), "copy [\"--from=a\" \"--link\"] \"x\" \"/y\"");
    }
}
