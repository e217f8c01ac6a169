//! Stage 6: drawing a laid-out model: SVG, and exports for other tools.

pub mod dot;
pub mod svg;
pub mod theme;

use crate::Compiled;
use crate::layout::{self, Metrics};
use crate::model::Stage;
pub use theme::Theme;

/// The model's diagram as SVG, or `None` when the model did not compile.
///
/// Warnings are drawn (unmeasured and disconnected nodes are marked); errors are not
/// drawable, so a model with errors gives `None`.
pub fn svg(compiled: &Compiled, theme: &Theme) -> Option<String> {
    if compiled.has_errors() {
        return None;
    }
    let (model, graph) = (compiled.model.as_ref()?, compiled.graph.as_ref()?);
    let metrics = Metrics::default();
    let laid = layout::layout(model, graph, &compiled.diagnostics, &metrics);
    let mut desc = String::new();
    if let Some(v) = &model.vision {
        desc.push_str(&format!("Vision: {}. ", v.value.trim_end_matches('.')));
    }
    let counts: Vec<String> = Stage::ALL
        .into_iter()
        .filter(|s| !model.stage(*s).is_empty())
        .map(|s| format!("{} {}", model.stage(s).len(), s.title().to_lowercase()))
        .collect();
    desc.push_str(&format!(
        "Logic model with {}; {} links, {} measures, {} assumptions.",
        counts.join(", "),
        laid.links.len(),
        model.measures.len(),
        model.assumptions.len()
    ));
    Some(svg::svg(&laid, theme, &metrics, &desc))
}
