//! The HTML report printed to PDF by headless Chromium: it must print, on A4, with the
//! landscape diagram page first, the diagram filling it, portrait pages after, and the page
//! number, date and model version on every page.
//!
//! Needs Debian's `chromium` (and `pdfinfo`, `pdftotext` from poppler-utils). Under
//! `CI=true` a missing tool fails the test; elsewhere the test says loudly that it skipped.
//! The PDFs are left in `target/tmp/report-pdf/` for a person to look at
//! (`pdftoppm -png -r 60 FILE.pdf page`).

use crate::common::{ROOT, chromium, ready};
use std::path::Path;
use std::process::Command;

/// Page sizes in points, from `pdfinfo -f 1 -l N`.
fn page_sizes(pdf: &Path) -> Option<Vec<(f64, f64)>> {
    let out = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "999"])
        .arg(pdf)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let sizes = text
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .filter_map(|l| {
            let nums: Vec<f64> = l
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            // "Page    1 size: 841.92 x 595.28 pts (A4)": page number, width, height.
            (nums.len() >= 3).then(|| (nums[1], nums[2]))
        })
        .collect();
    Some(sizes)
}

/// The text of page `page`, whitespace collapsed.
fn page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word on a page and its box, in points from the top left.
struct Word {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// The words of page `page` with their boxes, from `pdftotext -bbox`.
fn words(pdf: &Path, page: usize) -> Vec<Word> {
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, options).expect("bbox XHTML");
    doc.descendants()
        .filter(|n| n.tag_name().name() == "word")
        .map(|n| {
            let num = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            Word {
                text: n.text().unwrap_or_default().to_string(),
                x0: num("xMin"),
                y0: num("yMin"),
                x1: num("xMax"),
                y1: num("yMax"),
            }
        })
        .collect()
}

/// A model of one tall stage: drawn narrow and high, unlike the bundled models.
fn tall_model() -> String {
    let mut s =
        String::from("title: Tall\ninputs:\n  - id: i\n    label: Funding\n    leads_to: [");
    let ids: Vec<String> = (0..24).map(|k| format!("a{k}")).collect();
    s.push_str(&ids.join(", "));
    s.push_str("]\nactivities:\n");
    for id in &ids {
        s.push_str(&format!(
            "  - id: {id}\n    label: Activity {id} with a label long enough to wrap\n    leads_to: [o]\n"
        ));
    }
    s.push_str("outputs:\n  - id: o\n    label: Output\n");
    s
}

#[test]
fn html_report_prints_to_a4_pdf() {
    let Some(browser) = chromium() else {
        ready("html_report_prints_to_a4_pdf", &["chromium".to_string()]);
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-pdf");
    std::fs::create_dir_all(&dir).expect("dir");
    let tall = dir.join("tall.yaml");
    std::fs::write(&tall, tall_model()).expect("write");
    let cases = [
        Path::new(ROOT).join("models/peterborough-sib.yaml"),
        Path::new(ROOT).join("models/community-led-support.yaml"),
        tall,
    ];
    for model in cases {
        let name = model
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let html = dir.join(format!("{name}.html"));
        // Through the CLI, as a user makes it, with the date fixed.
        let o = Command::new(env!("CARGO_BIN_EXE_elmo"))
            .arg("report")
            .arg(&model)
            .arg("-o")
            .arg(&html)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .expect("elmo runs");
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let pdf = dir.join(format!("{name}.pdf"));
        let _ = std::fs::remove_file(&pdf);
        let out = Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--no-pdf-header-footer",
            ])
            .arg(format!(
                "--user-data-dir={}",
                dir.join(format!("profile-{name}")).display()
            ))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display()))
            .output()
            .expect("chromium runs");
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| {
            panic!(
                "{name}: no PDF ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert!(bytes.starts_with(b"%PDF-"), "{name}: not a PDF");
        assert!(
            bytes.len() > 20_000,
            "{name}: PDF of {} bytes is too small",
            bytes.len()
        );

        let Some(sizes) = page_sizes(&pdf) else {
            ready("html_report_prints_to_a4_pdf", &["pdfinfo".to_string()]);
            continue;
        };
        assert!(sizes.len() >= 2, "{name}: {} pages", sizes.len());
        let a4 = |(w, h): (f64, f64)| {
            let (short, long) = (w.min(h), w.max(h));
            (short - 595.0).abs() < 2.0 && (long - 842.0).abs() < 2.0
        };
        for (i, s) in sizes.iter().enumerate() {
            assert!(a4(*s), "{name}: page {} is {s:?} pt, not A4", i + 1);
        }
        assert!(
            sizes[0].0 > sizes[0].1,
            "{name}: the diagram page is landscape"
        );
        assert!(sizes[1].0 < sizes[1].1, "{name}: the tables are portrait");

        // Every page: its number, the date and the model's version, in the page margins.
        let stamp = format!("Made 2023-11-14, {}", elmo::report::stamp::version(&model));
        for page in 1..=sizes.len() {
            let text = page_text(&pdf, page);
            assert!(
                text.contains(&format!("Page {page} of {}", sizes.len())),
                "{name}: page {page} has no number: {text}"
            );
            assert!(
                text.contains(&stamp),
                "{name}: page {page} lacks {stamp:?}: {text}"
            );
        }

        // The diagram fills the landscape page in one direction at least: all of the width
        // between the margins, or all of the height the title and caption leave.
        let words = words(&pdf, 1);
        let below = |w: &Word, text: &str| {
            words
                .iter()
                .filter(|x| x.text == text)
                .map(|x| x.y1)
                .next()
                .is_some_and(|y| w.y0 > y + 1.0)
        };
        let caption = words
            .iter()
            .find(|w| w.text == "Stages")
            .map(|w| w.y0)
            .expect("caption");
        let head = words
            .iter()
            .filter(|w| w.text == "Vision:" || w.text == "framework:")
            .map(|w| w.y1)
            .fold(0.0, f64::max);
        let diagram: Vec<&Word> = words
            .iter()
            .filter(|w| w.y0 > head + 1.0 && w.y1 < caption - 1.0)
            .filter(|w| !below(w, "Page"))
            .collect();
        assert!(
            diagram.len() > 20,
            "{name}: {} words in the diagram",
            diagram.len()
        );
        let (x0, x1) = diagram
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), w| (a.min(w.x0), b.max(w.x1)));
        let (y0, y1) = diagram
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), w| (a.min(w.y0), b.max(w.y1)));
        let width = sizes[0].0 - 2.0 * 28.35;
        let height = caption - head;
        let fill = ((x1 - x0) / width).max((y1 - y0) / height);
        eprintln!(
            "{name}: diagram text spans {:.0}% of the width, {:.0}% of the height",
            100.0 * (x1 - x0) / width,
            100.0 * (y1 - y0) / height
        );
        assert!(
            fill > 0.85,
            "{name}: the diagram fills only {:.0}% of the landscape page",
            fill * 100.0
        );
    }
}
