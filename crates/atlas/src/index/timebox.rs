//! Time window + viewport queries without visiting incidents outside the window.
//!
//! A 3-D R-tree over (lon, lat, first day) whose nodes also carry the range of the
//! *last* days below them. Semantics: an incident dated `day_start..=day_end` matches
//! the inclusive window `from..=to` when the two day ranges **overlap**
//! (`day_start <= to && day_end >= from`); an incident dated to one day matches when
//! that day is in the window; a window with `from > to` is empty. The box part is exactly [`BoxIndex::query`](super::BoxIndex::query)'s
//! closed box (antimeridian split, poles clamped). A node is skipped when its first days
//! all fall after `to` or its last days all before `from`, and taken whole (one slice
//! copy) when it lies inside the box with every first day `<= to` and every last day `>= from`.
//!
//! ```
//! use atlas::date::parse_date;
//! use atlas::index::TimeBoxIndex;
//! use atlas::model::{IncidentRecord, IncidentStore};
//! let d = |s| parse_date(s).unwrap();
//! let mut store = IncidentStore::default();
//! store.push(&IncidentRecord::new("A", 71.0, 34.0, d("2023-01-05")));
//! let mut r = IncidentRecord::new("B", 71.1, 34.1, d("2022-12-01"));
//! r.date_end = d("2023-01-02"); // dated to a range
//! store.push(&r);
//! let idx = TimeBoxIndex::build(&store);
//! let mut hits = Vec::new();
//! idx.query(Some([70.0, 33.0, 72.0, 35.0]), Some(d("2023-01-01")), Some(d("2023-01-03")), &mut hits);
//! assert_eq!(hits, vec![1]);
//! ```

use super::bbox::split_box;
use super::flat::FlatTree;
use crate::date::Day;
use crate::model::IncidentStore;
use rstar::primitives::GeomWithData;

/// 3-D R-tree over (lon, lat, day_start) with per-node day_end ranges.
#[derive(Debug, Clone)]
pub struct TimeBoxIndex {
    tree: FlatTree<3>,
    /// Leaf-order first and last days.
    starts: Vec<Day>,
    ends: Vec<Day>,
    /// Per node: smallest last day / largest last day / largest first day / smallest first day below it.
    end_min: Vec<Day>,
    end_max: Vec<Day>,
    start_min: Vec<Day>,
    start_max: Vec<Day>,
}

impl TimeBoxIndex {
    /// Index the mapped, live rows of `store`.
    pub fn build(store: &IncidentStore) -> Self {
        let items = super::mapped_rows(store)
            .map(|r| {
                let i = r as usize;
                GeomWithData::new([store.lon[i], store.lat[i], store.day_start[i] as f64], r)
            })
            .collect();
        let tree = FlatTree::build(items);
        let starts: Vec<Day> = tree.pts.iter().map(|p| p[2] as Day).collect();
        let ends: Vec<Day> = tree
            .fids
            .iter()
            .zip(&starts)
            .map(|(&f, &s)| store.day_end.get(f as usize).copied().unwrap_or(s).max(s))
            .collect();
        let (end_min, end_max) = tree.node_min_max(&ends, (Day::MAX, Day::MIN));
        let (start_min, start_max) = tree.node_min_max(&starts, (Day::MAX, Day::MIN));
        TimeBoxIndex {
            tree,
            starts,
            ends,
            end_min,
            end_max,
            start_min,
            start_max,
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
        self.tree.heap_bytes() + self.starts.capacity() * 8 + self.end_min.capacity() * 16
    }

    /// Append the rows inside `bbox` (all rows when `None`) whose dates overlap
    /// `from..=to` (open-ended when `None`) to `out`, in index order.
    pub fn query(
        &self,
        bbox: Option<[f64; 4]>,
        from: Option<Day>,
        to: Option<Day>,
        out: &mut Vec<u32>,
    ) {
        let from = from.unwrap_or(Day::MIN);
        let to = to.unwrap_or(Day::MAX);
        if from > to {
            return;
        }
        let boxes = match bbox {
            Some(b) => split_box(b),
            None => vec![([f64::NEG_INFINITY; 2], [f64::INFINITY; 2])],
        };
        for (lo, hi) in boxes {
            self.query_closed(lo, hi, from, to, out);
        }
    }

    fn query_closed(&self, lo: [f64; 2], hi: [f64; 2], from: Day, to: Day, out: &mut Vec<u32>) {
        let t = &self.tree;
        if t.len() == 0 {
            return;
        }
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        stack.push(0);
        while let Some(id) = stack.pop() {
            let id = id as usize;
            let (nlo, nhi) = (&t.lo[id], &t.hi[id]);
            if nlo[0] > hi[0]
                || nhi[0] < lo[0]
                || nlo[1] > hi[1]
                || nhi[1] < lo[1]
                || self.start_min[id] > to
                || self.end_max[id] < from
            {
                continue;
            }
            let (s, e) = (t.start[id] as usize, t.end[id] as usize);
            if lo[0] <= nlo[0]
                && nhi[0] <= hi[0]
                && lo[1] <= nlo[1]
                && nhi[1] <= hi[1]
                && self.start_max[id] <= to
                && self.end_min[id] >= from
            {
                out.extend_from_slice(&t.fids[s..e]);
                continue;
            }
            let oe = t.own_end[id] as usize;
            for i in s..oe {
                let p = &t.pts[i];
                if lo[0] <= p[0]
                    && p[0] <= hi[0]
                    && lo[1] <= p[1]
                    && p[1] <= hi[1]
                    && self.starts[i] <= to
                    && self.ends[i] >= from
                {
                    out.push(t.fids[i]);
                }
            }
            stack.extend(t.child_start[id]..t.child_end[id]);
        }
    }
}
