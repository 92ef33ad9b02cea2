//! Checks of the bundled data in `data/`: every file parses and has its schema,
//! the border runs from tripoint to tripoint with the length data/README states,
//! crossings lie on the line, the incident sample carries its provenance, the
//! provinces do not overlap and the Natural Earth name faults are fixed.
//!
//! Uses only serde_json, geographiclib-rs and geo (no engine module), so it
//! checks the files themselves. Whether the pipeline reproduces them is
//! `make data-check` (needs the package registries).

use geo::{Area, BooleanOps, BoundingRect, Coord, LineString, MultiPolygon, Polygon};
use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

const BORDER_NAME: &str = "Afghanistan–Pakistan border (Durand Line)";
/// Afghanistan–Iran–Pakistan and Afghanistan–China–Pakistan tripoints (lon, lat).
const IRAN_TRIPOINT: (f64, f64) = (60.8729, 29.8586);
const CHINA_TRIPOINT: (f64, f64) = (74.5648, 37.0313);

const GEOJSON_FILES: &[&str] = &[
    "border.geojson",
    "border-ne.geojson",
    "countries.geojson",
    "neighbours.geojson",
    "crossings.geojson",
    "provinces.geojson",
    "province-lines.geojson",
    "places.geojson",
    "rivers.geojson",
    "incidents-sample.geojson",
];

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

fn read_text(name: &str) -> String {
    let path = data_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(name: &str) -> Value {
    serde_json::from_str(&read_text(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn features<'a>(fc: &'a Value, name: &str) -> &'a Vec<Value> {
    assert_eq!(
        fc["type"], "FeatureCollection",
        "{name}: not a FeatureCollection"
    );
    fc["features"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: no features array"))
}

fn props<'a>(f: &'a Value, name: &str) -> &'a Map<String, Value> {
    f["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name}: feature without properties object"))
}

fn str_prop<'a>(p: &'a Map<String, Value>, key: &str, name: &str) -> &'a str {
    p.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{name}: property {key} missing or not a string in {p:?}"))
}

fn num_prop(p: &Map<String, Value>, key: &str, name: &str) -> f64 {
    p.get(key)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{name}: property {key} missing or not a number in {p:?}"))
}

fn position(v: &Value) -> (f64, f64) {
    let a = v.as_array().expect("position is an array");
    assert!(a.len() >= 2, "position with fewer than 2 numbers");
    let lon = a[0].as_f64().expect("lon is a number");
    let lat = a[1].as_f64().expect("lat is a number");
    assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
    (lon, lat)
}

fn positions(v: &Value) -> Vec<(f64, f64)> {
    v.as_array()
        .expect("coordinate list")
        .iter()
        .map(position)
        .collect()
}

/// Validates a GeoJSON geometry's shape (RFC 7946) and returns its type.
fn check_geometry(g: &Value, name: &str) -> Option<String> {
    if g.is_null() {
        return None;
    }
    let kind = g["type"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: geometry without type"));
    let c = &g["coordinates"];
    let ring_ok = |r: &Value| {
        let p = positions(r);
        assert!(p.len() >= 4, "{name}: ring with {} positions", p.len());
        assert_eq!(p.first(), p.last(), "{name}: ring not closed");
    };
    match kind {
        "Point" => {
            position(c);
        }
        "LineString" => assert!(positions(c).len() >= 2, "{name}: short line"),
        "MultiLineString" => {
            for l in c.as_array().expect("lines") {
                assert!(positions(l).len() >= 2, "{name}: short line");
            }
        }
        "Polygon" => c.as_array().expect("rings").iter().for_each(ring_ok),
        "MultiPolygon" => {
            for p in c.as_array().expect("polygons") {
                p.as_array().expect("rings").iter().for_each(ring_ok);
            }
        }
        other => panic!("{name}: unexpected geometry type {other}"),
    }
    Some(kind.to_string())
}

fn geod_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let s: f64 = Geodesic::wgs84().inverse(a.1, a.0, b.1, b.0);
    s
}

fn length_km(line: &[(f64, f64)]) -> f64 {
    line.windows(2).map(|w| geod_m(w[0], w[1])).sum::<f64>() / 1000.0
}

