//! Editor support, proved with the real `yaml-language-server` (pinned by
//! tests/lsp/package-lock.json) driven over stdio by tests/lsp/lsp.mjs: a misspelt key in a
//! node is reported on its own line, completion inside a node offers `leads_to` with the
//! schema's description, and valid models (bundled, and as `elmo init` writes them) are clean.
//!
//! Needs node and tests/lsp/node_modules. Under `CI=true` a missing piece fails the test;
//! elsewhere the test says loudly that it was skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::{ready, root, runs};
use serde_json::Value;

/// Whether node and yaml-language-server are here (see [`ready`]).
fn server_ready() -> bool {
    let mut missing = Vec::new();
    if !runs("node", &["--version"]) {
        missing.push("node".to_string());
    }
    if !root()
        .join("tests/lsp/node_modules/yaml-language-server")
        .exists()
    {
        missing.push("tests/lsp/node_modules (run `npm ci --prefix tests/lsp`)".to_string());
    }
    ready("yaml-language-server tests", &missing)
}

/// A `file:` URL for `path`, percent-encoding what a URL cannot hold as it is (spaces, say,
/// in a checkout's path), so the modeline names the file unambiguously.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The committed schema, as an editor would be pointed at it.
fn schema_modeline() -> String {
    format!(
        "# yaml-language-server: $schema={}",
        file_url(&root().join("elmo.schema.json"))
    )
}

/// `text` with its first line (the bundled models' relative modeline) replaced by `modeline`.
fn with_modeline(text: &str, modeline: &str) -> String {
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("# yaml-language-server: $schema="),
        "the model starts with a modeline"
    );
    format!("{modeline}{}", &text[first.len()..])
}

/// The first `leads_to:` key in `text`, misspelt as `leads_too:`; with its 0-based line and
/// column, where the server should put its diagnostic.
fn misspell_leads_to(text: &str) -> (String, u64, u64) {
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            let col = l.find("leads_to:")?;
            l[..col]
                .trim_start_matches([' ', '-'])
                .is_empty()
                .then_some((i, col))
        })
        .expect("the model has a leads_to key");
    let out = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                l.replacen("leads_to:", "leads_too:", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    (out, line as u64, column as u64)
}

/// Where each test document is and what was done to it.
struct Docs {
    dir: PathBuf,
    /// 0-based line and column of the misspelt key in `misspelt.yaml`.
    misspelt_at: (u64, u64),
    /// The same for the misspelt key in `init/misspelt.yaml`.
    init_misspelt_at: (u64, u64),
}

/// The 0-based position inside a node mapping where `completion.yaml` asks for completion.
const COMPLETION_AT: (u64, u64) = (5, 4);

fn write_docs() -> Docs {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("init")).expect("scratch folder");
    let modeline = schema_modeline();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");

    let bundled = std::fs::read_to_string(root().join("models/peterborough-sib.yaml"))
        .expect("bundled model");
    let valid = with_modeline(&bundled, &modeline);
    write("valid.yaml", &valid);
    let (misspelt, line, col) = misspell_leads_to(&valid);
    write("misspelt.yaml", &misspelt);

    // The cursor sits on the blank, indented line inside the `staff` node, which has no
    // `leads_to` yet: where someone joining boxes would type.
    write(
        "completion.yaml",
        &format!(
            "{modeline}\ntitle: Completion\ninputs:\n  - id: staff\n    label: Project staff\n    \n\
             activities:\n  - id: sessions\n    label: Weekly sessions\n"
        ),
    );
    assert_eq!(COMPLETION_AT.0, 5, "the blank line in completion.yaml");

    // What a new user has: `elmo init` writes the model and the schema its modeline names.
    let model = dir.join("init/model.yaml");
    let o = Command::new(env!("CARGO_BIN_EXE_elmo"))
        .arg("init")
        .arg(&model)
        .output()
        .expect("run elmo init");
    assert!(o.status.success(), "elmo init: {o:?}");
    let init = std::fs::read_to_string(&model).expect("init model");
    let (init_misspelt, init_line, init_col) = misspell_leads_to(&init);
    write("init/misspelt.yaml", &init_misspelt);

    Docs {
        dir,
        misspelt_at: (line, col),
        init_misspelt_at: (init_line, init_col),
    }
}

