//! Data export read back: GeoJSON by our GeoJSON importer, CSV by our CSV importer,
//! GeoPackage by GDAL (`ogrinfo`, `ogr2ogr` from Debian gdal-bin).

use atlas::analytics::Analytics;
use atlas::date::parse_date;
use atlas::export_data::{
    export_incidents, export_layer, write_incidents_csv, write_incidents_geojson, DataFormat, Gpkg,
    Incidents, COLUMNS,
};
use atlas::import::csv::{read_incidents, CsvOptions};
use atlas::import::{geojson, ImportOptions};
use atlas::model::{Claim, IncidentRecord, IncidentStore, Layer, LayerFeature, Source};
use geo::{Geometry, LineString, MultiPolygon, Point, Polygon};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-export-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Synthetic incidents exercising every column: text with commas, quotes, newlines and
/// Arabic script, unknown fatalities, a date range, a Feature id, provenance, no location.
fn store() -> IncidentStore {
    let mut s = IncidentStore::default();
    let day = |t: &str| parse_date(t).unwrap();
    let mut a = IncidentRecord::new("PAK9001", 71.0932, 34.12264, day("2025-10-12"));
    a.feature_id = "f-1".into();
    a.time_precision = 1;
    a.disorder_type = "Political violence".into();
    a.event_type = "Battles".into();
    a.sub_event_type = "Armed clash".into();
    a.actor1 = "Synthetic actor A".into();
    a.assoc_actor_1 = "Assoc; with semicolon".into();
    a.actor2 = "Synthetic actor B".into();
    a.iso = "586".into();
    a.country = "Pakistan".into();
    a.admin1 = "Khyber Pakhtunkhwa".into();
    a.admin2 = "Khyber".into();
    a.admin3 = "Landi Kotal".into();
    a.location = "Torkham".into();
    a.geo_precision = 1;
    a.source = "Outlet one; Outlet two".into();
    a.source_scale = "National".into();
    a.notes = "Synthetic note, with a comma, \"quotes\"\nand a second line. طورخم".into();
    a.fatalities = Some(3);
    a.tags = "crowd size=no report".into();
    a.sources = vec![
        Source {
            outlet: "Outlet one".into(),
            date: Some("2025-10-12".into()),
            headline: Some("A synthetic headline".into()),
            url: None,
        },
        Source {
            outlet: "Outlet two".into(),
            ..Default::default()
        },
    ];
    a.claims = vec![Claim {
        claimant: "Claimant X".into(),
        subject: "people killed".into(),
        figure: Some(3),
        qualifier: Some("at least".into()),
        text: "at least 3 killed".into(),
        source: Some(0),
    }];
    s.push(&a);
    let mut b = IncidentRecord::new("AFG9002", 66.43743, 30.95588, day("2025-11-01"));
    b.date_end = day("2025-11-07");
    b.time_precision = 2;
    b.geo_precision = 2;
    b.event_type = "Explosions/Remote violence".into();
    b.country = "Afghanistan".into();
    b.fatalities = None;
    s.push(&b);
    let mut c = IncidentRecord::new("PAK9003", 69.27267, 32.5194, day("2025-12-02"));
    c.event_type = "Violence against civilians".into();
    c.fatalities = Some(0);
    c.country = "Pakistan".into();
    s.push(&c);
    s
}

fn same_record(a: &IncidentRecord, b: &IncidentRecord, with_provenance: bool) {
    let mut a = a.clone();
    let mut b = b.clone();
    if !with_provenance {
        a.sources.clear();
        a.claims.clear();
        a.feature_id.clear();
        b.feature_id.clear();
    }
    assert_eq!(a, b);
}

#[test]
fn geojson_export_reimports_to_the_same_rows() {
    let s = store();
    let an = Analytics::compute(&s).unwrap();
    let rows = [2u32, 0, 1];
    let inc = Incidents {
        store: &s,
        analytics: Some(&an),
        rows: &rows,
    };
    let mut out = Vec::new();
    write_incidents_geojson(&mut out, &inc).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let f1 = &v["features"][1];
    assert_eq!(f1["id"], "f-1");
    assert_eq!(f1["properties"]["nearest_crossing"], "Torkham");
    assert!(f1["properties"]["border_km"].as_f64().unwrap() < 1.0);
    assert_eq!(f1["properties"]["side"], "Afghanistan");
    assert!(f1["properties"]["sources"].is_array());
    assert!(v["features"][2]["properties"]["fatalities"].is_null());
    let (back, report) =
        geojson::incidents_from_bytes(&out, "x.geojson", &ImportOptions::default()).unwrap();
    assert_eq!(report.loaded, 3);
    for (k, &row) in rows.iter().enumerate() {
        // The Feature id is checked in the JSON above; whether the importer keeps it as
        // `feature_id` or only as a fallback event id is the importer's business.
        let (mut want, mut got) = (s.record(row), back.record(k as u32));
        assert!(got.feature_id.is_empty() || got.feature_id == want.feature_id);
        want.feature_id.clear();
        got.feature_id.clear();
        same_record(&want, &got, true);
    }
}

