//! What must hold for any input whatsoever, checked by the fuzz target (`fuzz/`) and replayed
//! over its committed corpus by `tests/it/fuzz_corpus.rs`. Each check panics with the broken rule,
//! so a failure reads the same under libFuzzer and under `cargo test`.

mod nav;

use std::collections::BTreeSet;

use elmo::emit::human::{Human, Style};
use elmo::emit::{FileReport, to_json};
use elmo::render::{dot::dot, mermaid::mermaid, theme::LIGHT};
use elmo::report::build::document;
use elmo::report::document::Audience;
use elmo::report::{Report, html::html, md::markdown};
use elmo::span::Span;
use elmo::{Code, Compiled, Options, Stage};
use petgraph::visit::EdgeRef;

/// Compiles `bytes` as a model file and, when it compiles, draws and exports it, checking the
/// diagnostics and every output along the way.
pub fn check(bytes: &[u8]) {
    import_csv(bytes);
    let (src, compiled) = elmo::compile_bytes(bytes, &Options::default());
    diagnostics(&src, &compiled);
    editor(&src, &compiled);
    nav::navigation(&src, &compiled);
    let Some(svg_text) = elmo::render::svg(&compiled, &LIGHT) else {
        assert!(
            compiled.has_errors() || compiled.model.is_none(),
            "a model without errors must be drawable"
        );
        return;
    };
    let (model, graph) = (
        compiled.model.as_ref().expect("drawn without a model"),
        compiled.graph.as_ref().expect("drawn without a graph"),
    );
    let ids: Vec<&str> = Stage::ALL
        .into_iter()
        .flat_map(|s| model.stage(s))
        .map(|n| n.id.value.as_str())
        .collect();
    let edges: BTreeSet<(&str, &str)> = graph
        .graph
        .edge_references()
        .map(|e| {
            let id = |ix| graph.model_node(model, ix).id.value.as_str();
            (id(e.source()), id(e.target()))
        })
        .collect();
    svg(&svg_text, &ids, &edges);
    let diagnostics = &compiled.diagnostics;
    let (mermaid_text, dot_text) = (
        mermaid(model, graph, diagnostics),
        dot(model, graph, diagnostics),
    );
    mermaid_export(&mermaid_text, ids.len(), graph.graph.edge_count());
    dot_export(&dot_text, graph.graph.edge_count());
    let report = Report::build(&compiled).expect("a drawable model must have a report");
    word_document(&report);
    let html_text = html(&document(&report, Audience::Funder, Some(&svg_text)));
    html_report(&html_text, &svg_text);
    for (what, text) in [
        ("SVG", &svg_text),
        ("Mermaid", &mermaid_text),
        ("DOT", &dot_text),
        ("HTML report", &html_text),
    ] {
        no_noncharacters(what, text);
    }
    let md = markdown(&document(&report, Audience::Funder, None));
    let mut md = md.lines();
    assert!(
        md.next()
            .is_some_and(|l| l.starts_with("# Measurement framework: "))
            && md.next() == Some(""),
        "the Markdown report's title must be one heading line"
    );
}

/// Diagnostics point into the text they were found in, so that snippets, line numbers and
/// editors' squiggles never slice through a character or past the end.
fn diagnostics(src: &str, compiled: &Compiled) {
    for d in &compiled.diagnostics {
        let code = d.code.as_str();
        assert!(
            !code.is_empty()
                && code
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
            "code `{code}` is not kebab-case"
        );
        assert!(!d.message.trim().is_empty(), "{code}: empty message");
        in_source(src, d.span, code);
        for (span, note) in &d.related {
            in_source(src, *span, code);
            assert!(!note.trim().is_empty(), "{code}: empty related note");
        }
    }
    human_report(src, compiled);
    let report = FileReport {
        path: "model.yaml",
        source: src,
        diagnostics: &compiled.diagnostics,
        readiness: None,
    };
    let json = to_json(&[report]);
    assert_eq!(
        json.files.first().map(|f| f.diagnostics.len()),
        Some(compiled.diagnostics.len()),
        "the JSON output lost diagnostics"
    );
}

/// The Word document of any model with a report is a package whose every XML part parses:
/// one control character in a label once made Word and LibreOffice refuse the whole file.
fn word_document(report: &Report) {
    use std::io::Read;
    let doc = document(report, Audience::Team, None);
    let bytes = elmo::report::docx::docx(&doc).expect("a Word document");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a part");
        let name = part.name().to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut text = String::new();
            part.read_to_string(&mut text).expect("UTF-8 XML");
            if let Err(e) = roxmltree::Document::parse(&text) {
                panic!("{name} is not well-formed XML: {e}");
            }
        }
    }
}

