//! A bounding-volume hierarchy over the border's segments, in chain order, in
//! Earth-centred (ECEF) kilometres on the WGS84 ellipsoid: each segment is kept as the
//! 3-D chord between its ends, leaves hold [`LEAF`] consecutive segments and every level
//! above merges pairs of boxes.
//!
//! Bounds on the geodesic distance `s` between two surface points with straight-line
//! (chord) distance `c`: `c ≤ s` (a straight line is shortest), and `s ≤ 2ρ·asin(c/2ρ)`
//! ([`arc_upper_km`]): the normal-section curve joining them lies on the surface and,
//! by Schur's comparison theorem, is no longer than a circular arc of the smallest
//! radius of curvature `ρ` over the same chord (ρ below WGS84's `a(1−e²)` = 6,335 km).
//! The two differ by about `c³/24ρ²` (1 m at 100 km, 130 m at 500 km), so the set of
//! segments that *can* be nearest is small. Each segment also carries the largest gap
//! between its chord and the lon/lat-linear segment it stands for (`slack`), and boxes
//! are widened by the largest slack inside them.
//!
//! The chain order makes boxes tight (a leaf is a short stretch of line), and the search
//! is a depth-first branch-and-bound that visits the nearer child first.

use crate::geodesic::{WGS84_A, WGS84_E2};
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering::Relaxed;

/// Segments per leaf.
const LEAF: usize = 8;

/// One segment as a straight 3-D chord (ECEF km).
#[derive(Debug, Clone, Copy)]
struct Chord {
    a: [f64; 3],
    d: [f64; 3],
    inv_l2: f64,
    /// Largest distance between the chord and the lon/lat-linear segment (chord units).
    slack: f64,
}

/// An axis-aligned box in ECEF km.
#[derive(Debug, Clone, Copy)]
struct Aabb {
    lo: [f64; 3],
    hi: [f64; 3],
}

impl Aabb {
    const EMPTY: Aabb = Aabb {
        lo: [f64::INFINITY; 3],
        hi: [f64::NEG_INFINITY; 3],
    };

    fn add(&mut self, p: &[f64; 3], pad: f64) {
        for (k, v) in p.iter().enumerate() {
            self.lo[k] = self.lo[k].min(v - pad);
            self.hi[k] = self.hi[k].max(v + pad);
        }
    }

    fn merge(&self, o: &Aabb) -> Aabb {
        let mut r = *self;
        for k in 0..3 {
            r.lo[k] = r.lo[k].min(o.lo[k]);
            r.hi[k] = r.hi[k].max(o.hi[k]);
        }
        r
    }

    /// Squared distance from `q` to the box (0 inside).
    #[inline]
    fn dist2(&self, q: &[f64; 3]) -> f64 {
        let d = |k: usize| (self.lo[k] - q[k]).max(q[k] - self.hi[k]).max(0.0);
        let (x, y, z) = (d(0), d(1), d(2));
        x * x + y * y + z * z
    }
}

/// A segment that may be the nearest, with its chord distance (km) and position on the chord.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub seg: u32,
    /// Chord distance from the query to the segment's chord.
    pub chord: f64,
    /// Parameter of the closest point along the chord, `0..=1`.
    pub t: f64,
    /// `chord − slack`: a lower bound of the chord to the lon/lat segment.
    pub lower: f64,
}

/// The hierarchy; see the module docs.
#[derive(Debug, Clone)]
pub(crate) struct ChainTree {
    segs: Vec<Chord>,
    /// `levels[0]` has one box per leaf; `levels[k + 1][i]` covers `levels[k][2i..2i + 2]`.
    levels: Vec<Vec<Aabb>>,
    hints: Hints,
}

/// Size in degrees of a [`Hints`] cell.
const HINT_CELL: f64 = 0.05;
/// Margin in degrees of the [`Hints`] grid around the line's extent.
const HINT_MARGIN: f64 = 5.0;
/// A [`Hints`] cell that has not learnt a leaf yet.
const NO_HINT: u32 = u32::MAX;

/// Starting leaves learnt while answering: per grid cell, the leaf that held the nearest
/// segment of an earlier query in that cell. Starting there gives a tight bound at once,
/// so the descent prunes almost every other branch. Only a speed-up: any leaf is a valid
/// start, so concurrent queries may overwrite each other freely.
#[derive(Debug, Default)]
struct Hints {
    x0: f64,
    y0: f64,
    nx: usize,
    ny: usize,
    cells: Vec<AtomicU32>,
}

impl Clone for Hints {
    fn clone(&self) -> Self {
        Hints {
            cells: self
                .cells
                .iter()
                .map(|c| AtomicU32::new(c.load(Relaxed)))
                .collect(),
            ..*self
        }
    }
}

impl Hints {
    fn new(bbox: [f64; 4]) -> Hints {
        if !bbox.iter().all(|v| v.is_finite()) {
            return Hints::default();
        }
        let (x0, y0) = (bbox[0] - HINT_MARGIN, bbox[1] - HINT_MARGIN);
        let nx = ((bbox[2] + HINT_MARGIN - x0) / HINT_CELL).ceil() as usize + 1;
        let ny = ((bbox[3] + HINT_MARGIN - y0) / HINT_CELL).ceil() as usize + 1;
        Hints {
            x0,
            y0,
            nx,
            ny,
            cells: (0..nx * ny).map(|_| AtomicU32::new(NO_HINT)).collect(),
        }
    }

