//! The Excel workbook `elmo report` writes and `elmo import` reads back: every bundled model
//! survives the round trip with no semantic difference, text is never a formula, the
//! spreadsheets teams keep become models (or a clear list of what could not be placed), and
//! LibreOffice opens every workbook.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, open_workbook_auto};

use crate::common::{ROOT, elmo, model_paths, require, scratch, stderr, stdout};

/// The workbook of the model at `model`, written to `dir/NAME.xlsx`.
fn workbook(model: &Path, dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(format!("{name}.xlsx"));
    let o = elmo(&[
        "report",
        model.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{name}: {}", stderr(&o));
    out
}

#[test]
fn every_bundled_model_comes_back_from_its_workbook_with_no_semantic_difference() {
    let dir = scratch("import-round-trip");
    // Results and records files are named relative to the model; the copy sits beside them.
    for f in std::fs::read_dir(Path::new(ROOT).join("models")).expect("models") {
        let f = f.expect("entry").path();
        if f.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&f, dir.join(f.file_name().expect("name"))).expect("copy data");
        }
    }
    for (name, path) in model_paths() {
        let xlsx = workbook(&path, &dir, &name);
        let back = dir.join(format!("{name}.yaml"));
        let o = elmo(&[
            "import",
            xlsx.to_str().expect("path"),
            "-o",
            back.to_str().expect("path"),
        ]);
        assert!(o.status.success(), "{name}: import failed: {}", stderr(&o));
        assert!(
            stderr(&o).contains("0 cells not imported"),
            "{name}: {}",
            stderr(&o)
        );
        let d = elmo(&[
            "diff",
            path.to_str().expect("path"),
            back.to_str().expect("path"),
        ]);
        assert!(
            d.status.success() && stdout(&d).contains("No semantic differences."),
            "{name}: the model changed on its way through Excel:\n{}{}",
            stdout(&d),
            stderr(&d)
        );
        // Beyond what the diff compares: every field, in the same order.
        let original = elmo::compile(&std::fs::read_to_string(&path).expect("model"));
        let imported = elmo::compile(&std::fs::read_to_string(&back).expect("import"));
        let json = |c: &elmo::Compiled| {
            serde_json::to_value(c.model.as_ref().expect("model")).expect("json")
        };
        let (a, b) = (json(&original), json(&imported));
        for key in a.as_object().expect("map").keys() {
            if key != "measures" {
                assert_eq!(
                    a[key], b[key],
                    "{name}: `{key}` differs after the round trip"
                );
            }
        }
        // Measures come back in the order the workbook first lists them; each is the same.
        let by_id = |v: &serde_json::Value| {
            let mut m: Vec<(String, serde_json::Value)> = v["measures"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| (m["id"].as_str().unwrap_or_default().to_string(), m.clone()))
                .collect();
            m.sort_by(|x, y| x.0.cmp(&y.0));
            m
        };
        assert_eq!(
            by_id(&a),
            by_id(&b),
            "{name}: a measure differs after the round trip"
        );
    }
}

/// Every cell of every sheet of `xlsx`, as (sheet, value), and whether any holds a formula.
fn cells(xlsx: &Path) -> (Vec<(String, Data)>, bool) {
    let mut wb = open_workbook_auto(xlsx).expect("workbook opens");
    let mut all = Vec::new();
    let mut formulas = false;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        all.extend(
            range
                .used_cells()
                .map(|(_, _, d)| (name.clone(), d.clone())),
        );
        let f = wb.worksheet_formula(&name).expect("formulas");
        formulas |= f.used_cells().any(|(_, _, s)| !s.is_empty());
    }
    (all, formulas)
}

const FORMULAS: &str = r#"title: '=HYPERLINK("http://x","y")'
outputs:
  - id: o1
    label: "=HYPERLINK(\"http://x\",\"y\")"
    description: "+cmd|' /C calc'!A0"
    measures: [m1]
measures:
  - id: m1
    label: "@SUM(1)"
    unit: "-"
    baseline: -5
    target: "-2"
    source: s
    frequency: "\t=1+1"
sources:
  - id: s
    label: "=cmd"
"#;

