//! The semantic diff of two compiled models: what a pull request changes in the theory of
//! change, not in the text.
//!
//! Both sides are compiled first; the diff compares typed items by id, field by field, and
//! compares the check results by code and subject, so reordering a file, reformatting it or
//! moving a line changes nothing here.
//!
//! # Renames
//! An id that disappears while an item of the same kind with a new id appears is taken as a
//! rename when the two are otherwise the same: equal label and fields, and equal references
//! once every other rename is applied (a node's measures and links, a measure's source, an
//! assumption's `applies_to`). Only one-to-one matches count; if two removed items could each
//! be the same added item, nothing is guessed and both show as removed and added. References
//! through a rename (links, `measures`, `source`, `applies_to`) are then compared through it,
//! so renaming a node does not also report its links as removed and added.
//!
//! # Symmetry
//! `diff(b, a)` is always `diff(a, b).inverted()`: the matching, the comparisons and the
//! order of entries do not depend on which side is old.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::Compiled;
use crate::diagnostic::{Diagnostic, Severity};
use crate::layout::{DiffMarks, Mark};
use crate::lint::Code;
use crate::model::{Assumption, Measure, Model, Node, Source, Stage};
use crate::span::Spanned;

/// How an item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the new model.
    Added,
    /// Only in the old model.
    Removed,
    /// In both, with different fields.
    Changed,
    /// In both under different ids, otherwise the same.
    Renamed,
}

impl ChangeKind {
    fn inverted(self) -> ChangeKind {
        match self {
            ChangeKind::Added => ChangeKind::Removed,
            ChangeKind::Removed => ChangeKind::Added,
            k => k,
        }
    }

    /// The one-character marker of the text format: `+`, `-`, `~` or `>`.
    pub fn marker(self) -> char {
        match self {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Changed => '~',
            ChangeKind::Renamed => '>',
        }
    }
}

/// One field's old and new value, as text (`None`: not set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The key as written in the file (`target`, `status`), or `stage` for a stage move.
    pub field: String,
    /// The old value.
    pub old: Option<String>,
    /// The new value.
    pub new: Option<String>,
}

impl FieldChange {
    fn inverted(&self) -> FieldChange {
        FieldChange {
            field: self.field.clone(),
            old: self.new.clone(),
            new: self.old.clone(),
        }
    }
}

/// A node, measure, source or assumption that was added, removed, changed or renamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    /// What happened.
    pub change: ChangeKind,
    /// The id: the new one, or the old one for a removed item.
    pub id: String,
    /// The old id of a renamed item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    /// Its label (an assumption's text), from the side it is shown from.
    pub label: String,
    /// A node's stage, from the side it is shown from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// The fields that differ, for a changed item, in file-format order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

impl ItemChange {
    fn inverted(&self) -> ItemChange {
        let fields: Vec<FieldChange> = self.fields.iter().map(FieldChange::inverted).collect();
        // A changed item is shown from its new side, so the inverse takes the other side's
        // label and stage, which the field changes hold.
        let label = fields
            .iter()
            .find(|f| f.field == "label" || f.field == "text")
            .and_then(|f| f.new.clone())
            .filter(|_| self.change == ChangeKind::Changed)
            .unwrap_or_else(|| self.label.clone());
        let stage = fields
            .iter()
            .find(|f| f.field == "stage")
            .and_then(|f| f.new.as_deref())
            .and_then(stage_named)
            .filter(|_| self.change == ChangeKind::Changed)
            .or(self.stage);
        let (id, old_id) = match &self.old_id {
            Some(old) => (old.clone(), Some(self.id.clone())),
            None => (self.id.clone(), None),
        };
        ItemChange {
            change: self.change.inverted(),
            id,
            old_id,
            label,
            stage,
            fields,
        }
    }
}

fn stage_named(key: &str) -> Option<Stage> {
    Stage::ALL.into_iter().find(|s| s.key() == key)
}

/// A link that was added or removed. Added links use new ids, removed links old ids.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LinkChange {
    /// `added` or `removed`.
    pub change: ChangeKind,
    /// The source node's id.
    pub from: String,
    /// The target node's id.
    pub to: String,
}

/// A diagnostic that appeared or went away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckChange {
    /// Its code.
    pub code: Code,
    /// Its severity.
    pub severity: Severity,
    /// Its message.
    pub message: String,
    /// The id it is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// How the check results changed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Checks {
    /// Diagnostics of the new model that the old one did not have.
    pub new: Vec<CheckChange>,
    /// Diagnostics of the old model that the new one no longer has.
    pub fixed: Vec<CheckChange>,
}

