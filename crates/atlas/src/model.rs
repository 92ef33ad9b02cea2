//! The data model: incidents (kept as a compact column store), their provenance
//! (sources and casualty claims), crossing points, the border line and generic layers.
//!
//! Importers build [`IncidentRecord`]s and push them into an [`IncidentStore`];
//! the indexes and analytics read the store's columns directly.
//!
//! ```
//! use atlas::model::{IncidentRecord, IncidentStore};
//! use atlas::date::parse_date;
//! let mut store = IncidentStore::default();
//! let mut r = IncidentRecord::new("PAK1", 71.09, 34.12, parse_date("2025-10-12").unwrap());
//! r.event_type = "Battles".into();
//! let row = store.push(&r);
//! assert_eq!(store.len(), 1);
//! assert_eq!(store.event_type(row), "Battles");
//! assert_eq!(store.row_of("PAK1"), Some(row));
//! ```

mod append;
mod ids;

use crate::date::Day;
use crate::text::{Interner, Sym, TextArena, TextRef};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A report an event is based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    /// Outlet or organisation, e.g. "Dawn", "ISPR press release".
    pub outlet: String,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Only when certain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A casualty (or other) figure as somebody's claim, never as a fact:
/// "ISPR said 23 soldiers were killed" is `Claim { claimant: "ISPR", figure: Some(23), subject: "Pakistani soldiers killed", .. }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Claim {
    /// Who makes the claim: "ISPR", "Zabihullah Mujahid (Taliban government spokesman)".
    pub claimant: String,
    /// What is counted: "Pakistani soldiers killed".
    pub subject: String,
    /// The lower figure claimed; `None` when the claim has no number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<u32>,
    /// Qualifier: "over", "at least", "up to", "about" — as the claimant said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// The claim in words, as reported.
    #[serde(default)]
    pub text: String,
    /// Index into the event's `sources` where the claim was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<usize>,
}

/// One incident as importers produce it and the UI shows it (owned, row-shaped).
/// The store keeps the same data as columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct IncidentRecord {
    /// `event_id_cnty` for ACLED, `id` for UCDP, else the feature id or position.
    pub event_id: String,
    /// The GeoJSON Feature's own `id` member as written (empty when absent or for CSV).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feature_id: String,
    /// First day of the event (inclusive).
    pub date_start: Day,
    /// Last day (inclusive); equals `date_start` for an event dated to a day.
    pub date_end: Day,
    /// ACLED time precision: 1 day, 2 week or range, 3 month or longer.
    pub time_precision: u8,
    pub disorder_type: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub actor1: String,
    pub assoc_actor_1: String,
    pub actor2: String,
    pub assoc_actor_2: String,
    /// Reported fatalities as the dataset records them; `None` when unknown.
    /// For the project's own sample, the per-claimant figures are in `claims`.
    pub fatalities: Option<u32>,
    pub iso: String,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub admin3: String,
    pub location: String,
    /// WGS84 longitude, latitude; NaN for an event kept without a location.
    pub lon: f64,
    pub lat: f64,
    /// ACLED geo precision: 1 exact place, 2 near a place / district, 3 province or region.
    pub geo_precision: u8,
    /// ACLED's `source` cell (outlets joined by ';').
    pub source: String,
    pub source_scale: String,
    pub notes: String,
    pub tags: String,
    /// Structured provenance, when the data has it.
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
}

impl IncidentRecord {
    pub fn new(event_id: &str, lon: f64, lat: f64, day: Day) -> Self {
        IncidentRecord {
            event_id: event_id.into(),
            lon,
            lat,
            date_start: day,
            date_end: day,
            time_precision: 1,
            geo_precision: 1,
            ..Default::default()
        }
    }
    /// Whether the event has a location.
    pub fn is_mapped(&self) -> bool {
        self.lon.is_finite() && self.lat.is_finite()
    }
}

/// Fatalities value for "unknown" in the column.
pub const NO_FATALITIES: u32 = u32::MAX;

/// Structured provenance of one row (kept out of line: most rows have none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
}

