//! The human format: miette's report of each diagnostic, drawn from a small window of the file
//! around the places it points at, with every piece of the file's text made safe for a
//! terminal.
//!
//! miette is never handed the whole file. It would scan from the start of the file for each
//! diagnostic, and it cannot draw an underline past column 65,535 (it panics). Instead each
//! diagnostic gets a [`Window`]: the few lines around its labels, with any line longer than
//! [`LONG_LINE`] characters cut to an excerpt around the label, and the real line and column
//! numbers kept alongside. The cost of a report is then the size of its window, whatever the
//! size of the file.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::{Code, Diagnostic, Severity};
use crate::span::{LineIndex, Span};

/// Most diagnostics of one code drawn for one file; the rest are counted on one line.
pub const PER_CODE: usize = 20;

/// A line longer than this many characters is shown as an excerpt around what it points at.
pub const LONG_LINE: usize = 160;

/// Characters an excerpt shows before the first label on its line.
const BEFORE: usize = 30;

/// Characters an excerpt shows in all.
const EXCERPT: usize = 100;

/// Lines shown above and below a label, as miette's default.
const CONTEXT: usize = 1;

/// A label over more lines than this is cut to its first line.
const MAX_LABEL_LINES: usize = 8;

/// Labels this many lines apart or fewer share one snippet; further apart, each gets its own.
const JOIN_GAP: usize = 10;

/// Most lines one snippet may show.
const MAX_SNIPPET_LINES: usize = 40;

/// How the human format is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to colour with ANSI escapes.
    pub color: bool,
    /// The width that messages and help are wrapped to.
    pub width: usize,
    /// Most diagnostics of one code drawn per file ([`PER_CODE`] by default).
    pub per_code: usize,
}

impl Style {
    /// No colour, `width` columns, the default cap per code.
    pub fn plain(width: usize) -> Self {
        Style {
            color: false,
            width,
            per_code: PER_CODE,
        }
    }
}

/// Draws the diagnostics of one file. Built once per file, so that the line index is shared
/// by every diagnostic.
pub struct Human<'a> {
    name: String,
    source: &'a str,
    index: LineIndex,
    style: Style,
    handler: miette::GraphicalReportHandler,
}

impl<'a> Human<'a> {
    /// A drawer for the file at `path` (as the user gave it) holding `source`.
    pub fn new(path: &str, source: &'a str, style: Style) -> Self {
        // Far outside these bounds miette's wrapping degenerates (one character a line).
        let width = style.width.clamp(40, 1_000);
        let theme = if style.color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme)
            .with_width(width)
            .with_links(false)
            .with_context_lines(CONTEXT);
        Human {
            name: escape(path).into_owned(),
            source,
            index: LineIndex::new(source),
            style: Style { width, ..style },
            handler,
        }
    }

    /// One diagnostic: code, message, snippet with the labels underlined, and help.
    pub fn diagnostic(&self, d: &Diagnostic) -> String {
        let mut wants = vec![(d.span, short_label(d.code).to_string(), true)];
        wants.extend(
            d.related
                .iter()
                .map(|(s, m)| (*s, escape(m).into_owned(), false)),
        );
        let (window, labels) = Window::build(&self.name, self.source, &self.index, &wants);
        let report = Report {
            d,
            message: escape(&d.message),
            window,
            labels,
        };
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = self.handler.render_report(&mut out, &report);
        if let Some(help) = &d.help {
            self.help(&mut out, help);
        }
        out
    }

    /// Every diagnostic in `diagnostics`, each followed by a blank line, drawing at most
    /// `per_code` of each code and counting the rest on one line after the last one drawn.
    pub fn diagnostics<'d>(&self, diagnostics: impl IntoIterator<Item = &'d Diagnostic>) -> String {
        let diagnostics: Vec<&Diagnostic> = diagnostics.into_iter().collect();
        let mut totals: HashMap<Code, usize> = HashMap::new();
        for d in &diagnostics {
            *totals.entry(d.code).or_default() += 1;
        }
        let mut shown: HashMap<Code, usize> = HashMap::new();
        let mut out = String::new();
        for d in diagnostics {
            let n = shown.entry(d.code).or_default();
            if *n >= self.style.per_code.max(1) {
                continue;
            }
            *n += 1;
            out.push_str(&self.diagnostic(d));
            out.push('\n');
            let total = totals.get(&d.code).copied().unwrap_or(0);
            if *n == self.style.per_code.max(1) && total > *n {
                let _ = writeln!(
                    out,
                    "… and {} more `{}` like this; `elmo check --format json` lists them all\n",
                    thousands(total - *n),
                    d.code
                );
            }
        }
        out
    }

    /// The help line, wrapped like miette's message. miette would indent the continuation
    /// lines with spaces alone, and a CI runner strips those before looking for a workflow
    /// command such as `::error`, so each continuation starts with a bar instead: no text
    /// from the model can begin a line.
    fn help(&self, out: &mut String, help: &str) {
        let help = escape(help);
        let first = if self.style.color {
            miette::GraphicalTheme::unicode()
                .styles
                .help
                .style("  help: ")
                .to_string()
        } else {
            "  help: ".to_string()
        };
        let opts = textwrap::Options::new(self.style.width.saturating_sub(2))
            .initial_indent(&first)
            .subsequent_indent("  │     ");
        for line in textwrap::wrap(&help, opts) {
            out.push_str(&line);
            out.push('\n');
        }
    }
}

