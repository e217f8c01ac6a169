//! Where the cursor is in a model, read from the lines of text alone, so that completion
//! works in a half-typed document that does not parse.
//!
//! The lines above the cursor give the keys it sits under, by indentation (`outputs:` then an
//! item then `leads_to:`); the cursor's own line is read up to the cursor, flow collections
//! (`[a, {to: b`) included. What is not understood gives a shorter path, never a panic.

use std::ops::Range;

/// One step from the top of the document towards the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The value of a key.
    Key(String),
    /// An entry of a list.
    Item,
}

/// What is being typed at the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// A key of the mapping at the path.
    Key,
    /// The value at the path: a scalar, or a list entry when the path ends in an item.
    Value,
    /// A new list entry (after `- `), which may be a scalar or the first key of a mapping.
    Entry,
}

/// The cursor's place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The keys and list entries from the top of the document to the cursor.
    pub path: Vec<Step>,
    /// What is being typed.
    pub at: At,
    /// The bytes of the word being typed, which a completion replaces.
    pub word: Range<usize>,
    /// The list entry or value typed so far, up to the cursor, without quotes (for
    /// `"from -> to"` links).
    pub typed: String,
    /// Whether the line holds nothing after the cursor, so that a key can bring its `: `.
    pub line_ends: bool,
}

impl Context {
    /// The keys of the path, without the list entries.
    pub fn keys(&self) -> Vec<&str> {
        self.path
            .iter()
            .filter_map(|s| match s {
                Step::Key(k) => Some(k.as_str()),
                Step::Item => None,
            })
            .collect()
    }
}

/// A line read for its structure: the columns of its list dashes, where its content starts,
/// and the key its content starts with.
struct Line<'a> {
    dashes: Vec<usize>,
    content: usize,
    key: Option<&'a str>,
    /// The byte after the key's colon, when there is a key.
    after_key: usize,
}

/// Reads the structure of `line` (a line's text, or its beginning).
fn read_line(line: &str) -> Line<'_> {
    let bytes = line.as_bytes();
    let mut i = bytes.iter().take_while(|&&b| b == b' ').count();
    let mut dashes = Vec::new();
    while bytes.get(i) == Some(&b'-') && matches!(bytes.get(i + 1), None | Some(b' ')) {
        dashes.push(i);
        i += 1;
        i += bytes[i..].iter().take_while(|&&b| b == b' ').count();
    }
    let content = i;
    let rest = &line[content..];
    let (key, after_key) = match key_of(rest) {
        Some((key, colon)) => (Some(key), content + colon + 1),
        None => (None, content),
    };
    Line {
        dashes,
        content,
        key,
        after_key,
    }
}

/// The plain key `text` starts with (`key:` followed by a space or the end), if any, and
/// the byte of its colon.
fn key_of(text: &str) -> Option<(&str, usize)> {
    if text.starts_with(['[', '{', '"', '\'', '#', '&', '*', '!', '|', '>']) {
        return None;
    }
    let mut search = 0;
    while let Some(i) = text[search..].find(':').map(|i| i + search) {
        let next = text.as_bytes().get(i + 1);
        if matches!(next, None | Some(b' ' | b'\t' | b'\r')) {
            let key = text[..i].trim_end();
            let plain = !key.is_empty() && !key.contains(['[', '{', ',', '#']);
            return plain.then_some((key, i));
        }
        search = i + 1;
    }
    None
}

/// Whether a line holds nothing for structure: blank, a comment, or a document marker.
fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#') || t == "---"
}

/// The cursor's place at byte `offset` of `text`.
pub fn at(text: &str, offset: usize) -> Context {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let prefix = &text[line_start..offset];
    let line_ends = text[offset..line_end].trim().is_empty();
    let here = read_line(prefix);

    // The steps this line contributes, and the columns an ancestor must be left of.
    let mut tail: Vec<Step> = here.dashes.iter().map(|_| Step::Item).collect();
    let (mut key_limit, mut dash_limit) = match here.dashes.first() {
        // A list's dashes may stand in the column of its key (`leads_to:` / `- a`).
        Some(&d) => (d + 1, d),
        None => (here.content, here.content),
    };
    let mut ancestors = Vec::new();
    for line in text[..line_start].lines().rev() {
        if key_limit == 0 {
            break;
        }
        if is_blank(line) {
            continue;
        }
        let above = read_line(line);
        if let Some(key) = above.key
            && above.content < key_limit
        {
            ancestors.push(Step::Key(key.to_string()));
            key_limit = above.content;
            dash_limit = above.content;
        }
        for &d in above.dashes.iter().rev() {
            if d < dash_limit {
                ancestors.push(Step::Item);
                dash_limit = d;
                key_limit = d + 1;
            }
        }
    }
    ancestors.reverse();

    let (value_start, mut at) = match here.key {
        Some(key) => {
            tail.push(Step::Key(key.to_string()));
            (here.after_key, At::Value)
        }
        None if !here.dashes.is_empty() => (here.content, At::Entry),
        None => (here.content, At::Key),
    };
    let value = &prefix[value_start.min(prefix.len())..];
    let flow = scan_flow(value);
    if flow.opened {
        tail.extend(flow.steps);
        at = flow.at;
    }
    let typed = value[flow.entry_start.min(value.len())..]
        .trim_start()
        .trim_start_matches(['"', '\''])
        .to_string();
    let word_len = prefix
        .chars()
        .rev()
        .take_while(|&c| !c.is_whitespace() && !"[]{},:\"'".contains(c))
        .map(char::len_utf8)
        .sum::<usize>();
    let mut path = ancestors;
    path.extend(tail);
    Context {
        path,
        at,
        word: offset - word_len..offset,
        typed,
        line_ends,
    }
}

