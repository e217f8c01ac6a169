//! What changed in a model's results between two versions: readings added, removed or
//! changed (by measure, period, group and arm), and measures whose status moved.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ChangeKind;
use crate::results::{Arm, Point, Results, Status, shown};

/// One reading as the diff shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadingValue {
    /// The value in the measure's unit.
    pub value: f64,
    /// The count on top, when given.
    pub numerator: Option<f64>,
    /// What it is counted out of, when given.
    pub denominator: Option<f64>,
}

/// A reading that is only in one version, or differs between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadingChange {
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The measure's id.
    pub measure: String,
    /// The period as written.
    pub period: String,
    /// `all`, or a breakdown.
    pub group: String,
    /// Programme or comparison.
    pub arm: Arm,
    /// The old reading (`None` when added).
    pub old: Option<ReadingValue>,
    /// The new reading (`None` when removed).
    pub new: Option<ReadingValue>,
}

/// A measure whose status is not the same in both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusChange {
    /// The measure's id.
    pub measure: String,
    /// Its old status (`None`: the measure had no results in the old version).
    pub old: Option<Status>,
    /// Its new status (`None`: the measure has no results in the new version).
    pub new: Option<Status>,
}

/// Every difference in the results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResultsDiff {
    /// Readings added, removed or changed, by measure, then period, group and arm.
    pub readings: Vec<ReadingChange>,
    /// Measures whose status changed, in the new model's order then the old's.
    pub statuses: Vec<StatusChange>,
}

impl ResultsDiff {
    /// Whether the results are the same.
    pub fn is_empty(&self) -> bool {
        self.readings.is_empty() && self.statuses.is_empty()
    }
}

type Key = (String, crate::results::Period, String, Arm);

fn readings(r: Option<&Results>) -> BTreeMap<Key, &Point> {
    let mut out = BTreeMap::new();
    for m in r.map_or(&[][..], |r| r.measures.as_slice()) {
        for p in &m.series {
            out.insert((m.id.clone(), p.period, p.group.clone(), p.arm), p);
        }
    }
    out
}

fn value(p: &Point) -> ReadingValue {
    ReadingValue {
        value: p.value,
        numerator: p.numerator,
        denominator: p.denominator,
    }
}

/// The differences between the results of two versions; `None` for a version without
/// results.
pub fn diff_results(old: Option<&Results>, new: Option<&Results>) -> ResultsDiff {
    let (a, b) = (readings(old), readings(new));
    let mut keys: Vec<&Key> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = ResultsDiff::default();
    for k in keys {
        let (o, n) = (a.get(k).map(|p| value(p)), b.get(k).map(|p| value(p)));
        let change = match (&o, &n) {
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Removed,
            (Some(x), Some(y)) if x != y => ChangeKind::Changed,
            _ => continue,
        };
        out.readings.push(ReadingChange {
            change,
            measure: k.0.clone(),
            period: k.1.to_string(),
            group: k.2.clone(),
            arm: k.3,
            old: o,
            new: n,
        });
    }
    let status = |r: Option<&Results>, id: &str| {
        r.and_then(|r| r.measure(id))
            .filter(|m| !m.series.is_empty())
            .map(|m| m.status)
    };
    let ids = new
        .iter()
        .chain(old.iter())
        .flat_map(|r| r.measures.iter().map(|m| m.id.as_str()));
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            continue;
        }
        let (o, n) = (status(old, id), status(new, id));
        if o != n {
            out.statuses.push(StatusChange {
                measure: id.to_string(),
                old: o,
                new: n,
            });
        }
    }
    out
}

fn reading(v: &Option<ReadingValue>) -> String {
    match v {
        None => "(none)".to_string(),
        Some(v) => match (v.numerator, v.denominator) {
            (Some(n), Some(d)) => format!("{} ({} / {})", shown(v.value), shown(n), shown(d)),
            _ => shown(v.value),
        },
    }
}

fn status(s: Option<Status>) -> String {
    s.map_or("(no results)".to_string(), |s| {
        format!("{} {}", s.shape(), s.word())
    })
}

/// The results part of the text diff: a `Results` heading, one line per reading and per
/// status change, and a summary line; empty when nothing changed.
pub fn text(d: &ResultsDiff) -> String {
    use std::fmt::Write;
    if d.is_empty() {
        return String::new();
    }
    let plain = |s: &str| crate::escape::terminal(s).into_owned();
    let mut s = String::from("\nResults\n");
    for r in &d.readings {
        let arm = match r.arm {
            Arm::Programme => "",
            Arm::Comparison => ", comparison",
        };
        let what = format!(
            "{} {} ({}{arm})",
            plain(&r.measure),
            r.period,
            plain(&r.group)
        );
        let _ = match r.change {
            ChangeKind::Added => writeln!(s, "  + {what}: {}", reading(&r.new)),
            ChangeKind::Removed => writeln!(s, "  - {what}: {}", reading(&r.old)),
            _ => writeln!(s, "  ~ {what}: {} → {}", reading(&r.old), reading(&r.new)),
        };
    }
    for c in &d.statuses {
        let _ = writeln!(
            s,
            "  ~ {} status: {} → {}",
            plain(&c.measure),
            status(c.old),
            status(c.new)
        );
    }
    let count = |k: ChangeKind| d.readings.iter().filter(|r| r.change == k).count();
    let added = crate::emit::plural(count(ChangeKind::Added), "reading");
    let _ = writeln!(
        s,
        "\nresults: {added} added, {} removed, {} changed; {}",
        count(ChangeKind::Removed),
        count(ChangeKind::Changed),
        crate::emit::plural(d.statuses.len(), "status change")
    );
    s
}
