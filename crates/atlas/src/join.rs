//! Spatial join of incidents to a polygon layer (districts, provinces, study areas):
//! how many incidents fall in each polygon and how many fatalities they report.
//!
//! # The point-in-polygon rule
//!
//! A point is in a polygon when the crossing number of the rings (exterior and holes, of
//! every part of a MultiPolygon) is odd, with exact (robust) orientation predicates.
//! Points on the boundary follow one fixed rule: **a point belongs to the polygon that
//! contains the point moved an infinitesimal step east (+lon), then an even smaller step
//! north (+lat)**. So a point on an edge shared by two districts is counted in exactly one
//! of them — the one to its east, or to its north when the shared edge runs east–west —
//! and a point on a polygon's outer boundary is counted only when the polygon lies on that
//! side. A point on the rim of a hole belongs to the polygon when the polygon (not the
//! hole) is to its north-east. The same holds at vertices. The predicate is exact, so the
//! rule holds for any coordinates, not just "nice" ones.
//!
//! Overlapping polygons each count a point they both contain; a point in no polygon is
//! counted in [`JoinTable::outside`], an incident without a location in
//! [`JoinTable::unmapped`].
//!
//! # Method
//!
//! The layer's envelopes are in a [`LayerIndex`] R-tree; each incident looks up the
//! polygons whose envelope holds it and runs the exact test on those only (two threads).
//!
//! ```
//! use atlas::join::join_counts;
//! use atlas::layer_index::LayerIndex;
//! use atlas::model::{IncidentRecord, IncidentStore, Layer, LayerFeature};
//! use geo::polygon;
//! let square = |x: f64, name: &str| LayerFeature {
//!     id: Some(name.into()),
//!     geometry: Some(polygon![(x: x, y: 0.0), (x: x + 1.0, y: 0.0), (x: x + 1.0, y: 1.0), (x: x, y: 1.0)].into()),
//!     properties: serde_json::json!({ "name": name }).as_object().unwrap().clone(),
//! };
//! let layer = Layer { name: "synthetic".into(), features: vec![square(0.0, "west"), square(1.0, "east")] };
//! let mut store = IncidentStore::default();
//! let mut r = IncidentRecord::new("a", 0.5, 0.5, 0);
//! r.fatalities = Some(2);
//! store.push(&r);
//! store.push(&IncidentRecord::new("b", 1.0, 0.5, 0)); // on the shared edge: counted east
//! let table = join_counts(&layer, &LayerIndex::build(&layer), &store, &[0, 1]);
//! assert_eq!((table.rows[0].count, table.rows[0].fatalities), (1, 2));
//! assert_eq!((table.rows[1].count, table.rows[1].unknown_fatalities), (1, 1));
//! assert_eq!(table.rows[1].name.as_deref(), Some("east"));
//! ```

use crate::layer_index::LayerIndex;
use crate::model::{IncidentStore, Layer, LayerFeature};
use geo::algorithm::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, Geometry, LineString, Polygon};

/// Property names tried, in order, for a polygon's display name.
pub const NAME_KEYS: [&str; 14] = [
    "name",
    "NAME",
    "Name",
    "shapeName",
    "district",
    "DISTRICT",
    "District",
    "ADM2_EN",
    "ADM1_EN",
    "ADM3_EN",
    "NAME_2",
    "NAME_1",
    "admin2Name",
    "name_en",
];

/// One polygon's counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JoinRow {
    /// Index of the feature in the layer.
    pub feature: usize,
    /// The feature's `id` member as text (a string as is, a number as written).
    pub id: Option<String>,
    /// The first of [`NAME_KEYS`] the feature has as a string or number.
    pub name: Option<String>,
    /// Incidents in the polygon.
    pub count: u64,
    /// Sum of their reported fatalities (unknown counted as 0).
    pub fatalities: u64,
    /// How many of them have no fatality figure.
    pub unknown_fatalities: u64,
}

/// The result of a join: one row per Polygon/MultiPolygon feature, in layer order.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct JoinTable {
    pub rows: Vec<JoinRow>,
    /// Mapped incidents in no polygon.
    pub outside: u64,
    /// Incidents without a location.
    pub unmapped: u64,
}

/// Why a join table could not be written.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error("writing the join table: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the join table: {0}")]
    Io(#[from] std::io::Error),
}

