//! Pass 7, markers: where each assumption's numbered marker sits.
//!
//! A marker on a link goes on a stretch of that link that no other link crosses or runs
//! alongside, clear of boxes, the accountability ceiling and other marks, as near the
//! link's middle as such a stretch allows. Where the link has no such stretch, the marker
//! moves to the nearest clear spot and a leader line joins it to the link's most solitary
//! point. A marker on a box sits on the box's top edge, left of the corner flags.

use std::collections::HashMap;

use crate::layout::geometry::{Rect, sample_route, segment_distance_squared};
use crate::layout::{LinkPath, Marker, Metrics, NodeBox};
use crate::model::{Model, Target};

/// Obstacles bucketed by a coarse grid, so each query looks only at what is near.
struct Grid {
    cell: f64,
    segments: HashMap<(i64, i64), Vec<usize>>,
    rects: HashMap<(i64, i64), Vec<usize>>,
}

impl Grid {
    fn key(&self, x: f64, y: f64) -> (i64, i64) {
        (
            (x / self.cell).floor() as i64,
            (y / self.cell).floor() as i64,
        )
    }

    fn cells(&self, r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let (x0, y0) = self.key(r.x, r.y);
        let (x1, y1) = self.key(r.x + r.w, r.y + r.h);
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }
}

/// A piece of a link: the link's index and the piece's two ends.
type Segment = (usize, (f64, f64), (f64, f64));

/// What a marker must keep clear of.
struct Obstacles {
    grid: Grid,
    /// Each segment: its link and its ends.
    segments: Vec<Segment>,
    rects: Vec<Rect>,
    ceiling: Option<f64>,
    placed: Vec<(f64, f64)>,
    r: f64,
    /// The area boxes and links cover.
    bounds: Rect,
}

