//! The loaded data as the app uses it: incidents (engine column store), the border line,
//! crossings and a gazetteer for search, plus per-incident border analytics.
//!
//! Stand-in for the engine's `atlas::dataset::Dataset` facade (being written by the
//! integrator): it only wires engine pieces together (store, cluster index, geodesic
//! distances); when the facade lands this module shrinks to a re-export.

use atlas::cluster::{ClusterIndex, ClusterOptions};
use atlas::date::{format_day, parse_date, Day};
use atlas::filter::Filter;
use atlas::model::{Claim, IncidentRecord, IncidentStore, Source};
use serde::Serialize;
use serde_json::{Map, Value};

/// Why the data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: {1}")]
    Json(String, serde_json::Error),
    #[error("{0}: not a GeoJSON FeatureCollection")]
    NotCollection(String),
}

/// A named place to search for and fly to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Gazetteer {
    /// "crossing", "place", "province", "incident".
    pub kind: &'static str,
    pub name: String,
    /// Secondary text (province, country, other names).
    pub detail: String,
    pub lon: f64,
    pub lat: f64,
    /// `[west, south, east, north]` to fit, for areas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
}

/// Per-row analytics computed once at load.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowAnalytics {
    /// Geodesic distance to the border in km (NaN when unmapped or no border).
    pub border_km: f64,
    /// Index into [`Dataset::crossings`] of the nearest crossing, and its distance in km.
    pub crossing: Option<(usize, f64)>,
}

/// Everything loaded.
#[derive(Debug, Default)]
pub struct Dataset {
    pub store: IncidentStore,
    pub analytics: Vec<RowAnalytics>,
    /// Border parts, each a list of `[lon, lat]`.
    pub border: Vec<Vec<[f64; 2]>>,
    pub crossings: Vec<Gazetteer>,
    pub gazetteer: Vec<Gazetteer>,
    /// Where each incident file came from, for the status bar.
    pub files: Vec<String>,
}

fn features<'a>(name: &str, v: &'a Value) -> Result<&'a Vec<Value>, LoadError> {
    v.get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| LoadError::NotCollection(name.to_string()))
}

fn parse(name: &str, bytes: &[u8]) -> Result<Value, LoadError> {
    serde_json::from_slice(bytes).map_err(|e| LoadError::Json(name.to_string(), e))
}

