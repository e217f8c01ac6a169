//! Navigation over a model's ids: where each is defined and used, go to definition, find
//! references and rename.
//!
//! Everything works on byte offsets into the source text; the server turns them into the
//! protocol's positions. The ids come from the compiled model, which keeps the span of every
//! value; an id's own bytes are then found inside the token it is written in, so that a rename
//! keeps the quotes around `"engaged -> housed"` and the other end of the link.

use std::ops::Range;

use lsp_types::{Location, Position, PrepareRenameResponse, TextEdit, WorkspaceEdit};

use super::document::Document;
use crate::model::{Model, Stage, Target, is_id_char};
use crate::span::{Span, Spanned};

/// A change to the source text: the bytes of `span` become `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes replaced (empty to insert).
    pub span: Span,
    /// What is written in their place.
    pub new_text: String,
}

/// The kind of item an id names; every kind shares one namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A node of the stage.
    Node(Stage),
    /// A measure.
    Measure,
    /// A source.
    Source,
    /// An assumption.
    Assumption,
    /// A stakeholder.
    Stakeholder,
    /// An external factor.
    ExternalFactor,
    /// An unexpected change.
    Unexpected,
}

/// One place an id is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The id.
    pub id: String,
    /// The id's own bytes.
    pub span: Span,
    /// The whole token the id is written in (with quotes, or the whole `"a -> b"`).
    pub token: Span,
    /// `id` where the id is defined, otherwise the key that refers to it (`leads_to`,
    /// `measures`, `source`, `applies_to`, `concerns`, `affects`).
    pub key: &'static str,
    /// The kind of the item the occurrence is written in: for a definition, what it defines.
    pub within: Kind,
    /// The token's decoded text, and where the id starts in it.
    value: String,
    at: usize,
}

impl Occurrence {
    /// Whether this is where the id is defined.
    pub fn is_definition(&self) -> bool {
        self.key == "id"
    }
}

/// Every place an id is written in one model, in file order.
#[derive(Debug, Clone, Default)]
pub struct Index {
    occurrences: Vec<Occurrence>,
    /// Ids written in a form whose bytes could not be told apart from the text around them
    /// (a folded multi-line scalar, say): a rename that would miss one is refused.
    unplaced: Vec<(String, Span)>,
}

impl Index {
    /// Indexes the ids of `model`, compiled from `src`.
    pub fn new(src: &str, model: &Model) -> Index {
        let mut ix = Builder {
            src,
            index: Index::default(),
        };
        for (stage, node) in model.nodes() {
            let within = Kind::Node(stage);
            ix.whole(&node.id, "id", within);
            for link in &node.leads_to {
                ix.whole(&link.to, "leads_to", within);
            }
            for m in &node.measures {
                ix.whole(m, "measures", within);
            }
            for s in &node.concerns {
                ix.whole(s, "concerns", within);
            }
        }
        for m in &model.measures {
            ix.whole(&m.id, "id", Kind::Measure);
            if let Some(s) = &m.source {
                ix.whole(s, "source", Kind::Measure);
            }
        }
        for s in &model.sources {
            ix.whole(&s.id, "id", Kind::Source);
        }
        for a in &model.assumptions {
            ix.whole(&a.id, "id", Kind::Assumption);
            for entry in &a.applies_to {
                let text = entry.written.value.as_str();
                for id in Target::ids_in(text).into_iter().filter(|id| !id.is_empty()) {
                    // `ids_in` hands back slices of `text`, so the id's place in it is where
                    // its slice starts.
                    let at = id.as_ptr() as usize - text.as_ptr() as usize;
                    ix.part(
                        &entry.written,
                        at..at + id.len(),
                        "applies_to",
                        Kind::Assumption,
                    );
                }
            }
        }
        for s in &model.stakeholders {
            ix.whole(&s.id, "id", Kind::Stakeholder);
        }
        for x in &model.external_factors {
            ix.whole(&x.id, "id", Kind::ExternalFactor);
            for id in &x.affects {
                ix.whole(id, "affects", Kind::ExternalFactor);
            }
        }
        for u in &model.unexpected {
            ix.whole(&u.id, "id", Kind::Unexpected);
        }
        let mut index = ix.index;
        index
            .occurrences
            .sort_by_key(|o| (o.span.start, o.span.end));
        // An alias repeats its anchor's value and span: one place, written once.
        index.occurrences.dedup_by_key(|o| o.span);
        index
    }

