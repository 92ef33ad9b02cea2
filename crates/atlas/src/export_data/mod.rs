//! Data export: incidents (given rows, with their border analytics) and layers as GeoJSON,
//! CSV and GeoPackage — the files researchers take into QGIS, R or a spreadsheet. (The
//! print-quality map renderer is [`crate::export`].)
//!
//! - [`fields`](Col): the incident columns, in ACLED order, then `date_end`, `border_km`,
//!   `side`, `chainage_km`, `nearest_crossing`, `crossing_km`, `sources`, `claims`;
//! - [`write_incidents_geojson`] / [`write_layer_geojson`]: RFC 7946 FeatureCollections,
//!   streamed feature by feature;
//! - [`write_incidents_csv`] / [`write_layer_csv`]: CSV (provenance flattened to text);
//! - [`Gpkg`]: GeoPackage 1.3 through SQLite, geometries as GeoPackageBinary ([`wkb`]);
//! - [`export_incidents`] / [`export_layer`]: to a file, the format from its extension.
//!
//! ```
//! use atlas::dataset::Dataset;
//! use atlas::export_data::{write_incidents_csv, Incidents};
//! use atlas::filter::Filter;
//! let d = Dataset::bundled().unwrap();
//! let rows = d.select(&Filter::default()).unwrap();
//! let mut out = Vec::new();
//! write_incidents_csv(&mut out, &Incidents::of(&d, &rows)).unwrap();
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.starts_with("event_id_cnty,event_date,year,time_precision,"));
//! assert_eq!(text.lines().count(), 1 + rows.len());
//! ```

mod csv;
mod fields;
mod geojson;
mod gpkg;
mod wkb;

pub use self::csv::{property_names, property_text, wkt};
pub use self::csv::{write_incidents as write_incidents_csv, write_layer as write_layer_csv};
pub use self::geojson::write_geometry as write_geometry_geojson;
pub use self::geojson::{
    write_incidents as write_incidents_geojson, write_layer as write_layer_geojson,
};
pub use fields::{claims_text, sources_text, Cell, Col, Incidents, Kind, COLUMNS};
pub use gpkg::Gpkg;
pub use wkb::{gpkg_geometry, wkb};

use crate::model::Layer;
use std::path::{Path, PathBuf};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportDataError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("writing: {0}")]
    Write(#[from] std::io::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("writing the GeoPackage: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}: unknown export format (use .geojson, .json, .csv or .gpkg)")]
    UnknownFormat(PathBuf),
}

impl ExportDataError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        ExportDataError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// File formats of the data export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataFormat {
    GeoJson,
    Csv,
    Gpkg,
}

impl DataFormat {
    /// The format of a file name's extension (case-insensitive).
    ///
    /// ```
    /// use atlas::export_data::DataFormat;
    /// use std::path::Path;
    /// assert_eq!(DataFormat::of_path(Path::new("out/Kurram.GPKG")), Some(DataFormat::Gpkg));
    /// assert_eq!(DataFormat::of_path(Path::new("a.json")), Some(DataFormat::GeoJson));
    /// assert_eq!(DataFormat::of_path(Path::new("a.shp")), None);
    /// ```
    pub fn of_path(path: &Path) -> Option<DataFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "geojson" | "json" => Some(DataFormat::GeoJson),
            "csv" => Some(DataFormat::Csv),
            "gpkg" => Some(DataFormat::Gpkg),
            _ => None,
        }
    }
}

/// Format `rows` in blocks on the rayon pool (`format(block, buffer)`), handing the buffers
/// to `write` in row order; memory stays bounded by one round of blocks.
fn in_blocks<E: Send>(
    rows: &[u32],
    format: impl Fn(&[u32], &mut Vec<u8>) -> Result<(), E> + Sync,
    mut write: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    use rayon::prelude::*;
    const BLOCK: usize = 2048;
    for round in rows.chunks(BLOCK * 16) {
        let bufs: Vec<Result<Vec<u8>, E>> = round
            .par_chunks(BLOCK)
            .map(|block| {
                let mut buf = Vec::with_capacity(block.len() * 512);
                format(block, &mut buf).map(|()| buf)
            })
            .collect();
        for b in bufs {
            write(&b?)?;
        }
    }
    Ok(())
}

fn create(path: &Path) -> Result<std::fs::File, ExportDataError> {
    std::fs::File::create(path).map_err(|e| ExportDataError::io(path, e))
}

/// Write incidents to `path`, the format from its extension; a GeoPackage gets one table
/// named `incidents`. Returns the format written.
pub fn export_incidents(path: &Path, inc: &Incidents<'_>) -> Result<DataFormat, ExportDataError> {
    let fmt =
        DataFormat::of_path(path).ok_or_else(|| ExportDataError::UnknownFormat(path.into()))?;
    match fmt {
        DataFormat::GeoJson => write_incidents_geojson(create(path)?, inc)?,
        DataFormat::Csv => write_incidents_csv(create(path)?, inc)?,
        DataFormat::Gpkg => {
            let mut g = Gpkg::create(path)?;
            g.add_incidents("incidents", inc)?;
            g.finish()?;
        }
    }
    Ok(fmt)
}

/// Write a layer to `path`, the format from its extension. Returns the format written.
pub fn export_layer(path: &Path, layer: &Layer) -> Result<DataFormat, ExportDataError> {
    let fmt =
        DataFormat::of_path(path).ok_or_else(|| ExportDataError::UnknownFormat(path.into()))?;
    match fmt {
        DataFormat::GeoJson => write_layer_geojson(create(path)?, layer)?,
        DataFormat::Csv => write_layer_csv(create(path)?, layer)?,
        DataFormat::Gpkg => {
            let mut g = Gpkg::create(path)?;
            g.add_layer(layer)?;
            g.finish()?;
        }
    }
    Ok(fmt)
}
