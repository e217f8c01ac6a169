//! `duplicate-id` and `unknown-reference`: every id defined once, every reference resolving.

use crate::diagnostic::{Code, Diagnostic, nearest};
use crate::graph::{Graph, Item};
use crate::lint::{Level, Lint};
use crate::model::{AppliesTo, Model, Target};
use crate::span::{Span, Spanned};

pub(super) fn check(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    duplicates(model, graph, out);
    let ids_of = |want: fn(&Item) -> bool| -> Vec<&str> {
        let mut ids: Vec<(&Span, &str)> = graph
            .ids
            .iter()
            .filter(|(_, (item, _))| want(item))
            .map(|(id, (_, span))| (span, id.as_str()))
            .collect();
        // File order, so suggestions do not depend on hash-map iteration.
        ids.sort();
        ids.into_iter().map(|(_, id)| id).collect()
    };
    let nodes = ids_of(|i| matches!(i, Item::Node(_)));
    let measures = ids_of(|i| matches!(i, Item::Measure(_)));
    let sources = ids_of(|i| matches!(i, Item::Source(_)));
    let stakeholders = ids_of(|i| matches!(i, Item::Stakeholder(_)));

    let mut found = Found {
        out,
        budget: SUGGESTION_BUDGET,
    };
    for (_, node) in model.nodes() {
        for link in &node.leads_to {
            reference(
                graph, &link.to, "leads_to", "a node", &nodes, is_node, &mut found,
            );
        }
        for s in &node.concerns {
            reference(
                graph,
                s,
                "concerns",
                "a stakeholder",
                &stakeholders,
                is_stakeholder,
                &mut found,
            );
        }
        for m in &node.measures {
            reference(
                graph,
                m,
                "measures",
                "a measure",
                &measures,
                is_measure,
                &mut found,
            );
        }
    }
    for m in &model.measures {
        if let Some(s) = &m.source {
            reference(
                graph, s, "source", "a source", &sources, is_source, &mut found,
            );
        }
    }
    for a in &model.assumptions {
        for target in &a.applies_to {
            applies_to(model, graph, target, &nodes, &mut found);
        }
    }
    for x in &model.external_factors {
        for id in &x.affects {
            reference(graph, id, "affects", "a node", &nodes, is_node, &mut found);
        }
    }
    breakdowns(model, &mut found);
}

/// Each measure's `breakdowns` names a group of the model's `breakdowns`.
fn breakdowns(model: &Model, found: &mut Found) {
    let declared: Vec<&str> = model.breakdowns.iter().map(|b| b.value.as_str()).collect();
    for m in &model.measures {
        for b in m
            .breakdowns
            .iter()
            .filter(|b| !declared.contains(&b.value.as_str()))
        {
            let d = Diagnostic::new(
                Code::UnknownReference,
                format!(
                    "`breakdowns` of `{}` names `{}`, but the model's `breakdowns:` does not list it",
                    m.id.value, b.value
                ),
                b.span,
            );
            let d = match found.suggest(&b.value, &declared) {
                Some(c) => d.did_you_mean(b.span, &b.value, &c),
                None => d.with_help(format!(
                    "add `{}` to the model's `breakdowns:`, the list of groups results are split by",
                    b.value
                )),
            };
            found.out.push(d);
        }
    }
}

/// Id comparisons spent on "did you mean" suggestions per model. Each wrong reference is
/// compared with every id of its kind, so thousands of wrong references in a model of
/// thousands of ids would take minutes; past this budget (a fraction of a second) the help
/// says how to define the id instead.
const SUGGESTION_BUDGET: usize = 2_000_000;

/// Where reference diagnostics go, and what is left of the suggestion budget.
struct Found<'o> {
    out: &'o mut Vec<Diagnostic>,
    budget: usize,
}

impl Found<'_> {
    /// The candidate nearest to `wrong`, while the budget lasts.
    fn suggest(&mut self, wrong: &str, candidates: &[&str]) -> Option<String> {
        let cost = candidates.len();
        if cost > self.budget {
            self.budget = 0;
            return None;
        }
        self.budget -= cost;
        nearest(wrong, candidates.iter().copied()).map(str::to_string)
    }
}

fn is_node(i: &Item) -> bool {
    matches!(i, Item::Node(_))
}
fn is_measure(i: &Item) -> bool {
    matches!(i, Item::Measure(_))
}
fn is_source(i: &Item) -> bool {
    matches!(i, Item::Source(_))
}
fn is_stakeholder(i: &Item) -> bool {
    matches!(i, Item::Stakeholder(_))
}

