//! Cluster indexes of recent selections, so that a filter change whose mapped rows were
//! clustered before (clearing the filters above all) needs no new index.
//!
//! A [`crate::dataset::Dataset`] owns one: the index of every mapped row is kept for the
//! dataset's life (it is the one built at load, and the slowest to rebuild: seconds at 1M
//! incidents); the [`KEEP`] most recent others are kept too. An index is found by its input
//! rows (compared in full, after their count), with the same options.

use crate::cluster::{ClusterIndex, ClusterOptions};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// How many indexes of filtered selections are kept besides the unfiltered one.
pub const KEEP: usize = 4;

/// Recent cluster indexes (thread-safe; builds happen outside it).
#[derive(Debug, Default)]
pub struct ClusterCache {
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// The index of every mapped row.
    all: Option<Arc<ClusterIndex>>,
    recent: VecDeque<Arc<ClusterIndex>>,
}

fn same(c: &ClusterIndex, rows: &[u32], opts: &ClusterOptions) -> bool {
    c.num_points() == rows.len() && same_options(c.options(), opts) && c.rows() == rows
}

/// Options compare as the build clamps them.
fn same_options(built: &ClusterOptions, asked: &ClusterOptions) -> bool {
    let mut a = *asked;
    a.max_zoom = a.max_zoom.min(30);
    a.min_zoom = a.min_zoom.min(a.max_zoom);
    *built == a
}

impl ClusterCache {
    /// The index built over exactly `rows` (in this order) with `opts`, if kept.
    pub fn find(&self, rows: &[u32], opts: &ClusterOptions) -> Option<Arc<ClusterIndex>> {
        let g = self.inner.lock().ok()?;
        g.all
            .iter()
            .chain(g.recent.iter().rev())
            .find(|c| same(c, rows, opts))
            .cloned()
    }

    /// Keep an index; `every_mapped` marks the one over every mapped row (kept for good).
    pub fn insert(&self, c: Arc<ClusterIndex>, every_mapped: bool) {
        let Ok(mut g) = self.inner.lock() else {
            return;
        };
        if every_mapped {
            g.all = Some(c);
        } else {
            g.recent.push_back(c);
            while g.recent.len() > KEEP {
                g.recent.pop_front();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_rows_and_options() {
        let lon = [71.0, 71.1, 66.0];
        let lat = [34.0, 34.1, 31.0];
        let opts = ClusterOptions::default();
        let cache = ClusterCache::default();
        let all = Arc::new(ClusterIndex::build(&lon, &lat, &[0, 1, 2], &opts).unwrap());
        cache.insert(Arc::clone(&all), true);
        for i in 0..KEEP + 2 {
            let rows = [i as u32 % 3];
            cache.insert(
                Arc::new(ClusterIndex::build(&lon, &lat, &rows, &opts).unwrap()),
                false,
            );
        }
        let hit = cache.find(&[0, 1, 2], &opts).unwrap();
        assert!(Arc::ptr_eq(&hit, &all), "the unfiltered index is kept");
        assert!(cache.find(&[0, 2], &opts).is_none());
        assert!(cache.find(&[2], &opts).is_some());
        let other = ClusterOptions {
            radius: 80.0,
            ..opts
        };
        assert!(cache.find(&[0, 1, 2], &other).is_none());
    }
}
