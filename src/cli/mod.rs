//! The command line: argument parsing and one file per subcommand, over the library.

mod check;
mod compile;
mod completions;
mod diff;
mod explain;
mod import;
mod init;
mod lsp;
mod output;
mod render;
mod report;
mod schema;
mod serve;
mod status;
mod watch;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// How a command ended, as its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitCode {
    /// 0: the command ran and found no errors.
    Ok,
    /// 1: the model has errors (or denied warnings), or could not be drawn or compared.
    Errors,
    /// 2: bad usage, or a file could not be read or written.
    Usage,
}

impl ExitCode {
    /// The number the process exits with.
    pub fn status(self) -> i32 {
        match self {
            ExitCode::Ok => 0,
            ExitCode::Errors => 1,
            ExitCode::Usage => 2,
        }
    }
}

/// Why a command stopped, printed once as `error: …` by [`run`].
#[derive(Debug)]
pub enum Error {
    /// Bad usage, or a file that could not be read or written: exit status 2.
    Usage(String),
    /// The model cannot be drawn or compared: exit status 1.
    Model(String),
}

impl Error {
    /// A file that could not be read.
    fn read(name: &str, e: impl std::fmt::Display) -> Self {
        Error::Usage(format!("cannot read {name}: {e}"))
    }

    /// A file that could not be written.
    fn write(path: &Path, e: impl std::fmt::Display) -> Self {
        Error::Usage(format!("cannot write {}: {e}", path.display()))
    }

    /// The exit status this error ends the command with.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) => ExitCode::Usage,
            Error::Model(_) => ExitCode::Errors,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Usage(m) | Error::Model(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// Prints `e` on `err` and gives its exit status. Every `error:` line goes through here,
/// the fatal ones from [`dispatch`] and those `check` reports before going on to the
/// next file.
fn report(e: &Error, err: &mut dyn Write) -> ExitCode {
    let _ = writeln!(err, "error: {e}");
    e.exit_code()
}

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
    /// Make a model from a spreadsheet (.xlsx, .ods, .csv): a team's logic-model table, or a
    /// workbook `elmo report` wrote.
    Import(import::ImportArgs),
    /// Serve a live page of a model that redraws on every save, for workshops.
    Serve(serve::ServeArgs),
    /// Each measure's latest result against its baseline, target and comparison group.
    Status(status::StatusArgs),
    /// Redraw an SVG file on every good save of a model.
    Watch(watch::WatchArgs),
    /// Explain a diagnostic code: why it matters, an example, and the fix.
    Explain(explain::ExplainArgs),
    /// Print the JSON Schema of the model format, for editor completion and validation.
    Schema(schema::SchemaArgs),
    /// Run the language server over standard input and output, for editors.
    Lsp(lsp::LspArgs),
    /// Print a shell's completion script (bash, zsh, fish, powershell or elvish).
    Completions(completions::CompletionsArgs),
    /// Print the manual page, or write one page per command into a folder.
    Man(completions::ManArgs),
}

/// The command-line definition, from which help, completions and manual pages all come.
fn definition() -> clap::Command {
    Cli::command()
}

/// Whether a model path means standard input (`-`).
fn is_stdin(file: &Path) -> bool {
    file.as_os_str() == "-"
}

/// How a model path is named in messages and diagnostics: `<stdin>` for `-`.
fn model_name(file: &Path) -> String {
    if is_stdin(file) {
        "<stdin>".to_string()
    } else {
        file.display().to_string()
    }
}

/// The folder a model's `results:` and `compute:` paths are relative to: the model file's
/// own, or the working folder for standard input.
fn base_dir(file: &Path) -> PathBuf {
    if is_stdin(file) {
        return PathBuf::from(".");
    }
    file.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Reads a model given on the command line (`-` for standard input) within `limits`, like
/// every other command that reads a model.
fn read_model(file: &Path, limits: &crate::Limits) -> io::Result<Vec<u8>> {
    if is_stdin(file) {
        crate::input::read_stdin(limits.max_file_size)
    } else {
        crate::input::read_file(file, limits.max_file_size)
    }
}

/// Reads and compiles a model file for the commands that draw or report it.
fn compile_file(file: &Path, options: &crate::Options) -> Result<(String, crate::Compiled), Error> {
    let bytes = read_model(file, &options.limits).map_err(|e| Error::read(&model_name(file), e))?;
    Ok(crate::compile_bytes(&bytes, options))
}

/// Standard output that keeps its first error, so that a failed write fails the command
/// whichever command wrote, without every `writeln!` checking.
struct Checked<'a> {
    inner: &'a mut dyn Write,
    error: Option<io::Error>,
}

impl Checked<'_> {
    fn keep(&mut self, e: io::Error) -> io::Error {
        let again = io::Error::new(e.kind(), e.to_string());
        self.error.get_or_insert(e);
        again
    }
}

impl Write for Checked<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(e) = &self.error {
            // Nothing more reaches a stream that already failed: half a document is as
            // broken as a quarter of one, and a closed pipe wants no more.
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        self.inner.write(buf).map_err(|e| self.keep(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(e) = &self.error {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        self.inner.flush().map_err(|e| self.keep(e))
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
                c => crate::escape::terminal_char(c),
            })
            .collect();
        self.0.write_all(safe.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Reads `--fit`'s value.
fn parse_fit(s: &str) -> Result<crate::model::Fit, String> {
    s.parse()
}

/// Runs the command line with `args` (including the program name), writing to the given
/// streams, and returns the exit status.
///
/// Arguments are taken as `OsString`s, so file names that are not UTF-8 reach the file
/// system as they are. A failed write to `out` makes the status 2, except a closed pipe
/// (`elmo … | head`), which ends the output quietly and keeps the command's own status.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut checked = Checked {
        inner: out,
        error: None,
    };
    let err = &mut TerminalSafe(err);
    let status = match dispatch(args, &mut checked, err) {
        Ok(code) => code,
        Err(e) => report(&e, err),
    };
    let _ = checked.flush();
    let status = match checked.error {
        None => status,
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => status,
        Some(e) => report(
            &Error::Usage(format!("cannot write to standard output: {e}")),
            err,
        ),
    };
    status.status()
}

fn dispatch<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitCode, Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match definition().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            // clap words its own usage errors (and prints help and the version).
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            return Ok(if e.use_stderr() {
                ExitCode::Usage
            } else {
                ExitCode::Ok
            });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            // Already worded as clap's `error: …`.
            let _ = write!(err, "{e}");
            return Ok(ExitCode::Usage);
        }
    };
    // The subcommand's own matches know the order of its level flags.
    let sub = matches.subcommand().map(|(_, m)| m);
    match cli.command {
        Command::Check(a) => check::run(&a, sub, out, err),
        Command::Schema(a) => schema::run(&a, out),
        Command::Lsp(a) => lsp::run(&a),
        Command::Explain(a) => explain::run(&a, out),
        Command::Init(a) => init::run(&a, out, err),
        Command::Import(a) => import::run(&a, out, err),
        Command::Render(a) => render::run(&a, sub, out, err),
        Command::Report(a) => report::run(&a, sub, out, err),
        Command::Diff(a) => diff::run(&a, sub, out, err),
        Command::Serve(a) => serve::run(&a, sub, out, err),
        Command::Watch(a) => watch::run(&a, sub, out, err),
        Command::Status(a) => status::run(&a, sub, out, err),
        Command::Completions(a) => completions::completions(&a, out),
        Command::Man(a) => completions::man(&a, out),
    }
}