#[test]
fn csv_export_reimports_to_the_same_rows() {
    let s = store();
    let an = Analytics::compute(&s).unwrap();
    let rows = [0u32, 1, 2];
    let inc = Incidents {
        store: &s,
        analytics: Some(&an),
        rows: &rows,
    };
    let mut out = Vec::new();
    write_incidents_csv(&mut out, &inc).unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    let header = text.lines().next().unwrap();
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name()).collect();
    assert_eq!(header, names.join(","));
    assert!(header.starts_with("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,actor2,assoc_actor_2,iso,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,date_end,border_km,side,chainage_km,nearest_crossing,crossing_km,sources,claims"));
    assert!(text.contains("Outlet one, 2025-10-12, A synthetic headline | Outlet two"));
    assert!(text.contains("Claimant X: at least 3 killed"));
    let mut back = IncidentStore::default();
    let imp = read_incidents(
        &out[..],
        "x.csv",
        &mut back,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(imp.report.loaded, 3);
    for &row in &rows {
        same_record(&s.record(row), &back.record(row), false);
    }
}

#[test]
fn deleted_and_missing_rows_are_not_written() {
    let mut s = store();
    s.delete(1);
    let rows = [0u32, 1, 99];
    let inc = Incidents {
        store: &s,
        analytics: None,
        rows: &rows,
    };
    let mut out = Vec::new();
    write_incidents_csv(&mut out, &inc).unwrap();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1 + 1 + 1); // header + the note's 2 lines
    let mut out = Vec::new();
    write_incidents_geojson(&mut out, &inc).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), 1);
    assert!(v["features"][0]["properties"]["border_km"].is_null());
}

fn gdal() -> bool {
    let ok = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: ogrinfo (Debian gdal-bin) is not installed; `make test` installs it");
    }
    ok
}

