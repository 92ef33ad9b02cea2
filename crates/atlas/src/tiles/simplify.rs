//! Simplification in tile units: a radial-distance pre-pass (drops runs of vertices closer
//! than the tolerance, so a 10^5-vertex boundary at low zoom costs one linear scan) and
//! Douglas–Peucker (iterative, no recursion depth to overflow).

use super::clip::Pt;

/// Squared distance from `p` to segment `a→b` (to `a` when the segment is a point).
fn seg_dist2(p: Pt, a: Pt, b: Pt) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let (mut x, mut y) = a;
    if len2 > 0.0 {
        let t = ((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2;
        if t > 1.0 {
            (x, y) = b;
        } else if t > 0.0 {
            x += dx * t;
            y += dy * t;
        }
    }
    (p.0 - x).powi(2) + (p.1 - y).powi(2)
}

/// Append to `out` the points of `pts` that are at least `tol` from the previous kept
/// point; the first and last points are always kept.
pub fn radial(pts: impl Iterator<Item = Pt>, tol: f64, out: &mut Vec<Pt>) {
    let tol2 = tol * tol;
    let start = out.len();
    let mut last_skipped = None;
    for p in pts {
        match out.last() {
            Some(&q) if out.len() > start && (p.0 - q.0).powi(2) + (p.1 - q.1).powi(2) < tol2 => {
                last_skipped = Some(p);
            }
            _ => {
                out.push(p);
                last_skipped = None;
            }
        }
    }
    if let Some(p) = last_skipped {
        out.push(p);
    }
}

/// Douglas–Peucker: the points of `pts` needed to stay within `tol` of it (endpoints kept).
/// A closed ring (first point = last) works too: its first split is at the farthest point.
pub fn douglas_peucker(pts: &[Pt], tol: f64) -> Vec<Pt> {
    let n = pts.len();
    if n <= 2 {
        return pts.to_vec();
    }
    let tol2 = tol * tol;
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0usize, n - 1)];
    while let Some((s, e)) = stack.pop() {
        let (a, b) = (pts[s], pts[e]);
        let (mut max, mut at) = (0.0, 0);
        for (i, &p) in pts.iter().enumerate().take(e).skip(s + 1) {
            let d = seg_dist2(p, a, b);
            if d > max {
                (max, at) = (d, i);
            }
        }
        if max > tol2 {
            keep[at] = true;
            if at - s > 1 {
                stack.push((s, at));
            }
            if e - at > 1 {
                stack.push((at, e));
            }
        }
    }
    pts.iter()
        .zip(keep)
        .filter_map(|(&p, k)| k.then_some(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_runs_collapse_and_corners_stay() {
        let mut pts: Vec<Pt> = (0..=100).map(|i| (i as f64, 0.0)).collect();
        pts.extend((1..=100).map(|i| (100.0, i as f64 + if i % 2 == 0 { 0.1 } else { 0.0 })));
        assert_eq!(
            douglas_peucker(&pts, 1.0),
            vec![(0.0, 0.0), (100.0, 0.0), (100.0, 100.1)]
        );
        let mut out = Vec::new();
        radial(pts.iter().copied(), 10.0, &mut out);
        assert!(out.len() < 25, "{}", out.len());
        assert_eq!(out.first(), Some(&(0.0, 0.0)));
        assert_eq!(out.last(), Some(&(100.0, 100.1)));
    }

    #[test]
    fn closed_ring_keeps_its_far_side() {
        let ring = [
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ];
        assert_eq!(douglas_peucker(&ring, 1.0).len(), 5);
    }
}
