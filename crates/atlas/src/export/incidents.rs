//! The incidents a page draws: positions, event types, location precision and days,
//! gathered from the [`IncidentStore`] rows the caller selected (filters are applied
//! by the caller), plus the outlets they are sourced to, for the data note.

use crate::date::Day;
use crate::model::IncidentStore;
use std::collections::HashMap;

/// Incidents to draw, as columns.
///
/// ```
/// use atlas::export::MapIncidents;
/// let mut m = MapIncidents::default();
/// m.push(71.09, 34.12, "Battles", 1, 20_000, 20_000);
/// m.push(66.44, 30.96, "Explosions/Remote violence", 2, 20_010, 20_012);
/// assert_eq!(m.len(), 2);
/// assert_eq!(m.date_range(), Some((20_000, 20_012)));
/// assert_eq!(m.window(20_011, 20_020).len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapIncidents {
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    /// Index into [`MapIncidents::types`].
    pub kind: Vec<u16>,
    /// ACLED geo precision: 1 exact, 2 near / district, 3 province or region.
    pub precision: Vec<u8>,
    pub day_start: Vec<Day>,
    pub day_end: Vec<Day>,
    /// Event type names, in order of first appearance.
    pub types: Vec<String>,
    /// Outlets the incidents are sourced to, with how many incidents cite each, most cited first.
    pub sources: Vec<(String, usize)>,
    /// Selected incidents left out because they have no location.
    pub unmapped: usize,
}

impl MapIncidents {
    pub fn len(&self) -> usize {
        self.lon.len()
    }
    pub fn is_empty(&self) -> bool {
        self.lon.is_empty()
    }

    /// Add one incident (unmapped positions are skipped).
    pub fn push(
        &mut self,
        lon: f64,
        lat: f64,
        event_type: &str,
        precision: u8,
        start: Day,
        end: Day,
    ) {
        if !(lon.is_finite() && lat.is_finite()) {
            return;
        }
        let k = match self.types.iter().position(|t| t == event_type) {
            Some(k) => k,
            None => {
                self.types.push(event_type.to_string());
                self.types.len() - 1
            }
        };
        self.lon.push(lon);
        self.lat.push(lat);
        self.kind.push(k.min(u16::MAX as usize) as u16);
        self.precision.push(precision);
        self.day_start.push(start);
        self.day_end.push(end.max(start));
    }

    /// The given rows of a store; deleted, unmapped and out-of-range rows are skipped.
    pub fn from_store(store: &IncidentStore, rows: &[u32]) -> MapIncidents {
        let mut m = MapIncidents::default();
        let mut kind_of: HashMap<u32, u16> = HashMap::new();
        let mut outlets: HashMap<String, usize> = HashMap::new();
        m.lon.reserve(rows.len());
        m.lat.reserve(rows.len());
        for &row in rows {
            let i = row as usize;
            if i >= store.len() || !store.is_live(row) {
                continue;
            }
            if !store.is_mapped(row) {
                m.unmapped += 1;
                continue;
            }
            let sym = store.event_type[i];
            let k = *kind_of.entry(sym).or_insert_with(|| {
                m.types.push(store.strings.get(sym).to_string());
                (m.types.len() - 1).min(u16::MAX as usize) as u16
            });
            m.lon.push(store.lon[i]);
            m.lat.push(store.lat[i]);
            m.kind.push(k);
            m.precision.push(store.geo_precision[i]);
            m.day_start.push(store.day_start[i]);
            m.day_end.push(store.day_end[i]);
            let mut cited: Vec<&str> = store
                .source(row)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if let Some(p) = store.provenance.get(&row) {
                cited.extend(
                    p.sources
                        .iter()
                        .map(|s| s.outlet.trim())
                        .filter(|s| !s.is_empty()),
                );
            }
            cited.sort_unstable();
            cited.dedup();
            for s in cited {
                *outlets.entry(s.to_string()).or_default() += 1;
            }
        }
        let mut sources: Vec<(String, usize)> = outlets.into_iter().collect();
        sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        m.sources = sources;
        m
    }

    /// First and last day covered.
    pub fn date_range(&self) -> Option<(Day, Day)> {
        let a = self.day_start.iter().min()?;
        let b = self.day_end.iter().max()?;
        Some((*a, *b))
    }

    /// The incidents whose days overlap `from..=to` (same types and sources list).
    pub fn window(&self, from: Day, to: Day) -> MapIncidents {
        let mut m = MapIncidents {
            types: self.types.clone(),
            sources: self.sources.clone(),
            ..Default::default()
        };
        for i in 0..self.len() {
            if self.day_start[i] <= to && self.day_end[i] >= from {
                m.lon.push(self.lon[i]);
                m.lat.push(self.lat[i]);
                m.kind.push(self.kind[i]);
                m.precision.push(self.precision[i]);
                m.day_start.push(self.day_start[i]);
                m.day_end.push(self.day_end[i]);
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IncidentRecord, Source};

    #[test]
    fn from_store_skips_deleted_and_unmapped_and_counts_sources() {
        let mut s = IncidentStore::default();
        let mut a = IncidentRecord::new("A", 71.0, 34.0, 100);
        a.event_type = "Battles".into();
        a.source = "Dawn; Express Tribune".into();
        let mut b = IncidentRecord::new("B", f64::NAN, 34.0, 100);
        b.event_type = "Battles".into();
        let mut c = IncidentRecord::new("C", 70.0, 33.0, 101);
        c.event_type = "Protests".into();
        c.sources = vec![Source {
            outlet: "Dawn".into(),
            ..Default::default()
        }];
        let ra = s.push(&a);
        let rb = s.push(&b);
        let rc = s.push(&c);
        let d = s.push(&IncidentRecord::new("D", 70.0, 33.0, 102));
        s.delete(d);
        let m = MapIncidents::from_store(&s, &[ra, rb, rc, d, 999]);
        assert_eq!(m.len(), 2);
        assert_eq!(m.unmapped, 1);
        assert_eq!(m.types, vec!["Battles", "Protests"]);
        assert_eq!(m.sources[0], ("Dawn".to_string(), 2));
        assert_eq!(m.sources[1], ("Express Tribune".to_string(), 1));
    }
}
