//! Stage 1: source text to a YAML tree that keeps the byte span of every key and value.
//!
//! Built on `saphyr-parser`'s event stream rather than a ready-made document loader so that
//! the tree can be bounded while it is built: nesting depth, total node count and alias
//! expansion are all counted, and a breach stops parsing at once with one diagnostic.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Resource bounds applied while reading a model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_file_size: usize,
    /// Deepest accepted nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most YAML values the tree may hold.
    pub max_nodes: usize,
    /// Most YAML values that aliases may copy in, in all.
    pub max_alias_values: usize,
    /// Most nodes (boxes) a model may have across its six stages.
    pub max_model_nodes: usize,
    /// Most `leads_to` links a model may have.
    pub max_links: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 10 * 1024 * 1024,
            // A model is five levels deep; 64 leaves room for anything legitimate.
            max_depth: 64,
            // Several times the YAML of a 10 000-node model, so real models never meet it.
            max_nodes: 1_000_000,
            // Aliases are rare in models; this bounds an alias bomb to a few megabytes.
            max_alias_values: 100_000,
            // Twice the largest model the benchmarks draw; a diagram beyond it is unreadable.
            max_model_nodes: 20_000,
            max_links: 100_000,
        }
    }
}

impl Limits {
    /// How many bytes to read from a model file: one past the size limit, so that a larger
    /// file is known to be too large without being read whole. Saturates, so that a limit of
    /// `u64::MAX` reads everything rather than wrapping round to nothing.
    pub fn read_cap(&self) -> u64 {
        u64::try_from(self.max_file_size)
            .unwrap_or(u64::MAX)
            .saturating_add(1)
    }

    /// Each limit with its name in this struct, which the book's `{{#elmo-limit NAME}}`
    /// directive uses so that the book states the numbers the code has.
    pub fn named(&self) -> [(&'static str, usize); 6] {
        [
            ("max_file_size", self.max_file_size),
            ("max_depth", self.max_depth),
            ("max_nodes", self.max_nodes),
            ("max_alias_values", self.max_alias_values),
            ("max_model_nodes", self.max_model_nodes),
            ("max_links", self.max_links),
        ]
    }
}

/// A YAML value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Yaml {
    /// What the value is.
    pub kind: YamlKind,
    /// Where the value was written (for an alias, where the anchored value was written).
    pub span: Span,
}

/// The shape of a YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum YamlKind {
    /// A scalar: its text, and whether it was written plain (unquoted, so `null`, `true`
    /// and numbers keep their YAML meaning).
    Scalar {
        /// The scalar's text after unescaping.
        text: String,
        /// Whether the scalar was unquoted and not a block scalar.
        plain: bool,
    },
    /// A sequence of values.
    Seq(Vec<Yaml>),
    /// A mapping, in file order.
    Map(Vec<(Yaml, Yaml)>),
}

impl Yaml {
    /// Whether the value is YAML null (`~`, `null`, or nothing at all).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, YamlKind::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A word for the kind of value, for messages ("a list", "text").
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            YamlKind::Seq(_) => "a list",
            YamlKind::Map(_) => "a mapping",
            YamlKind::Scalar { .. } if self.is_null() => "nothing",
            YamlKind::Scalar { .. } => "a single value",
        }
    }

    fn count(&self) -> usize {
        match &self.kind {
            YamlKind::Scalar { .. } => 1,
            YamlKind::Seq(items) => 1 + items.iter().map(Yaml::count).sum::<usize>(),
            YamlKind::Map(pairs) => {
                1 + pairs
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
        }
    }
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Yaml>,
    },
    Map {
        start: usize,
        anchor: usize,
        pairs: Vec<(Yaml, Yaml)>,
        key: Option<Yaml>,
    },
}

