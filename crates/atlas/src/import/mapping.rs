//! A generic layer's features as incidents, through a field mapping the researcher sees and
//! edits: which property holds the date, the event type, the id, fatalities, actors, the
//! place, the source and notes. [`FieldMapping::guess`] proposes one from common names.
//!
//! ```
//! use atlas::import::mapping::{layer_to_incidents, FieldMapping};
//! use atlas::model::{Layer, LayerFeature};
//! let mut props = serde_json::Map::new();
//! props.insert("Date".into(), "2025-10-12".into());
//! props.insert("Category".into(), "Shelling".into());
//! let layer = Layer { name: "clashes".into(), features: vec![LayerFeature {
//!     id: None, geometry: Some(geo::Point::new(71.1, 34.1).into()), properties: props }] };
//! let m = FieldMapping::guess(&layer);
//! assert_eq!(m.date.as_deref(), Some("Date"));
//! assert_eq!(m.event_type.as_deref(), Some("Category"));
//! let (store, report) = layer_to_incidents(&layer, &m, "clashes.geojson").unwrap();
//! assert_eq!((store.live_len(), report.rejected), (1, 0));
//! assert_eq!(store.event_type(0), "Shelling");
//! ```

use super::ImportReport;
use crate::model::{IncidentRecord, IncidentStore, Layer};
use crate::problem::{Location, Problem, Record};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which property feeds which incident field (`None`: not mapped).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldMapping {
    /// Required: the (first) day of the event.
    pub date: Option<String>,
    /// Last day, for events dated to a range.
    pub date_end: Option<String>,
    pub event_id: Option<String>,
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    pub fatalities: Option<String>,
    pub admin1: Option<String>,
    pub location: Option<String>,
    pub source: Option<String>,
    pub notes: Option<String>,
}

/// Why a mapping cannot be applied at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("map a property to the event date")]
    NoDate,
    #[error("no property {0:?} in the layer")]
    NoSuchProperty(String),
}

const GUESSES: &[(&str, &[&str])] = &[
    (
        "date",
        &[
            "event_date",
            "date",
            "date_start",
            "start_date",
            "day",
            "datetime",
            "time",
        ],
    ),
    ("date_end", &["date_end", "end_date", "date_to"]),
    (
        "event_id",
        &[
            "event_id_cnty",
            "event_id",
            "id",
            "uid",
            "incident_id",
            "code",
            "ref",
        ],
    ),
    (
        "event_type",
        &[
            "event_type",
            "type",
            "category",
            "incident_type",
            "kind",
            "class",
        ],
    ),
    (
        "sub_event_type",
        &["sub_event_type", "subtype", "sub_type", "subcategory"],
    ),
    (
        "actor1",
        &["actor1", "actor", "actor_1", "side_a", "perpetrator"],
    ),
    ("actor2", &["actor2", "actor_2", "side_b", "target"]),
    (
        "fatalities",
        &[
            "fatalities",
            "deaths",
            "killed",
            "best",
            "casualties",
            "dead",
        ],
    ),
    (
        "admin1",
        &["admin1", "province", "region", "state", "adm1_name"],
    ),
    (
        "location",
        &["location", "place", "name", "village", "town", "site"],
    ),
    ("source", &["source", "sources", "outlet", "reference"]),
    (
        "notes",
        &[
            "notes",
            "description",
            "comment",
            "comments",
            "details",
            "summary",
        ],
    ),
];

/// Property names of a layer, in first-seen order (at most 500).
pub fn property_names(layer: &Layer) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in layer.features.iter().take(10_000) {
        for k in f.properties.keys() {
            if out.len() >= 500 {
                return out;
            }
            if !out.iter().any(|x| x == k) {
                out.push(k.clone());
            }
        }
    }
    out
}

