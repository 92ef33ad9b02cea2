//! Vector tiles of a researcher's [`Layer`] (any GeoJSON geometry), for the map.
//!
//! [`LayerTiles`] is built once per layer: an R-tree over the feature envelopes
//! ([`LayerIndex`]), every line and polygon projected to Web Mercator once, and the layer's
//! points clustered with supercluster semantics ([`ClusterIndex`], radius 50, up to zoom 14).
//! [`LayerTiles::tile`] then writes three MVT layers:
//! - [`FEATURES_LAYER`] (`"features"`): lines and polygons whose envelope meets the tile plus
//!   its buffer, clipped and simplified by [`TileBuilder`], feature id = `fid`;
//! - [`POINTS_LAYER`] (`"points"`): points not clustered at this zoom, feature id = `fid`;
//! - [`CLUSTERS_LAYER`] (`"point_clusters"`): clusters with `cluster` = true, `cluster_id`
//!   (also the feature id), `point_count`, `point_count_abbreviated` and `expansion_zoom`.
//!
//! Lines and points carry `fid` (the feature's index in the layer, UInt), the feature's own
//! properties ([`property_value`]: strings as they are, numbers as Int/UInt/Double, booleans,
//! nested objects and arrays as their JSON text cut to [`MAX_JSON_BYTES`]; nulls left out;
//! keys cut to [`MAX_KEY_BYTES`]; at most [`MAX_PROPERTIES`] of them), then the caller's
//! extra columns (indexed by fid, Double, non-finite values left out), which win over a
//! property of the same name. Members of a GeometryCollection go to the layer of their
//! kind under the collection's fid; a MultiPoint gives one point per member; features
//! without a geometry are not drawn.
//!
//! ```
//! use atlas::layer_tiles::LayerTiles;
//! use atlas::model::{Layer, LayerFeature};
//! use atlas::tiles::{decode_tile, OwnedValue, TileId};
//! use geo::{polygon, Geometry, Point};
//! let feature = |g: Geometry<f64>, name: &str| LayerFeature {
//!     id: None,
//!     geometry: Some(g),
//!     properties: serde_json::json!({ "name": name }).as_object().unwrap().clone(),
//! };
//! let layer = Layer {
//!     name: "districts".into(),
//!     features: vec![
//!         feature(polygon![(x: 69.0, y: 34.0), (x: 70.0, y: 34.0), (x: 70.0, y: 35.0)].into(), "Nangarhar"),
//!         feature(Point::new(69.2, 34.5).into(), "Torkham"),
//!     ],
//! };
//! let tiles = LayerTiles::new(&layer).unwrap();
//! let counts = [12.0, f64::NAN];
//! let bytes = tiles.tile(&layer, TileId::new(5, 22, 12).unwrap(), &[("incidents", &counts)]).unwrap();
//! let layers = decode_tile(&bytes).unwrap();
//! let polys = &layers[0];
//! assert_eq!((polys.name.as_str(), polys.features[0].geom_type), ("features", 3));
//! assert_eq!(polys.features[0].prop("fid"), Some(&OwnedValue::UInt(0)));
//! assert_eq!(polys.features[0].prop("incidents"), Some(&OwnedValue::Double(12.0)));
//! assert_eq!(layers[1].name, "points");
//! assert_eq!(layers[1].features[0].prop("name"), Some(&OwnedValue::Str("Torkham".into())));
//! assert_eq!(layers[1].features[0].prop("incidents"), None);
//! ```

use crate::cluster::{ClusterIndex, ClusterOptions, ClusterOrPoint};
use crate::incident_tiles::{add_cluster, map_cluster_options, ClusterFeature};
use crate::layer_index::LayerIndex;
use crate::model::{Layer, LayerFeature};
use crate::tiles::{world_xy, TileBuilder, TileError, TileId, Value, BUFFER, EXTENT};
use geo::{Coord, Geometry, LineString, Polygon};

/// MVT layer of lines and polygons.
pub const FEATURES_LAYER: &str = "features";
/// MVT layer of unclustered points.
pub const POINTS_LAYER: &str = "points";
/// MVT layer of point clusters.
pub const CLUSTERS_LAYER: &str = "point_clusters";
/// At most this many of a feature's own properties are written.
pub const MAX_PROPERTIES: usize = 64;
/// Property keys are cut to this many bytes (at a character boundary).
pub const MAX_KEY_BYTES: usize = 64;
/// Nested property values are written as JSON text cut to this many bytes.
pub const MAX_JSON_BYTES: usize = 256;

/// Positions in Web Mercator world coordinates ([`world_xy`]).
type World = Vec<(f64, f64)>;

/// A feature's lines and polygons in world coordinates.
#[derive(Debug, Default, Clone)]
struct Shapes {
    lines: Vec<World>,
    polygons: Vec<Vec<World>>,
}

