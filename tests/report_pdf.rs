//! The HTML report printed to PDF by headless Chromium: it must print, on A4, with the
//! landscape diagram page first and portrait pages after.
//!
//! Needs Debian's `chromium` (and `pdfinfo` from poppler-utils for the page sizes). Under
//! `CI=true` a missing tool fails the test; elsewhere the test says loudly that it skipped.
//! The PDFs are left in `target/tmp/report-pdf/` for a person to look at
//! (`pdftoppm -png -r 60 FILE.pdf page`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

fn skip_or_fail(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what} is required under CI=true (run .ci/deps)"
    );
    eprintln!("SKIPPED report_pdf: {what} not found (run .ci/deps)");
}

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

#[test]
fn html_report_prints_to_a4_pdf() {
    let Some(browser) = chromium() else {
        skip_or_fail("chromium");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-pdf");
    std::fs::create_dir_all(&dir).expect("dir");
    for name in ["peterborough-sib", "community-led-support"] {
        let src = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("models/{name}.yaml")),
        )
        .expect("model");
        let c = elmo::compile(&src);
        let r = elmo::report::Report::build(&c).expect("report");
        let svg = elmo::render::svg(&c, &elmo::render::theme::LIGHT);
        let html = dir.join(format!("{name}.html"));
        std::fs::write(&html, elmo::report::html::html(&r, svg.as_deref())).expect("write");
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
            skip_or_fail("pdfinfo");
            continue;
        };
        assert!(sizes.len() >= 3, "{name}: {} pages", sizes.len());
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
    }
}
