//! Search: crossings, places and provinces by name (and other spellings), for the
//! search box and the CLI's `--of CROSSING-NAME`.
//!
//! ```
//! let g = atlas::gazetteer::Gazetteer::bundled().unwrap();
//! let hits = g.search("torkh", 5);
//! assert_eq!(hits[0].name, "Torkham");
//! assert_eq!(hits[0].kind, atlas::gazetteer::EntryKind::Crossing);
//! ```

use serde::Serialize;
use serde_json::{Map, Value};

/// What a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Crossing,
    Place,
    Province,
    Incident,
}

/// A named thing to search for and fly to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub kind: EntryKind,
    pub name: String,
    /// Other spellings, searched too.
    pub other_names: Vec<String>,
    /// Secondary text shown under the name (province, country).
    pub detail: String,
    pub lon: f64,
    pub lat: f64,
    /// `[west, south, east, north]` to fit, for areas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
    /// Larger ranks first among equally good matches (population for places).
    #[serde(skip)]
    pub weight: f64,
}

/// Why a gazetteer layer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{0}: {1}")]
    Json(&'static str, serde_json::Error),
    #[error("{0}: not a GeoJSON FeatureCollection")]
    NotCollection(&'static str),
}

/// The searchable names.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub entries: Vec<Entry>,
}

