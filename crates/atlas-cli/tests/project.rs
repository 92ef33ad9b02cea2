//! `atlas project info|check` and `atlas export-map --project` end to end.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/project/v1")
}

/// A copy of the v1 fixture in a fresh temporary directory.
fn copy_fixture(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("atlas-cli-project-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    for f in ["study.atlas.json", "incidents-sample.geojson"] {
        std::fs::copy(fixture_dir().join(f), d.join(f)).unwrap();
    }
    d
}

fn atlas() -> Command {
    Command::cargo_bin("atlas").unwrap()
}

#[test]
fn info_lists_layers_with_status_and_counts() {
    let f = fixture_dir().join("study.atlas.json");
    atlas()
        .args(["project", "info"])
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains("format version 1"))
        .stdout(
            predicate::str::is_match(r"ok +incidents \[incidents\] incidents-sample.geojson")
                .unwrap(),
        )
        .stdout(predicate::str::contains("annotations: 2"))
        .stdout(predicate::str::contains("filter: event type: Battles"));
    let out = atlas()
        .args(["project", "info", "--json"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["annotations"], 2);
    assert_eq!(v["layers"][0]["status"], "ok");
    assert_eq!(v["layers"][1]["kind"], "reference");
}

#[test]
fn check_fails_on_changed_and_missing_layers_and_bad_files() {
    let d = copy_fixture("check");
    let f = d.join("study.atlas.json");
    atlas()
        .args(["project", "check"])
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains("ok (2 layers, 2 annotations)"));

    let data = d.join("incidents-sample.geojson");
    let mut bytes = std::fs::read(&data).unwrap();
    bytes.push(b'\n');
    std::fs::write(&data, &bytes).unwrap();
    atlas()
        .args(["project", "check"])
        .arg(&f)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("layer \"incidents\": ").and(predicate::str::contains(
                "changed since the project was saved",
            )),
        );
    atlas()
        .args(["project", "info"])
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"changed +incidents").unwrap());

    std::fs::remove_file(&data).unwrap();
    atlas()
        .args(["project", "check"])
        .arg(&f)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("file missing"));

    std::fs::write(&f, "{\"format_version\": 3}").unwrap();
    atlas()
        .args(["project", "check"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "project written by a newer Border Atlas (format 3); this version reads up to 1",
        ));
    std::fs::write(&f, "{\"format_version\": 1,\n \"layers\": 5}").unwrap();
    atlas()
        .args(["project", "info"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("study.atlas.json:2:"));
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn annotations_export_as_geojson() {
    let f = fixture_dir().join("study.atlas.json");
    let out = atlas()
        .args(["project", "annotations"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["geometry"]["type"], "Point");
    assert_eq!(features[1]["geometry"]["type"], "Polygon");
    assert_eq!(features[1]["properties"]["title"], "Fixture area");
    for k in ["title", "note", "created", "modified"] {
        assert!(features[0]["properties"][k].is_string(), "{k}");
    }
}

/// "Incidents shown: N of M selected" from an exported page.
fn selected(svg: &str) -> u32 {
    let i = svg.find(" selected").expect("data note");
    let head = &svg[..i];
    let n = head.rsplit(' ').next().unwrap();
    n.parse().unwrap()
}

#[test]
fn export_map_renders_from_the_project() {
    let d = copy_fixture("export");
    let f = d.join("study.atlas.json");
    let out = d.join("page.svg");
    atlas()
        .args(["export-map", "--generated", "2025-11-01", "--project"])
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    // Preset title/subtitle, time window, filter and paper from the project.
    for want in [
        "Fixture export",
        "October 2025",
        "Dates: 2025-10-01 to 2025-10-31",
        "Filters: event type: Battles",
        r#"width="297mm" height="210mm""#,
    ] {
        assert!(svg.contains(want), "missing {want:?}");
    }
    let with_filter = selected(&svg);

    // Same project without the event type filter selects more; the command line
    // overrides the preset's title.
    let mut p: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
    p["filter"]["event_types"] = serde_json::json!([]);
    std::fs::write(&f, serde_json::to_vec(&p).unwrap()).unwrap();
    atlas()
        .args([
            "export-map",
            "--generated",
            "2025-11-01",
            "--title",
            "Override",
            "--project",
        ])
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("Override") && !svg.contains("Fixture export"));
    assert!(!svg.contains("Filters: event type"));
    assert!(
        selected(&svg) > with_filter,
        "{} vs {with_filter}",
        selected(&svg)
    );

    // Preset by name; an unknown one is an error; a missing layer warns.
    atlas()
        .args(["export-map", "--preset", "nope", "--project"])
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no export preset named \"nope\""));
    std::fs::remove_file(d.join("incidents-sample.geojson")).unwrap();
    atlas()
        .args(["export-map", "--generated", "2025-11-01", "--project"])
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning:").and(predicate::str::contains("file missing")));
    std::fs::remove_dir_all(&d).ok();
}
