//! Human output time against diagnostic count: `cargo bench --bench human_output`.
//!
//! Each model holds N/2 measures that no node uses and that lack a baseline and the rest, so
//! it gets about N warnings (`unused-measure` and `incomplete-measure`), and grows with N
//! (about 9 MB at N = 50,000). It is written
//! twice: one measure to a line, and all of it on one line as JSON, where every snippet is
//! an excerpt of a line of megabytes. For each, the table gives the time to draw every
//! diagnostic (no cap), the time of what `elmo check` prints (20 per code, then a count),
//! and the JSON output for comparison, each also per diagnostic.
//!
//! Target: linear. The time per diagnostic drawn at the largest N is within twice that at
//! the smallest, on both layouts; the run fails otherwise. Under `cargo test` (no `--bench`)
//! only two small sizes run, as a smoke test, without the target.

use std::time::Instant;

use elmo::emit::human::{Human, PER_CODE, Style};
use elmo::emit::{FileReport, to_json};

fn model(n: usize, one_line: bool) -> String {
    let padding = "x".repeat(320);
    let measures: Vec<String> = (0..n / 2)
        .map(|i| {
            if one_line {
                format!(r#"{{"id": "m{i}", "label": "Measure {i} {padding}"}}"#)
            } else {
                format!("  - id: m{i}\n    label: Measure {i} {padding}\n")
            }
        })
        .collect();
    if one_line {
        format!(
            r#"{{"title": "Many", "measures": [{}]}}"#,
            measures.join(", ")
        )
    } else {
        format!("title: Many\nmeasures:\n{}", measures.concat())
    }
}

/// Seconds for `f`, the best of `runs`.
fn time(runs: usize, mut f: impl FnMut() -> usize) -> f64 {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let sizes: &[usize] = if bench {
        &[1_000, 5_000, 20_000, 50_000]
    } else {
        &[500, 1_000]
    };
    let mut options = elmo::Options::default();
    options.limits.max_file_size = 64 * 1024 * 1024;
    println!(
        "{:>8} {:>6} {:>7} | {:>9} {:>8} | {:>9} | {:>9} {:>8}",
        "layout", "N", "file", "all drawn", "per diag", "capped", "json", "per diag"
    );
    let mut linear = true;
    for one_line in [false, true] {
        let mut per_diagnostic = Vec::new();
        for &n in sizes {
            let src = model(n, one_line);
            let (_, compiled) = elmo::compile_bytes(src.as_bytes(), &options);
            let diags = &compiled.diagnostics;
            let count = diags.len();
            assert!(count >= n, "{count} diagnostics for {} measures", n / 2);
            let runs = if n <= 5_000 { 5 } else { 2 };
            let all = time(runs, || {
                let style = Style {
                    per_code: usize::MAX,
                    ..Style::plain(100)
                };
                Human::new("many.yaml", &src, style)
                    .diagnostics(diags)
                    .len()
            });
            let capped = time(runs, || {
                let style = Style {
                    per_code: PER_CODE,
                    ..Style::plain(100)
                };
                Human::new("many.yaml", &src, style)
                    .diagnostics(diags)
                    .len()
            });
            let json = time(runs, || {
                let report = FileReport {
                    path: "many.yaml",
                    source: &src,
                    diagnostics: diags,
                    readiness: None,
                };
                serde_json::to_string(&to_json(&[report]))
                    .map(|s| s.len())
                    .unwrap_or(0)
            });
            let per = all / count as f64;
            per_diagnostic.push(per);
            println!(
                "{:>8} {:>6} {:>5.1}MB | {:>7.3} s {:>6.1}µs | {:>7.3} s | {:>7.3} s {:>6.1}µs",
                if one_line { "one line" } else { "lines" },
                count,
                src.len() as f64 / 1e6,
                all,
                per * 1e6,
                capped,
                json,
                json / count as f64 * 1e6,
            );
        }
        let (first, last) = (per_diagnostic[0], per_diagnostic[per_diagnostic.len() - 1]);
        linear &= last <= 2.0 * first;
    }
    if bench && !linear {
        eprintln!("human output is not linear in the number of diagnostics");
        std::process::exit(1);
    }
}
