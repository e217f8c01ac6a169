//! The report as a Word document (`.docx`), laid out from the same [`Document`] as the HTML
//! and Markdown, so it says the same things.
//!
//! Built with `docx-rs`. Headings use Word's own "heading 1..3" styles, so the navigation pane
//! and the table of contents work; tables are real tables whose header row repeats on every
//! page; figures are PNG at print resolution with their description as alt text; the footer
//! carries the report's date and model version and "Page X of Y". Pages are A4 portrait, and
//! a figure that asks for its own page gets a landscape page.
//!
//! `docx-rs` 0.4 has no way to mark a repeating header row (`w:tblHeader`) or to give a
//! picture alt text (`wp:docPr/@descr`), so `finish` adds both to the XML it wrote; the
//! tests read them back, so a change in its output is caught. The package is then rewritten
//! with fixed timestamps, so the same report gives the same bytes.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, FieldCharType, Footer, Hyperlink,
    HyperlinkData, HyperlinkType, IndentLevel, InstrText, InstrToC, Level, LevelJc, LevelOverride,
    LevelText, LineSpacing, NumPages, NumberFormat, Numbering, NumberingId, PageMargin, PageNum,
    PageOrientationType, PageSize, Paragraph, Pic, Run, RunFonts, Section, Shading, ShdType,
    SpecialIndentType, Start, Style, StyleType, Tab, TabValueType, TableCell, TableLayoutType,
    TableRow, WidthType,
};

use super::document::{Block, Document, Figure, Inline, Table, plain};

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
/// Every margin: 2 cm.
const MARGIN: u32 = 1134;
/// Where the header and footer sit from the paper's edge: 1 cm.
const HEADER_FOOTER: u32 = 567;
/// The width text runs across on a portrait page.
const TEXT_WIDTH: u32 = A4.0 - 2 * MARGIN;
/// Twips to English Metric Units, the unit of picture sizes.
const EMU_PER_TWIP: u64 = 635;
/// Dots per inch figures are drawn at, for their printed size: sharp on paper without making
/// the file heavy.
const PRINT_DPI: f64 = 200.0;
/// The most pixels one figure is drawn with, whatever its size.
const FIGURE_PIXELS: f64 = 30_000_000.0;
/// The body font: Arial is on every Windows and Mac, and LibreOffice substitutes the
/// metric-compatible Liberation Sans.
const BODY_FONT: &str = "Arial";
/// The font of codes and ids (team audience).
const CODE_FONT: &str = "Courier New";
/// The accent colour of headings and header rows.
const ACCENT: &str = "1F3864";
/// The shade behind header rows and definition terms.
const SHADE: &str = "E7ECF5";
/// The heading levels the table of contents lists: the sections, not every measure's
/// definition (Word's navigation pane shows them all).
const TOC_LEVELS: u8 = 1;
/// The numbering definition of bulleted lists (docx-rs takes 1 for its own default).
const BULLETS: usize = 2;
/// The abstract numbering of numbered lists; each list gets an instance that restarts at 1.
const NUMBERS: usize = 3;

/// `doc` as the bytes of a `.docx` file.
pub fn docx(doc: &Document) -> Result<Vec<u8>, String> {
    let mut w = Writer::new(doc);
    w.title_page(doc);
    for block in &doc.blocks {
        w.block(block)?;
    }
    let alts = std::mem::take(&mut w.alts);
    let xml = w.into_docx().build();
    finish(xml, &alts, doc)
}

/// One thing in the body of a section.
enum Child {
    Paragraph(Box<Paragraph>),
    Table(Box<docx_rs::Table>),
}

/// The document being written: sections already closed, and the current one's contents.
struct Writer<'a> {
    doc: &'a Document,
    /// Sections closed so far: their contents, and whether they are landscape.
    sections: Vec<(Vec<Child>, bool)>,
    /// The current (portrait) section's contents.
    body: Vec<Child>,
    /// Each heading's anchor and the Word bookmark that marks it.
    bookmarks: Vec<(String, String)>,
    /// How many numbered lists there have been; each restarts its count.
    ordered_lists: usize,
    /// How many figures there have been; each picture needs its own id.
    figures: usize,
    /// The alt text of each figure, in document order.
    alts: Vec<String>,
    /// How many links to addresses there have been; each needs its own relationship id.
    links: std::cell::Cell<usize>,
}

