//! Commands the page calls (`invoke`). Each is a thin `#[tauri::command]` wrapper over a
//! plain function taking `&AppState`, so tests call the plain functions directly.

pub mod annotations;
pub mod data;
pub mod export;
pub mod files;
pub mod incident;
pub mod info;
pub mod layers;
pub mod measure;
pub mod open_url;
pub mod project;
pub mod search;
pub mod view;
