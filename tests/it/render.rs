//! The diagram, checked structurally: every node and link present with its hooks, no
//! overlapping boxes, stages in column order, stable under small edits, safe text.

use std::collections::HashMap;

use elmo::render::theme::{CONTRAST, DARK, LIGHT};

struct Drawn {
    nodes: HashMap<String, (String, f64, f64, f64, f64)>,
    links: Vec<(String, String)>,
    svg: String,
}

fn models() -> Vec<(String, String)> {
    let mut out = crate::common::models();
    for n in [30, 100, 300] {
        out.push((
            format!("generated-{n}"),
            elmo::generate::layered_model(n, 3),
        ));
    }
    out
}

fn draw(src: &str) -> Drawn {
    let compiled = elmo::compile(src);
    let svg = elmo::render::svg(&compiled, &LIGHT).expect("drawable");
    let doc = roxmltree::Document::parse(&svg).expect("SVG is well-formed XML");
    let mut nodes = HashMap::new();
    let mut links = Vec::new();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let class = g.attribute("class").unwrap_or_default();
        if class.starts_with("node ") {
            let rect = g
                .children()
                .find(|c| c.has_tag_name("rect"))
                .expect("node has a box");
            let num = |a: &str| {
                rect.attribute(a)
                    .and_then(|v| v.parse::<f64>().ok())
                    .expect("numeric")
            };
            let id = g.attribute("data-id").expect("data-id").to_string();
            let prev = nodes.insert(
                id.clone(),
                (
                    class.to_string(),
                    num("x"),
                    num("y"),
                    num("width"),
                    num("height"),
                ),
            );
            assert!(prev.is_none(), "node {id} drawn twice");
        } else if class == "link" && g.attribute("data-from").is_some() {
            links.push((
                g.attribute("data-from").unwrap_or_default().to_string(),
                g.attribute("data-to").unwrap_or_default().to_string(),
            ));
        }
    }
    Drawn { nodes, links, svg }
}

#[test]
fn every_node_and_link_is_drawn_with_its_hooks() {
    for (name, src) in models() {
        let compiled = elmo::compile(&src);
        let model = compiled.model.as_ref().expect("model");
        let d = draw(&src);
        for (stage, node) in model.nodes() {
            let (class, ..) = d
                .nodes
                .get(&node.id.value)
                .unwrap_or_else(|| panic!("{name}: {} missing", node.id.value));
            assert_eq!(class, &format!("node {}", stage.key()), "{name}");
        }
        assert_eq!(d.nodes.len(), model.nodes().count(), "{name}");
        let mut want: Vec<(String, String)> = model
            .nodes()
            .flat_map(|(_, n)| {
                n.leads_to
                    .iter()
                    .map(move |t| (n.id.value.clone(), t.to.value.clone()))
            })
            .collect();
        want.sort();
        let mut have = d.links.clone();
        have.sort();
        assert_eq!(have, want, "{name}: links");
        let doc = roxmltree::Document::parse(&d.svg).expect("xml");
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root
            .children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text());
        assert_eq!(title, Some(model.title.value.as_str()), "{name}");
        assert!(root.children().any(|c| c.has_tag_name("desc")));
        assert!(
            !d.svg.contains("href=\"http") && !d.svg.contains("@import"),
            "{name}: external reference"
        );
    }
}

#[test]
fn no_two_boxes_overlap_and_stages_run_left_to_right() {
    for (name, src) in models() {
        assert_well_placed(&name, &draw(&src));
    }
}

fn assert_well_placed(name: &str, d: &Drawn) {
    let boxes: Vec<_> = d.nodes.iter().collect();
    for (i, (a, (_, ax, ay, aw, ah))) in boxes.iter().enumerate() {
        for (b, (_, bx, by, bw, bh)) in &boxes[i + 1..] {
            let apart = ax + aw <= *bx || bx + bw <= *ax || ay + ah <= *by || by + bh <= *ay;
            assert!(apart, "{name}: {a} overlaps {b}");
        }
    }
    let mut extent: Vec<(usize, f64, f64)> = Vec::new();
    for (i, stage) in elmo::Stage::ALL.into_iter().enumerate() {
        let xs: Vec<(f64, f64)> = d
            .nodes
            .values()
            .filter(|(c, ..)| c == &format!("node {}", stage.key()))
            .map(|(_, x, _, w, _)| (*x, x + w))
            .collect();
        if !xs.is_empty() {
            let min = xs.iter().map(|p| p.0).fold(f64::MAX, f64::min);
            let max = xs.iter().map(|p| p.1).fold(f64::MIN, f64::max);
            extent.push((i, min, max));
        }
    }
    for w in extent.windows(2) {
        assert!(
            w[0].2 < w[1].1,
            "{name}: stage {} is not left of stage {}",
            w[0].0,
            w[1].0
        );
    }
}

