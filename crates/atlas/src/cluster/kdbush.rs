//! A static flat KD-tree over `i32` points: a port of kdbush 4.1 (the index supercluster 9
//! builds per zoom level).
//!
//! Why not `rstar`: supercluster's answers are defined by kdbush — its `range`/`within`
//! order decides the order of `getClusters` output and, with `min_points > 2`, the order in
//! which unclustered neighbours are carried to the next zoom (and so the greedy clustering
//! itself). Porting the same median-split layout (Floyd–Rivest selection, alternating axes,
//! leaves of `node_size` points, the same traversal stack order) reproduces that order, and
//! two flat arrays (ids, coordinates) are also faster to build than an R-tree's node vectors:
//! no per-node allocation. The two halves under a split are sorted on two threads.
//!
//! ```
//! use atlas::cluster::kdbush::KdBush;
//! let pts = [[0, 0], [10, 10], [3, 4], [-5, 2]];
//! let tree = KdBush::build(&pts, 64);
//! let mut hits = tree.range(-1.0, -1.0, 5.0, 5.0);
//! hits.sort();
//! assert_eq!(hits, vec![0, 2]);
//! let mut out = vec![0; 4];
//! let n = tree.within_into(0.0, 0.0, 5.0, &mut out);
//! let mut near = out[..n].to_vec();
//! near.sort();
//! assert_eq!(near, vec![0, 2]);
//! ```

/// Sizes above which the two halves of a split are sorted in parallel.
const PARALLEL_MIN: usize = 1 << 15;

/// A KD-sorted copy of the points: `ids[i]` is the input index of `coords[i]`.
#[derive(Debug, Clone, Default)]
pub struct KdBush {
    ids: Vec<u32>,
    coords: Vec<[i32; 2]>,
    node_size: usize,
}

