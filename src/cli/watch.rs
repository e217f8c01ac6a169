//! `elmo watch`: redraw an SVG file on every good save, for editors' preview panes.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::write_output;
use clap::ArgMatches;

use super::compile::CompileArgs;
use super::render::ThemeName;
use super::{Error, ExitCode};
use crate::diagnostic::Severity;
use crate::emit::human::{Human, Style};
use crate::emit::summary_line;
use crate::render::Theme;
use crate::serve::live::{Live, Outcome};
use crate::serve::watch::{Debouncer, FileWatcher};

#[derive(Debug, clap::Args)]
pub(super) struct WatchArgs {
    /// The model file. It is only ever read.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The SVG file to keep up to date; replaced whole on each good save.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// Colour theme of the SVG.
    #[arg(long, value_enum, default_value_t = ThemeName::Light)]
    theme: ThemeName,
    /// The frame to fit the diagram to: 16:9, 4:3, a4-landscape, a4-portrait, or none for the
    /// unfitted drawing. Overrides the model's `fit:`; 16:9 when neither says.
    #[arg(long, value_name = "FRAME", value_parser = super::parse_fit)]
    fit: Option<crate::model::Fit>,
    /// The day results are judged on (staleness), as YYYY-MM-DD; today by default.
    #[arg(long, value_name = "DATE", value_parser = super::status::parse_date)]
    as_of: Option<crate::results::Date>,
    #[command(flatten)]
    compile: CompileArgs,
}

pub(super) fn run(
    args: &WatchArgs,
    matches: Option<&ArgMatches>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    if super::is_stdin(&args.file) {
        return Err(Error::Usage(
            "`elmo watch` needs a model file to watch; standard input cannot be watched".into(),
        ));
    }
    if args.output.as_os_str() == "-" {
        return Err(Error::Usage(
            "`elmo watch` needs a file to write; use `elmo render -o -` for standard output".into(),
        ));
    }
    if same_file(&args.file, &args.output) {
        return Err(Error::Usage(
            "OUT is the model file itself; elmo never writes to a model".into(),
        ));
    }
    let options = args.compile.options(matches)?;
    let path = args.file.display().to_string();
    let mut watcher = FileWatcher::new(&args.file, Debouncer::default())
        .map_err(|e| Error::Usage(format!("cannot watch {path}: {e}")))?;
    let mut live = Live::new(&path, options)
        .with_fit(args.fit)
        .with_results(&crate::serve::folder_of(&args.file), args.as_of);
    let theme = args.theme.theme();
    match live.reload(&args.file) {
        Outcome::Missing => return Err(Error::read(&path, "no such file")),
        Outcome::Unreadable(e) => return Err(Error::read(&path, e)),
        first => redraw(&live, &first, &args.output, &theme, out, err),
    }
    follow_results(
        &mut watcher,
        &mut live,
        &args.file,
        &args.output,
        &theme,
        out,
        err,
    );
    let stopper = watcher.stopper();
    if let Err(e) = ctrlc::set_handler(move || stopper.stop()) {
        let _ = writeln!(err, "warning: Ctrl-C will not stop the watch cleanly: {e}");
    }
    let _ = writeln!(
        err,
        "watching {path}; {} is redrawn on every good save (Ctrl-C to stop)",
        args.output.display()
    );
    while let Some(change) = watcher.next_change() {
        if let Err(e) = change {
            let _ = writeln!(err, "warning: watching {path}: {e}");
            continue;
        }
        let outcome = live.reload(&args.file);
        redraw(&live, &outcome, &args.output, &theme, out, err);
        follow_results(
            &mut watcher,
            &mut live,
            &args.file,
            &args.output,
            &theme,
            out,
            err,
        );
    }
    Ok(ExitCode::Ok)
}

/// Follows the results and records files the model names now, and when that set changed,
/// reads again in case one changed before its watch began.
fn follow_results(
    watcher: &mut FileWatcher,
    live: &mut Live,
    file: &Path,
    output: &Path,
    theme: &Theme,
    out: &mut dyn Write,
    err: &mut dyn Write,
) {
    match watcher.follow_also(live.inputs()) {
        Ok(true) => {
            let outcome = live.reload(file);
            redraw(live, &outcome, output, theme, out, err);
        }
        Ok(false) => {}
        Err(e) => {
            let _ = writeln!(err, "warning: watching {}: {e}", live.path());
        }
    }
}

/// Writes the drawing after a good save, or prints the errors of a broken one.
fn redraw(
    live: &Live,
    outcome: &Outcome,
    output: &Path,
    theme: &Theme,
    out: &mut dyn Write,
    err: &mut dyn Write,
) {
    let path = live.path();
    match outcome {
        Outcome::Rebuilt { version, .. } => {
            let snapshot = live.snapshot();
            let Some(good) = snapshot.good() else { return };
            // A failed write is reported and the watch goes on: the next save may succeed.
            match write_output(output, good.svg(theme).as_bytes(), out) {
                Ok(()) => {
                    let _ = writeln!(err, "wrote {} (version {version})", output.display());
                }
                Err(e) => {
                    super::report(&e, err);
                }
            }
        }
        Outcome::Broken { errors, kept } => {
            if let Some((text, compiled)) = live.latest() {
                let human = Human::new(path, text, Style::plain(100));
                let errors = compiled
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error);
                let _ = write!(err, "{}", human.diagnostics(errors));
                // Errors in the results point into their own files.
                if let Some(results) = live.results() {
                    let _ = write!(
                        err,
                        "{}",
                        human.diagnostics(
                            results
                                .model_diagnostics
                                .iter()
                                .filter(|d| d.severity == Severity::Error)
                        )
                    );
                    for f in &results.files {
                        let name = f.path.display().to_string();
                        let human = Human::new(&name, &f.text, Style::plain(100));
                        let errors = f
                            .diagnostics
                            .iter()
                            .filter(|d| d.severity == Severity::Error);
                        let _ = write!(err, "{}", human.diagnostics(errors));
                    }
                }
            }
            let left = match kept {
                Some(v) => format!("{} left as it was (version {v})", output.display()),
                None => format!(
                    "nothing drawn yet: {} is written on the first good save",
                    output.display()
                ),
            };
            let _ = writeln!(err, "{}; {left}", summary_line(*errors, 0, 1));
        }
        Outcome::Missing => {
            let _ = writeln!(err, "{path}: missing; waiting for it to come back");
        }
        Outcome::Unreadable(e) => {
            let _ = writeln!(err, "{path}: cannot read: {e}");
        }
        Outcome::Unchanged => {}
    }
}

/// Whether `a` and `b` name the same file once links are followed (OUT need not exist yet:
/// then its canonical folder and file name are compared).
fn same_file(a: &Path, b: &Path) -> bool {
    let key = |p: &Path| {
        if let Ok(full) = p.canonicalize() {
            return Some(full);
        }
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(dir.canonicalize().ok()?.join(p.file_name()?))
    };
    match (key(a), key(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}
