//! `elmo diff`: a table of edits with the semantic changes each must produce, snapshots of the
//! text and JSON, properties (a model against itself is empty; reading the other way inverts),
//! the marked SVG, and reading sides from git.

use std::path::Path;
use std::process::Command;

use crate::common::{ROOT, elmo_in, scratch};
use elmo::diff::{ChangeKind, Diff, diff};
use proptest::prelude::*;

fn base() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/diagnostics/clean.yaml"))
        .expect("fixture")
}

fn d(old: &str, new: &str) -> Diff {
    diff(&elmo::compile(old), &elmo::compile(new)).expect("both are models")
}

/// Applies `(from, to)` replacements, each of which must match.
fn edit(src: &str, edits: &[(&str, &str)]) -> String {
    let mut s = src.to_string();
    for (from, to) in edits {
        assert!(s.contains(from), "edit target `{from}` not found");
        s = s.replacen(from, to, 1);
    }
    s
}

struct Case {
    name: &'static str,
    edits: Vec<(&'static str, &'static str)>,
    check: fn(&Diff),
}

fn ids(list: &[elmo::diff::ItemChange]) -> Vec<(ChangeKind, &str)> {
    list.iter().map(|c| (c.change, c.id.as_str())).collect()
}

fn links(diff: &Diff) -> Vec<(ChangeKind, &str, &str)> {
    diff.links
        .iter()
        .map(|l| (l.change, l.from.as_str(), l.to.as_str()))
        .collect()
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "add-node",
            edits: vec![
                (
                    "    leads_to: [sessions]\n",
                    "    leads_to: [sessions, workshops]\n",
                ),
                (
                    "direct_impacts:\n",
                    "  - id: workshops\n    label: Group workshops held\n    leads_to: [confidence]\ndirect_impacts:\n",
                ),
            ],
            check: |diff| {
                assert_eq!(ids(&diff.nodes), [(ChangeKind::Added, "workshops")]);
                assert_eq!(diff.nodes[0].stage, Some(elmo::Stage::Outputs));
                assert_eq!(
                    links(diff),
                    [
                        (ChangeKind::Added, "mentoring", "workshops"),
                        (ChangeKind::Added, "workshops", "confidence"),
                    ]
                );
                let new: Vec<&str> = diff.checks.new.iter().map(|c| c.code.as_str()).collect();
                assert_eq!(new, ["unmeasured-output"]);
                assert!(diff.checks.fixed.is_empty());
            },
        },
        Case {
            name: "remove-link",
            edits: vec![("    leads_to: [qualifications]\n", "")],
            check: |diff| {
                assert!(diff.nodes.is_empty());
                assert_eq!(
                    links(diff),
                    [(ChangeKind::Removed, "attendance", "qualifications")]
                );
                assert!(
                    diff.checks
                        .new
                        .iter()
                        .all(|c| c.code == elmo::Code::DisconnectedNode)
                );
                assert!(!diff.checks.new.is_empty());
            },
        },
        Case {
            name: "rename-id",
            edits: vec![
                ("leads_to: [confidence]", "leads_to: [self-confidence]"),
                ("  - id: confidence\n", "  - id: self-confidence\n"),
            ],
            check: |diff| {
                assert_eq!(ids(&diff.nodes), [(ChangeKind::Renamed, "self-confidence")]);
                assert_eq!(diff.nodes[0].old_id.as_deref(), Some("confidence"));
                assert!(diff.links.is_empty(), "links follow the rename");
                assert!(diff.checks.new.is_empty() && diff.checks.fixed.is_empty());
            },
        },
        Case {
            name: "rename-measure",
            edits: vec![
                ("measures: [session-count]", "measures: [sessions-held]"),
                ("  - id: session-count\n", "  - id: sessions-held\n"),
            ],
            check: |diff| {
                assert!(
                    diff.nodes.is_empty(),
                    "the node's measure list follows the rename"
                );
                assert_eq!(
                    ids(&diff.measures),
                    [(ChangeKind::Renamed, "sessions-held")]
                );
            },
        },
        Case {
            name: "rename-and-relabel",
            edits: vec![
                ("leads_to: [confidence]", "leads_to: [self-confidence]"),
                (
                    "  - id: confidence\n    label: Young people feel more confident\n",
                    "  - id: self-confidence\n    label: Young people believe in themselves\n",
                ),
            ],
            check: |diff| {
                // A new id with new content is a different node, not a rename.
                assert_eq!(
                    ids(&diff.nodes),
                    [
                        (ChangeKind::Removed, "confidence"),
                        (ChangeKind::Added, "self-confidence")
                    ]
                );
                assert_eq!(links(diff).len(), 4);
            },
        },
        Case {
            name: "change-target",
            edits: vec![("    target: 6\n", "    target: 7\n")],
            check: |diff| {
                assert_eq!(
                    ids(&diff.measures),
                    [(ChangeKind::Changed, "confidence-score")]
                );
                let f = &diff.measures[0].fields;
                assert_eq!(f.len(), 1);
                assert_eq!(f[0].field, "target");
                assert_eq!(
                    (f[0].old.as_deref(), f[0].new.as_deref()),
                    (Some("6"), Some("7"))
                );
                assert!(diff.nodes.is_empty() && diff.links.is_empty());
            },
        },
        Case {
            name: "change-assumption-status",
            edits: vec![(
                "    status: holding\n    evidence: Nine in ten mentees still came after six weeks in the pilot\n",
                "    status: challenged\n    evidence: Half the mentees left within a month\n",
            )],
            check: |diff| {
                assert_eq!(
                    ids(&diff.assumptions),
                    [(ChangeKind::Changed, "trust-first")]
                );
                let f: Vec<(&str, Option<&str>, Option<&str>)> = diff.assumptions[0]
                    .fields
                    .iter()
                    .map(|f| (f.field.as_str(), f.old.as_deref(), f.new.as_deref()))
                    .collect();
                assert_eq!(
                    f,
                    [
                        ("status", Some("holding"), Some("challenged")),
                        (
                            "evidence",
                            Some("Nine in ten mentees still came after six weeks in the pilot"),
                            Some("Half the mentees left within a month")
                        ),
                    ]
                );
            },
        },
        Case {
            name: "move-stage",
            edits: vec![
                (
                    "indirect_impacts:\n  - id: attendance\n    label: School attendance improves\n    measures: [attendance-rate]\n    leads_to: [qualifications]\n",
                    "",
                ),
                (
                    "direct_impacts:\n",
                    "direct_impacts:\n  - id: attendance\n    label: School attendance improves\n    measures: [attendance-rate]\n    leads_to: [qualifications]\n",
                ),
            ],
            check: |diff| {
                assert_eq!(ids(&diff.nodes), [(ChangeKind::Changed, "attendance")]);
                let f = &diff.nodes[0].fields;
                assert_eq!(f[0].field, "stage");
                assert_eq!(f[0].old.as_deref(), Some("indirect_impacts"));
                assert_eq!(f[0].new.as_deref(), Some("direct_impacts"));
                assert!(diff.links.is_empty(), "the links are the same links");
            },
        },
        Case {
            name: "reformat-only",
            edits: vec![
                (
                    "title: Youth mentoring in Northtown\n",
                    "# A comment\ntitle: 'Youth mentoring in Northtown'\n",
                ),
                (
                    "    baseline: 0\n    target: 480\n",
                    "    target: 480\n    baseline: 0\n",
                ),
                (
                    "applies_to: [\"mentoring -> sessions\"]",
                    "applies_to: [\"mentoring->sessions\"]",
                ),
            ],
            check: |diff| assert!(diff.is_empty(), "{diff:#?}"),
        },
    ]
}

