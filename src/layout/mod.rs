//! Stage 5: positions for every box, link, marker and key, knowing nothing about SVG.
//!
//! Stages are column bands left to right; a chain inside one stage steps rightwards into
//! sub-columns of its band. Links that skip columns pass through reserved slots between the
//! boxes of the columns they cross. Columns are stacked from the top, boxes have a fixed width
//! per column and a height set by their wrapped text, so editing a label moves nothing else
//! unless its line count changes, and adding a node moves only its own column and the ones
//! its links reach.

mod order;
pub mod text;

use std::collections::HashMap;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::Graph;
use crate::model::{LayoutMode, Model, Stage, Status};

pub use order::inversions;

/// Sizes, in pixels, that shape the drawing.
#[derive(Debug, Clone, Copy)]
pub struct Metrics {
    /// Width of every node box.
    pub node_width: f64,
    /// Font size of node labels.
    pub label_size: f64,
    /// Line height of node labels.
    pub label_line: f64,
    /// Font size of measure lines inside boxes.
    pub measure_size: f64,
    /// Line height of measure lines.
    pub measure_line: f64,
    /// Padding inside a box.
    pub pad: f64,
    /// Vertical gap between boxes.
    pub gap: f64,
    /// Horizontal gap between sub-columns of a band.
    pub sub_gap: f64,
    /// Horizontal gap between bands.
    pub band_gap: f64,
    /// Measures listed by label inside a box before the rest are counted.
    pub measures_shown: usize,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            node_width: 210.0,
            label_size: 15.0,
            label_line: 19.0,
            measure_size: 12.0,
            measure_line: 16.0,
            pad: 11.0,
            gap: 22.0,
            sub_gap: 64.0,
            band_gap: 76.0,
            measures_shown: 3,
        }
    }
}

const MARGIN: f64 = 28.0;
const BAND_PAD: f64 = 16.0;
const HEADER_H: f64 = 40.0;
const TITLE_SIZE: f64 = 26.0;
const VISION_SIZE: f64 = 16.0;
const SLOT_H: f64 = 10.0;
/// Font size of the legend and the assumption key.
pub const KEY_SIZE: f64 = 14.0;
const KEY_LINE: f64 = 19.0;

/// A positioned diagram.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// The model title, wrapped.
    pub title: Vec<String>,
    /// The vision, wrapped.
    pub vision: Vec<String>,
    /// The y of the first title baseline.
    pub title_y: f64,
    /// The y of the first vision baseline.
    pub vision_y: f64,
    /// One band per stage the model uses.
    pub bands: Vec<Band>,
    /// Every node, in stage then file order.
    pub nodes: Vec<NodeBox>,
    /// Every link, in source order.
    pub links: Vec<LinkPath>,
    /// The numbered assumptions.
    pub assumptions: Vec<AssumptionKey>,
    /// Marks used in the drawing, in legend order, with their places.
    pub legend: Vec<LegendItem>,
    /// The top of the legend and key.
    pub key_y: f64,
    /// Where the accountability ceiling is drawn, if the model sets one.
    pub ceiling_x: Option<f64>,
}

/// A stage's column band.
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    /// The stage.
    pub stage: Stage,
    /// Left edge.
    pub x: f64,
    /// Top edge (the header's top).
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height, down to the bottom of the tallest column.
    pub height: f64,
}

/// A node's box.
#[derive(Debug, Clone, Serialize)]
pub struct NodeBox {
    /// The node's id.
    pub id: String,
    /// Its stage.
    pub stage: Stage,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// The label, wrapped to the box.
    pub lines: Vec<String>,
    /// The full label, for tooltips.
    pub label: String,
    /// The longer description, if any.
    pub description: Option<String>,
    /// Measure labels shown in the box, each cut to one line.
    pub measure_lines: Vec<String>,
    /// How many measures the node has.
    pub measure_count: usize,
    /// Full labels of all its measures, for tooltips.
    pub measures: Vec<String>,
    /// Codes of the checks that flagged it.
    pub issues: Vec<Code>,
    /// Assumption markers on the box.
    pub markers: Vec<Marker>,
    /// How a diff marks the node, when drawing a diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
}

