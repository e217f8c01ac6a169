//! `elmo explain`: the long explanation of a diagnostic code.

use std::io::Write;

use super::{EXIT_OK, EXIT_USAGE};
use crate::diagnostic::did_you_mean;
use crate::lint::{Code, LINTS};

#[derive(Debug, clap::Args)]
pub(super) struct ExplainArgs {
    /// The code to explain, e.g. `unmeasured-outcome`.
    #[arg(value_name = "CODE", required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its default level and summary.
    #[arg(long)]
    list: bool,
}

pub(super) fn run(args: &ExplainArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if args.list {
        // Columns line up under the longest code, so new codes never break the table.
        let width = LINTS
            .iter()
            .map(|l| l.code.as_str().len())
            .max()
            .unwrap_or(0)
            + 1;
        for lint in LINTS {
            let level = match lint.default {
                crate::Level::Deny => "error",
                crate::Level::Warn => "warning",
                crate::Level::Allow => "allow",
            };
            let _ = writeln!(
                out,
                "{:<width$} {:<8} {}",
                lint.code.as_str(),
                level,
                lint.summary
            );
        }
        return EXIT_OK;
    }
    let wanted = args.code.as_deref().unwrap_or_default();
    match wanted.parse::<Code>() {
        Ok(code) => {
            let _ = write!(out, "{}", code.lint().page());
            EXIT_OK
        }
        Err(()) => {
            let hint = did_you_mean(wanted, Code::ALL.iter().map(|c| c.as_str()))
                .map(|h| format!(": {h}"))
                .unwrap_or_else(|| "; `elmo explain --list` shows every code".to_string());
            let _ = writeln!(err, "error: unknown code `{wanted}`{hint}");
            EXIT_USAGE
        }
    }
}
