//! The border line as an analysable geometry: parts ordered south → north, chainage
//! (km along the line from the Iran tripoint), and the nearest border point of any
//! location with its geodesic distance.
//!
//! Nearest point: an R-tree over the segments in a lon·cos(33°)/lat plane gives the
//! candidates (the plane distorts distances by under ±12 % across the region, so every
//! segment within 1.3× the first candidate's plane distance is examined); each
//! candidate's closest point is found in the local metric plane at the query point
//! (meridian and prime-vertical radii of WGS84), and the distance to the winner is then
//! measured on the ellipsoid — in that plane when it is under 30 km (error < 1 m),
//! with Karney's algorithm otherwise.
//!
//! ```
//! use atlas::analytics::BorderGeometry;
//! let b = BorderGeometry::new(vec![vec![[70.0, 33.0], [70.0, 34.0]]]).unwrap();
//! let n = b.nearest(70.1, 33.5).unwrap();
//! assert!((n.km - 9.33).abs() < 0.05, "{}", n.km);
//! assert!((n.chainage_km - 55.45).abs() < 0.1, "{}", n.chainage_km);
//! ```

use crate::geodesic::{distance_km, WGS84_A, WGS84_E2};
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

const REF_COS: f64 = 0.836_915_6; // cos(33.2°), the middle of the border's latitudes
const PLANE_EXACT_KM: f64 = 30.0;
/// At most this many nearest segments (in the index plane) are examined per location.
const MAX_CANDIDATES: usize = 64;

type Seg = GeomWithData<Line<[f64; 2]>, u32>;

/// Why a border geometry cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BorderError {
    #[error("the border has no segment")]
    Empty,
    #[error("border part {part} vertex {vertex} is not a valid lon/lat: {lon}, {lat}")]
    BadVertex {
        part: usize,
        vertex: usize,
        lon: f64,
        lat: f64,
    },
    #[error("{0}")]
    Json(String),
}

/// The nearest border point of a location.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    /// Geodesic distance in km.
    pub km: f64,
    /// Km along the border from its southern end.
    pub chainage_km: f64,
    pub lon: f64,
    pub lat: f64,
    /// Global segment number (see [`BorderGeometry::segment`]).
    pub segment: u32,
    /// Whether the location lies left of the line walking south → north (the Afghan
    /// side, away from the ends); `None` exactly on the line.
    pub left: Option<bool>,
}

/// The border, indexed.
#[derive(Debug, Clone)]
pub struct BorderGeometry {
    parts: Vec<Vec<[f64; 2]>>,
    /// Per segment: (part, index of its first vertex), and the chainage at its start.
    seg_at: Vec<(u32, u32)>,
    seg_chain: Vec<f64>,
    seg_len: Vec<f64>,
    tree: RTree<Seg>,
    length_km: f64,
}

fn scaled(p: [f64; 2]) -> [f64; 2] {
    [p[0] * REF_COS, p[1]]
}

/// Spherical azimuthal equidistant coordinates (radians of arc) of `p` around `(lon, lat)`.
fn aeqd(lon: f64, lat: f64, p: [f64; 2]) -> [f64; 2] {
    let (p1, p2) = (lat.to_radians(), p[1].to_radians());
    let dl = (p[0] - lon).to_radians();
    let (s1, c1, s2, c2) = (p1.sin(), p1.cos(), p2.sin(), p2.cos());
    let (sdl, cdl) = dl.sin_cos();
    let cosc = (s1 * s2 + c1 * c2 * cdl).clamp(-1.0, 1.0);
    let c = cosc.acos();
    let (y, x) = (c1 * s2 - s1 * c2 * cdl, c2 * sdl);
    let az = x.atan2(y);
    [c * az.sin(), c * az.cos()]
}

/// Metres per degree of longitude and latitude at a latitude (WGS84).
pub fn metres_per_degree(lat: f64) -> (f64, f64) {
    let phi = lat.to_radians();
    let s = phi.sin();
    let w = (1.0 - WGS84_E2 * s * s).sqrt();
    let n = WGS84_A / w;
    let m = WGS84_A * (1.0 - WGS84_E2) / (w * w * w);
    let k = std::f64::consts::PI / 180.0;
    (n * phi.cos() * k, m * k)
}

