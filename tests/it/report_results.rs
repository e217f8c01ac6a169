//! The report's Results section: snapshots of every format for a model with a comparison
//! group, a breakdown by group and hostile notes; synthetic data labelled wherever it
//! appears; `--as-of`; and a report refused when the results have errors.

use std::path::Path;

use crate::common::{ROOT, elmo, stderr, stdout};

const MODEL: &str = "tests/fixtures/report-results/model.yaml";

fn report(format: &str, model: &str) -> String {
    let o = elmo(&["report", model, "--as-of", "2025-09-30", "--format", format]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The stamp's date and version change from run to run.
    stdout(&o)
        .lines()
        .filter(|l| !l.contains("Made ") && !l.contains("@bottom-left") && !l.contains("<footer>"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The HTML's Results section alone: the rest has snapshots of its own.
fn results_section(html: &str) -> &str {
    let a = html
        .find("<section class=\"results\">")
        .expect("a Results section");
    let b = a + html[a..].find("</section>").expect("its end") + "</section>".len();
    &html[a..b]
}

#[test]
fn report_results_snapshots_in_md_html_and_csv() {
    insta::assert_snapshot!("report-results-md", report("md", MODEL));
    let html = report("html", MODEL);
    insta::assert_snapshot!("report-results-html", results_section(&html));
    insta::assert_snapshot!("report-results-csv", report("csv", MODEL));
}

#[test]
fn every_measure_with_results_gets_a_chart_with_its_status_in_words_and_shape() {
    let html = report("html", MODEL);
    let section = results_section(&html);
    assert_eq!(section.matches("<svg class=\"result-chart\"").count(), 4);
    for status in ["▲ on-track", "◆ at-risk"] {
        assert!(section.contains(status), "{status}");
    }
    // Baseline and target are labelled on the chart itself, and the comparison has its own
    // dash pattern and marker.
    assert!(section.contains(">baseline 20.0%</text>"));
    assert!(section.contains(">target 35.0%</text>"));
    assert!(section.contains("stroke-dasharray=\"6 4\""));
    assert!(section.contains("comparison group</text>"));
    // The axes say what they are.
    assert!(section.contains(">percent</text>"));
    assert!(section.contains("period (each reading at the end of its period)"));
    // Significance is claimed only where p < 0.05.
    assert!(section.contains("p = 0.026; significant at the 5% level"));
    assert!(section.contains("p = 0.330; not significant at the 5% level: it could be chance"));
}

#[test]
fn the_breakdown_by_group_is_in_the_table() {
    let html = report("html", MODEL);
    let section = results_section(&html);
    assert!(section.contains(
        "<td>2025-Q2</td><td>gender=female</td><td>programme</td><td><strong>57.8%</strong></td><td>47.5–67.5%</td><td>52 / 90</td>"
    ));
    let md = report("md", MODEL);
    assert!(
        md.contains("| 2025-Q2 | gender=female | programme | **57.8%** | 47.5–67.5% | 52 / 90 |"),
        "{md}"
    );
}

#[test]
fn hostile_text_in_a_results_note_is_escaped_in_every_format() {
    let html = report("html", MODEL);
    assert!(!html.contains("<script>"), "no script from a note");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("href="));
    let md = report("md", MODEL);
    assert!(!md.contains("<script>"));
    assert!(!md.contains("[link](javascript"));
    assert!(md.contains("\\<script\\>"));
    let csv = report("csv", MODEL);
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().expect("header").clone();
    let note = header
        .iter()
        .position(|h| h == "note")
        .expect("note column");
    let notes: Vec<String> = rows
        .records()
        .map(|r| r.expect("row").get(note).unwrap_or_default().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    // A note that starts with a formula character is written as text.
    assert!(notes.contains(&"'=1+1".to_string()), "{notes:?}");
    assert!(notes.iter().all(|n| !n.starts_with('=')));
}

#[test]
fn the_csv_has_one_row_per_measure_period_group_and_arm_with_numbers_as_numbers() {
    let csv = report("csv", MODEL);
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    // The framework's columns come first and are unchanged, so scripts that read by
    // position keep working.
    assert_eq!(&header[..14], &elmo::report::csv::HEADER[..14]);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let results: Vec<::csv::StringRecord> = rows
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| !r[col("period")].is_empty())
        .collect();
    assert_eq!(results.len(), 10, "one row per reading in results.csv");
    let female = results
        .iter()
        .find(|r| &r[col("group")] == "gender=female")
        .expect("breakdown row");
    assert_eq!(&female[col("measure_id")], "engaged-3m");
    assert_eq!(&female[col("numerator")], "52");
    assert_eq!(&female[col("denominator")], "90");
    let value: f64 = female[col("value")].parse().expect("a number");
    assert!((value - 57.777778).abs() < 1e-6, "{value}");
    let low: f64 = female[col("ci_low")].parse().expect("a number");
    assert!(low < value);
    assert_eq!(&female[col("status")], "on-track");
    assert_eq!(&female[col("synthetic")], "false");
    let comparison = results
        .iter()
        .find(|r| &r[col("arm")] == "comparison")
        .expect("comparison row");
    assert_eq!(&comparison[col("measure_id")], "in-work-rate");
}

#[test]
fn synthetic_data_is_labelled_synthetic_in_every_format() {
    let model = "models/alcohol-treatment.yaml";
    let html = report("html", model);
    let section = results_section(&html);
    assert!(section.contains("SYNTHETIC DATA</text>"), "on the chart");
    assert!(section.contains("(synthetic data)"), "in the summary table");
    assert!(section.contains("Synthetic data: made up to show how the figure is computed"));
    let md = report("md", model);
    assert!(md.contains("\\(synthetic data\\)") || md.contains("(synthetic data)"));
    assert!(md.contains("Synthetic data: made up"));
    let csv = report("csv", model);
    let rows: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains("completion-rate,"))
        .collect();
    assert!(
        rows.iter().filter(|l| l.contains(",true,")).count() > 1,
        "{rows:?}"
    );
}

#[test]
fn as_of_on_report_decides_what_is_stale() {
    let dir = crate::common::scratch("report-results-as-of");
    for f in ["model.yaml", "results.csv"] {
        std::fs::copy(
            Path::new(ROOT)
                .join("tests/fixtures/report-results")
                .join(f),
            dir.join(f),
        )
        .expect("copy");
    }
    let model = dir.join("model.yaml").display().to_string();
    let at = |date: &str| {
        let o = elmo(&["report", &model, "--as-of", date, "--format", "csv"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    assert!(!at("2025-09-30").contains(",stale,"));
    assert!(at("2026-09-30").contains(",stale,"));
    let md = {
        let o = elmo(&[
            "report",
            &model,
            "--as-of",
            "2026-09-30",
            "--audience",
            "team",
        ]);
        stdout(&o)
    };
    assert!(md.contains("As of 2026-09-30"));
    assert!(md.contains("stale-result"), "staleness is among the gaps");
}

#[test]
fn a_report_is_refused_when_the_results_have_errors() {
    let o = elmo(&[
        "report",
        "tests/fixtures/check-results/broken/model.yaml",
        "--as-of",
        "2025-09-30",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty(), "nothing written");
    let err = stderr(&o);
    assert!(err.contains("result-unknown-measure"), "{err}");
    assert!(err.contains("no report written"), "{err}");
}

#[test]
fn a_model_without_results_has_no_results_section() {
    let o = elmo(&[
        "report",
        "models/community-led-support.yaml",
        "--format",
        "html",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!stdout(&o).contains("<section class=\"results\">"));
}
