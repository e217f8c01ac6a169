//! `unmeasured-outcome`, `unmeasured-output`, `unused-measure`, `unused-source` and
//! `incomplete-measure`: whether the changes can be shown.

use std::collections::HashSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::Graph;
use crate::model::{MeasureKind, Model, Stage};

pub(super) fn check(model: &Model, _graph: &Graph, out: &mut Vec<Diagnostic>) {
    for (stage, node) in model.nodes() {
        // A node without an id is already an error; a warning naming `` would only confuse.
        if !node.measures.is_empty() || stage < Stage::Outputs || node.id.value.is_empty() {
            continue;
        }
        let id = &node.id.value;
        let d = if stage == Stage::Outputs {
            Diagnostic::new(
                Code::UnmeasuredOutput,
                format!("output `{id}` has no measure"),
                node.id.span,
            )
            .with_help(format!(
                "add `measures: [...]` to `{id}`: a count of what was delivered is usually enough"
            ))
        } else {
            Diagnostic::new(
                Code::UnmeasuredOutcome,
                format!("{} `{id}` has no measure, so nobody can show it happened", stage.noun()),
                node.id.span,
            )
            .with_help(format!(
                "add `measures: [...]` to `{id}` (quantitative, proxy or qualitative); if it truly cannot be measured yet, add `allow: [{{code: unmeasured-outcome, reason: ...}}]`"
            ))
        };
        out.push(d.about(id));
    }

    let used_measures: HashSet<&str> = model
        .nodes()
        .flat_map(|(_, n)| n.measures.iter().map(|m| m.value.as_str()))
        .collect();
    let used_sources: HashSet<&str> = model
        .measures
        .iter()
        .filter_map(|m| m.source.as_ref().map(|s| s.value.as_str()))
        .collect();

    for m in &model.measures {
        let id = &m.id.value;
        if !used_measures.contains(id.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::UnusedMeasure,
                    format!("no node uses the measure `{id}`"),
                    m.id.span,
                )
                .with_help(format!(
                    "add `{id}` to the `measures` of the output or impact it shows, or remove it"
                ))
                .about(id),
            );
        }
        let missing = m.missing();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let message = if m.kind() == MeasureKind::Proxy {
                format!("proxy measure `{id}` does not say what it stands in for")
            } else {
                format!("quantitative measure `{id}` has no {list}")
            };
            let help = if m.kind() == MeasureKind::Proxy {
                "add `proxy_for: <the change it indicates>`".to_string()
            } else {
                format!(
                    "add {list}: without a baseline and a target a number cannot show change, and without a source and frequency nobody knows who collects it or when"
                )
            };
            out.push(
                Diagnostic::new(Code::IncompleteMeasure, message, m.id.span)
                    .with_help(help)
                    .about(id),
            );
        }
    }

    for s in &model.sources {
        let id = &s.id.value;
        if !used_sources.contains(id.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::UnusedSource,
                    format!("no measure uses the source `{id}`"),
                    s.id.span,
                )
                .with_help(format!(
                    "set `source: {id}` on the measures it feeds, or remove it"
                ))
                .about(id),
            );
        }
    }
}