/// The semantic difference between two models.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Diff {
    /// Changes to the title, vision, context and lint levels.
    pub model: Vec<FieldChange>,
    /// Nodes, sorted by id.
    pub nodes: Vec<ItemChange>,
    /// Links, sorted by source then target.
    pub links: Vec<LinkChange>,
    /// Measures, sorted by id.
    pub measures: Vec<ItemChange>,
    /// Sources, sorted by id.
    pub sources: Vec<ItemChange>,
    /// Assumptions, sorted by id.
    pub assumptions: Vec<ItemChange>,
    /// New and fixed diagnostics.
    pub checks: Checks,
}

/// Counts for a one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Items and links added.
    pub added: usize,
    /// Items and links removed.
    pub removed: usize,
    /// Items changed, and model fields changed.
    pub changed: usize,
    /// Items renamed.
    pub renamed: usize,
    /// Diagnostics that appeared.
    pub new_diagnostics: usize,
    /// Diagnostics that went away.
    pub fixed_diagnostics: usize,
}

impl Diff {
    /// Whether the models mean the same and check the same.
    pub fn is_empty(&self) -> bool {
        self.model.is_empty()
            && self.nodes.is_empty()
            && self.links.is_empty()
            && self.measures.is_empty()
            && self.sources.is_empty()
            && self.assumptions.is_empty()
            && self.checks.new.is_empty()
            && self.checks.fixed.is_empty()
    }

    /// The diff read the other way: what `diff(new, old)` gives.
    pub fn inverted(&self) -> Diff {
        let items = |v: &[ItemChange]| {
            let mut out: Vec<ItemChange> = v.iter().map(ItemChange::inverted).collect();
            sort_items(&mut out);
            out
        };
        let mut links: Vec<LinkChange> = self
            .links
            .iter()
            .map(|l| LinkChange {
                change: l.change.inverted(),
                ..l.clone()
            })
            .collect();
        links.sort();
        Diff {
            model: self.model.iter().map(FieldChange::inverted).collect(),
            nodes: items(&self.nodes),
            links,
            measures: items(&self.measures),
            sources: items(&self.sources),
            assumptions: items(&self.assumptions),
            checks: Checks {
                new: self.checks.fixed.clone(),
                fixed: self.checks.new.clone(),
            },
        }
    }

    /// Counts of each kind of change.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            changed: self.model.len(),
            new_diagnostics: self.checks.new.len(),
            fixed_diagnostics: self.checks.fixed.len(),
            ..Summary::default()
        };
        let items = self
            .nodes
            .iter()
            .chain(&self.measures)
            .chain(&self.sources)
            .chain(&self.assumptions);
        for i in items {
            match i.change {
                ChangeKind::Added => s.added += 1,
                ChangeKind::Removed => s.removed += 1,
                ChangeKind::Changed => s.changed += 1,
                ChangeKind::Renamed => s.renamed += 1,
            }
        }
        for l in &self.links {
            match l.change {
                ChangeKind::Removed => s.removed += 1,
                _ => s.added += 1,
            }
        }
        s
    }

    /// What the diagram of the new model should mark: added, changed and renamed nodes,
    /// added links, and the removed nodes and links drawn as ghosts (by the ids they have in
    /// [`overlay`]'s model).
    pub fn marks(&self) -> DiffMarks {
        let renamed: HashMap<&str, &str> = self
            .nodes
            .iter()
            .filter_map(|n| n.old_id.as_deref().map(|o| (o, n.id.as_str())))
            .collect();
        let through = |id: &str| renamed.get(id).copied().unwrap_or(id).to_string();
        let mut marks = DiffMarks::default();
        for n in &self.nodes {
            let mark = match n.change {
                ChangeKind::Added => Mark::Added,
                ChangeKind::Removed => Mark::Removed,
                ChangeKind::Changed | ChangeKind::Renamed => Mark::Changed,
            };
            marks.nodes.insert(n.id.clone(), mark);
        }
        for l in &self.links {
            let (from, to, mark) = match l.change {
                ChangeKind::Removed => (through(&l.from), through(&l.to), Mark::Removed),
                _ => (l.from.clone(), l.to.clone(), Mark::Added),
            };
            marks.links.insert((from, to), mark);
        }
        marks
    }
}

