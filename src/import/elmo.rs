//! Reading back a workbook `elmo report` wrote: every sheet and column of
//! [`crate::report::xlsx`] by name, into the model's serialised form, key for key.
//!
//! Columns may be moved, and rows added, edited or removed in a spreadsheet; the model follows.
//! A node's measures are the Measures rows that name it; its links are its `Leads to`
//! cell, with the reasons the Links sheet gives (a Links row for a link `Leads to` lacks adds
//! it). The Results sheet is left alone: results come from the files the model names.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Cell, Obj, Problem, Sheet, words};
use crate::model::Stage;
use crate::report::xlsx::{self as layout, about, sheet};

/// Whether `sheets` are elmo's own layout: an About and a Nodes sheet with its header.
pub fn is_elmo(sheets: &[Sheet]) -> bool {
    let has = |name: &str, first: &str| {
        sheets
            .iter()
            .any(|s| s.name == name && s.cell(0, 0).text().as_deref() == Some(first))
    };
    has(sheet::ABOUT, about::COLUMNS[0]) && has(sheet::NODES, layout::NODE_COLUMNS[0])
}

/// One sheet's rows, read by column name.
struct Rows<'a> {
    sheet: &'a Sheet,
    columns: HashMap<String, usize>,
}

impl<'a> Rows<'a> {
    fn of(sheets: &'a [Sheet], name: &str) -> Option<Rows<'a>> {
        let sheet = sheets.iter().find(|s| s.name == name)?;
        let mut columns = HashMap::new();
        for (c, cell) in sheet.rows.first().into_iter().flatten().enumerate() {
            if let Some(h) = cell.text() {
                columns.insert(h.trim().to_string(), c);
            }
        }
        Some(Rows { sheet, columns })
    }

    /// The rows below the header that hold anything, with their numbers (from 0).
    fn each(&self) -> impl Iterator<Item = Row<'_>> {
        self.sheet
            .rows
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, r)| r.iter().any(|c| c.text().is_some()))
            .map(move |(n, _)| Row { rows: self, n })
    }
}

#[derive(Clone, Copy)]
struct Row<'a> {
    rows: &'a Rows<'a>,
    n: usize,
}

impl Row<'_> {
    fn col(&self, name: &str) -> Option<usize> {
        self.rows.columns.get(name).copied()
    }

    fn cell(&self, name: &str) -> &Cell {
        match self.col(name) {
            Some(c) => self.rows.sheet.cell(self.n, c),
            None => &Cell::Empty,
        }
    }

    /// The cell's text exactly as written.
    fn text(&self, name: &str) -> Option<String> {
        self.cell(name).text()
    }

    /// The cell's lines, each trimmed, blank ones left out.
    fn lines(&self, name: &str) -> Vec<Value> {
        self.text(name)
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A number or text: a number cell stays a number, text stays text.
    fn quantity(&self, name: &str) -> Option<Value> {
        match self.cell(name) {
            Cell::Number(n) => Some(number(*n)),
            c => c.text().map(Value::String),
        }
    }

    /// A period: a date cell is that day.
    fn period(&self, name: &str) -> Option<Value> {
        self.text(name).map(|t| Value::String(t.trim().to_string()))
    }

    /// A whole number, or the text to let `elmo check` say what is wrong with it.
    fn whole(&self, name: &str) -> Option<Value> {
        match self.cell(name) {
            Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 => Some(Value::from(*n as u64)),
            c => c.text().map(Value::String),
        }
    }

    fn flag(&self, name: &str) -> Option<Value> {
        match self.cell(name) {
            Cell::Bool(b) => Some(Value::Bool(*b)),
            c => c
                .text()
                .map(|t| match t.trim().to_ascii_lowercase().as_str() {
                    "true" | "yes" | "y" => Value::Bool(true),
                    "false" | "no" | "n" => Value::Bool(false),
                    _ => Value::String(t),
                }),
        }
    }

    /// A word of the format's vocabulary, trimmed.
    fn word(&self, name: &str) -> Option<Value> {
        self.text(name).map(|t| Value::String(t.trim().to_string()))
    }

    fn problem(&self, column: &str, message: impl Into<String>) -> Problem {
        Problem::at(&self.rows.sheet.name, self.n, self.col(column), message)
    }
}