#[test]
fn each_edit_gives_its_semantic_changes_and_the_inverse_reads_back() {
    let old = base();
    for case in cases() {
        let new = edit(&old, &case.edits);
        let forward = d(&old, &new);
        (case.check)(&forward);
        assert_eq!(d(&new, &old), forward.inverted(), "{}: inverse", case.name);
        assert!(d(&new, &new).is_empty(), "{}: self", case.name);
        let text = elmo::diff::text(&forward, "old.yaml", "new.yaml");
        insta::assert_snapshot!(format!("text-{}", case.name), text);
        insta::assert_json_snapshot!(
            format!("json-{}", case.name),
            elmo::diff::to_json(&forward, "old.yaml", "new.yaml")
        );
    }
}

#[test]
fn ambiguous_renames_are_not_guessed() {
    // Two identical outputs renamed at once: either could be either, so no rename is claimed.
    let old = "title: t\noutputs:\n  - id: a\n    label: Same\n  - id: b\n    label: Same\n";
    let new = "title: t\noutputs:\n  - id: c\n    label: Same\n  - id: e\n    label: Same\n";
    let diff = d(old, new);
    assert!(diff.nodes.iter().all(|n| n.change != ChangeKind::Renamed));
    assert_eq!(diff.nodes.len(), 4);
}

