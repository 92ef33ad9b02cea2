//! Border analytics, computed once per incident at load: geodesic distance to the
//! Afghanistan–Pakistan border (Durand Line), the side (country) the incident is on,
//! chainage (km along the line from its southern end at the Iran tripoint, of the
//! nearest border point) and the nearest crossing with its distance; plus the
//! aggregates researchers ask for (per border segment, crossing, month, event type).
//!
//! - [`border`]: the line, its chainage and nearest-point queries.
//! - [`side`]: point-in-country tests.
//! - [`aggregate`]: counts and fatalities per segment, crossing, month, type.
//!
//! ```
//! use atlas::analytics::{Analytics, Side};
//! use atlas::model::{IncidentRecord, IncidentStore};
//! let mut s = IncidentStore::default();
//! s.push(&IncidentRecord::new("a", 71.10, 34.13, 20_000)); // by Torkham
//! let a = Analytics::compute(&s).unwrap();
//! assert!(a.border_km()[0] < 2.0);
//! assert_eq!(a.nearest_crossing_name(0), Some("Torkham"));
//! assert_ne!(a.side[0], Side::Unknown);
//! ```

pub mod aggregate;
pub mod border;
mod chain;
pub mod side;

pub use border::{BorderError, BorderGeometry, Nearest, NearestScratch};
pub use side::{CountryIndex, Side};

use crate::geodesic::vincenty_km;
use crate::model::{Crossing, CrossingStatus, IncidentStore};
use std::sync::OnceLock;

/// The border, the countries and the crossings: what analytics are computed against.
#[derive(Debug, Clone)]
pub struct BorderContext {
    pub border: BorderGeometry,
    pub countries: CountryIndex,
    pub crossings: Vec<Crossing>,
}

/// Read crossings from a GeoJSON FeatureCollection of points (data/crossings.geojson).
pub fn crossings_from_geojson(bytes: &[u8]) -> Result<Vec<Crossing>, BorderError> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| BorderError::Json(e.to_string()))?;
    let mut out = Vec::new();
    for (i, f) in v["features"].as_array().into_iter().flatten().enumerate() {
        let p = &f["properties"];
        let c = &f["geometry"]["coordinates"];
        let (Some(lon), Some(lat)) = (c[0].as_f64(), c[1].as_f64()) else {
            return Err(BorderError::Json(format!(
                "crossing {i} has no point geometry"
            )));
        };
        let s = |k: &str| p[k].as_str().unwrap_or("").to_string();
        out.push(Crossing {
            name: s("name"),
            other_names: p["other_names"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            lon,
            lat,
            coord_source: s("coord_source"),
            confidence: s("confidence"),
            status: serde_json::from_value::<Vec<CrossingStatus>>(p["status"].clone())
                .unwrap_or_default(),
            province_af: s("province_af"),
            province_pk: s("province_pk"),
        });
    }
    Ok(out)
}

