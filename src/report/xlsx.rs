//! The framework as an Excel workbook: one sheet per kind of item, every field a typed cell
//! (numbers as numbers, dates as dates, yes/no as booleans), header rows frozen and filtered.
//!
//! The workbook carries the whole model, not just what a funder reads: every item has its id
//! column and every key of the format has a column or a row, so `elmo import` rebuilds the
//! same model from it (see `crate::import`). The sheet and column names here are that
//! layout's contract; the importer reads them from these same constants.
//!
//! Every piece of text goes into a cell through `write_string`, which stores it as a string:
//! a label such as `=HYPERLINK(…)` is shown as written and never becomes a formula.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};
use serde::Serialize;

use super::Report;
use crate::model::{Allow, Measure, Model, Quantity, Strength};
use crate::results::{Date, Period};
use crate::unit::Unit;

/// The sheets of the workbook, by name.
pub mod sheet {
    /// The model's own settings, as field and value rows.
    pub const ABOUT: &str = "About";
    /// One row per (box, measure), and one per measure no box uses.
    pub const MEASURES: &str = "Measures";
    /// One row per box.
    pub const NODES: &str = "Nodes";
    /// One row per link between boxes, with why it holds.
    pub const LINKS: &str = "Links";
    /// One row per assumption.
    pub const ASSUMPTIONS: &str = "Assumptions";
    /// One row per data source.
    pub const SOURCES: &str = "Sources";
    /// One row per stakeholder.
    pub const STAKEHOLDERS: &str = "Stakeholders";
    /// One row per external factor.
    pub const EXTERNAL_FACTORS: &str = "External factors";
    /// One row per unexpected change.
    pub const UNEXPECTED: &str = "Unexpected";
    /// One row per result: measure, period, group and arm.
    pub const RESULTS: &str = "Results";
    /// Lint levels for the model, and codes allowed on single items.
    pub const LINTS: &str = "Lint settings";
}

/// The field names of the About sheet.
pub mod about {
    /// `title`.
    pub const TITLE: &str = "Title";
    /// `vision`.
    pub const VISION: &str = "Vision";
    /// `context`.
    pub const CONTEXT: &str = "Context";
    /// `elmo`, the format version.
    pub const FORMAT: &str = "Format version";
    /// `accountability_ceiling`.
    pub const CEILING: &str = "Accountability ceiling";
    /// `layout`.
    pub const LAYOUT: &str = "Layout";
    /// `fit`.
    pub const FIT: &str = "Fit";
    /// One entry of `breakdowns`.
    pub const BREAKDOWN: &str = "Breakdown";
    /// One entry of `results`.
    pub const RESULTS: &str = "Results file";
    /// The day the workbook was written: not part of the model.
    pub const DATE: &str = "Report date";
    /// The model file's version: not part of the model.
    pub const VERSION: &str = "Model version";
    /// The About sheet's header.
    pub const COLUMNS: [&str; 2] = ["Field", "Value"];
}

/// The Measures sheet's columns.
pub const MEASURE_COLUMNS: [&str; 25] = [
    "Stage",
    "Node id",
    "Node",
    "Measure id",
    "Measure",
    "Kind",
    "Proxy for",
    "Unit",
    "Numerator",
    "Denominator",
    "Direction",
    "Baseline",
    "Baseline period",
    "Target",
    "Target by",
    "Timing",
    "Cohort",
    "Comparison",
    "Contribution",
    "Source id",
    "Source",
    "Frequency",
    "Owner",
    "Breakdowns",
    "Compute",
];
/// The Nodes sheet's columns.
pub const NODE_COLUMNS: [&str; 6] = [
    "Stage",
    "Id",
    "Label",
    "Description",
    "Leads to",
    "Concerns",
];
/// The Links sheet's columns.
pub const LINK_COLUMNS: [&str; 7] = [
    "From id", "From", "To id", "To", "Because", "Evidence", "Strength",
];
/// The Assumptions sheet's columns.
pub const ASSUMPTION_COLUMNS: [&str; 6] = [
    "Id",
    "Assumption",
    "Applies to",
    "Status",
    "Evidence",
    "Strength",
];
/// The Sources sheet's columns.
pub const SOURCE_COLUMNS: [&str; 7] = [
    "Id",
    "Source",
    "Kind",
    "Personal data",
    "Storage",
    "Shared with",
    "Sharing",
];
/// The Stakeholders sheet's columns.
pub const STAKEHOLDER_COLUMNS: [&str; 3] = ["Id", "Stakeholder", "Role"];
/// The External factors sheet's columns.
pub const FACTOR_COLUMNS: [&str; 3] = ["Id", "Factor", "Affects"];
/// The Unexpected sheet's columns.
pub const UNEXPECTED_COLUMNS: [&str; 4] = ["Id", "Change", "Kind", "Evidence"];
/// The Lint settings sheet's columns: a row without an id sets a level for the model, a row
/// with one allows the code on that item.
pub const LINT_COLUMNS: [&str; 4] = ["Id", "Code", "Level", "Reason"];
/// The Results sheet's columns.
pub const RESULT_COLUMNS: [&str; 13] = [
    "Measure id",
    "Measure",
    "Period",
    "Group",
    "Arm",
    "Value",
    "Numerator",
    "Denominator",
    "CI low",
    "CI high",
    "Status",
    "Synthetic",
    "Note",
];

