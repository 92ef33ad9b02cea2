//! The current filter as a tile generation, and the list of incidents in the viewport.

use crate::state::{AppError, AppResult, AppState};
use crate::views::ViewStore;
use atlas::filter::Filter;
use serde::Serialize;

/// A registered filter: the tile URL's generation, how many incidents it maps, and whether
/// its tiles can be asked for yet (otherwise `view_ready` says when).
#[derive(Debug, Serialize, PartialEq)]
pub struct FilterGeneration {
    pub generation: u64,
    pub mapped: usize,
    pub ready: bool,
}

/// Select the filter's rows (cheap) and register its view; the cluster index, when not at
/// hand, is built in the background.
pub fn set_filter_impl(state: &AppState, mut filter: Filter) -> AppResult<FilterGeneration> {
    validate(&filter)?;
    // Tiles are cut for the whole map; the viewport box is the list's business.
    filter.bbox = None;
    let d = state.dataset()?;
    let sel = d
        .selection(filter)
        .map_err(|e| AppError::Engine(e.to_string()))?;
    let mapped = sel.mapped.len();
    let (generation, ready) = state.add_view(d, sel)?;
    Ok(FilterGeneration {
        generation,
        mapped,
        ready,
    })
}

// Off the main thread: at a million incidents even the selection takes milliseconds.
#[tauri::command(async)]
pub fn set_filter(
    state: tauri::State<'_, AppState>,
    filter: Filter,
) -> AppResult<FilterGeneration> {
    set_filter_impl(&state, filter)
}

/// Wait until a generation's tiles can be cut: true when ready, false when it never will be
/// (a newer filter superseded it, or the data changed).
pub fn view_ready_impl(views: &ViewStore, generation: u64) -> AppResult<bool> {
    match views.wait(generation, VIEW_WAIT) {
        Ok(_) => Ok(true),
        Err(AppError::NoSuchView(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Longest a `view_ready` call waits (a cluster build at 1M incidents takes seconds).
const VIEW_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

#[tauri::command]
pub async fn view_ready(state: tauri::State<'_, AppState>, generation: u64) -> AppResult<bool> {
    let views = std::sync::Arc::clone(&state.views);
    tauri::async_runtime::spawn_blocking(move || view_ready_impl(&views, generation))
        .await
        .map_err(|e| AppError::Engine(e.to_string()))?
}

/// Reject filters no UI would send.
pub fn validate(f: &Filter) -> AppResult<()> {
    if let Some(b) = f.bbox {
        if b.iter().any(|v| !v.is_finite()) || b[0] > b[2] || b[1] > b[3] {
            return Err(AppError::BadArgument(format!("bbox {b:?}")));
        }
    }
    if let (Some(a), Some(b)) = (f.from, f.to) {
        if a > b {
            return Err(AppError::BadArgument(
                "time window ends before it starts".into(),
            ));
        }
    }
    if let (Some(a), Some(b)) = (f.fatalities_min, f.fatalities_max) {
        if a > b {
            return Err(AppError::BadArgument("fatalities range is reversed".into()));
        }
    }
    if f.geo_precision.iter().any(|p| !(1..=3).contains(p)) {
        return Err(AppError::BadArgument(
            "geo precision must be 1, 2 or 3".into(),
        ));
    }
    if let Some(km) = f.border_km_max {
        if !(km.is_finite() && km >= 0.0) {
            return Err(AppError::BadArgument(format!("border corridor {km} km")));
        }
    }
    Ok(())
}

/// One row of the "in view" list.
#[derive(Debug, Serialize, PartialEq)]
pub struct ListRow {
    pub event_id: String,
    pub date: String,
    pub day: i32,
    pub event_type: String,
    pub location: String,
    pub fatalities: Option<u32>,
    pub geo_precision: u8,
    pub lon: f64,
    pub lat: f64,
    /// Distance to the border, km (None without a border line).
    pub border_km: Option<f64>,
    pub crossing: Option<String>,
    pub crossing_km: Option<f64>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct InView {
    /// All matching incidents in the box (the list may be truncated to `limit`).
    pub total: usize,
    pub rows: Vec<ListRow>,
}

/// Sort keys the list offers.
pub const SORTS: &[&str] = &["date", "-date", "border", "fatalities", "type", "crossing"];

pub fn incidents_in_view_impl(
    state: &AppState,
    filter: &Filter,
    sort: &str,
    limit: usize,
) -> AppResult<InView> {
    validate(filter)?;
    if !SORTS.contains(&sort) {
        return Err(AppError::BadArgument(format!("sort {sort:?}")));
    }
    let d = state.dataset()?;
    let st = d.store();
    let an = d.analytics();
    let mut rows = crate::commands::info::select(&d, filter)?;
    rows.retain(|&r| st.is_mapped(r));
    let total = rows.len();
    let border = |r: u32| an.border_km().get(r as usize).copied().unwrap_or(f64::NAN);
    let crossing_km = |r: u32| {
        an.crossing_km
            .get(r as usize)
            .map_or(f64::NAN, |&k| k as f64)
    };
    let nan_last = |x: f64| if x.is_nan() { f64::INFINITY } else { x };
    match sort {
        "date" => rows.sort_by_key(|&r| (st.day_start[r as usize], r)),
        "-date" => rows.sort_by_key(|&r| (std::cmp::Reverse(st.day_start[r as usize]), r)),
        "border" => rows.sort_by(|&x, &y| nan_last(border(x)).total_cmp(&nan_last(border(y)))),
        "fatalities" => {
            rows.sort_by_key(|&r| std::cmp::Reverse(st.fatalities(r).map_or(-1, i64::from)))
        }
        "type" => rows.sort_by(|&x, &y| st.event_type(x).cmp(st.event_type(y))),
        _ => rows.sort_by(|&x, &y| nan_last(crossing_km(x)).total_cmp(&nan_last(crossing_km(y)))),
    }
    rows.truncate(limit.min(5000));
    let rows = rows
        .into_iter()
        .map(|r| {
            let ra = an.row(r);
            let i = r as usize;
            ListRow {
                event_id: st.event_id(r).into(),
                date: crate::state::date_text(&d, r),
                day: st.day_start[i],
                event_type: st.event_type(r).into(),
                location: st.location(r).into(),
                fatalities: st.fatalities(r),
                geo_precision: st.geo_precision[i],
                lon: st.lon[i],
                lat: st.lat[i],
                border_km: ra.border_km,
                crossing: ra.nearest_crossing,
                crossing_km: ra.crossing_km,
            }
        })
        .collect();
    Ok(InView { total, rows })
}

#[tauri::command(async)]
pub fn incidents_in_view(
    state: tauri::State<'_, AppState>,
    filter: Filter,
    sort: String,
    limit: usize,
) -> AppResult<InView> {
    incidents_in_view_impl(&state, &filter, &sort, limit)
}
