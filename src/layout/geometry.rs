//! Shapes and distances the passes and the tests share: rectangles, and links sampled into
//! polylines so that clearances can be measured.

use serde::Serialize;

use crate::layout::RouteShape;

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// A rectangle from its left, top, width and height.
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect { x, y, w, h }
    }

    /// Its centre.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// The distance from `p` to the rectangle, 0 inside it.
    pub fn distance(&self, p: (f64, f64)) -> f64 {
        let dx = (self.x - p.0).max(p.0 - (self.x + self.w)).max(0.0);
        let dy = (self.y - p.1).max(p.1 - (self.y + self.h)).max(0.0);
        dx.hypot(dy)
    }

    /// Whether two rectangles share any area.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// Samples per curve when a route is turned into a polyline.
const CURVE_SAMPLES: usize = 16;

fn cubic(p0: (f64, f64), c1: (f64, f64), c2: (f64, f64), p3: (f64, f64), t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (
        a * p0.0 + b * c1.0 + c * c2.0 + d * p3.0,
        a * p0.1 + b * c1.1 + c * c2.1 + d * p3.1,
    )
}

/// The cubic curves and lines a route is drawn with: each piece is a start, two control
/// points and an end (a line has its controls on itself).
pub fn pieces(shape: RouteShape, points: &[(f64, f64)]) -> Vec<[(f64, f64); 4]> {
    let mut out = Vec::new();
    match shape {
        RouteShape::Layered => {
            for (i, w) in points.windows(2).enumerate() {
                let (a, b) = (w[0], w[1]);
                // Even hops cross the gaps between columns; odd hops run through a slot.
                if i % 2 == 0 {
                    let mx = (a.0 + b.0) / 2.0;
                    out.push([a, (mx, a.1), (mx, b.1), b]);
                } else {
                    out.push([a, a, b, b]);
                }
            }
        }
        RouteShape::Drop => {
            if let [a, b] = points {
                out.push([*a, *a, *b, *b]);
            }
        }
        RouteShape::Bulge(dx) => {
            if let [a, b] = points {
                out.push([*a, (a.0 + dx, a.1), (b.0 + dx, b.1), *b]);
            }
        }
    }
    out
}

/// A route as a polyline, close enough to the drawn curve to measure clearances against.
pub fn sample_route(shape: RouteShape, points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for [p0, c1, c2, p3] in pieces(shape, points) {
        let straight = p0 == c1 && c2 == p3;
        let n = if straight { 1 } else { CURVE_SAMPLES };
        if out.is_empty() {
            out.push(p0);
        }
        for k in 1..=n {
            out.push(cubic(p0, c1, c2, p3, k as f64 / n as f64));
        }
    }
    out
}

/// The squared distance from `p` to the segment from `a` to `b`: no square root, for the
/// many comparisons of marker placement.
pub fn segment_distance_squared(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (ex, ey) = (p.0 - (a.0 + t * dx), p.1 - (a.1 + t * dy));
    ex * ex + ey * ey
}

/// The distance from `p` to the segment from `a` to `b`.
pub fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    segment_distance_squared(p, a, b).sqrt()
}

/// The distance from `p` to a polyline.
pub fn polyline_distance(p: (f64, f64), line: &[(f64, f64)]) -> f64 {
    match line {
        [] => f64::INFINITY,
        [only] => (p.0 - only.0).hypot(p.1 - only.1),
        _ => line
            .windows(2)
            .map(|w| segment_distance(p, w[0], w[1]))
            .fold(f64::INFINITY, f64::min),
    }
}

/// Whether the segments `a`–`b` and `c`–`d` cross at a point inside both.
fn segments_cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let side = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (d1, d2) = (side(c, d, a), side(c, d, b));
    let (d3, d4) = (side(a, b, c), side(a, b, d));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// How many times the drawn links of a layout cross one another, counted on the routes as
/// drawn (each a polyline close to its curves). Segments are bucketed by a grid, so the count
/// stays quick on large drawings.
pub fn link_crossings(links: &[crate::layout::LinkPath]) -> usize {
    use std::collections::{HashMap, HashSet};
    let lines: Vec<Vec<(f64, f64)>> = links
        .iter()
        .map(|l| sample_route(l.shape, &l.points))
        .collect();
    let cell = 60.0;
    let mut grid: HashMap<(i64, i64), Vec<(usize, usize)>> = HashMap::new();
    for (li, line) in lines.iter().enumerate() {
        for (si, w) in line.windows(2).enumerate() {
            let (x0, x1) = (w[0].0.min(w[1].0), w[0].0.max(w[1].0));
            let (y0, y1) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
            for gx in (x0 / cell).floor() as i64..=(x1 / cell).floor() as i64 {
                for gy in (y0 / cell).floor() as i64..=(y1 / cell).floor() as i64 {
                    grid.entry((gx, gy)).or_default().push((li, si));
                }
            }
        }
    }
    let mut seen: HashSet<(usize, usize, usize, usize)> = HashSet::new();
    for bucket in grid.values() {
        for (k, &(la, sa)) in bucket.iter().enumerate() {
            for &(lb, sb) in &bucket[k + 1..] {
                if la == lb {
                    continue;
                }
                let key = if la < lb {
                    (la, sa, lb, sb)
                } else {
                    (lb, sb, la, sa)
                };
                if seen.contains(&key) {
                    continue;
                }
                let (a, b) = (lines[la][sa], lines[la][sa + 1]);
                let (c, d) = (lines[lb][sb], lines[lb][sb + 1]);
                if segments_cross(a, b, c, d) {
                    seen.insert(key);
                }
            }
        }
    }
    seen.len()
}
