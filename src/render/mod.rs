//! Stage 6: drawing a laid-out model: SVG, and exports for other tools.

pub mod dot;
pub mod findings;
pub mod mermaid;
pub mod png;
pub mod svg;
pub mod theme;

use crate::Compiled;
use crate::layout;
use crate::model::{Fit, Model, Stage};
use crate::results::Results;
pub use theme::Theme;

/// The model's diagram as SVG, or `None` when the model did not compile.
///
/// Warnings are drawn (unmeasured and disconnected nodes are marked); errors are not
/// drawable, so a model with errors gives `None`.
pub fn svg(compiled: &Compiled, theme: &Theme) -> Option<String> {
    svg_fit(compiled, theme, None)
}

/// The frame to draw for: `choice` (from `--fit`) when given, else the model's `fit:`, else
/// 16:9.
pub fn fit_for(model: &Model, choice: Option<Fit>) -> Fit {
    choice
        .or_else(|| model.fit.as_ref().map(|f| f.value))
        .unwrap_or_default()
}

/// The model's diagram as SVG like [`svg`], fitted to `fit` when given instead of the
/// model's own `fit:`.
pub fn svg_fit(compiled: &Compiled, theme: &Theme, fit: Option<Fit>) -> Option<String> {
    svg_results(compiled, theme, fit, None)
}

/// The model's diagram like [`svg_fit`], with each measure's latest value and status after
/// its label when `results` are given (see [`crate::results::evaluate`]).
pub fn svg_results(
    compiled: &Compiled,
    theme: &Theme,
    fit: Option<Fit>,
    results: Option<&Results>,
) -> Option<String> {
    let marks = results.map(layout::ResultMarks::of);
    let laid = layout_for_results(compiled, fit, None, marks.as_ref())?;
    svg_of(compiled, &laid, theme)
}

/// The model's layout for `fit` (or its own `fit:`), keeping the choices of an earlier
/// drawing (`hint`) unless fresh ones read clearly better; `None` when it has errors.
pub fn layout_for(
    compiled: &Compiled,
    fit: Option<Fit>,
    hint: Option<&layout::Choice>,
) -> Option<layout::Layout> {
    layout_for_results(compiled, fit, hint, None)
}

/// The model's layout like [`layout_for`], showing `results` on the measure lines.
pub fn layout_for_results(
    compiled: &Compiled,
    fit: Option<Fit>,
    hint: Option<&layout::Choice>,
    results: Option<&layout::ResultMarks>,
) -> Option<layout::Layout> {
    if compiled.has_errors() {
        return None;
    }
    let (model, graph) = (compiled.model.as_ref()?, compiled.graph.as_ref()?);
    Some(layout::layout_with(
        model,
        graph,
        &compiled.diagnostics,
        fit_for(model, fit),
        None,
        hint,
        results,
    ))
}

/// The diagram for a picture file (PNG): like [`svg_fit`], with every measure listed in full
/// below the key, since a picture has no tooltips for the text the boxes cut.
pub fn picture_svg(compiled: &Compiled, theme: &Theme, fit: Option<Fit>) -> Option<String> {
    picture_svg_results(compiled, theme, fit, None)
}

/// The picture like [`picture_svg`], with `results` on the measure lines and in the list.
pub fn picture_svg_results(
    compiled: &Compiled,
    theme: &Theme,
    fit: Option<Fit>,
    results: Option<&Results>,
) -> Option<String> {
    let marks = results.map(layout::ResultMarks::of);
    let mut laid = layout_for_results(compiled, fit, None, marks.as_ref())?;
    let (model, graph) = (compiled.model.as_ref()?, compiled.graph.as_ref()?);
    layout::list_measures(&mut laid, model, graph, marks.as_ref());
    svg_of(compiled, &laid, theme)
}

/// Draws `laid`, the layout of `compiled`, in `theme`, describing the model for screen
/// readers.
pub fn svg_of(compiled: &Compiled, laid: &layout::Layout, theme: &Theme) -> Option<String> {
    let model = compiled.model.as_ref()?;
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
    Some(svg::svg(laid, theme, &desc))
}

/// The diagram of a diff: `model` (the new model with removed parts put back, see
/// [`crate::diff::overlay`]) drawn with `marks`, flagging what `diagnostics` (the new model's)
/// flag.
pub fn svg_marked(
    model: &crate::Model,
    diagnostics: &[crate::Diagnostic],
    marks: &crate::layout::DiffMarks,
    theme: &Theme,
    fit: Option<Fit>,
    desc: &str,
) -> String {
    let graph = crate::Graph::build(model);
    let laid = layout::layout_marked(model, &graph, diagnostics, fit_for(model, fit), Some(marks));
    svg::svg(&laid, theme, desc)
}
