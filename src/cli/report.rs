//! `elmo report`: the measurement framework as Markdown, HTML, Word, CSV or an Excel workbook.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::ArgMatches;

use super::compile::CompileArgs;
use super::output::write_output;
use super::render::print_errors;
use super::{Error, ExitCode};
use crate::emit::human::{Human, Style};
use crate::report::Report;
use crate::report::document::Audience;

fn parse_audience(s: &str) -> Result<Audience, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// Markdown (GitHub flavour), for pull requests, wikis and READMEs.
    Md,
    /// One self-contained HTML page with the diagram, for browsers and printing to A4.
    Html,
    /// One row per output or impact and measure, for spreadsheets.
    Csv,
    /// A Word document (.docx) with headings, tables, the diagram and page numbers.
    Docx,
    /// An Excel workbook: measures, boxes, links, assumptions, sources and results as typed
    /// cells, which `elmo import` reads back into the same model.
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub(super) struct ReportArgs {
    /// The model file; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Output format; by default taken from OUT's extension, else Markdown.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Where to write the report; standard output when absent or `-`.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// The frame the HTML report's diagram is fitted to: its own landscape A4 page unless
    /// this says otherwise (16:9, 4:3, a4-landscape, a4-portrait, none).
    #[arg(long, value_name = "FRAME", value_parser = super::parse_fit)]
    fit: Option<crate::model::Fit>,
    /// The day to judge the results on (`stale-result`), as YYYY-MM-DD; by default the
    /// report's date (today, or the day of SOURCE_DATE_EPOCH).
    #[arg(long, value_name = "DATE", value_parser = super::status::parse_date)]
    as_of: Option<crate::results::Date>,
    /// Who the Markdown or HTML report is for: `funder` (the default: plain English, every
    /// measure's full definition, no lint codes, ids or YAML) or `team` (every finding with
    /// its code and fix). The CSV is the same for both.
    #[arg(long, value_name = "WHO", value_parser = parse_audience)]
    audience: Option<Audience>,
    #[command(flatten)]
    compile: CompileArgs,
}

pub(super) fn run(
    args: &ReportArgs,
    matches: Option<&ArgMatches>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let options = args.compile.options(matches)?;
    let (text, compiled) = super::compile_file(&args.file, &options)?;
    let path = super::model_name(&args.file);
    let Some(report) = Report::build(&compiled) else {
        print_errors(&path, &text, &compiled, err);
        return Ok(ExitCode::Errors);
    };
    let stamp = crate::report::stamp::Stamp::for_file(&args.file).map_err(Error::Usage)?;
    let report = match compiled
        .model
        .as_ref()
        .filter(|m| !m.results.is_empty() || m.measures.iter().any(|x| x.compute.is_some()))
    {
        Some(model) => {
            // The report's own date, which SOURCE_DATE_EPOCH fixes for reproducible output.
            let as_of = args
                .as_of
                .or_else(|| crate::results::Date::parse(&stamp.date))
                .unwrap_or_else(crate::results::Date::today);
            let mut results = crate::results::evaluate(model, &super::base_dir(&args.file), as_of);
            results.apply_levels(model, &options.levels);
            if results.has_errors() {
                // A report that quietly left out the rows it could not read would present a
                // partial picture as the whole one.
                for r in crate::results::show::file_reports(
                    &path,
                    &text,
                    &results.model_diagnostics,
                    &results,
                ) {
                    let human = Human::new(r.path, r.source, Style::plain(100));
                    let _ = write!(err, "{}", human.diagnostics(r.diagnostics));
                }
                let _ = writeln!(err, "the results have errors; no report written");
                return Ok(ExitCode::Errors);
            }
            report.with_results(model, &results)
        }
        None => report,
    };
    let report = report.with_stamp(stamp);
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let format = args
        .format
        .unwrap_or(match output.extension().and_then(|e| e.to_str()) {
            Some("html" | "htm") => Format::Html,
            Some("csv") => Format::Csv,
            Some("docx") => Format::Docx,
            Some("xlsx") => Format::Xlsx,
            _ => Format::Md,
        });
    let audience = args.audience.unwrap_or_default();
    let doc = match format {
        Format::Md => {
            crate::report::md::markdown(&crate::report::build::document(&report, audience, None))
        }
        Format::Html => {
            // The diagram has a landscape A4 page of its own, so that is its frame.
            let fit = args.fit.or(Some(crate::model::Fit::A4Landscape));
            let svg = crate::render::svg_fit(&compiled, &crate::render::theme::LIGHT, fit);
            let doc = crate::report::build::document(&report, audience, svg.as_deref());
            crate::report::html::html(&doc)
        }
        Format::Csv => crate::report::csv::csv(&report)
            .map_err(|e| Error::Usage(format!("could not write CSV: {e}")))?,
        Format::Docx => {
            if output.as_os_str() == "-" && std::io::stdout().is_terminal() {
                return Err(Error::Usage(
                    "a Word document is binary and would garble the terminal; give `-o FILE.docx` or redirect standard output".into(),
                ));
            }
            // The diagram has a landscape A4 page of its own, as in the HTML report.
            let fit = args.fit.or(Some(crate::model::Fit::A4Landscape));
            let svg = crate::render::svg_fit(&compiled, &crate::render::theme::LIGHT, fit);
            let doc = crate::report::build::document(&report, audience, svg.as_deref());
            let bytes = crate::report::docx::docx(&doc)
                .map_err(|e| Error::Usage(format!("could not write the Word document: {e}")))?;
            write_output(&output, &bytes, out)?;
            return Ok(ExitCode::Ok);
        }
        Format::Xlsx => return xlsx(&compiled, &report, &output, out),
    };
    write_output(&output, doc.as_bytes(), out)?;
    Ok(ExitCode::Ok)
}

/// Writes the workbook, which is binary: refused on a terminal, like a PNG.
fn xlsx(
    compiled: &crate::Compiled,
    report: &Report,
    output: &std::path::Path,
    out: &mut dyn Write,
) -> Result<ExitCode, Error> {
    if output.as_os_str() == "-" && std::io::stdout().is_terminal() {
        return Err(Error::Usage(
            "an .xlsx workbook is binary and would garble the terminal; give `-o FILE.xlsx` or redirect standard output".into(),
        ));
    }
    let Some(model) = compiled.model.as_ref() else {
        return Err(Error::Model("the model could not be read".into()));
    };
    let bytes = crate::report::xlsx::xlsx(model, report)
        .map_err(|e| Error::Usage(format!("could not write the workbook: {e}")))?;
    write_output(output, &bytes, out)?;
    Ok(ExitCode::Ok)
}
