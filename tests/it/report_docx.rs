//! `elmo report -o FILE.docx`: the Word report of every bundled model, read back from its
//! package (the XML inside the zip) and opened by a real office client.
//!
//! The LibreOffice test needs `soffice` (Debian `libreoffice-writer-nogui`); under `CI=true` a
//! missing one fails the test, elsewhere the test says loudly that it skipped. The PDFs are
//! left in `target/tmp/report-docx/` for a person to look at
//! (`pdftoppm -png -r 60 FILE.pdf page`).

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{command, model_paths, require, scratch};
use elmo::report::document::{Audience, Block, plain};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
/// 2026-01-02, so the footer's date is known.
const EPOCH: &str = "1767312000";

/// The Word report of `model`, written to `dir`, as bytes.
fn report(model: &Path, dir: &Path, args: &[&str]) -> (PathBuf, Vec<u8>) {
    let stem = model.file_stem().expect("stem").to_string_lossy();
    let out = dir.join(format!("{stem}.docx"));
    let o = command()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("report")
        .arg(model)
        .arg("-o")
        .arg(&out)
        .args(args)
        .output()
        .expect("elmo runs");
    assert!(
        o.status.success(),
        "{}: {}",
        model.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&out).expect("the .docx was written");
    (out, bytes)
}

/// The text of `name` inside the package.
fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip package");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

/// The text of each paragraph of `node`'s descendants.
fn paragraphs(node: roxmltree::Node) -> Vec<String> {
    node.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            p.descendants()
                .filter(|t| t.has_tag_name((W, "t")))
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}

/// The text of each row of each table, a cell per entry.
fn table_rows(doc: &roxmltree::Document) -> Vec<Vec<String>> {
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "tr")))
        .map(|tr| {
            tr.children()
                .filter(|c| c.has_tag_name((W, "tc")))
                .map(|tc| paragraphs(tc).join("\n"))
                .collect()
        })
        .collect()
}

#[test]
fn the_word_report_of_every_bundled_model_has_every_measure_and_its_full_definition() {
    let dir = scratch("report-docx-content");
    for (name, path) in model_paths() {
        let (_, bytes) = report(&path, &dir, &[]);
        let xml = part(&bytes, "word/document.xml");
        let doc = roxmltree::Document::parse(&xml).expect("well-formed document.xml");
        let text = paragraphs(doc.root_element()).join("\n");

        let src = std::fs::read_to_string(&path).expect("model");
        let compiled = elmo::compile(&src);
        let model = compiled.model.as_ref().expect("bundled models compile");
        for m in &model.measures {
            assert!(
                text.contains(m.label.as_str()),
                "{name}: measure {:?} missing",
                *m.label
            );
        }

        // Every field of every definition the report's document gives, term and words in
        // one row of a Word table.
        let report = elmo::report::Report::build(&compiled).expect("a report");
        let expected = elmo::report::build::document(&report, Audience::Funder, None);
        let rows = table_rows(&doc);
        let mut fields = 0;
        for block in &expected.blocks {
            if let Block::Definitions(pairs) = block {
                for (term, words) in pairs {
                    let words = plain(words);
                    fields += 1;
                    assert!(
                        rows.iter()
                            .any(|r| r.len() == 2 && r[0] == *term && r[1] == words),
                        "{name}: definition row {term:?}: {words:?} missing"
                    );
                }
            }
        }
        assert!(fields > 0, "{name}: no definitions to look for");

        // Real headings, in Word's heading styles.
        let styles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "pStyle")))
            .filter_map(|n| n.attribute((W, "val")))
            .collect();
        assert!(
            styles.contains(&"Heading1") && styles.contains(&"Heading2"),
            "{name}"
        );

        // Tables are Word tables, the header row marked to repeat.
        let tables = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "tbl")))
            .count();
        let expected_tables = expected
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Table(_) | Block::Definitions(_)))
            .count();
        // The command adds the results' tables where the model has results files.
        assert!(
            tables >= expected_tables,
            "{name}: {tables} Word tables for {expected_tables} tables"
        );
        for block in &expected.blocks {
            if let Block::Table(t) = block {
                let header: Vec<String> = t.header.clone();
                assert!(
                    rows.contains(&header),
                    "{name}: table {:?} missing",
                    t.caption
                );
            }
        }
        assert!(
            xml.contains("<w:tblHeader />"),
            "{name}: header rows repeat"
        );

        // The diagram, with alt text.
        let descr = doc
            .descendants()
            .find(|n| n.has_tag_name((WP, "docPr")))
            .and_then(|n| n.attribute("descr"))
            .unwrap_or_else(|| panic!("{name}: a picture with alt text"));
        assert!(descr.len() > 20, "{name}: alt text {descr:?}");

        // The footer: date, version and Page X of Y.
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains("2026-01-02"), "{name}: {footer}");
        assert!(
            footer.contains(">PAGE<") && footer.contains(">NUMPAGES<"),
            "{name}"
        );
    }
}

#[test]
fn the_word_report_is_the_same_bytes_every_time() {
    let (_, path) = model_paths().into_iter().next().expect("a bundled model");
    let (_, first) = report(&path, &scratch("report-docx-again-1"), &[]);
    let (_, second) = report(&path, &scratch("report-docx-again-2"), &[]);
    assert!(first == second, "two runs gave different bytes");
}

#[test]
fn format_docx_writes_a_word_package_to_a_pipe() {
    let (_, path) = model_paths().into_iter().next().expect("a bundled model");
    let o = command()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["report", "--format", "docx"])
        .arg(&path)
        .output()
        .expect("elmo runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.starts_with(b"PK\x03\x04"), "a zip package");
    assert!(part(&o.stdout, "word/document.xml").contains("Heading1"));
}

#[test]
fn libreoffice_converts_the_word_report_of_every_bundled_model_to_pdf() {
    let test = "libreoffice_converts_the_word_report_of_every_bundled_model_to_pdf";
    if !require("soffice", &["--version"], test) {
        return;
    }
    let dir = scratch("report-docx");
    // A profile of its own, so a parallel run or a person's LibreOffice cannot lock it.
    let profile = dir.join("profile");
    for (name, path) in model_paths() {
        let (docx, _) = report(&path, &dir, &[]);
        let o = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&docx)
            .output()
            .expect("soffice runs");
        let pdf = dir.join(format!("{name}.pdf"));
        assert!(
            o.status.success() && pdf.exists(),
            "{name}: LibreOffice could not convert the report: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let bytes = std::fs::read(&pdf).expect("pdf");
        assert!(bytes.starts_with(b"%PDF"), "{name}: not a PDF");
        // The first page carries the title: LibreOffice read the text, not just the zip.
        if let Ok(out) = Command::new("pdftotext")
            .args(["-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg("-")
            .output()
        {
            let first = String::from_utf8_lossy(&out.stdout);
            let compiled = elmo::compile(&std::fs::read_to_string(&path).expect("model"));
            let title = &compiled.model.as_ref().expect("model").title;
            let first_word = title.split_whitespace().next().unwrap_or_default();
            assert!(
                first.contains(first_word) && first.contains("Page 1 of"),
                "{name}: first page reads {first:?}"
            );
        }
    }
}
