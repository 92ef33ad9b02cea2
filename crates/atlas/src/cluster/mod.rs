//! Point clustering for the map, with the exact semantics of supercluster 9 (JavaScript).
//!
//! Points are projected to Web Mercator in the unit square and stored as supercluster's
//! `Int32` fixed-point values ([`mercator`]). From `max_zoom` down to `min_zoom`, each zoom
//! visits the previous zoom's points and clusters *in their order* and greedily merges every
//! not-yet-merged neighbour within `radius / (extent · 2^zoom)` into a cluster at the
//! count-weighted centre; what is left stays as is. Cluster ids encode the originating
//! position and zoom like supercluster's (`(index << 5) + zoom + 1 + number_of_points`), so
//! [`ClusterIndex::expansion_zoom`], [`ClusterIndex::children`] and [`ClusterIndex::leaves`]
//! answer what `getClusterExpansionZoom`, `getChildren` and `getLeaves` would. Each cluster
//! carries the sum of its points' fatalities (supercluster's `map`/`reduce`).
//!
//! Checked against node supercluster 9.1.0: a fixture of 3,000 points (features, ids, counts,
//! centres, sums, expansion zooms; `tests/cluster_supercluster.rs`) and the benchmark workload
//! (`cluster_count` 366,383 at N = 100k).
//!
//! Speed: the greedy pass is inherently sequential, so the build overlaps it with the
//! per-zoom KD-tree sorts (which only the queries need): passes find neighbours in a bucket
//! grid ([`grid`]) while the trees are sorted on the other core. With `min_points > 2`, where
//! the order of neighbours matters, passes use the KD-trees themselves (built in turn).
//! Set `ATLAS_CLUSTER_LOG=1` to print per-zoom timings to stderr (supercluster's `log`).
//!
//! ```
//! use atlas::cluster::{ClusterIndex, ClusterOptions, ClusterOrPoint};
//! let lon = [71.09, 71.0901, 66.45];
//! let lat = [34.12, 34.1201, 30.91];
//! let index = ClusterIndex::build(&lon, &lat, &[0, 1, 2], &ClusterOptions::default()).unwrap();
//! let at_z5 = index.clusters([60.0, 29.0, 75.0, 38.5], 5.0);
//! assert_eq!(at_z5.len(), 2); // one cluster of 2 near Torkham, one lone point
//! let counts: Vec<u32> = at_z5.iter().map(|c| c.count()).collect();
//! assert!(counts.contains(&2) && counts.contains(&1));
//! assert_eq!(index.clusters([60.0, 29.0, 75.0, 38.5], 17.0).len(), 3);
//! ```

pub mod grid;
pub mod kdbush;
pub mod mercator;
mod options;

pub use options::ClusterOptions;

use crate::model::{IncidentStore, NO_FATALITIES};
use grid::{Grid, VISITED};
use kdbush::KdBush;
use mercator::{decode, encode, encode_f, lat_y, lng_x, to_int32, x_lng, y_lat, SCALE};
use serde::Serialize;

/// Errors of building or asking a cluster index.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ClusterError {
    #[error("too many points to cluster: {0} (cluster ids are 32-bit; at most 2^26 points)")]
    TooManyPoints(usize),
    #[error("lon/lat columns differ in length ({lon} vs {lat})")]
    LengthMismatch { lon: usize, lat: usize },
    #[error("row {0} is out of range of the coordinate columns")]
    RowOutOfRange(u32),
    #[error("no cluster with id {0}")]
    NoSuchCluster(u32),
    #[error("the cluster build was cancelled")]
    Cancelled,
}

/// One feature of a [`ClusterIndex::clusters`] answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClusterOrPoint {
    /// Several points shown as one.
    Cluster {
        /// supercluster's `cluster_id`.
        id: u32,
        /// Number of points (`point_count`).
        count: u32,
        /// Count-weighted centre.
        lon: f64,
        lat: f64,
        /// Sum of the points' fatalities (unknown counted as 0; saturates at `u32::MAX`).
        fatalities: u32,
        /// Zoom at which the cluster splits (`getClusterExpansionZoom`); 0 when not asked for.
        expansion_zoom: u8,
    },
    /// A single incident.
    Point {
        /// Row of the incident store.
        row: u32,
        /// The incident's own coordinates.
        lon: f64,
        lat: f64,
        /// Its fatalities (unknown as 0).
        fatalities: u32,
    },
}

