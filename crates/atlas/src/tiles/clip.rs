//! Clipping in tile units against the square `lo..=hi` on both axes (the tile plus its
//! buffer): Sutherland–Hodgman for polygon rings, Liang–Barsky for lines, which are split
//! into one part per stretch inside the square.

/// A position in tile units (x right, y down).
pub type Pt = (f64, f64);

/// Bounding box `[min_x, min_y, max_x, max_y]` of points (infinite when empty).
fn bbox(pts: &[Pt]) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for &(x, y) in pts {
        b[0] = b[0].min(x);
        b[1] = b[1].min(y);
        b[2] = b[2].max(x);
        b[3] = b[3].max(y);
    }
    b
}

/// Clip a line to the square, appending the parts (each with at least 2 points) to `out`.
pub fn clip_line(pts: &[Pt], lo: f64, hi: f64, out: &mut Vec<Vec<Pt>>) {
    if pts.len() < 2 {
        return;
    }
    let b = bbox(pts);
    if b[2] < lo || b[3] < lo || b[0] > hi || b[1] > hi {
        return;
    }
    if b[0] >= lo && b[1] >= lo && b[2] <= hi && b[3] <= hi {
        out.push(pts.to_vec());
        return;
    }
    let mut cur: Vec<Pt> = Vec::new();
    let mut flush = |cur: &mut Vec<Pt>| {
        if cur.len() >= 2 {
            out.push(std::mem::take(cur));
        } else {
            cur.clear();
        }
    };
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        match liang_barsky(a, b, lo, hi) {
            None => flush(&mut cur),
            Some((t0, t1)) => {
                if cur.is_empty() {
                    cur.push(if t0 == 0.0 { a } else { lerp(a, b, t0) });
                }
                cur.push(if t1 == 1.0 { b } else { lerp(a, b, t1) });
                if t1 < 1.0 {
                    flush(&mut cur);
                }
            }
        }
    }
    flush(&mut cur);
}

fn lerp(a: Pt, b: Pt, t: f64) -> Pt {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

/// The parameter range `t0..=t1` of segment `a→b` inside the square, if any.
fn liang_barsky(a: Pt, b: Pt, lo: f64, hi: f64) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - lo),
        (dx, hi - a.0),
        (-dy, a.1 - lo),
        (dy, hi - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                if r > t1 {
                    return None;
                }
                t0 = t0.max(r);
            } else {
                if r < t0 {
                    return None;
                }
                t1 = t1.min(r);
            }
        }
    }
    Some((t0, t1))
}

/// Clip a ring (closed or not) to the square. The result is open (no repeated closing
/// point) and empty when the ring lies outside; a ring around the whole square becomes the
/// square itself.
pub fn clip_ring(ring: &[Pt], lo: f64, hi: f64) -> Vec<Pt> {
    let mut cur: Vec<Pt> = ring.to_vec();
    if cur.len() > 1 && cur.first() == cur.last() {
        cur.pop();
    }
    if cur.len() < 3 {
        return Vec::new();
    }
    let b = bbox(&cur);
    if b[2] < lo || b[3] < lo || b[0] > hi || b[1] > hi {
        return Vec::new();
    }
    if b[0] >= lo && b[1] >= lo && b[2] <= hi && b[3] <= hi {
        return cur;
    }
    let mut next: Vec<Pt> = Vec::with_capacity(cur.len() + 8);
    // Edges: x >= lo, x <= hi, y >= lo, y <= hi.
    for edge in 0..4 {
        let inside = |p: Pt| match edge {
            0 => p.0 >= lo,
            1 => p.0 <= hi,
            2 => p.1 >= lo,
            _ => p.1 <= hi,
        };
        let cross = |a: Pt, b: Pt| -> Pt {
            let (axis_a, axis_b, k) = match edge {
                0 => (a.0, b.0, lo),
                1 => (a.0, b.0, hi),
                2 => (a.1, b.1, lo),
                _ => (a.1, b.1, hi),
            };
            let t = (k - axis_a) / (axis_b - axis_a);
            let p = lerp(a, b, t);
            // Exactly on the edge, whatever rounding did.
            if edge < 2 {
                (k, p.1)
            } else {
                (p.0, k)
            }
        };
        next.clear();
        let Some(&last) = cur.last() else {
            return Vec::new();
        };
        let mut prev = last;
        for &p in &cur {
            match (inside(prev), inside(p)) {
                (true, true) => next.push(p),
                (true, false) => next.push(cross(prev, p)),
                (false, true) => {
                    next.push(cross(prev, p));
                    next.push(p);
                }
                (false, false) => {}
            }
            prev = p;
        }
        std::mem::swap(&mut cur, &mut next);
        if cur.is_empty() {
            return cur;
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_crossing_the_square_twice_is_split_in_two() {
        let mut out = Vec::new();
        // In at x=0, out at x=10, back in from above, ends inside.
        clip_line(
            &[
                (-5.0, 5.0),
                (15.0, 5.0),
                (15.0, -5.0),
                (5.0, -5.0),
                (5.0, 5.0),
            ],
            0.0,
            10.0,
            &mut out,
        );
        assert_eq!(
            out,
            vec![vec![(0.0, 5.0), (10.0, 5.0)], vec![(5.0, 0.0), (5.0, 5.0)]]
        );
        out.clear();
        clip_line(&[(-5.0, -5.0), (-1.0, 20.0)], 0.0, 10.0, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn ring_around_the_square_becomes_the_square() {
        let r = clip_ring(
            &[(-5.0, -5.0), (15.0, -5.0), (15.0, 15.0), (-5.0, 15.0)],
            0.0,
            10.0,
        );
        let mut s = r.clone();
        s.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        assert_eq!(s, vec![(0.0, 0.0), (0.0, 10.0), (10.0, 0.0), (10.0, 10.0)]);
        assert!(clip_ring(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], 0.0, 10.0).is_empty());
        // A triangle poking out of one side loses its tip.
        let t = clip_ring(
            &[(2.0, 2.0), (14.0, 5.0), (2.0, 8.0), (2.0, 2.0)],
            0.0,
            10.0,
        );
        assert_eq!(t.len(), 4);
        assert!(t.iter().all(|p| p.0 <= 10.0));
    }
}
