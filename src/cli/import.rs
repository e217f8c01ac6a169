//! `elmo import`: a model file from a spreadsheet (`.xlsx`, `.ods`, `.csv`).

use std::io::Write;
use std::path::PathBuf;

use super::output::{create_new, write_file, write_output};
use super::{Error, ExitCode};
use crate::diagnostic::Severity;
use crate::import::{import, read};

#[derive(Debug, clap::Args)]
pub(super) struct ImportArgs {
    /// The spreadsheet: .xlsx, .xlsm, .xls, .ods or .csv.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Where to write the model; standard output when absent or `-`.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    force: bool,
}

pub(super) fn run(
    args: &ImportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let name = args.file.display().to_string();
    let sheets = read(&args.file).map_err(|e| Error::read(&name, e))?;
    let source = args
        .file
        .file_name()
        .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    let imported = import(&sheets, &source);
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    if output.as_os_str() == "-" {
        write_output(&output, imported.yaml.as_bytes(), out)?;
    } else {
        let written = if args.force {
            write_file(&output, imported.yaml.as_bytes())
        } else {
            create_new(&output, imported.yaml.as_bytes())
        };
        match written {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::Usage(format!(
                    "{} already exists; nothing written (use --force to overwrite it)",
                    output.display()
                )));
            }
            Err(e) => return Err(Error::write(&output, e)),
            Ok(()) => {}
        }
        // The model's first line names a schema beside it, for editor completion.
        let schema = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(
                || PathBuf::from(crate::init::SCHEMA_FILE),
                |p| p.join(crate::init::SCHEMA_FILE),
            );
        let json = serde_json::to_string_pretty(&crate::model::schema()).unwrap_or_default() + "\n";
        let _ = create_new(&schema, json.as_bytes());
    }
    for n in &imported.notes {
        let _ = writeln!(err, "note: {}", n);
    }
    for p in &imported.problems {
        let _ = writeln!(err, "not imported: {}", p);
    }
    let compiled = crate::compile(&imported.yaml);
    let count = |s: Severity| {
        compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let check = if output.as_os_str() == "-" {
        "`elmo check` lists them".to_string()
    } else {
        format!("`elmo check {}` lists them", output.display())
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let _ = writeln!(
        err,
        "{} cell{} not imported; the model has {errors} error{} and {warnings} warning{} ({check})",
        imported.problems.len(),
        plural(imported.problems.len()),
        plural(errors),
        plural(warnings),
    );
    Ok(if imported.problems.is_empty() && errors == 0 {
        ExitCode::Ok
    } else {
        ExitCode::Errors
    })
}
