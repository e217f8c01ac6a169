//! Completion: the model's ids where a reference goes, and the format's keys and words
//! everywhere else.
//!
//! Where the cursor is comes from [`super::context`], which reads the text alone; which ids
//! exist comes from the last compile that produced a model, so a half-typed document that
//! does not parse still completes. Keys and words come from the JSON Schema that the decoder
//! takes its keys from ([`crate::model::schema`]), so completion offers exactly what
//! `elmo check` accepts.

use std::sync::OnceLock;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionTextEdit,
    Documentation, MarkupContent, MarkupKind, TextEdit,
};
use serde_json::Value;

use super::context::{self, At, Context, Step};
use super::position::LineIndex;
use crate::lint::Code;
use crate::model::{Model, Stage};

/// What a reference at the cursor names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    Nodes,
    Measures,
    Sources,
    Stakeholders,
    Breakdowns,
    /// A node, or a link written `from -> to`.
    NodesOrLinks,
}

/// The completions at byte `offset` of `text`. `model` is the last model compiled from the
/// document, which may be of an earlier text.
pub fn complete(
    text: &str,
    lines: &LineIndex,
    offset: usize,
    model: Option<&Model>,
) -> Vec<CompletionItem> {
    let ctx = context::at(text, offset);
    let range = lines.range(text, crate::span::Span::new(ctx.word.start, ctx.word.end));
    let edit = |new_text: String| Some(CompletionTextEdit::Edit(TextEdit { range, new_text }));
    let mut items = Vec::new();
    if let (Some(names), Some(model)) = (names(&ctx), model) {
        let own = own_id(text, offset.min(text.len()));
        for mut item in ids(names, &ctx, model, own) {
            item.text_edit = edit(item.label.clone());
            items.push(item);
        }
    }
    let schema = schema_at(&ctx.path);
    if matches!(ctx.at, At::Key | At::Entry) {
        for (key, description) in keys(&schema) {
            // Keys come after the ids at an entry, which may be either.
            let insert = if ctx.line_ends {
                format!("{key}: ")
            } else {
                key.clone()
            };
            items.push(CompletionItem {
                kind: Some(CompletionItemKind::PROPERTY),
                detail: description.as_deref().map(first_line),
                documentation: description.map(markdown),
                sort_text: Some(format!("2{key}")),
                filter_text: Some(key.clone()),
                text_edit: edit(insert),
                label: key,
                ..CompletionItem::default()
            });
        }
    }
    if matches!(ctx.at, At::Value | At::Entry) {
        for (word, description) in words(&schema) {
            let description = description.or_else(|| {
                let code = word.parse::<Code>().ok()?;
                Some(code.lint().summary.to_string())
            });
            items.push(CompletionItem {
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: description.as_deref().map(first_line),
                documentation: description.map(markdown),
                sort_text: Some(format!("1{word}")),
                text_edit: edit(word.clone()),
                label: word,
                ..CompletionItem::default()
            });
        }
    }
    items
}

/// What the reference at the cursor names, by the keys it sits under.
fn names(ctx: &Context) -> Option<Names> {
    if ctx.at == At::Key {
        return None;
    }
    let in_list = matches!(ctx.path.last(), Some(Step::Item));
    let is_stage = |k: &str| k.parse::<Stage>().is_ok();
    match ctx.keys().as_slice() {
        [stage, "leads_to"] if in_list && is_stage(stage) => Some(Names::Nodes),
        [stage, "leads_to", "to"] if is_stage(stage) => Some(Names::Nodes),
        [stage, "measures"] if in_list && is_stage(stage) => Some(Names::Measures),
        [stage, "concerns"] if in_list && is_stage(stage) => Some(Names::Stakeholders),
        ["measures", "source"] => Some(Names::Sources),
        ["measures", "breakdowns"] if in_list => Some(Names::Breakdowns),
        ["assumptions", "applies_to"] if in_list => Some(Names::NodesOrLinks),
        ["external_factors", "affects"] if in_list => Some(Names::Nodes),
        _ => None,
    }
}

