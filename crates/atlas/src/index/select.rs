//! Evaluating a researcher's [`Filter`] over the incident store.
//!
//! Semantics of each criterion (all must hold; an empty list or `None` does not restrict):
//! - `bbox`: closed box as in [`BoxIndex::query`](super::BoxIndex::query); unmapped rows never match a box;
//! - `from`/`to`: inclusive window; an event dated to a range matches when the ranges overlap;
//!   a window with `from` after `to` is empty and matches nothing;
//! - `event_types`: exact match with one of them;
//! - `actor`: case-insensitive substring of actor1, actor2, assoc_actor_1 or assoc_actor_2;
//! - `fatalities_min`/`fatalities_max`: inclusive; rows with unknown fatalities do not match a bound;
//! - `geo_precision`: one of the listed values;
//! - `source`: case-insensitive substring of the source cell;
//! - `border_km_max`: the row's distance to the border (a column computed by the border
//!   analytics, passed in) is `<=` the limit; rows without a distance (NaN) do not match.
//!
//! Deleted rows never match.
//!
//! ```
//! use atlas::filter::Filter;
//! use atlas::index::{select, SpatialIndex};
//! use atlas::model::{IncidentRecord, IncidentStore};
//! let mut store = IncidentStore::default();
//! let mut a = IncidentRecord::new("A", 71.0, 34.0, 19_000);
//! a.actor1 = "Military Forces of Pakistan".into();
//! a.fatalities = Some(3);
//! store.push(&a);
//! store.push(&IncidentRecord::new("B", 71.1, 34.1, 19_000));
//! let idx = SpatialIndex::build(&store);
//! let f = Filter { actor: Some("pakistan".into()), bbox: Some([70.0, 33.0, 72.0, 35.0]), ..Default::default() };
//! assert_eq!(select(&store, Some(&idx), &f, None).unwrap(), vec![0]);
//! let f = Filter { fatalities_min: Some(1), ..Default::default() };
//! assert_eq!(select(&store, None, &f, None).unwrap(), vec![0]);
//! ```

use super::bbox::split_box;
use super::SpatialIndex;
use crate::date::Day;
use crate::filter::Filter;
use crate::model::{IncidentStore, NO_FATALITIES};
use crate::text::Sym;

/// Why a filter cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FilterError {
    #[error("the border corridor filter needs the per-row border distances")]
    MissingBorderDistances,
    #[error("border distances have {got} rows, the store has {want}")]
    BorderDistancesLength { got: usize, want: usize },
    #[error("the spatial index is out of date: rebuild it after changing the store")]
    StaleIndex,
}

/// A [`Filter`] compiled against one store: string criteria resolved to symbol sets.
#[derive(Debug, Clone)]
pub struct FilterPlan<'a> {
    store: &'a IncidentStore,
    boxes: Option<Vec<([f64; 2], [f64; 2])>>,
    from: Day,
    to: Day,
    /// `None`: any event type. Otherwise allowed symbols (possibly none).
    event_types: Option<Vec<Sym>>,
    /// Per symbol: does it contain the actor / source needle.
    actor: Option<Vec<bool>>,
    source: Option<Vec<bool>>,
    fat_min: Option<u32>,
    fat_max: Option<u32>,
    geo_precision: Option<Vec<u8>>,
    border: Option<(&'a [f64], f64)>,
}

fn symbols_containing(store: &IncidentStore, needle: &str) -> Vec<bool> {
    let needle = needle.to_lowercase();
    (0..store.strings.len() as Sym)
        .map(|s| store.strings.get(s).to_lowercase().contains(&needle))
        .collect()
}

