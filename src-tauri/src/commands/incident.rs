//! One incident with every field, its sources and claims, and its border analytics.

use crate::state::{AppError, AppResult, AppState};
use atlas::model::IncidentRecord;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IncidentDetail {
    pub record: IncidentRecord,
    pub date: String,
    pub border_km: Option<f64>,
    pub crossing: Option<String>,
    pub crossing_km: Option<f64>,
    /// Afghanistan or Pakistan, from the country polygons.
    pub side: atlas::analytics::Side,
    /// Km along the border from its southern end.
    pub chainage_km: Option<f64>,
}

pub fn incident_impl(state: &AppState, event_id: &str) -> AppResult<IncidentDetail> {
    if event_id.is_empty() || event_id.len() > 200 {
        return Err(AppError::BadArgument("event id".into()));
    }
    let d = state.dataset()?;
    let row = d
        .store()
        .row_of(event_id)
        .ok_or_else(|| AppError::NoSuchIncident(event_id.into()))?;
    let a = d.analytics().row(row);
    Ok(IncidentDetail {
        record: d.store().record(row),
        date: crate::state::date_text(&d, row),
        border_km: a.border_km,
        crossing: a.nearest_crossing,
        crossing_km: a.crossing_km,
        side: a.side,
        chainage_km: a.chainage_km,
    })
}

#[tauri::command]
pub fn incident(state: tauri::State<'_, AppState>, event_id: String) -> AppResult<IncidentDetail> {
    incident_impl(&state, &event_id)
}
