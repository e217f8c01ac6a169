//! The measurement framework as CSV for spreadsheets: one row per (box, measure), one row
//! with empty measure columns for an output or impact without measures, and one row with empty
//! box columns for a measure no box uses, so every measure is there in full.
//!
//! When the model has results, one row per measure, period, group and arm follows, with the
//! box columns empty and the results columns filled: numbers as plain numbers, and
//! `synthetic` saying whether the reading is synthetic.
//!
//! Quoting is the `csv` crate's (RFC 4180), so commas, quotes and line breaks in labels survive
//! a round trip through any spreadsheet.

use super::{MeasureRow, Report};

/// How many columns describe the framework (box, measure, concerns, breakdowns); the
/// results columns follow them.
const FRAMEWORK_COLUMNS: usize = 16;

/// The header row. New columns are only ever appended, so scripts that read by position keep
/// working.
pub const HEADER: [&str; 27] = [
    "stage",
    "node_id",
    "node",
    "measure_id",
    "measure",
    "kind",
    "proxy_for",
    "unit",
    "baseline",
    "target",
    "source_id",
    "source",
    "frequency",
    "owner",
    "concerns",
    "breakdowns",
    "period",
    "group",
    "arm",
    "value",
    "numerator",
    "denominator",
    "ci_low",
    "ci_high",
    "status",
    "synthetic",
    "note",
];

fn o(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or_default()
}

/// `cell` made safe to open in a spreadsheet: text that starts with a formula character
/// (`=`, `+`, `-`, `@`, or their full-width forms, which spreadsheets with East Asian input
/// read as the same), or with a tab, carriage return or other white space or control
/// character before one, gets a leading `'`. A plain number such as `-5` or `+2.5` is left
/// as it is: it cannot run anything, and a baseline must stay a number.
pub fn neutralise(cell: &str) -> String {
    let first = cell.chars().next();
    let trigger = matches!(first, Some('\t' | '\r'))
        || matches!(
            cell.trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
                .chars()
                .next(),
            Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')
        );
    if trigger && !is_plain_number(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A decimal number with an optional sign and nothing else: `-5`, `+2.5`, `-0.25`.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A measure's columns, from its id to its owner.
fn measure_cells(m: &MeasureRow) -> Vec<String> {
    [
        m.id.as_str(),
        m.label.as_str(),
        m.kind.as_str(),
        o(&m.proxy_for),
        o(&m.unit),
        o(&m.baseline),
        o(&m.target),
        o(&m.source_id),
        o(&m.source),
        o(&m.frequency),
        o(&m.owner),
    ]
    .map(str::to_string)
    .to_vec()
}

/// A number for a spreadsheet: plain decimal, up to six places, no unit or separators.
fn number(v: f64) -> String {
    let s = format!("{:.6}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// The framework as CSV text with a header row.
pub fn csv(r: &Report) -> Result<String, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| e.to_string();
    w.write_record(HEADER).map_err(fail)?;
    let mut write = |lead: [&str; 3], concerns: &str, m: Option<&MeasureRow>| {
        let mut row: Vec<String> = lead.map(str::to_string).to_vec();
        row.extend(m.map(measure_cells).unwrap_or_default());
        row.resize(FRAMEWORK_COLUMNS - 2, String::new());
        row.push(concerns.to_string());
        row.push(m.map(|m| m.breakdowns.join("; ")).unwrap_or_default());
        row.resize(HEADER.len(), String::new());
        w.write_record(row.iter().map(|c| neutralise(c)))
    };
    for node in &r.framework {
        let lead = [node.stage.key(), node.id.as_str(), node.label.as_str()];
        let concerns = node.concerns.join("; ");
        if node.measures.is_empty() {
            write(lead, &concerns, None).map_err(fail)?;
        }
        for m in &node.measures {
            write(lead, &concerns, Some(m)).map_err(fail)?;
        }
    }
    for m in &r.unused_measures {
        write(["", "", ""], "", Some(m)).map_err(fail)?;
    }
    if let Some(res) = &r.results {
        let rows: std::collections::HashMap<&str, &MeasureRow> = r
            .framework
            .iter()
            .flat_map(|n| &n.measures)
            .chain(&r.unused_measures)
            .map(|m| (m.id.as_str(), m))
            .collect();
        for e in &res.measures {
            let m = &e.result;
            let measure: Vec<String> = match rows.get(m.id.as_str()) {
                Some(row) => measure_cells(row),
                None => vec![m.id.clone(), m.label.clone()],
            };
            for p in &m.series {
                let num = |v: Option<f64>| v.map(number).unwrap_or_default();
                let mut row: Vec<String> = vec![String::new(); 3];
                row.extend(measure.iter().cloned());
                row.resize(FRAMEWORK_COLUMNS, String::new());
                row.extend([
                    p.period.to_string(),
                    p.group.clone(),
                    super::results::arm_word(p.arm).to_string(),
                    number(p.value),
                    num(p.numerator),
                    num(p.denominator),
                    num(p.ci.map(|c| c.0)),
                    num(p.ci.map(|c| c.1)),
                    m.status.word().to_string(),
                    e.synthetic.to_string(),
                    p.note.clone().unwrap_or_default(),
                ]);
                w.write_record(row.iter().map(|c| neutralise(c)))
                    .map_err(fail)?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn full_width_formula_characters_are_neutralised_like_their_ascii_forms() {
        for cell in ["＝1+1", "＋cmd", "－1+2", "＠SUM(1)", " ＝HYPERLINK(\"x\")"] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell}");
        }
    }

    #[test]
    fn every_formula_lead_is_neutralised_after_any_white_space_or_control_character() {
        for lead in ["", "\t", "\r", "\n", " ", "\u{0}", "\u{a0}"] {
            for f in ['=', '+', '-', '@'] {
                let cell = format!("{lead}{f}x");
                assert_eq!(neutralise(&cell), format!("'{cell}"), "{cell:?}");
            }
        }
        assert_eq!(neutralise("-5"), "-5");
        assert_eq!(neutralise("plain = fine"), "plain = fine");
    }
}
