//! The report's Results section: each measure's readings with what a reader needs to judge
//! them (interval, baseline, target, progress, status, comparison), laid out by the formats.
//!
//! The figures are [`crate::results`]'s, unchanged, so the report never disagrees with
//! `elmo status`. What this module adds is the reading of them as text: a value with its
//! unit, an interval or the reason there is none, the comparison in words, and whether the
//! data is synthetic.

use crate::model::Model;
use crate::results::{Arm, Date, MeasureResult, Period, Point, Results, Status, shown};
use crate::unit::Unit;

/// The results of a model as the report shows them.
#[derive(Debug, Clone)]
pub struct ResultsSection {
    /// The day staleness was judged on.
    pub as_of: Date,
    /// `9/14 measures reported, 5 on track, …`.
    pub summary: String,
    /// Each measure with at least one reading, in model order.
    pub measures: Vec<ResultEntry>,
    /// The labels of the measures with no reading yet, in model order.
    pub unreported: Vec<String>,
}

/// One measure's results.
#[derive(Debug, Clone)]
pub struct ResultEntry {
    /// The figures.
    pub result: MeasureResult,
    /// Whether the values are percentages (shown with `%`, differences in points).
    pub percent: bool,
    /// Whether the readings are synthetic: the records file's name, or a note on a reading,
    /// says so.
    pub synthetic: bool,
    /// The period the baseline was measured in, for the trajectory.
    pub baseline_period: Option<Period>,
    /// The period the target is due by, for the trajectory.
    pub target_by: Option<Period>,
}

impl ResultsSection {
    /// The section for `model`'s `results`.
    pub fn new(model: &Model, results: &Results) -> ResultsSection {
        let mut measures = Vec::new();
        let mut unreported = Vec::new();
        for r in &results.measures {
            if r.series.is_empty() {
                unreported.push(r.label.clone());
                continue;
            }
            let m = model.measures.iter().find(|m| m.id.value == r.id);
            let says_synthetic = |s: &str| s.to_lowercase().contains("synthetic");
            let synthetic = m
                .and_then(|m| m.compute.as_ref())
                .is_some_and(|c| says_synthetic(&c.records.value))
                || r.series
                    .iter()
                    .any(|p| p.note.as_deref().is_some_and(says_synthetic));
            measures.push(ResultEntry {
                percent: r
                    .unit
                    .as_deref()
                    .is_some_and(|u| Unit::parse(u) == Unit::Proportion { scale: 100.0 }),
                synthetic,
                baseline_period: m.and_then(|m| m.baseline_period.as_ref().map(|p| p.value)),
                target_by: m.and_then(|m| m.target_by.as_ref().map(|p| p.value)),
                result: r.clone(),
            });
        }
        ResultsSection {
            as_of: results.as_of,
            summary: crate::readiness::ResultCounts::of(results).summary(),
            measures,
            unreported,
        }
    }

    /// Whether any measure's readings are synthetic.
    pub fn any_synthetic(&self) -> bool {
        self.measures.iter().any(|m| m.synthetic)
    }
}

/// What every format says about synthetic data, wherever it appears.
pub const SYNTHETIC: &str = "Synthetic data: made up to show how the figure is computed. It describes no real person or service and is not a result.";

/// The sentence that says how to read the figures.
pub const HOW_TO_READ: &str = "Intervals are 95% confidence intervals (Wilson for a proportion, exact Poisson for a rate per population); a value without a count of people has none. p-values are two-sided; a difference is called significant at the 5% level only when p < 0.05, and otherwise could be chance.";

impl ResultEntry {
    /// A value in the measure's unit: a percentage to one decimal place, so a column of
    /// them lines up (`52.0%`); other numbers with up to two.
    pub fn value(&self, v: f64) -> String {
        if self.percent {
            format!("{}%", self.number(v))
        } else {
            shown(v)
        }
    }

    /// A number as the measure's values are written, without the unit.
    pub fn number(&self, v: f64) -> String {
        if self.percent {
            let s = format!("{v:.1}");
            if s == "-0.0" { "0.0".to_string() } else { s }
        } else {
            shown(v)
        }
    }

    /// The status as a shape and a word: `▲ on-track`.
    pub fn status(&self) -> String {
        status_text(self.result.status)
    }

    /// The programme's whole-group readings, oldest first.
    pub fn programme(&self) -> impl Iterator<Item = &Point> {
        self.arm(Arm::Programme)
    }

