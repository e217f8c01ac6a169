//! `elmo schema`: the JSON Schema of the model format.

use std::io::Write;
use std::path::PathBuf;

use super::{Error, ExitCode};

#[derive(Debug, clap::Args)]
pub(super) struct SchemaArgs {
    /// Write the schema to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(super) fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let text = serde_json::to_string_pretty(&crate::model::schema())
        .map_err(|e| Error::Usage(format!("could not serialise the schema: {e}")))?
        + "\n";
    match &args.output {
        None => {
            let _ = out.write_all(text.as_bytes());
        }
        Some(path) => {
            super::output::write_file(path, text.as_bytes()).map_err(|e| Error::write(path, e))?
        }
    }
    Ok(ExitCode::Ok)
}
