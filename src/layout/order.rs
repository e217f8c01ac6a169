//! Pass 4, ordering: the order of boxes within each layer (sub-column), and the slots long
//! links pass through, chosen to reduce crossings without letting an edit ripple across the
//! diagram.
//!
//! Classic layered ordering sweeps up and down the layers until crossings settle, so one new
//! node can reorder columns far from it: the reshuffle users of dagre, ELK and Graphviz
//! complain of. Here the layers alternate instead. A stage's first sub-column keeps file
//! order (its authors' order) in every other stage, and the sub-columns alternate from there;
//! each free layer is sorted by the barycentre of its neighbours in the layers beside it,
//! then polished by swaps that strictly reduce crossings against them. A free layer's order
//! therefore depends only on itself and its neighbours, and a fixed layer's only on itself.
//! Which layers are fixed is counted within each stage, so a stage that gains a sub-column
//! changes no other stage's alternation: adding a node moves its own column and the columns
//! it links to, and nothing else.

use std::collections::HashMap;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::graph::Graph;
use crate::layout::arrange::Arrangement;
use crate::layout::ranks::Ranks;
use crate::model::LayoutMode;

/// Every layer's items in order. Items are the nodes (item `i` is node `i`), then one slot
/// per layer a long link skips.
#[derive(Debug, Clone)]
pub struct Ordered {
    /// Each layer's items, top to bottom.
    pub layers: Layers,
    /// The layer of each item.
    pub item_layer: Vec<usize>,
    /// Links between layers: source, target, and the slots they pass through.
    pub chains: Vec<(NodeIndex, NodeIndex, Vec<usize>)>,
    /// Links between two boxes of one column.
    pub stacked: Vec<(NodeIndex, NodeIndex)>,
}

/// Builds the items and orders every layer.
pub fn items(graph: &Graph, ranks: &Ranks, a: &Arrangement, mode: LayoutMode) -> Ordered {
    let n = graph.graph.node_count();
    let mut item_layer: Vec<usize> = a.layer_of.clone();
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains = Vec::new();
    let mut stacked = Vec::new();
    for e in graph.graph.edge_references() {
        if e.weight().backward || e.source() == e.target() {
            continue;
        }
        let (s, t) = (e.source().index(), e.target().index());
        let (ls, lt) = (item_layer[s], item_layer[t]);
        if lt == ls {
            stacked.push((e.source(), e.target()));
            continue;
        }
        if lt < ls {
            continue;
        }
        let mut slots = Vec::new();
        let mut prev = s;
        for l in ls + 1..lt {
            let slot = item_layer.len();
            item_layer.push(l);
            down.push(Vec::new());
            up.push(Vec::new());
            down[prev].push(slot);
            up[slot].push(prev);
            slots.push(slot);
            prev = slot;
        }
        down[prev].push(t);
        up[t].push(prev);
        chains.push((e.source(), e.target(), slots));
    }
    // File order within a layer is depth first, so a chain stacked in one column reads
    // top to bottom.
    let mut layers: Layers = vec![Vec::new(); a.layer_stage.len()];
    let mut nodes: Vec<usize> = (0..n).collect();
    nodes.sort_by_key(|&i| (ranks.depth[i], i));
    for i in nodes.into_iter().chain(n..item_layer.len()) {
        layers[item_layer[i]].push(i);
    }
    // A slot sits in its column where a straight line from the link's source to its target
    // would cross it, measured in file-order places.
    let mut place = vec![(0usize, 1usize); n];
    for layer in &layers {
        let size = layer.iter().filter(|&&i| i < n).count();
        for (p, &i) in layer.iter().filter(|&&i| i < n).enumerate() {
            place[i] = (p, size);
        }
    }
    let mut slot_of: HashMap<usize, f64> = HashMap::new();
    for (s, t, slots) in &chains {
        let (sp, tp) = (place[s.index()], place[t.index()]);
        let (ls, lt) = (item_layer[s.index()] as f64, item_layer[t.index()] as f64);
        let fs = sp.0 as f64 / sp.1.max(1) as f64;
        let ft = tp.0 as f64 / tp.1.max(1) as f64;
        for &slot in slots {
            let along = (item_layer[slot] as f64 - ls) / (lt - ls);
            let size = layers[item_layer[slot]]
                .iter()
                .filter(|&&i| i < n)
                .count()
                .max(1) as f64;
            slot_of.insert(slot, (fs + (ft - fs) * along) * size - 0.5);
        }
    }
    let adjacency = Adjacency { down, up };
    let slot_key = |i: usize| slot_of.get(&i).copied();
    // Alternation counted within each stage, from the stage's own place in the six.
    let fixed: Vec<bool> = (0..a.layer_stage.len())
        .map(|l| {
            let stage = a.layer_stage[l];
            let sub = a.layer_stage[..l].iter().filter(|&&s| s == stage).count();
            (stage as usize + sub).is_multiple_of(2)
        })
        .collect();
    match mode {
        LayoutMode::Stable => {
            order(&mut layers, &adjacency, item_layer.len(), &slot_key, &fixed);
            for layer in &mut layers {
                group_by_depth(layer, n, &ranks.depth);
            }
        }
        // The compact search weighs every order by its crossings alone; a chain in one
        // column then reads in whatever order crosses least, joined at the side.
        LayoutMode::Compact => order_compact(&mut layers, &adjacency, item_layer.len(), &slot_key),
    }
    Ordered {
        layers,
        item_layer,
        chains,
        stacked,
    }
}

