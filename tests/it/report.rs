//! `elmo report`: snapshots of every format on the bundled models, the CSV read back by a CSV
//! parser, escaping of hostile text, gaps taken from the checks, and the error path.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{ROOT, elmo, models, tmp_dir};
use elmo::report::build::document;
use elmo::report::document::Audience;
use elmo::report::{Report, csv, html, md};

fn report(src: &str) -> (Report, elmo::Compiled) {
    let c = elmo::compile(src);
    (Report::build(&c).expect("no errors"), c)
}

/// The funder's Markdown, the default.
fn markdown(r: &Report) -> String {
    md::markdown(&document(r, Audience::Funder, None))
}

/// The funder's HTML, with `svg` as the diagram.
fn html_of(r: &Report, svg: Option<&str>) -> String {
    html::html(&document(r, Audience::Funder, svg))
}

/// The HTML with its embedded SVG cut out: the SVG has its own golden snapshots.
fn html_without_svg(doc: &str) -> String {
    match (doc.find("<svg"), doc.find("</svg>")) {
        (Some(a), Some(b)) => format!(
            "{}<!-- diagram: {} bytes -->{}",
            &doc[..a],
            b + 6 - a,
            &doc[b + 6..]
        ),
        _ => doc.to_string(),
    }
}

#[test]
fn snapshots_of_every_format() {
    for (name, src) in models() {
        let (r, c) = report(&src);
        insta::assert_snapshot!(format!("md-{name}"), markdown(&r));
        let svg = elmo::render::svg(&c, &elmo::render::theme::LIGHT).expect("svg");
        let doc = html_of(&r, Some(&svg));
        assert!(
            doc.contains(svg.trim_end()),
            "{name}: the diagram is embedded whole"
        );
        insta::assert_snapshot!(format!("html-{name}"), html_without_svg(&doc));
        insta::assert_snapshot!(format!("csv-{name}"), csv::csv(&r).expect("csv"));
    }
}

#[test]
fn every_output_and_impact_appears_in_stage_order_with_its_measures() {
    // Inputs and activities appear too, but only those that have measures.
    for (name, src) in models() {
        let (r, c) = report(&src);
        let model = c.model.expect("model");
        let want: Vec<&str> = model
            .nodes()
            .filter(|(s, n)| *s >= elmo::Stage::Outputs || !n.measures.is_empty())
            .map(|(_, n)| n.id.value.as_str())
            .collect();
        let have: Vec<&str> = r.framework.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(have, want, "{name}");
        for n in &r.framework {
            let node = model
                .nodes()
                .find(|(_, m)| m.id.value == n.id)
                .expect("node")
                .1;
            let ids: Vec<&str> = n.measures.iter().map(|m| m.id.as_str()).collect();
            let want: Vec<&str> = node.measures.iter().map(|m| m.value.as_str()).collect();
            assert_eq!(ids, want, "{name}: {}", n.id);
        }
    }
}

#[test]
fn csv_reads_back_one_row_per_node_and_measure() {
    let src = r#"title: "Commas, \"quotes\"
  and lines"
outputs:
  - id: o1
    label: "Sessions, workshops and \"drop-ins\"\nsecond line"
    measures: [m1, m2]
    leads_to: [d1]
  - id: o2
    label: "=SUM(A1:A2) not a formula"
direct_impacts:
  - id: d1
    label: Plain
    measures: [m2]
measures:
  - id: m1
    label: "Count, per \"quarter\""
    kind: quantitative
    unit: "people, adults"
    baseline: 0
    target: "1,200"
    source: s
    frequency: "quarterly\nand yearly"
  - id: m2
    label: Stories
    kind: qualitative
    source: s
    frequency: yearly
sources:
  - id: s
    label: "Log, \"main\""
"#;
    let (r, _) = report(src);
    let text = csv::csv(&r).expect("csv");
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, csv::HEADER.to_vec());
    let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    // o1 × 2 measures, o2 with none, d1 × 1.
    assert_eq!(rows.len(), 4);
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    assert_eq!(
        &rows[0][col("node")],
        "Sessions, workshops and \"drop-ins\"\nsecond line"
    );
    assert_eq!(&rows[0][col("measure")], "Count, per \"quarter\"");
    assert_eq!(&rows[0][col("unit")], "people, adults");
    assert_eq!(&rows[0][col("target")], "1,200");
    assert_eq!(&rows[0][col("baseline")], "0");
    assert_eq!(&rows[0][col("source")], "Log, \"main\"");
    assert_eq!(&rows[0][col("frequency")], "quarterly\nand yearly");
    assert_eq!(&rows[1][col("measure_id")], "m2");
    assert_eq!(&rows[2][col("node_id")], "o2");
    assert_eq!(&rows[2][col("node")], "'=SUM(A1:A2) not a formula");
    assert!(
        (col("measure_id")..header.len()).all(|i| rows[2][i].is_empty()),
        "a node without measures has empty measure columns"
    );
    assert_eq!(&rows[3][col("stage")], "direct_impacts");
    for row in &rows {
        assert_eq!(row.len(), header.len());
    }
}

