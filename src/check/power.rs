//! `underpowered-cohort` and `data-lab-cohort`: whether enough people are counted for a
//! change to be told apart from chance.

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{Level, Lint};
use crate::model::{Comparison, Direction, Model, SourceKind};
use crate::stats::{self, Groups, Scale};
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
    summary: "a cohort too small to show the targeted change in a proportion or a count rate, or with no margin to spare",
    why: "A real change can look like chance when too few people are counted; the Justice Data Lab found most of its small-sample reports inconclusive. For a measure that gives a numeric baseline and target and a `cohort`, elmo works out how many people a two-sided test at 5% significance needs to detect the change from baseline to target with 80% power, and reports a cohort below that, with the smallest change the planned cohort could detect. The test follows the measure. A percentage or proportion is a share of people (the normal approximation of R's `power.prop.test`); a count per 100, per 1,000 or per 100,000 people, such as A&E attendances per 1,000, is a count rate, which can pass one event per person, and is sized as Poisson counts. With `comparison: randomised`, `matched`, `pre-post` or none stated, the cohort is one of two equal groups; with `benchmark`, `contribution` or `none`, the change is tested against the baseline as a fixed figure, which needs about half as many people. A comparison group much larger than the cohort, as the Justice Data Lab builds, lowers the need too, so treat the figure as a cautious guide. A cohort that only just reaches the need is reported as having no margin: anyone lost to follow-up leaves the change undetectable. Measures that aim to `maintain` a figure are not sized. The fixes are a larger cohort (pool several years of people), a comparison design with more people, or a target the programme can show.",
    example: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    baseline: 42.5\n    target: 35\n    cohort: 120\n    comparison: matched\n",
    fix: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    baseline: 42.5\n    target: 35\n    cohort: 700        # three yearly cohorts pooled\n    comparison: matched\n",
    funder: "The groups compared for {label} are too small to show the change the programme aims for.",
};

/// A cohort less than this much above the need has no margin for people lost to follow-up.
const MARGIN: f64 = 0.05;

fn underpowered(model: &Model, out: &mut Vec<Diagnostic>) {
    for m in &model.measures {
        let (Some(cohort), Some(unit), Some((baseline, target))) =
            (&m.cohort, &m.unit, m.numeric_change())
        else {
            continue;
        };
        if m.direction
            .as_ref()
            .is_some_and(|d| d.value == Direction::Maintain)
        {
            continue;
        }
        let (scale, per) = match Unit::parse(&unit.value) {
            Unit::Proportion { scale } => (Scale::Proportion, scale),
            Unit::CountRate { per } => (Scale::CountRate, per),
            _ => continue,
        };
        let groups = match m.comparison.as_ref().map(|c| c.value) {
            Some(Comparison::Benchmark | Comparison::Contribution | Comparison::None) => {
                Groups::One
            }
            _ => Groups::Two,
        };
        let Some(needed) = stats::cohort_needed(scale, groups, baseline / per, target / per) else {
            continue;
        };
        let n = cohort.value;
        let short = u64::from(n) < needed;
        // The cast is exact for any cohort a u32 holds.
        if !short && f64::from(n) >= needed as f64 * (1.0 + MARGIN) {
            continue;
        }
        let shown = |v: f64| show(v, unit_kind(scale, per));
        let change = format!("{} → {}", shown(baseline), shown(target));
        let (per_group, test) = match groups {
            Groups::Two => (" per group", "comparing two groups of equal size"),
            Groups::One => ("", "against the baseline as a fixed figure"),
        };
        // `1 person per group`, `2,669 people per group`.
        let people = |count: f64| {
            let noun = if count == 1.0 { "person" } else { "people" };
            format!("{} {noun}{per_group}", thousands(count))
        };
        let method = match scale {
            Scale::Proportion => "a share of people",
            Scale::CountRate => "Poisson counts",
        };
        let id = &m.id.value;
        let message = if short {
            let edge =
                stats::smallest_detectable(scale, groups, baseline / per, target > baseline, n)
                    .map(|e| per * e);
            let smallest = match edge {
                Some(e) => format!(
                    "the smallest change {} can show is {} → {}",
                    people(f64::from(n)),
                    shown(baseline),
                    shown(round_away(e, baseline))
                ),
                None => format!(
                    "{} cannot show any change from {}",
                    people(f64::from(n)),
                    shown(baseline)
                ),
            };
            format!(
                "`{id}`: detecting {change} needs about {}; the plan has {}, and {smallest}",
                people(needed as f64),
                thousands(f64::from(n))
            )
        } else {
            format!(
                "`{id}`: {} is just enough to detect {change} (about {} needed), so the target has no margin",
                people(f64::from(n)),
                thousands(needed as f64)
            )
        };
        let help = if short {
            format!(
                "that is for a two-sided test at 5% significance with 80% power, {test}, reading the measure as {method}; pool more people (several years of starters), compare against a larger group, or set a target that the planned cohort can show"
            )
        } else {
            format!(
                "that is for a two-sided test at 5% significance with 80% power, {test}, reading the measure as {method}; anyone lost to follow-up leaves the change undetectable, so plan for more people than that or a target further from the baseline"
            )
        };
        out.push(
            Diagnostic::new(Code::UnderpoweredCohort, message, cohort.span)
                .with_help(help)
                .about(id),
        );
    }
}

/// How a measure's figures are shown in messages.
#[derive(Clone, Copy)]
enum Shown {
    /// `42.5 %`.
    Percent,
    /// `0.425`.
    Proportion,
    /// `450 per 1,000`.
    Per(f64),
}

fn unit_kind(scale: Scale, per: f64) -> Shown {
    match scale {
        Scale::Proportion if per == 100.0 => Shown::Percent,
        Scale::Proportion if per == 1.0 => Shown::Proportion,
        _ => Shown::Per(per),
    }
}

fn show(v: f64, kind: Shown) -> String {
    match kind {
        Shown::Percent => format!("{v} %"),
        Shown::Proportion => format!("{v}"),
        Shown::Per(per) => format!("{} per {}", thousands(v), thousands(per)),
    }
}

/// `1450` as `1,450`; fractions kept as written.
fn thousands(v: f64) -> String {
    let text = format!("{v}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// The edge `e` to three significant figures, rounded away from `baseline` so that the
/// rounded target is still detectable: `37.3 %`, `0.373`, `413 per 1,000`.
fn round_away(e: f64, baseline: f64) -> f64 {
    if e == 0.0 || !e.is_finite() {
        return e;
    }
    let step = 10f64.powf(e.abs().log10().floor() - 2.0);
    let steps = e / step;
    let rounded = if e > baseline {
        steps.ceil()
    } else {
        steps.floor()
    } * step;
    // Steps of a tenth leave binary noise (`37.300000000000004`); print what was meant.
    let digits = (-step.log10()).max(0.0);
    let keep = 10f64.powf(digits);
    (rounded * keep).round() / keep
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
    funder: "For {label}, the group of people sent to the Justice Data Lab is below its minimum of 60, or its size is not stated.",
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
