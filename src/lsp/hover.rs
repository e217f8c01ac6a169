//! Hover: what an id names, wherever it is written (its definition, a `leads_to`, a node's
//! `measures`, an `applies_to` link), as Markdown.

use std::collections::HashSet;
use std::fmt::Write;

use crate::model::{Model, Node, Stage, Target};
use crate::results::Results;
use crate::span::Span;

/// The id under byte `offset` of `text` and its span: the run of id characters around it.
pub fn word_at(text: &str, offset: usize) -> Option<(Span, &str)> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let is_id = crate::model::is_id_char;
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_id(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_id(c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| (Span::new(start, end), &text[start..end]))
}

/// The Markdown shown on hovering `id`, when it names something in `model`.
pub fn describe(model: &Model, results: Option<&Results>, id: &str) -> Option<String> {
    if let Some((stage, node)) = model.nodes().find(|(_, n)| n.id.value == id) {
        return Some(node_text(model, results, stage, node));
    }
    if let Some(m) = model.measures.iter().find(|m| m.id.value == id) {
        let mut out = format!("**{}** · measure `{id}`\n\n", md(&m.label));
        out.push_str(&measure_line(m, results));
        let used: Vec<String> = model
            .nodes()
            .filter(|(_, n)| n.measures.iter().any(|r| r.value == id))
            .map(|(_, n)| format!("`{}`", n.id.value))
            .collect();
        if !used.is_empty() {
            let _ = write!(out, "\n\nShows the change in {}", used.join(", "));
        }
        if let Some(s) = &m.source {
            let _ = write!(out, "\n\nSource: `{}`", s.value);
        }
        return Some(out);
    }
    if let Some(s) = model.sources.iter().find(|s| s.id.value == id) {
        let mut out = format!("**{}** · source `{id}`", md(&s.label));
        if let Some(k) = &s.kind {
            let _ = write!(out, " · {}", k.value.as_str());
        }
        let fed: Vec<String> = model
            .measures
            .iter()
            .filter(|m| m.source.as_ref().is_some_and(|r| r.value == id))
            .map(|m| format!("`{}`", m.id.value))
            .collect();
        if !fed.is_empty() {
            let _ = write!(out, "\n\nData for {}", fed.join(", "));
        }
        return Some(out);
    }
    if let Some(a) = model.assumptions.iter().find(|a| a.id.value == id) {
        let status = a.status.as_ref().map_or("untested", |s| s.value.as_str());
        let mut out = format!("**Assumption** `{id}` · {status}\n\n{}", md(&a.text));
        if let Some(e) = &a.evidence {
            let _ = write!(out, "\n\nEvidence: {}", md(e));
        }
        let on: Vec<String> = a
            .applies_to
            .iter()
            .map(|t| format!("`{}`", t.written.value))
            .collect();
        if !on.is_empty() {
            let _ = write!(out, "\n\nApplies to {}", on.join(", "));
        }
        return Some(out);
    }
    if let Some(s) = model.stakeholders.iter().find(|s| s.id.value == id) {
        let mut out = format!("**{}** · stakeholder `{id}`", md(&s.label));
        if let Some(r) = &s.role {
            let _ = write!(out, " · {}", r.value.as_str());
        }
        return Some(out);
    }
    None
}

/// A node: label, stage and description, its measures, the assumptions on it and on its
/// links, and one line of the chain through it.
fn node_text(model: &Model, results: Option<&Results>, stage: Stage, node: &Node) -> String {
    let id = &node.id.value;
    let mut out = format!("**{}** · {} `{id}`", md(&node.label), stage.noun());
    if let Some(d) = &node.description {
        let _ = write!(out, "\n\n{}", md(d));
    }
    if !node.measures.is_empty() {
        out.push_str("\n\n**Measures**");
        for r in &node.measures {
            match model.measures.iter().find(|m| m.id.value == r.value) {
                Some(m) => {
                    let line = measure_line(m, results);
                    let _ = write!(out, "\n- `{}` {}: {line}", r.value, md(&m.label));
                }
                None => {
                    let _ = write!(out, "\n- `{}`: no such measure", r.value);
                }
            }
        }
    } else if stage.is_outcome() {
        out.push_str("\n\nNo measure shows this change yet.");
    }
    let on: Vec<String> = model
        .assumptions
        .iter()
        .filter(|a| {
            a.applies_to.iter().any(|t| match &t.target {
                Target::Node(n) => n == id,
                Target::Link { from, to } => from == id || to == id,
            })
        })
        .map(|a| {
            let status = a.status.as_ref().map_or("untested", |s| s.value.as_str());
            format!("\n- `{}` ({status}): {}", a.id.value, md(&a.text))
        })
        .collect();
    if !on.is_empty() {
        out.push_str("\n\n**Assumptions**");
        out.extend(on);
    }
    let _ = write!(out, "\n\n{}", chain(model, id));
    out
}

