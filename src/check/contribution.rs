//! `target-beyond-ceiling`: contribution, not attribution, past the stages a programme
//! answers for on its own.

use std::collections::HashSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{Graph, Item};
use crate::lint::{Level, Lint};
use crate::model::{Comparison, Model, Quantity};

/// The `target-beyond-ceiling` lint.
pub(crate) static TARGET_BEYOND_CEILING: Lint = Lint {
    code: Code::TargetBeyondCeiling,
    name: "target-beyond-ceiling",
    default: Level::Warn,
    configurable: true,
    label: "attribution claimed",
    summary: "a numeric target beyond the accountability ceiling without a matched comparison group",
    why: "Past its first changes, a programme contributes to outcomes alongside many other people and services; it rarely causes them alone. A model can mark the last stage it answers for on its own with `accountability_ceiling:` (for example `direct_impacts`). A measure on a node beyond that stage that promises a number is claiming attribution: the only way to show the programme's share of such a change is against a comparison group matched on the people's characteristics, so elmo asks for `comparison: matched`. Targets written as text, such as \"below the matched comparison group\", are not checked. The check is silent until a model sets a ceiling, so it is a warning: whoever sees it asked for it.",
    example: "accountability_ceiling: direct_impacts\nsystemic_impacts:\n  - id: less-reoffending\n    label: Less reoffending\n    measures: [proven-rate]\nmeasures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    baseline: 42.5\n    target: 35\n",
    fix: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    baseline: 42.5\n    target: 35\n    comparison: matched\n    source: jdl\n",
};

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
