//! Pass 6, routing: each link's path. Links between columns leave a box's right side and
//! enter the next box's left side, spread along each side in the order of the other end's
//! height so they fan out instead of meeting in one point. A link to the box just below in
//! the same column drops straight down; one to any other box of the same column bulges out
//! to the right and back.

use std::collections::HashMap;

use crate::diagnostic::Code;
use crate::graph::Graph;
use crate::layout::order::Ordered;
use crate::layout::place::Placed;
use crate::layout::{DiffMarks, LinkPath, Metrics, NodeBox, RouteShape};

/// One end of a link on a box's side: the other end's height breaks the order, then the
/// link's index.
type Port = (f64, usize);

/// Routes every link, in source order.
pub fn routes(
    graph: &Graph,
    ordered: &Ordered,
    placed: &Placed,
    boxes: &[NodeBox],
    m: &Metrics,
    issues: &HashMap<&str, Vec<Code>>,
    diff_marks: Option<&DiffMarks>,
) -> Vec<LinkPath> {
    let centre = |i: usize| boxes[i].y + boxes[i].h / 2.0;
    // Which item follows each node in its column, to tell a drop from a bulge.
    let mut next: HashMap<usize, usize> = HashMap::new();
    for layer in &ordered.layers {
        for w in layer.windows(2) {
            next.insert(w[0], w[1]);
        }
    }
    enum Plan {
        Layered(usize),
        Drop,
        Bulge(usize),
    }
    let mut plans: Vec<(usize, usize, Plan)> = Vec::new();
    for (k, (s, t, _)) in ordered.chains.iter().enumerate() {
        plans.push((s.index(), t.index(), Plan::Layered(k)));
    }
    let mut lanes: HashMap<usize, usize> = HashMap::new();
    for &(s, t) in &ordered.stacked {
        let (s, t) = (s.index(), t.index());
        if next.get(&s) == Some(&t) {
            plans.push((s, t, Plan::Drop));
        } else {
            let layer = ordered.item_layer[s];
            let lane = lanes.entry(layer).or_default();
            plans.push((s, t, Plan::Bulge(*lane)));
            *lane += 1;
        }
    }
    // Ports on each side, keyed by the other end's height where the link first heads.
    let mut right: HashMap<usize, Vec<Port>> = HashMap::new();
    let mut left: HashMap<usize, Vec<Port>> = HashMap::new();
    for (k, (s, t, plan)) in plans.iter().enumerate() {
        match plan {
            Plan::Layered(c) => {
                let slots = &ordered.chains[*c].2;
                let first = slots.first().map_or(centre(*t), |&x| placed.slot_y[x]);
                let last = slots.last().map_or(centre(*s), |&x| placed.slot_y[x]);
                right.entry(*s).or_default().push((first, k));
                left.entry(*t).or_default().push((last, k));
            }
            Plan::Bulge(_) => {
                right.entry(*s).or_default().push((centre(*t), k));
                right.entry(*t).or_default().push((centre(*s), k));
            }
            Plan::Drop => {}
        }
    }
    let port = |ports: &HashMap<usize, Vec<Port>>, node: usize, k: usize| -> f64 {
        let b = &boxes[node];
        let Some(list) = ports.get(&node) else {
            return b.y + b.h / 2.0;
        };
        let mut sorted: Vec<&Port> = list.iter().collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let rank = sorted.iter().position(|p| p.1 == k).unwrap_or(0);
        let inset = m.label_size * 0.5;
        let span = (b.h - 2.0 * inset).max(0.0);
        b.y + inset + span * (rank as f64 + 1.0) / (sorted.len() as f64 + 1.0)
    };
    let mut links: Vec<(usize, LinkPath)> = plans
        .iter()
        .enumerate()
        .map(|(k, (s, t, plan))| {
            let (sb, tb) = (&boxes[*s], &boxes[*t]);
            let (shape, points) = match plan {
                Plan::Layered(c) => {
                    let mut points = vec![(sb.x + sb.w, port(&right, *s, k))];
                    for &slot in &ordered.chains[*c].2 {
                        let lx = placed.layer_x[ordered.item_layer[slot]];
                        points.push((lx, placed.slot_y[slot]));
                        points.push((lx + m.node_width, placed.slot_y[slot]));
                    }
                    points.push((tb.x, port(&left, *t, k)));
                    (RouteShape::Layered, points)
                }
                Plan::Drop => {
                    let x = sb.x + sb.w / 2.0;
                    (RouteShape::Drop, vec![(x, sb.y + sb.h), (x, tb.y)])
                }
                Plan::Bulge(lane) => {
                    let dx = m.sub_gap * 0.45 + *lane as f64 * m.link_width * 3.0;
                    (
                        RouteShape::Bulge(dx),
                        vec![
                            (sb.x + sb.w, port(&right, *s, k)),
                            (tb.x + tb.w, port(&right, *t, k)),
                        ],
                    )
                }
            };
            let key = format!("{} -> {}", sb.id, tb.id);
            let order = graph
                .graph
                .find_edge(
                    petgraph::graph::NodeIndex::new(*s),
                    petgraph::graph::NodeIndex::new(*t),
                )
                .map_or(usize::MAX, |e| e.index());
            (
                order,
                LinkPath {
                    from: sb.id.clone(),
                    to: tb.id.clone(),
                    shape,
                    points,
                    issues: issues.get(key.as_str()).cloned().unwrap_or_default(),
                    markers: Vec::new(),
                    mark: diff_marks
                        .and_then(|d| d.links.get(&(sb.id.clone(), tb.id.clone())).copied()),
                    reason: None,
                },
            )
        })
        .collect();
    // Source order, whatever kind of route each link took.
    links.sort_by_key(|(order, _)| *order);
    links.into_iter().map(|(_, l)| l).collect()
}