/// Whether `(x, y)` is in the union of `polys` by the rule in the [module docs](self):
/// even-odd crossing count over all their rings, exact predicates, boundary points
/// assigned to the side east (then north) of them.
///
/// ```
/// use atlas::join::polygon_contains;
/// use geo::polygon;
/// let p = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
/// let ps = std::slice::from_ref(&p);
/// assert!(polygon_contains(ps, 0.5, 0.5));
/// assert!(polygon_contains(ps, 0.0, 0.5));  // west edge: the polygon is to the east
/// assert!(!polygon_contains(ps, 1.0, 0.5)); // east edge: belongs to the neighbour
/// assert!(polygon_contains(ps, 0.5, 0.0));  // south edge
/// assert!(!polygon_contains(ps, 0.5, 1.0)); // north edge
/// assert!(polygon_contains(ps, 0.0, 0.0));  // south-west corner only
/// ```
pub fn polygon_contains(polys: &[Polygon<f64>], x: f64, y: f64) -> bool {
    let p = Coord { x, y };
    let mut inside = false;
    for poly in polys {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            if ring_crossings_odd(ring, p) {
                inside = !inside;
            }
        }
    }
    inside
}

/// Parity of the crossings of the ray from `p` towards +x with the ring, edges half-open
/// in y (`[low, high)`), a crossing at `p` itself not counted.
fn ring_crossings_odd(ring: &LineString<f64>, p: Coord<f64>) -> bool {
    let pts = ring.0.as_slice();
    let n = pts.len();
    if n < 2 {
        return false;
    }
    let mut odd = false;
    // geo closes rings; a ring that is not closed gets its closing edge here.
    let closing = (pts[n - 1] != pts[0]).then(|| (pts[n - 1], pts[0]));
    for (a, b) in pts.windows(2).map(|w| (w[0], w[1])).chain(closing) {
        let (lo, hi) = if a.y <= b.y { (a, b) } else { (b, a) };
        if lo.y <= p.y
            && p.y < hi.y
            && RobustKernel::orient2d(lo, hi, p) == Orientation::CounterClockwise
        {
            odd = !odd;
        }
    }
    odd
}

/// Polygons prepared for many point tests: their non-horizontal edges, oriented upwards and
/// bucketed by latitude band, so a test looks only at the edges of the point's band. Gives
/// exactly the answers of [`polygon_contains`] (same edges, same predicate).
///
/// ```
/// use atlas::join::{polygon_contains, PreparedPolygons};
/// use geo::polygon;
/// let p = polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 2.0, y: 3.0)];
/// let prepared = PreparedPolygons::new(std::slice::from_ref(&p));
/// for (x, y) in [(2.0, 1.0), (0.0, 0.0), (2.0, 3.0), (5.0, 1.0), (1.0, 1.5)] {
///     assert_eq!(prepared.contains(x, y), polygon_contains(std::slice::from_ref(&p), x, y));
/// }
/// ```
#[derive(Debug, Clone)]
pub struct PreparedPolygons {
    y0: f64,
    y1: f64,
    inv_h: f64,
    /// Edge ranges per band (CSR): band `b` holds `edges[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    /// `(low, high)` end points, `low.y <= high.y`.
    edges: Vec<(Coord<f64>, Coord<f64>)>,
}

