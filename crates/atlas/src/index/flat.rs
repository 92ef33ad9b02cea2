//! A bulk-loaded R-tree flattened into arrays, with its points in leaf order.
//!
//! The tree is bulk-loaded by [`rstar`] (`RTree::bulk_load_with_params`, overlap-minimising
//! top-down packing) and then walked once, depth first, to lay it out flat:
//!
//! - the points and their fids in *leaf order*, so the points below any node form one
//!   contiguous range `start..end` — a node that lies wholly inside a query is answered
//!   with one slice copy of its fids, whatever its size;
//! - per node: its envelope, its range, the range of its own points (`start..own_end`)
//!   and the contiguous ids of its child nodes.
//!
//! Queries walk these arrays; the rstar tree is dropped after the layout.

// Loops over the D coordinates index several arrays at once; indexes read clearest.
#![allow(clippy::needless_range_loop)]

use rstar::primitives::GeomWithData;
use rstar::{ParentNode, RStarInsertionStrategy, RTree, RTreeNode, RTreeParams};

/// Node capacity used for bulk loading: wide nodes make shallow trees and long leaf runs.
pub(crate) struct Wide;

impl RTreeParams for Wide {
    const MIN_SIZE: usize = 4;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 4;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

/// A flat R-tree over `D`-dimensional points tagged with a fid.
#[derive(Debug, Clone)]
pub(crate) struct FlatTree<const D: usize> {
    /// Node envelopes (lower and upper corners); node 0 is the root.
    pub lo: Vec<[f64; D]>,
    pub hi: Vec<[f64; D]>,
    /// Leaf-order range of every point below a node.
    pub start: Vec<u32>,
    pub end: Vec<u32>,
    /// The node's own points are `start..own_end`; its children cover `own_end..end`.
    pub own_end: Vec<u32>,
    /// Child node ids `child_start..child_end`.
    pub child_start: Vec<u32>,
    pub child_end: Vec<u32>,
    /// Points and fids in leaf order.
    pub pts: Vec<[f64; D]>,
    pub fids: Vec<u32>,
}

impl<const D: usize> FlatTree<D>
where
    [f64; D]: rstar::Point<Scalar = f64>,
{
    /// Bulk-load `items` (point, fid) and lay the tree out flat.
    pub fn build(items: Vec<GeomWithData<[f64; D], u32>>) -> Self {
        let n = items.len();
        let tree: RTree<GeomWithData<[f64; D], u32>, Wide> = RTree::bulk_load_with_params(items);
        let mut t = FlatTree {
            lo: Vec::new(),
            hi: Vec::new(),
            start: Vec::new(),
            end: Vec::new(),
            own_end: Vec::new(),
            child_start: Vec::new(),
            child_end: Vec::new(),
            pts: Vec::with_capacity(n),
            fids: Vec::with_capacity(n),
        };
        t.alloc(1);
        t.lay_out(tree.root(), 0);
        t
    }

    fn alloc(&mut self, k: usize) -> usize {
        let first = self.lo.len();
        let new = first + k;
        self.lo.resize(new, [f64::INFINITY; D]);
        self.hi.resize(new, [f64::NEG_INFINITY; D]);
        self.start.resize(new, 0);
        self.end.resize(new, 0);
        self.own_end.resize(new, 0);
        self.child_start.resize(new, 0);
        self.child_end.resize(new, 0);
        first
    }

    fn lay_out(&mut self, node: &ParentNode<GeomWithData<[f64; D], u32>>, id: usize) {
        let start = self.fids.len() as u32;
        let mut parents = 0;
        for c in node.children() {
            match c {
                RTreeNode::Leaf(p) => {
                    self.pts.push(*p.geom());
                    self.fids.push(p.data);
                }
                RTreeNode::Parent(_) => parents += 1,
            }
        }
        let own_end = self.fids.len() as u32;
        let first = self.alloc(parents);
        let mut j = first;
        for c in node.children() {
            if let RTreeNode::Parent(p) = c {
                self.lay_out(p, j);
                j += 1;
            }
        }
        let mut lo = [f64::INFINITY; D];
        let mut hi = [f64::NEG_INFINITY; D];
        for p in &self.pts[start as usize..own_end as usize] {
            for d in 0..D {
                lo[d] = lo[d].min(p[d]);
                hi[d] = hi[d].max(p[d]);
            }
        }
        for c in first..first + parents {
            for d in 0..D {
                lo[d] = lo[d].min(self.lo[c][d]);
                hi[d] = hi[d].max(self.hi[c][d]);
            }
        }
        self.lo[id] = lo;
        self.hi[id] = hi;
        self.start[id] = start;
        self.own_end[id] = own_end;
        self.end[id] = self.fids.len() as u32;
        self.child_start[id] = first as u32;
        self.child_end[id] = (first + parents) as u32;
    }

    /// The same layout (node ranges, fids in leaf order) over other coordinates of the
    /// same points: `pts[i]` is the new point of leaf position `i`. Envelopes are recomputed.
    pub fn with_points<const E: usize>(&self, pts: Vec<[f64; E]>) -> FlatTree<E> {
        let n = self.node_count();
        let mut lo = vec![[f64::INFINITY; E]; n];
        let mut hi = vec![[f64::NEG_INFINITY; E]; n];
        // Children have larger ids than their parent: fold bottom-up.
        for id in (0..n).rev() {
            let (mut l, mut h) = ([f64::INFINITY; E], [f64::NEG_INFINITY; E]);
            for p in pts
                .get(self.start[id] as usize..self.own_end[id] as usize)
                .unwrap_or(&[])
            {
                for d in 0..E {
                    l[d] = l[d].min(p[d]);
                    h[d] = h[d].max(p[d]);
                }
            }
            for c in self.child_start[id] as usize..self.child_end[id] as usize {
                for d in 0..E {
                    l[d] = l[d].min(lo[c][d]);
                    h[d] = h[d].max(hi[c][d]);
                }
            }
            lo[id] = l;
            hi[id] = h;
        }
        FlatTree {
            lo,
            hi,
            start: self.start.clone(),
            end: self.end.clone(),
            own_end: self.own_end.clone(),
            child_start: self.child_start.clone(),
            child_end: self.child_end.clone(),
            pts,
            fids: self.fids.clone(),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.fids.len()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.lo.len()
    }

    /// Bytes held by the arrays (for memory reports).
    pub fn heap_bytes(&self) -> usize {
        self.lo.capacity() * 16 * D
            + self.start.capacity() * 20
            + self.pts.capacity() * 8 * D
            + self.fids.capacity() * 4
    }

    /// For every node, fold `f` over the leaf-order values `v` below it and return
    /// `(min, max)` per node (used for per-node ranges of extra attributes).
    pub fn node_min_max<T: Copy + Ord>(&self, v: &[T], empty: (T, T)) -> (Vec<T>, Vec<T>) {
        let n = self.node_count();
        let mut mn = vec![empty.0; n];
        let mut mx = vec![empty.1; n];
        // Children always have larger ids than their parent: fold bottom-up.
        for id in (0..n).rev() {
            let (mut a, mut b) = (empty.0, empty.1);
            for x in v
                .get(self.start[id] as usize..self.own_end[id] as usize)
                .unwrap_or(&[])
            {
                a = a.min(*x);
                b = b.max(*x);
            }
            for c in self.child_start[id] as usize..self.child_end[id] as usize {
                a = a.min(mn[c]);
                b = b.max(mx[c]);
            }
            mn[id] = a;
            mx[id] = b;
        }
        (mn, mx)
    }
}

/// A totally ordered f64 for heaps (NaN sorts last).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ord64(pub f64);

impl Eq for Ord64 {}
impl PartialOrd for Ord64 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Ord64 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_covers_every_point_once_and_ranges_nest() {
        let items: Vec<_> = (0..5000u32)
            .map(|i| {
                let x = (i as f64 * 0.618).fract() * 10.0;
                let y = (i as f64 * 0.414).fract() * 5.0;
                GeomWithData::new([x, y], i)
            })
            .collect();
        let t = FlatTree::build(items);
        assert_eq!(t.len(), 5000);
        let mut seen = t.fids.clone();
        seen.sort_unstable();
        assert!(seen.iter().enumerate().all(|(i, &f)| i as u32 == f));
        assert!(t.node_count() > 1);
        for id in 0..t.node_count() {
            let (s, e) = (t.start[id] as usize, t.end[id] as usize);
            for p in &t.pts[s..e] {
                for d in 0..2 {
                    assert!(t.lo[id][d] <= p[d] && p[d] <= t.hi[id][d]);
                }
            }
            let mut at = t.own_end[id];
            for c in t.child_start[id] as usize..t.child_end[id] as usize {
                assert!(c > id);
                assert_eq!(t.start[c], at);
                at = t.end[c];
            }
            assert_eq!(at, t.end[id]);
        }
        assert_eq!((t.start[0], t.end[0]), (0, 5000));
    }

    #[test]
    fn empty_tree_has_an_empty_root() {
        let t = FlatTree::<2>::build(Vec::new());
        assert_eq!(t.len(), 0);
        assert_eq!(t.node_count(), 1);
        assert_eq!((t.start[0], t.end[0]), (0, 0));
    }
}
