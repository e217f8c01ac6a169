//! Pass 8, the key: the heading above the bands, and below them the legend of the marks the
//! drawing uses and the numbered assumptions, flowed into as many columns as the width
//! allows.

use crate::graph::{Graph, Item};
use crate::layout::{
    AssumptionKey, DiffMarks, LegendItem, LegendMark, ListEntry, Mark, Metrics, NodeBox,
};
use crate::layout::{size, text};
use crate::model::{Model, Stage, Status};
use crate::results::Status as ResultStatus;

/// The wrapped title and vision.
pub struct Heading {
    /// Title lines.
    pub title: Vec<String>,
    /// Vision lines.
    pub vision: Vec<String>,
    /// First title baseline.
    pub title_y: f64,
    /// First vision baseline.
    pub vision_y: f64,
    /// Where the bands may start.
    pub bottom: f64,
}

/// The heading for a drawing `width` wide.
pub fn heading(model: &Model, m: &Metrics, width: f64) -> Heading {
    let text_w = width - 2.0 * m.margin;
    let title = text::wrap(&model.title.value, m.title_size, true, text_w);
    let vision = model
        .vision
        .as_ref()
        .map(|v| text::wrap(&v.value, m.vision_size, false, text_w))
        .unwrap_or_default();
    let title_y = m.margin + m.title_size;
    let title_end = title_y + (title.len() as f64 - 1.0) * m.title_line();
    let vision_y = title_end + m.vision_size * 1.6;
    let mut bottom = title_end + m.label_size;
    if !vision.is_empty() {
        bottom = vision_y + (vision.len() as f64 - 1.0) * m.vision_line() + m.label_size;
    }
    Heading {
        title,
        vision,
        title_y,
        vision_y,
        bottom,
    }
}

/// An assumption as the key lists it.
pub struct Entry {
    number: usize,
    id: String,
    status: Status,
    text: String,
    stages: Vec<Stage>,
}

/// The numbered assumptions, with the stages of what each applies to.
pub fn entries(model: &Model, graph: &Graph) -> Vec<Entry> {
    let stage_of = |id: &str| match graph.ids.get(id) {
        Some((Item::Node(ix), _)) => Some(graph.graph[*ix].stage),
        _ => None,
    };
    model
        .assumptions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut stages: Vec<Stage> = Vec::new();
            for t in &a.applies_to {
                stages.extend(t.target.ids().into_iter().filter_map(stage_of));
            }
            stages.sort();
            stages.dedup();
            let status = a.status.as_ref().map(|s| s.value).unwrap_or_default();
            Entry {
                number: i + 1,
                id: a.id.value.clone(),
                status,
                text: a.text.value.clone(),
                stages,
            }
        })
        .collect()
}

/// The marks the drawing uses, in legend order.
pub fn legend_marks(
    model: &Model,
    boxes: &[NodeBox],
    marks: Option<&DiffMarks>,
) -> Vec<LegendMark> {
    let mut out = vec![LegendMark::Link];
    if boxes.iter().any(|b| b.measure_count > 0) {
        out.push(LegendMark::Measures);
    }
    if boxes.iter().any(size::unmeasured) {
        out.push(LegendMark::Unmeasured);
    }
    if boxes.iter().any(|b| {
        b.issues
            .contains(&crate::diagnostic::Code::DisconnectedNode)
    }) {
        out.push(LegendMark::Disconnected);
    }
    for status in [
        Status::Untested,
        Status::Holding,
        Status::Challenged,
        Status::Refuted,
    ] {
        if model
            .assumptions
            .iter()
            .any(|a| a.status.as_ref().map(|s| s.value).unwrap_or_default() == status)
        {
            out.push(LegendMark::Assumption(status));
        }
    }
    // The ceiling is drawn only where a used stage follows it.
    let ceiling = model.accountability_ceiling.as_ref().is_some_and(|c| {
        boxes.iter().any(|b| b.stage > c.value) && boxes.iter().any(|b| b.stage <= c.value)
    });
    if ceiling {
        out.push(LegendMark::Ceiling);
    }
    for status in [
        ResultStatus::Met,
        ResultStatus::OnTrack,
        ResultStatus::AtRisk,
        ResultStatus::OffTrack,
        ResultStatus::NoData,
        ResultStatus::Stale,
    ] {
        let shown = boxes
            .iter()
            .flat_map(|b| &b.measure_text)
            .any(|t| t.result.as_ref().is_some_and(|r| r.status == status));
        if shown {
            out.push(LegendMark::Result(status));
        }
    }
    if let Some(d) = marks {
        let ids: std::collections::HashSet<&str> = boxes.iter().map(|b| b.id.as_str()).collect();
        for mark in [Mark::Added, Mark::Removed, Mark::Changed] {
            let used = boxes.iter().any(|b| b.mark == Some(mark))
                || d.links.iter().any(|((f, t), k)| {
                    *k == mark && ids.contains(f.as_str()) && ids.contains(t.as_str())
                });
            if used {
                out.push(LegendMark::Diff(mark));
            }
        }
    }
    out
}

/// The legend and assumption key, placed.
pub struct Key {
    /// Legend entries.
    pub legend: Vec<LegendItem>,
    /// Assumption entries.
    pub assumptions: Vec<AssumptionKey>,
    /// The legend heading's baseline.
    pub key_y: f64,
    /// The assumption heading's baseline.
    pub assumptions_y: f64,
    /// The bottom of the last line.
    pub bottom: f64,
}

