//! `target-beyond-ceiling`: contribution, not attribution, past the stages a programme
//! answers for on its own.

use std::collections::HashSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{Graph, Item};
use crate::model::{Comparison, Model, Quantity};

pub(super) fn check(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    let Some(ceiling) = &model.accountability_ceiling else {
        return;
    };
    let mut reported = HashSet::new();
    for (stage, node) in model.nodes() {
        if stage <= ceiling.value {
            continue;
        }
        for id in &node.measures {
            let Some((Item::Measure(i), _)) = graph.ids.get(&id.value) else {
                continue;
            };
            let m = &model.measures[*i];
            let Some(target) = m
                .target
                .as_ref()
                .filter(|t| matches!(t.value, Quantity::Number(_)))
            else {
                continue;
            };
            let matched = m
                .comparison
                .as_ref()
                .is_some_and(|c| c.value == Comparison::Matched);
            // A measure shared by several nodes beyond the ceiling makes one claim, not many.
            if matched || !reported.insert(*i) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::TargetBeyondCeiling,
                    format!(
                        "`{}` sets a numeric target for `{}`, a {} beyond the accountability ceiling ({}), without a matched comparison group",
                        m.id.value,
                        node.id.value,
                        stage.noun(),
                        ceiling.value.title().to_lowercase()
                    ),
                    target.span,
                )
                .with_related(ceiling.span, "the ceiling")
                .with_help(
                    "beyond the ceiling the programme's share of a change can only be shown against a matched comparison group: add `comparison: matched` and a source that provides one, or write the target as text describing the contribution sought",
                )
                .about(&m.id.value),
            );
        }
    }
}