/// Parses `src` into one YAML document, within `limits`.
///
/// Returns a single diagnostic when the text is not YAML, holds more than one document, or
/// breaches a limit.
pub fn parse(src: &str, limits: &Limits) -> Result<Yaml, Box<Diagnostic>> {
    if src.len() > limits.max_file_size {
        return Err(Box::new(too_large(src.len(), limits)));
    }
    let offsets = CharOffsets::new(src);
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<(usize, Yaml, usize)> = Vec::new();
    let mut nodes = 0usize;
    let mut alias_values = 0usize;
    let mut docs = 0usize;
    let mut root: Option<Yaml> = None;

    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| Box::new(scan_error(src, &offsets, &e, &stack)))?;
        let span = Span::new(
            offsets.byte(span.start.index()),
            offsets.byte(span.end.index()),
        );
        let done: Option<(Yaml, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    return Err(Box::new(
                        Diagnostic::new(
                            Code::YamlSyntax,
                            "the file holds more than one YAML document",
                            span,
                        )
                        .with_help("a model is one document: remove the `---` separator and what follows, or move it to its own file"),
                    ));
                }
                None
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let plain = matches!(style, ScalarStyle::Plain);
                let kind = YamlKind::Scalar {
                    text: text.into_owned(),
                    plain,
                };
                Some((Yaml { kind, span }, anchor))
            }
            Event::Alias(id) => {
                let Some((_, value, size)) = anchors.iter().rev().find(|(a, _, _)| *a == id) else {
                    return Err(Box::new(Diagnostic::new(
                        Code::YamlSyntax,
                        "this alias names no anchor",
                        span,
                    )));
                };
                // Count the copy before making it, so an alias bomb is refused without
                // ever being expanded.
                alias_values = alias_values.saturating_add(*size);
                nodes = nodes.saturating_add(*size);
                if alias_values > limits.max_alias_values || nodes > limits.max_nodes {
                    return Err(Box::new(alias_limit(span, limits)));
                }
                Some((value.clone(), 0))
            }
            Event::SequenceStart(anchor, _) => {
                push(&mut stack, limits, span)?;
                stack.push(Frame::Seq {
                    start: span.start,
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                push(&mut stack, limits, span)?;
                stack.push(Frame::Map {
                    start: span.start,
                    anchor,
                    pairs: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                }) => Some((
                    Yaml {
                        kind: YamlKind::Seq(items),
                        span: Span::new(start, span.end.max(start)),
                    },
                    anchor,
                )),
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    start,
                    anchor,
                    pairs,
                    ..
                }) => Some((
                    Yaml {
                        kind: YamlKind::Map(pairs),
                        span: Span::new(start, span.end.max(start)),
                    },
                    anchor,
                )),
                _ => None,
            },
        };
        let Some((value, anchor)) = done else {
            continue;
        };
        nodes += 1;
        if nodes > limits.max_nodes {
            return Err(Box::new(
                Diagnostic::new(
                    Code::LimitExceeded,
                    format!("the file holds more than {} YAML values", limits.max_nodes),
                    value.span,
                )
                .with_help("split the model into smaller files"),
            ));
        }
        if anchor != 0 {
            let size = value.count();
            anchors.push((anchor, value.clone(), size));
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { pairs, key, .. }) => match key.take() {
                None => *key = Some(value),
                Some(k) => pairs.push((k, value)),
            },
        }
    }
    Ok(root.unwrap_or(Yaml {
        kind: YamlKind::Scalar {
            text: String::new(),
            plain: true,
        },
        span: Span::new(0, 0),
    }))
}

/// `comment-in-text` warnings: unquoted text followed on its line by a comment that looks like
/// part of the text (a single space before the `#`, or none after it), which YAML drops.
pub fn comments_in_text(src: &str, root: &Yaml) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // An alias repeats its anchor's value and span; each place is reported once.
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<(&Yaml, Option<&str>)> = vec![(root, None)];
    while let Some((value, key)) = stack.pop() {
        match &value.kind {
            YamlKind::Scalar { text, plain: true } => {
                if seen.insert(value.span.end)
                    && let Some(d) = comment_in_text(src, value, text, key)
                {
                    out.push(d);
                }
            }
            YamlKind::Scalar { .. } => {}
            YamlKind::Seq(items) => stack.extend(items.iter().rev().map(|v| (v, None))),
            YamlKind::Map(pairs) => stack.extend(pairs.iter().rev().map(|(k, v)| {
                let key = match &k.kind {
                    YamlKind::Scalar { text, .. } => Some(text.as_str()),
                    _ => None,
                };
                (v, key)
            })),
        }
    }
    out
}

