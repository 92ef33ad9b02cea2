//! Re-importing a living dataset: which events of the store a new export no longer has.
//!
//! ACLED edits and deletes events between exports. A new export replaces events by id
//! (see [`IncidentStore::upsert`]); events it lacks may have been deleted upstream, or may
//! simply lie outside what the export covers. An event of the store counts as *absent* when
//! it is from the same dataset (its id has the dataset's shape: ACLED `PAK1234`, UCDP all
//! digits), it lies within the export's coverage — its country is one the export has and
//! its dates overlap the export's first-to-last day — and its id is not in the export.

use super::header::CsvFormat;
use crate::date::Day;
use crate::model::IncidentStore;
use std::collections::HashSet;

/// What a new export covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReimportScope {
    pub format: CsvFormat,
    /// Countries (as named in the data) the export has events in.
    pub countries: HashSet<String>,
    /// First and last day of the export's events.
    pub from: Day,
    pub to: Day,
}

/// Whether `id` has the shape of the dataset's event ids. Generic files have no such shape.
pub fn is_dataset_id(format: CsvFormat, id: &str) -> bool {
    let b = id.as_bytes();
    match format {
        CsvFormat::Acled => {
            let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
            (2..=3).contains(&letters)
                && b.len() > letters
                && b[letters..].iter().all(u8::is_ascii_digit)
        }
        CsvFormat::Ucdp => !b.is_empty() && b.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

impl ReimportScope {
    /// The coverage of `fresh` (a store holding just the new export); `None` when it is
    /// empty or the format has no dataset ids.
    pub fn of(fresh: &IncidentStore, format: CsvFormat) -> Option<Self> {
        if !matches!(format, CsvFormat::Acled | CsvFormat::Ucdp) {
            return None;
        }
        let mut scope = ReimportScope {
            format,
            countries: HashSet::new(),
            from: Day::MAX,
            to: Day::MIN,
        };
        for row in (0..fresh.len() as u32).filter(|&r| fresh.is_live(r)) {
            let i = row as usize;
            scope.from = scope.from.min(fresh.day_start[i]);
            scope.to = scope.to.max(fresh.day_end[i]);
            if !scope.countries.contains(fresh.country(row)) {
                scope.countries.insert(fresh.country(row).to_string());
            }
        }
        (scope.from <= scope.to).then_some(scope)
    }
}

/// Rows of `store` within `scope` whose event ids `fresh` does not have (see the module docs).
///
/// ```
/// use atlas::model::{IncidentRecord, IncidentStore};
/// use atlas::date::parse_date;
/// use atlas::import::csv::{absent_events, CsvFormat, ReimportScope};
/// let d = parse_date("2025-10-12").unwrap();
/// let ev = |id: &str| { let mut r = IncidentRecord::new(id, 70.0, 33.0, d); r.country = "Pakistan".into(); r };
/// let mut store = IncidentStore::default();
/// store.push(&ev("PAK1"));
/// store.push(&ev("PAK2"));
/// let mut fresh = IncidentStore::default();
/// fresh.push(&ev("PAK1"));
/// let scope = ReimportScope::of(&fresh, CsvFormat::Acled).unwrap();
/// assert_eq!(absent_events(&store, &fresh, &scope), vec![1]);
/// ```
pub fn absent_events(
    store: &IncidentStore,
    fresh: &IncidentStore,
    scope: &ReimportScope,
) -> Vec<u32> {
    (0..store.len() as u32)
        .filter(|&row| {
            let i = row as usize;
            store.is_live(row)
                && store.day_start[i] <= scope.to
                && store.day_end[i] >= scope.from
                && scope.countries.contains(store.country(row))
                && is_dataset_id(scope.format, store.event_id(row))
                && fresh.row_of(store.event_id(row)).is_none()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_shapes() {
        assert!(is_dataset_id(CsvFormat::Acled, "PAK12345"));
        assert!(is_dataset_id(CsvFormat::Acled, "AFG1"));
        assert!(!is_dataset_id(CsvFormat::Acled, "PAK"));
        assert!(!is_dataset_id(CsvFormat::Acled, "12345"));
        assert!(!is_dataset_id(CsvFormat::Acled, "events.csv:3"));
        assert!(is_dataset_id(CsvFormat::Ucdp, "244123"));
        assert!(!is_dataset_id(CsvFormat::Ucdp, "PAK1"));
        assert!(!is_dataset_id(CsvFormat::GenericIncidents, "1"));
    }
}
