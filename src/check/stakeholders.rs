//! `missing-breakdown`: results for a group the programme serves are planned to be split the
//! way the model says results will be split.

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{Graph, Item};
use crate::lint::{Level, Lint};
use crate::model::{Model, Role};

/// The `missing-breakdown` lint.
pub(crate) static MISSING_BREAKDOWN: Lint = Lint {
    code: Code::MissingBreakdown,
    name: "missing-breakdown",
    default: Level::Warn,
    configurable: true,
    label: "not broken down",
    summary: "an outcome for a beneficiary group whose measures are split by none of the model's breakdowns",
    why: "An average can hide a change that reached some people and missed others: a service that works for men and not for women, for the young and not for the old. A model that lists `breakdowns:` (gender, age, ethnicity, disability, area...) has said results will be split that way; an outcome that `concerns` a beneficiary group and whose measures name none of those breakdowns will report one number for everyone. Say on at least one of its measures which breakdowns it will be split by, or record with `allow:` why it cannot be (groups too small to report safely, for example). The check is silent until a model declares breakdowns.",
    example: "breakdowns: [gender, age]\nstakeholders:\n  - id: leavers\n    label: Adults leaving prison\n    role: beneficiary\ndirect_impacts:\n  - id: housed\n    label: Settled accommodation on release\n    concerns: [leavers]\n    measures: [housed-rate]\nmeasures:\n  - id: housed-rate\n    label: Share in settled accommodation\n",
    fix: "measures:\n  - id: housed-rate\n    label: Share in settled accommodation\n    breakdowns: [gender, age]\n",
    funder: "Results for {label} will not be split by group, so a change for some of the people served could be hidden by the average.",
};

pub(super) fn check(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    if model.breakdowns.is_empty() {
        return;
    }
    let declared: Vec<&str> = model.breakdowns.iter().map(|b| b.value.as_str()).collect();
    for (stage, node) in model.nodes().filter(|(s, _)| s.is_outcome()) {
        let Some(group) = node.concerns.iter().find(|c| {
            matches!(graph.ids.get(&c.value), Some((Item::Stakeholder(i), _))
                if model.stakeholders[*i].role.as_ref().is_some_and(|r| r.value == Role::Beneficiary))
        }) else {
            continue;
        };
        let measures: Vec<_> = node
            .measures
            .iter()
            .filter_map(|id| match graph.ids.get(&id.value) {
                Some((Item::Measure(i), _)) => Some(&model.measures[*i]),
                _ => None,
            })
            .collect();
        // An outcome with no measure is `unmeasured-outcome`'s to report.
        if measures.is_empty() || measures.iter().any(|m| !m.breakdowns.is_empty()) {
            continue;
        }
        let list = declared.join(", ");
        let first = measures[0].id.value.as_str();
        out.push(
            Diagnostic::new(
                Code::MissingBreakdown,
                format!(
                    "{} `{}` concerns `{}`, a beneficiary group, but none of its measures is split by the model's breakdowns ({list})",
                    stage.noun(),
                    node.id.value,
                    group.value
                ),
                node.id.span,
            )
            .with_related(group.span, "a beneficiary group")
            .with_help(format!(
                "add `breakdowns: [{list}]` (or the ones that apply) to `{first}`, so a change for some of `{}` is not hidden by the average",
                group.value
            ))
            .about(&node.id.value),
        );
    }
}
