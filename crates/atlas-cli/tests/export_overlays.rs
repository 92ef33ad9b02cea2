//! `atlas export-map --project` draws the project's reference layers with their styles
//! and its annotations; `--overlay FILE` adds layers in default styles.

use assert_cmd::Command;
use atlas::project::annotations::{Edit, Geometry};
use atlas::project::layers::{embedded_source, file_source};
use atlas::project::{LayerKind, LayerStyle, Project, ProjectLayer, StyleBy};
use std::path::PathBuf;

fn atlas() -> Command {
    Command::cargo_bin("atlas").unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("atlas-cli-overlays-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const ZONES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"kind":"camp"},"geometry":{"type":"Polygon","coordinates":[[[70.6,33.9],[70.8,33.9],[70.8,34.1],[70.6,34.1],[70.6,33.9]]]}},
 {"type":"Feature","properties":{"kind":"market"},"geometry":{"type":"Polygon","coordinates":[[[70.9,34.0],[71.1,34.0],[71.1,34.2],[70.9,34.2],[70.9,34.0]]]}}
]}"#;

const POSTS: &str =
    "name,lat,lon,staff\nPost A (synthetic),34.05,71.3,12\nPost B (synthetic),34.3,70.9,40\n";

/// A project with an embedded polygon layer (categorical), a CSV point layer referenced
/// by path (graduated), a hidden layer, and two annotations.
fn project(d: &std::path::Path) -> PathBuf {
    let posts = d.join("posts.csv");
    std::fs::write(&posts, POSTS).unwrap();
    let mut p = Project {
        title: "Overlay fixture".into(),
        ..Project::default()
    };
    p.view.bounds = Some([70.3, 33.7, 71.7, 34.6]);
    p.layers.push(ProjectLayer {
        id: "zones".into(),
        name: "Zones (synthetic)".into(),
        kind: LayerKind::Reference,
        source: embedded_source("zones.geojson", ZONES.as_bytes(), true),
        style: LayerStyle {
            opacity: 0.5,
            order: 1,
            by_attribute: Some(StyleBy::Categorical {
                property: "kind".into(),
                colors: [("camp".to_string(), "#1b9e77".to_string())]
                    .into_iter()
                    .collect(),
                other: "#d95f02".into(),
            }),
            ..LayerStyle::default()
        },
    });
    p.layers.push(ProjectLayer {
        id: "posts".into(),
        name: "Posts (synthetic)".into(),
        kind: LayerKind::Reference,
        source: file_source(&posts, d).unwrap(),
        style: LayerStyle {
            order: 2,
            by_attribute: Some(StyleBy::Graduated {
                property: "staff".into(),
                breaks: vec![20.0],
                colors: vec!["#fdbb84".into(), "#b30000".into()],
            }),
            ..LayerStyle::default()
        },
    });
    p.layers.push(ProjectLayer {
        id: "hidden".into(),
        name: "Hidden (synthetic)".into(),
        kind: LayerKind::Reference,
        source: embedded_source("hidden.geojson", ZONES.as_bytes(), true),
        style: LayerStyle {
            visible: false,
            color: "#00ff00".into(),
            ..LayerStyle::default()
        },
    });
    p.annotations
        .apply(Edit::Add {
            geometry: Geometry::Point([71.2, 34.4]),
            title: "Roadblock <reported> & unverified".into(),
            note: String::new(),
        })
        .unwrap();
    p.annotations
        .apply(Edit::Add {
            geometry: Geometry::LineString(vec![[70.5, 33.8], [71.5, 34.5]]),
            title: "Route taken".into(),
            note: String::new(),
        })
        .unwrap();
    let f = d.join("study.atlas.json");
    std::fs::write(&f, serde_json::to_string_pretty(&p).unwrap()).unwrap();
    f
}

#[test]
fn project_reference_layers_and_annotations_are_drawn() {
    let d = temp_dir("project");
    let f = project(&d);
    let out = d.join("page.svg");
    atlas()
        .args(["export-map", "--generated", "2025-11-01", "--project"])
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    for needle in [
        r##"fill="#1b9e77""##,
        r##"fill="#d95f02""##,
        r##"fill="#fdbb84""##,
        r##"fill="#b30000""##,
        ">Zones (synthetic)</text>",
        ">kind: camp</text>",
        ">kind: other</text>",
        ">Posts (synthetic)</text>",
        ">staff &lt; 20</text>",
        ">staff 20 or more</text>",
        ">Annotations (2)</text>",
        "Roadblock &lt;reported&gt; &amp; unverified</text>",
        "Route taken</text>",
    ] {
        assert!(svg.contains(needle), "page lacks {needle:?}");
    }
    assert!(!svg.contains("Hidden (synthetic)") && !svg.contains("#00ff00"));

    // PDF: the same, as text.
    let pdf = d.join("page.pdf");
    atlas()
        .args(["export-map", "--generated", "2025-11-01", "--project"])
        .arg(&f)
        .arg("--out")
        .arg(&pdf)
        .assert()
        .success();
    match std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            for needle in [
                "Zones (synthetic)",
                "kind: camp",
                "Roadblock <reported> & unverified",
            ] {
                assert!(text.contains(needle), "PDF lacks {needle:?}");
            }
        }
        _ => eprintln!("SKIPPED: pdftotext not available; install poppler-utils to check PDF text"),
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn overlay_files_are_drawn_in_default_colours_with_incident_layers_unchanged() {
    let d = temp_dir("overlay");
    let zones = d.join("zones.geojson");
    std::fs::write(&zones, ZONES).unwrap();
    let posts = d.join("posts.csv");
    std::fs::write(&posts, POSTS).unwrap();
    let out = d.join("page.svg");
    atlas()
        .args([
            "export-map",
            "--generated",
            "2025-11-01",
            "--bbox",
            "70.3,33.7,71.7,34.6",
            "--overlay",
        ])
        .arg(&zones)
        .arg(&posts)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains(">zones</text>") && svg.contains(">posts</text>"));
    assert!(svg.contains(r##"stroke="#1f78b4""##) && svg.contains(r##"fill="#6a3d9a""##));
    // The bundled incident sample is still loaded (none of it lies in this frame)...
    assert!(svg.contains("Incidents shown: 0 of 7 selected"));
    // ...and drawn in the whole-border frame, with the overlays.
    let whole = d.join("whole.svg");
    atlas()
        .args(["export-map", "--generated", "2025-11-01", "--overlay"])
        .arg(&zones)
        .arg("--out")
        .arg(&whole)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&whole).unwrap();
    assert!(svg.contains("Incidents by event type") && svg.contains(">zones</text>"));

    // A bad overlay is an error naming the file.
    let bad = d.join("bad.geojson");
    std::fs::write(&bad, "{ not json").unwrap();
    atlas()
        .args(["export-map", "--overlay"])
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicates::str::contains("bad.geojson"));
    std::fs::remove_dir_all(&d).ok();
}