impl<'a> Writer<'a> {
    fn new(doc: &'a Document) -> Writer<'a> {
        // Anchors are collected first, so a link may point to a heading further on.
        let bookmarks = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { anchor, .. } => Some(anchor.clone()),
                _ => None,
            })
            .enumerate()
            // Word's bookmark names are letters, digits and underscores, at most 40 long;
            // a number keeps them unique whatever the anchors are.
            .map(|(i, anchor)| (anchor, format!("h{}", i + 1)))
            .collect();
        Writer {
            doc,
            sections: vec![],
            body: vec![],
            bookmarks,
            ordered_lists: 0,
            figures: 0,
            alts: vec![],
            links: std::cell::Cell::new(0),
        }
    }

    fn push(&mut self, p: Paragraph) {
        self.body.push(Child::Paragraph(Box::new(p)));
    }

    /// The title, the date and version, and the table of contents of the sections.
    fn title_page(&mut self, doc: &Document) {
        self.push(para("Title").add_run(Run::new().add_text(&doc.title)));
        if let Some(footer) = &doc.footer {
            self.push(para("Subtitle").add_run(Run::new().add_text(footer)));
        }
        let headings: Vec<(u8, &str, &str)> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading {
                    level,
                    text,
                    anchor,
                } if *level <= TOC_LEVELS => {
                    Some(((*level).max(1), text.as_str(), anchor.as_str()))
                }
                _ => None,
            })
            .collect();
        if headings.is_empty() {
            return;
        }
        self.push(para("TOCHeading").add_run(Run::new().add_text("Contents")));
        // A table of contents field whose current result lists the headings without page
        // numbers: readable as it is, and marked dirty so Word fills in the page numbers.
        let last = headings.len() - 1;
        for (i, (level, text, anchor)) in headings.into_iter().enumerate() {
            let mut p = para(&format!("TOC{level}"));
            if i == 0 {
                p = p.add_run(
                    Run::new()
                        .add_field_char(FieldCharType::Begin, true)
                        .add_instr_text(InstrText::TOC(
                            InstrToC::new()
                                .heading_styles_range(1, usize::from(TOC_LEVELS))
                                .hyperlink(),
                        ))
                        .add_field_char(FieldCharType::Separate, false),
                );
            }
            p = match self.bookmark(anchor) {
                Some((_, name)) => p.add_hyperlink(
                    Hyperlink::new(name, HyperlinkType::Anchor).add_run(Run::new().add_text(text)),
                ),
                None => p.add_run(Run::new().add_text(text)),
            };
            if i == last {
                p = p.add_run(Run::new().add_field_char(FieldCharType::End, false));
            }
            self.push(p);
        }
    }

    fn block(&mut self, block: &Block) -> Result<(), String> {
        match block {
            Block::Heading {
                level,
                text,
                anchor,
            } => {
                let level = (*level).clamp(1, 3);
                let mut p = para(&format!("Heading{level}"));
                match self.bookmark(anchor) {
                    Some((id, name)) => {
                        p = p
                            .add_bookmark_start(id, name)
                            .add_run(Run::new().add_text(text))
                            .add_bookmark_end(id);
                    }
                    None => p = p.add_run(Run::new().add_text(text)),
                }
                self.push(p);
            }
            Block::Paragraph(inlines) => {
                let p = self.inlines(Paragraph::new(), inlines);
                self.push(p);
            }
            Block::List { ordered, items } => {
                let numbering = if *ordered {
                    self.ordered_lists += 1;
                    NUMBERS + self.ordered_lists
                } else {
                    BULLETS
                };
                for item in items {
                    let p = para("ListParagraph")
                        .numbering(NumberingId::new(numbering), IndentLevel::new(0));
                    let p = self.inlines(p, item);
                    self.push(p);
                }
            }
            Block::Definitions(pairs) => self.definitions(pairs),
            Block::Table(table) => self.table(table),
            Block::Figure(figure) => self.figure(figure)?,
            Block::PageBreak => {
                self.push(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
            }
        }
        Ok(())
    }

    /// The Word bookmark id and name of a heading's anchor.
    fn bookmark(&self, anchor: &str) -> Option<(usize, &str)> {
        self.bookmarks
            .iter()
            .position(|(a, _)| a == anchor)
            .map(|i| (i + 1, self.bookmarks[i].1.as_str()))
    }

    /// `inlines` appended to `p` as runs and links.
    fn inlines(&self, mut p: Paragraph, inlines: &[Inline]) -> Paragraph {
        for inline in inlines {
            p = match inline {
                Inline::Text(s) => p.add_run(text_run(s)),
                Inline::Strong(s) => p.add_run(text_run(s).bold()),
                Inline::Emphasis(s) => p.add_run(text_run(s).italic()),
                Inline::Code(s) => p.add_run(text_run(s).style("Code")),
                Inline::Link { text, href } => {
                    let run = text_run(text).style("Hyperlink");
                    match href.strip_prefix('#') {
                        Some(anchor) => match self.bookmark(anchor) {
                            Some((_, name)) => p.add_hyperlink(
                                Hyperlink::new(name, HyperlinkType::Anchor).add_run(run),
                            ),
                            // A link to a part of the document that is not there reads as
                            // its words alone.
                            None => p.add_run(text_run(text)),
                        },
                        None => {
                            let mut link = Hyperlink::new(href, HyperlinkType::External);
                            // docx-rs numbers links from a counter shared by the whole
                            // process; numbering them per document keeps reports reproducible.
                            if let HyperlinkData::External { rid, .. } = &mut link.link {
                                self.links.set(self.links.get() + 1);
                                *rid = format!("rIdLink{}", self.links.get());
                            }
                            p.add_hyperlink(link.add_run(run))
                        }
                    }
                }
            };
        }
        p
    }

    /// Term and description pairs as a two-column table: the terms shaded on the left.
    fn definitions(&mut self, pairs: &[(String, Vec<Inline>)]) {
        let widths = [TEXT_WIDTH * 3 / 10, TEXT_WIDTH - TEXT_WIDTH * 3 / 10];
        let rows = pairs
            .iter()
            .map(|(term, description)| {
                let term = TableCell::new()
                    .width(widths[0] as usize, WidthType::Dxa)
                    .shading(shade())
                    .add_paragraph(para("TableText").add_run(text_run(term).bold()));
                let description = TableCell::new()
                    .width(widths[1] as usize, WidthType::Dxa)
                    .add_paragraph(self.inlines(para("TableText"), description));
                TableRow::new(vec![term, description])
            })
            .collect();
        let table = docx_rs::Table::new(rows)
            .set_grid(widths.iter().map(|w| *w as usize).collect())
            .width(TEXT_WIDTH as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed);
        self.body.push(Child::Table(Box::new(table)));
        self.push(para("AfterTable"));
    }

    fn table(&mut self, table: &Table) {
        if let Some(caption) = &table.caption {
            self.push(
                para("Caption")
                    .keep_next(true)
                    .add_run(Run::new().add_text(caption)),
            );
        }
        let widths = column_widths(table, TEXT_WIDTH);
        let text_style = if table.header.len() >= WIDE_TABLE {
            "TableTextSmall"
        } else {
            "TableText"
        };
        // Header rows are the only rows that cannot split: `finish` finds them by that and
        // marks them to repeat on every page.
        let header = TableRow::new(
            table
                .header
                .iter()
                .zip(&widths)
                .map(|(h, w)| {
                    TableCell::new()
                        .width(*w as usize, WidthType::Dxa)
                        .shading(shade())
                        .add_paragraph(para("TableHeader").add_run(Run::new().add_text(h)))
                })
                .collect(),
        )
        .cant_split();
        let mut rows = vec![header];
        for row in &table.rows {
            let cells = widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let inlines = row.get(i).map(Vec::as_slice).unwrap_or_default();
                    TableCell::new()
                        .width(*w as usize, WidthType::Dxa)
                        .add_paragraph(self.inlines(para(text_style), inlines))
                })
                .collect();
            rows.push(TableRow::new(cells));
        }
        let t = docx_rs::Table::new(rows)
            .set_grid(widths.iter().map(|w| *w as usize).collect())
            .width(widths.iter().sum::<u32>() as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed);
        self.body.push(Child::Table(Box::new(t)));
        self.push(para("AfterTable"));
    }

    fn figure(&mut self, figure: &Figure) -> Result<(), String> {
        let (svg_w, svg_h) = crate::render::png::size(&figure.svg, 1.0)?;
        let (svg_w, svg_h) = (f64::from(svg_w.max(1)), f64::from(svg_h.max(1)));
        // The box the picture is fitted to, in twips: a whole landscape page less room for
        // its caption, or the portrait text width and at most two thirds of its height.
        let (box_w, box_h) = if figure.own_page {
            (A4.1 - 2 * MARGIN, A4.0 - 2 * MARGIN - 1100)
        } else {
            (TEXT_WIDTH, (A4.1 - 2 * MARGIN) * 2 / 3)
        };
        let (box_w, box_h) = (f64::from(box_w), f64::from(box_h));
        // SVG pixels are 1/96 inch, 15 twips; a small picture in the body is not enlarged.
        let mut fit = (box_w / svg_w).min(box_h / svg_h);
        if !figure.own_page {
            fit = fit.min(15.0);
        }
        let (print_w, print_h) = (svg_w * fit, svg_h * fit);
        let inches = print_w / 1440.0;
        let mut scale = inches * PRINT_DPI / svg_w;
        let pixels = svg_w * svg_h * scale * scale;
        if pixels > FIGURE_PIXELS {
            scale *= (FIGURE_PIXELS / pixels).sqrt();
        }
        let png = crate::render::png::png(&figure.svg, scale as f32)?;
        let (px_w, px_h) = crate::render::png::size(&figure.svg, scale as f32)?;
        self.figures += 1;
        let pic = Pic::new_with_dimensions(png, px_w, px_h)
            .id(format!("rIdImage{}", self.figures))
            .size(
                (print_w as u64 * EMU_PER_TWIP) as u32,
                (print_h as u64 * EMU_PER_TWIP) as u32,
            );
        self.alts.push(figure.alt.clone());
        let picture = para("Figure")
            .keep_next(figure.caption.is_some())
            .add_run(Run::new().add_image(pic));
        let caption = figure
            .caption
            .as_ref()
            .map(|c| para("Caption").add_run(Run::new().add_text(c)));
        if figure.own_page {
            let before = std::mem::take(&mut self.body);
            if !before.is_empty() {
                self.sections.push((before, false));
            }
            let mut page = vec![Child::Paragraph(Box::new(picture))];
            page.extend(caption.map(|c| Child::Paragraph(Box::new(c))));
            self.sections.push((page, true));
        } else {
            self.push(picture);
            if let Some(c) = caption {
                self.push(c);
            }
        }
        Ok(())
    }

    /// The Word document: styles, numbering, the closed sections and the last one.
    fn into_docx(self) -> Docx {
        let footer = footer(self.doc.footer.as_deref());
        let mut docx = Docx::new()
            .page_size(A4.0, A4.1)
            .page_margin(margins())
            .footer(footer.clone());
        docx = styles(docx);
        docx = docx
            .add_abstract_numbering(list_levels(BULLETS, "bullet", "\u{2022}"))
            .add_abstract_numbering(list_levels(NUMBERS, "decimal", "%1."))
            .add_numbering(Numbering::new(BULLETS, BULLETS));
        for n in 1..=self.ordered_lists {
            docx = docx.add_numbering(
                Numbering::new(NUMBERS + n, NUMBERS).add_override(LevelOverride::new(0).start(1)),
            );
        }
        for (children, landscape) in self.sections {
            let mut section = Section::new().footer(footer.clone());
            section = if landscape {
                section
                    .page_size(
                        PageSize::new()
                            .size(A4.1, A4.0)
                            .orient(PageOrientationType::Landscape),
                    )
                    .page_orient(PageOrientationType::Landscape)
            } else {
                section.page_size(PageSize::new().size(A4.0, A4.1))
            }
            .page_margin(margins());
            for child in children {
                section = match child {
                    Child::Paragraph(p) => section.add_paragraph(*p),
                    Child::Table(t) => section.add_table(*t),
                };
            }
            docx = docx.add_section(section);
        }
        for child in self.body {
            docx = match child {
                Child::Paragraph(p) => docx.add_paragraph(*p),
                Child::Table(t) => docx.add_table(*t),
            };
        }
        docx
    }
}