/// A number as the model writes it: whole numbers without a point.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// A node's stage, from its title (`Direct impacts`), its key, or anything [`words::stage`]
/// reads.
fn stage(text: &str) -> Option<Stage> {
    Stage::ALL
        .into_iter()
        .find(|s| s.title().eq_ignore_ascii_case(text.trim()) || s.key() == text.trim())
        .or_else(|| words::stage(text))
}

/// `allow:` entries: a code alone, or with its reason.
fn allow_entry(code: String, reason: Option<String>) -> Value {
    match reason {
        None => Value::String(code),
        Some(r) => {
            let mut o = Obj::default();
            o.set("code", code).set("reason", r);
            Value::Object(o.0)
        }
    }
}

/// The model in an elmo workbook, with what could not be placed and how it was read.
pub fn read(sheets: &[Sheet]) -> (Map<String, Value>, Vec<Problem>, Vec<String>) {
    let mut problems = Vec::new();
    let notes = vec!["read as a workbook written by `elmo report`".to_string()];
    let mut settings: Map<String, Value> = Map::new();
    let mut breakdowns = Vec::new();
    let mut results = Vec::new();
    if let Some(rows) = Rows::of(sheets, sheet::ABOUT) {
        for r in rows.each() {
            let Some(field) = r.text(about::COLUMNS[0]) else {
                problems.push(r.problem(about::COLUMNS[1], "a value with no field name"));
                continue;
            };
            let value = about::COLUMNS[1];
            let key = match field.trim() {
                about::TITLE => "title",
                about::VISION => "vision",
                about::CONTEXT => "context",
                about::FORMAT => {
                    settings.insert("elmo".into(), r.whole(value).unwrap_or(Value::Null));
                    continue;
                }
                about::CEILING => {
                    let v = r.text(value).unwrap_or_default();
                    let word = stage(&v).map_or(v, |s| s.key().to_string());
                    settings.insert("accountability_ceiling".into(), Value::String(word));
                    continue;
                }
                about::LAYOUT => {
                    settings.insert("layout".into(), r.word(value).unwrap_or(Value::Null));
                    continue;
                }
                about::FIT => {
                    settings.insert("fit".into(), r.word(value).unwrap_or(Value::Null));
                    continue;
                }
                about::BREAKDOWN => {
                    breakdowns.extend(r.word(value));
                    continue;
                }
                about::RESULTS => {
                    results.extend(r.text(value).map(Value::String));
                    continue;
                }
                about::DATE | about::VERSION => continue,
                other => {
                    problems.push(r.problem(
                        about::COLUMNS[0],
                        format!("`{other}` is not a field elmo knows; its value was not imported"),
                    ));
                    continue;
                }
            };
            if let Some(v) = r.text(value) {
                settings.insert(key.into(), Value::String(v));
            }
        }
    }

    // Nodes, by stage, each a mapping still to be given its measures and links.
    let mut nodes: Vec<(Stage, Obj, Vec<Value>)> = Vec::new();
    let mut node_index: HashMap<String, usize> = HashMap::new();
    let mut items: HashMap<String, (&'static str, usize)> = HashMap::new();
    if let Some(rows) = Rows::of(sheets, sheet::NODES) {
        for r in rows.each() {
            let c = layout::NODE_COLUMNS;
            let Some(st) = r.text(c[0]).as_deref().and_then(stage) else {
                problems.push(r.problem(
                    c[0],
                    "no stage elmo knows (Inputs, Activities, Outputs, Direct, Indirect or Systemic impacts); the row was not imported",
                ));
                continue;
            };
            let Some(id) = r.word(c[1]) else {
                problems.push(r.problem(c[1], "a box with no id; the row was not imported"));
                continue;
            };
            let mut o = Obj::default();
            o.set("id", id.clone())
                .set("label", r.text(c[2]).unwrap_or_default())
                .opt("description", r.text(c[3]));
            let leads: Vec<Value> = r.lines(c[4]);
            let concerns = r.lines(c[5]);
            if let Value::String(id) = id {
                node_index.insert(id.clone(), nodes.len());
                items.insert(id, ("node", nodes.len()));
            }
            let mut o2 = o;
            o2.set("__concerns", Value::Array(concerns));
            nodes.push((st, o2, leads));
        }
    }

    // Measures, in order of first appearance; each row with a node id gives that node one.
    let mut measures: Vec<Obj> = Vec::new();
    let mut measure_index: HashMap<String, usize> = HashMap::new();
    let mut node_measures: HashMap<usize, Vec<Value>> = HashMap::new();
    if let Some(rows) = Rows::of(sheets, sheet::MEASURES) {
        let c = layout::MEASURE_COLUMNS;
        for r in rows.each() {
            let Some(id) = r.text(c[3]).map(|t| t.trim().to_string()) else {
                problems.push(r.problem(c[3], "a row with no measure id; it was not imported"));
                continue;
            };
            if let Some(node) = r.text(c[1]).map(|t| t.trim().to_string()) {
                match node_index.get(&node) {
                    Some(&i) => node_measures
                        .entry(i)
                        .or_default()
                        .push(Value::String(id.clone())),
                    None => problems.push(r.problem(
                        c[1],
                        format!("no box `{node}` on the Nodes sheet; measure `{id}` was not attached to it"),
                    )),
                }
            }
            if measure_index.contains_key(&id) {
                continue;
            }
            let mut m = Obj::default();
            m.set("id", id.clone())
                .set("label", r.text(c[4]).unwrap_or_default())
                .opt("kind", r.word(c[5]))
                .opt("proxy_for", r.text(c[6]))
                .opt("unit", r.text(c[7]))
                .opt("numerator", r.text(c[8]))
                .opt("denominator", r.text(c[9]))
                .opt("direction", r.word(c[10]))
                .opt("baseline", r.quantity(c[11]))
                .opt("target", r.quantity(c[13]))
                .opt("timing", r.word(c[15]))
                .opt("cohort", r.whole(c[16]))
                .opt("comparison", r.word(c[17]))
                .opt("contribution", r.text(c[18]))
                .opt("source", r.word(c[19]))
                .opt("frequency", r.text(c[21]))
                .opt("owner", r.text(c[22]))
                .list("breakdowns", r.lines(c[23]))
                .opt("baseline_period", r.period(c[12]))
                .opt("target_by", r.period(c[14]));
            if let Some(text) = r.text(c[24]) {
                match serde_json::from_str::<Value>(&text) {
                    Ok(v) => {
                        m.set("compute", v);
                    }
                    Err(e) => problems.push(r.problem(
                        c[24],
                        format!("not the JSON of a `compute:` mapping ({e}); it was not imported"),
                    )),
                }
            }
            measure_index.insert(id.clone(), measures.len());
            items.insert(id, ("measure", measures.len()));
            measures.push(m);
        }
    }

    // Links: reasons for the links in `Leads to`, and any link only this sheet has.
    let mut reasons: HashMap<(usize, usize), Value> = HashMap::new();
    if let Some(rows) = Rows::of(sheets, sheet::LINKS) {
        let c = layout::LINK_COLUMNS;
        for r in rows.each() {
            let (Some(from), Some(to)) = (r.word(c[0]), r.word(c[2])) else {
                problems.push(r.problem(
                    c[0],
                    "a link needs both a From id and a To id; it was not imported",
                ));
                continue;
            };
            let Some(&i) = from.as_str().and_then(|f| node_index.get(f)) else {
                problems.push(r.problem(
                    c[0],
                    format!("no box {from} on the Nodes sheet; the link was not imported"),
                ));
                continue;
            };
            let leads = &mut nodes[i].2;
            let at = leads
                .iter()
                .enumerate()
                .position(|(k, v)| *v == to && !reasons.contains_key(&(i, k)));
            let k = match at {
                Some(k) => k,
                None => {
                    leads.push(to.clone());
                    leads.len() - 1
                }
            };
            let strength = match r.cell(c[6]) {
                Cell::Number(n) => Some(number(*n)),
                cell => cell.text().map(|t| Value::String(t.trim().to_string())),
            };
            let mut link = Obj::default();
            link.set("to", to)
                .opt("because", r.text(c[4]))
                .opt("evidence", r.text(c[5]))
                .opt("strength", strength);
            // A link without reasons is written as its id alone, as the model writes it.
            let link = if link.0.len() > 1 {
                Value::Object(link.0)
            } else {
                link.0.remove("to").unwrap_or_default()
            };
            reasons.insert((i, k), link);
        }
    }

    let mut assumptions = Vec::new();
    if let Some(rows) = Rows::of(sheets, sheet::ASSUMPTIONS) {
        let c = layout::ASSUMPTION_COLUMNS;
        for r in rows.each() {
            let Some(id) = r.word(c[0]) else {
                problems.push(r.problem(c[0], "an assumption with no id; it was not imported"));
                continue;
            };
            let strength = match r.cell(c[5]) {
                Cell::Number(n) => Some(number(*n)),
                cell => cell.text().map(|t| Value::String(t.trim().to_string())),
            };
            let mut o = Obj::default();
            o.set("id", id.clone())
                .set("text", r.text(c[1]).unwrap_or_default())
                .list("applies_to", r.lines(c[2]))
                .opt("status", r.word(c[3]))
                .opt("evidence", r.text(c[4]))
                .opt("strength", strength);
            if let Value::String(id) = id {
                items.insert(id, ("assumption", assumptions.len()));
            }
            assumptions.push(o);
        }
    }
    let mut sources = Vec::new();
    if let Some(rows) = Rows::of(sheets, sheet::SOURCES) {
        let c = layout::SOURCE_COLUMNS;
        for r in rows.each() {
            let Some(id) = r.word(c[0]) else {
                problems.push(r.problem(c[0], "a source with no id; it was not imported"));
                continue;
            };
            let mut o = Obj::default();
            o.set("id", id.clone())
                .set("label", r.text(c[1]).unwrap_or_default())
                .opt("kind", r.word(c[2]))
                .opt("personal_data", r.flag(c[3]))
                .opt("storage", r.text(c[4]))
                .list("shared_with", r.lines(c[5]))
                .opt("sharing", r.text(c[6]));
            if let Value::String(id) = id {
                items.insert(id, ("source", sources.len()));
            }
            sources.push(o);
        }
    }
    let simple = |name: &str, columns: &[&str], keys: &[&str]| {
        let mut out = Vec::new();
        if let Some(rows) = Rows::of(sheets, name) {
            for r in rows.each() {
                let mut o = Obj::default();
                for (c, k) in columns.iter().zip(keys) {
                    let v = match *k {
                        "affects" => {
                            o.list(k, r.lines(c));
                            continue;
                        }
                        "id" | "role" | "kind" => r.word(c),
                        _ => r.text(c).map(Value::String),
                    };
                    o.opt(k, v);
                }
                out.push(Value::Object(o.0));
            }
        }
        out
    };
    let stakeholders = simple(
        sheet::STAKEHOLDERS,
        &layout::STAKEHOLDER_COLUMNS,
        &["id", "label", "role"],
    );
    let factors = simple(
        sheet::EXTERNAL_FACTORS,
        &layout::FACTOR_COLUMNS,
        &["id", "text", "affects"],
    );
    let unexpected = simple(
        sheet::UNEXPECTED,
        &layout::UNEXPECTED_COLUMNS,
        &["id", "text", "kind", "evidence"],
    );

    // Lint levels for the model, and codes allowed on single items.
    let mut lints = Map::new();
    let mut allows: HashMap<(&'static str, usize), Vec<Value>> = HashMap::new();
    if let Some(rows) = Rows::of(sheets, sheet::LINTS) {
        let c = layout::LINT_COLUMNS;
        for r in rows.each() {
            let Some(code) = r.text(c[1]).map(|t| t.trim().to_string()) else {
                problems.push(r.problem(c[1], "a row with no code; it was not imported"));
                continue;
            };
            match r.text(c[0]).map(|t| t.trim().to_string()) {
                None => {
                    lints.insert(code, r.word(c[2]).unwrap_or(Value::Null));
                }
                Some(id) => match items.get(&id) {
                    Some(&item) => allows
                        .entry(item)
                        .or_default()
                        .push(allow_entry(code, r.text(c[3]))),
                    None => problems.push(r.problem(
                        c[0],
                        format!("no box, measure, source or assumption `{id}`; `{code}` was not allowed anywhere"),
                    )),
                },
            }
        }
    }

    // The model, key by key in the order of the format.
    let mut model = Obj::default();
    for key in ["elmo", "title", "vision", "context"] {
        if key == "title" {
            model.set("title", settings.remove("title").unwrap_or_default());
        } else {
            model.opt(key, settings.remove(key));
        }
    }
    let mut by_stage: HashMap<Stage, Vec<Value>> = HashMap::new();
    for (i, (st, mut o, leads)) in nodes.into_iter().enumerate() {
        let concerns = match o.0.remove("__concerns") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let leads = leads
            .into_iter()
            .enumerate()
            .map(|(k, to)| reasons.remove(&(i, k)).unwrap_or(to))
            .collect();
        o.list("leads_to", leads)
            .list("measures", node_measures.remove(&i).unwrap_or_default())
            .list("concerns", concerns)
            .list("allow", allows.remove(&("node", i)).unwrap_or_default());
        by_stage.entry(st).or_default().push(Value::Object(o.0));
    }
    for st in Stage::ALL {
        model.set(st.key(), by_stage.remove(&st).unwrap_or_default());
    }
    let with_allow = |kind: &'static str, list: Vec<Obj>, allows: &mut HashMap<_, Vec<Value>>| {
        list.into_iter()
            .enumerate()
            .map(|(i, mut o)| {
                o.list("allow", allows.remove(&(kind, i)).unwrap_or_default());
                Value::Object(o.0)
            })
            .collect::<Vec<_>>()
    };
    // `allow` sits between `breakdowns` and `baseline_period` in a measure.
    let measures = measures
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let allow = allows.remove(&("measure", i)).unwrap_or_default();
            let mut m = Map::new();
            for (k, v) in o.0 {
                let after_allow = ["baseline_period", "target_by", "compute"].contains(&k.as_str());
                if after_allow && !allow.is_empty() && !m.contains_key("allow") {
                    m.insert("allow".into(), Value::Array(allow.clone()));
                }
                m.insert(k, v);
            }
            if !allow.is_empty() && !m.contains_key("allow") {
                m.insert("allow".into(), Value::Array(allow));
            }
            Value::Object(m)
        })
        .collect::<Vec<_>>();
    model.set("measures", measures);
    model.set("sources", with_allow("source", sources, &mut allows));
    model.set(
        "assumptions",
        with_allow("assumption", assumptions, &mut allows),
    );
    model.list("stakeholders", stakeholders);
    model.list("breakdowns", breakdowns);
    model.list("external_factors", factors);
    model.list("unexpected", unexpected);
    for key in ["accountability_ceiling", "layout", "fit"] {
        model.opt(key, settings.remove(key));
    }
    if !lints.is_empty() {
        model.set("lints", Value::Object(lints));
    }
    model.list("results", results);
    (model.0, problems, notes)
}
