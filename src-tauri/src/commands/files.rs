//! Opening files: the system dialog (several at once), drops on the window and paths the
//! user already granted, each started as a background import job ([`crate::jobs`]).

use crate::grants::Grants;
use crate::jobs::{self, JobStatus};
use crate::state::{AppError, AppResult, AppState};
use std::path::PathBuf;
use std::sync::Arc;

/// Most files one open may start.
pub const MAX_FILES: usize = 64;

/// Start an import job per path. Every path must be granted (chosen by the user).
pub fn start_imports<F>(
    state: &AppState,
    grants: &Grants,
    paths: &[PathBuf],
    spawn: F,
) -> AppResult<Vec<u64>>
where
    F: Fn(Arc<jobs::Job>),
{
    if paths.len() > MAX_FILES {
        return Err(AppError::BadArgument(format!(
            "{} files at once (at most {MAX_FILES})",
            paths.len()
        )));
    }
    for p in paths {
        if !grants.allows(p) {
            return Err(AppError::BadArgument(format!(
                "{} was not chosen in a dialog or dropped on the window",
                p.display()
            )));
        }
        if !p.is_file() {
            return Err(AppError::BadArgument(format!(
                "{} is not a readable file",
                p.display()
            )));
        }
    }
    let mut ids = Vec::new();
    for p in paths {
        let job = state.jobs.create(p)?;
        ids.push(job.id);
        spawn(job);
    }
    Ok(ids)
}

/// Run a job on its own thread.
pub fn spawn_job(app: &tauri::AppHandle) -> impl Fn(Arc<jobs::Job>) + '_ {
    use tauri::Manager;
    move |job| {
        let app = app.clone();
        std::thread::spawn(move || {
            let state = app.state::<AppState>();
            jobs::run(&state, &job);
        });
    }
}

/// Show the system dialog and import the chosen files. Returns the job ids (empty when
/// the user cancelled the dialog).
#[tauri::command]
pub async fn pick_files(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    grants: tauri::State<'_, Grants>,
) -> AppResult<Vec<u64>> {
    use tauri_plugin_dialog::DialogExt;
    let chosen = app
        .dialog()
        .file()
        .set_title("Open data files")
        .add_filter("GeoJSON and CSV", &["geojson", "json", "csv", "tsv", "txt"])
        .add_filter("All files", &["*"])
        .blocking_pick_files();
    let paths: Vec<PathBuf> = chosen
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect();
    for p in &paths {
        grants.grant(p);
    }
    start_imports(&state, &grants, &paths, spawn_job(&app))
}

/// Import files the user already chose (drops, recent files, command line, tests' folder).
#[tauri::command]
pub fn open_paths(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    grants: tauri::State<'_, Grants>,
    paths: Vec<String>,
) -> AppResult<Vec<u64>> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    start_imports(&state, &grants, &paths, spawn_job(&app))
}

/// Progress and outcome of every import not yet acknowledged.
#[tauri::command]
pub fn import_jobs(state: tauri::State<'_, AppState>) -> AppResult<Vec<JobStatus>> {
    state.jobs.statuses()
}

/// What to do with an import: `cancel` it, `accept` its valid records, `dismiss` it
/// (file with problems, not loaded) or `forget` it (the page has shown the result).
pub fn import_action_impl(state: &AppState, id: u64, action: &str) -> AppResult<JobStatus> {
    let job = state.jobs.get(id)?;
    match action {
        "cancel" => {
            job.cancel();
            job.status()
        }
        "accept" => jobs::accept(state, &job),
        "dismiss" => jobs::dismiss(&job),
        "forget" => {
            let s = job.status()?;
            state.jobs.forget(id)?;
            Ok(s)
        }
        other => Err(AppError::BadArgument(format!("import action {other:?}"))),
    }
}

#[tauri::command]
pub fn import_action(
    state: tauri::State<'_, AppState>,
    id: u64,
    action: String,
) -> AppResult<JobStatus> {
    import_action_impl(&state, id, &action)
}