/// `49800` as `49,800`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Text from a model or a file name, made safe to print on a terminal: each control
/// character (C0, DEL, C1) and line or paragraph separator becomes a visible symbol of the
/// same width, so no escape sequence reaches the terminal and no text starts a line of its
/// own.
pub fn escape(text: &str) -> Cow<'_, str> {
    if text.chars().any(|c| escape_char(c) != c) {
        Cow::Owned(text.chars().map(escape_char).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// One character as [`escape`] shows it: C0 controls as their Control Pictures (`␛` for
/// escape), DEL as `␡`, and the rest, which have no picture, as `�`.
pub fn escape_char(c: char) -> char {
    match c {
        '\0'..='\x1f' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'),
        '\x7f' => '\u{2421}',
        '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' => '\u{FFFD}',
        c => c,
    }
}

/// Characters of a source line as shown: as [`escape_char`], but a tab stays a tab, which
/// miette turns into spaces.
fn source_char(c: char) -> char {
    if c == '\t' { c } else { escape_char(c) }
}

/// A small text standing in for the file: the lines that one diagnostic's snippets show, in
/// groups ("segments") that each keep their real line numbers. Offsets into it are
/// "virtual"; miette only ever sees those.
struct Window {
    name: String,
    text: String,
    segments: Vec<Segment>,
}

struct Segment {
    /// Virtual bytes of the segment, whole lines each ending in `\n`.
    start: usize,
    end: usize,
    /// The 0-based real line of its first line.
    first_line: usize,
    lines: Vec<VirtualLine>,
}

struct VirtualLine {
    /// Virtual offset of the line's first byte.
    begin: usize,
    /// Virtual offset of the first character shown from the file (after any `…`).
    start: usize,
    /// Real byte offsets of what is shown.
    from: usize,
    to: usize,
    /// The 0-based real column of `from`, in characters.
    column: usize,
}

/// What the labels need of one segment while it is planned.
struct Plan {
    first: usize,
    last: usize,
    /// Each long line a label starts on, with where its excerpt starts (a real offset).
    excerpts: Vec<(usize, usize)>,
    labels: Vec<usize>,
}

impl Window {
    /// The window for labels `wants` (span, text, primary), and the labels in its virtual
    /// offsets, in the order given.
    fn build(
        name: &str,
        src: &str,
        index: &LineIndex,
        wants: &[(Span, String, bool)],
    ) -> (Window, Vec<LabeledSpan>) {
        // A final line break leaves an empty last line, shown only when a label is on it.
        let last_line = if src.ends_with('\n') {
            index.lines().saturating_sub(2)
        } else {
            index.lines() - 1
        };
        // Clip each label to the file and to a few lines.
        let spans: Vec<Span> = wants
            .iter()
            .map(|(s, _, _)| {
                // Spans are meant to fall on character boundaries; a report must not panic
                // if one does not.
                let start = boundary(src, s.start);
                let mut end = boundary(src, s.end).max(start);
                let line = index.line_of(start);
                if index.line_of(end) - line >= MAX_LABEL_LINES {
                    end = index.line_range(src, line).end.max(start);
                }
                Span::new(start, end)
            })
            .collect();
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| spans[i].start);

        let mut plans: Vec<Plan> = Vec::new();
        for i in order {
            let span = spans[i];
            let line = index.line_of(span.start);
            let end_line = index.line_of(span.end);
            let range = index.line_range(src, line);
            let excerpt = is_long(src, index, &range).then(|| {
                let from = back(src, span.start, BEFORE, range.start);
                (line, from)
            });
            let first = line.saturating_sub(CONTEXT);
            let last = (end_line + CONTEXT).min(last_line).max(end_line);
            let joins = plans.last().is_some_and(|p| {
                let fits = match excerpt {
                    None => true,
                    Some((l, _)) => p.excerpts.iter().all(|&(pl, from)| {
                        pl != l || (from <= span.start && span.start < forth(src, from, EXCERPT))
                    }),
                };
                line <= p.last + JOIN_GAP && last.max(p.last) - p.first < MAX_SNIPPET_LINES && fits
            });
            match plans.last_mut() {
                Some(p) if joins => {
                    p.last = p.last.max(last);
                    if let Some((l, from)) = excerpt
                        && p.excerpts.iter().all(|&(pl, _)| pl != l)
                    {
                        p.excerpts.push((l, from));
                    }
                    p.labels.push(i);
                }
                _ => plans.push(Plan {
                    first,
                    last,
                    excerpts: excerpt.into_iter().collect(),
                    labels: vec![i],
                }),
            }
        }

        let mut window = Window {
            name: name.to_string(),
            text: String::new(),
            segments: Vec::new(),
        };
        let mut labels: Vec<Option<LabeledSpan>> = vec![None; spans.len()];
        for plan in plans {
            let start = window.text.len();
            let mut lines = Vec::new();
            for line in plan.first..=plan.last {
                let range = index.line_range(src, line);
                let (from, to) = match plan.excerpts.iter().find(|(l, _)| *l == line) {
                    Some(&(_, from)) => (from, forth(src, from, EXCERPT).min(range.end)),
                    None if is_long(src, index, &range) => {
                        (range.start, forth(src, range.start, EXCERPT).min(range.end))
                    }
                    None => (range.start, range.end),
                };
                let begin = window.text.len();
                if from > range.start {
                    window.text.push('…');
                }
                let line_start = window.text.len();
                window.text.extend(src[from..to].chars().map(source_char));
                if to < range.end {
                    window.text.push('…');
                }
                window.text.push('\n');
                lines.push(VirtualLine {
                    begin,
                    start: line_start,
                    from,
                    to,
                    column: index.chars_to(src, from) - index.chars_to(src, range.start),
                });
            }
            let segment = Segment {
                start,
                end: window.text.len(),
                first_line: plan.first,
                lines,
            };
            for i in plan.labels {
                let span = spans[i];
                let a = segment.virtual_offset(src, index, span.start);
                let b = segment.virtual_offset(src, index, span.end).max(a);
                let (_, text, primary) = &wants[i];
                let text = Some(text.clone());
                labels[i] = Some(if *primary {
                    LabeledSpan::new_primary_with_span(text, (a, b - a))
                } else {
                    LabeledSpan::new_with_span(text, (a, b - a))
                });
            }
            window.segments.push(segment);
            // A byte that belongs to no segment, so that a span reaching from one segment
            // into the next is never readable and miette never joins them.
            window.text.push('\n');
        }
        (window, labels.into_iter().flatten().collect())
    }
}

impl Segment {
    /// Where real byte `offset` (on one of the segment's lines) lies in the virtual text.
    fn virtual_offset(&self, src: &str, index: &LineIndex, offset: usize) -> usize {
        let line = index.line_of(offset).saturating_sub(self.first_line);
        let Some(v) = self.lines.get(line).or(self.lines.last()) else {
            return self.start;
        };
        let shown = offset.clamp(v.from, v.to);
        v.start
            + src[v.from..shown]
                .chars()
                .map(|c| source_char(c).len_utf8())
                .sum::<usize>()
    }

    /// The index of the virtual line holding virtual `offset`.
    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.begin <= offset)
            .saturating_sub(1)
    }
}

