//! `elmo lsp`: the Language Server Protocol over standard input and output, so that an
//! editor shows `elmo check`'s findings as you type, completes ids and explains them on hover.
//!
//! The protocol's framing and messages come from `lsp-server` and `lsp-types`; everything
//! about the model comes from the same pipeline as the command line ([`crate::compile_with`]
//! and [`crate::results`]), so the editor and `elmo check` cannot disagree.
//!
//! [`server`] holds the state and dispatches each message by its method; [`document`] keeps
//! the open texts and their last compile; [`position`] converts byte offsets to the
//! protocol's UTF-16 positions; [`diagnostics`] converts findings.

pub mod actions;
pub mod completion;
pub mod context;
pub mod diagnostics;
pub mod document;
pub mod hover;
pub mod nav;
pub mod position;
pub mod server;
pub mod symbols;

/// The protocol's types, as this server uses them (for tests and the fuzz target).
pub use lsp_types;

use std::panic::{AssertUnwindSafe, catch_unwind};

use lsp_server::{Connection, Message};
use lsp_types::InitializeParams;

/// Runs the server on standard input and output until the client says `exit` or hangs up.
pub fn run() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())
}

/// Runs the server on `connection`: the handshake, then every message until `shutdown` and
/// `exit`, or until the client hangs up.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let answer = serde_json::json!({
        "capabilities": server::capabilities(),
        "serverInfo": {"name": "elmo", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, answer)
        .map_err(|e| e.to_string())?;
    let mut server = server::Server::new(connection.sender.clone(), &params);
    while let Ok(message) = connection.receiver.recv() {
        if is_shutdown(connection, &message)? {
            return Ok(());
        }
        handle(&mut server, message);
        // Whatever else has arrived is handled before compiling, so that a burst of changes
        // is compiled once, for its last text.
        while let Ok(message) = connection.receiver.try_recv() {
            if is_shutdown(connection, &message)? {
                return Ok(());
            }
            handle(&mut server, message);
        }
        if catch_unwind(AssertUnwindSafe(|| server.publish_due())).is_err() {
            server.log("a bug stopped the diagnostics; the server goes on");
        }
    }
    Ok(())
}

/// Whether `message` is the `shutdown` request, answered and followed by `exit`.
fn is_shutdown(connection: &Connection, message: &Message) -> Result<bool, String> {
    match message {
        Message::Request(req) => connection.handle_shutdown(req).map_err(|e| e.to_string()),
        _ => Ok(false),
    }
}

/// Handles one message, keeping the server up if a bug panics on it: the editor loses one
/// answer rather than every feature until it is restarted.
fn handle(server: &mut server::Server, message: Message) {
    let id = match &message {
        Message::Request(r) => Some(r.id.clone()),
        _ => None,
    };
    if catch_unwind(AssertUnwindSafe(|| server.handle(message))).is_err() {
        server.log("a bug stopped the handling of a message; the server goes on");
        if let Some(id) = id {
            server.fail(id);
        }
    }
}