fn ogrinfo(path: &Path) -> String {
    let o = Command::new("ogrinfo")
        .args(["-al", "-so"])
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn ogr_geojson(path: &Path) -> serde_json::Value {
    let o = Command::new("ogr2ogr")
        .args(["-f", "GeoJSON", "/vsistdout/"])
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn gdal_reads_the_incidents_geopackage() {
    if !gdal() {
        return;
    }
    let s = store();
    let an = Analytics::compute(&s).unwrap();
    let rows = [0u32, 1, 2];
    let path = tmp("incidents.gpkg");
    std::fs::write(&path, b"not a geopackage: replaced").unwrap();
    let fmt = export_incidents(
        &path,
        &Incidents {
            store: &s,
            analytics: Some(&an),
            rows: &rows,
        },
    )
    .unwrap();
    assert_eq!(fmt, DataFormat::Gpkg);
    let info = ogrinfo(&path);
    assert!(info.contains("Layer name: incidents"), "{info}");
    assert!(info.contains("Geometry: Point"), "{info}");
    assert!(info.contains("Feature Count: 3"), "{info}");
    assert!(
        info.contains("EPSG\",4326") || info.contains("EPSG:4326") || info.contains("WGS 84"),
        "{info}"
    );
    for c in COLUMNS.iter().filter(|c| !c.is_coordinate()) {
        assert!(
            info.contains(&format!("\n{}: ", c.name())),
            "field {} missing:\n{info}",
            c.name()
        );
    }
    assert!(info.contains("fatalities: Integer64"), "{info}");
    assert!(info.contains("event_date: Date"), "{info}");
    assert!(info.contains("border_km: Real"), "{info}");
    let v = ogr_geojson(&path);
    let f0 = &v["features"][0];
    assert_eq!(f0["properties"]["event_id_cnty"], "PAK9001");
    assert_eq!(f0["geometry"]["coordinates"][0].as_f64(), Some(71.0932));
    assert_eq!(f0["geometry"]["coordinates"][1].as_f64(), Some(34.12264));
    assert_eq!(f0["properties"]["nearest_crossing"], "Torkham");
    assert!(v["features"][1]["properties"]["fatalities"].is_null());
    // A JSON text column; GDAL's GeoJSON writer turns JSON-looking text back into JSON.
    let sources: Vec<Source> = match &f0["properties"]["sources"] {
        serde_json::Value::String(t) => serde_json::from_str(t).unwrap(),
        v => serde_json::from_value(v.clone()).unwrap(),
    };
    assert_eq!(sources, s.record(0).sources);
}

fn layer() -> Layer {
    let sq = |x: f64, y: f64, d: f64| {
        LineString::from(vec![(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)])
    };
    let props = |v: serde_json::Value| v.as_object().unwrap().clone();
    Layer {
        name: "districts (synthetic)".into(),
        features: vec![
            LayerFeature {
                id: Some("a".into()),
                geometry: Some(
                    Polygon::new(sq(70.0, 33.0, 1.0), vec![sq(70.25, 33.25, 0.5)]).into(),
                ),
                properties: props(
                    serde_json::json!({"name": "A", "pop": 10, "area": 1.5, "ok": true, "tags": ["x", "y"], "NAME": "dup", "geom": "clash"}),
                ),
            },
            LayerFeature {
                id: Some(2.into()),
                geometry: Some(Geometry::MultiPolygon(MultiPolygon(vec![
                    Polygon::new(sq(71.0, 33.0, 1.0), vec![]),
                    Polygon::new(sq(72.5, 33.0, 0.5), vec![]),
                ]))),
                properties: props(
                    serde_json::json!({"name": "B", "pop": 20, "area": 2, "ok": false}),
                ),
            },
            LayerFeature {
                id: None,
                geometry: None,
                properties: props(serde_json::json!({"name": "no geometry", "pop": null})),
            },
        ],
    }
}

#[test]
fn gdal_reads_a_layer_geopackage_with_holes_and_multipolygons() {
    if !gdal() {
        return;
    }
    let l = layer();
    let path = tmp("districts.gpkg");
    export_layer(&path, &l).unwrap();
    let info = ogrinfo(&path);
    assert!(info.contains("Layer name: districts (synthetic)"), "{info}");
    assert!(info.contains("Geometry: Multi Polygon"), "{info}");
    assert!(info.contains("Feature Count: 3"), "{info}");
    assert!(
        info.contains("Extent: (70.000000, 33.000000) - (73.000000, 34.000000)"),
        "{info}"
    );
    for field in [
        "NAME: String",
        "pop: Integer64",
        "area: Real",
        "ok: Integer(Boolean)",
        "tags: String",
        "name_2: String",
        "geom_2: String",
    ] {
        assert!(info.contains(field), "{field} missing:\n{info}");
    }
    let v = ogr_geojson(&path);
    let g0 = &v["features"][0]["geometry"];
    assert_eq!(g0["type"], "MultiPolygon");
    assert_eq!(
        g0["coordinates"][0].as_array().unwrap().len(),
        2,
        "exterior and hole"
    );
    assert_eq!(g0["coordinates"][0][1][0][0].as_f64(), Some(70.25));
    // Nested values are JSON text in the file (GDAL's GeoJSON writer nests them again).
    let tags = &v["features"][0]["properties"]["tags"];
    assert!(
        tags == "[\"x\",\"y\"]" || *tags == serde_json::json!(["x", "y"]),
        "{tags}"
    );
    assert_eq!(
        v["features"][1]["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(v["features"][1]["properties"]["area"].as_f64(), Some(2.0));
    assert!(v["features"][2]["geometry"].is_null());
}

#[test]
fn gdal_reads_several_tables_and_every_geometry_type() {
    if !gdal() {
        return;
    }
    let s = store();
    let rows = [0u32, 1, 2];
    let mixed = Layer {
        name: "mixed".into(),
        features: vec![
            LayerFeature {
                id: None,
                geometry: Some(Point::new(70.5, 33.5).into()),
                properties: Default::default(),
            },
            LayerFeature {
                id: None,
                geometry: Some(LineString::from(vec![(70.0, 33.0), (71.0, 34.0)]).into()),
                properties: Default::default(),
            },
            LayerFeature {
                id: None,
                geometry: Some(Geometry::GeometryCollection(geo::GeometryCollection(vec![
                    Point::new(1.0, 2.0).into(),
                    geo::MultiLineString(vec![LineString::from(vec![(0.0, 0.0), (1.0, 1.0)])])
                        .into(),
                    geo::MultiPoint(vec![Point::new(3.0, 4.0)]).into(),
                ]))),
                properties: Default::default(),
            },
        ],
    };
    let path = tmp("several.gpkg");
    let mut g = Gpkg::create(&path).unwrap();
    g.add_incidents(
        "incidents",
        &Incidents {
            store: &s,
            analytics: None,
            rows: &rows,
        },
    )
    .unwrap();
    assert_eq!(g.add_layer(&mixed).unwrap(), "mixed");
    let again = Layer {
        name: "MIXED".into(),
        ..mixed.clone()
    };
    assert_eq!(g.add_layer(&again).unwrap(), "MIXED_2");
    g.finish().unwrap();
    let o = Command::new("ogrinfo")
        .arg("-q")
        .arg(&path)
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&o.stdout);
    assert!(
        list.contains("incidents (Point)")
            && list.contains("2: mixed\n")
            && list.contains("MIXED_2"),
        "{list}"
    );
    let o = Command::new("ogr2ogr")
        .args(["-f", "GeoJSON", "/vsistdout/"])
        .arg(&path)
        .arg("mixed")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["features"][1]["geometry"]["coordinates"][1][0].as_f64(),
        Some(71.0)
    );
    let gc = &v["features"][2]["geometry"];
    assert_eq!(gc["type"], "GeometryCollection");
    assert_eq!(gc["geometries"][2]["coordinates"][0][1].as_f64(), Some(4.0));
}

#[test]
fn layer_geojson_reimports_as_the_same_layer() {
    let l = layer();
    let mut out = Vec::new();
    atlas::export_data::write_layer_geojson(&mut out, &l).unwrap();
    let (back, _) = geojson::layer_from_reader(&out[..], "x", &ImportOptions::default()).unwrap();
    assert_eq!(back.features, l.features);
}

#[test]
fn point_layer_csv_reimports_and_other_layers_get_wkt() {
    let mut props = serde_json::Map::new();
    props.insert("name".into(), "Post, synthetic".into());
    let points = Layer {
        name: "posts".into(),
        features: vec![LayerFeature {
            id: None,
            geometry: Some(Point::new(70.5, 33.25).into()),
            properties: props,
        }],
    };
    let path = tmp("posts.csv");
    export_layer(&path, &points).unwrap();
    let (back, _) = atlas::import::csv::read_layer_file(
        &path,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(back.features[0].geometry, points.features[0].geometry);
    assert_eq!(back.features[0].properties["name"], "Post, synthetic");
    let mut out = Vec::new();
    atlas::export_data::write_layer_csv(&mut out, &layer()).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",wkt"), "{text}");
    assert!(text.contains("\"POLYGON ((70 33, 71 33, 71 34, 70 34, 70 33), (70.25 33.25, 70.75 33.25, 70.75 33.75, 70.25 33.75, 70.25 33.25))\""), "{text}");
    assert!(text.contains("MULTIPOLYGON (((71 33,"), "{text}");
}

#[test]
fn many_rows_keep_their_order_across_blocks() {
    let mut s = IncidentStore::default();
    for i in 0..5000u32 {
        let mut r = IncidentRecord::new(
            &format!("SYN{i}"),
            60.5 + (i % 97) as f64 * 0.1,
            29.5 + (i % 89) as f64 * 0.1,
            19_000 + i as i32,
        );
        r.fatalities = (i % 3 != 0).then_some(i % 11);
        r.notes = format!("synthetic, row {i}");
        s.push(&r);
    }
    // Reverse order, every other row: the export follows the given order.
    let rows: Vec<u32> = (0..5000u32).rev().step_by(2).collect();
    let inc = Incidents {
        store: &s,
        analytics: None,
        rows: &rows,
    };
    let mut out = Vec::new();
    write_incidents_geojson(&mut out, &inc).unwrap();
    let (back, _) =
        geojson::incidents_from_bytes(&out, "x.geojson", &ImportOptions::default()).unwrap();
    assert_eq!(back.len(), rows.len());
    for (k, &row) in rows.iter().enumerate() {
        same_record(&s.record(row), &back.record(k as u32), true);
    }
    let mut out = Vec::new();
    write_incidents_csv(&mut out, &inc).unwrap();
    let mut back = IncidentStore::default();
    read_incidents(
        &out[..],
        "x.csv",
        &mut back,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(back.len(), rows.len());
    for (k, &row) in rows.iter().enumerate() {
        same_record(&s.record(row), &back.record(k as u32), false);
    }
}
