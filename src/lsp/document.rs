//! The documents the editor has open, and the last compile of each.
//!
//! A change only stores the new text and marks the document stale; it is compiled when
//! something asks for it (a request, or the diagnostics sent once the queue of incoming
//! messages is empty), so a burst of keystrokes costs one compile rather than one each.

use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::position::LineIndex;
use crate::results::{Date, Results};
use crate::{Compiled, Diagnostic, Model, Options};

/// One compile of a document, as `elmo check` sees the file.
#[derive(Debug)]
pub struct Analysis {
    /// The model, graph and every diagnostic about the model file, including the results'
    /// findings about it, at their final levels and in source order.
    pub compiled: Compiled,
    /// The results the model names, read from beside the file, when it names any and has
    /// no errors.
    pub results: Option<Results>,
}

impl Analysis {
    /// Compiles `text` as `elmo check` does, with the results files relative to `base`
    /// (none for a document that is not a file on disk).
    pub fn new(text: &str, base: Option<&std::path::Path>) -> Self {
        let options = Options::default();
        let mut compiled = crate::compile_with(text, &options);
        let results = base.and_then(|base| {
            crate::results::for_check(
                &compiled,
                &compiled.diagnostics,
                base,
                &options.levels,
                Date::today(),
            )
        });
        if let Some(r) = &results {
            compiled
                .diagnostics
                .extend(r.model_diagnostics.iter().cloned());
            compiled.diagnostics.sort_by(|a, b| {
                (a.span.start, a.code, &a.message).cmp(&(b.span.start, b.code, &b.message))
            });
        }
        Analysis { compiled, results }
    }

    /// The diagnostics about the model file.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.compiled.diagnostics
    }

    /// The model, when the text decoded into one.
    pub fn model(&self) -> Option<&Model> {
        self.compiled.model.as_ref()
    }
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    /// Where the editor says the document is.
    pub uri: Uri,
    /// The file on disk, for a `file:` URI.
    pub path: Option<PathBuf>,
    /// The editor's version of the text.
    pub version: i32,
    /// The whole text.
    pub text: String,
    /// The line starts of `text`.
    pub lines: LineIndex,
    /// Whether the document is a model (YAML) rather than, say, a results CSV.
    pub is_model: bool,
    analysis: Option<Rc<Analysis>>,
    last_model: Option<Rc<Analysis>>,
}

impl Document {
    /// A document as opened, not yet compiled.
    pub fn new(uri: Uri, language: &str, version: i32, text: String) -> Self {
        let path = file_path(&uri);
        let extension = path
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let is_model = language == "yaml" || matches!(extension.as_deref(), Some("yaml" | "yml"));
        Document {
            lines: LineIndex::new(&text),
            uri,
            path,
            version,
            text,
            is_model,
            analysis: None,
            last_model: None,
        }
    }

    /// Applies the editor's changes in order: a change with a range replaces those bytes,
    /// one without replaces the whole text.
    pub fn change(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = self.lines.span(&self.text, range);
                    self.text.replace_range(span.start..span.end, &change.text);
                }
                None => self.text = change.text,
            }
            self.lines = LineIndex::new(&self.text);
        }
        self.version = version;
        self.analysis = None;
    }

    /// Forgets the compile, so that the next request reads the results files again.
    pub fn invalidate(&mut self) {
        self.analysis = None;
    }

    /// Whether the text has changed since the last compile.
    pub fn is_stale(&self) -> bool {
        self.analysis.is_none()
    }

    /// The compile of the current text, compiling it first when it is stale.
    pub fn analyse(&mut self) -> Rc<Analysis> {
        if let Some(a) = &self.analysis {
            return Rc::clone(a);
        }
        let base = self.path.as_ref().and_then(|p| p.parent());
        let analysis = Rc::new(Analysis::new(&self.text, base));
        if analysis.model().is_some() {
            self.last_model = Some(Rc::clone(&analysis));
        }
        self.analysis = Some(Rc::clone(&analysis));
        analysis
    }

    /// The latest compile that produced a model: the current text's when it decodes, or the
    /// last good one while the text is half-typed and does not parse. Ids and labels for
    /// completion come from here.
    pub fn last_model(&mut self) -> Option<Rc<Analysis>> {
        self.analyse();
        self.last_model.clone()
    }
}

/// The documents the editor has open, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    /// Starts tracking a document the editor opened.
    pub fn open(&mut self, doc: Document) {
        self.open.insert(doc.uri.clone(), doc);
    }

    /// Stops tracking a document the editor closed.
    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }

    /// The open document at `uri`.
    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    /// The open document at `uri`, read-only.
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    /// Every open document.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Document> {
        self.open.values_mut()
    }
}

/// The path of a `file:` URI, percent-decoded.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/x` and `file:///x` name the same file.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(value as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    let path = String::from_utf8(out).ok()?;
    // `file:///C:/x` on Windows is the path `C:/x`.
    let path = match path.as_bytes() {
        [b'/', drive, b':', ..] if cfg!(windows) && drive.is_ascii_alphabetic() => &path[1..],
        _ => &path[..],
    };
    Some(PathBuf::from(path))
}

/// The `file:` URI of an absolute `path`.
pub fn file_uri(path: &std::path::Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let (uri, _) = crate::emit::sarif::artifact_uri(&absolute.display().to_string());
    // A Windows path (`C:/x`) needs the empty authority and a slash before the drive.
    let uri = if uri.starts_with("file://") {
        uri
    } else {
        format!("file:///{uri}")
    };
    uri.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_and_paths_round_trip_through_percent_encoding() {
        let path = std::path::Path::new("/tmp/my models/été #1.yaml");
        let uri = file_uri(path).expect("a URI");
        assert_eq!(
            uri.as_str(),
            "file:///tmp/my%20models/%C3%A9t%C3%A9%20%231.yaml"
        );
        assert_eq!(file_path(&uri).as_deref(), Some(path));
        let untitled: Uri = "untitled:Untitled-1".parse().expect("uri");
        assert_eq!(file_path(&untitled), None);
    }

    #[test]
    fn ranged_changes_edit_in_place_and_whole_changes_replace() {
        let uri: Uri = "file:///m.yaml".parse().expect("uri");
        let mut doc = Document::new(uri, "yaml", 1, "title: é x\n".into());
        doc.change(
            2,
            vec![TextDocumentContentChangeEvent {
                range: Some(lsp_types::Range::new(
                    lsp_types::Position::new(0, 9),
                    lsp_types::Position::new(0, 10),
                )),
                range_length: None,
                text: "y".into(),
            }],
        );
        assert_eq!(doc.text, "title: é y\n");
        doc.change(
            3,
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "title: z\n".into(),
            }],
        );
        assert_eq!((doc.version, doc.text.as_str()), (3, "title: z\n"));
    }
}
