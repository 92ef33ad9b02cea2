//! A uniform bucket grid for the fixed-radius neighbour searches of one clustering pass,
//! carrying the pass's state (visited, count, sum) beside each point.
//!
//! A clustering pass asks "which points lie within `r`" once per point, always with the same
//! `r`. Cells are at least `r` wide (so a query reads at most 3 × 3 cells) and, within a
//! crowded cell, kept sorted by y so a query reads only its band. The answer is the same *set*
//! as kdbush's `within` (the same `dx*dx + dy*dy <= r*r` test on the same integers; kdbush
//! also prunes on `|dx|, |dy| <= r` as the cells here do); only the order differs, which the
//! clustering does not depend on when `min_points <= 2` (see [`super::ClusterIndex`]).
//!
//! Keeping the visited flag, point count and fatality sum in the grid entry (rather than
//! looking them up in the level's item array) means a query touches only memory near the
//! query point: the pass visits points in their (spatially random) input order, so every
//! other lookup would be a cache miss.

use super::kdbush::sq_dist;

/// Cells with more entries than this are kept sorted by y and searched by band.
const SORTED_MIN: usize = 8;
/// Flag bit in [`Entry::num`]: visited in this pass.
pub(crate) const VISITED: u32 = 1 << 31;

/// One point of the grid.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Entry {
    pub(crate) p: [i32; 2],
    /// Index of the item in its level.
    pub(crate) idx: u32,
    /// Number of points, with [`VISITED`] set once visited.
    pub(crate) num: u32,
    pub(crate) sum: u32,
}

/// Points bucketed by cell (counting sort).
#[derive(Debug, Default)]
pub(crate) struct Grid {
    min_x: f64,
    min_y: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    /// `start[c]..start[c + 1]` are the entries of cell `c`.
    start: Vec<u32>,
    pub(crate) entries: Vec<Entry>,
    /// Item index → position in `entries`.
    pub(crate) pos: Vec<u32>,
}

