//! Reading an aggregated results CSV: one reading per row, every cell's span kept so that a
//! diagnostic points at the cell in the CSV file.

use super::{Arm, Place, Reading};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::Model;
use crate::results::period::Period;
use crate::span::Span;
use crate::unit::Unit;

use crate::lint::{Level, Lint};
/// The `result-unknown-measure` lint.
pub(crate) static RESULT_UNKNOWN_MEASURE: Lint = Lint {
    code: Code::ResultUnknownMeasure,
    name: "result-unknown-measure",
    default: Level::Deny,
    configurable: false,
    label: "no such measure",
    summary: "a results row names a measure the model does not have",
    why: "A reading that belongs to no measure is shown nowhere: not in `elmo status`, not on the diagram, not in the report. It is usually a typing slip or a measure renamed in the model but not in the results file, and the figure a funder is waiting for silently goes missing.",
    example: "results: [results.csv]\nmeasures:\n  - id: engaged-1m\n    label: Engaged for over a month\n# results.csv:\n#   measure,period,value\n#   engaged-1n,2024-Q1,41\n",
    fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,41\n",
    funder: "The results include figures for a measure the plan does not describe.",
};

/// The `result-unreadable` lint.
pub(crate) static RESULT_UNREADABLE: Lint = Lint {
    code: Code::ResultUnreadable,
    name: "result-unreadable",
    default: Level::Deny,
    configurable: false,
    label: "cannot be read",
    summary: "a period, number or arm in a results file that cannot be read, or a results or records file that cannot be opened",
    why: "A reading whose period or number cannot be read cannot be placed on the series or compared with anything; guessing would put a wrong figure in front of a funder. Periods are written `2024`, `2023-24` (UK financial year), `2024-Q1`, `2024-03` or `2024-03-31`; numbers are plain, without `%` or thousands separators; `arm` is `programme` or `comparison`.",
    example: "# results.csv:\n#   measure,period,value\n#   engaged-1m,Q1 2024,41%\n",
    fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,41\n",
    funder: "Some results for {label} could not be read.",
};

/// The `result-numerator-above-denominator` lint.
pub(crate) static RESULT_NUMERATOR_ABOVE_DENOMINATOR: Lint = Lint {
    code: Code::ResultNumeratorAboveDenominator,
    name: "result-numerator-above-denominator",
    default: Level::Deny,
    configurable: false,
    label: "above the denominator",
    summary: "a results row counts more people than it counts them out of",
    why: "A rate's numerator is part of its denominator: 55 people engaged out of 100 released. A numerator above the denominator means the two columns are swapped, or were counted from different groups, and the rate above 100% that follows is meaningless.",
    example: "# results.csv:\n#   measure,period,numerator,denominator\n#   engaged-1m,2024-Q1,100,55\n",
    fix: "# results.csv:\n#   measure,period,numerator,denominator\n#   engaged-1m,2024-Q1,55,100\n",
    funder: "Some results for {label} count more people than they are counted out of.",
};

/// The `result-percentage-out-of-range` lint.
pub(crate) static RESULT_PERCENTAGE_OUT_OF_RANGE: Lint = Lint {
    code: Code::ResultPercentageOutOfRange,
    name: "result-percentage-out-of-range",
    default: Level::Deny,
    configurable: false,
    label: "outside 0 to 100",
    summary: "a value below 0 or above 100 for a measure in percent",
    why: "A share of people cannot be below none or above all of them. A value such as 0.55 for 55% is caught only when it goes out of range, so check the scale of the whole column: a percentage is written 55, not 0.55. A relative change, such as a percentage reduction, is not a share: give it a unit such as `percent reduction`.",
    example: "measures:\n  - id: engaged-1m\n    unit: percent\n# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,155\n",
    fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,55\n",
    funder: "Some results for {label} are percentages below 0 or above 100.",
};