    fn cell(&self, lon: f64, lat: f64) -> Option<&AtomicU32> {
        let (fx, fy) = ((lon - self.x0) / HINT_CELL, (lat - self.y0) / HINT_CELL);
        if !(fx >= 0.0 && fy >= 0.0) {
            return None;
        }
        let (i, j) = (fx as usize, fy as usize);
        if i < self.nx && j < self.ny {
            self.cells.get(j * self.nx + i)
        } else {
            None
        }
    }
}

/// A radius (km) below the smallest radius of curvature of any plane section near the
/// normal one on WGS84 (`a(1−e²)` = 6,335.4 km), with a margin.
const RHO_KM: f64 = 6_300.0;

/// An upper bound (km) of the geodesic distance between two surface points `c` km apart
/// in a straight line; infinite beyond a quarter of the globe, where it is not claimed.
#[inline]
pub(crate) fn arc_upper_km(c: f64) -> f64 {
    let x = c / (2.0 * RHO_KM);
    if x >= 0.7 {
        f64::INFINITY
    } else {
        2.0 * RHO_KM * x.asin() * (1.0 + 1e-12) + 1e-9
    }
}

/// Earth-centred, Earth-fixed coordinates in km of a point on the WGS84 ellipsoid.
pub(crate) fn ecef_km(lon: f64, lat: f64) -> [f64; 3] {
    let (sl, cl) = lon.to_radians().sin_cos();
    let (sp, cp) = lat.to_radians().sin_cos();
    let n = WGS84_A / 1000.0 / (1.0 - WGS84_E2 * sp * sp).sqrt();
    [n * cp * cl, n * cp * sl, n * (1.0 - WGS84_E2) * sp]
}

fn uv(p: [f64; 2]) -> [f64; 3] {
    ecef_km(p[0], p[1])
}

