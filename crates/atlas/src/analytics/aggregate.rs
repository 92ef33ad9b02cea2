//! Counts and fatalities of a set of incidents per border segment of K km, per nearest
//! crossing, per month and per event type. Fatalities count only the rows that record a
//! number (unknown counts as 0 and is counted in `unknown_fatalities`).
//!
//! ```
//! use atlas::analytics::{aggregate, Analytics};
//! use atlas::model::{IncidentRecord, IncidentStore};
//! let mut s = IncidentStore::default();
//! let mut r = IncidentRecord::new("a", 71.10, 34.13, 20_000);
//! r.event_type = "Battles".into();
//! r.fatalities = Some(3);
//! s.push(&r);
//! let a = Analytics::compute(&s).unwrap();
//! let by = aggregate::by_type(&s, &[0]);
//! assert_eq!((by[0].key.as_str(), by[0].count, by[0].fatalities), ("Battles", 1, 3));
//! ```

use super::{Analytics, BorderContext, NO_CROSSING};
use crate::model::IncidentStore;
use serde::Serialize;
use std::collections::BTreeMap;

/// Count and fatalities of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub key: String,
    pub count: u64,
    pub fatalities: u64,
    /// Rows whose fatalities are unknown.
    pub unknown_fatalities: u64,
}

/// One border segment's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentGroup {
    /// 0-based segment number from the southern end.
    pub segment: u32,
    pub from_km: f64,
    pub to_km: f64,
    /// The border point at the segment's middle.
    pub mid_lon: f64,
    pub mid_lat: f64,
    pub count: u64,
    pub fatalities: u64,
    pub unknown_fatalities: u64,
}

fn add(g: &mut (u64, u64, u64), f: Option<u32>) {
    g.0 += 1;
    match f {
        Some(v) => g.1 += v as u64,
        None => g.2 += 1,
    }
}

fn groups(m: BTreeMap<String, (u64, u64, u64)>) -> Vec<Group> {
    m.into_iter()
        .map(|(key, (count, fatalities, unknown_fatalities))| Group {
            key,
            count,
            fatalities,
            unknown_fatalities,
        })
        .collect()
}

/// Per event type, alphabetical.
pub fn by_type(store: &IncidentStore, rows: &[u32]) -> Vec<Group> {
    let mut m = BTreeMap::new();
    for &r in rows {
        add(
            m.entry(store.event_type(r).to_string()).or_default(),
            store.fatalities(r),
        );
    }
    groups(m)
}

/// Per month of the event's first day (`YYYY-MM`), chronological, months without events omitted.
pub fn by_month(store: &IncidentStore, rows: &[u32]) -> Vec<Group> {
    let mut m = BTreeMap::new();
    for &r in rows {
        let (y, mo, _) = crate::date::civil_from_days(store.day_start[r as usize]);
        add(
            m.entry(format!("{y:04}-{mo:02}")).or_default(),
            store.fatalities(r),
        );
    }
    groups(m)
}

/// Per nearest crossing (rows farther than `max_km` from every crossing, and unmapped
/// rows, are grouped as "none within N km" / "no location").
pub fn by_crossing(
    store: &IncidentStore,
    a: &Analytics,
    rows: &[u32],
    max_km: Option<f64>,
) -> Vec<Group> {
    let mut m = BTreeMap::new();
    for &r in rows {
        let i = r as usize;
        let key = match (a.nearest_crossing.get(i), a.crossing_km.get(i)) {
            (Some(&c), _) if c == NO_CROSSING => "no location".to_string(),
            (Some(_), Some(&km)) if max_km.is_some_and(|mx| km as f64 > mx) => {
                format!("none within {} km", max_km.unwrap_or(0.0))
            }
            _ => a
                .nearest_crossing_name(r)
                .unwrap_or("no location")
                .to_string(),
        };
        add(m.entry(key).or_default(), store.fatalities(r));
    }
    groups(m)
}

/// Per border segment of `segment_km` km of chainage, from the southern end; only rows
/// within `max_border_km` of the line when given. Segments without events are included,
/// so the result is a profile of the whole border. Unmapped rows are left out.
pub fn by_segment(
    ctx: &BorderContext,
    store: &IncidentStore,
    a: &Analytics,
    rows: &[u32],
    segment_km: f64,
    max_border_km: Option<f64>,
) -> Vec<SegmentGroup> {
    let len = ctx.border.length_km();
    let k = if segment_km.is_finite() && segment_km > 0.0 {
        segment_km
    } else {
        50.0
    };
    let n = ((len / k).ceil() as usize).max(1);
    let mut acc = vec![(0u64, 0u64, 0u64); n];
    for &r in rows {
        let i = r as usize;
        let (Some(&ch), Some(&bk)) = (a.chainage_km.get(i), a.border_km.get(i)) else {
            continue;
        };
        if !ch.is_finite() || max_border_km.is_some_and(|m| bk > m) {
            continue;
        }
        let s = ((ch as f64 / k) as usize).min(n - 1);
        add(&mut acc[s], store.fatalities(r));
    }
    acc.into_iter()
        .enumerate()
        .map(|(s, (count, fatalities, unknown_fatalities))| {
            let from_km = s as f64 * k;
            let to_km = ((s + 1) as f64 * k).min(len);
            let mid = ctx.border.point_at((from_km + to_km) / 2.0);
            SegmentGroup {
                segment: s as u32,
                from_km,
                to_km,
                mid_lon: mid[0],
                mid_lat: mid[1],
                count,
                fatalities,
                unknown_fatalities,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IncidentRecord;

    #[test]
    fn totals_add_up() {
        let ctx = BorderContext::bundled().unwrap();
        let mut s = IncidentStore::default();
        let pts = [
            (71.10, 34.13, Some(2)),
            (66.44, 30.96, None),
            (69.3, 32.5, Some(5)),
            (f64::NAN, f64::NAN, Some(1)),
        ];
        for (i, (x, y, f)) in pts.iter().enumerate() {
            let mut r = IncidentRecord::new(&i.to_string(), *x, *y, 20_000 + i as i32 * 40);
            r.fatalities = *f;
            r.event_type = if i % 2 == 0 { "Battles" } else { "Riots" }.into();
            s.push(&r);
        }
        let a = Analytics::compute_with(ctx, &s);
        let rows: Vec<u32> = (0..4).collect();
        let seg = by_segment(ctx, &s, &a, &rows, 100.0, None);
        assert_eq!(
            seg.iter().map(|g| g.count).sum::<u64>(),
            3,
            "unmapped left out"
        );
        assert_eq!(seg.iter().map(|g| g.fatalities).sum::<u64>(), 7);
        assert!((seg.last().unwrap().to_km - ctx.border.length_km()).abs() < 1e-9);
        let t = by_type(&s, &rows);
        assert_eq!(t.iter().map(|g| g.count).sum::<u64>(), 4);
        assert_eq!(
            t.iter()
                .find(|g| g.key == "Riots")
                .unwrap()
                .unknown_fatalities,
            1
        );
        let m = by_month(&s, &rows);
        assert_eq!(m.iter().map(|g| g.count).sum::<u64>(), 4);
        assert!(m.windows(2).all(|w| w[0].key < w[1].key));
        let c = by_crossing(&s, &a, &rows, Some(2.0));
        assert!(c.iter().any(|g| g.key == "Torkham" && g.count == 1));
        assert!(c.iter().any(|g| g.key == "no location"));
        assert!(c.iter().any(|g| g.key == "none within 2 km"));
    }
}
