//! Exact WGS84 nearest neighbours and radius queries over unit-sphere vectors.
//!
//! Incidents are indexed as unit vectors (Earth-centred axes, geodetic latitude used
//! as spherical latitude) in a 3-D R-tree (the lon/lat tree's layout with envelopes over
//! the vectors, see [`SphereIndex::from_boxes`]). The straight-line (chord) distance between
//! unit vectors grows with the central angle, and the WGS84 distance lies within
//! fixed factors of that angle ([`SphereBounds`]), so the tree prunes and accepts with
//! chord thresholds and Karney's algorithm ([`distance_km`]) runs only where the bounds
//! cannot decide:
//!
//! - **within radius**: nodes whose farthest corner is surely inside are taken whole,
//!   nodes whose nearest point is surely outside are skipped; a point is a hit when
//!   its WGS84 distance is `<= km`.
//! - **k nearest**: best-first by chord; each popped point is measured with Karney and the
//!   search stops once the chord lower bound exceeds the k-th best distance. Results are
//!   ordered by (distance, row): ties go to the lower row number.
//!
//! ```
//! use atlas::index::SphereIndex;
//! use atlas::model::{IncidentRecord, IncidentStore};
//! let mut store = IncidentStore::default();
//! for (i, (lon, lat)) in [(71.0, 34.0), (71.1, 34.0), (66.5, 30.9)].into_iter().enumerate() {
//!     store.push(&IncidentRecord::new(&i.to_string(), lon, lat, 0));
//! }
//! let idx = SphereIndex::build(&store);
//! let nn = idx.nearest(71.02, 34.0, 2);
//! assert_eq!(nn.iter().map(|n| n.row).collect::<Vec<_>>(), vec![0, 1]);
//! let mut hits = Vec::new();
//! idx.within_km(71.0, 34.0, 10.0, &mut hits); // 0.1° of longitude is ~9.2 km here
//! hits.sort();
//! assert_eq!(hits, vec![0, 1]);
//! ```

// Loops over the D coordinates index several arrays at once; indexes read clearest.
#![allow(clippy::needless_range_loop)]

use super::flat::{FlatTree, Ord64};
use super::{BoxIndex, Neighbor};
use crate::geodesic::{chord2, distance_km, unit_vector, SphereBounds};
use crate::model::IncidentStore;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// 3-D R-tree over unit-sphere vectors of the mapped, live rows.
#[derive(Debug, Clone)]
pub struct SphereIndex {
    tree: FlatTree<3>,
    /// Leaf-order lon/lat (for Karney).
    ll: Vec<[f64; 2]>,
}

impl SphereIndex {
    /// Index the mapped, live rows of `store`.
    pub fn build(store: &IncidentStore) -> Self {
        Self::from_boxes(&BoxIndex::build(store))
    }

    /// Share the layout of a lon/lat tree: same nodes and leaf order, envelopes recomputed
    /// over unit vectors. Nodes compact in lon/lat are compact on the sphere, so this costs
    /// one pass over the points instead of another bulk load (queries stay exact either way).
    pub fn from_boxes(boxes: &BoxIndex) -> Self {
        let ll: Vec<[f64; 2]> = boxes.tree.pts.clone();
        let pts = ll.iter().map(|p| unit_vector(p[0], p[1])).collect();
        SphereIndex {
            tree: boxes.tree.with_points(pts),
            ll,
        }
    }

    /// Number of indexed points.
    pub fn len(&self) -> usize {
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.len() == 0
    }

    /// Bytes held by the index.
    pub fn heap_bytes(&self) -> usize {
        self.tree.heap_bytes() + self.ll.capacity() * 16
    }

    fn min_c2(&self, id: usize, q: &[f64; 3]) -> f64 {
        let (lo, hi) = (&self.tree.lo[id], &self.tree.hi[id]);
        let mut s = 0.0;
        for d in 0..3 {
            let v = if q[d] < lo[d] {
                lo[d] - q[d]
            } else if q[d] > hi[d] {
                q[d] - hi[d]
            } else {
                0.0
            };
            s += v * v;
        }
        s
    }

