//! `elmo serve` end to end in headless Chromium: every way editors save, broken saves, the
//! fix, fifty viewers, presentation and step modes, themes, and the Content-Security-Policy;
//! and a model full of injection attempts, in the served page and in the HTML report.
//!
//! The browser is driven by tests/browser/serve.mjs and hostile.mjs (Playwright); these tests
//! build nothing themselves, they run the scripts against the freshly built binary and assert
//! on their reports. Screenshots land in target/serve-*.png and target/hostile-*.png.

use crate::common::{chromium, ready, root, runs};
use std::path::{Path, PathBuf};
use std::process::Command;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_relative() { root().join(p) } else { p })
        .unwrap_or_else(|| root().join("target"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = target_dir()
        .join("tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Whether the browser tests can run here (see [`ready`]).
fn browser_ready(what: &str) -> bool {
    let mut missing = Vec::new();
    if chromium().is_none() {
        missing.push("chromium".to_string());
    }
    if !runs("node", &["--version"]) {
        missing.push("node".to_string());
    }
    if !root()
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        missing
            .push("tests/browser/node_modules (run `npm ci --prefix tests/browser`)".to_string());
    }
    ready(what, &missing)
}

fn run_script(script: &Path, args: &[&Path]) -> serde_json::Value {
    let mut node = Command::new("node");
    if let Some(c) = chromium() {
        node.env("CHROMIUM", c);
    }
    let out = node
        .arg(script)
        .args(args)
        .current_dir(root())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{} failed: {}\n{stdout}\n{stderr}",
        script.display(),
        out.status
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{stderr}"))
}

/// Runs one browser script and fails on every check it reports as not ok.
fn assert_checks(report: &serde_json::Value, at_least: usize) {
    let checks = report["checks"].as_array().expect("checks");
    assert!(
        checks.len() >= at_least,
        "the script stopped early: {report:#}"
    );
    let failed: Vec<String> = checks
        .iter()
        .filter(|c| c["ok"] != true)
        .map(|c| {
            format!(
                "  ✗ {}: {}",
                c["name"].as_str().unwrap_or("?"),
                c["detail"].as_str().unwrap_or("")
            )
        })
        .collect();
    for c in checks {
        eprintln!(
            "{} {}",
            if c["ok"] == true { "✓" } else { "✗" },
            c["name"].as_str().unwrap_or("?")
        );
    }
    assert!(
        failed.is_empty(),
        "browser checks failed:\n{}",
        failed.join("\n")
    );
}

#[test]
fn serve_in_a_browser() {
    if !browser_ready("serve_in_a_browser") {
        return;
    }
    let dir = scratch("serve-browser");
    let elmo = PathBuf::from(env!("CARGO_BIN_EXE_elmo"));
    let report = run_script(
        &root().join("tests/browser/serve.mjs"),
        &[&elmo, &dir, &target_dir()],
    );
    assert_checks(&report, 31);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Labels, titles, measures, assumptions and sources full of markup, script and template
/// injections: in the served page (diagram, popups, diagnostics of a broken save) and in the
/// HTML report, every one shows as text and none runs (a sentinel global stays undefined).
#[test]
fn hostile_model_runs_nothing_in_the_page_or_the_report() {
    if !browser_ready("hostile_model_runs_nothing_in_the_page_or_the_report") {
        return;
    }
    let dir = scratch("hostile-browser");
    let elmo = PathBuf::from(env!("CARGO_BIN_EXE_elmo"));
    let report = run_script(
        &root().join("tests/browser/hostile.mjs"),
        &[&elmo, &dir, &target_dir()],
    );
    assert_checks(&report, 14);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `elmo serve` started on a broken file: the errors in large type under the model's title in
/// place of the diagram (at 1920×1080, and in presentation mode), a header that names the
/// model or its file rather than reading "elmo elmo", a terminal that says nothing was drawn,
/// and the diagram as usual after the first good save.
#[test]
fn a_server_started_on_a_broken_file_shows_the_error_then_the_diagram() {
    if !browser_ready("a_server_started_on_a_broken_file_shows_the_error_then_the_diagram") {
        return;
    }
    let dir = scratch("broken-start-browser");
    let elmo = PathBuf::from(env!("CARGO_BIN_EXE_elmo"));
    let report = run_script(
        &root().join("tests/browser/broken_start.mjs"),
        &[&elmo, &dir, &target_dir()],
    );
    assert_checks(&report, 17);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A results file edited while `elmo serve` runs: the measure line shows the latest value
/// and status shape, a save to the CSV alone redraws the page, a broken CSV keeps the
/// diagram and shows its error pointing into the CSV, and the fix draws again.
/// Screenshots land in target/results-*.png.
#[test]
fn a_results_file_edited_while_serving_updates_the_page() {
    if !browser_ready("a_results_file_edited_while_serving_updates_the_page") {
        return;
    }
    let dir = scratch("results-browser");
    let elmo = PathBuf::from(env!("CARGO_BIN_EXE_elmo"));
    let report = run_script(
        &root().join("tests/browser/results.mjs"),
        &[&elmo, &dir, &target_dir()],
    );
    assert_checks(&report, 17);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every bundled model served in presentation mode at 1920×1080: each box label at least
/// 18 px and each measure line at least 14 px on screen, measured with the browser's own
/// boxes; step mode steps with → and ←, pans with ↑ and ↓ as the key says, zooms in on the
/// stages it shows, and lists only their assumptions. Screenshots land in
/// target/legible-*.png.
#[test]
fn every_bundled_model_reads_from_the_back_of_the_room_and_step_mode_zooms() {
    if !browser_ready("every_bundled_model_reads_from_the_back_of_the_room_and_step_mode_zooms") {
        return;
    }
    let elmo = PathBuf::from(env!("CARGO_BIN_EXE_elmo"));
    let mut models: Vec<PathBuf> = std::fs::read_dir(root().join("models"))
        .expect("models/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    models.sort();
    let target = target_dir();
    let mut args: Vec<&Path> = vec![&elmo, &target];
    args.extend(models.iter().map(PathBuf::as_path));
    let report = run_script(&root().join("tests/browser/legible.mjs"), &args);
    assert_checks(&report, 10 * models.len());
}
