//! `elmo check`: validate model files and report diagnostics.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::ArgMatches;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::did_you_mean;
use crate::emit::human::{Human, PER_CODE, Style};
use crate::emit::json::{Document, FileJson};
use crate::emit::{FileReport, summary_line};
use crate::escape::terminal;
use crate::lint::{Code, Level};
use crate::{LevelFlag, LintTarget, Options};

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
    /// Treat CODE as an error (`-D warnings` for every warning).
    #[arg(short = 'D', long = "deny", value_name = "CODE")]
    deny: Vec<String>,
    /// Treat CODE as a warning.
    #[arg(short = 'W', long = "warn", value_name = "CODE")]
    warn: Vec<String>,
    /// Do not report CODE.
    #[arg(short = 'A', long = "allow", value_name = "CODE")]
    allow: Vec<String>,
    /// Largest model file accepted, in bytes.
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<usize>,
    /// Most nodes a model may have.
    #[arg(long, value_name = "N")]
    max_nodes: Option<usize>,
    /// Most links a model may have.
    #[arg(long, value_name = "N")]
    max_links: Option<usize>,
}

pub(super) fn run(
    args: &CheckArgs,
    matches: Option<&ArgMatches>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let levels = match level_flags(args, matches) {
        Ok(l) => l,
        Err(msg) => {
            let _ = writeln!(err, "error: {msg}");
            return EXIT_USAGE;
        }
    };
    let mut options = Options {
        levels,
        ..Options::default()
    };
    if let Some(max) = args.max_file_size {
        options.limits.max_file_size = max;
    }
    if let Some(max) = args.max_nodes {
        options.limits.max_model_nodes = max;
    }
    if let Some(max) = args.max_links {
        options.limits.max_links = max;
    }
    let mut status = EXIT_OK;
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &args.paths {
        if super::is_stdin(p) && files.iter().any(|f| super::is_stdin(f)) {
            let _ = writeln!(err, "error: `-` (standard input) can be given only once");
            return EXIT_USAGE;
        }
        match expand(p) {
            Ok(found) if found.is_empty() => {
                let _ = writeln!(err, "error: no *.yaml or *.yml files in {}", p.display());
                status = EXIT_USAGE;
            }
            Ok(found) => files.extend(found),
            Err(e) => {
                let _ = writeln!(err, "error: cannot read {}: {e}", p.display());
                status = EXIT_USAGE;
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
    for path in &files {
        let name = super::model_name(path);
        // A file that vanished between listing and reading is an I/O problem, not a model error.
        let bytes = match super::read_model(path, &options.limits) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "error: cannot read {name}: {e}");
                status = EXIT_USAGE;
                continue;
            }
        };
        let (text, mut compiled) = crate::compile_bytes(&bytes, &options);
        drop(bytes);
        let ready = compiled.readiness();
        let diagnostics = std::mem::take(&mut compiled.diagnostics);
        drop(compiled);
        let report = FileReport {
            path: &name,
            source: &text,
            diagnostics: &diagnostics,
            readiness: ready.as_ref(),
        };
        errors += report.errors();
        warnings += report.warnings();
        checked += 1;
        match args.format {
            Format::Json => json_files.push(FileJson::new(&report)),
            Format::Sarif => {
                let log = crate::emit::sarif::sarif(&[report]);
                append_sarif(&mut sarif_log, log);
            }
            Format::Github => {
                let _ = write!(out, "{}", crate::emit::github::github(&[report]));
            }
            Format::Human => {
                let style = Style {
                    color,
                    width,
                    per_code: PER_CODE,
                };
                let human = Human::new(&name, &text, style);
                let _ = write!(out, "{}", human.diagnostics(&diagnostics));
            }
        }
        if let Some(r) = ready {
            readiness.push((name, r));
        }
    }
    if checked == 0 {
        // Nothing was read, so there is nothing to sum up: "0 errors in 0 files" would read
        // like success next to the error that says why.
        return status;
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
                let _ = if checked == 1 {
                    writeln!(out, "readiness: {summary}")
                } else {
                    writeln!(out, "readiness of {}: {summary}", terminal(name))
                };
            }
        }
    }
    if status == EXIT_OK && errors > 0 {
        EXIT_ERRORS
    } else {
        status
    }
}

/// The level flags in command-line order, so that a later flag overrides an earlier one.
fn level_flags(args: &CheckArgs, matches: Option<&ArgMatches>) -> Result<Vec<LevelFlag>, String> {
    let mut flags: Vec<(usize, LevelFlag)> = Vec::new();
    for (id, values, level) in [
        ("deny", &args.deny, Level::Deny),
        ("warn", &args.warn, Level::Warn),
        ("allow", &args.allow, Level::Allow),
    ] {
        let indices: Vec<usize> = matches
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_else(|| (0..values.len()).collect());
        for (value, index) in values.iter().zip(indices) {
            let target = if value == "warnings" {
                LintTarget::Warnings
            } else {
                match value.parse::<Code>() {
                    Ok(code) if code.lint().configurable => LintTarget::Code(code),
                    Ok(code) => {
                        return Err(format!(
                            "`{code}` is always an error; its level cannot be changed"
                        ));
                    }
                    Err(()) => {
                        let names = Code::ALL.iter().map(|c| c.as_str()).chain(["warnings"]);
                        let hint = did_you_mean(value, names)
                            .map(|h| format!(": {h}"))
                            .unwrap_or_default();
                        return Err(format!("unknown lint code `{value}`{hint}"));
                    }
                }
            };
            flags.push((index, LevelFlag { target, level }));
        }
    }
    flags.sort_by_key(|(i, _)| *i);
    Ok(flags.into_iter().map(|(_, f)| f).collect())
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
