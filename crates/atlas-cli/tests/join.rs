//! `atlas join`: per-polygon counts from the command line.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn atlas() -> Command {
    let mut c = Command::cargo_bin("atlas").expect("atlas binary");
    c.env_remove("RUST_BACKTRACE");
    c
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-cli-join-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

/// Two synthetic unit-square "districts" sharing the edge lon = 71, the eastern one with a
/// hole, and a line feature (no row).
const DISTRICTS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","id":"w","geometry":{"type":"Polygon","coordinates":[[[70,33],[71,33],[71,34],[70,34],[70,33]]]},"properties":{"shapeName":"West (synthetic)"}},
{"type":"Feature","id":2,"geometry":{"type":"MultiPolygon","coordinates":[[[[71,33],[72,33],[72,34],[71,34],[71,33]],[[71.4,33.4],[71.6,33.4],[71.6,33.6],[71.4,33.6],[71.4,33.4]]]]},"properties":{"ADM2_EN":"East, with a hole"}},
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[70,33],[72,34]]},"properties":{"name":"a road"}}
]}"#;

/// Incidents: one in the west, one on the shared edge (counted east), one in the hole,
/// one outside, one without a location; two event types, two dates.
const INCIDENTS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[70.5,33.5]},"properties":{"event_id_cnty":"S1","event_date":"2025-10-12","event_type":"Battles","fatalities":2}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[71,33.5]},"properties":{"event_id_cnty":"S2","event_date":"2025-10-13","event_type":"Battles","fatalities":5}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[71.5,33.5]},"properties":{"event_id_cnty":"S3","event_date":"2025-10-14","event_type":"Battles","fatalities":1}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[71.2,33.2]},"properties":{"event_id_cnty":"S4","event_date":"2025-11-20","event_type":"Riots"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[75,30]},"properties":{"event_id_cnty":"S5","event_date":"2025-10-12","event_type":"Battles","fatalities":1}},
{"type":"Feature","geometry":null,"properties":{"event_id_cnty":"S6","event_date":"2025-10-12","event_type":"Battles","fatalities":1}}
]}"#;

#[test]
fn counts_per_polygon_as_csv() {
    let d = tmp("districts.geojson", DISTRICTS);
    let i = tmp("incidents.geojson", INCIDENTS);
    atlas()
        .args(["join", "--polygons"])
        .arg(&d)
        .arg(&i)
        .assert()
        .success()
        .stdout(
            "feature,id,name,count,fatalities,unknown_fatalities\n\
             0,w,West (synthetic),1,2,0\n\
             1,2,\"East, with a hole\",2,5,1\n",
        )
        .stderr(predicate::str::contains(
            "6 incident(s): 2 outside every polygon, 1 without a location",
        ));
}

#[test]
fn filters_and_json() {
    let d = tmp("districts2.geojson", DISTRICTS);
    let i = tmp("incidents2.geojson", INCIDENTS);
    let out = atlas()
        .args([
            "join",
            "--format",
            "json",
            "--type",
            "Battles",
            "--from",
            "2025-10-13",
            "--polygons",
        ])
        .arg(&d)
        .arg(&i)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["rows"][0]["count"], 0);
    assert_eq!(v["rows"][1]["count"], 1);
    assert_eq!(v["rows"][1]["fatalities"], 5);
    assert_eq!(v["outside"], 1); // S3, in the hole
}

#[test]
fn a_file_without_polygons_is_an_error() {
    let l = tmp(
        "lines.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[70,33],[72,34]]},"properties":{}}]}"#,
    );
    atlas()
        .args(["join", "--polygons"])
        .arg(&l)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no Polygon or MultiPolygon features",
        ));
    atlas()
        .args(["join", "--polygons", "/nonexistent/districts.geojson"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("reading --polygons"));
}
