//! The book's lint pages are generated from the lint registry, so they cannot drift from
//! `elmo explain`. Run with `ELMO_BLESS=1` to rewrite them after changing a lint's docs.

use std::path::Path;

#[test]
fn lint_pages_match_the_registry() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/lints");
    let bless = std::env::var_os("ELMO_BLESS").is_some();
    let summary = std::fs::read_to_string(dir.join("../SUMMARY.md")).expect("book/src/SUMMARY.md");
    for lint in elmo::lint::LINTS {
        let path = dir.join(format!("{}.md", lint.code));
        let want = lint.page();
        if bless {
            std::fs::create_dir_all(&dir).expect("lints dir");
            std::fs::write(&path, &want).expect("write page");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            have,
            want,
            "{} is stale: run `ELMO_BLESS=1 cargo test --test book`",
            path.display()
        );
        assert!(
            summary.contains(&format!("(lints/{}.md)", lint.code)),
            "SUMMARY.md lacks {}",
            lint.code
        );
    }
}

#[test]
fn explain_prints_the_same_page() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["explain", "unmeasured-outcome"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        elmo::Code::UnmeasuredOutcome.lint().page()
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["explain", "unmeasured-outcom"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `unmeasured-outcome`?"));
}

#[test]
fn explain_list_lines_up_every_code() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["explain", "--list"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), elmo::lint::LINTS.len());
    // The level column starts at the same place on every line, however long the code.
    let columns: Vec<usize> = lines
        .iter()
        .filter_map(|l| l.find(" warning ").or_else(|| l.find(" error ")))
        .collect();
    assert_eq!(columns.len(), lines.len(), "{text}");
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{text}");
}

/// The tutorial's prose says what each step's check finds; the transcripts are generated at
/// build time, so this pins the claims the prose makes about them.
#[test]
fn tutorial_steps_find_what_the_tutorial_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/tutorial");
    let cases: [(&str, &[&str]); 6] = [
        ("step-1.yaml", &["missing-stage"]),
        (
            "step-2.yaml",
            &[
                "unmeasured-output",
                "unmeasured-outcome",
                "unmeasured-outcome",
                "unmeasured-outcome",
            ],
        ),
        (
            "step-3a.yaml",
            &["no-qualitative-measure", "undefined-rate", "undefined-rate"],
        ),
        ("step-3.yaml", &[]),
        ("step-4.yaml", &[]),
        ("typo.yaml", &["unknown-reference"]),
    ];
    for (file, want) in cases {
        let src = std::fs::read_to_string(dir.join(file)).expect(file);
        let compiled = elmo::compile(&src);
        let codes: Vec<String> = compiled
            .diagnostics
            .iter()
            .map(|d| d.code.to_string())
            .collect();
        assert_eq!(codes, want, "{file}");
    }
    let step4 = elmo::compile(&std::fs::read_to_string(dir.join("step-4.yaml")).expect("step 4"));
    let r = step4.readiness().expect("readiness");
    assert!(
        r.summary().contains("0/1 assumptions tested (0%)"),
        "{}",
        r.summary()
    );
}