fn sort_items(v: &mut [ItemChange]) {
    v.sort_by(|a, b| (&a.id, a.change).cmp(&(&b.id, b.change)));
}

/// The semantic diff of two compiled models, or `None` when either side has no model (a file
/// that is not YAML, or not a mapping).
pub fn diff(old: &Compiled, new: &Compiled) -> Option<Diff> {
    let (a, b) = (old.model.as_ref()?, new.model.as_ref()?);
    Some(diff_models(a, &old.diagnostics, b, &new.diagnostics))
}

/// A field's value, and how its references are mapped through renames.
#[derive(Debug, Clone)]
enum Value {
    /// Plain text, compared as is.
    Text(Option<String>),
    /// One id of `Kind`.
    Ref(Kind, Option<String>),
    /// A set of ids of `Kind`, shown in file order.
    Refs(Kind, Vec<String>),
    /// `applies_to`: node ids and `from -> to` links.
    Targets(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Node,
    Measure,
    Source,
    Assumption,
}

/// An item reduced to what the diff compares.
#[derive(Debug, Clone)]
struct Item {
    id: String,
    label: String,
    stage: Option<Stage>,
    /// Shown and compared, in order.
    fields: Vec<(&'static str, Value)>,
    /// Compared for renames only: a node's links, which the diff reports as links.
    links: Vec<String>,
}

fn text_value(v: &Option<Spanned<String>>) -> Value {
    Value::Text(v.as_ref().map(|s| s.value.clone()))
}

fn ids(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(|s| s.value.clone()).collect()
}

fn allow(a: &[crate::model::Allow]) -> Value {
    let mut codes: Vec<&str> = a.iter().map(|x| x.code.value.as_str()).collect();
    codes.sort_unstable();
    Value::Text((!codes.is_empty()).then(|| codes.join(", ")))
}

fn node_item(stage: Stage, n: &Node) -> Item {
    Item {
        id: n.id.value.clone(),
        label: n.label.value.clone(),
        stage: Some(stage),
        fields: vec![
            ("label", Value::Text(Some(n.label.value.clone()))),
            ("stage", Value::Text(Some(stage.key().to_string()))),
            ("description", text_value(&n.description)),
            ("measures", Value::Refs(Kind::Measure, ids(&n.measures))),
            ("allow", allow(&n.allow)),
        ],
        links: ids(&n.leads_to),
    }
}

/// The compared fields of a measure. New measure fields are added here.
fn measure_item(m: &Measure) -> Item {
    let q = |v: &Option<Spanned<crate::model::Quantity>>| {
        Value::Text(v.as_ref().map(|x| x.value.to_string()))
    };
    Item {
        id: m.id.value.clone(),
        label: m.label.value.clone(),
        stage: None,
        fields: vec![
            ("label", Value::Text(Some(m.label.value.clone()))),
            ("kind", Value::Text(Some(m.kind().to_string()))),
            ("proxy_for", text_value(&m.proxy_for)),
            ("unit", text_value(&m.unit)),
            ("baseline", q(&m.baseline)),
            ("target", q(&m.target)),
            (
                "source",
                Value::Ref(Kind::Source, m.source.as_ref().map(|s| s.value.clone())),
            ),
            ("frequency", text_value(&m.frequency)),
            ("owner", text_value(&m.owner)),
            ("allow", allow(&m.allow)),
        ],
        links: Vec::new(),
    }
}

fn source_item(s: &Source) -> Item {
    Item {
        id: s.id.value.clone(),
        label: s.label.value.clone(),
        stage: None,
        fields: vec![
            ("label", Value::Text(Some(s.label.value.clone()))),
            (
                "personal_data",
                Value::Text(s.personal_data.as_ref().map(|p| p.value.to_string())),
            ),
            ("storage", text_value(&s.storage)),
            ("allow", allow(&s.allow)),
        ],
        links: Vec::new(),
    }
}

fn assumption_item(a: &Assumption) -> Item {
    let status = a.status.as_ref().map(|s| s.value).unwrap_or_default();
    Item {
        id: a.id.value.clone(),
        label: a.text.value.clone(),
        stage: None,
        fields: vec![
            ("text", Value::Text(Some(a.text.value.clone()))),
            (
                "applies_to",
                Value::Targets(
                    a.applies_to
                        .iter()
                        .map(|t| t.written.value.clone())
                        .collect(),
                ),
            ),
            ("status", Value::Text(Some(status.to_string()))),
            ("evidence", text_value(&a.evidence)),
            ("allow", allow(&a.allow)),
        ],
        links: Vec::new(),
    }
}

fn items(m: &Model) -> BTreeMap<Kind, Vec<Item>> {
    let mut out = BTreeMap::new();
    out.insert(
        Kind::Node,
        m.nodes().map(|(s, n)| node_item(s, n)).collect(),
    );
    out.insert(Kind::Measure, m.measures.iter().map(measure_item).collect());
    out.insert(Kind::Source, m.sources.iter().map(source_item).collect());
    out.insert(
        Kind::Assumption,
        m.assumptions.iter().map(assumption_item).collect(),
    );
    out
}

/// Old ids to new ids, per kind. Ids not in it map to themselves.
#[derive(Debug, Default, Clone)]
struct Renames(HashMap<Kind, HashMap<String, String>>);

impl Renames {
    fn map<'a>(&'a self, kind: Kind, id: &'a str) -> &'a str {
        self.0
            .get(&kind)
            .and_then(|m| m.get(id))
            .map_or(id, String::as_str)
    }

