//! `elmo watch`: redraw an SVG file on every good save, for editors' preview panes.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::write_output;
use super::render::ThemeName;
use super::{EXIT_OK, EXIT_USAGE};
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
}

pub(super) fn run(args: &WatchArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if super::is_stdin(&args.file) {
        let _ = writeln!(
            err,
            "error: `elmo watch` needs a model file to watch; standard input cannot be watched"
        );
        return EXIT_USAGE;
    }
    if args.output.as_os_str() == "-" {
        let _ = writeln!(
            err,
            "error: `elmo watch` needs a file to write; use `elmo render -o -` for standard output"
        );
        return EXIT_USAGE;
    }
    if same_file(&args.file, &args.output) {
        let _ = writeln!(
            err,
            "error: OUT is the model file itself; elmo never writes to a model"
        );
        return EXIT_USAGE;
    }
    let path = args.file.display().to_string();
    let mut watcher = match FileWatcher::new(&args.file, Debouncer::default()) {
        Ok(w) => w,
        Err(e) => {
            let _ = writeln!(err, "error: cannot watch {path}: {e}");
            return EXIT_USAGE;
        }
    };
    let mut live = Live::new(&path, crate::Options::default()).with_fit(args.fit);
    let theme = args.theme.theme();
    match live.reload(&args.file) {
        Outcome::Missing => {
            let _ = writeln!(err, "error: cannot read {path}: no such file");
            return EXIT_USAGE;
        }
        Outcome::Unreadable(e) => {
            let _ = writeln!(err, "error: cannot read {path}: {e}");
            return EXIT_USAGE;
        }
        first => report(&live, &first, &args.output, &theme, out, err),
    }
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
        report(&live, &outcome, &args.output, &theme, out, err);
    }
    EXIT_OK
}

/// Writes the drawing after a good save, or prints the errors of a broken one.
fn report(
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
            if write_output(output, good.svg(theme).as_bytes(), out, err) == EXIT_OK {
                let _ = writeln!(err, "wrote {} (version {version})", output.display());
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
