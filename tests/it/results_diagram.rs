//! Results on the diagram: each measure line shows its latest value and status shape, with
//! the status word in a hook and a tooltip, and a model without results is drawn exactly as
//! before.

use std::path::{Path, PathBuf};

use elmo::render::theme::LIGHT;
use elmo::results::{Date, Results};

use crate::common::{command, elmo, root, scratch, stderr, stdout};

/// The day every test judges results on, so staleness never depends on when tests run.
const AS_OF: &str = "2025-09-30";

const MODEL: &str = "title: Mentoring
results: [results.csv]
outputs:
  - id: sessions
    label: Weekly sessions
    measures: [attended, rating]
    leads_to: [confidence]
direct_impacts:
  - id: confidence
    label: Young people feel more confident
    measures: [engaged, reoffending]
measures:
  - id: attended
    label: Attended
    unit: percent
    baseline: 40
    target: 60
    frequency: quarterly
  - id: rating
    label: Sessions rated good by the young people who came to them
    unit: percent
    baseline: 50
    target: 70
    frequency: quarterly
  - id: engaged
    label: Still engaged at three months
    unit: percent
    baseline: 30
    target: 50
    frequency: quarterly
  - id: reoffending
    label: Reoffending within a year
    unit: percent
    baseline: 40
    target: 30
    frequency: annually
";

const RESULTS: &str = "measure,period,numerator,denominator
attended,2025-Q2,61,100
rating,2025-Q2,52,100
engaged,2025-Q2,25,100
";

fn as_of() -> Date {
    Date::parse(AS_OF).expect("a date")
}

/// A folder with the model and its results file.
fn folder(name: &str, model: &str, results: &str) -> PathBuf {
    let dir = scratch(&format!("results-diagram/{name}"));
    std::fs::write(dir.join("model.yaml"), model).expect("model");
    std::fs::write(dir.join("results.csv"), results).expect("results");
    dir
}

fn evaluated(dir: &Path, src: &str) -> (elmo::Compiled, Results) {
    let compiled = elmo::compile(src);
    let results = elmo::results::evaluate(compiled.model.as_ref().expect("model"), dir, as_of());
    (compiled, results)
}