fn sub(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn dot(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

impl Chord {
    fn new(a: [f64; 2], b: [f64; 2]) -> Chord {
        let (ua, ub) = (uv(a), uv(b));
        let d = sub(&ub, &ua);
        let l2 = dot(&d, &d);
        let mut c = Chord {
            a: ua,
            d,
            inv_l2: if l2 > 0.0 { 1.0 / l2 } else { 0.0 },
            slack: 0.0,
        };
        // The lon/lat-linear segment bows away from the chord most near its middle;
        // sample it and keep a 50 % margin (plus rounding).
        let mut gap: f64 = 0.0;
        for t in [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875] {
            let p = uv([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
            gap = gap.max(c.dist(&p).0.sqrt());
        }
        c.slack = gap * 1.5 + 1e-9;
        c
    }

    /// Squared chord distance from `q` to the chord segment, and the parameter of the foot.
    #[inline]
    fn dist(&self, q: &[f64; 3]) -> (f64, f64) {
        let w = sub(q, &self.a);
        let t = (dot(&w, &self.d) * self.inv_l2).clamp(0.0, 1.0);
        let r = [
            w[0] - t * self.d[0],
            w[1] - t * self.d[1],
            w[2] - t * self.d[2],
        ];
        (dot(&r, &r), t)
    }
}

impl ChainTree {
    /// Build over segments given by their lon/lat ends, in chain order.
    pub(crate) fn new(ends: impl Iterator<Item = ([f64; 2], [f64; 2])>) -> ChainTree {
        let mut bbox = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        let segs: Vec<Chord> = ends
            .map(|(a, b)| {
                for p in [a, b] {
                    bbox = [
                        bbox[0].min(p[0]),
                        bbox[1].min(p[1]),
                        bbox[2].max(p[0]),
                        bbox[3].max(p[1]),
                    ];
                }
                Chord::new(a, b)
            })
            .collect();
        let mut leaves = Vec::with_capacity(segs.len().div_ceil(LEAF));
        for chunk in segs.chunks(LEAF) {
            let mut b = Aabb::EMPTY;
            for s in chunk {
                let e = [s.a[0] + s.d[0], s.a[1] + s.d[1], s.a[2] + s.d[2]];
                b.add(&s.a, s.slack);
                b.add(&e, s.slack);
            }
            leaves.push(b);
        }
        let mut levels = vec![leaves];
        while levels.last().is_some_and(|l| l.len() > 1) {
            let below = levels.last().map(Vec::as_slice).unwrap_or_default();
            let up: Vec<Aabb> = below
                .chunks(2)
                .map(|p| p.iter().fold(Aabb::EMPTY, |acc, b| acc.merge(b)))
                .collect();
            levels.push(up);
        }
        ChainTree {
            segs,
            levels,
            hints: Hints::new(bbox),
        }
    }

    /// Every segment that may be nearest to the surface point `(lon, lat)` (whose
    /// [`ecef_km`] is `q`) on WGS84, unordered, into `out` (cleared first). Returns an
    /// upper bound in km of the geodesic distance to the line (infinite when there is no
    /// segment).
    pub(crate) fn candidates(
        &self,
        lon: f64,
        lat: f64,
        q: &[f64; 3],
        out: &mut Vec<Candidate>,
    ) -> f64 {
        out.clear();
        let mut s = Search {
            q,
            out,
            best_up: f64::INFINITY,
            best_seg: NO_HINT,
            lim: f64::INFINITY,
        };
        let top = self.levels.len();
        if top == 0 || self.segs.is_empty() {
            return s.lim;
        }
        let hint = self.hints.cell(lon, lat);
        let start = hint.map_or(NO_HINT, |h| h.load(Relaxed));
        if start != NO_HINT {
            self.leaf(start, &mut s);
        }
        // (level, index, squared distance to its box); the stack stays shallow.
        let mut stack: Vec<(u8, u32, f64)> = Vec::with_capacity(64);
        stack.push(((top - 1) as u8, 0, 0.0));
        while let Some((lvl, i, lb2)) = stack.pop() {
            if lb2 > s.lim * s.lim {
                continue;
            }
            if lvl == 0 {
                if i != start {
                    self.leaf(i, &mut s);
                }
                continue;
            }
            let below = &self.levels[lvl as usize - 1];
            let (c0, c1) = (2 * i as usize, 2 * i as usize + 1);
            let lim2 = s.lim * s.lim;
            let d0 = below[c0].dist2(q);
            let d1 = below.get(c1).map_or(f64::INFINITY, |b| b.dist2(q));
            // Push the farther child first so the nearer one is explored first.
            let (near, dn, far, df) = if d0 <= d1 {
                (c0, d0, c1, d1)
            } else {
                (c1, d1, c0, d0)
            };
            if df <= lim2 {
                stack.push((lvl - 1, far as u32, df));
            }
            if dn <= lim2 {
                stack.push((lvl - 1, near as u32, dn));
            }
        }
        let lim = s.lim;
        s.out.retain(|c| c.lower <= lim);
        if let Some(h) = hint {
            if s.best_seg != NO_HINT && s.best_seg / LEAF as u32 != start {
                h.store(s.best_seg / LEAF as u32, Relaxed);
            }
        }
        lim
    }

    /// How far (km) a segment's chord may stray from the lon/lat-linear segment.
    pub(crate) fn slack(&self, seg: u32) -> f64 {
        self.segs.get(seg as usize).map_or(0.0, |s| s.slack)
    }

    /// Measure the segments of one leaf.
    #[inline]
    fn leaf(&self, leaf: u32, s: &mut Search) {
        let from = leaf as usize * LEAF;
        let to = (from + LEAF).min(self.segs.len());
        for (k, sg) in self
            .segs
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let (d2, t) = sg.dist(s.q);
            let reach = s.lim + sg.slack;
            if d2 > reach * reach {
                continue; // neither a candidate nor a better bound (lim ≥ best_up)
            }
            let c = d2.sqrt();
            let up = c + sg.slack;
            if up < s.best_up {
                s.best_up = up;
                s.best_seg = (from + k) as u32;
                s.lim = arc_upper_km(up);
            }
            let lower = c - sg.slack;
            if lower <= s.lim {
                s.out.push(Candidate {
                    seg: (from + k) as u32,
                    chord: c,
                    t,
                    lower,
                });
            }
        }
    }
}

/// State of one [`ChainTree::candidates`] query.
struct Search<'a> {
    q: &'a [f64; 3],
    out: &'a mut Vec<Candidate>,
    /// Smallest upper bound of the chord to any segment so far, and its segment.
    best_up: f64,
    best_seg: u32,
    /// [`arc_upper_km`] of `best_up`: segments whose lower bound exceeds it are out.
    lim: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_contain_the_brute_force_nearest_chord() {
        // A zig-zag line and points around it: the segment with the smallest chord
        // distance is always among the candidates, and every candidate is within the ratio.
        let pts: Vec<[f64; 2]> = (0..200)
            .map(|i| [60.0 + i as f64 * 0.07, 30.0 + ((i * 37) % 11) as f64 * 0.05])
            .collect();
        let tree = ChainTree::new(pts.windows(2).map(|w| (w[0], w[1])));
        let mut out = Vec::new();
        let mut rnd = crate::testutil::rng(5);
        for _ in 0..2000 {
            let (lon, lat) = (58.0 + rnd() * 18.0, 25.0 + rnd() * 12.0);
            let q = uv([lon, lat]);
            let up = tree.candidates(lon, lat, &q, &mut out);
            let (best, _) = tree
                .segs
                .iter()
                .enumerate()
                .map(|(i, s)| (i, s.dist(&q).0))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            assert!(out.iter().any(|c| c.seg as usize == best));
            assert!(out.iter().all(|c| c.lower <= up));
            // And every segment left out is provably not nearer.
            for (i, s) in tree.segs.iter().enumerate() {
                if !out.iter().any(|c| c.seg as usize == i) {
                    assert!(s.dist(&q).0.sqrt() - s.slack > up);
                }
            }
        }
    }
}