/// Sorts a layer's nodes by depth, keeping their order within a depth and every slot in its
/// place, so that a chain in one column runs downwards.
fn group_by_depth(layer: &mut [usize], n: usize, depth: &[usize]) {
    let places: Vec<usize> = (0..layer.len()).filter(|&p| layer[p] < n).collect();
    let mut nodes: Vec<usize> = places.iter().map(|&p| layer[p]).collect();
    nodes.sort_by_key(|&i| depth[i]);
    for (p, i) in places.into_iter().zip(nodes) {
        layer[p] = i;
    }
}

/// One layer's items, as indices into the item table.
pub type Layers = Vec<Vec<usize>>;

/// Edges between items in consecutive layers: `down[i]` lists the items of the next layer
/// that `i` links to, `up[i]` those of the previous layer that link to `i`.
pub struct Adjacency {
    /// Successors of each item in the next layer.
    pub down: Vec<Vec<usize>>,
    /// Predecessors of each item in the previous layer.
    pub up: Vec<Vec<usize>>,
}

/// Orders `layers` in place. On entry each layer lists its items in file order (slots last);
/// `slot_key` gives a slot's place among a fixed layer's nodes, as a fractional index.
pub fn order(
    layers: &mut Layers,
    adj: &Adjacency,
    items: usize,
    slot_key: &dyn Fn(usize) -> Option<f64>,
    fixed: &[bool],
) {
    let mut pos = vec![0usize; items];
    for layer in layers.iter_mut() {
        file_order(layer, slot_key, &mut pos);
    }
    // Indexed: each free layer reads its neighbours' places as it is sorted.
    #[allow(clippy::needless_range_loop)]
    for l in 0..layers.len() {
        if fixed.get(l).copied().unwrap_or(true) {
            continue;
        }
        let mut keyed: Vec<(f64, usize)> = layers[l]
            .iter()
            .enumerate()
            .map(|(p, &i)| {
                let neighbours: Vec<usize> =
                    adj.up[i].iter().chain(&adj.down[i]).copied().collect();
                let key = if neighbours.is_empty() {
                    slot_key(i).unwrap_or(p as f64)
                } else {
                    neighbours.iter().map(|&j| pos[j] as f64).sum::<f64>() / neighbours.len() as f64
                };
                (key, i)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        layers[l] = keyed.into_iter().map(|(_, i)| i).collect();
        for (p, &i) in layers[l].iter().enumerate() {
            pos[i] = p;
        }
        transpose(&mut layers[l], adj, &mut pos);
    }
}

/// Puts one layer in file order, with each slot where its link would cross the column.
fn file_order(layer: &mut Vec<usize>, slot_key: &dyn Fn(usize) -> Option<f64>, pos: &mut [usize]) {
    let mut keyed: Vec<(f64, usize)> = layer
        .iter()
        .enumerate()
        .map(|(p, &i)| (slot_key(i).unwrap_or(p as f64), i))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    *layer = keyed.into_iter().map(|(_, i)| i).collect();
    for (p, &i) in layer.iter().enumerate() {
        pos[i] = p;
    }
}

/// Records every item's place in its layer.
fn index(layers: &Layers, pos: &mut [usize]) {
    for layer in layers {
        for (p, &i) in layer.iter().enumerate() {
            pos[i] = p;
        }
    }
}

/// Orders `layers` in place for as few crossings as alternating sweeps find, letting every
/// layer move: the `compact` layout. Starts from the same file order as [`order`], so ties
/// and plateaus still fall back to the author's order.
pub fn order_compact(
    layers: &mut Layers,
    adj: &Adjacency,
    items: usize,
    slot_key: &dyn Fn(usize) -> Option<f64>,
) {
    let mut pos = vec![0usize; items];
    for layer in layers.iter_mut() {
        file_order(layer, slot_key, &mut pos);
    }
    let start = layers.clone();
    let mut best = layers.clone();
    let mut best_crossings = total_crossings(layers, adj, &pos);
    // Sifting an item costs a pass over its layer, so one polishing round costs about the
    // sum of the layers' squared lengths. The search spends a fixed amount of that work: a
    // small diagram gets many starts, a large one stays fast.
    let round_cost: usize = layers
        .iter()
        .map(|l| l.len() * l.len())
        .sum::<usize>()
        .max(1);
    let mut budget = WORK_BUDGET;
    // Extra starts are shuffles of the file order by a fixed seed, so every run agrees.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut from = start.clone();
    for run in 0..2 * (1 + MAX_RESTARTS) {
        if run > 0 && budget < round_cost {
            break;
        }
        let key = if run % 2 == 0 {
            Key::Barycentre
        } else {
            Key::Median
        };
        if run >= 2 && run % 2 == 0 {
            from.clone_from(&start);
            for layer in from.iter_mut() {
                for k in (1..layer.len()).rev() {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    layer.swap(k, ((seed >> 33) as usize) % (k + 1));
                }
            }
        }
        layers.clone_from(&from);
        index(layers, &mut pos);
        let mut run = Progress {
            crossings: total_crossings(layers, adj, &pos),
            layers: layers.clone(),
            stale: 0,
        };
        for sweep in 0..MAX_SWEEPS {
            sweep_once(layers, adj, &mut pos, key, sweep % 2 == 0);
            for layer in layers.iter_mut() {
                transpose(layer, adj, &mut pos);
            }
            if !run.keep_going(layers, total_crossings(layers, adj, &pos)) {
                break;
            }
        }
        layers.clone_from(&run.layers);
        index(layers, &mut pos);
        run.stale = 0;
        // Polish: sifting moves single items further than swaps can; every other round may
        // also move along a plateau, to step off it somewhere better.
        for round in 0..MAX_SWEEPS {
            if round > 0 && budget < round_cost {
                break;
            }
            budget = budget.saturating_sub(round_cost);
            for layer in layers.iter_mut() {
                sift(layer, adj, &mut pos, round % 2 == 1);
                transpose(layer, adj, &mut pos);
            }
            if !run.keep_going(layers, total_crossings(layers, adj, &pos)) {
                break;
            }
        }
        if run.crossings < best_crossings {
            best_crossings = run.crossings;
            best = run.layers;
        }
    }
    *layers = best;
}

/// The best order one run of the compact search has reached, and the rounds since it last
/// improved.
struct Progress {
    crossings: usize,
    layers: Layers,
    stale: usize,
}

impl Progress {
    /// Keeps `layers` if they cross less; false once [`PATIENCE`] rounds have not helped.
    fn keep_going(&mut self, layers: &Layers, crossings: usize) -> bool {
        if crossings < self.crossings {
            self.crossings = crossings;
            self.layers.clone_from(layers);
            self.stale = 0;
        } else {
            self.stale += 1;
        }
        self.stale < PATIENCE
    }
}

/// How a sweep ranks an item against the fixed layer beside it.
#[derive(Clone, Copy)]
enum Key {
    /// The mean place of its neighbours.
    Barycentre,
    /// The middle place of its neighbours.
    Median,
}

/// Reorders every layer by its neighbours in the layer before it (downward) or after it.
fn sweep_once(layers: &mut Layers, adj: &Adjacency, pos: &mut [usize], key: Key, downward: bool) {
    let sequence: Vec<usize> = if downward {
        (1..layers.len()).collect()
    } else {
        (0..layers.len().saturating_sub(1)).rev().collect()
    };
    let side = if downward { &adj.up } else { &adj.down };
    for l in sequence {
        let mut keyed: Vec<(f64, usize, usize)> = layers[l]
            .iter()
            .enumerate()
            .map(|(p, &i)| {
                let mut ps: Vec<usize> = side[i].iter().map(|&j| pos[j]).collect();
                let k = match (ps.len(), key) {
                    (0, _) => p as f64,
                    (n, Key::Barycentre) => ps.iter().sum::<usize>() as f64 / n as f64,
                    (n, Key::Median) => {
                        ps.sort_unstable();
                        if n % 2 == 1 {
                            ps[n / 2] as f64
                        } else {
                            (ps[n / 2 - 1] + ps[n / 2]) as f64 / 2.0
                        }
                    }
                };
                (k, p, i)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        layers[l] = keyed.into_iter().map(|(_, _, i)| i).collect();
        for (p, &i) in layers[l].iter().enumerate() {
            pos[i] = p;
        }
    }
}

/// Sweeps the compact layout runs at most; enough for the sizes elmo draws to settle.
const MAX_SWEEPS: usize = 24;
/// Sweeps without improvement after which the compact layout stops searching.
const PATIENCE: usize = 4;
/// Polishing work the compact layout may spend, in squared layer lengths.
const WORK_BUDGET: usize = 700_000;
/// Extra starts at most, however small the diagram.
const MAX_RESTARTS: usize = 4;

/// Crossings between every pair of consecutive layers.
fn total_crossings(layers: &Layers, adj: &Adjacency, pos: &[usize]) -> usize {
    let mut total = 0;
    for w in layers.windows(2) {
        let mut edges: Vec<(usize, usize)> = w[0]
            .iter()
            .flat_map(|&u| adj.down[u].iter().map(move |&v| (u, v)))
            .map(|(u, v)| (pos[u], pos[v]))
            .collect();
        edges.sort_unstable();
        total += inversions(edges.into_iter().map(|(_, v)| v), w[1].len());
    }
    total
}

/// Swaps neighbours in one layer while a swap strictly reduces crossings with both
/// adjacent layers.
fn transpose(layer: &mut [usize], adj: &Adjacency, pos: &mut [usize]) {
    for _ in 0..4 {
        let mut improved = false;
        for k in 0..layer.len().saturating_sub(1) {
            let (a, b) = (layer[k], layer[k + 1]);
            let now = pair_crossings(a, b, adj, pos);
            let swapped = pair_crossings(b, a, adj, pos);
            if swapped < now {
                layer.swap(k, k + 1);
                pos[a] = k + 1;
                pos[b] = k;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
}

/// Moves each item of one layer to the place where it crosses fewest links with both
/// adjacent layers, keeping its place on a tie.
fn sift(layer: &mut Vec<usize>, adj: &Adjacency, pos: &mut [usize], plateau: bool) {
    let items = layer.clone();
    for v in items {
        let Some(from) = layer.iter().position(|&x| x == v) else {
            continue;
        };
        layer.remove(from);
        // Crossings relative to `v` sitting above every other item; moving it below `u`
        // trades `v`-above-`u` crossings for `u`-above-`v` ones.
        let (mut cost, mut best_cost, mut best_at, mut from_cost) = (0i64, 0i64, 0usize, 0i64);
        for (k, &u) in layer.iter().enumerate() {
            cost += pair_crossings(u, v, adj, pos) as i64 - pair_crossings(v, u, adj, pos) as i64;
            if cost < best_cost || (plateau && cost == best_cost) {
                best_cost = cost;
                best_at = k + 1;
            }
            if k + 1 == from {
                from_cost = cost;
            }
        }
        let at = if best_cost < from_cost || (plateau && best_cost == from_cost) {
            best_at
        } else {
            from
        };
        layer.insert(at, v);
        for (p, &i) in layer.iter().enumerate() {
            pos[i] = p;
        }
    }
}

/// Crossings among the edges of `a` and `b` when `a` sits directly above `b`.
fn pair_crossings(a: usize, b: usize, adj: &Adjacency, pos: &[usize]) -> usize {
    let mut c = 0;
    for side in [&adj.down, &adj.up] {
        for &x in &side[a] {
            for &y in &side[b] {
                if pos[x] > pos[y] {
                    c += 1;
                }
            }
        }
    }
    c
}

/// The number of pairs out of order in `seq` (values below `bound`), in O(n log n) with a
/// Fenwick tree: the crossings of a bipartite drawing once edges are sorted by their tops.
pub fn inversions(seq: impl Iterator<Item = usize>, bound: usize) -> usize {
    let mut tree = vec![0usize; bound + 1];
    let mut count = 0usize;
    for (seen, v) in seq.enumerate() {
        // Items seen so far with a larger value cross this one.
        let mut i = v + 1;
        let mut not_greater = 0;
        while i > 0 {
            not_greater += tree[i];
            i &= i - 1;
        }
        count += seen - not_greater;
        let mut i = v + 1;
        while i <= bound {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_count_crossings() {
        assert_eq!(inversions([0, 1, 2].into_iter(), 3), 0);
        assert_eq!(inversions([2, 1, 0].into_iter(), 3), 3);
        assert_eq!(inversions([1, 1, 0].into_iter(), 2), 2);
    }

    #[test]
    fn compact_moves_a_fixed_column_that_stable_must_keep() {
        // 0→2, 1→3, 2→5, 3→4: with layers 0 and 2 held in file order one crossing is
        // unavoidable; letting layer 2 turn over removes it.
        let adj = Adjacency {
            down: vec![vec![2], vec![3], vec![5], vec![4], vec![], vec![]],
            up: vec![vec![], vec![], vec![0], vec![1], vec![3], vec![2]],
        };
        let crossings = |layers: &Layers| {
            let mut pos = vec![0; 6];
            index(layers, &mut pos);
            total_crossings(layers, &adj, &pos)
        };
        let mut stable = vec![vec![0, 1], vec![2, 3], vec![4, 5]];
        order(&mut stable, &adj, 6, &|_| None, &[true, false, true]);
        assert_eq!(crossings(&stable), 1);
        let mut compact = vec![vec![0, 1], vec![2, 3], vec![4, 5]];
        order_compact(&mut compact, &adj, 6, &|_| None);
        assert_eq!(crossings(&compact), 0);
    }

    #[test]
    fn an_odd_layer_follows_its_fixed_neighbours() {
        // Layer 0 (fixed): items 0, 1. Layer 1: items 2, 3, with edges 0→3 and 1→2 crossing.
        let adj = Adjacency {
            down: vec![vec![3], vec![2], vec![], vec![]],
            up: vec![vec![], vec![], vec![1], vec![0]],
        };
        let mut layers = vec![vec![0, 1], vec![2, 3]];
        order(&mut layers, &adj, 4, &|_| None, &[true, false]);
        assert_eq!(layers, vec![vec![0, 1], vec![3, 2]]);
    }
}
