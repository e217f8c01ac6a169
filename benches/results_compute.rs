//! Results: computing every `compute:` measure of a model from a case-level records file.
//! Run with `cargo bench --bench results_compute` (needs python3 with duckdb and pandas for
//! the peer comparison: `pip install duckdb pandas`).
//!
//! Targets: at 1,000,000 records (about 60 MB of CSV), under 1 s wall time and under 64 MB
//! resident; memory flat from 100,000 to 10,000,000 rows, because the file is streamed.
//! The same counts are run in DuckDB (one SQL query) and pandas, in the same run, and elmo's
//! time is given as a ratio to DuckDB's.
//!
//! The records are synthetic, from a fixed-seed generator.

mod common;

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;

use common::{measure, mib};

const MODEL: &str = "title: Benchmark
measures:
  - id: completion-rate
    label: Completion rate by quarter and gender
    unit: percent
    compute:
      records: cases.csv
      period: {column: end_date, by: quarter}
      count: {column: termination_code, in: [50, 51]}
      out_of: {column: termination_code, in: [50, 51, 52, 53, 55, 57]}
      group_by: [gender]
  - id: completion-rate-fy
    label: Completion rate by financial year and area
    unit: percent
    compute:
      records: cases.csv
      period: {column: end_date, by: financial-year}
      count: {column: termination_code, in: [50, 51]}
      out_of: {column: termination_code, in: [50, 51, 52, 53, 55, 57]}
      group_by: [area]
  - id: young-completions
    label: Completions aged 18 to 24, by month
    unit: people
    compute:
      records: cases.csv
      period: {column: end_date, by: month}
      count:
        all:
          - {column: termination_code, in: [50, 51]}
          - {column: age, min: 18, max: 24}
";

fn write_records(path: &Path, rows: u64) {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("create"));
    writeln!(
        w,
        "case_id,data,area,start_date,end_date,termination_code,gender,age"
    )
    .expect("write");
    let mut s: u64 = 0x5EED_A7C0_FFEE_2024;
    let mut next = |n: u64| {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 33) % n
    };
    let codes = [50, 50, 50, 51, 52, 52, 53, 54, 55, 55, 56, 57];
    for id in 1..=rows {
        let (y, m, d) = (2023 + next(3), 1 + next(12), 1 + next(28));
        let code = codes[next(codes.len() as u64) as usize];
        let gender = if next(100) < 18 { "female" } else { "male" };
        writeln!(
            w,
            "{id},synthetic,E0600{:04},{}-{:02}-{:02},{}-{:02}-{:02},{code},{gender},{}",
            next(40),
            y - 1,
            m,
            d,
            y,
            m,
            d,
            18 + next(50)
        )
        .expect("write");
    }
    w.flush().expect("flush");
}

/// Peak resident memory of the finished child processes so far, in bytes (Linux: KiB).
fn children_max_rss() -> u64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above; RUSAGE_CHILDREN is a valid target.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as u64 * 1024
}

