//! The reference layers drawn under the incidents: countries, provinces, rivers, the
//! border, crossings and places, read from GeoJSON (the bundled `data/` set or any file).

use super::ExportError;
use serde_json::{Map, Value};
use std::path::Path;

/// A `[lon, lat]` position.
pub type Pos = [f64; 2];

/// Geometry reduced to what the page draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shapes {
    /// Polygon rings (outer and holes; drawn with the even-odd rule).
    pub rings: Vec<Vec<Pos>>,
    /// Line strings.
    pub lines: Vec<Vec<Pos>>,
    /// Points.
    pub points: Vec<Pos>,
    /// Names of area features with the range of [`Shapes::rings`] each covers (for labels).
    pub names: Vec<(String, std::ops::Range<usize>)>,
}

impl Shapes {
    pub fn is_empty(&self) -> bool {
        self.rings.is_empty() && self.lines.is_empty() && self.points.is_empty()
    }
    /// `[west, south, east, north]` of everything, if anything.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let all = self
            .rings
            .iter()
            .chain(&self.lines)
            .flatten()
            .chain(&self.points);
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for p in all {
            b = [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ];
        }
        (b[0] <= b[2]).then_some(b)
    }
}

/// A named point (a place or a crossing).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPoint {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    /// Higher is more important: population for places; crossings keep file order.
    pub priority: f64,
}

/// Every reference layer. Any of them may be empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BaseLayers {
    /// Afghanistan and Pakistan.
    pub countries: Shapes,
    /// The countries around them.
    pub neighbours: Shapes,
    pub provinces: Shapes,
    pub province_lines: Shapes,
    pub rivers: Shapes,
    /// The Afghanistan–Pakistan border (Durand Line) as the app uses it.
    pub border: Shapes,
    /// Natural Earth's version of the line, for comparison (drawn only when present).
    pub border_ne: Shapes,
    pub places: Vec<NamedPoint>,
    pub crossings: Vec<NamedPoint>,
}

/// Files of the bundled data set, as `(file name, layer)`.
pub const BUNDLED_FILES: [&str; 9] = [
    "countries.geojson",
    "neighbours.geojson",
    "provinces.geojson",
    "province-lines.geojson",
    "rivers.geojson",
    "border.geojson",
    "border-ne.geojson",
    "places.geojson",
    "crossings.geojson",
];

impl BaseLayers {
    /// Read the bundled layer files from a `data/` directory; missing files give empty layers.
    ///
    /// ```
    /// let layers = atlas::export::BaseLayers::load_dir("/nonexistent".as_ref()).unwrap();
    /// assert!(layers.border.is_empty());
    /// ```
    pub fn load_dir(dir: &Path) -> Result<BaseLayers, ExportError> {
        let mut out = BaseLayers::default();
        for name in BUNDLED_FILES {
            let path = dir.join(name);
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    return Err(ExportError::Io {
                        path: path.display().to_string(),
                        source,
                    })
                }
            };
            out.set(name, &text, &path.display().to_string())?;
        }
        Ok(out)
    }

    /// The layers compiled into the engine ([`crate::bundled`]).
    ///
    /// ```
    /// let layers = atlas::export::BaseLayers::bundled().unwrap();
    /// assert!(!layers.border.is_empty() && !layers.crossings.is_empty());
    /// ```
    pub fn bundled() -> Result<BaseLayers, ExportError> {
        let mut out = BaseLayers::default();
        for name in BUNDLED_FILES {
            let stem = name.trim_end_matches(".geojson");
            if let Some(bytes) = crate::bundled::layer(stem) {
                let text = std::str::from_utf8(bytes).map_err(|e| ExportError::Layer {
                    file: format!("data/{name}"),
                    message: e.to_string(),
                })?;
                out.set(name, text, &format!("data/{name}"))?;
            }
        }
        Ok(out)
    }

    /// Set one layer from GeoJSON text; `name` is one of [`BUNDLED_FILES`].
    ///
    /// ```
    /// let mut layers = atlas::export::BaseLayers::default();
    /// let border = r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[66.4,30.9],[71.1,34.1]]}}"#;
    /// layers.set("border.geojson", border, "border.geojson").unwrap();
    /// assert_eq!(layers.border.lines.len(), 1);
    /// ```
    pub fn set(&mut self, name: &str, geojson: &str, file: &str) -> Result<(), ExportError> {
        let features = parse_features(geojson, file)?;
        match name {
            "places.geojson" => self.places = named_points(&features, true),
            "crossings.geojson" => self.crossings = named_points(&features, false),
            _ => {
                let mut shapes = Shapes::default();
                for (geometry, props) in &features {
                    let start = shapes.rings.len();
                    add_geometry(&mut shapes, geometry);
                    let end = shapes.rings.len();
                    if let (true, Some(name)) = (
                        end > start,
                        prop_str(
                            props,
                            &["name_en", "NAME_EN", "name", "NAME", "ADMIN", "admin"],
                        ),
                    ) {
                        shapes.names.push((name.to_string(), start..end));
                    }
                }
                let slot = match name {
                    "countries.geojson" => &mut self.countries,
                    "neighbours.geojson" => &mut self.neighbours,
                    "provinces.geojson" => &mut self.provinces,
                    "province-lines.geojson" => &mut self.province_lines,
                    "rivers.geojson" => &mut self.rivers,
                    "border.geojson" => &mut self.border,
                    "border-ne.geojson" => &mut self.border_ne,
                    _ => {
                        return Err(ExportError::Layer {
                            file: file.into(),
                            message: format!("unknown layer {name:?}"),
                        })
                    }
                };
                *slot = shapes;
            }
        }
        Ok(())
    }

    /// The extent of the border line, padded by a quarter degree: the default frame.
    pub fn border_frame(&self) -> Option<[f64; 4]> {
        self.border
            .bbox()
            .map(|[w, s, e, n]| [w - 0.25, s - 0.25, e + 0.25, n + 0.25])
    }
}

