//! Geodesic measurement and what lies under the cursor (distance to the border).

use crate::dataset::distance_to_lines_km;
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
}

pub fn point_info_impl(state: &AppState, lon: f64, lat: f64) -> AppResult<PointInfo> {
    check(lon, lat)?;
    let d = state.dataset()?;
    let b = distance_to_lines_km(lon, lat, &d.border);
    let c = d
        .crossings
        .iter()
        .map(|c| (c, atlas::geodesic::distance_km(lon, lat, c.lon, c.lat)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    Ok(PointInfo {
        border_km: b.is_finite().then_some(b),
        crossing: c.map(|c| c.0.name.clone()),
        crossing_km: c.map(|c| c.1),
    })
}

#[tauri::command]
pub fn point_info(state: tauri::State<'_, AppState>, lon: f64, lat: f64) -> AppResult<PointInfo> {
    point_info_impl(&state, lon, lat)
}
