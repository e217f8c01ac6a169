//! `elmo import`: a logic model from the spreadsheet a team already keeps (`.xlsx`, `.ods`,
//! `.csv`), or back from a workbook `elmo report` wrote.
//!
//! Two kinds of workbook are read:
//! - elmo's own (see [`crate::report::xlsx`]): every sheet and column is known, so the whole
//!   model comes back, ids and all (`elmo`'s layout is recognised by its `About` and `Nodes`
//!   sheets);
//! - a team's table, read by [`table`]: a header row found under any title rows and notes,
//!   its columns matched forgivingly ([`words`]), in the long layout (one box per row, with a
//!   stage column) or the wide one (one column per stage).
//!
//! Whatever cannot be placed is reported as a [`Problem`] with its sheet, row and column;
//! nothing is dropped without one.

mod elmo;
mod table;
pub mod words;
pub mod yaml;

use std::path::Path;

use serde_json::{Map, Value};

use crate::results::Date;

/// A cell as read from a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in it.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A yes/no.
    Bool(bool),
    /// A date.
    Date(Date),
}

impl Cell {
    /// The cell as text: numbers as written (`37`, `7.5`), dates as `YYYY-MM-DD`; `None` when
    /// empty or only white space.
    pub fn text(&self) -> Option<String> {
        let t = match self {
            Cell::Empty => return None,
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.to_string(),
        };
        (!t.trim().is_empty()).then_some(t)
    }
}

/// One sheet of a workbook (a CSV file is one sheet), as rows of cells.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name (a CSV file's name).
    pub name: String,
    /// The rows, from the first; each as long as it needs to be.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// The cell at `row`, `col` (from 0), empty beyond the data.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }
}

/// Something in the spreadsheet that could not be placed in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The sheet it is on.
    pub sheet: String,
    /// The row, counting from 1 as spreadsheets do; `None` for the sheet as a whole.
    pub row: Option<usize>,
    /// The column, counting from 0; shown as a letter.
    pub column: Option<usize>,
    /// What could not be done with it.
    pub message: String,
}

impl Problem {
    fn at(sheet: &str, row: usize, column: Option<usize>, message: impl Into<String>) -> Problem {
        Problem {
            sheet: sheet.to_string(),
            row: Some(row + 1),
            column,
            message: message.into(),
        }
    }
}

/// A column number (from 0) as its spreadsheet letters: 0 is `A`, 26 is `AA`.
pub fn column_letters(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

impl std::fmt::Display for Problem {
    /// `sheet "Logic model", row 7, column C: …`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sheet {:?}", self.sheet)?;
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = self.column {
            write!(f, ", column {}", column_letters(c))?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What an import produced: the model as YAML, what could not be placed, and notes on how
/// the spreadsheet was read.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The model file's text.
    pub yaml: String,
    /// What could not be placed in the model.
    pub problems: Vec<Problem>,
    /// How the spreadsheet was read: which sheet, which layout, which headings meant what.
    pub notes: Vec<String>,
}

/// Reads every sheet of the spreadsheet at `path`: `.xlsx`, `.xlsm`, `.xls`, `.ods` or
/// `.csv` (by extension; anything else is tried as a workbook).
pub fn read(path: &Path) -> Result<Vec<Sheet>, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("csv" | "txt" | "tsv")) {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let name = path
            .file_stem()
            .map_or_else(|| "csv".to_string(), |s| s.to_string_lossy().into_owned());
        return read_csv(&name, &bytes, ext.as_deref() == Some("tsv"));
    }
    read_workbook(path)
}

/// One CSV file as a sheet; a leading byte-order mark is dropped, and text that is not
/// UTF-8 is read as Windows-1252, which is what Excel saves "CSV" in.
pub fn read_csv(name: &str, bytes: &[u8], tabs: bool) -> Result<Vec<Sheet>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => bytes.iter().map(|&b| cp1252(b)).collect(),
    };
    let delimiter = if tabs || (!text.contains(',') && text.contains('\t')) {
        b'\t'
    } else if !text.lines().next().unwrap_or("").contains(',') && text.contains(';') {
        b';'
    } else {
        b','
    };
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        rows.push(rec.iter().map(csv_cell).collect());
    }
    Ok(vec![Sheet {
        name: name.to_string(),
        rows,
    }])
}

/// A CSV field as a cell: a plain number becomes a number, the rest stays text.
fn csv_cell(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        Cell::Empty
    } else if let Some(n) = t
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && !t.starts_with('+'))
    {
        Cell::Number(n)
    } else {
        Cell::Text(s.to_string())
    }
}

/// A byte of Windows-1252 as its character (the C1 range mapped as the code page does).
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The most rows and columns of a sheet `elmo import` reads. A logic model is a few hundred
/// rows at most; the limits exist because a workbook of a few kilobytes can name a cell a
/// million rows down, and a reader that lays the sheet out in full would need terabytes.
pub const MAX_ROWS: u32 = 100_000;
/// See [`MAX_ROWS`].
pub const MAX_COLUMNS: u32 = 1_000;
/// The most filled cells of a sheet `elmo import` reads: a compressed workbook of a few
/// megabytes can hold a hundred million, inside the row and column bounds.
pub const MAX_CELLS: usize = 1_000_000;