    /// Every occurrence, in file order.
    pub fn occurrences(&self) -> &[Occurrence] {
        &self.occurrences
    }

    /// The occurrence under the cursor at byte `offset` (just after an id counts too).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        let i = self.occurrences.partition_point(|o| o.span.end < offset);
        self.occurrences[i..]
            .iter()
            .take_while(|o| o.span.start <= offset)
            .find(|o| o.span.start <= offset && offset <= o.span.end)
    }

    /// The definitions of `id`, in file order (more than one only when it is a duplicate).
    pub fn definitions<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences
            .iter()
            .filter(move |o| o.is_definition() && o.id == id)
    }

    /// Where the id under the cursor is defined: its first definition, as the checks read it.
    pub fn definition(&self, offset: usize) -> Option<Span> {
        let id = &self.at(offset)?.id;
        self.definitions(id).next().map(|o| o.span)
    }

    /// Every place the id under the cursor is written, with or without its definitions.
    pub fn references(&self, offset: usize, include_declaration: bool) -> Vec<Span> {
        let Some(id) = self.at(offset).map(|o| o.id.as_str()) else {
            return Vec::new();
        };
        self.occurrences
            .iter()
            .filter(|o| o.id == id && (include_declaration || !o.is_definition()))
            .map(|o| o.span)
            .collect()
    }

    /// The bytes a rename at `offset` would replace, and the id written there.
    pub fn prepare_rename(&self, offset: usize) -> Option<(Span, &str)> {
        self.at(offset).map(|o| (o.span, o.id.as_str()))
    }

    /// The edits to `src` (the text indexed) that rename the id under the cursor to
    /// `new_name` everywhere it is written, or why it cannot be renamed.
    pub fn rename(&self, src: &str, offset: usize, new_name: &str) -> Result<Vec<Edit>, String> {
        let Some(old) = self.at(offset).map(|o| o.id.as_str()) else {
            return Err("there is no id here to rename".to_string());
        };
        if new_name.is_empty() || !new_name.chars().all(is_id_char) {
            return Err(format!(
                "`{new_name}` is not a valid id: ids use letters, digits, `-` and `_` only"
            ));
        }
        if new_name == old {
            return Ok(Vec::new());
        }
        if let Some(taken) = self.definitions(new_name).next() {
            return Err(format!(
                "`{new_name}` is already the id of {}",
                taken.within.noun()
            ));
        }
        if let Some((_, token)) = self.unplaced.iter().find(|(id, _)| id == old) {
            return Err(format!(
                "`{old}` is also written at byte {} in a form that cannot be edited in place; rewrite it on one line and try again",
                token.start
            ));
        }
        // Both ends of `"a -> a"` are one token, rewritten together.
        let mut tokens: Vec<(Span, &str, Vec<Range<usize>>)> = Vec::new();
        for o in self.occurrences.iter().filter(|o| o.id == old) {
            let range = o.at..o.at + o.id.len();
            match tokens.iter_mut().find(|(t, _, _)| *t == o.token) {
                Some((_, _, ranges)) => ranges.push(range),
                None => tokens.push((o.token, &o.value, vec![range])),
            }
        }
        let mut edits = Vec::new();
        for (token, value, ranges) in tokens {
            edits.extend(
                rewrite(src, token, value, &ranges, new_name).ok_or_else(|| {
                    format!(
                        "`{old}` is written at byte {} in a form that cannot be edited in place",
                        token.start
                    )
                })?,
            );
        }
        Ok(edits)
    }
}

impl Kind {
    /// The kind as a noun with its article, for messages (`an output`, `a measure`).
    pub fn noun(self) -> String {
        let noun = match self {
            Kind::Node(stage) => stage.noun(),
            Kind::Measure => "measure",
            Kind::Source => "source",
            Kind::Assumption => "assumption",
            Kind::Stakeholder => "stakeholder",
            Kind::ExternalFactor => "external factor",
            Kind::Unexpected => "unexpected change",
        };
        format!("{} {noun}", crate::diagnostic::article(noun))
    }
}

