//! The native file dialogs, run from Rust (the page has no dialog permission), and the
//! checks on a path the page passes instead (a path it got from an earlier dialog, a recent
//! project, or the end-to-end tests' folder; commands still check it is granted).

use crate::grants::Grants;
use crate::state::{AppError, AppResult};
use std::path::PathBuf;
use tauri_plugin_dialog::DialogExt;

/// Longest path accepted from the page, in bytes.
pub const MAX_PATH: usize = 4096;

/// A path from the page: not empty, not too long, no NUL.
pub fn path_arg(p: &str) -> AppResult<PathBuf> {
    if p.is_empty() || p.len() > MAX_PATH || p.contains('\0') {
        return Err(AppError::BadArgument(
            "path is empty, too long or has a NUL".into(),
        ));
    }
    Ok(PathBuf::from(p))
}

/// The open dialog for one file; `None` when cancelled.
pub fn pick_file(
    app: &tauri::AppHandle,
    title: &str,
    filter: &str,
    exts: &[&str],
) -> Option<PathBuf> {
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter, exts)
        .blocking_pick_file()
        .and_then(|f| f.into_path().ok())
}

/// The save dialog proposing `name`, filtered to `ext`; `None` when cancelled.
pub fn pick_save(app: &tauri::AppHandle, title: &str, name: &str, ext: &str) -> Option<PathBuf> {
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(name)
        .add_filter(ext.to_uppercase(), &[ext])
        .blocking_save_file()
        .and_then(|f| f.into_path().ok())
}

/// Where to write: the page's `path` (checked here, its grant checked by the command), or
/// the save dialog's choice, which is granted. `None`: the user cancelled the dialog.
pub fn save_target(
    app: &tauri::AppHandle,
    grants: &Grants,
    path: Option<String>,
    title: &str,
    name: &str,
    ext: &str,
) -> AppResult<Option<PathBuf>> {
    match path {
        Some(p) => path_arg(&p).map(Some),
        None => Ok(pick_save(app, title, name, ext).inspect(|p| grants.grant(p))),
    }
}
