//! Colour themes for the diagram. Every text colour meets WCAG AA (4.5:1) against what it
//! sits on, and every outline and line meets 3:1; a test checks each pair.

use crate::model::Status;

/// Colours for one theme.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// The theme's name, as given to `--theme`.
    pub name: &'static str,
    /// Page background.
    pub background: &'static str,
    /// Main text.
    pub text: &'static str,
    /// Secondary text (vision, measure lines, key).
    pub muted: &'static str,
    /// Band fill per stage, left to right.
    pub band: [&'static str; 6],
    /// Box fill.
    pub node: &'static str,
    /// Box outline per stage.
    pub stroke: [&'static str; 6],
    /// Outline width of boxes.
    pub stroke_width: f64,
    /// Links.
    pub link: &'static str,
    /// Unmeasured and disconnected outlines and their markers.
    pub warn: &'static str,
    /// Text on a warning marker.
    pub warn_text: &'static str,
    /// Measure count badge fill.
    pub badge: &'static str,
    /// Measure count badge text.
    pub badge_text: &'static str,
    /// Assumption marker fill by status: untested, holding, challenged, refuted.
    pub status: [&'static str; 4],
    /// Text on assumption markers.
    pub status_text: &'static str,
    /// A diff's added parts: outline and badge.
    pub added: &'static str,
    /// A diff's removed parts: ghost outline and badge.
    pub removed: &'static str,
    /// A diff's changed parts: outline and badge.
    pub changed: &'static str,
    /// Text on a diff badge.
    pub diff_text: &'static str,
}

/// Light: for documents, pull requests and bright rooms.
pub const LIGHT: Theme = Theme {
    name: "light",
    background: "#ffffff",
    text: "#1f2328",
    muted: "#4d5661",
    band: [
        "#eef2f7", "#edf6f0", "#f7f2e7", "#e9f3f8", "#f2eef8", "#f8eeee",
    ],
    node: "#ffffff",
    stroke: [
        "#4a5d78", "#2f7a4f", "#86681a", "#2a6a8a", "#6a4f8f", "#8f3f3f",
    ],
    stroke_width: 2.0,
    link: "#59636e",
    warn: "#b45309",
    warn_text: "#ffffff",
    badge: "#24292f",
    badge_text: "#ffffff",
    status: ["#5c6470", "#15703a", "#a14a06", "#b91c1c"],
    status_text: "#ffffff",
    added: "#1a7f37",
    removed: "#6e7781",
    changed: "#0969da",
    diff_text: "#ffffff",
};

/// Dark: for dimmed rooms and dark editors.
pub const DARK: Theme = Theme {
    name: "dark",
    background: "#0d1117",
    text: "#e6edf3",
    muted: "#a8b1bb",
    band: [
        "#151c26", "#13201a", "#221d12", "#12202a", "#1c1726", "#241616",
    ],
    node: "#1c2128",
    stroke: [
        "#8fa8c8", "#6fc08f", "#d4b15a", "#6fb3d6", "#b39ddb", "#e08a8a",
    ],
    stroke_width: 2.0,
    link: "#9da7b3",
    warn: "#f0a050",
    warn_text: "#0d1117",
    badge: "#e6edf3",
    badge_text: "#0d1117",
    status: ["#9aa4ae", "#3fb950", "#d29922", "#ff7b72"],
    status_text: "#0d1117",
    added: "#3fb950",
    removed: "#8b949e",
    changed: "#58a6ff",
    diff_text: "#0d1117",
};

/// High contrast: for projectors in bright rooms and low vision.
pub const CONTRAST: Theme = Theme {
    name: "contrast",
    background: "#000000",
    text: "#ffffff",
    muted: "#ffffff",
    band: [
        "#000000", "#0a0a0a", "#000000", "#0a0a0a", "#000000", "#0a0a0a",
    ],
    node: "#000000",
    stroke: [
        "#ffffff", "#ffffff", "#ffffff", "#ffffff", "#ffffff", "#ffffff",
    ],
    stroke_width: 3.0,
    link: "#ffffff",
    warn: "#ffd700",
    warn_text: "#000000",
    badge: "#ffd700",
    badge_text: "#000000",
    status: ["#ffffff", "#4dff88", "#ffd700", "#ff8080"],
    status_text: "#000000",
    added: "#4dff88",
    removed: "#bbbbbb",
    changed: "#66ccff",
    diff_text: "#000000",
};

/// Every theme.
pub const THEMES: [Theme; 3] = [LIGHT, DARK, CONTRAST];

impl Theme {
    /// The theme called `name`.
    pub fn named(name: &str) -> Option<Theme> {
        THEMES.into_iter().find(|t| t.name == name)
    }

    /// The marker fill for `status`.
    pub fn status_fill(&self, status: Status) -> &'static str {
        self.status[status as usize]
    }
}

/// The WCAG contrast ratio of two `#rrggbb` colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0))
            / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_passes_wcag_aa() {
        for t in THEMES {
            let mut text_pairs = vec![
                (t.text, t.background, "text on background"),
                (t.muted, t.background, "muted on background"),
                (t.text, t.node, "text on box"),
                (t.muted, t.node, "muted on box"),
                (t.badge_text, t.badge, "badge"),
                (t.warn_text, t.warn, "warning marker"),
            ];
            for b in t.band {
                text_pairs.push((t.text, b, "header on band"));
            }
            for s in t.status {
                text_pairs.push((t.status_text, s, "assumption marker"));
            }
            for d in [t.added, t.removed, t.changed] {
                text_pairs.push((t.diff_text, d, "diff badge"));
            }
            for (fg, bg, what) in text_pairs {
                let c = contrast(fg, bg);
                assert!(c >= 4.5, "{}: {what} {fg} on {bg} is {c:.2}", t.name);
            }
            let mut line_pairs = vec![
                (t.link, t.background, "link"),
                (t.warn, t.node, "warning outline"),
                (t.added, t.background, "added outline"),
                (t.changed, t.background, "changed outline"),
            ];
            for (i, s) in t.stroke.iter().enumerate() {
                line_pairs.push((s, t.node, "box outline"));
                line_pairs.push((s, t.band[i], "box outline on band"));
            }
            for b in t.band {
                line_pairs.push((t.link, b, "link on band"));
                line_pairs.push((t.warn, b, "warning outline on band"));
            }
            for (fg, bg, what) in line_pairs {
                let c = contrast(fg, bg);
                assert!(c >= 3.0, "{}: {what} {fg} on {bg} is {c:.2}", t.name);
            }
        }
    }
}
