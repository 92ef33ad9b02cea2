//! The event id → row table of an [`IncidentStore`](super::IncidentStore).
//!
//! A hash table of row numbers only: the keys are the ids already in the store's text
//! arena, so a million ids cost 4 bytes a slot instead of an owned copy of each id
//! (which doubled their memory and made a load allocate once per row).

use crate::text::{TextArena, TextRef};
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Event id → row; keys are read through the store's `event_id` column and text arena.
#[derive(Clone, Default)]
pub(crate) struct IdIndex {
    table: HashTable<u32>,
    /// foldhash: fast on short keys, seeded per process.
    hasher: foldhash::fast::RandomState,
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdIndex")
            .field("len", &self.table.len())
            .finish()
    }
}

/// The id text of a row.
fn key<'t>(ids: &[TextRef], text: &'t TextArena, row: u32) -> &'t str {
    ids.get(row as usize).map_or("", |&r| text.get(r))
}

impl IdIndex {
    /// The row recorded for `id`.
    pub fn get(&self, id: &str, ids: &[TextRef], text: &TextArena) -> Option<u32> {
        let h = self.hasher.hash_one(id);
        self.table.find(h, |&r| key(ids, text, r) == id).copied()
    }

    /// Record `row` for its id (read from the columns); returns the row it replaces.
    pub fn insert(&mut self, row: u32, ids: &[TextRef], text: &TextArena) -> Option<u32> {
        let id = key(ids, text, row);
        let h = self.hasher.hash_one(id);
        let hasher = &self.hasher;
        match self.table.entry(
            h,
            |&r| key(ids, text, r) == id,
            |&r| hasher.hash_one(key(ids, text, r)),
        ) {
            hashbrown::hash_table::Entry::Occupied(mut e) => {
                Some(std::mem::replace(e.get_mut(), row))
            }
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(row);
                None
            }
        }
    }

    /// Room for `n` more ids.
    pub fn reserve(&mut self, n: usize, ids: &[TextRef], text: &TextArena) {
        let hasher = &self.hasher;
        self.table
            .reserve(n, |&r| hasher.hash_one(key(ids, text, r)));
    }
}