/// Exact WGS84 distance (m) from `p` to the geodesic segment a–b: ternary search
/// of the distance along the geodesic (unimodal on a segment this short).
fn point_segment_m(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let g = Geodesic::wgs84();
    let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = g.inverse(a.1, a.0, b.1, b.0);
    if s12 == 0.0 {
        return geod_m(p, a);
    }
    let at = |t: f64| {
        let (lat, lon): (f64, f64) = g.direct(a.1, a.0, azi1, t * s12);
        geod_m(p, (lon, lat))
    };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..80 {
        let m1 = lo + (hi - lo) / 3.0;
        let m2 = hi - (hi - lo) / 3.0;
        if at(m1) <= at(m2) {
            hi = m2;
        } else {
            lo = m1;
        }
    }
    at(0.0).min(at(1.0)).min(at((lo + hi) / 2.0))
}

/// Exact distance (km) from a point to a polyline: a planar pre-selection of the
/// candidate segments (local equirectangular, generous margin), then Karney.
fn point_line_km(p: (f64, f64), line: &[(f64, f64)]) -> f64 {
    let kx = 111.32 * 33f64.to_radians().cos();
    let ky = 110.574;
    let pr = |q: (f64, f64)| (q.0 * kx, q.1 * ky);
    let pp = pr(p);
    let planar: Vec<f64> = line
        .windows(2)
        .map(|w| {
            let (a, b) = (pr(w[0]), pr(w[1]));
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let den = dx * dx + dy * dy;
            let t = if den > 0.0 {
                (((pp.0 - a.0) * dx + (pp.1 - a.1) * dy) / den).clamp(0.0, 1.0)
            } else {
                0.0
            };
            ((a.0 + t * dx - pp.0).powi(2) + (a.1 + t * dy - pp.1).powi(2)).sqrt()
        })
        .collect();
    let best = planar.iter().cloned().fold(f64::INFINITY, f64::min);
    planar
        .iter()
        .enumerate()
        .filter(|(_, d)| **d <= best + 5.0)
        .map(|(i, _)| point_segment_m(p, line[i], line[i + 1]))
        .fold(f64::INFINITY, f64::min)
        / 1000.0
}

fn border_line() -> Vec<(f64, f64)> {
    let fc = load("border.geojson");
    let f = &features(&fc, "border.geojson")[0];
    assert_eq!(f["geometry"]["type"], "LineString");
    positions(&f["geometry"]["coordinates"])
}

/// The figure data/README.md states in its table row `| <label> | N km |`.
fn readme_km(label: &str) -> f64 {
    let readme = read_text("README.md");
    let prefix = format!("| {label} | ");
    let line = readme
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("data/README.md has no row starting {prefix:?}"));
    let rest = &line[prefix.len()..];
    let num: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    num.parse()
        .unwrap_or_else(|e| panic!("data/README.md row {line:?}: {e}"))
}

#[test]
fn every_file_parses_with_valid_geometry() {
    for name in GEOJSON_FILES {
        let fc = load(name);
        let feats = features(&fc, name);
        assert!(!feats.is_empty(), "{name}: no features");
        for f in feats {
            assert_eq!(f["type"], "Feature", "{name}");
            props(f, name);
            check_geometry(&f["geometry"], name);
        }
    }
}

#[test]
fn border_runs_south_to_north_between_the_tripoints() {
    let fc = load("border.geojson");
    let feats = features(&fc, "border.geojson");
    assert_eq!(feats.len(), 1, "one feature");
    let p = props(&feats[0], "border.geojson");
    assert_eq!(str_prop(p, "name", "border"), BORDER_NAME);
    assert_eq!(str_prop(p, "licence", "border"), "ODbL 1.0");
    assert_eq!(
        str_prop(p, "attribution", "border"),
        "© OpenStreetMap contributors"
    );
    assert!(str_prop(p, "note", "border").contains("does not recognise"));
    let line = border_line();
    assert!(line.len() > 10_000, "unsimplified OSM line expected");
    let start_km = geod_m(line[0], IRAN_TRIPOINT) / 1000.0;
    let end_km = geod_m(line[line.len() - 1], CHINA_TRIPOINT) / 1000.0;
    assert!(
        start_km < 1.0,
        "starts {start_km} km from the Iran tripoint"
    );
    assert!(end_km < 1.0, "ends {end_km} km from the China tripoint");
    // One connected line (a single LineString, checked above). Long straight
    // segments are real (the boundary crosses the Chagai desert in straight
    // stretches up to ~70 km); the only invented segments are the flagged
    // bridges over the source's gaps, each one short segment.
    let gaps = p["bridged_gaps"].as_array().expect("bridged_gaps");
    assert!(!gaps.is_empty() && gaps.len() < 10);
    // Length: computed == length_km property == data/README figure (0.1%).
    let km = length_km(&line);
    let stated = num_prop(p, "length_km", "border");
    let readme = readme_km("border.geojson length");
    assert!(
        (km - stated).abs() / km < 1e-3,
        "computed {km} vs length_km {stated}"
    );
    assert!(
        (km - readme).abs() / km < 1e-3,
        "computed {km} vs README {readme}"
    );
    // Each flagged bridge is exactly one segment of this line.
    for g in gaps {
        let from = position(&g["from"]);
        let to = position(&g["to"]);
        let i = g["vertex_from"].as_u64().expect("vertex_from") as usize;
        let j = g["vertex_to"].as_u64().expect("vertex_to") as usize;
        assert_eq!(j, i + 1, "a bridge is one straight segment");
        assert!(j < line.len());
        assert_eq!(line[i], from);
        assert_eq!(line[j], to);
        let km = g["bridge_km"].as_f64().expect("bridge_km");
        assert!(km < 5.0, "bridge of {km} km");
        assert!((geod_m(from, to) / 1000.0 - km).abs() < 0.001);
    }
}