impl BorderGeometry {
    /// Build from parts of `[lon, lat]`, in order. Parts are oriented south → north
    /// (a part whose first vertex is north of its last is reversed) and ordered by the
    /// latitude of their southern end; chainage continues across gaps between parts.
    pub fn new(mut parts: Vec<Vec<[f64; 2]>>) -> Result<Self, BorderError> {
        parts.retain(|p| p.len() >= 2);
        for (pi, p) in parts.iter().enumerate() {
            for (vi, v) in p.iter().enumerate() {
                if !(v[0].is_finite()
                    && v[1].is_finite()
                    && v[0].abs() <= 180.0
                    && v[1].abs() <= 90.0)
                {
                    return Err(BorderError::BadVertex {
                        part: pi,
                        vertex: vi,
                        lon: v[0],
                        lat: v[1],
                    });
                }
            }
        }
        for p in &mut parts {
            if p[0][1] > p[p.len() - 1][1] {
                p.reverse();
            }
        }
        parts.sort_by(|a, b| a[0][1].total_cmp(&b[0][1]));
        if parts.is_empty() {
            return Err(BorderError::Empty);
        }
        let (mut seg_at, mut seg_chain, mut seg_len, mut items) = (vec![], vec![], vec![], vec![]);
        let mut chain = 0.0;
        for (pi, p) in parts.iter().enumerate() {
            for i in 0..p.len() - 1 {
                let (a, b) = (p[i], p[i + 1]);
                let len = distance_km(a[0], a[1], b[0], b[1]);
                let id = seg_at.len() as u32;
                seg_at.push((pi as u32, i as u32));
                seg_chain.push(chain);
                seg_len.push(len);
                items.push(Seg::new(Line::new(scaled(a), scaled(b)), id));
                chain += len;
            }
        }
        Ok(BorderGeometry {
            parts,
            seg_at,
            seg_chain,
            seg_len,
            tree: RTree::bulk_load(items),
            length_km: chain,
        })
    }

