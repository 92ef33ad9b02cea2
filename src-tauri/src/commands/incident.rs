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
}

pub fn incident_impl(state: &AppState, event_id: &str) -> AppResult<IncidentDetail> {
    if event_id.is_empty() || event_id.len() > 200 {
        return Err(AppError::BadArgument("event id".into()));
    }
    let d = state.dataset()?;
    let row = d
        .store
        .row_of(event_id)
        .ok_or_else(|| AppError::NoSuchIncident(event_id.into()))?;
    let a = d.analytics.get(row as usize).copied().unwrap_or_default();
    Ok(IncidentDetail {
        record: d.store.record(row),
        date: d.date_text(row),
        border_km: a.border_km.is_finite().then_some(a.border_km),
        crossing: a
            .crossing
            .and_then(|(c, _)| d.crossings.get(c))
            .map(|c| c.name.clone()),
        crossing_km: a.crossing.map(|c| c.1),
    })
}

#[tauri::command]
pub fn incident(state: tauri::State<'_, AppState>, event_id: String) -> AppResult<IncidentDetail> {
    incident_impl(&state, &event_id)
}
