//! What an item is to the diff, and how two of them are compared.
//!
//! Items are read through their serialised form, the form `elmo schema` describes, so every
//! key the model writes is compared, under its file-format name and in the order the schema
//! lists the keys. A field added to the model is compared without the diff being told. Only
//! two things here are the diff's own: which keys refer to other items (so that comparisons
//! can follow renames through them), and which absent keys still mean a value (an absent
//! `status` is `untested`, so writing `status: untested` changes nothing).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::renames::Renames;
use super::{ChangeKind, FieldChange, ItemChange, sort_items};
use crate::model::{Assumption, Fit, LayoutMode, Measure, MeasureKind, Model, Node, Source};
use crate::model::{ExternalFactor, Stage, Stakeholder, Status, Unexpected};

/// The kinds of item the diff matches by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Kind {
    Node,
    Measure,
    Source,
    Assumption,
    Stakeholder,
    ExternalFactor,
    Unexpected,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::Node,
        Kind::Measure,
        Kind::Source,
        Kind::Assumption,
        Kind::Stakeholder,
        Kind::ExternalFactor,
        Kind::Unexpected,
    ];

    /// The key whose text names the item in the diff's output.
    fn label_key(self) -> &'static str {
        match self {
            Kind::Assumption | Kind::ExternalFactor | Kind::Unexpected => "text",
            _ => "label",
        }
    }

    /// The compared keys of this kind, in schema order: every key but `id` (what the item is
    /// matched by). A node's `leads_to` is reported as links, and compared as a field only
    /// for the reasons links carry. A node's `stage`, which the file gives by where the node
    /// is written, follows its label.
    pub(super) fn keys(self) -> &'static [String] {
        static KEYS: OnceLock<HashMap<Kind, Vec<String>>> = OnceLock::new();
        let all = KEYS.get_or_init(|| {
            Kind::ALL
                .into_iter()
                .map(|kind| {
                    let schema = match kind {
                        Kind::Node => schema_keys::<Node>(),
                        Kind::Measure => schema_keys::<Measure>(),
                        Kind::Source => schema_keys::<Source>(),
                        Kind::Assumption => schema_keys::<Assumption>(),
                        Kind::Stakeholder => schema_keys::<Stakeholder>(),
                        Kind::ExternalFactor => schema_keys::<ExternalFactor>(),
                        Kind::Unexpected => schema_keys::<Unexpected>(),
                    };
                    let mut keys = Vec::new();
                    for k in schema.into_iter().filter(|k| k != "id") {
                        let after = kind == Kind::Node && k == kind.label_key();
                        keys.push(k);
                        if after {
                            keys.push(STAGE.to_string());
                        }
                    }
                    (kind, keys)
                })
                .collect()
        });
        all.get(&self).map_or(&[], Vec::as_slice)
    }

    /// The keys of the model that hold items of this kind, with the stage each gives them.
    fn lists(self) -> Vec<(String, Option<Stage>)> {
        let one = |key: &str| vec![(key.to_string(), None)];
        match self {
            Kind::Node => Stage::ALL.map(|s| (word(s), Some(s))).into(),
            Kind::Measure => one("measures"),
            Kind::Source => one("sources"),
            Kind::Assumption => one("assumptions"),
            Kind::Stakeholder => one("stakeholders"),
            Kind::ExternalFactor => one("external_factors"),
            Kind::Unexpected => one("unexpected"),
        }
    }

    /// How the value under `key` refers to other items, if it does.
    fn reference(self, key: &str) -> Option<Reference> {
        match (self, key) {
            (Kind::Node, "measures") => Some(Reference::Many(Kind::Measure)),
            (Kind::Node, "concerns") => Some(Reference::Many(Kind::Stakeholder)),
            (Kind::Node, "leads_to") => Some(Reference::Reasons),
            (Kind::ExternalFactor, "affects") => Some(Reference::Many(Kind::Node)),
            (Kind::Measure, "source") => Some(Reference::One(Kind::Source)),
            (Kind::Assumption, "applies_to") => Some(Reference::Targets),
            _ => None,
        }
    }
}

