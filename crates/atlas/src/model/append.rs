//! Appending one store to another column by column (a loaded file joining the data),
//! without materialising a record per row.

use super::{IncidentStore, Provenance};
use crate::text::Sym;

impl IncidentStore {
    /// Append every row of `other` (its deleted rows stay deleted), updating by event id:
    /// a live row here with the id of an appended live row is marked deleted, as
    /// [`IncidentStore::upsert`] does. Returns the appended rows and how many rows here were
    /// replaced.
    ///
    /// ```
    /// use atlas::model::{IncidentRecord, IncidentStore};
    /// let mut a = IncidentStore::default();
    /// a.push(&IncidentRecord::new("E1", 70.0, 34.0, 20_000));
    /// a.push(&IncidentRecord::new("E2", 70.0, 34.0, 20_000));
    /// let mut b = IncidentStore::default();
    /// let mut r = IncidentRecord::new("E2", 71.0, 35.0, 20_001);
    /// r.event_type = "Battles".into();
    /// b.push(&r);
    /// let (rows, updated) = a.append(&b);
    /// assert_eq!((rows, updated), (2..3, 1));
    /// assert_eq!(a.live_len(), 2);
    /// assert_eq!(a.event_type(a.row_of("E2").unwrap()), "Battles");
    /// ```
    pub fn append(&mut self, other: &IncidentStore) -> (std::ops::Range<u32>, u64) {
        let start = self.append_columns(other);
        let n = other.len() as u32;
        let mut updated = 0;
        for row in start..start + n {
            if !self.is_live(row) || self.event_id(row).is_empty() {
                continue;
            }
            if let Some(old) = self.ids.insert(row, &self.event_id, &self.text) {
                if old < start && self.is_live(old) {
                    self.delete(old);
                    updated += 1;
                }
            }
        }
        (start..start + n, updated)
    }

    /// Append `other`'s rows (a part built by an importer), taking it whole when this
    /// store is empty. Event ids are not recorded: call [`IncidentStore::index_ids`] when
    /// every part is in.
    pub(crate) fn extend_part(&mut self, other: IncidentStore) {
        if self.is_empty() && self.text.bytes() == 0 && self.strings.is_empty() {
            let ids = std::mem::take(&mut self.ids);
            *self = other;
            self.ids = ids;
        } else {
            self.append_columns(&other);
        }
    }

    /// Set the event id of a row (an importer's id of last resort, the feature index).
    pub(crate) fn set_event_id(&mut self, row: u32, id: &str) {
        let r = self.text.push(id);
        if let Some(slot) = self.event_id.get_mut(row as usize) {
            *slot = r;
        }
    }

    /// Record the event ids of rows `from..` in the id table, in row order: a later row
    /// with the id of an earlier live row replaces it (which is marked deleted), as
    /// [`IncidentStore::upsert`] would have. Returns how many rows were replaced.
    pub(crate) fn index_ids(&mut self, from: u32) -> u64 {
        let end = self.len() as u32;
        self.ids
            .reserve((end - from.min(end)) as usize, &self.event_id, &self.text);
        let mut replaced = 0;
        for row in from..end {
            if !self.is_live(row) || self.text.get(self.event_id[row as usize]).is_empty() {
                continue;
            }
            if let Some(old) = self.ids.insert(row, &self.event_id, &self.text) {
                if self.is_live(old) {
                    self.delete(old);
                    replaced += 1;
                }
            }
        }
        replaced
    }