/// `elmo import` of the bytes as a CSV file: it never panics, and the model file it writes is
/// YAML that reads back, whatever the cells held (quotes, colons, `#`, control characters).
fn import_csv(bytes: &[u8]) {
    let Ok(sheets) = elmo::import::read_csv("fuzz", bytes, false) else {
        return;
    };
    let imported = elmo::import::import(&sheets, "fuzz.csv");
    let compiled = elmo::compile(&imported.yaml);
    for d in &compiled.diagnostics {
        assert!(
            !matches!(d.code, Code::YamlSyntax | Code::DuplicateKey),
            "the imported model does not read back: {}\n{}",
            d.message,
            imported.yaml
        );
    }
}

/// What `elmo lsp` computes for an editor: positions that come back to the same byte, and
/// completion, hover and the outline anywhere in the text without a panic, with every edit
/// and range inside the text.
fn editor(src: &str, compiled: &Compiled) {
    use elmo::lsp::{
        completion, diagnostics::Place, hover, lsp_types, position::LineIndex, symbols,
    };
    let lines = LineIndex::new(src);
    let uri: lsp_types::Uri = "file:///model.yaml".parse().expect("a URI");
    let place = Place {
        uri: &uri,
        text: src,
        lines: &lines,
    };
    // The protocol has no position between a `\r` and its `\n`: an end there is the line's end.
    let representable = |at: usize| {
        let b = src.as_bytes();
        if at > 0 && b.get(at - 1) == Some(&b'\r') && b.get(at) == Some(&b'\n') {
            at - 1
        } else {
            at
        }
    };
    for d in &compiled.diagnostics {
        let lsp = elmo::lsp::diagnostics::to_lsp(d, &place, elmo::lsp::diagnostics::BOOK_URL);
        assert_eq!(
            lines.span(src, lsp.range),
            elmo::span::Span::new(representable(d.span.start), representable(d.span.end)),
            "{}: the range does not come back to the span",
            d.code
        );
    }
    // The start, the end, and a handful of places between, each line's start and end among them.
    let count = 8;
    let mut offsets: Vec<usize> = (0..=count).map(|i| src.len() * i / count).collect();
    for line in (0..lines.line_of(src.len()) + 1).step_by(17).take(count) {
        let r = lines.line(src, line);
        offsets.extend([r.start, r.end]);
    }
    let model = compiled.model.as_ref();
    for mut offset in offsets {
        // Editors send positions, which always fall between characters.
        while !src.is_char_boundary(offset) {
            offset -= 1;
        }
        for item in completion::complete(src, &lines, offset, model) {
            if let Some(lsp_types::CompletionTextEdit::Edit(e)) = item.text_edit {
                let span = lines.span(src, e.range);
                assert!(
                    span.end <= src.len() && span.start <= span.end,
                    "edit outside"
                );
            }
        }
        if let (Some(model), Some((span, id))) = (model, hover::word_at(src, offset)) {
            assert!(
                span.start <= offset && offset <= span.end,
                "hover off the word"
            );
            let _ = hover::describe(model, None, id);
        }
    }
    if let Some(model) = model {
        let mut stack = symbols::outline(model, src, &lines);
        while let Some(s) = stack.pop() {
            let (r, sel) = (s.range, s.selection_range);
            assert!(
                r.start <= sel.start && sel.end <= r.end,
                "the outline's `{}` is selected outside its range",
                s.name
            );
            stack.extend(s.children.unwrap_or_default());
        }
    }
}

/// The terminal report names every code it draws, lets no control character through, and
/// starts every line with elmo's own text, never the model's (a CI runner would read a line
/// starting `::error` as a command, even after spaces).
fn human_report(src: &str, compiled: &Compiled) {
    let text = Human::new("model.yaml", src, Style::plain(80)).diagnostics(&compiled.diagnostics);
    for d in &compiled.diagnostics {
        assert!(
            text.contains(d.code.as_str()),
            "the report does not name {}",
            d.code
        );
    }
    if let Some(c) = text
        .chars()
        .find(|&c| (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        panic!("the terminal report holds the control character {c:?}");
    }
    for line in text.lines() {
        let t = line.trim_start();
        let numbered = t
            .split_once(" │")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            t.is_empty()
                || numbered
                || t.starts_with(['×', '⚠', '☞', '│', '╭', '╰', '├', '·', '…'])
                || t.starts_with("help: ")
                || Code::ALL.iter().any(|c| t == c.as_str()),
            "a line of the terminal report starts with the model's text: {line}"
        );
    }
}

fn in_source(src: &str, span: Span, code: &str) {
    assert!(
        span.start <= span.end && span.end <= src.len(),
        "{code}: span {}..{} lies outside the {}-byte source",
        span.start,
        span.end,
        src.len()
    );
    assert!(
        src.is_char_boundary(span.start) && src.is_char_boundary(span.end),
        "{code}: span {}..{} splits a character",
        span.start,
        span.end
    );
}

