//! Stage 5: positions for every box, link, marker and key, knowing nothing about SVG.
//!
//! Stages are column bands left to right. The layout runs as named passes, each in its own
//! module with its own data:
//!
//! 1. [`ranks`]: each node's depth along the chains inside its stage.
//! 2. [`size`]: each box's wrapped text and height, which depend only on its own text.
//! 3. [`arrange`]: how many sub-columns each stage gets and which one each box sits in,
//!    chosen so the whole drawing comes close to the frame's shape (see [`crate::model::Fit`]).
//! 4. [`order`]: the order of boxes within each column, and the slots long links pass through.
//! 5. [`place`]: x and y of every column, box and slot.
//! 6. [`route`]: each link's path.
//! 7. [`markers`]: where each assumption marker sits, clear of other links and marks.
//! 8. [`key`]: the heading, the legend and the assumption key.
//!
//! Columns are stacked from the top and boxes have a fixed width, so editing a label moves
//! nothing else unless its line count changes, and adding a node moves only its own stage and
//! the ones its links reach (unless the arrangement of another stage flips, which the
//! arrangement pass makes rare).

mod arrange;
pub mod geometry;
mod key;
mod markers;
mod metrics;
mod order;
mod place;
mod ranks;
mod route;
mod size;
pub mod text;

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::Graph;
use crate::model::{Fit, Model, Stage, Status};
use crate::results::{Results, Status as ResultStatus};

pub use arrange::{Arrangement, Choice};
pub use geometry::Rect;
pub use metrics::Metrics;

/// A positioned diagram.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    /// The frame it was arranged for.
    pub fit: Fit,
    /// The sizes it was drawn with.
    pub metrics: Metrics,
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// The model title, wrapped.
    pub title: Vec<String>,
    /// The vision, wrapped.
    pub vision: Vec<String>,
    /// The x where the title, vision and key start.
    pub left: f64,
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
    /// The baseline of the assumption key's heading.
    pub assumptions_y: f64,
    /// Marks used in the drawing, in legend order, with their places.
    pub legend: Vec<LegendItem>,
    /// The baseline of the legend's heading.
    pub key_y: f64,
    /// The accountability ceiling, if the model sets one.
    pub ceiling: Option<Ceiling>,
    /// The choices that shaped it, for drawing the next version alike.
    pub choice: Choice,
    /// Every measure in full, below the key, when asked for with [`list_measures`]: for a
    /// picture (PNG) that has no tooltips to hold text the boxes cut.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measure_list: Vec<ListEntry>,
    /// The baseline of the measure list's heading.
    pub measure_list_y: f64,
}

/// One line of a list below the key.
#[derive(Debug, Clone, Serialize)]
pub struct ListEntry {
    /// Its text, wrapped to its column.
    pub lines: Vec<String>,
    /// Where its text starts.
    pub x: f64,
    /// Its first baseline.
    pub y: f64,
}

/// Adds every measure of `model`, in full with the box it shows, below the key, and grows
/// the drawing to hold them.
pub fn list_measures(
    layout: &mut Layout,
    model: &Model,
    graph: &Graph,
    results: Option<&ResultMarks>,
) {
    let m = layout.metrics;
    let mut texts = Vec::new();
    // With results, each entry ends with its value, status shape and status word.
    let labels: HashMap<&str, String> = model
        .measures
        .iter()
        .map(|ms| {
            let id = ms.id.value.as_str();
            let label = match results.and_then(|r| r.get(id)) {
                Some(r) => format!("{} · {} {}", ms.label.value, r.text(), r.status.word()),
                None => ms.label.value.clone(),
            };
            (id, label)
        })
        .collect();
    let mut listed = std::collections::HashSet::new();
    for ix in graph.graph.node_indices() {
        let node = graph.model_node(model, ix);
        for id in &node.measures {
            if let Some(label) = labels.get(id.value.as_str()) {
                listed.insert(id.value.as_str());
                texts.push(format!("{}: {label}", node.label.value));
            }
        }
    }
    for ms in &model.measures {
        if !listed.contains(ms.id.value.as_str()) {
            let label = labels.get(ms.id.value.as_str()).map_or("", String::as_str);
            texts.push(format!("(no box yet): {label}"));
        }
    }
    if texts.is_empty() {
        return;
    }
    let top = layout.height - m.margin + m.key_line * 1.2;
    let (entries, heading_y, bottom) = key::list(&texts, &m, layout.width, top);
    layout.measure_list = entries;
    layout.measure_list_y = heading_y;
    layout.height = bottom + m.margin;
}

