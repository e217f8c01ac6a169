//! One document structure for every page-shaped report: the HTML, Markdown and Word writers
//! lay out the same [`Document`], so they cannot say different things.
//!
//! A [`Document`] is built once from a [`super::Report`] for one [`Audience`]; each writer is
//! a walk over its blocks. Text here is plain: writers escape it for their own format.

use crate::vocab::vocab;

vocab! {
    /// Who a report is written for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Audience: "audience", fn as_str {
        #[default]
        /// Funders, boards and commissioners: plain English, no lint codes, ids or YAML.
        Funder = "funder",
        /// The people fixing the model: every finding with its code and fix.
        Team = "team",
    }
}

/// A report laid out as a sequence of blocks, independent of any file format.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document's title: the model's title.
    pub title: String,
    /// Who it is written for.
    pub audience: Audience,
    /// The line every page carries (date and model version), when known.
    pub footer: Option<String>,
    /// The day it was made, `YYYY-MM-DD`, when known: file formats with a creation date use it.
    pub date: Option<String>,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading; level 1 is the largest below the title.
    Heading {
        /// 1 to 3.
        level: u8,
        /// The heading's text.
        text: String,
        /// A stable anchor for links within the document.
        anchor: String,
    },
    /// A paragraph of running text.
    Paragraph(Vec<Inline>),
    /// A bulleted (or numbered) list; each item is one line of inline text.
    List {
        /// Whether the items are numbered.
        ordered: bool,
        /// The items.
        items: Vec<Vec<Inline>>,
    },
    /// Term and description pairs, such as the fields of a measure's definition.
    Definitions(Vec<(String, Vec<Inline>)>),
    /// A table with a header row.
    Table(Table),
    /// A picture drawn as SVG (the diagram, a results chart); writers that cannot embed SVG
    /// rasterise it.
    Figure(Figure),
    /// Start a new page here when the format has pages.
    PageBreak,
}

/// A table of text cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// What the table shows, read out by screen readers and printed above it.
    pub caption: Option<String>,
    /// The column headings.
    pub header: Vec<String>,
    /// The rows; each has as many cells as the header.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A picture with its description.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The picture as a standalone SVG document.
    pub svg: String,
    /// What the picture shows, in words, for readers who cannot see it.
    pub alt: String,
    /// The caption printed under it.
    pub caption: Option<String>,
    /// Whether the picture takes a page of its own (the diagram does).
    pub own_page: bool,
}

/// A run of text within a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Text to stress.
    Strong(String),
    /// Text in italics.
    Emphasis(String),
    /// A code, id or key, set in a fixed-width font; only the team audience uses it.
    Code(String),
    /// A link, to an anchor in the document (`#anchor`) or an address.
    Link {
        /// The words linked.
        text: String,
        /// Where it goes.
        href: String,
    },
}

impl Inline {
    /// Plain text.
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text(s.into())
    }

    /// The words of the run, without markup.
    pub fn plain(&self) -> &str {
        match self {
            Inline::Text(s) | Inline::Strong(s) | Inline::Emphasis(s) | Inline::Code(s) => s,
            Inline::Link { text, .. } => text,
        }
    }
}

/// The words of a run of inlines, without markup.
pub fn plain(inlines: &[Inline]) -> String {
    inlines.iter().map(Inline::plain).collect()
}