/// Incidents as columns: coordinates, day numbers, one-byte precisions, interned
/// categorical strings and one arena for free text. About 100 bytes per incident
/// plus its free text.
#[derive(Debug, Clone, Default)]
pub struct IncidentStore {
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    pub day_start: Vec<Day>,
    pub day_end: Vec<Day>,
    pub time_precision: Vec<u8>,
    pub geo_precision: Vec<u8>,
    /// Fatalities; [`NO_FATALITIES`] when unknown.
    pub fatalities: Vec<u32>,
    pub event_type: Vec<Sym>,
    pub sub_event_type: Vec<Sym>,
    pub disorder_type: Vec<Sym>,
    pub actor1: Vec<Sym>,
    pub actor2: Vec<Sym>,
    pub assoc_actor_1: Vec<Sym>,
    pub assoc_actor_2: Vec<Sym>,
    pub iso: Vec<Sym>,
    pub country: Vec<Sym>,
    pub admin1: Vec<Sym>,
    pub admin2: Vec<Sym>,
    pub admin3: Vec<Sym>,
    pub location: Vec<Sym>,
    pub source: Vec<Sym>,
    pub source_scale: Vec<Sym>,
    pub event_id: Vec<TextRef>,
    /// The Feature `id` member, when the source had one.
    pub feature_id: Vec<TextRef>,
    pub notes: Vec<TextRef>,
    pub tags: Vec<TextRef>,
    /// Row → provenance, for the rows that have structured sources or claims.
    pub provenance: HashMap<u32, Provenance>,
    /// Rows removed by an update (kept so row numbers stay stable); see [`IncidentStore::is_live`].
    pub deleted: Vec<bool>,
    pub strings: Interner,
    pub text: TextArena,
    /// Event id → row.
    ids: ids::IdIndex,
}

/// One row's fields, borrowed from wherever an importer holds them, for
/// [`IncidentStore::push_row`]. `text` is in [`RowRef::TEXT_FIELDS`] order.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'r> {
    pub event_id: &'r str,
    pub feature_id: &'r str,
    pub lon: f64,
    pub lat: f64,
    pub date_start: Day,
    pub date_end: Day,
    pub time_precision: u8,
    pub geo_precision: u8,
    pub fatalities: Option<u32>,
    pub text: [&'r str; 17],
    pub sources: &'r [Source],
    pub claims: &'r [Claim],
}

impl RowRef<'_> {
    /// The record fields `text` holds, in order.
    pub const TEXT_FIELDS: [&'static str; 17] = [
        "disorder_type",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "iso",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "source",
        "source_scale",
        "notes",
        "tags",
    ];
}

impl IncidentRecord {
    /// The record as borrowed row fields.
    pub fn as_row(&self) -> RowRef<'_> {
        RowRef {
            event_id: &self.event_id,
            feature_id: &self.feature_id,
            lon: self.lon,
            lat: self.lat,
            date_start: self.date_start,
            date_end: self.date_end,
            time_precision: self.time_precision,
            geo_precision: self.geo_precision,
            fatalities: self.fatalities,
            text: [
                &self.disorder_type,
                &self.event_type,
                &self.sub_event_type,
                &self.actor1,
                &self.assoc_actor_1,
                &self.actor2,
                &self.assoc_actor_2,
                &self.iso,
                &self.country,
                &self.admin1,
                &self.admin2,
                &self.admin3,
                &self.location,
                &self.source,
                &self.source_scale,
                &self.notes,
                &self.tags,
            ],
            sources: &self.sources,
            claims: &self.claims,
        }
    }
}

macro_rules! sym_getters {
    ($($name:ident),*) => {$(
        #[doc = concat!("`", stringify!($name), "` of a row.")]
        pub fn $name(&self, row: u32) -> &str {
            self.strings.get(self.$name[row as usize])
        }
    )*};
}