#[test]
fn natural_earth_line_matches_its_stated_length() {
    let fc = load("border-ne.geojson");
    let f = &features(&fc, "border-ne.geojson")[0];
    let p = props(f, "border-ne.geojson");
    assert_eq!(str_prop(p, "name", "border-ne"), BORDER_NAME);
    let line = positions(&f["geometry"]["coordinates"]);
    // Natural Earth differs from OSM by a few km; south to north all the same.
    assert!(geod_m(line[0], IRAN_TRIPOINT) < 10_000.0);
    assert!(geod_m(line[line.len() - 1], CHINA_TRIPOINT) < 10_000.0);
    let km = length_km(&line);
    let stated = num_prop(p, "length_km", "border-ne");
    let readme = readme_km("border-ne.geojson length");
    assert!((km - stated).abs() / km < 1e-3, "computed {km} vs {stated}");
    assert!(
        (km - readme).abs() / km < 1e-3,
        "computed {km} vs README {readme}"
    );
}

#[test]
fn country_polygons_share_the_border_exactly() {
    let fc = load("countries.geojson");
    let feats = features(&fc, "countries.geojson");
    let isos: Vec<&str> = feats
        .iter()
        .map(|f| str_prop(props(f, "countries"), "iso3", "countries"))
        .collect();
    assert_eq!(isos, ["AFG", "PAK"]);
    let line = border_line();
    for f in feats {
        let mut vertices = HashSet::new();
        let g = &f["geometry"];
        let polys: Vec<&Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&g["coordinates"]],
            Some("MultiPolygon") => g["coordinates"]
                .as_array()
                .expect("polygons")
                .iter()
                .collect(),
            other => panic!("countries: unexpected {other:?}"),
        };
        for poly in polys {
            for ring in poly.as_array().expect("rings") {
                for (x, y) in positions(ring) {
                    vertices.insert((x.to_bits(), y.to_bits()));
                }
            }
        }
        let missing = line
            .iter()
            .filter(|(x, y)| !vertices.contains(&(x.to_bits(), y.to_bits())))
            .count();
        assert_eq!(missing, 0, "{:?}: border vertices not on its edge", isos);
    }
}

#[test]
fn crossings_lie_within_1_5_km_of_the_line() {
    let line = border_line();
    let fc = load("crossings.geojson");
    let feats = features(&fc, "crossings.geojson");
    assert_eq!(
        feats.len(),
        7,
        "the seven crossings with supported coordinates"
    );
    let without: BTreeSet<&str> = fc["known_without_coordinates"]
        .as_array()
        .expect("known_without_coordinates")
        .iter()
        .map(|v| v.as_str().expect("name"))
        .collect();
    for n in [
        "Nawa Pass",
        "Gursal",
        "Badini",
        "Tirah/Bin Shahi",
        "Borki",
        "Teri Mangal",
    ] {
        assert!(
            without.contains(n),
            "{n} should be listed without coordinates"
        );
    }
    for f in feats {
        let p = props(f, "crossings");
        let name = str_prop(p, "name", "crossings");
        assert!(
            !without.iter().any(|w| name.contains(w)),
            "{name} has no supported coordinate"
        );
        for key in ["coord_source", "confidence", "province_af", "province_pk"] {
            assert!(!str_prop(p, key, name).is_empty(), "{name}: empty {key}");
        }
        assert!(["high", "medium-high", "medium"].contains(&str_prop(p, "confidence", name)));
        assert!(p["other_names"].is_array(), "{name}: other_names");
        for s in p["status"].as_array().expect("status list") {
            for key in ["status", "as_of", "note"] {
                assert!(s[key].is_string(), "{name}: status without {key}");
            }
        }
        assert_eq!(f["geometry"]["type"], "Point");
        let pt = position(&f["geometry"]["coordinates"]);
        let km = point_line_km(pt, &line);
        assert!(km <= 1.5, "{name} is {km} km from the line");
        let stated = num_prop(p, "km_to_border", name);
        assert!(
            (km - stated).abs() < 0.005,
            "{name}: {km} vs stated {stated}"
        );
    }
}