type Feature = (Value, Map<String, Value>);

/// Features of a FeatureCollection, a Feature or a bare geometry, as (geometry, properties).
fn parse_features(text: &str, file: &str) -> Result<Vec<Feature>, ExportError> {
    let err = |message: String| ExportError::Layer {
        file: file.into(),
        message,
    };
    let root: Value = serde_json::from_str(text).map_err(|e| err(e.to_string()))?;
    let kind = root.get("type").and_then(Value::as_str).unwrap_or("");
    let take = |f: &Value| -> Feature {
        (
            f.get("geometry").cloned().unwrap_or(Value::Null),
            f.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        )
    };
    match kind {
        "FeatureCollection" => Ok(root
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| err("FeatureCollection without a features array".into()))?
            .iter()
            .map(take)
            .collect()),
        "Feature" => Ok(vec![take(&root)]),
        "" => Err(err("not GeoJSON: no \"type\"".into())),
        _ => Ok(vec![(root, Map::new())]),
    }
}

fn pos(v: &Value) -> Option<Pos> {
    let a = v.as_array()?;
    let lon = a.first()?.as_f64()?;
    let lat = a.get(1)?.as_f64()?;
    (lon.is_finite() && lat.is_finite()).then_some([lon, lat])
}

fn line(v: &Value) -> Vec<Pos> {
    v.as_array()
        .map(|a| a.iter().filter_map(pos).collect())
        .unwrap_or_default()
}

fn arrays(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// Add a GeoJSON geometry; malformed parts are skipped (reference layers are ours).
fn add_geometry(out: &mut Shapes, g: &Value) {
    let coords = g.get("coordinates").unwrap_or(&Value::Null);
    match g.get("type").and_then(Value::as_str).unwrap_or("") {
        "Point" => out.points.extend(pos(coords)),
        "MultiPoint" => out.points.extend(arrays(coords).iter().filter_map(pos)),
        "LineString" => out.lines.push(line(coords)),
        "MultiLineString" => out.lines.extend(arrays(coords).iter().map(line)),
        "Polygon" => out.rings.extend(arrays(coords).iter().map(line)),
        "MultiPolygon" => {
            for poly in arrays(coords) {
                out.rings.extend(arrays(poly).iter().map(line));
            }
        }
        "GeometryCollection" => {
            for g in arrays(g.get("geometries").unwrap_or(&Value::Null)) {
                add_geometry(out, g);
            }
        }
        _ => {}
    }
    out.lines.retain(|l| l.len() >= 2);
    out.rings.retain(|r| r.len() >= 3);
}

fn prop_str<'a>(p: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| p.get(*k).and_then(Value::as_str))
        .filter(|s| !s.trim().is_empty())
}

fn named_points(features: &[Feature], by_population: bool) -> Vec<NamedPoint> {
    let n = features.len() as f64;
    features
        .iter()
        .enumerate()
        .filter_map(|(i, (g, p))| {
            let mut s = Shapes::default();
            add_geometry(&mut s, g);
            let [lon, lat] = *s.points.first()?;
            let name = prop_str(p, &["name", "name_en", "asciiname", "label"])?.to_string();
            let priority = if by_population {
                p.get("population")
                    .and_then(Value::as_f64)
                    .or_else(|| p.get("rank").and_then(Value::as_f64).map(|r| -r))
                    .unwrap_or(0.0)
            } else {
                n - i as f64
            };
            Some(NamedPoint {
                name,
                lon,
                lat,
                priority,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_geometry_kinds_and_points() {
        let mut l = BaseLayers::default();
        let polys = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[60,29],[61,29],[61,30],[60,29]]],[[[62,29],[63,29],[63,30],[62,29]],[[62.2,29.1],[62.5,29.1],[62.5,29.4],[62.2,29.1]]]]}},
          {"type":"Feature","properties":{},"geometry":null}]}"#;
        l.set("countries.geojson", polys, "c").unwrap();
        assert_eq!(l.countries.rings.len(), 3);
        let places = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Peshawar","population":1970042},"geometry":{"type":"Point","coordinates":[71.57,34.01]}},
          {"type":"Feature","properties":{"name":""},"geometry":{"type":"Point","coordinates":[70,33]}}]}"#;
        l.set("places.geojson", places, "p").unwrap();
        assert_eq!(l.places.len(), 1);
        assert_eq!(l.places[0].priority, 1970042.0);
        assert!(matches!(
            l.set("rivers.geojson", "{", "r"),
            Err(ExportError::Layer { .. })
        ));
        assert!(matches!(
            l.set("roads.geojson", polys, "x"),
            Err(ExportError::Layer { .. })
        ));
    }
}
