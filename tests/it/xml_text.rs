//! Characters XML cannot hold: Unicode's non-characters (U+FFFE, U+FFFF, U+FDD0 to U+FDEF and
//! the last two code points of every plane) written in a model, escaped or raw, never reach
//! the SVG, the HTML report, the served page's markup, Mermaid or DOT, where they would break
//! XML parsers and PNG export.

use elmo::render::theme::LIGHT;

/// One of each kind: the BMP pair, the Arabic block, and the ends of planes 1, 14 and 16.
const NONCHARACTERS: [char; 7] = [
    '\u{FFFE}',
    '\u{FFFF}',
    '\u{FDD0}',
    '\u{FDEF}',
    '\u{1FFFE}',
    '\u{EFFFF}',
    '\u{10FFFF}',
];

fn model() -> String {
    format!(
        r#"title: "Title \uFFFE \uFFFF"
vision: "Vision \uFDD0"
inputs:
  - id: a
    label: "Escaped \uFDEF \U0001FFFE \U000EFFFF \U0010FFFF"
    description: "Described \uFFFE"
    leads_to: [b]
systemic_impacts:
  - id: b
    label: Raw {raw}
    measures: [m]
measures:
  - id: m
    label: "Measure \uFFFF"
    kind: qualitative
    source: s
    frequency: "yearly \uFDD0"
sources:
  - id: s
    label: S
assumptions:
  - id: h
    text: "Assumed \U0010FFFF"
    applies_to: [b]
"#,
        raw = NONCHARACTERS.iter().collect::<String>()
    )
}

fn assert_clean(what: &str, text: &str) {
    let found: Vec<String> = text
        .chars()
        .filter(|c| NONCHARACTERS.contains(c) || elmo::escape::is_noncharacter(*c))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    assert!(found.is_empty(), "{what} holds {found:?}");
}

#[test]
fn noncharacters_are_replaced_in_every_xml_and_html_output() {
    let compiled = elmo::compile(&model());
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let (m, g) = (
        compiled.model.as_ref().expect("model"),
        compiled.graph.as_ref().expect("graph"),
    );
    let svg = elmo::render::svg(&compiled, &LIGHT).expect("drawn");
    assert_clean("the SVG", &svg);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(text.contains('\u{FFFD}'), "replaced, not dropped");
    let report = elmo::report::Report::build(&compiled).expect("report");
    assert_clean(
        "the HTML report",
        &elmo::report::html::html(&elmo::report::build::document(
            &report,
            elmo::report::document::Audience::Funder,
            Some(&svg),
        )),
    );
    assert_clean(
        "the Markdown report",
        &elmo::report::md::markdown(&elmo::report::build::document(
            &report,
            elmo::report::document::Audience::Funder,
            None,
        )),
    );
    assert_clean(
        "the Mermaid export",
        &elmo::render::mermaid::mermaid(m, g, &compiled.diagnostics),
    );
    assert_clean(
        "the DOT export",
        &elmo::render::dot::dot(m, g, &compiled.diagnostics),
    );
    let mut live = elmo::serve::live::Live::new("model.yaml", elmo::Options::default());
    live.update(Ok(model().into_bytes()));
    let page = elmo::serve::page::html(&live.snapshot(), &LIGHT, "nonce", "model.yaml");
    assert_clean("the served page", &page);
    // The PNG is drawn from the same SVG, which resvg now parses.
    assert!(elmo::render::png::png(&svg, 0.25).is_ok());
}

#[test]
fn exactly_the_66_noncharacters_are_replaced() {
    let all: Vec<u32> = (0..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|c| elmo::escape::is_noncharacter(*c))
        .map(u32::from)
        .collect();
    assert_eq!(all.len(), 66);
    assert!(all.contains(&0xFFFE) && all.contains(&0x10FFFF) && all.contains(&0xFDD0));
    assert!(!elmo::escape::is_noncharacter('\u{FFFD}'));
    assert!(!elmo::escape::is_noncharacter('\u{FDF0}'));
    assert_eq!(elmo::escape::xml("a\u{FFFE}b"), "a\u{FFFD}b");
}
