//! `underpowered-cohort` and `data-lab-cohort`: whether enough people are counted for a
//! change to be told apart from chance.

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{Level, Lint};
use crate::model::{Model, SourceKind};
use crate::stats;
use crate::unit::Unit;

/// The fewest people the Justice Data Lab will report on.
const DATA_LAB_MINIMUM: u32 = 60;

const DATA_LAB_ADVICE: &str = "the Data Lab also found that samples of more than 500 people were far likelier to show a statistically significant result";

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    underpowered(model, out);
    data_lab(model, out);
}

/// The `underpowered-cohort` lint.
pub(crate) static UNDERPOWERED_COHORT: Lint = Lint {
    code: Code::UnderpoweredCohort,
    name: "underpowered-cohort",
    default: Level::Warn,
    configurable: true,
    label: "too few people",
    summary: "a cohort too small to show the targeted change in a proportion",
    why: "A real change can look like chance when too few people are counted; the Justice Data Lab found most of its small-sample reports inconclusive. For a measure in percent, a proportion or a rate per N that gives a numeric baseline and target and a `cohort` (people per group), elmo works out how many people each of two equal groups would need for a two-sided test at 5% significance to detect the change from baseline to target with 80% power, using the normal approximation (the formula of R's `power.prop.test`), and reports a cohort below that. A comparison group much larger than the cohort, as the Justice Data Lab builds, lowers the need to as little as about half, so treat the figure as a cautious guide. The fixes are a larger cohort (pool several years of people), a comparison design with more people, or a target the programme can show.",
    example: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    baseline: 42.5\n    target: 35\n    cohort: 120\n",
    fix: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    baseline: 42.5\n    target: 35\n    cohort: 700        # three yearly cohorts pooled\n",
};

fn underpowered(model: &Model, out: &mut Vec<Diagnostic>) {
    for m in &model.measures {
        let (Some(cohort), Some(unit), Some((baseline, target))) =
            (&m.cohort, &m.unit, m.numeric_change())
        else {
            continue;
        };
        let Unit::Proportion { scale } = Unit::parse(&unit.value) else {
            continue;
        };
        let Some(needed) = stats::cohort_needed(baseline / scale, target / scale) else {
            continue;
        };
        if u64::from(cohort.value) >= needed {
            continue;
        }
        let shown = |v: f64| {
            if scale == 100.0 {
                format!("{v} %")
            } else if scale == 1.0 {
                format!("{v}")
            } else {
                format!("{v} per {scale}")
            }
        };
        out.push(
            Diagnostic::new(
                Code::UnderpoweredCohort,
                format!(
                    "`{}`: detecting {} → {} needs about {needed} people per group; the plan has {}",
                    m.id.value,
                    shown(baseline),
                    shown(target),
                    cohort.value
                ),
                cohort.span,
            )
            .with_help(format!(
                "that is for a two-sided test at 5% significance with 80% power, comparing two groups of equal size; pool more people (several years of starters), compare against a larger group, or set a target that {} people can show",
                cohort.value
            ))
            .about(&m.id.value),
        );
    }
}

/// The `data-lab-cohort` lint.
pub(crate) static DATA_LAB_COHORT: Lint = Lint {
    code: Code::DataLabCohort,
    name: "data-lab-cohort",
    default: Level::Warn,
    configurable: true,
    label: "Data Lab cohort",
    summary: "a Justice Data Lab source whose cohort is under the Data Lab's minimum of 60 people, or not stated",
    why: "The Justice Data Lab only reports on a cohort of at least 60 people, and it found that samples of more than 500 were far likelier to give a statistically significant result than smaller ones. A source with `kind: justice-data-lab` takes its cohort from the `cohort` of the measures drawing on it: a measure with fewer than 60 people is reported, and so is a source none of whose measures states a cohort, since nobody can then tell whether a report is possible.",
    example: "sources:\n  - id: jdl\n    label: Justice Data Lab\n    kind: justice-data-lab\nmeasures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    source: jdl\n    cohort: 45\n",
    fix: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    source: jdl\n    cohort: 140        # two years of starters pooled\n",
};

fn data_lab(model: &Model, out: &mut Vec<Diagnostic>) {
    for source in &model.sources {
        let Some(kind) = &source.kind else {
            continue;
        };
        if kind.value != SourceKind::JusticeDataLab {
            continue;
        }
        let id = &source.id.value;
        let drawing: Vec<_> = model
            .measures
            .iter()
            .filter(|m| m.source.as_ref().is_some_and(|s| &s.value == id))
            .collect();
        if drawing.is_empty() {
            continue;
        }
        let mut stated = false;
        for m in &drawing {
            let Some(cohort) = &m.cohort else {
                continue;
            };
            stated = true;
            if cohort.value >= DATA_LAB_MINIMUM {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::DataLabCohort,
                    format!(
                        "`{}` draws on the Justice Data Lab with a cohort of {}, below the Data Lab's minimum of {DATA_LAB_MINIMUM} people",
                        m.id.value, cohort.value
                    ),
                    cohort.span,
                )
                .with_help(format!(
                    "pool people over a longer period before asking for a report; {DATA_LAB_ADVICE}"
                ))
                .about(&m.id.value),
            );
        }
        if !stated {
            out.push(
                Diagnostic::new(
                    Code::DataLabCohort,
                    format!(
                        "no measure drawing on the Justice Data Lab source `{id}` states a `cohort`, so nobody can tell whether it reaches the Data Lab's minimum of {DATA_LAB_MINIMUM} people"
                    ),
                    kind.span,
                )
                .with_help(format!(
                    "add `cohort: N` (people in the cohort) to the measures that use `{id}`; {DATA_LAB_ADVICE}"
                ))
                .about(id),
            );
        }
    }
}
