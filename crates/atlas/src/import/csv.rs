//! CSV importer: ACLED exports, UCDP GED, and any CSV with latitude/longitude columns.
//!
//! The format is detected from the header ([`detect`], [`sniff`]): names are matched
//! case-insensitively after trimming, and a UTF-8 byte-order mark is ignored.
//! - **ACLED** (`event_id_cnty` + `event_date`): the 31-column export, or any subset that
//!   has the essentials (id, date, latitude, longitude) — the benchmark workload CSV is one.
//! - **UCDP GED** (`id`, `date_start` and `type_of_violence`/`where_prec`/`side_a`).
//! - **Generic**: latitude from `latitude`/`lat`/`y`, longitude from
//!   `longitude`/`lon`/`lng`/`long`/`x`, or as mapped in a [`CsvMapping`]. With a date
//!   column (`event_date`, `date`, `date_start`, `start_date`, `day`) rows become incidents
//!   ([`read_incidents`]); without one the file is a point layer ([`read_layer`]).
//!
//! The delimiter is `,` unless set in the mapping, or unless the header has no comma but
//! has tabs, semicolons or pipes (spreadsheets in many locales save `;`-separated CSV).
//!
//! How values are mapped (precisions, UCDP codes, sources) is listed in [`record`].
//! Generic rows without an id column get `FILE:ROW` (file name and data row) as their id,
//! so re-importing the same file updates rather than duplicates.
//!
//! Bad input never panics and is never dropped silently: each problem names the file, the
//! physical line and the character column where the offending field starts (a quoted field
//! spanning lines is placed on the line of its opening quote), and the 1-based data row.
//! A row with too many fields points at the first extra one, a short row at its end; a
//! quoted field left open is caught (the rest of the file would otherwise vanish into it).
//! Coordinates must be finite numbers within range (a decimal comma is accepted).
//! In [`Mode::Strict`](crate::problem::Mode) the first problem fails the import and nothing
//! is loaded; in lenient mode valid rows load and every rejected row is reported.
//!
//! An event id repeated within one file is reported as a problem; in lenient mode the
//! later row wins and the earlier one counts as rejected. Re-importing into a non-empty
//! store updates events by id ([`ImportReport::updated`]) and lists the store's events the
//! new export lacks ([`CsvImport::absent`], see [`reimport`]); set
//! [`CsvOptions::delete_absent`] to remove them.
//!
//! ```
//! use atlas::import::{ImportOptions, csv::{read_incidents, CsvOptions, CsvFormat}};
//! use atlas::IncidentStore;
//! let data = "event_id_cnty,event_date,event_type,latitude,longitude,fatalities\n\
//!             PAK9001,2025-10-12,Battles,34.12,71.09,3\n";
//! let mut store = IncidentStore::default();
//! let out = read_incidents(data.as_bytes(), "x.csv", &mut store, &ImportOptions::default(), &CsvOptions::default()).unwrap();
//! assert_eq!(out.format, CsvFormat::Acled);
//! assert_eq!(out.report.loaded, 1);
//! assert_eq!(store.event_type(0), "Battles");
//!
//! // Lenient: the bad row is reported with its line and column, the good one loads.
//! let bad = "event_id_cnty,event_date,latitude,longitude\nPAK1,2025-10-12,95.2,71\nPAK2,2025-10-12,34,71\n";
//! let mut store = IncidentStore::default();
//! let out = read_incidents(bad.as_bytes(), "bad.csv", &mut store, &ImportOptions::lenient(), &CsvOptions::default()).unwrap();
//! assert_eq!(out.report.problems[0].to_string(), "bad.csv:2:17: row 1: latitude 95.2 out of range [-90, 90]");
//! assert_eq!(store.len(), 1);
//! ```

mod cells;
mod driver;
mod header;
mod pipeline;
mod raw;
pub mod record;
pub mod reimport;

pub use header::{detect, CsvFormat, CsvMapping};
pub use reimport::{absent_events, is_dataset_id, ReimportScope};

use self::cells::coordinate;
use self::driver::Driver;
use self::header::Col;
use crate::import::{ImportError, ImportOptions, ImportReport};
use crate::model::{IncidentStore, Layer, LayerFeature};

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// CSV-specific options.
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// Explicit column choices and delimiter.
    pub mapping: CsvMapping,
    /// After a re-import, delete the store's events the new export lacks ([`CsvImport::absent`]).
    pub delete_absent: bool,
}