#[test]
fn a_formula_label_is_plain_text_in_the_workbook_and_neutralised_in_the_csv() {
    let dir = scratch("import-formulas");
    let model = dir.join("formulas.yaml");
    std::fs::write(&model, FORMULAS).expect("write");
    let xlsx = workbook(&model, &dir, "formulas");
    let (all, formulas) = cells(&xlsx);
    assert!(!formulas, "a cell of the workbook holds a formula");
    let label = Data::String("=HYPERLINK(\"http://x\",\"y\")".into());
    assert!(
        all.iter().any(|(s, d)| s == "Nodes" && *d == label),
        "the label is not a string cell: {all:?}"
    );
    for text in ["@SUM(1)", "=cmd", "+cmd|' /C calc'!A0", "\t=1+1", "-2"] {
        assert!(
            all.iter().any(|(_, d)| *d == Data::String(text.into())),
            "{text:?} is not a string cell"
        );
    }
    // A number stays a number.
    assert!(all.iter().any(|(_, d)| *d == Data::Float(-5.0)));

    let o = elmo(&["report", model.to_str().expect("path"), "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.lines()
            .any(|l| l.split(',').any(|c| c.starts_with("=HYPERLINK")))
    );

    // And back: the text comes home as it was written.
    let back = dir.join("back.yaml");
    let o = elmo(&[
        "import",
        xlsx.to_str().expect("path"),
        "-o",
        back.to_str().expect("path"),
    ]);
    assert!(
        stderr(&o).contains("0 cells not imported"),
        "{}",
        stderr(&o)
    );
    let d = elmo(&[
        "diff",
        model.to_str().expect("path"),
        back.to_str().expect("path"),
    ]);
    assert!(
        stdout(&d).contains("No semantic differences."),
        "{}",
        stdout(&d)
    );
}

#[test]
fn the_workbook_has_typed_cells_frozen_headers_and_filters() {
    let dir = scratch("import-typed");
    let path = Path::new(ROOT).join("models/alcohol-treatment.yaml");
    let xlsx = workbook(&path, &dir, "alcohol");
    let mut wb = open_workbook_auto(&xlsx).expect("opens");
    let names = wb.sheet_names();
    for s in [
        "About",
        "Measures",
        "Nodes",
        "Links",
        "Assumptions",
        "Sources",
        "Results",
        "Lint settings",
    ] {
        assert!(names.iter().any(|n| n == s), "no {s} sheet in {names:?}");
    }
    let m = wb.worksheet_range("Measures").expect("measures");
    let header: Vec<String> = m
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|d| d.to_string())
        .collect();
    let col = |h: &str| header.iter().position(|x| x == h).expect(h);
    let row = m
        .rows()
        .find(|r| r[col("Measure id")] == Data::String("completion-rate".into()))
        .expect("completion-rate row");
    // A text baseline stays text; numbers are numbers.
    assert!(
        matches!(row[col("Baseline")], Data::String(_)),
        "baseline {:?}",
        row[col("Baseline")]
    );
    let reoffending = Path::new(ROOT).join("models/reoffending-nine-dimensions.yaml");
    let mut wb2 = open_workbook_auto(workbook(&reoffending, &dir, "reoffending")).expect("opens");
    let m2 = wb2.worksheet_range("Measures").expect("measures");
    for h in ["Baseline", "Target", "Cohort"] {
        assert!(
            m2.rows()
                .skip(1)
                .any(|r| matches!(r[col(h)], Data::Float(_))),
            "no {h} is a number cell"
        );
    }
    for h in [
        "Numerator",
        "Denominator",
        "Direction",
        "Timing",
        "Source",
        "Frequency",
    ] {
        assert!(
            matches!(row[col(h)], Data::String(_)),
            "{h}: {:?}",
            row[col(h)]
        );
    }
    let s = wb.worksheet_range("Sources").expect("sources");
    assert!(
        s.used_cells().any(|(_, _, d)| matches!(d, Data::Bool(_))),
        "personal data is not a yes/no cell"
    );
    let about = wb.worksheet_range("About").expect("about");
    assert!(
        about
            .used_cells()
            .any(|(_, _, d)| matches!(d, Data::DateTime(_))),
        "the report date is not a date cell"
    );

    // Frozen header and filters are in each sheet's XML.
    let unzip = Command::new("unzip")
        .arg("-p")
        .arg(&xlsx)
        .arg("xl/worksheets/sheet2.xml")
        .output();
    if let Some(o) = unzip.ok().filter(|o| o.status.success()) {
        let xml = String::from_utf8_lossy(&o.stdout);
        assert!(xml.contains("state=\"frozen\""), "header not frozen");
        assert!(xml.contains("<autoFilter"), "no filter");
    }
}

