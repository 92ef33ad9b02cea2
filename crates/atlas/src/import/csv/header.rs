//! What a CSV header says: the format (ACLED, UCDP GED, generic) and which column holds what.

use serde::{Deserialize, Serialize};

/// The kind of CSV file, as detected from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvFormat {
    /// An ACLED export (has `event_id_cnty` and `event_date`; the 31 columns of a full
    /// export or any subset with the essentials, such as the benchmark workload CSV).
    Acled,
    /// A UCDP GED file (has `id`, `date_start` and one of `type_of_violence`, `where_prec`, `side_a`).
    Ucdp,
    /// Other CSV with latitude/longitude and a date column: imported as incidents.
    GenericIncidents,
    /// Other CSV with latitude/longitude but no date column: imported as a point layer.
    PointLayer,
    /// No latitude/longitude columns found (map them explicitly with a [`CsvMapping`]).
    NoCoordinates,
}

/// Explicit column choices, overriding detection (the CLI's `--lat`, `--lon`, `--date`... flags).
/// Column names are matched case-insensitively after trimming.
///
/// ```
/// use atlas::import::csv::{detect, CsvFormat, CsvMapping};
/// let header = ["Northing", "Easting", "when"];
/// assert_eq!(detect(&header, &CsvMapping::default()), CsvFormat::NoCoordinates);
/// let m = CsvMapping { lat: Some("northing".into()), lon: Some("easting".into()), date: Some("when".into()), ..Default::default() };
/// assert_eq!(detect(&header, &m), CsvFormat::GenericIncidents);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvMapping {
    pub lat: Option<String>,
    pub lon: Option<String>,
    /// Event date (or first day of a range).
    pub date: Option<String>,
    /// Last day of a date range.
    pub date_end: Option<String>,
    pub id: Option<String>,
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    pub fatalities: Option<String>,
    pub country: Option<String>,
    pub location: Option<String>,
    pub source: Option<String>,
    pub notes: Option<String>,
    /// Field delimiter. `None`: `,`, unless the header is a single column containing tabs,
    /// semicolons or pipes, in which case the most frequent of those is used.
    pub delimiter: Option<u8>,
}

/// A column the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Id,
    Date,
    DateEnd,
    TimePrecision,
    DisorderType,
    EventType,
    SubEventType,
    Actor1,
    AssocActor1,
    Actor2,
    AssocActor2,
    Fatalities,
    Iso,
    Country,
    Admin1,
    Admin2,
    Admin3,
    Location,
    Lat,
    Lon,
    GeoPrecision,
    Source,
    SourceScale,
    Notes,
    Tags,
    TypeOfViolence,
    WherePrec,
    DatePrec,
    SourceArticle,
    SourceHeadline,
    Low,
    High,
}

const NCOLS: usize = Col::High as usize + 1;

/// ACLED names first: an ACLED export resolves to its own columns; the rest are aliases
/// for generic files.
const GENERIC_NAMES: &[(Col, &[&str])] = &[
    (Col::Id, &["event_id_cnty", "event_id", "id", "uid"]),
    (
        Col::Date,
        &["event_date", "date", "date_start", "start_date", "day"],
    ),
    (Col::DateEnd, &["date_end", "end_date"]),
    (Col::TimePrecision, &["time_precision"]),
    (Col::DisorderType, &["disorder_type"]),
    (Col::EventType, &["event_type", "type", "category"]),
    (Col::SubEventType, &["sub_event_type", "subtype"]),
    (Col::Actor1, &["actor1", "actor_1", "actor"]),
    (Col::AssocActor1, &["assoc_actor_1"]),
    (Col::Actor2, &["actor2", "actor_2"]),
    (Col::AssocActor2, &["assoc_actor_2"]),
    (Col::Fatalities, &["fatalities", "deaths", "killed"]),
    (Col::Iso, &["iso", "iso3"]),
    (Col::Country, &["country"]),
    (Col::Admin1, &["admin1", "adm_1", "province"]),
    (Col::Admin2, &["admin2", "adm_2", "district"]),
    (Col::Admin3, &["admin3", "adm_3"]),
    (Col::Location, &["location", "place", "where_description"]),
    (Col::Lat, &["latitude", "lat", "y"]),
    (Col::Lon, &["longitude", "lon", "lng", "long", "x"]),
    (Col::GeoPrecision, &["geo_precision"]),
    (Col::Source, &["source", "sources"]),
    (Col::SourceScale, &["source_scale"]),
    (Col::Notes, &["notes", "description", "summary"]),
    (Col::Tags, &["tags"]),
];

