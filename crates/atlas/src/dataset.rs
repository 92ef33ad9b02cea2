//! The loaded data as the app and the CLI use it: the incident store, its R-tree
//! indexes, per-incident border analytics and the gazetteer, kept consistent with each
//! other. One facade so the desktop shell stays thin.
//!
//! ```
//! use atlas::dataset::Dataset;
//! use atlas::filter::Filter;
//! let d = Dataset::bundled().unwrap();
//! let all = d.select(&Filter::default()).unwrap();
//! assert_eq!(all.len(), d.store().live_len());
//! let battles = Filter { event_types: vec!["Battles".into()], ..Filter::default() };
//! assert!(d.select(&battles).unwrap().len() < all.len());
//! ```

use crate::cluster::{ClusterError, ClusterIndex, ClusterOptions, ClusterOrPoint};
use crate::date::Day;
use crate::filter::Filter;
use crate::gazetteer::{Gazetteer, GazetteerError};
use crate::import::{self, csv::CsvOptions, ImportError, ImportOptions, ImportReport};
use crate::index::{select, FilterError, SpatialIndex};
use crate::model::IncidentStore;
use crate::view_cache::ClusterCache;
use std::path::Path;
use std::sync::Arc;

/// Why data could not be loaded or queried.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Filter(#[from] FilterError),
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    #[error("bundled data: {0}")]
    Bundled(String),
}

/// Where the incidents came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LoadedFile {
    pub name: String,
    pub report: ImportReport,
    /// The rows this file added (rows it updated elsewhere are marked deleted there).
    pub rows: std::ops::Range<u32>,
}

/// Everything loaded, consistent: indexes and analytics always describe the store.
#[derive(Debug)]
pub struct Dataset {
    store: IncidentStore,
    index: SpatialIndex,
    analytics: crate::analytics::Analytics,
    gazetteer: Gazetteer,
    files: Vec<LoadedFile>,
    /// Cluster indexes of recent selections, and the one of every mapped row.
    clusters: ClusterCache,
    mapped_live: std::sync::OnceLock<usize>,
}

/// The rows a filter selects, before clustering.
#[derive(Debug, Clone)]
pub struct Selection {
    pub filter: Filter,
    /// Matching live rows, ascending (mapped and unmapped).
    pub rows: Vec<u32>,
    /// The mapped ones among them (what the map clusters).
    pub mapped: Vec<u32>,
}

/// Time histogram buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Week,
    Month,
}

/// A filtered view: its rows and the cluster index the map is drawn from.
#[derive(Debug)]
pub struct View {
    pub filter: Filter,
    /// Matching live rows, ascending (mapped and unmapped).
    pub rows: Vec<u32>,
    /// Clusters over the mapped rows (shared with other views of the same rows).
    pub clusters: Arc<ClusterIndex>,
}

impl View {
    /// Clusters and points in a box at a zoom.
    pub fn clusters(&self, bbox: [f64; 4], zoom: f64) -> Vec<ClusterOrPoint> {
        self.clusters.clusters(bbox, zoom)
    }
}

impl Dataset {
    /// Index a store and compute its border analytics against the bundled border.
    pub fn from_store(store: IncidentStore) -> Result<Self, DatasetError> {
        Dataset::with_gazetteer(store, Gazetteer::bundled()?)
    }

    /// [`Dataset::from_store`] with a gazetteer already built (a merge keeps the old one).
    fn with_gazetteer(store: IncidentStore, gazetteer: Gazetteer) -> Result<Self, DatasetError> {
        let mut d = Dataset {
            index: SpatialIndex::build(&store),
            analytics: crate::analytics::Analytics::default(),
            store,
            gazetteer,
            files: Vec::new(),
            clusters: ClusterCache::default(),
            mapped_live: std::sync::OnceLock::new(),
        };
        d.refresh()?;
        Ok(d)
    }

