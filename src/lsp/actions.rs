//! Code actions: quick fixes for diagnostics, as edits that change only the text involved.
//!
//! Each fix inserts or replaces the few bytes it needs and leaves every other byte of the
//! file as it was, so comments, blank lines, quoting and the file's indentation survive. New
//! text copies the indentation the file already uses for its lists.

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand};

use super::diagnostics::{Place, to_lsp};
use super::document::Document;
use super::nav::workspace_edit;
use crate::Compiled;
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::lsp::nav::{Edit, Index, Kind, rewrite, scalar};
use crate::model::{Stage, Target, is_id_char};
use crate::parse::{Yaml, YamlKind};
use crate::span::Span;

/// A fix for one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// What the fix does, as the editor's menu shows it.
    pub title: String,
    /// The changes it makes.
    pub edits: Vec<Edit>,
    /// The diagnostic it fixes: its place in the compiled diagnostics.
    pub diagnostic: usize,
    /// Whether it is the obvious fix (the "did you mean"), which editors may apply at once.
    pub preferred: bool,
}

/// The fixes for the diagnostics of `compiled` (compiled from `src`) that touch `range`.
pub fn actions(src: &str, compiled: &Compiled, range: Span) -> Vec<Action> {
    let tree = crate::parse::parse(src, &crate::Limits::default()).ok();
    let index = compiled
        .model
        .as_ref()
        .map(|m| Index::new(src, m))
        .unwrap_or_default();
    let file = File {
        src,
        tree: tree.as_ref(),
        index: &index,
        style: tree.as_ref().map(|t| Style::of(src, t)).unwrap_or_default(),
    };
    let crlf = src.find('\n').is_some_and(|i| src[..i].ends_with('\r'));
    let mut out = Vec::new();
    for (i, d) in compiled.diagnostics.iter().enumerate() {
        if d.span.start > range.end || range.start > d.span.end {
            continue;
        }
        let mut add = |title: String, edits: Option<Vec<Edit>>, preferred: bool| {
            if let Some(mut edits) = edits.filter(|e| !e.is_empty()) {
                // New lines end as the file's lines do.
                if crlf {
                    for e in &mut edits {
                        e.new_text = e.new_text.replace('\n', "\r\n");
                    }
                }
                out.push(Action {
                    title,
                    edits,
                    diagnostic: i,
                    preferred,
                });
            }
        };
        if let Some(fix) = &d.fix {
            add(
                format!("Replace `{}` with `{}`", fix.wrong, fix.replacement),
                file.replace(fix),
                true,
            );
        }
        if let Some((id, stage)) = file.missing_node(d) {
            add(
                format!("Create `{id}` as {}", Kind::Node(stage).noun()),
                file.create_node(&id, stage),
                false,
            );
        }
        if let (Code::UnmeasuredOutcome | Code::UnmeasuredOutput, Some(id)) = (d.code, &d.subject) {
            add(
                format!("Add a measure for `{id}`"),
                file.measure_stub(id),
                false,
            );
        }
        if let Some(id) = d.subject.as_deref().filter(|_| d.code.lint().configurable) {
            add(
                format!("Allow `{}` for `{id}`, with a reason", d.code),
                file.allow(id, d.code),
                false,
            );
        }
    }
    out
}

/// What the fixes read: the text, its YAML tree, its ids and its indentation.
struct File<'a> {
    src: &'a str,
    tree: Option<&'a Yaml>,
    index: &'a Index,
    style: Style,
}

/// How the file indents a list of mappings: the dash's indent past its key, and the gap from
/// the dash to the item's first key.
#[derive(Debug, Clone, Copy)]
struct Style {
    indent: usize,
    gap: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style { indent: 2, gap: 2 }
    }
}

