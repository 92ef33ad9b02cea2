//! Nearest neighbours by Euclidean distance in lon/lat degrees (`planar_deg`).
//!
//! Cheap and familiar (it is what `flatbush.neighbors` or rstar on `[f64; 2]` give),
//! but not a distance on the Earth: a degree of longitude is shorter than a degree of
//! latitude away from the equator. Use [`SphereIndex::nearest`](super::SphereIndex::nearest) for true distances.
//!
//! ```
//! use atlas::index::BoxIndex;
//! use atlas::model::{IncidentRecord, IncidentStore};
//! let mut store = IncidentStore::default();
//! store.push(&IncidentRecord::new("A", 71.0, 34.0, 0));
//! store.push(&IncidentRecord::new("B", 71.0, 34.0, 0)); // same place: tie, lower row first
//! store.push(&IncidentRecord::new("C", 72.0, 34.0, 0));
//! let idx = BoxIndex::build(&store);
//! let nn = idx.nearest_planar(71.2, 34.0, 2);
//! assert_eq!(nn.iter().map(|n| n.row).collect::<Vec<_>>(), vec![0, 1]);
//! assert!((nn[0].dist - 0.2).abs() < 1e-12);
//! ```

// Loops over the D coordinates index several arrays at once; indexes read clearest.
#![allow(clippy::needless_range_loop)]

use super::flat::Ord64;
use super::{BoxIndex, Neighbor};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

impl BoxIndex {
    /// The `k` rows nearest to `(lon, lat)` by Euclidean distance in degrees, nearest
    /// first, ties broken by the lower row; `dist` is in degrees.
    pub fn nearest_planar(&self, lon: f64, lat: f64, k: usize) -> Vec<Neighbor> {
        let t = &self.tree;
        let mut best = Vec::with_capacity(k);
        if k == 0 || t.len() == 0 || !(lon.is_finite() && lat.is_finite()) {
            return best;
        }
        let q = [lon, lat];
        let box_d2 = |id: usize| {
            let (lo, hi) = (&t.lo[id], &t.hi[id]);
            let mut s = 0.0;
            for d in 0..2 {
                let v = (lo[d] - q[d]).max(q[d] - hi[d]).max(0.0);
                s += v * v;
            }
            s
        };
        // (distance², kind: 0 node before 1 point at equal distance, fid or node id)
        let mut heap: BinaryHeap<Reverse<(Ord64, u8, u32)>> = BinaryHeap::with_capacity(256);
        heap.push(Reverse((Ord64(box_d2(0)), 0, 0)));
        while let Some(Reverse((Ord64(d2), kind, i))) = heap.pop() {
            if kind == 1 {
                best.push(Neighbor {
                    row: i,
                    dist: d2.sqrt(),
                });
                if best.len() == k {
                    break;
                }
                continue;
            }
            let i = i as usize;
            for p in t.start[i] as usize..t.own_end[i] as usize {
                let [x, y] = t.pts[p];
                let d2 = (x - q[0]) * (x - q[0]) + (y - q[1]) * (y - q[1]);
                heap.push(Reverse((Ord64(d2), 1, t.fids[p])));
            }
            for c in t.child_start[i]..t.child_end[i] {
                heap.push(Reverse((Ord64(box_d2(c as usize)), 0, c)));
            }
        }
        best
    }
}
