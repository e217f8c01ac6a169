//! The reasoning a theory of change holds: links with their reasons, evidence strength,
//! stakeholders, breakdowns, external factors and unexpected changes, read, checked, drawn,
//! diffed and reported.

use elmo::diagnostic::Code;

use crate::common::codes;

/// A small model using every new key, links written both ways.
const MODEL: &str = "\
title: Youth employment
accountability_ceiling: direct_impacts
stakeholders:
  - id: young-people
    label: Young people not in work
    role: beneficiary
  - id: council
    label: The council
    role: funder
breakdowns: [gender, age]
inputs:
  - id: coaches
    label: Employment coaches
    leads_to:
      - to: interviews
        because: Coaches know which employers take on young people
        evidence: Two years of placement records
        strength: 2
activities:
  - id: interviews
    label: Brokered interviews
    concerns: [young-people]
    leads_to: [in-work]
direct_impacts:
  - id: in-work
    label: Young people in work
    concerns: [young-people]
    measures: [in-work-rate]
    leads_to:
      - {to: less-poverty, because: Wages lift households above the line, strength: theory}
systemic_impacts:
  - id: less-poverty
    label: Fewer households in poverty
    measures: [poverty-rate]
measures:
  - id: in-work-rate
    label: Share in work at six months
    kind: qualitative
    breakdowns: [gender]
  - id: poverty-rate
    label: Households below the poverty line
    kind: qualitative
external_factors:
  - id: labour-market
    text: Local unemployment fell over the same years
    affects: [in-work, less-poverty]
unexpected:
  - id: peer-mentors
    text: Former participants began mentoring the next group
    kind: benefit
    evidence: Coach notes
";

#[test]
fn a_model_using_every_reasoning_key_compiles_without_findings() {
    assert_eq!(codes(MODEL), Vec::<Code>::new());
}