/// A paragraph in style `style`.
fn para(style: &str) -> Paragraph {
    Paragraph::new().style(style)
}

/// A run of `text`, its line breaks kept (Word ignores newlines inside text).
fn text_run(text: &str) -> Run {
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

fn shade() -> Shading {
    Shading::new()
        .shd_type(ShdType::Clear)
        .color("auto")
        .fill(SHADE)
}

fn margins() -> PageMargin {
    let m = MARGIN as i32;
    let hf = HEADER_FOOTER as i32;
    PageMargin::new()
        .top(m)
        .bottom(m)
        .left(m)
        .right(m)
        .header(hf)
        .footer(hf)
        .gutter(0)
}

/// The footer: the date and model version on the left, "Page X of Y" on the right.
fn footer(text: Option<&str>) -> Footer {
    let mut p =
        para("Footer").add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_WIDTH as usize));
    if let Some(text) = text {
        p = p.add_run(Run::new().add_text(text));
    }
    p = p
        .add_run(Run::new().add_tab().add_text("Page "))
        .add_page_num(PageNum::new())
        .add_run(Run::new().add_text(" of "))
        .add_num_pages(NumPages::new());
    Footer::new().add_paragraph(p)
}

/// One level of list numbering: `format` and `text` ("bullet" and "•", or "decimal" and "%1.").
fn list_levels(id: usize, format: &str, text: &str) -> AbstractNumbering {
    AbstractNumbering::new(id).add_level(
        Level::new(
            0,
            Start::new(1),
            NumberFormat::new(format),
            LevelText::new(text),
            LevelJc::new("left"),
        )
        .indent(Some(567), Some(SpecialIndentType::Hanging(283)), None, None),
    )
}