    /// The bundled incident sample, indexed.
    pub fn bundled() -> Result<Self, DatasetError> {
        let (store, report) = import::geojson::incidents_from_bytes(
            crate::bundled::INCIDENTS_SAMPLE,
            crate::bundled::INCIDENTS_SAMPLE_NAME,
            &ImportOptions::default(),
        )?;
        let rows = 0..store.len() as u32;
        let mut d = Dataset::from_store(store)?;
        d.files.push(LoadedFile {
            name: crate::bundled::INCIDENTS_SAMPLE_NAME.into(),
            report,
            rows,
        });
        Ok(d)
    }

    /// An empty dataset (no incidents yet).
    pub fn empty() -> Result<Self, DatasetError> {
        Dataset::from_store(IncidentStore::default())
    }

    /// Load a file of incidents from disk (GeoJSON or CSV), as the only data.
    pub fn open(path: &Path, opts: &ImportOptions, csv: &CsvOptions) -> Result<Self, DatasetError> {
        let mut d = Dataset::empty()?;
        d.import(path, opts, csv)?;
        Ok(d)
    }

    /// Add (or, by event id, update) the incidents of a file. All or nothing: on an error the
    /// dataset is unchanged.
    pub fn import(
        &mut self,
        path: &Path,
        opts: &ImportOptions,
        csv: &CsvOptions,
    ) -> Result<&ImportReport, DatasetError> {
        let start = self.store.len() as u32;
        let report = import::import_into(&mut self.store, path, opts, csv)?;
        self.refresh()?;
        self.files.push(LoadedFile {
            name: path.display().to_string(),
            report,
            rows: start..self.store.len() as u32,
        });
        Ok(&self.files[self.files.len() - 1].report)
    }

    /// A new dataset: this one plus the live rows of `incoming` (already imported, e.g. on a
    /// background thread), updating events by id. `self` is untouched, so a caller can keep
    /// serving it until the new one is ready.
    ///
    /// ```
    /// use atlas::dataset::Dataset;
    /// use atlas::model::{IncidentRecord, IncidentStore};
    /// let d = Dataset::bundled().unwrap();
    /// let mut s = IncidentStore::default();
    /// s.push(&IncidentRecord::new("X-1", 71.1, 34.1, 20_400));
    /// let m = d.merged(s, "extra.csv", Default::default()).unwrap();
    /// assert_eq!(m.store().live_len(), d.store().live_len() + 1);
    /// assert_eq!(m.files().last().unwrap().rows.len(), 1);
    /// ```
    pub fn merged(
        &self,
        incoming: IncidentStore,
        name: &str,
        mut report: ImportReport,
    ) -> Result<Dataset, DatasetError> {
        let (store, rows) = if self.store.is_empty() {
            let n = incoming.len() as u32;
            (incoming, 0..n)
        } else {
            let mut store = self.store.clone();
            let (rows, updated) = store.append(&incoming);
            report.updated += updated;
            report.loaded = report.loaded.saturating_sub(updated);
            (store, rows)
        };
        let mut d = Dataset::with_gazetteer(store, self.gazetteer.clone())?;
        d.files = self.files.clone();
        d.files.push(LoadedFile {
            name: name.to_string(),
            report,
            rows,
        });
        Ok(d)
    }

    /// A new dataset without the rows file `i` added (its events are deleted; events it
    /// updated in earlier files stay deleted, as in the newer export).
    pub fn without_file(&self, i: usize) -> Result<Dataset, DatasetError> {
        let mut store = self.store.clone();
        let mut files = self.files.clone();
        if i < files.len() {
            let f = files.remove(i);
            for r in f.rows {
                store.delete(r);
            }
        }
        let mut d = Dataset::with_gazetteer(store, self.gazetteer.clone())?;
        d.files = files;
        Ok(d)
    }

    /// Rebuild indexes and analytics after the store changed.
    fn refresh(&mut self) -> Result<(), DatasetError> {
        if !self.index.is_current(&self.store) {
            self.index = SpatialIndex::build(&self.store);
        }
        self.analytics = crate::analytics::Analytics::compute(&self.store)
            .map_err(|e| DatasetError::Bundled(e.to_string()))?;
        self.clusters = ClusterCache::default();
        self.mapped_live = std::sync::OnceLock::new();
        Ok(())
    }

