//! `compute:`: counting case-level records into readings, a row at a time.
//!
//! The records file is streamed: one row buffer is reused for the whole file, conditions are
//! resolved to column numbers once, and each row adds to counts keyed by period and group.
//! Memory grows with the number of distinct periods and groups, never with the rows. Every
//! measure computed from the same file is counted in the same pass.

use std::collections::HashMap;
use std::io::Read;

use super::config::{Compute, Condition, Test};
use super::period::{Date, Period};
use super::{Arm, Place, Reading};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::Measure;
use crate::span::Spanned;

use crate::lint::{Level, Lint};
/// The `compute-unknown-column` lint.
pub(crate) static COMPUTE_UNKNOWN_COLUMN: Lint = Lint {
    code: Code::ComputeUnknownColumn,
    name: "compute-unknown-column",
    default: Level::Deny,
    configurable: false,
    label: "no such column",
    summary: "a `compute:` names a column the records file does not have",
    why: "A condition on a column that is not there would match no row, and the measure would report zero completions with full confidence. Column names must match the records file's header exactly, including case.",
    example: "measures:\n  - id: completion-rate\n    compute:\n      records: atr-cases.csv\n      period: {column: end_date, by: quarter}\n      count: {column: termination, in: [50, 51]}\n",
    fix: "measures:\n  - id: completion-rate\n    compute:\n      records: atr-cases.csv\n      period: {column: end_date, by: quarter}\n      count: {column: termination_code, in: [50, 51]}\n",
    funder: "The records for {label} lack a column the calculation needs.",
};

/// A test resolved against the header, comparing bytes.
enum Check {
    In {
        bytes: Vec<Vec<u8>>,
        numbers: Vec<f64>,
    },
    NotIn {
        bytes: Vec<Vec<u8>>,
        numbers: Vec<f64>,
    },
    Min(f64),
    Max(f64),
    IsEmpty(bool),
}