/// A layer prepared for tiling (see the module docs).
#[derive(Debug)]
pub struct LayerTiles {
    index: LayerIndex,
    shapes: Vec<Shapes>,
    clusters: Option<ClusterIndex>,
    /// Cluster input row → feature index.
    point_fid: Vec<usize>,
    features: usize,
}

/// Options of the point clustering: the map's (see [`map_cluster_options`]).
pub fn cluster_options() -> ClusterOptions {
    map_cluster_options()
}

fn world(pts: &[Coord<f64>]) -> World {
    pts.iter()
        .filter(|c| c.x.is_finite() && c.y.is_finite())
        .map(|c| world_xy(c.x, c.y))
        .collect()
}

fn world_polygon(p: &Polygon<f64>) -> Vec<World> {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|r: &LineString<f64>| world(&r.0))
        .collect()
}

/// Points of the layer (lon, lat, feature index) for clustering.
#[derive(Default)]
struct Points {
    lon: Vec<f64>,
    lat: Vec<f64>,
    fid: Vec<usize>,
}

impl Points {
    fn push(&mut self, c: Coord<f64>, fid: usize) {
        if c.x.is_finite() && c.y.is_finite() {
            self.lon.push(c.x);
            self.lat.push(c.y);
            self.fid.push(fid);
        }
    }
}

fn collect(g: &Geometry<f64>, fid: usize, s: &mut Shapes, pts: &mut Points) {
    match g {
        Geometry::Point(p) => pts.push(p.0, fid),
        Geometry::MultiPoint(m) => m.iter().for_each(|p| pts.push(p.0, fid)),
        Geometry::Line(l) => s.lines.push(world(&[l.start, l.end])),
        Geometry::LineString(ls) => s.lines.push(world(&ls.0)),
        Geometry::MultiLineString(m) => s.lines.extend(m.iter().map(|ls| world(&ls.0))),
        Geometry::Polygon(p) => s.polygons.push(world_polygon(p)),
        Geometry::MultiPolygon(m) => s.polygons.extend(m.iter().map(world_polygon)),
        Geometry::Rect(r) => s.polygons.push(world_polygon(&r.to_polygon())),
        Geometry::Triangle(t) => s.polygons.push(world_polygon(&t.to_polygon())),
        Geometry::GeometryCollection(c) => c.iter().for_each(|g| collect(g, fid, s, pts)),
    }
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    s.get(..i).unwrap_or("")
}

/// The MVT value of a scalar JSON property (`None` for null, nested values and numbers
/// that are not finite). Strings are passed through byte for byte.
///
/// ```
/// use atlas::layer_tiles::property_value;
/// use atlas::tiles::Value;
/// assert_eq!(property_value(&serde_json::json!("<script>")), Some(Value::Str("<script>")));
/// assert_eq!(property_value(&serde_json::json!(-3)), Some(Value::Int(-3)));
/// assert_eq!(property_value(&serde_json::json!(2.5)), Some(Value::Double(2.5)));
/// assert_eq!(property_value(&serde_json::json!([1, 2])), None);
/// ```
pub fn property_value(v: &serde_json::Value) -> Option<Value<'_>> {
    use serde_json::Value as J;
    match v {
        J::String(s) => Some(Value::Str(s)),
        J::Bool(b) => Some(Value::Bool(*b)),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(Value::Int(i))
            } else if let Some(u) = n.as_u64() {
                Some(Value::UInt(u))
            } else {
                n.as_f64().filter(|f| f.is_finite()).map(Value::Double)
            }
        }
        J::Null | J::Array(_) | J::Object(_) => None,
    }
}

/// The tags of feature `fid` (see the module docs). `texts` holds the JSON texts of
/// nested values.
fn tags<'a>(
    fid: usize,
    f: &'a LayerFeature,
    extra: &[(&'a str, &'a [f64])],
    texts: &'a mut Vec<String>,
) -> Vec<(&'a str, Value<'a>)> {
    let wanted = |k: &str| k != "fid" && extra.iter().all(|(e, _)| *e != k);
    texts.clear();
    for (k, v) in f.properties.iter().take(4 * MAX_PROPERTIES) {
        if matches!(
            v,
            serde_json::Value::Array(_) | serde_json::Value::Object(_)
        ) && wanted(k)
        {
            let mut t = serde_json::to_string(v).unwrap_or_default();
            let n = cut(&t, MAX_JSON_BYTES).len();
            t.truncate(n);
            texts.push(t);
        }
    }
    let texts: &'a Vec<String> = texts;
    let mut out: Vec<(&'a str, Value<'a>)> =
        Vec::with_capacity(1 + f.properties.len().min(MAX_PROPERTIES) + extra.len());
    out.push(("fid", Value::UInt(fid as u64)));
    let (mut own, mut nested) = (0, 0);
    for (k, v) in f.properties.iter().take(4 * MAX_PROPERTIES) {
        if own == MAX_PROPERTIES {
            break;
        }
        if !wanted(k) {
            continue;
        }
        let value = match v {
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                nested += 1;
                match texts.get(nested - 1) {
                    Some(t) => Value::Str(t),
                    None => continue,
                }
            }
            _ => match property_value(v) {
                Some(v) => v,
                None => continue,
            },
        };
        let key = cut(k, MAX_KEY_BYTES);
        // Two long keys may be cut to the same prefix: the first wins.
        if key.len() < k.len() && out.iter().any(|(o, _)| *o == key) {
            continue;
        }
        out.push((key, value));
        own += 1;
    }
    for (name, col) in extra {
        if let Some(&v) = col.get(fid) {
            if v.is_finite() {
                out.push((name, Value::Double(v)));
            }
        }
    }
    out
}