struct Builder<'s> {
    src: &'s str,
    index: Index,
}

impl Builder<'_> {
    /// An id that is the whole of its value.
    fn whole(&mut self, s: &Spanned<String>, key: &'static str, within: Kind) {
        self.part(s, 0..s.value.len(), key, within);
    }

    /// An id that is the bytes `range` of the value `s`.
    fn part(&mut self, s: &Spanned<String>, range: Range<usize>, key: &'static str, within: Kind) {
        let id = s.value[range.clone()].to_string();
        let at = range.start;
        match locate(self.src, s.span, &s.value, range) {
            Some(span) => self.index.occurrences.push(Occurrence {
                id,
                span,
                token: s.span,
                key,
                within,
                value: s.value.clone(),
                at,
            }),
            None => self.index.unplaced.push((id, s.span)),
        }
    }
}

/// The edits that write `new` over the bytes `ranges` of `value`, the decoded text of the
/// scalar written at `token`, in the token's own quoting, so that it reads back as the text
/// meant. Plain text that would read differently (`- x`, `[a]`) has the whole token written
/// double-quoted instead.
pub fn rewrite(
    src: &str,
    token: Span,
    value: &str,
    ranges: &[Range<usize>],
    new: &str,
) -> Option<Vec<Edit>> {
    let raw = src.get(token.start..token.end)?;
    let written = match raw.chars().next() {
        Some('"') => escape_double(new),
        Some('\'') if !new.contains(['\n', '\r']) => new.replace('\'', "''"),
        Some('\'') => return None,
        _ => {
            let mut meant = value.to_string();
            let mut sorted = ranges.to_vec();
            sorted.sort_by_key(|r| std::cmp::Reverse(r.start));
            for r in sorted {
                meant.replace_range(r, new);
            }
            if scalar(&meant) != meant {
                let end = token.start + raw.trim_end().len();
                return Some(vec![Edit {
                    span: Span::new(token.start, end),
                    new_text: scalar(&meant),
                }]);
            }
            new.to_string()
        }
    };
    ranges
        .iter()
        .map(|r| {
            locate(src, token, value, r.clone()).map(|span| Edit {
                span,
                new_text: written.clone(),
            })
        })
        .collect()
}

/// `text` as a YAML scalar: plain where that reads back as the same text, else double-quoted.
pub fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.contains(|c: char| c.is_control() || "[]{},".contains(c))
        && !matches!(
            text.to_lowercase().as_str(),
            "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off"
        )
        && text.parse::<f64>().is_err();
    if plain {
        return text.to_string();
    }
    format!("\"{}\"", escape_double(text))
}