#[test]
fn point_to_line_distance_is_exact() {
    // A point due north of the middle of an east-west segment on the equator
    // is at the meridian distance from it.
    let line = [(0.0, 0.0), (0.2, 0.0)];
    let d = point_line_km((0.1, 0.01), &line);
    let expect = geod_m((0.1, 0.0), (0.1, 0.01)) / 1000.0;
    assert!((d - expect).abs() < 1e-6, "{d} vs {expect}");
    // Past the end the nearest point is the end vertex.
    let d = point_line_km((0.3, 0.0), &line);
    assert!((d - geod_m((0.2, 0.0), (0.3, 0.0)) / 1000.0).abs() < 1e-6);
}

#[test]
fn incident_sample_carries_sources_and_claims() {
    let fc = load("incidents-sample.geojson");
    assert!(fc["sample_note"]
        .as_str()
        .is_some_and(|s| s.to_lowercase().contains("not a dataset")));
    let feats = features(&fc, "incidents-sample.geojson");
    let mut ids = HashSet::new();
    for f in feats {
        let p = props(f, "incidents");
        let id = str_prop(p, "event_id_cnty", "incidents");
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        for key in [
            "event_date",
            "date_end",
            "disorder_type",
            "event_type",
            "sub_event_type",
            "actor1",
            "location",
            "source",
            "notes",
        ] {
            assert!(!str_prop(p, key, id).is_empty(), "{id}: empty {key}");
        }
        for key in ["time_precision", "geo_precision"] {
            let v = num_prop(p, key, id);
            assert!([1.0, 2.0, 3.0].contains(&v), "{id}: {key} {v}");
        }
        assert!(str_prop(p, "date_end", id) >= str_prop(p, "event_date", id));
        // Sources: at least one, each with an outlet and a date; a URL only with the
        // headline it was published under, and only http(s).
        let sources = p["sources"].as_array().expect("sources");
        assert!(!sources.is_empty(), "{id}: no source");
        for s in sources {
            assert!(s["outlet"].as_str().is_some_and(|o| !o.is_empty()), "{id}");
            assert!(
                s["date"].as_str().is_some_and(|d| d.len() == 10),
                "{id}: source date"
            );
            if let Some(url) = s.get("url") {
                let url = url.as_str().expect("url is a string");
                assert!(
                    url.starts_with("https://") || url.starts_with("http://"),
                    "{id}: url {url}"
                );
                assert!(
                    s["headline"].as_str().is_some_and(|h| !h.is_empty()),
                    "{id}: a URL without its headline"
                );
            }
        }
        // Claims: a claimant each, a valid source index; contested figures only as claims.
        let claims = p["claims"].as_array().expect("claims");
        for c in claims {
            assert!(
                c["claimant"].as_str().is_some_and(|s| !s.is_empty()),
                "{id}"
            );
            assert!(c["subject"].as_str().is_some_and(|s| !s.is_empty()), "{id}");
            if let Some(i) = c["source"].as_u64() {
                assert!((i as usize) < sources.len(), "{id}: claim source index");
            }
        }
        let fatalities = p.get("fatalities").and_then(Value::as_u64).unwrap_or(0);
        if fatalities > 0 {
            assert!(
                claims.iter().any(|c| c["figure"].as_u64().is_some()),
                "{id}: a casualty figure must be carried as a claim"
            );
        }
        // The parties' own labels never become actor names.
        for key in ["actor1", "actor2"] {
            let actor = p.get(key).and_then(Value::as_str).unwrap_or("");
            for word in ["Khawarij", "India-backed", "terrorist"] {
                assert!(!actor.contains(word), "{id}: {key} uses {word:?}");
            }
        }
        // Unmapped events are allowed; a mapped one has a real point.
        if !f["geometry"].is_null() {
            assert_eq!(f["geometry"]["type"], "Point");
        }
    }
    // The ISPR claim from the report is there as a claim, not as a fact.
    let ispr = feats
        .iter()
        .flat_map(|f| f["properties"]["claims"].as_array().into_iter().flatten())
        .find(|c| c["figure"] == 23)
        .expect("the ISPR claim of 23 soldiers killed");
    assert!(ispr["claimant"]
        .as_str()
        .is_some_and(|s| s.contains("ISPR")));
    assert!(feats
        .iter()
        .all(|f| f["properties"]["fatalities"].is_null()));
}

