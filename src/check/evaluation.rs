//! `target-against-direction`, `undefined-rate`, `only-lagging-measures` and
//! `no-qualitative-measure`: whether the measures can actually show the change.

use std::collections::VecDeque;

use petgraph::Direction as Towards;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{Graph, Item};
use crate::lint::{Level, Lint};
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

/// The `target-against-direction` lint.
pub(crate) static TARGET_AGAINST_DIRECTION: Lint = Lint {
    code: Code::TargetAgainstDirection,
    name: "target-against-direction",
    default: Level::Warn,
    configurable: true,
    label: "against the direction",
    summary: "a numeric target on the wrong side of its numeric baseline, or equal to it, for the measure's `direction`",
    why: "A measure that says `direction: decrease` (reoffending, waiting times) and then sets a target above its baseline is promising the opposite of what the programme wants, and a target equal to the baseline promises no change at all. Usually the baseline and target were swapped, or a figure was copied from the wrong row. When holding a figure steady is the aim (keeping 85% of people engaged while the service grows), say `direction: maintain`: a target equal to the baseline is then what is promised, and it is not checked. Only measures that state their `direction` and give both baseline and target as numbers (`70`, `\"70%\"` and `\"1,200\"` all count) are checked.",
    example: "measures:\n  - id: reoffending-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    direction: decrease\n    baseline: 35\n    target: 42.5\n",
    fix: "measures:\n  - id: reoffending-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    direction: decrease\n    baseline: 42.5\n    target: 35\n",
    funder: "The target for {label} points the opposite way from the change the programme wants.",
};

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
        Direction::Decrease | Direction::Maintain => "above",
    };
    // Figures are quoted as written (`"35%"`, `"£1,500"`), so the reader recognises them.
    let (tw, bw) = (&t.value, &b.value);
    let message = if target == baseline {
        format!(
            "`{id}` should {way}, but its target ({tw}) equals its baseline, so it promises no change"
        )
    } else {
        format!("`{id}` should {way}, but its target ({tw}) is {side} its baseline ({bw})")
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

/// The `undefined-rate` lint.
pub(crate) static UNDEFINED_RATE: Lint = Lint {
    code: Code::UndefinedRate,
    name: "undefined-rate",
    default: Level::Warn,
    configurable: true,
    label: "rate not defined",
    summary: "a percentage or rate without its `numerator` and `denominator`",
    why: "The same words can hide very different sums. A completion rate can count every order that ended, or leave out those ended for reasons nobody controls; the ATR completion rate is successful terminations divided by successful plus unsuccessful ones, times 100, with neutral endings left out of both. Unless the model says what is counted on top and what it is counted out of, two teams will report different figures under one name, and a change in the rate may only be a change in the sum. The check applies to any measure whose `unit` is a percentage, proportion, rate, ratio, share or a rate per 100, 1,000 and so on; percentage points are differences and are not checked.",
    example: "measures:\n  - id: completion-rate\n    label: ATR completion rate\n    unit: percent\n    baseline: 35\n    target: 40\n",
    fix: "measures:\n  - id: completion-rate\n    label: ATR completion rate\n    unit: percent\n    numerator: successful terminations (Form 20 codes 50 and 51)\n    denominator: successful plus unsuccessful terminations; neutral endings left out\n    baseline: 35\n    target: 40\n",
    funder: "The measure {label} is a rate, but the plan does not yet say what is counted and what it is counted out of.",
};

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

/// Forward links only, between outcomes, where the measures that signal change live.
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
        .filter(|&m| graph.graph[m].stage.is_outcome())
}

/// The `only-lagging-measures` lint.
pub(crate) static ONLY_LAGGING_MEASURES: Lint = Lint {
    code: Code::OnlyLaggingMeasures,
    name: "only-lagging-measures",
    default: Level::Warn,
    configurable: true,
    label: "only lagging measures",
    summary: "a systemic impact whose chain of outcomes is measured only by lagging measures",
    why: "Lagging measures, such as proven reoffending a year after release, only move once the outcome has happened; leading indicators move early enough to change course. The leading indicators that matter are outcome-level: changes in assessed risk, in behaviour, in attitudes, in housing or drinking, which signal that the final change is on its way. Counts of activity, such as sessions held or people engaged, show that the service is running, not that anything is changing for the people in it, so output measures do not count here. elmo takes each systemic impact, gathers the measures of the impact itself and of every direct and indirect impact with a path of links into it, and reports the impact when there is at least one such measure and every one of them says `timing: lagging`. A measure that does not state its `timing` is given the benefit of the doubt, so the check only speaks once timings are written down.",
    example: "outputs:\n  - id: engaged\n    label: People engaged for three months\n    measures: [engaged-3m]\n    leads_to: [less-reoffending]\nsystemic_impacts:\n  - id: less-reoffending\n    label: Less reoffending\n    measures: [proven-rate]\nmeasures:\n  - id: engaged-3m\n    label: Share in contact for over three months\n    timing: leading\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    timing: lagging\n",
    fix: "outputs:\n  - id: engaged\n    label: People engaged for three months\n    measures: [engaged-3m]\n    leads_to: [lower-risk]\ndirect_impacts:\n  - id: lower-risk\n    label: Assessed risk of reoffending falls\n    measures: [risk-scores]\n    leads_to: [less-reoffending]\nmeasures:\n  - id: risk-scores\n    label: Share whose assessed risk fell at review\n    timing: leading\n",
    funder: "The changes leading to {label} are measured only once they have happened, so there is no early sign of progress to steer by.",
};

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
    // Two flags flow down the chain of outcomes in one pass each: whether any outcome
    // measure upstream (or on the node itself) could be steered by, and whether there is
    // any outcome measure at all. Output measures count activity, not change, so they
    // neither steer nor count as measured.
    let chain = |seed: &dyn Fn(NodeIndex) -> bool| {
        let mut seen = vec![false; graph.graph.node_count()];
        let mut queue: VecDeque<NodeIndex> = graph
            .graph
            .node_indices()
            .filter(|&ix| graph.graph[ix].stage.is_outcome() && seed(ix))
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
                    "every outcome measure on the chain into `{id}` is lagging ({names}), so nothing signals change before the end"
                ),
                node.id.span,
            )
            .with_help(format!(
                "add a leading measure (`timing: leading`) to `{id}` or to a direct or indirect impact that leads to it: a change in assessed risk, behaviour or attitudes moves early enough to act on; counts of activity such as sessions held show the service running, not change"
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

/// The `no-qualitative-measure` lint.
pub(crate) static NO_QUALITATIVE_MEASURE: Lint = Lint {
    code: Code::NoQualitativeMeasure,
    name: "no-qualitative-measure",
    default: Level::Warn,
    configurable: true,
    label: "no qualitative measure",
    summary: "a model with measures but no qualitative measure at all",
    why: "Numbers say how much changed; stories, interviews and feedback say why, for whom, and what it felt like. A framework built only on counts cannot explain its own results, misses effects nobody thought to count, and leaves out the voice of the people it serves. One qualitative measure, such as case studies or user feedback, is enough to stop this warning. It is not raised for a model with no measures yet.",
    example: "measures:\n  - id: sessions\n    label: Sessions held\n  - id: attendance\n    label: School attendance of mentees\n",
    fix: "measures:\n  - id: sessions\n    label: Sessions held\n  - id: attendance\n    label: School attendance of mentees\n  - id: mentee-stories\n    label: Mentees' own accounts of what changed\n    kind: qualitative\n",
    funder: "The plan counts things but collects no stories or feedback, so it cannot show why or for whom things changed.",
};

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