/// The accountability ceiling line and its label.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Ceiling {
    /// The line's x.
    pub x: f64,
    /// Its top.
    pub top: f64,
    /// Its bottom.
    pub bottom: f64,
    /// The label's start.
    pub label_x: f64,
    /// The label's baseline.
    pub label_y: f64,
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
    /// The title's start.
    pub title_x: f64,
    /// The title's baseline.
    pub title_y: f64,
    /// How many sub-columns the stage is arranged in.
    pub columns: usize,
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
    /// The x where label and measure text start.
    pub text_x: f64,
    /// The label's first baseline.
    pub label_y: f64,
    /// The rule between label and measures, when there are measures.
    pub rule_y: Option<f64>,
    /// The measures shown inside the box.
    pub measure_text: Vec<MeasureText>,
    /// The full label, for tooltips.
    pub label: String,
    /// The longer description, if any.
    pub description: Option<String>,
    /// How many measures the node has.
    pub measure_count: usize,
    /// Full labels of all its measures, for tooltips.
    pub measures: Vec<String>,
    /// Codes of the checks that flagged it.
    pub issues: Vec<Code>,
    /// Flags on the box's top-right corner.
    pub flags: Vec<Flag>,
    /// Assumption markers on the box.
    pub markers: Vec<Marker>,
    /// How a diff marks the node, when drawing a diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
}

/// One measure's text inside a box.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureText {
    /// Its lines: at most [`Metrics::measure_wrap`], the last cut with an ellipsis if needed.
    pub lines: Vec<String>,
    /// The full text, when the lines had to cut it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full: Option<String>,
    /// The x where its text starts.
    pub x: f64,
    /// Its first baseline.
    pub y: f64,
    /// The bullet's square, when this is a measure and not the "+ N more" line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bullet: Option<Rect>,
    /// The measure's latest result, shown after its label, when the model has results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<ResultMark>,
    /// Whether the result takes a line of its own below the label (the label's last line
    /// had no room left for it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub result_line: bool,
}

impl MeasureText {
    /// How many lines it takes in its box.
    pub fn line_count(&self) -> usize {
        self.lines.len() + usize::from(self.result_line)
    }
}

/// What joins a measure's label to its result on the same line.
pub const RESULT_SEPARATOR: &str = " · ";

/// A measure's latest result as its line in a box shows it: the value and the status's
/// shape, with the status word in the tooltip, so the status never rests on colour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultMark {
    /// The measure's id.
    pub id: String,
    /// The latest value in the measure's unit (`61%`); `None` without a reading.
    pub value: Option<String>,
    /// Where the measure stands.
    pub status: ResultStatus,
    /// The result in words: latest value, period, interval, status and why.
    pub tip: String,
}

impl ResultMark {
    /// What follows the label: the value, then the status's shape (`61% ▲`).
    pub fn text(&self) -> String {
        match &self.value {
            Some(v) => format!("{v} {}", self.status.shape()),
            None => self.status.shape().to_string(),
        }
    }
}

/// The result marks of every measure with results, by measure id: an optional input of the
/// layout, so a model without results is drawn exactly as before.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultMarks(pub HashMap<String, ResultMark>);

impl ResultMarks {
    /// The marks of a model's evaluated results: one per quantitative or proxy measure.
    pub fn of(results: &Results) -> Self {
        ResultMarks(
            results
                .measures
                .iter()
                .map(|m| {
                    let mark = ResultMark {
                        id: m.id.clone(),
                        value: crate::results::show::latest_short(m),
                        status: m.status,
                        tip: crate::results::show::tooltip(m),
                    };
                    (m.id.clone(), mark)
                })
                .collect(),
        )
    }

    /// The mark of measure `id`.
    pub fn get(&self, id: &str) -> Option<&ResultMark> {
        self.0.get(id)
    }
}

