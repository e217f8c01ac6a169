//! Pass 3, arrangement: how many sub-columns each stage gets, and which one each box sits in.
//!
//! Unfitted (`fit: none`), a chain inside a stage steps right: a node's sub-column is its
//! depth. Fitted, each stage's boxes are taken in order of depth, then file order, and
//! stacked down a column until it reaches a target height, then wrapped into the next
//! sub-column, so a chain stacks downwards where there is room. One target height serves
//! every stage; it is picked from a fixed ladder of heights as the one that lets the drawing,
//! scaled to the frame, show its text largest. A stage's arrangement thus depends only on its
//! own boxes and that one height. Near-ties go to the taller target (fewer sub-columns), and
//! the ladder's steps are coarse, so a small edit seldom changes the target and so seldom
//! moves a stage it does not touch.

use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::graph::Graph;
use crate::layout::ranks::Ranks;
use crate::layout::{Metrics, NodeBox, place};
use crate::model::{Fit, Stage};

/// Where every box goes: its layer (a sub-column, counted across the whole drawing).
#[derive(Debug, Clone, PartialEq)]
pub struct Arrangement {
    /// The layer of each node, by node index.
    pub layer_of: Vec<usize>,
    /// The stage of each layer, left to right.
    pub layer_stage: Vec<Stage>,
}

/// The choices that shape a fitted drawing, kept so the next drawing of an edited model can
/// make the same ones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Choice {
    /// Width of every box.
    pub node_width: f64,
    /// Measures listed in a box.
    pub measures_shown: usize,
    /// Lines a measure may take.
    pub measure_wrap: usize,
    /// Sub-columns of each of the six stages, in order (0 for a stage with no nodes).
    pub columns: [usize; 6],
}

impl Choice {
    fn of(m: &Metrics, a: &Arrangement) -> Self {
        let mut columns = [0; 6];
        for (i, stage) in Stage::ALL.into_iter().enumerate() {
            columns[i] = a.columns(stage);
        }
        Choice {
            node_width: m.node_width,
            measures_shown: m.measures_shown,
            measure_wrap: m.measure_wrap,
            columns,
        }
    }
}

impl Arrangement {
    /// How many sub-columns `stage` has.
    pub fn columns(&self, stage: Stage) -> usize {
        self.layer_stage.iter().filter(|&&s| s == stage).count()
    }
}

/// How much better a shorter target must scale the text than a taller one to be chosen.
const PREFER_FEWER_COLUMNS: f64 = 0.02;
/// How much larger fresh choices must show the text than those of the drawing already on
/// screen to replace them.
const KEEP_ON_SCREEN: f64 = 0.12;

/// How much larger another box width must show the text than the usual one to be chosen. A
/// new width moves every box, so it must win clearly.
const PREFER_USUAL_WIDTH: f64 = 0.08;

/// Below this share of the readable size even with no room lost between boxes, a drawing is
/// not fitted.
const HOPELESS: f64 = 0.5;

/// The most sub-columns a stage is split into; more would not fit any frame.
const MAX_COLUMNS: usize = 12;

/// Box widths tried, as multiples of the usual width; the usual one first, so that another
/// is taken only when it shows the text clearly larger.
const WIDTHS: [f64; 7] = [1.0, 0.85, 0.7, 0.58, 0.48, 1.18, 1.36];