/// Runs tests/lsp/lsp.mjs with `args` and returns its JSON report.
fn run_lsp(args: &[String]) -> Value {
    let out = Command::new("node")
        .arg(root().join("tests/lsp/lsp.mjs"))
        .args(args)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "lsp.mjs failed: {}\n{stdout}\n{stderr}",
        out.status
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{stderr}"))
}

/// One run of the server over every document (starting it takes seconds), shared by the tests.
fn report() -> Option<&'static (Docs, Value)> {
    static REPORT: OnceLock<Option<(Docs, Value)>> = OnceLock::new();
    REPORT
        .get_or_init(|| {
            if !server_ready() {
                return None;
            }
            let docs = write_docs();
            let d = |name: &str| docs.dir.join(name).display().to_string();
            let args = [
                d("valid.yaml"),
                d("misspelt.yaml"),
                format!(
                    "{}@{}:{}",
                    d("completion.yaml"),
                    COMPLETION_AT.0,
                    COMPLETION_AT.1
                ),
                d("init/model.yaml"),
                d("init/misspelt.yaml"),
            ];
            let v = run_lsp(&args);
            Some((docs, v))
        })
        .as_ref()
}

/// The server's answer for the document `name` (relative to the scratch folder).
fn document<'a>(docs: &Docs, report: &'a Value, name: &str) -> &'a Value {
    let path = docs.dir.join(name).display().to_string();
    report["documents"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["file"] == path.as_str()))
        .unwrap_or_else(|| panic!("no answer for {name}: {report:#}"))
}

fn diagnostics<'a>(docs: &Docs, report: &'a Value, name: &str) -> &'a [Value] {
    document(docs, report, name)["diagnostics"]
        .as_array()
        .map_or(&[], Vec::as_slice)
}