const UCDP_NAMES: &[(Col, &[&str])] = &[
    (Col::Id, &["id"]),
    (Col::Date, &["date_start"]),
    (Col::DateEnd, &["date_end"]),
    (Col::DatePrec, &["date_prec"]),
    (Col::TypeOfViolence, &["type_of_violence"]),
    (Col::Actor1, &["side_a"]),
    (Col::Actor2, &["side_b"]),
    (Col::Fatalities, &["best"]),
    (Col::Low, &["low"]),
    (Col::High, &["high"]),
    (Col::Country, &["country"]),
    (Col::Admin1, &["adm_1"]),
    (Col::Admin2, &["adm_2"]),
    (Col::Location, &["where_description"]),
    (Col::Lat, &["latitude"]),
    (Col::Lon, &["longitude"]),
    (Col::WherePrec, &["where_prec"]),
    (Col::SourceArticle, &["source_article"]),
    (Col::SourceHeadline, &["source_headline"]),
];

/// Which field index holds each understood column, for one file.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub format: CsvFormat,
    idx: [Option<usize>; NCOLS],
    /// Header names as in the file (trimmed, BOM removed).
    pub names: Vec<String>,
}

/// Header names compare lower-cased, trimmed, with spaces and hyphens as underscores
/// (`Event Date` matches `event_date`).
fn norm(s: &str) -> String {
    s.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

fn find(lower: &[String], name: &str) -> Option<usize> {
    lower.iter().position(|h| h == name)
}

fn base_format(lower: &[String]) -> CsvFormat {
    let has = |n: &str| find(lower, n).is_some();
    if has("id")
        && has("date_start")
        && (has("type_of_violence") || has("where_prec") || has("side_a"))
    {
        CsvFormat::Ucdp
    } else if has("event_id_cnty") && has("event_date") {
        CsvFormat::Acled
    } else {
        CsvFormat::GenericIncidents
    }
}

/// Detect the kind of file from its header (names matched case-insensitively, trimmed,
/// spaces and hyphens taken as underscores, a BOM ignored).
///
/// ```
/// use atlas::import::csv::{detect, CsvFormat, CsvMapping};
/// let m = CsvMapping::default();
/// assert_eq!(detect(&["event_id_cnty", "event_date", "latitude", "longitude"], &m), CsvFormat::Acled);
/// assert_eq!(detect(&["id", "date_start", "type_of_violence", "latitude", "longitude"], &m), CsvFormat::Ucdp);
/// assert_eq!(detect(&["name", "Lat", "Lng", "date"], &m), CsvFormat::GenericIncidents);
/// assert_eq!(detect(&["Event ID", "Event Date", "Latitude", "Longitude"], &m), CsvFormat::GenericIncidents);
/// assert_eq!(detect(&["name", "Y", "X"], &m), CsvFormat::PointLayer);
/// assert_eq!(detect(&["name", "note"], &m), CsvFormat::NoCoordinates);
/// ```
pub fn detect<S: AsRef<str>>(header: &[S], mapping: &CsvMapping) -> CsvFormat {
    match Columns::resolve(header, mapping) {
        Ok(c) => c.format,
        Err(_) => CsvFormat::NoCoordinates,
    }
}

impl Columns {
    /// Resolve the header. Errors name the mapped column that is missing.
    pub fn resolve<S: AsRef<str>>(header: &[S], mapping: &CsvMapping) -> Result<Columns, String> {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.as_ref().trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let lower: Vec<String> = names.iter().map(|h| norm(h)).collect();
        let mut format = base_format(&lower);
        let table = if format == CsvFormat::Ucdp {
            UCDP_NAMES
        } else {
            GENERIC_NAMES
        };
        let mut idx = [None; NCOLS];
        for (col, aliases) in table {
            idx[*col as usize] = aliases.iter().find_map(|a| find(&lower, a));
        }
        let explicit = [
            (Col::Lat, &mapping.lat, "--lat"),
            (Col::Lon, &mapping.lon, "--lon"),
            (Col::Date, &mapping.date, "--date"),
            (Col::DateEnd, &mapping.date_end, "--date-end"),
            (Col::Id, &mapping.id, "--id"),
            (Col::EventType, &mapping.event_type, "--event-type"),
            (
                Col::SubEventType,
                &mapping.sub_event_type,
                "--sub-event-type",
            ),
            (Col::Actor1, &mapping.actor1, "--actor1"),
            (Col::Actor2, &mapping.actor2, "--actor2"),
            (Col::Fatalities, &mapping.fatalities, "--fatalities"),
            (Col::Country, &mapping.country, "--country"),
            (Col::Location, &mapping.location, "--location"),
            (Col::Source, &mapping.source, "--source"),
            (Col::Notes, &mapping.notes, "--notes"),
        ];
        for (col, name, flag) in explicit {
            if let Some(name) = name {
                let i = find(&lower, &norm(name)).ok_or_else(|| {
                    format!(
                        "column \"{name}\" given with {flag} is not in the header: [{}]",
                        names.join(", ")
                    )
                })?;
                idx[col as usize] = Some(i);
            }
        }
        if idx[Col::Lat as usize].is_none() || idx[Col::Lon as usize].is_none() {
            format = CsvFormat::NoCoordinates;
        } else if format == CsvFormat::GenericIncidents && idx[Col::Date as usize].is_none() {
            format = CsvFormat::PointLayer;
        }
        Ok(Columns { format, idx, names })
    }

    pub fn get(&self, c: Col) -> Option<usize> {
        self.idx[c as usize]
    }

    /// Header name of field `i` (for messages).
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("?", |s| s.as_str())
    }

    /// The `no latitude/longitude columns` message.
    pub fn no_coordinates_message(&self) -> String {
        let mut m = format!(
            "no latitude/longitude columns: header has [{}]; map them with --lat/--lon",
            self.names.join(", ")
        );
        if let [only] = self.names.as_slice() {
            for (d, name) in [(';', "semicolon"), ('\t', "tab"), ('|', "pipe")] {
                if only.contains(d) {
                    m.push_str(&format!(
                        " (the header looks {name}-separated: set the delimiter)"
                    ));
                    break;
                }
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_resolves_its_own_columns() {
        let h = [
            "event_id_cnty",
            "event_date",
            "latitude",
            "longitude",
            "location",
            "notes",
        ];
        let c = Columns::resolve(&h, &CsvMapping::default()).unwrap();
        assert_eq!(c.format, CsvFormat::Acled);
        assert_eq!(c.get(Col::Id), Some(0));
        assert_eq!(c.get(Col::Lon), Some(3));
        assert_eq!(c.get(Col::Notes), Some(5));
    }

    #[test]
    fn mapping_overrides_and_missing_mapped_column_is_named() {
        let h = ["a", " B ", "c"];
        let m = CsvMapping {
            lat: Some("b".into()),
            lon: Some("A".into()),
            ..Default::default()
        };
        let c = Columns::resolve(&h, &m).unwrap();
        assert_eq!(c.format, CsvFormat::PointLayer);
        assert_eq!((c.get(Col::Lat), c.get(Col::Lon)), (Some(1), Some(0)));
        let m = CsvMapping {
            lat: Some("zz".into()),
            ..Default::default()
        };
        let e = Columns::resolve(&h, &m).unwrap_err();
        assert_eq!(
            e,
            "column \"zz\" given with --lat is not in the header: [a, B, c]"
        );
    }
}
