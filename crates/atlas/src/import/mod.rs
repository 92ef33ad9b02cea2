//! Importers: GeoJSON ([`geojson`]) and CSV ([`csv`]: ACLED, UCDP GED, generic
//! latitude/longitude), into an [`IncidentStore`](crate::model::IncidentStore) or a
//! generic [`Layer`](crate::model::Layer).
//!
//! Shared here: options (strict or lenient, progress and cancel, resource
//! [`Limits`]), the report of what was loaded and rejected, and the error type.

pub mod csv;
pub mod geojson;
mod limits;
pub mod mapping;

pub use limits::{Limits, MAX_DEPTH_CEILING};

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
    /// What the import may consume ([`Limits`]); a file over a limit is refused with
    /// [`ImportError::Limit`] in either mode.
    pub limits: Limits,
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
    /// The file exceeds one of [`ImportOptions::limits`]: refused as a whole, in either
    /// mode. The problem says where and which limit.
    #[error("{0}")]
    Limit(Problem),
}

impl ImportError {
    /// The located problem of an [`ImportError::Invalid`] or [`ImportError::Limit`].
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ImportError::Invalid(p) | ImportError::Limit(p) => Some(p),
            ImportError::Io { .. } | ImportError::Cancelled => None,
        }
    }
}

/// The two file formats the importers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    GeoJson,
    Csv,
}

impl FileFormat {
    /// Judge by extension (`.geojson`, `.json` / `.csv`, `.tsv`, `.txt`), else by the first
    /// non-blank byte of the file (`{` or `[` means JSON).
    ///
    /// ```
    /// use atlas::import::FileFormat;
    /// assert_eq!(FileFormat::of_name_and_head("a.GeoJSON", b""), FileFormat::GeoJson);
    /// assert_eq!(FileFormat::of_name_and_head("events", b"\xef\xbb\xbf {\"type\""), FileFormat::GeoJson);
    /// assert_eq!(FileFormat::of_name_and_head("events", b"event_id_cnty,event_date"), FileFormat::Csv);
    /// ```
    pub fn of_name_and_head(name: &str, head: &[u8]) -> FileFormat {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".geojson") || lower.ends_with(".json") {
            return FileFormat::GeoJson;
        }
        if lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt") {
            return FileFormat::Csv;
        }
        let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
        match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') | Some(b'[') => FileFormat::GeoJson,
            _ => FileFormat::Csv,
        }
    }

    /// [`FileFormat::of_name_and_head`] for a file on disk (reads its first bytes).
    pub fn of_path(path: &std::path::Path) -> Result<FileFormat, ImportError> {
        use std::io::Read;
        let name = path.display().to_string();
        let mut head = [0u8; 64];
        let n = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .map_err(|source| ImportError::Io {
                file: name.clone(),
                source,
            })?;
        Ok(FileFormat::of_name_and_head(&name, &head[..n]))
    }
}

/// Refuse a file on disk larger than [`Limits::max_file_bytes`] before reading it
/// (streaming readers check again as they read). Sets the progress total.
pub(crate) fn check_file_size(
    path: &std::path::Path,
    opts: &ImportOptions,
) -> Result<(), ImportError> {
    let name = path.display().to_string();
    let len = std::fs::metadata(path)
        .map_err(|source| ImportError::Io {
            file: name.clone(),
            source,
        })?
        .len();
    if let Some(p) = &opts.progress {
        p.bytes_total.store(len, Ordering::Relaxed);
    }
    let max = opts.limits.effective().max_file_bytes;
    if len > max {
        return Err(ImportError::Limit(Problem::new(
            crate::problem::Location {
                file: name,
                ..Default::default()
            },
            format!("the file has {len} bytes, more than the limit of {max} bytes"),
        )));
    }
    Ok(())
}

/// What a file turned out to hold.
#[derive(Debug)]
pub enum Opened {
    /// Conflict events (ACLED, UCDP GED, the project's own, or a generic CSV with dates).
    Incidents(Box<crate::model::IncidentStore>),
    /// Any other features, kept as they came.
    Layer(crate::model::Layer),
}

/// Open any supported file: incidents when its content looks like events, a generic layer
/// otherwise. All or nothing: on an error nothing is returned.
pub fn open_path(
    path: &std::path::Path,
    opts: &ImportOptions,
    csv_opts: &csv::CsvOptions,
) -> Result<(Opened, ImportReport), ImportError> {
    check_file_size(path, opts)?;
    match FileFormat::of_path(path)? {
        FileFormat::GeoJson => {
            if geojson::sniff(path)? == geojson::Kind::Incidents {
                let (s, r) = geojson::read_incidents(path, opts)?;
                Ok((Opened::Incidents(Box::new(s)), r))
            } else {
                let (l, r) = geojson::read_layer(path, opts)?;
                Ok((Opened::Layer(l), r))
            }
        }
        FileFormat::Csv => {
            let name = path.display().to_string();
            let f = std::fs::File::open(path).map_err(|source| ImportError::Io {
                file: name.clone(),
                source,
            })?;
            match csv::sniff(f, &name, &csv_opts.mapping)? {
                csv::CsvFormat::PointLayer => {
                    let f = std::fs::File::open(path).map_err(|source| ImportError::Io {
                        file: name.clone(),
                        source,
                    })?;
                    let (l, r) = csv::read_layer(f, &name, opts, csv_opts)?;
                    Ok((Opened::Layer(l), r))
                }
                _ => {
                    let mut store = crate::model::IncidentStore::default();
                    let imp = csv::read_incidents_file(path, &mut store, opts, csv_opts)?;
                    Ok((Opened::Incidents(Box::new(store)), imp.report))
                }
            }
        }
    }
}

/// Import a file of incidents into an existing store, updating events by id (ACLED
/// re-import). All or nothing: on an error the store is unchanged.
pub fn import_into(
    store: &mut crate::model::IncidentStore,
    path: &std::path::Path,
    opts: &ImportOptions,
    csv_opts: &csv::CsvOptions,
) -> Result<ImportReport, ImportError> {
    check_file_size(path, opts)?;
    match FileFormat::of_path(path)? {
        FileFormat::GeoJson => geojson::import_incidents_into(store, path, opts),
        FileFormat::Csv => csv::read_incidents_file(path, store, opts, csv_opts).map(|i| i.report),
    }
}