/// `texts` flowed into columns across a drawing `width` wide under a heading at `top`: the
/// entries, the heading's baseline, and the bottom of the last line.
pub fn list(texts: &[String], m: &Metrics, width: f64, top: f64) -> (Vec<ListEntry>, f64, f64) {
    let (left, right) = (m.margin, width - m.margin);
    let heading_y = top + m.key_size;
    let col_gap = m.key_size * 2.0;
    let min_w = KEY_COLUMN_EMS * m.key_size;
    let fits = ((right - left + col_gap) / (min_w + col_gap))
        .floor()
        .max(1.0) as usize;
    let columns = fits.min(texts.len()).max(1);
    let col_w = (right - left - (columns - 1) as f64 * col_gap) / columns as f64;
    let wrapped: Vec<Vec<String>> = texts
        .iter()
        .map(|t| text::wrap(t, m.key_size, false, col_w))
        .collect();
    let entry_h = |lines: &[String]| lines.len() as f64 * m.key_line + m.key_size * 0.4;
    let share = wrapped.iter().map(|l| entry_h(l)).sum::<f64>() / columns as f64;
    let first_y = heading_y + m.key_line * 1.4;
    let (mut col, mut y, mut used, mut bottom) = (0usize, first_y, 0.0, heading_y);
    let mut out = Vec::new();
    for lines in wrapped {
        let h = entry_h(&lines);
        if used > 0.0 && used + h / 2.0 > share && col + 1 < columns {
            col += 1;
            y = first_y;
            used = 0.0;
        }
        out.push(ListEntry {
            x: left + col as f64 * (col_w + col_gap),
            y,
            lines,
        });
        y += h;
        used += h;
        bottom = bottom.max(y);
    }
    (out, heading_y, bottom)
}

/// The narrowest column of the assumption key, in key-size ems.
const KEY_COLUMN_EMS: f64 = 30.0;

/// Lays out the key for a drawing `width` wide, starting at `top`.
pub fn key(marks: &[LegendMark], entries: &[Entry], m: &Metrics, width: f64, top: f64) -> Key {
    let left = m.margin;
    let right = width - m.margin;
    let key_y = top + m.key_size;
    let r = m.mark_r;
    let mut legend = Vec::new();
    // The legend runs on from its heading's line.
    let heading_w = text::width("Key", m.key_size, true) + m.key_size * 1.2;
    let (mut lx, mut ly) = (left + heading_w, key_y);
    for &mark in marks {
        let text = mark.text();
        let text_dx = 2.0 * r + m.key_size * 0.5;
        let w = text_dx + text::width(&text, m.key_size, false) + m.key_size * 1.6;
        if lx > left && lx + w > right {
            lx = left;
            ly += m.key_line * 1.6;
        }
        legend.push(LegendItem {
            mark,
            text,
            x: lx + r,
            mark_y: ly - m.key_size * 0.35,
            text_x: lx + text_dx,
            y: ly,
        });
        lx += w;
    }
    let assumptions_y = ly + m.key_line * 2.0;
    let mut bottom = ly + m.key_line * 0.4;
    if entries.is_empty() {
        return Key {
            legend,
            assumptions: Vec::new(),
            key_y,
            assumptions_y,
            bottom,
        };
    }
    let col_gap = m.key_size * 2.0;
    let min_w = KEY_COLUMN_EMS * m.key_size;
    let fits = ((right - left + col_gap) / (min_w + col_gap))
        .floor()
        .max(1.0) as usize;
    let columns = fits.min(entries.len()).max(1);
    let col_w = (right - left - (columns - 1) as f64 * col_gap) / columns as f64;
    let text_dx = 2.0 * r + m.key_size * 0.6;
    let wrapped: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            text::wrap(
                &format!("{} ({})", e.text, e.status.as_str()),
                m.key_size,
                false,
                col_w - text_dx,
            )
        })
        .collect();
    let entry_h = |lines: &[String]| lines.len() as f64 * m.key_line + m.key_size * 0.55;
    let total: f64 = wrapped.iter().map(|l| entry_h(l)).sum();
    // Column-major, so the numbers read down each column; a column ends once it holds its
    // share of the total height.
    let share = total / columns as f64;
    let first_y = assumptions_y + m.key_line * 1.4;
    let (mut col, mut y, mut used) = (0usize, first_y, 0.0);
    let mut out = Vec::new();
    for (e, lines) in entries.iter().zip(wrapped) {
        let h = entry_h(&lines);
        if used > 0.0 && used + h / 2.0 > share && col + 1 < columns {
            col += 1;
            y = first_y;
            used = 0.0;
        }
        let x0 = left + col as f64 * (col_w + col_gap);
        out.push(AssumptionKey {
            number: e.number,
            id: e.id.clone(),
            status: e.status,
            lines,
            x: x0 + r + 1.0,
            text_x: x0 + text_dx,
            y,
            stages: e.stages.clone(),
        });
        y += h;
        used += h;
        bottom = bottom.max(y);
    }
    Key {
        legend,
        assumptions: out,
        key_y,
        assumptions_y,
        bottom,
    }
}