impl BorderContext {
    /// The bundled border, countries and crossings, parsed once per process.
    pub fn bundled() -> Result<&'static BorderContext, BorderError> {
        static CTX: OnceLock<Result<BorderContext, BorderError>> = OnceLock::new();
        CTX.get_or_init(|| {
            Ok(BorderContext {
                border: BorderGeometry::from_geojson(crate::bundled::BORDER)?,
                countries: CountryIndex::bundled()?,
                crossings: crossings_from_geojson(crate::bundled::CROSSINGS)?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// The nearest crossing to a location and its geodesic distance in km.
    pub fn nearest_crossing(&self, lon: f64, lat: f64) -> Option<(u16, f64)> {
        self.nearest_crossing_in(&self.crossings_ecef(), lon, lat)
    }

    /// Earth-centred coordinates (km) of the crossings, in index order.
    fn crossings_ecef(&self) -> Vec<[f64; 3]> {
        self.crossings
            .iter()
            .map(|c| chain::ecef_km(c.lon, c.lat))
            .collect()
    }

    /// [`nearest_crossing`](Self::nearest_crossing) given [`crossings_ecef`](Self::crossings_ecef).
    ///
    /// Straight-line distances bound the geodesic ones (see `chain`), so only crossings
    /// that can be nearest are measured: in a local metric plane at the mean latitude
    /// within 30 km (within centimetres of the geodesic there), on the ellipsoid beyond.
    fn nearest_crossing_in(&self, ecef: &[[f64; 3]], lon: f64, lat: f64) -> Option<(u16, f64)> {
        if !(lon.is_finite() && lat.is_finite()) || self.crossings.is_empty() {
            return None;
        }
        let q = chain::ecef_km(lon, lat);
        let chord = |e: &[f64; 3]| {
            let (dx, dy, dz) = (e[0] - q[0], e[1] - q[1], e[2] - q[2]);
            (dx * dx + dy * dy + dz * dz).sqrt()
        };
        let best_c = ecef.iter().map(chord).fold(f64::INFINITY, f64::min);
        let lim = chain::arc_upper_km(best_c);
        let mut best: Option<(u16, f64)> = None;
        if lim < 30.0 {
            // The mean-latitude plane is within centimetres of the geodesic here.
            for (i, (c, e)) in self.crossings.iter().zip(ecef).enumerate() {
                if chord(e) <= lim {
                    let (mx, my) = border::metres_per_degree(0.5 * (lat + c.lat));
                    let (dx, dy) = ((c.lon - lon) * mx, (c.lat - lat) * my);
                    let km = (dx * dx + dy * dy).sqrt() / 1000.0;
                    if best.is_none_or(|(_, b)| km < b) {
                        best = Some((i as u16, km));
                    }
                }
            }
            return best;
        }
        for (i, (c, e)) in self.crossings.iter().zip(ecef).enumerate() {
            let ch = chord(e);
            if ch > lim || best.is_some_and(|(_, b)| ch > b) {
                continue;
            }
            let km = vincenty_km(lon, lat, c.lon, c.lat);
            if best.is_none_or(|(_, b)| km < b) {
                best = Some((i as u16, km));
            }
        }
        best
    }

    /// A crossing by (part of) its name or another spelling, case-insensitive.
    pub fn crossing_named(&self, name: &str) -> Option<usize> {
        let q = crate::gazetteer::fold(name);
        if q.is_empty() {
            return None;
        }
        let names = |c: &Crossing| {
            std::iter::once(c.name.clone())
                .chain(c.other_names.clone())
                .map(|n| crate::gazetteer::fold(&n))
                .collect::<Vec<_>>()
        };
        self.crossings
            .iter()
            .position(|c| names(c).contains(&q))
            .or_else(|| {
                self.crossings
                    .iter()
                    .position(|c| names(c).iter().any(|n| n.contains(&q)))
            })
    }
}

/// Value of [`Analytics::nearest_crossing`] for "none".
pub const NO_CROSSING: u16 = u16::MAX;

/// Per-incident border analytics, as columns parallel to the store's.
#[derive(Debug, Clone, Default)]
pub struct Analytics {
    /// Geodesic km to the border; NaN when unmapped.
    pub border_km: Vec<f64>,
    pub side: Vec<Side>,
    /// Km along the border (south → north) of the nearest border point; NaN when unmapped.
    pub chainage_km: Vec<f32>,
    /// Index into the context's crossings; [`NO_CROSSING`] when unmapped.
    pub nearest_crossing: Vec<u16>,
    /// Geodesic km to that crossing; NaN when unmapped.
    pub crossing_km: Vec<f32>,
    crossings: Vec<String>,
}

impl Analytics {
    /// Compute for every row of a store against the bundled border (two threads).
    pub fn compute(store: &IncidentStore) -> Result<Self, BorderError> {
        Ok(Self::compute_with(BorderContext::bundled()?, store))
    }

    /// Compute against a given context.
    pub fn compute_with(ctx: &BorderContext, store: &IncidentStore) -> Self {
        let n = store.len();
        let mut a = Analytics {
            border_km: vec![f64::NAN; n],
            side: vec![Side::Unknown; n],
            chainage_km: vec![f32::NAN; n],
            nearest_crossing: vec![NO_CROSSING; n],
            crossing_km: vec![f32::NAN; n],
            crossings: ctx.crossings.iter().map(|c| c.name.clone()).collect(),
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .clamp(1, 8);
        let chunk = n.div_ceil(threads).max(1024);
        let ecef = ctx.crossings_ecef();
        let ecef = &ecef;
        std::thread::scope(|s| {
            let cols = a
                .border_km
                .chunks_mut(chunk)
                .zip(a.side.chunks_mut(chunk))
                .zip(a.chainage_km.chunks_mut(chunk))
                .zip(a.nearest_crossing.chunks_mut(chunk))
                .zip(a.crossing_km.chunks_mut(chunk));
            for (k, ((((bk, sd), ch), nc), ck)) in cols.enumerate() {
                let base = k * chunk;
                s.spawn(move || {
                    let mut scratch = NearestScratch::default();
                    for j in 0..bk.len() {
                        let (lon, lat) = (store.lon[base + j], store.lat[base + j]);
                        if let Some(nb) = ctx.border.nearest_with(lon, lat, &mut scratch) {
                            bk[j] = nb.km;
                            ch[j] = nb.chainage_km as f32;
                            sd[j] = ctx.countries.side(lon, lat);
                        }
                        if let Some((i, km)) = ctx.nearest_crossing_in(ecef, lon, lat) {
                            nc[j] = i;
                            ck[j] = km as f32;
                        }
                    }
                });
            }
        });
        a
    }

    /// Distances to the border, for the corridor filter.
    pub fn border_km(&self) -> &[f64] {
        &self.border_km
    }

    /// Name of the nearest crossing of a row.
    pub fn nearest_crossing_name(&self, row: u32) -> Option<&str> {
        let i = *self.nearest_crossing.get(row as usize)?;
        self.crossings.get(i as usize).map(String::as_str)
    }

    /// Names of the crossings, in index order.
    pub fn crossing_names(&self) -> &[String] {
        &self.crossings
    }

    /// The analytics of one row, for panels and exports.
    pub fn row(&self, row: u32) -> RowAnalytics {
        let i = row as usize;
        RowAnalytics {
            border_km: self.border_km.get(i).copied().filter(|v| v.is_finite()),
            side: self.side.get(i).copied().unwrap_or_default(),
            chainage_km: self
                .chainage_km
                .get(i)
                .map(|&v| v as f64)
                .filter(|v| v.is_finite()),
            nearest_crossing: self.nearest_crossing_name(row).map(str::to_string),
            crossing_km: self
                .crossing_km
                .get(i)
                .map(|&v| v as f64)
                .filter(|v| v.is_finite()),
        }
    }
}

/// One row's analytics (`None` where the incident has no location).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowAnalytics {
    pub border_km: Option<f64>,
    pub side: Side,
    pub chainage_km: Option<f64>,
    pub nearest_crossing: Option<String>,
    pub crossing_km: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesic::distance_km;
    use crate::model::IncidentRecord;

    #[test]
    fn columns_match_single_queries_and_unmapped_rows_stay_empty() {
        let ctx = BorderContext::bundled().unwrap();
        let mut s = IncidentStore::default();
        let pts = [
            (71.10, 34.13),
            (66.44, 30.96),
            (f64::NAN, f64::NAN),
            (69.17, 34.53),
            (62.0, 36.0),
        ];
        for (i, (x, y)) in pts.iter().enumerate() {
            s.push(&IncidentRecord::new(&i.to_string(), *x, *y, 20_000));
        }
        let a = Analytics::compute_with(ctx, &s);
        assert_eq!(a.nearest_crossing_name(0), Some("Torkham"));
        assert!(a.nearest_crossing_name(1).unwrap().starts_with("Chaman"));
        assert!(
            a.border_km[2].is_nan()
                && a.side[2] == Side::Unknown
                && a.nearest_crossing[2] == NO_CROSSING
        );
        assert_eq!(a.side[3], Side::Afghanistan);
        for r in [0usize, 1, 3, 4] {
            let n = ctx.border.nearest(pts[r].0, pts[r].1).unwrap();
            assert_eq!(a.border_km[r], n.km);
            let (_, ck) = ctx.nearest_crossing(pts[r].0, pts[r].1).unwrap();
            // Against Karney to every crossing.
            let exact = ctx
                .crossings
                .iter()
                .map(|c| distance_km(pts[r].0, pts[r].1, c.lon, c.lat))
                .fold(f64::INFINITY, f64::min);
            assert!((ck - exact).abs() < 0.0001, "{ck} vs {exact}");
        }
        assert!(a.row(2).border_km.is_none());
    }

    #[test]
    fn crossings_by_name() {
        let ctx = BorderContext::bundled().unwrap();
        assert_eq!(ctx.crossings.len(), 7);
        let t = ctx.crossing_named("torkham").unwrap();
        assert_eq!(ctx.crossings[t].name, "Torkham");
        let c = ctx.crossing_named("Spin Boldak").unwrap();
        assert!(ctx.crossings[c].name.starts_with("Chaman"));
        assert!(ctx.crossing_named("nowhere").is_none());
        assert!(ctx.crossing_named("").is_none());
    }
}
