//! `refuted-assumption` and `unused-assumption`: what the chain rests on, and what the
//! evidence says about it.

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::Graph;
use crate::model::{Model, Status, Target};

pub(super) fn check(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    for a in &model.assumptions {
        let id = &a.id.value;
        if a.applies_to.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::UnusedAssumption,
                    format!("the assumption `{id}` applies to nothing"),
                    a.id.span,
                )
                .with_help(format!(
                    "add `applies_to:` to `{id}` with the links (`\"from -> to\"`) or nodes that rest on it, or remove it"
                ))
                .about(id),
            );
            continue;
        }
        let Some(status) = a.status.as_ref().filter(|s| s.value == Status::Refuted) else {
            continue;
        };
        for entry in &a.applies_to {
            // An entry that names nothing is already an unknown-reference error.
            if !resolves(graph, &entry.target) {
                continue;
            }
            let target = &entry.written;
            let what = match entry.target {
                Target::Link { .. } => "the link",
                Target::Node(_) => "the node",
            };
            out.push(
                Diagnostic::new(
                    Code::RefutedAssumption,
                    format!(
                        "{what} `{}` rests on `{id}`, which the evidence refutes: \"{}\"",
                        target.value.trim(),
                        a.text.value
                    ),
                    target.span,
                )
                .with_related(status.span, "marked refuted here")
                .with_help(format!(
                    "rework this part of the chain, or, if the design has already changed, record it with `allow: [{{code: refuted-assumption, reason: ...}}]` on `{id}`"
                ))
                .about(id),
            );
        }
    }
}

/// Whether an `applies_to` target names a node, or a link that exists.
fn resolves(graph: &Graph, target: &Target) -> bool {
    match target {
        Target::Link { from, to } => match (graph.node(from), graph.node(to)) {
            (Some(f), Some(t)) => graph.graph.find_edge(f, t).is_some(),
            _ => false,
        },
        Target::Node(id) => graph.node(id).is_some(),
    }
}
