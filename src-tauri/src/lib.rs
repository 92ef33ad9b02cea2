//! Border Atlas desktop shell (Tauri 2): thin commands and the `tiles://` protocol over
//! the engine crate `atlas`.
//!
//! - [`state`]: the loaded dataset, layers, import jobs and the filtered views tiles are cut from.
//! - [`grants`]: the files the user chose; nothing else is read or written.
//! - [`jobs`]: background imports with progress, cancel and the problems list.
//! - [`layers`]: the researcher's generic layers and their styles.
//! - [`loader`]: what opens at start.
//! - [`project`], [`project_load`], [`recent`]: the research project (save, open, autosave,
//!   recovery, annotations) and the recent list.
//! - [`protocol`]: the vector-tile scheme.
//! - [`commands`]: what the page may call.

pub mod commands;
pub mod dialogs;
pub mod grants;
pub mod jobs;
pub mod layers;
pub mod loader;
pub mod project;
pub mod project_load;
pub mod protocol;
pub mod recent;
pub mod state;
pub mod views;

use grants::Grants;
use state::AppState;
use std::path::PathBuf;
use tauri::{Emitter, Manager};

/// Start the app.
pub fn run() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (project, files) = loader::split_args(&args);
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::default())
        .manage(Grants::from_env())
        .register_asynchronous_uri_scheme_protocol("tiles", |ctx, req, responder| {
            let app = ctx.app_handle().clone();
            let path = req.uri().path().to_string();
            std::thread::spawn(move || {
                let state = app.state::<AppState>();
                responder.respond(protocol::tile_response(&state, &path));
            });
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let app = window.app_handle();
                let grants = app.state::<Grants>();
                for p in paths {
                    grants.grant(p);
                }
                let state = app.state::<AppState>();
                let started = commands::files::start_imports(
                    &state,
                    &grants,
                    paths,
                    commands::files::spawn_job(app),
                );
                let _ = match started {
                    Ok(ids) => app.emit("imports-started", ids),
                    Err(e) => app.emit("imports-refused", e.to_string()),
                };
            }
        })
        .setup(move |app| {
            let (config_dir, data_dir) = project_dirs(app.handle());
            let projects = project::Projects::new(config_dir, data_dir);
            if let Some(p) = &project {
                // Named on the command line: opened by the page once the data is ready.
                app.state::<Grants>().grant(p);
                if let Ok(mut g) = projects.startup_project.lock() {
                    *g = Some(p.clone());
                }
            }
            app.manage(projects);
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                let state = handle.state::<AppState>();
                match atlas::dataset::Dataset::bundled() {
                    Ok(d) => {
                        state.set_dataset(d);
                        let _ = handle.emit("dataset-ready", ());
                    }
                    Err(e) => {
                        eprintln!("border-atlas: {e}");
                        state.set_failed(e.to_string());
                        let _ = handle.emit("dataset-failed", e.to_string());
                        return;
                    }
                }
                if !files.is_empty() {
                    let grants = handle.state::<Grants>();
                    for p in &files {
                        grants.grant(p);
                    }
                    match commands::files::start_imports(
                        &state,
                        &grants,
                        &files,
                        commands::files::spawn_job(&handle),
                    ) {
                        Ok(ids) => {
                            let _ = handle.emit("imports-started", ids);
                        }
                        Err(e) => eprintln!("border-atlas: {e}"),
                    }
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::info::dataset_info,
            commands::info::filter_counts,
            commands::info::histogram,
            commands::view::set_filter,
            commands::view::view_ready,
            commands::view::incidents_in_view,
            commands::incident::incident,
            commands::search::search,
            commands::measure::measure,
            commands::measure::point_info,
            commands::open_url::open_source_url,
            commands::files::pick_files,
            commands::files::open_paths,
            commands::files::import_jobs,
            commands::files::import_action,
            commands::layers::list_layers,
            commands::layers::set_layer,
            commands::layers::remove_layer,
            commands::layers::reorder_layers,
            commands::layers::remove_incident_file,
            commands::layers::layer_feature,
            commands::export::export_preview,
            commands::export::export_map,
            commands::data::join_layer,
            commands::layers::layer_mapping,
            commands::layers::layer_as_incidents,
            commands::data::export_data,
            commands::project::project_status,
            commands::project::project_sync,
            commands::project::project_new,
            commands::project::project_open,
            commands::project::project_save,
            commands::project::project_save_as,
            commands::project::project_recent,
            commands::project::project_startup,
            commands::project::project_recover,
            commands::project::project_relink,
            commands::project::project_layer_storage,
            commands::project::project_recovery_dir,
            commands::annotations::annotations_list,
            commands::annotations::annotation_edit,
            commands::annotations::annotation_undo,
            commands::annotations::annotation_redo,
            commands::annotations::annotations_export,
        ])
        .run(tauri::generate_context!("tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("border-atlas: {e}");
        std::process::exit(1);
    }
}

/// The app's config folder (recent projects) and data folder (autosaves), created if
/// needed; the system temporary folder when the platform has none. The end-to-end tests
/// set `BORDER_ATLAS_CONFIG_DIR` (read once here, never from the page) so they start
/// with no recent projects and no autosaves.
fn project_dirs(app: &tauri::AppHandle) -> (PathBuf, PathBuf) {
    if let Some(d) = std::env::var_os("BORDER_ATLAS_CONFIG_DIR").map(PathBuf::from) {
        for sub in [d.clone(), d.join("recovery")] {
            let _ = std::fs::create_dir_all(&sub);
        }
        return (d.clone(), d.join("recovery"));
    }
    let fallback = std::env::temp_dir().join("border-atlas");
    let config = app
        .path()
        .app_config_dir()
        .unwrap_or_else(|_| fallback.clone());
    let data = app
        .path()
        .app_data_dir()
        .map(|d| d.join("recovery"))
        .unwrap_or_else(|_| fallback.join("recovery"));
    for d in [&config, &data] {
        if let Err(e) = std::fs::create_dir_all(d) {
            eprintln!("border-atlas: {}: {e}", d.display());
        }
    }
    (config, data)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_data;
#[cfg(test)]
mod tests_export;
#[cfg(test)]
mod tests_files;
#[cfg(test)]
mod tests_project;
