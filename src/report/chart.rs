//! A small inline-SVG chart of one measure's results for the HTML report.
//!
//! The programme's readings over time (each at the end of its period, on a time axis so
//! uneven gaps stay uneven), their 95% interval as a band, the comparison group as a dashed
//! series with hollow squares, and the baseline, target and straight-line trajectory as
//! lines of their own dash patterns. Every series differs by line pattern and marker shape
//! as well as colour, the legend says which is which, and the status is written as a shape
//! and a word, so the chart reads the same printed in black and white.

use std::fmt::Write;

use super::results::{ResultEntry, SYNTHETIC, status_text};
use crate::escape::xml as escape;
use crate::results::{Period, Point, shown};

const W: f64 = 640.0;
const H: f64 = 300.0;
const LEFT: f64 = 62.0;
const RIGHT: f64 = 500.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 206.0;

const COMPARISON_SHIFT: f64 = 9.0;
const PROGRAMME: &str = "#1d4ed8";
const COMPARISON: &str = "#b45309";
const BASELINE: &str = "#4b5563";
const TARGET: &str = "#047857";

/// The x position of a period: the day it ends.
fn day(p: Period) -> f64 {
    p.end().days() as f64
}

/// A round step for about `n` ticks over `span`.
fn nice_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(f64::EPSILON);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

