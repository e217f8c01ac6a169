//! The report as one self-contained HTML page that prints cleanly to A4.
//!
//! Everything is inline: the style sheet, and the diagram as SVG in the light theme. There is
//! no script and no external font, image or link, so the file can be mailed, attached to a
//! board paper or opened years later.
//!
//! Printed, the title and the diagram get an A4 landscape page of their own (a named `@page`),
//! the diagram scaled to fill what the title leaves of it whatever its shape; the tables
//! follow on portrait pages, repeating their header on each page and never splitting a row.
//! Every page carries its number in a page-margin box, and, when the report has a
//! [`Stamp`](super::stamp::Stamp), the date and the model's version.

use std::fmt::Write;

use super::results::{HOW_TO_READ, ResultEntry, SYNTHETIC, arm_word, counts};
use super::{Report, STATUS_ORDER, capitalised, status_heading, status_note};
use crate::escape::xml as escape;
use crate::model::MeasureKind;
use crate::model::Stage;

/// Style for screen and print. System fonts only: nothing is fetched.
/// The report runs no script and loads nothing: if a model's text ever slipped past the
/// escaping, the browser would still refuse to run it or fetch anything it names.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS: &str = r#"
:root { --text: #1f2328; --muted: #4d5661; --rule: #d0d7de; --head: #f3f5f8; --warn: #9a3412; --warn-bg: #fff4e5; }
* { box-sizing: border-box; }
html { color: var(--text); background: #fff; font-family: "DejaVu Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 11pt; line-height: 1.4; }
body { margin: 0 auto; max-width: 60rem; padding: 2rem 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p { margin: .4rem 0 .8rem; }
p.vision { font-style: italic; color: var(--muted); font-size: 1.1rem; }
.context { color: var(--muted); }
figure.diagram { margin: 1rem 0; }
figure.diagram svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .85rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td ul.plain { margin: 0; padding-left: 1rem; }
td ul.plain li { margin: 0 0 .15rem; }
thead th { background: var(--head); }
td.node { font-weight: bold; }
td.none { color: var(--warn); font-style: italic; }
td.first { border-top: 2px solid var(--muted); }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .9em; }
ul.gaps { margin: .2rem 0 1rem; padding-left: 1.3rem; }
ul.gaps li { margin: .15rem 0; }
.help { color: var(--muted); }
.flag { color: var(--warn); font-weight: bold; }
tr.flagged td { background: var(--warn-bg); }
.callout { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: .4rem .7rem; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; color: #fff; font-size: .8rem; font-weight: bold; }
.status.refuted { background: #b91c1c; } .status.challenged { background: #a14a06; }
.status.untested { background: #5c6470; } .status.holding { background: #15703a; }
section.results article { break-inside: avoid; page-break-inside: avoid; margin-bottom: 1.4rem; }
figure.chart { margin: .4rem 0; max-width: 40rem; }
figure.chart svg { display: block; width: 100%; height: auto; }
.rstatus { display: inline-block; padding: 0 .45rem; border-radius: .6rem; border: 1.5px solid currentColor; font-size: .8rem; font-weight: bold; white-space: nowrap; }
.rstatus.met, .rstatus.on-track { color: #15703a; } .rstatus.at-risk { color: #a14a06; }
.rstatus.off-track { color: #b91c1c; } .rstatus.stale, .rstatus.no-data { color: #4d5661; }
.synthetic { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: .3rem .6rem; font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@page diagram { size: A4 landscape; margin: 8mm 10mm 14mm; }
@media print {
  html { font-size: 9.5pt; }
  body { max-width: none; padding: 0; }
  /* The landscape page's content box is 277 x 188 mm: the cover takes all of its height (less
     a little for rounding, which would otherwise spill a blank page), the title keeps its
     own height and the diagram stretches into the rest, scaled to fit both ways. */
  section.cover { page: diagram; break-after: page; height: 186mm; display: flex; flex-direction: column; }
  section.cover header { flex: none; }
  section.cover h1 { font-size: 1.5rem; margin: 0; }
  section.cover p.vision { margin: .1rem 0 .3rem; font-size: 1rem; }
  section.cover h2 { display: none; }
  figure.diagram { margin: 0; flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; }
  figure.diagram svg { flex: 1 1 0; min-height: 0; width: 100%; height: 100%; }
  figcaption { flex: none; }
  h2, h3, p.note { break-after: avoid; page-break-after: avoid; }
  table.framework { font-size: .8rem; }
  table { break-inside: auto; }
  thead { display: table-header-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// `s` as a CSS string: everything but letters, digits and a few safe marks written as a
/// hexadecimal escape, so no text can end the string or the style sheet (`</style>`).
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | ':' | '-' | '(' | ')') {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", c as u32);
        }
    }
    out.push('"');
    out
}

/// The page-margin boxes: the page number on every page, the stamp when there is one, and
/// the title at the head of the portrait pages (the landscape page shows it large).
fn page_margins(r: &Report) -> String {
    let font = "font-family: \"DejaVu Sans\", \"Segoe UI\", Arial, sans-serif; font-size: 8pt; color: #4d5661;";
    let mut css = format!(
        "@page {{ @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {font} }}"
    );
    if let Some(st) = &r.stamp {
        let _ = write!(
            css,
            " @bottom-left {{ content: {}; {font} }}",
            css_string(&format!("Made {} from {}", st.date, st.version))
        );
    }
    let _ = write!(
        css,
        " @top-left {{ content: {}; {font} }} }}\n@page diagram {{ @top-left {{ content: none; }} }}",
        css_string(&format!("Measurement framework: {}", r.title))
    );
    css
}

/// Escapes a diagnostic message, showing its backtick-quoted ids as code.
fn message(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 && !part.is_empty() {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn opt(v: &Option<String>) -> String {
    v.as_deref().map(escape).unwrap_or_default()
}

/// The report as an HTML document, with `diagram` (an SVG document) embedded when given.
pub fn html(r: &Report, diagram: Option<&str>) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"elmo {}\">\n<title>Measurement framework: {}</title>\n<style>{CSS}</style>\n<style>{}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&r.title),
        page_margins(r)
    );
    // The cover: title, vision and the diagram, printed on a landscape page of its own
    // because the diagram is wide.
    let _ = writeln!(
        s,
        "<section class=\"cover\">\n<header>\n<h1>Measurement framework: {}</h1>",
        escape(&r.title)
    );
    if let Some(v) = &r.vision {
        let _ = writeln!(s, "<p class=\"vision\">Vision: {}</p>", escape(v));
    }
    s.push_str("</header>\n");
    if let Some(svg) = diagram {
        // The SVG embeds as-is: it has no XML prolog, and its text was escaped when drawn.
        let _ = writeln!(
            s,
            "<h2>Logic model</h2>\n<figure class=\"diagram\">\n{}\n<figcaption>Stages run left to right; numbered markers are the assumptions listed below.</figcaption>\n</figure>",
            svg.trim_end()
        );
    }
    s.push_str("</section>\n");
    if let Some(c) = &r.context {
        let _ = writeln!(
            s,
            "<section class=\"context\">\n<h2>Context</h2>\n<p class=\"context\">{}</p>\n</section>",
            escape(c)
        );
    }
    let _ = writeln!(
        s,
        "<section class=\"readiness\">\n<h2>Readiness</h2>\n<p>{}</p>\n</section>",
        escape(&r.readiness.summary())
    );
    results(&mut s, r);
    measures(&mut s, r);
    gaps(&mut s, r);
    contribution(&mut s, r);
    links(&mut s, r);
    assumptions(&mut s, r);
    stakeholders(&mut s, r);
    unexpected(&mut s, r);
    sources(&mut s, r);
    let made = match &r.stamp {
        Some(st) => format!(
            " on {} from the model file ({})",
            st.date,
            escape(&st.version.to_string())
        ),
        None => " from the model file".to_string(),
    };
    let _ = writeln!(
        s,
        "<footer>Made by elmo {}{made}; regenerate with <code>elmo report --format html</code>.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    s
}

fn results(s: &mut String, r: &Report) {
    let Some(res) = &r.results else {
        return;
    };
    let _ = writeln!(
        s,
        "<section class=\"results\">\n<h2>Results</h2>\n<p>As of {}: {}.</p>\n<p class=\"note\">{}</p>",
        res.as_of,
        escape(&res.summary),
        escape(HOW_TO_READ)
    );
    if res.any_synthetic() {
        let _ = writeln!(s, "<p class=\"synthetic\">⚠ {}</p>", escape(SYNTHETIC));
    }
    if !res.measures.is_empty() {
        s.push_str("<table class=\"results-summary\">\n<thead><tr><th>Measure</th><th>Status</th><th>Latest</th><th>95% CI</th><th>Baseline</th><th>Target</th><th>Progress</th><th>Comparison</th></tr></thead>\n<tbody>\n");
        for e in &res.measures {
            let m = &e.result;
            let _ = writeln!(
                s,
                "<tr data-measure=\"{}\"><td>{}{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                escape(&m.id),
                escape(&m.label),
                if e.synthetic {
                    " <strong>(synthetic data)</strong>"
                } else {
                    ""
                },
                status_badge(e),
                escape(&e.latest()),
                escape(&e.latest_interval()),
                escape(&e.maybe(m.baseline)),
                escape(&e.maybe(m.target)),
                escape(&e.progress()),
                escape(&e.comparison_text()),
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    for (i, e) in res.measures.iter().enumerate() {
        let m = &e.result;
        let _ = writeln!(
            s,
            "<article class=\"result\" data-measure=\"{}\">\n<h3>{} {}</h3>",
            escape(&m.id),
            escape(&m.label),
            status_badge(e)
        );
        if e.synthetic {
            let _ = writeln!(s, "<p class=\"synthetic\">⚠ {}</p>", escape(SYNTHETIC));
        }
        let _ = writeln!(
            s,
            "<figure class=\"chart\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
            super::chart::svg(e, &format!("chart{}", i + 1)),
            escape(&super::chart::caption(e))
        );
        let mut notes = Vec::new();
        if let Some(b) = e.baseline_text() {
            notes.push(format!("Against the baseline: {b}."));
        }
        if m.comparison.is_some() {
            notes.push(format!(
                "Against the comparison group: {}.",
                e.comparison_text()
            ));
        }
        for n in notes {
            let _ = writeln!(s, "<p>{}</p>", escape(&n));
        }
        series_table(s, e);
        s.push_str("</article>\n");
    }
    if !res.unreported.is_empty() {
        let items: String = res
            .unreported
            .iter()
            .map(|l| format!("<li>{}</li>", escape(l)))
            .collect();
        let _ = writeln!(
            s,
            "<h3>No reading yet</h3>\n<ul class=\"plain\">{items}</ul>"
        );
    }
    s.push_str("</section>\n");
}

/// Every reading of a measure: one row per period, one column per group and arm (the whole
/// group first), each cell the value, its interval and its counts. Notes follow the table,
/// once when every reading has the same one.
fn series_table(s: &mut String, e: &ResultEntry) {
    let m = &e.result;
    let mut columns: Vec<(&str, crate::results::Arm)> = Vec::new();
    for p in &m.series {
        if !columns.contains(&(p.group.as_str(), p.arm)) {
            columns.push((p.group.as_str(), p.arm));
        }
    }
    columns.sort_by_key(|(g, a)| (*g != "all", *a, g.to_string()));
    let arms = columns
        .iter()
        .any(|(_, a)| *a != crate::results::Arm::Programme);
    let head: String = columns
        .iter()
        .map(|(g, a)| {
            let g = if *g == "all" { "everyone" } else { g };
            if arms {
                format!("<th>{}, {}</th>", escape(g), arm_word(*a))
            } else {
                format!("<th>{}</th>", escape(g))
            }
        })
        .collect();
    let _ = writeln!(
        s,
        "<table class=\"series\">\n<thead><tr><th>Period</th>{head}</tr></thead>\n<tbody>"
    );
    let mut periods: Vec<crate::results::Period> = m.series.iter().map(|p| p.period).collect();
    periods.dedup();
    for period in periods {
        let _ = write!(s, "<tr><td>{period}</td>");
        for (g, a) in &columns {
            match m
                .series
                .iter()
                .find(|p| p.period == period && p.group == *g && p.arm == *a)
            {
                Some(p) => {
                    let n = counts(p);
                    let _ = write!(
                        s,
                        "<td class=\"num\"><strong>{}</strong><br>{}{}</td>",
                        escape(&e.value(p.value)),
                        escape(&e.interval(p)),
                        if n.is_empty() {
                            String::new()
                        } else {
                            format!("<br>{}", escape(&n))
                        }
                    );
                }
                None => s.push_str("<td class=\"num\">—</td>"),
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    let notes: Vec<&crate::results::Point> = m.series.iter().filter(|p| p.note.is_some()).collect();
    let same = notes.len() == m.series.len() && notes.windows(2).all(|w| w[0].note == w[1].note);
    if same && let Some(n) = notes.first().and_then(|p| p.note.as_ref()) {
        let _ = writeln!(s, "<p class=\"note\">Every reading: {}</p>", escape(n));
    } else if !notes.is_empty() {
        s.push_str("<ul class=\"plain notes\">\n");
        for p in notes {
            let _ = writeln!(
                s,
                "<li>{} ({}, {}): {}</li>",
                p.period,
                escape(&p.group),
                arm_word(p.arm),
                opt(&p.note)
            );
        }
        s.push_str("</ul>\n");
    }
}

/// A measure's status as a shape and a word; the colour only repeats what they say.
fn status_badge(e: &ResultEntry) -> String {
    format!(
        "<span class=\"rstatus {}\">{}</span>",
        e.result.status.word(),
        escape(&e.status())
    )
}

fn measures(s: &mut String, r: &Report) {
    s.push_str("<section class=\"measures\">\n<h2>Measures</h2>\n");
    if r.framework.is_empty() {
        s.push_str("<p>The model has no outputs or impacts yet.</p>\n");
    }
    for stage in Stage::ALL {
        let nodes: Vec<_> = r.stage(stage).collect();
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h3>{}</h3>\n<table class=\"framework {}\">\n<thead><tr><th>{}</th><th>Measure</th><th>Kind</th><th>Unit</th><th>Baseline</th><th>Target</th><th>Source</th><th>Frequency</th><th>Owner</th></tr></thead>\n<tbody>",
            stage.title(),
            stage.key(),
            capitalised(stage.noun())
        );
        for node in nodes {
            if node.measures.is_empty() {
                let _ = writeln!(
                    s,
                    "<tr data-id=\"{}\"><td class=\"node first\">{}</td><td class=\"none first\" colspan=\"8\">No measure yet</td></tr>",
                    escape(&node.id),
                    escape(&node.label)
                );
            }
            for (i, m) in node.measures.iter().enumerate() {
                // The first row of a node draws a heavier rule above, grouping its measures.
                let (who, first, cls) = if i == 0 {
                    (escape(&node.label), " first", " class=\"first\"")
                } else {
                    (String::new(), "", "")
                };
                let _ = writeln!(
                    s,
                    "<tr data-id=\"{}\" data-measure=\"{}\"><td class=\"node{first}\">{who}</td>{}</tr>",
                    escape(&node.id),
                    escape(&m.id),
                    measure_cells(m, cls),
                );
            }
        }
        s.push_str("</tbody>\n</table>\n");
    }
    if !r.unused_measures.is_empty() {
        s.push_str("<h3>Measures no box uses</h3>\n<table class=\"framework unused\">\n<thead><tr><th>Measure</th><th>Kind</th><th>Unit</th><th>Baseline</th><th>Target</th><th>Source</th><th>Frequency</th><th>Owner</th></tr></thead>\n<tbody>\n");
        for m in &r.unused_measures {
            let _ = writeln!(
                s,
                "<tr data-measure=\"{}\">{}</tr>",
                escape(&m.id),
                measure_cells(m, ""),
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    s.push_str("</section>\n");
}

/// A measure's kind, with what a proxy stands in for.
/// A measure's cells in the framework tables, from its label to its owner, each with the
/// attributes `cls`.
fn measure_cells(m: &super::MeasureRow, cls: &str) -> String {
    [
        escape(&m.label),
        kind(m),
        opt(&m.unit),
        opt(&m.baseline),
        opt(&m.target),
        opt(&m.source),
        opt(&m.frequency),
        opt(&m.owner),
    ]
    .iter()
    .map(|c| format!("<td{cls}>{c}</td>"))
    .collect()
}

fn kind(m: &super::MeasureRow) -> String {
    match &m.proxy_for {
        Some(p) if m.kind == MeasureKind::Proxy => format!("proxy for {}", escape(p)),
        _ => m.kind.to_string(),
    }
}

fn contribution(s: &mut String, r: &Report) {
    let Some(c) = &r.contribution else {
        return;
    };
    let _ = writeln!(
        s,
        "<section class=\"contribution\">\n<h2>Contribution beyond the accountability ceiling</h2>\n<p>The programme answers alone for changes up to {}. Changes beyond that are shared with other services and circumstances: for each, what the programme claims, how the claim will be tested, and what else could explain the change.</p>",
        escape(&c.ceiling.title().to_lowercase())
    );
    if c.rows.is_empty() {
        s.push_str("<p>No outcomes lie beyond the ceiling.</p>\n</section>\n");
        return;
    }
    s.push_str("<table>\n<thead><tr><th>Outcome</th><th>Claim</th><th>Design</th><th>Compared against</th><th>Other explanations</th><th>Evidence</th></tr></thead>\n<tbody>\n");
    for row in &c.rows {
        let span = row.claims.len().max(1);
        let lead = format!("<td rowspan=\"{span}\">{}</td>", escape(&row.node));
        let tail = format!(
            "<td rowspan=\"{span}\">{}</td><td rowspan=\"{span}\">{}</td>",
            list(&row.alternatives),
            list(&row.evidence)
        );
        if row.claims.is_empty() {
            let _ = writeln!(
                s,
                "<tr>{lead}<td class=\"none\" colspan=\"3\">No measure</td>{tail}</tr>"
            );
        }
        for (i, claim) in row.claims.iter().enumerate() {
            let what = match &claim.change {
                Some(ch) => format!("{}: {}", escape(&claim.measure), escape(ch)),
                None => escape(&claim.measure),
            };
            let (lead, tail) = if i == 0 {
                (lead.as_str(), tail.as_str())
            } else {
                ("", "")
            };
            let _ = writeln!(
                s,
                "<tr>{lead}<td>{what}</td><td>{}</td><td>{}</td>{tail}</tr>",
                escape(&super::design_words(claim.design)),
                opt(&claim.comparison)
            );
        }
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

/// Items as a plain list, or "None recorded".
fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "<span class=\"flag\">None recorded</span>".to_string();
    }
    let li: String = items
        .iter()
        .map(|i| format!("<li>{}</li>", escape(i)))
        .collect();
    format!("<ul class=\"plain\">{li}</ul>")
}

fn links(s: &mut String, r: &Report) {
    if r.links.is_empty() {
        return;
    }
    s.push_str("<section class=\"links\">\n<h2>Why each step leads to the next</h2>\n<table>\n<thead><tr><th>From</th><th>To</th><th>Because</th><th>Evidence</th><th>Strength</th></tr></thead>\n<tbody>\n");
    for l in &r.links {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&l.from),
            escape(&l.to),
            opt(&l.because),
            opt(&l.evidence),
            opt(&l.strength)
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn stakeholders(s: &mut String, r: &Report) {
    if r.stakeholders.is_empty() && r.breakdowns.is_empty() {
        return;
    }
    s.push_str("<section class=\"stakeholders\">\n<h2>Stakeholders</h2>\n");
    if !r.stakeholders.is_empty() {
        s.push_str("<table>\n<thead><tr><th>Stakeholder</th><th>Role</th><th>Concerned by</th></tr></thead>\n<tbody>\n");
        for x in &r.stakeholders {
            let role = x.role.map(|r| r.to_string()).unwrap_or_default();
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{role}</td><td>{}</td></tr>",
                escape(&x.label),
                list(&x.concerns)
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    if !r.breakdowns.is_empty() {
        let groups: Vec<String> = r.breakdowns.iter().map(|b| escape(b)).collect();
        let _ = writeln!(s, "<p>Results will be split by: {}.</p>", groups.join(", "));
    }
    s.push_str("</section>\n");
}

fn unexpected(s: &mut String, r: &Report) {
    if r.unexpected.is_empty() {
        return;
    }
    s.push_str("<section class=\"unexpected\">\n<h2>Unexpected changes</h2>\n<table>\n<thead><tr><th>Change</th><th>Benefit or harm</th><th>Evidence</th></tr></thead>\n<tbody>\n");
    for u in &r.unexpected {
        let kind = u.kind.map(|k| k.to_string()).unwrap_or_default();
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{kind}</td><td>{}</td></tr>",
            escape(&u.text),
            opt(&u.evidence)
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn gaps(s: &mut String, r: &Report) {
    s.push_str("<section class=\"gaps\">\n<h2>Gaps</h2>\n");
    if r.gaps.is_empty() {
        s.push_str("<p>None: <code>elmo check</code> finds every output and impact measured, every measure complete and every node on a full chain.</p>\n");
    }
    for g in &r.gaps {
        let _ = writeln!(
            s,
            "<h3><code>{}</code>: {}</h3>\n<ul class=\"gaps\" data-code=\"{}\">",
            g.code,
            message(g.summary),
            g.code
        );
        for item in &g.items {
            let _ = write!(s, "<li>{}", message(&item.message));
            if let Some(h) = &item.help {
                let _ = write!(s, " <span class=\"help\">Fix: {}</span>", message(h));
            }
            s.push_str("</li>\n");
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
}

fn assumptions(s: &mut String, r: &Report) {
    s.push_str("<section class=\"assumptions\">\n<h2>Assumptions</h2>\n");
    if r.assumptions.is_empty() {
        s.push_str("<p>The model states no assumptions.</p>\n");
    }
    for status in STATUS_ORDER {
        let Some(g) = r.assumptions.iter().find(|g| g.status == status) else {
            continue;
        };
        let word = status.as_str();
        let _ = writeln!(
            s,
            "<h3><span class=\"status {word}\">{}</span> {} assumption{}</h3>\n<p class=\"note\">{}</p>\n<table class=\"assumptions {word}\">\n<thead><tr><th style=\"width:34%\">Assumption</th><th style=\"width:28%\">Applies to</th><th>Evidence</th></tr></thead>\n<tbody>",
            status_heading(status),
            g.items.len(),
            if g.items.len() == 1 { "" } else { "s" },
            status_note(status)
        );
        for a in &g.items {
            let applies: String = a
                .applies_to
                .iter()
                .map(|t| format!("<li>{}</li>", escape(t)))
                .collect();
            let _ = writeln!(
                s,
                "<tr data-id=\"{}\"><td>{}</td><td><ul class=\"plain\">{}</ul></td><td>{}</td></tr>",
                escape(&a.id),
                escape(&a.text),
                applies,
                opt(&super::with_strength(&a.evidence, &a.strength))
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    s.push_str("</section>\n");
}

fn sources(s: &mut String, r: &Report) {
    s.push_str("<section class=\"sources\">\n<h2>Data sources</h2>\n");
    if r.sources.is_empty() {
        s.push_str("<p>The model names no data sources.</p>\n</section>\n");
        return;
    }
    let flagged = r.sources.iter().filter(|x| x.flagged()).count();
    if flagged > 0 {
        let _ = writeln!(
            s,
            "<p class=\"callout\"><span class=\"flag\">⚠ {flagged} source{} hold{} personal data but do{} not say how it is stored and who may see it.</span></p>",
            if flagged == 1 { "" } else { "s" },
            if flagged == 1 { "s" } else { "" },
            if flagged == 1 { "es" } else { "" },
        );
    }
    s.push_str("<table class=\"sources\">\n<thead><tr><th style=\"width:24%\">Source</th><th style=\"width:12%\">Personal data</th><th>Storage and access</th><th style=\"width:28%\">Used by</th></tr></thead>\n<tbody>\n");
    for x in &r.sources {
        let personal = match x.personal_data {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not stated",
        };
        let storage = match (&x.storage, x.flagged()) {
            (Some(t), _) => escape(t),
            (None, true) => "<span class=\"flag\">⚠ not stated</span>".to_string(),
            (None, false) => String::new(),
        };
        let used: String = x
            .used_by
            .iter()
            .map(|u| format!("<li>{}</li>", escape(u)))
            .collect();
        let used = if used.is_empty() {
            used
        } else {
            format!("<ul class=\"plain\">{used}</ul>")
        };
        let _ = writeln!(
            s,
            "<tr data-id=\"{}\"{}><td>{}</td><td>{personal}</td><td>{storage}</td><td>{}</td></tr>",
            escape(&x.id),
            if x.flagged() {
                " class=\"flagged\""
            } else {
                ""
            },
            escape(&x.label),
            used
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}