fn s(p: &Map<String, Value>, k: &str) -> String {
    match p.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn first_name(p: &Map<String, Value>) -> String {
    for k in ["name", "name_en", "NAME", "name_ascii", "label"] {
        let v = s(p, k);
        if !v.is_empty() {
            return v;
        }
    }
    String::new()
}

/// Bounding box and representative point of any GeoJSON geometry.
fn geometry_extent(g: &Value) -> Option<([f64; 4], [f64; 2])> {
    fn walk(v: &Value, b: &mut [f64; 4]) {
        if let Some(a) = v.as_array() {
            if let (Some(x), Some(y)) = (
                a.first().and_then(Value::as_f64),
                a.get(1).and_then(Value::as_f64),
            ) {
                b[0] = b[0].min(x);
                b[1] = b[1].min(y);
                b[2] = b[2].max(x);
                b[3] = b[3].max(y);
            } else {
                a.iter().for_each(|c| walk(c, b));
            }
        }
    }
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    if let Some(gs) = g.get("geometries").and_then(Value::as_array) {
        gs.iter()
            .filter_map(|g| g.get("coordinates"))
            .for_each(|c| walk(c, &mut b));
    } else {
        walk(g.get("coordinates")?, &mut b);
    }
    b[0].is_finite()
        .then(|| (b, [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]))
}

fn opt_u8(p: &Map<String, Value>, k: &str, default: u8) -> u8 {
    p.get(k)
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .and_then(|v| u8::try_from(v).ok())
        .unwrap_or(default)
}

/// One GeoJSON incident feature (ACLED column names plus `date_end`, `sources`, `claims`).
fn incident_record(i: usize, f: &Value) -> Option<IncidentRecord> {
    let empty = Map::new();
    let p = f
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let (lon, lat) = match f
        .get("geometry")
        .and_then(|g| g.get("coordinates"))
        .and_then(Value::as_array)
    {
        Some(c) => (
            c.first().and_then(Value::as_f64).unwrap_or(f64::NAN),
            c.get(1).and_then(Value::as_f64).unwrap_or(f64::NAN),
        ),
        None => (f64::NAN, f64::NAN),
    };
    let day = parse_date(&s(p, "event_date"))?;
    let mut id = s(p, "event_id_cnty");
    if id.is_empty() {
        id = f
            .get("id")
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .unwrap_or_else(|| format!("feature-{i}"));
    }
    let mut r = IncidentRecord::new(&id, lon, lat, day);
    r.date_end = parse_date(&s(p, "date_end")).unwrap_or(day).max(day);
    r.time_precision = opt_u8(p, "time_precision", 1);
    r.geo_precision = opt_u8(p, "geo_precision", 1);
    r.disorder_type = s(p, "disorder_type");
    r.event_type = s(p, "event_type");
    r.sub_event_type = s(p, "sub_event_type");
    r.actor1 = s(p, "actor1");
    r.assoc_actor_1 = s(p, "assoc_actor_1");
    r.actor2 = s(p, "actor2");
    r.assoc_actor_2 = s(p, "assoc_actor_2");
    r.fatalities = p
        .get("fatalities")
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok());
    r.iso = s(p, "iso");
    r.country = s(p, "country");
    r.admin1 = s(p, "admin1");
    r.admin2 = s(p, "admin2");
    r.admin3 = s(p, "admin3");
    r.location = s(p, "location");
    r.source = s(p, "source");
    r.source_scale = s(p, "source_scale");
    r.notes = s(p, "notes");
    r.tags = s(p, "tags");
    r.sources = p
        .get("sources")
        .and_then(|v| serde_json::from_value::<Vec<Source>>(v.clone()).ok())
        .unwrap_or_default();
    r.claims = p
        .get("claims")
        .and_then(|v| serde_json::from_value::<Vec<Claim>>(v.clone()).ok())
        .unwrap_or_default();
    Some(r)
}