/// A mark on a box's corner.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    /// What it says.
    pub kind: FlagKind,
    /// The space it takes.
    pub rect: Rect,
}

/// What a corner flag says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlagKind {
    /// The number of measures.
    Measures,
    /// An output or outcome with no measure.
    Unmeasured,
    /// Not on a full chain.
    Disconnected,
}

/// How a link's path is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RouteShape {
    /// Out of a box's right side into a later column's left side: curves across the gaps
    /// between columns and straight runs through the slots of columns it skips.
    Layered,
    /// Straight down from a box to the one just below it in the same column.
    Drop,
    /// Out of a box's right side and back into the right side of a box in the same column,
    /// bulging this far to the right.
    Bulge(f64),
}

/// A link's route: a start, an end, and any slots it passes through in between.
#[derive(Debug, Clone, Serialize)]
pub struct LinkPath {
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// How the points are joined.
    pub shape: RouteShape,
    /// Waypoints: for a layered route the source port, pairs of slot entry and exit points,
    /// and the target port; otherwise just the two ends.
    pub points: Vec<(f64, f64)>,
    /// Codes of the checks that flagged it.
    pub issues: Vec<Code>,
    /// Assumption markers on the link.
    pub markers: Vec<Marker>,
    /// How a diff marks the link, when drawing a diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// Why the link holds, as the file's `leads_to` mapping says: shown on hover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The reasons a link gives (`because`, `evidence`, `strength`), one per line, or `None` for
/// a link written as a plain id.
pub fn link_reason(link: &crate::model::Link) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(b) = &link.because {
        lines.push(format!("Because: {}", b.value));
    }
    if let Some(e) = &link.evidence {
        lines.push(format!("Evidence: {}", e.value));
    }
    if let Some(st) = &link.strength {
        lines.push(format!("Strength: {}", st.value));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
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
    /// Where a leader line joins the marker to its link, when no clear stretch of the link
    /// could hold the marker itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leader: Option<(f64, f64)>,
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
    /// Its text, wrapped to the key's column.
    pub lines: Vec<String>,
    /// Centre x of its marker.
    pub x: f64,
    /// The x where its text starts.
    pub text_x: f64,
    /// The y of its first baseline.
    pub y: f64,
    /// The stages of the nodes and links it applies to, so a page showing only some stages
    /// can show only their assumptions.
    pub stages: Vec<Stage>,
}

/// One entry of the legend: a mark, its text, and where the mark's centre goes.
#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    /// The mark.
    pub mark: LegendMark,
    /// What it means.
    pub text: String,
    /// Centre x of the mark.
    pub x: f64,
    /// Centre y of the mark.
    pub mark_y: f64,
    /// The x where the text starts.
    pub text_x: f64,
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
    /// A measure result's status shape.
    Result(ResultStatus),
}

impl LegendMark {
    fn text(self) -> String {
        match self {
            LegendMark::Link => "leads to".into(),
            LegendMark::Measures => "number of measures".into(),
            LegendMark::Unmeasured => "no measure yet (dashed outline)".into(),
            LegendMark::Disconnected => "not on a full chain (dotted outline)".into(),
            LegendMark::Assumption(s) => format!("assumption, {}", s.as_str()),
            LegendMark::Ceiling => "accountability ceiling".into(),
            LegendMark::Diff(Mark::Added) => "added in this change".into(),
            LegendMark::Diff(Mark::Removed) => "removed in this change (faint, dashed)".into(),
            LegendMark::Diff(Mark::Changed) => "changed in this change".into(),
            LegendMark::Result(s) => format!("measure {}", result_words(s)),
        }
    }
}

/// What a result status's shape means, as the legend says it.
fn result_words(s: ResultStatus) -> &'static str {
    match s {
        ResultStatus::Met => "met its target",
        ResultStatus::OnTrack => "on track",
        ResultStatus::AtRisk => "at risk",
        ResultStatus::OffTrack => "off track",
        ResultStatus::NoData => "not judged: no reading, or no baseline and target",
        ResultStatus::Stale => "out of date (stale)",
    }
}

/// Positions `model` for `fit`, marking what `diagnostics` flagged.
pub fn layout(model: &Model, graph: &Graph, diagnostics: &[Diagnostic], fit: Fit) -> Layout {
    layout_marked(model, graph, diagnostics, fit, None)
}

