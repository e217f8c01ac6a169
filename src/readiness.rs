//! Readiness: how far a model can show its impact, in two fractions and the assumptions by status.
//!
//! - **Outcomes measured**: direct, indirect and systemic impacts with at least one measure
//!   in `measures` that names a measure of the model.
//! - **Measures complete**: measures that say everything needed to show change: nothing that
//!   `incomplete-measure` asks for, a `numerator` and `denominator` for a rate
//!   (`undefined-rate`), figures in the measure's own unit (`unit-mismatch`), and no target
//!   against the stated `direction` (`target-against-direction`).
//! - **Assumptions**: how many are holding, challenged, refuted and untested, each shown on
//!   its own, since a refuted assumption is tested but is no good news. (`assumptions_tested`
//!   in the JSON still counts every status but `untested`.)
//!
//! The challenged assumptions are listed by id, since they are the ones to watch. When the
//! model has results, [`ResultCounts`] adds how many measures have been reported and where they
//! stand (see [`Readiness::with_results`]).

use serde::Serialize;

use crate::graph::{Graph, Item};
use crate::model::{Model, Status};

/// `count` of `total` items meet a readiness test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Fraction {
    /// How many meet it.
    pub count: usize,
    /// How many there are.
    pub total: usize,
}

impl Fraction {
    /// The share as a whole percentage, rounded down so that 100% means all of them.
    pub fn percent(self) -> Option<usize> {
        (self.total > 0).then(|| self.count * 100 / self.total)
    }

    fn describe(self, what: &str) -> String {
        match self.percent() {
            Some(p) => format!("{}/{} {what} ({p}%)", self.count, self.total),
            None => format!("0/0 {what}"),
        }
    }
}

/// How ready a model is to show its impact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Readiness {
    /// Outcomes (direct, indirect and systemic impacts) with a measure.
    pub outcomes_measured: Fraction,
    /// Measures that say everything needed to show change.
    pub measures_complete: Fraction,
    /// Assumptions that have been tested (any status but `untested`).
    pub assumptions_tested: Fraction,
    /// Assumptions by status.
    pub assumptions: StatusCounts,
    /// Ids of the assumptions whose status is `challenged`, in file order.
    pub challenged: Vec<String>,
    /// How the measures stand against their results, when the model lists results files or
    /// computes a measure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<ResultCounts>,
}

/// How many measures have results, and how many of each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ResultCounts {
    /// Measures with at least one programme reading for the whole group.
    pub reported: usize,
    /// Quantitative and proxy measures (and qualitative ones with readings).
    pub total: usize,
    /// Measures whose latest reading has reached the target.
    pub met: usize,
    /// Measures moving towards the target fast enough.
    pub on_track: usize,
    /// Measures moving towards the target too slowly, or by no more than chance.
    pub at_risk: usize,
    /// Measures not moving towards the target.
    pub off_track: usize,
    /// Measures whose latest reading is older than their frequency allows.
    pub stale: usize,
    /// Measures with no reading, or nothing numeric to judge one by.
    pub no_data: usize,
}

impl ResultCounts {
    /// The counts of `results`.
    pub fn of(results: &crate::results::Results) -> ResultCounts {
        use crate::results::Status;
        let count = |s: Status| results.measures.iter().filter(|m| m.status == s).count();
        ResultCounts {
            reported: results
                .measures
                .iter()
                .filter(|m| m.latest.is_some())
                .count(),
            total: results.measures.len(),
            met: count(Status::Met),
            on_track: count(Status::OnTrack),
            at_risk: count(Status::AtRisk),
            off_track: count(Status::OffTrack),
            stale: count(Status::Stale),
            no_data: count(Status::NoData),
        }
    }

    /// `9/14 measures reported, 5 on track, 2 off track, 1 stale`: the statuses with none are
    /// left out, and so is `no data`, which the first count already shows.
    pub fn summary(&self) -> String {
        let mut line = format!("{}/{} measures reported", self.reported, self.total);
        for (n, word) in [
            (self.met, "met"),
            (self.on_track, "on track"),
            (self.at_risk, "at risk"),
            (self.off_track, "off track"),
            (self.stale, "stale"),
        ] {
            if n > 0 {
                line.push_str(&format!(", {n} {word}"));
            }
        }
        line
    }
}

/// How many assumptions have each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StatusCounts {
    /// Tested and holding so far.
    pub holding: usize,
    /// Evidence casts doubt on them.
    pub challenged: usize,
    /// Evidence shows they do not hold.
    pub refuted: usize,
    /// Not yet tested.
    pub untested: usize,
}

impl StatusCounts {
    fn describe(self) -> String {
        let total = self.holding + self.challenged + self.refuted + self.untested;
        match total {
            0 => "0 assumptions".to_string(),
            _ => format!(
                "{total} assumption{}: {} holding, {} challenged, {} refuted, {} untested",
                if total == 1 { "" } else { "s" },
                self.holding,
                self.challenged,
                self.refuted,
                self.untested
            ),
        }
    }
}

impl Readiness {
    /// One line for people: `18/20 outcomes measured (90%), ..., 4 assumptions: 1 holding,
    /// ...; challenged: a, b`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{}, {}, {}",
            self.outcomes_measured.describe("outcomes measured"),
            self.measures_complete.describe("measures complete"),
            self.assumptions.describe(),
        );
        if !self.challenged.is_empty() {
            line.push_str("; challenged: ");
            line.push_str(&self.challenged.join(", "));
        }
        if let Some(r) = &self.results {
            line.push_str("; results: ");
            line.push_str(&r.summary());
        }
        line
    }

    /// The readiness with `results` counted in, when the model has any results to read
    /// (a `results:` file or a `compute:`); otherwise unchanged.
    pub fn with_results(mut self, model: &Model, results: &crate::results::Results) -> Readiness {
        if !model.results.is_empty() || model.measures.iter().any(|m| m.compute.is_some()) {
            self.results = Some(ResultCounts::of(results));
        }
        self
    }
}

