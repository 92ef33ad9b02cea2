//! The border line as an analysable geometry: parts ordered south → north, chainage
//! (km along the line from the Iran tripoint), and the nearest border point of any
//! location with its geodesic distance.
//!
//! Nearest point: a hierarchy of boxes over the segments in chain order, in 3-D
//! Earth-centred coordinates (`chain`), returns every segment that can be the nearest
//! on WGS84 (the straight-line distance bounds the geodesic from below, and a circular
//! arc over it from above). Within 30 km the closest of them is found in a local metric
//! plane (meridian and prime-vertical radii of WGS84 at the mean latitude; within a few
//! centimetres of the geodesic at that range). Farther out the candidates form runs of
//! consecutive segments; the closest point of each run in a straight line is measured
//! on the ellipsoid (Vincenty's formula, within a millimetre of Karney's), nearest run first, and a run whose lower bound
//! exceeds the best measured distance is skipped.
//!
//! ```
//! use atlas::analytics::BorderGeometry;
//! let b = BorderGeometry::new(vec![vec![[70.0, 33.0], [70.0, 34.0]]]).unwrap();
//! let n = b.nearest(70.1, 33.5).unwrap();
//! assert!((n.km - 9.33).abs() < 0.05, "{}", n.km);
//! assert!((n.chainage_km - 55.45).abs() < 0.1, "{}", n.chainage_km);
//! ```

use super::chain::{ecef_km, Candidate, ChainTree};
use crate::geodesic::{distance_km, vincenty_km, WGS84_A, WGS84_E2};

