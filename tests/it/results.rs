//! Results: one fixture per results diagnostic (a model and its CSV files), snapshot-tested
//! as the human report and as JSON; the `compute:` counts; and properties of the statistics.

use std::path::{Path, PathBuf};

use elmo::Code;
use elmo::emit::human::{Human, Style};
use elmo::emit::{FileReport, summary_line, to_json};
use elmo::results::{Arm, Date, Results, Status, evaluate};
use proptest::prelude::*;

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/results")
        .join(name)
}

fn as_of() -> Date {
    Date::new(2025, 9, 30).expect("date")
}

/// The model's text, its compile diagnostics and its results.
fn run(name: &str) -> (String, Vec<elmo::Diagnostic>, Results) {
    let d = dir(name);
    let src = std::fs::read_to_string(d.join("model.yaml")).expect("model");
    let compiled = elmo::compile(&src);
    let model = compiled.model.expect("model");
    let results = evaluate(&model, &d, as_of());
    (src, compiled.diagnostics, results)
}

/// Every file with diagnostics: the model first, then each results file.
fn reports<'a>(
    name: &str,
    src: &'a str,
    results: &'a Results,
) -> Vec<(String, &'a str, &'a [elmo::Diagnostic])> {
    let mut out = vec![(
        format!("fixtures/{name}/model.yaml"),
        src,
        results.model_diagnostics.as_slice(),
    )];
    for f in &results.files {
        out.push((
            format!("fixtures/{name}/{}", f.name),
            f.text.as_str(),
            f.diagnostics.as_slice(),
        ));
    }
    out
}

fn human(name: &str, src: &str, results: &Results) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    for (path, text, diags) in reports(name, src, results) {
        out.push_str(&Human::new(&path, text, Style::plain(90)).diagnostics(diags));
        errors += diags
            .iter()
            .filter(|d| d.severity == elmo::Severity::Error)
            .count();
        warnings += diags
            .iter()
            .filter(|d| d.severity == elmo::Severity::Warning)
            .count();
    }
    out.push_str(&summary_line(errors, warnings, 1 + results.files.len()));
    out
}

fn json(name: &str, src: &str, results: &Results) -> serde_json::Value {
    let files = reports(name, src, results);
    let reports: Vec<FileReport<'_>> = files
        .iter()
        .map(|(path, text, diags)| FileReport {
            path,
            source: text,
            diagnostics: diags,
            readiness: None,
        })
        .collect();
    serde_json::to_value(to_json(&reports)).expect("json")
}

fn all_diagnostics(results: &Results) -> Vec<(&str, &elmo::Diagnostic)> {
    results
        .model_diagnostics
        .iter()
        .map(|d| ("model", d))
        .chain(
            results
                .files
                .iter()
                .flat_map(|f| f.diagnostics.iter().map(move |d| (f.text.as_str(), d))),
        )
        .collect()
}

#[test]
fn every_results_code_has_a_fixture_that_raises_it_and_points_at_a_token() {
    for code in elmo::results::CODES {
        let (src, compiled, results) = run(code.as_str());
        assert!(
            compiled.iter().all(|d| d.severity != elmo::Severity::Error),
            "{code}: the model itself should have no errors: {compiled:?}"
        );
        let found: Vec<_> = all_diagnostics(&results)
            .into_iter()
            .filter(|(_, d)| d.code == code)
            .collect();
        assert!(
            !found.is_empty(),
            "fixture for {code} does not raise it: {:?}",
            all_diagnostics(&results)
        );
        for (text, d) in found {
            let text = if text == "model" { src.as_str() } else { text };
            assert!(
                d.span.end <= text.len() && !d.span.is_empty(),
                "{code}: span {:?}",
                d.span
            );
            assert!(d.help.is_some(), "{code}: help expected");
        }
    }
}

#[test]
fn clean_results_have_no_diagnostics() {
    let (_, compiled, results) = run("clean");
    assert!(compiled.iter().all(|d| d.severity != elmo::Severity::Error));
    assert_eq!(all_diagnostics(&results), vec![]);
}

#[test]
fn snapshots_of_every_results_fixture() {
    let root = dir("");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let (src, _, results) = run(&name);
        insta::assert_snapshot!(format!("human@{name}"), human(&name, &src, &results));
        insta::assert_json_snapshot!(format!("json@{name}"), json(&name, &src, &results));
    }
}

#[test]
fn an_unknown_measure_points_at_its_cell_in_the_csv() {
    let (_, _, results) = run("result-unknown-measure");
    let f = &results.files[0];
    let d = &f.diagnostics[0];
    assert_eq!(d.code, Code::ResultUnknownMeasure);
    assert_eq!(&f.text[d.span.start..d.span.end], "engaged-1n");
    assert_eq!(d.help.as_deref(), Some("did you mean `engaged-1m`?"));
    let j = json("x", "", &results);
    let csv = &j["files"][1]["diagnostics"][0];
    assert_eq!(
        (csv["line"].as_u64(), csv["column"].as_u64()),
        (Some(2), Some(1))
    );
}