/// Works out the readiness of `model`, resolving measure ids through `graph`.
pub fn assess(model: &Model, graph: &Graph) -> Readiness {
    let mut outcomes = Fraction::default();
    for (stage, node) in model.nodes() {
        if !stage.is_outcome() {
            continue;
        }
        outcomes.total += 1;
        let measured = node
            .measures
            .iter()
            .any(|m| matches!(graph.ids.get(&m.value), Some((Item::Measure(_), _))));
        outcomes.count += usize::from(measured);
    }
    let measures = Fraction {
        count: model.measures.iter().filter(|m| m.is_complete()).count(),
        total: model.measures.len(),
    };
    let status = |a: &crate::model::Assumption| a.status.as_ref().map(|s| s.value);
    let assumptions = Fraction {
        count: model
            .assumptions
            .iter()
            .filter(|a| status(a).is_some_and(|s| s != Status::Untested))
            .count(),
        total: model.assumptions.len(),
    };
    let mut counts = StatusCounts::default();
    for a in &model.assumptions {
        let n = match status(a).unwrap_or_default() {
            Status::Holding => &mut counts.holding,
            Status::Challenged => &mut counts.challenged,
            Status::Refuted => &mut counts.refuted,
            Status::Untested => &mut counts.untested,
        };
        *n += 1;
    }
    let challenged = model
        .assumptions
        .iter()
        .filter(|a| status(a) == Some(Status::Challenged))
        .map(|a| a.id.value.clone())
        .collect();
    Readiness {
        outcomes_measured: outcomes,
        measures_complete: measures,
        assumptions_tested: assumptions,
        assumptions: counts,
        challenged,
        results: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"
title: Readiness
inputs:
  - id: grant
    label: Grant
    leads_to: [sessions]
activities:
  - id: sessions
    label: Sessions
    leads_to: [attended]
outputs:
  - id: attended
    label: People attending
    measures: [attendance]
    leads_to: [confident, calmer]
direct_impacts:
  - id: confident
    label: More confident
    measures: [confidence, nothing-here]
    leads_to: [in-work]
  - id: calmer
    label: Calmer
    measures: [nothing-here]
    leads_to: [in-work]
indirect_impacts:
  - id: in-work
    label: In work
    measures: [work-rate]
    leads_to: [thriving]
systemic_impacts:
  - id: thriving
    label: Thriving town
measures:
  - id: attendance
    label: Attendance
    baseline: 10
    target: 20
    source: log
    frequency: monthly
  - id: confidence
    label: Confidence
    direction: increase
    baseline: 6
    target: 5
    source: log
    frequency: monthly
  - id: work-rate
    label: Share in work
    unit: percent
    baseline: 30
    target: 40
    source: log
    frequency: yearly
  - id: stories
    label: Stories
    kind: qualitative
sources:
  - id: log
    label: Log
assumptions:
  - id: a1
    text: One
    applies_to: [attended]
    status: holding
  - id: a2
    text: Two
    applies_to: [attended]
    status: challenged
  - id: a3
    text: Three
    applies_to: [attended]
  - id: a4
    text: Four
    applies_to: [attended]
    status: refuted
  - id: a5
    text: Five
    applies_to: [attended]
    status: challenged
"#;

    #[test]
    fn counts_outcomes_measures_and_assumptions() {
        let c = crate::compile(MODEL);
        let r = c.readiness().expect("a model");
        // confident has a real measure; calmer names only a missing one; in-work is measured;
        // thriving has none.
        assert_eq!(r.outcomes_measured, Fraction { count: 2, total: 4 });
        // attendance and stories are complete; confidence's target goes the wrong way;
        // work-rate is a percentage with no numerator or denominator.
        assert_eq!(r.measures_complete, Fraction { count: 2, total: 4 });
        assert_eq!(r.assumptions_tested, Fraction { count: 4, total: 5 });
        assert_eq!(r.challenged, ["a2", "a5"]);
        assert_eq!(
            r.summary(),
            "2/4 outcomes measured (50%), 2/4 measures complete (50%), 5 assumptions: 1 holding, 2 challenged, 1 refuted, 1 untested; challenged: a2, a5"
        );
    }

    #[test]
    fn a_refuted_assumption_is_shown_as_refuted_not_as_tested() {
        let c = crate::compile(MODEL);
        let r = c.readiness().expect("a model");
        assert_eq!(
            r.assumptions,
            StatusCounts {
                holding: 1,
                challenged: 2,
                refuted: 1,
                untested: 1
            }
        );
        let only_refuted = "title: t\nassumptions:\n  - id: a\n    text: a\n    status: refuted\n    evidence: e\n";
        let r = crate::compile(only_refuted).readiness().expect("a model");
        assert!(
            r.summary()
                .ends_with("1 assumption: 0 holding, 0 challenged, 1 refuted, 0 untested"),
            "{}",
            r.summary()
        );
        assert!(!r.summary().contains("tested (100%)"), "{}", r.summary());
    }

    #[test]
    fn percentages_round_down_and_empty_totals_say_so() {
        assert_eq!(Fraction { count: 2, total: 3 }.percent(), Some(66));
        assert_eq!(
            Fraction {
                count: 199,
                total: 200
            }
            .percent(),
            Some(99)
        );
        let r = crate::compile("title: Empty\n")
            .readiness()
            .expect("a model");
        assert_eq!(
            r.summary(),
            "0/0 outcomes measured, 0/0 measures complete, 0 assumptions"
        );
        assert!(crate::compile("- not a model\n").readiness().is_none());
    }
}
