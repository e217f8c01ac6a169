//! A report [`Document`] as one self-contained HTML page that prints cleanly to A4.
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

use super::document::{Block, Document, Figure, Inline, Table};
use crate::escape::xml as escape;

/// Style for screen and print. System fonts only: nothing is fetched.
/// The report runs no script and loads nothing: if a model's text ever slipped past the
/// escaping, the browser would still refuse to run it or fetch anything it names.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS: &str = r#"
:root { --text: #1f2328; --muted: #4d5661; --rule: #d0d7de; --head: #f3f5f8; }
* { box-sizing: border-box; }
html { color: var(--text); background: #fff; font-family: "DejaVu Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 11pt; line-height: 1.4; }
body { margin: 0 auto; max-width: 60rem; padding: 2rem 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p { margin: .4rem 0 .8rem; }
section.context p { color: var(--muted); }
dl.definitions { display: grid; grid-template-columns: minmax(7rem, 11rem) 1fr; gap: .2rem .9rem; margin: .3rem 0 1.2rem; break-inside: avoid; page-break-inside: avoid; }
dl.definitions dt { font-weight: bold; color: var(--muted); }
dl.definitions dd { margin: 0; }
caption { caption-side: top; text-align: left; color: var(--muted); font-size: .85rem; padding: 0 0 .2rem; }
.page-break { break-after: page; page-break-after: always; }
body.team section.gaps td:first-child { width: 45%; }
figure.diagram { margin: 1rem 0; }
figure.diagram svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .85rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: var(--head); }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .9em; }
figure.chart { margin: .4rem 0; max-width: 40rem; }
figure.chart svg { display: block; width: 100%; height: auto; }
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
  section.cover header p { margin: .1rem 0 .3rem; font-size: 1rem; }
  section.cover h2 { display: none; }
  figure.diagram { margin: 0; flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; }
  figure.diagram svg { flex: 1 1 0; min-height: 0; width: 100%; height: 100%; }
  figcaption { flex: none; }
  h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
  table { font-size: .8rem; }
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
fn page_margins(doc: &Document) -> String {
    let font = "font-family: \"DejaVu Sans\", \"Segoe UI\", Arial, sans-serif; font-size: 8pt; color: #4d5661;";
    let mut css = format!(
        "@page {{ @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {font} }}"
    );
    if let Some(f) = &doc.footer {
        let _ = write!(
            css,
            " @bottom-left {{ content: {}; {font} }}",
            css_string(f)
        );
    }
    let _ = write!(
        css,
        " @top-left {{ content: {}; {font} }} }}\n@page diagram {{ @top-left {{ content: none; }} }}",
        css_string(&format!("Measurement framework: {}", doc.title))
    );
    css
}

/// A run of inlines as HTML.
fn inlines(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Strong(t) => {
                let _ = write!(out, "<strong>{}</strong>", escape(t));
            }
            Inline::Emphasis(t) => {
                let _ = write!(out, "<em>{}</em>", escape(t));
            }
            Inline::Code(t) => {
                let _ = write!(out, "<code>{}</code>", escape(t));
            }
            // Only links within the page: the report fetches and opens nothing.
            Inline::Link { text, href } if href.starts_with('#') => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", escape(href), escape(text));
            }
            Inline::Link { text, .. } => out.push_str(&escape(text)),
        }
    }
    out
}

