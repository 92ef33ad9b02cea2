//! Geodesic measurement and what lies under the cursor (distance to the border).

use crate::state::{AppError, AppResult, AppState};
use serde::Serialize;

fn check(lon: f64, lat: f64) -> AppResult<()> {
    if lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
    {
        Ok(())
    } else {
        Err(AppError::BadArgument(format!("position {lon}, {lat}")))
    }
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Measurement {
    /// Geodesic length of each leg on WGS84, km.
    pub legs_km: Vec<f64>,
    pub total_km: f64,
}

pub fn measure_impl(points: &[[f64; 2]]) -> AppResult<Measurement> {
    if points.len() > 10_000 {
        return Err(AppError::BadArgument("too many points".into()));
    }
    for p in points {
        check(p[0], p[1])?;
    }
    let legs_km: Vec<f64> = points
        .windows(2)
        .map(|w| atlas::geodesic::distance_km(w[0][0], w[0][1], w[1][0], w[1][1]))
        .collect();
    Ok(Measurement {
        total_km: legs_km.iter().sum(),
        legs_km,
    })
}

#[tauri::command]
pub fn measure(points: Vec<[f64; 2]>) -> AppResult<Measurement> {
    measure_impl(&points)
}

#[derive(Debug, Serialize, PartialEq)]
pub struct PointInfo {
    /// Distance to the border, km (None without a border line).
    pub border_km: Option<f64>,
    pub crossing: Option<String>,
    pub crossing_km: Option<f64>,
    pub chainage_km: Option<f64>,
    pub side: atlas::analytics::Side,
}

pub fn point_info_impl(state: &AppState, lon: f64, lat: f64) -> AppResult<PointInfo> {
    check(lon, lat)?;
    let _ = state;
    let ctx =
        atlas::analytics::BorderContext::bundled().map_err(|e| AppError::Engine(e.to_string()))?;
    let b = ctx.border.nearest(lon, lat);
    let c = ctx.nearest_crossing(lon, lat);
    Ok(PointInfo {
        border_km: b.as_ref().map(|n| n.km),
        chainage_km: b.as_ref().map(|n| n.chainage_km),
        side: ctx.countries.side(lon, lat),
        crossing: c
            .and_then(|(i, _)| ctx.crossings.get(i as usize))
            .map(|c| c.name.clone()),
        crossing_km: c.map(|c| c.1),
    })
}

#[tauri::command]
pub fn point_info(state: tauri::State<'_, AppState>, lon: f64, lat: f64) -> AppResult<PointInfo> {
    point_info_impl(&state, lon, lat)
}