/// Crossings among links whose ends sit in adjacent stage columns, judged by box heights:
/// the count the layout benchmark compares with Graphviz.
fn crossings(d: &Drawn) -> usize {
    let stage_of = |id: &str| {
        let class = &d.nodes[id].0;
        elmo::Stage::ALL
            .into_iter()
            .position(|s| class == &format!("node {}", s.key()))
    };
    let centre = |id: &str| d.nodes[id].2 + d.nodes[id].4 / 2.0;
    let edges: Vec<(usize, f64, f64)> = d
        .links
        .iter()
        .filter_map(|(f, t)| {
            let (sf, st) = (stage_of(f)?, stage_of(t)?);
            (st == sf + 1).then(|| (sf, centre(f), centre(t)))
        })
        .collect();
    let mut total = 0;
    for (i, a) in edges.iter().enumerate() {
        for b in &edges[i + 1..] {
            if a.0 == b.0 && (a.1 - b.1) * (a.2 - b.2) < 0.0 {
                total += 1;
            }
        }
    }
    total
}

#[test]
fn the_compact_layout_is_well_placed_deterministic_and_crosses_less() {
    for (name, src) in models() {
        let compact = format!("layout: compact\n{src}");
        let d = draw(&compact);
        assert_well_placed(&name, &d);
        assert_eq!(d.svg, draw(&compact).svg, "{name}: two renders differ");
        let stable = draw(&src);
        assert_eq!(d.nodes.len(), stable.nodes.len(), "{name}: nodes lost");
        assert_eq!(d.links.len(), stable.links.len(), "{name}: links lost");
        let (c, s) = (crossings(&d), crossings(&stable));
        assert!(c <= s, "{name}: compact crosses {c} times, stable {s}");
        if name.starts_with("generated") {
            // Random links make file order poor, so searching every column must pay off.
            assert!(
                c * 10 < s * 8,
                "{name}: compact {c} is not 20% under stable {s}"
            );
        }
    }
}

#[test]
fn an_unknown_layout_is_an_invalid_value_with_a_suggestion() {
    let src = format!("layout: compat\n{}", elmo::generate::layered_model(12, 1));
    let c = elmo::compile(&src);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "invalid-value")
        .expect("invalid-value reported");
    assert_eq!(&src[d.span.start..d.span.end], "compat");
    assert!(d.help.as_deref().unwrap_or("").contains("compact"), "{d:?}");
}

#[test]
fn rendering_is_deterministic_and_every_theme_renders_with_resvg() {
    for (name, src) in models().into_iter().take(4) {
        let compiled = elmo::compile(&src);
        for theme in [LIGHT, DARK, CONTRAST] {
            let a = elmo::render::svg(&compiled, &theme).expect("svg");
            let b = elmo::render::svg(&elmo::compile(&src), &theme).expect("svg");
            assert_eq!(a, b, "{name}: two renders differ");
            let tree = resvg::usvg::Tree::from_str(&a, &resvg::usvg::Options::default())
                .expect("resvg parses");
            let size = tree.size().to_int_size();
            let mut pixmap =
                resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("pixmap");
            resvg::render(
                &tree,
                resvg::tiny_skia::Transform::default(),
                &mut pixmap.as_mut(),
            );
            assert!(
                pixmap.data().chunks(4).any(|p| p[3] > 0),
                "{name}: blank render"
            );
        }
    }
}

#[test]
fn models_with_errors_are_not_drawn() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/diagnostics/cycle.yaml"
    ))
    .expect("fixture");
    assert!(elmo::render::svg(&elmo::compile(&src), &LIGHT).is_none());
}