/// One measure in a line: its unit, baseline → target, and how it stands.
fn measure_line(m: &crate::model::Measure, results: Option<&Results>) -> String {
    let mut parts = Vec::new();
    if let Some(u) = &m.unit {
        parts.push(md(u));
    }
    let figure = |q: &Option<crate::span::Spanned<crate::model::Quantity>>| {
        q.as_ref()
            .map_or("?".to_string(), |q| md(&q.value.to_string()))
    };
    if m.baseline.is_some() || m.target.is_some() {
        parts.push(format!("{} → {}", figure(&m.baseline), figure(&m.target)));
    }
    let result = results.and_then(|r| r.measure(&m.id.value));
    match result {
        Some(r) => parts.push(format!(
            "{} {} ({})",
            r.status.shape(),
            r.status.word(),
            md(&r.reason)
        )),
        None => {
            let missing = m.missing();
            if missing.is_empty() {
                parts.push("no results yet".to_string());
            } else {
                parts.push(format!("incomplete: no {}", missing.join(", ")));
            }
        }
    }
    parts.join(", ")
}

/// `a → b → **id** → c → d`: the first node feeding each step upstream, and the first each
/// step leads to downstream, with `…` where a step has others.
fn chain(model: &Model, id: &str) -> String {
    let mut up = walk(model, id, false);
    up.reverse();
    let down = walk(model, id, true);
    let mut line = up;
    line.push(format!("**`{id}`**"));
    line.extend(down);
    if line.len() == 1 {
        return "Chain: no links in or out".to_string();
    }
    format!("Chain: {}", line.join(" → "))
}

/// The steps from `id` downstream (or upstream), each the first neighbour not yet passed.
fn walk(model: &Model, id: &str, down: bool) -> Vec<String> {
    // Chains are short in any model people draw; the bound keeps a long one to a line.
    const STEPS: usize = 6;
    let mut seen: HashSet<&str> = HashSet::from([id]);
    let mut out = Vec::new();
    let mut at = id;
    while out.len() < STEPS {
        let options = neighbours(model, at, down);
        let Some(&first) = options.iter().find(|o| !seen.contains(**o)) else {
            break;
        };
        let more = if options.len() > 1 { " (+more)" } else { "" };
        out.push(format!("`{first}`{more}"));
        seen.insert(first);
        at = first;
    }
    out
}

/// The nodes `at` leads to (`down`), or those that lead to it.
fn neighbours<'m>(model: &'m Model, at: &str, down: bool) -> Vec<&'m str> {
    if down {
        model
            .nodes()
            .find(|(_, n)| n.id.value == at)
            .map(|(_, n)| n.leads_to.iter().map(|l| l.to.value.as_str()).collect())
            .unwrap_or_default()
    } else {
        model
            .nodes()
            .filter(|(_, n)| n.leads_to.iter().any(|l| l.to.value == at))
            .map(|(_, n)| n.id.value.as_str())
            .collect()
    }
}

/// Text from the model, with the characters Markdown would read inside a line escaped (a
/// few more escapes would show as backslashes in editors that print Markdown as it is).
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "title: t
inputs:
  - id: staff
    label: Staff
    leads_to: [sessions]
activities:
  - id: sessions
    label: Weekly sessions
    description: One hour, every week
    leads_to: [confidence]
direct_impacts:
  - id: confidence
    label: More confidence
    measures: [score]
measures:
  - id: score
    label: Confidence score
    unit: points
    baseline: 10
    target: 14
assumptions:
  - id: turn-up
    text: People come back
    status: challenged
    applies_to: [\"staff -> sessions\"]
";

    #[test]
    fn a_node_shows_its_measures_assumptions_and_chain() {
        let model = crate::compile(MODEL).model.expect("model");
        let text = describe(&model, None, "sessions").expect("a node");
        assert!(
            text.starts_with("**Weekly sessions** · activity `sessions`"),
            "{text}"
        );
        assert!(text.contains("One hour, every week"), "{text}");
        assert!(
            text.contains("`turn-up` (challenged): People come back"),
            "{text}"
        );
        assert!(
            text.ends_with("Chain: `staff` → **`sessions`** → `confidence`"),
            "{text}"
        );
        let text = describe(&model, None, "confidence").expect("a node");
        assert!(
            text.contains(
                "- `score` Confidence score: points, 10 → 14, incomplete: no source, frequency"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_word_under_the_cursor_is_a_whole_id() {
        let text = "applies_to: [\"staff -> sessions\"]";
        let at = text.find("ssions").expect("in");
        assert_eq!(word_at(text, at).map(|(_, w)| w), Some("sessions"));
        assert_eq!(word_at(text, text.len()), None);
        assert_eq!(word_at("é-x", 1).map(|(_, w)| w), Some("é-x"));
    }
}