fn text(p: &Map<String, Value>, k: &str) -> String {
    match p.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Bounding box of any GeoJSON geometry's coordinates.
fn extent(g: &Value) -> Option<[f64; 4]> {
    fn walk(v: &Value, b: &mut [f64; 4], depth: usize) {
        let Some(a) = v.as_array() else { return };
        if let (Some(x), Some(y)) = (
            a.first().and_then(Value::as_f64),
            a.get(1).and_then(Value::as_f64),
        ) {
            b[0] = b[0].min(x);
            b[1] = b[1].min(y);
            b[2] = b[2].max(x);
            b[3] = b[3].max(y);
        } else if depth < 8 {
            a.iter().for_each(|c| walk(c, b, depth + 1));
        }
    }
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    walk(g.get("coordinates")?, &mut b, 0);
    b[0].is_finite().then_some(b)
}

/// Fold a name for matching: lower case, ASCII letters and digits only
/// ("Chaman – Spin Boldak" → "chamanspinboldak").
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

impl Gazetteer {
    /// Crossings, places and provinces of the bundled data.
    pub fn bundled() -> Result<Self, GazetteerError> {
        let mut g = Gazetteer::default();
        g.add_layer(
            EntryKind::Crossing,
            "crossings.geojson",
            crate::bundled::CROSSINGS,
        )?;
        g.add_layer(EntryKind::Place, "places.geojson", crate::bundled::PLACES)?;
        g.add_layer(
            EntryKind::Province,
            "provinces.geojson",
            crate::bundled::PROVINCES,
        )?;
        Ok(g)
    }

    /// Add every named feature of a GeoJSON FeatureCollection.
    pub fn add_layer(
        &mut self,
        kind: EntryKind,
        file: &'static str,
        bytes: &[u8],
    ) -> Result<(), GazetteerError> {
        let v: Value = serde_json::from_slice(bytes).map_err(|e| GazetteerError::Json(file, e))?;
        let feats = v
            .get("features")
            .and_then(Value::as_array)
            .ok_or(GazetteerError::NotCollection(file))?;
        let empty = Map::new();
        for f in feats {
            let p = f
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            let name = text(p, "name");
            let Some(b) = f.get("geometry").and_then(extent) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            let other_names = p
                .get("other_names")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let detail = match kind {
                EntryKind::Crossing => {
                    let (af, pk) = (text(p, "province_af"), text(p, "province_pk"));
                    format!("border crossing · {af} (Afghanistan) / {pk} (Pakistan)")
                }
                EntryKind::Province => {
                    let c = match text(p, "iso3").as_str() {
                        "AFG" => "Afghanistan",
                        "PAK" => "Pakistan",
                        other => other,
                    }
                    .to_string();
                    format!("province · {c}")
                }
                _ => {
                    let mut d = text(p, "country");
                    let admin = text(p, "admin1");
                    if !admin.is_empty() {
                        d = format!("{admin}, {d}");
                    }
                    d
                }
            };
            let weight = p.get("population").and_then(Value::as_f64).unwrap_or(0.0);
            self.entries.push(Entry {
                kind,
                name,
                other_names,
                detail,
                lon: (b[0] + b[2]) / 2.0,
                lat: (b[1] + b[3]) / 2.0,
                bbox: (b[0] != b[2] || b[1] != b[3]).then_some(b),
                weight,
            });
        }
        Ok(())
    }

    /// A crossing by (part of) its name or another spelling, e.g. "chaman", "Spin Boldak".
    pub fn crossing(&self, name: &str) -> Option<&Entry> {
        self.search(name, 1)
            .into_iter()
            .find(|e| e.kind == EntryKind::Crossing)
            .and_then(|e| {
                self.entries
                    .iter()
                    .find(|x| x.kind == e.kind && x.name == e.name)
            })
    }

    /// Entries matching `query`, best first: exact name, then prefix, then a word prefix,
    /// then a substring; crossings before provinces before places on ties, larger places first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Entry> {
        let q = fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let lowered = query.trim().to_lowercase();
        let mut hits: Vec<(u8, u8, f64, &Entry)> = Vec::new();
        for e in &self.entries {
            let mut best: Option<u8> = None;
            for n in std::iter::once(&e.name).chain(&e.other_names) {
                let f = fold(n);
                let score = if f == q {
                    0
                } else if f.starts_with(&q) {
                    1
                } else if n
                    .to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| !w.is_empty() && w.starts_with(&lowered))
                {
                    2
                } else if f.contains(&q) {
                    3
                } else {
                    continue;
                };
                best = Some(best.map_or(score, |b| b.min(score)));
            }
            if let Some(s) = best {
                let k = match e.kind {
                    EntryKind::Crossing => 0,
                    EntryKind::Province => 1,
                    EntryKind::Place => 2,
                    EntryKind::Incident => 3,
                };
                hits.push((s, k, e.weight, e));
            }
        }
        hits.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.3.name.cmp(&b.3.name))
        });
        hits.into_iter().take(limit).map(|h| h.3.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_crossings_by_other_spellings_and_provinces() {
        let g = Gazetteer::bundled().unwrap();
        assert!(
            g.entries
                .iter()
                .filter(|e| e.kind == EntryKind::Crossing)
                .count()
                >= 7
        );
        let c = g.crossing("spin boldak").expect("Chaman – Spin Boldak");
        assert!(c.name.starts_with("Chaman"), "{}", c.name);
        assert!((c.lon - 66.437).abs() < 0.01);
        let p = g.search("Helmand", 3);
        assert_eq!(p[0].kind, EntryKind::Province);
        assert!(p[0].bbox.is_some());
        assert!(g
            .search("Hilmand", 3)
            .iter()
            .all(|e| e.kind != EntryKind::Province));
        let k = g.search("kabul", 5);
        assert!(k
            .iter()
            .any(|e| e.kind == EntryKind::Place && e.name == "Kabul"));
        assert!(g.search("", 5).is_empty());
        assert!(g.search("zzzzzz", 5).is_empty());
    }

    #[test]
    fn bad_layers_are_errors_not_panics() {
        let mut g = Gazetteer::default();
        assert!(g.add_layer(EntryKind::Place, "x", b"{").is_err());
        assert!(g.add_layer(EntryKind::Place, "x", b"[1,2]").is_err());
        // Features without names or geometry are skipped.
        g.add_layer(
            EntryKind::Place,
            "x",
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"name":"A"}},{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}]}"#,
        )
        .unwrap();
        assert!(g.entries.is_empty());
    }
}