/// The result of [`read_incidents`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CsvImport {
    /// Counts and problems. `loaded` counts new events, `updated` events that replaced one
    /// already in the store, `rejected` rows not loaded (including earlier duplicates).
    pub report: ImportReport,
    pub format: CsvFormat,
    /// Rows of the store, within the new export's coverage, whose events the export does not
    /// have (ACLED and UCDP only; see [`reimport`]). Deleted when [`CsvOptions::delete_absent`].
    pub absent: Vec<u32>,
    /// How many of `absent` were deleted.
    pub removed: u64,
}

fn file_name(file: &str) -> &str {
    Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file)
}

/// Read the header only and say what kind of file this is.
///
/// ```
/// use atlas::import::csv::{sniff, CsvFormat, CsvMapping};
/// let f = sniff("\u{feff}Name,LAT,Lon\nA,1,2\n".as_bytes(), "a.csv", &CsvMapping::default()).unwrap();
/// assert_eq!(f, CsvFormat::PointLayer);
/// ```
pub fn sniff<R: Read>(
    input: R,
    file: &str,
    mapping: &CsvMapping,
) -> Result<CsvFormat, ImportError> {
    let opts = ImportOptions::default();
    Ok(Driver::open(input, file, &opts, mapping)?.cols.format)
}

/// Import incidents from CSV into `store`. Nothing is loaded unless the import succeeds
/// (strict mode: no problem at all; lenient: any number of rejected rows); a cancelled
/// import loads nothing. See the module docs for formats and problems. Rows are parsed on
/// a second thread (hence `R: Send`) while the first loads them.
///
/// ```
/// use atlas::import::{ImportOptions, csv::{read_incidents, CsvOptions}};
/// use atlas::IncidentStore;
/// let v1 = "event_id_cnty,event_date,country,latitude,longitude,fatalities\n\
///           PAK9001,2025-10-12,Pakistan,34.12,71.09,3\n\
///           PAK9002,2025-10-13,Pakistan,34.10,71.10,0\n";
/// let v2 = "event_id_cnty,event_date,country,latitude,longitude,fatalities\n\
///           PAK9001,2025-10-12,Pakistan,34.12,71.09,4\n\
///           PAK9003,2025-10-14,Pakistan,34.11,71.08,1\n";
/// let (opts, csv) = (ImportOptions::default(), CsvOptions::default());
/// let mut store = IncidentStore::default();
/// read_incidents(v1.as_bytes(), "v1.csv", &mut store, &opts, &csv).unwrap();
/// let again = read_incidents(v2.as_bytes(), "v2.csv", &mut store, &opts, &csv).unwrap();
/// assert_eq!((again.report.loaded, again.report.updated), (1, 1));
/// assert_eq!(store.fatalities(store.row_of("PAK9001").unwrap()), Some(4));
/// // PAK9002 is within the new export's coverage but not in it: deleted upstream?
/// assert_eq!(again.absent, vec![store.row_of("PAK9002").unwrap()]);
/// ```
pub fn read_incidents<R: Read + Send>(
    input: R,
    file: &str,
    store: &mut IncidentStore,
    opts: &ImportOptions,
    csv: &CsvOptions,
) -> Result<CsvImport, ImportError> {
    let drv = Driver::open(input, file, opts, &csv.mapping)?;
    let format = drv.cols.format;
    match format {
        CsvFormat::NoCoordinates => {
            return Err(drv.header_problem(drv.cols.no_coordinates_message()));
        }
        CsvFormat::PointLayer => {
            return Err(drv.header_problem(format!(
                "no date column: header has [{}]; map it with --date, or import the file as a layer",
                drv.cols.names.join(", ")
            )));
        }
        _ => {}
    }
    let name = file_name(file).to_string();
    let (fresh, mut report) = pipeline::load(drv, &name)?;
    let mut out = CsvImport {
        report: ImportReport::default(),
        format,
        absent: Vec::new(),
        removed: 0,
    };
    if store.is_empty() {
        report.loaded = fresh.live_len() as u64;
        *store = fresh;
    } else {
        if let Some(scope) = ReimportScope::of(&fresh, format) {
            out.absent = absent_events(store, &fresh, &scope);
        }
        for row in (0..fresh.len() as u32).filter(|&r| fresh.is_live(r)) {
            if store.upsert(&fresh.record(row)).1 {
                report.updated += 1;
            } else {
                report.loaded += 1;
            }
        }
        if csv.delete_absent {
            for &row in &out.absent {
                store.delete(row);
            }
            out.removed = out.absent.len() as u64;
        }
    }
    out.report = report;
    Ok(out)
}

