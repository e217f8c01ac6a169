//! A report [`Document`] as Markdown (GitHub flavour): headings, tables, lists.
//!
//! Model text is escaped so that a label can never become a link, emphasis, HTML or a broken
//! table: every Markdown punctuation character gets a backslash and line breaks become spaces.

use std::fmt::Write;

use super::document::{Block, Document, Inline, Table};

/// Escapes `s` for a table cell or inline text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
            | '!' => {
                out.push('\\');
                out.push(c);
            }
            // A line break would end the table row or the list item.
            '\n' | '\r' => out.push(' '),
            c if c.is_control() || crate::escape::is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A code span: backticks cannot be escaped inside one, and a line break or pipe would end
/// the table row, so they become spaces or quotes.
fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'").replace(['\n', '\r', '|'], " "))
}

/// A run of inlines as Markdown.
fn inlines(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Text(s) => out.push_str(&escape(s)),
            Inline::Strong(s) if !s.trim().is_empty() => {
                let _ = write!(out, "**{}**", escape(s.trim()));
            }
            Inline::Emphasis(s) if !s.trim().is_empty() => {
                let _ = write!(out, "*{}*", escape(s.trim()));
            }
            Inline::Strong(s) | Inline::Emphasis(s) => out.push_str(&escape(s)),
            Inline::Code(s) => out.push_str(&code(s)),
            Inline::Link { text, href } => {
                let _ = write!(
                    out,
                    "[{}](<{}>)",
                    escape(text),
                    href.replace(['<', '>', '\n', '\r', ' '], "")
                );
            }
        }
    }
    out
}

/// Escapes the marks that would open a list, a heading or a quote at the start of a block
/// whose text is already escaped.
fn block_start(e: String) -> String {
    let digits = e.chars().take_while(|c| c.is_ascii_digit()).count();
    let after = e[digits..].chars().next();
    if digits > 0 && matches!(after, Some('.' | ')')) {
        format!("{}\\{}", &e[..digits], &e[digits..])
    } else if e.starts_with(['-', '+', '=']) {
        format!("\\{e}")
    } else {
        e
    }
}

/// The document as Markdown. Markdown carries no pictures: figures (the diagram, the charts)
/// are left out, and so are page breaks.
pub fn markdown(doc: &Document) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Measurement framework: {}\n", escape(&doc.title));
    if let Some(f) = &doc.footer {
        let _ = writeln!(s, "*{}.*\n", escape(f));
    }
    for block in &doc.blocks {
        match block {
            Block::Heading { level, text, .. } => {
                let hashes = "#".repeat(usize::from((*level).clamp(1, 5)) + 1);
                let _ = writeln!(s, "{hashes} {}\n", escape(text));
            }
            Block::Paragraph(runs) => {
                let _ = writeln!(s, "{}\n", block_start(inlines(runs).trim().to_string()));
            }
            Block::List { ordered, items } => {
                for (i, item) in items.iter().enumerate() {
                    let mark = if *ordered {
                        format!("{}.", i + 1)
                    } else {
                        "-".to_string()
                    };
                    let _ = writeln!(
                        s,
                        "{mark} {}",
                        block_start(inlines(item).trim().to_string())
                    );
                }
                s.push('\n');
            }
            Block::Definitions(pairs) => {
                for (term, desc) in pairs {
                    let _ = writeln!(s, "- **{}:** {}", escape(term), inlines(desc).trim());
                }
                s.push('\n');
            }
            Block::Table(t) => table(&mut s, t),
            Block::Figure(_) | Block::PageBreak => {}
        }
    }
    s
}

fn table(s: &mut String, t: &Table) {
    let head: Vec<String> = t.header.iter().map(|h| escape(h)).collect();
    let _ = writeln!(s, "| {} |", head.join(" | "));
    let _ = writeln!(s, "|{}", "---|".repeat(t.header.len()));
    for row in &t.rows {
        let cells: Vec<String> = (0..t.header.len())
            .map(|i| {
                row.get(i)
                    .map(|c| inlines(c).trim().to_string())
                    .unwrap_or_default()
            })
            .collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_marks_are_escaped() {
        assert_eq!(escape("a|b*c_d<e>"), r"a\|b\*c\_d\<e\>");
        assert_eq!(escape("[x](javascript:y)"), r"\[x\](javascript:y)");
        assert_eq!(escape("two\nlines"), "two lines");
        assert_eq!(block_start(escape("1. first")), r"1\. first");
        assert_eq!(block_start(escape("- item")), r"\- item");
    }
}