impl FieldMapping {
    /// A proposal from common property names (case-insensitive).
    pub fn guess(layer: &Layer) -> FieldMapping {
        let names = property_names(layer);
        let find = |cands: &[&str]| {
            cands
                .iter()
                .find_map(|c| names.iter().find(|n| n.eq_ignore_ascii_case(c)).cloned())
        };
        let mut m = FieldMapping::default();
        for (field, cands) in GUESSES {
            let v = find(cands);
            match *field {
                "date" => m.date = v,
                "date_end" => m.date_end = v,
                "event_id" => m.event_id = v,
                "event_type" => m.event_type = v,
                "sub_event_type" => m.sub_event_type = v,
                "actor1" => m.actor1 = v,
                "actor2" => m.actor2 = v,
                "fatalities" => m.fatalities = v,
                "admin1" => m.admin1 = v,
                "location" => m.location = v,
                "source" => m.source = v,
                _ => m.notes = v,
            }
        }
        m
    }

    fn all(&self) -> [&Option<String>; 12] {
        [
            &self.date,
            &self.date_end,
            &self.event_id,
            &self.event_type,
            &self.sub_event_type,
            &self.actor1,
            &self.actor2,
            &self.fatalities,
            &self.admin1,
            &self.location,
            &self.source,
            &self.notes,
        ]
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The point features of `layer` as incidents (one per point; a MultiPoint gives one per
/// member, ids suffixed `-1`, `-2`…). Features without a point location, or whose date does
/// not parse, are rejected with a located problem; fatalities that are not a whole number
/// ≥ 0 are kept as unknown and reported.
pub fn layer_to_incidents(
    layer: &Layer,
    m: &FieldMapping,
    file: &str,
) -> Result<(IncidentStore, ImportReport), MappingError> {
    let date_key = m.date.as_ref().ok_or(MappingError::NoDate)?;
    let names = property_names(layer);
    for k in m.all().into_iter().flatten() {
        if !names.iter().any(|n| n == k) {
            return Err(MappingError::NoSuchProperty(k.clone()));
        }
    }
    let mut store = IncidentStore::default();
    let mut report = ImportReport {
        file: file.to_string(),
        ..ImportReport::default()
    };
    let cap = 1000;
    let problem = |i: usize, msg: String| {
        Problem::new(
            Location {
                file: file.to_string(),
                line: None,
                column: None,
                record: Some(Record::Feature(i as u64)),
            },
            msg,
        )
    };
    let get = |p: &serde_json::Map<String, Value>, k: &Option<String>| {
        k.as_ref().map(|k| text(p.get(k))).unwrap_or_default()
    };
    for (i, f) in layer.features.iter().enumerate() {
        let points: Vec<(f64, f64)> = match &f.geometry {
            Some(geo::Geometry::Point(p)) => vec![(p.x(), p.y())],
            Some(geo::Geometry::MultiPoint(mp)) => mp.iter().map(|p| (p.x(), p.y())).collect(),
            _ => {
                report.rejected += 1;
                report.add_problem(
                    problem(
                        i,
                        "not a point: only point features become incidents".into(),
                    ),
                    cap,
                );
                continue;
            }
        };
        let p = &f.properties;
        let raw_date = text(p.get(date_key));
        let Some(start) = crate::date::parse_date(&raw_date) else {
            report.rejected += 1;
            report.add_problem(
                problem(i, format!("{date_key} {raw_date:?} is not a date")),
                cap,
            );
            continue;
        };
        let end = m
            .date_end
            .as_ref()
            .and_then(|k| crate::date::parse_date(&text(p.get(k))))
            .filter(|&e| e >= start)
            .unwrap_or(start);
        let fatalities = match m.fatalities.as_ref().map(|k| p.get(k)) {
            Some(Some(Value::Number(n))) if n.as_u64().is_some_and(|v| v < u32::MAX as u64) => {
                n.as_u64().map(|v| v as u32)
            }
            Some(Some(Value::String(s))) if s.trim().parse::<u32>().is_ok() => {
                s.trim().parse().ok()
            }
            Some(Some(Value::Null)) | Some(None) | None => None,
            Some(Some(v)) => {
                report.add_problem(
                    problem(
                        i,
                        format!("fatalities {v} is not a whole number; kept as unknown"),
                    ),
                    cap,
                );
                None
            }
        };
        let base_id = match &m.event_id {
            Some(k) => text(p.get(k)),
            None => String::new(),
        };
        let base_id = if base_id.is_empty() {
            format!("{}#{i}", layer.name)
        } else {
            base_id
        };
        let many = points.len() > 1;
        for (j, (lon, lat)) in points.into_iter().enumerate() {
            let id = if many {
                format!("{base_id}-{}", j + 1)
            } else {
                base_id.clone()
            };
            let mut r = IncidentRecord::new(&id, lon, lat, start);
            r.date_end = end;
            r.time_precision = if end > start { 2 } else { 1 };
            r.feature_id = f.id.as_ref().map(|v| text(Some(v))).unwrap_or_default();
            r.event_type = get(p, &m.event_type);
            r.sub_event_type = get(p, &m.sub_event_type);
            r.actor1 = get(p, &m.actor1);
            r.actor2 = get(p, &m.actor2);
            r.fatalities = fatalities;
            r.admin1 = get(p, &m.admin1);
            r.location = get(p, &m.location);
            r.source = get(p, &m.source);
            r.notes = get(p, &m.notes);
            let (_, updated) = store.upsert(&r);
            if updated {
                report.updated += 1;
            } else {
                report.loaded += 1;
            }
        }
    }
    Ok((store, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LayerFeature;

    fn feature(props: serde_json::Value, g: Option<geo::Geometry<f64>>) -> LayerFeature {
        LayerFeature {
            id: None,
            geometry: g,
            properties: props.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn maps_dates_types_fatalities_and_reports_what_it_rejects() {
        let pt = |x: f64| Some(geo::Point::new(x, 34.0).into());
        let layer = Layer {
            name: "l".into(),
            features: vec![
                feature(
                    serde_json::json!({"when": "2025-10-12", "kind": "Clash", "dead": 4, "ref": "A"}),
                    pt(70.0),
                ),
                feature(
                    serde_json::json!({"when": "soon", "kind": "Clash", "ref": "B"}),
                    pt(70.1),
                ),
                feature(
                    serde_json::json!({"when": "2025-10-13", "dead": "many", "ref": "C"}),
                    pt(70.2),
                ),
                feature(
                    serde_json::json!({"when": "2025-10-14", "ref": "D"}),
                    Some(geo::LineString::from(vec![(0.0, 0.0), (1.0, 1.0)]).into()),
                ),
                feature(
                    serde_json::json!({"when": "2025-10-15", "ref": "E"}),
                    Some(geo::MultiPoint::from(vec![(70.0, 34.0), (70.5, 34.5)]).into()),
                ),
            ],
        };
        let m = FieldMapping {
            date: Some("when".into()),
            event_type: Some("kind".into()),
            fatalities: Some("dead".into()),
            event_id: Some("ref".into()),
            ..FieldMapping::default()
        };
        let (s, r) = layer_to_incidents(&layer, &m, "f.geojson").unwrap();
        assert_eq!(s.live_len(), 4); // A, C, E-1, E-2
        assert_eq!(r.rejected, 2);
        assert_eq!(r.problem_count, 3);
        assert_eq!(
            r.problems[0].to_string(),
            "f.geojson: feature 1: when \"soon\" is not a date"
        );
        assert_eq!(s.fatalities(s.row_of("A").unwrap()), Some(4));
        assert_eq!(s.fatalities(s.row_of("C").unwrap()), None);
        assert!(s.row_of("E-2").is_some());
        assert_eq!(
            layer_to_incidents(&layer, &FieldMapping::default(), "f").unwrap_err(),
            MappingError::NoDate
        );
        let bad = FieldMapping {
            date: Some("nope".into()),
            ..FieldMapping::default()
        };
        assert!(matches!(
            layer_to_incidents(&layer, &bad, "f"),
            Err(MappingError::NoSuchProperty(_))
        ));
    }
}
