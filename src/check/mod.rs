//! Stage 4: checks over the model and its graph, one file per family of lints.

mod levels;
mod measures;
mod references;
mod structure;

pub use levels::{LevelFlag, LintTarget, apply_levels};

use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::model::Model;

/// Runs every check, returning diagnostics at their default levels, in a stable order.
pub fn run(model: &Model, graph: &Graph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    references::check(model, graph, &mut out);
    structure::check(model, graph, &mut out);
    measures::check(model, graph, &mut out);
    out
}
