//! `target-beyond-ceiling` and `matched-internal-source`: what a measure claims about the
//! programme's share of a change, and whether its design can back the claim.

use std::collections::HashSet;

use crate::diagnostic::{Code, Diagnostic, article};
use crate::graph::{Graph, Item};
use crate::lint::{Level, Lint};
use crate::model::{Comparison, Model, SourceKind};

/// The `target-beyond-ceiling` lint.
pub(crate) static TARGET_BEYOND_CEILING: Lint = Lint {
    code: Code::TargetBeyondCeiling,
    name: "target-beyond-ceiling",
    default: Level::Warn,
    configurable: true,
    label: "claim not backed",
    summary: "a target beyond the accountability ceiling that says neither how the programme's share will be shown (`comparison:`) nor what it contributes (`contribution:`)",
    why: "Past its first changes, a programme contributes to outcomes alongside many other people and services; it rarely causes them alone. A model can mark the last stage it answers for on its own with `accountability_ceiling:` (for example `direct_impacts`). A target on a measure of a node beyond that stage is a claim, and the claim needs backing of one of two kinds. If the target is the programme's own effect, name the design that can show it: `comparison: randomised`, `matched`, `pre-post`, `benchmark` or `contribution` (a reasoned contribution analysis). If it is a shared target that many services work towards, such as rough sleeping in a city down to zero, it is a legitimate target to hold: keep it, and say in `contribution:` what this programme adds and who else is working on it. `comparison: none` backs no claim. Numeric and written targets are judged alike, so a vaguer target never silences the check. The check is silent until a model sets a ceiling, so it is a warning: whoever sees it asked for it.",
    example: "accountability_ceiling: direct_impacts\nsystemic_impacts:\n  - id: no-rough-sleeping\n    label: Nobody sleeps rough in the city\n    measures: [rough-sleepers]\nmeasures:\n  - id: rough-sleepers\n    label: People seen sleeping rough on the autumn count\n    baseline: 42\n    target: 0\n",
    fix: "measures:\n  - id: rough-sleepers\n    label: People seen sleeping rough on the autumn count\n    baseline: 42\n    target: 0\n    contribution: A shared city target; we run the night outreach, the council and two hostels the rest\n",
    funder: "{label} sets a target for a change the programme shares with others, but does not say how the programme's own part will be shown.",
};

/// The `matched-internal-source` lint.
pub(crate) static MATCHED_INTERNAL_SOURCE: Lint = Lint {
    code: Code::MatchedInternalSource,
    name: "matched-internal-source",
    default: Level::Warn,
    configurable: true,
    label: "no data on a comparison group",
    summary: "a matched comparison whose data come from the programme's own records",
    why: "A matched comparison sets the people the programme served beside similar people it did not serve. The programme's own case files and spreadsheets only hold the first group, so they cannot supply the second: the comparison needs a source that covers people outside the programme, such as the Justice Data Lab, a partner's records or national data. A measure with `comparison: matched` whose `source` is `kind: internal` is reported.",
    example: "measures:\n  - id: housed-6m\n    label: Share still housed six months on\n    comparison: matched\n    source: case-records\nsources:\n  - id: case-records\n    label: Our case spreadsheet\n    kind: internal\n",
    fix: "measures:\n  - id: housed-6m\n    label: Share still housed six months on\n    comparison: matched\n    source: council-data\nsources:\n  - id: council-data\n    label: Council housing register, our clients and matched non-clients\n    kind: partner\n",
    funder: "{label} promises a matched comparison group but draws only on the programme's own records, which cannot supply one.",
};

pub(super) fn check(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    matched_internal(model, graph, out);
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
            let Some(target) = &m.target else {
                continue;
            };
            let designed = m
                .comparison
                .as_ref()
                .is_some_and(|c| c.value != Comparison::None);
            // A measure shared by several nodes beyond the ceiling makes one claim, not many.
            if designed || m.contribution.is_some() || !reported.insert(*i) {
                continue;
            }
            let noun = stage.noun();
            let mut d = Diagnostic::new(
                Code::TargetBeyondCeiling,
                format!(
                    "`{}` sets a target for `{}`, {} {noun} beyond the accountability ceiling ({}), but says neither how the programme's share will be shown nor what it contributes",
                    m.id.value,
                    node.id.value,
                    article(noun),
                    ceiling.value.title().to_lowercase()
                ),
                target.span,
            )
            .with_related(ceiling.span, "the ceiling");
            if let Some(c) = &m.comparison {
                d = d.with_related(c.span, "no comparison");
            }
            out.push(
                d.with_help(
                    "if the target is the programme's own effect, name the design that can show it (`comparison: randomised`, `matched`, `pre-post`, `benchmark` or `contribution`); if it is a shared target many services work towards, keep it and add `contribution:` saying what this programme adds and who else works on it",
                )
                .about(&m.id.value),
            );
        }
    }
}

fn matched_internal(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    for m in &model.measures {
        let (Some(c), Some(source)) = (&m.comparison, &m.source) else {
            continue;
        };
        if c.value != Comparison::Matched {
            continue;
        }
        let Some((Item::Source(i), _)) = graph.ids.get(&source.value) else {
            continue;
        };
        let s = &model.sources[*i];
        let Some(kind) = s.kind.as_ref().filter(|k| k.value == SourceKind::Internal) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::MatchedInternalSource,
                format!(
                    "`{}` is to be compared with a matched group, but its source `{}` is the programme's own records, which hold nobody outside the programme",
                    m.id.value, s.id.value
                ),
                c.span,
            )
            .with_related(kind.span, "internal")
            .with_help(
                "draw the measure from a source that covers similar people the programme did not serve (the Justice Data Lab, a partner's records, national data), or, if there is no such group, say `comparison: pre-post` or `benchmark`",
            )
            .about(&m.id.value),
        );
    }
}
