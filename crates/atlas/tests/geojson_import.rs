//! GeoJSON importer: located problems (exact line and column), strict vs lenient,
//! BOM, pretty-printed files, Feature / bare geometry, layers, re-import, fuzzing.

use atlas::import::{geojson, ImportError, ImportOptions, Progress};
use atlas::problem::{Problem, Record};
use proptest::prelude::*;
use std::sync::Arc;

const HEAD: &str = "{\"type\":\"FeatureCollection\",\"features\":[\n";

fn feat(geom: &str, props: &str) -> String {
    format!("{{\"type\":\"Feature\",\"geometry\":{geom},\"properties\":{props}}}")
}

fn point(lon: &str, lat: &str) -> String {
    format!("{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}")
}

fn ok_props(id: &str) -> String {
    format!("{{\"event_id_cnty\":\"{id}\",\"event_date\":\"2025-10-12\",\"event_type\":\"Battles\",\"fatalities\":2}}")
}

fn good(id: &str) -> String {
    feat(&point("71.1", "34.2"), &ok_props(id))
}

/// A collection with one feature per line (line 2 onwards).
fn collection(features: &[String]) -> String {
    format!("{HEAD}{}\n]}}\n", features.join(",\n"))
}

fn strict_incident_err(text: &[u8]) -> Problem {
    match geojson::incidents_from_bytes(text, "t.geojson", &ImportOptions::default()) {
        Err(ImportError::Invalid(p)) => p,
        other => panic!("expected a problem, got {other:?}"),
    }
}

fn strict_layer_err(text: &[u8]) -> Problem {
    match geojson::layer_from_reader(text, "t.geojson", &ImportOptions::default()) {
        Err(ImportError::Invalid(p)) => p,
        other => panic!("expected a problem, got {other:?}"),
    }
}

/// 1-based column of the first `needle` in `line`.
fn col(line: &str, needle: &str) -> u64 {
    line.find(needle).expect("needle") as u64 + 1
}

fn assert_at(p: &Problem, line: u64, column: u64, feature: Option<u64>, msg: &str) {
    assert_eq!(p.location.file, "t.geojson");
    assert_eq!(
        (p.location.line, p.location.column),
        (Some(line), Some(column)),
        "{p}"
    );
    assert_eq!(p.location.record, feature.map(Record::Feature), "{p}");
    assert_eq!(p.message, msg, "{p}");
}

/// Feature `bad` as the second feature (index 1, line 3) of a collection; the problem
/// must be at `needle` in that line.
fn second_feature_err(bad: &str, needle: &str, msg: &str, layer: bool) {
    let text = collection(&[good("A"), bad.to_string(), good("C")]);
    let p = if layer {
        strict_layer_err(text.as_bytes())
    } else {
        strict_incident_err(text.as_bytes())
    };
    assert_at(&p, 3, col(bad, needle), Some(1), msg);
}

#[test]
fn latitude_out_of_range() {
    let bad = feat(&point("71.1", "95.2"), &ok_props("B"));
    second_feature_err(&bad, "95.2", "latitude 95.2 out of range [-90, 90]", false);
    let bad = feat(&point("-180.5", "30"), &ok_props("B"));
    second_feature_err(
        &bad,
        "-180.5",
        "longitude -180.5 out of range [-180, 180]",
        false,
    );
}

#[test]
fn coordinates_as_strings_are_wrong_type() {
    let bad = feat(&point("\"71.1\"", "34.2"), &ok_props("B"));
    second_feature_err(
        &bad,
        "\"71.1\"",
        "coordinates must be numbers, found a string",
        false,
    );
}

#[test]
fn position_needs_two_numbers() {
    let bad = feat(
        "{\"type\":\"Point\",\"coordinates\":[71.1]}",
        &ok_props("B"),
    );
    second_feature_err(
        &bad,
        "[71.1]",
        "position needs at least 2 numbers, found 1",
        false,
    );
}