struct Scale {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Scale {
    fn x(&self, v: f64) -> f64 {
        LEFT + (v - self.x0) / (self.x1 - self.x0) * (RIGHT - LEFT)
    }
    /// A comparison reading's x: a little to the right, so that when both groups are read
    /// in the same period neither hides the other's interval.
    fn xc(&self, v: f64) -> f64 {
        self.x(v) + COMPARISON_SHIFT
    }
    fn y(&self, v: f64) -> f64 {
        BOTTOM - (v - self.y0) / (self.y1 - self.y0) * (BOTTOM - TOP)
    }
}

/// The chart of `e` as an SVG element, its ids starting with `id` (unique in the page).
pub fn svg(e: &ResultEntry, id: &str) -> String {
    let r = &e.result;
    let prog: Vec<&Point> = e.programme().collect();
    let comp: Vec<&Point> = e.comparison().collect();
    let trajectory = match (e.baseline_period, e.target_by, r.baseline, r.target) {
        (Some(bp), Some(tb), Some(b), Some(t)) if tb.end().days() > bp.end().days() => {
            Some(((day(bp), b), (day(tb), t)))
        }
        _ => None,
    };
    let mut xs: Vec<f64> = prog.iter().chain(&comp).map(|p| day(p.period)).collect();
    if let Some(((a, _), (b, _))) = trajectory {
        xs.extend([a, b]);
    }
    let mut ys: Vec<f64> = Vec::new();
    for p in prog.iter().chain(&comp) {
        ys.push(p.value);
        if let Some((lo, hi)) = p.ci {
            ys.extend([lo, hi]);
        }
    }
    ys.extend(r.baseline);
    ys.extend(r.target);
    let (xmin, xmax) = bounds(&xs);
    let (ymin, ymax) = bounds(&ys);
    // A lone period sits in the middle; otherwise 6% of room at each end for the markers.
    let xpad = if xmax > xmin {
        (xmax - xmin) * 0.06
    } else {
        180.0
    };
    let span = if ymax > ymin {
        ymax - ymin
    } else {
        ymax.abs().max(1.0)
    };
    let step = nice_step(span, 4.0);
    let mut y0 = ((ymin - span * 0.05) / step).floor() * step;
    let mut y1 = ((ymax + span * 0.05) / step).ceil() * step;
    if e.percent {
        y0 = y0.max(0.0);
        y1 = y1.min(100.0);
    }
    if ymin >= 0.0 {
        y0 = y0.max(0.0);
    }
    if y1 <= y0 {
        y1 = y0 + step;
    }
    let sc = Scale {
        x0: xmin - xpad,
        x1: xmax + xpad,
        y0,
        y1,
    };

    let mut s = String::new();
    let title = format!("{}: {}", r.label, e.status());
    let _ = write!(
        s,
        "<svg class=\"result-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" font-family=\"DejaVu Sans, Segoe UI, Arial, sans-serif\" font-size=\"11\">\n<title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>\n",
        escape(&title),
        escape(&describe(e))
    );
    // The status, as a shape and a word, above the plot; synthetic data says so beside it.
    let _ = writeln!(
        s,
        "<text x=\"{LEFT}\" y=\"18\" font-size=\"13\" font-weight=\"bold\" fill=\"#1f2328\">{}</text>",
        escape(&e.status())
    );
    if e.synthetic {
        let _ = writeln!(
            s,
            "<text x=\"{RIGHT}\" y=\"18\" text-anchor=\"end\" font-size=\"12\" font-weight=\"bold\" fill=\"#9a3412\" letter-spacing=\"1\">SYNTHETIC DATA</text>"
        );
    }
    // Grid and y axis.
    let mut v = y0;
    while v <= y1 + step * 1e-6 {
        let y = sc.y(v);
        let _ = writeln!(
            s,
            "<line x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e5e7eb\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#4d5661\">{}</text>",
            LEFT - 6.0,
            y + 4.0,
            escape(&tick(e, round(v)))
        );
        v += step;
    }
    let _ = writeln!(
        s,
        "<line x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{BOTTOM}\" stroke=\"#6b7280\"/><line x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{BOTTOM}\" y2=\"{BOTTOM}\" stroke=\"#6b7280\"/>"
    );
    let unit = r.unit.clone().unwrap_or_else(|| "value".to_string());
    let _ = writeln!(
        s,
        "<text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\" fill=\"#4d5661\">{}</text>",
        (TOP + BOTTOM) / 2.0,
        escape(&shorten(&unit, 30))
    );
    // X axis: each period reported, at the day it ends; thinned when crowded.
    let mut periods: Vec<Period> = prog.iter().chain(&comp).map(|p| p.period).collect();
    periods.sort();
    periods.dedup();
    let every = periods.len().div_ceil(8).max(1);
    let slanted = periods.len() > 5;
    for (i, p) in periods.iter().enumerate() {
        let x = sc.x(day(*p));
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{BOTTOM}\" y2=\"{:.1}\" stroke=\"#6b7280\"/>",
            BOTTOM + 4.0
        );
        if i % every == 0 || i + 1 == periods.len() {
            let label = escape(&p.to_string());
            if slanted {
                let _ = write!(
                    s,
                    "<text transform=\"translate({:.1} {:.1}) rotate(-35)\" text-anchor=\"end\" fill=\"#4d5661\">{label}</text>",
                    x + 3.0,
                    BOTTOM + 14.0
                );
            } else {
                let _ = write!(
                    s,
                    "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#4d5661\">{label}</text>",
                    BOTTOM + 17.0
                );
            }
        }
    }
    s.push('\n');
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#4d5661\">period (each reading at the end of its period)</text>",
        (LEFT + RIGHT) / 2.0,
        BOTTOM + if slanted { 62.0 } else { 34.0 }
    );
    // Reference lines, labelled at the right so no legend lookup is needed for them.
    let mut labels: Vec<(f64, String, &str)> = Vec::new();
    if let Some(b) = r.baseline {
        line(&mut s, &sc, b, BASELINE, "2 3");
        labels.push((sc.y(b), format!("baseline {}", e.value(b)), BASELINE));
    }
    if let Some(t) = r.target {
        line(&mut s, &sc, t, TARGET, "9 4");
        labels.push((sc.y(t), format!("target {}", e.value(t)), TARGET));
    }
    if let Some(((xa, ya), (xb, yb))) = trajectory {
        let _ = writeln!(
            s,
            "<line class=\"trajectory\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{TARGET}\" stroke-width=\"1\" stroke-dasharray=\"1 3\"/>",
            sc.x(xa),
            sc.y(ya),
            sc.x(xb),
            sc.y(yb)
        );
    }
    // Labels that would overlap are pushed apart.
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    for i in 1..labels.len() {
        if labels[i].0 - labels[i - 1].0 < 13.0 {
            labels[i].0 = labels[i - 1].0 + 13.0;
        }
    }
    for (y, text, colour) in &labels {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}</text>",
            RIGHT + 6.0,
            y + 4.0,
            escape(text)
        );
    }
    // The intervals: a band over consecutive readings that have one, a bar for a lone one.
    band(&mut s, &sc, &prog, PROGRAMME, "0.16");
    whiskers(&mut s, &sc, &comp, COMPARISON);
    // The comparison group, dashed with hollow squares.
    series(&mut s, &sc, &comp, COMPARISON, Some("6 4"));
    for p in &comp {
        let (x, y) = (sc.xc(day(p.period)), sc.y(p.value));
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"{COMPARISON}\" stroke-width=\"1.5\"/>",
            x - 3.5,
            y - 3.5
        );
    }
    // The programme, solid with filled circles; its latest value written beside it.
    series(&mut s, &sc, &prog, PROGRAMME, None);
    for p in &prog {
        let _ = writeln!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{PROGRAMME}\"/>",
            sc.x(day(p.period)),
            sc.y(p.value)
        );
    }
    if let Some(l) = &r.latest {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"{PROGRAMME}\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">{}</text>",
            sc.x(day(l.period)),
            sc.y(l.value) - 9.0,
            escape(&e.value(l.value))
        );
    }
    legend(&mut s, e, &prog, &comp, trajectory.is_some());
    s.push_str("</svg>");
    s
}