/// Styles named as Word names its built-in ones, so Word treats them as its own (headings in
/// the navigation pane, captions in the caption list).
fn styles(docx: Docx) -> Docx {
    let fonts = || {
        RunFonts::new()
            .ascii(BODY_FONT)
            .hi_ansi(BODY_FONT)
            .cs(BODY_FONT)
    };
    let spacing = |before: u32, after: u32| LineSpacing::new().before(before).after(after);
    let heading = |level: usize, size: usize, before: u32| {
        let mut style = Style::new(format!("Heading{level}"), StyleType::Paragraph);
        // A heading stays on the page of what it introduces.
        style.paragraph_property = style.paragraph_property.keep_next(true).keep_lines(true);
        style
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .bold()
            .size(size)
            .color(ACCENT)
            .outline_lvl(level - 1)
            .line_spacing(spacing(before, 120))
    };
    let styles = [
        Style::new("Normal", StyleType::Paragraph)
            .name("Normal")
            .q_format(true)
            .fonts(fonts())
            .size(21)
            .line_spacing(
                spacing(0, 120)
                    .line(264)
                    .line_rule(docx_rs::LineSpacingType::Auto),
            ),
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .bold()
            .size(48)
            .color(ACCENT)
            .line_spacing(spacing(2400, 240)),
        Style::new("Subtitle", StyleType::Paragraph)
            .name("Subtitle")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(24)
            .color("595959")
            .line_spacing(spacing(0, 480)),
        heading(1, 32, 360),
        heading(2, 26, 240),
        heading(3, 22, 200),
        Style::new("TOCHeading", StyleType::Paragraph)
            .name("TOC Heading")
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(28)
            .color(ACCENT)
            .line_spacing(spacing(480, 120)),
        toc_entry(1),
        toc_entry(2),
        toc_entry(3),
        Style::new("Caption", StyleType::Paragraph)
            .name("caption")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .italic()
            .size(18)
            .color("404040")
            .line_spacing(spacing(120, 60)),
        Style::new("TableText", StyleType::Paragraph)
            .name("Table Text")
            .based_on("Normal")
            .size(18)
            .line_spacing(spacing(20, 20)),
        Style::new("TableTextSmall", StyleType::Paragraph)
            .name("Table Text Small")
            .based_on("TableText")
            .size(16),
        Style::new("TableHeader", StyleType::Paragraph)
            .name("Table Header")
            .based_on("TableText")
            .bold()
            .color(ACCENT),
        Style::new("AfterTable", StyleType::Paragraph)
            .name("After Table")
            .based_on("Normal")
            .size(8)
            .line_spacing(
                spacing(0, 120)
                    .line(160)
                    .line_rule(docx_rs::LineSpacingType::Exact),
            ),
        Style::new("ListParagraph", StyleType::Paragraph)
            .name("List Paragraph")
            .based_on("Normal")
            .q_format(true)
            .line_spacing(spacing(0, 60)),
        Style::new("Figure", StyleType::Paragraph)
            .name("Figure")
            .based_on("Normal")
            .align(AlignmentType::Center)
            .line_spacing(spacing(0, 0)),
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on("Normal")
            .size(16)
            .color("595959")
            .line_spacing(spacing(0, 0)),
        Style::new("Code", StyleType::Character)
            .name("HTML Code")
            .fonts(
                RunFonts::new()
                    .ascii(CODE_FONT)
                    .hi_ansi(CODE_FONT)
                    .cs(CODE_FONT),
            )
            .size(18),
        Style::new("Hyperlink", StyleType::Character)
            .name("Hyperlink")
            .color("0563C1")
            .underline("single"),
    ];
    styles.into_iter().fold(docx, Docx::add_style)
}