/// A link's route: a start, an end, and any slots it passes through in between.
#[derive(Debug, Clone, Serialize)]
pub struct LinkPath {
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// Waypoints: the source port, pairs of slot entry and exit points, the target port.
    pub points: Vec<(f64, f64)>,
    /// Codes of the checks that flagged it.
    pub issues: Vec<Code>,
    /// Assumption markers on the link.
    pub markers: Vec<Marker>,
    /// How a diff marks the link, when drawing a diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
}

/// How a diff marks a node or link in the new model's diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// New in this change.
    Added,
    /// Gone in this change; drawn as a ghost where it was.
    Removed,
    /// Changed (or renamed) in this change.
    Changed,
}

impl Mark {
    /// The word used in classes (`diff-added`) and the legend.
    pub fn word(self) -> &'static str {
        match self {
            Mark::Added => "added",
            Mark::Removed => "removed",
            Mark::Changed => "changed",
        }
    }
}

/// What a diff marks, by node id and by `(from, to)` link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffMarks {
    /// Node marks by id.
    pub nodes: HashMap<String, Mark>,
    /// Link marks by source and target id.
    pub links: HashMap<(String, String), Mark>,
}

/// A numbered assumption marker.
#[derive(Debug, Clone, Serialize)]
pub struct Marker {
    /// The assumption's number in the key.
    pub number: usize,
    /// Its status.
    pub status: Status,
    /// Centre x.
    pub x: f64,
    /// Centre y.
    pub y: f64,
}

/// One entry in the assumption key.
#[derive(Debug, Clone, Serialize)]
pub struct AssumptionKey {
    /// Its number.
    pub number: usize,
    /// Its id.
    pub id: String,
    /// Its status.
    pub status: Status,
    /// Its text, wrapped to the key's width.
    pub lines: Vec<String>,
    /// The y of its first baseline.
    pub y: f64,
}

/// One entry of the legend: a mark, its text, and where the mark's centre goes.
#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    /// The mark.
    pub mark: LegendMark,
    /// What it means.
    pub text: String,
    /// Centre x of the mark; the text starts 18 pixels to its right.
    pub x: f64,
    /// Baseline y of the text.
    pub y: f64,
}

/// A mark the legend explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegendMark {
    /// The measure count badge.
    Measures,
    /// The outline of an unmeasured output or outcome.
    Unmeasured,
    /// The outline of a node not on a full chain.
    Disconnected,
    /// An assumption marker of this status.
    Assumption(Status),
    /// The accountability ceiling line.
    Ceiling,
    /// A link.
    Link,
    /// A diff's mark.
    Diff(Mark),
}

impl LegendMark {
    fn text(self) -> String {
        match self {
            LegendMark::Link => "leads to".into(),
            LegendMark::Measures => "number of measures".into(),
            LegendMark::Unmeasured => "no measure yet (dashed outline)".into(),
            LegendMark::Disconnected => "not on a full chain (dotted outline)".into(),
            LegendMark::Assumption(s) => format!("assumption, {}", status_word(s)),
            LegendMark::Ceiling => "accountability ceiling".into(),
            LegendMark::Diff(Mark::Added) => "added in this change".into(),
            LegendMark::Diff(Mark::Removed) => "removed in this change (faint, dashed)".into(),
            LegendMark::Diff(Mark::Changed) => "changed in this change".into(),
        }
    }
}

/// Positions `model`, marking what `diagnostics` flagged.
pub fn layout(model: &Model, graph: &Graph, diagnostics: &[Diagnostic], m: &Metrics) -> Layout {
    layout_marked(model, graph, diagnostics, m, None)
}

