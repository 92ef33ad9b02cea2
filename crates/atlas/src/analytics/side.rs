//! Which country a location is in: Afghanistan, Pakistan or neither, from the bundled
//! country polygons, by even-odd ray casting over only the edges of the location's
//! latitude band (bands of 0.02°), so a test costs a few hundred edge checks instead of
//! tens of thousands.
//!
//! ```
//! use atlas::analytics::{CountryIndex, Side};
//! let c = CountryIndex::bundled().unwrap();
//! assert_eq!(c.side(69.17, 34.53), Side::Afghanistan);   // Kabul
//! assert_eq!(c.side(71.57, 34.01), Side::Pakistan);      // Peshawar
//! assert_eq!(c.side(59.6, 36.3), Side::Other);           // Mashhad, Iran
//! ```

use serde::Serialize;

/// The side of the border a location is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Afghanistan,
    Pakistan,
    /// In neither country (Iran, India, China, …).
    Other,
    /// No location.
    #[default]
    Unknown,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Afghanistan => "Afghanistan",
            Side::Pakistan => "Pakistan",
            Side::Other => "other",
            Side::Unknown => "unknown",
        }
    }
}

const BAND: f64 = 0.02;

/// Polygon edges bucketed by latitude band.
#[derive(Debug, Clone)]
struct BandedPolygon {
    lat0: f64,
    bbox: [f64; 4],
    /// Per band: edges `[x1, y1, x2, y2]` overlapping the band.
    bands: Vec<Vec<[f64; 4]>>,
}

impl BandedPolygon {
    fn new(rings: &[Vec<[f64; 2]>]) -> Option<Self> {
        let mut bbox = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for r in rings {
            for p in r {
                bbox = [
                    bbox[0].min(p[0]),
                    bbox[1].min(p[1]),
                    bbox[2].max(p[0]),
                    bbox[3].max(p[1]),
                ];
            }
        }
        if !bbox[0].is_finite() {
            return None;
        }
        let n = (((bbox[3] - bbox[1]) / BAND).ceil() as usize).max(1);
        let mut bands = vec![Vec::new(); n];
        for r in rings {
            for w in r.windows(2) {
                let (a, b) = (w[0], w[1]);
                if a[1] == b[1] {
                    continue; // horizontal edges never cross a horizontal ray
                }
                let lo = (((a[1].min(b[1]) - bbox[1]) / BAND).floor().max(0.0)) as usize;
                let hi = (((a[1].max(b[1]) - bbox[1]) / BAND).floor() as usize).min(n - 1);
                for band in &mut bands[lo..=hi] {
                    band.push([a[0], a[1], b[0], b[1]]);
                }
            }
        }
        Some(BandedPolygon {
            lat0: bbox[1],
            bbox,
            bands,
        })
    }

    fn contains(&self, x: f64, y: f64) -> bool {
        if x < self.bbox[0] || x > self.bbox[2] || y < self.bbox[1] || y > self.bbox[3] {
            return false;
        }
        let i = (((y - self.lat0) / BAND).floor() as usize).min(self.bands.len() - 1);
        let mut inside = false;
        for e in &self.bands[i] {
            let (x1, y1, x2, y2) = (e[0], e[1], e[2], e[3]);
            if (y1 > y) != (y2 > y) {
                let xc = x1 + (y - y1) / (y2 - y1) * (x2 - x1);
                if x < xc {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// Afghanistan and Pakistan, indexed for point-in-polygon tests.
#[derive(Debug, Clone)]
pub struct CountryIndex {
    afg: Option<BandedPolygon>,
    pak: Option<BandedPolygon>,
}

fn rings_of(g: &serde_json::Value) -> Vec<Vec<[f64; 2]>> {
    let ring = |r: &serde_json::Value| -> Vec<[f64; 2]> {
        r.as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| Some([c.get(0)?.as_f64()?, c.get(1)?.as_f64()?]))
            .collect()
    };
    let polys: Vec<&serde_json::Value> = match g["type"].as_str() {
        Some("Polygon") => vec![&g["coordinates"]],
        Some("MultiPolygon") => g["coordinates"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => vec![],
    };
    polys
        .into_iter()
        .flat_map(|p| p.as_array().into_iter().flatten().map(ring))
        .collect()
}

impl CountryIndex {
    /// From a GeoJSON FeatureCollection whose features carry `iso3` "AFG" and "PAK".
    pub fn from_geojson(bytes: &[u8]) -> Result<Self, super::border::BorderError> {
        let v: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| super::border::BorderError::Json(e.to_string()))?;
        let (mut afg, mut pak) = (Vec::new(), Vec::new());
        for f in v["features"].as_array().into_iter().flatten() {
            match f["properties"]["iso3"].as_str() {
                Some("AFG") => afg.extend(rings_of(&f["geometry"])),
                Some("PAK") => pak.extend(rings_of(&f["geometry"])),
                _ => {}
            }
        }
        Ok(CountryIndex {
            afg: BandedPolygon::new(&afg),
            pak: BandedPolygon::new(&pak),
        })
    }

    /// The bundled countries.
    pub fn bundled() -> Result<Self, super::border::BorderError> {
        Self::from_geojson(crate::bundled::COUNTRIES)
    }

    /// The side of a location.
    pub fn side(&self, lon: f64, lat: f64) -> Side {
        if !(lon.is_finite() && lat.is_finite()) {
            Side::Unknown
        } else if self.afg.as_ref().is_some_and(|p| p.contains(lon, lat)) {
            Side::Afghanistan
        } else if self.pak.as_ref().is_some_and(|p| p.contains(lon, lat)) {
            Side::Pakistan
        } else {
            Side::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};

    #[test]
    fn agrees_with_geo_contains() {
        let c = CountryIndex::bundled().unwrap();
        let v: serde_json::Value = serde_json::from_slice(crate::bundled::COUNTRIES).unwrap();
        let mut shapes = Vec::new();
        for f in v["features"].as_array().unwrap() {
            let g = &f["geometry"];
            let polys: Vec<&serde_json::Value> = match g["type"].as_str().unwrap() {
                "Polygon" => vec![&g["coordinates"]],
                _ => g["coordinates"].as_array().unwrap().iter().collect(),
            };
            let mp = MultiPolygon(
                polys
                    .into_iter()
                    .map(|p| {
                        let rings: Vec<LineString<f64>> = p
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|r| {
                                r.as_array()
                                    .unwrap()
                                    .iter()
                                    .map(|c| Coord {
                                        x: c[0].as_f64().unwrap(),
                                        y: c[1].as_f64().unwrap(),
                                    })
                                    .collect()
                            })
                            .collect();
                        Polygon::new(rings[0].clone(), rings[1..].to_vec())
                    })
                    .collect(),
            );
            shapes.push((f["properties"]["iso3"].as_str().unwrap().to_string(), mp));
        }
        let mut seed = 99u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..2000 {
            let (x, y) = (60.0 + rnd() * 16.0, 28.0 + rnd() * 11.0);
            let want = shapes
                .iter()
                .find(|(_, s)| s.contains(&Point::new(x, y)))
                .map(|(iso, _)| {
                    if iso == "AFG" {
                        Side::Afghanistan
                    } else {
                        Side::Pakistan
                    }
                })
                .unwrap_or(Side::Other);
            assert_eq!(c.side(x, y), want, "{x},{y}");
        }
        assert_eq!(c.side(f64::NAN, 30.0), Side::Unknown);
    }
}
