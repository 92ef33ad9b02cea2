//! `atlas bench --workload DIR --n N`: the benchmark workload of the shared bench
//! harness, run through the engine; prints one JSON line on stdout (logs on stderr).
//!
//! Phases, in order, each timed with a monotonic clock: load (GeoJSON into the
//! column store), index (every tree the engine builds at load), bbox, knn (exact
//! WGS84), radius (exact WGS84), timebbox; then `rss_mb` (peak RSS, VmHWM).

use anyhow::{bail, Context, Result};
use atlas::date::{parse_date, Day};
use atlas::index::SpatialIndex;
use atlas::model::{IncidentRecord, IncidentStore};
use serde::Deserialize;
use std::path::{Path, PathBuf};
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
}

#[derive(Deserialize)]
struct Queries {
    bbox: Vec<[f64; 4]>,
    knn: Vec<Knn>,
    radius: Vec<Radius>,
    timebbox: Vec<TimeBox>,
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
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb / 1024.0 * 10.0).round() / 10.0)
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
    let store = load(&gpath)?;
    let load_ms = ms(t);
    if store.len() != n {
        bail!(
            "{} has {} features, expected {n}",
            gpath.display(),
            store.len()
        );
    }
    eprintln!("loaded {} incidents in {load_ms} ms", store.len());

    let t = Instant::now();
    let idx = SpatialIndex::build(&store);
    let index_ms = ms(t);

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
        "index_mb": (idx.heap_bytes() as f64 / 1048576.0 * 10.0).round() / 10.0,
    });
    if let Some(rss) = peak_rss_mb() {
        line["rss_mb"] = rss.into();
    }
    println!("{line}");
    Ok(())
}

/// Interim GeoJSON loader (one Feature per line, as the workload writes it), used
/// until the engine's importer lands.
fn load(path: &Path) -> Result<IncidentStore> {
    #[derive(Deserialize)]
    struct Feature<'a> {
        geometry: Geometry,
        #[serde(borrow)]
        properties: Props<'a>,
    }
    #[derive(Deserialize)]
    struct Geometry {
        coordinates: [f64; 2],
    }
    #[derive(Deserialize)]
    struct Props<'a> {
        event_id_cnty: &'a str,
        event_date: &'a str,
        event_type: &'a str,
        sub_event_type: &'a str,
        actor1: &'a str,
        actor2: &'a str,
        country: &'a str,
        geo_precision: u8,
        source: &'a str,
        notes: std::borrow::Cow<'a, str>,
        fatalities: u32,
    }
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let mut store = IncidentStore::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches(',');
        if !line.starts_with("{\"type\":\"Feature\"") {
            continue;
        }
        let f: Feature =
            serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), i + 1))?;
        let p = f.properties;
        let day = parse_date(p.event_date)
            .with_context(|| format!("{}:{}: bad date", path.display(), i + 1))?;
        let mut r = IncidentRecord::new(
            p.event_id_cnty,
            f.geometry.coordinates[0],
            f.geometry.coordinates[1],
            day,
        );
        r.event_type = p.event_type.into();
        r.sub_event_type = p.sub_event_type.into();
        r.actor1 = p.actor1.into();
        r.actor2 = p.actor2.into();
        r.country = p.country.into();
        r.geo_precision = p.geo_precision;
        r.source = p.source.into();
        r.notes = p.notes.into_owned();
        r.fatalities = Some(p.fatalities);
        store.push(&r);
    }
    Ok(store)
}
