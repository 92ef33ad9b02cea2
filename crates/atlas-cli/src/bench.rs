//! `atlas bench --workload DIR --n N`: the benchmark workload of the shared bench
//! harness, run through the engine; prints one JSON line on stdout (logs on stderr).
//!
//! Phases, in order, each timed with a monotonic clock: load (GeoJSON into the
//! column store), index (every tree the engine builds at load), bbox, knn (exact
//! WGS84), radius (exact WGS84), timebbox, cluster (index build, then queries), border
//! analytics (its own field, not part of load); then `rss_mb` (peak RSS, VmHWM).

use anyhow::{bail, Context, Result};
use atlas::cluster::{ClusterIndex, ClusterOptions};
use atlas::date::{parse_date, Day};
use atlas::import::ImportOptions;
use atlas::index::SpatialIndex;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Directory with incidents-N.geojson and queries-N.json.
    #[arg(long)]
    workload: PathBuf,
    /// Number of incidents (selects the files; the file must hold exactly N features).
    #[arg(long)]
    n: usize,
    /// Row name in the report.
    #[arg(long = "impl", default_value = "atlas-rstar")]
    impl_name: String,
    /// Skip the border analytics phase (its field is then omitted).
    #[arg(long)]
    no_analytics: bool,
}

#[derive(Deserialize)]
struct Queries {
    bbox: Vec<[f64; 4]>,
    knn: Vec<Knn>,
    radius: Vec<Radius>,
    timebbox: Vec<TimeBox>,
    cluster: Vec<ClusterQuery>,
}

#[derive(Deserialize)]
struct ClusterQuery {
    bbox: [f64; 4],
    zoom: f64,
}

#[derive(Deserialize)]
struct Knn {
    point: [f64; 2],
    k: usize,
}

#[derive(Deserialize)]
struct Radius {
    point: [f64; 2],
    km: f64,
}

#[derive(Deserialize)]
struct TimeBox {
    bbox: [f64; 4],
    from: String,
    to: String,
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1e4).round() / 10.0
}

/// Peak resident set of this process in MiB (Linux VmHWM), if known.
fn peak_rss_mb() -> Option<f64> {
    status_mb("VmHWM:")
}

/// A memory figure of /proc/self/status in MiB.
fn status_mb(key: &str) -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb / 1024.0 * 10.0).round() / 10.0)
}

/// Log the resident and peak memory after a phase (stderr), to see which phase sets the peak.
fn log_memory(phase: &str) {
    if let (Some(rss), Some(hwm)) = (status_mb("VmRSS:"), status_mb("VmHWM:")) {
        eprintln!("memory after {phase}: {rss} MiB resident, peak {hwm} MiB");
    }
}

