//! elmo's integration tests, in one binary (one link step, one process per `cargo test`),
//! with a module per area and their shared helpers in `common`.
//!
//! Run one area with `cargo test --test it AREA::`, for example `cargo test --test it diff::`.

mod common;
mod invariants;

mod book;
mod browser_svg;
mod check_results;
mod cli;
mod completions;
mod diagnostics;
mod diff;
mod diff_results;
mod evaluation;
mod formats;
mod fuzz_corpus;
mod import;
mod install;
mod io;
mod legibility;
mod lints;
mod lsp;
mod lsp_nav;
mod lsp_server;
mod models;
mod properties;
mod reasoning;
mod render;
mod report;
mod report_audience;
mod report_docx;
mod report_pdf;
mod report_results;
mod results;
mod results_diagram;
mod schema_validator;
mod serve;
mod serve_browser;
mod serve_load;
mod serve_slowloris;
mod terminal_output;
mod xml_text;
