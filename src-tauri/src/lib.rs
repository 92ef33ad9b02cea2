//! Border Atlas desktop shell (Tauri 2): thin commands and the `tiles://` protocol over
//! the engine crate `atlas`.
//!
//! - [`state`]: the loaded dataset and the filtered views the tiles are cut from.
//! - [`dataset`]: the data as the app uses it (stand-in for the engine's facade).
//! - [`loader`]: where the data comes from.
//! - [`protocol`]: the vector-tile scheme.
//! - [`commands`]: what the page may call.

pub mod commands;
pub mod dataset;
pub mod loader;
pub mod protocol;
pub mod state;

use state::AppState;
use std::path::PathBuf;
use tauri::{Emitter, Manager};

/// Start the app.
pub fn run() {
    let extra: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let result = tauri::Builder::default()
        .manage(AppState::default())
        .register_asynchronous_uri_scheme_protocol("tiles", |ctx, req, responder| {
            let app = ctx.app_handle().clone();
            let path = req.uri().path().to_string();
            std::thread::spawn(move || {
                let state = app.state::<AppState>();
                responder.respond(protocol::tile_response(&state, &path));
            });
        })
        .setup(move |app| {
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                let dir = std::env::var_os("BORDER_ATLAS_DATA").map(PathBuf::from);
                let resolver = handle.asset_resolver();
                let get = |name: &str| -> Option<Vec<u8>> {
                    match &dir {
                        Some(d) => std::fs::read(d.join(name)).ok(),
                        None => resolver.get(format!("data/{name}")).map(|a| a.bytes),
                    }
                };
                let state = handle.state::<AppState>();
                match loader::load_with(get, &extra) {
                    Ok(d) => {
                        state.set_dataset(d);
                        let _ = handle.emit("dataset-ready", ());
                    }
                    Err(e) => {
                        eprintln!("border-atlas: {e}");
                        state.set_failed(e.to_string());
                        let _ = handle.emit("dataset-failed", e.to_string());
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
        ])
        .run(tauri::generate_context!("tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("border-atlas: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;