/// `text` escaped to go between double quotes.
fn escape_double(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The bytes of the source that hold the bytes `range` of `value`, the decoded text of the
/// scalar written at `token`: inside its quotes, past its escapes.
pub fn locate(src: &str, token: Span, value: &str, range: Range<usize>) -> Option<Span> {
    let raw = src.get(token.start..token.end)?;
    if let Some(map) = decoded_offsets(raw, value) {
        let start = map.iter().find(|(d, _)| *d == range.start)?.1;
        let end = map.iter().find(|(d, _)| *d == range.end)?.1;
        return Some(Span::new(token.start + start, token.start + end));
    }
    // A form the mapping does not follow (a folded or block scalar): the text is still
    // found when it is written once, as is.
    let part = value.get(range)?;
    let mut found = raw.match_indices(part);
    match (found.next(), found.next()) {
        (Some((at, _)), None) if !part.is_empty() => {
            Some(Span::new(token.start + at, token.start + at + part.len()))
        }
        _ => None,
    }
}

/// For each character boundary of `value`, the offset in `raw` (a one-line plain, single- or
/// double-quoted scalar) where the character starts, ending with where the text ends; `None`
/// when `raw` does not decode to `value` this simply.
fn decoded_offsets(raw: &str, value: &str) -> Option<Vec<(usize, usize)>> {
    let mut map = Vec::with_capacity(value.len() + 1);
    let mut decoded = String::with_capacity(value.len());
    let mut chars = raw.char_indices().peekable();
    let quote = match raw.chars().next() {
        Some(q @ ('"' | '\'')) => {
            chars.next();
            Some(q)
        }
        _ => None,
    };
    let mut end = usize::from(quote.is_some());
    let mut closed = quote.is_none();
    while let Some((at, c)) = chars.next() {
        let ch = match (quote, c) {
            (None, '\n' | '\r') if raw[at..].trim().is_empty() => break,
            (_, '\n' | '\r') => return None,
            (Some('\''), '\'') => {
                if chars.next_if(|(_, n)| *n == '\'').is_none() {
                    closed = true;
                    break;
                }
                '\''
            }
            (Some('"'), '"') => {
                closed = true;
                break;
            }
            (Some('"'), '\\') => unescape(&mut chars)?,
            _ => c,
        };
        map.push((decoded.len(), at));
        decoded.push(ch);
        // Plain text ends before the spaces that separate it from what follows.
        if quote.is_some() || !ch.is_whitespace() {
            end = chars.peek().map_or(raw.len(), |(i, _)| *i);
        }
    }
    if !closed {
        return None;
    }
    if quote.is_none() {
        let kept = decoded.trim_end().len();
        decoded.truncate(kept);
        map.retain(|(d, _)| *d < kept);
    }
    map.push((decoded.len(), end));
    (decoded == value).then_some(map)
}

/// The character a double-quoted escape stands for, the backslash already read.
fn unescape(chars: &mut std::iter::Peekable<impl Iterator<Item = (usize, char)>>) -> Option<char> {
    let (_, c) = chars.next()?;
    let hex = |chars: &mut std::iter::Peekable<_>, n: usize| -> Option<char> {
        let mut code = 0u32;
        for _ in 0..n {
            let (_, d): (usize, char) = Iterator::next(chars)?;
            code = code * 16 + d.to_digit(16)?;
        }
        char::from_u32(code)
    };
    Some(match c {
        '0' => '\0',
        'a' => '\x07',
        'b' => '\x08',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\x0b',
        'f' => '\x0c',
        'r' => '\r',
        'e' => '\x1b',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        'x' => hex(chars, 2)?,
        'u' => hex(chars, 4)?,
        'U' => hex(chars, 8)?,
        _ => return None,
    })
}

// The protocol: the requests above, on an open document's current text.

/// The index of `doc`'s current text, and the byte offset of `at` in it; `None` for a
/// document that is not a model or whose text does not decode into one.
fn indexed(doc: &mut Document, at: Position) -> Option<(Index, usize)> {
    if !doc.is_model {
        return None;
    }
    let analysis = doc.analyse();
    let index = Index::new(&doc.text, analysis.model()?);
    Some((index, doc.lines.offset(&doc.text, at)))
}

/// `textDocument/definition`: where the id at `at` is defined.
pub fn goto_definition(doc: &mut Document, at: Position) -> Option<Location> {
    let (index, offset) = indexed(doc, at)?;
    let span = index.definition(offset)?;
    Some(Location::new(
        doc.uri.clone(),
        doc.lines.range(&doc.text, span),
    ))
}

/// `textDocument/references`: every place the id at `at` is written.
pub fn find_references(
    doc: &mut Document,
    at: Position,
    include_declaration: bool,
) -> Option<Vec<Location>> {
    let (index, offset) = indexed(doc, at)?;
    let spans = index.references(offset, include_declaration);
    Some(
        spans
            .into_iter()
            .map(|s| Location::new(doc.uri.clone(), doc.lines.range(&doc.text, s)))
            .collect(),
    )
}

/// `textDocument/prepareRename`: the id at `at`, inside any quotes, as the name to edit.
pub fn prepare_rename_at(doc: &mut Document, at: Position) -> Option<PrepareRenameResponse> {
    let (index, offset) = indexed(doc, at)?;
    let (span, id) = index.prepare_rename(offset)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: doc.lines.range(&doc.text, span),
        placeholder: id.to_string(),
    })
}