/// The style of level `level`'s entries in the table of contents.
fn toc_entry(level: usize) -> Style {
    let indent = (level as i32 - 1) * 360;
    Style::new(format!("TOC{level}"), StyleType::Paragraph)
        .name(format!("toc {level}"))
        .based_on("Normal")
        .next("Normal")
        .indent(Some(indent), None, None, None)
        .line_spacing(LineSpacing::new().before(0).after(60))
}

/// Roughly how wide one character of table text is, in twips: 9 point Arial's lower case
/// averages a little over half an em.
const CHAR_TWIPS: f64 = 110.0;
/// Tables with this many columns or more are set a point smaller, so their words fit.
const WIDE_TABLE: usize = 8;
/// A cell's left and right padding together, in twips (Word's default 0.19 cm each side).
const CELL_PADDING: f64 = 216.0;

/// Column widths in twips summing to `total`. Each column first gets room for its longest
/// word (so no word is broken across lines), then the rest is shared by how much more text
/// each column holds, capped so one long sentence does not starve the others.
fn column_widths(table: &Table, total: u32) -> Vec<u32> {
    let n = table.header.len().max(1);
    let char_twips = if n >= WIDE_TABLE {
        CHAR_TWIPS * 8.0 / 9.0
    } else {
        CHAR_TWIPS
    };
    let mut floor = vec![0.0_f64; n];
    let mut want = vec![0.0_f64; n];
    let cells = table
        .rows
        .iter()
        .flat_map(|r| r.iter().take(n).enumerate().map(|(i, c)| (i, plain(c))));
    // Header text is bold, and bold letters are wider: "Kind" must not break as "Kin d".
    let header = table
        .header
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, h)| (i, h, 1.3));
    let cells = cells.map(|(i, c)| (i, c, 1.0));
    for (i, text, weight) in header.chain(cells) {
        let word = text
            .split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        floor[i] = floor[i].max(word.clamp(3, 18) as f64 * char_twips * weight + CELL_PADDING);
        want[i] = want[i].max(text.chars().count().min(60) as f64 * char_twips + CELL_PADDING);
    }
    let total_f = f64::from(total);
    let floors: f64 = floor.iter().sum();
    let widths: Vec<f64> = if floors >= total_f {
        floor.iter().map(|f| f * total_f / floors).collect()
    } else {
        let extra: Vec<f64> = want
            .iter()
            .zip(&floor)
            .map(|(w, f)| (w - f).max(0.0))
            .collect();
        let extras: f64 = extra.iter().sum();
        let spare = total_f - floors;
        floor
            .iter()
            .zip(&extra)
            .map(|(f, e)| {
                if extras > 0.0 {
                    f + spare * e / extras
                } else {
                    f + spare / n as f64
                }
            })
            .collect()
    };
    let mut widths: Vec<u32> = widths.iter().map(|w| w.floor() as u32).collect();
    let used: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total.saturating_sub(used);
    }
    widths
}