impl ClusterOrPoint {
    /// Number of points (1 for a point).
    pub fn count(&self) -> u32 {
        match self {
            ClusterOrPoint::Cluster { count, .. } => *count,
            ClusterOrPoint::Point { .. } => 1,
        }
    }
    /// Fatalities of the feature (sum for a cluster).
    pub fn fatalities(&self) -> u32 {
        match self {
            ClusterOrPoint::Cluster { fatalities, .. }
            | ClusterOrPoint::Point { fatalities, .. } => *fatalities,
        }
    }
    /// `[lon, lat]`.
    pub fn position(&self) -> [f64; 2] {
        match self {
            ClusterOrPoint::Cluster { lon, lat, .. } | ClusterOrPoint::Point { lon, lat, .. } => {
                [*lon, *lat]
            }
        }
    }
}

const NO_PARENT: u32 = u32::MAX;

/// supercluster's per-point/cluster record (its `Int32Array` stride), one per level item.
#[derive(Debug, Clone, Copy)]
struct Item {
    x: i32,
    y: i32,
    /// Point index (position in the input rows) or cluster id.
    id: u32,
    parent: u32,
    num: u32,
    sum: u32,
    /// Lowest zoom at which the item was visited.
    zoom: u8,
}

/// The points/clusters of one zoom (in clustering order) and their KD-tree.
#[derive(Debug, Default)]
struct Level {
    items: Vec<Item>,
    tree: KdBush,
}

/// supercluster's cluster hierarchy over a set of incidents.
#[derive(Debug)]
pub struct ClusterIndex {
    opts: ClusterOptions,
    levels: Vec<Level>,
    /// Zoom `0..=max_zoom + 1` → index into `levels` (zooms where nothing merged share).
    zoom_level: Vec<usize>,
    /// Point index → store row, lon, lat.
    rows: Vec<u32>,
    lon: Vec<f64>,
    lat: Vec<f64>,
    /// Number of input points (supercluster's `numPoints`), unmapped ones included.
    num_points: u32,
}

impl ClusterIndex {
    /// Cluster `rows` (indexes into the `lon`/`lat` columns), without weights.
    /// Rows with a non-finite coordinate keep their place but are not shown (like features
    /// without geometry in supercluster).
    pub fn build(
        lon: &[f64],
        lat: &[f64],
        rows: &[u32],
        opts: &ClusterOptions,
    ) -> Result<Self, ClusterError> {
        Self::build_weighted(lon, lat, None, rows, opts)
    }

    /// Cluster the live mapped or unmapped rows of a store (all live rows when `rows` is `None`,
    /// e.g. the rows that pass the current filter otherwise), summing fatalities per cluster.
    pub fn from_store(
        store: &IncidentStore,
        rows: Option<&[u32]>,
        opts: &ClusterOptions,
    ) -> Result<Self, ClusterError> {
        match rows {
            Some(r) => {
                Self::build_weighted(&store.lon, &store.lat, Some(&store.fatalities), r, opts)
            }
            None => {
                let live: Vec<u32> = (0..store.len() as u32)
                    .filter(|&r| store.is_live(r))
                    .collect();
                Self::build_weighted(&store.lon, &store.lat, Some(&store.fatalities), &live, opts)
            }
        }
    }

    /// Cluster `rows` with a weight column (fatalities; [`NO_FATALITIES`] counts as 0) summed per cluster.
    pub fn build_weighted(
        lon: &[f64],
        lat: &[f64],
        weights: Option<&[u32]>,
        rows: &[u32],
        opts: &ClusterOptions,
    ) -> Result<Self, ClusterError> {
        Self::build_cancellable(lon, lat, weights, rows, opts, &|| false)
    }

