//! Pass 1, ranks: each node's depth along the links between nodes of its own stage.

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::graph::Graph;
use crate::model::{Model, Stage};

/// Each node's depth inside its stage, and the stages the model uses.
#[derive(Debug, Clone)]
pub struct Ranks {
    /// Depth by node index: 0 for a node no same-stage node links to, else one more than
    /// the deepest same-stage node linking to it.
    pub depth: Vec<usize>,
    /// The stages with at least one node, in order.
    pub used: Vec<Stage>,
}

/// Computes the depths by relaxation, bounded so that a loop (an error, but layout must not
/// hang on it) cannot spin.
pub fn ranks(model: &Model, graph: &Graph) -> Ranks {
    let g = &graph.graph;
    let mut depth = vec![0usize; g.node_count()];
    for stage in Stage::ALL {
        let members: Vec<NodeIndex> = g
            .node_indices()
            .filter(|&ix| g[ix].stage == stage)
            .collect();
        for _ in 0..members.len() {
            let mut changed = false;
            for &u in &members {
                for e in g.edges(u) {
                    let v = e.target();
                    if g[v].stage == stage && v != u && depth[v.index()] < depth[u.index()] + 1 {
                        depth[v.index()] = depth[u.index()] + 1;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }
    let used = Stage::ALL
        .into_iter()
        .filter(|s| !model.stage(*s).is_empty())
        .collect();
    Ranks { depth, used }
}
