//! The measurement framework as CSV for spreadsheets: one row per (output or impact, measure),
//! and one row with empty measure columns for a node without measures.
//!
//! Quoting is the `csv` crate's (RFC 4180), so commas, quotes and line breaks in labels survive
//! a round trip through any spreadsheet.

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

/// The framework as CSV text with a header row.
pub fn csv(r: &Report) -> Result<String, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| e.to_string();
    w.write_record(HEADER).map_err(fail)?;
    for node in &r.framework {
        let lead = [node.stage.key(), node.id.as_str(), node.label.as_str()];
        if node.measures.is_empty() {
            let mut row: Vec<&str> = lead.to_vec();
            row.resize(HEADER.len(), "");
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
            w.write_record(&row).map_err(fail)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
