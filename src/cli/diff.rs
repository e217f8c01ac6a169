//! `elmo diff`: the semantic difference between two versions of a model, each a file or a
//! `REV:path` read from git.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::ArgMatches;

use super::compile::CompileArgs;
use super::output::write_output;
use super::{Error, ExitCode};
use crate::Compiled;
use crate::diagnostic::Severity;
use crate::emit::human::{Human, Style};
use crate::emit::summary_line;

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
    /// The old version: a file, `-` for standard input, or `REV:path` to read it from git
    /// (`main:models/x.yaml`).
    #[arg(value_name = "OLD")]
    old: OsString,
    /// The new version: a file, `-`, or `REV:path`.
    #[arg(value_name = "NEW")]
    new: OsString,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Where to write; standard output when absent or `-`.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Exit with status 1 when the models differ (like `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
    /// The frame to fit the diff SVG to: 16:9, 4:3, a4-landscape, a4-portrait, or none for the
    /// unfitted drawing. Overrides the model's `fit:`; 16:9 when neither says.
    #[arg(long, value_name = "FRAME", value_parser = super::parse_fit)]
    fit: Option<crate::model::Fit>,
    /// The day to judge both versions' results on (their status), as YYYY-MM-DD; today by
    /// default.
    #[arg(long, value_name = "DATE", value_parser = super::status::parse_date)]
    as_of: Option<crate::results::Date>,
    #[command(flatten)]
    compile: CompileArgs,
}

/// How a side is named in messages and in the diff's header.
fn side_name(spec: &OsStr) -> String {
    super::model_name(Path::new(spec))
}

/// Reads one side within the size limit: a file (or standard input) when `spec` names one,
/// else `REV:path` through `git show`.
fn read_side(spec: &OsStr, limits: &crate::Limits) -> Result<Vec<u8>, String> {
    let path = Path::new(spec);
    let name = side_name(spec);
    let bytes = spec.as_encoded_bytes();
    let colon = bytes.iter().position(|&b| b == b':');
    if super::is_stdin(path) || path.exists() || colon.is_none() {
        return super::read_model(path, limits).map_err(|e| format!("cannot read {name}: {e}"));
    }
    // Whatever git could read as an option (`--output=…`) is refused here, and
    // `--end-of-options` below makes git take the argument as a revision whatever it says.
    if bytes.first() == Some(&b'-') {
        return Err(format!(
            "`{name}` is not a file, and a revision may not start with `-`: git would read it \
             as an option"
        ));
    }
    git_show(spec, &name, limits.max_file_size)
}

/// `git show REV:path`, read as a stream and stopped one byte past the size limit.
fn git_show(spec: &OsStr, name: &str, limit: usize) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .args(["show", "--no-textconv", "--end-of-options"])
        .arg(spec)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git to read {name}: {e}"))?;
    let read = child
        .stdout
        .take()
        .map(|s| crate::input::read_limited(s, limit, 0));
    let full = matches!(&read, Some(Ok(b)) if b.len() > limit);
    if full {
        // Enough has been read to refuse the blob; git need not send the rest (and must not
        // sit blocked on a full pipe while its message is read below).
        let _ = child.kill();
    }
    let mut stderr = String::new();
    if let Some(e) = child.stderr.take() {
        // Git's message is a line or two; the limit only guards against a flood.
        let _ = e.take(64 * 1024).read_to_string(&mut stderr);
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot run git to read {name}: {e}"))?;
    let bytes = match read {
        Some(Ok(b)) => b,
        Some(Err(e)) => return Err(format!("cannot read {name} from git: {e}")),
        None => Vec::new(),
    };
    if !full && !status.success() {
        return Err(format!(
            "`git show {name}` failed: {}",
            stderr.trim().lines().next().unwrap_or("no message")
        ));
    }
    Ok(bytes)
}

/// The results of one side's model, read the way the side itself was: beside the file, or
/// from the same git revision (`REV:dir/results.csv`). `None` when the model has errors or
/// lists no results.
fn side_results(
    spec: &OsStr,
    compiled: &Compiled,
    as_of: crate::results::Date,
) -> Option<crate::results::Results> {
    let model = compiled.model.as_ref().filter(|_| !compiled.has_errors())?;
    if model.results.is_empty() && model.measures.iter().all(|m| m.compute.is_none()) {
        return None;
    }
    let path = Path::new(spec);
    if super::is_stdin(path) || path.exists() || !spec.as_encoded_bytes().contains(&b':') {
        return Some(crate::results::evaluate(
            model,
            &super::base_dir(path),
            as_of,
        ));
    }
    let text = spec.to_string_lossy();
    let (rev, file) = text.split_once(':')?;
    let dir = Path::new(file)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files = GitFiles {
        rev: rev.to_string(),
        dir,
    };
    Some(crate::results::evaluate_in(model, &files, as_of))
}

/// A model's results files as they were at a git revision.
struct GitFiles {
    rev: String,
    dir: String,
}

impl GitFiles {
    /// `REV:path` for `name`, relative to the model's folder, with `.` and `..` resolved
    /// (git's tree paths have neither).
    fn spec(&self, name: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for part in self.dir.split('/').chain(name.split('/')) {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        format!("{}:{}", self.rev, parts.join("/"))
    }
}

impl crate::results::Files for GitFiles {
    fn path(&self, name: &str) -> PathBuf {
        PathBuf::from(self.spec(name))
    }
    fn read(&self, name: &str) -> std::io::Result<Vec<u8>> {
        let spec = self.spec(name);
        git_show(OsStr::new(&spec), &spec, crate::results::MAX_RESULTS_FILE)
            .map_err(std::io::Error::other)
    }
    fn open(&self, name: &str) -> std::io::Result<Box<dyn Read>> {
        // A blob is read whole, as the model itself is.
        let bytes = self.read_records(name)?;
        Ok(Box::new(std::io::Cursor::new(bytes)))
    }
}

impl GitFiles {
    fn read_records(&self, name: &str) -> std::io::Result<Vec<u8>> {
        let spec = self.spec(name);
        git_show(OsStr::new(&spec), &spec, usize::MAX).map_err(std::io::Error::other)
    }
}

/// Compiles one side; `None` when it is not a model at all, after printing why.
fn compile_side(
    spec: &OsStr,
    options: &crate::Options,
    err: &mut dyn Write,
) -> Result<Option<Compiled>, Error> {
    let bytes = read_side(spec, &options.limits).map_err(Error::Usage)?;
    let name = side_name(spec);
    let (text, compiled) = crate::compile_bytes(&bytes, options);
    if compiled.model.is_none() {
        let human = Human::new(&name, &text, Style::plain(100));
        let _ = write!(err, "{}", human.diagnostics(&compiled.diagnostics));
        let _ = writeln!(
            err,
            "{}; {name} is not a model, nothing to compare",
            summary_line(compiled.diagnostics.len(), 0, 1)
        );
        return Ok(None);
    }
    Ok(Some(compiled))
}

pub(super) fn run(
    args: &DiffArgs,
    matches: Option<&ArgMatches>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    if super::is_stdin(Path::new(&args.old)) && super::is_stdin(Path::new(&args.new)) {
        return Err(Error::Usage(
            "only one side can be read from standard input".into(),
        ));
    }
    let options = args.compile.options(matches)?;
    let (old_name, new_name) = (side_name(&args.old), side_name(&args.new));
    let Some(old) = compile_side(&args.old, &options, err)? else {
        return Ok(ExitCode::Errors);
    };
    let Some(new) = compile_side(&args.new, &options, err)? else {
        return Ok(ExitCode::Errors);
    };
    let Some(diff) = crate::diff::diff(&old, &new) else {
        return Ok(ExitCode::Errors);
    };
    let as_of = args.as_of.unwrap_or_else(crate::results::Date::today);
    let results = crate::diff::results::diff_results(
        side_results(&args.old, &old, as_of).as_ref(),
        side_results(&args.new, &new, as_of).as_ref(),
    );
    let doc = match args.format {
        Format::Text => {
            let mut text = crate::diff::text(&diff, &old_name, &new_name);
            if diff.is_empty() && !results.is_empty() {
                text = text.replace(
                    "\nNo semantic differences.\n",
                    "\nNo semantic differences in the models.\n",
                );
            }
            text + &crate::diff::results::text(&results)
        }
        Format::Json => {
            let mut json = crate::diff::to_json(&diff, &old_name, &new_name);
            json["identical"] = (diff.is_empty() && results.is_empty()).into();
            json["results"] = serde_json::to_value(&results).unwrap_or_default();
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
        }
        Format::Svg => {
            if new.has_errors() {
                let errors = new
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                return Err(Error::Model(format!(
                    "{new_name} has {errors} error(s) and cannot be drawn; `elmo check` explains them"
                )));
            }
            let (Some(om), Some(nm)) = (&old.model, &new.model) else {
                return Ok(ExitCode::Errors);
            };
            let merged = crate::diff::overlay(om, nm, &diff);
            let desc = format!(
                "Changes from {old_name} to {new_name}: {}.",
                crate::diff::summary_line(&diff.summary())
            );
            crate::render::svg_marked(
                &merged,
                &new.diagnostics,
                &diff.marks(),
                &crate::render::theme::LIGHT,
                args.fit,
                &desc,
            )
        }
    };
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    write_output(&output, doc.as_bytes(), out)?;
    if args.exit_code && !(diff.is_empty() && results.is_empty()) {
        Ok(ExitCode::Errors)
    } else {
        Ok(ExitCode::Ok)
    }
}
