//! `elmo check` reads each model's results: their diagnostics in every format, pointing at
//! the CSV's own lines, counted in the exit status, under the lint levels, and summed up in
//! the readiness line.

use crate::common::{ROOT, elmo, scratch, stdout};

const BROKEN: &str = "tests/fixtures/check-results/broken/model.yaml";
const CSV: &str = "tests/fixtures/check-results/broken/results.csv";

fn check(args: &[&str]) -> std::process::Output {
    let mut all = vec!["check", "--as-of", "2025-09-30", "--color", "never"];
    all.extend(args);
    elmo(&all)
}

#[test]
fn check_reports_a_broken_results_file_at_its_own_lines_and_exits_1() {
    let o = check(&[BROKEN]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.contains(&format!("╭─[{CSV}:3:1]")),
        "the unknown measure is shown in the CSV: {text}"
    );
    assert!(text.contains("3 errors, 3 warnings in 2 files"), "{text}");
    insta::assert_snapshot!("check-broken-human", text);
}

#[test]
fn check_json_gives_the_results_file_its_own_entry() {
    let o = check(&["--format", "json", BROKEN]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let files = doc["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["path"], CSV);
    let unknown = files[1]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "result-unknown-measure")
        .expect("unknown measure");
    assert_eq!(
        (&unknown["line"], &unknown["column"]),
        (&3.into(), &1.into())
    );
    assert_eq!(doc["errors"], 3);
    insta::assert_json_snapshot!("check-broken-json", doc);
}

#[test]
fn check_sarif_locates_results_in_the_csv() {
    let o = check(&["--format", "sarif", BROKEN]);
    assert_eq!(o.status.code(), Some(1));
    let mut log: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF");
    let uris: Vec<&str> = log["runs"][0]["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .filter_map(|a| a["location"]["uri"].as_str())
        .collect();
    assert_eq!(uris, [BROKEN, CSV]);
    // The version changes with every release; the snapshot should not.
    log["runs"][0]["tool"]["driver"]["version"] = "VERSION".into();
    log["runs"][0]["tool"]["driver"]["semanticVersion"] = "VERSION".into();
    // Cargo.toml's `repository`, which changes on publishing.
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["informationUri"],
        env!("CARGO_PKG_REPOSITORY")
    );
    log["runs"][0]["tool"]["driver"]["informationUri"] = "REPOSITORY".into();
    // The rule list is the registry's, snapshot-tested elsewhere.
    log["runs"][0]["tool"]["driver"]["rules"] = "RULES".into();
    insta::assert_json_snapshot!("check-broken-sarif", log);
}

#[test]
fn check_github_annotations_name_the_csv() {
    let o = check(&["--format", "github", BROKEN]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let line = text
        .lines()
        .find(|l| l.contains("title=result-numerator-above-denominator"))
        .expect("annotation");
    assert!(
        line.starts_with(&format!(
            "::error file={},line=4,col=20,",
            CSV.replace(':', "%3A")
        )),
        "{line}"
    );
}

#[test]
fn command_line_levels_apply_to_results_diagnostics() {
    // -A silences a results lint, -D makes one an error.
    let o = check(&["-A", "too-few-to-tell", "--format", "json", BROKEN]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(!doc.to_string().contains("too-few-to-tell"));
    assert_eq!(doc["warnings"], 1);

    let o = check(&["-D", "comparison-not-reported", "--format", "json", BROKEN]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["errors"], 4);
    assert_eq!(doc["files"][0]["errors"], 1);
}

/// A copy of the broken fixture in a scratch folder, with `model` edited by `edit`.
fn scratch_copy(name: &str, edit: impl Fn(String) -> String, csv: &str) -> String {
    let dir = scratch(name);
    let src = std::fs::read_to_string(std::path::Path::new(ROOT).join(BROKEN)).expect("model");
    std::fs::write(dir.join("model.yaml"), edit(src)).expect("write");
    std::fs::write(dir.join("results.csv"), csv).expect("write");
    dir.join("model.yaml").display().to_string()
}

const GOOD_CSV: &str = "measure,period,value,numerator,denominator,arm\n\
    sessions-held,2025-Q2,120,,,programme\n\
    engaged-3m,2025-Q2,,55,100,programme\n\
    in-work-rate,2024-25,,30,100,programme\n\
    neet-rate,2024,,11.5,100,programme\n";

#[test]
fn model_lints_and_allow_apply_to_results_diagnostics() {
    let csv = GOOD_CSV;
    let path = scratch_copy(
        "check-results-levels",
        |s| {
            s.replace(
                "results: [results.csv]\n",
                "results: [results.csv]\nlints:\n  comparison-not-reported: deny\n",
            )
            .replace(
                "    comparison: matched\n",
                "    comparison: matched\n    allow:\n      - code: too-few-to-tell\n        reason: the first cohort is small\n",
            )
        },
        csv,
    );
    let o = check(&["--format", "json", &path]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let codes: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().expect("diagnostics"))
        .map(|d| d["code"].as_str().unwrap_or_default())
        .collect();
    // neet-rate's too-few-to-tell stays; in-work-rate's is allowed; the lint is denied.
    assert_eq!(codes, ["comparison-not-reported", "too-few-to-tell"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(doc["errors"], 1);
}

#[test]
fn as_of_decides_what_is_stale_in_check() {
    let path = scratch_copy("check-results-as-of", |s| s, GOOD_CSV);
    let stale = |as_of: &str| {
        let o = elmo(&["check", "--as-of", as_of, "--format", "json", &path]);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
        stdout(&o).matches("\"stale-result\"").count()
    };
    // engaged-3m is quarterly: 2025-Q2 is due again by the end of 2025-Q4.
    assert_eq!(stale("2025-09-30"), 0);
    assert_eq!(stale("2026-06-30"), 2);
    let o = elmo(&["check", "--as-of", "2025", &path]);
    assert_eq!(o.status.code(), Some(2), "a year is not a date");
}

#[test]
fn readiness_counts_results_in_text_and_json() {
    let path = scratch_copy("check-results-readiness", |s| s, GOOD_CSV);
    let o = check(&[&path]);
    let text = stdout(&o);
    let line = text
        .lines()
        .find(|l| l.starts_with("readiness:"))
        .expect("readiness line");
    assert!(
        line.ends_with("; results: 4/4 measures reported, 3 on track, 1 at risk"),
        "{line}"
    );
    let o = check(&["--format", "json", &path]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let r = &doc["files"][0]["readiness"]["results"];
    assert_eq!(r["reported"], 4);
    assert_eq!(r["total"], 4);
    // sessions-held has no counts to test; engaged-3m and in-work-rate moved by more than
    // chance; neet-rate's 11.5 of 100 could be chance.
    assert_eq!(r["on_track"], 3);
    assert_eq!(r["at_risk"], 1);
    assert_eq!(r["off_track"], 0);
    assert_eq!(r["stale"], 0);
}

#[test]
fn a_model_without_results_has_no_results_in_its_readiness() {
    let o = check(&["--format", "json", "models/community-led-support.yaml"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(doc["files"][0]["readiness"].is_object());
    assert!(doc["files"][0]["readiness"].get("results").is_none());
    assert_eq!(doc["files"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_folder_check_reads_each_models_results() {
    let dir = scratch("check-results-folder");
    let src = std::fs::read_to_string(std::path::Path::new(ROOT).join(BROKEN)).expect("model");
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.join(sub)).expect("dir");
        std::fs::write(dir.join(sub).join("model.yaml"), &src).expect("write");
    }
    std::fs::write(dir.join("a/results.csv"), GOOD_CSV).expect("write");
    std::fs::copy(
        std::path::Path::new(ROOT).join(CSV),
        dir.join("b/results.csv"),
    )
    .expect("copy");
    let o = check(&["--format", "json", &dir.display().to_string()]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let paths: Vec<String> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            f["path"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches(&dir.display().to_string())
                .to_string()
        })
        .collect();
    assert_eq!(
        paths,
        [
            "/a/model.yaml",
            "/a/results.csv",
            "/b/model.yaml",
            "/b/results.csv"
        ]
    );
    assert_eq!(doc["files"][3]["errors"], 3);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_model_with_errors_is_not_checked_against_its_results() {
    // Its measures may be misread, and every row naming them would be reported again.
    let path = scratch_copy(
        "check-results-model-errors",
        |s| {
            s.replace(
                "  - id: engaged-3m\n",
                "  - id: engaged-3m\n    colour: red\n",
            )
        },
        "measure,period,value\nnothing,2025,1\n",
    );
    let o = check(&["--format", "json", &path]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["files"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["files"][0]["diagnostics"][0]["code"], "unknown-field");
}
