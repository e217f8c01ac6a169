//! Reading a team's logic-model table: find the header row under any title rows, notes and
//! blank lines, read which column holds what, then make boxes, measures, sources and
//! assumptions from the rows.
//!
//! Two layouts are read:
//! - **long**: one box per row, with a stage column and a label column, optionally leads to,
//!   measure, unit, baseline, target, source, assumption, description and id. A blank stage
//!   cell repeats the stage above it (which is how a merged stage cell reads), and a row with
//!   no label adds its measure, assumption or links to the box above.
//! - **wide**: one column per stage (`Inputs | Activities | Outputs | Outcomes | Impact`),
//!   boxes listed down each column, several to a cell when written one to a line. Links are
//!   drawn between boxes in the same row, left to right, and the notes say so.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::words::{self, Field};
use super::{Ids, Obj, Problem, Sheet};
use crate::model::Stage;

/// How far down a sheet the header row is looked for.
const HEADER_SEARCH: usize = 40;

/// What a column of the header row holds.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Field(Field),
    Stage(Stage),
    /// A heading elmo does not read, as written.
    Unknown(String),
}

/// A header row and what each of its columns holds.
struct Header {
    row: usize,
    columns: Vec<(usize, Column)>,
    wide: bool,
}

impl Header {
    fn find(&self, f: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, c)| *c == Column::Field(f))
            .map(|(i, _)| *i)
    }
}

/// The header row of `sheet`: the row in the first [`HEADER_SEARCH`] whose headings name a
/// stage column and a label column (long), or two or more stages (wide); the one naming
/// most columns wins, the earliest on a tie.
fn header(sheet: &Sheet) -> Option<Header> {
    let mut best: Option<(usize, Header)> = None;
    for (r, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH) {
        let mut columns = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            let Some(text) = cell.text() else { continue };
            let col = match (words::field(&text), words::stage(&text)) {
                (Some(f), _) => Column::Field(f),
                (None, Some(s)) => Column::Stage(s),
                (None, None) => Column::Unknown(text.trim().to_string()),
            };
            columns.push((c, col));
        }
        let has = |f: Field| columns.iter().any(|(_, c)| *c == Column::Field(f));
        let mut stages: Vec<Stage> = columns
            .iter()
            .filter_map(|(_, c)| match c {
                Column::Stage(s) => Some(*s),
                _ => None,
            })
            .collect();
        stages.dedup();
        let known = columns
            .iter()
            .filter(|(_, c)| !matches!(c, Column::Unknown(_)))
            .count();
        let wide = stages.len() >= 2 && !has(Field::Stage);
        let long = has(Field::Stage) && (has(Field::Label) || has(Field::Description));
        if !(wide || long) {
            continue;
        }
        if best.as_ref().is_none_or(|(k, _)| known > *k) {
            best = Some((
                known,
                Header {
                    row: r,
                    columns,
                    wide,
                },
            ));
        }
    }
    best.map(|(_, h)| h)
}

/// A box being built.
struct Node {
    stage: Stage,
    id: String,
    label: String,
    description: Vec<String>,
    measures: Vec<String>,
    /// Links as written, with where: resolved once every box is known.
    leads_to: Vec<(String, Problem)>,
    /// Links already known by id (the wide layout's rows).
    links: Vec<String>,
}

/// The model being built from one or more sheets.
#[derive(Default)]
struct Builder {
    ids: Ids,
    nodes: Vec<Node>,
    by_label: HashMap<(Stage, String), usize>,
    measures: Vec<Obj>,
    measure_by_label: HashMap<String, usize>,
    sources: Vec<(String, String)>,
    assumptions: Vec<(String, String, Vec<String>)>,
    problems: Vec<Problem>,
    notes: Vec<String>,
    title: Option<String>,
    vision: Option<String>,
}

