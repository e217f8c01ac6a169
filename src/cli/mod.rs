//! The command line: argument parsing and one file per subcommand, over the library.

mod check;
mod diff;
mod explain;
mod init;
mod render;
mod report;
mod schema;
mod serve;
mod watch;

use std::io::Write;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Exit status: the command ran and found no errors.
pub const EXIT_OK: i32 = 0;
/// Exit status: the model has errors (or denied warnings).
pub const EXIT_ERRORS: i32 = 1;
/// Exit status: bad usage, or a file could not be read or written.
pub const EXIT_USAGE: i32 = 2;

/// Logic models and theories of change as code: check them like code, draw them as diagrams.
#[derive(Debug, Parser)]
#[command(name = "elmo", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse and validate models; print what is wrong, where, and how to fix it.
    Check(check::CheckArgs),
    /// Draw a model as a diagram (SVG, PNG, DOT or Mermaid).
    Render(render::RenderArgs),
    /// The measurement framework a funder asks for: measures, gaps, assumptions, data sources.
    Report(report::ReportArgs),
    /// What changed between two versions of a model: items, links, and check results.
    Diff(diff::DiffArgs),
    /// Write a starter model whose comments walk through the four steps.
    Init(init::InitArgs),
    /// Serve a live page of a model that redraws on every save, for workshops.
    Serve(serve::ServeArgs),
    /// Redraw an SVG file on every good save of a model.
    Watch(watch::WatchArgs),
    /// Explain a diagnostic code: why it matters, an example, and the fix.
    Explain(explain::ExplainArgs),
    /// Print the JSON Schema of the model format, for editor completion and validation.
    Schema(schema::SchemaArgs),
}

/// Reads and compiles a model file for the commands that draw or report it. An unreadable
/// file is reported on `err` and gives the exit status to return.
fn compile_file(
    file: &std::path::Path,
    err: &mut dyn Write,
) -> Result<(String, crate::Compiled), i32> {
    match std::fs::read(file) {
        Ok(bytes) => Ok(crate::compile_bytes(&bytes, &crate::Options::default())),
        Err(e) => {
            let _ = writeln!(err, "error: cannot read {}: {e}", file.display());
            Err(EXIT_USAGE)
        }
    }
}

/// A stream for people to read, with each control character but the line break and the tab
/// shown as a visible symbol. Everything on standard error goes through it, so a file name,
/// a message or an operating-system error can never move the cursor, retitle or clear the
/// terminal.
struct TerminalSafe<'a>(&'a mut dyn Write);

impl Write for TerminalSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let safe: String = text
            .chars()
            .map(|c| match c {
                '\n' | '\t' => c,
                c => crate::diagnostic::human::escape_char(c),
            })
            .collect();
        self.0.write_all(safe.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Runs the command line with `args` (including the program name), writing to the given
/// streams, and returns the exit status.
pub fn run(args: Vec<String>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let err = &mut TerminalSafe(err);
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            return code;
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = write!(err, "{e}");
            return EXIT_USAGE;
        }
    };
    let result = match cli.command {
        Command::Check(a) => {
            let sub = matches.subcommand_matches("check");
            check::run(&a, sub, out, err)
        }
        Command::Schema(a) => schema::run(&a, out, err),
        Command::Explain(a) => explain::run(&a, out, err),
        Command::Init(a) => init::run(&a, out, err),
        Command::Render(a) => render::run(&a, out, err),
        Command::Report(a) => report::run(&a, out, err),
        Command::Diff(a) => diff::run(&a, out, err),
        Command::Serve(a) => serve::run(&a, out, err),
        Command::Watch(a) => watch::run(&a, out, err),
    };
    let _ = out.flush();
    result
}
