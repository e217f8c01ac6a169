//! Pass 5, placement: the x of every column and band, and the y of every box and slot.
//! Columns stack from the top, so a box moves only when something above it in its own
//! column changes.

use crate::layout::arrange::Arrangement;
use crate::layout::order::Ordered;
use crate::layout::{Band, Metrics, NodeBox};
use crate::model::Stage;

/// Where the columns and slots went.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Left edge of each layer's boxes.
    pub layer_x: Vec<f64>,
    /// Centre y of each slot, by item index (0 for nodes).
    pub slot_y: Vec<f64>,
    /// Top of the band headers.
    pub band_top: f64,
    /// Bottom of the bands.
    pub bottom: f64,
}

/// The narrowest drawing, so a tiny model's title still has room.
const MIN_WIDTH: f64 = 640.0;

/// Bands left to right: each stage's left edge and width.
fn band_spans(a: &Arrangement, m: &Metrics) -> Vec<(Stage, f64, f64)> {
    let mut out: Vec<(Stage, f64, f64)> = Vec::new();
    let mut x = m.margin;
    let mut l = 0;
    while l < a.layer_stage.len() {
        let s = a.layer_stage[l];
        let subs = a.layer_stage[l..].iter().take_while(|&&t| t == s).count();
        let w = subs as f64 * m.node_width
            + subs.saturating_sub(1) as f64 * m.sub_gap
            + 2.0 * m.band_pad;
        if !out.is_empty() {
            x += m.band_gap;
        }
        out.push((s, x, w));
        x += w;
        l += subs;
    }
    out
}

/// The drawing's width under `a`.
pub fn width(a: &Arrangement, m: &Metrics) -> f64 {
    let right = band_spans(a, m).last().map_or(m.margin, |(_, x, w)| x + w);
    (right + m.margin).max(MIN_WIDTH)
}

/// Space between the heading and the bands' bottom that is not column: band headers and the
/// band's foot.
pub fn chrome(m: &Metrics) -> f64 {
    header_space(m) + foot_space(m)
}

fn header_space(m: &Metrics) -> f64 {
    m.header_h + m.gap * 0.6
}

fn foot_space(m: &Metrics) -> f64 {
    m.gap * 0.8 + m.band_foot
}

/// The gap between the bands' bottom and the key's top, leaving room for the ceiling's label
/// when there is one.
pub fn key_gap(m: &Metrics, ceiling: bool) -> f64 {
    if ceiling {
        m.ceiling_size * 2.2 + m.key_size * 0.6
    } else {
        m.key_size * 1.2
    }
}

/// Places boxes and slots below a heading that ends at `top`.
pub fn place(
    a: &Arrangement,
    ordered: &Ordered,
    boxes: &mut [NodeBox],
    m: &Metrics,
    top: f64,
) -> Placed {
    let mut layer_x = Vec::with_capacity(a.layer_stage.len());
    for (_, bx, _) in band_spans(a, m) {
        let first = layer_x.len();
        let s = a.layer_stage[first];
        let count = a.layer_stage[first..]
            .iter()
            .take_while(|&&t| t == s)
            .count();
        for k in 0..count {
            layer_x.push(bx + m.band_pad + k as f64 * (m.node_width + m.sub_gap));
        }
    }
    let column_top = top + header_space(m);
    let n = boxes.len();
    let mut slot_y = vec![0.0; ordered.item_layer.len()];
    let mut bottom = column_top;
    for (l, layer) in ordered.layers.iter().enumerate() {
        let mut y = column_top;
        for &i in layer {
            if i < n {
                boxes[i].x = layer_x[l];
                boxes[i].y = y;
                y += boxes[i].h + m.gap;
            } else {
                slot_y[i] = y + m.slot_h / 2.0;
                y += m.slot_h + m.gap / 2.0;
            }
        }
        bottom = f64::max(bottom, y - m.gap);
    }
    Placed {
        layer_x,
        slot_y,
        band_top: top,
        bottom: bottom + foot_space(m),
    }
}

/// One band per used stage, as tall as the tallest column.
pub fn bands(a: &Arrangement, placed: &Placed, m: &Metrics) -> Vec<Band> {
    band_spans(a, m)
        .into_iter()
        .map(|(stage, x, width)| Band {
            stage,
            x,
            y: placed.band_top,
            width,
            height: placed.bottom - placed.band_top,
            title_x: x + m.band_pad,
            title_y: placed.band_top + m.header_h * 0.68,
            columns: a.columns(stage),
        })
        .collect()
}
