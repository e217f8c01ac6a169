//! `elmo status`: each measure's latest result against its baseline, target and comparison.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ArgMatches;

use super::compile::CompileArgs;
use super::render::print_errors;
use super::{Error, ExitCode};
use crate::emit::human::{Human, Style};
use crate::results::{Date, show};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// A table for the terminal.
    Text,
    /// One JSON document on standard output.
    Json,
    /// A Markdown table, for pull requests and reports.
    Md,
}

#[derive(Debug, clap::Args)]
pub(super) struct StatusArgs {
    /// The model file; its `results:` and `compute:` paths are relative to it.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The day to judge staleness on, as YYYY-MM-DD; today by default.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    compile: CompileArgs,
}

pub(super) fn parse_date(s: &str) -> Result<Date, String> {
    match Date::parse(s) {
        Some(d) if s.trim().len() == 10 && s.contains('-') => Ok(d),
        _ => Err(format!(
            "`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2025-09-30"
        )),
    }
}

pub(super) fn run(
    args: &StatusArgs,
    matches: Option<&ArgMatches>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let options = args.compile.options(matches)?;
    let (text, compiled) = super::compile_file(&args.file, &options)?;
    let name = super::model_name(&args.file);
    let Some(model) = compiled.model.as_ref().filter(|_| !compiled.has_errors()) else {
        print_errors(&name, &text, &compiled, err);
        return Ok(ExitCode::Errors);
    };
    let base = if super::is_stdin(&args.file) {
        PathBuf::from(".")
    } else {
        args.file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let results = crate::results::evaluate(model, &base, as_of);
    // Results files are named as the user would reach them, beside the model.
    let names: Vec<String> = results
        .files
        .iter()
        .map(|f| base.join(&f.name).display().to_string())
        .collect();
    let mut reports = show::file_reports(&name, &text, &results.model_diagnostics, &results);
    for (r, n) in reports.iter_mut().skip(1).zip(&names) {
        r.path = n;
    }
    let title = model.title.value.as_str();
    match args.format {
        Format::Json => {
            let doc = show::json(&name, &results, &reports);
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
        Format::Text | Format::Md => {
            for r in &reports {
                if !r.diagnostics.is_empty() {
                    let human = Human::new(r.path, r.source, Style::plain(100));
                    let _ = write!(err, "{}", human.diagnostics(r.diagnostics));
                }
            }
            let doc = if args.format == Format::Text {
                show::text(title, &results)
            } else {
                show::markdown(title, &results)
            };
            let _ = write!(out, "{doc}");
        }
    }
    Ok(if results.has_errors() {
        ExitCode::Errors
    } else {
        ExitCode::Ok
    })
}
