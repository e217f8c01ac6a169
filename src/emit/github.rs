//! GitHub Actions workflow commands: one `::error` or `::warning` line per diagnostic, which
//! the Actions runner turns into annotations on the pull request's changed lines.

use std::fmt::Write;

use super::FileReport;
use crate::diagnostic::Severity;
use crate::span::LineIndex;

/// Escapes the message part of a workflow command (after the second `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`): also `:` and `,`, which end a property.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow commands for `files`, one line per diagnostic, in report order.
pub fn github(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for f in files {
        let index = LineIndex::new(f.source);
        for d in f.diagnostics {
            let (line, col) = index.line_col(f.source, d.span.start);
            let (end_line, end_col) = index.line_col(f.source, d.span.end);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            let _ = writeln!(
                out,
                "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                escape_property(f.path),
                escape_property(d.code.as_str()),
                escape_data(&message)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_and_line_breaks_are_escaped() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