fn to_multipolygon(g: &Value) -> MultiPolygon<f64> {
    let poly = |rings: &Value| {
        let mut rs = rings.as_array().expect("rings").iter().map(|r| {
            LineString::from(
                positions(r)
                    .into_iter()
                    .map(|(x, y)| Coord { x, y })
                    .collect::<Vec<_>>(),
            )
        });
        let outer = rs.next().expect("outer ring");
        Polygon::new(outer, rs.collect())
    };
    match g["type"].as_str() {
        Some("Polygon") => MultiPolygon(vec![poly(&g["coordinates"])]),
        Some("MultiPolygon") => MultiPolygon(
            g["coordinates"]
                .as_array()
                .expect("polygons")
                .iter()
                .map(poly)
                .collect(),
        ),
        other => panic!("not a polygon: {other:?}"),
    }
}

#[test]
fn provinces_have_schema_and_do_not_overlap() {
    let fc = load("provinces.geojson");
    let feats = features(&fc, "provinces.geojson");
    let mut codes = HashSet::new();
    let mut shapes = Vec::new();
    for f in feats {
        let p = props(f, "provinces");
        let name = str_prop(p, "name", "provinces");
        let iso3 = str_prop(p, "iso3", name);
        let code = str_prop(p, "code", name);
        assert!(["AFG", "PAK"].contains(&iso3), "{name}: {iso3}");
        let prefix = if iso3 == "AFG" { "AF-" } else { "PK-" };
        assert!(code.starts_with(prefix), "{name}: code {code}");
        assert!(codes.insert(code.to_string()), "duplicate code {code}");
        let mp = to_multipolygon(&f["geometry"]);
        let rect = mp.bounding_rect().expect("non-empty province");
        shapes.push((name.to_string(), mp, rect));
    }
    for (i, (na, a, ra)) in shapes.iter().enumerate() {
        for (nb, b, rb) in &shapes[i + 1..] {
            let disjoint = ra.max().x < rb.min().x
                || rb.max().x < ra.min().x
                || ra.max().y < rb.min().y
                || rb.max().y < ra.min().y;
            if disjoint {
                continue;
            }
            let overlap = a.intersection(b).unsigned_area();
            // 1e-5 square degrees is about 0.1 km² here: a sliver at most.
            assert!(overlap < 1e-5, "{na} and {nb} overlap by {overlap} deg²");
        }
    }
}

#[test]
fn natural_earth_name_faults_are_fixed() {
    let fc = load("provinces.geojson");
    let names: Vec<String> = features(&fc, "provinces.geojson")
        .iter()
        .map(|f| str_prop(props(f, "p"), "name", "provinces").to_string())
        .collect();
    for bad in [
        "Hilmand",
        "Paktya",
        "F.A.T.A.",
        "Northern Areas",
        "K.P.",
        "N.W.F.P.",
    ] {
        assert!(
            !names.iter().any(|n| n == bad),
            "provinces still have {bad:?}"
        );
    }
    for good in [
        "Helmand",
        "Paktia",
        "Panjshir",
        "Daykundi",
        "Parwan",
        "Uruzgan",
        "Khyber Pakhtunkhwa",
        "Gilgit-Baltistan",
    ] {
        let n = names.iter().filter(|n| *n == good).count();
        assert_eq!(n, 1, "{good} should appear exactly once, found {n}");
    }
    let lines = load("province-lines.geojson");
    for f in features(&lines, "province-lines.geojson") {
        let p = props(f, "province-lines");
        for key in ["left", "right"] {
            let n = str_prop(p, key, "province-lines");
            assert!(
                names.iter().any(|m| m == n),
                "province-lines: unknown province {n}"
            );
        }
    }
    let places = load("places.geojson");
    for f in features(&places, "places.geojson") {
        let p = props(f, "places");
        let name = str_prop(p, "name", "places");
        assert!(!["Hilmand", "F.A.T.A.", "Northern Areas"].contains(&name));
        let pop = num_prop(p, "population", name);
        let near = p["near_border"].as_bool().expect("near_border");
        assert!(pop >= 15_000.0 || (near && pop >= 5_000.0), "{name}: {pop}");
        let rank = num_prop(p, "rank", name);
        assert!((1.0..=5.0).contains(&rank), "{name}: rank {rank}");
        assert!(!str_prop(p, "country", name).is_empty());
        assert_eq!(f["geometry"]["type"], "Point");
    }
}

