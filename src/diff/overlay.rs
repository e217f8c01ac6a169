//! The drawing of a diff: the new model with what was removed put back as ghosts.

use std::collections::{HashMap, HashSet};

use super::{ChangeKind, Diff};
use crate::model::{Link, Model, Node, Stage};
use crate::span::Spanned;

/// The new model with the removed nodes and links put back as ghosts, for drawing the diff:
/// a removed node returns to its old stage, a removed link joins its ends (through renames).
pub fn overlay(old: &Model, new: &Model, diff: &Diff) -> Model {
    let mut merged = new.clone();
    let renamed: HashMap<&str, &str> = diff
        .nodes
        .iter()
        .filter_map(|n| n.old_id.as_deref().map(|o| (o, n.id.as_str())))
        .collect();
    let measure_ids: HashSet<&str> = new.measures.iter().map(|m| m.id.value.as_str()).collect();
    // Indexed once, so that a diff removing thousands of nodes and links stays linear.
    let mut old_nodes: HashMap<&str, (Stage, &Node)> = HashMap::new();
    for (stage, n) in old.nodes() {
        old_nodes.entry(n.id.value.as_str()).or_insert((stage, n));
    }
    for gone in diff
        .nodes
        .iter()
        .filter(|n| n.change == ChangeKind::Removed)
    {
        if let Some(&(stage, node)) = old_nodes.get(gone.id.as_str()) {
            let mut ghost = node.clone();
            ghost.leads_to.clear();
            ghost
                .measures
                .retain(|m| measure_ids.contains(m.value.as_str()));
            merged.push_node(stage, ghost);
        }
    }
    let mut ghost_links: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in diff
        .links
        .iter()
        .filter(|l| l.change == ChangeKind::Removed)
    {
        let from = renamed.get(l.from.as_str()).copied().unwrap_or(&l.from);
        let to = renamed.get(l.to.as_str()).copied().unwrap_or(&l.to);
        ghost_links.entry(from).or_default().push(to);
    }
    let nodes = merged
        .inputs
        .iter_mut()
        .chain(&mut merged.activities)
        .chain(&mut merged.outputs)
        .chain(&mut merged.direct_impacts)
        .chain(&mut merged.indirect_impacts)
        .chain(&mut merged.systemic_impacts);
    for node in nodes {
        // Taken out, so only the first node of a duplicated id gets them.
        for to in ghost_links
            .remove(node.id.value.as_str())
            .unwrap_or_default()
        {
            node.leads_to
                .push(Link::to(Spanned::new(to.to_string(), Default::default())));
        }
    }
    merged
}
