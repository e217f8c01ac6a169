//! elmo: logic models and theories of change as code.
//!
//! # Steps
//! A model flows one way through these stages, each its own module:
//!
//! 1. [`parse`]: source text to a YAML tree with the byte span of every key and value,
//!    bounded in size, depth and alias expansion.
//! 2. [`model`]: the tree decoded into typed items (nodes in six stages, measures, sources,
//!    assumptions), reporting unknown keys, missing keys and invalid values.
//! 3. [`graph`]: nodes and links as a petgraph graph, with an index of every id.
//! 4. [`check`]: the lints over model and graph, then lint levels applied.
//! 5. [`layout`]: positions for boxes, links, markers and the key, with no SVG in sight.
//! 6. [`render`]: the positioned diagram as SVG; DOT and other exports.
//!
//! [`serve`] is the live workshop mode: it watches a file, reruns steps 1 to 6 on every save
//! and pushes the drawing to open pages. [`lsp`] is the language server editors start: it
//! reruns steps 1 to 4 as the text changes and answers completion and hover from the model.
//!
//! [`diagnostic`] holds what the checks report and [`emit`] prints it (miette's report,
//! JSON, GitHub or SARIF); [`escape`] makes model text safe for XML, HTML and terminals;
//! [`lint`] is the registry of codes and their documentation. [`readiness`] sums up how far
//! a model can show its impact, [`stats`] holds the arithmetic of the power checks and
//! [`unit`] reads what a measure's unit says about its numbers. [`input`] reads a model's
//! bytes within the size limit for every command. The `cli` module is the command line, a
//! thin layer over [`compile`].

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod escape;
pub mod generate;
pub mod graph;
pub mod import;
pub mod init;
pub mod input;
pub mod layout;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod parse;
pub mod readiness;
pub mod render;
pub mod report;
pub mod results;
pub mod serve;
pub mod span;
pub mod stats;
pub mod unit;
pub mod vocab;

pub use check::{LevelFlag, LintTarget};
pub use diagnostic::{Diagnostic, Severity};
pub use graph::Graph;
pub use lint::{Code, Level};
pub use model::{Model, Stage};
pub use parse::Limits;

/// Settings for one compilation.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Resource bounds for reading the file.
    pub limits: Limits,
    /// Command-line lint levels, in the order given.
    pub levels: Vec<LevelFlag>,
}

/// The result of compiling one model: whatever could be built, and every diagnostic.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The typed model, when the file was a YAML mapping.
    pub model: Option<Model>,
    /// The graph, when there is a model.
    pub graph: Option<Graph>,
    /// Diagnostics at their final levels, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings an `allow:` or a level of `allow` silenced, in source order: reports list
    /// them so a silenced gap is not read as no gap.
    pub accepted: Vec<check::Accepted>,
}

impl Compiled {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// How ready the model is to show its impact, when there is a model.
    pub fn readiness(&self) -> Option<readiness::Readiness> {
        let (model, graph) = (self.model.as_ref()?, self.graph.as_ref()?);
        Some(readiness::assess(model, graph))
    }
}

/// Compiles model source text with default options.
pub fn compile(src: &str) -> Compiled {
    compile_with(src, &Options::default())
}

/// Compiles model source text.
pub fn compile_with(src: &str, options: &Options) -> Compiled {
    let root = match parse::parse(src, &options.limits) {
        Ok(root) => root,
        Err(d) => {
            return Compiled {
                model: None,
                graph: None,
                diagnostics: vec![*d],
                accepted: Vec::new(),
            };
        }
    };
    let mut diagnostics = parse::comments_in_text(src, &root);
    let model = model::decode(&root, &options.limits, &mut diagnostics);
    drop(root);
    let graph = model.as_ref().map(Graph::build);
    if let (Some(m), Some(g)) = (&model, &graph) {
        let decode_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        diagnostics.extend(check::run(m, g, decode_errors));
    }
    let (mut diagnostics, mut accepted) =
        check::apply_levels_keeping(model.as_ref(), &options.levels, diagnostics);
    // Source order reads top to bottom; the code breaks ties so the order never varies.
    let order = |a: &Diagnostic, b: &Diagnostic| {
        (a.span.start, a.code, &a.message).cmp(&(b.span.start, b.code, &b.message))
    };
    diagnostics.sort_by(order);
    accepted.sort_by(|a, b| order(&a.diagnostic, &b.diagnostic));
    Compiled {
        model,
        graph,
        diagnostics,
        accepted,
    }
}

/// Compiles raw file bytes, reporting text that is not UTF-8 as a `yaml-syntax` error.
///
/// Returns the text that was checked (lossily decoded when invalid) alongside the result, so
/// that reports can show snippets.
pub fn compile_bytes(bytes: &[u8], options: &Options) -> (String, Compiled) {
    if bytes.len() > options.limits.max_file_size {
        // Refused before decoding: the caller may have read only the first bytes of the file.
        let d = parse::too_large(bytes.len(), &options.limits);
        let compiled = Compiled {
            model: None,
            graph: None,
            diagnostics: vec![d],
            accepted: Vec::new(),
        };
        return (String::new(), compiled);
    }
    match std::str::from_utf8(bytes) {
        Ok(src) => (src.to_string(), compile_with(src, options)),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            // The lossy text has the same bytes up to the first invalid one.
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let d = Diagnostic::new(
                Code::YamlSyntax,
                format!("the file is not UTF-8 text (invalid byte at offset {at})"),
                span::Span::new(at, end),
            )
            .with_help(
                "save the file as UTF-8; most editors offer this under \"Save with encoding\"",
            );
            (
                text,
                Compiled {
                    model: None,
                    graph: None,
                    diagnostics: vec![d],
                    accepted: Vec::new(),
                },
            )
        }
    }
}
