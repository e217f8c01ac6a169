//! `elmo status` output: a table for the terminal, Markdown, and the JSON document.
//!
//! Status is always a word and a shape, never colour alone, and a value with no n says it
//! has no interval rather than showing none.

use super::{MeasureResult, Point, Results, Status, shown};
use crate::emit::FileReport;

/// The diagnostics of a model and its results files, one report per file (the model first),
/// for any of the diagnostic formats.
pub fn file_reports<'a>(
    model_name: &'a str,
    model_src: &'a str,
    model_diags: &'a [crate::Diagnostic],
    results: &'a Results,
) -> Vec<FileReport<'a>> {
    let mut out = vec![FileReport {
        path: model_name,
        source: model_src,
        diagnostics: model_diags,
        readiness: None,
    }];
    for f in &results.files {
        out.push(FileReport {
            path: &f.name,
            source: &f.text,
            diagnostics: &f.diagnostics,
            readiness: None,
        });
    }
    out
}

fn percent(m: &MeasureResult) -> bool {
    m.unit.as_deref().is_some_and(|u| {
        crate::unit::Unit::parse(u) == crate::unit::Unit::Proportion { scale: 100.0 }
    })
}

fn value(m: &MeasureResult, v: f64) -> String {
    if percent(m) {
        format!("{}%", shown(v))
    } else {
        shown(v)
    }
}

fn interval(p: &Point) -> String {
    match p.ci {
        Some((lo, hi)) => format!("{}–{}", shown(lo), shown(hi)),
        None => "no n, no interval".to_string(),
    }
}

/// The latest value as the diagram shows it after a measure's label: `61%` (for any unit in
/// percent, `percent of flags` or `percent reduction` too), the bare number otherwise, to two
/// or three significant figures; nothing without a reading (the status's shape says so).
pub fn latest_short(m: &MeasureResult) -> Option<String> {
    let l = m.latest.as_ref()?;
    let in_percent = percent(m)
        || m.unit
            .as_deref()
            .is_some_and(|u| u.trim().to_lowercase().starts_with("percent "));
    // Rounded to what a box has room for and a reader takes in at a glance: 40.72 is 41,
    // 7.5 stays 7.5; the tooltip and `elmo status` give the figure in full.
    let v = l.value;
    let decimals = if v.abs() >= 10.0 {
        0
    } else if v.abs() >= 1.0 {
        1
    } else {
        2
    };
    let factor = 10f64.powi(decimals);
    let rounded = shown((v * factor).round() / factor);
    Some(if in_percent {
        format!("{rounded}%")
    } else {
        rounded
    })
}

/// A measure's result in one sentence, for the diagram's tooltips: the latest value with its
/// period and interval, then the status word and why.
pub fn tooltip(m: &MeasureResult) -> String {
    let status = format!("{} {}: {}", m.status.shape(), m.status.word(), m.reason);
    match &m.latest {
        Some(l) => {
            let ci = match l.ci {
                Some((lo, hi)) => format!(", 95% CI {}–{}", shown(lo), shown(hi)),
                None => ", no n, no interval".to_string(),
            };
            format!("latest {} in {}{ci}; {status}", value(m, l.value), l.period)
        }
        // The reason says there is no reading.
        None => status,
    }
}

/// A bar of `width` cells filled to `progress` (0 to 1; beyond is clamped), then the percent.
pub fn progress_bar(progress: Option<f64>, width: usize) -> String {
    let Some(p) = progress else {
        return format!("{:width$}", "—");
    };
    let filled = ((p.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!(
        "{}{} {:>4}%",
        "█".repeat(filled),
        "░".repeat(width - filled),
        (p * 100.0).round()
    )
}

/// The programme's whole-group series as a sparkline of block characters.
pub fn sparkline(m: &MeasureResult) -> String {
    let values: Vec<f64> = m
        .series
        .iter()
        .filter(|p| p.arm == super::Arm::Programme && p.group == "all")
        .map(|p| p.value)
        .collect();
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| {
            if hi > lo {
                BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize]
            } else {
                BARS[3]
            }
        })
        .collect()
}

/// The comparison in words: the difference, its interval, and whether it could be chance.
pub fn comparison_words(m: &MeasureResult) -> Option<String> {
    let c = m.comparison.as_ref()?;
    let points = if percent(m) { " points" } else { "" };
    let mut s = format!(
        "vs comparison {} in {}: difference {}{points}",
        value(m, c.value),
        c.period,
        signed(c.difference)
    );
    match (c.ci, c.p_value) {
        (Some((lo, hi)), Some(p)) => {
            s.push_str(&format!(
                " (95% CI {} to {}), p {}; ",
                signed(lo),
                signed(hi),
                p_text(p)
            ));
            s.push_str(if c.significant {
                "significant at the 5% level"
            } else {
                "not significant at the 5% level: it could be chance"
            });
        }
        _ => s.push_str("; no counts on both sides, so no test: it could be chance"),
    }
    Some(s)
}

fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", shown(v))
    } else if v < 0.0 {
        format!("−{}", shown(-v))
    } else {
        "0".to_string()
    }
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("= {:.3}", p)
    }
}

fn status_cell(s: Status) -> String {
    format!("{} {}", s.shape(), s.word())
}

struct Row {
    cells: Vec<String>,
    notes: Vec<String>,
}

fn rows(results: &Results) -> Vec<Row> {
    results
        .measures
        .iter()
        .map(|m| {
            let (latest, ci) = match &m.latest {
                Some(l) => (format!("{} ({})", value(m, l.value), l.period), interval(l)),
                None => ("—".to_string(), "—".to_string()),
            };
            let opt = |v: Option<f64>| v.map_or("—".to_string(), |v| value(m, v));
            let mut notes = Vec::new();
            if let Some(c) = comparison_words(m) {
                notes.push(c);
            }
            if let Some(b) = &m.vs_baseline {
                notes.push(format!(
                    "vs baseline: {}, p {}; {}",
                    signed(b.difference),
                    p_text(b.p_value),
                    if b.significant {
                        "significant at the 5% level"
                    } else {
                        "could be chance"
                    }
                ));
            }
            notes.push(m.reason.clone());
            if let Some(n) = m.latest.as_ref().and_then(|l| l.note.as_ref()) {
                notes.push(format!("note: {n}"));
            }
            Row {
                cells: vec![
                    status_cell(m.status),
                    m.id.clone(),
                    latest,
                    ci,
                    opt(m.baseline),
                    opt(m.target),
                    progress_bar(m.progress, 10),
                    sparkline(m),
                ],
                notes,
            }
        })
        .collect()
}

const HEADERS: [&str; 8] = [
    "status", "measure", "latest", "95% CI", "baseline", "target", "progress", "trend",
];

/// The table for a terminal: one row per measure, then its comparison and reason indented.
pub fn text(title: &str, results: &Results) -> String {
    let rows = rows(results);
    let width = |i: usize| {
        rows.iter()
            .map(|r| r.cells[i].chars().count())
            .chain([HEADERS[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..HEADERS.len()).map(width).collect();
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i] - c.chars().count();
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = format!("{title}: results as of {}\n\n", results.as_of);
    if rows.is_empty() {
        out.push_str("no quantitative or proxy measures to report\n");
        return out;
    }
    out.push_str(&line(&HEADERS.map(String::from)));
    out.push('\n');
    let indent = widths[0] + 2;
    for r in &rows {
        out.push_str(&line(&r.cells));
        out.push('\n');
        for n in &r.notes {
            out.push_str(&format!("{:indent$}{n}\n", ""));
        }
    }
    out.push_str(&format!("\n{}\n", summary(results)));
    out
}

/// `9/14 measures reported: 5 on track, 2 off track, 1 stale`.
pub fn summary(results: &Results) -> String {
    let total = results.measures.len();
    let reported = results
        .measures
        .iter()
        .filter(|m| m.latest.is_some())
        .count();
    let mut parts = Vec::new();
    for s in [
        Status::Met,
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Stale,
    ] {
        let n = results.measures.iter().filter(|m| m.status == s).count();
        if n > 0 {
            parts.push(format!("{n} {}", s.word().replace('-', " ")));
        }
    }
    let rest = if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(", "))
    };
    format!("{reported}/{total} measures reported{rest}")
}

/// The table as GitHub-flavoured Markdown.
pub fn markdown(title: &str, results: &Results) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = format!("## {}: results as of {}\n\n", esc(title), results.as_of);
    out.push_str("| status | measure | latest | 95% CI | baseline | target | progress | trend | comparison |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for (r, m) in rows(results).iter().zip(&results.measures) {
        let cells: Vec<String> = r.cells.iter().map(|c| esc(c)).collect();
        let comparison = comparison_words(m).map_or("—".to_string(), |c| esc(&c));
        out.push_str(&format!("| {} | {comparison} |\n", cells.join(" | ")));
    }
    out.push_str(&format!("\n{}\n", summary(results)));
    out
}

/// The JSON document: `as_of`, one file with every measure, and the diagnostic counts.
pub fn json(path: &str, results: &Results, reports: &[FileReport<'_>]) -> serde_json::Value {
    let diagnostics = crate::emit::to_json(reports);
    serde_json::json!({
        "as_of": results.as_of.to_string(),
        "files": [{
            "path": path,
            "measures": results.measures,
        }],
        "diagnostics": diagnostics.files,
        "errors": diagnostics.errors,
        "warnings": diagnostics.warnings,
    })
}