/// The lowest and highest of `v` (0 and 1 when empty).
fn bounds(v: &[f64]) -> (f64, f64) {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// A tick label: the unit's `%` but no fixed decimals, since ticks are round numbers.
fn tick(e: &ResultEntry, v: f64) -> String {
    if e.percent {
        format!("{}%", shown(v))
    } else {
        shown(v)
    }
}

/// A tick value without the float noise of repeated addition.
fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

fn line(s: &mut String, sc: &Scale, v: f64, colour: &str, dash: &str) {
    let y = sc.y(v);
    let _ = writeln!(
        s,
        "<line x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"{dash}\"/>"
    );
}

fn series(s: &mut String, sc: &Scale, points: &[&Point], colour: &str, dash: Option<&str>) {
    if points.len() < 2 {
        return;
    }
    let shift = if dash.is_some() {
        COMPARISON_SHIFT
    } else {
        0.0
    };
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", sc.x(day(p.period)) + shift, sc.y(p.value)))
        .collect();
    let dash = dash
        .map(|d| format!(" stroke-dasharray=\"{d}\""))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
        path.join(" ")
    );
}

fn band(s: &mut String, sc: &Scale, points: &[&Point], colour: &str, opacity: &str) {
    let mut run: Vec<(f64, f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64, f64)>, s: &mut String| {
        match run.len() {
            0 => {}
            1 => {
                let (x, lo, hi) = run[0];
                let _ = writeln!(
                    s,
                    "<path d=\"M{:.1},{lo:.1}V{hi:.1}M{:.1},{lo:.1}H{:.1}M{:.1},{hi:.1}H{:.1}\" stroke=\"{colour}\" stroke-width=\"1.2\" fill=\"none\"/>",
                    x,
                    x - 4.0,
                    x + 4.0,
                    x - 4.0,
                    x + 4.0
                );
            }
            _ => {
                let top: Vec<String> = run
                    .iter()
                    .map(|(x, _, hi)| format!("{x:.1},{hi:.1}"))
                    .collect();
                let bottom: Vec<String> = run
                    .iter()
                    .rev()
                    .map(|(x, lo, _)| format!("{x:.1},{lo:.1}"))
                    .collect();
                let _ = writeln!(
                    s,
                    "<polygon class=\"interval\" points=\"{} {}\" fill=\"{colour}\" fill-opacity=\"{opacity}\" stroke=\"{colour}\" stroke-opacity=\"0.45\" stroke-width=\"0.8\"/>",
                    top.join(" "),
                    bottom.join(" ")
                );
            }
        }
        run.clear();
    };
    for p in points {
        match p.ci {
            Some((lo, hi)) => run.push((sc.x(day(p.period)), sc.y(lo), sc.y(hi))),
            None => flush(&mut run, s),
        }
    }
    flush(&mut run, s);
}

fn whiskers(s: &mut String, sc: &Scale, points: &[&Point], colour: &str) {
    for p in points {
        if let Some((lo, hi)) = p.ci {
            let x = sc.xc(day(p.period));
            let (lo, hi) = (sc.y(lo), sc.y(hi));
            let _ = writeln!(
                s,
                "<path d=\"M{x:.1},{lo:.1}V{hi:.1}M{:.1},{lo:.1}H{:.1}M{:.1},{hi:.1}H{:.1}\" stroke=\"{colour}\" stroke-width=\"1\" fill=\"none\"/>",
                x - 3.0,
                x + 3.0,
                x - 3.0,
                x + 3.0
            );
        }
    }
}

