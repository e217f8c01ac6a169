//! `unmeasured-outcome`, `unmeasured-output`, `unused-measure`, `unused-source` and
//! `incomplete-measure`: whether the changes can be shown.

use std::collections::HashSet;

use crate::diagnostic::{Code, Diagnostic, word_list};
use crate::graph::Graph;
use crate::lint::{Level, Lint};
use crate::model::{Model, Stage};

/// The `unmeasured-outcome` lint.
pub(crate) static UNMEASURED_OUTCOME: Lint = Lint {
    code: Code::UnmeasuredOutcome,
    name: "unmeasured-outcome",
    default: Level::Warn,
    configurable: true,
    label: "no measure",
    summary: "a direct, indirect or systemic impact with no measure",
    why: "An outcome nobody measures cannot be shown to have happened. Funders and evaluators will ask how you know; name at least one quantitative, proxy or qualitative measure. For a long-term impact that truly cannot be measured yet, say so with `allow:` and a reason.",
    example: "direct_impacts:\n  - id: confidence\n    label: Young people feel more confident\n",
    fix: "direct_impacts:\n  - id: confidence\n    label: Young people feel more confident\n    measures: [confidence-score]\n",
    funder: "Nobody measures {label}, so there will be no evidence that this change happened.",
};

/// The `unmeasured-output` lint.
pub(crate) static UNMEASURED_OUTPUT: Lint = Lint {
    code: Code::UnmeasuredOutput,
    name: "unmeasured-output",
    default: Level::Warn,
    configurable: true,
    label: "no measure",
    summary: "an output with no measure",
    why: "Outputs are the countable products of activities: sessions held, people reached. They are the easiest things to measure and the first evidence that the programme is running as planned.",
    example: "outputs:\n  - id: sessions\n    label: Mentoring sessions held\n",
    fix: "outputs:\n  - id: sessions\n    label: Mentoring sessions held\n    measures: [sessions-count]\n",
    funder: "Nobody counts {label}, so there will be no record that the programme delivered it.",
};

/// The `unused-measure` lint.
pub(crate) static UNUSED_MEASURE: Lint = Lint {
    code: Code::UnusedMeasure,
    name: "unused-measure",
    default: Level::Warn,
    configurable: true,
    label: "never used",
    summary: "a measure no node uses",
    why: "Data collected for nothing costs staff time and participants' patience, and may hold personal data without a purpose. Attach it to the change it shows, or drop it.",
    example: "measures:\n  - id: newsletter-opens\n    label: Newsletter open rate\n",
    fix: "outputs:\n  - id: families-informed\n    label: Families informed\n    measures: [newsletter-opens]\n",
    funder: "The measure {label} is collected but not tied to any change the programme seeks.",
};

/// The `unused-source` lint.
pub(crate) static UNUSED_SOURCE: Lint = Lint {
    code: Code::UnusedSource,
    name: "unused-source",
    default: Level::Warn,
    configurable: true,
    label: "never used",
    summary: "a data source no measure uses",
    why: "A source listed but not used is either a measure that was forgotten or data held without a purpose.",
    example: "sources:\n  - id: survey\n    label: Annual survey\n",
    fix: "measures:\n  - id: confidence-score\n    label: Self-rated confidence\n    source: survey\n",
    funder: "The data source {label} is listed, but no measure draws on it.",
};

/// The `incomplete-measure` lint.
pub(crate) static INCOMPLETE_MEASURE: Lint = Lint {
    code: Code::IncompleteMeasure,
    name: "incomplete-measure",
    default: Level::Warn,
    configurable: true,
    label: "incomplete",
    summary: "a quantitative or proxy measure without baseline, target, source or frequency; a proxy without `proxy_for`",
    why: "A number with no baseline cannot show change; with no target there is no way to say whether the change was enough; with no source or frequency nobody knows who collects it or when. A proxy is a number too, standing in for something harder to count, so it needs the same four, and it must say what it stands in for, or readers will take it for the real thing. A baseline not yet known can be written as text saying how and when it will be set (`baseline: first quarter's returns`), which shows the gap is planned for. Qualitative measures are not checked.",
    example: "measures:\n  - id: reoffending-rate\n    label: One-year proven reoffending rate\n    kind: quantitative\n    unit: percent\n",
    fix: "measures:\n  - id: reoffending-rate\n    label: One-year proven reoffending rate\n    kind: quantitative\n    unit: percent\n    baseline: 42.5\n    target: 38\n    source: justice-data-lab\n    frequency: yearly\n",
    funder: "The measure {label} is not fully defined yet: {detail} still to be set.",
};

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
            let list = word_list(missing.iter().map(|k| format!("`{k}`")), "or");
            let message = if missing == ["proxy_for"] {
                format!("proxy measure `{id}` does not say what it stands in for")
            } else {
                format!("{} measure `{id}` has no {list}", m.kind())
            };
            let mut help = Vec::new();
            if missing.contains(&"proxy_for") {
                help.push("`proxy_for:` (the change it indicates)".to_string());
            }
            let rest: Vec<String> = missing
                .iter()
                .filter(|k| **k != "proxy_for")
                .map(|k| format!("`{k}`"))
                .collect();
            if !rest.is_empty() {
                help.push(format!(
                    "{}: without a baseline and a target a number cannot show change, and without a source and frequency nobody knows who collects it or when; if a baseline is not known yet, say how and when it will be set, as text",
                    word_list(rest, "and")
                ));
            }
            let help = format!("add {}", help.join("; add "));
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
