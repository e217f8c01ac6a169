//! What the checks found, gathered for the text exports (DOT and Mermaid), so that a reader of
//! the exported graph sees the same gaps and assumptions as a reader of the SVG.
//!
//! Like the SVG, everything here is read from the diagnostics the checks produced (at their
//! final lint levels, so an allowed lint marks nothing) and from the model; nothing is
//! recomputed. Assumptions are numbered in file order, as in the SVG's key.

use std::collections::{HashMap, HashSet};

use petgraph::graph::NodeIndex;

use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::lint::Code;
use crate::model::{Model, Status, Target};

/// The findings about one node.
#[derive(Debug, Clone, Default)]
pub struct NodeFindings {
    /// How many defined measures the node lists.
    pub measures: usize,
    /// Flagged `unmeasured-outcome` or `unmeasured-output`.
    pub unmeasured: bool,
    /// Flagged `disconnected-node`.
    pub disconnected: bool,
    /// Every code about the node, in diagnostic order.
    pub issues: Vec<Code>,
}

impl NodeFindings {
    /// The measure count as a reader sees it: the count, or "no measure yet" where the checks
    /// asked for one (inputs and activities need none, so they say nothing).
    pub fn measure_note(&self) -> Option<String> {
        match self.measures {
            0 if self.unmeasured => Some("no measure yet".into()),
            0 => None,
            1 => Some("1 measure".into()),
            n => Some(format!("{n} measures")),
        }
    }
}

/// One assumption and what rests on it.
#[derive(Debug, Clone)]
pub struct Note<'m> {
    /// Its number in the key (1-based, file order).
    pub number: usize,
    /// Its id.
    pub id: &'m str,
    /// Its status.
    pub status: Status,
    /// The statement.
    pub text: &'m str,
    /// The nodes it applies to, in `applies_to` order.
    pub nodes: Vec<NodeIndex>,
    /// The links it applies to, in `applies_to` order.
    pub links: Vec<(NodeIndex, NodeIndex)>,
}

/// The findings of a whole model.
#[derive(Debug, Clone)]
pub struct Findings<'m> {
    /// Per graph node, by node index.
    pub nodes: Vec<NodeFindings>,
    /// Every assumption, in file order.
    pub notes: Vec<Note<'m>>,
}

impl<'m> Findings<'m> {
    /// Gathers the findings of `model`. Targets that name nothing are left out: they are the
    /// `unknown-reference` error's to report.
    pub fn of(model: &'m Model, graph: &Graph, diagnostics: &[Diagnostic]) -> Findings<'m> {
        let mut by_subject: HashMap<&str, Vec<Code>> = HashMap::new();
        for d in diagnostics {
            if let Some(s) = &d.subject {
                let codes = by_subject.entry(s.as_str()).or_default();
                if !codes.contains(&d.code) {
                    codes.push(d.code);
                }
            }
        }
        let defined: HashSet<&str> = model.measures.iter().map(|m| m.id.value.as_str()).collect();
        let nodes = graph
            .graph
            .node_indices()
            .map(|ix| {
                let node = graph.model_node(model, ix);
                let issues = by_subject
                    .get(node.id.value.as_str())
                    .cloned()
                    .unwrap_or_default();
                NodeFindings {
                    measures: node
                        .measures
                        .iter()
                        .filter(|m| defined.contains(m.value.as_str()))
                        .count(),
                    unmeasured: issues
                        .iter()
                        .any(|c| matches!(c, Code::UnmeasuredOutcome | Code::UnmeasuredOutput)),
                    disconnected: issues.contains(&Code::DisconnectedNode),
                    issues,
                }
            })
            .collect();
        let notes = model
            .assumptions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut note = Note {
                    number: i + 1,
                    id: &a.id.value,
                    status: a.status.as_ref().map(|s| s.value).unwrap_or_default(),
                    text: &a.text.value,
                    nodes: Vec::new(),
                    links: Vec::new(),
                };
                for t in &a.applies_to {
                    match &t.target {
                        Target::Link { from, to } => {
                            if let (Some(f), Some(t)) = (graph.node(from), graph.node(to))
                                && graph.graph.find_edge(f, t).is_some()
                                && !note.links.contains(&(f, t))
                            {
                                note.links.push((f, t));
                            }
                        }
                        Target::Node(id) => {
                            if let Some(ix) = graph.node(id.trim())
                                && !note.nodes.contains(&ix)
                            {
                                note.nodes.push(ix);
                            }
                        }
                    }
                }
                note
            })
            .collect();
        Findings { nodes, notes }
    }

    /// The numbers of the assumptions that rest on the link `from -> to`, in key order.
    pub fn link_numbers(&self, from: NodeIndex, to: NodeIndex) -> Vec<usize> {
        self.notes
            .iter()
            .filter(|n| n.links.contains(&(from, to)))
            .map(|n| n.number)
            .collect()
    }
}

/// Breaks `text` into lines of at most `width` characters at spaces (a longer word keeps its
/// own line): DOT draws a label on one line however long it is.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_long_words_whole() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            ["averyveryverylongword", "x"]
        );
        assert_eq!(wrap("  spaced\n\nout  ", 40), ["spaced out"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn measure_note_speaks_only_where_a_measure_is_expected() {
        let f = |measures, unmeasured| NodeFindings {
            measures,
            unmeasured,
            ..NodeFindings::default()
        };
        assert_eq!(f(0, false).measure_note(), None);
        assert_eq!(f(0, true).measure_note().as_deref(), Some("no measure yet"));
        assert_eq!(f(1, false).measure_note().as_deref(), Some("1 measure"));
        assert_eq!(f(3, false).measure_note().as_deref(), Some("3 measures"));
    }
}