#[test]
fn cli_exit_status_formats_and_git_sides() {
    let dir = scratch("diff-cli");
    let old = base();
    let new = edit(&old, &[("    target: 6\n", "    target: 7\n")]);
    std::fs::write(dir.join("model.yaml"), &old).expect("write");
    std::fs::write(dir.join("new.yaml"), &new).expect("write");

    let o = elmo_in(&dir, &["diff", "model.yaml", "new.yaml"]);
    assert_eq!(o.status.code(), Some(0), "differences still exit 0");
    assert!(String::from_utf8_lossy(&o.stdout).contains("target: \"6\" → \"7\""));
    let o = elmo_in(&dir, &["diff", "--exit-code", "model.yaml", "new.yaml"]);
    assert_eq!(o.status.code(), Some(1), "--exit-code: 1 when they differ");
    let o = elmo_in(&dir, &["diff", "--exit-code", "model.yaml", "model.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("No semantic differences."));
    let o = elmo_in(
        &dir,
        &["diff", "--format", "json", "model.yaml", "new.yaml"],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json["identical"], false);
    assert_eq!(json["measures"][0]["fields"][0]["new"], "7");

    let o = elmo_in(&dir, &["diff", "missing.yaml", "new.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::write(dir.join("broken.yaml"), "title: [unclosed\n").expect("write");
    let o = elmo_in(&dir, &["diff", "model.yaml", "broken.yaml"]);
    assert_eq!(o.status.code(), Some(1), "a side that is not a model");

    let git_ok = Command::new("git").arg("--version").output().is_ok();
    if !git_ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "git is required under CI=true"
        );
        eprintln!("SKIPPED git sides of cli_exit_status_formats_and_git_sides: no git");
        return;
    }
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "model.yaml"]);
    git(&["commit", "-q", "-m", "first"]);
    std::fs::write(dir.join("model.yaml"), &new).expect("write");
    let o = elmo_in(&dir, &["diff", "HEAD:model.yaml", "model.yaml"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("~ confidence-score"));
    let o = elmo_in(&dir, &["diff", "no-such-rev:model.yaml", "model.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("git show no-such-rev:model.yaml"));
}

#[test]
fn the_svg_marks_added_removed_and_changed_parts() {
    let old = base();
    let new = edit(
        &old,
        &[
            (
                "    leads_to: [sessions]\n",
                "    leads_to: [sessions, workshops]\n",
            ),
            (
                "direct_impacts:\n",
                "  - id: workshops\n    label: Group workshops held\n    measures: [session-count]\n    leads_to: [confidence]\ndirect_impacts:\n",
            ),
            (
                "    label: School attendance improves\n",
                "    label: Pupils attend school more often\n",
            ),
            (
                "    leads_to: [confidence]\ndirect_impacts:",
                "    leads_to: [confidence]\ndirect_impacts:",
            ),
        ],
    );
    // Remove the output `sessions` (and the links through it).
    let new = edit(
        &new,
        &[
            (
                "    leads_to: [sessions, workshops]\n",
                "    leads_to: [workshops]\n",
            ),
            (
                "  - id: sessions\n    label: Mentoring sessions held\n    measures: [session-count]\n    leads_to: [confidence]\n",
                "",
            ),
            (
                "applies_to: [\"mentoring -> sessions\"]",
                "applies_to: [mentoring]",
            ),
        ],
    );
    let (oc, nc) = (elmo::compile(&old), elmo::compile(&new));
    assert!(!nc.has_errors(), "{:?}", nc.diagnostics);
    let diff = diff(&oc, &nc).expect("diff");
    let merged = elmo::diff::overlay(
        oc.model.as_ref().expect("m"),
        nc.model.as_ref().expect("m"),
        &diff,
    );
    let svg = elmo::render::svg_marked(
        &merged,
        &nc.diagnostics,
        &diff.marks(),
        &elmo::render::theme::LIGHT,
        None,
        "diff",
    );
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let node = |id: &str| {
        doc.descendants()
            .find(|n| {
                n.has_tag_name("g")
                    && n.attribute("data-id") == Some(id)
                    && n.attribute("class").is_some_and(|c| c.starts_with("node "))
            })
            .unwrap_or_else(|| panic!("node {id} drawn"))
    };
    let added = node("workshops");
    assert_eq!(added.attribute("class"), Some("node outputs diff-added"));
    assert_eq!(added.attribute("data-diff"), Some("added"));
    assert!(
        added.descendants().any(|n| n.text() == Some("+")),
        "a + badge"
    );
    let ghost = node("sessions");
    assert_eq!(
        ghost.attribute("class"),
        Some("node outputs diff-removed"),
        "ghost in its old stage"
    );
    assert_eq!(node("attendance").attribute("data-diff"), Some("changed"));
    assert!(
        node("confidence").attribute("data-diff").is_none(),
        "unchanged nodes unmarked"
    );
    let link = |from: &str, to: &str| {
        doc.descendants()
            .find(|n| n.attribute("data-from") == Some(from) && n.attribute("data-to") == Some(to))
            .and_then(|n| n.attribute("data-diff"))
    };
    assert_eq!(link("mentoring", "workshops"), Some("added"));
    assert_eq!(link("mentoring", "sessions"), Some("removed"));
    assert_eq!(link("sessions", "confidence"), Some("removed"));
    assert_eq!(link("confidence", "attendance"), None);
    for word in [
        "added in this change",
        "removed in this change",
        "changed in this change",
    ] {
        assert!(svg.contains(word), "legend explains {word}");
    }
    // The ghost sits in the outputs column, left of the direct impacts.
    let x = |n: roxmltree::Node| -> f64 {
        n.children()
            .find(|c| {
                c.has_tag_name("rect") && c.attribute("class").is_some_and(|k| k.starts_with("box"))
            })
            .and_then(|r| r.attribute("x"))
            .and_then(|v| v.parse().ok())
            .expect("box x")
    };
    assert!(x(ghost) < x(node("confidence")));
    assert!(
        (x(ghost) - x(added)).abs() < 1.0,
        "same column as the other output"
    );

    let dir = scratch("diff-svg");
    std::fs::write(dir.join("old.yaml"), &old).expect("write");
    std::fs::write(dir.join("new.yaml"), &new).expect("write");
    let o = elmo_in(
        &dir,
        &[
            "diff", "--format", "svg", "old.yaml", "new.yaml", "-o", "diff.svg",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let written = std::fs::read_to_string(dir.join("diff.svg")).expect("written");
    assert!(written.contains("diff-added") && written.contains("diff-removed"));
}

/// A random edit of a typed model, applied through the model (then written out as JSON, which
/// is YAML), so property tests explore edits no fixed table lists.
fn mutate(m: &mut elmo::Model, op: u8, a: usize, b: usize) {
    use elmo::Stage;
    let all: Vec<(Stage, String)> = m.nodes().map(|(s, n)| (s, n.id.value.clone())).collect();
    if all.is_empty() {
        return;
    }
    let (stage, id) = all[a % all.len()].clone();
    let (_, other) = all[b % all.len()].clone();
    let sp = |s: &str| elmo::span::Spanned::new(s.to_string(), Default::default());
    match op % 8 {
        0 => {
            if let Some(n) = m.node_mut(&id) {
                n.label = sp(&format!("{} (edited {b})", n.label.value));
            }
        }
        1 => {
            // Rename everywhere: a pure rename.
            let new_id = format!("{id}-renamed");
            for s in Stage::ALL {
                let list: Vec<String> = m.stage(s).iter().map(|n| n.id.value.clone()).collect();
                for nid in list {
                    if let Some(n) = m.node_mut(&nid) {
                        if n.id.value == id {
                            n.id = sp(&new_id);
                        }
                        for t in &mut n.leads_to {
                            if t.to.value == id {
                                t.to = sp(&new_id);
                            }
                        }
                    }
                }
            }
        }
        2 => {
            if let Some(n) = m.node_mut(&id) {
                n.leads_to.retain(|t| t.to.value != other);
                if !n.leads_to.is_empty() {
                    n.leads_to.remove(b % n.leads_to.len());
                }
            }
        }
        3 => {
            let node = elmo::model::Node {
                id: sp(&format!("added-{a}-{b}")),
                label: sp("An added node"),
                description: None,
                leads_to: vec![elmo::model::Link::to(sp(&other))],
                measures: Vec::new(),
                concerns: Vec::new(),
                allow: Vec::new(),
                span: Default::default(),
            };
            m.push_node(stage, node);
        }
        4 => {
            if !m.measures.is_empty() {
                let k = a % m.measures.len();
                m.measures[k].target = Some(elmo::span::Spanned::new(
                    elmo::model::Quantity::Number(b as f64),
                    Default::default(),
                ));
            }
        }
        5 => {
            // Move a node to another stage (links may now point backwards: still a model).
            let node = m.node_mut(&id).map(|n| n.clone());
            if let Some(node) = node {
                let target = Stage::ALL[b % 6];
                let mut rest = m.clone();
                for s in Stage::ALL {
                    let kept: Vec<elmo::model::Node> = rest
                        .stage(s)
                        .iter()
                        .filter(|n| n.id.value != id)
                        .cloned()
                        .collect();
                    set_stage(&mut rest, s, kept);
                }
                rest.push_node(target, node);
                *m = rest;
            }
        }
        6 => {
            m.assumptions.push(elmo::model::Assumption {
                id: sp(&format!("assumption-{a}")),
                text: sp("Something must hold"),
                applies_to: vec![sp(&format!("{id} -> {other}")).into(), sp(&other).into()],
                status: Some(elmo::span::Spanned::new(
                    [
                        elmo::model::Status::Untested,
                        elmo::model::Status::Holding,
                        elmo::model::Status::Challenged,
                        elmo::model::Status::Refuted,
                    ][b % 4],
                    Default::default(),
                )),
                evidence: None,
                strength: None,
                allow: Vec::new(),
                span: Default::default(),
            });
        }
        _ => {
            if let Some(n) = m.node_mut(&id) {
                n.leads_to.push(elmo::model::Link::to(sp(&other)));
            }
        }
    }
}

fn set_stage(m: &mut elmo::Model, s: elmo::Stage, nodes: Vec<elmo::model::Node>) {
    use elmo::Stage;
    match s {
        Stage::Inputs => m.inputs = nodes,
        Stage::Activities => m.activities = nodes,
        Stage::Outputs => m.outputs = nodes,
        Stage::DirectImpacts => m.direct_impacts = nodes,
        Stage::IndirectImpacts => m.indirect_impacts = nodes,
        Stage::SystemicImpacts => m.systemic_impacts = nodes,
    }
}

fn written(m: &elmo::Model) -> String {
    serde_json::to_string_pretty(m).expect("a model serialises")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn diff_is_empty_against_itself_and_inverts_when_reversed(
        size in 6usize..40,
        seed in 0u64..500,
        ops_a in proptest::collection::vec((0u8..8, 0usize..1000, 0usize..1000), 0..4),
        ops_b in proptest::collection::vec((0u8..8, 0usize..1000, 0usize..1000), 0..6),
    ) {
        let src = elmo::generate::layered_model(size, seed);
        let mut a = elmo::compile(&src).model.expect("model");
        for (op, x, y) in ops_a {
            mutate(&mut a, op, x, y);
        }
        let mut b = a.clone();
        for (op, x, y) in ops_b {
            mutate(&mut b, op, x, y);
        }
        let (ca, cb) = (elmo::compile(&written(&a)), elmo::compile(&written(&b)));
        prop_assert!(ca.model.is_some() && cb.model.is_some());
        let same = diff(&ca, &ca).expect("diff");
        prop_assert!(same.is_empty(), "{:#?}", same);
        let ab = diff(&ca, &cb).expect("diff");
        let ba = diff(&cb, &ca).expect("diff");
        prop_assert_eq!(ba, ab.inverted());
        // The same model written as YAML and as JSON means the same.
        let from_yaml = elmo::compile(&src);
        let a0 = from_yaml.model.clone().expect("model");
        let as_json = elmo::compile(&written(&a0));
        prop_assert!(diff(&from_yaml, &as_json).expect("diff").is_empty());
    }
}

#[test]
fn a_revision_that_git_would_read_as_an_option_is_refused() {
    let git_ok = Command::new("git").arg("--version").output().is_ok();
    if !git_ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "git is required under CI=true"
        );
        eprintln!("SKIPPED a_revision_that_git_would_read_as_an_option_is_refused: no git");
        return;
    }
    let dir = scratch("diff-injection");
    std::fs::write(dir.join("model.yaml"), base()).expect("write");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git");
        assert!(o.status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "model.yaml"]);
    git(&["commit", "-q", "-m", "first"]);
    let pwned = dir.join("PWNED");
    for spec in [
        format!("--output={}:model.yaml", pwned.display()),
        format!("-o{}:model.yaml", pwned.display()),
        "--textconv:model.yaml".to_string(),
    ] {
        for args in [
            vec!["diff", "--", spec.as_str(), "model.yaml"],
            vec!["diff", "model.yaml", "--", spec.as_str()],
        ] {
            let o = elmo_in(&dir, &args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(
                String::from_utf8_lossy(&o.stderr).contains("may not start with `-`"),
                "{args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            // Git would name the file after all of `--output=`'s value, colon included.
            let written: Vec<_> = std::fs::read_dir(&dir)
                .expect("list")
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with("PWNED"))
                .map(|e| e.file_name())
                .collect();
            assert!(written.is_empty(), "{args:?} made git write {written:?}");
        }
    }
    // A revision is still read as one, whatever it looks like after the first character.
    let o = elmo_in(&dir, &["diff", "HEAD:model.yaml", "model.yaml"]);
    assert_eq!(o.status.code(), Some(0));
}

/// A generated model with every id of `kind` prefixed, and every reference to it too.
fn rename_all(src: &str) -> String {
    src.replace("s0-", "r0-")
        .replace("s1-", "r1-")
        .replace("s2-", "r2-")
        .replace("s3-", "r3-")
        .replace("s4-", "r4-")
        .replace("s5-", "r5-")
        .replace("id: m", "id: q")
        .replace("[m", "[q")
}

#[test]
fn renaming_every_id_of_a_large_model_is_reported_as_renames_only() {
    let old = elmo::generate::layered_model(3_000, 5);
    let new = rename_all(&old);
    let diff = d(&old, &new);
    let nodes = elmo::compile(&old).model.expect("model").nodes().count();
    assert_eq!(diff.nodes.len(), nodes);
    assert!(diff.nodes.iter().all(|n| n.change == ChangeKind::Renamed));
    assert!(
        diff.measures
            .iter()
            .all(|n| n.change == ChangeKind::Renamed)
    );
    assert!(diff.links.is_empty(), "{:?}", &diff.links[..3]);
    assert_eq!(d(&new, &old), diff.inverted());
    // A rename whose references differ is not one, and neither is a rename leaning on it:
    // pointing the first systemic impact at another measure undoes its rename, then those of
    // the nodes that lead to it, stage by stage back to the inputs.
    let bent = new.replacen("measures: [q5-0]", "measures: [q5-1]", 1);
    assert_ne!(bent, new);
    let diff = d(&old, &bent);
    let change = |id: &str| diff.nodes.iter().find(|n| n.id == id).map(|n| n.change);
    for si in 0..6 {
        assert_eq!(
            change(&format!("s{si}-n0")),
            Some(ChangeKind::Removed),
            "s{si}-n0"
        );
        assert_eq!(
            change(&format!("r{si}-n0")),
            Some(ChangeKind::Added),
            "r{si}-n0"
        );
    }
    assert!(diff.nodes.iter().any(|n| n.change == ChangeKind::Renamed));
    assert_eq!(d(&bent, &old), diff.inverted());
}

/// The schema `elmo schema` writes, which the model's types generate.
fn schema() -> serde_json::Value {
    elmo::model::schema()
}

/// `schema` with a `$ref` followed into `$defs`.
fn resolved<'a>(
    schema: &'a serde_json::Value,
    root: &'a serde_json::Value,
) -> &'a serde_json::Value {
    match schema["$ref"].as_str() {
        Some(r) => &root["$defs"][r.trim_start_matches("#/$defs/")],
        None => schema,
    }
}

/// The schemas `schema` may be: itself, or the branches of its `anyOf`/`oneOf`, with `$ref`s
/// followed and the null branch left out.
fn branches<'a>(
    schema: &'a serde_json::Value,
    root: &'a serde_json::Value,
) -> Vec<&'a serde_json::Value> {
    let s = resolved(schema, root);
    let alternatives = s["anyOf"].as_array().or(s["oneOf"].as_array());
    match alternatives {
        Some(list) => list
            .iter()
            .flat_map(|b| branches(b, root))
            .filter(|b| b["type"] != "null")
            .collect(),
        None => vec![s],
    }
}