#[test]
fn attribution_covers_every_file() {
    let att: Value =
        serde_json::from_str(&read_text("attribution.json")).expect("attribution.json");
    let layers = att["layers"].as_array().expect("layers");
    let files: BTreeSet<&str> = layers
        .iter()
        .map(|l| {
            for key in ["layer", "text", "licence"] {
                assert!(
                    l[key].as_str().is_some_and(|s| !s.is_empty()),
                    "attribution: {key}"
                );
            }
            l["file"].as_str().expect("file")
        })
        .collect();
    for name in GEOJSON_FILES {
        assert!(files.contains(name), "attribution.json lacks {name}");
    }
    let border = layers
        .iter()
        .find(|l| l["file"] == "border.geojson")
        .expect("border attribution");
    assert_eq!(border["licence"], "ODbL 1.0");
    assert!(border["text"]
        .as_str()
        .is_some_and(|t| t.contains("© OpenStreetMap contributors")));
}

#[test]
fn bundle_stays_small() {
    let total: u64 = GEOJSON_FILES
        .iter()
        .map(|n| {
            std::fs::metadata(data_dir().join(n))
                .map(|m| m.len())
                .unwrap_or(0)
        })
        .sum();
    assert!(total < 5 * 1024 * 1024, "bundle is {total} bytes");
}

#[test]
fn basemap_layers_have_their_properties() {
    let fc = load("neighbours.geojson");
    let isos: BTreeSet<&str> = features(&fc, "neighbours.geojson")
        .iter()
        .map(|f| {
            let p = props(f, "neighbours");
            assert!(!str_prop(p, "name", "neighbours").is_empty());
            assert_eq!(str_prop(p, "licence", "neighbours"), "ODbL 1.0");
            str_prop(p, "iso3", "neighbours")
        })
        .collect();
    let expect: BTreeSet<&str> = ["CHN", "IND", "IRN", "TJK", "TKM", "UZB"].into();
    assert_eq!(isos, expect);
    let fc = load("rivers.geojson");
    for f in features(&fc, "rivers.geojson") {
        let p = props(f, "rivers");
        assert!(!str_prop(p, "source", "rivers").is_empty());
        assert!(!str_prop(p, "licence", "rivers").is_empty());
        let kind = f["geometry"]["type"].as_str().unwrap_or("");
        assert!(
            ["LineString", "MultiLineString"].contains(&kind),
            "rivers: {kind}"
        );
    }
}

#[test]
fn mapped_incidents_lie_in_their_stated_province() {
    use geo::Contains;
    let provinces = load("provinces.geojson");
    let shapes: Vec<(String, MultiPolygon<f64>)> = features(&provinces, "provinces.geojson")
        .iter()
        .map(|f| {
            let name = str_prop(props(f, "p"), "name", "provinces").to_string();
            (name, to_multipolygon(&f["geometry"]))
        })
        .collect();
    let fc = load("incidents-sample.geojson");
    let mut checked = 0;
    for f in features(&fc, "incidents-sample.geojson") {
        let p = props(f, "incidents");
        let id = str_prop(p, "event_id_cnty", "incidents");
        let admin1 = p.get("admin1").and_then(Value::as_str);
        let country = p.get("country").and_then(Value::as_str);
        match (f["geometry"].is_null(), admin1, country) {
            (true, _, _) => {
                // Unmapped: no side or place is claimed either.
                assert!(admin1.is_none(), "{id}: unmapped but with admin1");
            }
            (false, Some(a1), Some("Afghanistan")) => {
                let (x, y) = position(&f["geometry"]["coordinates"]);
                let shape = shapes
                    .iter()
                    .find(|(n, _)| n == a1)
                    .unwrap_or_else(|| panic!("{id}: no province {a1}"));
                assert!(
                    shape.1.contains(&geo::Point::new(x, y)),
                    "{id}: point not in {a1}"
                );
                checked += 1;
            }
            _ => {}
        }
    }
    assert_eq!(checked, 2, "the Kandahar and Kabul strikes");
}
