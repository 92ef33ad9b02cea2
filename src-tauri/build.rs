//! Tauri build step: context, capabilities and the app's own command permissions.
//!
//! Every command the page may call is listed here; `tauri-build` generates an
//! `allow-<command>` permission for each, and `capabilities/default.json` grants exactly those.

const COMMANDS: &[&str] = &[
    "dataset_info",
    "incident",
    "incidents_in_view",
    "filter_counts",
    "histogram",
    "search",
    "measure",
    "point_info",
    "open_source_url",
    "set_filter",
    "view_ready",
    "pick_files",
    "open_paths",
    "import_jobs",
    "import_action",
    "list_layers",
    "set_layer",
    "remove_layer",
    "reorder_layers",
    "remove_incident_file",
    "layer_feature",
    "export_preview",
    "export_map",
    "join_layer",
    "layer_mapping",
    "layer_as_incidents",
    "export_data",
    "project_status",
    "project_sync",
    "project_new",
    "project_open",
    "project_save",
    "project_save_as",
    "project_recent",
    "project_startup",
    "project_recover",
    "project_relink",
    "project_layer_storage",
    "project_recovery_dir",
    "annotations_list",
    "annotation_edit",
    "annotation_undo",
    "annotation_redo",
    "annotations_export",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
