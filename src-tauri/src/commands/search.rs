//! Search crossings, places, provinces (the engine's gazetteer) and incident ids.

use crate::state::{AppError, AppResult, AppState};
use atlas::gazetteer::{Entry, EntryKind};

/// Best matches first (the gazetteer's ranking), then incidents whose id contains the query.
pub fn search_impl(state: &AppState, query: &str, limit: usize) -> AppResult<Vec<Entry>> {
    if query.len() > 200 {
        return Err(AppError::BadArgument("query too long".into()));
    }
    let q = query.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let d = state.dataset()?;
    let mut out = d.gazetteer().search(q, limit);
    let st = d.store();
    let ql = q.to_lowercase();
    for r in 0..st.len() as u32 {
        if out.len() >= limit {
            break;
        }
        if st.is_live(r) && st.is_mapped(r) && st.event_id(r).to_lowercase().contains(&ql) {
            out.push(Entry {
                kind: EntryKind::Incident,
                name: st.event_id(r).into(),
                other_names: Vec::new(),
                detail: format!("{} · {}", crate::state::date_text(&d, r), st.event_type(r)),
                lon: st.lon[r as usize],
                lat: st.lat[r as usize],
                bbox: None,
                weight: 0.0,
            });
        }
    }
    Ok(out)
}

#[tauri::command]
pub fn search(state: tauri::State<'_, AppState>, query: String) -> AppResult<Vec<Entry>> {
    search_impl(&state, &query, 12)
}
