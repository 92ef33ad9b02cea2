//! Spatial joins and data export: incidents per polygon of a layer (a choropleth on the map
//! and a table, exportable as CSV), and a layer or the filtered incidents as GeoJSON, CSV or
//! GeoPackage.

use crate::dialogs::save_target;
use crate::grants::Grants;
use crate::state::{AppError, AppResult, AppState};
use atlas::export_data::{export_incidents, export_layer, DataFormat, Incidents};
use atlas::filter::Filter;
use atlas::join::{join_counts, JoinTable};
use std::path::Path;

/// Count the incidents passing `filter` (its box ignored) in each polygon of layer `id`.
/// The counts become the tile properties `incidents` and `fatalities` of the layer's
/// features (for a choropleth); returns the table and the layer's new revision.
pub fn join_layer_impl(state: &AppState, id: u64, filter: &Filter) -> AppResult<(JoinTable, u64)> {
    crate::commands::view::validate(filter)?;
    let l = state.layer(id)?;
    if l.kind() != "polygon" {
        return Err(AppError::BadArgument(format!(
            "layer {id} has no polygons to count incidents in"
        )));
    }
    let d = state.dataset()?;
    let mut f = filter.clone();
    f.bbox = None;
    let rows = crate::commands::info::select(&d, &f)?;
    let table = join_counts(&l.layer, l.tiles.index(), d.store(), &rows);
    let n = l.layer.features.len();
    let mut counts = vec![f64::NAN; n];
    let mut fatalities = vec![f64::NAN; n];
    for r in &table.rows {
        if let (Some(c), Some(k)) = (counts.get_mut(r.feature), fatalities.get_mut(r.feature)) {
            *c = r.count as f64;
            *k = r.fatalities as f64;
        }
    }
    *l.join
        .write()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))? =
        Some(crate::layers::JoinColumns {
            table: table.clone(),
            incidents: counts,
            fatalities,
        });
    let mut m = l
        .meta
        .write()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
    m.revision += 1;
    Ok((table, m.revision))
}

#[derive(serde::Serialize)]
pub struct JoinResult {
    pub table: JoinTable,
    pub revision: u64,
}

#[tauri::command]
pub fn join_layer(
    state: tauri::State<'_, AppState>,
    id: u64,
    filter: Filter,
) -> AppResult<JoinResult> {
    join_layer_impl(&state, id, &filter).map(|(table, revision)| JoinResult { table, revision })
}

fn check_target(grants: &Grants, path: &Path, format: &str) -> AppResult<DataFormat> {
    if !grants.allows(path) {
        return Err(AppError::BadArgument(format!(
            "{} was not chosen in a save dialog",
            path.display()
        )));
    }
    let f = DataFormat::of_path(path).ok_or_else(|| {
        AppError::BadArgument(format!("{}: not .geojson, .csv or .gpkg", path.display()))
    })?;
    let want = match format {
        "csv" => DataFormat::Csv,
        "gpkg" => DataFormat::Gpkg,
        _ => DataFormat::GeoJson,
    };
    if f != want {
        return Err(AppError::BadArgument(format!(
            "{} does not end in .{format}",
            path.display()
        )));
    }
    Ok(f)
}

fn ext_of(format: &str) -> AppResult<&'static str> {
    match format {
        "geojson" => Ok("geojson"),
        "csv" => Ok("csv"),
        "gpkg" => Ok("gpkg"),
        other => Err(AppError::BadArgument(format!(
            "data format {other:?} (geojson, csv or gpkg)"
        ))),
    }
}

/// Write the filtered incidents (`what = "incidents"`), a layer (`"layer"`, `id`), or a
/// layer's last join table (`"join"`, CSV only) to a granted path. Returns how many records.
pub fn export_data_impl(
    state: &AppState,
    grants: &Grants,
    what: &str,
    id: Option<u64>,
    filter: &Filter,
    format: &str,
    path: &Path,
) -> AppResult<usize> {
    let ext = ext_of(format)?;
    let err = |e: atlas::export_data::ExportDataError| AppError::Engine(e.to_string());
    match what {
        "incidents" => {
            check_target(grants, path, ext)?;
            crate::commands::view::validate(filter)?;
            let d = state.dataset()?;
            let rows = crate::commands::info::select(&d, filter)?;
            export_incidents(path, &Incidents::of(&d, &rows)).map_err(err)?;
            Ok(rows.len())
        }
        "layer" => {
            check_target(grants, path, ext)?;
            let l = state.layer(id.ok_or_else(|| AppError::BadArgument("layer id".into()))?)?;
            export_layer(path, &l.layer).map_err(err)?;
            Ok(l.layer.features.len())
        }
        "join" => {
            if ext != "csv" {
                return Err(AppError::BadArgument(
                    "a join table is written as CSV".into(),
                ));
            }
            check_target(grants, path, "csv")?;
            let l = state.layer(id.ok_or_else(|| AppError::BadArgument("layer id".into()))?)?;
            let g = l
                .join
                .read()
                .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
            let j = g
                .as_ref()
                .ok_or_else(|| AppError::BadArgument("count incidents per polygon first".into()))?;
            let mut buf = Vec::new();
            j.table
                .to_csv(&mut buf)
                .map_err(|e| AppError::Engine(e.to_string()))?;
            crate::commands::export::write_atomic(path, &buf)?;
            Ok(j.table.rows.len())
        }
        other => Err(AppError::BadArgument(format!("export {other:?}"))),
    }
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn export_data(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    grants: tauri::State<'_, Grants>,
    what: String,
    id: Option<u64>,
    filter: Filter,
    format: String,
    path: Option<String>,
) -> AppResult<Option<usize>> {
    let ext = ext_of(&format)?;
    let name = match what.as_str() {
        "incidents" => "incidents".to_string(),
        "join" => "incidents-per-polygon".to_string(),
        _ => "layer".to_string(),
    };
    let file_name = format!("{name}.{ext}");
    let Some(path) = save_target(&app, &grants, path, "Export data", &file_name, ext)? else {
        return Ok(None);
    };
    export_data_impl(&state, &grants, &what, id, &filter, ext, &path).map(Some)
}