    /// Read the line(s) of a GeoJSON FeatureCollection (LineString or MultiLineString).
    pub fn from_geojson(bytes: &[u8]) -> Result<Self, BorderError> {
        let v: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| BorderError::Json(e.to_string()))?;
        let mut parts = Vec::new();
        let feats = v
            .get("features")
            .and_then(|f| f.as_array())
            .cloned()
            .unwrap_or_default();
        for f in feats {
            let g = &f["geometry"];
            let lines = match g["type"].as_str() {
                Some("LineString") => vec![g["coordinates"].clone()],
                Some("MultiLineString") => g["coordinates"].as_array().cloned().unwrap_or_default(),
                _ => vec![],
            };
            for l in lines {
                let pts: Vec<[f64; 2]> = l
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| Some([c.get(0)?.as_f64()?, c.get(1)?.as_f64()?]))
                    .collect();
                parts.push(pts);
            }
        }
        Self::new(parts)
    }

    /// Geodesic length of the line in km (gaps between parts not counted).
    pub fn length_km(&self) -> f64 {
        self.length_km
    }
    pub fn parts(&self) -> &[Vec<[f64; 2]>] {
        &self.parts
    }
    pub fn segment_count(&self) -> usize {
        self.seg_at.len()
    }
    /// The two vertices of a segment.
    pub fn segment(&self, s: u32) -> Option<([f64; 2], [f64; 2])> {
        let &(p, i) = self.seg_at.get(s as usize)?;
        let part = &self.parts[p as usize];
        Some((part[i as usize], part[i as usize + 1]))
    }

    /// The border point at a chainage (km from the southern end), clamped to the line.
    pub fn point_at(&self, chainage_km: f64) -> [f64; 2] {
        let s = self
            .seg_chain
            .partition_point(|&c| c <= chainage_km)
            .saturating_sub(1);
        let (a, b) = self.segment(s as u32).unwrap_or(([0.0; 2], [0.0; 2]));
        let len = self.seg_len[s];
        let t = if len > 0.0 {
            ((chainage_km - self.seg_chain[s]) / len).clamp(0.0, 1.0)
        } else {
            0.0
        };
        [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
    }

    /// The nearest border point of `(lon, lat)`; `None` for a non-finite location.
    pub fn nearest(&self, lon: f64, lat: f64) -> Option<Nearest> {
        if !(lon.is_finite() && lat.is_finite()) {
            return None;
        }
        let q = scaled([lon, lat]);
        let (mx, my) = metres_per_degree(lat);
        let mut best: Option<(f64, u32, f64)> = None; // (plane m², segment, t)
        let mut first_d2 = f64::NAN;
        for (k, (seg, d2)) in self
            .tree
            .nearest_neighbor_iter_with_distance_2(&q)
            .enumerate()
        {
            if k >= MAX_CANDIDATES {
                break;
            }
            if first_d2.is_nan() {
                first_d2 = d2;
            } else if d2 > first_d2 * 1.69 + 1e-12 {
                break;
            }
            let Some((a, b)) = self.segment(seg.data) else {
                continue;
            };
            let (ax, ay) = ((a[0] - lon) * mx, (a[1] - lat) * my);
            let (bx, by) = ((b[0] - lon) * mx, (b[1] - lat) * my);
            let (dx, dy) = (bx - ax, by - ay);
            let l2 = dx * dx + dy * dy;
            let t = if l2 > 0.0 {
                (-(ax * dx + ay * dy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (cx, cy) = (ax + t * dx, ay + t * dy);
            let e2 = cx * cx + cy * cy;
            if best.is_none_or(|(b2, _, _)| e2 < b2) {
                best = Some((e2, seg.data, t));
            }
        }
        let (e2, mut s, mut t) = best?;
        let plane_km = e2.sqrt() / 1000.0;
        let mut far_km = None;
        if plane_km >= PLANE_EXACT_KM {
            // Far from the line the local plane bends distances: measure the candidates in
            // an azimuthal equidistant plane centred on the location (true distances on the
            // sphere); the sphere can misjudge by up to ~0.5 % between azimuths, so every
            // stretch of line within 0.6 % of the best is measured on the ellipsoid.
            let mut cands: Vec<(u32, f64, f64)> = Vec::new();
            for (k, (seg, d2)) in self
                .tree
                .nearest_neighbor_iter_with_distance_2(&q)
                .enumerate()
            {
                if k >= MAX_CANDIDATES || d2 > first_d2 * 1.69 + 1e-12 {
                    break;
                }
                let Some((a, b)) = self.segment(seg.data) else {
                    continue;
                };
                let (pa, pb) = (aeqd(lon, lat, a), aeqd(lon, lat, b));
                let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
                let l2 = dx * dx + dy * dy;
                let tt = if l2 > 0.0 {
                    (-(pa[0] * dx + pa[1] * dy) / l2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (cx, cy) = (pa[0] + tt * dx, pa[1] + tt * dy);
                cands.push((seg.data, tt, (cx * cx + cy * cy).sqrt()));
            }
            let best_c = cands.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
            cands.retain(|c| c.2 <= best_c * 1.006);
            cands.sort_by_key(|c| c.0);
            // Best of each run of consecutive segments, then Karney on those.
            let mut runs: Vec<(u32, f64, f64)> = Vec::new();
            for c in cands {
                match runs.last_mut() {
                    Some(last) if c.0 <= last.0 + 2 || c.0 == last.0 => {
                        if c.2 < last.2 {
                            *last = c;
                        }
                    }
                    _ => runs.push(c),
                }
            }
            let mut best_km = f64::INFINITY;
            for (sg, tt, _) in runs {
                let Some((a, b)) = self.segment(sg) else {
                    continue;
                };
                let p = [a[0] + tt * (b[0] - a[0]), a[1] + tt * (b[1] - a[1])];
                let km = distance_km(lon, lat, p[0], p[1]);
                if km < best_km {
                    best_km = km;
                    s = sg;
                    t = tt;
                }
            }
            far_km = Some(best_km);
        }
        let (a, b) = self.segment(s)?;
        let p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        let km = far_km.unwrap_or(plane_km);
        // Side: cross product of the segment direction and the point, in the local plane.
        let (ax, ay) = ((a[0] - lon) * mx, (a[1] - lat) * my);
        let (bx, by) = ((b[0] - lon) * mx, (b[1] - lat) * my);
        let cross = (bx - ax) * (-ay) - (by - ay) * (-ax);
        let left = if cross > 0.0 {
            Some(true)
        } else if cross < 0.0 {
            Some(false)
        } else {
            None
        };
        Some(Nearest {
            km,
            chainage_km: self.seg_chain[s as usize] + t * self.seg_len[s as usize],
            lon: p[0],
            lat: p[1],
            segment: s,
            left,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact reference: dense sampling of each segment with Karney, refined.
    fn brute(parts: &[Vec<[f64; 2]>], lon: f64, lat: f64) -> f64 {
        let mut best = f64::INFINITY;
        for p in parts {
            for w in p.windows(2) {
                let f = |t: f64| {
                    distance_km(
                        lon,
                        lat,
                        w[0][0] + t * (w[1][0] - w[0][0]),
                        w[0][1] + t * (w[1][1] - w[0][1]),
                    )
                };
                let (mut lo, mut hi) = (0.0f64, 1.0f64);
                for _ in 0..60 {
                    let (m1, m2) = (lo + (hi - lo) / 3.0, hi - (hi - lo) / 3.0);
                    if f(m1) < f(m2) {
                        hi = m2
                    } else {
                        lo = m1
                    }
                }
                best = best.min(f(lo)).min(f(0.0)).min(f(1.0));
            }
        }
        best
    }

    #[test]
    fn nearest_matches_brute_force_within_ten_metres() {
        let b = BorderGeometry::from_geojson(crate::bundled::BORDER).unwrap();
        // A simplified copy keeps the brute force fast; the engine result is compared on it.
        let coarse: Vec<Vec<[f64; 2]>> = b
            .parts()
            .iter()
            .map(|p| {
                p.iter()
                    .step_by(40)
                    .copied()
                    .chain(p.last().copied())
                    .collect()
            })
            .collect();
        let g = BorderGeometry::new(coarse.clone()).unwrap();
        let mut seed = 12345u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..150 {
            let (lon, lat) = (60.5 + rnd() * 14.5, 29.0 + rnd() * 9.5);
            let n = g.nearest(lon, lat).unwrap();
            let want = brute(&coarse, lon, lat);
            assert!(
                (n.km - want).abs() < 0.010 + want * 2e-4,
                "{lon},{lat}: {} vs {want}",
                n.km
            );
        }
    }

    #[test]
    fn chainage_runs_south_to_north_and_sides_are_consistent() {
        let b = BorderGeometry::from_geojson(crate::bundled::BORDER).unwrap();
        let s = b.parts()[0][0];
        assert!(
            s[1] < 30.5 && s[0] < 61.5,
            "starts at the Iran tripoint: {s:?}"
        );
        assert!((b.length_km() - 2761.5).abs() < 3.0, "{}", b.length_km());
        let kabul = b.nearest(69.17, 34.53).unwrap();
        let peshawar = b.nearest(71.57, 34.01).unwrap();
        assert_eq!(kabul.left, Some(true));
        assert_eq!(peshawar.left, Some(false));
        // Torkham is near chainage ~ (somewhere in the north-east half).
        let t = b.nearest(71.0932, 34.12264).unwrap();
        assert!(t.km < 0.1 && t.chainage_km > 1500.0, "{t:?}");
        let p = b.point_at(t.chainage_km);
        assert!(distance_km(p[0], p[1], t.lon, t.lat) < 0.01);
        assert!(b.nearest(f64::NAN, 1.0).is_none());
    }

    #[test]
    fn bad_geometry_is_an_error() {
        assert_eq!(BorderGeometry::new(vec![]).unwrap_err(), BorderError::Empty);
        assert!(matches!(
            BorderGeometry::new(vec![vec![[0.0, 0.0], [f64::NAN, 1.0]]]),
            Err(BorderError::BadVertex { .. })
        ));
        assert!(BorderGeometry::from_geojson(b"{").is_err());
    }
}