    /// Maps any id, whatever its kind (ids are unique across kinds in a valid model).
    fn map_any<'a>(&'a self, id: &'a str) -> &'a str {
        self.0
            .values()
            .find_map(|m| m.get(id))
            .map_or(id, String::as_str)
    }

    fn target(&self, t: &str) -> String {
        match t.split_once("->") {
            Some((a, b)) => format!(
                "{} -> {}",
                self.map(Kind::Node, a.trim()),
                self.map(Kind::Node, b.trim())
            ),
            None => self.map_any(t.trim()).to_string(),
        }
    }
}

/// A value with old references mapped to new ids, in a form where equal means the same.
fn canonical(v: &Value, r: &Renames) -> Vec<String> {
    match v {
        Value::Text(t) => t.iter().cloned().collect(),
        Value::Ref(k, t) => t.iter().map(|x| r.map(*k, x).to_string()).collect(),
        Value::Refs(k, list) => {
            let mut out: Vec<String> = list.iter().map(|x| r.map(*k, x).to_string()).collect();
            out.sort();
            out.dedup();
            out
        }
        Value::Targets(list) => {
            let mut out: Vec<String> = list.iter().map(|x| r.target(x)).collect();
            out.sort();
            out.dedup();
            out
        }
    }
}

/// A value as shown to people: lists joined in file order.
fn shown(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) | Value::Ref(_, t) => t.clone(),
        Value::Refs(_, list) | Value::Targets(list) => (!list.is_empty()).then(|| list.join(", ")),
    }
}

fn is_reference(v: &Value) -> bool {
    !matches!(v, Value::Text(_))
}

