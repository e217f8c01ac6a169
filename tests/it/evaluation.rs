//! The evaluation checks beyond their fixtures: the edges of each rule, exceptions, and how
//! the new keys are read.

use crate::common::{codes, diags, with};
use elmo::Code;

fn base() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagnostics/clean-evaluation.yaml");
    std::fs::read_to_string(path).expect("clean-evaluation fixture")
}

#[test]
fn the_evaluation_fixture_is_clean() {
    assert_eq!(diags(&base()), vec![]);
}

#[test]
fn a_target_equal_to_its_baseline_promises_no_change() {
    let src = with(&base(), "    target: 55\n", "    target: 37\n");
    let d = diags(&src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, Code::TargetAgainstDirection);
    assert!(
        d[0].message.contains("promises no change"),
        "{}",
        d[0].message
    );
    // A decrease measure whose target rises is caught the same way.
    let src = with(
        &with(&base(), "    baseline: 42.5\n", "    baseline: 30\n"),
        "    target: below the matched comparison group\n",
        "    target: 35\n",
    );
    let d = diags(&src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message.contains("is above its baseline (30)"),
        "{}",
        d[0].message
    );
    // Without a direction there is nothing to judge.
    let src = with(
        &base(),
        "    direction: increase\n    baseline: 37\n    target: 55\n",
        "    baseline: 55\n    target: 37\n",
    );
    assert_eq!(codes(&src), vec![]);
}

#[test]
fn a_rate_needs_both_halves_and_points_are_not_rates() {
    let src = with(
        &base(),
        "    denominator: people released into the service\n    direction: increase\n    baseline: 37\n",
        "    direction: increase\n    baseline: 37\n",
    );
    let d = diags(&src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message.ends_with("does not give its `denominator`"),
        "{}",
        d[0].message
    );
    let src = with(
        &base(),
        "    unit: percent\n    numerator: people still in contact three months after release\n    denominator: people released into the service\n",
        "    unit: percentage points\n",
    );
    assert_eq!(codes(&src), vec![]);
}

#[test]
fn one_leading_outcome_measure_upstream_is_enough_to_steer_by() {
    // The only leading outcome measure is the interviews at the three-month review; with
    // it lagging, every outcome measure is, and the systemic impact is flagged even though
    // the output's engagement measure is leading.
    let interviews = "    kind: qualitative\n    timing: leading\n";
    let all_lagging = with(
        &base(),
        interviews,
        "    kind: qualitative\n    timing: lagging\n",
    );
    assert_eq!(codes(&all_lagging), vec![Code::OnlyLaggingMeasures]);
    // A measure with no stated timing gets the benefit of the doubt.
    let unstated = with(&base(), interviews, "    kind: qualitative\n");
    assert_eq!(codes(&unstated), vec![]);
    // A second systemic impact fed only by lagging measures is flagged on its own.
    let src = with(
        &with(
            &base(),
            "    leads_to: [less-reoffending]\n",
            "    leads_to: [less-reoffending]\n  - id: housed\n    label: Housed\n    measures: [housed-12m]\n    leads_to: [fewer-evictions]\n",
        ),
        "measures:\n  - id: engaged-3m",
        "  - id: fewer-evictions\n    label: Fewer evictions\n    measures: [proven-rate]\nmeasures:\n  - id: engaged-3m",
    );
    let src = with(
        &src,
        "    leads_to: [gate-support]\n",
        "    leads_to: [gate-support, housed]\n",
    );
    let d = diags(&src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, Code::OnlyLaggingMeasures);
    assert!(
        d[0].message.contains("`fewer-evictions`"),
        "{}",
        d[0].message
    );
}

#[test]
fn the_data_lab_cohort_lives_on_the_measures_drawing_on_it() {
    let jdl = with(
        &base(),
        "    kind: partner\n",
        "    kind: justice-data-lab\n",
    );
    // No measure says how many people: the source is flagged.
    let d = diags(&jdl);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, Code::DataLabCohort);
    assert!(
        d[0].message.contains("states a `cohort`"),
        "{}",
        d[0].message
    );
    // Sixty is enough for the Data Lab; fifty-nine is not.
    let at = |n: u32| {
        with(
            &jdl,
            "    comparison: matched\n",
            &format!("    comparison: matched\n    cohort: {n}\n"),
        )
    };
    assert_eq!(codes(&at(60)), vec![]);
    let d = diags(&at(59));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].help
            .as_deref()
            .is_some_and(|h| h.contains("more than 500 people"))
    );
}

#[test]
fn a_large_enough_cohort_passes_the_power_check() {
    let planned = |n: u32| {
        with(
            &base(),
            "    target: below the matched comparison group\n",
            &format!("    target: 35\n    cohort: {n}\n"),
        )
    };
    assert_eq!(codes(&planned(661)), vec![Code::UnderpoweredCohort]);
    // 662 is just enough, with no margin for anyone lost to follow-up; 5% more has one.
    let d = diags(&planned(662));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("no margin"), "{}", d[0].message);
    assert_eq!(codes(&planned(695)), vec![Code::UnderpoweredCohort]);
    assert_eq!(codes(&planned(696)), vec![]);
    // A percentage change is not a share of people, so it is not tested for power.
    let src = with(
        &planned(20),
        "    unit: percent\n    numerator: people with a proven",
        "    unit: percent reduction\n    numerator: people with a proven",
    );
    assert_eq!(codes(&src), vec![]);
}

#[test]
fn sharing_matters_only_for_personal_data() {
    let src = with(
        &with(
            &base(),
            "    sharing: Data-sharing agreement under the Ministry's legal gateway for evaluation\n",
            "",
        ),
        "    kind: partner\n    personal_data: true\n",
        "    kind: partner\n    personal_data: false\n",
    );
    assert_eq!(codes(&src), vec![]);
}

