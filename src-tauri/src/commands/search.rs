//! Search crossings, places, provinces and incident ids.

use crate::dataset::Gazetteer;
use crate::state::{AppError, AppResult, AppState};

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Best matches first: exact name, then prefix, then substring; crossings before
/// provinces before places before incidents at equal rank.
pub fn search_impl(state: &AppState, query: &str, limit: usize) -> AppResult<Vec<Gazetteer>> {
    let q = fold(query.trim());
    if q.is_empty() {
        return Ok(Vec::new());
    }
    if query.len() > 200 {
        return Err(AppError::BadArgument("query too long".into()));
    }
    let d = state.dataset()?;
    let kind_rank = |k: &str| match k {
        "crossing" => 0,
        "province" => 1,
        "place" => 2,
        _ => 3,
    };
    let mut hits: Vec<(u8, u8, &Gazetteer)> = Vec::new();
    for g in d.crossings.iter().chain(d.gazetteer.iter()) {
        let names = std::iter::once(g.name.as_str()).chain(if g.kind == "crossing" {
            g.detail.split(", ").collect::<Vec<_>>()
        } else {
            Vec::new()
        });
        let rank = names
            .filter(|n| !n.is_empty())
            .filter_map(|n| {
                let n = fold(n);
                if n == q {
                    Some(0)
                } else if n.starts_with(&q) {
                    Some(1)
                } else if n.contains(&q) {
                    Some(2)
                } else {
                    None
                }
            })
            .min();
        if let Some(r) = rank {
            hits.push((r, kind_rank(g.kind), g));
        }
    }
    hits.sort_by(|a, b| (a.0, a.1, &a.2.name).cmp(&(b.0, b.1, &b.2.name)));
    let mut out: Vec<Gazetteer> = hits
        .into_iter()
        .take(limit)
        .map(|(_, _, g)| g.clone())
        .collect();
    if out.len() < limit {
        let st = &d.store;
        let ql = query.trim().to_lowercase();
        for r in 0..st.len() as u32 {
            if out.len() >= limit {
                break;
            }
            if st.is_live(r) && st.is_mapped(r) && st.event_id(r).to_lowercase().contains(&ql) {
                out.push(Gazetteer {
                    kind: "incident",
                    name: st.event_id(r).into(),
                    detail: format!("{} · {}", d.date_text(r), st.event_type(r)),
                    lon: st.lon[r as usize],
                    lat: st.lat[r as usize],
                    bbox: None,
                });
            }
        }
    }
    Ok(out)
}

#[tauri::command]
pub fn search(state: tauri::State<'_, AppState>, query: String) -> AppResult<Vec<Gazetteer>> {
    search_impl(&state, &query, 12)
}