/// The package `docx-rs` built, with the two things it cannot say added, zipped with fixed
/// timestamps so that the same report gives the same bytes.
fn finish(mut xml: docx_rs::XMLDocx, alts: &[String], doc: &Document) -> Result<Vec<u8>, String> {
    xml.doc_props.core =
        properties(&String::from_utf8_lossy(&xml.doc_props.core), doc).into_bytes();
    let document = String::from_utf8(std::mem::take(&mut xml.document))
        .map_err(|e| format!("docx-rs wrote a document that is not UTF-8: {e}"))?;
    let document = mark_header_rows(&xml_chars(&document));
    let document = describe_pictures(&document, alts)?;
    let mut para_ids = 0;
    xml.document = number_paragraphs(&document, &mut para_ids).into_bytes();
    for footer in &mut xml.footers {
        let text = xml_chars(&String::from_utf8_lossy(footer));
        *footer = number_paragraphs(&text, &mut para_ids).into_bytes();
    }
    let mut packed = Cursor::new(Vec::new());
    xml.pack(&mut packed)
        .map_err(|e| format!("could not write the Word file: {e}"))?;
    repack(packed.into_inner()).map_err(|e| format!("could not write the Word file: {e}"))
}

/// The core properties Word shows under File > Info: the title, elmo as the author, and the
/// day the report was made instead of `docx-rs`'s 1970 and "unknown".
fn properties(core: &str, doc: &Document) -> String {
    let mut core = core
        .replace(
            "<dc:creator>unknown</dc:creator>",
            &format!(
                "<dc:title>{}</dc:title><dc:creator>elmo</dc:creator>",
                crate::escape::xml(&doc.title)
            ),
        )
        .replace(
            "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
            "<cp:lastModifiedBy>elmo</cp:lastModifiedBy>",
        );
    if let Some(date) = &doc.date {
        core = core.replace("1970-01-01T00:00:00Z", &format!("{date}T00:00:00Z"));
    }
    core
}

