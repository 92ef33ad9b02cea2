//! GeoJSON (RFC 7946) importer: streaming, parallel and strict.
//!
//! - [`read_incidents`] / [`incidents_from_reader`] / [`incidents_from_bytes`]: a
//!   FeatureCollection (or a single Feature) of incidents with ACLED-, UCDP- or
//!   Border-Atlas-style properties into an [`IncidentStore`].
//! - [`import_incidents_into`]: the same into an existing store, replacing events with
//!   the same event id (re-import of an updated export); all or nothing.
//! - [`read_layer`] / [`layer_from_reader`]: any features (every geometry type, null
//!   geometries, properties as they came) or a bare geometry into a [`Layer`].
//! - [`sniff`]: whether a file holds incidents or a generic layer.
//!
//! The file is read in chunks (memory stays bounded by a chunk plus what is loaded),
//! feature spans are parsed on several threads with a tokenizer that knows the byte
//! offset of every token, and every problem names the file, the line and column (in
//! characters) of the offending token, the feature index and what is wrong.
//! In [`Mode::Strict`](crate::problem::Mode::Strict) the first problem fails the import;
//! in lenient mode bad features are reported and skipped, and a syntax error that makes
//! the rest of the file unreadable is reported once and ends the import.
//!
//! Incident mapping: the event id is `event_id_cnty`, else the `id` property (UCDP),
//! else the Feature `id`, else the 0-based feature index. Dates (`event_date`, or UCDP
//! `date_start`; optional `date_end`) go through [`crate::date::parse_date`].
//! `fatalities` (UCDP `best`), `geo_precision` (UCDP `where_prec`, mapped 1→1, 2–3→2,
//! 4–7→3) and `time_precision` accept numbers or strings of digits. `sources` and
//! `claims` are arrays of [`Source`](crate::model::Source) and
//! [`Claim`](crate::model::Claim) objects. An incident's geometry must be a Point or
//! null (kept, unmapped).
//!
//! ```
//! use atlas::import::{geojson, ImportOptions};
//! let text = br#"{"type":"FeatureCollection","features":[
//!   {"type":"Feature","geometry":{"type":"Point","coordinates":[71.09,34.12]},
//!    "properties":{"event_id_cnty":"PAK1","event_date":"2025-10-12","event_type":"Battles","fatalities":"3"}}
//! ]}"#;
//! let (store, report) = geojson::incidents_from_bytes(text, "a.geojson", &ImportOptions::default()).unwrap();
//! assert_eq!((store.len(), report.loaded), (1, 1));
//! assert_eq!(store.fatalities(0), Some(3));
//!
//! let bad = br#"{"type":"FeatureCollection","features":[
//!   {"type":"Feature","geometry":{"type":"Point","coordinates":[71.09,95.2]},"properties":{"event_date":"2025-10-12"}}
//! ]}"#;
//! let err = geojson::incidents_from_bytes(bad, "b.geojson", &ImportOptions::default()).unwrap_err();
//! assert_eq!(err.to_string(), "b.geojson:2:69: feature 0: latitude 95.2 out of range [-90, 90]");
//! ```

mod cursor;
mod feature;
mod geometry;
mod lines;
mod stream;

use crate::import::{ImportError, ImportOptions, ImportReport};
use crate::model::{IncidentStore, Layer, LayerFeature};
use cursor::{Cursor, PErr, PResult};
use std::io::Read;
use std::path::Path;

pub use cursor::MAX_DEPTH;

/// Incidents into a store.
struct IncidentTarget<'s> {
    store: &'s mut IncidentStore,
}

/// The incidents one parser thread read: a column store of its own, and the rows that
/// had no id (they take their feature index, known only when the batches are merged).
#[derive(Default)]
struct IncidentBatch {
    store: IncidentStore,
    unnamed: Vec<(u32, u64)>,
}

impl stream::Target for IncidentTarget<'_> {
    type Item<'a> = feature::Incident<'a>;
    type Batch = IncidentBatch;
    fn parse<'a>(c: &mut Cursor<'a>) -> PResult<Self::Item<'a>> {
        feature::incident(c)
    }
    fn bare_geometry<'a>(c: &mut Cursor<'a>) -> PResult<Self::Item<'a>> {
        c.peek_ws();
        Err(PErr::value(
            c.pos,
            "the file is a bare geometry without properties, not incidents (open it as a layer)",
        ))
    }
    fn add(batch: &mut IncidentBatch, item: Self::Item<'_>, ordinal: u64) {
        let row = batch.store.push_row(&item.as_row());
        if item.event_id().is_none() {
            batch.unnamed.push((row, ordinal));
        }
    }
    fn accept(&mut self, mut batch: IncidentBatch, first: u64, report: &mut ImportReport) {
        for &(row, ordinal) in &batch.unnamed {
            batch
                .store
                .set_event_id(row, &(first + ordinal).to_string());
        }
        report.loaded += batch.store.len() as u64;
        self.store.extend_part(batch.store);
    }
}

