//! The incident columns every data export writes, in one order: ACLED's column order first
//! (the columns the store holds), then `date_end`, the border analytics, and the structured
//! provenance (`sources`, `claims`).

use crate::analytics::Analytics;
use crate::date::{civil_from_days, format_day};
use crate::model::{Claim, IncidentStore, Source};
use std::borrow::Cow;

/// Incidents to export: rows of a store, with their border analytics when known.
///
/// ```
/// use atlas::dataset::Dataset;
/// use atlas::export_data::Incidents;
/// use atlas::filter::Filter;
/// let d = Dataset::bundled().unwrap();
/// let rows = d.select(&Filter::default()).unwrap();
/// let inc = Incidents::of(&d, &rows);
/// assert_eq!(inc.rows.len(), 10);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Incidents<'a> {
    pub store: &'a IncidentStore,
    /// Analytics columns parallel to the store's rows; `None` leaves those columns empty.
    pub analytics: Option<&'a Analytics>,
    /// Rows to write, in this order (rows out of range or deleted are skipped).
    pub rows: &'a [u32],
}

impl<'a> Incidents<'a> {
    /// The rows of a dataset, with its analytics.
    pub fn of(d: &'a crate::dataset::Dataset, rows: &'a [u32]) -> Self {
        Incidents {
            store: d.store(),
            analytics: Some(d.analytics()),
            rows,
        }
    }

    /// The rows that exist and are live, in order.
    pub fn live_rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.rows
            .iter()
            .copied()
            .filter(|&r| (r as usize) < self.store.len() && self.store.is_live(r))
    }
}

/// Storage class of a column (GeoPackage column type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Real,
    /// `YYYY-MM-DD` text (a GeoPackage DATE).
    Date,
}

impl Kind {
    /// The GeoPackage (SQLite) type name.
    pub fn sql(self) -> &'static str {
        match self {
            Kind::Text => "TEXT",
            Kind::Integer => "INTEGER",
            Kind::Real => "REAL",
            Kind::Date => "DATE",
        }
    }
}

/// A value of one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Null,
    Text(Cow<'a, str>),
    Int(i64),
    Real(f64),
}

/// An incident column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    EventId,
    EventDate,
    Year,
    TimePrecision,
    DisorderType,
    EventType,
    SubEventType,
    Actor1,
    AssocActor1,
    Actor2,
    AssocActor2,
    Iso,
    Country,
    Admin1,
    Admin2,
    Admin3,
    Location,
    Latitude,
    Longitude,
    GeoPrecision,
    Source,
    SourceScale,
    Notes,
    Fatalities,
    Tags,
    DateEnd,
    BorderKm,
    Side,
    ChainageKm,
    NearestCrossing,
    CrossingKm,
    Sources,
    Claims,
}

/// All columns, in export order (CSV writes all; GeoJSON and GeoPackage leave out
/// `latitude`/`longitude`, which their geometry holds).
pub const COLUMNS: [Col; 33] = [
    Col::EventId,
    Col::EventDate,
    Col::Year,
    Col::TimePrecision,
    Col::DisorderType,
    Col::EventType,
    Col::SubEventType,
    Col::Actor1,
    Col::AssocActor1,
    Col::Actor2,
    Col::AssocActor2,
    Col::Iso,
    Col::Country,
    Col::Admin1,
    Col::Admin2,
    Col::Admin3,
    Col::Location,
    Col::Latitude,
    Col::Longitude,
    Col::GeoPrecision,
    Col::Source,
    Col::SourceScale,
    Col::Notes,
    Col::Fatalities,
    Col::Tags,
    Col::DateEnd,
    Col::BorderKm,
    Col::Side,
    Col::ChainageKm,
    Col::NearestCrossing,
    Col::CrossingKm,
    Col::Sources,
    Col::Claims,
];

/// Round km figures to the metre.
fn km(v: f64) -> Cell<'static> {
    if v.is_finite() {
        Cell::Real((v * 1000.0).round() / 1000.0)
    } else {
        Cell::Null
    }
}