/// What a value's flow collections say about the cursor at its end.
struct Flow {
    /// Whether the value opens a flow collection still open at the cursor.
    opened: bool,
    steps: Vec<Step>,
    at: At,
    /// Where the entry being typed starts in the value.
    entry_start: usize,
}

/// Scans `value` (the text after a key's colon, up to the cursor) for open `[` and `{`.
fn scan_flow(value: &str) -> Flow {
    enum Frame {
        Seq,
        Map { key: Option<String>, in_value: bool },
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut quote: Option<char> = None;
    let mut token_start = 0;
    let mut entry_start = 0;
    let mut chars = value.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '#' if value[..i].ends_with(' ') => break,
            '[' => {
                stack.push(Frame::Seq);
                token_start = i + 1;
                entry_start = i + 1;
            }
            '{' => {
                stack.push(Frame::Map {
                    key: None,
                    in_value: false,
                });
                token_start = i + 1;
                entry_start = i + 1;
            }
            ']' | '}' => {
                stack.pop();
                token_start = i + 1;
            }
            ',' => {
                if let Some(Frame::Map { key, in_value }) = stack.last_mut() {
                    *key = None;
                    *in_value = false;
                }
                token_start = i + 1;
                entry_start = i + 1;
            }
            ':' if matches!(chars.peek(), None | Some((_, ' '))) => {
                if let Some(Frame::Map { key, in_value }) = stack.last_mut() {
                    *key = Some(value[token_start..i].trim().to_string());
                    *in_value = true;
                    entry_start = i + 1;
                }
            }
            _ => {}
        }
    }
    let mut steps = Vec::new();
    let mut at = At::Value;
    for (n, frame) in stack.iter().enumerate() {
        let last = n + 1 == stack.len();
        match frame {
            Frame::Seq => {
                steps.push(Step::Item);
                at = At::Value;
            }
            Frame::Map {
                key: Some(k),
                in_value: true,
            } => {
                steps.push(Step::Key(k.clone()));
                at = At::Value;
            }
            Frame::Map { .. } => {
                // Only the innermost mapping can be waiting for a key.
                if last {
                    at = At::Key;
                }
            }
        }
    }
    Flow {
        opened: !stack.is_empty(),
        steps,
        at,
        entry_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str) -> Context {
        let offset = text.find('|').expect("cursor");
        let text = text.replacen('|', "", 1);
        at(&text, offset)
    }

    fn path(c: &Context) -> Vec<String> {
        c.path
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Item => "-".into(),
            })
            .collect()
    }

    #[test]
    fn a_flow_list_after_leads_to_is_a_list_of_node_ids() {
        let c = ctx("title: t\noutputs:\n  - id: a\n    label: A\n    leads_to: [b, s|\n");
        assert_eq!(path(&c), ["outputs", "-", "leads_to", "-"]);
        assert_eq!(c.at, At::Value);
        assert_eq!(c.typed, "s");
        let c = ctx("outputs:\n  - {id: a, leads_to: [{to: |");
        assert_eq!(path(&c), ["outputs", "-", "leads_to", "-", "to"]);
        assert_eq!(c.at, At::Value);
    }

    #[test]
    fn block_lists_and_mappings_find_their_keys_by_indentation() {
        let c = ctx("outputs:\n  - id: a\n    leads_to:\n      - b\n      - |");
        assert_eq!(path(&c), ["outputs", "-", "leads_to", "-"]);
        assert_eq!(c.at, At::Entry);
        // The dashes of an indentless list stand in the column of their key.
        let c = ctx("outputs:\n- id: a\n  leads_to:\n  - to: |");
        assert_eq!(path(&c), ["outputs", "-", "leads_to", "-", "to"]);
        assert_eq!(c.at, At::Value);
        let c = ctx("measures:\n  - id: m\n    label: M\n\n    # a comment\n    sou|");
        assert_eq!(path(&c), ["measures", "-"]);
        assert_eq!((c.at, c.typed.as_str()), (At::Key, "sou"));
        let c = ctx("measures:\n  - id: m\n    source: |");
        assert_eq!(path(&c), ["measures", "-", "source"]);
        let c = ctx("ti|");
        assert!(c.path.is_empty());
        assert_eq!(c.at, At::Key);
    }

    #[test]
    fn a_key_ending_in_wide_white_space_is_read_without_slicing_a_character() {
        let c = ctx("k\u{3000}: |");
        assert_eq!(path(&c), ["k"]);
        assert_eq!(c.at, At::Value);
    }

    #[test]
    fn a_link_in_applies_to_is_typed_inside_its_quotes() {
        let c = ctx("assumptions:\n  - id: x\n    applies_to: [\"a -> |\"]\n");
        assert_eq!(path(&c), ["assumptions", "-", "applies_to", "-"]);
        assert_eq!(c.typed, "a -> ");
        assert_eq!(c.word.len(), 0);
        let c = ctx("assumptions:\n  - id: x\n    applies_to:\n      - a -> b|\n");
        assert_eq!(c.typed, "a -> b");
        assert_eq!(c.at, At::Entry);
    }
}