pub fn run(a: &BenchArgs) -> Result<()> {
    let n = a.n;
    let qpath = a.workload.join(format!("queries-{n}.json"));
    let gpath = a.workload.join(format!("incidents-{n}.geojson"));
    let qtext = std::fs::read(&qpath).with_context(|| qpath.display().to_string())?;
    let q: Queries = serde_json::from_slice(&qtext).with_context(|| qpath.display().to_string())?;
    drop(qtext);
    let mut windows: Vec<([f64; 4], Day, Day)> = Vec::with_capacity(q.timebbox.len());
    for t in &q.timebbox {
        let (Some(from), Some(to)) = (parse_date(&t.from), parse_date(&t.to)) else {
            bail!("bad date in timebbox query {} {}", t.from, t.to);
        };
        windows.push((t.bbox, from, to));
    }

    let t = Instant::now();
    let (store, report) = atlas::import::geojson::read_incidents(&gpath, &ImportOptions::default())
        .with_context(|| gpath.display().to_string())?;
    let load_ms = ms(t);
    if report.problem_count > 0 {
        bail!("{}: {} problems", gpath.display(), report.problem_count);
    }
    if store.len() != n {
        bail!(
            "{} has {} features, expected {n}",
            gpath.display(),
            store.len()
        );
    }
    eprintln!("loaded {} incidents in {load_ms} ms", store.len());
    log_memory("load");

    let t = Instant::now();
    let idx = SpatialIndex::build(&store);
    let index_ms = ms(t);
    log_memory("index");

    let mut out: Vec<u32> = Vec::with_capacity(n);
    let t = Instant::now();
    let mut bbox_hits = 0u64;
    for b in &q.bbox {
        out.clear();
        idx.boxes.query(*b, &mut out);
        bbox_hits += out.len() as u64;
    }
    let bbox_ms = ms(t);

    let t = Instant::now();
    let mut knn_checksum = 0u64;
    for k in &q.knn {
        for nb in idx.sphere.nearest(k.point[0], k.point[1], k.k) {
            knn_checksum += nb.row as u64;
        }
    }
    let knn_ms = ms(t);

    let t = Instant::now();
    let mut radius_hits = 0u64;
    for r in &q.radius {
        out.clear();
        idx.sphere.within_km(r.point[0], r.point[1], r.km, &mut out);
        radius_hits += out.len() as u64;
    }
    let radius_ms = ms(t);

    let t = Instant::now();
    let mut timebbox_hits = 0u64;
    for (b, from, to) in &windows {
        out.clear();
        idx.time.query(Some(*b), Some(*from), Some(*to), &mut out);
        timebbox_hits += out.len() as u64;
    }
    let timebbox_ms = ms(t);
    log_memory("queries");

    let t = Instant::now();
    let clusters = ClusterIndex::from_store(&store, None, &ClusterOptions::default())
        .map_err(|e| anyhow::anyhow!("cluster index: {e}"))?;
    let cluster_index_ms = ms(t);
    log_memory("cluster index");
    let t = Instant::now();
    let mut cluster_count = 0u64;
    let mut feats = Vec::new();
    for c in &q.cluster {
        feats.clear();
        clusters.clusters_into(c.bbox, c.zoom, true, &mut feats);
        cluster_count += feats.len() as u64;
    }
    let cluster_ms = ms(t);

    let mut analytics_ms = None;
    if !a.no_analytics {
        let t = Instant::now();
        let analytics = atlas::analytics::Analytics::compute(&store)
            .map_err(|e| anyhow::anyhow!("border analytics: {e}"))?;
        analytics_ms = Some(ms(t));
        log_memory("analytics");
        let corridor = analytics.border_km().iter().filter(|d| **d <= 40.0).count();
        eprintln!("{corridor} incidents within 40 km of the border line");
    }

    if std::env::var_os("ATLAS_BENCH_DETAIL").is_some() {
        let t = Instant::now();
        let b = atlas::index::BoxIndex::build(&store);
        eprintln!("box tree {} ms ({} points)", ms(t), b.len());
        let t = Instant::now();
        let b = atlas::index::TimeBoxIndex::build(&store);
        eprintln!("time tree {} ms ({} points)", ms(t), b.len());
        let t = Instant::now();
        let b = atlas::index::SphereIndex::from_boxes(&idx.boxes);
        eprintln!("sphere from box layout {} ms ({} points)", ms(t), b.len());
        let t = Instant::now();
        let mut acc = 0.0;
        for i in 0..100_000usize.min(store.len()) {
            acc += atlas::geodesic::distance_km(69.0, 33.0, store.lon[i], store.lat[i]);
        }
        eprintln!("100k Karney calls {} ms ({acc:.0})", ms(t));
    }

    let mut line = serde_json::json!({
        "impl": a.impl_name,
        "n": n,
        "load_ms": load_ms,
        "index_ms": index_ms,
        "bbox_ms": bbox_ms,
        "bbox_hits": bbox_hits,
        "knn_ms": knn_ms,
        "knn_checksum": knn_checksum,
        "knn_metric": "wgs84",
        "radius_ms": radius_ms,
        "radius_hits": radius_hits,
        "radius_metric": "wgs84",
        "timebbox_ms": timebbox_ms,
        "timebbox_hits": timebbox_hits,
        "cluster_index_ms": cluster_index_ms,
        "cluster_ms": cluster_ms,
        "cluster_count": cluster_count,
        "index_mb": (idx.heap_bytes() as f64 / 1048576.0 * 10.0).round() / 10.0,
    });
    if let Some(v) = analytics_ms {
        line["analytics_ms"] = v.into();
    }
    if let Some(rss) = peak_rss_mb() {
        line["rss_mb"] = rss.into();
    }
    println!("{line}");
    Ok(())
}
