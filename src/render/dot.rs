//! Graphviz DOT export: the same graph, one `rank=same` group per stage, carrying what the
//! checks found.
//!
//! Node ids are the model's ids (DOT quotes any string). Findings follow the SVG's
//! conventions so the two read alike: an unmeasured node has a dashed outline, a disconnected
//! one a dotted outline (the pattern carries the meaning without colour), both in the warning
//! colour, and each says so in words under its label together with its measure count. Every
//! flagged node carries a `class` of `flagged` and its codes, which Graphviz copies into SVG
//! output. Assumptions are note-shaped nodes `"assumption:ID"` numbered `A1`, `A2`… in file
//! order: a note is joined by a dashed line to each node it applies to, and each link it
//! applies to is labelled with its number.

use std::fmt::Write;

use petgraph::visit::EdgeRef;

use super::findings::{Findings, NodeFindings, wrap};
use super::theme::LIGHT;
use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::model::{Model, Stage};

/// Characters per line of a node label; DOT never wraps by itself.
const LABEL_WIDTH: usize = 30;
/// Characters per line of an assumption note.
const NOTE_WIDTH: usize = 40;

/// Quotes `s` as a DOT string: backslashes and quotes escaped, newlines kept as `\n`, and `&`
/// written `&amp;`, because Graphviz decodes HTML entities in every string: without it a label
/// reading `&lt;` would be drawn as `<`.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            // Graphviz copies text into the SVG it draws, where these break the XML.
            c if crate::escape::is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The DOT id of an assumption's note. The colon keeps it apart from every model id, which
/// is letters, digits, `-` and `_` only.
fn note_id(id: &str) -> String {
    quote(&format!("assumption:{id}"))
}

/// The attributes of a node: its label with the findings under it, and the outline style.
fn node_attrs(label: &str, f: &NodeFindings) -> String {
    let mut lines = wrap(label, LABEL_WIDTH);
    if lines.is_empty() {
        lines.push(String::new());
    }
    let mut notes: Vec<String> = f.measure_note().into_iter().collect();
    if f.disconnected {
        notes.push("not on a full chain".into());
    }
    if !notes.is_empty() {
        lines.push(notes.join(" · "));
    }
    let mut attrs = format!("label={}", quote(&lines.join("\n")));
    if !f.issues.is_empty() {
        let codes: Vec<&str> = f.issues.iter().map(|c| c.as_str()).collect();
        let _ = write!(
            attrs,
            ", class={}",
            quote(&format!("flagged {}", codes.join(" ")))
        );
    }
    // Dotted wins over dashed, as in the SVG: being off every chain is the larger gap.
    let pattern = match (f.unmeasured, f.disconnected) {
        (_, true) => Some("dotted"),
        (true, false) => Some("dashed"),
        _ => None,
    };
    if let Some(p) = pattern {
        let _ = write!(
            attrs,
            ", style=\"rounded,{p}\", color=\"{}\", penwidth=2",
            LIGHT.warn
        );
    }
    attrs
}

/// The model as a DOT digraph laid out left to right, marked with what `diagnostics` found.
pub fn dot(model: &Model, graph: &Graph, diagnostics: &[Diagnostic]) -> String {
    let findings = Findings::of(model, graph, diagnostics);
    let mut s = String::new();
    let _ = writeln!(s, "digraph elmo {{");
    let _ = writeln!(
        s,
        "  label={};\n  labelloc=t;\n  fontname=\"DejaVu Sans\";\n  rankdir=LR;\n  newrank=true;",
        quote(&model.title.value)
    );
    let _ = writeln!(
        s,
        "  node [shape=box, style=rounded, fontname=\"DejaVu Sans\"];\n  edge [color=\"{}\", fontname=\"DejaVu Sans\"];",
        LIGHT.link
    );
    for (k, stage) in Stage::ALL.into_iter().enumerate() {
        let members: Vec<_> = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage == stage)
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph {} {{\n    rank=same;",
            quote(&format!("cluster_{}", stage.key()))
        );
        // Stage colours match the light theme's bands and outlines.
        let _ = writeln!(
            s,
            "    label={};\n    style=filled;\n    color=\"{}\";\n    node [color=\"{}\", penwidth=1.5];",
            quote(stage.title()),
            LIGHT.band[k],
            LIGHT.stroke[k]
        );
        for ix in members {
            let node = graph.model_node(model, ix);
            let _ = writeln!(
                s,
                "    {} [{}];",
                quote(&node.id.value),
                node_attrs(&node.label.value, &findings.nodes[ix.index()])
            );
        }
        let _ = writeln!(s, "  }}");
    }
    for e in graph.graph.edge_references() {
        let from = graph.model_node(model, e.source());
        let to = graph.model_node(model, e.target());
        let numbers = findings.link_numbers(e.source(), e.target());
        let mut parts = Vec::new();
        if !numbers.is_empty() {
            let names: Vec<String> = numbers.iter().map(|n| format!("A{n}")).collect();
            parts.push(format!(
                "label={}, class=\"assumed\", fontcolor=\"{}\"",
                quote(&names.join(", ")),
                LIGHT.text
            ));
        }
        // Graphviz shows an edge's tooltip on hover in its SVG output.
        let reason = from
            .leads_to
            .iter()
            .find(|l| l.to.value == to.id.value)
            .and_then(crate::layout::link_reason);
        if let Some(r) = reason {
            parts.push(format!("tooltip={}", quote(&r)));
        }
        let attrs = if parts.is_empty() {
            String::new()
        } else {
            format!(" [{}]", parts.join(", "))
        };
        let _ = writeln!(
            s,
            "  {} -> {}{attrs};",
            quote(&from.id.value),
            quote(&to.id.value)
        );
    }
    for note in &findings.notes {
        let word = note.status.as_str();
        let mut lines = vec![format!("A{} · {word}", note.number)];
        lines.extend(wrap(note.text, NOTE_WIDTH));
        let _ = writeln!(
            s,
            "  {} [shape=note, style=filled, fillcolor=\"{}\", color=\"{}\", penwidth=2, class={}, label={}];",
            note_id(note.id),
            LIGHT.node,
            LIGHT.status_fill(note.status),
            quote(&format!("assumption {word}")),
            quote(&lines.join("\n"))
        );
        // The note stands in the column of what it is about, so its joins stay short.
        if let Some(&ix) = note.nodes.first().or(note.links.first().map(|(_, to)| to)) {
            let _ = writeln!(
                s,
                "  {{ rank=same; {}; {}; }}",
                note_id(note.id),
                quote(&graph.model_node(model, ix).id.value)
            );
        }
        // The dashed join neither ranks the note nor points anywhere: it only says "this one".
        for &ix in &note.nodes {
            let _ = writeln!(
                s,
                "  {} -> {} [style=dashed, arrowhead=none, constraint=false, color=\"{}\"];",
                note_id(note.id),
                quote(&graph.model_node(model, ix).id.value),
                LIGHT.status_fill(note.status)
            );
        }
    }
    let _ = writeln!(s, "}}");
    s
}