/// The word a value of the model's vocabulary (a stage, a severity) is written as: its
/// serialised form, so the text, the JSON and the file say the same.
pub(super) fn word(v: impl Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(Json::String(w)) => w,
        _ => String::new(),
    }
}

/// The pseudo-key of a node's stage.
const STAGE: &str = "stage";

enum Reference {
    One(Kind),
    Many(Kind),
    Targets,
    Reasons,
}

/// The value an absent key stands for, where absence means a value: `owner` is the kind of
/// item, or `None` for the model's own settings.
fn implied(owner: Option<Kind>, key: &str) -> Option<Json> {
    match (owner, key) {
        (Some(Kind::Measure), "kind") => serde_json::to_value(MeasureKind::default()).ok(),
        (Some(Kind::Assumption), "status") => serde_json::to_value(Status::default()).ok(),
        (None, "layout") => serde_json::to_value(LayoutMode::default()).ok(),
        (None, "fit") => serde_json::to_value(Fit::default()).ok(),
        _ => None,
    }
}

/// The property names the schema of `T` lists, in declaration order.
fn schema_keys<T: JsonSchema>() -> Vec<String> {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    schema
        .as_value()
        .get("properties")
        .and_then(Json::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// A field's value, and how its references are mapped through renames.
#[derive(Debug, Clone)]
pub(super) enum Value {
    /// Plain text, compared as is.
    Text(Option<String>),
    /// One id of `Kind`.
    Ref(Kind, Option<String>),
    /// A set of ids of `Kind`, shown in file order.
    Refs(Kind, Vec<String>),
    /// `applies_to`: node ids and `from -> to` links.
    Targets(Vec<String>),
    /// The reasons a node's links give: the id each link reaches, and its reasons as text.
    /// Links without reasons are left out; the diff reports links themselves as links.
    Reasons(Vec<(String, String)>),
}

/// An item reduced to what the diff compares.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) id: String,
    pub(super) label: String,
    pub(super) stage: Option<Stage>,
    /// The values of [`Kind::keys`], in that order.
    pub(super) fields: Vec<Value>,
    /// Compared for renames only: a node's links, which the diff reports as links.
    pub(super) links: Vec<String>,
}

/// A model as the diff reads it: its items by kind, and its own settings.
pub(super) struct Side {
    /// Every item, by kind, in file order.
    pub(super) items: BTreeMap<Kind, Vec<Item>>,
    /// The serialised model without its lists of items.
    settings: Map<String, Json>,
}

/// Reads `m` through its serialised form, once.
pub(super) fn read(m: &Model) -> Side {
    let mut settings = match serde_json::to_value(m) {
        Ok(Json::Object(map)) => map,
        _ => Map::new(),
    };
    let mut items = BTreeMap::new();
    for kind in Kind::ALL {
        let mut list = Vec::new();
        for (key, stage) in kind.lists() {
            if let Some(Json::Array(entries)) = settings.remove(&key) {
                list.extend(
                    entries
                        .iter()
                        .filter_map(Json::as_object)
                        .map(|e| item(kind, e, stage)),
                );
            }
        }
        items.insert(kind, list);
    }
    Side { items, settings }
}

fn item(kind: Kind, map: &Map<String, Json>, stage: Option<Stage>) -> Item {
    let text = |k: &str| map.get(k).and_then(Json::as_str).unwrap_or_default();
    let fields = kind
        .keys()
        .iter()
        .map(|k| {
            let stage = stage.filter(|_| k == STAGE).map(|s| Json::String(word(s)));
            let implied = implied(Some(kind), k);
            let json = stage.as_ref().or(map.get(k)).or(implied.as_ref());
            value(kind, k, json)
        })
        .collect();
    Item {
        id: text("id").to_string(),
        label: text(kind.label_key()).to_string(),
        stage,
        fields,
        links: link_targets(map.get("leads_to")),
    }
}

fn value(kind: Kind, key: &str, json: Option<&Json>) -> Value {
    match kind.reference(key) {
        Some(Reference::One(k)) => Value::Ref(k, json.and_then(words)),
        Some(Reference::Many(k)) => Value::Refs(k, entries(json)),
        Some(Reference::Targets) => Value::Targets(entries(json)),
        Some(Reference::Reasons) => Value::Reasons(reasons(json)),
        None => Value::Text(json.and_then(words)),
    }
}

/// The entries of a list, each as text, in file order.
fn entries(json: Option<&Json>) -> Vec<String> {
    match json {
        Some(Json::Array(list)) => list.iter().map(part).collect(),
        _ => Vec::new(),
    }
}

/// The ids a `leads_to` list links to, in file order, whether written as ids or mappings.
fn link_targets(json: Option<&Json>) -> Vec<String> {
    match json {
        Some(Json::Array(list)) => list
            .iter()
            .map(|e| match e.get("to") {
                Some(to) => part(to),
                None => part(e),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The links of a `leads_to` list that give reasons: each target with the rest of the entry.
fn reasons(json: Option<&Json>) -> Vec<(String, String)> {
    let Some(Json::Array(list)) = json else {
        return Vec::new();
    };
    list.iter()
        .filter_map(Json::as_object)
        .map(|entry| {
            let to = entry.get("to").map(part).unwrap_or_default();
            let mut rest = entry.clone();
            rest.shift_remove("to");
            (to, words(&Json::Object(rest)).unwrap_or_default())
        })
        .collect()
}

/// A serialised value as people read it: a scalar as written (`37`, not `37.0`), a list as
/// its entries sorted and joined with `, ` (lists in the model are sets), and an entry with
/// parts (an `allow` with a reason, a lint and its level) as the parts joined with `: `.
/// `None` when not set or empty.
fn words(json: &Json) -> Option<String> {
    let text = match json {
        Json::Null => return None,
        Json::Array(list) => {
            let mut parts: Vec<String> = list.iter().map(part).collect();
            parts.sort();
            parts.join(", ")
        }
        Json::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", part(v)))
            .collect::<Vec<_>>()
            .join(", "),
        scalar => part(scalar),
    };
    (!text.is_empty()).then_some(text)
}

fn part(json: &Json) -> String {
    match json {
        Json::Null => String::new(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.to_string(),
            (_, Some(i), _) => i.to_string(),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        Json::String(s) => s.clone(),
        Json::Array(list) => join_parts(list.iter()),
        Json::Object(map) => join_parts(map.values()),
    }
}

fn join_parts<'a>(parts: impl Iterator<Item = &'a Json>) -> String {
    parts.map(part).collect::<Vec<_>>().join(": ")
}

/// The model's own settings that differ, in schema order. The lists of items were taken out
/// of both sides when they were read, so they compare as equal here.
pub(super) fn model_changes(old: &Side, new: &Side) -> Vec<FieldChange> {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    let keys = KEYS.get_or_init(schema_keys::<Model>);
    let setting = |side: &Side, k: &str| {
        side.settings
            .get(k)
            .cloned()
            .or_else(|| implied(None, k))
            .as_ref()
            .and_then(words)
    };
    keys.iter()
        .filter_map(|k| {
            let (old, new) = (setting(old, k), setting(new, k));
            (old != new).then(|| FieldChange {
                field: k.clone(),
                old,
                new,
            })
        })
        .collect()
}

/// A value with old references mapped to new ids, in a form where equal means the same.
pub(super) fn canonical(v: &Value, r: &Renames) -> Vec<String> {
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
        Value::Reasons(list) => {
            let mut out: Vec<String> = list
                .iter()
                .map(|(to, why)| format!("{}: {why}", r.map(Kind::Node, to)))
                .collect();
            out.sort();
            out.dedup();
            out
        }
    }
}

/// A value as shown to people: lists of references joined in file order.
fn shown(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) | Value::Ref(_, t) => t.clone(),
        Value::Refs(_, list) | Value::Targets(list) => (!list.is_empty()).then(|| list.join(", ")),
        Value::Reasons(list) => (!list.is_empty()).then(|| {
            list.iter()
                .map(|(to, why)| format!("{to} ({why})"))
                .collect::<Vec<_>>()
                .join("; ")
        }),
    }
}

/// Whether the value refers to other items (and so can change when they are renamed).
pub(super) fn is_reference(v: &Value) -> bool {
    !matches!(v, Value::Text(_))
}

/// The changes to the items of `kind`: renamed, removed, changed (field by field) and added.
pub(super) fn diff_kind(kind: Kind, old: &[Item], new: &[Item], r: &Renames) -> Vec<ItemChange> {
    let renamed: HashMap<&str, &str> = r.of(kind);
    let renamed_to: HashSet<&str> = renamed.values().copied().collect();
    let new_by_id: HashMap<&str, &Item> = new.iter().map(|i| (i.id.as_str(), i)).collect();
    let old_ids: HashSet<&str> = old.iter().map(|i| i.id.as_str()).collect();
    let whole = |change: ChangeKind, i: &Item, old_id: Option<String>| ItemChange {
        change,
        id: i.id.clone(),
        old_id,
        label: i.label.clone(),
        stage: i.stage,
        fields: Vec::new(),
    };
    let mut out = Vec::new();
    for a in old {
        if let Some(&to) = renamed.get(a.id.as_str()) {
            out.push(whole(
                ChangeKind::Renamed,
                new_by_id[to],
                Some(a.id.clone()),
            ));
            continue;
        }
        let Some(b) = new_by_id.get(a.id.as_str()) else {
            out.push(whole(ChangeKind::Removed, a, None));
            continue;
        };
        let fields: Vec<FieldChange> = kind
            .keys()
            .iter()
            .zip(a.fields.iter().zip(&b.fields))
            .filter(|(_, (va, vb))| canonical(va, r) != canonical(vb, r))
            .map(|(k, (va, vb))| FieldChange {
                field: k.clone(),
                old: shown(va),
                new: shown(vb),
            })
            .collect();
        if !fields.is_empty() {
            out.push(ItemChange {
                fields,
                ..whole(ChangeKind::Changed, b, None)
            });
        }
    }
    for b in new {
        if !old_ids.contains(b.id.as_str()) && !renamed_to.contains(b.id.as_str()) {
            out.push(whole(ChangeKind::Added, b, None));
        }
    }
    sort_items(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serialised_values_read_as_written() {
        assert_eq!(words(&json!(37.0)).as_deref(), Some("37"), "no trailing .0");
        assert_eq!(words(&json!(7.5)).as_deref(), Some("7.5"));
        assert_eq!(words(&json!(true)).as_deref(), Some("true"));
        assert_eq!(words(&json!(null)), None);
        assert_eq!(words(&json!([])), None, "an empty list is not set");
        assert_eq!(
            words(
                &json!([{"code": "unused-source", "reason": "Kept for later"}, "comment-in-text"])
            )
            .as_deref(),
            Some("comment-in-text, unused-source: Kept for later"),
            "entries sorted, an entry's parts joined"
        );
        assert_eq!(
            words(&json!([["unmeasured-output", "deny"]])).as_deref(),
            Some("unmeasured-output: deny")
        );
    }

    #[test]
    fn every_kind_compares_every_key_but_its_id() {
        for kind in Kind::ALL {
            let keys = kind.keys();
            assert!(keys.iter().any(|k| k == kind.label_key()), "{kind:?}");
            assert!(!keys.iter().any(|k| k == "id"), "{kind:?}");
        }
        let node = Kind::Node.keys();
        assert_eq!(node[..2], ["label".to_string(), STAGE.to_string()]);
        assert!(
            matches!(Kind::Node.reference("leads_to"), Some(Reference::Reasons)),
            "links are reported as links, and only their reasons compared as a field"
        );
    }

    #[test]
    fn a_link_s_reasons_are_compared_and_plain_links_are_left_to_the_links() {
        let list = json!(["b", {"to": "c", "because": "Why", "strength": 3}]);
        assert_eq!(link_targets(Some(&list)), ["b", "c"]);
        let v = value(Kind::Node, "leads_to", Some(&list));
        assert_eq!(
            canonical(&v, &Renames::default()),
            ["c: because: Why, strength: 3"]
        );
    }
}
