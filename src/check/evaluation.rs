//! `target-against-direction`, `undefined-rate`, `only-lagging-measures` and
//! `no-qualitative-measure`: whether the measures can actually show the change.

use std::collections::VecDeque;

use petgraph::Direction as Towards;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{Graph, Item};
use crate::model::{Direction, Measure, MeasureKind, Model, Stage, Timing};

// Naming the lagging measures behind an impact walks its chain backwards; a bound keeps a
// hostile model from making that walk quadratic.
const NAME_BUDGET: usize = 2_000;

pub(super) fn check(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    for m in &model.measures {
        direction(m, out);
        rate(m, out);
    }
    lagging(model, graph, out);
    qualitative(model, out);
}

fn direction(m: &Measure, out: &mut Vec<Diagnostic>) {
    if !m.against_direction() {
        return;
    }
    let (Some(dir), Some((baseline, target)), Some(t), Some(b)) =
        (&m.direction, m.numeric_change(), &m.target, &m.baseline)
    else {
        return;
    };
    let id = &m.id.value;
    let way = dir.value.as_str();
    let side = match dir.value {
        Direction::Increase => "below",
        Direction::Decrease => "above",
    };
    let message = if target == baseline {
        format!(
            "`{id}` should {way}, but its target ({target}) equals its baseline, so it promises no change"
        )
    } else {
        format!(
            "`{id}` should {way}, but its target ({target}) is {side} its baseline ({baseline})"
        )
    };
    out.push(
        Diagnostic::new(Code::TargetAgainstDirection, message, t.span)
            .with_related(b.span, "the baseline")
            .with_related(dir.span, "the direction")
            .with_help(
                "if the baseline and target were entered the wrong way round, swap them; otherwise correct the target or the `direction`",
            )
            .about(id),
    );
}

fn rate(m: &Measure, out: &mut Vec<Diagnostic>) {
    let missing = m.undefined_rate();
    let Some(unit) = &m.unit else {
        return;
    };
    if missing.is_empty() {
        return;
    }
    let id = &m.id.value;
    let list = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    out.push(
        Diagnostic::new(
            Code::UndefinedRate,
            format!(
                "`{id}` is a rate (unit `{}`) but does not give its {list}",
                unit.value
            ),
            unit.span,
        )
        .with_help(
            "add `numerator:` (what is counted) and `denominator:` (what it is counted out of, and what is left out), e.g. `numerator: successful completions` and `denominator: successful plus unsuccessful completions`",
        )
        .about(id),
    );
}

/// Forward links only, between nodes from the outputs on, where measures live.
fn chain_edges(graph: &Graph, n: NodeIndex, dir: Towards) -> impl Iterator<Item = NodeIndex> {
    graph
        .graph
        .edges_directed(n, dir)
        .filter(|e| !e.weight().backward)
        .map(move |e| {
            if dir == Towards::Outgoing {
                e.target()
            } else {
                e.source()
            }
        })
        .filter(|&m| graph.graph[m].stage >= Stage::Outputs)
}

fn lagging(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    if !model.measures.iter().any(is_lagging) {
        return;
    }
    let measures_of = |ix: NodeIndex| {
        graph
            .model_node(model, ix)
            .measures
            .iter()
            .filter_map(|id| match graph.ids.get(&id.value) {
                Some((Item::Measure(i), _)) => Some(&model.measures[*i]),
                _ => None,
            })
    };
    // Two flags flow down the chain in one pass each: whether any measure upstream (or on
    // the node itself) could be steered by, and whether there is any measure at all.
    let chain = |seed: &dyn Fn(NodeIndex) -> bool| {
        let mut seen = vec![false; graph.graph.node_count()];
        let mut queue: VecDeque<NodeIndex> = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage >= Stage::Outputs && seed(ix))
            .collect();
        for n in &queue {
            seen[n.index()] = true;
        }
        while let Some(n) = queue.pop_front() {
            for next in chain_edges(graph, n, Towards::Outgoing) {
                if !seen[next.index()] {
                    seen[next.index()] = true;
                    queue.push_back(next);
                }
            }
        }
        seen
    };
    let steerable = chain(&|ix| measures_of(ix).any(|m| !is_lagging(m)));
    let measured = chain(&|ix| measures_of(ix).next().is_some());
    for ix in graph.graph.node_indices() {
        if graph.graph[ix].stage != Stage::SystemicImpacts
            || steerable[ix.index()]
            || !measured[ix.index()]
        {
            continue;
        }
        let node = graph.model_node(model, ix);
        let names = lagging_names(graph, ix, &measures_of);
        let id = &node.id.value;
        out.push(
            Diagnostic::new(
                Code::OnlyLaggingMeasures,
                format!(
                    "every measure on the chain into `{id}` is lagging ({names}), so there is nothing to steer by until the end"
                ),
                node.id.span,
            )
            .with_help(format!(
                "add a leading measure (`timing: leading`) to `{id}` or to an output or impact that leads to it: engagement, attendance or a change in assessed risk moves early enough to act on"
            ))
            .about(id),
        );
    }
}

fn is_lagging(m: &Measure) -> bool {
    m.timing
        .as_ref()
        .is_some_and(|t| t.value == Timing::Lagging)
}

/// Up to three lagging measures on the chain into `ix`, nearest first, as `a`, `b`, `c`.
fn lagging_names<'m, I>(
    graph: &Graph,
    ix: NodeIndex,
    measures_of: &impl Fn(NodeIndex) -> I,
) -> String
where
    I: Iterator<Item = &'m Measure>,
{
    let mut names: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::from([ix]);
    let mut queue = VecDeque::from([ix]);
    while let Some(n) = queue.pop_front() {
        for m in measures_of(n) {
            if !names.contains(&m.id.value.as_str()) {
                names.push(&m.id.value);
            }
        }
        if names.len() > 3 || seen.len() > NAME_BUDGET {
            break;
        }
        for prev in chain_edges(graph, n, Towards::Incoming) {
            if seen.insert(prev) {
                queue.push_back(prev);
            }
        }
    }
    let more = names.len() > 3;
    let mut list: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    if more {
        list.push("and more".to_string());
    }
    list.join(", ")
}

fn qualitative(model: &Model, out: &mut Vec<Diagnostic>) {
    if model.measures.is_empty()
        || model
            .measures
            .iter()
            .any(|m| m.kind() == MeasureKind::Qualitative)
    {
        return;
    }
    let span = model.measures_key.unwrap_or(model.title.span);
    let which = match model.measures.len() {
        1 => "the model's only measure is not qualitative".to_string(),
        n => format!("none of the model's {n} measures is qualitative"),
    };
    out.push(
        Diagnostic::new(
            Code::NoQualitativeMeasure,
            format!("{which}: it has numbers but no stories"),
            span,
        )
        .with_help(
            "add a measure with `kind: qualitative`, such as case studies, interviews or feedback from the people served, and attach it to the outcome it explains",
        ),
    );
}