/// A typed cell.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A number shown with a `%` sign; the value stays the number written (37 is 37%).
    Percent(f64),
    Bool(bool),
    Date(Date),
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt<T: AsRef<str>>(s: Option<&T>) -> Cell {
    s.map_or(Cell::Empty, |s| text(s.as_ref()))
}

/// The word a value of the format's vocabulary is written as in a model file.
fn word(v: impl Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn opt_word<T: Serialize>(v: Option<T>) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Text(word(v)))
}

/// Entries one to a line: the layout's way of writing a list in one cell.
fn lines<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> Cell {
    let joined: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    if joined.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(joined.join("\n"))
    }
}

fn period(p: Option<Period>) -> Cell {
    match p {
        None => Cell::Empty,
        Some(Period::Day(d)) => Cell::Date(d),
        Some(p) => Cell::Text(p.to_string()),
    }
}

fn strength(s: Option<Strength>) -> Cell {
    match s {
        None => Cell::Empty,
        Some(Strength::Level(l)) => Cell::Number(f64::from(l)),
        Some(Strength::Design(d)) => Cell::Text(word(d)),
    }
}

fn quantity(q: Option<&Quantity>, percent: bool) -> Cell {
    match q {
        None => Cell::Empty,
        Some(Quantity::Number(n)) if percent => Cell::Percent(*n),
        Some(Quantity::Number(n)) => Cell::Number(*n),
        Some(Quantity::Text(t)) => text(t),
    }
}

/// Whether a measure's numbers are percentages (its unit says so).
fn is_percent(m: &Measure) -> bool {
    m.unit
        .as_ref()
        .is_some_and(|u| Unit::parse(&u.value) == Unit::Proportion { scale: 100.0 })
}

/// A measure's cells, from `Measure id` to `Compute`.
fn measure_cells(m: &Measure, model: &Model) -> Vec<Cell> {
    let pct = is_percent(m);
    let source_label = m.source.as_ref().and_then(|id| {
        model
            .sources
            .iter()
            .find(|s| s.id.value == id.value)
            .map(|s| s.label.value.clone())
    });
    vec![
        text(&m.id),
        text(&m.label),
        opt_word(m.kind.as_deref()),
        opt(m.proxy_for.as_deref()),
        opt(m.unit.as_deref()),
        opt(m.numerator.as_deref()),
        opt(m.denominator.as_deref()),
        opt_word(m.direction.as_deref()),
        quantity(m.baseline.as_deref(), pct),
        period(m.baseline_period.as_ref().map(|p| p.value)),
        quantity(m.target.as_deref(), pct),
        period(m.target_by.as_ref().map(|p| p.value)),
        opt_word(m.timing.as_deref()),
        m.cohort
            .as_ref()
            .map_or(Cell::Empty, |c| Cell::Number(f64::from(c.value))),
        opt_word(m.comparison.as_deref()),
        opt(m.contribution.as_deref()),
        opt(m.source.as_deref()),
        opt(source_label.as_ref()),
        opt(m.frequency.as_deref()),
        opt(m.owner.as_deref()),
        lines(m.breakdowns.iter().map(|b| &b.value)),
        m.compute
            .as_ref()
            .and_then(|c| serde_json::to_string(c).ok())
            .map_or(Cell::Empty, Cell::Text),
    ]
}

