//! Pass 2, sizing: each box's wrapped label, its measure lines and its height. A box's size
//! depends only on its own text, so a label edit that keeps its line count changes nothing
//! else.

use std::collections::HashMap;

use crate::diagnostic::Code;
use crate::graph::Graph;
use crate::layout::geometry::Rect;
use crate::layout::{
    DiffMarks, Flag, FlagKind, MeasureText, Metrics, NodeBox, RESULT_SEPARATOR, ResultMarks, text,
};
use crate::model::Model;

/// Boxes for every node, sized but not yet placed (at 0, 0).
pub fn boxes(
    model: &Model,
    graph: &Graph,
    m: &Metrics,
    issues: &HashMap<&str, Vec<Code>>,
    diff_marks: Option<&DiffMarks>,
    results: Option<&ResultMarks>,
) -> Vec<NodeBox> {
    let inner = m.node_width - 2.0 * m.pad;
    let measure_labels: HashMap<&str, &str> = model
        .measures
        .iter()
        .map(|ms| (ms.id.value.as_str(), ms.label.value.as_str()))
        .collect();
    let result_of = |id: &str| results.and_then(|r| r.get(id));
    graph
        .graph
        .node_indices()
        .map(|ix| {
            let node = graph.model_node(model, ix);
            let lines = text::wrap(&node.label.value, m.label_size, false, inner);
            let measure_ids: Vec<&str> = node
                .measures
                .iter()
                .map(|id| id.value.as_str())
                .filter(|id| measure_labels.contains_key(id))
                .collect();
            let measures: Vec<String> = measure_ids
                .iter()
                .filter_map(|id| measure_labels.get(id).map(|l| l.to_string()))
                .collect();
            // With no room for measure lines the count badge alone carries them; otherwise the
            // last line counts the ones that do not fit.
            let shown = if m.measures_shown == 0 {
                0
            } else if measures.len() > m.measures_shown {
                m.measures_shown - 1
            } else {
                measures.len()
            };
            let measure_w = inner - bullet_indent(m);
            let mut measure_text: Vec<MeasureText> = measures[..shown]
                .iter()
                .zip(&measure_ids)
                .map(|(l, id)| {
                    let result = result_of(id).cloned();
                    let (lines, cut, result_line) = match &result {
                        Some(r) => text::wrap_with_suffix(
                            l,
                            &format!("{RESULT_SEPARATOR}{}", r.text()),
                            r.value.is_none(),
                            m.measure_size,
                            measure_w,
                            m.measure_wrap,
                        ),
                        None => {
                            let (lines, cut) = text::wrap_at_most(
                                l,
                                m.measure_size,
                                false,
                                measure_w,
                                m.measure_wrap,
                            );
                            (lines, cut, false)
                        }
                    };
                    MeasureText {
                        lines,
                        full: cut.then(|| l.clone()),
                        x: 0.0,
                        y: 0.0,
                        bullet: Some(Rect::default()),
                        result,
                        result_line,
                    }
                })
                .collect();
            if measures.len() > shown && m.measures_shown > 0 {
                measure_text.push(MeasureText {
                    lines: vec![format!("+ {} more", measures.len() - shown)],
                    full: None,
                    x: 0.0,
                    y: 0.0,
                    bullet: None,
                    result: None,
                    result_line: false,
                });
            }
            // The box's tooltip lists every measure, those the box has no room for included,
            // each with its result in words.
            let measures: Vec<String> = measures
                .into_iter()
                .zip(&measure_ids)
                .map(|(l, id)| match result_of(id) {
                    Some(r) => format!("{l}{RESULT_SEPARATOR}{}", r.tip),
                    None => l,
                })
                .collect();
            let measure_lines: usize = measure_text.iter().map(MeasureText::line_count).sum();
            let mut h = m.pad * 2.0 + label_top(m) + lines.len() as f64 * m.label_line;
            if measure_lines > 0 {
                h += rule_space(m) + measure_lines as f64 * m.measure_line;
            }
            let id = node.id.value.clone();
            NodeBox {
                stage: graph.graph[ix].stage,
                x: 0.0,
                y: 0.0,
                w: m.node_width,
                h,
                lines,
                text_x: 0.0,
                label_y: 0.0,
                rule_y: None,
                measure_text,
                label: node.label.value.clone(),
                description: node.description.as_ref().map(|d| d.value.clone()),
                measure_count: measures.len(),
                measures,
                issues: issues.get(id.as_str()).cloned().unwrap_or_default(),
                flags: Vec::new(),
                markers: Vec::new(),
                mark: diff_marks.and_then(|d| d.nodes.get(&id).copied()),
                id,
            }
        })
        .collect()
}

