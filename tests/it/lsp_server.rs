//! `elmo lsp` driven as an editor drives it: a child process spoken to over standard input
//! and output, one test per feature.

mod client;

use serde_json::{Value, json};

use crate::common;
use client::Client;

/// `elmo lsp`, started and initialised.
fn start() -> Client {
    let mut command = common::command();
    command.arg("lsp");
    Client::start(command, json!({}))
}

/// A `file:` URI for `name` in a scratch folder that exists, so results paths resolve.
fn uri_in(dir: &std::path::Path, name: &str) -> String {
    format!("file://{}", dir.join(name).display())
}

#[test]
fn diagnostics_use_utf16_columns_after_accents_and_emoji() {
    let dir = common::scratch("lsp-utf16");
    let uri = uri_in(&dir, "model.yaml");
    let text =
        "title: Café\ninputs:\n  - {id: cafe-é, label: \"Séances 😀\", leads_to: [mentorng]}\n";
    let mut lsp = start();
    lsp.open(&uri, text);
    let published = lsp.diagnostics(&uri);
    let d = published["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["code"] == "unknown-reference"))
        .unwrap_or_else(|| panic!("no unknown-reference in {published}"))
        .clone();
    // 48 characters precede `mentorng`; the emoji is two UTF-16 units, so 49.
    assert_eq!(
        d["range"],
        json!({"start": {"line": 2, "character": 49}, "end": {"line": 2, "character": 57}})
    );
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "elmo");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("/lints/unknown-reference.html")),
        "{d}"
    );
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("`mentorng`") && m.contains("\nhelp: ")),
        "{d}"
    );
    lsp.shutdown();
}

#[test]
fn a_change_republishes_and_a_fix_clears_the_diagnostics() {
    let dir = common::scratch("lsp-change");
    let uri = uri_in(&dir, "model.yaml");
    let mut lsp = start();
    let broken = common::MENTORING.replace("[sessions]", "[sesions]");
    lsp.open(&uri, &broken);
    let first = lsp.diagnostics_at(&uri, 1);
    assert!(
        first["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["code"] == "unknown-reference")),
        "{first}"
    );
    lsp.change(&uri, 2, common::MENTORING);
    let fixed = lsp.diagnostics_at(&uri, 2);
    let codes: Vec<&Value> = fixed["diagnostics"]
        .as_array()
        .map(|d| d.iter().map(|d| &d["code"]).collect())
        .unwrap_or_default();
    assert!(!codes.iter().any(|c| *c == "unknown-reference"), "{fixed}");
    lsp.shutdown();
}