/// The drawing is well-formed XML with one box per node and an arrow for every link.
fn svg(text: &str, ids: &[&str], edges: &BTreeSet<(&str, &str)>) {
    let doc = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("the SVG is not well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(
        (root.tag_name().namespace(), root.tag_name().name()),
        (Some("http://www.w3.org/2000/svg"), "svg"),
        "the root element is not an SVG"
    );
    let class_is = |n: &roxmltree::Node, want: &str| {
        n.has_tag_name("g")
            && n.attribute("class")
                .and_then(|c| c.split_whitespace().next())
                .is_some_and(|c| c == want)
    };
    let mut drawn: Vec<&str> = root
        .descendants()
        .filter(|n| class_is(n, "node"))
        .filter_map(|n| n.attribute("data-id"))
        .collect();
    let mut want = ids.to_vec();
    drawn.sort_unstable();
    want.sort_unstable();
    assert_eq!(drawn, want, "the boxes drawn are not the model's nodes");
    let links: BTreeSet<(&str, &str)> = root
        .descendants()
        .filter(|n| class_is(n, "link"))
        .filter_map(|n| Some((n.attribute("data-from")?, n.attribute("data-to")?)))
        .collect();
    assert!(
        edges.is_subset(&links),
        "links missing from the drawing: {:?}",
        edges.difference(&links).collect::<Vec<_>>()
    );
}

/// No Unicode non-character (U+FFFE, U+FFFF and the like) reaches an output that is, or
/// becomes, XML: parsers reject them.
fn no_noncharacters(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| elmo::escape::is_noncharacter(*c)) {
        panic!("the {what} holds the non-character U+{:04X}", u32::from(c));
    }
}

/// Labels stay inside their quotes: one statement per node and per link, whatever the labels
/// hold, and nothing between quotes that Mermaid or a page around it would read as syntax.
fn mermaid_export(text: &str, nodes: usize, links: usize) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("---"), "Mermaid front matter missing");
    let title = lines.next().and_then(|l| l.strip_prefix("title: "));
    let title = title.expect("Mermaid title missing");
    assert!(
        serde_json::from_str::<String>(title).is_ok() && !title.contains(['<', '>', '&']),
        "the Mermaid title is not a safe quoted string: {title}"
    );
    assert_eq!(lines.next(), Some("---"), "Mermaid front matter not closed");
    let (mut declared, mut arrows) = (0, 0);
    for line in lines {
        let quoted: Vec<&str> = line.split('"').collect();
        assert!(
            matches!(quoted.len(), 1 | 3),
            "a Mermaid line has stray quotes: {line}"
        );
        if let Some(label) = quoted.get(1) {
            // The export's own line break between a label and its findings is the one tag.
            let label = label.replace("<br/>", " ");
            assert!(
                !label.contains(|c: char| "<>&{}|`\\".contains(c) || c.is_control()),
                "a Mermaid label holds syntax: {label}"
            );
        }
        // Nodes are declared inside their stage's subgraph, one indent deeper than links.
        if line.starts_with("    ") && !line.trim_start().starts_with("%%") {
            declared += 1;
        }
        if line.contains(" -->") {
            arrows += 1;
        }
    }
    assert_eq!(
        declared, nodes,
        "Mermaid declares the wrong number of nodes"
    );
    assert_eq!(arrows, links, "Mermaid draws the wrong number of links");
}

/// Every DOT string is closed on its own line and the braces balance, so a label cannot end
/// the graph early or add statements.
fn dot_export(text: &str, links: usize) {
    assert!(text.starts_with("digraph elmo {"), "DOT header missing");
    let (mut depth, mut arrows) = (0i32, 0);
    for line in text.lines() {
        // An assumption note's dashed joins are not links; no model id holds the colon.
        let note = line.trim_start().starts_with("\"assumption:");
        let mut chars = line.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '\\') => {
                    chars.next();
                }
                (_, '"') => quoted = !quoted,
                (false, '{') => depth += 1,
                (false, '}') => depth -= 1,
                (false, '-') if chars.peek() == Some(&'>') && !note => arrows += 1,
                _ => {}
            }
            assert!(depth >= 0, "DOT closes a brace it never opened: {line}");
        }
        assert!(!quoted, "a DOT string runs past its line: {line}");
    }
    assert_eq!(depth, 0, "DOT braces do not balance");
    assert_eq!(arrows, links, "DOT draws the wrong number of links");
}

/// Outside the embedded diagram, every tag in the HTML report is one the report writes: text
/// from the model cannot open an element of its own (a script, say).
fn html_report(text: &str, svg: &str) {
    const TAGS: &str = "!doctype html head meta title style body section header h1 h2 h3 p \
        figure figcaption footer table caption thead tbody tr th td ul ol li span code strong em \
        dl dt dd div a h4 h5 h6";
    let (before, after) = text
        .split_once(svg.trim_end())
        .expect("the report does not embed the diagram");
    for part in [before, after] {
        for tag in part.split('<').skip(1) {
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
                .collect();
            assert!(
                TAGS.split_whitespace()
                    .any(|t| t.eq_ignore_ascii_case(&name)),
                "the HTML report holds a tag it never writes: <{tag:.40}"
            );
        }
    }
}