fn comment_in_text(src: &str, value: &Yaml, text: &str, key: Option<&str>) -> Option<Diagnostic> {
    if value.is_null() || is_number_or_bool(text) || value.span.end > src.len() {
        return None;
    }
    let line = &src[value.span.end..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let comment = line.trim_start_matches([' ', '\t']);
    let after = comment.strip_prefix('#')?;
    let hash = value.span.end + (line.len() - comment.len());
    let gap = src[..hash].len() - src[..hash].trim_end_matches([' ', '\t']).len();
    let glued = after.starts_with(|c: char| !c.is_whitespace());
    if gap != 1 && !glued {
        return None;
    }
    // What was meant as text ends where a comment set off with two spaces begins.
    let comment =
        comment[..comment.find("  #").unwrap_or(comment.len())].trim_end_matches([' ', '\t', '\r']);
    let span = Span::new(hash, hash + comment.len());
    let what = key.map_or("the list item".to_string(), |k| format!("`{k}`"));
    let whole = format!("{text}{}{comment}", &src[hash - gap..hash]);
    let quoted = if whole.len() <= 80 {
        format!("\"{}\"", whole.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        "\"...\"".to_string()
    };
    let example = key.map_or(quoted.clone(), |k| format!("{k}: {quoted}"));
    Some(
        Diagnostic::new(
            Code::CommentInText,
            format!(
                "{what} ends at `{}`: YAML reads `{}` as a comment",
                clip_end(text, 40),
                clip_start(comment, 40)
            ),
            span,
        )
        .with_help(format!(
            "to keep the `#` and what follows, quote the whole value: {example}; if it is a comment, put two spaces before the `#` and one after"
        )),
    )
}

/// Whether a plain scalar is a number, a boolean or infinity/NaN to YAML rather than text.
fn is_number_or_bool(text: &str) -> bool {
    let t = text.trim();
    t.parse::<f64>().is_ok()
        || matches!(t, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
        || non_finite(t).is_some()
        || t.strip_prefix("0x")
            .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
        || t.strip_prefix("0o")
            .is_some_and(|o| !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b)))
}

/// The value of YAML's infinity and not-a-number spellings (`.inf`, `-.Inf`, `.NaN`, …).
pub fn non_finite(text: &str) -> Option<f64> {
    let (sign, rest) = match text.trim().as_bytes().first() {
        Some(b'-') => (-1.0, &text.trim()[1..]),
        Some(b'+') => (1.0, &text.trim()[1..]),
        _ => (1.0, text.trim()),
    };
    match rest {
        ".inf" | ".Inf" | ".INF" => Some(sign * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if text.trim() == rest => Some(f64::NAN),
        _ => None,
    }
}

/// The start of `s`, at most `n` characters, with `…` for what was left out.
fn clip_start(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The end of `s`, at most `n` characters, with `…` for what was left out.
fn clip_end(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        return s.to_string();
    }
    let start = s.char_indices().nth(count - n).map_or(0, |(i, _)| i);
    format!("…{}", &s[start..])
}

/// The diagnostic for a file over `limits.max_file_size` bytes.
pub fn too_large(len: usize, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        Code::LimitExceeded,
        format!("the file is over the limit of {} bytes", limits.max_file_size),
        Span::new(0, 0),
    )
    .with_help(format!(
        "the file has at least {len} bytes: split the model, or raise the limit with `--max-file-size`"
    ))
}

fn push(stack: &mut [Frame], limits: &Limits, span: Span) -> Result<(), Box<Diagnostic>> {
    if stack.len() >= limits.max_depth {
        return Err(Box::new(
            Diagnostic::new(
                Code::LimitExceeded,
                format!("values nest more than {} levels deep", limits.max_depth),
                span,
            )
            .with_help("a model needs only a few levels: stages, nodes, and their fields"),
        ));
    }
    Ok(())
}

fn alias_limit(span: Span, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        Code::LimitExceeded,
        format!(
            "aliases expand to more than {} YAML values",
            limits.max_alias_values
        ),
        span,
    )
    .with_help("this looks like an alias bomb: write the values out, or use fewer nested aliases")
}