fn read_workbook(path: &Path) -> Result<Vec<Sheet>, String> {
    use calamine::{Reader, Sheets, open_workbook_auto};
    let mut wb = open_workbook_auto(path).map_err(|e| e.to_string())?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let rows = match &mut wb {
            // Excel's own format is read cell by cell, so a far-off cell costs nothing until
            // it is found to be out of bounds.
            Sheets::Xlsx(x) => {
                let mut reader = x
                    .worksheet_cells_reader(&name)
                    .map_err(|e| format!("sheet {name:?}: {e}"))?;
                let mut rows: Vec<Vec<Cell>> = Vec::new();
                let mut filled = 0usize;
                while let Some(c) = reader
                    .next_cell()
                    .map_err(|e| format!("sheet {name:?}: {e}"))?
                {
                    let data = calamine::Data::from(c.get_value().clone());
                    let cell = cell_of(&data);
                    if matches!(cell, Cell::Empty) {
                        continue;
                    }
                    let (r, col) = c.get_position();
                    bounded(&name, r, col)?;
                    filled += 1;
                    if filled > MAX_CELLS {
                        return Err(format!(
                            "sheet {name:?} has more than {MAX_CELLS} filled cells, more than any logic-model table; delete what lies outside the table and try again"
                        ));
                    }
                    let (r, col) = (r as usize, col as usize);
                    if rows.len() <= r {
                        rows.resize(r + 1, Vec::new());
                    }
                    if rows[r].len() <= col {
                        rows[r].resize(col + 1, Cell::Empty);
                    }
                    rows[r][col] = cell;
                }
                rows
            }
            // The other readers lay the sheet out in full; calamine refuses one past its own
            // cell limit, and the bounds here keep what elmo copies small.
            _ => {
                let range = wb
                    .worksheet_range(&name)
                    .map_err(|e| format!("sheet {name:?}: {e}"))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let (r1, c1) = range.end().unwrap_or((0, 0));
                bounded(&name, r1, c1)?;
                // Keep the sheet's own row and column numbers, so problems point where the
                // user looks.
                let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); r0 as usize];
                for row in range.rows() {
                    let mut cells = vec![Cell::Empty; c0 as usize];
                    cells.extend(row.iter().map(cell_of));
                    rows.push(cells);
                }
                rows
            }
        };
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// Refuses a cell past [`MAX_ROWS`] or [`MAX_COLUMNS`], naming it as the spreadsheet does.
fn bounded(sheet: &str, row: u32, col: u32) -> Result<(), String> {
    if row < MAX_ROWS && col < MAX_COLUMNS {
        return Ok(());
    }
    Err(format!(
        "sheet {sheet:?} has a cell at {}{}, past the {MAX_ROWS} rows and {MAX_COLUMNS} columns elmo reads; delete what lies outside the logic-model table and try again",
        column_letters(col as usize),
        u64::from(row) + 1
    ))
}

/// A spreadsheet value as a cell: errors read as empty, dates as dates.
fn cell_of(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Date::new(i32::from(y), m, d).map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(Date::parse)
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// The model in `sheets` (read from the file named `source`): elmo's own layout when the
/// workbook has it, a team's table otherwise.
pub fn import(sheets: &[Sheet], source: &str) -> Imported {
    let (model, problems, notes) = if elmo::is_elmo(sheets) {
        elmo::read(sheets)
    } else {
        table::read(sheets, source)
    };
    let header = vec![
        format!("yaml-language-server: $schema={}", crate::init::SCHEMA_FILE),
        String::new(),
        format!("Imported by `elmo import` from {source}."),
        "Check it with `elmo check`, then keep this file as the model's source.".to_string(),
    ];
    Imported {
        yaml: yaml::document(&header, &model),
        problems,
        notes,
    }
}

/// `text` as an id: lower case, words joined by `_`, at most about 40 characters, cut at a
/// word; `item` when nothing is left.
pub fn slug(text: &str) -> String {
    let mut words = Vec::new();
    let mut len = 0;
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        if len > 0 && len + w.len() > 40 {
            break;
        }
        len += w.len() + 1;
        words.push(w);
    }
    if words.is_empty() {
        "item".to_string()
    } else {
        words.join("_")
    }
}

/// Hands out ids that are unique in one model: the slug, then `_2`, `_3`…
#[derive(Debug, Default)]
pub struct Ids(std::collections::HashSet<String>);

impl Ids {
    /// Claims `id` as it is (an id given in the sheet); `false` when it was taken.
    pub fn claim(&mut self, id: &str) -> bool {
        self.0.insert(id.to_string())
    }

    /// A new id made from `text`.
    pub fn make(&mut self, text: &str) -> String {
        let base = slug(text);
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        id
    }
}

/// A JSON mapping built key by key, leaving out what is absent.
#[derive(Debug, Default, Clone)]
pub struct Obj(pub Map<String, Value>);

impl Obj {
    /// Sets `key` to `v`.
    pub fn set(&mut self, key: &str, v: impl Into<Value>) -> &mut Obj {
        self.0.insert(key.to_string(), v.into());
        self
    }

    /// Sets `key` to `v` when there is one.
    pub fn opt(&mut self, key: &str, v: Option<impl Into<Value>>) -> &mut Obj {
        if let Some(v) = v {
            self.0.insert(key.to_string(), v.into());
        }
        self
    }

    /// Sets `key` to the list `v` when it is not empty.
    pub fn list(&mut self, key: &str, v: Vec<Value>) -> &mut Obj {
        if !v.is_empty() {
            self.0.insert(key.to_string(), Value::Array(v));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_labels_are_snake_case_unique_and_stable() {
        let mut ids = Ids::default();
        assert_eq!(ids.make("Volunteer mentors"), "volunteer_mentors");
        assert_eq!(ids.make("Volunteer  mentors!"), "volunteer_mentors_2");
        assert_eq!(ids.make("—"), "item");
        assert_eq!(
            ids.make("People feel less lonely and more connected to their neighbours over time"),
            "people_feel_less_lonely_and_more"
        );
    }

    #[test]
    fn columns_are_named_by_their_letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }
}
