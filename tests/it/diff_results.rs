//! `elmo diff` reports the results that were added, removed or changed between two versions,
//! each side's results read the way its model was: beside the file, or at the git revision.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{ROOT, elmo, elmo_in, scratch, stderr, stdout};

const FIXTURE: &str = "tests/fixtures/report-results";
const AS_OF: &str = "2025-09-30";

/// Copies the fixture into `dir`, with `edit` applied to its results file.
fn copy_to(dir: &Path, edit: impl Fn(String) -> String) {
    std::fs::create_dir_all(dir).expect("dir");
    let from = Path::new(ROOT).join(FIXTURE);
    std::fs::copy(from.join("model.yaml"), dir.join("model.yaml")).expect("copy");
    let csv = std::fs::read_to_string(from.join("results.csv")).expect("csv");
    std::fs::write(dir.join("results.csv"), edit(csv)).expect("write");
}

fn edited(csv: String) -> String {
    csv.replace(
        "engaged-3m,2025-Q2,,118,200,all,programme,",
        "engaged-3m,2025-Q2,,124,200,all,programme,",
    )
    .replace("sessions-held,2024-Q4,80,,,all,programme,\n", "")
        + "sessions-held,2025-Q3,420,,,all,programme,\n"
}

fn two_versions(name: &str) -> (PathBuf, String, String) {
    let root = scratch(name);
    copy_to(&root.join("old"), |c| c);
    copy_to(&root.join("new"), edited);
    let old = root.join("old/model.yaml").display().to_string();
    let new = root.join("new/model.yaml").display().to_string();
    (root, old, new)
}

#[test]
fn diff_text_lists_results_added_removed_and_changed() {
    let (_, old, new) = two_versions("diff-results-text");
    let o = elmo(&["diff", "--as-of", AS_OF, &old, &new]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("No semantic differences in the models."),
        "{text}"
    );
    assert!(text.contains("\nResults\n"), "{text}");
    assert!(
        text.contains("  ~ engaged-3m 2025-Q2 (all): 59 (118 / 200) → 62 (124 / 200)"),
        "{text}"
    );
    assert!(
        text.contains("  - sessions-held 2024-Q4 (all): 80"),
        "{text}"
    );
    assert!(
        text.contains("  + sessions-held 2025-Q3 (all): 420"),
        "{text}"
    );
    assert!(
        text.contains("  ~ sessions-held status: ▲ on-track → ★ met"),
        "{text}"
    );
    // 124 of 200 is 62%, past the 60% target.
    assert!(
        text.contains("  ~ engaged-3m status: ▲ on-track → ★ met"),
        "{text}"
    );
    assert!(
        text.contains("results: 1 reading added, 1 removed, 1 changed; 2 status changes"),
        "{text}"
    );
    // Only the results differ, and that is a difference for --exit-code.
    let o = elmo(&["diff", "--as-of", AS_OF, "--exit-code", &old, &new]);
    assert_eq!(o.status.code(), Some(1));
    let o = elmo(&["diff", "--as-of", AS_OF, "--exit-code", &old, &old]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!stdout(&o).contains("Results"));
}

#[test]
fn diff_json_has_the_results_changes() {
    let (_, old, new) = two_versions("diff-results-json");
    let o = elmo(&["diff", "--as-of", AS_OF, "--format", "json", &old, &new]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["identical"], false);
    let readings = doc["results"]["readings"].as_array().expect("readings");
    assert_eq!(readings.len(), 3);
    let changed = readings
        .iter()
        .find(|r| r["change"] == "changed")
        .expect("a changed reading");
    assert_eq!(changed["measure"], "engaged-3m");
    assert_eq!(changed["period"], "2025-Q2");
    assert_eq!(changed["group"], "all");
    assert_eq!(changed["arm"], "programme");
    assert_eq!(changed["old"]["numerator"], 118.0);
    assert_eq!(changed["new"]["numerator"], 124.0);
    assert_eq!(doc["results"]["statuses"][0]["measure"], "sessions-held");
    assert_eq!(doc["results"]["statuses"][0]["old"], "on-track");
    assert_eq!(doc["results"]["statuses"][0]["new"], "met");
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

#[test]
fn diff_reads_results_at_each_git_revision() {
    if !crate::common::runs("git", &["--version"]) {
        eprintln!("SKIPPED diff_reads_results_at_each_git_revision: git not found");
        return;
    }
    let repo = scratch("diff-results-git");
    git(&repo, &["init", "-q"]);
    copy_to(&repo.join("sub"), |c| c);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "first"]);
    copy_to(&repo.join("sub"), edited);
    git(&repo, &["commit", "-qam", "second"]);
    // The working copy changes again: the revisions, not the files on disk, are compared.
    std::fs::write(repo.join("sub/results.csv"), "not,a,results,file\n").expect("write");
    let o = elmo_in(
        &repo,
        &["diff", "HEAD~1:sub/model.yaml", "HEAD:sub/model.yaml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("  ~ engaged-3m 2025-Q2 (all): 59 (118 / 200) → 62 (124 / 200)"),
        "{text}"
    );
    assert!(
        text.contains("  + sessions-held 2025-Q3 (all): 420"),
        "{text}"
    );
    // A revision against the working copy reads each side its own way.
    std::fs::write(
        repo.join("sub/results.csv"),
        edited(
            std::fs::read_to_string(Path::new(ROOT).join(FIXTURE).join("results.csv"))
                .expect("csv"),
        )
        .replace("neet-rate,2024,,110,1000", "neet-rate,2024,,100,1000"),
    )
    .expect("write");
    let o = elmo_in(&repo, &["diff", "HEAD:sub/model.yaml", "sub/model.yaml"]);
    let text = stdout(&o);
    assert!(
        text.contains("  ~ neet-rate 2024 (all): 11 (110 / 1000) → 10 (100 / 1000)"),
        "{text}"
    );
    assert!(!text.contains("engaged-3m"), "{text}");
}