/// Positions `model` like [`layout`], also carrying a diff's marks onto boxes and links and
/// into the legend.
pub fn layout_marked(
    model: &Model,
    graph: &Graph,
    diagnostics: &[Diagnostic],
    m: &Metrics,
    diff_marks: Option<&DiffMarks>,
) -> Layout {
    let issues = issues_by_subject(diagnostics);
    let inner = m.node_width - 2.0 * m.pad;

    // Sub-columns: a node's depth along same-stage links within its stage.
    let mut sub = vec![0usize; graph.graph.node_count()];
    for stage in Stage::ALL {
        let members: Vec<NodeIndex> = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage == stage)
            .collect();
        // Longest path by relaxation, bounded so a loop (an error, but layout must not hang)
        // cannot spin.
        for _ in 0..members.len() {
            let mut changed = false;
            for &u in &members {
                for e in graph.graph.edges(u) {
                    let v = e.target();
                    if graph.graph[v].stage == stage
                        && v != u
                        && sub[v.index()] < sub[u.index()] + 1
                    {
                        sub[v.index()] = sub[u.index()] + 1;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    // Layers: every used stage contributes as many layers as its deepest chain.
    let used: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|s| !model.stage(*s).is_empty())
        .collect();
    let mut layer_base: HashMap<Stage, usize> = HashMap::new();
    let mut layer_stage: Vec<Stage> = Vec::new();
    for &s in &used {
        layer_base.insert(s, layer_stage.len());
        let depth = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage == s)
            .map(|ix| sub[ix.index()])
            .max()
            .unwrap_or(0);
        layer_stage.extend(std::iter::repeat_n(s, depth + 1));
    }
    let layer_of = |ix: NodeIndex| {
        layer_base.get(&graph.graph[ix].stage).copied().unwrap_or(0) + sub[ix.index()]
    };

    // Items: real nodes first (so item i is node i), then one slot per layer a long link skips.
    let n = graph.graph.node_count();
    let mut item_layer: Vec<usize> = (0..n).map(|i| layer_of(NodeIndex::new(i))).collect();
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains: Vec<(NodeIndex, NodeIndex, Vec<usize>)> = Vec::new();
    for e in graph.graph.edge_references() {
        if e.weight().backward || e.source() == e.target() {
            continue;
        }
        let (s, t) = (e.source().index(), e.target().index());
        let (ls, lt) = (item_layer[s], item_layer[t]);
        if lt <= ls {
            continue;
        }
        let mut slots = Vec::new();
        let mut prev = s;
        for l in ls + 1..lt {
            let slot = item_layer.len();
            item_layer.push(l);
            down.push(Vec::new());
            up.push(Vec::new());
            down[prev].push(slot);
            up[slot].push(prev);
            slots.push(slot);
            prev = slot;
        }
        down[prev].push(t);
        up[t].push(prev);
        chains.push((e.source(), e.target(), slots));
    }
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_stage.len()];
    for (i, &l) in item_layer.iter().enumerate() {
        layers[l].push(i);
    }
    // A slot sits in its column where a straight line from the link's source to its target
    // would cross it, measured in file-order places.
    let file_place: Vec<(usize, usize)> = {
        let mut place = vec![(0, 1); n];
        for layer in &layers {
            for (p, &i) in layer.iter().enumerate() {
                if i < n {
                    place[i] = (p, layer.len());
                }
            }
        }
        place
    };
    let mut slot_of: HashMap<usize, f64> = HashMap::new();
    for (s, t, slots) in &chains {
        let (sp, tp) = (file_place[s.index()], file_place[t.index()]);
        let (ls, lt) = (item_layer[s.index()] as f64, item_layer[t.index()] as f64);
        let fs = sp.0 as f64 / sp.1.max(1) as f64;
        let ft = tp.0 as f64 / tp.1.max(1) as f64;
        for &slot in slots {
            let along = (item_layer[slot] as f64 - ls) / (lt - ls);
            let size = layers[item_layer[slot]]
                .iter()
                .filter(|&&i| i < n)
                .count()
                .max(1) as f64;
            slot_of.insert(slot, (fs + (ft - fs) * along) * size - 0.5);
        }
    }
    let adjacency = order::Adjacency { down, up };
    let slot_key = |i: usize| slot_of.get(&i).copied();
    match model.layout.as_ref().map(|l| l.value).unwrap_or_default() {
        LayoutMode::Stable => order::order(&mut layers, &adjacency, item_layer.len(), &slot_key),
        LayoutMode::Compact => {
            order::order_compact(&mut layers, &adjacency, item_layer.len(), &slot_key)
        }
    }

    // Title and vision span the drawing's width, which depends only on the bands.
    let mut band_x = Vec::new();
    let mut x = MARGIN;
    for (i, &s) in used.iter().enumerate() {
        let subs = layer_stage.iter().filter(|&&l| l == s).count();
        let w = subs as f64 * m.node_width
            + (subs.saturating_sub(1)) as f64 * m.sub_gap
            + 2.0 * BAND_PAD;
        band_x.push((s, x, w));
        x += w;
        if i + 1 < used.len() {
            x += m.band_gap;
        }
    }
    let width = (x + MARGIN).max(640.0);
    let text_w = width - 2.0 * MARGIN;
    let title = text::wrap(&model.title.value, TITLE_SIZE, true, text_w);
    let vision = model
        .vision
        .as_ref()
        .map(|v| text::wrap(&v.value, VISION_SIZE, false, text_w))
        .unwrap_or_default();
    let title_y = MARGIN + TITLE_SIZE;
    let vision_y = title_y + (title.len() as f64 - 1.0) * TITLE_SIZE * 1.25 + VISION_SIZE * 1.6;
    let mut top = title_y + (title.len() as f64 - 1.0) * TITLE_SIZE * 1.25 + 18.0;
    if !vision.is_empty() {
        top = vision_y + (vision.len() as f64 - 1.0) * VISION_SIZE * 1.3 + 18.0;
    }
    let band_top = top;
    let column_top = band_top + HEADER_H + 14.0;

    // Boxes: sized by their text.
    let measure_labels: HashMap<&str, &str> = model
        .measures
        .iter()
        .map(|ms| (ms.id.value.as_str(), ms.label.value.as_str()))
        .collect();
    let mut boxes: Vec<NodeBox> = graph
        .graph
        .node_indices()
        .map(|ix| {
            let node = graph.model_node(model, ix);
            let lines = text::wrap(&node.label.value, m.label_size, false, inner);
            let measures: Vec<String> = node
                .measures
                .iter()
                .filter_map(|id| measure_labels.get(id.value.as_str()).map(|l| l.to_string()))
                .collect();
            let shown = if measures.len() > m.measures_shown {
                m.measures_shown - 1
            } else {
                measures.len()
            };
            let mut measure_lines: Vec<String> = measures[..shown]
                .iter()
                .map(|l| text::truncate(l, m.measure_size, false, inner - 12.0))
                .collect();
            if measures.len() > shown {
                measure_lines.push(format!("+ {} more", measures.len() - shown));
            }
            let mut h = m.pad * 2.0 + 6.0 + lines.len() as f64 * m.label_line;
            if !measure_lines.is_empty() {
                h += 8.0 + measure_lines.len() as f64 * m.measure_line;
            }
            NodeBox {
                id: node.id.value.clone(),
                stage: graph.graph[ix].stage,
                x: 0.0,
                y: 0.0,
                w: m.node_width,
                h,
                lines,
                label: node.label.value.clone(),
                description: node.description.as_ref().map(|d| d.value.clone()),
                measure_lines,
                measure_count: measures.len(),
                measures,
                issues: issues
                    .get(node.id.value.as_str())
                    .cloned()
                    .unwrap_or_default(),
                markers: Vec::new(),
                mark: diff_marks.and_then(|d| d.nodes.get(&node.id.value).copied()),
            }
        })
        .collect();

    // Columns stack from the top; a slot is a narrow gap a long link passes through.
    let mut layer_x = Vec::new();
    for (s, bx, _) in &band_x {
        let first = layer_base.get(s).copied().unwrap_or(0);
        let count = layer_stage.iter().filter(|l| *l == s).count();
        for k in 0..count {
            debug_assert_eq!(layer_x.len(), first + k);
            layer_x.push(bx + BAND_PAD + k as f64 * (m.node_width + m.sub_gap));
        }
    }
    let mut slot_y = vec![0.0; item_layer.len()];
    let mut bottom = column_top;
    for (l, layer) in layers.iter().enumerate() {
        let mut y = column_top;
        for &i in layer {
            if i < n {
                boxes[i].x = layer_x[l];
                boxes[i].y = y;
                y += boxes[i].h + m.gap;
            } else {
                slot_y[i] = y + SLOT_H / 2.0;
                y += SLOT_H + m.gap / 2.0;
            }
        }
        bottom = f64::max(bottom, y - m.gap);
    }

    // Ports: a box's links leave and arrive spread along its side, in the order of the
    // other end's height, so they fan out instead of meeting in one point.
    let mut out_ports: HashMap<usize, Vec<(f64, usize)>> = HashMap::new();
    let mut in_ports: HashMap<usize, Vec<(f64, usize)>> = HashMap::new();
    let first_hop_y = |c: &(NodeIndex, NodeIndex, Vec<usize>)| -> (f64, f64) {
        let first =
            c.2.first()
                .map_or(boxes[c.1.index()].y + boxes[c.1.index()].h / 2.0, |&s| {
                    slot_y[s]
                });
        let last =
            c.2.last()
                .map_or(boxes[c.0.index()].y + boxes[c.0.index()].h / 2.0, |&s| {
                    slot_y[s]
                });
        (first, last)
    };
    for (k, c) in chains.iter().enumerate() {
        let (first, last) = first_hop_y(c);
        out_ports.entry(c.0.index()).or_default().push((first, k));
        in_ports.entry(c.1.index()).or_default().push((last, k));
    }
    let port =
        |ports: &HashMap<usize, Vec<(f64, usize)>>, node: usize, k: usize, b: &NodeBox| -> f64 {
            let list = &ports[&node];
            let mut sorted: Vec<&(f64, usize)> = list.iter().collect();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let rank = sorted.iter().position(|p| p.1 == k).unwrap_or(0);
            let span = (b.h - 16.0).max(0.0);
            b.y + 8.0 + span * (rank as f64 + 1.0) / (sorted.len() as f64 + 1.0)
        };
    let mut links: Vec<LinkPath> = chains
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let (s, t) = (&boxes[c.0.index()], &boxes[c.1.index()]);
            let mut points = vec![(s.x + s.w, port(&out_ports, c.0.index(), k, s))];
            for &slot in &c.2 {
                let lx = layer_x[item_layer[slot]];
                points.push((lx, slot_y[slot]));
                points.push((lx + m.node_width, slot_y[slot]));
            }
            points.push((t.x, port(&in_ports, c.1.index(), k, t)));
            let key = format!("{} -> {}", s.id, t.id);
            LinkPath {
                from: s.id.clone(),
                to: t.id.clone(),
                points,
                issues: issues.get(key.as_str()).cloned().unwrap_or_default(),
                markers: Vec::new(),
                mark: diff_marks.and_then(|d| d.links.get(&(s.id.clone(), t.id.clone())).copied()),
            }
        })
        .collect();

    // Assumption markers: along the top edge of a box, or at the middle of a link's longest hop.
    let by_id: HashMap<String, usize> = boxes
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.clone(), i))
        .collect();
    let by_link: HashMap<(String, String), usize> = links
        .iter()
        .enumerate()
        .map(|(i, l)| ((l.from.clone(), l.to.clone()), i))
        .collect();
    let mut key = Vec::new();
    for (i, a) in model.assumptions.iter().enumerate() {
        let number = i + 1;
        let status = a.status.as_ref().map(|s| s.value).unwrap_or_default();
        for target in &a.applies_to {
            if let Some((from, to)) = target.value.split_once("->") {
                if let Some(&li) = by_link.get(&(from.trim().to_string(), to.trim().to_string())) {
                    let l = &mut links[li];
                    let (x, y) = hop_middle(&l.points);
                    let offset = l.markers.len() as f64 * 22.0;
                    l.markers.push(Marker {
                        number,
                        status,
                        x: x + offset,
                        y,
                    });
                }
            } else if let Some(&bi) = by_id.get(target.value.as_str()) {
                let b = &mut boxes[bi];
                let x = b.x + 16.0 + b.markers.len() as f64 * 24.0;
                b.markers.push(Marker {
                    number,
                    status,
                    x,
                    y: b.y,
                });
            }
        }
        key.push((number, a.id.value.clone(), status, a.text.value.clone()));
    }

    let mut marks = vec![LegendMark::Link];
    if boxes.iter().any(|b| b.measure_count > 0) {
        marks.push(LegendMark::Measures);
    }
    if boxes.iter().any(|b| {
        b.issues
            .iter()
            .any(|c| matches!(c, Code::UnmeasuredOutcome | Code::UnmeasuredOutput))
    }) {
        marks.push(LegendMark::Unmeasured);
    }
    if boxes
        .iter()
        .any(|b| b.issues.contains(&Code::DisconnectedNode))
    {
        marks.push(LegendMark::Disconnected);
    }
    for status in [
        Status::Untested,
        Status::Holding,
        Status::Challenged,
        Status::Refuted,
    ] {
        if key.iter().any(|k| k.2 == status) {
            marks.push(LegendMark::Assumption(status));
        }
    }
    // The ceiling runs down the gap after the last band the programme answers for alone.
    let ceiling_x = model.accountability_ceiling.as_ref().and_then(|c| {
        let last = band_x.iter().rposition(|(s, _, _)| *s <= c.value)?;
        let (_, x, w) = band_x.get(last)?;
        band_x.get(last + 1).map(|_| x + w + m.band_gap / 2.0)
    });
    if ceiling_x.is_some() {
        marks.push(LegendMark::Ceiling);
    }
    for mark in [Mark::Added, Mark::Removed, Mark::Changed] {
        let used = boxes.iter().any(|b| b.mark == Some(mark))
            || links.iter().any(|l| l.mark == Some(mark));
        if used {
            marks.push(LegendMark::Diff(mark));
        }
    }
    let band_bottom = bottom + 18.0;
    let bands: Vec<Band> = band_x
        .iter()
        .map(|&(stage, x, width)| Band {
            stage,
            x,
            y: band_top,
            width,
            height: band_bottom - band_top,
        })
        .collect();
    let key_y = band_bottom + 36.0;
    // Legend entries flow left to right and wrap at the drawing's width.
    let mut legend = Vec::new();
    let (mut lx, mut ly) = (MARGIN, key_y + 30.0);
    for mark in marks {
        let text = mark.text();
        let w = 30.0 + text::width(&text, KEY_SIZE, false) + 26.0;
        if lx > MARGIN && lx + w > width - MARGIN {
            lx = MARGIN;
            ly += KEY_LINE * 1.6;
        }
        legend.push(LegendItem {
            mark,
            text,
            x: lx + 12.0,
            y: ly,
        });
        lx += w;
    }
    let mut y = ly + KEY_LINE;
    if !key.is_empty() {
        y += KEY_LINE * 2.2;
    }
    let assumptions: Vec<AssumptionKey> = key
        .into_iter()
        .map(|(number, id, status, t)| {
            let lines = text::wrap(
                &format!("{t} ({})", status_word(status)),
                KEY_SIZE,
                false,
                text_w - 40.0,
            );
            let entry = AssumptionKey {
                number,
                id,
                status,
                lines,
                y,
            };
            y += entry.lines.len() as f64 * KEY_LINE + 8.0;
            entry
        })
        .collect();
    Layout {
        width,
        height: y + MARGIN,
        title,
        vision,
        title_y,
        vision_y,
        bands,
        nodes: boxes,
        links,
        assumptions,
        legend,
        key_y,
        ceiling_x,
    }
}

/// The word for an assumption status.
pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Untested => "untested",
        Status::Holding => "holding",
        Status::Challenged => "challenged",
        Status::Refuted => "refuted",
    }
}

/// The middle of the longest horizontal hop of a route, where a marker is least crowded.
fn hop_middle(points: &[(f64, f64)]) -> (f64, f64) {
    let mut best = (0.0, (0.0, 0.0));
    for w in points.windows(2) {
        let len = (w[1].0 - w[0].0).abs();
        if len > best.0 {
            best = (len, ((w[0].0 + w[1].0) / 2.0, (w[0].1 + w[1].1) / 2.0));
        }
    }
    best.1
}

/// Codes by the node id or `"from -> to"` link they are about.
fn issues_by_subject(diagnostics: &[Diagnostic]) -> HashMap<&str, Vec<Code>> {
    let mut out: HashMap<&str, Vec<Code>> = HashMap::new();
    for d in diagnostics {
        if let Some(s) = &d.subject {
            let codes = out.entry(s.as_str()).or_default();
            if !codes.contains(&d.code) {
                codes.push(d.code);
            }
        }
    }
    out
}