fn python(script: &str, csv: &Path) -> Option<f64> {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(csv)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "  ({})",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    // The timing is the last line, whatever a library printed before it.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

const DUCKDB: &str = r#"
import sys, time, duckdb
t = time.perf_counter()
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(f"""
  SELECT * FROM (
    SELECT CAST(date_trunc('quarter', end_date) AS VARCHAR) p, gender g,
      count_if(termination_code IN (50, 51)) n,
      count_if(termination_code IN (50, 51, 52, 53, 55, 57)) d
    FROM read_csv_auto('{sys.argv[1]}') GROUP BY GROUPING SETS ((p), (p, g))
  ) UNION ALL SELECT * FROM (
    SELECT CAST(CASE WHEN month(end_date) >= 4 THEN year(end_date) ELSE year(end_date) - 1 END AS VARCHAR), area,
      count_if(termination_code IN (50, 51)), count_if(termination_code IN (50, 51, 52, 53, 55, 57))
    FROM read_csv_auto('{sys.argv[1]}') GROUP BY GROUPING SETS ((1), (1, 2))
  ) UNION ALL SELECT CAST(date_trunc('month', end_date) AS VARCHAR), NULL,
      count_if(termination_code IN (50, 51) AND age BETWEEN 18 AND 24), NULL
    FROM read_csv_auto('{sys.argv[1]}') GROUP BY 1
""").fetchall()
print(time.perf_counter() - t)
"#;

const PANDAS: &str = r#"
import sys, time, pandas as pd
t = time.perf_counter()
df = pd.read_csv(sys.argv[1], parse_dates=["end_date"])
ok = df.termination_code.isin([50, 51])
den = df.termination_code.isin([50, 51, 52, 53, 55, 57])
df["n"], df["d"] = ok, den
df["q"] = df.end_date.dt.to_period("Q")
df["fy"] = df.end_date.dt.year - (df.end_date.dt.month < 4)
a = df.groupby("q")[["n", "d"]].sum(); b = df.groupby(["q", "gender"])[["n", "d"]].sum()
c = df.groupby("fy")[["n", "d"]].sum(); e = df.groupby(["fy", "area"])[["n", "d"]].sum()
f = (ok & df.age.between(18, 24)).groupby(df.end_date.dt.to_period("M")).sum()
print(time.perf_counter() - t)
"#;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("model.yaml"), MODEL).expect("model");
    let model = elmo::compile(MODEL).model.expect("model");
    let as_of = elmo::results::Date::new(2026, 1, 1).expect("date");
    println!(
        "results_compute: every compute: measure of a 3-measure model, one pass over the file"
    );
    println!(
        "{:>10}  {:>8}  {:>9}  {:>10}  {:>9}  {:>9}  {:>9}  {:>8}",
        "rows", "CSV MB", "elmo s", "heap MiB", "RSS MiB", "duckdb s", "pandas s", "elmo/duckdb"
    );
    let bench = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<u64> = std::env::var("ELMO_BENCH_ROWS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| {
            // `cargo test` runs benches once, unoptimised, as a smoke test: a small file is
            // enough to show the pass works; the curve is for `cargo bench`.
            if bench {
                vec![100_000, 1_000_000, 10_000_000]
            } else {
                vec![10_000]
            }
        });
    let mut measured = Vec::new();
    for &rows in &sizes {
        let csv = dir.path().join("cases.csv");
        write_records(&csv, rows);
        let size = std::fs::metadata(&csv).map_or(0, |m| m.len()) as f64 / 1e6;
        // In process: the time and the exact heap high-water mark of evaluate.
        let (r, took, heap) = measure(|| elmo::results::evaluate(&model, dir.path(), as_of));
        assert!(!r.has_errors(), "{:?}", r.model_diagnostics);
        // As a user runs it: the resident peak of `elmo status`. The peers run only after
        // every size, so this peak is elmo's own.
        let status = Command::new(env!("CARGO_BIN_EXE_elmo"))
            .args(["status", "--format", "json", "--as-of", "2026-01-01"])
            .arg(dir.path().join("model.yaml"))
            .output()
            .expect("elmo status");
        assert_eq!(
            status.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        measured.push((rows, size, took.as_secs_f64(), heap, children_max_rss()));
    }
    for (rows, size, took, heap, rss) in measured {
        let csv = dir.path().join("cases.csv");
        write_records(&csv, rows);
        // The peers need Python packages a test run does not install.
        let duck = if bench { python(DUCKDB, &csv) } else { None };
        let pandas = if bench && rows <= 1_000_000 {
            python(PANDAS, &csv)
        } else {
            None
        };
        let show = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.3}"));
        println!(
            "{rows:>10}  {size:>8.1}  {took:>9.3}  {:>10.2}  {:>9.1}  {:>9}  {:>9}  {:>8}",
            mib(heap),
            rss as f64 / (1024.0 * 1024.0),
            show(duck),
            show(pandas),
            duck.map_or("—".to_string(), |d| format!("{:.2}", took / d)),
        );
    }
    println!(
        "RSS: the largest resident peak of the `elmo status` runs up to that size (getrusage)."
    );
}