    /// [`ClusterIndex::build_weighted`] that asks `cancel` before each zoom's pass and stops
    /// with [`ClusterError::Cancelled`] when it answers true (a newer filter superseded it).
    pub fn build_cancellable(
        lon: &[f64],
        lat: &[f64],
        weights: Option<&[u32]>,
        rows: &[u32],
        opts: &ClusterOptions,
        cancel: &(dyn Fn() -> bool + Sync),
    ) -> Result<Self, ClusterError> {
        if lon.len() != lat.len() {
            return Err(ClusterError::LengthMismatch {
                lon: lon.len(),
                lat: lat.len(),
            });
        }
        if rows.len() >= 1 << 26 {
            return Err(ClusterError::TooManyPoints(rows.len()));
        }
        if let Some(&bad) = rows.iter().find(|&&r| r as usize >= lon.len()) {
            return Err(ClusterError::RowOutOfRange(bad));
        }
        let mut opts = *opts;
        opts.max_zoom = opts.max_zoom.min(30);
        opts.min_zoom = opts.min_zoom.min(opts.max_zoom);
        let num_points = rows.len() as u32;
        let not_processed = opts.max_zoom + 1;
        let weight = |r: u32| match weights.and_then(|w| w.get(r as usize)) {
            Some(&w) if w != NO_FATALITIES => w,
            _ => 0,
        };
        let plon: Vec<f64> = rows.iter().map(|&r| lon[r as usize]).collect();
        let plat: Vec<f64> = rows.iter().map(|&r| lat[r as usize]).collect();
        let first: Vec<Item> = rows
            .iter()
            .enumerate()
            .filter(|&(i, _)| plon[i].is_finite() && plat[i].is_finite())
            .map(|(i, &r)| Item {
                x: encode(lng_x(plon[i])),
                y: encode(lat_y(plat[i])),
                id: i as u32,
                parent: NO_PARENT,
                num: 1,
                sum: weight(r),
                zoom: not_processed,
            })
            .collect();

        let mut index = ClusterIndex {
            opts,
            levels: vec![Level {
                items: first,
                tree: KdBush::default(),
            }],
            zoom_level: vec![0; opts.max_zoom as usize + 2],
            rows: rows.to_vec(),
            lon: plon,
            lat: plat,
            num_points,
        };
        if index.cluster_levels(cancel) {
            Ok(index)
        } else {
            Err(ClusterError::Cancelled)
        }
    }

