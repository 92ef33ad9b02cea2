//! Research projects: a saved workspace (layers with their styles, filters, time
//! window, map view, export presets and the researcher's annotations) in a versioned
//! JSON file (`.atlas.json`, see `docs/project-format.md`), saved so that no crash can
//! tear it, autosaved to a recovery file, checked on open for moved or changed layer
//! files, and upgraded from older format versions.
//!
//! - [`format`]: the file's content ([`Project`] and its parts).
//! - [`annotations`]: points, lines, polygons with notes; undo/redo; GeoJSON export.
//! - [`save`]: the atomic save protocol, backup and recovery paths.
//! - [`layers`]: layer references: check, relink, embed, read.
//! - [`migrate`]: the upgrade chain from older format versions.
//!
//! ```
//! use atlas::project::{Project, ProjectLayer, LayerSource};
//! let dir = std::env::temp_dir().join(format!("atlas-project-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let data = dir.join("incidents.geojson");
//! std::fs::write(&data, br#"{"type":"FeatureCollection","features":[]}"#).unwrap();
//! let path = dir.join("study.atlas.json");
//!
//! let mut p = Project::default();
//! p.title = "Kurram, 2025".into();
//! p.add_file_layer("incidents", &data, &path).unwrap();
//! p.save(&path).unwrap();
//!
//! let opened = Project::open(&path).unwrap();
//! assert_eq!(opened.project.title, "Kurram, 2025");
//! assert!(opened.problems.is_empty() && opened.recovery_available.is_none());
//! assert!(matches!(&opened.project.layers[0].source, LayerSource::File { path, .. } if path == "incidents.geojson"));
//!
//! std::fs::remove_file(&data).unwrap();
//! let opened = Project::open(&path).unwrap();
//! assert_eq!(opened.problems.len(), 1); // missing, reported; the rest is all there
//! assert_eq!(opened.project.layers.len(), 1);
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

pub mod annotations;
pub mod checksum;
pub mod clock;
mod error;
pub mod format;
pub mod layers;
pub mod migrate;
pub mod save;

pub use annotations::{Annotation, Annotations, Edit, Geometry};
pub use error::ProjectError;
pub use format::{
    ExportPreset, LayerKind, LayerSource, LayerStyle, MapView, Project, ProjectLayer, StyleBy,
    TimeWindow, FORMAT_VERSION,
};
pub use layers::LayerState;

use serde::Serialize;
use std::path::{Path, PathBuf};

/// Largest project (or recovery) file read: 1 GiB, room for embedded layers. A larger
/// file, or one that is not a regular file (a FIFO, a device), is refused with
/// [`ProjectError::Refused`] before anything is read.
pub const MAX_PROJECT_BYTES: u64 = 1 << 30;

/// Read a project or recovery file within [`MAX_PROJECT_BYTES`].
fn read_project_file(path: &Path, action: &'static str) -> Result<Vec<u8>, ProjectError> {
    let meta = std::fs::metadata(path).map_err(|e| ProjectError::io(path, action, e))?;
    if !meta.is_file() {
        return Err(ProjectError::Refused {
            path: path.to_path_buf(),
            message: "not a regular file".into(),
        });
    }
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(ProjectError::Refused {
            path: path.to_path_buf(),
            message: format!(
                "the project file has {} bytes, more than the limit of {MAX_PROJECT_BYTES} bytes",
                meta.len()
            ),
        });
    }
    let mut text = Vec::new();
    use std::io::Read;
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_PROJECT_BYTES + 1).read_to_end(&mut text))
        .map_err(|e| ProjectError::io(path, action, e))?;
    if text.len() as u64 > MAX_PROJECT_BYTES {
        return Err(ProjectError::Refused {
            path: path.to_path_buf(),
            message: format!("the project file grew past the limit of {MAX_PROJECT_BYTES} bytes while being read"),
        });
    }
    Ok(text)
}

/// A project as opened, with what the user should be told.
#[derive(Debug)]
pub struct OpenOutcome {
    pub project: Project,
    /// One entry per layer, in `project.layers` order.
    pub layers: Vec<LayerState>,
    /// A recovery file newer than the project: offer to restore it
    /// ([`Project::open_recovery`]).
    pub recovery_available: Option<PathBuf>,
    /// Missing or changed layers and invalid annotations; nothing was dropped.
    pub problems: Vec<OpenProblem>,
}

