//! The `tiles://` scheme: Mapbox Vector Tiles cut from the engine for a filtered view.
//!
//! URL: `tiles://localhost/{generation}/{z}/{x}/{y}.pbf` (on Windows
//! `http://tiles.localhost/…`). `generation` names a filter registered with the
//! `set_filter` command. Layers: `clusters` (supercluster semantics: `cluster_id`,
//! `point_count`, `point_count_abbreviated`, `expansion_zoom`, `fatalities`) and
//! `incidents` (`row`, `event_id`, `event_type`, `geo_precision`, `fatalities`, `date`).

use crate::state::{AppError, AppState};
use atlas::cluster::ClusterOrPoint;
use atlas::tiles::{TileBuilder, TileId, Value};

/// Fraction of a tile added on each side when selecting features (symbols at edges).
const SELECT_BUFFER: f64 = 0.0625;

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

fn abbreviate(n: u32) -> String {
    if n >= 10_000 {
        format!("{}k", n / 1000)
    } else if n >= 1000 {
        format!("{:.1}k", n as f64 / 1000.0)
    } else {
        n.to_string()
    }
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
    l.tiles
        .tile(&l.layer, tile, &[])
        .map_err(|e| AppError::Engine(e.to_string()))
}

/// The tile's bytes for a path.
pub fn tile_bytes(state: &AppState, path: &str) -> Result<Vec<u8>, AppError> {
    if let Some(rest) = path.trim_start_matches('/').strip_prefix("layer/") {
        return layer_tile_bytes(state, rest);
    }
    let (gen, tile) = parse_tile_path(path)?;
    let data = state.dataset()?;
    let view = state.view(gen)?;
    let items = view
        .clusters
        .clusters(tile.bounds_buffered(SELECT_BUFFER), tile.z as f64);
    let mut b = TileBuilder::new(tile);
    let cl = b.layer("clusters");
    let inc = b.layer("incidents");
    let st = data.store();
    for it in items {
        match it {
            ClusterOrPoint::Cluster {
                id,
                count,
                lon,
                lat,
                fatalities,
                expansion_zoom,
            } => {
                let abbr = abbreviate(count);
                b.add_point(
                    cl,
                    Some(id as u64),
                    lon,
                    lat,
                    &[
                        ("cluster", Value::Bool(true)),
                        ("cluster_id", Value::UInt(id as u64)),
                        ("point_count", Value::UInt(count as u64)),
                        ("point_count_abbreviated", Value::Str(&abbr)),
                        ("expansion_zoom", Value::UInt(expansion_zoom as u64)),
                        ("fatalities", Value::UInt(fatalities as u64)),
                    ],
                );
            }
            ClusterOrPoint::Point { row, lon, lat, .. } => {
                if (row as usize) >= st.len() {
                    continue;
                }
                let date = crate::state::date_text(&data, row);
                let fat = st.fatalities(row).map_or(-1, i64::from);
                b.add_point(
                    inc,
                    Some(row as u64),
                    lon,
                    lat,
                    &[
                        ("row", Value::UInt(row as u64)),
                        ("event_id", Value::Str(st.event_id(row))),
                        ("event_type", Value::Str(st.event_type(row))),
                        (
                            "geo_precision",
                            Value::UInt(st.geo_precision[row as usize] as u64),
                        ),
                        ("fatalities", Value::Int(fat)),
                        ("date", Value::Str(&date)),
                    ],
                );
            }
        }
    }
    Ok(b.encode())
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