    fn max_c2(&self, id: usize, q: &[f64; 3]) -> f64 {
        let (lo, hi) = (&self.tree.lo[id], &self.tree.hi[id]);
        let mut s = 0.0;
        for d in 0..3 {
            let v = (q[d] - lo[d]).abs().max((hi[d] - q[d]).abs());
            s += v * v;
        }
        s
    }

    /// Append the rows within `km` (WGS84 geodesic, inclusive) of `(lon, lat)` to `out`, in index order.
    pub fn within_km(&self, lon: f64, lat: f64, km: f64, out: &mut Vec<u32>) {
        let t = &self.tree;
        if t.len() == 0 || !(lon.is_finite() && lat.is_finite()) || km.is_nan() || km < 0.0 {
            return;
        }
        let q = unit_vector(lon, lat);
        let c_in = SphereBounds::chord2_surely_within(km);
        let c_out = SphereBounds::chord2_surely_beyond(km);
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        if self.min_c2(0, &q) <= c_out {
            stack.push(0);
        }
        while let Some(id) = stack.pop() {
            let id = id as usize;
            let (s, e) = (t.start[id] as usize, t.end[id] as usize);
            if self.max_c2(id, &q) <= c_in {
                out.extend_from_slice(&t.fids[s..e]);
                continue;
            }
            let oe = t.own_end[id] as usize;
            for i in s..oe {
                let c2 = chord2(&q, &t.pts[i]);
                if c2 <= c_in {
                    out.push(t.fids[i]);
                } else if c2 <= c_out {
                    let [plon, plat] = self.ll[i];
                    if distance_km(lon, lat, plon, plat) <= km {
                        out.push(t.fids[i]);
                    }
                }
            }
            for c in t.child_start[id]..t.child_end[id] {
                if self.min_c2(c as usize, &q) <= c_out {
                    stack.push(c);
                }
            }
        }
    }

    /// The `k` rows nearest to `(lon, lat)` by WGS84 geodesic distance, nearest first,
    /// ties broken by the lower row.
    pub fn nearest(&self, lon: f64, lat: f64, k: usize) -> Vec<Neighbor> {
        let mut best: Vec<Neighbor> = Vec::with_capacity(k + 1);
        let t = &self.tree;
        if k == 0 || t.len() == 0 || !(lon.is_finite() && lat.is_finite()) {
            return best;
        }
        let q = unit_vector(lon, lat);
        // (chord², index, is_point)
        let mut heap: BinaryHeap<Reverse<(Ord64, u32, bool)>> = BinaryHeap::with_capacity(256);
        heap.push(Reverse((Ord64(self.min_c2(0, &q)), 0, false)));
        let mut stop = f64::INFINITY;
        while let Some(Reverse((Ord64(c2), i, is_point))) = heap.pop() {
            if c2 > stop {
                break;
            }
            let i = i as usize;
            if is_point {
                let [plon, plat] = self.ll[i];
                let n = Neighbor {
                    row: t.fids[i],
                    dist: distance_km(lon, lat, plon, plat),
                };
                if best.len() < k || n.before(&best[best.len() - 1]) {
                    let at = best.partition_point(|b| b.before(&n));
                    best.insert(at, n);
                    best.truncate(k);
                    if best.len() == k {
                        stop = SphereBounds::chord2_surely_beyond(best[k - 1].dist);
                    }
                }
                continue;
            }
            for p in t.start[i] as usize..t.own_end[i] as usize {
                let c2 = chord2(&q, &t.pts[p]);
                if c2 <= stop {
                    heap.push(Reverse((Ord64(c2), p as u32, true)));
                }
            }
            for c in t.child_start[i]..t.child_end[i] {
                let c2 = self.min_c2(c as usize, &q);
                if c2 <= stop {
                    heap.push(Reverse((Ord64(c2), c, false)));
                }
            }
        }
        best
    }
}