impl Obstacles {
    fn new(boxes: &[NodeBox], links: &[LinkPath], ceiling: Option<f64>, m: &Metrics) -> Self {
        let r = m.mark_r;
        let mut grid = Grid {
            cell: 4.0 * r,
            segments: HashMap::new(),
            rects: HashMap::new(),
        };
        let mut segments = Vec::new();
        for (li, l) in links.iter().enumerate() {
            let line = sample_route(l.shape, &l.points);
            for w in line.windows(2) {
                let k = segments.len();
                segments.push((li, w[0], w[1]));
                let bb = Rect::new(
                    w[0].0.min(w[1].0),
                    w[0].1.min(w[1].1),
                    (w[0].0 - w[1].0).abs(),
                    (w[0].1 - w[1].1).abs(),
                );
                for c in grid.cells(&bb).collect::<Vec<_>>() {
                    grid.segments.entry(c).or_default().push(k);
                }
            }
        }
        let mut rects = Vec::new();
        for b in boxes {
            rects.push(Rect::new(b.x, b.y, b.w, b.h));
            rects.extend(b.flags.iter().map(|f| f.rect));
        }
        for (k, rect) in rects.iter().enumerate() {
            for c in grid.cells(rect).collect::<Vec<_>>() {
                grid.rects.entry(c).or_default().push(k);
            }
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for rect in &rects {
            x0 = x0.min(rect.x);
            y0 = y0.min(rect.y);
            x1 = x1.max(rect.x + rect.w);
            y1 = y1.max(rect.y + rect.h);
        }
        for (_, a, b) in &segments {
            for p in [a, b] {
                x0 = x0.min(p.0);
                y0 = y0.min(p.1);
                x1 = x1.max(p.0);
                y1 = y1.max(p.1);
            }
        }
        let bounds = if x0 <= x1 {
            Rect::new(x0, y0, x1 - x0, y1 - y0)
        } else {
            Rect::default()
        };
        Obstacles {
            grid,
            segments,
            rects,
            ceiling,
            placed: Vec::new(),
            r,
            bounds,
        }
    }

    /// The nearest distance from `p` to a link other than `own` (to every link when `own` is
    /// `None`), looking no further than the grid cells around `p`, and stopping early once a
    /// link is nearer than `enough` (pass 0 for the exact nearest).
    fn link_clearance_until(&self, p: (f64, f64), own: Option<usize>, enough: f64) -> f64 {
        let reach = Rect::new(
            p.0 - self.grid.cell,
            p.1 - self.grid.cell,
            2.0 * self.grid.cell,
            2.0 * self.grid.cell,
        );
        let mut best = f64::INFINITY;
        let stop = enough * enough;
        for c in self.grid.cells(&reach) {
            for &k in self.grid.segments.get(&c).into_iter().flatten() {
                let (li, a, b) = self.segments[k];
                if Some(li) != own {
                    best = best.min(segment_distance_squared(p, a, b));
                    if best < stop {
                        return best.sqrt();
                    }
                }
            }
        }
        best.sqrt()
    }

    /// The nearest distance from `p` to a link other than `own`.
    fn link_clearance(&self, p: (f64, f64), own: Option<usize>) -> f64 {
        self.link_clearance_until(p, own, 0.0)
    }

    /// Whether every link but `own` is at least `need` from `p`.
    fn clear_of_links(&self, p: (f64, f64), own: Option<usize>, need: f64) -> bool {
        self.link_clearance_until(p, own, need) >= need
    }

    /// Whether a marker centred on `p` keeps clear of boxes, flags, the ceiling and other
    /// markers.
    fn clear_of_marks(&self, p: (f64, f64)) -> bool {
        let r = self.r;
        let reach = Rect::new(p.0 - 2.0 * r, p.1 - 2.0 * r, 4.0 * r, 4.0 * r);
        for c in self.grid.cells(&reach) {
            for &k in self.grid.rects.get(&c).into_iter().flatten() {
                if self.rects[k].distance(p) < r + 2.0 {
                    return false;
                }
            }
        }
        if self.ceiling.is_some_and(|x| (p.0 - x).abs() < r + 3.0) {
            return false;
        }
        self.placed
            .iter()
            .all(|q| (p.0 - q.0).hypot(p.1 - q.1) >= 2.0 * r + 3.0)
    }
}

/// Directions tried around a link's anchor for a marker that needs a leader.
const RING_STEPS: usize = 24;

/// Places every assumption's markers on the boxes and links it applies to.
pub fn place(
    model: &Model,
    boxes: &mut [NodeBox],
    links: &mut [LinkPath],
    ceiling: Option<f64>,
    m: &Metrics,
) {
    let mut obstacles = Obstacles::new(boxes, links, ceiling, m);
    let by_id: HashMap<&str, usize> = boxes
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    let by_link: HashMap<(&str, &str), usize> = links
        .iter()
        .enumerate()
        .map(|(i, l)| ((l.from.as_str(), l.to.as_str()), i))
        .collect();
    let mut on_links: Vec<(usize, Marker)> = Vec::new();
    let mut on_boxes: Vec<(usize, Marker)> = Vec::new();
    for (i, a) in model.assumptions.iter().enumerate() {
        let number = i + 1;
        let status = a.status.as_ref().map(|s| s.value).unwrap_or_default();
        for entry in &a.applies_to {
            if let Target::Link { from, to } = &entry.target {
                if let Some(&li) = by_link.get(&(from.as_str(), to.as_str())) {
                    let (p, leader) = on_link(&obstacles, li, &links[li], m);
                    obstacles.placed.push(p);
                    on_links.push((
                        li,
                        Marker {
                            number,
                            status,
                            x: p.0,
                            y: p.1,
                            leader,
                        },
                    ));
                }
            } else if let Target::Node(id) = &entry.target
                && let Some(&bi) = by_id.get(id.as_str())
            {
                let p = on_box(&obstacles, &boxes[bi], m);
                obstacles.placed.push(p);
                on_boxes.push((
                    bi,
                    Marker {
                        number,
                        status,
                        x: p.0,
                        y: p.1,
                        leader: None,
                    },
                ));
            }
        }
    }
    for (li, mk) in on_links {
        links[li].markers.push(mk);
    }
    for (bi, mk) in on_boxes {
        boxes[bi].markers.push(mk);
    }
}

/// A place on a link for its marker, and the leader's anchor on the link when the marker had
/// to move off it.
fn on_link(
    obstacles: &Obstacles,
    li: usize,
    link: &LinkPath,
    m: &Metrics,
) -> ((f64, f64), Option<(f64, f64)>) {
    let r = m.mark_r;
    let line = sample_route(link.shape, &link.points);
    let step = r / 2.0;
    // Candidates every half radius along the link, with their share of the way along.
    let mut candidates: Vec<((f64, f64), f64)> = Vec::new();
    let total: f64 = line
        .windows(2)
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .sum();
    let mut walked = 0.0;
    for w in line.windows(2) {
        let len = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        let mut t = 0.0;
        while t < len {
            let at = walked + t;
            // Keep off the ends, where the link meets its boxes and the arrowhead.
            if at > 1.6 * r && total - at > 2.2 * r {
                let f = t / len;
                let p = (
                    w[0].0 + (w[1].0 - w[0].0) * f,
                    w[0].1 + (w[1].1 - w[0].1) * f,
                );
                candidates.push((p, at / total.max(1e-9)));
            }
            t += step;
        }
        walked += len;
    }
    let need = r + m.link_width + 2.0;
    // The candidate nearest the middle first: the first clear one is the one to take.
    let mut by_middle: Vec<&((f64, f64), f64)> = candidates.iter().collect();
    by_middle.sort_by(|a, b| (a.1 - 0.5).abs().total_cmp(&(b.1 - 0.5).abs()));
    if let Some(&&(p, _)) = by_middle
        .iter()
        .find(|(p, _)| obstacles.clear_of_marks(*p) && obstacles.clear_of_links(*p, Some(li), need))
    {
        return (p, None);
    }
    // No clear stretch: a leader from the link's most solitary point to the nearest spot
    // that is clear of every link, box and mark.
    let mut solitary: Option<((f64, f64), f64)> = None;
    for &(p, _) in &candidates {
        if obstacles.clear_of_marks(p) {
            let clearance = obstacles.link_clearance(p, Some(li));
            if solitary.is_none_or(|(_, c)| clearance > c) {
                solitary = Some((p, clearance));
            }
        }
    }
    let anchor = solitary
        .map(|(p, _)| p)
        .or_else(|| candidates.get(candidates.len() / 2).map(|c| c.0))
        .unwrap_or_else(|| line.get(line.len() / 2).copied().unwrap_or((0.0, 0.0)));
    // Rings widen until they clear a box's half-width, so a link between two stacked boxes
    // can lead out to the gap beside their column.
    for ring in [2.6, 3.6, 5.0, 7.0, 9.5, 12.0, 15.0, 19.0] {
        for k in 0..RING_STEPS {
            // Start straight up and alternate sides, so the nearest clear spot wins.
            let turn = if k % 2 == 0 {
                k / 2
            } else {
                RING_STEPS - k.div_ceil(2)
            };
            let angle = -std::f64::consts::FRAC_PI_2
                + turn as f64 * std::f64::consts::TAU / RING_STEPS as f64;
            let p = (
                anchor.0 + ring * r * angle.cos(),
                anchor.1 + ring * r * angle.sin(),
            );
            if obstacles.clear_of_marks(p) && obstacles.clear_of_links(p, None, need) {
                return (p, Some(anchor));
            }
        }
    }
    // A crowded drawing: the nearest clear point of a grid around the anchor, inside the
    // area the boxes and links cover, looked for ring by ring outwards so the search stops
    // at the first ring that has one.
    let mut nearest: Option<((f64, f64), f64)> = None;
    let reach = 80i32;
    let within = |p: (f64, f64)| {
        let b = &obstacles.bounds;
        p.0 >= b.x + r && p.0 <= b.x + b.w - r && p.1 >= b.y + r && p.1 <= b.y + b.h - r
    };
    for ring in 1..=reach {
        for gy in -ring..=ring {
            // The ring's top and bottom rows whole; its other rows at both ends only.
            let step = if gy.abs() == ring {
                1
            } else {
                2 * ring as usize
            };
            for gx in (-ring..=ring).step_by(step) {
                let p = (anchor.0 + f64::from(gx) * r, anchor.1 + f64::from(gy) * r);
                let d = (p.0 - anchor.0).hypot(p.1 - anchor.1);
                if nearest.is_some_and(|(_, best)| d >= best) || !within(p) {
                    continue;
                }
                if obstacles.clear_of_marks(p) && obstacles.clear_of_links(p, None, need) {
                    nearest = Some((p, d));
                }
            }
        }
        if nearest.is_some() {
            break;
        }
    }
    if let Some((p, _)) = nearest {
        return (p, Some(anchor));
    }
    (anchor, None)
}

/// A place on a box's top edge, left of its corner flags and clear of other marks.
fn on_box(obstacles: &Obstacles, b: &NodeBox, m: &Metrics) -> (f64, f64) {
    let r = m.mark_r;
    let flags_left = b.flags.iter().map(|f| f.rect.x).fold(b.x + b.w, f64::min);
    let mut x = b.x + 1.5 * r;
    let mut first = None;
    while x + r <= flags_left - 2.0 {
        let p = (x, b.y);
        // The box itself is expected under the marker; only other marks and links count.
        let clear = obstacles
            .placed
            .iter()
            .all(|q| (p.0 - q.0).hypot(p.1 - q.1) >= 2.0 * r + 3.0);
        if clear {
            first.get_or_insert(p);
            if obstacles.link_clearance(p, None) >= r + m.link_width {
                return p;
            }
        }
        x += r * 0.75;
    }
    first.unwrap_or((b.x + 1.5 * r, b.y))
}