#[test]
fn missing_coordinates() {
    let bad = feat("{\"type\":\"Point\"}", &ok_props("B"));
    second_feature_err(
        &bad,
        "{\"type\":\"Point\"",
        "missing coordinates: a Point needs a \"coordinates\" member",
        false,
    );
}

#[test]
fn line_string_needs_two_positions() {
    let bad = feat("{\"type\":\"LineString\",\"coordinates\":[[1,2]]}", "null");
    second_feature_err(
        &bad,
        "[[1,2]]",
        "LineString needs at least 2 positions, found 1",
        true,
    );
}

#[test]
fn polygon_ring_not_closed() {
    let bad = feat(
        "{\"type\":\"Polygon\",\"coordinates\":[[[1,2],[5,6],[7,8],[3,4]]]}",
        "{}",
    );
    second_feature_err(
        &bad,
        "[[1,2]",
        "polygon ring 0 is not closed (first [1,2], last [3,4])",
        true,
    );
}

#[test]
fn polygon_ring_too_short() {
    let bad = feat(
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,1],[0,0]]]}",
        "{}",
    );
    second_feature_err(
        &bad,
        "[[0,0],[1,1],[0,0]]",
        "polygon ring 1 has 3 positions; at least 4 are needed",
        true,
    );
}

#[test]
fn unknown_geometry_type() {
    let bad = feat("{\"type\":\"Circle\",\"coordinates\":[1,2]}", "{}");
    second_feature_err(&bad, "\"Circle\"", "unknown geometry type \"Circle\"", true);
}

#[test]
fn properties_must_be_object() {
    let bad = feat(&point("71", "34"), "[1,2]");
    second_feature_err(
        &bad,
        "[1,2]",
        "properties must be an object or null, found an array",
        false,
    );
    second_feature_err(
        &bad,
        "[1,2]",
        "properties must be an object or null, found an array",
        true,
    );
}

#[test]
fn unparseable_date() {
    let bad = feat(&point("71", "34"), "{\"event_date\":\"2025-13-45\"}");
    second_feature_err(
        &bad,
        "\"2025-13-45\"",
        "unparseable event_date \"2025-13-45\"",
        false,
    );
}

#[test]
fn nan_and_infinity() {
    let bad = feat(&point("NaN", "34"), &ok_props("B"));
    second_feature_err(&bad, "NaN", "NaN is not valid JSON", false);
    let bad = feat(&point("71", "Infinity"), &ok_props("B"));
    second_feature_err(&bad, "Infinity", "Infinity is not valid JSON", false);
    let bad = feat(&point("71", "34"), "{\"fatalities\":-Infinity}");
    second_feature_err(&bad, "-Infinity", "-Infinity is not valid JSON", true);
}

#[test]
fn trailing_commas() {
    // In the features array: at the comma after the last feature (line 2).
    let text = format!("{HEAD}{},\n]}}\n", good("A"));
    let p = strict_incident_err(text.as_bytes());
    assert_at(&p, 2, good("A").len() as u64 + 1, Some(1), "trailing comma");
    // Inside a feature.
    let bad = feat(&point("71", "34"), "{\"event_date\":\"2025-10-12\",}");
    second_feature_err(&bad, ",}", "trailing comma", true);
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!("{{\"a\":{}}}", "[".repeat(100_000));
    let bad = feat(&point("71", "34"), &deep);
    let text = collection(&[good("A"), bad.clone()]);
    // Over a limit: the file is refused as a whole, in either mode, at the 65th level.
    // Levels: collection 1, features 2, feature 3, properties 4, so the 61st '[' is level 65.
    let first = col(&bad, "[[");
    for opts in [ImportOptions::default(), ImportOptions::lenient()] {
        match geojson::layer_from_reader(text.as_bytes(), "t.geojson", &opts) {
            Err(ImportError::Limit(p)) => {
                assert_at(&p, 3, first + 60, Some(1), "nesting deeper than 64 levels")
            }
            other => panic!("expected a limit, got {other:?}"),
        }
    }
    // A top-level array of arrays is refused at once.
    let p = strict_layer_err("[".repeat(100_000).as_bytes());
    assert_eq!(p.location.column, Some(1));
    assert!(
        p.message
            .starts_with("the top-level value must be a GeoJSON object"),
        "{p}"
    );
}