const HOSTILE: &str = r#"title: "<script>alert(1)</script> | *bold* _x_"
vision: "[link](javascript:alert(1)) <img src=x onerror=alert(1)>"
context: "1. not a list | pipe"
inputs:
  - id: a
    label: "<b>in</b>"
    leads_to: [b]
outputs:
  - id: b
    label: "a | b * c _ d ` e # f"
    measures: [m]
    leads_to: [c]
systemic_impacts:
  - id: c
    label: "</td></tr><script>x()</script>"
    measures: [m]
measures:
  - id: m
    label: "<i>m</i> | [x](y)"
    kind: proxy
    proxy_for: "a <thing> & |more|"
    source: s
    frequency: "*often*"
sources:
  - id: s
    label: "S & <co>"
    personal_data: true
assumptions:
  - id: h
    text: "It holds </table><script>"
    applies_to: ["a -> b", c]
    status: refuted
    evidence: "<iframe src=x>"
"#;

#[test]
fn hostile_text_is_escaped_in_html_and_markdown() {
    let (r, c) = report(HOSTILE);
    let svg = elmo::render::svg(&c, &elmo::render::theme::LIGHT);
    let doc = html_of(&r, svg.as_deref());
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "<b>",
        "<i>",
        "</td></tr><script",
        "javascript:alert(1)\">",
    ] {
        assert!(!doc.contains(bad), "HTML contains {bad}");
    }
    assert!(doc.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // The only URL is the SVG namespace name, which is never fetched.
    let rest = doc.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !rest.contains("http://") && !rest.contains("https://"),
        "no external URL"
    );
    assert!(!doc.contains("<link") && !doc.contains("@import") && !doc.contains("<script"));
    // The title also runs in the page margins, inside a style sheet: it cannot end it.
    assert_eq!(
        html_without_svg(&doc).matches("</style>").count(),
        2,
        "a style sheet was cut short"
    );
    let margins = doc
        .split("<style>")
        .nth(2)
        .and_then(|m| m.split("</style>").next())
        .expect("the page-margin style sheet");
    assert!(!margins.contains('<'), "{margins}");

    let text = markdown(&r);
    // Every `<` and `[` outside code spans is backslash-escaped, so no tag or link can form;
    // inside a code span (elmo's own quoting of ids and keys) Markdown forms neither.
    let mut in_code = false;
    for (i, ch) in text.char_indices() {
        if ch == '`' && !text[..i].ends_with('\\') {
            in_code = !in_code;
        }
        if !in_code && (ch == '<' || ch == '[') {
            assert!(
                text[..i].ends_with('\\'),
                "unescaped {ch} at {i}: {}",
                &text[i.saturating_sub(30)..i + 1]
            );
        }
    }
    // Every table row has exactly as many unescaped pipes as its header.
    let mut width = None;
    for line in text.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let pipes = line
            .char_indices()
            .filter(|&(i, ch)| ch == '|' && !line[..i].ends_with('\\'))
            .count();
        let w = *width.get_or_insert(pipes);
        assert_eq!(pipes, w, "broken table row: {line}");
    }
    assert!(text.contains(r"1\. not a list"), "a list mark is escaped");
    // The personal-data source without storage is flagged in both.
    assert!(text.contains("⚠ **not stated**"));
    assert!(doc.contains("⚠ <strong>not stated</strong>"));
}

