//! Diagnostics: what a check found, where, and how to fix it; and their output formats
//! (JSON here, miette's report for people in [`human`], GitHub workflow commands in
//! [`github`], SARIF in [`sarif`]).

pub mod github;
pub mod human;
pub mod sarif;

use serde::Serialize;

pub use crate::lint::{Code, Level};
use crate::readiness::Readiness;
use crate::span::{LineIndex, Span};

crate::vocab::vocab! {
    /// How serious a reported diagnostic is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Severity: "severity", fn as_str {
        /// Fails `elmo check`.
        Error = "error",
        /// Reported, but does not fail `elmo check`.
        Warning = "warning",
    }
}

impl Severity {
    /// The severity a finding at `level` is reported with; `None` when it is not reported.
    pub fn of(level: Level) -> Option<Severity> {
        match level {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
}

/// One finding about a model, tied to the token it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Set when levels are applied; until then the code's default.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending token.
    pub span: Span,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places that explain the finding (the first use of a duplicate id, say).
    pub related: Vec<(Span, String)>,
    /// The id of the node, measure, source or assumption the finding is about, so that its
    /// `allow:` list can silence it.
    pub subject: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with `code`'s default severity.
    pub fn new(code: Code, message: impl Into<String>, span: Span) -> Self {
        let severity = Severity::of(code.lint().default).unwrap_or(Severity::Warning);
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span,
            help: None,
            related: Vec::new(),
            subject: None,
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary location with a short note.
    pub fn with_related(mut self, span: Span, note: impl Into<String>) -> Self {
        self.related.push((span, note.into()));
        self
    }

    /// Names the item whose `allow:` list may silence this diagnostic.
    pub fn about(mut self, id: &str) -> Self {
        self.subject = Some(id.to_string());
        self
    }
}

/// `did you mean `x`?` for the candidate nearest to `wrong`, when one is near enough.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(wrong, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate nearest to `wrong`, when one is near enough to be a likely slip.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_l = wrong.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wrong_l, &c.to_lowercase());
        // Ties go to the earlier candidate, which keeps suggestions deterministic.
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c)
}

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

/// The JSON document of contract §3 for `files`, with each file's `readiness` added when known.
pub fn to_json(files: &[FileReport<'_>]) -> serde_json::Value {
    #[derive(Serialize)]
    struct Json<'a> {
        code: Code,
        severity: Severity,
        message: &'a str,
        line: usize,
        column: usize,
        end_line: usize,
        end_column: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<&'a str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        related: Vec<Related<'a>>,
    }
    #[derive(Serialize)]
    struct Related<'a> {
        message: &'a str,
        line: usize,
        column: usize,
    }
    let mut out = Vec::new();
    for f in files {
        let index = LineIndex::new(f.source);
        let diagnostics: Vec<Json<'_>> = f
            .diagnostics
            .iter()
            .map(|d| {
                let (line, column) = index.line_col(f.source, d.span.start);
                let (end_line, end_column) = index.line_col(f.source, d.span.end);
                Json {
                    code: d.code,
                    severity: d.severity,
                    message: &d.message,
                    line,
                    column,
                    end_line,
                    end_column,
                    help: d.help.as_deref(),
                    related: d
                        .related
                        .iter()
                        .map(|(s, m)| {
                            let (line, column) = index.line_col(f.source, s.start);
                            Related {
                                message: m,
                                line,
                                column,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let mut file = serde_json::json!({
            "path": f.path,
            "errors": f.errors(),
            "warnings": f.warnings(),
            "diagnostics": diagnostics,
        });
        if let (Some(r), Some(obj)) = (f.readiness, file.as_object_mut()) {
            obj.insert(
                "readiness".into(),
                serde_json::to_value(r).unwrap_or_default(),
            );
        }
        out.push(file);
    }
    let errors: usize = files.iter().map(FileReport::errors).sum();
    let warnings: usize = files.iter().map(FileReport::warnings).sum();
    serde_json::json!({ "files": out, "errors": errors, "warnings": warnings })
}

/// `2 errors, 3 warnings in 4 files`.
pub fn summary_line(errors: usize, warnings: usize, files: usize) -> String {
    fn plural(n: usize, one: &str) -> String {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {one}s")
        }
    }
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}