    /// Store rows of the points, in input order (the `rows` given to the build).
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// Runs the passes from `max_zoom` down, building the levels' KD-trees alongside.
    /// False when `cancel` stopped it.
    fn cluster_levels(&mut self, cancel: &(dyn Fn() -> bool + Sync)) -> bool {
        let mut cancelled = false;
        let opts = self.opts;
        let exact_order = opts.min_points > 2;
        let mut trees: Vec<Option<KdBush>> = Vec::new();
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<[i32; 2]>)>();
        let levels = &mut self.levels;
        let zoom_level = &mut self.zoom_level;
        let num_points = self.num_points;
        std::thread::scope(|scope| {
            let builder = scope.spawn(move || {
                let mut built = Vec::new();
                for (li, pts) in rx {
                    built.push((li, KdBush::build(&pts, opts.node_size)));
                }
                built
            });
            let coords = |l: &Level| l.items.iter().map(|it| [it.x, it.y]).collect::<Vec<_>>();
            if exact_order {
                let t = KdBush::build(&coords(&levels[0]), opts.node_size);
                levels[0].tree = t;
            } else {
                let _ = tx.send((0, coords(&levels[0])));
            }
            let mut prev = 0usize;
            zoom_level[opts.max_zoom as usize + 1] = 0;
            let mut neighbours: Vec<u32> = Vec::new();
            let mut out: Vec<Item> = Vec::new();
            let dbg = std::env::var_os("ATLAS_CLUSTER_LOG").is_some();
            for z in (opts.min_zoom..=opts.max_zoom).rev() {
                if cancel() {
                    cancelled = true;
                    break;
                }
                let t0 = std::time::Instant::now();
                let r = opts.radius / (opts.extent * (1u64 << z) as f64) * SCALE;
                out.clear();
                out.reserve(levels[prev].items.len());
                let level = &mut levels[prev];
                if exact_order {
                    let tree = &level.tree;
                    cluster_pass(
                        &mut level.items,
                        z,
                        r,
                        &opts,
                        num_points,
                        &mut neighbours,
                        &mut out,
                        |x, y, nb| tree.within_with(x, y, r, |i| nb.push(i)),
                    );
                } else {
                    let input: Vec<([i32; 2], u32, u32)> = level
                        .items
                        .iter()
                        .map(|it| ([it.x, it.y], it.num, it.sum))
                        .collect();
                    let mut grid = Grid::build(&input, r);
                    drop(input);
                    if dbg {
                        eprintln!("  grid {:?}", t0.elapsed());
                    }
                    grid_pass(
                        &mut level.items,
                        &mut grid,
                        z,
                        r,
                        &opts,
                        num_points,
                        &mut out,
                    );
                }
                if dbg {
                    eprintln!(
                        "z{z}: {} -> {} in {:?}",
                        levels[prev].items.len(),
                        out.len(),
                        t0.elapsed()
                    );
                }
                if out.len() == levels[prev].items.len() {
                    zoom_level[z as usize] = prev;
                } else {
                    let items = std::mem::take(&mut out);
                    out = Vec::new();
                    levels.push(Level {
                        items,
                        tree: KdBush::default(),
                    });
                    prev = levels.len() - 1;
                    zoom_level[z as usize] = prev;
                    if exact_order {
                        let t = KdBush::build(&coords(&levels[prev]), opts.node_size);
                        levels[prev].tree = t;
                    } else {
                        let _ = tx.send((prev, coords(&levels[prev])));
                    }
                }
            }
            drop(tx);
            let t0 = std::time::Instant::now();
            if let Ok(built) = builder.join() {
                if dbg {
                    eprintln!("waited for trees {:?}", t0.elapsed());
                }
                trees.resize_with(levels.len(), || None);
                for (li, t) in built {
                    trees[li] = Some(t);
                }
            }
        });
        if cancelled {
            return false;
        }
        if !exact_order {
            for (level, tree) in self.levels.iter_mut().zip(trees) {
                level.tree = tree.unwrap_or_else(|| {
                    // only if the builder thread panicked: build here instead
                    let pts: Vec<[i32; 2]> = level.items.iter().map(|it| [it.x, it.y]).collect();
                    KdBush::build(&pts, opts.node_size)
                });
            }
        }
        true
    }

    /// The options in force (zooms clamped like supercluster's constructor).
    pub fn options(&self) -> &ClusterOptions {
        &self.opts
    }

    /// Number of input points (rows given to the build).
    pub fn num_points(&self) -> usize {
        self.num_points as usize
    }

    fn limit_zoom(&self, zoom: f64) -> usize {
        let z = zoom
            .floor()
            .min(self.opts.max_zoom as f64 + 1.0)
            .max(self.opts.min_zoom as f64);
        if z.is_nan() {
            self.opts.min_zoom as usize
        } else {
            z as usize
        }
    }

    /// Clusters and lone points in `[west, south, east, north]` at `zoom` — supercluster's
    /// `getClusters`, in its order, with each cluster's expansion zoom.
    pub fn clusters(&self, bbox: [f64; 4], zoom: f64) -> Vec<ClusterOrPoint> {
        let mut out = Vec::new();
        self.clusters_into(bbox, zoom, true, &mut out);
        out
    }

    /// Like [`ClusterIndex::clusters`], appending to `out`; `with_expansion` = false leaves
    /// `expansion_zoom` at 0 (cheaper, for counting).
    pub fn clusters_into(
        &self,
        bbox: [f64; 4],
        zoom: f64,
        with_expansion: bool,
        out: &mut Vec<ClusterOrPoint>,
    ) {
        let wrap = |v: f64| ((v + 180.0) % 360.0 + 360.0) % 360.0 - 180.0;
        let mut min_lng = wrap(bbox[0]);
        let min_lat = bbox[1].clamp(-90.0, 90.0);
        let mut max_lng = if bbox[2] == 180.0 {
            180.0
        } else {
            wrap(bbox[2])
        };
        let max_lat = bbox[3].clamp(-90.0, 90.0);
        if bbox[2] - bbox[0] >= 360.0 {
            min_lng = -180.0;
            max_lng = 180.0;
        } else if min_lng > max_lng {
            self.clusters_into(
                [min_lng, min_lat, 180.0, max_lat],
                zoom,
                with_expansion,
                out,
            );
            self.clusters_into(
                [-180.0, min_lat, max_lng, max_lat],
                zoom,
                with_expansion,
                out,
            );
            return;
        }
        let level = &self.levels[self.zoom_level[self.limit_zoom(zoom)]];
        level.tree.range_with(
            encode_f(lng_x(min_lng)),
            encode_f(lat_y(max_lat)),
            encode_f(lng_x(max_lng)),
            encode_f(lat_y(min_lat)),
            |id| {
                if let Some(it) = level.items.get(id as usize) {
                    out.push(self.feature(it, with_expansion));
                }
            },
        );
    }

    /// Number of features [`ClusterIndex::clusters`] would return (no allocation).
    pub fn count(&self, bbox: [f64; 4], zoom: f64) -> usize {
        let mut v = Vec::new();
        self.clusters_into(bbox, zoom, false, &mut v);
        v.len()
    }

    fn feature(&self, it: &Item, with_expansion: bool) -> ClusterOrPoint {
        if it.num > 1 {
            ClusterOrPoint::Cluster {
                id: it.id,
                count: it.num,
                lon: x_lng(decode(it.x)),
                lat: y_lat(decode(it.y)),
                fatalities: it.sum,
                expansion_zoom: if with_expansion {
                    self.expansion_zoom(it.id).unwrap_or(0)
                } else {
                    0
                },
            }
        } else {
            let i = it.id as usize;
            ClusterOrPoint::Point {
                row: self.rows.get(i).copied().unwrap_or(u32::MAX),
                lon: self.lon.get(i).copied().unwrap_or(f64::NAN),
                lat: self.lat.get(i).copied().unwrap_or(f64::NAN),
                fatalities: it.sum,
            }
        }
    }

    fn origin(&self, cluster_id: u32) -> Result<(usize, usize), ClusterError> {
        let v = cluster_id
            .checked_sub(self.num_points)
            .ok_or(ClusterError::NoSuchCluster(cluster_id))?;
        Ok(((v >> 5) as usize, (v % 32) as usize))
    }

    /// Items (of the level at the cluster's origin zoom) that are the cluster's children.
    fn child_items(&self, cluster_id: u32) -> Result<(&Level, Vec<u32>), ClusterError> {
        let err = ClusterError::NoSuchCluster(cluster_id);
        let (origin_id, origin_zoom) = self.origin(cluster_id)?;
        let li = *self.zoom_level.get(origin_zoom).ok_or(err.clone())?;
        let level = &self.levels[li];
        let origin = level.items.get(origin_id).ok_or(err.clone())?;
        let r = self.opts.radius / (self.opts.extent * 2f64.powi(origin_zoom as i32 - 1));
        let mut ids = Vec::new();
        level
            .tree
            .within_with(origin.x as f64, origin.y as f64, r * SCALE, |id| {
                if level
                    .items
                    .get(id as usize)
                    .is_some_and(|c| c.parent == cluster_id)
                {
                    ids.push(id);
                }
            });
        if ids.is_empty() {
            return Err(err);
        }
        Ok((level, ids))
    }

    /// The clusters and points a cluster splits into one zoom up (`getChildren`).
    pub fn children(&self, cluster_id: u32) -> Result<Vec<ClusterOrPoint>, ClusterError> {
        let (level, ids) = self.child_items(cluster_id)?;
        Ok(ids
            .iter()
            .map(|&i| self.feature(&level.items[i as usize], false))
            .collect())
    }

    /// The zoom at which a cluster splits into several features (`getClusterExpansionZoom`).
    pub fn expansion_zoom(&self, cluster_id: u32) -> Result<u8, ClusterError> {
        let mut id = cluster_id;
        let mut zoom = self.origin(id)?.1 as i64 - 1;
        while zoom <= self.opts.max_zoom as i64 {
            let (level, ids) = self.child_items(id)?;
            zoom += 1;
            if ids.len() != 1 {
                break;
            }
            let child = &level.items[ids[0] as usize];
            if child.num <= 1 {
                // supercluster would throw here (a point has no cluster_id); cannot happen
                // for clusters it built, as a cluster has at least two children
                break;
            }
            id = child.id;
        }
        Ok(zoom.clamp(0, u8::MAX as i64) as u8)
    }

    /// Store rows of the points in a cluster, `limit` of them after skipping `offset`
    /// (`getLeaves`, in its order).
    pub fn leaves(
        &self,
        cluster_id: u32,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<u32>, ClusterError> {
        let mut out = Vec::new();
        self.append_leaves(&mut out, cluster_id, limit, offset, 0)?;
        Ok(out)
    }

    fn append_leaves(
        &self,
        out: &mut Vec<u32>,
        cluster_id: u32,
        limit: usize,
        offset: usize,
        mut skipped: usize,
    ) -> Result<usize, ClusterError> {
        let (level, ids) = self.child_items(cluster_id)?;
        for i in ids {
            let c = &level.items[i as usize];
            if c.num > 1 {
                if skipped + c.num as usize <= offset {
                    skipped += c.num as usize;
                } else {
                    skipped = self.append_leaves(out, c.id, limit, offset, skipped)?;
                }
            } else if skipped < offset {
                skipped += 1;
            } else if let Some(&row) = self.rows.get(c.id as usize) {
                out.push(row);
            }
            if out.len() == limit {
                break;
            }
        }
        Ok(skipped)
    }
}

