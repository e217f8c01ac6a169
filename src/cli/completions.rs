//! `elmo completions` and `elmo man`: shell completion scripts and manual pages, both made
//! from the same clap definition as `--help`, so none of them can drift from the others.

use std::io::Write;
use std::path::PathBuf;

use super::{Error, ExitCode};

#[derive(Debug, clap::Args)]
pub(super) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub(super) struct ManArgs {
    /// Write `elmo.1` and one `elmo-COMMAND.1` per command into DIR instead of printing
    /// `elmo.1` on standard output.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints the completion script for a shell.
pub(super) fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let mut cmd = super::definition();
    clap_complete::generate(args.shell, &mut cmd, "elmo", out);
    Ok(ExitCode::Ok)
}

/// Prints `elmo.1`, or writes every page into `--dir`.
pub(super) fn man(args: &ManArgs, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let mut cmd = super::definition().disable_help_subcommand(true);
    cmd.build();
    let Some(dir) = &args.dir else {
        let _ = render(cmd).map(|(_, page)| out.write_all(&page));
        return Ok(ExitCode::Ok);
    };
    if !dir.is_dir() {
        return Err(Error::Usage(format!("{} is not a folder", dir.display())));
    }
    let mut pages = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(render(sub.clone()));
    }
    pages.push(render(cmd));
    for page in pages {
        let (name, bytes) =
            page.map_err(|e| Error::Usage(format!("cannot make a manual page: {e}")))?;
        let path = dir.join(&name);
        super::output::write_file(&path, &bytes).map_err(|e| Error::write(&path, e))?;
        let _ = writeln!(out, "wrote {}", path.display());
    }
    Ok(ExitCode::Ok)
}

/// One page's file name (`elmo-check.1`) and its roff text.
fn render(cmd: clap::Command) -> std::io::Result<(String, Vec<u8>)> {
    let man = clap_mangen::Man::new(cmd);
    let mut page = Vec::new();
    man.render(&mut page)?;
    Ok((man.get_filename(), page))
}