/// Positions `model` like [`layout`], also carrying a diff's marks onto boxes and links and
/// into the legend.
pub fn layout_marked(
    model: &Model,
    graph: &Graph,
    diagnostics: &[Diagnostic],
    fit: Fit,
    diff_marks: Option<&DiffMarks>,
) -> Layout {
    layout_with(model, graph, diagnostics, fit, diff_marks, None, None)
}

/// Positions `model` like [`layout_marked`], keeping the choices of the drawing `hint` came
/// from (an earlier version on screen) unless fresh ones read clearly better, and showing
/// each measure's latest result from `results` after its label.
pub fn layout_with(
    model: &Model,
    graph: &Graph,
    diagnostics: &[Diagnostic],
    fit: Fit,
    diff_marks: Option<&DiffMarks>,
    hint: Option<&Choice>,
    results: Option<&ResultMarks>,
) -> Layout {
    let issues = issues_by_subject(diagnostics);
    let ranks = ranks::ranks(model, graph);
    let marks = key::legend_marks(
        model,
        &size::boxes(
            model,
            graph,
            &Metrics::for_fit(fit),
            &issues,
            diff_marks,
            results,
        ),
        diff_marks,
    );
    let entries = key::entries(model, graph);
    let has_ceiling = marks.contains(&LegendMark::Ceiling);
    let (m, mut boxes, arrangement, choice) = arrange::choose(
        graph,
        &ranks,
        &Metrics::for_fit(fit),
        fit,
        hint,
        |m| {
            let boxes = size::boxes(model, graph, m, &issues, diff_marks, results);
            let fits = size::words_fit(&boxes, m);
            (boxes, fits)
        },
        |m, width| {
            let heading = key::heading(model, m, width);
            let key = key::key(&marks, &entries, m, width, 0.0);
            heading.bottom + place::key_gap(m, has_ceiling) + key.bottom + m.margin
        },
    );
    let ordered = order::items(
        graph,
        &ranks,
        &arrangement,
        model.layout.as_ref().map(|l| l.value).unwrap_or_default(),
    );
    let width = place::width(&arrangement, &m);
    let heading = key::heading(model, &m, width);
    let placed = place::place(&arrangement, &ordered, &mut boxes, &m, heading.bottom);
    size::finish(&mut boxes, &m);
    let mut links = route::routes(graph, &ordered, &placed, &boxes, &m, &issues, diff_marks);
    for l in &mut links {
        l.reason = graph
            .node(&l.from)
            .map(|ix| graph.model_node(model, ix))
            .and_then(|n| n.leads_to.iter().find(|t| t.to.value == l.to))
            .and_then(link_reason);
    }
    let bands = place::bands(&arrangement, &placed, &m);
    let ceiling = model.accountability_ceiling.as_ref().and_then(|c| {
        let last = bands.iter().rposition(|b| b.stage <= c.value)?;
        let next = bands.get(last + 1)?;
        let band = &bands[last];
        let x = (band.x + band.width + next.x) / 2.0;
        Some(Ceiling {
            x,
            top: band.y - m.gap * 0.3,
            bottom: band.y + band.height + m.gap * 0.3,
            label_x: x + m.gap * 0.3,
            label_y: band.y + band.height + m.gap * 0.3 + m.ceiling_size * 1.3,
        })
    });
    markers::place(
        model,
        &mut boxes,
        &mut links,
        ceiling.as_ref().map(|c| c.x),
        &m,
    );
    let key_top = placed.bottom + place::key_gap(&m, ceiling.is_some());
    let key = key::key(&marks, &entries, &m, width, key_top);
    Layout {
        fit,
        metrics: m,
        width,
        height: key.bottom + m.margin,
        title: heading.title,
        vision: heading.vision,
        left: m.margin,
        title_y: heading.title_y,
        vision_y: heading.vision_y,
        bands,
        nodes: boxes,
        links,
        assumptions: key.assumptions,
        assumptions_y: key.assumptions_y,
        legend: key.legend,
        key_y: key.key_y,
        ceiling,
        choice,
        measure_list: Vec::new(),
        measure_list_y: 0.0,
    }
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
