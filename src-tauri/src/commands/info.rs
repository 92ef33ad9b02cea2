//! What is loaded, the current filter's counts and its time histogram.

use crate::state::{AppError, AppResult, AppState};
use atlas::date::{civil_from_days, days_from_civil, format_day, Day};
use atlas::filter::Filter;
use serde::Serialize;
use std::collections::BTreeMap;

/// Rows of a filter (engine errors become the page's errors).
pub fn select(d: &atlas::dataset::Dataset, f: &Filter) -> AppResult<Vec<u32>> {
    d.select(f)
        .map_err(|e| AppError::BadArgument(e.to_string()))
}

/// Summary of the loaded data (for the toolbar, the time slider and the filter lists).
#[derive(Debug, Serialize)]
pub struct DatasetInfo {
    pub incidents: usize,
    pub mapped: usize,
    /// First and last day (days since 1970-01-01) and as text.
    pub day_min: Option<Day>,
    pub day_max: Option<Day>,
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    /// Event types with their counts, most frequent first.
    pub event_types: Vec<(String, usize)>,
    pub geo_precisions: Vec<(u8, usize)>,
    pub crossings: usize,
    pub files: Vec<String>,
    pub has_border: bool,
    /// `[west, south, east, north]` of the mapped incidents.
    pub bbox: Option<[f64; 4]>,
}

pub fn dataset_info_impl(state: &AppState) -> AppResult<DatasetInfo> {
    let d = state.dataset()?;
    let st = d.store();
    let live: Vec<u32> = (0..st.len() as u32).filter(|&r| st.is_live(r)).collect();
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    let mut prec: BTreeMap<u8, usize> = BTreeMap::new();
    for &r in &live {
        *types.entry(st.event_type(r)).or_default() += 1;
        *prec.entry(st.geo_precision[r as usize]).or_default() += 1;
    }
    let mut event_types: Vec<(String, usize)> =
        types.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    event_types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let range = d.day_range();
    let border = atlas::analytics::BorderContext::bundled().ok();
    let bbox = live
        .iter()
        .filter(|&&r| st.is_mapped(r))
        .fold(None, |b: Option<[f64; 4]>, &r| {
            let (x, y) = (st.lon[r as usize], st.lat[r as usize]);
            Some(b.map_or([x, y, x, y], |b| {
                [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
            }))
        });
    Ok(DatasetInfo {
        incidents: live.len(),
        mapped: live.iter().filter(|&&r| st.is_mapped(r)).count(),
        day_min: range.map(|r| r.0),
        day_max: range.map(|r| r.1),
        date_min: range.map(|r| format_day(r.0)),
        date_max: range.map(|r| format_day(r.1)),
        event_types,
        geo_precisions: prec.into_iter().collect(),
        crossings: border.map_or(0, |c| c.crossings.len()),
        files: d.files().iter().map(|f| f.name.clone()).collect(),
        has_border: border.is_some(),
        bbox,
    })
}

#[tauri::command]
pub fn dataset_info(state: tauri::State<'_, AppState>) -> AppResult<DatasetInfo> {
    dataset_info_impl(&state)
}

/// Counts under a filter: total and per event type with the event-type restriction
/// lifted (so the filter panel can show what ticking a type would add).
#[derive(Debug, Serialize, PartialEq)]
pub struct FilterCounts {
    pub total: usize,
    pub by_event_type: Vec<(String, usize)>,
    pub fatalities_known: usize,
}

pub fn filter_counts_impl(state: &AppState, filter: &Filter) -> AppResult<FilterCounts> {
    crate::commands::view::validate(filter)?;
    let d = state.dataset()?;
    let st = d.store();
    let mut loose = filter.clone();
    loose.event_types.clear();
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut total, mut fk) = (0, 0);
    for r in select(&d, &loose)? {
        let t = st.event_type(r);
        *by.entry(t).or_default() += 1;
        if filter.event_types.is_empty() || filter.event_types.iter().any(|x| x == t) {
            total += 1;
            fk += st.fatalities(r).is_some() as usize;
        }
    }
    Ok(FilterCounts {
        total,
        by_event_type: by.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        fatalities_known: fk,
    })
}

#[tauri::command(async)]
pub fn filter_counts(state: tauri::State<'_, AppState>, filter: Filter) -> AppResult<FilterCounts> {
    filter_counts_impl(&state, &filter)
}

/// A histogram of event start days: one bin per day, week (Monday start) or month.
#[derive(Debug, Serialize, PartialEq)]
pub struct Histogram {
    pub bin: String,
    /// First day of each bin.
    pub starts: Vec<Day>,
    pub counts: Vec<u32>,
}

#[derive(Clone, Copy, PartialEq)]
enum Bin {
    Day,
    Week,
    Month,
}

fn bin_start(day: Day, bin: Bin) -> Day {
    if bin == Bin::Day {
        day
    } else if bin == Bin::Month {
        let (y, m, _) = civil_from_days(day);
        days_from_civil(y, m, 1)
    } else {
        // 1970-01-01 was a Thursday: Monday = day - ((day + 3) mod 7).
        day - (day + 3).rem_euclid(7)
    }
}

fn next_bin(start: Day, bin: Bin) -> Day {
    if bin == Bin::Day {
        start + 1
    } else if bin == Bin::Month {
        let (y, m, _) = civil_from_days(start);
        if m == 12 {
            days_from_civil(y + 1, 1, 1)
        } else {
            days_from_civil(y, m + 1, 1)
        }
    } else {
        start + 7
    }
}

/// Histogram of the rows passing `filter` with its time window lifted, over the
/// whole data range (so the slider shows everything and the window highlights part).
pub fn histogram_impl(state: &AppState, filter: &Filter, bin: &str) -> AppResult<Histogram> {
    crate::commands::view::validate(filter)?;
    let kind = match bin {
        "day" => Bin::Day,
        "week" => Bin::Week,
        "month" => Bin::Month,
        other => return Err(AppError::BadArgument(format!("histogram bin {other:?}"))),
    };
    let d = state.dataset()?;
    let Some((lo, hi)) = d.day_range() else {
        return Ok(Histogram {
            bin: bin.into(),
            starts: vec![],
            counts: vec![],
        });
    };
    let mut starts = Vec::new();
    let mut s = bin_start(lo, kind);
    while s <= hi && starts.len() < 100_000 {
        starts.push(s);
        s = next_bin(s, kind);
    }
    let mut counts = vec![0u32; starts.len()];
    let mut loose = filter.clone();
    loose.from = None;
    loose.to = None;
    for r in select(&d, &loose)? {
        let day = d.store().day_start[r as usize];
        let i = starts.partition_point(|&b| b <= day).saturating_sub(1);
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    }
    Ok(Histogram {
        bin: bin.into(),
        starts,
        counts,
    })
}

#[tauri::command(async)]
pub fn histogram(
    state: tauri::State<'_, AppState>,
    filter: Filter,
    bin: String,
) -> AppResult<Histogram> {
    histogram_impl(&state, &filter, &bin)
}
