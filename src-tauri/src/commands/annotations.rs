//! Annotations: the researcher's points, lines and polygons with a title and a note,
//! kept in the project (the engine's `Annotations`: validated geometry, undo/redo), and
//! exported as a GeoJSON FeatureCollection to a chosen file.

use crate::grants::Grants;
use crate::project::{bad, engine, Projects};
use crate::state::AppResult;
use atlas::project::{Annotation, Edit, Geometry};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest note, in characters.
pub const MAX_NOTE: usize = 10_000;
/// Most positions in one annotation.
pub const MAX_POSITIONS: usize = 10_000;
/// Most annotations in a project.
pub const MAX_ANNOTATIONS: usize = 10_000;

/// An edit as the page sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum EditArg {
    Add {
        geometry: Geometry,
        #[serde(default)]
        title: String,
        #[serde(default)]
        note: String,
    },
    Update {
        id: u64,
        #[serde(default)]
        geometry: Option<Geometry>,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        note: Option<String>,
    },
    Delete {
        id: u64,
    },
}

/// The annotations and what undo/redo can do.
#[derive(Debug, Clone, Serialize)]
pub struct AnnotationList {
    pub items: Vec<Annotation>,
    pub can_undo: bool,
    pub can_redo: bool,
}

/// The result of an edit: the annotation it touched and the new list.
#[derive(Debug, Clone, Serialize)]
pub struct Edited {
    pub id: u64,
    pub list: AnnotationList,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct AnnotationExport {
    pub path: String,
    pub bytes: usize,
    pub features: usize,
}

fn positions(g: &Geometry) -> usize {
    match g {
        Geometry::Point(_) => 1,
        Geometry::LineString(ps) => ps.len(),
        Geometry::Polygon(rings) => rings.iter().map(Vec::len).sum(),
    }
}

fn check_text(title: Option<&String>, note: Option<&String>) -> AppResult<()> {
    if title.is_some_and(|t| t.chars().count() > MAX_TITLE) {
        return Err(bad(format!("a title has at most {MAX_TITLE} characters")));
    }
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(bad(format!("a note has at most {MAX_NOTE} characters")));
    }
    Ok(())
}

fn check_geometry(g: Option<&Geometry>) -> AppResult<()> {
    match g {
        Some(g) if positions(g) > MAX_POSITIONS => Err(bad(format!(
            "an annotation has at most {MAX_POSITIONS} positions"
        ))),
        _ => Ok(()),
    }
}

pub fn list_impl(projects: &Projects) -> AppResult<AnnotationList> {
    let s = projects.session()?;
    Ok(AnnotationList {
        items: s.annotations.items().to_vec(),
        can_undo: s.annotations.can_undo(),
        can_redo: s.annotations.can_redo(),
    })
}

/// Validate and apply an edit (the engine checks positions and closes rings).
pub fn edit_impl(projects: &Projects, edit: EditArg) -> AppResult<Edited> {
    let edit = match edit {
        EditArg::Add {
            geometry,
            title,
            note,
        } => {
            check_text(Some(&title), Some(&note))?;
            check_geometry(Some(&geometry))?;
            Edit::Add {
                geometry,
                title: title.trim().to_string(),
                note,
            }
        }
        EditArg::Update {
            id,
            geometry,
            title,
            note,
        } => {
            check_text(title.as_ref(), note.as_ref())?;
            check_geometry(geometry.as_ref())?;
            Edit::Update {
                id,
                geometry,
                title: title.map(|t| t.trim().to_string()),
                note,
            }
        }
        EditArg::Delete { id } => Edit::Delete { id },
    };
    let id = {
        let mut s = projects.session()?;
        if matches!(edit, Edit::Add { .. }) && s.annotations.len() >= MAX_ANNOTATIONS {
            return Err(bad(format!(
                "a project has at most {MAX_ANNOTATIONS} annotations"
            )));
        }
        s.annotations.apply(edit).map_err(|e| bad(e.to_string()))?
    };
    Ok(Edited {
        id,
        list: list_impl(projects)?,
    })
}

/// Undo the last annotation edit (nothing to undo: the list unchanged).
pub fn undo_impl(projects: &Projects) -> AppResult<AnnotationList> {
    projects.session()?.annotations.undo();
    list_impl(projects)
}

pub fn redo_impl(projects: &Projects) -> AppResult<AnnotationList> {
    projects.session()?.annotations.redo();
    list_impl(projects)
}

/// Write the annotations as GeoJSON to a granted `.geojson`/`.json` path.
pub fn export_impl(
    projects: &Projects,
    grants: &Grants,
    path: &Path,
) -> AppResult<AnnotationExport> {
    if !grants.allows(path) {
        return Err(bad(format!(
            "{} was not chosen in a save dialog",
            path.display()
        )));
    }
    let lower = path.to_string_lossy().to_ascii_lowercase();
    if !(lower.ends_with(".geojson") || lower.ends_with(".json")) {
        return Err(bad(format!("{} does not end in .geojson", path.display())));
    }
    let (fc, n) = {
        let s = projects.session()?;
        (s.annotations.to_geojson(), s.annotations.len())
    };
    let mut bytes = serde_json::to_vec_pretty(&fc).map_err(engine)?;
    bytes.push(b'\n');
    crate::commands::export::write_atomic(path, &bytes)?;
    Ok(AnnotationExport {
        path: path.display().to_string(),
        bytes: bytes.len(),
        features: n,
    })
}

// --- Tauri commands -----------------------------------------------------------------

type St<'a, T> = tauri::State<'a, T>;

#[tauri::command]
pub fn annotations_list(projects: St<'_, Projects>) -> AppResult<AnnotationList> {
    list_impl(&projects)
}

#[tauri::command]
pub fn annotation_edit(projects: St<'_, Projects>, edit: EditArg) -> AppResult<Edited> {
    edit_impl(&projects, edit)
}

#[tauri::command]
pub fn annotation_undo(projects: St<'_, Projects>) -> AppResult<AnnotationList> {
    undo_impl(&projects)
}

#[tauri::command]
pub fn annotation_redo(projects: St<'_, Projects>) -> AppResult<AnnotationList> {
    redo_impl(&projects)
}

/// Export the annotations: to `path` (granted) or where the save dialog says. `None`:
/// cancelled.
#[tauri::command]
pub async fn annotations_export(
    app: tauri::AppHandle,
    projects: St<'_, Projects>,
    grants: St<'_, Grants>,
    path: Option<String>,
) -> AppResult<Option<AnnotationExport>> {
    let name = format!("{}-annotations.geojson", projects.session()?.name());
    let title = "Export annotations";
    let Some(path) = crate::dialogs::save_target(&app, &grants, path, title, &name, "geojson")?
    else {
        return Ok(None);
    };
    export_impl(&projects, &grants, &path).map(Some)
}
