//! The JSON document of contract §3, as types: `elmo check --format json` prints it, and the
//! served page carries one file's entry.

use serde::Serialize;

use super::FileReport;
use crate::diagnostic::{Code, Severity};
use crate::readiness::Readiness;
use crate::span::LineIndex;

/// The whole document: every file, and the totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// One entry per file, in the order checked.
    pub files: Vec<FileJson>,
    /// Errors in all files.
    pub errors: usize,
    /// Warnings in all files.
    pub warnings: usize,
}

/// One file's entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileJson {
    /// The path as the user gave it.
    pub path: String,
    /// How many diagnostics are errors.
    pub errors: usize,
    /// How many diagnostics are warnings.
    pub warnings: usize,
    /// What the checks found, in report order.
    pub diagnostics: Vec<DiagnosticJson>,
    /// How ready the model is to show its impact, when the file held a model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Readiness>,
}

/// One diagnostic, located by line and column (both from 1, columns in characters).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosticJson {
    /// The stable code.
    pub code: Code,
    /// Its level after the lint levels were applied.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where the offending token starts.
    pub line: usize,
    /// The column where it starts.
    pub column: usize,
    /// The line where it ends.
    pub end_line: usize,
    /// The column where it ends.
    pub end_column: usize,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Other places that explain the finding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedJson>,
}

/// A secondary place of a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelatedJson {
    /// What is there.
    pub message: String,
    /// Its line.
    pub line: usize,
    /// Its column.
    pub column: usize,
}

impl FileJson {
    /// The entry for one file, with its `readiness` when known.
    pub fn new(f: &FileReport<'_>) -> Self {
        let index = LineIndex::new(f.source);
        let at = |offset: usize| index.line_col(f.source, offset);
        let diagnostics = f
            .diagnostics
            .iter()
            .map(|d| {
                let (line, column) = at(d.span.start);
                let (end_line, end_column) = at(d.span.end);
                DiagnosticJson {
                    code: d.code,
                    severity: d.severity,
                    message: d.message.clone(),
                    line,
                    column,
                    end_line,
                    end_column,
                    help: d.help.clone(),
                    related: d
                        .related
                        .iter()
                        .map(|(s, m)| {
                            let (line, column) = at(s.start);
                            RelatedJson {
                                message: m.clone(),
                                line,
                                column,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        FileJson {
            path: f.path.to_string(),
            errors: f.errors(),
            warnings: f.warnings(),
            diagnostics,
            readiness: f.readiness.cloned(),
        }
    }

    /// The entry of a file not read yet: nothing found.
    pub fn empty(path: &str) -> Self {
        FileJson {
            path: path.to_string(),
            errors: 0,
            warnings: 0,
            diagnostics: Vec::new(),
            readiness: None,
        }
    }
}

impl Document {
    /// The document of these file entries, with the totals summed from them.
    pub fn new(files: Vec<FileJson>) -> Self {
        let errors = files.iter().map(|f| f.errors).sum();
        let warnings = files.iter().map(|f| f.warnings).sum();
        Document {
            files,
            errors,
            warnings,
        }
    }
}

/// The JSON document of contract §3 for `files`, with each file's `readiness` added when known.
pub fn to_json(files: &[FileReport<'_>]) -> Document {
    Document::new(files.iter().map(FileJson::new).collect())
}
