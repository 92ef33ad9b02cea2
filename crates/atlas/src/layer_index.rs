//! An R-tree over the envelopes of a [`Layer`]'s features: hit-testing (what is under
//! the pointer) and the candidate search of spatial joins ([`crate::join`]).
//!
//! Distances and tolerances are planar, in degrees of longitude/latitude, as on the
//! screen of an equirectangular or Web-Mercator map at a given zoom (the caller turns
//! pixels into degrees). A feature is hit at `(lon, lat)` with tolerance `tol` when
//! - a Point / MultiPoint: one of its points is within `tol`;
//! - a Line / LineString / MultiLineString: one of its segments passes within `tol`;
//! - a Polygon / MultiPolygon / Rect / Triangle: it contains the point by the join rule of
//!   [`crate::join::polygon_contains`] (holes are not part of it), or its boundary passes
//!   within `tol`;
//! - a GeometryCollection: one of its members is hit.
//!
//! Features without a geometry, or whose coordinates are not finite, are not indexed.
//!
//! ```
//! use atlas::layer_index::LayerIndex;
//! use atlas::model::{Layer, LayerFeature};
//! use geo::{polygon, Geometry, Point};
//! let feature = |g: Geometry<f64>| LayerFeature { id: None, geometry: Some(g), properties: Default::default() };
//! let layer = Layer {
//!     name: "synthetic".into(),
//!     features: vec![
//!         feature(polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)].into()),
//!         feature(Point::new(1.0, 1.05).into()),
//!     ],
//! };
//! let idx = LayerIndex::build(&layer);
//! assert_eq!(idx.hit(&layer, 1.0, 1.0, 0.1), vec![0, 1]);
//! assert_eq!(idx.hit(&layer, 1.0, 1.0, 0.01), vec![0]);
//! assert!(idx.hit(&layer, 5.0, 5.0, 0.1).is_empty());
//! ```

use crate::join::{polygon_contains, polygons_of, segment_distance, PreparedPolygons};
use crate::model::Layer;
use geo::{BoundingRect, Coord, Geometry, LineString};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// R-tree over the envelopes of a layer's features (by feature index).
#[derive(Debug, Clone, Default)]
pub struct LayerIndex {
    tree: RTree<Entry>,
    /// Number of features of the layer at build time.
    features: usize,
    /// Per feature: its polygons prepared for point tests, when it is polygonal.
    prepared: Vec<Option<PreparedPolygons>>,
}

/// The envelope `[west, south, east, north]` of a geometry, if it has finite coordinates.
pub fn envelope(g: &Geometry<f64>) -> Option<[f64; 4]> {
    let r = g.bounding_rect()?;
    let b = [r.min().x, r.min().y, r.max().x, r.max().y];
    b.iter().all(|v| v.is_finite()).then_some(b)
}

impl LayerIndex {
    /// Bulk-load the envelopes of the features of `layer`.
    pub fn build(layer: &Layer) -> Self {
        let items: Vec<Entry> = layer
            .features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let b = envelope(f.geometry.as_ref()?)?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                    i as u32,
                ))
            })
            .collect();
        let prepared = layer
            .features
            .iter()
            .map(|f| {
                let polys = polygons_of(f.geometry.as_ref()?)?;
                Some(PreparedPolygons::new(&polys))
            })
            .collect();
        LayerIndex {
            tree: RTree::bulk_load(items),
            features: layer.features.len(),
            prepared,
        }
    }

    /// Number of indexed features.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Whether the index was built for a layer with this many features.
    pub fn is_for(&self, layer: &Layer) -> bool {
        self.features == layer.features.len()
    }

    /// The prepared polygons of feature `i`, when it is polygonal (Polygon, MultiPolygon,
    /// Rect, Triangle).
    pub fn prepared(&self, i: usize) -> Option<&PreparedPolygons> {
        self.prepared.get(i)?.as_ref()
    }

    /// Feature indexes whose envelope intersects the closed box `[west, south, east, north]`
    /// (unordered).
    pub fn candidates(&self, bbox: [f64; 4]) -> impl Iterator<Item = usize> + '_ {
        let aabb = AABB::from_corners([bbox[0], bbox[1]], [bbox[2], bbox[3]]);
        self.tree
            .locate_in_envelope_intersecting(&aabb)
            .map(|e| e.data as usize)
    }

    /// Feature indexes whose envelope contains the point (unordered).
    pub fn candidates_at(&self, lon: f64, lat: f64) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_all_at_point(&[lon, lat])
            .map(|e| e.data as usize)
    }

    /// Features of `layer` hit at `(lon, lat)` with tolerance `tol` degrees (see the module
    /// docs), ascending. `layer` must be the layer the index was built from; features it
    /// does not have are ignored.
    pub fn hit(&self, layer: &Layer, lon: f64, lat: f64, tol: f64) -> Vec<usize> {
        if !(lon.is_finite() && lat.is_finite()) {
            return Vec::new();
        }
        let tol = if tol.is_finite() { tol.max(0.0) } else { 0.0 };
        let p = Coord { x: lon, y: lat };
        let mut out: Vec<usize> = self
            .candidates([lon - tol, lat - tol, lon + tol, lat + tol])
            .filter(|&i| {
                let Some(g) = layer.features.get(i).and_then(|f| f.geometry.as_ref()) else {
                    return false;
                };
                match self.prepared(i) {
                    Some(prep) => prep.contains(lon, lat) || prep.boundary_within(lon, lat, tol),
                    None => geometry_hit(g, p, tol),
                }
            })
            .collect();
        out.sort_unstable();
        out
    }
}