#[test]
fn truncated_file() {
    let full = collection(&[good("A"), good("B")]);
    let cut = &full[..HEAD.len() + good("A").len() + 20];
    let p = strict_incident_err(cut.as_bytes());
    assert_at(
        &p,
        3,
        19,
        None,
        "unexpected end of file: the file is truncated (inside the features array)",
    );
    let (store, report) =
        geojson::incidents_from_bytes(cut.as_bytes(), "t.geojson", &ImportOptions::lenient())
            .unwrap();
    assert_eq!(store.len(), 1);
    assert_eq!(report.problem_count, 1);
    assert!(report.problems[0].message.contains("truncated"));
    assert!(report.problems[0].message.contains("loading stopped"));
}

#[test]
fn empty_file() {
    for text in ["", "  \n\t "] {
        let p = strict_incident_err(text.as_bytes());
        assert_at(&p, 1, 1, None, "file is empty");
    }
}

#[test]
fn invalid_utf8() {
    let bad = feat(&point("71", "34"), "{\"notes\":\"caf\u{e9}\"}");
    let text = collection(&[good("A"), bad.clone()]);
    let mut bytes = text.into_bytes();
    // Replace the é (2 bytes) by one invalid byte and a space.
    let at = bytes.windows(2).position(|w| w == "é".as_bytes()).unwrap();
    bytes[at] = 0xFF;
    bytes[at + 1] = b' ';
    let p = strict_incident_err(&bytes);
    assert_at(
        &p,
        3,
        col(&bad, "\u{e9}"),
        Some(1),
        &format!("invalid UTF-8 at byte {at}"),
    );
}

#[test]
fn strict_and_lenient() {
    let bad = feat(&point("71.1", "95.2"), &ok_props("B"));
    let text = collection(&[good("A"), bad, good("C")]);
    assert!(matches!(
        geojson::incidents_from_bytes(text.as_bytes(), "t.geojson", &ImportOptions::default()),
        Err(ImportError::Invalid(_))
    ));
    let (store, report) =
        geojson::incidents_from_bytes(text.as_bytes(), "t.geojson", &ImportOptions::lenient())
            .unwrap();
    assert_eq!(store.len(), 2);
    assert_eq!(
        (report.loaded, report.rejected, report.problem_count),
        (2, 1, 1)
    );
    assert_eq!(report.problems[0].location.record, Some(Record::Feature(1)));
    assert_eq!(store.event_id(1), "C");
    // A mismatched bracket stops loading in lenient mode.
    let broken = format!("{HEAD}{},\n{{\"type\":\"Feature\"]\n]}}", good("A"));
    let (store, report) =
        geojson::incidents_from_bytes(broken.as_bytes(), "t.geojson", &ImportOptions::lenient())
            .unwrap();
    assert_eq!(store.len(), 1);
    assert!(
        report.problems[0].message.contains("loading stopped here"),
        "{:?}",
        report.problems
    );
}

#[test]
fn bom_and_pretty_printed_any_key_order() {
    let text = "\u{feff}{\n  \"features\": [\n    {\n      \"properties\": {\n        \"fatalities\": \"3\",\n        \"event_date\": \"12 October 2025\",\n        \"event_type\": \"Battles\"\n      },\n      \"geometry\": {\n        \"coordinates\": [\n          71.5,\n          34.25\n        ],\n        \"type\": \"Point\"\n      },\n      \"id\": \"x1\",\n      \"type\": \"Feature\"\n    },\n    {\n      \"type\": \"Feature\",\n      \"geometry\": null,\n      \"properties\": {\"event_date\": \"2025-10-13\", \"geo_precision\": \"2\"}\n    }\n  ],\n  \"type\": \"FeatureCollection\",\n  \"name\": \"foreign member\"\n}\n";
    let (store, report) =
        geojson::incidents_from_bytes(text.as_bytes(), "t.geojson", &ImportOptions::default())
            .unwrap();
    assert_eq!(report.loaded, 2);
    assert_eq!((store.lon[0], store.lat[0]), (71.5, 34.25));
    assert_eq!(store.event_id(0), "x1");
    assert_eq!(store.fatalities(0), Some(3));
    assert_eq!(store.event_id(1), "1");
    assert!(!store.is_mapped(1));
    assert_eq!(store.geo_precision[1], 2);
    // A problem in a pretty-printed file is located in the file (BOM not counted).
    let bad = text.replace("34.25", "134.25");
    let p = strict_incident_err(bad.as_bytes());
    assert_at(
        &p,
        12,
        11,
        Some(0),
        "latitude 134.25 out of range [-90, 90]",
    );
}

