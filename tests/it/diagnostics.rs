//! One fixture per diagnostic code, each snapshot-tested as the human report and as JSON.

use crate::common::fixture;
use elmo::Code;
use elmo::emit::human::{Human, Style};
use elmo::emit::{FileReport, summary_line, to_json};

fn human(path: &str, src: &str, diags: &[elmo::Diagnostic]) -> String {
    let mut out = Human::new(path, src, Style::plain(90)).diagnostics(diags);
    let errors = diags
        .iter()
        .filter(|d| d.severity == elmo::Severity::Error)
        .count();
    out.push_str(&summary_line(errors, diags.len() - errors, 1));
    out
}

#[test]
fn every_code_has_a_fixture_that_raises_it_and_points_at_a_token() {
    for code in Code::ALL {
        // Results codes need a CSV beside the model; tests/results.rs covers them.
        if elmo::results::CODES.contains(code) {
            continue;
        }
        let src = fixture(code.as_str());
        let compiled = elmo::compile(&src);
        let found: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.code == *code)
            .collect();
        assert!(
            !found.is_empty(),
            "fixture for {code} does not raise it: {:?}",
            compiled.diagnostics
        );
        for d in found {
            assert!(d.span.end <= src.len(), "{code}: span past the end");
            assert!(
                !d.message.is_empty() && d.help.is_some(),
                "{code}: message and help expected"
            );
        }
    }
}

#[test]
fn clean_fixture_has_no_diagnostics() {
    let compiled = elmo::compile(&fixture("clean"));
    assert_eq!(compiled.diagnostics, vec![]);
    assert!(compiled.model.is_some() && compiled.graph.is_some());
}

#[test]
fn snapshots_of_every_fixture() {
    insta::glob!("../fixtures/diagnostics", "*.yaml", |path| {
        let src = std::fs::read_to_string(path).expect("fixture readable");
        let name = format!(
            "fixtures/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        let compiled = elmo::compile(&src);
        insta::assert_snapshot!("human", human(&name, &src, &compiled.diagnostics));
        let report = FileReport {
            path: &name,
            source: &src,
            diagnostics: &compiled.diagnostics,
            readiness: None,
        };
        insta::assert_json_snapshot!("json", to_json(&[report]));
    });
}

#[test]
fn suggestions_name_the_nearest_id_and_key() {
    let src = fixture("unknown-reference");
    let d = &elmo::compile(&src).diagnostics[0];
    assert_eq!(d.help.as_deref(), Some("did you mean `confidence`?"));
    assert_eq!(&src[d.span.start..d.span.end], "confidance");

    let src = fixture("unknown-field");
    let d = &elmo::compile(&src).diagnostics[0];
    assert_eq!(d.help.as_deref(), Some("did you mean `leads_to`?"));
    assert_eq!(&src[d.span.start..d.span.end], "lead_to");

    let src = fixture("invalid-value");
    let d = &elmo::compile(&src).diagnostics[0];
    assert_eq!(d.help.as_deref(), Some("did you mean `quantitative`?"));
}

#[test]
fn duplicate_id_points_at_both() {
    let src = fixture("duplicate-id");
    let d = &elmo::compile(&src).diagnostics[0];
    let second = src.rfind("id: survey").expect("second") + 4;
    let first = src.find("id: survey").expect("first") + 4;
    assert_eq!(d.span.start, second);
    assert_eq!(d.related[0].0.start, first);
}

#[test]
fn cycle_names_every_node_in_the_loop() {
    let src = "title: t\ninputs:\n  - id: i\n    label: i\n    leads_to: [a]\ndirect_impacts:\n  - id: a\n    label: a\n    leads_to: [b]\n  - id: b\n    label: b\n    leads_to: [c]\n  - id: c\n    label: c\n    leads_to: [a, s]\nsystemic_impacts:\n  - id: s\n    label: s\n";
    let c = elmo::compile(src);
    let cycle: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Cycle)
        .collect();
    assert_eq!(cycle.len(), 1);
    assert!(
        cycle[0].message.contains("`a` → `b` → `c` → `a`"),
        "{}",
        cycle[0].message
    );
}

#[test]
fn disconnected_says_which_side_is_missing() {
    let base = fixture("clean");
    // Upstream missing: a new output that nothing produces but that feeds the chain.
    let up = base.replace("outputs:\n", "outputs:\n  - id: leaflets\n    label: Leaflets\n    measures: [session-count]\n    leads_to: [confidence]\n");
    let d = elmo::compile(&up).diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message
            .starts_with("no path from an input reaches `leaflets`"),
        "{}",
        d[0].message
    );
    // Downstream missing: an activity that leads nowhere.
    let down = base
        .replace(
            "    leads_to: [mentoring]\n",
            "    leads_to: [mentoring, training]\n",
        )
        .replace(
            "outputs:\n",
            "  - id: training\n    label: Mentor training\noutputs:\n",
        );
    let d = elmo::compile(&down).diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message
            .starts_with("`training` leads to no systemic impact"),
        "{}",
        d[0].message
    );
}

/// The one `yaml-syntax` diagnostic for `src`.
fn syntax_error(src: &str) -> elmo::Diagnostic {
    let d = elmo::compile(src).diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, Code::YamlSyntax, "{d:?}");
    d[0].clone()
}

