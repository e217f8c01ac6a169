//! `elmo lsp` navigation and quick fixes, driven as an editor drives them over stdio: go to
//! definition, find references, rename (through `applies_to` strings, and refused), and each
//! code action applied the way a client applies it, with the edited text snapshotted.

// The protocol tests' client, compiled here too (as the latency bench does) rather than made
// public from the server's test module.
#[allow(dead_code, clippy::duplicate_mod)]
#[path = "lsp_server/client.rs"]
mod client;

use serde_json::{Value, json};

use crate::common;
use client::Client;

/// A model as a programme lead drafts it: accents and an emoji before the ids (so UTF-16
/// columns differ from characters and bytes), quoted ids, links in `applies_to`, comments.
const MODEL: &str = "\
# Mentorat, as drafted
title: Mentorat — pilote
inputs:
  - id: bénévoles        # volunteers
    label: Bénévoles 😀 formés
    leads_to: [séances]
activities:
  - id: séances
    label: Séances hebdomadaires
    leads_to: [rencontres]
outputs:
  - id: rencontres
    label: Rencontres 😀 tenues
    measures: [présence]
    leads_to: [\"confiance\"]
direct_impacts:
  - id: confiance
    label: Jeunes plus confiants
measures:
  - id: présence
    label: Présence
    unit: people
    baseline: 0
    target: 40
    source: registre
    frequency: monthly
sources:
  - id: registre
    label: Registre
assumptions:
  - id: ils-restent
    text: Les bénévoles restent un an
    applies_to: [\"bénévoles -> séances\", 'séances -> rencontres', confiance]
";

/// `elmo lsp` with `text` open at a scratch `file:` URI.
fn open(name: &str, text: &str) -> (Client, String) {
    let dir = common::scratch(name);
    let uri = format!("file://{}", dir.join("model.yaml").display());
    let mut command = common::command();
    command.arg("lsp");
    let mut lsp = Client::start(command, json!({}));
    lsp.open(&uri, text);
    (lsp, uri)
}

/// The protocol position (UTF-16 columns) of the `nth` occurrence of `needle`, `skip` bytes
/// into it.
fn position(text: &str, needle: &str, nth: usize, skip: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth}"))
        .0
        + skip;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    let character: usize = text[line_start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The byte offset of a protocol position.
fn offset(text: &str, p: &Value) -> usize {
    let line = p["line"].as_u64().expect("line") as usize;
    let units = p["character"].as_u64().expect("character") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut seen = 0;
    for (i, c) in text[start..].char_indices() {
        if seen >= units || c == '\n' {
            return start + i;
        }
        seen += c.len_utf16();
    }
    text.len()
}

/// The text of `range`.
fn text_of<'t>(text: &'t str, range: &Value) -> &'t str {
    &text[offset(text, &range["start"])..offset(text, &range["end"])]
}

/// `text` after a workspace edit's changes to `uri`, applied as a client applies them.
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let changes = edit["changes"].as_object().expect("changes");
    assert_eq!(changes.len(), 1, "edits only the open document: {edit}");
    let mut spans: Vec<(usize, usize, usize, String)> = changes[uri]
        .as_array()
        .expect("edits")
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let start = offset(text, &e["range"]["start"]);
            let end = offset(text, &e["range"]["end"]);
            (
                start,
                end,
                i,
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    // Last first, so earlier offsets hold; at one place, the later edit first, so the text
    // ends up in the order given.
    spans.sort_by_key(|s| std::cmp::Reverse((s.0, s.2)));
    let mut out = text.to_string();
    for (start, end, _, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn definition_from_a_reference_inside_quotes_and_an_applies_to_link() {
    let (mut lsp, uri) = open("lsp-nav-definition", MODEL);
    let definition = position(MODEL, "id: confiance", 0, 4);
    for at in [
        position(MODEL, "\"confiance\"", 0, 3),
        position(MODEL, "confiance]", 0, 2),
    ] {
        let answer = lsp.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": at}),
        );
        assert_eq!(answer["uri"], uri.as_str(), "{answer}");
        assert_eq!(answer["range"]["start"], definition, "{answer}");
        assert_eq!(text_of(MODEL, &answer["range"]), "confiance");
    }
    // After an emoji on the line, columns count UTF-16 units.
    let answer = lsp.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(MODEL, "séances -> rencontres", 0, 12)}),
    );
    assert_eq!(text_of(MODEL, &answer["range"]), "rencontres");
    assert_eq!(
        answer["range"]["start"],
        position(MODEL, "id: rencontres", 0, 4)
    );
    let nothing = lsp.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(MODEL, "title", 0, 1)}),
    );
    assert_eq!(nothing, Value::Null);
    lsp.shutdown();
}