/// Below this distance a local metric plane at the mean latitude is exact to a few centimetres.
const PLANE_EXACT_KM: f64 = 30.0;

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
    tree: ChainTree,
    length_km: f64,
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
        let (mut seg_at, mut seg_chain, mut seg_len) = (vec![], vec![], vec![]);
        let mut chain = 0.0;
        for (pi, p) in parts.iter().enumerate() {
            for i in 0..p.len() - 1 {
                let (a, b) = (p[i], p[i + 1]);
                let len = distance_km(a[0], a[1], b[0], b[1]);
                seg_at.push((pi as u32, i as u32));
                seg_chain.push(chain);
                seg_len.push(len);
                chain += len;
            }
        }
        let tree = ChainTree::new(
            parts
                .iter()
                .flat_map(|p| p.windows(2).map(|w| (w[0], w[1]))),
        );
        Ok(BorderGeometry {
            parts,
            seg_at,
            seg_chain,
            seg_len,
            tree,
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
        self.nearest_with(lon, lat, &mut NearestScratch::default())
    }

    /// [`nearest`](Self::nearest) with reusable scratch space, for passes over many points.
    pub fn nearest_with(
        &self,
        lon: f64,
        lat: f64,
        scratch: &mut NearestScratch,
    ) -> Option<Nearest> {
        if !(lon.is_finite() && lat.is_finite()) {
            return None;
        }
        let q = ecef_km(lon, lat);
        let upper_km = self.tree.candidates(lon, lat, &q, &mut scratch.cands);
        if scratch.cands.is_empty() {
            return None;
        }
        let (s, t, km) = if upper_km < PLANE_EXACT_KM {
            self.nearest_in_plane(lon, lat, &scratch.cands)?
        } else {
            self.nearest_far(lon, lat, scratch)?
        };
        let (a, b) = self.segment(s)?;
        let p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        // Side: cross product of the segment direction and the point, in the local plane.
        let (mx, my) = metres_per_degree(lat);
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

    /// Within [`PLANE_EXACT_KM`]: the closest candidate in a local metric plane, scaled
    /// for each candidate at the mean latitude of the location and the candidate's
    /// closest point (meridian and prime-vertical radii of WGS84); at this range that is
    /// within a few centimetres of the geodesic (checked against Karney in the tests).
    fn nearest_in_plane(&self, lon: f64, lat: f64, cands: &[Candidate]) -> Option<(u32, f64, f64)> {
        let mut best: Option<(f64, u32, f64)> = None; // (plane m², segment, t)
        for c in cands {
            let Some((a, b)) = self.segment(c.seg) else {
                continue;
            };
            let (mx, my) = metres_per_degree(0.5 * (lat + a[1] + c.t * (b[1] - a[1])));
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
            if best.is_none_or(|(b2, s, _)| e2 < b2 || (e2 == b2 && c.seg < s)) {
                best = Some((e2, c.seg, t));
            }
        }
        best.map(|(e2, s, t)| (s, t, e2.sqrt() / 1000.0))
    }

    /// Farther out: the candidates form runs of consecutive segments (stretches of line
    /// at nearly the same distance); the closest point of each run in a straight line is
    /// measured on the ellipsoid (Vincenty), nearest runs first, skipping runs whose
    /// lower bound already exceeds the best measured distance.
    fn nearest_far(
        &self,
        lon: f64,
        lat: f64,
        scratch: &mut NearestScratch,
    ) -> Option<(u32, f64, f64)> {
        let cands = &mut scratch.cands;
        cands.sort_unstable_by_key(|c| c.seg);
        let runs = &mut scratch.runs;
        runs.clear();
        let mut last_seg = u32::MAX;
        for c in cands.iter() {
            let same_part = last_seg != u32::MAX
                && c.seg <= last_seg + 2
                && self.seg_at[c.seg as usize].0 == self.seg_at[last_seg as usize].0;
            match runs.last_mut() {
                Some(r) if same_part => {
                    if c.chord < r.chord {
                        r.chord = c.chord;
                        r.seg = c.seg;
                        r.t = c.t;
                    }
                    r.lower = r.lower.min(c.lower);
                }
                _ => runs.push(*c),
            }
            last_seg = c.seg;
        }
        runs.sort_unstable_by(|a, b| a.chord.total_cmp(&b.chord));
        let mut best: Option<(u32, f64, f64)> = None;
        for r in runs.iter() {
            if let Some((_, _, km)) = best {
                if r.lower > km {
                    continue;
                }
            }
            let Some((a, b)) = self.segment(r.seg) else {
                continue;
            };
            let t = if self.tree.slack(r.seg) > LONG_SEGMENT_SLACK_KM {
                refine_t(a, b, &ecef_km(lon, lat))
            } else {
                r.t
            };
            let p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
            let km = vincenty_km(lon, lat, p[0], p[1]);
            if best.is_none_or(|(_, _, b)| km < b) {
                best = Some((r.seg, t, km));
            }
        }
        best
    }
}

/// Segments whose chord strays more than this (km) from the lon/lat-linear segment get
/// their closest point refined along the segment itself ([`refine_t`]).
const LONG_SEGMENT_SLACK_KM: f64 = 1e-4;

/// The parameter of the point of the lon/lat-linear segment `a → b` nearest to `q` in a
/// straight line (golden-section search; ranks like the geodesic to within centimetres).
/// Needed on long segments, where the chord's parameter is off by hundreds of metres.
fn refine_t(a: [f64; 2], b: [f64; 2], q: &[f64; 3]) -> f64 {
    let f = |t: f64| {
        let p = ecef_km(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]));
        let (dx, dy, dz) = (p[0] - q[0], p[1] - q[1], p[2] - q[2]);
        dx * dx + dy * dy + dz * dz
    };
    const G: f64 = 0.618_033_988_749_894_8;
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let (mut x1, mut x2) = (hi - G * (hi - lo), lo + G * (hi - lo));
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..48 {
        if f1 <= f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - G * (hi - lo);
            f1 = f(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + G * (hi - lo);
            f2 = f(x2);
        }
    }
    let t = 0.5 * (lo + hi);
    // The ends are candidates too (the minimum may sit on a vertex).
    [0.0, t, 1.0]
        .into_iter()
        .min_by(|x, y| f(*x).total_cmp(&f(*y)))
        .unwrap_or(t)
}