/// Picks the box width and arrangement that show the text largest in `fit`'s frame.
/// `size` sizes the boxes for given metrics and says whether every word fit its line;
/// `chrome` gives the height of everything outside
/// the columns (heading, band headers, legend and key) for metrics and a drawing width.
pub fn choose(
    graph: &Graph,
    ranks: &Ranks,
    base: &Metrics,
    fit: Fit,
    hint: Option<&Choice>,
    size: impl Fn(&Metrics) -> (Vec<NodeBox>, bool),
    chrome: impl Fn(&Metrics, f64) -> f64,
) -> (Metrics, Vec<NodeBox>, Arrangement, Choice) {
    if fit.frame().is_none() {
        let (boxes, _) = size(base);
        let (arrangement, _) = arrange(graph, ranks, &boxes, base, fit, |w| chrome(base, w));
        let choice = Choice::of(base, &arrangement);
        return (*base, boxes, arrangement, choice);
    }
    let readable = fit.readable_label() / base.label_size;
    // A drawing whose boxes alone, laid edge to edge, could not be read in the frame is
    // zoomed and panned, not read whole: its chains step right as when unfitted, which
    // crosses least, and no search is spent on it.
    let (boxes, _) = size(base);
    if let Some((fw, fh)) = fit.frame() {
        let area: f64 = boxes
            .iter()
            .map(|b| (b.w + base.gap) * (b.h + base.gap))
            .sum();
        if (fw * fh / area.max(1.0)).sqrt() < readable * HOPELESS {
            let stages = members(graph, ranks);
            let arrangement = by_depth(&stages, ranks, boxes.len());
            let choice = Choice::of(base, &arrangement);
            return (*base, boxes, arrangement, choice);
        }
    }
    // The heading and key depend only on the drawing's width: each width is laid out once.
    let memo = std::cell::RefCell::new(std::collections::HashMap::new());
    let chrome = |m: &Metrics, w: f64| -> f64 {
        *memo
            .borrow_mut()
            .entry((m.node_width.to_bits(), w.to_bits()))
            .or_insert_with(|| chrome(m, w))
    };
    // Measures inside boxes are dropped step by step only when the text would otherwise be
    // too small to read in the frame; the count badge always stays.
    let detail = |shown: usize, wrap: usize| Metrics {
        measures_shown: shown,
        measure_wrap: wrap,
        ..*base
    };
    let mut best = widest_text(graph, ranks, base, fit, &size, &chrome);
    for (shown, wrap) in [(2, 1), (0, 1)] {
        // A little under the mark still keeps the detail: dropping it moves every box, so
        // it waits until the text is clearly too small.
        if best.0 >= readable * 0.97 {
            break;
        }
        let pick = widest_text(graph, ranks, &detail(shown, wrap), fit, &size, &chrome);
        if pick.0 > best.0 * (1.0 + PREFER_FEWER_COLUMNS) {
            best = pick;
        }
    }
    // The drawing on screen before this edit: its choices stand unless the fresh ones show
    // the text clearly larger, so a live page does not reshuffle as people type.
    if let Some(h) = hint {
        let m = Metrics {
            node_width: h.node_width,
            measures_shown: h.measures_shown,
            measure_wrap: h.measure_wrap,
            ..*base
        };
        let (boxes, _) = size(&m);
        let (arrangement, scale) =
            arrange_as(graph, ranks, &boxes, &m, fit, &h.columns, |w| chrome(&m, w));
        if scale * (1.0 + KEEP_ON_SCREEN) >= best.0 {
            best = (scale, m, boxes, arrangement);
        }
    }
    // A drawing wider than its frame leaves the frame's height empty: the bands grow down
    // into half of it, so the drawing sits closer to the frame's shape. Only the bands' foot
    // grows, so no box moves whether or not there is room to spare.
    if let Some((fw, fh)) = fit.frame() {
        let width = place::width(&best.3, &best.1);
        let (_, height) = extent(graph, &best.3, &best.2, &best.1);
        let height = height + chrome(&best.1, width);
        let spare = fh / best.0 - height;
        if best.0 * width >= fw * 0.999 && spare > 0.0 {
            best.1.band_foot = spare / 2.0;
        }
    }
    let choice = Choice::of(&best.1, &best.3);
    (best.1, best.2, best.3, choice)
}

/// The box width and arrangement that show the text largest, with its scale.
fn widest_text(
    graph: &Graph,
    ranks: &Ranks,
    base: &Metrics,
    fit: Fit,
    size: &impl Fn(&Metrics) -> (Vec<NodeBox>, bool),
    chrome: &impl Fn(&Metrics, f64) -> f64,
) -> (f64, Metrics, Vec<NodeBox>, Arrangement) {
    let (boxes, _) = size(base);
    let (arrangement, scale) = arrange(graph, ranks, &boxes, base, fit, |w| chrome(base, w));
    let mut best = (scale, *base, boxes, arrangement);
    for &factor in &WIDTHS[1..] {
        let m = Metrics {
            node_width: base.node_width * factor,
            ..*base
        };
        let (boxes, words_fit) = size(&m);
        // Narrower boxes must not break words to fit.
        if factor < 1.0 && !words_fit {
            continue;
        }
        let (arrangement, scale) = arrange(graph, ranks, &boxes, &m, fit, |w| chrome(&m, w));
        if scale > best.0 * (1.0 + PREFER_USUAL_WIDTH) {
            best = (scale, m, boxes, arrangement);
        }
    }
    best
}