#[test]
fn a_value_starting_with_yaml_syntax_gets_help_to_quote_it() {
    for (value, quoted) in [
        (
            "[Draft] Weekly sessions",
            r#"label: "[Draft] Weekly sessions""#,
        ),
        (
            "{Pilot} Weekly sessions",
            r#"label: "{Pilot} Weekly sessions""#,
        ),
        (r#""Draft" sessions"#, r#"label: '"Draft" sessions'"#),
        ("@home visits", r#"label: "@home visits""#),
        ("*Bold* claim", r#"label: "*Bold* claim""#),
        ("`code` club", r#"label: "`code` club""#),
    ] {
        let src = format!("title: T\ninputs:\n  - id: a\n    label: {value}\n    leads_to: [b]\n");
        let d = syntax_error(&src);
        let help = d.help.unwrap_or_default();
        assert!(help.contains(quoted), "{value}: {help}");
        assert!(help.contains("quote the whole value"), "{value}: {help}");
    }
}

#[test]
fn an_unclosed_bracket_is_reported_where_it_opened() {
    for (src, bracket) in [
        (
            "title: T\ninputs:\n  - id: a\n    leads_to: [b, c\n  - id: b\n    label: B\n",
            "[b, c",
        ),
        (
            "title: T\ninputs:\n  - id: a\n    label: A\n    leads_to: [b, c\n",
            "[b, c",
        ),
        (
            "title: T\nlints: {unused-measure: allow\ninputs: []\n",
            "{unused",
        ),
    ] {
        let d = syntax_error(src);
        let at = src.find(bracket).expect("bracket");
        assert_eq!((d.span.start, d.span.end), (at, at + 1), "{src}: {d:?}");
        assert!(d.message.contains("never closed"), "{}", d.message);
        assert_eq!(d.related.len(), 1, "where reading stopped");
    }
    // A flow list that goes on over lines, indented, is still read where it fails.
    let src = "title: T\ninputs:\n  - id: a\n    leads_to: [b,\n      c: d: e]\n";
    assert!(!syntax_error(src).message.contains("never closed"));
}

#[test]
fn a_tab_in_indentation_is_reported_on_the_tab_itself() {
    for src in [
        "title: T\ninputs:\n  - id: a\n    label: x\n\t- id: b\n    label: y\n",
        "title: T\ninputs:\n  - id: a\n\t  label: x\n  - id: b\n    label: y\n",
        "title: T\ninputs:\n  - id: a\n  \t  label: x\n",
    ] {
        let d = syntax_error(src);
        let tab = src.find('\t').expect("tab");
        assert_eq!(d.span.start, tab, "{src:?}: {d:?}");
        assert_eq!(&src[d.span.start..d.span.end], "\t", "{src:?}");
        assert!(d.help.is_some_and(|h| h.contains("spaces")));
    }
}

#[test]
fn a_hash_that_cuts_plain_text_short_warns_but_a_spaced_comment_does_not() {
    let src = "title: Step up # two\ninputs:\n  - id: a\n    label: Weekly #1 priority  # note\n    description: Fine  # a real comment\n    leads_to:\n      - b #why\n  - id: b\n    label: B\n";
    let found: Vec<_> = elmo::compile(src)
        .diagnostics
        .into_iter()
        .filter(|d| d.code == Code::CommentInText)
        .collect();
    let cut: Vec<&str> = found
        .iter()
        .map(|d| &src[d.span.start..d.span.end])
        .collect();
    assert_eq!(cut, ["# two", "#1 priority", "#why"], "{found:?}");
    assert_eq!(found[1].severity, elmo::Severity::Warning);
    assert!(
        found[1]
            .help
            .as_deref()
            .is_some_and(|h| h.contains(r#"label: "Weekly #1 priority""#)),
        "{:?}",
        found[1].help
    );
    // Numbers keep their comments, and the code can be allowed like any warning.
    let numbers = "title: T\nlints: {comment-in-text: allow}\nmeasures:\n  - id: m\n    label: M #1\n    baseline: 42 #n\n";
    assert!(
        elmo::compile(numbers)
            .diagnostics
            .iter()
            .all(|d| d.code != Code::CommentInText)
    );
}

#[test]
fn infinite_and_nan_baselines_and_targets_are_invalid_values() {
    for value in [
        ".nan", ".NaN", ".inf", "-.Inf", "+.INF", "inf", "NaN", "1e400",
    ] {
        for key in ["baseline", "target"] {
            let src = format!("title: T\nmeasures:\n  - id: m\n    label: M\n    {key}: {value}\n");
            let d: Vec<_> = elmo::compile(&src)
                .diagnostics
                .into_iter()
                .filter(|d| d.code == Code::InvalidValue)
                .collect();
            assert_eq!(d.len(), 1, "{key}: {value}");
            assert_eq!(&src[d[0].span.start..d[0].span.end], value);
        }
    }
    // Quoted, it is text like any other.
    let src = "title: T\nmeasures:\n  - id: m\n    label: M\n    baseline: \".nan\"\n";
    assert!(
        elmo::compile(src)
            .diagnostics
            .iter()
            .all(|d| d.code != Code::InvalidValue)
    );
}

#[test]
fn suggestions_for_wrong_references_stop_at_a_budget_so_checking_stays_linear() {
    // Every reference is one letter off an id, so each would get a suggestion; comparing
    // each with every id would grow with their product.
    let n = 1_500;
    let nodes: String = (0..n)
        .map(|i| format!("  - id: node-{i}\n    label: L\n    leads_to: [node-{i}x]\n"))
        .collect();
    let src = format!("title: T\ninputs:\n{nodes}");
    let wrong: Vec<_> = elmo::compile(&src)
        .diagnostics
        .into_iter()
        .filter(|d| d.code == Code::UnknownReference)
        .collect();
    assert_eq!(wrong.len(), n);
    let suggested = wrong
        .iter()
        .filter(|d| {
            d.help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"))
        })
        .count();
    assert!(suggested > 1_000 && suggested < n, "{suggested} of {n}");
    let last = wrong
        .last()
        .and_then(|d| d.help.as_deref())
        .unwrap_or_default();
    assert_eq!(
        last,
        format!("define a node with `id: node-{}x`, or fix the id", n - 1)
    );
}
