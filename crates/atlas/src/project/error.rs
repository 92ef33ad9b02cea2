//! What can go wrong with a project file, said with the file and, for JSON, the line
//! and column.

use std::path::PathBuf;

/// Why a project could not be read, migrated, saved or changed.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file system refused (`action` says what was being done).
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// Not JSON, or JSON of the wrong shape. `line`/`column` are 1-based (0 when unknown).
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The project file is larger than [`MAX_PROJECT_BYTES`](super::MAX_PROJECT_BYTES),
    /// or is not a regular file: refused before it is read.
    #[error("{}: {message}", path.display())]
    Refused { path: PathBuf, message: String },
    /// No `format_version` (or not a whole number).
    #[error("{file}: not a Border Atlas project: no \"format_version\" number")]
    NoVersion { file: String },
    /// Written by a newer program than this one.
    #[error("project written by a newer Border Atlas (format {found}); this version reads up to {supported}")]
    TooNew { found: u64, supported: u32 },
    /// A migration step failed.
    #[error("{file}: upgrading from format {from}: {message}")]
    Migration {
        file: String,
        from: u64,
        message: String,
    },
    /// No layer with this id in the project.
    #[error("no layer with id {0:?} in the project")]
    UnknownLayer(String),
    /// An embedded layer's bytes could not be decoded.
    #[error("layer {layer:?}: embedded data: {message}")]
    Embedded { layer: String, message: String },
    /// The project could not be written as a file that reads back; nothing was written.
    #[error("refusing to save: {0}")]
    Unsaveable(String),
    /// An annotation edit was refused.
    #[error(transparent)]
    Annotation(#[from] super::annotations::AnnotationError),
}

impl ProjectError {
    pub(crate) fn io(path: &std::path::Path, action: &'static str, source: std::io::Error) -> Self {
        ProjectError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    pub(crate) fn json(file: &str, e: &serde_json::Error) -> Self {
        // serde_json appends " at line L column C"; keep the message without it.
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        ProjectError::Parse {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}
