//! Opening projects: shipped format fixtures, moved/changed layer files and relinking,
//! recovery files, backups, embedded layers and located errors.

use atlas::project::layers::{layer_bytes, project_dir};
use atlas::project::save::{backup_path, recovery_path};
use atlas::project::{
    Edit, Geometry, LayerKind, LayerSource, LayerState, Project, ProjectError, StyleBy,
    FORMAT_VERSION,
};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/project")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("atlas-project-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn every_shipped_format_fixture_opens() {
    let mut versions = Vec::new();
    for e in std::fs::read_dir(fixtures()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(v) = name.strip_prefix('v').and_then(|v| v.parse::<u32>().ok()) else {
            continue;
        };
        versions.push(v);
        let o = Project::open(&e.path().join("study.atlas.json")).unwrap();
        assert!(o.problems.is_empty(), "v{v}: {:?}", o.problems);
        assert!(
            o.layers.iter().all(|s| matches!(s, LayerState::Ok { .. })),
            "v{v}"
        );
        assert_eq!(o.project.format_version, FORMAT_VERSION);
    }
    versions.sort_unstable();
    // Every version up to the current one has a fixture.
    assert_eq!(versions, (1..=FORMAT_VERSION).collect::<Vec<_>>());
}

#[test]
fn v1_fixture_content() {
    let path = fixtures().join("v1/study.atlas.json");
    let p = Project::open(&path).unwrap().project;
    assert_eq!(p.revision, 7);
    assert_eq!(p.layers.len(), 2);
    assert_eq!(p.layers[1].kind, LayerKind::Reference);
    assert!(
        matches!(&p.layers[0].style.by_attribute, Some(StyleBy::Categorical { property, .. }) if property == "event_type")
    );
    assert!(
        matches!(&p.layers[1].style.by_attribute, Some(StyleBy::Graduated { breaks, colors, .. }) if breaks.len() + 1 == colors.len())
    );
    assert_eq!(p.filter.event_types, vec!["Battles".to_string()]);
    assert_eq!(p.time_window.from, atlas::date::parse_date("2025-10-01"));
    assert_eq!(p.view.bounds, Some([68.0, 31.5, 72.5, 35.0]));
    assert_eq!(p.export_presets[0].dpi, 150);
    assert_eq!(p.annotations.len(), 2);
    // Ids are never reused: the next one follows next_id, not the count.
    let mut a = p.annotations.clone();
    let id = a
        .apply(Edit::Add {
            geometry: Geometry::Point([70.0, 33.0]),
            title: String::new(),
            note: String::new(),
        })
        .unwrap();
    assert_eq!(id, 4);
    // The referenced layer's bytes are the bundled sample's.
    let bytes = layer_bytes(&p.layers[0].source, &project_dir(&path), "incidents").unwrap();
    assert_eq!(
        &bytes[..],
        &std::fs::read(fixtures().join("v1/incidents-sample.geojson")).unwrap()[..]
    );
    // Saving and reading back loses nothing.
    let dir = temp_dir("fixture-roundtrip");
    let copy = dir.join("copy.atlas.json");
    let mut q = p.clone();
    q.save(&copy).unwrap();
    let back = Project::from_json(&std::fs::read(&copy).unwrap(), "copy").unwrap();
    assert_eq!(
        (
            back.layers.clone(),
            back.annotations.clone(),
            back.view.clone()
        ),
        (q.layers, q.annotations, q.view)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn missing_and_changed_layers_are_reported_and_relinked_without_dropping_anything() {
    let dir = temp_dir("relink");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let a = data.join("a.geojson");
    let b = data.join("b.csv");
    std::fs::write(&a, br#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    std::fs::write(&b, "lat,lon\n34.1,71.1\n").unwrap();
    let path = dir.join("study.atlas.json");
    let mut p = Project::default();
    assert_eq!(p.add_file_layer("a", &a, &path).unwrap(), "a");
    assert_eq!(
        p.add_file_layer("a", &b, &path).unwrap(),
        "a-2",
        "ids made unique"
    );
    p.annotations
        .apply(Edit::Add {
            geometry: Geometry::LineString(vec![[70.0, 33.0], [71.0, 34.0]]),
            title: "route".into(),
            note: String::new(),
        })
        .unwrap();
    p.title = "relink".into();
    p.save(&path).unwrap();
    assert!(
        matches!(&p.layers[0].source, LayerSource::File { path, .. } if path == "data/a.geojson")
    );

    std::fs::write(&b, "lat,lon\n34.1,71.1\n34.2,71.2\n").unwrap();
    let moved = dir.join("elsewhere.geojson");
    std::fs::rename(&a, &moved).unwrap();
    let o = Project::open(&path).unwrap();
    assert_eq!(o.layers[0].label(), "missing");
    assert_eq!(o.layers[1].label(), "changed");
    assert_eq!(o.problems.len(), 2);
    assert!(
        o.problems[0]
            .to_string()
            .contains("layer \"a\": file missing"),
        "{}",
        o.problems[0]
    );
    assert!(o.problems[1]
        .to_string()
        .contains("changed since the project was saved"));
    // Nothing else is dropped.
    assert_eq!(
        (
            o.project.layers.len(),
            o.project.annotations.len(),
            o.project.title.as_str()
        ),
        (2, 1, "relink")
    );

    let mut p = o.project;
    p.relink("a", &moved, &path).unwrap();
    p.relink("a-2", &b, &path).unwrap();
    assert!(matches!(
        p.relink("nope", &b, &path),
        Err(ProjectError::UnknownLayer(_))
    ));
    p.save(&path).unwrap();
    let o = Project::open(&path).unwrap();
    assert!(o.problems.is_empty(), "{:?}", o.problems);
    assert!(
        matches!(&o.project.layers[0].source, LayerSource::File { path, .. } if path == "elsewhere.geojson")
    );

    // A file in a sibling folder is referenced as ../…
    let sibling = dir.with_extension("data");
    std::fs::create_dir_all(&sibling).unwrap();
    let s = sibling.join("s.geojson");
    std::fs::write(&s, br#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let mut p = o.project;
    p.relink("a", &s, &path).unwrap();
    let want = format!(
        "../{}/s.geojson",
        sibling.file_name().unwrap().to_string_lossy()
    );
    assert!(matches!(&p.layers[0].source, LayerSource::File { path, .. } if *path == want));
    p.relink("a", &moved, &path).unwrap();
    p.save(&path).unwrap();
    std::fs::remove_dir_all(&sibling).ok();

    // Moving the whole folder keeps relative references working.
    let moved_dir = dir.with_extension("moved");
    let _ = std::fs::remove_dir_all(&moved_dir);
    std::fs::rename(&dir, &moved_dir).unwrap();
    let o = Project::open(&moved_dir.join("study.atlas.json")).unwrap();
    assert!(o.problems.is_empty(), "{:?}", o.problems);
    std::fs::remove_dir_all(&moved_dir).ok();
}

#[test]
fn save_keeps_a_backup_and_autosave_offers_recovery() {
    let dir = temp_dir("recovery");
    let path = dir.join("study.atlas.json");
    let mut p = Project {
        title: "first".into(),
        ..Project::default()
    };
    p.save(&path).unwrap();
    assert!(Project::open(&path).unwrap().recovery_available.is_none());
    p.title = "second".into();
    p.save(&path).unwrap();
    let bak = Project::from_json(&std::fs::read(backup_path(&path)).unwrap(), "bak").unwrap();
    assert_eq!((bak.title.as_str(), bak.revision), ("first", 1));

    // Unsaved work, autosaved next to the project.
    p.title = "unsaved".into();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let rec = p.autosave(&path, None).unwrap();
    assert_eq!(rec, dir.join("study.recovery.json"));
    let o = Project::open(&path).unwrap();
    assert_eq!(o.project.title, "second");
    assert_eq!(o.recovery_available.as_deref(), Some(rec.as_path()));
    assert_eq!(Project::open_recovery(&rec).unwrap().title, "unsaved");
    // Saving clears it.
    p.save(&path).unwrap();
    assert!(!rec.exists());

    // In an app-data directory.
    let app = dir.join("app-data");
    p.title = "unsaved again".into();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let rec = p.autosave(&path, Some(&app)).unwrap();
    assert_eq!(rec, recovery_path(&path, Some(&app)));
    assert!(
        Project::open(&path).unwrap().recovery_available.is_none(),
        "not looked for"
    );
    let o = Project::open_with(&path, Some(&app)).unwrap();
    assert_eq!(o.recovery_available.as_deref(), Some(rec.as_path()));
    p.save_with(&path, Some(&app)).unwrap();
    assert!(!rec.exists());
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn embedded_layers_round_trip() {
    let dir = temp_dir("embed");
    let gj = dir.join("area.geojson");
    let csv = dir.join("points.csv");
    std::fs::write(&gj, br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[71,34]},"properties":{"name":"x"}}]}"#).unwrap();
    std::fs::write(&csv, "lat,lon\n34.1,71.1\n").unwrap();
    let path = dir.join("p.atlas.json");
    let mut p = Project::default();
    p.add_embedded_layer("area", &gj, true).unwrap();
    p.add_embedded_layer("points", &csv, true).unwrap();
    p.add_file_layer("later", &csv, &path).unwrap();
    p.embed_layer("later", &path, false).unwrap();
    assert!(matches!(p.layers[0].source, LayerSource::Geojson { .. }));
    assert!(
        matches!(p.layers[1].source, LayerSource::Base64 { .. }),
        "CSV is not JSON: base64"
    );
    assert!(matches!(p.layers[2].source, LayerSource::Base64 { .. }));
    p.save(&path).unwrap();
    std::fs::remove_file(&csv).unwrap();
    std::fs::remove_file(&gj).unwrap();
    let o = Project::open(&path).unwrap();
    assert!(o.problems.is_empty());
    let d = project_dir(&path);
    assert_eq!(
        &layer_bytes(&o.project.layers[1].source, &d, "points").unwrap()[..],
        b"lat,lon\n34.1,71.1\n"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&layer_bytes(&o.project.layers[0].source, &d, "area").unwrap())
            .unwrap();
    assert_eq!(v["features"][0]["properties"]["name"], "x");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn errors_say_where_and_what() {
    let dir = temp_dir("errors");
    let path = dir.join("bad.atlas.json");
    std::fs::write(
        &path,
        "{\n  \"format_version\": 1,\n  \"title\": \"x\",,\n}\n",
    )
    .unwrap();
    let e = Project::open(&path).unwrap_err().to_string();
    assert!(e.starts_with(&format!("{}:3:16: ", path.display())), "{e}");

    std::fs::write(
        &path,
        "{\n  \"format_version\": 1,\n  \"view\": {\"zoom\": \"far\"}\n}\n",
    )
    .unwrap();
    let e = Project::open(&path).unwrap_err().to_string();
    assert!(e.contains(":3:") && e.contains("invalid type"), "{e}");

    std::fs::write(
        &path,
        "{\"format_version\": 1, \"time_window\": {\"from\": \"2025-02-30\"}}",
    )
    .unwrap();
    let e = Project::open(&path).unwrap_err().to_string();
    assert!(e.contains("\"2025-02-30\" is not a date"), "{e}");

    std::fs::write(&path, "{\"format_version\": 3, \"something\": []}").unwrap();
    let e = Project::open(&path).unwrap_err().to_string();
    assert_eq!(
        e,
        "project written by a newer Border Atlas (format 3); this version reads up to 1"
    );

    std::fs::write(&path, "[1, 2]").unwrap();
    assert!(matches!(
        Project::open(&path),
        Err(ProjectError::NoVersion { .. })
    ));
    assert!(matches!(
        Project::open(&dir.join("none.atlas.json")),
        Err(ProjectError::Io { .. })
    ));

    // A number that would not read back is refused before anything is written.
    let good = dir.join("good.atlas.json");
    let mut p = Project::default();
    p.save(&good).unwrap();
    let saved = std::fs::read(&good).unwrap();
    p.view.zoom = f64::NAN;
    let e = p.save(&good).unwrap_err();
    assert!(matches!(e, ProjectError::Unsaveable(_)), "{e}");
    assert_eq!(std::fs::read(&good).unwrap(), saved);
    assert_eq!(p.revision, 1);

    // A save that cannot happen leaves the project as it was.
    let mut p = Project::default();
    let r = p.save(&dir.join("no-such-dir/p.atlas.json"));
    assert!(matches!(r, Err(ProjectError::Io { .. })));
    assert_eq!(p.revision, 0);
    std::fs::remove_dir_all(&dir).ok();
}