/// Each measure line with a result: (measure id, status hook, text, tooltip).
fn measure_lines(svg: &str) -> Vec<(String, String, String, String)> {
    let doc = roxmltree::Document::parse(svg).expect("SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("measure") && n.has_attribute("data-status"))
        .map(|n| {
            let text: String = n
                .descendants()
                .filter(|d| d.is_text() && d.parent().is_some_and(|p| !p.has_tag_name("title")))
                .filter_map(|d| d.text())
                .collect();
            let title = n
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default();
            (
                n.attribute("data-measure").unwrap_or_default().to_string(),
                n.attribute("data-status").unwrap_or_default().to_string(),
                text,
                title.to_string(),
            )
        })
        .collect()
}

#[test]
fn each_measure_line_shows_its_latest_value_and_status_shape_and_word() {
    let dir = folder("shown", MODEL, RESULTS);
    let (compiled, results) = evaluated(&dir, MODEL);
    let svg = elmo::render::svg_results(&compiled, &LIGHT, None, Some(&results)).expect("svg");
    let lines = measure_lines(&svg);
    let ids: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(ids, ["attended", "rating", "engaged", "reoffending"]);
    for (id, hook, text, title) in &lines {
        let r = results.measure(id).expect("a result per measure");
        assert_eq!(hook, r.status.word(), "{id}: the hook is the status word");
        assert!(
            text.ends_with(r.status.shape()),
            "{id}: the shape ends the line: {text}"
        );
        assert!(
            title.contains(r.status.word()),
            "{id}: the tooltip says the status in words: {title}"
        );
    }
    let line = |id: &str| lines.iter().find(|l| l.0 == id).expect("line");
    assert_eq!(
        line("attended").2,
        "Attended · 61% ★",
        "a short label keeps its result beside it"
    );
    assert_eq!(line("attended").1, "met");
    assert!(
        line("engaged").2.ends_with("25% ▼"),
        "{}",
        line("engaged").2
    );
    assert_eq!(line("engaged").1, "off-track");
    // No reading: the shape alone, and the tooltip says so.
    assert!(
        line("reoffending").2.ends_with(" · ○"),
        "{}",
        line("reoffending").2
    );
    assert!(line("reoffending").3.contains("no reading yet"));
    // A long label keeps its words: the result takes a line of its own.
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let rating = doc
        .descendants()
        .find(|n| n.attribute("data-measure") == Some("rating"))
        .expect("the rating line");
    let own_lines: Vec<(Option<&str>, &str)> = rating
        .children()
        .filter(|n| n.has_tag_name("tspan"))
        .map(|n| (n.attribute("class"), n.text().unwrap_or_default()))
        .collect();
    let (label, result) = own_lines.split_at(own_lines.len() - 1);
    assert_eq!(result, [(Some("result"), "52% ◆")]);
    assert_eq!(
        label.iter().map(|l| l.1).collect::<Vec<_>>().join(" "),
        "Sessions rated good by the young people who came to them"
    );
    // The legend explains every shape the boxes use.
    for status in ["met", "off-track", "no-data"] {
        assert!(
            svg.contains(&format!(r#"class="result-shape" data-status="{status}""#)),
            "no legend entry for {status}"
        );
    }
}

#[test]
fn a_model_without_results_is_drawn_byte_for_byte_as_before() {
    for (name, src) in crate::common::models() {
        let compiled = elmo::compile(&src);
        let plain = elmo::render::svg_fit(&compiled, &LIGHT, None).expect("svg");
        assert_eq!(
            elmo::render::svg_results(&compiled, &LIGHT, None, None).as_deref(),
            Some(plain.as_str()),
            "{name}"
        );
        assert!(!plain.contains("data-status=\"met\"") && !plain.contains("class=\"result"));
    }
    // Through the command line, a model that names no results is drawn as the library draws it.
    let path = root().join("models/community-led-support.yaml");
    let src = std::fs::read_to_string(&path).expect("model");
    let out = elmo(&["render", "models/community-led-support.yaml", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let compiled = elmo::compile(&src);
    assert_eq!(
        stdout(&out),
        elmo::render::svg_fit(&compiled, &LIGHT, None).expect("svg")
    );
}

#[test]
fn elmo_render_reads_the_results_beside_the_model_as_of_the_day_given() {
    let dir = folder("cli", MODEL, RESULTS);
    let out = command()
        .current_dir(&dir)
        .args(["render", "model.yaml", "--as-of", AS_OF, "-o", "-"])
        .output()
        .expect("elmo runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = measure_lines(&stdout(&out));
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().any(|l| l.1 == "met" && l.2.contains("61% ★")));
    // From another folder the paths are still relative to the model.
    let elsewhere = elmo(&[
        "render",
        &dir.join("model.yaml").display().to_string(),
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(stdout(&elsewhere), stdout(&out));
    // Long after the readings, the quarterly measures are stale.
    let late = command()
        .current_dir(&dir)
        .args(["render", "model.yaml", "--as-of", "2027-01-01"])
        .output()
        .expect("elmo runs");
    assert!(measure_lines(&stdout(&late)).iter().any(|l| l.1 == "stale"));
    // Standard input has no folder, so no results.
    let piped = command()
        .current_dir(&dir)
        .args(["render", "-", "--as-of", AS_OF])
        .stdin(std::fs::File::open(dir.join("model.yaml")).expect("model"))
        .output()
        .expect("elmo runs");
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    assert!(measure_lines(&stdout(&piped)).is_empty());
    let bad = elmo(&[
        "render",
        "models/peterborough-sib.yaml",
        "--as-of",
        "30/09/2025",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("YYYY-MM-DD"));
}

#[test]
fn elmo_render_refuses_results_with_errors_and_points_into_the_csv() {
    let dir = folder(
        "broken",
        MODEL,
        "measure,period,numerator,denominator\nattended,2025-Q2,61,100\nengaged,2025-Q2,125,100\n",
    );
    let target = dir.join("out.svg");
    let out = command()
        .current_dir(&dir)
        .args(["render", "model.yaml", "--as-of", AS_OF, "-o", "out.svg"])
        .output()
        .expect("elmo runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("result-numerator-above-denominator"), "{err}");
    assert!(
        err.contains("results.csv:3:"),
        "points at the CSV row: {err}"
    );
    assert!(err.contains("nothing written"), "{err}");
    assert!(!target.exists());
}

/// The bundled models that have results, drawn with them as of a fixed day. Only these
/// models' drawings change when results are shown; the plain goldens stay as they were.
#[test]
fn golden_svgs_of_bundled_models_with_results() {
    for name in ["alcohol-treatment", "peterborough-sib"] {
        let path = root().join(format!("models/{name}.yaml"));
        let src = std::fs::read_to_string(&path).expect("model");
        let (compiled, results) = evaluated(&root().join("models"), &src);
        assert!(!results.has_errors(), "{name}");
        let svg = elmo::render::svg_results(&compiled, &LIGHT, None, Some(&results)).expect("svg");
        insta::assert_snapshot!(format!("svg-results-{name}"), svg);
    }
}

/// With results on their measure lines, the bundled models still read from the back of the
/// room when fitted to a 1080p projector.
#[test]
fn bundled_models_with_results_stay_legible_at_1080p() {
    for name in ["alcohol-treatment", "peterborough-sib"] {
        let src =
            std::fs::read_to_string(root().join(format!("models/{name}.yaml"))).expect("model");
        let (compiled, results) = evaluated(&root().join("models"), &src);
        let marks = elmo::layout::ResultMarks::of(&results);
        let l =
            elmo::render::layout_for_results(&compiled, None, None, Some(&marks)).expect("layout");
        let screen = (1920.0 / l.width).min(1080.0 / l.height);
        let label = l.metrics.label_size * screen;
        let measure = l.metrics.measure_size * screen;
        assert!(
            label >= 18.0 && measure >= 14.0,
            "{name}: labels {label:.1} px, measures {measure:.1} px at 1080p"
        );
        let shown = l
            .nodes
            .iter()
            .flat_map(|b| &b.measure_text)
            .filter(|t| t.result.is_some())
            .count();
        assert!(shown > 0, "{name}: no results shown");
    }
}

/// A picture (PNG) has no tooltips, so its list of measures in full gives each result with
/// its status word.
#[test]
fn a_picture_lists_each_result_with_its_status_word() {
    let dir = folder("picture", MODEL, RESULTS);
    let (compiled, results) = evaluated(&dir, MODEL);
    let svg =
        elmo::render::picture_svg_results(&compiled, &LIGHT, None, Some(&results)).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let list: String = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("measure-list"))
        .expect("a measure list")
        .descendants()
        .filter(|n| n.has_tag_name("tspan"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(list.contains("Attended · 61% ★ met"), "{list}");
    assert!(
        list.contains("Reoffending within a year · ○ no-data"),
        "{list}"
    );
}

/// The served page admits only the drawing's first `<style>` (by its nonce), so the result
/// styles must be in that one and not in a second element of their own.
#[test]
fn result_styles_sit_in_the_one_style_element_the_page_nonce_admits() {
    let dir = folder("style", MODEL, RESULTS);
    let (compiled, results) = evaluated(&dir, MODEL);
    let svg = elmo::render::svg_results(&compiled, &LIGHT, None, Some(&results)).expect("svg");
    assert_eq!(svg.matches("<style").count(), 1);
    let style = &svg[svg.find("<style>").unwrap_or(0)..svg.find("</style>").unwrap_or(0)];
    assert!(style.contains(".result"), "{style}");
}