/// The words an enumerated value may take (`const`s and `enum`s), in schema order.
fn words(schema: &serde_json::Value, root: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for b in branches(schema, root) {
        out.extend(b.get("const").cloned());
        out.extend(b["enum"].as_array().into_iter().flatten().cloned());
    }
    out
}

/// The first type `schema` allows other than null.
fn first_type(schema: &serde_json::Value, root: &serde_json::Value) -> String {
    for b in branches(schema, root) {
        let types = match &b["type"] {
            serde_json::Value::Array(list) => list.clone(),
            t => vec![t.clone()],
        };
        if let Some(t) = types
            .iter()
            .filter_map(|t| t.as_str())
            .find(|t| *t != "null")
        {
            return t.to_string();
        }
    }
    String::new()
}

/// A valid value for a key of `schema` that differs from `current` (`None`: leave the key
/// out). An absent enumerated key takes the last word, since the first is often what absence
/// already means (`untested`, `quantitative`, `stable`).
fn changed(
    current: Option<&serde_json::Value>,
    schema: &serde_json::Value,
    root: &serde_json::Value,
) -> Option<serde_json::Value> {
    use serde_json::{Value, json};
    let words = words(schema, root);
    if !words.is_empty() && !matches!(current, Some(Value::Array(_))) {
        return match current {
            Some(c) => words.into_iter().find(|w| w != c),
            None => words.last().cloned(),
        };
    }
    // The schema's example is a valid value of the key (a period, a compute block), where text
    // made up here might be refused by the decoder.
    let numeric = matches!(current, Some(Value::Number(_)));
    if let Some(example) = schema["examples"]
        .get(0)
        .filter(|e| !numeric && Some(*e) != current)
    {
        return Some(example.clone());
    }
    let s = branches(schema, root).into_iter().next().unwrap_or(schema);
    match current {
        Some(Value::String(t)) => Some(json!(format!("{t} (changed)"))),
        Some(Value::Bool(b)) => Some(json!(!b)),
        Some(Value::Number(n)) => {
            let next = n.as_f64().expect("a number") + 1.0;
            let max = s["maximum"].as_f64().unwrap_or(f64::INFINITY);
            (next <= max).then(|| json!(next))
        }
        Some(Value::Array(list)) if !list.is_empty() => Some(json!([])),
        Some(Value::Object(map)) if !map.is_empty() => Some(json!({})),
        _ => match first_type(schema, root).as_str() {
            "string" => Some(json!("changed")),
            "boolean" => Some(json!(true)),
            "integer" | "number" => Some(s.get("minimum").cloned().unwrap_or(json!(1))),
            "array" => changed(None, &s["items"], root).map(|e| json!([e])),
            t => panic!("no change written for a value of type {t:?}: {schema}"),
        },
    }
}

