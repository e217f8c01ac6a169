//! `elmo report`: the measurement framework as Markdown, HTML or CSV.

use std::io::Write;
use std::path::PathBuf;

use clap::ArgMatches;

use super::compile::CompileArgs;
use super::output::write_output;
use super::render::print_errors;
use super::{Error, ExitCode};
use crate::report::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// Markdown (GitHub flavour), for pull requests, wikis and READMEs.
    Md,
    /// One self-contained HTML page with the diagram, for browsers and printing to A4.
    Html,
    /// One row per output or impact and measure, for spreadsheets.
    Csv,
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
    let report = report.with_stamp(stamp);
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let format = args
        .format
        .unwrap_or(match output.extension().and_then(|e| e.to_str()) {
            Some("html" | "htm") => Format::Html,
            Some("csv") => Format::Csv,
            _ => Format::Md,
        });
    let doc = match format {
        Format::Md => crate::report::md::markdown(&report),
        Format::Html => {
            // The diagram has a landscape A4 page of its own, so that is its frame.
            let fit = args.fit.or(Some(crate::model::Fit::A4Landscape));
            let svg = crate::render::svg_fit(&compiled, &crate::render::theme::LIGHT, fit);
            crate::report::html::html(&report, svg.as_deref())
        }
        Format::Csv => crate::report::csv::csv(&report)
            .map_err(|e| Error::Usage(format!("could not write CSV: {e}")))?,
    };
    write_output(&output, doc.as_bytes(), out)?;
    Ok(ExitCode::Ok)
}
