//! `underpowered-cohort` and `data-lab-cohort`: whether enough people are counted for a
//! change to be told apart from chance.

use crate::diagnostic::{Code, Diagnostic};
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