/// `key` of `item` set to `value`, or removed.
fn set(item: &mut serde_json::Value, key: &str, value: Option<serde_json::Value>) {
    let map = item.as_object_mut().expect("an item is a mapping");
    match value {
        Some(v) => map.insert(key.to_string(), v),
        None => map.remove(key),
    };
}

fn from_json(model: &serde_json::Value) -> elmo::Compiled {
    let compiled = elmo::compile(&model.to_string());
    assert!(compiled.model.is_some(), "{model}");
    compiled
}

/// The change to the item `id` in `list`, if any.
fn change_of<'a>(
    list: &'a [elmo::diff::ItemChange],
    id: &str,
) -> Option<&'a elmo::diff::ItemChange> {
    list.iter()
        .find(|c| c.id == id || c.old_id.as_deref() == Some(id))
}

fn changed_fields(list: &[elmo::diff::ItemChange], id: &str) -> Vec<String> {
    change_of(list, id)
        .map(|c| c.fields.iter().map(|f| f.field.clone()).collect())
        .unwrap_or_default()
}

/// The list of the diff that holds the items of the model key `list`.
fn items_of<'a>(diff: &'a Diff, list: &str) -> &'a [elmo::diff::ItemChange] {
    match list {
        "measures" => &diff.measures,
        "sources" => &diff.sources,
        "assumptions" => &diff.assumptions,
        "stakeholders" => &diff.stakeholders,
        "external_factors" => &diff.external_factors,
        "unexpected" => &diff.unexpected,
        _ => &diff.nodes,
    }
}