fn open_file(path: &Path, opts: &ImportOptions) -> Result<File, ImportError> {
    let io = |e| ImportError::Io {
        file: path.display().to_string(),
        source: e,
    };
    crate::import::check_file_size(path, opts)?;
    File::open(path).map_err(io)
}

/// [`read_incidents`] from a file (sets the progress total to the file size).
pub fn read_incidents_file(
    path: &Path,
    store: &mut IncidentStore,
    opts: &ImportOptions,
    csv: &CsvOptions,
) -> Result<CsvImport, ImportError> {
    let f = open_file(path, opts)?;
    read_incidents(f, &path.display().to_string(), store, opts, csv)
}

/// Read any CSV with latitude/longitude columns as a point layer named after the file.
/// Each feature's properties are the row's cells as strings keyed by header name; its id is
/// the id column's cell when there is one. Rows with bad coordinates are problems, as for
/// [`read_incidents`].
///
/// ```
/// use atlas::import::{ImportOptions, csv::{read_layer, CsvOptions}};
/// let data = "name,lat,lon\nBorder post (synthetic),34.1,71.1\n";
/// let (layer, report) = read_layer(data.as_bytes(), "dir/posts.csv", &ImportOptions::default(), &CsvOptions::default()).unwrap();
/// assert_eq!(layer.name, "posts");
/// assert_eq!(layer.features[0].properties["name"], "Border post (synthetic)");
/// assert_eq!(report.loaded, 1);
/// ```
pub fn read_layer<R: Read>(
    input: R,
    file: &str,
    opts: &ImportOptions,
    csv: &CsvOptions,
) -> Result<(Layer, ImportReport), ImportError> {
    let mut drv = Driver::open(input, file, opts, &csv.mapping)?;
    let (Some(lat_i), Some(lon_i)) = (drv.cols.get(Col::Lat), drv.cols.get(Col::Lon)) else {
        return Err(drv.header_problem(drv.cols.no_coordinates_message()));
    };
    let id_i = drv.cols.get(Col::Id);
    let mut layer = Layer {
        name: Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(file)
            .to_string(),
        features: Vec::new(),
    };
    while drv.advance()? {
        let built = drv.cells().and_then(|cells| {
            let text = |i: usize| {
                cells.get(i).map_err(|i| {
                    cells::FieldProblem::at(
                        i,
                        format!("invalid UTF-8 in field \"{}\"", drv.cols.name(i)),
                    )
                })
            };
            let lat = coordinate(text(lat_i)?, "latitude", 90.0)
                .map_err(|m| cells::FieldProblem::at(lat_i, m))?;
            let lon = coordinate(text(lon_i)?, "longitude", 180.0)
                .map_err(|m| cells::FieldProblem::at(lon_i, m))?;
            let mut properties = serde_json::Map::with_capacity(cells.len());
            for i in 0..cells.len() {
                properties.insert(drv.cols.name(i).to_string(), text(i)?.into());
            }
            let id = match id_i {
                Some(i) => Some(serde_json::Value::from(text(i)?)),
                None => None,
            };
            Ok(LayerFeature {
                id,
                geometry: Some(geo::Geometry::Point(geo::Point::new(lon, lat))),
                properties,
            })
        });
        match built {
            Ok(f) => layer.features.push(f),
            Err(fp) => {
                let p = drv.locate(fp);
                drv.reject(p)?;
            }
        }
    }
    let mut report = std::mem::take(&mut drv.report);
    report.loaded = layer.features.len() as u64;
    Ok((layer, report))
}

/// [`read_layer`] from a file (sets the progress total to the file size).
pub fn read_layer_file(
    path: &Path,
    opts: &ImportOptions,
    csv: &CsvOptions,
) -> Result<(Layer, ImportReport), ImportError> {
    let f = open_file(path, opts)?;
    read_layer(f, &path.display().to_string(), opts, csv)
}
