//! The cluster index against answers of the real supercluster 9.1.0 (node), recorded in
//! `tests/fixtures/cluster/` by `gen.mjs` there.

use atlas::cluster::{ClusterIndex, ClusterOptions, ClusterOrPoint};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Expected {
    queries: Vec<Query>,
}

#[derive(Deserialize)]
struct Query {
    bbox: [f64; 4],
    zoom: f64,
    n_features: usize,
    n_points: u64,
    sum: u64,
    features: Option<Vec<Feature>>,
}

#[derive(Deserialize)]
struct Feature {
    id: u32,
    cluster: bool,
    count: u32,
    sum: u32,
    lon: f64,
    lat: f64,
    expansion_zoom: Option<u8>,
}

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/cluster")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn index() -> ClusterIndex {
    let pts: Vec<[f64; 3]> = serde_json::from_str(&fixture("points.json")).unwrap();
    let lon: Vec<f64> = pts.iter().map(|p| p[0]).collect();
    let lat: Vec<f64> = pts.iter().map(|p| p[1]).collect();
    let fat: Vec<u32> = pts.iter().map(|p| p[2] as u32).collect();
    let rows: Vec<u32> = (0..pts.len() as u32).collect();
    ClusterIndex::build_weighted(&lon, &lat, Some(&fat), &rows, &ClusterOptions::default()).unwrap()
}

#[test]
fn matches_supercluster_fixture() {
    let expected: Expected = serde_json::from_str(&fixture("expected.json")).unwrap();
    let index = index();
    let mut full = 0;
    for q in &expected.queries {
        let got = index.clusters(q.bbox, q.zoom);
        let ctx = format!("bbox {:?} zoom {}", q.bbox, q.zoom);
        assert_eq!(got.len(), q.n_features, "{ctx}");
        assert_eq!(
            got.iter().map(|f| f.count() as u64).sum::<u64>(),
            q.n_points,
            "{ctx}"
        );
        assert_eq!(
            got.iter().map(|f| f.fatalities() as u64).sum::<u64>(),
            q.sum,
            "{ctx}"
        );
        let Some(want) = &q.features else { continue };
        full += 1;
        // same features in the same order (kdbush's range order)
        for (g, w) in got.iter().zip(want) {
            match *g {
                ClusterOrPoint::Cluster {
                    id,
                    count,
                    lon,
                    lat,
                    fatalities,
                    expansion_zoom,
                } => {
                    assert!(w.cluster, "{ctx}: got a cluster, want point {}", w.id);
                    assert_eq!((id, count, fatalities), (w.id, w.count, w.sum), "{ctx}");
                    assert_eq!(Some(expansion_zoom), w.expansion_zoom, "{ctx} cluster {id}");
                    assert!(
                        (lon - w.lon).abs() < 1e-9 && (lat - w.lat).abs() < 1e-9,
                        "{ctx} cluster {id}"
                    );
                }
                ClusterOrPoint::Point {
                    row,
                    lon,
                    lat,
                    fatalities,
                } => {
                    assert!(!w.cluster, "{ctx}: got point {row}, want a cluster");
                    assert_eq!((row, fatalities), (w.id, w.sum), "{ctx}");
                    assert!(
                        (lon - w.lon).abs() < 1e-9 && (lat - w.lat).abs() < 1e-9,
                        "{ctx} point {row}"
                    );
                }
            }
        }
    }
    assert!(
        full > 40,
        "fixture has full feature lists for {full} queries"
    );
}

#[test]
fn leaves_and_children_partition_a_cluster() {
    let index = index();
    let top = index.clusters([60.5, 29.0, 75.0, 38.5], 4.0);
    let mut total = 0;
    for f in &top {
        if let ClusterOrPoint::Cluster {
            id,
            count,
            fatalities,
            ..
        } = *f
        {
            let leaves = index.leaves(id, usize::MAX, 0).unwrap();
            assert_eq!(leaves.len(), count as usize);
            let children = index.children(id).unwrap();
            assert!(children.len() >= 2);
            assert_eq!(children.iter().map(|c| c.count()).sum::<u32>(), count);
            assert_eq!(
                children.iter().map(|c| c.fatalities()).sum::<u32>(),
                fatalities
            );
            // paging
            let page = index.leaves(id, 3, 1).unwrap();
            assert_eq!(page, leaves[1..4.min(leaves.len())].to_vec());
        }
        total += f.count();
    }
    assert_eq!(total, 3000);
    assert!(index.children(5).is_err());
    assert!(index.expansion_zoom(u32::MAX).is_err());
}

#[test]
fn subset_and_unmapped_rows() {
    let lon = [71.0, 71.00001, f64::NAN, 66.0, 71.00002];
    let lat = [34.0, 34.00001, 30.0, 30.0, 34.00002];
    let idx = ClusterIndex::build(&lon, &lat, &[4, 2, 1, 3], &ClusterOptions::default()).unwrap();
    let world = [-180.0, -85.0, 180.0, 85.0];
    let at0 = idx.clusters(world, 0.0);
    assert_eq!(at0.iter().map(|f| f.count()).sum::<u32>(), 3);
    let mut rows: Vec<u32> = idx
        .clusters(world, 20.0)
        .iter()
        .filter_map(|f| match f {
            ClusterOrPoint::Point { row, .. } => Some(*row),
            _ => None,
        })
        .collect();
    rows.sort();
    assert_eq!(rows, vec![1, 3, 4]);
    assert!(ClusterIndex::build(&lon, &lat, &[9], &ClusterOptions::default()).is_err());
    // antimeridian-crossing boxes split like supercluster's
    let east = ClusterIndex::build(
        &[179.5, -179.5],
        &[0.0, 0.0],
        &[0, 1],
        &ClusterOptions::default(),
    )
    .unwrap();
    assert_eq!(east.clusters([179.0, -1.0, -179.0, 1.0], 10.0).len(), 2);
    assert_eq!(east.clusters([179.0, -1.0, 179.9, 1.0], 10.0).len(), 1);
}

#[derive(Deserialize)]
struct Min3 {
    bbox: [f64; 4],
    zoom: f64,
    ids: Vec<u32>,
    counts: Vec<u32>,
}

/// `min_points = 3` takes the exact-order path (neighbours of a point left unclustered are
/// carried to the next zoom in kdbush's order): same ids, counts and order as supercluster.
#[test]
fn matches_supercluster_with_min_points_3() {
    let want: Vec<Min3> = serde_json::from_str(&fixture("expected-min3.json")).unwrap();
    let pts: Vec<[f64; 3]> = serde_json::from_str(&fixture("points.json")).unwrap();
    let lon: Vec<f64> = pts.iter().map(|p| p[0]).collect();
    let lat: Vec<f64> = pts.iter().map(|p| p[1]).collect();
    let rows: Vec<u32> = (0..pts.len() as u32).collect();
    let opts = ClusterOptions {
        min_points: 3,
        ..Default::default()
    };
    let index = ClusterIndex::build(&lon, &lat, &rows, &opts).unwrap();
    for q in &want {
        let got = index.clusters(q.bbox, q.zoom);
        let ids: Vec<u32> = got
            .iter()
            .map(|f| match *f {
                ClusterOrPoint::Cluster { id, .. } => id,
                ClusterOrPoint::Point { row, .. } => row,
            })
            .collect();
        let counts: Vec<u32> = got.iter().map(|f| f.count()).collect();
        assert_eq!(ids, q.ids, "bbox {:?} zoom {}", q.bbox, q.zoom);
        assert_eq!(counts, q.counts, "bbox {:?} zoom {}", q.bbox, q.zoom);
    }
}