#[test]
fn gaps_come_from_the_checks() {
    let src = std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/ci/mixed.yaml"))
        .expect("fixture");
    // Without the two errors the rest of the fixture is a model with warnings only.
    let src = src
        .replace(", mentorng]", "]")
        .replace("  - id: survey\n    label: Exit survey of leavers\n", "");
    let (r, c) = report(&src);
    let codes: Vec<&str> = r.gaps.iter().map(|g| g.code.as_str()).collect();
    let mut want: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    want.sort_by_key(|c| {
        elmo::Code::ALL
            .iter()
            .position(|x| x.as_str() == *c)
            .unwrap_or(0)
    });
    want.dedup();
    assert_eq!(codes, want);
    assert!(codes.contains(&"unmeasured-outcome") && codes.contains(&"incomplete-measure"));
    let items: usize = r.gaps.iter().map(|g| g.items.len()).sum();
    assert_eq!(items, c.diagnostics.len());
    // The team's report quotes the checks; the funder's says the same in plain words.
    let text = md::markdown(&document(&r, Audience::Team, None));
    assert!(text.contains("Systemic impact `qualifications` has no measure"));
    assert!(
        markdown(&r)
            .contains("Nobody measures “Fewer young people leave school without qualifications”")
    );
}

#[test]
fn assumptions_are_grouped_by_status_with_labels() {
    let (r, _) = report(
        &std::fs::read_to_string(Path::new(ROOT).join("models/peterborough-sib.yaml"))
            .expect("model"),
    );
    let order: Vec<elmo::model::Status> = r.assumptions.iter().map(|g| g.status).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|s| elmo::report::STATUS_ORDER.iter().position(|x| x == s));
    assert_eq!(order, sorted);
    let challenged = &r.assumptions[0];
    assert_eq!(challenged.status, elmo::model::Status::Challenged);
    assert_eq!(
        challenged.items[0].applies_to[0],
        "Service users engaged for over a month → Acute needs are met after release"
    );
}

