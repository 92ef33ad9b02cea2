//! Problems found in input files: where (file, line, column, record) and what.
//!
//! Every importer reports bad input as [`Problem`]s. Their `Display` form is the
//! one the `atlas validate` command prints: `FILE:LINE:COL: message` (or
//! `FILE:LINE: message` when no column applies), with the record named in the message.
//!
//! ```
//! use atlas::problem::{Problem, Location, Record};
//! let p = Problem::new(
//!     Location { file: "a.geojson".into(), line: Some(3), column: Some(17), record: Some(Record::Feature(1)) },
//!     "latitude 95.2 out of range [-90, 90]",
//! );
//! assert_eq!(p.to_string(), "a.geojson:3:17: feature 1: latitude 95.2 out of range [-90, 90]");
//! ```

use std::fmt;

/// Which record of a file a problem concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Record {
    /// 0-based index of a GeoJSON feature in its FeatureCollection.
    Feature(u64),
    /// 1-based CSV data row (the header is row 0), as spreadsheet users count.
    CsvRow(u64),
}

/// Where in a file a problem is. Lines and columns are 1-based; columns count characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub record: Option<Record>,
}

/// One problem with an input file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    #[serde(flatten)]
    pub location: Location,
    pub message: String,
}

impl Problem {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Problem {
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.location;
        write!(f, "{}", l.file)?;
        if let Some(line) = l.line {
            write!(f, ":{line}")?;
            if let Some(col) = l.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        match l.record {
            Some(Record::Feature(i)) => write!(f, "feature {i}: ")?,
            Some(Record::CsvRow(r)) => write!(f, "row {r}: ")?,
            None => {}
        }
        write!(f, "{}", self.message)
    }
}

/// How an importer treats bad records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The first problem aborts the import; nothing is half-loaded.
    #[default]
    Strict,
    /// Valid records load; every rejected record is reported with its reason.
    Lenient,
}