/// [`cluster_pass`] for `min_points <= 2` with neighbours from a [`Grid`] that also holds the
/// visited flags, counts and sums (so the scan stays in the query's neighbourhood of memory).
/// With `min_points <= 2` a point that is not merged has no unvisited neighbour, so the
/// neighbours' order never matters.
fn grid_pass(
    items: &mut [Item],
    grid: &mut Grid,
    zoom: u8,
    r: f64,
    opts: &ClusterOptions,
    num_points: u32,
    out: &mut Vec<Item>,
) {
    let not_processed = opts.max_zoom + 1;
    let mut nb: Vec<u32> = Vec::new();
    for i in 0..items.len() {
        let p = grid.pos[i] as usize;
        let me = grid.entries[p];
        if me.num & VISITED != 0 {
            continue;
        }
        grid.entries[p].num |= VISITED;
        let (x, y, num_origin) = (me.p[0], me.p[1], me.num);
        nb.clear();
        let mut num = num_origin;
        grid.within_with(x as f64, y as f64, r, |k, e| {
            if e.num & VISITED == 0 {
                num += e.num;
                nb.push(k as u32);
            }
        });
        if num > num_origin && num >= opts.min_points {
            let mut wx = x as i64 * num_origin as i64;
            let mut wy = y as i64 * num_origin as i64;
            let mut sum = me.sum;
            let id = ((i as u32) << 5)
                .wrapping_add(zoom as u32 + 1)
                .wrapping_add(num_points);
            for &k in &nb {
                let e = &mut grid.entries[k as usize];
                e.num |= VISITED;
                let n = (e.num & !VISITED) as i64;
                wx += e.p[0] as i64 * n;
                wy += e.p[1] as i64 * n;
                sum = sum.saturating_add(e.sum);
                let it = &mut items[e.idx as usize];
                it.zoom = zoom;
                it.parent = id;
            }
            items[i].zoom = zoom;
            items[i].parent = id;
            out.push(Item {
                x: to_int32(wx as f64 / num as f64),
                y: to_int32(wy as f64 / num as f64),
                id,
                parent: NO_PARENT,
                num,
                sum,
                zoom: not_processed,
            });
        } else {
            items[i].zoom = zoom;
            out.push(items[i]);
        }
    }
}

