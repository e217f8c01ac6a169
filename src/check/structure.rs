//! `backward-link`, `cycle`, `missing-stage` and `disconnected-node`: the shape of the chain.

use std::collections::VecDeque;

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::Graph;
use crate::lint::{Level, Lint};
use crate::model::{Model, Stage};

// Explaining a broken chain walks it to find where it stops; a bound keeps a hostile model
// with thousands of loose nodes from making that quadratic.
const EXPLAIN_BUDGET: usize = 2_000;

pub(super) fn check(
    model: &Model,
    graph: &Graph,
    judge_connectivity: bool,
    out: &mut Vec<Diagnostic>,
) {
    backward_links(model, graph, out);
    cycles(model, graph, out);
    if judge_connectivity {
        connectivity(model, graph, out);
    }
}

/// The `backward-link` lint.
pub(crate) static BACKWARD_LINK: Lint = Lint {
    code: Code::BackwardLink,
    name: "backward-link",
    default: Level::Deny,
    configurable: false,
    label: "points backwards",
    summary: "a link into an earlier stage",
    why: "A logic model reads from resources to lasting change. A link from an impact back to an activity is usually a feedback loop that belongs in an assumption or in the programme's learning cycle, not in the causal chain.",
    example: "activities:\n  - id: mentoring\n    label: Weekly mentoring\ndirect_impacts:\n  - id: confidence\n    label: Young people feel more confident\n    leads_to: [mentoring]\n",
    fix: "assumptions:\n  - id: confidence-feeds-back\n    text: Growing confidence keeps young people coming to mentoring\n    applies_to: [confidence]\n",
    funder: "The plan draws a step from {label} back to an earlier stage, which does not fit the order of the programme.",
};

fn backward_links(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    for e in graph
        .graph
        .edge_references()
        .filter(|e| e.weight().backward)
    {
        let from = graph.model_node(model, e.source());
        let to = graph.model_node(model, e.target());
        let (fs, ts) = (graph.graph[e.source()].stage, graph.graph[e.target()].stage);
        out.push(
            Diagnostic::new(
                Code::BackwardLink,
                format!(
                    "`{}` ({}) links back to `{}`, an earlier stage ({})",
                    from.id.value,
                    fs.noun(),
                    to.id.value,
                    ts.noun()
                ),
                e.weight().span,
            )
            .with_related(to.id.span, format!("`{}` is in {}", to.id.value, ts.key()))
            .with_help("links run from inputs towards systemic impacts; record a feedback loop as an assumption instead")
            .about(&from.id.value),
        );
    }
}

/// The `cycle` lint.
pub(crate) static CYCLE: Lint = Lint {
    code: Code::Cycle,
    name: "cycle",
    default: Level::Deny,
    configurable: false,
    label: "closes the loop",
    summary: "links that form a loop",
    why: "A chain of outcomes that leads back to itself has no beginning and no end: nothing in it can be shown to come first, so no measure can show progress along it.",
    example: "direct_impacts:\n  - id: confidence\n    label: More confident\n    leads_to: [attendance]\n  - id: attendance\n    label: Better attendance\n    leads_to: [confidence]\n",
    fix: "direct_impacts:\n  - id: confidence\n    label: More confident\n    leads_to: [attendance]\n  - id: attendance\n    label: Better attendance\n",
    funder: "The chain of change loops back on itself at {label}, so it does not read from start to finish.",
};

fn cycles(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    let forward = EdgeFiltered::from_fn(&graph.graph, |e| !e.weight().backward);
    let mut sccs: Vec<Vec<NodeIndex>> = petgraph::algo::tarjan_scc(&forward)
        .into_iter()
        .filter(|c| c.len() > 1 || graph.graph.find_edge(c[0], c[0]).is_some())
        .map(|mut c| {
            c.sort();
            c
        })
        .collect();
    sccs.sort();
    for scc in sccs {
        let start = scc[0];
        let path = shortest_cycle(graph, &scc, start);
        let names: Vec<String> = path
            .iter()
            .map(|&ix| format!("`{}`", graph.model_node(model, ix).id.value))
            .collect();
        let closing = path
            .last()
            .and_then(|&last| graph.graph.find_edge(last, start))
            .map(|e| graph.graph[e].span)
            .unwrap_or(graph.model_node(model, start).id.span);
        let mut message = if path.len() == 1 {
            format!("{} leads to itself", names[0])
        } else {
            format!(
                "these links form a loop: {} → {}",
                names.join(" → "),
                names[0]
            )
        };
        let others: Vec<String> = scc
            .iter()
            .filter(|ix| !path.contains(ix))
            .map(|&ix| format!("`{}`", graph.model_node(model, ix).id.value))
            .collect();
        if !others.is_empty() {
            message.push_str(&format!(
                ", and {} are caught in the same loop",
                others.join(", ")
            ));
        }
        out.push(
            Diagnostic::new(Code::Cycle, message, closing)
                .with_help("a chain must run one way: remove one link of the loop, or record the feedback as an assumption")
                .about(&graph.model_node(model, start).id.value),
        );
    }
}