#[test]
fn references_include_both_ends_of_applies_to_links() {
    let (mut lsp, uri) = open("lsp-nav-references", MODEL);
    let refs = |lsp: &mut Client, include: bool| -> Vec<String> {
        let answer = lsp.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": position(MODEL, "id: séances", 0, 5),
                   "context": {"includeDeclaration": include}}),
        );
        answer
            .as_array()
            .expect("locations")
            .iter()
            .map(|l| {
                let start = offset(MODEL, &l["range"]["start"]);
                let line_start = MODEL[..start].rfind('\n').map_or(0, |i| i + 1);
                format!(
                    "{}|{}",
                    &MODEL[line_start..start],
                    text_of(MODEL, &l["range"])
                )
            })
            .collect()
    };
    assert_eq!(
        refs(&mut lsp, true),
        [
            "    leads_to: [|séances",
            "  - id: |séances",
            "    applies_to: [\"bénévoles -> |séances",
            "    applies_to: [\"bénévoles -> séances\", '|séances",
        ]
    );
    assert_eq!(refs(&mut lsp, false).len(), 3);
    lsp.shutdown();
}

#[test]
fn rename_reaches_applies_to_strings_and_keeps_everything_else() {
    let (mut lsp, uri) = open("lsp-nav-rename", MODEL);
    let at = position(MODEL, "séances", 1, 3);
    let prepared = lsp.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": uri}, "position": at}),
    );
    assert_eq!(prepared["placeholder"], "séances");
    assert_eq!(text_of(MODEL, &prepared["range"]), "séances");
    let edit = lsp.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": at, "newName": "ateliers"}),
    );
    let renamed = apply(MODEL, &edit, &uri);
    insta::assert_snapshot!("lsp-nav-rename", renamed);
    // The renamed text is as clean as the original: no reference was missed.
    lsp.change(&uri, 2, &renamed);
    let published = lsp.diagnostics_at(&uri, 2);
    let codes: Vec<&Value> = published["diagnostics"]
        .as_array()
        .map(|d| d.iter().map(|d| &d["code"]).collect())
        .unwrap_or_default();
    assert!(!codes.contains(&&json!("unknown-reference")), "{published}");
    lsp.shutdown();
}

#[test]
fn rename_to_a_taken_or_invalid_name_is_refused_with_the_reason() {
    let (mut lsp, uri) = open("lsp-nav-rename-refused", MODEL);
    let at = position(MODEL, "id: confiance", 0, 5);
    for (name, why) in [
        ("présence", "`présence` is already the id of a measure"),
        (
            "ils-restent",
            "`ils-restent` is already the id of an assumption",
        ),
        ("deux mots", "`deux mots` is not a valid id"),
    ] {
        let answer = lsp.request_raw(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri}, "position": at, "newName": name}),
        );
        assert_eq!(answer["error"]["code"], -32803, "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(why)),
            "{answer}"
        );
    }
    lsp.shutdown();
}

/// The quick fixes offered for the first published diagnostic with `code` (and, when given,
/// a message containing `about`), each checked to carry that diagnostic.
fn quick_fixes(lsp: &mut Client, uri: &str, code: &str, about: &str) -> Vec<Value> {
    let published = lsp.diagnostics(uri);
    let d = published["diagnostics"]
        .as_array()
        .and_then(|all| {
            all.iter().find(|d| {
                d["code"] == code && d["message"].as_str().is_some_and(|m| m.contains(about))
            })
        })
        .unwrap_or_else(|| panic!("no {code} about {about:?} in {published}"))
        .clone();
    let answer = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"],
               "context": {"diagnostics": [d], "only": ["quickfix"]}}),
    );
    let actions = answer.as_array().expect("actions").clone();
    let all = published["diagnostics"].as_array().expect("diagnostics");
    for a in &actions {
        assert_eq!(a["kind"], "quickfix", "{a}");
        // Each fix carries the one diagnostic it fixes, exactly as it was published.
        let fixes = a["diagnostics"].as_array().expect("its diagnostic");
        assert_eq!(fixes.len(), 1, "{a}");
        assert!(all.contains(&fixes[0]), "{a}");
    }
    actions
}

/// Applies the action titled `title` among `actions`, checks that the diagnostic it names is
/// gone from the edited text's diagnostics, and returns the edited text.
fn applied(lsp: &mut Client, uri: &str, text: &str, actions: &[Value], title: &str) -> String {
    let titles: Vec<&Value> = actions.iter().map(|a| &a["title"]).collect();
    let action = actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title:?} in {titles:?}"));
    let out = apply(text, &action["edit"], uri);
    lsp.change(uri, 7, &out);
    let after = lsp.diagnostics_at(uri, 7);
    let fixed = &action["diagnostics"][0];
    assert!(
        !after["diagnostics"]
            .as_array()
            .is_some_and(|all| all.iter().any(|d| d["message"] == fixed["message"])),
        "{title}: {fixed} still reported for\n{out}"
    );
    out
}

#[test]
fn quick_fix_did_you_mean_replaces_the_id_inside_its_quotes() {
    let text = MODEL.replace("leads_to: [\"confiance\"]", "leads_to: [\"confianse\"]");
    let (mut lsp, uri) = open("lsp-nav-fix-typo", &text);
    let actions = quick_fixes(&mut lsp, &uri, "unknown-reference", "confianse");
    assert_eq!(actions[0]["isPreferred"], true, "{actions:?}");
    let out = applied(
        &mut lsp,
        &uri,
        &text,
        &actions,
        "Replace `confianse` with `confiance`",
    );
    assert_eq!(out, MODEL);
    lsp.shutdown();
}

