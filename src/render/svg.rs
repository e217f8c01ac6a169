//! The SVG writer: draws a [`Layout`] in a [`Theme`]. Knows nothing about YAML or checks.

use std::fmt::Write;

use crate::diagnostic::Code;
use crate::layout::text::{FONT_STACK, width};
use crate::layout::{KEY_SIZE, Layout, LegendMark, Mark, Marker, Metrics, NodeBox, status_word};
use crate::model::{Stage, Status};
use crate::render::theme::Theme;

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c if crate::render::is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate, rounded to a tenth of a pixel and written without trailing zeros, so
/// output is stable across platforms.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Draws `layout` as a self-contained SVG document.
pub fn svg(layout: &Layout, theme: &Theme, m: &Metrics, desc: &str) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let title = layout.title.join(" ");
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="elmo-title elmo-desc" class="elmo theme-{theme}" data-theme="{theme}" font-family="{font}">"#,
        w = n(layout.width),
        h = n(layout.height),
        theme = theme.name,
        font = escape(FONT_STACK),
    );
    let _ = write!(
        s,
        r#"<title id="elmo-title">{}</title><desc id="elmo-desc">{}</desc>"#,
        escape(&title),
        escape(desc)
    );
    style(&mut s, theme, m);
    // Diff styles only when there is a diff, so a plain drawing stays byte-for-byte the same.
    let marked = layout.nodes.iter().any(|b| b.mark.is_some())
        || layout.links.iter().any(|l| l.mark.is_some());
    if marked {
        diff_style(&mut s, theme);
    }
    let _ = write!(
        s,
        r#"<defs><marker id="elmo-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker>"#
    );
    if marked {
        // Markers scale with the stroke: the thick added links get a smaller one, in their colour.
        let _ = write!(
            s,
            r#"<marker id="elmo-arrow-added" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="3.8" markerHeight="3.8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>"#,
            theme.added
        );
    }
    s.push_str("</defs>");
    let _ = write!(
        s,
        r#"<rect class="bg" x="0" y="0" width="{}" height="{}"/>"#,
        n(layout.width),
        n(layout.height)
    );

    let _ = write!(
        s,
        r#"<g class="heading"><text class="title" x="28" y="{}">"#,
        n(layout.title_y)
    );
    tspans(&mut s, &layout.title, 28.0, 26.0 * 1.25);
    s.push_str("</text>");
    if !layout.vision.is_empty() {
        let _ = write!(
            s,
            r#"<text class="vision" x="28" y="{}">"#,
            n(layout.vision_y)
        );
        tspans(&mut s, &layout.vision, 28.0, 16.0 * 1.3);
        s.push_str("</text>");
    }
    s.push_str("</g>");

    s.push_str(r#"<g class="bands">"#);
    for b in &layout.bands {
        let _ = write!(
            s,
            r#"<g class="band {key}" data-stage="{key}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10"/><text class="band-title" x="{tx}" y="{ty}">{title}</text></g>"#,
            key = b.stage.key(),
            x = n(b.x),
            y = n(b.y),
            w = n(b.width),
            h = n(b.height),
            tx = n(b.x + 16.0),
            ty = n(b.y + 27.0),
            title = b.stage.title(),
        );
    }
    s.push_str("</g>");
    if let Some(x) = layout.ceiling_x {
        let top = layout.bands.first().map_or(0.0, |b| b.y);
        let bottom = layout.bands.first().map_or(0.0, |b| b.y + b.height);
        let _ = write!(
            s,
            r#"<g class="ceiling"><line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke-dasharray="10 6"/><text class="ceiling-label" x="{tx}" y="{ty}">accountability ceiling</text></g>"#,
            x = n(x),
            y1 = n(top - 6.0),
            y2 = n(bottom + 6.0),
            tx = n(x + 6.0),
            ty = n(bottom + 22.0),
        );
    }

    s.push_str(r#"<g class="links">"#);
    for l in &layout.links {
        let _ = write!(
            s,
            r#"<g class="link{}" data-from="{}" data-to="{}""#,
            diff_class(l.mark),
            escape(&l.from),
            escape(&l.to)
        );
        issues_attr(&mut s, &l.issues);
        diff_attr(&mut s, l.mark);
        let arrow = if l.mark == Some(Mark::Added) {
            "elmo-arrow-added"
        } else {
            "elmo-arrow"
        };
        let _ = write!(
            s,
            r#"><path d="{}" marker-end="url(#{arrow})"/>"#,
            route(&l.points)
        );
        for mk in &l.markers {
            marker_shape(&mut s, mk);
        }
        s.push_str("</g>");
    }
    s.push_str("</g>");

    s.push_str(r#"<g class="nodes">"#);
    for b in &layout.nodes {
        node(&mut s, b, m);
    }
    s.push_str("</g>");

    legend(&mut s, layout);
    s.push_str("</svg>\n");
    s
}

fn style(s: &mut String, t: &Theme, m: &Metrics) {
    let _ = write!(
        s,
        "<style>\
.elmo .bg{{fill:{bg}}}\
.elmo text{{fill:{text};font-size:{label}px}}\
.elmo .title{{font-size:26px;font-weight:bold}}\
.elmo .vision{{fill:{muted};font-size:16px;font-style:italic}}\
.elmo .band-title{{font-size:16px;font-weight:bold}}\
.elmo .node .box{{fill:{node};stroke-width:{sw}}}\
.elmo .node .measure{{fill:{muted};font-size:{msize}px}}\
.elmo .node .rule{{stroke:{muted};stroke-width:1}}\
.elmo .flag{{fill:{warn};stroke:{warn}}}\
.elmo .flag-text{{fill:{warn_text};font-size:12px;font-weight:bold}}\
.elmo .node .flagged{{stroke:{warn}}}\
.elmo .badge{{fill:{badge}}}\
.elmo .badge-text{{fill:{badge_text};font-size:12px;font-weight:bold}}\
.elmo .link path{{fill:none;stroke:{link};stroke-width:1.6}}\
.elmo .arrow{{fill:{link}}}\
.elmo .amark-text{{fill:{status_text};font-size:12px;font-weight:bold}}\
.elmo .key-text{{fill:{text};font-size:{key}px}}\
.elmo .ceiling line{{stroke:{text};stroke-width:2}}\
.elmo .ceiling-label{{fill:{text};font-size:13px;font-style:italic}}",
        bg = t.background,
        text = t.text,
        muted = t.muted,
        node = t.node,
        sw = t.stroke_width,
        warn = t.warn,
        warn_text = t.warn_text,
        badge = t.badge,
        badge_text = t.badge_text,
        link = t.link,
        status_text = t.status_text,
        label = m.label_size,
        msize = m.measure_size,
        key = KEY_SIZE,
    );
    for (i, stage) in Stage::ALL.into_iter().enumerate() {
        let _ = write!(
            s,
            ".elmo .band.{k} rect{{fill:{band}}}.elmo .node.{k} .box{{stroke:{stroke}}}",
            k = stage.key(),
            band = t.band[i],
            stroke = t.stroke[i]
        );
    }
    for st in [
        Status::Untested,
        Status::Holding,
        Status::Challenged,
        Status::Refuted,
    ] {
        let _ = write!(
            s,
            ".elmo .amark.{}{{fill:{}}}",
            status_word(st),
            t.status_fill(st)
        );
    }
    s.push_str("</style>");
}

fn tspans(s: &mut String, lines: &[String], x: f64, line: f64) {
    for (i, l) in lines.iter().enumerate() {
        if i == 0 {
            let _ = write!(s, r#"<tspan x="{}">{}</tspan>"#, n(x), escape(l));
        } else {
            let _ = write!(
                s,
                r#"<tspan x="{}" dy="{}">{}</tspan>"#,
                n(x),
                n(line),
                escape(l)
            );
        }
    }
}

fn issues_attr(s: &mut String, issues: &[Code]) {
    if !issues.is_empty() {
        let codes: Vec<&str> = issues.iter().map(|c| c.as_str()).collect();
        let _ = write!(s, r#" data-issues="{}""#, codes.join(" "));
    }
}

/// A route through `points`: curves between columns, straight runs through slots.
fn route(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", n(x0), n(y0));
    let mut prev = (x0, y0);
    for (i, &(x, y)) in points.iter().enumerate().skip(1) {
        // Odd hops cross the gaps between columns; even hops run through a slot.
        if i % 2 == 1 {
            let mx = (prev.0 + x) / 2.0;
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                n(mx),
                n(prev.1),
                n(mx),
                n(y),
                n(x),
                n(y)
            );
        } else {
            let _ = write!(d, " L{},{}", n(x), n(y));
        }
        prev = (x, y);
    }
    d
}

fn node(s: &mut String, b: &NodeBox, m: &Metrics) {
    let _ = write!(
        s,
        r#"<g class="node {}{}" data-id="{}""#,
        b.stage.key(),
        diff_class(b.mark),
        escape(&b.id)
    );
    issues_attr(s, &b.issues);
    diff_attr(s, b.mark);
    let _ = write!(s, r#" data-measures="{}">"#, b.measure_count);
    let mut tip = b.label.clone();
    if let Some(d) = &b.description {
        tip.push_str("\n\n");
        tip.push_str(d);
    }
    for ms in &b.measures {
        tip.push_str("\n• ");
        tip.push_str(ms);
    }
    let _ = write!(s, "<title>{}</title>", escape(&tip));
    // Under the box, so badges and markers on its edge stay on top.
    if let Some(mark) = b.mark {
        diff_outline(s, mark, b);
    }
    let unmeasured = b
        .issues
        .iter()
        .any(|c| matches!(c, Code::UnmeasuredOutcome | Code::UnmeasuredOutput));
    let disconnected = b.issues.contains(&Code::DisconnectedNode);
    // The outline pattern carries the status without colour: dashed for unmeasured,
    // dotted for disconnected.
    let (class, dash) = match (unmeasured, disconnected) {
        (_, true) => ("box flagged", r#" stroke-dasharray="2 4""#),
        (true, false) => ("box flagged", r#" stroke-dasharray="8 5""#),
        _ => ("box", ""),
    };
    let _ = write!(
        s,
        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="8"{dash}/>"#,
        n(b.x),
        n(b.y),
        n(b.w),
        n(b.h)
    );
    let first = b.y + m.pad + 4.0 + m.label_size * 0.95;
    let _ = write!(
        s,
        r#"<text class="label" x="{}" y="{}">"#,
        n(b.x + m.pad),
        n(first)
    );
    tspans(s, &b.lines, b.x + m.pad, m.label_line);
    s.push_str("</text>");
    if !b.measure_lines.is_empty() {
        let rule_y = b.y + m.pad + 6.0 + b.lines.len() as f64 * m.label_line + 2.0;
        let _ = write!(
            s,
            r#"<line class="rule" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            n(b.x + m.pad),
            n(rule_y),
            n(b.x + b.w - m.pad),
            n(rule_y)
        );
        let y0 = rule_y + 6.0 + m.measure_size;
        let _ = write!(
            s,
            r#"<text class="measure" x="{}" y="{}">"#,
            n(b.x + m.pad + 12.0),
            n(y0)
        );
        tspans(s, &b.measure_lines, b.x + m.pad + 12.0, m.measure_line);
        s.push_str("</text>");
        for i in 0..b.measure_lines.len() {
            let cy = y0 - m.measure_size * 0.35 + i as f64 * m.measure_line;
            let _ = write!(
                s,
                r#"<rect class="badge" x="{}" y="{}" width="5" height="5"/>"#,
                n(b.x + m.pad + 1.0),
                n(cy - 2.5)
            );
        }
    }
    // Flags and the measure badge sit on the top-right corner, right to left.
    let mut right = b.x + b.w - 12.0;
    let top = b.y;
    if b.measure_count > 0 {
        let label = b.measure_count.to_string();
        let w = 14.0 + width(&label, 12.0, true);
        let _ = write!(
            s,
            r#"<g class="measure-badge"><rect class="badge" x="{}" y="{}" width="{}" height="18" rx="9"/><text class="badge-text" x="{}" y="{}" text-anchor="middle">{label}</text></g>"#,
            n(right - w),
            n(top - 9.0),
            n(w),
            n(right - w / 2.0),
            n(top + 4.5)
        );
        right -= w + 6.0;
    }
    if unmeasured {
        warn_triangle(s, right - 10.0, top);
        right -= 26.0;
    }
    if disconnected {
        cut_mark(s, right - 10.0, top);
    }
    for mk in &b.markers {
        marker_shape(s, mk);
    }
    if let Some(mark) = b.mark {
        // Bottom-left: the top edge holds assumption markers and the measure badge.
        diff_badge(s, mark, b.x, b.y + b.h);
    }
    s.push_str("</g>");
}

fn diff_class(mark: Option<Mark>) -> String {
    mark.map(|m| format!(" diff-{}", m.word()))
        .unwrap_or_default()
}

fn diff_attr(s: &mut String, mark: Option<Mark>) {
    if let Some(m) = mark {
        let _ = write!(s, r#" data-diff="{}""#, m.word());
    }
}

fn diff_style(s: &mut String, t: &Theme) {
    let _ = write!(
        s,
        "<style>\
.elmo .diff-outline{{fill:none;stroke-width:4}}\
.elmo .diff-added .diff-outline{{stroke:{added}}}\
.elmo .diff-changed .diff-outline{{stroke:{changed}}}\
.elmo .node.diff-removed,.elmo .legend-diff.diff-removed{{opacity:.45}}\
.elmo .node.diff-removed .box{{stroke:{removed};stroke-dasharray:7 5}}\
.elmo .link.diff-added path{{stroke:{added};stroke-width:3.2}}\
.elmo .link.diff-removed path{{stroke:{removed};stroke-dasharray:7 5;opacity:.6}}\
.elmo .diff-badge.added{{fill:{added}}}\
.elmo .diff-badge.removed{{fill:{removed}}}\
.elmo .diff-badge.changed{{fill:{changed}}}\
.elmo .diff-badge-text{{fill:{text};font-size:15px;font-weight:bold}}\
</style>",
        added = t.added,
        removed = t.removed,
        changed = t.changed,
        text = t.diff_text,
    );
}

/// A thick outline a little outside the box: colour says added or changed, and the badge
/// says it again without colour.
fn diff_outline(s: &mut String, mark: Mark, b: &NodeBox) {
    if mark == Mark::Removed {
        return;
    }
    let _ = write!(
        s,
        r#"<rect class="diff-outline" x="{}" y="{}" width="{}" height="{}" rx="11"/>"#,
        n(b.x - 4.0),
        n(b.y - 4.0),
        n(b.w + 8.0),
        n(b.h + 8.0)
    );
}

/// A round badge centred on (x, y): `+` added, `−` removed, `~` changed.
fn diff_badge(s: &mut String, mark: Mark, x: f64, y: f64) {
    let sign = match mark {
        Mark::Added => "+",
        Mark::Removed => "\u{2212}",
        Mark::Changed => "~",
    };
    let _ = write!(
        s,
        r#"<g class="diff-mark"><circle class="diff-badge {w}" cx="{cx}" cy="{cy}" r="10"/><text class="diff-badge-text" x="{cx}" y="{ty}" text-anchor="middle">{sign}</text></g>"#,
        w = mark.word(),
        cx = n(x),
        cy = n(y),
        ty = n(y + 5.0),
    );
}

fn warn_triangle(s: &mut String, cx: f64, cy: f64) {
    let _ = write!(
        s,
        r#"<g class="flag-unmeasured"><path class="flag" d="M{},{} L{},{} L{},{} z"/><text class="flag-text" x="{}" y="{}" text-anchor="middle">!</text></g>"#,
        n(cx),
        n(cy - 11.0),
        n(cx + 11.0),
        n(cy + 9.0),
        n(cx - 11.0),
        n(cy + 9.0),
        n(cx),
        n(cy + 6.5)
    );
}

fn cut_mark(s: &mut String, cx: f64, cy: f64) {
    let _ = write!(
        s,
        r#"<g class="flag-disconnected"><circle class="flag" cx="{}" cy="{}" r="10"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="2.5" class="flag-line"/></g>"#,
        n(cx),
        n(cy),
        n(cx - 6.0),
        n(cy + 6.0),
        n(cx + 6.0),
        n(cy - 6.0)
    );
}

/// A marker's outline: the shape tells the status apart without colour.
fn marker_path(status: Status, x: f64, y: f64) -> String {
    let r = 11.0;
    match status {
        Status::Untested => format!(
            "M{},{} a{r},{r} 0 1,0 {},0 a{r},{r} 0 1,0 -{},0 z",
            n(x - r),
            n(y),
            n(2.0 * r),
            n(2.0 * r)
        ),
        Status::Holding => format!("M{},{} h{} v{} h-{} z", n(x - 9.5), n(y - 9.5), 19, 19, 19),
        Status::Challenged => format!(
            "M{},{} L{},{} L{},{} L{},{} z",
            n(x),
            n(y - 13.0),
            n(x + 13.0),
            n(y),
            n(x),
            n(y + 13.0),
            n(x - 13.0),
            n(y)
        ),
        // A triangle pointing down: nothing else in the diagram has that shape.
        Status::Refuted => format!(
            "M{},{} L{},{} L{},{} z",
            n(x - 14.0),
            n(y - 10.0),
            n(x + 14.0),
            n(y - 10.0),
            n(x),
            n(y + 15.0)
        ),
    }
}

fn marker_shape(s: &mut String, mk: &Marker) {
    let word = status_word(mk.status);
    let _ = write!(
        s,
        r#"<g class="assumption-marker" data-assumption="{num}" data-status="{word}"><path class="amark {word}" d="{d}"/><text class="amark-text" x="{x}" y="{y}" text-anchor="middle">{num}</text></g>"#,
        // The legend's sample markers carry no number.
        num = if mk.number == 0 {
            String::new()
        } else {
            mk.number.to_string()
        },
        d = marker_path(mk.status, mk.x, mk.y),
        x = n(mk.x),
        // The downward triangle's body sits high, so its number does too.
        y = n(mk.y
            + if mk.status == Status::Refuted {
                1.0
            } else {
                4.3
            }),
    );
}

fn legend(s: &mut String, layout: &Layout) {
    let _ = write!(
        s,
        r#"<g class="legend"><text class="key-text" x="28" y="{}" font-weight="bold">Key</text>"#,
        n(layout.key_y)
    );
    for item in &layout.legend {
        let (cx, cy) = (item.x, item.y - 5.0);
        match item.mark {
            LegendMark::Link => {
                let _ = write!(
                    s,
                    r#"<g class="link"><path d="M{},{} L{},{}" marker-end="url(#elmo-arrow)"/></g>"#,
                    n(cx - 12.0),
                    n(cy),
                    n(cx + 12.0),
                    n(cy)
                );
            }
            LegendMark::Measures => {
                let _ = write!(
                    s,
                    r#"<rect class="badge" x="{}" y="{}" width="22" height="18" rx="9"/><text class="badge-text" x="{}" y="{}" text-anchor="middle">2</text>"#,
                    n(cx - 11.0),
                    n(cy - 9.0),
                    n(cx),
                    n(cy + 4.5)
                );
            }
            LegendMark::Unmeasured => warn_triangle(s, cx, cy),
            LegendMark::Disconnected => cut_mark(s, cx, cy),
            LegendMark::Assumption(status) => marker_shape(
                s,
                &Marker {
                    number: 0,
                    status,
                    x: cx,
                    y: cy,
                },
            ),
            LegendMark::Diff(mark) => {
                let _ = write!(s, r#"<g class="legend-diff diff-{}">"#, mark.word());
                diff_badge(s, mark, cx, cy);
                s.push_str("</g>");
            }
            LegendMark::Ceiling => {
                let _ = write!(
                    s,
                    r#"<g class="ceiling"><line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke-dasharray="5 3"/></g>"#,
                    n(cy - 11.0),
                    n(cy + 11.0),
                    x = n(cx)
                );
            }
        }
        let _ = write!(
            s,
            r#"<text class="key-text" x="{}" y="{}">{}</text>"#,
            n(item.x + 18.0),
            n(item.y),
            escape(&item.text)
        );
    }
    s.push_str("</g>");
    if layout.assumptions.is_empty() {
        return;
    }
    let head_y = layout.assumptions[0].y - 26.0;
    let _ = write!(
        s,
        r#"<g class="assumption-key"><text class="key-text" x="28" y="{}" font-weight="bold">Assumptions</text>"#,
        n(head_y)
    );
    for a in &layout.assumptions {
        let _ = write!(
            s,
            r#"<g class="assumption" data-id="{}" data-status="{}">"#,
            escape(&a.id),
            status_word(a.status)
        );
        marker_shape(
            s,
            &Marker {
                number: a.number,
                status: a.status,
                x: 40.0,
                y: a.y - 5.0,
            },
        );
        let _ = write!(s, r#"<text class="key-text" x="64" y="{}">"#, n(a.y));
        tspans(s, &a.lines, 64.0, 19.0);
        s.push_str("</text></g>");
    }
    s.push_str("</g>");
}
