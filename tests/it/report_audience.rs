//! `elmo report --audience funder|team`: the funder's report of every bundled model carries
//! no lint code, id or YAML, and gives every measure's full definition; the team's carries
//! each finding's code and its fix on a line of its own; every lint has a plain-English
//! sentence for funders, filled with the label of what it is about.

use std::collections::HashSet;
use std::path::Path;

use crate::common::{ROOT, elmo, model_paths, stderr, stdout};
use elmo::report::build::{document, funder_sentence, gap_sentence};
use elmo::report::document::Audience;
use elmo::report::{Report, html, md};

/// The model of `tests/it/report.rs`'s gap test: the mixed CI fixture without its two errors,
/// so warnings only.
fn mixed() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/ci/mixed.yaml"))
        .expect("fixture")
        .replace(", mentorng]", "]")
        .replace("  - id: survey\n    label: Exit survey of leavers\n", "")
}

fn report(src: &str) -> (Report, elmo::Compiled) {
    let c = elmo::compile(src);
    (Report::build(&c).expect("no errors"), c)
}

/// `elmo report FILE --format FORMAT` plus `extra`, with the date fixed.
fn cli(file: &Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["report", file.to_str().expect("utf-8"), "--format", format];
    args.extend(extra);
    let o = elmo(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

/// The words a reader sees in the HTML: no style sheet, no pictures, no tags or attributes.
fn visible_text(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [("<style", "</style>"), ("<svg", "</svg>")] {
        while let Some(a) = s.find(open) {
            let Some(b) = s[a..].find(close) else { break };
            s.replace_range(a..a + b + close.len(), " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// The tokens of `text` an id could be: runs of letters, digits, `-` and `_`, with Markdown's
/// backslash escapes removed. Case is kept: `oasys` the id is not `OASys` the word.
fn tokens(text: &str) -> HashSet<String> {
    text.replace('\\', "")
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .map(|t| t.trim_matches('-').to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Every string a person wrote in the model that is not an id or a reference to one (labels,
/// descriptions, evidence, storage...), walked through the model's serialised form.
fn prose(value: &serde_json::Value, key: &str, out: &mut String) {
    const IDS: [&str; 7] = [
        "id",
        "to",
        "measures",
        "source",
        "applies_to",
        "concerns",
        "affects",
    ];
    let names_ids = match value {
        serde_json::Value::String(_) => true,
        serde_json::Value::Array(items) => items.iter().all(serde_json::Value::is_string),
        _ => false,
    };
    // `measures:` is both the list of measures and, on a node, the ids of its measures.
    if key == "allow" || key == "lints" || (IDS.contains(&key) && names_ids) {
        return;
    }
    match value {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| prose(v, key, out)),
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| prose(v, k, out)),
        _ => {}
    }
}

/// The ids of the model: nodes, measures, sources, assumptions and stakeholders.
fn ids(model: &elmo::model::Model) -> Vec<String> {
    model
        .nodes()
        .map(|(_, n)| n.id.value.clone())
        .chain(model.measures.iter().map(|m| m.id.value.clone()))
        .chain(model.sources.iter().map(|s| s.id.value.clone()))
        .chain(model.assumptions.iter().map(|a| a.id.value.clone()))
        .chain(model.stakeholders.iter().map(|s| s.id.value.clone()))
        .collect()
}

/// Fails when `text`, a funder's report of `model`, shows a lint code, an id or YAML.
///
/// An id is found as a whole token, case and all. Ids are often ordinary words (`courts`,
/// `staff`): such an id counts as shown only when the token is not also a word of what people
/// wrote in the model, since the report must print their words as written.
fn assert_plain(name: &str, text: &str, model: &elmo::model::Model) {
    let mut written = String::new();
    prose(
        &serde_json::to_value(model).expect("model serialises"),
        "",
        &mut written,
    );
    let words = tokens(&written);
    let seen = tokens(text);
    for code in elmo::Code::ALL {
        let c = code.as_str();
        assert!(
            !seen.contains(c) || words.contains(c),
            "{name}: the funder's report shows the lint code {c}"
        );
    }
    for id in ids(model) {
        assert!(
            !seen.contains(&id) || words.contains(&id),
            "{name}: the funder's report shows the id {id}"
        );
    }
    for yaml in [
        ": [", "allow:", "leads_to", "- id:", "`", "reason:", "code:",
    ] {
        assert!(
            !text.contains(yaml),
            "{name}: the funder's report shows YAML {yaml:?}"
        );
    }
}

#[test]
fn funder_reports_of_every_bundled_model_show_no_lint_code_id_or_yaml() {
    for (name, path) in model_paths() {
        let c = elmo::compile(&std::fs::read_to_string(&path).expect("model"));
        let model = c.model.as_ref().expect("model");
        // Through the CLI, as a user makes them: the default audience is the funder.
        let text = cli(&path, "md", &[]);
        assert_eq!(text, cli(&path, "md", &["--audience", "funder"]));
        assert_plain(&format!("{name}.md"), &text, model);
        let page = cli(&path, "html", &[]);
        assert!(!page.contains("<code>"), "{name}.html has code");
        assert_plain(&format!("{name}.html"), &visible_text(&page), model);
    }
    // And a model with gaps of several kinds.
    let (r, c) = report(&mixed());
    let model = c.model.as_ref().expect("model");
    let doc = document(&r, Audience::Funder, None);
    assert_plain("mixed.md", &md::markdown(&doc), model);
    assert_plain("mixed.html", &visible_text(&html::html(&doc)), model);
}

/// The check behind [`funder_reports_of_every_bundled_model_show_no_lint_code_id_or_yaml`]
/// fails when it should.
#[test]
fn the_plain_text_check_finds_codes_ids_and_yaml() {
    let (r, c) = report(&mixed());
    let model = c.model.as_ref().expect("model");
    let team = md::markdown(&document(&r, Audience::Team, None));
    for bad in [
        team.as_str(),
        "the measure confidence-score",
        "see unmeasured-outcome here",
        "allow: [x]",
    ] {
        let caught = std::panic::catch_unwind(|| assert_plain("probe", bad, model));
        assert!(caught.is_err(), "not caught: {}", &bad[..bad.len().min(60)]);
    }
}

/// `needle`, as it reads in each format, is in both the Markdown and the HTML (compared
/// without case, since a definition starts with a capital).
fn assert_in_both(name: &str, needle: &str, text: &str, page: &str) {
    let want_md = md::escape(needle).to_lowercase();
    let want_html = elmo::escape::xml(needle).to_lowercase();
    assert!(
        text.to_lowercase().contains(&want_md),
        "{name}: Markdown lacks {needle:?}"
    );
    assert!(
        page.to_lowercase().contains(&want_html),
        "{name}: HTML lacks {needle:?}"
    );
}

#[test]
fn every_field_of_every_measure_reaches_the_funder_for_the_alcohol_model() {
    let path = Path::new(ROOT).join("models/alcohol-treatment.yaml");
    let c = elmo::compile(&std::fs::read_to_string(&path).expect("model"));
    let model = c.model.as_ref().expect("model");
    let text = cli(&path, "md", &[]);
    let page = cli(&path, "html", &[]);
    let sources: std::collections::HashMap<&str, &elmo::model::Source> = model
        .sources
        .iter()
        .map(|s| (s.id.value.as_str(), s))
        .collect();
    for m in &model.measures {
        let name = &m.id.value;
        let mut fields: Vec<String> = vec![m.label.value.clone()];
        let text_of = |v: &Option<elmo::span::Spanned<String>>| v.as_ref().map(|s| s.value.clone());
        fields.extend(
            [
                &m.unit,
                &m.numerator,
                &m.denominator,
                &m.proxy_for,
                &m.frequency,
                &m.owner,
                &m.contribution,
            ]
            .into_iter()
            .filter_map(text_of),
        );
        fields.extend(m.baseline.as_ref().map(|q| q.value.to_string()));
        fields.extend(m.target.as_ref().map(|q| q.value.to_string()));
        fields.extend(m.baseline_period.as_ref().map(|p| p.value.to_string()));
        fields.extend(
            m.target_by
                .as_ref()
                .map(|p| format!("due by the end of {}", p.value)),
        );
        fields.extend(
            m.cohort
                .as_ref()
                .map(|c| format!("{} people per group", c.value)),
        );
        fields.extend(m.breakdowns.iter().map(|b| b.value.clone()));
        if let Some(d) = &m.direction {
            fields.push(
                match d.value {
                    elmo::model::Direction::Increase => "Higher is better",
                    elmo::model::Direction::Decrease => "Lower is better",
                    elmo::model::Direction::Maintain => "Holding steady is the aim",
                }
                .to_string(),
            );
        }
        if let Some(t) = &m.timing {
            fields.push(format!("{}:", t.value));
        }
        if m.comparison.is_some() {
            fields.push("against a published figure".to_string());
        }
        if let Some(s) = m
            .source
            .as_ref()
            .and_then(|s| sources.get(s.value.as_str()))
        {
            fields.push(s.label.value.clone());
            fields.extend(s.storage.as_ref().map(|x| x.value.clone()));
            fields.extend(s.sharing.as_ref().map(|x| x.value.clone()));
            fields.extend(s.shared_with.iter().map(|x| x.value.clone()));
        }
        for f in &fields {
            assert_in_both(name, f, &text, &page);
        }
    }
    // The completion rate's definition, as the national guidance words it: codes 50 and 51
    // out of 50 to 53, 55 and 57, worked out from the case records.
    for needle in [
        "Form 20 codes 50 (expired normally) and 51 (completed early for good progress)",
        "successful plus unsuccessful terminations (codes 52, 53, 55 and 57)",
        "neutral endings (codes 54, 56, 58, 59 and 61) are left out of both",
        "cases where termination code is 50 or 51, out of cases where termination code is 50, 51, 52, 53, 55 or 57",
    ] {
        assert_in_both("completion-rate", needle, &text, &page);
    }
    // Each measure is defined under a heading of its own, in both formats.
    for m in &model.measures {
        assert!(text.contains(&format!("### {}\n", md::escape(&m.label.value))));
    }
}

#[test]
fn the_team_report_gives_each_finding_its_code_and_its_fix_on_a_line_of_its_own() {
    use elmo::report::document::{Block, plain};
    let (r, c) = report(&mixed());
    let doc = document(&r, Audience::Team, None);
    let team = md::markdown(&doc);
    let funder = md::markdown(&document(&r, Audience::Funder, None));
    // Each finding is a row: its message in one cell, its fix in the next, each a sentence.
    let rows: Vec<(String, String)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) if t.header == ["Finding", "Fix"] => Some(t),
            _ => None,
        })
        .flat_map(|t| &t.rows)
        .map(|row| (plain(&row[0]), plain(&row[1])))
        .collect();
    assert_eq!(rows.len(), c.diagnostics.len());
    let sentence = |s: &str| {
        let s = s.replace('`', "");
        let mut cs = s.chars();
        let first: String = cs
            .next()
            .map(|f| f.to_uppercase().collect())
            .unwrap_or_default();
        let s = format!("{first}{}", cs.as_str());
        if s.ends_with('.') { s } else { format!("{s}.") }
    };
    for d in &c.diagnostics {
        let code = d.code.as_str();
        assert!(
            team.contains(&format!("### {code}: ")),
            "team: no heading for {code}"
        );
        assert!(!funder.contains(code), "funder shows {code}");
        let help = d.help.as_deref().expect("every finding here has a fix");
        assert!(
            rows.contains(&(sentence(&d.message), sentence(help))),
            "no row for {}: {rows:?}",
            d.message
        );
    }
    assert!(team.contains("| Finding | Fix |"));
    assert!(!team.contains("Fix:"), "no fix runs on after its finding");
    let page = html::html(&doc);
    assert!(page.contains("<th>Finding</th><th>Fix</th>"));
    assert!(page.contains("<code>qualifications</code>"));
}

#[test]
fn every_lint_has_a_plain_sentence_for_funders() {
    let codes: Vec<&str> = elmo::Code::ALL.iter().map(|c| c.as_str()).collect();
    for lint in elmo::lint::LINTS {
        let s = lint.funder;
        for filled in [
            funder_sentence(s, Some("People feel less lonely")),
            funder_sentence(s, None),
        ] {
            assert!(filled.ends_with('.'), "{}: {filled}", lint.name);
            assert!(
                filled.starts_with(|c: char| c.is_uppercase()) || filled.starts_with('“'),
                "{}: {filled}",
                lint.name
            );
            assert!(
                !filled.contains('{') && !filled.contains('`'),
                "{}: {filled}",
                lint.name
            );
            for c in &codes {
                assert!(!tokens(&filled).contains(*c), "{}: names {c}", lint.name);
            }
            for key in ["allow", "leads_to", "id:", "yaml", "YAML", "_"] {
                assert!(!filled.contains(key), "{}: {filled}", lint.name);
            }
        }
    }
    assert_eq!(
        funder_sentence(
            elmo::Code::UnmeasuredOutcome.lint().funder,
            Some("People feel less lonely")
        ),
        "Nobody measures “People feel less lonely”, so there will be no evidence that this change happened."
    );
}

/// Every lint a model's own checks can report as a warning, raised by its fixture, reaches the
/// funder as its sentence with the label of what it is about.
#[test]
fn each_warning_of_the_checks_reaches_the_funder_as_a_sentence_about_its_subject() {
    let mut covered = Vec::new();
    for code in elmo::Code::ALL {
        let fixture = Path::new(ROOT)
            .join("tests/fixtures/diagnostics")
            .join(format!("{}.yaml", code.as_str()));
        let Ok(src) = std::fs::read_to_string(&fixture) else {
            continue;
        };
        let c = elmo::compile(&src);
        let Some(r) = Report::build(&c) else {
            // Errors: no report is made, so no funder ever reads them.
            assert!(!code.lint().configurable || c.has_errors());
            continue;
        };
        let Some(g) = r.gaps.iter().find(|g| g.code == *code) else {
            continue;
        };
        let text = md::markdown(&document(&r, Audience::Funder, None));
        for item in &g.items {
            if code.lint().funder.contains("{label}") && *code != elmo::Code::MissingStage {
                assert!(
                    item.about.is_some(),
                    "{code}: {} is about nothing",
                    item.message
                );
            }
            let s = gap_sentence(
                code.lint().funder,
                item.about.as_deref(),
                item.detail.as_deref(),
            );
            assert!(text.contains(&md::escape(&s)), "{code}: {s}\n{text}");
        }
        covered.push(code.as_str());
    }
    // The fixtures of the model's own warnings all make a report.
    for want in [
        "unmeasured-outcome",
        "unmeasured-output",
        "unused-measure",
        "unused-source",
        "incomplete-measure",
        "undocumented-storage",
        "undocumented-sharing",
        "refuted-assumption",
        "unused-assumption",
        "missing-breakdown",
        "target-beyond-ceiling",
        "unstated-personal-data",
    ] {
        assert!(covered.contains(&want), "{want} not covered: {covered:?}");
    }
}

#[test]
fn audience_is_checked_on_the_command_line() {
    let o = elmo(&[
        "report",
        "models/alcohol-treatment.yaml",
        "--audience",
        "board",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("funder"), "{}", stderr(&o));
}

#[test]
fn funder_and_team_markdown_snapshots() {
    let path = Path::new(ROOT).join("models/alcohol-treatment.yaml");
    let (r, _) = report(&std::fs::read_to_string(path).expect("model"));
    insta::assert_snapshot!(
        "funder-alcohol-treatment",
        md::markdown(&document(&r, Audience::Funder, None))
    );
    insta::assert_snapshot!(
        "team-alcohol-treatment",
        md::markdown(&document(&r, Audience::Team, None))
    );
    let (r, _) = report(&mixed());
    insta::assert_snapshot!(
        "funder-mixed",
        md::markdown(&document(&r, Audience::Funder, None))
    );
    insta::assert_snapshot!(
        "team-mixed",
        md::markdown(&document(&r, Audience::Team, None))
    );
}

/// A finding silenced by `allow:` or by a lint level is a decision the reader sees with its
/// reason, never a gap that vanished: the report must not say "none" about what it silenced.
#[test]
fn accepted_findings_are_shown_with_their_reason_not_hidden() {
    let src = "title: Befriending
inputs:
  - id: volunteers
    label: Volunteer befrienders
    leads_to: [visits]
activities:
  - id: visits
    label: Weekly home visits
    leads_to: [visits-made]
outputs:
  - id: visits-made
    label: Visits made
    measures: [visit-count]
    leads_to: [less-lonely]
direct_impacts:
  - id: less-lonely
    label: People feel less lonely
    allow:
      - code: unmeasured-outcome
        reason: the partner's wellbeing survey covers it and is reported separately
    leads_to: [more-connected]
indirect_impacts:
  - id: more-connected
    label: People join community groups
    measures: [stories]
    leads_to: [fewer-crises]
systemic_impacts:
  - id: fewer-crises
    label: Fewer crisis admissions of isolated older people
    measures: [stories]
measures:
  - id: visit-count
    label: Visits per month
    kind: qualitative
  - id: stories
    label: Stories of change from visited people
    kind: qualitative
";
    let (r, c) = report(src);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert_eq!(c.accepted.len(), 1, "{:?}", c.accepted);
    let funder = md::markdown(&document(&r, Audience::Funder, None));
    assert!(
        !funder.contains("every output and impact is measured"),
        "{funder}"
    );
    assert!(
        funder.contains("Nobody measures “People feel less lonely”"),
        "{funder}"
    );
    assert!(
        funder.contains("The team accepts this: The partner's wellbeing survey covers it"),
        "{funder}"
    );
    assert_plain("accepted", &funder, c.model.as_ref().expect("model"));
    let team = md::markdown(&document(&r, Audience::Team, None));
    assert!(team.contains("| `unmeasured-outcome` |"), "{team}");

    // Switched off for the whole model: no reason exists, and the report says so.
    let off = src.replace(
        "    allow:\n      - code: unmeasured-outcome\n        reason: the partner's wellbeing survey covers it and is reported separately\n",
        "",
    ) + "lints:\n  unmeasured-outcome: allow\n";
    assert!(!off.contains("reason:"), "{off}");
    let (r, c) = report(&off);
    assert_eq!(c.accepted.len(), 1, "{:?}", c.accepted);
    let funder = md::markdown(&document(&r, Audience::Funder, None));
    assert!(
        funder.contains("switched this check off for the whole plan"),
        "{funder}"
    );
}

/// A results finding the model allows (the alcohol model's synthetic records end in 2025, and
/// `stale-result` is allowed with a reason) is listed as accepted in every format, and the
/// same for the command line's `-A`, which records no reason.
#[test]
fn accepted_results_findings_are_listed_with_their_reason() {
    let path = Path::new(ROOT).join("models/alcohol-treatment.yaml");
    let stale = "The latest result for “ATR completion rate, a / (a + b) x 100” is out of date. The team accepts this: The synthetic demonstration records end in March 2025.";
    let md_text = cli(&path, "md", &["--as-of", "2026-12-01"]);
    assert!(md_text.contains(&md::escape(stale)), "{md_text}");
    let page = visible_text(&cli(&path, "html", &["--as-of", "2026-12-01"]));
    assert!(page.contains(stale), "{page}");
    let team = cli(
        &path,
        "md",
        &["--as-of", "2026-12-01", "--audience", "team"],
    );
    assert!(team.contains("| `stale-result` |"), "{team}");
    assert_eq!(team.matches("| `stale-result` |").count(), 1, "{team}");
}