impl Style {
    /// The style of the first block list of mappings under a top-level key.
    fn of(src: &str, root: &Yaml) -> Style {
        let YamlKind::Map(pairs) = &root.kind else {
            return Style::default();
        };
        pairs
            .iter()
            .find_map(|(k, v)| {
                let YamlKind::Seq(items) = &v.kind else {
                    return None;
                };
                let first = items
                    .first()
                    .filter(|i| matches!(i.kind, YamlKind::Map(_)))?;
                if is_flow(src, v) || is_flow(src, first) {
                    return None;
                }
                let dash = dash_column(src, first)?;
                Some(Style {
                    indent: dash.checked_sub(column(src, k.span.start))?,
                    gap: column(src, first.span.start).checked_sub(dash)?,
                })
            })
            .unwrap_or_default()
    }
}

impl File<'_> {
    /// The "did you mean" fix: the wrong text inside its token replaced, quotes and the other
    /// end of a link kept.
    fn replace(&self, fix: &Fix) -> Option<Vec<Edit>> {
        let value = self
            .tree
            .and_then(|t| scalar_at(t, fix.span))
            .unwrap_or(&fix.wrong);
        let ranges: Vec<std::ops::Range<usize>> = if value == fix.wrong {
            std::iter::once(0..value.len()).collect()
        } else {
            Target::ids_in(value)
                .into_iter()
                .filter(|id| *id == fix.wrong)
                .map(|id| {
                    let at = id.as_ptr() as usize - value.as_ptr() as usize;
                    at..at + id.len()
                })
                .collect()
        };
        rewrite(self.src, fix.span, value, &ranges, &fix.replacement)
    }

    /// The id a `leads_to` names that no item defines, and the stage a new node for it goes
    /// in: the one after the linking node's, or the same for the last stage.
    fn missing_node(&self, d: &Diagnostic) -> Option<(String, Stage)> {
        if d.code != Code::UnknownReference {
            return None;
        }
        let o = self
            .index
            .occurrences()
            .iter()
            .find(|o| o.key == "leads_to" && o.token == d.span)?;
        if self.index.definitions(&o.id).next().is_some() || !is_id(&o.id) {
            return None;
        }
        let Kind::Node(from) = o.within else {
            return None;
        };
        let next = Stage::ALL
            .into_iter()
            .find(|s| *s > from)
            .unwrap_or(Stage::SystemicImpacts);
        Some((o.id.clone(), next))
    }

    /// A new node `id` at the end of `stage`, the stage written in if the file lacks it.
    fn create_node(&self, id: &str, stage: Stage) -> Option<Vec<Edit>> {
        let root = self.tree?;
        let fields = [("id", scalar(id)), ("label", scalar(&humanise(id)))];
        if get(root, stage.key()).is_some() {
            return self
                .append_item(root, stage.key(), &fields)
                .map(|e| vec![e]);
        }
        // The stage is not written: it goes after the nearest earlier stage that is.
        let YamlKind::Map(pairs) = &root.kind else {
            return None;
        };
        let (key, value) = Stage::ALL
            .into_iter()
            .filter(|s| *s < stage)
            .rev()
            .find_map(|s| pairs.iter().find(|(k, _)| is_key(k, s.key())))?;
        if is_flow(self.src, root) {
            let text = format!(", {}: [{}]", stage.key(), flow_item(&fields));
            return Some(vec![insert(content_end(self.src, value), text)]);
        }
        let at = line_end(self.src, content_end(self.src, value).max(key.span.end));
        let pad = column(self.src, key.span.start);
        let body = if is_flow(self.src, value) {
            format!(" [{}]", flow_item(&fields))
        } else {
            self.block_item(pad + self.style.indent, &fields)
        };
        Some(vec![insert(
            at,
            format!("\n{}{}:{body}", " ".repeat(pad), stage.key()),
        )])
    }

    /// A measure for node `id`: a new entry under `measures:` and its id on the node.
    fn measure_stub(&self, id: &str) -> Option<Vec<Edit>> {
        let root = self.tree?;
        let stage = match self.index.definitions(id).next()?.within {
            Kind::Node(stage) => stage,
            _ => return None,
        };
        let node = item(root, stage.key(), id).filter(|_| is_id(id))?;
        let mut measure = format!("{id}-measure");
        let mut n = 2;
        while self.index.definitions(&measure).next().is_some() {
            measure = format!("{id}-measure-{n}");
            n += 1;
        }
        let label = match get(node, "label").map(|(_, v)| &v.kind) {
            Some(YamlKind::Scalar { text, .. }) => format!("Measure of {text}"),
            _ => format!("Measure of {id}"),
        };
        let reference = match get(node, "measures") {
            Some((key, list)) => self.append_to_list(key, list, &scalar(&measure))?,
            None => self.add_key(node, "measures", &format!("[{}]", scalar(&measure)))?,
        };
        let fields = [("id", scalar(&measure)), ("label", scalar(&label))];
        let entry = match get(root, "measures") {
            Some(_) => self.append_item(root, "measures", &fields)?,
            None if is_flow(self.src, root) => {
                let YamlKind::Map(pairs) = &root.kind else {
                    return None;
                };
                let (_, last) = pairs.last()?;
                let text = format!(", measures: [{}]", flow_item(&fields));
                insert(content_end(self.src, last), text)
            }
            None => {
                let pad = root_column(self.src, root);
                let sep = if self.src.ends_with('\n') || self.src.is_empty() {
                    ""
                } else {
                    "\n"
                };
                let flow = get(root, stage.key()).is_some_and(|(_, v)| is_flow(self.src, v));
                let body = if flow {
                    format!(" [{}]", flow_item(&fields))
                } else {
                    self.block_item(pad + self.style.indent, &fields)
                };
                insert(
                    self.src.len(),
                    format!("{sep}{}measures:{body}\n", " ".repeat(pad)),
                )
            }
        };
        Some(vec![reference, entry])
    }

    /// An `allow:` entry for `code` on the item `id`, with a reason to fill in.
    fn allow(&self, id: &str, code: Code) -> Option<Vec<Edit>> {
        let root = self.tree?;
        let list = match self.index.definitions(id).next()?.within {
            Kind::Node(stage) => stage.key(),
            Kind::Measure => "measures",
            Kind::Source => "sources",
            Kind::Assumption => "assumptions",
            _ => return None,
        };
        let it = item(root, list, id)?;
        let reason = scalar(REASON);
        let edit = match get(it, "allow") {
            Some((key, list)) if is_flow(self.src, list) || list.is_null() => {
                self.append_to_list(key, list, &format!("{{code: {code}, reason: {reason}}}"))?
            }
            Some((_, list)) => {
                let YamlKind::Seq(entries) = &list.kind else {
                    return None;
                };
                let last = entries.last()?;
                let dash = dash_column(self.src, last)?;
                let gap = column(self.src, last.span.start) - dash;
                let text = format!(
                    "\n{}- code: {code}\n{}reason: {reason}",
                    " ".repeat(dash),
                    " ".repeat(dash + gap)
                );
                insert(self.item_end(content_end(self.src, list), dash), text)
            }
            None if is_flow(self.src, it) => self.add_key(
                it,
                "allow",
                &format!("[{{code: {code}, reason: {reason}}}]"),
            )?,
            None => {
                let pad = column(self.src, it.span.start);
                let dash = pad + self.style.indent;
                let text = format!(
                    "\n{}allow:\n{}- code: {code}\n{}reason: {reason}",
                    " ".repeat(pad),
                    " ".repeat(dash),
                    " ".repeat(dash + self.style.gap)
                );
                insert(line_end(self.src, content_end(self.src, it)), text)
            }
        };
        Some(vec![edit])
    }

    /// An item with `fields` appended to the top-level list `key`, when the file has the key.
    fn append_item(&self, root: &Yaml, key: &str, fields: &[(&str, String)]) -> Option<Edit> {
        let (k, list) = get(root, key)?;
        if is_flow(self.src, list) {
            return self.append_to_list(k, list, &flow_item(fields));
        }
        let pad = match &list.kind {
            YamlKind::Seq(items) => match items.last() {
                Some(last) => dash_column(self.src, last)?,
                None => column(self.src, k.span.start) + self.style.indent,
            },
            _ if list.is_null() => column(self.src, k.span.start) + self.style.indent,
            _ => return None,
        };
        let gap = match &list.kind {
            YamlKind::Seq(items) => items
                .last()
                .and_then(|l| column(self.src, l.span.start).checked_sub(pad))
                .unwrap_or(self.style.gap),
            _ => self.style.gap,
        };
        let at = self.item_end(content_end(self.src, list).max(k.span.end), pad);
        Some(insert(at, item_text(pad, gap, fields)))
    }

    /// The end of the line holding `at`, and of the comment lines after it that are indented
    /// past `dash` (comments inside the item that ends there, which stay with it).
    fn item_end(&self, at: usize, dash: usize) -> usize {
        let mut end = line_end(self.src, at);
        while let Some(next) = self.src[end..].find('\n').map(|i| end + i + 1) {
            let line = &self.src[next..line_end(self.src, next)];
            let text = line.trim_start_matches(' ');
            if !text.starts_with('#') || line.len() - text.len() <= dash {
                break;
            }
            end = next + line.len();
        }
        end
    }

    /// Lines for a new list item at the file's indentation for a list under a key at `pad`.
    fn block_item(&self, dash: usize, fields: &[(&str, String)]) -> String {
        item_text(dash, self.style.gap, fields)
    }

    /// `entry` added to the list `list` written under the key `key`: inside the brackets of
    /// a flow list, on a new line of a block list, or as a flow list for an empty key.
    fn append_to_list(&self, key: &Yaml, list: &Yaml, entry: &str) -> Option<Edit> {
        if list.is_null() {
            let colon = key.span.end + self.src[key.span.end..].find(':')?;
            return Some(insert(colon + 1, format!(" [{entry}]")));
        }
        let YamlKind::Seq(items) = &list.kind else {
            return None;
        };
        if is_flow(self.src, list) {
            return Some(match items.last() {
                Some(last) => insert(content_end(self.src, last), format!(", {entry}")),
                None => insert(list.span.start + 1, entry.to_string()),
            });
        }
        let last = items.last()?;
        let dash = dash_column(self.src, last)?;
        let gap = column(self.src, last.span.start) - dash;
        Some(insert(
            self.item_end(content_end(self.src, list), dash),
            format!(
                "\n{}-{}{entry}",
                " ".repeat(dash),
                " ".repeat(gap.max(1) - 1)
            ),
        ))
    }

    /// The key `key` with the flow value `value` added to the mapping `map`.
    fn add_key(&self, map: &Yaml, key: &str, value: &str) -> Option<Edit> {
        if is_flow(self.src, map) {
            let YamlKind::Map(pairs) = &map.kind else {
                return None;
            };
            return Some(match pairs.last() {
                Some((_, v)) => insert(content_end(self.src, v), format!(", {key}: {value}")),
                None => insert(map.span.start + 1, format!("{key}: {value}")),
            });
        }
        // After the label, where a reader looks for what describes the node.
        let after = get(map, "label").map_or(map, |(_, v)| v);
        let pad = column(self.src, map.span.start);
        Some(insert(
            line_end(self.src, content_end(self.src, after)),
            format!("\n{}{key}: {value}", " ".repeat(pad)),
        ))
    }
}