#[test]
fn a_refuted_assumption_can_be_kept_as_a_record() {
    let refuted = with(
        &base(),
        "    status: untested\n",
        "    status: refuted\n    evidence: tenancies were lost as often in contact as out of it\n",
    );
    assert_eq!(codes(&refuted), vec![Code::RefutedAssumption]);
    let kept = with(
        &refuted,
        "    status: refuted\n",
        "    status: refuted\n    allow:\n      - code: refuted-assumption\n        reason: the contact model was redesigned\n",
    );
    assert_eq!(codes(&kept), vec![]);
    // Challenged assumptions are not flagged; the readiness summary lists them.
    let challenged = with(
        &base(),
        "    status: untested\n",
        "    status: challenged\n    evidence: two of five tenancies lost in the first quarter\n",
    );
    let c = elmo::compile(&challenged);
    assert_eq!(c.diagnostics, vec![]);
    assert_eq!(
        c.readiness().map(|r| r.challenged),
        Some(vec!["contact-keeps-people-housed".to_string()])
    );
}

#[test]
fn the_ceiling_asks_for_a_design_or_a_contribution_beyond_it_only() {
    let ceiling = |stage: &str, target: &str, comparison: &str| {
        let src = with(
            &base(),
            "vision:",
            &format!("accountability_ceiling: {stage}\nvision:"),
        );
        let src = with(
            &src,
            "    target: below the matched comparison group\n",
            &format!("    target: {target}\n"),
        );
        with(&src, "    comparison: matched\n", comparison)
    };
    assert_eq!(
        codes(&ceiling("direct_impacts", "35", "")),
        vec![Code::TargetBeyondCeiling]
    );
    assert_eq!(
        codes(&ceiling("direct_impacts", "35", "    comparison: none\n")),
        vec![Code::TargetBeyondCeiling]
    );
    // Any design but none backs the claim.
    for design in [
        "randomised",
        "matched",
        "pre-post",
        "benchmark",
        "contribution",
    ] {
        assert_eq!(
            codes(&ceiling(
                "direct_impacts",
                "35",
                &format!("    comparison: {design}\n")
            )),
            vec![],
            "{design}"
        );
    }
    // So does a contribution statement, for a shared population-level target.
    assert_eq!(
        codes(&ceiling(
            "direct_impacts",
            "0",
            "    contribution: one of four services working on it across the county\n"
        )),
        vec![]
    );
    // A target written as text makes the same claim: a vaguer target does not escape.
    assert_eq!(
        codes(&ceiling("direct_impacts", "below the comparison group", "")),
        vec![Code::TargetBeyondCeiling]
    );
    assert_eq!(codes(&ceiling("systemic_impacts", "35", "")), vec![]);
    // A ceiling at the outputs puts the direct impacts' targets beyond it too.
    let d = diags(&ceiling("outputs", "35", "    comparison: matched\n"));
    let flagged: Vec<&str> = d
        .iter()
        .filter(|d| d.code == Code::TargetBeyondCeiling)
        .filter_map(|d| d.subject.as_deref())
        .collect();
    assert_eq!(flagged, ["housed-12m"], "{d:?}");
}

#[test]
fn new_keys_are_read_strictly() {
    for (from, to, needle) in [
        (
            "    comparison: matched\n",
            "    comparison: paired\n",
            "not a valid `comparison`",
        ),
        (
            "    timing: leading\n",
            "    timing: early\n",
            "not a valid `timing`",
        ),
        (
            "    direction: increase\n",
            "    direction: up\n",
            "not a valid `direction`",
        ),
        (
            "    kind: partner\n",
            "    kind: jdl\n",
            "not a valid `kind`",
        ),
        (
            "    comparison: matched\n",
            "    comparison: matched\n    cohort: 0\n",
            "`cohort` must be a whole number",
        ),
        (
            "    comparison: matched\n",
            "    comparison: matched\n    cohort: 12.5\n",
            "`cohort` must be a whole number",
        ),
        (
            "    comparison: matched\n",
            "    comparison: matched\n    cohort: \"200\"\n",
            "`cohort` must be a whole number",
        ),
        (
            "    shared_with: [Ministry of Justice]\n",
            "    shared_with: Ministry of Justice\n",
            "`shared_with` must be a list",
        ),
        (
            "vision:",
            "accountability_ceiling: direct_impact\nvision:",
            "not a valid `accountability_ceiling`",
        ),
    ] {
        let d = diags(&with(&base(), from, to));
        let bad: Vec<_> = d.iter().filter(|d| d.code == Code::InvalidValue).collect();
        assert_eq!(bad.len(), 1, "{to:?}: {d:?}");
        assert!(
            bad[0].message.contains(needle),
            "{to:?}: {}",
            bad[0].message
        );
    }
    let d = diags(&with(
        &base(),
        "vision:",
        "accountability_ceiling: direct_impact\nvision:",
    ));
    assert_eq!(d[0].help.as_deref(), Some("did you mean `direct_impacts`?"));
}

#[test]
fn the_schema_offers_the_new_keys() {
    let schema = elmo::model::schema();
    let props = |def: &str| schema["$defs"][def]["properties"].clone();
    for key in [
        "numerator",
        "denominator",
        "direction",
        "timing",
        "cohort",
        "comparison",
    ] {
        assert!(props("Measure")[key].is_object(), "Measure lacks {key}");
    }
    for key in ["kind", "shared_with", "sharing"] {
        assert!(props("Source")[key].is_object(), "Source lacks {key}");
    }
    assert!(schema["properties"]["accountability_ceiling"].is_object());
}
