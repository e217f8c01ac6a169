//! The server's state and its dispatch: one `match` on the method of each request and each
//! notification, each arm handing the decoded parameters to a function of its own.

use std::collections::{HashMap, HashSet};

use crossbeam_channel::Sender;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionOptions, CompletionParams, CompletionResponse, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, OneOf,
    PositionEncodingKind, PublishDiagnosticsParams, ReferenceParams, RenameOptions, RenameParams,
    ServerCapabilities, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::diagnostics::{self, BOOK_URL, Place};
use super::document::{Document, Documents, file_uri};
use super::position::LineIndex;
use super::{actions, completion, hover, nav, symbols};

/// What the server can do, as told to the client in its answer to `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            // After `[` or `,` in a flow list, `- ` in a block list, `: ` after a key, `>` in
            // `a -> b`, and a quote that opens a string.
            trigger_characters: Some(
                ["[", ",", " ", ":", ">", "\"", "'"]
                    .map(String::from)
                    .to_vec(),
            ),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The server's state: the open documents and what has been published about them.
pub struct Server {
    sender: Sender<Message>,
    docs: Documents,
    /// The base URL of the book, ending in `/`, that diagnostics link their codes to.
    book: String,
    /// Documents whose diagnostics are due once the incoming queue is empty.
    due: HashSet<Uri>,
    /// The results files each model last published diagnostics for, so that a file the
    /// model no longer names, or whose problems are fixed, is cleared.
    results_published: HashMap<Uri, Vec<Uri>>,
}