/// `textDocument/rename`: the edits that rename the id at `at` everywhere, or why not.
pub fn rename_at(
    doc: &mut Document,
    at: Position,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    let (index, offset) =
        indexed(doc, at).ok_or("the model does not read as a model yet: fix its errors first")?;
    let edits = index.rename(&doc.text, offset, new_name)?;
    Ok(workspace_edit(doc, &edits))
}

/// `edits` to `doc` as the protocol's edit of one document.
pub fn workspace_edit(doc: &Document, edits: &[Edit]) -> WorkspaceEdit {
    let edits = edits
        .iter()
        .map(|e| TextEdit::new(doc.lines.range(&doc.text, e.span), e.new_text.clone()))
        .collect();
    WorkspaceEdit::new(std::collections::HashMap::from([(doc.uri.clone(), edits)]))
}

/// `src` with `edits` applied (test helper; the edits must not overlap).
#[cfg(test)]
pub(crate) fn apply(src: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
    let mut out = src.to_string();
    for e in edits {
        out.replace_range(e.span.start..e.span.end, &e.new_text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "\
title: Mentoring   # the programme
activities:
  - id: mentoring
    label: Weekly mentoring
    leads_to:
      - sessions          # first
      - to: 'séances'
        because: Mentors book them
outputs:
  - id: sessions
    label: Sessions held
    measures: [\"attendance\"]
  - id: séances
    label: Séances tenues
measures:
  - id: attendance
    label: Attendance
    source: registers
sources:
  - id: registers
    label: Registers
assumptions:
  - id: mentors-stay
    text: Mentors stay a year
    applies_to:
      - \"mentoring -> sessions\"
      - 'mentoring->séances'
      - \"mentoring -> \\u0073essions\"
      - sessions
";

    const FLOW: &str = "\
title: Flow
activities: [{id: mentoring, label: Weekly mentoring, leads_to: [sessions, séances]}]
outputs: [{id: sessions, label: Sessions}, {id: séances, label: \"Séances\"}]
assumptions: [{id: a1, text: Holds, applies_to: [\"mentoring -> sessions\", sessions]}]
";

    fn index(src: &str) -> Index {
        let compiled = crate::compile(src);
        Index::new(src, compiled.model.as_ref().expect("a model"))
    }

    fn text(src: &str, span: Span) -> &str {
        &src[span.start..span.end]
    }

    fn offset_of(src: &str, needle: &str) -> usize {
        src.find(needle).expect("needle in source")
    }

    #[test]
    fn every_occurrence_points_at_the_id_itself() {
        for src in [BLOCK, FLOW] {
            for o in index(src).occurrences() {
                assert_eq!(text(src, o.span).replace("\\u0073", "s"), o.id, "{o:?}");
            }
        }
    }

    #[test]
    fn both_ends_of_a_link_in_applies_to_are_references() {
        let ix = index(BLOCK);
        let refs = ix.references(offset_of(BLOCK, "id: sessions") + 4, false);
        let lines: Vec<&str> = refs
            .iter()
            .map(|s| BLOCK[..s.start].lines().last().unwrap_or(""))
            .collect();
        assert_eq!(
            lines,
            [
                "      - ",
                "      - \"mentoring -> ",
                "      - \"mentoring -> ",
                "      - "
            ]
        );
        let from_mentoring = ix.references(offset_of(BLOCK, "mentoring ->") + 2, true);
        assert_eq!(
            from_mentoring.len(),
            4,
            "the definition and three link ends"
        );
    }

    #[test]
    fn definition_from_a_reference_and_from_the_definition() {
        for src in [BLOCK, FLOW] {
            let ix = index(src);
            let def = offset_of(src, "id: séances") + 4;
            let reference = src.rfind("séances").expect("a reference");
            assert_eq!(
                ix.definition(reference),
                Some(Span::new(def, def + "séances".len()))
            );
            assert_eq!(
                ix.definition(def + 1),
                Some(Span::new(def, def + "séances".len()))
            );
        }
    }

    #[test]
    fn the_cursor_just_after_an_id_is_on_it() {
        let ix = index(BLOCK);
        let end = offset_of(BLOCK, "registers\nsources") + "registers".len();
        assert_eq!(ix.at(end).map(|o| o.key), Some("source"));
        assert!(ix.at(offset_of(BLOCK, "label: Weekly")).is_none());
    }

    #[test]
    fn rename_updates_applies_to_strings_and_keeps_comments_block() {
        let ix = index(BLOCK);
        let edits = ix
            .rename(
                BLOCK,
                offset_of(BLOCK, "sessions          #"),
                "sessions-held",
            )
            .expect("renamed");
        insta::assert_snapshot!(apply(BLOCK, &edits));
    }

    #[test]
    fn rename_updates_applies_to_strings_flow() {
        let ix = index(FLOW);
        let edits = ix
            .rename(FLOW, offset_of(FLOW, "mentoring,"), "tutorat")
            .expect("renamed");
        insta::assert_snapshot!(apply(FLOW, &edits));
    }

    #[test]
    fn rename_of_a_non_ascii_id_from_inside_a_link() {
        let ix = index(BLOCK);
        let at = offset_of(BLOCK, "mentoring->séances") + "mentoring->".len() + 2;
        let edits = ix.rename(BLOCK, at, "réunions").expect("renamed");
        let out = apply(BLOCK, &edits);
        assert_eq!(out.matches("réunions").count(), 3, "{out}");
        assert!(!out.contains("séances"), "{out}");
        let recompiled = crate::compile(&out);
        assert!(!recompiled.has_errors(), "{:?}", recompiled.diagnostics);
    }

    #[test]
    fn rename_refuses_a_taken_or_invalid_name() {
        let ix = index(BLOCK);
        let at = offset_of(BLOCK, "id: sessions") + 4;
        assert_eq!(
            ix.rename(BLOCK, at, "attendance"),
            Err("`attendance` is already the id of a measure".to_string())
        );
        assert_eq!(
            ix.rename(BLOCK, at, "registers"),
            Err("`registers` is already the id of a source".to_string())
        );
        assert!(ix.rename(BLOCK, at, "two words").is_err());
        assert!(ix.rename(BLOCK, at, "").is_err());
        assert!(ix.rename(BLOCK, offset_of(BLOCK, "title"), "x").is_err());
        assert_eq!(ix.rename(BLOCK, at, "sessions"), Ok(Vec::new()));
    }

    #[test]
    fn rename_to_ids_yaml_reads_specially_still_lands_on_every_place() {
        for src in [BLOCK, FLOW] {
            let at = offset_of(src, "sessions");
            for name in ["-", "12", "true", "null", "_x", "a-", "~"] {
                let Ok(edits) = index(src).rename(src, at, name) else {
                    continue;
                };
                let out = apply(src, &edits);
                let landed = index(&out)
                    .occurrences()
                    .iter()
                    .filter(|o| o.id == name)
                    .count();
                let places = index(src)
                    .occurrences()
                    .iter()
                    .filter(|o| o.id == "sessions")
                    .count();
                assert_eq!(landed, places, "{name}:\n{out}");
            }
        }
    }

    #[test]
    fn prepare_rename_gives_the_id_inside_its_quotes() {
        let ix = index(BLOCK);
        let at = offset_of(BLOCK, "\"attendance\"") + 3;
        let (span, id) = ix.prepare_rename(at).expect("an id");
        assert_eq!((text(BLOCK, span), id), ("attendance", "attendance"));
    }

    #[test]
    fn escapes_and_doubled_quotes_map_to_their_source_bytes() {
        let src = r#"x: "a\u00e9\"b" 'c''d' plain  "#;
        let token = |t: &str| {
            let at = offset_of(src, t);
            Span::new(at, at + t.len())
        };
        let cases = [
            (token(r#""a\u00e9\"b""#), "aé\"b", 1..3, "\\u00e9"),
            (token(r#""a\u00e9\"b""#), "aé\"b", 3..5, "\\\"b"),
            (token("'c''d'"), "c'd", 0..3, "c''d"),
            (token("plain  "), "plain", 0..5, "plain"),
        ];
        for (token, value, range, want) in cases {
            let span = locate(src, token, value, range).expect("located");
            assert_eq!(text(src, span), want);
        }
    }
}