// The protocol.

/// `textDocument/codeAction`: the quick fixes for the diagnostics of `doc` in `range`, each
/// with the diagnostic it fixes as published (codes linked under `book`); none when the
/// client asks only for other kinds.
pub fn code_actions(
    doc: &mut Document,
    range: lsp_types::Range,
    only: Option<&[CodeActionKind]>,
    book: &str,
) -> Vec<CodeActionOrCommand> {
    if !doc.is_model || only.is_some_and(|o| !o.iter().any(|k| k.as_str().starts_with("quickfix")))
    {
        return Vec::new();
    }
    let analysis = doc.analyse();
    let span = doc.lines.span(&doc.text, range);
    let place = Place {
        uri: &doc.uri,
        text: &doc.text,
        lines: &doc.lines,
    };
    actions(&doc.text, &analysis.compiled, span)
        .into_iter()
        .map(|a| {
            let fixed = to_lsp(&analysis.compiled.diagnostics[a.diagnostic], &place, book);
            CodeActionOrCommand::CodeAction(CodeAction {
                title: a.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![fixed]),
                edit: Some(workspace_edit(doc, &a.edits)),
                is_preferred: Some(a.preferred),
                ..CodeAction::default()
            })
        })
        .collect()
}

/// The reason an added `allow:` entry gives until someone writes the real one.
const REASON: &str = "TODO: say why this exception is deliberate";