/// The server says a misspelt key in a node is not allowed, on exactly that key.
fn assert_misspelt_reported(diags: &[Value], (line, col): (u64, u64), what: &str) {
    assert_eq!(diags.len(), 1, "{what}: one diagnostic: {diags:#?}");
    let d = &diags[0];
    let message = d["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("leads_too") && message.contains("not allowed"),
        "{what}: {message}"
    );
    assert_eq!(d["severity"], 1, "{what}: an error");
    assert!(
        d["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("yaml-schema")),
        "{what}: from the schema: {d}"
    );
    assert_eq!(d["range"]["start"]["line"], line, "{what}: line");
    assert_eq!(d["range"]["start"]["character"], col, "{what}: column");
    assert_eq!(d["range"]["end"]["line"], line, "{what}: end line");
    assert_eq!(
        d["range"]["end"]["character"],
        col + "leads_too".len() as u64,
        "{what}: the key is underlined"
    );
    // The quick fix's candidates: the properties a node does allow.
    let allowed = d["data"]["properties"]
        .as_array()
        .expect("allowed properties");
    assert!(allowed.iter().any(|p| p == "leads_to"), "{what}: {d}");
}

#[test]
fn misspelt_key_in_a_node_is_an_error_on_its_line() {
    let Some((docs, report)) = report() else {
        return;
    };
    assert_eq!(report["server"], "2.0.0", "the pinned server ran");
    assert_misspelt_reported(
        diagnostics(docs, report, "misspelt.yaml"),
        docs.misspelt_at,
        "misspelt.yaml",
    );
}

#[test]
fn valid_models_have_no_schema_diagnostics() {
    let Some((docs, report)) = report() else {
        return;
    };
    for name in ["valid.yaml", "completion.yaml"] {
        let diags = diagnostics(docs, report, name);
        assert!(diags.is_empty(), "{name}: {diags:#?}");
    }
}

#[test]
fn completion_in_a_node_offers_leads_to_with_its_description() {
    let Some((docs, report)) = report() else {
        return;
    };
    let completions = &document(docs, report, "completion.yaml")["completions"][0];
    assert_eq!(completions["line"], COMPLETION_AT.0);
    let items = completions["items"].as_array().expect("completion items");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    let leads_to = items
        .iter()
        .find(|i| i["label"] == "leads_to")
        .unwrap_or_else(|| panic!("leads_to not offered: {labels:?}"));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("elmo.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let description = &schema["$defs"]["Node"]["properties"]["leads_to"]["description"];
    assert!(description.is_string(), "the schema describes leads_to");
    assert_eq!(
        &leads_to["documentation"], description,
        "the editor shows the schema's words"
    );
    // The server knows where the cursor is: a node's keys, less those already written,
    // and none of the file's top level.
    for offered in ["description", "measures"] {
        assert!(labels.contains(&offered), "{offered} offered: {labels:?}");
    }
    for not_offered in ["id", "label", "title", "inputs"] {
        assert!(
            !labels.contains(&not_offered),
            "{not_offered} offered: {labels:?}"
        );
    }
}

#[test]
fn the_model_elmo_init_writes_is_checked_through_its_modeline() {
    let Some((docs, report)) = report() else {
        return;
    };
    // The modeline is relative (`$schema=elmo.schema.json`): clean means the schema loaded,
    // and the misspelt copy proves it is the schema doing the checking.
    let diags = diagnostics(docs, report, "init/model.yaml");
    assert!(diags.is_empty(), "init/model.yaml: {diags:#?}");
    assert_misspelt_reported(
        diagnostics(docs, report, "init/misspelt.yaml"),
        docs.init_misspelt_at,
        "init/misspelt.yaml",
    );
}

#[test]
fn the_yaml_schemas_setting_applies_the_schema_without_a_modeline() {
    if !server_ready() {
        return;
    }
    // A repository that commits `elmo schema -o elmo.schema.json` and maps it onto its models in
    // the editor's settings, as the book's Editors page shows; the models carry no modeline.
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp-settings");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("models")).expect("scratch folder");
    let o = Command::new(env!("CARGO_BIN_EXE_elmo"))
        .arg("schema")
        .arg("-o")
        .arg(root.join("elmo.schema.json"))
        .output()
        .expect("run elmo schema");
    assert!(o.status.success(), "elmo schema -o: {o:?}");
    let bundled =
        std::fs::read_to_string(crate::common::root().join("models/peterborough-sib.yaml"))
            .expect("bundled model");
    let plain = bundled.split_once('\n').map_or("", |(_, rest)| rest);
    let (misspelt, line, col) = misspell_leads_to(plain);
    let model = root.join("models/misspelt.yaml");
    std::fs::write(&model, &misspelt).expect("write");
    // Outside the glob: the same mistake goes unremarked, so the mapping is what applied it.
    let elsewhere = root.join("elsewhere.yaml");
    std::fs::write(&elsewhere, &misspelt).expect("write");

    let report = run_lsp(&[
        "--root".to_string(),
        root.display().to_string(),
        "--schemas".to_string(),
        r#"{"elmo.schema.json": "models/*.yaml"}"#.to_string(),
        model.display().to_string(),
        elsewhere.display().to_string(),
    ]);
    let diags = |path: &Path| -> Vec<Value> {
        report["documents"]
            .as_array()
            .and_then(|ds| ds.iter().find(|d| d["file"] == path.display().to_string()))
            .and_then(|d| d["diagnostics"].as_array().cloned())
            .unwrap_or_else(|| panic!("no answer for {}: {report:#}", path.display()))
    };
    assert_misspelt_reported(&diags(&model), (line, col), "models/misspelt.yaml");
    assert!(diags(&elsewhere).is_empty(), "{:#?}", diags(&elsewhere));
}
