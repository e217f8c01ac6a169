//! The JSON Schema of the file format, and the keys each item may have, read from it.

use std::collections::HashMap;
use std::sync::OnceLock;

use schemars::JsonSchema;

use super::{Allow, Lints, Model};
use crate::lint::{Code, Level};
use crate::vocab::Vocab;

impl JsonSchema for Allow {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Allow".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes = configurable_codes();
        schemars::json_schema!({
            "description": "A lint code to silence here, or `{code, reason}` to record why.",
            "oneOf": [
                {"type": "string", "enum": codes},
                {"type": "object", "additionalProperties": false, "required": ["code"],
                 "properties": {
                    "code": {"type": "string", "enum": codes, "description": "The lint code.",
                             "examples": ["unmeasured-outcome"]},
                    "reason": {"type": "string", "description": "Why this exception is deliberate.",
                               "examples": ["No local data on community safety exists yet"]}
                 }}
            ]
        })
    }
}

impl JsonSchema for Lints {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Lints".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let props: serde_json::Map<String, serde_json::Value> = configurable_codes()
            .into_iter()
            .map(|c| {
                let summary = c
                    .parse::<Code>()
                    .map(|c| c.lint().summary)
                    .unwrap_or_default();
                (
                    c.to_string(),
                    serde_json::json!({
                        "enum": Level::words(),
                        "description": summary,
                        "examples": [Level::Deny],
                    }),
                )
            })
            .collect();
        schemars::json_schema!({
            "type": "object",
            "description": "Lint levels for this file.",
            "additionalProperties": false,
            "properties": props,
        })
    }
}

pub(super) fn configurable_codes() -> Vec<&'static str> {
    Code::ALL
        .iter()
        .filter(|c| c.lint().configurable)
        .map(|c| c.as_str())
        .collect()
}

/// The keys each item may have, read from the schema generated from the types above.
pub(super) fn known_keys(item: &str) -> &'static [String] {
    static KEYS: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let schema = serde_json::to_value(schemars::schema_for!(Model)).unwrap_or_default();
        // An item written either as a word or as a mapping (`allow`) lists its keys under `oneOf`.
        fn props(v: &serde_json::Value) -> Vec<String> {
            let own = v.get("properties").and_then(|p| p.as_object());
            let alternatives = v.get("oneOf").and_then(|o| o.as_array());
            match (own, alternatives) {
                (Some(p), _) => p.keys().cloned().collect(),
                (None, Some(alts)) => alts.iter().flat_map(props).collect(),
                (None, None) => Vec::new(),
            }
        }
        let mut map = HashMap::new();
        map.insert("Model".to_string(), props(&schema));
        if let Some(defs) = schema.get("$defs").and_then(|d| d.as_object()) {
            for (name, def) in defs {
                map.insert(name.clone(), props(def));
            }
        }
        map
    });
    keys.get(item).map_or(&[], Vec::as_slice)
}

/// The JSON Schema of the file format.
pub fn schema() -> serde_json::Value {
    let mut value = serde_json::to_value(schemars::schema_for!(Model)).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "$id".into(),
            "https://elmo.invalid/schema/elmo-1.json".into(),
        );
        obj.insert(
            "description".into(),
            "A logic model (theory of change) checked and drawn by elmo.".into(),
        );
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_come_from_the_schema() {
        let node = known_keys("Node");
        for k in [
            "id",
            "label",
            "description",
            "leads_to",
            "measures",
            "allow",
        ] {
            assert!(node.iter().any(|n| n == k), "Node lacks {k}");
        }
        assert!(
            !node.iter().any(|n| n == "span"),
            "internal span leaked into schema"
        );
        assert!(known_keys("Model").iter().any(|k| k == "systemic_impacts"));
        assert!(known_keys("Measure").iter().any(|k| k == "proxy_for"));
        assert!(known_keys("Source").iter().any(|k| k == "personal_data"));
        for k in ["numerator", "direction", "timing", "cohort", "comparison"] {
            assert!(
                known_keys("Measure").iter().any(|n| n == k),
                "Measure lacks {k}"
            );
        }
        assert!(known_keys("Source").iter().any(|k| k == "shared_with"));
        assert!(
            known_keys("Model")
                .iter()
                .any(|k| k == "accountability_ceiling")
        );
        assert!(known_keys("Assumption").iter().any(|k| k == "applies_to"));
    }
}
