//! `elmo schema`: the JSON Schema of the model format.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Args)]
pub(super) struct SchemaArgs {
    /// Write the schema to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(super) fn run(args: &SchemaArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let text = match serde_json::to_string_pretty(&crate::model::schema()) {
        Ok(t) => t + "\n",
        Err(e) => {
            let _ = writeln!(err, "error: could not serialise the schema: {e}");
            return EXIT_USAGE;
        }
    };
    match &args.output {
        None => {
            let _ = out.write_all(text.as_bytes());
            EXIT_OK
        }
        Some(path) => match super::output::write_file(path, text.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
                EXIT_USAGE
            }
        },
    }
}