impl Server {
    /// A server answering on `sender`, set up as the client's `initialize` asked.
    pub fn new(sender: Sender<Message>, params: &InitializeParams) -> Self {
        let book = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("bookUrl"))
            .and_then(|u| u.as_str())
            .map_or_else(
                || BOOK_URL.to_string(),
                |u| format!("{}/", u.trim_end_matches('/')),
            );
        Server {
            sender,
            docs: Documents::default(),
            book,
            due: HashSet::new(),
            results_published: HashMap::new(),
        }
    }

    /// Handles one message from the client.
    pub fn handle(&mut self, message: Message) {
        match message {
            Message::Request(req) => {
                let response = self.request(req);
                self.send(response.into());
            }
            Message::Notification(n) => self.notification(n),
            // The server sends no requests, so there are no responses to wait for.
            Message::Response(_) => {}
        }
    }

    /// Answers a request.
    fn request(&mut self, req: Request) -> Response {
        match req.method.as_str() {
            "textDocument/completion" => answer(req, |p: CompletionParams| {
                self.completion(&p.text_document_position)
            }),
            "textDocument/hover" => answer(req, |p: HoverParams| {
                self.hover(&p.text_document_position_params)
            }),
            "textDocument/documentSymbol" => answer(req, |p: DocumentSymbolParams| {
                self.symbols(&p.text_document.uri)
            }),
            "textDocument/definition" => answer(req, |p: GotoDefinitionParams| {
                let at = p.text_document_position_params;
                let doc = self.docs.get_mut(&at.text_document.uri)?;
                nav::goto_definition(doc, at.position).map(GotoDefinitionResponse::Scalar)
            }),
            "textDocument/references" => answer(req, |p: ReferenceParams| {
                let at = p.text_document_position;
                let doc = self.docs.get_mut(&at.text_document.uri)?;
                nav::find_references(doc, at.position, p.context.include_declaration)
            }),
            "textDocument/prepareRename" => answer(req, |p: TextDocumentPositionParams| {
                let doc = self.docs.get_mut(&p.text_document.uri)?;
                nav::prepare_rename_at(doc, p.position)
            }),
            // A refused rename is an error the editor shows, saying why.
            "textDocument/rename" => match serde_json::from_value::<RenameParams>(req.params) {
                Err(e) => Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()),
                Ok(p) => {
                    let at = p.text_document_position;
                    let renamed = self
                        .docs
                        .get_mut(&at.text_document.uri)
                        .map(|doc| nav::rename_at(doc, at.position, &p.new_name));
                    match renamed {
                        Some(Ok(edit)) => Response::new_ok(req.id, edit),
                        Some(Err(why)) => {
                            Response::new_err(req.id, ErrorCode::RequestFailed as i32, why)
                        }
                        None => Response::new_ok(req.id, serde_json::Value::Null),
                    }
                }
            },
            "textDocument/codeAction" => answer(req, |p: CodeActionParams| {
                let book = self.book.clone();
                let doc = self.docs.get_mut(&p.text_document.uri)?;
                let only = p.context.only.as_deref();
                Some(actions::code_actions(doc, p.range, only, &book))
            }),
            _ => Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("elmo lsp does not handle `{}`", req.method),
            ),
        }
    }

    /// Acts on a notification.
    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Some(p) = params::<DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    let doc = Document::new(d.uri.clone(), &d.language_id, d.version, d.text);
                    self.docs.open(doc);
                    self.due.insert(d.uri);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = params::<DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    if let Some(doc) = self.docs.get_mut(&uri) {
                        doc.change(p.text_document.version, p.content_changes);
                        self.due.insert(uri);
                    }
                }
            }
            // A saved results file changes what every model reading it reports.
            "textDocument/didSave" => {
                for doc in self.docs.iter_mut().filter(|d| d.is_model) {
                    doc.invalidate();
                    self.due.insert(doc.uri.clone());
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = params::<DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.due.remove(&uri);
                    if self.docs.close(&uri).is_some_and(|d| d.is_model) {
                        self.publish(uri.clone(), Vec::new(), None);
                        for csv in self.results_published.remove(&uri).unwrap_or_default() {
                            self.publish(csv, Vec::new(), None);
                        }
                    }
                }
            }
            // `initialized`, `$/cancelRequest` (every answer is sent before the next message is
            // read), `$/setTrace`, configuration changes: nothing to do.
            _ => {}
        }
    }

    /// The completions at a position: ids from the last model compiled from the document
    /// (the current text's, or the last good one while it does not parse), keys and words from
    /// the schema.
    fn completion(&mut self, at: &TextDocumentPositionParams) -> Option<CompletionResponse> {
        let doc = self
            .docs
            .get_mut(&at.text_document.uri)
            .filter(|d| d.is_model)?;
        let last = doc.last_model();
        let offset = doc.lines.offset(&doc.text, at.position);
        let model = last.as_ref().and_then(|a| a.model());
        let items = completion::complete(&doc.text, &doc.lines, offset, model);
        Some(CompletionResponse::Array(items))
    }

    /// What the id under the cursor names.
    fn hover(&mut self, at: &TextDocumentPositionParams) -> Option<Hover> {
        let doc = self
            .docs
            .get_mut(&at.text_document.uri)
            .filter(|d| d.is_model)?;
        let last = doc.last_model()?;
        let offset = doc.lines.offset(&doc.text, at.position);
        let (span, id) = hover::word_at(&doc.text, offset)?;
        let model = last.model()?;
        let value = hover::describe(model, last.results.as_ref(), id)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(doc.lines.range(&doc.text, span)),
        })
    }

    /// The outline of the model at `uri`, from its current text (none while it does not
    /// parse: stale places would be worse than none).
    fn symbols(&mut self, uri: &Uri) -> Option<DocumentSymbolResponse> {
        let doc = self.docs.get_mut(uri).filter(|d| d.is_model)?;
        let analysis = doc.analyse();
        let model = analysis.model()?;
        Some(DocumentSymbolResponse::Nested(symbols::outline(
            model, &doc.text, &doc.lines,
        )))
    }

    /// Compiles each document whose diagnostics are due and publishes them. Called when no
    /// message is waiting, so a burst of changes is compiled once.
    pub fn publish_due(&mut self) {
        let mut due: Vec<Uri> = self.due.drain().collect();
        due.sort();
        for uri in due {
            self.publish_document(&uri);
        }
    }

    /// Publishes the diagnostics of the model at `uri` and of the results files it reads.
    fn publish_document(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        if !doc.is_model {
            return;
        }
        let analysis = doc.analyse();
        let doc = &*doc;
        let place = Place {
            uri: &doc.uri,
            text: &doc.text,
            lines: &doc.lines,
        };
        let own: Vec<_> = analysis
            .diagnostics()
            .iter()
            .map(|d| diagnostics::to_lsp(d, &place, &self.book))
            .collect();
        let version = Some(doc.version);
        let mut files = Vec::new();
        for f in analysis.results.iter().flat_map(|r| &r.files) {
            let Some(csv) = file_uri(&f.path) else {
                continue;
            };
            let lines = LineIndex::new(&f.text);
            let place = Place {
                uri: &csv,
                text: &f.text,
                lines: &lines,
            };
            let found = f
                .diagnostics
                .iter()
                .map(|d| diagnostics::to_lsp(d, &place, &self.book))
                .collect();
            files.push((csv, found));
        }
        self.publish(uri.clone(), own, version);
        let now: Vec<Uri> = files.iter().map(|(u, _)| u.clone()).collect();
        let before = self.results_published.insert(uri.clone(), now.clone());
        for gone in before.unwrap_or_default() {
            if !now.contains(&gone) {
                self.publish(gone, Vec::new(), None);
            }
        }
        for (csv, found) in files {
            self.publish(csv, found, None);
        }
    }

    /// Tells the client, in its log, that something went wrong on the server's side.
    pub fn log(&self, message: &str) {
        let params = lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: format!("elmo lsp: {message}"),
        };
        self.send(Notification::new("window/logMessage".into(), params).into());
    }

    /// Answers request `id` with an internal error, after a bug stopped its handling.
    pub fn fail(&self, id: lsp_server::RequestId) {
        let message = "elmo lsp could not answer this request (a bug; see its log)".to_string();
        self.send(Response::new_err(id, ErrorCode::InternalError as i32, message).into());
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    fn send(&self, message: Message) {
        // The client hung up: the run loop sees the closed channel and stops.
        let _ = self.sender.send(message);
    }
}

/// A notification's parameters, or `None` when the client sent something else (which is
/// ignored, as the protocol asks of notifications).
fn params<P: DeserializeOwned>(value: serde_json::Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

/// The response to `req`: `answer`'s result for its parameters, or an `InvalidParams` error.
fn answer<P: DeserializeOwned, R: Serialize>(
    req: Request,
    answer: impl FnOnce(P) -> R,
) -> Response {
    match serde_json::from_value::<P>(req.params) {
        Ok(p) => Response::new_ok(req.id, answer(p)),
        Err(e) => Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()),
    }
}
