//! Byte spans into the source text, and turning them into lines and columns.

use serde::Serialize;

/// A half-open byte range `start..end` in the model's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte of the token.
    pub start: usize,
    /// One past the last byte of the token.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// The length of the span in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A value together with the span of the token it came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spanned<T> {
    /// The decoded value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

// The schema and the JSON export describe the file format, where a spanned value is just its value.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// Maps byte offsets to 1-based lines and columns (columns count characters, not bytes).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    // Characters before each CHUNK-byte boundary, so that a column on a line of a megabyte
    // costs at most one chunk's counting rather than the whole line's.
    chars_before: Vec<usize>,
}

/// Bytes between the character-count checkpoints of [`LineIndex`].
const CHUNK: usize = 4096;

impl LineIndex {
    /// Indexes the line starts of `src`.
    pub fn new(src: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_before = Vec::with_capacity(src.len() / CHUNK + 2);
        let mut n = 0;
        for chunk in src.as_bytes().chunks(CHUNK) {
            chars_before.push(n);
            n += chunk.iter().filter(|&&b| !is_continuation(b)).count();
        }
        chars_before.push(n);
        LineIndex {
            line_starts,
            chars_before,
        }
    }

    /// The 1-based line and column of byte `offset` in `src`.
    pub fn line_col(&self, src: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(src.len());
        let line = self.line_of(offset);
        let col = self.chars_to(src, offset) - self.chars_to(src, self.line_starts[line]);
        (line + 1, col + 1)
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// How many lines `src` has (a final line break starts one more, empty line).
    pub fn lines(&self) -> usize {
        self.line_starts.len()
    }

    /// The bytes of 0-based `line` in `src`, without its line break.
    pub fn line_range(&self, src: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts.get(line).copied().unwrap_or(src.len());
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(src.len(), |next| next - 1);
        if src.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The number of characters in `src[..offset]`.
    pub fn chars_to(&self, src: &str, offset: usize) -> usize {
        let offset = offset.min(src.len());
        let chunk = offset / CHUNK;
        let counted = self.chars_before.get(chunk).copied().unwrap_or(0);
        counted
            + src.as_bytes()[chunk * CHUNK..offset]
                .iter()
                .filter(|&&b| !is_continuation(b))
                .count()
    }
}

/// Whether `b` continues a UTF-8 sequence rather than starting a character.
fn is_continuation(b: u8) -> bool {
    b & 0b1100_0000 == 0b1000_0000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_across_chunk_boundaries() {
        let src = format!("a\n{}é{}x\n", "b".repeat(CHUNK - 1), "ü".repeat(CHUNK));
        let index = LineIndex::new(&src);
        let x = src.rfind('x').expect("x");
        assert_eq!(index.line_col(&src, x), (2, CHUNK + CHUNK + 1));
        assert_eq!(index.line_col(&src, src.len()), (3, 1));
        assert_eq!(index.line_range(&src, 1), 2..src.len() - 1);
    }

    #[test]
    fn line_range_leaves_out_a_carriage_return() {
        let src = "ab\r\ncd";
        let index = LineIndex::new(src);
        assert_eq!(index.line_range(src, 0), 0..2);
        assert_eq!(index.line_range(src, 1), 4..6);
        assert_eq!(index.line_range(src, 5), 6..6);
    }
}
