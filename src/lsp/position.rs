//! Byte offsets and spans to the protocol's positions and back.
//!
//! elmo's spans are byte offsets into UTF-8 text; the protocol counts lines from 0 and
//! characters in UTF-16 code units, so an `é` is one unit and an emoji two. Every position the
//! server sends or reads goes through [`LineIndex`].

use lsp_types::{Position, Range};

use crate::span::Span;

/// The line starts of one text, to turn offsets into positions and back.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`. A line ends at `\n`, `\r\n` or a lone `\r`, the
    /// three breaks the protocol names, so a position means the same line to every editor.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if b == b'\n' || lone_cr {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The bytes of 0-based `line`, without its line break; an empty range at the end for a
    /// line past the last.
    pub fn line(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let Some(&start) = self.starts.get(line) else {
            return text.len()..text.len();
        };
        let Some(&next) = self.starts.get(line + 1) else {
            return start..text.len();
        };
        let bytes = text.as_bytes();
        let mut end = next - 1;
        if bytes.get(end) == Some(&b'\n') && end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// The position of byte `offset`, clamped to the text, moved back to the start of the
    /// character it falls inside, and to the end of its line when it falls inside a `\r\n`
    /// (the protocol has no position between the two).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let range = self.line(text, line);
        let offset = offset.clamp(range.start, range.end);
        let character = text[range.start..offset].encode_utf16().count();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of `position`: a line past the end is the end of the text, a
    /// character past the end of its line is the end of the line, and a character in the
    /// middle of a surrogate pair is the start of that character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line(text, line);
        let mut units = 0usize;
        for (i, c) in text[range.clone()].char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return range.start + i;
            }
        }
        range.end
    }

    /// The range of `span`.
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The bytes `range` covers.
    pub fn span(&self, text: &str, range: Range) -> Span {
        Span::new(self.offset(text, range.start), self.offset(text, range.end))
    }
}

/// A count as the protocol's `u32`, saturating on texts no editor would send.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_after_non_ascii_text() {
        let text = "a: é😀x\nb: y\n";
        let index = LineIndex::new(text);
        let x = text.find('x').expect("x");
        // `a: ` is 3 units, `é` one, the emoji two.
        assert_eq!(index.position(text, x), Position::new(0, 6));
        assert_eq!(index.offset(text, Position::new(0, 6)), x);
        let y = text.find('y').expect("y");
        assert_eq!(index.position(text, y), Position::new(1, 3));
        assert_eq!(index.offset(text, Position::new(1, 3)), y);
    }

    #[test]
    fn offsets_out_of_range_are_clamped() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, Position::new(0, 99)), 2);
        assert_eq!(index.offset(text, Position::new(7, 0)), text.len());
        assert_eq!(index.position(text, 99), Position::new(1, 2));
        // Inside the emoji's surrogate pair: the start of the emoji.
        let text = "😀z";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, Position::new(0, 1)), 0);
        assert_eq!(index.position(text, 2), Position::new(0, 0));
    }

    #[test]
    fn every_line_break_the_protocol_names_ends_a_line() {
        let text = "a\nb\r\nc\rd\r";
        let index = LineIndex::new(text);
        for (c, line) in [('a', 0), ('b', 1), ('c', 2), ('d', 3)] {
            let at = text.find(c).expect("letter");
            assert_eq!(index.position(text, at), Position::new(line, 0), "{c}");
            assert_eq!(index.offset(text, Position::new(line, 0)), at, "{c}");
            assert_eq!(index.line(text, line as usize), at..at + 1, "{c}");
        }
        // A lone `\r` at the end starts an empty last line, as the text does for an editor.
        assert_eq!(index.position(text, text.len()), Position::new(4, 0));
        assert_eq!(index.offset(text, Position::new(4, 0)), text.len());
        // Between `\r` and `\n`: the end of the line.
        let between = text.find("\r\n").expect("crlf") + 1;
        assert_eq!(index.position(text, between), Position::new(1, 1));
    }
}
