//! `elmo render`: draw a model as SVG, PNG, DOT or Mermaid.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::ArgMatches;

use super::compile::CompileArgs;
use super::output::write_output;
use super::{Error, ExitCode};
use crate::diagnostic::Severity;
use crate::emit::human::{Human, Style};
use crate::emit::summary_line;

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
        Format::Svg => crate::render::svg_fit(&compiled, &theme, args.fit).map(String::into_bytes),
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
        Format::Png => match crate::render::picture_svg(&compiled, &theme, args.fit) {
            Some(svg) => match crate::render::png::png(&svg, args.scale) {
                Ok(bytes) => Some(bytes),
                Err(e) => {
                    return Err(Error::Model(format!(
                        "{path} could not be drawn as PNG: {e}"
                    )));
                }
            },
            None => None,
        },
    };
    let Some(drawing) = drawing else {
        return Err(Error::Model(format!("{path} could not be drawn")));
    };
    write_output(&output, &drawing, out)?;
    Ok(ExitCode::Ok)
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