/// `xml` with every character XML 1.0 cannot hold (C0 controls other than tab and line
/// breaks, and non-characters) as U+FFFD. `docx-rs` escapes markup but passes these through,
/// and Word and LibreOffice refuse the whole file for one of them in a label.
fn xml_chars(xml: &str) -> String {
    xml.chars()
        .map(|c| {
            let control = (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r');
            if control || crate::escape::is_noncharacter(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// The rows written as unsplittable (only header rows are) also repeat at the top of every page.
fn mark_header_rows(document: &str) -> String {
    document.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
}

/// Paragraph ids numbered from `next` in the order they appear: `docx-rs` counts them per
/// thread across documents, so without this the same report would differ with what the
/// thread wrote before.
fn number_paragraphs(xml: &str, next: &mut u32) -> String {
    const ID: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(ID) {
        let (before, after) = rest.split_at(at + ID.len());
        out.push_str(before);
        *next += 1;
        out.push_str(&format!("{:08X}", *next));
        rest = after.find('"').map_or("", |end| &after[end..]);
    }
    out.push_str(rest);
    out
}

/// Each picture's drawing properties given a unique id and its alt text, in document order.
fn describe_pictures(document: &str, alts: &[String]) -> Result<String, String> {
    const DOC_PR: &str = r#"<wp:docPr id="1" name="Figure" />"#;
    let parts: Vec<&str> = document.split(DOC_PR).collect();
    if parts.len() != alts.len() + 1 {
        return Err(format!(
            "docx-rs wrote {} pictures for {} figures",
            parts.len() - 1,
            alts.len()
        ));
    }
    let mut out = String::with_capacity(document.len());
    for (i, part) in parts.iter().enumerate() {
        out.push_str(part);
        if let Some(alt) = alts.get(i) {
            out.push_str(&format!(
                r#"<wp:docPr id="{n}" name="Figure {n}" descr="{}" />"#,
                crate::escape::xml(alt),
                n = i + 1
            ));
        }
    }
    Ok(out)
}

/// The zip archive `bytes` again, every entry dated 1980-01-01 (the zip format's first day)
/// and the XML compressed; pictures, already compressed, are stored as they are.
fn repack(bytes: Vec<u8>) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let base = zip::write::SimpleFileOptions::default()
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name().to_string();
        if entry.is_dir() {
            // Office does not need folder entries; leaving them out keeps the package plain.
            continue;
        }
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        let method = if name.ends_with(".png") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        out.start_file(name, base.compression_method(method))?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::document::Audience;

    /// The text of `part` inside the package `bytes`.
    fn part(bytes: &[u8], part: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
        let mut entry = archive.by_name(part).expect(part);
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8");
        text
    }

    fn diagram() -> String {
        let compiled = crate::compile(
            "title: T\nactivities:\n  - id: a\n    label: Run sessions\n    leads_to: [b]\noutputs:\n  - id: b\n    label: People feel less lonely\n",
        );
        crate::render::svg_fit(
            &compiled,
            &crate::render::theme::LIGHT,
            Some(crate::model::Fit::A4Landscape),
        )
        .expect("a diagram")
    }

    /// A document with one of every kind of block.
    pub(crate) fn sample() -> Document {
        let t = Inline::text;
        Document {
            title: "Befriending & <support>".into(),
            audience: Audience::Funder,
            footer: Some("2026-01-02 · model version abc1234".into()),
            date: Some("2026-01-02".into()),
            blocks: vec![
                Block::Figure(Figure {
                    svg: diagram(),
                    alt: "Run sessions leads to \"people feel less lonely\"".into(),
                    caption: Some("The logic model".into()),
                    own_page: true,
                }),
                Block::Heading {
                    level: 1,
                    text: "Measures".into(),
                    anchor: "measures".into(),
                },
                Block::Paragraph(vec![
                    t("Read the "),
                    Inline::Strong("gaps".into()),
                    t(" and see "),
                    Inline::Link {
                        text: "the register".into(),
                        href: "#assumptions".into(),
                    },
                    t(" or "),
                    Inline::Link {
                        text: "TASO".into(),
                        href: "https://taso.org.uk/".into(),
                    },
                    Inline::Emphasis(" first".into()),
                ]),
                Block::Heading {
                    level: 2,
                    text: "Loneliness score".into(),
                    anchor: "m-loneliness".into(),
                },
                Block::Definitions(vec![
                    ("Numerator".into(), vec![t("People whose score fell")]),
                    ("Denominator".into(), vec![t("People who finished")]),
                ]),
                Block::Table(Table {
                    caption: Some("Every measure".into()),
                    header: vec!["Measure".into(), "Target".into()],
                    rows: (0..80)
                        .map(|i| vec![vec![Inline::text(format!("Measure {i}"))], vec![t("60%")]])
                        .collect(),
                }),
                Block::List {
                    ordered: true,
                    items: vec![
                        vec![t("first")],
                        vec![Inline::Code("unmeasured-outcome".into())],
                    ],
                },
                Block::List {
                    ordered: false,
                    items: vec![vec![t("a bullet")]],
                },
                Block::PageBreak,
                Block::Heading {
                    level: 3,
                    text: "Assumptions".into(),
                    anchor: "assumptions".into(),
                },
                Block::Paragraph(vec![t("line one\nline two")]),
            ],
        }
    }

    fn document_xml(doc: &Document) -> String {
        part(&docx(doc).expect("a docx"), "word/document.xml")
    }

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    #[test]
    fn headings_use_word_heading_styles_and_appear_in_the_contents() {
        let xml = document_xml(&sample());
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let styled = |style: &str| -> Vec<String> {
            doc.descendants()
                .filter(|n| n.has_tag_name((W, "p")))
                .filter(|p| {
                    p.descendants().any(|s| {
                        s.has_tag_name((W, "pStyle")) && s.attribute((W, "val")) == Some(style)
                    })
                })
                .map(|p| {
                    p.descendants()
                        .filter(|t| t.has_tag_name((W, "t")))
                        .filter_map(|t| t.text())
                        .collect()
                })
                .collect()
        };
        assert_eq!(styled("Heading1"), ["Measures"]);
        assert_eq!(styled("Heading2"), ["Loneliness score"]);
        assert_eq!(styled("Heading3"), ["Assumptions"]);
        assert_eq!(styled("Title"), ["Befriending & <support>"]);
        assert_eq!(styled("TOC1"), ["Measures"]);
        assert!(xml.contains("TOC \\o"), "a table of contents field");
        let styles = part(&docx(&sample()).expect("docx"), "word/styles.xml");
        assert!(styles.contains(r#"<w:name w:val="heading 1" />"#));
        assert!(styles.contains(r#"<w:outlineLvl w:val="0" />"#));
    }

    #[test]
    fn tables_are_word_tables_whose_header_row_repeats() {
        let xml = document_xml(&sample());
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let tables: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "tbl")))
            .collect();
        // The definitions and the table.
        assert_eq!(tables.len(), 2);
        let rows: Vec<_> = tables[1]
            .children()
            .filter(|n| n.has_tag_name((W, "tr")))
            .collect();
        assert_eq!(rows.len(), 81);
        let repeats =
            |row: &roxmltree::Node| row.descendants().any(|n| n.has_tag_name((W, "tblHeader")));
        assert!(repeats(&rows[0]), "the header row repeats on every page");
        assert!(
            rows[1..].iter().all(|r| !repeats(r)),
            "only the header row repeats"
        );
        // The definitions have no header row to repeat.
        assert!(
            !tables[0]
                .descendants()
                .any(|n| n.has_tag_name((W, "tblHeader")))
        );
    }

    #[test]
    fn figures_are_print_resolution_png_with_their_description_as_alt_text() {
        let bytes = docx(&sample()).expect("docx");
        let xml = part(&bytes, "word/document.xml");
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
        let pr = doc
            .descendants()
            .find(|n| n.has_tag_name((wp, "docPr")))
            .expect("a picture");
        assert_eq!(
            pr.attribute("descr"),
            Some("Run sessions leads to \"people feel less lonely\"")
        );
        let extent = doc
            .descendants()
            .find(|n| n.has_tag_name((wp, "extent")))
            .expect("its size");
        let inches: f64 = extent
            .attribute("cx")
            .and_then(|v| v.parse::<f64>().ok())
            .expect("cx")
            / 914_400.0;
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
        let name = (0..archive.len())
            .filter_map(|i| archive.by_index(i).ok().map(|e| e.name().to_string()))
            .find(|n| n.starts_with("word/media/") && n.ends_with(".png"))
            .expect("the PNG in the package");
        let mut png = Vec::new();
        archive
            .by_name(&name)
            .expect("png")
            .read_to_end(&mut png)
            .expect("read");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert!(
            f64::from(width) / inches >= 150.0,
            "{width} pixels over {inches:.1} inches"
        );
        // The diagram has its own landscape page.
        assert!(xml.contains(r#"w:orient="landscape""#));
    }

    #[test]
    fn footer_carries_the_date_version_and_page_x_of_y() {
        let bytes = docx(&sample()).expect("docx");
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains("2026-01-02 · model version abc1234"));
        assert!(footer.contains(">PAGE<"), "{footer}");
        assert!(footer.contains(">NUMPAGES<"), "{footer}");
        let xml = part(&bytes, "word/document.xml");
        assert!(
            xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
            "A4 portrait"
        );
    }

    #[test]
    fn file_properties_give_the_title_author_and_day_made() {
        let bytes = docx(&sample()).expect("docx");
        let core = part(&bytes, "docProps/core.xml");
        let doc = roxmltree::Document::parse(&core).expect("well-formed XML");
        let text = |name: &str| {
            doc.descendants()
                .find(|n| n.tag_name().name() == name)
                .and_then(|n| n.text())
                .map(str::to_string)
        };
        assert_eq!(text("title").as_deref(), Some("Befriending & <support>"));
        assert_eq!(text("creator").as_deref(), Some("elmo"));
        assert_eq!(text("created").as_deref(), Some("2026-01-02T00:00:00Z"));
        assert_eq!(text("modified").as_deref(), Some("2026-01-02T00:00:00Z"));
    }

    #[test]
    fn links_go_to_their_heading_or_address() {
        let bytes = docx(&sample()).expect("docx");
        let xml = part(&bytes, "word/document.xml");
        assert!(
            xml.contains(r#"w:anchor="h3""#),
            "to the assumptions heading"
        );
        assert!(xml.contains(r#"w:name="h3""#), "the heading's bookmark");
        let rels = part(&bytes, "word/_rels/document.xml.rels");
        assert!(rels.contains("https://taso.org.uk/"), "{rels}");
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let doc = sample();
        let (a, b) = (docx(&doc).expect("docx"), docx(&doc).expect("docx"));
        for name in [
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/numbering.xml",
        ] {
            assert_eq!(part(&a, name), part(&b, name), "{name}");
        }
        assert!(a == b, "the packages differ");
    }

    #[test]
    fn bulleted_lists_have_bullets_and_numbered_lists_each_start_at_one() {
        let bytes = docx(&sample()).expect("docx");
        let numbering = part(&bytes, "word/numbering.xml");
        let xml = part(&bytes, "word/document.xml");
        let num = |id: usize| format!(r#"<w:numId w:val="{id}" />"#);
        assert!(xml.contains(&num(BULLETS)) && xml.contains(&num(NUMBERS + 1)));
        // docx-rs writes its own list 1; a second definition with the same id would be ignored.
        for id in [BULLETS, NUMBERS] {
            let def = format!(r#"<w:abstractNum w:abstractNumId="{id}">"#);
            assert_eq!(numbering.matches(&def).count(), 1, "{def}");
        }
        assert_eq!(
            numbering
                .matches(&format!(r#"<w:num w:numId="{BULLETS}">"#))
                .count(),
            1
        );
        assert!(numbering.contains(&format!(
            r#"<w:abstractNum w:abstractNumId="{BULLETS}"><w:lvl w:ilvl="0"><w:start w:val="1" /><w:numFmt w:val="bullet" />"#
        )), "{numbering}");
        assert!(numbering.contains(&format!(r#"<w:num w:numId="{}"><w:abstractNumId w:val="{NUMBERS}" /><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1" />"#, NUMBERS + 1)), "{numbering}");
    }

    #[test]
    fn column_widths_fill_the_text_width_and_follow_the_content() {
        let t = Inline::text;
        let table = Table {
            caption: None,
            header: vec!["Id".into(), "What it means".into()],
            rows: vec![vec![
                vec![t("a")],
                vec![t("a long description that runs on for a while and more")],
            ]],
        };
        let w = column_widths(&table, TEXT_WIDTH);
        assert_eq!(w.iter().sum::<u32>(), TEXT_WIDTH);
        assert!(w[1] > 3 * w[0], "{w:?}");
    }

    #[test]
    fn no_bold_header_word_is_broken_in_the_team_measure_table() {
        let t = Inline::text;
        let header: Vec<String> = [
            "Direct impact",
            "Measure",
            "Kind",
            "Unit",
            "Baseline",
            "Target",
            "Source",
            "Frequency",
            "Owner",
        ]
        .map(String::from)
        .to_vec();
        let mut row = vec![vec![t(
            "Young people feel more confident: 50% of them, at least",
        )]];
        row.extend((1..header.len()).map(|_| vec![t("x")]));
        let table = Table {
            caption: None,
            header: header.clone(),
            rows: vec![row],
        };
        let w = column_widths(&table, TEXT_WIDTH);
        for (h, w) in header.iter().zip(&w) {
            let word = h
                .split_whitespace()
                .map(|x| x.chars().count())
                .max()
                .unwrap_or(0);
            let needed = word as f64 * CHAR_TWIPS * 8.0 / 9.0 * 1.3 + CELL_PADDING;
            assert!(f64::from(*w) + 1.0 >= needed, "{h}: {w} < {needed}");
        }
    }
}