/// One sheet's rows before they are written, so column widths can be fitted to them.
struct Table {
    name: &'static str,
    header: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(name: &'static str, header: &[&'static str]) -> Table {
        Table {
            name,
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }
}

/// The widest a column is made, in characters; longer text wraps.
const MAX_WIDTH: usize = 60;

/// How many characters a cell shows on its longest line.
fn shown_width(c: &Cell) -> usize {
    match c {
        Cell::Empty => 0,
        Cell::Text(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Number(n) => n.to_string().len(),
        Cell::Percent(n) => n.to_string().len() + 1,
        Cell::Bool(_) => 5,
        Cell::Date(_) => 10,
    }
}

/// How many lines a cell takes in a column `width` characters wide, its text wrapped.
fn shown_lines(c: &Cell, width: usize) -> usize {
    match c {
        Cell::Text(t) => t
            .lines()
            .map(|l| l.chars().count().div_ceil(width.max(1)).max(1))
            .sum::<usize>()
            .max(1),
        _ => 1,
    }
}

/// The formats cells are written with.
struct Formats {
    header: Format,
    wrap: Format,
    top: Format,
    date: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(0xE7E6E6)
                .set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            top: Format::new().set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            percent: Format::new()
                .set_num_format("General\"%\"")
                .set_align(FormatAlign::Top),
        }
    }
}

/// Why a workbook could not be written.
/// The most characters a spreadsheet cell holds (Excel's limit, which LibreOffice shares).
const CELL_LIMIT: usize = 32_767;

fn fail(table: &str, e: impl std::fmt::Display) -> String {
    format!("sheet {table}: {e}")
}

fn write_table(ws: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), String> {
    let err = |e: rust_xlsxwriter::XlsxError| fail(t.name, e);
    ws.set_name(t.name).map_err(err)?;
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, &f.header)
            .map_err(err)?;
    }
    let mut widths: Vec<usize> = t.header.iter().map(|h| h.chars().count()).collect();
    for row in &t.rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(shown_width(cell)).clamp(6, MAX_WIDTH);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), (*w + 2) as f64).map_err(err)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|e| fail(t.name, e))?;
        // Spreadsheets do not all grow a row to fit wrapped text on opening, so the row is
        // given the height of its tallest cell.
        let tallest = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| shown_lines(cell, *w))
            .max()
            .unwrap_or(1);
        if tallest > 1 {
            ws.set_row_height(r, 15.0 * tallest as f64).map_err(err)?;
        }
        for (c, cell) in row.iter().enumerate() {
            let c = col(c);
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    let length = s.chars().count();
                    if length > CELL_LIMIT {
                        let heading = t.header.get(usize::from(c)).copied().unwrap_or("");
                        return Err(fail(
                            t.name,
                            format!(
                                "row {}, column {} ({heading}): the text is {length} characters, and a cell holds at most {CELL_LIMIT}; shorten it in the model, or use the Word or HTML report, which have no such limit",
                                r + 1,
                                crate::import::column_letters(usize::from(c)),
                            ),
                        ));
                    }
                    let wraps = s.contains('\n') || length > MAX_WIDTH;
                    let format = if wraps { &f.wrap } else { &f.top };
                    // Text is always a string cell, whatever it starts with.
                    ws.write_string_with_format(r, c, s, format)
                        .map_err(|e| fail(t.name, format!("row {}: {e}", r + 1)))?;
                }
                Cell::Number(n) => {
                    ws.write_number_with_format(r, c, *n, &f.top).map_err(err)?;
                }
                Cell::Percent(n) => {
                    ws.write_number_with_format(r, c, *n, &f.percent)
                        .map_err(err)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean_with_format(r, c, *b, &f.top)
                        .map_err(err)?;
                }
                Cell::Date(d) => {
                    let written = u16::try_from(d.year)
                        .ok()
                        .and_then(|y| ExcelDateTime::from_ymd(y, d.month, d.day).ok());
                    match written {
                        Some(dt) => ws.write_datetime_with_format(r, c, dt, &f.date),
                        // Excel's calendar starts in 1900; earlier days stay as text.
                        None => ws.write_string_with_format(r, c, d.to_string(), &f.top),
                    }
                    .map_err(err)?;
                }
            }
        }
    }
    let last_row = u32::try_from(t.rows.len()).map_err(|e| fail(t.name, e))?;
    let last_col = col(t.header.len().saturating_sub(1));
    ws.set_freeze_panes(1, 0).map_err(err)?;
    ws.autofilter(0, 0, last_row, last_col).map_err(err)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    // A page holds about 200 characters across in landscape; wider sheets take more pages
    // across rather than shrinking to a size nobody can read.
    let across: usize = widths.iter().map(|w| w + 2).sum();
    ws.set_print_fit_to_pages(col(across.div_ceil(200).max(1)), 0);
    ws.set_repeat_rows(0, 0).map_err(err)?;
    ws.set_footer("&L&A&RPage &P of &N");
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Rows for the `allow:` of one item.
fn allow_rows(id: &str, allow: &[Allow], rows: &mut Vec<Vec<Cell>>) {
    for a in allow {
        rows.push(vec![
            text(id),
            Cell::Text(a.code.value.to_string()),
            Cell::Empty,
            opt(a.reason.as_ref()),
        ]);
    }
}