fn insert(at: usize, text: String) -> Edit {
    Edit {
        span: Span::new(at, at),
        new_text: text,
    }
}

/// A new block list item: `- first: ...` at column `dash`, the other fields under it.
fn item_text(dash: usize, gap: usize, fields: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        let lead = if i == 0 {
            format!("{}-{}", " ".repeat(dash), " ".repeat(gap.max(1) - 1))
        } else {
            " ".repeat(dash + gap.max(1))
        };
        out.push_str(&format!("\n{lead}{k}: {v}"));
    }
    out
}

/// A new item as a flow mapping: `{id: x, label: y}`.
fn flow_item(fields: &[(&str, String)]) -> String {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", body.join(", "))
}

/// The value of `key` in the mapping `map`, with the key.
fn get<'y>(map: &'y Yaml, key: &str) -> Option<(&'y Yaml, &'y Yaml)> {
    let YamlKind::Map(pairs) = &map.kind else {
        return None;
    };
    pairs
        .iter()
        .find(|(k, _)| is_key(k, key))
        .map(|(k, v)| (k, v))
}

fn is_key(k: &Yaml, key: &str) -> bool {
    matches!(&k.kind, YamlKind::Scalar { text, .. } if text == key)
}

/// The mapping with id `id` in the top-level list `list`.
fn item<'y>(root: &'y Yaml, list: &str, id: &str) -> Option<&'y Yaml> {
    let YamlKind::Seq(items) = &get(root, list)?.1.kind else {
        return None;
    };
    items.iter().find(|i| {
        matches!(get(i, "id"), Some((_, Yaml { kind: YamlKind::Scalar { text, .. }, .. })) if text == id)
    })
}