/// The shortest loop through `start` inside one strongly connected component.
fn shortest_cycle(graph: &Graph, scc: &[NodeIndex], start: NodeIndex) -> Vec<NodeIndex> {
    let mut prev: std::collections::HashMap<NodeIndex, NodeIndex> = Default::default();
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for e in graph.graph.edges(n).filter(|e| !e.weight().backward) {
            let t = e.target();
            if t == start {
                let mut path = vec![n];
                let mut cur = n;
                while cur != start {
                    cur = prev[&cur];
                    path.push(cur);
                }
                path.reverse();
                return path;
            }
            if scc.binary_search(&t).is_ok() && !prev.contains_key(&t) {
                prev.insert(t, n);
                queue.push_back(t);
            }
        }
    }
    vec![start]
}

/// Nodes reachable from `seeds` along forward links in `dir`.
fn reach(graph: &Graph, seeds: impl Iterator<Item = NodeIndex>, dir: Direction) -> Vec<bool> {
    let mut seen = vec![false; graph.graph.node_count()];
    let mut queue: VecDeque<NodeIndex> = seeds.collect();
    for n in &queue {
        seen[n.index()] = true;
    }
    while let Some(n) = queue.pop_front() {
        for e in graph.graph.edges_directed(n, dir) {
            if e.weight().backward {
                continue;
            }
            let next = if dir == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            if !seen[next.index()] {
                seen[next.index()] = true;
                queue.push_back(next);
            }
        }
    }
    seen
}

/// The first node, walking from `from` in `dir`, where the chain stops short of `goal`.
fn dead_end(graph: &Graph, from: NodeIndex, dir: Direction, goal: Stage) -> Option<NodeIndex> {
    let mut seen = std::collections::HashSet::from([from]);
    let mut queue = VecDeque::from([from]);
    while let Some(n) = queue.pop_front() {
        if seen.len() > EXPLAIN_BUDGET {
            return None;
        }
        let mut any = false;
        for e in graph
            .graph
            .edges_directed(n, dir)
            .filter(|e| !e.weight().backward)
        {
            any = true;
            let next = if dir == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            if seen.insert(next) {
                queue.push_back(next);
            }
        }
        if !any && n != from && graph.graph[n].stage != goal {
            return Some(n);
        }
    }
    None
}

/// The `missing-stage` lint.
pub(crate) static MISSING_STAGE: Lint = Lint {
    code: Code::MissingStage,
    name: "missing-stage",
    default: Level::Warn,
    configurable: true,
    label: "in this model",
    summary: "the model has no inputs, or no systemic impacts, so no chain can be complete",
    why: "Every chain should start from the resources the programme has and end in the long-term change it seeks. Without either end there is nothing to connect, so elmo reports this once instead of flagging every node.",
    example: "title: Youth mentoring\nactivities:\n  - id: mentoring\n    label: Weekly mentoring\n",
    fix: "title: Youth mentoring\ninputs:\n  - id: volunteers\n    label: Trained volunteer mentors\n    leads_to: [mentoring]\n",
    funder: "The plan leaves out a stage of the chain from resources to long-term change, so no chain runs from start to finish.",
};

/// The `disconnected-node` lint.
pub(crate) static DISCONNECTED_NODE: Lint = Lint {
    code: Code::DisconnectedNode,
    name: "disconnected-node",
    default: Level::Warn,
    configurable: true,
    label: "not on a full chain",
    summary: "a node not on any path from an input to a systemic impact",
    why: "Each box should be part of a chain from resources to lasting change. A node nothing leads to is an outcome with no activity producing it; a node that leads nowhere is effort that, on paper, changes nothing. Either is a gap in the theory of change. It is not judged while the file has errors, since a misspelt link or key is then the likelier cause.",
    example: "activities:\n  - id: newsletter\n    label: Quarterly newsletter\n",
    fix: "activities:\n  - id: newsletter\n    label: Quarterly newsletter\n    leads_to: [families-informed]\n",
    funder: "{label} is not on a chain from the programme's resources to its long-term change, so it is unclear how it contributes.",
};

