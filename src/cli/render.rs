//! `elmo render`: draw a model as SVG, PNG, DOT or Mermaid.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::ArgMatches;

use super::compile::CompileArgs;
use super::output::write_output;
use super::{Error, ExitCode};
use crate::diagnostic::Severity;
use crate::emit::human::{Human, Style};
use crate::emit::summary_line;
use crate::model::Model;
use crate::results::{Date, Results};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// The diagram as a self-contained SVG.
    Svg,
    /// Graphviz DOT, one rank per stage.
    Dot,
    /// A Mermaid flowchart, one subgraph per stage (GitHub and GitLab draw it in Markdown).
    Mermaid,
    /// A PNG image of the SVG, `--scale` times its size.
    Png,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum ThemeName {
    /// Dark text on white.
    Light,
    /// Light text on near-black.
    Dark,
    /// White and yellow on black, thicker lines.
    Contrast,
}

impl ThemeName {
    /// The theme's colours.
    pub(super) fn theme(self) -> crate::render::Theme {
        match self {
            ThemeName::Light => crate::render::theme::LIGHT,
            ThemeName::Dark => crate::render::theme::DARK,
            ThemeName::Contrast => crate::render::theme::CONTRAST,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct RenderArgs {
    /// The model file; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Where to write the drawing; standard output when absent or `-`.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Output format; by default taken from OUT's extension, else SVG.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Colour theme of the SVG and PNG.
    #[arg(long, value_enum, default_value_t = ThemeName::Light)]
    theme: ThemeName,
    /// The frame to fit the diagram to: 16:9, 4:3, a4-landscape, a4-portrait, or none for the
    /// unfitted drawing. Overrides the model's `fit:`; 16:9 when neither says.
    #[arg(long, value_name = "FRAME", value_parser = super::parse_fit)]
    fit: Option<crate::model::Fit>,
    /// PNG pixels per SVG pixel.
    #[arg(long, value_name = "F", default_value_t = 2.0)]
    scale: f32,
    /// The day results are judged on (staleness), as YYYY-MM-DD; today by default. Results
    /// are read from the files the model lists, relative to it (none for standard input).
    #[arg(long, value_name = "DATE", value_parser = super::status::parse_date)]
    as_of: Option<Date>,
    #[command(flatten)]
    compile: CompileArgs,
}

pub(super) fn run(
    args: &RenderArgs,
    matches: Option<&ArgMatches>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let options = args.compile.options(matches)?;
    let (text, compiled) = super::compile_file(&args.file, &options)?;
    let path = super::model_name(&args.file);
    if compiled.has_errors() {
        print_errors(&path, &text, &compiled, err);
        return Ok(ExitCode::Errors);
    }
    let results = match (&compiled.model, super::is_stdin(&args.file)) {
        (Some(model), false) => results_of(&args.file, model, args.as_of),
        _ => None,
    };
    if let Some(r) = &results
        && r.has_errors()
    {
        print_result_errors(&path, &text, r, err);
        return Ok(ExitCode::Errors);
    }
    let warnings = compiled.diagnostics.len();
    if warnings > 0 {
        let _ = writeln!(
            err,
            "{path}: {warnings} warning(s) drawn on the diagram; `elmo check {path}` explains them"
        );
    }
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let format = args
        .format
        .unwrap_or(match output.extension().and_then(|e| e.to_str()) {
            Some("dot" | "gv") => Format::Dot,
            Some("mmd" | "mermaid") => Format::Mermaid,
            Some("png") => Format::Png,
            _ => Format::Svg,
        });
    if !(args.scale.is_finite() && args.scale > 0.0 && args.scale <= 16.0) {
        return Err(Error::Usage(
            "--scale must be a number above 0 and at most 16".into(),
        ));
    }
    if format == Format::Png && output.as_os_str() == "-" && std::io::stdout().is_terminal() {
        return Err(Error::Usage(
            "a PNG is binary and would garble the terminal; give `-o FILE.png` or redirect standard output".into(),
        ));
    }
    let theme = args.theme.theme();
    let drawing: Option<Vec<u8>> = match format {
        Format::Svg => crate::render::svg_results(&compiled, &theme, args.fit, results.as_ref())
            .map(String::into_bytes),
        Format::Dot => match (&compiled.model, &compiled.graph) {
            (Some(m), Some(g)) => {
                Some(crate::render::dot::dot(m, g, &compiled.diagnostics).into_bytes())
            }
            _ => None,
        },
        Format::Mermaid => match (&compiled.model, &compiled.graph) {
            (Some(m), Some(g)) => {
                Some(crate::render::mermaid::mermaid(m, g, &compiled.diagnostics).into_bytes())
            }
            _ => None,
        },
        Format::Png => {
            match crate::render::picture_svg_results(&compiled, &theme, args.fit, results.as_ref())
            {
                Some(svg) => match crate::render::png::png(&svg, args.scale) {
                    Ok(bytes) => Some(bytes),
                    Err(e) => {
                        return Err(Error::Model(format!(
                            "{path} could not be drawn as PNG: {e}"
                        )));
                    }
                },
                None => None,
            }
        }
    };
    let Some(drawing) = drawing else {
        return Err(Error::Model(format!("{path} could not be drawn")));
    };
    write_output(&output, &drawing, out)?;
    Ok(ExitCode::Ok)
}

/// The results of the model at `file`, as of `as_of` (today by default), when it names any;
/// paths in it are relative to the model's folder.
pub(super) fn results_of(file: &Path, model: &Model, as_of: Option<Date>) -> Option<Results> {
    if !crate::results::named(model) {
        return None;
    }
    let base = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(crate::results::evaluate(
        model,
        &base,
        as_of.unwrap_or_else(Date::today),
    ))
}

/// Prints the errors in a model's results, each pointing into its own file, then the
/// summary: results with errors are not drawn, as a model with errors is not.
pub(super) fn print_result_errors(path: &str, text: &str, results: &Results, err: &mut dyn Write) {
    let reports =
        crate::results::show::file_reports(path, text, &results.model_diagnostics, results);
    let mut count = 0;
    for (i, r) in reports.iter().enumerate() {
        let errors: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        count += errors.len();
        // Results files are named as the user reaches them, beside the model.
        let name = match i {
            0 => r.path.to_string(),
            _ => results.files[i - 1].path.display().to_string(),
        };
        let human = Human::new(&name, r.source, Style::plain(100));
        let _ = write!(err, "{}", human.diagnostics(errors.iter().copied()));
    }
    let _ = writeln!(
        err,
        "{}; nothing written",
        summary_line(count, 0, reports.len())
    );
}

/// Prints the errors that stop a model from being drawn or reported, then the summary.
pub(super) fn print_errors(
    path: &str,
    text: &str,
    compiled: &crate::Compiled,
    err: &mut dyn Write,
) {
    let errors: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let human = Human::new(path, text, Style::plain(100));
    let _ = write!(err, "{}", human.diagnostics(errors.iter().copied()));
    let _ = writeln!(err, "{}; nothing written", summary_line(errors.len(), 0, 1));
}
