//! The options of every command that compiles a model: lint levels and resource limits.

use clap::ArgMatches;

use super::Error;
use crate::diagnostic::did_you_mean;
use crate::lint::{Code, Level};
use crate::{LevelFlag, LintTarget, Options};

/// Lint levels and limits, flattened into each command that compiles a model, so that
/// `-D warnings` or `--max-nodes` mean the same to `render` as to `check`.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct CompileArgs {
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

impl CompileArgs {
    /// The compile options these flags ask for. `matches` are the subcommand's, which know
    /// the order the level flags were given in; without them the flags apply deny, warn,
    /// allow in turn.
    pub(super) fn options(&self, matches: Option<&ArgMatches>) -> Result<Options, Error> {
        let mut options = Options {
            levels: self.level_flags(matches)?,
            ..Options::default()
        };
        if let Some(max) = self.max_file_size {
            options.limits.max_file_size = max;
        }
        if let Some(max) = self.max_nodes {
            options.limits.max_model_nodes = max;
        }
        if let Some(max) = self.max_links {
            options.limits.max_links = max;
        }
        Ok(options)
    }

    /// The level flags in command-line order, so that a later flag overrides an earlier one.
    fn level_flags(&self, matches: Option<&ArgMatches>) -> Result<Vec<LevelFlag>, Error> {
        let mut flags: Vec<(usize, LevelFlag)> = Vec::new();
        for (id, values, level) in [
            ("deny", &self.deny, Level::Deny),
            ("warn", &self.warn, Level::Warn),
            ("allow", &self.allow, Level::Allow),
        ] {
            let indices: Vec<usize> = matches
                .and_then(|m| m.indices_of(id))
                .map(|i| i.collect())
                .unwrap_or_else(|| (0..values.len()).collect());
            for (value, index) in values.iter().zip(indices) {
                let target = target(value)?;
                flags.push((index, LevelFlag { target, level }));
            }
        }
        flags.sort_by_key(|(i, _)| *i);
        Ok(flags.into_iter().map(|(_, f)| f).collect())
    }
}

/// What a level flag's value names: a configurable code, or `warnings`.
fn target(value: &str) -> Result<LintTarget, Error> {
    if value == "warnings" {
        return Ok(LintTarget::Warnings);
    }
    match value.parse::<Code>() {
        Ok(code) if code.lint().configurable => Ok(LintTarget::Code(code)),
        Ok(code) => Err(Error::Usage(format!(
            "`{code}` is always an error; its level cannot be changed"
        ))),
        Err(()) => {
            let names = Code::ALL.iter().map(|c| c.as_str()).chain(["warnings"]);
            let hint = did_you_mean(value, names)
                .map(|h| format!(": {h}"))
                .unwrap_or_default();
            Err(Error::Usage(format!("unknown lint code `{value}`{hint}")))
        }
    }
}