    /// The comparison arm's whole-group readings, oldest first.
    pub fn comparison(&self) -> impl Iterator<Item = &Point> {
        self.arm(Arm::Comparison)
    }

    fn arm(&self, arm: Arm) -> impl Iterator<Item = &Point> {
        self.result
            .series
            .iter()
            .filter(move |p| p.arm == arm && p.group == "all")
    }

    /// The latest reading with its period: `52% (2025-Q2)`, or `—`.
    pub fn latest(&self) -> String {
        self.result.latest.as_ref().map_or("—".to_string(), |l| {
            format!("{} ({})", self.value(l.value), l.period)
        })
    }

    /// The latest reading's interval, or why there is none.
    pub fn latest_interval(&self) -> String {
        self.result
            .latest
            .as_ref()
            .map_or("—".to_string(), |l| self.interval(l))
    }

    /// A reading's 95% interval, `44.06–59.84%`, or `no n, no interval`.
    pub fn interval(&self, p: &Point) -> String {
        match p.ci {
            Some((lo, hi)) => format!("{}–{}", self.number(lo), self.value(hi)),
            None => "no n, no interval".to_string(),
        }
    }

    /// A number that may be missing, in the measure's unit.
    pub fn maybe(&self, v: Option<f64>) -> String {
        v.map_or("—".to_string(), |v| self.value(v))
    }

    /// Progress in words: `83% of the way (the straight line is at 75%)`.
    pub fn progress(&self) -> String {
        let Some(p) = self.result.progress else {
            return "—".to_string();
        };
        let mut s = format!("{}% of the way", (p * 100.0).round());
        if let Some(e) = self.result.expected_progress {
            s.push_str(&format!(
                " (the straight line is at {}%)",
                (e * 100.0).round()
            ));
        }
        s
    }

    /// The comparison in words, or `—`: `22.0% in 2024-25: difference +8.0 points (95% CI
    /// +1.0 to +14.9), p = 0.026; significant at the 5% level`.
    pub fn comparison_text(&self) -> String {
        let Some(c) = &self.result.comparison else {
            return "—".to_string();
        };
        let points = if self.percent { " points" } else { "" };
        let mut s = format!(
            "{} in {}: difference {}{points}",
            self.value(c.value),
            c.period,
            self.signed(c.difference)
        );
        match (c.ci, c.p_value) {
            (Some((lo, hi)), Some(p)) => s.push_str(&format!(
                " (95% CI {} to {}), p {}; {}",
                self.signed(lo),
                self.signed(hi),
                p_text(p),
                if c.significant {
                    "significant at the 5% level"
                } else {
                    "not significant at the 5% level: it could be chance"
                }
            )),
            _ => s.push_str("; no counts on both sides, so no test: it could be chance"),
        }
        s
    }

    /// A difference with its sign, written like the measure's values.
    pub fn signed(&self, v: f64) -> String {
        if v > 0.0 {
            format!("+{}", self.number(v))
        } else if v < 0.0 {
            format!("−{}", self.number(-v))
        } else {
            self.number(0.0)
        }
    }

    /// The change from the baseline and its test, in words, when there is one.
    pub fn baseline_text(&self) -> Option<String> {
        let b = self.result.vs_baseline.as_ref()?;
        let points = if self.percent { " points" } else { "" };
        Some(format!(
            "{}{points}, p {}; {}",
            self.signed(b.difference),
            p_text(b.p_value),
            if b.significant {
                "significant at the 5% level"
            } else {
                "not significant at the 5% level: it could be chance"
            }
        ))
    }
}

/// A status as a shape and a word, so it reads the same without colour.
pub fn status_text(s: Status) -> String {
    format!("{} {}", s.shape(), s.word())
}

/// `< 0.001` or `= 0.042`.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("= {p:.3}")
    }
}

/// `n = 210 / 700`, or empty without counts.
pub fn counts(p: &Point) -> String {
    match (p.numerator, p.denominator) {
        (Some(n), Some(d)) => format!("{} / {}", shown(n), shown(d)),
        (None, Some(d)) => format!("n = {}", shown(d)),
        _ => String::new(),
    }
}

/// The arm as a word.
pub fn arm_word(a: Arm) -> &'static str {
    match a {
        Arm::Programme => "programme",
        Arm::Comparison => "comparison",
    }
}
