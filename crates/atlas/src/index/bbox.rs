//! Viewport queries: every incident inside a closed lon/lat box.
//!
//! Semantics: a point is a hit when `west <= lon <= east && south <= lat <= north`
//! (closed box, on the stored values). Boxes are normalised by [`split_box`]:
//! latitudes are clamped to [-90, 90] (a box that touches or passes a pole simply
//! reaches it), a box whose `west` is greater than its `east` crosses the ±180°
//! meridian and is answered as the two boxes `[west, 180]` and `[-180, east]`, and a box
//! at least 360° wide takes every longitude. Longitudes are not wrapped otherwise.
//!
//! Materialising is cheap even when a viewport holds nearly every point: nodes
//! wholly inside the box are copied as one slice of fids (see [`super::flat`]).
//!
//! ```
//! use atlas::index::BoxIndex;
//! use atlas::model::{IncidentRecord, IncidentStore};
//! let mut store = IncidentStore::default();
//! store.push(&IncidentRecord::new("A", 71.0, 34.0, 0));
//! store.push(&IncidentRecord::new("B", 66.5, 30.9, 0));
//! store.push(&IncidentRecord::new("C", f64::NAN, f64::NAN, 0)); // unmapped: never a hit
//! let idx = BoxIndex::build(&store);
//! let mut hits = Vec::new();
//! idx.query([70.0, 33.0, 72.0, 35.0], &mut hits);
//! assert_eq!(hits, vec![0]);
//! ```

use super::flat::FlatTree;
use crate::model::IncidentStore;
use rstar::primitives::GeomWithData;

/// Closed boxes `(lo, hi)` equivalent to a `[west, south, east, north]` query (0, 1 or 2 boxes).
///
/// ```
/// use atlas::index::split_box;
/// assert_eq!(split_box([170.0, -95.0, -170.0, 10.0]).len(), 2);
/// assert_eq!(split_box([0.0, 10.0, 1.0, 5.0]).len(), 0); // south above north: empty
/// ```
pub fn split_box(b: [f64; 4]) -> Vec<([f64; 2], [f64; 2])> {
    let [w, s, e, n] = b;
    if b.iter().any(|v| v.is_nan()) {
        return Vec::new();
    }
    let (s, n) = (s.max(-90.0), n.min(90.0));
    if s > n {
        return Vec::new();
    }
    if e - w >= 360.0 {
        return vec![([f64::NEG_INFINITY, s], [f64::INFINITY, n])];
    }
    if w > e {
        return vec![([w, s], [180.0, n]), ([-180.0, s], [e, n])];
    }
    vec![([w, s], [e, n])]
}

/// 2-D R-tree over (lon, lat) of the mapped, live rows.
#[derive(Debug, Clone)]
pub struct BoxIndex {
    pub(crate) tree: FlatTree<2>,
}

impl BoxIndex {
    /// Index the mapped (finite lon/lat), live rows of `store`.
    pub fn build(store: &IncidentStore) -> Self {
        let items = super::mapped_rows(store)
            .map(|r| GeomWithData::new([store.lon[r as usize], store.lat[r as usize]], r))
            .collect();
        BoxIndex {
            tree: FlatTree::build(items),
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
        self.tree.heap_bytes()
    }

    /// Append the rows inside `bbox` (`[west, south, east, north]`, closed; see the module
    /// docs for antimeridian and poles) to `out`, in index order.
    pub fn query(&self, bbox: [f64; 4], out: &mut Vec<u32>) {
        for (lo, hi) in split_box(bbox) {
            self.query_closed(lo, hi, out);
        }
    }

    /// Number of rows inside `bbox`, without materialising them.
    pub fn count(&self, bbox: [f64; 4]) -> usize {
        let mut n = 0;
        for (lo, hi) in split_box(bbox) {
            self.walk(lo, hi, |s| n += s.len());
        }
        n
    }

    fn query_closed(&self, lo: [f64; 2], hi: [f64; 2], out: &mut Vec<u32>) {
        self.walk(lo, hi, |s| out.extend_from_slice(s));
    }

    /// Walk the tree for the closed box `lo..=hi`: `hits` gets the fids of covered
    /// nodes as one slice, and single points inside as one-element slices.
    fn walk(&self, lo: [f64; 2], hi: [f64; 2], mut hits: impl FnMut(&[u32])) {
        let t = &self.tree;
        if t.len() == 0 || !overlaps(&t.lo[0], &t.hi[0], &lo, &hi) {
            return;
        }
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        stack.push(0);
        while let Some(id) = stack.pop() {
            let id = id as usize;
            let (nlo, nhi) = (&t.lo[id], &t.hi[id]);
            let (s, e) = (t.start[id] as usize, t.end[id] as usize);
            if lo[0] <= nlo[0] && nhi[0] <= hi[0] && lo[1] <= nlo[1] && nhi[1] <= hi[1] {
                hits(&t.fids[s..e]);
                continue;
            }
            let oe = t.own_end[id] as usize;
            for (p, f) in t.pts[s..oe].iter().zip(t.fids[s..oe].chunks_exact(1)) {
                if lo[0] <= p[0] && p[0] <= hi[0] && lo[1] <= p[1] && p[1] <= hi[1] {
                    hits(f);
                }
            }
            for c in t.child_start[id]..t.child_end[id] {
                if overlaps(&t.lo[c as usize], &t.hi[c as usize], &lo, &hi) {
                    stack.push(c);
                }
            }
        }
    }
}

#[inline]
fn overlaps(nlo: &[f64; 2], nhi: &[f64; 2], lo: &[f64; 2], hi: &[f64; 2]) -> bool {
    nlo[0] <= hi[0] && lo[0] <= nhi[0] && nlo[1] <= hi[1] && lo[1] <= nhi[1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_cases() {
        assert_eq!(
            split_box([10.0, -100.0, 20.0, 100.0]),
            vec![([10.0, -90.0], [20.0, 90.0])]
        );
        assert_eq!(
            split_box([170.0, 0.0, -170.0, 1.0]),
            vec![([170.0, 0.0], [180.0, 1.0]), ([-180.0, 0.0], [-170.0, 1.0])]
        );
        assert_eq!(split_box([-200.0, 0.0, 200.0, 1.0]).len(), 1);
        assert!(split_box([f64::NAN, 0.0, 1.0, 1.0]).is_empty());
    }
}