/// The `duplicate-id` lint.
pub(crate) static DUPLICATE_ID: Lint = Lint {
    code: Code::DuplicateId,
    name: "duplicate-id",
    default: Level::Deny,
    configurable: false,
    label: "used again here",
    summary: "an id is used twice (every item of the file shares one namespace)",
    why: "Links, measures and assumptions refer to things by id. Two things with one id make every reference to it ambiguous.",
    example: "outputs:\n  - id: attendance\n    label: Sessions attended\nmeasures:\n  - id: attendance\n    label: Attendance rate\n",
    fix: "outputs:\n  - id: attendance\n    label: Sessions attended\nmeasures:\n  - id: attendance-rate\n    label: Attendance rate\n",
    funder: "Two parts of the plan share one name, so they may be confused; one is {label}.",
};

fn duplicates(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    let all = model
        .nodes()
        .map(|(_, n)| &n.id)
        .chain(model.measures.iter().map(|m| &m.id))
        .chain(model.sources.iter().map(|s| &s.id))
        .chain(model.assumptions.iter().map(|a| &a.id))
        .chain(model.stakeholders.iter().map(|x| &x.id))
        .chain(model.external_factors.iter().map(|x| &x.id))
        .chain(model.unexpected.iter().map(|x| &x.id));
    for id in all {
        if let Some((item, first)) = graph.ids.get(&id.value)
            && *first != id.span
        {
            out.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("the id `{}` is already used by {}", id.value, item.noun()),
                    id.span,
                )
                .with_related(*first, "first used here")
                .with_help("ids must be unique across the whole file: rename one of them"),
            );
        }
    }
}

/// The `unknown-reference` lint.
pub(crate) static UNKNOWN_REFERENCE: Lint = Lint {
    code: Code::UnknownReference,
    name: "unknown-reference",
    default: Level::Deny,
    configurable: false,
    label: "not defined",
    summary: "`leads_to`, `measures`, `source`, `applies_to`, `concerns`, `affects` or `breakdowns` names nothing",
    why: "A link to a node that does not exist is a broken chain: the diagram would silently drop it and the theory of change would have a gap nobody sees.",
    example: "activities:\n  - id: mentoring\n    label: Weekly mentoring\n    leads_to: [sesions]\n",
    fix: "activities:\n  - id: mentoring\n    label: Weekly mentoring\n    leads_to: [sessions]\n",
    funder: "{label} refers to something the plan does not describe.",
};

fn reference(
    graph: &Graph,
    r: &Spanned<String>,
    key: &str,
    want_noun: &str,
    candidates: &[&str],
    want: fn(&Item) -> bool,
    found: &mut Found,
) {
    match graph.ids.get(&r.value) {
        Some((item, _)) if want(item) => {}
        Some((item, span)) => {
            let d = Diagnostic::new(
                Code::UnknownReference,
                format!(
                    "`{}` in `{key}` is {}, not {want_noun}",
                    r.value,
                    item.noun()
                ),
                r.span,
            )
            .with_related(*span, "defined here");
            let d = match found.suggest(&r.value, candidates) {
                Some(c) => d.did_you_mean(r.span, &r.value, &c),
                None => d.with_help(format!("`{key}` takes the id of {want_noun}")),
            };
            found.out.push(d);
        }
        None => {
            let mut d = Diagnostic::new(
                Code::UnknownReference,
                format!(
                    "`{key}` names `{}`, but there is no {} with that id",
                    r.value,
                    &want_noun[2..]
                ),
                r.span,
            );
            d = match found.suggest(&r.value, candidates) {
                Some(c) => d.did_you_mean(r.span, &r.value, &c),
                None => d.with_help(format!(
                    "define {want_noun} with `id: {}`, or fix the id",
                    r.value
                )),
            };
            found.out.push(d);
        }
    }
}

fn applies_to(model: &Model, graph: &Graph, entry: &AppliesTo, nodes: &[&str], found: &mut Found) {
    let target = &entry.written;
    let Target::Link { from, to } = &entry.target else {
        reference(graph, target, "applies_to", "a node", nodes, is_node, found);
        return;
    };
    let (from, to) = (from.as_str(), to.as_str());
    let mut missing = false;
    for end in [from, to] {
        if graph.node(end).is_none() {
            missing = true;
            let d = Diagnostic::new(
                Code::UnknownReference,
                format!(
                    "the link `{}` names `{end}`, but there is no node with that id",
                    target.value
                ),
                target.span,
            );
            let d = match found.suggest(end, nodes) {
                Some(c) => d.did_you_mean(target.span, end, &c),
                None => d.with_help("a link is written `\"from-id -> to-id\"`"),
            };
            found.out.push(d);
        }
    }
    if missing {
        return;
    }
    let (Some(f), Some(t)) = (graph.node(from), graph.node(to)) else {
        return;
    };
    if graph.graph.find_edge(f, t).is_none() {
        let from_node = graph.model_node(model, f);
        found.out.push(
            Diagnostic::new(
                Code::UnknownReference,
                format!("there is no link from `{from}` to `{to}`"),
                target.span,
            )
            .with_related(from_node.id.span, "this node's `leads_to` does not name it")
            .with_help(format!("add `{to}` to the `leads_to` of `{from}`, or apply the assumption to a node instead")),
        );
    }
}