/// The key under the plot: one sample of each thing drawn, in the same pattern.
fn legend(s: &mut String, e: &ResultEntry, prog: &[&Point], comp: &[&Point], trajectory: bool) {
    let mut items: Vec<(String, String)> = Vec::new();
    let sample = |colour: &str, dash: &str, width: f64| {
        format!(
            "<line x1=\"0\" x2=\"22\" y1=\"-4\" y2=\"-4\" stroke=\"{colour}\" stroke-width=\"{width}\"{dash}/>"
        )
    };
    items.push((
        format!(
            "{}<circle cx=\"11\" cy=\"-4\" r=\"3.5\" fill=\"{PROGRAMME}\"/>",
            sample(PROGRAMME, "", 2.0)
        ),
        "programme".to_string(),
    ));
    if prog.iter().any(|p| p.ci.is_some()) {
        items.push((
            format!("<rect x=\"0\" y=\"-10\" width=\"22\" height=\"12\" fill=\"{PROGRAMME}\" fill-opacity=\"0.16\" stroke=\"{PROGRAMME}\" stroke-opacity=\"0.45\" stroke-width=\"0.8\"/>"),
            "95% interval".to_string(),
        ));
    } else {
        items.push((String::new(), "(no n, so no interval)".to_string()));
    }
    if !comp.is_empty() {
        items.push((
            format!(
                "{}<rect x=\"7.5\" y=\"-7.5\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"{COMPARISON}\" stroke-width=\"1.5\"/>",
                sample(COMPARISON, " stroke-dasharray=\"6 4\"", 2.0)
            ),
            "comparison group".to_string(),
        ));
    }
    if e.result.baseline.is_some() {
        items.push((
            sample(BASELINE, " stroke-dasharray=\"2 3\"", 1.5),
            "baseline".to_string(),
        ));
    }
    if e.result.target.is_some() {
        items.push((
            sample(TARGET, " stroke-dasharray=\"9 4\"", 1.5),
            "target".to_string(),
        ));
    }
    if trajectory {
        items.push((
            sample(TARGET, " stroke-dasharray=\"1 3\"", 1.0),
            "straight line to target".to_string(),
        ));
    }
    let y = H - 8.0;
    let mut x = LEFT;
    for (mark, text) in items {
        let _ = write!(s, "<g transform=\"translate({x:.1} {y:.1})\">{mark}");
        let tx = if mark.is_empty() { 0.0 } else { 27.0 };
        let _ = write!(
            s,
            "<text x=\"{tx}\" y=\"0\" fill=\"#1f2328\">{text}</text></g>"
        );
        // System fonts vary: allow about 6.3 px a character.
        x += tx + text.chars().count() as f64 * 6.3 + 16.0;
    }
    s.push('\n');
}

/// The chart in words, for screen readers and for anyone who cannot see the lines.
fn describe(e: &ResultEntry) -> String {
    let r = &e.result;
    let readings = |points: Vec<&Point>| {
        points
            .iter()
            .map(|p| {
                let ci = match p.ci {
                    Some((lo, hi)) => format!(" (95% CI {}–{})", shown(lo), shown(hi)),
                    None => String::new(),
                };
                format!("{} {}{ci}", p.period, e.value(p.value))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!("Programme: {}.", readings(e.programme().collect()));
    let comp: Vec<&Point> = e.comparison().collect();
    if !comp.is_empty() {
        s.push_str(&format!(" Comparison group: {}.", readings(comp)));
    }
    if let Some(b) = r.baseline {
        s.push_str(&format!(" Baseline {}.", e.value(b)));
    }
    if let Some(t) = r.target {
        s.push_str(&format!(" Target {}.", e.value(t)));
    }
    s.push_str(&format!(" Status: {}: {}.", r.status.word(), r.reason));
    if e.synthetic {
        s.push(' ');
        s.push_str(SYNTHETIC);
    }
    s
}

/// The status for a chart's caption.
pub fn caption(e: &ResultEntry) -> String {
    format!("{}: {}", status_text(e.result.status), e.result.reason)
}