/// Features into a layer.
struct LayerTarget {
    features: Vec<LayerFeature>,
}

impl stream::Target for LayerTarget {
    type Item<'a> = LayerFeature;
    type Batch = Vec<LayerFeature>;
    fn parse<'a>(c: &mut Cursor<'a>) -> PResult<LayerFeature> {
        feature::layer_feature(c)
    }
    fn bare_geometry<'a>(c: &mut Cursor<'a>) -> PResult<LayerFeature> {
        Ok(LayerFeature {
            id: None,
            geometry: Some(geometry::geometry(c, false)?),
            properties: serde_json::Map::new(),
        })
    }
    fn add(batch: &mut Vec<LayerFeature>, item: LayerFeature, _ordinal: u64) {
        batch.push(item);
    }
    fn accept(&mut self, batch: Vec<LayerFeature>, _first: u64, report: &mut ImportReport) {
        report.loaded += batch.len() as u64;
        if self.features.is_empty() {
            self.features = batch;
        } else {
            self.features.extend(batch);
        }
    }
}

fn open(path: &Path, opts: &ImportOptions) -> Result<(std::fs::File, String), ImportError> {
    let name = path.display().to_string();
    crate::import::check_file_size(path, opts)?;
    let f = std::fs::File::open(path).map_err(|e| ImportError::Io {
        file: name.clone(),
        source: e,
    })?;
    Ok((f, name))
}

/// Read a GeoJSON file of incidents into a new store.
///
/// Strict mode fails on the first problem ([`ImportError::Invalid`]); lenient mode loads
/// the valid features and reports the others. See the [module docs](self).
pub fn read_incidents(
    path: &Path,
    opts: &ImportOptions,
) -> Result<(IncidentStore, ImportReport), ImportError> {
    let (f, name) = open(path, opts)?;
    incidents_from_reader(f, &name, opts)
}

/// Read incidents from any reader; `file` names it in problems.
pub fn incidents_from_reader<R: Read>(
    rdr: R,
    file: &str,
    opts: &ImportOptions,
) -> Result<(IncidentStore, ImportReport), ImportError> {
    let mut store = IncidentStore::default();
    let mut t = IncidentTarget { store: &mut store };
    let mut report = stream::read(rdr, file, opts, &mut t)?;
    // A later feature with the id of an earlier one replaces it.
    let replaced = store.index_ids(0);
    report.loaded -= replaced;
    report.updated += replaced;
    Ok((store, report))
}

/// Read incidents from bytes in memory; `file` names them in problems.
pub fn incidents_from_bytes(
    bytes: &[u8],
    file: &str,
    opts: &ImportOptions,
) -> Result<(IncidentStore, ImportReport), ImportError> {
    incidents_from_reader(bytes, file, opts)
}

/// Import a GeoJSON file of incidents into an existing store: an event whose id is
/// already there replaces it (the report counts it as `updated`), others are added.
/// All or nothing: on an error (or cancel) the store is unchanged.
///
/// ```
/// use atlas::import::{geojson, ImportOptions};
/// let v1 = br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[71,34]},"properties":{"event_id_cnty":"PAK1","event_date":"2025-10-12","fatalities":2}}]}"#;
/// let v2 = br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[71,34]},"properties":{"event_id_cnty":"PAK1","event_date":"2025-10-12","fatalities":5}}]}"#;
/// let (mut store, _) = geojson::incidents_from_bytes(v1, "v1", &ImportOptions::default()).unwrap();
/// let report = geojson::import_incidents_from_reader_into(&mut store, &v2[..], "v2", &ImportOptions::default()).unwrap();
/// assert_eq!((report.loaded, report.updated), (0, 1));
/// assert_eq!(store.live_len(), 1);
/// assert_eq!(store.fatalities(store.row_of("PAK1").unwrap()), Some(5));
/// ```
pub fn import_incidents_into(
    store: &mut IncidentStore,
    path: &Path,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let (f, name) = open(path, opts)?;
    import_incidents_from_reader_into(store, f, &name, opts)
}

/// [`import_incidents_into`] from any reader.
pub fn import_incidents_from_reader_into<R: Read>(
    store: &mut IncidentStore,
    rdr: R,
    file: &str,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let (fresh, mut report) = incidents_from_reader(rdr, file, opts)?;
    report.loaded = 0;
    report.updated = 0;
    for row in 0..fresh.len() as u32 {
        if !fresh.is_live(row) {
            continue;
        }
        let (_, replaced) = store.upsert(&fresh.record(row));
        if replaced {
            report.updated += 1;
        } else {
            report.loaded += 1;
        }
    }
    Ok(report)
}

/// Read any GeoJSON file (FeatureCollection, Feature or bare geometry) as a layer named
/// after the file stem.
///
/// ```
/// use atlas::import::{geojson, ImportOptions};
/// let text = br#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
/// let (layer, _) = geojson::layer_from_reader(&text[..], "area.geojson", &ImportOptions::default()).unwrap();
/// assert!(matches!(layer.features[0].geometry, Some(geo::Geometry::Polygon(_))));
/// ```
pub fn read_layer(path: &Path, opts: &ImportOptions) -> Result<(Layer, ImportReport), ImportError> {
    let (f, name) = open(path, opts)?;
    let (mut layer, report) = layer_from_reader(f, &name, opts)?;
    layer.name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((layer, report))
}