/// The text of the scalar written at `span`, anywhere in the tree.
fn scalar_at(y: &Yaml, span: Span) -> Option<&str> {
    if !(y.span.start <= span.start && span.end <= y.span.end) {
        return None;
    }
    match &y.kind {
        YamlKind::Scalar { text, .. } => (y.span == span).then_some(text.as_str()),
        YamlKind::Seq(items) => items.iter().find_map(|i| scalar_at(i, span)),
        YamlKind::Map(pairs) => pairs
            .iter()
            .find_map(|(k, v)| scalar_at(k, span).or_else(|| scalar_at(v, span))),
    }
}

/// Whether `y` is written in flow style (`[...]` or `{...}`).
fn is_flow(src: &str, y: &Yaml) -> bool {
    matches!(
        src.as_bytes().get(y.span.start),
        Some(b'[' | b'{') if !matches!(y.kind, YamlKind::Scalar { .. })
    )
}

/// Where the last character written for `y` ends. A block collection's span runs on to the
/// next token, over blank lines and comments; its content ends with its last value.
fn content_end(src: &str, y: &Yaml) -> usize {
    let trimmed = |span: Span| span.start + src[span.start..span.end].trim_end().len();
    if is_flow(src, y) {
        return y.span.end;
    }
    match &y.kind {
        YamlKind::Scalar { .. } => trimmed(y.span),
        YamlKind::Seq(items) => items
            .iter()
            .map(|i| content_end(src, i))
            .max()
            .unwrap_or(y.span.start),
        YamlKind::Map(pairs) => pairs
            .iter()
            .map(|(k, v)| content_end(src, k).max(content_end(src, v)))
            .max()
            .unwrap_or(y.span.start),
    }
}