/// Something wrong in an opened project that did not stop it from opening.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenProblem {
    /// The layer concerned, if any.
    pub layer_id: Option<String>,
    pub message: String,
}

impl std::fmt::Display for OpenProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.layer_id {
            Some(id) => write!(f, "layer {id:?}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl Project {
    /// Serialize as pretty JSON (the file's bytes), checked to read back: a number
    /// that is not finite (written as `null`) would make the file unreadable, so it is
    /// refused here rather than found on the next open.
    pub fn to_json(&self) -> Result<Vec<u8>, ProjectError> {
        let mut out =
            serde_json::to_vec_pretty(self).map_err(|e| ProjectError::Unsaveable(e.to_string()))?;
        out.push(b'\n');
        if let Err(e) = serde_json::from_slice::<Project>(&out) {
            return Err(ProjectError::Unsaveable(format!(
                "the file would not read back ({e}); is a number not finite?"
            )));
        }
        Ok(out)
    }

    /// Read project JSON of any supported format version; `file` names it in errors.
    /// Errors carry line and column.
    pub fn from_json(text: &[u8], file: &str) -> Result<Project, ProjectError> {
        let value: serde_json::Value =
            serde_json::from_slice(text).map_err(|e| ProjectError::json(file, &e))?;
        let version = migrate::version_of(&value, file)?;
        if version == FORMAT_VERSION as u64 {
            // Straight from the text, so shape errors have their line and column.
            return serde_json::from_slice(text).map_err(|e| ProjectError::json(file, &e));
        }
        migrate::migrate_named(value, file)
    }

    /// Save atomically to `path` (previous version kept as `NAME.bak`), bumping
    /// `revision` and `modified`, and remove the recovery file next to it.
    pub fn save(&mut self, path: &Path) -> Result<(), ProjectError> {
        self.save_with(path, None)
    }

    /// [`Project::save`], also removing the recovery file in `app_data_dir`.
    pub fn save_with(
        &mut self,
        path: &Path,
        app_data_dir: Option<&Path>,
    ) -> Result<(), ProjectError> {
        let before = (
            self.revision,
            self.modified.clone(),
            self.format_version,
            self.app_version.clone(),
        );
        self.revision += 1;
        self.modified = clock::now_rfc3339();
        self.format_version = FORMAT_VERSION;
        self.app_version = env!("CARGO_PKG_VERSION").to_string();
        if let Err(e) = self
            .to_json()
            .and_then(|b| save::write_atomic(path, &b, true))
        {
            (
                self.revision,
                self.modified,
                self.format_version,
                self.app_version,
            ) = before;
            return Err(e);
        }
        for p in [
            save::recovery_path(path, None),
            save::recovery_path(path, app_data_dir),
        ] {
            let _ = std::fs::remove_file(p);
        }
        Ok(())
    }

    /// Autosave (call on a timer): write the unsaved state to the recovery file of
    /// `path` (next to it, or in `app_data_dir`) atomically. The project file is not
    /// touched. Returns the recovery file's path.
    pub fn autosave(
        &self,
        path: &Path,
        app_data_dir: Option<&Path>,
    ) -> Result<PathBuf, ProjectError> {
        let rec = save::recovery_path(path, app_data_dir);
        if let Some(dir) = app_data_dir {
            std::fs::create_dir_all(dir)
                .map_err(|e| ProjectError::io(dir, "creating app data directory", e))?;
        }
        let mut copy = self.clone();
        copy.modified = clock::now_rfc3339();
        save::write_atomic(&rec, &copy.to_json()?, false)?;
        Ok(rec)
    }

    /// Open a project: parse (upgrading older formats), check every layer reference,
    /// check annotations, and look for a newer recovery file next to it.
    pub fn open(path: &Path) -> Result<OpenOutcome, ProjectError> {
        Project::open_with(path, None)
    }

    /// [`Project::open`], also looking for a recovery file in `app_data_dir`.
    pub fn open_with(
        path: &Path,
        app_data_dir: Option<&Path>,
    ) -> Result<OpenOutcome, ProjectError> {
        let text = read_project_file(path, "reading project")?;
        let mut project = Project::from_json(&text, &path.display().to_string())?;
        project.annotations.clear_history();
        let dir = layers::project_dir(path);
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let states: Vec<LayerState> = project
            .layers
            .iter()
            .map(|l| {
                if !seen.insert(l.id.as_str()) {
                    problems.push(OpenProblem {
                        layer_id: Some(l.id.clone()),
                        message: "layer id is used twice".into(),
                    });
                }
                let state = layers::check_source(&l.source, &dir);
                if let Some(message) = describe(&state) {
                    problems.push(OpenProblem {
                        layer_id: Some(l.id.clone()),
                        message,
                    });
                }
                state
            })
            .collect();
        problems.extend(
            project
                .annotations
                .check()
                .into_iter()
                .map(|message| OpenProblem {
                    layer_id: None,
                    message,
                }),
        );
        let recovery_available = newer_recovery(path, app_data_dir);
        Ok(OpenOutcome {
            project,
            layers: states,
            recovery_available,
            problems,
        })
    }

    /// Read a recovery file offered by [`OpenOutcome::recovery_available`].
    pub fn open_recovery(recovery: &Path) -> Result<Project, ProjectError> {
        let text = read_project_file(recovery, "reading recovery file")?;
        Project::from_json(&text, &recovery.display().to_string())
    }

    /// Add a layer referencing the file `file`; its id is `id`, made unique.
    /// `project_path` is where the project file is (or will be) saved. Returns the id.
    pub fn add_file_layer(
        &mut self,
        id: &str,
        file: &Path,
        project_path: &Path,
    ) -> Result<String, ProjectError> {
        let source = layers::file_source(file, &layers::project_dir(project_path))?;
        Ok(self.push_layer(id, file, source))
    }

    /// Add a layer holding a copy of `file` inside the project (inline GeoJSON when
    /// `inline_geojson` and the file is JSON, base64 otherwise). Returns the id.
    pub fn add_embedded_layer(
        &mut self,
        id: &str,
        file: &Path,
        inline_geojson: bool,
    ) -> Result<String, ProjectError> {
        let bytes = std::fs::read(file).map_err(|e| ProjectError::io(file, "reading layer", e))?;
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let source = layers::embedded_source(&name, &bytes, inline_geojson);
        Ok(self.push_layer(id, file, source))
    }

    fn push_layer(&mut self, id: &str, file: &Path, source: LayerSource) -> String {
        let mut unique = id.to_string();
        let mut n = 2;
        while self.layers.iter().any(|l| l.id == unique) {
            unique = format!("{id}-{n}");
            n += 1;
        }
        let order = self
            .layers
            .iter()
            .map(|l| l.style.order + 1)
            .max()
            .unwrap_or(0);
        self.layers.push(ProjectLayer {
            id: unique.clone(),
            name: file
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            kind: LayerKind::Incidents,
            source,
            style: LayerStyle {
                order,
                ..LayerStyle::default()
            },
        });
        unique
    }
}

fn describe(state: &LayerState) -> Option<String> {
    match state {
        LayerState::Ok { .. } => None,
        LayerState::Missing { tried } => Some(format!(
            "file missing (looked at {}); relink it",
            tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        )),
        LayerState::Changed {
            path,
            size,
            recorded_size,
            ..
        } => Some(format!(
            "{} changed since the project was saved ({recorded_size} -> {size} bytes, checksum differs); loaded as it is now",
            path.display()
        )),
        LayerState::Unreadable { message } => Some(message.clone()),
    }
}

/// A recovery file modified after the project file, if any.
fn newer_recovery(path: &Path, app_data_dir: Option<&Path>) -> Option<PathBuf> {
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let project_time = mtime(path)?;
    let mut places = vec![save::recovery_path(path, None)];
    if app_data_dir.is_some() {
        places.push(save::recovery_path(path, app_data_dir));
    }
    places
        .into_iter()
        .filter_map(|p| mtime(&p).filter(|t| *t > project_time).map(|t| (t, p)))
        .max_by_key(|(t, _)| *t)
        .map(|(_, p)| p)
}
