//! Stage 4: checks over the model and its graph, one file per family of lints.

// The lint modules are visible to `lint`, which collects the lints they declare.
pub(crate) mod assumptions;
pub(crate) mod contribution;
pub(crate) mod data_protection;
pub(crate) mod evaluation;
pub(crate) mod format_codes;
mod levels;
pub(crate) mod measures;
pub(crate) mod numbers;
pub(crate) mod power;
pub(crate) mod references;
pub(crate) mod stakeholders;
pub(crate) mod structure;

pub use levels::{Accepted, LevelFlag, LintTarget, apply_levels, apply_levels_keeping};

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::Model;

/// Runs every check, returning diagnostics at their default levels, in a stable order.
///
/// `decode_errors` says whether decoding already found errors. Connectivity is then not
/// judged: a misspelt `leads_to` key or id would otherwise flood the report with
/// disconnected nodes that are only its echo.
pub fn run(model: &Model, graph: &Graph, decode_errors: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    references::check(model, graph, &mut out);
    let errors = decode_errors || out.iter().any(|d| d.severity == Severity::Error);
    structure::check(model, graph, !errors, &mut out);
    measures::check(model, graph, &mut out);
    numbers::check(model, &mut out);
    evaluation::check(model, graph, &mut out);
    power::check(model, &mut out);
    data_protection::check(model, &mut out);
    assumptions::check(model, graph, &mut out);
    contribution::check(model, graph, &mut out);
    stakeholders::check(model, graph, &mut out);
    out
}