fn line_within(ls: &LineString<f64>, p: Coord<f64>, tol: f64) -> bool {
    match ls.0.as_slice() {
        [] => false,
        [only] => (only.x - p.x).hypot(only.y - p.y) <= tol,
        pts => pts
            .windows(2)
            .any(|w| segment_distance(p, w[0], w[1]) <= tol),
    }
}

fn polygon_hit(poly: &geo::Polygon<f64>, p: Coord<f64>, tol: f64) -> bool {
    polygon_contains(std::slice::from_ref(poly), p.x, p.y)
        || std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .any(|r| line_within(r, p, tol))
}

/// Whether geometry `g` is hit at `p` with tolerance `tol` (see the module docs).
pub fn geometry_hit(g: &Geometry<f64>, p: Coord<f64>, tol: f64) -> bool {
    let near = |c: Coord<f64>| (c.x - p.x).hypot(c.y - p.y) <= tol;
    match g {
        Geometry::Point(q) => near(q.0),
        Geometry::MultiPoint(m) => m.iter().any(|q| near(q.0)),
        Geometry::Line(l) => segment_distance(p, l.start, l.end) <= tol,
        Geometry::LineString(ls) => line_within(ls, p, tol),
        Geometry::MultiLineString(m) => m.iter().any(|ls| line_within(ls, p, tol)),
        Geometry::Polygon(poly) => polygon_hit(poly, p, tol),
        Geometry::MultiPolygon(m) => {
            polygon_contains(&m.0, p.x, p.y)
                || m.iter().any(|poly| {
                    std::iter::once(poly.exterior())
                        .chain(poly.interiors())
                        .any(|r| line_within(r, p, tol))
                })
        }
        Geometry::Rect(r) => polygon_hit(&r.to_polygon(), p, tol),
        Geometry::Triangle(t) => polygon_hit(&t.to_polygon(), p, tol),
        Geometry::GeometryCollection(c) => c.iter().any(|g| geometry_hit(g, p, tol)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LayerFeature;
    use geo::{line_string, polygon, Point};

    fn layer(gs: Vec<Option<Geometry<f64>>>) -> Layer {
        Layer {
            name: "t".into(),
            features: gs
                .into_iter()
                .map(|geometry| LayerFeature {
                    id: None,
                    geometry,
                    properties: Default::default(),
                })
                .collect(),
        }
    }

    #[test]
    fn lines_points_holes_and_null_geometries() {
        let donut = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0)]],
        );
        let l = layer(vec![
            Some(donut.into()),
            None,
            Some(line_string![(x: 0.0, y: 5.0), (x: 10.0, y: 5.0)].into()),
            Some(Point::new(f64::NAN, 1.0).into()),
            Some(Point::new(20.0, 20.0).into()),
        ]);
        let idx = LayerIndex::build(&l);
        assert_eq!(idx.len(), 3);
        // In the hole: only the line crosses there.
        assert_eq!(idx.hit(&l, 5.0, 5.0, 0.0), vec![2]);
        assert_eq!(idx.hit(&l, 5.0, 5.05, 0.1), vec![2]);
        // In the hole but near its rim: the polygon's boundary is within tolerance.
        assert_eq!(idx.hit(&l, 5.0, 5.95, 0.1), vec![0]);
        assert_eq!(idx.hit(&l, 2.0, 2.0, 0.0), vec![0]);
        assert_eq!(idx.hit(&l, 20.05, 20.0, 0.1), vec![4]);
        assert!(idx.hit(&l, 20.2, 20.0, 0.1).is_empty());
        assert!(idx.hit(&l, f64::NAN, 0.0, 1.0).is_empty());
    }

    #[test]
    fn hits_match_a_scan_of_every_feature() {
        let mut gs = Vec::new();
        for i in 0..40 {
            let x = (i % 8) as f64 * 1.5;
            let y = (i / 8) as f64 * 1.5;
            gs.push(Some(match i % 3 {
                0 => Point::new(x, y).into(),
                1 => line_string![(x: x, y: y), (x: x + 2.0, y: y + 1.0)].into(),
                _ => polygon![(x: x, y: y), (x: x + 2.0, y: y), (x: x + 1.0, y: y + 2.0)].into(),
            }));
        }
        let l = layer(gs);
        let idx = LayerIndex::build(&l);
        for k in 0..400 {
            let (x, y) = ((k % 20) as f64 * 0.61, (k / 20) as f64 * 0.43);
            let scan: Vec<usize> = (0..l.features.len())
                .filter(|&i| {
                    geometry_hit(
                        l.features[i].geometry.as_ref().unwrap(),
                        Coord { x, y },
                        0.2,
                    )
                })
                .collect();
            assert_eq!(idx.hit(&l, x, y, 0.2), scan, "at {x},{y}");
        }
    }
}
