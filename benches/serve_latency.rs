//! Save-to-screen latency of `elmo serve`: from writing the model file to the new SVG being
//! in a headless Chromium page's DOM, over 50 saves of a generated 100-node model (one label
//! changed per save). Reports the median and the 95th percentile; the target is p95 < 50 ms.
//!
//! ```console
//! $ cargo bench --bench serve_latency
//! ```
//!
//! Needs Chromium and `npm ci --prefix tests/browser` (`.ci/deps` installs both). Under
//! `cargo test` (no `--bench` argument) it only says how to run it.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "serve_latency: a browser benchmark; run it with `cargo bench --bench serve_latency`"
        );
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        eprintln!(
            "serve_latency: SKIPPED: run `npm ci --prefix tests/browser` (or .ci/deps) first"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("elmo-serve-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let model = dir.join("model.yaml");
    std::fs::write(&model, elmo::generate::layered_model(100, 7)).expect("write the model");
    let out = Command::new("node")
        .arg(root.join("tests/browser/latency.mjs"))
        .arg(env!("CARGO_BIN_EXE_elmo"))
        .arg(&model)
        .arg("50")
        .output()
        .expect("run node");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        panic!(
            "latency.mjs failed: {}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let r: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON from latency.mjs");
    let (median, p95) = (
        r["median"].as_f64().unwrap_or(f64::NAN),
        r["p95"].as_f64().unwrap_or(f64::NAN),
    );
    println!(
        "serve_latency: save -> SVG in the page's DOM, 100-node model, {} saves ({} missed)",
        r["samples"].as_array().map_or(0, Vec::len),
        r["missed"]
    );
    println!(
        "  median {median:.1} ms, p95 {p95:.1} ms, max {} ms",
        r["max"]
    );
    println!(
        "  target p95 < 50 ms: {}",
        if p95 < 50.0 { "met" } else { "NOT met" }
    );
}