/// The `result-duplicate` lint.
pub(crate) static RESULT_DUPLICATE: Lint = Lint {
    code: Code::ResultDuplicate,
    name: "result-duplicate",
    default: Level::Deny,
    configurable: false,
    label: "given again here",
    summary: "two readings for the same measure, period, group and arm",
    why: "When two rows disagree, there is no telling which is the figure to report, and choosing one silently could hide a correction. Keep the right one, or tell them apart with `group` (a breakdown) or `arm` (the comparison group).",
    example: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,41\n#   engaged-1m,2024-Q1,44\n",
    fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,44\n",
    funder: "Some results for {label} are given more than once.",
};

/// The `result-missing-column` lint.
pub(crate) static RESULT_MISSING_COLUMN: Lint = Lint {
    code: Code::ResultMissingColumn,
    name: "result-missing-column",
    default: Level::Deny,
    configurable: false,
    label: "in this header",
    summary: "a results file without a `measure` or `period` column, or with neither `value` nor `numerator` and `denominator`",
    why: "Every reading needs to say what was measured, when, and what was found. Without those columns no row of the file can be read, so elmo reports the header once rather than every row.",
    example: "# results.csv:\n#   measure,when,value\n#   engaged-1m,2024-Q1,41\n",
    fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,41\n",
    funder: "The results table lacks a column it needs, so its figures cannot be read.",
};