#[test]
fn cli_formats_outputs_and_errors() {
    let o = elmo(&["report", "models/alcohol-treatment.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("# Measurement framework: "));
    let dir = tmp_dir("report");
    for (ext, start) in [
        ("html", "<!doctype html>"),
        ("csv", "stage,node_id,"),
        ("md", "# "),
    ] {
        let out = dir.join(format!("alcohol.{ext}"));
        let o = elmo(&[
            "report",
            "models/alcohol-treatment.yaml",
            "-o",
            out.to_str().expect("utf-8"),
        ]);
        assert_eq!(o.status.code(), Some(0));
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(
            text.starts_with(start),
            "{ext}: {}",
            &text[..40.min(text.len())]
        );
    }
    let o = elmo(&["report", "models/alcohol-treatment.yaml", "--format", "csv"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("stage,"));

    // A model with errors: diagnostics on stderr, nothing written, exit 1.
    let out = dir.join("broken.html");
    let _ = std::fs::remove_file(&out);
    let o = elmo(&[
        "report",
        "tests/fixtures/diagnostics/cycle.yaml",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "nothing written");
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("cycle"));
    let o = elmo(&["report", "no-such-file.yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

/// A model whose measures are long, sit on an activity and an input as well as on outputs and
/// impacts, and one of which no box uses.
const ALL_MEASURES: &str = r#"title: Every measure
inputs:
  - id: staff
    label: Staff
    measures: [staff-hours]
    leads_to: [sessions]
activities:
  - id: sessions
    label: Run sessions
    measures: [sessions-run]
    leads_to: [attended]
outputs:
  - id: attended
    label: People attend
    measures: [attendance]
    leads_to: [better]
systemic_impacts:
  - id: better
    label: Lives improve
    measures: [wellbeing]
measures:
  - id: staff-hours
    label: Hours of trained staff time given to the programme in each quarter, from the rota
    kind: qualitative
    source: s
    frequency: quarterly
  - id: sessions-run
    label: Number of group and one-to-one sessions actually run, against the number planned at the start of the year
    kind: qualitative
    source: s
    frequency: monthly
  - id: attendance
    label: Share of service users in contact for over a month after their first session, counted from the case system
    kind: qualitative
    source: s
    frequency: monthly
  - id: wellbeing
    label: Change in the short Warwick-Edinburgh mental wellbeing score between the first and the last session
    kind: qualitative
    source: s
    frequency: yearly
  - id: spare
    label: A measure that nobody has attached to a box yet, but which the report must still list in full
    kind: qualitative
    source: s
    frequency: yearly
sources:
  - id: s
    label: Case system
"#;

/// The diagram cuts measure lines short; the report is where they are read in full, so every
/// measure of the model appears with its whole label in every format.
#[test]
fn every_measure_is_listed_in_full_in_every_format() {
    let mut cases = models();
    cases.push(("all-measures".into(), ALL_MEASURES.into()));
    for (name, src) in cases {
        let (r, c) = report(&src);
        let model = c.model.as_ref().expect("model");
        let svg = elmo::render::svg(&c, &elmo::render::theme::LIGHT);
        let doc = html_of(&r, svg.as_deref());
        let doc = html_without_svg(&doc);
        let text = markdown(&r);
        let table = csv::csv(&r).expect("csv");
        let mut reader = ::csv::Reader::from_reader(table.as_bytes());
        let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        let col = csv::HEADER
            .iter()
            .position(|h| *h == "measure")
            .expect("column");
        let id_col = csv::HEADER
            .iter()
            .position(|h| *h == "measure_id")
            .expect("column");
        for m in &model.measures {
            let label = &m.label.value;
            assert!(
                doc.contains(&format!("<td>{}</td>", elmo::escape::xml(label)))
                    || doc.contains(&format!(
                        "<td class=\"first\">{}</td>",
                        elmo::escape::xml(label)
                    )),
                "{name}: HTML lacks {label}"
            );
            assert!(
                text.contains(&format!("| {} |", md::escape(label))),
                "{name}: Markdown lacks {label}"
            );
            assert!(
                rows.iter()
                    .any(|r| &r[id_col] == m.id.value.as_str() && &r[col] == label.as_str()),
                "{name}: CSV lacks {label}"
            );
        }
    }
    let (r, _) = report(ALL_MEASURES);
    let stages: Vec<elmo::Stage> = r.framework.iter().map(|n| n.stage).collect();
    assert_eq!(
        stages,
        [
            elmo::Stage::Inputs,
            elmo::Stage::Activities,
            elmo::Stage::Outputs,
            elmo::Stage::SystemicImpacts
        ]
    );
    let unused: Vec<&str> = r.unused_measures.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(unused, ["spare"]);
    let text = csv::csv(&r).expect("csv");
    assert!(
        text.lines()
            .any(|l| l.starts_with(",,,spare,\"A measure that nobody")),
        "an unused measure has a row with empty box columns"
    );
}

/// Runs git in `dir` with a throwaway identity, failing the test if git does.
fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=elmo test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// `elmo report` run from another folder, with SOURCE_DATE_EPOCH set.
fn report_at(file: &Path, epoch: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_elmo"))
        .arg("report")
        .arg(file)
        .args(["--format", "md"])
        .env("SOURCE_DATE_EPOCH", epoch)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("elmo runs")
}

/// The report names the day from SOURCE_DATE_EPOCH and the commit that last changed the
/// model file, asked of git in the file's own folder, even for a file name git could read
/// as an option; it says when the file has changed since, has never been committed, or is
/// not in git at all.
#[test]
fn report_is_stamped_with_the_date_and_the_files_git_commit() {
    if Command::new("git").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "git is required under CI=true"
        );
        eprintln!("SKIPPED report stamp: git not found");
        return;
    }
    // Outside any repository, so "not in git" is really not in git.
    let root = std::env::temp_dir().join(format!("elmo-report-stamp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = root.join("repo");
    std::fs::create_dir_all(repo.join("sub")).expect("dir");
    let src = std::fs::read_to_string(Path::new(ROOT).join("models/peterborough-sib.yaml"))
        .expect("model");

    // The model's results file goes with each copy, as it would in a real folder.
    let results = std::fs::read(Path::new(ROOT).join("models/peterborough-sib-results.csv"))
        .expect("results");
    std::fs::write(root.join("peterborough-sib-results.csv"), &results).expect("write");
    std::fs::write(repo.join("sub/peterborough-sib-results.csv"), &results).expect("write");
    let loose = root.join("loose.yaml");
    std::fs::write(&loose, &src).expect("write");
    let o = report_at(&loose, "1700000000");
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("*Made 2023-11-14, model not in git.*"),
        "{}",
        &text[..200]
    );

    git(&repo, &["init", "-q"]);
    // A name git would read as an option if it were not kept after `--end-of-options --`.
    let model = repo.join("sub").join("-p.yaml");
    std::fs::write(&model, &src).expect("write");
    let o = report_at(&model, "0");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("*Made 1970-01-01, model not yet committed.*")
    );

    git(&repo, &["add", "--", "sub/-p.yaml"]);
    git(&repo, &["commit", "-q", "-m", "model"]);
    let first = git(&repo, &["rev-parse", "--short", "HEAD"]);
    // A later commit that does not touch the model leaves its version alone.
    std::fs::write(repo.join("other.txt"), "x").expect("write");
    git(&repo, &["add", "other.txt"]);
    git(&repo, &["commit", "-q", "-m", "other"]);
    let o = report_at(&model, "1700000000");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!("*Made 2023-11-14, model version {first}.*")),
        "{}",
        &text[..200]
    );

    std::fs::write(&model, format!("{src}\n# edited\n")).expect("write");
    let o = report_at(&model, "1700000000");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!("model version {first} with uncommitted changes.*")),
        "{}",
        &text[..200]
    );

    assert_eq!(
        report_at(&model, "1700000000").stdout,
        o.stdout,
        "with SOURCE_DATE_EPOCH set the report is reproducible"
    );

    let o = report_at(&model, "yesterday");
    assert_eq!(
        o.status.code(),
        Some(2),
        "a malformed SOURCE_DATE_EPOCH is refused"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("SOURCE_DATE_EPOCH"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised() {
    let src = r#"title: t
outputs:
  - id: o1
    label: "=1+1"
    measures: [m1]
  - id: o2
    label: "@monthly"
  - id: o3
    label: "-src"
  - id: o4
    label: "+cmd|' /C calc'!A0"
  - id: o5
    label: "\t=1+1"
  - id: o6
    label: "\r=1+1"
  - id: o7
    label: "  =HYPERLINK(\"http://x\")"
  - id: o8
    label: "plain = fine"
measures:
  - id: m1
    label: "@SUM(1)"
    kind: quantitative
    unit: "-"
    baseline: -5
    target: "+2.5"
    source: s
    frequency: "=monthly"
    owner: "-1+2"
sources:
  - id: s
    label: "=cmd"
"#;
    let (r, _) = report(src);
    let text = csv::csv(&r).expect("csv");
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let col = |name: &str| csv::HEADER.iter().position(|h| *h == name).expect("column");
    let nodes: Vec<&str> = rows.iter().map(|r| &r[col("node")]).collect();
    assert_eq!(
        nodes,
        [
            "'=1+1",
            "'@monthly",
            "'-src",
            "'+cmd|' /C calc'!A0",
            "'\t=1+1",
            "'\r=1+1",
            "'  =HYPERLINK(\"http://x\")",
            "plain = fine"
        ]
    );
    let m = &rows[0];
    assert_eq!(&m[col("measure")], "'@SUM(1)");
    assert_eq!(&m[col("unit")], "'-");
    assert_eq!(&m[col("frequency")], "'=monthly");
    assert_eq!(&m[col("owner")], "'-1+2");
    assert_eq!(&m[col("source")], "'=cmd");
    // Numbers stay numbers: they cannot run anything.
    assert_eq!(&m[col("baseline")], "-5");
    assert_eq!(&m[col("target")], "+2.5");
    // No cell of any row starts a formula.
    for row in &rows {
        for cell in row {
            let number = cell.parse::<f64>().is_ok();
            assert!(
                number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
}
