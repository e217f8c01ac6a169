//! Mermaid export: a `flowchart LR` with one subgraph per stage, which GitHub, GitLab and
//! many wikis draw inside Markdown.
//!
//! Node ids become `n0`, `n1`, … in stage then file order, so no id can collide with a
//! Mermaid keyword (`end`, `graph`, `style`…) or carry punctuation Mermaid reads as syntax.
//! Labels are quoted, with every character that could end the quote, open a directive or be
//! read as HTML written as a Mermaid entity code (`#34;`).

use std::fmt::Write;

use petgraph::visit::EdgeRef;

use crate::graph::Graph;
use crate::model::{Model, Stage};

/// Escapes `s` for a double-quoted Mermaid label.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            // Line breaks would end the statement; a label is one line in the drawing too.
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c if crate::render::is_noncharacter(c) => out.push('\u{FFFD}'),
            '"' | '#' | '<' | '>' | '&' | ';' | '%' | '{' | '}' | '`' | '|' | '\\' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The Mermaid id of graph node `i`.
fn id(i: usize) -> String {
    format!("n{i}")
}

/// The model as a Mermaid flowchart, left to right.
pub fn mermaid(model: &Model, graph: &Graph) -> String {
    let mut s = String::new();
    // Front matter carries the title; a JSON string is a valid YAML double-quoted scalar, and
    // markup characters become `\u` escapes so no raw `<` reaches a page that embeds the text;
    // non-characters, which Mermaid would copy into its SVG, are replaced first.
    let title: String = model
        .title
        .value
        .chars()
        .map(|c| {
            if crate::render::is_noncharacter(c) {
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
        let members: Vec<usize> = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage == stage)
            .map(|ix| ix.index())
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph stage_{}[\"{}\"]",
            stage.key(),
            escape(stage.title())
        );
        for &i in &members {
            let node = graph.model_node(model, petgraph::graph::NodeIndex::new(i));
            let _ = writeln!(s, "    {}[\"{}\"]", id(i), escape(&node.label.value));
        }
        let _ = writeln!(s, "  end");
    }
    for e in graph.graph.edge_references() {
        let _ = writeln!(
            s,
            "  {} --> {}",
            id(e.source().index()),
            id(e.target().index())
        );
    }
    // Stage colours match the light theme's outlines.
    let theme = crate::render::theme::LIGHT;
    for (k, stage) in Stage::ALL.into_iter().enumerate() {
        let members: Vec<String> = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage == stage)
            .map(|ix| id(ix.index()))
            .collect();
        if members.is_empty() {
            continue;
        }
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
}