impl LayerTiles {
    /// Prepare `layer` for tiling: index, projected shapes, point clusters.
    pub fn new(layer: &Layer) -> Result<LayerTiles, TileError> {
        let mut pts = Points::default();
        let shapes: Vec<Shapes> = layer
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut s = Shapes::default();
                if let Some(g) = &f.geometry {
                    collect(g, i, &mut s, &mut pts);
                }
                s
            })
            .collect();
        let clusters = if pts.lon.is_empty() {
            None
        } else {
            let rows: Vec<u32> = (0..pts.lon.len() as u32).collect();
            Some(ClusterIndex::build(
                &pts.lon,
                &pts.lat,
                &rows,
                &cluster_options(),
            )?)
        };
        Ok(LayerTiles {
            index: LayerIndex::build(layer),
            shapes,
            clusters,
            point_fid: pts.fid,
            features: layer.features.len(),
        })
    }

    /// The R-tree over the layer's feature envelopes (for hit tests and joins).
    pub fn index(&self) -> &LayerIndex {
        &self.index
    }

    /// Number of points clustered (members of MultiPoints counted one by one).
    pub fn num_points(&self) -> usize {
        self.point_fid.len()
    }

    /// The tile's bytes (see the module docs); `layer` must be the layer this was built
    /// from, and each extra column is indexed by feature (shorter columns are allowed).
    pub fn tile(
        &self,
        layer: &Layer,
        tile: TileId,
        extra: &[(&str, &[f64])],
    ) -> Result<Vec<u8>, TileError> {
        if layer.features.len() != self.features {
            return Err(TileError::LayerMismatch {
                built: self.features,
                given: layer.features.len(),
            });
        }
        let bbox = tile.bounds_buffered(BUFFER as f64 / EXTENT as f64);
        let mut b = TileBuilder::new(tile);
        let fl = b.layer(FEATURES_LAYER);
        let mut ids: Vec<usize> = self
            .index
            .candidates(bbox)
            .filter(|&i| {
                self.shapes
                    .get(i)
                    .is_some_and(|s| !s.lines.is_empty() || !s.polygons.is_empty())
            })
            .collect();
        ids.sort_unstable();
        let mut texts = Vec::new();
        for fid in ids {
            let (Some(f), Some(s)) = (layer.features.get(fid), self.shapes.get(fid)) else {
                continue;
            };
            let t = tags(fid, f, extra, &mut texts);
            let id = Some(fid as u64);
            if !s.lines.is_empty() {
                b.add_world_lines(fl, id, s.lines.iter().map(|l| l.as_slice()), &t);
            }
            if !s.polygons.is_empty() {
                b.add_world_polygons(fl, id, s.polygons.iter().map(|p| p.as_slice()), &t);
            }
        }
        if let Some(ci) = &self.clusters {
            let pl = b.layer(POINTS_LAYER);
            let cl = b.layer(CLUSTERS_LAYER);
            for item in ci.clusters(bbox, tile.z as f64) {
                match item {
                    ClusterOrPoint::Cluster {
                        id,
                        count,
                        lon,
                        lat,
                        expansion_zoom,
                        ..
                    } => add_cluster(
                        &mut b,
                        cl,
                        ClusterFeature {
                            id,
                            count,
                            lon,
                            lat,
                            expansion_zoom,
                            fatalities: None,
                        },
                    ),
                    ClusterOrPoint::Point { row, lon, lat, .. } => {
                        let Some(&fid) = self.point_fid.get(row as usize) else {
                            continue;
                        };
                        let Some(f) = layer.features.get(fid) else {
                            continue;
                        };
                        let t = tags(fid, f, extra, &mut texts);
                        b.add_point(pl, Some(fid as u64), lon, lat, &t);
                    }
                }
            }
        }
        Ok(b.encode())
    }
}

#[cfg(test)]
mod tests;
