//! Layer references: making them, checking them on open (ok, missing, changed),
//! relinking a moved file, embedding a copy, and reading a layer's bytes.

use super::checksum::{bytes_digest, file_digest};
use super::error::ProjectError;
use super::format::{LayerSource, Project};
use base64::Engine as _;
use serde::Serialize;
use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// What was found for a layer on open.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LayerState {
    /// Found with the recorded size and checksum (or embedded and intact).
    Ok { path: Option<PathBuf> },
    /// Not found at the relative nor the absolute path.
    Missing { tried: Vec<PathBuf> },
    /// Found, but its size or checksum differ from when the project was saved. The
    /// layer is still loaded.
    Changed {
        path: PathBuf,
        size: u64,
        recorded_size: u64,
        sha256: String,
    },
    /// Found but unreadable, or embedded data that does not decode.
    Unreadable { message: String },
}

impl LayerState {
    /// `ok`, `missing`, `changed` or `unreadable`.
    pub fn label(&self) -> &'static str {
        match self {
            LayerState::Ok { .. } => "ok",
            LayerState::Missing { .. } => "missing",
            LayerState::Changed { .. } => "changed",
            LayerState::Unreadable { .. } => "unreadable",
        }
    }
}

/// A reference to the file at `file`, relative to `project_dir` when under it.
pub fn file_source(file: &Path, project_dir: &Path) -> Result<LayerSource, ProjectError> {
    let (size, sha256) =
        file_digest(file).map_err(|e| ProjectError::io(file, "reading layer", e))?;
    let absolute =
        std::path::absolute(file).map_err(|e| ProjectError::io(file, "resolving layer path", e))?;
    let dir = std::path::absolute(project_dir).unwrap_or_else(|_| project_dir.to_path_buf());
    let path =
        relative_path(&absolute, &dir).unwrap_or_else(|| absolute.to_string_lossy().into_owned());
    Ok(LayerSource::File {
        path,
        absolute,
        size,
        sha256,
    })
}

