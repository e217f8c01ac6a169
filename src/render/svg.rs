//! The SVG writer: draws a [`Layout`] in a [`Theme`]. Knows nothing about YAML or checks.

use std::fmt::Write;

use crate::diagnostic::Code;
use crate::escape::xml as escape;
use crate::layout::geometry::pieces;
use crate::layout::text::FONT_STACK;
use crate::layout::{
    FlagKind, Layout, LegendMark, Mark, Marker, MeasureText, Metrics, NodeBox, RESULT_SEPARATOR,
    RouteShape,
};
use crate::model::{Stage, Status};
use crate::render::theme::Theme;

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
pub fn svg(layout: &Layout, theme: &Theme, desc: &str) -> String {
    let m = &layout.metrics;
    let mut s = String::with_capacity(64 * 1024);
    let title = layout.title.join(" ");
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="elmo-title elmo-desc" class="elmo theme-{theme}" data-theme="{theme}" data-fit="{fit}" font-family="{font}">"#,
        w = n(layout.width),
        h = n(layout.height),
        theme = theme.name,
        fit = layout.fit.word(),
        font = escape(FONT_STACK),
    );
    let _ = write!(
        s,
        r#"<title id="elmo-title">{}</title><desc id="elmo-desc">{}</desc>"#,
        escape(&title),
        escape(desc)
    );
    // Result styles only when results are shown, so a plain drawing stays byte-for-byte
    // the same; inside the one `<style>`, which is the one the served page's nonce admits.
    let results = layout
        .nodes
        .iter()
        .flat_map(|b| &b.measure_text)
        .any(|t| t.result.is_some());
    style(&mut s, theme, m, results);
    // Diff styles only when there is a diff, so a plain drawing stays byte-for-byte the same.
    let marked = layout.nodes.iter().any(|b| b.mark.is_some())
        || layout.links.iter().any(|l| l.mark.is_some());
    if marked {
        diff_style(&mut s, theme, m);
    }

    let _ = write!(
        s,
        r#"<defs><marker id="elmo-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="{aw}" markerHeight="{aw}" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker>"#,
        // The marker's units are the stroke's width.
        aw = n(m.arrow / m.link_width)
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
        r#"<g class="heading"><text class="title" x="{}" y="{}">"#,
        n(layout.left),
        n(layout.title_y)
    );
    tspans(&mut s, &layout.title, layout.left, m.title_line());
    s.push_str("</text>");
    if !layout.vision.is_empty() {
        let _ = write!(
            s,
            r#"<text class="vision" x="{}" y="{}">"#,
            n(layout.left),
            n(layout.vision_y)
        );
        tspans(&mut s, &layout.vision, layout.left, m.vision_line());
        s.push_str("</text>");
    }
    s.push_str("</g>");

    s.push_str(r#"<g class="bands">"#);
    for b in &layout.bands {
        let _ = write!(
            s,
            r#"<g class="band {key}" data-stage="{key}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}"/><text class="band-title" x="{tx}" y="{ty}">{title}</text></g>"#,
            key = b.stage.key(),
            x = n(b.x),
            y = n(b.y),
            w = n(b.width),
            h = n(b.height),
            rx = n(m.band_pad * 0.6),
            tx = n(b.title_x),
            ty = n(b.title_y),
            title = b.stage.title(),
        );
    }
    s.push_str("</g>");
    if let Some(c) = &layout.ceiling {
        let _ = write!(
            s,
            r#"<g class="ceiling"><line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke-dasharray="10 6"/><text class="ceiling-label" x="{tx}" y="{ty}">accountability ceiling</text></g>"#,
            x = n(c.x),
            y1 = n(c.top),
            y2 = n(c.bottom),
            tx = n(c.label_x),
            ty = n(c.label_y),
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
        s.push('>');
        if let Some(reason) = &l.reason {
            let _ = write!(s, "<title>{}</title>", escape(reason));
        }
        let _ = write!(
            s,
            r#"<path d="{}" marker-end="url(#{arrow})"/>"#,
            route(l.shape, &l.points)
        );
        s.push_str("</g>");
    }
    s.push_str("</g>");

    s.push_str(r#"<g class="nodes">"#);
    for b in &layout.nodes {
        node(&mut s, b, m);
    }
    s.push_str("</g>");

    // Link markers last, above boxes and links, so nothing hides a number.
    s.push_str(r#"<g class="link-markers">"#);
    for l in &layout.links {
        for mk in &l.markers {
            let _ = write!(
                s,
                r#"<g class="link-marker" data-from="{}" data-to="{}">"#,
                escape(&l.from),
                escape(&l.to)
            );
            marker_shape(&mut s, mk, m);
            s.push_str("</g>");
        }
    }
    s.push_str("</g>");

    legend(&mut s, layout);
    measure_list(&mut s, layout);
    s.push_str("</svg>\n");
    s
}

fn style(s: &mut String, t: &Theme, m: &Metrics, results: bool) {
    let _ = write!(
        s,
        "<style>\
.elmo .bg{{fill:{bg}}}\
.elmo text{{fill:{text};font-size:{label}px}}\
.elmo .title{{font-size:{title}px;font-weight:bold}}\
.elmo .vision{{fill:{muted};font-size:{vision}px;font-style:italic}}\
.elmo .band-title{{font-size:{band}px;font-weight:bold}}\
.elmo .node .box{{fill:{node};stroke-width:{sw}}}\
.elmo .node .measure{{fill:{muted};font-size:{msize}px}}\
.elmo .node .rule{{stroke:{muted};stroke-width:1}}\
.elmo .flag{{fill:{warn};stroke:{warn}}}\
.elmo .flag-text{{fill:{warn_text};font-size:{badge_size}px;font-weight:bold}}\
.elmo .node .flagged{{stroke:{warn}}}\
.elmo .badge{{fill:{badge}}}\
.elmo .badge-text{{fill:{badge_text};font-size:{badge_size}px;font-weight:bold}}\
.elmo .link path{{fill:none;stroke:{link};stroke-width:{lw}}}\
.elmo .leader{{stroke:{link};stroke-width:1;stroke-dasharray:3 2}}\
.elmo .arrow{{fill:{link}}}\
.elmo .amark-text{{fill:{status_text};font-size:{badge_size}px;font-weight:bold}}\
.elmo .key-text{{fill:{text};font-size:{key}px}}\
.elmo .ceiling line{{stroke:{text};stroke-width:2}}\
.elmo .ceiling-label{{fill:{text};font-size:{ceiling}px;font-style:italic}}",
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
        label = n(m.label_size),
        title = n(m.title_size),
        vision = n(m.vision_size),
        band = n(m.band_title_size),
        msize = n(m.measure_size),
        badge_size = n(m.badge_size),
        lw = n(m.link_width),
        key = n(m.key_size),
        ceiling = n(m.ceiling_size),
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
            st.as_str(),
            t.status_fill(st)
        );
    }
    if results {
        let _ = write!(
            s,
            ".elmo .node .measure .result,.elmo .result-shape{{fill:{};font-weight:bold}}.elmo .result-shape{{font-size:{}px}}",
            t.text,
            n(m.key_size * 1.15)
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

/// A route's path data, piece by piece as the layout shaped it.
fn route(shape: RouteShape, points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, [p0, c1, c2, p3]) in pieces(shape, points).into_iter().enumerate() {
        if i == 0 {
            let _ = write!(d, "M{},{}", n(p0.0), n(p0.1));
        }
        if p0 == c1 && c2 == p3 {
            let _ = write!(d, " L{},{}", n(p3.0), n(p3.1));
        } else {
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                n(c1.0),
                n(c1.1),
                n(c2.0),
                n(c2.1),
                n(p3.0),
                n(p3.1)
            );
        }
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
        diff_outline(s, mark, b, m);
    }
    let unmeasured = b.flags.iter().any(|f| f.kind == FlagKind::Unmeasured);
    let disconnected = b.flags.iter().any(|f| f.kind == FlagKind::Disconnected);
    // The outline pattern carries the status without colour: dashed for unmeasured,
    // dotted for disconnected.
    let (class, dash) = match (unmeasured, disconnected) {
        (_, true) => ("box flagged", r#" stroke-dasharray="2 4""#),
        (true, false) => ("box flagged", r#" stroke-dasharray="8 5""#),
        _ => ("box", ""),
    };
    let _ = write!(
        s,
        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="{}"{dash}/>"#,
        n(b.x),
        n(b.y),
        n(b.w),
        n(b.h),
        n(m.pad * 0.7)
    );
    let _ = write!(
        s,
        r#"<text class="label" x="{}" y="{}">"#,
        n(b.text_x),
        n(b.label_y)
    );
    tspans(s, &b.lines, b.text_x, m.label_line);
    s.push_str("</text>");
    if let Some(rule_y) = b.rule_y {
        let _ = write!(
            s,
            r#"<line class="rule" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            n(b.text_x),
            n(rule_y),
            n(b.x + b.w - (b.text_x - b.x)),
            n(rule_y)
        );
    }
    for t in &b.measure_text {
        let _ = write!(s, r#"<text class="measure" x="{}" y="{}""#, n(t.x), n(t.y));
        match &t.result {
            Some(r) => {
                // The status's word is in the hook and the tooltip; the shape is drawn.
                let _ = write!(
                    s,
                    r#" data-measure="{}" data-status="{}"><title>{}</title>"#,
                    escape(&r.id),
                    r.status.word(),
                    escape(&format!(
                        "{}{RESULT_SEPARATOR}{}",
                        t.full.as_deref().unwrap_or(&t.lines.join(" ")),
                        r.tip
                    ))
                );
                measure_lines(s, t, &r.text(), m.measure_line);
            }
            None => {
                s.push('>');
                // A cut measure keeps its whole text as a tooltip.
                if let Some(full) = &t.full {
                    let _ = write!(s, "<title>{}</title>", escape(full));
                }
                tspans(s, &t.lines, t.x, m.measure_line);
            }
        }
        s.push_str("</text>");
        if let Some(r) = t.bullet {
            let _ = write!(
                s,
                r#"<rect class="badge" x="{}" y="{}" width="{}" height="{}"/>"#,
                n(r.x),
                n(r.y),
                n(r.w),
                n(r.h)
            );
        }
    }
    for f in &b.flags {
        let (cx, cy) = f.rect.centre();
        match f.kind {
            FlagKind::Measures => {
                let _ = write!(
                    s,
                    r#"<g class="measure-badge"><rect class="badge" x="{}" y="{}" width="{}" height="{}" rx="{}"/><text class="badge-text" x="{}" y="{}" text-anchor="middle">{}</text></g>"#,
                    n(f.rect.x),
                    n(f.rect.y),
                    n(f.rect.w),
                    n(f.rect.h),
                    n(f.rect.h / 2.0),
                    n(cx),
                    n(cy + m.badge_size * 0.36),
                    b.measure_count
                );
            }
            FlagKind::Unmeasured => warn_triangle(s, cx, cy, m),
            FlagKind::Disconnected => cut_mark(s, cx, cy, m),
        }
    }
    for mk in &b.markers {
        marker_shape(s, mk, m);
    }
    if let Some(mark) = b.mark {
        // Bottom-left: the top edge holds assumption markers and the corner flags.
        diff_badge(s, mark, b.x, b.y + b.h, m);
    }
    s.push_str("</g>");
}

/// A measure's lines with its result after the label, in its own `tspan` so it can be bold:
/// on the last line, or on a line of its own when the layout put it there.
fn measure_lines(s: &mut String, t: &MeasureText, result: &str, line: f64) {
    let last = t.lines.len().saturating_sub(1);
    for (i, l) in t.lines.iter().enumerate() {
        let dy = if i == 0 {
            String::new()
        } else {
            format!(r#" dy="{}""#, n(line))
        };
        let _ = write!(s, r#"<tspan x="{}"{dy}>{}"#, n(t.x), escape(l));
        if i == last && !t.result_line {
            let _ = write!(
                s,
                r#"{RESULT_SEPARATOR}<tspan class="result">{}</tspan>"#,
                escape(result)
            );
        }
        s.push_str("</tspan>");
    }
    if t.result_line {
        let _ = write!(
            s,
            r#"<tspan x="{}" dy="{}" class="result">{}</tspan>"#,
            n(t.x),
            n(line),
            escape(result)
        );
    }
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

fn diff_style(s: &mut String, t: &Theme, m: &Metrics) {
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
.elmo .diff-badge-text{{fill:{text};font-size:{size}px;font-weight:bold}}\
</style>",
        added = t.added,
        removed = t.removed,
        changed = t.changed,
        text = t.diff_text,
        size = n(m.mark_r * 1.35),
    );
}

/// A thick outline a little outside the box: colour says added or changed, and the badge
/// says it again without colour.
fn diff_outline(s: &mut String, mark: Mark, b: &NodeBox, m: &Metrics) {
    if mark == Mark::Removed {
        return;
    }
    let out = m.pad * 0.36;
    let _ = write!(
        s,
        r#"<rect class="diff-outline" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
        n(b.x - out),
        n(b.y - out),
        n(b.w + 2.0 * out),
        n(b.h + 2.0 * out),
        n(m.pad)
    );
}

/// A round badge centred on (x, y): `+` added, `−` removed, `~` changed.
fn diff_badge(s: &mut String, mark: Mark, x: f64, y: f64, m: &Metrics) {
    let sign = match mark {
        Mark::Added => "+",
        Mark::Removed => "\u{2212}",
        Mark::Changed => "~",
    };
    let _ = write!(
        s,
        r#"<g class="diff-mark"><circle class="diff-badge {w}" cx="{cx}" cy="{cy}" r="{r}"/><text class="diff-badge-text" x="{cx}" y="{ty}" text-anchor="middle">{sign}</text></g>"#,
        w = mark.word(),
        cx = n(x),
        cy = n(y),
        r = n(m.mark_r),
        ty = n(y + m.mark_r * 0.45),
    );
}

fn warn_triangle(s: &mut String, cx: f64, cy: f64, m: &Metrics) {
    let r = m.mark_r;
    let _ = write!(
        s,
        r#"<g class="flag-unmeasured"><path class="flag" d="M{},{} L{},{} L{},{} z"/><text class="flag-text" x="{}" y="{}" text-anchor="middle">!</text></g>"#,
        n(cx),
        n(cy - r),
        n(cx + r),
        n(cy + r * 0.82),
        n(cx - r),
        n(cy + r * 0.82),
        n(cx),
        n(cy + r * 0.6)
    );
}

fn cut_mark(s: &mut String, cx: f64, cy: f64, m: &Metrics) {
    let r = m.mark_r * 0.9;
    let _ = write!(
        s,
        r#"<g class="flag-disconnected"><circle class="flag" cx="{}" cy="{}" r="{}"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="2.5" class="flag-line"/></g>"#,
        n(cx),
        n(cy),
        n(r),
        n(cx - r * 0.6),
        n(cy + r * 0.6),
        n(cx + r * 0.6),
        n(cy - r * 0.6)
    );
}

/// A marker's outline: the shape tells the status apart without colour. Each shape is
/// sized from the marker's radius.
fn marker_path(status: Status, x: f64, y: f64, r: f64) -> String {
    match status {
        Status::Untested => format!(
            "M{},{} a{r},{r} 0 1,0 {},0 a{r},{r} 0 1,0 -{},0 z",
            n(x - r),
            n(y),
            n(2.0 * r),
            n(2.0 * r),
            r = n(r)
        ),
        Status::Holding => {
            let h = r * 0.86;
            format!(
                "M{},{} h{} v{} h-{} z",
                n(x - h),
                n(y - h),
                n(2.0 * h),
                n(2.0 * h),
                n(2.0 * h)
            )
        }
        Status::Challenged => {
            let d = r * 1.18;
            format!(
                "M{},{} L{},{} L{},{} L{},{} z",
                n(x),
                n(y - d),
                n(x + d),
                n(y),
                n(x),
                n(y + d),
                n(x - d),
                n(y)
            )
        }
        // A triangle pointing down: nothing else in the diagram has that shape.
        Status::Refuted => format!(
            "M{},{} L{},{} L{},{} z",
            n(x - r * 1.27),
            n(y - r * 0.9),
            n(x + r * 1.27),
            n(y - r * 0.9),
            n(x),
            n(y + r * 1.36)
        ),
    }
}

fn marker_shape(s: &mut String, mk: &Marker, m: &Metrics) {
    let word = mk.status.as_str();
    if let Some((ax, ay)) = mk.leader {
        let _ = write!(
            s,
            r#"<line class="leader" x1="{}" y1="{}" x2="{}" y2="{}"/><circle class="leader-dot" cx="{}" cy="{}" r="{}"/>"#,
            n(ax),
            n(ay),
            n(mk.x),
            n(mk.y),
            n(ax),
            n(ay),
            n(m.link_width * 1.4)
        );
    }
    let _ = write!(
        s,
        r#"<g class="assumption-marker" data-assumption="{num}" data-status="{word}"><path class="amark {word}" d="{d}"/><text class="amark-text" x="{x}" y="{y}" text-anchor="middle">{num}</text></g>"#,
        // The legend's sample markers carry no number.
        num = if mk.number == 0 {
            String::new()
        } else {
            mk.number.to_string()
        },
        d = marker_path(mk.status, mk.x, mk.y, m.mark_r),
        x = n(mk.x),
        // The downward triangle's body sits high, so its number does too.
        y = n(mk.y
            + if mk.status == Status::Refuted {
                m.badge_size * 0.08
            } else {
                m.badge_size * 0.36
            }),
    );
}

fn measure_list(s: &mut String, layout: &Layout) {
    if layout.measure_list.is_empty() {
        return;
    }
    let m = &layout.metrics;
    let _ = write!(
        s,
        r#"<g class="measure-list"><text class="key-text" x="{}" y="{}" font-weight="bold">Measures in full</text>"#,
        n(layout.left),
        n(layout.measure_list_y)
    );
    for e in &layout.measure_list {
        key_text(s, &e.lines, e.x, e.y, m.key_line);
    }
    s.push_str("</g>");
}

/// Lines of the key's text starting at (`x`, `y`).
fn key_text(s: &mut String, lines: &[String], x: f64, y: f64, line: f64) {
    let _ = write!(s, r#"<text class="key-text" x="{}" y="{}">"#, n(x), n(y));
    tspans(s, lines, x, line);
    s.push_str("</text>");
}

fn legend(s: &mut String, layout: &Layout) {
    let m = &layout.metrics;
    let _ = write!(
        s,
        r#"<g class="legend"><text class="key-text" x="{}" y="{}" font-weight="bold">Key</text>"#,
        n(layout.left),
        n(layout.key_y)
    );
    let r = m.mark_r;
    for item in &layout.legend {
        let (cx, cy) = (item.x, item.mark_y);
        match item.mark {
            LegendMark::Link => {
                let _ = write!(
                    s,
                    r#"<g class="link"><path d="M{},{} L{},{}" marker-end="url(#elmo-arrow)"/></g>"#,
                    n(cx - r),
                    n(cy),
                    n(cx + r),
                    n(cy)
                );
            }
            LegendMark::Measures => {
                let w = m.badge_h * 1.2;
                let _ = write!(
                    s,
                    r#"<rect class="badge" x="{}" y="{}" width="{}" height="{}" rx="{}"/><text class="badge-text" x="{}" y="{}" text-anchor="middle">2</text>"#,
                    n(cx - w / 2.0),
                    n(cy - m.badge_h / 2.0),
                    n(w),
                    n(m.badge_h),
                    n(m.badge_h / 2.0),
                    n(cx),
                    n(cy + m.badge_size * 0.36)
                );
            }
            LegendMark::Unmeasured => warn_triangle(s, cx, cy, m),
            LegendMark::Disconnected => cut_mark(s, cx, cy, m),
            LegendMark::Assumption(status) => marker_shape(
                s,
                &Marker {
                    number: 0,
                    status,
                    x: cx,
                    y: cy,
                    leader: None,
                },
                m,
            ),
            LegendMark::Diff(mark) => {
                let _ = write!(s, r#"<g class="legend-diff diff-{}">"#, mark.word());
                diff_badge(s, mark, cx, cy, m);
                s.push_str("</g>");
            }
            LegendMark::Result(status) => {
                let _ = write!(
                    s,
                    r#"<text class="result-shape" data-status="{}" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                    status.word(),
                    n(cx),
                    n(cy + m.key_size * 0.42),
                    status.shape()
                );
            }
            LegendMark::Ceiling => {
                let _ = write!(
                    s,
                    r#"<g class="ceiling"><line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke-dasharray="5 3"/></g>"#,
                    n(cy - r),
                    n(cy + r),
                    x = n(cx)
                );
            }
        }
        let _ = write!(
            s,
            r#"<text class="key-text" x="{}" y="{}">{}</text>"#,
            n(item.text_x),
            n(item.y),
            escape(&item.text)
        );
    }
    s.push_str("</g>");
    if layout.assumptions.is_empty() {
        return;
    }
    let _ = write!(
        s,
        r#"<g class="assumption-key"><text class="key-text" x="{}" y="{}" font-weight="bold">Assumptions</text>"#,
        n(layout.left),
        n(layout.assumptions_y)
    );
    for a in &layout.assumptions {
        let stages: Vec<&str> = a.stages.iter().map(|s| s.key()).collect();
        let _ = write!(
            s,
            r#"<g class="assumption" data-id="{}" data-status="{}" data-stages="{}">"#,
            escape(&a.id),
            a.status.as_str(),
            stages.join(" ")
        );
        marker_shape(
            s,
            &Marker {
                number: a.number,
                status: a.status,
                x: a.x,
                y: a.y - m.key_size * 0.35,
                leader: None,
            },
            m,
        );
        key_text(s, &a.lines, a.text_x, a.y, m.key_line);
        s.push_str("</g>");
    }
    s.push_str("</g>");
}
