//! Which country a location is in: Afghanistan, Pakistan or neither, from the bundled
//! country polygons, by even-odd ray casting over only the edges of the location's
//! latitude band (bands of 0.02°), so a test costs a few hundred edge checks instead of
//! tens of thousands. Before that, a grid of 0.05° cells answers at once for every cell
//! that no polygon edge touches (the answer is the same everywhere in such a cell), which
//! is most of the map; only cells crossed by a boundary run the ray test.
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
    /// Horizontal edges (never crossed by the ray, but they touch grid cells).
    flat: Vec<[[f64; 2]; 2]>,
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
        let mut flat = Vec::new();
        for r in rings {
            for w in r.windows(2) {
                let (a, b) = (w[0], w[1]);
                if a[1] == b[1] {
                    flat.push([a, b]);
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
            flat,
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

/// Grid cell size in degrees.
const CELL: f64 = 0.05;

/// Precomputed sides of the cells no polygon edge touches.
#[derive(Debug, Clone, Default)]
struct SideGrid {
    x0: f64,
    y0: f64,
    nx: usize,
    ny: usize,
    /// Per cell: `None` when an edge touches it (ask the polygons), else the side.
    cells: Vec<Option<Side>>,
}

impl SideGrid {
    fn cell(&self, x: f64, y: f64) -> Option<usize> {
        let (fx, fy) = ((x - self.x0) / CELL, (y - self.y0) / CELL);
        if !(fx >= 0.0 && fy >= 0.0) {
            return None;
        }
        let (i, j) = (fx as usize, fy as usize);
        (i < self.nx && j < self.ny).then(|| j * self.nx + i)
    }

    fn build(polys: &[&BandedPolygon], exact: impl Fn(f64, f64) -> Side) -> SideGrid {
        let mut bb = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for p in polys {
            bb = [
                bb[0].min(p.bbox[0]),
                bb[1].min(p.bbox[1]),
                bb[2].max(p.bbox[2]),
                bb[3].max(p.bbox[3]),
            ];
        }
        if !bb[0].is_finite() {
            return SideGrid::default();
        }
        // One cell of margin on every side, so the polygons' extremes are inside.
        let (x0, y0) = (bb[0] - CELL, bb[1] - CELL);
        let nx = ((bb[2] - x0) / CELL) as usize + 2;
        let ny = ((bb[3] - y0) / CELL) as usize + 2;
        let mut g = SideGrid {
            x0,
            y0,
            nx,
            ny,
            cells: vec![Some(Side::Other); nx * ny],
        };
        let idx = |v: f64, v0: f64, n: usize| (((v - v0) / CELL).max(0.0) as usize).min(n - 1);
        let mut touched = vec![false; nx * ny];
        for p in polys {
            for band in &p.bands {
                for e in band {
                    let (i0, i1) = (idx(e[0].min(e[2]), x0, nx), idx(e[0].max(e[2]), x0, nx));
                    let (j0, j1) = (idx(e[1].min(e[3]), y0, ny), idx(e[1].max(e[3]), y0, ny));
                    for j in j0..=j1 {
                        touched[j * nx + i0..=j * nx + i1].fill(true);
                    }
                }
            }
            // Horizontal edges are not in the bands; their ends are vertices of the
            // neighbouring edges, and the edge itself lies in the cells of its row.
            for &[a, b] in &p.flat {
                let (i0, i1) = (idx(a[0].min(b[0]), x0, nx), idx(a[0].max(b[0]), x0, nx));
                let j = idx(a[1], y0, ny);
                touched[j * nx + i0..=j * nx + i1].fill(true);
            }
        }
        for j in 0..ny {
            for i in 0..nx {
                let k = j * nx + i;
                g.cells[k] = if touched[k] {
                    None
                } else {
                    let (cx, cy) = (x0 + (i as f64 + 0.5) * CELL, y0 + (j as f64 + 0.5) * CELL);
                    Some(exact(cx, cy))
                };
            }
        }
        g
    }
}

/// Afghanistan and Pakistan, indexed for point-in-polygon tests.
#[derive(Debug, Clone)]
pub struct CountryIndex {
    afg: Option<BandedPolygon>,
    pak: Option<BandedPolygon>,
    grid: SideGrid,
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
        let mut c = CountryIndex {
            afg: BandedPolygon::new(&afg),
            pak: BandedPolygon::new(&pak),
            grid: SideGrid::default(),
        };
        let polys: Vec<&BandedPolygon> = c.afg.iter().chain(c.pak.iter()).collect();
        let grid = SideGrid::build(&polys, |x, y| c.side_exact(x, y));
        c.grid = grid;
        Ok(c)
    }

    /// The bundled countries.
    pub fn bundled() -> Result<Self, super::border::BorderError> {
        Self::from_geojson(crate::bundled::COUNTRIES)
    }

    /// The side of a location.
    pub fn side(&self, lon: f64, lat: f64) -> Side {
        if let Some(k) = self.grid.cell(lon, lat) {
            if let Some(side) = self.grid.cells[k] {
                return side;
            }
        }
        self.side_exact(lon, lat)
    }

    /// The side by ray casting alone (no grid).
    fn side_exact(&self, lon: f64, lat: f64) -> Side {
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
        let mut rnd = crate::testutil::rng(99);
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

    #[test]
    fn grid_agrees_with_ray_casting() {
        let c = CountryIndex::bundled().unwrap();
        let mut rnd = crate::testutil::rng(7);
        let mut answered = 0;
        for _ in 0..200_000 {
            let (x, y) = (59.0 + rnd() * 20.0, 22.0 + rnd() * 18.0);
            answered += c.grid.cell(x, y).is_some_and(|k| c.grid.cells[k].is_some()) as usize;
            assert_eq!(c.side(x, y), c.side_exact(x, y), "{x},{y}");
        }
        // Cell corners and edges too.
        for j in 0..400 {
            for i in 0..400 {
                let (x, y) = (60.0 + i as f64 * 0.05, 23.0 + j as f64 * 0.05);
                assert_eq!(c.side(x, y), c.side_exact(x, y), "{x},{y}");
            }
        }
        assert!(answered > 120_000, "grid answers most: {answered}");
        assert_eq!(c.side(f64::INFINITY, 30.0), Side::Unknown);
    }
}
