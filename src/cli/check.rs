//! `elmo check`: validate model files and report diagnostics.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::ArgMatches;

use super::compile::CompileArgs;
use super::{Error, ExitCode, report};
use crate::emit::human::{Human, PER_CODE, Style};
use crate::emit::json::{Document, FileJson};
use crate::emit::{FileReport, summary_line};
use crate::escape::terminal;
use crate::results::{Date, Results};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// Source snippets with the problem underlined, and help.
    Human,
    /// One JSON document on standard output.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`), shown as annotations.
    Github,
    /// A SARIF 2.1.0 log for code-scanning services.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Color {
    /// Colour when standard output is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, clap::Args)]
pub(super) struct CheckArgs {
    /// Model files, or folders to search for *.yaml and *.yml files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in the human format.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The day to judge the models' results on (`stale-result`), as YYYY-MM-DD; today by
    /// default.
    #[arg(long, value_name = "DATE", value_parser = super::status::parse_date)]
    as_of: Option<Date>,
    #[command(flatten)]
    compile: CompileArgs,
}

pub(super) fn run(
    args: &CheckArgs,
    matches: Option<&ArgMatches>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let options = args.compile.options(matches)?;
    let mut status = ExitCode::Ok;
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &args.paths {
        if super::is_stdin(p) && files.iter().any(|f| super::is_stdin(f)) {
            return Err(Error::Usage(
                "`-` (standard input) can be given only once".into(),
            ));
        }
        // A path that cannot be read is reported and the others are still checked.
        match expand(p) {
            Ok(found) if found.is_empty() => {
                let e = Error::Usage(format!("no *.yaml or *.yml files in {}", p.display()));
                status = status.max(report(&e, err));
            }
            Ok(found) => files.extend(found),
            Err(e) => {
                status = status.max(report(&Error::read(&p.display().to_string(), e), err));
            }
        }
    }
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    // Files are checked one at a time, and each one's model, graph and text are dropped
    // before the next is read: the human and GitHub formats print as they go, and the JSON
    // and SARIF documents keep only each file's finished entry.
    let (mut errors, mut warnings, mut checked) = (0, 0, 0);
    let mut json_files = Vec::new();
    let mut sarif_log: Option<serde_json::Value> = None;
    let mut readiness = Vec::new();
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let mut models = 0;
    for path in &files {
        let name = super::model_name(path);
        // A file that vanished between listing and reading is an I/O problem, not a model error.
        let bytes = match super::read_model(path, &options.limits) {
            Ok(b) => b,
            Err(e) => {
                status = status.max(report(&Error::read(&name, e), err));
                continue;
            }
        };
        let (text, mut compiled) = crate::compile_bytes(&bytes, &options);
        drop(bytes);
        let mut diagnostics = std::mem::take(&mut compiled.diagnostics);
        let results = results_of(path, &compiled, &options, as_of, &mut diagnostics);
        let ready = compiled
            .readiness()
            .map(|r| match (&compiled.model, &results) {
                (Some(m), Some((_, res))) => r.with_results(m, res),
                _ => r,
            });
        drop(compiled);
        let mut reports = vec![FileReport {
            path: &name,
            source: &text,
            diagnostics: &diagnostics,
            readiness: ready.as_ref(),
        }];
        if let Some((names, res)) = &results {
            for (f, n) in res.files.iter().zip(names) {
                reports.push(FileReport {
                    path: n,
                    source: &f.text,
                    diagnostics: &f.diagnostics,
                    readiness: None,
                });
            }
        }
        for report in &reports {
            errors += report.errors();
            warnings += report.warnings();
            checked += 1;
            match args.format {
                Format::Json => json_files.push(FileJson::new(report)),
                Format::Sarif => {
                    let log = crate::emit::sarif::sarif(std::slice::from_ref(report));
                    append_sarif(&mut sarif_log, log);
                }
                Format::Github => {
                    let _ = write!(
                        out,
                        "{}",
                        crate::emit::github::github(std::slice::from_ref(report))
                    );
                }
                Format::Human => {
                    let style = Style {
                        color,
                        width,
                        per_code: PER_CODE,
                    };
                    let human = Human::new(report.path, report.source, style);
                    let _ = write!(out, "{}", human.diagnostics(report.diagnostics));
                }
            }
        }
        models += 1;
        if let Some(r) = ready {
            readiness.push((name, r));
        }
    }
    if checked == 0 {
        // Nothing was read, so there is nothing to sum up: "0 errors in 0 files" would read
        // like success next to the error that says why.
        return Ok(status);
    }
    match args.format {
        Format::Json => {
            let json = Document {
                files: json_files,
                errors,
                warnings,
            };
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Github => {
            let _ = writeln!(out, "{}", summary_line(errors, warnings, checked));
        }
        Format::Sarif => {
            let log = sarif_log.unwrap_or_else(|| crate::emit::sarif::sarif(&[]));
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&log).unwrap_or_default()
            );
        }
        Format::Human => {
            let _ = writeln!(out, "{}", summary_line(errors, warnings, checked));
            for (name, r) in &readiness {
                let summary = terminal(&r.summary()).into_owned();
                let _ = if models == 1 {
                    writeln!(out, "readiness: {summary}")
                } else {
                    writeln!(out, "readiness of {}: {summary}", terminal(name))
                };
            }
        }
    }
    if status == ExitCode::Ok && errors > 0 {
        Ok(ExitCode::Errors)
    } else {
        Ok(status)
    }
}

/// The results of the model in `path`, read beside it as of `as_of`, with each results
/// file's name as the user would reach it; the results' diagnostics about the model file are
/// added to `diagnostics`, and every results diagnostic gets the command line's lint levels
/// (see [`crate::results::for_check`]).
fn results_of(
    path: &Path,
    compiled: &crate::Compiled,
    options: &crate::Options,
    as_of: Date,
    diagnostics: &mut Vec<crate::Diagnostic>,
) -> Option<(Vec<String>, Results)> {
    // The compile diagnostics are already in `diagnostics`, taken from `compiled`.
    let base = super::base_dir(path);
    let mut results =
        crate::results::for_check(compiled, diagnostics, &base, &options.levels, as_of)?;
    diagnostics.append(&mut results.model_diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.code, &a.message).cmp(&(b.span.start, b.code, &b.message))
    });
    let names = results
        .files
        .iter()
        .map(|f| base.join(&f.name).display().to_string())
        .collect();
    Some((names, results))
}

/// Adds the artifacts and results of one file's SARIF log to the run's log.
fn append_sarif(log: &mut Option<serde_json::Value>, mut file: serde_json::Value) {
    let Some(log) = log else {
        *log = Some(file);
        return;
    };
    for key in ["artifacts", "results"] {
        if let (Some(all), Some(more)) = (
            log["runs"][0][key].as_array_mut(),
            file["runs"][0][key].as_array_mut(),
        ) {
            all.append(more);
        }
    }
}

/// A file as itself (`-` as standard input); a folder as every `*.yaml`/`*.yml` under it,
/// sorted, skipping hidden folders.
fn expand(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if super::is_stdin(path) {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        std::fs::metadata(path)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let p = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if entry.file_type()?.is_dir() {
                if !hidden {
                    stack.push(p);
                }
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}
