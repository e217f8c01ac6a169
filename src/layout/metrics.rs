//! Every size the drawing uses, in one place: the SVG writer reads its font sizes, line
//! heights and mark sizes from here and holds no geometry of its own.

use serde::Serialize;

use crate::model::Fit;

/// Sizes, in pixels, that shape the drawing.
#[derive(Debug, Clone, Copy, Serialize)]
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
    /// Lines a measure may wrap to inside a box before it is cut.
    pub measure_wrap: usize,
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
    /// Space around the whole drawing.
    pub margin: f64,
    /// Space between a band's edge and its boxes.
    pub band_pad: f64,
    /// Height of a band's header, above its first box.
    pub header_h: f64,
    /// Font size of the band titles.
    pub band_title_size: f64,
    /// Font size of the model's title.
    pub title_size: f64,
    /// Font size of the vision line.
    pub vision_size: f64,
    /// Height of the slot a long link passes through in a column it skips.
    pub slot_h: f64,
    /// Font size of the legend and the assumption key.
    pub key_size: f64,
    /// Line height of the legend and the assumption key.
    pub key_line: f64,
    /// Font size of the numbers in badges and markers.
    pub badge_size: f64,
    /// Height of the measure-count badge.
    pub badge_h: f64,
    /// Radius of an assumption marker, and of the flags on a box's corner.
    pub mark_r: f64,
    /// Font size of the accountability ceiling's label.
    pub ceiling_size: f64,
    /// Width of a link's line.
    pub link_width: f64,
    /// Length of a link's arrowhead.
    pub arrow: f64,
    /// Extra space at the foot of the bands, where a drawing has height to spare.
    pub band_foot: f64,
}

impl Metrics {
    /// The sizes of the unfitted drawing (`fit: none`), as elmo drew before frames existed.
    pub fn legacy() -> Self {
        Metrics {
            node_width: 210.0,
            label_size: 15.0,
            label_line: 19.0,
            measure_size: 12.0,
            measure_line: 16.0,
            measure_wrap: 1,
            pad: 11.0,
            gap: 22.0,
            sub_gap: 64.0,
            band_gap: 76.0,
            measures_shown: 3,
            margin: 28.0,
            band_pad: 16.0,
            header_h: 40.0,
            band_title_size: 16.0,
            title_size: 26.0,
            vision_size: 16.0,
            slot_h: 10.0,
            key_size: 14.0,
            key_line: 19.0,
            badge_size: 12.0,
            badge_h: 18.0,
            mark_r: 11.0,
            ceiling_size: 13.0,
            link_width: 1.6,
            arrow: 11.2,
            band_foot: 0.0,
        }
    }

    /// Sizes for a fitted drawing: larger text against narrower gaps, so that the text is a
    /// larger share of the picture once it is scaled to a screen or a page. Every size is a
    /// multiple of the label size, so the proportions hold whatever that is.
    pub fn fitted() -> Self {
        let l = 22.0;
        Metrics {
            node_width: 11.5 * l,
            label_size: l,
            label_line: 1.22 * l,
            measure_size: 0.82 * l,
            measure_line: 0.82 * l * 1.2,
            measure_wrap: 2,
            pad: 0.5 * l,
            gap: 0.8 * l,
            sub_gap: 1.8 * l,
            band_gap: 2.4 * l,
            measures_shown: 3,
            margin: 0.8 * l,
            band_pad: 0.45 * l,
            header_h: 1.6 * l,
            band_title_size: 1.0 * l,
            title_size: 1.4 * l,
            vision_size: 0.9 * l,
            slot_h: 0.45 * l,
            key_size: 0.85 * l,
            key_line: 0.85 * l * 1.3,
            badge_size: 0.68 * l,
            badge_h: 1.0 * l,
            mark_r: 0.6 * l,
            ceiling_size: 0.75 * l,
            link_width: 2.2,
            arrow: 0.55 * l,
            band_foot: 0.0,
        }
    }

    /// The sizes a frame is drawn with.
    pub fn for_fit(fit: Fit) -> Self {
        match fit {
            Fit::None => Metrics::legacy(),
            _ => Metrics::fitted(),
        }
    }

    /// Line height of the title.
    pub fn title_line(&self) -> f64 {
        self.title_size * 1.25
    }

    /// Line height of the vision.
    pub fn vision_line(&self) -> f64 {
        self.vision_size * 1.3
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::fitted()
    }
}