/// A model with every key of the schema set: the schema's own example model, with each
/// item's missing keys filled from the schema's examples.
fn full_model(root: &serde_json::Value) -> serde_json::Value {
    let mut model = serde_json::Map::new();
    for (key, prop) in root["properties"].as_object().expect("properties") {
        let mut value = prop["examples"][0].clone();
        if let Some(items) = value.as_array_mut() {
            let def = resolved(&prop["items"], root);
            for item in items.iter_mut().filter(|i| i.is_object()) {
                for (k, p) in def["properties"].as_object().expect("item properties") {
                    if item.get(k).is_none() {
                        set(item, k, Some(p["examples"][0].clone()));
                    }
                }
            }
        }
        model.insert(key.clone(), value);
    }
    serde_json::Value::Object(model)
}

#[test]
fn every_key_in_the_schema_is_reached_by_the_diff() {
    let root = schema();
    let base = full_model(&root);
    let old = from_json(&base);
    let mut reached = 0;
    for (key, prop) in root["properties"].as_object().expect("properties") {
        let def = resolved(&prop["items"], &root);
        let Some(props) = def["properties"].as_object() else {
            // A setting of the model itself, and the level of each lint in `lints`.
            let mut new = base.clone();
            set(&mut new, key, changed(base.get(key), prop, &root));
            let fields: Vec<String> = d_json(&old, &new)
                .model
                .into_iter()
                .map(|f| f.field)
                .collect();
            assert_eq!(fields, [key.as_str()], "changing the model's `{key}`");
            reached += 1;
            for (code, level) in resolved(prop, &root)["properties"]
                .as_object()
                .into_iter()
                .flatten()
            {
                let mut new = base.clone();
                let current = base[key].get(code);
                set(&mut new[key], code, changed(current, level, &root));
                let fields: Vec<String> = d_json(&old, &new)
                    .model
                    .into_iter()
                    .map(|f| f.field)
                    .collect();
                assert_eq!(
                    fields,
                    [key.as_str()],
                    "changing the level of `{code}` in `{key}`"
                );
                reached += 1;
            }
            continue;
        };
        // A list of items: emptying it removes them, and each of their keys is a field.
        let mut new = base.clone();
        set(&mut new, key, Some(serde_json::json!([])));
        assert!(
            !items_of(&d_json(&old, &new), key).is_empty(),
            "emptying `{key}`"
        );
        let id = base[key][0]["id"]
            .as_str()
            .expect("an example item with an id");
        for (field, p) in props {
            let mut new = base.clone();
            let item = &mut new[key][0];
            set(item, field, changed(base[key][0].get(field), p, &root));
            let diff = d_json(&old, &new);
            let list = items_of(&diff, key);
            match field.as_str() {
                "id" => assert!(
                    change_of(list, id).is_some_and(|c| c.change != ChangeKind::Changed),
                    "changing the id of {key}[0]: {diff:#?}"
                ),
                "leads_to" => assert!(!diff.links.is_empty(), "changing {key}[0].leads_to"),
                _ => assert_eq!(
                    changed_fields(list, id),
                    [field.as_str()],
                    "changing {key}[0].{field}: {diff:#?}"
                ),
            }
            reached += 1;
        }
        // The parts of an `allow` entry: its code and its reason.
        let Some(allow) = props.get("allow") else {
            continue;
        };
        let allow = resolved(&allow["items"], &root);
        if base[key][0]["allow"][0].is_object() {
            for b in branches(allow, &root) {
                for (part, p) in b["properties"].as_object().into_iter().flatten() {
                    let mut new = base.clone();
                    let entry = &mut new[key][0]["allow"][0];
                    set(
                        entry,
                        part,
                        changed(base[key][0]["allow"][0].get(part), p, &root),
                    );
                    let diff = d_json(&old, &new);
                    assert_eq!(
                        changed_fields(items_of(&diff, key), id),
                        ["allow"],
                        "changing the {part} of {key}[0].allow[0]"
                    );
                    reached += 1;
                }
            }
        }
    }
    assert!(reached > 60, "only {reached} keys tried");
}