    pub fn store(&self) -> &IncidentStore {
        &self.store
    }
    pub fn index(&self) -> &SpatialIndex {
        &self.index
    }
    pub fn analytics(&self) -> &crate::analytics::Analytics {
        &self.analytics
    }
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }
    pub fn files(&self) -> &[LoadedFile] {
        &self.files
    }

    /// Number of live mapped rows (a selection of this many holds all of them).
    pub fn mapped_live(&self) -> usize {
        *self.mapped_live.get_or_init(|| {
            (0..self.store.len() as u32)
                .filter(|&r| self.store.is_live(r) && self.store.is_mapped(r))
                .count()
        })
    }

    /// Live rows matching a filter, ascending.
    pub fn select(&self, f: &Filter) -> Result<Vec<u32>, DatasetError> {
        let rows = select(
            &self.store,
            Some(&self.index),
            f,
            Some(self.analytics.border_km()),
        )?;
        Ok(rows
            .into_iter()
            .filter(|&r| self.store.is_live(r))
            .collect())
    }

    /// The rows of a filter and their cluster index (supercluster semantics).
    pub fn view(&self, filter: Filter, opts: &ClusterOptions) -> Result<View, DatasetError> {
        let sel = self.selection(filter)?;
        self.view_of(sel, opts, &|| false)
    }

    /// The rows of a filter, without clustering them (cheap: what the counts need).
    pub fn selection(&self, filter: Filter) -> Result<Selection, DatasetError> {
        let rows = self.select(&filter)?;
        let mapped: Vec<u32> = rows
            .iter()
            .copied()
            .filter(|&r| self.store.is_mapped(r))
            .collect();
        Ok(Selection {
            filter,
            rows,
            mapped,
        })
    }

    /// The cluster index of a selection if one is at hand (the same mapped rows were
    /// clustered before with these options, e.g. no filter): then [`Dataset::view_of`] is
    /// immediate.
    pub fn cached_view(&self, sel: &Selection, opts: &ClusterOptions) -> Option<View> {
        let clusters = self.clusters.find(&sel.mapped, opts)?;
        Some(View {
            filter: sel.filter.clone(),
            rows: sel.rows.clone(),
            clusters,
        })
    }

    /// The view of a selection: its cluster index from the cache, or built (and cached).
    /// `cancel` is asked between zoom passes; when it answers true the build stops with
    /// [`ClusterError::Cancelled`].
    pub fn view_of(
        &self,
        sel: Selection,
        opts: &ClusterOptions,
        cancel: &(dyn Fn() -> bool + Sync),
    ) -> Result<View, DatasetError> {
        let clusters = match self.clusters.find(&sel.mapped, opts) {
            Some(c) => c,
            None => {
                let c = Arc::new(ClusterIndex::build_cancellable(
                    &self.store.lon,
                    &self.store.lat,
                    Some(&self.store.fatalities),
                    &sel.mapped,
                    opts,
                    cancel,
                )?);
                let every_mapped = sel.mapped.len() == self.mapped_live();
                self.clusters.insert(Arc::clone(&c), every_mapped);
                c
            }
        };
        Ok(View {
            filter: sel.filter,
            rows: sel.rows,
            clusters,
        })
    }

    /// Build (and keep for the dataset's life) the cluster index of every mapped incident,
    /// so that clearing the filters is immediate.
    pub fn warm_clusters(&self, opts: &ClusterOptions) -> Result<(), DatasetError> {
        self.view(Filter::default(), opts).map(|_| ())
    }

    /// First and last day of the live data.
    pub fn day_range(&self) -> Option<(Day, Day)> {
        let s = &self.store;
        (0..s.len() as u32)
            .filter(|&r| s.is_live(r))
            .fold(None, |acc, r| {
                let (a, b) = (s.day_start[r as usize], s.day_end[r as usize]);
                Some(acc.map_or((a, b), |(x, y): (Day, Day)| (x.min(a), y.max(b))))
            })
    }

    /// Events per week (Monday start) or month for `rows`, over the whole data range so
    /// that a filtered histogram lines up with the full one. Each event counts in the
    /// bucket of its first day. Returns `(bucket start day, count)`.
    pub fn histogram(&self, rows: &[u32], bucket: Bucket) -> Vec<(Day, u32)> {
        let Some((lo, hi)) = self.day_range() else {
            return Vec::new();
        };
        let starts = bucket_starts(lo, hi, bucket);
        let mut counts = vec![0u32; starts.len()];
        for &r in rows {
            let d = self.store.day_start[r as usize];
            let i = starts.partition_point(|&s| s <= d).saturating_sub(1);
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
        }
        starts.into_iter().zip(counts).collect()
    }
}