/// Text compared loosely: lower case, runs of white space as one space.
fn loose(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A cell's entries, one to a line, with list bullets (`•`, `-`, `*`, `1.`) taken off.
fn entries(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = l.trim();
            let l = l
                .trim_start_matches(['•', '●', '▪', '◦', '*', '-', '–'])
                .trim_start();
            let numbered = l.split_once(['.', ')']).filter(|(n, rest)| {
                !n.is_empty()
                    && n.len() <= 2
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && rest.starts_with(' ')
            });
            numbered.map_or(l, |(_, rest)| rest.trim()).to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

impl Builder {
    /// The box of `stage` labelled `label`, made if new.
    fn node(&mut self, stage: Stage, label: &str, id: Option<String>) -> usize {
        let key = (stage, loose(label));
        if let Some(&i) = self.by_label.get(&key) {
            return i;
        }
        let id = id.unwrap_or_else(|| self.ids.make(label));
        self.nodes.push(Node {
            stage,
            id,
            label: label.trim().to_string(),
            description: Vec::new(),
            measures: Vec::new(),
            leads_to: Vec::new(),
            links: Vec::new(),
        });
        self.by_label.insert(key, self.nodes.len() - 1);
        self.nodes.len() - 1
    }

    /// The id of the source called `label`, made if new.
    fn source(&mut self, label: &str) -> String {
        if let Some((id, _)) = self.sources.iter().find(|(_, l)| loose(l) == loose(label)) {
            return id.clone();
        }
        let id = self.ids.make(label);
        self.sources.push((id.clone(), label.trim().to_string()));
        id
    }

    /// Records that `text` must hold for the box `node`.
    fn assumption(&mut self, node: &str, text: &str) {
        if let Some(a) = self
            .assumptions
            .iter_mut()
            .find(|(_, t, _)| loose(t) == loose(text))
        {
            if !a.2.iter().any(|n| n == node) {
                a.2.push(node.to_string());
            }
            return;
        }
        let id = self.ids.make(text);
        self.assumptions
            .push((id, text.trim().to_string(), vec![node.to_string()]));
    }

    /// The text above the header: the first line is the title; a line that starts with
    /// `Vision`, `Aim`, `Goal`, `Purpose` or `Mission` is the vision; the rest is reported.
    fn preamble(&mut self, sheet: &Sheet, header_row: usize) {
        for r in 0..header_row {
            let cells: Vec<(usize, String)> = sheet.rows[r]
                .iter()
                .enumerate()
                .filter_map(|(c, cell)| cell.text().map(|t| (c, t.trim().to_string())))
                .collect();
            let Some((_, first)) = cells.first().cloned() else {
                continue;
            };
            let lead = first
                .split([':', '-', '–'])
                .next()
                .unwrap_or("")
                .trim()
                .to_lowercase();
            let is_vision = ["vision", "aim", "goal", "purpose", "mission", "overall aim"]
                .contains(&lead.as_str());
            if is_vision && self.vision.is_none() {
                let rest = first[first.find([':', '-', '–']).map_or(first.len(), |i| i + 1)..]
                    .trim()
                    .to_string();
                let rest = if rest.is_empty() {
                    cells.get(1).map(|(_, t)| t.clone()).unwrap_or_default()
                } else {
                    rest
                };
                if !rest.is_empty() {
                    self.vision = Some(rest);
                    continue;
                }
            }
            if self.title.is_none() && cells.len() == 1 {
                self.title = Some(first);
                continue;
            }
            for (c2, t) in &cells {
                self.problems.push(Problem::at(
                    &sheet.name,
                    r,
                    Some(*c2),
                    format!(
                        "text above the table (`{}`) is not part of the model; it was not imported",
                        short(t)
                    ),
                ));
            }
        }
    }

    /// Says once per spelling which stage a mistyped stage cell was read as, with the first
    /// cell it is in, so a wrong guess is caught before the model is trusted.
    fn guessed(&mut self, sheet: &Sheet, row: usize, col: Option<usize>, text: &str, s: Stage) {
        let spelling = format!("`{}`", short(text));
        if self.notes.iter().any(|n| n.contains(&spelling)) {
            return;
        }
        let message = format!(
            "{spelling} is not a stage name; it was read as the nearest, {}. Correct the cell if it means another stage",
            s.title().to_lowercase()
        );
        self.notes
            .push(Problem::at(&sheet.name, row, col, message).to_string());
    }

    fn long(&mut self, sheet: &Sheet, h: &Header) {
        let stage_col = h.find(Field::Stage);
        let label_col = h.find(Field::Label).or(h.find(Field::Description));
        let desc_col = h.find(Field::Description).filter(|c| Some(*c) != label_col);
        let get = |r: usize, f: Field| h.find(f).and_then(|c| sheet.cell(r, c).text());
        let mut stage: Option<Stage> = None;
        let mut current: Option<usize> = None;
        for r in h.row + 1..sheet.rows.len() {
            let row = &sheet.rows[r];
            if row.iter().all(|c| c.text().is_none()) {
                continue;
            }
            if let Some(text) = stage_col.and_then(|c| sheet.cell(r, c).text()) {
                match words::stage(&text) {
                    Some(s) => {
                        if words::stage_is_a_guess(&text) {
                            self.guessed(sheet, r, stage_col, &text, s);
                        }
                        if stage != Some(s) {
                            current = None;
                        }
                        stage = Some(s);
                    }
                    None => {
                        self.problems.push(Problem::at(
                            &sheet.name,
                            r,
                            stage_col,
                            format!(
                                "`{}` is not a stage elmo knows (inputs, activities, outputs, outcomes, impact…); the row was not imported",
                                short(&text)
                            ),
                        ));
                        current = None;
                        continue;
                    }
                }
            }
            let label = label_col.and_then(|c| sheet.cell(r, c).text());
            if let Some(label) = &label {
                let Some(s) = stage else {
                    self.problems.push(Problem::at(
                        &sheet.name,
                        r,
                        stage_col,
                        format!("`{}` has no stage; the row was not imported", short(label)),
                    ));
                    continue;
                };
                let id = get(r, Field::Id).map(|t| t.trim().to_string()).and_then(|id| {
                    let ok = id.chars().all(crate::model::is_id_char) && self.ids.claim(&id);
                    if !ok {
                        self.problems.push(Problem::at(
                            &sheet.name,
                            r,
                            h.find(Field::Id),
                            format!("`{}` is not a usable id (letters, digits, - and _, once each); one was made from the label", short(&id)),
                        ));
                    }
                    ok.then_some(id)
                });
                current = Some(self.node(s, label, id));
            }
            let Some(n) = current else {
                // Only a stage: a section heading such as a merged `OUTCOMES` row.
                if label.is_none() && row_has_other_than(row, stage_col) {
                    self.problems.push(Problem::at(
                        &sheet.name,
                        r,
                        None,
                        "this row has no box above it to belong to; it was not imported",
                    ));
                }
                continue;
            };
            if let Some(d) = desc_col.and_then(|c| sheet.cell(r, c).text()) {
                self.nodes[n].description.push(d.trim().to_string());
            }
            if let Some(c) = h.find(Field::LeadsTo)
                && let Some(t) = sheet.cell(r, c).text()
            {
                let at = Problem::at(&sheet.name, r, Some(c), "");
                self.nodes[n].leads_to.push((t, at));
            }
            self.measure(sheet, h, r, n);
            if let Some(t) = get(r, Field::Assumption) {
                let node = self.nodes[n].id.clone();
                for a in t.split(['\n', ';']).flat_map(entries) {
                    self.assumption(&node, &a);
                }
            }
            self.unknown(sheet, h, r);
        }
    }

    /// The measure on row `r`, for box `n`.
    fn measure(&mut self, sheet: &Sheet, h: &Header, r: usize, n: usize) {
        let cell = |f: Field| h.find(f).map(|c| (c, sheet.cell(r, c)));
        let label = cell(Field::Measure).and_then(|(_, c)| c.text());
        let details = [Field::Unit, Field::Baseline, Field::Target, Field::Source];
        let Some(label) = label else {
            for f in details {
                if let Some((c, cell)) = cell(f)
                    && let Some(t) = cell.text()
                {
                    self.problems.push(Problem::at(
                        &sheet.name,
                        r,
                        Some(c),
                        format!("`{}` belongs to no measure (the measure cell of this row is empty); it was not imported", short(&t)),
                    ));
                }
            }
            return;
        };
        let label = label.trim().to_string();
        let i = match self.measure_by_label.get(&loose(&label)) {
            Some(&i) => i,
            None => {
                let mut m = Obj::default();
                m.set("id", self.ids.make(&label))
                    .set("label", label.clone());
                if let Some((_, c)) = cell(Field::Unit)
                    && let Some(t) = c.text()
                {
                    m.set("unit", t.trim());
                }
                for (f, key) in [(Field::Baseline, "baseline"), (Field::Target, "target")] {
                    match cell(f).map(|(_, c)| c) {
                        Some(super::Cell::Number(v)) => {
                            m.set(
                                key,
                                serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number),
                            );
                        }
                        Some(c) => {
                            m.opt(key, c.text().map(|t| t.trim().to_string()));
                        }
                        None => {}
                    }
                }
                if let Some((_, c)) = cell(Field::Source)
                    && let Some(t) = c.text()
                {
                    let id = self.source(&t);
                    m.set("source", id);
                }
                self.measures.push(m);
                self.measure_by_label
                    .insert(loose(&label), self.measures.len() - 1);
                self.measures.len() - 1
            }
        };
        let id = self.measures[i].0["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !self.nodes[n].measures.contains(&id) {
            self.nodes[n].measures.push(id);
        }
    }

    /// Reports what row `r` has under headings elmo does not read.
    fn unknown(&mut self, sheet: &Sheet, h: &Header, r: usize) {
        for (c, col) in &h.columns {
            if let Column::Unknown(heading) = col
                && let Some(t) = sheet.cell(r, *c).text()
            {
                self.problems.push(Problem::at(
                    &sheet.name,
                    r,
                    Some(*c),
                    format!(
                        "the column `{}` is not one elmo reads; `{}` was not imported",
                        short(heading),
                        short(&t)
                    ),
                ));
            }
        }
        // Cells beyond the header's last heading have no heading at all.
        let last = h.columns.iter().map(|(c, _)| *c).max().unwrap_or(0);
        for (c, cell) in sheet.rows[r].iter().enumerate().skip(last + 1) {
            if let Some(t) = cell.text() {
                self.problems.push(Problem::at(
                    &sheet.name,
                    r,
                    Some(c),
                    format!(
                        "`{}` is in a column with no heading; it was not imported",
                        short(&t)
                    ),
                ));
            }
        }
    }

    fn wide(&mut self, sheet: &Sheet, h: &Header) {
        let stage_cols: Vec<(usize, Stage)> = h
            .columns
            .iter()
            .filter_map(|(c, col)| match col {
                Column::Stage(s) => Some((*c, *s)),
                _ => None,
            })
            .collect();
        for r in h.row + 1..sheet.rows.len() {
            // The boxes of this row, column by column, left to right.
            let mut row_boxes: Vec<Vec<usize>> = Vec::new();
            for (c, s) in &stage_cols {
                let Some(t) = sheet.cell(r, *c).text() else {
                    continue;
                };
                let boxes: Vec<usize> =
                    entries(&t).iter().map(|l| self.node(*s, l, None)).collect();
                if !boxes.is_empty() {
                    row_boxes.push(boxes);
                }
            }
            for pair in row_boxes.windows(2) {
                for &from in &pair[0] {
                    for &to in &pair[1] {
                        let to_id = self.nodes[to].id.clone();
                        if self.nodes[from].stage <= self.nodes[to].stage
                            && !self.nodes[from].links.contains(&to_id)
                        {
                            self.nodes[from].links.push(to_id);
                        }
                    }
                }
            }
            let last = row_boxes.last().and_then(|b| b.first()).copied();
            match last {
                Some(n) => {
                    self.measure(sheet, h, r, n);
                    if let Some(c) = h.find(Field::Assumption)
                        && let Some(t) = sheet.cell(r, c).text()
                    {
                        let node = self.nodes[n].id.clone();
                        for a in t.split(['\n', ';']).flat_map(entries) {
                            self.assumption(&node, &a);
                        }
                    }
                }
                None => {
                    for (c, col) in &h.columns {
                        if matches!(col, Column::Field(_))
                            && let Some(t) = sheet.cell(r, *c).text()
                        {
                            self.problems.push(Problem::at(
                                &sheet.name,
                                r,
                                Some(*c),
                                format!("`{}` is on a row with no box to belong to; it was not imported", short(&t)),
                            ));
                        }
                    }
                }
            }
            self.unknown(sheet, h, r);
        }
        self.notes.push(format!(
            "sheet {:?} has one column per stage: each box leads to the boxes in the next stage's column on the same row; check the links",
            sheet.name
        ));
    }

    /// Each `leads to` entry as the id of a box: an id, a label, or a label's id; entries
    /// are split at new lines and `;`, and at `,` when the whole names nothing.
    fn resolve_links(&mut self) {
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut by_label: HashMap<String, usize> = HashMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            by_id.insert(n.id.clone(), i);
            by_label.entry(loose(&n.label)).or_insert(i);
        }
        let find = |text: &str| -> Option<usize> {
            let t = text.trim();
            by_id
                .get(t)
                .or_else(|| by_label.get(&loose(t)))
                .or_else(|| by_id.get(&super::slug(t)))
                .copied()
        };
        for i in 0..self.nodes.len() {
            let written = std::mem::take(&mut self.nodes[i].leads_to);
            for (text, at) in written {
                for piece in text.split(['\n', ';']).flat_map(entries) {
                    let found: Vec<Result<usize, String>> = match find(&piece) {
                        Some(n) => vec![Ok(n)],
                        None if piece.contains(',') => piece
                            .split(',')
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(|p| find(p).ok_or_else(|| p.to_string()))
                            .collect(),
                        None => vec![Err(piece.clone())],
                    };
                    for f in found {
                        match f {
                            Ok(n) => {
                                let id = self.nodes[n].id.clone();
                                if !self.nodes[i].links.contains(&id) {
                                    self.nodes[i].links.push(id);
                                }
                            }
                            Err(name) => self.problems.push(Problem {
                                message: format!(
                                    "`{}` names no box in the table (by id or label); the link from `{}` was not made",
                                    short(&name),
                                    short(&self.nodes[i].label)
                                ),
                                ..at.clone()
                            }),
                        }
                    }
                }
            }
        }
    }

    fn model(self, source: &str) -> Map<String, Value> {
        let mut model = Obj::default();
        let title = self.title.unwrap_or_else(|| {
            std::path::Path::new(source).file_stem().map_or_else(
                || source.to_string(),
                |s| s.to_string_lossy().replace(['_', '-'], " "),
            )
        });
        model.set("title", title).opt("vision", self.vision);
        let mut stages: HashMap<Stage, Vec<Value>> = HashMap::new();
        for n in self.nodes {
            let mut o = Obj::default();
            o.set("id", n.id).set("label", n.label);
            if !n.description.is_empty() {
                o.set("description", n.description.join("\n"));
            }
            o.list("leads_to", n.links.into_iter().map(Value::String).collect())
                .list(
                    "measures",
                    n.measures.into_iter().map(Value::String).collect(),
                );
            stages.entry(n.stage).or_default().push(Value::Object(o.0));
        }
        for s in Stage::ALL {
            model.list(s.key(), stages.remove(&s).unwrap_or_default());
        }
        model.list(
            "measures",
            self.measures
                .into_iter()
                .map(|m| Value::Object(m.0))
                .collect(),
        );
        model.list(
            "sources",
            self.sources
                .into_iter()
                .map(|(id, label)| {
                    let mut o = Obj::default();
                    o.set("id", id).set("label", label);
                    Value::Object(o.0)
                })
                .collect(),
        );
        model.list(
            "assumptions",
            self.assumptions
                .into_iter()
                .map(|(id, text, applies)| {
                    let mut o = Obj::default();
                    o.set("id", id).set("text", text).list(
                        "applies_to",
                        applies.into_iter().map(Value::String).collect(),
                    );
                    Value::Object(o.0)
                })
                .collect(),
        );
        model.0
    }
}