/// Every stage split into as many sub-columns as `columns` gives it (one for a stage it
/// gives none), with how large the text comes out in `fit`'s frame.
fn arrange_as(
    graph: &Graph,
    ranks: &Ranks,
    boxes: &[NodeBox],
    m: &Metrics,
    fit: Fit,
    columns: &[usize; 6],
    chrome: impl Fn(f64) -> f64,
) -> (Arrangement, f64) {
    let stages = members(graph, ranks);
    let arrangement = split(&stages, boxes, m, |s, heights| {
        columns[s as usize].clamp(1, heights.len().max(1))
    });
    let (w, h) = extent(graph, &arrangement, boxes, m);
    let (fw, fh) = fit.frame().unwrap_or((w, h + chrome(w)));
    let scale = (fw / w).min(fh / (h + chrome(w)));
    (arrangement, scale)
}

/// Each used stage's nodes, in order of depth, then file order.
fn members(graph: &Graph, ranks: &Ranks) -> Vec<(Stage, Vec<usize>)> {
    ranks
        .used
        .iter()
        .map(|&s| {
            let mut members: Vec<usize> = graph
                .graph
                .node_indices()
                .filter(|&ix| graph.graph[ix].stage == s)
                .map(|ix| ix.index())
                .collect();
            members.sort_by_key(|&i| (ranks.depth[i], i));
            (s, members)
        })
        .collect()
}

/// Arranges every stage for `fit`, and says how large the text comes out in its frame (1 for
/// no frame).
fn arrange(
    graph: &Graph,
    ranks: &Ranks,
    boxes: &[NodeBox],
    m: &Metrics,
    fit: Fit,
    chrome: impl Fn(f64) -> f64,
) -> (Arrangement, f64) {
    let stages = members(graph, ranks);
    let Some((fw, fh)) = fit.frame() else {
        return (by_depth(&stages, ranks, boxes.len()), 1.0);
    };
    // The targets worth trying are the heights at which some stage fits in some number of
    // columns: between two of them no stage changes.
    let mut targets: Vec<f64> = Vec::new();
    for (_, members) in &stages {
        let heights: Vec<f64> = members.iter().map(|&i| boxes[i].h).collect();
        for c in 1..=heights.len().min(MAX_COLUMNS) {
            targets.push(balanced(&heights, m.gap, c).1);
        }
    }
    targets.sort_by(f64::total_cmp);
    targets.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    let mut best_scale = 0.0f64;
    let mut chosen = None;
    for target in targets {
        let arrangement = stacked(&stages, boxes, m, target);
        let (w, h) = extent(graph, &arrangement, boxes, m);
        let scale = (fw / w).min(fh / (h + chrome(w)));
        best_scale = best_scale.max(scale);
        // Targets climb from short to tall, so a later (taller) target wins near-ties: the
        // last one within the margin of the best so far is the tallest such target.
        if scale >= best_scale * (1.0 - PREFER_FEWER_COLUMNS) {
            chosen = Some((arrangement, scale));
        }
    }
    chosen.unwrap_or_else(|| (by_depth(&stages, ranks, boxes.len()), 1.0))
}

/// The unfitted arrangement: a node's sub-column is its depth.
fn by_depth(stages: &[(Stage, Vec<usize>)], ranks: &Ranks, n: usize) -> Arrangement {
    let mut layer_of = vec![0; n];
    let mut layer_stage = Vec::new();
    for (s, members) in stages {
        let base = layer_stage.len();
        let deepest = members.iter().map(|&i| ranks.depth[i]).max().unwrap_or(0);
        for &i in members {
            layer_of[i] = base + ranks.depth[i];
        }
        layer_stage.extend(std::iter::repeat_n(*s, deepest + 1));
    }
    Arrangement {
        layer_of,
        layer_stage,
    }
}