impl<'a> FilterPlan<'a> {
    /// Compile `f` for `store`. `border_km` is the per-row distance to the border, needed
    /// only when the filter has `border_km_max`.
    pub fn new(
        store: &'a IncidentStore,
        f: &Filter,
        border_km: Option<&'a [f64]>,
    ) -> Result<Self, FilterError> {
        let border = match f.border_km_max {
            None => None,
            Some(max) => {
                let col = border_km.ok_or(FilterError::MissingBorderDistances)?;
                if col.len() != store.len() {
                    return Err(FilterError::BorderDistancesLength {
                        got: col.len(),
                        want: store.len(),
                    });
                }
                Some((col, max))
            }
        };
        Ok(FilterPlan {
            store,
            boxes: f.bbox.map(split_box),
            from: f.from.unwrap_or(Day::MIN),
            to: f.to.unwrap_or(Day::MAX),
            event_types: (!f.event_types.is_empty()).then(|| {
                f.event_types
                    .iter()
                    .filter_map(|t| store.strings.lookup(t))
                    .collect()
            }),
            actor: f
                .actor
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(|a| symbols_containing(store, a)),
            source: f
                .source
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(|a| symbols_containing(store, a)),
            fat_min: f.fatalities_min,
            fat_max: f.fatalities_max,
            geo_precision: (!f.geo_precision.is_empty()).then(|| f.geo_precision.clone()),
            border,
        })
    }

    /// Whether the plan restricts by box.
    pub fn has_bbox(&self) -> bool {
        self.boxes.is_some()
    }

    /// Whether `row` passes every criterion (out-of-range rows do not).
    pub fn matches(&self, row: u32) -> bool {
        let s = self.store;
        let i = row as usize;
        if i >= s.len() || s.deleted.get(i).copied().unwrap_or(true) {
            return false;
        }
        if s.day_start[i] > self.to || s.day_end[i] < self.from || self.from > self.to {
            return false;
        }
        if let Some(boxes) = &self.boxes {
            let (x, y) = (s.lon[i], s.lat[i]);
            if !boxes
                .iter()
                .any(|(lo, hi)| lo[0] <= x && x <= hi[0] && lo[1] <= y && y <= hi[1])
            {
                return false;
            }
        }
        if let Some(types) = &self.event_types {
            if !types.contains(&s.event_type[i]) {
                return false;
            }
        }
        let has = |set: &Vec<bool>, sym: Sym| set.get(sym as usize).copied().unwrap_or(false);
        if let Some(a) = &self.actor {
            if !(has(a, s.actor1[i])
                || has(a, s.actor2[i])
                || s.assoc_actor_1.get(i).is_some_and(|&x| has(a, x))
                || s.assoc_actor_2.get(i).is_some_and(|&x| has(a, x)))
            {
                return false;
            }
        }
        if let Some(src) = &self.source {
            if !has(src, s.source[i]) {
                return false;
            }
        }
        if self.fat_min.is_some() || self.fat_max.is_some() {
            let f = s.fatalities[i];
            if f == NO_FATALITIES
                || self.fat_min.is_some_and(|m| f < m)
                || self.fat_max.is_some_and(|m| f > m)
            {
                return false;
            }
        }
        if let Some(gp) = &self.geo_precision {
            if !gp.contains(&s.geo_precision[i]) {
                return false;
            }
        }
        if let Some((col, max)) = self.border {
            // NaN compares false: rows without a distance do not match.
            if !col.get(i).is_some_and(|&d| d <= max) {
                return false;
            }
        }
        true
    }
}

/// Rows of `store` matching `f`, ascending. With a box and an `index`, candidates come
/// from the time+box tree; otherwise every row is checked.
pub fn select(
    store: &IncidentStore,
    index: Option<&SpatialIndex>,
    f: &Filter,
    border_km: Option<&[f64]>,
) -> Result<Vec<u32>, FilterError> {
    let plan = FilterPlan::new(store, f, border_km)?;
    let mut out = Vec::new();
    match index {
        Some(idx) if plan.has_bbox() => {
            if !idx.is_current(store) {
                return Err(FilterError::StaleIndex);
            }
            idx.time.query(f.bbox, f.from, f.to, &mut out);
            out.retain(|&r| plan.matches(r));
            out.sort_unstable();
        }
        _ => out.extend((0..store.len() as u32).filter(|&r| plan.matches(r))),
    }
    Ok(out)
}