/// Every sheet of the workbook, in order, before writing.
fn tables(model: &Model, report: &Report) -> Vec<Table> {
    let mut about = Table::new(sheet::ABOUT, &about::COLUMNS);
    let row = |k: &str, v: Cell| vec![text(k), v];
    about.rows.push(row(about::TITLE, text(&model.title)));
    if let Some(v) = &model.vision {
        about.rows.push(row(about::VISION, text(v)));
    }
    if let Some(v) = &model.context {
        about.rows.push(row(about::CONTEXT, text(v)));
    }
    if let Some(v) = &model.elmo {
        about
            .rows
            .push(row(about::FORMAT, Cell::Number(f64::from(v.value))));
    }
    if let Some(v) = &model.accountability_ceiling {
        about.rows.push(row(about::CEILING, text(v.value.title())));
    }
    if let Some(v) = &model.layout {
        about
            .rows
            .push(row(about::LAYOUT, Cell::Text(word(v.value))));
    }
    if let Some(v) = &model.fit {
        about.rows.push(row(about::FIT, Cell::Text(word(v.value))));
    }
    for b in &model.breakdowns {
        about.rows.push(row(about::BREAKDOWN, text(b)));
    }
    for r in &model.results {
        about.rows.push(row(about::RESULTS, text(r)));
    }
    if let Some(s) = &report.stamp {
        let date = Date::parse(&s.date).map_or_else(|| text(&s.date), Cell::Date);
        about.rows.push(row(about::DATE, date));
        about
            .rows
            .push(row(about::VERSION, Cell::Text(s.version.to_string())));
    }

    let mut measures = Table::new(sheet::MEASURES, &MEASURE_COLUMNS);
    let mut used = std::collections::HashSet::new();
    for (stage, node) in model.nodes() {
        for id in &node.measures {
            let Some(m) = model.measures.iter().find(|m| m.id.value == id.value) else {
                continue;
            };
            used.insert(m.id.value.as_str());
            let mut cells = vec![text(stage.title()), text(&node.id), text(&node.label)];
            cells.extend(measure_cells(m, model));
            measures.rows.push(cells);
        }
    }
    for m in &model.measures {
        if !used.contains(m.id.value.as_str()) {
            let mut cells = vec![Cell::Empty, Cell::Empty, Cell::Empty];
            cells.extend(measure_cells(m, model));
            measures.rows.push(cells);
        }
    }

    let label_of = |id: &str| {
        model
            .nodes()
            .find(|(_, n)| n.id.value == id)
            .map_or(Cell::Empty, |(_, n)| text(&n.label))
    };
    let mut nodes = Table::new(sheet::NODES, &NODE_COLUMNS);
    let mut links = Table::new(sheet::LINKS, &LINK_COLUMNS);
    let mut lints = Table::new(sheet::LINTS, &LINT_COLUMNS);
    for (code, level) in &model.lints.0 {
        lints.rows.push(vec![
            Cell::Empty,
            Cell::Text(code.value.to_string()),
            Cell::Text(word(level.value)),
            Cell::Empty,
        ]);
    }
    for (stage, n) in model.nodes() {
        nodes.rows.push(vec![
            text(stage.title()),
            text(&n.id),
            text(&n.label),
            opt(n.description.as_deref()),
            lines(n.leads_to.iter().map(|l| &l.to.value)),
            lines(n.concerns.iter().map(|c| &c.value)),
        ]);
        for l in &n.leads_to {
            links.rows.push(vec![
                text(&n.id),
                text(&n.label),
                text(&l.to),
                label_of(&l.to),
                opt(l.because.as_deref()),
                opt(l.evidence.as_deref()),
                strength(l.strength.as_ref().map(|s| s.value)),
            ]);
        }
        allow_rows(&n.id, &n.allow, &mut lints.rows);
    }
    for m in &model.measures {
        allow_rows(&m.id, &m.allow, &mut lints.rows);
    }

    let mut assumptions = Table::new(sheet::ASSUMPTIONS, &ASSUMPTION_COLUMNS);
    for a in &model.assumptions {
        assumptions.rows.push(vec![
            text(&a.id),
            text(&a.text),
            lines(a.applies_to.iter().map(|t| &t.written.value)),
            opt_word(a.status.as_deref()),
            opt(a.evidence.as_deref()),
            strength(a.strength.as_ref().map(|s| s.value)),
        ]);
        allow_rows(&a.id, &a.allow, &mut lints.rows);
    }
    let mut sources = Table::new(sheet::SOURCES, &SOURCE_COLUMNS);
    for s in &model.sources {
        sources.rows.push(vec![
            text(&s.id),
            text(&s.label),
            opt_word(s.kind.as_deref()),
            s.personal_data
                .as_ref()
                .map_or(Cell::Empty, |p| Cell::Bool(p.value)),
            opt(s.storage.as_deref()),
            lines(s.shared_with.iter().map(|x| &x.value)),
            opt(s.sharing.as_deref()),
        ]);
        allow_rows(&s.id, &s.allow, &mut lints.rows);
    }

    let mut all = vec![about, measures, nodes, links, assumptions, sources];
    if !model.stakeholders.is_empty() {
        let mut t = Table::new(sheet::STAKEHOLDERS, &STAKEHOLDER_COLUMNS);
        for s in &model.stakeholders {
            t.rows.push(vec![
                text(&s.id),
                text(&s.label),
                opt_word(s.role.as_deref()),
            ]);
        }
        all.push(t);
    }
    if !model.external_factors.is_empty() {
        let mut t = Table::new(sheet::EXTERNAL_FACTORS, &FACTOR_COLUMNS);
        for x in &model.external_factors {
            t.rows.push(vec![
                text(&x.id),
                text(&x.text),
                lines(x.affects.iter().map(|a| &a.value)),
            ]);
        }
        all.push(t);
    }
    if !model.unexpected.is_empty() {
        let mut t = Table::new(sheet::UNEXPECTED, &UNEXPECTED_COLUMNS);
        for u in &model.unexpected {
            t.rows.push(vec![
                text(&u.id),
                text(&u.text),
                opt_word(u.kind.as_deref()),
                opt(u.evidence.as_deref()),
            ]);
        }
        all.push(t);
    }
    if let Some(res) = &report.results {
        let mut t = Table::new(sheet::RESULTS, &RESULT_COLUMNS);
        for e in &res.measures {
            let m = &e.result;
            let value = |v: f64| {
                if e.percent {
                    Cell::Percent(v)
                } else {
                    Cell::Number(v)
                }
            };
            let num = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
            for p in &m.series {
                t.rows.push(vec![
                    text(&m.id),
                    text(&m.label),
                    period(Some(p.period)),
                    text(&p.group),
                    text(super::results::arm_word(p.arm)),
                    value(p.value),
                    num(p.numerator),
                    num(p.denominator),
                    p.ci.map_or(Cell::Empty, |c| value(c.0)),
                    p.ci.map_or(Cell::Empty, |c| value(c.1)),
                    text(m.status.word()),
                    Cell::Bool(e.synthetic),
                    opt(p.note.as_ref()),
                ]);
            }
        }
        all.push(t);
    }
    all.push(lints);
    all
}

/// The workbook of `model` and its report, as the bytes of an `.xlsx` file; `Err` says why it
/// could not be written (text longer than a cell holds, for one).
pub fn xlsx(model: &Model, report: &Report) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let formats = Formats::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(model.title.value.as_str())
            .set_comment("Written by elmo; `elmo import` reads it back into a model."),
    );
    for t in tables(model, report) {
        write_table(wb.add_worksheet(), &t, &formats)?;
    }
    wb.save_to_buffer()
        .map_err(|e| format!("could not write the workbook: {e}"))
}
