//! Rename detection in `elmo diff`: every id of a generated model renamed (nodes and
//! measures), at 1 500, 6 000 and 20 000 nodes. Run with `cargo bench --bench diff_renames`.
//!
//! Renames are matched on a content signature by hashing, and a rename that stops holding
//! only re-examines the renames that refer to it, so the time grows about linearly. Before,
//! every removed item was compared with every added one: 6.3 s at 6 000 nodes, and 20 000
//! did not finish in 120 s.
//!
//! Target: the diff itself (both models already compiled) under 1 s at 20 000 nodes. The
//! whole `elmo diff` command, compiling both files, is timed too.

use std::process::Command;
use std::time::{Duration, Instant};

/// Every node and measure id renamed, with every reference to it.
fn rename_all(src: &str) -> String {
    (0..6)
        .fold(src.to_string(), |s, i| {
            s.replace(&format!("s{i}-"), &format!("r{i}-"))
        })
        .replace("id: m", "id: q")
        .replace("[m", "[q")
}

/// The fastest of three runs of `f`.
fn best<T>(mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut out = None;
    let mut fastest = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let r = f();
        fastest = fastest.min(start.elapsed());
        out = Some(r);
    }
    (out.expect("ran"), fastest)
}

fn main() {
    let filter: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-renames");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    println!(
        "{:>6} {:>8} {:>8} | {:>9} | {:>12}",
        "nodes", "renamed", "links", "diff", "elmo diff"
    );
    let mut at_20k = None;
    for n in [1_500, 6_000, 20_000] {
        if filter.is_some_and(|f| f != n) {
            continue;
        }
        let old_src = elmo::generate::layered_model(n, 11);
        let new_src = rename_all(&old_src);
        let (old, new) = (elmo::compile(&old_src), elmo::compile(&new_src));
        assert!(!old.has_errors() && !new.has_errors());
        let (diff, took) = best(|| elmo::diff::diff(&old, &new).expect("models"));
        let renamed = diff.summary().renamed;
        assert_eq!(
            renamed,
            n + diff.measures.len(),
            "every node and measure renamed"
        );
        assert!(diff.links.is_empty(), "links follow the renames");
        let (a, b) = (
            dir.join(format!("old-{n}.yaml")),
            dir.join(format!("new-{n}.yaml")),
        );
        std::fs::write(&a, &old_src).expect("write");
        std::fs::write(&b, &new_src).expect("write");
        let (status, whole) = best(|| {
            Command::new(env!("CARGO_BIN_EXE_elmo"))
                .args(["diff", "--format", "json"])
                .arg(&a)
                .arg(&b)
                .output()
                .expect("elmo diff runs")
                .status
        });
        assert!(status.success());
        if n == 20_000 {
            at_20k = Some(took);
        }
        println!(
            "{:>6} {:>8} {:>8} | {:>7.0}ms | {:>10.0}ms",
            n,
            renamed,
            diff.links.len(),
            took.as_secs_f64() * 1e3,
            whole.as_secs_f64() * 1e3
        );
    }
    if let Some(t) = at_20k {
        println!(
            "20 000 nodes: {:.0} ms (target under 1 000 ms): {}",
            t.as_secs_f64() * 1e3,
            if t < Duration::from_secs(1) {
                "met"
            } else {
                "MISSED"
            }
        );
    }
}