#[test]
fn links_written_as_mappings_and_as_ids_make_the_same_graph() {
    let plain = MODEL
        .replace(
            "    leads_to:\n      - to: interviews\n        because: Coaches know which employers take on young people\n        evidence: Two years of placement records\n        strength: 2\n",
            "    leads_to: [interviews]\n",
        )
        .replace(
            "      - {to: less-poverty, because: Wages lift households above the line, strength: theory}\n",
            "      - less-poverty\n",
        );
    assert_ne!(plain, MODEL);
    let edges = |src: &str| {
        let c = elmo::compile(src);
        let (m, g) = (c.model.expect("model"), c.graph.expect("graph"));
        let mut out: Vec<(String, String)> = g
            .graph
            .edge_indices()
            .filter_map(|e| g.graph.edge_endpoints(e))
            .map(|(a, b)| {
                (
                    g.model_node(&m, a).id.value.clone(),
                    g.model_node(&m, b).id.value.clone(),
                )
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(edges(MODEL), edges(&plain));
    assert_eq!(edges(MODEL).len(), 3);
}

#[test]
fn a_link_s_reasons_keep_their_spans_and_serialise_back_as_written() {
    let c = elmo::compile(MODEL);
    let m = c.model.expect("model");
    let link = &m.inputs[0].leads_to[0];
    let because = link.because.as_ref().expect("because");
    assert_eq!(
        &MODEL[because.span.start..because.span.end],
        "Coaches know which employers take on young people"
    );
    assert_eq!(&MODEL[link.to.span.start..link.to.span.end], "interviews");
    let json = serde_json::to_value(&m).expect("json");
    assert_eq!(
        json["activities"][0]["leads_to"],
        serde_json::json!(["in-work"])
    );
    assert_eq!(
        json["direct_impacts"][0]["leads_to"][0],
        serde_json::json!({"to": "less-poverty", "because": "Wages lift households above the line", "strength": "theory"})
    );
}

#[test]
fn a_misspelt_key_in_a_link_mapping_gets_did_you_mean() {
    let src = MODEL.replace("        because: Coaches", "        becuse: Coaches");
    let c = elmo::compile(&src);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnknownField)
        .expect("unknown-field");
    assert_eq!(d.help.as_deref(), Some("did you mean `because`?"));
    assert_eq!(&src[d.span.start..d.span.end], "becuse");
}

#[test]
fn strength_is_a_level_from_one_to_five_or_a_design() {
    for bad in ["0", "6", "\"3\"", "matchd", "strong"] {
        let src = MODEL.replace(
            "        strength: 2\n",
            &format!("        strength: {bad}\n"),
        );
        assert_eq!(codes(&src), [Code::InvalidValue], "strength: {bad}");
    }
    let src = MODEL.replace("        strength: 2\n", "        strength: matchd\n");
    let help = elmo::compile(&src).diagnostics[0].help.clone();
    assert_eq!(help.as_deref(), Some("did you mean `matched`?"));
    for good in ["1", "5", "pre-post", "randomised"] {
        let src = MODEL.replace(
            "        strength: 2\n",
            &format!("        strength: {good}\n"),
        );
        assert_eq!(codes(&src), Vec::<Code>::new(), "strength: {good}");
    }
}

#[test]
fn concerns_affects_and_breakdowns_name_what_exists_with_did_you_mean() {
    for (from, to, help) in [
        (
            "    concerns: [young-people]\n    leads_to: [in-work]",
            "    concerns: [young-peple]\n    leads_to: [in-work]",
            "did you mean `young-people`?",
        ),
        (
            "affects: [in-work, less-poverty]",
            "affects: [in-wrk, less-poverty]",
            "did you mean `in-work`?",
        ),
        (
            "    breakdowns: [gender]",
            "    breakdowns: [gendr]",
            "did you mean `gender`?",
        ),
    ] {
        let src = MODEL.replace(from, to);
        assert_ne!(src, MODEL);
        let c = elmo::compile(&src);
        let found: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::UnknownReference)
            .collect();
        assert_eq!(found.len(), 1, "{to}: {:?}", c.diagnostics);
        assert_eq!(found[0].help.as_deref(), Some(help));
    }
    // A stakeholder's id is not a node.
    let src = MODEL.replace("affects: [in-work,", "affects: [council,");
    assert_eq!(codes(&src), [Code::UnknownReference]);
}

#[test]
fn stakeholders_factors_and_unexpected_changes_share_the_file_s_ids() {
    let src = MODEL.replace("  - id: peer-mentors", "  - id: council");
    assert_eq!(codes(&src), [Code::DuplicateId]);
}

#[test]
fn the_svg_and_dot_carry_a_link_s_reasons_on_hover() {
    let c = elmo::compile(MODEL);
    let svg = elmo::render::svg(&c, &elmo::render::theme::LIGHT).expect("svg");
    assert!(
        svg.contains(r#"<g class="link" data-from="coaches" data-to="interviews"><title>Because: Coaches know which employers take on young people
Evidence: Two years of placement records
Strength: level 2 of 5</title><path"#),
        "{svg}"
    );
    assert!(
        svg.contains(r#"<g class="link" data-from="interviews" data-to="in-work"><path"#),
        "a plain link has no title"
    );
    let (m, g) = (
        c.model.as_ref().expect("model"),
        c.graph.as_ref().expect("graph"),
    );
    let dot = elmo::render::dot::dot(m, g, &c.diagnostics);
    assert!(
        dot.contains(r#""in-work" -> "less-poverty" [tooltip="Because: Wages lift households above the line\nStrength: theory (level 1 of 5)"];"#),
        "{dot}"
    );
}

#[test]
fn the_diff_reports_a_changed_reason_and_follows_renames_through_links_and_references() {
    let old = elmo::compile(MODEL);
    let changed = MODEL.replace(
        "evidence: Two years of placement records",
        "evidence: Three years",
    );
    let d = elmo::diff::diff(&old, &elmo::compile(&changed)).expect("diff");
    assert!(d.links.is_empty(), "{d:#?}");
    let node = d.nodes.iter().find(|n| n.id == "coaches").expect("coaches");
    assert_eq!(node.fields.len(), 1);
    assert_eq!(node.fields[0].field, "leads_to");
    // Renaming the outcome a reasoned link reaches and an external factor names, and a
    // stakeholder, reports the renames and nothing else.
    let renamed = MODEL
        .replace("in-work", "employed")
        .replace("young-people", "young-adults");
    let d = elmo::diff::diff(&old, &elmo::compile(&renamed)).expect("diff");
    assert!(d.links.is_empty(), "{d:#?}");
    let renames: Vec<_> = d
        .nodes
        .iter()
        .chain(&d.stakeholders)
        .chain(&d.measures)
        .map(|c| (c.old_id.clone(), c.id.clone(), c.fields.len()))
        .collect();
    assert!(
        renames.contains(&(Some("in-work".into()), "employed".into(), 0)),
        "{d:#?}"
    );
    assert!(
        renames.contains(&(Some("young-people".into()), "young-adults".into(), 0)),
        "{d:#?}"
    );
    assert!(d.external_factors.is_empty(), "{d:#?}");
    assert!(d.nodes.iter().all(|n| n.fields.is_empty()), "{d:#?}");
}

const FIXTURE: &str = include_str!("../fixtures/diagnostics/missing-breakdown.yaml");

#[test]
fn missing_breakdown_flags_only_beneficiary_outcomes_with_no_split_measure() {
    let c = elmo::compile(FIXTURE);
    let found: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingBreakdown)
        .map(|d| d.subject.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        found,
        ["housed"],
        "the funder's outcome, the split one and outputs pass"
    );
}

#[test]
fn missing_breakdown_is_silent_until_the_model_declares_breakdowns_and_can_be_allowed() {
    let without = FIXTURE.replace("breakdowns: [gender, age, ethnicity]\n", "");
    let without = without.replace("    breakdowns: [gender, age]\n", "");
    assert!(!codes(&without).contains(&Code::MissingBreakdown));
    let allowed = FIXTURE.replace(
        "    measures: [housed-rate]\n",
        "    measures: [housed-rate]\n    allow: [{code: missing-breakdown, reason: Too few women to report safely}]\n",
    );
    assert!(!codes(&allowed).contains(&Code::MissingBreakdown));
    // A group of another role is not a beneficiary group.
    let staff = FIXTURE.replacen("role: beneficiary", "role: staff", 1);
    assert!(!codes(&staff).contains(&Code::MissingBreakdown));
}

#[test]
fn the_report_shows_reasons_strength_stakeholders_unexpected_changes_and_contribution() {
    let src = MODEL.replace(
        "    kind: qualitative\n    breakdowns: [gender]\n",
        "    kind: qualitative\n    breakdowns: [gender]\n    comparison: matched\n",
    );
    let src = src.replace(
        "  - id: poverty-rate\n    label: Households below the poverty line\n    kind: qualitative\n",
        "  - id: poverty-rate\n    label: Households below the poverty line\n    kind: qualitative\n    comparison: matched\n",
    );
    let c = elmo::compile(&src);
    let r = elmo::report::Report::build(&c).expect("report");
    let md = elmo::report::md::markdown(&elmo::report::build::document(
        &r,
        elmo::report::document::Audience::Funder,
        None,
    ));
    for want in [
        "| Employment coaches | Brokered interviews | Coaches know which employers take on young people | Two years of placement records | level 2 of 5 |",
        "| Young people not in work | beneficiary | Brokered interviews; Young people in work |",
        "Results will be split by: gender, age.",
        "| Former participants began mentoring the next group | benefit | Coach notes |",
        "| Fewer households in poverty | Households below the poverty line | matched |  | Local unemployment fell over the same years. | From Young people in work: Wages lift households above the line; strength: theory (level 1 of 5). |",
    ] {
        assert!(md.contains(want), "{want}\n{md}");
    }
    let html = elmo::report::html::html(&elmo::report::build::document(
        &r,
        elmo::report::document::Audience::Funder,
        None,
    ));
    assert!(html.contains(">Why each step leads to the next</h2>"));
    assert!(html.contains("<td>Local unemployment fell over the same years.</td>"));
    let csv = elmo::report::csv::csv(&r).expect("csv");
    assert!(
        csv.contains("direct_impacts,in-work,Young people in work,in-work-rate,Share in work at six months,qualitative,,,,,,,,,young-people,gender"),
        "{csv}"
    );
}
