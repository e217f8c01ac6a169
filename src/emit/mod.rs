//! Printing diagnostics: miette's report for people ([`human`]), the JSON document of
//! contract §3 ([`json`]), GitHub workflow commands ([`github`]) and SARIF ([`sarif`]), each
//! from a [`FileReport`].

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::readiness::Readiness;

pub use json::to_json;

/// The diagnostics of one file, ready to print.
#[derive(Debug, Clone)]
pub struct FileReport<'a> {
    /// The path as the user gave it.
    pub path: &'a str,
    /// The file's text (for snippets and line numbers).
    pub source: &'a str,
    /// What the checks found, in report order.
    pub diagnostics: &'a [Diagnostic],
    /// How ready the model is to show its impact, when the file held a model.
    pub readiness: Option<&'a Readiness>,
}

impl FileReport<'_> {
    /// The number of errors.
    pub fn errors(&self) -> usize {
        count(self.diagnostics, Severity::Error)
    }

    /// The number of warnings.
    pub fn warnings(&self) -> usize {
        count(self.diagnostics, Severity::Warning)
    }
}

fn count(diags: &[Diagnostic], severity: Severity) -> usize {
    diags.iter().filter(|d| d.severity == severity).count()
}

/// `2 errors, 3 warnings in 4 files`.
pub fn summary_line(errors: usize, warnings: usize, files: usize) -> String {
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}