fn connectivity(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    if graph.graph.node_count() == 0 {
        out.push(
            Diagnostic::new(Code::MissingStage, "the model has no nodes yet", model.title.span)
                .with_help("add `inputs:`, `activities:`, `outputs:` and the impacts, each a list of `- id: ...` items"),
        );
        return;
    }
    let of_stage = |s: Stage| {
        graph
            .graph
            .node_indices()
            .filter(move |&ix| graph.graph[ix].stage == s)
    };
    let has_inputs = !model.inputs.is_empty();
    let has_systemic = !model.systemic_impacts.is_empty();
    for (missing, stage, help) in [
        (
            !has_inputs,
            Stage::Inputs,
            "add `inputs:` (the money, people and partnerships the work needs) and link them to activities",
        ),
        (
            !has_systemic,
            Stage::SystemicImpacts,
            "add `systemic_impacts:` (the long-term shifts the vision speaks of) and link the indirect impacts to them",
        ),
    ] {
        if missing {
            out.push(
                Diagnostic::new(
                    Code::MissingStage,
                    format!(
                        "the model has no {}, so no chain is complete",
                        stage.title().to_lowercase()
                    ),
                    model.title.span,
                )
                .with_help(help),
            );
        }
    }
    let from_input = reach(graph, of_stage(Stage::Inputs), Direction::Outgoing);
    let to_systemic = reach(graph, of_stage(Stage::SystemicImpacts), Direction::Incoming);
    for ix in graph.graph.node_indices() {
        let node = graph.model_node(model, ix);
        let stage = graph.graph[ix].stage;
        let up_ok = !has_inputs || from_input[ix.index()];
        let down_ok = !has_systemic || to_systemic[ix.index()];
        if up_ok && down_ok {
            continue;
        }
        let id = &node.id.value;
        let name_of = |n: NodeIndex| graph.model_node(model, n).id.value.clone();
        let (message, help) = match (up_ok, down_ok) {
            (false, false) => (
                format!(
                    "`{id}` is cut off: no input leads to it, and it leads to no systemic impact"
                ),
                format!(
                    "link a node upstream to `{id}` and give `{id}` a `leads_to` towards a systemic impact"
                ),
            ),
            (false, true) => {
                let start = dead_end(graph, ix, Direction::Incoming, Stage::Inputs);
                let detail = start.map_or(String::new(), |s| {
                    format!(
                        ": the chain into it starts at `{}`, which nothing leads to",
                        name_of(s)
                    )
                });
                (
                    format!("no path from an input reaches `{id}`{detail}"),
                    format!(
                        "add `{}` to the `leads_to` of {} upstream",
                        start.map_or(id.clone(), name_of),
                        upstream_hint(start.map_or(stage, |s| graph.graph[s].stage))
                    ),
                )
            }
            (true, false) => {
                let end = dead_end(graph, ix, Direction::Outgoing, Stage::SystemicImpacts);
                let detail = end.map_or(String::new(), |e| {
                    format!(": its chain stops at `{}`, which leads nowhere", name_of(e))
                });
                (
                    format!("`{id}` leads to no systemic impact{detail}"),
                    format!(
                        "give `{}` a `leads_to` towards {}",
                        end.map_or(id.clone(), name_of),
                        downstream_hint(end.map_or(stage, |e| graph.graph[e].stage))
                    ),
                )
            }
            (true, true) => continue,
        };
        out.push(
            Diagnostic::new(Code::DisconnectedNode, message, node.id.span)
                .with_help(help)
                .about(id),
        );
    }
}

fn upstream_hint(stage: Stage) -> &'static str {
    match stage {
        Stage::Inputs | Stage::Activities => "an input",
        Stage::Outputs => "an activity",
        Stage::DirectImpacts => "an output",
        Stage::IndirectImpacts => "a direct impact",
        Stage::SystemicImpacts => "an indirect impact",
    }
}

fn downstream_hint(stage: Stage) -> &'static str {
    match stage {
        Stage::Inputs => "an activity",
        Stage::Activities => "an output",
        Stage::Outputs => "a direct impact",
        Stage::DirectImpacts => "an indirect impact",
        Stage::IndirectImpacts | Stage::SystemicImpacts => "a systemic impact",
    }
}
