//! Snapshots of the SVG text of small reference pages, built from hand-written layers
//! (not the bundled data, which may change) with a fixed generation date.

use atlas::export::*;

fn layers() -> BaseLayers {
    let mut l = BaseLayers::default();
    l.set(
        "countries.geojson",
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Afghanistan"},"geometry":{"type":"Polygon","coordinates":[[[69,32],[71,32],[71.2,33],[71,35],[69,35],[69,32]]]}},
          {"type":"Feature","properties":{"name":"Pakistan"},"geometry":{"type":"Polygon","coordinates":[[[71,32],[73,32],[73,35],[71,35],[71.2,33],[71,32]]]}}]}"#,
        "countries",
    )
    .unwrap();
    l.set(
        "border.geojson",
        r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[71,32],[71.2,33],[71.1,34],[71,35]]}}"#,
        "border",
    )
    .unwrap();
    l.set(
        "rivers.geojson",
        r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[69.5,34.4],[70.5,34.3],[71.5,34.0],[72.5,33.9]]}}"#,
        "rivers",
    )
    .unwrap();
    l.set(
        "crossings.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Torkham"},"geometry":{"type":"Point","coordinates":[71.0932,34.12264]}}]}"#,
        "crossings",
    )
    .unwrap();
    l.set(
        "places.geojson",
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Peshawar","population":1970042},"geometry":{"type":"Point","coordinates":[71.578,34.008]}},
          {"type":"Feature","properties":{"name":"Jalalabad","population":200331},"geometry":{"type":"Point","coordinates":[70.451,34.426]}}]}"#,
        "places",
    )
    .unwrap();
    l
}

fn incidents() -> MapIncidents {
    let mut m = MapIncidents::default();
    m.push(71.05, 34.15, "Battles", 1, 20_373, 20_373);
    m.push(71.3, 33.6, "Explosions/Remote violence", 2, 20_374, 20_376);
    m.push(70.6, 33.2, "Battles", 3, 20_380, 20_380);
    m
}

fn spec(page: PageSpec) -> MapSpec {
    let mut s = MapSpec::new(page);
    s.bbox = Some([69.5, 32.5, 72.5, 35.0]);
    s.title = "Reference page".into();
    s.subtitle = "Hand-written layers and three incidents".into();
    s.generated = "2025-11-01".into();
    s.filters = vec!["event type: Battles, Explosions/Remote violence".into()];
    s
}

#[test]
fn small_landscape_page() {
    let page = PageSpec::pixels(800, 560, 96).unwrap();
    let svg = build_svg(
        &spec(page),
        &layers(),
        &Style::bundled().unwrap(),
        &incidents(),
    )
    .unwrap();
    insta::assert_snapshot!("small_landscape_page", svg.replace("><", ">\n<"));
}

#[test]
fn small_portrait_page_with_stamp() {
    let page = PageSpec::pixels(560, 800, 96).unwrap();
    let mut s = spec(page);
    s.stamp = Some("2025-10-12 – 2025-11-10".into());
    s.from = Some(20_373);
    s.to = Some(20_402);
    let svg = build_svg(&s, &layers(), &Style::bundled().unwrap(), &incidents()).unwrap();
    insta::assert_snapshot!("small_portrait_page_with_stamp", svg.replace("><", ">\n<"));
}

#[test]
fn empty_page_without_layers_or_incidents() {
    let page = PageSpec::pixels(640, 400, 96).unwrap();
    let svg = build_svg(
        &spec(page),
        &BaseLayers::default(),
        &Style::bundled().unwrap(),
        &MapIncidents::default(),
    )
    .unwrap();
    assert!(svg.contains("Dates: no incidents"));
    insta::assert_snapshot!("empty_page", svg.replace("><", ">\n<"));
}

#[test]
fn small_landscape_page_with_notes() {
    let page = PageSpec::pixels(800, 560, 96).unwrap();
    let mut s = spec(page);
    s.notes = "Hand-written notes for the snapshot: two paragraphs, the first long enough to wrap onto a second line under the frame.\nSecond paragraph & <escaped> text.".into();
    let svg = build_svg(&s, &layers(), &Style::bundled().unwrap(), &incidents()).unwrap();
    insta::assert_snapshot!("small_landscape_page_with_notes", svg.replace("><", ">\n<"));
}
