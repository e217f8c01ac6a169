//! Mermaid export: a `flowchart LR` with one subgraph per stage, which GitHub, GitLab and
//! many wikis draw inside Markdown, carrying what the checks found.
//!
//! A model id that Mermaid reads as a plain id is used as it is, so the source stays
//! traceable to the model: ASCII letters, digits and `_` in parts joined by single `-`,
//! starting with a letter, whose first part is not a Mermaid keyword (`end`, `style`,
//! `class`…). Any other id becomes `_n` and the node's position in the graph, with a
//! `%% _nI = model-id` comment above it. Everything elmo adds (`_inputs` for the stage
//! subgraphs, `_a1` for assumption notes) starts with `_`, which no id used as is does, so
//! nothing can collide. Labels are quoted, with every character that could end the quote, open
//! a directive or be read as HTML written as a Mermaid entity code (`#34;`).
//!
//! Findings follow the SVG's conventions: an unmeasured node has a dashed outline (class
//! `unmeasured`), a disconnected one a dotted outline (class `disconnected`), both in the
//! warning colour, and each node says its measure count (or "no measure yet") under its label.
//! Each assumption is a flag-shaped note `_aN` numbered in file order, joined by a dotted line
//! to the nodes it applies to; a link it applies to is labelled `AN`.

use std::borrow::Cow;
use std::fmt::Write;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::findings::{Findings, NodeFindings};
use super::theme::LIGHT;
use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::model::{Model, Stage, Status};

/// Words Mermaid's flowchart grammar reads as syntax where an id stands. Compared without
/// case, with the part of an id before its first `-` (the lexer stops a keyword at a `-`).
const KEYWORDS: [&str; 16] = [
    "accdescr",
    "acctitle",
    "call",
    "class",
    "classdef",
    "click",
    "default",
    "direction",
    "end",
    "flowchart",
    "graph",
    "href",
    "interpolate",
    "linkstyle",
    "style",
    "subgraph",
];

/// Escapes `s` for a double-quoted Mermaid label.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            // Line breaks would end the statement; a label is one line in the drawing too.
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c if crate::escape::is_noncharacter(c) => out.push('\u{FFFD}'),
            '"' | '#' | '<' | '>' | '&' | ';' | '%' | '{' | '}' | '`' | '|' | '\\' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether `id` can stand in Mermaid as it is.
pub fn usable_as_is(id: &str) -> bool {
    let mut parts = id.split('-');
    let first = parts.next().unwrap_or_default();
    let word = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    first.starts_with(|c: char| c.is_ascii_alphabetic())
        && word(first)
        && id.split('-').all(word)
        && !KEYWORDS.iter().any(|k| first.eq_ignore_ascii_case(k))
}

/// The Mermaid id of the node with model id `model_id` at graph index `i`.
fn node_id(model_id: &str, i: usize) -> Cow<'_, str> {
    if usable_as_is(model_id) {
        Cow::Borrowed(model_id)
    } else {
        Cow::Owned(format!("_n{i}"))
    }
}

/// The Mermaid id of assumption note `number`.
fn note_id(number: usize) -> String {
    format!("_a{number}")
}

/// The class name of an assumption status.
fn status_class(s: Status) -> String {
    format!("assumption_{}", s.as_str())
}

/// The label of a node: its text, then its measure count and chain finding on a second line.
fn node_label(label: &str, f: &NodeFindings) -> String {
    let mut notes: Vec<String> = f.measure_note().into_iter().collect();
    if f.disconnected {
        notes.push("not on a full chain".into());
    }
    let mut out = escape(label);
    if !notes.is_empty() {
        let _ = write!(out, "<br/>{}", escape(&notes.join(" · ")));
    }
    out
}