/// Whether `row` has text outside column `skip`.
fn row_has_other_than(row: &[super::Cell], skip: Option<usize>) -> bool {
    row.iter()
        .enumerate()
        .any(|(c, cell)| Some(c) != skip && cell.text().is_some())
}

/// Long text cut short for a message.
fn short(t: &str) -> String {
    let one = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        one.chars().take(57).collect::<String>() + "…"
    } else {
        one
    }
}

/// The model in a team's table: every sheet with a header row is read into one model.
pub fn read(sheets: &[Sheet], source: &str) -> (Map<String, Value>, Vec<Problem>, Vec<String>) {
    let mut b = Builder::default();
    let mut read_any = false;
    for sheet in sheets {
        let Some(h) = header(sheet) else {
            if sheet.rows.iter().flatten().any(|c| c.text().is_some()) {
                b.problems.push(Problem {
                    sheet: sheet.name.clone(),
                    row: None,
                    column: None,
                    message: format!(
                        "no header row found in the first {HEADER_SEARCH} rows (a Stage and a Label column, or a column per stage such as Inputs, Activities, Outputs, Outcomes); the sheet was not read"
                    ),
                });
            }
            continue;
        };
        read_any = true;
        let described: Vec<String> = h
            .columns
            .iter()
            .map(|(c, col)| {
                let what = match col {
                    Column::Field(f) => f.name().to_string(),
                    Column::Stage(s) => s.key().to_string(),
                    Column::Unknown(_) => "not read".to_string(),
                };
                let heading = sheet.cell(h.row, *c).text().unwrap_or_default();
                format!(
                    "{} {:?} = {what}",
                    super::column_letters(*c),
                    short(&heading)
                )
            })
            .collect();
        b.notes.push(format!(
            "sheet {:?}: header on row {}, {} layout: {}",
            sheet.name,
            h.row + 1,
            if h.wide { "wide" } else { "long" },
            described.join(", ")
        ));
        b.preamble(sheet, h.row);
        if h.wide {
            b.wide(sheet, &h);
        } else {
            b.long(sheet, &h);
        }
    }
    if !read_any && b.problems.is_empty() {
        b.problems.push(Problem {
            sheet: sheets.first().map(|s| s.name.clone()).unwrap_or_default(),
            row: None,
            column: None,
            message: "the file is empty".to_string(),
        });
    }
    b.resolve_links();
    let problems = std::mem::take(&mut b.problems);
    let notes = std::mem::take(&mut b.notes);
    (b.model(source), problems, notes)
}
