//! The diff as one JSON document, for tools.

use serde::Serialize;

use super::{Diff, Summary};

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
