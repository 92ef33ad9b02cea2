//! Importers: GeoJSON ([`geojson`]) and CSV ([`csv`]: ACLED, UCDP GED, generic
//! latitude/longitude), into an [`IncidentStore`](crate::model::IncidentStore) or a
//! generic [`Layer`](crate::model::Layer).
//!
//! Shared here: options (strict or lenient, progress and cancel), the report of
//! what was loaded and rejected, and the error type.

pub mod csv;
pub mod geojson;

use crate::problem::{Mode, Problem};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// Progress of a running import, shared with whoever shows it; also carries the cancel flag.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of the file read so far.
    pub bytes_read: AtomicU64,
    /// Total bytes of the file (0 if unknown).
    pub bytes_total: AtomicU64,
    /// Records (features or rows) parsed so far.
    pub records: AtomicU64,
    /// Set to ask the import to stop; it then returns [`ImportError::Cancelled`] and loads nothing.
    pub cancel: AtomicBool,
}

impl Progress {
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub mode: Mode,
    /// At most this many problems are kept in the report (all are counted); 0 means 1000.
    pub max_problems: usize,
    pub progress: Option<Arc<Progress>>,
}

impl ImportOptions {
    pub fn lenient() -> Self {
        ImportOptions {
            mode: Mode::Lenient,
            ..Default::default()
        }
    }
    pub fn problem_cap(&self) -> usize {
        if self.max_problems == 0 {
            1000
        } else {
            self.max_problems
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub file: String,
    /// Records loaded (new rows).
    pub loaded: u64,
    /// Records that replaced an existing event with the same id (ACLED re-import).
    pub updated: u64,
    /// Records rejected (lenient mode).
    pub rejected: u64,
    /// The first problems (see [`ImportOptions::max_problems`]).
    pub problems: Vec<Problem>,
    /// All problems found, including those not kept in `problems`.
    pub problem_count: u64,
}

impl ImportReport {
    /// Record a problem, keeping at most `cap` of them.
    pub fn add_problem(&mut self, p: Problem, cap: usize) {
        self.problem_count += 1;
        if self.problems.len() < cap {
            self.problems.push(p);
        }
    }
}

/// Why an import failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// Strict mode: the first problem; or a problem that makes the whole file unreadable
    /// (invalid JSON outside any feature, empty file, no coordinate columns).
    #[error("{0}")]
    Invalid(Problem),
    #[error("import cancelled")]
    Cancelled,
}