/// What `elmo import` makes of a fixture: the YAML, the report on standard error, the status.
fn import_fixture(name: &str) -> (String, String, i32) {
    let path = Path::new(ROOT).join("tests/fixtures/import").join(name);
    let o = elmo(&["import", path.to_str().expect("path")]);
    (stdout(&o), stderr(&o), o.status.code().unwrap_or(-1))
}

#[test]
fn a_long_table_with_a_merged_title_and_merged_stage_cells_imports_clean() {
    let (yaml, report, status) = import_fixture("befriending.xlsx");
    assert_eq!(status, 0, "{report}");
    insta::assert_snapshot!("import-befriending-yaml", yaml);
    insta::assert_snapshot!("import-befriending-report", report);
    let c = elmo::compile(&yaml);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
}

#[test]
fn a_csv_with_notes_above_the_header_blank_lines_and_a_typo_in_a_stage_imports_with_a_report() {
    let (yaml, report, status) = import_fixture("youth-employment.csv");
    // The note above the table is reported, so the import says it was not all placed.
    assert_eq!(status, 1, "{report}");
    insta::assert_snapshot!("import-youth-employment-yaml", yaml);
    insta::assert_snapshot!("import-youth-employment-report", report);
    let c = elmo::compile(&yaml);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    assert!(
        yaml.contains("direct_impacts:"),
        "`Outcoms` was not read as outcomes"
    );
    // The guess is said once, at its first cell, so a wrong one is caught.
    let said = "row 12, column A: `Outcoms` is not a stage name; it was read as the nearest, direct impacts";
    assert_eq!(report.matches(said).count(), 1, "{report}");
    assert_eq!(report.matches("`Outcoms`").count(), 1, "{report}");
}

#[test]
fn a_wide_table_with_a_column_per_stage_imports_from_xlsx_and_ods_alike() {
    let (xlsx_yaml, xlsx_report, _) = import_fixture("food-bank-wide.xlsx");
    let (ods_yaml, ods_report, status) = import_fixture("food-bank.ods");
    assert_eq!(
        status, 1,
        "the note above the table is reported: {ods_report}"
    );
    insta::assert_snapshot!("import-food-bank-yaml", ods_yaml);
    insta::assert_snapshot!("import-food-bank-report", ods_report);
    assert_eq!(
        xlsx_yaml.replace("food-bank-wide.xlsx", "F"),
        ods_yaml.replace("food-bank.ods", "F")
    );
    assert_eq!(xlsx_report, ods_report);
    let c = elmo::compile(&ods_yaml);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
}