impl PreparedPolygons {
    /// Prepare the union of `polys` (rings as in [`polygon_contains`]).
    pub fn new(polys: &[Polygon<f64>]) -> Self {
        let mut all = Vec::new();
        for poly in polys {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                let pts = ring.0.as_slice();
                let Some((&first, &last)) = pts.first().zip(pts.last()) else {
                    continue;
                };
                let closing = (last != first).then_some((last, first));
                for (a, b) in pts.windows(2).map(|w| (w[0], w[1])).chain(closing) {
                    let finite =
                        a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite();
                    // Horizontal edges are kept for [`PreparedPolygons::boundary_within`]; the
                    // crossing test never counts them (half-open in y).
                    if finite {
                        all.push(if a.y <= b.y { (a, b) } else { (b, a) });
                    }
                }
            }
        }
        let y0 = all.iter().map(|e| e.0.y).fold(f64::INFINITY, f64::min);
        let y1 = all.iter().map(|e| e.1.y).fold(f64::NEG_INFINITY, f64::max);
        let nb = (all.len() / 4).clamp(1, 1 << 16);
        let h = (y1 - y0) / nb as f64;
        let inv_h = if h > 0.0 && h.is_finite() {
            1.0 / h
        } else {
            0.0
        };
        let mut p = PreparedPolygons {
            y0,
            y1,
            inv_h,
            starts: vec![0; nb + 1],
            edges: Vec::new(),
        };
        for e in &all {
            for b in p.band(e.0.y)..=p.band(e.1.y) {
                p.starts[b + 1] += 1;
            }
        }
        for b in 0..nb {
            p.starts[b + 1] += p.starts[b];
        }
        let mut fill: Vec<u32> = p.starts[..nb].to_vec();
        p.edges = vec![(Coord::zero(), Coord::zero()); p.starts[nb] as usize];
        for e in &all {
            let (b0, b1) = (p.band(e.0.y), p.band(e.1.y));
            for slot in &mut fill[b0..=b1] {
                p.edges[*slot as usize] = *e;
                *slot += 1;
            }
        }
        p
    }

    /// Band of a latitude (monotonic in `y`, so an edge's bands cover every `y` it spans).
    fn band(&self, y: f64) -> usize {
        let last = self.starts.len().saturating_sub(2);
        (((y - self.y0) * self.inv_h) as usize).min(last)
    }

    /// Whether an edge of the rings passes within `tol` (planar degrees) of `(x, y)`.
    pub fn boundary_within(&self, x: f64, y: f64, tol: f64) -> bool {
        if self.edges.is_empty() || !(x.is_finite() && y.is_finite()) {
            return false;
        }
        let (b0, b1) = (self.band(y - tol), self.band(y + tol));
        let (Some(&lo), Some(&hi)) = (self.starts.get(b0), self.starts.get(b1 + 1)) else {
            return false;
        };
        let p = Coord { x, y };
        self.edges
            .get(lo as usize..hi as usize)
            .unwrap_or(&[])
            .iter()
            .any(|&(a, c)| segment_distance(p, a, c) <= tol)
    }

    /// [`polygon_contains`] for the prepared polygons.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        if !(y >= self.y0 && y < self.y1 && x.is_finite()) {
            return false;
        }
        let b = self.band(y);
        let (Some(&lo), Some(&hi)) = (self.starts.get(b), self.starts.get(b + 1)) else {
            return false;
        };
        let p = Coord { x, y };
        let mut odd = false;
        for &(a, c) in self.edges.get(lo as usize..hi as usize).unwrap_or(&[]) {
            if a.y <= y
                && y < c.y
                && RobustKernel::orient2d(a, c, p) == Orientation::CounterClockwise
            {
                odd = !odd;
            }
        }
        odd
    }
}

/// Planar distance in degrees from `p` to the segment `a`–`b`.
pub(crate) fn segment_distance(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.x - (a.x + t * dx)).hypot(p.y - (a.y + t * dy))
}

/// The polygons of a geometry when it is polygonal (Polygon, MultiPolygon, Rect, Triangle).
pub fn polygons_of(g: &Geometry<f64>) -> Option<std::borrow::Cow<'_, [Polygon<f64>]>> {
    use std::borrow::Cow;
    match g {
        Geometry::Polygon(p) => Some(Cow::Borrowed(std::slice::from_ref(p))),
        Geometry::MultiPolygon(m) => Some(Cow::Borrowed(&m.0)),
        Geometry::Rect(r) => Some(Cow::Owned(vec![r.to_polygon()])),
        Geometry::Triangle(t) => Some(Cow::Owned(vec![t.to_polygon()])),
        _ => None,
    }
}

