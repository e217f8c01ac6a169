//! `elmo lsp`: the language server, for editors.

use super::{Error, ExitCode};

#[derive(Debug, clap::Args)]
pub(super) struct LspArgs {
    /// Talk over standard input and output (the only transport, and the default; accepted
    /// because many editors' generic clients pass it).
    #[arg(long)]
    stdio: bool,
}

pub(super) fn run(_args: &LspArgs) -> Result<ExitCode, Error> {
    crate::lsp::run().map_err(|e| Error::Usage(format!("language server: {e}")))?;
    Ok(ExitCode::Ok)
}