#[test]
fn single_feature_and_bare_geometry() {
    let f = good("A");
    let (store, _) =
        geojson::incidents_from_bytes(f.as_bytes(), "t.geojson", &ImportOptions::default())
            .unwrap();
    assert_eq!(store.len(), 1);
    let g = "{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[3,4]]}";
    let (layer, _) =
        geojson::layer_from_reader(g.as_bytes(), "t.geojson", &ImportOptions::default()).unwrap();
    assert!(
        matches!(layer.features[0].geometry, Some(geo::Geometry::MultiPoint(ref m)) if m.0.len() == 2)
    );
    assert!(
        geojson::incidents_from_bytes(g.as_bytes(), "t.geojson", &ImportOptions::default())
            .is_err()
    );
}

#[test]
fn all_geometry_types_into_a_layer() {
    let geoms = [
        "{\"type\":\"Point\",\"coordinates\":[1,2,3]}",
        "{\"type\":\"MultiPoint\",\"coordinates\":[[1,2]]}",
        "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}",
        "{\"type\":\"MultiLineString\",\"coordinates\":[[[1,2],[3,4]],[[5,6],[7,8]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
        "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}",
        "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1,2]}]}",
        "null",
    ];
    let feats: Vec<String> = geoms
        .iter()
        .enumerate()
        .map(|(i, g)| format!("{{\"type\":\"Feature\",\"id\":{i},\"geometry\":{g},\"properties\":{{\"n\":{i},\"x\":[true,null,\"s\"]}},\"foreign\":{{}}}}"))
        .collect();
    let (layer, report) = geojson::layer_from_reader(
        collection(&feats).as_bytes(),
        "t.geojson",
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(report.loaded, 8);
    use geo::Geometry as G;
    let g: Vec<_> = layer.features.iter().map(|f| f.geometry.clone()).collect();
    assert!(matches!(g[0], Some(G::Point(p)) if p.x() == 1.0 && p.y() == 2.0));
    assert!(matches!(g[1], Some(G::MultiPoint(_))));
    assert!(matches!(g[2], Some(G::LineString(_))));
    assert!(matches!(g[3], Some(G::MultiLineString(ref m)) if m.0.len() == 2));
    assert!(matches!(g[4], Some(G::Polygon(_))));
    assert!(matches!(g[5], Some(G::MultiPolygon(_))));
    assert!(matches!(g[6], Some(G::GeometryCollection(_))));
    assert!(g[7].is_none());
    assert_eq!(layer.features[3].id, Some(serde_json::json!(3)));
    assert_eq!(
        layer.features[2].properties["x"],
        serde_json::json!([true, null, "s"])
    );
}

#[test]
fn reimport_upserts_by_event_id() {
    let v1 = collection(&[good("A"), good("B")]);
    let (mut store, _) =
        geojson::incidents_from_bytes(v1.as_bytes(), "v1", &ImportOptions::default()).unwrap();
    let changed = feat(&point("70", "33"), &ok_props("B"));
    let v2 = collection(&[changed, good("C")]);
    let report = geojson::import_incidents_from_reader_into(
        &mut store,
        v2.as_bytes(),
        "v2",
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!((report.loaded, report.updated), (1, 1));
    assert_eq!(store.live_len(), 3);
    let b = store.row_of("B").unwrap();
    assert_eq!((store.lon[b as usize], store.lat[b as usize]), (70.0, 33.0));
    // A failing re-import leaves the store unchanged.
    let bad = collection(&[good("D"), feat(&point("71", "99"), &ok_props("E"))]);
    assert!(geojson::import_incidents_from_reader_into(
        &mut store,
        bad.as_bytes(),
        "v3",
        &ImportOptions::default()
    )
    .is_err());
    assert_eq!(store.live_len(), 3);
    assert!(store.row_of("D").is_none());
}

#[test]
fn provenance_and_ucdp_keys() {
    let props = "{\"id\":\"244657\",\"date_start\":\"2025-10-11 00:00:00.000\",\"date_end\":\"2025-10-12\",\"best\":23,\"where_prec\":4,\"side_a\":\"Government of Pakistan\",\"sources\":[{\"outlet\":\"Dawn\",\"date\":\"2025-10-12\"}],\"claims\":[{\"claimant\":\"ISPR\",\"subject\":\"soldiers killed\",\"figure\":23,\"source\":0}]}";
    let text = collection(&[feat(&point("71", "34"), props)]);
    let (store, _) =
        geojson::incidents_from_bytes(text.as_bytes(), "t.geojson", &ImportOptions::default())
            .unwrap();
    let r = store.record(0);
    assert_eq!(r.event_id, "244657");
    assert_eq!(r.date_end - r.date_start, 1);
    assert_eq!((r.fatalities, r.geo_precision), (Some(23), 3));
    assert_eq!(r.actor1, "Government of Pakistan");
    assert_eq!(r.sources[0].outlet, "Dawn");
    assert_eq!(r.claims[0].figure, Some(23));
}

#[test]
fn many_features_across_chunks_in_order() {
    // More than one 16 MiB chunk, so features straddle chunk boundaries and are split
    // across threads.
    let n = 60_000;
    let feats: Vec<String> = (0..n)
        .map(|i| {
            let notes = "x".repeat(200 + i % 97);
            feat(&point(&format!("{}.5", 60 + i % 15), "30.25"), &format!("{{\"event_id_cnty\":\"E{i}\",\"event_date\":\"2024-01-01\",\"notes\":\"{notes}\"}}"))
        })
        .collect();
    let text = collection(&feats);
    assert!(text.len() > 17 << 20);
    let progress = Arc::new(Progress::default());
    let opts = ImportOptions {
        progress: Some(progress.clone()),
        ..Default::default()
    };
    let (store, report) =
        geojson::incidents_from_reader(text.as_bytes(), "t.geojson", &opts).unwrap();
    assert_eq!(report.loaded, n as u64);
    for i in [0, 1, 12_345, n - 1] {
        assert_eq!(store.event_id(i as u32), format!("E{i}"));
    }
    assert_eq!(
        progress.records.load(std::sync::atomic::Ordering::Relaxed),
        n as u64
    );
    assert_eq!(
        progress
            .bytes_read
            .load(std::sync::atomic::Ordering::Relaxed),
        text.len() as u64
    );
    // A problem far into the file is located on its line.
    let mut feats = feats;
    feats[50_000] = feat(&point("71", "91"), &ok_props("B"));
    let p = strict_incident_err(collection(&feats).as_bytes());
    assert_eq!(
        (p.location.line, p.location.record),
        (Some(50_002), Some(Record::Feature(50_000)))
    );
    // Cancel: nothing loaded.
    let progress = Arc::new(Progress::default());
    progress
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let opts = ImportOptions {
        progress: Some(progress),
        ..Default::default()
    };
    assert!(matches!(
        geojson::incidents_from_reader(text.as_bytes(), "t.geojson", &opts),
        Err(ImportError::Cancelled)
    ));
}

/// Features parsed on several threads and merged: ids of last resort are file indexes,
/// a later duplicate id replaces the earlier row wherever the two were parsed, and
/// rejected features keep their file index (lenient mode).
#[test]
fn threads_merge_ids_duplicates_and_rejections_in_file_order() {
    let n = 40_000usize;
    let feats: Vec<String> = (0..n)
        .map(|i| {
            let notes = "y".repeat(150 + i % 53);
            if i % 1_000 == 7 {
                // Rejected: latitude out of range.
                feat(&point("70", "95"), &ok_props(&format!("BAD{i}")))
            } else if i % 5 == 0 {
                // No id at all: the feature index is its id.
                feat(&point("70.5", "33.5"), &format!("{{\"event_date\":\"2024-01-02\",\"notes\":\"{notes}\"}}"))
            } else {
                // Ids repeat every 30,000 features: the later one wins.
                let id = i % 30_000;
                feat(&point("69.5", "34.5"), &format!("{{\"event_id_cnty\":\"E{id}\",\"event_date\":\"2024-01-03\",\"fatalities\":{i},\"notes\":\"{notes}\"}}"))
            }
        })
        .collect();
    let text = collection(&feats);
    assert!(
        text.len() > 4 << 20,
        "big enough to be split across threads"
    );
    let (store, report) =
        geojson::incidents_from_reader(text.as_bytes(), "t.geojson", &ImportOptions::lenient())
            .unwrap();
    let rejected = (0..n).filter(|i| i % 1_000 == 7).count() as u64;
    let dups = (30_000..n)
        .filter(|i| {
            i % 5 != 0 && i % 1_000 != 7 && (i - 30_000) % 5 != 0 && (i - 30_000) % 1_000 != 7
        })
        .count() as u64;
    assert_eq!(report.rejected, rejected);
    assert_eq!(report.updated, dups);
    assert_eq!(report.loaded + report.updated + report.rejected, n as u64);
    assert_eq!(store.live_len() as u64, report.loaded);
    // Problems name the right features, in order.
    let firsts: Vec<_> = report
        .problems
        .iter()
        .take(3)
        .map(|p| p.location.record)
        .collect();
    assert_eq!(
        firsts,
        vec![
            Some(Record::Feature(7)),
            Some(Record::Feature(1_007)),
            Some(Record::Feature(2_007))
        ]
    );
    for i in [0usize, 5, 20_000, 35_000, n - 5] {
        let row = store.row_of(&i.to_string()).unwrap();
        assert_eq!(
            store.day_start[row as usize],
            store.day_start[store.row_of("0").unwrap() as usize]
        );
    }
    // E1 came at 1 and again at 30,001: the later one is live, with its fatalities.
    assert_eq!(store.fatalities(store.row_of("E1").unwrap()), Some(30_001));
    assert_eq!(
        store.fatalities(store.row_of("E29999").unwrap()),
        Some(29_999)
    );
}

#[test]
fn sniffing() {
    let acled = collection(&[good("A")]);
    assert_eq!(
        geojson::sniff_bytes(acled.as_bytes()),
        geojson::Kind::Incidents
    );
    let layer = collection(&[feat(&point("1", "2"), "{\"name\":\"Torkham\"}")]);
    assert_eq!(geojson::sniff_bytes(layer.as_bytes()), geojson::Kind::Layer);
}

fn located_or_ok(bytes: &[u8]) {
    for r in [
        geojson::incidents_from_bytes(bytes, "t.geojson", &ImportOptions::default()).map(|_| ()),
        geojson::layer_from_reader(bytes, "t.geojson", &ImportOptions::lenient()).map(|_| ()),
    ] {
        match r {
            Ok(()) => {}
            Err(ImportError::Invalid(p)) => {
                assert!(
                    p.location.line.is_some() && p.location.column.is_some(),
                    "{p}"
                );
                assert!(!p.message.is_empty());
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        located_or_ok(&bytes);
    }

    #[test]
    fn truncations_and_flips_never_panic(cut in 0usize..1000, flip in 0usize..1000, byte in any::<u8>()) {
        let text = collection(&[good("A"), feat("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", "{\"event_date\":\"2025-01-01\",\"x\":[1,{\"y\":\"\\u00e9\"}]}"), good("C")]);
        let mut b = text.into_bytes();
        let n = b.len();
        b[flip % n] = byte;
        b.truncate(cut % (n + 1));
        located_or_ok(&b);
    }
}