/// Read a layer from any reader; `file` names it in problems and is the layer's name.
pub fn layer_from_reader<R: Read>(
    rdr: R,
    file: &str,
    opts: &ImportOptions,
) -> Result<(Layer, ImportReport), ImportError> {
    let mut t = LayerTarget {
        features: Vec::new(),
    };
    let report = stream::read(rdr, file, opts, &mut t)?;
    Ok((
        Layer {
            name: file.to_string(),
            features: t.features,
        },
        report,
    ))
}

/// What a GeoJSON file holds, judged from its first feature's properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ACLED-style (`event_date` and `event_type`), UCDP-style (`date_start` with
    /// `best`, `where_prec` or `type_of_violence`) or the project's own incidents.
    Incidents,
    /// Anything else: open it as a layer.
    Layer,
}

/// Judge from the properties of a first feature.
pub fn kind_of_properties(props: &serde_json::Map<String, serde_json::Value>) -> Kind {
    let has = |k: &str| props.contains_key(k);
    let acled = has("event_date") && has("event_type");
    let ucdp = has("date_start") && (has("best") || has("where_prec") || has("type_of_violence"));
    if acled || ucdp {
        Kind::Incidents
    } else {
        Kind::Layer
    }
}

/// Whether a GeoJSON file holds incidents or a generic layer, from its first feature
/// (reads at most the first 16 MiB). Files that cannot be read as GeoJSON are `Layer`
/// (opening them reports why).
///
/// ```
/// use atlas::import::geojson::{sniff_bytes, Kind};
/// let acled = br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"event_date":"2025-10-12","event_type":"Battles"}}]}"#;
/// assert_eq!(sniff_bytes(acled), Kind::Incidents);
/// assert_eq!(sniff_bytes(br#"{"type":"Point","coordinates":[1,2]}"#), Kind::Layer);
/// ```
pub fn sniff(path: &Path) -> Result<Kind, ImportError> {
    let f = std::fs::File::open(path).map_err(|e| ImportError::Io {
        file: path.display().to_string(),
        source: e,
    })?;
    // Most files show their first feature in the first kilobytes: try a small head
    // first (fast), and only then up to 16 MiB (a huge first geometry).
    let mut head = Vec::new();
    let mut f = f;
    for limit in [256u64 << 10, 16 << 20] {
        let want = limit - head.len() as u64;
        let n = (&mut f)
            .take(want)
            .read_to_end(&mut head)
            .map_err(|e| ImportError::Io {
                file: path.display().to_string(),
                source: e,
            })?;
        if let Some(kind) = sniff_head(&head) {
            return Ok(kind);
        }
        if (n as u64) < want {
            break; // the whole file is in `head`
        }
    }
    Ok(sniff_bytes(&head))
}

/// The kind, when `head` holds a whole first feature.
fn sniff_head(head: &[u8]) -> Option<Kind> {
    let mut t = SniffTarget(None);
    let _ = stream::read(head, "", &ImportOptions::lenient(), &mut t);
    t.0.map(|props| kind_of_properties(&props))
}

/// [`sniff`] on the start of a file in memory.
pub fn sniff_bytes(head: &[u8]) -> Kind {
    let mut t = SniffTarget(None);
    let opts = ImportOptions::lenient();
    // Stop after the first feature: the target keeps only it; a truncated head is fine.
    let _ = stream::read(head, "", &opts, &mut t);
    match t.0 {
        Some(props) => kind_of_properties(&props),
        None => Kind::Layer,
    }
}

/// Whether a GeoJSON file holds incidents (see [`sniff`]).
pub fn sniff_is_incidents(path: &Path) -> Result<bool, ImportError> {
    Ok(sniff(path)? == Kind::Incidents)
}

struct SniffTarget(Option<serde_json::Map<String, serde_json::Value>>);

impl stream::Target for SniffTarget {
    type Item<'a> = LayerFeature;
    /// The first feature's properties.
    type Batch = Option<serde_json::Map<String, serde_json::Value>>;
    fn parse<'a>(c: &mut Cursor<'a>) -> PResult<LayerFeature> {
        feature::layer_feature(c)
    }
    fn bare_geometry<'a>(c: &mut Cursor<'a>) -> PResult<LayerFeature> {
        c.skip_value()?;
        Ok(LayerFeature {
            id: None,
            geometry: None,
            properties: serde_json::Map::new(),
        })
    }
    fn add(batch: &mut Self::Batch, item: LayerFeature, _ordinal: u64) {
        if batch.is_none() {
            *batch = Some(item.properties);
        }
    }
    fn accept(&mut self, batch: Self::Batch, _first: u64, _report: &mut ImportReport) {
        if self.0.is_none() {
            self.0 = batch;
        }
    }
}
