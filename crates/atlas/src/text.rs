//! Compact string storage for the column store: an interner for categorical
//! values (event types, actors, place names) and an arena for free text (notes).
//!
//! ```
//! use atlas::text::{Interner, TextArena};
//! let mut i = Interner::default();
//! let a = i.intern("Battles");
//! assert_eq!(i.intern("Battles"), a);
//! assert_eq!(i.get(a), "Battles");
//! let mut t = TextArena::default();
//! let n = t.push("a note");
//! assert_eq!(t.get(n), "a note");
//! ```

use std::collections::HashMap;

/// Interned string id. `0` is always the empty string.
pub type Sym = u32;

/// Deduplicating string pool; id 0 is `""`.
#[derive(Debug, Clone)]
pub struct Interner {
    strings: Vec<Box<str>>,
    /// foldhash: several times faster than SipHash on short keys, still seeded per process.
    ids: HashMap<Box<str>, Sym, foldhash::fast::RandomState>,
}

impl Default for Interner {
    fn default() -> Self {
        // `intern("")` short-cuts to 0 without storing: store the empty string here.
        Interner {
            strings: vec!["".into()],
            ids: [("".into(), 0)].into_iter().collect(),
        }
    }
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        // Many columns are empty in most rows: skip the hash for id 0.
        if s.is_empty() {
            return 0;
        }
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as Sym;
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }
    /// The id of `s` if it was interned.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        self.ids.get(s).copied()
    }
    pub fn get(&self, id: Sym) -> &str {
        self.strings.get(id as usize).map(|s| &**s).unwrap_or("")
    }
    pub fn len(&self) -> usize {
        self.strings.len()
    }
    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
    }
    /// All interned strings with their ids (id 0, the empty string, included).
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> {
        self.strings
            .iter()
            .enumerate()
            .map(|(i, s)| (i as Sym, &**s))
    }
}

/// Handle of a string in a [`TextArena`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextRef {
    pub start: u64,
    pub len: u32,
}

/// Append-only arena holding free text back to back in one allocation.
#[derive(Debug, Clone, Default)]
pub struct TextArena {
    buf: String,
}

impl TextArena {
    pub fn push(&mut self, s: &str) -> TextRef {
        let start = self.buf.len() as u64;
        // Free-text fields longer than 4 GiB are refused by the importers before this.
        let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
        self.buf.push_str(&s[..len as usize]);
        TextRef { start, len }
    }
    pub fn get(&self, r: TextRef) -> &str {
        let s = r.start as usize;
        self.buf.get(s..s + r.len as usize).unwrap_or("")
    }
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }
}