impl KdBush {
    /// Index `points` (input order gives the ids `0..n`). `node_size` is clamped to 2..=65535
    /// like kdbush.
    pub fn build(points: &[[i32; 2]], node_size: usize) -> KdBush {
        let mut ids: Vec<u32> = (0..points.len() as u32).collect();
        let mut coords = points.to_vec();
        let node_size = node_size.clamp(2, 65535);
        if !coords.is_empty() {
            let right = coords.len() - 1;
            sort(&mut ids, &mut coords, 0, node_size, 0, right, 0);
        }
        KdBush {
            ids,
            coords,
            node_size,
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Ids of the points in the closed box, in kdbush's order.
    pub fn range(&self, min_x: f64, min_y: f64, max_x: f64, max_y: f64) -> Vec<u32> {
        let mut out = Vec::new();
        self.range_with(min_x, min_y, max_x, max_y, |id| out.push(id));
        out
    }

    /// Calls `f` with the id of each point in the closed box, in kdbush's order.
    pub fn range_with(
        &self,
        min_x: f64,
        min_y: f64,
        max_x: f64,
        max_y: f64,
        mut f: impl FnMut(u32),
    ) {
        if self.ids.is_empty() {
            return;
        }
        let inside = |c: [i32; 2]| {
            let (x, y) = (c[0] as f64, c[1] as f64);
            x >= min_x && x <= max_x && y >= min_y && y <= max_y
        };
        let mut stack: Vec<(usize, usize, u8)> = Vec::with_capacity(64);
        stack.push((0, self.ids.len() - 1, 0));
        while let Some((left, right, axis)) = stack.pop() {
            if right - left <= self.node_size {
                for i in left..=right {
                    if inside(self.coords[i]) {
                        f(self.ids[i]);
                    }
                }
                continue;
            }
            let m = (left + right) >> 1;
            let c = self.coords[m];
            if inside(c) {
                f(self.ids[m]);
            }
            let v = c[axis as usize] as f64;
            if (if axis == 0 { min_x } else { min_y }) <= v {
                stack.push((left, m - 1, 1 - axis));
            }
            if (if axis == 0 { max_x } else { max_y }) >= v {
                stack.push((m + 1, right, 1 - axis));
            }
        }
    }

    /// Writes the ids of the points within distance `r` of `(qx, qy)` into `out` (which must
    /// have room for all points) and returns how many; same order and the same
    /// floating-point test (`dx*dx + dy*dy <= r*r`) as kdbush's `withinInto`.
    pub fn within_into(&self, qx: f64, qy: f64, r: f64, out: &mut [u32]) -> usize {
        let mut count = 0;
        self.within_with(qx, qy, r, |id| {
            if let Some(slot) = out.get_mut(count) {
                *slot = id;
                count += 1;
            }
        });
        count
    }

    /// Calls `f` with each id within distance `r`, in kdbush's order.
    pub fn within_with(&self, qx: f64, qy: f64, r: f64, mut f: impl FnMut(u32)) {
        if self.ids.is_empty() {
            return;
        }
        let r2 = r * r;
        let mut stack: Vec<(usize, usize, u8)> = Vec::with_capacity(64);
        stack.push((0, self.ids.len() - 1, 0));
        while let Some((left, right, axis)) = stack.pop() {
            if right - left <= self.node_size {
                for i in left..=right {
                    let c = self.coords[i];
                    if sq_dist(c, qx, qy) <= r2 {
                        f(self.ids[i]);
                    }
                }
                continue;
            }
            let m = (left + right) >> 1;
            let c = self.coords[m];
            if sq_dist(c, qx, qy) <= r2 {
                f(self.ids[m]);
            }
            let v = c[axis as usize] as f64;
            let q = if axis == 0 { qx } else { qy };
            if q - r <= v {
                stack.push((left, m - 1, 1 - axis));
            }
            if q + r >= v {
                stack.push((m + 1, right, 1 - axis));
            }
        }
    }
}

/// kdbush's `sqDist` on an integer point and a float query, in the same order of operations.
#[inline]
pub(crate) fn sq_dist(c: [i32; 2], qx: f64, qy: f64) -> f64 {
    let dx = c[0] as f64 - qx;
    let dy = c[1] as f64 - qy;
    dx * dx + dy * dy
}

/// KD-sort `ids`/`coords`, which hold the absolute positions `base..base + len`, over the
/// absolute range `left..=right`. Absolute indices keep Floyd–Rivest's float arithmetic
/// identical to kdbush's.
fn sort(
    ids: &mut [u32],
    coords: &mut [[i32; 2]],
    base: usize,
    node_size: usize,
    left: usize,
    right: usize,
    axis: usize,
) {
    if right - left <= node_size {
        return;
    }
    let m = (left + right) >> 1;
    select(ids, coords, base, m, left, right, axis);
    if right - left >= PARALLEL_MIN {
        let (ids_l, ids_r) = ids.split_at_mut(m - base);
        let (co_l, co_r) = coords.split_at_mut(m - base);
        let (ids_r, co_r) = (&mut ids_r[1..], &mut co_r[1..]);
        rayon::join(
            || sort(ids_l, co_l, base, node_size, left, m - 1, 1 - axis),
            || sort(ids_r, co_r, m + 1, node_size, m + 1, right, 1 - axis),
        );
    } else {
        sort(ids, coords, base, node_size, left, m - 1, 1 - axis);
        sort(ids, coords, base, node_size, m + 1, right, 1 - axis);
    }
}

/// Floyd–Rivest selection as in kdbush: afterwards `coords[k]` is the k-th smallest on `axis`
/// within `left..=right`, smaller ones before it, larger after.
#[allow(clippy::too_many_arguments)]
fn select(
    ids: &mut [u32],
    coords: &mut [[i32; 2]],
    base: usize,
    k: usize,
    mut left: usize,
    mut right: usize,
    axis: usize,
) {
    // Signed positions: kdbush's `j--` may step to `left - 1`.
    while right > left {
        if right - left > 600 {
            let n = (right - left + 1) as f64;
            let m = (k - left + 1) as f64;
            let z = n.ln();
            let s = 0.5 * (2.0 * z / 3.0).exp();
            let sd =
                0.5 * (z * s * (n - s) / n).sqrt() * if m - n / 2.0 < 0.0 { -1.0 } else { 1.0 };
            let kf = k as f64;
            let new_left = (left as f64).max((kf - m * s / n + sd).floor());
            let new_right = (right as f64).min((kf + (n - m) * s / n + sd).floor());
            select(
                ids,
                coords,
                base,
                k,
                new_left as usize,
                new_right as usize,
                axis,
            );
        }
        let t = coords[k - base][axis];
        let mut i = left as isize;
        let mut j = right as isize;
        let b = base as isize;
        let at = |coords: &[[i32; 2]], p: isize| coords[(p - b) as usize][axis];
        swap_item(ids, coords, base, left, k);
        if at(coords, right as isize) > t {
            swap_item(ids, coords, base, left, right);
        }
        while i < j {
            swap_item(ids, coords, base, i as usize, j as usize);
            i += 1;
            j -= 1;
            while at(coords, i) < t {
                i += 1;
            }
            while at(coords, j) > t {
                j -= 1;
            }
        }
        if at(coords, left as isize) == t {
            swap_item(ids, coords, base, left, j as usize);
        } else {
            j += 1;
            swap_item(ids, coords, base, j as usize, right);
        }
        let ju = j as usize;
        if ju <= k {
            left = ju + 1;
        }
        if k <= ju {
            right = ju.saturating_sub(1);
            if ju == 0 {
                break;
            }
        }
    }
}

#[inline]
fn swap_item(ids: &mut [u32], coords: &mut [[i32; 2]], base: usize, i: usize, j: usize) {
    ids.swap(i - base, j - base);
    coords.swap(i - base, j - base);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> i32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*seed >> 33) as i32) % 1_000_000
    }

    #[test]
    fn range_and_within_match_brute_force() {
        let mut s = 7;
        let pts: Vec<[i32; 2]> = (0..20_000).map(|_| [lcg(&mut s), lcg(&mut s)]).collect();
        // many duplicates too
        let mut pts2 = pts.clone();
        pts2.extend(pts.iter().take(5000).copied());
        for node_size in [2, 16, 64] {
            let t = KdBush::build(&pts2, node_size);
            let mut got = t.range(-1000.0, 1000.5, 300_000.0, 450_000.0);
            got.sort();
            let want: Vec<u32> = (0..pts2.len() as u32)
                .filter(|&i| {
                    let [x, y] = pts2[i as usize];
                    (-1000..=300_000).contains(&x) && (1001..=450_000).contains(&y)
                })
                .collect();
            assert_eq!(got, want);
            let mut buf = vec![0; pts2.len()];
            let n = t.within_into(12345.0, 678_901.0, 40_000.0, &mut buf);
            let mut got = buf[..n].to_vec();
            got.sort();
            let want: Vec<u32> = (0..pts2.len() as u32)
                .filter(|&i| sq_dist(pts2[i as usize], 12345.0, 678_901.0) <= 1.6e9)
                .collect();
            assert_eq!(got, want);
        }
    }
}