/// Reusable buffers for [`BorderGeometry::nearest_with`].
#[derive(Debug, Default, Clone)]
pub struct NearestScratch {
    cands: Vec<Candidate>,
    runs: Vec<Candidate>,
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

    use crate::testutil::rng;

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
        let len = g.length_km();
        let mut rnd = rng(12345);
        let mut worst: f64 = 0.0;
        for i in 0..200 {
            // Half uniform over the region, half within ~40 km of the line.
            let (lon, lat) = if i % 2 == 0 {
                (60.5 + rnd() * 14.5, 29.0 + rnd() * 9.5)
            } else {
                let p = g.point_at(rnd() * len);
                (p[0] + (rnd() - 0.5) * 0.8, p[1] + (rnd() - 0.5) * 0.8)
            };
            let n = g.nearest(lon, lat).unwrap();
            let want = brute(&coarse, lon, lat);
            // The engine's point is on the line, so its distance is never below the minimum.
            assert!(n.km >= want - 0.001, "{lon},{lat}: {} < {want}", n.km);
            assert!(
                (n.km - want).abs() < 0.002 + want * 2e-5,
                "{lon},{lat}: {} vs {want}",
                n.km
            );
            // The reported point is at the reported distance.
            assert!((distance_km(lon, lat, n.lon, n.lat) - n.km).abs() < 0.002);
            worst = worst.max((n.km - want).abs());
        }
        assert!(worst < 0.01, "{worst}");
    }

    #[test]
    fn nearest_on_the_full_line_matches_brute_force() {
        // Every vertex of the full-resolution line on the ellipsoid, then the exact
        // minimum (ternary search with Karney) on the segments by the best vertices.
        let b = BorderGeometry::from_geojson(crate::bundled::BORDER).unwrap();
        let mut rnd = rng(777);
        let len = b.length_km();
        for i in 0..4 {
            let (lon, lat) = if i % 2 == 0 {
                (60.5 + rnd() * 14.5, 29.0 + rnd() * 9.5)
            } else {
                let p = b.point_at(rnd() * len);
                (p[0] + (rnd() - 0.5) * 0.3, p[1] + (rnd() - 0.5) * 0.3)
            };
            let part = &b.parts()[0];
            let dv: Vec<f64> = part
                .iter()
                .map(|v| distance_km(lon, lat, v[0], v[1]))
                .collect();
            let vmin = dv.iter().copied().fold(f64::INFINITY, f64::min);
            let mut want = vmin;
            for k in 0..part.len() - 1 {
                let (va, vb) = (part[k], part[k + 1]);
                let seg = distance_km(va[0], va[1], vb[0], vb[1]);
                if dv[k].max(dv[k + 1]) - seg <= vmin + 0.01 {
                    want = want.min(brute(&[part[k..k + 2].to_vec()], lon, lat));
                }
            }
            let n = b.nearest(lon, lat).unwrap();
            assert!(
                (n.km - want).abs() < 0.002 + want * 1e-5,
                "{lon},{lat}: {} vs {want}",
                n.km
            );
        }
    }

    #[test]
    fn mean_latitude_plane_is_within_centimetres_of_karney_to_30_km() {
        let mut rnd = rng(99);
        for _ in 0..20_000 {
            let (lon, lat) = (60.5 + rnd() * 14.5, 29.0 + rnd() * 9.5);
            let (dl, dp) = ((rnd() - 0.5) * 0.7, (rnd() - 0.5) * 0.6);
            let k = distance_km(lon, lat, lon + dl, lat + dp);
            if k <= PLANE_EXACT_KM + 1.0 {
                let (mx, my) = metres_per_degree(lat + dp / 2.0);
                let e = ((dl * mx).hypot(dp * my) / 1000.0 - k).abs();
                assert!(e < 5e-5, "{lon},{lat} +{dl},{dp}: {e} km");
            }
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