/// One zoom of supercluster's `_cluster`: visits `items` in order, merging unvisited
/// neighbours; appends this zoom's items to `out`.
#[allow(clippy::too_many_arguments)]
fn cluster_pass(
    items: &mut [Item],
    zoom: u8,
    r: f64,
    opts: &ClusterOptions,
    num_points: u32,
    nb: &mut Vec<u32>,
    out: &mut Vec<Item>,
    within: impl Fn(f64, f64, &mut Vec<u32>),
) {
    let _ = r;
    let not_processed = opts.max_zoom + 1;
    for i in 0..items.len() {
        if items[i].zoom <= zoom {
            continue;
        }
        items[i].zoom = zoom;
        let Item {
            x,
            y,
            num: num_origin,
            ..
        } = items[i];
        nb.clear();
        within(x as f64, y as f64, nb);
        let mut num = num_origin;
        for &k in nb.iter() {
            let it = &items[k as usize];
            if it.zoom > zoom {
                num += it.num;
            }
        }
        if num > num_origin && num >= opts.min_points {
            let mut wx = x as i64 * num_origin as i64;
            let mut wy = y as i64 * num_origin as i64;
            let mut sum = items[i].sum;
            let id = ((i as u32) << 5)
                .wrapping_add(zoom as u32 + 1)
                .wrapping_add(num_points);
            for &k in nb.iter() {
                let it = &mut items[k as usize];
                if it.zoom <= zoom {
                    continue;
                }
                it.zoom = zoom;
                wx += it.x as i64 * it.num as i64;
                wy += it.y as i64 * it.num as i64;
                sum = sum.saturating_add(it.sum);
                it.parent = id;
            }
            items[i].parent = id;
            out.push(Item {
                x: to_int32(wx as f64 / num as f64),
                y: to_int32(wy as f64 / num as f64),
                id,
                parent: NO_PARENT,
                num,
                sum,
                zoom: not_processed,
            });
        } else {
            out.push(items[i]);
            if num > 1 {
                for &k in nb.iter() {
                    let it = &mut items[k as usize];
                    if it.zoom <= zoom {
                        continue;
                    }
                    it.zoom = zoom;
                    out.push(*it);
                }
            }
        }
    }
}