/// The end of the line holding byte `at`, before its line break.
fn line_end(src: &str, at: usize) -> usize {
    let at = at.min(src.len());
    let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    if end > at && src.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The column (in bytes, as indentation is spaces) of byte `at`.
fn column(src: &str, at: usize) -> usize {
    at - src[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The column of the top-level keys.
fn root_column(src: &str, root: &Yaml) -> usize {
    match &root.kind {
        YamlKind::Map(pairs) => pairs.first().map_or(0, |(k, _)| column(src, k.span.start)),
        _ => 0,
    }
}

/// The column of the dash that starts the block list item `item`.
fn dash_column(src: &str, item: &Yaml) -> Option<usize> {
    let before = src[..item.span.start].trim_end_matches(' ');
    before.ends_with('-').then(|| column(src, before.len() - 1))
}

/// Whether `text` is a valid id, which a new item may be given.
fn is_id(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_id_char)
}

/// A label for a new node from its id: `fewer-reconvictions` reads `Fewer reconvictions`.
fn humanise(id: &str) -> String {
    let words = id.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::nav::apply;

    const BLOCK: &str = "\
# Mentoring programme, written in block style
title: Mentoring
activities:
  - id: mentoring          # the core activity
    label: Séances de mentorat
    leads_to: [sesions, \"matches\"]
outputs:
  - id: sessions
    label: Sessions held
    measures: [attendance]
    leads_to:
      - confiance
  - id: matches
    label: Mentor matches
    measures:
      - attendance
    leads_to:
      - amitiés   # not written yet
direct_impacts:
  - id: confiance
    label: Jeunes « plus » confiants
    # no measure yet
measures:
  - id: attendance
    label: Attendance
    unit: sessions
    baseline: 0
    target: 10
    source: registers
    frequency: monthly
sources:
  - id: registers
    label: Registers
assumptions:
  - id: mentors-stay
    text: Mentors stay a year
    applies_to: [\"mentoring -> sesions\", confiance]
";

    const FLOW: &str = "\
title: Flow   # a compact model
activities: [{id: mentoring, label: Séances, leads_to: [sesions]}]
outputs: [{id: sessions, label: Sessions, leads_to: [confiance]}]   # ends here
sources: [{id: registers, label: Registers}]
";

    fn actions_of(src: &str) -> (Compiled, Vec<Action>) {
        let compiled = crate::compile(src);
        let all = actions(src, &compiled, Span::new(0, src.len()));
        (compiled, all)
    }

    /// The text after applying the action whose title starts with `title`; the diagnostic it
    /// fixes is gone from the edited text.
    fn applied(src: &str, title: &str) -> String {
        let (compiled, all) = actions_of(src);
        let titles: Vec<&str> = all.iter().map(|a| a.title.as_str()).collect();
        let action = all
            .iter()
            .find(|a| a.title.starts_with(title))
            .unwrap_or_else(|| panic!("no action {title:?} in {titles:?}"));
        let out = apply(src, &action.edits);
        let fixed = &compiled.diagnostics[action.diagnostic];
        let after = crate::compile(&out);
        assert!(
            !after
                .diagnostics
                .iter()
                .any(|d| d.code == fixed.code && d.message == fixed.message),
            "{title}: still {fixed:?} in\n{out}"
        );
        let broken = |d: &Diagnostic| {
            matches!(
                d.code,
                Code::YamlSyntax
                    | Code::UnknownField
                    | Code::InvalidValue
                    | Code::DuplicateKey
                    | Code::DuplicateId
            ) && !compiled
                .diagnostics
                .iter()
                .any(|b| b.code == d.code && b.message == d.message)
        };
        let new: Vec<&Diagnostic> = after.diagnostics.iter().filter(|d| broken(d)).collect();
        assert!(new.is_empty(), "{title}: broke the file: {new:?}\n{out}");
        out
    }

    #[test]
    fn did_you_mean_replaces_only_the_id_block() {
        insta::assert_snapshot!(applied(BLOCK, "Replace `sesions` with `sessions`"));
    }

    #[test]
    fn did_you_mean_inside_an_applies_to_link_keeps_the_quotes_and_the_other_end() {
        let src = BLOCK.replace("[sesions,", "[sessions,");
        let out = applied(&src, "Replace `sesions` with `sessions`");
        assert!(
            out.contains("applies_to: [\"mentoring -> sessions\", confiance]"),
            "{out}"
        );
        assert_eq!(out.len(), src.len() + 1);
    }

    #[test]
    fn did_you_mean_for_a_misspelt_key_and_a_misspelt_word() {
        let src = "title: t\noutputs:\n  - id: o\n    lable: O\nmeasures:\n  - id: m\n    label: M\n    kind: 'quantitive'\n";
        let out = applied(src, "Replace `lable` with `label`");
        assert!(out.contains("    label: O\n"), "{out}");
        let out = applied(src, "Replace `quantitive` with `quantitative`");
        assert!(out.contains("kind: 'quantitative'\n"), "{out}");
        let src = "title: t\nsources:\n  - id: s\n    label: S\n    allow: [unused-sorce]\n";
        let out = applied(src, "Replace `unused-sorce` with `unused-source`");
        assert!(out.contains("allow: [unused-source]\n"), "{out}");
    }

    #[test]
    fn did_you_mean_flow() {
        insta::assert_snapshot!(applied(FLOW, "Replace `sesions` with `sessions`"));
    }

    #[test]
    fn create_missing_node_in_the_next_stage_block() {
        insta::assert_snapshot!(applied(BLOCK, "Create `amitiés` as a direct impact"));
    }

    #[test]
    fn create_missing_node_writes_the_stage_when_the_file_lacks_it_flow() {
        insta::assert_snapshot!(applied(FLOW, "Create `confiance` as a direct impact"));
    }

    #[test]
    fn create_missing_node_from_the_last_stage_stays_in_it() {
        let src = "title: t\nsystemic_impacts:\n  - id: a\n    label: A\n    leads_to: [b]\n";
        let out = applied(src, "Create `b` as a systemic impact");
        assert_eq!(
            out,
            "title: t\nsystemic_impacts:\n  - id: a\n    label: A\n    leads_to: [b]\n  - id: b\n    label: B\n"
        );
    }

    #[test]
    fn measure_stub_block() {
        insta::assert_snapshot!(applied(BLOCK, "Add a measure for `confiance`"));
    }

    #[test]
    fn measure_stub_creates_the_measures_section_flow() {
        let src = FLOW.replace("leads_to: [sesions]", "leads_to: [sessions]");
        insta::assert_snapshot!(applied(&src, "Add a measure for `sessions`"));
    }

    #[test]
    fn measure_stub_follows_the_file_indentation() {
        let src = "title: t\noutputs:\n- id: o\n  label: \"O: one\"\n  measures: []\nmeasures:\n- id: m\n  label: M\n  allow: [unused-measure]\n";
        let out = applied(src, "Add a measure for `o`");
        assert_eq!(
            out,
            "title: t\noutputs:\n- id: o\n  label: \"O: one\"\n  measures: [o-measure]\nmeasures:\n- id: m\n  label: M\n  allow: [unused-measure]\n- id: o-measure\n  label: \"Measure of O: one\"\n"
        );
    }

    #[test]
    fn allow_with_a_reason_block() {
        insta::assert_snapshot!(applied(BLOCK, "Allow `unmeasured-outcome` for `confiance`"));
    }

    #[test]
    fn allow_appends_to_an_existing_list_in_its_style() {
        let src = "title: t\nsources:\n  - id: s\n    label: S\n    allow:\n      - code: undocumented-storage\n        reason: kept on paper\n  - id: s2\n    label: S2\n    allow: [undocumented-storage]\n";
        let out = applied(src, "Allow `unused-source` for `s`");
        assert!(
            out.contains("        reason: kept on paper\n      - code: unused-source\n        reason: \"TODO: say why this exception is deliberate\"\n  - id: s2"),
            "{out}"
        );
        let out = applied(src, "Allow `unused-source` for `s2`");
        assert!(
            out.contains("allow: [undocumented-storage, {code: unused-source, reason: \"TODO: say why this exception is deliberate\"}]"),
            "{out}"
        );
    }

    #[test]
    fn new_lines_in_a_crlf_file_end_with_crlf() {
        let src = BLOCK.replace('\n', "\r\n");
        let out = applied(&src, "Add a measure for `confiance`");
        assert_eq!(
            out.matches('\n').count(),
            out.matches("\r\n").count(),
            "{out:?}"
        );
        assert_eq!(
            out.replace("\r\n", "\n"),
            applied(BLOCK, "Add a measure for `confiance`")
        );
    }

    #[test]
    fn allow_flow() {
        insta::assert_snapshot!(applied(FLOW, "Allow `unused-source` for `registers`"));
    }

    #[test]
    fn only_diagnostics_in_the_range_get_actions() {
        let compiled = crate::compile(BLOCK);
        let at = BLOCK.find("sesions").expect("typo");
        let here = actions(BLOCK, &compiled, Span::new(at, at));
        let titles: Vec<&str> = here.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Replace `sesions` with `sessions`",
                "Create `sesions` as an output"
            ]
        );
        assert!(here[0].preferred);
    }

    #[test]
    fn a_broken_file_offers_no_actions_and_does_not_panic() {
        for src in ["", "title: [", "title: t\noutputs: 3\n", "- a\n- b\n"] {
            let compiled = crate::compile(src);
            let _ = actions(src, &compiled, Span::new(0, src.len()));
        }
    }

    #[test]
    fn a_replacement_that_plain_text_would_misread_is_quoted() {
        // An invalid id may still be the nearest; written plain, `]` would end the list.
        let src = "title: t\noutputs:\n  - id: \"a]b\"\n    label: A\n    measures: [m]\n    leads_to: [a]c]\nmeasures:\n  - id: m\n    label: M\n";
        let compiled = crate::compile(src);
        for a in actions(src, &compiled, Span::new(0, src.len())) {
            let out = apply(src, &a.edits);
            assert!(
                crate::parse::parse(&out, &Default::default()).is_ok(),
                "{}: {out}",
                a.title
            );
        }
        let src = "title: t\nactivities:\n  - id: a\n    label: A\n    leads_to: [b]\noutputs:\n  - id: \"b]\"\n    label: B\n";
        let compiled = crate::compile(src);
        let fix = actions(src, &compiled, Span::new(0, src.len()))
            .into_iter()
            .find(|a| a.preferred)
            .expect("the did-you-mean");
        assert_eq!(
            apply(src, &fix.edits).lines().nth(4),
            Some("    leads_to: [\"b]\"]")
        );
    }

    #[test]
    fn no_item_is_created_for_an_id_that_is_not_valid() {
        let src = "title: t\nactivities:\n  - id: a\n    label: A\n    leads_to: [\"x y\"]\noutputs:\n  - id: \"b c\"\n    label: B\n";
        let (_, all) = actions_of(src);
        let titles: Vec<&str> = all.iter().map(|a| a.title.as_str()).collect();
        assert!(
            !titles
                .iter()
                .any(|t| t.starts_with("Create") || t.starts_with("Add a measure")),
            "{titles:?}"
        );
    }

    #[test]
    fn a_document_written_as_one_flow_mapping_gets_its_new_keys_inside_the_braces() {
        let src = "{\"title\": \"t\", \"inputs\": [{\"id\": \"a\", \"label\": \"A\", \"leads_to\": [\"b\"]}], \"outputs\": [{\"id\": \"c\", \"label\": \"C\"}]}\n";
        let out = applied(src, "Create `b` as an activity");
        assert!(
            out.contains("}], activities: [{id: b, label: B}], \"outputs\""),
            "{out}"
        );
        let src = "{title: t, direct_impacts: [{id: d, label: D}]}";
        let out = applied(src, "Add a measure for `d`");
        assert_eq!(
            out,
            "{title: t, direct_impacts: [{id: d, label: D, measures: [d-measure]}], measures: [{id: d-measure, label: Measure of D}]}"
        );
    }

    #[test]
    fn scalars_are_quoted_only_when_plain_text_would_read_differently() {
        assert_eq!(
            scalar("Jeunes « plus » confiants"),
            "Jeunes « plus » confiants"
        );
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("say \"hi\""), "say \"hi\"");
        assert_eq!(scalar("#1 [x]"), "\"#1 [x]\"");
        assert_eq!(humanise("fewer-re_offences"), "Fewer re offences");
        assert_eq!(humanise("évaluation"), "Évaluation");
    }
}
