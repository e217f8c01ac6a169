//! Finding renames: an id that disappears while an item of the same kind and the same
//! content appears under a new id, matched one to one (see the module documentation of
//! [`crate::diff`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::items::{Item, Kind, Value, canonical, is_reference};
use crate::model::Target;

/// Old ids to new ids, per kind. Ids not in it map to themselves.
#[derive(Debug, Default, Clone)]
pub(super) struct Renames(HashMap<Kind, HashMap<String, String>>);

impl Renames {
    /// The new id of `id`, an old id of `kind`.
    pub(super) fn map<'a>(&'a self, kind: Kind, id: &'a str) -> &'a str {
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

    /// An `applies_to` entry or a diagnostic's subject with its ids mapped: a node id, or a
    /// link written `from -> to` (spaced that way, however the file spaced it).
    pub(super) fn target(&self, t: &str) -> String {
        match Target::read(t) {
            Target::Link { from, to } => format!(
                "{} -> {}",
                self.map(Kind::Node, &from),
                self.map(Kind::Node, &to)
            ),
            Target::Node(id) => self.map_any(id.trim()).to_string(),
        }
    }

    /// The renames of `kind`, old id to new.
    pub(super) fn of(&self, kind: Kind) -> HashMap<&str, &str> {
        self.0
            .get(&kind)
            .map(|m| m.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect())
            .unwrap_or_default()
    }
}

/// An item's plain fields in order, references left out: two items can only be one item
/// renamed when these are equal, so renames are matched on them by hashing, not by comparing
/// every removed item with every added one.
type Signature = Vec<Option<Vec<String>>>;

fn signature(item: &Item) -> Signature {
    let empty = Renames::default();
    item.fields
        .iter()
        .map(|v| (!is_reference(v)).then(|| canonical(v, &empty)))
        .collect()
}

/// The ids an (old) item refers to, whatever their kind: when one of them stops being a
/// rename, whether this item is one must be looked at again.
fn referenced(item: &Item) -> Vec<&str> {
    let mut out: Vec<&str> = item.links.iter().map(String::as_str).collect();
    for v in &item.fields {
        match v {
            Value::Text(_) => {}
            Value::Ref(_, t) => out.extend(t.as_deref()),
            Value::Refs(_, list) => out.extend(list.iter().map(String::as_str)),
            Value::Targets(list) => {
                for t in list {
                    out.extend(Target::ids_in(t));
                }
            }
            Value::Reasons(list) => out.extend(list.iter().map(|(to, _)| to.as_str())),
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
        .all(|(va, vb)| !is_reference(va) || canonical(va, r) == canonical(vb, r));
    let mut la: Vec<&str> = a.links.iter().map(|x| r.map(Kind::Node, x)).collect();
    let mut lb: Vec<&str> = b.links.iter().map(String::as_str).collect();
    la.sort_unstable();
    la.dedup();
    lb.sort_unstable();
    lb.dedup();
    refs_equal && la == lb
}

/// The renames between the items of two models.
pub(super) fn find_renames(
    old: &BTreeMap<Kind, Vec<Item>>,
    new: &BTreeMap<Kind, Vec<Item>>,
) -> Renames {
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