/// Whether every label's words fit a line of the box whole, without breaking inside a word.
pub fn words_fit(boxes: &[NodeBox], m: &Metrics) -> bool {
    let inner = m.node_width - 2.0 * m.pad;
    boxes.iter().all(|b| {
        b.label
            .split_whitespace()
            .all(|w| text::width(w, m.label_size, false) <= inner)
    })
}

/// Space above the first label line, beyond the padding.
fn label_top(m: &Metrics) -> f64 {
    m.label_size * 0.4
}

/// Space the rule between label and measures takes.
fn rule_space(m: &Metrics) -> f64 {
    m.label_size * 0.53
}

/// How far measure text is indented past its bullet.
fn bullet_indent(m: &Metrics) -> f64 {
    m.measure_size
}

/// Whether a node's checks mark it unmeasured.
pub fn unmeasured(b: &NodeBox) -> bool {
    b.issues
        .iter()
        .any(|c| matches!(c, Code::UnmeasuredOutcome | Code::UnmeasuredOutput))
}

/// Fills in the text positions and corner flags of placed boxes.
pub fn finish(boxes: &mut [NodeBox], m: &Metrics) {
    for b in boxes {
        b.text_x = b.x + m.pad;
        b.label_y = b.y + m.pad + label_top(m) * 0.67 + m.label_size * 0.95;
        if !b.measure_text.is_empty() {
            let rule_y = b.y
                + m.pad
                + label_top(m)
                + b.lines.len() as f64 * m.label_line
                + rule_space(m) * 0.25;
            b.rule_y = Some(rule_y);
            let mut y = rule_y + rule_space(m) * 0.75 + m.measure_size * 0.95;
            let x = b.x + m.pad + bullet_indent(m);
            let side = m.measure_size * 0.4;
            for t in &mut b.measure_text {
                t.x = x;
                t.y = y;
                if t.bullet.is_some() {
                    let cy = y - m.measure_size * 0.35;
                    t.bullet = Some(Rect::new(b.x + m.pad + 1.0, cy - side / 2.0, side, side));
                }
                y += t.line_count() as f64 * m.measure_line;
            }
        }
        // Flags sit on the top edge from the right: the measure count, then the warnings.
        let mut right = b.x + b.w - m.mark_r;
        let r = m.mark_r;
        b.flags.clear();
        if b.measure_count > 0 {
            let label = b.measure_count.to_string();
            let w = m.badge_h * 0.8 + text::width(&label, m.badge_size, true);
            b.flags.push(Flag {
                kind: FlagKind::Measures,
                rect: Rect::new(right - w, b.y - m.badge_h / 2.0, w, m.badge_h),
            });
            right -= w + r * 0.5;
        }
        if unmeasured(b) {
            b.flags.push(Flag {
                kind: FlagKind::Unmeasured,
                rect: Rect::new(right - 2.0 * r, b.y - r, 2.0 * r, 2.0 * r),
            });
            right -= 2.0 * r + r * 0.5;
        }
        if b.issues.contains(&Code::DisconnectedNode) {
            b.flags.push(Flag {
                kind: FlagKind::Disconnected,
                rect: Rect::new(right - 2.0 * r, b.y - r, 2.0 * r, 2.0 * r),
            });
        }
    }
}