#[test]
fn checks_are_drawn_on_the_nodes_they_flag() {
    let read = |f: &str| {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/diagnostics/{f}.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
    };
    let svg = draw(&read("unmeasured-outcome")).svg;
    assert!(
        svg.contains(r#"data-id="confidence" data-issues="unmeasured-outcome""#),
        "{svg}"
    );
    assert!(svg.contains("no measure yet"), "legend explains the mark");
    let svg = draw(&read("disconnected-node")).svg;
    assert!(svg.contains(r#"data-id="newsletter" data-issues="disconnected-node""#));
    assert!(svg.contains("not on a full chain"));
    let clean = draw(&read("clean")).svg;
    assert!(!clean.contains("data-issues"));
    assert!(
        clean.contains(r#"data-assumption="1" data-status="holding""#),
        "assumption marker on its link"
    );
}

fn positions(src: &str) -> HashMap<String, (f64, f64)> {
    draw(src)
        .nodes
        .into_iter()
        .map(|(k, (_, x, y, ..))| (k, (x, y)))
        .collect()
}

#[test]
fn editing_a_label_moves_no_other_node() {
    for (name, src) in models() {
        let model = elmo::compile(&src).model.expect("model");
        let (_, node) = model
            .nodes()
            .nth(model.nodes().count() / 2)
            .expect("a node");
        // Swap two letters: same length, same line count.
        let label = &node.label.value;
        let mut chars: Vec<char> = label.chars().collect();
        chars.swap(0, 1);
        let edited: String = chars.into_iter().collect();
        let changed = src.replacen(&format!("label: {label}"), &format!("label: {edited}"), 1);
        assert_ne!(changed, src, "{name}: edit applied");
        assert_eq!(
            positions(&src),
            positions(&changed),
            "{name}: a label edit moved nodes"
        );
    }
}

#[test]
fn adding_a_node_moves_only_its_own_and_linked_columns() {
    for (name, src) in models().into_iter().take(4) {
        let model = elmo::compile(&src).model.expect("model");
        let from = &model.activities.last().expect("activity").id.value;
        let to = &model
            .direct_impacts
            .first()
            .expect("direct impact")
            .id
            .value;
        let measure = &model.measures[0].id.value;
        let added = format!(
            "  - id: added-output\n    label: A new output\n    measures: [{measure}]\n    leads_to: [{to}]\n"
        );
        let mut changed = src.replacen("outputs:\n", &format!("outputs:\n{added}"), 1);
        let at = changed.find(&format!("- id: {from}\n")).expect("activity");
        // The activity's links are a flow list of ids, or a block list whose entries may
        // be mappings giving reasons.
        let key = at + changed[at..].find("leads_to:").expect("activity links") + "leads_to:".len();
        if changed[key..].starts_with(" [") {
            changed.insert_str(key + 2, "added-output, ");
        } else {
            changed.insert_str(key, "\n      - added-output");
        }
        let c = elmo::compile(&changed);
        assert!(!c.has_errors(), "{name}: {:?}", c.diagnostics);
        let (before, after) = (positions(&src), positions(&changed));
        for (stage, node) in model.nodes() {
            if matches!(
                stage,
                elmo::Stage::Activities | elmo::Stage::Outputs | elmo::Stage::DirectImpacts
            ) {
                continue;
            }
            assert_eq!(
                before[&node.id.value], after[&node.id.value],
                "{name}: {} moved",
                node.id.value
            );
        }
    }
}

#[test]
fn hostile_text_stays_text() {
    let src = r#"title: "<script>alert(1)</script> & ]]> </text>"
vision: "javascript:alert('x') onload=\"evil()\""
inputs:
  - id: a
    label: "<img src=x onerror=alert(1)>"
    leads_to: [b]
systemic_impacts:
  - id: b
    label: "</tspan></text><script>bad()</script>"
    measures: [m]
measures:
  - id: m
    label: "\"quoted\" 'single' <b>bold</b>"
    kind: qualitative
    source: s
    frequency: yearly
sources:
  - id: s
    label: S
"#;
    let d = draw(src);
    assert!(!d.svg.contains("<script") && !d.svg.contains("<img") && !d.svg.contains("<b>"));
    let doc = roxmltree::Document::parse(&d.svg).expect("still well-formed");
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        text.contains("<script>alert(1)</script>"),
        "shown literally"
    );
    assert!(text.contains("</tspan></text><script>bad()</script>"));
}

#[test]
fn golden_svgs_and_layouts_of_bundled_models() {
    for (name, src) in models().into_iter().take(4) {
        let compiled = elmo::compile(&src);
        let svg = elmo::render::svg(&compiled, &LIGHT).expect("svg");
        insta::assert_snapshot!(format!("svg-{name}"), svg);
        let layout = elmo::layout::layout(
            compiled.model.as_ref().expect("model"),
            compiled.graph.as_ref().expect("graph"),
            &compiled.diagnostics,
            elmo::model::Fit::default(),
        );
        insta::assert_json_snapshot!(format!("layout-{name}"), layout);
    }
}

/// Scale: a 10 000-node model is drawn whole, every box present and none overlapping.
/// (Its time and memory are in `cargo bench --bench scale`.)
#[test]
fn a_ten_thousand_node_model_is_drawn_whole() {
    let src = elmo::generate::layered_model(10_000, 7);
    let compiled = elmo::compile(&src);
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics.first());
    let d = draw(&src);
    assert_eq!(d.nodes.len(), 10_000);
    let mut boxes: Vec<_> = d.nodes.iter().collect();
    boxes.sort_by(|a, b| a.1.1.total_cmp(&b.1.1));
    // Sweep by x: only boxes whose x ranges meet can overlap.
    for (i, (a, (_, ax, ay, aw, ah))) in boxes.iter().enumerate() {
        for (b, (_, bx, by, bw, bh)) in boxes[i + 1..].iter().take_while(|b| b.1.1 < ax + aw) {
            let apart = ax + aw <= *bx || bx + bw <= *ax || ay + ah <= *by || by + bh <= *ay;
            assert!(apart, "{a} overlaps {b}");
        }
    }
}
