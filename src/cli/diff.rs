//! `elmo diff`: the semantic difference between two versions of a model, each a file or a
//! `REV:path` read from git.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::render::write_output;
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::Compiled;
use crate::diagnostic::human::{Human, Style};
use crate::diagnostic::{Severity, summary_line};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// Grouped lines with `+`, `-`, `~` and `>` markers, for people.
    Text,
    /// One JSON document, for scripts and bots.
    Json,
    /// The new diagram with added, removed and changed parts marked, for a pull request.
    Svg,
}

#[derive(Debug, clap::Args)]
pub(super) struct DiffArgs {
    /// The old version: a file, or `REV:path` to read it from git (`main:models/x.yaml`).
    #[arg(value_name = "OLD")]
    old: String,
    /// The new version: a file, or `REV:path`.
    #[arg(value_name = "NEW")]
    new: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Where to write; standard output when absent or `-`.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Exit with status 1 when the models differ (like `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
}

/// Reads one side: a file when `spec` names one, else `REV:path` through `git show`.
fn read_side(spec: &str) -> Result<Vec<u8>, String> {
    let path = Path::new(spec);
    if path.exists() || !spec.contains(':') {
        return std::fs::read(path).map_err(|e| format!("cannot read {spec}: {e}"));
    }
    let out = Command::new("git")
        .args(["show", "--no-textconv", spec])
        .output()
        .map_err(|e| format!("cannot run git to read {spec}: {e}"))?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "`git show {spec}` failed: {}",
            msg.trim().lines().next().unwrap_or("no message")
        ));
    }
    Ok(out.stdout)
}

fn compile_side(spec: &str, err: &mut dyn Write) -> Result<Compiled, i32> {
    let bytes = read_side(spec).map_err(|e| {
        let _ = writeln!(err, "error: {e}");
        EXIT_USAGE
    })?;
    let (text, compiled) = crate::compile_bytes(&bytes, &crate::Options::default());
    if compiled.model.is_none() {
        let human = Human::new(spec, &text, Style::plain(100));
        let _ = write!(err, "{}", human.diagnostics(&compiled.diagnostics));
        let _ = writeln!(
            err,
            "{}; {spec} is not a model, nothing to compare",
            summary_line(compiled.diagnostics.len(), 0, 1)
        );
        return Err(EXIT_ERRORS);
    }
    Ok(compiled)
}

pub(super) fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let old = match compile_side(&args.old, err) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let new = match compile_side(&args.new, err) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(diff) = crate::diff::diff(&old, &new) else {
        return EXIT_ERRORS;
    };
    let doc = match args.format {
        Format::Text => crate::diff::text(&diff, &args.old, &args.new),
        Format::Json => {
            let json = crate::diff::to_json(&diff, &args.old, &args.new);
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
        }
        Format::Svg => {
            if new.has_errors() {
                let errors = new
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                let _ = writeln!(
                    err,
                    "error: {} has {errors} error(s) and cannot be drawn; `elmo check` explains them",
                    args.new
                );
                return EXIT_ERRORS;
            }
            let (Some(om), Some(nm)) = (&old.model, &new.model) else {
                return EXIT_ERRORS;
            };
            let merged = crate::diff::overlay(om, nm, &diff);
            let desc = format!(
                "Changes from {} to {}: {}.",
                args.old,
                args.new,
                crate::diff::summary_line(&diff.summary())
            );
            crate::render::svg_marked(
                &merged,
                &new.diagnostics,
                &diff.marks(),
                &crate::render::theme::LIGHT,
                &desc,
            )
        }
    };
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let status = write_output(&output, doc.as_bytes(), out, err);
    if status != EXIT_OK {
        return status;
    }
    if args.exit_code && !diff.is_empty() {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}