impl IncidentStore {
    /// Number of rows (deleted rows included).
    pub fn len(&self) -> usize {
        self.lon.len()
    }
    pub fn is_empty(&self) -> bool {
        self.lon.is_empty()
    }
    /// Number of live (not deleted) rows.
    pub fn live_len(&self) -> usize {
        self.deleted.iter().filter(|d| !**d).count()
    }
    pub fn is_live(&self, row: u32) -> bool {
        !self.deleted[row as usize]
    }
    /// Row of an event id, if present and live.
    pub fn row_of(&self, event_id: &str) -> Option<u32> {
        self.ids
            .get(event_id, &self.event_id, &self.text)
            .filter(|&r| self.is_live(r))
    }

    /// Reserve room for `n` more rows.
    pub fn reserve(&mut self, n: usize) {
        self.lon.reserve(n);
        self.lat.reserve(n);
        self.day_start.reserve(n);
        self.day_end.reserve(n);
        self.time_precision.reserve(n);
        self.geo_precision.reserve(n);
        self.fatalities.reserve(n);
        self.event_type.reserve(n);
        self.event_id.reserve(n);
        self.notes.reserve(n);
        self.deleted.reserve(n);
    }

    /// Append a record as a new row and return its row number. A record whose
    /// event id is already present is appended all the same (use [`IncidentStore::upsert`]
    /// to update); the id table then points at the newest row.
    pub fn push(&mut self, r: &IncidentRecord) -> u32 {
        let row = self.push_row(&r.as_row());
        if !r.event_id.is_empty() {
            self.ids.insert(row, &self.event_id, &self.text);
        }
        row
    }

    /// Append a row's columns without recording its event id in the id table (importers
    /// building a store in parts call [`IncidentStore::index_ids`] once at the end).
    pub(crate) fn push_row(&mut self, r: &RowRef<'_>) -> u32 {
        let row = self.lon.len() as u32;
        self.lon.push(r.lon);
        self.lat.push(r.lat);
        self.day_start.push(r.date_start);
        self.day_end.push(r.date_end.max(r.date_start));
        self.time_precision.push(r.time_precision);
        self.geo_precision.push(r.geo_precision);
        self.fatalities.push(r.fatalities.unwrap_or(NO_FATALITIES));
        let s = &mut self.strings;
        let [disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2, iso, country, admin1, admin2, admin3, location, source, source_scale, notes, tags] =
            r.text;
        self.event_type.push(s.intern(event_type));
        self.sub_event_type.push(s.intern(sub_event_type));
        self.disorder_type.push(s.intern(disorder_type));
        self.actor1.push(s.intern(actor1));
        self.actor2.push(s.intern(actor2));
        self.assoc_actor_1.push(s.intern(assoc_actor_1));
        self.assoc_actor_2.push(s.intern(assoc_actor_2));
        self.iso.push(s.intern(iso));
        self.country.push(s.intern(country));
        self.admin1.push(s.intern(admin1));
        self.admin2.push(s.intern(admin2));
        self.admin3.push(s.intern(admin3));
        self.location.push(s.intern(location));
        self.source.push(s.intern(source));
        self.source_scale.push(s.intern(source_scale));
        self.event_id.push(self.text.push(r.event_id));
        self.feature_id.push(self.text.push(r.feature_id));
        self.notes.push(self.text.push(notes));
        self.tags.push(self.text.push(tags));
        self.deleted.push(false);
        if !r.sources.is_empty() || !r.claims.is_empty() {
            self.provenance.insert(
                row,
                Provenance {
                    sources: r.sources.to_vec(),
                    claims: r.claims.to_vec(),
                },
            );
        }
        row
    }

    /// Insert or update by event id: an existing live row with the same id is
    /// marked deleted and the record appended. Returns the new row and whether it replaced one.
    pub fn upsert(&mut self, r: &IncidentRecord) -> (u32, bool) {
        let old = if r.event_id.is_empty() {
            None
        } else {
            self.row_of(&r.event_id)
        };
        if let Some(o) = old {
            self.deleted[o as usize] = true;
            self.provenance.remove(&o);
        }
        (self.push(r), old.is_some())
    }

    /// Mark a row deleted.
    pub fn delete(&mut self, row: u32) {
        if let Some(d) = self.deleted.get_mut(row as usize) {
            *d = true;
            self.provenance.remove(&row);
        }
    }