/// `offset` within `src`, moved back to the start of the character it falls in.
fn boundary(src: &str, offset: usize) -> usize {
    let mut at = offset.min(src.len());
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Whether the line at `range` is longer than [`LONG_LINE`] characters.
fn is_long(src: &str, index: &LineIndex, range: &std::ops::Range<usize>) -> bool {
    range.len() > LONG_LINE
        && index.chars_to(src, range.end) - index.chars_to(src, range.start) > LONG_LINE
}

/// The offset `n` characters before `at`, but not before `floor`.
fn back(src: &str, at: usize, n: usize, floor: usize) -> usize {
    src[floor..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(floor, |(i, _)| floor + i)
}

/// The offset `n` characters after `at` (or the end of the text).
fn forth(src: &str, at: usize, n: usize) -> usize {
    src[at..]
        .char_indices()
        .nth(n)
        .map_or(src.len(), |(i, _)| at + i)
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (offset, len) = (span.offset(), span.len());
        let segment = self
            .segments
            .iter()
            .find(|s| s.start <= offset && offset < s.end.max(s.start + 1))
            .filter(|s| offset + len <= s.end)
            .ok_or(MietteError::OutOfBounds)?;
        let text = &self.text[segment.start..segment.end];
        let local = SourceSpan::from((offset - segment.start, len));
        let inner = text.read_span(&local, before, after)?;
        let data_start = segment.start + inner.span().offset();
        let line = segment.line_at(data_start);
        // miette's own column counts bytes from the start of the data; the header wants the
        // file's column in characters, as the JSON output gives it.
        let column = if before == 0 {
            let v = &segment.lines[segment.line_at(offset)];
            let skipped = self
                .text
                .get(v.start..offset.max(v.start))
                .map_or(0, |s| s.chars().count());
            v.column + skipped
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::from((data_start, inner.span().len())),
            segment.first_line + line,
            column,
            segment.first_line + inner.line_count(),
        )))
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    message: Cow<'a, str>,
    window: Window,
    labels: Vec<LabeledSpan>,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(self.d.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.window)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn short_label(code: Code) -> &'static str {
    match code {
        Code::YamlSyntax => "here",
        Code::LimitExceeded => "limit reached here",
        Code::UnknownField => "unknown key",
        Code::MissingField => "in this item",
        Code::InvalidValue => "invalid value",
        Code::DuplicateKey => "repeated key",
        Code::DuplicateId => "used again here",
        Code::UnknownReference => "not defined",
        Code::BackwardLink => "points backwards",
        Code::Cycle => "closes the loop",
        Code::MissingStage => "in this model",
        Code::DisconnectedNode => "not on a full chain",
        Code::UnmeasuredOutcome | Code::UnmeasuredOutput => "no measure",
        Code::UnusedMeasure | Code::UnusedSource => "never used",
        Code::IncompleteMeasure => "incomplete",
        Code::TargetAgainstDirection => "against the direction",
        Code::UndefinedRate => "rate not defined",
        Code::OnlyLaggingMeasures => "only lagging measures",
        Code::NoQualitativeMeasure => "no qualitative measure",
        Code::UnderpoweredCohort => "too few people",
        Code::DataLabCohort => "Data Lab cohort",
        Code::UndocumentedStorage => "storage not recorded",
        Code::UndocumentedSharing => "no basis for sharing",
        Code::RefutedAssumption => "rests on a refuted assumption",
        Code::UnusedAssumption => "applies to nothing",
        Code::TargetBeyondCeiling => "attribution claimed",
        Code::CommentInText => "read as a comment",
        Code::ResultUnknownMeasure => "no such measure",
        Code::ResultUnreadable => "cannot be read",
        Code::ResultNumeratorAboveDenominator => "above the denominator",
        Code::ResultPercentageOutOfRange => "outside 0 to 100",
        Code::ResultDuplicate => "given again here",
        Code::ResultMissingColumn => "in this header",
        Code::ComputeUnknownColumn => "no such column",
        Code::StaleResult => "out of date",
        Code::MissingResult => "never reported",
        Code::ComparisonNotReported => "no comparison rows",
        Code::TooFewToTell => "too few people",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_inside_a_character_is_drawn_not_panicked_on() {
        let src = "title: é\n";
        let d = Diagnostic::new(Code::InvalidValue, "m", Span::new(8, 9));
        let out = Human::new("x.yaml", src, Style::plain(80)).diagnostic(&d);
        assert!(out.contains("[x.yaml:1:8]"), "{out}");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(49_800), "49,800");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn control_characters_become_pictures_of_the_same_width() {
        assert_eq!(escape("a\u{1b}]0;x\u{7}b"), "a␛]0;x␇b");
        assert_eq!(escape("1\n2\r3\u{85}4\u{2028}"), "1␊2␍3�4�");
        assert_eq!(escape("\u{7f}"), "␡");
        assert!(matches!(escape("plain £ text"), Cow::Borrowed(_)));
    }
}
