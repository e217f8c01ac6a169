//! Stage 3: the model's nodes and links as a petgraph graph, with an index of every id.
//!
//! Links whose target does not exist are left out here; reporting them is the checks' job.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{Model, Node, Stage};
use crate::span::Span;

/// Where a node lives in the model: its stage and its position in that stage's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeRef {
    /// The node's stage.
    pub stage: Stage,
    /// Its index in [`Model::stage`].
    pub index: usize,
}

/// A link, as written in a `leads_to` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// The span of the target id in the `leads_to` list.
    pub span: Span,
    /// Whether the link goes into an earlier stage.
    pub backward: bool,
}

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// A node in the graph.
    Node(NodeIndex),
    /// The measure at this index of [`Model::measures`].
    Measure(usize),
    /// The source at this index of [`Model::sources`].
    Source(usize),
    /// The assumption at this index of [`Model::assumptions`].
    Assumption(usize),
    /// The stakeholder at this index of [`Model::stakeholders`].
    Stakeholder(usize),
    /// The external factor at this index of [`Model::external_factors`].
    ExternalFactor(usize),
    /// The unexpected change at this index of [`Model::unexpected`].
    Unexpected(usize),
}

impl Item {
    /// A word for the kind of thing, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Item::Node(_) => "a node",
            Item::Measure(_) => "a measure",
            Item::Source(_) => "a source",
            Item::Assumption(_) => "an assumption",
            Item::Stakeholder(_) => "a stakeholder",
            Item::ExternalFactor(_) => "an external factor",
            Item::Unexpected(_) => "an unexpected change",
        }
    }
}

/// The model as a directed graph of nodes and links.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Nodes in stage order then file order; edges in `leads_to` order.
    pub graph: DiGraph<NodeRef, Link>,
    /// Each id's first definition, and its span. Later duplicates are not indexed.
    pub ids: HashMap<String, (Item, Span)>,
}

impl Graph {
    /// Builds the graph of `model`.
    pub fn build(model: &Model) -> Graph {
        let mut g = Graph::default();
        for stage in Stage::ALL {
            for (index, node) in model.stage(stage).iter().enumerate() {
                let ix = g.graph.add_node(NodeRef { stage, index });
                g.define(&node.id.value, Item::Node(ix), node.id.span);
            }
        }
        for (i, m) in model.measures.iter().enumerate() {
            g.define(&m.id.value, Item::Measure(i), m.id.span);
        }
        for (i, s) in model.sources.iter().enumerate() {
            g.define(&s.id.value, Item::Source(i), s.id.span);
        }
        for (i, a) in model.assumptions.iter().enumerate() {
            g.define(&a.id.value, Item::Assumption(i), a.id.span);
        }
        for (i, x) in model.stakeholders.iter().enumerate() {
            g.define(&x.id.value, Item::Stakeholder(i), x.id.span);
        }
        for (i, x) in model.external_factors.iter().enumerate() {
            g.define(&x.id.value, Item::ExternalFactor(i), x.id.span);
        }
        for (i, x) in model.unexpected.iter().enumerate() {
            g.define(&x.id.value, Item::Unexpected(i), x.id.span);
        }
        let nodes: Vec<NodeIndex> = g.graph.node_indices().collect();
        for from in nodes {
            let from_ref = g.graph[from];
            let node = &model.stage(from_ref.stage)[from_ref.index];
            for link in &node.leads_to {
                let target = &link.to;
                let Some(to) = g.node(&target.value) else {
                    continue;
                };
                // A repeated target adds nothing to the chain.
                if g.graph.find_edge(from, to).is_some() {
                    continue;
                }
                let backward = g.graph[to].stage < from_ref.stage;
                g.graph.add_edge(
                    from,
                    to,
                    Link {
                        span: target.span,
                        backward,
                    },
                );
            }
        }
        g
    }

    fn define(&mut self, id: &str, item: Item, span: Span) {
        if !id.is_empty() {
            self.ids.entry(id.to_string()).or_insert((item, span));
        }
    }

    /// The graph node named `id`, if `id` names a node.
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        match self.ids.get(id) {
            Some((Item::Node(ix), _)) => Some(*ix),
            _ => None,
        }
    }

    /// The model node behind a graph node.
    pub fn model_node<'m>(&self, model: &'m Model, ix: NodeIndex) -> &'m Node {
        let r = self.graph[ix];
        &model.stage(r.stage)[r.index]
    }
}