/// The model as a Mermaid flowchart, left to right, marked with what `diagnostics` found.
pub fn mermaid(model: &Model, graph: &Graph, diagnostics: &[Diagnostic]) -> String {
    let findings = Findings::of(model, graph, diagnostics);
    let ids: Vec<Cow<'_, str>> = graph
        .graph
        .node_indices()
        .map(|ix| node_id(&graph.model_node(model, ix).id.value, ix.index()))
        .collect();
    let id = |ix: NodeIndex| ids[ix.index()].as_ref();
    let mut s = String::new();
    // Front matter carries the title; a JSON string is a valid YAML double-quoted scalar, and
    // markup characters become `\u` escapes so no raw `<` reaches a page that embeds the text;
    // non-characters, which Mermaid would copy into its SVG, are replaced first.
    let title: String = model
        .title
        .value
        .chars()
        .map(|c| {
            if crate::escape::is_noncharacter(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    let title = serde_json::to_string(&title)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let _ = writeln!(s, "---\ntitle: {title}\n---\nflowchart LR");
    for stage in Stage::ALL {
        let members: Vec<NodeIndex> = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage == stage)
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph _{}[\"{}\"]",
            stage.key(),
            escape(stage.title())
        );
        for ix in members {
            let node = graph.model_node(model, ix);
            if id(ix) != node.id.value {
                // Model ids are letters, digits, `-` and `_`: nothing that can end a comment.
                let _ = writeln!(s, "    %% {} = {}", id(ix), node.id.value);
            }
            let _ = writeln!(
                s,
                "    {}[\"{}\"]",
                id(ix),
                node_label(&node.label.value, &findings.nodes[ix.index()])
            );
        }
        let _ = writeln!(s, "  end");
    }
    // `linkStyle` addresses links by their place among all link statements.
    let mut links = 0;
    let mut note_links: Vec<(usize, Status)> = Vec::new();
    for e in graph.graph.edge_references() {
        links += 1;
        let numbers = findings.link_numbers(e.source(), e.target());
        let label = if numbers.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = numbers.iter().map(|n| format!("A{n}")).collect();
            format!("|\"{}\"|", names.join(", "))
        };
        let _ = writeln!(s, "  {} -->{label} {}", id(e.source()), id(e.target()));
    }
    for note in &findings.notes {
        let _ = writeln!(
            s,
            "  {}>\"A{} · {}<br/>{}\"]",
            note_id(note.number),
            note.number,
            note.status.as_str(),
            escape(note.text)
        );
        for &ix in &note.nodes {
            let _ = writeln!(s, "  {} -.- {}", note_id(note.number), id(ix));
            note_links.push((links, note.status));
            links += 1;
        }
        // A note only about links has no line to draw; an invisible one keeps it beside the
        // first link's target instead of adrift at the left edge.
        if let (None, Some(&(_, to))) = (note.nodes.first(), note.links.first()) {
            let _ = writeln!(s, "  {} ~~~ {}", note_id(note.number), id(to));
            links += 1;
        }
    }
    // Stage colours match the light theme's outlines.
    let theme = LIGHT;
    for (k, stage) in Stage::ALL.into_iter().enumerate() {
        let members: Vec<&str> = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage == stage)
            .map(id)
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  classDef band_{0} fill:{1},stroke:{1}\n  class _{0} band_{0}",
            stage.key(),
            theme.band[k],
        );
        let _ = writeln!(
            s,
            "  classDef {} fill:{},stroke:{},color:{}\n  class {} {}",
            stage.key(),
            theme.band[k],
            theme.stroke[k],
            theme.text,
            members.join(","),
            stage.key()
        );
    }
    // After the stage classes, so the flagged outline wins; dotted over dashed, as in the SVG.
    let flagged = |pick: fn(&NodeFindings) -> bool| -> Vec<&str> {
        graph
            .graph
            .node_indices()
            .filter(|ix| pick(&findings.nodes[ix.index()]))
            .map(id)
            .collect()
    };
    for (class, dash, members) in [
        (
            "unmeasured",
            "8 5",
            flagged(|f| f.unmeasured && !f.disconnected),
        ),
        ("disconnected", "2 4", flagged(|f| f.disconnected)),
    ] {
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  classDef {class} stroke:{},stroke-width:3px,stroke-dasharray:{dash}\n  class {} {class}",
            theme.warn,
            members.join(",")
        );
    }
    for status in [
        Status::Untested,
        Status::Holding,
        Status::Challenged,
        Status::Refuted,
    ] {
        let members: Vec<String> = findings
            .notes
            .iter()
            .filter(|n| n.status == status)
            .map(|n| note_id(n.number))
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  classDef {} fill:{},stroke:{},stroke-width:2px,color:{}\n  class {} {}",
            status_class(status),
            theme.node,
            theme.status_fill(status),
            theme.text,
            members.join(","),
            status_class(status)
        );
    }
    for (i, status) in note_links {
        let _ = writeln!(
            s,
            "  linkStyle {i} stroke:{},stroke-width:2px",
            theme.status_fill(status)
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_markup_become_entity_codes() {
        assert_eq!(escape(r#"a "b" <c>"#), "a #34;b#34; #60;c#62;");
        assert_eq!(escape("x#35;y"), "x#35;35#59;y");
        assert_eq!(escape("end"), "end");
        assert_eq!(escape("two\nlines"), "two lines");
    }

    #[test]
    fn plain_ids_are_kept_and_keywords_scripts_and_punctuation_are_not() {
        for ok in [
            "engaged-1m",
            "s0-n3",
            "a_b",
            "x",
            "o-x",
            "endpoint",
            "x-end",
            "End_x",
        ] {
            assert!(usable_as_is(ok), "{ok}");
        }
        for bad in [
            "end",
            "End",
            "end-x",
            "style-a",
            "class",
            "click",
            "graph",
            "a--b",
            "a-",
            "-a",
            "1m",
            "_a1",
            "_inputs",
            "класс",
            "a.b",
            "",
        ] {
            assert!(!usable_as_is(bad), "{bad}");
        }
    }
}
