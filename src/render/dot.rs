//! Graphviz DOT export: the same graph, one `rank=same` group per stage.

use std::fmt::Write;

use petgraph::visit::EdgeRef;

use crate::graph::Graph;
use crate::model::{Model, Stage};

/// Quotes `s` as a DOT string: backslashes and quotes escaped, newlines kept as `\n`.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            // Graphviz copies text into the SVG it draws, where these break the XML.
            c if crate::render::is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The model as a DOT digraph laid out left to right.
pub fn dot(model: &Model, graph: &Graph) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "digraph elmo {{");
    let _ = writeln!(
        s,
        "  label={};\n  labelloc=t;\n  rankdir=LR;\n  newrank=true;",
        quote(&model.title.value)
    );
    let _ = writeln!(
        s,
        "  node [shape=box, style=rounded, fontname=\"DejaVu Sans\"];"
    );
    for stage in Stage::ALL {
        let nodes = model.stage(stage);
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph {} {{\n    rank=same;",
            quote(&format!("cluster_{}", stage.key()))
        );
        let _ = writeln!(s, "    label={};", quote(stage.title()));
        for node in nodes {
            let _ = writeln!(
                s,
                "    {} [label={}];",
                quote(&node.id.value),
                quote(&node.label.value)
            );
        }
        let _ = writeln!(s, "  }}");
    }
    for e in graph.graph.edge_references() {
        let from = graph.model_node(model, e.source());
        let to = graph.model_node(model, e.target());
        let _ = writeln!(s, "  {} -> {};", quote(&from.id.value), quote(&to.id.value));
    }
    let _ = writeln!(s, "}}");
    s
}