#[test]
fn links_that_name_no_box_and_rows_with_no_stage_are_reported_by_row_and_column() {
    let dir = scratch("import-problems");
    let csv = dir.join("team.csv");
    std::fs::write(
        &csv,
        "Stage,Label,Leads to,Budget\n\
         Inputs,Staff,Sessions; Nowhere,£2000\n\
         Activities,Sessions,Fewer falls\n\
         Wibble,Mystery row,\n\
         Outcomes,Fewer falls,\n",
    )
    .expect("write");
    let o = elmo(&["import", csv.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    let report = stderr(&o);
    for want in [
        "sheet \"team\", row 2, column C: `Nowhere` names no box",
        "sheet \"team\", row 2, column D: the column `Budget` is not one elmo reads",
        "sheet \"team\", row 4, column A: `Wibble` is not a stage",
    ] {
        assert!(report.contains(want), "missing {want:?} in:\n{report}");
    }
    let yaml = stdout(&o);
    assert!(yaml.contains("leads_to: [sessions]"), "{yaml}");
    assert!(yaml.contains("leads_to: [fewer_falls]"), "{yaml}");
}

#[test]
fn an_unreadable_file_is_a_usage_error_and_an_existing_output_is_kept() {
    let dir = scratch("import-errors");
    let bad = dir.join("not-a-workbook.xlsx");
    std::fs::write(&bad, "hello").expect("write");
    let o = elmo(&["import", bad.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));

    let out = dir.join("model.yaml");
    std::fs::write(&out, "mine").expect("write");
    let csv = Path::new(ROOT).join("tests/fixtures/import/youth-employment.csv");
    let o = elmo(&[
        "import",
        csv.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "mine");
}

#[test]
fn libreoffice_converts_the_workbook_of_every_bundled_model_to_pdf() {
    let test = "libreoffice_converts_the_workbook_of_every_bundled_model_to_pdf";
    if !require("soffice", &["--version"], test) || !require("pdfinfo", &["-v"], test) {
        return;
    }
    let dir = scratch("import-libreoffice");
    let profile = format!("file://{}", dir.join("profile").display());
    for (name, path) in model_paths() {
        let xlsx = workbook(&path, &dir, &name);
        let o = Command::new("soffice")
            .arg(format!("-env:UserInstallation={profile}"))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&xlsx)
            .output()
            .expect("soffice runs");
        let pdf = dir.join(format!("{name}.pdf"));
        assert!(
            o.status.success() && pdf.exists(),
            "{name}: LibreOffice could not convert the workbook: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
        let text = String::from_utf8_lossy(&info.stdout);
        let pages: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        assert!(pages >= 6, "{name}: only {pages} pages");
    }
}

#[test]
fn the_book_lists_every_heading_and_stage_word_import_reads() {
    use elmo::import::words::{FIELDS, STAGES};
    let book = crate::common::read(&Path::new(ROOT).join("book/src/import.md"));
    let row = |first: &str| {
        book.lines()
            .find(|l| l.starts_with(&format!("| {first} |")))
            .unwrap_or_else(|| panic!("book/src/import.md has no row for {first}"))
            .to_string()
    };
    for (field, names) in FIELDS {
        let line = row(field.name());
        for n in *names {
            assert!(
                line.contains(n),
                "the book's row for {} lacks {n:?}",
                field.name()
            );
        }
    }
    for (stage, names) in STAGES {
        let line = row(stage.key());
        for n in *names {
            let n = n.replace('_', " ");
            assert!(
                line.contains(&n),
                "the book's row for {} lacks {n:?}",
                stage.key()
            );
        }
    }
}

/// A workbook of a few kilobytes can name a cell a million rows down; laying that sheet out
/// in full would need hundreds of gigabytes. The import names the far cell and stops instead,
/// and a table that stays inside the bounds is read as before, wherever its cells start.
#[test]
fn a_far_off_cell_is_refused_by_name_not_laid_out() {
    let dir = scratch("import-far-cell");
    let write = |name: &str, far: Option<(u32, u16)>| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, (stage, label)) in [
            ("Stage", "Label"),
            ("Inputs", "Grant"),
            ("Activities", "Visits"),
        ]
        .into_iter()
        .enumerate()
        {
            let r = r as u32 + 5;
            ws.write_string(r, 3, stage).expect("cell");
            ws.write_string(r, 4, label).expect("cell");
        }
        if let Some((r, c)) = far {
            ws.write_string(r, c, "far away").expect("cell");
        }
        let path = dir.join(name);
        wb.save(&path).expect("save");
        path
    };
    for (name, far, cell) in [
        ("corner.xlsx", (1_048_575, 16_383), "XFD1048576"),
        ("just-past.xlsx", (100_000, 0), "A100001"),
        ("wide.xlsx", (0, 1_000), "ALM1"),
    ] {
        let path = write(name, Some(far));
        let o = elmo(&["import", path.to_str().expect("path")]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("has a cell at {cell}, past the")),
            "{name}: {}",
            stderr(&o)
        );
    }
    let path = write("inside.xlsx", Some((99_999, 999)));
    let o = elmo(&["import", path.to_str().expect("path")]);
    let report = stderr(&o);
    assert!(
        report.contains("row 100000, column ALL") && report.contains("far away"),
        "{report}"
    );
    let yaml = stdout(&o);
    assert!(yaml.contains("label: Visits"), "{yaml}");
}

/// A cell holds at most 32,767 characters; a longer description is refused with the sheet,
/// row, column and heading it would go in, and the formats that can hold it are named.
#[test]
fn text_longer_than_a_cell_holds_is_refused_with_its_place() {
    let dir = scratch("xlsx-long-text");
    let model = dir.join("long.yaml");
    let long = "word ".repeat(8_000);
    std::fs::write(
        &model,
        format!("title: Long\ninputs:\n  - id: a\n    label: Money\n    description: \"{long}\"\n"),
    )
    .expect("write");
    let out = dir.join("long.xlsx");
    let o = elmo(&[
        "report",
        model.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("sheet Nodes: row 2, column D (Description): the text is 40000 characters"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "a workbook was written");
}
