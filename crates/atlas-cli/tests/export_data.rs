//! `atlas export-data`: filtered incidents (and layers) to GeoJSON, CSV and GeoPackage.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn atlas() -> Command {
    let mut c = Command::cargo_bin("atlas").expect("atlas binary");
    c.env_remove("RUST_BACKTRACE");
    c
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("atlas-cli-export-data-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let p = dir().join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

const INCIDENTS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[71.10,34.13]},"properties":{"event_id_cnty":"SYN1","event_date":"2025-10-12","event_type":"Battles","fatalities":2}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[66.44,30.96]},"properties":{"event_id_cnty":"SYN2","event_date":"2025-10-15","event_type":"Riots","fatalities":1}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[62.0,36.5]},"properties":{"event_id_cnty":"SYN3","event_date":"2025-11-02","event_type":"Battles"}}
]}"#;

#[test]
fn geojson_with_filters_and_analytics() {
    let i = tmp("in.geojson", INCIDENTS);
    let out = dir().join("out.geojson");
    atlas()
        .arg("export-data")
        .arg(&i)
        .arg("--out")
        .arg(&out)
        .args(["--type", "Battles", "--within-km", "100"])
        .assert()
        .success()
        .stderr("wrote 1 incident(s) to ".to_string() + &out.display().to_string() + "\n");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    let f = &v["features"];
    assert_eq!(f.as_array().map(Vec::len), Some(1));
    assert_eq!(f[0]["properties"]["event_id_cnty"], "SYN1");
    assert_eq!(f[0]["properties"]["nearest_crossing"], "Torkham");
    assert_eq!(f[0]["geometry"]["coordinates"][0], 71.10);
}

#[test]
fn csv_of_the_bundled_sample_with_a_date_window() {
    let out = dir().join("sample.csv");
    atlas()
        .args([
            "export-data",
            "--from",
            "2025-10-01",
            "--to",
            "2030-01-01",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(text.starts_with("event_id_cnty,event_date,year,"));
    let mut store = atlas::IncidentStore::default();
    let imp = atlas::import::csv::read_incidents(
        text.as_bytes(),
        "sample.csv",
        &mut store,
        // The sample has 3 incidents without a location: their latitude/longitude cells are
        // empty, which the CSV importer rejects (GeoJSON keeps them with a null geometry).
        &atlas::import::ImportOptions::lenient(),
        &atlas::import::csv::CsvOptions::default(),
    )
    .expect("re-import");
    assert_eq!((imp.report.loaded, imp.report.rejected), (7, 3));
}

#[test]
fn geopackage_with_incidents_and_a_layer_read_by_gdal() {
    if std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: ogrinfo (Debian gdal-bin) is not installed; `make test` installs it");
        return;
    }
    let i = tmp("in2.geojson", INCIDENTS);
    let l = tmp(
        "area.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[70,33],[72,33],[72,35],[70,35],[70,33]]]},"properties":{"name":"study area (synthetic)"}}]}"#,
    );
    let out = dir().join("both.gpkg");
    atlas()
        .arg("export-data")
        .arg(&i)
        .arg("--layer")
        .arg(&l)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "3 incident(s), layer \"area\" (1 feature(s))",
        ));
    let o = std::process::Command::new("ogrinfo")
        .arg("-q")
        .arg(&out)
        .output()
        .expect("ogrinfo");
    let list = String::from_utf8_lossy(&o.stdout);
    assert!(
        list.contains("incidents (Point)") && list.contains("area (Polygon)"),
        "{list}"
    );
}

#[test]
fn bad_output_names_are_errors() {
    atlas()
        .args(["export-data", "--out", "x.shp"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "use a .geojson, .json, .csv or .gpkg file name",
        ));
    let l = tmp("area2.geojson", r#"{"type":"Point","coordinates":[70,33]}"#);
    atlas()
        .args(["export-data", "--out", "x.csv", "--layer"])
        .arg(&l)
        .arg(tmp("in3.geojson", INCIDENTS))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds one collection"));
}
