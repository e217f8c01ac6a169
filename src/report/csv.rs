//! The measurement framework as CSV for spreadsheets: one row per (output or impact, measure),
//! and one row with empty measure columns for a node without measures.
//!
//! Quoting is the `csv` crate's (RFC 4180), so commas, quotes and line breaks in labels survive
//! a round trip through any spreadsheet.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and some strip
//! a leading tab, carriage return or space first), so such a cell from the model gets a
//! leading `'`, which shows the text as written; see [`neutralise`].

use super::Report;

/// The header row. New columns are only ever appended, so scripts that read by position keep
/// working.
pub const HEADER: [&str; 14] = [
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
];

/// `cell` made safe to open in a spreadsheet: text that starts with a formula character
/// (`=`, `+`, `-`, `@`), or with a tab, carriage return or other white space or control
/// character before one, gets a leading `'`. A plain number such as `-5` or `+2.5` is left
/// as it is: it cannot run anything, and a baseline must stay a number.
pub fn neutralise(cell: &str) -> String {
    let first = cell.chars().next();
    let trigger = matches!(first, Some('\t' | '\r'))
        || matches!(
            cell.trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
                .chars()
                .next(),
            Some('=' | '+' | '-' | '@')
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

/// The framework as CSV text with a header row.
pub fn csv(r: &Report) -> Result<String, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| e.to_string();
    w.write_record(HEADER).map_err(fail)?;
    for node in &r.framework {
        let lead = [node.stage.key(), node.id.as_str(), node.label.as_str()];
        if node.measures.is_empty() {
            let mut row: Vec<String> = lead.iter().map(|c| neutralise(c)).collect();
            row.resize(HEADER.len(), String::new());
            w.write_record(&row).map_err(fail)?;
        }
        for m in &node.measures {
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            let row = [
                lead[0].to_string(),
                lead[1].to_string(),
                lead[2].to_string(),
                m.id.clone(),
                m.label.clone(),
                m.kind.to_string(),
                o(&m.proxy_for),
                o(&m.unit),
                o(&m.baseline),
                o(&m.target),
                o(&m.source_id),
                o(&m.source),
                o(&m.frequency),
                o(&m.owner),
            ];
            w.write_record(row.iter().map(|c| neutralise(c)))
                .map_err(fail)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