enum Compiled {
    Column(usize, Vec<Check>),
    All(Vec<Compiled>),
    Any(Vec<Compiled>),
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn number(b: &[u8]) -> Option<f64> {
    std::str::from_utf8(b).ok()?.parse::<f64>().ok()
}

fn one_of(cell: &[u8], bytes: &[Vec<u8>], numbers: &[f64]) -> bool {
    if bytes.iter().any(|b| b == cell) {
        return true;
    }
    // Only when the text differs is the cell read as a number, so `50.0` matches `50`.
    !numbers.is_empty() && number(cell).is_some_and(|n| numbers.contains(&n))
}

impl Compiled {
    fn holds(&self, row: &csv::ByteRecord) -> bool {
        match self {
            Compiled::All(cs) => cs.iter().all(|c| c.holds(row)),
            Compiled::Any(cs) => cs.iter().any(|c| c.holds(row)),
            Compiled::Column(i, checks) => {
                let cell = trim(row.get(*i).unwrap_or_default());
                checks.iter().all(|c| match c {
                    Check::In { bytes, numbers } => one_of(cell, bytes, numbers),
                    Check::NotIn { bytes, numbers } => !one_of(cell, bytes, numbers),
                    Check::Min(m) => number(cell).is_some_and(|n| n >= *m),
                    Check::Max(m) => number(cell).is_some_and(|n| n <= *m),
                    Check::IsEmpty(e) => cell.is_empty() == *e,
                })
            }
        }
    }
}

fn values(vs: &[String]) -> (Vec<Vec<u8>>, Vec<f64>) {
    let bytes = vs.iter().map(|v| v.trim().as_bytes().to_vec()).collect();
    let numbers = vs
        .iter()
        .filter_map(|v| v.trim().parse::<f64>().ok())
        .collect();
    (bytes, numbers)
}

/// The header's column number for `name`, or a `compute-unknown-column` diagnostic.
fn column(
    header: &[String],
    name: &Spanned<String>,
    records: &str,
    id: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    if let Some(i) = header.iter().position(|h| h == &name.value) {
        return Some(i);
    }
    let help = did_you_mean(&name.value, header.iter().map(String::as_str))
        .unwrap_or_else(|| format!("the columns of {records} are: {}", header.join(", ")));
    diags.push(
        Diagnostic::new(
            Code::ComputeUnknownColumn,
            format!("{records} has no column `{}`", name.value),
            name.span,
        )
        .with_help(help)
        .about(id),
    );
    None
}

fn compile(
    c: &Condition,
    header: &[String],
    records: &str,
    id: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Compiled> {
    match c {
        Condition::All(cs) => cs
            .iter()
            .map(|c| compile(c, header, records, id, diags))
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .map(Compiled::All),
        Condition::Any(cs) => cs
            .iter()
            .map(|c| compile(c, header, records, id, diags))
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .map(Compiled::Any),
        Condition::Column {
            column: name,
            tests,
        } => {
            let i = column(header, name, records, id, diags)?;
            let checks = tests
                .iter()
                .map(|t| match t {
                    Test::In(vs) => {
                        let (bytes, numbers) = values(vs);
                        Check::In { bytes, numbers }
                    }
                    Test::NotIn(vs) => {
                        let (bytes, numbers) = values(vs);
                        Check::NotIn { bytes, numbers }
                    }
                    Test::Equals(v) => {
                        let (bytes, numbers) = values(std::slice::from_ref(v));
                        Check::In { bytes, numbers }
                    }
                    Test::Min(m) => Check::Min(*m),
                    Test::Max(m) => Check::Max(*m),
                    Test::IsEmpty(e) => Check::IsEmpty(*e),
                })
                .collect();
            Some(Compiled::Column(i, checks))
        }
    }
}

/// A date cell read without allocating: `2024-03-31` or `31/03/2024`, with any time after.
fn date(cell: &[u8]) -> Option<Date> {
    let digits = |b: &[u8]| -> Option<u32> {
        if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let end = cell
        .iter()
        .position(|b| *b == b'T' || *b == b' ')
        .unwrap_or(cell.len());
    let cell = &cell[..end];
    if cell.len() == 10 && cell[4] == b'-' && cell[7] == b'-' {
        let (y, m, d) = (
            digits(&cell[..4])?,
            digits(&cell[5..7])?,
            digits(&cell[8..])?,
        );
        return Date::new(y as i32, m as u8, d as u8);
    }
    let mut parts = cell.split(|b| *b == b'/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || d.len() > 2 || m.len() > 2 {
        return None;
    }
    Date::new(digits(y)? as i32, digits(m)? as u8, digits(d)? as u8)
}

struct Plan<'m> {
    measure: &'m Measure,
    compute: &'m Compute,
    date: usize,
    count: Compiled,
    out_of: Option<Compiled>,
    /// Column numbers of `group_by`, with their names.
    groups: Vec<(usize, String)>,
}

/// Counts for one measure: by period, then group column (`None` for `all`) and value id.
type Counts = HashMap<(Period, Option<usize>, u32), [u64; 2]>;

/// Computes the readings of every measure in `measures` from the records file `bytes`
/// names (`records` as written in the model), streaming `source`.
///
/// Problems go to `diags` with spans into the model: a column the file lacks, a date that
/// cannot be read. A row whose date cell is empty is a case still open and is skipped.
pub fn run(
    source: impl Read,
    records: &str,
    measures: &[&Measure],
    out: &mut Vec<Reading>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(source);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            for m in measures {
                if let Some(c) = &m.compute {
                    diags.push(unreadable(c, records, &e.to_string(), &m.id.value));
                }
            }
            return;
        }
    };
    let mut plans = Vec::new();
    for m in measures {
        let Some(c) = &m.compute else { continue };
        let id = m.id.value.as_str();
        let date = column(&header, &c.period.column, records, id, diags);
        let count = compile(&c.count, &header, records, id, diags);
        let out_of = c
            .out_of
            .as_ref()
            .map(|o| compile(o, &header, records, id, diags));
        let groups: Vec<Option<(usize, String)>> = c
            .group_by
            .iter()
            .map(|g| column(&header, g, records, id, diags).map(|i| (i, g.value.clone())))
            .collect();
        let (Some(date), Some(count)) = (date, count) else {
            continue;
        };
        let out_of = match out_of {
            Some(Some(o)) => Some(o),
            Some(None) => continue,
            None => None,
        };
        let Some(groups) = groups.into_iter().collect::<Option<Vec<_>>>() else {
            continue;
        };
        plans.push(Plan {
            measure: m,
            compute: c,
            date,
            count,
            out_of,
            groups,
        });
    }
    if plans.is_empty() {
        return;
    }
    let mut counts: Vec<Counts> = plans.iter().map(|_| HashMap::new()).collect();
    // Each group column's values, numbered as first seen, shared by every plan.
    let mut group_values: HashMap<usize, HashMap<Vec<u8>, u32>> = HashMap::new();
    let mut bad_dates: Vec<(u64, u64)> = plans.iter().map(|_| (0, 0)).collect();
    let mut row = csv::ByteRecord::new();
    let mut ids: Vec<u32> = Vec::new();
    loop {
        match reader.read_byte_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                for p in &plans {
                    diags.push(unreadable(
                        p.compute,
                        records,
                        &e.to_string(),
                        &p.measure.id.value,
                    ));
                }
                return;
            }
        }
        for (k, plan) in plans.iter().enumerate() {
            let in_out_of = plan.out_of.as_ref().is_none_or(|o| o.holds(&row));
            let counted = plan.count.holds(&row) && in_out_of;
            if !counted && (plan.out_of.is_none() || !in_out_of) {
                continue;
            }
            let cell = trim(row.get(plan.date).unwrap_or_default());
            if cell.is_empty() {
                continue;
            }
            let Some(d) = date(cell) else {
                let line = row.position().map_or(0, |p| p.line());
                let bad = &mut bad_dates[k];
                if bad.0 == 0 {
                    bad.1 = line;
                }
                bad.0 += 1;
                continue;
            };
            let period = Period::of(d, plan.compute.period.by.value);
            let add = |c: &mut [u64; 2]| {
                c[0] += u64::from(counted);
                c[1] += u64::from(in_out_of);
            };
            add(counts[k].entry((period, None, 0)).or_default());
            ids.clear();
            for (col, _) in &plan.groups {
                let value = trim(row.get(*col).unwrap_or_default());
                let table = group_values.entry(*col).or_default();
                let next = table.len() as u32;
                let id = match table.get(value) {
                    Some(id) => *id,
                    None => {
                        table.insert(value.to_vec(), next);
                        next
                    }
                };
                ids.push(id);
            }
            for ((col, _), id) in plan.groups.iter().zip(&ids) {
                add(counts[k].entry((period, Some(*col), *id)).or_default());
            }
        }
    }
    let names: HashMap<usize, Vec<String>> = group_values
        .into_iter()
        .map(|(col, table)| {
            let mut v = vec![String::new(); table.len()];
            for (bytes, id) in table {
                v[id as usize] = String::from_utf8_lossy(&bytes).into_owned();
            }
            (col, v)
        })
        .collect();
    for ((plan, counts), (bad, first_line)) in plans.iter().zip(counts).zip(bad_dates) {
        let id = plan.measure.id.value.as_str();
        if bad > 0 {
            let rows = if bad == 1 { "row" } else { "rows" };
            diags.push(
                Diagnostic::new(
                    Code::ResultUnreadable,
                    format!(
                        "{bad} {rows} of {records} have a `{}` that is not a date (the first on line {first_line})",
                        plan.compute.period.column.value
                    ),
                    plan.compute.period.column.span,
                )
                .with_help("write dates as `2024-03-31` or `31/03/2024`; leave the cell empty for a case still open")
                .about(id),
            );
        }
        let scale = super::scale(plan.measure);
        for ((period, col, value), [num, den]) in counts {
            let group = match col {
                None => "all".to_string(),
                Some(c) => {
                    let name = plan
                        .groups
                        .iter()
                        .find(|(i, _)| *i == c)
                        .map_or("", |(_, n)| n.as_str());
                    let v = names
                        .get(&c)
                        .and_then(|v| v.get(value as usize))
                        .map_or("", String::as_str);
                    format!("{name}={v}")
                }
            };
            let (value, numerator, denominator) = match plan.out_of {
                Some(_) if den == 0 => continue,
                Some(_) => (
                    Some(num as f64 / den as f64 * scale),
                    Some(num as f64),
                    Some(den as f64),
                ),
                None => (Some(num as f64), None, None),
            };
            out.push(Reading {
                measure: id.to_string(),
                period,
                group,
                arm: Arm::Programme,
                value,
                numerator,
                denominator,
                // Names the records file wherever the reading is shown, so that data
                // labelled synthetic in its name stays labelled.
                note: Some(format!("computed from {records}")),
                place: Place::Model(plan.compute.span),
            });
        }
    }
}

fn unreadable(c: &Compute, records: &str, why: &str, id: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ResultUnreadable,
        format!("{records} cannot be read as CSV: {why}"),
        c.records.span,
    )
    .with_help("check that the file is CSV with a header row, saved as UTF-8")
    .about(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_from_bytes_as_from_text() {
        for text in [
            "2024-03-31",
            "31/03/2024",
            "1/4/2024",
            "2024-03-31T09:00",
            "2024-02-30",
            "2024-3-31",
            "x",
        ] {
            assert_eq!(
                date(text.as_bytes()),
                Date::parse(text).filter(|_| text != "2024-3-31"),
                "{text}"
            );
        }
    }
}
