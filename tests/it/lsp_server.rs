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

/// The protocol's position of the first `marker` in `text`: its line, and UTF-16 units
/// before it on that line.
fn position_of(text: &str, marker: &str) -> Value {
    let at = text.find(marker).unwrap_or_else(|| panic!("no {marker:?}"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    let character = text[line_start..at].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// The labels of the completions at the `|` in `text`, after `good` was opened, so that the
/// half-typed text takes its ids from the last good model.
fn completion_labels(lsp: &mut Client, uri: &str, version: i64, text: &str) -> Vec<String> {
    let position = position_of(text, "|");
    let text = text.replacen('|', "", 1);
    lsp.change(uri, version, &text);
    let result = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    let items = result
        .as_array()
        .or_else(|| result["items"].as_array())
        .cloned()
        .unwrap_or_default();
    let mut items: Vec<(String, String)> = items
        .iter()
        .map(|i| {
            let sort = i["sortText"].as_str().unwrap_or_default().to_string();
            (sort, i["label"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    items.sort();
    items.into_iter().map(|(_, l)| l).collect()
}

/// A model with one of everything a reference can name.
const GOOD: &str = "title: Mentoring
inputs:
  - id: mentors
    label: Volunteer mentors
    leads_to: [sessions]
activities:
  - id: sessions
    label: Weekly sessions
    leads_to: [confidence]
direct_impacts:
  - id: confidence
    label: More confidence
    description: Young people say they feel able to try new things.
    measures: [confidence-score]
measures:
  - id: confidence-score
    label: Confidence score
    unit: points
    baseline: 10
    target: 14
    source: survey
    frequency: termly
sources:
  - id: survey
    label: Termly survey
assumptions:
  - id: keep-coming
    text: Young people keep coming back
    status: challenged
    evidence: Attendance fell in the second term
    applies_to: [\"mentors -> sessions\", confidence]
";

#[test]
fn completion_offers_what_belongs_at_each_place_even_half_typed() {
    let dir = common::scratch("lsp-completion");
    let uri = uri_in(&dir, "model.yaml");
    let mut lsp = start();
    lsp.open(&uri, GOOD);
    lsp.diagnostics_at(&uri, 1);
    let half = |before: &str, after: &str| GOOD.replacen(before, after, 1);
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "node ids in a flow `leads_to`, the node itself left out, later stages first",
            half("leads_to: [sessions]", "leads_to: [|"),
            vec!["sessions", "confidence"],
        ),
        (
            "node ids after `to:` in a link mapping",
            half("leads_to: [confidence]", "leads_to:\n      - to: |"),
            vec!["confidence", "mentors"],
        ),
        (
            "measure ids in a node's `measures`",
            half("measures: [confidence-score]", "measures: [conf|"),
            vec!["confidence-score"],
        ),
        (
            "source ids after a measure's `source:`",
            half("source: survey", "source: |"),
            vec!["survey"],
        ),
        (
            "the nodes a link's start leads to inside `applies_to`",
            half("[\"mentors -> sessions\", confidence]", "[\"mentors -> |"),
            vec!["sessions"],
        ),
        (
            "words from the schema",
            half("status: challenged", "status: |"),
            vec!["challenged", "holding", "refuted", "untested"],
        ),
    ];
    for (version, (what, text, want)) in (2..).zip(cases) {
        let got = completion_labels(&mut lsp, &uri, version, &text);
        assert!(
            got.starts_with(&want.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            "{what}: got {got:?}, want {want:?} first"
        );
    }
    // Node ids inside `applies_to`, and keys from the schema.
    let text = half("[\"mentors -> sessions\", confidence]", "[conf|");
    let got = completion_labels(&mut lsp, &uri, 20, &text);
    assert!(
        got.contains(&"confidence".to_string()),
        "applies_to: {got:?}"
    );
    let text = half(
        "    frequency: termly\n",
        "    frequency: termly\n    dir|\n",
    );
    let got = completion_labels(&mut lsp, &uri, 21, &text);
    assert!(got.contains(&"direction".to_string()), "keys: {got:?}");
    lsp.shutdown();
}

#[test]
fn completion_items_show_the_label_and_stage() {
    let dir = common::scratch("lsp-completion-detail");
    let uri = uri_in(&dir, "model.yaml");
    let mut lsp = start();
    let text = GOOD.replacen("leads_to: [sessions]", "leads_to: [sessions, ]", 1);
    lsp.open(&uri, &text);
    let position = position_of(&text, ", ]");
    let position = json!({"line": position["line"], "character": position["character"].as_u64().unwrap_or(0) + 2});
    let result = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    let confidence = result
        .as_array()
        .and_then(|items| items.iter().find(|i| i["label"] == "confidence"))
        .unwrap_or_else(|| panic!("no confidence in {result}"))
        .clone();
    assert_eq!(confidence["detail"], "Direct impacts: More confidence");
    assert_eq!(
        confidence["documentation"]["value"],
        "Young people say they feel able to try new things."
    );
    lsp.shutdown();
}

#[test]
fn hover_on_an_id_shows_label_stage_measures_assumptions_and_chain() {
    let dir = common::scratch("lsp-hover");
    let uri = uri_in(&dir, "model.yaml");
    let mut lsp = start();
    lsp.open(&uri, GOOD);
    // On a reference inside an `applies_to` link, not the definition.
    let mut position = position_of(GOOD, "sessions\", confidence]");
    position["character"] = json!(position["character"].as_u64().unwrap_or(0) + 3);
    let hover = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("**Weekly sessions** · activity `sessions`"),
        "{text}"
    );
    assert!(
        text.contains("`keep-coming` (challenged): Young people keep coming back"),
        "{text}"
    );
    assert!(
        text.contains("Chain: `mentors` → **`sessions`** → `confidence`"),
        "{text}"
    );
    let position = position_of(GOOD, "confidence\n    label");
    let hover = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        text.contains("Young people say they feel able to try new things."),
        "{text}"
    );
    assert!(
        text.contains("- `confidence-score` Confidence score: points, 10 → 14, no results yet"),
        "{text}"
    );
    assert_eq!(hover["range"]["start"], position);
    lsp.shutdown();
}

#[test]
fn document_symbols_outline_the_model_by_stage() {
    let dir = common::scratch("lsp-symbols");
    let uri = uri_in(&dir, "model.yaml");
    let mut lsp = start();
    lsp.open(&uri, GOOD);
    let result = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let outline: Vec<String> = result
        .as_array()
        .map(|groups| {
            groups
                .iter()
                .map(|g| {
                    let kids: Vec<&str> = g["children"]
                        .as_array()
                        .map(|c| c.iter().filter_map(|c| c["name"].as_str()).collect())
                        .unwrap_or_default();
                    format!(
                        "{}: {}",
                        g["name"].as_str().unwrap_or_default(),
                        kids.join(", ")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        outline,
        [
            "Inputs: mentors",
            "Activities: sessions",
            "Direct impacts: confidence",
            "Measures: confidence-score",
            "Sources: survey",
            "Assumptions: keep-coming",
        ]
    );
    lsp.shutdown();
}

/// (code, 1-based line) of each diagnostic `elmo check --format json` reports for `path`'s
/// files, by file path.
fn check_json(path: &std::path::Path) -> Vec<(String, Vec<(String, u64)>)> {
    let out = common::elmo(&["check", "--format", "json", &path.display().to_string()]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let mut found: Vec<(String, u64)> = f["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or_default().to_string(),
                        d["line"].as_u64().unwrap_or(0),
                    )
                })
                .collect();
            found.sort();
            (f["path"].as_str().unwrap_or_default().to_string(), found)
        })
        .collect()
}

/// (code, 1-based line) of each diagnostic in a publishDiagnostics notification.
fn published(params: &Value) -> Vec<(String, u64)> {
    let mut found: Vec<(String, u64)> = params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(0) + 1,
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn the_editor_gets_exactly_the_diagnostics_of_elmo_check() {
    let mut models = common::model_paths();
    models.push((
        "broken-results".into(),
        common::root().join("tests/fixtures/check-results/broken/model.yaml"),
    ));
    let mut lsp = start();
    for (name, path) in models {
        let text = std::fs::read_to_string(&path).expect("model");
        let uri = format!("file://{}", path.display());
        lsp.open(&uri, &text);
        let files = check_json(&path);
        let (_, want) = &files[0];
        assert_eq!(&published(&lsp.diagnostics(&uri)), want, "{name}");
        // Results files' diagnostics go to the CSV's own URI.
        for (csv, want) in &files[1..] {
            let csv_uri = format!("file://{csv}");
            assert_eq!(
                &published(&lsp.diagnostics(&csv_uri)),
                want,
                "{name}: {csv}"
            );
        }
    }
    lsp.shutdown();
}

#[test]
fn results_diagnostics_go_to_the_csv_and_are_cleared_when_it_is_dropped() {
    let model = common::root().join("tests/fixtures/check-results/broken/model.yaml");
    let csv_uri = format!("file://{}", model.with_file_name("results.csv").display());
    let uri = format!("file://{}", model.display());
    let text = std::fs::read_to_string(&model).expect("model");
    let mut lsp = start();
    lsp.open(&uri, &text);
    let csv = lsp.diagnostics(&csv_uri);
    let unknown = csv["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["code"] == "result-unknown-measure"))
        .unwrap_or_else(|| panic!("{csv}"))
        .clone();
    assert_eq!(
        unknown["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    lsp.change(&uri, 2, &text.replacen("results: [results.csv]\n", "", 1));
    let cleared = lsp.diagnostics(&csv_uri);
    assert_eq!(cleared["diagnostics"], json!([]));
    lsp.shutdown();
}

#[test]
fn broken_and_half_typed_documents_never_stop_the_server() {
    let dir = common::scratch("lsp-robust");
    let uri = uri_in(&dir, "model.yaml");
    let mut texts: Vec<String> = Vec::new();
    for (_, model) in common::models() {
        // Cut mid-line every few lines: each a document being typed from the top.
        let lines: Vec<usize> = model.match_indices('\n').map(|(i, _)| i).collect();
        let mut start = 0;
        for (n, &end) in lines.iter().enumerate() {
            if n % 5 == 0 {
                let mut cut = start + (end - start) / 2;
                while !model.is_char_boundary(cut) {
                    cut -= 1;
                }
                texts.push(model[..cut].to_string());
            }
            start = end + 1;
        }
    }
    let corpus = common::root().join("fuzz/corpus/compile_render");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .expect("the fuzz corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).expect("corpus file");
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    let mut lsp = start();
    lsp.open(&uri, "");
    for (version, text) in (2..).zip(&texts) {
        lsp.change(&uri, version, text);
        // A request compiles the text at once; each ask for completion at the end, where
        // typing happens, and for a hover in the middle.
        let end = position_at(text, text.len());
        lsp.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": end}),
        );
        let middle = position_at(text, text.len() / 2);
        lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": middle}),
        );
    }
    let last = 1 + texts.len() as i64;
    lsp.diagnostics_at(&uri, last);
    lsp.shutdown();
}

/// The protocol's position of byte `offset` (moved back to a character's start) in `text`.
fn position_at(text: &str, mut offset: usize) -> Value {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({
        "line": text[..offset].matches('\n').count(),
        "character": text[line_start..offset].encode_utf16().count(),
    })
}

#[test]
fn neovim_shows_the_diagnostic_completes_ids_and_saves_the_fix() {
    if !common::require(
        "nvim",
        &["--version"],
        "neovim_shows_the_diagnostic_completes_ids_and_saves_the_fix",
    ) {
        return;
    }
    let dir = common::scratch("lsp-neovim");
    let model = dir.join("model.yaml");
    let broken = common::MENTORING.replace("[sessions]", "[sesions]");
    std::fs::write(&model, &broken).expect("write the model");
    let report = common::neovim("lsp.lua", &dir, &model, &[]);
    assert_eq!(report["diagnostic_arrived"], true, "{report}");
    let unknown = report["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["code"] == "unknown-reference"))
        .unwrap_or_else(|| panic!("no unknown-reference: {report}"));
    // `    leads_to: [sesions]` is line 4 (0-based), the id at column 15.
    assert_eq!(
        (&unknown["line"], &unknown["col"]),
        (&json!(4), &json!(15)),
        "{report}"
    );
    assert!(
        unknown["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `sessions`?")),
        "{report}"
    );
    let labels: Vec<&str> = report["completion"]
        .as_array()
        .map(|c| c.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(labels, ["sessions"], "{report}");
    assert_eq!(report["diagnostic_cleared"], true, "{report}");
    let saved = std::fs::read_to_string(&model).expect("the saved model");
    assert_eq!(saved, common::MENTORING);
}

#[test]
fn published_diagnostics_carry_code_link_severity_help_related_places_and_tags() {
    let dir = common::scratch("lsp-snapshot");
    let uri = uri_in(&dir, "model.yaml");
    let text = "title: Snapshot
inputs:
  - id: staff
    label: Staff
    leads_to: [sesions]
activities:
  - id: sessions
    label: Sessions
    leads_to: [better]
  - id: staff
    label: Staff again
direct_impacts:
  - id: better
    label: Things get better
measures:
  - id: spare
    label: Nobody uses this
";
    let mut lsp = start();
    lsp.open(&uri, text);
    let mut published = lsp.diagnostics(&uri);
    lsp.shutdown();
    let redacted = published.to_string().replace(&uri, "file:///model.yaml");
    published = serde_json::from_str(&redacted).expect("JSON");
    insta::assert_json_snapshot!("lsp-published-diagnostics", published);
}