impl Grid {
    /// Bucket points `(x, y, num, sum)` for searches of radius `r` (cells at least `r` wide,
    /// and about as many cells as points).
    pub(crate) fn build(points: &[([i32; 2], u32, u32)], r: f64) -> Grid {
        if points.is_empty() {
            return Grid::default();
        }
        let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        for (p, ..) in points {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        let w = (x1 as f64 - x0 as f64).max(1.0);
        let h = (y1 as f64 - y0 as f64).max(1.0);
        let target = points.len().max(16) as f64;
        let cell = r.max((w * h / target).sqrt()).max(1.0);
        let nx = ((w / cell) as usize + 1).max(1);
        let ny = ((h / cell) as usize + 1).max(1);
        let mut g = Grid {
            min_x: x0 as f64,
            min_y: y0 as f64,
            cell,
            nx,
            ny,
            start: vec![0; nx * ny + 1],
            entries: vec![Entry::default(); points.len()],
            pos: vec![0; points.len()],
        };
        let cells: Vec<u32> = points.iter().map(|(p, ..)| g.cell_of(p) as u32).collect();
        for &c in &cells {
            g.start[c as usize + 1] += 1;
        }
        for c in 0..nx * ny {
            g.start[c + 1] += g.start[c];
        }
        let mut fill = g.start.clone();
        for (i, (&c, &(p, num, sum))) in cells.iter().zip(points).enumerate() {
            let slot = &mut fill[c as usize];
            g.entries[*slot as usize] = Entry {
                p,
                idx: i as u32,
                num,
                sum,
            };
            *slot += 1;
        }
        // within a cell, entries by y: a query then reads only its band of rows
        for c in 0..nx * ny {
            let (a, b) = (g.start[c] as usize, g.start[c + 1] as usize);
            if b - a > SORTED_MIN {
                g.entries[a..b].sort_unstable_by_key(|e| e.p[1]);
            }
        }
        for (k, e) in g.entries.iter().enumerate() {
            g.pos[e.idx as usize] = k as u32;
        }
        g
    }

    #[inline]
    fn cell_of(&self, p: &[i32; 2]) -> usize {
        let cx = (((p[0] as f64 - self.min_x) / self.cell) as usize).min(self.nx - 1);
        let cy = (((p[1] as f64 - self.min_y) / self.cell) as usize).min(self.ny - 1);
        cy * self.nx + cx
    }

    #[inline]
    fn span(&self, lo: f64, hi: f64, min: f64, n: usize) -> Option<(usize, usize)> {
        let a = ((lo - min) / self.cell).floor();
        let b = ((hi - min) / self.cell).floor();
        if b < 0.0 || a > (n - 1) as f64 {
            return None;
        }
        Some((a.max(0.0) as usize, (b as usize).min(n - 1)))
    }

    /// Calls `f` with the position in `entries` of every point within `r` of `(qx, qy)`;
    /// `r` must not exceed the radius the grid was built for.
    #[inline]
    pub(crate) fn within_with(&self, qx: f64, qy: f64, r: f64, mut f: impl FnMut(usize, &Entry)) {
        if self.entries.is_empty() {
            return;
        }
        let r2 = r * r;
        let Some((cx0, cx1)) = self.span(qx - r, qx + r, self.min_x, self.nx) else {
            return;
        };
        let Some((cy0, cy1)) = self.span(qy - r, qy + r, self.min_y, self.ny) else {
            return;
        };
        let (y_lo, y_hi) = (qy - r, qy + r);
        for cy in cy0..=cy1 {
            let row = cy * self.nx;
            for c in row + cx0..=row + cx1 {
                let (a, b) = (self.start[c] as usize, self.start[c + 1] as usize);
                let cell = &self.entries[a..b];
                if cell.len() > SORTED_MIN {
                    let from = cell.partition_point(|e| (e.p[1] as f64) < y_lo);
                    for (k, e) in cell[from..].iter().enumerate() {
                        if e.p[1] as f64 > y_hi {
                            break;
                        }
                        if sq_dist(e.p, qx, qy) <= r2 {
                            f(a + from + k, e);
                        }
                    }
                } else {
                    for (k, e) in cell.iter().enumerate() {
                        if sq_dist(e.p, qx, qy) <= r2 {
                            f(a + k, e);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kdbush::KdBush;

    #[test]
    fn same_set_as_kdbush() {
        let mut s: u64 = 99;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) % 2_000_000) as i32 - 1_000_000
        };
        let mut pts: Vec<[i32; 2]> = (0..30_000).map(|_| [next() / 3, next()]).collect();
        // a dense clump (sorted cells) and exact duplicates
        for k in 0..3000 {
            pts.push([k % 50, (k * 7) % 61]);
        }
        pts.extend_from_slice(&[[5, 5], [5, 5], [5, 6]]);
        let tree = KdBush::build(&pts, 64);
        let input: Vec<([i32; 2], u32, u32)> = pts.iter().map(|&p| (p, 1, 0)).collect();
        for r in [1.0, 7.5, 1280.0, 20480.5, 300_000.0] {
            let g = Grid::build(&input, r);
            for (i, &e) in g.entries.iter().enumerate() {
                assert_eq!(g.pos[e.idx as usize] as usize, i);
            }
            for q in 0..300 {
                let (qx, qy) = match q {
                    0 => (5.0, 5.0),
                    1 => (20.0, 30.0),
                    _ => (pts[q * 97][0] as f64 + 0.25, pts[q * 89][1] as f64),
                };
                let mut a = Vec::new();
                g.within_with(qx, qy, r, |k, e| {
                    assert_eq!(g.entries[k].idx, e.idx);
                    a.push(e.idx)
                });
                let mut b = Vec::new();
                tree.within_with(qx, qy, r, |i| b.push(i));
                a.sort();
                b.sort();
                assert_eq!(a, b, "r {r} q {q}");
            }
        }
    }
}
