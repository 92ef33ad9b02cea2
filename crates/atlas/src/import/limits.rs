//! Resource limits for importing untrusted files: every file a researcher opens is
//! hostile until read. Each limit is checked while streaming, before the memory it
//! guards is spent, and a file over a limit is refused as a whole (strict or lenient)
//! with [`ImportError::Limit`](super::ImportError::Limit): a located [`Problem`](crate::Problem)
//! such as `big.geojson:2:80: feature 0: a string of more than 33554330 bytes exceeds
//! the limit of 16777216 bytes`. The defaults and the memory they bound are listed in
//! `docs/security.md`.
//!
//! ```
//! use atlas::import::{geojson, ImportError, ImportOptions, Limits};
//! let opts = ImportOptions { limits: Limits { max_depth: 4, ..Limits::default() }, ..Default::default() };
//! let deep = br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"a":[[[1]]]}}]}"#;
//! let err = geojson::incidents_from_bytes(deep, "deep.geojson", &opts).unwrap_err();
//! assert!(matches!(err, ImportError::Limit(_)));
//! assert_eq!(err.to_string(), "deep.geojson:1:93: feature 0: nesting deeper than 4 levels");
//! ```

/// Hard ceiling of [`Limits::max_depth`] (the tokenizer keeps one bit per level).
pub const MAX_DEPTH_CEILING: u32 = 64;

/// What an import may consume. A limit of 0 means "the default" so that a zeroed
/// struct is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the whole file. Default 4 GiB.
    pub max_file_bytes: u64,
    /// Bytes of one record: a GeoJSON feature (or the top-level object of a file that
    /// is a single Feature or a bare geometry), or a CSV row. Bounds the read buffer.
    /// Default 256 MiB.
    pub max_record_bytes: usize,
    /// Bytes of one string (a property value, a key, a CSV field). Default 16 MiB.
    pub max_string_bytes: usize,
    /// Nesting of JSON objects and arrays, the top-level value counting as 1.
    /// Default and ceiling 64 ([`MAX_DEPTH_CEILING`]).
    pub max_depth: u32,
    /// Positions of one geometry, over all its rings and parts. Default 5,000,000.
    pub max_vertices: usize,
    /// Records (features or CSV data rows) of one file. Default 25,000,000.
    pub max_records: u64,
    /// Fields of one CSV row (the header included). Default 10,000.
    pub max_columns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 4 << 30,
            max_record_bytes: 256 << 20,
            max_string_bytes: 16 << 20,
            max_depth: MAX_DEPTH_CEILING,
            max_vertices: 5_000_000,
            max_records: 25_000_000,
            max_columns: 10_000,
        }
    }
}

impl Limits {
    /// No limit (other than the depth ceiling): for trusted, bundled data only.
    pub fn unlimited() -> Self {
        Limits {
            max_file_bytes: u64::MAX,
            max_record_bytes: usize::MAX,
            max_string_bytes: usize::MAX,
            max_depth: MAX_DEPTH_CEILING,
            max_vertices: usize::MAX,
            max_records: u64::MAX,
            max_columns: usize::MAX,
        }
    }

    /// These limits with every 0 replaced by its default and the depth capped at
    /// [`MAX_DEPTH_CEILING`].
    pub fn effective(&self) -> Limits {
        let d = Limits::default();
        let or = |v: u64, dv: u64| if v == 0 { dv } else { v };
        let oru = |v: usize, dv: usize| if v == 0 { dv } else { v };
        Limits {
            max_file_bytes: or(self.max_file_bytes, d.max_file_bytes),
            max_record_bytes: oru(self.max_record_bytes, d.max_record_bytes),
            max_string_bytes: oru(self.max_string_bytes, d.max_string_bytes),
            max_depth: match self.max_depth {
                0 => d.max_depth,
                n => n.min(MAX_DEPTH_CEILING),
            },
            max_vertices: oru(self.max_vertices, d.max_vertices),
            max_records: or(self.max_records, d.max_records),
            max_columns: oru(self.max_columns, d.max_columns),
        }
    }
}
