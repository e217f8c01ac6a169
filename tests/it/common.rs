//! Helpers shared by the integration tests: running the binary, the bundled models, scratch
//! folders, and finding the external tools some tests need.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root, where `models/`, `templates/` and `tests/fixtures/` live.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A two-box model that is valid and small, for tests that watch a file change.
pub const MENTORING: &str = "title: Mentoring
inputs:
  - id: mentors
    label: Volunteer mentors
    leads_to: [sessions]
activities:
  - id: sessions
    label: Weekly sessions
";

/// The repository's root as a path.
pub fn root() -> &'static Path {
    Path::new(ROOT)
}

/// The `elmo` binary, run from the repository's root with no terminal width set, so output
/// is the same on every machine.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_elmo"));
    c.current_dir(ROOT).env_remove("COLUMNS");
    c
}

/// Runs `elmo args` from the repository's root.
pub fn elmo(args: &[&str]) -> Output {
    command().args(args).output().expect("elmo runs")
}

/// Runs `elmo args` from `dir`.
pub fn elmo_in(dir: &Path, args: &[&str]) -> Output {
    command()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("elmo runs")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A folder under the test build's temporary folder, created if missing and shared by every
/// test that names it.
pub fn tmp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir
}

/// A fresh, empty folder for one test: whatever an earlier run left there is removed.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// The bundled models (`models/*.yaml`), sorted: each file's stem and path.
pub fn model_paths() -> Vec<(String, PathBuf)> {
    yaml_files(&root().join("models"))
        .into_iter()
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, p)
        })
        .collect()
}

/// The bundled models, sorted: each file's stem and text.
pub fn models() -> Vec<(String, String)> {
    model_paths()
        .into_iter()
        .map(|(name, p)| (name, std::fs::read_to_string(&p).expect("readable model")))
        .collect()
}

/// The `.yaml` files in `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Whether a test whose needs are listed in `missing` can run. Under `CI=true` anything
/// missing fails the test; elsewhere the test says loudly that it did not run.
pub fn ready(test: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return true;
    }
    let msg = format!("{test}: missing {}", missing.join(", "));
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{msg}; required under CI=true (run .ci/deps)"
    );
    eprintln!("\n*** SKIPPED {msg}; .ci/deps installs them ***\n");
    false
}

/// Whether `tool probe…` runs and succeeds.
pub fn runs(tool: &str, probe: &[&str]) -> bool {
    Command::new(tool)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether `tool` can run for `test` (see [`ready`]).
pub fn require(tool: &str, probe: &[&str], test: &str) -> bool {
    let missing = if runs(tool, probe) {
        vec![]
    } else {
        vec![tool.to_string()]
    };
    ready(test, &missing)
}

/// Headless Chromium: `$CHROMIUM`, or the first of the usual install paths that exists.
pub fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.exists());
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// The text of `path`, which must be readable.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The diagnostics fixture `tests/fixtures/diagnostics/{name}.yaml`.
pub fn fixture(name: &str) -> String {
    read(&root().join(format!("tests/fixtures/diagnostics/{name}.yaml")))
}

/// Every diagnostic `src` compiles to.
pub fn diags(src: &str) -> Vec<elmo::Diagnostic> {
    elmo::compile(src).diagnostics
}

/// The codes of every diagnostic `src` compiles to, in order.
pub fn codes(src: &str) -> Vec<elmo::Code> {
    diags(src).into_iter().map(|d| d.code).collect()
}

/// `src` with the first `from` replaced by `to`, which must be there.
pub fn with(src: &str, from: &str, to: &str) -> String {
    assert!(src.contains(from), "source lacks {from:?}");
    src.replacen(from, to, 1)
}

/// Runs `tests/nvim/SCRIPT` in headless Neovim with the elmo binary and the model at `model`
/// (as `$ELMO`, `$MODEL`), plus `env`, from `dir`; returns the JSON report the script writes
/// to `$OUT`. Fails the test when Neovim fails, hangs for two minutes, or writes no report.
pub fn neovim(script: &str, dir: &Path, model: &Path, env: &[(&str, &str)]) -> serde_json::Value {
    let out = dir.join("out.json");
    let script = root().join("tests/nvim").join(script);
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("ELMO", env!("CARGO_BIN_EXE_elmo"))
        .env("MODEL", model)
        .env("OUT", &out)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("nvim") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish in two minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let report: serde_json::Value = std::fs::read_to_string(&out)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| panic!("nvim ({status}) wrote no report"));
    assert!(status.success(), "nvim failed ({status}): {report}");
    report
}
