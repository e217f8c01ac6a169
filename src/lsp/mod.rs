//! `elmo lsp`: the language server.

pub mod actions;
pub mod nav;