    sym_getters!(
        event_type,
        sub_event_type,
        disorder_type,
        actor1,
        actor2,
        assoc_actor_1,
        assoc_actor_2,
        iso,
        country,
        admin1,
        admin2,
        admin3,
        location,
        source,
        source_scale
    );

    pub fn event_id(&self, row: u32) -> &str {
        self.text.get(self.event_id[row as usize])
    }
    /// The GeoJSON Feature `id` member of a row ("" when it had none).
    pub fn feature_id(&self, row: u32) -> &str {
        self.text.get(self.feature_id[row as usize])
    }
    pub fn notes(&self, row: u32) -> &str {
        self.text.get(self.notes[row as usize])
    }
    pub fn tags(&self, row: u32) -> &str {
        self.text.get(self.tags[row as usize])
    }
    pub fn fatalities(&self, row: u32) -> Option<u32> {
        let f = self.fatalities[row as usize];
        (f != NO_FATALITIES).then_some(f)
    }
    pub fn is_mapped(&self, row: u32) -> bool {
        self.lon[row as usize].is_finite() && self.lat[row as usize].is_finite()
    }

    /// The row as a record (for panels, exports and tests).
    pub fn record(&self, row: u32) -> IncidentRecord {
        let i = row as usize;
        let prov = self.provenance.get(&row);
        IncidentRecord {
            event_id: self.event_id(row).into(),
            feature_id: self.feature_id(row).into(),
            date_start: self.day_start[i],
            date_end: self.day_end[i],
            time_precision: self.time_precision[i],
            disorder_type: self.disorder_type(row).into(),
            event_type: self.event_type(row).into(),
            sub_event_type: self.sub_event_type(row).into(),
            actor1: self.actor1(row).into(),
            assoc_actor_1: self.assoc_actor_1(row).into(),
            actor2: self.actor2(row).into(),
            assoc_actor_2: self.assoc_actor_2(row).into(),
            fatalities: self.fatalities(row),
            iso: self.iso(row).into(),
            country: self.country(row).into(),
            admin1: self.admin1(row).into(),
            admin2: self.admin2(row).into(),
            admin3: self.admin3(row).into(),
            location: self.location(row).into(),
            lon: self.lon[i],
            lat: self.lat[i],
            geo_precision: self.geo_precision[i],
            source: self.source(row).into(),
            source_scale: self.source_scale(row).into(),
            notes: self.notes(row).into(),
            tags: self.tags(row).into(),
            sources: prov.map(|p| p.sources.clone()).unwrap_or_default(),
            claims: prov.map(|p| p.claims.clone()).unwrap_or_default(),
        }
    }
}

/// Operating status of a crossing as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossingStatus {
    /// "open", "closed", "restricted", "unknown".
    pub status: String,
    /// `YYYY-MM-DD`.
    pub as_of: String,
    #[serde(default)]
    pub note: String,
}

/// A border crossing point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crossing {
    pub name: String,
    #[serde(default)]
    pub other_names: Vec<String>,
    pub lon: f64,
    pub lat: f64,
    /// Where the coordinate comes from.
    pub coord_source: String,
    /// "high", "medium-high", "medium".
    pub confidence: String,
    #[serde(default)]
    pub status: Vec<CrossingStatus>,
    /// Province on the Afghan side / the Pakistani side.
    #[serde(default)]
    pub province_af: String,
    #[serde(default)]
    pub province_pk: String,
}

/// The border as a polyline ordered from its southern end (Iran tripoint) to its
/// northern end (China tripoint); several parts where the source has gaps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BorderLine {
    /// Each part is a list of `[lon, lat]` positions, south to north.
    pub parts: Vec<Vec<[f64; 2]>>,
}

/// A generic layer feature: any GeoJSON geometry (or none), properties as they came.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFeature {
    pub id: Option<serde_json::Value>,
    pub geometry: Option<geo::Geometry<f64>>,
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// A researcher's layer of arbitrary features.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layer {
    pub name: String,
    pub features: Vec<LayerFeature>,
}
