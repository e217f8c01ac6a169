//! The outline of a model (`textDocument/documentSymbol`): each stage with its nodes, then
//! the measures, sources and assumptions.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::position::LineIndex;
use crate::model::{Model, Stage};
use crate::span::{Span, Spanned};

/// The outline of `model`, whose spans are into `text`. Empty stages and lists are left out.
pub fn outline(model: &Model, text: &str, lines: &LineIndex) -> Vec<DocumentSymbol> {
    let item = |id: &Spanned<String>, detail: &str, span: Span, kind| {
        // An item decoded with problems may lack a span of its own; its id stands in.
        let span = if span.is_empty() { id.span } else { span };
        symbol(
            &id.value,
            Some(detail),
            kind,
            span_union(span, id.span),
            id.span,
            text,
            lines,
            Vec::new(),
        )
    };
    let mut out = Vec::new();
    for stage in Stage::ALL {
        let nodes: Vec<DocumentSymbol> = model
            .stage(stage)
            .iter()
            .map(|n| item(&n.id, &n.label.value, n.span, SymbolKind::CLASS))
            .collect();
        let spans = model.stage(stage).iter().map(|n| n.span);
        out.extend(group(stage.title(), spans, nodes, text, lines));
    }
    let measures = model
        .measures
        .iter()
        .map(|m| item(&m.id, &m.label.value, m.span, SymbolKind::FIELD))
        .collect();
    let spans = model.measures.iter().map(|m| m.span);
    out.extend(group("Measures", spans, measures, text, lines));
    let sources = model
        .sources
        .iter()
        .map(|s| item(&s.id, &s.label.value, s.span, SymbolKind::PACKAGE))
        .collect();
    let spans = model.sources.iter().map(|s| s.span);
    out.extend(group("Sources", spans, sources, text, lines));
    let assumptions = model
        .assumptions
        .iter()
        .map(|a| item(&a.id, &a.text.value, a.span, SymbolKind::INTERFACE))
        .collect();
    let spans = model.assumptions.iter().map(|a| a.span);
    out.extend(group("Assumptions", spans, assumptions, text, lines));
    out
}

/// A heading over `children`, covering their spans; `None` when there are none.
fn group(
    name: &str,
    spans: impl Iterator<Item = Span>,
    children: Vec<DocumentSymbol>,
    text: &str,
    lines: &LineIndex,
) -> Option<DocumentSymbol> {
    let span = spans.reduce(span_union)?;
    let first = Span::new(span.start, span.start);
    Some(symbol(
        name,
        None,
        SymbolKind::NAMESPACE,
        span,
        first,
        text,
        lines,
        children,
    ))
}

fn span_union(a: Span, b: Span) -> Span {
    Span::new(a.start.min(b.start), a.end.max(b.end))
}

#[allow(clippy::too_many_arguments)]
fn symbol(
    name: &str,
    detail: Option<&str>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    text: &str,
    lines: &LineIndex,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    // Some clients refuse a symbol with an empty name.
    let name = if name.is_empty() { "(no id)" } else { name };
    #[allow(deprecated)]
    DocumentSymbol {
        name: name.to_string(),
        detail: detail.map(str::to_string),
        kind,
        tags: None,
        deprecated: None,
        range: lines.range(text, span),
        selection_range: lines.range(text, selection),
        children: (!children.is_empty()).then_some(children),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_groups_nodes_by_stage_in_causal_order() {
        let text = "title: t\noutputs:\n  - id: b\n    label: B\ninputs:\n  - id: a\n    label: A\n    leads_to: [b]\nmeasures:\n  - id: m\n    label: M\n";
        let model = crate::compile(text).model.expect("model");
        let lines = LineIndex::new(text);
        let outline = outline(&model, text, &lines);
        let names: Vec<(&str, Vec<&str>)> = outline
            .iter()
            .map(|g| {
                let kids = g.children.iter().flatten().map(|c| c.name.as_str());
                (g.name.as_str(), kids.collect())
            })
            .collect();
        assert_eq!(
            names,
            [
                ("Inputs", vec!["a"]),
                ("Outputs", vec!["b"]),
                ("Measures", vec!["m"])
            ]
        );
        let a = &outline[0].children.as_ref().expect("children")[0];
        assert_eq!(a.selection_range.start, lsp_types::Position::new(5, 8));
        assert_eq!(a.detail.as_deref(), Some("A"));
    }
}