/// The byte spans of the cells of the record starting at `start`, quotes included.
///
/// The csv crate gives each record's starting byte but not each field's, so the cells are
/// found again here with the same quoting rules (RFC 4180, `""` inside quotes).
pub fn cell_spans(text: &str, start: usize) -> Vec<Span> {
    let b = text.as_bytes();
    let mut i = start;
    if i == 0 && text.starts_with('\u{feff}') {
        i = 3;
    }
    let mut spans = Vec::new();
    loop {
        let s = i;
        if b.get(i) == Some(&b'"') {
            i += 1;
            while i < b.len() {
                if b[i] == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < b.len() && !matches!(b[i], b',' | b'\n' | b'\r') {
            i += 1;
        }
        spans.push(Span::new(s, i));
        if b.get(i) == Some(&b',') {
            i += 1;
        } else {
            return spans;
        }
    }
}

/// The columns a results file may have.
const COLUMNS: [&str; 7] = [
    "measure",
    "period",
    "value",
    "numerator",
    "denominator",
    "group",
    "arm",
];

struct Columns {
    measure: usize,
    period: usize,
    value: Option<usize>,
    numerator: Option<usize>,
    denominator: Option<usize>,
    group: Option<usize>,
    arm: Option<usize>,
    note: Option<usize>,
}

/// Reads the results file `text` (file number `file`), adding its readings to `out` and its
/// problems to `diags` (spans into `text`).
pub fn read(
    text: &str,
    file: usize,
    model: &Model,
    out: &mut Vec<Reading>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            diags.push(csv_error(&e, text));
            return;
        }
        None => {
            diags.push(
                Diagnostic::new(
                    Code::ResultMissingColumn,
                    "the results file is empty",
                    Span::new(0, 0),
                )
                .with_help("start with a header row: `measure,period,value`"),
            );
            return;
        }
    };
    let header_spans = cell_spans(text, 0);
    let Some(cols) = columns(&header, &header_spans, text, diags) else {
        return;
    };
    let ids: Vec<&str> = model.measures.iter().map(|m| m.id.value.as_str()).collect();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                diags.push(csv_error(&e, text));
                // A broken quote swallows the rest of the file: one report is enough.
                return;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let spans = cell_spans(text, start);
        let span_of = |i: usize| {
            spans
                .get(i)
                .copied()
                .unwrap_or_else(|| Span::new(row_end(text, start), row_end(text, start)))
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim);
        let row = Span::new(start, row_end(text, start));
        let measure_text = cell(Some(cols.measure)).unwrap_or_default();
        let Some(measure) = model.measures.iter().find(|m| m.id.value == measure_text) else {
            let help = did_you_mean(measure_text, ids.iter().copied()).unwrap_or_else(|| {
                if ids.is_empty() {
                    "the model has no measures yet; add them under `measures:`".to_string()
                } else {
                    format!("the model's measures are: {}", ids.join(", "))
                }
            });
            let msg = if measure_text.is_empty() {
                "this row names no measure".to_string()
            } else {
                format!("`{measure_text}` is not a measure in the model")
            };
            diags.push(
                Diagnostic::new(Code::ResultUnknownMeasure, msg, span_of(cols.measure))
                    .with_help(help),
            );
            continue;
        };
        let id = measure.id.value.as_str();
        let unreadable = |diags: &mut Vec<Diagnostic>, i: usize, msg: String, help: &str| {
            diags.push(
                Diagnostic::new(Code::ResultUnreadable, msg, span_of(i))
                    .with_help(help)
                    .about(id),
            );
        };
        let period_text = cell(Some(cols.period)).unwrap_or_default();
        let Some(period) = Period::parse(period_text) else {
            unreadable(
                diags,
                cols.period,
                format!("`{period_text}` is not a period"),
                "write a year (`2024`), a financial year (`2023-24`), a quarter (`2024-Q1`), a month (`2024-03`) or a day (`2024-03-31`)",
            );
            continue;
        };
        let mut ok = true;
        let mut number = |diags: &mut Vec<Diagnostic>, i: Option<usize>, what: &str| {
            let text = cell(i).filter(|t| !t.is_empty())?;
            match text.parse::<f64>() {
                Ok(n) if n.is_finite() => Some(n),
                _ => {
                    ok = false;
                    unreadable(
                        diags,
                        i.unwrap_or_default(),
                        format!("`{text}` is not a number ({what})"),
                        "write a plain number such as `41` or `41.5`, without `%` or thousands separators",
                    );
                    None
                }
            }
        };
        let value = number(diags, cols.value, "value");
        let numerator = number(diags, cols.numerator, "numerator");
        let denominator = number(diags, cols.denominator, "denominator");
        if !ok {
            continue;
        }
        for (n, i, what) in [
            (numerator, cols.numerator, "numerator"),
            (denominator, cols.denominator, "denominator"),
        ] {
            if n.is_some_and(|n| n < 0.0) {
                unreadable(
                    diags,
                    i.unwrap_or_default(),
                    format!("a {what} counts people or events, so it cannot be negative"),
                    "check the sign of the figure",
                );
                ok = false;
            }
        }
        if denominator == Some(0.0) {
            unreadable(
                diags,
                cols.denominator.unwrap_or_default(),
                "a denominator of 0 gives no rate".to_string(),
                "leave the row out until someone has been counted, or give the `value` alone",
            );
            ok = false;
        }
        if !ok {
            continue;
        }
        if let (Some(n), Some(d)) = (numerator, denominator)
            && n > d
        {
            diags.push(
                Diagnostic::new(
                    Code::ResultNumeratorAboveDenominator,
                    format!("the numerator {n} is above the denominator {d}"),
                    span_of(cols.numerator.unwrap_or_default()),
                )
                .with_related(
                    span_of(cols.denominator.unwrap_or_default()),
                    "counted out of this",
                )
                .with_help("the numerator counts part of the denominator; check whether the columns are swapped")
                .about(id),
            );
            continue;
        }
        if value.is_none() && (numerator.is_none() || denominator.is_none()) {
            let (msg, at) = match (numerator, denominator) {
                (Some(_), None) => (
                    "this row has a numerator but no denominator",
                    cols.denominator.or(cols.numerator),
                ),
                (None, Some(_)) => (
                    "this row has a denominator but no numerator",
                    cols.numerator.or(cols.denominator),
                ),
                _ => ("this row has no value", cols.value.or(cols.numerator)),
            };
            unreadable(
                diags,
                at.unwrap_or(cols.measure),
                msg.to_string(),
                "give the `value`, or both the `numerator` and the `denominator`",
            );
            continue;
        }
        let percent = measure
            .unit
            .as_ref()
            .is_some_and(|u| Unit::parse(&u.value) == Unit::Proportion { scale: 100.0 });
        if let Some(v) = value
            && percent
            && !(0.0..=100.0).contains(&v)
        {
            diags.push(
                Diagnostic::new(
                    Code::ResultPercentageOutOfRange,
                    format!("{v} is outside 0 to 100, but `{id}` is in percent"),
                    span_of(cols.value.unwrap_or_default()),
                )
                .with_help(if (0.0..=1.0).contains(&(v / 100.0)) || v < 0.0 {
                    "a percentage is between 0 and 100; a relative change needs a unit such as `percent reduction`"
                } else {
                    "a percentage is between 0 and 100; check the figure, or give a unit such as `percent reduction` for a relative change"
                })
                .about(id),
            );
            continue;
        }
        let group = cell(cols.group)
            .filter(|g| !g.is_empty())
            .unwrap_or("all")
            .to_string();
        if group != "all" && !group.contains('=') {
            unreadable(
                diags,
                cols.group.unwrap_or_default(),
                format!("`{group}` is not a group"),
                "write `all`, or a breakdown as `name=value`, such as `gender=female`",
            );
            continue;
        }
        let arm = match cell(cols.arm).unwrap_or_default() {
            "" | "programme" | "program" => Arm::Programme,
            "comparison" => Arm::Comparison,
            other => {
                let help = did_you_mean(other, ["programme", "comparison"])
                    .unwrap_or_else(|| "write `programme` or `comparison`".to_string());
                unreadable(
                    diags,
                    cols.arm.unwrap_or_default(),
                    format!("`{other}` is not an arm"),
                    &help,
                );
                continue;
            }
        };
        out.push(Reading {
            measure: id.to_string(),
            period,
            group,
            arm,
            value,
            numerator,
            denominator,
            note: cell(cols.note)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            place: Place::Csv {
                file,
                row,
                n: cols.denominator.map(span_of).unwrap_or(row),
            },
        });
    }
}