/// A feature's display name: the first of [`NAME_KEYS`] it has as a non-empty string or a number.
pub fn feature_name(f: &LayerFeature) -> Option<String> {
    NAME_KEYS.iter().find_map(|k| match f.properties.get(*k)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// A feature's `id` member as text.
pub fn feature_id_text(f: &LayerFeature) -> Option<String> {
    match f.id.as_ref()? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        v => Some(v.to_string()),
    }
}

#[derive(Default)]
struct Acc {
    count: Vec<u64>,
    fatalities: Vec<u64>,
    unknown: Vec<u64>,
    outside: u64,
    unmapped: u64,
}

/// Count the incidents of `rows` (rows of `store`; deleted rows skipped) in each polygon of
/// `layer`, by the rule in the [module docs](self). `index` must be built from `layer`
/// (a stale index is rebuilt).
pub fn join_counts(
    layer: &Layer,
    index: &LayerIndex,
    store: &IncidentStore,
    rows: &[u32],
) -> JoinTable {
    let rebuilt;
    let index = if index.is_for(layer) {
        index
    } else {
        rebuilt = LayerIndex::build(layer);
        &rebuilt
    };
    let nf = layer.features.len();
    let count_chunk = |chunk: &[u32]| {
        let mut acc = Acc {
            count: vec![0; nf],
            fatalities: vec![0; nf],
            unknown: vec![0; nf],
            ..Acc::default()
        };
        let mut hits: Vec<usize> = Vec::new();
        for &row in chunk {
            let i = row as usize;
            if i >= store.len() || !store.is_live(row) {
                continue;
            }
            let (x, y) = (store.lon[i], store.lat[i]);
            if !(x.is_finite() && y.is_finite()) {
                acc.unmapped += 1;
                continue;
            }
            hits.clear();
            hits.extend(
                index
                    .candidates_at(x, y)
                    .filter(|&f| index.prepared(f).is_some_and(|p| p.contains(x, y))),
            );
            if hits.is_empty() {
                acc.outside += 1;
            }
            let fat = store.fatalities(row);
            for &f in &hits {
                acc.count[f] += 1;
                match fat {
                    Some(v) => acc.fatalities[f] += u64::from(v),
                    None => acc.unknown[f] += 1,
                }
            }
        }
        acc
    };
    let chunk = rows.len().div_ceil(2).max(4096);
    let parts: Vec<Acc> = std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|c| s.spawn(move || count_chunk(c)))
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(a) => a,
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    });
    let mut table = JoinTable::default();
    let mut total = Acc {
        count: vec![0; nf],
        fatalities: vec![0; nf],
        unknown: vec![0; nf],
        ..Acc::default()
    };
    for p in parts {
        for f in 0..nf {
            total.count[f] += p.count[f];
            total.fatalities[f] += p.fatalities[f];
            total.unknown[f] += p.unknown[f];
        }
        table.outside += p.outside;
        table.unmapped += p.unmapped;
    }
    for (f, feat) in layer.features.iter().enumerate() {
        if index.prepared(f).is_none() {
            continue;
        }
        table.rows.push(JoinRow {
            feature: f,
            id: feature_id_text(feat),
            name: feature_name(feat),
            count: total.count[f],
            fatalities: total.fatalities[f],
            unknown_fatalities: total.unknown[f],
        });
    }
    table
}

impl JoinTable {
    /// Write the table as CSV: `feature,id,name,count,fatalities,unknown_fatalities`.
    ///
    /// ```
    /// use atlas::join::{JoinRow, JoinTable};
    /// let t = JoinTable { rows: vec![JoinRow { feature: 0, id: None, name: Some("Khyber, upper".into()), count: 3, fatalities: 5, unknown_fatalities: 1 }], outside: 0, unmapped: 0 };
    /// let mut out = Vec::new();
    /// t.to_csv(&mut out).unwrap();
    /// assert_eq!(String::from_utf8(out).unwrap(), "feature,id,name,count,fatalities,unknown_fatalities\n0,,\"Khyber, upper\",3,5,1\n");
    /// ```
    pub fn to_csv<W: std::io::Write>(&self, out: W) -> Result<(), JoinError> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "feature",
            "id",
            "name",
            "count",
            "fatalities",
            "unknown_fatalities",
        ])?;
        for r in &self.rows {
            w.write_record([
                r.feature.to_string().as_str(),
                r.id.as_deref().unwrap_or(""),
                r.name.as_deref().unwrap_or(""),
                &r.count.to_string(),
                &r.fatalities.to_string(),
                &r.unknown_fatalities.to_string(),
            ])?;
        }
        w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn shared_edges_and_vertices_of_a_grid_count_once() {
        // A 3×3 grid of unit squares, in mixed ring orientations.
        let mut polys = Vec::new();
        for i in 0..3 {
            for j in 0..3 {
                let (x, y) = (i as f64, j as f64);
                let p = polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)];
                polys.push(if (i + j) % 2 == 0 { p } else { polygon![(x: x, y: y), (x: x, y: y + 1.0), (x: x + 1.0, y: y + 1.0), (x: x + 1.0, y: y)] });
            }
        }
        for k in 0..=12 {
            for l in 0..=12 {
                let (x, y) = (k as f64 * 0.25, l as f64 * 0.25);
                let n = polys
                    .iter()
                    .filter(|p| polygon_contains(std::slice::from_ref(*p), x, y))
                    .count();
                let interior = x < 3.0 && y < 3.0;
                assert_eq!(n, usize::from(interior), "at {x},{y}");
            }
        }
    }
}