fn d_json(old: &elmo::Compiled, new: &serde_json::Value) -> Diff {
    diff(old, &from_json(new)).expect("both are models")
}

/// The bundled example models, by file name.
fn bundled() -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(Path::new(ROOT).join("models")).expect("models/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let src = std::fs::read_to_string(&path).expect("read");
            let model = elmo::compile(&src).model.expect("a bundled model compiles");
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .to_string();
            out.push((name, serde_json::to_value(model).expect("serialises")));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 3, "bundled models found");
    out
}

#[test]
fn changing_each_measure_and_source_field_of_a_bundled_model_is_reported() {
    let root = schema();
    // Every field but the id, from the schema, so a new field is tried without anyone
    // adding it here.
    let fields_of = |def: &str| -> Vec<String> {
        root["$defs"][def]["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .filter(|k| *k != "id")
            .cloned()
            .collect()
    };
    let (measure, source) = (fields_of("Measure"), fields_of("Source"));
    assert!(measure.iter().any(|f| f == "denominator") && source.iter().any(|f| f == "sharing"));
    for (name, base) in bundled() {
        let old = from_json(&base);
        for (list, def, fields) in [
            ("measures", "Measure", &measure),
            ("sources", "Source", &source),
        ] {
            for (i, item) in base[list].as_array().expect("a list").iter().enumerate() {
                let id = item["id"].as_str().expect("id");
                for field in fields.iter().map(String::as_str) {
                    let p = &root["$defs"][def]["properties"][field];
                    let mut new = base.clone();
                    set(&mut new[list][i], field, changed(item.get(field), p, &root));
                    let diff = d_json(&old, &new);
                    let c = change_of(items_of(&diff, list), id);
                    assert_eq!(
                        c.map(|c| c
                            .fields
                            .iter()
                            .map(|f| f.field.as_str())
                            .collect::<Vec<_>>()),
                        Some(vec![field]),
                        "{name}: changing the `{field}` of {list} `{id}` is reported as `{field}`"
                    );
                    let text = elmo::diff::text(&diff, "old.yaml", "new.yaml");
                    assert!(
                        text.contains(&format!("      {field}: ")),
                        "{name}: the text names `{field}` of `{id}`:\n{text}"
                    );
                }
            }
        }
    }
}

#[test]
fn changing_a_measures_denominator_shows_in_the_diff() {
    let old = std::fs::read_to_string(Path::new(ROOT).join("models/alcohol-treatment.yaml"))
        .expect("model");
    let new = edit(
        &old,
        &[(
            "    denominator: ATR case files closed in the month\n",
            "    denominator: ATR case files open in the month\n",
        )],
    );
    let diff = d(&old, &new);
    assert_eq!(diff.measures.len(), 1, "{diff:#?}");
    let f = &diff.measures[0].fields;
    assert_eq!(
        f.iter()
            .map(|f| (f.field.as_str(), f.old.as_deref(), f.new.as_deref()))
            .collect::<Vec<_>>(),
        [(
            "denominator",
            Some("ATR case files closed in the month"),
            Some("ATR case files open in the month")
        )]
    );
    assert!(!diff.is_empty());
    let text = elmo::diff::text(&diff, "old.yaml", "new.yaml");
    assert!(
        text.contains(
            "denominator: \"ATR case files closed in the month\" → \"ATR case files open in the month\""
        ),
        "{text}"
    );
}

#[test]
fn writing_out_what_an_absent_key_means_is_no_difference() {
    let old = base();
    assert!(!old.contains("layout:") && !old.contains("fit:"));
    let new = format!("{old}layout: stable\nfit: \"16:9\"\n");
    assert!(d(&old, &new).is_empty(), "{:#?}", d(&old, &new));
    let compact = format!("{old}layout: compact\n");
    let diff = d(&old, &compact);
    assert_eq!(
        diff.model
            .iter()
            .map(|f| (f.field.as_str(), f.old.as_deref(), f.new.as_deref()))
            .collect::<Vec<_>>(),
        [("layout", Some("stable"), Some("compact"))]
    );
}
