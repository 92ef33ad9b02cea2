//! `cluster_count` on the shared benchmark workload must equal node supercluster's.
//! Needs the generated workload, so it is ignored by default:
//!
//! ```sh
//! python3 /work/shared/bench/gen_workload.py --n 100000 --seed 42 --out /tmp/bw/data
//! ATLAS_WORKLOAD=/tmp/bw/data ATLAS_N=100000 cargo test -p atlas --release --test cluster_workload -- --ignored --nocapture
//! ```
//! Expected (node-supercluster 9.1.0): 366,383 at N = 100,000 and 503,202 at N = 1,000,000.

use atlas::cluster::{ClusterIndex, ClusterOptions};
use serde::Deserialize;
use std::io::BufRead;

#[derive(Deserialize)]
struct Feature {
    geometry: Geometry,
}
#[derive(Deserialize)]
struct Geometry {
    coordinates: [f64; 2],
}
#[derive(Deserialize)]
struct Queries {
    cluster: Vec<ClusterQuery>,
}
#[derive(Deserialize)]
struct ClusterQuery {
    bbox: [f64; 4],
    zoom: f64,
}

#[test]
#[ignore = "needs the generated benchmark workload (ATLAS_WORKLOAD, ATLAS_N)"]
fn cluster_count_equals_supercluster() {
    let dir = std::env::var("ATLAS_WORKLOAD").unwrap_or_else(|_| "/tmp/bw/data".into());
    let n: usize = std::env::var("ATLAS_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let want = match n {
        100_000 => 366_383,
        1_000_000 => 503_202,
        _ => panic!("no reference cluster_count for N = {n}"),
    };
    let file = std::fs::File::open(format!("{dir}/incidents-{n}.geojson")).unwrap();
    let (mut lon, mut lat) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for line in std::io::BufReader::with_capacity(1 << 22, file).lines() {
        let line = line.unwrap();
        let s = line.trim().trim_end_matches(',');
        if s.starts_with("{\"type\":\"Feature\"") || s.starts_with("{\"type\": \"Feature\"") {
            let f: Feature = serde_json::from_str(s).unwrap();
            lon.push(f.geometry.coordinates[0]);
            lat.push(f.geometry.coordinates[1]);
        }
    }
    assert_eq!(lon.len(), n);
    let q: Queries =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/queries-{n}.json")).unwrap())
            .unwrap();
    let rows: Vec<u32> = (0..n as u32).collect();
    let t = std::time::Instant::now();
    let index = ClusterIndex::build(&lon, &lat, &rows, &ClusterOptions::default()).unwrap();
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = std::time::Instant::now();
    let count: usize = q.cluster.iter().map(|c| index.count(c.bbox, c.zoom)).sum();
    let query_ms = t.elapsed().as_secs_f64() * 1e3;
    eprintln!(
        "n {n}: build {build_ms:.1} ms, {} queries {query_ms:.1} ms, cluster_count {count}",
        q.cluster.len()
    );
    assert_eq!(count, want);
}
