//! Where the data comes from: the bundled files (embedded with the UI under `data/`),
//! or a directory named by `BORDER_ATLAS_DATA`; extra incident files (GeoJSON) may be
//! given as command-line arguments.

use crate::dataset::{Dataset, LoadError, Sources};
use std::path::{Path, PathBuf};

/// The bundled files the engine reads (the page reads the rest itself).
pub const FILES: &[&str] = &[
    "incidents-sample.geojson",
    "border.geojson",
    "crossings.geojson",
    "places.geojson",
    "provinces.geojson",
];

/// Why loading failed.
#[derive(Debug, thiserror::Error)]
pub enum LoaderError {
    #[error(transparent)]
    Data(#[from] LoadError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

/// Load using `get(name)` for the bundled files and the given extra incident files.
pub fn load_with(
    get: impl Fn(&str) -> Option<Vec<u8>>,
    extra: &[PathBuf],
) -> Result<Dataset, LoaderError> {
    let files: Vec<Option<Vec<u8>>> = FILES.iter().map(|f| get(f)).collect();
    let mut extra_bytes = Vec::new();
    for p in extra {
        let b = std::fs::read(p).map_err(|e| LoaderError::Io(p.display().to_string(), e))?;
        extra_bytes.push((p.display().to_string(), b));
    }
    let mut incidents: Vec<(String, &[u8])> = Vec::new();
    if let Some(b) = &files[0] {
        incidents.push((FILES[0].to_string(), b.as_slice()));
    }
    for (n, b) in &extra_bytes {
        incidents.push((n.clone(), b.as_slice()));
    }
    let src = Sources {
        incidents,
        border: files[1].as_deref(),
        crossings: files[2].as_deref(),
        places: files[3].as_deref(),
        provinces: files[4].as_deref(),
    };
    Ok(Dataset::load(&src)?)
}

/// Read the bundled files from a directory (tests; `BORDER_ATLAS_DATA`).
pub fn from_dir(dir: &Path) -> impl Fn(&str) -> Option<Vec<u8>> + '_ {
    move |name| std::fs::read(dir.join(name)).ok()
}
