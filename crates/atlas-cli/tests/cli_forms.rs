//! The `atlas` subcommand forms other tools rely on: validate, info, query, stats.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn atlas() -> Command {
    let mut c = Command::cargo_bin("atlas").expect("atlas binary");
    c.env_remove("RUST_BACKTRACE");
    c
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-cli-forms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

fn repo(p: &str) -> String {
    format!("{}/../../{p}", env!("CARGO_MANIFEST_DIR"))
}

const GOOD: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[71.10,34.13]},"properties":{"event_id_cnty":"SYN1","event_date":"2025-10-12","event_type":"Battles","fatalities":2}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[66.44,30.96]},"properties":{"event_id_cnty":"SYN2","event_date":"2025-10-15","event_type":"Riots","fatalities":1}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[62.0,36.5]},"properties":{"event_date":"2025-11-02","event_type":"Battles"}}
]}
"#;

#[test]
fn validate_reports_file_line_col_and_exit_status() {
    let good = tmp("good.geojson", GOOD);
    atlas()
        .arg("validate")
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::ends_with("1 file(s) checked: all valid\n"));

    let bad = tmp(
        "bad.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[71.1,95.2]},\"properties\":{\"event_date\":\"2025-10-12\",\"event_type\":\"Battles\"}}\n]}\n",
    );
    let csv = tmp(
        "bad.csv",
        "event_id_cnty,event_date,event_type,latitude,longitude\nX1,2025-10-12,Battles,34.1,abc\n",
    );
    let out = atlas()
        .arg("validate")
        .arg(&good)
        .arg(&bad)
        .arg(&csv)
        .assert()
        .code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with(&format!("{}:2:", bad.display())),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("latitude 95.2 out of range [-90, 90]"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(&format!("{}:2:", csv.display())),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("longitude"), "{}", lines[1]);
    assert_eq!(lines[2], "3 file(s) checked: 2 invalid, 2 problem(s)");

    atlas()
        .arg("validate")
        .arg("/nonexistent/file.geojson")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("cannot read the file"));
}

#[test]
fn info_lists_count_types_bbox_time_and_properties() {
    let good = tmp("info.geojson", GOOD);
    let out = atlas()
        .args(["info", "--format", "json"])
        .arg(&good)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(v["count"], 3);
    assert_eq!(v["kind"], "incidents");
    assert_eq!(v["geometry_types"]["Point"], 3);
    assert_eq!(v["date_from"], "2025-10-12");
    assert_eq!(v["date_to"], "2025-11-02");
    assert_eq!(v["bbox"][0].as_f64(), Some(62.0));
    assert!(v["property_names"]
        .as_array()
        .expect("names")
        .iter()
        .any(|n| n == "event_type"));
    atlas()
        .arg("info")
        .arg(repo("data/provinces.geojson"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("holds:           layer")
                .and(predicate::str::contains("Polygon 40")),
        );
}

#[test]
fn query_forms() {
    let good = tmp("query.geojson", GOOD);
    // ids: the Feature id, else event_id_cnty, else the position in the file.
    atlas()
        .args(["query", "--format", "ids"])
        .arg(&good)
        .assert()
        .success()
        .stdout("7\nSYN2\n2\n");
    atlas()
        .args(["query", "--format", "ids", "--bbox", "70,33,72,35"])
        .arg(&good)
        .assert()
        .success()
        .stdout("7\n");
    atlas()
        .args([
            "query",
            "--format",
            "ids",
            "--from",
            "2025-10-13",
            "--to",
            "2025-12-31",
            "--type",
            "Battles",
        ])
        .arg(&good)
        .assert()
        .success()
        .stdout("2\n");
    atlas()
        .args([
            "query",
            "--format",
            "ids",
            "--near",
            "66.0,31.0",
            "--k",
            "2",
        ])
        .arg(&good)
        .assert()
        .success()
        .stdout("SYN2\n7\n");
    atlas()
        .args([
            "query",
            "--format",
            "ids",
            "--within-km",
            "5",
            "--of",
            "Torkham",
        ])
        .arg(&good)
        .assert()
        .success()
        .stdout("7\n");
    atlas()
        .args([
            "query",
            "--format",
            "ids",
            "--within-km",
            "3",
            "--of",
            "border",
        ])
        .arg(&good)
        .assert()
        .success()
        .stdout("7\nSYN2\n");
    atlas()
        .args([
            "query",
            "--format",
            "ids",
            "--within-km",
            "1",
            "--of",
            "66.44,30.96",
        ])
        .arg(&good)
        .assert()
        .success()
        .stdout("SYN2\n");
    // GeoJSON carries the border analytics.
    let out = atlas()
        .args(["query", "--format", "geojson", "--type", "Riots"])
        .arg(&good)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("geojson");
    let p = &v["features"][0]["properties"];
    assert!(p["border_km"].as_f64().expect("border_km") < 2.0);
    assert!(p["nearest_crossing"]
        .as_str()
        .expect("crossing")
        .starts_with("Chaman"));
    assert!(p["chainage_km"].as_f64().is_some());
    assert!(p["crossing_km"].as_f64().is_some());
    assert!(["Afghanistan", "Pakistan"].contains(&p["side"].as_str().expect("side")));
    // CSV output has a header and one line per incident.
    let out = atlas()
        .args(["query", "--format", "csv"])
        .arg(&good)
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .count(),
        4
    );
    // Without FILE: the bundled sample.
    atlas()
        .args(["query", "--format", "ids"])
        .assert()
        .success()
        .stdout(predicate::str::contains("BA-SAMPLE-001"));
    // Bad arguments: a clear error, never a panic.
    atlas()
        .args(["query", "--bbox", "1,2,3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("W,S,E,N"));
    atlas()
        .args(["query", "--within-km", "3", "--of", "Nowhere"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("Torkham").and(predicate::str::contains("panicked").not()),
        );
    atlas()
        .args(["query", "--from", "2025-13-40"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unparseable date"));
}

#[test]
fn stats_forms() {
    let good = tmp("stats.geojson", GOOD);
    atlas()
        .args(["stats", "--by", "type"])
        .arg(&good)
        .assert()
        .success()
        .stdout("event_type,count,fatalities,unknown_fatalities\nBattles,2,2,1\nRiots,1,1,0\n");
    atlas()
        .args(["stats", "--by", "month"])
        .arg(&good)
        .assert()
        .success()
        .stdout("month,count,fatalities,unknown_fatalities\n2025-10,2,3,0\n2025-11,1,0,1\n");
    let out = atlas()
        .args(["stats", "--by", "crossing", "--format", "json"])
        .arg(&good)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert!(v
        .as_array()
        .expect("array")
        .iter()
        .any(|g| g["key"] == "Torkham" && g["count"] == 1));
    let out = atlas()
        .args(["stats", "--by", "segment", "--segment-km", "100"])
        .arg(&good)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(text.lines().count(), 1 + 28, "{text}");
    let total: u64 = text
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(5)
                .and_then(|c| c.parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(total, 2, "the Iranian point is far from the line");
    atlas()
        .args(["stats", "--segment-km", "0"])
        .assert()
        .code(2);
}