/// Shortest distance in km from a point to a polyline: a local equirectangular
/// projection finds the closest point on each segment, geodesic distance measures it.
pub fn distance_to_lines_km(lon: f64, lat: f64, parts: &[Vec<[f64; 2]>]) -> f64 {
    if !lon.is_finite() || !lat.is_finite() {
        return f64::NAN;
    }
    let k = lat.to_radians().cos();
    let mut best = (f64::INFINITY, [f64::NAN; 2]);
    for part in parts {
        for w in part.windows(2) {
            let ([ax, ay], [bx, by]) = (w[0], w[1]);
            let (dx, dy) = ((bx - ax) * k, by - ay);
            let (px, py) = ((lon - ax) * k, lat - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                ((px * dx + py * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (qx, qy) = (dx * t - px, dy * t - py);
            let d2 = qx * qx + qy * qy;
            if d2 < best.0 {
                best = (d2, [ax + (bx - ax) * t, ay + (by - ay) * t]);
            }
        }
        if part.len() == 1 {
            let [ax, ay] = part[0];
            let d2 = ((lon - ax) * k).powi(2) + (lat - ay).powi(2);
            if d2 < best.0 {
                best = (d2, [ax, ay]);
            }
        }
    }
    if !best.0.is_finite() {
        return f64::NAN;
    }
    atlas::geodesic::distance_km(lon, lat, best.1[0], best.1[1])
}

fn line_parts(g: &Value) -> Vec<Vec<[f64; 2]>> {
    let pos = |v: &Value| -> Option<[f64; 2]> {
        let a = v.as_array()?;
        Some([a.first()?.as_f64()?, a.get(1)?.as_f64()?])
    };
    let line = |v: &Value| -> Vec<[f64; 2]> {
        v.as_array()
            .map(|a| a.iter().filter_map(pos).collect())
            .unwrap_or_default()
    };
    let coords = g.get("coordinates");
    match g.get("type").and_then(Value::as_str) {
        Some("LineString") => coords.map(line).into_iter().collect(),
        Some("MultiLineString") => coords
            .and_then(Value::as_array)
            .map(|a| a.iter().map(line).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The data files the app knows, by role. Missing optional files are skipped.
pub struct Sources<'a> {
    pub incidents: Vec<(String, &'a [u8])>,
    pub border: Option<&'a [u8]>,
    pub crossings: Option<&'a [u8]>,
    pub places: Option<&'a [u8]>,
    pub provinces: Option<&'a [u8]>,
}

impl Dataset {
    /// Build from file contents.
    pub fn load(src: &Sources<'_>) -> Result<Dataset, LoadError> {
        let mut d = Dataset::default();
        if let Some(b) = src.border {
            let v = parse("border.geojson", b)?;
            for f in features("border.geojson", &v)? {
                if let Some(g) = f.get("geometry") {
                    d.border.extend(line_parts(g));
                }
            }
        }
        if let Some(b) = src.crossings {
            let v = parse("crossings.geojson", b)?;
            for f in features("crossings.geojson", &v)? {
                let empty = Map::new();
                let p = f
                    .get("properties")
                    .and_then(Value::as_object)
                    .unwrap_or(&empty);
                let Some((_, [lon, lat])) = f.get("geometry").and_then(geometry_extent) else {
                    continue;
                };
                let others = p
                    .get("other_names")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                d.crossings.push(Gazetteer {
                    kind: "crossing",
                    name: first_name(p),
                    detail: others,
                    lon,
                    lat,
                    bbox: None,
                });
            }
        }
        for (kind, file, bytes) in [
            ("place", "places.geojson", src.places),
            ("province", "provinces.geojson", src.provinces),
        ] {
            let Some(b) = bytes else { continue };
            let v = parse(file, b)?;
            for f in features(file, &v)? {
                let empty = Map::new();
                let p = f
                    .get("properties")
                    .and_then(Value::as_object)
                    .unwrap_or(&empty);
                let Some((bbox, c)) = f.get("geometry").and_then(geometry_extent) else {
                    continue;
                };
                let name = first_name(p);
                if name.is_empty() {
                    continue;
                }
                let mut detail = s(p, "admin1");
                for k in ["province", "country", "adm0_name", "admin"] {
                    let v = s(p, k);
                    if !v.is_empty() && !detail.contains(&v) {
                        detail = if detail.is_empty() {
                            v
                        } else {
                            format!("{detail}, {v}")
                        };
                    }
                }
                d.gazetteer.push(Gazetteer {
                    kind,
                    name,
                    detail,
                    lon: c[0],
                    lat: c[1],
                    bbox: (kind == "province").then_some(bbox),
                });
            }
        }
        for (name, bytes) in &src.incidents {
            let v = parse(name, bytes)?;
            for (i, f) in features(name, &v)?.iter().enumerate() {
                if let Some(r) = incident_record(i, f) {
                    d.store.upsert(&r);
                }
            }
            d.files.push(name.clone());
        }
        d.analytics = (0..d.store.len() as u32)
            .map(|row| {
                let (lon, lat) = (d.store.lon[row as usize], d.store.lat[row as usize]);
                let border_km = distance_to_lines_km(lon, lat, &d.border);
                let crossing = d
                    .crossings
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i, atlas::geodesic::distance_km(lon, lat, c.lon, c.lat)))
                    .filter(|(_, km)| km.is_finite())
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                RowAnalytics {
                    border_km,
                    crossing,
                }
            })
            .collect();
        Ok(d)
    }

    /// Whether a live row passes a filter.
    pub fn matches(&self, f: &Filter, row: u32) -> bool {
        let st = &self.store;
        let i = row as usize;
        if !st.is_live(row) {
            return false;
        }
        if let Some([w, s, e, n]) = f.bbox {
            let (x, y) = (st.lon[i], st.lat[i]);
            if !(x >= w && x <= e && y >= s && y <= n) {
                return false;
            }
        }
        if f.from.is_some_and(|from| st.day_end[i] < from)
            || f.to.is_some_and(|to| st.day_start[i] > to)
        {
            return false;
        }
        if !f.event_types.is_empty() && !f.event_types.iter().any(|t| t == st.event_type(row)) {
            return false;
        }
        if !f.geo_precision.is_empty() && !f.geo_precision.contains(&st.geo_precision[i]) {
            return false;
        }
        if f.fatalities_min.is_some() || f.fatalities_max.is_some() {
            let Some(v) = st.fatalities(row) else {
                return false;
            };
            if f.fatalities_min.is_some_and(|m| v < m) || f.fatalities_max.is_some_and(|m| v > m) {
                return false;
            }
        }
        if let Some(a) = f
            .actor
            .as_deref()
            .map(str::to_lowercase)
            .filter(|a| !a.is_empty())
        {
            let hit = [
                st.actor1(row),
                st.actor2(row),
                st.assoc_actor_1(row),
                st.assoc_actor_2(row),
            ]
            .iter()
            .any(|x| x.to_lowercase().contains(&a));
            if !hit {
                return false;
            }
        }
        if let Some(q) = f
            .source
            .as_deref()
            .map(str::to_lowercase)
            .filter(|q| !q.is_empty())
        {
            let prov_hit = st.provenance.get(&row).is_some_and(|p| {
                p.sources
                    .iter()
                    .any(|s| s.outlet.to_lowercase().contains(&q))
            });
            if !prov_hit && !st.source(row).to_lowercase().contains(&q) {
                return false;
            }
        }
        if let Some(km) = f.border_km_max {
            let d = self.analytics.get(i).map_or(f64::NAN, |a| a.border_km);
            // NaN (no border, no location) is outside every corridor.
            if d.is_nan() || d > km {
                return false;
            }
        }
        true
    }

    /// Rows passing a filter.
    pub fn select(&self, f: &Filter) -> Vec<u32> {
        (0..self.store.len() as u32)
            .filter(|&r| self.matches(f, r))
            .collect()
    }

    /// First and last day of the data (live rows), if any.
    pub fn day_range(&self) -> Option<(Day, Day)> {
        let st = &self.store;
        (0..st.len())
            .filter(|&i| !st.deleted[i])
            .fold(None, |acc, i| {
                let (a, b) = (st.day_start[i], st.day_end[i]);
                Some(acc.map_or((a, b), |(x, y): (Day, Day)| (x.min(a), y.max(b))))
            })
    }

    /// Date text of a row: one day or `start – end`.
    pub fn date_text(&self, row: u32) -> String {
        let i = row as usize;
        let (a, b) = (self.store.day_start[i], self.store.day_end[i]);
        if a == b {
            format_day(a)
        } else {
            format!("{} – {}", format_day(a), format_day(b))
        }
    }
}

/// A filtered view: its rows and their cluster index (what tiles are cut from).
#[derive(Debug)]
pub struct View {
    pub filter: Filter,
    pub rows: Vec<u32>,
    pub clusters: ClusterIndex,
}

impl View {
    pub fn new(d: &Dataset, filter: Filter) -> Result<View, atlas::cluster::ClusterError> {
        let rows: Vec<u32> = d
            .select(&filter)
            .into_iter()
            .filter(|&r| d.store.is_mapped(r))
            .collect();
        let opts = ClusterOptions {
            radius: 50.0,
            max_zoom: 14,
            ..ClusterOptions::default()
        };
        let clusters = ClusterIndex::from_store(&d.store, Some(&rows), &opts)?;
        Ok(View {
            filter,
            rows,
            clusters,
        })
    }
}
