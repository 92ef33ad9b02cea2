//! Border Atlas desktop shell (Tauri 2): thin commands and the `tiles://` protocol over
//! the engine crate `atlas`.
//!
//! - [`state`]: the loaded dataset, layers, import jobs and the filtered views tiles are cut from.
//! - [`grants`]: the files the user chose; nothing else is read or written.
//! - [`jobs`]: background imports with progress, cancel and the problems list.
//! - [`layers`]: the researcher's generic layers and their styles.
//! - [`loader`]: what opens at start.
//! - [`protocol`]: the vector-tile scheme.
//! - [`commands`]: what the page may call.

pub mod commands;
pub mod grants;
pub mod jobs;
pub mod layers;
pub mod loader;
pub mod protocol;
pub mod state;

use grants::Grants;
use state::AppState;
use std::path::PathBuf;
use tauri::{Emitter, Manager};

/// Start the app.
pub fn run() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (_project, files) = loader::split_args(&args);
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
        ])
        .run(tauri::generate_context!("tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("border-atlas: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_data;
#[cfg(test)]
mod tests_export;
#[cfg(test)]
mod tests_files;
