//! `atlas bench-tiles --workload DIR --n N`: how fast the map's incident tiles are cut.
//!
//! Loads the shared workload's incidents, builds the map's filtered view (all incidents,
//! then a one-month window), and for each viewport of the workload's cluster queries cuts
//! every tile MapLibre would request for it (the tiles covering the box at the integer
//! zoom). Prints one JSON line: tile count, p50 / p95 / p99 / max milliseconds per tile,
//! mean bytes, and the view build times.

use anyhow::{Context, Result};
use atlas::dataset::Dataset;
use atlas::filter::Filter;
use atlas::import::ImportOptions;
use atlas::incident_tiles::{incident_tile, map_cluster_options};
use atlas::tiles::TileId;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct BenchTilesArgs {
    /// Directory with incidents-N.geojson and queries-N.json (the shared bench workload).
    #[arg(long)]
    workload: PathBuf,
    #[arg(long)]
    n: usize,
    /// At most this many viewports of the workload (0: all).
    #[arg(long, default_value_t = 0)]
    viewports: usize,
}

#[derive(Deserialize)]
struct Queries {
    cluster: Vec<View>,
}

#[derive(Deserialize)]
struct View {
    bbox: [f64; 4],
    zoom: f64,
}

/// Tiles covering `bbox` at zoom `z` (Web Mercator, clamped to the world).
pub fn covering(bbox: [f64; 4], z: u32) -> Vec<TileId> {
    let n = 1u32 << z;
    let tx = |lon: f64| (((lon + 180.0) / 360.0 * n as f64).floor() as i64).clamp(0, n as i64 - 1);
    let ty = |lat: f64| {
        let l = lat.clamp(-85.0511, 85.0511).to_radians();
        let y = (1.0 - l.tan().asinh() / std::f64::consts::PI) / 2.0 * n as f64;
        (y.floor() as i64).clamp(0, n as i64 - 1)
    };
    let (x0, x1) = (tx(bbox[0]), tx(bbox[2]));
    let (y0, y1) = (ty(bbox[3]), ty(bbox[1]));
    let mut out = Vec::new();
    for x in x0..=x1 {
        for y in y0..=y1 {
            if let Ok(t) = TileId::new(z, x as u32, y as u32) {
                out.push(t);
            }
        }
    }
    out
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    (sorted[i.min(sorted.len() - 1)] * 1000.0).round() / 1000.0
}

pub fn run(a: &BenchTilesArgs) -> Result<()> {
    let n = a.n;
    let gpath = a.workload.join(format!("incidents-{n}.geojson"));
    let qpath = a.workload.join(format!("queries-{n}.json"));
    let q: Queries = serde_json::from_slice(
        &std::fs::read(&qpath).with_context(|| qpath.display().to_string())?,
    )
    .with_context(|| qpath.display().to_string())?;
    let t = Instant::now();
    let (store, _) = atlas::import::geojson::read_incidents(&gpath, &ImportOptions::default())
        .with_context(|| gpath.display().to_string())?;
    let d = Dataset::from_store(store)?;
    let load_ms = t.elapsed().as_millis();
    eprintln!(
        "loaded and indexed {} incidents in {load_ms} ms",
        d.store().len()
    );
    let mut views = q.cluster;
    if a.viewports > 0 {
        views.truncate(a.viewports);
    }
    let (lo, _) = d.day_range().unwrap_or((0, 0));
    let filters = [
        ("all", Filter::default()),
        (
            "one-month",
            Filter {
                from: Some(lo),
                to: Some(lo + 30),
                ..Filter::default()
            },
        ),
    ];
    let mut line = serde_json::json!({"n": n, "impl": "atlas-tiles", "viewports": views.len()});
    for (name, f) in filters {
        let t = Instant::now();
        let view = d.view(f, &map_cluster_options())?;
        let view_ms = t.elapsed().as_secs_f64() * 1000.0;
        let mut times = Vec::new();
        let mut bytes = 0usize;
        for v in &views {
            let z = v.zoom.floor().clamp(0.0, 16.0) as u32;
            for tile in covering(v.bbox, z) {
                let t = Instant::now();
                let b = incident_tile(d.store(), &view, tile);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                bytes += b.len();
            }
        }
        times.sort_by(f64::total_cmp);
        line[name] = serde_json::json!({
            "view_ms": view_ms.round(),
            "rows": view.rows.len(),
            "tiles": times.len(),
            "p50_ms": pct(&times, 0.5),
            "p95_ms": pct(&times, 0.95),
            "p99_ms": pct(&times, 0.99),
            "max_ms": pct(&times, 1.0),
            "mean_bytes": if times.is_empty() { 0 } else { bytes / times.len() },
        });
    }
    println!("{line}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering_tiles_of_a_box() {
        let t = covering([69.0, 33.0, 72.0, 35.0], 6);
        assert!(t.iter().all(|t| t.z == 6));
        assert!(t.iter().any(|t| t.x == 44 && t.y == 25), "{t:?}");
        assert_eq!(covering([-180.0, -85.0, 180.0, 85.0], 1).len(), 4);
    }
}

#[derive(clap::Args)]
pub struct BenchOpenArgs {
    /// The file to open, as the app's Open… would (GeoJSON or CSV).
    file: PathBuf,
}

/// `atlas bench-open FILE`: the app's path from choosing a file to the first map tile —
/// lenient import with progress, merge into the bundled data, border analytics and indexes,
/// the map's cluster view, and the first tile over the border (zoom 5). One JSON line.
pub fn run_open(a: &BenchOpenArgs) -> Result<()> {
    use atlas::import::{csv::CsvOptions, open_path, Opened};
    let t0 = Instant::now();
    let base = Dataset::bundled()?;
    let base_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let (opened, report) = open_path(&a.file, &ImportOptions::lenient(), &CsvOptions::default())
        .with_context(|| a.file.display().to_string())?;
    let parse_ms = t.elapsed().as_secs_f64() * 1000.0;
    let Opened::Incidents(store) = opened else {
        anyhow::bail!(
            "{} holds no incidents (it would open as a layer)",
            a.file.display()
        );
    };
    let t = Instant::now();
    let d = base.merged(*store, &a.file.display().to_string(), report)?;
    let merge_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let view = d.view(Filter::default(), &map_cluster_options())?;
    let view_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let tile = incident_tile(d.store(), &view, TileId::new(5, 22, 12)?);
    let tile_ms = t.elapsed().as_secs_f64() * 1000.0;
    let r = |x: f64| x.round();
    println!(
        "{}",
        serde_json::json!({
            "file": a.file.display().to_string(),
            "incidents": d.store().live_len(),
            "parse_ms": r(parse_ms),
            "merge_index_analytics_ms": r(merge_ms),
            "view_ms": r(view_ms),
            "first_tile_ms": (tile_ms * 1000.0).round() / 1000.0,
            "first_tile_bytes": tile.len(),
            "choose_to_tile_ms": r(parse_ms + merge_ms + view_ms + tile_ms),
            "bundled_load_ms": r(base_ms),
        })
    );
    Ok(())
}
