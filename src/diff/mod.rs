//! The semantic diff of two compiled models: what a pull request changes in the theory of
//! change, not in the text.
//!
//! Both sides are compiled first; the diff compares items by id, field by field, through the
//! serialised form the schema describes (so every key of the format is compared), and
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

mod items;
mod json;
mod overlay;
mod renames;
pub mod results;
mod text;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::Compiled;
use crate::diagnostic::{Diagnostic, Severity};
use crate::layout::{DiffMarks, Mark};
use crate::lint::Code;
use crate::model::{Model, Stage};
use items::{Item, Kind, diff_kind, model_changes, read, word};
pub use json::to_json;
pub use overlay::overlay;
use renames::{Renames, find_renames};
pub use text::{summary_line, text};

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
    Stage::ALL.into_iter().find(|s| word(s) == key)
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
    /// Changes to the model's own settings (`title`, `layout`, `lints`…), in schema order.
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
    /// Stakeholders, sorted by id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stakeholders: Vec<ItemChange>,
    /// External factors, sorted by id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external_factors: Vec<ItemChange>,
    /// Unexpected changes, sorted by id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unexpected: Vec<ItemChange>,
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
            && self.stakeholders.is_empty()
            && self.external_factors.is_empty()
            && self.unexpected.is_empty()
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
            stakeholders: items(&self.stakeholders),
            external_factors: items(&self.external_factors),
            unexpected: items(&self.unexpected),
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
            .chain(&self.assumptions)
            .chain(&self.stakeholders)
            .chain(&self.external_factors)
            .chain(&self.unexpected);
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

/// Every link, as (from, to), sorted and without repeats.
fn links(nodes: &[Item]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = nodes
        .iter()
        .flat_map(|n| n.links.iter().map(|t| (n.id.clone(), t.clone())))
        .collect();
    out.sort();
    out.dedup();
    out
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
    let (a, b) = (read(old), read(new));
    let (oi, ni) = (&a.items, &b.items);
    let r = find_renames(oi, ni);
    let model = model_changes(&a, &b);
    let old_links = links(&oi[&Kind::Node]);
    let new_links = links(&ni[&Kind::Node]);
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
        stakeholders: kind(Kind::Stakeholder),
        external_factors: kind(Kind::ExternalFactor),
        unexpected: kind(Kind::Unexpected),
        checks: Checks {
            new: unmatched(new_diags, None, old_diags, Some(&r)),
            fixed: unmatched(old_diags, Some(&r), new_diags, None),
        },
    }
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