/// The document as one HTML page, the first figure that takes a page of its own (the
/// diagram) on the landscape cover with the title and whatever comes before it.
pub fn html(doc: &Document) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"elmo {}\">\n<title>Measurement framework: {}</title>\n<style>{CSS}</style>\n<style>{}</style>\n</head>\n<body class=\"{}\">\n",
        env!("CARGO_PKG_VERSION"),
        escape(&doc.title),
        page_margins(doc),
        doc.audience.as_str()
    );
    let cover = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Figure(f) if f.own_page));
    let heading = format!("<h1>Measurement framework: {}</h1>\n", escape(&doc.title));
    let rest = match cover {
        Some(at) => {
            s.push_str("<section class=\"cover\">\n<header>\n");
            s.push_str(&heading);
            let mut w = Writer::default();
            for b in &doc.blocks[..at] {
                w.block(b);
            }
            s.push_str(&w.out);
            s.push_str("</header>\n");
            if let Block::Figure(f) = &doc.blocks[at] {
                figure(&mut s, f, "diagram");
            }
            s.push_str("</section>\n");
            &doc.blocks[at + 1..]
        }
        None => {
            let _ = write!(s, "<header>\n{heading}</header>\n");
            &doc.blocks[..]
        }
    };
    let mut w = Writer::default();
    for b in rest {
        w.block(b);
    }
    w.close();
    s.push_str(&w.out);
    let made = match &doc.footer {
        Some(f) => format!("{}. ", escape(f)),
        None => String::new(),
    };
    let _ = writeln!(
        s,
        "<footer>{made}Made by elmo {}.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    s
}

/// A figure: the SVG as-is (it has no XML prolog, and its text was escaped when drawn),
/// described for screen readers, with its caption under it.
fn figure(s: &mut String, f: &Figure, class: &str) {
    let _ = writeln!(
        s,
        "<figure class=\"{class}\" role=\"img\" aria-label=\"{}\">\n{}",
        escape(&f.alt),
        f.svg.trim_end()
    );
    if let Some(c) = &f.caption {
        let _ = writeln!(s, "<figcaption>{}</figcaption>", escape(c));
    }
    s.push_str("</figure>\n");
}

/// Lays blocks out, each top-level heading opening a section named by its anchor.
#[derive(Default)]
struct Writer {
    out: String,
    open: bool,
}

impl Writer {
    fn close(&mut self) {
        if self.open {
            self.out.push_str("</section>\n");
            self.open = false;
        }
    }

    fn block(&mut self, b: &Block) {
        let s = &mut self.out;
        match b {
            Block::Heading {
                level: 1,
                text,
                anchor,
            } => {
                self.close();
                let a = escape(anchor);
                let _ = writeln!(
                    self.out,
                    "<section class=\"{a}\">\n<h2 id=\"{a}\">{}</h2>",
                    escape(text)
                );
                self.open = true;
            }
            Block::Heading {
                level,
                text,
                anchor,
            } => {
                let h = (*level).clamp(2, 5) + 1;
                let _ = writeln!(s, "<h{h} id=\"{}\">{}</h{h}>", escape(anchor), escape(text));
            }
            Block::Paragraph(runs) => {
                let _ = writeln!(s, "<p>{}</p>", inlines(runs));
            }
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let li: String = items
                    .iter()
                    .map(|i| format!("<li>{}</li>\n", inlines(i)))
                    .collect();
                let _ = writeln!(s, "<{tag}>\n{li}</{tag}>");
            }
            Block::Definitions(pairs) => {
                s.push_str("<dl class=\"definitions\">\n");
                for (term, desc) in pairs {
                    let _ = writeln!(s, "<dt>{}</dt><dd>{}</dd>", escape(term), inlines(desc));
                }
                s.push_str("</dl>\n");
            }
            Block::Table(t) => table(s, t),
            Block::Figure(f) if f.own_page => figure(s, f, "diagram own-page"),
            Block::Figure(f) => figure(s, f, "chart"),
            Block::PageBreak => s.push_str("<div class=\"page-break\"></div>\n"),
        }
    }
}

fn table(s: &mut String, t: &Table) {
    s.push_str("<table>\n");
    if let Some(c) = &t.caption {
        let _ = writeln!(s, "<caption>{}</caption>", escape(c));
    }
    let head: String = t
        .header
        .iter()
        .map(|h| format!("<th>{}</th>", escape(h)))
        .collect();
    let _ = writeln!(s, "<thead><tr>{head}</tr></thead>\n<tbody>");
    for row in &t.rows {
        let cells: String = (0..t.header.len())
            .map(|i| {
                format!(
                    "<td>{}</td>",
                    row.get(i).map(|c| inlines(c)).unwrap_or_default()
                )
            })
            .collect();
        let _ = writeln!(s, "<tr>{cells}</tr>");
    }
    s.push_str("</tbody>\n</table>\n");
}