#[test]
fn unreadable_cells_are_each_pointed_at() {
    let (_, _, results) = run("result-unreadable");
    let f = &results.files[0];
    let cells: Vec<&str> = f
        .diagnostics
        .iter()
        .map(|d| &f.text[d.span.start..d.span.end])
        .collect();
    assert_eq!(cells, ["Q2 2025", "52%", "control"]);
}

#[test]
fn the_completion_rate_counts_codes_50_and_51_out_of_the_six_and_leaves_neutral_codes_out() {
    let (_, _, results) = run("compute");
    assert!(!results.has_errors(), "{:?}", results.model_diagnostics);
    let m = results.measure("completion-rate").expect("measure");
    let q2: Vec<_> = m
        .series
        .iter()
        .filter(|p| p.period.to_string() == "2025-Q2")
        .map(|p| (p.group.as_str(), p.numerator, p.denominator))
        .collect();
    // Successful 50, 51, 51; unsuccessful 52, 53, 55, 57; neutral 54 and 56 in neither.
    assert_eq!(
        q2,
        [
            ("all", Some(3.0), Some(7.0)),
            ("gender=female", Some(2.0), Some(3.0)),
            ("gender=male", Some(1.0), Some(4.0)),
        ]
    );
    let latest = m.latest.as_ref().expect("latest");
    // `50.0` is code 50; the open case with no end date is not counted.
    assert_eq!(
        (
            latest.period.to_string().as_str(),
            latest.numerator,
            latest.denominator
        ),
        ("2025-Q3", Some(1.0), Some(1.0))
    );
    assert!((m.series[0].value - 300.0 / 7.0).abs() < 1e-12);
}

#[test]
fn compute_names_the_missing_column_and_the_nearest_one() {
    let (src, _, results) = run("compute-unknown-column");
    let d = &results.model_diagnostics[0];
    assert_eq!(d.code, Code::ComputeUnknownColumn);
    assert_eq!(&src[d.span.start..d.span.end], "termination");
    assert_eq!(d.help.as_deref(), Some("did you mean `termination_code`?"));
}

#[test]
fn status_follows_the_trajectory_and_the_comparison() {
    let (_, _, results) = run("clean");
    let e = results.measure("engaged-1m").expect("engaged");
    // 52% is 15/18 of the way from 37 to 55; the line from 2023-Q4 to 2025-Q4 is at 3/4.
    assert_eq!(e.status, Status::OnTrack, "{e:?}");
    assert!((e.progress.expect("progress") - 15.0 / 18.0).abs() < 1e-9);
    let p = results.measure("proven-rate").expect("proven");
    assert_eq!(p.status, Status::Met, "{p:?}");
    let c = p.comparison.as_ref().expect("comparison");
    assert!(c.significant && c.p_value.expect("p") < 0.001, "{c:?}");
    assert!((c.difference - (30.0 - 42.0)).abs() < 1e-9);
    let (_, _, stale) = run("stale-result");
    assert_eq!(
        stale.measure("engaged-1m").expect("m").status,
        Status::Stale
    );
}

proptest! {
    #[test]
    fn a_wilson_interval_contains_its_estimate(n in 1u32..5000, k in 0u32..5000) {
        let x = f64::from(k % (n + 1));
        let n = f64::from(n);
        let (lo, hi) = elmo::stats::inference::wilson(x, n).expect("ci");
        prop_assert!(lo <= x / n + 1e-12 && x / n <= hi + 1e-12, "{lo} {} {hi}", x / n);
    }

    #[test]
    fn a_poisson_interval_contains_its_count(x in 0u32..100_000) {
        let (lo, hi) = elmo::stats::inference::poisson_exact(f64::from(x)).expect("ci");
        prop_assert!(lo <= f64::from(x) && f64::from(x) <= hi);
    }

    #[test]
    fn swapping_the_arms_negates_the_difference(n1 in 1u32..2000, k1 in 0u32..2000, n2 in 1u32..2000, k2 in 0u32..2000) {
        let (x1, x2) = (f64::from(k1 % (n1 + 1)), f64::from(k2 % (n2 + 1)));
        let (n1, n2) = (f64::from(n1), f64::from(n2));
        let a = elmo::stats::inference::two_proportions(x1, n1, x2, n2).expect("a");
        let b = elmo::stats::inference::two_proportions(x2, n2, x1, n1).expect("b");
        prop_assert!((a.difference + b.difference).abs() < 1e-12);
        prop_assert!((a.ci.0 + b.ci.1).abs() < 1e-12 && (a.ci.1 + b.ci.0).abs() < 1e-12);
        prop_assert!((a.p_value - b.p_value).abs() < 1e-12);
        prop_assert!(a.ci.0 <= a.difference + 1e-12 && a.difference <= a.ci.1 + 1e-12);
    }

    #[test]
    fn adding_records_never_shrinks_n(codes in proptest::collection::vec(48u8..60, 0..60), more in proptest::collection::vec(48u8..60, 1..20)) {
        let measure = |dir: &Path, rows: &[u8]| {
            let mut csv = String::from("end_date,termination_code\n");
            for c in rows {
                csv.push_str(&format!("2025-05-01,{c}\n"));
            }
            std::fs::write(dir.join("cases.csv"), csv).expect("write");
            let src = std::fs::read_to_string(self::dir("compute").join("model.yaml")).expect("model");
            let src = src.replace("      group_by: [gender]\n", "");
            let model = elmo::compile(&src).model.expect("model");
            let r = evaluate(&model, dir, as_of());
            r.measure("completion-rate")
                .and_then(|m| m.latest.as_ref())
                .map_or((0.0, 0.0), |l| (l.numerator.unwrap_or(0.0), l.denominator.unwrap_or(0.0)))
        };
        let tmp = tempfile::tempdir().expect("tmp");
        let before = measure(tmp.path(), &codes);
        let all: Vec<u8> = codes.iter().chain(&more).copied().collect();
        let after = measure(tmp.path(), &all);
        prop_assert!(after.1 >= before.1 && after.0 >= before.0, "{before:?} -> {after:?}");
    }
}

