//! The `tiles://` scheme: Mapbox Vector Tiles cut from the engine for a filtered view.
//!
//! URL: `tiles://localhost/{generation}/{z}/{x}/{y}.pbf` (on Windows
//! `http://tiles.localhost/…`). `generation` names a filter registered with the
//! `set_filter` command. Layers: `clusters` (supercluster semantics: `cluster_id`,
//! `point_count`, `point_count_abbreviated`, `expansion_zoom`, `fatalities`) and
//! `incidents` (`row`, `event_id`, `event_type`, `geo_precision`, `fatalities`, `date`).

use crate::state::{AppError, AppState};
use atlas::tiles::TileId;

/// Parse `/{gen}/{z}/{x}/{y}.pbf`.
pub fn parse_tile_path(path: &str) -> Result<(u64, TileId), AppError> {
    let p = path.trim_start_matches('/');
    let (gen, rest) = p
        .split_once('/')
        .ok_or_else(|| AppError::BadArgument(format!("tile path {path:?}")))?;
    let gen: u64 = gen
        .parse()
        .map_err(|_| AppError::BadArgument(format!("tile generation {gen:?}")))?;
    let tile = TileId::parse_path(rest).map_err(|e| AppError::BadArgument(e.to_string()))?;
    Ok((gen, tile))
}

/// A researcher layer's tile: `/layer/{id}/{revision}/{z}/{x}/{y}.pbf` (the revision only
/// busts MapLibre's cache when the style changes).
pub fn layer_tile_bytes(state: &AppState, rest: &str) -> Result<Vec<u8>, AppError> {
    let (id, rest) = rest
        .split_once('/')
        .ok_or_else(|| AppError::BadArgument(format!("layer tile path {rest:?}")))?;
    let id: u64 = id
        .parse()
        .map_err(|_| AppError::BadArgument(format!("layer id {id:?}")))?;
    let (_rev, tile) = parse_tile_path(rest)?;
    let l = state.layer(id)?;
    let join = l
        .join
        .read()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
    let extra: Vec<(&str, &[f64])> = match join.as_ref() {
        Some(j) => vec![
            ("incidents", j.incidents.as_slice()),
            ("fatalities", j.fatalities.as_slice()),
        ],
        None => Vec::new(),
    };
    l.tiles
        .tile(&l.layer, tile, &extra)
        .map_err(|e| AppError::Engine(e.to_string()))
}

/// The tile's bytes for a path.
pub fn tile_bytes(state: &AppState, path: &str) -> Result<Vec<u8>, AppError> {
    if let Some(rest) = path.trim_start_matches('/').strip_prefix("layer/") {
        return layer_tile_bytes(state, rest);
    }
    let (gen, tile) = parse_tile_path(path)?;
    let data = state.dataset()?;
    let view = state.wait_view(gen)?;
    Ok(atlas::incident_tiles::incident_tile(
        data.store(),
        &view,
        tile,
    ))
}

/// HTTP response for a tile request (CORS open: requests come from `tauri://localhost`).
pub fn tile_response(state: &AppState, path: &str) -> tauri::http::Response<Vec<u8>> {
    let (status, ctype, body) = match tile_bytes(state, path) {
        Ok(b) => (200, "application/x-protobuf", b),
        Err(e @ AppError::BadArgument(_)) => (400, "text/plain", e.to_string().into_bytes()),
        Err(e @ (AppError::NoSuchView(_) | AppError::NoSuchLayer(_))) => {
            (404, "text/plain", e.to_string().into_bytes())
        }
        Err(e @ AppError::Loading) => (503, "text/plain", e.to_string().into_bytes()),
        Err(e) => (500, "text/plain", e.to_string().into_bytes()),
    };
    tauri::http::Response::builder()
        .status(status)
        .header("Content-Type", ctype)
        .header("Access-Control-Allow-Origin", "*")
        .header("Cache-Control", "no-cache")
        .body(body)
        .unwrap_or_else(|_| tauri::http::Response::new(Vec::new()))
}