/// Every stage stacked to columns no taller than `target`, balanced so the columns of a
/// stage come out about even.
fn stacked(
    stages: &[(Stage, Vec<usize>)],
    boxes: &[NodeBox],
    m: &Metrics,
    target: f64,
) -> Arrangement {
    split(stages, boxes, m, |_, heights| {
        fill(heights, m.gap, target + 1e-6).len()
    })
}

/// Every stage split into as many balanced columns as `columns` asks for, given the stage
/// and its boxes' heights in order.
fn split(
    stages: &[(Stage, Vec<usize>)],
    boxes: &[NodeBox],
    m: &Metrics,
    columns: impl Fn(Stage, &[f64]) -> usize,
) -> Arrangement {
    let mut layer_of = vec![0; boxes.len()];
    let mut layer_stage = Vec::new();
    for (s, members) in stages {
        let heights: Vec<f64> = members.iter().map(|&i| boxes[i].h).collect();
        let (starts, _) = balanced(&heights, m.gap, columns(*s, &heights));
        let base = layer_stage.len();
        for (k, w) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(members.len());
            for &i in &members[*w..end] {
                layer_of[i] = base + k;
            }
        }
        layer_stage.extend(std::iter::repeat_n(*s, starts.len().max(1)));
    }
    Arrangement {
        layer_of,
        layer_stage,
    }
}

/// The most even split of `heights` into at most `columns` columns: where each starts, and
/// the tallest column's height. The lowest limit that needs no more columns is found by
/// halving, since a higher limit never needs more columns.
fn balanced(heights: &[f64], gap: f64, columns: usize) -> (Vec<usize>, f64) {
    let total: f64 = heights.iter().map(|h| h + gap).sum();
    let (mut lo, mut hi) = (heights.iter().copied().fold(0.0, f64::max), total);
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if fill(heights, gap, mid).len() <= columns {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let starts = fill(heights, gap, hi);
    let tallest = column_heights(heights, gap, &starts)
        .into_iter()
        .fold(0.0, f64::max);
    (starts, tallest)
}

/// The height of each column that `starts` cuts `heights` into.
fn column_heights(heights: &[f64], gap: f64, starts: &[usize]) -> Vec<f64> {
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let end = starts.get(k + 1).copied().unwrap_or(heights.len());
            heights[s..end].iter().sum::<f64>() + (end - s).saturating_sub(1) as f64 * gap
        })
        .collect()
}

/// Where each column starts when boxes of `heights` are stacked into columns no taller than
/// `limit` (a box taller than the limit gets a column of its own).
fn fill(heights: &[f64], gap: f64, limit: f64) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut used = 0.0;
    for (k, &h) in heights.iter().enumerate() {
        if starts.is_empty() || used + gap + h > limit + 1e-6 {
            starts.push(k);
            used = h;
        } else {
            used += gap + h;
        }
    }
    starts
}

/// The width of the drawing and the height of its columns under `a`, slots included.
fn extent(graph: &Graph, a: &Arrangement, boxes: &[NodeBox], m: &Metrics) -> (f64, f64) {
    let layers = a.layer_stage.len();
    let mut height = vec![0.0f64; layers];
    let mut count = vec![0usize; layers];
    for (i, b) in boxes.iter().enumerate() {
        height[a.layer_of[i]] += b.h;
        count[a.layer_of[i]] += 1;
    }
    // Links that skip layers take a slot in each: counted with a difference array, so the
    // cost is one step per link, however far it reaches.
    let mut skips = vec![0i64; layers + 1];
    for e in graph.graph.edge_references() {
        if e.weight().backward {
            continue;
        }
        let (ls, lt) = (
            a.layer_of[e.source().index()],
            a.layer_of[e.target().index()],
        );
        if lt > ls + 1 {
            skips[ls + 1] += 1;
            skips[lt] -= 1;
        }
    }
    let mut running = 0i64;
    let mut tallest = 0.0f64;
    for l in 0..layers {
        running += skips[l];
        let items = count[l] + running.max(0) as usize;
        let h =
            height[l] + running.max(0) as f64 * m.slot_h + items.saturating_sub(1) as f64 * m.gap
                - running.max(0) as f64 * m.gap / 2.0;
        tallest = tallest.max(h);
    }
    (place::width(a, m), tallest + place::chrome(m))
}