#[test]
fn comparison_rows_are_the_comparison_arm() {
    let (_, _, results) = run("clean");
    let p = results.measure("proven-rate").expect("proven");
    assert!(p.series.iter().any(|s| s.arm == Arm::Comparison));
}

fn status(name: &str, format: &str) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["status", "--as-of", "2025-09-30", "--format", format])
        .arg(format!("tests/fixtures/results/{name}/model.yaml"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn status_prints_a_row_per_measure_as_text_markdown_and_json() {
    for (name, format) in [
        ("clean", "text"),
        ("clean", "md"),
        ("clean", "json"),
        ("compute", "text"),
    ] {
        let (code, stdout, _) = status(name, format);
        assert_eq!(code, Some(0), "{name} {format}");
        insta::assert_snapshot!(format!("status-{format}@{name}"), stdout);
    }
}

#[test]
fn status_json_has_the_contract_shape() {
    let (_, stdout, _) = status("clean", "json");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["as_of"], "2025-09-30");
    let m = &doc["files"][0]["measures"][1];
    for key in [
        "id",
        "unit",
        "status",
        "latest",
        "baseline",
        "target",
        "progress",
        "comparison",
        "series",
    ] {
        assert!(m.get(key).is_some(), "no {key}: {m}");
    }
    for key in ["period", "value", "numerator", "denominator", "ci"] {
        assert!(m["latest"].get(key).is_some(), "latest has no {key}");
    }
    for key in ["value", "difference", "ci", "p_value", "significant"] {
        assert!(
            m["comparison"].get(key).is_some(),
            "comparison has no {key}"
        );
    }
    assert_eq!(m["status"], "met");
    assert_eq!(m["comparison"]["significant"], true);
}

#[test]
fn status_exits_1_on_result_errors_and_shows_them() {
    let (code, _, stderr) = status("result-unknown-measure", "text");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("results.csv:2:1"), "{stderr}");
    let (code, stdout, _) = status("result-unknown-measure", "json");
    assert_eq!(code, Some(1));
    assert!(stdout.contains("result-unknown-measure"), "{stdout}");
}

#[test]
fn a_value_without_n_says_it_has_no_interval() {
    let (_, stdout, _) = status("result-percentage-out-of-range", "text");
    assert!(stdout.contains("no n, no interval"), "{stdout}");
}

fn bundled(name: &str) -> Results {
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let src = std::fs::read_to_string(models.join(name)).expect("model");
    let model = elmo::compile(&src).model.expect("model");
    evaluate(&model, &models, as_of())
}

#[test]
fn peterborough_results_give_the_published_figures() {
    let r = bundled("peterborough-sib.yaml");
    assert!(!r.has_errors(), "{:?}", r.files[0].diagnostics);
    let engaged = r.measure("pct-engaged-1m").expect("engaged");
    let values: Vec<f64> = engaged.series.iter().map(|p| p.value).collect();
    assert_eq!(values, [37.0, 55.0]);
    // The source gives no counts, so no interval is claimed.
    assert!(engaged.series.iter().all(|p| p.ci.is_none()));
    let fall = r.measure("reoffending-reduction").expect("reduction");
    assert_eq!(fall.latest.as_ref().map(|l| l.value), Some(9.0));
    assert_eq!((fall.target, fall.status), (Some(7.5), Status::Met));
}

#[test]
fn the_alcohol_model_computes_its_completion_rate_from_labelled_synthetic_records() {
    let r = bundled("alcohol-treatment.yaml");
    assert!(!r.has_errors(), "{:?}", r.model_diagnostics);
    let m = r.measure("completion-rate").expect("completion rate");
    let latest = m.latest.as_ref().expect("latest");
    assert!(
        latest
            .note
            .as_deref()
            .is_some_and(|n| n.contains("synthetic")),
        "{latest:?}"
    );
    assert_eq!(m.series.iter().filter(|p| p.group == "all").count(), 8);
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("models/alcohol-treatment-cases.synthetic.csv");
    let text = std::fs::read_to_string(path).expect("records");
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.split(',').nth(1) == Some("synthetic"))
    );
}
