//! Border Atlas engine.
//!
//! Everything the desktop app and the `atlas` command line do with data lives here:
//! the incident model ([`model`]), importers ([`import`]), spatial indexes, border
//! analytics, clustering and export. This crate has no GUI dependency: it builds and
//! tests without WebKit.
//!
//! Module map (one concept per module):
//! - [`date`]: civil dates as day numbers, parsing of the date forms found in ACLED/UCDP exports.
//! - [`problem`]: where-and-what reports for bad input, and the strict/lenient import modes.
//! - [`text`]: the string interner and text arena behind the compact column store.
//! - [`model`]: incidents (a column store), sources and claims, crossings, the border line, generic layers.
//! - [`filter`]: what a researcher filters by.
//! - [`import`]: GeoJSON and CSV importers with located problems.
//! - [`export`]: print-quality map pages (SVG, PNG, PDF) and time-lapse GIFs.
//! - [`project`]: research project files: save, reopen, annotate, never lose work.
//! - [`tiles`]: Mapbox Vector Tiles (points, lines, polygons) for the map.
//! - [`layer_tiles`]: vector tiles of researchers' own layers (any geometry, points clustered).

pub mod analytics;
pub mod bundled;
pub mod cluster;
pub mod dataset;
pub mod date;
pub mod export;
pub mod export_data;
pub mod filter;
pub mod gazetteer;
pub mod geodesic;
pub mod import;
pub mod incident_tiles;
pub mod index;
pub mod join;
pub mod layer_index;
pub mod layer_tiles;
pub mod model;
pub mod problem;
pub mod project;
#[cfg(test)]
mod testutil;
pub mod text;
pub mod tiles;
pub mod view_cache;

pub use model::{Claim, IncidentRecord, IncidentStore, Source};
pub use problem::{Location, Mode, Problem};
