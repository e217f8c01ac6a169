//! Ordering the nodes within each layer to reduce edge crossings, without letting an edit
//! ripple across the diagram.
//!
//! Classic layered ordering sweeps up and down the layers until crossings settle, so one new
//! node can reorder columns far from it: the reshuffle users of dagre, ELK and Graphviz
//! complain of. Here the layers alternate instead. Even layers keep file order (their
//! authors' order); each odd layer is sorted by the barycentre of its neighbours in the two
//! fixed layers beside it, then polished by swaps that strictly reduce crossings against
//! them. An odd layer's order therefore depends only on itself and its two neighbours, and
//! an even layer's only on itself: adding a node moves its own column and the columns it
//! links to, and nothing else.

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
) {
    let mut pos = vec![0usize; items];
    // Fixed layers: file order, with each slot placed where its link would cross the column.
    for layer in layers.iter_mut().step_by(2) {
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
    for l in (1..layers.len()).step_by(2) {
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
    fn an_odd_layer_follows_its_fixed_neighbours() {
        // Layer 0 (fixed): items 0, 1. Layer 1: items 2, 3, with edges 0→3 and 1→2 crossing.
        let adj = Adjacency {
            down: vec![vec![3], vec![2], vec![], vec![]],
            up: vec![vec![], vec![], vec![1], vec![0]],
        };
        let mut layers = vec![vec![0, 1], vec![2, 3]];
        order(&mut layers, &adj, 4, &|_| None);
        assert_eq!(layers, vec![vec![0, 1], vec![3, 2]]);
    }
}