impl Col {
    pub fn name(self) -> &'static str {
        match self {
            Col::EventId => "event_id_cnty",
            Col::EventDate => "event_date",
            Col::Year => "year",
            Col::TimePrecision => "time_precision",
            Col::DisorderType => "disorder_type",
            Col::EventType => "event_type",
            Col::SubEventType => "sub_event_type",
            Col::Actor1 => "actor1",
            Col::AssocActor1 => "assoc_actor_1",
            Col::Actor2 => "actor2",
            Col::AssocActor2 => "assoc_actor_2",
            Col::Iso => "iso",
            Col::Country => "country",
            Col::Admin1 => "admin1",
            Col::Admin2 => "admin2",
            Col::Admin3 => "admin3",
            Col::Location => "location",
            Col::Latitude => "latitude",
            Col::Longitude => "longitude",
            Col::GeoPrecision => "geo_precision",
            Col::Source => "source",
            Col::SourceScale => "source_scale",
            Col::Notes => "notes",
            Col::Fatalities => "fatalities",
            Col::Tags => "tags",
            Col::DateEnd => "date_end",
            Col::BorderKm => "border_km",
            Col::Side => "side",
            Col::ChainageKm => "chainage_km",
            Col::NearestCrossing => "nearest_crossing",
            Col::CrossingKm => "crossing_km",
            Col::Sources => "sources",
            Col::Claims => "claims",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Col::EventDate | Col::DateEnd => Kind::Date,
            Col::Year | Col::TimePrecision | Col::GeoPrecision | Col::Fatalities => Kind::Integer,
            Col::Latitude | Col::Longitude | Col::BorderKm | Col::ChainageKm | Col::CrossingKm => {
                Kind::Real
            }
            _ => Kind::Text,
        }
    }

    /// Whether the geometry of a GeoJSON feature / GeoPackage row already holds it.
    pub fn is_coordinate(self) -> bool {
        matches!(self, Col::Latitude | Col::Longitude)
    }

    /// The cell of `row`. `sources` and `claims` are flattened to text
    /// ([`sources_text`], [`claims_text`]); writers with nested values handle them apart.
    pub fn cell<'a>(self, inc: &Incidents<'a>, row: u32) -> Cell<'a> {
        let s = inc.store;
        let i = row as usize;
        let text = |v: &'a str| Cell::Text(Cow::Borrowed(v));
        let a = inc.analytics;
        match self {
            Col::EventId => text(s.event_id(row)),
            Col::EventDate => Cell::Text(Cow::Owned(format_day(s.day_start[i]))),
            Col::Year => Cell::Int(i64::from(civil_from_days(s.day_start[i]).0)),
            Col::TimePrecision => Cell::Int(i64::from(s.time_precision[i])),
            Col::DisorderType => text(s.disorder_type(row)),
            Col::EventType => text(s.event_type(row)),
            Col::SubEventType => text(s.sub_event_type(row)),
            Col::Actor1 => text(s.actor1(row)),
            Col::AssocActor1 => text(s.assoc_actor_1(row)),
            Col::Actor2 => text(s.actor2(row)),
            Col::AssocActor2 => text(s.assoc_actor_2(row)),
            Col::Iso => text(s.iso(row)),
            Col::Country => text(s.country(row)),
            Col::Admin1 => text(s.admin1(row)),
            Col::Admin2 => text(s.admin2(row)),
            Col::Admin3 => text(s.admin3(row)),
            Col::Location => text(s.location(row)),
            Col::Latitude => real(s.lat[i]),
            Col::Longitude => real(s.lon[i]),
            Col::GeoPrecision => Cell::Int(i64::from(s.geo_precision[i])),
            Col::Source => text(s.source(row)),
            Col::SourceScale => text(s.source_scale(row)),
            Col::Notes => text(s.notes(row)),
            Col::Fatalities => s
                .fatalities(row)
                .map_or(Cell::Null, |v| Cell::Int(i64::from(v))),
            Col::Tags => text(s.tags(row)),
            Col::DateEnd => Cell::Text(Cow::Owned(format_day(s.day_end[i]))),
            Col::BorderKm => a
                .and_then(|a| a.border_km.get(i))
                .map_or(Cell::Null, |&v| km(v)),
            Col::Side => a
                .and_then(|a| a.side.get(i))
                .map_or(Cell::Null, |v| match v {
                    crate::analytics::Side::Unknown => Cell::Null,
                    v => Cell::Text(Cow::Borrowed(v.as_str())),
                }),
            Col::ChainageKm => a
                .and_then(|a| a.chainage_km.get(i))
                .map_or(Cell::Null, |&v| km(f64::from(v))),
            Col::NearestCrossing => a
                .and_then(|a| a.nearest_crossing_name(row))
                .map_or(Cell::Null, text),
            Col::CrossingKm => a
                .and_then(|a| a.crossing_km.get(i))
                .map_or(Cell::Null, |&v| km(f64::from(v))),
            Col::Sources => s
                .provenance
                .get(&row)
                .map_or(Cell::Text(Cow::Borrowed("")), |p| {
                    Cell::Text(Cow::Owned(sources_text(&p.sources)))
                }),
            Col::Claims => s
                .provenance
                .get(&row)
                .map_or(Cell::Text(Cow::Borrowed("")), |p| {
                    Cell::Text(Cow::Owned(claims_text(&p.claims)))
                }),
        }
    }
}

fn real(v: f64) -> Cell<'static> {
    if v.is_finite() {
        Cell::Real(v)
    } else {
        Cell::Null
    }
}

/// Sources as one line of text: each `outlet, date, headline, url` (absent parts left
/// out), joined by `" | "`.
///
/// ```
/// use atlas::export_data::sources_text;
/// use atlas::Source;
/// let s = vec![
///     Source { outlet: "Dawn".into(), date: Some("2025-10-12".into()), headline: None, url: None },
///     Source { outlet: "Reuters".into(), ..Default::default() },
/// ];
/// assert_eq!(sources_text(&s), "Dawn, 2025-10-12 | Reuters");
/// ```
pub fn sources_text(sources: &[Source]) -> String {
    let mut out = String::new();
    for (k, s) in sources.iter().enumerate() {
        if k > 0 {
            out.push_str(" | ");
        }
        let parts = [
            Some(s.outlet.as_str()),
            s.date.as_deref(),
            s.headline.as_deref(),
            s.url.as_deref(),
        ];
        let mut first = true;
        for p in parts.into_iter().flatten().filter(|p| !p.is_empty()) {
            if !first {
                out.push_str(", ");
            }
            out.push_str(p);
            first = false;
        }
    }
    out
}

/// Claims as one line of text: each `claimant: text` joined by `" | "`.
///
/// ```
/// use atlas::export_data::claims_text;
/// use atlas::Claim;
/// let c = vec![Claim { claimant: "ISPR".into(), text: "23 soldiers killed".into(), ..Default::default() }];
/// assert_eq!(claims_text(&c), "ISPR: 23 soldiers killed");
/// ```
pub fn claims_text(claims: &[Claim]) -> String {
    let mut out = String::new();
    for (k, c) in claims.iter().enumerate() {
        if k > 0 {
            out.push_str(" | ");
        }
        out.push_str(&c.claimant);
        out.push_str(": ");
        out.push_str(&c.text);
    }
    out
}
