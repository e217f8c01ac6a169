//! Ordering the nodes within each layer to reduce edge crossings.
//!
//! Layered (Sugiyama) ordering: alternate downward and upward sweeps that sort each layer by
//! the barycentre of its neighbours, each followed by adjacent swaps that strictly reduce
//! crossings. The sweeps start from file order and every sort is stable, so a model whose
//! file order is already good keeps it, and an edit changes the order only where crossings
//! force it.

/// One layer's items, as indices into the item table.
pub type Layers = Vec<Vec<usize>>;

/// Edges between items in consecutive layers: `down[i]` lists the items below-right of `i`
/// (in the next layer), `up[i]` those in the previous layer.
pub struct Adjacency {
    /// Successors of each item in the next layer.
    pub down: Vec<Vec<usize>>,
    /// Predecessors of each item in the previous layer.
    pub up: Vec<Vec<usize>>,
}

const SWEEPS: usize = 6;

/// Reorders `layers` in place to reduce crossings; returns the crossing count reached.
pub fn minimise(layers: &mut Layers, adj: &Adjacency, items: usize) -> usize {
    let mut pos = vec![0usize; items];
    let index = |layers: &Layers, pos: &mut Vec<usize>| {
        for layer in layers {
            for (p, &i) in layer.iter().enumerate() {
                pos[i] = p;
            }
        }
    };
    index(layers, &mut pos);
    let mut best = layers.clone();
    let mut best_count = total_crossings(layers, adj, &pos);
    if best_count == 0 {
        return 0;
    }
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let order: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for l in order {
            let neighbours = if downward { &adj.up } else { &adj.down };
            let mut keyed: Vec<(f64, usize)> = layers[l]
                .iter()
                .map(|&i| {
                    let n = &neighbours[i];
                    let key = if n.is_empty() {
                        pos[i] as f64
                    } else {
                        n.iter().map(|&j| pos[j] as f64).sum::<f64>() / n.len() as f64
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
        let count = total_crossings(layers, adj, &pos);
        if count < best_count {
            best_count = count;
            best = layers.clone();
            if count == 0 {
                break;
            }
        }
    }
    *layers = best;
    best_count
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

/// Crossings between every pair of consecutive layers.
pub fn total_crossings(layers: &Layers, adj: &Adjacency, pos: &[usize]) -> usize {
    layers
        .windows(2)
        .map(|w| {
            let mut edges: Vec<(usize, usize)> = w[0]
                .iter()
                .flat_map(|&u| adj.down[u].iter().map(move |&v| (pos[u], pos[v])))
                .collect();
            edges.sort_unstable();
            inversions(edges.into_iter().map(|(_, v)| v), w[1].len())
        })
        .sum()
}

/// The number of pairs out of order in `seq` (values below `bound`), in O(n log n) with a
/// Fenwick tree: the crossings of a bipartite drawing once edges are sorted by their tops.
pub fn inversions(seq: impl Iterator<Item = usize>, bound: usize) -> usize {
    let mut tree = vec![0usize; bound + 1];
    let mut seen = 0usize;
    let mut count = 0usize;
    for v in seq {
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
        seen += 1;
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
    fn a_crossed_pair_is_uncrossed() {
        // Layer 0: items 0, 1. Layer 1: items 2, 3. Edges 0→3, 1→2 cross.
        let adj = Adjacency {
            down: vec![vec![3], vec![2], vec![], vec![]],
            up: vec![vec![], vec![], vec![1], vec![0]],
        };
        let mut layers = vec![vec![0, 1], vec![2, 3]];
        assert_eq!(minimise(&mut layers, &adj, 4), 0);
    }
}