/// The id of the item the cursor is in, read from the text: the nearest `id:` before it, on
/// its own line or in a flow mapping (`{id: x, leads_to: [`).
fn own_id(text: &str, offset: usize) -> Option<&str> {
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // An item's keys are a few lines at most; the bound keeps a long file's search short.
    for line in text[..offset].rsplit('\n').take(200) {
        let found = line.rmatch_indices("id:").find(|(i, _)| {
            let before = line[..*i].chars().next_back();
            before.is_none_or(|c| c == ' ' || c == '{' || c == ',' || c == '-')
        });
        if let Some((i, _)) = found {
            let value = line[i + 3..].trim_start();
            let end = value
                .char_indices()
                .find(|&(_, c)| !crate::model::is_id_char(c))
                .map_or(value.len(), |(j, _)| j);
            return (end > 0).then(|| &value[..end]);
        }
    }
    None
}

/// The items `names` offers, labelled with their ids; `own` is the id of the item the
/// cursor is in.
fn ids(names: Names, ctx: &Context, model: &Model, own: Option<&str>) -> Vec<CompletionItem> {
    let item = |id: &str, detail: String, description: Option<&str>, sort: String| CompletionItem {
        label: id.to_string(),
        kind: Some(CompletionItemKind::REFERENCE),
        label_details: Some(CompletionItemLabelDetails {
            detail: None,
            description: Some(detail.clone()),
        }),
        detail: Some(detail),
        documentation: description.map(|d| markdown(d.to_string())),
        sort_text: Some(sort),
        ..CompletionItem::default()
    };
    match names {
        Names::NodesOrLinks if ctx.typed.contains("->") => {
            // After `from -> `, the nodes `from` leads to.
            let from = ctx.typed.split("->").next().unwrap_or_default().trim();
            let Some((_, node)) = model.nodes().find(|(_, n)| n.id.value == from) else {
                return Vec::new();
            };
            node.leads_to
                .iter()
                .enumerate()
                .map(|(i, link)| {
                    let to = model.nodes().find(|(_, n)| n.id.value == link.to.value);
                    let label = to.map_or("", |(_, n)| n.label.value.as_str());
                    let detail = format!("{from} → {}: {label}", link.to.value);
                    item(&link.to.value, detail, None, format!("0{i:05}"))
                })
                .collect()
        }
        Names::Nodes | Names::NodesOrLinks => {
            // The node the cursor is in, when known: it does not lead to itself, and the
            // stages after its own come first.
            let own = own.and_then(|id| model.nodes().find(|(_, n)| n.id.value == id));
            let rank = |stage: Stage| match own {
                Some((s, _)) if stage > s => stage as usize - s as usize,
                Some((s, _)) if stage == s => Stage::ALL.len(),
                Some(_) => Stage::ALL.len() + 1 + stage as usize,
                None => stage as usize,
            };
            model
                .nodes()
                .enumerate()
                .filter(|(_, (_, n))| own.is_none_or(|(_, o)| o.id.value != n.id.value))
                .map(|(i, (stage, n))| {
                    let detail = format!("{}: {}", stage.title(), n.label.value);
                    let sort = format!("0{:02}{i:05}", rank(stage));
                    item(
                        &n.id,
                        detail,
                        n.description.as_deref().map(String::as_str),
                        sort,
                    )
                })
                .collect()
        }
        Names::Measures => model
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let unit = m.unit.as_ref().map(|u| format!(" ({})", u.value));
                let detail = format!("measure: {}{}", m.label.value, unit.unwrap_or_default());
                item(&m.id, detail, None, format!("0{i:05}"))
            })
            .collect(),
        Names::Sources => model
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let detail = format!("source: {}", s.label.value);
                item(&s.id, detail, None, format!("0{i:05}"))
            })
            .collect(),
        Names::Stakeholders => model
            .stakeholders
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let detail = format!("stakeholder: {}", s.label.value);
                item(&s.id, detail, None, format!("0{i:05}"))
            })
            .collect(),
        Names::Breakdowns => model
            .breakdowns
            .iter()
            .enumerate()
            .map(|(i, b)| item(b, "breakdown".into(), None, format!("0{i:05}")))
            .collect(),
    }
}

/// The format's JSON Schema, made once.
fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(crate::model::schema)
}

/// The schema a `$ref` points to, or `v` itself.
fn resolve(v: &Value) -> &Value {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .and_then(|name| schema().get("$defs")?.get(name))
        .unwrap_or(v)
}

