//! Spatial and temporal indexes over the incident store, and the queries the map,
//! the panels and the command line ask.
//!
//! One concept per module:
//! - [`flat`](self): an rstar bulk-loaded R-tree laid out flat with its points in leaf order
//!   (covered nodes are answered with one slice copy);
//! - [`BoxIndex`]: closed lon/lat viewport boxes (antimeridian and poles handled), and
//!   `planar_deg` nearest neighbours;
//! - [`TimeBoxIndex`]: box + inclusive day window, overlap semantics for events dated to a range;
//! - [`SphereIndex`]: exact WGS84 k-nearest and within-radius queries;
//! - [`FilterPlan`] / [`select`]: the researcher's [`Filter`](crate::filter::Filter) evaluated over the store.
//!
//! [`SpatialIndex`] builds all three trees (in parallel) over the mapped, live rows.
//! Unmapped rows (non-finite lon/lat) are never indexed; deleted rows are skipped.
//! An index is a snapshot: rebuild it after the store changes ([`SpatialIndex::is_current`]).
//!
//! ```
//! use atlas::index::{Metric, SpatialIndex};
//! use atlas::model::{IncidentRecord, IncidentStore};
//! let mut store = IncidentStore::default();
//! store.push(&IncidentRecord::new("A", 71.0, 34.0, 19_000));
//! store.push(&IncidentRecord::new("B", 66.5, 30.9, 19_010));
//! let idx = SpatialIndex::build(&store);
//! let mut hits = Vec::new();
//! idx.boxes.query([60.0, 29.0, 75.0, 38.5], &mut hits);
//! assert_eq!(hits.len(), 2);
//! let nn = idx.nearest(66.0, 31.0, 1, Metric::Wgs84);
//! assert_eq!(nn[0].row, 1);
//! ```

mod bbox;
mod flat;
mod planar;
mod select;
mod sphere;
mod timebox;

pub use bbox::{split_box, BoxIndex};
pub use select::{select, FilterError, FilterPlan};
pub use sphere::SphereIndex;
pub use timebox::TimeBoxIndex;

use crate::model::IncidentStore;

/// A neighbour found by a nearest query: its row and distance (km for
/// [`Metric::Wgs84`], degrees for [`Metric::PlanarDeg`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbor {
    pub row: u32,
    pub dist: f64,
}

impl Neighbor {
    /// Order by distance, then by row.
    fn before(&self, o: &Neighbor) -> bool {
        (self.dist, self.row) < (o.dist, o.row)
    }
}

/// Distance used by nearest-neighbour queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Geodesic distance on the WGS84 ellipsoid (Karney), in km.
    #[default]
    Wgs84,
    /// Euclidean distance in lon/lat degrees.
    PlanarDeg,
}

/// Rows that are live and have finite coordinates.
pub(crate) fn mapped_rows(store: &IncidentStore) -> impl Iterator<Item = u32> + '_ {
    (0..store.len() as u32).filter(move |&r| {
        let i = r as usize;
        store.lon[i].is_finite()
            && store.lat[i].is_finite()
            && !store.deleted.get(i).copied().unwrap_or(false)
    })
}

/// All the trees the engine keeps over the incident store.
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    /// Viewport boxes and planar nearest neighbours.
    pub boxes: BoxIndex,
    /// Box + time window.
    pub time: TimeBoxIndex,
    /// WGS84 nearest and radius.
    pub sphere: SphereIndex,
    /// Store length and live count at build time.
    built_len: usize,
    built_live: usize,
}

impl SpatialIndex {
    /// Build the trees over the mapped, live rows of `store`, on two threads.
    pub fn build(store: &IncidentStore) -> Self {
        // Two cores: the time tree on one, the lon/lat tree and the sphere tree derived
        // from its layout on the other.
        let (boxes, time, sphere) = std::thread::scope(|s| {
            let time = s.spawn(|| TimeBoxIndex::build(store));
            let boxes = BoxIndex::build(store);
            let sphere = SphereIndex::from_boxes(&boxes);
            // A panic in the builder thread is a bug; re-raise it here.
            let time = match time.join() {
                Ok(v) => v,
                Err(e) => std::panic::resume_unwind(e),
            };
            (boxes, time, sphere)
        });
        SpatialIndex {
            boxes,
            time,
            sphere,
            built_len: store.len(),
            built_live: store.live_len(),
        }
    }

    /// Whether the index still describes `store` (same rows, same deletions count).
    pub fn is_current(&self, store: &IncidentStore) -> bool {
        self.built_len == store.len() && self.built_live == store.live_len()
    }

    /// Bytes held by all trees.
    pub fn heap_bytes(&self) -> usize {
        self.boxes.heap_bytes() + self.time.heap_bytes() + self.sphere.heap_bytes()
    }

    /// The `k` nearest rows to `(lon, lat)` in `metric`, nearest first, ties to the lower row.
    pub fn nearest(&self, lon: f64, lat: f64, k: usize, metric: Metric) -> Vec<Neighbor> {
        match metric {
            Metric::Wgs84 => self.sphere.nearest(lon, lat, k),
            Metric::PlanarDeg => self.boxes.nearest_planar(lon, lat, k),
        }
    }
}