fn scan_error(src: &str, offsets: &CharOffsets, e: &ScanError, stack: &[Frame]) -> Diagnostic {
    let at = offsets.byte(e.marker().index());
    let end = src[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let info = e.info();
    let mut d = Diagnostic::new(
        Code::YamlSyntax,
        format!("invalid YAML: {info}"),
        Span::new(at, end),
    );
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    if info.contains("tab") || src[line_start..].starts_with('\t') {
        if let Some(tabs) = indenting_tabs(src, line_start) {
            d.span = tabs;
        }
        d = d.with_help("YAML indents with spaces only: replace the tab characters with spaces");
    } else if info.contains("recursion limit") {
        d = Diagnostic::new(
            Code::LimitExceeded,
            "flow collections nest too deeply",
            Span::new(at, end),
        );
    } else if let Some(open) = unclosed_bracket(src, stack, line_start) {
        let bracket = &src[open..open + 1];
        let (close, what) = if bracket == "[" {
            ("]", "list")
        } else {
            ("}", "mapping")
        };
        d = Diagnostic::new(
            Code::YamlSyntax,
            format!("invalid YAML: this `{bracket}` is never closed"),
            Span::new(open, open + 1),
        )
        .with_related(Span::new(at, end), "reading stopped here")
        .with_help(format!(
            "end the {what} with `{close}` on the same line; if the brackets are part of the text, quote the whole value"
        ));
    } else if let Some(help) = indicator_help(src, line_start, at) {
        d = d.with_help(help);
    } else if info.contains("mapping values are not allowed") {
        d = d.with_help(
            "a value containing `: ` must be quoted, e.g. label: \"Aim: fewer victims\"",
        );
    }
    d
}

/// The tabs in the indentation of the line at `line_start`, or of the next two lines: the
/// parser often stops at the end of the line before the tab.
fn indenting_tabs(src: &str, line_start: usize) -> Option<Span> {
    let mut start = line_start;
    for _ in 0..3 {
        let line = &src[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(first) = line[..indent].find('\t') {
            let run =
                line[first..indent].len() - line[first..indent].trim_start_matches('\t').len();
            return Some(Span::new(start + first, start + first + run));
        }
        start += line.len() + 1;
        if start > src.len() {
            break;
        }
    }
    None
}

/// The offset of the innermost `[` or `{` still open when the parser failed on the line at
/// `line_start`, when that line has gone back to the indentation of the bracket's own line
/// or less: the list was never closed, and the block that follows was read as part of it.
fn unclosed_bracket(src: &str, stack: &[Frame], line_start: usize) -> Option<usize> {
    let open = stack.iter().rev().find_map(|f| {
        let start = match f {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
        };
        matches!(src.as_bytes().get(start), Some(b'[' | b'{')).then_some(start)
    })?;
    let open_line = src[..open].rfind('\n').map_or(0, |i| i + 1);
    let indent = |from: usize| {
        let line = &src[from..];
        line.len() - line.trim_start_matches(' ').len()
    };
    (line_start > open_line && indent(line_start) <= indent(open_line)).then_some(open)
}

/// Help for a plain value whose first character means something else in YAML, such as
/// `label: [Draft] text` (a list followed by text), when the parser failed on that line
/// after the value began.
fn indicator_help(src: &str, line_start: usize, at: usize) -> Option<String> {
    let line = &src[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start_matches(' ');
    }
    let key = rest
        .find(": ")
        .filter(|&i| !rest[..i].contains(['[', '{', '"', '\'']))
        .map(|i| &rest[..i]);
    if let Some(k) = key {
        rest = rest[k.len() + 1..].trim_start_matches(' ');
    }
    let value_start = line_start + (line.len() - rest.len());
    if at < value_start {
        return None;
    }
    let what = match rest.chars().next()? {
        '[' => "starts a list",
        '{' => "starts a mapping",
        '"' | '\'' => "starts a quoted text, which must be the whole value",
        '*' => "starts an alias",
        '&' => "starts an anchor",
        '!' => "starts a tag",
        '|' | '>' => "starts a block of text",
        '@' | '`' => "is reserved in YAML",
        '%' => "starts a directive",
        _ => return None,
    };
    let value = rest.trim_end_matches([' ', '\r']);
    let first = &value[..1];
    let quoted = if value.len() <= 60 && !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else if value.len() <= 60 && !value.contains('\'') {
        format!("'{value}'")
    } else {
        "\"...\"".to_string()
    };
    let example = match key {
        Some(k) => format!("{k}: {quoted}"),
        None => quoted,
    };
    Some(format!(
        "`{first}` at the start of a value {what}: to write text that begins with it, quote the whole value, e.g. {example}"
    ))
}

/// Converts the parser's character indices into byte offsets.
struct CharOffsets {
    // Empty when the text is ASCII, where characters and bytes coincide.
    table: Vec<u32>,
    len: usize,
}

impl CharOffsets {
    fn new(src: &str) -> Self {
        let table = if src.is_ascii() {
            Vec::new()
        } else {
            src.char_indices().map(|(i, _)| i as u32).collect()
        };
        CharOffsets {
            table,
            len: src.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).map_or(self.len, |&b| b as usize)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Result<Yaml, Box<Diagnostic>> {
        parse(src, &Limits::default())
    }

    #[test]
    fn spans_point_at_values() {
        let src = "title: Hello\nlist: [a, bé]\n";
        let y = p(src).expect("parses");
        let YamlKind::Map(pairs) = &y.kind else {
            panic!("not a map")
        };
        assert_eq!(&src[pairs[0].1.span.start..pairs[0].1.span.end], "Hello");
        let YamlKind::Seq(items) = &pairs[1].1.kind else {
            panic!("not a seq")
        };
        assert_eq!(&src[items[1].span.start..items[1].span.end], "bé");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            src.push_str(&format!(
                "{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = c;
        }
        let err = p(&src).expect_err("bomb refused");
        assert_eq!(err.code, Code::LimitExceeded);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = "a:\n".to_string() + &"- ".repeat(200) + "x\n";
        assert_eq!(p(&src).expect_err("too deep").code, Code::LimitExceeded);
    }
}