/// `file` relative to `dir` with `/` separators (`../data/x.csv` for a sibling
/// folder), when both are plain absolute paths sharing more than the root.
///
/// ```
/// use atlas::project::layers::relative_path;
/// use std::path::Path;
/// let rel = |f: &str, d: &str| relative_path(Path::new(f), Path::new(d));
/// assert_eq!(rel("/r/study/data/a.csv", "/r/study").as_deref(), Some("data/a.csv"));
/// assert_eq!(rel("/r/data/a.csv", "/r/study").as_deref(), Some("../data/a.csv"));
/// assert_eq!(rel("/home/a.csv", "/r/study"), None);
/// ```
pub fn relative_path(file: &Path, dir: &Path) -> Option<String> {
    let plain = |p: &Path| {
        p.components().all(|c| {
            matches!(
                c,
                Component::Normal(_) | Component::RootDir | Component::Prefix(_)
            )
        })
    };
    if !file.is_absolute() || !dir.is_absolute() || !plain(file) || !plain(dir) {
        return None;
    }
    let f: Vec<Component> = file.components().collect();
    let d: Vec<Component> = dir.components().collect();
    let common = f.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let shares_more_than_root = f
        .iter()
        .take(common)
        .any(|c| matches!(c, Component::Normal(_)));
    if !shares_more_than_root {
        return None;
    }
    let ups = d.len() - common;
    let mut parts: Vec<String> = vec!["..".to_string(); ups];
    parts.extend(
        f.iter()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

/// An embedded copy of `bytes`: inline JSON when `inline_geojson` and the bytes are
/// JSON, base64 otherwise.
pub fn embedded_source(file_name: &str, bytes: &[u8], inline_geojson: bool) -> LayerSource {
    if inline_geojson {
        if let Ok(data) = serde_json::from_slice::<serde_json::Value>(bytes) {
            return LayerSource::Geojson {
                file_name: file_name.into(),
                data,
            };
        }
    }
    LayerSource::Base64 {
        file_name: file_name.into(),
        data: base64::engine::general_purpose::STANDARD.encode(bytes),
        sha256: bytes_digest(bytes),
    }
}

/// Where a file reference points, in the order tried: relative to the project's
/// directory, then the recorded absolute path.
pub fn candidates(source: &LayerSource, project_dir: &Path) -> Vec<PathBuf> {
    match source {
        LayerSource::File { path, absolute, .. } => {
            let p = Path::new(path);
            let mut out = vec![if p.is_absolute() {
                p.to_path_buf()
            } else {
                project_dir.join(p)
            }];
            if !out.contains(absolute) {
                out.push(absolute.clone());
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Check one layer source.
pub fn check_source(source: &LayerSource, project_dir: &Path) -> LayerState {
    match source {
        LayerSource::File { size, sha256, .. } => {
            let tried = candidates(source, project_dir);
            let Some(found) = tried.iter().find(|p| p.is_file()) else {
                return LayerState::Missing { tried };
            };
            match file_digest(found) {
                Err(e) => LayerState::Unreadable {
                    message: format!("{}: {e}", found.display()),
                },
                Ok((s, h)) if s == *size && h == *sha256 => LayerState::Ok {
                    path: Some(found.clone()),
                },
                Ok((s, h)) => LayerState::Changed {
                    path: found.clone(),
                    size: s,
                    recorded_size: *size,
                    sha256: h,
                },
            }
        }
        LayerSource::Base64 { data, sha256, .. } => {
            match base64::engine::general_purpose::STANDARD.decode(data) {
                Ok(b) if bytes_digest(&b) == *sha256 => LayerState::Ok { path: None },
                Ok(_) => LayerState::Unreadable {
                    message: "embedded data does not match its checksum".into(),
                },
                Err(e) => LayerState::Unreadable {
                    message: format!("embedded data is not base64: {e}"),
                },
            }
        }
        LayerSource::Geojson { .. } => LayerState::Ok { path: None },
    }
}

impl Project {
    /// Point layer `layer_id` at `new_path` (moved or replaced file), recording its
    /// current size and checksum. `project_path` is where the project file is.
    pub fn relink(
        &mut self,
        layer_id: &str,
        new_path: &Path,
        project_path: &Path,
    ) -> Result<(), ProjectError> {
        let dir = project_dir(project_path);
        let source = file_source(new_path, &dir)?;
        let layer = self
            .layers
            .iter_mut()
            .find(|l| l.id == layer_id)
            .ok_or_else(|| ProjectError::UnknownLayer(layer_id.into()))?;
        layer.source = source;
        Ok(())
    }

    /// Replace layer `layer_id`'s reference by an embedded copy of its current file.
    pub fn embed_layer(
        &mut self,
        layer_id: &str,
        project_path: &Path,
        inline_geojson: bool,
    ) -> Result<(), ProjectError> {
        let dir = project_dir(project_path);
        let layer = self
            .layers
            .iter_mut()
            .find(|l| l.id == layer_id)
            .ok_or_else(|| ProjectError::UnknownLayer(layer_id.into()))?;
        let bytes = layer_bytes(&layer.source, &dir, layer_id)?;
        let name = match &layer.source {
            LayerSource::File { absolute, .. } => absolute
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            LayerSource::Base64 { file_name, .. } | LayerSource::Geojson { file_name, .. } => {
                file_name.clone()
            }
        };
        layer.source = embedded_source(&name, &bytes, inline_geojson);
        Ok(())
    }
}

/// The bytes of a layer (read from its file, or decoded from the project) and a name
/// for them (file name, for importers' messages).
pub fn layer_bytes<'a>(
    source: &'a LayerSource,
    project_dir: &Path,
    layer_id: &str,
) -> Result<Cow<'a, [u8]>, ProjectError> {
    match source {
        LayerSource::File { .. } => {
            // Only a regular file: a path in a hostile project may name a device or a
            // FIFO (`/dev/zero`), which would never end or never answer.
            let tried = candidates(source, project_dir);
            let found = match tried.iter().find(|p| p.is_file()) {
                Some(found) => found,
                None => {
                    let first = tried
                        .first()
                        .ok_or_else(|| ProjectError::UnknownLayer(layer_id.into()))?;
                    return Err(ProjectError::io(
                        first,
                        "reading layer",
                        std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "no regular file there (missing, a directory or a device)",
                        ),
                    ));
                }
            };
            std::fs::read(found)
                .map(Cow::Owned)
                .map_err(|e| ProjectError::io(found, "reading layer", e))
        }
        LayerSource::Base64 { data, .. } => base64::engine::general_purpose::STANDARD
            .decode(data)
            .map(Cow::Owned)
            .map_err(|e| ProjectError::Embedded {
                layer: layer_id.into(),
                message: e.to_string(),
            }),
        LayerSource::Geojson { data, .. } => {
            serde_json::to_vec(data)
                .map(Cow::Owned)
                .map_err(|e| ProjectError::Embedded {
                    layer: layer_id.into(),
                    message: e.to_string(),
                })
        }
    }
}

/// The directory a project's relative paths are relative to.
pub fn project_dir(project_path: &Path) -> PathBuf {
    match project_path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