/// The schemas a value at `v` may match: `v`, or each of its `anyOf`/`oneOf` alternatives.
fn alternatives(v: &'static Value) -> Vec<&'static Value> {
    let v = resolve(v);
    let alts = v
        .get("anyOf")
        .or_else(|| v.get("oneOf"))
        .and_then(Value::as_array);
    match alts {
        // A described enum (`oneOf` of `const`s) is one schema whose words are its alternatives.
        Some(alts) if alts.iter().all(|a| a.get("const").is_some()) => vec![v],
        Some(alts) => alts.iter().flat_map(alternatives).collect(),
        None => vec![v],
    }
}

/// The schemas of the value at `path`.
fn schema_at(path: &[Step]) -> Vec<&'static Value> {
    let mut here = vec![schema()];
    for step in path {
        here = here
            .into_iter()
            .flat_map(alternatives)
            .filter_map(|alt| match step {
                Step::Key(k) => alt.get("properties")?.get(k),
                Step::Item => alt.get("items"),
            })
            .collect();
    }
    here.into_iter().flat_map(alternatives).collect()
}

/// The keys the mappings among `schemas` may have, with their descriptions.
fn keys(schemas: &[&Value]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for props in schemas
        .iter()
        .filter_map(|s| s.get("properties")?.as_object())
    {
        for (k, v) in props {
            if !out.iter().any(|(o, _)| o == k) {
                out.push((k.clone(), description(v)));
            }
        }
    }
    out
}

/// The words `schemas` allow (enum values, `true` and `false`), with their descriptions.
fn words(schemas: &[&Value]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut add = |w: &Value, d: Option<String>| {
        let w = match w {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if !out.iter().any(|(o, _)| *o == w) {
            out.push((w, d));
        }
    };
    for s in schemas {
        for alt in s
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(c) = alt.get("const") {
                add(c, description(alt));
            }
        }
        if let Some(c) = s.get("const") {
            add(c, description(s));
        }
        for w in s
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            add(w, None);
        }
        if s.get("type").and_then(Value::as_str) == Some("boolean") {
            add(&Value::Bool(true), None);
            add(&Value::Bool(false), None);
        }
    }
    out
}

/// A schema's description, following a `$ref`.
fn description(v: &Value) -> Option<String> {
    v.get("description")
        .or_else(|| resolve(v).get("description"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str, model_text: Option<&str>) -> Vec<String> {
        let offset = text.find('|').expect("cursor");
        let text = text.replacen('|', "", 1);
        let compiled = crate::compile(model_text.unwrap_or(&text));
        let lines = LineIndex::new(&text);
        let items = complete(&text, &lines, offset, compiled.model.as_ref());
        let mut items: Vec<_> = items
            .into_iter()
            .map(|i| (i.sort_text.unwrap_or_default(), i.label))
            .collect();
        items.sort();
        items.into_iter().map(|(_, l)| l).collect()
    }

    const MODEL: &str = "title: t\ninputs:\n  - id: staff\n    label: Staff\n    leads_to: [sessions]\nactivities:\n  - id: sessions\n    label: Sessions\nmeasures:\n  - id: attendance\n    label: Attendance\nsources:\n  - id: registers\n    label: Registers\nassumptions:\n  - id: a1\n    text: T\n";

    #[test]
    fn ids_come_from_the_last_good_model_while_the_text_does_not_parse() {
        let half = "title: t\ninputs:\n  - id: staff\n    label: Staff\n    leads_to: [|\n";
        let got = labels(half, Some(MODEL));
        assert_eq!(got[..1], ["sessions"]);
        let got = labels("outputs:\n  - id: o\n    measures: [att|", Some(MODEL));
        assert_eq!(got, ["attendance"]);
        let got = labels("measures:\n  - id: m\n    source: |", Some(MODEL));
        assert_eq!(got, ["registers"]);
    }

    #[test]
    fn keys_and_words_come_from_the_schema() {
        let got = labels("measures:\n  - id: m\n    kind: |", None);
        assert_eq!(got, ["proxy", "qualitative", "quantitative"]);
        let got = labels("measures:\n  - id: m\n    |", None);
        assert!(got.contains(&"baseline".to_string()), "{got:?}");
        let got = labels("lints:\n  unmeasured-outcome: |", None);
        assert_eq!(got, ["allow", "deny", "warn"]);
        let got = labels("|", None);
        assert!(got.contains(&"direct_impacts".to_string()), "{got:?}");
    }

    #[test]
    fn a_link_in_applies_to_completes_to_where_its_node_leads() {
        let text = "assumptions:\n  - id: a\n    applies_to: [\"staff -> |\"]\n";
        assert_eq!(labels(text, Some(MODEL)), ["sessions"]);
    }
}