    /// Append `other`'s columns (remapping its strings); returns the first new row.
    fn append_columns(&mut self, other: &IncidentStore) -> u32 {
        let start = self.len() as u32;
        let map: Vec<Sym> = other
            .strings
            .iter()
            .map(|(_, s)| self.strings.intern(s))
            .collect();
        let m = |s: Sym| map.get(s as usize).copied().unwrap_or(0);
        let n = other.len();
        self.reserve(n);
        self.lon.extend_from_slice(&other.lon);
        self.lat.extend_from_slice(&other.lat);
        self.day_start.extend_from_slice(&other.day_start);
        self.day_end.extend_from_slice(&other.day_end);
        self.time_precision.extend_from_slice(&other.time_precision);
        self.geo_precision.extend_from_slice(&other.geo_precision);
        self.fatalities.extend_from_slice(&other.fatalities);
        for (dst, src) in [
            (&mut self.event_type, &other.event_type),
            (&mut self.sub_event_type, &other.sub_event_type),
            (&mut self.disorder_type, &other.disorder_type),
            (&mut self.actor1, &other.actor1),
            (&mut self.actor2, &other.actor2),
            (&mut self.assoc_actor_1, &other.assoc_actor_1),
            (&mut self.assoc_actor_2, &other.assoc_actor_2),
            (&mut self.iso, &other.iso),
            (&mut self.country, &other.country),
            (&mut self.admin1, &other.admin1),
            (&mut self.admin2, &other.admin2),
            (&mut self.admin3, &other.admin3),
            (&mut self.location, &other.location),
            (&mut self.source, &other.source),
            (&mut self.source_scale, &other.source_scale),
        ] {
            dst.extend(src.iter().map(|&s| m(s)));
        }
        for (dst, src) in [
            (&mut self.event_id, &other.event_id),
            (&mut self.feature_id, &other.feature_id),
            (&mut self.notes, &other.notes),
            (&mut self.tags, &other.tags),
        ] {
            for &r in src {
                dst.push(self.text.push(other.text.get(r)));
            }
        }
        self.deleted.extend_from_slice(&other.deleted);
        for (&row, p) in &other.provenance {
            self.provenance.insert(
                start + row,
                Provenance {
                    sources: p.sources.clone(),
                    claims: p.claims.clone(),
                },
            );
        }
        start
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Claim, IncidentRecord, IncidentStore, Source};

    fn rec(i: u32, tag: &str) -> IncidentRecord {
        let mut r = IncidentRecord::new(
            &format!("E{}", i % 7),
            70.0 + i as f64 / 10.0,
            34.0,
            20_000 + i as i32,
        );
        r.event_type = format!("type {}", i % 3);
        r.actor1 = format!("{tag} actor {}", i % 4);
        r.notes = format!("{tag} note {i}");
        if i.is_multiple_of(2) {
            r.sources.push(Source {
                outlet: format!("{tag} outlet"),
                ..Source::default()
            });
            r.claims.push(Claim {
                claimant: "ISPR".into(),
                text: format!("{tag} claim {i}"),
                ..Claim::default()
            });
        }
        r
    }

    /// Appending gives the same live records as upserting them one by one.
    #[test]
    fn append_equals_upserting_each_record() {
        let mut a = IncidentStore::default();
        for i in 0..10 {
            a.upsert(&rec(i, "a"));
        }
        let mut b = IncidentStore::default();
        for i in 3..15 {
            b.upsert(&rec(i, "b"));
        }
        let mut by_upsert = a.clone();
        for r in (0..b.len() as u32).filter(|&r| b.is_live(r)) {
            by_upsert.upsert(&b.record(r));
        }
        let mut by_append = a.clone();
        let (rows, _) = by_append.append(&b);
        assert_eq!(rows, 10..22);
        let live = |s: &IncidentStore| {
            let mut v: Vec<_> = (0..s.len() as u32)
                .filter(|&r| s.is_live(r))
                .map(|r| s.record(r))
                .collect();
            v.sort_by(|x, y| x.event_id.cmp(&y.event_id));
            v
        };
        assert_eq!(live(&by_append), live(&by_upsert));
        for id in ["E0", "E3", "E6"] {
            assert_eq!(
                by_append.record(by_append.row_of(id).unwrap()),
                by_upsert.record(by_upsert.row_of(id).unwrap())
            );
        }
    }
}