fn row_end(text: &str, start: usize) -> usize {
    text[start.min(text.len())..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| start + i)
}

fn columns(
    header: &csv::StringRecord,
    spans: &[Span],
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Columns> {
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let header_span = Span::new(0, row_end(text, 0));
    let mut missing = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim();
        if !COLUMNS.contains(&h) && h != "note" && !h.is_empty() {
            // A slip in a column name would silently drop the column: name the nearest.
            if let Some(near) = did_you_mean(h, COLUMNS) {
                diags.push(
                    Diagnostic::new(
                        Code::ResultMissingColumn,
                        format!("`{h}` is not a results column"),
                        spans.get(i).copied().unwrap_or(header_span),
                    )
                    .with_help(near),
                );
                return None;
            }
        }
    }
    let measure = find("measure");
    let period = find("period");
    if measure.is_none() {
        missing.push("measure");
    }
    if period.is_none() {
        missing.push("period");
    }
    let (value, numerator, denominator) = (find("value"), find("numerator"), find("denominator"));
    if value.is_none() && (numerator.is_none() || denominator.is_none()) {
        missing.push(match (numerator, denominator) {
            (Some(_), None) => "denominator",
            (None, Some(_)) => "numerator",
            _ => "value",
        });
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        let (noun, them) = if names.len() == 1 {
            ("column", "it")
        } else {
            ("columns", "them")
        };
        diags.push(
            Diagnostic::new(
                Code::ResultMissingColumn,
                format!("the results file has no {} {noun}", names.join(" or ")),
                header_span,
            )
            .with_help(format!(
                "add {them} to the header row; every results file needs `measure`, `period`, and `value` or `numerator` and `denominator`"
            )),
        );
        return None;
    }
    Some(Columns {
        measure: measure?,
        period: period?,
        value,
        numerator,
        denominator,
        group: find("group"),
        arm: find("arm"),
        note: find("note"),
    })
}

fn csv_error(e: &csv::Error, text: &str) -> Diagnostic {
    let at = e
        .position()
        .map_or(0, |p| p.byte() as usize)
        .min(text.len());
    Diagnostic::new(
        Code::ResultUnreadable,
        format!("the results file is not valid CSV: {e}"),
        Span::new(at, row_end(text, at)),
    )
    .with_help("check the quotes on this row: a quoted cell must end with a closing `\"`")
}
