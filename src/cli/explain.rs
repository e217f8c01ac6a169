//! `elmo explain`: the long explanation of a diagnostic code.

use std::io::Write;

use super::{Error, ExitCode};
use crate::diagnostic::did_you_mean;
use crate::lint::{Code, LINTS};

#[derive(Debug, clap::Args)]
pub(super) struct ExplainArgs {
    /// The code to explain, e.g. `unmeasured-outcome`; without one, every code is listed.
    #[arg(value_name = "CODE")]
    code: Option<String>,
    /// List every code with its default level and summary (as with no CODE).
    #[arg(long, conflicts_with = "code")]
    list: bool,
    /// Print the explanation as Markdown, as the book's page for the code.
    #[arg(long, requires = "code")]
    markdown: bool,
}

pub(super) fn run(args: &ExplainArgs, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let Some(wanted) = args.code.as_deref().filter(|_| !args.list) else {
        // Columns line up under the longest code, so new codes never break the table.
        let width = LINTS
            .iter()
            .map(|l| l.code.as_str().len())
            .max()
            .unwrap_or(0)
            + 1;
        for lint in LINTS {
            let level = lint.default.shown_as();
            let _ = writeln!(
                out,
                "{:<width$} {:<8} {}",
                lint.code.as_str(),
                level,
                lint.summary
            );
        }
        return Ok(ExitCode::Ok);
    };
    match wanted.parse::<Code>() {
        Ok(code) if args.markdown => {
            let _ = write!(out, "{}", code.lint().page());
            Ok(ExitCode::Ok)
        }
        Ok(code) => {
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(100);
            let _ = write!(out, "{}", code.lint().text(width));
            Ok(ExitCode::Ok)
        }
        Err(()) => {
            let hint = did_you_mean(wanted, Code::ALL.iter().map(|c| c.as_str()))
                .map(|h| format!(": {h}"))
                .unwrap_or_else(|| "; `elmo explain --list` shows every code".to_string());
            Err(Error::Usage(format!("unknown code `{wanted}`{hint}")))
        }
    }
}