#[test]
fn quick_fix_did_you_mean_inside_an_applies_to_link() {
    let text = MODEL.replace("'séances -> rencontres'", "'séances -> rencontre'");
    let (mut lsp, uri) = open("lsp-nav-fix-link", &text);
    let actions = quick_fixes(&mut lsp, &uri, "unknown-reference", "rencontre`");
    let out = applied(
        &mut lsp,
        &uri,
        &text,
        &actions,
        "Replace `rencontre` with `rencontres`",
    );
    assert_eq!(out, MODEL);
    lsp.shutdown();
}

#[test]
fn quick_fix_creates_the_missing_node_in_the_next_stage() {
    let text = MODEL.replace(
        "leads_to: [rencontres]",
        "leads_to: [rencontres, liens-durables]",
    );
    let (mut lsp, uri) = open("lsp-nav-fix-create", &text);
    let actions = quick_fixes(&mut lsp, &uri, "unknown-reference", "liens-durables");
    let out = applied(
        &mut lsp,
        &uri,
        &text,
        &actions,
        "Create `liens-durables` as an output",
    );
    insta::assert_snapshot!("lsp-nav-create-node", out);
    lsp.shutdown();
}

#[test]
fn quick_fix_adds_a_measure_stub_and_its_reference() {
    let (mut lsp, uri) = open("lsp-nav-fix-measure", MODEL);
    let actions = quick_fixes(&mut lsp, &uri, "unmeasured-outcome", "confiance");
    let out = applied(
        &mut lsp,
        &uri,
        MODEL,
        &actions,
        "Add a measure for `confiance`",
    );
    insta::assert_snapshot!("lsp-nav-measure-stub", out);
    lsp.shutdown();
}

#[test]
fn quick_fix_adds_an_allow_entry_with_a_reason_to_fill_in() {
    let (mut lsp, uri) = open("lsp-nav-fix-allow", MODEL);
    let actions = quick_fixes(&mut lsp, &uri, "unmeasured-outcome", "confiance");
    let out = applied(
        &mut lsp,
        &uri,
        MODEL,
        &actions,
        "Allow `unmeasured-outcome` for `confiance`, with a reason",
    );
    insta::assert_snapshot!("lsp-nav-allow", out);
    lsp.shutdown();
}

#[test]
fn code_actions_of_other_kinds_or_on_a_broken_text_are_none() {
    let (mut lsp, uri) = open("lsp-nav-none", MODEL);
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}});
    let other = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": whole,
               "context": {"diagnostics": [], "only": ["source.organizeImports"]}}),
    );
    assert_eq!(other, json!([]));
    lsp.change(&uri, 2, "title: [\n  - {");
    for method in [
        "textDocument/codeAction",
        "textDocument/definition",
        "textDocument/rename",
    ] {
        let answer = lsp.request_raw(
            method,
            json!({"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []},
                   "position": {"line": 0, "character": 2}, "newName": "x"}),
        );
        assert!(
            answer["result"].is_null()
                || answer["result"] == json!([])
                || answer["error"]["code"] == -32803,
            "{method}: {answer}"
        );
    }
    lsp.shutdown();
}

#[test]
fn neovim_applies_the_quick_fixes_and_saves_them() {
    if !common::require(
        "nvim",
        &["--version"],
        "neovim_applies_the_quick_fixes_and_saves_them",
    ) {
        return;
    }
    let dir = common::scratch("lsp-nav-neovim");
    let model = dir.join("model.yaml");
    // The misspelt id follows an emoji on its line, so Neovim's UTF-16 columns are tested.
    let drafted = "\
# Mentoring, drafted in Neovim
title: Mentorat 😀
inputs:
  - {id: mentors, label: \"Mentors 😀 bénévoles\", leads_to: [sesions]}
activities:
  - id: sessions
    label: Séances
    leads_to: [confiance]
direct_impacts:
  - id: confiance   # the change we hope for
    label: Jeunes plus confiants
";
    std::fs::write(&model, drafted).expect("write the model");
    let titles = [
        "Replace `sesions` with `sessions`",
        "Add a measure for `confiance`",
    ];
    let report = common::neovim(
        "quickfix.lua",
        &dir,
        &model,
        &[("TITLES", titles.join("|").as_str())],
    );
    let applied = report["applied"].as_array().expect("applied");
    assert_eq!(applied.len(), titles.len(), "{report}");
    for (a, title) in applied.iter().zip(titles) {
        assert_eq!(a["title"], title, "{report}");
        assert_eq!(a["kind"], "quickfix", "{report}");
        assert_eq!(a["gone"], true, "the diagnostic stayed: {report}");
    }
    let saved = std::fs::read_to_string(&model).expect("the saved model");
    insta::assert_snapshot!("lsp-nav-neovim-saved", saved);
}