/// Start days of the buckets covering `lo..=hi`.
pub fn bucket_starts(lo: Day, hi: Day, bucket: Bucket) -> Vec<Day> {
    let mut out = Vec::new();
    match bucket {
        Bucket::Week => {
            // 1970-01-01 was a Thursday; Monday = day 4 (mod 7).
            let mut d = lo - (lo - 4).rem_euclid(7);
            while d <= hi {
                out.push(d);
                d += 7;
            }
        }
        Bucket::Month => {
            let (mut y, mut m, _) = crate::date::civil_from_days(lo);
            loop {
                let d = crate::date::days_from_civil(y, m, 1);
                if d > hi {
                    break;
                }
                out.push(d);
                if m == 12 {
                    y += 1;
                    m = 1;
                } else {
                    m += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    #[test]
    fn buckets_cover_the_range() {
        let lo = parse_date("2025-10-11").unwrap();
        let hi = parse_date("2025-12-02").unwrap();
        let m = bucket_starts(lo, hi, Bucket::Month);
        assert_eq!(m.len(), 3);
        assert_eq!(crate::date::format_day(m[0]), "2025-10-01");
        let w = bucket_starts(lo, hi, Bucket::Week);
        assert_eq!(crate::date::format_day(w[0]), "2025-10-06"); // a Monday
        assert!(w.windows(2).all(|p| p[1] - p[0] == 7));
        assert!(*w.last().unwrap() <= hi && *w.last().unwrap() + 7 > hi);
    }

    #[test]
    fn bundled_dataset_filters_and_clusters() {
        let d = Dataset::bundled().unwrap();
        let n = d.store().live_len();
        assert_eq!(n, 10);
        let hist = d.histogram(&d.select(&Filter::default()).unwrap(), Bucket::Week);
        assert_eq!(hist.iter().map(|h| h.1 as usize).sum::<usize>(), n);
        let v = d
            .view(Filter::default(), &ClusterOptions::default())
            .unwrap();
        let shown: u32 = v
            .clusters([-180.0, -85.0, 180.0, 85.0], 3.0)
            .iter()
            .map(|c| c.count())
            .sum();
        let mapped = v.rows.iter().filter(|&&r| d.store().is_mapped(r)).count();
        assert_eq!(shown as usize, mapped);
        // A window that excludes everything.
        let none = Filter {
            from: parse_date("2030-01-01"),
            ..Filter::default()
        };
        assert!(d.select(&none).unwrap().is_empty());
    }

    #[test]
    fn failed_import_leaves_the_dataset_unchanged() {
        let mut d = Dataset::bundled().unwrap();
        let dir = std::env::temp_dir().join(format!("atlas-ds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("bad.geojson");
        std::fs::write(&bad, "{\"type\":\"FeatureCollection\",\"features\":[").unwrap();
        let before = d.store().len();
        assert!(d
            .import(&bad, &ImportOptions::default(), &CsvOptions::default())
            .is_err());
        assert_eq!(d.store().len(), before);
        assert_eq!(d.files().len(), 1);
        std::fs::remove_dir_all(&dir).ok();
    }
}
