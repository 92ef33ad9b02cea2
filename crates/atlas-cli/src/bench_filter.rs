//! `atlas bench-filter --workload DIR --n N`: how long a filter change takes before the map
//! can draw it (issue #4), on the shared workload's incidents.
//!
//! Loads the incidents, builds the unfiltered view as the app does at load
//! ([`Dataset::warm_clusters`]), then changes the filter as a researcher would: a one-month
//! window, one event type (the most frequent), and back to no filter. For each change it
//! times the selection (what the page's counts need), the view the app now gets
//! (selection, then the cluster index from the dataset's cache or built), and the old path
//! (selection plus a fresh cluster index, always). One JSON line.

use anyhow::{Context, Result};
use atlas::cluster::ClusterIndex;
use atlas::dataset::Dataset;
use atlas::filter::Filter;
use atlas::import::ImportOptions;
use atlas::incident_tiles::map_cluster_options;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct BenchFilterArgs {
    /// Directory with incidents-N.geojson (the shared bench workload).
    #[arg(long)]
    workload: PathBuf,
    #[arg(long)]
    n: usize,
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
}

pub fn run(a: &BenchFilterArgs) -> Result<()> {
    let gpath = a.workload.join(format!("incidents-{}.geojson", a.n));
    let t = Instant::now();
    let (store, _) = atlas::import::geojson::read_incidents(&gpath, &ImportOptions::default())
        .with_context(|| gpath.display().to_string())?;
    let d = Dataset::from_store(store)?;
    eprintln!("loaded {} incidents in {} ms", d.store().len(), ms(t));
    let opts = map_cluster_options();
    let t = Instant::now();
    d.warm_clusters(&opts)?;
    let warm_ms = ms(t);
    let (lo, _) = d.day_range().unwrap_or((0, 0));
    let mut types: HashMap<&str, usize> = HashMap::new();
    for r in 0..d.store().len() as u32 {
        *types.entry(d.store().event_type(r)).or_default() += 1;
    }
    let top = types
        .into_iter()
        .max_by_key(|&(t, n)| (n, std::cmp::Reverse(t)))
        .map(|(t, _)| t.to_string())
        .unwrap_or_default();
    let changes = [
        (
            "one-month",
            Filter {
                from: Some(lo),
                to: Some(lo + 30),
                ..Filter::default()
            },
        ),
        (
            "one-type",
            Filter {
                event_types: vec![top.clone()],
                ..Filter::default()
            },
        ),
        ("no-filter", Filter::default()),
    ];
    let mut line = serde_json::json!({
        "n": a.n, "impl": "atlas-filter", "unfiltered_index_at_load_ms": warm_ms, "event_type": top,
    });
    for (name, f) in changes {
        let t = Instant::now();
        let sel = d.selection(f.clone())?;
        let select_ms = ms(t);
        let rows = sel.rows.len();
        let t = Instant::now();
        let old = ClusterIndex::from_store(d.store(), Some(&sel.mapped), &opts)?;
        let rebuild_ms = ((select_ms + ms(t)) * 10.0).round() / 10.0;
        drop(old);
        let t = Instant::now();
        let view = d.view(f, &opts)?;
        let view_ms = ms(t);
        line[name] = serde_json::json!({
            "rows": rows,
            "selection_ms": select_ms,
            "view_ms": view_ms,
            "fresh_index_ms": rebuild_ms,
            "points": view.clusters.num_points(),
        });
    }
    println!("{line}");
    Ok(())
}