/// An item's plain fields in order, references left out: two items can only be one item
/// renamed when these are equal, so renames are matched on them by hashing, not by comparing
/// every removed item with every added one.
type Signature = Vec<(&'static str, Option<Vec<String>>)>;

fn signature(item: &Item) -> Signature {
    let empty = Renames::default();
    item.fields
        .iter()
        .map(|(k, v)| (*k, (!is_reference(v)).then(|| canonical(v, &empty))))
        .collect()
}

/// The ids an (old) item refers to, whatever their kind: when one of them stops being a
/// rename, whether this item is one must be looked at again.
fn referenced(item: &Item) -> Vec<&str> {
    let mut out: Vec<&str> = item.links.iter().map(String::as_str).collect();
    for (_, v) in &item.fields {
        match v {
            Value::Text(_) => {}
            Value::Ref(_, t) => out.extend(t.as_deref()),
            Value::Refs(_, list) => out.extend(list.iter().map(String::as_str)),
            Value::Targets(list) => {
                out.extend(list.iter().flat_map(|t| t.split("->").map(str::trim)));
            }
        }
    }
    out
}

/// Whether `a` (old) and `b` (new) agree on their references under `r`.
fn same_refs(a: &Item, b: &Item, r: &Renames) -> bool {
    let refs_equal = a
        .fields
        .iter()
        .zip(&b.fields)
        .all(|((_, va), (_, vb))| !is_reference(va) || canonical(va, r) == canonical(vb, r));
    let mut la: Vec<&str> = a.links.iter().map(|x| r.map(Kind::Node, x)).collect();
    let mut lb: Vec<&str> = b.links.iter().map(String::as_str).collect();
    la.sort_unstable();
    la.dedup();
    lb.sort_unstable();
    lb.dedup();
    refs_equal && la == lb
}

fn find_renames(old: &BTreeMap<Kind, Vec<Item>>, new: &BTreeMap<Kind, Vec<Item>>) -> Renames {
    // Candidates on plain fields alone, kept only when the match is one-to-one: one removed
    // and one added item share a signature.
    let mut pairs: Vec<(Kind, usize, usize)> = Vec::new();
    for (kind, olds) in old {
        let news = &new[kind];
        let old_ids: HashSet<&str> = olds.iter().map(|i| i.id.as_str()).collect();
        let new_ids: HashSet<&str> = news.iter().map(|i| i.id.as_str()).collect();
        let mut groups: HashMap<Signature, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (i, item) in olds.iter().enumerate() {
            if !new_ids.contains(item.id.as_str()) {
                groups.entry(signature(item)).or_default().0.push(i);
            }
        }
        for (j, item) in news.iter().enumerate() {
            if !old_ids.contains(item.id.as_str())
                && let Some(group) = groups.get_mut(&signature(item))
            {
                group.1.push(j);
            }
        }
        pairs.extend(
            groups
                .into_values()
                .filter_map(|g| match (&g.0[..], &g.1[..]) {
                    ([i], [j]) => Some((*kind, *i, *j)),
                    _ => None,
                }),
        );
    }
    pairs.sort_unstable();
    // Then the references must agree too, with every other rename applied. Dropping a pair
    // can break another that leaned on it, so the pairs that refer to a dropped one are
    // looked at again, round by round, until a round drops nothing. Only those are: any
    // other pair passed last time, and nothing it depends on has changed since.
    let mut r = Renames::default();
    let mut dependents: HashMap<&str, Vec<usize>> = HashMap::new();
    for (p, &(k, i, j)) in pairs.iter().enumerate() {
        r.0.entry(k)
            .or_default()
            .insert(old[&k][i].id.clone(), new[&k][j].id.clone());
        for id in referenced(&old[&k][i]) {
            dependents.entry(id).or_default().push(p);
        }
    }
    let mut alive = vec![true; pairs.len()];
    let mut check: Vec<usize> = (0..pairs.len()).collect();
    while !check.is_empty() {
        let dropped: Vec<usize> = check
            .into_iter()
            .filter(|&p| {
                let (k, i, j) = pairs[p];
                alive[p] && !same_refs(&old[&k][i], &new[&k][j], &r)
            })
            .collect();
        for &p in &dropped {
            let (k, i, _) = pairs[p];
            alive[p] = false;
            if let Some(m) = r.0.get_mut(&k) {
                m.remove(&old[&k][i].id);
            }
        }
        let mut next: Vec<usize> = dropped
            .iter()
            .flat_map(|&p| {
                let (k, i, _) = pairs[p];
                dependents.get(old[&k][i].id.as_str()).into_iter().flatten()
            })
            .copied()
            .filter(|&q| alive[q])
            .collect();
        next.sort_unstable();
        next.dedup();
        check = next;
    }
    r
}

fn diff_kind(kind: Kind, old: &[Item], new: &[Item], r: &Renames) -> Vec<ItemChange> {
    let renamed: HashMap<&str, &str> =
        r.0.get(&kind)
            .map(|m| m.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect())
            .unwrap_or_default();
    let renamed_to: HashSet<&str> = renamed.values().copied().collect();
    let new_by_id: HashMap<&str, &Item> = new.iter().map(|i| (i.id.as_str(), i)).collect();
    let old_ids: HashSet<&str> = old.iter().map(|i| i.id.as_str()).collect();
    let mut out = Vec::new();
    for a in old {
        if let Some(&to) = renamed.get(a.id.as_str()) {
            let b = new_by_id[to];
            out.push(ItemChange {
                change: ChangeKind::Renamed,
                id: b.id.clone(),
                old_id: Some(a.id.clone()),
                label: b.label.clone(),
                stage: b.stage,
                fields: Vec::new(),
            });
            continue;
        }
        let Some(b) = new_by_id.get(a.id.as_str()) else {
            out.push(ItemChange {
                change: ChangeKind::Removed,
                id: a.id.clone(),
                old_id: None,
                label: a.label.clone(),
                stage: a.stage,
                fields: Vec::new(),
            });
            continue;
        };
        let fields: Vec<FieldChange> = a
            .fields
            .iter()
            .zip(&b.fields)
            .filter(|((_, va), (_, vb))| canonical(va, r) != canonical(vb, r))
            .map(|((k, va), (_, vb))| FieldChange {
                field: k.to_string(),
                old: shown(va),
                new: shown(vb),
            })
            .collect();
        if !fields.is_empty() {
            out.push(ItemChange {
                change: ChangeKind::Changed,
                id: b.id.clone(),
                old_id: None,
                label: b.label.clone(),
                stage: b.stage,
                fields,
            });
        }
    }
    for b in new {
        if !old_ids.contains(b.id.as_str()) && !renamed_to.contains(b.id.as_str()) {
            out.push(ItemChange {
                change: ChangeKind::Added,
                id: b.id.clone(),
                old_id: None,
                label: b.label.clone(),
                stage: b.stage,
                fields: Vec::new(),
            });
        }
    }
    sort_items(&mut out);
    out
}

fn links(m: &Model) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = m
        .nodes()
        .flat_map(|(_, n)| {
            n.leads_to
                .iter()
                .map(move |t| (n.id.value.clone(), t.value.clone()))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn model_fields(m: &Model) -> Vec<(&'static str, Option<String>)> {
    let mut lints: Vec<String> = m
        .lints
        .0
        .iter()
        .map(|(c, l)| {
            let level = l.value.as_str();
            format!("{}: {level}", c.value)
        })
        .collect();
    lints.sort();
    vec![
        ("title", Some(m.title.value.clone())),
        ("vision", m.vision.as_ref().map(|v| v.value.clone())),
        ("context", m.context.as_ref().map(|v| v.value.clone())),
        ("lints", (!lints.is_empty()).then(|| lints.join(", "))),
    ]
}

/// The key a diagnostic is matched by across the two sides: its code and what it is about
/// (with old ids mapped through renames), or its message when it is about nothing in
/// particular. Lines are ignored, so moving text around changes nothing.
fn check_key(d: &Diagnostic, r: Option<&Renames>) -> (Code, String) {
    let about = match (&d.subject, r) {
        (Some(s), Some(r)) => format!("@{}", r.target(s)),
        (Some(s), None) => format!("@{s}"),
        (None, _) => d.message.clone(),
    };
    (d.code, about)
}

fn check_change(d: &Diagnostic) -> CheckChange {
    CheckChange {
        code: d.code,
        severity: d.severity,
        message: d.message.clone(),
        subject: d.subject.clone(),
    }
}

/// Diagnostics of `from` whose key is not matched in `other` (multiset difference).
fn unmatched(
    from: &[Diagnostic],
    from_renames: Option<&Renames>,
    other: &[Diagnostic],
    other_renames: Option<&Renames>,
) -> Vec<CheckChange> {
    let mut pool: HashMap<(Code, String), usize> = HashMap::new();
    for d in other {
        *pool.entry(check_key(d, other_renames)).or_default() += 1;
    }
    let mut out = Vec::new();
    for d in from {
        let k = check_key(d, from_renames);
        match pool.get_mut(&k) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(check_change(d)),
        }
    }
    out.sort_by(|a, b| (a.code, &a.subject, &a.message).cmp(&(b.code, &b.subject, &b.message)));
    out
}

/// The semantic diff of two models and their diagnostics.
pub fn diff_models(
    old: &Model,
    old_diags: &[Diagnostic],
    new: &Model,
    new_diags: &[Diagnostic],
) -> Diff {
    let (oi, ni) = (items(old), items(new));
    let r = find_renames(&oi, &ni);
    let model = model_fields(old)
        .into_iter()
        .zip(model_fields(new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((k, a), (_, b))| FieldChange {
            field: k.to_string(),
            old: a,
            new: b,
        })
        .collect();
    let old_links = links(old);
    let new_links = links(new);
    let mapped: HashSet<(String, String)> = old_links
        .iter()
        .map(|(a, b)| {
            (
                r.map(Kind::Node, a).to_string(),
                r.map(Kind::Node, b).to_string(),
            )
        })
        .collect();
    let new_set: HashSet<&(String, String)> = new_links.iter().collect();
    let mut link_changes: Vec<LinkChange> = Vec::new();
    for (a, b) in &old_links {
        let m = (
            r.map(Kind::Node, a).to_string(),
            r.map(Kind::Node, b).to_string(),
        );
        if !new_set.contains(&m) {
            link_changes.push(LinkChange {
                change: ChangeKind::Removed,
                from: a.clone(),
                to: b.clone(),
            });
        }
    }
    for l in &new_links {
        if !mapped.contains(l) {
            link_changes.push(LinkChange {
                change: ChangeKind::Added,
                from: l.0.clone(),
                to: l.1.clone(),
            });
        }
    }
    link_changes.sort();
    let kind = |k: Kind| diff_kind(k, &oi[&k], &ni[&k], &r);
    Diff {
        model,
        nodes: kind(Kind::Node),
        links: link_changes,
        measures: kind(Kind::Measure),
        sources: kind(Kind::Source),
        assumptions: kind(Kind::Assumption),
        checks: Checks {
            new: unmatched(new_diags, None, old_diags, Some(&r)),
            fixed: unmatched(old_diags, Some(&r), new_diags, None),
        },
    }
}

/// The new model with the removed nodes and links put back as ghosts, for drawing the diff:
/// a removed node returns to its old stage, a removed link joins its ends (through renames).
pub fn overlay(old: &Model, new: &Model, diff: &Diff) -> Model {
    let mut merged = new.clone();
    let renamed: HashMap<&str, &str> = diff
        .nodes
        .iter()
        .filter_map(|n| n.old_id.as_deref().map(|o| (o, n.id.as_str())))
        .collect();
    let measure_ids: HashSet<&str> = new.measures.iter().map(|m| m.id.value.as_str()).collect();
    // Indexed once, so that a diff removing thousands of nodes and links stays linear.
    let mut old_nodes: HashMap<&str, (Stage, &Node)> = HashMap::new();
    for (stage, n) in old.nodes() {
        old_nodes.entry(n.id.value.as_str()).or_insert((stage, n));
    }
    for gone in diff
        .nodes
        .iter()
        .filter(|n| n.change == ChangeKind::Removed)
    {
        if let Some(&(stage, node)) = old_nodes.get(gone.id.as_str()) {
            let mut ghost = node.clone();
            ghost.leads_to.clear();
            ghost
                .measures
                .retain(|m| measure_ids.contains(m.value.as_str()));
            merged.push_node(stage, ghost);
        }
    }
    let mut ghost_links: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in diff
        .links
        .iter()
        .filter(|l| l.change == ChangeKind::Removed)
    {
        let from = renamed.get(l.from.as_str()).copied().unwrap_or(&l.from);
        let to = renamed.get(l.to.as_str()).copied().unwrap_or(&l.to);
        ghost_links.entry(from).or_default().push(to);
    }
    let nodes = merged
        .inputs
        .iter_mut()
        .chain(&mut merged.activities)
        .chain(&mut merged.outputs)
        .chain(&mut merged.direct_impacts)
        .chain(&mut merged.indirect_impacts)
        .chain(&mut merged.systemic_impacts);
    for node in nodes {
        // Taken out, so only the first node of a duplicated id gets them.
        for to in ghost_links
            .remove(node.id.value.as_str())
            .unwrap_or_default()
        {
            node.leads_to
                .push(Spanned::new(to.to_string(), Default::default()));
        }
    }
    merged
}

/// The diff as one JSON document: the two names, whether they are the same, the counts, then
/// every list of [`Diff`] (the shape is documented in the book's command-line page).
pub fn to_json(diff: &Diff, old_name: &str, new_name: &str) -> serde_json::Value {
    #[derive(Serialize)]
    struct Doc<'a> {
        old: &'a str,
        new: &'a str,
        identical: bool,
        summary: Summary,
        #[serde(flatten)]
        diff: &'a Diff,
    }
    serde_json::to_value(Doc {
        old: old_name,
        new: new_name,
        identical: diff.is_empty(),
        summary: diff.summary(),
        diff,
    })
    .unwrap_or_default()
}

/// Model text made safe for a terminal: quoted as a JSON string, so line breaks and quotes
/// are shown, and with the controls JSON leaves as they are (DEL, C1) made visible too.
fn quoted(v: &Option<String>) -> String {
    match v {
        Some(t) => plain(&serde_json::to_string(t).unwrap_or_default()),
        None => "(not set)".to_string(),
    }
}

/// A message or id with control characters shown as visible symbols, for a terminal.
fn plain(s: &str) -> String {
    crate::escape::terminal(s).into_owned()
}

/// `3 added, 1 removed, …`: the summary line of the text format.
pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    format!(
        "{} added, {} removed, {} changed, {} renamed; {}, {} fixed",
        s.added,
        s.removed,
        s.changed,
        s.renamed,
        plural(s.new_diagnostics, "new diagnostic", "new diagnostics"),
        s.fixed_diagnostics
    )
}

/// The diff as text for people: grouped by kind, one line per item with a `+` (added), `-`
/// (removed), `~` (changed) or `>` (renamed) marker, changed fields indented under it as
/// `field: old → new`, and a summary line.
pub fn text(diff: &Diff, old_name: &str, new_name: &str) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "--- {}\n+++ {}", plain(old_name), plain(new_name));
    if diff.is_empty() {
        let _ = writeln!(s, "\nNo semantic differences.");
        return s;
    }
    if !diff.model.is_empty() {
        let _ = writeln!(s, "\nModel");
        for f in &diff.model {
            let _ = writeln!(
                s,
                "  ~ {}: {} → {}",
                f.field,
                quoted(&f.old),
                quoted(&f.new)
            );
        }
    }
    let groups = [
        ("Nodes", &diff.nodes),
        ("Measures", &diff.measures),
        ("Sources", &diff.sources),
        ("Assumptions", &diff.assumptions),
    ];
    for (i, (title, list)) in groups.into_iter().enumerate() {
        if !list.is_empty() {
            let _ = writeln!(s, "\n{title}");
            for c in list {
                let stage = c
                    .stage
                    .filter(|_| matches!(c.change, ChangeKind::Added | ChangeKind::Removed))
                    .map(|st| format!(" ({})", st.key()))
                    .unwrap_or_default();
                let id = match &c.old_id {
                    Some(old) => format!("{} → {} (renamed)", plain(old), plain(&c.id)),
                    None => plain(&c.id),
                };
                let _ = writeln!(
                    s,
                    "  {} {id}{stage} {}",
                    c.change.marker(),
                    quoted(&Some(c.label.clone()))
                );
                for f in &c.fields {
                    let _ = writeln!(
                        s,
                        "      {}: {} → {}",
                        f.field,
                        quoted(&f.old),
                        quoted(&f.new)
                    );
                }
            }
        }
        // Links read best right after the nodes they join.
        if i == 0 && !diff.links.is_empty() {
            let _ = writeln!(s, "\nLinks");
            for l in &diff.links {
                let _ = writeln!(
                    s,
                    "  {} {} → {}",
                    l.change.marker(),
                    plain(&l.from),
                    plain(&l.to)
                );
            }
        }
    }
    if !diff.checks.new.is_empty() || !diff.checks.fixed.is_empty() {
        let _ = writeln!(s, "\nChecks");
        for (marker, what, list) in [
            ('+', "new", &diff.checks.new),
            ('-', "fixed", &diff.checks.fixed),
        ] {
            for c in list {
                let severity = c.severity.as_str();
                let _ = writeln!(
                    s,
                    "  {marker} {what} {severity} [{}] {}",
                    c.code,
                    plain(&c.message)
                );
            }
        }
    }
    let _ = writeln!(s, "\n{}", summary_line(&diff.summary()));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> Diff {
        diff(&crate::compile(a), &crate::compile(b)).expect("models")
    }

    const BASE: &str = "title: T\ninputs:\n  - id: a\n    label: A\n    leads_to: [b]\nsystemic_impacts:\n  - id: b\n    label: B\n    measures: [m]\nmeasures:\n  - id: m\n    label: M\n    kind: qualitative\n    source: s\n    frequency: yearly\nsources:\n  - id: s\n    label: S\n";

    #[test]
    fn identical_models_have_no_diff() {
        assert!(d(BASE, BASE).is_empty());
    }

    #[test]
    fn a_renamed_node_is_one_rename_not_removed_and_added() {
        let renamed = BASE.replace("id: b", "id: bee").replace("[b]", "[bee]");
        let diff = d(BASE, &renamed);
        assert_eq!(diff.nodes.len(), 1, "{diff:#?}");
        assert_eq!(diff.nodes[0].change, ChangeKind::Renamed);
        assert_eq!(diff.nodes[0].old_id.as_deref(), Some("b"));
        assert!(diff.links.is_empty(), "{:?}", diff.links);
        assert_eq!(d(&renamed, BASE), diff.inverted());
    }
}
