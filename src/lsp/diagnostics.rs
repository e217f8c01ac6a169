//! elmo's diagnostics as the protocol's: the same code, level, message and help as
//! `elmo check`, a link to the code's page in the book, and the related places.

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Uri,
};

use super::position::LineIndex;
use crate::Diagnostic;
use crate::diagnostic::{Code, Severity};

/// Where the book is published; a code's page is `lints/<code>.html` under it. Clients may
/// point elsewhere (a local copy, say) with the `bookUrl` initialization option.
pub const BOOK_URL: &str = "https://elmo.invalid/book/";

/// The name diagnostics carry as their source.
pub const SOURCE: &str = "elmo";

/// The page in the book (under `book`, ending in `/`) that explains `code`.
pub fn page(book: &str, code: Code) -> Option<Uri> {
    format!("{book}lints/{code}.html").parse().ok()
}

/// One text and where it is, to place diagnostics in it.
pub struct Place<'a> {
    /// The document's URI.
    pub uri: &'a Uri,
    /// Its text.
    pub text: &'a str,
    /// The text's line starts.
    pub lines: &'a LineIndex,
}

/// `d`, found in `place`, as the protocol's diagnostic, linking its code to its page under
/// `book`.
pub fn to_lsp(d: &Diagnostic, place: &Place<'_>, book: &str) -> lsp_types::Diagnostic {
    let range = |span| place.lines.range(place.text, span);
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|(span, note)| DiagnosticRelatedInformation {
            location: Location::new(place.uri.clone(), range(*span)),
            message: note.clone(),
        })
        .collect();
    // Editors show the message alone in narrow places; the help is what to do about it, so it
    // goes on the lines below, as `elmo check` prints it.
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let unused = matches!(
        d.code,
        Code::UnusedMeasure | Code::UnusedSource | Code::UnusedAssumption
    );
    lsp_types::Diagnostic {
        range: range(d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: page(book, d.code).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: unused.then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: d
            .subject
            .as_ref()
            .map(|s| serde_json::json!({ "subject": s })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_links_to_a_page_the_book_has() {
        let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src");
        for code in Code::ALL {
            let uri = page(BOOK_URL, *code).expect("a URI");
            let page = uri
                .as_str()
                .strip_prefix(BOOK_URL)
                .and_then(|p| p.strip_suffix(".html"))
                .expect("under the book");
            let source = book.join(format!("{page}.md"));
            assert!(source.exists(), "{code}: no {}", source.display());
        }
    }
}
